/*
 * tests/unit/test_gaudi2_tpc.c - Gaudi2 TPC launches (hlsim interpretation,
 * models/gaudi2/gaudi2_tpc.c): the layout is Gaudi's at Gaudi's offsets except the
 * launch register (0xD98), TPC_CMD (0xD94), the 4-bit data type field with fp16/fp8, no
 * tid_base_dim_1 and 24 user TPCs; the gaudi2 engine_launch hook times a launch with
 * the common TPC model (elements / lanes at tpc.clock, overheads) and a cost hint
 * overrides it; the value at 0xD98 (the launch write) is not read as tid_base_dim_1;
 * `hlsim gen elementwise --asic gaudi2` replays with `hlsim run` and its LAUNCH records
 * carry the analytic FLOPs and bytes over the 24 TPCs.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hlsim/config.h"
#include "hlsim/results.h"
#include "models/common/asic.h"
#include "models/common/engine.h"
#include "models/common/tpc.h"
#include "models/gaudi/gaudi_tpc.h"
#include "models/gaudi2/gaudi2_tpc.h"
#include "tests/unit/check.h"
#include "tests/unit/tracebuild.h"
#include "traces/gen/gen_elementwise.h"

#define BF16 6u
#define HBM_A 0x1001800000000000ull
#define HBM_B 0x1001800100000000ull
#define HBM_C 0x1001800200000000ull

static const struct mdl_tpc_layout *L = &gaudi2_tpc_layout;
static uint32_t regs[0x10000 / 4];

static void wr(uint32_t off, uint32_t v)
{
	regs[off / 4] = v;
}

/* 1-D tensor @slot of @elements bf16 at @base. */
static void tensor1d(uint32_t slot, uint64_t base, uint32_t elements, uint32_t rows)
{
	uint32_t off = L->tensor0 + slot * L->tensor_stride_bytes, k;

	wr(off + L->t_base_lo, (uint32_t)base);
	wr(off + L->t_base_hi, (uint32_t)(base >> 32));
	wr(off + L->t_config, BF16 | 0x1Fu << 8);
	for (k = 0; k < 5; k++) {
		wr(off + L->t_dim0_size + 8 * k, k == 0 ? elements : k == 1 ? rows : 1);
		wr(off + L->t_dim0_stride + 8 * k, k == 0 ? 1 : k == 1 ? elements : 0);
	}
}

/* The layout: Gaudi's offsets, except what gaudi2_tpc.c documents. */
static void test_layout(void)
{
	const struct mdl_tpc_layout *G = &gaudi_tpc_layout;
	const struct mdl_asic_funcs *f = NULL;

	CHECK_EQ_U64(L->tensor0, G->tensor0);
	CHECK_EQ_U64(L->tensor_stride_bytes, G->tensor_stride_bytes);
	CHECK_EQ_U64(L->num_tensors, G->num_tensors);
	CHECK_EQ_U64(L->t_config, G->t_config);
	CHECK_EQ_U64(L->so_message, G->so_message);
	CHECK_EQ_U64(L->so_addr, G->so_addr);
	CHECK_EQ_U64(L->sm_base_high, G->sm_base_high);
	CHECK_EQ_U64(L->kernel_base_lo, G->kernel_base_lo);
	CHECK_EQ_U64(L->tid_base0, G->tid_base0);
	CHECK_EQ_U64(L->tid_size0, G->tid_size0);
	CHECK_EQ_U64(L->kernel_id, G->kernel_id);
	CHECK_EQ_U64(L->srf0, G->srf0);
	CHECK_EQ_U64(L->desc_first, G->desc_first);
	CHECK_EQ_U64(L->desc_bytes, G->desc_bytes);
	/* Gaudi2's own registers, inside the Gaudi descriptor */
	CHECK_EQ_U64(L->tpc_execute, 0xD98);
	CHECK_EQ_U64(L->tpc_cmd, 0xD94);
	CHECK_EQ_U64(L->tid_base0 + L->tid_pair_bytes, L->tpc_execute);
	CHECK_EQ_U64(L->tid_base_absent_mask, 1u << 1);
	CHECK_EQ_U64(G->tid_base_absent_mask, 0);
	CHECK_EQ_U64(L->user_tpcs, 24);
	CHECK(!strcmp(L->dtypes[8].name, "fp16") && L->dtypes[8].size_bytes == 2);
	CHECK(!strcmp(L->dtypes[9].name, "fp8") && L->dtypes[9].size_bytes == 1);
	CHECK_EQ_U64(L->cfg_dtype_mask, 0xF);
	/* wired into the Gaudi2 properties and its launch register */
	CHECK(mdl_asic_by_name("gaudi2", &f) == HLSIM_OK);
	if (!f)
		return;
	CHECK(f->props->tpc_layout == L);
	CHECK_EQ_U64(f->props->launch_reg[MDL_ENGINE_TPC], L->tpc_execute);
	CHECK_EQ_U64(f->props->engines_per_class[MDL_ENGINE_TPC], 25);
}

