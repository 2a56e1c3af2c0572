/*
 * tests/unit/test_critpath.c - stall attribution and the critical path on a hand-made
 * results file of two devices.
 *
 * Device 0: a DMA job whose transfer releases a TPC queue's fence; the TPC queue's lower
 * CP calls a CB and the TPC engine launches a kernel, which (across devices) releases a
 * fence of device 1's NIC queue; the NIC's RDMA write releases device 1's DMA queue,
 * whose job ends last. The expected path and its shares are worked out by hand in the
 * comments below; the walk must give exactly them, in the text, JSON, HTML and CSV outputs.
 * A second run of two CSs on one queue checks the walk through the host (submission, the
 * completion of the earlier CS).
 * Also: a window clips the stall times, a file without /releases (1.0) reports the stalls
 * as unavailable and walks queue order only, and bad /releases rows are refused with an
 * error naming the row.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "profiler/prf.h"
#include "tests/unit/check.h"
#include "tests/unit/test_report_jsonp.h"

#define OUT HLSIM_BINARY_DIR "/test_critpath.out"

enum { U_HOST, U_DMAQ, U_DMA, U_TPCQ, U_TPCL, U_TPC, U_NICQ, U_NIC, U_D1DMAQ, NUM_UNITS };

static struct hlsim_unit mk_unit(uint32_t id, uint32_t dev, uint8_t kind, const char *name,
				 const char *cls)
{
	struct hlsim_unit u;

	memset(&u, 0, sizeof(u));
	u.id = id;
	u.device = dev;
	u.kind = kind;
	snprintf(u.name, sizeof(u.name), "%s", name);
	snprintf(u.engine_class, sizeof(u.engine_class), "%s", cls);
	return u;
}

static struct hlsim_rec mk(uint32_t unit, uint16_t kind, uint64_t s, uint64_t e, uint64_t cs,
			   uint32_t job)
{
	struct hlsim_rec r;

	memset(&r, 0, sizeof(r));
	r.unit = unit;
	r.kind = kind;
	r.start_ps = s;
	r.end_ps = e;
	r.cs_seq = cs;
	r.job = job;
	return r;
}

static struct hlsim_release mk_rel(uint64_t wait_row, uint64_t signal_ps, uint64_t prod_row,
				   uint32_t prod_unit, uint32_t sob)
{
	struct hlsim_release r = { .wait_row = wait_row, .signal_ps = signal_ps,
				   .producer_row = prod_row, .producer_unit = prod_unit,
				   .sob = sob };
	return r;
}

#define NUM_RECS 14
#define NUM_RELS 4

/*
 * @mode 0: as described; 1: no /releases (a 1.0 file); 2: releases out of order;
 * 3: a release naming a DMA row.
 */
