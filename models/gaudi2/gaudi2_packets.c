/*
 * models/gaudi2/gaudi2_packets.c - Gaudi2 (HL-225) command-buffer packets: decode the
 * bytes of one packet into a neutral struct hlsim_cmd, and encode it back.
 *
 * What is modelled: the 18 opcodes of the Gaudi2 CP with a public layout (0x1-0x10,
 * 0x12, 0x13) with every field of the hl-thunk bitfield layouts [C THUNK-PKT
 * gaudi2_packets.h, GAUDI-FACTS §2.1, §2.3]. Packets are little-endian; dword 1 is ctl:
 * opcode 28:24, EB 29, bit 30 ('swtc' in the Gaudi2 header, the kernel's RB mask; kept in
 * cmd->rb for every opcode), MB 31 and, in the packets that have one, pred 4:0.
 *
 * Differences from Gaudi handled here: WREG_32 'reg' (bit 5, with reg_id in dword 0)
 * decodes to HLSIM_CMD_WREG_REG; CP_DMA 'upper_cp' (bit 5); MSG_SHORT 'dw' (bit 18);
 * 24-bit ARB_POINT priority; LOAD_AND_EXE 'pmap' (bit 1); the Gaudi2 LIN_DMA ctl (no lin
 * bit, a full 64-bit destination, no context id); CB_LIST, WRITE_ARC_STREAM and
 * WREG_64_SHORT/LONG, which decode to the Gaudi2 command kinds of hlsim/cmd.h.
 *
 * Choices:
 * - Reserved bits are ignored on decode and written as 0 on encode, so encode(decode(b))
 *   == b for every packet with clean reserved bits, and decode(encode(c)) == c always.
 * - LIN_DMA ctl follows hl-thunk (wrcomp b0, endian 2:1, memset b4, bf16 b6, fp16 b7,
 *   context_id_inc b8, add_offset_0 b9), which the test vectors follow; the kernel's
 *   CONTEXT_ID mask 23:8 disagrees [U], so bits 23:10 are treated as reserved.
 * - Errors (HLSIM_E_DECODE, detail names the byte offset): offset not 8-byte aligned,
 *   fewer bytes left than the packet's fixed size, WREG_BULK / WRITE_ARC_STREAM payload
 *   past the CB end, an opcode outside the set above, LAST_READ_FROM_ARC (0x11, kernel
 *   only, layout not public), MSG_* op 2 or 3 (only 0 = value and 1 = timestamp exist).
 *
 * Hot path: decode reads bytes and fills a struct; it formats text only on error.
 */
#include <string.h>

#include "models/gaudi2/gaudi2P.h"

/**
 * struct pkt_desc - fixed facts of one opcode.
 * @name: mnemonic, NULL for an invalid opcode.
 * @kind: enum hlsim_cmd_kind it decodes to (WREG_32: HLSIM_CMD_WREG when reg=0).
 * @size_bytes: fixed size (WREG_BULK, WRITE_ARC_STREAM: the header only).
 * @has_pred: ctl bits 4:0 are the predicate.
 * @kernel_only: named, but never decoded (layout not public).
 */
struct pkt_desc {
	const char *name;
	uint8_t kind;
	uint8_t size_bytes;
	uint8_t has_pred;
	uint8_t kernel_only;
};

static const struct pkt_desc pkt_desc[GAUDI2_PKT_ID_COUNT] = {
	[GAUDI2_PKT_WREG_32] = { "WREG_32", HLSIM_CMD_WREG, 8, 1, 0 },
	[GAUDI2_PKT_WREG_BULK] = { "WREG_BULK", HLSIM_CMD_WREG, 8, 1, 0 },
	[GAUDI2_PKT_MSG_LONG] = { "MSG_LONG", HLSIM_CMD_MSG, 16, 1, 0 },
	[GAUDI2_PKT_MSG_SHORT] = { "MSG_SHORT", HLSIM_CMD_MSG, 8, 0, 0 }, /* offset in 15:0 */
	[GAUDI2_PKT_CP_DMA] = { "CP_DMA", HLSIM_CMD_CB_CALL, 16, 1, 0 },
	[GAUDI2_PKT_REPEAT] = { "REPEAT", HLSIM_CMD_REPEAT, 8, 1, 0 },
	[GAUDI2_PKT_MSG_PROT] = { "MSG_PROT", HLSIM_CMD_MSG, 16, 1, 0 },
	[GAUDI2_PKT_FENCE] = { "FENCE", HLSIM_CMD_FENCE, 8, 1, 0 },
	[GAUDI2_PKT_LIN_DMA] = { "LIN_DMA", HLSIM_CMD_DMA, 24, 0, 0 }, /* flags in 9:0 */
	[GAUDI2_PKT_NOP] = { "NOP", HLSIM_CMD_NOP, 8, 0, 0 },
	[GAUDI2_PKT_STOP] = { "STOP", HLSIM_CMD_STOP, 8, 0, 0 },
	[GAUDI2_PKT_ARB_POINT] = { "ARB_POINT", HLSIM_CMD_ARB_POINT, 8, 1, 0 },
	[GAUDI2_PKT_WAIT] = { "WAIT", HLSIM_CMD_WAIT, 8, 0, 0 },
	[GAUDI2_PKT_CB_LIST] = { "CB_LIST", HLSIM_CMD_CB_LIST, 24, 1, 0 },
	[GAUDI2_PKT_LOAD_AND_EXE] = { "LOAD_AND_EXE", HLSIM_CMD_LOAD_AND_EXE, 16, 1, 0 },
	[GAUDI2_PKT_WRITE_ARC_STREAM] = { "WRITE_ARC_STREAM", HLSIM_CMD_ARC_STREAM, 8, 0, 0 },
	[GAUDI2_PKT_LAST_READ_FROM_ARC] = { "LAST_READ_FROM_ARC", HLSIM_CMD_KIND_COUNT_, 8, 0, 1 },
	[GAUDI2_PKT_WREG_64_SHORT] = { "WREG_64_SHORT", HLSIM_CMD_WREG64, 8, 1, 0 },
	[GAUDI2_PKT_WREG_64_LONG] = { "WREG_64_LONG", HLSIM_CMD_WREG64, 16, 1, 0 },
};

