/**
 * models/common/asic.h - what the common code knows about an ASIC, and the one
 * function table through which it asks the rest.
 *
 * As in the habanalabs driver (struct hl_asic_funcs), each ASIC directory fills a
 * `static const struct mdl_asic_funcs` with designated initializers and exports only
 * its setter (gaudi_set_asic_funcs()). mdl_asic_get() in asic.c is the single place
 * that switches on the ASIC type. Nothing in this header depends on SimGrid or HDF5.
 */
#ifndef HLSIM_MDL_ASIC_H
#define HLSIM_MDL_ASIC_H

#include <stddef.h>
#include <stdint.h>

#include "hlsim/cmd.h"
#include "hlsim/error.h"

struct mdl_work;
struct mdl_engine_cfg;
struct mdl_cost_hint;
struct mdl_tpc_layout;
struct mdl_mme_layout;

enum mdl_asic_type {
	MDL_ASIC_GAUDI = 1, /* HL-205 */
	MDL_ASIC_GAUDI2 = 2, /* HL-225 */
};

/** enum mdl_queue_kind - as the driver classifies queues. */
enum mdl_queue_kind {
	MDL_QUEUE_NA = 0, /* no such queue */
	MDL_QUEUE_EXT, /* external: PCI DMA, completion through CQ + MSI (Gaudi1) */
	MDL_QUEUE_INT, /* internal: no completion of its own */
	MDL_QUEUE_CPU, /* driver only */
	MDL_QUEUE_HW, /* Gaudi2 H/W queue: every queue completes */
};

/** enum mdl_engine_class - the kind of engine a QMAN drives. */
enum mdl_engine_class {
	MDL_ENGINE_DMA = 0,
	MDL_ENGINE_MME,
	MDL_ENGINE_TPC,
	MDL_ENGINE_NIC,
	MDL_ENGINE_CPU,
	MDL_ENGINE_CLASS_COUNT_
};

/**
 * struct mdl_queue_info - one queue (one stream of one QMAN).
 * @kind: enum mdl_queue_kind (MDL_QUEUE_NA for ids that do not exist).
 * @engine_class: enum mdl_engine_class of the QMAN's engine.
 * @engine_index: engine number within its class (DMA 0..7, TPC 0..7, MME QMAN 0..1, ...).
 * @stream: 0..3.
 * @has_lower_cp: the QMAN has a lower CP (index 4) that CP_DMA feeds.
 * @name: "DMA_0_0", "TPC_3_2", as in the uapi enum.
 */
struct mdl_queue_info {
	uint8_t kind;
	uint8_t engine_class;
	uint8_t engine_index;
	uint8_t stream;
	uint8_t has_lower_cp;
	const char *name;
};

/** enum mdl_mem_kind - which memory an address falls in. */
enum mdl_mem_kind {
	MDL_MEM_UNKNOWN = 0,
	MDL_MEM_HBM,
	MDL_MEM_SRAM,
	MDL_MEM_HOST, /* host memory through the device MMU (or bypass) */
	MDL_MEM_CFG, /* register space */
	MDL_MEM_KIND_COUNT_
};

/** enum mdl_target_kind - what a 32-bit message write at an address does. */
enum mdl_target_kind {
	MDL_TARGET_NONE = 0, /* plain memory or a register the model ignores */
	MDL_TARGET_SOB, /* sync object @index of SM block @block */
	MDL_TARGET_MON_PAY_ADDRL, /* monitor @index: payload address bits 31:0 */
	MDL_TARGET_MON_PAY_ADDRH, /* monitor @index: payload address bits 63:32 */
	MDL_TARGET_MON_PAY_DATA, /* monitor @index: payload data */
	MDL_TARGET_MON_ARM, /* monitor @index: arm */
	MDL_TARGET_FENCE, /* CP_FENCE<fence_id>_RDATA of CP @cp of QMAN @qman */
	MDL_TARGET_CQ, /* completion-queue write of external queue @qman (queue id) */
	MDL_TARGET_MSI, /* interrupt request */
};

/**
 * struct mdl_target - decoded destination of a message write.
 * @kind: enum mdl_target_kind.
 * @block: sync-manager block (0..sm_blocks-1) for SOB and monitor targets.
 * @index: SOB or monitor index within the block.
 * @qman: for FENCE: QMAN number (see mdl_asic_funcs.qman_of_queue); for CQ: queue id.
 * @cp: for FENCE: CP index 0..3 (upper CP of that stream) or 4 (lower CP).
 * @fence_id: for FENCE: 0..3.
 */
struct mdl_target {
	uint8_t kind;
	uint8_t block;
	uint8_t cp;
	uint8_t fence_id;
	uint32_t index;
	uint32_t qman;
};

