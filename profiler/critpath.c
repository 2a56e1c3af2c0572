/*
 * profiler/critpath.c - the critical path of a run: the chain of records, each waiting for
 * the one before it, that ends with the record ending last.
 *
 * The walk goes back in time from the last record with a cursor (unit, time t):
 *   - the record charged is the innermost record of the unit covering t (start < t <= end);
 *     if another record of the unit nested in it ends by t (a FENCE_WAIT inside a JOB),
 *     only [its end, t] is charged and the walk moves to it ("queue_order");
 *   - a FENCE_WAIT is charged from its release's signal_ps to t, then the walk jumps
 *     ("fence_release") to the producer record (producer_row), or, when a CP's own
 *     message released it, to that CP's record covering signal_ps;
 *   - a DMA, LAUNCH or NIC record is charged whole; if another record of the engine covers
 *     or ends at its start, the engine was busy and the walk moves to that record
 *     ("queue_order"); otherwise the engine was idle and the walk jumps ("engine_issue") to
 *     the record of the engine's QMAN that issued it: the CB (lower CP) or else the JOB
 *     (queues) with the same cs_seq and job that covers the start (start <= t <= end);
 *     a lower CP's CB whose lower CP was idle jumps the same way to its queue's JOB;
 *   - a BARRIER_WAIT is charged from the end of the last record of the CP's engine that
 *     ended within it, then the walk jumps ("engine_drain") to that record; with none it
 *     is charged whole;
 *   - a queue's JOB is charged whole; if the queue was idle before it, the walk follows the
 *     host ("host_submit"): the JOB's CS record on the device's host, from its submission
 *     to the JOB's start, then the host from the latest earlier CS completion to that
 *     submission, then ("cs_completion") the record of the completed CS on the device that
 *     ended last; with no earlier completion the path starts at the first submission
 *     [I] inferred: the results do not say why the host submitted when it did; a host that
 *     waits for a free CS slot (or for its previous CS) submits after the latest completion;
 *   - any other record (CB, WAIT_TIME) is charged whole and the walk stays on its unit at
 *     its start;
 *   - when nothing of the unit covers t, the walk moves to the unit's record with the
 *     latest end before t, the time between being a "gap"; with none, the path starts.
 * The path never starts at a host record (a CS spans a whole submission).
 *
 * Memory: a sparse index (struct prf_critpath in prf_deps.h) built while the report
 * streams the timeline, and a few decoded blocks of rows; records are read back from the
 * results file by row as the walk needs them, releases by binary search on wait_row.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profiler/prf_deps.h"

/* cache_blk.by_unit holds row offsets within a block in 16 bits */
_Static_assert(PRF_CRIT_BLOCK_ROWS <= 65536, "PRF_CRIT_BLOCK_ROWS must fit 16 bits");

static const char *const dep_names[PRF_DEP_COUNT_] = {
	"end",		"queue_order", "fence_release", "engine_issue",
	"engine_drain", "host_submit", "cs_completion", "gap",
};

const char *prf_dep_kind_name(unsigned int kind)
{
	return kind < PRF_DEP_COUNT_ ? dep_names[kind] : "?";
}

/* ===== unit names: which engine a CP drives ===== */

/* @name without a multi-device "d<N>." prefix; *@len is updated. */
static const char *strip_device(const char *name, size_t *len)
{
	size_t i = 1;

	if (*len < 3 || name[0] != 'd')
		return name;
	while (i < *len && name[i] >= '0' && name[i] <= '9')
		i++;
	if (i == 1 || i >= *len || name[i] != '.')
		return name;
	*len -= i + 1;
	return name + i + 1;
}

/* The length of @name[0..@len) without a trailing "_<digits>". */
static size_t strip_index(const char *name, size_t len)
{
	size_t j = len;

	while (j > 0 && name[j - 1] >= '0' && name[j - 1] <= '9')
		j--;
	if (j > 0 && j < len && name[j - 1] == '_')
		return j - 1;
	return len;
}

/* @name[0..@len) without '_' into @key. */
static void name_key(const char *name, size_t len, char *key, size_t size)
{
	size_t i, k = 0;

	for (i = 0; i < len && k + 1 < size; i++)
		if (name[i] != '_')
			key[k++] = name[i];
	key[k] = '\0';
}

static int engine_has_key(const struct hlsim_unit *u, uint32_t device, const char *want)
{
	size_t len = strnlen(u->name, sizeof(u->name));
	const char *nm;
	char have[48];

	if (u->kind != HLSIM_UNIT_ENGINE || u->device != device)
		return 0;
	nm = strip_device(u->name, &len);
	name_key(nm, len, have, sizeof(have));
	return !strcmp(want, have);
}

/*
 * The engine unit of @device whose key is @want, or -1. A device's units are usually
 * listed together, so the run of units of @device around @near is searched first (a
 * thousand-device run would otherwise scan every unit for every CP); then all of them.
 */
static long engine_by_key(const struct hlsim_unit *units, size_t num_units, uint32_t device,
			  const char *want, size_t near)
{
	size_t i;

	if (!want[0])
		return -1;
	for (i = near; i < num_units && units[i].device == device; i++)
		if (engine_has_key(&units[i], device, want))
			return (long)i;
	for (i = near; i-- > 0 && units[i].device == device;)
		if (engine_has_key(&units[i], device, want))
			return (long)i;
	for (i = 0; i < num_units; i++)
		if (engine_has_key(&units[i], device, want))
			return (long)i;
	return -1;
}

