/*
 * tests/perf/bench_coll.c - collectives through the whole simulator, reported in hccl_demo's
 * terms (CALIBRATION.md item 2): each case is generated in this process with trc_gen_coll()
 * (traces/gen/gen_coll.c) and replayed by the hlsim command as a child process.
 *
 *   bench_coll [calib] [sweep] [cards] [scale [DEVICES]] [-x ring|hd|auto] [-s SLICE]
 *              [-d DIR]
 *
 *   calib   8 x Gaudi2 all-reduce of 32 MiB fp32: simulated time, algbw, busbw and the
 *           ratio to the measured 0.227 ms (exit status 1 if off by more than 5%);
 *   sweep   8 x Gaudi2 all-reduce from 1 KiB to 1 GiB (powers of 2), one table row each;
 *   cards   2, 4 and 8 Gaudi2 cards of one box at 256 MiB;
 *   scale   a 1024-device (128 boxes) all-reduce of 32 MiB (or DEVICES, whole boxes):
 *           wall time and peak RSS of the generation and of the simulation.
 * -x picks the phase across boxes of the hierarchical cases (--scaleout-algo; default auto),
 * -s the slice of the scale case in bytes (--slice-bytes; default 0: automatic).
 * Without a case name: calib, sweep and cards (scale needs a lot of memory: ask for it).
 * DIR holds the traces and results (default /tmp/hlsim_bench_coll_PID; traces are removed
 * after each run).
 *
 * The time of one operation is the span of the devices' CSs, from the first submission to
 * the last completion (the host's submission overhead is before it: in hccl_demo's loop of
 * back-to-back operations it overlaps the previous operation). algbw = bytes per rank /
 * time, busbw = algbw x 2(n-1)/n for all-reduce.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hlsim/results.h"
#include "traces/gen/gen_coll.h"

#define MEASURED_S 227e-6 /* CALIBRATION.md item 2 */

static char dir[512];
static uint32_t xalgo; /* enum trc_gen_coll_xalgo of the hierarchical cases */
static uint64_t scale_slice_bytes; /* --slice-bytes of the scale case (0: automatic) */

/* What one case cost and gave. */
struct outcome {
	double time_s; /* one operation, simulated */
	double gen_wall_s, sim_wall_s; /* wall clock of the generation and of `hlsim run` */
	double loop_wall_s; /* of the simulation loop alone (run_info) */
	double setup_sim_wall_s; /* of sim_run: trace, platform, loop, results (not the report) */
	uint64_t sim_rss_bytes; /* peak RSS of the hlsim run */
	uint64_t activities; /* SimGrid activities of the hlsim run */
	uint64_t slice_bytes;
	uint32_t algo, scaleout_algo;
	int ok;
};

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static double self_rss_mib(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_maxrss / 1024.0;
}

/*
 * From OUT.log: hlsim run's wall time of sim_run (reading the trace, building the platform,
 * the loop, writing the results; not the report), or -1 if the speed line lacks it.
 */
static double log_run_wall(const char *out)
{
	char path[800], line[1024];
	double v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s.log", out);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *p = strstr(line, " s wall with reading");
		char *q;

		if (!p || strncmp(line, "speed:", 6))
			continue;
		*p = 0;
		q = strrchr(line, ' ');
		if (q)
			v = strtod(q + 1, NULL);
	}
	fclose(f);
	return v;
}

/* The span of the devices' CS records and the run's peak RSS, from DIR/results.h5. */
static int read_results(const char *out, struct outcome *oc)
{
	char path[800];
	hlsim_results_t *r;
	struct hlsim_rec buf[512];
	uint64_t first = 0, t0 = UINT64_MAX, t1 = 0;
	size_t n, i;

	snprintf(path, sizeof(path), "%s/results.h5", out);
	if (hlsim_results_open(path, &r)) {
		fprintf(stderr, "bench_coll: %s\n", hlsim_last_error_detail());
		return -1;
	}
	while (!hlsim_results_read(r, first, buf, 512, &n) && n) {
		for (i = 0; i < n; i++) {
			if (buf[i].kind != HLSIM_REC_CS ||
			    hlsim_results_unit(r, buf[i].unit)->kind != HLSIM_UNIT_HOST)
				continue;
			t0 = buf[i].start_ps < t0 ? buf[i].start_ps : t0;
			t1 = buf[i].end_ps > t1 ? buf[i].end_ps : t1;
		}
		first += n;
	}
	oc->sim_rss_bytes = hlsim_results_run_info(r)->peak_rss_bytes;
	oc->activities = hlsim_results_run_info(r)->activities;
	oc->loop_wall_s = hlsim_results_run_info(r)->wall_s;
	hlsim_results_close(r);
	if (t1 <= t0)
		return -1;
	oc->time_s = (double)(t1 - t0) * 1e-12;
	return 0;
}

