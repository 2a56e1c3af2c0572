/*
 * models/gaudi/gaudi_packets.c - Gaudi (HL-205) command-buffer packets: decode the
 * bytes of one packet into a neutral struct hlsim_cmd, and encode it back.
 *
 * What is modelled: all 14 opcodes of the Gaudi CP (0x1-0xD, 0xF) with every field of
 * the hl-thunk bitfield layouts [C THUNK-PKT gaudi_packets.h, GAUDI-FACTS §2.1-2.2].
 * Packets are little-endian; dword 1 is ctl: opcode 28:24, EB 29, RB 30, MB 31 and, in
 * the packets that have one, pred 4:0.
 *
 * Choices:
 * - Reserved bits are ignored on decode and written as 0 on encode, so encode(decode(b))
 *   == b for every packet with clean reserved bits, and decode(encode(c)) == c always.
 * - Errors (HLSIM_E_DECODE, detail names the byte offset): offset not 8-byte aligned,
 *   fewer bytes left than the packet's fixed size, WREG_BULK payload past the CB end,
 *   an opcode outside the set above, LIN_DMA with lin=0 (strided DMA by packet is not
 *   defined on Gaudi), MSG_* op 2 or 3 (only 0 = value and 1 = timestamp are defined).
 * - The "must be 1 / must be 0" barrier notes of the hl-thunk header are not enforced:
 *   the CP's behaviour with other values is unknown [U], so the bits are kept as read.
 *
 * Hot path: decode reads bytes and fills a struct; it formats text only on error.
 */
#include <string.h>

#include "models/gaudi/gaudiP.h"

/**
 * struct pkt_desc - fixed facts of one opcode.
 * @name: mnemonic, NULL for an invalid opcode.
 * @kind: enum hlsim_cmd_kind it decodes to.
 * @size_bytes: fixed size (WREG_BULK: the header only).
 * @has_pred: ctl bits 4:0 are the predicate.
 */
struct pkt_desc {
	const char *name;
	uint8_t kind;
	uint8_t size_bytes;
	uint8_t has_pred;
};

static const struct pkt_desc pkt_desc[GAUDI_PKT_ID_COUNT] = {
	[GAUDI_PKT_WREG_32] = { "WREG_32", HLSIM_CMD_WREG, 8, 1 },
	[GAUDI_PKT_WREG_BULK] = { "WREG_BULK", HLSIM_CMD_WREG, 8, 1 },
	[GAUDI_PKT_MSG_LONG] = { "MSG_LONG", HLSIM_CMD_MSG, 16, 1 },
	[GAUDI_PKT_MSG_SHORT] = { "MSG_SHORT", HLSIM_CMD_MSG, 8, 0 }, /* offset in 15:0 */
	[GAUDI_PKT_CP_DMA] = { "CP_DMA", HLSIM_CMD_CB_CALL, 16, 1 },
	[GAUDI_PKT_REPEAT] = { "REPEAT", HLSIM_CMD_REPEAT, 8, 1 },
	[GAUDI_PKT_MSG_PROT] = { "MSG_PROT", HLSIM_CMD_MSG, 16, 1 },
	[GAUDI_PKT_FENCE] = { "FENCE", HLSIM_CMD_FENCE, 8, 1 },
	[GAUDI_PKT_LIN_DMA] = { "LIN_DMA", HLSIM_CMD_DMA, 24, 0 }, /* flags in 6:0 */
	[GAUDI_PKT_NOP] = { "NOP", HLSIM_CMD_NOP, 8, 0 },
	[GAUDI_PKT_STOP] = { "STOP", HLSIM_CMD_STOP, 8, 0 },
	[GAUDI_PKT_ARB_POINT] = { "ARB_POINT", HLSIM_CMD_ARB_POINT, 8, 1 },
	[GAUDI_PKT_WAIT] = { "WAIT", HLSIM_CMD_WAIT, 8, 0 },
	[GAUDI_PKT_LOAD_AND_EXE] = { "LOAD_AND_EXE", HLSIM_CMD_LOAD_AND_EXE, 16, 1 },
};

