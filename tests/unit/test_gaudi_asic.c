/*
 * tests/unit/test_gaudi_asic.c - the Gaudi ASIC tables: properties, queues against the
 * uapi enum, QMAN names and MSG bases, the address map (classify_target is the exact
 * inverse of sob_addr / mon_addr / fence_addr, exhaustively), the facts' example
 * addresses, memory kinds, register names, the driver epilogue and the SOB / monitor
 * value encodings.
 */
#include <misc/habanalabs.h>
#include <stdio.h>
#include <string.h>

#include "models/common/asic.h"
#include "tests/unit/check.h"

#define CFG 0x7FFC000000ull

static const struct mdl_asic_funcs *F;

/* strcmp() == 0 that treats NULL as different from everything. */
static int streq(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

static void test_props(void)
{
	const struct mdl_asic_props *p = F->props;

	CHECK_STR_CONTAINS(p->asic_name, "gaudi");
	CHECK_STR_CONTAINS(p->card_name, "HL205");
	CHECK_EQ_U64(p->pci_device_id, 0x1000);
	CHECK_EQ_U64(p->num_queues, 113);
	CHECK_EQ_U64(p->num_queues, GAUDI_QUEUE_ID_SIZE);
	CHECK_EQ_U64(p->num_qmans, 28);
	CHECK_EQ_U64(p->engines_per_class[MDL_ENGINE_DMA], 8);
	CHECK_EQ_U64(p->engines_per_class[MDL_ENGINE_MME], 2);
	CHECK_EQ_U64(p->engines_per_class[MDL_ENGINE_TPC], 8);
	CHECK_EQ_U64(p->engines_per_class[MDL_ENGINE_NIC], 10);
	CHECK_EQ_U64(p->sm_blocks, 4);
	CHECK_EQ_U64(p->sobs_per_block, 2048);
	CHECK_EQ_U64(p->mons_per_block, 512);
	CHECK_EQ_U64(p->mon_max_sobs, 8);
	CHECK_EQ_U64(p->sob_value_mask, 0x7FFF);
	CHECK_EQ_U64(p->sram_base, 0x7FF0000080ull);
	CHECK_EQ_U64(p->sram_base + p->sram_size_bytes, 0x7FF0000000ull + 20 * 1024 * 1024);
	CHECK_EQ_U64(p->dram_base, 0x20000000);
	CHECK_EQ_U64(p->dram_size_bytes, 32ull * 1024 * 1024 * 1024 - 512 * 1024 * 1024);
	CHECK_EQ_U64(p->host_va_base, 0x1000000000000ull);
	CHECK_EQ_U64(p->host_va_size_bytes, 256ull << 40);
	CHECK_EQ_U64(p->cfg_base, CFG);
	CHECK_EQ_U64(p->cfg_size_bytes, 64ull << 20);
	CHECK_EQ_U64(p->dma_wr_comp_addr_lo, 0x80);
	CHECK_EQ_U64(p->dma_wr_comp_addr_hi, 0x84);
	CHECK_EQ_U64(p->dma_wr_comp_wdata, 0x7C);
	CHECK_EQ_U64(p->cb_align_bytes, 128);
	CHECK_EQ_U64(p->engine_block_bytes, 0x10000);
	CHECK_EQ_U64(p->launch_reg[MDL_ENGINE_DMA], 0x78);
	CHECK_EQ_U64(p->launch_reg[MDL_ENGINE_TPC], 0x938);
	CHECK_EQ_U64(p->launch_reg[MDL_ENGINE_MME], 0x280);
	CHECK_EQ_U64(p->dma_src_base_lo, 0x14);
	CHECK_EQ_U64(p->dma_dst_base_lo, 0x1C);
	CHECK_EQ_U64(p->dma_dst_tsize_0, 0x74);
	CHECK_STR_CONTAINS(p->sm_block_names[0], "E_N");
	CHECK_STR_CONTAINS(p->sm_block_names[1], "W_N");
	CHECK_STR_CONTAINS(p->sm_block_names[2], "E_S");
	CHECK_STR_CONTAINS(p->sm_block_names[3], "W_S");
	CHECK(p->sm_block_names[4] == NULL);
}

/* {==== Queues ==== */

struct uapi_queue {
	unsigned int id;
	const char *name;
};

#define UQ(x) { GAUDI_QUEUE_ID_##x, #x }
#define UQ4(x) UQ(x##_0), UQ(x##_1), UQ(x##_2), UQ(x##_3)

static const struct uapi_queue uapi_queues[] = {
	UQ4(DMA_0), UQ4(DMA_1), UQ(CPU_PQ), UQ4(DMA_2), UQ4(DMA_3), UQ4(DMA_4), UQ4(DMA_5),
	UQ4(DMA_6), UQ4(DMA_7), UQ4(MME_0), UQ4(MME_1), UQ4(TPC_0), UQ4(TPC_1), UQ4(TPC_2),
	UQ4(TPC_3), UQ4(TPC_4), UQ4(TPC_5), UQ4(TPC_6), UQ4(TPC_7), UQ4(NIC_0), UQ4(NIC_1),
	UQ4(NIC_2), UQ4(NIC_3), UQ4(NIC_4), UQ4(NIC_5), UQ4(NIC_6), UQ4(NIC_7), UQ4(NIC_8),
	UQ4(NIC_9),
};

static void test_queues(void)
{
	static const char *const cls_name[] = { "DMA", "MME", "TPC", "NIC" };
	unsigned int i, seen = 0;

	CHECK_EQ_U64(sizeof(uapi_queues) / sizeof(uapi_queues[0]), GAUDI_QUEUE_ID_SIZE);
	CHECK_EQ_U64(GAUDI_QUEUE_ID_TPC_0_0, 41);
	CHECK_EQ_U64(GAUDI_QUEUE_ID_NIC_9_3, 112);
	for (i = 0; i < sizeof(uapi_queues) / sizeof(uapi_queues[0]); i++) {
		const struct uapi_queue *u = &uapi_queues[i];
		const struct mdl_queue_info *q = F->queue_info(u->id);
		uint32_t qman = F->qman_of_queue(u->id);
		char want_qman[16];

		CHECK(q != NULL);
		if (!q)
			continue;
		seen |= 1;
		CHECK(streq(q->name, u->name));
		if (strcmp(q->name, u->name))
			fprintf(stderr, "queue %u: name %s, uapi %s\n", u->id, q->name, u->name);
		if (u->id == GAUDI_QUEUE_ID_CPU_PQ) {
			CHECK_EQ_U64(q->kind, MDL_QUEUE_CPU);
			CHECK_EQ_U64(q->engine_class, MDL_ENGINE_CPU);
			CHECK_EQ_U64(q->has_lower_cp, 0);
			CHECK(qman >= F->props->num_qmans);
			CHECK(F->qman_name(qman) == NULL);
			continue;
		}
		/* "DMA_2_1" -> class DMA, index 2, stream 1, QMAN "DMA2" */
		CHECK_EQ_U64(q->stream, (unsigned int)(u->name[6] - '0'));
		CHECK_EQ_U64(q->engine_index, (unsigned int)(u->name[4] - '0'));
		CHECK(!strncmp(cls_name[q->engine_class], u->name, 3));
		snprintf(want_qman, sizeof(want_qman), "%.3s%c", u->name, u->name[4]);
		CHECK(qman < F->props->num_qmans);
		CHECK(streq(F->qman_name(qman), want_qman));
		if (!strncmp(u->name, "DMA_0", 5) || !strncmp(u->name, "DMA_1", 5)) {
			CHECK_EQ_U64(q->kind, MDL_QUEUE_EXT);
			CHECK_EQ_U64(q->has_lower_cp, 0);
		} else {
			CHECK_EQ_U64(q->kind, MDL_QUEUE_INT);
			CHECK_EQ_U64(q->has_lower_cp, 1);
		}
	}
	CHECK(seen);
	CHECK(F->queue_info(GAUDI_QUEUE_ID_SIZE) == NULL);
	CHECK(F->queue_info(UINT32_MAX) == NULL);
	CHECK(F->qman_of_queue(GAUDI_QUEUE_ID_SIZE) >= F->props->num_qmans);
	CHECK_EQ_U64(F->queue_info(GAUDI_QUEUE_ID_DMA_5_0)->kind, MDL_QUEUE_INT);
	CHECK(!strcmp(F->queue_info(GAUDI_QUEUE_ID_MME_1_3)->name, "MME_1_3"));
	CHECK(!strcmp(F->queue_info(GAUDI_QUEUE_ID_TPC_7_2)->name, "TPC_7_2"));
	CHECK(!strcmp(F->queue_info(GAUDI_QUEUE_ID_NIC_9_3)->name, "NIC_9_3"));
	CHECK(!strcmp(F->queue_info(GAUDI_QUEUE_ID_CPU_PQ)->name, "CPU_PQ"));
	CHECK(streq(F->qman_name(F->qman_of_queue(GAUDI_QUEUE_ID_DMA_2_0)), "DMA2"));
	CHECK(streq(F->qman_name(F->qman_of_queue(GAUDI_QUEUE_ID_MME_0_0)), "MME0"));
	CHECK(streq(F->qman_name(F->qman_of_queue(GAUDI_QUEUE_ID_TPC_7_0)), "TPC7"));
	CHECK(streq(F->qman_name(F->qman_of_queue(GAUDI_QUEUE_ID_NIC_3_1)), "NIC3"));
	/* The documented numbering: DMA 0..7, MME 8..9, TPC 10..17, NIC 18..27. */
	CHECK_EQ_U64(F->qman_of_queue(GAUDI_QUEUE_ID_DMA_7_3), 7);
	CHECK_EQ_U64(F->qman_of_queue(GAUDI_QUEUE_ID_MME_1_0), 9);
	CHECK_EQ_U64(F->qman_of_queue(GAUDI_QUEUE_ID_TPC_0_0), 10);
	CHECK_EQ_U64(F->qman_of_queue(GAUDI_QUEUE_ID_NIC_9_0), 27);
	CHECK(F->qman_name(28) == NULL);
	/* The driver's reserved W_S resources exist in the model. */
	CHECK(GAUDI_FIRST_AVAILABLE_W_S_SYNC_OBJECT < F->props->sobs_per_block);
	CHECK(GAUDI_FIRST_AVAILABLE_W_S_MONITOR < F->props->mons_per_block);
}

static void test_msg_bases(void)
{
	uint32_t q;

	for (q = 0; q < F->props->num_qmans; q++) {
		const char *n = F->qman_name(q);
		int ws = !strcmp(n, "DMA0") || !strcmp(n, "DMA1") || !strcmp(n, "DMA5") ||
			 !strcmp(n, "TPC7") || !strncmp(n, "NIC", 3);

		CHECK_EQ_U64(F->msg_base_addr(q, 0), CFG + 0x4F4000);
		CHECK_EQ_U64(F->msg_base_addr(q, 1), CFG + 0x4F2000);
		CHECK_EQ_U64(F->msg_base_addr(q, 2), ws ? CFG + 0x494000 : 0);
		CHECK_EQ_U64(F->msg_base_addr(q, 3), ws ? CFG + 0x492000 : 0);
		CHECK_EQ_U64(F->msg_base_addr(q, 4), 0);
	}
	CHECK_EQ_U64(F->msg_base_addr(28, 0), 0);
}
/* ====} */

/* {==== Address map ==== */

static void test_examples(void)
{
	uint32_t tpc0 = F->qman_of_queue(GAUDI_QUEUE_ID_TPC_0_0);
	struct mdl_target t;

	CHECK_EQ_U64(F->sob_addr(0, 0), CFG + 0x4F2000); /* E_N SOB_OBJ_0 */
	CHECK_EQ_U64(F->sob_addr(3, 0), CFG + 0x492000); /* W_S SOB_OBJ_0 */
	CHECK_EQ_U64(F->sob_addr(1, 0), CFG + 0x4D2000); /* W_N */
	CHECK_EQ_U64(F->sob_addr(2, 0), CFG + 0x4B2000); /* E_S */
	CHECK_EQ_U64(F->sob_addr(0, 2047), CFG + 0x4F3FFC);
	CHECK_EQ_U64(F->mon_addr(0, 0, MDL_TARGET_MON_PAY_ADDRL), CFG + 0x4F4000);
	CHECK_EQ_U64(F->mon_addr(0, 0, MDL_TARGET_MON_ARM), CFG + 0x4F5800);
	CHECK_EQ_U64(F->mon_addr(3, 0, MDL_TARGET_MON_PAY_ADDRL), CFG + 0x494000);
	CHECK_EQ_U64(F->mon_addr(3, 0, MDL_TARGET_MON_ARM), CFG + 0x495800);
	CHECK_EQ_U64(F->fence_addr(tpc0, 0, 0), CFG + 0xE08308);
	CHECK_EQ_U64(F->fence_addr(tpc0, 4, 0), CFG + 0xE08318);
	CHECK_EQ_U64(F->fence_addr(tpc0, 0, 1), CFG + 0xE0831C);
	CHECK_EQ_U64(F->fence_addr(tpc0, 0, 3), CFG + 0xE08344);
	CHECK_EQ_U64(F->fence_addr(F->qman_of_queue(GAUDI_QUEUE_ID_TPC_1_0), 0, 0),
		     CFG + 0xE48308);
	CHECK_EQ_U64(F->fence_addr(F->qman_of_queue(GAUDI_QUEUE_ID_DMA_0_0), 0, 0),
		     CFG + 0x508308);
	CHECK_EQ_U64(F->fence_addr(F->qman_of_queue(GAUDI_QUEUE_ID_DMA_2_0), 0, 0),
		     CFG + 0x548308);
	/* MME_0_x run on the MME2 QM block, MME_1_x on the MME0 QM block. */
	CHECK_EQ_U64(F->fence_addr(F->qman_of_queue(GAUDI_QUEUE_ID_MME_0_0), 0, 0),
		     CFG + 0x168308);
	CHECK_EQ_U64(F->fence_addr(F->qman_of_queue(GAUDI_QUEUE_ID_MME_1_0), 0, 0),
		     CFG + 0x068308);
	CHECK_EQ_U64(F->fence_addr(F->qman_of_queue(GAUDI_QUEUE_ID_NIC_0_0), 0, 0),
		     CFG + 0xCE0308);
	CHECK_EQ_U64(F->fence_addr(F->qman_of_queue(GAUDI_QUEUE_ID_NIC_1_0), 0, 0),
		     CFG + 0xCE2308);
	CHECK_EQ_U64(F->fence_addr(F->qman_of_queue(GAUDI_QUEUE_ID_NIC_2_0), 0, 0),
		     CFG + 0xD20308);

	/* The vector's MSG_LONG target: E_N SOB 5. */
	F->classify_target(0x7ffc4f2014ull, &t);
	CHECK_EQ_U64(t.kind, MDL_TARGET_SOB);
	CHECK_EQ_U64(t.block, 0);
	CHECK_EQ_U64(t.index, 5);

	/* Out-of-range arguments give 0. */
	CHECK_EQ_U64(F->sob_addr(4, 0), 0);
	CHECK_EQ_U64(F->sob_addr(0, 2048), 0);
	CHECK_EQ_U64(F->mon_addr(0, 512, MDL_TARGET_MON_ARM), 0);
	CHECK_EQ_U64(F->mon_addr(0, 0, MDL_TARGET_SOB), 0);
	CHECK_EQ_U64(F->fence_addr(28, 0, 0), 0);
	CHECK_EQ_U64(F->fence_addr(0, 5, 0), 0);
	CHECK_EQ_U64(F->fence_addr(0, 0, 4), 0);
}

static void test_classify_exhaustive(void)
{
	static const enum mdl_target_kind mon_kinds[] = {
		MDL_TARGET_MON_PAY_ADDRL, MDL_TARGET_MON_PAY_ADDRH, MDL_TARGET_MON_PAY_DATA,
		MDL_TARGET_MON_ARM,
	};
	const struct mdl_asic_props *p = F->props;
	unsigned int b, i, k, q, cp, fid, bad = 0, n = 0;
	struct mdl_target t;
	uint64_t a;

	for (b = 0; b < p->sm_blocks; b++) {
		for (i = 0; i < p->sobs_per_block; i++, n++) {
			a = F->sob_addr((uint8_t)b, i);
			F->classify_target(a, &t);
			bad += !a || t.kind != MDL_TARGET_SOB || t.block != b || t.index != i;
			/* A byte inside the register is not a 32-bit message target. */
			F->classify_target(a + 1, &t);
			bad += t.kind != MDL_TARGET_NONE;
		}
		for (k = 0; k < 4; k++) {
			for (i = 0; i < p->mons_per_block; i++, n++) {
				a = F->mon_addr((uint8_t)b, i, mon_kinds[k]);
				F->classify_target(a, &t);
				bad += !a || t.kind != mon_kinds[k] || t.block != b || t.index != i;
			}
		}
		/* MON_STATUS (after MON_ARM) is not a target. */
		F->classify_target(F->mon_addr((uint8_t)b, 511, MDL_TARGET_MON_ARM) + 4, &t);
		bad += t.kind != MDL_TARGET_NONE;
	}
	for (q = 0; q < p->num_qmans; q++) {
		for (cp = 0; cp < 5; cp++) {
			for (fid = 0; fid < 4; fid++, n++) {
				a = F->fence_addr(q, (uint8_t)cp, (uint8_t)fid);
				F->classify_target(a, &t);
				bad += !a || t.kind != MDL_TARGET_FENCE || t.qman != q ||
				       t.cp != cp || t.fence_id != fid;
			}
		}
		/* The registers around the fence window are not targets. */
		F->classify_target(F->fence_addr(q, 0, 0) - 4, &t);
		bad += t.kind != MDL_TARGET_NONE;
		F->classify_target(F->fence_addr(q, 4, 3) + 4, &t); /* CP_FENCE0_CNT_0 */
		bad += t.kind != MDL_TARGET_NONE;
	}
	CHECK_EQ_U64(bad, 0);
	CHECK_EQ_U64(n, 4 * (2048 + 4 * 512) + 28 * 5 * 4);

	F->classify_target(0x100000, &t); /* HBM */
	CHECK_EQ_U64(t.kind, MDL_TARGET_NONE);
	F->classify_target(CFG + 0x500078, &t); /* DMA0 core COMMIT */
	CHECK_EQ_U64(t.kind, MDL_TARGET_NONE);
	F->classify_target(CFG + 0xE0A308, &t); /* not a QM block: 0x2000 after TPC0 QM */
	CHECK_EQ_U64(t.kind, MDL_TARGET_NONE);
}

static void test_mem_kind(void)
{
	CHECK_EQ_U64(F->mem_kind(0x0), MDL_MEM_HBM);
	CHECK_EQ_U64(F->mem_kind(0x20000000), MDL_MEM_HBM);
	CHECK_EQ_U64(F->mem_kind(0x7FFFFFFFFull), MDL_MEM_HBM);
	CHECK_EQ_U64(F->mem_kind(0x800000000ull), MDL_MEM_UNKNOWN);
	CHECK_EQ_U64(F->mem_kind(0x7FF0000080ull), MDL_MEM_SRAM);
	CHECK_EQ_U64(F->mem_kind(0x7FF0000000ull + 20 * 1024 * 1024 - 1), MDL_MEM_SRAM);
	CHECK_EQ_U64(F->mem_kind(0x7FF0000000ull + 20 * 1024 * 1024), MDL_MEM_UNKNOWN);
	CHECK_EQ_U64(F->mem_kind(CFG), MDL_MEM_CFG);
	CHECK_EQ_U64(F->mem_kind(CFG + (64ull << 20) - 1), MDL_MEM_CFG);
	CHECK_EQ_U64(F->mem_kind(0x8000000000ull), MDL_MEM_HOST);
	CHECK_EQ_U64(F->mem_kind(0x1000000000000ull), MDL_MEM_HOST);
	CHECK_EQ_U64(F->mem_kind(0x1000000000000ull + (256ull << 40) - 1), MDL_MEM_HOST);
	CHECK_EQ_U64(F->mem_kind(0x1000000000000ull + (256ull << 40)), MDL_MEM_UNKNOWN);
}
/* ====} */

static void test_reg_names(void)
{
	static const struct {
		enum mdl_engine_class cls;
		uint32_t count;
	} tables[] = {
		{ MDL_ENGINE_DMA, 67 },
		{ MDL_ENGINE_TPC, 602 },
		{ MDL_ENGINE_MME, 141 },
		{ MDL_ENGINE_NIC, 0 },
		{ MDL_ENGINE_CPU, 0 },
	};
	unsigned int i;
	uint32_t off;

	CHECK_STR_CONTAINS(F->reg_name(MDL_ENGINE_DMA, 0x78), "commit");
	CHECK(streq(F->reg_name(MDL_ENGINE_DMA, 0x78), "commit"));
	CHECK(streq(F->reg_name(MDL_ENGINE_TPC, 0x938), "tpc_execute"));
	CHECK(streq(F->reg_name(MDL_ENGINE_TPC, 0x930), "tpc_cmd"));
	CHECK(streq(F->reg_name(MDL_ENGINE_TPC, 0xA00), "qm_tensor_0.base_addr_low"));
	CHECK(streq(F->reg_name(MDL_ENGINE_TPC, 0xACC), "qm_tensor_3.dim_2_stride"));
	CHECK(streq(F->reg_name(MDL_ENGINE_TPC, 0x7C0), "kernel.srf[0]"));
	CHECK(streq(F->reg_name(MDL_ENGINE_TPC, 0x7C0 + 31 * 4), "kernel.srf[31]"));
	CHECK(streq(F->reg_name(MDL_ENGINE_TPC, 0xDC0 + 17 * 4), "qm.srf[17]"));
	CHECK(streq(F->reg_name(MDL_ENGINE_TPC, 0x9D8 + 9 * 4), "func_mbist_mem[9]"));
	CHECK(streq(F->reg_name(MDL_ENGINE_DMA, 0x80), "wr_comp_addr_lo"));
	CHECK(streq(F->reg_name(MDL_ENGINE_DMA, 0x0), "cfg_0"));
	CHECK(streq(F->reg_name(MDL_ENGINE_MME, 0x280), "CMD"));
	CHECK(streq(F->reg_name(MDL_ENGINE_MME, 0x8), "ARCH_BASE_ADDR_HIGH_S"));
	CHECK(F->reg_name(MDL_ENGINE_DMA, 0x79) == NULL);
	CHECK(F->reg_name(MDL_ENGINE_TPC, 0x7C0 + 32 * 4) == NULL);
	CHECK(F->reg_name(MDL_ENGINE_NIC, 0x0) == NULL);

	/* Every entry of every table is found (sorted, unique), and nothing else. */
	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		uint32_t found = 0;

		for (off = 0; off < 0x10000; off++)
			found += F->reg_name(tables[i].cls, off) != NULL;
		CHECK_EQ_U64(found, tables[i].count);
	}
}

