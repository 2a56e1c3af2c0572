/*
 * tests/unit/test_report_file.c - the whole report path on a real results file.
 *
 * Writes a small results.h5 with the writer API (the hand-made records of test_report.c
 * plus one engine with 70000 transfers, so the reader is read in several windows of
 * rows), runs prf_report_run() with plots into HLSIM_BINARY_DIR/test_report_file.out and
 * checks report.txt, report.json (validated), timeline.dat, that timeline.png starts with
 * the PNG signature and timeline.svg is an SVG (skipped with a message when gnuplot is not
 * installed), that the same input gives the same bytes, a report window, and the errors
 * for a missing gnuplot, a failing gnuplot script, a missing plots folder and a missing
 * results file.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "profiler/prf.h"
#include "tests/unit/check.h"
#include "tests/unit/test_report_jsonp.h"

#define OUT_DIR HLSIM_BINARY_DIR "/test_report_file.out"
#define BIG_TRANSFERS 70000

enum { U_QUEUE, U_LOWER, U_ENG0, U_ENG1, U_HOST, U_BIG, NUM_UNITS };

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
			       uint64_t bytes, uint16_t aux)
{
	struct hlsim_rec r;

	memset(&r, 0, sizeof(r));
	r.unit = unit;
	r.kind = kind;
	r.start_ps = start_ps;
	r.end_ps = end_ps;
	r.bytes = bytes;
	r.aux = aux;
	return r;
}

#define AUX(src, dst) ((uint16_t)((src) << 8 | (dst)))

/*
 * As in test_report.c (run of 1000000 ps), plus unit DMA2 with BIG_TRANSFERS (70000)
 * transfers [12i, 12i+6) of 8 bytes sram->hbm: busy 420000 ps, 560000 bytes, so
 * 560000 B / 0.42 us = 1333.333 GB/s while busy and 560 GB/s over the run.
 * Records are appended in end order, as the simulator does.
 */
