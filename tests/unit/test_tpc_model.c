/*
 * tests/unit/test_tpc_model.c - the TPC timing model (models/common/tpc.c) at its
 * boundaries, on descriptors written register by register through the Gaudi layout:
 * one point; one element more than a vector crosses to the next vector; a 255-byte vs
 * 256-byte run along dim 0; strides; a cost hint overriding compute, FLOPs and bytes;
 * zero sizes; the sync-object completion; the parameters and their checks.
 */
#include <stdio.h>
#include <string.h>

#include "hlsim/config.h"
#include "models/common/asic.h"
#include "models/common/engine.h"
#include "models/common/tpc.h"
#include "models/gaudi/gaudi_tpc.h"
#include "tests/unit/check.h"

#define BF16 6u
#define FP32 7u
#define INT8 0u
#define HBM_A 0x100000000ull
#define HBM_B 0x200000000ull
#define HBM_C 0x300000000ull

static const struct mdl_tpc_layout *L = &gaudi_tpc_layout;
static uint32_t regs[0x10000 / 4];
static struct mdl_tpc_cfg cfg;

static void wr(uint32_t off, uint32_t v)
{
	regs[off / 4] = v;
}

static uint32_t toff(uint32_t slot, uint32_t field)
{
	return L->tensor0 + slot * L->tensor_stride_bytes + field;
}

/* Tensor @slot: @dims sizes (dims beyond @ndims size 1 stride 0, all valid). */
static void tensor(uint32_t slot, uint64_t base, uint32_t dtype, uint32_t ndims,
		   const uint32_t *size, const uint32_t *stride)
{
	uint32_t k;

	wr(toff(slot, L->t_base_lo), (uint32_t)base);
	wr(toff(slot, L->t_base_hi), (uint32_t)(base >> 32));
	wr(toff(slot, L->t_config), dtype | 0x1Fu << 8);
	for (k = 0; k < 5; k++) {
		wr(toff(slot, L->t_dim0_size + 8 * k), k < ndims ? size[k] : 1);
		wr(toff(slot, L->t_dim0_stride + 8 * k), k < ndims ? stride[k] : 0);
	}
}

static void tensor1d(uint32_t slot, uint64_t base, uint32_t dtype, uint32_t elements)
{
	uint32_t one = 1;

	tensor(slot, base, dtype, 1, &elements, &one);
}

static void ispace(uint32_t dim, uint32_t base, uint32_t size)
{
	wr(L->tid_base0 + 8 * dim, base);
	wr(L->tid_size0 + 8 * dim, size);
}

/* A, B -> C, 1-D of @elements @dtype, index space dim 0 [base, base+size). */
static void eltwise(uint32_t dtype, uint32_t elements, uint32_t base, uint32_t size)
{
	memset(regs, 0, sizeof(regs));
	tensor1d(0, HBM_A, dtype, elements);
	tensor1d(1, HBM_B, dtype, elements);
	tensor1d(2, HBM_C, dtype, elements);
	ispace(0, base, size);
	wr(L->kernel_id, 0xAB);
}

static hlsim_err_t run(const struct mdl_cost_hint *hint, struct mdl_work *w)
{
	return mdl_tpc_work(L, regs, &cfg, hint, w);
}

/* Overhead + latency with the defaults. */
#define FIXED_CYCLES (1000 + 4)

