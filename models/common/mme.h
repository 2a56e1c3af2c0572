/**
 * models/common/mme.h - the MME timing model (see mme.c) and the MME descriptor
 * interpretation shared by every ASIC.
 *
 * An MME launch is read from the engine's register file at the moment of the write to
 * MME_CTRL_CMD. Which registers mean what is not public: hlsim defines one
 * interpretation [I] (documented in mme.c and sim/MODEL.md, section "MME"), which
 * the GEMM and convolution generators (traces/gen/gen_gemm.c, gen_conv.c) program and
 * this model reads back: operation 0 a GEMM (struct mdl_mme_gemm), operation 1 a 2-D
 * convolution timed as its implicit GEMM (struct mdl_mme_conv). Each
 * ASIC only says where the registers are (struct mdl_mme_layout in
 * models/<asic>/<asic>_mme.c).
 */
#ifndef HLSIM_MDL_MME_H
#define HLSIM_MDL_MME_H

#include <stdint.h>

#include "hlsim/config.h"
#include "hlsim/error.h"

/** enum mdl_mme_dtype - element types of the HEADER_LOW dtype fields [I]. */
enum mdl_mme_dtype {
	MDL_MME_BF16 = 0,
	MDL_MME_FP32 = 1,
	MDL_MME_FP8 = 2, /* Gaudi2 and later */
	MDL_MME_DTYPE_COUNT_
};

/**
 * enum mdl_mme_geometry - the shape the array takes for a launch [I encoding, V shapes]:
 * the configured rows x cols, or (Gaudi2) 2 rows x cols/2 ("tall", 512x128) or
 * rows/2 x 2 cols ("wide", 128x512). Rows run along M, columns along N.
 */
enum mdl_mme_geometry {
	MDL_MME_GEO_BASE = 0,
	MDL_MME_GEO_TALL = 1,
	MDL_MME_GEO_WIDE = 2,
	MDL_MME_GEO_COUNT_
};

/** enum mdl_mme_operand - the three tensors of O = S . L. */
enum mdl_mme_operand {
	MDL_MME_S = 0, /* input activations, M x K */
	MDL_MME_L = 1, /* weights, K x N */
	MDL_MME_O = 2, /* output, M x N */
	MDL_MME_OPERANDS
};

/* HEADER_LOW fields of the hlsim interpretation [I]. */
#define MDL_MME_HDR_OP_MASK 0x0000000Fu /* [3:0] operation: 0 = GEMM */
#define MDL_MME_HDR_OP_GEMM 0u
#define MDL_MME_HDR_OP_CONV 1u /* forward 2-D convolution, implicit GEMM (struct mdl_mme_conv) */
#define MDL_MME_HDR_IN_DTYPE_SHIFT 4 /* [7:4] S and L element type */
#define MDL_MME_HDR_OUT_DTYPE_SHIFT 8 /* [11:8] O element type */
#define MDL_MME_HDR_DTYPE_MASK 0xFu
#define MDL_MME_HDR_TRANSPOSE_S 0x00001000u /* [12] S stored K-major (dim 0 = M) */
#define MDL_MME_HDR_TRANSPOSE_L 0x00002000u /* [13] L stored N-major (dim 0 = K) */
#define MDL_MME_HDR_GEO_SHIFT 14 /* [15:14] enum mdl_mme_geometry */
#define MDL_MME_HDR_GEO_MASK 0x3u
#define MDL_MME_HDR_ACC_SHIFT 16 /* [19:16] accumulator type: 0 = fp32 (the only one) */
#define MDL_MME_HDR_ACC_MASK 0xFu
#define MDL_MME_HDR_ACC_FP32 0u
#define MDL_MME_HDR_RESERVED 0xFFF00000u /* [31:20] must be 0 */

/** MDL_MME_REG_NONE - a struct mdl_mme_layout offset for a register the ASIC lacks. */
#define MDL_MME_REG_NONE UINT32_MAX

/** MDL_MME_MAX_LOGICAL - most logical MMEs a layout lists. */
#define MDL_MME_MAX_LOGICAL 8

