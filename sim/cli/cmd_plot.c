/*
 * sim/cli/cmd_plot.c - `hlsim plot SWEEPDIR -o OUTDIR`: plots of a finished sweep. Reads
 * SWEEPDIR/sweep.spec and SWEEPDIR/sweep.csv, writes the data files (profiler/
 * sweep_plot.c) and draws plots/sweep_lines.gp, sweep_heatmap.gp and sweep_pareto.gp,
 * each as PNG and SVG, with gnuplot (profiler/plot.c: posix_spawn, no shell).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "models/common/config_int.h"
#include "profiler/prf.h"
#include "profiler/prf_sweep.h"
#include "profiler/sweep_int.h"
#include "sim/cli/cli.h"

#define PATH_BYTES 4096

static const char *const plot_names[3] = { "sweep_lines", "sweep_heatmap", "sweep_pareto" };

static void plot_usage(FILE *o)
{
	fprintf(o,
		"usage: hlsim plot SWEEPDIR -o OUTDIR [--metric M] [--cost AXIS]\n"
		"                  [--plots-dir DIR]\n"
		"       hlsim plot RESULTS.h5 -o OUTDIR [--window T0:T1] [--plots-dir DIR]\n\n"
		"With a results file: the report and the plots of one run (timeline,\n"
		"utilisation, bandwidth, roofline) for the whole run or the time window\n"
		"[T0, T1) given with units (e.g. --window 100us:250us), into OUTDIR.\n\n"
		"Plots of a sweep (the output directory of hlsim sweep or hlsim merge), read\n"
		"from SWEEPDIR/sweep.spec and SWEEPDIR/sweep.csv. Writes into OUTDIR:\n"
		"  sweep_lines.png/.svg    the metric against the first axis, one line per\n"
		"                          value of the second axis\n"
		"  sweep_heatmap.png/.svg  the metric over the first two axes, values in cells\n"
		"  sweep_pareto.png/.svg   simulated time against the cost axis, the\n"
		"                          Pareto-optimal points highlighted and connected\n"
		"and their data files (NAME.dat; `gnuplot -c plots/NAME.gp NAME.dat OUT.png`\n"
		"redraws one). Axes beyond the second are held at their first value in the\n"
		"lines and heatmap plots. Numeric axis values are plotted by value in the unit\n"
		"they are written in; other axes are categorical.\n\n"
		"  --metric M       time (simulated time in us, default), tflops, bytes,\n"
		"                   dma_busy, tpc_busy or mme_busy\n"
		"  --cost AXIS      the varied key on the Pareto plot's x axis (default: the\n"
		"                   first axis whose values are numbers; with none, no\n"
		"                   Pareto plot is drawn)\n"
		"  --plots-dir DIR  folder of the gnuplot scripts (default: $HLSIM_PLOTS_DIR,\n"
		"                   then the source and installed plots folders)\n");
}

/*
 * The index of the axis named @key in @s, or of the first numeric one if @key is NULL
 * (PRF_SWEEP_NO_COST if there is none: no Pareto plot then).
 */
static hlsim_err_t find_cost_axis(const struct prf_sweep_spec *s, const char *key, size_t *out)
{
	struct prf_sweep_plot_axis pa;
	hlsim_err_t rc;
	size_t k;

	for (k = 0; k < s->num_axes; k++) {
		if (key) {
			if (!strcmp(s->axes[k].key, key)) {
				*out = k;
				return HLSIM_OK;
			}
			continue;
		}
		rc = prf_sweep_plot_axis_init(&s->axes[k], &pa);
		if (rc)
			return rc;
		if (pa.numeric) {
			prf_sweep_plot_axis_free(&pa);
			*out = k;
			return HLSIM_OK;
		}
		prf_sweep_plot_axis_free(&pa);
	}
	if (key) {
		char list[512];
		size_t used = 0;

		list[0] = '\0';
		for (k = 0; k < s->num_axes && used < sizeof(list); k++)
			used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s",
						 k ? ", " : "", s->axes[k].key);
		return hlsim_error(HLSIM_E_USAGE, "--cost %s: not an axis of this sweep (its "
				   "axes: %s)", key, list);
	}
	*out = PRF_SWEEP_NO_COST;
	return HLSIM_OK;
}

/* "T0:T1" with time units -> picoseconds. */
static hlsim_err_t parse_window(const char *text, uint64_t *t0, uint64_t *t1)
{
	struct mdl_config_value v;
	char buf[128], *colon;
	hlsim_err_t rc;

	if (strlen(text) >= sizeof(buf) || !(colon = strchr(strcpy(buf, text), ':')))
		return hlsim_error(HLSIM_E_USAGE, "--window '%s': expected T0:T1, e.g. 10us:200us",
				   text);
	*colon = '\0';
	rc = mdl_config_parse_value(HLSIM_PARAM_TIME, buf, "--window", "window start", &v);
	if (rc)
		return HLSIM_E_USAGE; /* the parser's detail names the value */
	*t0 = v.u64;
	rc = mdl_config_parse_value(HLSIM_PARAM_TIME, colon + 1, "--window", "window end", &v);
	if (rc)
		return HLSIM_E_USAGE; /* the parser's detail names the value */
	*t1 = v.u64;
	if (*t1 <= *t0)
		return hlsim_error(HLSIM_E_USAGE, "--window '%s': the end must be after the start",
				   text);
	return HLSIM_OK;
}