/**
 * struct mdl_mon_arm - a monitor's arm register.
 * @group: SOB group (SOB id / mon_max_sobs) the monitor watches.
 * @mask: a 0 bit i means "watch SOB group*mon_max_sobs + i".
 * @mode_eq: 0: fire when every watched SOB >= @value; 1: when every one == @value.
 * @value: the target.
 */
struct mdl_mon_arm {
	uint32_t group;
	uint32_t mask;
	uint8_t mode_eq;
	uint32_t value;
};

/**
 * struct mdl_asic_props - fixed facts of one ASIC, filled once by its
 * set_fixed_props() and then read-only. Addresses are device addresses.
 */
struct mdl_asic_props {
	const char *asic_name; /* "gaudi" */
	const char *card_name; /* "HL205" */
	uint32_t pci_device_id; /* 0x1000 for Gaudi */
	uint32_t num_queues; /* queue ids 0..num_queues-1 */
	uint32_t num_qmans; /* QMANs (each 4 streams + maybe a lower CP) */
	uint32_t engines_per_class[MDL_ENGINE_CLASS_COUNT_];
	uint32_t sm_blocks; /* sync-manager blocks */
	uint32_t sobs_per_block; /* sync objects per block */
	uint32_t mons_per_block; /* monitors per block */
	uint32_t mon_max_sobs; /* SOBs one monitor watches (a group) */
	uint32_t sob_value_mask; /* 0x7FFF on Gaudi (15 bits) */
	uint64_t sram_base, sram_size_bytes; /* user SRAM */
	uint64_t dram_base, dram_size_bytes; /* user DRAM (HBM) */
	uint64_t host_va_base, host_va_size_bytes; /* host memory through the MMU */
	uint64_t cfg_base, cfg_size_bytes; /* register space */
	uint32_t engine_block_bytes; /* size of the register file kept per engine */
	uint32_t dma_wr_comp_addr_lo, dma_wr_comp_addr_hi, dma_wr_comp_wdata; /* DMA core offsets */
	uint32_t cb_align_bytes; /* driver pads external CBs to this (cache line) */
	/*
	 * Engine-block offsets whose write starts work on the engine (0 = none): DMA core
	 * COMMIT, TPC_EXECUTE, MME_CTRL_CMD. The simulator launches (or, for engines not
	 * modelled yet, refuses) work when a WREG hits one of them.
	 */
	uint32_t launch_reg[MDL_ENGINE_CLASS_COUNT_];
	/* DMA core register offsets used by a COMMIT launch. */
	uint32_t dma_src_base_lo, dma_src_base_hi, dma_dst_base_lo, dma_dst_base_hi;
	uint32_t dma_dst_tsize_0;
	uint32_t dma_dst_tsize_k[4]; /* DST_TSIZE_1..4: rows of a strided transfer */
	uint32_t dma_dst_base_hi_mask; /* address bits DST_BASE_HI holds (Gaudi: 23:0) */
	uint32_t dma_commit_wr_comp, dma_commit_lin, dma_commit_memset; /* COMMIT bit masks */
	uint32_t dma_commit_unmodelled; /* COMMIT modes the model refuses (transpose, ...) */
	const char *sm_block_names[8]; /* "E_N", "W_N", ... indexed by block */
	const struct mdl_tpc_layout *tpc_layout; /* TPC descriptor offsets (NULL: no TPC model) */
	const struct mdl_mme_layout *mme_layout; /* MME descriptor offsets (NULL: no MME model) */
};

/**
 * struct mdl_asic_funcs - the per-ASIC operations. A NULL hook means "not modelled".
 * All hooks are pure functions of their arguments (no hidden global state), so they
 * can be called from any actor and from tests.
 */
struct mdl_asic_funcs {
	const struct mdl_asic_props *props;

	/**
	 * @decode: decode the packet at byte @off of the CB @cb (@cb_size bytes) into @out.
	 * Must not read past @cb_size. On failure returns HLSIM_E_DECODE with a detail
	 * naming the byte offset and what was wrong (invalid opcode 0x.., truncated
	 * packet, size runs past the CB end); the caller prefixes CS and job.
	 */
	hlsim_err_t (*decode)(const uint8_t *cb, size_t cb_size, size_t off, struct hlsim_cmd *out);

	/** @opcode_name: "LIN_DMA" for a raw opcode, or NULL if invalid. */
	const char *(*opcode_name)(uint8_t opcode);

	/** @queue_info: describe queue @queue_id; returns NULL if out of range. */
	const struct mdl_queue_info *(*queue_info)(uint32_t queue_id);

	/** @qman_of_queue: the QMAN number (0..num_qmans-1) of a queue. */
	uint32_t (*qman_of_queue)(uint32_t queue_id);

