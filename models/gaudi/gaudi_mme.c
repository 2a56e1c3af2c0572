/*
 * models/gaudi/gaudi_mme.c - the Gaudi (HL-205) MME descriptor layout: byte offsets
 * in the MME CTRL block (MME0_CTRL and MME2_CTRL share them) of the ARCH registers
 * that the hlsim MME interpretation reads.
 *
 * Offsets [C]: hl-thunk mme0_ctrl_regs.h, as listed at the end of gaudi-registers.txt
 * (GAUDI-FACTS.md §3.5). What the registers mean is hlsim's interpretation [I]
 * (models/common/mme.c, sim/MODEL.md "MME").
 *
 * Master/slave pairing [C GAUDI.C, I for the timing]: queues MME_0_x drive the MME2
 * block (master of the MME2 + MME3 pair), MME_1_x the MME0 block (master of MME0 +
 * MME1). One launch on either QMAN runs its whole pair, which the model treats as one
 * array of mme.array_rows x mme.array_cols; the "local"/"remote" AGU and sync-object
 * registers address the master's and slave's halves, so the interpretation uses only
 * the local sync object. Both MME QMANs are masters: logical MME i is engine i.
 */
#include "models/gaudi/gaudi_mme.h"

#define VE(x) /* ARCH_TENSOR_x_VALID_ELEMENTS_0..4 */                                     \
	{ GAUDI_MME_TENSOR_##x##_VE0, GAUDI_MME_TENSOR_##x##_VE0 + 4,                      \
	  GAUDI_MME_TENSOR_##x##_VE0 + 8, GAUDI_MME_TENSOR_##x##_VE0 + 12,                 \
	  GAUDI_MME_TENSOR_##x##_VE0 + 16 }

/* Offsets in the MME CTRL block [C mme0_ctrl_regs.h]. */
#define GAUDI_MME_TENSOR_S_VE0 0x03cu /* ARCH_TENSOR_S_VALID_ELEMENTS_0 */
#define GAUDI_MME_TENSOR_L_VE0 0x0acu /* ARCH_TENSOR_L_VALID_ELEMENTS_0 */
#define GAUDI_MME_TENSOR_O_VE0 0x140u /* ARCH_TENSOR_O_VALID_ELEMENTS_0 */

const struct mdl_mme_layout gaudi_mme_layout = {
	.name = "gaudi MME CTRL",
	.desc_first = 0x008, /* ARCH_BASE_ADDR_HIGH_S: ARCH_STATUS at 0x000 is read-only */
	.desc_end = 0x228, /* after ARCH_DESC_DUMMY (0x224) */
	.cmd = 0x280, /* CMD (MME_CTRL_CMD) */
	.base_high = { 0x008, 0x00c, 0x010 }, /* ARCH_BASE_ADDR_HIGH_S, _L, _O */
	.base_low = { 0x014, 0x018, 0x01c }, /* ARCH_BASE_ADDR_LOW_S, _L, _O */
	.header_low = 0x020, /* ARCH_HEADER_LOW */
	.header_high = 0x024, /* ARCH_HEADER_HIGH */
	.valid_elements = { VE(S), VE(L), VE(O) },
	.spatial_stride0 = {
		0x074, /* ARCH_TENSOR_S_SPATIAL_STRIDES_0 */
		0x0e4, /* ARCH_TENSOR_L_SPATIAL_STRIDES_0 */
		0x178, /* ARCH_TENSOR_O_SPATIAL_STRIDES_0 */
	},
	.spatial_stride12 = {
		{ 0x078, 0x07c }, /* ARCH_TENSOR_S_SPATIAL_STRIDES_1, _2 */
		{ 0x0e8, 0x0ec }, /* ARCH_TENSOR_L_SPATIAL_STRIDES_1, _2 */
		{ 0x17c, 0x180 }, /* ARCH_TENSOR_O_SPATIAL_STRIDES_1, _2 */
	},
	.conv_assoc_low = 0x02c, /* ARCH_CONV_ASSOCIATED_DIMS_LOW */
	.conv_assoc_high = 0x030, /* ARCH_CONV_ASSOCIATED_DIMS_HIGH */
	.conv_kernel_size_m1 = 0x028, /* ARCH_CONV_KERNEL_SIZE_MINUS_1 */
	.num_iterations_m1 = 0x034, /* ARCH_NUM_ITERATIONS_MINUS_1 */
	.outer_loop = 0x038, /* ARCH_OUTER_LOOP */
	.sync_addr_low_local = 0x1dc, /* ARCH_DESC_SYNC_OBJECT_ADDR_LOW_LOCAL */
	.sync_addr_low_remote = 0x1e0, /* ARCH_DESC_SYNC_OBJECT_ADDR_LOW_REMOTE */
	.sync_addr_high = 0x1e4, /* ARCH_DESC_SYNC_OBJECT_ADDR_HIGH */
	.sync_data = 0x1e8, /* ARCH_DESC_SYNC_OBJECT_DATA */
	.num_logical = 2,
	.logical_engine = { 0, 1 }, /* MME_0_x (MME2+3), MME_1_x (MME0+1) */
};
