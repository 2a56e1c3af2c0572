/*
 * traces/trc_h5.h - HDF5 helpers shared by the trace and results files (internal).
 *
 * Everything that touches HDF5 in hlsim goes through traces/, and the pieces the
 * trace writer, trace reader and results file have in common live here:
 *  - tables declared as data (struct trc_table_desc): one row per C struct field with
 *    its HDF5 kind and unit, from which the in-memory (native) and on-disk (packed
 *    little-endian) compound types are built, and against which a file's type is
 *    checked on open;
 *  - struct trc_appender: a chunked, shuffle+gzip+Fletcher-32 dataset appended in
 *    whole chunks;
 *  - struct trc_window: a read window of a few thousand rows over a table;
 *  - translation of HDF5 failures (negative herr_t / hid_t) into hlsim errors whose
 *    detail names the file and the object, with HDF5's innermost message appended.
 * Only files in traces/ include this header (it includes <hdf5.h>).
 */
#ifndef HLSIM_TRC_H5_H
#define HLSIM_TRC_H5_H

#include <stddef.h>
#include <stdint.h>

#include <hdf5.h>

#include "hlsim/error.h"
#include "hlsim/results.h"
#include "hlsim/trace.h"

/* Rows per chunk of every table, and bytes per chunk of /deviceN/cb_bytes. */
#define TRC_TABLE_CHUNK_ROWS 16384
#define TRC_CB_CHUNK_BYTES (1024 * 1024)
/* Rows per read window (a quarter of a chunk: a window never spans two chunks). */
#define TRC_WINDOW_ROWS 4096
/* gzip level of every chunked dataset (level 1: fast, most of the gain on records). */
#define TRC_GZIP_LEVEL 1

/** enum trc_ftype - the HDF5 kind of one table field. */
enum trc_ftype {
	TRC_U8 = 0,
	TRC_U16,
	TRC_U32,
	TRC_U64,
	TRC_I32,
	TRC_I64,
	TRC_F64,
	TRC_STR, /* char[len], NUL-terminated, stored as a fixed-length C string */
};

/**
 * struct trc_field - one field of a table row.
 * @name: the HDF5 member name, equal to the C struct field name.
 * @offset: offsetof() the field in its C struct.
 * @type: its kind.
 * @len: TRC_STR: the array length (NUL included); 0 otherwise.
 * @unit: unit or meaning, listed in the dataset's `units` attribute; NULL for none.
 */
struct trc_field {
	const char *name;
	size_t offset;
	enum trc_ftype type;
	uint32_t len;
	const char *unit;
};

/**
 * struct trc_table_desc - a table declared as data.
 * @name: dataset name ("cs").
 * @row_bytes: sizeof the C struct.
 * @fields: the fields in struct order; @num_fields of them.
 * @description: stored as the dataset's `description` attribute.
 */
struct trc_table_desc {
	const char *name;
	size_t row_bytes;
	const struct trc_field *fields;
	size_t num_fields;
	const char *description;
};

/** struct trc_blob_row - one row of /deviceN/blobs (row index = blob id). */
struct trc_blob_row {
	uint64_t offset; /* first byte in cb_bytes */
	uint64_t size; /* bytes */
	uint64_t hash; /* trc_hash64() of the bytes */
};

/* The tables of both formats (defined in trc_h5.c). */
extern const struct trc_table_desc trc_desc_device;
extern const struct trc_table_desc trc_desc_cs;
extern const struct trc_table_desc trc_desc_job;
extern const struct trc_table_desc trc_desc_blob;
extern const struct trc_table_desc trc_desc_mem;
extern const struct trc_table_desc trc_desc_host_map;
extern const struct trc_table_desc trc_desc_wait;
extern const struct trc_table_desc trc_desc_annotation;
extern const struct trc_table_desc trc_desc_unit;
extern const struct trc_table_desc trc_desc_rec;
extern const struct trc_table_desc trc_desc_release;
extern const struct trc_table_desc trc_desc_launch_traffic;
extern const struct trc_table_desc trc_desc_starved;
extern const struct trc_table_desc trc_desc_counters;
extern const struct trc_table_desc trc_desc_run_info;

/* {==== errors ==== */

