/*
 * models/common/disasm.c - objdump-like text for one decoded packet (see disasm.h).
 *
 * Uses only the ASIC function table: register names by the queue's engine class,
 * MSG_SHORT resolved through the CP_MSG_BASE registers of the queue's QMAN, message
 * targets through classify_target (SOB, monitor, CP fence, CQ, MSI), memory kinds
 * through mem_kind.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "models/common/disasm.h"

/* A line being built; @overflow is set once a piece did not fit. */
struct line {
	char *buf;
	size_t cap, len;
	int overflow;
};

static void put(struct line *l, const char *fmt, ...) HLSIM_PRINTF(2, 3);

static void put(struct line *l, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (l->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(l->buf + l->len, l->cap - l->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= l->cap - l->len) {
		l->overflow = 1;
		l->len = l->cap - 1;
		return;
	}
	l->len += (size_t)n;
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static const char *mem_name(const struct mdl_asic_funcs *f, uint64_t addr)
{
	return mdl_mem_kind_name(f->mem_kind(addr));
}

static void put_block(struct line *l, const struct mdl_asic_funcs *f, uint32_t block)
{
	const char *name = block < 8 ? f->props->sm_block_names[block] : NULL;

	if (name)
		put(l, "%s", name);
	else
		put(l, "SM%u", block);
}

static void put_reg(struct line *l, const char *name, uint32_t offset)
{
	if (name)
		put(l, "%s (0x%x)", name, offset);
	else
		put(l, "reg 0x%x", offset);
}

static void put_wreg(struct line *l, const struct mdl_asic_funcs *f,
		     const struct mdl_queue_info *qi, const struct hlsim_cmd *c)
{
	uint32_t first = c->u.wreg.reg_offset, last;
	const char *n0 = NULL, *n1 = NULL;

	if (c->u.wreg.values == NULL && c->u.wreg.count == 1) {
		if (qi)
			n0 = f->reg_name((enum mdl_engine_class)qi->engine_class, first);
		put_reg(l, n0, first);
		put(l, " = 0x%x", c->u.wreg.value);
		return;
	}
	if (!c->u.wreg.count) {
		put(l, "0 regs at 0x%x", first);
		return;
	}
	last = first + 4 * (c->u.wreg.count - 1);
	if (qi) {
		n0 = f->reg_name((enum mdl_engine_class)qi->engine_class, first);
		n1 = f->reg_name((enum mdl_engine_class)qi->engine_class, last);
	}
	if (n0 && n1)
		put(l, "%s .. %s (0x%x..0x%x), %u regs", n0, n1, first, last, c->u.wreg.count);
	else
		put(l, "0x%x..0x%x, %u regs", first, last, c->u.wreg.count);
}

/* The name of what a message write at @addr hits: "SOB E_N[12]", "CQ of DMA_0_0". */
static void put_target_name(struct line *l, const struct mdl_asic_funcs *f,
			    const struct mdl_target *t, uint64_t addr)
{
	const struct mdl_queue_info *cq_q;
	const char *qn;

	switch ((enum mdl_target_kind)t->kind) {
	case MDL_TARGET_SOB:
		put(l, "SOB ");
		put_block(l, f, t->block);
		put(l, "[%u]", t->index);
		return;
	case MDL_TARGET_MON_PAY_ADDRL:
	case MDL_TARGET_MON_PAY_ADDRH:
	case MDL_TARGET_MON_PAY_DATA:
	case MDL_TARGET_MON_ARM:
		put(l, "MON ");
		put_block(l, f, t->block);
		put(l, "[%u] %s", t->index,
		    t->kind == MDL_TARGET_MON_PAY_ADDRL   ? "PAY_ADDRL" :
		    t->kind == MDL_TARGET_MON_PAY_ADDRH ? "PAY_ADDRH" :
		    t->kind == MDL_TARGET_MON_PAY_DATA  ? "PAY_DATA" :
							  "ARM");
		return;
	case MDL_TARGET_FENCE:
		qn = f->qman_name(t->qman);
		put(l, "CP_FENCE%u of ", t->fence_id);
		if (qn)
			put(l, "%s", qn);
		else
			put(l, "QMAN %u", t->qman);
		if (t->cp == 4)
			put(l, " lower CP");
		else
			put(l, " stream %u CP", t->cp);
		return;
	case MDL_TARGET_CQ:
		cq_q = f->queue_info(t->qman);
		if (cq_q)
			put(l, "CQ of %s", cq_q->name);
		else
			put(l, "CQ of queue %u", t->qman);
		return;
	case MDL_TARGET_MSI:
		put(l, "MSI");
		return;
	case MDL_TARGET_NONE:
		break;
	}
	put(l, "0x%" PRIx64 " (%s)", addr, mem_name(f, addr));
}

/* What the written value means for that target: " += 1", " group 1 mask 0xef >= 1". */
static void put_target_value(struct line *l, const struct mdl_asic_funcs *f,
			     const struct mdl_target *t, uint32_t value)
{
	struct mdl_mon_arm arm;
	uint32_t operand;
	int add;

	switch ((enum mdl_target_kind)t->kind) {
	case MDL_TARGET_SOB:
		f->sob_value_decode(value, &add, &operand);
		put(l, " %s %u", add ? "+=" : ":=", operand);
		return;
	case MDL_TARGET_MON_ARM:
		f->mon_arm_decode(value, &arm);
		put(l, " group %u mask 0x%02x %s %u", arm.group, arm.mask,
		    arm.mode_eq ? "==" : ">=", arm.value);
		return;
	case MDL_TARGET_FENCE:
		put(l, " += %u", value);
		return;
	case MDL_TARGET_MON_PAY_ADDRL:
	case MDL_TARGET_MON_PAY_ADDRH:
	case MDL_TARGET_MON_PAY_DATA:
	case MDL_TARGET_CQ:
	case MDL_TARGET_MSI:
	case MDL_TARGET_NONE:
		break;
	}
	put(l, " = 0x%x", value);
}

static void put_msg(struct line *l, const struct mdl_asic_funcs *f, uint32_t queue_id,
		    const struct hlsim_cmd *c)
{
	uint64_t addr = c->u.msg.addr, base;
	struct mdl_target t;
	uint32_t qman;

	if (c->u.msg.is_short) {
		qman = f->qman_of_queue(queue_id);
		base = qman < f->props->num_qmans ? f->msg_base_addr(qman, c->u.msg.base) : 0;
		put(l, "base%u+0x%" PRIx64 ": ", c->u.msg.base, addr);
		if (!base) {
			put(l, "CP_MSG_BASE%u is not programmed on this queue, value 0x%x",
			    c->u.msg.base, c->u.msg.value);
			return;
		}
		addr += base;
	}
	f->classify_target(addr, &t);
	put_target_name(l, f, &t, addr);
	if (c->u.msg.op == HLSIM_MSG_WRITE_TIMESTAMP)
		put(l, " <- timestamp");
	else
		put_target_value(l, f, &t, c->u.msg.value);
	if (c->u.msg.weakly_ordered)
		put(l, ", weakly ordered");
	if (c->u.msg.no_snoop)
		put(l, ", no snoop");
}

static void put_dma(struct line *l, const struct mdl_asic_funcs *f, const struct hlsim_cmd *c)
{
	uint32_t fl = c->u.dma.flags;

	if (fl & HLSIM_DMA_MEMSET)
		put(l, "memset %s %" PRIu64 " B value 0x%016" PRIx64 ", dst 0x%" PRIx64,
		    mem_name(f, c->u.dma.dst_addr), c->u.dma.size_bytes, c->u.dma.src_addr,
		    c->u.dma.dst_addr);
	else
		put(l, "%s -> %s, %" PRIu64 " B, src 0x%" PRIx64 " dst 0x%" PRIx64,
		    mem_name(f, c->u.dma.src_addr), mem_name(f, c->u.dma.dst_addr),
		    c->u.dma.size_bytes, c->u.dma.src_addr, c->u.dma.dst_addr);
	if (fl & HLSIM_DMA_WR_COMP)
		put(l, ", wr_comp");
	if (fl & HLSIM_DMA_TRANSPOSE)
		put(l, ", transpose");
	if (fl & HLSIM_DMA_DTYPE)
		put(l, ", dtype");
	if (fl & HLSIM_DMA_COMPRESS)
		put(l, ", compress");
	if (fl & HLSIM_DMA_DECOMPRESS)
		put(l, ", decompress");
	if (c->u.dma.context_id)
		put(l, ", ctx 0x%x", c->u.dma.context_id);
}

static void put_fields(struct line *l, const struct mdl_asic_funcs *f, uint32_t queue_id,
		       const struct mdl_queue_info *qi, const struct hlsim_cmd *c)
{
	switch ((enum hlsim_cmd_kind)c->kind) {
	case HLSIM_CMD_NOP:
	case HLSIM_CMD_STOP:
		return;
	case HLSIM_CMD_WREG:
		put_wreg(l, f, qi, c);
		return;
	case HLSIM_CMD_MSG:
		put_msg(l, f, queue_id, c);
		return;
	case HLSIM_CMD_CB_CALL:
		put(l, "CB 0x%" PRIx64 " (%s), %u B%s", c->u.cb_call.addr,
		    mem_name(f, c->u.cb_call.addr), c->u.cb_call.size_bytes,
		    c->u.cb_call.upper_cp ? ", upper CP" : "");
		return;
	case HLSIM_CMD_REPEAT:
		put(l, "sore %u outer %u jmp_ptr 0x%x", c->u.repeat.sore, c->u.repeat.outer,
		    c->u.repeat.jmp_ptr);
		return;
	case HLSIM_CMD_FENCE:
		put(l, "fence %u >= %u, then -= %u", c->u.fence.id, c->u.fence.target,
		    c->u.fence.dec);
		return;
	case HLSIM_CMD_DMA:
		put_dma(l, f, c);
		return;
	case HLSIM_CMD_ARB_POINT:
		if (c->u.arb.release)
			put(l, "release, priority %u", c->u.arb.priority);
		else
			put(l, "priority %u", c->u.arb.priority);
		return;
	case HLSIM_CMD_WAIT:
		put(l, "%u cycles, then fence %u += %u", c->u.wait.cycles, c->u.wait.id,
		    c->u.wait.inc);
		return;
	case HLSIM_CMD_LOAD_AND_EXE:
		put(l, "%s%s%s %s from 0x%" PRIx64 " (%s)",
		    c->u.load_exe.load ? "load" : "",
		    c->u.load_exe.load && c->u.load_exe.exe ? "+" : "",
		    c->u.load_exe.exe ? "exe" : (c->u.load_exe.load ? "" : "no-op"),
		    c->u.load_exe.dst ? "scalars" : "predicates", c->u.load_exe.src_addr,
		    mem_name(f, c->u.load_exe.src_addr));
		if (c->u.load_exe.etype)
			put(l, ", etype 1");
		return;
	case HLSIM_CMD_CB_LIST:
		put(l, "index at 0x%" PRIx64 " (%s), table at 0x%" PRIx64 " (%s), %u-byte entries",
		    c->u.cb_list.index_addr, mem_name(f, c->u.cb_list.index_addr),
		    c->u.cb_list.table_addr, mem_name(f, c->u.cb_list.table_addr),
		    c->u.cb_list.size_desc ? 32 : 16);
		return;
	case HLSIM_CMD_WREG64:
		put(l, "%s base %u dreg_offset 0x%x offset 0x%" PRIx64 "%s",
		    c->u.wreg64.is_long ? "long" : "short", c->u.wreg64.base, c->u.wreg64.dreg_offset,
		    c->u.wreg64.offset, c->u.wreg64.rel ? ", relative" : "");
		if (c->u.wreg64.is_long)
			put(l, ", dw_enable 0x%x", c->u.wreg64.dw_enable);
		return;
	case HLSIM_CMD_ARC_STREAM:
		put(l, "%u u64 words to the ARC scheduler", c->u.arc_stream.count);
		return;
	case HLSIM_CMD_WREG_REG:
		put(l, "0x%x <- CP register %u", c->u.wreg.reg_offset, c->u.wreg.reg_id);
		return;
	case HLSIM_CMD_NIC:
		put(l, "hlsim record: RDMA write %" PRIu64 " bytes 0x%" PRIx64 " (%s) -> device %u 0x%" PRIx64,
		    c->u.nic.size_bytes, c->u.nic.src_addr, mem_name(f, c->u.nic.src_addr),
		    c->u.nic.dst_device, c->u.nic.dst_addr);
		if (c->u.nic.flags & HLSIM_NIC_RMSG)
			put(l, ", then device %u [0x%" PRIx64 "] = 0x%x", c->u.nic.dst_device,
			    c->u.nic.rmsg_addr, c->u.nic.rmsg_value);
		if (c->u.nic.flags & HLSIM_NIC_LMSG)
			put(l, ", then [0x%" PRIx64 "] = 0x%x", c->u.nic.lmsg_addr, c->u.nic.lmsg_value);
		return;
	case HLSIM_CMD_KIND_COUNT_:
		break;
	}
	put(l, "command kind %u", c->kind);
}

hlsim_err_t mdl_disasm_packet(const struct mdl_asic_funcs *f, uint32_t queue_id,
			      const uint8_t *cb, size_t cb_size, size_t off,
			      const struct hlsim_cmd *cmd, char *buf, size_t cap)
{
	struct line l = { .buf = buf, .cap = cap };
	const struct mdl_queue_info *qi;
	const char *name;
	char bar[16] = ""; /* "eb rb mb " */

	if (!f || !cb || !cmd || !buf || !cap)
		return hlsim_error(HLSIM_E_INVAL, "disasm: NULL argument or empty output buffer");
	buf[0] = '\0';
	if (off > cb_size || cb_size - off < 8 || cmd->size_bytes > cb_size - off)
		return hlsim_error(HLSIM_E_INVAL,
				   "disasm: byte offset 0x%zx: a %u-byte packet does not fit in a "
				   "CB of %zu bytes",
				   off, cmd->size_bytes, cb_size);
	qi = f->queue_info(queue_id);
	name = f->opcode_name(cmd->opcode);
	if (cmd->eb)
		strcat(bar, "eb ");
	if (cmd->rb)
		strcat(bar, "rb ");
	if (cmd->mb)
		strcat(bar, "mb ");

	put(&l, "0x%06zx  %08x %08x %s  %-12s  %-8s  ", off, rd32(cb + off), rd32(cb + off + 4),
	    cmd->size_bytes > 8 ? "..." : "   ", name ? name : "?", bar);
	if (cmd->pred)
		put(&l, "pred=%u  ", cmd->pred);
	put_fields(&l, f, queue_id, qi, cmd);
	while (l.len && buf[l.len - 1] == ' ')
		buf[--l.len] = '\0';
	if (l.overflow)
		return hlsim_error(HLSIM_E_INVAL,
				   "disasm: byte offset 0x%zx: line longer than %zu bytes", off,
				   cap - 1);
	return HLSIM_OK;
}