/* {==== Field layouts ==== */
/* WREG_32 / WREG_BULK */
#define WREG_CTL_REG 0x00000020u /* WREG_32: the value comes from CP register reg_id */
#define WREG_CTL_OFFSET_SHIFT 8
#define WREG_CTL_OFFSET_MASK 0x00FFFF00u
#define WREG_REG_ID_MASK 0x00000003u
#define BULK_SIZE64_MASK 0x0000FFFFu /* WREG_BULK and WRITE_ARC_STREAM */
/* MSG_LONG / MSG_PROT / MSG_SHORT */
#define MSG_CTL_WEAKLY_ORDERED 0x00010000u
#define MSG_CTL_NO_SNOOP 0x00020000u
#define MSG_SHORT_CTL_DW 0x00040000u
#define MSG_CTL_OP_SHIFT 20
#define MSG_CTL_OP_MASK 0x00300000u
#define MSG_SHORT_CTL_OFFSET_MASK 0x0000FFFFu
#define MSG_SHORT_CTL_BASE_SHIFT 22
#define MSG_SHORT_CTL_BASE_MASK 0x00C00000u
/* CP_DMA / CB_LIST */
#define CP_DMA_CTL_UPPER_CP 0x00000020u
#define CB_LIST_CTL_SIZE_DESC 0x00000020u
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
#define LIN_DMA_CTL_WRCOMP 0x001u
#define LIN_DMA_CTL_ENDIAN_SHIFT 1
#define LIN_DMA_CTL_ENDIAN_MASK 0x006u
#define LIN_DMA_CTL_MEMSET 0x010u
#define LIN_DMA_CTL_BF16 0x040u
#define LIN_DMA_CTL_FP16 0x080u
#define LIN_DMA_CTL_CTX_ID_INC 0x100u
#define LIN_DMA_CTL_ADD_OFFSET_0 0x200u
/* ARB_POINT */
#define ARB_PRIORITY_MASK 0x00FFFFFFu
#define ARB_RLS 0x80000000u
/* WAIT */
#define WAIT_CYCLES_MASK 0x00FFFFFFu
#define WAIT_INC_SHIFT 24
#define WAIT_INC_MASK 0x0F000000u
#define WAIT_ID_SHIFT 28
#define WAIT_ID_MASK 0x30000000u
/* LOAD_AND_EXE */
#define LAE_DST 0x001u
#define LAE_PMAP 0x002u
#define LAE_LOAD 0x100u
#define LAE_EXE 0x200u
#define LAE_ETYPE 0x400u
/* WREG_64_SHORT / WREG_64_LONG */
#define WR64_CTL_BASE_SHIFT 5
#define WR64_CTL_BASE_MASK 0x000001E0u
#define WR64_CTL_REG_REL 0x00000200u /* SHORT: reg; LONG: rel */
#define WR64_CTL_DREG_SHIFT 10
#define WR64_CTL_DREG_MASK 0x00FFFC00u
#define WR64_LONG_DW_ENABLE_MASK 0x00000003u
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

const char *gaudi2_opcode_name(uint8_t opcode)
{
	return opcode < GAUDI2_PKT_ID_COUNT ? pkt_desc[opcode].name : NULL;
}

/* {==== Decoding ==== */

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
	if (opcode == GAUDI2_PKT_MSG_SHORT) {
		out->u.msg.addr = ctl & MSG_SHORT_CTL_OFFSET_MASK;
		out->u.msg.base = (uint8_t)((ctl & MSG_SHORT_CTL_BASE_MASK) >>
					    MSG_SHORT_CTL_BASE_SHIFT);
		out->u.msg.is_short = 1;
		out->u.msg.dw = !!(ctl & MSG_SHORT_CTL_DW);
	} else {
		out->u.msg.addr = rd64(p + 8);
		out->u.msg.is_prot = opcode == GAUDI2_PKT_MSG_PROT;
	}
	return HLSIM_OK;
}

