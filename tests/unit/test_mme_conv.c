/*
 * tests/unit/test_mme_conv.c - the MME convolution (operation 1) of models/common/mme.c:
 * a convolution takes the cycles and FLOPs of its implicit GEMM; a 1x1 stride-1
 * convolution is that GEMM in traffic too; the input footprint against an independent
 * brute-force count (halo, padding, strides larger than the kernel) and below M x K;
 * descriptor round trip; and every inconsistent or unsupported programming refused.
 */
#include <stdio.h>
#include <string.h>

#include "hlsim/config.h"
#include "models/common/engine.h"
#include "models/common/mme.h"
#include "models/gaudi/gaudi_mme.h"
#include "tests/unit/check.h"

#define L (&gaudi_mme_layout)

static uint32_t regs[0x10000 / 4];

/* The [mme] parameters of a preset (NULL: the defaults, HL-205). */
static struct mdl_mme_cfg cfg_of(const char *const *sets, size_t n)
{
	struct mdl_mme_cfg c;
	hlsim_config_t *h = NULL;
	hlsim_err_t rc;
	size_t i;

	memset(&c, 0, sizeof(c));
	rc = hlsim_config_defaults(&h);
	for (i = 0; !rc && i < n; i++)
		rc = hlsim_config_set(h, sets[i], "test");
	if (!rc)
		rc = mdl_mme_cfg_load(h, &c);
	CHECK(rc == HLSIM_OK);
	hlsim_config_free(h);
	return c;
}

static const char *const gaudi2_sets[] = {
	"mme.clock=1.65GHz",	     "mme.array_rows=256",
	"mme.array_cols=256",	     "mme.reshape=true",
	"mme.fp32_rate=0.25",	     "mme.fp8_rate=2",
	"mme.fill_drain_cycles=512", "mme.tile_overhead_cycles=128",
	"mme.launch_cycles=1000",    "mme.local_buffer=8MiB",
};

/* A dense NHWC convolution, symmetric padding, at fixed addresses. */
static struct mdl_mme_conv conv(uint32_t n, uint32_t h, uint32_t w, uint32_t c, uint32_t k,
				uint32_t r, uint32_t s, uint32_t stride, uint32_t pad,
				enum mdl_mme_dtype dt)
{
	struct mdl_mme_conv cv;

	memset(&cv, 0, sizeof(cv));
	cv.n = n, cv.h = h, cv.w = w, cv.c = c, cv.k = k, cv.r = r, cv.s = s;
	cv.stride_h = cv.stride_w = stride;
	cv.pad_top = cv.pad_bottom = cv.pad_left = cv.pad_right = pad;
	cv.in_dtype = cv.out_dtype = (uint8_t)dt;
	CHECK(mdl_mme_conv_out_dims(&cv) == HLSIM_OK);
	cv.addr[MDL_MME_S] = 0x20000000ull;
	cv.addr[MDL_MME_L] = 0x60000000ull;
	cv.addr[MDL_MME_O] = 0xA0000000ull;
	cv.stride[MDL_MME_S][0] = c;
	cv.stride[MDL_MME_S][1] = (uint64_t)c * w;
	cv.stride[MDL_MME_S][2] = (uint64_t)c * w * h;
	cv.stride[MDL_MME_L][0] = k;
	cv.stride[MDL_MME_L][1] = (uint64_t)k * c;
	cv.stride[MDL_MME_L][2] = (uint64_t)k * c * s;
	cv.stride[MDL_MME_O][0] = k;
	cv.stride[MDL_MME_O][1] = (uint64_t)k * cv.out_w;
	cv.stride[MDL_MME_O][2] = (uint64_t)k * cv.out_w * cv.out_h;
	return cv;
}

static hlsim_err_t conv_work_of(const struct mdl_mme_conv *cv, const struct mdl_mme_cfg *c,
				struct mdl_work *w)
{
	hlsim_err_t rc = mdl_mme_conv_encode(L, cv, regs);

	CHECK(rc == HLSIM_OK);
	hlsim_clear_error();
	return rc ? rc : mdl_mme_work(L, regs, c, w);
}

/* The implicit GEMM of @cv: M = N H' W', N = K, K = C R S, S and O dense. */
static hlsim_err_t gemm_work_of(const struct mdl_mme_conv *cv, const struct mdl_mme_cfg *c,
				struct mdl_work *w)
{
	struct mdl_mme_gemm g;
	hlsim_err_t rc;

