/*
 * profiler/report_html.c - the report as one self-contained HTML page
 * (`hlsim report RESULTS --html FILE`).
 *
 * The page holds the run summary, the advice, the bottleneck picks, the engines, queues
 * and lower CPs, DMA paths, top launches and launches-by-kernel tables, all taken from the
 * same finished struct prf_report the text report prints, and the timeline, utilisation,
 * bandwidth and roofline plots inline as SVG markup. The plots are drawn by the usual
 * gnuplot scripts (SVG only) into a private temporary folder that is removed afterwards;
 * a plot that cannot be drawn becomes a one-line note. Nothing refers to the network: the
 * CSS is inline and the SVG root's namespace attributes (URLs) are dropped, which HTML
 * does not need. Every string from the results is HTML-escaped. No time stamps or
 * temporary paths reach the page, so the same results give the same bytes.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "profiler/prf.h"
#include "profiler/prf_runplots.h"

#define HTML_READ_ROWS 65536
#define HTML_PATH_BYTES 4096
/* An SVG larger than this is not embedded (a note says so). */
#define HTML_SVG_MAX_BYTES (64u << 20)

void prf_html_escape(FILE *out, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '&')
			fputs("&amp;", out);
		else if (c == '<')
			fputs("&lt;", out);
		else if (c == '>')
			fputs("&gt;", out);
		else if (c == '"')
			fputs("&quot;", out);
		else if (c == '\'')
			fputs("&#39;", out);
		else if (c < 0x20 || c == 0x7f)
			fputc('?', out);
		else
			fputc(c, out);
	}
}

/* A fixed-size name field (maybe not NUL-terminated) escaped. */
static void esc_field(FILE *out, const char *s, size_t size)
{
	prf_html_escape(out, s, strnlen(s, size));
}

static void esc(FILE *out, const char *s)
{
	prf_html_escape(out, s, strlen(s));
}

/* ===== table cells ===== */

static void table_open(FILE *out, const char *const *heads, size_t n)
{
	size_t i;

	fputs("<table>\n<thead><tr>", out);
	for (i = 0; i < n; i++) {
		fputs("<th>", out);
		esc(out, heads[i]);
		fputs("</th>", out);
	}
	fputs("</tr></thead>\n<tbody>\n", out);
}

static void table_close(FILE *out, size_t rows, size_t cols)
{
	if (!rows)
		fprintf(out, "<tr><td colspan=\"%zu\">(none)</td></tr>\n", cols);
	fputs("</tbody>\n</table>\n", out);
}

static void td_str(FILE *out, const char *s, size_t size)
{
	fputs("<td>", out);
	esc_field(out, s, size);
	fputs("</td>", out);
}

static void td_num(FILE *out, const char *s)
{
	fputs("<td class=\"n\">", out);
	esc(out, s);
	fputs("</td>", out);
}

static void td_u64(FILE *out, uint64_t v)
{
	fprintf(out, "<td class=\"n\">%" PRIu64 "</td>", v);
}

static void td_us(FILE *out, uint64_t ps)
{
	char b[48];

	td_num(out, prf_fmt_ps_us(b, sizeof(b), ps));
}

static void td_fixed(FILE *out, double v, int decimals)
{
	char b[48];

	td_num(out, prf_fmt_fixed(b, sizeof(b), v, decimals));
}

static double ratio(double num, uint64_t den, double scale)
{
	return den ? num * scale / (double)den : NAN;
}

/* ===== sections ===== */

static void summary_row(FILE *out, const char *item, const char *value, const char *unit)
{
	fputs("<tr><td>", out);
	esc(out, item);
	fputs("</td><td class=\"n\">", out);
	esc(out, value);
	fputs("</td><td>", out);
	esc(out, unit);
	fputs("</td></tr>\n", out);
}

static void summary_text_row(FILE *out, const char *item, const char *s, size_t size)
{
	fputs("<tr><td>", out);
	esc(out, item);
	fputs("</td><td>", out);
	if (strnlen(s, size))
		esc_field(out, s, size);
	else
		fputs("-", out);
	fputs("</td><td>-</td></tr>\n", out);
}

