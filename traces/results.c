/*
 * traces/results.c - results format v1 (HDF5): the writer the simulator uses and the
 * reader the profiler uses.
 *
 * Layout (traces/FORMAT.md): root attributes format = "hlsim-results",
 * version_major, version_minor, hlsim_version; datasets /units, /counters,
 * /timeline (chunked, shuffle+gzip, appended one whole chunk at a time), /run_info
 * (one row) and /config (one fixed-length string: the resolved INI text); since 1.1
 * also /releases and /launch_traffic, appended like the timeline (absent in 1.0 files,
 * which read as having no rows there).
 * Units, counters, run info and config are small and kept in memory by both sides;
 * the timeline streams (the reader holds at most one window of it).
 *
 * Not thread-safe (HDF5 serial).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "traces/trc.h"
#include "traces/trc_h5.h"

struct hlsim_results_writer {
	char *path;
	hid_t file;
	struct trc_appender timeline, releases, launch_traffic;
	struct hlsim_unit *units;
	size_t nunits, units_cap;
	struct hlsim_counters *counters;
	size_t ncounters;
	struct hlsim_starved *starved;
	size_t nstarved;
	char *config;
	struct hlsim_run_info info;
	int has_info;
	hlsim_err_t failed; /* first write failure: the file is incomplete */
};

struct hlsim_results {
	char *path;
	hid_t file;
	uint32_t minor;
	struct hlsim_unit *units;
	size_t nunits;
	struct hlsim_counters *counters; /* indexed by unit */
	uint8_t *has_counters; /* per unit: a counters row exists */
	struct hlsim_run_info info;
	char *config;
	struct trc_window timeline; /* small reads go through it; big ones are direct */
	struct trc_window releases, launch_traffic; /* nrows 0 and dset -1 when absent (1.0) */
	struct hlsim_starved **starved_of; /* per unit: its /starved row, or NULL (1.2) */
	struct hlsim_starved *starved;
};

/* {==== writer ==== */

hlsim_err_t hlsim_results_create(const char *path, hlsim_results_writer_t **out)
{
	hlsim_results_writer_t *w;
	hlsim_err_t rc;

	if (!path || !out)
		return hlsim_error(HLSIM_E_INVAL, "hlsim_results_create: path and out are "
						  "required");
	*out = NULL;
	trc_h5_quiet();
	w = calloc(1, sizeof(*w));
	if (!w)
		return hlsim_error(HLSIM_E_NOMEM, "%s: no memory for a results writer", path);
	w->path = strdup(path);
	if (!w->path) {
		rc = hlsim_error(HLSIM_E_NOMEM, "%s: no memory", path);
		goto err_free;
	}
	rc = trc_h5_create_file(path, &w->file);
	if (rc != HLSIM_OK)
		goto err_free;
	rc = trc_h5_attr_write_str(w->file, "format", HLSIM_RESULTS_FORMAT_NAME);
	if (rc == HLSIM_OK)
		rc = trc_h5_attr_write_u32(w->file, "version_major", HLSIM_RESULTS_VERSION_MAJOR);
	if (rc == HLSIM_OK)
		rc = trc_h5_attr_write_u32(w->file, "version_minor", HLSIM_RESULTS_VERSION_MINOR);
	if (rc == HLSIM_OK)
		rc = trc_h5_attr_write_str(w->file, "hlsim_version", HLSIM_VERSION_STRING);
	if (rc != HLSIM_OK) {
		hlsim_error_prefix(rc, "%s: ", path);
		goto err_close;
	}
	rc = trc_app_create(&w->timeline, w->file, &trc_desc_rec, TRC_TABLE_CHUNK_ROWS, w->path,
			    "/timeline");
	if (rc == HLSIM_OK)
		rc = trc_app_create(&w->releases, w->file, &trc_desc_release,
				    TRC_TABLE_CHUNK_ROWS, w->path, "/releases");
	if (rc == HLSIM_OK)
		rc = trc_app_create(&w->launch_traffic, w->file, &trc_desc_launch_traffic,
				    TRC_TABLE_CHUNK_ROWS, w->path, "/launch_traffic");
	if (rc != HLSIM_OK) {
		trc_app_close(&w->timeline);
		trc_app_close(&w->releases);
		goto err_close;
	}
	*out = w;
	return HLSIM_OK;

err_close:
	H5Fclose(w->file);
err_free:
	free(w->path);
	free(w);
	return rc;
}