/* The engine_launch hook with the HL-225 preset's TPC parameters. */
static void test_launch(void)
{
	const struct mdl_asic_funcs *f = NULL;
	hlsim_config_t *cfg = NULL;
	struct mdl_engine_cfg ec;
	struct mdl_cost_hint hint;
	struct mdl_work w;
	uint64_t elements = 1280000, points = elements / 128, i, bytes = 0;

	CHECK(mdl_asic_by_name("gaudi2", &f) == HLSIM_OK);
	CHECK(hlsim_config_load("gaudi2_hl225", &cfg) == HLSIM_OK);
	if (!f || !cfg)
		return;
	CHECK(mdl_engine_cfg_load(cfg, &ec) == HLSIM_OK);
	CHECK(ec.tpc.clock_hz == 1.8e9);

	/* A, B -> C, 1280000 bf16 each: 10000 vectors of 128 lanes on one TPC */
	memset(regs, 0, sizeof(regs));
	tensor1d(0, HBM_A, (uint32_t)elements, 1);
	tensor1d(1, HBM_B, (uint32_t)elements, 1);
	tensor1d(2, HBM_C, (uint32_t)elements, 1);
	wr(L->tid_size0, (uint32_t)points);
	wr(L->so_addr, 0x4100000u + 4 * 130);
	wr(L->so_message, 0x80000001u);
	wr(L->tpc_execute, 1); /* the launch write itself */
	CHECK(f->engine_launch(MDL_ENGINE_TPC, regs, &ec, NULL, &w) == HLSIM_OK);
	/* launch_overhead 1000 + pipeline 4 + 10000 points x 1 cycle */
	CHECK_EQ_U64(w.compute_cycles,
		     ec.tpc.launch_overhead_cycles + ec.tpc.pipeline_latency_cycles + points);
	CHECK_EQ_U64(w.compute_cycles, 11004);
	CHECK_EQ_U64(w.flops, elements * ec.tpc.flops_per_element);
	for (i = 0; i < w.num_traffic; i++)
		bytes += w.traffic[i].bytes;
	CHECK_EQ_U64(bytes, 3 * elements * 2);
	CHECK(w.has_completion);
	CHECK_EQ_U64(w.completion_addr, gaudi2_tpc_layout.sm_base_high_driver * (1ull << 32) +
						0x4100000u + 4 * 130);

	/* a cost hint replaces the body and the FLOPs: 0.25 cycles per element */
	CHECK(mdl_cost_hint_parse("kernel=gelu_bf16 flops=12800000 cycles_per_element=0.25",
				  &hint) == HLSIM_OK);
	CHECK(f->engine_launch(MDL_ENGINE_TPC, regs, &ec, &hint, &w) == HLSIM_OK);
	CHECK_EQ_U64(w.compute_cycles, 1004 + elements / 4);
	CHECK_EQ_U64(w.flops, 12800000);
	/* FLOPs only: at the 128 lanes' multiply-add peak, 12800000 / 256 cycles */
	CHECK(mdl_cost_hint_parse("flops=12800000", &hint) == HLSIM_OK);
	CHECK(f->engine_launch(MDL_ENGINE_TPC, regs, &ec, &hint, &w) == HLSIM_OK);
	CHECK_EQ_U64(w.compute_cycles, 1004 + 50000);

	/*
	 * 0xD98 is TPC_EXECUTE, not tid_base_dim_1: with 2 rows and a dim-1 partition of 2,
	 * a base of 1 would leave one row out of bounds; it is read as 0, so both rows move.
	 */
	memset(regs, 0, sizeof(regs));
	tensor1d(0, HBM_A, 256, 2);
	tensor1d(1, HBM_C, 256, 2);
	wr(L->tid_size0, 2);
	wr(L->tid_size0 + 8, 2);
	wr(L->tpc_execute, 1);
	CHECK(f->engine_launch(MDL_ENGINE_TPC, regs, &ec, NULL, &w) == HLSIM_OK);
	CHECK_EQ_U64(w.num_traffic, 2);
	CHECK_EQ_U64(w.traffic[0].bytes, 2 * 256 * 2);
	CHECK_EQ_U64(w.traffic[1].bytes, 2 * 256 * 2);
	CHECK_EQ_U64(w.traffic[0].addr, HBM_A);
	/* the same registers through the Gaudi layout read 0xD98 = 1 as the base: one row */
	CHECK(mdl_tpc_work(&gaudi_tpc_layout, regs, &ec.tpc, NULL, &w) == HLSIM_OK);
	CHECK_EQ_U64(w.traffic[0].bytes, 256 * 2);
	hlsim_config_free(cfg);
}