/* {==== Field layouts ==== */
/* WREG_32 / WREG_BULK */
#define WREG_CTL_OFFSET_SHIFT 8
#define WREG_CTL_OFFSET_MASK 0x00FFFF00u
#define WREG_BULK_SIZE64_MASK 0x0000FFFFu
/* MSG_LONG / MSG_PROT / MSG_SHORT */
#define MSG_CTL_WEAKLY_ORDERED 0x00010000u
#define MSG_CTL_NO_SNOOP 0x00020000u
#define MSG_CTL_OP_SHIFT 20
#define MSG_CTL_OP_MASK 0x00300000u
#define MSG_SHORT_CTL_OFFSET_MASK 0x0000FFFFu
#define MSG_SHORT_CTL_BASE_SHIFT 22
#define MSG_SHORT_CTL_BASE_MASK 0x00C00000u
/* REPEAT */
#define REPEAT_SORE 0x00000001u
#define REPEAT_OUTER 0x00000002u
#define REPEAT_JMP_SHIFT 16
/* FENCE */
#define FENCE_DEC_MASK 0x0000000Fu
#define FENCE_TARGET_SHIFT 16
#define FENCE_TARGET_MASK 0x00FF0000u
#define FENCE_ID_SHIFT 30
/* LIN_DMA ctl */
#define LIN_DMA_CTL_WR_COMP 0x01u
#define LIN_DMA_CTL_TRANSPOSE 0x02u
#define LIN_DMA_CTL_DTYPE 0x04u
#define LIN_DMA_CTL_LIN 0x08u
#define LIN_DMA_CTL_MEMSET 0x10u
#define LIN_DMA_CTL_COMPRESS 0x20u
#define LIN_DMA_CTL_DECOMPRESS 0x40u
#define LIN_DMA_CTL_CTX_LOW_SHIFT 16
#define LIN_DMA_CTL_CTX_LOW_MASK 0x00FF0000u
#define LIN_DMA_DST_MASK 0x00FFFFFFFFFFFFFFull
#define LIN_DMA_CTX_HIGH_SHIFT 56
/* ARB_POINT */
#define ARB_PRIORITY_MASK 0x000000FFu
#define ARB_RLS 0x80000000u
/* WAIT */
#define WAIT_CYCLES_MASK 0x00FFFFFFu
#define WAIT_INC_SHIFT 24
#define WAIT_INC_MASK 0x0F000000u
#define WAIT_ID_SHIFT 28
#define WAIT_ID_MASK 0x30000000u
/* LOAD_AND_EXE */
#define LAE_DST 0x001u
#define LAE_LOAD 0x100u
#define LAE_EXE 0x200u
#define LAE_ETYPE 0x400u
/* ====} */

