/**
 * hlsim/cmd.h - the neutral commands the simulation core executes.
 *
 * A per-ASIC decoder (models/<asic>/) turns the raw bytes of one command-buffer
 * packet into one struct hlsim_cmd, without copying: bulk payloads point into the
 * CB. The core never looks at packet bits; it only sees these commands, so the
 * same core runs Gaudi and Gaudi2 traces.
 */
#ifndef HLSIM_CMD_H
#define HLSIM_CMD_H

#include <stddef.h>
#include <stdint.h>

#include "hlsim/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * enum hlsim_cmd_kind - what a packet asks its command processor (CP) to do.
 * @HLSIM_CMD_NOP: nothing (also the driver's cache-line padding).
 * @HLSIM_CMD_WREG: write @wreg.count 32-bit registers of the QMAN's own engine block,
 *                  starting at byte offset @wreg.reg_offset (WREG_32, WREG_BULK).
 * @HLSIM_CMD_MSG: a 32-bit write to an address (MSG_LONG, MSG_SHORT, MSG_PROT): SOB
 *                 updates, monitor programming, fence increments, completion writes.
 * @HLSIM_CMD_CB_CALL: hand a CB (@cb_call.addr, @cb_call.size_bytes) to the lower CP
 *                     (CP_DMA) or to another CP.
 * @HLSIM_CMD_REPEAT: loop construct; semantics not public.
 * @HLSIM_CMD_FENCE: block until fence counter @fence.id >= @fence.target, then
 *                   subtract @fence.dec.
 * @HLSIM_CMD_DMA: linear copy or memset on the DMA engine behind this CP (LIN_DMA).
 * @HLSIM_CMD_STOP: stop the CP.
 * @HLSIM_CMD_ARB_POINT: arbitration point between the streams of a QMAN.
 * @HLSIM_CMD_WAIT: wait @wait.cycles, then add @wait.inc to fence counter @wait.id.
 * @HLSIM_CMD_LOAD_AND_EXE: load CP predicates or scalars from memory.
 *
 * Gaudi2 (HL-225) packets the core does not model yet; it refuses them until it does:
 * @HLSIM_CMD_CB_LIST: CB_LIST: the CP reads an index at @cb_list.index_addr and runs the
 *                     CB named by that entry of the table at @cb_list.table_addr.
 * @HLSIM_CMD_WREG64: WREG_64_SHORT / WREG_64_LONG: write a 64-bit value built from a CP
 *                    base register (QMAN_WR64_BASE_ADDR<@wreg64.base>) and an offset into
 *                    engine registers at @wreg64.dreg_offset (semantics not public).
 * @HLSIM_CMD_ARC_STREAM: WRITE_ARC_STREAM: @arc_stream.count u64 words for the ARC
 *                        scheduler (F/W queue mode).
 * @HLSIM_CMD_WREG_REG: WREG_32 with reg=1: the value written to @wreg.reg_offset comes
 *                      from CP register @wreg.reg_id, not from the packet (not public).
 *
 * hlsim's own record, not a hardware packet (the NIC's register programming is not
 * public; traces/FORMAT.md "NIC work"):
 * @HLSIM_CMD_NIC: an RDMA write by the NIC engine behind this CP (the port it owns) of
 *                 @nic.size_bytes from local @nic.src_addr to @nic.dst_addr on device
 *                 @nic.dst_device; when the last byte has landed, the receiver's sync
 *                 manager gets the message (@nic.rmsg_addr, @nic.rmsg_value) and the
 *                 sender's gets (@nic.lmsg_addr, @nic.lmsg_value), each if its flag is set.
 */
enum hlsim_cmd_kind {
	HLSIM_CMD_NOP = 0,
	HLSIM_CMD_WREG,
	HLSIM_CMD_MSG,
	HLSIM_CMD_CB_CALL,
	HLSIM_CMD_REPEAT,
	HLSIM_CMD_FENCE,
	HLSIM_CMD_DMA,
	HLSIM_CMD_STOP,
	HLSIM_CMD_ARB_POINT,
	HLSIM_CMD_WAIT,
	HLSIM_CMD_LOAD_AND_EXE,
	HLSIM_CMD_CB_LIST,
	HLSIM_CMD_WREG64,
	HLSIM_CMD_ARC_STREAM,
	HLSIM_CMD_WREG_REG,
	HLSIM_CMD_NIC,
	HLSIM_CMD_KIND_COUNT_
};

/** enum hlsim_msg_op - what a MSG_* packet writes. */
enum hlsim_msg_op {
	HLSIM_MSG_WRITE_VALUE = 0, /* write @value */
	HLSIM_MSG_WRITE_TIMESTAMP = 1, /* write the device timestamp counter */
};

/** DMA flags (struct hlsim_cmd.dma.flags). */
#define HLSIM_DMA_WR_COMP 0x01u /* on completion write the engine's WR_COMP data to its address */
#define HLSIM_DMA_TRANSPOSE 0x02u
#define HLSIM_DMA_DTYPE 0x04u
#define HLSIM_DMA_MEMSET 0x08u /* fill dst with the 64-bit value in @src_addr */
#define HLSIM_DMA_COMPRESS 0x10u
#define HLSIM_DMA_DECOMPRESS 0x20u
/* Gaudi2 LIN_DMA ctl bits (hl-thunk layout; semantics not public). */
#define HLSIM_DMA_BF16 0x40u
#define HLSIM_DMA_FP16 0x80u
#define HLSIM_DMA_CTX_ID_INC 0x100u
#define HLSIM_DMA_ADD_OFFSET_0 0x200u
#define HLSIM_DMA_ENDIAN_SHIFT 10 /* 2-bit endian-swap mode */
#define HLSIM_DMA_ENDIAN_MASK 0xC00u

