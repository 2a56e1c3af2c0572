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
 *   be 0: convolution (implicit GEMM) and descriptor loops are refused with
 *   HLSIM_E_UNSUPPORTED rather than mistimed. Every other descriptor register is
 *   ignored (the generator writes 0 there).
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

static hlsim_err_t decode_header(const struct mdl_mme_layout *layout, const uint32_t *regs,
				 struct mdl_mme_gemm *out)
{
	uint32_t hdr = rd(regs, layout->header_low), v;

	if (hdr & MDL_MME_HDR_RESERVED)
		return hlsim_error(HLSIM_E_SIM,
				   "MME descriptor: " REGF ": reserved bits [31:20] set",
				   "ARCH_HEADER_LOW", layout->header_low, hdr);
	if ((hdr & MDL_MME_HDR_OP_MASK) != MDL_MME_HDR_OP_GEMM)
		return hlsim_error(HLSIM_E_UNSUPPORTED,
				   "MME descriptor: " REGF ": operation %u is not modelled "
				   "(hlsim reads [3:0] = 0 as GEMM; convolutions are refused)",
				   "ARCH_HEADER_LOW", layout->header_low, hdr,
				   hdr & MDL_MME_HDR_OP_MASK);
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
	if (v)
		return hlsim_error(HLSIM_E_UNSUPPORTED,
				   "MME descriptor: " REGF ": convolution is not modelled (only "
				   "GEMM; an implicit-GEMM convolution would need the spatial "
				   "programming, which is not public)",
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

hlsim_err_t mdl_mme_desc_decode(const struct mdl_mme_layout *layout, const uint32_t *regs,
				struct mdl_mme_gemm *out)
{
	uint32_t d0[MDL_MME_OPERANDS], d1[MDL_MME_OPERANDS], ks, kl, ms, nl, v;
	hlsim_err_t rc;
	int x;

	memset(out, 0, sizeof(*out));
	rc = decode_header(layout, regs, out);
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
	v = rd(regs, layout->sync_addr_low_remote);
	if (v)
		return hlsim_error(HLSIM_E_UNSUPPORTED,
				   "MME descriptor: " REGF ": a remote (slave) sync object is not "
				   "modelled; a launch completes once, through the local one",
				   "ARCH_DESC_SYNC_OBJECT_ADDR_LOW_REMOTE",
				   layout->sync_addr_low_remote, v);
	out->sync_addr = (uint64_t)rd(regs, layout->sync_addr_high) << 32 |
			 rd(regs, layout->sync_addr_low_local);
	out->sync_data = rd(regs, layout->sync_data);
	out->has_sync = out->sync_addr != 0;
	if (!out->has_sync && out->sync_data)
		return hlsim_error(HLSIM_E_SIM,
				   "MME descriptor: " REGF " but the sync object address "
				   "(ARCH_DESC_SYNC_OBJECT_ADDR_HIGH/LOW_LOCAL) is 0",
				   "ARCH_DESC_SYNC_OBJECT_DATA", layout->sync_data, out->sync_data);
	return HLSIM_OK;
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
 * with the fewest bytes. See the top-of-file comment.
 */
static void operand_reads(const struct mdl_mme_gemm *g, const struct mdl_mme_cfg *cfg,
			  uint64_t tr, uint64_t tc, uint64_t tiles_m, uint64_t tiles_n,
			  uint64_t *s_read, uint64_t *l_read)
{
	uint64_t es = mdl_mme_dtype_bytes((enum mdl_mme_dtype)g->in_dtype);
	uint64_t s_all = mul_sat(mul_sat(g->m, g->k), es);
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

hlsim_err_t mdl_mme_work(const struct mdl_mme_layout *layout, const uint32_t *regs,
			 const struct mdl_mme_cfg *cfg, struct mdl_work *out)
{
	struct mdl_mme_gemm g;
	uint64_t tr, tc, tiles_m, tiles_n, tiles, k_cycles, cycles, flops;
	uint64_t s_read, l_read, o_write;
	uint32_t es_in, es_out;
	double rate;
	hlsim_err_t rc;

	memset(out, 0, sizeof(*out));
	rc = mdl_mme_desc_decode(layout, regs, &g);
	if (rc)
		return rc;
	rate = mdl_mme_rate(cfg, (enum mdl_mme_dtype)g.in_dtype);
	if (!(rate > 0))
		return hlsim_error(HLSIM_E_UNSUPPORTED,
				   "MME launch: %s inputs, but this configuration's MME has no %s "
				   "rate (mme.%s_rate = 0)",
				   mdl_mme_dtype_name((enum mdl_mme_dtype)g.in_dtype),
				   mdl_mme_dtype_name((enum mdl_mme_dtype)g.in_dtype),
				   mdl_mme_dtype_name((enum mdl_mme_dtype)g.in_dtype));
	tr = cfg->array_rows;
	tc = cfg->array_cols;
	if (g.geometry != MDL_MME_GEO_BASE && !cfg->reshape)
		return hlsim_error(HLSIM_E_UNSUPPORTED,
				   "MME launch: geometry %s, but this configuration's array is "
				   "fixed at %" PRIu64 "x%" PRIu64 " (mme.reshape = false)",
				   geometry_name[g.geometry], tr, tc);
	/* mdl_mme_cfg_load() guarantees this; a hand-made cfg might not */
	if (!tr || !tc || (g.geometry != MDL_MME_GEO_BASE && (tr % 2 || tc % 2)))
		return hlsim_error(HLSIM_E_CONFIG,
				   "MME launch: an array of %" PRIu64 "x%" PRIu64 " MAC cells "
				   "cannot take geometry %s",
				   tr, tc, geometry_name[g.geometry]);
	if (g.geometry == MDL_MME_GEO_TALL) {
		tr *= 2;
		tc /= 2;
	} else if (g.geometry == MDL_MME_GEO_WIDE) {
		tr /= 2;
		tc *= 2;
	}
	tiles_m = div_up(g.m, tr);
	tiles_n = div_up(g.n, tc);
	tiles = tiles_m * tiles_n; /* < 2^64: both factors are at most 2^32 - 1 */
	k_cycles = (double)g.k / rate < 1e18 ? (uint64_t)ceil((double)g.k / rate) : UINT64_MAX;
	cycles = add_sat(add_sat(cfg->launch_cycles, cfg->fill_drain_cycles),
			 mul_sat(tiles, add_sat(k_cycles, cfg->tile_overhead_cycles)));
	flops = mul_sat(mul_sat(2ull * g.m, g.n), g.k);
	es_in = mdl_mme_dtype_bytes((enum mdl_mme_dtype)g.in_dtype);
	es_out = mdl_mme_dtype_bytes((enum mdl_mme_dtype)g.out_dtype);
	o_write = mul_sat(mul_sat(g.m, g.n), es_out);
	operand_reads(&g, cfg, tr, tc, tiles_m, tiles_n, &s_read, &l_read);
	if (k_cycles == UINT64_MAX || cycles == UINT64_MAX || flops == UINT64_MAX ||
	    s_read == UINT64_MAX || l_read == UINT64_MAX || o_write == UINT64_MAX)
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
/* ====} */
