/*
 * traces/trace_reader.c - the streaming reader of trace format v1 (HDF5).
 *
 * Opening checks what is cheap to check: the root attributes (format name, major
 * version), every group and table with its type (each needed field present with a
 * compatible class), one identity row per device, and every blob's extent against
 * cb_bytes (one pass over the blobs table, which has one row per distinct CB).
 * Rows of the big tables are checked when they are read (a job's blob id, its CS
 * row, a CS's job range), so opening never reads the whole file.
 *
 * Rows are read through per-table windows (struct trc_window) of TRC_WINDOW_ROWS
 * rows: sequential access costs one HDF5 read per window, random access is still
 * correct. Blob bytes are reference-counted; unreferenced blobs stay in an LRU
 * bounded by TRC_BLOB_CACHE_BYTES (a training loop resubmits the same CBs). The
 * `mem` table (program images, small) is loaded and sorted on the first
 * hlsim_trace_mem_find() of its device.
 *
 * Not thread-safe: one reader is used by one thread (HDF5 serial).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "traces/trc.h"
#include "traces/trc_h5.h"

/* One blob in memory. @pub must stay first: hlsim_trace_blob_put() casts back. */
struct centry {
	struct hlsim_blob pub;
	struct centry *hnext; /* hash chain */
	struct centry *prev, *next; /* LRU of unreferenced entries, most recent first */
	uint32_t dev;
	uint32_t refs;
	size_t charge; /* bytes counted against the cache bound */
	uint8_t data[];
};

/* One sorted image of the mem table; @row is its row (later rows win ties). */
struct mem_image {
	struct hlsim_trace_mem m;
	uint64_t row;
};

/* One device being read. */
struct rdev {
	struct hlsim_trace_device info;
	hid_t group;
	struct trc_window cs, jobs, blobs, mem, host_maps, waits, annotations;
	hid_t cb_dset;
	char cb_obj[48];
	uint8_t *cb_all; /* a small device's whole cb_bytes, read at its first blob miss */
	struct hlsim_trace_counts counts;
	struct mem_image *images; /* sorted by addr, from_cs, row; NULL until loaded */
	uint64_t *max_end; /* max_end[i] = max end address of images[0..i] */
};

struct hlsim_trace {
	char *path;
	char *generator;
	uint32_t minor;
	uint32_t ndevs;
	hid_t file;
	struct rdev *devs;
	struct centry **buckets;
	size_t nbuckets; /* power of two */
	size_t nentries;
	uint64_t referenced;
	struct centry *lru_head, *lru_tail;
	size_t unref_bytes, limit;
	uint64_t loads, hits, evictions;
};

/* {==== blob cache ==== */

/* Bucket of blob @id of device @dev in a table of @n buckets (a power of two). */
static size_t slot_of(uint32_t dev, uint64_t id, size_t n)
{
	uint64_t h = (id ^ ((uint64_t)dev << 40)) * 0x9e3779b97f4a7c15ULL;

	return (size_t)(h >> 32) & (n - 1);
}

static size_t bucket_of(const hlsim_trace_t *t, uint32_t dev, uint64_t id)
{
	return slot_of(dev, id, t->nbuckets);
}

static struct centry *cache_find(const hlsim_trace_t *t, uint32_t dev, uint64_t id)
{
	struct centry *e;

	if (!t->nbuckets)
		return NULL;
	for (e = t->buckets[bucket_of(t, dev, id)]; e; e = e->hnext)
		if (e->pub.id == id && e->dev == dev)
			return e;
	return NULL;
}

static void lru_unlink(hlsim_trace_t *t, struct centry *e)
{
	if (e->prev)
		e->prev->next = e->next;
	else
		t->lru_head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		t->lru_tail = e->prev;
	e->prev = e->next = NULL;
}

static void cache_remove(hlsim_trace_t *t, struct centry *e)
{
	struct centry **p = &t->buckets[bucket_of(t, e->dev, e->pub.id)];

	while (*p != e)
		p = &(*p)->hnext;
	*p = e->hnext;
	t->nentries--;
}

static void cache_trim(hlsim_trace_t *t)
{
	while (t->lru_tail && t->unref_bytes > t->limit) {
		struct centry *e = t->lru_tail;

		lru_unlink(t, e);
		cache_remove(t, e);
		t->unref_bytes -= e->charge;
		t->evictions++;
		free(e);
	}
}

