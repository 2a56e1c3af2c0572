/*
 * sim/cli/cmd_run.c - `hlsim run [TRACE] [--config NAME|FILE] [--set K=V]... [-o DIR]`.
 *
 * Replays the trace (the bundled sample without one), writes DIR/results.h5,
 * DIR/platform.xml, DIR/report.txt, DIR/report.json and DIR/timeline.png (+ .svg),
 * and ends with one line giving the run's speed.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hlsim/config.h"
#include "profiler/prf.h"
#include "sim/cli/cli.h"
#include "sim/sim.h"

static void run_usage(FILE *o)
{
	fprintf(o, "usage: hlsim run [TRACE] [--config NAME|FILE] [--set KEY=VALUE]... [-o DIR]\n"
		   "                 [--no-plot] [--progress|--no-progress]\n\n"
		   "Replays TRACE (default: the bundled sample) on the configuration (default:\n"
		   "gaudi_hl205) and writes into DIR (default: hlsim-out): results.h5, report.txt,\n"
		   "report.json, timeline.png and timeline.svg, platform.xml.\n");
}

/* mkdir -p */
static int make_dir(const char *path)
{
	char buf[4096];
	size_t i, n = strlen(path);

	if (n >= sizeof(buf))
		return -1;
	memcpy(buf, path, n + 1);
	for (i = 1; i <= n; i++) {
		if (buf[i] == '/' || buf[i] == '\0') {
			char c = buf[i];

			buf[i] = '\0';
			if (mkdir(buf, 0777) && errno != EEXIST)
				return -1;
			buf[i] = c;
		}
	}
	return 0;
}

int cli_run(int argc, char **argv)
{
	const char *trace = NULL, *config = NULL, *out = "hlsim-out";
	const char **sets = calloc((size_t)argc, sizeof(*sets));
	struct sim_run_args a = { 0 };
	struct sim_run_stats st;
	struct timespec t0, t1;
	double run_wall_s;
	struct prf_options po = { 0 };
	hlsim_config_t *cfg = NULL;
	char results[4096], platform[4096];
	int i, nsets = 0, progress = isatty(2), status = 1;
	hlsim_err_t rc, sim_rc;

	if (!sets)
		return cli_fail(hlsim_error(HLSIM_E_NOMEM, "arguments"), "run");
	for (i = 1; i < argc; i++) {
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			run_usage(stdout);
			free(sets);
			return 0;
		} else if (!strcmp(argv[i], "--config") && val) {
			config = val;
			i++;
		} else if (!strcmp(argv[i], "--set") && val) {
			sets[nsets++] = val;
			i++;
		} else if (!strcmp(argv[i], "-o") && val) {
			out = val;
			i++;
		} else if (!strcmp(argv[i], "--no-plot")) {
			po.no_plot = 1;
		} else if (!strcmp(argv[i], "--progress")) {
			progress = 1;
		} else if (!strcmp(argv[i], "--no-progress")) {
			progress = 0;
		} else if (argv[i][0] != '-' && !trace) {
			trace = argv[i];
		} else {
			fprintf(stderr, "hlsim run: unknown or incomplete option '%s'\n", argv[i]);
			run_usage(stderr);
			free(sets);
			return 2;
		}
	}
	if (!trace) {
		trace = cli_sample_trace();
		if (!trace) {
			fprintf(stderr, "hlsim run: no TRACE given and the bundled sample trace is "
					"not installed (build it, or set HLSIM_SAMPLE_TRACE)\n");
			free(sets);
			return 1;
		}
	}
	rc = hlsim_config_load(config, &cfg);
	for (i = 0; !rc && i < nsets; i++)
		rc = hlsim_config_set(cfg, sets[i], "--set");
	if (rc) {
		status = cli_fail(rc, "configuration");
		goto out;
	}
	if (make_dir(out)) {
		fprintf(stderr, "hlsim run: cannot create the output directory %s: %s\n", out,
			strerror(errno));
		goto out;
	}
	snprintf(results, sizeof(results), "%s/results.h5", out);
	snprintf(platform, sizeof(platform), "%s/platform.xml", out);
	a.trace_path = trace;
	a.cfg = cfg;
	a.results_path = results;
	a.platform_path = platform;
	a.progress = progress;
	printf("hlsim run: %s on %s\n", trace, hlsim_config_name(cfg));
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	sim_rc = sim_run(&a, &st);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	run_wall_s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
	if (sim_rc) {
		status = cli_fail(sim_rc, "run");
		if (access(results, R_OK) != 0 || (!st.cs && !st.packets))
			goto out; /* nothing ran: no report to write */
		fprintf(stderr, "hlsim run: writing the report of what ran before the failure\n");
	}
	rc = prf_report_run(results, out, &po);
	if (rc) {
		status = cli_fail(rc, "report");
		goto out;
	}
	printf("simulated time: %.3f us (%" PRIu64 " ps); %" PRIu64 " CS, %" PRIu64 " jobs\n",
	       (double)st.simulated_ps * 1e-6, st.simulated_ps, st.cs, st.jobs);
	printf("wrote %s/report.txt, %s/report.json, %s/results.h5%s\n", out, out, out,
	       po.no_plot ? ""
			  : ", and timeline, utilisation, bandwidth and roofline plots (.png, .svg)");
	printf("speed: %" PRIu64 " packets and %" PRIu64 " SimGrid activities in %.3f s wall = "
	       "%.0f packets/s, %.0f activities/s (peak RSS %.1f MiB; %.3f s wall with reading "
	       "the trace, building the platform and writing the results)\n",
	       st.packets, st.activities, st.wall_s,
	       st.wall_s > 0 ? (double)st.packets / st.wall_s : 0.0,
	       st.wall_s > 0 ? (double)st.activities / st.wall_s : 0.0,
	       (double)st.peak_rss_bytes / (1024.0 * 1024.0), run_wall_s);
	if (!sim_rc)
		status = 0;
out:
	hlsim_config_free(cfg);
	free(sets);
	return status;
}