static hlsim_err_t write_results(const char *path, int mode)
{
	struct hlsim_unit units[NUM_UNITS];
	struct hlsim_rec recs[NUM_RECS];
	struct hlsim_release rels[NUM_RELS];
	struct hlsim_run_info run;
	hlsim_results_writer_t *w = NULL;
	hlsim_err_t rc;
	size_t i;

	units[U_HOST] = mk_unit(U_HOST, 0, HLSIM_UNIT_HOST, "d0.host", "host");
	units[U_DMAQ] = mk_unit(U_DMAQ, 0, HLSIM_UNIT_QUEUE, "d0.DMA_0_0", "dma");
	units[U_DMA] = mk_unit(U_DMA, 0, HLSIM_UNIT_ENGINE, "d0.DMA0", "dma");
	units[U_TPCQ] = mk_unit(U_TPCQ, 0, HLSIM_UNIT_QUEUE, "d0.TPC_0_0", "tpc");
	units[U_TPCL] = mk_unit(U_TPCL, 0, HLSIM_UNIT_LOWER_CP, "d0.TPC0.lower_cp", "tpc");
	units[U_TPC] = mk_unit(U_TPC, 0, HLSIM_UNIT_ENGINE, "d0.TPC0", "tpc");
	units[U_NICQ] = mk_unit(U_NICQ, 1, HLSIM_UNIT_QUEUE, "d1.NIC_0_0", "nic");
	units[U_NIC] = mk_unit(U_NIC, 1, HLSIM_UNIT_ENGINE, "d1.NIC0", "nic");
	units[U_D1DMAQ] = mk_unit(U_D1DMAQ, 1, HLSIM_UNIT_QUEUE, "d1.DMA_0_0", "dma");

	recs[0] = mk(U_DMAQ, HLSIM_REC_FENCE_WAIT, 200, 300, 1, 0); /* no release */
	recs[1] = mk(U_DMA, HLSIM_REC_DMA, 100, 900, 1, 0);
	recs[1].aux = (uint16_t)(MDL_MEM_HBM << 8 | MDL_MEM_SRAM);
	recs[1].bytes = 4096;
	recs[2] = mk(U_TPCQ, HLSIM_REC_FENCE_WAIT, 50, 950, 1, 1);
	recs[3] = mk(U_DMAQ, HLSIM_REC_JOB, 0, 1000, 1, 0);
	recs[4] = mk(U_TPCL, HLSIM_REC_CB, 960, 1000, 1, 1);
	recs[5] = mk(U_TPC, HLSIM_REC_LAUNCH, 1000, 2500, 1, 1);
	recs[5].aux = MDL_ENGINE_TPC;
	recs[6] = mk(U_NICQ, HLSIM_REC_FENCE_WAIT, 100, 2600, 1, 0);
	recs[7] = mk(U_TPCQ, HLSIM_REC_JOB, 0, 3000, 1, 1);
	recs[8] = mk(U_NIC, HLSIM_REC_NIC, 2600, 4000, 1, 0);
	recs[9] = mk(U_D1DMAQ, HLSIM_REC_FENCE_WAIT, 4010, 4100, 2, 0);
	recs[10] = mk(U_NICQ, HLSIM_REC_FENCE_WAIT, 4200, 4300, 1, 0);
	recs[11] = mk(U_NICQ, HLSIM_REC_JOB, 0, 5000, 1, 0);
	recs[12] = mk(U_D1DMAQ, HLSIM_REC_JOB, 4000, 6000, 2, 0);
	recs[13] = mk(U_HOST, HLSIM_REC_CS, 0, 6000, 1, 0);

	rels[0] = mk_rel(2, 900, 1, U_DMA, 5);
	rels[1] = mk_rel(6, 2500, 5, U_TPC, 1u << 16 | 2);
	rels[2] = mk_rel(9, 4000, 8, U_NIC, UINT32_MAX);
	rels[3] = mk_rel(10, 2500, 5, U_TPC, 7);
	if (mode == 2) { /* rows 9 and 10 swapped */
		rels[2] = mk_rel(10, 2500, 5, U_TPC, 7);
		rels[3] = mk_rel(9, 4000, 8, U_NIC, UINT32_MAX);
	}
	if (mode == 3)
		rels[0].wait_row = 1;

	memset(&run, 0, sizeof(run));
	snprintf(run.hlsim_version, sizeof(run.hlsim_version), "test");
	snprintf(run.trace_path, sizeof(run.trace_path), "/nonexistent/critpath.h5");
	snprintf(run.config_name, sizeof(run.config_name), "test");
	run.simulated_time_ps = 6000;
	run.cs_count = 2;
	run.job_count = 4;

	rc = hlsim_results_create(path, &w);
	for (i = 0; !rc && i < NUM_UNITS; i++)
		rc = hlsim_results_add_unit(w, &units[i]);
	for (i = 0; !rc && i < NUM_RECS; i++) {
		size_t k;

		rc = hlsim_results_append(w, &recs[i], 1);
		for (k = 0; !rc && mode != 1 && k < NUM_RELS; k++)
			if (rels[k].wait_row == i && (mode != 2 || k < 2))
				rc = hlsim_results_add_release(w, &rels[k]);
	}
	if (!rc && mode == 2) {
		rc = hlsim_results_add_release(w, &rels[2]);
		if (!rc)
			rc = hlsim_results_add_release(w, &rels[3]);
	}
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

static char *text_of(const struct prf_report *rep, int json)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	if (json)
		prf_report_write_json(rep, f);
	else
		prf_report_write_text(rep, f);
	fclose(f);
	return buf;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = calloc(1, (size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static void test_full(void)
{
	const char *path = OUT "/r0.h5";
	const struct prf_critpath *cp;
	const struct prf_stalls *st;
	struct prf_stall_pair top[PRF_STALL_TOP];
	struct prf_crit_class cls[PRF_CRIT_CLASSES_MAX];
	struct prf_report rep;
	char *txt, *json, *flat, *csv;
	hlsim_err_t rc;
	size_t n;

	CHECK(write_results(path, 0) == HLSIM_OK);
	rc = prf_report_load(path, 0, 0, &rep, NULL);
	CHECK(rc == HLSIM_OK);
	if (rc)
		return;
	st = &rep.stalls;
	CHECK(st->have_releases);
	CHECK_EQ_U64(st->waits, 5);
	CHECK_EQ_U64(st->blocked_ps, 100 + 900 + 2500 + 90 + 100);
	CHECK_EQ_U64(st->unattributed_waits, 1);
	CHECK_EQ_U64(st->unattributed_ps, 100);
	CHECK_EQ_U64(st->n, 4);
	CHECK_EQ_U64(prf_stalls_queue_ps(st, U_NICQ), 2600);
	n = prf_stalls_top(st, top, PRF_STALL_TOP, &rc);
	CHECK(rc == HLSIM_OK);
	CHECK_EQ_U64(n, 3);
	CHECK_EQ_U64(top[0].queue, U_NICQ);
	CHECK_EQ_U64(top[0].producer, U_TPC);
	CHECK_EQ_U64(top[0].waits, 2);
	CHECK_EQ_U64(top[0].blocked_ps, 2600);
	CHECK_EQ_U64(top[1].queue, U_TPCQ);
	CHECK_EQ_U64(top[1].producer, U_DMA);
	CHECK_EQ_U64(top[2].queue, U_D1DMAQ);
	CHECK_EQ_U64(top[2].blocked_ps, 90);

	/*
	 * The walk (ps): d1.DMA_0_0 JOB [4100,6000] end 1900; its FENCE_WAIT from the
	 * signal [4010,4100] 90 queue_order; gap 4000..4010; NIC [2600,4000] 1400
	 * fence_release; the NIC queue's JOB issued it (0 charged at 2600), its FENCE_WAIT
	 * [2500,2600] 100 queue_order; LAUNCH [1000,2500] 1500 fence_release; lower CP CB
	 * [960,1000] 40 engine_issue; TPC queue JOB [950,960] 10 engine_issue; its
	 * FENCE_WAIT [900,950] 50 queue_order; DMA [100,900] 800 fence_release; DMA queue
	 * JOB [0,100] 100 engine_issue. Total 6000.
	 */
	cp = &rep.crit;
	CHECK(cp->computed);
	CHECK(cp->have_releases);
	CHECK_EQ_U64(cp->start_ps, 0);
	CHECK_EQ_U64(cp->end_ps, 6000);
	CHECK_EQ_U64(cp->total_ps, 6000);
	CHECK_EQ_U64(cp->records, 10); /* the NIC queue's JOB is charged nothing */
	CHECK_EQ_U64(cp->dep_ps[PRF_DEP_END], 1900);
	CHECK_EQ_U64(cp->dep_ps[PRF_DEP_QUEUE_ORDER], 240);
	CHECK_EQ_U64(cp->dep_ps[PRF_DEP_FENCE_RELEASE], 3700);
	CHECK_EQ_U64(cp->dep_ps[PRF_DEP_ENGINE_ISSUE], 150);
	CHECK_EQ_U64(cp->dep_ps[PRF_DEP_ENGINE_DRAIN], 0);
	CHECK_EQ_U64(cp->dep_ps[PRF_DEP_GAP], 10);
	CHECK_EQ_U64(cp->unit_ps[U_D1DMAQ], 1990);
	CHECK_EQ_U64(cp->unit_ps[U_NIC], 1400);
	CHECK_EQ_U64(cp->unit_ps[U_NICQ], 100);
	CHECK_EQ_U64(cp->unit_ps[U_TPC], 1500);
	CHECK_EQ_U64(cp->unit_ps[U_TPCL], 40);
	CHECK_EQ_U64(cp->unit_ps[U_TPCQ], 60);
	CHECK_EQ_U64(cp->unit_ps[U_DMA], 800);
	CHECK_EQ_U64(cp->unit_ps[U_DMAQ], 100);
	CHECK_EQ_U64(cp->unit_ps[U_HOST], 0);
	n = prf_critpath_classes(cp, cls, PRF_CRIT_CLASSES_MAX);
	CHECK_EQ_U64(n, 4);
	CHECK(!strcmp(cls[0].name, "cp") && cls[0].ps == 2290);
	CHECK(!strcmp(cls[1].name, "dma") && cls[1].ps == 800);
	CHECK(!strcmp(cls[2].name, "tpc") && cls[2].ps == 1500);
	CHECK(!strcmp(cls[3].name, "nic") && cls[3].ps == 1400);
	CHECK_EQ_U64(cp->num_longest, 10);
	CHECK_EQ_U64(cp->longest[0].row, 12);
	CHECK_EQ_U64(cp->longest[0].end_ps - cp->longest[0].start_ps, 1900);
	CHECK_EQ_U64(cp->longest[1].row, 5);
	CHECK_EQ_U64(cp->longest[1].dep, PRF_DEP_FENCE_RELEASE);

	txt = text_of(&rep, 0);
	CHECK(txt != NULL);
	CHECK_STR_CONTAINS(txt, "Stall attribution (fence-blocked time by the unit whose message "
				"released it)\n");
	CHECK_STR_CONTAINS(txt, "  d1.NIC_0_0  d0.TPC0                  2      0.002600"
				"                    100.00\n");
	CHECK_STR_CONTAINS(txt, "  d1.NIC_0_0  d0.TPC0   b1.2            1      0.002500"
				"      96.15\n");
	CHECK_STR_CONTAINS(txt, "  d1.DMA_0_0  d1.NIC0   direct          1      0.000090"
				"     100.00\n");
	CHECK_STR_CONTAINS(txt, "  1 fence waits (0.000100 us) have no release row\n");
	CHECK_STR_CONTAINS(txt, "  0.006000 us from 0.000000 us to 0.006000 us, 10 record steps\n");
	CHECK_STR_CONTAINS(txt, "  fence_release   0.003700      61.67\n");
	CHECK_STR_CONTAINS(txt, "  gap             0.000010       0.17\n");
	CHECK_STR_CONTAINS(txt, "  d0.TPC0           tpc      0.001500      25.00\n");
	free(txt);

	json = text_of(&rep, 1);
	CHECK(json != NULL);
	flat = json ? json_flatten(json) : NULL;
	CHECK(flat != NULL);
	if (flat) {
		CHECK_STR_CONTAINS(flat, "\nschema_version=2\n");
		CHECK_STR_CONTAINS(flat, "\nstall_attribution.available=true\n"
					 "stall_attribution.fence_waits=5\n"
					 "stall_attribution.blocked_ps=3690\n");
		CHECK_STR_CONTAINS(flat, "\nstall_attribution.top[0].queue_name=\"d1.NIC_0_0\"\n");
		CHECK_STR_CONTAINS(flat, "\nstall_attribution.rows[1].sob=\"b1.2\"\n"
					 "stall_attribution.rows[1].sob_id=65538\n");
		CHECK_STR_CONTAINS(flat, "\nstall_attribution.rows[3].sob=\"direct\"\n"
					 "stall_attribution.rows[3].sob_id=null\n");
		CHECK_STR_CONTAINS(flat, "\ncritical_path.computed=true\n"
					 "critical_path.note=null\n");
		CHECK_STR_CONTAINS(flat, "\ncritical_path.total_ps=6000\n");
		CHECK_STR_CONTAINS(flat, "\ncritical_path.by_dependency[3].kind=\"engine_issue\"\n"
					 "critical_path.by_dependency[3].time_ps=150\n"
					 "critical_path.by_dependency[3].share=0.025000\n");
		CHECK_STR_CONTAINS(flat, "\ncritical_path.by_class[3].class=\"nic\"\n");
		CHECK_STR_CONTAINS(flat, "\ncritical_path.by_unit[0].name=\"d0.DMA_0_0\"\n");
		CHECK_STR_CONTAINS(flat, "\ncritical_path.longest[0].reached_by=\"end\"\n");
	}
	free(flat);
	free(json);

	/* the HTML page: the top pairs and the path's parts */
	{
		char *html = NULL;
		size_t hlen = 0;
		FILE *hf = open_memstream(&html, &hlen);

		CHECK(hf != NULL);
		if (hf) {
			CHECK(prf_html_write(&rep, NULL, NULL, hf) == HLSIM_OK);
			fclose(hf);
			CHECK_STR_CONTAINS(html, "<h2>Stall attribution</h2>");
			CHECK_STR_CONTAINS(html, "<tr><td>d1.NIC_0_0</td><td>d0.TPC0</td>"
						 "<td class=\"n\">2</td><td class=\"n\">0.002600"
						 "</td><td class=\"n\">100.00</td></tr>");
			CHECK_STR_CONTAINS(html, "<tr><td>fence_release</td><td class=\"n\">"
						 "0.003700</td><td class=\"n\">61.67</td></tr>");
			CHECK_STR_CONTAINS(html, "<tr><td>class nic</td>");
		}
		free(html);
	}

	CHECK(prf_report_write_csv(&rep, OUT "/csv") == HLSIM_OK);
	csv = slurp(OUT "/csv/stalls.csv");
	CHECK(csv != NULL);
	if (csv)
		CHECK_STR_CONTAINS(csv, "queue,queue_name,producer,producer_name,producer_device,"
					"sob,waits,blocked_ps,share\n"
					"3,d0.TPC_0_0,2,d0.DMA0,0,b0.5,1,900,1.000000\n"
					"6,d1.NIC_0_0,5,d0.TPC0,0,b1.2,1,2500,0.961538\n"
					"6,d1.NIC_0_0,5,d0.TPC0,0,b0.7,1,100,0.038462\n"
					"8,d1.DMA_0_0,7,d1.NIC0,1,direct,1,90,1.000000\n");
	free(csv);
	csv = slurp(OUT "/csv/critical_path.csv");
	CHECK(csv != NULL);
	if (csv)
		CHECK_STR_CONTAINS(csv, "\n7,d1.NIC0,1,engine,nic,1400,0.233333\n");
	free(csv);
	prf_report_free(&rep);

	/* a window [0, 1000): the waits clipped to it */
	rc = prf_report_load(path, 0, 1000, &rep, NULL);
	CHECK(rc == HLSIM_OK);
	if (!rc) {
		CHECK_EQ_U64(rep.stalls.waits, 3);
		CHECK_EQ_U64(rep.stalls.blocked_ps, 100 + 900 + 900);
		CHECK_EQ_U64(prf_stalls_queue_ps(&rep.stalls, U_NICQ), 900);
		CHECK_EQ_U64(rep.crit.total_ps, 6000); /* the path is of the whole run */
		prf_report_free(&rep);
	}
}

static void test_no_releases(void)
{
	const char *path = OUT "/r1.h5";
	struct prf_report rep;
	hlsim_err_t rc;
	char *txt;

	CHECK(write_results(path, 1) == HLSIM_OK);
	rc = prf_report_load(path, 0, 0, &rep, NULL);
	CHECK(rc == HLSIM_OK);
	if (rc)
		return;
	CHECK(!rep.stalls.have_releases);
	CHECK_EQ_U64(rep.stalls.waits, 5);
	CHECK(rep.crit.computed);
	CHECK(!rep.crit.have_releases);
	/* d1.DMA_0_0 only: JOB [4100,6000], its FENCE_WAIT whole, JOB [4000,4010] */
	CHECK_EQ_U64(rep.crit.start_ps, 4000);
	CHECK_EQ_U64(rep.crit.unit_ps[U_D1DMAQ], 2000);
	CHECK_EQ_U64(rep.crit.dep_ps[PRF_DEP_FENCE_RELEASE], 0);
	txt = text_of(&rep, 0);
	CHECK(txt != NULL);
	CHECK_STR_CONTAINS(txt, "no /releases rows (results 1.0): 5 fence waits cannot be "
				"attributed\n");
	CHECK_STR_CONTAINS(txt, "(no /releases: fence waits not followed)");
	free(txt);
	prf_report_free(&rep);
}

static void test_bad_releases(void)
{
	struct prf_report rep;
	hlsim_err_t rc;

	CHECK(write_results(OUT "/r2.h5", 2) == HLSIM_OK);
	rc = prf_report_load(OUT "/r2.h5", 0, 0, &rep, NULL);
	CHECK(rc == HLSIM_E_TRACE_FORMAT);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(),
			   "/releases row 3: wait_row 9 does not follow");
	CHECK(write_results(OUT "/r3.h5", 3) == HLSIM_OK);
	rc = prf_report_load(OUT "/r3.h5", 0, 0, &rep, NULL);
	CHECK(rc == HLSIM_E_TRACE_FORMAT);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(),
			   "/releases row 0: timeline row 1 is a 3 record, expected a FENCE_WAIT");
}

/* A run of units @u and records @r (no releases), simulated time @sim_ps. */
static hlsim_err_t write_simple(const char *path, const struct hlsim_unit *u, size_t nu,
				const struct hlsim_rec *r, size_t nr, uint64_t sim_ps)
{
	hlsim_results_writer_t *w = NULL;
	struct hlsim_run_info run;
	hlsim_err_t rc;
	size_t i;

	memset(&run, 0, sizeof(run));
	snprintf(run.hlsim_version, sizeof(run.hlsim_version), "test");
	run.simulated_time_ps = sim_ps;
	rc = hlsim_results_create(path, &w);
	for (i = 0; !rc && i < nu; i++)
		rc = hlsim_results_add_unit(w, &u[i]);
	if (!rc)
		rc = hlsim_results_append(w, r, nr);
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

/*
 * Two CSs on one queue: CS 2 is submitted 200 ps after CS 1 completes. The path from the
 * end of CS 2's job: the job [1250, 2900] 1650 (end); the host: CS 2's submission
 * [1200, 1250] and the time since CS 1 completed [1000, 1200], 260 host_submit; CS 1's
 * job, the last record of CS 1 (gap 900..1000), [10, 900] 890 cs_completion; CS 1's
 * submission [0, 10] 10 host_submit; no earlier CS: the path starts at 0.
 */
static void test_host(void)
{
	struct hlsim_unit u[3];
	struct hlsim_rec r[6];
	struct prf_report rep;
	hlsim_err_t rc;

	u[0] = mk_unit(0, 0, HLSIM_UNIT_HOST, "host", "host");
	u[1] = mk_unit(1, 0, HLSIM_UNIT_QUEUE, "DMA_0_0", "dma");
	u[2] = mk_unit(2, 0, HLSIM_UNIT_ENGINE, "DMA0", "dma");
	r[0] = mk(2, HLSIM_REC_DMA, 100, 800, 1, 0);
	r[1] = mk(1, HLSIM_REC_JOB, 10, 900, 1, 0);
	r[2] = mk(0, HLSIM_REC_CS, 0, 1000, 1, 0);
	r[3] = mk(2, HLSIM_REC_DMA, 1300, 2800, 2, 0);
	r[4] = mk(1, HLSIM_REC_JOB, 1250, 2900, 2, 0);
	r[5] = mk(0, HLSIM_REC_CS, 1200, 3000, 2, 0);
	CHECK(write_simple(OUT "/host.h5", u, 3, r, 6, 3000) == HLSIM_OK);
	rc = prf_report_load(OUT "/host.h5", 0, 0, &rep, NULL);
	CHECK(rc == HLSIM_OK);
	if (rc)
		return;
	CHECK(rep.crit.computed);
	CHECK_EQ_U64(rep.crit.end_ps, 2900);
	CHECK_EQ_U64(rep.crit.start_ps, 0);
	CHECK_EQ_U64(rep.crit.dep_ps[PRF_DEP_END], 1650);
	CHECK_EQ_U64(rep.crit.dep_ps[PRF_DEP_HOST_SUBMIT], 260);
	CHECK_EQ_U64(rep.crit.dep_ps[PRF_DEP_CS_COMPLETION], 890);
	CHECK_EQ_U64(rep.crit.dep_ps[PRF_DEP_GAP], 100);
	CHECK_EQ_U64(rep.crit.unit_ps[0], 260);
	CHECK_EQ_U64(rep.crit.unit_ps[1], 2540);
	CHECK_EQ_U64(rep.crit.unit_ps[2], 0);
	prf_report_free(&rep);
}

static void test_engine_of_cp(void)
{
	struct hlsim_unit u[6];

	u[0] = mk_unit(0, 0, HLSIM_UNIT_ENGINE, "DCORE1_TPC1", "tpc");
	u[1] = mk_unit(1, 0, HLSIM_UNIT_QUEUE, "DCORE1_TPC_1_2", "tpc");
	u[2] = mk_unit(2, 1, HLSIM_UNIT_QUEUE, "d1.DCORE1_TPC_1_2", "tpc");
	u[3] = mk_unit(3, 1, HLSIM_UNIT_ENGINE, "d1.DCORE1_TPC1", "tpc");
	u[4] = mk_unit(4, 1, HLSIM_UNIT_LOWER_CP, "d1.DCORE1_TPC1.lower_cp", "tpc");
	u[5] = mk_unit(5, 0, HLSIM_UNIT_QUEUE, "MME_0_0", "mme");
	CHECK(prf_engine_of_cp(u, 6, 1) == 0);
	CHECK(prf_engine_of_cp(u, 6, 2) == 3); /* same device only */
	CHECK(prf_engine_of_cp(u, 6, 4) == 3);
	CHECK(prf_engine_of_cp(u, 6, 5) == -1);
	CHECK(prf_engine_of_cp(u, 6, 0) == -1); /* not a CP */
}

int main(void)
{
	if (mkdir(OUT, 0777) != 0 && errno != EEXIST) {
		perror(OUT);
		return 1;
	}
	test_full();
	test_no_releases();
	test_bad_releases();
	test_host();
	test_engine_of_cp();
	return check_summary();
}