static void decode_lin_dma(uint32_t dw0, uint32_t ctl, const uint8_t *p, struct hlsim_cmd *out)
{
	uint32_t flags = 0;

	if (ctl & LIN_DMA_CTL_WRCOMP)
		flags |= HLSIM_DMA_WR_COMP;
	if (ctl & LIN_DMA_CTL_MEMSET)
		flags |= HLSIM_DMA_MEMSET;
	if (ctl & LIN_DMA_CTL_BF16)
		flags |= HLSIM_DMA_BF16;
	if (ctl & LIN_DMA_CTL_FP16)
		flags |= HLSIM_DMA_FP16;
	if (ctl & LIN_DMA_CTL_CTX_ID_INC)
		flags |= HLSIM_DMA_CTX_ID_INC;
	if (ctl & LIN_DMA_CTL_ADD_OFFSET_0)
		flags |= HLSIM_DMA_ADD_OFFSET_0;
	flags |= ((ctl & LIN_DMA_CTL_ENDIAN_MASK) >> LIN_DMA_CTL_ENDIAN_SHIFT)
		 << HLSIM_DMA_ENDIAN_SHIFT;
	out->u.dma.size_bytes = dw0;
	out->u.dma.src_addr = rd64(p + 8);
	out->u.dma.dst_addr = rd64(p + 16);
	out->u.dma.flags = flags;
}

static void decode_wreg64(uint8_t opcode, uint32_t dw0, uint32_t ctl, const uint8_t *p,
			  struct hlsim_cmd *out)
{
	out->u.wreg64.base = (uint8_t)((ctl & WR64_CTL_BASE_MASK) >> WR64_CTL_BASE_SHIFT);
	out->u.wreg64.dreg_offset = (ctl & WR64_CTL_DREG_MASK) >> WR64_CTL_DREG_SHIFT;
	if (opcode == GAUDI2_PKT_WREG_64_LONG) {
		out->u.wreg64.is_long = 1;
		out->u.wreg64.rel = !!(ctl & WR64_CTL_REG_REL);
		out->u.wreg64.dw_enable = (uint8_t)(dw0 & WR64_LONG_DW_ENABLE_MASK);
		out->u.wreg64.offset = rd64(p + 8);
	} else {
		out->u.wreg64.reg = !!(ctl & WR64_CTL_REG_REL);
		out->u.wreg64.offset = dw0;
	}
}

