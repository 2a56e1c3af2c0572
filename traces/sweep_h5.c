/*
 * traces/sweep_h5.c - write a sweep's table of points (DIR/sweep.h5) as one HDF5
 * compound dataset, through the shared table helpers of trc_h5.c.
 */
#include <stdlib.h>

#include "traces/trc_h5.h"
#include "traces/trc_sweep.h"

hlsim_err_t trc_sweep_h5_write(const char *path, const char *spec_text,
			       const struct trc_sweep_col *cols, size_t ncols, const void *rows,
			       size_t nrows, size_t row_bytes)
{
	struct trc_table_desc d = { 0 };
	struct trc_field *f;
	hid_t file = -1;
	hlsim_err_t rc;
	size_t i;

	if (!ncols || !row_bytes)
		return hlsim_error(HLSIM_E_INVAL, "%s: a sweep table needs columns", path);
	f = calloc(ncols, sizeof(*f));
	if (!f)
		return hlsim_error(HLSIM_E_NOMEM, "%s: no memory for %zu columns", path, ncols);
	for (i = 0; i < ncols; i++) {
		size_t size = cols[i].kind == TRC_SWEEP_STR ? cols[i].len : sizeof(uint64_t);

		if (!cols[i].name || size == 0 || cols[i].offset + size > row_bytes ||
		    cols[i].kind > TRC_SWEEP_STR) {
			rc = hlsim_error(HLSIM_E_INVAL,
					 "%s: sweep column %zu (%s) does not fit a row of %zu "
					 "bytes",
					 path, i, cols[i].name ? cols[i].name : "?", row_bytes);
			goto out_free;
		}
		f[i].name = cols[i].name;
		f[i].offset = cols[i].offset;
		f[i].type = cols[i].kind == TRC_SWEEP_U64 ? TRC_U64 :
			    cols[i].kind == TRC_SWEEP_F64 ? TRC_F64 : TRC_STR;
		f[i].len = cols[i].kind == TRC_SWEEP_STR ? cols[i].len : 0;
		f[i].unit = cols[i].unit;
	}
	d.name = "points";
	d.row_bytes = row_bytes;
	d.fields = f;
	d.num_fields = ncols;
	d.description = "one row per sweep point, in point order (hlsim sweep)";

	rc = trc_h5_create_file(path, &file);
	if (rc)
		goto out_free;
	rc = trc_h5_attr_write_str(file, "format", TRC_SWEEP_FORMAT_NAME);
	if (!rc)
		rc = trc_h5_attr_write_u32(file, "version_major", TRC_SWEEP_VERSION_MAJOR);
	if (!rc)
		rc = trc_h5_attr_write_u32(file, "version_minor", TRC_SWEEP_VERSION_MINOR);
	if (!rc)
		rc = trc_h5_attr_write_str(file, "spec", spec_text ? spec_text : "");
	if (rc) {
		hlsim_error_prefix(rc, "%s: ", path);
		goto out_close;
	}
	rc = trc_h5_write_rows_once(file, &d, rows, nrows, path, "/points");
out_close:
	if (H5Fclose(file) < 0 && !rc)
		rc = trc_h5_fail(HLSIM_E_IO, "%s: cannot close the file", path);
out_free:
	free(f);
	return rc;
}
