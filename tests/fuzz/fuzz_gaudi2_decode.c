/*
 * tests/fuzz/fuzz_gaudi2_decode.c - libFuzzer target for the Gaudi2 (HL-225) packet
 * decoder.
 *
 * The input is a command buffer. Packets are decoded from offset 0 until an error or the
 * end; every decoded packet must have a sane size and a named opcode, must re-encode to
 * exactly size_bytes bytes that decode to the same command, and must disassemble (on a
 * queue chosen from the input size); a message's target address must classify without
 * harm. An error must leave a detail naming the byte offset. Any violation aborts.
 *
 * Build (not wired into CMake yet; clang only), from the source tree: compile this file
 * with every .c file of models/common, models/gaudi and models/gaudi2 plus the generated
 * BUILD/models/gaudi_regnames.c, using
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
 *   -I. -Iinclude ... -lm -o fuzz_gaudi2_decode
 * then run ./fuzz_gaudi2_decode -max_total_time=60 [CORPUS_DIR].
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/common/asic.h"
#include "models/common/disasm.h"
#include "tests/unit/cmd_equal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The largest packets: WREG_BULK or WRITE_ARC_STREAM with size64 = 0xFFFF. */
static uint8_t enc[8 + 8 * 0xFFFF];

static void finding(const char *what, size_t off)
{
	fprintf(stderr, "fuzz_gaudi2_decode: byte offset 0x%zx: %s (%s)\n", off, what,
		hlsim_last_error_detail());
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct mdl_asic_funcs *f = gaudi2_get_asic_funcs();
	uint32_t queue = (uint32_t)(size % f->props->num_queues);
	struct hlsim_cmd c, again;
	struct mdl_target t;
	char line[512], want[32];
	size_t off = 0, n;

	while (off < size) {
		hlsim_clear_error();
		/* Every field is written by decode: start from garbage, compare every field. */
		memset(&c, 0x5A, sizeof(c));
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
		memset(&again, 0xA5, sizeof(again));
		if (f->decode(enc, n, 0, &again) != HLSIM_OK || !cmd_equal_sized(&c, &again))
			finding("decode(encode(cmd)) != cmd", off);
		if (c.kind == HLSIM_CMD_MSG) {
			uint64_t a = c.u.msg.addr;

			f->classify_target(a, &t);
			if (t.kind == MDL_TARGET_FENCE &&
			    f->fence_addr(t.qman, t.cp, t.fence_id) != a)
				finding("fence target is not its own address", off);
			if (t.kind == MDL_TARGET_SOB && f->sob_addr(t.block, t.index) != a)
				finding("SOB target is not its own address", off);
		}
		if (mdl_disasm_packet(f, queue, data, size, off, &c, line, sizeof(line)))
			finding("disasm failed", off);
		off += c.size_bytes;
	}
	return 0;
}
