/*
 * profiler/report_text.c - the text report (report.txt, `hlsim report RESULTS`).
 *
 * Sections: run summary, engines, queues and lower CPs, hosts, DMA traffic per memory
 * path, top launches, launches by kernel, bottleneck, advice (profiler/advice.c),
 * consistency checks, legend. Tables
 * are aligned by measuring every cell first; every column header carries its unit. Rows
 * are in unit-id order (paths in source, destination order; launches longest first),
 * numbers are formatted without locale, so the same results give the same bytes.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "profiler/prf.h"

#define TABLE_MAX_COLS 14
#define CELL_BYTES 64

/**
 * struct table - cells of one aligned table.
 * @heads: column headers. @right: right-align column (numbers).
 * @cells: @nrows rows of @ncols cells (owned). @cap: rows allocated.
 */
struct table {
	int ncols;
	const char *heads[TABLE_MAX_COLS];
	int right[TABLE_MAX_COLS];
	char (*cells)[CELL_BYTES];
	size_t nrows, cap;
	int col; /* next cell of the current row */
};

static void table_init(struct table *t)
{
	memset(t, 0, sizeof(*t));
}

static void table_col(struct table *t, const char *head, int right)
{
	t->heads[t->ncols] = head;
	t->right[t->ncols] = right;
	t->ncols++;
}

static hlsim_err_t table_row(struct table *t)
{
	if (t->nrows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		char(*p)[CELL_BYTES] = realloc(t->cells, cap * TABLE_MAX_COLS * sizeof(*p));

		if (!p)
			return hlsim_error(HLSIM_E_NOMEM, "profiler: no memory for a report table");
		t->cells = p;
		t->cap = cap;
	}
	memset(t->cells[t->nrows * TABLE_MAX_COLS], 0, TABLE_MAX_COLS * CELL_BYTES);
	t->nrows++;
	t->col = 0;
	return HLSIM_OK;
}

static char *table_cell(struct table *t)
{
	return t->cells[(t->nrows - 1) * TABLE_MAX_COLS + t->col++];
}

static void cell_str(struct table *t, const char *s)
{
	snprintf(table_cell(t), CELL_BYTES, "%s", s);
}

static void cell_u64(struct table *t, uint64_t v)
{
	snprintf(table_cell(t), CELL_BYTES, "%" PRIu64, v);
}

static void cell_us(struct table *t, uint64_t ps)
{
	prf_fmt_ps_us(table_cell(t), CELL_BYTES, ps);
}

/* @part / @whole in percent with 2 decimals, "-" if @whole is 0. */
static void cell_pct(struct table *t, uint64_t part, uint64_t whole)
{
	double v = whole ? 100.0 * (double)part / (double)whole : NAN;

	prf_fmt_fixed(table_cell(t), CELL_BYTES, v, 2);
}

/* @bytes in @ps as GB/s (1 GB = 1e9 bytes) with 3 decimals, "-" if @ps is 0. */
static void cell_gbps(struct table *t, uint64_t bytes, uint64_t ps)
{
	prf_fmt_fixed(table_cell(t), CELL_BYTES, ps ? (double)bytes * 1e3 / (double)ps : NAN, 3);
}

static void table_print(const struct table *t, FILE *out)
{
	size_t width[TABLE_MAX_COLS], r;
	int c;

	for (c = 0; c < t->ncols; c++)
		width[c] = strlen(t->heads[c]);
	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncols; c++) {
			size_t w = strlen(t->cells[r * TABLE_MAX_COLS + c]);

			if (w > width[c])
				width[c] = w;
		}
	for (c = 0; c < t->ncols; c++) {
		if (c == t->ncols - 1 && !t->right[c])
			fprintf(out, "  %s", t->heads[c]);
		else
			fprintf(out, "  %*s", t->right[c] ? (int)width[c] : -(int)width[c],
				t->heads[c]);
	}
	fputs("\n", out);
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			const char *cell = t->cells[r * TABLE_MAX_COLS + c];

			/* no trailing blanks after a left-aligned last column */
			if (c == t->ncols - 1 && !t->right[c])
				fprintf(out, "  %s", cell);
			else
				fprintf(out, "  %*s", t->right[c] ? (int)width[c] : -(int)width[c],
					cell);
		}
		fputs("\n", out);
	}
	if (!t->nrows)
		fputs("  (none)\n", out);
}

static void table_free(struct table *t)
{
	free(t->cells);
	table_init(t);
}

/* ===== sections ===== */

