/*
 * models/common/qman_map.h - the device address-map logic that Gaudi and Gaudi2 share:
 * sync-manager SOB and monitor registers, QMAN CP fence registers, the model's completion
 * queues and MSI, both ways (address -> struct mdl_target, and target -> address), and
 * the SOB-update and MON_ARM value encodings [GAUDI-FACTS §1.4, §2.4, §3.7].
 *
 * Each ASIC describes its map in a struct mdl_addr_map (block bases, offsets, strides,
 * counts, bit positions) and wraps these functions in its struct mdl_asic_funcs hooks.
 * Nothing here branches on the ASIC type.
 */
#ifndef HLSIM_MODELS_COMMON_QMAN_MAP_H
#define HLSIM_MODELS_COMMON_QMAN_MAP_H

#include <stdint.h>

#include "models/common/asic.h"

/**
 * struct mdl_addr_map - one ASIC's register map, as far as the shared code reads it.
 * @cfg_base: CFG space base address; @cfg_size_bytes: its size.
 * @sm_blocks: number of sync-manager blocks.
 * @sm_sob0: SOB_OBJ_0 of each block, relative to @cfg_base (@sm_blocks entries).
 * @sm_span_bytes: bytes from SOB_OBJ_0 to the end of a block's monitor registers.
 * @sm_sobs: SOBs per block; @sm_mons: monitors per block.
 * @sm_off_sob: SOB_OBJ_0 offset in a block.
 * @sm_off_mon: MON_PAY_ADDRL_0, MON_PAY_ADDRH_0, MON_PAY_DATA_0 and MON_ARM_0 offsets in
 *              a block, each an array of @sm_mons u32 registers, back to back.
 * @sm_off_mon_end: first offset after MON_ARM (a status/config array, not a target).
 * @num_qmans: number of QMANs; @qm_base: a QMAN's QM block, relative to @cfg_base.
 * @qm_block_align: every QM block starts on this boundary (a power of 2).
 * @qm_cps: CPs per QMAN; @qm_fences: fence counters per CP.
 * @qm_fence0_rdata: CP_FENCE0_RDATA_0 offset in a QM block.
 * @qm_fence_stride: CP_FENCE<n+1>_RDATA_0 - CP_FENCE<n>_RDATA_0.
 * @qm_cp_stride: _RDATA_<cp+1> - _RDATA_<cp>.
 * @cq_base: the model's first completion queue; @num_cqs: how many;
 *           @cq_stride_bytes: bytes per CQ.
 * @has_msi: the model has an MSI address; @msi_addr: that address.
 * @sob_add_bit: SOB update: 1 = add, 0 = set; @sob_value_mask: its operand.
 * @mon_arm_group_mask: MON_ARM SOB group (SID); @mon_arm_mask_shift: its 8-bit mask;
 * @mon_arm_mode_bit: 1 = equal, 0 = greater or equal; @mon_arm_value_shift: its value.
 */
struct mdl_addr_map {
	uint64_t cfg_base;
	uint64_t cfg_size_bytes;
	uint32_t sm_blocks;
	const uint32_t *sm_sob0;
	uint32_t sm_span_bytes;
	uint32_t sm_sobs, sm_mons;
	uint32_t sm_off_sob;
	uint32_t sm_off_mon[4];
	uint32_t sm_off_mon_end;
	uint32_t num_qmans;
	uint32_t (*qm_base)(uint32_t qman);
	uint32_t qm_block_align;
	uint32_t qm_cps, qm_fences;
	uint32_t qm_fence0_rdata, qm_fence_stride, qm_cp_stride;
	uint64_t cq_base;
	uint32_t num_cqs;
	uint64_t cq_stride_bytes;
	uint8_t has_msi;
	uint64_t msi_addr;
	uint32_t sob_add_bit, sob_value_mask;
	uint32_t mon_arm_group_mask, mon_arm_mask_shift, mon_arm_mode_bit, mon_arm_value_shift;
};

/**
 * mdl_map_classify() - what a 32-bit message write to @addr targets.
 * @map: the ASIC's map; @addr: the address; @out: zeroed, then filled (MDL_TARGET_NONE
 * for an unaligned address or one that is no modelled register).
 */
