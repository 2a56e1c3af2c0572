/*
 * profiler/report_csv.c - the report's tables as CSV files (`hlsim report RESULTS --csv DIR`).
 *
 * engines.csv, queues.csv, dma_paths.csv, top_launches.csv, kernels.csv, stalls.csv (stall
 * attribution per queue, producer and SOB) and critical_path.csv (path time per unit) hold
 * the rows of the text report's tables of the same names, in the same order. Each starts
 * with a header row whose column names carry their units (busy_ps, bytes, flops_per_s);
 * numbers are integers (ps, bytes, counts) or fixed decimals, formatted without locale; an
 * unknown value is an empty field; text fields are quoted when they need it (RFC 4180).
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "profiler/prf.h"

#define CSV_PATH_BYTES 4096

/* A text field, quoted if it holds a comma, a quote or a line break; @max bytes at most. */
static void csv_str(FILE *out, const char *s, size_t max)
{
	size_t n = strnlen(s, max), i;

	if (strcspn(s, ",\"\r\n") >= n) {
		fprintf(out, "%.*s", (int)n, s);
		return;
	}
	fputc('"', out);
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			fputc('"', out);
		fputc(s[i], out);
	}
	fputc('"', out);
}

/* A finite non-negative number with @decimals digits, or an empty field. */
static void csv_dec(FILE *out, double v, int decimals)
{
	char buf[48];

	if (isfinite(v) && v >= 0)
		fputs(prf_fmt_fixed(buf, sizeof(buf), v, decimals), out);
}

static double ratio(uint64_t part, uint64_t whole)
{
	return whole ? (double)part / (double)whole : NAN;
}

static void write_engines(const struct prf_report *rep, FILE *out)
{
	uint64_t window_ps = prf_report_window_ps(rep);
	size_t i;

	fputs("id,name,engine_class,busy_ps,busy_fraction,idle_ps,moved_bytes,"
	      "busy_rate_bytes_per_s,window_rate_bytes_per_s,transfers\n", out);
	for (i = 0; i < rep->num_units; i++) {
		const struct prf_unit_stats *st = &rep->units[i];

		if (st->unit.kind != HLSIM_UNIT_ENGINE)
			continue;
		fprintf(out, "%" PRIu32 ",", st->unit.id);
		csv_str(out, st->unit.name, sizeof(st->unit.name));
		fputc(',', out);
		csv_str(out, st->unit.engine_class, sizeof(st->unit.engine_class));
		fprintf(out, ",%" PRIu64 ",", st->busy_ps);
		csv_dec(out, ratio(st->busy_ps, window_ps), 6);
		fprintf(out, ",%" PRIu64 ",%" PRIu64 ",", st->idle_ps, st->dma_bytes);
		csv_dec(out, ratio(st->dma_bytes, st->busy_ps) * 1e12, 0);
		fputc(',', out);
		csv_dec(out, ratio(st->dma_bytes, window_ps) * 1e12, 0);
		fprintf(out, ",%" PRIu64 "\n", st->transfers);
	}
}

static void write_queues(const struct prf_report *rep, FILE *out)
{
	uint64_t window_ps = prf_report_window_ps(rep);
	size_t i;

	fputs("id,name,kind,busy_ps,busy_fraction,fence_wait_ps,fence_wait_fraction,"
	      "barrier_wait_ps,timed_wait_ps,idle_ps,jobs,packets\n", out);
	for (i = 0; i < rep->num_units; i++) {
		const struct prf_unit_stats *st = &rep->units[i];

		if (st->unit.kind != HLSIM_UNIT_QUEUE && st->unit.kind != HLSIM_UNIT_LOWER_CP)
			continue;
		fprintf(out, "%" PRIu32 ",", st->unit.id);
		csv_str(out, st->unit.name, sizeof(st->unit.name));
		fprintf(out, ",%s,%" PRIu64 ",", prf_unit_kind_name(st->unit.kind), st->busy_ps);
		csv_dec(out, ratio(st->busy_ps, window_ps), 6);
		fprintf(out, ",%" PRIu64 ",", st->fence_wait_ps);
		csv_dec(out, ratio(st->fence_wait_ps, window_ps), 6);
		fprintf(out, ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",",
			st->barrier_wait_ps, st->timed_wait_ps, st->idle_ps, st->jobs);
		if (rep->whole_run && st->have_counters)
			fprintf(out, "%" PRIu64, st->counters.packets);
		fputc('\n', out);
	}
}

