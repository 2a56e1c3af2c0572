/*
 * models/gaudi/gaudi_tpc.c - the Gaudi (HL-205) TPC descriptor layout.
 *
 * Offsets are those of block_tpc in gaudi-registers.txt (computed from the MIT
 * SynapseAI_Core tpc_regs.h, GAUDI-FACTS.md §3.5): the "qm" copy of the descriptor at
 * 0xA00 that a TPC queue writes before TPC_EXECUTE, 16 tensors x 56 bytes, then
 * qm_sync_object {message 0xD80, addr 0xD84} and the non-tensor descriptor from 0xD88
 * up to qm.srf[31] at 0xE3C: 1088 bytes in all, which SynapseAI_Core writes with one
 * register burst (runner AddTclSeq at qm_tensor_0). tests/unit/test_tpc_layout.c
 * checks every offset below against the register names generated from that file.
 *
 * Data type codes (tensor_config.data_type, 3 bits) [C SynapseAI_Core
 * external_includes/TensorDescriptor.h enum TensorDataType, and the graph compiler's
 * Gaudi descriptor generator, which writes the same codes into tensor_config]:
 * 0 int8, 1 int16, 2 int32, 3 uint8, 4 uint16, 5 uint32, 6 bf16, 7 fp32. FP16 (code 8)
 * exists only from Gaudi2 on and does not fit the 3-bit field.
 *
 * The sync object's address register holds bits 31:0 only; bits 63:32 come from
 * SM_BASE_ADDRESS_HIGH (0x92C), which the driver sets at init to the upper half of
 * the E_N sync manager's SOB_OBJ_0 address [C GAUDI.C gaudi_init_tpc_qmans] and
 * SynapseAI_Core also writes before each launch.
 */
#include "models/gaudi/gaudi_tpc.h"
#include "models/gaudi/gaudiP.h"

/* tensor_config.data_type -> element type, indexed by the code (TensorDataType). */
static const struct mdl_tpc_dtype gaudi_tpc_dtypes[8] = {
	[0] = { "int8", 1 }, /* TensorDT_INT8 */
	[1] = { "int16", 2 }, /* TensorDT_INT16 */
	[2] = { "int32", 4 }, /* TensorDT_INT32 */
	[3] = { "uint8", 1 }, /* TensorDT_UINT8 */
	[4] = { "uint16", 2 }, /* TensorDT_UINT16 */
	[5] = { "uint32", 4 }, /* TensorDT_UINT32 */
	[6] = { "bf16", 2 }, /* TensorDT_BF16 */
	[7] = { "fp32", 4 }, /* TensorDT_FP32 */
};

#define GAUDI_TPC_QM_TENSOR_0 0xA00u
#define GAUDI_TPC_TENSOR_BYTES 0x38u
#define GAUDI_TPC_NUM_TENSORS 16u
#define GAUDI_TPC_QM_SYNC_OBJECT_MESSAGE 0xD80u
#define GAUDI_TPC_QM_SRF_0 0xDC0u
#define GAUDI_TPC_NUM_SRFS 32u

_Static_assert(GAUDI_TPC_QM_TENSOR_0 + GAUDI_TPC_NUM_TENSORS * GAUDI_TPC_TENSOR_BYTES ==
		       GAUDI_TPC_QM_SYNC_OBJECT_MESSAGE,
	       "the sync object follows the 16 tensor descriptors");
_Static_assert(GAUDI_TPC_QM_SRF_0 + 4 * GAUDI_TPC_NUM_SRFS - GAUDI_TPC_QM_TENSOR_0 == 1088,
	       "the descriptor is 1088 bytes (GAUDI-FACTS.md §3.5)");

const struct mdl_tpc_layout gaudi_tpc_layout = {
	.tensor0 = GAUDI_TPC_QM_TENSOR_0,
	.tensor_stride_bytes = GAUDI_TPC_TENSOR_BYTES,
	.num_tensors = GAUDI_TPC_NUM_TENSORS,
	.t_base_lo = 0x00,
	.t_base_hi = 0x04,
	.t_padding = 0x08,
	.t_config = 0x0C,
	.t_dim0_size = 0x10,
	.t_dim0_stride = 0x14,
	.t_dim_pair_bytes = 0x08,
	.num_dims = 5,
	/* tensor_config: data_type[2:0] valid_dim_mask[12:8] last_dim[18:16] */
	.cfg_dtype_shift = 0,
	.cfg_dtype_mask = 0x7,
	.cfg_valid_dims_shift = 8,
	.cfg_valid_dims_mask = 0x1F,
	.cfg_last_dim_shift = 16,
	.cfg_last_dim_mask = 0x7,
	.dtypes = gaudi_tpc_dtypes,
	.num_dtypes = 8,

	.so_message = GAUDI_TPC_QM_SYNC_OBJECT_MESSAGE,
	.so_addr = 0xD84,
	.sm_base_high = 0x92C,
	.sm_base_high_driver = (uint32_t)((GAUDI_CFG_BASE + GAUDI_SM_E_N_SOB0) >> 32),
	.kernel_base_lo = 0xD88,
	.kernel_base_hi = 0xD8C,
	.tid_base0 = 0xD90,
	.tid_size0 = 0xD94,
	.tid_pair_bytes = 0x08,
	.kernel_config = 0xDB8,
	.kernel_id = 0xDBC,
	.srf0 = GAUDI_TPC_QM_SRF_0,
	.num_srfs = GAUDI_TPC_NUM_SRFS,

	.desc_first = GAUDI_TPC_QM_TENSOR_0,
	.desc_bytes = GAUDI_TPC_QM_SRF_0 + 4 * GAUDI_TPC_NUM_SRFS - GAUDI_TPC_QM_TENSOR_0,
	.tpc_cmd = 0x930,
	.tpc_execute = GAUDI_TPC_CFG_TPC_EXECUTE,
	/* icache, dcache, lcache and tcache invalidate [C SynapseAI_Core GenTpcCmd] */
	.tpc_cmd_invalidate = 0xF,
	/*
	 * rd_rate_limit_rst_token[15:8] = 0x8 and wr_rate_limit_rst_token[23:16] = 0x6, the
	 * values SynapseAI_Core keeps ("don't change rate limiter"); small_vlm[0] and
	 * num_valid_srfs[7:2] 0: no lookup tables, no scalar parameters.
	 */
	.kernel_config_runtime = 0x8u << 8 | 0x6u << 16,
	/* "ISA requires 13 bit alignment in order to apply ICACHE prefetch" [C SynapseAI_Core] */
	.kernel_align_bytes = 0x2000,
};