long prf_engine_of_cp(const struct hlsim_unit *units, size_t num_units, size_t cp)
{
	const struct hlsim_unit *u = &units[cp];
	size_t len = strnlen(u->name, sizeof(u->name));
	const char *nm = strip_device(u->name, &len);
	const char *dot = memchr(nm, '.', len);
	char want[48];
	long e;

	if (u->kind == HLSIM_UNIT_LOWER_CP) {
		if (!dot)
			return -1;
		name_key(nm, (size_t)(dot - nm), want, sizeof(want));
		return engine_by_key(units, num_units, u->device, want, cp);
	}
	if (u->kind != HLSIM_UNIT_QUEUE)
		return -1;
	len = strip_index(nm, len); /* the stream */
	name_key(nm, len, want, sizeof(want));
	e = engine_by_key(units, num_units, u->device, want, cp);
	if (e >= 0)
		return e;
	len = strip_index(nm, len); /* a QMAN index (Gaudi2) [I] inferred from unit names */
	name_key(nm, len, want, sizeof(want));
	return engine_by_key(units, num_units, u->device, want, cp);
}

/* ===== index ===== */

hlsim_err_t prf_critpath_init(struct prf_critpath *cp, const struct hlsim_unit *units,
			      size_t num_units)
{
	size_t i;

	memset(cp, 0, sizeof(*cp));
	cp->num_units = num_units;
	if (!num_units)
		return HLSIM_OK;
	cp->unit_ps = calloc(num_units, sizeof(*cp->unit_ps));
	cp->ents = calloc(num_units, sizeof(*cp->ents));
	cp->nents = calloc(num_units, sizeof(*cp->nents));
	cp->capents = calloc(num_units, sizeof(*cp->capents));
	cp->is_host = calloc(num_units, 1);
	cp->cls = calloc(num_units, sizeof(*cp->cls));
	if (!cp->unit_ps || !cp->ents || !cp->nents || !cp->capents || !cp->is_host ||
	    !cp->cls) {
		prf_critpath_free(cp);
		return hlsim_error(HLSIM_E_NOMEM, "profiler: no memory for the critical path");
	}
	for (i = 0; i < num_units; i++) {
		const struct hlsim_unit *u = &units[i];

		cp->is_host[i] = u->kind == HLSIM_UNIT_HOST;
		if (u->kind == HLSIM_UNIT_QUEUE || u->kind == HLSIM_UNIT_LOWER_CP)
			snprintf(cp->cls[i], sizeof(cp->cls[i]), "cp");
		else
			snprintf(cp->cls[i], sizeof(cp->cls[i]), "%.*s",
				 (int)strnlen(u->engine_class, sizeof(u->engine_class)),
				 u->engine_class);
	}
	return HLSIM_OK;
}

hlsim_err_t prf_critpath_index(struct prf_critpath *cp, uint64_t first_row,
			       const struct hlsim_rec *recs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct hlsim_rec *r = &recs[i];
		uint64_t row = first_row + i;
		uint32_t block = (uint32_t)(row / PRF_CRIT_BLOCK_ROWS);
		struct prf_crit_ent *e;
		size_t u = r->unit;

		if (u >= cp->num_units)
			continue;
		if (!cp->is_host[u] && (!cp->have_last || r->end_ps >= cp->last_end_ps)) {
			cp->have_last = 1;
			cp->last_end_ps = r->end_ps;
			cp->last_row = row;
		}
		if (cp->nents[u] && cp->ents[u][cp->nents[u] - 1].block == block) {
			e = &cp->ents[u][cp->nents[u] - 1];
			if (r->start_ps < e->min_start_ps)
				e->min_start_ps = r->start_ps;
			if (r->end_ps > e->max_end_ps)
				e->max_end_ps = r->end_ps;
			if (r->end_ps > e->pmax_end_ps)
				e->pmax_end_ps = r->end_ps;
			continue;
		}
		if (cp->nents[u] == cp->capents[u]) {
			size_t cap = cp->capents[u] ? cp->capents[u] * 2 : 16;
			struct prf_crit_ent *ne = realloc(cp->ents[u], cap * sizeof(*ne));

			if (!ne)
				return hlsim_error(HLSIM_E_NOMEM, "profiler: no memory for "
						   "the critical-path index");
			cp->index_bytes += (cap - cp->capents[u]) * sizeof(*ne);
			cp->ents[u] = ne;
			cp->capents[u] = cap;
		}
		e = &cp->ents[u][cp->nents[u]++];
		e->block = block;
		e->min_start_ps = r->start_ps;
		e->max_end_ps = r->end_ps;
		e->pmax_end_ps = r->end_ps;
		if (cp->nents[u] > 1 && e[-1].pmax_end_ps > e->pmax_end_ps)
			e->pmax_end_ps = e[-1].pmax_end_ps;
	}
	return HLSIM_OK;
}

void prf_critpath_free(struct prf_critpath *cp)
{
	size_t i;

	if (cp->ents)
		for (i = 0; i < cp->num_units; i++)
			free(cp->ents[i]);
	free(cp->ents);
	free(cp->nents);
	free(cp->capents);
	free(cp->unit_ps);
	free(cp->is_host);
	free(cp->cls);
	cp->cls = NULL;
	cp->ents = NULL;
	cp->nents = cp->capents = NULL;
	cp->unit_ps = NULL;
	cp->is_host = NULL;
}

/* ===== the walk ===== */

/*
 * A decoded block of rows and, so a query reads only one unit's records near its time, the
 * row offsets grouped by unit and sorted by end (then row): unit u's rows are
 * by_unit[ustart[u] .. ustart[u + 1]), and none of them lasts longer than udur[u].
 */
struct cache_blk {
	struct hlsim_rec *recs;
	size_t n;
	uint16_t *by_unit, *tmp;
	uint32_t *ustart;
	uint64_t *udur;
	uint32_t block;
	uint64_t used; /* LRU stamp; 0 = empty */
};