/** trc_h5_quiet - turn off HDF5's automatic error printing (we report instead). */
void trc_h5_quiet(void);
/**
 * trc_h5_fail - record @rc with the formatted detail followed by HDF5's innermost
 * error message (if any), clear HDF5's error stack and return @rc.
 */
hlsim_err_t trc_h5_fail(hlsim_err_t rc, const char *fmt, ...) HLSIM_PRINTF(2, 3);

/* {==== types ==== */

/** trc_h5_mem_type - the native compound type of @d (caller closes it); < 0 on failure. */
hid_t trc_h5_mem_type(const struct trc_table_desc *d);
/** trc_h5_file_type - the packed little-endian compound type stored in files. */
hid_t trc_h5_file_type(const struct trc_table_desc *d);
/**
 * trc_h5_check_table - check that @dset is a 1-D dataset whose compound type has
 * every field of @d with a compatible class; HLSIM_E_TRACE_FORMAT naming
 * "@path: @obj" otherwise. On success *@nrows gets its length.
 */
hlsim_err_t trc_h5_check_table(hid_t dset, const struct trc_table_desc *d, const char *path,
			       const char *obj, uint64_t *nrows);
/**
 * trc_h5_dxpl - a transfer property list whose type conversions fail on a value out
 * of range (a file storing 2^40 in a u32 field is an error, not a clamped value).
 */
hid_t trc_h5_dxpl(void);
/** trc_h5_sanitize_strings - zero each string field of @row after its NUL. */
void trc_h5_sanitize_strings(const struct trc_table_desc *d, void *row);
/**
 * trc_h5_check_strings - HLSIM_E_INVAL naming @what and the field if a string field
 * of @row has no NUL within its array.
 */
hlsim_err_t trc_h5_check_strings(const struct trc_table_desc *d, const void *row,
				 const char *what);

/* {==== datasets and attributes ==== */

/**
 * trc_h5_create_table - create an empty extendible 1-D dataset @d->name in @loc
 * with @chunk_rows rows per chunk, shuffle + gzip, and `units`/`description`
 * attributes. Returns the dataset id or a negative value (detail recorded).
 */
hid_t trc_h5_create_table(hid_t loc, const struct trc_table_desc *d, hsize_t chunk_rows,
			  const char *path, const char *obj);
/** trc_h5_write_rows_once - create dataset @d->name holding exactly @n rows of @rows. */
hlsim_err_t trc_h5_write_rows_once(hid_t loc, const struct trc_table_desc *d, const void *rows,
				   size_t n, const char *path, const char *obj);
/**
 * trc_h5_open_dataset - open @name in @loc with a chunk cache big enough for
 * @cache_chunks of its chunks (at least 1 MiB, at most 64 MiB). Negative if missing
 * (detail: "@path: missing dataset @obj").
 */
hid_t trc_h5_open_dataset(hid_t loc, const char *name, unsigned int cache_chunks,
			  const char *path, const char *obj);
/** trc_h5_read_rows - read rows [@first, @first+@n) of @dset as @mtype into @out. */
hlsim_err_t trc_h5_read_rows(hid_t dset, hid_t mtype, hid_t dxpl, uint64_t first, size_t n,
			     void *out, const char *path, const char *obj);
/** trc_h5_attr_write_str / _u32 - create attribute @name of @loc (scalar). */
hlsim_err_t trc_h5_attr_write_str(hid_t loc, const char *name, const char *value);
hlsim_err_t trc_h5_attr_write_u32(hid_t loc, const char *name, uint32_t value);
/**
 * trc_h5_attr_read_str - read string attribute @name of @loc (fixed or variable
 * length) into @buf (@cap bytes, truncated and NUL-terminated). Missing attribute:
 * HLSIM_E_TRACE_FORMAT "@path: @obj has no attribute '@name'".
 */
hlsim_err_t trc_h5_attr_read_str(hid_t loc, const char *name, char *buf, size_t cap,
				 const char *path, const char *obj);
hlsim_err_t trc_h5_attr_read_u32(hid_t loc, const char *name, uint32_t *out, const char *path,
				 const char *obj);
/** trc_h5_new_dcpl / trc_h5_new_gcpl - creation lists without object timestamps. */
hid_t trc_h5_new_dcpl(void);
hid_t trc_h5_new_gcpl(void);
/**
 * trc_h5_create_file - create (truncate) @path for writing, in the HDF5 1.8 file
 * format (checksummed metadata). E_IO naming @path on failure.
 */
