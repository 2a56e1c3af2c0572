/*
 * tests/unit/test_cosim_input.c - `hlsim cosim` on bad input (sim/cosim.c).
 *
 * The co-simulation reads what the virtual device sends (traces/interposer/cosim.h). Each
 * case here starts `hlsim cosim` on a socket pair, sends a stream that is wrong in one way,
 * and requires the simulator to stop with a message naming what was wrong (exit status
 * 1, never a crash or a hang: the test gives it 60 s). One good stream, with a CS and a
 * wait, must be answered with the CS's completion, and end with status 0 when the input
 * ends.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hlsim/trace.h"
#include "tests/unit/check.h"
#include "tests/unit/spawn.h"
#include "traces/interposer/cosim.h"

#define WORK "cosim_input.d"

/** struct stream - the bytes one case sends. */
struct stream {
	uint8_t b[8192];
	size_t n;
};

static void put(struct stream *s, const void *p, size_t n)
{
	if (s->n + n <= sizeof(s->b)) {
		memcpy(s->b + s->n, p, n);
		s->n += n;
	}
}

static void msg(struct stream *s, uint32_t type, uint32_t dev, const void *p, size_t n)
{
	struct trc_cosim_head h = { .type = type, .dev = dev, .bytes = n };

	put(s, &h, sizeof(h));
	put(s, p, n);
}

static void hello(struct stream *s)
{
	struct trc_cosim_hello hi = { .magic = TRC_COSIM_MAGIC, .ndev = 1 };

	snprintf(hi.version, sizeof(hi.version), "%s", HLSIM_VERSION_STRING);
	hi.cs_bytes = sizeof(struct hlsim_trace_cs);
	hi.job_bytes = sizeof(struct hlsim_trace_job);
	hi.mem_bytes = sizeof(struct hlsim_trace_mem);
	msg(s, TRC_COSIM_HELLO, 0, &hi, sizeof(hi));
}

/* A Gaudi NOP CB (one packet) as blob @id, and a CS of seq @seq running it on DMA_0_0. */
static void nop_cs(struct stream *s, uint64_t id, uint64_t seq, uint64_t blob_in_job)
{
	uint8_t blob[8 + 8] = { 0 };
	uint32_t nop[2] = { 0, 0xAu << 24 | 1u << 30 }; /* Gaudi NOP (opcode 0xA), RB */
	uint8_t cs_msg[sizeof(struct hlsim_trace_cs) + sizeof(struct hlsim_trace_job)];
	struct hlsim_trace_cs cs = { .seq = seq, .num_jobs = 1, .submit_ns = 1000 };
	struct hlsim_trace_job j = { .queue_id = 0, .cb_size = 8, .blob_id = blob_in_job,
				     .phase = HLSIM_PHASE_EXECUTE };

	memcpy(blob, &id, 8);
	memcpy(blob + 8, nop, 8);
	msg(s, TRC_COSIM_BLOB, 0, blob, sizeof(blob));
	memcpy(cs_msg, &cs, sizeof(cs));
	memcpy(cs_msg + sizeof(cs), &j, sizeof(j));
	msg(s, TRC_COSIM_CS, 0, cs_msg, sizeof(cs_msg));
}

static void wait_msg(struct stream *s, uint64_t seq, uint32_t nseqs)
{
	struct trc_cosim_wait w = { .seq = seq, .nseqs = nseqs };

	w.seqs[0] = seq;
	msg(s, TRC_COSIM_WAIT, 0, &w, sizeof(w));
}

/*
 * Run `hlsim cosim --devices 1` on @s (then the end of input); its exit status, with its
 * output in @log and, if @ans, the first answer read back (-1 if none came).
 */