/**
 * struct walk - the walk's state.
 * @cache: decoded blocks. @stamp: LRU clock. @rel_n: /releases rows.
 * @qman: per engine or lower CP unit, the CP units of its QMAN that can issue its work
 *        (lower CP first), as a list in @issuers at @qman[u] .. @qman[u + 1].
 * @eng: per CP unit, the engine it drives (index in the units), -1 if none.
 * @dev_host: per device (@num_devices), its host unit, -1 if none.
 */
struct walk {
	struct prf_critpath *cp;
	hlsim_results_t *res;
	const char *path;
	const struct hlsim_unit *units;
	struct cache_blk cache[PRF_CRIT_CACHE_BLOCKS];
	uint64_t stamp, num_rows, rel_n;
	size_t *qman;
	uint32_t *issuers;
	long *eng;
	long *dev_host;
	uint32_t num_devices;
	uint64_t *rel_firsts; /* wait_row of the first release of every block */
	size_t rel_blocks;
	struct hlsim_release *rel_buf[2]; /* two decoded blocks of releases */
	size_t rel_cnt[2];
	uint64_t rel_block[2], rel_used[2];
};

/* Is row offset @a of @b before @c in (end, row) order? */
static int end_before(const struct cache_blk *b, uint16_t a, uint16_t c)
{
	if (b->recs[a].end_ps != b->recs[c].end_ps)
		return b->recs[a].end_ps < b->recs[c].end_ps;
	return a < c;
}

/*
 * Sort by_unit[@lo .. @hi) by (end, row): bottom-up merge sort through @b->tmp; rows come
 * almost in end order, so a run that is already in order is only copied.
 */
static void sort_by_end(struct cache_blk *b, size_t lo, size_t hi)
{
	size_t width, i, n = hi - lo;
	uint16_t *src = b->by_unit + lo, *dst = b->tmp + lo, *t;

	for (i = 1; i < n && !end_before(b, src[i], src[i - 1]); i++)
		;
	if (i >= n)
		return; /* already in order */
	for (width = 1; width < n; width *= 2) {
		for (i = 0; i < n; i += 2 * width) {
			size_t a = i, m = i + width < n ? i + width : n, c = m;
			size_t e = i + 2 * width < n ? i + 2 * width : n, k = i;

			while (a < m && c < e)
				dst[k++] = end_before(b, src[c], src[a]) ? src[c++] : src[a++];
			while (a < m)
				dst[k++] = src[a++];
			while (c < e)
				dst[k++] = src[c++];
		}
		t = src;
		src = dst;
		dst = t;
	}
	if (src != b->by_unit + lo)
		memcpy(b->by_unit + lo, src, n * sizeof(*src));
}

/* The decoded records of @block (NULL and *@rc on a read error). */
static const struct cache_blk *block_get(struct walk *w, uint32_t block, hlsim_err_t *rc)
{
	struct cache_blk *b = NULL;
	size_t i;

	*rc = HLSIM_OK;
	for (i = 0; i < PRF_CRIT_CACHE_BLOCKS; i++) {
		if (w->cache[i].used && w->cache[i].block == block) {
			w->cache[i].used = ++w->stamp;
			return &w->cache[i];
		}
		if (!b || w->cache[i].used < b->used)
			b = &w->cache[i];
	}
	if (!b->recs) {
		b->recs = malloc(PRF_CRIT_BLOCK_ROWS * sizeof(*b->recs));
		b->by_unit = malloc(PRF_CRIT_BLOCK_ROWS * sizeof(*b->by_unit));
		b->tmp = malloc(PRF_CRIT_BLOCK_ROWS * sizeof(*b->tmp));
		b->ustart = malloc((w->cp->num_units + 2) * sizeof(*b->ustart));
		b->udur = malloc((w->cp->num_units + 1) * sizeof(*b->udur));
		if (!b->recs || !b->by_unit || !b->tmp || !b->ustart || !b->udur) {
			*rc = hlsim_error(HLSIM_E_NOMEM,
					  "profiler: no memory for the critical path");
			return NULL;
		}
	}
	b->used = 0;
	*rc = hlsim_results_read(w->res, (uint64_t)block * PRF_CRIT_BLOCK_ROWS, b->recs,
				 PRF_CRIT_BLOCK_ROWS, &b->n);
	if (*rc) {
		hlsim_error_prefix(*rc, "%s: critical path: ", w->path);
		return NULL;
	}
	/* counting sort of the row offsets by unit (units were checked when indexing) */
	memset(b->ustart, 0, (w->cp->num_units + 2) * sizeof(*b->ustart));
	for (i = 0; i < b->n; i++)
		if (b->recs[i].unit < w->cp->num_units)
			b->ustart[b->recs[i].unit + 2]++;
	for (i = 2; i < w->cp->num_units + 2; i++)
		b->ustart[i] += b->ustart[i - 1];
	memset(b->udur, 0, (w->cp->num_units + 1) * sizeof(*b->udur));
	for (i = 0; i < b->n; i++) {
		const struct hlsim_rec *r = &b->recs[i];

		if (r->unit >= w->cp->num_units)
			continue;
		b->by_unit[b->ustart[r->unit + 1]++] = (uint16_t)i;
		if (r->end_ps - r->start_ps > b->udur[r->unit])
			b->udur[r->unit] = r->end_ps - r->start_ps;
	}
	for (i = 0; i < w->cp->num_units; i++)
		sort_by_end(b, b->ustart[i], b->ustart[i + 1]);
	b->block = block;
	b->used = ++w->stamp;
	return b;
}

static hlsim_err_t read_row(struct walk *w, uint64_t row, struct hlsim_rec *out)
{
	const struct cache_blk *b;
	hlsim_err_t rc;

	if (row >= w->num_rows)
		return hlsim_error(HLSIM_E_TRACE_FORMAT,
				   "%s: timeline row %" PRIu64 " does not exist (%" PRIu64 " rows)",
				   w->path, row, w->num_rows);
	b = block_get(w, (uint32_t)(row / PRF_CRIT_BLOCK_ROWS), &rc);
	if (!b)
		return rc;
	if (row % PRF_CRIT_BLOCK_ROWS >= b->n)
		return hlsim_error(HLSIM_E_TRACE_FORMAT, "%s: timeline row %" PRIu64
				   " could not be read", w->path, row);
	*out = b->recs[row % PRF_CRIT_BLOCK_ROWS];
	return HLSIM_OK;
}

