/*
 * tests/unit/test_report_top.c - the report's "Top launches" and "Launches by kernel" on
 * hand-made records: the order (longest first, ties by start then unit), the bound of
 * PRF_TOP_LAUNCHES kept, kernel names looked up in a hand-made trace (CS seq -> job row ->
 * queue -> kernel_name annotation) and grouped, the cap of PRF_KERNELS_MAX names, a
 * missing trace (names lost, one note, no failure), records outside the window, and the
 * text, JSON and CSV output.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hlsim/trace.h"
#include "profiler/prf.h"
#include "tests/unit/check.h"

enum { U_HOST, U_TPC0, U_TPC1, U_MME0, NUM_UNITS };

static struct hlsim_unit units[NUM_UNITS];

static void mk_unit(uint32_t id, uint8_t kind, const char *name, const char *cls)
{
	memset(&units[id], 0, sizeof(units[id]));
	units[id].id = id;
	units[id].kind = kind;
	snprintf(units[id].name, sizeof(units[id].name), "%s", name);
	snprintf(units[id].engine_class, sizeof(units[id].engine_class), "%s", cls);
}

static void init_units(void)
{
	mk_unit(U_HOST, HLSIM_UNIT_HOST, "host", "host");
	mk_unit(U_TPC0, HLSIM_UNIT_ENGINE, "TPC0", "tpc");
	mk_unit(U_TPC1, HLSIM_UNIT_ENGINE, "TPC1", "tpc");
	mk_unit(U_MME0, HLSIM_UNIT_ENGINE, "MME0", "mme");
}

static struct hlsim_rec launch(uint32_t unit, uint64_t start_ps, uint64_t dur_ps, uint64_t seq,
			       uint32_t job, uint64_t flops)
{
	struct hlsim_rec r;

	memset(&r, 0, sizeof(r));
	r.unit = unit;
	r.kind = HLSIM_REC_LAUNCH;
	r.start_ps = start_ps;
	r.end_ps = start_ps + dur_ps;
	r.cs_seq = seq;
	r.job = job;
	r.flops = flops;
	r.bytes = 1000;
	return r;
}

static void start(struct prf_report *rep, uint64_t ws, uint64_t we)
{
	struct hlsim_run_info run;

	memset(&run, 0, sizeof(run));
	run.simulated_time_ps = 1000000;
	CHECK(prf_report_init(rep, &run, units, NULL, NUM_UNITS, ws, we) == HLSIM_OK);
}

static char *capture(const struct prf_report *rep,
		     hlsim_err_t (*fn)(const struct prf_report *, FILE *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	CHECK(fn(rep, f) == HLSIM_OK);
	fclose(f);
	return buf;
}

/* 15 launches, N = 10 kept: order by duration, ties by start, then unit. */
static void test_order_ties_bound(void)
{
	struct hlsim_rec r[15];
	struct prf_report rep;
	size_t i;

	start(&rep, 0, 0);
	/* durations 100..1000 step 100 on TPC0 at start 10 * i, and five ties of 500 */
	for (i = 0; i < 10; i++)
		r[i] = launch(U_TPC0, 10 * i, 100 * (i + 1), 1, 0, 0);
	r[10] = launch(U_TPC1, 40, 500, 1, 1, 0); /* same start and length as r[4]: unit 2 > 1 */
	r[11] = launch(U_MME0, 5, 500, 1, 2, 0); /* earlier start than r[4]: before it */
	r[12] = launch(U_TPC1, 1, 50, 1, 1, 0); /* shorter than all: never kept */
	r[13] = launch(U_TPC1, 2000, 1000, 1, 1, 0); /* ties r[9] (start 90): after it */
	r[14] = launch(U_MME0, 3000, 5000, 1, 2, 0); /* the longest */
	CHECK(prf_report_add(&rep, r, 15) == HLSIM_OK);
	CHECK(prf_report_finish(&rep) == HLSIM_OK);
	CHECK_EQ_U64(rep.launches.launches, 15);
	CHECK_EQ_U64(rep.launches.num_top, PRF_TOP_LAUNCHES);
	/* expected: 5000, 1000@90, 1000@2000, 900, 800, 700, 600, 500@5(MME0), 500@40 TPC0,
	 * 500@40 TPC1 ; the 400 and shorter ones drop out */
	CHECK_EQ_U64(rep.launches.top[0].rec.end_ps - rep.launches.top[0].rec.start_ps, 5000);
	CHECK_EQ_U64(rep.launches.top[1].rec.start_ps, 90);
	CHECK_EQ_U64(rep.launches.top[2].rec.start_ps, 2000);
	CHECK_EQ_U64(rep.launches.top[3].rec.end_ps - rep.launches.top[3].rec.start_ps, 900);
	CHECK_EQ_U64(rep.launches.top[6].rec.end_ps - rep.launches.top[6].rec.start_ps, 600);
	CHECK_EQ_U64(rep.launches.top[7].rec.unit, U_MME0);
	CHECK_EQ_U64(rep.launches.top[7].rec.start_ps, 5);
	CHECK_EQ_U64(rep.launches.top[8].rec.unit, U_TPC0);
	CHECK_EQ_U64(rep.launches.top[8].rec.start_ps, 40);
	CHECK_EQ_U64(rep.launches.top[9].rec.unit, U_TPC1);
	CHECK_EQ_U64(rep.launches.top[9].rec.start_ps, 40);
	for (i = 1; i < rep.launches.num_top; i++)
		CHECK(prf_launch_cmp(&rep.launches.top[i - 1], &rep.launches.top[i]) < 0);
	/* no trace tried: one row per class, no names, no note */
	CHECK_EQ_U64(rep.launches.num_kernels, 2);
	CHECK(!strcmp(rep.launches.kernels[0].engine_class, "tpc"));
	CHECK_EQ_U64(rep.launches.kernels[0].launches, 13);
	CHECK(!strcmp(rep.launches.kernels[1].engine_class, "mme"));
	CHECK_EQ_U64(rep.launches.kernels[1].launches, 2);
	CHECK_EQ_U64(rep.launches.kernels[1].total_ps, 5500);
	prf_report_free(&rep);
}

