/*
 * profiler/sweep_table.c - the table of a sweep: one row per point, computed from each
 * point's results.h5 with the results API and the profiler's report, written as
 * DIR/sweep.csv and DIR/sweep.h5 (through traces/sweep_h5.c).
 *
 * Columns: point, one per varied key (canonical value), status, error, simulated_ps,
 * dma_busy, tpc_busy, mme_busy (mean over the engines of the class of busy / simulated
 * time; empty / NaN when the chip has no engine of the class), bytes (moved by DMA
 * transfers), tflops (sum of LAUNCH flops / simulated time) and bottleneck (the busiest
 * engine, as in the report), then hbm_bytes_per_s, sram_bytes_per_s and pcie_bytes_per_s:
 * the bytes that memory moved over the simulated time, all devices together. A DMA
 * record counts its bytes once for each side in that memory (an hbm -> hbm copy reads and
 * writes HBM: twice; a side in host memory crosses PCIe); a LAUNCH counts the bytes of its
 * /launch_traffic row (hbm_bytes, sram_bytes, host_read_bytes + host_write_bytes; results
 * 1.1; a 1.0 file has none, so there launches add nothing). Numeric fields of a failed
 * point are empty in the CSV and 0 / NaN in the HDF5 table.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "profiler/prf.h"
#include "profiler/prf_sweep.h"
#include "profiler/sweep_int.h"
#include "traces/trc_sweep.h"

#define PATH_BYTES 4096
#define READ_ROWS 65536

static const char *const engine_classes[3] = { "dma", "tpc", "mme" };

/* One point's row, before packing into the HDF5 row layout. */
struct row {
	int ok;
	char error[PRF_SWEEP_ERROR_BYTES];
	uint64_t simulated_ps, bytes;
	double busy[3]; /* NaN: no engine of the class */
	double tflops;
	char bottleneck[32];
	double mem_bps[3]; /* bytes per second: HBM, SRAM, PCIe */
};

static const char *const mem_columns[3] = { "hbm_bytes_per_s", "sram_bytes_per_s",
					    "pcie_bytes_per_s" };

/* The mem_bps index of memory kind @kind: 0 HBM, 1 SRAM, 2 host (PCIe); -1 for others. */
static int mem_index(unsigned int kind)
{
	switch (kind) {
	case MDL_MEM_HBM:
		return 0;
	case MDL_MEM_SRAM:
		return 1;
	case MDL_MEM_HOST:
		return 2;
	default:
		return -1;
	}
}

/* Add the /launch_traffic bytes of @res to @mem (HBM, SRAM, PCIe), streaming. */
static hlsim_err_t add_launch_traffic(hlsim_results_t *res, const char *path, uint64_t *mem)
{
	uint64_t n = hlsim_results_num_launch_traffic(res), first = 0;
	struct hlsim_launch_traffic *lt;
	hlsim_err_t rc = HLSIM_OK;
	size_t got, i;

	if (!n)
		return HLSIM_OK;
	lt = malloc(READ_ROWS * sizeof(*lt));
	if (!lt)
		return hlsim_error(HLSIM_E_NOMEM, "%s: no memory", path);
	while (first < n) {
		rc = hlsim_results_read_launch_traffic(res, first, lt, READ_ROWS, &got);
		if (rc)
			break;
		if (!got) {
			rc = hlsim_error(HLSIM_E_TRACE_FORMAT, "%s: /launch_traffic row %" PRIu64
					 " of %" PRIu64 " cannot be read", path, first, n);
			break;
		}
		for (i = 0; i < got; i++) {
			mem[0] += lt[i].hbm_bytes;
			mem[1] += lt[i].sram_bytes;
			mem[2] += lt[i].host_read_bytes + lt[i].host_write_bytes;
		}
		first += got;
	}
	free(lt);
	return rc;
}

