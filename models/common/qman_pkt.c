/*
 * models/common/qman_pkt.c - decode and encode of the command-buffer packet parts that
 * Gaudi and Gaudi2 lay out alike [C THUNK-PKT gaudi_packets.h, gaudi2_packets.h;
 * GAUDI-FACTS §2.1-2.3]: the ctl dword, the size checks, and the fields of WREG_32,
 * WREG_BULK, MSG_LONG/SHORT/PROT, CP_DMA, REPEAT, FENCE, ARB_POINT, WAIT, LOAD_AND_EXE,
 * NOP and STOP. The Gaudi2 additions to these packets (§2.3) are taken when the caller's
 * struct mdl_pkt_isa names them; the caller owns the opcode table and every other packet.
 *
 * Choices: reserved bits are ignored on decode and written as 0 on encode. Errors name the
 * byte offset (decode) or the packet and field (encode).
 *
 * Hot path: decode reads bytes and fills a struct; it formats text only on error.
 */
#include <string.h>

#include "models/common/qman_pkt.h"

/* {==== Field layouts of the shared packets ==== */
/* WREG_32 / WREG_BULK */
#define WREG_CTL_REG 0x00000020u /* MDL_PKT_FEAT_WREG_REG */
#define WREG_CTL_OFFSET_SHIFT 8
#define WREG_CTL_OFFSET_MASK 0x00FFFF00u
#define WREG_REG_ID_MASK 0x00000003u
/* MSG_LONG / MSG_PROT / MSG_SHORT */
#define MSG_CTL_WEAKLY_ORDERED 0x00010000u
#define MSG_CTL_NO_SNOOP 0x00020000u
#define MSG_SHORT_CTL_DW 0x00040000u /* MDL_PKT_FEAT_MSG_DW */
#define MSG_CTL_OP_SHIFT 20
#define MSG_CTL_OP_MASK 0x00300000u
#define MSG_SHORT_CTL_OFFSET_MASK 0x0000FFFFu
#define MSG_SHORT_CTL_BASE_SHIFT 22
#define MSG_SHORT_CTL_BASE_MASK 0x00C00000u
/* CP_DMA */
#define CP_DMA_CTL_UPPER_CP 0x00000020u /* MDL_PKT_FEAT_UPPER_CP */
/* REPEAT */
#define REPEAT_SORE 0x00000001u
#define REPEAT_OUTER 0x00000002u
#define REPEAT_JMP_SHIFT 16
/* FENCE */
#define FENCE_DEC_MASK 0x0000000Fu
#define FENCE_TARGET_SHIFT 16
#define FENCE_TARGET_MASK 0x00FF0000u
#define FENCE_ID_SHIFT 30
/* ARB_POINT (the priority width is the ASIC's) */
#define ARB_RLS 0x80000000u
/* WAIT */
#define WAIT_CYCLES_MASK 0x00FFFFFFu
#define WAIT_INC_SHIFT 24
#define WAIT_INC_MASK 0x0F000000u
#define WAIT_ID_SHIFT 28
#define WAIT_ID_MASK 0x30000000u
/* LOAD_AND_EXE */
#define LAE_DST 0x001u
#define LAE_PMAP 0x002u /* MDL_PKT_FEAT_LAE_PMAP */
#define LAE_LOAD 0x100u
#define LAE_EXE 0x200u
#define LAE_ETYPE 0x400u
/* ====} */

/* {==== Decoding ==== */

