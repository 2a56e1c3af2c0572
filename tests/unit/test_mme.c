/*
 * tests/unit/test_mme.c - the MME timing model (models/common/mme.c): the peak
 * identities of CALIBRATION.md, tile boundaries, K scaling, data-type rates, the
 * tall/wide geometries, operand traffic and reuse, completion, the [mme] parameters,
 * the Gaudi descriptor layout against the register names, and every bad programming.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "hlsim/config.h"
#include "models/common/asic.h"
#include "models/common/engine.h"
#include "models/common/mme.h"
#include "models/gaudi/gaudi_mme.h"
#include "tests/unit/check.h"
#include "traces/gen/gen_gemm.h"

#define L (&gaudi_mme_layout)

static uint32_t regs[0x10000 / 4];

static const char *const gaudi2_sets[] = {
	"mme.clock=1.65GHz",	    "mme.array_rows=256",	 "mme.array_cols=256",
	"mme.reshape=true",	    "mme.fp32_rate=0.25",	 "mme.fp8_rate=2",
	"mme.fill_drain_cycles=512", "mme.tile_overhead_cycles=128", "mme.launch_cycles=1000",
	"mme.local_buffer=8MiB",
};

/* The [mme] parameters of the defaults (HL-205) plus @sets. */
static hlsim_err_t load_cfg(const char *const *sets, size_t n, struct mdl_mme_cfg *out)
{
	hlsim_config_t *c = NULL;
	hlsim_err_t rc;
	size_t i;

	hlsim_clear_error();
	rc = hlsim_config_defaults(&c);
	for (i = 0; !rc && i < n; i++)
		rc = hlsim_config_set(c, sets[i], "test");
	if (!rc)
		rc = mdl_mme_cfg_load(c, out);
	hlsim_config_free(c);
	return rc;
}

static struct mdl_mme_cfg gaudi2(void)
{
	struct mdl_mme_cfg c;

	CHECK(load_cfg(gaudi2_sets, sizeof(gaudi2_sets) / sizeof(gaudi2_sets[0]), &c) == HLSIM_OK);
	return c;
}

static struct mdl_mme_cfg gaudi(void)
{
	struct mdl_mme_cfg c;

	CHECK(load_cfg(NULL, 0, &c) == HLSIM_OK);
	return c;
}

/* A dense GEMM m x n x k of @dt at fixed addresses, no sync object. */
static struct mdl_mme_gemm gemm(uint32_t m, uint32_t n, uint32_t k, enum mdl_mme_dtype dt)
{
	struct mdl_mme_gemm g = {
		.m = m, .n = n, .k = k,
		.addr = { 0x20000000ull, 0x60000000ull, 0xA0000000ull },
		.pitch = { k, n, n },
		.in_dtype = (uint8_t)dt, .out_dtype = (uint8_t)dt,
	};

	return g;
}

static hlsim_err_t work_of(const struct mdl_mme_gemm *g, const struct mdl_mme_cfg *c,
			   struct mdl_work *w)
{
	hlsim_err_t rc = mdl_mme_desc_encode(L, g, regs);

	CHECK(rc == HLSIM_OK);
	hlsim_clear_error();
	return rc ? rc : mdl_mme_work(L, regs, c, w);
}

static uint64_t cycles_of(uint32_t m, uint32_t n, uint32_t k, enum mdl_mme_dtype dt,
			  const struct mdl_mme_cfg *c)
{
	struct mdl_mme_gemm g = gemm(m, n, k, dt);
	struct mdl_work w;

	CHECK(work_of(&g, c, &w) == HLSIM_OK);
	return w.compute_cycles;
}

