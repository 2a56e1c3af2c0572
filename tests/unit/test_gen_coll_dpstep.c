/*
 * tests/unit/test_gen_coll_dpstep.c - `hlsim gen dpstep` (traces/gen/gen_dpstep.c): every
 * job of every device decodes; each device launches 3L-1 GEMMs' worth of MME work; the
 * NIC records carry exactly the bucketed gradient all-reduce (direct: 2 x gradient bytes /
 * N between every ordered pair); replayed by the simulator the step finishes, and bucketing
 * the all-reduce per layer (overlapped with the backward pass) is faster than one bucket
 * after the whole backward pass; bad options are refused.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hlsim/results.h"
#include "hlsim/trace.h"
#include "models/common/asic.h"
#include "tests/unit/check.h"
#include "tests/unit/tracebuild.h"
#include "traces/gen/gen_coll.h"
#include "traces/gen/gen_dpstep.h"

#define MAXD 16

static char dir[256];

/* Decode every job; NIC bytes per ordered pair into @pair, MME launches into *@mme. */
static void scan(const char *path, uint32_t n, uint64_t pair[MAXD][MAXD], uint64_t *mme)
{
	const struct mdl_asic_funcs *f = NULL;
	hlsim_trace_t *t = NULL;
	uint32_t d;
	int bad = 0;

	memset(pair, 0, sizeof(uint64_t) * MAXD * MAXD);
	*mme = 0;
	CHECK_EQ_U64(mdl_asic_by_name("gaudi2", &f), HLSIM_OK);
	CHECK_EQ_U64(hlsim_trace_open(path, &t), HLSIM_OK);
	if (!t || !f)
		return;
	CHECK_EQ_U64(hlsim_trace_num_devices(t), n);
	for (d = 0; d < n && d < MAXD; d++) {
		struct hlsim_trace_counts c;
		uint64_t j;

		CHECK_EQ_U64(hlsim_trace_counts(t, d, &c), HLSIM_OK);
		for (j = 0; j < c.jobs; j++) {
			struct hlsim_trace_job job;
			const struct hlsim_blob *blob = NULL;
			const struct mdl_queue_info *qi;
			size_t off = 0;

			CHECK_EQ_U64(hlsim_trace_read_job(t, d, j, &job), HLSIM_OK);
			qi = f->queue_info(job.queue_id);
			if (!qi || hlsim_trace_blob_get(t, d, job.blob_id, &blob)) {
				bad++;
				continue;
			}
			while (off < blob->size) {
				struct hlsim_cmd cmd;

				if (f->decode(blob->bytes, blob->size, off, &cmd)) {
					bad++;
					break;
				}
				if (cmd.kind == HLSIM_CMD_NIC && cmd.u.nic.dst_device < MAXD)
					pair[d][cmd.u.nic.dst_device] += cmd.u.nic.size_bytes;
				if (cmd.kind == HLSIM_CMD_WREG &&
				    qi->engine_class == MDL_ENGINE_MME && cmd.u.wreg.count == 1 &&
				    cmd.u.wreg.reg_offset == f->props->launch_reg[MDL_ENGINE_MME])
					(*mme)++;
				off += cmd.size_bytes;
			}
			hlsim_trace_blob_put(t, blob);
		}
	}
	CHECK_EQ_U64(bad, 0);
	hlsim_trace_close(t);
}

/* The span of the devices' CSs in the results of @out, in ps (0 if unreadable). */
static uint64_t span_ps(const char *out)
{
	char path[600];
	hlsim_results_t *r;
	struct hlsim_rec buf[256];
	uint64_t first = 0, t0 = UINT64_MAX, t1 = 0;
	size_t n, i;

	snprintf(path, sizeof(path), "%s/results.h5", out);
	if (hlsim_results_open(path, &r))
		return 0;
	while (!hlsim_results_read(r, first, buf, 256, &n) && n) {
		for (i = 0; i < n; i++) {
			if (buf[i].kind != HLSIM_REC_CS ||
			    hlsim_results_unit(r, buf[i].unit)->kind != HLSIM_UNIT_HOST)
				continue;
			t0 = buf[i].start_ps < t0 ? buf[i].start_ps : t0;
			t1 = buf[i].end_ps > t1 ? buf[i].end_ps : t1;
		}
		first += n;
	}
	hlsim_results_close(r);
	return t1 > t0 ? t1 - t0 : 0;
}

