/*
 * profiler/runplots.c - the plots of one run beside the timeline (prf_runplots.h):
 * utilisation stacked bars, bandwidth over time per memory path, roofline of the launches.
 *
 * Bandwidth: a record's bytes are spread evenly over its duration (clipped to the window).
 * The buckets it covers only in part get their share directly; the run of buckets it
 * covers whole gets its rate (bytes per ps) through a difference array, so a record costs
 * O(1) however long it is. DMA records are series by (source, destination) memory kind
 * (the aux field); LAUNCH records by the engine class of their unit (tpc, mme, other),
 * with the bytes the launch moved to and from memory.
 *
 * Roofline: each LAUNCH with FLOPs, bytes and a duration is a point (FLOPs / bytes,
 * FLOPs / duration) binned into a log-log grid; the roofs are one engine's peak:
 *   MME: 2 x mme.array_rows x mme.array_cols x mme.clock (bf16, MODEL.md "MME")
 *   TPC: 2 x (tpc.vector_bytes / 2) x tpc.clock -- [I] inferred: one multiply-add per
 *        bf16 lane per cycle, the rate a FLOPs-only cost hint is charged at (tpc.c)
 * and the memory roof hbm.bandwidth x intensity (one engine may use all of HBM).
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hlsim/config.h"
#include "profiler/prf_runplots.h"

#define PATH_BYTES 4096

/* The LAUNCH series of an engine class name. */
static uint8_t class_index(const char *cls, size_t cap)
{
	if (!strncmp(cls, "tpc", cap))
		return 0;
	if (!strncmp(cls, "mme", cap))
		return 1;
	return 2;
}

static const char *const class_names[PRF_BW_LAUNCH_SERIES] = { "tpc", "mme", "other" };

/* The roofline peaks, from @ini (the resolved configuration), as the advice rules read them. */
static void load_peaks(struct prf_runplots *p, const char *ini)
{
	struct prf_advice_config c;

	prf_advice_config_load(&c, ini);
	if (!c.have_config)
		return;
	p->tpc_peak_flops_per_s = c.tpc_peak_flops_per_s;
	p->mme_peak_flops_per_s = c.mme_peak_flops_per_s;
	p->hbm_bytes_per_s = c.hbm_bytes_per_s;
	p->have_peaks = p->tpc_peak_flops_per_s > 0 && p->mme_peak_flops_per_s > 0 &&
			p->hbm_bytes_per_s > 0;
}

hlsim_err_t prf_runplots_init(struct prf_runplots *p, const struct prf_report *rep,
			      const char *config_ini)
{
	uint64_t window_ps;
	size_t i;

	memset(p, 0, sizeof(*p));
	p->window_start_ps = rep->window_start_ps;
	p->window_end_ps = rep->window_end_ps;
	window_ps = prf_report_window_ps(rep);
	p->bucket_ps = (window_ps + PRF_BW_BUCKETS - 1) / PRF_BW_BUCKETS;
	if (!p->bucket_ps)
		p->bucket_ps = 1;
	p->num_units = rep->num_units;
	p->unit_class = calloc(rep->num_units ? rep->num_units : 1, 1);
	p->roof = calloc(PRF_ROOF_SLOTS, sizeof(*p->roof));
	if (!p->unit_class || !p->roof) {
		prf_runplots_free(p);
		return hlsim_error(HLSIM_E_NOMEM, "profiler: no memory for the plot data");
	}
	for (i = 0; i < rep->num_units; i++)
		p->unit_class[i] = class_index(rep->units[i].unit.engine_class,
					       sizeof(rep->units[i].unit.engine_class));
	if (config_ini)
		load_peaks(p, config_ini);
	return HLSIM_OK;
}

void prf_runplots_free(struct prf_runplots *p)
{
	free(p->unit_class);
	free(p->roof);
	p->unit_class = NULL;
	p->roof = NULL;
}

/* Spread @bytes of [@s, @e) (already clipped, @s < @e) over the buckets of series @k. */
static void add_bytes(struct prf_runplots *p, size_t k, uint64_t s, uint64_t e, uint64_t bytes)
{
	uint64_t off_s = s - p->window_start_ps, off_e = e - p->window_start_ps;
	uint64_t b0 = off_s / p->bucket_ps, b1 = (off_e - 1) / p->bucket_ps;
	double rate = (double)bytes / (double)(e - s);

	if (b1 >= PRF_BW_BUCKETS)
		b1 = PRF_BW_BUCKETS - 1;
	if (b0 > b1)
		b0 = b1;
	p->series_bytes[k] += (double)bytes;
	if (b0 == b1) {
		p->bytes[k][b0] += (double)bytes;
		return;
	}
	/* the first and last buckets in part, those between whole */
	p->bytes[k][b0] += rate * (double)((b0 + 1) * p->bucket_ps - off_s);
	p->bytes[k][b1] += rate * (double)(off_e - b1 * p->bucket_ps);
	if (b1 > b0 + 1) {
		p->rate_diff[k][b0 + 1] += rate;
		p->rate_diff[k][b1] -= rate;
	}
}

