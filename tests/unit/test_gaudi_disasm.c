/*
 * tests/unit/test_gaudi_disasm.c - mdl_disasm_packet on Gaudi packets: register names by
 * the queue's engine class, MSG_SHORT resolved through the queue's CP_MSG_BASE, message
 * targets (SOB, monitor, fence, CQ, MSI), memory kinds of LIN_DMA, and error handling.
 * The CB used here is printed, as `hlsim disasm` would show it.
 */
#include <misc/habanalabs.h>
#include <stdio.h>
#include <string.h>

#include "models/common/asic.h"
#include "models/common/disasm.h"
#include "tests/unit/check.h"

static const struct mdl_asic_funcs *F;

struct cb {
	uint8_t bytes[1024];
	size_t size;
};

static size_t add(struct cb *cb, const struct hlsim_cmd *c)
{
	size_t off = cb->size, n = F->encode(c, cb->bytes + cb->size, sizeof(cb->bytes) - cb->size);

	CHECK(n > 0);
	cb->size += n;
	return off;
}

/* Disassembles the packet at @off for @queue and checks that the line holds @want. */
static void expect(const struct cb *cb, uint32_t queue, size_t off, const char *want)
{
	struct hlsim_cmd c;
	char line[256];
	hlsim_err_t rc;

	rc = F->decode(cb->bytes, cb->size, off, &c);
	CHECK_EQ_U64(rc, HLSIM_OK);
	if (rc)
		return;
	rc = mdl_disasm_packet(F, queue, cb->bytes, cb->size, off, &c, line, sizeof(line));
	CHECK_EQ_U64(rc, HLSIM_OK);
	CHECK_STR_CONTAINS(line, want);
}

static void print_cb(const struct cb *cb, uint32_t queue)
{
	struct hlsim_cmd c;
	char line[256];
	size_t off;

	printf("CB on %s:\n", F->queue_info(queue)->name);
	for (off = 0; off < cb->size; off += c.size_bytes) {
		if (F->decode(cb->bytes, cb->size, off, &c) != HLSIM_OK)
			break;
		mdl_disasm_packet(F, queue, cb->bytes, cb->size, off, &c, line, sizeof(line));
		printf("  %s\n", line);
	}
}