	memset(&g, 0, sizeof(g));
	g.m = cv->n * cv->out_h * cv->out_w;
	g.n = cv->k;
	g.k = cv->c * cv->r * cv->s;
	g.addr[MDL_MME_S] = cv->addr[MDL_MME_S];
	g.addr[MDL_MME_L] = cv->addr[MDL_MME_L];
	g.addr[MDL_MME_O] = cv->addr[MDL_MME_O];
	g.pitch[MDL_MME_S] = g.k;
	g.pitch[MDL_MME_L] = g.n;
	g.pitch[MDL_MME_O] = g.n;
	g.in_dtype = cv->in_dtype;
	g.out_dtype = cv->out_dtype;
	g.geometry = cv->geometry;
	rc = mdl_mme_desc_encode(L, &g, regs);
	CHECK(rc == HLSIM_OK);
	return rc ? rc : mdl_mme_work(L, regs, c, w);
}

/*
 * Brute force, independent of the model: input rows (or columns) along one dim that
 * output positions [y0, y1) read, by marking each one.
 */
static uint64_t brute_touched(uint32_t len, uint32_t pad, uint32_t kern, uint32_t u,
			      uint32_t y0, uint32_t y1)
{
	static unsigned char mark[4096];
	uint64_t n = 0;
	uint32_t y, t, i;

	memset(mark, 0, sizeof(mark));
	for (y = y0; y < y1; y++) {
		for (t = 0; t < kern; t++) {
			int64_t p = (int64_t)y * u + t - pad;

			if (p >= 0 && p < len)
				mark[p] = 1;
		}
	}
	for (i = 0; i < len; i++)
		n += mark[i];
	return n;
}

/* The input bytes of one pass: bands of max(1, rows / W') output rows. */
static uint64_t brute_footprint(const struct mdl_mme_conv *cv, uint32_t array_rows)
{
	uint32_t hb = array_rows / cv->out_w ? array_rows / cv->out_w : 1, y;
	uint64_t rows = 0;

	for (y = 0; y < cv->out_h; y += hb)
		rows += brute_touched(cv->h, cv->pad_top, cv->r, cv->stride_h, y,
				      y + hb < cv->out_h ? y + hb : cv->out_h);
	return (uint64_t)cv->n * rows *
	       brute_touched(cv->w, cv->pad_left, cv->s, cv->stride_w, 0, cv->out_w) * cv->c *
	       mdl_mme_dtype_bytes((enum mdl_mme_dtype)cv->in_dtype);
}

/* Cycles and FLOPs are the implicit GEMM's; a 1x1 stride-1 conv is that GEMM exactly. */
static void test_implicit_gemm(void)
{
	struct mdl_mme_cfg c1 = cfg_of(NULL, 0), c2 = cfg_of(gaudi2_sets, 10);
	struct mdl_mme_conv cv = conv(8, 56, 56, 64, 64, 3, 3, 1, 1, MDL_MME_BF16);
	struct mdl_work wc, wg;
	uint32_t i;

	CHECK_EQ_U64(cv.out_h, 56);
	CHECK_EQ_U64(cv.out_w, 56);
	CHECK(conv_work_of(&cv, &c2, &wc) == HLSIM_OK);
	CHECK(gemm_work_of(&cv, &c2, &wg) == HLSIM_OK);
	CHECK_EQ_U64(wc.compute_cycles, wg.compute_cycles);
	CHECK_EQ_U64(wc.flops, 2ull * 8 * 56 * 56 * 64 * 64 * 3 * 3);
	CHECK_EQ_U64(wc.flops, wg.flops);
	CHECK_STR_CONTAINS(wc.label, "conv 3x3/1 8x56x56x64 k64 bf16");
	/* weights and output as the GEMM's L and O */
	CHECK_EQ_U64(wc.traffic[1].bytes, wg.traffic[1].bytes);
	CHECK_EQ_U64(wc.traffic[2].bytes, wg.traffic[2].bytes);
	CHECK(wc.traffic[2].write == 1);
	/* the input footprint, not M x K */
	CHECK(wc.traffic[0].bytes < wg.traffic[0].bytes);
	CHECK(wc.traffic[0].bytes < (uint64_t)8 * 56 * 56 * 64 * 9 * 2);

	/* 1x1 stride 1 unpadded, several shapes and both ASICs: identical work */
	{
		static const uint32_t shapes[][5] = {
			{ 1, 7, 7, 512, 2048 }, { 4, 14, 14, 256, 1024 }, { 2, 33, 17, 3, 5 },
		};

		for (i = 0; i < 3; i++) {
			const uint32_t *sh = shapes[i];
			int a;

			cv = conv(sh[0], sh[1], sh[2], sh[3], sh[4], 1, 1, 1, 0, MDL_MME_BF16);
			for (a = 0; a < 2; a++) {
				const struct mdl_mme_cfg *c = a ? &c2 : &c1;

				CHECK(conv_work_of(&cv, c, &wc) == HLSIM_OK);
				CHECK(gemm_work_of(&cv, c, &wg) == HLSIM_OK);
				CHECK_EQ_U64(wc.compute_cycles, wg.compute_cycles);
				CHECK_EQ_U64(wc.flops, wg.flops);
				CHECK_EQ_U64(wc.traffic[0].bytes, wg.traffic[0].bytes);
				CHECK_EQ_U64(wc.traffic[1].bytes, wg.traffic[1].bytes);
				CHECK_EQ_U64(wc.traffic[2].bytes, wg.traffic[2].bytes);
			}
		}
	}
	/* rates per data type: fp8 on Gaudi2 takes the GEMM's fp8 cycles */
	cv = conv(2, 28, 28, 128, 256, 3, 3, 2, 1, MDL_MME_FP8);
	CHECK(conv_work_of(&cv, &c2, &wc) == HLSIM_OK);
	CHECK(gemm_work_of(&cv, &c2, &wg) == HLSIM_OK);
	CHECK_EQ_U64(wc.compute_cycles, wg.compute_cycles);
	/* ... and is refused where the configuration has no fp8 */
	CHECK(conv_work_of(&cv, &c1, &wc) == HLSIM_E_UNSUPPORTED);
	/* doubling K doubles the FLOPs */
	cv = conv(2, 28, 28, 128, 256, 3, 3, 1, 1, MDL_MME_BF16);
	CHECK(conv_work_of(&cv, &c2, &wg) == HLSIM_OK);
	cv = conv(2, 28, 28, 128, 512, 3, 3, 1, 1, MDL_MME_BF16);
	CHECK(conv_work_of(&cv, &c2, &wc) == HLSIM_OK);
	CHECK_EQ_U64(wc.flops, 2 * wg.flops);
}