static hlsim_err_t cache_insert(hlsim_trace_t *t, struct centry *e)
{
	size_t b;

	if (t->nentries >= t->nbuckets) {
		size_t n = t->nbuckets ? t->nbuckets * 2 : 1024, i;
		struct centry **nb = calloc(n, sizeof(*nb));
		struct centry *x, *next;

		if (!nb)
			return hlsim_error(HLSIM_E_NOMEM, "%s: no memory for the blob cache",
					   t->path);
		for (i = 0; i < t->nbuckets; i++) {
			for (x = t->buckets[i]; x; x = next) {
				next = x->hnext;
				b = slot_of(x->dev, x->pub.id, n);
				x->hnext = nb[b];
				nb[b] = x;
			}
		}
		free(t->buckets);
		t->buckets = nb;
		t->nbuckets = n;
	}
	b = bucket_of(t, e->dev, e->pub.id);
	e->hnext = t->buckets[b];
	t->buckets[b] = e;
	t->nentries++;
	return HLSIM_OK;
}

void trc_trace_set_blob_cache_limit(hlsim_trace_t *t, size_t bytes)
{
	t->limit = bytes;
	cache_trim(t);
}

void trc_trace_blob_cache_stats(const hlsim_trace_t *t, struct trc_blob_cache_stats *out)
{
	out->entries = t->nentries;
	out->referenced = t->referenced;
	out->unref_bytes = t->unref_bytes;
	out->loads = t->loads;
	out->hits = t->hits;
	out->evictions = t->evictions;
}

uint64_t trc_trace_hdf5_reads(const hlsim_trace_t *t, uint32_t dev)
{
	const struct rdev *d;

	if (!t || dev >= t->ndevs)
		return 0;
	d = &t->devs[dev];
	return d->cs.reads + d->jobs.reads + d->blobs.reads + d->mem.reads + d->host_maps.reads +
	       d->waits.reads + d->annotations.reads;
}

/* {==== open and close ==== */

static void close_dev(struct rdev *d)
{
	trc_win_close(&d->cs);
	trc_win_close(&d->jobs);
	trc_win_close(&d->blobs);
	trc_win_close(&d->mem);
	trc_win_close(&d->host_maps);
	trc_win_close(&d->waits);
	trc_win_close(&d->annotations);
	if (d->cb_dset > 0)
		H5Dclose(d->cb_dset);
	if (d->group > 0)
		H5Gclose(d->group);
	free(d->cb_all);
	d->cb_all = NULL;
	d->cb_dset = -1;
	d->group = -1;
	free(d->images);
	free(d->max_end);
	d->images = NULL;
	d->max_end = NULL;
}

/* Read the one identity row of device @dev. */
static hlsim_err_t read_identity(hlsim_trace_t *t, struct rdev *d, uint32_t dev)
{
	hid_t dset, mt = -1, dxpl = -1;
	hlsim_err_t rc;
	uint64_t nrows;
	char obj[48];

	snprintf(obj, sizeof(obj), "/device%u/identity", dev);
	dset = trc_h5_open_dataset(d->group, "identity", 1, t->path, obj);
	if (dset < 0)
		return HLSIM_E_TRACE_FORMAT;
	rc = trc_h5_check_table(dset, &trc_desc_device, t->path, obj, &nrows);
	if (rc != HLSIM_OK)
		goto out;
	if (nrows != 1) {
		rc = hlsim_error(HLSIM_E_TRACE_FORMAT, "%s: %s has %" PRIu64 " rows, expected 1",
				 t->path, obj, nrows);
		goto out;
	}
	mt = trc_h5_mem_type(&trc_desc_device);
	dxpl = trc_h5_dxpl();
	if (mt < 0 || dxpl < 0) {
		rc = trc_h5_fail(HLSIM_E_NOMEM, "%s: %s: cannot build its type", t->path, obj);
		goto out;
	}
	rc = trc_h5_read_rows(dset, mt, dxpl, 0, 1, &d->info, t->path, obj);
	trc_h5_sanitize_strings(&trc_desc_device, &d->info);
out:
	if (dxpl >= 0)
		H5Pclose(dxpl);
	if (mt >= 0)
		H5Tclose(mt);
	H5Dclose(dset);
	return rc;
}