hlsim_err_t hlsim_results_add_unit(hlsim_results_writer_t *w, const struct hlsim_unit *u)
{
	char what[96];
	hlsim_err_t rc;

	if (!w || !u)
		return hlsim_error(HLSIM_E_INVAL, "hlsim_results_add_unit: NULL argument");
	snprintf(what, sizeof(what), "%s: unit %zu", w->path, w->nunits);
	if (u->id != w->nunits)
		return hlsim_error(HLSIM_E_INVAL, "%s: id %u (ids are row indexes: expected %zu)",
				   what, u->id, w->nunits);
	if (u->kind > HLSIM_UNIT_HOST)
		return hlsim_error(HLSIM_E_INVAL, "%s: kind %u (expected 0..%d)", what, u->kind,
				   HLSIM_UNIT_HOST);
	rc = trc_h5_check_strings(&trc_desc_unit, u, what);
	if (rc != HLSIM_OK)
		return rc;
	if (w->nunits == w->units_cap) {
		size_t cap = w->units_cap ? w->units_cap * 2 : 64;
		struct hlsim_unit *p = realloc(w->units, cap * sizeof(*p));

		if (!p)
			return hlsim_error(HLSIM_E_NOMEM, "%s: no memory", what);
		w->units = p;
		w->units_cap = cap;
	}
	w->units[w->nunits] = *u;
	trc_h5_sanitize_strings(&trc_desc_unit, &w->units[w->nunits]);
	w->nunits++;
	return HLSIM_OK;
}

hlsim_err_t hlsim_results_append(hlsim_results_writer_t *w, const struct hlsim_rec *r, size_t n)
{
	hlsim_err_t rc;
	size_t i;

	if (!w || (n && !r))
		return hlsim_error(HLSIM_E_INVAL, "hlsim_results_append: NULL argument");
	if (w->failed)
		return hlsim_error(w->failed, "%s: an earlier write failed; the results are "
				   "incomplete", w->path);
	for (i = 0; i < n; i++) {
		uint64_t row = trc_app_rows(&w->timeline) + i;

		if (r[i].unit >= w->nunits)
			return hlsim_error(HLSIM_E_INVAL,
					   "%s: timeline row %" PRIu64 ": unit %u >= %zu "
					   "units (add units first)",
					   w->path, row, r[i].unit, w->nunits);
		if (r[i].kind >= HLSIM_REC_KIND_COUNT_)
			return hlsim_error(HLSIM_E_INVAL, "%s: timeline row %" PRIu64 ": kind %u "
					   "(expected 0..%d)", w->path, row, r[i].kind,
					   HLSIM_REC_KIND_COUNT_ - 1);
		if (r[i].end_ps < r[i].start_ps)
			return hlsim_error(HLSIM_E_INVAL, "%s: timeline row %" PRIu64 ": end_ps %"
					   PRIu64 " < start_ps %" PRIu64, w->path, row, r[i].end_ps,
					   r[i].start_ps);
	}
	rc = trc_app_push(&w->timeline, r, n);
	if (rc != HLSIM_OK)
		w->failed = rc;
	return rc;
}

uint64_t hlsim_results_rows(const hlsim_results_writer_t *w)
{
	return w ? trc_app_rows(&w->timeline) : 0;
}

hlsim_err_t hlsim_results_add_release(hlsim_results_writer_t *w, const struct hlsim_release *r)
{
	hlsim_err_t rc;

	if (!w || !r)
		return hlsim_error(HLSIM_E_INVAL, "hlsim_results_add_release: NULL argument");
	if (r->wait_row >= trc_app_rows(&w->timeline) ||
	    (r->producer_row != UINT64_MAX && r->producer_row >= trc_app_rows(&w->timeline)) ||
	    r->producer_unit >= w->nunits)
		return hlsim_error(HLSIM_E_INVAL,
				   "%s: release of timeline row %" PRIu64 " by row %" PRIu64
				   " of unit %u: no such row or unit (%" PRIu64 " rows, %zu units)",
				   w->path, r->wait_row, r->producer_row, r->producer_unit,
				   trc_app_rows(&w->timeline), w->nunits);
	rc = trc_app_push(&w->releases, r, 1);
	if (rc != HLSIM_OK)
		w->failed = rc;
	return rc;
}