static hlsim_err_t write_results(const char *path)
{
	struct hlsim_counters c[NUM_UNITS];
	struct hlsim_unit units[NUM_UNITS];
	struct hlsim_rec small[11], *big;
	hlsim_results_writer_t *w = NULL;
	struct hlsim_run_info run;
	hlsim_err_t rc;
	size_t i;

	units[U_QUEUE] = mk_unit(U_QUEUE, HLSIM_UNIT_QUEUE, "DMA_0_0", "dma");
	units[U_LOWER] = mk_unit(U_LOWER, HLSIM_UNIT_LOWER_CP, "DMA0.lower_cp", "dma");
	units[U_ENG0] = mk_unit(U_ENG0, HLSIM_UNIT_ENGINE, "DMA0", "dma");
	units[U_ENG1] = mk_unit(U_ENG1, HLSIM_UNIT_ENGINE, "DMA1", "dma");
	units[U_HOST] = mk_unit(U_HOST, HLSIM_UNIT_HOST, "host", "host");
	units[U_BIG] = mk_unit(U_BIG, HLSIM_UNIT_ENGINE, "DMA2", "dma");

	i = 0;
	small[i++] = mk_rec(U_QUEUE, HLSIM_REC_FENCE_WAIT, 200000, 300000, 0, 1);
	small[i++] = mk_rec(U_ENG0, HLSIM_REC_DMA, 100000, 300000, 1000, AUX(3, 1));
	small[i++] = mk_rec(U_QUEUE, HLSIM_REC_FENCE_WAIT, 250000, 400000, 0, 2);
	small[i++] = mk_rec(U_ENG0, HLSIM_REC_DMA, 200000, 400000, 3000, AUX(3, 1));
	small[i++] = mk_rec(U_LOWER, HLSIM_REC_CB, 300000, 500000, 64, 0);
	small[i++] = mk_rec(U_ENG0, HLSIM_REC_DMA, 500000, 600000, 500, AUX(1, 2));
	small[i++] = mk_rec(U_QUEUE, HLSIM_REC_BARRIER_WAIT, 600000, 650000, 0, 0);
	small[i++] = mk_rec(U_LOWER, HLSIM_REC_CB, 450000, 700000, 32, 0);
	small[i++] = mk_rec(U_QUEUE, HLSIM_REC_WAIT_TIME, 700000, 720000, 0, 0);
	small[i++] = mk_rec(U_QUEUE, HLSIM_REC_JOB, 100000, 800000, 256, 0);
	small[i++] = mk_rec(U_HOST, HLSIM_REC_CS, 0, 900000, 0, 0);

	memset(c, 0, sizeof(c));
	c[U_QUEUE] = (struct hlsim_counters){ .unit = U_QUEUE, .busy_ps = 450000,
					      .fence_wait_ps = 200000, .barrier_wait_ps = 50000,
					      .packets = 17, .jobs = 1 };
	c[U_LOWER] = (struct hlsim_counters){ .unit = U_LOWER, .busy_ps = 400000, .packets = 9,
					      .jobs = 2 };
	c[U_ENG0] = (struct hlsim_counters){ .unit = U_ENG0, .busy_ps = 400000, .bytes = 4500,
					     .jobs = 3 };
	c[U_ENG1] = (struct hlsim_counters){ .unit = U_ENG1 };
	c[U_HOST] = (struct hlsim_counters){ .unit = U_HOST, .jobs = 1 };
	c[U_BIG] = (struct hlsim_counters){ .unit = U_BIG, .busy_ps = 6 * BIG_TRANSFERS,
					    .bytes = 8 * BIG_TRANSFERS, .jobs = BIG_TRANSFERS };

	memset(&run, 0, sizeof(run));
	snprintf(run.hlsim_version, sizeof(run.hlsim_version), "0.1.0");
	snprintf(run.trace_path, sizeof(run.trace_path), "/data/traces/hand_made.h5");
	snprintf(run.config_name, sizeof(run.config_name), "gaudi_hl205");
	run.simulated_time_ps = 1000000;
	run.wall_s = 0.5;
	run.packets = 1000;
	run.activities = 3000;
	run.cs_count = 1;
	run.job_count = 1;

	big = calloc(BIG_TRANSFERS, sizeof(*big));
	if (!big)
		return HLSIM_E_NOMEM;
	for (i = 0; i < BIG_TRANSFERS; i++)
		big[i] = mk_rec(U_BIG, HLSIM_REC_DMA, 12 * i, 12 * i + 6, 8, AUX(2, 1));

	rc = hlsim_results_create(path, &w);
	for (i = 0; !rc && i < NUM_UNITS; i++)
		rc = hlsim_results_add_unit(w, &units[i]);
	if (!rc)
		rc = hlsim_results_append(w, big, BIG_TRANSFERS / 2);
	if (!rc)
		rc = hlsim_results_append(w, small, 11);
	if (!rc)
		rc = hlsim_results_append(w, big + BIG_TRANSFERS / 2, BIG_TRANSFERS / 2);
	if (!rc)
		rc = hlsim_results_set_counters(w, c, NUM_UNITS);
	if (!rc)
		rc = hlsim_results_set_config(w, "[asic]\nname = gaudi\n");
	if (!rc)
		rc = hlsim_results_set_run_info(w, &run);
	if (w) {
		hlsim_err_t crc = hlsim_results_writer_close(w);

		if (!rc)
			rc = crc;
	}
	free(big);
	return rc;
}

/* The whole file @dir/@name as a string (NULL if it cannot be read). */
static char *slurp(const char *dir, const char *name, size_t *len_out)
{
	char path[1024];
	size_t len = 0, cap = 0, n;
	char *buf = NULL, *p;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
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
		n = fread(buf + len, 1, 65536, f);
		len += n;
	} while (n > 0);
	fclose(f);
	buf[len] = '\0';
	if (len_out)
		*len_out = len;
	return buf;
}

/* Is @prog an executable file in one of the PATH folders? */
static int in_path(const char *prog)
{
	const char *path = getenv("PATH");
	char dir[1024], full[1200];

	while (path && *path) {
		size_t n = strcspn(path, ":");

		snprintf(dir, sizeof(dir), "%.*s", (int)n, path);
		snprintf(full, sizeof(full), "%s/%s", dir[0] ? dir : ".", prog);
		if (access(full, X_OK) == 0)
			return 1;
		path += n;
		if (*path == ':')
			path++;
	}
	return 0;
}

