/*
 * models/common/mme.c - the MME (matrix engine) timing model and the hlsim
 * interpretation of the MME ARCH descriptor.
 *
 * The descriptor [I]. The register names and offsets of the MME CTRL block are public
 * (GAUDI-FACTS.md §3.5; models/gaudi/gaudi-registers.txt), the meaning of their bits
 * is not. hlsim reads them as follows, and `hlsim gen gemm` programs exactly this:
 *   ARCH_HEADER_LOW      [3:0] operation (0 = GEMM), [7:4] S/L element type, [11:8] O
 *                        element type (0 bf16, 1 fp32, 2 fp8), [12] S transposed,
 *                        [13] L transposed, [15:14] geometry (0 rows x cols, 1 tall
 *                        2rows x cols/2, 2 wide rows/2 x 2cols), [19:16] accumulator
 *                        type (0 = fp32), [31:20] reserved, 0. ARCH_HEADER_HIGH is 0.
 *   ARCH_BASE_ADDR_{HIGH,LOW}_{S,L,O}   the three matrices (element [0][0]).
 *   ARCH_TENSOR_X_VALID_ELEMENTS_0/1    elements along the stored matrix's contiguous
 *                        dimension (0) and along its rows (1); _2.._4 are 0 or 1.
 *   ARCH_TENSOR_X_SPATIAL_STRIDES_0     row pitch in elements (>= VALID_ELEMENTS_0).
 *   Stored shapes: S is M rows of K (transposed: K rows of M), L is K rows of N
 *   (transposed: N rows of K), O is M rows of N. The model cross-checks M, N, K.
 *   ARCH_DESC_SYNC_OBJECT_ADDR_HIGH/LOW_LOCAL, _DATA   the completion message, if the
 *                        address is non-zero; _LOW_REMOTE must be 0.
 *   ARCH_CONV_KERNEL_SIZE_MINUS_1, ARCH_NUM_ITERATIONS_MINUS_1, ARCH_OUTER_LOOP must
 *   be 0 in a GEMM: a kernel size belongs to operation 1, and descriptor loops are
 *   refused with HLSIM_E_UNSUPPORTED rather than mistimed. Every other descriptor
 *   register is ignored (the generator writes 0 there).
 *
 * Operation 1, forward 2-D convolution [I] (`hlsim gen conv2d` programs it), NHWC
 * activations, RSCK (HWIO) weights, no dilation, no groups:
 *   O[n][y][x][k] = sum_{r,s,c} S[n][y U_h + r - P_top][x U_w + s - P_left][c] L[r][s][c][k]
 *   ARCH_HEADER_LOW      as for a GEMM with [3:0] = 1; [13:12] (transposes) must be 0.
 *   ARCH_TENSOR_S_VALID_ELEMENTS_0..3   C, W, H, N of the input box (dim 0 contiguous);
 *   ARCH_TENSOR_L_VALID_ELEMENTS_0..3   K, C, S, R (the weights as a (R S C) x K matrix:
 *                        a GEMM's L operand);
 *   ARCH_TENSOR_O_VALID_ELEMENTS_0..3   K, W', H', N; every _4 is 0 or 1.
 *   ARCH_TENSOR_X_SPATIAL_STRIDES_0..2  element strides of dims 1, 2, 3 of X; each at
 *                        least the extent of the dims below it (no overlap).
 *   ARCH_CONV_KERNEL_SIZE_MINUS_1       [15:0] S - 1 (kernel width), [31:16] R - 1.
 *   ARCH_CONV_ASSOCIATED_DIMS_LOW       [15:0] stride U_w, [31:16] stride U_h (>= 1).
 *   ARCH_CONV_ASSOCIATED_DIMS_HIGH      zero padding [7:0] left, [15:8] right,
 *                        [23:16] top, [31:24] bottom, each below its kernel side.
 *                        Per side, so that a launch computing a band of output rows
 *                        inside an image carries no padding.
 *   Cross-checks (HLSIM_E_SIM naming the registers and values): C of S = C of L, K of
 *   L = K of O, N of S = N of O, L's S and R = the kernel size, and
 *   W' = (W + P_left + P_right - S) / U_w + 1, H' = (H + P_top + P_bottom - R) / U_h + 1
 *   (integer division: trailing input the stride skips is allowed). Tensors of fewer
 *   than 4 dims (VALID_ELEMENTS_2 or _3 = 0) are HLSIM_E_UNSUPPORTED. Sync registers
 *   as for a GEMM.
 *   Timing: the implicit GEMM M = N H' W', N = K, K = C R S on the systolic model
 *   below (same tiles, fill/drain, rates), FLOPs 2 M N K. Traffic [I: the reuse rule
 *   of the real AGUs is not public]: L (weights) and O exactly as the GEMM's L and O.
 *   S is not the M x K im2col matrix: the engine walks the output in bands of whole
 *   output rows, as many as one tile row of the array holds (max(1, floor(rows /
 *   W')) output rows; the geometry's rows), and a band reads the input rows and
 *   columns its windows touch once: padding is not read, the halo rows shared by two
 *   bands are read by both, and columns or rows a stride larger than the kernel skips
 *   are not read. One pass over S is the sum over bands; the walk (S reuse, L reuse or
 *   none) is chosen as for a GEMM with that pass in place of M x K, so S is read once
 *   per pass the walk needs. A 1x1 stride-1 unpadded convolution thus has exactly
 *   the cycles, FLOPs and operand bytes of the GEMM of its implicit shape. The S
 *   access_bytes is the touched part of one input row (W C elements when pixels are
 *   packed), C elements otherwise.
 *
 * The engine [I: no public micro-architecture]. One MME QMAN launches one master +
 * slave pair of physical MMEs, modelled as one output-stationary systolic array of
 * mme.array_rows x mme.array_cols MAC cells: rows along M, columns along N, each cell
 * accumulating one output element in fp32 while K streams through. Per launch:
 *   tiles   = ceil(M / R) x ceil(N / C)           (R x C = the geometry's shape)
 *   cycles  = launch + fill_drain + tiles x (ceil(K / rate) + tile_overhead)
 *   flops   = 2 M N K
 * rate = MACs per cell per cycle: 1 for bf16, mme.fp32_rate, mme.fp8_rate.
 * Traffic: O written once. An S strip (R rows of S) meets every column of tiles and an
 * L strip (C columns of L) every row of tiles; without reuse each is read once per use.
 * If mme.local_buffer holds p >= 1 S strips, the engine walks bands of p tile rows:
 * S is read once and L once per band; or symmetrically with L strips held. The walk
 * with fewer bytes is taken [I: the graph compiler's choice]. access_bytes is the
 * contiguous run of one strip row (the whole strip when rows are packed).
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "models/common/engine.h"
#include "models/common/mme.h"

static const char *const operand_name[MDL_MME_OPERANDS] = { "S", "L", "O" };

static const struct {
	const char *name;
	uint32_t bytes;
} dtype_info[MDL_MME_DTYPE_COUNT_] = {
	[MDL_MME_BF16] = { "bf16", 2 },
	[MDL_MME_FP32] = { "fp32", 4 },
	[MDL_MME_FP8] = { "fp8", 1 },
};

static const char *const geometry_name[MDL_MME_GEO_COUNT_] = {
	[MDL_MME_GEO_BASE] = "base",
	[MDL_MME_GEO_TALL] = "tall",
	[MDL_MME_GEO_WIDE] = "wide",
};

const char *mdl_mme_dtype_name(enum mdl_mme_dtype dt)
{
	return (unsigned)dt < MDL_MME_DTYPE_COUNT_ ? dtype_info[dt].name : NULL;
}

uint32_t mdl_mme_dtype_bytes(enum mdl_mme_dtype dt)
{
	return (unsigned)dt < MDL_MME_DTYPE_COUNT_ ? dtype_info[dt].bytes : 0;
}

hlsim_err_t mdl_mme_dtype_by_name(const char *name, enum mdl_mme_dtype *out)
{
	unsigned i;

	for (i = 0; name && i < MDL_MME_DTYPE_COUNT_; i++) {
		if (!strcmp(name, dtype_info[i].name)) {
			*out = (enum mdl_mme_dtype)i;
			return HLSIM_OK;
		}
	}
	return hlsim_error(HLSIM_E_INVAL, "MME data type '%s': expected bf16, fp32 or fp8",
			   name ? name : "(null)");
}

/* {==== Parameters ==== */