/* Generate, check and run one step; returns its simulated span in ps. */
static uint64_t one(uint32_t n, uint64_t bucket_bytes, const char *tag)
{
	static uint64_t pair[MAXD][MAXD];
	struct trc_gen_dpstep_opts o;
	struct trc_gen_dpstep_stats st;
	char trace[512], out[512], err[4096];
	uint64_t mme, want, t;
	uint32_t a, z;
	int mismatch = 0, rc;

	trc_gen_dpstep_defaults(&o);
	o.devices = n;
	o.layers = 4;
	o.hidden = 1024;
	o.tokens = 2048;
	o.bucket_bytes = bucket_bytes;
	snprintf(trace, sizeof(trace), "%s/%s.h5", dir, tag);
	snprintf(out, sizeof(out), "%s/%s.out", dir, tag);
	rc = trc_gen_dpstep(&o, NULL, trace, "test", &st);
	CHECK_EQ_U64(rc, HLSIM_OK);
	if (rc) {
		fprintf(stderr, "  %s: %s\n", tag, hlsim_last_error_detail());
		return 0;
	}
	CHECK_EQ_U64(st.gemms, 3 * 4 - 1);
	CHECK_EQ_U64(st.grad_bytes, 4ull * 1024 * 1024 * 2);
	/* forward 2 x T x H x H per layer, backward twice that but for dX of the first layer */
	CHECK_EQ_U64(st.flops, 11ull * 2 * 2048 * 1024 * 1024);
	scan(trace, n, pair, &mme);
	CHECK_EQ_U64(mme, st.mme_launches);
	CHECK(mme >= (uint64_t)n * st.gemms);
	for (a = 0; a < n; a++) {
		for (z = 0; z < n; z++) {
			want = a == z ? 0 : 2 * st.grad_bytes / n;
			if (n > 8) /* hierarchical: check the totals only */
				continue;
			if (pair[a][z] != want && mismatch++ < 3)
				fprintf(stderr,
					"  %s: %u -> %u: %" PRIu64 " bytes, expected %" PRIu64 "\n",
					tag, a, z, pair[a][z], want);
		}
	}
	CHECK_EQ_U64(mismatch, 0);
	rc = tb_run(trace, out, "--config gaudi2_hl225", err, sizeof(err));
	CHECK_EQ_U64(rc, 0);
	if (rc) {
		fprintf(stderr, "  %s: %s\n", tag, err);
		return 0;
	}
	t = span_ps(out);
	CHECK(t > 0);
	printf("  %-10s %2u devices, %u buckets (%s): %.3f us\n", tag, n, st.buckets,
	       trc_gen_coll_algo_name(st.algo), (double)t * 1e-6);
	unlink(trace);
	return t;
}

/* Remove @d and everything in it (the runs' outputs). */
static void remove_dir(const char *d)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", d);
}

int main(void)
{
	struct trc_gen_dpstep_opts o;
	uint64_t per_layer, one_bucket;
	char path[512];

	snprintf(dir, sizeof(dir), "/tmp/hlsim_test_gen_coll_dpstep_%d", (int)getpid());
	CHECK(mkdir(dir, 0755) == 0);
	per_layer = one(8, 1, "per_layer"); /* each layer's 2 MiB is its own bucket */
	one_bucket = one(8, 1ull << 40, "one_bucket");
	CHECK(per_layer > 0 && per_layer < one_bucket);
	one(16, 1, "two_boxes");

	snprintf(path, sizeof(path), "%s/err.h5", dir);
	trc_gen_dpstep_defaults(&o);
	o.layers = 0;
	CHECK_EQ_U64(trc_gen_dpstep(&o, NULL, path, NULL, NULL), HLSIM_E_USAGE);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "--layers 0");
	trc_gen_dpstep_defaults(&o);
	o.hidden = 10;
	o.devices = 16; /* 10 x 10 gradients do not split 16 ways */
	CHECK_EQ_U64(trc_gen_dpstep(&o, NULL, path, NULL, NULL), HLSIM_E_USAGE);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "--hidden 10");
	trc_gen_dpstep_defaults(&o);
	o.dtype = "int8";
	CHECK_EQ_U64(trc_gen_dpstep(&o, NULL, path, NULL, NULL), HLSIM_E_USAGE);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "--dtype int8");
	unlink(path);
	remove_dir(dir);
	return check_summary();
}
