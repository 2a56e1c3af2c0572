/*
 * tests/unit/test_advice.c - the advice rules (profiler/advice.c) on hand-made reports.
 *
 * Every rule runs on a report built to trigger it and on one built not to; the numbers
 * each sentence must quote are worked out in the comments. Also: the rule table, the
 * queue-to-engine match by name (Gaudi and Gaudi2 names), rules needing the configuration
 * being skipped without it, reading the peaks from a configuration text, and the "Advice"
 * section of the text and JSON reports.
 */
#include <stdlib.h>
#include <string.h>

#include "hlsim/config.h"
#include "profiler/prf.h"
#include "tests/unit/check.h"

#define US 1000000ull /* ps per microsecond */
#define RUN_PS (100 * US) /* every report: a whole run of 100 us */
#define AUX(src, dst) ((uint16_t)((src) << 8 | (dst)))

enum { U_HOST, U_DMAQ, U_DMA0, U_TPCQ, U_TPCLCP, U_TPC0, U_TPC1, U_MMEQ, U_MME, U_TPC1LCP,
       U_COUNT };

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

static struct hlsim_rec mk_launch(uint32_t unit, uint64_t start_ps, uint64_t end_ps,
				  uint64_t bytes, uint64_t flops)
{
	struct hlsim_rec r = mk_rec(unit, HLSIM_REC_LAUNCH, start_ps, end_ps, bytes,
				    MDL_ENGINE_TPC);

	r.flops = flops;
	return r;
}

/*
 * Peaks: PCIe 32 GB/s raw x 0.8 = 25.6 GB/s each way; DMA setup 0.5 us; HBM 1 TB/s;
 * one TPC 1 TFLOPS, one MME 10 TFLOPS.
 */
static struct prf_advice_config mk_cfg(void)
{
	struct prf_advice_config c;

	memset(&c, 0, sizeof(c));
	c.have_config = 1;
	c.pcie_h2d_bytes_per_s = 32e9;
	c.pcie_d2h_bytes_per_s = 32e9;
	c.pcie_efficiency = 0.8;
	c.dma_setup_latency_ps = US / 2;
	c.hbm_bytes_per_s = 1e12;
	c.tpc_peak_flops_per_s = 1e12;
	c.mme_peak_flops_per_s = 10e12;
	return c;
}

/* A finished whole-run report of the fixed units and @recs; 0 on success. */
static int build(struct prf_report *rep, const struct hlsim_rec *recs, size_t n)
{
	struct hlsim_unit units[U_COUNT];
	struct hlsim_run_info run;

	units[U_HOST] = mk_unit(U_HOST, HLSIM_UNIT_HOST, "host", "host");
	units[U_DMAQ] = mk_unit(U_DMAQ, HLSIM_UNIT_QUEUE, "DMA_0_0", "dma");
	units[U_DMA0] = mk_unit(U_DMA0, HLSIM_UNIT_ENGINE, "DMA0", "dma");
	units[U_TPCQ] = mk_unit(U_TPCQ, HLSIM_UNIT_QUEUE, "TPC_0_0", "tpc");
	units[U_TPCLCP] = mk_unit(U_TPCLCP, HLSIM_UNIT_LOWER_CP, "TPC0.lower_cp", "tpc");
	units[U_TPC0] = mk_unit(U_TPC0, HLSIM_UNIT_ENGINE, "TPC0", "tpc");
	units[U_TPC1] = mk_unit(U_TPC1, HLSIM_UNIT_ENGINE, "TPC1", "tpc");
	units[U_MMEQ] = mk_unit(U_MMEQ, HLSIM_UNIT_QUEUE, "DCORE0_MME_0_0", "mme");
	units[U_MME] = mk_unit(U_MME, HLSIM_UNIT_ENGINE, "DCORE0_MME", "mme");
	units[U_TPC1LCP] = mk_unit(U_TPC1LCP, HLSIM_UNIT_LOWER_CP, "TPC1.lower_cp", "tpc");
	memset(&run, 0, sizeof(run));
	run.simulated_time_ps = RUN_PS;
	if (prf_report_init(rep, &run, units, NULL, U_COUNT, 0, 0) != HLSIM_OK)
		return -1;
	if (n && prf_report_add(rep, recs, n) != HLSIM_OK)
		return -1;
	return prf_report_finish(rep) == HLSIM_OK ? 0 : -1;
}