static void write_run(const struct prf_report *rep, FILE *out)
{
	const struct hlsim_run_info *run = &rep->run;
	char a[48], b[48];

	fprintf(out, "Run\n");
	fprintf(out, "  %-24s %s\n", "trace", run->trace_path[0] ? run->trace_path : "-");
	fprintf(out, "  %-24s %s\n", "config", run->config_name[0] ? run->config_name : "-");
	fprintf(out, "  %-24s %s\n", "hlsim version",
		run->hlsim_version[0] ? run->hlsim_version : "-");
	fprintf(out, "  %-24s %s us (%" PRIu64 " ps)\n", "simulated time",
		prf_fmt_ps_us(a, sizeof(a), run->simulated_time_ps), run->simulated_time_ps);
	fprintf(out, "  %-24s %s%s .. %s us (%" PRIu64 " ps)\n", "report window",
		rep->whole_run ? "whole run, " : "",
		prf_fmt_ps_us(a, sizeof(a), rep->window_start_ps),
		prf_fmt_ps_us(b, sizeof(b), rep->window_end_ps), prf_report_window_ps(rep));
	fprintf(out, "  %-24s %" PRIu64 " CS, %" PRIu64 " jobs\n", "command submissions",
		run->cs_count, run->job_count);
	fprintf(out, "  %-24s %" PRIu64 "\n", "packets executed", run->packets);
	fprintf(out, "  %-24s %" PRIu64 "\n", "SimGrid activities", run->activities);
	fprintf(out, "  %-24s %s s\n", "wall time", prf_fmt_fixed(a, sizeof(a), run->wall_s, 6));
	if (isfinite(run->wall_s) && run->wall_s > 0)
		fprintf(out, "  %-24s %s packets/s, %s activities/s\n", "speed",
			prf_fmt_fixed(a, sizeof(a), (double)run->packets / run->wall_s, 0),
			prf_fmt_fixed(b, sizeof(b), (double)run->activities / run->wall_s, 0));
	else
		fprintf(out, "  %-24s - (no wall time recorded)\n", "speed");
	fprintf(out, "  %-24s %" PRIu64 " (%" PRIu64 " in the window)\n", "timeline records",
		rep->records_total, rep->records_in_window);
	fprintf(out, "  %-24s %" PRIu64 " bytes (%s MiB)\n", "peak RSS", run->peak_rss_bytes,
		prf_fmt_fixed(a, sizeof(a), (double)run->peak_rss_bytes / 1048576.0, 1));
}

static hlsim_err_t write_engines(const struct prf_report *rep, FILE *out)
{
	uint64_t window_ps = prf_report_window_ps(rep);
	struct table t;
	hlsim_err_t rc = HLSIM_OK;
	size_t i;

	table_init(&t);
	table_col(&t, "id", 1);
	table_col(&t, "name", 0);
	table_col(&t, "class", 0);
	table_col(&t, "busy [us]", 1);
	table_col(&t, "busy [%]", 1);
	table_col(&t, "idle [us]", 1);
	table_col(&t, "moved [bytes]", 1);
	table_col(&t, "busy rate [GB/s]", 1);
	table_col(&t, "window rate [GB/s]", 1);
	table_col(&t, "transfers [n]", 1);
	for (i = 0; i < rep->num_units; i++) {
		const struct prf_unit_stats *st = &rep->units[i];

		if (st->unit.kind != HLSIM_UNIT_ENGINE)
			continue;
		rc = table_row(&t);
		if (rc)
			goto out_free;
		cell_u64(&t, st->unit.id);
		cell_str(&t, st->unit.name);
		cell_str(&t, st->unit.engine_class);
		cell_us(&t, st->busy_ps);
		cell_pct(&t, st->busy_ps, window_ps);
		cell_us(&t, st->idle_ps);
		cell_u64(&t, st->dma_bytes);
		cell_gbps(&t, st->dma_bytes, st->busy_ps);
		cell_gbps(&t, st->dma_bytes, window_ps);
		cell_u64(&t, st->transfers);
	}
	prf_collective_text(out, &rep->coll);
	fprintf(out, "\nEngines\n");
	table_print(&t, out);
out_free:
	table_free(&t);
	return rc;
}

