/*
 * profiler/sweep_plot.c - the plot data of a finished sweep: its sweep.csv read back
 * against its spec, axis values placed as numbers (in the unit they are written in) or
 * categories, the Pareto front of time against a cost axis, and the three data files of
 * plots/sweep_lines.gp, plots/sweep_heatmap.gp and plots/sweep_pareto.gp.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/common/config_int.h"
#include "profiler/prf_sweep.h"

#define PATH_BYTES 4096
#define LINE_BYTES 8192
#define LABEL_BYTES 512

static const struct {
	const char *name;
	const char *label; /* the plot's axis label, with its unit */
} metrics[] = {
	[PRF_SWEEP_METRIC_TIME] = { "time", "simulated time [us]" },
	[PRF_SWEEP_METRIC_TFLOPS] = { "tflops", "achieved TFLOPS" },
	[PRF_SWEEP_METRIC_BYTES] = { "bytes", "bytes moved, all engines [MiB]" },
	[PRF_SWEEP_METRIC_DMA_BUSY] = { "dma_busy", "mean DMA engine busy [%]" },
	[PRF_SWEEP_METRIC_TPC_BUSY] = { "tpc_busy", "mean TPC busy [%]" },
	[PRF_SWEEP_METRIC_MME_BUSY] = { "mme_busy", "mean MME busy [%]" },
};

hlsim_err_t prf_sweep_metric_parse(const char *name, enum prf_sweep_metric *m)
{
	size_t i;

	for (i = 0; i < sizeof(metrics) / sizeof(metrics[0]); i++) {
		if (!strcmp(name, metrics[i].name)) {
			*m = (enum prf_sweep_metric)i;
			return HLSIM_OK;
		}
	}
	return hlsim_error(HLSIM_E_USAGE, "--metric %s: expected time, tflops, bytes, dma_busy, "
			   "tpc_busy or mme_busy", name);
}

double prf_sweep_metric_value(const struct prf_sweep_plot_row *r, enum prf_sweep_metric m)
{
	if (!r->ok)
		return NAN;
	switch (m) {
	case PRF_SWEEP_METRIC_TIME:
		return r->time_us;
	case PRF_SWEEP_METRIC_TFLOPS:
		return r->tflops;
	case PRF_SWEEP_METRIC_BYTES:
		return r->bytes / (1024.0 * 1024.0);
	case PRF_SWEEP_METRIC_DMA_BUSY:
	case PRF_SWEEP_METRIC_TPC_BUSY:
	case PRF_SWEEP_METRIC_MME_BUSY:
		return 100.0 * r->busy[m - PRF_SWEEP_METRIC_DMA_BUSY];
	}
	return NAN;
}

