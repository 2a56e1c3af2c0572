/*
 * models/gaudi/gaudi_packets.c - Gaudi (HL-205) command-buffer packets: decode the
 * bytes of one packet into a neutral struct hlsim_cmd, and encode it back.
 *
 * What is modelled: all 14 opcodes of the Gaudi CP (0x1-0xD, 0xF) with every field of
 * the hl-thunk bitfield layouts [C THUNK-PKT gaudi_packets.h, GAUDI-FACTS §2.1-2.2].
 * Packets are little-endian; dword 1 is ctl: opcode 28:24, EB 29, RB 30, MB 31 and, in
 * the packets that have one, pred 4:0.
 *
 * This file owns the Gaudi opcode table, WREG_32/WREG_BULK encoding and the Gaudi
 * LIN_DMA; the packets whose layout Gaudi2 shares are decoded and encoded by
 * models/common/qman_pkt.c (8-bit ARB_POINT priority, none of the Gaudi2 additions).
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

#include "models/common/qman_pkt.h"
#include "models/gaudi/gaudiP.h"

#define P MDL_PKT_PRED

static const struct mdl_pkt_desc pkt_desc[GAUDI_PKT_ID_COUNT] = {
	[GAUDI_PKT_WREG_32] = { "WREG_32", HLSIM_CMD_WREG, 8, P },
	[GAUDI_PKT_WREG_BULK] = { "WREG_BULK", HLSIM_CMD_WREG, 8, P | MDL_PKT_BULK },
	[GAUDI_PKT_MSG_LONG] = { "MSG_LONG", HLSIM_CMD_MSG, 16, P },
	/* MSG_SHORT: the address offset is in 15:0, no predicate */
	[GAUDI_PKT_MSG_SHORT] = { "MSG_SHORT", HLSIM_CMD_MSG, 8, MDL_PKT_MSG_SHORT },
	[GAUDI_PKT_CP_DMA] = { "CP_DMA", HLSIM_CMD_CB_CALL, 16, P },
	[GAUDI_PKT_REPEAT] = { "REPEAT", HLSIM_CMD_REPEAT, 8, P },
	[GAUDI_PKT_MSG_PROT] = { "MSG_PROT", HLSIM_CMD_MSG, 16, P | MDL_PKT_MSG_PROT },
	[GAUDI_PKT_FENCE] = { "FENCE", HLSIM_CMD_FENCE, 8, P },
	[GAUDI_PKT_LIN_DMA] = { "LIN_DMA", HLSIM_CMD_DMA, 24, 0 }, /* flags in 6:0 */
	[GAUDI_PKT_NOP] = { "NOP", HLSIM_CMD_NOP, 8, 0 },
	[GAUDI_PKT_STOP] = { "STOP", HLSIM_CMD_STOP, 8, 0 },
	[GAUDI_PKT_ARB_POINT] = { "ARB_POINT", HLSIM_CMD_ARB_POINT, 8, P },
	[GAUDI_PKT_WAIT] = { "WAIT", HLSIM_CMD_WAIT, 8, 0 },
	[GAUDI_PKT_LOAD_AND_EXE] = { "LOAD_AND_EXE", HLSIM_CMD_LOAD_AND_EXE, 16, P },
	/* hlsim's NIC record, not a hardware packet (include/hlsim/cmd.h HLSIM_CMD_NIC) */
	[HLSIM_NIC_OPCODE] = { "HLSIM_NIC", HLSIM_CMD_NIC, HLSIM_NIC_RECORD_BYTES, 0 },
};

#undef P

/* {==== Field layouts (the shared packets' are in models/common/qman_pkt.c) ==== */
/* WREG_32 / WREG_BULK */
#define WREG_CTL_OFFSET_SHIFT 8
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
/* ====} */

static const struct mdl_pkt_isa gaudi_isa = {
	.tag = "gaudi",
	.desc = pkt_desc,
	.arb_priority_mask = ARB_PRIORITY_MASK,
	.features = 0,
};

const char *gaudi_opcode_name(uint8_t opcode)
{
	return opcode < GAUDI_PKT_ID_COUNT ? pkt_desc[opcode].name : NULL;
}

static hlsim_err_t decode_lin_dma(uint32_t dw0, uint32_t ctl, const uint8_t *p, size_t off,
				  struct hlsim_cmd *out)
{
	uint64_t dst = mdl_pkt_rd64(p + 16);
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
	out->u.dma.src_addr = mdl_pkt_rd64(p + 8);
	out->u.dma.dst_addr = dst & LIN_DMA_DST_MASK;
	out->u.dma.flags = flags;
	out->u.dma.context_id = ((ctl & LIN_DMA_CTL_CTX_LOW_MASK) >> LIN_DMA_CTL_CTX_LOW_SHIFT) |
				(uint32_t)(dst >> LIN_DMA_CTX_HIGH_SHIFT) << 8;
	return HLSIM_OK;
}

