/*
 * models/common/qman_pkt.h - what the Gaudi and Gaudi2 command-buffer packets share:
 * the little-endian byte access, the ctl dword (opcode 28:24, EB 29, RB/swtc 30, MB 31,
 * pred 4:0), the per-opcode descriptor table type, and the decode/encode of the packets
 * whose field layout is the same on both ASICs [GAUDI-FACTS §2.1-2.3].
 *
 * Each ASIC's decode()/encode() owns its opcode table and the packets that differ; it
 * passes its table, its error tag and the §2.3 additions it has (a flag set, the ARB_POINT
 * priority width) in a struct mdl_pkt_isa. Nothing here branches on the ASIC type.
 */
#ifndef HLSIM_MODELS_COMMON_QMAN_PKT_H
#define HLSIM_MODELS_COMMON_QMAN_PKT_H

#include <stddef.h>
#include <stdint.h>

#include "hlsim/cmd.h"
#include "hlsim/error.h"

/* {==== The ctl dword (dword 1) of every packet ==== */
#define MDL_PKT_CTL_OPCODE_SHIFT 24
#define MDL_PKT_CTL_OPCODE_MASK 0x1F000000u
#define MDL_PKT_CTL_EB 0x20000000u
#define MDL_PKT_CTL_RB 0x40000000u /* Gaudi RB; Gaudi2 'swtc' (the kernel's RB mask) */
#define MDL_PKT_CTL_MB 0x80000000u
#define MDL_PKT_CTL_PRED_MASK 0x0000001Fu
#define MDL_PKT_OPCODES 32 /* the opcode field is 5 bits */
#define MDL_PKT_BULK_SIZE64_MASK 0x0000FFFFu /* u64 count in dword 0 of the bulk packets */
#define MDL_PKT_EXTRA_BYTES 48 /* the largest fixed part after the header (HLSIM_NIC) */
/* ====} */

/* Flags of struct mdl_pkt_desc. */
#define MDL_PKT_PRED 0x01u /* ctl bits 4:0 are the predicate */
#define MDL_PKT_BULK 0x02u /* dword 0 15:0 counts u64 values that follow the header */
#define MDL_PKT_KERNEL_ONLY 0x04u /* named, but never decoded (layout not public) */
#define MDL_PKT_MSG_SHORT 0x08u /* MSG with the address offset in ctl 15:0 */
#define MDL_PKT_MSG_PROT 0x10u /* MSG_PROT */

/**
 * struct mdl_pkt_desc - fixed facts of one opcode.
 * @name: mnemonic, NULL for an invalid opcode.
 * @kind: enum hlsim_cmd_kind it decodes to.
 * @size_bytes: fixed size (bulk packets: the header only).
 * @flags: MDL_PKT_* flags above.
 */
struct mdl_pkt_desc {
	const char *name;
	uint8_t kind;
	uint8_t size_bytes;
	uint8_t flags;
};

/* Additions to the shared packets an ASIC may have (struct mdl_pkt_isa @features). */
#define MDL_PKT_FEAT_WREG_REG 0x01u /* WREG_32 ctl bit 5 'reg', reg_id in dword 0 1:0 */
#define MDL_PKT_FEAT_UPPER_CP 0x02u /* CP_DMA ctl bit 5 'upper_cp' */
#define MDL_PKT_FEAT_MSG_DW 0x04u /* MSG_SHORT ctl bit 18 'dw' */
#define MDL_PKT_FEAT_LAE_PMAP 0x08u /* LOAD_AND_EXE dword 0 bit 1 'pmap' */

/**
 * struct mdl_pkt_isa - what one ASIC passes to the shared packet code.
 * @tag: "gaudi" or the like; starts error details ("<tag> encode: ...").
 * @desc: the opcode table, MDL_PKT_OPCODES entries.
 * @arb_priority_mask: ARB_POINT priority field in dword 0.
 * @features: MDL_PKT_FEAT_* the ASIC's shared packets carry.
 */
struct mdl_pkt_isa {
	const char *tag;
	const struct mdl_pkt_desc *desc;
	uint32_t arb_priority_mask;
	uint32_t features;
};

static inline uint32_t mdl_pkt_rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t mdl_pkt_rd64(const uint8_t *p)
{
	return (uint64_t)mdl_pkt_rd32(p) | (uint64_t)mdl_pkt_rd32(p + 4) << 32;
}

static inline void mdl_pkt_wr32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static inline void mdl_pkt_wr64(uint8_t *p, uint64_t v)
{
	mdl_pkt_wr32(p, (uint32_t)v);
	mdl_pkt_wr32(p + 4, (uint32_t)(v >> 32));
}

