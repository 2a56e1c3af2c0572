/*
 * tests/unit/test_capture_fork.c - the capture's guessed reads and its shared journal.
 *
 * The test runs itself (argv[1] "child") under `hlsim capture --backend vdev`:
 *
 * - guesses: the capture reads a CS's arguments together with the chunk array and CBs
 *   the file's previous CS used (capture.c, cs_read_guess). The program submits CSs whose
 *   CB bytes change between submissions of the same CB and size (the guess holds: the new
 *   bytes must be recorded), whose CB size changes, whose chunk array moves, and whose
 *   chunk count changes (the guess misses); the trace must hold each CS's own bytes;
 * - fork: the program then forks; parent and child (which inherits the journal's shared
 *   mapping and the device file) each submit CSs at the same time, the child exits
 *   normally first. Every record of both must be in the journal (reserved by the atomic
 *   append offset, no record torn or overwritten), the file cut to its used length by the
 *   last process to finish (the parent: "0 bytes dropped (end of file)");
 * - a journal that cannot grow (RLIMIT_FSIZE: posix_fallocate fails as on a full disk):
 *   recording stops with a message, the program runs on to its end, and the trace holds
 *   what was journalled before, without an END record.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <misc/habanalabs.h>

#include "hlsim/cmd.h"
#include "hlsim/trace.h"
#include "models/common/asic.h"
#include "tests/unit/check.h"
#include "tests/unit/spawn.h"
#include "traces/interposer/journal.h"


#define WORK "capture_fork.d"
#define NGUESS 24u /* CSs of the guess phase */
#define NFORK 300u /* CSs each of parent and child after the fork */
#define MAX_CB_BYTES 64u
#define NFULL 30000u /* CSs of the program whose journal cannot grow (~12 MiB of records) */

/*
 * The CB of guess-phase CS @i, job @j (into @out): 1..3 NOPs whose barrier bits vary with
 * @i, so CSs of the same size differ in their bytes. Returns its size, 0 on failure.
 */
static size_t guess_cb(const struct mdl_asic_funcs *f, unsigned int i, unsigned int j,
		       uint8_t *out)
{
	struct hlsim_cmd nop;
	size_t n = 0, k, m;
	unsigned int count = 1 + (i / 2 + j) % 3;

	for (k = 0; k < count; k++) {
		memset(&nop, 0, sizeof(nop));
		nop.kind = HLSIM_CMD_NOP;
		nop.eb = (uint8_t)((i + k) & 1);
		nop.mb = (uint8_t)((i >> 1) & 1);
		nop.rb = 1;
		m = f->encode(&nop, out + n, MAX_CB_BYTES - n);
		if (!m)
			return 0;
		n += m;
	}
	return n;
}

/* Chunks of guess-phase CS @i: 1 or (every fifth) 2. */
static unsigned int guess_jobs(unsigned int i)
{
	return i % 5 == 4 ? 2 : 1;
}

static int submit(int fd, struct hl_cs_chunk *ch, unsigned int n, uint64_t *seq)
{
	union hl_cs_args cs;

	memset(&cs, 0, sizeof(cs));
	cs.in.chunks_execute = (uint64_t)(uintptr_t)ch;
	cs.in.num_chunks_execute = n;
	if (ioctl(fd, HL_IOCTL_CS, &cs))
		return -1;
	*seq = cs.out.seq;
	return 0;
}

static int wait_cs(int fd, uint64_t seq)
{
	union hl_wait_cs_args w;

	memset(&w, 0, sizeof(w));
	w.in.seq = seq;
	w.in.timeout_us = 1000000;
	return ioctl(fd, HL_IOCTL_WAIT_CS, &w) || w.out.status != HL_WAIT_CS_STATUS_COMPLETED;
}

/* NFORK CSs of one NOP on CB @h (size @size), each waited for. */
static int loop(int fd, uint64_t h, uint32_t size)
{
	struct hl_cs_chunk ch;
	uint64_t seq;
	unsigned int i;

	for (i = 0; i < NFORK; i++) {
		memset(&ch, 0, sizeof(ch));
		ch.cb_handle = h;
		ch.queue_index = GAUDI_QUEUE_ID_DMA_0_0;
		ch.cb_size = size;
		if (submit(fd, &ch, 1, &seq) || wait_cs(fd, seq))
			return -1;
	}
	return 0;
}

