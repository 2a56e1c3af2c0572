/*
 * tests/unit/test_report.c - the profiler's arithmetic on hand-made records.
 *
 * Unions of intervals (overlapping, touching, nested, out of order, more than the pending
 * limit), busy / idle / fence / barrier times per unit over the whole run and a window,
 * DMA memory paths, the bottleneck picks, the counters cross-check, a zero-length run, a
 * unit with no records, rejected bad records, the text report, timeline.dat rows and the
 * bounded (merged) plot data. Every expected number is worked out by hand in a comment.
 */
#include <stdlib.h>
#include <string.h>

#include "profiler/prf.h"
#include "tests/unit/check.h"

/* ===== helpers ===== */

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

/* Capture what @fn writes about @rep into a malloc'd string. */
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

/* ===== union of intervals ===== */

static void test_union(void)
{
	struct prf_union u;
	uint64_t i;

	prf_union_init(&u);
	CHECK_EQ_U64(prf_union_total_ps(&u), 0);
	/* [10,20) [15,30) overlap -> [10,30); [30,40) touches -> [10,40); [50,60) apart */
	CHECK(prf_union_add(&u, 10, 20) == HLSIM_OK);
	CHECK(prf_union_add(&u, 15, 30) == HLSIM_OK);
	CHECK(prf_union_add(&u, 30, 40) == HLSIM_OK);
	CHECK(prf_union_add(&u, 50, 60) == HLSIM_OK);
	CHECK_EQ_U64(prf_union_total_ps(&u), 40);
	/* nested adds nothing; zero-length adds nothing; one before all adds 5 */
	CHECK(prf_union_add(&u, 12, 18) == HLSIM_OK);
	CHECK(prf_union_add(&u, 45, 45) == HLSIM_OK);
	CHECK(prf_union_add(&u, 0, 5) == HLSIM_OK);
	CHECK_EQ_U64(prf_union_total_ps(&u), 45);
	/* one interval bridging everything -> [0,60) */
	CHECK(prf_union_add(&u, 3, 55) == HLSIM_OK);
	CHECK_EQ_U64(prf_union_total_ps(&u), 60);
	CHECK_EQ_U64(u.n, 1);
	CHECK_EQ_U64(u.inexact_count, 0);
	prf_union_free(&u);

	/* 10000 sorted disjoint intervals of 3 ps every 10 ps: past the pending limit, exact */
	prf_union_init(&u);
	for (i = 0; i < 10000; i++)
		CHECK(prf_union_add(&u, i * 10, i * 10 + 3) == HLSIM_OK);
	CHECK_EQ_U64(prf_union_total_ps(&u), 30000);
	CHECK(u.cap <= PRF_UNION_MAX_PENDING);
	CHECK_EQ_U64(u.inexact_count, 0);
	/* overlapping the latest forgotten span from inside it stays exact */
	CHECK(prf_union_add(&u, u.last_counted.start_ps + 1, u.last_counted.end_ps + 4) ==
	      HLSIM_OK);
	CHECK_EQ_U64(prf_union_total_ps(&u), 30000 + 4);
	CHECK_EQ_U64(u.inexact_count, 0);
	/* reaching back to time 0 cannot be merged exactly any more: flagged */
	CHECK(prf_union_add(&u, 0, 5) == HLSIM_OK);
	CHECK_EQ_U64(u.inexact_count, 1);
	prf_union_free(&u);

	/* reverse order within the pending limit is exact: 100 intervals [10i, 10i+10) */
	prf_union_init(&u);
	for (i = 100; i-- > 0;)
		CHECK(prf_union_add(&u, i * 10, i * 10 + 10) == HLSIM_OK);
	CHECK_EQ_U64(prf_union_total_ps(&u), 1000);
	CHECK_EQ_U64(u.n, 1);
	prf_union_free(&u);
}

/* ===== the hand-made run ===== */

enum { U_QUEUE, U_LOWER, U_ENG0, U_ENG1, U_HOST, NUM_UNITS };

