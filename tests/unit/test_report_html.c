/*
 * tests/unit/test_report_html.c - the self-contained HTML page of a results file.
 *
 * Writes a small results file with the writer API whose unit names, trace path and
 * configuration name hold HTML-special characters, writes the page twice with
 * prf_html_report_file() and checks: the tables are there with units in their headers, the
 * strings are escaped (and never appear raw), nothing refers to the network (no "http",
 * "src=", "href=http"), each of the four plots is an inline <svg> element (when gnuplot is
 * installed; else each has its note), and the two pages are the same bytes. Also checks
 * prf_html_escape() and the error for a missing results file.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "profiler/prf.h"
#include "tests/unit/check.h"

#define RESULTS HLSIM_BINARY_DIR "/test_report_html.h5"
#define PAGE1 HLSIM_BINARY_DIR "/test_report_html.1.html"
#define PAGE2 HLSIM_BINARY_DIR "/test_report_html.2.html"

static struct hlsim_unit mk_unit(uint32_t id, uint8_t kind, const char *name, const char *cls)
{
	struct hlsim_unit u;

	memset(&u, 0, sizeof(u));
	u.id = id;
	u.kind = kind;
	snprintf(u.name, sizeof(u.name), "%s", name);
	snprintf(u.engine_class, sizeof(u.engine_class), "%s", cls);
	return u;
}

static struct hlsim_rec mk_rec(uint32_t unit, uint16_t kind, uint64_t start_ps, uint64_t end_ps,
			       uint64_t bytes, uint64_t flops, uint16_t aux)
{
	struct hlsim_rec r;

	memset(&r, 0, sizeof(r));
	r.unit = unit;
	r.kind = kind;
	r.start_ps = start_ps;
	r.end_ps = end_ps;
	r.bytes = bytes;
	r.flops = flops;
	r.aux = aux;
	return r;
}

/* Units: a queue, a TPC and a DMA engine, named with characters HTML must escape. */
static hlsim_err_t write_results(void)
{
	struct hlsim_unit units[3];
	struct hlsim_rec recs[4];
	struct hlsim_run_info run;
	hlsim_results_writer_t *w = NULL;
	hlsim_err_t rc;
	size_t i;

	units[0] = mk_unit(0, HLSIM_UNIT_QUEUE, "Q<0>&\"a\"", "");
	units[1] = mk_unit(1, HLSIM_UNIT_ENGINE, "TPC<&>'x'", "tpc");
	units[2] = mk_unit(2, HLSIM_UNIT_ENGINE, "DMA<1>", "dma");
	recs[0] = mk_rec(0, HLSIM_REC_JOB, 0, 900000, 256, 0, 0);
	recs[1] = mk_rec(0, HLSIM_REC_FENCE_WAIT, 100000, 200000, 0, 0, 1);
	recs[2] = mk_rec(2, HLSIM_REC_DMA, 0, 400000, 65536, 0, (uint16_t)(1 << 8 | 3));
	recs[3] = mk_rec(1, HLSIM_REC_LAUNCH, 300000, 800000, 8192, 1000000,
			 (uint16_t)MDL_ENGINE_TPC);
	memset(&run, 0, sizeof(run));
	snprintf(run.hlsim_version, sizeof(run.hlsim_version), "test");
	snprintf(run.trace_path, sizeof(run.trace_path), "/nonexistent/<t&r>.h5");
	snprintf(run.config_name, sizeof(run.config_name), "cfg<1>");
	run.simulated_time_ps = 1000000;
	run.cs_count = 1;
	run.job_count = 1;

	rc = hlsim_results_create(RESULTS, &w);
	for (i = 0; !rc && i < 3; i++)
		rc = hlsim_results_add_unit(w, &units[i]);
	if (!rc)
		rc = hlsim_results_append(w, recs, 4);
	if (!rc)
		rc = hlsim_results_set_config(w, "[asic]\nname = gaudi\n");
	if (!rc)
		rc = hlsim_results_set_run_info(w, &run);
	if (w) {
		hlsim_err_t crc = hlsim_results_writer_close(w);

		if (!rc)
			rc = crc;
	}
	return rc;
}

