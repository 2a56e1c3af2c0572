/*
 * traces/trace_writer.c - the batched writer of trace format v1 (HDF5).
 *
 * Layout (traces/FORMAT.md): root attributes, then per device a group /device<N>
 * with an `identity` row and the tables cs, jobs, blobs, cb_bytes, mem, host_maps,
 * waits, annotations. Every table is a chunked, shuffle+gzip dataset appended one
 * whole chunk at a time from an in-memory buffer (struct trc_appender), never one
 * HDF5 call per record.
 *
 * CB deduplication: a blob's bytes are hashed (trc_hash64) and looked up in an
 * open-addressing table hash -> blob id. On a hash hit the bytes are compared (from a
 * bounded LRU of copies of recent distinct blobs, else read back from the pending
 * cb_bytes buffer or the file), so different contents never share an id. Memory
 * grows with the number of distinct blobs (32 bytes each plus 16 per table slot),
 * never with the number of CSs or jobs.
 *
 * Not thread-safe: one writer is used by one thread (HDF5 serial).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "traces/trc.h"
#include "traces/trc_h5.h"

#define DEDUP_INITIAL_SLOTS 1024 /* power of two */
#define READBACK_BYTES (64 * 1024) /* scratch for comparing against the file */

/* A copy of one distinct blob's bytes, in the writer's LRU (most recent first). */
struct wcopy {
	struct wcopy *prev, *next;
	uint32_t dev;
	uint64_t id;
	size_t size;
	uint8_t bytes[];
};

/* What the writer remembers about each distinct blob of a device. */
struct wblob {
	uint64_t offset; /* in cb_bytes */
	uint64_t size; /* bytes */
	struct wcopy *copy; /* cached copy, or NULL */
};

/* One slot of the dedup table; idp1 = blob id + 1, 0 = empty. */
struct wslot {
	uint64_t key;
	uint64_t idp1;
};

/* One device being written. */
struct wdev {
	hid_t group;
	struct trc_appender cs, jobs, blobs, cb, mem, host_maps, waits, annotations;
	struct wblob *meta; /* per blob id */
	uint64_t nblobs;
	size_t meta_cap;
	struct wslot *slots;
	size_t nslots; /* power of two, at most half full */
};

struct hlsim_trace_writer {
	char *path;
	hid_t file;
	struct wdev *devs;
	uint32_t ndevs;
	uint32_t devs_cap;
	struct wcopy *lru_head, *lru_tail;
	size_t copy_bytes, copy_limit;
	uint64_t hash_mask; /* ~0 except in tests */
	uint8_t *scratch; /* READBACK_BYTES, allocated on first read-back */
	hlsim_err_t failed; /* first write failure: the file is incomplete */
};

/* {==== copies (LRU) ==== */

static void lru_unlink(hlsim_trace_writer_t *w, struct wcopy *c)
{
	if (c->prev)
		c->prev->next = c->next;
	else
		w->lru_head = c->next;
	if (c->next)
		c->next->prev = c->prev;
	else
		w->lru_tail = c->prev;
	c->prev = c->next = NULL;
}

static void lru_push_front(hlsim_trace_writer_t *w, struct wcopy *c)
{
	c->prev = NULL;
	c->next = w->lru_head;
	if (w->lru_head)
		w->lru_head->prev = c;
	w->lru_head = c;
	if (!w->lru_tail)
		w->lru_tail = c;
}

static void copy_drop(hlsim_trace_writer_t *w, struct wcopy *c)
{
	lru_unlink(w, c);
	w->devs[c->dev].meta[c->id].copy = NULL;
	w->copy_bytes -= sizeof(*c) + c->size;
	free(c);
}

static void copies_trim(hlsim_trace_writer_t *w)
{
	while (w->lru_tail && w->copy_bytes > w->copy_limit)
		copy_drop(w, w->lru_tail);
}

/* Remember the bytes of new blob @id (best effort: no memory only costs speed). */
static void copy_add(hlsim_trace_writer_t *w, uint32_t dev, uint64_t id, const void *bytes,
		     size_t size)
{
	struct wcopy *c;

	if (size + sizeof(*c) > w->copy_limit)
		return;
	c = malloc(sizeof(*c) + size);
	if (!c)
		return;
	c->dev = dev;
	c->id = id;
	c->size = size;
	memcpy(c->bytes, bytes, size);
	w->devs[dev].meta[id].copy = c;
	w->copy_bytes += sizeof(*c) + size;
	lru_push_front(w, c);
	copies_trim(w);
}

