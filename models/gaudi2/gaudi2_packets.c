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
 * Differences from Gaudi: WREG_32 'reg' (bit 5, with reg_id in dword 0) decodes to
 * HLSIM_CMD_WREG_REG; CP_DMA 'upper_cp' (bit 5); MSG_SHORT 'dw' (bit 18); 24-bit
 * ARB_POINT priority; LOAD_AND_EXE 'pmap' (bit 1) - these are passed as features to the
 * shared code of models/common/qman_pkt.c, which decodes and encodes the packets both
 * ASICs lay out alike. This file owns the opcode table, WREG_32/WREG_BULK encoding, the
 * Gaudi2 LIN_DMA ctl (no lin bit, a full 64-bit destination, no context id), CB_LIST,
 * WRITE_ARC_STREAM and WREG_64_SHORT/LONG, which decode to the Gaudi2 command kinds of
 * hlsim/cmd.h.
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

#include "models/common/qman_pkt.h"
#include "models/gaudi2/gaudi2P.h"

#define P MDL_PKT_PRED
#define BULK MDL_PKT_BULK

static const struct mdl_pkt_desc pkt_desc[GAUDI2_PKT_ID_COUNT] = {
	/* WREG_32: HLSIM_CMD_WREG when reg=0, HLSIM_CMD_WREG_REG when reg=1 */
	[GAUDI2_PKT_WREG_32] = { "WREG_32", HLSIM_CMD_WREG, 8, P },
	[GAUDI2_PKT_WREG_BULK] = { "WREG_BULK", HLSIM_CMD_WREG, 8, P | BULK },
	[GAUDI2_PKT_MSG_LONG] = { "MSG_LONG", HLSIM_CMD_MSG, 16, P },
	/* MSG_SHORT: the address offset is in 15:0, no predicate */
	[GAUDI2_PKT_MSG_SHORT] = { "MSG_SHORT", HLSIM_CMD_MSG, 8, MDL_PKT_MSG_SHORT },
	[GAUDI2_PKT_CP_DMA] = { "CP_DMA", HLSIM_CMD_CB_CALL, 16, P },
	[GAUDI2_PKT_REPEAT] = { "REPEAT", HLSIM_CMD_REPEAT, 8, P },
	[GAUDI2_PKT_MSG_PROT] = { "MSG_PROT", HLSIM_CMD_MSG, 16, P | MDL_PKT_MSG_PROT },
	[GAUDI2_PKT_FENCE] = { "FENCE", HLSIM_CMD_FENCE, 8, P },
	[GAUDI2_PKT_LIN_DMA] = { "LIN_DMA", HLSIM_CMD_DMA, 24, 0 }, /* flags in 9:0 */
	[GAUDI2_PKT_NOP] = { "NOP", HLSIM_CMD_NOP, 8, 0 },
	[GAUDI2_PKT_STOP] = { "STOP", HLSIM_CMD_STOP, 8, 0 },
	[GAUDI2_PKT_ARB_POINT] = { "ARB_POINT", HLSIM_CMD_ARB_POINT, 8, P },
	[GAUDI2_PKT_WAIT] = { "WAIT", HLSIM_CMD_WAIT, 8, 0 },
	[GAUDI2_PKT_CB_LIST] = { "CB_LIST", HLSIM_CMD_CB_LIST, 24, P },
	[GAUDI2_PKT_LOAD_AND_EXE] = { "LOAD_AND_EXE", HLSIM_CMD_LOAD_AND_EXE, 16, P },
	/* hlsim's NIC record, not a hardware packet (include/hlsim/cmd.h HLSIM_CMD_NIC) */
	[HLSIM_NIC_OPCODE] = { "HLSIM_NIC", HLSIM_CMD_NIC, HLSIM_NIC_RECORD_BYTES, 0 },
	[GAUDI2_PKT_WRITE_ARC_STREAM] = { "WRITE_ARC_STREAM", HLSIM_CMD_ARC_STREAM, 8, BULK },
	[GAUDI2_PKT_LAST_READ_FROM_ARC] = { "LAST_READ_FROM_ARC", HLSIM_CMD_KIND_COUNT_, 8,
					    MDL_PKT_KERNEL_ONLY },
	[GAUDI2_PKT_WREG_64_SHORT] = { "WREG_64_SHORT", HLSIM_CMD_WREG64, 8, P },
	[GAUDI2_PKT_WREG_64_LONG] = { "WREG_64_LONG", HLSIM_CMD_WREG64, 16, P },
};

#undef BULK
#undef P