/* Engine time held by memory (profiler/held.c): one row per engine that was held. */
static hlsim_err_t write_held(const struct prf_report *rep, FILE *out)
{
	struct table t;
	size_t i;
	int r, rows = 0;
	hlsim_err_t rc = HLSIM_OK;

	fprintf(out, "\nHeld by memory (engine time beyond what its own rate needs, by what it "
		     "waited for)\n");
	if (!rep->held.have_config) {
		fprintf(out, "  (not available: the results carry no readable configuration)\n");
		return HLSIM_OK;
	}
	table_init(&t);
	table_col(&t, "id", 1);
	table_col(&t, "name", 0);
	table_col(&t, "class", 0);
	table_col(&t, "busy [us]", 1);
	table_col(&t, "hbm [us]", 1);
	table_col(&t, "sram [us]", 1);
	table_col(&t, "pcie [us]", 1);
	table_col(&t, "network [us]", 1);
	table_col(&t, "held [% of busy]", 1);
	for (i = 0; i < rep->num_units; i++) {
		const struct prf_unit_stats *st = &rep->units[i];
		uint64_t sum = 0;

		if (st->unit.kind != HLSIM_UNIT_ENGINE)
			continue;
		for (r = 0; r < PRF_RES_COUNT; r++)
			sum += prf_held_ps(&rep->held, st->unit.id, r);
		if (!sum)
			continue;
		rc = table_row(&t);
		if (rc)
			goto out_free;
		rows++;
		cell_u64(&t, st->unit.id);
		cell_str(&t, st->unit.name);
		cell_str(&t, st->unit.engine_class);
		cell_us(&t, st->busy_ps);
		for (r = 0; r < PRF_RES_COUNT; r++)
			cell_us(&t, prf_held_ps(&rep->held, st->unit.id, r));
		cell_pct(&t, sum, st->busy_ps);
	}
	if (rows)
		table_print(&t, out);
	else
		fprintf(out, "  (none: every engine ran at its own rate)\n");
out_free:
	table_free(&t);
	return rc;
}

/* Engines starved by their command processors (results 1.2 /starved, whole run). */
static hlsim_err_t write_starved(const struct prf_report *rep, FILE *out)
{
	const struct prf_held *h = &rep->held;
	struct table t;
	size_t i;
	int rows = 0;
	hlsim_err_t rc = HLSIM_OK;

	fprintf(out, "\nStarved by the command processor (whole run: engine idle while a CP of "
		     "its QMAN fetched a CB or executed packets)\n");
	if (!h->have_starved) {
		fprintf(out, "  (not available: the results predate version 1.2)\n");
		return HLSIM_OK;
	}
	table_init(&t);
	table_col(&t, "id", 1);
	table_col(&t, "name", 0);
	table_col(&t, "class", 0);
	table_col(&t, "CB fetch [us]", 1);
	table_col(&t, "packets [us]", 1);
	for (i = 0; i < rep->num_units; i++) {
		const struct prf_unit_stats *st = &rep->units[i];
		uint32_t u = st->unit.id;

		if (st->unit.kind != HLSIM_UNIT_ENGINE ||
		    !(h->starved_ps[u * 2] | h->starved_ps[u * 2 + 1]))
			continue;
		rc = table_row(&t);
		if (rc)
			goto out_free;
		rows++;
		cell_u64(&t, u);
		cell_str(&t, st->unit.name);
		cell_str(&t, st->unit.engine_class);
		cell_us(&t, h->starved_ps[u * 2]);
		cell_us(&t, h->starved_ps[u * 2 + 1]);
	}
	if (rows)
		table_print(&t, out);
	else
		fprintf(out, "  (none)\n");
out_free:
	table_free(&t);
	return rc;
}

static hlsim_err_t write_queues(const struct prf_report *rep, FILE *out)
{
	uint64_t window_ps = prf_report_window_ps(rep);
	struct table t;
	hlsim_err_t rc = HLSIM_OK;
	size_t i;

	table_init(&t);
	table_col(&t, "id", 1);
	table_col(&t, "name", 0);
	table_col(&t, "kind", 0);
	table_col(&t, "busy [us]", 1);
	table_col(&t, "busy [%]", 1);
	table_col(&t, "fence-blocked [us]", 1);
	table_col(&t, "fence-blocked [%]", 1);
	table_col(&t, "barrier-wait [us]", 1);
	table_col(&t, "timed-wait [us]", 1);
	table_col(&t, "idle [us]", 1);
	table_col(&t, "jobs [n]", 1);
	table_col(&t, "packets [n]", 1);
	for (i = 0; i < rep->num_units; i++) {
		const struct prf_unit_stats *st = &rep->units[i];

		if (st->unit.kind != HLSIM_UNIT_QUEUE && st->unit.kind != HLSIM_UNIT_LOWER_CP)
			continue;
		rc = table_row(&t);
		if (rc)
			goto out_free;
		cell_u64(&t, st->unit.id);
		cell_str(&t, st->unit.name);
		cell_str(&t, prf_unit_kind_name(st->unit.kind));
		cell_us(&t, st->busy_ps);
		cell_pct(&t, st->busy_ps, window_ps);
		cell_us(&t, st->fence_wait_ps);
		cell_pct(&t, st->fence_wait_ps, window_ps);
		cell_us(&t, st->barrier_wait_ps);
		cell_us(&t, st->timed_wait_ps);
		cell_us(&t, st->idle_ps);
		cell_u64(&t, st->jobs);
		if (rep->whole_run && st->have_counters)
			cell_u64(&t, st->counters.packets);
		else
			cell_str(&t, "-");
	}
	fprintf(out, "\nQueues and lower CPs\n");
	table_print(&t, out);
out_free:
	table_free(&t);
	return rc;
}

