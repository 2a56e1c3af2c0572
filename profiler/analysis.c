/*
 * profiler/analysis.c - per-unit and per-memory-path statistics of one run window.
 *
 * Fed with the timeline records in file order (prf_report_add), in windows of rows, so
 * memory depends on the number of units, not of records. Every time is the length of a
 * union of record intervals clipped to the window (struct prf_union): overlapping
 * transfers on one engine count once. The simulator's own counters cover the whole run;
 * when the window is the whole run they are compared with the records and each
 * disagreement becomes a struct prf_check that the report lists.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "profiler/prf.h"

const char *prf_rec_kind_name(unsigned int kind)
{
	switch ((enum hlsim_rec_kind)kind) {
	case HLSIM_REC_JOB:
		return "JOB";
	case HLSIM_REC_CB:
		return "CB";
	case HLSIM_REC_FENCE_WAIT:
		return "FENCE_WAIT";
	case HLSIM_REC_DMA:
		return "DMA";
	case HLSIM_REC_BARRIER_WAIT:
		return "BARRIER_WAIT";
	case HLSIM_REC_CS:
		return "CS";
	case HLSIM_REC_WAIT_TIME:
		return "WAIT_TIME";
	case HLSIM_REC_LAUNCH:
		return "LAUNCH";
	case HLSIM_REC_NIC:
		return "NIC";
	case HLSIM_REC_KIND_COUNT_:
		break;
	}
	return "?";
}

const char *prf_unit_kind_name(unsigned int kind)
{
	switch ((enum hlsim_unit_kind)kind) {
	case HLSIM_UNIT_QUEUE:
		return "queue";
	case HLSIM_UNIT_LOWER_CP:
		return "lower_cp";
	case HLSIM_UNIT_ENGINE:
		return "engine";
	case HLSIM_UNIT_HOST:
		return "host";
	}
	return "?";
}

const char *prf_check_kind_name(unsigned int kind)
{
	switch ((enum prf_check_kind)kind) {
	case PRF_CHECK_BUSY:
		return "busy_ps";
	case PRF_CHECK_FENCE_WAIT:
		return "fence_wait_ps";
	case PRF_CHECK_BARRIER_WAIT:
		return "barrier_wait_ps";
	case PRF_CHECK_BYTES:
		return "bytes";
	case PRF_CHECK_JOBS:
		return "jobs";
	case PRF_CHECK_COUNT_:
		break;
	}
	return "?";
}

char *prf_fmt_ps_us(char *buf, size_t size, uint64_t ps)
{
	snprintf(buf, size, "%" PRIu64 ".%06" PRIu64, ps / 1000000u, ps % 1000000u);
	return buf;
}

char *prf_fmt_fixed(char *buf, size_t size, double v, int decimals)
{
	static const uint64_t pow10[] = { 1,	   10,	    100,      1000,	 10000,
					  100000, 1000000, 10000000, 100000000, 1000000000 };
	uint64_t scaled, scale;

	if (decimals < 0)
		decimals = 0;
	if (decimals > 9)
		decimals = 9;
	scale = pow10[decimals];
	if (!isfinite(v) || v < 0) {
		snprintf(buf, size, "-");
		return buf;
	}
	if (v * (double)scale >= 9.0e18) {
		/* too large for the integer path; no decimal point, so no locale effect */
		snprintf(buf, size, "%.0f", v);
		return buf;
	}
	scaled = (uint64_t)llround(v * (double)scale);
	if (decimals == 0)
		snprintf(buf, size, "%" PRIu64, scaled);
	else
		snprintf(buf, size, "%" PRIu64 ".%0*" PRIu64, scaled / scale, decimals,
			 scaled % scale);
	return buf;
}

uint64_t prf_report_window_ps(const struct prf_report *rep)
{
	return rep->window_end_ps - rep->window_start_ps;
}

/* Copy a fixed-size text field, making sure it ends with a NUL. */
static void copy_text(char *dst, const char *src, size_t size)
{
	memcpy(dst, src, size);
	dst[size - 1] = '\0';
}