/* Run the rules on a report of @recs with @cfg; the items of @rule go to @out (up to 4). */
static size_t advise(const struct hlsim_rec *recs, size_t n, const struct prf_advice_config *cfg,
		     const char *rule, struct prf_advice_item *out)
{
	struct prf_report rep;
	struct prf_advice adv;
	size_t i, k = 0;

	memset(&adv, 0, sizeof(adv));
	CHECK(build(&rep, recs, n) == 0);
	CHECK(prf_advice_compute(&rep, cfg, &adv) == HLSIM_OK);
	for (i = 0; i < adv.n; i++) {
		if (strcmp(adv.items[i].rule, rule))
			continue;
		if (k < 4)
			out[k] = adv.items[i];
		k++;
	}
	prf_advice_free(&adv);
	prf_report_free(&rep);
	return k;
}

static double value_of(const struct prf_advice_item *it, const char *name)
{
	size_t i;

	for (i = 0; i < it->num_values; i++)
		if (!strcmp(it->values[i].name, name))
			return it->values[i].value;
	return -1.0;
}

static void test_table(void)
{
	const struct prf_advice_rule *r;
	size_t n, i;
	static const char *const want[] = { "pcie_bound", "fence_starved", "engine_imbalance",
					    "small_transfers", "memory_bound_launches" };

	r = prf_advice_rules(&n);
	CHECK_EQ_U64(n, 5);
	for (i = 0; i < n && i < 5; i++) {
		CHECK(!strcmp(r[i].id, want[i]));
		CHECK(r[i].description && strlen(r[i].description) > 20);
		CHECK(r[i].check != NULL);
	}
}

static void test_pcie_bound(void)
{
	struct prf_advice_config cfg = mk_cfg();
	struct prf_advice_item it[4];
	struct hlsim_rec r;

	/*
	 * host -> hbm for 60 us moving 1440000 bytes: 60 % of the run at 24 GB/s, which is
	 * 24 / 25.6 = 93.75 % of the link: fires.
	 */
	r = mk_rec(U_DMA0, HLSIM_REC_DMA, 0, 60 * US, 1440000, AUX(MDL_MEM_HOST, MDL_MEM_HBM));
	CHECK_EQ_U64(advise(&r, 1, &cfg, "pcie_bound", it), 1);
	CHECK(!strcmp(it[0].severity, "high"));
	CHECK(!strcmp(it[0].subject, "host -> hbm"));
	CHECK_STR_CONTAINS(it[0].sentence, "takes 60.00 % of the run at 24.000 GB/s "
					   "(93.75 % of the link): keep operands resident in HBM");
	CHECK(value_of(&it[0], "link_pct") > 93.74 && value_of(&it[0], "link_pct") < 93.76);
	/* the same bytes in 60 us at half the rate (46.88 % of the link): no */
	r.bytes = 720000;
	CHECK_EQ_U64(advise(&r, 1, &cfg, "pcie_bound", it), 0);
	/* at full rate but busy only 40 us (40 %): no */
	r = mk_rec(U_DMA0, HLSIM_REC_DMA, 0, 40 * US, 960000, AUX(MDL_MEM_HBM, MDL_MEM_HOST));
	CHECK_EQ_U64(advise(&r, 1, &cfg, "pcie_bound", it), 0);
	/* device -> host at 24 GB/s for 60 us: fires on the d2h link */
	r = mk_rec(U_DMA0, HLSIM_REC_DMA, 0, 60 * US, 1440000, AUX(MDL_MEM_SRAM, MDL_MEM_HOST));
	CHECK_EQ_U64(advise(&r, 1, &cfg, "pcie_bound", it), 1);
	CHECK(!strcmp(it[0].subject, "sram -> host"));
	/* on-chip traffic at any rate: never */
	r = mk_rec(U_DMA0, HLSIM_REC_DMA, 0, 90 * US, 90000000, AUX(MDL_MEM_HBM, MDL_MEM_SRAM));
	CHECK_EQ_U64(advise(&r, 1, &cfg, "pcie_bound", it), 0);
	/* without the configuration the rule is not evaluated */
	r = mk_rec(U_DMA0, HLSIM_REC_DMA, 0, 60 * US, 1440000, AUX(MDL_MEM_HOST, MDL_MEM_HBM));
	CHECK_EQ_U64(advise(&r, 1, NULL, "pcie_bound", it), 0);
}