hlsim_err_t mdl_pkt_decode_head(const struct mdl_pkt_isa *isa, const uint8_t *cb,
				size_t cb_size, size_t off, struct hlsim_cmd *out, uint32_t *dw0,
				uint32_t *ctl)
{
	const struct mdl_pkt_desc *d;
	const uint8_t *p;
	uint32_t size_bytes;
	uint8_t opcode;
	size_t left;

	if (!out || (!cb && cb_size))
		return hlsim_error(HLSIM_E_INVAL, "%s decode: NULL command buffer or output",
				   isa->tag);
	if (off & 7)
		return hlsim_error(HLSIM_E_DECODE,
				   "byte offset 0x%zx: packets start on 8-byte boundaries", off);
	left = off < cb_size ? cb_size - off : 0;
	if (left < 8)
		return hlsim_error(HLSIM_E_DECODE,
				   "byte offset 0x%zx: packet header needs 8 bytes, %zu left", off,
				   left);
	p = cb + off;
	*dw0 = mdl_pkt_rd32(p);
	*ctl = mdl_pkt_rd32(p + 4);
	opcode = (uint8_t)((*ctl & MDL_PKT_CTL_OPCODE_MASK) >> MDL_PKT_CTL_OPCODE_SHIFT);
	d = &isa->desc[opcode];
	if (!d->name)
		return hlsim_error(HLSIM_E_DECODE, "byte offset 0x%zx: invalid opcode 0x%02x", off,
				   opcode);
	if (d->flags & MDL_PKT_KERNEL_ONLY)
		return hlsim_error(HLSIM_E_DECODE,
				   "byte offset 0x%zx: %s (opcode 0x%02x) is a kernel-only packet "
				   "whose layout is not public",
				   off, d->name, opcode);
	size_bytes = d->size_bytes;
	if (d->flags & MDL_PKT_BULK) {
		uint32_t count_u64 = *dw0 & MDL_PKT_BULK_SIZE64_MASK;

		size_bytes += 8 * count_u64;
		if (size_bytes > left)
			return hlsim_error(HLSIM_E_DECODE,
					   "byte offset 0x%zx: %s of %u u64 values needs %u bytes, "
					   "%zu left before the CB end",
					   off, d->name, count_u64, size_bytes, left);
	} else if (size_bytes > left) {
		return hlsim_error(HLSIM_E_DECODE, "byte offset 0x%zx: %s needs %u bytes, %zu left",
				   off, d->name, size_bytes, left);
	}

	memset(out, 0, sizeof(*out));
	out->kind = d->kind;
	out->opcode = opcode;
	out->eb = !!(*ctl & MDL_PKT_CTL_EB);
	out->rb = !!(*ctl & MDL_PKT_CTL_RB);
	out->mb = !!(*ctl & MDL_PKT_CTL_MB);
	out->pred = (d->flags & MDL_PKT_PRED) ? (uint8_t)(*ctl & MDL_PKT_CTL_PRED_MASK) : 0;
	out->size_bytes = size_bytes;
	return HLSIM_OK;
}

static void decode_wreg(const struct mdl_pkt_isa *isa, uint8_t flags, uint32_t dw0,
			uint32_t ctl, const uint8_t *p, struct hlsim_cmd *out)
{
	out->u.wreg.reg_offset = (ctl & WREG_CTL_OFFSET_MASK) >> WREG_CTL_OFFSET_SHIFT;
	if (flags & MDL_PKT_BULK) {
		out->u.wreg.count = 2 * (dw0 & MDL_PKT_BULK_SIZE64_MASK);
		out->u.wreg.values = p + 8;
		return;
	}
	out->u.wreg.count = 1;
	if ((isa->features & MDL_PKT_FEAT_WREG_REG) && (ctl & WREG_CTL_REG)) {
		out->kind = HLSIM_CMD_WREG_REG;
		out->u.wreg.reg_id = (uint8_t)(dw0 & WREG_REG_ID_MASK);
	} else {
		out->u.wreg.value = dw0;
	}
}

static hlsim_err_t decode_msg(const struct mdl_pkt_isa *isa, const struct mdl_pkt_desc *d,
			      uint32_t dw0, uint32_t ctl, const uint8_t *p, size_t off,
			      struct hlsim_cmd *out)
{
	uint32_t op = (ctl & MSG_CTL_OP_MASK) >> MSG_CTL_OP_SHIFT;

	if (op > HLSIM_MSG_WRITE_TIMESTAMP)
		return hlsim_error(HLSIM_E_DECODE,
				   "byte offset 0x%zx: %s op %u is not defined (0 = write value, "
				   "1 = write timestamp)",
				   off, d->name, op);
	out->u.msg.value = dw0;
	out->u.msg.op = (uint8_t)op;
	out->u.msg.weakly_ordered = !!(ctl & MSG_CTL_WEAKLY_ORDERED);
	out->u.msg.no_snoop = !!(ctl & MSG_CTL_NO_SNOOP);
	if (d->flags & MDL_PKT_MSG_SHORT) {
		out->u.msg.addr = ctl & MSG_SHORT_CTL_OFFSET_MASK;
		out->u.msg.base = (uint8_t)((ctl & MSG_SHORT_CTL_BASE_MASK) >>
					    MSG_SHORT_CTL_BASE_SHIFT);
		out->u.msg.is_short = 1;
		if (isa->features & MDL_PKT_FEAT_MSG_DW)
			out->u.msg.dw = !!(ctl & MSG_SHORT_CTL_DW);
	} else {
		out->u.msg.addr = mdl_pkt_rd64(p + 8);
		out->u.msg.is_prot = !!(d->flags & MDL_PKT_MSG_PROT);
	}
	return HLSIM_OK;
}