hlsim_err_t prf_report_init(struct prf_report *rep, const struct hlsim_run_info *run,
			    const struct hlsim_unit *units,
			    const struct hlsim_counters *const *counters, size_t num_units,
			    uint64_t window_start_ps, uint64_t window_end_ps)
{
	hlsim_err_t rc;
	size_t i;
	int s, d;

	memset(rep, 0, sizeof(*rep));
	rep->run = *run;
	copy_text(rep->run.hlsim_version, run->hlsim_version, sizeof(rep->run.hlsim_version));
	copy_text(rep->run.trace_path, run->trace_path, sizeof(rep->run.trace_path));
	copy_text(rep->run.config_name, run->config_name, sizeof(rep->run.config_name));

	if (window_start_ps == 0 && window_end_ps == 0) {
		rep->whole_run = 1;
		rep->window_start_ps = 0;
		rep->window_end_ps = run->simulated_time_ps;
	} else {
		if (window_end_ps <= window_start_ps)
			return hlsim_error(HLSIM_E_INVAL,
					   "report window: end %" PRIu64 " ps must be after start %"
					   PRIu64 " ps",
					   window_end_ps, window_start_ps);
		if (window_end_ps > run->simulated_time_ps)
			return hlsim_error(HLSIM_E_INVAL,
					   "report window: end %" PRIu64
					   " ps is after the end of the run (%" PRIu64 " ps)",
					   window_end_ps, run->simulated_time_ps);
		rep->window_start_ps = window_start_ps;
		rep->window_end_ps = window_end_ps;
	}

	for (i = 0; i < num_units; i++) {
		if (units[i].id != i)
			return hlsim_error(HLSIM_E_TRACE_FORMAT,
					   "units table row %zu has id %" PRIu32 ", expected %zu",
					   i, units[i].id, i);
		if (units[i].kind > HLSIM_UNIT_HOST)
			return hlsim_error(HLSIM_E_TRACE_FORMAT,
					   "units table row %zu has kind %u, expected 0..%d", i,
					   units[i].kind, HLSIM_UNIT_HOST);
		if (counters && counters[i] && counters[i]->unit != i)
			return hlsim_error(HLSIM_E_TRACE_FORMAT,
					   "counters of unit %zu name unit %" PRIu32, i,
					   counters[i]->unit);
	}

	if (num_units) {
		rep->units = calloc(num_units, sizeof(rep->units[0]));
		if (!rep->units)
			return hlsim_error(HLSIM_E_NOMEM, "profiler: no memory for %zu units",
					   num_units);
	}
	rep->num_units = num_units;
	for (i = 0; i < num_units; i++) {
		struct prf_unit_stats *st = &rep->units[i];

		st->unit = units[i];
		copy_text(st->unit.name, units[i].name, sizeof(st->unit.name));
		copy_text(st->unit.engine_class, units[i].engine_class,
			  sizeof(st->unit.engine_class));
		if (counters && counters[i]) {
			st->have_counters = 1;
			st->counters = *counters[i];
		}
		prf_union_init(&st->u_all);
		prf_union_init(&st->u_wait);
		prf_union_init(&st->u_fence);
		prf_union_init(&st->u_barrier);
		prf_union_init(&st->u_timed);
	}
	for (s = 0; s < MDL_MEM_KIND_COUNT_; s++) {
		for (d = 0; d < MDL_MEM_KIND_COUNT_; d++) {
			rep->paths[s][d].src = (uint8_t)s;
			rep->paths[s][d].dst = (uint8_t)d;
			prf_union_init(&rep->paths[s][d].u);
		}
	}
	rc = prf_timeline_init(&rep->timeline, num_units, prf_report_window_ps(rep));
	if (rc)
		goto err_free;
	return HLSIM_OK;

err_free:
	prf_report_free(rep);
	return rc;
}

void prf_report_free(struct prf_report *rep)
{
	size_t i;
	int s, d;

	prf_held_free(&rep->held);
	for (i = 0; i < rep->num_units; i++) {
		prf_union_free(&rep->units[i].u_all);
		prf_union_free(&rep->units[i].u_wait);
		prf_union_free(&rep->units[i].u_fence);
		prf_union_free(&rep->units[i].u_barrier);
		prf_union_free(&rep->units[i].u_timed);
	}
	for (s = 0; s < MDL_MEM_KIND_COUNT_; s++)
		for (d = 0; d < MDL_MEM_KIND_COUNT_; d++)
			prf_union_free(&rep->paths[s][d].u);
	prf_timeline_free(&rep->timeline);
	prf_launches_free(&rep->launches);
	prf_stalls_free(&rep->stalls);
	prf_critpath_free(&rep->crit);
	free(rep->units);
	free(rep->checks);
	free(rep->order);
	rep->order = NULL;
	rep->order_cap = 0;
	rep->units = NULL;
	rep->checks = NULL;
	rep->num_units = 0;
	rep->num_checks = 0;
}