static hlsim_err_t cfg_side(const hlsim_config_t *cfg, const char *key, int reshape,
			    uint32_t *out)
{
	uint64_t v = hlsim_config_u64(cfg, key);

	if (v < 1 || v > 65536)
		return hlsim_error(HLSIM_E_CONFIG, "%s = %" PRIu64 ": expected 1..65536 MAC cells",
				   key, v);
	if (reshape && (v < 2 || v % 2))
		return hlsim_error(HLSIM_E_CONFIG,
				   "%s = %" PRIu64 ": with mme.reshape = true the array sides "
				   "must be even (the tall and wide shapes halve one side)",
				   key, v);
	*out = (uint32_t)v;
	return HLSIM_OK;
}

static hlsim_err_t cfg_rate(const hlsim_config_t *cfg, const char *key, int may_be_zero,
			    double *out)
{
	double v = hlsim_config_f64(cfg, key);

	if (!isfinite(v) || v < 0 || v > 64 || (!may_be_zero && v == 0))
		return hlsim_error(HLSIM_E_CONFIG,
				   "%s = %g: expected a rate relative to bf16 in %s..64", key, v,
				   may_be_zero ? "0 (not supported)" : "(0");
	*out = v;
	return HLSIM_OK;
}

hlsim_err_t mdl_mme_cfg_load(const hlsim_config_t *cfg, struct mdl_mme_cfg *out)
{
	hlsim_err_t rc;

	memset(out, 0, sizeof(*out));
	out->clock_hz = hlsim_config_f64(cfg, "mme.clock");
	if (!isfinite(out->clock_hz) || out->clock_hz < 1e6)
		return hlsim_error(HLSIM_E_CONFIG, "mme.clock = %g Hz: expected at least 1MHz",
				   out->clock_hz);
	out->reshape = hlsim_config_u64(cfg, "mme.reshape") ? 1 : 0;
	rc = cfg_side(cfg, "mme.array_rows", out->reshape, &out->array_rows);
	if (!rc)
		rc = cfg_side(cfg, "mme.array_cols", out->reshape, &out->array_cols);
	if (!rc)
		rc = cfg_rate(cfg, "mme.fp32_rate", 0, &out->fp32_rate);
	if (!rc)
		rc = cfg_rate(cfg, "mme.fp8_rate", 1, &out->fp8_rate);
	if (rc)
		return rc;
	out->fill_drain_cycles = hlsim_config_u64(cfg, "mme.fill_drain_cycles");
	out->tile_overhead_cycles = hlsim_config_u64(cfg, "mme.tile_overhead_cycles");
	out->launch_cycles = hlsim_config_u64(cfg, "mme.launch_cycles");
	out->local_buffer_bytes = hlsim_config_u64(cfg, "mme.local_buffer");
	if (out->fill_drain_cycles > (1ull << 32) || out->tile_overhead_cycles > (1ull << 32) ||
	    out->launch_cycles > (1ull << 32))
		return hlsim_error(HLSIM_E_CONFIG,
				   "mme.fill_drain_cycles, mme.tile_overhead_cycles and "
				   "mme.launch_cycles must each be at most 2^32 cycles");
	return HLSIM_OK;
}

double mdl_mme_rate(const struct mdl_mme_cfg *cfg, enum mdl_mme_dtype dt)
{
	switch (dt) {
	case MDL_MME_BF16:
		return 1.0;
	case MDL_MME_FP32:
		return cfg->fp32_rate;
	case MDL_MME_FP8:
		return cfg->fp8_rate;
	case MDL_MME_DTYPE_COUNT_:
		break;
	}
	return 0.0;
}

double mdl_mme_peak_flops(const struct mdl_mme_cfg *cfg, enum mdl_mme_dtype dt)
{
	return 2.0 * cfg->array_rows * cfg->array_cols * mdl_mme_rate(cfg, dt) * cfg->clock_hz;
}
/* ====} */

/* {==== Descriptor ==== */

static uint32_t rd(const uint32_t *regs, uint32_t off)
{
	return off == MDL_MME_REG_NONE ? 0 : regs[off / 4];
}

static void wr(uint32_t *regs, uint32_t off, uint32_t v)
{
	if (off != MDL_MME_REG_NONE)
		regs[off / 4] = v;
}

/* The stored matrix of operand @x: dim 0 (contiguous) and dim 1 (rows) sizes. */
static void stored_dims(const struct mdl_mme_gemm *g, int x, uint32_t *d0, uint32_t *d1)
{
	switch (x) {
	case MDL_MME_S:
		*d0 = g->transpose_s ? g->m : g->k;
		*d1 = g->transpose_s ? g->k : g->m;
		break;
	case MDL_MME_L:
		*d0 = g->transpose_l ? g->k : g->n;
		*d1 = g->transpose_l ? g->n : g->k;
		break;
	default:
		*d0 = g->n;
		*d1 = g->m;
		break;
	}
}

hlsim_err_t mdl_mme_desc_encode(const struct mdl_mme_layout *layout,
				const struct mdl_mme_gemm *g, uint32_t *regs)
{
	uint32_t off, hdr, d0, d1;
	int x;

	if (!g->m || !g->n || !g->k)
		return hlsim_error(HLSIM_E_INVAL, "MME descriptor: GEMM %ux%ux%u has a zero size",
				   g->m, g->n, g->k);
	if (g->in_dtype >= MDL_MME_DTYPE_COUNT_ || g->out_dtype >= MDL_MME_DTYPE_COUNT_ ||
	    g->geometry >= MDL_MME_GEO_COUNT_)
		return hlsim_error(HLSIM_E_INVAL,
				   "MME descriptor: data type %u/%u or geometry %u unknown",
				   g->in_dtype, g->out_dtype, g->geometry);
	for (x = 0; x < MDL_MME_OPERANDS; x++) {
		stored_dims(g, x, &d0, &d1);
		if (g->pitch[x] < d0)
			return hlsim_error(HLSIM_E_INVAL,
					   "MME descriptor: %s row pitch %u is shorter than its "
					   "rows (%u elements)",
					   operand_name[x], g->pitch[x], d0);
		if (!g->addr[x])
			return hlsim_error(HLSIM_E_INVAL, "MME descriptor: %s address is 0",
					   operand_name[x]);
	}
	for (off = layout->desc_first; off < layout->desc_end; off += 4)
		regs[off / 4] = 0;
	hdr = MDL_MME_HDR_OP_GEMM | (uint32_t)g->in_dtype << MDL_MME_HDR_IN_DTYPE_SHIFT |
	      (uint32_t)g->out_dtype << MDL_MME_HDR_OUT_DTYPE_SHIFT |
	      (g->transpose_s ? MDL_MME_HDR_TRANSPOSE_S : 0) |
	      (g->transpose_l ? MDL_MME_HDR_TRANSPOSE_L : 0) |
	      (uint32_t)g->geometry << MDL_MME_HDR_GEO_SHIFT |
	      MDL_MME_HDR_ACC_FP32 << MDL_MME_HDR_ACC_SHIFT;
	wr(regs, layout->header_low, hdr);
	for (x = 0; x < MDL_MME_OPERANDS; x++) {
		stored_dims(g, x, &d0, &d1);
		wr(regs, layout->base_low[x], (uint32_t)g->addr[x]);
		wr(regs, layout->base_high[x], (uint32_t)(g->addr[x] >> 32));
		wr(regs, layout->valid_elements[x][0], d0);
		wr(regs, layout->valid_elements[x][1], d1);
		wr(regs, layout->spatial_stride0[x], g->pitch[x]);
	}
	if (g->has_sync) {
		wr(regs, layout->sync_addr_low_local, (uint32_t)g->sync_addr);
		wr(regs, layout->sync_addr_high, (uint32_t)(g->sync_addr >> 32));
		wr(regs, layout->sync_data, g->sync_data);
	}
	return HLSIM_OK;
}

