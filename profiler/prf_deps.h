/**
 * profiler/prf_deps.h - dependencies between units, from the results' /releases table
 * (results 1.1): stall attribution (stalls.c) and the critical path (critpath.c).
 *
 * A /releases row says which unit, and which of its timeline records, wrote the message
 * that released one FENCE_WAIT, through which SOB, and when. Both analyses stream: the
 * stall table grows with the number of distinct (waiting queue, producer, SOB) triples,
 * the critical path keeps a sparse per-unit index of the timeline (see struct
 * prf_critpath) and reads the records it needs back from the results file.
 */
#ifndef HLSIM_PRF_DEPS_H
#define HLSIM_PRF_DEPS_H

#include <stddef.h>
#include <stdint.h>

#include "hlsim/error.h"
#include "hlsim/results.h"

/**
 * PRF_STALL_ROWS_MAX - (queue, producer, SOB) rows kept; waits of further triples are
 * counted as dropped.
 */
#define PRF_STALL_ROWS_MAX 65536
/** PRF_STALL_TOP - pairs listed in "who kept whom waiting". */
#define PRF_STALL_TOP 10
/** PRF_SOB_DIRECT - struct hlsim_release.sob when the message went to the fence directly. */
#define PRF_SOB_DIRECT UINT32_MAX
/** PRF_NO_ROW - struct hlsim_release.producer_row when a CP's own message wrote it. */
#define PRF_NO_ROW UINT64_MAX

/**
 * struct prf_stall_row - the fence waits of one queue released through one SOB by one
 * producer unit.
 * @queue: the waiting unit (a queue or lower CP). @producer: the unit that wrote the
 * releasing message. @sob: the SOB (block << 16 | index), PRF_SOB_DIRECT if none.
 * @waits: FENCE_WAIT records. @blocked_ps: their time, clipped to the report window.
 */
struct prf_stall_row {
	uint32_t queue, producer, sob;
	uint64_t waits, blocked_ps;
};

/**
 * struct prf_stalls - fence-blocked time attributed to the producers that released it.
 * @have_releases: the results file has /releases rows (0: a 1.0 file, or no fence waited).
 * @rows: one per (queue, producer, sob) seen, in first-seen order (owned); @n, @cap.
 * @slots: open-addressing hash of @rows (index + 1, 0 = empty; owned); @nslots (power of 2).
 * @waits, @blocked_ps: FENCE_WAIT records in the window and their clipped time.
 * @unattributed_waits, @unattributed_ps: of those, the ones no release row names.
 * @dropped_waits, @dropped_ps: attributed waits whose triple found no free row.
 * @next_release: releases consumed so far (the join cursor).
 * @last_wait_row: wait_row of the last release consumed (they must increase).
 */
struct prf_stalls {
	int have_releases;
	struct prf_stall_row *rows;
	size_t n, cap;
	uint32_t *slots;
	size_t nslots;
	uint64_t waits, blocked_ps;
	uint64_t unattributed_waits, unattributed_ps;
	uint64_t dropped_waits, dropped_ps;
	uint64_t next_release, last_wait_row;
};

/**
 * prf_stalls_add - account the timeline rows @recs[0..@n) (file rows @first_row ..) with
 * the release rows @rels[0..@nrel) whose wait_row lies in that range (in file order).
 * @num_units: units in the file. @ws, @we: the report window (waits not overlapping it are
 * not counted; times are clipped to it). HLSIM_E_TRACE_FORMAT (naming the release row,
 * @rel_first + index) when a release names a row outside the batch, a row that is not a
 * FENCE_WAIT, an unknown unit, or comes out of wait_row order; HLSIM_E_NOMEM.
 */
hlsim_err_t prf_stalls_add(struct prf_stalls *st, uint64_t first_row, const struct hlsim_rec *recs,
			   size_t n, const struct hlsim_release *rels, size_t nrel,
			   uint64_t rel_first, size_t num_units, uint64_t ws, uint64_t we);

/**
 * prf_stalls_sorted - the rows in report order: queue id, then blocked time (largest
 * first), then producer id, then SOB. Returns a new array of @st->n pointers (free() it),
 * NULL with HLSIM_E_NOMEM in *@rc (or NULL and HLSIM_OK when there are no rows).
 */
const struct prf_stall_row **prf_stalls_sorted(const struct prf_stalls *st, hlsim_err_t *rc);

/**
 * struct prf_stall_pair - one (waiting queue, producer) pair summed over SOBs.
 */