/* A found record: its row and copy. */
struct found {
	int ok;
	uint64_t row;
	struct hlsim_rec rec;
};

/* Is @a nested more deeply than @b (later start, then earlier end, then later row)? */
static int inner(const struct hlsim_rec *a, uint64_t arow, const struct hlsim_rec *b,
		 uint64_t brow)
{
	if (a->start_ps != b->start_ps)
		return a->start_ps > b->start_ps;
	if (a->end_ps != b->end_ps)
		return a->end_ps < b->end_ps;
	return arow > brow;
}

/* Query kinds for scan(). */
enum q_kind {
	Q_COVER, /* innermost record with start < t <= end, not @excl */
	Q_PREV, /* the record with the latest end <= t (then innermost), start < end, not @excl */
	Q_ISSUER, /* JOB or CB with @cs_seq/@job and start <= t <= end, innermost */
	Q_CS, /* the CS record of @cs_seq with start <= t <= end */
	Q_DONE, /* a non-CS record of @cs_seq, @lo <= end <= t: the latest end, then innermost */
};

struct query {
	enum q_kind kind;
	uint64_t t, excl, cs_seq, lo;
	uint32_t job;
};

static int matches(const struct query *q, const struct hlsim_rec *r, uint64_t row)
{
	if (row == q->excl)
		return 0;
	switch (q->kind) {
	case Q_COVER:
		return r->start_ps < q->t && q->t <= r->end_ps;
	case Q_PREV:
		return r->start_ps < r->end_ps && r->end_ps <= q->t;
	case Q_ISSUER:
		return (r->kind == HLSIM_REC_JOB || r->kind == HLSIM_REC_CB) &&
		       r->cs_seq == q->cs_seq && r->job == q->job && r->start_ps <= q->t &&
		       q->t <= r->end_ps;
	case Q_CS:
		return r->kind == HLSIM_REC_CS && r->cs_seq == q->cs_seq && r->start_ps <= q->t &&
		       q->t <= r->end_ps;
	case Q_DONE:
		return r->kind != HLSIM_REC_CS && r->cs_seq == q->cs_seq && r->end_ps <= q->t &&
		       r->end_ps >= q->lo && r->start_ps < r->end_ps;
	}
	return 0;
}

/* Is @r (row @row) better than the best so far @f for @q? */
static int better(const struct query *q, const struct hlsim_rec *r, uint64_t row,
		  const struct found *f)
{
	if (!f->ok)
		return 1;
	if ((q->kind == Q_PREV || q->kind == Q_DONE) && r->end_ps != f->rec.end_ps)
		return r->end_ps > f->rec.end_ps;
	return inner(r, row, &f->rec, f->row);
}

