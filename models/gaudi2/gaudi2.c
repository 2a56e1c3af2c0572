/*
 * models/gaudi2/gaudi2.c - the Gaudi2 (HL-225) ASIC: fixed properties, queues and QMANs,
 * the device address map (sync managers, CP fences, memories, the model's completion
 * queues), the per-job completion of H/W queues, SOB and monitor value encodings, and
 * the function table that common code uses.
 *
 * Modelled from GAUDI-FACTS.md (§1.4, §1.6, §2.3, §3.7), the uapi <misc/habanalabs.h>
 * (enum gaudi2_queue_id) and the sources listed in gaudi2P.h. QMAN and sync-manager
 * block numbering: gaudi2P.h.
 * The address-map logic (classify, SOB/monitor/fence addresses, SOB and MON_ARM values)
 * is models/common/qman_map.c, driven by the struct mdl_addr_map here.
 *
 * Engine classes and indexes (engine_index of struct mdl_queue_info):
 * - DMA: the driver's enum gaudi2_dma_core_id [C GAUDI2P.H]: PDMA0 = 0, PDMA1 = 1, DCORE
 *   d EDMA i = 2 + 2d + i (2..9). Index 0 and 1 are the PCI DMAs, as on Gaudi.
 * - TPC: the driver's enum gaudi2_tpc_id [C GAUDI2P.H, THUNK-TEST]: DCORE d TPC t = 6d + t
 *   (0..23), DCORE0 TPC6 (the "PCI TPC") = 24.
 * - MME: the DCORE number 0..3. NIC: the uapi queue number NIC_n, n = 0..23.
 * - [I] ROT0/ROT1 are class CPU with index 1/2 (the CPU queue is CPU index 0): asic.h
 *   has no rotator class, and a rotator is not a DMA core (the simulator must not run
 *   DMA-core COMMIT semantics on its registers, nor a DMA engine for it).
 *
 * Inferred [I] here (the reasons are next to each):
 * - CP_MSG_BASE2/3 are not programmed (0): only bases 0 and 1 appear in public sources;
 * - the per-job completion write of H/W queues and its model CQ addresses (gaudi2P.h);
 * - DCORE1..3 sync-manager and EDMA bases, PDMA1 QM base (strides, gaudi2P.h);
 * - MON_CONFIG and MON_STATUS writes are not targets: asic.h has no MON_CONFIG target, so
 *   a monitor watches SOB group MON_ARM.SID only (SOBs 0..2047 of its block); the upper
 *   SID bits (MON_CONFIG.MSB_SID) and long (60-bit) SOBs / monitors are not modelled;
 * - an unaligned 32-bit message address is not a register target (MDL_TARGET_NONE).
 */
#include <string.h>

#include "models/common/qman_map.h"
#include "models/gaudi2/gaudi2P.h"
#include "models/gaudi2/gaudi2_tpc.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

_Static_assert(GAUDI2_QUEUE_ID_SIZE == 261, "uapi gaudi2_queue_id changed");
_Static_assert(GAUDI2_QUEUE_ID_DCORE0_TPC_6_0 == 44 && GAUDI2_QUEUE_ID_DCORE1_EDMA_0_0 == 48 &&
		       GAUDI2_QUEUE_ID_NIC_0_0 == 156 && GAUDI2_QUEUE_ID_ROT_0_0 == 252 &&
		       GAUDI2_QUEUE_ID_CPU_PQ == 260,
	       "uapi gaudi2_queue_id layout changed");
_Static_assert(GAUDI2_QUEUE_ID_CPU_PQ / 4 == GAUDI2_NUM_QMANS, "one QMAN per 4 H/W queues");

/* {==== Queues ==== */

/**
 * struct gaudi2_queue - one queue id.
 * @info: what common code sees.
 * @qman: model QMAN number (queue id / 4), GAUDI2_QMAN_NONE for the CPU queue.
 */
struct gaudi2_queue {
	struct mdl_queue_info info;
	uint32_t qman;
};

