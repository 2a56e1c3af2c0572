/*
 * profiler/stalls.c - stall attribution: the fence-blocked time of every queue, attributed
 * to the producer unit (and SOB) whose message released each FENCE_WAIT.
 *
 * The /releases rows are joined with the timeline as both stream past: a release row names
 * the timeline row of its FENCE_WAIT, and the simulator appends the release right after
 * that record, so both come in the same order and one cursor suffices. The table holds
 * one row per distinct (waiting queue, producer, SOB) triple, found through an
 * open-addressing hash; its size does not grow with the number of waits.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profiler/prf_deps.h"

static uint64_t triple_hash(uint32_t q, uint32_t p, uint32_t sob)
{
	uint64_t h = ((uint64_t)q << 32 | p) * 0x9e3779b97f4a7c15ull;

	h ^= (uint64_t)sob * 0xc2b2ae3d27d4eb4full;
	return h ^ (h >> 29);
}

/* Double the hash (at least 64 slots) and re-insert every row. */
static hlsim_err_t rehash(struct prf_stalls *st)
{
	size_t ns = st->nslots ? st->nslots * 2 : 64, i;
	uint32_t *s = calloc(ns, sizeof(*s));

	if (!s)
		return hlsim_error(HLSIM_E_NOMEM, "profiler: no memory for the stall table");
	for (i = 0; i < st->n; i++) {
		const struct prf_stall_row *r = &st->rows[i];
		size_t k = (size_t)triple_hash(r->queue, r->producer, r->sob) & (ns - 1);

		while (s[k])
			k = (k + 1) & (ns - 1);
		s[k] = (uint32_t)(i + 1);
	}
	free(st->slots);
	st->slots = s;
	st->nslots = ns;
	return HLSIM_OK;
}

/* The row of (@q, @p, @sob), added if new; NULL if the table is full (*@rc stays OK). */
static struct prf_stall_row *row_of(struct prf_stalls *st, uint32_t q, uint32_t p, uint32_t sob,
				    hlsim_err_t *rc)
{
	struct prf_stall_row *r;
	size_t k;

	*rc = HLSIM_OK;
	if (!st->nslots || (st->n + 1) * 2 > st->nslots) {
		*rc = rehash(st);
		if (*rc)
			return NULL;
	}
	k = (size_t)triple_hash(q, p, sob) & (st->nslots - 1);
	while (st->slots[k]) {
		r = &st->rows[st->slots[k] - 1];
		if (r->queue == q && r->producer == p && r->sob == sob)
			return r;
		k = (k + 1) & (st->nslots - 1);
	}
	if (st->n >= PRF_STALL_ROWS_MAX)
		return NULL;
	if (st->n == st->cap) {
		size_t cap = st->cap ? st->cap * 2 : 64;
		struct prf_stall_row *nr = realloc(st->rows, cap * sizeof(*nr));

		if (!nr) {
			*rc = hlsim_error(HLSIM_E_NOMEM, "profiler: no memory for the stall table");
			return NULL;
		}
		st->rows = nr;
		st->cap = cap;
	}
	r = &st->rows[st->n];
	memset(r, 0, sizeof(*r));
	r->queue = q;
	r->producer = p;
	r->sob = sob;
	st->slots[k] = (uint32_t)(++st->n);
	return r;
}

/* The length of [@s, @e) within [@ws, @we); -1 (as UINT64_MAX) if it does not overlap. */
static uint64_t clipped(uint64_t s, uint64_t e, uint64_t ws, uint64_t we)
{
	if (s == e)
		return s >= ws && s < we ? 0 : UINT64_MAX;
	if (e <= ws || s >= we)
		return UINT64_MAX;
	return (e < we ? e : we) - (s > ws ? s : ws);
}

hlsim_err_t prf_stalls_add(struct prf_stalls *st, uint64_t first_row, const struct hlsim_rec *recs,
			   size_t n, const struct hlsim_release *rels, size_t nrel,
			   uint64_t rel_first, size_t num_units, uint64_t ws, uint64_t we)
{
	size_t i, k = 0;
	hlsim_err_t rc;

	for (k = 0; k < nrel; k++) {
		const struct hlsim_release *rl = &rels[k];
		uint64_t at = rel_first + k;

		if ((st->next_release || k) && rl->wait_row <= st->last_wait_row)
			return hlsim_error(HLSIM_E_TRACE_FORMAT,
					   "/releases row %" PRIu64 ": wait_row %" PRIu64
					   " does not follow the previous release's %" PRIu64
					   " (releases must be in timeline order, one per wait)",
					   at, rl->wait_row, st->last_wait_row);
		if (rl->wait_row < first_row || rl->wait_row - first_row >= n)
			return hlsim_error(HLSIM_E_TRACE_FORMAT,
					   "/releases row %" PRIu64 ": wait_row %" PRIu64
					   " is not a timeline row (%" PRIu64 " rows read)",
					   at, rl->wait_row, first_row + n);
		if (recs[rl->wait_row - first_row].kind != HLSIM_REC_FENCE_WAIT)
			return hlsim_error(HLSIM_E_TRACE_FORMAT,
					   "/releases row %" PRIu64 ": timeline row %" PRIu64
					   " is a %u record, expected a FENCE_WAIT (kind 2)",
					   at, rl->wait_row, recs[rl->wait_row - first_row].kind);
		if (rl->producer_unit >= num_units)
			return hlsim_error(HLSIM_E_TRACE_FORMAT,
					   "/releases row %" PRIu64 ": producer_unit %" PRIu32
					   " is not a unit (the file has %zu)",
					   at, rl->producer_unit, num_units);
		st->last_wait_row = rl->wait_row;
		if (!k)
			st->have_releases = 1;
	}
	for (i = 0, k = 0; i < n; i++) {
		const struct hlsim_rec *r = &recs[i];
		struct prf_stall_row *row;
		uint64_t len;

		if (r->kind != HLSIM_REC_FENCE_WAIT)
			continue;
		len = clipped(r->start_ps, r->end_ps, ws, we);
		while (k < nrel && rels[k].wait_row < first_row + i)
			k++;
		if (len == UINT64_MAX)
			continue;
		st->waits++;
		st->blocked_ps += len;
		if (k >= nrel || rels[k].wait_row != first_row + i) {
			st->unattributed_waits++;
			st->unattributed_ps += len;
			continue;
		}
		row = row_of(st, r->unit, rels[k].producer_unit, rels[k].sob, &rc);
		if (rc)
			return rc;
		if (!row) {
			st->dropped_waits++;
			st->dropped_ps += len;
			continue;
		}
		row->waits++;
		row->blocked_ps += len;
	}
	st->next_release += nrel;
	return HLSIM_OK;
}