/* Put one launch into the roofline grid. */
static void add_roof(struct prf_runplots *p, uint8_t cls, const struct hlsim_rec *r)
{
	double ai, perf, lai, lperf;
	int32_t abin, pbin;
	uint64_t h;
	size_t slot;

	if (!r->flops || !r->bytes || r->end_ps <= r->start_ps) {
		p->roof_skipped++;
		return;
	}
	ai = (double)r->flops / (double)r->bytes;
	perf = (double)r->flops / ((double)(r->end_ps - r->start_ps) * 1e-12);
	lai = log10(ai);
	lperf = log10(perf);
	abin = (int32_t)floor(lai * PRF_ROOF_CELLS_PER_DECADE);
	pbin = (int32_t)floor(lperf * PRF_ROOF_CELLS_PER_DECADE);
	h = ((uint64_t)(uint32_t)abin * 0x9E3779B97F4A7C15ull) ^
	    ((uint64_t)(uint32_t)pbin * 0xC2B2AE3D27D4EB4Full) ^ cls;
	slot = (size_t)(h ^ (h >> 29)) & (PRF_ROOF_SLOTS - 1);
	for (;;) {
		struct prf_roof_cell *c = &p->roof[slot];

		if (!c->used) {
			if (p->num_cells >= PRF_ROOF_MAX_CELLS) {
				p->roof_dropped++;
				return;
			}
			c->used = 1;
			c->cls = cls;
			c->ai_bin = abin;
			c->perf_bin = pbin;
			p->num_cells++;
		}
		if (c->cls == cls && c->ai_bin == abin && c->perf_bin == pbin) {
			c->count++;
			c->sum_log_ai += lai;
			c->sum_log_perf += lperf;
			return;
		}
		slot = (slot + 1) & (PRF_ROOF_SLOTS - 1);
	}
}

hlsim_err_t prf_runplots_add(struct prf_runplots *p, const struct hlsim_rec *recs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct hlsim_rec *r = &recs[i];
		uint64_t s = r->start_ps, e = r->end_ps;
		size_t k;

		if (r->kind != HLSIM_REC_DMA && r->kind != HLSIM_REC_LAUNCH)
			continue;
		if (e <= p->window_start_ps || s >= p->window_end_ps || r->unit >= p->num_units)
			continue;
		if (r->kind == HLSIM_REC_LAUNCH) {
			p->launches++;
			add_roof(p, p->unit_class[r->unit], r);
			k = MDL_MEM_KIND_COUNT_ * MDL_MEM_KIND_COUNT_ + p->unit_class[r->unit];
		} else {
			unsigned int src = r->aux >> 8, dst = r->aux & 0xff;

			if (src >= MDL_MEM_KIND_COUNT_ || dst >= MDL_MEM_KIND_COUNT_)
				continue; /* prf_report_add has refused it already */
			k = src * MDL_MEM_KIND_COUNT_ + dst;
		}
		if (!r->bytes || e <= s)
			continue;
		/* the bytes inside the window, in proportion to the time inside it */
		{
			uint64_t cs = s < p->window_start_ps ? p->window_start_ps : s;
			uint64_t ce = e > p->window_end_ps ? p->window_end_ps : e;
			double part = (double)r->bytes * (double)(ce - cs) / (double)(e - s);

			add_bytes(p, k, cs, ce, (uint64_t)llround(part));
		}
	}
	return HLSIM_OK;
}

/* A gnuplot string: double quotes and backslashes replaced. */
static void dat_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++)
		fputc(*s == '"' || *s == '\\' ? '\'' : *s, f);
	fputc('"', f);
}

/* "trace (config): what" as the plot title. */
static void title(FILE *f, const struct prf_report *rep, const char *what)
{
	char buf[800], a[40], b[40];
	const char *t = strrchr(rep->run.trace_path, '/');

	snprintf(buf, sizeof(buf), "%s - %s, %s (%s .. %s us)", what,
		 t ? t + 1 : rep->run.trace_path, rep->run.config_name,
		 prf_fmt_ps_us(a, sizeof(a), rep->window_start_ps),
		 prf_fmt_ps_us(b, sizeof(b), rep->window_end_ps));
	dat_str(f, buf);
}

