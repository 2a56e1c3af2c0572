/*
 * tests/unit/test_report_json.c - the JSON report: string escaping, validity and values.
 *
 * The report's JSON is checked by the minimal validating parser of test_report_jsonp.h
 * (itself tested here on good and bad texts), which also flattens every scalar to a
 * "path=literal" line ("queues[0].busy_ps=450000") so values can be checked by path. When
 * python3 is on the PATH its json module must accept the same text too (skipped with a
 * message if not).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "profiler/prf.h"
#include "tests/unit/check.h"
#include "tests/unit/test_report_jsonp.h"

static void test_parser(void)
{
	static const char *good[] = { "{}", "[]", "0", "-1.5e+3", "\"a\\u00e9\\n\"", "null",
				      " {\"a\": [1, {\"b\": true}], \"c\": \"\xc3\xa9\"} " };
	static const char *bad[] = { "", "{", "[1,]", "{\"a\" 1}", "01", "1.", "\"a\nb\"",
				     "\"\\x\"", "\"\xff\"", "\"\xed\xa0\x80\"", "nul", "{} x",
				     "NaN", "Infinity", "{\"a\":1,}" };
	char *flat;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		flat = json_flatten(good[i]);
		CHECK(flat != NULL);
		free(flat);
	}
	quiet_ = 1;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		flat = json_flatten(bad[i]);
		if (flat)
			fprintf(stderr, "accepted bad JSON %zu: %s\n", i, bad[i]);
		CHECK(flat == NULL);
		free(flat);
	}
	quiet_ = 0;
	flat = json_flatten("{\"a\": [1, {\"b\": true}], \"c\": \"x\"}");
	CHECK_STR_CONTAINS(flat, "\na[0]=1\na[1].b=true\nc=\"x\"\n");
	free(flat);
}

/* ===== the escaper ===== */

static char *escaped(const char *s, size_t len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	prf_json_write_string(f, s, len);
	fclose(f);
	return buf;
}

#define CHECK_ESCAPE(in, expect)                                                           \
	do {                                                                               \
		char *e_ = escaped(in, sizeof(in) - 1);                                    \
		CHECK_STR_CONTAINS(e_, expect);                                            \
		CHECK(e_ && strlen(e_) == strlen(expect));                                 \
		free(e_);                                                                  \
	} while (0)

static void test_escape(void)
{
	char *e;

	CHECK_ESCAPE("", "\"\"");
	CHECK_ESCAPE("plain DMA_0_0", "\"plain DMA_0_0\"");
	CHECK_ESCAPE("say \"hi\"", "\"say \\\"hi\\\"\"");
	CHECK_ESCAPE("C:\\path\\x", "\"C:\\\\path\\\\x\"");
	CHECK_ESCAPE("a\nb\tc\rd\be\ff", "\"a\\nb\\tc\\rd\\be\\ff\"");
	CHECK_ESCAPE("\x01\x1f\x7f", "\"\\u0001\\u001f\x7f\"");
	CHECK_ESCAPE("/slash", "\"/slash\"");
	/* valid UTF-8 passes: e acute, euro sign, an emoji (4 bytes) */
	CHECK_ESCAPE("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80",
		     "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"");
	/* invalid UTF-8 becomes U+FFFD, one per bad byte */
	CHECK_ESCAPE("a\xff" "b", "\"a\\ufffdb\"");
	CHECK_ESCAPE("\xc0\xaf", "\"\\ufffd\\ufffd\""); /* overlong '/' */
	CHECK_ESCAPE("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\""); /* a UTF-16 surrogate */
	CHECK_ESCAPE("\xe2\x82", "\"\\ufffd\\ufffd\""); /* truncated at the end */
	CHECK_ESCAPE("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\""); /* > U+10FFFF */
	/* an embedded NUL within the length is escaped, not a terminator */
	e = escaped("a\0b", 3);
	CHECK(e && strcmp(e, "\"a\\u0000b\"") == 0);
	free(e);
	/* every output parses */
	e = escaped("\"\\\x01\xff\xc3\xa9", 6);
	{
		char *flat = json_flatten(e);

		CHECK(flat != NULL);
		free(flat);
	}
	free(e);
}

/* ===== the report ===== */

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

static char *report_json(const struct prf_report *rep)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CHECK(prf_report_write_json(rep, f) == HLSIM_OK);
	fclose(f);
	return buf;
}