/* Split @v into a leading decimal number *@x and its unit text; -1 if it has no number. */
static int split_number(const char *v, double *x, const char **unit)
{
	const char *p = v;
	int digits = 0;

	if (*p == '-' || *p == '+')
		p++;
	while ((*p >= '0' && *p <= '9') || *p == '.') {
		digits += *p != '.';
		p++;
	}
	if (!digits || (p[0] == 'x' && v[0] == '0'))
		return -1; /* no digits, or a hexadecimal number: not a plotted quantity */
	if ((*p == 'e' || *p == 'E') && (p[1] >= '0' && p[1] <= '9')) {
		p++;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	*x = strtod(v, NULL);
	if (!isfinite(*x))
		return -1;
	while (*p == ' ')
		p++;
	*unit = p;
	return 0;
}

/* The value of configuration text @v in SI base units; -1 if it is not numeric. */
static int base_value(enum hlsim_param_type type, const char *v, double *out)
{
	struct mdl_config_value cv;

	if (type == HLSIM_PARAM_BOOL || type == HLSIM_PARAM_STR)
		return -1;
	memset(&cv, 0, sizeof(cv));
	if (mdl_config_parse_value(type, v, NULL, NULL, &cv))
		return -1;
	if (type == HLSIM_PARAM_U64 || type == HLSIM_PARAM_BYTES || type == HLSIM_PARAM_TIME)
		*out = (double)cv.u64;
	else
		*out = cv.f64;
	return 0;
}

void prf_sweep_plot_axis_free(struct prf_sweep_plot_axis *p)
{
	if (!p)
		return;
	free(p->x);
	memset(p, 0, sizeof(*p));
}

hlsim_err_t prf_sweep_plot_axis_init(const struct prf_sweep_axis *a,
				     struct prf_sweep_plot_axis *out)
{
	const char *unit, *unit0 = NULL;
	double ref_base = 0, ref_num = 0, b;
	size_t i, ref = 0;
	int same_unit = 1;

	memset(out, 0, sizeof(*out));
	out->x = calloc(a->num_values ? a->num_values : 1, sizeof(*out->x));
	if (!out->x)
		return hlsim_error(HLSIM_E_NOMEM, "plot: no memory");
	for (i = 0; i < a->num_values && same_unit; i++) {
		if (split_number(a->values[i], &out->x[i], &unit))
			same_unit = 0;
		else if (!unit0)
			unit0 = unit;
		else if (strcmp(unit, unit0))
			same_unit = 0;
	}
	if (same_unit && unit0 && strlen(unit0) < sizeof(out->unit)) {
		out->numeric = 1;
		snprintf(out->unit, sizeof(out->unit), "%s", unit0);
		return HLSIM_OK;
	}
	/* configuration values in several units: all in the unit of the largest */
	for (i = 0; i < a->num_values; i++) {
		if (base_value(a->type, a->values[i], &out->x[i]))
			goto categorical;
		if (!i || out->x[i] > ref_base) {
			ref_base = out->x[i];
			ref = i;
		}
	}
	if (!a->num_values || split_number(a->values[ref], &ref_num, &unit) || !(ref_num > 0) ||
	    !(ref_base > 0) || strlen(unit) >= sizeof(out->unit))
		goto categorical;
	for (i = 0; i < a->num_values; i++) {
		char snap[40];

		b = out->x[i] * (ref_num / ref_base);
		/* 12 significant digits: 500GB/s in TB/s is 0.5, not 0.49999999999999994 */
		snprintf(snap, sizeof(snap), "%.12g", b);
		out->x[i] = strtod(snap, NULL);
	}
	out->numeric = 1;
	snprintf(out->unit, sizeof(out->unit), "%s", unit);
	return HLSIM_OK;
categorical:
	for (i = 0; i < a->num_values; i++)
		out->x[i] = (double)i;
	out->numeric = 0;
	out->unit[0] = '\0';
	return HLSIM_OK;
}

/*
 * Split CSV @line (modified) into at most @max fields; quoted fields lose their quotes
 * and doubled quotes. Returns the count, or -1 for a malformed quote or too many fields.
 */
static int csv_split(char *line, char **fields, int max)
{
	char *r = line, *w;
	int n = 0;

	for (;;) {
		if (n >= max)
			return -1;
		fields[n++] = w = r;
		if (*r == '"') {
			r++;
			for (;;) {
				if (!*r)
					return -1;
				if (*r == '"' && r[1] == '"') {
					*w++ = '"';
					r += 2;
				} else if (*r == '"') {
					r++;
					break;
				} else {
					*w++ = *r++;
				}
			}
			if (*r && *r != ',')
				return -1;
		} else {
			while (*r && *r != ',')
				*w++ = *r++;
		}
		if (!*r) {
			*w = '\0';
			return n;
		}
		*w = '\0';
		r++;
	}
}

/* @text as a non-negative number, or NaN if empty; -1 if it is not a number. */
static int csv_number(const char *text, double *out)
{
	char *end;

	if (!*text) {
		*out = NAN;
		return 0;
	}
	errno = 0;
	*out = strtod(text, &end);
	return (errno || *end || !(*out >= 0)) ? -1 : 0;
}

/* The columns after the axes, in order. */
static const char *const csv_tail[] = {
	"status", "error", "simulated_ps", "dma_busy", "tpc_busy", "mme_busy", "bytes", "tflops",
	"bottleneck", "hbm_bytes_per_s", "sram_bytes_per_s", "pcie_bytes_per_s",
};
#define CSV_TAIL ((int)(sizeof(csv_tail) / sizeof(csv_tail[0])))

/* The header line's fields @f must be point, the axes of @s, then csv_tail. */
static hlsim_err_t csv_header(const struct prf_sweep_spec *s, char **f, const char *path)
{
	int k, naxes = (int)s->num_axes;
	const char *exp;

	for (k = 0; k < 1 + naxes + CSV_TAIL; k++) {
		exp = !k ? "point" : k <= naxes ? s->axes[k - 1].key : csv_tail[k - 1 - naxes];
		if (strcmp(f[k], exp))
			return hlsim_error(HLSIM_E_TRACE_FORMAT, "%s:1: column %d is '%s', "
					   "expected '%s' (a table of another sweep?)", path,
					   k + 1, f[k], exp);
	}
	return HLSIM_OK;
}

/* One data line's fields @f into @rows[point]. */
static hlsim_err_t csv_row(const struct prf_sweep_spec *s, char **f, const char *path,
			  unsigned int lineno, struct prf_sweep_plot_row *rows)
{
	unsigned long long point;
	struct prf_sweep_plot_row *r;
	const char *pv;
	double v[6];
	char *end;
	int k, n;

	errno = 0;
	point = strtoull(f[0], &end, 10);
	if (errno || *end || !f[0][0] || point >= s->num_points)
		return hlsim_error(HLSIM_E_TRACE_FORMAT, "%s:%u: point '%s': expected 0..%llu",
				   path, lineno, f[0], (unsigned long long)s->num_points - 1);
	for (k = 0; k < (int)s->num_axes; k++) {
		pv = prf_sweep_point_value(s, point, (size_t)k);
		if (strcmp(f[1 + k], pv))
			return hlsim_error(HLSIM_E_TRACE_FORMAT, "%s:%u: point %llu has %s=%s, but "
					   "the sweep's spec says %s", path, lineno, point,
					   s->axes[k].key, f[1 + k], pv);
	}
	k = 1 + (int)s->num_axes;
	if (!strcmp(f[k], "failed"))
		return HLSIM_OK;
	if (strcmp(f[k], "ok"))
		return hlsim_error(HLSIM_E_TRACE_FORMAT, "%s:%u: status '%s': expected ok or "
				   "failed", path, lineno, f[k]);
	for (n = 0; n < 6; n++) {
		/* the busy fractions (n = 1..3) are empty for a class without engines */
		if (csv_number(f[k + 2 + n], &v[n]) || ((n == 0 || n > 3) && isnan(v[n])))
			return hlsim_error(HLSIM_E_TRACE_FORMAT, "%s:%u: column %s '%s': expected "
					   "a number", path, lineno, csv_tail[2 + n],
					   f[k + 2 + n]);
	}
	r = &rows[point];
	r->ok = 1;
	r->time_us = v[0] / 1e6;
	r->busy[0] = v[1];
	r->busy[1] = v[2];
	r->busy[2] = v[3];
	r->bytes = v[4];
	r->tflops = v[5];
	return HLSIM_OK;
}

hlsim_err_t prf_sweep_plot_read_csv(const struct prf_sweep_spec *s, const char *path,
				    struct prf_sweep_plot_row *rows)
{
	char *line = malloc(LINE_BYTES), *f[PRF_SWEEP_MAX_AXES + 16];
	unsigned int lineno = 0;
	FILE *fp = fopen(path, "r");
	hlsim_err_t rc = HLSIM_OK;
	int want = 1 + (int)s->num_axes + CSV_TAIL, n;
	uint64_t i;

	for (i = 0; i < s->num_points; i++)
		memset(&rows[i], 0, sizeof(rows[i]));
	if (!fp || !line) {
		rc = fp ? hlsim_error(HLSIM_E_NOMEM, "%s: no memory", path)
			: hlsim_error(HLSIM_E_IO, "%s: cannot open: %s", path, strerror(errno));
		goto out;
	}
	while (!rc && fgets(line, LINE_BYTES, fp)) {
		size_t len = strlen(line);

		lineno++;
		if (!len || line[len - 1] != '\n') {
			rc = hlsim_error(HLSIM_E_TRACE_FORMAT, "%s:%u: line too long or not "
					 "ended by a newline", path, lineno);
			break;
		}
		line[--len] = '\0';
		n = csv_split(line, f, (int)(sizeof(f) / sizeof(f[0])));
		if (n != want)
			rc = hlsim_error(HLSIM_E_TRACE_FORMAT, "%s:%u: %d fields, expected %d "
					 "(point, %zu axes, %d result columns)", path, lineno, n,
					 want, s->num_axes, CSV_TAIL);
		else if (lineno == 1)
			rc = csv_header(s, f, path);
		else
			rc = csv_row(s, f, path, lineno, rows);
	}
	if (!rc && ferror(fp))
		rc = hlsim_error(HLSIM_E_IO, "%s: read error", path);
	else if (!rc && !lineno)
		rc = hlsim_error(HLSIM_E_TRACE_FORMAT, "%s: empty (no header)", path);
out:
	if (fp)
		fclose(fp);
	free(line);
	return rc;
}

size_t prf_sweep_pareto(const double *cost, const double *t_us, const int *valid, size_t n,
			int *on_front)
{
	size_t i, j, count = 0;

	for (i = 0; i < n; i++) {
		on_front[i] = valid[i] && isfinite(cost[i]) && isfinite(t_us[i]);
		for (j = 0; j < n && on_front[i]; j++) {
			if (j == i || !valid[j] || !isfinite(cost[j]) || !isfinite(t_us[j]))
				continue;
			if (cost[j] <= cost[i] && t_us[j] <= t_us[i] &&
			    (cost[j] < cost[i] || t_us[j] < t_us[i]))
				on_front[i] = 0;
		}
		count += (size_t)on_front[i];
	}
	return count;
}

/* @text for a gnuplot string in double quotes: '"' and '\' become '\''. */
static void put_str(FILE *f, const char *text)
{
	fputc('"', f);
	for (; *text; text++)
		fputc(*text == '"' || *text == '\\' ? '\'' : *text, f);
	fputc('"', f);
}

/* "KEY [UNIT]" or "KEY". */
static void axis_label(const struct prf_sweep_axis *a, const struct prf_sweep_plot_axis *p,
		       char *buf, size_t cap)
{
	if (p->numeric && p->unit[0])
		snprintf(buf, cap, "%s [%s]", a->key, p->unit);
	else
		snprintf(buf, cap, "%s", a->key);
}

/* The tic label of value @i of @a: the number in the axis unit, or the value itself. */
static void tic_label(const struct prf_sweep_axis *a, const struct prf_sweep_plot_axis *p,
		      size_t i, char *buf, size_t cap)
{
	if (p->numeric)
		snprintf(buf, cap, "%.6g", p->x[i]);
	else
		snprintf(buf, cap, "%s", a->values[i]);
}

/* The point with value @i of axis 0, @j of axis 1 (if any), the others at their first. */
static uint64_t grid_point(const struct prf_sweep_spec *s, size_t i, size_t j)
{
	uint64_t point = 0;
	size_t k;

	for (k = 0; k < s->num_axes; k++) {
		size_t idx = k == 0 ? i : k == 1 ? j : 0;

		point = point * s->axes[k].num_values + idx;
	}
	return point;
}

/* " (other axes at KEY=V, ...)" for the axes beyond the second, "" if none. */
static void held_axes(const struct prf_sweep_spec *s, char *buf, size_t cap)
{
	size_t k, used = 0;

	buf[0] = '\0';
	for (k = 2; k < s->num_axes && used < cap; k++)
		used += (size_t)snprintf(buf + used, cap - used, "%s%s=%s",
					 k == 2 ? " (other axes at " : ", ", s->axes[k].key,
					 s->axes[k].values[0]);
	if (s->num_axes > 2 && used < cap)
		snprintf(buf + used, cap - used, ")");
}

/* The sweep's subject for titles: the trace file or the gen command. */
static const char *subject(const struct prf_sweep_spec *s)
{
	return s->gen ? s->gen : s->trace;
}

static FILE *open_dat(const char *out_dir, const char *name, char *path, size_t cap)
{
	snprintf(path, cap, "%s/%s", out_dir, name);
	return fopen(path, "w");
}

static hlsim_err_t close_dat(FILE *f, const char *path)
{
	int bad = ferror(f);

	bad |= fclose(f) != 0;
	return bad ? hlsim_error(HLSIM_E_IO, "%s: write error", path) : HLSIM_OK;
}

static void put_num(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, "%.9g", v);
	else
		fputs("NaN", f);
}

