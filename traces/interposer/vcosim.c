/*
 * traces/interposer/vcosim.c - the virtual device's side of the co-simulation (vcosim.h).
 *
 * `hlsim cosim` runs as a child of the program, started with posix_spawn (no fork of a
 * threaded program), without LD_PRELOAD, on one end of a stream socket pair that is its
 * standard input and output. Messages go with MSG_NOSIGNAL, so a simulator that died
 * makes a send fail instead of killing the program with SIGPIPE; any failure ends the
 * co-simulation with one message, and the waits fall back to the executor's estimates.
 * A forked child closes its copy of the socket (pthread_atfork), so that the simulator
 * sees the end of its input when the process that started it ends.
 */
#define _GNU_SOURCE
/* non-blocking reads of the answer before a blocking one (about 50 us): not a device fact */
#define CO_POLLS 200u
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "traces/interposer/cosim.h"
#include "traces/interposer/vcosim.h"

extern char **environ;

static struct {
	int fd; /* -1: off */
	pid_t owner; /* the process that started it */
	pid_t child;
	uint32_t ndev;
	uint64_t *blobs_sent; /* per device: blobs 0 .. n-1 have been sent */
	int atfork;
} g_co = { .fd = -1 };

static void co_off(const char *why)
{
	if (g_co.fd < 0)
		return;
	close(g_co.fd);
	g_co.fd = -1;
	if (why)
		fprintf(stderr, "hlsim vdev: the co-simulation has ended (%s): WAIT_CS times are "
				"the virtual device's own estimates from here on\n",
			why);
}

static int co_on(void)
{
	return g_co.fd >= 0 && g_co.owner == getpid();
}

static void co_child_after_fork(void)
{
	if (g_co.fd >= 0)
		close(g_co.fd);
	g_co.fd = -1;
}

/* Send one message: the head, then @n parts. */
static int co_send(uint32_t type, uint32_t dev, const struct iovec *parts, int n)
{
	struct iovec iov[4];
	struct trc_cosim_head h = { .type = type, .dev = dev };
	struct msghdr mh = { 0 };
	size_t left;
	int i;

	iov[0] = (struct iovec){ &h, sizeof(h) };
	for (i = 0; i < n; i++) {
		iov[i + 1] = parts[i];
		h.bytes += parts[i].iov_len;
	}
	left = sizeof(h) + h.bytes;
	mh.msg_iov = iov;
	mh.msg_iovlen = (size_t)n + 1;
	while (left) {
		ssize_t w = sendmsg(g_co.fd, &mh, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			co_off(strerror(errno));
			return -1;
		}
		left -= (size_t)w;
		/* skip what went */
		while (mh.msg_iovlen && (size_t)w >= mh.msg_iov[0].iov_len) {
			w -= (ssize_t)mh.msg_iov[0].iov_len;
			mh.msg_iov++;
			mh.msg_iovlen--;
		}
		if (mh.msg_iovlen) {
			mh.msg_iov[0].iov_base = (uint8_t *)mh.msg_iov[0].iov_base + w;
			mh.msg_iov[0].iov_len -= (size_t)w;
		}
	}
	return 0;
}

/* environ without LD_PRELOAD and HLSIM_VDEV_*: the simulator is not a program to serve. */
static char **co_env(void)
{
	size_t n = 0, m = 0, i;
	char **e;

	while (environ[n])
		n++;
	e = calloc(n + 1, sizeof(*e));
	if (!e)
		return NULL;
	for (i = 0; i < n; i++)
		if (strncmp(environ[i], "LD_PRELOAD=", 11) && strncmp(environ[i], "HLSIM_VDEV_", 11))
			e[m++] = environ[i];
	return e;
}