static void write_paths(const struct prf_report *rep, FILE *out)
{
	uint64_t window_ps = prf_report_window_ps(rep);
	int s, d;

	fputs("src,dst,moved_bytes,transfers,busy_ps,busy_fraction,busy_rate_bytes_per_s\n",
	      out);
	for (s = 0; s < MDL_MEM_KIND_COUNT_; s++) {
		for (d = 0; d < MDL_MEM_KIND_COUNT_; d++) {
			const struct prf_path_stats *p = &rep->paths[s][d];

			if (!p->transfers)
				continue;
			fprintf(out, "%s,%s,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",",
				mdl_mem_kind_name((enum mdl_mem_kind)s),
				mdl_mem_kind_name((enum mdl_mem_kind)d), p->bytes, p->transfers,
				p->busy_ps);
			csv_dec(out, ratio(p->busy_ps, window_ps), 6);
			fputc(',', out);
			csv_dec(out, ratio(p->bytes, p->busy_ps) * 1e12, 0);
			fputc('\n', out);
		}
	}
}

static void write_top(const struct prf_report *rep, FILE *out)
{
	const struct prf_launches *l = &rep->launches;
	size_t i;

	fputs("rank,unit,unit_name,engine_class,start_ps,duration_ps,bytes,flops,flops_per_s,"
	      "bytes_per_s,cs_seq,job,kernel\n", out);
	for (i = 0; i < l->num_top; i++) {
		const struct hlsim_rec *r = &l->top[i].rec;
		const struct prf_unit_stats *st = &rep->units[r->unit];
		uint64_t dur_ps = r->end_ps - r->start_ps;

		fprintf(out, "%zu,%" PRIu32 ",", i + 1, r->unit);
		csv_str(out, st->unit.name, sizeof(st->unit.name));
		fputc(',', out);
		csv_str(out, st->unit.engine_class, sizeof(st->unit.engine_class));
		fprintf(out, ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",", r->start_ps,
			dur_ps, r->bytes, r->flops);
		csv_dec(out, ratio(r->flops, dur_ps) * 1e12, 0);
		fputc(',', out);
		csv_dec(out, ratio(r->bytes, dur_ps) * 1e12, 0);
		fprintf(out, ",%" PRIu64 ",%" PRIu32 ",", r->cs_seq, r->job);
		csv_str(out, l->top[i].kernel, sizeof(l->top[i].kernel));
		fputc('\n', out);
	}
}

static void write_kernels(const struct prf_report *rep, FILE *out)
{
	const struct prf_launches *l = &rep->launches;
	size_t i;

	fputs("kernel,engine_class,launches,total_ps,flops,bytes,flops_per_s\n", out);
	for (i = 0; i < l->num_kernels; i++) {
		const struct prf_kernel_stats *k = &l->kernels[i];

		csv_str(out, k->kernel, sizeof(k->kernel));
		fputc(',', out);
		csv_str(out, k->engine_class, sizeof(k->engine_class));
		fprintf(out, ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",", k->launches,
			k->total_ps, k->flops, k->bytes);
		csv_dec(out, ratio(k->flops, k->total_ps) * 1e12, 0);
		fputc('\n', out);
	}
}

typedef void (*csv_fn)(const struct prf_report *rep, FILE *out);
typedef hlsim_err_t (*csv_fn_rc)(const struct prf_report *rep, FILE *out);