/* CALIBRATION.md: 2 x 256 x 256 x 2 x 1.65 GHz = 432 TFLOPS; FP8 twice; HL-205 ~60. */
static void test_peaks(void)
{
	struct mdl_mme_cfg g2 = gaudi2(), g1 = gaudi(), g3 = g2;
	double p2 = 2 * mdl_mme_peak_flops(&g2, MDL_MME_BF16);

	CHECK(p2 == 2.0 * 256 * 256 * 2 * 1.65e9);
	CHECK(fabs(p2 / 432e12 - 1) < 0.002);
	CHECK(2 * mdl_mme_peak_flops(&g2, MDL_MME_FP8) == 2 * p2);
	CHECK(fabs(2 * mdl_mme_peak_flops(&g2, MDL_MME_FP8) / 865e12 - 1) < 0.002);
	CHECK(2 * mdl_mme_peak_flops(&g2, MDL_MME_FP32) == p2 / 4);
	/* Gaudi3: 8 MMEs of 256 x 256 at 1.75 GHz = 1835 TFLOPS */
	g3.clock_hz = 1.75e9;
	CHECK(fabs(8 * mdl_mme_peak_flops(&g3, MDL_MME_BF16) / 1835e12 - 1) < 0.001);
	/* HL-205: 2 QMANs x 128 x 64 x 2 x 1.95 GHz = 63.9 TFLOPS, the ~60 of the vendor */
	CHECK(2 * mdl_mme_peak_flops(&g1, MDL_MME_BF16) == 2.0 * 128 * 64 * 2 * 1.95e9);
	CHECK(fabs(2 * mdl_mme_peak_flops(&g1, MDL_MME_BF16) / 60e12 - 1) < 0.07);
	CHECK(mdl_mme_peak_flops(&g1, MDL_MME_FP8) == 0);
}

/* cycles = launch + fill_drain + tiles x (ceil(K / rate) + tile_overhead), at the edges. */
static void test_tiles(void)
{
	struct mdl_mme_cfg c = gaudi2();
	uint64_t fixed = c.launch_cycles + c.fill_drain_cycles, per = 1024 + c.tile_overhead_cycles;

	CHECK_EQ_U64(cycles_of(256, 256, 1024, MDL_MME_BF16, &c), fixed + per);
	CHECK_EQ_U64(cycles_of(1, 1, 1024, MDL_MME_BF16, &c), fixed + per);
	/* one element more in M or N crosses a tile boundary */
	CHECK_EQ_U64(cycles_of(257, 256, 1024, MDL_MME_BF16, &c), fixed + 2 * per);
	CHECK_EQ_U64(cycles_of(256, 257, 1024, MDL_MME_BF16, &c), fixed + 2 * per);
	CHECK_EQ_U64(cycles_of(512, 512, 1024, MDL_MME_BF16, &c), fixed + 4 * per);
	CHECK_EQ_U64(cycles_of(513, 512, 1024, MDL_MME_BF16, &c), fixed + 6 * per);
	/* the HL-205 array: 128 x 64 */
	c = gaudi();
	fixed = c.launch_cycles + c.fill_drain_cycles;
	per = 1024 + c.tile_overhead_cycles;
	CHECK_EQ_U64(cycles_of(128, 64, 1024, MDL_MME_BF16, &c), fixed + per);
	CHECK_EQ_U64(cycles_of(129, 64, 1024, MDL_MME_BF16, &c), fixed + 2 * per);
	CHECK_EQ_U64(cycles_of(128, 65, 1024, MDL_MME_BF16, &c), fixed + 2 * per);
	CHECK_EQ_U64(c.launch_cycles, 1000);
	CHECK_EQ_U64(c.fill_drain_cycles, 128 + 64);
	CHECK_EQ_U64(c.tile_overhead_cycles, 128 / 2);
}

/* Doubling K adds K cycles per tile; K = 1 costs one cycle per tile. */
static void test_k_scaling(void)
{
	struct mdl_mme_cfg c = gaudi2();
	uint64_t a = cycles_of(1024, 1024, 4096, MDL_MME_BF16, &c);
	uint64_t b = cycles_of(1024, 1024, 8192, MDL_MME_BF16, &c);
	uint64_t one = cycles_of(1024, 1024, 1, MDL_MME_BF16, &c);

	CHECK_EQ_U64(b - a, 16 * 4096);
	CHECK_EQ_U64(a - one, 16 * 4095);
	CHECK_EQ_U64(one, c.launch_cycles + c.fill_drain_cycles +
				  16 * (1 + c.tile_overhead_cycles));
}

/* fp8 runs K at 2 per cycle on Gaudi2, fp32 at 1/4; HL-205 refuses fp8. */
static void test_rates(void)
{
	struct mdl_mme_cfg c = gaudi2(), c1 = gaudi();
	uint64_t fixed = c.launch_cycles + c.fill_drain_cycles + 4 * c.tile_overhead_cycles;
	struct mdl_mme_gemm g = gemm(512, 512, 4096, MDL_MME_FP8);
	struct mdl_work w;

	CHECK_EQ_U64(cycles_of(512, 512, 4096, MDL_MME_BF16, &c), fixed + 4 * 4096);
	CHECK_EQ_U64(cycles_of(512, 512, 4096, MDL_MME_FP8, &c), fixed + 4 * 2048);
	CHECK_EQ_U64(cycles_of(512, 512, 4096, MDL_MME_FP32, &c), fixed + 4 * 16384);
	CHECK_EQ_U64(cycles_of(512, 512, 4095, MDL_MME_FP8, &c), fixed + 4 * 2048); /* ceil */
	CHECK(work_of(&g, &c1, &w) == HLSIM_E_UNSUPPORTED);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "mme.fp8_rate = 0");
}