/* Launches outside the window are not counted; a record order in the file does not matter. */
static void test_window(void)
{
	struct hlsim_rec r[3];
	struct prf_report rep;

	start(&rep, 1000, 2000);
	r[0] = launch(U_TPC0, 0, 500, 1, 0, 0); /* before the window */
	r[1] = launch(U_TPC0, 1500, 100000, 1, 0, 0); /* crosses the end: counted, unclipped */
	r[2] = launch(U_TPC1, 2000, 10, 1, 1, 0); /* starts at the (exclusive) end */
	CHECK(prf_report_add(&rep, r, 3) == HLSIM_OK);
	CHECK(prf_report_finish(&rep) == HLSIM_OK);
	CHECK_EQ_U64(rep.launches.launches, 1);
	CHECK_EQ_U64(rep.launches.num_top, 1);
	CHECK_EQ_U64(rep.launches.top[0].rec.end_ps - rep.launches.top[0].rec.start_ps, 100000);
	prf_report_free(&rep);
}

/*
 * A trace with @num_cs CSs (seq 10, 11, ...), each with jobs on queues 0 and 4; queue 4
 * carries a kernel_name annotation: "add_bf16" for the first two CSs, "k<seq>" for the
 * others; queue 0 has only a cost_hint (not a name).
 */
static void write_trace(const char *path, uint64_t num_cs)
{
	struct hlsim_trace_annotation a;
	struct hlsim_trace_device dev;
	struct hlsim_trace_job jobs[2];
	struct hlsim_trace_writer *w = NULL;
	struct hlsim_trace_cs cs;
	uint32_t d;
	uint64_t i;

	memset(&dev, 0, sizeof(dev));
	snprintf(dev.asic, sizeof(dev.asic), "gaudi");
	CHECK(hlsim_trace_create(path, "test_report_top", &w) == HLSIM_OK);
	CHECK(hlsim_trace_add_device(w, &dev, &d) == HLSIM_OK);
	for (i = 0; i < num_cs; i++) {
		memset(&cs, 0, sizeof(cs));
		memset(jobs, 0, sizeof(jobs));
		cs.seq = 10 + i;
		cs.num_jobs = 2;
		jobs[0].queue_id = 0;
		jobs[0].blob_id = HLSIM_TRACE_NO_BLOB;
		jobs[0].phase = HLSIM_PHASE_EXECUTE;
		jobs[1] = jobs[0];
		jobs[1].queue_id = 4;
		CHECK(hlsim_trace_add_cs(w, d, &cs, jobs, 2) == HLSIM_OK);
		memset(&a, 0, sizeof(a));
		a.cs_seq = cs.seq;
		a.queue_id = 0;
		snprintf(a.key, sizeof(a.key), "cost_hint");
		snprintf(a.value, sizeof(a.value), "flops=1");
		CHECK(hlsim_trace_add_annotation(w, d, &a) == HLSIM_OK);
		a.queue_id = 4;
		snprintf(a.key, sizeof(a.key), "kernel_name");
		if (i < 2)
			snprintf(a.value, sizeof(a.value), "add_bf16");
		else
			snprintf(a.value, sizeof(a.value), "k%llu", (unsigned long long)cs.seq);
		CHECK(hlsim_trace_add_annotation(w, d, &a) == HLSIM_OK);
	}
	CHECK(hlsim_trace_writer_close(w) == HLSIM_OK);
}

