/**
 * profiler/prf.h - the profiler's internal interface: reports and plot data from a
 * results file.
 *
 * The profiler reads only the results API (include/hlsim/results.h), never the models,
 * so the same code serves simulated and captured runs. The work is split so each part can
 * be tested on in-memory arrays:
 *
 *   prf_union_*     the length of a union of intervals, streamed, in bounded memory
 *   prf_report_*    per-unit and per-memory-path statistics over a time window, fed with
 *                   timeline records in windows of rows (prf_report_add), then written as
 *                   text (report_text.c) or JSON (report_json.c, schema REPORT-SCHEMA.md)
 *   prf_timeline_*  the Gantt chart data (timeline.c), bounded by merging when large
 *   prf_plot_*      running gnuplot on plots/timeline.gp (plot.c)
 *   prf_report_run  all of the above for one results file (report.c)
 *
 * All times are integer picoseconds (_ps) of simulated time, as in the results file.
 */
#ifndef HLSIM_PRF_H
#define HLSIM_PRF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hlsim/error.h"
#include "hlsim/results.h"
#include "hlsim/trace.h"
#include "models/common/asic.h"
#include "profiler/prf_deps.h"

/* ===== options and entry points ===== */

/**
 * struct prf_options - what prf_report_run() writes.
 * @no_plot: non-zero: write no timeline.png / timeline.svg (and do not need gnuplot).
 * @plots_dir: folder holding timeline.gp; NULL: the first of $HLSIM_PLOTS_DIR,
 *             HLSIM_SOURCE_DIR/plots, HLSIM_DATA_DIR/plots that holds timeline.gp.
 * @window_start_ps: start of the analysed window; with @window_end_ps both 0: whole run.
 * @window_end_ps: end of the analysed window (exclusive); must be > @window_start_ps and
 *                 not after the end of the run, unless both are 0.
 */
struct prf_options {
	int no_plot;
	const char *plots_dir;
	uint64_t window_start_ps, window_end_ps;
};

/**
 * prf_report_run - read @results_path (streaming) and write report.txt, report.json,
 * timeline.dat and, unless @opt->no_plot, timeline.png and timeline.svg into @out_dir
 * (created if missing; its parent must exist). @opt may be NULL (whole run, with plots).
 * Errors: HLSIM_E_IO / HLSIM_E_TRACE_FORMAT for unreadable or inconsistent results,
 * HLSIM_E_INVAL for a bad window, HLSIM_E_EXTERNAL if gnuplot is missing or fails.
 */
hlsim_err_t prf_report_run(const char *results_path, const char *out_dir,
			   const struct prf_options *opt);

/** prf_report_print - the text report of the whole run of @results_path to @out. */
hlsim_err_t prf_report_print(const char *results_path, FILE *out);

/** prf_report_print_json - the JSON report (REPORT-SCHEMA.md) of the whole run to @out. */
hlsim_err_t prf_report_print_json(const char *results_path, FILE *out);

/* ===== union of intervals ===== */

/** PRF_UNION_MAX_PENDING - disjoint intervals a union keeps before counting the oldest. */
#define PRF_UNION_MAX_PENDING 512

/** struct prf_span - a half-open interval [start_ps, end_ps). */
struct prf_span {
	uint64_t start_ps, end_ps;
};

/**
 * struct prf_union - the total length of a union of intervals given in any order.
 *
 * Intervals are merged into a sorted list of disjoint pending spans. When the list is full
 * (PRF_UNION_MAX_PENDING), the older half is counted and forgotten, so memory does not
 * grow with the number of intervals. An interval that later reaches back before the last
 * forgotten span cannot be merged exactly; it is counted from the end of that span on and
 * @inexact_count says how many did so (0 means the total is exact). Intervals given in
 * order of their start are always exact; any order is exact as long as no interval reaches
 * back over more than PRF_UNION_MAX_PENDING / 2 gaps of the union (prf_report_add() sorts
 * each batch of records by start, so only records reaching back across a batch boundary
 * can be affected).
 *
 * @pend: pending disjoint spans sorted by start (owned).
 * @n: spans in @pend. @cap: allocated spans.
 * @counted_ps: length of the spans already counted and forgotten.
 * @last_counted: the latest forgotten span (valid if @have_counted).
 * @have_counted: some spans were forgotten.
 * @inexact_count: intervals that reached back past a forgotten span.
 */