/* Gaudi2's 512x128 and 128x512 shapes; refused where mme.reshape is false. */
static void test_geometry(void)
{
	struct mdl_mme_cfg c = gaudi2(), c1 = gaudi();
	struct mdl_mme_gemm g = gemm(512, 128, 1024, MDL_MME_BF16);
	struct mdl_work base, tall, wide;
	uint64_t per = 1024 + c.tile_overhead_cycles;

	CHECK(work_of(&g, &c, &base) == HLSIM_OK);
	g.geometry = MDL_MME_GEO_TALL;
	CHECK(work_of(&g, &c, &tall) == HLSIM_OK);
	g.geometry = MDL_MME_GEO_WIDE;
	CHECK(work_of(&g, &c, &wide) == HLSIM_OK);
	CHECK_EQ_U64(base.compute_cycles - tall.compute_cycles, per); /* 2 tiles -> 1 */
	CHECK_EQ_U64(wide.compute_cycles - tall.compute_cycles, 3 * per); /* 4 tiles */
	g.geometry = MDL_MME_GEO_TALL;
	CHECK(work_of(&g, &c1, &tall) == HLSIM_E_UNSUPPORTED);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "mme.reshape = false");
	/* a configuration made by hand rather than by mdl_mme_cfg_load() */
	c.array_cols = 255;
	CHECK(work_of(&g, &c, &tall) == HLSIM_E_CONFIG);
	c.array_cols = 0;
	g.geometry = MDL_MME_GEO_BASE;
	CHECK(work_of(&g, &c, &tall) == HLSIM_E_CONFIG);
}

/* Bytes and access sizes; reuse through mme.local_buffer; completion; label. */
static void test_traffic(void)
{
	struct mdl_mme_cfg c = gaudi2();
	struct mdl_mme_gemm g = gemm(1024, 512, 4096, MDL_MME_BF16);
	struct mdl_work w;
	uint64_t s = 1024ull * 4096 * 2, l = 4096ull * 512 * 2;

	c.local_buffer_bytes = 0; /* no reuse: S once per tile column, L once per tile row */
	CHECK(work_of(&g, &c, &w) == HLSIM_OK);
	CHECK_EQ_U64(w.flops, 2ull * 1024 * 512 * 4096);
	CHECK_EQ_U64(w.num_traffic, 3);
	CHECK_EQ_U64(w.traffic[0].addr, g.addr[MDL_MME_S]);
	CHECK_EQ_U64(w.traffic[0].bytes, s * 2);
	CHECK_EQ_U64(w.traffic[1].bytes, l * 4);
	CHECK_EQ_U64(w.traffic[2].bytes, 1024ull * 512 * 2);
	CHECK(!w.traffic[0].write && !w.traffic[1].write && w.traffic[2].write);
	CHECK_EQ_U64(w.traffic[0].access_bytes, 256 * 4096 * 2); /* packed rows: whole strip */
	CHECK_EQ_U64(w.traffic[1].access_bytes, 256 * 2); /* 256 of 512 columns per row */
	CHECK_EQ_U64(w.traffic[2].access_bytes, 256 * 2);
	CHECK(!w.has_completion);
	CHECK(!strcmp(w.label, "gemm 1024x512x4096 bf16"));
	/* a buffer holding 4 S strips (2 MiB each): S read once, L once per band of 4 rows */
	c.local_buffer_bytes = 8u << 20;
	CHECK(work_of(&g, &c, &w) == HLSIM_OK);
	CHECK_EQ_U64(w.traffic[0].bytes + w.traffic[1].bytes, s + l);
	/*
	 * one 2 MiB strip: S once and L once per tile row (s + 4l), or L once and S once
	 * per tile column (2s + l, fewer bytes: taken)
	 */
	c.local_buffer_bytes = 2u << 20;
	CHECK(work_of(&g, &c, &w) == HLSIM_OK);
	CHECK_EQ_U64(w.traffic[0].bytes, 2 * s);
	CHECK_EQ_U64(w.traffic[1].bytes, l);
	/* a wider pitch makes every row its own access */
	g.pitch[MDL_MME_S] = 4096 + 64;
	CHECK(work_of(&g, &c, &w) == HLSIM_OK);
	CHECK_EQ_U64(w.traffic[0].access_bytes, 4096 * 2);
	/* transposed S (K rows of M): 256 elements of each row */
	g = gemm(1024, 512, 4096, MDL_MME_BF16);
	g.transpose_s = 1;
	g.pitch[MDL_MME_S] = 1024;
	CHECK(work_of(&g, &c, &w) == HLSIM_OK);
	CHECK_EQ_U64(w.traffic[0].access_bytes, 256 * 2);
	CHECK_EQ_U64(w.compute_cycles, cycles_of(1024, 512, 4096, MDL_MME_BF16, &c));
	/* the descriptor's sync object is the completion */
	g.has_sync = 1;
	g.sync_addr = 0x7FFC4F2104ull;
	g.sync_data = 0x80000001u;
	CHECK(work_of(&g, &c, &w) == HLSIM_OK);
	CHECK(w.has_completion);
	CHECK_EQ_U64(w.completion_addr, 0x7FFC4F2104ull);
	CHECK_EQ_U64(w.completion_data, 0x80000001u);
}