static hlsim_err_t write_hosts(const struct prf_report *rep, FILE *out)
{
	uint64_t window_ps = prf_report_window_ps(rep);
	struct table t;
	hlsim_err_t rc = HLSIM_OK;
	size_t i;

	table_init(&t);
	table_col(&t, "id", 1);
	table_col(&t, "name", 0);
	table_col(&t, "CS in flight [us]", 1);
	table_col(&t, "CS in flight [%]", 1);
	table_col(&t, "idle [us]", 1);
	table_col(&t, "CS [n]", 1);
	for (i = 0; i < rep->num_units; i++) {
		const struct prf_unit_stats *st = &rep->units[i];

		if (st->unit.kind != HLSIM_UNIT_HOST)
			continue;
		rc = table_row(&t);
		if (rc)
			goto out_free;
		cell_u64(&t, st->unit.id);
		cell_str(&t, st->unit.name);
		cell_us(&t, st->busy_ps);
		cell_pct(&t, st->busy_ps, window_ps);
		cell_us(&t, st->idle_ps);
		cell_u64(&t, st->kind_records[HLSIM_REC_CS]);
	}
	if (t.nrows) {
		fprintf(out, "\nHost\n");
		table_print(&t, out);
	}
out_free:
	table_free(&t);
	return rc;
}

static hlsim_err_t write_paths(const struct prf_report *rep, FILE *out)
{
	uint64_t window_ps = prf_report_window_ps(rep);
	struct table t;
	hlsim_err_t rc = HLSIM_OK;
	int s, d;

	table_init(&t);
	table_col(&t, "path (source -> destination)", 0);
	table_col(&t, "moved [bytes]", 1);
	table_col(&t, "transfers [n]", 1);
	table_col(&t, "busy [us]", 1);
	table_col(&t, "busy [%]", 1);
	table_col(&t, "busy rate [GB/s]", 1);
	for (s = 0; s < MDL_MEM_KIND_COUNT_; s++) {
		for (d = 0; d < MDL_MEM_KIND_COUNT_; d++) {
			const struct prf_path_stats *p = &rep->paths[s][d];

			if (!p->transfers)
				continue;
			rc = table_row(&t);
			if (rc)
				goto out_free;
			snprintf(table_cell(&t), CELL_BYTES, "%s -> %s",
				 mdl_mem_kind_name((enum mdl_mem_kind)s),
				 mdl_mem_kind_name((enum mdl_mem_kind)d));
			cell_u64(&t, p->bytes);
			cell_u64(&t, p->transfers);
			cell_us(&t, p->busy_ps);
			cell_pct(&t, p->busy_ps, window_ps);
			cell_gbps(&t, p->bytes, p->busy_ps);
		}
	}
	fprintf(out, "\nDMA traffic per memory path\n");
	table_print(&t, out);
out_free:
	table_free(&t);
	return rc;
}

/* @flops in @ps as TFLOPS (1e12 operations per second; flops per ps), "-" if @ps is 0. */
static void cell_tflops(struct table *t, uint64_t flops, uint64_t ps)
{
	prf_fmt_fixed(table_cell(t), CELL_BYTES, ps ? (double)flops / (double)ps : NAN, 3);
}

/* One line saying why launches have no kernel names, if they have none for that reason. */
static void write_names_note(const struct prf_launches *l, FILE *out)
{
	if (l->names_note[0])
		fprintf(out, "  kernel names unavailable (%s)\n", l->names_note);
}

static hlsim_err_t write_top_launches(const struct prf_report *rep, FILE *out)
{
	const struct prf_launches *l = &rep->launches;
	struct table t;
	hlsim_err_t rc = HLSIM_OK;
	size_t i;

	table_init(&t);
	table_col(&t, "unit", 0);
	table_col(&t, "class", 0);
	table_col(&t, "start [us]", 1);
	table_col(&t, "duration [us]", 1);
	table_col(&t, "moved [bytes]", 1);
	table_col(&t, "FLOPs [n]", 1);
	table_col(&t, "achieved [TFLOPS]", 1);
	table_col(&t, "achieved [GB/s]", 1);
	table_col(&t, "CS seq", 1);
	table_col(&t, "job", 1);
	table_col(&t, "kernel", 0);
	for (i = 0; i < l->num_top; i++) {
		const struct hlsim_rec *r = &l->top[i].rec;
		const struct prf_unit_stats *st = &rep->units[r->unit];
		uint64_t dur_ps = r->end_ps - r->start_ps;

		rc = table_row(&t);
		if (rc)
			goto out_free;
		cell_str(&t, st->unit.name);
		snprintf(table_cell(&t), CELL_BYTES, "%.*s",
			 (int)strnlen(st->unit.engine_class, sizeof(st->unit.engine_class)),
			 st->unit.engine_class);
		cell_us(&t, r->start_ps);
		cell_us(&t, dur_ps);
		cell_u64(&t, r->bytes);
		cell_u64(&t, r->flops);
		cell_tflops(&t, r->flops, dur_ps);
		cell_gbps(&t, r->bytes, dur_ps);
		cell_u64(&t, r->cs_seq);
		cell_u64(&t, r->job);
		cell_str(&t, l->top[i].kernel[0] ? l->top[i].kernel : "-");
	}
	fprintf(out, "\nTop launches (longest first, at most %d; %" PRIu64
		" launches in the window)\n", PRF_TOP_LAUNCHES, l->launches);
	table_print(&t, out);
	write_names_note(l, out);
out_free:
	table_free(&t);
	return rc;
}