struct prf_stall_pair {
	uint32_t queue, producer;
	uint64_t waits, blocked_ps;
};

/**
 * prf_stalls_top - the @max pairs with the most blocked time (ties: lower queue, then
 * producer id) into @out; returns how many. HLSIM_E_NOMEM in *@rc.
 */
size_t prf_stalls_top(const struct prf_stalls *st, struct prf_stall_pair *out, size_t max,
		      hlsim_err_t *rc);

/** prf_stalls_queue_ps - attributed blocked time of unit @queue (sum over its rows). */
uint64_t prf_stalls_queue_ps(const struct prf_stalls *st, uint32_t queue);

/** prf_stalls_free - release the rows; @st is empty afterwards. */
void prf_stalls_free(struct prf_stalls *st);

/** prf_sob_name - "b<block>.<index>" for a SOB, "direct" for PRF_SOB_DIRECT, into @buf. */
char *prf_sob_name(char *buf, size_t size, uint32_t sob);

/* ===== critical path ===== */

/** enum prf_dep_kind - how the critical path reached a record (from the later side). */
enum prf_dep_kind {
	PRF_DEP_END = 0, /* the record that ends last: where the walk starts */
	PRF_DEP_QUEUE_ORDER, /* the unit's previous record (or a record nested in it) */
	PRF_DEP_FENCE_RELEASE, /* the producer that released a FENCE_WAIT */
	PRF_DEP_ENGINE_ISSUE, /* the CP job or CB that issued an idle engine's work */
	PRF_DEP_ENGINE_DRAIN, /* the engine record a BARRIER_WAIT waited for */
	PRF_DEP_HOST_SUBMIT, /* the host: a job's CS submission, after an earlier CS completed */
	PRF_DEP_CS_COMPLETION, /* the record that completed the CS the host waited for */
	PRF_DEP_GAP, /* no record: time between two records on the path */
	PRF_DEP_COUNT_
};

/**
 * prf_dep_kind_name - "end", "queue_order", "fence_release", "engine_issue",
 * "engine_drain", "host_submit", "cs_completion", "gap"; "?" if unknown.
 */
const char *prf_dep_kind_name(unsigned int kind);

/**
 * PRF_CRIT_BLOCK_ROWS - timeline rows per block of the critical-path index, and /releases
 * rows per block the walk reads: one HDF5 chunk of the results tables (TRC_TABLE_CHUNK_ROWS),
 * so a block read decompresses one chunk.
 */
#define PRF_CRIT_BLOCK_ROWS 16384
/** PRF_CRIT_CACHE_BLOCKS - blocks of rows the walk keeps decoded. */
#define PRF_CRIT_CACHE_BLOCKS 8
/** PRF_CRIT_LONGEST - the longest path steps a report lists. */
#define PRF_CRIT_LONGEST 10

/**
 * struct prf_crit_ent - the records of one unit within one block of rows: @block, the
 * earliest start and the latest end among them; @pmax_end_ps: the latest end of this and
 * every earlier entry of the unit; @smin_start_ps: the earliest start of this and every
 * later entry (set before the walk), so a query finds its range of entries by bisection.
 */
struct prf_crit_ent {
	uint64_t min_start_ps, max_end_ps, pmax_end_ps, smin_start_ps;
	uint32_t block;
};

/**
 * struct prf_crit_step - one record on the path and the time charged to it.
 * @row: timeline row. @unit: its unit. @rec_kind: enum hlsim_rec_kind.
 * @dep: enum prf_dep_kind it was reached by. @start_ps, @end_ps: the charged part.
 */
struct prf_crit_step {
	uint64_t row;
	uint32_t unit;
	uint16_t rec_kind;
	uint16_t dep;
	uint64_t start_ps, end_ps;
};

