/*
 * models/gaudi/gaudi.c - the Gaudi (HL-205) ASIC: fixed properties, queues and QMANs,
 * the device address map (sync manager, CP fences, memories, completion), the driver's
 * end-of-CB epilogue on external queues, SOB and monitor value encodings, and the
 * function table that common code uses.
 *
 * Modelled from GAUDI-FACTS.md (§1.4, §1.8 item 7, §2.4, §3.1-3.5) and the uapi
 * <misc/habanalabs.h> (queue ids). QMAN and sync-manager block numbering: gaudiP.h.
 * The address-map logic (classify, SOB/monitor/fence addresses, SOB and MON_ARM values)
 * is models/common/qman_map.c, driven by the struct mdl_addr_map here.
 *
 * Inferred [I] here:
 * - the CQ and MSI addresses of the epilogue (model addresses in host memory, gaudiP.h);
 * - the epilogue's CQ MSG_PROT always has EB=1 (the driver sets EB only when the job holds
 *   a DMA packet; EB=1 is the conservative choice: the completion waits for the engine);
 * - CP_MSG_BASE2/3 (W_S sync manager) programmed on TPC7 and the NIC QMANs, besides the
 *   PCI-DMA QMANs and DMA5 [C GAUDI.C]: they are the collective participants too;
 * - an unaligned 32-bit message address is not a register target (MDL_TARGET_NONE).
 */
#include <string.h>

#include "models/common/qman_map.h"
#include "models/gaudi/gaudiP.h"
#include "models/gaudi/gaudi_mme.h"
#include "models/gaudi/gaudi_tpc.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

_Static_assert(GAUDI_QUEUE_ID_SIZE == 113, "uapi gaudi_queue_id changed");
_Static_assert(GAUDI_QUEUE_ID_TPC_0_0 == 41 && GAUDI_QUEUE_ID_NIC_0_0 == 73,
	       "uapi gaudi_queue_id layout changed");

/* {==== Queues ==== */

/**
 * struct gaudi_queue - one queue id.
 * @info: what common code sees.
 * @qman: model QMAN number, GAUDI_QMAN_NONE for the CPU queue.
 */
struct gaudi_queue {
	struct mdl_queue_info info;
	uint32_t qman;
};