/*
 * A CP blocked on a fence or on its engine's barrier is not busy. A WAIT packet's timed
 * wait is the CP executing a packet, so it stays busy (as the simulator counts it); its
 * time is reported on its own as well.
 */
static int is_blocked_kind(unsigned int kind)
{
	return kind == HLSIM_REC_FENCE_WAIT || kind == HLSIM_REC_BARRIER_WAIT;
}

/* Account one record already validated and clipped to [start_ps, end_ps). */
static hlsim_err_t account(struct prf_report *rep, const struct hlsim_rec *r, uint64_t start_ps,
			   uint64_t end_ps)
{
	struct prf_unit_stats *st = &rep->units[r->unit];
	struct prf_box box;
	hlsim_err_t rc;

	rep->records_in_window++;
	st->records++;
	st->kind_records[r->kind]++;
	if (r->kind == HLSIM_REC_JOB || r->kind == HLSIM_REC_CB) {
		st->jobs++;
		st->cb_bytes += r->bytes;
	} else if (r->kind == HLSIM_REC_DMA) {
		struct prf_path_stats *p = &rep->paths[r->aux >> 8][r->aux & 0xff];

		st->transfers++;
		st->dma_bytes += r->bytes;
		p->bytes += r->bytes;
		p->transfers++;
		rc = prf_union_add(&p->u, start_ps, end_ps);
		if (rc)
			return rc;
	} else if (r->kind == HLSIM_REC_LAUNCH || r->kind == HLSIM_REC_NIC) {
		st->transfers++;
		st->dma_bytes += r->bytes;
	}
	rc = prf_union_add(&st->u_all, start_ps, end_ps);
	if (rc)
		return rc;
	if (is_blocked_kind(r->kind)) {
		rc = prf_union_add(&st->u_wait, start_ps, end_ps);
		if (rc)
			return rc;
	}
	if (r->kind == HLSIM_REC_FENCE_WAIT)
		rc = prf_union_add(&st->u_fence, start_ps, end_ps);
	else if (r->kind == HLSIM_REC_BARRIER_WAIT)
		rc = prf_union_add(&st->u_barrier, start_ps, end_ps);
	else if (r->kind == HLSIM_REC_WAIT_TIME)
		rc = prf_union_add(&st->u_timed, start_ps, end_ps);
	if (rc)
		return rc;
	memset(&box, 0, sizeof(box));
	box.start_ps = start_ps;
	box.end_ps = end_ps;
	box.unit = r->unit;
	box.kind = r->kind;
	return prf_timeline_add(&rep->timeline, &box);
}

/* Validate record @r, row @row of the file. */
static hlsim_err_t validate(const struct prf_report *rep, const struct hlsim_rec *r, uint64_t row)
{
	if (r->unit >= rep->num_units)
		return hlsim_error(HLSIM_E_TRACE_FORMAT,
				   "timeline row %" PRIu64 ": unit %" PRIu32
				   ", but the units table has %zu units",
				   row, r->unit, rep->num_units);
	if (r->kind >= HLSIM_REC_KIND_COUNT_)
		return hlsim_error(HLSIM_E_TRACE_FORMAT,
				   "timeline row %" PRIu64 ": record kind %u, expected 0..%d", row,
				   r->kind, HLSIM_REC_KIND_COUNT_ - 1);
	if (r->end_ps < r->start_ps)
		return hlsim_error(HLSIM_E_TRACE_FORMAT,
				   "timeline row %" PRIu64 ": end %" PRIu64
				   " ps is before start %" PRIu64 " ps",
				   row, r->end_ps, r->start_ps);
	if (r->kind == HLSIM_REC_DMA &&
	    ((r->aux >> 8) >= MDL_MEM_KIND_COUNT_ || (r->aux & 0xff) >= MDL_MEM_KIND_COUNT_))
		return hlsim_error(HLSIM_E_TRACE_FORMAT,
				   "timeline row %" PRIu64 ": DMA aux 0x%04x names memory kinds "
				   "%u -> %u, expected 0..%d each",
				   row, r->aux, r->aux >> 8, r->aux & 0xff,
				   MDL_MEM_KIND_COUNT_ - 1);
	return HLSIM_OK;
}

