/*
 * profiler/prf_sweep.h - design-space sweeps (`hlsim sweep`, `hlsim merge`).
 *
 * A sweep is one trace, one configuration plus --set overrides, and axes (--vary) whose
 * values are combined as a cartesian product of points. Points are numbered 0..N-1 with
 * the first axis outermost (it changes slowest) and the last axis innermost. Each point
 * runs as a child `hlsim run` process into DIR/points/NNNNN/, which ends with a `done`
 * marker; the table of all points (DIR/sweep.csv, DIR/sweep.h5) is then built from the
 * points' results files. Shard I of N runs the points whose index % N == I.
 *
 * Instead of one trace, a sweep may generate each point's trace (--gen "KIND OPTIONS"):
 * axes named gen.OPTION then vary a generator option, and each point first runs
 * `hlsim gen KIND OPTIONS --OPTION VALUE... -o DIR/points/NNNNN/trace.h5`, then runs that.
 *
 *   prf_sweep_axis_parse   one --vary KEY=V1,V2,... or KEY=START:STOP:STEP, canonical values
 *   prf_sweep_spec_*       the whole specification: checks, point values, text (sweep.spec)
 *   prf_sweep_run          run the points of a shard as child processes, N at a time
 *   prf_sweep_collect      write sweep.csv and sweep.h5 from the points of one or more dirs
 *   prf_sweep_gen_*        the generator command of a --gen sweep: words, option check
 *   prf_sweep_plot_*       plot data of a finished sweep (profiler/sweep_plot.c)
 */
#ifndef HLSIM_PRF_SWEEP_H
#define HLSIM_PRF_SWEEP_H

#include <stddef.h>
#include <stdint.h>

#include "hlsim/config.h"
#include "hlsim/error.h"

/* Largest number of points of a sweep (the product of the axes' value counts). */
#define PRF_SWEEP_MAX_POINTS 100000
/* Largest number of --vary axes. */
#define PRF_SWEEP_MAX_AXES 16
/* Room for a canonical value (with its NUL) in the sweep table. */
#define PRF_SWEEP_VALUE_BYTES 64
/* Room for a failed point's error message (with its NUL) in the sweep table. */
#define PRF_SWEEP_ERROR_BYTES 256
/* Prefix of the axes that vary a generator option (--gen sweeps). */
#define PRF_SWEEP_GEN_PREFIX "gen."
/* Largest number of words of a --gen command (KIND and its options). */
#define PRF_SWEEP_GEN_MAX_WORDS 64

/**
 * struct prf_sweep_axis - one varied parameter.
 * @key: the declared key ("hbm.bandwidth"), or "gen.OPTION" for a generator option; owned.
 * @type: its declared type (HLSIM_PARAM_STR for a generator option).
 * @values: the values in canonical text (mdl_config_format_value), in the order given or
 *          from START up to STOP, owned; @num_values of them (at least 1, all distinct).
 *          A generator option's values are kept as given (trimmed): the generator
 *          parses them.
 */
struct prf_sweep_axis {
	char *key;
	enum hlsim_param_type type;
	char **values;
	size_t num_values;
};

/**
 * prf_sweep_axis_parse - parse one --vary argument @text: "KEY=V1,V2,..." (values with
 * their units) or, for numeric types, "KEY=START:STOP:STEP" (each with its unit; STEP > 0,
 * START <= STOP; STOP is included when reached within 1e-9 of a step). Values are checked
 * for syntax and unit, and kept in canonical text. Errors (HLSIM_E_USAGE): an undeclared key
 * (naming the nearest declared key), a bad value (naming it), an empty or duplicate value,
 * a range of a non-numeric type, more than PRF_SWEEP_MAX_POINTS values. On success @out
 * owns its memory (prf_sweep_axis_free).
 * A key "gen.OPTION" is a generator option: OPTION must be lower-case letters, digits and
 * '-' (not starting with '-'), the values a list (no range) of non-empty words without
 * blanks; whether the generator accepts OPTION is checked by prf_sweep_gen_check.
 */
hlsim_err_t prf_sweep_axis_parse(const char *text, struct prf_sweep_axis *out);
/** prf_sweep_axis_free - release an axis; safe on a zeroed one. */
void prf_sweep_axis_free(struct prf_sweep_axis *a);

/**
 * prf_sweep_nearest_key - the declared key closest to @key by edit distance (ties: the
 * first declared), or NULL if no key is declared.
 */