hlsim_err_t trc_h5_create_file(const char *path, hid_t *out);
/**
 * trc_h5_open_file - open @path read-only with the checks every reader does: E_IO
 * if it cannot be read, E_TRACE_FORMAT if it is not HDF5 or HDF5 refuses it
 * (truncated or corrupt). Returns the file id in *@out.
 */
hlsim_err_t trc_h5_open_file(const char *path, hid_t *out);
/**
 * trc_h5_check_root - check the root attributes `format` (= @format) and
 * `version_major` (= @major); *@minor gets `version_minor`.
 */
hlsim_err_t trc_h5_check_root(hid_t file, const char *path, const char *format, uint32_t major,
			      uint32_t *minor);

/* {==== appender: a table written in whole chunks ==== */

/**
 * struct trc_appender - buffered appends to one chunked dataset.
 * @dset: the dataset; @mtype its native memory type (not owned if @mtype_owned is 0).
 * @row_bytes: bytes per in-memory row; @cap_rows rows fit @buf (one chunk).
 * @buffered: rows in @buf not yet written; @written: rows already in the file.
 * @path, @obj: names for error details (obj is a copy, path is borrowed).
 */
struct trc_appender {
	hid_t loc; /* tables: where the dataset is created at the first write (or at close) */
	const struct trc_table_desc *desc; /* tables: its description; NULL: cb_bytes */
	hid_t dset;
	hid_t mtype;
	int mtype_owned;
	size_t row_bytes;
	size_t cap_rows;
	uint8_t *buf;
	size_t buffered;
	uint64_t written;
	const char *path;
	char obj[48];
};

/**
 * trc_app_create - an appender for table @d in @loc (@chunk_rows rows per chunk,
 * buffered in memory: the buffer is allocated on the first append). The dataset is
 * created when the first chunk is written; a table that ends shorter than one chunk is
 * created at close with chunks of its own size, so readers of small tables (a device's
 * few jobs or annotations) do not inflate a whole chunk of empty rows. @loc must stay
 * open until trc_app_close().
 */
hlsim_err_t trc_app_create(struct trc_appender *a, hid_t loc, const struct trc_table_desc *d,
			   size_t chunk_rows, const char *path, const char *obj);
/** trc_app_create_bytes - the same for a 1-D u8 dataset (cb_bytes), @chunk_bytes per chunk. */
hlsim_err_t trc_app_create_bytes(struct trc_appender *a, hid_t loc, const char *name,
				 size_t chunk_bytes, const char *path, const char *obj);
/** trc_app_push - append @n rows (written whenever a whole chunk is buffered). */
hlsim_err_t trc_app_push(struct trc_appender *a, const void *rows, size_t n);
/** trc_app_flush - write the buffered rows (a partial last chunk). */
hlsim_err_t trc_app_flush(struct trc_appender *a);
/** trc_app_rows - rows appended so far (written + buffered). */
static inline uint64_t trc_app_rows(const struct trc_appender *a)
{
	return a->written + a->buffered;
}
/** trc_app_close - flush, close and free; returns the flush result. Idempotent. */
hlsim_err_t trc_app_close(struct trc_appender *a);

/* {==== window: sequential and random row reads ==== */

/**
 * struct trc_window - a read window over one table.
 * @first, @count: rows [first, first+count) are in @buf.
 */
struct trc_window {
	hid_t dset;
	hid_t mtype;
	hid_t dxpl;
	size_t row_bytes;
	size_t cap_rows;
	uint64_t nrows;
	uint64_t first;
	size_t count;
	uint8_t *buf;
	uint64_t reads; /* HDF5 reads done (for tests and benchmarks) */
	const char *path;
	char obj[48];
};

/**
 * trc_win_open - open table @d->name of @loc (@obj is its full name for errors),
 * check its type and prepare a window of @cap_rows rows.
 */
hlsim_err_t trc_win_open(struct trc_window *w, hid_t loc, const struct trc_table_desc *d,
			 size_t cap_rows, const char *path, const char *obj);
/** trc_win_get - pointer to row @index (valid until the next call); E_INVAL past the end. */
hlsim_err_t trc_win_get(struct trc_window *w, uint64_t index, const void **row);
void trc_win_close(struct trc_window *w);

#endif /* HLSIM_TRC_H5_H */