static void make_units(struct hlsim_unit *units)
{
	units[U_QUEUE] = mk_unit(U_QUEUE, HLSIM_UNIT_QUEUE, "DMA_0_0", "dma");
	units[U_LOWER] = mk_unit(U_LOWER, HLSIM_UNIT_LOWER_CP, "DMA0.lower_cp", "dma");
	units[U_ENG0] = mk_unit(U_ENG0, HLSIM_UNIT_ENGINE, "DMA0", "dma");
	units[U_ENG1] = mk_unit(U_ENG1, HLSIM_UNIT_ENGINE, "DMA1", "dma"); /* never used */
	units[U_HOST] = mk_unit(U_HOST, HLSIM_UNIT_HOST, "host", "host");
}

/*
 * Simulated time 1 us = 1000000 ps.
 *   host   CS [0, 900000)
 *   queue  JOB [100000, 800000), FENCE_WAIT [200000, 300000) and [250000, 400000)
 *          (overlapping: fence union 200000), BARRIER_WAIT [600000, 650000),
 *          WAIT_TIME [700000, 720000)
 *          -> occupied 700000, blocked 250000, busy 450000, idle 300000
 *   lower  CB [300000, 500000) and [450000, 700000) -> busy 400000, idle 600000
 *   eng0   DMA [100000, 300000) 1000 B host->hbm, [200000, 400000) 3000 B host->hbm,
 *          [500000, 600000) 500 B hbm->sram -> busy 300000 + 100000 = 400000,
 *          4500 B, 3 transfers, 11.25 GB/s while busy, 4.5 GB/s over the run
 *   paths  host->hbm 4000 B, 2 transfers, busy 300000; hbm->sram 500 B, 1, busy 100000
 */
static size_t make_records(struct hlsim_rec *r)
{
	size_t n = 0;

	r[n++] = mk_rec(U_HOST, HLSIM_REC_CS, 0, 900000, 0, 0);
	r[n++] = mk_rec(U_QUEUE, HLSIM_REC_FENCE_WAIT, 200000, 300000, 0, 1);
	r[n++] = mk_rec(U_ENG0, HLSIM_REC_DMA, 100000, 300000, 1000,
			AUX(MDL_MEM_HOST, MDL_MEM_HBM));
	r[n++] = mk_rec(U_QUEUE, HLSIM_REC_FENCE_WAIT, 250000, 400000, 0, 2);
	r[n++] = mk_rec(U_ENG0, HLSIM_REC_DMA, 200000, 400000, 3000,
			AUX(MDL_MEM_HOST, MDL_MEM_HBM));
	r[n++] = mk_rec(U_LOWER, HLSIM_REC_CB, 300000, 500000, 64, 0);
	r[n++] = mk_rec(U_ENG0, HLSIM_REC_DMA, 500000, 600000, 500, AUX(MDL_MEM_HBM, MDL_MEM_SRAM));
	r[n++] = mk_rec(U_QUEUE, HLSIM_REC_BARRIER_WAIT, 600000, 650000, 0, 0);
	r[n++] = mk_rec(U_LOWER, HLSIM_REC_CB, 450000, 700000, 32, 0);
	r[n++] = mk_rec(U_QUEUE, HLSIM_REC_WAIT_TIME, 700000, 720000, 0, 0);
	r[n++] = mk_rec(U_QUEUE, HLSIM_REC_JOB, 100000, 800000, 256, 0);
	return n;
}

/* Counters as the simulator would write them; the lower CP's busy is off on purpose. */
static void make_counters(struct hlsim_counters *c)
{
	memset(c, 0, NUM_UNITS * sizeof(*c));
	c[U_QUEUE] = (struct hlsim_counters){ .unit = U_QUEUE, .busy_ps = 450000,
					      .fence_wait_ps = 200000, .barrier_wait_ps = 50000,
					      .packets = 17, .jobs = 1 };
	c[U_LOWER] = (struct hlsim_counters){ .unit = U_LOWER, .busy_ps = 450000, /* not 400000 */
					      .packets = 9, .jobs = 2 };
	c[U_ENG0] = (struct hlsim_counters){ .unit = U_ENG0, .busy_ps = 400000, .bytes = 4500,
					     .jobs = 3 };
	c[U_ENG1] = (struct hlsim_counters){ .unit = U_ENG1 };
	c[U_HOST] = (struct hlsim_counters){ .unit = U_HOST, .jobs = 1 };
}