static void test_params(void)
{
	hlsim_config_t *c = NULL;
	struct mdl_tpc_cfg t;

	CHECK(hlsim_config_defaults(&c) == HLSIM_OK);
	if (!c)
		return;
	CHECK(mdl_tpc_cfg_load(c, &cfg) == HLSIM_OK);
	CHECK(cfg.clock_hz == 1.95e9);
	CHECK(cfg.cycles_per_vector == 1.0);
	CHECK_EQ_U64(cfg.pipeline_latency_cycles, 4);
	CHECK_EQ_U64(cfg.launch_overhead_cycles, 1000);
	CHECK_EQ_U64(cfg.vector_bytes, 256);
	CHECK_EQ_U64(cfg.min_access_bytes, 256);
	CHECK_EQ_U64(cfg.flops_per_element, 1);
	/* the peak the parameters imply: 8 TPCs x 128 bf16 lanes x 2 x 1.95 GHz ~ 4 TFLOPS */
	CHECK(8.0 * (double)(cfg.vector_bytes / 2) * 2 * cfg.clock_hz > 3.99e12 &&
	      8.0 * (double)(cfg.vector_bytes / 2) * 2 * cfg.clock_hz < 4.0e12);

	CHECK(hlsim_config_set(c, "tpc.cycles_per_vector=0", "test") == HLSIM_OK);
	CHECK(mdl_tpc_cfg_load(c, &t) == HLSIM_E_CONFIG);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "tpc.cycles_per_vector");
	CHECK(hlsim_config_set(c, "tpc.cycles_per_vector=0.5", "test") == HLSIM_OK);
	CHECK(mdl_tpc_cfg_load(c, &t) == HLSIM_OK && t.cycles_per_vector == 0.5);
	CHECK(hlsim_config_set(c, "tpc.vector_bytes=6", "test") == HLSIM_OK);
	CHECK(mdl_tpc_cfg_load(c, &t) == HLSIM_E_CONFIG);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "tpc.vector_bytes");
	CHECK(mdl_tpc_cfg_load(NULL, &t) == HLSIM_E_INVAL);
	hlsim_config_free(c);
}

static void test_one_point(void)
{
	struct mdl_work w;
	uint32_t i;

	eltwise(BF16, 128, 0, 1);
	CHECK(run(NULL, &w) == HLSIM_OK);
	CHECK_EQ_U64(w.compute_cycles, FIXED_CYCLES + 1);
	CHECK_EQ_U64(w.flops, 128);
	CHECK_EQ_U64(w.num_traffic, 3);
	for (i = 0; i < 3; i++) {
		CHECK_EQ_U64(w.traffic[i].bytes, 256);
		CHECK_EQ_U64(w.traffic[i].access_bytes, 256);
		CHECK_EQ_U64(w.traffic[i].write, i == 2);
	}
	CHECK_EQ_U64(w.traffic[0].addr, HBM_A);
	CHECK_EQ_U64(w.traffic[2].addr, HBM_C);
	CHECK(!strcmp(w.label, "tpc kernel 171 1 pts bf16"));
	CHECK(!w.has_completion);

	/* fp32: a vector is 64 elements; int8: 256 */
	eltwise(FP32, 64, 0, 1);
	CHECK(run(NULL, &w) == HLSIM_OK);
	CHECK_EQ_U64(w.flops, 64);
	CHECK_EQ_U64(w.traffic[0].bytes, 256);
	CHECK(!strcmp(w.label, "tpc kernel 171 1 pts fp32"));
	eltwise(INT8, 256, 0, 1);
	CHECK(run(NULL, &w) == HLSIM_OK);
	CHECK_EQ_U64(w.flops, 256);
	CHECK_EQ_U64(w.traffic[1].bytes, 256);

	/* the same point on a tensor bigger than one vector moves one vector */
	eltwise(BF16, 1000, 0, 1);
	CHECK(run(NULL, &w) == HLSIM_OK);
	CHECK_EQ_U64(w.traffic[0].bytes, 256);
	CHECK_EQ_U64(w.flops, 128);
}