static void test_fence_starved(void)
{
	struct prf_advice_config cfg = mk_cfg();
	struct prf_advice_item it[4];
	struct hlsim_rec r[3];

	/*
	 * TPC0.lower_cp runs a CB for the whole run and is fence-blocked for its first 40 us
	 * (40 %); its engine TPC0 launches for 10 us only (idle 90 %): fires, naming both.
	 */
	r[0] = mk_rec(U_TPCLCP, HLSIM_REC_CB, 0, RUN_PS, 64, 0);
	r[1] = mk_rec(U_TPCLCP, HLSIM_REC_FENCE_WAIT, 0, 40 * US, 0, 0);
	r[2] = mk_launch(U_TPC0, 40 * US, 50 * US, 1000, 1000);
	CHECK_EQ_U64(advise(r, 3, &cfg, "fence_starved", it), 1);
	CHECK(!strcmp(it[0].subject, "TPC0.lower_cp"));
	CHECK_STR_CONTAINS(it[0].sentence, "TPC0.lower_cp (lower_cp) is blocked on fences for "
					   "40.000000 us (40.00 % of the run) while its engine "
					   "TPC0 is idle 90.00 % of it");
	/* blocked 20 us (20 %): no */
	r[1].end_ps = 20 * US;
	CHECK_EQ_U64(advise(r, 3, &cfg, "fence_starved", it), 0);
	/* blocked 40 % but the engine is busy 80 % (idle 20 %): no */
	r[1].end_ps = 40 * US;
	r[2] = mk_launch(U_TPC0, 10 * US, 90 * US, 1000, 1000);
	CHECK_EQ_U64(advise(r, 3, &cfg, "fence_starved", it), 0);
	/* a Gaudi queue "TPC_0_0" drives engine "TPC0" */
	r[0] = mk_rec(U_TPCQ, HLSIM_REC_JOB, 0, RUN_PS, 64, 0);
	r[1] = mk_rec(U_TPCQ, HLSIM_REC_FENCE_WAIT, 0, 50 * US, 0, 0);
	r[2] = mk_launch(U_TPC0, 50 * US, 60 * US, 1000, 1000);
	CHECK_EQ_U64(advise(r, 3, &cfg, "fence_starved", it), 1);
	CHECK_STR_CONTAINS(it[0].sentence, "TPC_0_0 (queue)");
	CHECK_STR_CONTAINS(it[0].sentence, "its engine TPC0 is idle 90.00 %");
	/* a Gaudi2 queue "DCORE0_MME_0_0" drives engine "DCORE0_MME" (idle all run) */
	r[0] = mk_rec(U_MMEQ, HLSIM_REC_JOB, 0, RUN_PS, 64, 0);
	r[1] = mk_rec(U_MMEQ, HLSIM_REC_FENCE_WAIT, 0, 50 * US, 0, 0);
	CHECK_EQ_U64(advise(r, 2, &cfg, "fence_starved", it), 1);
	CHECK_STR_CONTAINS(it[0].sentence, "its engine DCORE0_MME is idle 100.00 %");
}

static void test_fence_starved_group(void)
{
	struct prf_advice_config cfg = mk_cfg();
	struct prf_advice_item it[4];
	struct hlsim_rec r[6];

	/* TPC0.lower_cp and TPC1.lower_cp with equal numbers: one item for both */
	r[0] = mk_rec(U_TPCLCP, HLSIM_REC_CB, 0, RUN_PS, 64, 0);
	r[1] = mk_rec(U_TPCLCP, HLSIM_REC_FENCE_WAIT, 0, 40 * US, 0, 0);
	r[2] = mk_launch(U_TPC0, 40 * US, 50 * US, 1000, 1000);
	r[3] = mk_rec(U_TPC1LCP, HLSIM_REC_CB, 0, RUN_PS, 64, 0);
	r[4] = mk_rec(U_TPC1LCP, HLSIM_REC_FENCE_WAIT, 0, 40 * US, 0, 0);
	r[5] = mk_launch(U_TPC1, 40 * US, 50 * US, 1000, 1000);
	CHECK_EQ_U64(advise(r, 6, &cfg, "fence_starved", it), 1);
	CHECK(!strcmp(it[0].subject, "TPC0.lower_cp .. TPC1.lower_cp"));
	CHECK_STR_CONTAINS(it[0].sentence, "(2 lower_cps) are each blocked on fences for "
					   "40.000000 us (40.00 % of the run) while their engines "
					   "TPC0 .. TPC1 are each idle 90.00 % of it");
	CHECK(value_of(&it[0], "cps") == 2.0);
	/* different waits: one item each */
	r[4].end_ps = 45 * US;
	CHECK_EQ_U64(advise(r, 6, &cfg, "fence_starved", it), 2);
	CHECK(!strcmp(it[0].subject, "TPC0.lower_cp"));
	CHECK(!strcmp(it[1].subject, "TPC1.lower_cp"));
}