static void make_run(struct hlsim_run_info *run, uint64_t simulated_ps)
{
	memset(run, 0, sizeof(*run));
	snprintf(run->hlsim_version, sizeof(run->hlsim_version), "0.1.0");
	snprintf(run->trace_path, sizeof(run->trace_path), "/data/traces/hand_made.h5");
	snprintf(run->config_name, sizeof(run->config_name), "gaudi_hl205");
	run->simulated_time_ps = simulated_ps;
	run->wall_s = 0.5;
	run->packets = 1000;
	run->activities = 3000;
	run->cs_count = 1;
	run->job_count = 1;
	run->peak_rss_bytes = 64 << 20;
}

/* Pointers to each unit's counters row, as prf_report_init() takes them. */
static const struct hlsim_counters *const *ptrs(const struct hlsim_counters *c,
						 const struct hlsim_counters **p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = &c[i];
	return p;
}

static void build(struct prf_report *rep, uint64_t ws, uint64_t we, int with_counters)
{
	struct hlsim_unit units[NUM_UNITS];
	struct hlsim_counters counters[NUM_UNITS];
	const struct hlsim_counters *cp[NUM_UNITS];
	struct hlsim_rec recs[16];
	struct hlsim_run_info run;
	size_t n, i;

	make_units(units);
	make_counters(counters);
	make_run(&run, 1000000);
	n = make_records(recs);
	CHECK(prf_report_init(rep, &run, units,
			      with_counters ? ptrs(counters, cp, NUM_UNITS) : NULL, NUM_UNITS, ws,
			      we) == HLSIM_OK);
	/* feed in two windows of rows, as the reader does */
	CHECK(prf_report_add(rep, recs, 4) == HLSIM_OK);
	for (i = 4; i < n; i++)
		CHECK(prf_report_add(rep, &recs[i], 1) == HLSIM_OK);
	CHECK(prf_report_finish(rep) == HLSIM_OK);
}

static void test_whole_run(void)
{
	struct prf_report rep;
	struct prf_bottleneck b;
	const struct prf_unit_stats *q, *l, *e0, *e1, *h;

	build(&rep, 0, 0, 1);
	CHECK(rep.whole_run);
	CHECK_EQ_U64(prf_report_window_ps(&rep), 1000000);
	CHECK_EQ_U64(rep.records_total, 11);
	CHECK_EQ_U64(rep.records_in_window, 11);
	CHECK_EQ_U64(rep.records_past_end, 0);
	CHECK_EQ_U64(rep.inexact_count, 0);

	q = &rep.units[U_QUEUE];
	CHECK_EQ_U64(q->occupied_ps, 700000);
	CHECK_EQ_U64(q->busy_ps, 450000);
	CHECK_EQ_U64(q->fence_wait_ps, 200000);
	CHECK_EQ_U64(q->barrier_wait_ps, 50000);
	CHECK_EQ_U64(q->timed_wait_ps, 20000);
	CHECK_EQ_U64(q->idle_ps, 300000);
	CHECK_EQ_U64(q->jobs, 1);
	CHECK_EQ_U64(q->cb_bytes, 256);

	l = &rep.units[U_LOWER];
	CHECK_EQ_U64(l->busy_ps, 400000);
	CHECK_EQ_U64(l->idle_ps, 600000);
	CHECK_EQ_U64(l->jobs, 2);

	e0 = &rep.units[U_ENG0];
	CHECK_EQ_U64(e0->busy_ps, 400000);
	CHECK_EQ_U64(e0->idle_ps, 600000);
	CHECK_EQ_U64(e0->dma_bytes, 4500);
	CHECK_EQ_U64(e0->transfers, 3);

	e1 = &rep.units[U_ENG1]; /* no records at all */
	CHECK_EQ_U64(e1->records, 0);
	CHECK_EQ_U64(e1->busy_ps, 0);
	CHECK_EQ_U64(e1->idle_ps, 1000000);

	h = &rep.units[U_HOST];
	CHECK_EQ_U64(h->busy_ps, 900000);
	CHECK_EQ_U64(h->idle_ps, 100000);

	CHECK_EQ_U64(rep.paths[MDL_MEM_HOST][MDL_MEM_HBM].bytes, 4000);
	CHECK_EQ_U64(rep.paths[MDL_MEM_HOST][MDL_MEM_HBM].transfers, 2);
	CHECK_EQ_U64(rep.paths[MDL_MEM_HOST][MDL_MEM_HBM].busy_ps, 300000);
	CHECK_EQ_U64(rep.paths[MDL_MEM_HBM][MDL_MEM_SRAM].bytes, 500);
	CHECK_EQ_U64(rep.paths[MDL_MEM_HBM][MDL_MEM_SRAM].busy_ps, 100000);
	CHECK_EQ_U64(rep.paths[MDL_MEM_SRAM][MDL_MEM_HBM].transfers, 0);

	prf_report_bottleneck(&rep, &b);
	CHECK_EQ_U64(b.engine, U_ENG0);
	CHECK_EQ_U64(b.fence_queue, U_QUEUE);
	CHECK_EQ_U64(b.path_src, MDL_MEM_HOST);
	CHECK_EQ_U64(b.path_dst, MDL_MEM_HBM);

	/* exactly one disagreement: the lower CP's busy time */
	CHECK_EQ_U64(rep.num_checks, 1);
	if (rep.num_checks == 1) {
		CHECK_EQ_U64(rep.checks[0].unit, U_LOWER);
		CHECK_EQ_U64(rep.checks[0].kind, PRF_CHECK_BUSY);
		CHECK_EQ_U64(rep.checks[0].counters_value, 450000);
		CHECK_EQ_U64(rep.checks[0].records_value, 400000);
	}
	prf_report_free(&rep);
}