hlsim_err_t hlsim_results_add_launch_traffic(hlsim_results_writer_t *w,
					     const struct hlsim_launch_traffic *t)
{
	hlsim_err_t rc;

	if (!w || !t)
		return hlsim_error(HLSIM_E_INVAL, "hlsim_results_add_launch_traffic: NULL argument");
	if (t->row >= trc_app_rows(&w->timeline))
		return hlsim_error(HLSIM_E_INVAL, "%s: launch traffic of timeline row %" PRIu64
				   ": no such row (%" PRIu64 " rows)", w->path, t->row,
				   trc_app_rows(&w->timeline));
	rc = trc_app_push(&w->launch_traffic, t, 1);
	if (rc != HLSIM_OK)
		w->failed = rc;
	return rc;
}

hlsim_err_t hlsim_results_set_starved(hlsim_results_writer_t *w, const struct hlsim_starved *st,
				      size_t n)
{
	struct hlsim_starved *copy;
	size_t i;

	if (!w || (n && !st))
		return hlsim_error(HLSIM_E_INVAL, "hlsim_results_set_starved: NULL argument");
	for (i = 0; i < n; i++)
		if (st[i].unit >= w->nunits || w->units[st[i].unit].kind != HLSIM_UNIT_ENGINE)
			return hlsim_error(HLSIM_E_INVAL, "%s: starved row %zu: unit %u is not an "
					   "engine", w->path, i, st[i].unit);
	copy = malloc((n ? n : 1) * sizeof(*copy));
	if (!copy)
		return hlsim_error(HLSIM_E_NOMEM, "%s: no memory for %zu starved rows", w->path, n);
	if (n)
		memcpy(copy, st, n * sizeof(*copy));
	free(w->starved);
	w->starved = copy;
	w->nstarved = n;
	return HLSIM_OK;
}

hlsim_err_t hlsim_results_set_counters(hlsim_results_writer_t *w, const struct hlsim_counters *c,
				       size_t n)
{
	struct hlsim_counters *copy;
	uint8_t *seen;
	size_t i;

	if (!w || (n && !c))
		return hlsim_error(HLSIM_E_INVAL, "hlsim_results_set_counters: NULL argument");
	seen = calloc(w->nunits ? w->nunits : 1, 1);
	copy = malloc((n ? n : 1) * sizeof(*copy));
	if (!seen || !copy) {
		free(seen);
		free(copy);
		return hlsim_error(HLSIM_E_NOMEM, "%s: no memory for %zu counters rows", w->path,
				   n);
	}
	for (i = 0; i < n; i++) {
		if (c[i].unit >= w->nunits || seen[c[i].unit]) {
			hlsim_error(HLSIM_E_INVAL, "%s: counters row %zu: unit %u %s", w->path, i,
				    c[i].unit, c[i].unit >= w->nunits ? "is not a unit" :
				    "appears twice");
			free(seen);
			free(copy);
			return HLSIM_E_INVAL;
		}
		seen[c[i].unit] = 1;
	}
	if (n)
		memcpy(copy, c, n * sizeof(*copy));
	free(seen);
	free(w->counters);
	w->counters = copy;
	w->ncounters = n;
	return HLSIM_OK;
}

hlsim_err_t hlsim_results_set_config(hlsim_results_writer_t *w, const char *ini_text)
{
	char *copy;

	if (!w || !ini_text)
		return hlsim_error(HLSIM_E_INVAL, "hlsim_results_set_config: NULL argument");
	copy = strdup(ini_text);
	if (!copy)
		return hlsim_error(HLSIM_E_NOMEM, "%s: no memory for the configuration text",
				   w->path);
	free(w->config);
	w->config = copy;
	return HLSIM_OK;
}