static void test_tpc_cb(void)
{
	const uint32_t q = GAUDI_QUEUE_ID_TPC_0_0;
	static const uint8_t desc[24] = { 0 };
	struct cb cb = { .size = 0 };
	struct mdl_mon_arm arm = { .group = 1, .mask = 0xEF, .mode_eq = 0, .value = 1 };
	struct hlsim_cmd c;
	uint64_t fence4 = F->fence_addr(F->qman_of_queue(q), 4, 0);
	uint64_t mon_base = F->msg_base_addr(F->qman_of_queue(q), 0);
	size_t o_addrl, o_arm, o_fence, o_bulk, o_exec, o_sob, o_long, o_nobase, o_nop;

	memset(&c, 0, sizeof(c));
	c.kind = HLSIM_CMD_MSG;
	c.rb = 1;
	c.u.msg.is_short = 1;
	c.u.msg.base = 0; /* monitor 3: PAY_ADDRL = low half of this TPC's lower-CP fence 0 */
	c.u.msg.addr = F->mon_addr(0, 3, MDL_TARGET_MON_PAY_ADDRL) - mon_base;
	c.u.msg.value = (uint32_t)fence4;
	o_addrl = add(&cb, &c);
	c.u.msg.addr = F->mon_addr(0, 3, MDL_TARGET_MON_ARM) - mon_base;
	c.u.msg.value = F->mon_arm_encode(&arm);
	o_arm = add(&cb, &c);

	memset(&c, 0, sizeof(c));
	c.kind = HLSIM_CMD_FENCE;
	c.rb = 1;
	c.pred = 1;
	c.u.fence.id = 2;
	c.u.fence.target = 255;
	c.u.fence.dec = 15;
	o_fence = add(&cb, &c);

	memset(&c, 0, sizeof(c));
	c.kind = HLSIM_CMD_WREG;
	c.rb = 1;
	c.u.wreg.reg_offset = 0xA00;
	c.u.wreg.count = 6;
	c.u.wreg.values = desc;
	o_bulk = add(&cb, &c);
	memset(&c, 0, sizeof(c));
	c.kind = HLSIM_CMD_WREG;
	c.eb = c.rb = 1;
	c.u.wreg.reg_offset = 0x938;
	c.u.wreg.count = 1;
	c.u.wreg.value = 1;
	o_exec = add(&cb, &c);

	memset(&c, 0, sizeof(c));
	c.kind = HLSIM_CMD_MSG;
	c.eb = c.rb = 1;
	c.u.msg.is_short = 1;
	c.u.msg.base = 1;
	c.u.msg.addr = 12 * 4;
	c.u.msg.value = F->sob_value_encode(1, 1);
	o_sob = add(&cb, &c);
	c.u.msg.base = 3; /* W_S base: not programmed on TPC0 */
	o_nobase = add(&cb, &c);

	memset(&c, 0, sizeof(c));
	c.kind = HLSIM_CMD_MSG;
	c.mb = 1;
	c.u.msg.addr = fence4;
	c.u.msg.value = 1;
	o_long = add(&cb, &c);
	memset(&c, 0, sizeof(c));
	c.kind = HLSIM_CMD_NOP;
	o_nop = add(&cb, &c);

	print_cb(&cb, q);
	expect(&cb, q, o_addrl, "MSG_SHORT");
	expect(&cb, q, o_addrl, "base0+0xc: MON E_N[3] PAY_ADDRL = 0xfce08318");
	expect(&cb, q, o_arm, "MON E_N[3] ARM group 1 mask 0xef >= 1");
	expect(&cb, q, o_fence, "FENCE");
	expect(&cb, q, o_fence, "pred=1");
	expect(&cb, q, o_fence, "fence 2 >= 255, then -= 15");
	expect(&cb, q, o_bulk,
	       "qm_tensor_0.base_addr_low .. qm_tensor_0.dim_0_stride (0xa00..0xa14), 6 regs");
	expect(&cb, q, o_bulk, " ...  WREG_BULK");
	expect(&cb, q, o_exec, "WREG_32       eb rb     tpc_execute (0x938) = 0x1");
	expect(&cb, q, o_sob, "SOB E_N[12] += 1");
	expect(&cb, q, o_nobase, "CP_MSG_BASE3 is not programmed");
	expect(&cb, q, o_long, "MSG_LONG");
	expect(&cb, q, o_long, "CP_FENCE0 of TPC0 lower CP += 1");
	/* The line starts with the offset and the two dwords (u32 values). */
	expect(&cb, q, o_nop, "0x000060  00000000 0a000000      NOP");
	/* The same WREG on a DMA queue names DMA core registers. */
	expect(&cb, GAUDI_QUEUE_ID_DMA_2_0, o_exec, "reg 0x938 = 0x1");
	expect(&cb, GAUDI_QUEUE_ID_NIC_0_0, o_exec, "reg 0x938 = 0x1");
	/* W_S base 3 on a collective queue. */
	expect(&cb, GAUDI_QUEUE_ID_DMA_5_0, o_nobase, "base3+0x30: SOB W_S[12] += 1");
	expect(&cb, GAUDI_QUEUE_ID_CPU_PQ, o_sob, "CP_MSG_BASE1 is not programmed");
}