/*
 * Window [250000, 550000) (300000 ps):
 *   queue  JOB -> [250000, 550000) occupied 300000; fences [250000, 400000) 150000;
 *          barrier and timed wait outside -> busy 150000, idle 0
 *   eng0   [250000,300000) u [250000,400000) u [500000,550000) -> 200000 busy; all three
 *          transfers overlap the window, counted whole: 4500 B
 *   lower  [300000,550000) -> 250000
 *   host   300000
 */
static void test_window(void)
{
	struct prf_report rep;

	build(&rep, 250000, 550000, 1);
	CHECK(!rep.whole_run);
	CHECK_EQ_U64(prf_report_window_ps(&rep), 300000);
	CHECK_EQ_U64(rep.units[U_QUEUE].occupied_ps, 300000);
	CHECK_EQ_U64(rep.units[U_QUEUE].fence_wait_ps, 150000);
	CHECK_EQ_U64(rep.units[U_QUEUE].barrier_wait_ps, 0);
	CHECK_EQ_U64(rep.units[U_QUEUE].busy_ps, 150000);
	CHECK_EQ_U64(rep.units[U_QUEUE].idle_ps, 0);
	CHECK_EQ_U64(rep.units[U_ENG0].busy_ps, 200000);
	CHECK_EQ_U64(rep.units[U_ENG0].dma_bytes, 4500);
	CHECK_EQ_U64(rep.units[U_LOWER].busy_ps, 250000);
	CHECK_EQ_U64(rep.units[U_HOST].busy_ps, 300000);
	CHECK_EQ_U64(rep.paths[MDL_MEM_HOST][MDL_MEM_HBM].busy_ps, 150000);
	CHECK_EQ_U64(rep.paths[MDL_MEM_HBM][MDL_MEM_SRAM].busy_ps, 50000);
	/* the barrier [600000, 650000) and the wait [700000, 720000) are outside */
	CHECK_EQ_U64(rep.records_in_window, 9);
	CHECK_EQ_U64(rep.num_checks, 0); /* counters are not compared with a window */
	prf_report_free(&rep);
}