static hlsim_err_t write_kernels(const struct prf_report *rep, FILE *out)
{
	const struct prf_launches *l = &rep->launches;
	struct table t;
	hlsim_err_t rc = HLSIM_OK;
	size_t i;

	table_init(&t);
	table_col(&t, "kernel", 0);
	table_col(&t, "class", 0);
	table_col(&t, "launches [n]", 1);
	table_col(&t, "total [us]", 1);
	table_col(&t, "FLOPs [n]", 1);
	table_col(&t, "average [TFLOPS]", 1);
	for (i = 0; i < l->num_kernels; i++) {
		const struct prf_kernel_stats *k = &l->kernels[i];

		rc = table_row(&t);
		if (rc)
			goto out_free;
		cell_str(&t, k->kernel[0] ? k->kernel : "-");
		cell_str(&t, k->engine_class);
		cell_u64(&t, k->launches);
		cell_us(&t, k->total_ps);
		cell_u64(&t, k->flops);
		cell_tflops(&t, k->flops, k->total_ps);
	}
	fprintf(out, "\nLaunches by kernel (kernel \"-\": launches without a name, per class)\n");
	table_print(&t, out);
	if (l->ungrouped)
		fprintf(out, "  table capped at %d kernel names: %" PRIu64
			" launches of further names are not listed\n", PRF_KERNELS_MAX,
			l->ungrouped);
out_free:
	table_free(&t);
	return rc;
}

/* The unit name of @id, "?" if out of range (a release read before the check). */
static const char *unit_name(const struct prf_report *rep, uint32_t id)
{
	return id < rep->num_units ? rep->units[id].unit.name : "?";
}

static hlsim_err_t write_stalls(const struct prf_report *rep, FILE *out)
{
	const struct prf_stalls *st = &rep->stalls;
	struct prf_stall_pair top[PRF_STALL_TOP];
	const struct prf_stall_row **rows = NULL;
	struct table t;
	hlsim_err_t rc;
	size_t i, ntop;

	fprintf(out, "\nStall attribution (fence-blocked time by the unit whose message "
		     "released it)\n");
	if (!st->have_releases) {
		if (st->waits)
			fprintf(out, "  the results file has no /releases rows (results 1.0): "
				     "%" PRIu64 " fence waits cannot be attributed\n", st->waits);
		else
			fputs("  no fence wait in the window\n", out);
		return HLSIM_OK;
	}
	ntop = prf_stalls_top(st, top, PRF_STALL_TOP, &rc);
	if (rc)
		return rc;
	table_init(&t);
	table_col(&t, "waiting", 0);
	table_col(&t, "kept waiting by", 0);
	table_col(&t, "waits [n]", 1);
	table_col(&t, "blocked [us]", 1);
	table_col(&t, "of its fence-blocked [%]", 1);
	for (i = 0; i < ntop; i++) {
		rc = table_row(&t);
		if (rc)
			goto out_free;
		cell_str(&t, unit_name(rep, top[i].queue));
		cell_str(&t, unit_name(rep, top[i].producer));
		cell_u64(&t, top[i].waits);
		cell_us(&t, top[i].blocked_ps);
		cell_pct(&t, top[i].blocked_ps, top[i].queue < rep->num_units ?
			 rep->units[top[i].queue].fence_wait_ps : 0);
	}
	fprintf(out, "  who kept whom waiting (most blocked time first, at most %d)\n",
		PRF_STALL_TOP);
	table_print(&t, out);
	table_free(&t);

	rows = prf_stalls_sorted(st, &rc);
	if (rc)
		return rc;
	table_init(&t);
	table_col(&t, "queue", 0);
	table_col(&t, "producer", 0);
	table_col(&t, "SOB", 0);
	table_col(&t, "waits [n]", 1);
	table_col(&t, "blocked [us]", 1);
	table_col(&t, "share [%]", 1);
	for (i = 0; i < st->n; i++) {
		const struct prf_stall_row *r = rows[i];

		rc = table_row(&t);
		if (rc)
			goto out_free;
		cell_str(&t, unit_name(rep, r->queue));
		cell_str(&t, unit_name(rep, r->producer));
		prf_sob_name(table_cell(&t), CELL_BYTES, r->sob);
		cell_u64(&t, r->waits);
		cell_us(&t, r->blocked_ps);
		cell_pct(&t, r->blocked_ps, r->queue < rep->num_units ?
			 rep->units[r->queue].fence_wait_ps : 0);
	}
	fprintf(out, "  per queue, producer and SOB (share: of the queue's fence-blocked time)\n");
	table_print(&t, out);
	if (st->unattributed_waits)
		fprintf(out, "  %" PRIu64 " fence waits (%s us) have no release row\n",
			st->unattributed_waits,
			prf_fmt_ps_us((char[32]){ 0 }, 32, st->unattributed_ps));
	if (st->dropped_waits)
		fprintf(out, "  table capped at %d rows: %" PRIu64 " waits (%s us) not listed\n",
			PRF_STALL_ROWS_MAX, st->dropped_waits,
			prf_fmt_ps_us((char[32]){ 0 }, 32, st->dropped_ps));
out_free:
	free((void *)rows);
	table_free(&t);
	return rc;
}