static void write_summary(const struct prf_report *rep, FILE *out)
{
	static const char *const heads[] = { "item", "value", "unit" };
	const struct hlsim_run_info *run = &rep->run;
	char b[64];

	fputs("<h2>Run summary</h2>\n", out);
	table_open(out, heads, 3);
	summary_text_row(out, "trace", run->trace_path, sizeof(run->trace_path));
	summary_text_row(out, "config", run->config_name, sizeof(run->config_name));
	summary_text_row(out, "hlsim version", run->hlsim_version, sizeof(run->hlsim_version));
	summary_row(out, "simulated time", prf_fmt_ps_us(b, sizeof(b), run->simulated_time_ps),
		    "us");
	summary_row(out, rep->whole_run ? "report window start (whole run)" :
					  "report window start",
		    prf_fmt_ps_us(b, sizeof(b), rep->window_start_ps), "us");
	summary_row(out, "report window end", prf_fmt_ps_us(b, sizeof(b), rep->window_end_ps),
		    "us");
	snprintf(b, sizeof(b), "%" PRIu64, run->cs_count);
	summary_row(out, "command submissions", b, "CS");
	snprintf(b, sizeof(b), "%" PRIu64, run->job_count);
	summary_row(out, "jobs", b, "jobs");
	snprintf(b, sizeof(b), "%" PRIu64, run->packets);
	summary_row(out, "packets executed", b, "packets");
	snprintf(b, sizeof(b), "%" PRIu64, run->activities);
	summary_row(out, "SimGrid activities", b, "activities");
	summary_row(out, "wall time", prf_fmt_fixed(b, sizeof(b), run->wall_s, 6), "s");
	snprintf(b, sizeof(b), "%" PRIu64, rep->records_total);
	summary_row(out, "timeline records", b, "records");
	snprintf(b, sizeof(b), "%" PRIu64, rep->records_in_window);
	summary_row(out, "timeline records in the window", b, "records");
	snprintf(b, sizeof(b), "%" PRIu64, run->peak_rss_bytes);
	summary_row(out, "peak RSS", b, "bytes");
	table_close(out, 1, 3);
}

static hlsim_err_t write_advice(const struct prf_report *rep, FILE *out)
{
	static const char *const heads[] = { "rule", "severity", "subject", "advice" };
	struct prf_advice adv;
	hlsim_err_t rc;
	size_t i;

	rc = prf_advice_compute(rep, &rep->advice_cfg, &adv);
	if (rc)
		return rc;
	fputs("<h2>Advice</h2>\n", out);
	table_open(out, heads, 4);
	for (i = 0; i < adv.n; i++) {
		const struct prf_advice_item *it = &adv.items[i];

		fputs("<tr>", out);
		td_str(out, it->rule, strlen(it->rule) + 1);
		td_str(out, it->severity, strlen(it->severity) + 1);
		td_str(out, it->subject, sizeof(it->subject));
		td_str(out, it->sentence, sizeof(it->sentence));
		fputs("</tr>\n", out);
	}
	table_close(out, adv.n, 4);
	if (!rep->advice_cfg.have_config)
		fputs("<p class=\"note\">The results hold no readable configuration, so the rules "
		      "that compare with configured peaks were not evaluated.</p>\n", out);
	prf_advice_free(&adv);
	return HLSIM_OK;
}