static void test_zero_length_run(void)
{
	struct hlsim_unit units[NUM_UNITS];
	struct hlsim_run_info run;
	struct prf_report rep;
	struct prf_bottleneck b;
	struct hlsim_rec r = mk_rec(U_QUEUE, HLSIM_REC_JOB, 0, 0, 0, 0);
	char *text;

	make_units(units);
	make_run(&run, 0);
	run.wall_s = 0;
	CHECK(prf_report_init(&rep, &run, units, NULL, NUM_UNITS, 0, 0) == HLSIM_OK);
	CHECK(prf_report_add(&rep, &r, 1) == HLSIM_OK);
	CHECK(prf_report_finish(&rep) == HLSIM_OK);
	CHECK_EQ_U64(prf_report_window_ps(&rep), 0);
	CHECK_EQ_U64(rep.records_in_window, 0); /* an empty window holds nothing */
	CHECK_EQ_U64(rep.units[U_QUEUE].busy_ps, 0);
	CHECK_EQ_U64(rep.units[U_QUEUE].idle_ps, 0);
	prf_report_bottleneck(&rep, &b);
	CHECK(b.engine == -1 && b.fence_queue == -1 && b.path_src == -1);
	text = capture(&rep, prf_report_write_text);
	CHECK_STR_CONTAINS(text, "simulated time           0.000000 us (0 ps)");
	CHECK_STR_CONTAINS(text, "speed                    - (no wall time recorded)");
	CHECK_STR_CONTAINS(text, "busiest engine             none");
	CHECK_STR_CONTAINS(text, "the results hold no per-unit counters: nothing to compare");
	free(text);
	prf_report_free(&rep);
}

static void test_bad_input(void)
{
	struct hlsim_unit units[NUM_UNITS];
	struct hlsim_counters counters[NUM_UNITS];
	const struct hlsim_counters *cp[NUM_UNITS];
	struct hlsim_run_info run;
	struct prf_report rep;
	struct hlsim_rec r, batch[3];

	make_units(units);
	make_counters(counters);
	make_run(&run, 1000000);

	CHECK(prf_report_init(&rep, &run, units, NULL, NUM_UNITS, 0, 0) == HLSIM_OK);
	/* the row number counts the rows of earlier batches */
	batch[0] = mk_rec(0, HLSIM_REC_JOB, 0, 10, 0, 0);
	batch[1] = mk_rec(1, HLSIM_REC_CB, 0, 10, 0, 0);
	CHECK(prf_report_add(&rep, batch, 2) == HLSIM_OK);
	batch[2] = mk_rec(NUM_UNITS, HLSIM_REC_JOB, 0, 10, 0, 0);
	CHECK(prf_report_add(&rep, batch, 3) == HLSIM_E_TRACE_FORMAT);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "timeline row 4: unit 5, but the units "
						      "table has 5 units");
	CHECK_EQ_U64(rep.records_in_window, 2); /* nothing of the bad batch was accounted */
	r = mk_rec(0, HLSIM_REC_KIND_COUNT_, 0, 10, 0, 0);
	CHECK(prf_report_add(&rep, &r, 1) == HLSIM_E_TRACE_FORMAT);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "timeline row 2: record kind ");
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), ", expected 0..");
	r = mk_rec(0, HLSIM_REC_JOB, 20, 10, 0, 0);
	CHECK(prf_report_add(&rep, &r, 1) == HLSIM_E_TRACE_FORMAT);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "end 10 ps is before start 20 ps");
	r = mk_rec(U_ENG0, HLSIM_REC_DMA, 0, 10, 0, AUX(7, 1));
	CHECK(prf_report_add(&rep, &r, 1) == HLSIM_E_TRACE_FORMAT);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "DMA aux 0x0701");
	prf_report_free(&rep);

	CHECK(prf_report_init(&rep, &run, units, NULL, NUM_UNITS, 500, 500) == HLSIM_E_INVAL);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "must be after start");
	CHECK(prf_report_init(&rep, &run, units, NULL, NUM_UNITS, 0, 2000000) == HLSIM_E_INVAL);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "after the end of the run");
	units[2].id = 7;
	CHECK(prf_report_init(&rep, &run, units, NULL, NUM_UNITS, 0, 0) == HLSIM_E_TRACE_FORMAT);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "units table row 2 has id 7");
	make_units(units);
	counters[3].unit = 1;
	CHECK(prf_report_init(&rep, &run, units, ptrs(counters, cp, NUM_UNITS), NUM_UNITS, 0, 0) ==
	      HLSIM_E_TRACE_FORMAT);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "counters of unit 3 name unit 1");
}