static hlsim_err_t write_critpath(const struct prf_report *rep, FILE *out)
{
	const struct prf_critpath *cp = &rep->crit;
	struct prf_crit_class cls[PRF_CRIT_CLASSES_MAX];
	char a[32], b[32];
	struct table t;
	hlsim_err_t rc = HLSIM_OK;
	size_t i, n;

	fprintf(out, "\nCritical path (whole run, walked back from the record that ends last)\n");
	if (!cp->computed) {
		fprintf(out, "  not computed: %s\n", cp->note[0] ? cp->note : "no results file");
		return HLSIM_OK;
	}
	fprintf(out, "  %s us from %s us to %s us, %" PRIu64 " record steps%s\n",
		prf_fmt_ps_us(a, sizeof(a), cp->total_ps),
		prf_fmt_ps_us(b, sizeof(b), cp->start_ps),
		prf_fmt_ps_us((char[32]){ 0 }, 32, cp->end_ps), cp->records,
		cp->have_releases ? "" : " (no /releases: fence waits not followed)");
	if (cp->note[0])
		fprintf(out, "  note: %s\n", cp->note);
	table_init(&t);
	table_col(&t, "reached by", 0);
	table_col(&t, "time [us]", 1);
	table_col(&t, "share [%]", 1);
	for (i = 0; i < PRF_DEP_COUNT_; i++) {
		if (!cp->dep_ps[i])
			continue;
		rc = table_row(&t);
		if (rc)
			goto out_free;
		cell_str(&t, prf_dep_kind_name((unsigned int)i));
		cell_us(&t, cp->dep_ps[i]);
		cell_pct(&t, cp->dep_ps[i], cp->total_ps);
	}
	table_print(&t, out);
	table_free(&t);

	n = prf_critpath_classes(cp, cls, PRF_CRIT_CLASSES_MAX);
	table_init(&t);
	table_col(&t, "class", 0);
	table_col(&t, "time [us]", 1);
	table_col(&t, "share [%]", 1);
	for (i = 0; i < n; i++) {
		rc = table_row(&t);
		if (rc)
			goto out_free;
		snprintf(table_cell(&t), CELL_BYTES, "%.*s", (int)sizeof(cls[i].name), cls[i].name);
		cell_us(&t, cls[i].ps);
		cell_pct(&t, cls[i].ps, cp->total_ps);
	}
	table_print(&t, out);
	table_free(&t);

	table_init(&t);
	table_col(&t, "unit", 0);
	table_col(&t, "class", 0);
	table_col(&t, "time [us]", 1);
	table_col(&t, "share [%]", 1);
	for (i = 0; i < cp->num_units && i < rep->num_units; i++) {
		const struct hlsim_unit *u = &rep->units[i].unit;

		if (!cp->unit_ps[i])
			continue;
		rc = table_row(&t);
		if (rc)
			goto out_free;
		cell_str(&t, u->name);
		snprintf(table_cell(&t), CELL_BYTES, "%s%.*s",
			 u->kind == HLSIM_UNIT_QUEUE || u->kind == HLSIM_UNIT_LOWER_CP ? "cp:" : "",
			 (int)strnlen(u->engine_class, sizeof(u->engine_class)), u->engine_class);
		cell_us(&t, cp->unit_ps[i]);
		cell_pct(&t, cp->unit_ps[i], cp->total_ps);
	}
	table_print(&t, out);
	table_free(&t);

	table_init(&t);
	table_col(&t, "unit", 0);
	table_col(&t, "record", 0);
	table_col(&t, "row", 1);
	table_col(&t, "reached by", 0);
	table_col(&t, "from [us]", 1);
	table_col(&t, "to [us]", 1);
	table_col(&t, "on path [us]", 1);
	for (i = 0; i < cp->num_longest; i++) {
		const struct prf_crit_step *s = &cp->longest[i];

		rc = table_row(&t);
		if (rc)
			goto out_free;
		cell_str(&t, unit_name(rep, s->unit));
		cell_str(&t, prf_rec_kind_name(s->rec_kind));
		cell_u64(&t, s->row);
		cell_str(&t, prf_dep_kind_name(s->dep));
		cell_us(&t, s->start_ps);
		cell_us(&t, s->end_ps);
		cell_us(&t, s->end_ps - s->start_ps);
	}
	fprintf(out, "  longest steps (at most %d)\n", PRF_CRIT_LONGEST);
	table_print(&t, out);
out_free:
	table_free(&t);
	return rc;
}