#define Q1(first, s, kind, cls, idx, lower, qm, name)                                     \
	[(first) + (s)] = { { kind, cls, idx, s, lower, name "_" #s }, qm }
#define Q4(first, kind, cls, idx, lower, qm, name)                                         \
	Q1(first, 0, kind, cls, idx, lower, qm, name),                                     \
		Q1(first, 1, kind, cls, idx, lower, qm, name),                             \
		Q1(first, 2, kind, cls, idx, lower, qm, name),                             \
		Q1(first, 3, kind, cls, idx, lower, qm, name)
#define QDMA(n, kind, lower)                                                               \
	Q4(GAUDI_QUEUE_ID_DMA_##n##_0, kind, MDL_ENGINE_DMA, n, lower, GAUDI_QMAN_DMA0 + (n), \
	   "DMA_" #n)
#define QMME(n) Q4(GAUDI_QUEUE_ID_MME_##n##_0, MDL_QUEUE_INT, MDL_ENGINE_MME, n, 1, \
		   GAUDI_QMAN_MME0 + (n), "MME_" #n)
#define QTPC(n) Q4(GAUDI_QUEUE_ID_TPC_##n##_0, MDL_QUEUE_INT, MDL_ENGINE_TPC, n, 1, \
		   GAUDI_QMAN_TPC0 + (n), "TPC_" #n)
#define QNIC(n) Q4(GAUDI_QUEUE_ID_NIC_##n##_0, MDL_QUEUE_INT, MDL_ENGINE_NIC, n, 1, \
		   GAUDI_QMAN_NIC0 + (n), "NIC_" #n)

/*
 * Queue kinds [C GAUDI.C gaudi_queue_type[]]: DMA_0_x and DMA_1_x (PCI DMA) are external,
 * with no lower CP; the CPU queue is the driver's; every other queue is internal, DMA_5_x
 * included (the 6.1 uapi comment still calls it external; the driver does not).
 */
static const struct gaudi_queue gaudi_queues[GAUDI_QUEUE_ID_SIZE] = {
	QDMA(0, MDL_QUEUE_EXT, 0),
	QDMA(1, MDL_QUEUE_EXT, 0),
	[GAUDI_QUEUE_ID_CPU_PQ] = { { MDL_QUEUE_CPU, MDL_ENGINE_CPU, 0, 0, 0, "CPU_PQ" },
				    GAUDI_QMAN_NONE },
	QDMA(2, MDL_QUEUE_INT, 1),
	QDMA(3, MDL_QUEUE_INT, 1),
	QDMA(4, MDL_QUEUE_INT, 1),
	QDMA(5, MDL_QUEUE_INT, 1),
	QDMA(6, MDL_QUEUE_INT, 1),
	QDMA(7, MDL_QUEUE_INT, 1),
	QMME(0),
	QMME(1),
	QTPC(0),
	QTPC(1),
	QTPC(2),
	QTPC(3),
	QTPC(4),
	QTPC(5),
	QTPC(6),
	QTPC(7),
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
};
/* ====} */

/* {==== QMANs ==== */

/**
 * struct gaudi_qman - one QMAN of the model's numbering (gaudiP.h).
 * @name: "DMA2", "MME0", "TPC7", "NIC3".
 * @qm_base: its QM register block, relative to CFG_BASE.
 * @w_s_bases: CP_MSG_BASE2/3 point at the W_S sync manager.
 */
struct gaudi_qman {
	const char *name;
	uint32_t qm_base;
	uint8_t w_s_bases;
};

#define QM_DMA(n, ws)                                                                      \
	[GAUDI_QMAN_DMA0 + (n)] = { "DMA" #n, GAUDI_DMA0_QM + (n) * GAUDI_DMA_STRIDE, ws }
#define QM_TPC(n, ws)                                                                      \
	[GAUDI_QMAN_TPC0 + (n)] = { "TPC" #n, GAUDI_TPC0_QM + (n) * GAUDI_TPC_STRIDE, ws }
#define QM_NIC(n)                                                                          \
	[GAUDI_QMAN_NIC0 + (n)] = { "NIC" #n,                                              \
				    GAUDI_NIC0_QM0 + ((n) / 2) * GAUDI_NIC_MACRO_STRIDE +  \
					    ((n) % 2) * GAUDI_NIC_QM1_OFFSET,              \
				    1 }

static const struct gaudi_qman gaudi_qmans[GAUDI_NUM_QMANS] = {
	QM_DMA(0, 1), /* PCI DMA */
	QM_DMA(1, 1), /* PCI DMA */
	QM_DMA(2, 0),
	QM_DMA(3, 0),
	QM_DMA(4, 0),
	QM_DMA(5, 1), /* collective slave */
	QM_DMA(6, 0),
	QM_DMA(7, 0),
	/* MME_0_x queues live in the MME2 block, MME_1_x in the MME0 block [C GAUDI.C] */
	[GAUDI_QMAN_MME0] = { "MME0", GAUDI_MME2_QM, 0 },
	[GAUDI_QMAN_MME0 + 1] = { "MME1", GAUDI_MME0_QM, 0 },
	QM_TPC(0, 0),
	QM_TPC(1, 0),
	QM_TPC(2, 0),
	QM_TPC(3, 0),
	QM_TPC(4, 0),
	QM_TPC(5, 0),
	QM_TPC(6, 0),
	QM_TPC(7, 1), /* collective slave */
	QM_NIC(0),
	QM_NIC(1),
	QM_NIC(2),
	QM_NIC(3),
	QM_NIC(4),
	QM_NIC(5),
	QM_NIC(6),
	QM_NIC(7),
	QM_NIC(8),
	QM_NIC(9),
};
_Static_assert(ARRAY_SIZE(gaudi_qmans) == GAUDI_NUM_QMANS, "one row per QMAN");

/* SOB_OBJ_0 of each sync-manager block (model numbering), relative to CFG_BASE. */
static const uint32_t gaudi_sm_sob0[GAUDI_SM_BLOCKS] = {
	[GAUDI_SM_E_N] = GAUDI_SM_E_N_SOB0,
	[GAUDI_SM_W_N] = GAUDI_SM_W_N_SOB0,
	[GAUDI_SM_E_S] = GAUDI_SM_E_S_SOB0,
	[GAUDI_SM_W_S] = GAUDI_SM_W_S_SOB0,
};
/* ====} */

static const struct mdl_asic_props gaudi_props = {
	.asic_name = "gaudi",
	.card_name = "HL205", /* GAUDI_DEFAULT_CARD_NAME */
	.pci_device_id = 0x1000, /* PCI_IDS_GAUDI */
	.num_queues = GAUDI_QUEUE_ID_SIZE,
	.num_qmans = GAUDI_NUM_QMANS,
	.engines_per_class = {
		[MDL_ENGINE_DMA] = 8,
		[MDL_ENGINE_MME] = 2, /* masters with a QMAN; the 2 slaves follow them */
		[MDL_ENGINE_TPC] = 8,
		[MDL_ENGINE_NIC] = 10,
		[MDL_ENGINE_CPU] = 1,
	},
	.sm_blocks = GAUDI_SM_BLOCKS,
	.sobs_per_block = GAUDI_SM_SOBS,
	.mons_per_block = GAUDI_SM_MONS,
	.mon_max_sobs = GAUDI_SM_MON_MAX_SOBS,
	.sob_value_mask = GAUDI_SOB_VALUE_MASK,
	.sram_base = GAUDI_SRAM_BASE + GAUDI_SRAM_USER_OFFSET,
	.sram_size_bytes = GAUDI_SRAM_SIZE_BYTES - GAUDI_SRAM_USER_OFFSET,
	.dram_base = GAUDI_DRAM_USER_BASE,
	.dram_size_bytes = GAUDI_DRAM_SIZE_BYTES - GAUDI_DRAM_USER_BASE,
	.host_va_base = GAUDI_VA_HOST_BASE,
	.host_va_size_bytes = GAUDI_VA_HOST_SIZE_BYTES,
	.cfg_base = GAUDI_CFG_BASE,
	.cfg_size_bytes = GAUDI_CFG_SIZE_BYTES,
	.engine_block_bytes = GAUDI_ENGINE_BLOCK_BYTES,
	.dma_wr_comp_addr_lo = GAUDI_DMA_CORE_WR_COMP_ADDR_LO,
	.dma_wr_comp_addr_hi = GAUDI_DMA_CORE_WR_COMP_ADDR_HI,
	.dma_wr_comp_wdata = GAUDI_DMA_CORE_WR_COMP_WDATA,
	.cb_align_bytes = GAUDI_CACHE_LINE_BYTES,
	.launch_reg = {
		[MDL_ENGINE_DMA] = GAUDI_DMA_CORE_COMMIT,
		[MDL_ENGINE_TPC] = GAUDI_TPC_CFG_TPC_EXECUTE,
		[MDL_ENGINE_MME] = GAUDI_MME_CTRL_CMD,
		/* NIC: register map not published [U]; CPU: no engine block */
	},
	.dma_src_base_lo = GAUDI_DMA_CORE_SRC_BASE_LO,
	.dma_src_base_hi = GAUDI_DMA_CORE_SRC_BASE_HI,
	.dma_dst_base_lo = GAUDI_DMA_CORE_DST_BASE_LO,
	.dma_dst_base_hi = GAUDI_DMA_CORE_DST_BASE_HI,
	.dma_dst_tsize_0 = GAUDI_DMA_CORE_DST_TSIZE_0,
	.dma_dst_tsize_k = { GAUDI_DMA_CORE_DST_TSIZE_1, GAUDI_DMA_CORE_DST_TSIZE_1 + 8,
			     GAUDI_DMA_CORE_DST_TSIZE_1 + 16, GAUDI_DMA_CORE_DST_TSIZE_1 + 24 },
	.dma_dst_base_hi_mask = 0x00FFFFFFu, /* dst_base_hi: val[23:0] ctx_id_hi[31:24] */
	.dma_commit_wr_comp = 1u << 0, /* commit: wr_comp_en[0] lin[3] mem_set[4] */
	.dma_commit_lin = 1u << 3,
	.dma_commit_memset = 1u << 4,
	/* transpose[1] dtype[2] compress[5] decompress[6]: not modelled (refused) */
	.dma_commit_unmodelled = 1u << 1 | 1u << 2 | 1u << 5 | 1u << 6,
	.sm_block_names = {
		[GAUDI_SM_E_N] = "E_N",
		[GAUDI_SM_W_N] = "W_N",
		[GAUDI_SM_E_S] = "E_S",
		[GAUDI_SM_W_S] = "W_S",
	},
	.tpc_layout = &gaudi_tpc_layout,
	.mme_layout = &gaudi_mme_layout,
};

/* {==== Queues and QMANs: hooks ==== */

static const struct mdl_queue_info *gaudi_queue_info(uint32_t queue_id)
{
	return queue_id < GAUDI_QUEUE_ID_SIZE ? &gaudi_queues[queue_id].info : NULL;
}

static uint32_t gaudi_qman_of_queue(uint32_t queue_id)
{
	return queue_id < GAUDI_QUEUE_ID_SIZE ? gaudi_queues[queue_id].qman : GAUDI_QMAN_NONE;
}

static const char *gaudi_qman_name(uint32_t qman)
{
	return qman < GAUDI_NUM_QMANS ? gaudi_qmans[qman].name : NULL;
}

/*
 * CP_MSG_BASE<n> as the driver programs it on every CP of a QMAN [C GAUDI.C
 * gaudi_init_*_qman]: 0 = E_N MON_PAY_ADDRL_0, 1 = E_N SOB_OBJ_0 everywhere; 2 = W_S
 * MON_PAY_ADDRL_0, 3 = W_S SOB_OBJ_0 on the collective QMANs only.
 */
static uint64_t gaudi_msg_base_addr(uint32_t qman, uint8_t base)
{
	if (qman >= GAUDI_NUM_QMANS)
		return 0;
	switch (base) {
	case 0:
		return GAUDI_CFG_BASE + GAUDI_SM_E_N_SOB0 + GAUDI_SM_OFF_MON_PAY_ADDRL;
	case 1:
		return GAUDI_CFG_BASE + GAUDI_SM_E_N_SOB0 + GAUDI_SM_OFF_SOB;
	case 2:
		if (!gaudi_qmans[qman].w_s_bases)
			return 0;
		return GAUDI_CFG_BASE + GAUDI_SM_W_S_SOB0 + GAUDI_SM_OFF_MON_PAY_ADDRL;
	case 3:
		if (!gaudi_qmans[qman].w_s_bases)
			return 0;
		return GAUDI_CFG_BASE + GAUDI_SM_W_S_SOB0 + GAUDI_SM_OFF_SOB;
	default:
		return 0;
	}
}
/* ====} */

/* {==== Address map ==== */

static uint32_t gaudi_qm_base(uint32_t qman)
{
	return gaudi_qmans[qman].qm_base;
}

static const struct mdl_addr_map gaudi_map = {
	.cfg_base = GAUDI_CFG_BASE,
	.cfg_size_bytes = GAUDI_CFG_SIZE_BYTES,
	.sm_blocks = GAUDI_SM_BLOCKS,
	.sm_sob0 = gaudi_sm_sob0,
	.sm_span_bytes = GAUDI_SM_SPAN_BYTES,
	.sm_sobs = GAUDI_SM_SOBS,
	.sm_mons = GAUDI_SM_MONS,
	.sm_off_sob = GAUDI_SM_OFF_SOB,
	.sm_off_mon = { GAUDI_SM_OFF_MON_PAY_ADDRL, GAUDI_SM_OFF_MON_PAY_ADDRH,
			GAUDI_SM_OFF_MON_PAY_DATA, GAUDI_SM_OFF_MON_ARM },
	.sm_off_mon_end = GAUDI_SM_OFF_MON_STATUS, /* MON_STATUS: read-only, not a target */
	.num_qmans = GAUDI_NUM_QMANS,
	.qm_base = gaudi_qm_base,
	.qm_block_align = GAUDI_QM_BLOCK_ALIGN,
	.qm_cps = GAUDI_QMAN_CPS,
	.qm_fences = GAUDI_QMAN_FENCES,
	.qm_fence0_rdata = GAUDI_QM_CP_FENCE0_RDATA,
	.qm_fence_stride = GAUDI_QM_FENCE_STRIDE,
	.qm_cp_stride = GAUDI_QM_CP_STRIDE,
	.cq_base = GAUDI_MODEL_CQ_BASE, /* CQ n belongs to the external queue id n (asic.h) */
	.num_cqs = GAUDI_NUM_CQS,
	.cq_stride_bytes = GAUDI_MODEL_CQ_STRIDE_BYTES,
	.has_msi = 1,
	.msi_addr = GAUDI_MODEL_MSI_ADDR,
	/* SOB and monitor values [C THUNK-PKT so_upd, mon_arm_register] */
	.sob_add_bit = GAUDI_SOB_ADD_BIT,
	.sob_value_mask = GAUDI_SOB_VALUE_MASK,
	.mon_arm_group_mask = GAUDI_MON_ARM_GROUP_MASK,
	.mon_arm_mask_shift = GAUDI_MON_ARM_MASK_SHIFT,
	.mon_arm_mode_bit = GAUDI_MON_ARM_MODE_BIT,
	.mon_arm_value_shift = GAUDI_MON_ARM_VALUE_SHIFT,
};

MDL_ADDR_MAP_HOOKS(gaudi, gaudi_map)

static enum mdl_mem_kind gaudi_mem_kind(uint64_t addr)
{
	if (addr >= GAUDI_CFG_BASE && addr - GAUDI_CFG_BASE < GAUDI_CFG_SIZE_BYTES)
		return MDL_MEM_CFG;
	if (addr >= GAUDI_SRAM_BASE && addr - GAUDI_SRAM_BASE < GAUDI_SRAM_SIZE_BYTES)
		return MDL_MEM_SRAM;
	if (addr - GAUDI_DRAM_PHYS_BASE < GAUDI_DRAM_SIZE_BYTES)
		return MDL_MEM_HBM;
	if (addr >= GAUDI_HOST_PHYS_BASE &&
	    addr - GAUDI_HOST_PHYS_BASE < GAUDI_HOST_PHYS_SIZE_BYTES)
		return MDL_MEM_HOST;
	if (addr >= GAUDI_VA_HOST_BASE && addr - GAUDI_VA_HOST_BASE < GAUDI_VA_HOST_SIZE_BYTES)
		return MDL_MEM_HOST;
	return MDL_MEM_UNKNOWN;
}
/* ====} */

/* {==== Driver epilogue of external queues [C GAUDI.C gaudi_add_end_of_cb_packets] ==== */

static size_t gaudi_ext_job_epilogue(uint32_t queue_id, uint32_t job_id, size_t cb_size,
				     uint8_t *out, size_t cap)
{
	const struct mdl_queue_info *q = gaudi_queue_info(queue_id);
	struct hlsim_cmd nop = { .kind = HLSIM_CMD_NOP, .opcode = GAUDI_PKT_NOP };
	struct hlsim_cmd cq = {
		.kind = HLSIM_CMD_MSG,
		.opcode = GAUDI_PKT_MSG_PROT,
		.eb = 1,
		.mb = 1,
		.u.msg = {
			.addr = GAUDI_MODEL_CQ_BASE + queue_id * GAUDI_MODEL_CQ_STRIDE_BYTES,
			.value = GAUDI_CQ_ENTRY_READY | GAUDI_CQ_ENTRY_SHADOW_VALID |
				 (job_id & GAUDI_CQ_ENTRY_SHADOW_MASK),
			.is_prot = 1,
		},
	};
	struct hlsim_cmd msi = {
		.kind = HLSIM_CMD_MSG,
		.opcode = GAUDI_PKT_MSG_PROT,
		.mb = 1,
		.u.msg = { .addr = GAUDI_MODEL_MSI_ADDR, .value = 1, .is_prot = 1 },
	};
	size_t pad, total, pos;

	if (!q) {
		hlsim_error(HLSIM_E_INVAL, "gaudi epilogue: queue id %u out of range (0..%u)",
			    queue_id, GAUDI_QUEUE_ID_SIZE - 1);
		return 0;
	}
	if (q->kind != MDL_QUEUE_EXT)
		return 0;
	if (cb_size % 8) {
		hlsim_error(HLSIM_E_INVAL,
			    "gaudi epilogue: CB size %zu of queue %s is not a multiple of 8 bytes",
			    cb_size, q->name);
		return 0;
	}
	pad = (GAUDI_CACHE_LINE_BYTES - cb_size % GAUDI_CACHE_LINE_BYTES) % GAUDI_CACHE_LINE_BYTES;
	total = pad + 2 * GAUDI_PKT_MSG_PROT_BYTES;
	if (!out || cap < total) {
		hlsim_error(HLSIM_E_INVAL, "gaudi epilogue: needs %zu bytes, room for %zu", total,
			    out ? cap : 0);
		return 0;
	}
	for (pos = 0; pos < pad; pos += 8)
		gaudi_encode(&nop, out + pos, cap - pos);
	pos += gaudi_encode(&cq, out + pos, cap - pos);
	pos += gaudi_encode(&msi, out + pos, cap - pos);
	return pos;
}
/* ====} */

static const struct mdl_asic_funcs gaudi_funcs = {
	.props = &gaudi_props,
	.decode = gaudi_decode,
	.opcode_name = gaudi_opcode_name,
	.queue_info = gaudi_queue_info,
	.qman_of_queue = gaudi_qman_of_queue,
	.qman_name = gaudi_qman_name,
	.msg_base_addr = gaudi_msg_base_addr,
	.classify_target = gaudi_classify_target,
	.mem_kind = gaudi_mem_kind,
	.fence_addr = gaudi_fence_addr,
	.sob_addr = gaudi_sob_addr,
	.mon_addr = gaudi_mon_addr,
	.reg_name = gaudi_reg_name,
	.ext_job_epilogue = gaudi_ext_job_epilogue,
	.encode = gaudi_encode,
	.sob_value_decode = gaudi_sob_value_decode,
	.sob_value_encode = gaudi_sob_value_encode,
	.mon_arm_decode = gaudi_mon_arm_decode,
	.mon_arm_encode = gaudi_mon_arm_encode,
	.engine_launch = gaudi_engine_launch,
};

const struct mdl_asic_funcs *gaudi_get_asic_funcs(void)
{
	return &gaudi_funcs;
}