static void test_text(void)
{
	struct prf_report rep;
	char *text;

	build(&rep, 0, 0, 1);
	text = capture(&rep, prf_report_write_text);
	/* run summary */
	CHECK_STR_CONTAINS(text, "trace                    /data/traces/hand_made.h5");
	CHECK_STR_CONTAINS(text, "simulated time           1.000000 us (1000000 ps)");
	CHECK_STR_CONTAINS(text, "speed                    2000 packets/s, 6000 activities/s");
	/* headers carry units */
	CHECK_STR_CONTAINS(text, "busy [us]");
	CHECK_STR_CONTAINS(text, "fence-blocked [us]");
	CHECK_STR_CONTAINS(text, "busy rate [GB/s]");
	/* engine row: busy 0.4 us = 40 %, 4500 B, 11.25 GB/s busy, 4.5 GB/s over the run */
	CHECK_STR_CONTAINS(text, "   2  DMA0  dma     0.400000     40.00   0.600000           4500"
				 "            11.250               4.500              3\n");
	/* queue row: busy 0.45, fence 0.2 = 20 %, barrier 0.05, timed 0.02, idle 0.3 */
	CHECK_STR_CONTAINS(text, "   0  DMA_0_0        queue      0.450000     45.00"
				 "            0.200000              20.00           0.050000"
				 "         0.020000   0.300000         1           17\n");
	/* an engine with no records: busy 0, idle the whole run, no busy rate */
	CHECK_STR_CONTAINS(text, "   3  DMA1  dma     0.000000      0.00   1.000000              0"
				 "                 -               0.000              0\n");
	CHECK_STR_CONTAINS(text, "  host -> hbm                            4000              2"
				 "   0.300000     30.00            13.333\n");
	CHECK_STR_CONTAINS(text, "busiest engine             DMA0 (dma): busy 0.400000 us = "
				 "40.00 % of the window");
	CHECK_STR_CONTAINS(text, "most fence-blocked queue   DMA_0_0 (queue): blocked on fences "
				 "0.200000 us = 20.00 %");
	CHECK_STR_CONTAINS(text, "busiest memory path        host -> hbm: busy 0.300000 us");
	CHECK_STR_CONTAINS(text, "MISMATCH unit 1 DMA0.lower_cp: busy_ps is 450000 in the "
				 "counters but 400000 from the records");
	CHECK_STR_CONTAINS(text, "fence-blocked: the CP was stopped at a FENCE");
	free(text);
	prf_report_free(&rep);

	/* with a window the packets are unknown and the counters are not compared */
	build(&rep, 250000, 550000, 1);
	text = capture(&rep, prf_report_write_text);
	CHECK_STR_CONTAINS(text, "report window            0.250000 .. 0.550000 us (300000 ps)");
	CHECK_STR_CONTAINS(text, "counters cover the whole run");
	free(text);
	prf_report_free(&rep);
}

static void test_timeline_dat(void)
{
	struct prf_report rep;
	char *dat;

	build(&rep, 0, 0, 1);
	dat = capture(&rep, prf_timeline_write_dat);
	/* the column documentation */
	CHECK_STR_CONTAINS(dat, "index 3, bars:  row start_us end_us kind_index");
	/* meta: 4 rows (DMA1 did nothing), all 7 record kinds present */
	CHECK_STR_CONTAINS(dat, "\"hlsim timeline: hand_made.h5 on gaudi_hl205, simulated time "
				"1.000000 us\" \"window 0.000000 .. 1.000000 us, 11 records\" "
				"0.000000 1.000000 4 7\n");
	CHECK_STR_CONTAINS(dat, "3 \"DMA\" 3\n");
	CHECK_STR_CONTAINS(dat, "6 \"WAIT_TIME\" 1\n");
	/* rows, by unit id, DMA1 left out */
	CHECK_STR_CONTAINS(dat, "# index 2: rows (row label unit_id)\n"
				"0 \"DMA_0_0\" 0\n1 \"DMA0.lower_cp\" 1\n2 \"DMA0\" 2\n"
				"3 \"host\" 4\n");
	/* bars sorted by unit, kind, start */
	CHECK_STR_CONTAINS(dat, "# index 3: bars (row start_us end_us kind_index)\n"
				"0 0.100000 0.800000 0\n"
				"0 0.200000 0.300000 2\n"
				"0 0.250000 0.400000 2\n"
				"0 0.600000 0.650000 4\n"
				"0 0.700000 0.720000 6\n"
				"1 0.300000 0.500000 1\n"
				"1 0.450000 0.700000 1\n"
				"2 0.100000 0.300000 3\n"
				"2 0.200000 0.400000 3\n"
				"2 0.500000 0.600000 3\n"
				"3 0.000000 0.900000 5\n");
	free(dat);
	prf_report_free(&rep);
}

