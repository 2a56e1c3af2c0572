/*
 * profiler/sweep_int.h - helpers shared by the sweep files of profiler/ (sweep_run.c,
 * sweep_table.c) and their tests; not for other modules.
 */
#ifndef HLSIM_PRF_SWEEP_INT_H
#define HLSIM_PRF_SWEEP_INT_H

#include <stddef.h>
#include <stdint.h>

#include "hlsim/error.h"
#include "profiler/prf_sweep.h"

/**
 * struct prf_sweep_marker - what a point's done marker says.
 * @done: a valid marker for this point and spec exists.
 * @mismatch: a marker exists but records other values (a different sweep).
 * @ok: the point ran fine. @exit_status: its exit status (128 + signal if killed).
 * @error: the last line of its stderr when it failed.
 */
struct prf_sweep_marker {
	int done, mismatch, ok, exit_status;
	char error[PRF_SWEEP_ERROR_BYTES];
};

/** prf_sweep_point_dir - "@dir/points/NNNNN" (5 digits or more) into @buf. */
void prf_sweep_point_dir(const char *dir, uint64_t point, char *buf, size_t cap);
/**
 * prf_sweep_marker_read - read the done marker of @point in @dir into @m (@m->done = 0 if
 * there is none or it records other values). HLSIM_E_TRACE_FORMAT for a malformed one.
 */
hlsim_err_t prf_sweep_marker_read(const struct prf_sweep_spec *s, const char *dir, uint64_t point,
				  struct prf_sweep_marker *m);
/** prf_sweep_read_file - a text file of at most @max_bytes, NUL-terminated, malloc'd. */
hlsim_err_t prf_sweep_read_file(const char *path, size_t max_bytes, char **out);
/** prf_sweep_write_file - write @text to @path.tmp, then rename it to @path. */
hlsim_err_t prf_sweep_write_file(const char *path, const char *text);

#endif /* HLSIM_PRF_SWEEP_INT_H */