static int row_cmp(const void *pa, const void *pb)
{
	const struct prf_stall_row *a = *(const struct prf_stall_row *const *)pa;
	const struct prf_stall_row *b = *(const struct prf_stall_row *const *)pb;

	if (a->queue != b->queue)
		return a->queue < b->queue ? -1 : 1;
	if (a->blocked_ps != b->blocked_ps)
		return a->blocked_ps > b->blocked_ps ? -1 : 1;
	if (a->producer != b->producer)
		return a->producer < b->producer ? -1 : 1;
	if (a->sob != b->sob)
		return a->sob < b->sob ? -1 : 1;
	return 0;
}

const struct prf_stall_row **prf_stalls_sorted(const struct prf_stalls *st, hlsim_err_t *rc)
{
	const struct prf_stall_row **v;
	size_t i;

	*rc = HLSIM_OK;
	if (!st->n)
		return NULL;
	v = malloc(st->n * sizeof(*v));
	if (!v) {
		*rc = hlsim_error(HLSIM_E_NOMEM, "profiler: no memory to sort the stall table");
		return NULL;
	}
	for (i = 0; i < st->n; i++)
		v[i] = &st->rows[i];
	qsort(v, st->n, sizeof(*v), row_cmp);
	return v;
}

static int pair_key_cmp(const void *pa, const void *pb)
{
	const struct prf_stall_pair *a = pa, *b = pb;

	if (a->queue != b->queue)
		return a->queue < b->queue ? -1 : 1;
	if (a->producer != b->producer)
		return a->producer < b->producer ? -1 : 1;
	return 0;
}

static int pair_rank_cmp(const void *pa, const void *pb)
{
	const struct prf_stall_pair *a = pa, *b = pb;

	if (a->blocked_ps != b->blocked_ps)
		return a->blocked_ps > b->blocked_ps ? -1 : 1;
	return pair_key_cmp(pa, pb);
}

size_t prf_stalls_top(const struct prf_stalls *st, struct prf_stall_pair *out, size_t max,
		      hlsim_err_t *rc)
{
	struct prf_stall_pair *v;
	size_t i, m = 0;

	*rc = HLSIM_OK;
	if (!st->n || !max)
		return 0;
	v = malloc(st->n * sizeof(*v));
	if (!v) {
		*rc = hlsim_error(HLSIM_E_NOMEM, "profiler: no memory to rank the stall table");
		return 0;
	}
	for (i = 0; i < st->n; i++) {
		v[i].queue = st->rows[i].queue;
		v[i].producer = st->rows[i].producer;
		v[i].waits = st->rows[i].waits;
		v[i].blocked_ps = st->rows[i].blocked_ps;
	}
	qsort(v, st->n, sizeof(*v), pair_key_cmp);
	for (i = 0; i < st->n; i++) { /* sum the SOBs of one pair */
		if (m && !pair_key_cmp(&v[m - 1], &v[i])) {
			v[m - 1].waits += v[i].waits;
			v[m - 1].blocked_ps += v[i].blocked_ps;
		} else {
			v[m++] = v[i];
		}
	}
	qsort(v, m, sizeof(*v), pair_rank_cmp);
	if (m > max)
		m = max;
	memcpy(out, v, m * sizeof(*v));
	free(v);
	return m;
}

uint64_t prf_stalls_queue_ps(const struct prf_stalls *st, uint32_t queue)
{
	uint64_t ps = 0;
	size_t i;

	for (i = 0; i < st->n; i++)
		if (st->rows[i].queue == queue)
			ps += st->rows[i].blocked_ps;
	return ps;
}

void prf_stalls_free(struct prf_stalls *st)
{
	free(st->rows);
	free(st->slots);
	memset(st, 0, sizeof(*st));
}

char *prf_sob_name(char *buf, size_t size, uint32_t sob)
{
	if (sob == PRF_SOB_DIRECT)
		snprintf(buf, size, "direct");
	else
		snprintf(buf, size, "b%" PRIu32 ".%" PRIu32, sob >> 16, sob & 0xffffu);
	return buf;
}
