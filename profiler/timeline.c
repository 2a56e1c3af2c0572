/*
 * profiler/timeline.c - the Gantt chart data: bars per unit and record kind, bounded.
 *
 * Every record overlapping the report window becomes a bar clipped to the window. Up to
 * PRF_PLOT_MAX_RECORDS records the bars are the records themselves. Beyond that the chart
 * would draw slowly and show nothing more at 4000 pixels, so bars of the same unit and
 * kind closer than one pixel (window / PRF_PLOT_PIXELS) are joined: online against the
 * latest bar of that unit and kind, and by a sort-and-join pass whenever the number of
 * bars doubles and at the end. The joined result depends only on the set of records, not
 * on their order: it is the connected components of the bars widened by the gap. After a
 * join each (unit, kind) keeps at most one bar per pixel, so memory is bounded by units x
 * kinds x pixels, not by the number of records.
 *
 * prf_timeline_write_dat() writes the file plots/timeline.gp reads (layout in prf.h and in
 * the file's own header).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "profiler/prf.h"

hlsim_err_t prf_timeline_init(struct prf_timeline *tl, size_t num_units, uint64_t window_ps)
{
	memset(tl, 0, sizeof(*tl));
	tl->num_units = num_units;
	tl->gap_ps = window_ps / PRF_PLOT_PIXELS;
	if (tl->gap_ps == 0)
		tl->gap_ps = 1;
	return HLSIM_OK;
}

void prf_timeline_free(struct prf_timeline *tl)
{
	free(tl->boxes);
	free(tl->last);
	memset(tl, 0, sizeof(*tl));
}

static int box_cmp(const void *a, const void *b)
{
	const struct prf_box *x = a, *y = b;

	if (x->unit != y->unit)
		return x->unit < y->unit ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->start_ps != y->start_ps)
		return x->start_ps < y->start_ps ? -1 : 1;
	if (x->end_ps != y->end_ps)
		return x->end_ps < y->end_ps ? -1 : 1;
	return 0;
}

/* Bars @a and @b (same unit and kind) are closer than the gap: join them. */
static int near(const struct prf_box *a, const struct prf_box *b, uint64_t gap_ps)
{
	uint64_t max_start = a->start_ps > b->start_ps ? a->start_ps : b->start_ps;
	uint64_t min_end = a->end_ps < b->end_ps ? a->end_ps : b->end_ps;

	return max_start < min_end + gap_ps;
}

/* Sort the bars; when merging, join near ones and point @last at each group's last bar. */
static void compact(struct prf_timeline *tl)
{
	size_t i, out = 0;

	if (tl->n > 1)
		qsort(tl->boxes, tl->n, sizeof(tl->boxes[0]), box_cmp);
	if (!tl->merging)
		return;
	for (i = 0; i < tl->num_units * HLSIM_REC_KIND_COUNT_; i++)
		tl->last[i] = SIZE_MAX;
	for (i = 0; i < tl->n; i++) {
		struct prf_box *b = &tl->boxes[i];
		struct prf_box *prev = out ? &tl->boxes[out - 1] : NULL;

		if (prev && prev->unit == b->unit && prev->kind == b->kind &&
		    b->start_ps < prev->end_ps + tl->gap_ps) {
			if (b->end_ps > prev->end_ps)
				prev->end_ps = b->end_ps;
			continue;
		}
		tl->boxes[out++] = *b;
		tl->last[(size_t)b->unit * HLSIM_REC_KIND_COUNT_ + b->kind] = out - 1;
	}
	tl->n = out;
	tl->compact_at = 2 * tl->n > PRF_PLOT_MAX_RECORDS ? 2 * tl->n : PRF_PLOT_MAX_RECORDS;
}

static hlsim_err_t start_merging(struct prf_timeline *tl)
{
	size_t slots = tl->num_units * HLSIM_REC_KIND_COUNT_;

	tl->last = malloc((slots ? slots : 1) * sizeof(tl->last[0]));
	if (!tl->last)
		return hlsim_error(HLSIM_E_NOMEM, "profiler: no memory for plot merging");
	tl->merging = 1;
	compact(tl);
	return HLSIM_OK;
}

hlsim_err_t prf_timeline_add(struct prf_timeline *tl, const struct prf_box *box)
{
	size_t slot = (size_t)box->unit * HLSIM_REC_KIND_COUNT_ + box->kind;
	hlsim_err_t rc;

	tl->records++;
	if (!tl->merging && tl->records > PRF_PLOT_MAX_RECORDS) {
		rc = start_merging(tl);
		if (rc)
			return rc;
	}
	if (tl->merging && tl->last[slot] != SIZE_MAX) {
		struct prf_box *b = &tl->boxes[tl->last[slot]];

		if (near(b, box, tl->gap_ps)) {
			if (box->start_ps < b->start_ps)
				b->start_ps = box->start_ps;
			if (box->end_ps > b->end_ps)
				b->end_ps = box->end_ps;
			return HLSIM_OK;
		}
	}
	if (tl->n == tl->cap) {
		size_t cap = tl->cap ? tl->cap * 2 : 1024;
		struct prf_box *p = realloc(tl->boxes, cap * sizeof(*p));

		if (!p)
			return hlsim_error(HLSIM_E_NOMEM, "profiler: no memory for %zu plot bars",
					   cap);
		tl->boxes = p;
		tl->cap = cap;
	}
	tl->boxes[tl->n++] = *box;
	if (tl->merging) {
		tl->last[slot] = tl->n - 1;
		if (tl->n >= tl->compact_at)
			compact(tl);
	}
	return HLSIM_OK;
}

hlsim_err_t prf_timeline_finish(struct prf_timeline *tl)
{
	compact(tl);
	return HLSIM_OK;
}