static inline uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t rd64(const uint8_t *p)
{
	return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static inline void wr32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static inline void wr64(uint8_t *p, uint64_t v)
{
	wr32(p, (uint32_t)v);
	wr32(p + 4, (uint32_t)(v >> 32));
}

const char *gaudi_opcode_name(uint8_t opcode)
{
	return opcode < GAUDI_PKT_ID_COUNT ? pkt_desc[opcode].name : NULL;
}

static hlsim_err_t decode_msg(uint8_t opcode, uint32_t dw0, uint32_t ctl, const uint8_t *p,
			      size_t off, struct hlsim_cmd *out)
{
	uint32_t op = (ctl & MSG_CTL_OP_MASK) >> MSG_CTL_OP_SHIFT;

	if (op > HLSIM_MSG_WRITE_TIMESTAMP)
		return hlsim_error(HLSIM_E_DECODE,
				   "byte offset 0x%zx: %s op %u is not defined (0 = write value, "
				   "1 = write timestamp)",
				   off, pkt_desc[opcode].name, op);
	out->u.msg.value = dw0;
	out->u.msg.op = (uint8_t)op;
	out->u.msg.weakly_ordered = !!(ctl & MSG_CTL_WEAKLY_ORDERED);
	out->u.msg.no_snoop = !!(ctl & MSG_CTL_NO_SNOOP);
	if (opcode == GAUDI_PKT_MSG_SHORT) {
		out->u.msg.addr = ctl & MSG_SHORT_CTL_OFFSET_MASK;
		out->u.msg.base = (uint8_t)((ctl & MSG_SHORT_CTL_BASE_MASK) >>
					    MSG_SHORT_CTL_BASE_SHIFT);
		out->u.msg.is_short = 1;
	} else {
		out->u.msg.addr = rd64(p + 8);
		out->u.msg.is_prot = opcode == GAUDI_PKT_MSG_PROT;
	}
	return HLSIM_OK;
}

static hlsim_err_t decode_lin_dma(uint32_t dw0, uint32_t ctl, const uint8_t *p, size_t off,
				  struct hlsim_cmd *out)
{
	uint64_t dst = rd64(p + 16);
	uint32_t flags = 0;

	if (!(ctl & LIN_DMA_CTL_LIN))
		return hlsim_error(HLSIM_E_DECODE,
				   "byte offset 0x%zx: LIN_DMA with lin=0 (ctl 0x%08x); "
				   "lin must be 1",
				   off, ctl);
	if (ctl & LIN_DMA_CTL_WR_COMP)
		flags |= HLSIM_DMA_WR_COMP;
	if (ctl & LIN_DMA_CTL_TRANSPOSE)
		flags |= HLSIM_DMA_TRANSPOSE;
	if (ctl & LIN_DMA_CTL_DTYPE)
		flags |= HLSIM_DMA_DTYPE;
	if (ctl & LIN_DMA_CTL_MEMSET)
		flags |= HLSIM_DMA_MEMSET;
	if (ctl & LIN_DMA_CTL_COMPRESS)
		flags |= HLSIM_DMA_COMPRESS;
	if (ctl & LIN_DMA_CTL_DECOMPRESS)
		flags |= HLSIM_DMA_DECOMPRESS;
	out->u.dma.size_bytes = dw0;
	out->u.dma.src_addr = rd64(p + 8);
	out->u.dma.dst_addr = dst & LIN_DMA_DST_MASK;
	out->u.dma.flags = flags;
	out->u.dma.context_id = ((ctl & LIN_DMA_CTL_CTX_LOW_MASK) >> LIN_DMA_CTL_CTX_LOW_SHIFT) |
				(uint32_t)(dst >> LIN_DMA_CTX_HIGH_SHIFT) << 8;
	return HLSIM_OK;
}

hlsim_err_t gaudi_decode(const uint8_t *cb, size_t cb_size, size_t off, struct hlsim_cmd *out)
{
	const struct pkt_desc *d;
	const uint8_t *p;
	uint32_t dw0, ctl, size_bytes;
	uint8_t opcode;
	size_t left;

	if (!out || (!cb && cb_size))
		return hlsim_error(HLSIM_E_INVAL, "gaudi decode: NULL command buffer or output");
	if (off & 7)
		return hlsim_error(HLSIM_E_DECODE,
				   "byte offset 0x%zx: packets start on 8-byte boundaries", off);
	left = off < cb_size ? cb_size - off : 0;
	if (left < 8)
		return hlsim_error(HLSIM_E_DECODE,
				   "byte offset 0x%zx: packet header needs 8 bytes, %zu left", off,
				   left);
	p = cb + off;
	dw0 = rd32(p);
	ctl = rd32(p + 4);
	opcode = (uint8_t)((ctl & GAUDI_PKT_CTL_OPCODE_MASK) >> GAUDI_PKT_CTL_OPCODE_SHIFT);
	d = &pkt_desc[opcode];
	if (!d->name)
		return hlsim_error(HLSIM_E_DECODE, "byte offset 0x%zx: invalid opcode 0x%02x", off,
				   opcode);
	size_bytes = d->size_bytes;
	if (opcode == GAUDI_PKT_WREG_BULK) {
		size_bytes += 8 * (dw0 & WREG_BULK_SIZE64_MASK);
		if (size_bytes > left)
			return hlsim_error(HLSIM_E_DECODE,
					   "byte offset 0x%zx: WREG_BULK of %u u64 values needs %u "
					   "bytes, %zu left before the CB end",
					   off, dw0 & WREG_BULK_SIZE64_MASK, size_bytes, left);
	} else if (size_bytes > left) {
		return hlsim_error(HLSIM_E_DECODE, "byte offset 0x%zx: %s needs %u bytes, %zu left",
				   off, d->name, size_bytes, left);
	}

	memset(out, 0, sizeof(*out));
	out->kind = d->kind;
	out->opcode = opcode;
	out->eb = !!(ctl & GAUDI_PKT_CTL_EB);
	out->rb = !!(ctl & GAUDI_PKT_CTL_RB);
	out->mb = !!(ctl & GAUDI_PKT_CTL_MB);
	out->pred = d->has_pred ? (uint8_t)(ctl & GAUDI_PKT_CTL_PRED_MASK) : 0;
	out->size_bytes = size_bytes;

	switch ((enum gaudi_packet_id)opcode) {
	case GAUDI_PKT_WREG_32:
		out->u.wreg.reg_offset = (ctl & WREG_CTL_OFFSET_MASK) >> WREG_CTL_OFFSET_SHIFT;
		out->u.wreg.count = 1;
		out->u.wreg.value = dw0;
		break;
	case GAUDI_PKT_WREG_BULK:
		out->u.wreg.reg_offset = (ctl & WREG_CTL_OFFSET_MASK) >> WREG_CTL_OFFSET_SHIFT;
		out->u.wreg.count = 2 * (dw0 & WREG_BULK_SIZE64_MASK);
		out->u.wreg.values = p + 8;
		break;
	case GAUDI_PKT_MSG_LONG:
	case GAUDI_PKT_MSG_SHORT:
	case GAUDI_PKT_MSG_PROT:
		return decode_msg(opcode, dw0, ctl, p, off, out);
	case GAUDI_PKT_CP_DMA:
		out->u.cb_call.size_bytes = dw0;
		out->u.cb_call.addr = rd64(p + 8);
		break;
	case GAUDI_PKT_REPEAT:
		out->u.repeat.sore = !!(dw0 & REPEAT_SORE);
		out->u.repeat.outer = !!(dw0 & REPEAT_OUTER);
		out->u.repeat.jmp_ptr = dw0 >> REPEAT_JMP_SHIFT;
		break;
	case GAUDI_PKT_FENCE:
		out->u.fence.dec = (uint8_t)(dw0 & FENCE_DEC_MASK);
		out->u.fence.target = (uint8_t)((dw0 & FENCE_TARGET_MASK) >> FENCE_TARGET_SHIFT);
		out->u.fence.id = (uint8_t)(dw0 >> FENCE_ID_SHIFT);
		break;
	case GAUDI_PKT_LIN_DMA:
		return decode_lin_dma(dw0, ctl, p, off, out);
	case GAUDI_PKT_NOP:
	case GAUDI_PKT_STOP:
		break;
	case GAUDI_PKT_ARB_POINT:
		out->u.arb.priority = dw0 & ARB_PRIORITY_MASK;
		out->u.arb.release = !!(dw0 & ARB_RLS);
		break;
	case GAUDI_PKT_WAIT:
		out->u.wait.cycles = dw0 & WAIT_CYCLES_MASK;
		out->u.wait.inc = (uint8_t)((dw0 & WAIT_INC_MASK) >> WAIT_INC_SHIFT);
		out->u.wait.id = (uint8_t)((dw0 & WAIT_ID_MASK) >> WAIT_ID_SHIFT);
		break;
	case GAUDI_PKT_LOAD_AND_EXE:
		out->u.load_exe.dst = !!(dw0 & LAE_DST);
		out->u.load_exe.load = !!(dw0 & LAE_LOAD);
		out->u.load_exe.exe = !!(dw0 & LAE_EXE);
		out->u.load_exe.etype = !!(dw0 & LAE_ETYPE);
		out->u.load_exe.src_addr = rd64(p + 8);
		break;
	case GAUDI_PKT_ID_COUNT:
		break; /* unreachable: pkt_desc has no name there */
	}
	return HLSIM_OK;
}

/* {==== Encoding ==== */

/* The opcode a neutral command gets when cmd->opcode is 0 ("choose for me"). */
static uint8_t default_opcode(const struct hlsim_cmd *cmd)
{
	switch ((enum hlsim_cmd_kind)cmd->kind) {
	case HLSIM_CMD_NOP:
		return GAUDI_PKT_NOP;
	case HLSIM_CMD_WREG:
		return cmd->u.wreg.values ? GAUDI_PKT_WREG_BULK : GAUDI_PKT_WREG_32;
	case HLSIM_CMD_MSG:
		if (cmd->u.msg.is_prot)
			return GAUDI_PKT_MSG_PROT;
		return cmd->u.msg.is_short ? GAUDI_PKT_MSG_SHORT : GAUDI_PKT_MSG_LONG;
	case HLSIM_CMD_CB_CALL:
		return GAUDI_PKT_CP_DMA;
	case HLSIM_CMD_REPEAT:
		return GAUDI_PKT_REPEAT;
	case HLSIM_CMD_FENCE:
		return GAUDI_PKT_FENCE;
	case HLSIM_CMD_DMA:
		return GAUDI_PKT_LIN_DMA;
	case HLSIM_CMD_STOP:
		return GAUDI_PKT_STOP;
	case HLSIM_CMD_ARB_POINT:
		return GAUDI_PKT_ARB_POINT;
	case HLSIM_CMD_WAIT:
		return GAUDI_PKT_WAIT;
	case HLSIM_CMD_LOAD_AND_EXE:
		return GAUDI_PKT_LOAD_AND_EXE;
	case HLSIM_CMD_CB_LIST:
	case HLSIM_CMD_WREG64:
	case HLSIM_CMD_ARC_STREAM:
	case HLSIM_CMD_WREG_REG:
	case HLSIM_CMD_KIND_COUNT_:
		break; /* Gaudi2 packets: no Gaudi encoding */
	}
	return 0;
}

/* Reports a field that has no encoding; returns 0 (bytes written) for the caller. */
static size_t bad_field(const char *pkt, const char *field, uint64_t value, uint64_t max)
{
	hlsim_error(HLSIM_E_INVAL, "gaudi encode: %s %s 0x%llx does not fit (max 0x%llx)", pkt,
		    field, (unsigned long long)value, (unsigned long long)max);
	return 0;
}

#define CHECK_FIELD(pkt, field, value, max)                                                \
	do {                                                                               \
		if ((uint64_t)(value) > (uint64_t)(max))                                   \
			return bad_field(pkt, field, value, max);                          \
	} while (0)

static size_t encode_msg(const struct hlsim_cmd *cmd, uint8_t opcode, uint32_t *dw0,
			 uint32_t *ctl, uint8_t *extra)
{
	const char *name = pkt_desc[opcode].name;

	if (cmd->u.msg.is_short != (opcode == GAUDI_PKT_MSG_SHORT) ||
	    cmd->u.msg.is_prot != (opcode == GAUDI_PKT_MSG_PROT)) {
		hlsim_error(HLSIM_E_INVAL, "gaudi encode: %s with is_short=%u is_prot=%u", name,
			    cmd->u.msg.is_short, cmd->u.msg.is_prot);
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
	if (opcode == GAUDI_PKT_MSG_SHORT) {
		CHECK_FIELD(name, "address offset", cmd->u.msg.addr, MSG_SHORT_CTL_OFFSET_MASK);
		CHECK_FIELD(name, "base", cmd->u.msg.base, 3);
		*ctl |= (uint32_t)cmd->u.msg.addr;
		*ctl |= (uint32_t)cmd->u.msg.base << MSG_SHORT_CTL_BASE_SHIFT;
	} else {
		CHECK_FIELD(name, "base", cmd->u.msg.base, 0);
		wr64(extra, cmd->u.msg.addr);
	}
	return 1;
}

static size_t encode_lin_dma(const struct hlsim_cmd *cmd, uint32_t *dw0, uint32_t *ctl,
			     uint8_t *extra)
{
	const uint32_t known = HLSIM_DMA_WR_COMP | HLSIM_DMA_TRANSPOSE | HLSIM_DMA_DTYPE |
			       HLSIM_DMA_MEMSET | HLSIM_DMA_COMPRESS | HLSIM_DMA_DECOMPRESS;
	uint32_t f = cmd->u.dma.flags;

	if (f & ~known)
		return bad_field("LIN_DMA", "flags", f, known);
	CHECK_FIELD("LIN_DMA", "size_bytes", cmd->u.dma.size_bytes, UINT32_MAX);
	CHECK_FIELD("LIN_DMA", "dst_addr", cmd->u.dma.dst_addr, LIN_DMA_DST_MASK);
	CHECK_FIELD("LIN_DMA", "context_id", cmd->u.dma.context_id, 0xFFFF);
	*dw0 = (uint32_t)cmd->u.dma.size_bytes;
	*ctl |= LIN_DMA_CTL_LIN;
	*ctl |= (f & HLSIM_DMA_WR_COMP) ? LIN_DMA_CTL_WR_COMP : 0;
	*ctl |= (f & HLSIM_DMA_TRANSPOSE) ? LIN_DMA_CTL_TRANSPOSE : 0;
	*ctl |= (f & HLSIM_DMA_DTYPE) ? LIN_DMA_CTL_DTYPE : 0;
	*ctl |= (f & HLSIM_DMA_MEMSET) ? LIN_DMA_CTL_MEMSET : 0;
	*ctl |= (f & HLSIM_DMA_COMPRESS) ? LIN_DMA_CTL_COMPRESS : 0;
	*ctl |= (f & HLSIM_DMA_DECOMPRESS) ? LIN_DMA_CTL_DECOMPRESS : 0;
	*ctl |= (cmd->u.dma.context_id & 0xFFu) << LIN_DMA_CTL_CTX_LOW_SHIFT;
	wr64(extra, cmd->u.dma.src_addr);
	wr64(extra + 8, cmd->u.dma.dst_addr |
				(uint64_t)(cmd->u.dma.context_id >> 8) << LIN_DMA_CTX_HIGH_SHIFT);
	return 1;
}

size_t gaudi_encode(const struct hlsim_cmd *cmd, uint8_t *out, size_t cap)
{
	const struct pkt_desc *d;
	uint8_t extra[16] = { 0 };
	uint32_t dw0 = 0, ctl, size_bytes;
	uint8_t opcode;

	if (!cmd || (!out && cap)) {
		hlsim_error(HLSIM_E_INVAL, "gaudi encode: NULL command or output");
		return 0;
	}
	opcode = cmd->opcode ? cmd->opcode : default_opcode(cmd);
	d = opcode < GAUDI_PKT_ID_COUNT ? &pkt_desc[opcode] : NULL;
	if (!d || !d->name) {
		hlsim_error(HLSIM_E_INVAL, "gaudi encode: opcode 0x%02x (kind %u) has no encoding",
			    opcode, cmd->kind);
		return 0;
	}
	if (d->kind != cmd->kind) {
		hlsim_error(HLSIM_E_INVAL, "gaudi encode: opcode %s does not carry command kind %u",
			    d->name, cmd->kind);
		return 0;
	}
	CHECK_FIELD(d->name, "eb", cmd->eb, 1);
	CHECK_FIELD(d->name, "rb", cmd->rb, 1);
	CHECK_FIELD(d->name, "mb", cmd->mb, 1);
	CHECK_FIELD(d->name, "pred", cmd->pred, d->has_pred ? GAUDI_PKT_CTL_PRED_MASK : 0);

	ctl = (uint32_t)opcode << GAUDI_PKT_CTL_OPCODE_SHIFT | cmd->pred;
	ctl |= cmd->eb ? GAUDI_PKT_CTL_EB : 0;
	ctl |= cmd->rb ? GAUDI_PKT_CTL_RB : 0;
	ctl |= cmd->mb ? GAUDI_PKT_CTL_MB : 0;
	size_bytes = d->size_bytes;

	switch ((enum gaudi_packet_id)opcode) {
	case GAUDI_PKT_WREG_32:
		if (cmd->u.wreg.count != 1)
			return bad_field(d->name, "count (must be 1)", cmd->u.wreg.count, 1);
		CHECK_FIELD(d->name, "reg_offset", cmd->u.wreg.reg_offset, 0xFFFF);
		ctl |= cmd->u.wreg.reg_offset << WREG_CTL_OFFSET_SHIFT;
		dw0 = cmd->u.wreg.value;
		break;
	case GAUDI_PKT_WREG_BULK:
		CHECK_FIELD(d->name, "reg_offset", cmd->u.wreg.reg_offset, 0xFFFF);
		CHECK_FIELD(d->name, "count", cmd->u.wreg.count, 2 * WREG_BULK_SIZE64_MASK);
		if (cmd->u.wreg.count & 1) {
			hlsim_error(HLSIM_E_INVAL,
				    "gaudi encode: WREG_BULK count %u is odd (it writes u64 pairs)",
				    cmd->u.wreg.count);
			return 0;
		}
		if (cmd->u.wreg.count && !cmd->u.wreg.values) {
			hlsim_error(HLSIM_E_INVAL, "gaudi encode: WREG_BULK without values");
			return 0;
		}
		ctl |= cmd->u.wreg.reg_offset << WREG_CTL_OFFSET_SHIFT;
		dw0 = cmd->u.wreg.count / 2;
		size_bytes += 4 * cmd->u.wreg.count;
		break;
	case GAUDI_PKT_MSG_LONG:
	case GAUDI_PKT_MSG_SHORT:
	case GAUDI_PKT_MSG_PROT:
		if (!encode_msg(cmd, opcode, &dw0, &ctl, extra))
			return 0;
		break;
	case GAUDI_PKT_CP_DMA:
		CHECK_FIELD(d->name, "upper_cp", cmd->u.cb_call.upper_cp, 0);
		dw0 = cmd->u.cb_call.size_bytes;
		wr64(extra, cmd->u.cb_call.addr);
		break;
	case GAUDI_PKT_REPEAT:
		CHECK_FIELD(d->name, "sore", cmd->u.repeat.sore, 1);
		CHECK_FIELD(d->name, "outer", cmd->u.repeat.outer, 1);
		CHECK_FIELD(d->name, "jmp_ptr", cmd->u.repeat.jmp_ptr, 0xFFFF);
		dw0 = cmd->u.repeat.jmp_ptr << REPEAT_JMP_SHIFT;
		dw0 |= cmd->u.repeat.sore ? REPEAT_SORE : 0;
		dw0 |= cmd->u.repeat.outer ? REPEAT_OUTER : 0;
		break;
	case GAUDI_PKT_FENCE:
		CHECK_FIELD(d->name, "id", cmd->u.fence.id, 3);
		CHECK_FIELD(d->name, "dec", cmd->u.fence.dec, FENCE_DEC_MASK);
		dw0 = (uint32_t)cmd->u.fence.id << FENCE_ID_SHIFT |
		      (uint32_t)cmd->u.fence.target << FENCE_TARGET_SHIFT | cmd->u.fence.dec;
		break;
	case GAUDI_PKT_LIN_DMA:
		if (!encode_lin_dma(cmd, &dw0, &ctl, extra))
			return 0;
		break;
	case GAUDI_PKT_NOP:
	case GAUDI_PKT_STOP:
		break;
	case GAUDI_PKT_ARB_POINT:
		CHECK_FIELD(d->name, "priority", cmd->u.arb.priority, ARB_PRIORITY_MASK);
		CHECK_FIELD(d->name, "release", cmd->u.arb.release, 1);
		dw0 = cmd->u.arb.priority | (cmd->u.arb.release ? ARB_RLS : 0);
		break;
	case GAUDI_PKT_WAIT:
		CHECK_FIELD(d->name, "cycles", cmd->u.wait.cycles, WAIT_CYCLES_MASK);
		CHECK_FIELD(d->name, "inc", cmd->u.wait.inc, 0xF);
		CHECK_FIELD(d->name, "id", cmd->u.wait.id, 3);
		dw0 = cmd->u.wait.cycles | (uint32_t)cmd->u.wait.inc << WAIT_INC_SHIFT |
		      (uint32_t)cmd->u.wait.id << WAIT_ID_SHIFT;
		break;
	case GAUDI_PKT_LOAD_AND_EXE:
		CHECK_FIELD(d->name, "dst", cmd->u.load_exe.dst, 1);
		CHECK_FIELD(d->name, "load", cmd->u.load_exe.load, 1);
		CHECK_FIELD(d->name, "exe", cmd->u.load_exe.exe, 1);
		CHECK_FIELD(d->name, "etype", cmd->u.load_exe.etype, 1);
		dw0 = (cmd->u.load_exe.dst ? LAE_DST : 0) | (cmd->u.load_exe.load ? LAE_LOAD : 0) |
		      (cmd->u.load_exe.exe ? LAE_EXE : 0) | (cmd->u.load_exe.etype ? LAE_ETYPE : 0);
		wr64(extra, cmd->u.load_exe.src_addr);
		break;
	case GAUDI_PKT_ID_COUNT:
		break; /* unreachable: rejected above */
	}

	if (size_bytes > cap) {
		hlsim_error(HLSIM_E_INVAL, "gaudi encode: %s needs %u bytes, room for %zu", d->name,
			    size_bytes, cap);
		return 0;
	}
	wr32(out, dw0);
	wr32(out + 4, ctl);
	if (opcode == GAUDI_PKT_WREG_BULK) {
		if (cmd->u.wreg.count)
			memmove(out + 8, cmd->u.wreg.values, 4 * (size_t)cmd->u.wreg.count);
	} else if (size_bytes > 8) {
		memcpy(out + 8, extra, size_bytes - 8);
	}
	return size_bytes;
}
/* ====} */