/* Sum of the LAUNCH records of DIR/results.h5. */
static void launches(const char *dir, uint64_t *n, uint64_t *flops, uint64_t *bytes)
{
	char path[600];
	hlsim_results_t *res = NULL;
	struct hlsim_rec rec[256];
	uint64_t first = 0;
	size_t got, i;

	*n = *flops = *bytes = 0;
	snprintf(path, sizeof(path), "%s/results.h5", dir);
	if (hlsim_results_open(path, &res)) {
		fprintf(stderr, "%s: %s\n", path, hlsim_last_error_detail());
		CHECK(0);
		return;
	}
	while (!hlsim_results_read(res, first, rec, 256, &got) && got) {
		for (i = 0; i < got; i++) {
			if (rec[i].kind != HLSIM_REC_LAUNCH)
				continue;
			(*n)++;
			*flops += rec[i].flops;
			*bytes += rec[i].bytes;
		}
		first += got;
	}
	hlsim_results_close(res);
}

/* `hlsim gen elementwise --asic gaudi2` replays; FLOPs and bytes as analysed. */
static void test_trace(void)
{
	struct trc_gen_elementwise_opts o;
	struct trc_gen_elementwise_stats st;
	uint64_t n, flops, bytes;
	char err[4096];

	trc_gen_elementwise_defaults(&o);
	o.asic = "gaudi2";
	o.elements = 3000000;
	o.tpcs = 24;
	o.flops_per_element = 3;
	o.dtype = "bf16";
	CHECK(trc_gen_elementwise(&o, "g2tpc_ew.h5", "test", &st) == HLSIM_OK);
	CHECK_EQ_U64(st.kernels, 24);
	CHECK_EQ_U64(st.flops, 9000000);
	CHECK_EQ_U64(tb_run("g2tpc_ew.h5", "g2tpc_ew.out", "--config gaudi2_hl225", err,
			    sizeof(err)),
		     0);
	if (err[0])
		fprintf(stderr, "%s", err);
	launches("g2tpc_ew.out", &n, &flops, &bytes);
	CHECK_EQ_U64(n, 24);
	CHECK_EQ_U64(flops, 3000000ull * 3);
	CHECK_EQ_U64(bytes, 3ull * 3000000 * 2);

	/* 25 TPCs: the spare PCI TPC is not offered to workloads */
	o.tpcs = 25;
	CHECK(trc_gen_elementwise(&o, "g2tpc_bad.h5", "test", &st) == HLSIM_E_USAGE);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "1..24");
	/* fp8 exists in the Gaudi2 layout only */
	o.tpcs = 24;
	o.dtype = "fp8";
	CHECK(trc_gen_elementwise(&o, "g2tpc_fp8.h5", "test", &st) == HLSIM_OK);
	o.asic = "gaudi";
	o.tpcs = 8;
	CHECK(trc_gen_elementwise(&o, "g1tpc_fp8.h5", "test", &st) == HLSIM_E_USAGE);
}

int main(void)
{
	gaudi2_tpc_init(); /* the layout is filled at run time from Gaudi's */
	test_layout();
	test_launch();
	test_trace();
	return check_summary();
}