/* Open /deviceN/cb_bytes: a 1-D dataset of single-byte integers. */
static hlsim_err_t open_cb_bytes(hlsim_trace_t *t, struct rdev *d, uint32_t dev)
{
	hsize_t dims[H5S_MAX_RANK];
	hid_t space, ft;
	int rank, ok;

	snprintf(d->cb_obj, sizeof(d->cb_obj), "/device%u/cb_bytes", dev);
	d->cb_dset = trc_h5_open_dataset(d->group, "cb_bytes", 2, t->path, d->cb_obj);
	if (d->cb_dset < 0)
		return HLSIM_E_TRACE_FORMAT;
	space = H5Dget_space(d->cb_dset);
	ft = H5Dget_type(d->cb_dset);
	rank = space >= 0 ? H5Sget_simple_extent_ndims(space) : -1;
	ok = rank == 1 && ft >= 0 && H5Tget_class(ft) == H5T_INTEGER && H5Tget_size(ft) == 1;
	if (ok)
		H5Sget_simple_extent_dims(space, dims, NULL);
	if (ft >= 0)
		H5Tclose(ft);
	if (space >= 0)
		H5Sclose(space);
	H5Eclear2(H5E_DEFAULT);
	if (!ok)
		return hlsim_error(HLSIM_E_TRACE_FORMAT,
				   "%s: %s: expected a 1-D dataset of 8-bit integers", t->path,
				   d->cb_obj);
	d->counts.blob_bytes = dims[0];
	if (dims[0] <= TRC_SMALL_CB_BYTES) {
		/* read whole on first use (see hlsim_trace_blob_get): no chunk cache */
		H5Dclose(d->cb_dset);
		d->cb_dset = trc_h5_open_dataset(d->group, "cb_bytes", 0, t->path, d->cb_obj);
		if (d->cb_dset < 0)
			return HLSIM_E_TRACE_FORMAT;
	}
	return HLSIM_OK;
}

/* Check every blob's extent against cb_bytes (one pass over the distinct blobs). */
static hlsim_err_t check_blobs(hlsim_trace_t *t, struct rdev *d)
{
	const struct trc_blob_row *b;
	hlsim_err_t rc;
	uint64_t i;

	for (i = 0; i < d->counts.blobs; i++) {
		rc = trc_win_get(&d->blobs, i, (const void **)&b);
		if (rc != HLSIM_OK)
			return rc;
		if (b->offset > d->counts.blob_bytes || b->size > d->counts.blob_bytes - b->offset)
			return hlsim_error(HLSIM_E_TRACE_FORMAT, "%s: %s row %" PRIu64 ": offset %"
					   PRIu64 " + size %" PRIu64 " runs past cb_bytes (%"
					   PRIu64 " bytes)", t->path, d->blobs.obj, i, b->offset,
					   b->size, d->counts.blob_bytes);
	}
	return HLSIM_OK;
}

static hlsim_err_t open_dev(hlsim_trace_t *t, struct rdev *d, uint32_t dev)
{
	const struct {
		struct trc_window *win;
		const struct trc_table_desc *desc;
		uint64_t *count;
	} tables[] = {
		{ &d->cs, &trc_desc_cs, &d->counts.cs },
		{ &d->jobs, &trc_desc_job, &d->counts.jobs },
		{ &d->blobs, &trc_desc_blob, &d->counts.blobs },
		{ &d->mem, &trc_desc_mem, &d->counts.mem },
		{ &d->host_maps, &trc_desc_host_map, &d->counts.host_maps },
		{ &d->waits, &trc_desc_wait, &d->counts.waits },
		{ &d->annotations, &trc_desc_annotation, &d->counts.annotations },
	};
	char name[24], obj[48];
	hlsim_err_t rc;
	size_t i;

	snprintf(name, sizeof(name), "device%u", dev);
	if (H5Lexists(t->file, name, H5P_DEFAULT) <= 0) {
		H5Eclear2(H5E_DEFAULT);
		return hlsim_error(HLSIM_E_TRACE_FORMAT,
				   "%s: missing group /%s (num_devices is %u)", t->path, name,
				   t->ndevs);
	}
	d->group = H5Gopen2(t->file, name, H5P_DEFAULT);
	if (d->group < 0)
		return trc_h5_fail(HLSIM_E_TRACE_FORMAT, "%s: /%s is not a readable group", t->path,
				   name);
	rc = read_identity(t, d, dev);
	if (rc != HLSIM_OK)
		return rc;
	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		snprintf(obj, sizeof(obj), "/%s/%s", name, tables[i].desc->name);
		rc = trc_win_open(tables[i].win, d->group, tables[i].desc, TRC_WINDOW_ROWS, t->path,
				  obj);
		if (rc != HLSIM_OK)
			return rc;
		*tables[i].count = tables[i].win->nrows;
	}
	rc = open_cb_bytes(t, d, dev);
	if (rc != HLSIM_OK)
		return rc;
	return check_blobs(t, d);
}