/*
 * hlsim's NIC record (traces/FORMAT.md "NIC work"; not a hardware packet): dword 0 the
 * destination device, ctl 7:0 the op and 15:8 the flags, then src, dst, size, the
 * receiver's and the sender's message addresses (u64 each) and their values (u32 each).
 */
#define NIC_CTL_OP_MASK 0x000000FFu
#define NIC_CTL_FLAGS_SHIFT 8
#define NIC_CTL_FLAGS_MASK 0x0000FF00u
#define NIC_FLAGS_KNOWN (HLSIM_NIC_RMSG | HLSIM_NIC_LMSG)

static hlsim_err_t decode_nic(uint32_t ctl, uint32_t dw0, const uint8_t *p, size_t off,
			      struct hlsim_cmd *out)
{
	uint32_t op = ctl & NIC_CTL_OP_MASK;
	uint32_t flags = (ctl & NIC_CTL_FLAGS_MASK) >> NIC_CTL_FLAGS_SHIFT;

	if (op != HLSIM_NIC_OP_WRITE)
		return hlsim_error(HLSIM_E_DECODE,
				   "byte offset 0x%zx: HLSIM_NIC record with op %u; only %u "
				   "(RDMA write) is defined",
				   off, op, HLSIM_NIC_OP_WRITE);
	if (flags & ~NIC_FLAGS_KNOWN)
		return hlsim_error(HLSIM_E_DECODE,
				   "byte offset 0x%zx: HLSIM_NIC record with flags 0x%02x; only "
				   "0x%02x are defined",
				   off, flags, NIC_FLAGS_KNOWN);
	out->u.nic.op = (uint8_t)op;
	out->u.nic.flags = (uint8_t)flags;
	out->u.nic.dst_device = dw0;
	out->u.nic.src_addr = mdl_pkt_rd64(p + 8);
	out->u.nic.dst_addr = mdl_pkt_rd64(p + 16);
	out->u.nic.size_bytes = mdl_pkt_rd64(p + 24);
	out->u.nic.rmsg_addr = mdl_pkt_rd64(p + 32);
	out->u.nic.lmsg_addr = mdl_pkt_rd64(p + 40);
	out->u.nic.rmsg_value = mdl_pkt_rd32(p + 48);
	out->u.nic.lmsg_value = mdl_pkt_rd32(p + 52);
	return HLSIM_OK;
}

hlsim_err_t mdl_pkt_decode_shared(const struct mdl_pkt_isa *isa, uint32_t dw0, uint32_t ctl,
				  const uint8_t *p, size_t off, struct hlsim_cmd *out)
{
	const struct mdl_pkt_desc *d = &isa->desc[out->opcode];

	switch ((enum hlsim_cmd_kind)out->kind) {
	case HLSIM_CMD_WREG:
		decode_wreg(isa, d->flags, dw0, ctl, p, out);
		break;
	case HLSIM_CMD_MSG:
		return decode_msg(isa, d, dw0, ctl, p, off, out);
	case HLSIM_CMD_CB_CALL:
		out->u.cb_call.size_bytes = dw0;
		out->u.cb_call.addr = mdl_pkt_rd64(p + 8);
		if (isa->features & MDL_PKT_FEAT_UPPER_CP)
			out->u.cb_call.upper_cp = !!(ctl & CP_DMA_CTL_UPPER_CP);
		break;
	case HLSIM_CMD_REPEAT:
		out->u.repeat.sore = !!(dw0 & REPEAT_SORE);
		out->u.repeat.outer = !!(dw0 & REPEAT_OUTER);
		out->u.repeat.jmp_ptr = dw0 >> REPEAT_JMP_SHIFT;
		break;
	case HLSIM_CMD_FENCE:
		out->u.fence.dec = (uint8_t)(dw0 & FENCE_DEC_MASK);
		out->u.fence.target = (uint8_t)((dw0 & FENCE_TARGET_MASK) >> FENCE_TARGET_SHIFT);
		out->u.fence.id = (uint8_t)(dw0 >> FENCE_ID_SHIFT);
		break;
	case HLSIM_CMD_ARB_POINT:
		out->u.arb.priority = dw0 & isa->arb_priority_mask;
		out->u.arb.release = !!(dw0 & ARB_RLS);
		break;
	case HLSIM_CMD_WAIT:
		out->u.wait.cycles = dw0 & WAIT_CYCLES_MASK;
		out->u.wait.inc = (uint8_t)((dw0 & WAIT_INC_MASK) >> WAIT_INC_SHIFT);
		out->u.wait.id = (uint8_t)((dw0 & WAIT_ID_MASK) >> WAIT_ID_SHIFT);
		break;
	case HLSIM_CMD_LOAD_AND_EXE:
		out->u.load_exe.dst = !!(dw0 & LAE_DST);
		if (isa->features & MDL_PKT_FEAT_LAE_PMAP)
			out->u.load_exe.pmap = !!(dw0 & LAE_PMAP);
		out->u.load_exe.load = !!(dw0 & LAE_LOAD);
		out->u.load_exe.exe = !!(dw0 & LAE_EXE);
		out->u.load_exe.etype = !!(dw0 & LAE_ETYPE);
		out->u.load_exe.src_addr = mdl_pkt_rd64(p + 8);
		break;
	case HLSIM_CMD_NIC:
		return decode_nic(ctl, dw0, p, off, out);
	default:
		break; /* NOP and STOP have no fields; the other kinds are the caller's */
	}
	return HLSIM_OK;
}
/* ====} */