void trc_vcosim_start(uint32_t ndev, const char *trace_path)
{
	const char *exe = getenv("HLSIM_VDEV_COSIM"), *cfg = getenv("HLSIM_VDEV_CONFIG");
	char dir[PATH_MAX], devs[16], *slash, *argv[10], **env = NULL;
	struct trc_cosim_hello hi = { .magic = TRC_COSIM_MAGIC, .ndev = ndev };
	posix_spawn_file_actions_t fa;
	struct iovec part = { &hi, sizeof(hi) };
	int sv[2], n = 0, rc;

	if (!exe || !*exe || g_co.fd >= 0 || !trace_path)
		return;
	if (snprintf(dir, sizeof(dir), "%s", trace_path) >= (int)sizeof(dir))
		return;
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	else
		snprintf(dir, sizeof(dir), ".");
	g_co.blobs_sent = calloc(ndev, sizeof(*g_co.blobs_sent));
	env = co_env();
	if (!g_co.blobs_sent || !env) {
		fprintf(stderr, "hlsim vdev: no memory to start the co-simulation: WAIT_CS times "
				"are the virtual device's own estimates\n");
		free(env);
		return;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv)) {
		fprintf(stderr, "hlsim vdev: cannot start the co-simulation (socketpair: %s): "
				"WAIT_CS times are the virtual device's own estimates\n",
			strerror(errno));
		free(env);
		return;
	}
	snprintf(devs, sizeof(devs), "%u", ndev);
	argv[n++] = (char *)exe;
	argv[n++] = "cosim";
	argv[n++] = "--devices";
	argv[n++] = devs;
	argv[n++] = "--workdir";
	argv[n++] = dir;
	if (cfg && *cfg) {
		argv[n++] = "--config";
		argv[n++] = (char *)cfg;
	}
	argv[n] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, sv[1], 0);
	posix_spawn_file_actions_adddup2(&fa, sv[1], 1);
	rc = posix_spawn(&g_co.child, exe, &fa, NULL, argv, env);
	posix_spawn_file_actions_destroy(&fa);
	free(env);
	close(sv[1]);
	if (rc) {
		close(sv[0]);
		fprintf(stderr, "hlsim vdev: cannot start the co-simulation (%s: %s): WAIT_CS "
				"times are the virtual device's own estimates\n",
			exe, strerror(rc));
		return;
	}
	g_co.fd = sv[0];
	g_co.owner = getpid();
	g_co.ndev = ndev;
	if (!g_co.atfork) {
		pthread_atfork(NULL, NULL, co_child_after_fork);
		g_co.atfork = 1;
	}
	snprintf(hi.version, sizeof(hi.version), "%s", HLSIM_VERSION_STRING);
	hi.cs_bytes = sizeof(struct hlsim_trace_cs);
	hi.job_bytes = sizeof(struct hlsim_trace_job);
	hi.mem_bytes = sizeof(struct hlsim_trace_mem);
	co_send(TRC_COSIM_HELLO, 0, &part, 1);
}

void trc_vcosim_stop(const char *why)
{
	int st;

	if (g_co.owner != getpid())
		return;
	co_off(why);
	if (g_co.child > 0) {
		while (waitpid(g_co.child, &st, 0) < 0 && errno == EINTR)
			;
		g_co.child = 0;
	}
}

void trc_vcosim_blob(uint32_t dev, uint64_t id, const void *bytes, uint64_t size)
{
	struct iovec parts[2] = { { &id, sizeof(id) }, { (void *)bytes, size } };

	if (!co_on() || dev >= g_co.ndev || id < g_co.blobs_sent[dev])
		return; /* off, or a blob sent before (the trace stores each content once) */
	if (id != g_co.blobs_sent[dev]) {
		co_off("the trace's blob numbering skipped one");
		return;
	}
	if (!co_send(TRC_COSIM_BLOB, dev, parts, 2))
		g_co.blobs_sent[dev]++;
}

void trc_vcosim_mem(uint32_t dev, const struct hlsim_trace_mem *m)
{
	struct iovec part = { (void *)m, sizeof(*m) };

	if (co_on())
		co_send(TRC_COSIM_MEM, dev, &part, 1);
}

void trc_vcosim_cs(uint32_t dev, const struct hlsim_trace_cs *cs, const struct hlsim_trace_job *jobs,
		   uint32_t n)
{
	struct iovec parts[2] = { { (void *)cs, sizeof(*cs) },
				  { (void *)jobs, (size_t)n * sizeof(*jobs) } };

	if (co_on())
		co_send(TRC_COSIM_CS, dev, parts, n ? 2 : 1);
}

int trc_vcosim_wait(uint32_t dev, uint64_t seq, const uint64_t *seqs, uint32_t n,
		    int64_t *done_ns)
{
	struct trc_cosim_wait w = { .seq = seq, .nseqs = n };
	struct trc_cosim_answer a;
	struct iovec part = { &w, sizeof(w) };
	size_t got = 0;
	uint32_t i, polls = 0;

	if (!co_on() || n > TRC_COSIM_MAX_SEQS)
		return -1;
	memcpy(w.seqs, seqs, (size_t)n * sizeof(*seqs));
	if (co_send(TRC_COSIM_WAIT, dev, &part, 1))
		return -1;
	while (got < sizeof(a)) {
		/* poll a while first: a short simulation answers sooner than a wake-up from sleep */
		ssize_t r = recv(g_co.fd, (uint8_t *)&a + got, sizeof(a) - got,
				 polls < CO_POLLS ? MSG_DONTWAIT : 0);

		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			polls++;
			continue;
		}
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			co_off(r ? strerror(errno) : "the simulator stopped; see its message above");
			return -1;
		}
		got += (size_t)r;
	}
	if (a.magic != TRC_COSIM_MAGIC || a.n != n) {
		co_off("a malformed answer");
		return -1;
	}
	for (i = 0; i < n; i++)
		done_ns[i] = a.done_ns[i];
	return 0;
}
