/*
 * tests/unit/test_capture_prog.c - `hlsim capture` end to end, stacked on the virtual
 * device as the driver (--backend vdev; there is no /dev/hl0 here).
 *
 * 1. tests/vdev_prog in its modes data, main, stuck, errors and pace runs under
 *    `hlsim capture --backend vdev` with HLSIM_VDEV_TRACE also set, so that one run gives
 *    both the virtual device's own trace and the capture's: their CSs, jobs, CB bytes,
 *    memory images (those the jobs' CBs reach through CP_DMA, and internal CBs), host maps
 *    and WAIT_CS rows must be equal (CS flags without HL_CS_FLAGS_TIMESTAMP, which the
 *    capture adds; host times differ and are not compared).
 * 2. The journal of the `data` run, cut at 300 pseudo-random byte positions, finishes into
 *    a valid trace of its complete records every time.
 * 3. `vdev_prog pace real` under the capture library is killed with SIGKILL once its
 *    journal holds a CS (while WAIT_CS sleeps); `hlsim capture --finish` turns the journal
 *    into a trace holding that CS and reports the missing END record.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <misc/habanalabs.h>

#include "hlsim/cmd.h"
#include "hlsim/trace.h"
#include "models/common/asic.h"
#include "tests/unit/check.h"
#include "tests/unit/spawn.h"
#include "traces/interposer/journal.h"

#define WORK "capture_prog.d"

static char bin_dir[PATH_MAX], prog[PATH_MAX + 32], lib[PATH_MAX + 32];

/* Blob @a of @ta equals blob @b of @tb (both absent counts as equal). */
static int blobs_equal(hlsim_trace_t *ta, uint64_t a, hlsim_trace_t *tb, uint64_t b)
{
	const struct hlsim_blob *ba, *bb;
	int eq;

	if (a == HLSIM_TRACE_NO_BLOB || b == HLSIM_TRACE_NO_BLOB)
		return a == b;
	if (hlsim_trace_blob_get(ta, 0, a, &ba))
		return 0;
	if (hlsim_trace_blob_get(tb, 0, b, &bb)) {
		hlsim_trace_blob_put(ta, ba);
		return 0;
	}
	eq = ba->size == bb->size && !memcmp(ba->bytes, bb->bytes, ba->size);
	hlsim_trace_blob_put(ta, ba);
	hlsim_trace_blob_put(tb, bb);
	return eq;
}

/* The memory image covering [@addr, +@size) at CS @row: the same bytes in both traces. */
static int images_equal(hlsim_trace_t *tv, hlsim_trace_t *tc, uint64_t addr, uint64_t size,
			uint64_t row)
{
	struct hlsim_trace_mem mv, mc;
	uint64_t ov, oc;
	int fv = !hlsim_trace_mem_find(tv, 0, addr, size, row, &mv, &ov);
	int fc = !hlsim_trace_mem_find(tc, 0, addr, size, row, &mc, &oc);

	if (fv != fc)
		return 0;
	if (!fv)
		return 1;
	return mv.addr == mc.addr && mv.size == mc.size && mv.from_cs == mc.from_cs &&
	       blobs_equal(tv, mv.blob_id, tc, mc.blob_id);
}

/* CP_DMA targets in job blob @id: their images must match (how many were compared in *n). */
static int job_targets_equal(const struct mdl_asic_funcs *f, hlsim_trace_t *tv,
			     hlsim_trace_t *tc, uint64_t id, uint64_t row, unsigned int *n)
{
	const struct hlsim_blob *b;
	struct hlsim_cmd cmd;
	size_t off = 0;
	int ok = 1;

	if (id == HLSIM_TRACE_NO_BLOB || hlsim_trace_blob_get(tc, 0, id, &b))
		return 1;
	while (off < b->size && !f->decode(b->bytes, b->size, off, &cmd) && cmd.size_bytes) {
		if (cmd.kind == HLSIM_CMD_CB_CALL) {
			ok &= images_equal(tv, tc, cmd.u.cb_call.addr, cmd.u.cb_call.size_bytes,
					   row);
			(*n)++;
		}
		off += cmd.size_bytes;
	}
	hlsim_trace_blob_put(tc, b);
	return ok;
}