static void test_dma_cb(void)
{
	const uint32_t q = GAUDI_QUEUE_ID_DMA_0_0;
	struct cb cb = { .size = 0 };
	struct hlsim_cmd c;
	size_t o_copy, o_set, o_commit, o_wreg_comp, o_epi, o_ts, o_cb, o_lae;

	memset(&c, 0, sizeof(c));
	c.kind = HLSIM_CMD_DMA;
	c.rb = 1;
	c.u.dma.size_bytes = 0x100000;
	c.u.dma.src_addr = 0x1000000000000ull;
	c.u.dma.dst_addr = 0x7FF0000080ull;
	c.u.dma.flags = HLSIM_DMA_WR_COMP;
	c.u.dma.context_id = 0xABAB;
	o_copy = add(&cb, &c);
	c.u.dma.size_bytes = 4096;
	c.u.dma.src_addr = 0x0101010101010101ull;
	c.u.dma.dst_addr = 0x20000000;
	c.u.dma.flags = HLSIM_DMA_MEMSET;
	c.u.dma.context_id = 0;
	o_set = add(&cb, &c);

	memset(&c, 0, sizeof(c));
	c.kind = HLSIM_CMD_WREG;
	c.rb = 1;
	c.u.wreg.count = 1;
	c.u.wreg.reg_offset = 0x78;
	c.u.wreg.value = 0x9;
	o_commit = add(&cb, &c);
	c.u.wreg.reg_offset = 0x80;
	c.u.wreg.value = (uint32_t)F->sob_addr(0, 0);
	o_wreg_comp = add(&cb, &c);

	memset(&c, 0, sizeof(c));
	c.kind = HLSIM_CMD_MSG;
	c.u.msg.addr = 0x7FF0000100ull;
	c.u.msg.op = HLSIM_MSG_WRITE_TIMESTAMP;
	o_ts = add(&cb, &c);

	memset(&c, 0, sizeof(c));
	c.kind = HLSIM_CMD_CB_CALL;
	c.rb = 1;
	c.u.cb_call.addr = 0x20001000;
	c.u.cb_call.size_bytes = 512;
	o_cb = add(&cb, &c);
	memset(&c, 0, sizeof(c));
	c.kind = HLSIM_CMD_LOAD_AND_EXE;
	c.rb = 1;
	c.u.load_exe.src_addr = 0x7FF0001000ull;
	c.u.load_exe.load = 1;
	o_lae = add(&cb, &c);

	o_epi = cb.size;
	cb.size += F->ext_job_epilogue(q, 7, cb.size, cb.bytes + cb.size,
				       sizeof(cb.bytes) - cb.size);
	CHECK(cb.size > o_epi);

	print_cb(&cb, q);
	expect(&cb, q, o_copy, "LIN_DMA");
	expect(&cb, q, o_copy, "host -> sram, 1048576 B");
	expect(&cb, q, o_copy, "wr_comp, ctx 0xabab");
	expect(&cb, q, o_set, "memset hbm 4096 B value 0x0101010101010101");
	expect(&cb, q, o_commit, "commit (0x78) = 0x9");
	expect(&cb, q, o_wreg_comp, "wr_comp_addr_lo (0x80) = 0xfc4f2000");
	expect(&cb, q, o_ts, "0x7ff0000100 (sram) <- timestamp");
	expect(&cb, q, o_cb, "CB 0x20001000 (hbm), 512 B");
	expect(&cb, q, o_lae, "load predicates from 0x7ff0001000 (sram)");
	expect(&cb, q, cb.size - 32, "MSG_PROT      eb mb     CQ of DMA_0_0 = 0xc0000007");
	expect(&cb, q, cb.size - 16, "MSG_PROT      mb        MSI = 0x1");
	if (cb.size - 32 > o_epi)
		expect(&cb, q, o_epi, "NOP");
}

static void test_errors(void)
{
	struct cb cb = { .size = 0 };
	struct hlsim_cmd c;
	char line[256];

	memset(&c, 0, sizeof(c));
	c.kind = HLSIM_CMD_DMA;
	c.rb = 1;
	c.u.dma.size_bytes = 64;
	add(&cb, &c);
	CHECK_EQ_U64(F->decode(cb.bytes, cb.size, 0, &c), HLSIM_OK);
	CHECK_EQ_U64(mdl_disasm_packet(F, 0, cb.bytes, cb.size, 0, &c, line, 20), HLSIM_E_INVAL);
	CHECK(strlen(line) > 0 && strlen(line) < 20); /* truncated, terminated */
	CHECK_STR_CONTAINS(line, "0x000000  00000040");
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "line longer than 19 bytes");
	CHECK_EQ_U64(mdl_disasm_packet(F, 0, cb.bytes, 16, 0, &c, line, sizeof(line)),
		     HLSIM_E_INVAL);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "does not fit");
	CHECK_EQ_U64(mdl_disasm_packet(F, 0, NULL, 0, 0, &c, line, sizeof(line)), HLSIM_E_INVAL);
	CHECK_EQ_U64(mdl_disasm_packet(F, 0, cb.bytes, cb.size, 0, &c, line, 0), HLSIM_E_INVAL);
	/* An unknown queue still prints (no register names, no MSG_SHORT bases). */
	CHECK_EQ_U64(mdl_disasm_packet(F, 999, cb.bytes, cb.size, 0, &c, line, sizeof(line)),
		     HLSIM_OK);
	CHECK_STR_CONTAINS(line, "hbm -> hbm, 64 B");

	/* All three barriers (the fuzzer found the column overflowing here once). */
	memset(&c, 0, sizeof(c));
	c.kind = HLSIM_CMD_NOP;
	c.eb = c.rb = c.mb = 1;
	cb.size = 0;
	add(&cb, &c);
	expect(&cb, 0, 0, "0x000000  00000000 ea000000      NOP           eb rb mb");
}

int main(void)
{
	CHECK_EQ_U64(mdl_asic_get(MDL_ASIC_GAUDI, &F), HLSIM_OK);
	if (!F)
		return check_summary();
	test_tpc_cb();
	test_dma_cb();
	test_errors();
	return check_summary();
}