/* A register's value for messages: "ARCH_HEADER_LOW (0x020) = 0x00000123". */
#define REGF "%s (0x%03x) = 0x%08x"

/* The header of a descriptor of operation @op (MDL_MME_HDR_OP_GEMM or _CONV). */
static hlsim_err_t decode_header(const struct mdl_mme_layout *layout, const uint32_t *regs,
				 uint32_t op, struct mdl_mme_gemm *out)
{
	uint32_t hdr = rd(regs, layout->header_low), v;

	if (hdr & MDL_MME_HDR_RESERVED)
		return hlsim_error(HLSIM_E_SIM,
				   "MME descriptor: " REGF ": reserved bits [31:20] set",
				   "ARCH_HEADER_LOW", layout->header_low, hdr);
	if ((hdr & MDL_MME_HDR_OP_MASK) != op)
		return hlsim_error(HLSIM_E_UNSUPPORTED,
				   "MME descriptor: " REGF ": operation %u is not modelled "
				   "%s(hlsim reads [3:0] = 0 as GEMM, 1 as 2-D convolution)",
				   "ARCH_HEADER_LOW", layout->header_low, hdr,
				   hdr & MDL_MME_HDR_OP_MASK,
				   op == MDL_MME_HDR_OP_GEMM ? "as a GEMM " : "as a convolution ");
	out->in_dtype = (uint8_t)(hdr >> MDL_MME_HDR_IN_DTYPE_SHIFT & MDL_MME_HDR_DTYPE_MASK);
	out->out_dtype = (uint8_t)(hdr >> MDL_MME_HDR_OUT_DTYPE_SHIFT & MDL_MME_HDR_DTYPE_MASK);
	if (out->in_dtype >= MDL_MME_DTYPE_COUNT_ || out->out_dtype >= MDL_MME_DTYPE_COUNT_)
		return hlsim_error(HLSIM_E_SIM,
				   "MME descriptor: " REGF ": data type codes %u (S, L) and %u "
				   "(O): expected 0 bf16, 1 fp32, 2 fp8",
				   "ARCH_HEADER_LOW", layout->header_low, hdr, out->in_dtype,
				   out->out_dtype);
	out->transpose_s = !!(hdr & MDL_MME_HDR_TRANSPOSE_S);
	out->transpose_l = !!(hdr & MDL_MME_HDR_TRANSPOSE_L);
	out->geometry = (uint8_t)(hdr >> MDL_MME_HDR_GEO_SHIFT & MDL_MME_HDR_GEO_MASK);
	if (out->geometry >= MDL_MME_GEO_COUNT_)
		return hlsim_error(HLSIM_E_SIM,
				   "MME descriptor: " REGF ": geometry %u: expected 0 (base), "
				   "1 (tall) or 2 (wide)",
				   "ARCH_HEADER_LOW", layout->header_low, hdr, out->geometry);
	v = hdr >> MDL_MME_HDR_ACC_SHIFT & MDL_MME_HDR_ACC_MASK;
	if (v != MDL_MME_HDR_ACC_FP32)
		return hlsim_error(HLSIM_E_UNSUPPORTED,
				   "MME descriptor: " REGF ": accumulator type %u is not modelled "
				   "(0 = fp32 is the only one)",
				   "ARCH_HEADER_LOW", layout->header_low, hdr, v);
	v = rd(regs, layout->header_high);
	if (v)
		return hlsim_error(HLSIM_E_SIM, "MME descriptor: " REGF ": expected 0",
				   "ARCH_HEADER_HIGH", layout->header_high, v);
	v = rd(regs, layout->conv_kernel_size_m1);
	if (v && op == MDL_MME_HDR_OP_GEMM)
		return hlsim_error(HLSIM_E_UNSUPPORTED,
				   "MME descriptor: " REGF ": convolution is not modelled in a "
				   "GEMM descriptor (hlsim's convolution is operation 1 in "
				   "ARCH_HEADER_LOW[3:0]; operation 0 has no kernel)",
				   "ARCH_CONV_KERNEL_SIZE_MINUS_1", layout->conv_kernel_size_m1, v);
	v = rd(regs, layout->num_iterations_m1);
	if (v)
		return hlsim_error(HLSIM_E_UNSUPPORTED,
				   "MME descriptor: " REGF ": descriptor iterations are not "
				   "modelled (one GEMM per launch)",
				   "ARCH_NUM_ITERATIONS_MINUS_1", layout->num_iterations_m1, v);
	v = rd(regs, layout->outer_loop);
	if (v)
		return hlsim_error(HLSIM_E_UNSUPPORTED,
				   "MME descriptor: " REGF ": outer loops are not modelled "
				   "(one GEMM per launch)",
				   "ARCH_OUTER_LOOP", layout->outer_loop, v);
	return HLSIM_OK;
}

/* Sizes, pitch and address of operand @x: stored dims into @d0, @d1. */
static hlsim_err_t decode_tensor(const struct mdl_mme_layout *layout, const uint32_t *regs,
				 int x, uint32_t es, struct mdl_mme_gemm *out, uint32_t *d0,
				 uint32_t *d1)
{
	uint64_t end;
	uint32_t i, v;

	*d0 = rd(regs, layout->valid_elements[x][0]);
	*d1 = rd(regs, layout->valid_elements[x][1]);
	if (!*d0 || !*d1)
		return hlsim_error(HLSIM_E_SIM,
				   "MME descriptor: tensor %s has %u x %u valid elements "
				   "(ARCH_TENSOR_%s_VALID_ELEMENTS_0 at 0x%03x, _1 at 0x%03x): a "
				   "zero-sized tensor",
				   operand_name[x], *d0, *d1, operand_name[x],
				   layout->valid_elements[x][0], layout->valid_elements[x][1]);
	for (i = 2; i < 5; i++) {
		v = rd(regs, layout->valid_elements[x][i]);
		if (v > 1)
			return hlsim_error(HLSIM_E_UNSUPPORTED,
					   "MME descriptor: ARCH_TENSOR_%s_VALID_ELEMENTS_%u "
					   "(0x%03x) = %u: batched or higher-dimensional tensors "
					   "are not modelled (expected 0 or 1)",
					   operand_name[x], i, layout->valid_elements[x][i], v);
	}
	out->pitch[x] = rd(regs, layout->spatial_stride0[x]);
	if (out->pitch[x] < *d0)
		return hlsim_error(HLSIM_E_SIM,
				   "MME descriptor: ARCH_TENSOR_%s_SPATIAL_STRIDES_0 (0x%03x) = "
				   "%u: the row pitch is shorter than a row of %u elements",
				   operand_name[x], layout->spatial_stride0[x], out->pitch[x], *d0);
	out->addr[x] = (uint64_t)rd(regs, layout->base_high[x]) << 32 |
		       rd(regs, layout->base_low[x]);
	if (!out->addr[x])
		return hlsim_error(HLSIM_E_SIM,
				   "MME descriptor: ARCH_BASE_ADDR_HIGH_%s/LOW_%s (0x%03x/0x%03x) "
				   "are 0: tensor %s has no address",
				   operand_name[x], operand_name[x], layout->base_high[x],
				   layout->base_low[x], operand_name[x]);
	/* the last byte: ((d1 - 1) * pitch + d0) * es, at most ~2^66: check for wrap */
	end = ((uint64_t)(*d1 - 1) * out->pitch[x] + *d0);
	if (end > UINT64_MAX / es || out->addr[x] > UINT64_MAX - end * es)
		return hlsim_error(HLSIM_E_SIM,
				   "MME descriptor: tensor %s at 0x%" PRIx64 " (%u rows of pitch "
				   "%u) runs past the end of the address space",
				   operand_name[x], out->addr[x], *d1, out->pitch[x]);
	return HLSIM_OK;
}

