/**
 * models/gaudi/gaudiP.h - private facts and helpers of the Gaudi (HL-205) model.
 *
 * Included only by the files of models/gaudi/ (and the file generated from
 * gaudi-registers.txt at build time). Everything else reaches Gaudi through the
 * function table returned by gaudi_get_asic_funcs().
 *
 * Sources (GAUDI-FACTS.md): packet layouts §2.1-2.2 (hl-thunk gaudi_packets.h, MIT),
 * sync-manager layout §2.4, queues and QMANs §3.1-3.2, engine blocks §3.5, memory map
 * (include/gaudi/gaudi.h, gaudiP.h of the habanalabs driver: numbers only).
 * Confidence tags: [C] confirmed in a named source, [I] inferred (reason given).
 *
 * QMAN numbering of this model (a model choice; the driver has no such number):
 *
 *   qman  0..7   DMA0..DMA7   (DMA0, DMA1 = PCI DMA, external queues)
 *   qman  8      "MME0"       QMAN of queues MME_0_x, the MME2_QM block (N-W) [C]
 *   qman  9      "MME1"       QMAN of queues MME_1_x, the MME0_QM block (S-W) [C]
 *   qman 10..17  TPC0..TPC7
 *   qman 18..27  NIC0..NIC9   (NIC n = macro n/2, QM n%2)
 *
 * The CPU queue (id 8) has no QMAN: qman_of_queue() returns GAUDI_QMAN_NONE for it.
 *
 * Sync-manager block numbering of this model: 0 = E_N, 1 = W_N, 2 = E_S, 3 = W_S (the
 * driver's name order, which is the reverse of the hardware index order [C GAUDI.C
 * gaudi_sync_manager_names]).
 */
#ifndef HLSIM_MDL_GAUDIP_H
#define HLSIM_MDL_GAUDIP_H

#include <stddef.h>
#include <stdint.h>

#include <misc/habanalabs.h>

#include "models/common/asic.h"

/* {==== Memory map [C include/gaudi/gaudi.h, gaudiP.h] ==== */
#define GAUDI_CFG_BASE 0x7FFC000000ull
#define GAUDI_CFG_SIZE_BYTES 0x4000000ull /* 32 MiB CFG + 32 MiB debug */
#define GAUDI_SRAM_BASE 0x7FF0000000ull
#define GAUDI_SRAM_SIZE_BYTES 0x1400000ull /* 20 MiB */
#define GAUDI_SRAM_USER_OFFSET 0x80ull /* GAUDI_DRIVER_SRAM_RESERVED_SIZE_FROM_START */
#define GAUDI_DRAM_PHYS_BASE 0x0ull
#define GAUDI_DRAM_SIZE_BYTES 0x800000000ull /* GAUDI_HBM_SIZE_32GB */
#define GAUDI_DRAM_USER_BASE 0x20000000ull /* DRAM_BASE_ADDR_USER: driver keeps 512 MiB */
#define GAUDI_HOST_PHYS_BASE 0x8000000000ull /* host memory, MMU bypass (0.5 TB) */
#define GAUDI_HOST_PHYS_SIZE_BYTES 0x1000000000000ull /* 48 bits */
/*
 * Host memory through the PMMU. The brief fixes 256 TiB (VA_HOST_SPACE_END
 * 0x2000000000000 of the older driver); the mainline driver ends it at 0x3FF8000000000.
 */
#define GAUDI_VA_HOST_BASE 0x1000000000000ull
#define GAUDI_VA_HOST_SIZE_BYTES 0x1000000000000ull /* 256 TiB */
#define GAUDI_CACHE_LINE_BYTES 128u /* DEVICE_CACHE_LINE_SIZE */
/* ====} */

/* {==== Sync manager [C gaudi_regs.h, SYNCORE block_sob_objs; GAUDI-FACTS §2.4] ==== */
#define GAUDI_SM_BLOCKS 4u
#define GAUDI_SM_E_N 0u
#define GAUDI_SM_W_N 1u
#define GAUDI_SM_E_S 2u
#define GAUDI_SM_W_S 3u
/* SOB_OBJ_0 of each block, relative to CFG_BASE, indexed by the model's block number. */
#define GAUDI_SM_E_N_SOB0 0x4F2000u
#define GAUDI_SM_W_N_SOB0 0x4D2000u
#define GAUDI_SM_E_S_SOB0 0x4B2000u
#define GAUDI_SM_W_S_SOB0 0x492000u
#define GAUDI_SM_SOBS 2048u
#define GAUDI_SM_MONS 512u
#define GAUDI_SM_MON_MAX_SOBS 8u /* MONITOR_MAX_SOBS */
#define GAUDI_SOB_VALUE_MASK 0x7FFFu /* 15-bit SOB value */
/* Register arrays of a block, relative to its SOB_OBJ_0. */
#define GAUDI_SM_OFF_SOB 0x0000u
#define GAUDI_SM_OFF_MON_PAY_ADDRL 0x2000u
#define GAUDI_SM_OFF_MON_PAY_ADDRH 0x2800u
#define GAUDI_SM_OFF_MON_PAY_DATA 0x3000u
#define GAUDI_SM_OFF_MON_ARM 0x3800u
#define GAUDI_SM_OFF_MON_STATUS 0x4000u
#define GAUDI_SM_SPAN_BYTES 0x4800u /* SOB_OBJ_0 .. last MON_STATUS */