struct prf_union {
	struct prf_span *pend;
	uint32_t n, cap;
	uint64_t counted_ps;
	struct prf_span last_counted;
	int have_counted;
	uint64_t inexact_count;
};

/** prf_union_init - an empty union. */
void prf_union_init(struct prf_union *u);
/** prf_union_add - add [@start_ps, @end_ps); empty intervals add nothing. E_NOMEM only. */
hlsim_err_t prf_union_add(struct prf_union *u, uint64_t start_ps, uint64_t end_ps);
/** prf_union_total_ps - the length of the union so far (the pending spans are kept). */
uint64_t prf_union_total_ps(const struct prf_union *u);
/** prf_union_free - release the pending spans; the union is empty afterwards. */
void prf_union_free(struct prf_union *u);

/* ===== statistics ===== */

/** enum prf_check_kind - which quantity a counters/records cross-check compared. */
enum prf_check_kind {
	PRF_CHECK_BUSY = 0, /* counters.busy_ps vs busy time from the records */
	PRF_CHECK_FENCE_WAIT, /* counters.fence_wait_ps vs the FENCE_WAIT union */
	PRF_CHECK_BARRIER_WAIT, /* counters.barrier_wait_ps vs the BARRIER_WAIT union */
	PRF_CHECK_BYTES, /* counters.bytes vs the sum of DMA record bytes */
	PRF_CHECK_JOBS, /* counters.jobs vs JOB + CB + DMA records */
	PRF_CHECK_COUNT_
};

/**
 * struct prf_unit_stats - what one unit did within the window.
 *
 * Times come from the records, clipped to the window: @occupied_ps is the union of all
 * the unit's records, @wait_ps the union of its FENCE_WAIT and BARRIER_WAIT records (the
 * CP is blocked), @busy_ps = @occupied_ps - @wait_ps (a wait lies inside the unit's
 * occupied time by construction), @idle_ps = window - @occupied_ps. A WAIT packet's timed
 * wait (WAIT_TIME) is the CP executing a packet: it counts as busy, as the simulator's
 * counters do, and @timed_wait_ps reports it on its own too.
 */
struct prf_unit_stats {
	struct hlsim_unit unit; /* copy of the units-table row (name NUL-terminated) */
	int have_counters; /* @counters is valid */
	struct hlsim_counters counters; /* the simulator's totals over the whole run */
	uint64_t records; /* records of this unit overlapping the window */
	uint64_t kind_records[HLSIM_REC_KIND_COUNT_]; /* the same, per record kind */
	uint64_t jobs; /* JOB + CB records */
	uint64_t transfers; /* DMA records */
	uint64_t dma_bytes; /* bytes of the DMA records (counted whole) */
	uint64_t cb_bytes; /* bytes of the JOB and CB records (counted whole) */
	struct prf_union u_all, u_wait, u_fence, u_barrier, u_timed;
	/* filled by prf_report_finish() */
	uint64_t occupied_ps, wait_ps, busy_ps, fence_wait_ps, barrier_wait_ps, timed_wait_ps,
		idle_ps;
	uint64_t inexact_count; /* records merged inexactly into this unit's unions */
};

/**
 * struct prf_path_stats - DMA traffic from one memory kind to another.
 * @src, @dst: enum mdl_mem_kind (from the DMA record aux field).
 * @busy_ps: time at least one transfer of this path was in flight (union).
 */
struct prf_path_stats {
	uint8_t src, dst;
	uint64_t bytes, transfers;
	struct prf_union u;
	uint64_t busy_ps;
};

/**
 * struct prf_check - one disagreement between the counters and the records.
 * @unit: unit id. @kind: enum prf_check_kind.
 * @counters_value, @records_value: the two values (ps, bytes or a count).
 */
struct prf_check {
	uint32_t unit;
	uint8_t kind;
	uint64_t counters_value, records_value;
};