static void compare(const char *mode, const char *asic, const char *vpath, const char *cpath)
{
	const struct mdl_asic_funcs *f = NULL;
	int gaudi2 = !strcmp(asic, "gaudi2");
	struct hlsim_trace_counts cv, cc;
	hlsim_trace_t *tv = NULL, *tc = NULL;
	unsigned int images = 0, bad = 0;
	uint64_t i, k;

	CHECK(!mdl_asic_by_name(asic, &f));
	CHECK(!hlsim_trace_open(vpath, &tv));
	CHECK(!hlsim_trace_open(cpath, &tc));
	if (!tv || !tc || !f)
		goto out;
	CHECK_EQ_U64(hlsim_trace_num_devices(tc), 1);
	CHECK(!hlsim_trace_counts(tv, 0, &cv));
	CHECK(!hlsim_trace_counts(tc, 0, &cc));
	CHECK_EQ_U64(cc.cs, cv.cs);
	CHECK_EQ_U64(cc.jobs, cv.jobs);
	CHECK_EQ_U64(cc.waits, cv.waits);
	CHECK_EQ_U64(cc.mem, cv.mem);
	CHECK_EQ_U64(cc.host_maps, cv.host_maps);
	CHECK(!strcmp(hlsim_trace_device_info(tc, 0)->asic, hlsim_trace_device_info(tv, 0)->asic));
	CHECK_EQ_U64(hlsim_trace_device_info(tc, 0)->dram_base_address,
		     hlsim_trace_device_info(tv, 0)->dram_base_address);
	for (i = 0; i < cv.cs && i < cc.cs; i++) {
		struct hlsim_trace_cs a, b;

		CHECK(!hlsim_trace_read_cs(tv, 0, i, &a));
		CHECK(!hlsim_trace_read_cs(tc, 0, i, &b));
		bad += a.seq != b.seq || a.status != b.status || a.num_jobs != b.num_jobs ||
		       a.first_job != b.first_job || a.timeout_s != b.timeout_s ||
		       (a.flags & ~HL_CS_FLAGS_TIMESTAMP) != (b.flags & ~HL_CS_FLAGS_TIMESTAMP);
		for (k = 0; k < a.num_jobs && k < b.num_jobs; k++) {
			struct hlsim_trace_job ja, jb;

			CHECK(!hlsim_trace_read_job(tv, 0, a.first_job + k, &ja));
			CHECK(!hlsim_trace_read_job(tc, 0, b.first_job + k, &jb));
			bad += ja.cb_handle != jb.cb_handle || ja.queue_id != jb.queue_id ||
			       ja.cb_size != jb.cb_size || ja.chunk_flags != jb.chunk_flags ||
			       ja.phase != jb.phase || ja.cs_index != jb.cs_index;
			bad += !blobs_equal(tv, ja.blob_id, tc, jb.blob_id);
			/*
			 * an internal CB's image (on Gaudi2 every CB is one: H/W queues take CBs
			 * by device address), and the CBs its CP_DMAs hand over
			 */
			if (gaudi2 || (ja.queue_id != 0 && ja.queue_id / 4 != 1)) {
				bad += !images_equal(tv, tc, ja.cb_handle, ja.cb_size, i);
				images++;
			}
			bad += !job_targets_equal(f, tv, tc, jb.blob_id, i, &images);
		}
	}
	for (i = 0; i < cv.waits && i < cc.waits; i++) {
		struct hlsim_trace_wait a, b;

		CHECK(!hlsim_trace_read_wait(tv, 0, i, &a));
		CHECK(!hlsim_trace_read_wait(tc, 0, i, &b));
		bad += a.seq != b.seq || a.timeout_us != b.timeout_us || a.status != b.status ||
		       a.flags != b.flags || a.out_flags != b.out_flags ||
		       a.timestamp_ns != b.timestamp_ns || a.rc != b.rc ||
		       a.cs_completion_map != b.cs_completion_map;
	}
	for (i = 0; i < cv.host_maps && i < cc.host_maps; i++) {
		struct hlsim_trace_host_map a, b;

		CHECK(!hlsim_trace_read_host_map(tv, 0, i, &a));
		CHECK(!hlsim_trace_read_host_map(tc, 0, i, &b));
		bad += a.device_va != b.device_va || a.host_va != b.host_va || a.size != b.size ||
		       (a.unmap_ns == INT64_MAX) != (b.unmap_ns == INT64_MAX);
	}
	CHECK_EQ_U64(bad, 0);
	fprintf(stderr, "%s: %llu CSs, %llu jobs, %llu waits, %llu host maps, %llu images "
			"(%u looked up): capture == virtual device\n",
		mode, (unsigned long long)cc.cs, (unsigned long long)cc.jobs,
		(unsigned long long)cc.waits, (unsigned long long)cc.host_maps,
		(unsigned long long)cc.mem, images);
out:
	hlsim_trace_close(tv);
	hlsim_trace_close(tc);
}