static void test_engine_imbalance(void)
{
	struct prf_advice_item it[4];
	struct hlsim_rec r[2];

	/* TPC0 busy 10 us, TPC1 busy 30 us: 3x > 2x, fires (needs no configuration) */
	r[0] = mk_launch(U_TPC0, 0, 10 * US, 1000, 1000);
	r[1] = mk_launch(U_TPC1, 0, 30 * US, 1000, 1000);
	CHECK_EQ_U64(advise(r, 2, NULL, "engine_imbalance", it), 1);
	CHECK(!strcmp(it[0].subject, "tpc"));
	CHECK_STR_CONTAINS(it[0].sentence, "TPC busy ranges from 10.000000 us (TPC0) to "
					   "30.000000 us (TPC1) across 2 engines: rebalance the "
					   "index-space partition");
	/* 10 us and 15 us: 1.5x, no */
	r[1].end_ps = 15 * US;
	CHECK_EQ_U64(advise(r, 2, NULL, "engine_imbalance", it), 0);
	/* exactly 2x is not "more than 2x" */
	r[1].end_ps = 20 * US;
	CHECK_EQ_U64(advise(r, 2, NULL, "engine_imbalance", it), 0);
	/* one TPC idle all run while the other works: fires (0 to 10 us) */
	CHECK_EQ_U64(advise(r, 1, NULL, "engine_imbalance", it), 1);
	CHECK_STR_CONTAINS(it[0].sentence, "from 0.000000 us (TPC1) to 10.000000 us (TPC0)");
	/* no TPC busy at all: nothing to balance */
	CHECK_EQ_U64(advise(r, 0, NULL, "engine_imbalance", it), 0);
}

static void test_small_transfers(void)
{
	struct prf_advice_config cfg = mk_cfg();
	struct prf_advice_item it[4];
	struct hlsim_rec r[20];
	size_t i;

	/*
	 * 20 transfers of 1024 bytes, 1 us each back to back: busy 20 us; setup 20 x 0.5 us =
	 * 10 us = 50 % of it: fires.
	 */
	for (i = 0; i < 20; i++)
		r[i] = mk_rec(U_DMA0, HLSIM_REC_DMA, i * US, (i + 1) * US, 1024,
			      AUX(MDL_MEM_HBM, MDL_MEM_SRAM));
	CHECK_EQ_U64(advise(r, 20, &cfg, "small_transfers", it), 1);
	CHECK(!strcmp(it[0].subject, "DMA0"));
	CHECK_STR_CONTAINS(it[0].sentence, "DMA0 moves 20 transfers of 1024 bytes on average; "
					   "their setup latency (20 x 0.500000 us) is 50.00 % of "
					   "its busy time: batch them into larger transfers");
	/* 8 KiB each: not small */
	for (i = 0; i < 20; i++)
		r[i].bytes = 8192;
	CHECK_EQ_U64(advise(r, 20, &cfg, "small_transfers", it), 0);
	/* small but each 4 us long, 5 us apart: */
	for (i = 0; i < 20; i++) {
		r[i].bytes = 1024;
		r[i].start_ps = i * 5 * US;
		r[i].end_ps = r[i].start_ps + 4 * US;
	}
	/* busy 20 x 4 us = 80 us; setup 10 us = 12.5 %: no */
	CHECK_EQ_U64(advise(r, 20, &cfg, "small_transfers", it), 0);
	/* only 4 small transfers: below the minimum count, no */
	for (i = 0; i < 4; i++) {
		r[i].start_ps = i * US;
		r[i].end_ps = (i + 1) * US;
	}
	CHECK_EQ_U64(advise(r, 4, &cfg, "small_transfers", it), 0);
	/* without the configuration (setup latency unknown): not evaluated */
	for (i = 0; i < 20; i++) {
		r[i].start_ps = i * US;
		r[i].end_ps = (i + 1) * US;
	}
	CHECK_EQ_U64(advise(r, 20, NULL, "small_transfers", it), 0);
}