static void write_bottleneck(const struct prf_report *rep, FILE *out)
{
	static const char *const heads[] = { "pick", "subject", "time [us]",
					     "share of window [%]", "moved [bytes]",
					     "busy rate [GB/s]" };
	uint64_t window_ps = prf_report_window_ps(rep);
	struct prf_bottleneck b;
	size_t rows = 0;

	prf_report_bottleneck(rep, &b);
	fputs("<h2>Bottleneck</h2>\n", out);
	table_open(out, heads, 6);
	if (b.engine >= 0) {
		const struct prf_unit_stats *st = &rep->units[b.engine];

		fputs("<tr><td>busiest engine (busy)</td>", out);
		td_str(out, st->unit.name, sizeof(st->unit.name));
		td_us(out, st->busy_ps);
		td_fixed(out, ratio((double)st->busy_ps, window_ps, 100.0), 2);
		td_u64(out, st->dma_bytes);
		td_fixed(out, ratio((double)st->dma_bytes, st->busy_ps, 1e3), 3);
		fputs("</tr>\n", out);
		rows++;
	}
	if (b.fence_queue >= 0) {
		const struct prf_unit_stats *st = &rep->units[b.fence_queue];

		fputs("<tr><td>most fence-blocked queue (fence-blocked)</td>", out);
		td_str(out, st->unit.name, sizeof(st->unit.name));
		td_us(out, st->fence_wait_ps);
		td_fixed(out, ratio((double)st->fence_wait_ps, window_ps, 100.0), 2);
		td_num(out, "-");
		td_num(out, "-");
		fputs("</tr>\n", out);
		rows++;
	}
	if (b.path_src >= 0) {
		const struct prf_path_stats *ps = &rep->paths[b.path_src][b.path_dst];
		char name[64];

		snprintf(name, sizeof(name), "%s -> %s",
			 mdl_mem_kind_name((enum mdl_mem_kind)ps->src),
			 mdl_mem_kind_name((enum mdl_mem_kind)ps->dst));
		fputs("<tr><td>busiest memory path (busy)</td>", out);
		td_str(out, name, sizeof(name));
		td_us(out, ps->busy_ps);
		td_fixed(out, ratio((double)ps->busy_ps, window_ps, 100.0), 2);
		td_u64(out, ps->bytes);
		td_fixed(out, ratio((double)ps->bytes, ps->busy_ps, 1e3), 3);
		fputs("</tr>\n", out);
		rows++;
	}
	table_close(out, rows, 6);
}

static void write_engines(const struct prf_report *rep, FILE *out)
{
	static const char *const heads[] = { "id", "name", "class", "busy [us]", "busy [%]",
					     "idle [us]", "moved [bytes]", "busy rate [GB/s]",
					     "window rate [GB/s]", "transfers [n]" };
	uint64_t window_ps = prf_report_window_ps(rep);
	size_t i, rows = 0;

	fputs("<h2>Engines</h2>\n", out);
	table_open(out, heads, 10);
	for (i = 0; i < rep->num_units; i++) {
		const struct prf_unit_stats *st = &rep->units[i];

		if (st->unit.kind != HLSIM_UNIT_ENGINE)
			continue;
		fputs("<tr>", out);
		td_u64(out, st->unit.id);
		td_str(out, st->unit.name, sizeof(st->unit.name));
		td_str(out, st->unit.engine_class, sizeof(st->unit.engine_class));
		td_us(out, st->busy_ps);
		td_fixed(out, ratio((double)st->busy_ps, window_ps, 100.0), 2);
		td_us(out, st->idle_ps);
		td_u64(out, st->dma_bytes);
		td_fixed(out, ratio((double)st->dma_bytes, st->busy_ps, 1e3), 3);
		td_fixed(out, ratio((double)st->dma_bytes, window_ps, 1e3), 3);
		td_u64(out, st->transfers);
		fputs("</tr>\n", out);
		rows++;
	}
	table_close(out, rows, 10);
}

static void write_queues(const struct prf_report *rep, FILE *out)
{
	static const char *const heads[] = { "id", "name", "kind", "busy [us]", "busy [%]",
					     "fence-blocked [us]", "fence-blocked [%]",
					     "barrier-wait [us]", "timed-wait [us]", "idle [us]",
					     "jobs [n]", "packets [n]" };
	uint64_t window_ps = prf_report_window_ps(rep);
	size_t i, rows = 0;

	fputs("<h2>Queues and lower CPs</h2>\n", out);
	table_open(out, heads, 12);
	for (i = 0; i < rep->num_units; i++) {
		const struct prf_unit_stats *st = &rep->units[i];
		const char *kind = prf_unit_kind_name(st->unit.kind);

		if (st->unit.kind != HLSIM_UNIT_QUEUE && st->unit.kind != HLSIM_UNIT_LOWER_CP)
			continue;
		fputs("<tr>", out);
		td_u64(out, st->unit.id);
		td_str(out, st->unit.name, sizeof(st->unit.name));
		td_str(out, kind, strlen(kind) + 1);
		td_us(out, st->busy_ps);
		td_fixed(out, ratio((double)st->busy_ps, window_ps, 100.0), 2);
		td_us(out, st->fence_wait_ps);
		td_fixed(out, ratio((double)st->fence_wait_ps, window_ps, 100.0), 2);
		td_us(out, st->barrier_wait_ps);
		td_us(out, st->timed_wait_ps);
		td_us(out, st->idle_ps);
		td_u64(out, st->jobs);
		if (rep->whole_run && st->have_counters)
			td_u64(out, st->counters.packets);
		else
			td_num(out, "-");
		fputs("</tr>\n", out);
		rows++;
	}
	table_close(out, rows, 12);
}

