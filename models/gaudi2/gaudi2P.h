/**
 * models/gaudi2/gaudi2P.h - private facts and helpers of the Gaudi2 (HL-225) model.
 *
 * Included only by the files of models/gaudi2/. Everything else reaches Gaudi2 through
 * the function table returned by gaudi2_get_asic_funcs().
 *
 * Sources (numbers only; GAUDI-FACTS.md §1.4, §1.6, §2.3, §3.7 name them):
 *   THUNK-PKT   hl-thunk-open include/specs/gaudi2/gaudi2_packets.h (MIT): packet layouts;
 *   THUNK-SPEC  hl-thunk-open include/specs/gaudi2/gaudi2.h and asic_reg/ (MIT): memory
 *               map, dcore0_sync_mngr_objs_{regs,masks}.h, dcore0_tpc{0,1}_qm_regs.h,
 *               gaudi2_blocks.h (ROT0/1 QM, NIC1 QM0, NIC4 QM1 bases);
 *   THUNK-TEST  hl-thunk-open tests/gaudi2/hlthunk_tests_gaudi2.c (MIT): what CP_MSG_BASE0/1
 *               hold, TPC and EDMA numbering, long-SOB / long-monitor use;
 *   GAUDI2P.H   drivers/accel/habanalabs/gaudi2/gaudi2P.h (GPL; numbers only): host VA,
 *               DMA-core and TPC id enums, HL225 card name, reserved SOBs/monitors;
 *   K-REGS      the kernel's include/gaudi2/asic_reg headers (GPL; numbers only):
 *               DCORE0_EDMA0_CORE_CTX offsets, DCORE0_TPC0_CFG TPC_EXECUTE,
 *               DCORE0_MME_CTRL_LO CMD, DCORE0_EDMA1_QM / DCORE1_MME_QM / PDMA0_QM bases.
 * Confidence tags: [C] confirmed in a named source, [I] inferred (reason given).
 *
 * QMAN numbering of this model: qman = queue id / 4 (a model choice; 65 QMANs):
 *
 *   qman  0..1   PDMA0, PDMA1
 *   qman  2..11  DCORE0: EDMA0, EDMA1, MME, TPC0..TPC6  (TPC6 = the "PCI TPC")
 *   qman 12..20  DCORE1: EDMA0, EDMA1, MME, TPC0..TPC5
 *   qman 21..29  DCORE2: same
 *   qman 30..38  DCORE3: same
 *   qman 39..62  NIC0..NIC23   (NIC n = NIC macro n/2, QM n%2)
 *   qman 63..64  ROT0, ROT1
 *
 * The CPU queue (id 260) has no QMAN: qman_of_queue() returns GAUDI2_QMAN_NONE for it.
 * Sync-manager block numbering: block d = the sync manager of DCORE d.
 */
#ifndef HLSIM_MDL_GAUDI2P_H
#define HLSIM_MDL_GAUDI2P_H

#include <stddef.h>
#include <stdint.h>

#include <misc/habanalabs.h>

#include "models/common/asic.h"

/* {==== Memory map [C THUNK-SPEC gaudi2.h, GAUDI2P.H] ==== */
#define GAUDI2_CFG_BASE 0x1000007FF8000000ull
#define GAUDI2_CFG_SIZE_BYTES 0x8000000ull /* 96 MiB CFG + 32 MiB debug */
#define GAUDI2_SRAM_BASE 0x1000FFFFFD000000ull
#define GAUDI2_SRAM_SIZE_BYTES 0x3000000ull /* 48 MiB */
#define GAUDI2_SRAM_USER_OFFSET 0x0ull /* SRAM_USER_BASE_OFFSET */
#define GAUDI2_DRAM_PHYS_BASE 0x1001000000000000ull
#define GAUDI2_DRAM_SIZE_BYTES (96ull << 30) /* GAUDI2_HBM_NUM 6 x 16 GiB */
/*
 * The HBM virtual range (DMMU) starts just above the physical range and ends at
 * VA_HBM_SPACE_END [C GAUDI2P.H comment]. [I] With 96 GiB populated it starts at
 * DRAM_PHYS_BASE + 96 GiB (96 GiB is a multiple of every power-of-two DRAM page size up
 * to 32 GiB, so the driver's rounding does not move it). User DRAM is 96 GiB from there.
 */
