/*
 * models/common/qman_map.c - the address-map logic Gaudi and Gaudi2 share (qman_map.h):
 * classify a message address as an SOB, a monitor register, a CP fence, a completion
 * queue entry or the MSI; the inverse (target -> address); and the SOB-update and MON_ARM
 * value layouts. Every number comes from the caller's struct mdl_addr_map.
 *
 * Choices: an unaligned address, and a status or config register of a sync manager, are
 * no target (MDL_TARGET_NONE). An out-of-range target has address 0.
 */
#include <string.h>

#include "models/common/qman_map.h"

/* {==== Address -> target ==== */

/* A CFG offset inside a sync-manager block: fills @out; returns 1 if it was one. */
static int classify_sm(const struct mdl_addr_map *map, uint32_t cfg_off,
		       struct mdl_target *out)
{
	static const uint8_t mon_kind[4] = {
		MDL_TARGET_MON_PAY_ADDRL,
		MDL_TARGET_MON_PAY_ADDRH,
		MDL_TARGET_MON_PAY_DATA,
		MDL_TARGET_MON_ARM,
	};
	const uint32_t mon_bytes = 4 * map->sm_mons;
	uint32_t b, rel, k;

	for (b = 0; b < map->sm_blocks; b++) {
		if (cfg_off < map->sm_sob0[b] || cfg_off - map->sm_sob0[b] >= map->sm_span_bytes)
			continue;
		rel = cfg_off - map->sm_sob0[b];
		if (rel < map->sm_off_mon[0]) {
			out->kind = MDL_TARGET_SOB;
			out->index = (rel - map->sm_off_sob) / 4;
		} else if (rel < map->sm_off_mon_end) {
			rel -= map->sm_off_mon[0];
			k = rel / mon_bytes;
			if (k >= 4)
				return 1; /* past the four monitor arrays: not a target */
			out->kind = mon_kind[k];
			out->index = (rel % mon_bytes) / 4;
		} else {
			return 1; /* monitor status / config: nothing to do */
		}
		out->block = (uint8_t)b;
		return 1;
	}
	return 0;
}

/* A CFG offset on a CP_FENCE<n>_RDATA_<cp> register of a QMAN: fills @out. */
static void classify_fence(const struct mdl_addr_map *map, uint32_t cfg_off,
			   struct mdl_target *out)
{
	uint32_t blk = cfg_off & ~(map->qm_block_align - 1), rel = cfg_off - blk, q;
	const uint32_t span = map->qm_fences * map->qm_fence_stride;

	if (rel < map->qm_fence0_rdata || rel - map->qm_fence0_rdata >= span)
		return;
	rel -= map->qm_fence0_rdata;
	for (q = 0; q < map->num_qmans; q++) {
		if (map->qm_base(q) != blk)
			continue;
		out->kind = MDL_TARGET_FENCE;
		out->qman = q;
		out->fence_id = (uint8_t)(rel / map->qm_fence_stride);
		out->cp = (uint8_t)((rel % map->qm_fence_stride) / map->qm_cp_stride);
		return;
	}
}

void mdl_map_classify(const struct mdl_addr_map *map, uint64_t addr, struct mdl_target *out)
{
	memset(out, 0, sizeof(*out));
	if (addr & 3)
		return;
	if (addr >= map->cfg_base && addr - map->cfg_base < map->cfg_size_bytes) {
		uint32_t off = (uint32_t)(addr - map->cfg_base);

		if (!classify_sm(map, off, out))
			classify_fence(map, off, out);
		return;
	}
	if (addr >= map->cq_base && addr - map->cq_base < map->num_cqs * map->cq_stride_bytes) {
		/* @qman = the queue id the CQ belongs to (asic.h); @index = the CQ entry. */
		out->kind = MDL_TARGET_CQ;
		out->qman = (uint32_t)((addr - map->cq_base) / map->cq_stride_bytes);
		out->index = (uint32_t)((addr - map->cq_base) % map->cq_stride_bytes / 4);
		return;
	}
	if (map->has_msi && addr == map->msi_addr)
		out->kind = MDL_TARGET_MSI;
}
/* ====} */

/* {==== Target -> address ==== */

uint64_t mdl_map_fence_addr(const struct mdl_addr_map *map, uint32_t qman, uint8_t cp,
			    uint8_t fence_id)
{
	if (qman >= map->num_qmans || cp >= map->qm_cps || fence_id >= map->qm_fences)
		return 0;
	return map->cfg_base + map->qm_base(qman) + map->qm_fence0_rdata +
	       (uint64_t)fence_id * map->qm_fence_stride + (uint64_t)cp * map->qm_cp_stride;
}

uint64_t mdl_map_sob_addr(const struct mdl_addr_map *map, uint8_t block, uint32_t index)
{
	if (block >= map->sm_blocks || index >= map->sm_sobs)
		return 0;
	return map->cfg_base + map->sm_sob0[block] + map->sm_off_sob + 4ull * index;
}

uint64_t mdl_map_mon_addr(const struct mdl_addr_map *map, uint8_t block, uint32_t index,
			  enum mdl_target_kind which)
{
	uint32_t off;

	if (block >= map->sm_blocks || index >= map->sm_mons)
		return 0;
	switch (which) {
	case MDL_TARGET_MON_PAY_ADDRL:
		off = map->sm_off_mon[0];
		break;
	case MDL_TARGET_MON_PAY_ADDRH:
		off = map->sm_off_mon[1];
		break;
	case MDL_TARGET_MON_PAY_DATA:
		off = map->sm_off_mon[2];
		break;
	case MDL_TARGET_MON_ARM:
		off = map->sm_off_mon[3];
		break;
	default: /* not a monitor register */
		return 0;
	}
	return map->cfg_base + map->sm_sob0[block] + off + 4ull * index;
}
/* ====} */

/* {==== SOB and monitor values [C THUNK-PKT so_upd, mon_arm_register] ==== */

void mdl_map_sob_value_decode(const struct mdl_addr_map *map, uint32_t value, int *add,
			      uint32_t *operand)
{
	*add = !!(value & map->sob_add_bit);
	*operand = value & map->sob_value_mask;
}

uint32_t mdl_map_sob_value_encode(const struct mdl_addr_map *map, int add, uint32_t operand)
{
	return (add ? map->sob_add_bit : 0) | (operand & map->sob_value_mask);
}

void mdl_map_mon_arm_decode(const struct mdl_addr_map *map, uint32_t value,
			    struct mdl_mon_arm *out)
{
	out->group = value & map->mon_arm_group_mask;
	out->mask = (value >> map->mon_arm_mask_shift) & 0xFF;
	out->mode_eq = !!(value & map->mon_arm_mode_bit);
	out->value = value >> map->mon_arm_value_shift;
}

uint32_t mdl_map_mon_arm_encode(const struct mdl_addr_map *map, const struct mdl_mon_arm *arm)
{
	return (arm->group & map->mon_arm_group_mask) |
	       (arm->mask & 0xFF) << map->mon_arm_mask_shift |
	       (arm->mode_eq ? map->mon_arm_mode_bit : 0) |
	       (arm->value & map->sob_value_mask) << map->mon_arm_value_shift;
}
/* ====} */