/**
 * struct mdl_mme_cfg - MME timing parameters (SI units), read once from the config.
 * @clock_hz: mme.clock.
 * @array_rows, @array_cols: mme.array_rows x mme.array_cols MACs per MME QMAN (one
 *                           master + slave pair), rows along M, columns along N.
 * @reshape: mme.reshape: the tall and wide geometries exist.
 * @fp32_rate, @fp8_rate: mme.fp32_rate, mme.fp8_rate: MACs per array cell and cycle
 *                        relative to bf16 (= 1); 0 means the type is not supported.
 * @fill_drain_cycles: mme.fill_drain_cycles, once per launch.
 * @tile_overhead_cycles: mme.tile_overhead_cycles, once per output tile.
 * @launch_cycles: mme.launch_cycles, once per launch.
 * @local_buffer_bytes: mme.local_buffer: operand buffer that allows strip reuse.
 */
struct mdl_mme_cfg {
	double clock_hz;
	uint32_t array_rows, array_cols;
	uint8_t reshape;
	double fp32_rate, fp8_rate;
	uint64_t fill_drain_cycles;
	uint64_t tile_overhead_cycles;
	uint64_t launch_cycles;
	uint64_t local_buffer_bytes;
};

/**
 * mdl_mme_cfg_load - read the [mme] parameters of @cfg into @out. HLSIM_E_CONFIG (naming
 * the key) for values the model cannot use: a zero clock or array side, an odd side
 * with mme.reshape, a negative or non-finite rate, an fp32 rate of 0.
 */
hlsim_err_t mdl_mme_cfg_load(const hlsim_config_t *cfg, struct mdl_mme_cfg *out);

/**
 * struct mdl_mme_layout - where an ASIC keeps the MME ARCH descriptor in the register
 * block its MME QMANs write (byte offsets; MDL_MME_REG_NONE for a register the ASIC
 * does not have, which then reads as 0). Defined by the MME model; each ASIC provides
 * one (models/<asic>/<asic>_mme.c).
 * @name: "gaudi MME CTRL", for messages.
 * @desc_first, @desc_end: the descriptor block [first, end) a launch programs; the
 *                         generator writes all of it (zeros where the interpretation
 *                         has no field), so no state leaks from an earlier launch.
 * @cmd: MME_CTRL_CMD, the launch register (must match props->launch_reg[MME]).
 * @base_high, @base_low: ARCH_BASE_ADDR_{HIGH,LOW}_{S,L,O}, by enum mdl_mme_operand.
 * @header_low, @header_high: ARCH_HEADER_LOW/HIGH.
 * @valid_elements: ARCH_TENSOR_{S,L,O}_VALID_ELEMENTS_0..4.
 * @spatial_stride0: ARCH_TENSOR_{S,L,O}_SPATIAL_STRIDES_0 (the row pitch).
 * @spatial_stride12: ARCH_TENSOR_{S,L,O}_SPATIAL_STRIDES_1 and _2 (convolution only).
 * @conv_assoc_low, @conv_assoc_high: ARCH_CONV_ASSOCIATED_DIMS_LOW/HIGH (convolution
 *                        only: strides and padding in the hlsim interpretation).
 * @conv_kernel_size_m1, @num_iterations_m1, @outer_loop: ARCH_CONV_KERNEL_SIZE_MINUS_1,
 *                        ARCH_NUM_ITERATIONS_MINUS_1, ARCH_OUTER_LOOP (must be 0).
 * @sync_addr_low_local, @sync_addr_low_remote, @sync_addr_high, @sync_data:
 *                        ARCH_DESC_SYNC_OBJECT_{ADDR_LOW_LOCAL,ADDR_LOW_REMOTE,
 *                        ADDR_HIGH,DATA}.
 * @num_logical: logical MMEs (master + slave pairs) of the ASIC.
 * @logical_engine: for each logical MME, the engine_index (struct mdl_queue_info) of the
 *                  MME QMAN that launches it; the generator uses exactly these.
 */
struct mdl_mme_layout {
	const char *name;
	uint32_t desc_first, desc_end;
	uint32_t cmd;
	uint32_t base_high[MDL_MME_OPERANDS], base_low[MDL_MME_OPERANDS];
	uint32_t header_low, header_high;
	uint32_t valid_elements[MDL_MME_OPERANDS][5];
	uint32_t spatial_stride0[MDL_MME_OPERANDS];
	uint32_t spatial_stride12[MDL_MME_OPERANDS][2];
	uint32_t conv_assoc_low, conv_assoc_high;
	uint32_t conv_kernel_size_m1, num_iterations_m1, outer_loop;
	uint32_t sync_addr_low_local, sync_addr_low_remote, sync_addr_high, sync_data;
	uint32_t num_logical;
	uint8_t logical_engine[MDL_MME_MAX_LOGICAL];
};