/* The completion message (local sync object) of a GEMM or convolution descriptor. */
static hlsim_err_t decode_sync(const struct mdl_mme_layout *layout, const uint32_t *regs,
			       uint64_t *sync_addr, uint32_t *sync_data, uint8_t *has_sync)
{
	uint32_t v = rd(regs, layout->sync_addr_low_remote);

	if (v)
		return hlsim_error(HLSIM_E_UNSUPPORTED,
				   "MME descriptor: " REGF ": a remote (slave) sync object is not "
				   "modelled; a launch completes once, through the local one",
				   "ARCH_DESC_SYNC_OBJECT_ADDR_LOW_REMOTE",
				   layout->sync_addr_low_remote, v);
	*sync_addr = (uint64_t)rd(regs, layout->sync_addr_high) << 32 |
		     rd(regs, layout->sync_addr_low_local);
	*sync_data = rd(regs, layout->sync_data);
	*has_sync = *sync_addr != 0;
	if (!*has_sync && *sync_data)
		return hlsim_error(HLSIM_E_SIM,
				   "MME descriptor: " REGF " but the sync object address "
				   "(ARCH_DESC_SYNC_OBJECT_ADDR_HIGH/LOW_LOCAL) is 0",
				   "ARCH_DESC_SYNC_OBJECT_DATA", layout->sync_data, *sync_data);
	return HLSIM_OK;
}

hlsim_err_t mdl_mme_desc_decode(const struct mdl_mme_layout *layout, const uint32_t *regs,
				struct mdl_mme_gemm *out)
{
	uint32_t d0[MDL_MME_OPERANDS], d1[MDL_MME_OPERANDS], ks, kl, ms, nl;
	hlsim_err_t rc;
	int x;

	memset(out, 0, sizeof(*out));
	rc = decode_header(layout, regs, MDL_MME_HDR_OP_GEMM, out);
	for (x = 0; !rc && x < MDL_MME_OPERANDS; x++)
		rc = decode_tensor(layout, regs, x,
				   mdl_mme_dtype_bytes(x == MDL_MME_O ? out->out_dtype
								      : out->in_dtype),
				   out, &d0[x], &d1[x]);
	if (rc)
		return rc;
	ms = out->transpose_s ? d0[MDL_MME_S] : d1[MDL_MME_S];
	ks = out->transpose_s ? d1[MDL_MME_S] : d0[MDL_MME_S];
	kl = out->transpose_l ? d0[MDL_MME_L] : d1[MDL_MME_L];
	nl = out->transpose_l ? d1[MDL_MME_L] : d0[MDL_MME_L];
	if (ks != kl)
		return hlsim_error(HLSIM_E_SIM,
				   "MME descriptor: S has K = %u but L has K = %u (VALID_ELEMENTS "
				   "of S %u x %u%s, of L %u x %u%s)",
				   ks, kl, d0[MDL_MME_S], d1[MDL_MME_S],
				   out->transpose_s ? ", transposed" : "", d0[MDL_MME_L],
				   d1[MDL_MME_L], out->transpose_l ? ", transposed" : "");
	if (ms != d1[MDL_MME_O] || nl != d0[MDL_MME_O])
		return hlsim_error(HLSIM_E_SIM,
				   "MME descriptor: O is %u rows of %u but S . L is %u x %u "
				   "(M x N)",
				   d1[MDL_MME_O], d0[MDL_MME_O], ms, nl);
	out->m = ms;
	out->n = nl;
	out->k = ks;
	return decode_sync(layout, regs, &out->sync_addr, &out->sync_data, &out->has_sync);
}
/* ====} */

/* {==== Convolution descriptor ==== */

/* Register names of the convolution fields, for messages. */
static const char *const conv_dim_name[MDL_MME_OPERANDS][MDL_MME_CDIMS] = {
	{ "C", "W", "H", "N" },
	{ "K", "C", "S", "R" },
	{ "K", "W'", "H'", "N" },
};

/* Output size along one spatial dim, or 0 (with an error) if it has none. */
static hlsim_err_t conv_out_len(const char *dim, uint32_t in, uint32_t pad_lo, uint32_t pad_hi,
				uint32_t kernel, uint32_t stride, uint32_t *out)
{
	uint64_t padded = (uint64_t)in + pad_lo + pad_hi;

	if (!kernel || !stride || !in)
		return hlsim_error(HLSIM_E_INVAL,
				   "MME convolution: %s = %u, kernel %u, stride %u: each must be "
				   "at least 1",
				   dim, in, kernel, stride);
	if (padded < kernel)
		return hlsim_error(HLSIM_E_INVAL,
				   "MME convolution: %s = %u with padding %u + %u is smaller than "
				   "the kernel side %u: no output",
				   dim, in, pad_lo, pad_hi, kernel);
	*out = (uint32_t)((padded - kernel) / stride + 1); /* <= in + 510: fits */
	return HLSIM_OK;
}

hlsim_err_t mdl_mme_conv_out_dims(struct mdl_mme_conv *cv)
{
	hlsim_err_t rc;

	rc = conv_out_len("H", cv->h, cv->pad_top, cv->pad_bottom, cv->r, cv->stride_h,
			  &cv->out_h);
	if (!rc)
		rc = conv_out_len("W", cv->w, cv->pad_left, cv->pad_right, cv->s, cv->stride_w,
				  &cv->out_w);
	return rc;
}

/* The four dims of operand @x of @cv, dim 0 first. */
static void conv_dims(const struct mdl_mme_conv *cv, int x, uint32_t d[MDL_MME_CDIMS])
{
	switch (x) {
	case MDL_MME_S:
		d[0] = cv->c, d[1] = cv->w, d[2] = cv->h, d[3] = cv->n;
		break;
	case MDL_MME_L:
		d[0] = cv->k, d[1] = cv->c, d[2] = cv->s, d[3] = cv->r;
		break;
	default:
		d[0] = cv->k, d[1] = cv->out_w, d[2] = cv->out_h, d[3] = cv->n;
		break;
	}
}

/* The smallest stride of dim @i + 1 that does not overlap dims 0..@i. */
static uint64_t conv_min_stride(const uint32_t d[MDL_MME_CDIMS], const uint64_t st[3],
				unsigned i)
{
	return i == 0 ? d[0] : st[i - 1] * d[i];
}