/* {==== Epilogue ==== */

static void test_epilogue(void)
{
	static const size_t sizes[] = { 0, 8, 96, 120, 128, 136, 4096 + 8 };
	uint8_t buf[256];
	unsigned int i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t cb = sizes[i], n, off, pad = (128 - cb % 128) % 128;
		struct hlsim_cmd c;
		struct mdl_target t;

		memset(buf, 0xEE, sizeof(buf));
		n = F->ext_job_epilogue(GAUDI_QUEUE_ID_DMA_1_2, 0x1007, cb, buf, sizeof(buf));
		CHECK_EQ_U64(n, pad + 32);
		CHECK_EQ_U64((cb + n) % 128, 32); /* the two MSG_PROT start a cache line */
		for (off = 0; off < pad; off += 8) {
			CHECK_EQ_U64(F->decode(buf, n, off, &c), HLSIM_OK);
			CHECK_EQ_U64(c.kind, HLSIM_CMD_NOP);
		}
		CHECK_EQ_U64(F->decode(buf, n, pad, &c), HLSIM_OK);
		CHECK_STR_CONTAINS(F->opcode_name(c.opcode), "MSG_PROT");
		CHECK_EQ_U64(c.u.msg.is_prot, 1);
		CHECK_EQ_U64(c.eb, 1);
		CHECK_EQ_U64(c.mb, 1);
		CHECK_EQ_U64(c.u.msg.value, 0xC0000007); /* ready | shadow valid | job 0x007 */
		F->classify_target(c.u.msg.addr, &t);
		CHECK_EQ_U64(t.kind, MDL_TARGET_CQ);
		CHECK_EQ_U64(t.qman, GAUDI_QUEUE_ID_DMA_1_2);
		CHECK_EQ_U64(F->mem_kind(c.u.msg.addr), MDL_MEM_HOST);
		CHECK_EQ_U64(F->decode(buf, n, pad + 16, &c), HLSIM_OK);
		CHECK_STR_CONTAINS(F->opcode_name(c.opcode), "MSG_PROT");
		CHECK_EQ_U64(c.mb, 1);
		CHECK_EQ_U64(c.eb, 0);
		CHECK_EQ_U64(c.u.msg.value, 1);
		F->classify_target(c.u.msg.addr, &t);
		CHECK_EQ_U64(t.kind, MDL_TARGET_MSI);
		CHECK_EQ_U64(F->mem_kind(c.u.msg.addr), MDL_MEM_HOST);
	}
	/* Each external queue has its own CQ. */
	{
		struct hlsim_cmd c;
		struct mdl_target t;
		unsigned int q;

		for (q = 0; q < 8; q++) {
			CHECK_EQ_U64(F->ext_job_epilogue(q, 1, 128, buf, sizeof(buf)), 32);
			CHECK_EQ_U64(F->decode(buf, 32, 0, &c), HLSIM_OK);
			F->classify_target(c.u.msg.addr, &t);
			CHECK_EQ_U64(t.kind, MDL_TARGET_CQ);
			CHECK_EQ_U64(t.qman, q);
		}
	}
	/* Internal and CPU queues get nothing; bad input gets 0 with a detail. */
	CHECK_EQ_U64(F->ext_job_epilogue(GAUDI_QUEUE_ID_TPC_0_0, 1, 64, buf, sizeof(buf)), 0);
	CHECK_EQ_U64(F->ext_job_epilogue(GAUDI_QUEUE_ID_DMA_5_0, 1, 64, buf, sizeof(buf)), 0);
	CHECK_EQ_U64(F->ext_job_epilogue(GAUDI_QUEUE_ID_CPU_PQ, 1, 64, buf, sizeof(buf)), 0);
	CHECK_EQ_U64(F->ext_job_epilogue(GAUDI_QUEUE_ID_SIZE, 1, 64, buf, sizeof(buf)), 0);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "out of range");
	CHECK_EQ_U64(F->ext_job_epilogue(0, 1, 12, buf, sizeof(buf)), 0);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "not a multiple of 8");
	CHECK_EQ_U64(F->ext_job_epilogue(0, 1, 8, buf, 64), 0); /* needs 120 + 32 */
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "needs 152 bytes");
}
/* ====} */