static void write_paths(const struct prf_report *rep, FILE *out)
{
	static const char *const heads[] = { "path (source -> destination)", "moved [bytes]",
					     "transfers [n]", "busy [us]", "busy [%]",
					     "busy rate [GB/s]" };
	uint64_t window_ps = prf_report_window_ps(rep);
	size_t rows = 0;
	int s, d;

	fputs("<h2>DMA paths</h2>\n", out);
	table_open(out, heads, 6);
	for (s = 0; s < MDL_MEM_KIND_COUNT_; s++) {
		for (d = 0; d < MDL_MEM_KIND_COUNT_; d++) {
			const struct prf_path_stats *p = &rep->paths[s][d];
			char name[64];

			if (!p->transfers)
				continue;
			snprintf(name, sizeof(name), "%s -> %s",
				 mdl_mem_kind_name((enum mdl_mem_kind)s),
				 mdl_mem_kind_name((enum mdl_mem_kind)d));
			fputs("<tr>", out);
			td_str(out, name, sizeof(name));
			td_u64(out, p->bytes);
			td_u64(out, p->transfers);
			td_us(out, p->busy_ps);
			td_fixed(out, ratio((double)p->busy_ps, window_ps, 100.0), 2);
			td_fixed(out, ratio((double)p->bytes, p->busy_ps, 1e3), 3);
			fputs("</tr>\n", out);
			rows++;
		}
	}
	table_close(out, rows, 6);
}

static void names_note(const struct prf_launches *l, FILE *out)
{
	if (!l->names_note[0])
		return;
	fputs("<p class=\"note\">Kernel names unavailable (", out);
	esc_field(out, l->names_note, sizeof(l->names_note));
	fputs(").</p>\n", out);
}

static void write_top_launches(const struct prf_report *rep, FILE *out)
{
	static const char *const heads[] = { "unit", "class", "start [us]", "duration [us]",
					     "moved [bytes]", "FLOPs [n]", "achieved [TFLOPS]",
					     "achieved [GB/s]", "CS seq [n]", "job [n]", "kernel" };
	const struct prf_launches *l = &rep->launches;
	size_t i;

	fprintf(out, "<h2>Top launches</h2>\n<p>Longest first, at most %d; %" PRIu64
		" launches in the window.</p>\n", PRF_TOP_LAUNCHES, l->launches);
	table_open(out, heads, 11);
	for (i = 0; i < l->num_top; i++) {
		const struct hlsim_rec *r = &l->top[i].rec;
		const struct prf_unit_stats *st = &rep->units[r->unit];
		uint64_t dur_ps = r->end_ps - r->start_ps;

		fputs("<tr>", out);
		td_str(out, st->unit.name, sizeof(st->unit.name));
		td_str(out, st->unit.engine_class, sizeof(st->unit.engine_class));
		td_us(out, r->start_ps);
		td_us(out, dur_ps);
		td_u64(out, r->bytes);
		td_u64(out, r->flops);
		td_fixed(out, ratio((double)r->flops, dur_ps, 1.0), 3);
		td_fixed(out, ratio((double)r->bytes, dur_ps, 1e3), 3);
		td_u64(out, r->cs_seq);
		td_u64(out, r->job);
		if (l->top[i].kernel[0])
			td_str(out, l->top[i].kernel, sizeof(l->top[i].kernel));
		else
			td_str(out, "-", 2);
		fputs("</tr>\n", out);
	}
	table_close(out, l->num_top, 11);
	names_note(l, out);
}