hlsim_err_t mdl_mme_conv_encode(const struct mdl_mme_layout *layout,
				const struct mdl_mme_conv *cv, uint32_t *regs)
{
	struct mdl_mme_conv chk = *cv;
	uint32_t off, d[MDL_MME_CDIMS];
	unsigned i;
	hlsim_err_t rc;
	int x;

	if (cv->in_dtype >= MDL_MME_DTYPE_COUNT_ || cv->out_dtype >= MDL_MME_DTYPE_COUNT_ ||
	    cv->geometry >= MDL_MME_GEO_COUNT_)
		return hlsim_error(HLSIM_E_INVAL,
				   "MME convolution: data type %u/%u or geometry %u unknown",
				   cv->in_dtype, cv->out_dtype, cv->geometry);
	if (!cv->n || !cv->c || !cv->k || cv->r > MDL_MME_CONV_MAX_KERNEL ||
	    cv->s > MDL_MME_CONV_MAX_KERNEL || cv->stride_h > MDL_MME_CONV_MAX_STRIDE ||
	    cv->stride_w > MDL_MME_CONV_MAX_STRIDE || cv->pad_top >= cv->r ||
	    cv->pad_bottom >= cv->r || cv->pad_left >= cv->s || cv->pad_right >= cv->s ||
	    cv->pad_top > MDL_MME_CONV_MAX_PAD || cv->pad_bottom > MDL_MME_CONV_MAX_PAD ||
	    cv->pad_left > MDL_MME_CONV_MAX_PAD || cv->pad_right > MDL_MME_CONV_MAX_PAD)
		return hlsim_error(HLSIM_E_INVAL,
				   "MME convolution: N %u, C %u, K %u, kernel %ux%u, stride %ux%u, "
				   "padding %u/%u/%u/%u (top/bottom/left/right): sizes must be at "
				   "least 1, the kernel at most %u, strides at most %u, each "
				   "padding less than its kernel side and at most %u",
				   cv->n, cv->c, cv->k, cv->r, cv->s, cv->stride_h, cv->stride_w,
				   cv->pad_top, cv->pad_bottom, cv->pad_left, cv->pad_right,
				   MDL_MME_CONV_MAX_KERNEL, MDL_MME_CONV_MAX_STRIDE,
				   MDL_MME_CONV_MAX_PAD);
	rc = mdl_mme_conv_out_dims(&chk);
	if (rc)
		return rc;
	if (chk.out_h != cv->out_h || chk.out_w != cv->out_w)
		return hlsim_error(HLSIM_E_INVAL,
				   "MME convolution: output %ux%u (H' x W') but input, kernel, "
				   "stride and padding give %ux%u",
				   cv->out_h, cv->out_w, chk.out_h, chk.out_w);
	for (x = 0; x < MDL_MME_OPERANDS; x++) {
		conv_dims(cv, x, d);
		for (i = 0; i < 3; i++)
			if (cv->stride[x][i] > UINT32_MAX ||
			    cv->stride[x][i] < conv_min_stride(d, cv->stride[x], i))
				return hlsim_error(HLSIM_E_INVAL,
						   "MME convolution: %s stride of dim %u (%s) = "
						   "%" PRIu64 ": expected %" PRIu64 "..2^32-1",
						   operand_name[x], i + 1, conv_dim_name[x][i + 1],
						   cv->stride[x][i],
						   conv_min_stride(d, cv->stride[x], i));
		if (!cv->addr[x])
			return hlsim_error(HLSIM_E_INVAL, "MME convolution: %s address is 0",
					   operand_name[x]);
	}
	for (off = layout->desc_first; off < layout->desc_end; off += 4)
		regs[off / 4] = 0;
	wr(regs, layout->header_low,
	   MDL_MME_HDR_OP_CONV | (uint32_t)cv->in_dtype << MDL_MME_HDR_IN_DTYPE_SHIFT |
		   (uint32_t)cv->out_dtype << MDL_MME_HDR_OUT_DTYPE_SHIFT |
		   (uint32_t)cv->geometry << MDL_MME_HDR_GEO_SHIFT |
		   MDL_MME_HDR_ACC_FP32 << MDL_MME_HDR_ACC_SHIFT);
	wr(regs, layout->conv_kernel_size_m1, (cv->r - 1) << 16 | (cv->s - 1));
	wr(regs, layout->conv_assoc_low, cv->stride_h << 16 | cv->stride_w);
	wr(regs, layout->conv_assoc_high, cv->pad_bottom << 24 | cv->pad_top << 16 |
						  cv->pad_right << 8 | cv->pad_left);
	for (x = 0; x < MDL_MME_OPERANDS; x++) {
		conv_dims(cv, x, d);
		wr(regs, layout->base_low[x], (uint32_t)cv->addr[x]);
		wr(regs, layout->base_high[x], (uint32_t)(cv->addr[x] >> 32));
		for (i = 0; i < MDL_MME_CDIMS; i++)
			wr(regs, layout->valid_elements[x][i], d[i]);
		wr(regs, layout->spatial_stride0[x], (uint32_t)cv->stride[x][0]);
		wr(regs, layout->spatial_stride12[x][0], (uint32_t)cv->stride[x][1]);
		wr(regs, layout->spatial_stride12[x][1], (uint32_t)cv->stride[x][2]);
	}
	if (cv->has_sync) {
		wr(regs, layout->sync_addr_low_local, (uint32_t)cv->sync_addr);
		wr(regs, layout->sync_addr_high, (uint32_t)(cv->sync_addr >> 32));
		wr(regs, layout->sync_data, cv->sync_data);
	}
	return HLSIM_OK;
}

/* The stride register of dim @i + 1 (0..2) of operand @x. */
static uint32_t conv_stride_reg(const struct mdl_mme_layout *layout, int x, unsigned i)
{
	return i == 0 ? layout->spatial_stride0[x] : layout->spatial_stride12[x][i - 1];
}

/* Dims, strides and address of operand @x of a convolution descriptor. */
static hlsim_err_t conv_decode_tensor(const struct mdl_mme_layout *layout, const uint32_t *regs,
				      int x, uint32_t es, uint32_t d[MDL_MME_CDIMS],
				      struct mdl_mme_conv *out)
{
	uint64_t last = 0, min;
	uint32_t v;
	unsigned i;

	for (i = 0; i < MDL_MME_CDIMS; i++) {
		d[i] = rd(regs, layout->valid_elements[x][i]);
		if (d[i])
			continue;
		if (i >= 2)
			return hlsim_error(HLSIM_E_UNSUPPORTED,
					   "MME descriptor: operation 1 (2-D convolution) "
					   "with ARCH_TENSOR_%s_VALID_ELEMENTS_%u (0x%03x) = "
					   "0: hlsim reads a convolution over 4-D tensors "
					   "(%s is %s, %s, %s, %s), each dim at least 1",
					   operand_name[x], i, layout->valid_elements[x][i],
					   operand_name[x], conv_dim_name[x][0],
					   conv_dim_name[x][1], conv_dim_name[x][2],
					   conv_dim_name[x][3]);
		return hlsim_error(HLSIM_E_SIM,
				   "MME descriptor: operation 1 (convolution): "
				   "ARCH_TENSOR_%s_VALID_ELEMENTS_%u (0x%03x) = 0 (%s): a "
				   "zero-sized tensor",
				   operand_name[x], i, layout->valid_elements[x][i],
				   conv_dim_name[x][i]);
	}
	v = rd(regs, layout->valid_elements[x][4]);
	if (v > 1)
		return hlsim_error(HLSIM_E_UNSUPPORTED,
				   "MME descriptor: operation 1 (convolution): "
				   "ARCH_TENSOR_%s_VALID_ELEMENTS_4 (0x%03x) = %u: 5-D tensors are "
				   "not modelled (expected 0 or 1)",
				   operand_name[x], layout->valid_elements[x][4], v);
	for (i = 0; i < 3; i++) {
		out->stride[x][i] = rd(regs, conv_stride_reg(layout, x, i));
		min = conv_min_stride(d, out->stride[x], i);
		if (out->stride[x][i] < min)
			return hlsim_error(HLSIM_E_SIM,
					   "MME descriptor: operation 1 (convolution): "
					   "ARCH_TENSOR_%s_SPATIAL_STRIDES_%u (0x%03x) = %" PRIu64
					   ": the stride of dim %s must be at least %" PRIu64
					   " elements (the dims below it), or the tensor overlaps "
					   "itself",
					   operand_name[x], i, conv_stride_reg(layout, x, i),
					   out->stride[x][i], conv_dim_name[x][i + 1], min);
		/* (d - 1) x stride < 2^64 (32 x 32 bits); the sum may wrap: saturate */
		if (__builtin_add_overflow(last, (uint64_t)(d[i + 1] - 1) * out->stride[x][i],
					   &last))
			last = UINT64_MAX;
	}
	if (__builtin_add_overflow(last, (uint64_t)d[0], &last))
		last = UINT64_MAX;
	out->addr[x] = (uint64_t)rd(regs, layout->base_high[x]) << 32 |
		       rd(regs, layout->base_low[x]);
	if (!out->addr[x])
		return hlsim_error(HLSIM_E_SIM,
				   "MME descriptor: ARCH_BASE_ADDR_HIGH_%s/LOW_%s (0x%03x/0x%03x) "
				   "are 0: tensor %s has no address",
				   operand_name[x], operand_name[x], layout->base_high[x],
				   layout->base_low[x], operand_name[x]);
	if (last > UINT64_MAX / es || out->addr[x] > UINT64_MAX - last * es)
		return hlsim_error(HLSIM_E_SIM,
				   "MME descriptor: tensor %s at 0x%" PRIx64 " (%u x %u x %u x %u "
				   "elements) runs past the end of the address space",
				   operand_name[x], out->addr[x], d[0], d[1], d[2], d[3]);
	return HLSIM_OK;
}