	/** @qman_name: "DMA2", "TPC0", "MME0" for a QMAN number. */
	const char *(*qman_name)(uint32_t qman);

	/**
	 * @msg_base_addr: absolute address CP_MSG_BASE<@base> holds on the CPs of QMAN
	 * @qman, as the driver programs it; 0 if that base is not programmed.
	 */
	uint64_t (*msg_base_addr)(uint32_t qman, uint8_t base);

	/** @classify_target: what a 32-bit message write to @addr does. */
	void (*classify_target)(uint64_t addr, struct mdl_target *out);

	/** @mem_kind: which memory @addr is in. */
	enum mdl_mem_kind (*mem_kind)(uint64_t addr);

	/** @fence_addr: absolute address of CP_FENCE<@fence_id>_RDATA_<@cp> of QMAN @qman. */
	uint64_t (*fence_addr)(uint32_t qman, uint8_t cp, uint8_t fence_id);
	/** @sob_addr: absolute address of SOB @index of SM block @block. */
	uint64_t (*sob_addr)(uint8_t block, uint32_t index);
	/** @mon_addr: absolute address of the monitor register @which (a MDL_TARGET_MON_*) of monitor @index. */
	uint64_t (*mon_addr)(uint8_t block, uint32_t index, enum mdl_target_kind which);

	/**
	 * @reg_name: name of the register at byte @offset of an engine block of class
	 * @engine_class ("commit", "tpc_execute", "qm_tensor_0.base_addr_low"), or NULL.
	 */
	const char *(*reg_name)(enum mdl_engine_class engine_class, uint32_t offset);

	/**
	 * @ext_job_epilogue: the bytes the driver appends to a CB of size @cb_size on
	 * external queue @queue_id (NOP padding to the cache line, then the CQ and MSI
	 * MSG_PROT packets), written to @out (room for @cap bytes). Returns the number of
	 * bytes written, 0 if the queue gets none.
	 */
	size_t (*ext_job_epilogue)(uint32_t queue_id, uint32_t job_id, size_t cb_size, uint8_t *out,
				   size_t cap);

	/**
	 * @encode: the inverse of @decode: write @cmd as packet bytes into @out (room for
	 * @cap bytes). Returns the bytes written, or 0 (with an error detail) if @cmd has
	 * no encoding on this ASIC or does not fit. cmd->size_bytes is ignored (derived).
	 */
	size_t (*encode)(const struct hlsim_cmd *cmd, uint8_t *out, size_t cap);

	/** @sob_value_decode: a SOB write value -> add (1) or set (0), and the operand. */
	void (*sob_value_decode)(uint32_t value, int *add, uint32_t *operand);
	/** @sob_value_encode: the inverse. */
	uint32_t (*sob_value_encode)(int add, uint32_t operand);
	/** @mon_arm_decode: a MON_ARM value -> struct mdl_mon_arm. */
	void (*mon_arm_decode)(uint32_t value, struct mdl_mon_arm *out);
	/** @mon_arm_encode: the inverse. */
	uint32_t (*mon_arm_encode)(const struct mdl_mon_arm *arm);

	/**
	 * @engine_launch: the work started by a write to props->launch_reg[@cls] of an
	 * engine whose register file (its 64 KiB block, as 32-bit words) is @regs.
	 * @hint may be NULL. HLSIM_E_UNSUPPORTED (with a detail) for classes the ASIC does
	 * not model; HLSIM_E_SIM for programming that makes no sense (zero-sized tensors,
	 * addresses in no memory). NULL hook: no engine work is modelled on this ASIC.
	 */
	hlsim_err_t (*engine_launch)(enum mdl_engine_class cls, const uint32_t *regs,
				     const struct mdl_engine_cfg *ec, const struct mdl_cost_hint *hint,
				     struct mdl_work *out);
};

/** mdl_asic_get - the function table for @type; HLSIM_E_UNSUPPORTED_ASIC if unknown. */
hlsim_err_t mdl_asic_get(enum mdl_asic_type type, const struct mdl_asic_funcs **out);
/** mdl_asic_by_name - "gaudi" (or "hl205") -> table. */
hlsim_err_t mdl_asic_by_name(const char *name, const struct mdl_asic_funcs **out);

/* Per-ASIC setters: the only symbols an ASIC directory exports. */
const struct mdl_asic_funcs *gaudi_get_asic_funcs(void);
const struct mdl_asic_funcs *gaudi2_get_asic_funcs(void);

/** Names for enums, for reports. */
const char *mdl_engine_class_name(enum mdl_engine_class c);
const char *mdl_mem_kind_name(enum mdl_mem_kind k);

#endif /* HLSIM_MDL_ASIC_H */