/**
 * struct mdl_mme_gemm - one GEMM launch as the hlsim interpretation describes it:
 * O[M x N] = S[M x K] . L[K x N].
 * @m, @n, @k: the GEMM sizes in elements (1 .. 2^32-1).
 * @addr: device addresses of S, L and O (element [0][0] of the stored matrix).
 * @pitch: elements between consecutive rows of each stored matrix (>= its row length).
 * @in_dtype, @out_dtype: enum mdl_mme_dtype of S and L, and of O.
 * @transpose_s: S stored as K x M (its rows run along M).
 * @transpose_l: L stored as N x K.
 * @geometry: enum mdl_mme_geometry.
 * @has_sync, @sync_addr, @sync_data: the message the engine writes when it finishes.
 */
struct mdl_mme_gemm {
	uint32_t m, n, k;
	uint64_t addr[MDL_MME_OPERANDS];
	uint32_t pitch[MDL_MME_OPERANDS];
	uint8_t in_dtype, out_dtype;
	uint8_t transpose_s, transpose_l;
	uint8_t geometry;
	uint8_t has_sync;
	uint64_t sync_addr;
	uint32_t sync_data;
};

/** MDL_MME_CONV_MAX_KERNEL, _STRIDE, _PAD - field limits of the conv registers [I]. */
#define MDL_MME_CONV_MAX_KERNEL 65536u
#define MDL_MME_CONV_MAX_STRIDE 65535u
#define MDL_MME_CONV_MAX_PAD 255u

/** enum mdl_mme_conv_dim - the four tensor dims of a convolution operand (dim 0 first). */
enum mdl_mme_conv_dim { MDL_MME_CD0 = 0, MDL_MME_CD1, MDL_MME_CD2, MDL_MME_CD3, MDL_MME_CDIMS };

/**
 * struct mdl_mme_conv - one forward 2-D convolution launch as the hlsim interpretation
 * describes it (operation 1; the register map is in mme.c):
 * O[n][y][x][k] = sum over r, s, c of S[n][y*su_h + r - pad_top][x*su_w + s - pad_left][c]
 * . L[r][s][c][k], reads outside S being the zero padding.
 * @n, @h, @w, @c: the input box S (NHWC: c contiguous), 1 .. 2^32-1 each.
 * @k: output channels; @r, @s: kernel height and width (1 .. MDL_MME_CONV_MAX_KERNEL).
 * @stride_h, @stride_w: 1 .. MDL_MME_CONV_MAX_STRIDE.
 * @pad_top, @pad_bottom, @pad_left, @pad_right: zero padding (0 .. MDL_MME_CONV_MAX_PAD,
 *        less than the kernel side); per side, so that a launch computing a band of
 *        output rows in the middle of an image has none.
 * @out_h, @out_w: (h + pad_top + pad_bottom - r) / stride_h + 1, likewise for w;
 *                 filled by mdl_mme_conv_out_dims() and checked by the decoder.
 * @addr: device addresses of S, L and O (element [0][0][0][0]).
 * @stride: element strides of dims 1, 2, 3 of each operand: S (C, W, H, N) -> W, H, N;
 *          L (K, C, S, R) -> C, S, R; O (K, W', H', N) -> W', H', N. Each at least the
 *          extent of the dims below it (no overlap).
 * @in_dtype, @out_dtype, @geometry, @has_sync, @sync_addr, @sync_data: as in
 *          struct mdl_mme_gemm.
 */
struct mdl_mme_conv {
	uint32_t n, h, w, c;
	uint32_t k, r, s;
	uint32_t stride_h, stride_w;
	uint32_t pad_top, pad_bottom, pad_left, pad_right;
	uint32_t out_h, out_w;
	uint64_t addr[MDL_MME_OPERANDS];
	uint64_t stride[MDL_MME_OPERANDS][3];
	uint8_t in_dtype, out_dtype;
	uint8_t geometry;
	uint8_t has_sync;
	uint64_t sync_addr;
	uint32_t sync_data;
};