/* @part / @whole in percent with 2 decimals into @buf, "-" if @whole is 0. */
static char *fmt_pct(char *buf, size_t size, uint64_t part, uint64_t whole)
{
	return prf_fmt_fixed(buf, size, whole ? 100.0 * (double)part / (double)whole : NAN, 2);
}

static void write_bottleneck(const struct prf_report *rep, FILE *out)
{
	uint64_t window_ps = prf_report_window_ps(rep);
	struct prf_bottleneck b;
	char a[48], p[48], g[48];

	prf_report_bottleneck(rep, &b);
	fprintf(out, "\nBottleneck\n");
	if (b.engine >= 0) {
		const struct prf_unit_stats *st = &rep->units[b.engine];

		fprintf(out, "  %-26s %s (%s): busy %s us = %s %% of the window\n",
			"busiest engine", st->unit.name, st->unit.engine_class,
			prf_fmt_ps_us(a, sizeof(a), st->busy_ps),
			fmt_pct(p, sizeof(p), st->busy_ps, window_ps));
	} else {
		fprintf(out, "  %-26s none (no engine was busy in the window)\n", "busiest engine");
	}
	if (b.fence_queue >= 0) {
		const struct prf_unit_stats *st = &rep->units[b.fence_queue];

		fprintf(out, "  %-26s %s (%s): blocked on fences %s us = %s %% of the window\n",
			"most fence-blocked queue", st->unit.name,
			prf_unit_kind_name(st->unit.kind),
			prf_fmt_ps_us(a, sizeof(a), st->fence_wait_ps),
			fmt_pct(p, sizeof(p), st->fence_wait_ps, window_ps));
	} else {
		fprintf(out, "  %-26s none (no queue waited on a fence in the window)\n",
			"most fence-blocked queue");
	}
	if (b.path_src >= 0) {
		const struct prf_path_stats *ps = &rep->paths[b.path_src][b.path_dst];

		fprintf(out,
			"  %-26s %s -> %s: busy %s us = %s %% of the window, %" PRIu64
			" bytes at %s GB/s while busy\n",
			"busiest memory path", mdl_mem_kind_name((enum mdl_mem_kind)ps->src),
			mdl_mem_kind_name((enum mdl_mem_kind)ps->dst),
			prf_fmt_ps_us(a, sizeof(a), ps->busy_ps),
			fmt_pct(p, sizeof(p), ps->busy_ps, window_ps), ps->bytes,
			prf_fmt_fixed(g, sizeof(g),
				      ps->busy_ps ? (double)ps->bytes * 1e3 / (double)ps->busy_ps :
						    NAN,
				      3));
	} else {
		fprintf(out, "  %-26s none (no DMA transfer in the window)\n",
			"busiest memory path");
	}
}

/* The advice of profiler/advice.c: one line per item, "rule (severity): sentence". */
static hlsim_err_t write_advice(const struct prf_report *rep, FILE *out)
{
	struct prf_advice adv;
	hlsim_err_t rc;
	size_t i;

	rc = prf_advice_compute(rep, &rep->advice_cfg, &adv);
	if (rc)
		return rc;
	fprintf(out, "\nAdvice\n");
	for (i = 0; i < adv.n; i++)
		fprintf(out, "  %s (%s): %s\n", adv.items[i].rule, adv.items[i].severity,
			adv.items[i].sentence);
	if (!adv.n)
		fputs("  (none: no rule found a problem it knows how to fix)\n", out);
	if (!rep->advice_cfg.have_config)
		fputs("  note: the results hold no readable configuration, so the rules that "
		      "compare with configured peaks were not evaluated\n", out);
	prf_advice_free(&adv);
	return HLSIM_OK;
}