static void write_kernels(const struct prf_report *rep, FILE *out)
{
	static const char *const heads[] = { "kernel", "class", "launches [n]", "total [us]",
					     "FLOPs [n]", "average [TFLOPS]" };
	const struct prf_launches *l = &rep->launches;
	size_t i;

	fputs("<h2>Launches by kernel</h2>\n<p>Kernel \"-\": launches without a name, per "
	      "class.</p>\n", out);
	table_open(out, heads, 6);
	for (i = 0; i < l->num_kernels; i++) {
		const struct prf_kernel_stats *k = &l->kernels[i];

		fputs("<tr>", out);
		if (k->kernel[0])
			td_str(out, k->kernel, sizeof(k->kernel));
		else
			td_str(out, "-", 2);
		td_str(out, k->engine_class, sizeof(k->engine_class));
		td_u64(out, k->launches);
		td_us(out, k->total_ps);
		td_u64(out, k->flops);
		td_fixed(out, ratio((double)k->flops, k->total_ps, 1.0), 3);
		fputs("</tr>\n", out);
	}
	table_close(out, l->num_kernels, 6);
	if (l->ungrouped)
		fprintf(out, "<p class=\"note\">Table capped at %d kernel names: %" PRIu64
			" launches of further names are not listed.</p>\n", PRF_KERNELS_MAX,
			l->ungrouped);
}

static const char *html_unit_name(const struct prf_report *rep, uint32_t id)
{
	return id < rep->num_units ? rep->units[id].unit.name : "?";
}

/* Stall attribution: "who kept whom waiting" (the text report has the per-SOB rows too). */
static hlsim_err_t write_stalls(const struct prf_report *rep, FILE *out)
{
	static const char *const heads[] = { "waiting", "kept waiting by", "waits [n]",
					     "blocked [us]", "of its fence-blocked [%]" };
	struct prf_stall_pair top[PRF_STALL_TOP];
	hlsim_err_t rc;
	size_t i, n;

	fputs("<h2>Stall attribution</h2>\n", out);
	if (!rep->stalls.have_releases) {
		fputs("<p class=\"note\">The results file has no /releases rows (results 1.0, or "
		      "no fence wait): fence-blocked time cannot be attributed.</p>\n", out);
		return HLSIM_OK;
	}
	n = prf_stalls_top(&rep->stalls, top, PRF_STALL_TOP, &rc);
	if (rc)
		return rc;
	fprintf(out, "<p>Fence-blocked time by the unit whose message released it, most first "
		     "(at most %d).</p>\n", PRF_STALL_TOP);
	table_open(out, heads, 5);
	for (i = 0; i < n; i++) {
		uint64_t q = top[i].queue < rep->num_units ?
				     rep->units[top[i].queue].fence_wait_ps : 0;

		fputs("<tr>", out);
		td_str(out, html_unit_name(rep, top[i].queue), 32);
		td_str(out, html_unit_name(rep, top[i].producer), 32);
		td_u64(out, top[i].waits);
		td_us(out, top[i].blocked_ps);
		td_fixed(out, ratio((double)top[i].blocked_ps, q, 100.0), 2);
		fputs("</tr>\n", out);
	}
	table_close(out, n, 5);
	return HLSIM_OK;
}