static const struct prf_kernel_stats *find_kernel(const struct prf_report *rep,
						   const char *name, const char *cls)
{
	size_t i;

	for (i = 0; i < rep->launches.num_kernels; i++)
		if (!strcmp(rep->launches.kernels[i].kernel, name) &&
		    !strcmp(rep->launches.kernels[i].engine_class, cls))
			return &rep->launches.kernels[i];
	return NULL;
}

static void test_names(const char *dir)
{
	char path[512], note[PRF_NOTE_BYTES], *txt, *js;
	const struct prf_kernel_stats *k;
	struct hlsim_rec r[5];
	struct prf_report rep;

	snprintf(path, sizeof(path), "%s/top_names.h5", dir);
	write_trace(path, 3);
	start(&rep, 0, 0);
	CHECK(prf_names_open(path, &rep.launches.names, note, sizeof(note)) == HLSIM_OK);
	CHECK(rep.launches.names != NULL);
	CHECK(note[0] == '\0');
	r[0] = launch(U_TPC0, 0, 300, 10, 1, 600); /* CS 10 job 1 -> queue 4: add_bf16 */
	r[1] = launch(U_TPC1, 0, 100, 11, 1, 200); /* CS 11 job 1: add_bf16 */
	r[2] = launch(U_TPC0, 400, 200, 12, 1, 0); /* CS 12 job 1: k12 */
	r[3] = launch(U_TPC1, 400, 50, 12, 0, 0); /* queue 0: a cost hint only: no name */
	r[4] = launch(U_MME0, 0, 10, 99, 0, 0); /* no such CS: no name */
	CHECK(prf_report_add(&rep, r, 5) == HLSIM_OK);
	CHECK(prf_report_finish(&rep) == HLSIM_OK);
	CHECK_EQ_U64(rep.launches.names_found, 3);
	CHECK(!strcmp(rep.launches.top[0].kernel, "add_bf16"));
	CHECK(!strcmp(rep.launches.top[1].kernel, "k12"));
	CHECK(!strcmp(rep.launches.top[2].kernel, "add_bf16"));
	CHECK(rep.launches.top[3].kernel[0] == '\0');
	/* rows: ("", mme) first (the batch is accounted by start, then end), add_bf16, ... */
	CHECK_EQ_U64(rep.launches.num_kernels, 4);
	k = find_kernel(&rep, "add_bf16", "tpc");
	CHECK(k != NULL);
	if (k) {
		CHECK_EQ_U64(k->launches, 2);
		CHECK_EQ_U64(k->total_ps, 400);
		CHECK_EQ_U64(k->flops, 800);
	}
	CHECK(find_kernel(&rep, "k12", "tpc") != NULL);
	CHECK(find_kernel(&rep, "", "tpc") != NULL);
	CHECK(find_kernel(&rep, "", "mme") != NULL);
	txt = capture(&rep, prf_report_write_text);
	CHECK(txt != NULL);
	if (txt) {
		CHECK_STR_CONTAINS(txt, "\nTop launches (longest first, at most 10; 5 launches");
		CHECK_STR_CONTAINS(txt, "\nLaunches by kernel");
		CHECK_STR_CONTAINS(txt, "add_bf16  tpc");
		/* 800 FLOPs in 400 ps = 2 TFLOPS */
		CHECK_STR_CONTAINS(txt, "2.000");
		CHECK(strstr(txt, "kernel names unavailable") == NULL);
	}
	js = capture(&rep, prf_report_write_json);
	CHECK(js != NULL);
	if (js) {
		CHECK_STR_CONTAINS(js, "\"top_launches\": [");
		CHECK_STR_CONTAINS(js, "\"kernel\": \"add_bf16\"");
		CHECK_STR_CONTAINS(js, "\"kernel\": null");
		CHECK_STR_CONTAINS(js, "\"names_note\": null");
	}
	free(txt);
	free(js);
	prf_report_free(&rep);
	unlink(path);
}