static void write_checks(const struct prf_report *rep, FILE *out)
{
	size_t i, with_counters = 0;

	fprintf(out, "\nConsistency checks\n");
	for (i = 0; i < rep->num_units; i++)
		with_counters += rep->units[i].have_counters != 0;
	if (!rep->whole_run)
		fprintf(out, "  counters cover the whole run, so they are not compared with this "
			     "window; packets are shown as -\n");
	else if (!with_counters)
		fprintf(out, "  the results hold no per-unit counters: nothing to compare; packets "
			     "are shown as -\n");
	else if (!rep->num_checks && with_counters < rep->num_units)
		fprintf(out, "  the counters of %zu of %zu units agree with the timeline records "
			     "(times within 1 ps per record, bytes and counts exact)\n",
			with_counters, rep->num_units);
	else if (!rep->num_checks)
		fprintf(out, "  the simulator's counters agree with the timeline records (times "
			     "within 1 ps per record, bytes and counts exact)\n");
	for (i = 0; i < rep->num_checks; i++) {
		const struct prf_check *c = &rep->checks[i];

		fprintf(out,
			"  MISMATCH unit %" PRIu32 " %s: %s is %" PRIu64 " in the counters but %"
			PRIu64 " from the records\n",
			c->unit, rep->units[c->unit].unit.name, prf_check_kind_name(c->kind),
			c->counters_value, c->records_value);
	}
	if (rep->records_past_end)
		fprintf(out,
			"  WARNING %" PRIu64 " records end after the simulated time; they were "
			"clipped to it (latest end %" PRIu64 " ps)\n",
			rep->records_past_end, rep->max_end_ps);
	if (rep->inexact_count)
		fprintf(out,
			"  WARNING %" PRIu64 " records arrived too far out of time order to merge "
			"exactly; busy and wait times may be off by their overlap\n",
			rep->inexact_count);
	if (rep->timeline.merging)
		fprintf(out,
			"  note: the timeline plot joins bars of one unit and kind closer than "
			"1 pixel (%" PRIu64 " records drawn as %zu bars)\n",
			rep->timeline.records, rep->timeline.n);
}

static void write_legend(FILE *out)
{
	fputs("\nLegend\n"
	      "  Times are simulated time in microseconds (us; 1 us = 1000000 ps), measured\n"
	      "  from the timeline records and clipped to the report window; [%] is a share of\n"
	      "  the window; GB/s means 1e9 bytes per second.\n"
	      "  busy: the union of the unit's record intervals minus the time it was blocked\n"
	      "    (fence-blocked or barrier-wait), so overlapping records count once.\n"
	      "    Engine: at least one DMA transfer in flight. Queue: a job is executing\n"
	      "    (fetch to last packet) and the CP is not blocked. Lower CP: a CB called by\n"
	      "    CP_DMA is executing and the CP is not blocked. Host: a CS is in flight.\n"
	      "  fence-blocked: the CP was stopped at a FENCE packet until a monitor wrote the\n"
	      "    fence counter (FENCE_WAIT records).\n"
	      "  barrier-wait: the CP waited for its engine to drain (engine barrier).\n"
	      "  timed-wait: the CP executed a WAIT packet's timed wait (part of busy).\n"
	      "  idle: the window minus every interval covered by a record of the unit.\n"
	      "  moved [bytes]: bytes of the DMA records overlapping the window, counted whole.\n"
	      "  busy rate: bytes moved / busy time; window rate: bytes moved / window length.\n"
	      "  jobs: JOB and CB records; packets: the simulator's per-CP count (whole run\n"
	      "    only).\n"
	      "  transfers: DMA records. A path's busy time is when any transfer between those\n"
	      "    two memories was in flight (memory kinds: unknown, hbm, sram, host, cfg).\n",
	      out);
}

hlsim_err_t prf_report_write_text(const struct prf_report *rep, FILE *out)
{
	hlsim_err_t rc;

	fprintf(out, "hlsim report\n============\n\n");
	write_run(rep, out);
	rc = write_engines(rep, out);
	if (!rc)
		rc = write_held(rep, out);
	if (!rc)
		rc = write_starved(rep, out);
	if (!rc)
		rc = write_queues(rep, out);
	if (!rc)
		rc = write_hosts(rep, out);
	if (!rc)
		rc = write_paths(rep, out);
	if (!rc)
		rc = write_top_launches(rep, out);
	if (!rc)
		rc = write_kernels(rep, out);
	if (!rc)
		rc = write_stalls(rep, out);
	if (!rc)
		rc = write_critpath(rep, out);
	if (rc)
		return rc;
	write_bottleneck(rep, out);
	rc = write_advice(rep, out);
	if (rc)
		return rc;
	write_checks(rep, out);
	write_legend(out);
	if (ferror(out))
		return hlsim_error(HLSIM_E_IO, "writing the text report failed");
	return HLSIM_OK;
}