hlsim_err_t hlsim_trace_open(const char *path, hlsim_trace_t **out)
{
	char generator[4096];
	hlsim_trace_t *t;
	hlsim_err_t rc;
	uint32_t n, i;

	if (!path || !out)
		return hlsim_error(HLSIM_E_INVAL, "hlsim_trace_open: path and out are required");
	*out = NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return hlsim_error(HLSIM_E_NOMEM, "%s: no memory for a trace reader", path);
	t->file = -1;
	t->limit = TRC_BLOB_CACHE_BYTES;
	t->path = strdup(path);
	if (!t->path) {
		rc = hlsim_error(HLSIM_E_NOMEM, "%s: no memory", path);
		goto err_close;
	}
	rc = trc_h5_open_file(path, &t->file);
	if (rc != HLSIM_OK)
		goto err_close;
	rc = trc_h5_check_root(t->file, path, HLSIM_TRACE_FORMAT_NAME, HLSIM_TRACE_VERSION_MAJOR,
			       &t->minor);
	if (rc == HLSIM_OK)
		rc = trc_h5_attr_read_str(t->file, "generator", generator, sizeof(generator), path,
					  "/");
	if (rc == HLSIM_OK)
		rc = trc_h5_attr_read_u32(t->file, "num_devices", &n, path, "/");
	if (rc != HLSIM_OK)
		goto err_close;
	t->generator = strdup(generator);
	if (!t->generator) {
		rc = hlsim_error(HLSIM_E_NOMEM, "%s: no memory", path);
		goto err_close;
	}
	/* grow the device array as groups are found, so a bogus count fails on a group */
	for (i = 0; i < n; i++) {
		if ((i & (i - 1)) == 0) {
			size_t cap = i ? (size_t)i * 2 : 1;
			struct rdev *p = realloc(t->devs, cap * sizeof(*p));

			if (!p) {
				rc = hlsim_error(HLSIM_E_NOMEM, "%s: no memory for device %u", path,
						 i);
				goto err_close;
			}
			t->devs = p;
		}
		memset(&t->devs[i], 0, sizeof(t->devs[i]));
		t->devs[i].group = -1;
		t->devs[i].cb_dset = -1;
		t->ndevs = i + 1;
		rc = open_dev(t, &t->devs[i], i);
		if (rc != HLSIM_OK)
			goto err_close;
	}
	*out = t;
	return HLSIM_OK;

err_close:
	hlsim_trace_close(t);
	return rc;
}

void hlsim_trace_close(hlsim_trace_t *t)
{
	struct centry *e, *next;
	size_t i;
	uint32_t d;

	if (!t)
		return;
	for (i = 0; i < t->nbuckets; i++) {
		for (e = t->buckets[i]; e; e = next) {
			next = e->hnext;
			free(e);
		}
	}
	free(t->buckets);
	for (d = 0; d < t->ndevs; d++)
		close_dev(&t->devs[d]);
	if (t->file > 0)
		H5Fclose(t->file);
	H5Eclear2(H5E_DEFAULT);
	free(t->devs);
	free(t->generator);
	free(t->path);
	free(t);
}

/* {==== accessors ==== */

const char *hlsim_trace_path(const hlsim_trace_t *t)
{
	return t ? t->path : NULL;
}

const char *hlsim_trace_generator(const hlsim_trace_t *t)
{
	return t ? t->generator : NULL;
}

uint32_t hlsim_trace_version_minor(const hlsim_trace_t *t)
{
	return t ? t->minor : 0;
}

uint32_t hlsim_trace_num_devices(const hlsim_trace_t *t)
{
	return t ? t->ndevs : 0;
}

const struct hlsim_trace_device *hlsim_trace_device_info(const hlsim_trace_t *t, uint32_t dev)
{
	if (!t || dev >= t->ndevs)
		return NULL;
	return &t->devs[dev].info;
}