/* Fill @r (status ok) from @path, or fail with the reason. */
static hlsim_err_t read_point(const char *path, struct row *r)
{
	const struct hlsim_counters **counters = NULL;
	const struct hlsim_run_info *info;
	struct hlsim_unit *units = NULL;
	struct hlsim_rec *buf = NULL;
	struct prf_report rep;
	struct prf_bottleneck bn;
	hlsim_results_t *res = NULL;
	uint64_t first = 0, flops = 0, window, busy_sum[3] = { 0 }, count[3] = { 0 };
	uint64_t mem[3] = { 0 };
	size_t nu, i, got, k;
	hlsim_err_t rc;

	memset(&rep, 0, sizeof(rep));
	rc = hlsim_results_open(path, &res);
	if (rc)
		return rc;
	info = hlsim_results_run_info(res);
	nu = hlsim_results_num_units(res);
	if (!info) {
		rc = hlsim_error(HLSIM_E_TRACE_FORMAT, "%s: no run info", path);
		goto out;
	}
	units = calloc(nu ? nu : 1, sizeof(*units));
	counters = calloc(nu ? nu : 1, sizeof(*counters));
	buf = malloc(READ_ROWS * sizeof(*buf));
	if (!units || !counters || !buf) {
		rc = hlsim_error(HLSIM_E_NOMEM, "%s: no memory", path);
		goto out;
	}
	for (i = 0; i < nu; i++) {
		const struct hlsim_unit *u = hlsim_results_unit(res, i);

		if (!u) {
			rc = hlsim_error(HLSIM_E_TRACE_FORMAT, "%s: unit %zu unreadable", path, i);
			goto out;
		}
		units[i] = *u;
		counters[i] = hlsim_results_counters(res, i);
	}
	rc = prf_report_init(&rep, info, units, counters, nu, 0, 0);
	if (rc)
		goto out;
	for (;;) {
		rc = hlsim_results_read(res, first, buf, READ_ROWS, &got);
		if (rc || !got)
			break;
		for (i = 0; i < got; i++) {
			int a, b;

			if (buf[i].kind == HLSIM_REC_LAUNCH)
				flops += buf[i].flops;
			if (buf[i].kind != HLSIM_REC_DMA)
				continue;
			a = mem_index(buf[i].aux >> 8);
			b = mem_index(buf[i].aux & 0xff);
			if (a >= 0)
				mem[a] += buf[i].bytes;
			if (b >= 0)
				mem[b] += buf[i].bytes;
		}
		rc = prf_report_add(&rep, buf, got);
		if (rc)
			break;
		first += got;
	}
	if (!rc)
		rc = prf_report_finish(&rep);
	if (rc) {
		hlsim_error_prefix(rc, "%s: ", path);
		goto out;
	}
	rc = add_launch_traffic(res, path, mem);
	if (rc)
		goto out;
	window = prf_report_window_ps(&rep);
	r->ok = 1;
	r->simulated_ps = info->simulated_time_ps;
	r->bytes = 0;
	for (i = 0; i < rep.num_units; i++) {
		const struct prf_unit_stats *us = &rep.units[i];

		r->bytes += us->dma_bytes;
		if (us->unit.kind != HLSIM_UNIT_ENGINE)
			continue;
		for (k = 0; k < 3; k++) {
			if (!strncmp(us->unit.engine_class, engine_classes[k],
				     sizeof(us->unit.engine_class))) {
				busy_sum[k] += us->busy_ps;
				count[k]++;
			}
		}
	}
	for (k = 0; k < 3; k++)
		r->busy[k] = count[k] && window ?
				     (double)busy_sum[k] / (double)window / (double)count[k] :
				     NAN;
	/* flops per picosecond = 1e12 flops per second = TFLOPS */
	r->tflops = r->simulated_ps ? (double)flops / (double)r->simulated_ps : 0.0;
	for (k = 0; k < 3; k++)
		r->mem_bps[k] = r->simulated_ps ? (double)mem[k] * 1e12 / (double)r->simulated_ps
						: 0.0;
	prf_report_bottleneck(&rep, &bn);
	r->bottleneck[0] = '\0';
	if (bn.engine >= 0 && (size_t)bn.engine < rep.num_units)
		snprintf(r->bottleneck, sizeof(r->bottleneck), "%.*s",
			 (int)sizeof(rep.units[bn.engine].unit.name),
			 rep.units[bn.engine].unit.name);
out:
	prf_report_free(&rep);
	free(buf);
	free((void *)counters);
	free(units);
	hlsim_results_close(res);
	return rc;
}