/* The critical path: its length, and its time per dependency kind and per class. */
static void write_critpath(const struct prf_report *rep, FILE *out)
{
	static const char *const heads[] = { "part", "time [us]", "share [%]" };
	const struct prf_critpath *cp = &rep->crit;
	struct prf_crit_class cls[PRF_CRIT_CLASSES_MAX];
	char a[32], b[32], c[32];
	size_t i, n, rows = 0;

	fputs("<h2>Critical path</h2>\n", out);
	if (!cp->computed) {
		fputs("<p class=\"note\">Not computed: ", out);
		esc(out, cp->note[0] ? cp->note : "no results file");
		fputs("</p>\n", out);
		return;
	}
	fprintf(out, "<p>Whole run, walked back from the record that ends last: %s us from %s us "
		     "to %s us.</p>\n", prf_fmt_ps_us(a, sizeof(a), cp->total_ps),
		prf_fmt_ps_us(b, sizeof(b), cp->start_ps), prf_fmt_ps_us(c, sizeof(c), cp->end_ps));
	table_open(out, heads, 3);
	for (i = 0; i < PRF_DEP_COUNT_; i++) {
		if (!cp->dep_ps[i])
			continue;
		fputs("<tr>", out);
		td_str(out, prf_dep_kind_name((unsigned int)i), 32);
		td_us(out, cp->dep_ps[i]);
		td_fixed(out, ratio((double)cp->dep_ps[i], cp->total_ps, 100.0), 2);
		fputs("</tr>\n", out);
		rows++;
	}
	n = prf_critpath_classes(cp, cls, PRF_CRIT_CLASSES_MAX);
	for (i = 0; i < n; i++) {
		char name[24];

		snprintf(name, sizeof(name), "class %.*s", (int)sizeof(cls[i].name), cls[i].name);
		fputs("<tr>", out);
		td_str(out, name, sizeof(name));
		td_us(out, cls[i].ps);
		td_fixed(out, ratio((double)cls[i].ps, cp->total_ps, 100.0), 2);
		fputs("</tr>\n", out);
		rows++;
	}
	table_close(out, rows, 3);
}

/* ===== plots ===== */

/* The plots of the page: name of the script and of the files (NAME.gp, NAME.dat). */
static const char *const plot_names[] = { "timeline", "utilisation", "bandwidth", "roofline" };
#define NUM_PLOTS (sizeof(plot_names) / sizeof(plot_names[0]))

