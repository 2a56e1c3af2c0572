/*
 * tests/unit/test_vdev_cosim.c - WAIT_CS times from the simulator (issue 8: "completion
 * times come from the simulator").
 *
 * Runs tests/vdev_prog (a program written against <misc/habanalabs.h> alone) in many of
 * its modes under `hlsim vdev`, which co-simulates by default (`hlsim cosim`, sim/cosim.c)
 * and then replays the recorded trace with `hlsim run`. For every single-CS WAIT_CS that
 * reported a timestamp, the timestamp the program was given must be exactly the CS's
 * submission time plus the simulated time from submission to completion that the replay
 * wrote into results.h5 (its HLSIM_REC_CS row), in whole ns. Multi-CS waits must report
 * the earliest such completion among the CSs they name. With --timing estimate (the
 * executor's own estimate) the same check must fail, so the check has teeth.
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
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <misc/habanalabs.h>

#include "hlsim/results.h"
#include "hlsim/trace.h"
#include "tests/unit/check.h"
#include "tests/unit/spawn.h"

#define WORK "vdev_cosim.d"

static char prog[PATH_MAX + 32];

/* Run `hlsim vdev [@opt1 @opt2 @opt3] -o @dir -- vdev_prog @mode [@arg]`, output to @dir.log. */
static int run_vdev(const char *dir, const char *mode, const char *arg, const char *opt1,
		    const char *opt2, const char *opt3)
{
	char log[PATH_MAX];
	char *argv[16];
	int n = 0;

	snprintf(log, sizeof(log), "%s.log", dir);
	argv[n++] = HLSIM_EXE;
	argv[n++] = "vdev";
	if (opt1)
		argv[n++] = (char *)opt1;
	if (opt2)
		argv[n++] = (char *)opt2;
	if (opt3)
		argv[n++] = (char *)opt3;
	argv[n++] = "-o";
	argv[n++] = (char *)dir;
	argv[n++] = "--";
	argv[n++] = prog;
	argv[n++] = (char *)mode;
	if (arg)
		argv[n++] = (char *)arg;
	argv[n] = NULL;
	return test_spawn(argv, NULL, 0, log);
}

/*
 * vdev_prog @mode under the library alone (no `hlsim vdev`), with HLSIM_VDEV_COSIM=@cosim
 * (a program that is not the simulator): its exit status; its output in @log.
 */
static int run_with_cosim(const char *cosim, const char *mode, const char *log)
{
	char lib[PATH_MAX + 32], ev_lib[PATH_MAX + 64], ev_co[PATH_MAX + 32];
	char *argv[] = { prog, (char *)mode, NULL };
	char *set[] = { ev_lib, ev_co, "HLSIM_VDEV_TRACE=" WORK "/fallback.h5",
			"ASAN_OPTIONS=verify_asan_link_order=0" };
	char *slash;

	snprintf(lib, sizeof(lib), "%s", HLSIM_EXE);
	slash = strrchr(lib, '/');
	if (slash)
		*slash = '\0';
	snprintf(ev_lib, sizeof(ev_lib), "LD_PRELOAD=%s/libhlsim_preload.so", lib);
	snprintf(ev_co, sizeof(ev_co), "HLSIM_VDEV_COSIM=%s", cosim);
	return test_spawn(argv, set, 4, log);
}

static int file_has(const char *path, const char *needle)
{
	static char buf[65536];

	test_slurp(path, buf, sizeof(buf));
	return strstr(buf, needle) != NULL;
}

/* One replayed CS: its device, seq, and simulated submission and completion. */
struct done {
	uint32_t dev;
	uint64_t seq, start_ps, end_ps;
};

struct tally {
	uint64_t checked, equal, multi_checked, multi_equal;
	uint64_t near; /* within 10 % of the replay's time from submission to completion */
};

/* The HLSIM_REC_CS rows of @res, in *@out (caller frees). */
static size_t replayed_cs(const char *res, struct done **out)
{
	hlsim_results_t *r = NULL;
	struct hlsim_rec buf[256];
	size_t n = 0, cap = 0, got, i;
	uint64_t row = 0;
	struct done *v = NULL;

	*out = NULL;
	if (hlsim_results_open(res, &r)) {
		CHECK(!"results open");
		return 0;
	}
	while (!hlsim_results_read(r, row, buf, 256, &got) && got) {
		for (i = 0; i < got; i++) {
			const struct hlsim_unit *u = hlsim_results_unit(r, buf[i].unit);

			if (buf[i].kind != HLSIM_REC_CS || !u)
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 64;
				v = realloc(v, cap * sizeof(*v));
				if (!v)
					abort();
			}
			v[n++] = (struct done){ u->device, buf[i].cs_seq, buf[i].start_ps,
						buf[i].end_ps };
		}
		row += got;
	}
	hlsim_results_close(r);
	*out = v;
	return n;
}