hlsim_err_t gaudi_decode(const uint8_t *cb, size_t cb_size, size_t off, struct hlsim_cmd *out)
{
	uint32_t dw0, ctl;
	hlsim_err_t rc;

	rc = mdl_pkt_decode_head(&gaudi_isa, cb, cb_size, off, out, &dw0, &ctl);
	if (rc != HLSIM_OK)
		return rc;
	if (out->opcode == GAUDI_PKT_LIN_DMA)
		return decode_lin_dma(dw0, ctl, cb + off, off, out);
	return mdl_pkt_decode_shared(&gaudi_isa, dw0, ctl, cb + off, off, out);
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
	case HLSIM_CMD_NIC:
		return HLSIM_NIC_OPCODE;
	case HLSIM_CMD_CB_LIST:
	case HLSIM_CMD_WREG64:
	case HLSIM_CMD_ARC_STREAM:
	case HLSIM_CMD_WREG_REG:
	case HLSIM_CMD_KIND_COUNT_:
		break; /* Gaudi2 packets: no Gaudi encoding */
	}
	return 0;
}

#define CHECK_FIELD(pkt, field, value, max) MDL_PKT_CHECK_FIELD("gaudi", pkt, field, value, max)

static size_t encode_lin_dma(const struct hlsim_cmd *cmd, uint32_t *dw0, uint32_t *ctl,
			     uint8_t *extra)
{
	const uint32_t known = HLSIM_DMA_WR_COMP | HLSIM_DMA_TRANSPOSE | HLSIM_DMA_DTYPE |
			       HLSIM_DMA_MEMSET | HLSIM_DMA_COMPRESS | HLSIM_DMA_DECOMPRESS;
	uint32_t f = cmd->u.dma.flags;

	if (f & ~known)
		return mdl_pkt_bad_field("gaudi", "LIN_DMA", "flags", f, known);
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
	mdl_pkt_wr64(extra, cmd->u.dma.src_addr);
	mdl_pkt_wr64(extra + 8, cmd->u.dma.dst_addr | (uint64_t)(cmd->u.dma.context_id >> 8)
							<< LIN_DMA_CTX_HIGH_SHIFT);
	return 1;
}

/* WREG_32 and WREG_BULK; @size_bytes grows by the WREG_BULK payload. */
static size_t encode_wreg(const struct hlsim_cmd *cmd, const struct mdl_pkt_desc *d,
			  uint32_t *dw0, uint32_t *ctl, uint32_t *size_bytes)
{
	if (!(d->flags & MDL_PKT_BULK) && cmd->u.wreg.count != 1)
		return mdl_pkt_bad_field("gaudi", d->name, "count (must be 1)", cmd->u.wreg.count,
					 1);
	CHECK_FIELD(d->name, "reg_offset", cmd->u.wreg.reg_offset, 0xFFFF);
	*ctl |= cmd->u.wreg.reg_offset << WREG_CTL_OFFSET_SHIFT;
	if (!(d->flags & MDL_PKT_BULK)) {
		*dw0 = cmd->u.wreg.value;
		return 1;
	}
	CHECK_FIELD(d->name, "count", cmd->u.wreg.count, 2 * MDL_PKT_BULK_SIZE64_MASK);
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
	*dw0 = cmd->u.wreg.count / 2;
	*size_bytes += 4 * cmd->u.wreg.count;
	return 1;
}

size_t gaudi_encode(const struct hlsim_cmd *cmd, uint8_t *out, size_t cap)
{
	const struct mdl_pkt_desc *d;
	const uint8_t *payload = NULL;
	uint8_t extra[MDL_PKT_EXTRA_BYTES] = { 0 };
	uint32_t dw0 = 0, ctl, size_bytes;
	uint8_t opcode;
	size_t ok;

	if (!cmd || (!out && cap)) {
		hlsim_error(HLSIM_E_INVAL, "gaudi encode: NULL command or output");
		return 0;
	}
	opcode = cmd->opcode ? cmd->opcode : default_opcode(cmd);
	if (!mdl_pkt_encode_head(&gaudi_isa, cmd, opcode, HLSIM_CMD_KIND_COUNT_, &d, &ctl))
		return 0;
	size_bytes = d->size_bytes;
	if (opcode == GAUDI_PKT_WREG_32 || opcode == GAUDI_PKT_WREG_BULK) {
		ok = encode_wreg(cmd, d, &dw0, &ctl, &size_bytes);
		payload = cmd->u.wreg.values;
	} else if (opcode == GAUDI_PKT_LIN_DMA) {
		ok = encode_lin_dma(cmd, &dw0, &ctl, extra);
	} else {
		ok = mdl_pkt_encode_shared(&gaudi_isa, d, cmd, &dw0, &ctl, extra);
	}
	if (!ok)
		return 0;
	return mdl_pkt_encode_tail(&gaudi_isa, d, size_bytes, dw0, ctl, payload, extra, out, cap);
}
/* ====} */