static hlsim_err_t write_lines(const struct prf_sweep_spec *s,
			       const struct prf_sweep_plot_row *rows,
			       const struct prf_sweep_plot_opts *o,
			       const struct prf_sweep_plot_axis *pa, const char *out_dir)
{
	const struct prf_sweep_axis *ax = &s->axes[0], *sr = s->num_axes > 1 ? &s->axes[1] : NULL;
	size_t nser = sr ? sr->num_values : 1, i, j;
	char path[PATH_BYTES], label[LABEL_BYTES], title[LABEL_BYTES * 2], held[LABEL_BYTES];
	FILE *f = open_dat(out_dir, "sweep_lines.dat", path, sizeof(path));

	if (!f)
		return hlsim_error(HLSIM_E_IO, "%s: cannot create: %s", path, strerror(errno));
	fprintf(f, "# sweep_lines.dat - data of plots/sweep_lines.gp (hlsim plot): a metric of\n"
		   "# a sweep against its first axis, one line per value of its second axis.\n"
		   "# Blocks separated by two blank lines (gnuplot \"index\"):\n"
		   "#   index 0, meta:   \"title\" \"x label\" \"y label\" \"legend title\" "
		   "series x_values x_numeric\n"
		   "#   index 1, series: series_index \"label\"\n"
		   "#   index 2, x tics: x \"label\"    (x: the value in the axis unit, or "
		   "0, 1, ... if categorical)\n"
		   "#   index 3 + k:     x metric      (series k; metric NaN for a failed "
		   "point)\n");
	held_axes(s, held, sizeof(held));
	snprintf(title, sizeof(title), "%s vs %s - sweep of %s%s", metrics[o->metric].name,
		 ax->key, subject(s), held);
	put_str(f, title);
	fputc(' ', f);
	axis_label(ax, &pa[0], label, sizeof(label));
	put_str(f, label);
	fputc(' ', f);
	put_str(f, metrics[o->metric].label);
	fputc(' ', f);
	if (sr)
		axis_label(sr, &pa[1], label, sizeof(label));
	put_str(f, sr ? label : "");
	fprintf(f, " %zu %zu %d\n\n\n", nser, ax->num_values, pa[0].numeric);
	for (j = 0; j < nser; j++) {
		fprintf(f, "%zu ", j);
		if (sr) {
			tic_label(sr, &pa[1], j, label, sizeof(label));
			if (pa[1].numeric && pa[1].unit[0])
				snprintf(label + strlen(label), sizeof(label) - strlen(label),
					 " %s", pa[1].unit);
		} else {
			snprintf(label, sizeof(label), "%s", metrics[o->metric].name);
		}
		put_str(f, label);
		fputc('\n', f);
	}
	fputs("\n\n", f);
	for (i = 0; i < ax->num_values; i++) {
		put_num(f, pa[0].x[i]);
		fputc(' ', f);
		tic_label(ax, &pa[0], i, label, sizeof(label));
		put_str(f, label);
		fputc('\n', f);
	}
	for (j = 0; j < nser; j++) {
		fputs("\n\n", f);
		for (i = 0; i < ax->num_values; i++) {
			put_num(f, pa[0].x[i]);
			fputc(' ', f);
			put_num(f, prf_sweep_metric_value(&rows[grid_point(s, i, j)], o->metric));
			fputc('\n', f);
		}
	}
	return close_dat(f, path);
}