/* Read the whole file @path into a NUL-terminated buffer (owned by the caller). */
static hlsim_err_t slurp(const char *path, char **buf_out, size_t *len_out)
{
	size_t len = 0, cap = 0, n;
	char *buf = NULL, *p;
	FILE *f;

	*buf_out = NULL;
	f = fopen(path, "rb");
	if (!f)
		return hlsim_error(HLSIM_E_IO, "cannot open the plot: %s", strerror(errno));
	do {
		if (len + 65536 + 1 > cap) {
			if (len > HTML_SVG_MAX_BYTES) {
				free(buf);
				fclose(f);
				return hlsim_error(HLSIM_E_INVAL, "the plot is over %u bytes",
						   HTML_SVG_MAX_BYTES);
			}
			cap = (len + 65536 + 1) * 2;
			p = realloc(buf, cap);
			if (!p) {
				free(buf);
				fclose(f);
				return hlsim_error(HLSIM_E_NOMEM, "no memory for the plot");
			}
			buf = p;
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
	} while (n);
	if (ferror(f)) {
		free(buf);
		fclose(f);
		return hlsim_error(HLSIM_E_IO, "cannot read the plot");
	}
	fclose(f);
	buf[len] = '\0';
	*buf_out = buf;
	*len_out = len;
	return HLSIM_OK;
}

/* Does @s start an attribute (` NAME="`) whose value is a URL (http:, https:)? Returns the
 * length to skip (through the closing quote), 0 if not. */
static size_t url_attr_len(const char *s)
{
	const char *p = s + 1, *q;

	if (*s != ' ' && *s != '\n' && *s != '\t')
		return 0;
	while (*p && (strchr(":_-.", *p) || (*p >= 'a' && *p <= 'z') ||
		      (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
		p++;
	if (p == s + 1 || (p[0] != '=') || (p[1] != '"' && p[1] != '\''))
		return 0;
	if (strncmp(p + 2, "http:", 5) && strncmp(p + 2, "https:", 6))
		return 0;
	q = strchr(p + 2, p[1]);
	return q ? (size_t)(q + 1 - s) : 0;
}

/*
 * Copy the SVG document @svg into the page: from its <svg element on (the XML declaration,
 * doctype and comments before it dropped), without attributes whose value is a URL (the
 * xmlns namespaces, which inline SVG in HTML does not need), and with every id="X" made
 * id="@name-X" so the plots of one page do not share ids (gnuplot's pictures refer to no
 * id from inside). Returns 0 if there is no <svg element.
 */
static int embed_svg(const char *svg, const char *name, FILE *out)
{
	const char *p = strstr(svg, "<svg");
	size_t skip;

	if (!p)
		return 0;
	for (; *p; p++) {
		skip = url_attr_len(p);
		if (skip) {
			p += skip - 1;
			continue;
		}
		if (!strncmp(p, " id=\"", 5)) {
			fprintf(out, " id=\"%s-", name);
			p += 4;
			continue;
		}
		fputc(*p, out);
	}
	fputc('\n', out);
	return 1;
}

static void plot_note(FILE *out, const char *name, const char *why)
{
	fprintf(out, "<p class=\"note\">The %s plot could not be drawn: ", name);
	esc(out, why);
	fputs("</p>\n", out);
}

/* Write @dir/@name.dat with the plot data of @which (index in plot_names). */
static hlsim_err_t write_plot_data(const struct prf_report *rep, const struct prf_runplots *p,
				   size_t which, const char *path)
{
	hlsim_err_t rc;
	FILE *f;

	f = fopen(path, "w");
	if (!f)
		return hlsim_error(HLSIM_E_IO, "cannot create the plot data: %s",
				   strerror(errno));
	if (which == 0)
		rc = prf_timeline_write_dat(rep, f);
	else if (which == 1)
		rc = prf_runplots_write_utilisation(rep, f);
	else if (which == 2)
		rc = prf_runplots_write_bandwidth(p, rep, f);
	else
		rc = prf_runplots_write_roofline(p, rep, f);
	if (ferror(f) && !rc)
		rc = hlsim_error(HLSIM_E_IO, "writing the plot data failed");
	if (fclose(f) && !rc)
		rc = hlsim_error(HLSIM_E_IO, "writing the plot data failed: %s", strerror(errno));
	return rc;
}

/* Draw plot @which in @tmp_dir with the script in @plots_dir and embed it, or a note. */
static void one_plot(const struct prf_report *rep, const struct prf_runplots *p, size_t which,
		     const char *plots_dir, const char *tmp_dir, FILE *out)
{
	char dat[HTML_PATH_BYTES], svg[HTML_PATH_BYTES], script[HTML_PATH_BYTES];
	const char *name = plot_names[which];
	char *text = NULL;
	size_t len;
	hlsim_err_t rc;

	fprintf(out, "<h3>%s</h3>\n<div class=\"plot\">\n", name);
	if ((size_t)snprintf(dat, sizeof(dat), "%s/%s.dat", tmp_dir, name) >= sizeof(dat) ||
	    (size_t)snprintf(svg, sizeof(svg), "%s/%s.svg", tmp_dir, name) >= sizeof(svg) ||
	    (size_t)snprintf(script, sizeof(script), "%s/%s.gp", plots_dir, name) >=
		    sizeof(script)) {
		plot_note(out, name, "a folder name is too long.");
		goto out_div;
	}
	rc = write_plot_data(rep, p, which, dat);
	if (!rc)
		rc = prf_plot_run(script, dat, svg);
	if (!rc)
		rc = slurp(svg, &text, &len);
	if (rc) {
		/* the message may name the temporary folder: keep it out of the page */
		plot_note(out, name, "gnuplot failed or its picture could not be read "
				     "(see the messages of hlsim report).");
		fprintf(stderr, "hlsim: warning: html report: the %s plot was replaced by a "
			"note: %s\n", name, hlsim_last_error_detail());
		hlsim_clear_error();
	} else if (!embed_svg(text, name, out)) {
		plot_note(out, name, "the picture holds no <svg> element.");
	}
	free(text);
	unlink(svg);
	unlink(dat);
out_div:
	fputs("</div>\n", out);
}

static void write_plots(const struct prf_report *rep, const struct prf_runplots *p,
			const char *plots_dir, FILE *out)
{
	char tmp_dir[HTML_PATH_BYTES];
	const char *base = getenv("TMPDIR");
	size_t i;

	fputs("<h2>Plots</h2>\n", out);
	if (!plots_dir || !p) {
		fputs("<p class=\"note\">Plots not drawn: no plot scripts folder was given.</p>\n",
		      out);
		return;
	}
	if (!base || !base[0])
		base = "/tmp";
	if ((size_t)snprintf(tmp_dir, sizeof(tmp_dir), "%s/hlsim-html-XXXXXX", base) >=
		    sizeof(tmp_dir) ||
	    !mkdtemp(tmp_dir)) {
		fputs("<p class=\"note\">Plots not drawn: no private temporary folder could be "
		      "created.</p>\n", out);
		return;
	}
	for (i = 0; i < NUM_PLOTS; i++)
		one_plot(rep, p, i, plots_dir, tmp_dir, out);
	rmdir(tmp_dir);
}

static const char page_css[] =
	"body{font-family:sans-serif;margin:1.5em;color:#222;background:#fff}\n"
	"h1{font-size:1.6em}h2{font-size:1.25em;margin-top:1.6em;border-bottom:1px solid #ccc}\n"
	"table{border-collapse:collapse;font-size:0.85em;margin:0.4em 0}\n"
	"th,td{border:1px solid #bbb;padding:2px 6px;text-align:left;vertical-align:top}\n"
	"th{background:#e8eef6}td.n{text-align:right;font-family:monospace}\n"
	"tbody tr:nth-child(even){background:#f6f6f6}\n"
	".note{color:#7a4a00;font-style:italic}\n"
	".plot svg{max-width:100%;height:auto;border:1px solid #ddd}\n";

hlsim_err_t prf_html_write(const struct prf_report *rep, const struct prf_runplots *plots,
			   const char *plots_dir, FILE *out)
{
	hlsim_err_t rc;

	if (!rep || !out)
		return hlsim_error(HLSIM_E_INVAL, "html report: report and stream are required");
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<title>hlsim report</title>\n<style>\n", out);
	fputs(page_css, out);
	fputs("</style>\n</head>\n<body>\n<h1>hlsim report</h1>\n", out);
	write_summary(rep, out);
	rc = write_advice(rep, out);
	if (rc)
		return rc;
	write_bottleneck(rep, out);
	write_engines(rep, out);
	write_queues(rep, out);
	write_paths(rep, out);
	write_top_launches(rep, out);
	write_kernels(rep, out);
	rc = write_stalls(rep, out);
	if (rc)
		return rc;
	write_critpath(rep, out);
	write_plots(rep, plots, plots_dir, out);
	fputs("<p class=\"note\">Times are simulated time in microseconds (1 us = 1000000 ps), "
	      "clipped to the report window; [%] is a share of the window; GB/s means 1e9 "
	      "bytes per second. See report.txt for the full legend.</p>\n</body>\n</html>\n",
	      out);
	if (ferror(out))
		return hlsim_error(HLSIM_E_IO, "writing the HTML report failed");
	return HLSIM_OK;
}

/* ===== loading ===== */

hlsim_err_t prf_html_report_file(const char *results_path, const char *html_path)
{
	char plots_dir[HTML_PATH_BYTES];
	struct prf_runplots *plots = NULL;
	struct prf_report rep;
	const char *pdir = plots_dir;
	hlsim_err_t rc;
	FILE *f;

	if (!results_path || !html_path)
		return hlsim_error(HLSIM_E_INVAL, "html report: results and page paths are "
						  "required");
	/* without the scripts the page is still written, with a note instead of the plots */
	if (prf_plots_dir_find(NULL, plots_dir, sizeof(plots_dir)))
		pdir = NULL;
	plots = calloc(1, sizeof(*plots));
	if (!plots)
		return hlsim_error(HLSIM_E_NOMEM, "html report: no memory for the plot data");
	rc = prf_report_load(results_path, 0, 0, &rep, plots);
	if (rc) {
		free(plots);
		return rc;
	}
	f = fopen(html_path, "w");
	if (!f) {
		rc = hlsim_error(HLSIM_E_IO, "%s: cannot create: %s", html_path, strerror(errno));
		goto out;
	}
	rc = prf_html_write(&rep, plots, pdir, f);
	if (rc)
		hlsim_error_prefix(rc, "%s: ", html_path);
	if (fclose(f) != 0 && !rc)
		rc = hlsim_error(HLSIM_E_IO, "%s: write failed: %s", html_path, strerror(errno));
out:
	prf_runplots_free(plots);
	free(plots);
	prf_report_free(&rep);
	return rc;
}