static hlsim_err_t get_dev(const hlsim_trace_t *t, uint32_t dev, struct rdev **out)
{
	if (!t)
		return hlsim_error(HLSIM_E_INVAL, "trace reader is NULL");
	if (dev >= t->ndevs)
		return hlsim_error(HLSIM_E_INVAL, "%s: device %u does not exist (%u devices)",
				   t->path, dev, t->ndevs);
	*out = &t->devs[dev];
	return HLSIM_OK;
}

hlsim_err_t hlsim_trace_counts(const hlsim_trace_t *t, uint32_t dev,
			       struct hlsim_trace_counts *out)
{
	struct rdev *d = NULL;
	hlsim_err_t rc;

	rc = get_dev(t, dev, &d);
	if (rc != HLSIM_OK)
		return rc;
	if (!out)
		return hlsim_error(HLSIM_E_INVAL, "hlsim_trace_counts: out is NULL");
	*out = d->counts;
	return HLSIM_OK;
}

/* {==== rows ==== */

/* Copy row @index of window @w into @out (row_bytes of it). */
static hlsim_err_t read_row(hlsim_trace_t *t, uint32_t dev,
			    struct trc_window *(*pick)(struct rdev *), uint64_t index, void *out)
{
	struct trc_window *w;
	const void *row;
	struct rdev *d = NULL;
	hlsim_err_t rc;

	rc = get_dev(t, dev, &d);
	if (rc != HLSIM_OK)
		return rc;
	if (!out)
		return hlsim_error(HLSIM_E_INVAL, "%s: device %u: output row is NULL", t->path,
				   dev);
	w = pick(d);
	rc = trc_win_get(w, index, &row);
	if (rc != HLSIM_OK)
		return rc;
	memcpy(out, row, w->row_bytes);
	return HLSIM_OK;
}

static struct trc_window *pick_cs(struct rdev *d)
{
	return &d->cs;
}

static struct trc_window *pick_jobs(struct rdev *d)
{
	return &d->jobs;
}

static struct trc_window *pick_waits(struct rdev *d)
{
	return &d->waits;
}

static struct trc_window *pick_host_maps(struct rdev *d)
{
	return &d->host_maps;
}

static struct trc_window *pick_annotations(struct rdev *d)
{
	return &d->annotations;
}

hlsim_err_t hlsim_trace_read_cs(hlsim_trace_t *t, uint32_t dev, uint64_t index,
				struct hlsim_trace_cs *out)
{
	hlsim_err_t rc = read_row(t, dev, pick_cs, index, out);
	const struct rdev *d;

	if (rc != HLSIM_OK)
		return rc;
	d = &t->devs[dev];
	if (out->first_job > d->counts.jobs || out->num_jobs > d->counts.jobs - out->first_job)
		return hlsim_error(HLSIM_E_TRACE_FORMAT, "%s: %s row %" PRIu64 ": jobs %" PRIu64
				   "..+%u run past the %" PRIu64 " rows of jobs", t->path,
				   d->cs.obj, index, out->first_job, out->num_jobs, d->counts.jobs);
	return HLSIM_OK;
}

hlsim_err_t hlsim_trace_read_job(hlsim_trace_t *t, uint32_t dev, uint64_t index,
				 struct hlsim_trace_job *out)
{
	hlsim_err_t rc = read_row(t, dev, pick_jobs, index, out);
	const struct trc_blob_row *b;
	struct rdev *d = NULL;

	if (rc != HLSIM_OK)
		return rc;
	d = &t->devs[dev];
	if (out->cs_index >= d->counts.cs)
		return hlsim_error(HLSIM_E_TRACE_FORMAT, "%s: %s row %" PRIu64 ": cs_index %" PRIu64
				   " >= %" PRIu64 " CS rows", t->path, d->jobs.obj, index,
				   out->cs_index, d->counts.cs);
	if (out->phase > HLSIM_PHASE_EXECUTE)
		return hlsim_error(HLSIM_E_TRACE_FORMAT,
				   "%s: %s row %" PRIu64 ": phase %u (expected "
				   "0 restore or 1 execute)",
				   t->path, d->jobs.obj, index, out->phase);
	if (out->blob_id == HLSIM_TRACE_NO_BLOB)
		return HLSIM_OK;
	if (out->blob_id >= d->counts.blobs)
		return hlsim_error(HLSIM_E_TRACE_FORMAT, "%s: %s row %" PRIu64 ": blob_id %" PRIu64
				   " >= %" PRIu64 " blobs", t->path, d->jobs.obj, index,
				   out->blob_id, d->counts.blobs);
	rc = trc_win_get(&d->blobs, out->blob_id, (const void **)&b);
	if (rc != HLSIM_OK)
		return rc;
	if (out->cb_size > b->size)
		return hlsim_error(HLSIM_E_TRACE_FORMAT,
				   "%s: %s row %" PRIu64 ": cb_size %u > size %" PRIu64 " of blob "
											"%" PRIu64,
				   t->path, d->jobs.obj, index, out->cb_size, b->size,
				   out->blob_id);
	return HLSIM_OK;
}