/* The footprint against the brute-force count: halo, padding, wide strides, geometry. */
static void test_footprint(void)
{
	struct mdl_mme_cfg c1 = cfg_of(NULL, 0), c2 = cfg_of(gaudi2_sets, 10);
	static const uint32_t cases[][9] = {
		/* n, h, w, c, k, r, s, stride, pad */
		{ 1, 8, 8, 16, 32, 3, 3, 1, 1 },	{ 2, 56, 56, 64, 64, 3, 3, 1, 1 },
		{ 1, 224, 224, 3, 64, 7, 7, 2, 3 },	{ 1, 30, 30, 8, 16, 2, 2, 3, 0 },
		{ 3, 17, 300, 4, 8, 5, 3, 2, 2 },	{ 1, 9, 9, 32, 32, 1, 1, 2, 0 },
		{ 2, 1000, 3, 2, 4, 3, 3, 1, 1 },
	};
	struct mdl_work w;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const uint32_t *a = cases[i];
		struct mdl_mme_conv cv =
			conv(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], MDL_MME_BF16);
		uint64_t mk = (uint64_t)cv.n * cv.out_h * cv.out_w * cv.c * cv.r * cv.s * 2;

		/* K <= 64 columns: one tile column, so every walk reads S exactly once */
		CHECK(conv_work_of(&cv, &c1, &w) == HLSIM_OK);
		CHECK_EQ_U64(w.traffic[0].bytes, brute_footprint(&cv, c1.array_rows));
		/* windows overlap: reuse; a stride of at least the kernel: none, at most M x K */
		if (cv.stride_h < cv.r && cv.stride_w < cv.s)
			CHECK(w.traffic[0].bytes < mk);
		CHECK(w.traffic[0].bytes <= mk);
		CHECK(conv_work_of(&cv, &c2, &w) == HLSIM_OK);
		CHECK_EQ_U64(w.traffic[0].bytes, brute_footprint(&cv, c2.array_rows));
		/* the tall geometry: bands of twice the rows */
		cv.geometry = MDL_MME_GEO_TALL;
		CHECK(conv_work_of(&cv, &c2, &w) == HLSIM_OK);
		CHECK_EQ_U64(w.traffic[0].bytes, brute_footprint(&cv, 2 * c2.array_rows));
	}
	/* a tall image: more bands than the walked edges, interior bands counted at once */
	{
		struct mdl_mme_conv cv = conv(1, 4000, 2, 1, 1, 3, 3, 1, 1, MDL_MME_BF16);

		CHECK(conv_work_of(&cv, &c1, &w) == HLSIM_OK);
		CHECK_EQ_U64(w.traffic[0].bytes, brute_footprint(&cv, c1.array_rows));
		cv = conv(1, 4000, 200, 1, 1, 5, 3, 1, 2, MDL_MME_BF16);
		CHECK(conv_work_of(&cv, &c1, &w) == HLSIM_OK);
		CHECK_EQ_U64(w.traffic[0].bytes, brute_footprint(&cv, c1.array_rows));
		cv = conv(1, 4000, 200, 1, 1, 2, 2, 3, 1, MDL_MME_BF16);
		CHECK(conv_work_of(&cv, &c1, &w) == HLSIM_OK);
		CHECK_EQ_U64(w.traffic[0].bytes, brute_footprint(&cv, c1.array_rows));
	}
}