static void check_outputs(const char *dir, int plotted)
{
	char *text, *json, *flat, *dat, *png, *svg;
	size_t png_len = 0;

	text = slurp(dir, "report.txt", NULL);
	CHECK(text != NULL);
	CHECK_STR_CONTAINS(text, "simulated time           1.000000 us (1000000 ps)");
	CHECK_STR_CONTAINS(text, "timeline records         70011 (70011 in the window)");
	CHECK_STR_CONTAINS(text, "   2  DMA0  dma     0.400000     40.00   0.600000           4500"
				 "            11.250               4.500              3\n");
	/* 70000 transfers of 8 bytes, 6 ps each, every 12 ps */
	CHECK_STR_CONTAINS(text, "   5  DMA2  dma     0.420000     42.00   0.580000         560000"
				 "          1333.333             560.000          70000\n");
	CHECK_STR_CONTAINS(text, "  sram -> hbm                          560000          70000"
				 "   0.420000     42.00          1333.333\n");
	CHECK_STR_CONTAINS(text, "busiest engine             DMA2 (dma)");
	CHECK_STR_CONTAINS(text, "the simulator's counters agree with the timeline records");
	free(text);

	json = slurp(dir, "report.json", NULL);
	CHECK(json != NULL);
	flat = json ? json_flatten(json) : NULL;
	CHECK(flat != NULL);
	CHECK_STR_CONTAINS(flat, "\nschema=\"hlsim-report\"\nschema_version=2\n");
	CHECK_STR_CONTAINS(flat, "\nrun.timeline_records=70011\n");
	CHECK_STR_CONTAINS(flat, "\nengines[2].name=\"DMA2\"\n");
	CHECK_STR_CONTAINS(flat, "\nengines[2].busy_ps=420000\n");
	CHECK_STR_CONTAINS(flat, "\nengines[2].bytes_per_s_busy=1333333333333\n");
	CHECK_STR_CONTAINS(flat, "\nqueues[0].fence_wait_ps=200000\n");
	CHECK_STR_CONTAINS(flat, "\nqueues[0].packets=17\n");
	CHECK_STR_CONTAINS(flat, "\nbottleneck.fence_queue.name=\"DMA_0_0\"\n");
	free(flat);
	free(json);

	dat = slurp(dir, "timeline.dat", NULL);
	CHECK(dat != NULL);
	CHECK_STR_CONTAINS(dat, "# index 2: rows (row label unit_id)\n0 \"DMA_0_0\" 0\n"
				"1 \"DMA0.lower_cp\" 1\n2 \"DMA0\" 2\n3 \"host\" 4\n"
				"4 \"DMA2\" 5\n");
	CHECK_STR_CONTAINS(dat, "\n2 0.500000 0.600000 3\n3 0.000000 0.900000 5\n"
				"4 0.000000 0.000006 3\n4 0.000012 0.000018 3\n");
	free(dat);

	png = slurp(dir, "timeline.png", &png_len);
	svg = slurp(dir, "timeline.svg", NULL);
	if (plotted) {
		CHECK(png != NULL && png_len > 8 && memcmp(png, "\x89PNG\r\n\x1a\n", 8) == 0);
		CHECK_STR_CONTAINS(svg, "<svg");
	} else {
		CHECK(png == NULL && svg == NULL);
	}
	free(png);
	free(svg);
}

static void remove_outputs(const char *dir)
{
	static const char *names[] = { "report.txt", "report.json", "timeline.dat", "timeline.png",
				       "timeline.svg" };
	char path[1024];
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
}