hlsim_err_t hlsim_trace_read_wait(hlsim_trace_t *t, uint32_t dev, uint64_t index,
				  struct hlsim_trace_wait *out)
{
	return read_row(t, dev, pick_waits, index, out);
}

hlsim_err_t hlsim_trace_read_host_map(hlsim_trace_t *t, uint32_t dev, uint64_t index,
				      struct hlsim_trace_host_map *out)
{
	return read_row(t, dev, pick_host_maps, index, out);
}

hlsim_err_t hlsim_trace_read_annotation(hlsim_trace_t *t, uint32_t dev, uint64_t index,
					struct hlsim_trace_annotation *out)
{
	hlsim_err_t rc = read_row(t, dev, pick_annotations, index, out);

	if (rc == HLSIM_OK)
		trc_h5_sanitize_strings(&trc_desc_annotation, out);
	return rc;
}

/* {==== blobs ==== */

hlsim_err_t hlsim_trace_blob_get(hlsim_trace_t *t, uint32_t dev, uint64_t blob_id,
				 const struct hlsim_blob **out)
{
	const struct trc_blob_row *b;
	struct trc_blob_row row;
	struct centry *e;
	struct rdev *d = NULL;
	hlsim_err_t rc;
	uint64_t hash;

	rc = get_dev(t, dev, &d);
	if (rc != HLSIM_OK)
		return rc;
	if (!out)
		return hlsim_error(HLSIM_E_INVAL, "%s: device %u: blob_get: out is NULL", t->path,
				   dev);
	if (blob_id >= d->counts.blobs)
		return hlsim_error(HLSIM_E_INVAL, "%s: device %u: blob %" PRIu64
				   " does not exist (%" PRIu64 " blobs)", t->path, dev, blob_id,
				   d->counts.blobs);
	e = cache_find(t, dev, blob_id);
	if (e) {
		if (e->refs++ == 0) {
			lru_unlink(t, e);
			t->unref_bytes -= e->charge;
			t->referenced++;
		}
		t->hits++;
		*out = &e->pub;
		return HLSIM_OK;
	}
	rc = trc_win_get(&d->blobs, blob_id, (const void **)&b);
	if (rc != HLSIM_OK)
		return rc;
	row = *b;
	if (row.offset > d->counts.blob_bytes || row.size > d->counts.blob_bytes - row.offset ||
	    row.size > SIZE_MAX - sizeof(*e))
		return hlsim_error(HLSIM_E_TRACE_FORMAT, "%s: %s row %" PRIu64 ": offset %" PRIu64
				   " + size %" PRIu64 " runs past cb_bytes (%" PRIu64 " bytes)",
				   t->path, d->blobs.obj, blob_id, row.offset, row.size,
				   d->counts.blob_bytes);
	e = malloc(sizeof(*e) + (size_t)row.size);
	if (!e)
		return hlsim_error(HLSIM_E_NOMEM, "%s: no memory for blob %" PRIu64 " (%" PRIu64
				   " bytes)", t->path, blob_id, row.size);
	if (d->counts.blob_bytes <= TRC_SMALL_CB_BYTES) {
		/*
		 * A small device: one read of all its CB bytes, kept, instead of a decompressed
		 * chunk cache per device (a run of a thousand devices would hold a thousand).
		 */
		if (!d->cb_all) {
			d->cb_all = malloc(d->counts.blob_bytes ? (size_t)d->counts.blob_bytes : 1);
			if (!d->cb_all) {
				rc = hlsim_error(HLSIM_E_NOMEM, "%s: no memory for %s", t->path,
						 d->cb_obj);
				goto err_free;
			}
			rc = trc_h5_read_rows(d->cb_dset, H5T_NATIVE_UINT8, H5P_DEFAULT, 0,
					      (size_t)d->counts.blob_bytes, d->cb_all, t->path,
					      d->cb_obj);
			if (rc != HLSIM_OK) {
				free(d->cb_all);
				d->cb_all = NULL;
				goto err_free;
			}
		}
		memcpy(e->data, d->cb_all + row.offset, (size_t)row.size);
	} else {
		rc = trc_h5_read_rows(d->cb_dset, H5T_NATIVE_UINT8, H5P_DEFAULT, row.offset,
				      (size_t)row.size, e->data, t->path, d->cb_obj);
		if (rc != HLSIM_OK)
			goto err_free;
	}
	hash = trc_hash64(e->data, (size_t)row.size);
	if (hash != row.hash) {
		rc = hlsim_error(HLSIM_E_TRACE_FORMAT, "%s: %s row %" PRIu64 ": hash 0x%016" PRIx64
				 " does not match its %" PRIu64 " bytes in cb_bytes (hash 0x%016"
				 PRIx64 ")", t->path, d->blobs.obj, blob_id, row.hash, row.size,
				 hash);
		goto err_free;
	}
	e->pub.bytes = e->data;
	e->pub.size = (size_t)row.size;
	e->pub.id = blob_id;
	e->dev = dev;
	e->refs = 1;
	e->prev = e->next = NULL;
	e->charge = sizeof(*e) + (size_t)row.size;
	rc = cache_insert(t, e);
	if (rc != HLSIM_OK)
		goto err_free;
	t->referenced++;
	t->loads++;
	*out = &e->pub;
	return HLSIM_OK;

err_free:
	free(e);
	return rc;
}