#define GAUDI2_DMMU_BASE (GAUDI2_DRAM_PHYS_BASE + GAUDI2_DRAM_SIZE_BYTES)
#define GAUDI2_VA_HBM_END 0x1002000000000000ull
#define GAUDI2_HOST_PHYS0_BASE 0x0ull /* HOST_PHYS_BASE_0, 56 bits */
#define GAUDI2_HOST_PHYS0_SIZE_BYTES 0x0100000000000000ull
#define GAUDI2_HOST_PHYS1_BASE 0xFF00000000000000ull /* HOST_PHYS_BASE_1, to 2^64 */
#define GAUDI2_VA_HOST_BASE 0xFFF0000000000000ull /* VA_HOST_SPACE_PAGE_START */
#define GAUDI2_VA_HOST_SIZE_BYTES 0x1000000000000ull /* page + huge-page ranges */
#define GAUDI2_CACHE_LINE_BYTES 128u /* DEVICE_CACHE_LINE_SIZE */
/* ====} */

/* {==== Sync manager [C THUNK-SPEC dcore0_sync_mngr_objs_{regs,masks}.h] ==== */
#define GAUDI2_SM_BLOCKS 4u /* one per DCORE */
#define GAUDI2_SM_DCORE0_SOB0 0x4100000u /* mmDCORE0_SYNC_MNGR_OBJS_SOB_OBJ_0 */
/*
 * [I] DCORE d's sync manager is DCORE0's plus d x 0x200000, the DCORE stride measured on
 * the TPC0 QM (DCORE0 0x400A000, DCORE3 0x460A000) and MME QM (DCORE0 0x40CA000, DCORE1
 * 0x42CA000) blocks: only DCORE0's OBJS header is public.
 */
#define GAUDI2_DCORE_STRIDE 0x200000u
#define GAUDI2_SM_SOBS 8192u
#define GAUDI2_SM_MONS 2048u
#define GAUDI2_SM_MON_MAX_SOBS 8u /* MON_ARM mask is 8 bits: one 8-SOB group */
#define GAUDI2_SOB_VALUE_MASK 0x7FFFu /* SOB_OBJ VAL 14:0 */
/* Register arrays of a block, relative to its SOB_OBJ_0. */
#define GAUDI2_SM_OFF_SOB 0x0000u
#define GAUDI2_SM_OFF_MON_PAY_ADDRL 0x8000u
#define GAUDI2_SM_OFF_MON_PAY_ADDRH 0xA000u
#define GAUDI2_SM_OFF_MON_PAY_DATA 0xC000u
#define GAUDI2_SM_OFF_MON_ARM 0xE000u
#define GAUDI2_SM_OFF_MON_CONFIG 0x10000u
#define GAUDI2_SM_OFF_MON_STATUS 0x12000u /* [C] follows MON_CONFIG in the header, same stride */
#define GAUDI2_SM_SPAN_BYTES 0x14000u /* SOB_OBJ_0 .. last MON_STATUS */

/* SOB value (so_upd) and MON_ARM layouts [C THUNK-PKT, masks]. */
#define GAUDI2_SOB_ADD_BIT 0x80000000u /* INC: 1 = add, 0 = set */
#define GAUDI2_SOB_TRACE_EVICT_BIT 0x40000000u
#define GAUDI2_SOB_LONG_BIT 0x01000000u /* long_mode / LONG_SOB: 4 SOBs make a 60-bit one */
#define GAUDI2_MON_ARM_GROUP_MASK 0x000000FFu /* SID */
#define GAUDI2_MON_ARM_MASK_SHIFT 8
#define GAUDI2_MON_ARM_MODE_BIT 0x00010000u /* SOP: 0 >=, 1 == */
#define GAUDI2_MON_ARM_VALUE_SHIFT 17 /* SOD 31:17 */
/* MON_CONFIG: long_sob b0, cq_en b4, wr_num 6:5, lbw_en b8, msb_sid 19:16, long_high b31. */
#define GAUDI2_MON_CONFIG_MSB_SID_SHIFT 16
#define GAUDI2_MON_CONFIG_MSB_SID_MASK 0x000F0000u
/* ====} */

