/*
 * traces/trc.h - internal interface of the traces/ module (no HDF5 types here).
 *
 * What other modules of hlsim may call besides the public include/hlsim/trace.h and
 * results.h: the `hlsim info TRACE` printer, the blob content hash that the trace
 * format stores, and a few knobs and statistics that tests and benchmarks use to
 * observe the writer's deduplication and the reader's blob cache.
 */
#ifndef HLSIM_TRC_H
#define HLSIM_TRC_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hlsim/error.h"
#include "hlsim/trace.h"

/**
 * trc_info_print - print a human summary of trace @path to @out (for `hlsim info`):
 * format, version, generator, and per device its identity, table counts, job counts
 * by phase and by queue, CB deduplication and the host time span of submissions.
 * Streams the tables through read windows: memory does not grow with the trace.
 */
hlsim_err_t trc_info_print(const char *path, FILE *out);

/**
 * trc_hash64 - the 64-bit content hash stored in /deviceN/blobs (algorithm in
 * traces/FORMAT.md). Not cryptographic: the writer compares bytes on a hash hit.
 */
uint64_t trc_hash64(const void *bytes, size_t size);

/* {==== reader blob cache ==== */

/* Default bound of the bytes of unreferenced blobs the reader keeps. */
#define TRC_BLOB_CACHE_BYTES ((size_t)64 << 20)
/* A device whose CB bytes are at most this many is read whole at its first blob miss. */
#define TRC_SMALL_CB_BYTES ((uint64_t)1 << 20)

/**
 * struct trc_blob_cache_stats - state of a reader's blob cache.
 * @entries: blobs in memory (referenced or cached); @referenced: those with refs > 0.
 * @unref_bytes: bytes charged for unreferenced blobs (content + bookkeeping).
 * @loads: blobs read from the file; @hits: gets served from memory; @evictions: drops.
 */
struct trc_blob_cache_stats {
	uint64_t entries, referenced, unref_bytes, loads, hits, evictions;
};

/** trc_trace_set_blob_cache_limit - bound the unreferenced blob bytes (evicts at once). */
void trc_trace_set_blob_cache_limit(hlsim_trace_t *t, size_t bytes);
void trc_trace_blob_cache_stats(const hlsim_trace_t *t, struct trc_blob_cache_stats *out);
/**
 * trc_trace_blob_size - size in bytes of blob @blob_id of device @dev, from the blobs
 * table (the bytes are not loaded). HLSIM_E_INVAL if the blob does not exist.
 */
hlsim_err_t trc_trace_blob_size(hlsim_trace_t *t, uint32_t dev, uint64_t blob_id,
				uint64_t *size);
/** trc_trace_hdf5_reads - HDF5 table reads done so far for device @dev (all windows). */
uint64_t trc_trace_hdf5_reads(const hlsim_trace_t *t, uint32_t dev);

/* {==== writer knobs (tests) ==== */

/* Default bound of the writer's in-memory copies of distinct blobs (dedup compares). */
#define TRC_WRITER_COPY_BYTES ((size_t)64 << 20)

/**
 * trc_writer_set_dedup_hash_mask - index blobs by trc_hash64() & @mask instead of the
 * full hash (tests: a small mask forces hash collisions, so the byte comparison that
 * keeps different contents apart is exercised). The stored hash stays the full one.
 */
void trc_writer_set_dedup_hash_mask(hlsim_trace_writer_t *w, uint64_t mask);
/**
 * trc_writer_set_copy_limit - bound the writer's copies of distinct blob contents;
 * 0 makes every comparison read back from the pending buffer or the file.
 */
void trc_writer_set_copy_limit(hlsim_trace_writer_t *w, size_t bytes);

#endif /* HLSIM_TRC_H */