hlsim_err_t gaudi2_decode(const uint8_t *cb, size_t cb_size, size_t off, struct hlsim_cmd *out)
{
	const struct pkt_desc *d;
	const uint8_t *p;
	uint32_t dw0, ctl, size_bytes;
	uint8_t opcode;
	size_t left;

	if (!out || (!cb && cb_size))
		return hlsim_error(HLSIM_E_INVAL, "gaudi2 decode: NULL command buffer or output");
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
	opcode = (uint8_t)((ctl & GAUDI2_PKT_CTL_OPCODE_MASK) >> GAUDI2_PKT_CTL_OPCODE_SHIFT);
	d = &pkt_desc[opcode];
	if (!d->name)
		return hlsim_error(HLSIM_E_DECODE, "byte offset 0x%zx: invalid opcode 0x%02x", off,
				   opcode);
	if (d->kernel_only)
		return hlsim_error(HLSIM_E_DECODE,
				   "byte offset 0x%zx: %s (opcode 0x%02x) is a kernel-only packet "
				   "whose layout is not public",
				   off, d->name, opcode);
	size_bytes = d->size_bytes;
	if (opcode == GAUDI2_PKT_WREG_BULK || opcode == GAUDI2_PKT_WRITE_ARC_STREAM) {
		size_bytes += 8 * (dw0 & BULK_SIZE64_MASK);
		if (size_bytes > left)
			return hlsim_error(HLSIM_E_DECODE,
					   "byte offset 0x%zx: %s of %u u64 values needs %u bytes, "
					   "%zu left before the CB end",
					   off, d->name, dw0 & BULK_SIZE64_MASK, size_bytes, left);
	} else if (size_bytes > left) {
		return hlsim_error(HLSIM_E_DECODE, "byte offset 0x%zx: %s needs %u bytes, %zu left",
				   off, d->name, size_bytes, left);
	}

	memset(out, 0, sizeof(*out));
	out->kind = d->kind;
	out->opcode = opcode;
	out->eb = !!(ctl & GAUDI2_PKT_CTL_EB);
	out->rb = !!(ctl & GAUDI2_PKT_CTL_SWTC);
	out->mb = !!(ctl & GAUDI2_PKT_CTL_MB);
	out->pred = d->has_pred ? (uint8_t)(ctl & GAUDI2_PKT_CTL_PRED_MASK) : 0;
	out->size_bytes = size_bytes;

	switch ((enum gaudi2_packet_id)opcode) {
	case GAUDI2_PKT_WREG_32:
		out->u.wreg.reg_offset = (ctl & WREG_CTL_OFFSET_MASK) >> WREG_CTL_OFFSET_SHIFT;
		out->u.wreg.count = 1;
		if (ctl & WREG_CTL_REG) {
			out->kind = HLSIM_CMD_WREG_REG;
			out->u.wreg.reg_id = (uint8_t)(dw0 & WREG_REG_ID_MASK);
		} else {
			out->u.wreg.value = dw0;
		}
		break;
	case GAUDI2_PKT_WREG_BULK:
		out->u.wreg.reg_offset = (ctl & WREG_CTL_OFFSET_MASK) >> WREG_CTL_OFFSET_SHIFT;
		out->u.wreg.count = 2 * (dw0 & BULK_SIZE64_MASK);
		out->u.wreg.values = p + 8;
		break;
	case GAUDI2_PKT_MSG_LONG:
	case GAUDI2_PKT_MSG_SHORT:
	case GAUDI2_PKT_MSG_PROT:
		return decode_msg(opcode, dw0, ctl, p, off, out);
	case GAUDI2_PKT_CP_DMA:
		out->u.cb_call.size_bytes = dw0;
		out->u.cb_call.addr = rd64(p + 8);
		out->u.cb_call.upper_cp = !!(ctl & CP_DMA_CTL_UPPER_CP);
		break;
	case GAUDI2_PKT_REPEAT:
		out->u.repeat.sore = !!(dw0 & REPEAT_SORE);
		out->u.repeat.outer = !!(dw0 & REPEAT_OUTER);
		out->u.repeat.jmp_ptr = dw0 >> REPEAT_JMP_SHIFT;
		break;
	case GAUDI2_PKT_FENCE:
		out->u.fence.dec = (uint8_t)(dw0 & FENCE_DEC_MASK);
		out->u.fence.target = (uint8_t)((dw0 & FENCE_TARGET_MASK) >> FENCE_TARGET_SHIFT);
		out->u.fence.id = (uint8_t)(dw0 >> FENCE_ID_SHIFT);
		break;
	case GAUDI2_PKT_LIN_DMA:
		decode_lin_dma(dw0, ctl, p, out);
		break;
	case GAUDI2_PKT_NOP:
	case GAUDI2_PKT_STOP:
		break;
	case GAUDI2_PKT_ARB_POINT:
		out->u.arb.priority = dw0 & ARB_PRIORITY_MASK;
		out->u.arb.release = !!(dw0 & ARB_RLS);
		break;
	case GAUDI2_PKT_WAIT:
		out->u.wait.cycles = dw0 & WAIT_CYCLES_MASK;
		out->u.wait.inc = (uint8_t)((dw0 & WAIT_INC_MASK) >> WAIT_INC_SHIFT);
		out->u.wait.id = (uint8_t)((dw0 & WAIT_ID_MASK) >> WAIT_ID_SHIFT);
		break;
	case GAUDI2_PKT_CB_LIST:
		out->u.cb_list.size_desc = !!(ctl & CB_LIST_CTL_SIZE_DESC);
		out->u.cb_list.index_addr = rd64(p + 8);
		out->u.cb_list.table_addr = rd64(p + 16);
		break;
	case GAUDI2_PKT_LOAD_AND_EXE:
		out->u.load_exe.dst = !!(dw0 & LAE_DST);
		out->u.load_exe.pmap = !!(dw0 & LAE_PMAP);
		out->u.load_exe.load = !!(dw0 & LAE_LOAD);
		out->u.load_exe.exe = !!(dw0 & LAE_EXE);
		out->u.load_exe.etype = !!(dw0 & LAE_ETYPE);
		out->u.load_exe.src_addr = rd64(p + 8);
		break;
	case GAUDI2_PKT_WRITE_ARC_STREAM:
		out->u.arc_stream.count = dw0 & BULK_SIZE64_MASK;
		out->u.arc_stream.values = p + 8;
		break;
	case GAUDI2_PKT_WREG_64_SHORT:
	case GAUDI2_PKT_WREG_64_LONG:
		decode_wreg64(opcode, dw0, ctl, p, out);
		break;
	case GAUDI2_PKT_LAST_READ_FROM_ARC:
	case GAUDI2_PKT_ID_COUNT:
		break; /* unreachable: rejected above */
	}
	return HLSIM_OK;
}
/* ====} */

/* {==== Encoding ==== */

