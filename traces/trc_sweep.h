/*
 * traces/trc_sweep.h - the writer of a sweep's table (DIR/sweep.h5), for profiler/sweep.c.
 *
 * A sweep's columns depend on what it varies, so the table is described at run time by
 * an array of columns (name, kind, offset in the caller's row struct or byte buffer).
 * No HDF5 types appear here: HDF5 stays inside traces/.
 */
#ifndef HLSIM_TRC_SWEEP_H
#define HLSIM_TRC_SWEEP_H

#include <stddef.h>
#include <stdint.h>

#include "hlsim/error.h"

#define TRC_SWEEP_FORMAT_NAME "hlsim-sweep"
#define TRC_SWEEP_VERSION_MAJOR 1
#define TRC_SWEEP_VERSION_MINOR 0

/** enum trc_sweep_kind - the stored kind of one sweep column. */
enum trc_sweep_kind {
	TRC_SWEEP_U64 = 0, /* uint64_t */
	TRC_SWEEP_F64, /* double (NaN where a value does not exist) */
	TRC_SWEEP_STR, /* char[len], NUL-terminated */
};

/**
 * struct trc_sweep_col - one column of the sweep table.
 * @name: the HDF5 member name (also the CSV header name).
 * @kind: enum trc_sweep_kind.
 * @offset: byte offset of the value in one row of the caller's buffer.
 * @len: TRC_SWEEP_STR: array bytes including the NUL; 0 otherwise.
 * @unit: unit or meaning, stored in the dataset's `units` attribute; NULL for none.
 */
struct trc_sweep_col {
	const char *name;
	enum trc_sweep_kind kind;
	size_t offset;
	uint32_t len;
	const char *unit;
};

/**
 * trc_sweep_h5_write - create (truncate) @path holding the root attributes `format`
 * (TRC_SWEEP_FORMAT_NAME), `version_major`, `version_minor` and `spec` (@spec_text, the
 * sweep specification), and the dataset /points: @nrows rows of @row_bytes bytes each at
 * @rows, as a compound of the @ncols columns @cols. Same input, same bytes.
 * HLSIM_E_IO naming @path on failure; HLSIM_E_INVAL for a column outside the row.
 */
hlsim_err_t trc_sweep_h5_write(const char *path, const char *spec_text,
			       const struct trc_sweep_col *cols, size_t ncols, const void *rows,
			       size_t nrows, size_t row_bytes);

#endif /* HLSIM_TRC_SWEEP_H */