/** PRF_PLOT_MAX_RECORDS - above this many records in the window, the plot data is merged. */
#define PRF_PLOT_MAX_RECORDS 200000
/** PRF_PLOT_PIXELS - horizontal resolution assumed when merging: gaps < window/this join. */
#define PRF_PLOT_PIXELS 4000

/** struct prf_box - one bar of the Gantt chart (a record, or merged records). */
struct prf_box {
	uint64_t start_ps, end_ps;
	uint32_t unit;
	uint16_t kind; /* enum hlsim_rec_kind */
	uint16_t pad_;
};

/**
 * struct prf_timeline - the plot data, bounded.
 * @boxes: bars clipped to the window (owned). @n, @cap: used and allocated.
 * @records: records offered (those overlapping the window).
 * @merging: more than PRF_PLOT_MAX_RECORDS records were offered: bars of one unit and
 *           kind closer than @gap_ps are joined.
 * @gap_ps: one pixel: window / PRF_PLOT_PIXELS, at least 1 ps.
 * @last: while merging, index in @boxes of the latest bar per (unit, kind), or SIZE_MAX.
 * @compact_at: while merging, @n at which all bars are sorted and joined again.
 */
struct prf_timeline {
	struct prf_box *boxes;
	size_t n, cap;
	uint64_t records;
	int merging;
	uint64_t gap_ps;
	size_t *last;
	size_t num_units;
	size_t compact_at;
};

/* ===== launches: the longest ones and a table per kernel name ===== */

/** PRF_TOP_LAUNCHES - how many of the longest LAUNCH records a report lists. */
#define PRF_TOP_LAUNCHES 10
/** PRF_KERNELS_MAX - kernel-table rows kept; launches of further names are not grouped. */
#define PRF_KERNELS_MAX 1024
/** PRF_KERNEL_NAME_BYTES - room for a kernel name (longer names are cut). */
#define PRF_KERNEL_NAME_BYTES 64
/** PRF_NOTE_BYTES - room for the one-line note on why kernel names are missing. */
#define PRF_NOTE_BYTES 256

struct prf_names; /* kernel-name lookup in a trace (launches.c) */

/**
 * struct prf_launch - one LAUNCH record kept among the longest.
 * @rec: the record (times unclipped). @kernel: its kernel name, "" if unknown.
 */
struct prf_launch {
	struct hlsim_rec rec;
	char kernel[PRF_KERNEL_NAME_BYTES];
};

/**
 * struct prf_kernel_stats - the launches of one kernel name on one engine class.
 * @kernel: the name, "" for launches without a name (grouped per engine class).
 * @engine_class: the launching unit's engine class ("tpc", "mme", ...).
 * @launches, @total_ps, @flops, @bytes: sums over those launches (times unclipped).
 */
struct prf_kernel_stats {
	char kernel[PRF_KERNEL_NAME_BYTES];
	char engine_class[9];
	uint64_t launches, total_ps, flops, bytes;
};

/**
 * struct prf_launches - LAUNCH records overlapping the window, in bounded memory.
 * @top: the PRF_TOP_LAUNCHES longest, longest first (ties: earlier start, then lower unit,
 *       then lower CS seq, then lower job). @num_top: entries used.
 * @kernels: one row per (kernel name, engine class), in first-seen order (owned);
 *           at most PRF_KERNELS_MAX. @num_kernels, @cap_kernels: used and allocated.
 * @launches: LAUNCH records seen. @ungrouped: launches whose name found no free row.
 * @names: the kernel-name lookup (owned), NULL when names are not available.
 * @names_note: why names are not available ("" when they are, or when no trace was tried).
 * @names_found: launches that got a name.
 */
struct prf_launches {
	struct prf_launch top[PRF_TOP_LAUNCHES];
	size_t num_top;
	struct prf_kernel_stats *kernels;
	size_t num_kernels, cap_kernels;
	uint64_t launches, ungrouped;
	struct prf_names *names;
	char names_note[PRF_NOTE_BYTES];
	uint64_t names_found;
};