/* What the program must have been told for CS @seq of @dev: -1 if it was not replayed. */
static int64_t expected_ns(hlsim_trace_t *t, const struct done *v, size_t nv, uint32_t dev,
			   uint64_t seq)
{
	struct hlsim_trace_counts c;
	struct hlsim_trace_cs cs;
	uint64_t i;
	size_t k, best;

	if (hlsim_trace_counts(t, dev, &c))
		return -1;
	for (i = 0; i < c.cs; i++) {
		if (hlsim_trace_read_cs(t, dev, i, &cs) || cs.seq != seq)
			continue;
		/* a staged submission completes with its LAST part (the following rows) */
		while ((cs.flags & HL_CS_FLAGS_STAGED_SUBMISSION) &&
		       !(cs.flags & HL_CS_FLAGS_STAGED_SUBMISSION_LAST) && ++i < c.cs)
			if (hlsim_trace_read_cs(t, dev, i, &cs))
				return -1;
		/* its parts share the seq: the LAST part is the one submitted last */
		for (k = 0, best = nv; k < nv; k++)
			if (v[k].dev == dev && v[k].seq == cs.seq &&
			    (best == nv || v[k].start_ps >= v[best].start_ps))
				best = k;
		if (best < nv)
			return cs.submit_ns + (int64_t)((v[best].end_ps - v[best].start_ps) / 1000);
	}
	return -1;
}

/* Compare every timestamped WAIT_CS of @dir's trace with the replay. */
static void compare(const char *dir, struct tally *ty, int verbose)
{
	char path[PATH_MAX], res[PATH_MAX];
	hlsim_trace_t *t = NULL;
	struct done *v = NULL;
	size_t nv;
	uint32_t d;

	snprintf(path, sizeof(path), "%s/trace.h5", dir);
	snprintf(res, sizeof(res), "%s/results.h5", dir);
	if (hlsim_trace_open(path, &t)) {
		CHECK(!"trace open");
		return;
	}
	nv = replayed_cs(res, &v);
	for (d = 0; d < hlsim_trace_num_devices(t); d++) {
		struct hlsim_trace_counts c;
		struct hlsim_trace_wait w;
		uint64_t i;

		if (hlsim_trace_counts(t, d, &c))
			continue;
		for (i = 0; i < c.waits; i++) {
			int64_t want;

			if (hlsim_trace_read_wait(t, d, i, &w) || w.rc ||
			    w.status != HL_WAIT_CS_STATUS_COMPLETED ||
			    !(w.out_flags & HL_WAIT_CS_STATUS_FLAG_TIMESTAMP_VLD))
				continue;
			if (w.flags & HL_WAIT_CS_FLAGS_MULTI_CS) {
				/* the earliest completion is at or before the recorded seq's */
				want = expected_ns(t, v, nv, d, w.seq);
				ty->multi_checked++;
				ty->multi_equal += want >= 0 && w.timestamp_ns <= want;
				continue;
			}
			want = expected_ns(t, v, nv, d, w.seq);
			ty->checked++;
			ty->equal += w.timestamp_ns == want;
			if (want >= 0) {
				struct hlsim_trace_cs cs;
				int64_t lat = 0, diff = w.timestamp_ns - want;
				uint64_t k;

				for (k = 0; k < c.cs; k++)
					if (!hlsim_trace_read_cs(t, d, k, &cs) && cs.seq == w.seq) {
						lat = want - cs.submit_ns;
						break;
					}
				ty->near += (diff < 0 ? -diff : diff) * 10 <= lat;
			}
			if (verbose && w.timestamp_ns != want)
				fprintf(stderr, "%s: device %u wait %" PRIu64 " (CS seq %" PRIu64
						"): told %" PRId64 " ns, the replay says %" PRId64
						" (%+" PRId64 ")\n",
					dir, d, i, w.seq, w.timestamp_ns, want,
					w.timestamp_ns - want);
		}
	}
	free(v);
	hlsim_trace_close(t);
}