/* The whole file @path as a NUL-terminated string (NULL if it cannot be read). */
static char *slurp(const char *path, size_t *len_out)
{
	size_t len = 0, cap = 0, n;
	char *buf = NULL, *p;
	FILE *f = fopen(path, "rb");

	if (!f)
		return NULL;
	do {
		if (len + 65536 + 1 > cap) {
			cap = (len + 65536 + 1) * 2;
			p = realloc(buf, cap);
			if (!p) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = p;
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
	} while (n);
	fclose(f);
	buf[len] = '\0';
	*len_out = len;
	return buf;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (hay = strstr(hay, needle); hay; hay = strstr(hay + 1, needle))
		n++;
	return n;
}

static void test_escape(void)
{
	char buf[128];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	CHECK(f != NULL);
	if (!f)
		return;
	prf_html_escape(f, "a<b>&\"c'\td", 64);
	fclose(f);
	CHECK(!strcmp(buf, "a&lt;b&gt;&amp;&quot;c&#39;?d"));
}

static int have_gnuplot(void)
{
	return system("gnuplot --version > /dev/null 2>&1") == 0;
}

int main(void)
{
	static const char *const tables[] = {
		"<h2>Run summary</h2>", "<h2>Advice</h2>", "<h2>Bottleneck</h2>",
		"<h2>Engines</h2>", "<h2>Queues and lower CPs</h2>", "<h2>DMA paths</h2>",
		"<h2>Top launches</h2>", "<h2>Launches by kernel</h2>",
		"<h2>Stall attribution</h2>", "<h2>Critical path</h2>",
	};
	size_t len1 = 0, len2 = 0, i;
	char *p1, *p2;

	test_escape();
	CHECK_EQ_U64(write_results(), HLSIM_OK);
	CHECK_EQ_U64(prf_html_report_file(RESULTS, PAGE1), HLSIM_OK);
	CHECK_EQ_U64(prf_html_report_file(RESULTS, PAGE2), HLSIM_OK);
	p1 = slurp(PAGE1, &len1);
	p2 = slurp(PAGE2, &len2);
	CHECK(p1 != NULL && p2 != NULL);
	if (!p1 || !p2)
		goto out;
	CHECK(len1 == len2 && !memcmp(p1, p2, len1));

	CHECK(!strncmp(p1, "<!DOCTYPE html>", 15));
	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		CHECK_STR_CONTAINS(p1, tables[i]);
	/* 8, and the critical path's (the file has no /releases: no stall table) */
	CHECK_EQ_U64(count(p1, "<table>"), 9);
	CHECK_STR_CONTAINS(p1, "has no /releases rows (results 1.0, or no fence wait)");
	CHECK_STR_CONTAINS(p1, "<th>busy [us]</th>");
	CHECK_STR_CONTAINS(p1, "<th>fence-blocked [%]</th>");
	CHECK_STR_CONTAINS(p1, "<th>moved [bytes]</th>");
	CHECK_STR_CONTAINS(p1, "<th>duration [us]</th>");
	CHECK_STR_CONTAINS(p1, "<th>average [TFLOPS]</th>");
	CHECK_STR_CONTAINS(p1, "<th>path (source -&gt; destination)</th>");

	/* escaped strings from the results, never raw */
	CHECK_STR_CONTAINS(p1, "<td>Q&lt;0&gt;&amp;&quot;a&quot;</td>");
	CHECK_STR_CONTAINS(p1, "<td>TPC&lt;&amp;&gt;&#39;x&#39;</td>");
	CHECK_STR_CONTAINS(p1, "<td>DMA&lt;1&gt;</td>");
	CHECK_STR_CONTAINS(p1, "/nonexistent/&lt;t&amp;r&gt;.h5");
	CHECK_STR_CONTAINS(p1, "<td>cfg&lt;1&gt;</td>");
	CHECK_STR_CONTAINS(p1, "<td>hbm -&gt; host</td>");
	CHECK(!strstr(p1, "Q<0>"));
	CHECK(!strstr(p1, "TPC<&>"));
	CHECK(!strstr(p1, "<t&r>"));
	CHECK(!strstr(p1, "DMA<1>"));

	/* nothing external, no temporary paths */
	CHECK(!strstr(p1, "http"));
	CHECK(!strstr(p1, "src="));
	CHECK(!strstr(p1, "<link"));
	CHECK(!strstr(p1, "<?xml"));
	CHECK(!strstr(p1, "hlsim-html-"));

	if (have_gnuplot()) {
		CHECK_EQ_U64(count(p1, "<svg"), 4);
		CHECK_EQ_U64(count(p1, "</svg>"), 4);
		CHECK_EQ_U64(count(p1, "could not be drawn"), 0);
	} else {
		printf("gnuplot not installed: checked the plot notes instead of the SVGs\n");
		CHECK_EQ_U64(count(p1, "could not be drawn"), 4);
	}

	/* a missing results file is an error and leaves no page */
	unlink(PAGE2);
	CHECK(prf_html_report_file(HLSIM_BINARY_DIR "/no-such-results.h5", PAGE2) != HLSIM_OK);
	CHECK(access(PAGE2, F_OK) != 0);
out:
	free(p1);
	free(p2);
	return check_summary();
}