/*
 * Order records by start, then end, unit, kind and position in the batch: time order
 * for every union, including the memory-path unions that several units feed.
 */
static int rec_ptr_cmp(const void *a, const void *b)
{
	const struct hlsim_rec *x = *(const struct hlsim_rec *const *)a;
	const struct hlsim_rec *y = *(const struct hlsim_rec *const *)b;

	if (x->start_ps != y->start_ps)
		return x->start_ps < y->start_ps ? -1 : 1;
	if (x->end_ps != y->end_ps)
		return x->end_ps < y->end_ps ? -1 : 1;
	if (x->unit != y->unit)
		return x->unit < y->unit ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return x < y ? -1 : x > y;
}

hlsim_err_t prf_report_add(struct prf_report *rep, const struct hlsim_rec *recs, size_t n)
{
	uint64_t ws = rep->window_start_ps, we = rep->window_end_ps;
	hlsim_err_t rc;
	size_t i, m = 0;

	for (i = 0; i < n; i++) {
		rc = validate(rep, &recs[i], rep->records_total + i);
		if (rc)
			return rc;
	}
	if (n > rep->order_cap) {
		const struct hlsim_rec **p = realloc(rep->order, n * sizeof(*p));

		if (!p)
			return hlsim_error(HLSIM_E_NOMEM, "profiler: no memory to sort %zu records",
					   n);
		rep->order = p;
		rep->order_cap = n;
	}
	for (i = 0; i < n; i++) {
		const struct hlsim_rec *r = &recs[i];
		int inside;

		if (r->end_ps > rep->max_end_ps)
			rep->max_end_ps = r->end_ps;
		if (rep->whole_run && r->end_ps > rep->run.simulated_time_ps)
			rep->records_past_end++;
		if (r->start_ps == r->end_ps)
			inside = r->start_ps >= ws && r->start_ps < we;
		else
			inside = r->start_ps < we && r->end_ps > ws;
		if (inside)
			rep->order[m++] = r;
	}
	rep->records_total += n;
	if (m > 1)
		qsort(rep->order, m, sizeof(rep->order[0]), rec_ptr_cmp);
	for (i = 0; i < m; i++) {
		const struct hlsim_rec *r = rep->order[i];

		rc = account(rep, r, r->start_ps > ws ? r->start_ps : ws,
			     r->end_ps < we ? r->end_ps : we);
		if (!rc && r->kind == HLSIM_REC_LAUNCH)
			rc = prf_launches_add(&rep->launches, r, rep->units[r->unit].unit.device,
					      rep->units[r->unit].unit.engine_class);
		if (rc)
			return rc;
	}
	return HLSIM_OK;
}

static hlsim_err_t add_check(struct prf_report *rep, uint32_t unit, enum prf_check_kind kind,
			     uint64_t counters_value, uint64_t records_value, uint64_t tolerance)
{
	uint64_t diff = counters_value > records_value ? counters_value - records_value :
							 records_value - counters_value;
	struct prf_check *c;

	if (diff <= tolerance)
		return HLSIM_OK;
	c = realloc(rep->checks, (rep->num_checks + 1) * sizeof(*c));
	if (!c)
		return hlsim_error(HLSIM_E_NOMEM, "profiler: no memory for cross-check results");
	rep->checks = c;
	c += rep->num_checks++;
	memset(c, 0, sizeof(*c));
	c->unit = unit;
	c->kind = (uint8_t)kind;
	c->counters_value = counters_value;
	c->records_value = records_value;
	return HLSIM_OK;
}

/*
 * Compare the simulator's counters with what the records say. Times may differ by up to
 * 1 ps per record (each record end is rounded to a whole ps on its own); counts and bytes
 * must agree exactly. A host unit's counters hold only its CS count (results.h defines
 * busy and waits for engines and CPs), so its times are not compared.
 */