/* The [mme] parameters and their errors. */
static void test_params(void)
{
	struct mdl_mme_cfg c = gaudi();
	const char *bad_rows[] = { "mme.array_rows=0" };
	const char *bad_odd[] = { "mme.reshape=true", "mme.array_cols=65" };
	const char *bad_fp32[] = { "mme.fp32_rate=0" };
	const char *bad_clock[] = { "mme.clock=1Hz" };

	CHECK(c.clock_hz == 1.95e9);
	CHECK_EQ_U64(c.array_rows, 128);
	CHECK_EQ_U64(c.array_cols, 64);
	CHECK(!c.reshape && c.fp32_rate == 0.25 && c.fp8_rate == 0);
	CHECK_EQ_U64(c.local_buffer_bytes, 2u << 20);
	CHECK(load_cfg(bad_rows, 1, &c) == HLSIM_E_CONFIG);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "mme.array_rows");
	CHECK(load_cfg(bad_odd, 2, &c) == HLSIM_E_CONFIG);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "mme.array_cols = 65");
	CHECK(load_cfg(bad_fp32, 1, &c) == HLSIM_E_CONFIG);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "mme.fp32_rate");
	CHECK(load_cfg(bad_clock, 1, &c) == HLSIM_E_CONFIG);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "mme.clock");
}

/* Each offset of gaudi_mme_layout is the register the Gaudi register table names. */
static void test_layout(void)
{
	const struct mdl_asic_funcs *f = NULL;
	static const char *const opn[3] = { "S", "L", "O" };
	char want[64];
	int x, i;

#define NAMED(off, name)                                                                   \
	do {                                                                               \
		const char *rn_ = f->reg_name(MDL_ENGINE_MME, (off));                      \
		CHECK(rn_ && !strcmp(rn_, (name)));                                        \
		CHECK((off) >= L->desc_first && (off) < L->desc_end && (off) % 4 == 0);    \
	} while (0)

	CHECK(mdl_asic_by_name("gaudi", &f) == HLSIM_OK);
	if (!f)
		return;
	CHECK_EQ_U64(L->cmd, f->props->launch_reg[MDL_ENGINE_MME]);
	CHECK(L->desc_end <= f->props->engine_block_bytes && L->cmd >= L->desc_end);
	CHECK_STR_CONTAINS(f->reg_name(MDL_ENGINE_MME, L->cmd), "CMD");
	for (x = 0; x < 3; x++) {
		snprintf(want, sizeof(want), "ARCH_BASE_ADDR_HIGH_%s", opn[x]);
		NAMED(L->base_high[x], want);
		snprintf(want, sizeof(want), "ARCH_BASE_ADDR_LOW_%s", opn[x]);
		NAMED(L->base_low[x], want);
		for (i = 0; i < 5; i++) {
			snprintf(want, sizeof(want), "ARCH_TENSOR_%s_VALID_ELEMENTS_%d", opn[x], i);
			NAMED(L->valid_elements[x][i], want);
		}
		snprintf(want, sizeof(want), "ARCH_TENSOR_%s_SPATIAL_STRIDES_0", opn[x]);
		NAMED(L->spatial_stride0[x], want);
	}
	NAMED(L->header_low, "ARCH_HEADER_LOW");
	NAMED(L->header_high, "ARCH_HEADER_HIGH");
	NAMED(L->conv_kernel_size_m1, "ARCH_CONV_KERNEL_SIZE_MINUS_1");
	NAMED(L->num_iterations_m1, "ARCH_NUM_ITERATIONS_MINUS_1");
	NAMED(L->outer_loop, "ARCH_OUTER_LOOP");
	NAMED(L->sync_addr_low_local, "ARCH_DESC_SYNC_OBJECT_ADDR_LOW_LOCAL");
	NAMED(L->sync_addr_low_remote, "ARCH_DESC_SYNC_OBJECT_ADDR_LOW_REMOTE");
	NAMED(L->sync_addr_high, "ARCH_DESC_SYNC_OBJECT_ADDR_HIGH");
	NAMED(L->sync_data, "ARCH_DESC_SYNC_OBJECT_DATA");
	CHECK_EQ_U64(L->num_logical, 2);
	for (i = 0; i < 2; i++) {
		const struct mdl_queue_info *qi = f->queue_info(33 + 4u * (unsigned)i);

		CHECK(qi && qi->engine_class == MDL_ENGINE_MME &&
		      qi->engine_index == L->logical_engine[i]);
	}
#undef NAMED
}

