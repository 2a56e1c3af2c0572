/*
 * models/gaudi/gaudi_regs.c - register names of the Gaudi engine blocks that WREG_32 and
 * WREG_BULK packets write (GAUDI-FACTS §3.5): the DMA core block for DMA QMANs, the TPC
 * CFG block for TPC QMANs, the MME CTRL block for MME QMANs. NIC QMANs write NIC
 * registers, whose map is not published: no names for them.
 *
 * The tables are generated at build time from gaudi-registers.txt (gen_regnames.cmake),
 * sorted by offset, so a lookup is a binary search.
 */
#include <stdlib.h>

#include "models/gaudi/gaudiP.h"

static int cmp_offset(const void *key, const void *elem)
{
	uint32_t k = *(const uint32_t *)key;
	uint32_t o = ((const struct gaudi_reg_entry *)elem)->offset;

	return k < o ? -1 : k > o;
}

const char *gaudi_reg_lookup(const struct gaudi_reg_table *table, uint32_t offset)
{
	const struct gaudi_reg_entry *e;

	if (!table || !table->count)
		return NULL;
	e = bsearch(&offset, table->entries, table->count, sizeof(*table->entries), cmp_offset);
	return e ? e->name : NULL;
}

const struct gaudi_reg_table *gaudi_reg_table_of(enum mdl_engine_class engine_class)
{
	switch (engine_class) {
	case MDL_ENGINE_DMA:
		return &gaudi_regs_block_dma_core;
	case MDL_ENGINE_TPC:
		return &gaudi_regs_block_tpc;
	case MDL_ENGINE_MME:
		return &gaudi_regs_mme_ctrl_block;
	case MDL_ENGINE_NIC:
	case MDL_ENGINE_CPU:
	case MDL_ENGINE_CLASS_COUNT_:
		break;
	}
	return NULL;
}

const char *gaudi_reg_name(enum mdl_engine_class engine_class, uint32_t offset)
{
	return gaudi_reg_lookup(gaudi_reg_table_of(engine_class), offset);
}