static int same_conv(const struct mdl_mme_conv *a, const struct mdl_mme_conv *b)
{
	int x, i, same = 1;

	for (x = 0; x < MDL_MME_OPERANDS; x++) {
		same &= a->addr[x] == b->addr[x];
		for (i = 0; i < 3; i++)
			same &= a->stride[x][i] == b->stride[x][i];
	}
	return same && a->n == b->n && a->h == b->h && a->w == b->w && a->c == b->c &&
	       a->k == b->k && a->r == b->r && a->s == b->s && a->stride_h == b->stride_h &&
	       a->stride_w == b->stride_w && a->pad_top == b->pad_top &&
	       a->pad_bottom == b->pad_bottom && a->pad_left == b->pad_left &&
	       a->pad_right == b->pad_right && a->out_h == b->out_h && a->out_w == b->out_w &&
	       a->in_dtype == b->in_dtype && a->out_dtype == b->out_dtype &&
	       a->geometry == b->geometry && a->has_sync == b->has_sync &&
	       a->sync_addr == b->sync_addr && a->sync_data == b->sync_data;
}

/* Encode, decode, compare; what the encoder refuses. */
static void test_round_trip(void)
{
	struct mdl_mme_conv cv = conv(2, 15, 9, 24, 40, 3, 5, 2, 1, MDL_MME_BF16), b;

	cv.pad_bottom = 0;
	cv.pad_right = 2;
	cv.stride_w = 1;
	cv.out_h = cv.out_w = 0;
	CHECK(mdl_mme_conv_out_dims(&cv) == HLSIM_OK);
	CHECK_EQ_U64(cv.out_h, (15 + 1 + 0 - 3) / 2 + 1);
	CHECK_EQ_U64(cv.out_w, (9 + 1 + 2 - 5) / 1 + 1);
	cv.stride[MDL_MME_O][0] = 40;
	cv.stride[MDL_MME_O][1] = 40 * cv.out_w;
	cv.stride[MDL_MME_O][2] = 40 * cv.out_w * cv.out_h + 64; /* a gap between images */
	cv.has_sync = 1;
	cv.sync_addr = 0x7FFC4F2000ull;
	cv.sync_data = 0x80000001u;
	memset(regs, 0xA5, sizeof(regs));
	CHECK(mdl_mme_conv_encode(L, &cv, regs) == HLSIM_OK);
	CHECK_EQ_U64(regs[0x020 / 4] & 0xF, 1);		    /* operation 1 */
	CHECK_EQ_U64(regs[0x028 / 4], (2u << 16) | 4u);	    /* R - 1, S - 1 */
	CHECK_EQ_U64(regs[0x02c / 4], (2u << 16) | 1u);	    /* strides H, W */
	CHECK_EQ_U64(regs[0x030 / 4], (1u << 16) | (2u << 8) | 1u); /* pads */
	CHECK_EQ_U64(regs[0x04c / 4], 0);			    /* S VALID_ELEMENTS_4 */
	CHECK_EQ_U64(regs[0x004 / 4], 0xA5A5A5A5u);		    /* outside the block */
	CHECK(mdl_mme_conv_decode(L, regs, &b) == HLSIM_OK);
	CHECK(same_conv(&cv, &b));
	/* a GEMM decoder does not read a convolution */
	{
		struct mdl_mme_gemm g;

		hlsim_clear_error();
		CHECK(mdl_mme_desc_decode(L, regs, &g) == HLSIM_E_UNSUPPORTED);
		CHECK_STR_CONTAINS(hlsim_last_error_detail(), "operation 1");
	}
	/* the encoder refuses what the fields cannot hold */
	b = cv;
	b.out_w++;
	CHECK(mdl_mme_conv_encode(L, &b, regs) == HLSIM_E_INVAL);
	b = cv;
	b.pad_top = 3; /* not below R = 3 */
	CHECK(mdl_mme_conv_encode(L, &b, regs) == HLSIM_E_INVAL);
	b = cv;
	b.stride[MDL_MME_S][1] = 24 * 9 - 1;
	CHECK(mdl_mme_conv_encode(L, &b, regs) == HLSIM_E_INVAL);
	b = cv;
	b.stride_h = 70000;
	CHECK(mdl_mme_conv_encode(L, &b, regs) == HLSIM_E_INVAL);
	b = cv;
	b.h = 1;
	b.pad_top = b.pad_bottom = 0;
	CHECK(mdl_mme_conv_out_dims(&b) == HLSIM_E_INVAL); /* 1 row < kernel of 3 */
}