/**
 * prf_names_open - prepare kernel-name lookups in the trace at @trace_path. Never fails
 * on the trace: when it is missing, unreadable or its tables are not in CS order, *@out is
 * NULL and @note (@note_size bytes) says why in one line. HLSIM_E_NOMEM only.
 */
hlsim_err_t prf_names_open(const char *trace_path, struct prf_names **out, char *note,
			   size_t note_size);
/**
 * prf_names_lookup - the `kernel_name` annotation of the CS with seq @cs_seq for the queue
 * of its job @job on device @dev, into @buf (@size bytes). Returns 1 if found, 0 if not,
 * -1 if the trace could not be read (then @note, if not NULL, says why).
 * When one queue carries several names in one CS, the first is used.
 */
int prf_names_lookup(struct prf_names *nm, uint32_t dev, uint64_t cs_seq, uint32_t job,
		     char *buf, size_t size, char *note, size_t note_size);
/** prf_names_close - close the trace; NULL is a no-op. */
void prf_names_close(struct prf_names *nm);
/** prf_names_trace - the trace @nm keeps open (NULL if @nm is NULL), for other look-ups. */
hlsim_trace_t *prf_names_trace(const struct prf_names *nm);

/** prf_launch_cmp - order of struct prf_launch: longest first, ties as in @top above. */
int prf_launch_cmp(const struct prf_launch *a, const struct prf_launch *b);
/**
 * prf_launches_add - account one LAUNCH record @r of a unit on device @dev with engine
 * class @engine_class, looking its kernel name up if @l->names is set (a read failure
 * drops the names and sets the note). HLSIM_E_NOMEM only.
 */
hlsim_err_t prf_launches_add(struct prf_launches *l, const struct hlsim_rec *r, uint32_t dev,
			     const char *engine_class);
/** prf_launches_free - release the kernel table and the name lookup. */
void prf_launches_free(struct prf_launches *l);

/**
 * struct prf_advice_config - the peaks of the run's configuration the advice rules compare
 * with (profiler/advice.c), read from the results' resolved configuration.
 * @have_config: non-zero: the configuration was read and the fields below are valid;
 *               0: the rules that need a peak are not evaluated.
 * @pcie_h2d_bytes_per_s, @pcie_d2h_bytes_per_s: raw PCIe rates (pcie.*_bandwidth).
 * @pcie_efficiency: pcie.efficiency (the link carries raw rate x efficiency).
 * @dma_setup_latency_ps: dma.setup_latency, paid by every DMA transfer.
 * @hbm_bytes_per_s: hbm.bandwidth.
 * @tpc_peak_flops_per_s: one TPC: 2 x (tpc.vector_bytes / 2 bf16 lanes) x tpc.clock.
 * @mme_peak_flops_per_s: one MME: 2 x mme.array_rows x mme.array_cols x mme.clock.
 */
struct prf_advice_config {
	int have_config;
	double pcie_h2d_bytes_per_s, pcie_d2h_bytes_per_s, pcie_efficiency;
	uint64_t dma_setup_latency_ps;
	double hbm_bytes_per_s, tpc_peak_flops_per_s, mme_peak_flops_per_s;
};

/**
 * struct prf_report - everything a report says, for one window of one run.
 * @run: the run-info row. @whole_run: the window is the whole run.
 * @window_start_ps, @window_end_ps: the analysed window [start, end).
 * @units: one per units-table row, in unit-id order (owned). @num_units: their number.
 * @paths: DMA traffic per [src][dst] memory kind.
 * @records_total: records offered to prf_report_add().
 * @records_in_window: records overlapping the window (zero-length ones inside it count).
 * @records_past_end: records ending after the end of the run (whole run only).
 * @max_end_ps: latest record end seen.
 * @checks: counters/records disagreements (owned), @num_checks: their number.
 * @inexact_count: records merged inexactly into some union (see struct prf_union).
 * @timeline: the plot data.
 * @order: scratch for prf_report_add: the batch sorted by start time (owned).
 * @order_cap: entries allocated in @order (the largest batch so far).
 * @launches: the longest LAUNCH records and the per-kernel table; set @launches.names
 *            (prf_names_open) after prf_report_init() to get kernel names.
 * @advice_cfg: the configuration peaks for the advice rules; zeroed by prf_report_init()
 *              (no configuration), set with prf_advice_config_load().
 * @stalls: fence-blocked time per (queue, producer, SOB), filled by prf_report_load()
 *          from /releases (empty when the report is built with prf_report_add() only).
 * @crit: the critical path of the whole run, filled by prf_report_load()
 *        (crit.computed 0 otherwise).
 */