const char *prf_sweep_nearest_key(const char *key);

/**
 * struct prf_sweep_spec - what a sweep runs (everything but where and how many at once).
 * @trace: the trace path as given, NULL in a --gen sweep.
 * @gen: the generator command "KIND OPTIONS..." (words separated by one blank), NULL when
 *       the sweep runs @trace.
 * @config: the preset name or file, NULL for the default.
 * @sets: the --set KEY=VALUE arguments as given, @num_sets of them.
 * @axes: the --vary axes in command-line order, @num_axes of them.
 * @num_points: the product of the axes' value counts (set by prf_sweep_spec_finish).
 * All strings are owned.
 */
struct prf_sweep_spec {
	char *trace;
	char *gen;
	char *config;
	char **sets;
	size_t num_sets;
	struct prf_sweep_axis axes[PRF_SWEEP_MAX_AXES];
	size_t num_axes;
	uint64_t num_points;
};

/** prf_sweep_spec_init - an empty spec for @trace and @config (NULL: default preset). */
hlsim_err_t prf_sweep_spec_init(struct prf_sweep_spec *s, const char *trace, const char *config);
/**
 * prf_sweep_spec_init_gen - an empty spec whose points generate their trace with @gen,
 * "KIND OPTIONS..." (split at blanks; no quoting): HLSIM_E_USAGE if it is empty, has more
 * than PRF_SWEEP_GEN_MAX_WORDS words, a newline, or "-o" (the sweep chooses the output).
 */
hlsim_err_t prf_sweep_spec_init_gen(struct prf_sweep_spec *s, const char *gen,
				    const char *config);
/**
 * prf_sweep_gen_words - split @gen (as in struct prf_sweep_spec) into its words, in @buf
 * (@cap bytes, modified) and @words (@max entries); returns the count, or -1 if it does
 * not fit.
 */
int prf_sweep_gen_words(const char *gen, char *buf, size_t cap, char **words, size_t max);
/**
 * prf_sweep_gen_check - check a --gen sweep before it runs: `EXE gen KIND --help` must
 * succeed (else the kind is unknown: HLSIM_E_USAGE with the generator's message) and its
 * usage text must list "--OPTION" for every gen.OPTION axis (HLSIM_E_USAGE naming the
 * option and KIND). Posix_spawn, no shell. HLSIM_OK at once for a TRACE sweep.
 */
hlsim_err_t prf_sweep_gen_check(const struct prf_sweep_spec *s, const char *exe);
/** prf_sweep_spec_add_set - add a --set KEY=VALUE (checked by prf_sweep_spec_check). */
hlsim_err_t prf_sweep_spec_add_set(struct prf_sweep_spec *s, const char *key_eq_value);
/**
 * prf_sweep_spec_add_vary - parse and add a --vary axis (prf_sweep_axis_parse). A key
 * varied twice, or also given with --set, is an HLSIM_E_USAGE error; so is a gen.OPTION
 * axis in a sweep without --gen, or whose --OPTION the --gen command already gives.
 */
hlsim_err_t prf_sweep_spec_add_vary(struct prf_sweep_spec *s, const char *text);
/**
 * prf_sweep_spec_finish - compute @num_points: HLSIM_E_USAGE if there is no axis or the
 * grid has more than PRF_SWEEP_MAX_POINTS points.
 */
hlsim_err_t prf_sweep_spec_finish(struct prf_sweep_spec *s);
/**
 * prf_sweep_spec_check - load the configuration, apply the --set values, then each value
 * of each axis, so that per-key rules (> 0, ranges, choices) fail before anything runs.
 * Errors name the key and value (HLSIM_E_CONFIG from the configuration module).
 * Generator options (gen.*) are not configuration keys and are skipped here.
 */
hlsim_err_t prf_sweep_spec_check(const struct prf_sweep_spec *s);
/** prf_sweep_spec_free - release a spec; safe on a zeroed one. */
void prf_sweep_spec_free(struct prf_sweep_spec *s);

/** prf_sweep_point_value - the canonical value of axis @axis at point @point. */
const char *prf_sweep_point_value(const struct prf_sweep_spec *s, uint64_t point, size_t axis);

/**
 * prf_sweep_spec_text - the spec as the text of DIR/sweep.spec (malloc'd into *@out):
 * a version line, then `trace PATH` (or `gen KIND OPTIONS...`), `config`, `set` and
 * `vary KEY=V1,V2,...` lines (values canonical, ranges expanded) and `points N`. Two
 * sweeps run the same points exactly when
 * their texts are equal.
 */