/* Inconsistent programming (E_SIM) or outside the interpretation (E_UNSUPPORTED). */
static void test_bad_programming(void)
{
	struct mdl_mme_cfg c = cfg_of(gaudi2_sets, 10);
	struct mdl_mme_conv cv = conv(2, 16, 16, 32, 64, 3, 3, 1, 1, MDL_MME_BF16);
	struct mdl_work w;
	static const struct {
		uint32_t off, value;
		hlsim_err_t rc;
		const char *needle;
	} cases[] = {
		/* O W' = 15, not (16 + 1 + 1 - 3) / 1 + 1 = 16 */
		{ 0x144, 15, HLSIM_E_SIM, "ARCH_TENSOR_O_VALID_ELEMENTS_1 (0x144) = 15 (W')" },
		{ 0x148, 15, HLSIM_E_SIM, "(H 16 + padding 1 + 1 - kernel 3) / stride 1 + 1 = 16" },
		{ 0x03c, 16, HLSIM_E_SIM, "input channels C of S and L" },
		{ 0x140, 32, HLSIM_E_SIM, "output channels K of L and O" },
		{ 0x14c, 3, HLSIM_E_SIM, "batch N of S and O" },
		{ 0x028, (2u << 16) | 4u, HLSIM_E_SIM, "kernel 3 x 5 (R x S) but L" },
		{ 0x02c, 1, HLSIM_E_SIM, "ARCH_CONV_ASSOCIATED_DIMS_LOW (0x02c) = 0x00000001" },
		{ 0x02c, (2u << 16) | 1u, HLSIM_E_SIM, "= 8 (ARCH_TENSOR_S_VALID" },
		{ 0x030, 0x03010101u, HLSIM_E_SIM, "bottom 3: each must be less than" },
		{ 0x078, 100, HLSIM_E_SIM, "ARCH_TENSOR_S_SPATIAL_STRIDES_1 (0x078) = 100" },
		{ 0x074, 31, HLSIM_E_SIM, "at least 32" },
		{ 0x044, 0, HLSIM_E_UNSUPPORTED, "4-D tensors" },
		{ 0x0b4, 0, HLSIM_E_UNSUPPORTED, "ARCH_TENSOR_L_VALID_ELEMENTS_2 (0x0b4) = 0" },
		{ 0x150, 2, HLSIM_E_UNSUPPORTED, "5-D" },
		{ 0x03c, 0, HLSIM_E_SIM, "zero-sized" },
		{ 0x020, 0x00001001u, HLSIM_E_UNSUPPORTED, "transposed" },
		{ 0x020, 0x00000071u, HLSIM_E_SIM, "data type codes 7" },
		{ 0x018, 0, HLSIM_E_SIM, "tensor L has no address" },
		{ 0x034, 1, HLSIM_E_UNSUPPORTED, "iterations" },
		{ 0x1e0, 0x4F2000u, HLSIM_E_UNSUPPORTED, "remote (slave) sync object" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK(mdl_mme_conv_encode(L, &cv, regs) == HLSIM_OK);
		regs[cases[i].off / 4] = cases[i].value;
		hlsim_clear_error();
		CHECK(mdl_mme_work(L, regs, &c, &w) == cases[i].rc);
		CHECK_STR_CONTAINS(hlsim_last_error_detail(), cases[i].needle);
	}
	/* a tensor that wraps around the address space */
	cv.addr[MDL_MME_S] = 0xFFFFFFFFFFFFF000ull;
	CHECK(conv_work_of(&cv, &c, &w) == HLSIM_E_SIM);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "past the end of the address space");
	/* an implicit GEMM over 2^32 - 1 along M */
	cv = conv(65536, 256, 256, 1, 1, 1, 1, 1, 0, MDL_MME_BF16);
	CHECK(conv_work_of(&cv, &c, &w) == HLSIM_E_UNSUPPORTED);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "implicit GEMM is over 2^32-1");
}

int main(void)
{
	test_implicit_gemm();
	test_footprint();
	test_round_trip();
	test_bad_programming();
	return check_summary();
}