/* Generate and simulate one all-reduce of @bytes on @n Gaudi2 cards in slices of @slice. */
static struct outcome run_case(uint32_t n, uint64_t bytes, uint64_t slice, const char *tag)
{
	struct trc_gen_coll_opts o;
	struct trc_gen_coll_stats st;
	struct outcome oc;
	char trace[700], out[700], cmd[2400];
	double t;
	int s;

	memset(&oc, 0, sizeof(oc));
	trc_gen_coll_defaults(&o);
	o.devices = n;
	o.bytes = bytes;
	o.slice_bytes = slice;
	if (n > 8) /* the hierarchical cases: HLS-Gaudi2 boxes of 8 */
		o.scaleout_algo = xalgo;
	snprintf(trace, sizeof(trace), "%s/%s.h5", dir, tag);
	snprintf(out, sizeof(out), "%s/%s.out", dir, tag);
	t = now_s();
	if (trc_gen_coll(&o, NULL, trace, "bench_coll", &st)) {
		fprintf(stderr, "bench_coll: %s: %s\n", tag, hlsim_last_error_detail());
		return oc;
	}
	oc.gen_wall_s = now_s() - t;
	oc.slice_bytes = st.slice_bytes;
	oc.algo = st.algo;
	oc.scaleout_algo = st.scaleout_algo;
	snprintf(cmd, sizeof(cmd),
		 "%s run %s --config gaudi2_hl225 -o %s --no-plot --no-progress > %s.log 2>&1",
		 HLSIM_EXE, trace, out, out);
	t = now_s();
	s = system(cmd);
	oc.sim_wall_s = now_s() - t;
	unlink(trace);
	if (!WIFEXITED(s) || WEXITSTATUS(s)) {
		fprintf(stderr, "bench_coll: %s: hlsim run failed, see %s.log\n", tag, out);
		return oc;
	}
	oc.ok = !read_results(out, &oc);
	oc.setup_sim_wall_s = log_run_wall(out);
	return oc;
}

static double busbw(uint64_t bytes, uint32_t n, double t)
{
	return (double)bytes / t * trc_gen_coll_busbw_factor(TRC_GEN_COLL_ALLREDUCE, n);
}

static int calib(void)
{
	const uint64_t B = 32ull << 20;
	struct outcome oc = run_case(8, B, 0, "calib");
	double ratio;

	printf("== 8 x Gaudi2 all-reduce, 32 MiB fp32 (CALIBRATION.md item 2)\n");
	if (!oc.ok)
		return 1;
	ratio = oc.time_s / MEASURED_S;
	printf("simulated %.3f us (%s, slices of %" PRIu64 " bytes): algbw %.1f GB/s, busbw %.1f "
	       "GB/s; measured 227.000 us, 147.6 / 258.2 GB/s: ratio %.3f (%s)\n\n",
	       oc.time_s * 1e6, trc_gen_coll_algo_name(oc.algo), oc.slice_bytes,
	       (double)B / oc.time_s * 1e-9, busbw(B, 8, oc.time_s) * 1e-9, ratio,
	       fabs(ratio - 1) <= 0.05 ? "within 5%" : "OFF BY MORE THAN 5%");
	return fabs(ratio - 1) <= 0.05 ? 0 : 1;
}

static void row_header(void)
{
	printf("%6s %14s %12s %12s %12s %12s %10s %10s\n", "cards", "bytes", "slice", "time [us]",
	       "algbw GB/s", "busbw GB/s", "gen [s]", "sim [s]");
}

static int row(uint32_t n, uint64_t bytes, const char *tag)
{
	struct outcome oc = run_case(n, bytes, 0, tag);

	if (!oc.ok) {
		printf("%6u %14" PRIu64 "  failed\n", n, bytes);
		return 1;
	}
	printf("%6u %14" PRIu64 " %12" PRIu64 " %12.3f %12.2f %12.2f %10.3f %10.3f\n", n, bytes,
	       oc.slice_bytes, oc.time_s * 1e6, (double)bytes / oc.time_s * 1e-9,
	       busbw(bytes, n, oc.time_s) * 1e-9, oc.gen_wall_s, oc.sim_wall_s);
	fflush(stdout);
	return 0;
}

static int sweep(void)
{
	uint64_t b;
	char tag[64];
	int bad = 0;

	printf("== 8 x Gaudi2 all-reduce fp32, 1 KiB .. 1 GiB per rank (direct)\n");
	row_header();
	for (b = 1ull << 10; b <= 1ull << 30; b <<= 1) {
		snprintf(tag, sizeof(tag), "sweep_%" PRIu64, b);
		bad |= row(8, b, tag);
	}
	printf("\n");
	return bad;
}