void mdl_map_classify(const struct mdl_addr_map *map, uint64_t addr, struct mdl_target *out);

/** mdl_map_fence_addr() - address of CP_FENCE<fence_id>_RDATA_<cp> of @qman, 0 if none. */
uint64_t mdl_map_fence_addr(const struct mdl_addr_map *map, uint32_t qman, uint8_t cp,
			    uint8_t fence_id);

/** mdl_map_sob_addr() - address of SOB @index of sync-manager @block, 0 if none. */
uint64_t mdl_map_sob_addr(const struct mdl_addr_map *map, uint8_t block, uint32_t index);

/**
 * mdl_map_mon_addr() - address of monitor @index's register @which (MDL_TARGET_MON_*) in
 * sync-manager @block, 0 if none.
 */
uint64_t mdl_map_mon_addr(const struct mdl_addr_map *map, uint8_t block, uint32_t index,
			  enum mdl_target_kind which);

/** mdl_map_sob_value_decode() - split an SOB update value into @add and @operand. */
void mdl_map_sob_value_decode(const struct mdl_addr_map *map, uint32_t value, int *add,
			      uint32_t *operand);

/** mdl_map_sob_value_encode() - the SOB update value that adds or sets @operand. */
uint32_t mdl_map_sob_value_encode(const struct mdl_addr_map *map, int add, uint32_t operand);

/** mdl_map_mon_arm_decode() - the fields of a MON_ARM value. */
void mdl_map_mon_arm_decode(const struct mdl_addr_map *map, uint32_t value,
			    struct mdl_mon_arm *out);

/** mdl_map_mon_arm_encode() - the MON_ARM value of @arm. */
uint32_t mdl_map_mon_arm_encode(const struct mdl_addr_map *map, const struct mdl_mon_arm *arm);

/*
 * MDL_ADDR_MAP_HOOKS(prefix, map) - define the static struct mdl_asic_funcs hooks
 * <prefix>_classify_target, _fence_addr, _sob_addr, _mon_addr, _sob_value_decode,
 * _sob_value_encode, _mon_arm_decode and _mon_arm_encode of one ASIC on its struct
 * mdl_addr_map @map (the hooks take no context pointer).
 */
#define MDL_ADDR_MAP_HOOKS(prefix, map)                                                    \
	static void prefix##_classify_target(uint64_t addr, struct mdl_target *out)        \
	{                                                                                  \
		mdl_map_classify(&(map), addr, out);                                       \
	}                                                                                  \
	static uint64_t prefix##_fence_addr(uint32_t qman, uint8_t cp, uint8_t fence_id)   \
	{                                                                                  \
		return mdl_map_fence_addr(&(map), qman, cp, fence_id);                     \
	}                                                                                  \
	static uint64_t prefix##_sob_addr(uint8_t block, uint32_t index)                   \
	{                                                                                  \
		return mdl_map_sob_addr(&(map), block, index);                             \
	}                                                                                  \
	static uint64_t prefix##_mon_addr(uint8_t block, uint32_t index,                   \
					  enum mdl_target_kind which)                      \
	{                                                                                  \
		return mdl_map_mon_addr(&(map), block, index, which);                      \
	}                                                                                  \
	static void prefix##_sob_value_decode(uint32_t value, int *add, uint32_t *operand) \
	{                                                                                  \
		mdl_map_sob_value_decode(&(map), value, add, operand);                     \
	}                                                                                  \
	static uint32_t prefix##_sob_value_encode(int add, uint32_t operand)               \
	{                                                                                  \
		return mdl_map_sob_value_encode(&(map), add, operand);                     \
	}                                                                                  \
	static void prefix##_mon_arm_decode(uint32_t value, struct mdl_mon_arm *out)       \
	{                                                                                  \
		mdl_map_mon_arm_decode(&(map), value, out);                                \
	}                                                                                  \
	static uint32_t prefix##_mon_arm_encode(const struct mdl_mon_arm *arm)             \
	{                                                                                  \
		return mdl_map_mon_arm_encode(&(map), arm);                                \
	}

#endif /* HLSIM_MODELS_COMMON_QMAN_MAP_H */