/* Output size @got along @dim must follow from the input: E_SIM naming the registers. */
static hlsim_err_t conv_check_out(const struct mdl_mme_layout *layout, unsigned o_dim,
				  uint32_t got, const char *dim, uint32_t in, uint32_t pad_lo,
				  uint32_t pad_hi, uint32_t kernel, uint32_t stride)
{
	uint64_t padded = (uint64_t)in + pad_lo + pad_hi;
	uint64_t want = padded >= kernel ? (padded - kernel) / stride + 1 : 0;

	if (got == want)
		return HLSIM_OK;
	return hlsim_error(HLSIM_E_SIM,
			   "MME descriptor: operation 1 (convolution): "
			   "ARCH_TENSOR_O_VALID_ELEMENTS_%u (0x%03x) = %u (%s') but (%s %u + "
			   "padding %u + %u - kernel %u) / stride %u + 1 = %" PRIu64
			   " (ARCH_TENSOR_S_VALID_ELEMENTS, ARCH_CONV_KERNEL_SIZE_MINUS_1, "
			   "ARCH_CONV_ASSOCIATED_DIMS_LOW/HIGH)%s",
			   o_dim, layout->valid_elements[MDL_MME_O][o_dim], got, dim, dim, in,
			   pad_lo, pad_hi, kernel, stride, want,
			   padded < kernel ? ": the padded input is smaller than the kernel" : "");
}

/* A count that two operands must agree on. */
static hlsim_err_t conv_check_same(const struct mdl_mme_layout *layout, const char *what,
				   int xa, unsigned da, uint32_t a, int xb, unsigned db,
				   uint32_t b)
{
	if (a == b)
		return HLSIM_OK;
	return hlsim_error(HLSIM_E_SIM,
			   "MME descriptor: operation 1 (convolution): %s: "
			   "ARCH_TENSOR_%s_VALID_ELEMENTS_%u (0x%03x) = %u but "
			   "ARCH_TENSOR_%s_VALID_ELEMENTS_%u (0x%03x) = %u",
			   what, operand_name[xa], da, layout->valid_elements[xa][da], a,
			   operand_name[xb], db, layout->valid_elements[xb][db], b);
}

hlsim_err_t mdl_mme_conv_decode(const struct mdl_mme_layout *layout, const uint32_t *regs,
				struct mdl_mme_conv *out)
{
	struct mdl_mme_gemm h;
	uint32_t d[MDL_MME_OPERANDS][MDL_MME_CDIMS], v;
	hlsim_err_t rc;
	int x;

	memset(out, 0, sizeof(*out));
	rc = decode_header(layout, regs, MDL_MME_HDR_OP_CONV, &h);
	if (rc)
		return rc;
	if (h.transpose_s || h.transpose_l)
		return hlsim_error(HLSIM_E_UNSUPPORTED,
				   "MME descriptor: " REGF ": operation 1 (convolution) with a "
				   "transposed S or L is not modelled (bits [13:12] must be 0)",
				   "ARCH_HEADER_LOW", layout->header_low,
				   rd(regs, layout->header_low));
	out->in_dtype = h.in_dtype;
	out->out_dtype = h.out_dtype;
	out->geometry = h.geometry;
	for (x = 0; x < MDL_MME_OPERANDS; x++) {
		rc = conv_decode_tensor(layout, regs, x,
					mdl_mme_dtype_bytes(x == MDL_MME_O ? out->out_dtype
									   : out->in_dtype),
					d[x], out);
		if (rc)
			return rc;
	}
	out->c = d[MDL_MME_S][0];
	out->w = d[MDL_MME_S][1];
	out->h = d[MDL_MME_S][2];
	out->n = d[MDL_MME_S][3];
	out->k = d[MDL_MME_L][0];
	out->out_w = d[MDL_MME_O][1];
	out->out_h = d[MDL_MME_O][2];
	v = rd(regs, layout->conv_kernel_size_m1);
	out->s = (v & 0xFFFFu) + 1;
	out->r = (v >> 16) + 1;
	v = rd(regs, layout->conv_assoc_low);
	out->stride_w = v & 0xFFFFu;
	out->stride_h = v >> 16;
	if (!out->stride_w || !out->stride_h)
		return hlsim_error(HLSIM_E_SIM,
				   "MME descriptor: operation 1 (convolution): " REGF ": stride "
				   "%u (W, [15:0]) x %u (H, [31:16]): each must be at least 1",
				   "ARCH_CONV_ASSOCIATED_DIMS_LOW", layout->conv_assoc_low, v,
				   out->stride_w, out->stride_h);
	v = rd(regs, layout->conv_assoc_high);
	out->pad_left = v & 0xFFu;
	out->pad_right = v >> 8 & 0xFFu;
	out->pad_top = v >> 16 & 0xFFu;
	out->pad_bottom = v >> 24;
	if (out->pad_left >= out->s || out->pad_right >= out->s || out->pad_top >= out->r ||
	    out->pad_bottom >= out->r)
		return hlsim_error(HLSIM_E_SIM,
				   "MME descriptor: operation 1 (convolution): " REGF ": padding "
				   "left %u, right %u, top %u, bottom %u: each must be less than "
				   "the kernel side (%u x %u, R x S, from "
				   "ARCH_CONV_KERNEL_SIZE_MINUS_1)",
				   "ARCH_CONV_ASSOCIATED_DIMS_HIGH", layout->conv_assoc_high, v,
				   out->pad_left, out->pad_right, out->pad_top, out->pad_bottom,
				   out->r, out->s);
	if (d[MDL_MME_L][2] != out->s || d[MDL_MME_L][3] != out->r)
		return hlsim_error(HLSIM_E_SIM,
				   "MME descriptor: operation 1 (convolution): " REGF ": kernel "
				   "%u x %u (R x S) but L (K, C, S, R) has S = %u "
				   "(ARCH_TENSOR_L_VALID_ELEMENTS_2) and R = %u (_3)",
				   "ARCH_CONV_KERNEL_SIZE_MINUS_1", layout->conv_kernel_size_m1,
				   rd(regs, layout->conv_kernel_size_m1), out->r, out->s,
				   d[MDL_MME_L][2], d[MDL_MME_L][3]);
	rc = conv_check_same(layout, "input channels C of S and L", MDL_MME_S, 0,
			     d[MDL_MME_S][0], MDL_MME_L, 1, d[MDL_MME_L][1]);
	if (!rc)
		rc = conv_check_same(layout, "output channels K of L and O", MDL_MME_L, 0,
				     d[MDL_MME_L][0], MDL_MME_O, 0, d[MDL_MME_O][0]);
	if (!rc)
		rc = conv_check_same(layout, "batch N of S and O", MDL_MME_S, 3, d[MDL_MME_S][3],
				     MDL_MME_O, 3, d[MDL_MME_O][3]);
	if (!rc)
		rc = conv_check_out(layout, 1, out->out_w, "W", out->w, out->pad_left,
				    out->pad_right, out->s, out->stride_w);
	if (!rc)
		rc = conv_check_out(layout, 2, out->out_h, "H", out->h, out->pad_top,
				    out->pad_bottom, out->r, out->stride_h);
	if (rc)
		return rc;
	return decode_sync(layout, regs, &out->sync_addr, &out->sync_data, &out->has_sync);
}
/* ====} */

/* {==== Timing and traffic ==== */