/* NIC record (struct hlsim_cmd.nic): op and flags. */
#define HLSIM_NIC_OP_WRITE 1u /* RDMA write */
#define HLSIM_NIC_RMSG 0x01u /* message to the receiver's sync manager on completion */
#define HLSIM_NIC_LMSG 0x02u /* message to the sender's sync manager on completion */
#define HLSIM_NIC_OPCODE 0x1Fu /* the opcode hlsim reserves for its NIC record */
#define HLSIM_NIC_RECORD_BYTES 56u

/**
 * struct hlsim_cmd - one decoded packet.
 * @kind: enum hlsim_cmd_kind.
 * @opcode: the packet's raw opcode (ASIC-specific numbering, for printing).
 * @eb, @rb, @mb: engine, register and message barrier bits.
 * @pred: predicate register index (0 = always).
 * @size_bytes: the packet's size in the CB.
 */
struct hlsim_cmd {
	uint8_t kind;
	uint8_t opcode;
	uint8_t eb, rb, mb;
	uint8_t pred;
	uint32_t size_bytes;
	union {
		struct {
			uint32_t reg_offset; /* byte offset in the engine block */
			uint32_t count; /* number of 32-bit registers written */
			uint32_t value; /* WREG_32: the value; WREG_BULK: unused */
			const uint8_t *values; /* WREG_BULK: count little-endian u32 in the CB */
			uint8_t reg_id; /* HLSIM_CMD_WREG_REG: the CP register 0..3 written */
		} wreg;
		struct {
			uint64_t addr; /* absolute address, or offset from CP_MSG_BASE<base> */
			uint32_t value;
			uint8_t op; /* enum hlsim_msg_op */
			uint8_t base; /* MSG_SHORT: base register index 0..3 */
			uint8_t is_short; /* 1: addr is an offset from CP_MSG_BASE<base> */
			uint8_t is_prot; /* MSG_PROT (privileged, driver-appended) */
			uint8_t weakly_ordered, no_snoop;
			uint8_t dw; /* Gaudi2 MSG_SHORT ctl bit 18 'dw' (meaning not public) */
		} msg;
		struct {
			uint64_t addr; /* address of the called CB */
			uint32_t size_bytes; /* its size */
			uint8_t upper_cp; /* Gaudi2: target the upper CP */
		} cb_call;
		struct {
			uint32_t jmp_ptr;
			uint8_t sore, outer;
		} repeat;
		struct {
			uint8_t id; /* fence counter 0..3 */
			uint8_t target; /* wait until counter >= target */
			uint8_t dec; /* then subtract dec */
		} fence;
		struct {
			uint64_t src_addr; /* source, or the 64-bit fill value for memset */
			uint64_t dst_addr;
			uint64_t size_bytes;
			uint32_t flags; /* HLSIM_DMA_* */
			uint32_t context_id; /* trace tag */
		} dma;
		struct {
			uint32_t priority;
			uint8_t release;
		} arb;
		struct {
			uint32_t cycles;
			uint8_t inc, id;
		} wait;
		struct {
			uint64_t src_addr;
			uint8_t dst, load, exe, etype;
			uint8_t pmap; /* Gaudi2 cfg bit 1 'pmap' (meaning not public) */
		} load_exe;
		struct {
			uint64_t index_addr; /* where the CP reads the table index */
			uint64_t table_addr; /* the table of CB descriptors */
			uint8_t size_desc; /* ctl bit 5: descriptor size (0 = 16 bytes) */
		} cb_list;
		struct {
			uint64_t offset; /* SHORT: dword 0 (bits 1:0 are reg_id); LONG: the u64 */
			uint32_t dreg_offset; /* the 14-bit dreg_offset field, as written */
			uint8_t base; /* QMAN_WR64_BASE_ADDR index 0..15 */
			uint8_t is_long; /* 1: WREG_64_LONG */
			uint8_t reg; /* SHORT: ctl bit 9 'reg' */
			uint8_t rel; /* LONG: ctl bit 9 'rel' (add the base register) */
			uint8_t dw_enable; /* LONG: which 32-bit halves are written (bits 1:0) */
		} wreg64;
		struct {
			uint32_t count; /* number of u64 words */
			const uint8_t *values; /* count little-endian u64 in the CB */
		} arc_stream;
		struct {
			uint64_t src_addr; /* on this device */
			uint64_t dst_addr; /* on @dst_device */
			uint64_t size_bytes;
			uint64_t rmsg_addr; /* receiver's address (a SOB), if HLSIM_NIC_RMSG */
			uint64_t lmsg_addr; /* sender's address, if HLSIM_NIC_LMSG */
			uint32_t rmsg_value, lmsg_value;
			uint32_t dst_device; /* device index in the trace */
			uint8_t op; /* HLSIM_NIC_OP_WRITE */
			uint8_t flags; /* HLSIM_NIC_RMSG | HLSIM_NIC_LMSG */
		} nic;
	} u;
};

#ifdef __cplusplus
}
#endif
#endif /* HLSIM_CMD_H */