int main(void)
{
	static const struct {
		const char *mode, *arg, *config;
	} modes[] = {
		{ "main", NULL, NULL },	      { "data", NULL, NULL },	  { "loop", "300", NULL },
		{ "multi", NULL, NULL },      { "signal", NULL, NULL },	  { "staged", NULL, NULL },
		{ "encaps", NULL, NULL },     { "g2nop", NULL, "gaudi2_hl225" },
		{ "g2data", NULL, "gaudi2_hl225" }, { "g2signal", NULL, "gaudi2_hl225" },
		{ "g2ping", NULL, "gaudi2_hl225" }, { "accel", NULL, NULL },
		{ "syscall", NULL, NULL },   { "threads", NULL, NULL },
	};
	struct tally all = { 0 }, est = { 0 };
	char dir[PATH_MAX], *slash;
	size_t i;

	snprintf(prog, sizeof(prog), "%s", HLSIM_EXE);
	slash = strrchr(prog, '/');
	if (slash)
		*slash = '\0';
	strcat(prog, "/tests/vdev_prog");
	mkdir(WORK, 0755);
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		struct tally ty = { 0 };
		int rc;

		snprintf(dir, sizeof(dir), WORK "/%s", modes[i].mode);
		rc = run_vdev(dir, modes[i].mode, modes[i].arg, modes[i].config ? "--config" : NULL,
			      modes[i].config, NULL);
		CHECK_EQ_U64(rc, 0);
		compare(dir, &ty, 1);
		fprintf(stderr, "%-8s %" PRIu64 " of %" PRIu64 " single waits and %" PRIu64
				" of %" PRIu64 " multi-CS waits as the replay\n",
			modes[i].mode, ty.equal, ty.checked, ty.multi_equal, ty.multi_checked);
		CHECK_EQ_U64(ty.equal, ty.checked);
		CHECK_EQ_U64(ty.multi_equal, ty.multi_checked);
		all.checked += ty.checked;
		all.equal += ty.equal;
		all.multi_checked += ty.multi_checked;
	}
	/* the loop alone has 300 timestamped waits: the check is not vacuous */
	CHECK(all.checked >= 300);
	CHECK(all.multi_checked >= 1);

	/*
	 * Two devices: one simulation of both, whose hosts follow the program's order (a
	 * submission to one device after a wait on the other comes after that wait's end), as
	 * the replay `hlsim vdev` makes (host.order = program): the same times again. The
	 * replay with each device's host on its own timeline (host.order = device) differs.
	 */
	{
		struct tally ty = { 0 }, dv = { 0 };
		char *run_argv[] = { HLSIM_EXE, "run", WORK "/devices/trace.h5", "--set",
				     "host.order=device", "-o", WORK "/devices", "--no-plot", NULL };
		CHECK_EQ_U64(run_vdev(WORK "/devices", "devices", NULL, "--devices", "2", NULL), 0);
		compare(WORK "/devices", &ty, 1);
		fprintf(stderr, "devices  %" PRIu64 " of %" PRIu64 " waits as the replay\n",
			ty.equal, ty.checked);
		CHECK_EQ_U64(ty.checked, 2);
		CHECK_EQ_U64(ty.equal, ty.checked);
		/* the same trace replayed with a timeline per device: not what the program saw */
		CHECK_EQ_U64(test_spawn(run_argv, NULL, 0, WORK "/devices-device.log"), 0);
		compare(WORK "/devices", &dv, 0);
		fprintf(stderr, "devices  host.order = device: %" PRIu64 " of %" PRIu64
				" waits as that replay, %" PRIu64 " within 10 %%\n",
			dv.equal, dv.checked, dv.near);
		CHECK_EQ_U64(dv.checked, 2);
		CHECK(dv.equal < dv.checked);
		CHECK_EQ_U64(dv.near, dv.checked);
	}

	/*
	 * A simulator that dies at once (/bin/false), answers garbage (a script that echoes
	 * the messages back) or is not there: the program goes on with the estimates, told
	 * once.
	 */
	CHECK_EQ_U64(run_with_cosim("/bin/false", "main", WORK "/false.log"), 0);
	CHECK(file_has(WORK "/false.log", "vdev_prog main: ok"));
	CHECK(file_has(WORK "/false.log", "the co-simulation has ended"));
	{
		FILE *f = fopen(WORK "/echo.sh", "w");

		CHECK(f != NULL);
		if (f) {
			fputs("#!/bin/sh\nexec cat\n", f);
			fclose(f);
		}
		chmod(WORK "/echo.sh", 0755);
	}
	CHECK_EQ_U64(run_with_cosim(WORK "/echo.sh", "multi", WORK "/cat.log"), 0);
	CHECK(file_has(WORK "/cat.log", "vdev_prog multi: ok"));
	CHECK(file_has(WORK "/cat.log", "the co-simulation has ended (a malformed answer)"));
	CHECK_EQ_U64(run_with_cosim("/nonexistent/hlsim", "main", WORK "/none.log"), 0);
	CHECK(file_has(WORK "/none.log", "cannot start the co-simulation"));

	/* the executor's estimate is not the simulator: the same check sees it */
	CHECK_EQ_U64(run_vdev(WORK "/estimate", "loop", "50", "--timing", "estimate", NULL), 0);
	compare(WORK "/estimate", &est, 0);
	fprintf(stderr, "--timing estimate: %" PRIu64 " of %" PRIu64 " waits as the replay\n",
		est.equal, est.checked);
	CHECK(est.checked >= 50);
	CHECK(est.equal < est.checked);
	return check_summary();
}