/* 128 bf16 elements are one vector; 129 need a second one, of which one lane is used. */
static void test_vector_boundary(void)
{
	struct mdl_work w;

	eltwise(BF16, 128, 0, 1);
	CHECK(run(NULL, &w) == HLSIM_OK);
	CHECK_EQ_U64(w.compute_cycles, FIXED_CYCLES + 1);

	eltwise(BF16, 129, 0, 2);
	CHECK(run(NULL, &w) == HLSIM_OK);
	CHECK_EQ_U64(w.compute_cycles, FIXED_CYCLES + 2);
	CHECK_EQ_U64(w.flops, 129);
	CHECK_EQ_U64(w.traffic[0].bytes, 258);
	CHECK_EQ_U64(w.traffic[2].bytes, 258);
	CHECK(!strcmp(w.label, "tpc kernel 171 2 pts bf16"));

	/* the partition holding only the second vector: one element in bounds */
	eltwise(BF16, 129, 1, 1);
	CHECK(run(NULL, &w) == HLSIM_OK);
	CHECK_EQ_U64(w.compute_cycles, FIXED_CYCLES + 1);
	CHECK_EQ_U64(w.flops, 1);
	CHECK_EQ_U64(w.traffic[0].bytes, 2);
	CHECK_EQ_U64(w.traffic[0].addr, HBM_A + 256);
	CHECK_EQ_U64(w.traffic[0].access_bytes, 2);

	/* a partition entirely out of bounds costs its cycles and moves nothing */
	eltwise(BF16, 129, 2, 1);
	CHECK(run(NULL, &w) == HLSIM_OK);
	CHECK_EQ_U64(w.compute_cycles, FIXED_CYCLES + 1);
	CHECK_EQ_U64(w.flops, 0);
	CHECK_EQ_U64(w.num_traffic, 0);
	/* ... even where its first element's address would overflow 64 bits */
	eltwise(BF16, 129, 0xFFFFFFFFu, 1);
	wr(toff(0, L->t_dim0_stride), 0xFFFFFFFFu);
	CHECK(run(NULL, &w) == HLSIM_OK);
	CHECK_EQ_U64(w.num_traffic, 0);
	/* but an in-bounds access at an address beyond 2^64 is an error */
	wr(toff(0, L->t_dim0_size), 0xFFFFFFFFu);
	ispace(0, 1u << 24, 1); /* element 2^31, x stride 2^32-1 x 2 bytes */
	CHECK(run(NULL, &w) == HLSIM_E_SIM);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "tensor 0: its size");

	/* cycles_per_vector scales the body only */
	cfg.cycles_per_vector = 2.5;
	eltwise(BF16, 129, 0, 2);
	CHECK(run(NULL, &w) == HLSIM_OK);
	CHECK_EQ_U64(w.compute_cycles, FIXED_CYCLES + 5);
	eltwise(BF16, 128, 0, 1);
	CHECK(run(NULL, &w) == HLSIM_OK);
	CHECK_EQ_U64(w.compute_cycles, FIXED_CYCLES + 3); /* ceil(2.5) */
	cfg.cycles_per_vector = 1;
}

static void test_access_bytes(void)
{
	struct mdl_work w;
	uint32_t size[2] = { 255, 4 }, stride[2] = { 1, 255 };

	/* int8 rows of 255 bytes vs 256 bytes */
	eltwise(INT8, 255, 0, 1);
	CHECK(run(NULL, &w) == HLSIM_OK);
	CHECK_EQ_U64(w.traffic[0].access_bytes, 255);
	CHECK_EQ_U64(w.traffic[0].bytes, 255);
	eltwise(INT8, 256, 0, 1);
	CHECK(run(NULL, &w) == HLSIM_OK);
	CHECK_EQ_U64(w.traffic[0].access_bytes, 256);
	/* longer runs are reported as the efficient size */
	eltwise(INT8, 100000, 0, 391);
	CHECK(run(NULL, &w) == HLSIM_OK);
	CHECK_EQ_U64(w.traffic[0].access_bytes, 256);
	CHECK_EQ_U64(w.traffic[0].bytes, 100000);
	cfg.min_access_bytes = 64;
	CHECK(run(NULL, &w) == HLSIM_OK);
	CHECK_EQ_U64(w.traffic[0].access_bytes, 64);
	cfg.min_access_bytes = 256;

	/* 2-D int8 tensor of 4 rows of 255: each point reads one 255-byte row */
	memset(regs, 0, sizeof(regs));
	tensor(0, HBM_A, INT8, 2, size, stride);
	tensor(1, HBM_C, INT8, 2, size, stride);
	ispace(0, 0, 1);
	ispace(1, 0, 4);
	CHECK(run(NULL, &w) == HLSIM_OK);
	CHECK_EQ_U64(w.compute_cycles, FIXED_CYCLES + 4);
	CHECK_EQ_U64(w.traffic[0].bytes, 1020);
	CHECK_EQ_U64(w.traffic[0].access_bytes, 255);
	CHECK_EQ_U64(w.flops, 1020);

	/* a dim-0 stride of 2 elements: every access is one element */
	stride[0] = 2;
	tensor(0, HBM_A, FP32, 2, size, stride);
	tensor(1, HBM_C, FP32, 2, size, stride);
	ispace(0, 0, 4);
	CHECK(run(NULL, &w) == HLSIM_OK);
	CHECK_EQ_U64(w.traffic[0].access_bytes, 4);
	CHECK_EQ_U64(w.traffic[1].access_bytes, 4);
	CHECK_EQ_U64(w.traffic[0].bytes, 255 * 4 * 4);
}

