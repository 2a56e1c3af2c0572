/*
 * tests/unit/cmd_equal.h - field-by-field equality of two struct hlsim_cmd, shared by the
 * Gaudi and Gaudi2 packet tests and fuzz targets.
 *
 * Every field of the kind's union member is compared (the Gaudi2 additions too: a Gaudi
 * decoder leaves them 0), payloads (WREG_BULK, WRITE_ARC_STREAM) by their bytes.
 * size_bytes is compared only by cmd_equal_sized(): a command built from fields has none.
 */
#ifndef HLSIM_TESTS_UNIT_CMD_EQUAL_H
#define HLSIM_TESTS_UNIT_CMD_EQUAL_H

#include <stddef.h>
#include <string.h>

#include "hlsim/cmd.h"

/* Two payload pointers match when both are NULL, or both point at @len equal bytes. */
static inline int cmd_payload_equal(const uint8_t *a, const uint8_t *b, size_t len)
{
	if (!a != !b)
		return 0;
	return !a || !memcmp(a, b, len);
}

/* 1 if @a and @b have the same kind, opcode, ctl bits and fields of their kind. */
static inline int cmd_equal(const struct hlsim_cmd *a, const struct hlsim_cmd *b)
{
	if (a->kind != b->kind || a->opcode != b->opcode || a->eb != b->eb || a->rb != b->rb ||
	    a->mb != b->mb || a->pred != b->pred)
		return 0;
	switch ((enum hlsim_cmd_kind)a->kind) {
	case HLSIM_CMD_NOP:
	case HLSIM_CMD_STOP:
		return 1;
	case HLSIM_CMD_WREG:
	case HLSIM_CMD_WREG_REG:
		return a->u.wreg.reg_offset == b->u.wreg.reg_offset &&
		       a->u.wreg.count == b->u.wreg.count && a->u.wreg.value == b->u.wreg.value &&
		       a->u.wreg.reg_id == b->u.wreg.reg_id &&
		       cmd_payload_equal(a->u.wreg.values, b->u.wreg.values,
					 4 * (size_t)a->u.wreg.count);
	case HLSIM_CMD_MSG:
		return a->u.msg.addr == b->u.msg.addr && a->u.msg.value == b->u.msg.value &&
		       a->u.msg.op == b->u.msg.op && a->u.msg.base == b->u.msg.base &&
		       a->u.msg.is_short == b->u.msg.is_short &&
		       a->u.msg.is_prot == b->u.msg.is_prot &&
		       a->u.msg.weakly_ordered == b->u.msg.weakly_ordered &&
		       a->u.msg.no_snoop == b->u.msg.no_snoop && a->u.msg.dw == b->u.msg.dw;
	case HLSIM_CMD_CB_CALL:
		return a->u.cb_call.addr == b->u.cb_call.addr &&
		       a->u.cb_call.size_bytes == b->u.cb_call.size_bytes &&
		       a->u.cb_call.upper_cp == b->u.cb_call.upper_cp;
	case HLSIM_CMD_REPEAT:
		return a->u.repeat.jmp_ptr == b->u.repeat.jmp_ptr &&
		       a->u.repeat.sore == b->u.repeat.sore &&
		       a->u.repeat.outer == b->u.repeat.outer;
	case HLSIM_CMD_FENCE:
		return a->u.fence.id == b->u.fence.id && a->u.fence.target == b->u.fence.target &&
		       a->u.fence.dec == b->u.fence.dec;
	case HLSIM_CMD_DMA:
		return a->u.dma.src_addr == b->u.dma.src_addr &&
		       a->u.dma.dst_addr == b->u.dma.dst_addr &&
		       a->u.dma.size_bytes == b->u.dma.size_bytes &&
		       a->u.dma.flags == b->u.dma.flags &&
		       a->u.dma.context_id == b->u.dma.context_id;
	case HLSIM_CMD_ARB_POINT:
		return a->u.arb.priority == b->u.arb.priority &&
		       a->u.arb.release == b->u.arb.release;
	case HLSIM_CMD_WAIT:
		return a->u.wait.cycles == b->u.wait.cycles && a->u.wait.inc == b->u.wait.inc &&
		       a->u.wait.id == b->u.wait.id;
	case HLSIM_CMD_LOAD_AND_EXE:
		return a->u.load_exe.src_addr == b->u.load_exe.src_addr &&
		       a->u.load_exe.dst == b->u.load_exe.dst &&
		       a->u.load_exe.pmap == b->u.load_exe.pmap &&
		       a->u.load_exe.load == b->u.load_exe.load &&
		       a->u.load_exe.exe == b->u.load_exe.exe &&
		       a->u.load_exe.etype == b->u.load_exe.etype;
	case HLSIM_CMD_CB_LIST:
		return a->u.cb_list.index_addr == b->u.cb_list.index_addr &&
		       a->u.cb_list.table_addr == b->u.cb_list.table_addr &&
		       a->u.cb_list.size_desc == b->u.cb_list.size_desc;
	case HLSIM_CMD_WREG64:
		return a->u.wreg64.offset == b->u.wreg64.offset &&
		       a->u.wreg64.dreg_offset == b->u.wreg64.dreg_offset &&
		       a->u.wreg64.base == b->u.wreg64.base &&
		       a->u.wreg64.is_long == b->u.wreg64.is_long &&
		       a->u.wreg64.reg == b->u.wreg64.reg && a->u.wreg64.rel == b->u.wreg64.rel &&
		       a->u.wreg64.dw_enable == b->u.wreg64.dw_enable;
	case HLSIM_CMD_ARC_STREAM:
		return a->u.arc_stream.count == b->u.arc_stream.count &&
		       cmd_payload_equal(a->u.arc_stream.values, b->u.arc_stream.values,
					 8 * (size_t)a->u.arc_stream.count);
	case HLSIM_CMD_NIC:
		return a->u.nic.src_addr == b->u.nic.src_addr &&
		       a->u.nic.dst_addr == b->u.nic.dst_addr &&
		       a->u.nic.size_bytes == b->u.nic.size_bytes &&
		       a->u.nic.rmsg_addr == b->u.nic.rmsg_addr &&
		       a->u.nic.lmsg_addr == b->u.nic.lmsg_addr &&
		       a->u.nic.rmsg_value == b->u.nic.rmsg_value &&
		       a->u.nic.lmsg_value == b->u.nic.lmsg_value &&
		       a->u.nic.dst_device == b->u.nic.dst_device && a->u.nic.op == b->u.nic.op &&
		       a->u.nic.flags == b->u.nic.flags;
	case HLSIM_CMD_KIND_COUNT_:
		break;
	}
	return 0;
}

/* cmd_equal() and the same size_bytes: two decoded commands. */
static inline int cmd_equal_sized(const struct hlsim_cmd *a, const struct hlsim_cmd *b)
{
	return a->size_bytes == b->size_bytes && cmd_equal(a, b);
}

#endif /* HLSIM_TESTS_UNIT_CMD_EQUAL_H */