/*
 * More than PRF_PLOT_MAX_RECORDS records: window 5000000 ps, so one pixel is 1250 ps.
 *   unit 0: 200000 DMA records [20i, 20i+10): gaps of 10 ps -> one bar [0, 3999990)
 *   unit 1: 5 JOB records [1000000k, 1000000k+100): far apart -> 5 bars
 *   unit 2: 2000 DMA records [2000i, 2000i+800): gaps 1200 ps < 1250 -> one bar
 *           [0, 3998800), and 10 CS records [400000k, 400000k+10): another kind, never
 *           joined with the DMA bars -> 10 bars (they lie inside DMA records, so the
 *           unit's busy time is the DMA union, 2000 * 800 ps)
 * 202015 records, 17 bars. Fed forwards and backwards, the bars are the same.
 */
static void fill_merge(struct prf_report *rep, int backwards)
{
	struct hlsim_unit units[3];
	struct hlsim_run_info run;
	struct hlsim_rec *recs;
	size_t n = 0, i;

	units[0] = mk_unit(0, HLSIM_UNIT_ENGINE, "E0", "dma");
	units[1] = mk_unit(1, HLSIM_UNIT_QUEUE, "Q1", "dma");
	units[2] = mk_unit(2, HLSIM_UNIT_ENGINE, "E2", "dma");
	make_run(&run, 5000000);
	recs = calloc(200000 + 5 + 2000 + 10, sizeof(*recs));
	for (i = 0; i < 200000; i++)
		recs[n++] = mk_rec(0, HLSIM_REC_DMA, 20 * i, 20 * i + 10, 1, AUX(1, 1));
	for (i = 0; i < 5; i++)
		recs[n++] = mk_rec(1, HLSIM_REC_JOB, 1000000 * i, 1000000 * i + 100, 0, 0);
	for (i = 0; i < 2000; i++)
		recs[n++] = mk_rec(2, HLSIM_REC_DMA, 2000 * i, 2000 * i + 800, 1, AUX(1, 2));
	for (i = 0; i < 10; i++)
		recs[n++] = mk_rec(2, HLSIM_REC_CS, 400000 * i, 400000 * i + 10, 0, 0);
	if (backwards) {
		for (i = 0; i < n / 2; i++) {
			struct hlsim_rec t = recs[i];

			recs[i] = recs[n - 1 - i];
			recs[n - 1 - i] = t;
		}
	}
	CHECK(prf_report_init(rep, &run, units, NULL, 3, 0, 0) == HLSIM_OK);
	/* in batches of 65536 rows, as the reader does */
	for (i = 0; i < n; i += 65536)
		CHECK(prf_report_add(rep, recs + i, n - i < 65536 ? n - i : 65536) == HLSIM_OK);
	CHECK(prf_report_finish(rep) == HLSIM_OK);
	free(recs);
}