/**
 * struct prf_critpath - the critical path of a whole run.
 *
 * The index: for every unit, one struct prf_crit_ent per block of PRF_CRIT_BLOCK_ROWS rows
 * holding records of it: 40 bytes x (blocks x units present per block), at most 40 bytes
 * per PRF_CRIT_BLOCK_ROWS rows per unit (10 million rows of 100 units: at most 2.4 MiB,
 * less when units are not active in every block); plus PRF_CRIT_CACHE_BLOCKS decoded
 * blocks of rows with their rows grouped by unit (6.3 MiB + 32 bytes per unit), two
 * decoded blocks of /releases (1 MiB) and the first wait_row of every /releases block
 * (8 bytes per PRF_CRIT_BLOCK_ROWS releases). The path never starts at a host unit's
 * record (a CS spans a whole submission); it passes through the host only between a CS's
 * submission and the completion of the CS the host waited for.
 *
 * @computed: the walk ran (0: @note says why not).
 * @note: one line: why there is no path, or why it stopped early ("" otherwise).
 * @have_releases: fence waits were followed through /releases (0: a 1.0 file, where a
 *                 FENCE_WAIT is charged to its queue and the walk stays on that queue).
 * @start_ps, @end_ps: where the path starts and ends; @total_ps = @end_ps - @start_ps.
 * @records: records on the path (steps charged).
 * @unit_ps: time charged to each unit (@num_units entries, owned).
 * @dep_ps: time per enum prf_dep_kind (PRF_DEP_GAP: time between records).
 * @longest: the PRF_CRIT_LONGEST steps with the most charged time, longest first (ties:
 *           later end first); @num_longest.
 * @index_bytes: memory the index took at its largest.
 * @ents: per unit, its entries in block order (owned); @nents, @capents.
 * @last_row: the non-host record that ends last (ties: the later row); valid if @have_last.
 * @is_host: per unit, 1 for host units. @cls: per unit, its class key (as in
 *           prf_critpath_classes()).
 */
struct prf_critpath {
	int computed;
	char note[256];
	int have_releases;
	uint64_t start_ps, end_ps, total_ps, records;
	uint64_t *unit_ps;
	size_t num_units;
	uint64_t dep_ps[PRF_DEP_COUNT_];
	struct prf_crit_step longest[PRF_CRIT_LONGEST];
	size_t num_longest;
	uint64_t index_bytes;
	struct prf_crit_ent **ents;
	size_t *nents, *capents;
	int have_last;
	uint64_t last_row, last_end_ps;
	uint8_t *is_host;
	char (*cls)[9];
};

/** prf_critpath_init - an empty path and index for @num_units units. HLSIM_E_NOMEM. */
hlsim_err_t prf_critpath_init(struct prf_critpath *cp, const struct hlsim_unit *units,
			      size_t num_units);
/**
 * prf_critpath_index - add timeline rows @recs[0..@n) (file rows @first_row ..) to the
 * index; units must already be checked (< num_units). HLSIM_E_NOMEM.
 */
hlsim_err_t prf_critpath_index(struct prf_critpath *cp, uint64_t first_row,
			       const struct hlsim_rec *recs, size_t n);
/**
 * prf_critpath_walk - walk the path back from the last record (rules in
 * REPORT-SCHEMA.md, "critical_path"), reading records from @res (@path names it in
 * errors) and fence releases from its /releases table (which must be in wait_row order,
 * as prf_stalls_add() checks). @units: the units table. Errors: HLSIM_E_TRACE_FORMAT for
 * a release naming a wrong record, I/O errors of the reader, HLSIM_E_NOMEM.
 */
hlsim_err_t prf_critpath_walk(struct prf_critpath *cp, hlsim_results_t *res, const char *path,
			      const struct hlsim_unit *units);
/** PRF_CRIT_CLASSES_MAX - distinct class names prf_critpath_classes() returns at most. */
#define PRF_CRIT_CLASSES_MAX 16

/** struct prf_crit_class - path time of one class: an engine class, "cp" or "host". */
struct prf_crit_class {
	char name[9];
	uint64_t ps;
};

/**
 * prf_critpath_classes - the path time per class into @out (at most @max): engines by
 * their engine_class ("dma", "tpc", "mme", "nic"), queues and lower CPs together as "cp";
 * in order of the first unit of each class; classes with no time are left out. Returns
 * how many.
 */
size_t prf_critpath_classes(const struct prf_critpath *cp, struct prf_crit_class *out,
			    size_t max);

/** prf_critpath_free - release the index and the per-unit times. */
void prf_critpath_free(struct prf_critpath *cp);

/**
 * prf_engine_of_cp - the engine unit that the CP unit @cp (a queue or lower CP) drives,
 * matched by name on the same device ("DMA_2_0", "DMA2.lower_cp" -> "DMA2"; Gaudi2
 * "DCORE0_MME_0_0" -> "DCORE0_MME"; a "d<N>." prefix of multi-device runs is ignored).
 * Returns the engine's index in @units or -1.
 */
long prf_engine_of_cp(const struct hlsim_unit *units, size_t num_units, size_t cp);

#endif /* HLSIM_PRF_DEPS_H */