static void test_memory_bound(void)
{
	struct prf_advice_config cfg = mk_cfg();
	struct prf_advice_item it[4];
	struct hlsim_rec r[2];

	/*
	 * Two 10 us launches on TPC0 and TPC1, 7000000 bytes and 1000000 FLOPs each: 0.7 TB/s
	 * (70 % of HBM) and 0.1 TFLOPS (10 % of one TPC's peak): fires once for the kernel.
	 */
	r[0] = mk_launch(U_TPC0, 0, 10 * US, 7000000, 1000000);
	r[1] = mk_launch(U_TPC1, 0, 10 * US, 7000000, 1000000);
	CHECK_EQ_U64(advise(r, 2, &cfg, "memory_bound_launches", it), 1);
	CHECK(!strcmp(it[0].subject, "unnamed tpc launches"));
	CHECK_STR_CONTAINS(it[0].sentence,
			   "(tpc, 2 launches) is memory-bound: 0.100 TFLOPS (10.00 % of one "
			   "engine's peak) while moving 700.000 GB/s (70.00 % of HBM "
			   "bandwidth): fuse it with its neighbours");
	/* 5000000 FLOPs each (50 % of peak): compute matters too, no */
	r[0].flops = r[1].flops = 5000000;
	CHECK_EQ_U64(advise(r, 2, &cfg, "memory_bound_launches", it), 0);
	/* low FLOPs and 3000000 bytes each (30 % of HBM): not memory-bound either */
	r[0].flops = r[1].flops = 1000000;
	r[0].bytes = r[1].bytes = 3000000;
	CHECK_EQ_U64(advise(r, 2, &cfg, "memory_bound_launches", it), 0);
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

static void test_writers(void)
{
	struct prf_report rep;
	struct hlsim_rec r;
	char *txt, *json;

	r = mk_rec(U_DMA0, HLSIM_REC_DMA, 0, 60 * US, 1440000, AUX(MDL_MEM_HOST, MDL_MEM_HBM));
	CHECK(build(&rep, &r, 1) == 0);
	/* no configuration: the section says so and has no pcie item */
	txt = capture(&rep, prf_report_write_text);
	CHECK_STR_CONTAINS(txt, "\nAdvice\n  (none: no rule found a problem");
	CHECK_STR_CONTAINS(txt, "were not evaluated");
	json = capture(&rep, prf_report_write_json);
	CHECK_STR_CONTAINS(json, "\"advice\": [],\n  \"checks\"");
	free(txt);
	free(json);
	/* with it: the item, after Bottleneck and before the checks */
	rep.advice_cfg = mk_cfg();
	txt = capture(&rep, prf_report_write_text);
	CHECK_STR_CONTAINS(txt, "\nAdvice\n  pcie_bound (high): host <-> device traffic over "
				"PCIe (host -> hbm) takes 60.00 %");
	CHECK(txt && strstr(txt, "\nBottleneck\n") < strstr(txt, "\nAdvice\n"));
	CHECK(txt && strstr(txt, "\nAdvice\n") < strstr(txt, "\nConsistency checks\n"));
	json = capture(&rep, prf_report_write_json);
	CHECK_STR_CONTAINS(json, "\"rule\": \"pcie_bound\",\n      \"severity\": \"high\",\n"
				 "      \"subject\": \"host -> hbm\"");
	CHECK_STR_CONTAINS(json, "\"link_pct\": 93.750000");
	free(txt);
	free(json);
	prf_report_free(&rep);
}

static void test_config_load(void)
{
	struct prf_advice_config c;
	hlsim_config_t *cfg = NULL;
	char *ini = NULL;

	/* the default preset written as text, as a results file stores it */
	CHECK(hlsim_config_load(NULL, &cfg) == HLSIM_OK);
	CHECK(cfg && hlsim_config_to_string(cfg, &ini) == HLSIM_OK);
	prf_advice_config_load(&c, ini);
	CHECK(c.have_config == 1);
	if (cfg) {
		CHECK(c.pcie_h2d_bytes_per_s == hlsim_config_f64(cfg, "pcie.h2d_bandwidth"));
		CHECK(c.pcie_efficiency == hlsim_config_f64(cfg, "pcie.efficiency"));
		CHECK_EQ_U64(c.dma_setup_latency_ps, hlsim_config_u64(cfg, "dma.setup_latency"));
		CHECK(c.hbm_bytes_per_s == hlsim_config_f64(cfg, "hbm.bandwidth"));
	}
	CHECK(c.tpc_peak_flops_per_s > 0 && c.mme_peak_flops_per_s > 0);
	free(ini);
	hlsim_config_free(cfg);
	/* no text, or text that is not a configuration: no peaks, no failure */
	prf_advice_config_load(&c, NULL);
	CHECK(c.have_config == 0);
	prf_advice_config_load(&c, "this is = not [a configuration\n");
	CHECK(c.have_config == 0);
}

int main(void)
{
	test_table();
	test_pcie_bound();
	test_fence_starved();
	test_fence_starved_group();
	test_engine_imbalance();
	test_small_transfers();
	test_memory_bound();
	test_writers();
	test_config_load();
	return check_summary();
}