hlsim_err_t trc_trace_blob_size(hlsim_trace_t *t, uint32_t dev, uint64_t blob_id,
				uint64_t *size)
{
	const struct trc_blob_row *b;
	struct rdev *d = NULL;
	hlsim_err_t rc;

	rc = get_dev(t, dev, &d);
	if (rc != HLSIM_OK)
		return rc;
	if (blob_id >= d->counts.blobs)
		return hlsim_error(HLSIM_E_INVAL, "%s: device %u: blob %" PRIu64
				   " does not exist (%" PRIu64 " blobs)", t->path, dev, blob_id,
				   d->counts.blobs);
	rc = trc_win_get(&d->blobs, blob_id, (const void **)&b);
	if (rc == HLSIM_OK)
		*size = b->size;
	return rc;
}

void hlsim_trace_blob_put(hlsim_trace_t *t, const struct hlsim_blob *b)
{
	struct centry *e;

	if (!t || !b)
		return;
	e = (struct centry *)b; /* pub is the first member */
	if (e->refs == 0)
		return; /* an extra put: nothing to release */
	if (--e->refs)
		return;
	t->referenced--;
	e->prev = NULL;
	e->next = t->lru_head;
	if (t->lru_head)
		t->lru_head->prev = e;
	t->lru_head = e;
	if (!t->lru_tail)
		t->lru_tail = e;
	t->unref_bytes += e->charge;
	cache_trim(t);
}

/* {==== memory images ==== */

static int image_cmp(const void *pa, const void *pb)
{
	const struct mem_image *a = pa, *b = pb;

	if (a->m.addr != b->m.addr)
		return a->m.addr < b->m.addr ? -1 : 1;
	if (a->m.from_cs != b->m.from_cs)
		return a->m.from_cs < b->m.from_cs ? -1 : 1;
	return a->row < b->row ? -1 : a->row > b->row;
}