hlsim_err_t prf_sweep_spec_text(const struct prf_sweep_spec *s, char **out);
/**
 * prf_sweep_spec_parse - read back a sweep.spec @text (@path names it in errors) into @s
 * (HLSIM_E_TRACE_FORMAT naming the line on anything unexpected).
 */
hlsim_err_t prf_sweep_spec_parse(const char *text, const char *path, struct prf_sweep_spec *s);
/**
 * prf_sweep_spec_diff - compare the texts of two specs: HLSIM_OK if equal, else
 * HLSIM_E_USAGE with a detail naming @path and the first differing line of each.
 */
hlsim_err_t prf_sweep_spec_diff(const char *path, const char *existing, const char *wanted);

/**
 * struct prf_sweep_run_opts - how prf_sweep_run runs the points.
 * @exe: the hlsim executable to run for each point ("run" subcommand).
 * @out_dir: the sweep folder (created if missing).
 * @jobs: points run at the same time (>= 1).
 * @shard_index, @shard_count: run only points with index % @shard_count == @shard_index.
 * @log: progress lines ("point 3/6 ok in 1.2 s") go here; NULL for none.
 */
struct prf_sweep_run_opts {
	const char *exe;
	const char *out_dir;
	unsigned int jobs;
	uint64_t shard_index, shard_count;
	FILE *log;
};

/**
 * prf_sweep_run - write or check @out_dir/sweep.spec, then run every point of the shard
 * that has no valid `done` marker (a marker whose recorded values differ from the spec,
 * or that records a failure, is run again) as `EXE run TRACE [--config C] [--set ..]...
 * --set KEY=VALUE... -o DIR/points/NNNNN --no-plot --no-progress` with stdout and stderr
 * in DIR/points/NNNNN/log.txt (in a --gen sweep preceded by `EXE gen KIND OPTIONS
 * --OPTION VALUE... -o DIR/points/NNNNN/trace.h5`, whose failure fails the point, and
 * run on that trace; the gen.* axes are not passed to run), at most @jobs at once
 * (posix_spawn, no shell). Each
 * finished point gets DIR/points/NNNNN/done (via rename) recording its values, status,
 * exit status and the last line of its stderr. *@ran and *@failed get the numbers of
 * points run now and of points of the shard whose marker says failed (either may be
 * NULL). A failed point does not stop the others.
 */
hlsim_err_t prf_sweep_run(const struct prf_sweep_spec *s, const struct prf_sweep_run_opts *o,
			  uint64_t *ran, uint64_t *failed);

/**
 * prf_sweep_collect - write @out_dir/sweep.csv and @out_dir/sweep.h5: one row per point of
 * shard @shard_index of @shard_count in point order, each taken from the first of @dirs
 * holding its valid done marker and, for a point that ran fine, computed from its
 * results.h5 (the results API and the profiler's report): simulated time, mean busy
 * fraction per engine class (dma, tpc, mme), bytes moved by DMA, achieved TFLOPS, the
 * busiest engine and the HBM, SRAM and PCIe bandwidth (bytes/s; profiler/sweep_table.c
 * says how they are counted). A point with no valid marker in any dir is an
 * HLSIM_E_INVAL error naming it. The files are written to temporary names and renamed.
 */
hlsim_err_t prf_sweep_collect(const struct prf_sweep_spec *s, const char *const *dirs,
			      size_t num_dirs, const char *out_dir, uint64_t shard_index,
			      uint64_t shard_count);

/* ===== plots of a sweep (profiler/sweep_plot.c) ===== */

/**
 * enum prf_sweep_metric - what a sweep plot shows: simulated time [us], achieved TFLOPS,
 * the table's bytes column [MiB], mean busy share of the DMA / TPC / MME engines [%].
 */
enum prf_sweep_metric {
	PRF_SWEEP_METRIC_TIME = 0,
	PRF_SWEEP_METRIC_TFLOPS,
	PRF_SWEEP_METRIC_BYTES,
	PRF_SWEEP_METRIC_DMA_BUSY,
	PRF_SWEEP_METRIC_TPC_BUSY,
	PRF_SWEEP_METRIC_MME_BUSY,
};

/**
 * prf_sweep_metric_parse - "time", "tflops", "bytes", "dma_busy", "tpc_busy" or
 * "mme_busy" into *@m; HLSIM_E_USAGE naming the choices otherwise.
 */