/* @s as one CSV field: quoted (with doubled quotes) when @always or it needs it. */
static void csv_field(FILE *f, const char *s, int always)
{
	if (!always && !strpbrk(s, ",\"\n\r")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void csv_fixed(FILE *f, double v, int decimals)
{
	char b[64];

	fputc(',', f);
	if (isfinite(v) && v >= 0)
		fputs(prf_fmt_fixed(b, sizeof(b), v, decimals), f);
}

/* Layout of one HDF5 row: point, values[axes], status, error, numbers, bottleneck. */
struct layout {
	size_t off_point, off_values, off_status, off_error, off_sim, off_busy, off_bytes,
		off_tflops, off_bottleneck, off_mem, row_bytes;
};

static void make_layout(size_t num_axes, struct layout *l)
{
	size_t o = 0;

	l->off_point = o;
	o += 8;
	l->off_values = o;
	o += num_axes * PRF_SWEEP_VALUE_BYTES;
	l->off_status = o;
	o += 8;
	l->off_error = o;
	o += PRF_SWEEP_ERROR_BYTES;
	o = (o + 7) & ~(size_t)7;
	l->off_sim = o;
	o += 8;
	l->off_busy = o;
	o += 3 * 8;
	l->off_bytes = o;
	o += 8;
	l->off_tflops = o;
	o += 8;
	l->off_bottleneck = o;
	o += 32;
	l->off_mem = o;
	o += 3 * 8;
	l->row_bytes = o;
}

/* Write the HDF5 table of @rows (one per point of the shard, @n of them). */
static hlsim_err_t write_h5(const struct prf_sweep_spec *s, const char *path, const char *spec,
			    const struct row *rows, const uint64_t *points, size_t n)
{
	static const char *const busy_names[3] = { "dma_busy", "tpc_busy", "mme_busy" };
	struct trc_sweep_col cols[PRF_SWEEP_MAX_AXES + 13];
	struct layout l;
	uint8_t *buf;
	size_t nc = 0, i, k;
	hlsim_err_t rc;

	make_layout(s->num_axes, &l);
	cols[nc++] = (struct trc_sweep_col){ "point", TRC_SWEEP_U64, l.off_point, 0,
					     "index in the grid" };
	for (k = 0; k < s->num_axes; k++)
		cols[nc++] = (struct trc_sweep_col){ s->axes[k].key, TRC_SWEEP_STR,
						     l.off_values + k * PRF_SWEEP_VALUE_BYTES,
						     PRF_SWEEP_VALUE_BYTES, "canonical value" };
	cols[nc++] = (struct trc_sweep_col){ "status", TRC_SWEEP_STR, l.off_status, 8,
					     "ok/failed" };
	cols[nc++] = (struct trc_sweep_col){ "error", TRC_SWEEP_STR, l.off_error,
					     PRF_SWEEP_ERROR_BYTES, "last stderr line" };
	cols[nc++] = (struct trc_sweep_col){ "simulated_ps", TRC_SWEEP_U64, l.off_sim, 0, "ps" };
	for (k = 0; k < 3; k++)
		cols[nc++] = (struct trc_sweep_col){ busy_names[k], TRC_SWEEP_F64,
						     l.off_busy + 8 * k, 0, "fraction" };
	cols[nc++] = (struct trc_sweep_col){ "bytes", TRC_SWEEP_U64, l.off_bytes, 0, "bytes" };
	cols[nc++] = (struct trc_sweep_col){ "tflops", TRC_SWEEP_F64, l.off_tflops, 0, "TFLOPS" };
	cols[nc++] = (struct trc_sweep_col){ "bottleneck", TRC_SWEEP_STR, l.off_bottleneck, 32,
					     "busiest engine" };
	for (k = 0; k < 3; k++)
		cols[nc++] = (struct trc_sweep_col){ mem_columns[k], TRC_SWEEP_F64,
						     l.off_mem + 8 * k, 0, "bytes/s" };
	buf = calloc(n ? n : 1, l.row_bytes);
	if (!buf)
		return hlsim_error(HLSIM_E_NOMEM, "%s: no memory", path);
	for (i = 0; i < n; i++) {
		uint8_t *row = buf + i * l.row_bytes;
		const struct row *r = &rows[i];
		double nan = NAN;

		memcpy(row + l.off_point, &points[i], 8);
		for (k = 0; k < s->num_axes; k++)
			snprintf((char *)row + l.off_values + k * PRF_SWEEP_VALUE_BYTES,
				 PRF_SWEEP_VALUE_BYTES, "%s",
				 prf_sweep_point_value(s, points[i], k));
		snprintf((char *)row + l.off_status, 8, "%s", r->ok ? "ok" : "failed");
		snprintf((char *)row + l.off_error, PRF_SWEEP_ERROR_BYTES, "%s", r->error);
		memcpy(row + l.off_sim, &r->simulated_ps, 8);
		for (k = 0; k < 3; k++)
			memcpy(row + l.off_busy + 8 * k, r->ok ? &r->busy[k] : &nan, 8);
		memcpy(row + l.off_bytes, &r->bytes, 8);
		memcpy(row + l.off_tflops, r->ok ? &r->tflops : &nan, 8);
		snprintf((char *)row + l.off_bottleneck, 32, "%s", r->bottleneck);
		for (k = 0; k < 3; k++)
			memcpy(row + l.off_mem + 8 * k, r->ok ? &r->mem_bps[k] : &nan, 8);
	}
	rc = trc_sweep_h5_write(path, spec, cols, nc, buf, n, l.row_bytes);
	free(buf);
	return rc;
}

static hlsim_err_t write_csv(const struct prf_sweep_spec *s, const char *path,
			     const struct row *rows, const uint64_t *points, size_t n)
{
	FILE *f = fopen(path, "wb");
	size_t i, k;
	int bad;

	if (!f)
		return hlsim_error(HLSIM_E_IO, "%s: cannot create", path);
	fputs("point", f);
	for (k = 0; k < s->num_axes; k++) {
		fputc(',', f);
		csv_field(f, s->axes[k].key, 0);
	}
	fputs(",status,error,simulated_ps,dma_busy,tpc_busy,mme_busy,bytes,tflops,bottleneck", f);
	for (k = 0; k < 3; k++)
		fprintf(f, ",%s", mem_columns[k]);
	fputc('\n', f);
	for (i = 0; i < n; i++) {
		const struct row *r = &rows[i];

		fprintf(f, "%" PRIu64, points[i]);
		for (k = 0; k < s->num_axes; k++) {
			fputc(',', f);
			csv_field(f, prf_sweep_point_value(s, points[i], k), 0);
		}
		fputs(r->ok ? ",ok," : ",failed,", f);
		csv_field(f, r->error, 1);
		if (r->ok) {
			fprintf(f, ",%" PRIu64, r->simulated_ps);
			for (k = 0; k < 3; k++)
				csv_fixed(f, r->busy[k], 6);
			fprintf(f, ",%" PRIu64, r->bytes);
			csv_fixed(f, r->tflops, 6);
			fputc(',', f);
			csv_field(f, r->bottleneck, 0);
			for (k = 0; k < 3; k++)
				csv_fixed(f, r->mem_bps[k], 0);
		} else {
			fputs(",,,,,,,,,,", f);
		}
		fputc('\n', f);
	}
	bad = ferror(f);
	bad |= fclose(f) != 0;
	if (bad)
		return hlsim_error(HLSIM_E_IO, "%s: write error", path);
	return HLSIM_OK;
}

hlsim_err_t prf_sweep_collect(const struct prf_sweep_spec *s, const char *const *dirs,
			      size_t num_dirs, const char *out_dir, uint64_t shard_index,
			      uint64_t shard_count)
{
	char path[PATH_BYTES], tmp[PATH_BYTES + 8], pdir[PATH_BYTES], *spec = NULL;
	struct row *rows = NULL;
	uint64_t *points = NULL, p;
	size_t n = 0, d;
	hlsim_err_t rc;

	if (!shard_count || shard_index >= shard_count)
		return hlsim_error(HLSIM_E_USAGE, "sweep: bad shard %" PRIu64 "/%" PRIu64,
				   shard_index, shard_count);
	rc = prf_sweep_spec_text(s, &spec);
	if (rc)
		return rc;
	rows = calloc(s->num_points, sizeof(*rows));
	points = calloc(s->num_points, sizeof(*points));
	if (!rows || !points) {
		rc = hlsim_error(HLSIM_E_NOMEM, "sweep: no memory for %" PRIu64 " rows",
				 s->num_points);
		goto out;
	}
	for (p = shard_index; p < s->num_points; p += shard_count) {
		struct prf_sweep_marker m = { 0 };
		struct row *r = &rows[n];

		for (d = 0; d < num_dirs; d++) {
			rc = prf_sweep_marker_read(s, dirs[d], p, &m);
			if (rc)
				goto out;
			if (m.done)
				break;
		}
		if (!m.done) {
			rc = hlsim_error(HLSIM_E_INVAL,
					 "sweep: point %" PRIu64 " has not run: no valid "
					 "points/%05" PRIu64 "/done in %s%s",
					 p, p, dirs[0], num_dirs > 1 ? " or the other dirs" : "");
			goto out;
		}
		points[n] = p;
		if (m.ok) {
			prf_sweep_point_dir(dirs[d], p, pdir, sizeof(pdir));
			if (snprintf(path, sizeof(path), "%s/results.h5", pdir) >=
			    (int)sizeof(path)) {
				rc = hlsim_error(HLSIM_E_IO, "%s: path too long", pdir);
				goto out;
			}
			if (read_point(path, r)) {
				/* record why the results cannot be used; the row says failed */
				memset(r, 0, sizeof(*r));
				snprintf(r->error, sizeof(r->error), "%s",
					 hlsim_last_error_detail());
			}
		} else {
			if (snprintf(r->error, sizeof(r->error), "exit status %d: %s",
				     m.exit_status, m.error) >= (int)sizeof(r->error))
				r->error[sizeof(r->error) - 1] = '\0'; /* kept truncated */
		}
		n++;
	}
	snprintf(path, sizeof(path), "%s/sweep.csv", out_dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	rc = write_csv(s, tmp, rows, points, n);
	if (!rc && rename(tmp, path))
		rc = hlsim_error(HLSIM_E_IO, "%s: cannot rename into place", path);
	if (rc)
		goto out;
	snprintf(path, sizeof(path), "%s/sweep.h5", out_dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	rc = write_h5(s, tmp, spec, rows, points, n);
	if (!rc && rename(tmp, path))
		rc = hlsim_error(HLSIM_E_IO, "%s: cannot rename into place", path);
out:
	free(points);
	free(rows);
	free(spec);
	return rc;
}