/* Every user queue is a H/W queue with 5 CPs (4 streams + the lower CP) [C GAUDI-FACTS §3.7]. */
#define Q1(first, s, cls, idx, name)                                                      \
	[(first) + (s)] = { { MDL_QUEUE_HW, cls, idx, s, 1, name "_" #s }, (first) / 4 }
#define Q4(first, cls, idx, name)                                                         \
	Q1(first, 0, cls, idx, name), Q1(first, 1, cls, idx, name),                       \
		Q1(first, 2, cls, idx, name), Q1(first, 3, cls, idx, name)
#define QPDMA(p) Q4(GAUDI2_QUEUE_ID_PDMA_##p##_0, MDL_ENGINE_DMA, p, "PDMA_" #p)
#define QEDMA(d, i)                                                                       \
	Q4(GAUDI2_QUEUE_ID_DCORE##d##_EDMA_##i##_0, MDL_ENGINE_DMA, 2 + 2 * (d) + (i),    \
	   "DCORE" #d "_EDMA_" #i)
#define QMME(d) Q4(GAUDI2_QUEUE_ID_DCORE##d##_MME_0_0, MDL_ENGINE_MME, d, "DCORE" #d "_MME_0")
#define QTPC(d, t)                                                                        \
	Q4(GAUDI2_QUEUE_ID_DCORE##d##_TPC_##t##_0, MDL_ENGINE_TPC, 6 * (d) + (t),          \
	   "DCORE" #d "_TPC_" #t)
#define QDCORE(d)                                                                         \
	QEDMA(d, 0), QEDMA(d, 1), QMME(d), QTPC(d, 0), QTPC(d, 1), QTPC(d, 2), QTPC(d, 3), \
		QTPC(d, 4), QTPC(d, 5)
#define QNIC(n) Q4(GAUDI2_QUEUE_ID_NIC_##n##_0, MDL_ENGINE_NIC, n, "NIC_" #n)
#define QROT(r) Q4(GAUDI2_QUEUE_ID_ROT_##r##_0, MDL_ENGINE_CPU, 1 + (r), "ROT_" #r)

/* DCORE0 TPC6 is TPC 24 in the driver's numbering, though its queues follow DCORE0 TPC5. */
static const struct gaudi2_queue gaudi2_queues[GAUDI2_QUEUE_ID_SIZE] = {
	QPDMA(0),
	QPDMA(1),
	QDCORE(0),
	Q4(GAUDI2_QUEUE_ID_DCORE0_TPC_6_0, MDL_ENGINE_TPC, 24, "DCORE0_TPC_6"),
	QDCORE(1),
	QDCORE(2),
	QDCORE(3),
	QNIC(0),
	QNIC(1),
	QNIC(2),
	QNIC(3),
	QNIC(4),
	QNIC(5),
	QNIC(6),
	QNIC(7),
	QNIC(8),
	QNIC(9),
	QNIC(10),
	QNIC(11),
	QNIC(12),
	QNIC(13),
	QNIC(14),
	QNIC(15),
	QNIC(16),
	QNIC(17),
	QNIC(18),
	QNIC(19),
	QNIC(20),
	QNIC(21),
	QNIC(22),
	QNIC(23),
	QROT(0),
	QROT(1),
	[GAUDI2_QUEUE_ID_CPU_PQ] = { { MDL_QUEUE_CPU, MDL_ENGINE_CPU, 0, 0, 0, "CPU_PQ" },
				     GAUDI2_QMAN_NONE },
};
/* ====} */

/* {==== QMANs ==== */

/**
 * struct gaudi2_qman - one QMAN of the model's numbering (gaudi2P.h).
 * @name: "PDMA0", "DCORE1_EDMA0", "DCORE3_MME", "DCORE0_TPC6", "NIC23", "ROT1".
 * @qm_base: its QM register block, relative to CFG_BASE.
 */
struct gaudi2_qman {
	const char *name;
	uint32_t qm_base;
};

#define QM_PDMA(p)                                                                        \
	[GAUDI2_QUEUE_ID_PDMA_##p##_0 / 4] = { "PDMA" #p,                                 \
					       GAUDI2_PDMA0_QM + (p) * GAUDI2_PDMA_STRIDE }
#define QM_EDMA(d, i)                                                                     \
	[GAUDI2_QUEUE_ID_DCORE##d##_EDMA_##i##_0 / 4] = {                                 \
		"DCORE" #d "_EDMA" #i,                                                    \
		GAUDI2_DCORE0_EDMA0_QM + (d) * GAUDI2_DCORE_STRIDE + (i) * GAUDI2_EDMA_STRIDE \
	}
#define QM_MME(d)                                                                         \
	[GAUDI2_QUEUE_ID_DCORE##d##_MME_0_0 / 4] = {                                      \
		"DCORE" #d "_MME", GAUDI2_DCORE0_MME_QM + (d) * GAUDI2_DCORE_STRIDE         \
	}
#define QM_TPC(d, t)                                                                      \
	[GAUDI2_QUEUE_ID_DCORE##d##_TPC_##t##_0 / 4] = {                                  \
		"DCORE" #d "_TPC" #t,                                                     \
		GAUDI2_DCORE0_TPC0_QM + (d) * GAUDI2_DCORE_STRIDE + (t) * GAUDI2_TPC_STRIDE \
	}
#define QM_DCORE(d)                                                                       \
	QM_EDMA(d, 0), QM_EDMA(d, 1), QM_MME(d), QM_TPC(d, 0), QM_TPC(d, 1), QM_TPC(d, 2), \
		QM_TPC(d, 3), QM_TPC(d, 4), QM_TPC(d, 5)
#define QM_NIC(n)                                                                         \
	[GAUDI2_QUEUE_ID_NIC_##n##_0 / 4] = {                                             \
		"NIC" #n, GAUDI2_NIC0_QM0 + ((n) / 2) * GAUDI2_NIC_MACRO_STRIDE +           \
				  ((n) % 2) * GAUDI2_NIC_QM1_OFFSET                       \
	}
#define QM_ROT(r)                                                                         \
	[GAUDI2_QUEUE_ID_ROT_##r##_0 / 4] = { "ROT" #r,                                   \
					      GAUDI2_ROT0_QM + (r) * GAUDI2_ROT_STRIDE }

/* TPC6 of DCORE0 sits at TPC stride 6 after TPC0 [C THUNK-TEST gaudi2_get_fence_addr]. */
static const struct gaudi2_qman gaudi2_qmans[GAUDI2_NUM_QMANS] = {
	QM_PDMA(0), QM_PDMA(1),
	QM_DCORE(0), QM_TPC(0, 6),
	QM_DCORE(1),
	QM_DCORE(2),
	QM_DCORE(3),
	QM_NIC(0), QM_NIC(1), QM_NIC(2), QM_NIC(3), QM_NIC(4), QM_NIC(5),
	QM_NIC(6), QM_NIC(7), QM_NIC(8), QM_NIC(9), QM_NIC(10), QM_NIC(11),
	QM_NIC(12), QM_NIC(13), QM_NIC(14), QM_NIC(15), QM_NIC(16), QM_NIC(17),
	QM_NIC(18), QM_NIC(19), QM_NIC(20), QM_NIC(21), QM_NIC(22), QM_NIC(23),
	QM_ROT(0), QM_ROT(1),
};
_Static_assert(ARRAY_SIZE(gaudi2_qmans) == GAUDI2_NUM_QMANS, "one row per QMAN");

/* SOB_OBJ_0 of sync-manager block @b (= DCORE b), relative to CFG_BASE. */
static const uint32_t gaudi2_sm_sob0[GAUDI2_SM_BLOCKS] = {
	GAUDI2_SM_DCORE0_SOB0,
	GAUDI2_SM_DCORE0_SOB0 + GAUDI2_DCORE_STRIDE,
	GAUDI2_SM_DCORE0_SOB0 + 2 * GAUDI2_DCORE_STRIDE,
	GAUDI2_SM_DCORE0_SOB0 + 3 * GAUDI2_DCORE_STRIDE,
};
_Static_assert(GAUDI2_SM_BLOCKS == 4, "one row per DCORE");
/* ====} */

static const struct mdl_asic_props gaudi2_props = {
	.asic_name = "gaudi2",
	.card_name = "HL225", /* GAUDI2_DEFAULT_CARD_NAME */
	.pci_device_id = 0x1020, /* PCI_IDS_GAUDI2 */
	.num_queues = GAUDI2_QUEUE_ID_SIZE,
	.num_qmans = GAUDI2_NUM_QMANS,
	.engines_per_class = {
		[MDL_ENGINE_DMA] = 10, /* 2 PDMA + 8 EDMA */
		[MDL_ENGINE_MME] = 4, /* one MME QMAN per DCORE */
		[MDL_ENGINE_TPC] = 25, /* 24 + the PCI TPC (DCORE0 TPC6) */
		[MDL_ENGINE_NIC] = 24, /* 12 macros x 2 QMANs */
		[MDL_ENGINE_CPU] = 3, /* the CPU queue, ROT0, ROT1 (see the top of this file) */
	},
	.sm_blocks = GAUDI2_SM_BLOCKS,
	.sobs_per_block = GAUDI2_SM_SOBS,
	.mons_per_block = GAUDI2_SM_MONS,
	.mon_max_sobs = GAUDI2_SM_MON_MAX_SOBS,
	.sob_value_mask = GAUDI2_SOB_VALUE_MASK,
	.sram_base = GAUDI2_SRAM_BASE + GAUDI2_SRAM_USER_OFFSET,
	.sram_size_bytes = GAUDI2_SRAM_SIZE_BYTES - GAUDI2_SRAM_USER_OFFSET,
	.dram_base = GAUDI2_DMMU_BASE,
	.dram_size_bytes = GAUDI2_DRAM_SIZE_BYTES,
	.host_va_base = GAUDI2_VA_HOST_BASE,
	.host_va_size_bytes = GAUDI2_VA_HOST_SIZE_BYTES,
	.cfg_base = GAUDI2_CFG_BASE,
	.cfg_size_bytes = GAUDI2_CFG_SIZE_BYTES,
	.engine_block_bytes = GAUDI2_ENGINE_BLOCK_BYTES,
	.dma_wr_comp_addr_lo = GAUDI2_DMA_CTX_WR_COMP_ADDR_LO,
	.dma_wr_comp_addr_hi = GAUDI2_DMA_CTX_WR_COMP_ADDR_HI,
	.dma_wr_comp_wdata = GAUDI2_DMA_CTX_WR_COMP_WDATA,
	.cb_align_bytes = GAUDI2_CACHE_LINE_BYTES,
	.launch_reg = {
		[MDL_ENGINE_DMA] = GAUDI2_DMA_CTX_COMMIT,
		[MDL_ENGINE_TPC] = GAUDI2_TPC_CFG_TPC_EXECUTE,
		[MDL_ENGINE_MME] = GAUDI2_MME_CTRL_LO_CMD,
		/* NIC: register map not published [U]; CPU (and ROT): none modelled */
	},
	.dma_src_base_lo = GAUDI2_DMA_CTX_SRC_BASE_LO,
	.dma_src_base_hi = GAUDI2_DMA_CTX_SRC_BASE_HI,
	.dma_dst_base_lo = GAUDI2_DMA_CTX_DST_BASE_LO,
	.dma_dst_base_hi = GAUDI2_DMA_CTX_DST_BASE_HI,
	.dma_dst_tsize_0 = GAUDI2_DMA_CTX_DST_TSIZE_0,
	.dma_dst_tsize_k = { GAUDI2_DMA_CTX_DST_TSIZE_1, GAUDI2_DMA_CTX_DST_TSIZE_1 + 8,
			     GAUDI2_DMA_CTX_DST_TSIZE_1 + 16, GAUDI2_DMA_CTX_DST_TSIZE_1 + 24 },
	.dma_dst_base_hi_mask = 0xFFFFFFFFu, /* full 64-bit device addresses */
	/* [I] COMMIT bits as on Gaudi: the Gaudi2 EDMA commit layout is not public */
	.dma_commit_wr_comp = 1u << 0,
	.dma_commit_lin = 1u << 3,
	.dma_commit_memset = 1u << 4,
	/* transpose[1] dtype[2] compress[5] decompress[6]: not modelled (refused) */
	.dma_commit_unmodelled = 1u << 1 | 1u << 2 | 1u << 5 | 1u << 6,
	.sm_block_names = { "DCORE0", "DCORE1", "DCORE2", "DCORE3" },
	.tpc_layout = &gaudi2_tpc_layout, /* [I] Gaudi layout, Gaudi2 TPC_EXECUTE (gaudi2_tpc.c) */
	.mme_layout = &gaudi2_mme_layout, /* filled by gaudi2_engines_init() */
};

/* {==== Queues and QMANs: hooks ==== */

static const struct mdl_queue_info *gaudi2_queue_info(uint32_t queue_id)
{
	return queue_id < GAUDI2_QUEUE_ID_SIZE ? &gaudi2_queues[queue_id].info : NULL;
}

static uint32_t gaudi2_qman_of_queue(uint32_t queue_id)
{
	return queue_id < GAUDI2_QUEUE_ID_SIZE ? gaudi2_queues[queue_id].qman : GAUDI2_QMAN_NONE;
}

static const char *gaudi2_qman_name(uint32_t qman)
{
	return qman < GAUDI2_NUM_QMANS ? gaudi2_qmans[qman].name : NULL;
}

/*
 * CP_MSG_BASE<n> of every CP of every QMAN: 0 = DCORE0 MON_PAY_ADDRL_0, 1 = DCORE0
 * SOB_OBJ_0 [C THUNK-TEST: "monitor_base should be the content of the base0 address
 * registers", "base = 1; Sync object base", on every queue]. [I] 2 and 3: not programmed.
 */
static uint64_t gaudi2_msg_base_addr(uint32_t qman, uint8_t base)
{
	if (qman >= GAUDI2_NUM_QMANS)
		return 0;
	switch (base) {
	case 0:
		return GAUDI2_CFG_BASE + gaudi2_sm_sob0[0] + GAUDI2_SM_OFF_MON_PAY_ADDRL;
	case 1:
		return GAUDI2_CFG_BASE + gaudi2_sm_sob0[0] + GAUDI2_SM_OFF_SOB;
	default:
		return 0;
	}
}
/* ====} */

/* {==== Address map ==== */

static uint32_t gaudi2_qm_base(uint32_t qman)
{
	return gaudi2_qmans[qman].qm_base;
}

static const struct mdl_addr_map gaudi2_map = {
	.cfg_base = GAUDI2_CFG_BASE,
	.cfg_size_bytes = GAUDI2_CFG_SIZE_BYTES,
	.sm_blocks = GAUDI2_SM_BLOCKS,
	.sm_sob0 = gaudi2_sm_sob0,
	.sm_span_bytes = GAUDI2_SM_SPAN_BYTES,
	.sm_sobs = GAUDI2_SM_SOBS,
	.sm_mons = GAUDI2_SM_MONS,
	.sm_off_sob = GAUDI2_SM_OFF_SOB,
	.sm_off_mon = { GAUDI2_SM_OFF_MON_PAY_ADDRL, GAUDI2_SM_OFF_MON_PAY_ADDRH,
			GAUDI2_SM_OFF_MON_PAY_DATA, GAUDI2_SM_OFF_MON_ARM },
	/* MON_CONFIG (not modelled, see the top) and read-only MON_STATUS: not targets */
	.sm_off_mon_end = GAUDI2_SM_OFF_MON_CONFIG,
	.num_qmans = GAUDI2_NUM_QMANS,
	.qm_base = gaudi2_qm_base,
	.qm_block_align = GAUDI2_QM_BLOCK_ALIGN,
	.qm_cps = GAUDI2_QMAN_CPS,
	.qm_fences = GAUDI2_QMAN_FENCES,
	.qm_fence0_rdata = GAUDI2_QM_CP_FENCE0_RDATA,
	.qm_fence_stride = GAUDI2_QM_FENCE_STRIDE,
	.qm_cp_stride = GAUDI2_QM_CP_STRIDE,
	.cq_base = GAUDI2_MODEL_CQ_BASE, /* CQ n belongs to the H/W queue id n (asic.h) */
	.num_cqs = GAUDI2_NUM_CQS,
	.cq_stride_bytes = GAUDI2_MODEL_CQ_STRIDE_BYTES,
	.has_msi = 0,
	/*
	 * SOB and monitor values [C THUNK-PKT so_upd, mon_arm_register; masks]. [I] The
	 * long_mode bit (24) and trace-evict bit (30) are not part of the operand; a long
	 * (60-bit) SOB is not modelled, so encode never sets long_mode. MON_ARM: SID 7:0,
	 * MASK 15:8, SOP 16, SOD 31:17, as on Gaudi (the upper SID is MON_CONFIG's).
	 */
	.sob_add_bit = GAUDI2_SOB_ADD_BIT,
	.sob_value_mask = GAUDI2_SOB_VALUE_MASK,
	.mon_arm_group_mask = GAUDI2_MON_ARM_GROUP_MASK,
	.mon_arm_mask_shift = GAUDI2_MON_ARM_MASK_SHIFT,
	.mon_arm_mode_bit = GAUDI2_MON_ARM_MODE_BIT,
	.mon_arm_value_shift = GAUDI2_MON_ARM_VALUE_SHIFT,
};

MDL_ADDR_MAP_HOOKS(gaudi2, gaudi2_map)

static enum mdl_mem_kind gaudi2_mem_kind(uint64_t addr)
{
	if (addr >= GAUDI2_CFG_BASE && addr - GAUDI2_CFG_BASE < GAUDI2_CFG_SIZE_BYTES)
		return MDL_MEM_CFG;
	if (addr >= GAUDI2_SRAM_BASE && addr - GAUDI2_SRAM_BASE < GAUDI2_SRAM_SIZE_BYTES)
		return MDL_MEM_SRAM;
	/* Physical HBM and the DMMU virtual range above it, to VA_HBM_SPACE_END. */
	if (addr >= GAUDI2_DRAM_PHYS_BASE && addr < GAUDI2_VA_HBM_END)
		return MDL_MEM_HBM;
	/* Host memory: physical (MMU bypass, 56 bits), and from 0xFF00.. (holds the PMMU VA). */
	if (addr - GAUDI2_HOST_PHYS0_BASE < GAUDI2_HOST_PHYS0_SIZE_BYTES)
		return MDL_MEM_HOST;
	if (addr >= GAUDI2_HOST_PHYS1_BASE)
		return MDL_MEM_HOST;
	return MDL_MEM_UNKNOWN;
}
/* ====} */

/* {==== Completion of H/W queues (gaudi2P.h) ==== */

static size_t gaudi2_ext_job_epilogue(uint32_t queue_id, uint32_t job_id, size_t cb_size,
				      uint8_t *out, size_t cap)
{
	const struct mdl_queue_info *q = gaudi2_queue_info(queue_id);
	struct hlsim_cmd cq = {
		.kind = HLSIM_CMD_MSG,
		.opcode = GAUDI2_PKT_MSG_PROT,
		.eb = 1,
		.mb = 1,
		.u.msg = {
			.addr = GAUDI2_MODEL_CQ_BASE + queue_id * GAUDI2_MODEL_CQ_STRIDE_BYTES,
			.value = GAUDI2_CQ_ENTRY_READY | (job_id & GAUDI2_CQ_ENTRY_JOB_MASK),
			.is_prot = 1,
		},
	};

	(void)cb_size; /* nothing is appended to the CB: no padding on Gaudi2 */
	if (!q) {
		hlsim_error(HLSIM_E_INVAL, "gaudi2 epilogue: queue id %u out of range (0..%u)",
			    queue_id, GAUDI2_QUEUE_ID_SIZE - 1);
		return 0;
	}
	if (q->kind != MDL_QUEUE_HW)
		return 0; /* the CPU queue is the driver's */
	if (!out || cap < GAUDI2_PKT_MSG_PROT_BYTES) {
		hlsim_error(HLSIM_E_INVAL, "gaudi2 epilogue: needs %u bytes, room for %zu",
			    GAUDI2_PKT_MSG_PROT_BYTES, out ? cap : 0);
		return 0;
	}
	return gaudi2_encode(&cq, out, cap);
}
/* ====} */

static const struct mdl_asic_funcs gaudi2_funcs = {
	.props = &gaudi2_props,
	.decode = gaudi2_decode,
	.opcode_name = gaudi2_opcode_name,
	.queue_info = gaudi2_queue_info,
	.qman_of_queue = gaudi2_qman_of_queue,
	.qman_name = gaudi2_qman_name,
	.msg_base_addr = gaudi2_msg_base_addr,
	.classify_target = gaudi2_classify_target,
	.mem_kind = gaudi2_mem_kind,
	.fence_addr = gaudi2_fence_addr,
	.sob_addr = gaudi2_sob_addr,
	.mon_addr = gaudi2_mon_addr,
	.reg_name = gaudi2_reg_name,
	.ext_job_epilogue = gaudi2_ext_job_epilogue,
	.encode = gaudi2_encode,
	.sob_value_decode = gaudi2_sob_value_decode,
	.sob_value_encode = gaudi2_sob_value_encode,
	.mon_arm_decode = gaudi2_mon_arm_decode,
	.mon_arm_encode = gaudi2_mon_arm_encode,
	.engine_launch = gaudi2_engine_launch,
};

const struct mdl_asic_funcs *gaudi2_get_asic_funcs(void)
{
	gaudi2_engines_init();
	return &gaudi2_funcs;
}