static int run_cosim(const struct stream *s, const char *log, struct trc_cosim_answer *ans)
{
	char *argv[] = { HLSIM_EXE, "cosim", "--devices", "1", "--workdir", WORK, NULL };
	posix_spawn_file_actions_t fa;
	int sv[2], st = -1, got_ans = 0;
	size_t off = 0, got = 0;
	pid_t pid;
	time_t t0 = time(NULL);

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return -1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, sv[1], 0);
	posix_spawn_file_actions_adddup2(&fa, sv[1], 1);
	posix_spawn_file_actions_addopen(&fa, 2, log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (posix_spawn(&pid, argv[0], &fa, NULL, argv, environ)) {
		posix_spawn_file_actions_destroy(&fa);
		return -1;
	}
	posix_spawn_file_actions_destroy(&fa);
	close(sv[1]);
	while (off < s->n) {
		ssize_t w = send(sv[0], s->b + off, s->n - off, MSG_NOSIGNAL);

		if (w <= 0)
			break; /* it stopped reading: it has found the fault */
		off += (size_t)w;
	}
	if (!ans)
		shutdown(sv[0], SHUT_WR); /* the end of input */
	/* read an answer if one comes, until it closes (or 60 s) */
	for (;;) {
		struct pollfd p = { .fd = sv[0], .events = POLLIN };
		uint8_t buf[512];
		ssize_t r;

		if (time(NULL) - t0 > 60 || poll(&p, 1, 1000) < 0)
			break;
		if (!(p.revents & (POLLIN | POLLHUP)))
			continue;
		r = recv(sv[0], buf, sizeof(buf), 0);
		if (r <= 0)
			break;
		if (ans && !got_ans) {
			size_t k = (size_t)r < sizeof(*ans) - got ? (size_t)r : sizeof(*ans) - got;

			memcpy((uint8_t *)ans + got, buf, k);
			got += k;
			if (got == sizeof(*ans)) {
				got_ans = 1;
				shutdown(sv[0], SHUT_WR); /* the program ends: the end of input */
			}
		}
	}
	close(sv[0]);
	if (time(NULL) - t0 > 60)
		kill(pid, SIGKILL);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (ans && !got_ans)
		ans->magic = 0;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void expect_refused(const char *name, const struct stream *s, const char *why)
{
	char log[256], text[8192];
	int rc;

	snprintf(log, sizeof(log), WORK "/%s.log", name);
	rc = run_cosim(s, log, NULL);
	test_slurp(log, text, sizeof(text));
	fprintf(stderr, "%-12s exit %d: %s", name, rc, text);
	CHECK_EQ_U64(rc, 1);
	CHECK_STR_CONTAINS(text, why);
}

int main(void)
{
	struct trc_cosim_answer a;
	struct stream s;
	char text[8192];
	int rc;

	mkdir(WORK, 0755);

	/* a good stream: the CS's completion comes back, and the end of input ends it */
	memset(&s, 0, sizeof(s));
	hello(&s);
	nop_cs(&s, 0, 1, 0);
	wait_msg(&s, 1, 1);
	rc = run_cosim(&s, WORK "/good.log", &a);
	test_slurp(WORK "/good.log", text, sizeof(text));
	fprintf(stderr, "good         exit %d: %s", rc, text);
	CHECK_EQ_U64(rc, 0);
	CHECK(a.magic == TRC_COSIM_MAGIC && a.n == 1);
	/* submitted at 1000 ns: after it, by the simulated time of a NOP CS */
	CHECK(a.done_ns[0] > 1000 && a.done_ns[0] < 1000 + 1000000);
	CHECK_STR_CONTAINS(text, "answered 1 WAIT_CS");

	memset(&s, 0, sizeof(s));
	put(&s, "not a hello at all, just bytes", 30);
	expect_refused("garbage", &s, "not a hello");

	memset(&s, 0, sizeof(s));
	{
		struct trc_cosim_hello hi = { .magic = TRC_COSIM_MAGIC, .ndev = 1 };

		snprintf(hi.version, sizeof(hi.version), "0.0-other");
		msg(&s, TRC_COSIM_HELLO, 0, &hi, sizeof(hi));
	}
	expect_refused("version", &s, "other record layouts");

	memset(&s, 0, sizeof(s));
	hello(&s);
	nop_cs(&s, 0, 1, 0);
	s.n -= 10; /* the CS message cut short by the end of input */
	expect_refused("truncated", &s, "ends inside a message");

	memset(&s, 0, sizeof(s));
	hello(&s);
	nop_cs(&s, 0, 1, 7); /* its job names blob 7, never sent */
	expect_refused("blob", &s, "names blob 7");

	memset(&s, 0, sizeof(s));
	hello(&s);
	nop_cs(&s, 3, 1, 3); /* blob 3 where blob 0 is due */
	expect_refused("blob_order", &s, "sent where blob 0 was expected");

	memset(&s, 0, sizeof(s));
	hello(&s);
	nop_cs(&s, 0, 1, 0);
	wait_msg(&s, 1, 33);
	expect_refused("wait_seqs", &s, "a wait for 33 CSs");

	memset(&s, 0, sizeof(s));
	hello(&s);
	msg(&s, 99, 0, "", 0);
	expect_refused("type", &s, "message type 99");

	memset(&s, 0, sizeof(s));
	hello(&s);
	msg(&s, TRC_COSIM_BLOB, 5, "12345678", 8);
	expect_refused("device", &s, "for device 5 (1 devices)");

	memset(&s, 0, sizeof(s));
	hello(&s);
	{
		struct trc_cosim_head h = { .type = TRC_COSIM_BLOB, .dev = 0,
					    .bytes = (2ull << 30) };

		put(&s, &h, sizeof(h)); /* a 2 GiB blob: refused before any allocation */
	}
	expect_refused("huge", &s, "a blob message of 2147483648 bytes");

	memset(&s, 0, sizeof(s));
	hello(&s);
	{
		uint8_t cs_msg[sizeof(struct hlsim_trace_cs)];
		struct hlsim_trace_cs cs = { .seq = 1, .num_jobs = 1000000 };

		memcpy(cs_msg, &cs, sizeof(cs));
		msg(&s, TRC_COSIM_CS, 0, cs_msg, sizeof(cs_msg));
	}
	expect_refused("jobs", &s, "with 1000000 jobs");
	return check_summary();
}