static void test_modes(void)
{
	/*
	 * syscall: every call by number through libc's syscall(); accel: the accel node and
	 * its DRM numbers; g2*: a virtual Gaudi2 (not g2nop: it times its CSs from before the
	 * ioctl, and capture's copy of its 512 KiB CB then weighs in its growth check)
	 */
	static const struct {
		const char *mode, *asic;
	} modes[] = { { "data", "gaudi" },    { "main", "gaudi" },    { "stuck", "gaudi" },
		      { "errors", "gaudi" },  { "pace", "gaudi" },    { "syscall", "gaudi" },
		      { "accel", "gaudi" },
		      { "g2data", "gaudi2" }, { "g2ping", "gaudi2" } };
	char vtrace[256], ctrace[256], log[256], ev[300], ev_cfg[64], text[8192];
	size_t i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		char *argv[] = { HLSIM_EXE, "capture", "--backend", "vdev", "-o", ctrace, "--",
				 prog, (char *)modes[i].mode, NULL };
		char *set[] = { ev, ev_cfg };
		int rc;

		snprintf(vtrace, sizeof(vtrace), WORK "/v_%s.h5", modes[i].mode);
		snprintf(ctrace, sizeof(ctrace), WORK "/c_%s.h5", modes[i].mode);
		snprintf(log, sizeof(log), WORK "/c_%s.log", modes[i].mode);
		snprintf(ev, sizeof(ev), "HLSIM_VDEV_TRACE=%s", vtrace);
		snprintf(ev_cfg, sizeof(ev_cfg), "HLSIM_VDEV_CONFIG=%s",
			 !strcmp(modes[i].asic, "gaudi2") ? "gaudi2_hl225" : "");
		rc = test_spawn(argv, set, 2, log);
		test_slurp(log, text, sizeof(text));
		if (rc)
			fprintf(stderr, "%s", text);
		CHECK_EQ_U64(rc, 0);
		CHECK_STR_CONTAINS(text, "0 bytes dropped (end of file)");
		CHECK(strstr(text, "no END record") == NULL);
		compare(modes[i].mode, modes[i].asic, vtrace, ctrace);
	}
}

/*
 * vdev_prog threads: 8 threads submitting and waiting at once under capture. The capture
 * takes its times outside the driver, so the rows of different threads may be ordered
 * otherwise than the virtual device ordered them; each CS (found by its seq) must still be
 * in both traces with the same queue and CB bytes, and every wait must be there.
 */