/* The first position in unit @u's rows of @b (sorted by end) whose end is >= @t. */
static size_t first_end_at(const struct cache_blk *b, uint32_t u, uint64_t t)
{
	size_t lo = b->ustart[u], hi = b->ustart[u + 1];

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (b->recs[b->by_unit[mid]].end_ps < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Offer the record at position @k of @b to @q's best @f. */
static void offer(const struct cache_blk *b, size_t k, const struct query *q, struct found *f)
{
	const struct hlsim_rec *r = &b->recs[b->by_unit[k]];
	uint64_t row = (uint64_t)b->block * PRF_CRIT_BLOCK_ROWS + b->by_unit[k];

	if (matches(q, r, row) && better(q, r, row, f)) {
		f->ok = 1;
		f->row = row;
		f->rec = *r;
	}
}

/*
 * Run @q over unit @u's rows of block @b. Queries for records ending by t walk back from
 * the last such end and stop below the best end found (and below @q->lo); queries for
 * records holding t look at the ends from t to t + the unit's longest record in the block.
 */
static void scan_block(const struct cache_blk *b, uint32_t u, const struct query *q,
		       struct found *f)
{
	size_t k, end = b->ustart[u + 1];

	if (q->kind == Q_PREV || q->kind == Q_DONE) {
		k = first_end_at(b, u, q->t == UINT64_MAX ? q->t : q->t + 1);
		while (k-- > b->ustart[u]) {
			const struct hlsim_rec *r = &b->recs[b->by_unit[k]];

			if (f->ok && r->end_ps < f->rec.end_ps)
				break;
			if (q->kind == Q_DONE && r->end_ps < q->lo)
				break;
			offer(b, k, q, f);
		}
		return;
	}
	for (k = first_end_at(b, u, q->t); k < end; k++) {
		const struct hlsim_rec *r = &b->recs[b->by_unit[k]];

		if (r->end_ps - q->t > b->udur[u])
			break; /* it, and every later end, starts after t */
		offer(b, k, q, f);
	}
}

/*
 * The entries of unit @u that can hold a record starting before @t (or at @t if
 * @inclusive): those before the first entry whose suffix-minimum start is later.
 */
static size_t ents_before(const struct prf_critpath *cp, uint32_t u, uint64_t t, int inclusive)
{
	const struct prf_crit_ent *ents = cp->ents[u];
	size_t lo = 0, hi = cp->nents[u];

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int after = inclusive ? ents[mid].smin_start_ps > t : ents[mid].smin_start_ps >= t;

		if (after)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/*
 * Run @q over the records of unit @u into @f (f->ok = 0 if none). Entries are visited
 * from the latest that can hold a match back to the first; the visit stops where the
 * prefix-maximum end shows no earlier entry can hold a match or a better one.
 */
static hlsim_err_t scan(struct walk *w, uint32_t u, const struct query *q, struct found *f)
{
	const struct prf_crit_ent *ents = w->cp->ents[u];
	int ends_before = q->kind == Q_PREV || q->kind == Q_DONE;
	size_t i;
	hlsim_err_t rc;

	f->ok = 0;
	i = ents_before(w->cp, u, q->t, q->kind == Q_ISSUER || q->kind == Q_CS);
	while (i-- > 0) {
		const struct prf_crit_ent *e = &ents[i];
		const struct cache_blk *b;

		if (q->kind == Q_DONE && e->pmax_end_ps < q->lo)
			break; /* no earlier entry ends late enough */
		if (ends_before) {
			/* a match ends by t; a better one ends after the best so far */
			if (f->ok && e->pmax_end_ps < f->rec.end_ps)
				break;
			if (f->ok && e->max_end_ps < f->rec.end_ps)
				continue;
		} else {
			/* a match covers t: it ends at or after t */
			if (e->pmax_end_ps < q->t)
				break;
			if (e->max_end_ps < q->t || e->min_start_ps > q->t)
				continue;
		}
		b = block_get(w, e->block, &rc);
		if (!b)
			return rc;
		scan_block(b, u, q, f);
	}
	return HLSIM_OK;
}

/* Read /releases once: the first wait_row of every block of PRF_CRIT_BLOCK_ROWS rows. */
static hlsim_err_t releases_index(struct walk *w)
{
	uint64_t first;
	size_t got, b;
	hlsim_err_t rc;

	w->rel_blocks = (size_t)((w->rel_n + PRF_CRIT_BLOCK_ROWS - 1) / PRF_CRIT_BLOCK_ROWS);
	if (!w->rel_blocks)
		return HLSIM_OK;
	w->rel_firsts = malloc(w->rel_blocks * sizeof(*w->rel_firsts));
	w->rel_buf[0] = malloc(PRF_CRIT_BLOCK_ROWS * sizeof(*w->rel_buf[0]));
	w->rel_buf[1] = malloc(PRF_CRIT_BLOCK_ROWS * sizeof(*w->rel_buf[1]));
	if (!w->rel_firsts || !w->rel_buf[0] || !w->rel_buf[1])
		return hlsim_error(HLSIM_E_NOMEM, "profiler: no memory for the critical path");
	for (b = 0; b < w->rel_blocks; b++) {
		first = (uint64_t)b * PRF_CRIT_BLOCK_ROWS;
		rc = hlsim_results_read_releases(w->res, first, w->rel_buf[0], 1, &got);
		if (rc)
			return hlsim_error_prefix(rc, "%s: critical path: ", w->path);
		if (got != 1)
			return hlsim_error(HLSIM_E_TRACE_FORMAT, "%s: /releases row %" PRIu64
					   " could not be read", w->path, first);
		w->rel_firsts[b] = w->rel_buf[0][0].wait_row;
	}
	return HLSIM_OK;
}

/* The release of the FENCE_WAIT at @row (bisection on wait_row); *@have 0 if none. */
static hlsim_err_t release_of(struct walk *w, uint64_t row, struct hlsim_release *out, int *have)
{
	size_t lo = 0, hi = w->rel_blocks, b, k, slot;
	const struct hlsim_release *rel;
	hlsim_err_t rc;

	*have = 0;
	while (lo < hi) { /* the last block whose first wait_row <= row */
		size_t mid = lo + (hi - lo) / 2;

		if (w->rel_firsts[mid] <= row)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return HLSIM_OK;
	b = lo - 1;
	if (w->rel_used[0] && w->rel_block[0] == b) {
		slot = 0;
	} else if (w->rel_used[1] && w->rel_block[1] == b) {
		slot = 1;
	} else {
		slot = w->rel_used[0] <= w->rel_used[1] ? 0 : 1;
		w->rel_used[slot] = 0;
		rc = hlsim_results_read_releases(w->res, (uint64_t)b * PRF_CRIT_BLOCK_ROWS,
						 w->rel_buf[slot], PRF_CRIT_BLOCK_ROWS,
						 &w->rel_cnt[slot]);
		if (rc)
			return hlsim_error_prefix(rc, "%s: critical path: ", w->path);
		w->rel_block[slot] = b;
	}
	w->rel_used[slot] = ++w->stamp;
	rel = w->rel_buf[slot];
	lo = 0;
	hi = w->rel_cnt[slot];
	while (lo < hi) {
		k = lo + (hi - lo) / 2;
		if (rel[k].wait_row < row)
			lo = k + 1;
		else
			hi = k;
	}
	if (lo < w->rel_cnt[slot] && rel[lo].wait_row == row) {
		*out = rel[lo];
		*have = 1;
	}
	return HLSIM_OK;
}

/* Per engine and lower CP, the CP units that issue its work (lower CP first). */
static hlsim_err_t build_issuers(struct walk *w)
{
	size_t n = w->cp->num_units, i, k = 0;
	long *eng, *nxt = NULL, *head_lo = NULL, *head_q = NULL;
	hlsim_err_t rc = HLSIM_OK;

	/* a queue issues for its engine and for its lower CP: at most 2 entries per unit */
	w->qman = calloc(n + 1, sizeof(*w->qman));
	w->issuers = calloc(2 * n + 1, sizeof(*w->issuers));
	eng = w->eng = calloc(n + 1, sizeof(*eng));
	if (!w->qman || !w->issuers || !eng) {
		rc = hlsim_error(HLSIM_E_NOMEM, "profiler: no memory for the critical path");
		goto out;
	}
	/* eng[c]: the engine of CP c; a queue also issues its lower CP's CBs */
	for (i = 0; i < n; i++) {
		eng[i] = -1;
		if (w->units[i].kind == HLSIM_UNIT_QUEUE || w->units[i].kind == HLSIM_UNIT_LOWER_CP)
			eng[i] = prf_engine_of_cp(w->units, n, i);
	}
	/*
	 * The CPs of each engine as two ascending lists (lower CPs, queues), linked through
	 * @nxt: one pass, where asking every unit for every engine was quadratic.
	 */
	nxt = malloc(n * sizeof(*nxt));
	head_lo = malloc(n * sizeof(*head_lo));
	head_q = malloc(n * sizeof(*head_q));
	if (n && (!nxt || !head_lo || !head_q)) {
		rc = hlsim_error(HLSIM_E_NOMEM, "profiler: no memory for the critical path");
		goto out;
	}
	for (i = 0; i < n; i++)
		head_lo[i] = head_q[i] = -1;
	for (i = n; i-- > 0;) {
		long *head;

		if (eng[i] < 0)
			continue;
		head = w->units[i].kind == HLSIM_UNIT_QUEUE ? &head_q[eng[i]] : &head_lo[eng[i]];
		nxt[i] = *head;
		*head = (long)i;
	}
	for (i = 0; i < n; i++) {
		long c;

		w->qman[i] = k;
		if (w->units[i].kind == HLSIM_UNIT_ENGINE) {
			for (c = head_lo[i]; c >= 0; c = nxt[c])
				w->issuers[k++] = (uint32_t)c;
			for (c = head_q[i]; c >= 0; c = nxt[c])
				w->issuers[k++] = (uint32_t)c;
		} else if (w->units[i].kind == HLSIM_UNIT_LOWER_CP && eng[i] >= 0) {
			for (c = head_q[eng[i]]; c >= 0; c = nxt[c])
				w->issuers[k++] = (uint32_t)c;
		}
	}
	w->qman[n] = k;
	for (i = 0; i < n; i++)
		if (w->units[i].device >= w->num_devices)
			w->num_devices = w->units[i].device + 1;
	w->dev_host = malloc((w->num_devices + 1) * sizeof(*w->dev_host));
	if (!w->dev_host) {
		rc = hlsim_error(HLSIM_E_NOMEM, "profiler: no memory for the critical path");
		goto out;
	}
	for (i = 0; i < w->num_devices; i++)
		w->dev_host[i] = -1;
	for (i = n; i-- > 0;)
		if (w->units[i].kind == HLSIM_UNIT_HOST)
			w->dev_host[w->units[i].device] = (long)i;
out:
	free(nxt);
	free(head_lo);
	free(head_q);
	return rc;
}

/* Keep @s among the longest steps (longest first; ties: later end first). */
static void keep_longest(struct prf_critpath *cp, const struct prf_crit_step *s)
{
	uint64_t len = s->end_ps - s->start_ps;
	size_t i;

	for (i = cp->num_longest; i > 0; i--) {
		const struct prf_crit_step *o = &cp->longest[i - 1];
		uint64_t ol = o->end_ps - o->start_ps;

		if (ol > len || (ol == len && o->end_ps >= s->end_ps))
			break;
	}
	if (i >= PRF_CRIT_LONGEST)
		return;
	memmove(&cp->longest[i + 1], &cp->longest[i],
		(PRF_CRIT_LONGEST - 1 - i) * sizeof(cp->longest[0]));
	cp->longest[i] = *s;
	if (cp->num_longest < PRF_CRIT_LONGEST)
		cp->num_longest++;
}

static void charge(struct prf_critpath *cp, const struct found *f, unsigned int dep,
		   uint64_t from_ps, uint64_t to_ps)
{
	struct prf_crit_step s;

	if (to_ps <= from_ps)
		return; /* nothing charged: not counted as a step */
	cp->records++;
	cp->unit_ps[f->rec.unit] += to_ps - from_ps;
	cp->dep_ps[dep] += to_ps - from_ps;
	s.row = f->row;
	s.unit = f->rec.unit;
	s.rec_kind = f->rec.kind;
	s.dep = (uint16_t)dep;
	s.start_ps = from_ps;
	s.end_ps = to_ps;
	keep_longest(cp, &s);
}

static int is_engine_work(const struct hlsim_rec *r)
{
	return r->kind == HLSIM_REC_DMA || r->kind == HLSIM_REC_LAUNCH ||
	       r->kind == HLSIM_REC_NIC;
}

/* The issuer of @f->rec among the issuing CPs of its unit; f_out->ok = 0 if none. */
static hlsim_err_t find_issuer(struct walk *w, const struct found *f, struct found *out)
{
	struct query q = { .kind = Q_ISSUER, .t = f->rec.start_ps, .excl = PRF_NO_ROW,
			   .cs_seq = f->rec.cs_seq, .job = f->rec.job };
	size_t i;
	hlsim_err_t rc;

	out->ok = 0;
	for (i = w->qman[f->rec.unit]; i < w->qman[f->rec.unit + 1]; i++) {
		rc = scan(w, w->issuers[i], &q, out);
		if (rc)
			return rc;
		if (out->ok)
			return HLSIM_OK;
	}
	return HLSIM_OK;
}

/*
 * Queue JOB @cur started at *@t with the queue idle before it: follow the host. Charge the
 * submission latency (the job's CS record on the device's host, from its start to *@t) and
 * the host's time since the latest earlier CS completion ("host_submit"), then move to the
 * record of that CS on the device that ended last before its completion ("cs_completion").
 * *@moved: 1 if the walk moved (*@cur, *@u, *@t, *@dep set), 0 if the host rule does not
 * apply, -1 if the path starts at *@t (the first CS was submitted then).
 */
static hlsim_err_t follow_host(struct walk *w, struct found *cur, uint32_t *u, uint64_t *t,
			       unsigned int *dep, int *moved)
{
	struct prf_critpath *cp = w->cp;
	uint32_t dev = w->units[*u].device, v;
	struct found cs, p, d, best;
	struct query q;
	hlsim_err_t rc;
	long h;

	*moved = 0;
	if (dev >= w->num_devices || w->dev_host[dev] < 0)
		return HLSIM_OK;
	h = w->dev_host[dev];
	/* the queue ran a record right up to t: plain queue order */
	q = (struct query){ .kind = Q_PREV, .t = *t, .excl = cur->row };
	rc = scan(w, *u, &q, &p);
	if (rc || (p.ok && p.rec.end_ps == *t))
		return rc;
	q = (struct query){ .kind = Q_CS, .t = *t, .excl = PRF_NO_ROW, .cs_seq = cur->rec.cs_seq };
	rc = scan(w, (uint32_t)h, &q, &cs);
	if (rc || !cs.ok)
		return rc;
	charge(cp, &cs, PRF_DEP_HOST_SUBMIT, cs.rec.start_ps, *t);
	*t = cs.rec.start_ps;
	q = (struct query){ .kind = Q_PREV, .t = *t, .excl = cs.row };
	rc = scan(w, (uint32_t)h, &q, &p);
	if (rc)
		return rc;
	if (!p.ok) {
		*moved = -1;
		return HLSIM_OK;
	}
	charge(cp, &p, PRF_DEP_HOST_SUBMIT, p.rec.end_ps, *t);
	*t = p.rec.end_ps;
	best.ok = 0;
	q = (struct query){ .kind = Q_DONE, .t = *t, .excl = PRF_NO_ROW, .cs_seq = p.rec.cs_seq,
			    .lo = p.rec.start_ps };
	for (v = 0; v < cp->num_units; v++) {
		if (cp->is_host[v] || w->units[v].device != dev)
			continue;
		rc = scan(w, v, &q, &d);
		if (rc)
			return rc;
		if (d.ok && better(&q, &d.rec, d.row, &best))
			best = d;
	}
	if (!best.ok) {
		*moved = -1;
		return HLSIM_OK;
	}
	cp->dep_ps[PRF_DEP_GAP] += *t - best.rec.end_ps;
	*t = best.rec.end_ps;
	*cur = best;
	*u = best.rec.unit;
	*dep = PRF_DEP_CS_COMPLETION;
	*moved = 1;
	return HLSIM_OK;
}

static hlsim_err_t walk_run(struct walk *w)
{
	struct prf_critpath *cp = w->cp;
	uint64_t max_steps = 4 * w->num_rows + 64, steps = 0, t;
	unsigned int dep = PRF_DEP_END;
	struct found cur, f;
	struct query q;
	uint32_t u;
	int pinned = 1;
	hlsim_err_t rc;

	cur.ok = 1;
	cur.row = cp->last_row;
	rc = read_row(w, cur.row, &cur.rec);
	if (rc)
		return rc;
	u = cur.rec.unit;
	t = cur.rec.end_ps;
	cp->end_ps = t;
	for (;;) {
		if (++steps > max_steps) {
			snprintf(cp->note, sizeof(cp->note),
				 "the walk stopped after %" PRIu64 " steps without reaching the "
				 "start (records of zero length forming a loop)", max_steps);
			break;
		}
		if (!pinned) {
			q = (struct query){ .kind = Q_COVER, .t = t, .excl = PRF_NO_ROW };
			rc = scan(w, u, &q, &cur);
			if (rc)
				return rc;
			if (!cur.ok) {
				q = (struct query){ .kind = Q_PREV, .t = t, .excl = PRF_NO_ROW };
				rc = scan(w, u, &q, &f);
				if (rc)
					return rc;
				if (!f.ok)
					break;
				cp->dep_ps[PRF_DEP_GAP] += t - f.rec.end_ps;
				t = f.rec.end_ps;
				cur = f;
				dep = PRF_DEP_QUEUE_ORDER;
			}
		}
		pinned = 0;
		/* a record nested in this one that ends before t (a wait inside a job) */
		q = (struct query){ .kind = Q_PREV, .t = t, .excl = cur.row };
		rc = scan(w, u, &q, &f);
		if (rc)
			return rc;
		if (f.ok && f.rec.end_ps > cur.rec.start_ps && f.rec.start_ps >= cur.rec.start_ps &&
		    f.rec.end_ps <= t &&
		    (f.rec.start_ps > cur.rec.start_ps || f.rec.end_ps < cur.rec.end_ps)) {
			charge(cp, &cur, dep, f.rec.end_ps, t);
			t = f.rec.end_ps;
			cur = f;
			pinned = 1;
			dep = PRF_DEP_QUEUE_ORDER;
			continue;
		}
		if (cur.rec.kind == HLSIM_REC_FENCE_WAIT && cp->have_releases) {
			struct hlsim_release rel;
			int have;
			uint64_t s;

			rc = release_of(w, cur.row, &rel, &have);
			if (rc)
				return rc;
			if (have) {
				s = rel.signal_ps < cur.rec.start_ps ? cur.rec.start_ps
								      : rel.signal_ps;
				if (s > t)
					s = t;
				charge(cp, &cur, dep, s, t);
				t = s;
				dep = PRF_DEP_FENCE_RELEASE;
				if (rel.producer_row == PRF_NO_ROW) {
					if (rel.producer_unit >= cp->num_units)
						return hlsim_error(HLSIM_E_TRACE_FORMAT,
								   "%s: release of row %" PRIu64
								   ": producer_unit %" PRIu32
								   " is not a unit", w->path,
								   cur.row, rel.producer_unit);
					u = rel.producer_unit;
					if (cp->is_host[u])
						break;
					continue;
				}
				f.ok = 1;
				f.row = rel.producer_row;
				rc = read_row(w, f.row, &f.rec);
				if (rc)
					return rc;
				if (f.rec.unit != rel.producer_unit)
					return hlsim_error(HLSIM_E_TRACE_FORMAT,
							   "%s: release of row %" PRIu64
							   ": producer_row %" PRIu64
							   " belongs to unit %" PRIu32
							   ", not producer_unit %" PRIu32,
							   w->path, cur.row, f.row, f.rec.unit,
							   rel.producer_unit);
				if (f.rec.end_ps < t) {
					cp->dep_ps[PRF_DEP_GAP] += t - f.rec.end_ps;
					t = f.rec.end_ps;
				}
				if (f.rec.start_ps > t) {
					/* started after the signal: search its unit */
					u = f.rec.unit;
					if (cp->is_host[u])
						break;
					continue;
				}
				cur = f;
				u = f.rec.unit;
				if (cp->is_host[u])
					break;
				pinned = 1;
				continue;
			}
		}
		if (cur.rec.kind == HLSIM_REC_BARRIER_WAIT && w->eng[u] >= 0) {
			q = (struct query){ .kind = Q_PREV, .t = t, .excl = PRF_NO_ROW };
			rc = scan(w, (uint32_t)w->eng[u], &q, &f);
			if (rc)
				return rc;
			if (f.ok && f.rec.end_ps > cur.rec.start_ps) {
				charge(cp, &cur, dep, f.rec.end_ps, t);
				t = f.rec.end_ps;
				cur = f;
				u = f.rec.unit;
				pinned = 1;
				dep = PRF_DEP_ENGINE_DRAIN;
				continue;
			}
		}
		/* charge the whole record from t back to its start */
		charge(cp, &cur, dep, cur.rec.start_ps, t);
		t = cur.rec.start_ps;
		dep = PRF_DEP_QUEUE_ORDER;
		if (cur.rec.kind == HLSIM_REC_JOB && w->units[u].kind == HLSIM_UNIT_QUEUE) {
			int moved;

			rc = follow_host(w, &cur, &u, &t, &dep, &moved);
			if (rc)
				return rc;
			if (moved < 0)
				break;
			if (moved) {
				pinned = 1;
				continue;
			}
		}
		if (is_engine_work(&cur.rec) || cur.rec.kind == HLSIM_REC_CB) {
			struct found busy;

			q = (struct query){ .kind = Q_COVER, .t = t, .excl = cur.row };
			rc = scan(w, u, &q, &busy);
			if (rc)
				return rc;
			if (!busy.ok) {
				q = (struct query){ .kind = Q_PREV, .t = t, .excl = cur.row };
				rc = scan(w, u, &q, &busy);
				if (rc)
					return rc;
				if (busy.ok && busy.rec.end_ps != t)
					busy.ok = 0;
			}
			if (busy.ok) {
				cur = busy;
				pinned = 1;
				continue;
			}
			rc = find_issuer(w, &cur, &f);
			if (rc)
				return rc;
			if (f.ok) {
				cur = f;
				u = f.rec.unit;
				pinned = 1;
				dep = PRF_DEP_ENGINE_ISSUE;
				continue;
			}
		}
	}
	cp->start_ps = t;
	cp->total_ps = cp->end_ps - t;
	return HLSIM_OK;
}

hlsim_err_t prf_critpath_walk(struct prf_critpath *cp, hlsim_results_t *res, const char *path,
			      const struct hlsim_unit *units)
{
	struct walk w;
	hlsim_err_t rc;
	size_t i;

	memset(&w, 0, sizeof(w));
	w.cp = cp;
	w.res = res;
	w.path = path;
	w.units = units;
	w.num_rows = hlsim_results_num_records(res);
	w.rel_n = hlsim_results_num_releases(res);
	cp->have_releases = w.rel_n > 0;
	if (!cp->have_last) {
		snprintf(cp->note, sizeof(cp->note), "no timeline record outside the host units");
		return HLSIM_OK;
	}
	for (i = 0; i < cp->num_units; i++) { /* suffix minimum of the starts */
		size_t k = cp->nents[i];
		uint64_t m = UINT64_MAX;

		while (k-- > 0) {
			if (cp->ents[i][k].min_start_ps < m)
				m = cp->ents[i][k].min_start_ps;
			cp->ents[i][k].smin_start_ps = m;
		}
	}
	rc = build_issuers(&w);
	if (!rc)
		rc = releases_index(&w);
	if (!rc)
		rc = walk_run(&w);
	if (!rc)
		cp->computed = 1;
	cp->index_bytes += PRF_CRIT_CACHE_BLOCKS * PRF_CRIT_BLOCK_ROWS * sizeof(struct hlsim_rec);
	if (w.rel_blocks)
		cp->index_bytes += w.rel_blocks * sizeof(uint64_t) +
				   2 * PRF_CRIT_BLOCK_ROWS * sizeof(struct hlsim_release);
	for (i = 0; i < PRF_CRIT_CACHE_BLOCKS; i++) {
		free(w.cache[i].recs);
		free(w.cache[i].by_unit);
		free(w.cache[i].tmp);
		free(w.cache[i].ustart);
		free(w.cache[i].udur);
	}
	free(w.qman);
	free(w.issuers);
	free(w.eng);
	free(w.dev_host);
	free(w.rel_firsts);
	free(w.rel_buf[0]);
	free(w.rel_buf[1]);
	return rc;
}

size_t prf_critpath_classes(const struct prf_critpath *cp, struct prf_crit_class *out,
			    size_t max)
{
	size_t i, k, n = 0;

	for (i = 0; cp->unit_ps && i < cp->num_units; i++) {
		if (!cp->unit_ps[i])
			continue;
		for (k = 0; k < n && strcmp(out[k].name, cp->cls[i]); k++)
			;
		if (k == n) {
			if (n == max)
				continue;
			memcpy(out[n].name, cp->cls[i], sizeof(out[n].name));
			out[n].ps = 0;
			n++;
		}
		out[k].ps += cp->unit_ps[i];
	}
	return n;
}