hlsim_err_t prf_runplots_write_utilisation(const struct prf_report *rep, FILE *out)
{
	double w = (double)prf_report_window_ps(rep);
	size_t i, rows = 0;

	for (i = 0; i < rep->num_units; i++)
		rows += rep->units[i].records != 0;
	fprintf(out, "# utilisation.dat - hlsim: share of the window per unit (plots/"
		     "utilisation.gp)\n# block 0: \"title\" rows\n# block 1: row \"unit\" "
		     "busy_pct fence_pct barrier_pct idle_pct\n");
	title(out, rep, "Utilisation per unit");
	fprintf(out, " %zu\n\n\n", rows);
	rows = 0;
	for (i = 0; i < rep->num_units && w > 0; i++) {
		const struct prf_unit_stats *u = &rep->units[i];
		double fence, barrier;

		if (!u->records)
			continue;
		fence = (double)u->fence_wait_ps;
		barrier = u->wait_ps > u->fence_wait_ps ? (double)(u->wait_ps - u->fence_wait_ps)
							: 0.0;
		fprintf(out, "%zu ", rows++);
		dat_str(out, u->unit.name);
		fprintf(out, " %.4f %.4f %.4f %.4f\n", 100.0 * (double)u->busy_ps / w,
			100.0 * fence / w, 100.0 * barrier / w, 100.0 * (double)u->idle_ps / w);
	}
	if (!rows)
		fprintf(out, "# no unit has a record in the window\n");
	return HLSIM_OK;
}

/* The name of bandwidth series @k: "HBM->SRAM", "tpc launches". */
static void series_name(size_t k, char *buf, size_t cap)
{
	if (k < MDL_MEM_KIND_COUNT_ * MDL_MEM_KIND_COUNT_)
		snprintf(buf, cap, "DMA %s->%s",
			 mdl_mem_kind_name((enum mdl_mem_kind)(k / MDL_MEM_KIND_COUNT_)),
			 mdl_mem_kind_name((enum mdl_mem_kind)(k % MDL_MEM_KIND_COUNT_)));
	else
		snprintf(buf, cap, "%s launches (memory traffic)",
			 class_names[k - MDL_MEM_KIND_COUNT_ * MDL_MEM_KIND_COUNT_]);
}

hlsim_err_t prf_runplots_write_bandwidth(const struct prf_runplots *p, const struct prf_report *rep,
					 FILE *out)
{
	size_t k, b, ns = 0, col[PRF_BW_SERIES];
	double rate[PRF_BW_SERIES] = { 0 };
	char a[40], e[40], name[96];

	for (k = 0; k < PRF_BW_SERIES; k++)
		if (p->series_bytes[k] > 0)
			col[ns++] = k;
	fprintf(out, "# bandwidth.dat - hlsim: bytes moved per %s us bucket, per memory path "
		     "(plots/bandwidth.gp)\n# block 0: \"title\" start_us end_us series\n"
		     "# block 1: series \"name\"\n# block 2: mid_us then GB/s per series\n",
		prf_fmt_ps_us(a, sizeof(a), p->bucket_ps));
	title(out, rep, "Bandwidth per memory path");
	fprintf(out, " %s %s %zu\n\n\n", prf_fmt_ps_us(a, sizeof(a), p->window_start_ps),
		prf_fmt_ps_us(e, sizeof(e), p->window_end_ps), ns);
	for (k = 0; k < ns; k++) {
		series_name(col[k], name, sizeof(name));
		fprintf(out, "%zu ", k);
		dat_str(out, name);
		fputc('\n', out);
	}
	if (!ns)
		fprintf(out, "# no DMA or launch traffic in the window\n");
	fprintf(out, "\n\n");
	for (b = 0; b < PRF_BW_BUCKETS; b++) {
		uint64_t s = p->window_start_ps + b * p->bucket_ps;
		double len_ps;

		if (s >= p->window_end_ps)
			break;
		len_ps = (double)((s + p->bucket_ps > p->window_end_ps ? p->window_end_ps - s
									: p->bucket_ps));
		fprintf(out, "%.6f", ((double)s + len_ps / 2) * 1e-6);
		for (k = 0; k < PRF_BW_SERIES; k++)
			rate[k] += p->rate_diff[k][b];
		for (k = 0; k < ns; k++) {
			double bytes = p->bytes[col[k]][b] + rate[col[k]] * (double)p->bucket_ps;

			fprintf(out, " %.6f", bytes / (len_ps * 1e-12) / 1e9);
		}
		fputc('\n', out);
	}
	return HLSIM_OK;
}

static int cell_cmp(const void *x, const void *y)
{
	const struct prf_roof_cell *a = x, *b = y;

	if (a->cls != b->cls)
		return a->cls < b->cls ? -1 : 1;
	if (a->ai_bin != b->ai_bin)
		return a->ai_bin < b->ai_bin ? -1 : 1;
	if (a->perf_bin != b->perf_bin)
		return a->perf_bin < b->perf_bin ? -1 : 1;
	return 0;
}