hlsim_err_t prf_sweep_metric_parse(const char *name, enum prf_sweep_metric *m);

/**
 * struct prf_sweep_plot_axis - how the values of an axis are placed on a plot axis.
 * @numeric: 1 if every value is a number: @x holds them in the unit @unit (the unit the
 *           values are written in; for configuration values written in several units,
 *           the unit of the largest, e.g. 500GB/s and 2TB/s become 0.5 and 2 TB/s);
 *           0: the axis is categorical and @x holds 0, 1, 2... in the order given.
 * @unit: "" for plain numbers and categorical axes.
 * @x: one per value of the axis (at most PRF_SWEEP_MAX_POINTS), malloc'd.
 */
struct prf_sweep_plot_axis {
	int numeric;
	char unit[16];
	double *x;
};

/**
 * prf_sweep_plot_axis_init - place the values of @a (prf_sweep_plot_axis_free releases).
 * A value is a number when it is a decimal number followed by a unit text (possibly
 * empty) that is the same for all values of the axis; configuration values of a numeric
 * type in different units are converted to one unit (see struct prf_sweep_plot_axis).
 */
hlsim_err_t prf_sweep_plot_axis_init(const struct prf_sweep_axis *a,
				     struct prf_sweep_plot_axis *out);
/** prf_sweep_plot_axis_free - release @p; safe on a zeroed one. */
void prf_sweep_plot_axis_free(struct prf_sweep_plot_axis *p);

/**
 * struct prf_sweep_plot_row - the numbers of one point as read from sweep.csv.
 * @ok: the point ran fine (the others have no numbers).
 * @time_us: simulated time. @tflops, @bytes: as in the table.
 * @busy: mean busy fraction of the dma, tpc and mme engines (NaN: no engine of the class).
 */
struct prf_sweep_plot_row {
	int ok;
	double time_us, tflops, bytes, busy[3];
};

/**
 * prf_sweep_plot_read_csv - read @path (a sweep.csv written for @s) into @rows, one per
 * point of @s (points absent from the file, e.g. of another shard, get @ok = 0). The
 * header must name the axes of @s in order, each row's values must be those of its point
 * (HLSIM_E_TRACE_FORMAT naming the file and line otherwise).
 */
hlsim_err_t prf_sweep_plot_read_csv(const struct prf_sweep_spec *s, const char *path,
				    struct prf_sweep_plot_row *rows);

/** prf_sweep_metric_value - @m of @r in its plotted unit (NaN for a failed point). */
double prf_sweep_metric_value(const struct prf_sweep_plot_row *r, enum prf_sweep_metric m);

/**
 * prf_sweep_pareto - mark in @on_front[i] the points that are Pareto-optimal when both
 * @cost and @t_us are to be minimised: valid (@valid[i] and both finite) and no valid
 * point has cost and time both <= with one of them <. Returns how many are marked.
 */
size_t prf_sweep_pareto(const double *cost, const double *t_us, const int *valid, size_t n,
			int *on_front);

/* struct prf_sweep_plot_opts.cost_axis when there is no Pareto plot. */
#define PRF_SWEEP_NO_COST SIZE_MAX

/**
 * struct prf_sweep_plot_opts - what prf_sweep_plot_write writes.
 * @metric: for the lines and heatmap plots.
 * @cost_axis: index of the axis of the Pareto plot's cost (x) axis; it must be numeric.
 *             PRF_SWEEP_NO_COST: no Pareto plot data (a sweep without a numeric axis).
 */
struct prf_sweep_plot_opts {
	enum prf_sweep_metric metric;
	size_t cost_axis;
};

/**
 * prf_sweep_plot_write - from @rows (one per point of @s) write @out_dir/sweep_lines.dat,
 * sweep_heatmap.dat and sweep_pareto.dat (not with PRF_SWEEP_NO_COST), the data of
 * plots/sweep_lines.gp, sweep_heatmap.gp and sweep_pareto.gp (the layouts are in the comment header of each
 * file and script). The lines and heatmap use the first two axes; further axes are held
 * at their first value (the title says so). HLSIM_E_USAGE if the cost axis is not
 * numeric, HLSIM_E_IO on a write error.
 */
hlsim_err_t prf_sweep_plot_write(const struct prf_sweep_spec *s,
				 const struct prf_sweep_plot_row *rows,
				 const struct prf_sweep_plot_opts *o, const char *out_dir);

#endif /* HLSIM_PRF_SWEEP_H */