/* SOB value (so_upd) and MON_ARM layouts. */
#define GAUDI_SOB_ADD_BIT 0x80000000u /* mode bit31: 1 = add, 0 = set */
#define GAUDI_MON_ARM_GROUP_MASK 0x000000FFu
#define GAUDI_MON_ARM_MASK_SHIFT 8
#define GAUDI_MON_ARM_MODE_BIT 0x00010000u /* 0: >=, 1: == */
#define GAUDI_MON_ARM_VALUE_SHIFT 17
/* ====} */

/* {==== QMANs [C SYNCORE block_qman, THUNK gaudi_blocks.h; GAUDI-FACTS §3.2] ==== */
#define GAUDI_NUM_QMANS 28u
#define GAUDI_QMAN_NONE UINT32_MAX /* qman_of_queue() of the CPU queue and bad ids */
#define GAUDI_QMAN_DMA0 0u
#define GAUDI_QMAN_MME0 8u
#define GAUDI_QMAN_TPC0 10u
#define GAUDI_QMAN_NIC0 18u
#define GAUDI_QMAN_STREAMS 4u
#define GAUDI_QMAN_CPS 5u /* 4 upper CPs (one per stream) + the lower CP (index 4) */
#define GAUDI_QMAN_FENCES 4u
#define GAUDI_QM_BLOCK_ALIGN 0x2000u /* every QM block starts on an 8 KiB boundary */
#define GAUDI_QM_CP_FENCE0_RDATA 0x308u /* CP_FENCE0_RDATA_0 */
#define GAUDI_QM_FENCE_STRIDE 0x14u /* CP_FENCE<n+1>_RDATA_0 - CP_FENCE<n>_RDATA_0 */
#define GAUDI_QM_CP_STRIDE 0x4u /* _RDATA_<cp+1> - _RDATA_<cp> */
/* Block bases relative to CFG_BASE. */
#define GAUDI_DMA0_CORE 0x500000u
#define GAUDI_DMA0_QM 0x508000u
#define GAUDI_DMA_STRIDE 0x20000u
#define GAUDI_MME0_CTRL 0x060000u /* block of the MME_1_x queues */
#define GAUDI_MME0_QM 0x068000u
#define GAUDI_MME2_CTRL 0x160000u /* block of the MME_0_x queues */
#define GAUDI_MME2_QM 0x168000u
#define GAUDI_TPC0_CFG 0xE06000u
#define GAUDI_TPC0_QM 0xE08000u
#define GAUDI_TPC_STRIDE 0x40000u
#define GAUDI_NIC0_QM0 0xCE0000u
#define GAUDI_NIC_QM1_OFFSET 0x2000u /* NIC0_QM1 - NIC0_QM0 */
#define GAUDI_NIC_MACRO_STRIDE 0x40000u
/* ====} */

/* {==== Engine block registers the simulator needs [C SYNCORE dma_core_regs.h, tpc_regs.h] ==== */
#define GAUDI_DMA_CORE_SRC_BASE_LO 0x14u
#define GAUDI_DMA_CORE_SRC_BASE_HI 0x18u
#define GAUDI_DMA_CORE_DST_BASE_LO 0x1Cu
#define GAUDI_DMA_CORE_DST_BASE_HI 0x20u
#define GAUDI_DMA_CORE_DST_TSIZE_0 0x74u
#define GAUDI_DMA_CORE_DST_TSIZE_1 0x54u /* DST_TSIZE_k at 0x54 + 8 (k - 1), k = 1..4 */
#define GAUDI_DMA_CORE_COMMIT 0x78u
#define GAUDI_DMA_CORE_WR_COMP_WDATA 0x7Cu
#define GAUDI_DMA_CORE_WR_COMP_ADDR_LO 0x80u
#define GAUDI_DMA_CORE_WR_COMP_ADDR_HI 0x84u
#define GAUDI_TPC_CFG_TPC_EXECUTE 0x938u
#define GAUDI_MME_CTRL_CMD 0x280u
/* WREG reg_offset is a 16-bit byte offset: the register file kept per engine. */
#define GAUDI_ENGINE_BLOCK_BYTES 0x10000u
/* ====} */

/*
 * {==== Completion: CQ and MSI (driver epilogue of external queues) ====
 * [I] model addresses. The real CQ is a driver DMA allocation in host memory (the
 * packet targets the CQ entry at the CQ's producer index) and the real MSI request is a
 * PCIe register; neither is visible to a trace. The model gives each of the 8 external
 * queues (ids 0..7, one CQ each: NUMBER_OF_CMPLT_QUEUES) a 4096-entry ring of 4-byte
 * entries in host physical memory, and one MSI request word, so that classify_target()
 * can recognise the two MSG_PROT writes. The epilogue writes entry 0 of the ring.
 */