/* {==== QMANs [C THUNK-SPEC *_qm_regs.h, K-REGS, gaudi2_blocks.h] ==== */
#define GAUDI2_NUM_QMANS 65u
#define GAUDI2_QMAN_NONE UINT32_MAX
#define GAUDI2_QMAN_STREAMS 4u /* NUM_OF_PQ_PER_QMAN */
#define GAUDI2_QMAN_CPS 5u /* NUM_OF_CP_PER_QMAN: 4 upper CPs + the lower CP (index 4) */
#define GAUDI2_QMAN_FENCES 4u
#define GAUDI2_QM_BLOCK_ALIGN 0x1000u /* every QM block starts on a 4 KiB boundary */
#define GAUDI2_QM_CP_MSG_BASE0_ADDR_LO 0x1F0u /* CP_MSG_BASE0_ADDR_LO_0 */
#define GAUDI2_QM_CP_FENCE0_RDATA 0x290u /* CP_FENCE0_RDATA_0 */
#define GAUDI2_QM_FENCE_STRIDE 0x14u /* CP_FENCE<n+1>_RDATA_0 - CP_FENCE<n>_RDATA_0 */
#define GAUDI2_QM_CP_STRIDE 0x4u /* _RDATA_<cp+1> - _RDATA_<cp> */
/* QM block bases relative to CFG_BASE. */
#define GAUDI2_DCORE0_TPC0_QM 0x400A000u /* [C] */
#define GAUDI2_TPC_STRIDE 0x10000u /* [C] DCORE0 TPC1 QM 0x401A000 */
#define GAUDI2_DCORE0_MME_QM 0x40CA000u /* [C] (its CGM at 0x40CAD80) */
#define GAUDI2_DCORE0_EDMA0_QM 0x41CA000u /* [C] (its CGM at 0x41CAD80) */
#define GAUDI2_EDMA_STRIDE 0x10000u /* [C] DCORE0 EDMA1 QM 0x41DA000 */
#define GAUDI2_PDMA0_QM 0x4C8A000u /* [C] */
#define GAUDI2_PDMA_STRIDE 0x10000u /* [I] PDMA1 QM: the 0x10000 engine stride of EDMA/TPC/ROT */
#define GAUDI2_ROT0_QM 0x4E0A000u /* [C] */
#define GAUDI2_ROT_STRIDE 0x10000u /* [C] ROT1 QM 0x4E1A000 */
#define GAUDI2_NIC0_QM0 0x541A000u /* [C] from NIC1 QM0 0x549A000 and NIC4 QM1 0x563A000 */
#define GAUDI2_NIC_MACRO_STRIDE 0x80000u /* [C] same two points; NIC4 starts at 0x5600000 */
#define GAUDI2_NIC_QM1_OFFSET 0x20000u /* [C] same two points */
/* ====} */

/* {==== Engine blocks and the registers the model uses ==== */
/*
 * [I] WREG_32 / WREG_BULK reg_offset is a byte offset in the engine block that follows
 * the QMAN's QM block at +0x1000 (DMA core, TPC CFG, MME CTRL_LO), as on Gaudi where it
 * is the engine block owned by the QMAN; the 16-bit field covers 64 KiB.
 * Offsets within those blocks are [C K-REGS]: EDMA0 core CTX 0x41CB860..0x41CB8EC,
 * TPC0 CFG TPC_CMD/TPC_EXECUTE 0x400BD94/0x400BD98, MME CTRL_LO ARCH_STATUS/CMD
 * 0x40CB000/0x40CB004. PDMA cores share the DMA_CORE prototype [I].
 */
#define GAUDI2_ENGINE_BLOCK_BYTES 0x10000u
#define GAUDI2_DMA_CTX_RATE_LIM_TKN 0x860u
#define GAUDI2_DMA_CTX_DST_TSIZE_1 0x89Cu /* then DST_STRIDE_1, DST_TSIZE_2 at +8, ... */
#define GAUDI2_DMA_CTX_WR_COMP_ADDR_HI 0x8BCu
#define GAUDI2_DMA_CTX_WR_COMP_ADDR_LO 0x8C0u
#define GAUDI2_DMA_CTX_WR_COMP_WDATA 0x8C4u
#define GAUDI2_DMA_CTX_SRC_BASE_LO 0x8D8u
#define GAUDI2_DMA_CTX_SRC_BASE_HI 0x8DCu
#define GAUDI2_DMA_CTX_DST_BASE_LO 0x8E0u
#define GAUDI2_DMA_CTX_DST_BASE_HI 0x8E4u
#define GAUDI2_DMA_CTX_DST_TSIZE_0 0x8E8u
#define GAUDI2_DMA_CTX_COMMIT 0x8ECu
#define GAUDI2_TPC_CFG_TPC_CMD 0xD94u
#define GAUDI2_TPC_CFG_TPC_EXECUTE 0xD98u
#define GAUDI2_MME_CTRL_LO_ARCH_STATUS 0x000u
#define GAUDI2_MME_CTRL_LO_CMD 0x004u
/* ====} */

/*
 * {==== Completion of H/W queues ====
 * On Gaudi2 the driver patches nothing. [C GAUDI2P.H reserved SOB/monitor/CQ enums] The
 * QMAN itself signals the end of every job (PQ completion) on one of the 64 reserved
 * CS-completion SOBs of DCORE0, and a driver-armed monitor on it writes the completion
 * queue when all the CS's jobs are in. [I] The model collapses that chain into one
 * MSG_PROT per job, executed by the stream's CP after the job's CB: it waits for the
 * engine (EB) and earlier messages (MB), and writes entry 0 of a 4096-entry ring of
 * 4-byte entries that the model gives each H/W queue in host physical memory
 * (HOST_PHYS_BASE_0 + 256 MiB), which classify_target() reports as the CQ of that queue.
 */