static void test_threads(void)
{
	const char *vpath = WORK "/v_threads.h5", *cpath = WORK "/c_threads.h5";
	char *argv[] = { HLSIM_EXE, "capture", "--backend", "vdev", "-o", (char *)cpath, "--",
			 prog, "threads", NULL };
	char *set[] = { "HLSIM_VDEV_TRACE=" WORK "/v_threads.h5" };
	struct hlsim_trace_counts cv = { 0 }, cc = { 0 };
	hlsim_trace_t *tv = NULL, *tc = NULL;
	char text[8192];
	uint64_t i, k, bad = 0, found = 0;
	int rc;

	rc = test_spawn(argv, set, 1, WORK "/c_threads.log");
	test_slurp(WORK "/c_threads.log", text, sizeof(text));
	CHECK_EQ_U64(rc, 0);
	CHECK_STR_CONTAINS(text, "vdev_prog threads: ok");
	CHECK_STR_CONTAINS(text, "0 bytes dropped (end of file)");
	CHECK(!hlsim_trace_open(vpath, &tv));
	CHECK(!hlsim_trace_open(cpath, &tc));
	if (!tv || !tc)
		goto out;
	CHECK(!hlsim_trace_counts(tv, 0, &cv));
	CHECK(!hlsim_trace_counts(tc, 0, &cc));
	CHECK_EQ_U64(cv.cs, 320);
	CHECK_EQ_U64(cc.cs, cv.cs);
	CHECK_EQ_U64(cc.waits, cv.waits);
	for (i = 0; i < cv.cs; i++) {
		struct hlsim_trace_cs a, b;
		struct hlsim_trace_job ja, jb;

		CHECK(!hlsim_trace_read_cs(tv, 0, i, &a));
		for (k = 0; k < cc.cs; k++)
			if (!hlsim_trace_read_cs(tc, 0, k, &b) && b.seq == a.seq)
				break;
		if (k == cc.cs || a.num_jobs != 1 || b.num_jobs != 1) {
			bad++;
			continue;
		}
		found++;
		CHECK(!hlsim_trace_read_job(tv, 0, a.first_job, &ja));
		CHECK(!hlsim_trace_read_job(tc, 0, b.first_job, &jb));
		bad += ja.queue_id != jb.queue_id || ja.cb_size != jb.cb_size ||
		       !blobs_equal(tv, ja.blob_id, tc, jb.blob_id);
	}
	CHECK_EQ_U64(found, 320);
	CHECK_EQ_U64(bad, 0);
	fprintf(stderr, "threads: %llu CSs and %llu waits of 8 threads captured, each CS's CB "
			"as the virtual device saw it\n",
		(unsigned long long)found, (unsigned long long)cc.waits);
out:
	hlsim_trace_close(tv);
	hlsim_trace_close(tc);
}

/* The `data` journal cut at pseudo-random positions: always its complete records. */
static void test_random_cuts(void)
{
	static uint8_t buf[1 << 20];
	const char *jpath = WORK "/c_data.h5.journal", *cut = WORK "/cut.journal";
	struct trc_jnl_stats full, st;
	uint32_t x = 12345;
	unsigned int i, bad = 0;
	size_t n;
	FILE *f;

	f = fopen(jpath, "rb");
	CHECK(f != NULL);
	if (!f)
		return;
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	CHECK(n > TRC_JNL_HEADER_BYTES && n < sizeof(buf));
	CHECK(!trc_jnl_scan(jpath, &full));
	for (i = 0; i < 300; i++) {
		size_t pos;
		hlsim_trace_t *t = NULL;
		struct hlsim_trace_counts c = { 0 };

		x = x * 1664525u + 1013904223u;
		pos = (size_t)(x >> 8) % (n + 1);
		f = fopen(cut, "wb");
		if (!f || fwrite(buf, 1, pos, f) != pos) {
			bad++;
			if (f)
				fclose(f);
			continue;
		}
		fclose(f);
		if (trc_jnl_finish(cut, WORK "/cut.h5", &st) ||
		    st.kept_bytes + st.dropped_bytes != pos ||
		    st.records > full.records || (pos == n) != (st.records == full.records) ||
		    hlsim_trace_open(WORK "/cut.h5", &t)) {
			fprintf(stderr, "cut at %zu: %s\n", pos, hlsim_last_error_detail());
			bad++;
			continue;
		}
		if (hlsim_trace_num_devices(t) == 1)
			bad += hlsim_trace_counts(t, 0, &c) || c.cs != st.cs_ok ||
			       c.waits != st.waits_traced;
		hlsim_trace_close(t);
	}
	CHECK_EQ_U64(bad, 0);
	fprintf(stderr, "data journal (%zu bytes, %llu records) cut at 300 positions: all "
			"finished\n", n, (unsigned long long)full.records);
}