/* {==== Field layouts (the shared packets' are in models/common/qman_pkt.c) ==== */
/* WREG_32 / WREG_BULK */
#define WREG_CTL_REG 0x00000020u /* WREG_32: the value comes from CP register reg_id */
#define WREG_CTL_OFFSET_SHIFT 8
#define WREG_REG_ID_MASK 0x00000003u
/* CB_LIST */
#define CB_LIST_CTL_SIZE_DESC 0x00000020u
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
/* WREG_64_SHORT / WREG_64_LONG */
#define WR64_CTL_BASE_SHIFT 5
#define WR64_CTL_BASE_MASK 0x000001E0u
#define WR64_CTL_REG_REL 0x00000200u /* SHORT: reg; LONG: rel */
#define WR64_CTL_DREG_SHIFT 10
#define WR64_CTL_DREG_MASK 0x00FFFC00u
#define WR64_LONG_DW_ENABLE_MASK 0x00000003u
/* ====} */

static const struct mdl_pkt_isa gaudi2_isa = {
	.tag = "gaudi2",
	.desc = pkt_desc,
	.arb_priority_mask = ARB_PRIORITY_MASK,
	.features = MDL_PKT_FEAT_WREG_REG | MDL_PKT_FEAT_UPPER_CP | MDL_PKT_FEAT_MSG_DW |
		    MDL_PKT_FEAT_LAE_PMAP,
};

const char *gaudi2_opcode_name(uint8_t opcode)
{
	return opcode < GAUDI2_PKT_ID_COUNT ? pkt_desc[opcode].name : NULL;
}

/* {==== Decoding ==== */

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
	out->u.dma.src_addr = mdl_pkt_rd64(p + 8);
	out->u.dma.dst_addr = mdl_pkt_rd64(p + 16);
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
		out->u.wreg64.offset = mdl_pkt_rd64(p + 8);
	} else {
		out->u.wreg64.reg = !!(ctl & WR64_CTL_REG_REL);
		out->u.wreg64.offset = dw0;
	}
}