static hlsim_err_t write_heatmap(const struct prf_sweep_spec *s,
				 const struct prf_sweep_plot_row *rows,
				 const struct prf_sweep_plot_opts *o,
				 const struct prf_sweep_plot_axis *pa, const char *out_dir)
{
	const struct prf_sweep_axis *ax = &s->axes[0], *ay = s->num_axes > 1 ? &s->axes[1] : NULL;
	size_t ny = ay ? ay->num_values : 1, i, j;
	char path[PATH_BYTES], label[LABEL_BYTES], title[LABEL_BYTES * 2], held[LABEL_BYTES];
	FILE *f = open_dat(out_dir, "sweep_heatmap.dat", path, sizeof(path));
	double v;

	if (!f)
		return hlsim_error(HLSIM_E_IO, "%s: cannot create: %s", path, strerror(errno));
	fprintf(f, "# sweep_heatmap.dat - data of plots/sweep_heatmap.gp (hlsim plot): a metric\n"
		   "# of a sweep over its first two axes, one cell per pair of values.\n"
		   "# Blocks separated by two blank lines (gnuplot \"index\"):\n"
		   "#   index 0, meta:    \"title\" \"x label\" \"y label\" \"colour label\" "
		   "nx ny\n"
		   "#   index 1, x tics:  i \"label\"   (column i of cells: value i of the first "
		   "axis)\n"
		   "#   index 2, y tics:  j \"label\"   (row j: value j of the second axis)\n"
		   "#   index 3, cells:   i j metric \"text\"   (metric NaN and text \"failed\" "
		   "for a failed point)\n");
	held_axes(s, held, sizeof(held));
	snprintf(title, sizeof(title), "%s - sweep of %s%s", metrics[o->metric].label, subject(s),
		 held);
	put_str(f, title);
	fputc(' ', f);
	axis_label(ax, &pa[0], label, sizeof(label));
	put_str(f, label);
	fputc(' ', f);
	if (ay)
		axis_label(ay, &pa[1], label, sizeof(label));
	put_str(f, ay ? label : "");
	fputc(' ', f);
	put_str(f, metrics[o->metric].label);
	fprintf(f, " %zu %zu\n\n\n", ax->num_values, ny);
	for (i = 0; i < ax->num_values; i++) {
		fprintf(f, "%zu ", i);
		tic_label(ax, &pa[0], i, label, sizeof(label));
		put_str(f, label);
		fputc('\n', f);
	}
	fputs("\n\n", f);
	for (j = 0; j < ny; j++) {
		fprintf(f, "%zu ", j);
		if (ay)
			tic_label(ay, &pa[1], j, label, sizeof(label));
		put_str(f, ay ? label : "");
		fputc('\n', f);
	}
	fputs("\n\n", f);
	for (j = 0; j < ny; j++) {
		for (i = 0; i < ax->num_values; i++) {
			v = prf_sweep_metric_value(&rows[grid_point(s, i, j)], o->metric);
			fprintf(f, "%zu %zu ", i, j);
			put_num(f, v);
			fputc(' ', f);
			if (isfinite(v))
				snprintf(label, sizeof(label), "%.5g", v);
			else
				snprintf(label, sizeof(label), "failed");
			put_str(f, label);
			fputc('\n', f);
		}
	}
	return close_dat(f, path);
}

