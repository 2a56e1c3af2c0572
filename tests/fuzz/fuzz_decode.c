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
#include "tests/unit/cmd_equal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The largest packet: WREG_BULK with size64 = 0xFFFF. */
static uint8_t enc[8 + 8 * 0xFFFF];

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
		if (f->decode(enc, n, 0, &again) != HLSIM_OK || !cmd_equal_sized(&c, &again))
			finding("decode(encode(cmd)) != cmd", off);
		if (mdl_disasm_packet(f, queue, data, size, off, &c, line, sizeof(line)))
			finding("disasm failed", off);
		off += c.size_bytes;
	}
	return 0;
}