/* {==== dedup ==== */

/* Are the stored bytes of blob @id equal to @bytes (same size already checked)? */
static hlsim_err_t blob_equal(hlsim_trace_writer_t *w, struct wdev *d, uint64_t id,
			      const uint8_t *bytes, size_t size, int *eq)
{
	struct wblob *m = &d->meta[id];
	uint64_t flushed = d->cb.written;
	hlsim_err_t rc;
	size_t pos = 0;

	if (m->copy) {
		lru_unlink(w, m->copy);
		lru_push_front(w, m->copy);
		*eq = !memcmp(m->copy->bytes, bytes, size);
		return HLSIM_OK;
	}
	while (pos < size) {
		uint64_t o = m->offset + pos;
		size_t n = size - pos;

		if (o >= flushed) {
			/* the rest is still in the pending chunk buffer */
			*eq = !memcmp(d->cb.buf + (o - flushed), bytes + pos, n);
			return HLSIM_OK;
		}
		if (n > flushed - o)
			n = (size_t)(flushed - o);
		if (n > READBACK_BYTES)
			n = READBACK_BYTES;
		if (!w->scratch) {
			w->scratch = malloc(READBACK_BYTES);
			if (!w->scratch)
				return hlsim_error(HLSIM_E_NOMEM, "%s: no memory to compare blobs",
						   w->path);
		}
		rc = trc_h5_read_rows(d->cb.dset, H5T_NATIVE_UINT8, H5P_DEFAULT, o, n, w->scratch,
				      w->path, d->cb.obj);
		if (rc != HLSIM_OK)
			return rc;
		if (memcmp(w->scratch, bytes + pos, n)) {
			*eq = 0;
			return HLSIM_OK;
		}
		pos += n;
	}
	*eq = 1;
	return HLSIM_OK;
}

/* Double the dedup table and re-insert every blob. */
static hlsim_err_t slots_grow(hlsim_trace_writer_t *w, struct wdev *d)
{
	size_t n = d->nslots * 2, i, j;
	struct wslot *s = calloc(n, sizeof(*s));

	if (!s)
		return hlsim_error(HLSIM_E_NOMEM, "%s: no memory for a dedup table of %zu slots",
				   w->path, n);
	for (i = 0; i < d->nslots; i++) {
		if (!d->slots[i].idp1)
			continue;
		for (j = d->slots[i].key & (n - 1); s[j].idp1; j = (j + 1) & (n - 1))
			;
		s[j] = d->slots[i];
	}
	free(d->slots);
	d->slots = s;
	d->nslots = n;
	return HLSIM_OK;
}

/* {==== helpers ==== */

static hlsim_err_t get_dev(hlsim_trace_writer_t *w, uint32_t dev, struct wdev **out)
{
	if (!w)
		return hlsim_error(HLSIM_E_INVAL, "trace writer is NULL");
	if (w->failed)
		return hlsim_error(w->failed,
				   "%s: an earlier write failed; the trace is incomplete", w->path);
	if (dev >= w->ndevs)
		return hlsim_error(HLSIM_E_INVAL, "%s: device %u does not exist (%u devices added)",
				   w->path, dev, w->ndevs);
	*out = &w->devs[dev];
	return HLSIM_OK;
}

/* Record a write failure (not a caller mistake) so later calls refuse to go on. */
static hlsim_err_t note(hlsim_trace_writer_t *w, hlsim_err_t rc)
{
	if (rc != HLSIM_OK && rc != HLSIM_E_INVAL && !w->failed)
		w->failed = rc;
	return rc;
}

static hlsim_err_t check_blob_ref(hlsim_trace_writer_t *w, struct wdev *d, uint32_t dev,
				  uint64_t blob_id, const char *what)
{
	if (blob_id >= d->nblobs)
		return hlsim_error(HLSIM_E_INVAL, "%s: device %u: %s: blob_id %" PRIu64
				   " >= %" PRIu64 " blobs", w->path, dev, what, blob_id, d->nblobs);
	return HLSIM_OK;
}

/* {==== writer API ==== */

