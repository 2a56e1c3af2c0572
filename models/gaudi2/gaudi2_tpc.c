/*
 * models/gaudi2/gaudi2_tpc.c - the Gaudi2 (HL-225) TPC descriptor layout: hlsim's
 * interpretation [I].
 *
 * The Gaudi2 TPC descriptor offsets are not in this project's sources. As for the MME
 * (gaudi2_engines.c), Gaudi2 uses the Gaudi descriptor at the Gaudi offsets of the TPC
 * CFG block (models/gaudi/gaudi_tpc.c: 16 tensors x 56 bytes from 0xA00, the sync
 * object at 0xD80/0xD84, the non-tensor descriptor from 0xD88 to srf[31] at 0xE3C,
 * SM_BASE_ADDRESS_HIGH at 0x92C), launched by Gaudi2's own TPC_EXECUTE. Gaudi2's real
 * TPC_CMD (0xD94) and TPC_EXECUTE (0xD98) [C K-REGS, gaudi2P.h] sit inside that range,
 * on Gaudi's tid_size_dim_0 and tid_base_dim_1:
 *
 * - 0xD98 is the launch register, so it cannot also carry tid_base_dim_1: the model
 *   takes the dim-1 index-space base as 0 (tid_base_absent_mask bit 1). The base only
 *   places the partition in the index space; it changes neither its size nor its
 *   timing (the model costs a partition by its point count and the bytes its box
 *   touches, and a workload split along dim 1 still moves the same bytes per TPC).
 *   Writers must not write 0xD98 as part of the descriptor: it would launch the kernel.
 * - 0xD94 is TPC_CMD. A writer issues TPC_CMD (cache invalidate) before the descriptor
 *   burst, which then leaves tid_size_dim_0 there; the model reads the register file
 *   as it stands at the TPC_EXECUTE write.
 *
 * Data types [I]: Gaudi's tensor_config.data_type is 3 bits holding codes 0..7; Gaudi2
 * adds FP16 = 8 [C SynapseAI_Core TensorDescriptor.h, enum TensorDataType], so the
 * field is taken as 4 bits (3:0; bit 3 is unused in the Gaudi layout, valid_dim_mask
 * starts at bit 8). fp8 has no public code: hlsim gives it 9, one byte per element.
 *
 * TPC count: the queue table has 25 TPC engines, DCORE d TPC t = 6d + t (0..23) and
 * the "PCI TPC" DCORE0 TPC6 = 24, a spare that stands in for a binned TPC
 * (GAUDI-FACTS.md §3.7: 24 TPCs, 25 on die). Workloads use engines 0..23 (user_tpcs).
 */
#include "models/gaudi/gaudi_tpc.h"
#include "models/gaudi2/gaudi2P.h"
#include "models/gaudi2/gaudi2_tpc.h"

/* tensor_config.data_type -> element type (see the top of the file). */
static const struct mdl_tpc_dtype gaudi2_tpc_dtypes[10] = {
	[0] = { "int8", 1 }, /* TensorDT_INT8 */
	[1] = { "int16", 2 }, /* TensorDT_INT16 */
	[2] = { "int32", 4 }, /* TensorDT_INT32 */
	[3] = { "uint8", 1 }, /* TensorDT_UINT8 */
	[4] = { "uint16", 2 }, /* TensorDT_UINT16 */
	[5] = { "uint32", 4 }, /* TensorDT_UINT32 */
	[6] = { "bf16", 2 }, /* TensorDT_BF16 */
	[7] = { "fp32", 4 }, /* TensorDT_FP32 */
	[8] = { "fp16", 2 }, /* TensorDT_FP16 [C] */
	[9] = { "fp8", 1 }, /* [I] hlsim's code: no public one */
};

/* Gaudi's tid_base_dim_0: TPC_CMD and TPC_EXECUTE follow it on Gaudi2. */
#define G_QM_TID_BASE_DIM_0 0xD90u

_Static_assert(G_QM_TID_BASE_DIM_0 + 4 == GAUDI2_TPC_CFG_TPC_CMD &&
		       G_QM_TID_BASE_DIM_0 + 8 == GAUDI2_TPC_CFG_TPC_EXECUTE,
	       "TPC_CMD and TPC_EXECUTE are tid_size_dim_0 and tid_base_dim_1 of the Gaudi layout");

struct mdl_tpc_layout gaudi2_tpc_layout;

void gaudi2_tpc_init(void)
{
	gaudi2_tpc_layout = gaudi_tpc_layout; /* the Gaudi descriptor at the Gaudi offsets */
	/* tensor_config: data_type[3:0] [I] (Gaudi: [2:0]) */
	gaudi2_tpc_layout.cfg_dtype_mask = 0xF;
	gaudi2_tpc_layout.dtypes = gaudi2_tpc_dtypes;
	gaudi2_tpc_layout.num_dtypes = sizeof(gaudi2_tpc_dtypes) / sizeof(gaudi2_tpc_dtypes[0]);
	/* [I] as on Gaudi: the upper half of the DCORE0 sync manager's SOB_OBJ_0 */
	gaudi2_tpc_layout.sm_base_high_driver =
		(uint32_t)((GAUDI2_CFG_BASE + GAUDI2_SM_DCORE0_SOB0) >> 32);
	gaudi2_tpc_layout.tpc_cmd = GAUDI2_TPC_CFG_TPC_CMD;
	gaudi2_tpc_layout.tpc_execute = GAUDI2_TPC_CFG_TPC_EXECUTE;
	/* Gaudi's tpc_cmd_invalidate, kernel_config_runtime and 8 KiB alignment are kept [I] */
	gaudi2_tpc_layout.tid_base_absent_mask = 1u << 1; /* 0xD98 is TPC_EXECUTE */
	gaudi2_tpc_layout.user_tpcs = 24;
}