static void test_multi_dim(void)
{
	struct mdl_work w;
	uint32_t size[2] = { 300, 3 }, stride[2] = { 1, 300 };

	memset(regs, 0, sizeof(regs));
	tensor(0, HBM_A, BF16, 2, size, stride);
	tensor(1, HBM_C, BF16, 2, size, stride);
	ispace(0, 0, 3); /* ceil(300 / 128) */
	ispace(1, 0, 3);
	CHECK(run(NULL, &w) == HLSIM_OK);
	CHECK_EQ_U64(w.compute_cycles, FIXED_CYCLES + 9);
	CHECK_EQ_U64(w.flops, 900);
	CHECK_EQ_U64(w.traffic[0].bytes, 1800);
	CHECK(!strcmp(w.label, "tpc kernel 0 9 pts bf16"));
	/* rows 2..3 of a 3-row tensor: one row in bounds, starting at row 2 */
	ispace(1, 2, 2);
	CHECK(run(NULL, &w) == HLSIM_OK);
	CHECK_EQ_U64(w.compute_cycles, FIXED_CYCLES + 6);
	CHECK_EQ_U64(w.flops, 300);
	CHECK_EQ_U64(w.traffic[1].bytes, 600);
	CHECK_EQ_U64(w.traffic[1].addr, HBM_C + 2 * 300 * 2);

	/* sizes of 0 above the highest used dimension count as 1 */
	ispace(1, 0, 1);
	ispace(2, 0, 0);
	ispace(3, 0, 0);
	CHECK(run(NULL, &w) == HLSIM_OK);
	CHECK(!strcmp(w.label, "tpc kernel 0 3 pts bf16"));

	/* a tensor whose dim 1 is not valid is not bounds-checked there */
	wr(toff(0, L->t_config), BF16 | 0x1u << 8);
	ispace(1, 5, 2);
	CHECK(run(NULL, &w) == HLSIM_OK);
	/* rows at coordinates 5 and 6 both read row data: 2 x 300 elements, capped at the
	 * 300 of the whole tensor */
	CHECK_EQ_U64(w.traffic[0].bytes, 300 * 2);
	CHECK_EQ_U64(w.num_traffic, 1); /* C is out of bounds in dim 1 */

	/* the output is the last tensor in use, whatever its slot; dtypes may differ */
	memset(regs, 0, sizeof(regs));
	tensor1d(0, HBM_A, BF16, 256);
	tensor1d(5, HBM_C, FP32, 256);
	ispace(0, 0, 2);
	CHECK(run(NULL, &w) == HLSIM_OK);
	CHECK_EQ_U64(w.num_traffic, 2);
	CHECK_EQ_U64(w.traffic[0].write, 0);
	CHECK_EQ_U64(w.traffic[1].write, 1);
	CHECK_EQ_U64(w.traffic[0].bytes, 512);
	CHECK_EQ_U64(w.traffic[1].bytes, 1024); /* 128 fp32 elements per bf16 vector */
	/* a slot with a base address but no valid dimension is not in use */
	tensor1d(7, HBM_B, FP32, 256);
	wr(toff(7, L->t_config), FP32);
	CHECK(run(NULL, &w) == HLSIM_OK);
	CHECK_EQ_U64(w.num_traffic, 2);
}