/* The values of the axes other than @skip at @point: "KEY=V KEY=V". */
static void point_label(const struct prf_sweep_spec *s, uint64_t point, size_t skip, char *buf,
			size_t cap)
{
	size_t k, used = 0;

	buf[0] = '\0';
	for (k = 0; k < s->num_axes && used < cap; k++)
		if (k != skip)
			used += (size_t)snprintf(buf + used, cap - used, "%s%s=%s",
						 used ? " " : "", s->axes[k].key,
						 prf_sweep_point_value(s, point, k));
}

static int cmp_by_cost(const void *a, const void *b, const double *cost, const double *tus)
{
	uint64_t i = *(const uint64_t *)a, j = *(const uint64_t *)b;

	if (cost[i] != cost[j])
		return cost[i] < cost[j] ? -1 : 1;
	if (tus[i] != tus[j])
		return tus[i] < tus[j] ? -1 : 1;
	return i < j ? -1 : i > j;
}

static hlsim_err_t write_pareto(const struct prf_sweep_spec *s,
				const struct prf_sweep_plot_row *rows,
				const struct prf_sweep_plot_opts *o,
				const struct prf_sweep_plot_axis *pa, const char *out_dir)
{
	const struct prf_sweep_axis *ca = &s->axes[o->cost_axis];
	const struct prf_sweep_plot_axis *cp = &pa[o->cost_axis];
	uint64_t n = s->num_points, p, *front = NULL, nfront = 0, a, b;
	double *cost = calloc(n, sizeof(*cost)), *tus = calloc(n, sizeof(*tus));
	int *valid = calloc(n, sizeof(*valid)), *on = calloc(n, sizeof(*on));
	char path[PATH_BYTES] = "", label[LABEL_BYTES], title[LABEL_BYTES * 2];
	FILE *f = NULL;
	hlsim_err_t rc = HLSIM_OK;
	size_t vi, stride = 1, k;

	front = calloc(n, sizeof(*front));
	if (!cost || !tus || !valid || !on || !front) {
		rc = hlsim_error(HLSIM_E_NOMEM, "plot: no memory");
		goto out;
	}
	for (k = s->num_axes; k-- > o->cost_axis + 1;)
		stride *= s->axes[k].num_values;
	for (p = 0; p < n; p++) {
		vi = (size_t)((p / stride) % ca->num_values);
		cost[p] = cp->x[vi];
		tus[p] = prf_sweep_metric_value(&rows[p], PRF_SWEEP_METRIC_TIME);
		valid[p] = rows[p].ok;
	}
	prf_sweep_pareto(cost, tus, valid, (size_t)n, on);
	for (p = 0; p < n; p++)
		if (on[p])
			front[nfront++] = p;
	/* sort the front by cost (insertion sort: the front is small next to the grid) */
	for (a = 1; a < nfront; a++)
		for (b = a; b > 0 && cmp_by_cost(&front[b - 1], &front[b], cost, tus) > 0; b--) {
			uint64_t t = front[b];

			front[b] = front[b - 1];
			front[b - 1] = t;
		}
	f = open_dat(out_dir, "sweep_pareto.dat", path, sizeof(path));
	if (!f) {
		rc = hlsim_error(HLSIM_E_IO, "%s: cannot create: %s", path, strerror(errno));
		goto out;
	}
	fprintf(f, "# sweep_pareto.dat - data of plots/sweep_pareto.gp (hlsim plot): simulated\n"
		   "# time of every point of a sweep against a cost axis, and the Pareto-optimal\n"
		   "# points (no other point is both cheaper or equal and faster or equal).\n"
		   "# Blocks separated by two blank lines (gnuplot \"index\"):\n"
		   "#   index 0, meta:   \"title\" \"x label\" \"y label\" points_that_ran "
		   "front_points\n"
		   "#   index 1, x tics: cost \"label\"   (the values of the cost axis)\n"
		   "#   index 2, points: cost time_us \"other axes\"   (time NaN: failed point)\n"
		   "#   index 3, front:  cost time_us \"other axes\"   (sorted by cost; points\n"
		   "#                    of equal cost and time are one line)\n");
	snprintf(title, sizeof(title), "time vs %s, Pareto front - sweep of %s", ca->key,
		 subject(s));
	put_str(f, title);
	fputc(' ', f);
	axis_label(ca, cp, label, sizeof(label));
	put_str(f, label);
	fputc(' ', f);
	put_str(f, metrics[PRF_SWEEP_METRIC_TIME].label);
	for (p = 0, a = 0; p < n; p++)
		a += valid[p] && isfinite(tus[p]);
	fprintf(f, " %llu %llu\n\n\n", (unsigned long long)a, (unsigned long long)nfront);
	for (vi = 0; vi < ca->num_values; vi++) {
		put_num(f, cp->x[vi]);
		fputc(' ', f);
		tic_label(ca, cp, vi, label, sizeof(label));
		put_str(f, label);
		fputc('\n', f);
	}
	fputs("\n\n", f);
	for (p = 0; p < n; p++) {
		put_num(f, cost[p]);
		fputc(' ', f);
		put_num(f, tus[p]);
		fputc(' ', f);
		point_label(s, p, o->cost_axis, label, sizeof(label));
		put_str(f, label);
		fputc('\n', f);
	}
	fputs("\n\n", f);
	for (a = 0; a < nfront; a = b) {
		/* points of equal cost and time are one point of the front: label the first */
		for (b = a + 1; b < nfront && cost[front[b]] == cost[front[a]] &&
				tus[front[b]] == tus[front[a]];
		     b++)
			;
		put_num(f, cost[front[a]]);
		fputc(' ', f);
		put_num(f, tus[front[a]]);
		fputc(' ', f);
		point_label(s, front[a], o->cost_axis, label, sizeof(label));
		if (b - a > 1)
			snprintf(label + strlen(label), sizeof(label) - strlen(label),
				 " (+%llu more, same time)", (unsigned long long)(b - a - 1));
		put_str(f, label);
		fputc('\n', f);
	}
	rc = close_dat(f, path);
out:
	free(front);
	free(on);
	free(valid);
	free(tus);
	free(cost);
	return rc;
}