hlsim_err_t hlsim_trace_create(const char *path, const char *generator,
			       hlsim_trace_writer_t **out)
{
	hlsim_trace_writer_t *w;
	hlsim_err_t rc;

	if (!path || !out)
		return hlsim_error(HLSIM_E_INVAL, "hlsim_trace_create: path and out are required");
	*out = NULL;
	trc_h5_quiet();
	w = calloc(1, sizeof(*w));
	if (!w)
		return hlsim_error(HLSIM_E_NOMEM, "%s: no memory for a trace writer", path);
	w->copy_limit = TRC_WRITER_COPY_BYTES;
	w->hash_mask = UINT64_MAX;
	w->path = strdup(path);
	if (!w->path) {
		rc = hlsim_error(HLSIM_E_NOMEM, "%s: no memory", path);
		goto err_free;
	}
	rc = trc_h5_create_file(path, &w->file);
	if (rc != HLSIM_OK)
		goto err_free;
	rc = trc_h5_attr_write_str(w->file, "format", HLSIM_TRACE_FORMAT_NAME);
	if (rc == HLSIM_OK)
		rc = trc_h5_attr_write_u32(w->file, "version_major", HLSIM_TRACE_VERSION_MAJOR);
	if (rc == HLSIM_OK)
		rc = trc_h5_attr_write_u32(w->file, "version_minor", HLSIM_TRACE_VERSION_MINOR);
	if (rc == HLSIM_OK)
		rc = trc_h5_attr_write_str(w->file, "generator", generator ? generator : "");
	if (rc != HLSIM_OK) {
		hlsim_error_prefix(rc, "%s: ", path);
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

void trc_writer_set_dedup_hash_mask(hlsim_trace_writer_t *w, uint64_t mask)
{
	w->hash_mask = mask;
}

void trc_writer_set_copy_limit(hlsim_trace_writer_t *w, size_t bytes)
{
	w->copy_limit = bytes;
	copies_trim(w);
}

/* Create the tables of device @dev (its group is open). */
static hlsim_err_t create_tables(hlsim_trace_writer_t *w, struct wdev *d, uint32_t dev)
{
	const struct {
		struct trc_appender *app;
		const struct trc_table_desc *desc;
	} tables[] = {
		{ &d->cs, &trc_desc_cs },
		{ &d->jobs, &trc_desc_job },
		{ &d->blobs, &trc_desc_blob },
		{ &d->mem, &trc_desc_mem },
		{ &d->host_maps, &trc_desc_host_map },
		{ &d->waits, &trc_desc_wait },
		{ &d->annotations, &trc_desc_annotation },
	};
	char obj[48];
	hlsim_err_t rc;
	size_t i;

	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		snprintf(obj, sizeof(obj), "/device%u/%s", dev, tables[i].desc->name);
		rc = trc_app_create(tables[i].app, d->group, tables[i].desc, TRC_TABLE_CHUNK_ROWS,
				    w->path, obj);
		if (rc != HLSIM_OK)
			return rc;
	}
	snprintf(obj, sizeof(obj), "/device%u/cb_bytes", dev);
	return trc_app_create_bytes(&d->cb, d->group, "cb_bytes", TRC_CB_CHUNK_BYTES, w->path,
				    obj);
}

static hlsim_err_t close_dev(struct wdev *d)
{
	struct trc_appender *apps[] = { &d->cs, &d->jobs, &d->blobs, &d->cb,
					&d->mem, &d->host_maps, &d->waits, &d->annotations };
	hlsim_err_t rc = HLSIM_OK, r;
	size_t i;

	for (i = 0; i < sizeof(apps) / sizeof(apps[0]); i++) {
		r = trc_app_close(apps[i]);
		if (rc == HLSIM_OK)
			rc = r;
	}
	if (d->group > 0 && H5Gclose(d->group) < 0 && rc == HLSIM_OK)
		rc = trc_h5_fail(HLSIM_E_IO, "cannot close a device group");
	d->group = -1;
	free(d->meta);
	d->meta = NULL;
	free(d->slots);
	d->slots = NULL;
	return rc;
}

hlsim_err_t hlsim_trace_add_device(hlsim_trace_writer_t *w,
				   const struct hlsim_trace_device *info, uint32_t *dev)
{
	struct hlsim_trace_device row;
	char name[24], obj[48];
	hlsim_err_t rc;
	struct wdev *d = NULL;
	hid_t gcpl;

	if (!w || !info || !dev)
		return hlsim_error(HLSIM_E_INVAL, "hlsim_trace_add_device: NULL argument");
	if (w->failed)
		return hlsim_error(w->failed,
				   "%s: an earlier write failed; the trace is incomplete", w->path);
	snprintf(obj, sizeof(obj), "%s: device %u identity", w->path, w->ndevs);
	rc = trc_h5_check_strings(&trc_desc_device, info, obj);
	if (rc != HLSIM_OK)
		return rc;
	if (w->ndevs == w->devs_cap) {
		uint32_t cap = w->devs_cap ? w->devs_cap * 2 : 4;
		struct wdev *p = realloc(w->devs, cap * sizeof(*p));

		if (!p)
			return hlsim_error(HLSIM_E_NOMEM, "%s: no memory for device %u", w->path,
					   w->ndevs);
		w->devs = p;
		w->devs_cap = cap;
	}
	d = &w->devs[w->ndevs];
	memset(d, 0, sizeof(*d));
	d->group = -1;
	d->nslots = DEDUP_INITIAL_SLOTS;
	d->slots = calloc(d->nslots, sizeof(*d->slots));
	if (!d->slots)
		return hlsim_error(HLSIM_E_NOMEM, "%s: no memory for device %u", w->path, w->ndevs);
	snprintf(name, sizeof(name), "device%u", w->ndevs);
	gcpl = trc_h5_new_gcpl();
	if (gcpl >= 0)
		d->group = H5Gcreate2(w->file, name, H5P_DEFAULT, gcpl, H5P_DEFAULT);
	if (d->group < 0)
		rc = trc_h5_fail(HLSIM_E_IO, "%s: cannot create group /%s", w->path, name);
	if (gcpl >= 0)
		H5Pclose(gcpl);
	if (d->group < 0)
		goto err_close;
	row = *info;
	trc_h5_sanitize_strings(&trc_desc_device, &row);
	snprintf(obj, sizeof(obj), "/%s/identity", name);
	rc = trc_h5_write_rows_once(d->group, &trc_desc_device, &row, 1, w->path, obj);
	if (rc != HLSIM_OK)
		goto err_close;
	rc = create_tables(w, d, w->ndevs);
	if (rc != HLSIM_OK)
		goto err_close;
	*dev = w->ndevs++;
	return HLSIM_OK;

err_close:
	close_dev(d);
	return note(w, rc);
}

hlsim_err_t hlsim_trace_add_blob(hlsim_trace_writer_t *w, uint32_t dev, const void *bytes,
				 size_t size, uint64_t *blob_id)
{
	struct trc_blob_row row;
	uint64_t hash, key;
	hlsim_err_t rc;
	struct wdev *d = NULL;
	size_t i;
	int eq;

	rc = get_dev(w, dev, &d);
	if (rc != HLSIM_OK)
		return rc;
	if (!blob_id || (!bytes && size))
		return hlsim_error(HLSIM_E_INVAL, "%s: device %u: add_blob: NULL argument", w->path,
				   dev);
	if (!size)
		bytes = ""; /* the empty blob: memcmp/memcpy must not see NULL */
	hash = trc_hash64(bytes, size);
	key = hash & w->hash_mask;
	for (i = key & (d->nslots - 1); d->slots[i].idp1; i = (i + 1) & (d->nslots - 1)) {
		uint64_t id = d->slots[i].idp1 - 1;

		if (d->slots[i].key != key || d->meta[id].size != size)
			continue;
		rc = blob_equal(w, d, id, bytes, size, &eq);
		if (rc != HLSIM_OK)
			return note(w, rc);
		if (eq) {
			*blob_id = id;
			return HLSIM_OK;
		}
	}
	/* a new distinct content */
	if ((d->nblobs + 1) * 2 > d->nslots) {
		rc = slots_grow(w, d);
		if (rc != HLSIM_OK)
			return rc;
		for (i = key & (d->nslots - 1); d->slots[i].idp1; i = (i + 1) & (d->nslots - 1))
			;
	}
	if (d->nblobs == d->meta_cap) {
		size_t cap = d->meta_cap ? d->meta_cap * 2 : 256;
		struct wblob *p = realloc(d->meta, cap * sizeof(*p));

		if (!p)
			return hlsim_error(HLSIM_E_NOMEM, "%s: no memory for blob %" PRIu64,
					   w->path, d->nblobs);
		d->meta = p;
		d->meta_cap = cap;
	}
	row.offset = trc_app_rows(&d->cb);
	row.size = size;
	row.hash = hash;
	rc = trc_app_push(&d->cb, bytes, size);
	if (rc == HLSIM_OK)
		rc = trc_app_push(&d->blobs, &row, 1);
	if (rc != HLSIM_OK)
		return note(w, rc);
	d->meta[d->nblobs].offset = row.offset;
	d->meta[d->nblobs].size = size;
	d->meta[d->nblobs].copy = NULL;
	d->slots[i].key = key;
	d->slots[i].idp1 = d->nblobs + 1;
	*blob_id = d->nblobs++;
	copy_add(w, dev, *blob_id, bytes, size);
	return HLSIM_OK;
}

hlsim_err_t hlsim_trace_add_cs(hlsim_trace_writer_t *w, uint32_t dev,
			       const struct hlsim_trace_cs *cs, const struct hlsim_trace_job *jobs,
			       uint32_t num_jobs)
{
	struct hlsim_trace_job job;
	struct hlsim_trace_cs row;
	uint64_t cs_index;
	uint8_t phase = HLSIM_PHASE_RESTORE;
	hlsim_err_t rc;
	struct wdev *d = NULL;
	char what[64];
	uint32_t i;

	rc = get_dev(w, dev, &d);
	if (rc != HLSIM_OK)
		return rc;
	cs_index = trc_app_rows(&d->cs);
	if (!cs || (num_jobs && !jobs))
		return hlsim_error(HLSIM_E_INVAL,
				   "%s: device %u: CS row %" PRIu64 ": NULL argument", w->path, dev,
				   cs_index);
	/* validate every job before writing any, so a refused CS leaves no trace */
	for (i = 0; i < num_jobs; i++) {
		const struct hlsim_trace_job *j = &jobs[i];

		if (j->phase > HLSIM_PHASE_EXECUTE)
			return hlsim_error(HLSIM_E_INVAL, "%s: device %u: CS row %" PRIu64
					   " job %u: phase %u (expected 0 restore or 1 execute)",
					   w->path, dev, cs_index, i, j->phase);
		if (j->phase < phase)
			return hlsim_error(HLSIM_E_INVAL, "%s: device %u: CS row %" PRIu64
					   " job %u: restore job after an execute job (restore "
					   "jobs come first)", w->path, dev, cs_index, i);
		phase = j->phase;
		if (j->blob_id == HLSIM_TRACE_NO_BLOB)
			continue;
		snprintf(what, sizeof(what), "CS row %" PRIu64 " job %u", cs_index, i);
		rc = check_blob_ref(w, d, dev, j->blob_id, what);
		if (rc != HLSIM_OK)
			return rc;
		if (j->cb_size > d->meta[j->blob_id].size)
			return hlsim_error(HLSIM_E_INVAL, "%s: device %u: %s: cb_size %u > blob %"
					   PRIu64 " size %" PRIu64, w->path, dev, what, j->cb_size,
					   j->blob_id, d->meta[j->blob_id].size);
	}
	row = *cs;
	row.first_job = trc_app_rows(&d->jobs);
	row.num_jobs = num_jobs; /* the argument is authoritative */
	for (i = 0; i < num_jobs; i++) {
		job = jobs[i];
		job.cs_index = cs_index;
		rc = trc_app_push(&d->jobs, &job, 1);
		if (rc != HLSIM_OK)
			return note(w, rc);
	}
	return note(w, trc_app_push(&d->cs, &row, 1));
}

hlsim_err_t hlsim_trace_add_mem(hlsim_trace_writer_t *w, uint32_t dev,
				const struct hlsim_trace_mem *m)
{
	hlsim_err_t rc;
	struct wdev *d = NULL;
	char what[48];

	rc = get_dev(w, dev, &d);
	if (rc != HLSIM_OK)
		return rc;
	if (!m)
		return hlsim_error(HLSIM_E_INVAL, "%s: device %u: add_mem: NULL argument", w->path,
				   dev);
	snprintf(what, sizeof(what), "mem row %" PRIu64, trc_app_rows(&d->mem));
	rc = check_blob_ref(w, d, dev, m->blob_id, what);
	if (rc != HLSIM_OK)
		return rc;
	if (m->size != d->meta[m->blob_id].size)
		return hlsim_error(HLSIM_E_INVAL, "%s: device %u: %s: size %" PRIu64
				   " != blob %" PRIu64 " size %" PRIu64, w->path, dev, what,
				   m->size, m->blob_id, d->meta[m->blob_id].size);
	if (m->addr + m->size < m->addr)
		return hlsim_error(HLSIM_E_INVAL, "%s: device %u: %s: addr 0x%" PRIx64 " + size %"
				   PRIu64 " wraps around", w->path, dev, what, m->addr, m->size);
	return note(w, trc_app_push(&d->mem, m, 1));
}

hlsim_err_t hlsim_trace_add_host_map(hlsim_trace_writer_t *w, uint32_t dev,
				     const struct hlsim_trace_host_map *m)
{
	hlsim_err_t rc;
	struct wdev *d = NULL;

	rc = get_dev(w, dev, &d);
	if (rc != HLSIM_OK)
		return rc;
	if (!m)
		return hlsim_error(HLSIM_E_INVAL, "%s: device %u: add_host_map: NULL argument",
				   w->path, dev);
	if (m->unmap_ns < m->map_ns)
		return hlsim_error(HLSIM_E_INVAL, "%s: device %u: host_maps row %" PRIu64
				   ": unmap_ns %" PRId64 " < map_ns %" PRId64, w->path, dev,
				   trc_app_rows(&d->host_maps), m->unmap_ns, m->map_ns);
	return note(w, trc_app_push(&d->host_maps, m, 1));
}

hlsim_err_t hlsim_trace_add_wait(hlsim_trace_writer_t *w, uint32_t dev,
				 const struct hlsim_trace_wait *wt)
{
	hlsim_err_t rc;
	struct wdev *d = NULL;

	rc = get_dev(w, dev, &d);
	if (rc != HLSIM_OK)
		return rc;
	if (!wt)
		return hlsim_error(HLSIM_E_INVAL, "%s: device %u: add_wait: NULL argument", w->path,
				   dev);
	if (wt->exit_ns < wt->enter_ns)
		return hlsim_error(HLSIM_E_INVAL, "%s: device %u: waits row %" PRIu64
				   ": exit_ns %" PRId64 " < enter_ns %" PRId64, w->path, dev,
				   trc_app_rows(&d->waits), wt->exit_ns, wt->enter_ns);
	return note(w, trc_app_push(&d->waits, wt, 1));
}

hlsim_err_t hlsim_trace_add_annotation(hlsim_trace_writer_t *w, uint32_t dev,
				       const struct hlsim_trace_annotation *a)
{
	struct hlsim_trace_annotation row;
	hlsim_err_t rc;
	struct wdev *d = NULL;
	char what[96];

	rc = get_dev(w, dev, &d);
	if (rc != HLSIM_OK)
		return rc;
	if (!a)
		return hlsim_error(HLSIM_E_INVAL, "%s: device %u: add_annotation: NULL argument",
				   w->path, dev);
	snprintf(what, sizeof(what), "%s: device %u: annotations row %" PRIu64, w->path, dev,
		 trc_app_rows(&d->annotations));
	rc = trc_h5_check_strings(&trc_desc_annotation, a, what);
	if (rc != HLSIM_OK)
		return rc;
	row = *a;
	trc_h5_sanitize_strings(&trc_desc_annotation, &row); /* deterministic bytes */
	return note(w, trc_app_push(&d->annotations, &row, 1));
}

hlsim_err_t hlsim_trace_writer_close(hlsim_trace_writer_t *w)
{
	hlsim_err_t rc = HLSIM_OK, r;
	uint32_t i;

	if (!w)
		return HLSIM_OK;
	while (w->lru_head)
		copy_drop(w, w->lru_head);
	for (i = 0; i < w->ndevs; i++) {
		r = close_dev(&w->devs[i]);
		if (rc == HLSIM_OK)
			rc = r;
	}
	r = trc_h5_attr_write_u32(w->file, "num_devices", w->ndevs);
	if (r != HLSIM_OK && rc == HLSIM_OK)
		rc = hlsim_error_prefix(r, "%s: ", w->path);
	if (H5Fclose(w->file) < 0 && rc == HLSIM_OK)
		rc = trc_h5_fail(HLSIM_E_IO, "%s: cannot close the trace file", w->path);
	if (rc == HLSIM_OK && w->failed)
		rc = hlsim_error(w->failed, "%s: an earlier write failed; the trace is incomplete",
				 w->path);
	free(w->scratch);
	free(w->devs);
	free(w->path);
	free(w);
	return rc;
}