hlsim_err_t gaudi2_decode(const uint8_t *cb, size_t cb_size, size_t off, struct hlsim_cmd *out)
{
	const uint8_t *p;
	uint32_t dw0, ctl;
	hlsim_err_t rc;

	rc = mdl_pkt_decode_head(&gaudi2_isa, cb, cb_size, off, out, &dw0, &ctl);
	if (rc != HLSIM_OK)
		return rc;
	p = cb + off;
	switch (out->opcode) {
	case GAUDI2_PKT_LIN_DMA:
		decode_lin_dma(dw0, ctl, p, out);
		return HLSIM_OK;
	case GAUDI2_PKT_CB_LIST:
		out->u.cb_list.size_desc = !!(ctl & CB_LIST_CTL_SIZE_DESC);
		out->u.cb_list.index_addr = mdl_pkt_rd64(p + 8);
		out->u.cb_list.table_addr = mdl_pkt_rd64(p + 16);
		return HLSIM_OK;
	case GAUDI2_PKT_WRITE_ARC_STREAM:
		out->u.arc_stream.count = dw0 & MDL_PKT_BULK_SIZE64_MASK;
		out->u.arc_stream.values = p + 8;
		return HLSIM_OK;
	case GAUDI2_PKT_WREG_64_SHORT:
	case GAUDI2_PKT_WREG_64_LONG:
		decode_wreg64(out->opcode, dw0, ctl, p, out);
		return HLSIM_OK;
	default:
		return mdl_pkt_decode_shared(&gaudi2_isa, dw0, ctl, p, off, out);
	}
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
	case HLSIM_CMD_NIC:
		return HLSIM_NIC_OPCODE;
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

#define CHECK_FIELD(pkt, field, value, max) MDL_PKT_CHECK_FIELD("gaudi2", pkt, field, value, max)

static size_t encode_lin_dma(const struct hlsim_cmd *cmd, uint32_t *dw0, uint32_t *ctl,
			     uint8_t *extra)
{
	const uint32_t known = HLSIM_DMA_WR_COMP | HLSIM_DMA_MEMSET | HLSIM_DMA_BF16 |
			       HLSIM_DMA_FP16 | HLSIM_DMA_CTX_ID_INC | HLSIM_DMA_ADD_OFFSET_0 |
			       HLSIM_DMA_ENDIAN_MASK;
	uint32_t f = cmd->u.dma.flags;

	if (f & ~known)
		return mdl_pkt_bad_field("gaudi2", "LIN_DMA",
					 "flags (Gaudi2 has no transpose, dtype or compress)", f,
					 known);
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
	mdl_pkt_wr64(extra, cmd->u.dma.src_addr);
	mdl_pkt_wr64(extra + 8, cmd->u.dma.dst_addr);
	return 1;
}

static size_t encode_wreg32(const struct hlsim_cmd *cmd, const char *name, uint32_t *dw0,
			    uint32_t *ctl)
{
	if (cmd->u.wreg.count != 1)
		return mdl_pkt_bad_field("gaudi2", name, "count (must be 1)", cmd->u.wreg.count, 1);
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
	CHECK_FIELD(name, "u64 count", count_u64, MDL_PKT_BULK_SIZE64_MASK);
	if (count_u64 && !values) {
		hlsim_error(HLSIM_E_INVAL, "gaudi2 encode: %s without values", name);
		return 0;
	}
	*dw0 = count_u64;
	*size_bytes += 8 * count_u64;
	return 1;
}

static size_t encode_wreg_bulk(const struct hlsim_cmd *cmd, const char *name, uint32_t *dw0,
			       uint32_t *ctl, uint32_t *size_bytes)
{
	CHECK_FIELD(name, "reg_offset", cmd->u.wreg.reg_offset, 0xFFFF);
	CHECK_FIELD(name, "reg_id", cmd->u.wreg.reg_id, 0);
	if (cmd->u.wreg.count & 1) {
		hlsim_error(HLSIM_E_INVAL, "gaudi2 encode: WREG_BULK count %u is odd (u64 pairs)",
			    cmd->u.wreg.count);
		return 0;
	}
	if (!encode_bulk(name, cmd->u.wreg.count / 2, cmd->u.wreg.values, dw0, size_bytes))
		return 0;
	*ctl |= cmd->u.wreg.reg_offset << WREG_CTL_OFFSET_SHIFT;
	return 1;
}

static size_t encode_wreg64(const struct hlsim_cmd *cmd, const char *name, uint8_t opcode,
			    uint32_t *dw0, uint32_t *ctl, uint8_t *extra)
{
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
		mdl_pkt_wr64(extra, cmd->u.wreg64.offset);
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

/* The packets only Gaudi2 lays out this way; @payload is set for the bulk ones. */
static size_t encode_own(const struct hlsim_cmd *cmd, const struct mdl_pkt_desc *d,
			 uint8_t opcode, uint32_t *dw0, uint32_t *ctl, uint8_t *extra,
			 uint32_t *size_bytes, const uint8_t **payload)
{
	switch (opcode) {
	case GAUDI2_PKT_WREG_32:
		return encode_wreg32(cmd, d->name, dw0, ctl);
	case GAUDI2_PKT_WREG_BULK:
		*payload = cmd->u.wreg.values;
		return encode_wreg_bulk(cmd, d->name, dw0, ctl, size_bytes);
	case GAUDI2_PKT_WRITE_ARC_STREAM:
		*payload = cmd->u.arc_stream.values;
		return encode_bulk(d->name, cmd->u.arc_stream.count, cmd->u.arc_stream.values,
				   dw0, size_bytes);
	case GAUDI2_PKT_LIN_DMA:
		return encode_lin_dma(cmd, dw0, ctl, extra);
	case GAUDI2_PKT_CB_LIST:
		CHECK_FIELD(d->name, "size_desc", cmd->u.cb_list.size_desc, 1);
		*ctl |= cmd->u.cb_list.size_desc ? CB_LIST_CTL_SIZE_DESC : 0;
		mdl_pkt_wr64(extra, cmd->u.cb_list.index_addr);
		mdl_pkt_wr64(extra + 8, cmd->u.cb_list.table_addr);
		return 1;
	case GAUDI2_PKT_WREG_64_SHORT:
	case GAUDI2_PKT_WREG_64_LONG:
		return encode_wreg64(cmd, d->name, opcode, dw0, ctl, extra);
	default:
		return mdl_pkt_encode_shared(&gaudi2_isa, d, cmd, dw0, ctl, extra);
	}
}

size_t gaudi2_encode(const struct hlsim_cmd *cmd, uint8_t *out, size_t cap)
{
	const struct mdl_pkt_desc *d;
	const uint8_t *payload = NULL;
	uint8_t extra[MDL_PKT_EXTRA_BYTES] = { 0 };
	uint32_t dw0 = 0, ctl, size_bytes;
	uint8_t opcode;

	if (!cmd || (!out && cap)) {
		hlsim_error(HLSIM_E_INVAL, "gaudi2 encode: NULL command or output");
		return 0;
	}
	opcode = cmd->opcode ? cmd->opcode : default_opcode(cmd);
	if (!mdl_pkt_encode_head(&gaudi2_isa, cmd, opcode,
				 opcode == GAUDI2_PKT_WREG_32 ? HLSIM_CMD_WREG_REG :
								HLSIM_CMD_KIND_COUNT_,
				 &d, &ctl))
		return 0;
	size_bytes = d->size_bytes;
	if (!encode_own(cmd, d, opcode, &dw0, &ctl, extra, &size_bytes, &payload))
		return 0;
	return mdl_pkt_encode_tail(&gaudi2_isa, d, size_bytes, dw0, ctl, payload, extra, out,
				   cap);
}
/* ====} */
