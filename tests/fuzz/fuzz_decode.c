/*
 * tests/fuzz/fuzz_decode.c - libFuzzer target for the Gaudi packet decoder.
 *
 * The input is a command buffer. Packets are decoded from offset 0 until an error or the
 * end; every decoded packet must re-encode to exactly size_bytes bytes that decode to the
 * same command, and must disassemble (on a queue chosen from the input size). An error
 * must leave a detail naming the byte offset. Any violation aborts (a finding).
 *
 * Build: CC=clang cmake -S . -B build-fuzz -DHLSIM_FUZZ=ON (see tests/CMakeLists.txt).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/common/asic.h"
#include "models/common/disasm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The largest packet: WREG_BULK with size64 = 0xFFFF. */
static uint8_t enc[8 + 8 * 0xFFFF];

static int same(const struct hlsim_cmd *a, const struct hlsim_cmd *b)
{
	if (a->kind != b->kind || a->opcode != b->opcode || a->eb != b->eb || a->rb != b->rb ||
	    a->mb != b->mb || a->pred != b->pred || a->size_bytes != b->size_bytes)
		return 0;
	switch ((enum hlsim_cmd_kind)a->kind) {
	case HLSIM_CMD_NOP:
	case HLSIM_CMD_STOP:
		return 1;
	case HLSIM_CMD_WREG:
		return a->u.wreg.reg_offset == b->u.wreg.reg_offset &&
		       a->u.wreg.count == b->u.wreg.count && a->u.wreg.value == b->u.wreg.value &&
		       !a->u.wreg.values == !b->u.wreg.values &&
		       (!a->u.wreg.values ||
			!memcmp(a->u.wreg.values, b->u.wreg.values, 4 * (size_t)a->u.wreg.count));
	case HLSIM_CMD_MSG:
		return a->u.msg.addr == b->u.msg.addr && a->u.msg.value == b->u.msg.value &&
		       a->u.msg.op == b->u.msg.op && a->u.msg.base == b->u.msg.base &&
		       a->u.msg.is_short == b->u.msg.is_short &&
		       a->u.msg.is_prot == b->u.msg.is_prot &&
		       a->u.msg.weakly_ordered == b->u.msg.weakly_ordered &&
		       a->u.msg.no_snoop == b->u.msg.no_snoop;
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
		       a->u.load_exe.load == b->u.load_exe.load &&
		       a->u.load_exe.exe == b->u.load_exe.exe &&
		       a->u.load_exe.etype == b->u.load_exe.etype;
	case HLSIM_CMD_CB_LIST:
	case HLSIM_CMD_WREG64:
	case HLSIM_CMD_ARC_STREAM:
	case HLSIM_CMD_WREG_REG:
		return 0; /* Gaudi2 kinds: the Gaudi decoder never produces them */
	case HLSIM_CMD_KIND_COUNT_:
		break;
	}
	return 0;
}

static void finding(const char *what, size_t off)
{
	fprintf(stderr, "fuzz_decode: byte offset 0x%zx: %s (%s)\n", off, what,
		hlsim_last_error_detail());
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct mdl_asic_funcs *f = gaudi_get_asic_funcs();
	uint32_t queue = (uint32_t)(size % f->props->num_queues);
	struct hlsim_cmd c, again;
	char line[512], want[32];
	size_t off = 0, n;

	while (off < size) {
		hlsim_clear_error();
		if (f->decode(data, size, off, &c) != HLSIM_OK) {
			snprintf(want, sizeof(want), "byte offset 0x%zx", off);
			if (!strstr(hlsim_last_error_detail(), want))
				finding("decode error without its offset", off);
			break;
		}
		if (!c.size_bytes || c.size_bytes % 8 || c.size_bytes > size - off)
			finding("bad packet size", off);
		if (!f->opcode_name(c.opcode))
			finding("decoded an opcode without a name", off);
		n = f->encode(&c, enc, sizeof(enc));
		if (n != c.size_bytes)
			finding("encode size differs", off);
		if (f->decode(enc, n, 0, &again) != HLSIM_OK || !same(&c, &again))
			finding("decode(encode(cmd)) != cmd", off);
		if (mdl_disasm_packet(f, queue, data, size, off, &c, line, sizeof(line)))
			finding("disasm failed", off);
		off += c.size_bytes;
	}
	return 0;
}