static uint64_t div_up(uint64_t a, uint64_t b)
{
	return a / b + (a % b != 0);
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* a * b, saturating at UINT64_MAX (callers reject saturated results). */
static uint64_t mul_sat(uint64_t a, uint64_t b)
{
	uint64_t r;

	return __builtin_mul_overflow(a, b, &r) ? UINT64_MAX : r;
}

static uint64_t add_sat(uint64_t a, uint64_t b)
{
	uint64_t r;

	return __builtin_add_overflow(a, b, &r) ? UINT64_MAX : r;
}

/*
 * The contiguous run of one access to a stored matrix of @d0 elements per row and
 * pitch @pitch, when a strip covers @cover0 elements of each row and @rows rows.
 */
static uint32_t run_bytes(uint32_t d0, uint32_t pitch, uint64_t cover0, uint64_t rows,
			  uint32_t es)
{
	uint64_t b = cover0 < d0 || pitch != d0 ? cover0 * es : mul_sat(cover0 * es, rows);

	return (uint32_t)min_u64(b, UINT32_MAX);
}

/*
 * Bytes of S and L read for a launch: the walk (no reuse, S band held, L band held)
 * with the fewest bytes. See the top-of-file comment. @s_all is the bytes of one full
 * pass over S (M x K elements for a GEMM, the input footprint for a convolution).
 */
static void operand_reads(const struct mdl_mme_gemm *g, const struct mdl_mme_cfg *cfg,
			  uint64_t tr, uint64_t tc, uint64_t tiles_m, uint64_t tiles_n,
			  uint64_t s_all, uint64_t *s_read, uint64_t *l_read)
{
	uint64_t es = mdl_mme_dtype_bytes((enum mdl_mme_dtype)g->in_dtype);
	uint64_t l_all = mul_sat(mul_sat(g->k, g->n), es);
	uint64_t s_strip = mul_sat(mul_sat(min_u64(tr, g->m), g->k), es);
	uint64_t l_strip = mul_sat(mul_sat(min_u64(tc, g->n), g->k), es);
	uint64_t p = min_u64(cfg->local_buffer_bytes / s_strip, tiles_m);
	uint64_t q = min_u64(cfg->local_buffer_bytes / l_strip, tiles_n);
	uint64_t s, l, best;

	/* no reuse: each S strip once per tile column, each L strip once per tile row */
	*s_read = mul_sat(s_all, tiles_n);
	*l_read = mul_sat(l_all, tiles_m);
	best = add_sat(*s_read, *l_read);
	if (p) {
		s = s_all;
		l = mul_sat(l_all, div_up(tiles_m, p));
		if (add_sat(s, l) < best) {
			*s_read = s;
			*l_read = l;
			best = add_sat(s, l);
		}
	}
	if (q) {
		s = mul_sat(s_all, div_up(tiles_n, q));
		l = l_all;
		if (add_sat(s, l) < best) {
			*s_read = s;
			*l_read = l;
		}
	}
}

/*
 * The systolic timing of the GEMM @g (the same for a convolution's implicit GEMM):
 * the geometry's tile shape @tr x @tc, tile counts, compute cycles and FLOPs.
 */
static hlsim_err_t gemm_timing(const struct mdl_mme_gemm *g, const struct mdl_mme_cfg *cfg,
			       uint64_t *tr_out, uint64_t *tc_out, uint64_t *tiles_m,
			       uint64_t *tiles_n, uint64_t *cycles, uint64_t *flops)
{
	uint64_t tr, tc, tiles, k_cycles;
	double rate;

	rate = mdl_mme_rate(cfg, (enum mdl_mme_dtype)g->in_dtype);
	if (!(rate > 0))
		return hlsim_error(HLSIM_E_UNSUPPORTED,
				   "MME launch: %s inputs, but this configuration's MME has no %s "
				   "rate (mme.%s_rate = 0)",
				   mdl_mme_dtype_name((enum mdl_mme_dtype)g->in_dtype),
				   mdl_mme_dtype_name((enum mdl_mme_dtype)g->in_dtype),
				   mdl_mme_dtype_name((enum mdl_mme_dtype)g->in_dtype));
	tr = cfg->array_rows;
	tc = cfg->array_cols;
	if (g->geometry != MDL_MME_GEO_BASE && !cfg->reshape)
		return hlsim_error(HLSIM_E_UNSUPPORTED,
				   "MME launch: geometry %s, but this configuration's array is "
				   "fixed at %" PRIu64 "x%" PRIu64 " (mme.reshape = false)",
				   geometry_name[g->geometry], tr, tc);
	/* mdl_mme_cfg_load() guarantees this; a hand-made cfg might not */
	if (!tr || !tc || (g->geometry != MDL_MME_GEO_BASE && (tr % 2 || tc % 2)))
		return hlsim_error(HLSIM_E_CONFIG,
				   "MME launch: an array of %" PRIu64 "x%" PRIu64 " MAC cells "
				   "cannot take geometry %s",
				   tr, tc, geometry_name[g->geometry]);
	if (g->geometry == MDL_MME_GEO_TALL) {
		tr *= 2;
		tc /= 2;
	} else if (g->geometry == MDL_MME_GEO_WIDE) {
		tr /= 2;
		tc *= 2;
	}
	*tiles_m = div_up(g->m, tr);
	*tiles_n = div_up(g->n, tc);
	tiles = *tiles_m * *tiles_n; /* < 2^64: both factors are at most 2^32 - 1 */
	k_cycles = (double)g->k / rate < 1e18 ? (uint64_t)ceil((double)g->k / rate) : UINT64_MAX;
	*cycles = add_sat(add_sat(cfg->launch_cycles, cfg->fill_drain_cycles),
			  mul_sat(tiles, add_sat(k_cycles, cfg->tile_overhead_cycles)));
	*flops = mul_sat(mul_sat(2ull * g->m, g->n), g->k);
	*tr_out = tr;
	*tc_out = tc;
	if (k_cycles == UINT64_MAX || *cycles == UINT64_MAX || *flops == UINT64_MAX)
		return hlsim_error(HLSIM_E_SIM,
				   "MME launch: GEMM %ux%ux%u overflows 64-bit cycle, FLOP or "
				   "byte counts",
				   g->m, g->n, g->k);
	return HLSIM_OK;
}

static hlsim_err_t conv_work(const struct mdl_mme_layout *layout, const uint32_t *regs,
			     const struct mdl_mme_cfg *cfg, struct mdl_work *out);

hlsim_err_t mdl_mme_work(const struct mdl_mme_layout *layout, const uint32_t *regs,
			 const struct mdl_mme_cfg *cfg, struct mdl_work *out)
{
	struct mdl_mme_gemm g;
	uint64_t tr, tc, tiles_m, tiles_n, cycles, flops;
	uint64_t s_read, l_read, o_write;
	uint32_t es_in, es_out;
	hlsim_err_t rc;

	memset(out, 0, sizeof(*out));
	if ((rd(regs, layout->header_low) & MDL_MME_HDR_OP_MASK) == MDL_MME_HDR_OP_CONV &&
	    !(rd(regs, layout->header_low) & MDL_MME_HDR_RESERVED))
		return conv_work(layout, regs, cfg, out);
	rc = mdl_mme_desc_decode(layout, regs, &g);
	if (!rc)
		rc = gemm_timing(&g, cfg, &tr, &tc, &tiles_m, &tiles_n, &cycles, &flops);
	if (rc)
		return rc;
	es_in = mdl_mme_dtype_bytes((enum mdl_mme_dtype)g.in_dtype);
	es_out = mdl_mme_dtype_bytes((enum mdl_mme_dtype)g.out_dtype);
	o_write = mul_sat(mul_sat(g.m, g.n), es_out);
	operand_reads(&g, cfg, tr, tc, tiles_m, tiles_n, mul_sat(mul_sat(g.m, g.k), es_in),
		      &s_read, &l_read);
	if (s_read == UINT64_MAX || l_read == UINT64_MAX || o_write == UINT64_MAX)
		return hlsim_error(HLSIM_E_SIM,
				   "MME launch: GEMM %ux%ux%u overflows 64-bit cycle, FLOP or "
				   "byte counts",
				   g.m, g.n, g.k);
	out->compute_cycles = cycles;
	out->flops = flops;
	out->num_traffic = 3;
	out->traffic[0] = (struct mdl_traffic){
		.addr = g.addr[MDL_MME_S],
		.bytes = s_read,
		.access_bytes = g.transpose_s
					? run_bytes(g.m, g.pitch[MDL_MME_S], min_u64(tr, g.m), g.k,
						    es_in)
					: run_bytes(g.k, g.pitch[MDL_MME_S], g.k, min_u64(tr, g.m),
						    es_in),
	};
	out->traffic[1] = (struct mdl_traffic){
		.addr = g.addr[MDL_MME_L],
		.bytes = l_read,
		.access_bytes = g.transpose_l
					? run_bytes(g.k, g.pitch[MDL_MME_L], g.k, min_u64(tc, g.n),
						    es_in)
					: run_bytes(g.n, g.pitch[MDL_MME_L], min_u64(tc, g.n), g.k,
						    es_in),
	};
	out->traffic[2] = (struct mdl_traffic){
		.addr = g.addr[MDL_MME_O],
		.bytes = o_write,
		.access_bytes = run_bytes(g.n, g.pitch[MDL_MME_O], min_u64(tc, g.n),
					  min_u64(tr, g.m), es_out),
		.write = 1,
	};
	out->has_completion = g.has_sync;
	out->completion_addr = g.sync_addr;
	out->completion_data = g.sync_data;
	snprintf(out->label, sizeof(out->label), "gemm %ux%ux%u %s", g.m, g.n, g.k,
		 mdl_mme_dtype_name((enum mdl_mme_dtype)g.in_dtype));
	return HLSIM_OK;
}

/*
 * Positions of [0, @x) covered by the windows [y @u, y @u + @kern), y = 0 .. @nwin - 1:
 * the union when windows overlap or touch (@u <= @kern), disjoint windows otherwise.
 */
static uint64_t conv_covered(uint64_t x, uint64_t kern, uint64_t u, uint64_t nwin)
{
	uint64_t end;

	if (!nwin)
		return 0;
	end = (nwin - 1) * u + kern; /* < 2^32 x 2^16 + 2^16 */
	if (x > end)
		x = end;
	if (u <= kern)
		return x;
	return x / u * kern + min_u64(x % u, kern);
}

/*
 * Input positions along one spatial dim (@len of them after @pad_lo padding positions)
 * that the output positions [@y0, @y1) read with kernel side @kern and stride @u.
 */
static uint64_t conv_touched(uint64_t len, uint64_t pad_lo, uint64_t kern, uint64_t u,
			     uint64_t y0, uint64_t y1)
{
	uint64_t base = y0 * u, a = pad_lo, b = pad_lo + len;

	a = a > base ? a - base : 0;
	b = b > base ? b - base : 0;
	return conv_covered(b, kern, u, y1 - y0) - conv_covered(a, kern, u, y1 - y0);
}

/* Bands at each end of an image whose input rows may be clipped by the padding. */
#define CONV_EDGE_BANDS 300u

/*
 * Input rows one image's bands of @hb output rows read, summed over the bands: the
 * halo rows shared by two bands count twice. Bands away from the padding all read the
 * same rows (padding < kernel <= 2^16 and strides >= 1 keep the clipped ones within
 * CONV_EDGE_BANDS of either end), so only the edge bands are walked.
 */
static uint64_t conv_band_rows(const struct mdl_mme_conv *cv, uint64_t hb)
{
	uint64_t nb = div_up(cv->out_h, hb), j, rows = 0;

	for (j = 0; j < nb; j++) {
		if (nb > 2 * CONV_EDGE_BANDS && j == CONV_EDGE_BANDS) {
			rows += (nb - 2 * CONV_EDGE_BANDS) *
				conv_touched(cv->h, cv->pad_top, cv->r, cv->stride_h, j * hb,
					     j * hb + hb);
			j = nb - CONV_EDGE_BANDS - 1;
			continue;
		}
		rows += conv_touched(cv->h, cv->pad_top, cv->r, cv->stride_h, j * hb,
				     min_u64((j + 1) * hb, cv->out_h));
	}
	return rows;
}

static hlsim_err_t conv_work(const struct mdl_mme_layout *layout, const uint32_t *regs,
			     const struct mdl_mme_cfg *cfg, struct mdl_work *out)
{
	struct mdl_mme_conv cv;
	struct mdl_mme_gemm g;
	uint64_t m, kg, tr, tc, tiles_m, tiles_n, cycles, flops, hb, cols, footprint;
	uint64_t s_read, l_read, o_write;
	uint32_t es_in, es_out;
	hlsim_err_t rc;

	rc = mdl_mme_conv_decode(layout, regs, &cv);
	if (rc)
		return rc;
	m = mul_sat(mul_sat(cv.n, cv.out_h), cv.out_w);
	kg = mul_sat(mul_sat(cv.c, cv.r), cv.s);
	if (m > UINT32_MAX || kg > UINT32_MAX)
		return hlsim_error(HLSIM_E_UNSUPPORTED,
				   "MME launch: convolution N %u x H' %u x W' %u = M, C %u x R %u "
				   "x S %u = K: the implicit GEMM is over 2^32-1 along M or K",
				   cv.n, cv.out_h, cv.out_w, cv.c, cv.r, cv.s);
	memset(&g, 0, sizeof(g));
	g.m = (uint32_t)m;
	g.n = cv.k;
	g.k = (uint32_t)kg;
	g.in_dtype = cv.in_dtype;
	g.out_dtype = cv.out_dtype;
	g.geometry = cv.geometry;
	rc = gemm_timing(&g, cfg, &tr, &tc, &tiles_m, &tiles_n, &cycles, &flops);
	if (rc)
		return rc;
	es_in = mdl_mme_dtype_bytes((enum mdl_mme_dtype)cv.in_dtype);
	es_out = mdl_mme_dtype_bytes((enum mdl_mme_dtype)cv.out_dtype);
	/* one pass over S: bands of whole output rows, one tile row of the array each */
	hb = tr / cv.out_w ? tr / cv.out_w : 1;
	cols = conv_touched(cv.w, cv.pad_left, cv.s, cv.stride_w, 0, cv.out_w);
	footprint = mul_sat(mul_sat(mul_sat(cv.n, conv_band_rows(&cv, hb)), cols),
			    mul_sat(cv.c, es_in));
	o_write = mul_sat(m * cv.k, es_out);
	operand_reads(&g, cfg, tr, tc, tiles_m, tiles_n, footprint, &s_read, &l_read);
	if (s_read == UINT64_MAX || l_read == UINT64_MAX || o_write == UINT64_MAX)
		return hlsim_error(HLSIM_E_SIM,
				   "MME launch: convolution (implicit GEMM %ux%ux%u) overflows "
				   "64-bit byte counts",
				   g.m, g.n, g.k);
	out->compute_cycles = cycles;
	out->flops = flops;
	out->num_traffic = 3;
	out->traffic[0] = (struct mdl_traffic){
		.addr = cv.addr[MDL_MME_S],
		/* a run: the touched part of an input row, when pixels are packed */
		.bytes = s_read,
		.access_bytes = (uint32_t)min_u64(cv.stride[MDL_MME_S][0] == cv.c
							  ? mul_sat(cols * cv.c, es_in)
							  : (uint64_t)cv.c * es_in,
						  UINT32_MAX),
	};
	out->traffic[1] = (struct mdl_traffic){
		.addr = cv.addr[MDL_MME_L],
		.bytes = l_read,
		.access_bytes = run_bytes(cv.k, (uint32_t)cv.stride[MDL_MME_L][0],
					  min_u64(tc, cv.k), kg, es_in),
	};
	out->traffic[2] = (struct mdl_traffic){
		.addr = cv.addr[MDL_MME_O],
		.bytes = o_write,
		.access_bytes = run_bytes(cv.k, (uint32_t)cv.stride[MDL_MME_O][0],
					  min_u64(tc, cv.k), min_u64(tr, m), es_out),
		.write = 1,
	};
	out->has_completion = cv.has_sync;
	out->completion_addr = cv.sync_addr;
	out->completion_data = cv.sync_data;
	snprintf(out->label, sizeof(out->label), "conv %ux%u/%u %ux%ux%ux%u k%u %s", cv.r, cv.s,
		 cv.stride_h, cv.n, cv.h, cv.w, cv.c, cv.k,
		 mdl_mme_dtype_name((enum mdl_mme_dtype)cv.in_dtype));
	return HLSIM_OK;
}
/* ====} */
