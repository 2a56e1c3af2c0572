/*
 * models/gaudi2/gaudi2_regs.c - names of the Gaudi2 engine registers this model defines,
 * for the reg_name hook (disassembly, error messages).
 *
 * No Gaudi2 register file is in the repository, so only the registers the model uses or
 * knows exactly are named: the DMA core context (CTX) registers that a LIN_DMA or a
 * COMMIT programs, the TPC launch registers and the MME CTRL_LO command registers.
 * Offsets are from the engine block that follows the QMAN's QM block (gaudi2P.h) [C
 * K-REGS: DCORE0_EDMA0_CORE_CTX at 0x41CB860..0x41CB8EC in block 0x41CB000, TPC_CMD and
 * TPC_EXECUTE at 0x400BD94/8 in block 0x400B000, MME CTRL_LO ARCH_STATUS/CMD at
 * 0x40CB000/4]. PDMA cores share the DMA_CORE prototype [I]. NIC, rotator and CPU
 * registers are not named. Every other offset gives NULL.
 */
#include <stdlib.h>

#include "models/gaudi2/gaudi2P.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* DMA core CTX block, sorted by offset [C K-REGS dcore0_edma0_core_ctx_regs.h]. */
static const struct gaudi2_reg_entry dma_regs[] = {
	{ 0x860, "ctx.rate_lim_tkn" },
	{ 0x864, "ctx.pwrlp" },
	{ 0x868, "ctx.te_numrows" },
	{ 0x86C, "ctx.idx" },
	{ 0x870, "ctx.idx_inc" },
	{ 0x874, "ctx.ctrl" },
	{ 0x878, "ctx.src_tsize_0" },
	{ 0x87C, "ctx.src_tsize_1" },
	{ 0x880, "ctx.src_stride_1" },
	{ 0x884, "ctx.src_tsize_2" },
	{ 0x888, "ctx.src_stride_2" },
	{ 0x88C, "ctx.src_tsize_3" },
	{ 0x890, "ctx.src_stride_3" },
	{ 0x894, "ctx.src_tsize_4" },
	{ 0x898, "ctx.src_stride_4" },
	{ 0x89C, "ctx.dst_tsize_1" },
	{ 0x8A0, "ctx.dst_stride_1" },
	{ 0x8A4, "ctx.dst_tsize_2" },
	{ 0x8A8, "ctx.dst_stride_2" },
	{ 0x8AC, "ctx.dst_tsize_3" },
	{ 0x8B0, "ctx.dst_stride_3" },
	{ 0x8B4, "ctx.dst_tsize_4" },
	{ 0x8B8, "ctx.dst_stride_4" },
	{ GAUDI2_DMA_CTX_WR_COMP_ADDR_HI, "ctx.wr_comp_addr_hi" },
	{ GAUDI2_DMA_CTX_WR_COMP_ADDR_LO, "ctx.wr_comp_addr_lo" },
	{ GAUDI2_DMA_CTX_WR_COMP_WDATA, "ctx.wr_comp_wdata" },
	{ 0x8C8, "ctx.src_offset_lo" },
	{ 0x8CC, "ctx.src_offset_hi" },
	{ 0x8D0, "ctx.dst_offset_lo" },
	{ 0x8D4, "ctx.dst_offset_hi" },
	{ GAUDI2_DMA_CTX_SRC_BASE_LO, "ctx.src_base_lo" },
	{ GAUDI2_DMA_CTX_SRC_BASE_HI, "ctx.src_base_hi" },
	{ GAUDI2_DMA_CTX_DST_BASE_LO, "ctx.dst_base_lo" },
	{ GAUDI2_DMA_CTX_DST_BASE_HI, "ctx.dst_base_hi" },
	{ GAUDI2_DMA_CTX_DST_TSIZE_0, "ctx.dst_tsize_0" },
	{ GAUDI2_DMA_CTX_COMMIT, "ctx.commit" },
};

/* TPC CFG block [C K-REGS]. */
static const struct gaudi2_reg_entry tpc_regs[] = {
	{ GAUDI2_TPC_CFG_TPC_CMD, "tpc_cmd" },
	{ GAUDI2_TPC_CFG_TPC_EXECUTE, "tpc_execute" },
};

/* MME CTRL_LO block [C K-REGS]. */
static const struct gaudi2_reg_entry mme_regs[] = {
	{ GAUDI2_MME_CTRL_LO_ARCH_STATUS, "arch_status" },
	{ GAUDI2_MME_CTRL_LO_CMD, "cmd" },
};

static int cmp_offset(const void *key, const void *elem)
{
	uint32_t k = *(const uint32_t *)key;
	uint32_t o = ((const struct gaudi2_reg_entry *)elem)->offset;

	return k < o ? -1 : k > o;
}

const char *gaudi2_reg_name(enum mdl_engine_class engine_class, uint32_t offset)
{
	const struct gaudi2_reg_entry *table = NULL, *e;
	size_t n = 0;

	switch (engine_class) {
	case MDL_ENGINE_DMA:
		table = dma_regs;
		n = ARRAY_SIZE(dma_regs);
		break;
	case MDL_ENGINE_TPC:
		table = tpc_regs;
		n = ARRAY_SIZE(tpc_regs);
		break;
	case MDL_ENGINE_MME:
		table = mme_regs;
		n = ARRAY_SIZE(mme_regs);
		break;
	case MDL_ENGINE_NIC:
	case MDL_ENGINE_CPU:
	case MDL_ENGINE_CLASS_COUNT_:
		break;
	}
	if (!table)
		return NULL;
	e = bsearch(&offset, table, n, sizeof(*table), cmp_offset);
	return e ? e->name : NULL;
}