/* Under the capture library. */
static int child(void)
{
	static struct hl_cs_chunk arr[2][2]; /* two chunk arrays: the guess follows one */
	const struct mdl_asic_funcs *f;
	uint8_t *kcb[2];
	union hl_cb_args cb[2];
	uint64_t seq;
	unsigned int i, j;
	int fd, st;
	pid_t pid;

	if (mdl_asic_by_name("gaudi", &f))
		return 1;
	fd = open("/dev/hl0", O_RDWR);
	if (fd < 0)
		return 1;
	for (j = 0; j < 2; j++) {
		memset(&cb[j], 0, sizeof(cb[j]));
		cb[j].in.op = HL_CB_OP_CREATE;
		cb[j].in.cb_size = 4096;
		if (ioctl(fd, HL_IOCTL_CB, &cb[j]))
			return 1;
		kcb[j] = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
			      (off_t)cb[j].out.cb_handle);
		if (kcb[j] == MAP_FAILED)
			return 1;
	}
	for (i = 0; i < NGUESS; i++) {
		struct hl_cs_chunk *ch = arr[i % 7 == 6]; /* now and then another array */

		for (j = 0; j < guess_jobs(i); j++) {
			size_t n = guess_cb(f, i, j, kcb[j]);

			if (!n)
				return 1;
			memset(&ch[j], 0, sizeof(ch[j]));
			ch[j].cb_handle = cb[j].out.cb_handle;
			ch[j].queue_index = GAUDI_QUEUE_ID_DMA_0_0;
			ch[j].cb_size = (uint32_t)n;
		}
		if (submit(fd, ch, guess_jobs(i), &seq) || wait_cs(fd, seq)) {
			fprintf(stderr, "guess CS %u: %s\n", i, strerror(errno));
			return 1;
		}
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0)
		exit(loop(fd, cb[0].out.cb_handle, 8) ? 3 : 0); /* exit: atexit handlers run */
	if (loop(fd, cb[0].out.cb_handle, 8))
		return 1;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return 1;
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		return 1;
	printf("child: forked child %d submitted %u CSs\n", (int)pid, NFORK);
	return loop(fd, cb[0].out.cb_handle, 8) ? 1 : 0; /* the parent goes on */
}

/*
 * Under the capture library: once the journal has its first allocation, files may grow no
 * further (RLIMIT_FSIZE, SIGXFSZ ignored), so the journal's next posix_fallocate fails
 * (EFBIG, as ENOSPC would): recording must stop with a message and the program go on.
 */
static int child_full(void)
{
	const char *jpath = getenv("HLSIM_CAPTURE_JOURNAL");
	const struct mdl_asic_funcs *f;
	union hl_cb_args cb;
	struct hl_cs_chunk ch;
	struct rlimit rl;
	struct stat st;
	uint8_t *kcb;
	uint64_t seq;
	size_t n;
	unsigned int i;
	int fd;

	if (mdl_asic_by_name("gaudi", &f) || !jpath)
		return 1;
	fd = open("/dev/hl0", O_RDWR);
	if (fd < 0)
		return 1;
	memset(&cb, 0, sizeof(cb));
	cb.in.op = HL_CB_OP_CREATE;
	cb.in.cb_size = 4096;
	if (ioctl(fd, HL_IOCTL_CB, &cb))
		return 1;
	kcb = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)cb.out.cb_handle);
	if (kcb == MAP_FAILED)
		return 1;
	n = guess_cb(f, 0, 0, kcb);
	if (!n || stat(jpath, &st))
		return 1;
	signal(SIGXFSZ, SIG_IGN);
	rl.rlim_cur = rl.rlim_max = (rlim_t)st.st_size;
	if (setrlimit(RLIMIT_FSIZE, &rl))
		return 1;
	for (i = 0; i < NFULL; i++) {
		memset(&ch, 0, sizeof(ch));
		ch.cb_handle = cb.out.cb_handle;
		ch.queue_index = GAUDI_QUEUE_ID_DMA_0_0;
		ch.cb_size = (uint32_t)n;
		if (submit(fd, &ch, 1, &seq) || wait_cs(fd, seq))
			return 1;
	}
	printf("child-full: %u CSs submitted with a journal of at most %lld bytes\n", NFULL,
	       (long long)st.st_size);
	return 0;
}

/* The journal cannot grow: the program runs on, the trace has what was journalled. */
static void test_full(char *self)
{
	char *cap[] = { HLSIM_EXE, "capture", "--backend", "vdev", "-o", WORK "/full.h5", "--",
			self, "child-full", NULL };
	char text[8192];
	struct trc_jnl_stats st;
	int rc;

	rc = test_spawn(cap, NULL, 0, WORK "/full.log");
	test_slurp(WORK "/full.log", text, sizeof(text));
	if (rc)
		fprintf(stderr, "%s", text);
	CHECK_EQ_U64(rc, 0);
	CHECK_STR_CONTAINS(text, "child-full: ");
	CHECK_STR_CONTAINS(text, "cannot allocate space (posix_fallocate)");
	CHECK_STR_CONTAINS(text, "recording stops here (the program goes on");
	CHECK_STR_CONTAINS(text, "no END record");
	CHECK(!trc_jnl_scan(WORK "/full.h5.journal", &st));
	CHECK(st.cs_ok > 1000 && st.cs_ok < NFULL);
	CHECK_EQ_U64(st.dropped_bytes, 0);
	CHECK(!st.ended);
	fprintf(stderr, "journal unable to grow: %llu of %u CSs journalled, the program ran "
			"on\n", (unsigned long long)st.cs_ok, NFULL);
}

