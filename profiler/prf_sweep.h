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
 *   prf_sweep_axis_parse   one --vary KEY=V1,V2,... or KEY=START:STOP:STEP, canonical values
 *   prf_sweep_spec_*       the whole specification: checks, point values, text (sweep.spec)
 *   prf_sweep_run          run the points of a shard as child processes, N at a time
 *   prf_sweep_collect      write sweep.csv and sweep.h5 from the points of one or more dirs
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

/**
 * struct prf_sweep_axis - one varied parameter.
 * @key: the declared key ("hbm.bandwidth"), owned.
 * @type: its declared type.
 * @values: the values in canonical text (mdl_config_format_value), in the order given or
 *          from START up to STOP, owned; @num_values of them (at least 1, all distinct).
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
 * @trace: the trace path as given. @config: the preset name or file, NULL for the default.
 * @sets: the --set KEY=VALUE arguments as given, @num_sets of them.
 * @axes: the --vary axes in command-line order, @num_axes of them.
 * @num_points: the product of the axes' value counts (set by prf_sweep_spec_finish).
 * All strings are owned.
 */
struct prf_sweep_spec {
	char *trace;
	char *config;
	char **sets;
	size_t num_sets;
	struct prf_sweep_axis axes[PRF_SWEEP_MAX_AXES];
	size_t num_axes;
	uint64_t num_points;
};

/** prf_sweep_spec_init - an empty spec for @trace and @config (NULL: default preset). */
hlsim_err_t prf_sweep_spec_init(struct prf_sweep_spec *s, const char *trace, const char *config);
/** prf_sweep_spec_add_set - add a --set KEY=VALUE (checked by prf_sweep_spec_check). */
hlsim_err_t prf_sweep_spec_add_set(struct prf_sweep_spec *s, const char *key_eq_value);
/**
 * prf_sweep_spec_add_vary - parse and add a --vary axis (prf_sweep_axis_parse). A key
 * varied twice, or also given with --set, is an HLSIM_E_USAGE error.
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
 */
hlsim_err_t prf_sweep_spec_check(const struct prf_sweep_spec *s);
/** prf_sweep_spec_free - release a spec; safe on a zeroed one. */
void prf_sweep_spec_free(struct prf_sweep_spec *s);

/** prf_sweep_point_value - the canonical value of axis @axis at point @point. */
const char *prf_sweep_point_value(const struct prf_sweep_spec *s, uint64_t point, size_t axis);

/**
 * prf_sweep_spec_text - the spec as the text of DIR/sweep.spec (malloc'd into *@out):
 * a version line, then `trace`, `config`, `set` and `vary KEY=V1,V2,...` lines (values
 * canonical, ranges expanded) and `points N`. Two sweeps run the same points exactly when
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
 * in DIR/points/NNNNN/log.txt, at most @jobs at once (posix_spawn, no shell). Each
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
 * fraction per engine class (dma, tpc, mme), bytes moved by DMA, achieved TFLOPS and the
 * busiest engine. A point with no valid marker in any dir is an HLSIM_E_INVAL error
 * naming it. The files are written to temporary names and renamed.
 */
hlsim_err_t prf_sweep_collect(const struct prf_sweep_spec *s, const char *const *dirs,
			      size_t num_dirs, const char *out_dir, uint64_t shard_index,
			      uint64_t shard_count);

#endif /* HLSIM_PRF_SWEEP_H */