/* The opcode a neutral command gets when cmd->opcode is 0 ("choose for me"). */
static uint8_t default_opcode(const struct hlsim_cmd *cmd)
{
	switch ((enum hlsim_cmd_kind)cmd->kind) {
	case HLSIM_CMD_NOP:
		return GAUDI2_PKT_NOP;
	case HLSIM_CMD_WREG:
		return cmd->u.wreg.values ? GAUDI2_PKT_WREG_BULK : GAUDI2_PKT_WREG_32;
	case HLSIM_CMD_WREG_REG:
		return GAUDI2_PKT_WREG_32;
	case HLSIM_CMD_MSG:
		if (cmd->u.msg.is_prot)
			return GAUDI2_PKT_MSG_PROT;
		return cmd->u.msg.is_short ? GAUDI2_PKT_MSG_SHORT : GAUDI2_PKT_MSG_LONG;
	case HLSIM_CMD_CB_CALL:
		return GAUDI2_PKT_CP_DMA;
	case HLSIM_CMD_REPEAT:
		return GAUDI2_PKT_REPEAT;
	case HLSIM_CMD_FENCE:
		return GAUDI2_PKT_FENCE;
	case HLSIM_CMD_DMA:
		return GAUDI2_PKT_LIN_DMA;
	case HLSIM_CMD_STOP:
		return GAUDI2_PKT_STOP;
	case HLSIM_CMD_ARB_POINT:
		return GAUDI2_PKT_ARB_POINT;
	case HLSIM_CMD_WAIT:
		return GAUDI2_PKT_WAIT;
	case HLSIM_CMD_LOAD_AND_EXE:
		return GAUDI2_PKT_LOAD_AND_EXE;
	case HLSIM_CMD_CB_LIST:
		return GAUDI2_PKT_CB_LIST;
	case HLSIM_CMD_WREG64:
		return cmd->u.wreg64.is_long ? GAUDI2_PKT_WREG_64_LONG : GAUDI2_PKT_WREG_64_SHORT;
	case HLSIM_CMD_ARC_STREAM:
		return GAUDI2_PKT_WRITE_ARC_STREAM;
	case HLSIM_CMD_KIND_COUNT_:
		break;
	}
	return 0;
}