static void test_values(void)
{
	struct mdl_mon_arm arm, back;
	uint32_t operand;
	int add;

	F->sob_value_decode(0x80000001, &add, &operand);
	CHECK_EQ_U64(add, 1);
	CHECK_EQ_U64(operand, 1);
	F->sob_value_decode(0x40007FFF, &add, &operand); /* trace-evict bit is not the value */
	CHECK_EQ_U64(add, 0);
	CHECK_EQ_U64(operand, 0x7FFF);
	CHECK_EQ_U64(F->sob_value_encode(1, 1), 0x80000001);
	CHECK_EQ_U64(F->sob_value_encode(0, 0), 0);
	CHECK_EQ_U64(F->sob_value_encode(1, 0x7FFF), 0x80007FFF);

	F->mon_arm_decode(0x0002EF01, &arm); /* vector: group 1 mask 0xef >= 1 */
	CHECK_EQ_U64(arm.group, 1);
	CHECK_EQ_U64(arm.mask, 0xEF);
	CHECK_EQ_U64(arm.mode_eq, 0);
	CHECK_EQ_U64(arm.value, 1);
	CHECK_EQ_U64(F->mon_arm_encode(&arm), 0x0002EF01);
	F->mon_arm_decode(0x00110002, &arm); /* vector: group 2 mask 0 == 8 */
	CHECK_EQ_U64(arm.group, 2);
	CHECK_EQ_U64(arm.mask, 0);
	CHECK_EQ_U64(arm.mode_eq, 1);
	CHECK_EQ_U64(arm.value, 8);
	arm.group = 255;
	arm.mask = 0xA5;
	arm.mode_eq = 1;
	arm.value = 0x7FFF;
	F->mon_arm_decode(F->mon_arm_encode(&arm), &back);
	CHECK(back.group == 255 && back.mask == 0xA5 && back.mode_eq == 1 && back.value == 0x7FFF);
}

int main(void)
{
	CHECK_EQ_U64(mdl_asic_get(MDL_ASIC_GAUDI, &F), HLSIM_OK);
	if (!F)
		return check_summary();
	CHECK(F == gaudi_get_asic_funcs());
	/* Every hook is implemented. */
	CHECK(F->decode && F->opcode_name && F->queue_info && F->qman_of_queue && F->qman_name &&
	      F->msg_base_addr && F->classify_target && F->mem_kind && F->fence_addr &&
	      F->sob_addr && F->mon_addr && F->reg_name && F->ext_job_epilogue && F->encode &&
	      F->sob_value_decode && F->sob_value_encode && F->mon_arm_decode && F->mon_arm_encode);
	test_props();
	test_queues();
	test_msg_bases();
	test_examples();
	test_classify_exhaustive();
	test_mem_kind();
	test_reg_names();
	test_epilogue();
	test_values();
	return check_summary();
}