/* stalls.csv: the per (queue, producer, SOB) rows of the text report's stall attribution. */
static hlsim_err_t write_stalls(const struct prf_report *rep, FILE *out)
{
	const struct prf_stall_row **rows;
	char sob[32];
	hlsim_err_t rc;
	size_t i;

	rows = prf_stalls_sorted(&rep->stalls, &rc);
	if (rc)
		return rc;
	fputs("queue,queue_name,producer,producer_name,producer_device,sob,waits,blocked_ps,"
	      "share\n", out);
	for (i = 0; i < rep->stalls.n; i++) {
		const struct prf_stall_row *r = rows[i];
		const char *qn = r->queue < rep->num_units ? rep->units[r->queue].unit.name : "";
		const struct hlsim_unit *p =
			r->producer < rep->num_units ? &rep->units[r->producer].unit : NULL;

		fprintf(out, "%" PRIu32 ",", r->queue);
		csv_str(out, qn, 32);
		fprintf(out, ",%" PRIu32 ",", r->producer);
		csv_str(out, p ? p->name : "", 32);
		fprintf(out, ",%" PRIu32 ",%s,%" PRIu64 ",%" PRIu64 ",", p ? p->device : 0,
			prf_sob_name(sob, sizeof(sob), r->sob), r->waits, r->blocked_ps);
		csv_dec(out, ratio(r->blocked_ps, r->queue < rep->num_units ?
				   rep->units[r->queue].fence_wait_ps : 0), 6);
		fputc('\n', out);
	}
	free((void *)rows);
	return HLSIM_OK;
}

/* critical_path.csv: the path time per unit (only units with time on it). */
static hlsim_err_t write_critpath(const struct prf_report *rep, FILE *out)
{
	const struct prf_critpath *cp = &rep->crit;
	size_t i;

	fputs("unit,name,device,kind,engine_class,time_ps,share\n", out);
	for (i = 0; cp->unit_ps && i < cp->num_units && i < rep->num_units; i++) {
		const struct hlsim_unit *u = &rep->units[i].unit;

		if (!cp->unit_ps[i])
			continue;
		fprintf(out, "%" PRIu32 ",", u->id);
		csv_str(out, u->name, sizeof(u->name));
		fprintf(out, ",%" PRIu32 ",%s,", u->device, prf_unit_kind_name(u->kind));
		csv_str(out, u->engine_class, sizeof(u->engine_class));
		fprintf(out, ",%" PRIu64 ",", cp->unit_ps[i]);
		csv_dec(out, ratio(cp->unit_ps[i], cp->total_ps), 6);
		fputc('\n', out);
	}
	return HLSIM_OK;
}

static hlsim_err_t write_one(const struct prf_report *rep, const char *dir, const char *name,
			     csv_fn fn, csv_fn_rc fn_rc)
{
	hlsim_err_t rc = HLSIM_OK;
	char path[CSV_PATH_BYTES];
	FILE *f;

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return hlsim_error(HLSIM_E_INVAL, "CSV folder name too long: %s", dir);
	f = fopen(path, "w");
	if (!f)
		return hlsim_error(HLSIM_E_IO, "%s: cannot create: %s", path, strerror(errno));
	if (fn)
		fn(rep, f);
	else
		rc = fn_rc(rep, f);
	if (rc) {
		fclose(f);
		return hlsim_error_prefix(rc, "%s: ", path);
	}
	if (ferror(f)) {
		fclose(f);
		return hlsim_error(HLSIM_E_IO, "%s: write failed", path);
	}
	if (fclose(f) != 0)
		return hlsim_error(HLSIM_E_IO, "%s: write failed: %s", path, strerror(errno));
	return HLSIM_OK;
}

hlsim_err_t prf_report_write_csv(const struct prf_report *rep, const char *dir)
{
	static const struct {
		const char *name;
		csv_fn fn;
		csv_fn_rc fn_rc;
	} files[] = {
		{ "engines.csv", write_engines, NULL },	  { "queues.csv", write_queues, NULL },
		{ "dma_paths.csv", write_paths, NULL },	  { "top_launches.csv", write_top, NULL },
		{ "kernels.csv", write_kernels, NULL },	  { "stalls.csv", NULL, write_stalls },
		{ "critical_path.csv", NULL, write_critpath },
	};
	struct stat sb;
	hlsim_err_t rc;
	size_t i;

	if (!rep || !dir || !dir[0])
		return hlsim_error(HLSIM_E_INVAL, "report: a CSV folder is required");
	if (mkdir(dir, 0777) != 0 && errno != EEXIST)
		return hlsim_error(HLSIM_E_IO, "%s: cannot create the CSV folder: %s", dir,
				   strerror(errno));
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return hlsim_error(HLSIM_E_IO, "%s: exists but is not a folder", dir);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		rc = write_one(rep, dir, files[i].name, files[i].fn, files[i].fn_rc);
		if (rc)
			return rc;
	}
	return HLSIM_OK;
}