/* Job @j of CS row @row holds @n bytes equal to @want. */
static int job_is(hlsim_trace_t *t, uint64_t row, uint32_t j, const uint8_t *want, size_t n)
{
	struct hlsim_trace_cs cs;
	struct hlsim_trace_job job;
	const struct hlsim_blob *b;
	int ok;

	if (hlsim_trace_read_cs(t, 0, row, &cs) ||
	    hlsim_trace_read_job(t, 0, cs.first_job + j, &job) ||
	    job.blob_id == HLSIM_TRACE_NO_BLOB || hlsim_trace_blob_get(t, 0, job.blob_id, &b))
		return 0;
	ok = job.cb_size == n && b->size == n && !memcmp(b->bytes, want, n);
	hlsim_trace_blob_put(t, b);
	return ok;
}

int main(int argc, char **argv)
{
	char self[PATH_MAX], text[8192];
	char *cap[] = { HLSIM_EXE, "capture", "--backend", "vdev", "-o", WORK "/fork.h5", "--",
			self, "child", NULL };
	const struct mdl_asic_funcs *f = NULL;
	struct hlsim_trace_counts c = { 0 };
	struct trc_jnl_stats st;
	uint8_t want[MAX_CB_BYTES];
	hlsim_trace_t *t = NULL;
	unsigned int i, j, bad = 0;
	ssize_t n;
	int rc;

	if (argc == 2 && !strcmp(argv[1], "child"))
		return child();
	if (argc == 2 && !strcmp(argv[1], "child-full"))
		return child_full();
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	CHECK(n > 0);
	if (n <= 0)
		return check_summary();
	self[n] = '\0';
	mkdir(WORK, 0755);
	/*
	 * As tests/CMakeLists.txt sets for the other capture tests (this one has no entry
	 * there): a sanitizer build's runtime must not insist on coming first in LD_PRELOAD,
	 * and the virtual device finds the chip configurations.
	 */
	setenv("ASAN_OPTIONS", "verify_asan_link_order=0", 0);
	setenv("HLSIM_CONFIG_DIR", HLSIM_TEST_DATA_DIR "/../../models/configs", 0);
	rc = test_spawn(cap, NULL, 0, WORK "/fork.log");
	test_slurp(WORK "/fork.log", text, sizeof(text));
	if (rc)
		fprintf(stderr, "%s", text);
	CHECK_EQ_U64(rc, 0);
	CHECK_STR_CONTAINS(text, "forked child");
	CHECK_STR_CONTAINS(text, "0 bytes dropped (end of file)");
	CHECK(!trc_jnl_scan(WORK "/fork.h5.journal", &st));
	CHECK_EQ_U64(st.cs_ok, NGUESS + 3 * NFORK);
	CHECK_EQ_U64(st.waits, NGUESS + 3 * NFORK);
	CHECK_EQ_U64(st.dropped_bytes, 0);
	CHECK_EQ_U64(st.zero_tail_bytes, 0);
	CHECK(st.ended);
	CHECK(!hlsim_trace_open(WORK "/fork.h5", &t));
	CHECK(!mdl_asic_by_name("gaudi", &f));
	if (!t || !f)
		goto out;
	CHECK(!hlsim_trace_counts(t, 0, &c));
	CHECK_EQ_U64(c.cs, NGUESS + 3 * NFORK);
	CHECK_EQ_U64(c.waits, NGUESS + 3 * NFORK);
	/* the guess phase: each CS with its own bytes, hit or miss */
	for (i = 0; i < NGUESS; i++)
		for (j = 0; j < guess_jobs(i); j++)
			bad += !job_is(t, i, j, want, guess_cb(f, i, j, want));
	CHECK_EQ_U64(bad, 0);
	fprintf(stderr, "%u CSs with changing CBs, chunk arrays and counts recorded as "
			"submitted; %u CSs of parent and forked child all journalled\n", NGUESS,
		3 * NFORK);
out:
	hlsim_trace_close(t);
	test_full(self);
	return check_summary();
}