/* {==== Encoding ==== */

size_t mdl_pkt_bad_field(const char *tag, const char *pkt, const char *field, uint64_t value,
			 uint64_t max)
{
	hlsim_error(HLSIM_E_INVAL, "%s encode: %s %s 0x%llx does not fit (max 0x%llx)", tag, pkt,
		    field, (unsigned long long)value, (unsigned long long)max);
	return 0;
}

#define CHECK_FIELD(pkt, field, value, max)                                                \
	MDL_PKT_CHECK_FIELD(isa->tag, pkt, field, value, max)

size_t mdl_pkt_encode_head(const struct mdl_pkt_isa *isa, const struct hlsim_cmd *cmd,
			   uint8_t opcode, uint8_t alt_kind, const struct mdl_pkt_desc **d,
			   uint32_t *ctl)
{
	const struct mdl_pkt_desc *e;

	e = opcode < MDL_PKT_OPCODES ? &isa->desc[opcode] : NULL;
	if (!e || !e->name || (e->flags & MDL_PKT_KERNEL_ONLY)) {
		hlsim_error(HLSIM_E_INVAL, "%s encode: opcode 0x%02x (kind %u) has no encoding",
			    isa->tag, opcode, cmd->kind);
		return 0;
	}
	if (e->kind != cmd->kind &&
	    (alt_kind >= HLSIM_CMD_KIND_COUNT_ || alt_kind != cmd->kind)) {
		hlsim_error(HLSIM_E_INVAL, "%s encode: opcode %s does not carry command kind %u",
			    isa->tag, e->name, cmd->kind);
		return 0;
	}
	CHECK_FIELD(e->name, "eb", cmd->eb, 1);
	CHECK_FIELD(e->name, "rb", cmd->rb, 1);
	CHECK_FIELD(e->name, "mb", cmd->mb, 1);
	CHECK_FIELD(e->name, "pred", cmd->pred,
		    (e->flags & MDL_PKT_PRED) ? MDL_PKT_CTL_PRED_MASK : 0);

	*ctl = (uint32_t)opcode << MDL_PKT_CTL_OPCODE_SHIFT | cmd->pred;
	*ctl |= cmd->eb ? MDL_PKT_CTL_EB : 0;
	*ctl |= cmd->rb ? MDL_PKT_CTL_RB : 0;
	*ctl |= cmd->mb ? MDL_PKT_CTL_MB : 0;
	*d = e;
	return 1;
}