static int same_gemm(const struct mdl_mme_gemm *a, const struct mdl_mme_gemm *b)
{
	int x, same = a->m == b->m && a->n == b->n && a->k == b->k &&
		      a->in_dtype == b->in_dtype && a->out_dtype == b->out_dtype &&
		      a->transpose_s == b->transpose_s && a->transpose_l == b->transpose_l &&
		      a->geometry == b->geometry && a->has_sync == b->has_sync &&
		      a->sync_addr == b->sync_addr && a->sync_data == b->sync_data;

	for (x = 0; x < MDL_MME_OPERANDS; x++)
		same = same && a->addr[x] == b->addr[x] && a->pitch[x] == b->pitch[x];
	return same;
}

/* Encode -> decode returns the same GEMM; the encoder clears the whole descriptor. */
static void test_roundtrip(void)
{
	struct mdl_mme_gemm g = gemm(300, 700, 5000, MDL_MME_FP8), b;

	g.out_dtype = MDL_MME_BF16;
	g.transpose_s = 1;
	g.transpose_l = 1;
	g.pitch[MDL_MME_S] = 320;
	g.pitch[MDL_MME_L] = 5008;
	g.pitch[MDL_MME_O] = 704;
	g.addr[MDL_MME_S] = 0x1234567800ull;
	g.geometry = MDL_MME_GEO_WIDE;
	g.has_sync = 1;
	g.sync_addr = 0x7FFC4F2000ull;
	g.sync_data = 0x80000001u;
	memset(regs, 0xA5, sizeof(regs));
	CHECK(mdl_mme_desc_encode(L, &g, regs) == HLSIM_OK);
	CHECK_EQ_U64(regs[0x224 / 4], 0); /* ARCH_DESC_DUMMY: outside the interpretation */
	CHECK_EQ_U64(regs[0x004 / 4], 0xA5A5A5A5u); /* before the block: untouched */
	CHECK(mdl_mme_desc_decode(L, regs, &b) == HLSIM_OK);
	CHECK(same_gemm(&g, &b));
	/* what the encoder refuses */
	g.pitch[MDL_MME_O] = 699;
	CHECK(mdl_mme_desc_encode(L, &g, regs) == HLSIM_E_INVAL);
	g = gemm(0, 1, 1, MDL_MME_BF16);
	CHECK(mdl_mme_desc_encode(L, &g, regs) == HLSIM_E_INVAL);
}