static int cards(void)
{
	static const uint32_t n[] = { 2, 4, 8 };
	char tag[64];
	size_t i;
	int bad = 0;

	printf("== Gaudi2 all-reduce fp32 of 256 MiB per rank on 2, 4, 8 cards of one box\n");
	row_header();
	for (i = 0; i < sizeof(n) / sizeof(n[0]); i++) {
		snprintf(tag, sizeof(tag), "cards_%u", n[i]);
		bad |= row(n[i], 256ull << 20, tag);
	}
	printf("\n");
	return bad;
}

static int scale(uint32_t n)
{
	const uint64_t B = 32ull << 20;
	struct outcome oc;
	double rss0 = self_rss_mib();

	printf("== %u x Gaudi2 (%u boxes) all-reduce of 32 MiB fp32\n", n, n / 8);
	oc = run_case(n, B, scale_slice_bytes, "scale");
	printf("generation: %.3f s wall, this process's peak RSS %.1f MiB (%.1f before)\n",
	       oc.gen_wall_s, self_rss_mib(), rss0);
	if (!oc.ok) {
		printf("simulation: failed after %.3f s wall (see the log above)\n\n",
		       oc.sim_wall_s);
		return 1;
	}
	printf("simulation: %.3f s wall (reading the trace, building the platform, the loop of "
	       "%.3f s and writing the results; %.3f s with the report), %" PRIu64
	       " SimGrid activities, peak RSS %.1f MiB; "
	       "simulated %.3f us (%s, across boxes %s, slices of %" PRIu64 " bytes), algbw "
	       "%.2f GB/s, busbw %.2f GB/s\n\n",
	       oc.setup_sim_wall_s, oc.loop_wall_s, oc.sim_wall_s, oc.activities,
	       (double)oc.sim_rss_bytes / (1 << 20),
	       oc.time_s * 1e6, trc_gen_coll_algo_name(oc.algo),
	       trc_gen_coll_xalgo_name(oc.scaleout_algo), oc.slice_bytes,
	       (double)B / oc.time_s * 1e-9, busbw(B, n, oc.time_s) * 1e-9);
	return 0;
}

int main(int argc, char **argv)
{
	int do_calib = 0, do_sweep = 0, do_cards = 0, do_scale = 0, bad = 0, i;
	uint32_t scale_n = 1024;

	snprintf(dir, sizeof(dir), "/tmp/hlsim_bench_coll_%d", (int)getpid());
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "calib")) {
			do_calib = 1;
		} else if (!strcmp(argv[i], "sweep")) {
			do_sweep = 1;
		} else if (!strcmp(argv[i], "cards")) {
			do_cards = 1;
		} else if (!strcmp(argv[i], "scale")) {
			do_scale = 1;
			if (i + 1 < argc && atoi(argv[i + 1]) > 0)
				scale_n = (uint32_t)atoi(argv[++i]);
		} else if (!strcmp(argv[i], "-x") && i + 1 < argc &&
			   trc_gen_coll_xalgo_by_name(argv[i + 1]) >= 0) {
			xalgo = (uint32_t)trc_gen_coll_xalgo_by_name(argv[++i]);
		} else if (!strcmp(argv[i], "-s") && i + 1 < argc && atoll(argv[i + 1]) > 0) {
			scale_slice_bytes = (uint64_t)atoll(argv[++i]);
		} else if (!strcmp(argv[i], "-d") && i + 1 < argc) {
			snprintf(dir, sizeof(dir), "%s", argv[++i]);
		} else {
			fprintf(stderr, "usage: bench_coll [calib] [sweep] [cards] [scale "
					"[DEVICES]] [-x ring|hd|auto] [-s SLICE] [-d DIR]\n");
			return 2;
		}
	}
	if (!do_calib && !do_sweep && !do_cards && !do_scale)
		do_calib = do_sweep = do_cards = 1;
	if (!getenv("HLSIM_CONFIG_DIR"))
		setenv("HLSIM_CONFIG_DIR", HLSIM_BENCH_CONFIG_DIR, 0);
	if (mkdir(dir, 0755) && access(dir, W_OK)) {
		fprintf(stderr, "bench_coll: cannot use %s\n", dir);
		return 1;
	}
	printf("bench_coll: traces and results in %s\n\n", dir);
	if (do_calib)
		bad |= calib();
	if (do_sweep)
		bad |= sweep();
	if (do_cards)
		bad |= cards();
	if (do_scale)
		bad |= scale(scale_n);
	return bad ? 1 : 0;
}