/**
 * struct prf_collective - a generated collective's figures (profiler/collective.c).
 * @present: the trace names a collective; @op, @algo, @dtype: as the annotation says;
 * @bytes_per_rank, @devices: its size; @busbw_factor: hccl_demo's bus bandwidth factor;
 * @cs_start_ps, @cs_end_ps: span of the run's CS records.
 */
struct prf_collective {
	int present;
	char op[16], algo[16], dtype[16];
	uint64_t bytes_per_rank;
	uint32_t devices;
	double busbw_factor;
	uint64_t cs_start_ps, cs_end_ps;
};

/**
 * prf_collective_load - read the "collective" annotation of trace @t (the one the kernel
 * names were read from; NULL or none: !present).
 */
void prf_collective_load(struct prf_collective *c, hlsim_trace_t *t);
/** prf_collective_add - take the CS span from @n records of the timeline. */
void prf_collective_add(struct prf_collective *c, const struct hlsim_rec *recs, size_t n);
/** prf_collective_figures - time [s], algbw and busbw [bytes/s]; 0 when there are none. */
int prf_collective_figures(const struct prf_collective *c, double *time_s, double *algbw,
			   double *busbw);
/** prf_collective_text - the report section (nothing when there are no figures). */
void prf_collective_text(FILE *o, const struct prf_collective *c);

/** enum prf_held_res - what an engine's work waited for (profiler/held.c). */
enum prf_held_res { PRF_RES_HBM = 0, PRF_RES_SRAM, PRF_RES_PCIE, PRF_RES_NETWORK, PRF_RES_COUNT };
extern const char *const prf_held_res_name[PRF_RES_COUNT];

/**
 * struct prf_held - per engine unit, time its work took beyond its own rate, by resource
 * (profiler/held.c has the rules). @have_config: the run's configuration was readable.
 */
struct prf_held {
	int have_config;
	double mem_bw[4], pcie_d2h_bw, dma_bw, nic_bw; /* bytes/s; mem_bw by mdl_mem_kind */
	uint64_t mem_lat_ps[4], dma_setup_ps, nic_fixed_ps, nic_mtu, nic_overhead;
	uint64_t *held_ps; /* [unit * PRF_RES_COUNT + res] */
	uint64_t *starved_ps; /* [unit * 2 + 0 CB fetch, 1 packets], whole run (results 1.2) */
	int have_starved;
	size_t num_units;
	struct hlsim_launch_traffic *lt; /* a window of /launch_traffic rows */
	size_t lt_n, lt_pos;
	uint64_t lt_first, lt_total;
};

/** prf_held_init - for @num_units units, the run's INI text @ini, @launch_traffic_rows rows. */
hlsim_err_t prf_held_init(struct prf_held *h, size_t num_units, const char *ini,
			  uint64_t launch_traffic_rows);
/** prf_held_add - charge @n timeline records (rows from @first_row) clipped to [ws, we). */
hlsim_err_t prf_held_add(struct prf_held *h, hlsim_results_t *res, const char *path,
			 uint64_t first_row, const struct hlsim_rec *recs, size_t n, uint64_t ws,
			 uint64_t we);
/** prf_held_ps - unit @unit's time held by resource @res (enum prf_held_res), in ps. */
uint64_t prf_held_ps(const struct prf_held *h, uint32_t unit, int res);
/** prf_held_starved - copy the results' /starved rows (absent before 1.2: have_starved 0). */
hlsim_err_t prf_held_starved(struct prf_held *h, const hlsim_results_t *res);
void prf_held_free(struct prf_held *h);