/* Programming that makes no sense (E_SIM) or is outside the interpretation (E_UNSUPPORTED). */
static void test_bad_programming(void)
{
	struct mdl_mme_cfg c = gaudi2();
	struct mdl_mme_gemm g = gemm(512, 512, 512, MDL_MME_BF16);
	struct mdl_work w;
	static const struct {
		uint32_t off, value;
		hlsim_err_t rc;
		const char *needle;
	} cases[] = {
		{ 0x03c, 0, HLSIM_E_SIM, "zero-sized tensor" }, /* S VALID_ELEMENTS_0 */
		{ 0x144, 0, HLSIM_E_SIM, "zero-sized tensor" }, /* O VALID_ELEMENTS_1 */
		{ 0x074, 100, HLSIM_E_SIM, "SPATIAL_STRIDES_0 (0x074) = 100" },
		{ 0x0b0, 1024, HLSIM_E_SIM, "S has K = 512 but L has K = 1024" },
		{ 0x144, 256, HLSIM_E_SIM, "O is 256 rows of 512" },
		{ 0x028, 2, HLSIM_E_UNSUPPORTED, "convolution is not modelled" },
		{ 0x034, 1, HLSIM_E_UNSUPPORTED, "iterations" },
		{ 0x038, 1, HLSIM_E_UNSUPPORTED, "outer loops" },
		{ 0x044, 4, HLSIM_E_UNSUPPORTED, "batched" }, /* S VALID_ELEMENTS_2 */
		{ 0x020, 0x00100000, HLSIM_E_SIM, "reserved bits" },
		{ 0x020, 0x00000001, HLSIM_E_UNSUPPORTED, "operation 1" },
		{ 0x020, 0x00000070, HLSIM_E_SIM, "data type codes 7" },
		{ 0x020, 0x0000C000, HLSIM_E_SIM, "geometry 3" },
		{ 0x020, 0x00010000, HLSIM_E_UNSUPPORTED, "accumulator type 1" },
		{ 0x024, 1, HLSIM_E_SIM, "ARCH_HEADER_HIGH" },
		{ 0x014, 0, HLSIM_E_SIM, "tensor S has no address" },
		{ 0x1e8, 0x80000001u, HLSIM_E_SIM, "sync object address" },
		{ 0x1e0, 0x4F2000u, HLSIM_E_UNSUPPORTED, "remote (slave) sync object" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK(mdl_mme_desc_encode(L, &g, regs) == HLSIM_OK);
		regs[cases[i].off / 4] = cases[i].value;
		hlsim_clear_error();
		CHECK(mdl_mme_work(L, regs, &c, &w) == cases[i].rc);
		CHECK_STR_CONTAINS(hlsim_last_error_detail(), cases[i].needle);
	}
	/* a tensor that wraps around the address space */
	g.addr[MDL_MME_L] = 0xFFFFFFFFFFFF0000ull;
	CHECK(work_of(&g, &c, &w) == HLSIM_E_SIM);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "past the end of the address space");
	/* an all-zero register file is not a launch */
	memset(regs, 0, sizeof(regs));
	CHECK(mdl_mme_work(L, regs, &c, &w) == HLSIM_E_SIM);
}

/* The calibration GEMMs of CALIBRATION.md within 5%, cut as the generator cuts them. */
static void test_calibration(void)
{
	static struct trc_gen_gemm_launch plan[64];
	static const struct {
		uint32_t size;
		double measured_tflops;
	} cal[] = { { 4096, 408.2 }, { 8192, 423.9 } };
	struct mdl_mme_cfg c = gaudi2();
	struct trc_gen_gemm_opts o;
	size_t i;

	for (i = 0; i < 2; i++) {
		uint64_t per_mme[2] = { 0, 0 }, worst;
		uint32_t n = 0, j;
		double t;

		trc_gen_gemm_defaults(&o);
		o.m = o.n = o.k = cal[i].size;
		CHECK(trc_gen_gemm_plan(&o, 2, plan, 64, &n) == HLSIM_OK);
		for (j = 0; j < n; j++) {
			struct mdl_mme_gemm g = gemm(plan[j].m, plan[j].n, o.k, MDL_MME_BF16);
			struct mdl_work w;

			g.pitch[MDL_MME_L] = g.pitch[MDL_MME_O] = o.n;
			CHECK(work_of(&g, &c, &w) == HLSIM_OK);
			per_mme[plan[j].mme] += w.compute_cycles;
		}
		worst = per_mme[0] > per_mme[1] ? per_mme[0] : per_mme[1];
		t = 2.0 * cal[i].size * cal[i].size * cal[i].size / (worst / c.clock_hz) / 1e12;
		CHECK(fabs(t / cal[i].measured_tflops - 1) < 0.05);
		CHECK(t < 2 * mdl_mme_peak_flops(&c, MDL_MME_BF16) / 1e12);
	}
}

int main(void)
{
	test_peaks();
	test_tiles();
	test_k_scaling();
	test_rates();
	test_geometry();
	test_traffic();
	test_params();
	test_layout();
	test_roundtrip();
	test_bad_programming();
	test_calibration();
	return check_summary();
}