/* More than PRF_KERNELS_MAX names: the table stops growing and says so. */
static void test_cap(const char *dir)
{
	uint64_t n = PRF_KERNELS_MAX + 5, i;
	char path[512], note[PRF_NOTE_BYTES], *txt;
	struct prf_report rep;
	struct hlsim_rec r;

	snprintf(path, sizeof(path), "%s/top_cap.h5", dir);
	write_trace(path, n);
	start(&rep, 0, 0);
	CHECK(prf_names_open(path, &rep.launches.names, note, sizeof(note)) == HLSIM_OK);
	CHECK(rep.launches.names != NULL);
	for (i = 0; i < n; i++) {
		r = launch(U_TPC0, 10 * i, 5, 10 + i, 1, 0);
		CHECK(prf_report_add(&rep, &r, 1) == HLSIM_OK);
	}
	CHECK(prf_report_finish(&rep) == HLSIM_OK);
	/* names: add_bf16 (2 launches), then k12 .. : 1 + (n - 2) names, capped at 1024 */
	CHECK_EQ_U64(rep.launches.num_kernels, PRF_KERNELS_MAX);
	CHECK_EQ_U64(rep.launches.ungrouped, (1 + (n - 2)) - PRF_KERNELS_MAX);
	CHECK_EQ_U64(rep.launches.num_top, PRF_TOP_LAUNCHES);
	txt = capture(&rep, prf_report_write_text);
	if (txt)
		CHECK_STR_CONTAINS(txt, "table capped at 1024 kernel names: 4 launches");
	free(txt);
	prf_report_free(&rep);
	unlink(path);
}

/* A missing trace: the report is written, names are "-" / null, one line says why. */
static void test_missing_trace(const char *dir)
{
	char path[512], *txt, *js;
	struct prf_report rep;
	struct hlsim_rec r[2];

	snprintf(path, sizeof(path), "%s/no_such_trace.h5", dir);
	start(&rep, 0, 0);
	CHECK(prf_names_open(path, &rep.launches.names, rep.launches.names_note,
			     sizeof(rep.launches.names_note)) == HLSIM_OK);
	CHECK(rep.launches.names == NULL);
	CHECK_STR_CONTAINS(rep.launches.names_note, "no_such_trace.h5");
	r[0] = launch(U_TPC0, 0, 300, 10, 1, 0);
	r[1] = launch(U_MME0, 0, 100, 10, 0, 0);
	CHECK(prf_report_add(&rep, r, 2) == HLSIM_OK);
	CHECK(prf_report_finish(&rep) == HLSIM_OK);
	CHECK_EQ_U64(rep.launches.num_kernels, 2);
	txt = capture(&rep, prf_report_write_text);
	if (txt) {
		CHECK_STR_CONTAINS(txt, "  kernel names unavailable (cannot read the trace ");
		CHECK_STR_CONTAINS(txt, "  -       tpc");
	}
	js = capture(&rep, prf_report_write_json);
	if (js) {
		CHECK_STR_CONTAINS(js, "\"names_note\": \"cannot read the trace ");
		CHECK_STR_CONTAINS(js, "\"kernel\": null");
	}
	free(txt);
	free(js);
	prf_report_free(&rep);
}

/* CSV files: header with units and one row per text-table row. */
static void test_csv(const char *dir)
{
	char csv_dir[512], path[600], line[512];
	struct prf_report rep;
	struct hlsim_rec r[3];
	FILE *f;
	int rows = 0;

	snprintf(csv_dir, sizeof(csv_dir), "%s/top_csv", dir);
	start(&rep, 0, 0);
	r[0] = launch(U_TPC0, 0, 300, 10, 1, 0);
	r[1] = launch(U_MME0, 0, 100, 10, 0, 0);
	r[2] = launch(U_TPC1, 10, 100, 10, 2, 0);
	CHECK(prf_report_add(&rep, r, 3) == HLSIM_OK);
	CHECK(prf_report_finish(&rep) == HLSIM_OK);
	CHECK(prf_report_write_csv(&rep, csv_dir) == HLSIM_OK);
	snprintf(path, sizeof(path), "%s/top_launches.csv", csv_dir);
	f = fopen(path, "r");
	CHECK(f != NULL);
	if (f) {
		CHECK(fgets(line, sizeof(line), f) != NULL);
		CHECK_STR_CONTAINS(line, "start_ps,duration_ps,bytes,flops");
		while (fgets(line, sizeof(line), f))
			rows++;
		fclose(f);
	}
	CHECK_EQ_U64(rows, 3);
	snprintf(path, sizeof(path), "%s/engines.csv", csv_dir);
	f = fopen(path, "r");
	CHECK(f != NULL);
	if (f) {
		CHECK(fgets(line, sizeof(line), f) != NULL);
		CHECK_STR_CONTAINS(line, "busy_ps");
		fclose(f);
	}
	prf_report_free(&rep);
}

int main(void)
{
	char dir[] = "/tmp/hlsim_top_XXXXXX";

	init_units();
	CHECK(mkdtemp(dir) != NULL);
	test_order_ties_bound();
	test_window();
	test_names(dir);
	test_cap(dir);
	test_missing_trace(dir);
	test_csv(dir);
	return check_summary();
}