static void test_cost_hint(void)
{
	struct mdl_cost_hint h;
	struct mdl_work w;

	eltwise(BF16, 128, 0, 1);
	memset(&h, 0, sizeof(h));
	h.present = 1;
	h.cycles_per_element = 0.5;
	CHECK(run(&h, &w) == HLSIM_OK);
	CHECK_EQ_U64(w.compute_cycles, FIXED_CYCLES + 64);
	CHECK_EQ_U64(w.flops, 128); /* not given: elements x flops_per_element */

	/* FLOPs only: at the peak of 2 x 128 bf16 lanes per cycle */
	h.cycles_per_element = 0;
	h.flops = 1024;
	CHECK(run(&h, &w) == HLSIM_OK);
	CHECK_EQ_U64(w.compute_cycles, FIXED_CYCLES + 4);
	CHECK_EQ_U64(w.flops, 1024);
	h.flops = 1025;
	CHECK(run(&h, &w) == HLSIM_OK);
	CHECK_EQ_U64(w.compute_cycles, FIXED_CYCLES + 5);

	/* cycles_per_element wins over flops for time; flops still reported */
	h.cycles_per_element = 2;
	CHECK(run(&h, &w) == HLSIM_OK);
	CHECK_EQ_U64(w.compute_cycles, FIXED_CYCLES + 256);
	CHECK_EQ_U64(w.flops, 1025);

	/* stated bytes replace the descriptor's, in proportion */
	h.bytes = 3000;
	CHECK(run(&h, &w) == HLSIM_OK);
	CHECK_EQ_U64(w.traffic[0].bytes + w.traffic[1].bytes + w.traffic[2].bytes, 3000);
	CHECK_EQ_U64(w.traffic[0].bytes, 1000);
	CHECK_EQ_U64(w.traffic[2].bytes, 1000);
	h.bytes = 1001;
	CHECK(run(&h, &w) == HLSIM_OK);
	CHECK_EQ_U64(w.traffic[0].bytes + w.traffic[1].bytes + w.traffic[2].bytes, 1001);

	/* not present, or present with nothing in it: the default model */
	h.present = 0;
	CHECK(run(&h, &w) == HLSIM_OK);
	CHECK_EQ_U64(w.compute_cycles, FIXED_CYCLES + 1);
	CHECK_EQ_U64(w.traffic[0].bytes, 256);
	memset(&h, 0, sizeof(h));
	h.present = 1;
	CHECK(run(&h, &w) == HLSIM_OK);
	CHECK_EQ_U64(w.compute_cycles, FIXED_CYCLES + 1);
	CHECK_EQ_U64(w.flops, 128);

	/* a parsed hint drives the model the same way */
	CHECK(mdl_cost_hint_parse("kernel=add_bf16 flops=256 bytes=768", &h) == HLSIM_OK);
	CHECK(run(&h, &w) == HLSIM_OK);
	CHECK_EQ_U64(w.flops, 256);
	CHECK_EQ_U64(w.compute_cycles, FIXED_CYCLES + 1);
	CHECK_EQ_U64(w.traffic[1].bytes, 256);
}

