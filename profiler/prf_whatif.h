/*
 * profiler/prf_whatif.h - what-if ranking (`hlsim whatif`): which resource, made F times
 * faster, shortens the run the most.
 *
 * The resources and the parameters each one scales are one table, prf_whatif_resources()
 * (profiler/whatif.c). A what-if runs the trace once as given (the baseline) and once per
 * resource with that resource's parameters scaled by the factor F, each run a child
 * `hlsim run` process, N at a time; the runs are then ranked by end-to-end speedup
 * (baseline time / new time) and written as whatif.txt, whatif.json (REPORT-SCHEMA.md,
 * "hlsim-whatif"), whatif.dat and the bar chart whatif.png / whatif.svg
 * (plots/whatif.gp).
 *
 *   prf_whatif_resources     the resource table
 *   prf_whatif_scaled_value  one parameter's new value, as --set text
 *   prf_whatif_speedup       the ranking arithmetic: speedup and share of the possible gain
 *   prf_whatif_rank          the order of the rows
 *   prf_whatif_run           everything: runs, ranking, outputs
 */
#ifndef HLSIM_PRF_WHATIF_H
#define HLSIM_PRF_WHATIF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hlsim/config.h"
#include "hlsim/error.h"

/* Most parameters one resource scales. */
#define PRF_WHATIF_MAX_PARAMS 4
/* Room for one row's error message (with its NUL). */
#define PRF_WHATIF_ERROR_BYTES 256
/* Room for one --set "key=value" text (with its NUL). */
#define PRF_WHATIF_SET_BYTES 128

/** enum prf_whatif_op - how a parameter follows "F times faster". */
enum prf_whatif_op {
	PRF_WHATIF_MUL = 0, /* a rate (bandwidth, clock): multiplied by F */
	PRF_WHATIF_DIV = 1, /* a cost (latency, overhead, cycles): divided by F */
};

/**
 * struct prf_whatif_param - one scaled parameter.
 * @key: the configuration key ("hbm.bandwidth"). @op: enum prf_whatif_op.
 */
struct prf_whatif_param {
	const char *key;
	int op;
};

/**
 * struct prf_whatif_resource - one row of the resource table.
 * @name: short name ("hbm"), used for the run's folder and in JSON.
 * @label: what the headline calls it ("HBM bandwidth").
 * @engine_class: for an engine class, the units' engine_class ("dma", "tpc", "mme"): the
 *                resource is tried only when the baseline has an engine of that class;
 *                NULL for a resource every run has.
 * @params: the parameters it scales, @num_params of them.
 */
struct prf_whatif_resource {
	const char *name;
	const char *label;
	const char *engine_class;
	struct prf_whatif_param params[PRF_WHATIF_MAX_PARAMS];
	size_t num_params;
};

/** prf_whatif_resources - the resource table; *@n gets its number of rows. */
const struct prf_whatif_resource *prf_whatif_resources(size_t *n);

/**
 * prf_whatif_scaled_value - the value of @key in @cfg made @factor times faster by @op,
 * as "key=value" text (canonical, with its unit) into @buf. Integer-valued types (U64,
 * TIME, BYTES) are rounded to the nearest integer and never go below 1 when the value was
 * at least 1 (a latency of 0 stays 0). Errors: HLSIM_E_INVAL for an undeclared key, a type
 * that cannot be scaled, @factor not finite or <= 0, a result out of range or @cap too
 * small.
 */
hlsim_err_t prf_whatif_scaled_value(const hlsim_config_t *cfg, const char *key, int op,
				    double factor, char *buf, size_t cap);

/**
 * prf_whatif_speedup - the ranking arithmetic. *@speedup = @base_ps / @new_ps; *@share =
 * the time saved as a share of what making everything @factor times faster would save:
 * (@base_ps - @new_ps) / (@base_ps - @base_ps / @factor) (1 = the whole possible gain;
 * negative when the run got slower). HLSIM_E_INVAL if a time is 0 or @factor <= 1 is not
 * finite (a share needs @factor > 1; with @factor <= 1, *@share is 0).
 */
hlsim_err_t prf_whatif_speedup(uint64_t base_ps, uint64_t new_ps, double factor, double *speedup,
			       double *share);

/**
 * struct prf_whatif_row - one resource's run.
 * @resource: its table row. @sets: the --set texts applied, one per parameter.
 * @from: the same parameters' baseline values, as "key=value".
 * @ok: the run succeeded. @simulated_time_ps: its simulated time (when @ok).
 * @speedup, @share: from prf_whatif_speedup (when @ok).
 * @error: why it failed (when not @ok).
 */
struct prf_whatif_row {
	const struct prf_whatif_resource *resource;
	char sets[PRF_WHATIF_MAX_PARAMS][PRF_WHATIF_SET_BYTES];
	char from[PRF_WHATIF_MAX_PARAMS][PRF_WHATIF_SET_BYTES];
	int ok;
	uint64_t simulated_time_ps;
	double speedup, share;
	char error[PRF_WHATIF_ERROR_BYTES];
};

/**
 * prf_whatif_rank - sort @rows: runs that succeeded first by speedup, largest first, then
 * failed ones; ties keep the table order (a stable sort).
 */
void prf_whatif_rank(struct prf_whatif_row *rows, size_t n);

/**
 * struct prf_whatif_opts - what prf_whatif_run does.
 * @exe: the hlsim executable (its "run" subcommand runs each case).
 * @trace: the trace path. @config: preset name or file, NULL for the default.
 * @sets: --set KEY=VALUE texts applied to every run, @num_sets of them.
 * @factor: how many times faster (> 1).
 * @jobs: runs at the same time (>= 1).
 * @out_dir: the output folder (created if missing); each run goes to
 *           @out_dir/runs/NAME (NAME = "baseline" or the resource name).
 * @no_plot: write no whatif.png / whatif.svg.
 * @plots_dir: folder of the gnuplot scripts; NULL: found as prf_plots_dir_find() does.
 * @log: progress lines go here; NULL for none.
 */
struct prf_whatif_opts {
	const char *exe;
	const char *trace;
	const char *config;
	const char *const *sets;
	size_t num_sets;
	double factor;
	unsigned int jobs;
	const char *out_dir;
	int no_plot;
	const char *plots_dir;
	FILE *log;
};

/**
 * prf_whatif_run - run the baseline (its failure is the error returned), then every
 * resource of the table that applies (engine classes only when the baseline has that
 * class), N at a time, rank them and write @out_dir/whatif.txt, whatif.json, whatif.dat
 * and, unless @o->no_plot, whatif.png and whatif.svg. A failed resource run is a row with
 * its error; *@failed (may be NULL) gets how many failed.
 */
hlsim_err_t prf_whatif_run(const struct prf_whatif_opts *o, size_t *failed);

#endif /* HLSIM_PRF_WHATIF_H */