/* Write @s as a gnuplot data-file string: printable ASCII only, no quote or backslash. */
static void put_gp_string(FILE *out, const char *s, size_t max_len)
{
	size_t i;

	fputc('"', out);
	for (i = 0; i < max_len && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			c = '\'';
		else if (c < 0x20 || c > 0x7e)
			c = '?';
		fputc(c, out);
	}
	fputc('"', out);
}

/* The file name part of @path (after the last '/'). */
static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash && slash[1] ? slash + 1 : path;
}

hlsim_err_t prf_timeline_write_dat(const struct prf_report *rep, FILE *out)
{
	const struct prf_timeline *tl = &rep->timeline;
	uint64_t kind_bars[HLSIM_REC_KIND_COUNT_] = { 0 };
	char a[32], b[32], c[32], title[768], subtitle[384];
	uint32_t *row_of = NULL;
	size_t i, rows = 0, kinds_present = 0;
	int multi_device = 0;

	for (i = 0; i < tl->n; i++)
		kind_bars[tl->boxes[i].kind]++;
	for (i = 0; i < HLSIM_REC_KIND_COUNT_; i++)
		kinds_present += kind_bars[i] != 0;
	if (rep->num_units) {
		row_of = malloc(rep->num_units * sizeof(*row_of));
		if (!row_of)
			return hlsim_error(HLSIM_E_NOMEM, "profiler: no memory for plot rows");
	}
	for (i = 0; i < rep->num_units; i++) {
		row_of[i] = rep->units[i].records ? (uint32_t)rows++ : UINT32_MAX;
		if (rep->units[i].unit.device != 0)
			multi_device = 1;
	}

	snprintf(title, sizeof(title), "hlsim timeline: %s%s%s, simulated time %s us",
		 base_name(rep->run.trace_path), rep->run.config_name[0] ? " on " : "",
		 rep->run.config_name, prf_fmt_ps_us(a, sizeof(a), rep->run.simulated_time_ps));
	if (tl->merging)
		snprintf(subtitle, sizeof(subtitle),
			 "window %s .. %s us, %" PRIu64 " records merged into %zu bars "
			 "(same unit and kind closer than %s us joined)",
			 prf_fmt_ps_us(a, sizeof(a), rep->window_start_ps),
			 prf_fmt_ps_us(b, sizeof(b), rep->window_end_ps), tl->records, tl->n,
			 prf_fmt_ps_us(c, sizeof(c), tl->gap_ps));
	else
		snprintf(subtitle, sizeof(subtitle), "window %s .. %s us, %" PRIu64 " records",
			 prf_fmt_ps_us(a, sizeof(a), rep->window_start_ps),
			 prf_fmt_ps_us(b, sizeof(b), rep->window_end_ps), tl->records);

	fprintf(out,
		"# hlsim timeline data, format 1: input of plots/timeline.gp (a Gantt chart).\n"
		"# By hand: gnuplot -c plots/timeline.gp timeline.dat timeline.png (or .svg)\n"
		"# Four blocks separated by two blank lines (gnuplot \"index N\"):\n"
		"#   index 0, meta:  \"title\" \"subtitle\" window_start_us window_end_us rows "
		"kinds_present\n"
		"#   index 1, kinds: kind_index \"name\" bars   (every record kind, enum "
		"hlsim_rec_kind)\n"
		"#   index 2, rows:  row \"label\" unit_id     (units with a record in the "
		"window, by unit id)\n"
		"#   index 3, bars:  row start_us end_us kind_index\n"
		"# Times are microseconds of simulated time; rows count from 0 (drawn top down).\n"
		"# Strings are double-quoted; quotes and backslashes in them became ', other\n"
		"# non-printable or non-ASCII bytes became ?.\n");

	fputs("# index 0: meta\n", out);
	put_gp_string(out, title, sizeof(title));
	fputc(' ', out);
	put_gp_string(out, subtitle, sizeof(subtitle));
	fprintf(out, " %s %s %zu %zu\n", prf_fmt_ps_us(a, sizeof(a), rep->window_start_ps),
		prf_fmt_ps_us(b, sizeof(b), rep->window_end_ps), rows, kinds_present);

	fputs("\n\n# index 1: kinds (kind_index name bars)\n", out);
	for (i = 0; i < HLSIM_REC_KIND_COUNT_; i++)
		fprintf(out, "%zu \"%s\" %" PRIu64 "\n", i, prf_rec_kind_name((unsigned int)i),
			kind_bars[i]);

	fputs("\n\n# index 2: rows (row label unit_id)\n", out);
	for (i = 0; i < rep->num_units; i++) {
		const struct hlsim_unit *u = &rep->units[i].unit;
		char label[48];

		if (row_of[i] == UINT32_MAX)
			continue;
		if (multi_device)
			snprintf(label, sizeof(label), "d%" PRIu32 " %s", u->device, u->name);
		else
			snprintf(label, sizeof(label), "%s", u->name);
		fprintf(out, "%" PRIu32 " ", row_of[i]);
		put_gp_string(out, label, sizeof(label));
		fprintf(out, " %" PRIu32 "\n", u->id);
	}

	fputs("\n\n# index 3: bars (row start_us end_us kind_index)\n", out);
	for (i = 0; i < tl->n; i++) {
		const struct prf_box *bx = &tl->boxes[i];

		fprintf(out, "%" PRIu32 " %s %s %u\n", row_of[bx->unit],
			prf_fmt_ps_us(a, sizeof(a), bx->start_ps),
			prf_fmt_ps_us(b, sizeof(b), bx->end_ps), bx->kind);
	}
	free(row_of);
	return HLSIM_OK;
}