/* Load, check and sort the mem table of @d. */
static hlsim_err_t load_images(hlsim_trace_t *t, struct rdev *d)
{
	const struct trc_blob_row *b;
	const struct hlsim_trace_mem *m;
	struct mem_image *img;
	uint64_t *max_end, i, end;
	hlsim_err_t rc;

	img = malloc((d->counts.mem ? d->counts.mem : 1) * sizeof(*img));
	max_end = malloc((d->counts.mem ? d->counts.mem : 1) * sizeof(*max_end));
	if (!img || !max_end) {
		rc = hlsim_error(HLSIM_E_NOMEM, "%s: no memory for %" PRIu64 " rows of %s", t->path,
				 d->counts.mem, d->mem.obj);
		goto err_free;
	}
	for (i = 0; i < d->counts.mem; i++) {
		rc = trc_win_get(&d->mem, i, (const void **)&m);
		if (rc != HLSIM_OK)
			goto err_free;
		img[i].m = *m;
		img[i].row = i;
		if (m->blob_id >= d->counts.blobs) {
			rc = hlsim_error(HLSIM_E_TRACE_FORMAT, "%s: %s row %" PRIu64 ": blob_id %"
					 PRIu64 " >= %" PRIu64 " blobs", t->path, d->mem.obj, i,
					 img[i].m.blob_id, d->counts.blobs);
			goto err_free;
		}
		if (img[i].m.addr + img[i].m.size < img[i].m.addr) {
			rc = hlsim_error(HLSIM_E_TRACE_FORMAT, "%s: %s row %" PRIu64 ": addr 0x%"
					 PRIx64 " + size %" PRIu64 " wraps around", t->path,
					 d->mem.obj, i, img[i].m.addr, img[i].m.size);
			goto err_free;
		}
		rc = trc_win_get(&d->blobs, img[i].m.blob_id, (const void **)&b);
		if (rc != HLSIM_OK)
			goto err_free;
		if (b->size != img[i].m.size) {
			rc = hlsim_error(HLSIM_E_TRACE_FORMAT,
					 "%s: %s row %" PRIu64 ": size %" PRIu64 " != size %" PRIu64
					 " of blob %" PRIu64,
					 t->path, d->mem.obj, i, img[i].m.size, b->size,
					 img[i].m.blob_id);
			goto err_free;
		}
	}
	qsort(img, (size_t)d->counts.mem, sizeof(*img), image_cmp);
	for (i = 0; i < d->counts.mem; i++) {
		end = img[i].m.addr + img[i].m.size;
		max_end[i] = i && max_end[i - 1] > end ? max_end[i - 1] : end;
	}
	d->images = img;
	d->max_end = max_end;
	return HLSIM_OK;

err_free:
	free(max_end);
	free(img);
	return rc;
}

hlsim_err_t hlsim_trace_mem_find(hlsim_trace_t *t, uint32_t dev, uint64_t addr, uint64_t size,
				 uint64_t cs_index, struct hlsim_trace_mem *image,
				 uint64_t *offset)
{
	const struct mem_image *best = NULL, *later = NULL;
	uint64_t end, lo, hi, i;
	struct rdev *d = NULL;
	hlsim_err_t rc;

	rc = get_dev(t, dev, &d);
	if (rc != HLSIM_OK)
		return rc;
	if (!image)
		return hlsim_error(HLSIM_E_INVAL, "%s: device %u: mem_find: image is NULL", t->path,
				   dev);
	end = addr + (size ? size : 1); /* size 0: the byte at @addr */
	if (end < addr)
		return hlsim_error(HLSIM_E_INVAL, "%s: device %u: range 0x%" PRIx64 " + %" PRIu64
				   " wraps around", t->path, dev, addr, size);
	if (!d->images) {
		rc = load_images(t, d);
		if (rc != HLSIM_OK)
			return rc;
	}
	/* hi = number of images starting at or below addr */
	lo = 0;
	hi = d->counts.mem;
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (d->images[mid].m.addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* walk down while some image at or before i could still reach @end */
	for (i = lo; i > 0 && d->max_end[i - 1] >= end; i--) {
		const struct mem_image *im = &d->images[i - 1];

		if (im->m.addr + im->m.size < end)
			continue;
		if (im->m.from_cs > cs_index) {
			if (!later || im->m.from_cs < later->m.from_cs)
				later = im;
			continue;
		}
		if (!best || im->m.from_cs > best->m.from_cs ||
		    (im->m.from_cs == best->m.from_cs && im->row > best->row))
			best = im;
	}
	if (!best && later)
		return hlsim_error(HLSIM_E_INVAL,
				   "%s: device %u: no memory image holds [0x%" PRIx64 ", 0x%" PRIx64
				   ") at CS row %" PRIu64 " (mem row %" PRIu64
				   " holds it from CS row %" PRIu64 ")",
				   t->path, dev, addr, end, cs_index, later->row, later->m.from_cs);
	if (!best)
		return hlsim_error(HLSIM_E_INVAL,
				   "%s: device %u: no memory image holds [0x%" PRIx64 ", 0x%" PRIx64
				   ") at CS row %" PRIu64 " (%" PRIu64 " images)",
				   t->path, dev, addr, end, cs_index, d->counts.mem);
	*image = best->m;
	if (offset)
		*offset = addr - best->m.addr;
	return HLSIM_OK;
}