/* If python3 is available, its json module must load @text too. */
static void python_check(const char *text)
{
	char path[] = "/tmp/hlsim_test_report_json_XXXXXX";
	char cmd[256];
	int fd, rc;
	FILE *f;

	if (system("python3 -c 'import json' >/dev/null 2>&1") != 0) {
		printf("python3 not available: skipping its JSON check\n");
		return;
	}
	fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd),
		 "python3 -c 'import json,sys; "
		 "json.load(open(sys.argv[1], encoding=\"utf-8\"))' %s",
		 path);
	rc = system(cmd);
	CHECK(rc == 0);
	unlink(path);
}

/*
 * The hand-made run of test_report.c, smaller, with hostile names:
 *   unit 0 queue "Q\"0\\x\n" : JOB [0, 600000), FENCE_WAIT [100000, 250000) -> busy 450000,
 *                              fence 150000 (15 %), idle 400000
 *   unit 1 engine "E1"       : DMA [100000, 300000) 2000 B hbm->hbm -> busy 200000,
 *                              10 GB/s while busy (10000000000 B/s), 2 GB/s over the run
 *   unit 2 engine "E2"       : nothing
 *   run 1000000 ps, trace path with a tab and an invalid byte
 */
static void test_report(void)
{
	struct hlsim_unit units[3];
	struct hlsim_counters counters[3];
	const struct hlsim_counters *cp[3] = { &counters[0], &counters[1], &counters[2] };
	struct hlsim_rec recs[3];
	struct hlsim_run_info run;
	struct prf_report rep;
	char *json, *flat;

	units[0] = mk_unit(0, HLSIM_UNIT_QUEUE, "Q\"0\\x\n", "dma");
	units[1] = mk_unit(1, HLSIM_UNIT_ENGINE, "E1", "dma");
	units[2] = mk_unit(2, HLSIM_UNIT_ENGINE, "E2", "dma");
	memset(counters, 0, sizeof(counters));
	counters[0] = (struct hlsim_counters){ .unit = 0, .busy_ps = 450000,
					       .fence_wait_ps = 150000, .packets = 12, .jobs = 1 };
	counters[1] = (struct hlsim_counters){ .unit = 1, .busy_ps = 200000, .bytes = 2000,
					       .jobs = 1 };
	counters[2] = (struct hlsim_counters){ .unit = 2 };
	memset(&run, 0, sizeof(run));
	snprintf(run.trace_path, sizeof(run.trace_path), "/tmp/a\tb\xff.h5");
	snprintf(run.config_name, sizeof(run.config_name), "gaudi_hl205");
	snprintf(run.hlsim_version, sizeof(run.hlsim_version), "0.1.0");
	run.simulated_time_ps = 1000000;
	run.wall_s = 0.25;
	run.packets = 100;
	run.activities = 7;
	recs[0] = mk_rec(0, HLSIM_REC_FENCE_WAIT, 100000, 250000, 0, 0);
	recs[1] = mk_rec(1, HLSIM_REC_DMA, 100000, 300000, 2000, MDL_MEM_HBM << 8 | MDL_MEM_HBM);
	recs[2] = mk_rec(0, HLSIM_REC_JOB, 0, 600000, 128, 0);

	CHECK(prf_report_init(&rep, &run, units, cp, 3, 0, 0) == HLSIM_OK);
	CHECK(prf_report_add(&rep, recs, 3) == HLSIM_OK);
	CHECK(prf_report_finish(&rep) == HLSIM_OK);
	json = report_json(&rep);
	flat = json_flatten(json);
	CHECK(flat != NULL);
	CHECK_STR_CONTAINS(flat, "\nschema=\"hlsim-report\"\nschema_version=2\n"
				 "simulated_time_ps=1000000\n");
	CHECK_STR_CONTAINS(flat, "\nwindow.whole_run=true\n");
	CHECK_STR_CONTAINS(flat, "\nrun.trace_path=\"/tmp/a\\tb\\ufffd.h5\"\n");
	CHECK_STR_CONTAINS(flat, "\nrun.wall_s=0.250000\nrun.packets_per_s=400\n"
				 "run.activities_per_s=28\n");
	CHECK_STR_CONTAINS(flat, "\nrun.units=3\nrun.units_with_counters=3\n");
	CHECK_STR_CONTAINS(flat, "\nengines[0].id=1\n");
	CHECK_STR_CONTAINS(flat, "\nengines[0].kind=\"dma\"\nengines[0].busy_ps=200000\n"
				 "engines[0].busy_fraction=0.200000\nengines[0].idle_ps=800000\n"
				 "engines[0].bytes=2000\nengines[0].transfers=1\n"
				 "engines[0].bytes_per_s_busy=10000000000\n"
				 "engines[0].bytes_per_s_window=2000000000\n");
	/* an engine that did nothing: rates over zero busy time are null, not NaN */
	CHECK_STR_CONTAINS(flat, "\nengines[1].name=\"E2\"\n");
	CHECK_STR_CONTAINS(flat, "\nengines[1].busy_ps=0\n");
	CHECK_STR_CONTAINS(flat, "\nengines[1].bytes_per_s_busy=null\n");
	CHECK_STR_CONTAINS(flat, "\nqueues[0].name=\"Q\\\"0\\\\x\\n\"\nqueues[0].kind=\"queue\"\n"
				 "queues[0].engine_class=\"dma\"\nqueues[0].busy_ps=450000\n"
				 "queues[0].busy_fraction=0.450000\n"
				 "queues[0].fence_wait_ps=150000\n"
				 "queues[0].fence_wait_fraction=0.150000\n"
				 "queues[0].barrier_wait_ps=0\nqueues[0].timed_wait_ps=0\n"
				 "queues[0].idle_ps=400000\nqueues[0].jobs=1\n"
				 "queues[0].packets=12\n");
	CHECK_STR_CONTAINS(flat, "\ndma_paths[0].src=\"hbm\"\ndma_paths[0].dst=\"hbm\"\n"
				 "dma_paths[0].bytes=2000\n");
	CHECK_STR_CONTAINS(flat, "\nbottleneck.engine.name=\"E1\"\n");
	CHECK_STR_CONTAINS(flat, "\nbottleneck.fence_queue.fence_wait_ps=150000\n");
	CHECK_STR_CONTAINS(flat, "\nbottleneck.dma_path.busy_ps=200000\n");
	CHECK(strstr(flat, "\nchecks[") == NULL); /* counters agree */
	CHECK(strstr(json, "NaN") == NULL && strstr(json, "nan") == NULL &&
	      strstr(json, "inf") == NULL);
	python_check(json);
	free(flat);
	free(json);
	prf_report_free(&rep);

	/* a zero-length run with no records: fractions and rates are null */
	run.simulated_time_ps = 0;
	run.wall_s = 0;
	CHECK(prf_report_init(&rep, &run, units, NULL, 3, 0, 0) == HLSIM_OK);
	CHECK(prf_report_finish(&rep) == HLSIM_OK);
	json = report_json(&rep);
	flat = json_flatten(json);
	CHECK(flat != NULL);
	CHECK_STR_CONTAINS(flat, "\nrun.packets_per_s=null\n");
	CHECK_STR_CONTAINS(flat, "\nrun.units_with_counters=0\n");
	CHECK_STR_CONTAINS(flat, "\nengines[0].busy_fraction=null\n");
	CHECK_STR_CONTAINS(flat, "\nqueues[0].fence_wait_fraction=null\n");
	CHECK_STR_CONTAINS(flat, "\nqueues[0].packets=null\n"); /* no counters */
	CHECK_STR_CONTAINS(flat, "\nbottleneck.engine=null\nbottleneck.fence_queue=null\n"
				 "bottleneck.dma_path=null\n");
	CHECK(strstr(json, "\"dma_paths\": []") != NULL);
	CHECK(strstr(json, "\"checks\": []") != NULL);
	python_check(json);
	free(flat);
	free(json);
	prf_report_free(&rep);
}

int main(void)
{
	test_parser();
	test_escape();
	test_report();
	return check_summary();
}
