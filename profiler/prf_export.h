/**
 * profiler/prf_export.h - export a results file to other tools' formats.
 *
 * prf_export_perfetto() writes the Chrome Trace Event Format JSON that Perfetto
 * (ui.perfetto.dev) and chrome://tracing open; the output is described in
 * profiler/PERFETTO.md. Like the report, it reads the timeline in windows of rows and writes
 * as it goes: memory is bounded by the number of units and devices, not by the number of
 * records.
 */
#ifndef HLSIM_PRF_EXPORT_H
#define HLSIM_PRF_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include "hlsim/error.h"

/** PRF_PERFETTO_DEFAULT_MAX_BYTES - split the output above this size (256 MiB). */
#define PRF_PERFETTO_DEFAULT_MAX_BYTES ((uint64_t)256 << 20)
/** PRF_PERFETTO_COUNTER_BUCKETS - counter tracks sample the window in this many buckets. */
#define PRF_PERFETTO_COUNTER_BUCKETS 2000
/** PRF_PERFETTO_MAX_LANES - threads at most per unit for records that overlap. */
#define PRF_PERFETTO_MAX_LANES 32
/** PRF_PERFETTO_MAX_PARTS - a split into more files than this is refused. */
#define PRF_PERFETTO_MAX_PARTS 1000

/**
 * struct prf_perfetto_options - what prf_export_perfetto() exports.
 * @window_start_ps: start of the exported window; with @window_end_ps both 0: whole run.
 * @window_end_ps: end of the window (exclusive), > @window_start_ps.
 * @max_bytes: split into several files when the output would be larger; 0: the default
 *             PRF_PERFETTO_DEFAULT_MAX_BYTES.
 */
struct prf_perfetto_options {
	uint64_t window_start_ps, window_end_ps;
	uint64_t max_bytes;
};

/**
 * struct prf_perfetto_stats - what prf_export_perfetto() wrote.
 * @parts: 1: the output file itself; n > 1: PREFIX.1.json .. PREFIX.n.json (see
 *         prf_perfetto_part_path()); the output path itself is then not written.
 * @window_start_ps, @window_end_ps: the window exported, [start, end).
 * @records: timeline records in the file. @events: complete ("X") events written (a record
 *           cut by a part boundary counts once per part).
 * @flows: fence arrows written. @fences_unmatched: FENCE_WAIT records given no arrow (with
 *         /releases: no release row, or the producer lies outside the window; without: no
 *         DMA or LAUNCH of the same CS on another unit ended at or before the fence's end).
 * @exact_flows: 1 if the arrows come from the /releases table (results 1.1), 0 if the
 *               producers were inferred from timing.
 * @counter_samples: counter ("C") events written.
 * @extra_threads: threads added for records of one unit that overlap without nesting
 *                 (CSs in flight on the host unit), summed over the parts.
 * @misnested: records that still overlap another of their thread without nesting (more
 *             than PRF_PERFETTO_MAX_LANES threads of one unit would have been needed).
 * @bytes: bytes written in all. @largest_part_bytes: the largest file.
 * @parts_over_limit: parts larger than the limit (one time bucket of the size estimate
 *                    held more than the limit; they cannot be cut finer).
 */
struct prf_perfetto_stats {
	unsigned int parts;
	uint64_t window_start_ps, window_end_ps;
	uint64_t records, events, flows, fences_unmatched, counter_samples;
	int exact_flows;
	uint64_t extra_threads, misnested;
	uint64_t bytes, largest_part_bytes;
	unsigned int parts_over_limit;
};

/**
 * prf_export_perfetto - read @results_path (streaming) and write the Chrome Trace Event
 * JSON of @opt's window to @out_path, or, if it would exceed @opt->max_bytes, to several
 * files each covering a part of the window. @opt may be NULL (whole run, default limit);
 * @stats may be NULL. Errors: HLSIM_E_IO / HLSIM_E_TRACE_FORMAT for an unreadable or
 * inconsistent results file (naming the row) or an output that cannot be written,
 * HLSIM_E_INVAL for a bad window or limit, HLSIM_E_NOMEM.
 */
hlsim_err_t prf_export_perfetto(const char *results_path, const char *out_path,
				const struct prf_perfetto_options *opt,
				struct prf_perfetto_stats *stats);

/**
 * prf_perfetto_part_path - the name of part @part (1-based) of a split export to
 * @out_path: @out_path without a final ".json", then ".@part.json" ("t.json" -> "t.2.json").
 * HLSIM_E_INVAL if it does not fit in @size bytes.
 */
hlsim_err_t prf_perfetto_part_path(const char *out_path, unsigned int part, char *buf,
				   size_t size);

#endif /* HLSIM_PRF_EXPORT_H */
