/*
 * tests/unit/test_gaudi2_asic.c - the Gaudi2 (HL-225) ASIC tables: properties, queues
 * against the uapi enum (values and names), engine classes and indexes, QMAN names and
 * MSG bases, the address map (classify_target is the exact inverse of sob_addr /
 * mon_addr / fence_addr, exhaustively), the source registers' example addresses, memory
 * kinds, register names, the per-job completion of H/W queues and the SOB / monitor
 * value encodings.
 */
#include <misc/habanalabs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/common/asic.h"
#include "tests/unit/check.h"

#define CFG 0x1000007FF8000000ull

static const struct mdl_asic_funcs *F;

static int streq(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

static void test_lookup(void)
{
	const struct mdl_asic_funcs *f = NULL;

	CHECK_EQ_U64(mdl_asic_by_name("gaudi2", &f), HLSIM_OK);
	CHECK(f == F);
	CHECK_EQ_U64(mdl_asic_by_name("HL-225", &f), HLSIM_OK);
	CHECK(f == F);
	CHECK_EQ_U64(mdl_asic_by_name("hl225", &f), HLSIM_OK);
	CHECK(f == F);
	CHECK(F == gaudi2_get_asic_funcs());
	CHECK(F != gaudi_get_asic_funcs());
}

static void test_props(void)
{
	const struct mdl_asic_props *p = F->props;
	unsigned int b;

	CHECK(streq(p->asic_name, "gaudi2"));
	CHECK(streq(p->card_name, "HL225"));
	CHECK_EQ_U64(p->pci_device_id, 0x1020);
	CHECK_EQ_U64(p->num_queues, GAUDI2_QUEUE_ID_SIZE);
	CHECK_EQ_U64(p->num_queues, 261);
	CHECK_EQ_U64(p->num_qmans, 65);
	CHECK_EQ_U64(p->engines_per_class[MDL_ENGINE_DMA], 10);
	CHECK_EQ_U64(p->engines_per_class[MDL_ENGINE_MME], 4);
	CHECK_EQ_U64(p->engines_per_class[MDL_ENGINE_TPC], 25);
	CHECK_EQ_U64(p->engines_per_class[MDL_ENGINE_NIC], 24);
	CHECK_EQ_U64(p->engines_per_class[MDL_ENGINE_CPU], 3);
	CHECK_EQ_U64(p->sm_blocks, 4);
	CHECK_EQ_U64(p->sobs_per_block, 8192);
	CHECK_EQ_U64(p->mons_per_block, 2048);
	CHECK_EQ_U64(p->mon_max_sobs, 8);
	CHECK_EQ_U64(p->sob_value_mask, 0x7FFF);
	CHECK_EQ_U64(p->sram_base, 0x1000FFFFFD000000ull);
	CHECK_EQ_U64(p->sram_size_bytes, 48ull << 20);
	CHECK_EQ_U64(p->dram_base, 0x1001000000000000ull + (96ull << 30));
	CHECK_EQ_U64(p->dram_size_bytes, 96ull << 30);
	CHECK_EQ_U64(p->host_va_base, 0xFFF0000000000000ull);
	CHECK_EQ_U64(p->host_va_base + p->host_va_size_bytes, 0xFFF1000000000000ull);
	CHECK_EQ_U64(p->cfg_base, CFG);
	CHECK_EQ_U64(p->cfg_size_bytes, 128ull << 20);
	CHECK_EQ_U64(p->engine_block_bytes, 0x10000);
	CHECK_EQ_U64(p->cb_align_bytes, 128);
	CHECK_EQ_U64(p->launch_reg[MDL_ENGINE_DMA], 0x8EC);
	CHECK_EQ_U64(p->launch_reg[MDL_ENGINE_TPC], 0xD98);
	CHECK_EQ_U64(p->launch_reg[MDL_ENGINE_MME], 0x004);
	CHECK_EQ_U64(p->launch_reg[MDL_ENGINE_NIC], 0);
	CHECK_EQ_U64(p->launch_reg[MDL_ENGINE_CPU], 0);
	CHECK_EQ_U64(p->dma_wr_comp_addr_hi, 0x8BC);
	CHECK_EQ_U64(p->dma_wr_comp_addr_lo, 0x8C0);
	CHECK_EQ_U64(p->dma_wr_comp_wdata, 0x8C4);
	CHECK_EQ_U64(p->dma_src_base_lo, 0x8D8);
	CHECK_EQ_U64(p->dma_src_base_hi, 0x8DC);
	CHECK_EQ_U64(p->dma_dst_base_lo, 0x8E0);
	CHECK_EQ_U64(p->dma_dst_base_hi, 0x8E4);
	CHECK_EQ_U64(p->dma_dst_tsize_0, 0x8E8);
	CHECK_EQ_U64(p->dma_dst_tsize_k[0], 0x89C);
	CHECK_EQ_U64(p->dma_dst_tsize_k[3], 0x8B4);
	for (b = 0; b < 4; b++) {
		char want[8];

		snprintf(want, sizeof(want), "DCORE%u", b);
		CHECK(streq(p->sm_block_names[b], want));
	}
	CHECK(p->sm_block_names[4] == NULL);
	/* MME and TPC launches use hlsim's interpretations (gaudi2_engines.c, gaudi2_tpc.c) */
	CHECK(p->tpc_layout != NULL && p->mme_layout != NULL);
	CHECK(F->engine_launch != NULL);
	/* The launch and DMA registers lie in the 64 KiB register file the simulator keeps. */
	CHECK(p->launch_reg[MDL_ENGINE_DMA] < p->engine_block_bytes);
	CHECK(p->launch_reg[MDL_ENGINE_TPC] < p->engine_block_bytes);
}

/* {==== Queues ==== */

struct uapi_queue {
	unsigned int id;
	const char *name;
};

#define UQ(x) { GAUDI2_QUEUE_ID_##x, #x }
#define UQ4(x) UQ(x##_0), UQ(x##_1), UQ(x##_2), UQ(x##_3)
#define UDCORE(d)                                                                          \
	UQ4(DCORE##d##_EDMA_0), UQ4(DCORE##d##_EDMA_1), UQ4(DCORE##d##_MME_0),             \
		UQ4(DCORE##d##_TPC_0), UQ4(DCORE##d##_TPC_1), UQ4(DCORE##d##_TPC_2),      \
		UQ4(DCORE##d##_TPC_3), UQ4(DCORE##d##_TPC_4), UQ4(DCORE##d##_TPC_5)

static const struct uapi_queue uapi_queues[] = {
	UQ4(PDMA_0), UQ4(PDMA_1), UDCORE(0), UQ4(DCORE0_TPC_6), UDCORE(1), UDCORE(2),
	UDCORE(3),   UQ4(NIC_0),  UQ4(NIC_1), UQ4(NIC_2),	   UQ4(NIC_3), UQ4(NIC_4),
	UQ4(NIC_5),  UQ4(NIC_6),  UQ4(NIC_7), UQ4(NIC_8),	   UQ4(NIC_9), UQ4(NIC_10),
	UQ4(NIC_11), UQ4(NIC_12), UQ4(NIC_13), UQ4(NIC_14),	   UQ4(NIC_15), UQ4(NIC_16),
	UQ4(NIC_17), UQ4(NIC_18), UQ4(NIC_19), UQ4(NIC_20),	   UQ4(NIC_21), UQ4(NIC_22),
	UQ4(NIC_23), UQ4(ROT_0),  UQ4(ROT_1), UQ(CPU_PQ),
};

/*
 * What a queue name says about its engine: class, index (the documented numbering) and
 * the expected QMAN name. Returns 0 if the name has no known form.
 */
static int expect_engine(const char *name, unsigned int *cls, unsigned int *idx,
			 unsigned int *stream, char *qman, size_t cap)
{
	unsigned int d, i, s;

	if (sscanf(name, "PDMA_%u_%u", &i, &s) == 2) {
		*cls = MDL_ENGINE_DMA;
		*idx = i;
		snprintf(qman, cap, "PDMA%u", i);
	} else if (sscanf(name, "DCORE%u_EDMA_%u_%u", &d, &i, &s) == 3) {
		*cls = MDL_ENGINE_DMA;
		*idx = 2 + 2 * d + i;
		snprintf(qman, cap, "DCORE%u_EDMA%u", d, i);
	} else if (sscanf(name, "DCORE%u_MME_0_%u", &d, &s) == 2) {
		*cls = MDL_ENGINE_MME;
		*idx = d;
		snprintf(qman, cap, "DCORE%u_MME", d);
	} else if (sscanf(name, "DCORE%u_TPC_%u_%u", &d, &i, &s) == 3) {
		*cls = MDL_ENGINE_TPC;
		*idx = i == 6 ? 24 : 6 * d + i;
		snprintf(qman, cap, "DCORE%u_TPC%u", d, i);
	} else if (sscanf(name, "NIC_%u_%u", &i, &s) == 2) {
		*cls = MDL_ENGINE_NIC;
		*idx = i;
		snprintf(qman, cap, "NIC%u", i);
	} else if (sscanf(name, "ROT_%u_%u", &i, &s) == 2) {
		*cls = MDL_ENGINE_CPU;
		*idx = 1 + i;
		snprintf(qman, cap, "ROT%u", i);
	} else {
		return 0;
	}
	*stream = s;
	return 1;
}

static void test_queues(void)
{
	unsigned int i, n = sizeof(uapi_queues) / sizeof(uapi_queues[0]), tpc_seen = 0;
	unsigned int dma_seen = 0;

	CHECK_EQ_U64(n, GAUDI2_QUEUE_ID_SIZE);
	for (i = 0; i < n; i++) {
		const struct uapi_queue *u = &uapi_queues[i];
		const struct mdl_queue_info *q = F->queue_info(u->id);
		uint32_t qman = F->qman_of_queue(u->id);
		unsigned int cls = MDL_ENGINE_CLASS_COUNT_, idx = 0, stream = 0;
		char want_qman[32] = "";

		CHECK_EQ_U64(u->id, i); /* the list follows the enum */
		CHECK(q != NULL);
		if (!q)
			continue;
		CHECK(streq(q->name, u->name));
		if (!streq(q->name, u->name))
			fprintf(stderr, "queue %u: name %s, uapi %s\n", u->id, q->name, u->name);
		if (u->id == GAUDI2_QUEUE_ID_CPU_PQ) {
			CHECK_EQ_U64(q->kind, MDL_QUEUE_CPU);
			CHECK_EQ_U64(q->engine_class, MDL_ENGINE_CPU);
			CHECK_EQ_U64(q->engine_index, 0);
			CHECK_EQ_U64(q->has_lower_cp, 0);
			CHECK(qman >= F->props->num_qmans);
			CHECK(F->qman_name(qman) == NULL);
			continue;
		}
		CHECK(expect_engine(u->name, &cls, &idx, &stream, want_qman, sizeof(want_qman)));
		CHECK_EQ_U64(q->kind, MDL_QUEUE_HW);
		CHECK_EQ_U64(q->has_lower_cp, 1);
		CHECK_EQ_U64(q->engine_class, cls);
		CHECK_EQ_U64(q->engine_index, idx);
		CHECK_EQ_U64(q->stream, stream);
		CHECK_EQ_U64(q->stream, u->id % 4);
		CHECK_EQ_U64(qman, u->id / 4);
		CHECK(streq(F->qman_name(qman), want_qman));
		if (cls == MDL_ENGINE_TPC)
			tpc_seen |= 1u << idx;
		if (cls == MDL_ENGINE_DMA)
			dma_seen |= 1u << idx;
		CHECK(q->engine_index < F->props->engines_per_class[cls]);
	}
	CHECK_EQ_U64(tpc_seen, (1u << 25) - 1); /* TPC 0..24, each once per stream set */
	CHECK_EQ_U64(dma_seen, (1u << 10) - 1); /* DMA 0..9: distinct */
	CHECK(F->queue_info(GAUDI2_QUEUE_ID_SIZE) == NULL);
	CHECK(F->queue_info(UINT32_MAX) == NULL);
	CHECK(F->qman_of_queue(GAUDI2_QUEUE_ID_SIZE) >= F->props->num_qmans);
	CHECK(F->qman_name(65) == NULL);
	CHECK(F->qman_name(UINT32_MAX) == NULL);
	/* Spot checks of the documented numbering. */
	CHECK(streq(F->queue_info(GAUDI2_QUEUE_ID_DCORE0_TPC_6_3)->name, "DCORE0_TPC_6_3"));
	CHECK_EQ_U64(F->queue_info(GAUDI2_QUEUE_ID_DCORE0_TPC_6_0)->engine_index, 24);
	CHECK_EQ_U64(F->queue_info(GAUDI2_QUEUE_ID_DCORE3_TPC_5_0)->engine_index, 23);
	CHECK_EQ_U64(F->queue_info(GAUDI2_QUEUE_ID_DCORE3_EDMA_1_0)->engine_index, 9);
	CHECK_EQ_U64(F->queue_info(GAUDI2_QUEUE_ID_PDMA_1_2)->engine_index, 1);
	CHECK_EQ_U64(F->qman_of_queue(GAUDI2_QUEUE_ID_DCORE1_EDMA_0_0), 12);
	CHECK_EQ_U64(F->qman_of_queue(GAUDI2_QUEUE_ID_NIC_0_0), 39);
	CHECK_EQ_U64(F->qman_of_queue(GAUDI2_QUEUE_ID_ROT_1_3), 64);
	/* All QMAN names are distinct (the simulator names hosts after them). */
	{
		uint32_t a, b;
		int dup = 0;

		for (a = 0; a < F->props->num_qmans; a++)
			for (b = a + 1; b < F->props->num_qmans; b++)
				dup += streq(F->qman_name(a), F->qman_name(b));
		CHECK_EQ_U64(dup, 0);
	}
}

static void test_msg_bases(void)
{
	uint32_t q;

	for (q = 0; q < F->props->num_qmans; q++) {
		CHECK_EQ_U64(F->msg_base_addr(q, 0), CFG + 0x4108000); /* DCORE0 MON_PAY_ADDRL_0 */
		CHECK_EQ_U64(F->msg_base_addr(q, 1), CFG + 0x4100000); /* DCORE0 SOB_OBJ_0 */
		CHECK_EQ_U64(F->msg_base_addr(q, 2), 0);
		CHECK_EQ_U64(F->msg_base_addr(q, 3), 0);
		CHECK_EQ_U64(F->msg_base_addr(q, 4), 0);
	}
	CHECK_EQ_U64(F->msg_base_addr(65, 0), 0);
	/* hl-thunk reaches MON_CONFIG through base 0 too: within the 16-bit offset. */
	CHECK(CFG + 0x4110000 + 2047 * 4 - F->msg_base_addr(0, 0) <= 0xFFFF);
}
/* ====} */

/* {==== Address map ==== */

static uint64_t fence0(uint32_t queue_id)
{
	return F->fence_addr(F->qman_of_queue(queue_id), 0, 0);
}

static void test_examples(void)
{
	static const struct {
		unsigned int queue_id;
		uint32_t qm; /* QM block base, CFG offset, from the named sources */
	} qm[] = {
		{ GAUDI2_QUEUE_ID_DCORE0_TPC_0_0, 0x400A000 }, /* dcore0_tpc0_qm_regs.h */
		{ GAUDI2_QUEUE_ID_DCORE0_TPC_1_0, 0x401A000 }, /* dcore0_tpc1_qm_regs.h */
		{ GAUDI2_QUEUE_ID_DCORE0_TPC_6_0, 0x406A000 }, /* hl-thunk: TPC0 + 6 x offset */
		{ GAUDI2_QUEUE_ID_DCORE3_TPC_0_0, 0x460A000 }, /* dcore3_tpc0_qm_regs.h */
		{ GAUDI2_QUEUE_ID_DCORE0_MME_0_0, 0x40CA000 }, /* dcore0_mme_qm_cgm_regs.h */
		{ GAUDI2_QUEUE_ID_DCORE1_MME_0_0, 0x42CA000 }, /* dcore1_mme_qm_regs.h */
		{ GAUDI2_QUEUE_ID_DCORE0_EDMA_0_0, 0x41CA000 }, /* dcore0_edma0_qm_cgm_regs.h */
		{ GAUDI2_QUEUE_ID_DCORE0_EDMA_1_0, 0x41DA000 }, /* dcore0_edma1_qm_regs.h */
		{ GAUDI2_QUEUE_ID_PDMA_0_0, 0x4C8A000 }, /* pdma0_qm_regs.h */
		{ GAUDI2_QUEUE_ID_ROT_0_0, 0x4E0A000 }, /* gaudi2_blocks.h */
		{ GAUDI2_QUEUE_ID_ROT_1_0, 0x4E1A000 }, /* gaudi2_blocks.h */
		{ GAUDI2_QUEUE_ID_NIC_2_0, 0x549A000 }, /* NIC1_QM0, gaudi2_blocks.h */
		{ GAUDI2_QUEUE_ID_NIC_9_0, 0x563A000 }, /* NIC4_QM1, gaudi2_blocks.h */
	};
	uint32_t tpc0 = F->qman_of_queue(GAUDI2_QUEUE_ID_DCORE0_TPC_0_0);
	unsigned int i;

	for (i = 0; i < sizeof(qm) / sizeof(qm[0]); i++)
		CHECK_EQ_U64(fence0(qm[i].queue_id), CFG + qm[i].qm + 0x290);
	/* CP_FENCE<n>_RDATA_<cp> [dcore0_tpc0_qm_regs.h] */
	CHECK_EQ_U64(F->fence_addr(tpc0, 4, 0), CFG + 0x400A2A0);
	CHECK_EQ_U64(F->fence_addr(tpc0, 0, 1), CFG + 0x400A2A4);
	CHECK_EQ_U64(F->fence_addr(tpc0, 4, 3), CFG + 0x400A2DC);

	/* dcore0_sync_mngr_objs_regs.h */
	CHECK_EQ_U64(F->sob_addr(0, 0), CFG + 0x4100000);
	CHECK_EQ_U64(F->sob_addr(0, 8191), CFG + 0x4107FFC);
	CHECK_EQ_U64(F->mon_addr(0, 0, MDL_TARGET_MON_PAY_ADDRL), CFG + 0x4108000);
	CHECK_EQ_U64(F->mon_addr(0, 2047, MDL_TARGET_MON_PAY_ADDRL), CFG + 0x4109FFC);
	CHECK_EQ_U64(F->mon_addr(0, 0, MDL_TARGET_MON_PAY_ADDRH), CFG + 0x410A000);
	CHECK_EQ_U64(F->mon_addr(0, 0, MDL_TARGET_MON_PAY_DATA), CFG + 0x410C000);
	CHECK_EQ_U64(F->mon_addr(0, 0, MDL_TARGET_MON_ARM), CFG + 0x410E000);
	CHECK_EQ_U64(F->mon_addr(0, 2047, MDL_TARGET_MON_ARM), CFG + 0x410FFFC);
	CHECK_EQ_U64(F->sob_addr(3, 0), CFG + 0x4700000); /* [I] DCORE stride */

	/* Out-of-range arguments give 0. */
	CHECK_EQ_U64(F->sob_addr(4, 0), 0);
	CHECK_EQ_U64(F->sob_addr(0, 8192), 0);
	CHECK_EQ_U64(F->mon_addr(0, 2048, MDL_TARGET_MON_ARM), 0);
	CHECK_EQ_U64(F->mon_addr(4, 0, MDL_TARGET_MON_ARM), 0);
	CHECK_EQ_U64(F->mon_addr(0, 0, MDL_TARGET_SOB), 0);
	CHECK_EQ_U64(F->mon_addr(0, 0, MDL_TARGET_FENCE), 0);
	CHECK_EQ_U64(F->fence_addr(65, 0, 0), 0);
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
	uint64_t a, *qm = calloc(p->num_qmans, sizeof(*qm));
	struct mdl_target t;

	if (!qm)
		return;
	for (b = 0; b < p->sm_blocks; b++) {
		for (i = 0; i < p->sobs_per_block; i++, n++) {
			a = F->sob_addr((uint8_t)b, i);
			F->classify_target(a, &t);
			bad += !a || t.kind != MDL_TARGET_SOB || t.block != b || t.index != i;
			F->classify_target(a + 2, &t); /* not a 32-bit register address */
			bad += t.kind != MDL_TARGET_NONE;
		}
		for (k = 0; k < 4; k++) {
			for (i = 0; i < p->mons_per_block; i++, n++) {
				a = F->mon_addr((uint8_t)b, i, mon_kinds[k]);
				F->classify_target(a, &t);
				bad += !a || t.kind != mon_kinds[k] || t.block != b || t.index != i;
			}
		}
		/* MON_CONFIG and MON_STATUS (after MON_ARM) are not targets of the model. */
		for (i = 0; i < 2 * p->mons_per_block; i++) {
			F->classify_target(F->mon_addr((uint8_t)b, 2047, MDL_TARGET_MON_ARM) + 4 +
						   4ull * i,
					   &t);
			bad += t.kind != MDL_TARGET_NONE;
		}
		/* Just before SOB_OBJ_0 of the block: nothing. */
		F->classify_target(F->sob_addr((uint8_t)b, 0) - 4, &t);
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
		F->classify_target(F->fence_addr(q, 0, 0) - 4, &t); /* CP_MSG_BASE3_ADDR_HI_4 */
		bad += t.kind != MDL_TARGET_NONE;
		F->classify_target(F->fence_addr(q, 4, 3) + 4, &t); /* CP_FENCE0_CNT_0 */
		bad += t.kind != MDL_TARGET_NONE;
		/* QM blocks: 4 KiB aligned, distinct, inside CFG, outside the sync managers. */
		qm[q] = F->fence_addr(q, 0, 0) - 0x290;
		bad += (qm[q] & 0xFFF) != 0 || qm[q] < CFG || qm[q] - CFG >= p->cfg_size_bytes;
		for (b = 0; b < p->sm_blocks; b++)
			bad += qm[q] >= F->sob_addr((uint8_t)b, 0) &&
			       qm[q] < F->sob_addr((uint8_t)b, 0) + 0x14000;
		for (i = 0; i < q; i++)
			bad += qm[i] == qm[q];
	}
	CHECK_EQ_U64(bad, 0);
	CHECK_EQ_U64(n, 4 * (8192 + 4 * 2048) + 65 * 5 * 4);

	F->classify_target(0x1001000000000000ull, &t); /* HBM */
	CHECK_EQ_U64(t.kind, MDL_TARGET_NONE);
	F->classify_target(CFG + 0x41CB8EC, &t); /* DCORE0 EDMA0 core COMMIT */
	CHECK_EQ_U64(t.kind, MDL_TARGET_NONE);
	F->classify_target(CFG + 0x400B290, &t); /* not a QM block: TPC0 CFG */
	CHECK_EQ_U64(t.kind, MDL_TARGET_NONE);
	F->classify_target(CFG + 0x411E000, &t); /* DCORE0 SM GLBL, not OBJS */
	CHECK_EQ_U64(t.kind, MDL_TARGET_NONE);
	free(qm);
}

static void test_mem_kind(void)
{
	CHECK_EQ_U64(F->mem_kind(0x1001000000000000ull), MDL_MEM_HBM);
	CHECK_EQ_U64(F->mem_kind(F->props->dram_base), MDL_MEM_HBM);
	CHECK_EQ_U64(F->mem_kind(F->props->dram_base + F->props->dram_size_bytes - 1),
		     MDL_MEM_HBM);
	CHECK_EQ_U64(F->mem_kind(0x1001FFFFFFFFFFFFull), MDL_MEM_HBM);
	CHECK_EQ_U64(F->mem_kind(0x1002000000000000ull), MDL_MEM_UNKNOWN);
	CHECK_EQ_U64(F->mem_kind(0x1000FFFFFD000000ull), MDL_MEM_SRAM);
	CHECK_EQ_U64(F->mem_kind(0x1000FFFFFD000000ull + (48ull << 20) - 1), MDL_MEM_SRAM);
	/* SRAM ends exactly where physical HBM begins. */
	CHECK_EQ_U64(0x1000FFFFFD000000ull + (48ull << 20), 0x1001000000000000ull);
	CHECK_EQ_U64(F->mem_kind(0x1000FFFFFD000000ull + (48ull << 20)), MDL_MEM_HBM);
	CHECK_EQ_U64(F->mem_kind(0x1000FFFFFD000000ull - 1), MDL_MEM_UNKNOWN);
	CHECK_EQ_U64(F->mem_kind(CFG), MDL_MEM_CFG);
	CHECK_EQ_U64(F->mem_kind(CFG + (128ull << 20) - 1), MDL_MEM_CFG);
	CHECK_EQ_U64(F->mem_kind(CFG + (128ull << 20)), MDL_MEM_UNKNOWN);
	CHECK_EQ_U64(F->mem_kind(CFG - 1), MDL_MEM_UNKNOWN);
	CHECK_EQ_U64(F->mem_kind(0xFFF0000000000000ull), MDL_MEM_HOST);
	CHECK_EQ_U64(F->mem_kind(0xFFF0FFFFFFFFFFFFull), MDL_MEM_HOST);
	CHECK_EQ_U64(F->mem_kind(0x0), MDL_MEM_HOST);
	CHECK_EQ_U64(F->mem_kind(0x00FFFFFFFFFFFFFFull), MDL_MEM_HOST);
	CHECK_EQ_U64(F->mem_kind(0x0100000000000000ull), MDL_MEM_UNKNOWN);
	CHECK_EQ_U64(F->mem_kind(0xFEFFFFFFFFFFFFFFull), MDL_MEM_UNKNOWN);
	CHECK_EQ_U64(F->mem_kind(UINT64_MAX), MDL_MEM_HOST);
}
/* ====} */

static void test_reg_names(void)
{
	static const struct {
		enum mdl_engine_class cls;
		uint32_t count;
	} tables[] = {
		{ MDL_ENGINE_DMA, 36 }, { MDL_ENGINE_TPC, 2 }, { MDL_ENGINE_MME, 2 },
		{ MDL_ENGINE_NIC, 0 },	{ MDL_ENGINE_CPU, 0 },
	};
	const struct mdl_asic_props *p = F->props;
	unsigned int i;
	uint32_t off;

	CHECK(streq(F->reg_name(MDL_ENGINE_DMA, p->launch_reg[MDL_ENGINE_DMA]), "ctx.commit"));
	CHECK(streq(F->reg_name(MDL_ENGINE_DMA, p->dma_src_base_lo), "ctx.src_base_lo"));
	CHECK(streq(F->reg_name(MDL_ENGINE_DMA, p->dma_dst_base_hi), "ctx.dst_base_hi"));
	CHECK(streq(F->reg_name(MDL_ENGINE_DMA, p->dma_dst_tsize_0), "ctx.dst_tsize_0"));
	CHECK(streq(F->reg_name(MDL_ENGINE_DMA, p->dma_wr_comp_addr_lo), "ctx.wr_comp_addr_lo"));
	CHECK(streq(F->reg_name(MDL_ENGINE_DMA, p->dma_wr_comp_wdata), "ctx.wr_comp_wdata"));
	CHECK(streq(F->reg_name(MDL_ENGINE_DMA, p->dma_dst_tsize_k[1]), "ctx.dst_tsize_2"));
	CHECK(streq(F->reg_name(MDL_ENGINE_DMA, 0x860), "ctx.rate_lim_tkn"));
	CHECK(streq(F->reg_name(MDL_ENGINE_TPC, p->launch_reg[MDL_ENGINE_TPC]), "tpc_execute"));
	CHECK(streq(F->reg_name(MDL_ENGINE_TPC, 0xD94), "tpc_cmd"));
	CHECK(streq(F->reg_name(MDL_ENGINE_MME, p->launch_reg[MDL_ENGINE_MME]), "cmd"));
	CHECK(F->reg_name(MDL_ENGINE_DMA, 0x8ED) == NULL);
	CHECK(F->reg_name(MDL_ENGINE_DMA, 0x78) == NULL); /* Gaudi's COMMIT offset */
	CHECK(F->reg_name(MDL_ENGINE_TPC, 0x938) == NULL); /* Gaudi's TPC_EXECUTE offset */
	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		uint32_t found = 0;

		for (off = 0; off < 0x10000; off++)
			found += F->reg_name(tables[i].cls, off) != NULL;
		CHECK_EQ_U64(found, tables[i].count);
	}
	CHECK(F->reg_name(MDL_ENGINE_CLASS_COUNT_, 0x8EC) == NULL);
}

/* {==== Completion of H/W queues ==== */

static void test_epilogue(void)
{
	uint8_t buf[64];
	unsigned int q, bad = 0;

	for (q = 0; q < GAUDI2_QUEUE_ID_CPU_PQ; q++) {
		struct hlsim_cmd c;
		struct mdl_target t;
		size_t n;

		memset(buf, 0xEE, sizeof(buf));
		n = F->ext_job_epilogue(q, 0x12345 + q, 4096, buf, sizeof(buf));
		bad += n != 16;
		bad += F->decode(buf, n, 0, &c) != HLSIM_OK;
		bad += !streq(F->opcode_name(c.opcode), "MSG_PROT") || c.kind != HLSIM_CMD_MSG;
		bad += !c.u.msg.is_prot || !c.eb || !c.mb || c.u.msg.op != HLSIM_MSG_WRITE_VALUE;
		bad += c.u.msg.value != (0x80000000u | ((0x12345 + q) & 0xFFFF));
		F->classify_target(c.u.msg.addr, &t);
		bad += t.kind != MDL_TARGET_CQ || t.qman != q || t.index != 0;
		bad += F->mem_kind(c.u.msg.addr) != MDL_MEM_HOST;
		bad += buf[16] != 0xEE; /* nothing past the packet */
	}
	CHECK_EQ_U64(bad, 0);
	/* The CB size does not matter: nothing is appended to it. */
	CHECK_EQ_U64(F->ext_job_epilogue(GAUDI2_QUEUE_ID_PDMA_0_0, 1, 12, buf, sizeof(buf)), 16);
	/* The CPU queue gets nothing; bad input gets 0 with a detail. */
	CHECK_EQ_U64(F->ext_job_epilogue(GAUDI2_QUEUE_ID_CPU_PQ, 1, 64, buf, sizeof(buf)), 0);
	hlsim_clear_error();
	CHECK_EQ_U64(F->ext_job_epilogue(GAUDI2_QUEUE_ID_SIZE, 1, 64, buf, sizeof(buf)), 0);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "out of range");
	CHECK_EQ_U64(F->ext_job_epilogue(0, 1, 64, buf, 15), 0);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "needs 16 bytes, room for 15");
	CHECK_EQ_U64(F->ext_job_epilogue(0, 1, 64, NULL, 64), 0);
	/* The CQ region ends with the last H/W queue; the CPU queue has no CQ. */
	{
		struct hlsim_cmd c;
		struct mdl_target t;

		CHECK_EQ_U64(F->ext_job_epilogue(GAUDI2_QUEUE_ID_ROT_1_3, 0, 0, buf, 16), 16);
		CHECK_EQ_U64(F->decode(buf, 16, 0, &c), HLSIM_OK);
		F->classify_target(c.u.msg.addr + 0x3FFC, &t); /* last entry of that ring */
		CHECK_EQ_U64(t.kind, MDL_TARGET_CQ);
		CHECK_EQ_U64(t.index, 4095);
		F->classify_target(c.u.msg.addr + 0x4000, &t);
		CHECK_EQ_U64(t.kind, MDL_TARGET_NONE);
		F->classify_target(c.u.msg.addr - 0x4000 * GAUDI2_QUEUE_ID_ROT_1_3 - 4, &t);
		CHECK_EQ_U64(t.kind, MDL_TARGET_NONE);
	}
}
/* ====} */

static void test_values(void)
{
	struct mdl_mon_arm arm, back;
	uint32_t operand;
	int add;

	F->sob_value_decode(0x80000001, &add, &operand); /* GAUDI2_SOB_INCREMENT_BY_ONE */
	CHECK_EQ_U64(add, 1);
	CHECK_EQ_U64(operand, 1);
	F->sob_value_decode(0x41007FFF, &add, &operand); /* trace-evict, long_mode: not the value */
	CHECK_EQ_U64(add, 0);
	CHECK_EQ_U64(operand, 0x7FFF);
	CHECK_EQ_U64(F->sob_value_encode(1, 1), 0x80000001);
	CHECK_EQ_U64(F->sob_value_encode(0, 0), 0);
	CHECK_EQ_U64(F->sob_value_encode(1, 0xFFFF), 0x80007FFF);

	/* hl-thunk arms sob_id 12 == 5: group 1, mask ~(1 << 4), mode 1 */
	F->mon_arm_decode(1u | 0xEFu << 8 | 1u << 16 | 5u << 17, &arm);
	CHECK_EQ_U64(arm.group, 1);
	CHECK_EQ_U64(arm.mask, 0xEF);
	CHECK_EQ_U64(arm.mode_eq, 1);
	CHECK_EQ_U64(arm.value, 5);
	CHECK_EQ_U64(F->mon_arm_encode(&arm), 1u | 0xEFu << 8 | 1u << 16 | 5u << 17);
	arm.group = 255;
	arm.mask = 0x5A;
	arm.mode_eq = 0;
	arm.value = 0x7FFF;
	F->mon_arm_decode(F->mon_arm_encode(&arm), &back);
	CHECK(back.group == 255 && back.mask == 0x5A && back.mode_eq == 0 && back.value == 0x7FFF);
}

int main(void)
{
	CHECK_EQ_U64(mdl_asic_get(MDL_ASIC_GAUDI2, &F), HLSIM_OK);
	if (!F)
		return check_summary();
	/* Every hook but engine_launch is implemented. */
	CHECK(F->decode && F->opcode_name && F->queue_info && F->qman_of_queue && F->qman_name &&
	      F->msg_base_addr && F->classify_target && F->mem_kind && F->fence_addr &&
	      F->sob_addr && F->mon_addr && F->reg_name && F->ext_job_epilogue && F->encode &&
	      F->sob_value_decode && F->sob_value_encode && F->mon_arm_decode && F->mon_arm_encode);
	test_lookup();
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