/* Reports a field that has no encoding; returns 0 (bytes written) for the caller. */
static size_t bad_field(const char *pkt, const char *field, uint64_t value, uint64_t max)
{
	hlsim_error(HLSIM_E_INVAL, "gaudi2 encode: %s %s 0x%llx does not fit (max 0x%llx)", pkt,
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

	if (cmd->u.msg.is_short != (opcode == GAUDI2_PKT_MSG_SHORT) ||
	    cmd->u.msg.is_prot != (opcode == GAUDI2_PKT_MSG_PROT)) {
		hlsim_error(HLSIM_E_INVAL, "gaudi2 encode: %s with is_short=%u is_prot=%u", name,
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
	if (opcode == GAUDI2_PKT_MSG_SHORT) {
		CHECK_FIELD(name, "address offset", cmd->u.msg.addr, MSG_SHORT_CTL_OFFSET_MASK);
		CHECK_FIELD(name, "base", cmd->u.msg.base, 3);
		CHECK_FIELD(name, "dw", cmd->u.msg.dw, 1);
		*ctl |= (uint32_t)cmd->u.msg.addr;
		*ctl |= (uint32_t)cmd->u.msg.base << MSG_SHORT_CTL_BASE_SHIFT;
		*ctl |= cmd->u.msg.dw ? MSG_SHORT_CTL_DW : 0;
	} else {
		CHECK_FIELD(name, "base", cmd->u.msg.base, 0);
		CHECK_FIELD(name, "dw (MSG_SHORT only)", cmd->u.msg.dw, 0);
		wr64(extra, cmd->u.msg.addr);
	}
	return 1;
}

static size_t encode_lin_dma(const struct hlsim_cmd *cmd, uint32_t *dw0, uint32_t *ctl,
			     uint8_t *extra)
{
	const uint32_t known = HLSIM_DMA_WR_COMP | HLSIM_DMA_MEMSET | HLSIM_DMA_BF16 |
			       HLSIM_DMA_FP16 | HLSIM_DMA_CTX_ID_INC | HLSIM_DMA_ADD_OFFSET_0 |
			       HLSIM_DMA_ENDIAN_MASK;
	uint32_t f = cmd->u.dma.flags;

	if (f & ~known)
		return bad_field("LIN_DMA", "flags (Gaudi2 has no transpose, dtype or compress)",
				 f, known);
	CHECK_FIELD("LIN_DMA", "size_bytes", cmd->u.dma.size_bytes, UINT32_MAX);
	CHECK_FIELD("LIN_DMA", "context_id (no such field on Gaudi2)", cmd->u.dma.context_id, 0);
	*dw0 = (uint32_t)cmd->u.dma.size_bytes;
	*ctl |= (f & HLSIM_DMA_WR_COMP) ? LIN_DMA_CTL_WRCOMP : 0;
	*ctl |= (f & HLSIM_DMA_MEMSET) ? LIN_DMA_CTL_MEMSET : 0;
	*ctl |= (f & HLSIM_DMA_BF16) ? LIN_DMA_CTL_BF16 : 0;
	*ctl |= (f & HLSIM_DMA_FP16) ? LIN_DMA_CTL_FP16 : 0;
	*ctl |= (f & HLSIM_DMA_CTX_ID_INC) ? LIN_DMA_CTL_CTX_ID_INC : 0;
	*ctl |= (f & HLSIM_DMA_ADD_OFFSET_0) ? LIN_DMA_CTL_ADD_OFFSET_0 : 0;
	*ctl |= ((f & HLSIM_DMA_ENDIAN_MASK) >> HLSIM_DMA_ENDIAN_SHIFT) << LIN_DMA_CTL_ENDIAN_SHIFT;
	wr64(extra, cmd->u.dma.src_addr);
	wr64(extra + 8, cmd->u.dma.dst_addr);
	return 1;
}

static size_t encode_wreg32(const struct hlsim_cmd *cmd, const char *name, uint32_t *dw0,
			    uint32_t *ctl)
{
	if (cmd->u.wreg.count != 1)
		return bad_field(name, "count (must be 1)", cmd->u.wreg.count, 1);
	if (cmd->u.wreg.values) {
		hlsim_error(HLSIM_E_INVAL, "gaudi2 encode: WREG_32 with a values array");
		return 0;
	}
	CHECK_FIELD(name, "reg_offset", cmd->u.wreg.reg_offset, 0xFFFF);
	*ctl |= cmd->u.wreg.reg_offset << WREG_CTL_OFFSET_SHIFT;
	if (cmd->kind == HLSIM_CMD_WREG_REG) {
		CHECK_FIELD(name, "reg_id", cmd->u.wreg.reg_id, WREG_REG_ID_MASK);
		CHECK_FIELD(name, "value (unused with reg=1)", cmd->u.wreg.value, 0);
		*ctl |= WREG_CTL_REG;
		*dw0 = cmd->u.wreg.reg_id;
	} else {
		CHECK_FIELD(name, "reg_id (WREG_REG only)", cmd->u.wreg.reg_id, 0);
		*dw0 = cmd->u.wreg.value;
	}
	return 1;
}

/* WREG_BULK and WRITE_ARC_STREAM: a u64 count in dword 0, then the payload. */
static size_t encode_bulk(const char *name, uint32_t count_u64, const uint8_t *values,
			  uint32_t *dw0, uint32_t *size_bytes)
{
	CHECK_FIELD(name, "u64 count", count_u64, BULK_SIZE64_MASK);
	if (count_u64 && !values) {
		hlsim_error(HLSIM_E_INVAL, "gaudi2 encode: %s without values", name);
		return 0;
	}
	*dw0 = count_u64;
	*size_bytes += 8 * count_u64;
	return 1;
}

static size_t encode_wreg64(const struct hlsim_cmd *cmd, uint8_t opcode, uint32_t *dw0,
			    uint32_t *ctl, uint8_t *extra)
{
	const char *name = pkt_desc[opcode].name;

	if (cmd->u.wreg64.is_long != (opcode == GAUDI2_PKT_WREG_64_LONG)) {
		hlsim_error(HLSIM_E_INVAL, "gaudi2 encode: %s with is_long=%u", name,
			    cmd->u.wreg64.is_long);
		return 0;
	}
	CHECK_FIELD(name, "base", cmd->u.wreg64.base, WR64_CTL_BASE_MASK >> WR64_CTL_BASE_SHIFT);
	CHECK_FIELD(name, "dreg_offset", cmd->u.wreg64.dreg_offset,
		    WR64_CTL_DREG_MASK >> WR64_CTL_DREG_SHIFT);
	*ctl |= (uint32_t)cmd->u.wreg64.base << WR64_CTL_BASE_SHIFT;
	*ctl |= cmd->u.wreg64.dreg_offset << WR64_CTL_DREG_SHIFT;
	if (cmd->u.wreg64.is_long) {
		CHECK_FIELD(name, "rel", cmd->u.wreg64.rel, 1);
		CHECK_FIELD(name, "dw_enable", cmd->u.wreg64.dw_enable, WR64_LONG_DW_ENABLE_MASK);
		CHECK_FIELD(name, "reg (WREG_64_SHORT only)", cmd->u.wreg64.reg, 0);
		*ctl |= cmd->u.wreg64.rel ? WR64_CTL_REG_REL : 0;
		*dw0 = cmd->u.wreg64.dw_enable;
		wr64(extra, cmd->u.wreg64.offset);
	} else {
		CHECK_FIELD(name, "reg", cmd->u.wreg64.reg, 1);
		CHECK_FIELD(name, "offset", cmd->u.wreg64.offset, UINT32_MAX);
		CHECK_FIELD(name, "rel (WREG_64_LONG only)", cmd->u.wreg64.rel, 0);
		CHECK_FIELD(name, "dw_enable (WREG_64_LONG only)", cmd->u.wreg64.dw_enable, 0);
		*ctl |= cmd->u.wreg64.reg ? WR64_CTL_REG_REL : 0;
		*dw0 = (uint32_t)cmd->u.wreg64.offset;
	}
	return 1;
}

/* The fields of the kinds that fit in dword 0 alone; returns 0 on a bad field. */
static size_t encode_small(const struct hlsim_cmd *cmd, uint8_t opcode, uint32_t *dw0)
{
	const char *name = pkt_desc[opcode].name;

	switch ((enum gaudi2_packet_id)opcode) {
	case GAUDI2_PKT_REPEAT:
		CHECK_FIELD(name, "sore", cmd->u.repeat.sore, 1);
		CHECK_FIELD(name, "outer", cmd->u.repeat.outer, 1);
		CHECK_FIELD(name, "jmp_ptr", cmd->u.repeat.jmp_ptr, 0xFFFF);
		*dw0 = cmd->u.repeat.jmp_ptr << REPEAT_JMP_SHIFT;
		*dw0 |= cmd->u.repeat.sore ? REPEAT_SORE : 0;
		*dw0 |= cmd->u.repeat.outer ? REPEAT_OUTER : 0;
		return 1;
	case GAUDI2_PKT_FENCE:
		CHECK_FIELD(name, "id", cmd->u.fence.id, 3);
		CHECK_FIELD(name, "dec", cmd->u.fence.dec, FENCE_DEC_MASK);
		*dw0 = (uint32_t)cmd->u.fence.id << FENCE_ID_SHIFT |
		       (uint32_t)cmd->u.fence.target << FENCE_TARGET_SHIFT | cmd->u.fence.dec;
		return 1;
	case GAUDI2_PKT_ARB_POINT:
		CHECK_FIELD(name, "priority", cmd->u.arb.priority, ARB_PRIORITY_MASK);
		CHECK_FIELD(name, "release", cmd->u.arb.release, 1);
		*dw0 = cmd->u.arb.priority | (cmd->u.arb.release ? ARB_RLS : 0);
		return 1;
	case GAUDI2_PKT_WAIT:
		CHECK_FIELD(name, "cycles", cmd->u.wait.cycles, WAIT_CYCLES_MASK);
		CHECK_FIELD(name, "inc", cmd->u.wait.inc, 0xF);
		CHECK_FIELD(name, "id", cmd->u.wait.id, 3);
		*dw0 = cmd->u.wait.cycles | (uint32_t)cmd->u.wait.inc << WAIT_INC_SHIFT |
		       (uint32_t)cmd->u.wait.id << WAIT_ID_SHIFT;
		return 1;
	default:
		return 1; /* NOP and STOP have no fields; the other opcodes are the caller's */
	}
}

size_t gaudi2_encode(const struct hlsim_cmd *cmd, uint8_t *out, size_t cap)
{
	const struct pkt_desc *d;
	const uint8_t *payload = NULL;
	uint8_t extra[16] = { 0 };
	uint32_t dw0 = 0, ctl, size_bytes;
	uint8_t opcode;
	int kind_ok;

	if (!cmd || (!out && cap)) {
		hlsim_error(HLSIM_E_INVAL, "gaudi2 encode: NULL command or output");
		return 0;
	}
	opcode = cmd->opcode ? cmd->opcode : default_opcode(cmd);
	d = opcode < GAUDI2_PKT_ID_COUNT ? &pkt_desc[opcode] : NULL;
	if (!d || !d->name || d->kernel_only) {
		hlsim_error(HLSIM_E_INVAL,
			    "gaudi2 encode: opcode 0x%02x (kind %u) has no encoding", opcode,
			    cmd->kind);
		return 0;
	}
	kind_ok = d->kind == cmd->kind ||
		  (opcode == GAUDI2_PKT_WREG_32 && cmd->kind == HLSIM_CMD_WREG_REG);
	if (!kind_ok) {
		hlsim_error(HLSIM_E_INVAL,
			    "gaudi2 encode: opcode %s does not carry command kind %u", d->name,
			    cmd->kind);
		return 0;
	}
	CHECK_FIELD(d->name, "eb", cmd->eb, 1);
	CHECK_FIELD(d->name, "rb", cmd->rb, 1);
	CHECK_FIELD(d->name, "mb", cmd->mb, 1);
	CHECK_FIELD(d->name, "pred", cmd->pred, d->has_pred ? GAUDI2_PKT_CTL_PRED_MASK : 0);

	ctl = (uint32_t)opcode << GAUDI2_PKT_CTL_OPCODE_SHIFT | cmd->pred;
	ctl |= cmd->eb ? GAUDI2_PKT_CTL_EB : 0;
	ctl |= cmd->rb ? GAUDI2_PKT_CTL_SWTC : 0;
	ctl |= cmd->mb ? GAUDI2_PKT_CTL_MB : 0;
	size_bytes = d->size_bytes;

	switch ((enum gaudi2_packet_id)opcode) {
	case GAUDI2_PKT_WREG_32:
		if (!encode_wreg32(cmd, d->name, &dw0, &ctl))
			return 0;
		break;
	case GAUDI2_PKT_WREG_BULK:
		CHECK_FIELD(d->name, "reg_offset", cmd->u.wreg.reg_offset, 0xFFFF);
		CHECK_FIELD(d->name, "reg_id", cmd->u.wreg.reg_id, 0);
		if (cmd->u.wreg.count & 1) {
			hlsim_error(HLSIM_E_INVAL,
				    "gaudi2 encode: WREG_BULK count %u is odd (u64 pairs)",
				    cmd->u.wreg.count);
			return 0;
		}
		if (!encode_bulk(d->name, cmd->u.wreg.count / 2, cmd->u.wreg.values, &dw0,
				 &size_bytes))
			return 0;
		ctl |= cmd->u.wreg.reg_offset << WREG_CTL_OFFSET_SHIFT;
		payload = cmd->u.wreg.values;
		break;
	case GAUDI2_PKT_WRITE_ARC_STREAM:
		if (!encode_bulk(d->name, cmd->u.arc_stream.count, cmd->u.arc_stream.values, &dw0,
				 &size_bytes))
			return 0;
		payload = cmd->u.arc_stream.values;
		break;
	case GAUDI2_PKT_MSG_LONG:
	case GAUDI2_PKT_MSG_SHORT:
	case GAUDI2_PKT_MSG_PROT:
		if (!encode_msg(cmd, opcode, &dw0, &ctl, extra))
			return 0;
		break;
	case GAUDI2_PKT_CP_DMA:
		CHECK_FIELD(d->name, "upper_cp", cmd->u.cb_call.upper_cp, 1);
		dw0 = cmd->u.cb_call.size_bytes;
		ctl |= cmd->u.cb_call.upper_cp ? CP_DMA_CTL_UPPER_CP : 0;
		wr64(extra, cmd->u.cb_call.addr);
		break;
	case GAUDI2_PKT_LIN_DMA:
		if (!encode_lin_dma(cmd, &dw0, &ctl, extra))
			return 0;
		break;
	case GAUDI2_PKT_CB_LIST:
		CHECK_FIELD(d->name, "size_desc", cmd->u.cb_list.size_desc, 1);
		ctl |= cmd->u.cb_list.size_desc ? CB_LIST_CTL_SIZE_DESC : 0;
		wr64(extra, cmd->u.cb_list.index_addr);
		wr64(extra + 8, cmd->u.cb_list.table_addr);
		break;
	case GAUDI2_PKT_LOAD_AND_EXE:
		CHECK_FIELD(d->name, "dst", cmd->u.load_exe.dst, 1);
		CHECK_FIELD(d->name, "pmap", cmd->u.load_exe.pmap, 1);
		CHECK_FIELD(d->name, "load", cmd->u.load_exe.load, 1);
		CHECK_FIELD(d->name, "exe", cmd->u.load_exe.exe, 1);
		CHECK_FIELD(d->name, "etype", cmd->u.load_exe.etype, 1);
		dw0 = (cmd->u.load_exe.dst ? LAE_DST : 0) | (cmd->u.load_exe.pmap ? LAE_PMAP : 0) |
		      (cmd->u.load_exe.load ? LAE_LOAD : 0) | (cmd->u.load_exe.exe ? LAE_EXE : 0) |
		      (cmd->u.load_exe.etype ? LAE_ETYPE : 0);
		wr64(extra, cmd->u.load_exe.src_addr);
		break;
	case GAUDI2_PKT_WREG_64_SHORT:
	case GAUDI2_PKT_WREG_64_LONG:
		if (!encode_wreg64(cmd, opcode, &dw0, &ctl, extra))
			return 0;
		break;
	case GAUDI2_PKT_REPEAT:
	case GAUDI2_PKT_FENCE:
	case GAUDI2_PKT_ARB_POINT:
	case GAUDI2_PKT_WAIT:
	case GAUDI2_PKT_NOP:
	case GAUDI2_PKT_STOP:
		if (!encode_small(cmd, opcode, &dw0))
			return 0;
		break;
	case GAUDI2_PKT_LAST_READ_FROM_ARC:
	case GAUDI2_PKT_ID_COUNT:
		break; /* unreachable: rejected above */
	}

	if (size_bytes > cap) {
		hlsim_error(HLSIM_E_INVAL, "gaudi2 encode: %s needs %u bytes, room for %zu",
			    d->name, size_bytes, cap);
		return 0;
	}
	wr32(out, dw0);
	wr32(out + 4, ctl);
	if (size_bytes > 8 && payload)
		memmove(out + 8, payload, size_bytes - 8);
	else if (size_bytes > 8)
		memcpy(out + 8, extra, size_bytes - 8);
	return size_bytes;
}
/* ====} */