int main(void)
{
	const char *results = OUT_DIR "/results.h5";
	int have_gnuplot = in_path("gnuplot");
	struct prf_options opt;
	char *a, *b, *s;
	FILE *f;
	hlsim_err_t rc;

	mkdir(OUT_DIR, 0777);
	unsetenv("HLSIM_GNUPLOT");
	unsetenv("HLSIM_PLOTS_DIR");
	rc = write_results(results);
	CHECK(rc == HLSIM_OK);
	if (rc) {
		fprintf(stderr, "cannot write %s: %s\n", results, hlsim_last_error_detail());
		return check_summary();
	}

	/* the full run, with plots; the script is found as HLSIM_SOURCE_DIR/plots */
	memset(&opt, 0, sizeof(opt));
	opt.no_plot = !have_gnuplot;
	if (!have_gnuplot)
		printf("gnuplot is not installed: skipping the PNG and SVG checks\n");
	remove_outputs(OUT_DIR "/run1");
	rc = prf_report_run(results, OUT_DIR "/run1", &opt);
	if (rc)
		fprintf(stderr, "prf_report_run: %s\n", hlsim_last_error_detail());
	CHECK(rc == HLSIM_OK);
	check_outputs(OUT_DIR "/run1", have_gnuplot);
	printf("report and timeline written to %s/run1\n", OUT_DIR);

	/* the same input gives the same bytes */
	memset(&opt, 0, sizeof(opt));
	opt.no_plot = 1;
	remove_outputs(OUT_DIR "/run2");
	CHECK(prf_report_run(results, OUT_DIR "/run2", &opt) == HLSIM_OK);
	check_outputs(OUT_DIR "/run2", 0);
	a = slurp(OUT_DIR "/run1", "report.json", NULL);
	b = slurp(OUT_DIR "/run2", "report.json", NULL);
	CHECK(a && b && strcmp(a, b) == 0);
	free(a);
	free(b);
	a = slurp(OUT_DIR "/run1", "timeline.dat", NULL);
	b = slurp(OUT_DIR "/run2", "timeline.dat", NULL);
	CHECK(a && b && strcmp(a, b) == 0);
	free(a);
	free(b);

	/* a window: [0.25, 0.55) us */
	opt.window_start_ps = 250000;
	opt.window_end_ps = 550000;
	CHECK(prf_report_run(results, OUT_DIR "/window", &opt) == HLSIM_OK);
	s = slurp(OUT_DIR "/window", "report.txt", NULL);
	CHECK_STR_CONTAINS(s, "report window            0.250000 .. 0.550000 us (300000 ps)");
	CHECK_STR_CONTAINS(s, "   0  DMA_0_0        queue      0.150000     50.00");
	free(s);
	opt.window_end_ps = 2000000;
	CHECK(prf_report_run(results, OUT_DIR "/window", &opt) == HLSIM_E_INVAL);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "after the end of the run");

	/* text and JSON to a stream */
	f = tmpfile();
	CHECK(prf_report_print(results, f) == HLSIM_OK);
	CHECK(prf_report_print_json(results, f) == HLSIM_OK);
	fclose(f);

	/* errors: missing results, missing gnuplot, failing script, missing plots folder */
	CHECK(prf_report_print(OUT_DIR "/no-such-results.h5", stdout) != HLSIM_OK);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "no-such-results.h5");
	memset(&opt, 0, sizeof(opt));
	setenv("HLSIM_GNUPLOT", "hlsim-no-such-gnuplot", 1);
	CHECK(prf_report_run(results, OUT_DIR "/nognuplot", &opt) == HLSIM_E_EXTERNAL);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "hlsim-no-such-gnuplot not found in PATH");
	unsetenv("HLSIM_GNUPLOT");
	if (have_gnuplot) {
		mkdir(OUT_DIR "/badplots", 0777);
		f = fopen(OUT_DIR "/badplots/timeline.gp", "w");
		CHECK(f != NULL);
		if (f) {
			fputs("plot ARG1 index 3 using 1:2 with no_such_style\n", f);
			fclose(f);
		}
		opt.plots_dir = OUT_DIR "/badplots";
		printf("(a gnuplot error message is expected next)\n");
		fflush(stdout);
		CHECK(prf_report_run(results, OUT_DIR "/badplot", &opt) == HLSIM_E_EXTERNAL);
		CHECK_STR_CONTAINS(hlsim_last_error_detail(), "failed with exit status");
	}
	opt.plots_dir = OUT_DIR "/no-such-plots";
	CHECK(prf_report_run(results, OUT_DIR "/badplot", &opt) == HLSIM_E_IO);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(),
			   "no-such-plots holds no readable timeline.gp");
	return check_summary();
}