static size_t encode_msg(const struct mdl_pkt_isa *isa, const struct mdl_pkt_desc *d,
			 const struct hlsim_cmd *cmd, uint32_t *dw0, uint32_t *ctl,
			 uint8_t *extra)
{
	const int is_short = !!(d->flags & MDL_PKT_MSG_SHORT);
	const int has_dw = !!(isa->features & MDL_PKT_FEAT_MSG_DW);
	const char *name = d->name;

	if (cmd->u.msg.is_short != is_short ||
	    cmd->u.msg.is_prot != !!(d->flags & MDL_PKT_MSG_PROT)) {
		hlsim_error(HLSIM_E_INVAL, "%s encode: %s with is_short=%u is_prot=%u", isa->tag,
			    name, cmd->u.msg.is_short, cmd->u.msg.is_prot);
		return 0;
	}
	CHECK_FIELD(name, "op", cmd->u.msg.op, HLSIM_MSG_WRITE_TIMESTAMP);
	CHECK_FIELD(name, "weakly_ordered", cmd->u.msg.weakly_ordered, 1);
	CHECK_FIELD(name, "no_snoop", cmd->u.msg.no_snoop, 1);
	*dw0 = cmd->u.msg.value;
	*ctl |= (uint32_t)cmd->u.msg.op << MSG_CTL_OP_SHIFT;
	if (cmd->u.msg.weakly_ordered)
		*ctl |= MSG_CTL_WEAKLY_ORDERED;
	if (cmd->u.msg.no_snoop)
		*ctl |= MSG_CTL_NO_SNOOP;
	if (is_short) {
		CHECK_FIELD(name, "address offset", cmd->u.msg.addr, MSG_SHORT_CTL_OFFSET_MASK);
		CHECK_FIELD(name, "base", cmd->u.msg.base, 3);
		if (has_dw)
			CHECK_FIELD(name, "dw", cmd->u.msg.dw, 1);
		*ctl |= (uint32_t)cmd->u.msg.addr;
		*ctl |= (uint32_t)cmd->u.msg.base << MSG_SHORT_CTL_BASE_SHIFT;
		*ctl |= (has_dw && cmd->u.msg.dw) ? MSG_SHORT_CTL_DW : 0;
	} else {
		CHECK_FIELD(name, "base", cmd->u.msg.base, 0);
		if (has_dw)
			CHECK_FIELD(name, "dw (MSG_SHORT only)", cmd->u.msg.dw, 0);
		mdl_pkt_wr64(extra, cmd->u.msg.addr);
	}
	return 1;
}

static size_t encode_load_exe(const struct mdl_pkt_isa *isa, const char *name,
			      const struct hlsim_cmd *cmd, uint32_t *dw0, uint8_t *extra)
{
	const int has_pmap = !!(isa->features & MDL_PKT_FEAT_LAE_PMAP);

	CHECK_FIELD(name, "dst", cmd->u.load_exe.dst, 1);
	if (has_pmap)
		CHECK_FIELD(name, "pmap", cmd->u.load_exe.pmap, 1);
	CHECK_FIELD(name, "load", cmd->u.load_exe.load, 1);
	CHECK_FIELD(name, "exe", cmd->u.load_exe.exe, 1);
	CHECK_FIELD(name, "etype", cmd->u.load_exe.etype, 1);
	*dw0 = (cmd->u.load_exe.dst ? LAE_DST : 0) |
	       ((has_pmap && cmd->u.load_exe.pmap) ? LAE_PMAP : 0) |
	       (cmd->u.load_exe.load ? LAE_LOAD : 0) | (cmd->u.load_exe.exe ? LAE_EXE : 0) |
	       (cmd->u.load_exe.etype ? LAE_ETYPE : 0);
	mdl_pkt_wr64(extra, cmd->u.load_exe.src_addr);
	return 1;
}