hlsim_err_t prf_runplots_write_roofline(const struct prf_runplots *p, const struct prf_report *rep,
					FILE *out)
{
	struct prf_roof_cell *cells;
	char what[160];
	size_t i, n = 0;

	cells = malloc((p->num_cells ? p->num_cells : 1) * sizeof(*cells));
	if (!cells)
		return hlsim_error(HLSIM_E_NOMEM, "profiler: no memory for the roofline");
	for (i = 0; i < PRF_ROOF_SLOTS; i++)
		if (p->roof[i].used)
			cells[n++] = p->roof[i];
	qsort(cells, n, sizeof(*cells), cell_cmp);
	fprintf(out, "# roofline.dat - hlsim: achieved FLOP/s of the launches against FLOPs per "
		     "byte (plots/roofline.gp)\n# block 0: \"title\" have_peaks "
		     "tpc_peak_flops_per_s mme_peak_flops_per_s hbm_bytes_per_s points\n"
		     "# block 1: class \"class\" "
		     "flops_per_byte flops_per_s launches (one point per grid cell of 1/%d "
		     "decade)\n# %" PRIu64 " launches in the window, %" PRIu64 " without FLOPs, "
		     "bytes or duration, %" PRIu64 " beyond the cell bound\n",
		PRF_ROOF_CELLS_PER_DECADE, p->launches, p->roof_skipped, p->roof_dropped);
	if (p->roof_dropped)
		snprintf(what, sizeof(what), "Roofline of %" PRIu64 " launches (%" PRIu64
			 " not drawn: cell bound)", p->launches - p->roof_skipped,
			 p->roof_dropped);
	else
		snprintf(what, sizeof(what), "Roofline of %" PRIu64 " launches",
			 p->launches - p->roof_skipped);
	title(out, rep, what);
	fprintf(out, " %d %.6g %.6g %.6g %zu\n\n\n", p->have_peaks, p->tpc_peak_flops_per_s,
		p->mme_peak_flops_per_s, p->hbm_bytes_per_s, n);
	for (i = 0; i < n; i++)
		fprintf(out, "%u \"%s\" %.6g %.6g %" PRIu64 "\n", cells[i].cls,
			class_names[cells[i].cls],
			pow(10.0, cells[i].sum_log_ai / (double)cells[i].count),
			pow(10.0, cells[i].sum_log_perf / (double)cells[i].count), cells[i].count);
	if (!n)
		fprintf(out, "# no launch with FLOPs in the window\n");
	free(cells);
	return HLSIM_OK;
}

/* Write @dir/@name.dat with @which, then draw it. */
static hlsim_err_t one_plot(const struct prf_runplots *p, const struct prf_report *rep,
			    const char *dir, const char *plots_dir, const char *name, int which)
{
	char data[PATH_BYTES], out[PATH_BYTES], script[PATH_BYTES];
	hlsim_err_t rc;
	FILE *f;

	if ((size_t)snprintf(data, sizeof(data), "%s/%s.dat", dir, name) >= sizeof(data))
		return hlsim_error(HLSIM_E_INVAL, "output folder name too long: %s", dir);
	f = fopen(data, "w");
	if (!f)
		return hlsim_error(HLSIM_E_IO, "%s: cannot create: %s", data, strerror(errno));
	if (which == 0)
		rc = prf_runplots_write_utilisation(rep, f);
	else if (which == 1)
		rc = prf_runplots_write_bandwidth(p, rep, f);
	else
		rc = prf_runplots_write_roofline(p, rep, f);
	if (ferror(f) && !rc)
		rc = hlsim_error(HLSIM_E_IO, "%s: write failed", data);
	if (fclose(f) && !rc)
		rc = hlsim_error(HLSIM_E_IO, "%s: write failed: %s", data, strerror(errno));
	if (rc || !plots_dir)
		return rc;
	if ((size_t)snprintf(script, sizeof(script), "%s/%s.gp", plots_dir, name) >=
	    sizeof(script))
		return hlsim_error(HLSIM_E_INVAL, "plots folder name too long: %s", plots_dir);
	snprintf(out, sizeof(out), "%s/%s.png", dir, name);
	rc = prf_plot_run(script, data, out);
	if (!rc) {
		snprintf(out, sizeof(out), "%s/%s.svg", dir, name);
		rc = prf_plot_run(script, data, out);
	}
	return rc;
}

hlsim_err_t prf_runplots_write_all(const struct prf_runplots *p, const struct prf_report *rep,
				   const char *out_dir, const char *plots_dir)
{
	hlsim_err_t rc;

	rc = one_plot(p, rep, out_dir, plots_dir, "utilisation", 0);
	if (!rc)
		rc = one_plot(p, rep, out_dir, plots_dir, "bandwidth", 1);
	if (!rc)
		rc = one_plot(p, rep, out_dir, plots_dir, "roofline", 2);
	return rc;
}