static hlsim_err_t cross_check(struct prf_report *rep, const struct prf_unit_stats *st)
{
	const struct hlsim_counters *c = &st->counters;
	uint64_t jobs = st->kind_records[HLSIM_REC_JOB] + st->kind_records[HLSIM_REC_CB] +
			st->kind_records[HLSIM_REC_DMA] + st->kind_records[HLSIM_REC_CS] +
			st->kind_records[HLSIM_REC_LAUNCH] + st->kind_records[HLSIM_REC_NIC];
	uint32_t id = st->unit.id;
	hlsim_err_t rc = HLSIM_OK;

	if (st->unit.kind != HLSIM_UNIT_HOST) {
		rc = add_check(rep, id, PRF_CHECK_BUSY, c->busy_ps, st->busy_ps, st->records);
		if (!rc)
			rc = add_check(rep, id, PRF_CHECK_FENCE_WAIT, c->fence_wait_ps,
				       st->fence_wait_ps, st->records);
		if (!rc)
			rc = add_check(rep, id, PRF_CHECK_BARRIER_WAIT, c->barrier_wait_ps,
				       st->barrier_wait_ps, st->records);
	}
	if (!rc)
		rc = add_check(rep, id, PRF_CHECK_BYTES, c->bytes, st->dma_bytes, 0);
	if (!rc)
		rc = add_check(rep, id, PRF_CHECK_JOBS, c->jobs, jobs, 0);
	return rc;
}

hlsim_err_t prf_report_finish(struct prf_report *rep)
{
	uint64_t window_ps = prf_report_window_ps(rep);
	hlsim_err_t rc;
	size_t i;
	int s, d;

	for (i = 0; i < rep->num_units; i++) {
		struct prf_unit_stats *st = &rep->units[i];

		st->occupied_ps = prf_union_total_ps(&st->u_all);
		st->wait_ps = prf_union_total_ps(&st->u_wait);
		/* waits are records of the unit, so they lie inside its occupied time */
		st->busy_ps = st->occupied_ps > st->wait_ps ? st->occupied_ps - st->wait_ps : 0;
		st->fence_wait_ps = prf_union_total_ps(&st->u_fence);
		st->barrier_wait_ps = prf_union_total_ps(&st->u_barrier);
		st->timed_wait_ps = prf_union_total_ps(&st->u_timed);
		st->idle_ps = window_ps > st->occupied_ps ? window_ps - st->occupied_ps : 0;
		st->inexact_count = st->u_all.inexact_count + st->u_wait.inexact_count +
				    st->u_fence.inexact_count + st->u_barrier.inexact_count +
				    st->u_timed.inexact_count;
		rep->inexact_count += st->inexact_count;
		if (rep->whole_run && st->have_counters) {
			rc = cross_check(rep, st);
			if (rc)
				return rc;
		}
	}
	for (s = 0; s < MDL_MEM_KIND_COUNT_; s++) {
		for (d = 0; d < MDL_MEM_KIND_COUNT_; d++) {
			rep->paths[s][d].busy_ps = prf_union_total_ps(&rep->paths[s][d].u);
			rep->inexact_count += rep->paths[s][d].u.inexact_count;
		}
	}
	return prf_timeline_finish(&rep->timeline);
}

void prf_report_bottleneck(const struct prf_report *rep, struct prf_bottleneck *out)
{
	const struct prf_path_stats *best_path = NULL;
	size_t i;
	int s, d;

	out->engine = -1;
	out->fence_queue = -1;
	out->path_src = -1;
	out->path_dst = -1;
	for (i = 0; i < rep->num_units; i++) {
		const struct prf_unit_stats *st = &rep->units[i];

		if (st->unit.kind == HLSIM_UNIT_ENGINE && st->busy_ps > 0 &&
		    (out->engine < 0 || st->busy_ps > rep->units[out->engine].busy_ps))
			out->engine = (long)i;
		if ((st->unit.kind == HLSIM_UNIT_QUEUE || st->unit.kind == HLSIM_UNIT_LOWER_CP) &&
		    st->fence_wait_ps > 0 &&
		    (out->fence_queue < 0 ||
		     st->fence_wait_ps > rep->units[out->fence_queue].fence_wait_ps))
			out->fence_queue = (long)i;
	}
	for (s = 0; s < MDL_MEM_KIND_COUNT_; s++) {
		for (d = 0; d < MDL_MEM_KIND_COUNT_; d++) {
			const struct prf_path_stats *p = &rep->paths[s][d];

			if (!p->transfers)
				continue;
			if (!best_path || p->busy_ps > best_path->busy_ps ||
			    (p->busy_ps == best_path->busy_ps && p->bytes > best_path->bytes))
				best_path = p;
		}
	}
	if (best_path) {
		out->path_src = best_path->src;
		out->path_dst = best_path->dst;
	}
}