size_t mdl_pkt_encode_shared(const struct mdl_pkt_isa *isa, const struct mdl_pkt_desc *d,
			     const struct hlsim_cmd *cmd, uint32_t *dw0, uint32_t *ctl,
			     uint8_t *extra)
{
	const char *name = d->name;
	const int has_upper_cp = !!(isa->features & MDL_PKT_FEAT_UPPER_CP);

	switch ((enum hlsim_cmd_kind)cmd->kind) {
	case HLSIM_CMD_MSG:
		return encode_msg(isa, d, cmd, dw0, ctl, extra);
	case HLSIM_CMD_CB_CALL:
		CHECK_FIELD(name, "upper_cp", cmd->u.cb_call.upper_cp, has_upper_cp ? 1 : 0);
		*dw0 = cmd->u.cb_call.size_bytes;
		*ctl |= cmd->u.cb_call.upper_cp ? CP_DMA_CTL_UPPER_CP : 0;
		mdl_pkt_wr64(extra, cmd->u.cb_call.addr);
		return 1;
	case HLSIM_CMD_REPEAT:
		CHECK_FIELD(name, "sore", cmd->u.repeat.sore, 1);
		CHECK_FIELD(name, "outer", cmd->u.repeat.outer, 1);
		CHECK_FIELD(name, "jmp_ptr", cmd->u.repeat.jmp_ptr, 0xFFFF);
		*dw0 = cmd->u.repeat.jmp_ptr << REPEAT_JMP_SHIFT;
		*dw0 |= cmd->u.repeat.sore ? REPEAT_SORE : 0;
		*dw0 |= cmd->u.repeat.outer ? REPEAT_OUTER : 0;
		return 1;
	case HLSIM_CMD_FENCE:
		CHECK_FIELD(name, "id", cmd->u.fence.id, 3);
		CHECK_FIELD(name, "dec", cmd->u.fence.dec, FENCE_DEC_MASK);
		*dw0 = (uint32_t)cmd->u.fence.id << FENCE_ID_SHIFT |
		       (uint32_t)cmd->u.fence.target << FENCE_TARGET_SHIFT | cmd->u.fence.dec;
		return 1;
	case HLSIM_CMD_ARB_POINT:
		CHECK_FIELD(name, "priority", cmd->u.arb.priority, isa->arb_priority_mask);
		CHECK_FIELD(name, "release", cmd->u.arb.release, 1);
		*dw0 = cmd->u.arb.priority | (cmd->u.arb.release ? ARB_RLS : 0);
		return 1;
	case HLSIM_CMD_WAIT:
		CHECK_FIELD(name, "cycles", cmd->u.wait.cycles, WAIT_CYCLES_MASK);
		CHECK_FIELD(name, "inc", cmd->u.wait.inc, 0xF);
		CHECK_FIELD(name, "id", cmd->u.wait.id, 3);
		*dw0 = cmd->u.wait.cycles | (uint32_t)cmd->u.wait.inc << WAIT_INC_SHIFT |
		       (uint32_t)cmd->u.wait.id << WAIT_ID_SHIFT;
		return 1;
	case HLSIM_CMD_LOAD_AND_EXE:
		return encode_load_exe(isa, name, cmd, dw0, extra);
	case HLSIM_CMD_NIC:
		CHECK_FIELD(name, "op", cmd->u.nic.op - 1u, HLSIM_NIC_OP_WRITE - 1u);
		CHECK_FIELD(name, "flags", cmd->u.nic.flags, NIC_FLAGS_KNOWN);
		*dw0 = cmd->u.nic.dst_device;
		*ctl |= cmd->u.nic.op | (uint32_t)cmd->u.nic.flags << NIC_CTL_FLAGS_SHIFT;
		mdl_pkt_wr64(extra, cmd->u.nic.src_addr);
		mdl_pkt_wr64(extra + 8, cmd->u.nic.dst_addr);
		mdl_pkt_wr64(extra + 16, cmd->u.nic.size_bytes);
		mdl_pkt_wr64(extra + 24, cmd->u.nic.rmsg_addr);
		mdl_pkt_wr64(extra + 32, cmd->u.nic.lmsg_addr);
		mdl_pkt_wr32(extra + 40, cmd->u.nic.rmsg_value);
		mdl_pkt_wr32(extra + 44, cmd->u.nic.lmsg_value);
		return 1;
	default:
		break; /* NOP and STOP have no fields; the other kinds are the caller's */
	}
	return 1;
}

size_t mdl_pkt_encode_tail(const struct mdl_pkt_isa *isa, const struct mdl_pkt_desc *d,
			   uint32_t size_bytes, uint32_t dw0, uint32_t ctl, const uint8_t *payload,
			   const uint8_t *extra, uint8_t *out, size_t cap)
{
	if (size_bytes > cap) {
		hlsim_error(HLSIM_E_INVAL, "%s encode: %s needs %u bytes, room for %zu", isa->tag,
			    d->name, size_bytes, cap);
		return 0;
	}
	mdl_pkt_wr32(out, dw0);
	mdl_pkt_wr32(out + 4, ctl);
	if (size_bytes > 8 && payload)
		memmove(out + 8, payload, size_bytes - 8);
	else if (size_bytes > 8)
		memcpy(out + 8, extra, size_bytes - 8);
	return size_bytes;
}
/* ====} */