static void test_kill(void)
{
	const char *jpath = WORK "/kill.journal";
	char ev_pre[PATH_MAX + 64], ev_j[PATH_MAX], text[4096];
	char *argv[] = { prog, "pace", "real", NULL };
	char *fin[] = { HLSIM_EXE, "capture", "--finish", (char *)jpath, "-o", WORK "/kill.h5",
			NULL };
	char *set[] = { ev_pre, ev_j, "HLSIM_CAPTURE_BACKEND=vdev", "HLSIM_VDEV_PACE=real",
			"ASAN_OPTIONS=verify_asan_link_order=0" };
	struct trc_jnl_stats st = { 0 };
	struct hlsim_trace_counts c = { 0 };
	struct timespec ms = { 0, 1000000 };
	hlsim_trace_t *t = NULL;
	char **env;
	size_t n = 0, i, k, m = 0;
	int status = 0, tries, rc;
	pid_t pid;

	unlink(jpath);
	snprintf(ev_pre, sizeof(ev_pre), "LD_PRELOAD=%s", lib);
	snprintf(ev_j, sizeof(ev_j), "HLSIM_CAPTURE_JOURNAL=%s", jpath);
	while (environ[n])
		n++;
	env = calloc(n + 6, sizeof(*env));
	if (!env)
		return;
	for (i = 0; i < n; i++) {
		int keep = 1;

		for (k = 0; k < 5; k++)
			keep &= !test_spawn_same_name(environ[i], set[k]);
		if (keep)
			env[m++] = environ[i];
	}
	for (k = 0; k < 5; k++)
		env[m++] = set[k];
	rc = posix_spawn(&pid, prog, NULL, NULL, argv, env);
	free(env);
	CHECK_EQ_U64(rc, 0);
	if (rc)
		return;
	/* wait (up to 60 s) until the journal holds the CS, then kill the program */
	for (tries = 0; tries < 60000; tries++) {
		if (!access(jpath, R_OK) && !trc_jnl_scan(jpath, &st) && st.cs >= 1)
			break;
		nanosleep(&ms, NULL);
	}
	kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	CHECK(st.cs >= 1);
	rc = test_spawn(fin, NULL, 0, WORK "/kill.log");
	test_slurp(WORK "/kill.log", text, sizeof(text));
	if (rc)
		fprintf(stderr, "%s", text);
	CHECK_EQ_U64(rc, 0);
	CHECK_STR_CONTAINS(text, "no END record");
	CHECK(!hlsim_trace_open(WORK "/kill.h5", &t));
	if (t) {
		CHECK(!hlsim_trace_counts(t, 0, &c));
		CHECK_EQ_U64(c.cs, 1);
		CHECK_EQ_U64(c.jobs, 2);
		CHECK(c.waits <= 1);
		hlsim_trace_close(t);
	}
	fprintf(stderr, "killed with SIGKILL: %llu CS, %llu waits in the finished trace\n",
		(unsigned long long)c.cs, (unsigned long long)c.waits);
}

int main(void)
{
	char *slash;

	snprintf(bin_dir, sizeof(bin_dir), "%s", HLSIM_EXE);
	slash = strrchr(bin_dir, '/');
	if (slash)
		*slash = '\0';
	snprintf(prog, sizeof(prog), "%s/tests/vdev_prog", bin_dir);
	snprintf(lib, sizeof(lib), "%s/libhlsim_preload.so", bin_dir);
	mkdir(WORK, 0755);
	test_modes();
	test_threads();
	test_random_cuts();
	test_kill();
	return check_summary();
}