int cli_plot(int argc, char **argv)
{
	struct prf_sweep_spec spec;
	struct prf_sweep_plot_opts po = { PRF_SWEEP_METRIC_TIME, 0 };
	struct prf_sweep_plot_row *rows = NULL;
	const char *dir = NULL, *out = NULL, *cost = NULL, *plots_dir = NULL, *metric = "time";
	const char *window = NULL;
	struct stat sb;
	char path[PATH_BYTES], script[PATH_BYTES + 32], dat[PATH_BYTES + 32],
		pic[PATH_BYTES + 32], pdir[PATH_BYTES], *text = NULL;
	static const char *const exts[2] = { "png", "svg" };
	int i, status = 1;
	size_t k, e;
	hlsim_err_t rc;

	memset(&spec, 0, sizeof(spec));
	for (i = 1; i < argc; i++) {
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			plot_usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "-o") && val) {
			out = argv[++i];
		} else if (!strcmp(argv[i], "--metric") && val) {
			metric = argv[++i];
			rc = prf_sweep_metric_parse(metric, &po.metric);
			if (rc)
				return cli_fail(rc, "plot");
		} else if (!strcmp(argv[i], "--cost") && val) {
			cost = argv[++i];
		} else if (!strcmp(argv[i], "--plots-dir") && val) {
			plots_dir = argv[++i];
		} else if (!strcmp(argv[i], "--window") && val) {
			window = argv[++i];
		} else if (argv[i][0] != '-' && !dir) {
			dir = argv[i];
		} else {
			fprintf(stderr, "hlsim plot: unknown or incomplete option '%s'\n", argv[i]);
			plot_usage(stderr);
			return 2;
		}
	}
	if (!dir || !out) {
		fprintf(stderr, "hlsim plot: SWEEPDIR and -o OUTDIR are required\n");
		plot_usage(stderr);
		return 2;
	}
	if (stat(dir, &sb) == 0 && S_ISREG(sb.st_mode)) {
		/* a results file: the plots (and report) of one run, optionally windowed */
		struct prf_options ro = { 0 };

		ro.plots_dir = plots_dir;
		if (window) {
			rc = parse_window(window, &ro.window_start_ps, &ro.window_end_ps);
			if (rc)
				return cli_fail(rc, "plot");
		}
		rc = prf_report_run(dir, out, &ro);
		if (rc)
			return cli_fail(rc, "plot");
		printf("hlsim plot: wrote %s/report.txt and the timeline, utilisation, bandwidth and "
		       "roofline plots (.png, .svg)\n",
		       out);
		return 0;
	}
	if (window) {
		fprintf(stderr, "hlsim plot: --window applies to a results file, not a sweep\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/sweep.spec", dir);
	rc = prf_sweep_read_file(path, 16 << 20, &text);
	if (!rc)
		rc = prf_sweep_spec_parse(text, path, &spec);
	if (!rc)
		rc = find_cost_axis(&spec, cost, &po.cost_axis);
	if (!rc && mkdir(out, 0777) && errno != EEXIST)
		rc = hlsim_error(HLSIM_E_IO, "cannot create %s: %s", out, strerror(errno));
	if (!rc) {
		rows = calloc(spec.num_points, sizeof(*rows));
		if (!rows)
			rc = hlsim_error(HLSIM_E_NOMEM, "plot: no memory");
	}
	if (!rc) {
		snprintf(path, sizeof(path), "%s/sweep.csv", dir);
		rc = prf_sweep_plot_read_csv(&spec, path, rows);
	}
	if (!rc)
		rc = prf_sweep_plot_write(&spec, rows, &po, out);
	if (!rc)
		rc = prf_plots_dir_find(plots_dir, pdir, sizeof(pdir));
	for (k = 0; !rc && k < 3; k++) {
		if (k == 2 && po.cost_axis == PRF_SWEEP_NO_COST) {
			printf("hlsim plot: no axis has numeric values: no Pareto plot\n");
			break;
		}
		snprintf(script, sizeof(script), "%s/%s.gp", pdir, plot_names[k]);
		if (access(script, R_OK)) {
			rc = hlsim_error(HLSIM_E_IO, "%s: cannot read: %s (set --plots-dir or "
					 "HLSIM_PLOTS_DIR)", script, strerror(errno));
			break;
		}
		snprintf(dat, sizeof(dat), "%s/%s.dat", out, plot_names[k]);
		for (e = 0; !rc && e < 2; e++) {
			snprintf(pic, sizeof(pic), "%s/%s.%s", out, plot_names[k], exts[e]);
			rc = prf_plot_run(script, dat, pic);
		}
	}
	if (rc) {
		status = cli_fail(rc, "plot");
		goto out;
	}
	printf("hlsim plot: wrote %s/{sweep_lines,sweep_heatmap%s}.{png,svg,dat} (metric %s, "
	       "cost axis %s)\n", out, po.cost_axis == PRF_SWEEP_NO_COST ? "" : ",sweep_pareto",
	       metric, po.cost_axis == PRF_SWEEP_NO_COST ? "none" : spec.axes[po.cost_axis].key);
	status = 0;
out:
	prf_sweep_spec_free(&spec);
	free(rows);
	free(text);
	return status;
}