#define GAUDI2_NUM_CQS GAUDI2_QUEUE_ID_CPU_PQ /* H/W queues 0..259 */
#define GAUDI2_MODEL_CQ_BASE (GAUDI2_HOST_PHYS0_BASE + 0x10000000ull)
#define GAUDI2_MODEL_CQ_STRIDE_BYTES 0x4000ull /* 4096 entries x 4 B */
#define GAUDI2_CQ_ENTRY_READY 0x80000000u
#define GAUDI2_CQ_ENTRY_JOB_MASK 0x0000FFFFu
/* ====} */

/* {==== Packets [C THUNK-PKT gaudi2_packets.h] ==== */
enum gaudi2_packet_id {
	GAUDI2_PKT_WREG_32 = 0x1,
	GAUDI2_PKT_WREG_BULK = 0x2,
	GAUDI2_PKT_MSG_LONG = 0x3,
	GAUDI2_PKT_MSG_SHORT = 0x4,
	GAUDI2_PKT_CP_DMA = 0x5,
	GAUDI2_PKT_REPEAT = 0x6,
	GAUDI2_PKT_MSG_PROT = 0x7,
	GAUDI2_PKT_FENCE = 0x8,
	GAUDI2_PKT_LIN_DMA = 0x9,
	GAUDI2_PKT_NOP = 0xA,
	GAUDI2_PKT_STOP = 0xB,
	GAUDI2_PKT_ARB_POINT = 0xC,
	GAUDI2_PKT_WAIT = 0xD,
	GAUDI2_PKT_CB_LIST = 0xE,
	GAUDI2_PKT_LOAD_AND_EXE = 0xF,
	GAUDI2_PKT_WRITE_ARC_STREAM = 0x10,
	GAUDI2_PKT_LAST_READ_FROM_ARC = 0x11, /* kernel only; layout not public */
	GAUDI2_PKT_WREG_64_SHORT = 0x12,
	GAUDI2_PKT_WREG_64_LONG = 0x13,
	GAUDI2_PKT_ID_COUNT = 0x20, /* the opcode field is 5 bits */
};

#define GAUDI2_PKT_CTL_OPCODE_SHIFT 24
#define GAUDI2_PKT_CTL_OPCODE_MASK 0x1F000000u
#define GAUDI2_PKT_CTL_EB 0x20000000u
#define GAUDI2_PKT_CTL_SWTC 0x40000000u /* 'swtc' in Gaudi2 names; the kernel's RB mask */
#define GAUDI2_PKT_CTL_MB 0x80000000u
#define GAUDI2_PKT_CTL_PRED_MASK 0x0000001Fu
#define GAUDI2_PKT_MSG_PROT_BYTES 16u
/* ====} */

/**
 * struct gaudi2_reg_entry - one named register of an engine block.
 * @offset: byte offset from the block base.
 * @name: "ctx.commit", "tpc_execute".
 */
struct gaudi2_reg_entry {
	uint32_t offset;
	const char *name;
};

/* gaudi2_regs.c */
/** gaudi2_reg_name - the reg_name hook: the registers this model defines, by class. */
const char *gaudi2_reg_name(enum mdl_engine_class engine_class, uint32_t offset);

/* gaudi2_packets.c */
/** gaudi2_decode - the decode hook (see struct mdl_asic_funcs). */
hlsim_err_t gaudi2_decode(const uint8_t *cb, size_t cb_size, size_t off, struct hlsim_cmd *out);
/** gaudi2_encode - the encode hook (see struct mdl_asic_funcs). */
size_t gaudi2_encode(const struct hlsim_cmd *cmd, uint8_t *out, size_t cap);
/** gaudi2_opcode_name - the opcode_name hook (0x11 is named though it never decodes). */
const char *gaudi2_opcode_name(uint8_t opcode);

/* gaudi2_engines.c: the engine_launch hook and the MME layout (hlsim interpretation). */
struct mdl_mme_layout;
extern struct mdl_mme_layout gaudi2_mme_layout;
void gaudi2_engines_init(void);
hlsim_err_t gaudi2_engine_launch(enum mdl_engine_class cls, const uint32_t *regs,
				 const struct mdl_engine_cfg *ec, const struct mdl_cost_hint *hint,
				 struct mdl_work *out);

#endif /* HLSIM_MDL_GAUDI2P_H */
