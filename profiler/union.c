/*
 * profiler/union.c - the length of a union of intervals, streamed in bounded memory.
 *
 * Used for every "time something was in progress" number of the report: an engine with
 * two overlapping transfers is busy once, not twice. See struct prf_union in prf.h for
 * the exactness rule when intervals arrive far out of order.
 */
#include <stdlib.h>
#include <string.h>

#include "profiler/prf.h"

void prf_union_init(struct prf_union *u)
{
	memset(u, 0, sizeof(*u));
}

void prf_union_free(struct prf_union *u)
{
	free(u->pend);
	prf_union_init(u);
}

uint64_t prf_union_total_ps(const struct prf_union *u)
{
	uint64_t total = u->counted_ps;
	uint32_t i;

	for (i = 0; i < u->n; i++)
		total += u->pend[i].end_ps - u->pend[i].start_ps;
	return total;
}

/* Count the older half of the pending spans and forget them. */
static void count_oldest_half(struct prf_union *u)
{
	uint32_t half = u->n / 2, i;

	for (i = 0; i < half; i++)
		u->counted_ps += u->pend[i].end_ps - u->pend[i].start_ps;
	u->last_counted = u->pend[half - 1];
	u->have_counted = 1;
	memmove(u->pend, u->pend + half, (size_t)(u->n - half) * sizeof(u->pend[0]));
	u->n -= half;
}

/* Make room for one more pending span: grow up to the limit, then count the oldest. */
static hlsim_err_t make_room(struct prf_union *u)
{
	struct prf_span *p;
	uint32_t cap;

	if (u->n < u->cap)
		return HLSIM_OK;
	if (u->cap >= PRF_UNION_MAX_PENDING) {
		count_oldest_half(u);
		return HLSIM_OK;
	}
	cap = u->cap ? u->cap * 2 : 8;
	if (cap > PRF_UNION_MAX_PENDING)
		cap = PRF_UNION_MAX_PENDING;
	p = realloc(u->pend, (size_t)cap * sizeof(*p));
	if (!p)
		return hlsim_error(HLSIM_E_NOMEM, "profiler: no memory for %u interval spans", cap);
	u->pend = p;
	u->cap = cap;
	return HLSIM_OK;
}

hlsim_err_t prf_union_add(struct prf_union *u, uint64_t start_ps, uint64_t end_ps)
{
	uint32_t lo, hi, first, last;
	hlsim_err_t rc;

	if (end_ps <= start_ps)
		return HLSIM_OK;
	rc = make_room(u);
	if (rc)
		return rc;
	if (u->have_counted && start_ps < u->last_counted.end_ps) {
		/*
		 * The part before the end of the last forgotten span was either inside that
		 * span (exact: already counted) or reaches further back, where we no longer
		 * know the gaps (inexact: assumed counted).
		 */
		if (start_ps < u->last_counted.start_ps)
			u->inexact_count++;
		start_ps = u->last_counted.end_ps;
		if (end_ps <= start_ps)
			return HLSIM_OK;
	}

	/* first: the first pending span that ends at or after start_ps (touching merges) */
	lo = 0;
	hi = u->n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (u->pend[mid].end_ps < start_ps)
			lo = mid + 1;
		else
			hi = mid;
	}
	first = lo;
	/* last: one past the last pending span that starts at or before end_ps */
	last = first;
	while (last < u->n && u->pend[last].start_ps <= end_ps) {
		if (u->pend[last].start_ps < start_ps)
			start_ps = u->pend[last].start_ps;
		if (u->pend[last].end_ps > end_ps)
			end_ps = u->pend[last].end_ps;
		last++;
	}

	if (last == first) {
		memmove(u->pend + first + 1, u->pend + first,
			(size_t)(u->n - first) * sizeof(u->pend[0]));
		u->n++;
	} else if (last > first + 1) {
		memmove(u->pend + first + 1, u->pend + last,
			(size_t)(u->n - last) * sizeof(u->pend[0]));
		u->n -= last - first - 1;
	}
	u->pend[first].start_ps = start_ps;
	u->pend[first].end_ps = end_ps;
	return HLSIM_OK;
}