#define GAUDI_NUM_CQS 8u
#define GAUDI_MODEL_CQ_BASE (GAUDI_HOST_PHYS_BASE + 0x10000000ull)
#define GAUDI_MODEL_CQ_STRIDE_BYTES 0x4000ull /* HL_CQ_LENGTH (4096) x 4 B */
#define GAUDI_MODEL_MSI_ADDR (GAUDI_MODEL_CQ_BASE + GAUDI_NUM_CQS * GAUDI_MODEL_CQ_STRIDE_BYTES)
#define GAUDI_CQ_ENTRY_READY 0x80000000u
#define GAUDI_CQ_ENTRY_SHADOW_VALID 0x40000000u
#define GAUDI_CQ_ENTRY_SHADOW_MASK 0x00000FFFu
/* ====} */

/* {==== Packets [C THUNK-PKT gaudi_packets.h] ==== */
enum gaudi_packet_id {
	GAUDI_PKT_WREG_32 = 0x1,
	GAUDI_PKT_WREG_BULK = 0x2,
	GAUDI_PKT_MSG_LONG = 0x3,
	GAUDI_PKT_MSG_SHORT = 0x4,
	GAUDI_PKT_CP_DMA = 0x5,
	GAUDI_PKT_REPEAT = 0x6,
	GAUDI_PKT_MSG_PROT = 0x7,
	GAUDI_PKT_FENCE = 0x8,
	GAUDI_PKT_LIN_DMA = 0x9,
	GAUDI_PKT_NOP = 0xA,
	GAUDI_PKT_STOP = 0xB,
	GAUDI_PKT_ARB_POINT = 0xC,
	GAUDI_PKT_WAIT = 0xD,
	GAUDI_PKT_LOAD_AND_EXE = 0xF,
	GAUDI_PKT_ID_COUNT = 0x20, /* the opcode field is 5 bits */
};

#define GAUDI_PKT_CTL_OPCODE_SHIFT 24
#define GAUDI_PKT_CTL_OPCODE_MASK 0x1F000000u
#define GAUDI_PKT_CTL_EB 0x20000000u
#define GAUDI_PKT_CTL_RB 0x40000000u
#define GAUDI_PKT_CTL_MB 0x80000000u
#define GAUDI_PKT_CTL_PRED_MASK 0x0000001Fu
#define GAUDI_PKT_MSG_PROT_BYTES 16u
/* ====} */

/**
 * struct gaudi_reg_entry - one named register of an engine block.
 * @offset: byte offset from the block base.
 * @name: "qm_tensor_3.dim_2_stride", "commit".
 */
struct gaudi_reg_entry {
	uint32_t offset;
	const char *name;
};

/**
 * struct gaudi_reg_table - the registers of one block, sorted by offset (unique).
 * @entries: @count entries.
 * @count: number of entries.
 * @block: section name in gaudi-registers.txt ("block_tpc").
 */
struct gaudi_reg_table {
	const struct gaudi_reg_entry *entries;
	uint32_t count;
	const char *block;
};

/*
 * Generated at build time from gaudi-registers.txt by gen_regnames.cmake, one table per
 * "## " section of the file, arrays expanded.
 */
extern const struct gaudi_reg_table gaudi_regs_block_tpc;
extern const struct gaudi_reg_table gaudi_regs_block_dma_core;
extern const struct gaudi_reg_table gaudi_regs_block_qman;
extern const struct gaudi_reg_table gaudi_regs_block_sob_objs;
extern const struct gaudi_reg_table gaudi_regs_mme_ctrl_block;

/* gaudi_regs.c */
/** gaudi_reg_lookup - name of the register at @offset of @table (bsearch), or NULL. */
const char *gaudi_reg_lookup(const struct gaudi_reg_table *table, uint32_t offset);
/** gaudi_reg_name - the reg_name hook: DMA core, TPC CFG or MME CTRL names by class. */
const char *gaudi_reg_name(enum mdl_engine_class engine_class, uint32_t offset);
/** gaudi_reg_table_of - the WREG register table of an engine class, or NULL. */
const struct gaudi_reg_table *gaudi_reg_table_of(enum mdl_engine_class engine_class);

/* gaudi_packets.c */
/** gaudi_decode - the decode hook (see struct mdl_asic_funcs). */
hlsim_err_t gaudi_decode(const uint8_t *cb, size_t cb_size, size_t off, struct hlsim_cmd *out);

/* gaudi_engines.c: the engine_launch hook (TPC and MME timing models). */
hlsim_err_t gaudi_engine_launch(enum mdl_engine_class cls, const uint32_t *regs,
				const struct mdl_engine_cfg *ec, const struct mdl_cost_hint *hint,
				struct mdl_work *out);
/** gaudi_encode - the encode hook (see struct mdl_asic_funcs). */
size_t gaudi_encode(const struct hlsim_cmd *cmd, uint8_t *out, size_t cap);
/** gaudi_opcode_name - the opcode_name hook. */
const char *gaudi_opcode_name(uint8_t opcode);

#endif /* HLSIM_MDL_GAUDIP_H */