hlsim_err_t prf_sweep_plot_write(const struct prf_sweep_spec *s,
				 const struct prf_sweep_plot_row *rows,
				 const struct prf_sweep_plot_opts *o, const char *out_dir)
{
	struct prf_sweep_plot_axis pa[PRF_SWEEP_MAX_AXES];
	hlsim_err_t rc = HLSIM_OK;
	size_t k, made = 0;

	memset(pa, 0, sizeof(pa));
	if (!s->num_axes || (o->cost_axis >= s->num_axes && o->cost_axis != PRF_SWEEP_NO_COST))
		return hlsim_error(HLSIM_E_USAGE, "plot: bad sweep (no axis) or cost axis");
	for (k = 0; k < s->num_axes && !rc; k++, made++)
		rc = prf_sweep_plot_axis_init(&s->axes[k], &pa[k]);
	if (!rc && o->cost_axis != PRF_SWEEP_NO_COST && !pa[o->cost_axis].numeric)
		rc = hlsim_error(HLSIM_E_USAGE, "--cost %s: its values (%s, ...) are not numbers; "
				 "the Pareto plot needs a numeric cost axis",
				 s->axes[o->cost_axis].key, s->axes[o->cost_axis].values[0]);
	if (!rc)
		rc = write_lines(s, rows, o, pa, out_dir);
	if (!rc)
		rc = write_heatmap(s, rows, o, pa, out_dir);
	if (!rc && o->cost_axis != PRF_SWEEP_NO_COST)
		rc = write_pareto(s, rows, o, pa, out_dir);
	for (k = 0; k < made; k++)
		prf_sweep_plot_axis_free(&pa[k]);
	return rc;
}