static void test_errors(void)
{
	struct mdl_tpc_layout short_table = gaudi_tpc_layout;
	struct mdl_work w;

	/* no point */
	eltwise(BF16, 128, 0, 0);
	CHECK(run(NULL, &w) == HLSIM_E_SIM);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "no point");
	/* a zero size below a used dimension */
	eltwise(BF16, 128, 0, 0);
	ispace(1, 0, 2);
	CHECK(run(NULL, &w) == HLSIM_E_SIM);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "tid_size_dim_0 (0xd94) is 0");
	eltwise(BF16, 128, 0, 1);
	ispace(3, 0, 2);
	CHECK(run(NULL, &w) == HLSIM_E_SIM);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "tid_size_dim_1");
	/* a zero-sized valid tensor dimension */
	eltwise(BF16, 128, 0, 1);
	wr(toff(1, L->t_dim0_size + 8 * 2), 0);
	CHECK(run(NULL, &w) == HLSIM_E_SIM);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "tensor 1: dim_2_size (0xa58) is 0");
	/* ... but not in a dimension outside valid_dim_mask */
	wr(toff(1, L->t_config), BF16 | 0x3u << 8);
	CHECK(run(NULL, &w) == HLSIM_OK);
	/* no tensor in use */
	memset(regs, 0, sizeof(regs));
	ispace(0, 0, 1);
	CHECK(run(NULL, &w) == HLSIM_E_SIM);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "no tensor in use");
	/* more points than 64 bits count */
	eltwise(BF16, 128, 0, 0xFFFFFFFFu);
	ispace(1, 0, 0xFFFFFFFFu);
	ispace(2, 0, 0xFFFFFFFFu);
	CHECK(run(NULL, &w) == HLSIM_E_SIM);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "2^64");
	/* a data type code the ASIC does not define */
	short_table.num_dtypes = 7;
	eltwise(FP32, 64, 0, 1);
	CHECK(mdl_tpc_work(&short_table, regs, &cfg, NULL, &w) == HLSIM_E_SIM);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "data_type 7");
	CHECK(mdl_tpc_work(NULL, regs, &cfg, NULL, &w) == HLSIM_E_INVAL);
	CHECK(mdl_tpc_work(L, regs, &cfg, NULL, NULL) == HLSIM_E_INVAL);
}

static void test_completion(void)
{
	const struct mdl_asic_funcs *f = NULL;
	struct mdl_target tg;
	struct mdl_work w;
	uint64_t sob;

	CHECK(mdl_asic_by_name("gaudi", &f) == HLSIM_OK);
	if (!f)
		return;
	sob = f->sob_addr(0, 65);
	CHECK_EQ_U64(sob >> 32, L->sm_base_high_driver);

	/* address bits 63:32 from the driver's SM_BASE_ADDRESS_HIGH when never written */
	eltwise(BF16, 128, 0, 1);
	wr(L->so_addr, (uint32_t)sob);
	wr(L->so_message, f->sob_value_encode(1, 1));
	CHECK(run(NULL, &w) == HLSIM_OK);
	CHECK(w.has_completion);
	CHECK_EQ_U64(w.completion_addr, sob);
	CHECK_EQ_U64(w.completion_data, 0x80000001u);
	f->classify_target(w.completion_addr, &tg);
	CHECK(tg.kind == MDL_TARGET_SOB && tg.index == 65 && tg.block == 0);

	/* ... and from the register when the program wrote it */
	wr(L->sm_base_high, 0x12);
	CHECK(run(NULL, &w) == HLSIM_OK);
	CHECK_EQ_U64(w.completion_addr, 0x12ull << 32 | (uint32_t)sob);

	/* a "+0" message (non-final partition) is still written */
	wr(L->so_message, 0x80000000u);
	CHECK(run(NULL, &w) == HLSIM_OK);
	CHECK(w.has_completion);
	CHECK_EQ_U64(w.completion_data, 0x80000000u);

	/* no address: no completion */
	wr(L->so_addr, 0);
	CHECK(run(NULL, &w) == HLSIM_OK);
	CHECK(!w.has_completion);
	CHECK_EQ_U64(w.completion_addr, 0);
}

int main(void)
{
	test_params();
	test_one_point();
	test_vector_boundary();
	test_access_bytes();
	test_multi_dim();
	test_cost_hint();
	test_errors();
	test_completion();
	return check_summary();
}