hlsim_err_t hlsim_results_set_run_info(hlsim_results_writer_t *w,
				       const struct hlsim_run_info *info)
{
	char what[64];
	hlsim_err_t rc;

	if (!w || !info)
		return hlsim_error(HLSIM_E_INVAL, "hlsim_results_set_run_info: NULL argument");
	snprintf(what, sizeof(what), "%s: run_info", w->path);
	rc = trc_h5_check_strings(&trc_desc_run_info, info, what);
	if (rc != HLSIM_OK)
		return rc;
	w->info = *info;
	trc_h5_sanitize_strings(&trc_desc_run_info, &w->info);
	w->has_info = 1;
	return HLSIM_OK;
}

/* Write /config: one fixed-length, NUL-terminated string. */
static hlsim_err_t write_config(hlsim_results_writer_t *w)
{
	hid_t t = -1, space = -1, dcpl = -1, dset = -1;
	hlsim_err_t rc = HLSIM_OK;

	t = H5Tcopy(H5T_C_S1);
	space = H5Screate(H5S_SCALAR);
	dcpl = trc_h5_new_dcpl();
	if (t < 0 || space < 0 || dcpl < 0 || H5Tset_size(t, strlen(w->config) + 1) < 0 ||
	    H5Tset_strpad(t, H5T_STR_NULLTERM) < 0)
		goto err;
	dset = H5Dcreate2(w->file, "config", t, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
	if (dset < 0 || H5Dwrite(dset, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, w->config) < 0)
		goto err;
	rc = trc_h5_attr_write_str(dset, "description", "the resolved configuration (INI text)");
	if (rc != HLSIM_OK)
		hlsim_error_prefix(rc, "%s: /config: ", w->path);
	goto out;
err:
	rc = trc_h5_fail(HLSIM_E_IO, "%s: cannot write /config", w->path);
out:
	if (dset >= 0 && H5Dclose(dset) < 0 && rc == HLSIM_OK)
		rc = trc_h5_fail(HLSIM_E_IO, "%s: cannot write /config", w->path);
	if (dcpl >= 0)
		H5Pclose(dcpl);
	if (space >= 0)
		H5Sclose(space);
	if (t >= 0)
		H5Tclose(t);
	return rc;
}

hlsim_err_t hlsim_results_writer_close(hlsim_results_writer_t *w)
{
	hlsim_err_t rc, r;

	if (!w)
		return HLSIM_OK;
	rc = trc_app_close(&w->timeline);
	r = trc_app_close(&w->releases);
	if (rc == HLSIM_OK)
		rc = r;
	r = trc_app_close(&w->launch_traffic);
	if (rc == HLSIM_OK)
		rc = r;
	r = trc_h5_write_rows_once(w->file, &trc_desc_unit, w->units, w->nunits, w->path,
				   "/units");
	if (rc == HLSIM_OK)
		rc = r;
	r = trc_h5_write_rows_once(w->file, &trc_desc_counters, w->counters, w->ncounters,
				   w->path, "/counters");
	if (rc == HLSIM_OK)
		rc = r;
	r = trc_h5_write_rows_once(w->file, &trc_desc_starved, w->starved, w->nstarved, w->path,
				   "/starved");
	if (rc == HLSIM_OK)
		rc = r;
	if (w->has_info) {
		r = trc_h5_write_rows_once(w->file, &trc_desc_run_info, &w->info, 1, w->path,
					   "/run_info");
		if (rc == HLSIM_OK)
			rc = r;
	}
	if (w->config) {
		r = write_config(w);
		if (rc == HLSIM_OK)
			rc = r;
	}
	if (H5Fclose(w->file) < 0 && rc == HLSIM_OK)
		rc = trc_h5_fail(HLSIM_E_IO, "%s: cannot close the results file", w->path);
	if (rc == HLSIM_OK && w->failed)
		rc = hlsim_error(w->failed, "%s: an earlier write failed; the results are "
				 "incomplete", w->path);
	if (rc == HLSIM_OK && !w->has_info)
		rc = hlsim_error(HLSIM_E_INVAL, "%s: run_info was never set; /run_info is missing",
				 w->path);
	if (rc == HLSIM_OK && !w->config)
		rc = hlsim_error(HLSIM_E_INVAL, "%s: the configuration was never set; /config is "
				 "missing", w->path);
	free(w->config);
	free(w->counters);
	free(w->starved);
	free(w->units);
	free(w->path);
	free(w);
	return rc;
}

/* {==== reader ==== */

/* Read all @n rows of table @d (small tables only) into a new array *@out. */
static hlsim_err_t read_small_table(hlsim_results_t *r, const struct trc_table_desc *d,
				    void **out, size_t *n)
{
	hid_t dset, mt = -1, dxpl = -1;
	char obj[32];
	hlsim_err_t rc;
	uint64_t rows;
	void *buf = NULL;

	snprintf(obj, sizeof(obj), "/%s", d->name);
	dset = trc_h5_open_dataset(r->file, d->name, 1, r->path, obj);
	if (dset < 0)
		return HLSIM_E_TRACE_FORMAT;
	rc = trc_h5_check_table(dset, d, r->path, obj, &rows);
	if (rc != HLSIM_OK)
		goto out;
	if (rows > SIZE_MAX / d->row_bytes / 2) {
		rc = hlsim_error(HLSIM_E_TRACE_FORMAT, "%s: %s: %" PRIu64 " rows is too many",
				 r->path, obj, rows);
		goto out;
	}
	buf = calloc(rows ? (size_t)rows : 1, d->row_bytes);
	mt = trc_h5_mem_type(d);
	dxpl = trc_h5_dxpl();
	if (!buf || mt < 0 || dxpl < 0) {
		rc = hlsim_error(HLSIM_E_NOMEM, "%s: no memory for %" PRIu64 " rows of %s", r->path,
				 rows, obj);
		goto out;
	}
	rc = trc_h5_read_rows(dset, mt, dxpl, 0, (size_t)rows, buf, r->path, obj);
	if (rc != HLSIM_OK)
		goto out;
	*out = buf;
	*n = (size_t)rows;
	buf = NULL;
out:
	free(buf);
	if (dxpl >= 0)
		H5Pclose(dxpl);
	if (mt >= 0)
		H5Tclose(mt);
	H5Dclose(dset);
	return rc;
}

/* Read /config: a single string, fixed or variable length. */
static hlsim_err_t read_config(hlsim_results_t *r)
{
	hid_t dset, space = -1, ft = -1, mt = -1;
	hlsim_err_t rc = HLSIM_OK;
	char *vstr = NULL;
	size_t size;

	dset = trc_h5_open_dataset(r->file, "config", 1, r->path, "/config");
	if (dset < 0)
		return HLSIM_E_TRACE_FORMAT;
	space = H5Dget_space(dset);
	ft = H5Dget_type(dset);
	if (space < 0 || ft < 0 || H5Sget_simple_extent_npoints(space) != 1 ||
	    H5Tget_class(ft) != H5T_STRING) {
		H5Eclear2(H5E_DEFAULT);
		rc = hlsim_error(HLSIM_E_TRACE_FORMAT, "%s: /config: expected one string", r->path);
		goto out;
	}
	mt = H5Tcopy(H5T_C_S1);
	if (mt < 0)
		goto err;
	if (H5Tis_variable_str(ft) > 0) {
		if (H5Tset_size(mt, H5T_VARIABLE) < 0 ||
		    H5Dread(dset, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, &vstr) < 0 || !vstr)
			goto err;
		r->config = strdup(vstr);
		H5free_memory(vstr);
	} else {
		size = H5Tget_size(ft);
		r->config = calloc(1, size + 1);
		if (r->config && (H5Tset_size(mt, size + 1) < 0 ||
				  H5Dread(dset, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, r->config) < 0))
			goto err;
	}
	if (!r->config)
		rc = hlsim_error(HLSIM_E_NOMEM, "%s: no memory for /config", r->path);
	goto out;
err:
	rc = trc_h5_fail(HLSIM_E_TRACE_FORMAT, "%s: cannot read /config", r->path);
out:
	if (mt >= 0)
		H5Tclose(mt);
	if (ft >= 0)
		H5Tclose(ft);
	if (space >= 0)
		H5Sclose(space);
	H5Dclose(dset);
	return rc;
}

/* Check the units (id = row, known kind) and index the counters by unit. */
static hlsim_err_t check_units_counters(hlsim_results_t *r, struct hlsim_counters *rows,
					size_t n)
{
	size_t i;

	for (i = 0; i < r->nunits; i++) {
		trc_h5_sanitize_strings(&trc_desc_unit, &r->units[i]);
		if (r->units[i].id != i)
			return hlsim_error(HLSIM_E_TRACE_FORMAT,
					   "%s: /units row %zu: id %u (expected "
					   "%zu)",
					   r->path, i, r->units[i].id, i);
		if (r->units[i].kind > HLSIM_UNIT_HOST)
			return hlsim_error(HLSIM_E_TRACE_FORMAT, "%s: /units row %zu: kind %u "
					   "(expected 0..%d)", r->path, i, r->units[i].kind,
					   HLSIM_UNIT_HOST);
	}
	r->counters = calloc(r->nunits ? r->nunits : 1, sizeof(*r->counters));
	r->has_counters = calloc(r->nunits ? r->nunits : 1, 1);
	if (!r->counters || !r->has_counters)
		return hlsim_error(HLSIM_E_NOMEM, "%s: no memory for the counters", r->path);
	for (i = 0; i < n; i++) {
		uint32_t u = rows[i].unit;

		if (u >= r->nunits || r->has_counters[u])
			return hlsim_error(HLSIM_E_TRACE_FORMAT,
					   "%s: /counters row %zu: unit %u %s", r->path, i, u,
					   u >= r->nunits ? "is not a unit" : "appears twice");
		r->counters[u] = rows[i];
		r->has_counters[u] = 1;
	}
	return HLSIM_OK;
}

hlsim_err_t hlsim_results_open(const char *path, hlsim_results_t **out)
{
	struct hlsim_run_info *info = NULL;
	struct hlsim_counters *counters = NULL;
	char version[64];
	hlsim_results_t *r;
	size_t n = 0, ninfo = 0;
	hlsim_err_t rc;

	if (!path || !out)
		return hlsim_error(HLSIM_E_INVAL, "hlsim_results_open: path and out are required");
	*out = NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return hlsim_error(HLSIM_E_NOMEM, "%s: no memory for a results reader", path);
	r->file = -1;
	r->timeline.dset = -1;
	r->releases.dset = -1;
	r->launch_traffic.dset = -1;
	r->path = strdup(path);
	if (!r->path) {
		rc = hlsim_error(HLSIM_E_NOMEM, "%s: no memory", path);
		goto err_close;
	}
	rc = trc_h5_open_file(path, &r->file);
	if (rc != HLSIM_OK)
		goto err_close;
	rc = trc_h5_check_root(r->file, path, HLSIM_RESULTS_FORMAT_NAME,
			       HLSIM_RESULTS_VERSION_MAJOR, &r->minor);
	if (rc == HLSIM_OK)
		rc = trc_h5_attr_read_str(r->file, "hlsim_version", version, sizeof(version), path,
					  "/");
	if (rc == HLSIM_OK)
		rc = read_small_table(r, &trc_desc_unit, (void **)&r->units, &r->nunits);
	if (rc == HLSIM_OK)
		rc = read_small_table(r, &trc_desc_counters, (void **)&counters, &n);
	if (rc == HLSIM_OK)
		rc = check_units_counters(r, counters, n);
	if (rc == HLSIM_OK)
		rc = read_small_table(r, &trc_desc_run_info, (void **)&info, &ninfo);
	if (rc == HLSIM_OK && ninfo != 1)
		rc = hlsim_error(HLSIM_E_TRACE_FORMAT, "%s: /run_info has %zu rows, expected 1",
				 path, ninfo);
	if (rc != HLSIM_OK)
		goto err_close;
	r->info = *info;
	trc_h5_sanitize_strings(&trc_desc_run_info, &r->info);
	rc = read_config(r);
	if (rc == HLSIM_OK)
		rc = trc_win_open(&r->timeline, r->file, &trc_desc_rec, TRC_WINDOW_ROWS, r->path,
				  "/timeline");
	/* optional since 1.1 */
	if (rc == HLSIM_OK && H5Lexists(r->file, "releases", H5P_DEFAULT) > 0)
		rc = trc_win_open(&r->releases, r->file, &trc_desc_release, TRC_WINDOW_ROWS,
				  r->path, "/releases");
	if (rc == HLSIM_OK && H5Lexists(r->file, "launch_traffic", H5P_DEFAULT) > 0 &&
	    trc_win_open(&r->launch_traffic, r->file, &trc_desc_launch_traffic, TRC_WINDOW_ROWS,
			 r->path, "/launch_traffic") != HLSIM_OK) {
		/* a 1.1 file's rows lack compute_ps (1.2): read as absent, like a 1.0 file's */
		trc_win_close(&r->launch_traffic);
		r->launch_traffic.dset = -1;
		r->launch_traffic.nrows = 0;
		hlsim_clear_error();
	}
	/* optional since 1.2: engines starved by their CPs */
	if (rc == HLSIM_OK && H5Lexists(r->file, "starved", H5P_DEFAULT) > 0) {
		size_t ns = 0, i;

		rc = read_small_table(r, &trc_desc_starved, (void **)&r->starved, &ns);
		if (rc == HLSIM_OK) {
			r->starved_of = calloc(r->nunits ? r->nunits : 1, sizeof(*r->starved_of));
			if (!r->starved_of)
				rc = hlsim_error(HLSIM_E_NOMEM, "%s: no memory for /starved", path);
		}
		for (i = 0; rc == HLSIM_OK && i < ns; i++) {
			uint32_t u = r->starved[i].unit;

			if (u >= r->nunits || r->starved_of[u])
				rc = hlsim_error(HLSIM_E_TRACE_FORMAT,
						 "%s: /starved row %zu: unit %u %s", path, i, u,
						 u >= r->nunits ? "is not a unit" : "appears twice");
			else
				r->starved_of[u] = &r->starved[i];
		}
	}
	if (rc != HLSIM_OK)
		goto err_close;
	free(info);
	free(counters);
	*out = r;
	return HLSIM_OK;

err_close:
	free(info);
	free(counters);
	hlsim_results_close(r);
	return rc;
}

void hlsim_results_close(hlsim_results_t *r)
{
	if (!r)
		return;
	free(r->starved_of);
	free(r->starved);
	trc_win_close(&r->timeline);
	trc_win_close(&r->releases);
	trc_win_close(&r->launch_traffic);
	if (r->file > 0)
		H5Fclose(r->file);
	H5Eclear2(H5E_DEFAULT);
	free(r->config);
	free(r->has_counters);
	free(r->counters);
	free(r->units);
	free(r->path);
	free(r);
}

const struct hlsim_run_info *hlsim_results_run_info(const hlsim_results_t *r)
{
	return r ? &r->info : NULL;
}

size_t hlsim_results_num_units(const hlsim_results_t *r)
{
	return r ? r->nunits : 0;
}

const struct hlsim_unit *hlsim_results_unit(const hlsim_results_t *r, size_t i)
{
	if (!r || i >= r->nunits)
		return NULL;
	return &r->units[i];
}

const struct hlsim_counters *hlsim_results_counters(const hlsim_results_t *r, size_t i)
{
	if (!r || i >= r->nunits || !r->has_counters[i])
		return NULL;
	return &r->counters[i];
}

const char *hlsim_results_config(const hlsim_results_t *r)
{
	return r ? r->config : NULL;
}

uint64_t hlsim_results_num_records(const hlsim_results_t *r)
{
	return r ? r->timeline.nrows : 0;
}

hlsim_err_t hlsim_results_read(hlsim_results_t *r, uint64_t first, struct hlsim_rec *out,
			       size_t max, size_t *n)
{
	struct trc_window *w;
	const void *row;
	hlsim_err_t rc;
	size_t i, count;

	if (!r || !n || (max && !out))
		return hlsim_error(HLSIM_E_INVAL, "hlsim_results_read: NULL argument");
	*n = 0;
	w = &r->timeline;
	if (first >= w->nrows || max == 0)
		return HLSIM_OK;
	count = w->nrows - first < max ? (size_t)(w->nrows - first) : max;
	if (count >= TRC_WINDOW_ROWS) {
		/* a big request: one HDF5 read straight into the caller's rows */
		rc = trc_h5_read_rows(w->dset, w->mtype, w->dxpl, first, count, out, r->path,
				      w->obj);
		if (rc != HLSIM_OK)
			return rc;
	} else {
		for (i = 0; i < count; i++) {
			rc = trc_win_get(w, first + i, &row);
			if (rc != HLSIM_OK)
				return rc;
			memcpy(&out[i], row, sizeof(out[i]));
		}
	}
	for (i = 0; i < count; i++) {
		const struct hlsim_rec *x = &out[i];

		if (x->unit >= r->nunits || x->kind >= HLSIM_REC_KIND_COUNT_ ||
		    x->end_ps < x->start_ps)
			return hlsim_error(HLSIM_E_TRACE_FORMAT, "%s: /timeline row %" PRIu64
					   ": unit %u (of %zu), kind %u (of %d), start_ps %" PRIu64
					   ", end_ps %" PRIu64 ": out of range", r->path,
					   first + i, x->unit, r->nunits, x->kind,
					   HLSIM_REC_KIND_COUNT_, x->start_ps, x->end_ps);
	}
	*n = count;
	return HLSIM_OK;
}

/* Copy up to @max rows from @first of the optional table behind @w (none if absent). */
static hlsim_err_t read_optional(hlsim_results_t *r, struct trc_window *w, uint64_t first,
				 void *out, size_t row_bytes, size_t max, size_t *n)
{
	const void *row;
	hlsim_err_t rc;
	size_t i, count;

	*n = 0;
	if (w->dset < 0 || first >= w->nrows || max == 0)
		return HLSIM_OK;
	count = w->nrows - first < max ? (size_t)(w->nrows - first) : max;
	for (i = 0; i < count; i++) {
		rc = trc_win_get(w, first + i, &row);
		if (rc != HLSIM_OK)
			return hlsim_error_prefix(rc, "%s: ", r->path);
		memcpy((unsigned char *)out + i * row_bytes, row, row_bytes);
	}
	*n = count;
	return HLSIM_OK;
}

uint64_t hlsim_results_num_releases(const hlsim_results_t *r)
{
	return r && r->releases.dset >= 0 ? r->releases.nrows : 0;
}

hlsim_err_t hlsim_results_read_releases(hlsim_results_t *r, uint64_t first,
					struct hlsim_release *out, size_t max, size_t *n)
{
	hlsim_err_t rc;
	size_t i;

	if (!r || !n || (max && !out))
		return hlsim_error(HLSIM_E_INVAL, "hlsim_results_read_releases: NULL argument");
	rc = read_optional(r, &r->releases, first, out, sizeof(*out), max, n);
	for (i = 0; rc == HLSIM_OK && i < *n; i++)
		if (out[i].wait_row >= r->timeline.nrows || out[i].producer_unit >= r->nunits ||
		    (out[i].producer_row != UINT64_MAX && out[i].producer_row >= r->timeline.nrows))
			rc = hlsim_error(HLSIM_E_TRACE_FORMAT,
					 "%s: /releases row %" PRIu64 ": timeline rows %" PRIu64
					 " and %" PRIu64 ", unit %u: out of range",
					 r->path, first + i, out[i].wait_row, out[i].producer_row,
					 out[i].producer_unit);
	return rc;
}

uint64_t hlsim_results_num_launch_traffic(const hlsim_results_t *r)
{
	return r && r->launch_traffic.dset >= 0 ? r->launch_traffic.nrows : 0;
}

hlsim_err_t hlsim_results_read_launch_traffic(hlsim_results_t *r, uint64_t first,
					      struct hlsim_launch_traffic *out, size_t max,
					      size_t *n)
{
	hlsim_err_t rc;
	size_t i;

	if (!r || !n || (max && !out))
		return hlsim_error(HLSIM_E_INVAL, "hlsim_results_read_launch_traffic: NULL argument");
	rc = read_optional(r, &r->launch_traffic, first, out, sizeof(*out), max, n);
	for (i = 0; rc == HLSIM_OK && i < *n; i++)
		if (out[i].row >= r->timeline.nrows)
			rc = hlsim_error(HLSIM_E_TRACE_FORMAT,
					 "%s: /launch_traffic row %" PRIu64 ": timeline row %" PRIu64
					 " out of range",
					 r->path, first + i, out[i].row);
	return rc;
}

const struct hlsim_starved *hlsim_results_starved(const hlsim_results_t *r, size_t unit)
{
	if (!r || !r->starved_of || unit >= r->nunits)
		return NULL;
	return r->starved_of[unit];
}