struct prf_report {
	struct hlsim_run_info run;
	int whole_run;
	uint64_t window_start_ps, window_end_ps;
	struct prf_unit_stats *units;
	size_t num_units;
	struct prf_path_stats paths[MDL_MEM_KIND_COUNT_][MDL_MEM_KIND_COUNT_];
	uint64_t records_total, records_in_window, records_past_end, max_end_ps;
	struct prf_check *checks;
	size_t num_checks;
	uint64_t inexact_count;
	struct prf_timeline timeline;
	const struct hlsim_rec **order;
	size_t order_cap;
	struct prf_launches launches;
	struct prf_advice_config advice_cfg;
	struct prf_stalls stalls;
	struct prf_critpath crit;
	struct prf_collective coll;
	struct prf_held held;
};

/**
 * prf_report_init - start a report over [@window_start_ps, @window_end_ps) of a run with
 * @num_units units (@units[i].id must be i) and their counters: @counters[i] points at
 * unit i's row (its .unit must be i) or is NULL if the unit has none; @counters itself may
 * be NULL (no counters at all). Both window ends 0: the whole run [0, simulated time).
 * Copies what it needs. Errors: HLSIM_E_TRACE_FORMAT for inconsistent tables,
 * HLSIM_E_INVAL for a bad window, HLSIM_E_NOMEM.
 */
hlsim_err_t prf_report_init(struct prf_report *rep, const struct hlsim_run_info *run,
			    const struct hlsim_unit *units,
			    const struct hlsim_counters *const *counters, size_t num_units,
			    uint64_t window_start_ps, uint64_t window_end_ps);

/**
 * prf_report_add - account @n timeline records (the next @n rows of the file, in order).
 * Rejects (HLSIM_E_TRACE_FORMAT, naming the row) an unknown unit or kind, end < start and
 * a DMA aux naming an unknown memory kind; nothing of a rejected batch is accounted.
 * The batch is accounted in start-time order, so a record that contains others written
 * before it (a JOB and its FENCE_WAITs) merges exactly; memory grows with the largest
 * batch, not with the run.
 */
hlsim_err_t prf_report_add(struct prf_report *rep, const struct hlsim_rec *recs, size_t n);

/** prf_report_finish - derive busy/idle times, paths and cross-checks; call once. */
hlsim_err_t prf_report_finish(struct prf_report *rep);

/** prf_report_free - release what prf_report_init/add allocated; safe on a zeroed report. */
void prf_report_free(struct prf_report *rep);

/** prf_report_window_ps - the window length in ps. */
uint64_t prf_report_window_ps(const struct prf_report *rep);

/**
 * struct prf_bottleneck - the report's "bottleneck" picks; -1 when there is none.
 * @engine: index in rep->units of the busiest engine (largest busy_ps, then lowest id).
 * @fence_queue: index of the queue or lower CP with the largest fence_wait_ps (> 0).
 * @path_src, @path_dst: the memory path with the largest busy_ps, then most bytes.
 */
struct prf_bottleneck {
	long engine;
	long fence_queue;
	int path_src, path_dst;
};

/** prf_report_bottleneck - pick the bottleneck rows of a finished report. */
void prf_report_bottleneck(const struct prf_report *rep, struct prf_bottleneck *out);

/** prf_rec_kind_name - "JOB", "DMA", ... for an enum hlsim_rec_kind; "?" if unknown. */
const char *prf_rec_kind_name(unsigned int kind);
/** prf_unit_kind_name - "queue", "lower_cp", "engine", "host"; "?" if unknown. */
const char *prf_unit_kind_name(unsigned int kind);
/** prf_check_kind_name - "busy_ps", "fence_wait_ps", ... for an enum prf_check_kind. */
const char *prf_check_kind_name(unsigned int kind);

/* ===== number formatting (locale-independent, deterministic) ===== */

/** prf_fmt_ps_us - @ps as microseconds with 6 decimals ("12.345678") into @buf. */
char *prf_fmt_ps_us(char *buf, size_t size, uint64_t ps);
/** prf_fmt_fixed - finite non-negative @v rounded to @decimals (0..9) into @buf. */
char *prf_fmt_fixed(char *buf, size_t size, double v, int decimals);