static void test_merge(void)
{
	struct prf_report fw, bw;
	const struct prf_timeline *tl;
	char *dat;
	size_t i;

	fill_merge(&fw, 0);
	tl = &fw.timeline;
	CHECK(tl->merging);
	CHECK_EQ_U64(tl->gap_ps, 1250);
	CHECK_EQ_U64(tl->records, 202015);
	CHECK_EQ_U64(tl->n, 1 + 5 + 1 + 10);
	CHECK(tl->cap <= 2 * PRF_PLOT_MAX_RECORDS);
	if (tl->n == 17) {
		CHECK_EQ_U64(tl->boxes[0].start_ps, 0);
		CHECK_EQ_U64(tl->boxes[0].end_ps, 3999990);
		CHECK_EQ_U64(tl->boxes[6].unit, 2);
		CHECK_EQ_U64(tl->boxes[6].kind, HLSIM_REC_DMA);
		CHECK_EQ_U64(tl->boxes[6].end_ps, 3998800);
	}
	/* the statistics are not affected by the plot merging */
	CHECK_EQ_U64(fw.units[0].busy_ps, 2000000);
	CHECK_EQ_U64(fw.units[0].transfers, 200000);
	CHECK_EQ_U64(fw.units[2].busy_ps, 2000 * 800);
	CHECK_EQ_U64(fw.inexact_count, 0);
	dat = capture(&fw, prf_timeline_write_dat);
	CHECK_STR_CONTAINS(dat, "202015 records merged into 17 bars (same unit and kind closer "
				"than 0.001250 us joined)");
	free(dat);

	fill_merge(&bw, 1);
	CHECK_EQ_U64(bw.timeline.n, fw.timeline.n);
	for (i = 0; i < fw.timeline.n && i < bw.timeline.n; i++)
		CHECK(memcmp(&fw.timeline.boxes[i], &bw.timeline.boxes[i],
			     sizeof(struct prf_box)) == 0);
	prf_report_free(&bw);
	prf_report_free(&fw);
}

/*
 * Two engines feeding one memory path, interleaved in time within one batch: A moves
 * [40i, 40i+10), B [40i+20, 40i+30) for i < 600, more spans than a union keeps pending.
 * The path's busy time is exact only if the batch is accounted in time order (not unit by
 * unit): 600 * 20 = 12000 ps.
 */
static void test_path_order(void)
{
	struct hlsim_unit units[2];
	struct hlsim_rec recs[1200];
	struct hlsim_run_info run;
	struct prf_report rep;
	size_t i;

	units[0] = mk_unit(0, HLSIM_UNIT_ENGINE, "A", "dma");
	units[1] = mk_unit(1, HLSIM_UNIT_ENGINE, "B", "dma");
	make_run(&run, 40 * 600);
	for (i = 0; i < 600; i++) {
		recs[i] = mk_rec(0, HLSIM_REC_DMA, 40 * i, 40 * i + 10, 1, AUX(1, 2));
		recs[600 + i] = mk_rec(1, HLSIM_REC_DMA, 40 * i + 20, 40 * i + 30, 1, AUX(1, 2));
	}
	CHECK(prf_report_init(&rep, &run, units, NULL, 2, 0, 0) == HLSIM_OK);
	CHECK(prf_report_add(&rep, recs, 1200) == HLSIM_OK);
	CHECK(prf_report_finish(&rep) == HLSIM_OK);
	CHECK_EQ_U64(rep.paths[1][2].busy_ps, 12000);
	CHECK_EQ_U64(rep.units[0].busy_ps, 6000);
	CHECK_EQ_U64(rep.units[1].busy_ps, 6000);
	CHECK_EQ_U64(rep.inexact_count, 0);
	prf_report_free(&rep);
}

static void test_format(void)
{
	char buf[48];

	CHECK(strcmp(prf_fmt_ps_us(buf, sizeof(buf), 0), "0.000000") == 0);
	CHECK(strcmp(prf_fmt_ps_us(buf, sizeof(buf), 1), "0.000001") == 0);
	CHECK(strcmp(prf_fmt_ps_us(buf, sizeof(buf), 12345678901), "12345.678901") == 0);
	CHECK(strcmp(prf_fmt_fixed(buf, sizeof(buf), 11.25, 3), "11.250") == 0);
	CHECK(strcmp(prf_fmt_fixed(buf, sizeof(buf), 0.0049, 2), "0.00") == 0);
	CHECK(strcmp(prf_fmt_fixed(buf, sizeof(buf), 99.995, 1), "100.0") == 0);
	CHECK(strcmp(prf_fmt_fixed(buf, sizeof(buf), 7, 0), "7") == 0);
	CHECK(strcmp(prf_fmt_fixed(buf, sizeof(buf), -1, 2), "-") == 0);
	CHECK(strcmp(prf_fmt_fixed(buf, sizeof(buf), 0.0 / 0.0, 2), "-") == 0);
}

int main(void)
{
	test_union();
	test_whole_run();
	test_window();
	test_zero_length_run();
	test_bad_input();
	test_text();
	test_timeline_dat();
	test_merge();
	test_path_order();
	test_format();
	return check_summary();
}