/**
 * mdl_mme_conv_out_dims - set @cv->out_h and @cv->out_w from its input, kernel, strides
 * and padding. HLSIM_E_INVAL (naming the dimension and the values) if a padded input is
 * smaller than the kernel or a stride or kernel side is 0.
 */
hlsim_err_t mdl_mme_conv_out_dims(struct mdl_mme_conv *cv);

/**
 * mdl_mme_conv_encode - program the convolution @cv (out_h and out_w set, dense
 * strides or wider) into @regs as mdl_mme_desc_encode() does a GEMM. HLSIM_E_INVAL if
 * @cv cannot be expressed in the interpretation's fields.
 */
hlsim_err_t mdl_mme_conv_encode(const struct mdl_mme_layout *layout,
				const struct mdl_mme_conv *cv, uint32_t *regs);

/**
 * mdl_mme_conv_decode - read a convolution descriptor in @regs back into @out.
 * HLSIM_E_SIM (naming the register and the values) for inconsistent programming (an
 * output size that does not follow from input, kernel, stride and padding; channel or
 * batch counts that disagree between S, L and O; overlapping strides);
 * HLSIM_E_UNSUPPORTED for a descriptor that is not a convolution or uses fields
 * outside the interpretation.
 */
hlsim_err_t mdl_mme_conv_decode(const struct mdl_mme_layout *layout, const uint32_t *regs,
				struct mdl_mme_conv *out);

/** mdl_mme_dtype_name - "bf16", "fp32", "fp8", or NULL for an unknown code. */
const char *mdl_mme_dtype_name(enum mdl_mme_dtype dt);
/** mdl_mme_dtype_bytes - bytes of one element (0 for an unknown code). */
uint32_t mdl_mme_dtype_bytes(enum mdl_mme_dtype dt);
/** mdl_mme_dtype_by_name - "bf16" -> MDL_MME_BF16; HLSIM_E_INVAL for unknown names. */
hlsim_err_t mdl_mme_dtype_by_name(const char *name, enum mdl_mme_dtype *out);

/**
 * mdl_mme_rate - MACs per array cell per cycle for @dt under @cfg (bf16 = 1), 0 if
 * the type is not supported.
 */
double mdl_mme_rate(const struct mdl_mme_cfg *cfg, enum mdl_mme_dtype dt);

/** mdl_mme_peak_flops - peak FLOP/s of one MME QMAN: 2 x rows x cols x rate x clock. */
double mdl_mme_peak_flops(const struct mdl_mme_cfg *cfg, enum mdl_mme_dtype dt);

/**
 * mdl_mme_desc_encode - program @g into the register file @regs (32-bit words indexed
 * by byte offset / 4, the engine block of @layout): every register of the descriptor
 * block is written, those outside the interpretation with 0. HLSIM_E_INVAL if @g
 * cannot be expressed (zero sizes, a pitch shorter than a row, unknown codes).
 */
hlsim_err_t mdl_mme_desc_encode(const struct mdl_mme_layout *layout,
				const struct mdl_mme_gemm *g, uint32_t *regs);

/**
 * mdl_mme_desc_decode - read the descriptor in @regs back into @out. HLSIM_E_SIM
 * (with a detail naming the register and the value) for programming that makes no
 * sense; HLSIM_E_UNSUPPORTED for programming outside the interpretation (convolution,
 * loops, a remote sync object, other operations or accumulator types).
 */
hlsim_err_t mdl_mme_desc_decode(const struct mdl_mme_layout *layout, const uint32_t *regs,
				struct mdl_mme_gemm *out);

struct mdl_work;

/**
 * mdl_mme_work - the work of an MME launch with the ARCH descriptor in @regs (the
 * register block of @layout as 32-bit words, indexed by byte offset / 4): compute
 * cycles at mme.clock, FLOPs, the operand traffic and the completion write, for a
 * GEMM (operation 0) or a convolution timed as its implicit GEMM (operation 1).
 * Errors as mdl_mme_desc_decode() / mdl_mme_conv_decode(), plus HLSIM_E_UNSUPPORTED
 * for a data type or geometry @cfg does not have. Pure: no allocation, no global state.
 */
hlsim_err_t mdl_mme_work(const struct mdl_mme_layout *layout, const uint32_t *regs,
			 const struct mdl_mme_cfg *cfg, struct mdl_work *out);

#endif