/**
 * mdl_pkt_decode_head() - check and decode the part every packet shares.
 * @isa: the ASIC's table and tag.
 * @cb: command buffer; @cb_size: its size in bytes; @off: byte offset of the packet.
 * @out: zeroed, then kind, opcode, eb, rb, mb, pred and size_bytes are set.
 * @dw0: set to dword 0; @ctl: set to the ctl dword.
 *
 * Rejects (HLSIM_E_DECODE, naming the byte offset) a misaligned offset, a short header,
 * an invalid or kernel-only opcode and a packet (bulk payload included) past @cb_size.
 * Return: HLSIM_OK or the error code.
 */
hlsim_err_t mdl_pkt_decode_head(const struct mdl_pkt_isa *isa, const uint8_t *cb,
				size_t cb_size, size_t off, struct hlsim_cmd *out, uint32_t *dw0,
				uint32_t *ctl);

/**
 * mdl_pkt_decode_shared() - the fields of the packets both ASICs lay out alike.
 * @isa: the ASIC's table and features.
 * @dw0: dword 0; @ctl: the ctl dword; @p: the packet's first byte; @off: its byte offset.
 * @out: filled by mdl_pkt_decode_head(); its union is set here for kinds WREG (and, with
 *       MDL_PKT_FEAT_WREG_REG, WREG_REG), MSG, CB_CALL, REPEAT, FENCE, ARB_POINT, WAIT,
 *       LOAD_AND_EXE, NOP, STOP and hlsim's NIC record. Other kinds are left to the
 *       caller.
 *
 * Return: HLSIM_OK, or HLSIM_E_DECODE for a MSG op other than 0 or 1.
 */
hlsim_err_t mdl_pkt_decode_shared(const struct mdl_pkt_isa *isa, uint32_t dw0, uint32_t ctl,
				  const uint8_t *p, size_t off, struct hlsim_cmd *out);

/**
 * mdl_pkt_bad_field() - report a field value that has no encoding.
 * @tag: the ASIC's tag; @pkt: mnemonic; @field: field name; @value, @max: the value and
 * the largest that fits.
 *
 * Return: 0 (bytes written), for the caller to return.
 */
size_t mdl_pkt_bad_field(const char *tag, const char *pkt, const char *field, uint64_t value,
			 uint64_t max);

/* Returns 0 from the calling encoder when @value exceeds @max. */
#define MDL_PKT_CHECK_FIELD(tag, pkt, field, value, max)                                   \
	do {                                                                               \
		if ((uint64_t)(value) > (uint64_t)(max))                                   \
			return mdl_pkt_bad_field(tag, pkt, field, value, max);             \
	} while (0)

/**
 * mdl_pkt_encode_head() - check the opcode and the ctl fields every packet has.
 * @isa: the ASIC's table and tag.
 * @cmd: the command; @opcode: the opcode chosen for it.
 * @alt_kind: a second command kind @opcode also carries, or HLSIM_CMD_KIND_COUNT_.
 * @d: set to the opcode's descriptor; @ctl: set to opcode, eb, rb, mb and pred.
 *
 * Return: 1, or 0 after hlsim_error(HLSIM_E_INVAL, ...).
 */
size_t mdl_pkt_encode_head(const struct mdl_pkt_isa *isa, const struct hlsim_cmd *cmd,
			   uint8_t opcode, uint8_t alt_kind, const struct mdl_pkt_desc **d,
			   uint32_t *ctl);

/**
 * mdl_pkt_encode_shared() - the fields of the packets both ASICs lay out alike.
 * @isa: the ASIC's table and features; @d: the opcode's descriptor.
 * @cmd: a command of kind MSG, CB_CALL, REPEAT, FENCE, ARB_POINT, WAIT, LOAD_AND_EXE,
 *       NOP or STOP (other kinds are the caller's and leave everything unchanged).
 * @dw0: set to dword 0; @ctl: fields are ORed in; @extra: dwords 2.. (16 bytes).
 *
 * Return: 1, or 0 after hlsim_error(HLSIM_E_INVAL, ...).
 */
size_t mdl_pkt_encode_shared(const struct mdl_pkt_isa *isa, const struct mdl_pkt_desc *d,
			     const struct hlsim_cmd *cmd, uint32_t *dw0, uint32_t *ctl,
			     uint8_t *extra);

/**
 * mdl_pkt_encode_tail() - write an encoded packet.
 * @isa: the ASIC's tag; @d: the opcode's descriptor; @size_bytes: the packet size.
 * @dw0, @ctl: the first two dwords.
 * @payload: bulk payload (size_bytes - 8 bytes), or NULL to copy from @extra.
 * @extra: dwords 2.. of a fixed-size packet.
 * @out: destination; @cap: its room in bytes.
 *
 * Return: @size_bytes, or 0 after hlsim_error(HLSIM_E_INVAL, ...) if it has no room.
 */
size_t mdl_pkt_encode_tail(const struct mdl_pkt_isa *isa, const struct mdl_pkt_desc *d,
			   uint32_t size_bytes, uint32_t dw0, uint32_t ctl, const uint8_t *payload,
			   const uint8_t *extra, uint8_t *out, size_t cap);

#endif /* HLSIM_MODELS_COMMON_QMAN_PKT_H */