/* ===== advice: rules that turn the report's numbers into sentences (advice.c) ===== */

/** PRF_ADVICE_SENTENCE_BYTES - room for one advice sentence. */
#define PRF_ADVICE_SENTENCE_BYTES 512
/** PRF_ADVICE_MAX_VALUES - numbers one advice item keeps. */
#define PRF_ADVICE_MAX_VALUES 6

/** struct prf_advice_value - one number an advice item is based on (unit in @name). */
struct prf_advice_value {
	const char *name;
	double value;
};

/**
 * struct prf_advice_item - one piece of advice.
 * @rule: the rule id ("pcie_bound"). @severity: "high" or "medium" (fixed per rule).
 * @subject: what it is about: a memory path, a queue, an engine class or a kernel.
 * @sentence: the advice, worded with the numbers.
 * @values: the numbers it is based on; @num_values: how many.
 */
struct prf_advice_item {
	const char *rule;
	const char *severity;
	char subject[PRF_KERNEL_NAME_BYTES + 16];
	char sentence[PRF_ADVICE_SENTENCE_BYTES];
	struct prf_advice_value values[PRF_ADVICE_MAX_VALUES];
	size_t num_values;
};

/** struct prf_advice - the items every rule produced, in rule-table order (owned). */
struct prf_advice {
	struct prf_advice_item *items;
	size_t n, cap;
};

/**
 * struct prf_advice_rule - one row of the rule table.
 * @id: the rule id. @severity: the severity of its items.
 * @description: one line: what it detects and why it matters.
 * @needs_config: non-zero: it compares with configured peaks and is skipped without them.
 * @check: add an item to @out for every place the rule fires (E_NOMEM only).
 */
struct prf_advice_rule {
	const char *id;
	const char *severity;
	const char *description;
	int needs_config;
	hlsim_err_t (*check)(const struct prf_report *rep, const struct prf_advice_config *cfg,
			     struct prf_advice *out);
};

/** prf_advice_rules - the rule table; *@n gets its length. */
const struct prf_advice_rule *prf_advice_rules(size_t *n);

/**
 * prf_advice_config_load - read the peaks of @cfg from @ini, the resolved configuration
 * text of a results file (hlsim_results_config()). A NULL, empty or unreadable text leaves
 * @cfg->have_config 0 (the rules that need it are then skipped); never fails.
 */
void prf_advice_config_load(struct prf_advice_config *cfg, const char *ini);

/**
 * prf_advice_compute - run every rule of the table on the finished report @rep with the
 * peaks @cfg (NULL: none) into @out (initialised here; free with prf_advice_free()).
 * Deterministic: items in rule-table order, then unit, path or kernel-table order.
 * HLSIM_E_NOMEM only.
 */
hlsim_err_t prf_advice_compute(const struct prf_report *rep, const struct prf_advice_config *cfg,
			       struct prf_advice *out);

/** prf_advice_free - release the items; @adv is empty afterwards. */
void prf_advice_free(struct prf_advice *adv);

/* ===== writers ===== */

/** prf_report_write_text - the aligned text report (report.txt) to @out. */
hlsim_err_t prf_report_write_text(const struct prf_report *rep, FILE *out);
/** prf_report_write_json - the JSON report (schema hlsim-report v1) to @out. */
hlsim_err_t prf_report_write_json(const struct prf_report *rep, FILE *out);
/**
 * prf_report_write_csv - the report's tables as CSV files in @dir (created if missing):
 * engines.csv, queues.csv, dma_paths.csv, top_launches.csv, kernels.csv, stalls.csv,
 * critical_path.csv, each with a header row whose column names carry their units. Rows as
 * in the text report.
 */
hlsim_err_t prf_report_write_csv(const struct prf_report *rep, const char *dir);
/**
 * prf_report_print_csv - like prf_report_print() (@json: prf_report_print_json()), and
 * also the CSV files of prf_report_write_csv() into @csv_dir.
 */
hlsim_err_t prf_report_print_csv(const char *results_path, FILE *out, int json,
				 const char *csv_dir);

/**
 * prf_json_write_string - write @len bytes of @s as a JSON string literal (with quotes):
 * '"' and '\\' escaped, control characters as \b \f \n \r \t or \u00XX, invalid UTF-8
 * bytes as \ufffd, so the output is always valid JSON.
 */
void prf_json_write_string(FILE *out, const char *s, size_t len);

/* ===== timeline plot data ===== */

/** prf_timeline_init - empty plot data for @num_units units and a window of @window_ps. */
hlsim_err_t prf_timeline_init(struct prf_timeline *tl, size_t num_units, uint64_t window_ps);
/** prf_timeline_add - offer one bar (already clipped to the window). E_NOMEM only. */
hlsim_err_t prf_timeline_add(struct prf_timeline *tl, const struct prf_box *box);
/** prf_timeline_finish - sort the bars (unit, kind, start) and join them if merging. */
hlsim_err_t prf_timeline_finish(struct prf_timeline *tl);
/** prf_timeline_free - release the bars. */
void prf_timeline_free(struct prf_timeline *tl);

/**
 * prf_timeline_write_dat - timeline.dat for plots/timeline.gp: a commented header, then
 * four blocks separated by two blank lines (gnuplot "index"): 0 meta, 1 kinds, 2 rows,
 * 3 bars `row start_us end_us kind_index`. Units with no record in the window get no row.
 */
hlsim_err_t prf_timeline_write_dat(const struct prf_report *rep, FILE *out);

/* ===== gnuplot ===== */

/**
 * prf_plots_dir_find - the folder holding timeline.gp: @explicit_dir if not NULL, else the
 * first of $HLSIM_PLOTS_DIR, HLSIM_SOURCE_DIR "/plots", HLSIM_DATA_DIR "/plots" that holds
 * it. Writes the folder into @buf. HLSIM_E_IO naming every place tried if none does.
 */
hlsim_err_t prf_plots_dir_find(const char *explicit_dir, char *buf, size_t size);

/**
 * prf_plot_run - run `gnuplot -c SCRIPT DATA OUT` (posix_spawnp, no shell; the program is
 * $HLSIM_GNUPLOT if set, else "gnuplot" from PATH) and wait for it. Its output and error
 * streams are the caller's. HLSIM_E_EXTERNAL if it cannot be started, is killed, exits
 * non-zero or leaves no @out_path.
 */
hlsim_err_t prf_plot_run(const char *script_path, const char *data_path, const char *out_path);

/* ===== HTML page (report_html.c) ===== */

struct prf_runplots; /* profiler/prf_runplots.h */

/** prf_html_escape - write @s (at most @len bytes, stops at NUL) HTML-escaped to @out. */
void prf_html_escape(FILE *out, const char *s, size_t len);
/**
 * prf_html_write - the report @rep as one self-contained HTML page to @out: the tables of
 * the text report and, when @plots and @plots_dir are not NULL, the timeline, utilisation,
 * bandwidth and roofline plots drawn as SVG in a private temporary folder (removed) and
 * embedded inline; a plot that fails becomes a one-line note. Deterministic.
 */
hlsim_err_t prf_html_write(const struct prf_report *rep, const struct prf_runplots *plots,
			   const char *plots_dir, FILE *out);
/**
 * prf_html_report_file - read @results_path and write the page of prf_html_write() for the
 * whole run to @html_path (plot scripts found as by prf_plots_dir_find(NULL, ...); none
 * found: the page says so instead of the plots).
 */
hlsim_err_t prf_html_report_file(const char *results_path, const char *html_path);

/**
 * prf_report_load - read results file @path (streaming) into @rep for the window
 * [@ws, @we) (both 0: the whole run), with kernel names and the advice peaks, and, if
 * @plots is not NULL, the per-run plot data. On success the caller frees @rep (and
 * @plots) with prf_report_free() / prf_runplots_free().
 */
hlsim_err_t prf_report_load(const char *path, uint64_t ws, uint64_t we, struct prf_report *rep,
			    struct prf_runplots *plots);

#endif /* HLSIM_PRF_H */
