/*
 * tests/unit/test_mme_gen.c - `hlsim gen gemm` (traces/gen/gen_gemm.c): how a GEMM is
 * cut over the MMEs, the generated traces decoded end to end with the Gaudi decoder
 * (every packet of every CB, CP_DMA targets included), the MME programming read back
 * by the MME model (the same M, N, K, addresses and completion), the sync pattern
 * around the launches, and the command's errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hlsim/config.h"
#include "hlsim/trace.h"
#include "models/common/asic.h"
#include "models/common/engine.h"
#include "models/common/mme.h"
#include "models/gaudi/gaudi_mme.h"
#include "tests/unit/check.h"
#include "traces/gen/gen_gemm.h"

#define MAX_QMANS 64
#define MAX_SEEN 64
#define SOB_DONE 65 /* as gen_gemm.c */
#define SOB_IN 64

static char scratch[64];

/* What a walk over a trace saw. */
struct seen {
	uint32_t launches;
	struct mdl_mme_gemm gemm[MAX_SEEN];
	struct mdl_work work[MAX_SEEN];
	hlsim_err_t work_rc[MAX_SEEN];
	uint32_t engine[MAX_SEEN]; /* MME engine_index of the launching queue */
	uint32_t cmd_without_eb_mb;
	uint32_t sob_done_incs, sob_done_incs_eb, sob_in_wr_comp;
	uint32_t mon_arm_values[8], mon_arms;
	uint32_t fences, lin_dmas, cp_dmas, packets;
	uint64_t dma_bytes;
};

static uint32_t regfile[MAX_QMANS][0x10000 / 4];
static struct mdl_mme_cfg cfg;
static const struct mdl_asic_funcs *F;

static void on_msg(struct seen *s, uint32_t qman, const struct hlsim_cmd *c)
{
	uint64_t addr = c->u.msg.addr;
	struct mdl_target t;

	if (c->u.msg.is_short)
		addr += F->msg_base_addr(qman, c->u.msg.base);
	F->classify_target(addr, &t);
	if (t.kind == MDL_TARGET_SOB && t.index == SOB_DONE && c->u.msg.value == 0x80000001u) {
		s->sob_done_incs++;
		s->sob_done_incs_eb += c->eb;
	}
	if (t.kind == MDL_TARGET_MON_ARM && s->mon_arms < 8) {
		struct mdl_mon_arm arm;

		F->mon_arm_decode(c->u.msg.value, &arm);
		s->mon_arm_values[s->mon_arms++] = arm.value;
	}
}

static void on_wreg(struct seen *s, uint32_t qid, const struct hlsim_cmd *c)
{
	const struct mdl_queue_info *qi = F->queue_info(qid);
	uint32_t qman = F->qman_of_queue(qid), i, off = c->u.wreg.reg_offset;
	uint32_t *regs = regfile[qman];

	CHECK(qman < MAX_QMANS && off + 4 * c->u.wreg.count <= 0x10000);
	if (qman >= MAX_QMANS || off + 4 * c->u.wreg.count > 0x10000)
		return;
	for (i = 0; i < c->u.wreg.count; i++, off += 4) {
		const uint8_t *v = c->u.wreg.values;

		regs[off / 4] = c->u.wreg.value;
		if (v)
			regs[off / 4] = (uint32_t)v[4 * i] | (uint32_t)v[4 * i + 1] << 8 |
					(uint32_t)v[4 * i + 2] << 16 | (uint32_t)v[4 * i + 3] << 24;
		if (qi->engine_class == MDL_ENGINE_DMA && off == F->props->dma_wr_comp_addr_hi) {
			struct mdl_target t;

			/* the generator writes ADDR_LO, then ADDR_HI */
			F->classify_target((uint64_t)regs[off / 4] << 32 |
						   regs[F->props->dma_wr_comp_addr_lo / 4],
					   &t);
			s->sob_in_wr_comp += t.kind == MDL_TARGET_SOB && t.index == SOB_IN;
		}
		if (qi->engine_class != MDL_ENGINE_MME || off != gaudi_mme_layout.cmd)
			continue;
		s->cmd_without_eb_mb += !(c->eb && c->mb);
		if (s->launches < MAX_SEEN) {
			uint32_t n = s->launches++;

			s->engine[n] = qi->engine_index;
			CHECK(mdl_mme_desc_decode(&gaudi_mme_layout, regs, &s->gemm[n]) ==
			      HLSIM_OK);
			s->work_rc[n] = mdl_mme_work(&gaudi_mme_layout, regs, &cfg, &s->work[n]);
		}
	}
}

/* Decode every packet of @cb (run by queue @qid), following CP_DMA into HBM images. */
static void walk_cb(hlsim_trace_t *t, struct seen *s, uint32_t qid, const uint8_t *cb,
		    size_t size, uint64_t cs_row, int depth)
{
	size_t off = 0;

	while (off < size) {
		struct hlsim_cmd c;
		hlsim_err_t rc = F->decode(cb, size, off, &c);

		CHECK(rc == HLSIM_OK);
		if (rc) {
			fprintf(stderr, "decode at 0x%zx: %s\n", off, hlsim_last_error_detail());
			return;
		}
		s->packets++;
		switch ((enum hlsim_cmd_kind)c.kind) {
		case HLSIM_CMD_WREG:
			on_wreg(s, qid, &c);
			break;
		case HLSIM_CMD_MSG:
			on_msg(s, F->qman_of_queue(qid), &c);
			break;
		case HLSIM_CMD_FENCE:
			s->fences++;
			break;
		case HLSIM_CMD_DMA:
			s->lin_dmas++;
			s->dma_bytes += c.u.dma.size_bytes;
			break;
		case HLSIM_CMD_CB_CALL: {
			struct hlsim_trace_mem img;
			const struct hlsim_blob *b = NULL;
			uint64_t at = 0;

			s->cp_dmas++;
			CHECK(depth == 0);
			CHECK(hlsim_trace_mem_find(t, 0, c.u.cb_call.addr, c.u.cb_call.size_bytes,
						   cs_row, &img, &at) == HLSIM_OK);
			if (hlsim_trace_blob_get(t, 0, img.blob_id, &b) == HLSIM_OK) {
				walk_cb(t, s, qid, b->bytes + at, c.u.cb_call.size_bytes, cs_row,
					depth + 1);
				hlsim_trace_blob_put(t, b);
			}
			break;
		}
		default:
			break;
		}
		off += c.size_bytes;
	}
	CHECK_EQ_U64(off, size);
}

/* Generate with @o, then walk every job of every CS. */
static void gen_and_walk(const struct trc_gen_gemm_opts *o, const char *name, struct seen *s)
{
	char path[128];
	hlsim_trace_t *t = NULL;
	struct hlsim_trace_counts n;
	uint64_t packets = 0, cs, j;
	uint32_t launches = 0;

	memset(s, 0, sizeof(*s));
	memset(regfile, 0, sizeof(regfile));
	snprintf(path, sizeof(path), "%s/%s.h5", scratch, name);
	CHECK(trc_gen_gemm(o, path, "test", &packets, &launches) == HLSIM_OK);
	CHECK(hlsim_trace_open(path, &t) == HLSIM_OK);
	if (!t)
		return;
	CHECK(!strcmp(hlsim_trace_device_info(t, 0)->asic, "gaudi"));
	CHECK(hlsim_trace_counts(t, 0, &n) == HLSIM_OK);
	CHECK_EQ_U64(n.cs, 2);
	CHECK_EQ_U64(n.waits, 2);
	for (cs = 0; cs < n.cs; cs++) {
		struct hlsim_trace_cs c;

		CHECK(hlsim_trace_read_cs(t, 0, cs, &c) == HLSIM_OK);
		CHECK_EQ_U64(c.seq, cs + 1);
		for (j = c.first_job; j < c.first_job + c.num_jobs; j++) {
			struct hlsim_trace_job job;
			const struct hlsim_blob *b = NULL;

			CHECK(hlsim_trace_read_job(t, 0, j, &job) == HLSIM_OK);
			CHECK(hlsim_trace_blob_get(t, 0, job.blob_id, &b) == HLSIM_OK);
			if (!b)
				continue;
			CHECK(job.cb_size <= b->size);
			walk_cb(t, s, job.queue_id, b->bytes, job.cb_size, cs, 0);
			hlsim_trace_blob_put(t, b);
		}
	}
	CHECK_EQ_U64(s->packets, packets);
	CHECK_EQ_U64(s->launches, launches);
	hlsim_trace_close(t);
}

/* The default bf16 4096^3: two launches of 4096 x 2048, read back exactly. */
static void test_default_trace(void)
{
	struct trc_gen_gemm_opts o;
	struct seen s;
	uint64_t a = F->props->dram_base + (256ull << 20), b = a + (32ull << 20);
	uint64_t out = b + (32ull << 20);
	uint32_t i;

	trc_gen_gemm_defaults(&o);
	gen_and_walk(&o, "default", &s);
	CHECK_EQ_U64(s.launches, 2);
	CHECK_EQ_U64(s.cmd_without_eb_mb, 0);
	for (i = 0; i < 2 && i < s.launches; i++) {
		const struct mdl_mme_gemm *g = &s.gemm[i];

		CHECK_EQ_U64(s.engine[i], gaudi_mme_layout.logical_engine[i]);
		CHECK_EQ_U64(g->m, 4096);
		CHECK_EQ_U64(g->n, 2048);
		CHECK_EQ_U64(g->k, 4096);
		CHECK(g->in_dtype == MDL_MME_BF16 && g->out_dtype == MDL_MME_BF16);
		CHECK_EQ_U64(g->addr[MDL_MME_S], a);
		CHECK_EQ_U64(g->addr[MDL_MME_L], b + 2048ull * 2 * i);
		CHECK_EQ_U64(g->addr[MDL_MME_O], out + 2048ull * 2 * i);
		CHECK_EQ_U64(g->pitch[MDL_MME_S], 4096);
		CHECK_EQ_U64(g->pitch[MDL_MME_L], 4096);
		CHECK_EQ_U64(g->pitch[MDL_MME_O], 4096);
		CHECK(!g->has_sync);
		CHECK(s.work_rc[i] == HLSIM_OK);
		CHECK(!strcmp(s.work[i].label, "gemm 4096x2048x4096 bf16"));
		CHECK_EQ_U64(s.work[i].flops, 2ull * 4096 * 2048 * 4096);
		CHECK_EQ_U64(s.work[i].traffic[0].addr, a);
		CHECK(!s.work[i].has_completion);
	}
	/* each MME job ends with SOB DONE += 1 (EB=1); the last job waits for both */
	CHECK_EQ_U64(s.sob_done_incs, 2);
	CHECK_EQ_U64(s.sob_done_incs_eb, 2);
	CHECK_EQ_U64(s.mon_arms, 1);
	CHECK_EQ_U64(s.mon_arm_values[0], 2);
	CHECK_EQ_U64(s.fences, 1);
	CHECK_EQ_U64(s.cp_dmas, 2);
	CHECK_EQ_U64(s.lin_dmas, 1); /* the program download only: operands resident */
}

/* --from-host --to-host --signal desc, transposed operands, slices and a split along M. */
static void test_variants(void)
{
	struct trc_gen_gemm_opts o;
	struct seen s;
	uint32_t i, rows = 0;

	trc_gen_gemm_defaults(&o);
	o.m = 9000;
	o.n = 1000;
	o.k = 300;
	o.transpose_a = o.transpose_b = 1;
	o.from_host = o.to_host = 1;
	o.signal_desc = 1;
	gen_and_walk(&o, "variants", &s);
	/* M is split over 2 MMEs (4608 + 4392 rows), each cut into 4096-row slices */
	CHECK_EQ_U64(s.launches, 4);
	for (i = 0; i < s.launches && i < 4; i++) {
		struct mdl_target t;

		CHECK_EQ_U64(s.gemm[i].n, 1000);
		CHECK_EQ_U64(s.gemm[i].k, 300);
		CHECK(s.gemm[i].transpose_s && s.gemm[i].transpose_l);
		CHECK_EQ_U64(s.gemm[i].pitch[MDL_MME_S], 9000);
		CHECK_EQ_U64(s.gemm[i].pitch[MDL_MME_L], 300);
		rows += s.gemm[i].m;
		CHECK(s.work_rc[i] == HLSIM_OK);
		CHECK(s.work[i].has_completion);
		F->classify_target(s.work[i].completion_addr, &t);
		CHECK(t.kind == MDL_TARGET_SOB && t.index == SOB_DONE);
		CHECK_EQ_U64(s.work[i].completion_data, 0x80000001u);
	}
	CHECK_EQ_U64(rows, 9000);
	CHECK_EQ_U64(s.gemm[0].m, 4096);
	CHECK_EQ_U64(s.gemm[1].m, 512);
	CHECK_EQ_U64(s.engine[0], 0);
	CHECK_EQ_U64(s.engine[2], 1);
	/* the second slice of MME 0 starts 4096 rows in: transposed A moves by 4096 elements */
	CHECK_EQ_U64(s.gemm[1].addr[MDL_MME_S] - s.gemm[0].addr[MDL_MME_S], 4096 * 2);
	CHECK_EQ_U64(s.gemm[1].addr[MDL_MME_O] - s.gemm[0].addr[MDL_MME_O], 4096ull * 1000 * 2);
	CHECK_EQ_U64(s.sob_done_incs, 0); /* the descriptors complete, not MSG_SHORTs */
	CHECK_EQ_U64(s.mon_arms, 3); /* one per MME on SOB IN, one on the 4 launches */
	CHECK_EQ_U64(s.mon_arm_values[0], 1);
	CHECK_EQ_U64(s.mon_arm_values[2], 4);
	CHECK_EQ_U64(s.fences, 3);
	CHECK_EQ_U64(s.sob_in_wr_comp, 1);
	/* download + A + B + O */
	CHECK_EQ_U64(s.lin_dmas, 4);
}

/* fp8 is programmed and read back; HL-205 refuses it, a Gaudi2 configuration runs it. */
static void test_fp8(void)
{
	struct trc_gen_gemm_opts o;
	struct mdl_mme_cfg keep = cfg;
	struct seen s;

	trc_gen_gemm_defaults(&o);
	o.m = o.n = o.k = 1024;
	o.dtype = MDL_MME_FP8;
	gen_and_walk(&o, "fp8", &s);
	CHECK_EQ_U64(s.launches, 2);
	CHECK(s.gemm[0].in_dtype == MDL_MME_FP8 && s.gemm[0].out_dtype == MDL_MME_BF16);
	CHECK(s.work_rc[0] == HLSIM_E_UNSUPPORTED);
	cfg.fp8_rate = 2;
	gen_and_walk(&o, "fp8", &s);
	CHECK(s.work_rc[0] == HLSIM_OK);
	CHECK(!strcmp(s.work[0].label, "gemm 1024x512x1024 fp8"));
	cfg = keep;
}

/* The cutting rule of trc_gen_gemm_plan. */
static void test_plan(void)
{
	static struct trc_gen_gemm_launch p[TRC_GEN_GEMM_MAX_LAUNCHES];
	struct trc_gen_gemm_opts o;
	uint32_t n = 0;

	trc_gen_gemm_defaults(&o);
	o.m = o.n = o.k = 8192;
	CHECK(trc_gen_gemm_plan(&o, 2, p, 64, &n) == HLSIM_OK);
	CHECK_EQ_U64(n, 4);
	CHECK(p[0].mme == 0 && p[0].m0 == 0 && p[0].n0 == 0 && p[0].m == 4096 && p[0].n == 4096);
	CHECK(p[1].mme == 0 && p[1].m0 == 4096 && p[1].n0 == 0);
	CHECK(p[2].mme == 1 && p[2].m0 == 0 && p[2].n0 == 4096);
	/* no slicing: one launch per MME */
	o.slice_rows = o.slice_cols = 0;
	CHECK(trc_gen_gemm_plan(&o, 2, p, 64, &n) == HLSIM_OK);
	CHECK_EQ_U64(n, 2);
	CHECK(p[1].m == 8192 && p[1].n == 4096);
	/* N = 1000 on 512-wide tiles: 512 + 488; N = 300: one tile, one MME */
	trc_gen_gemm_defaults(&o);
	o.m = 256;
	o.n = 1000;
	CHECK(trc_gen_gemm_plan(&o, 2, p, 64, &n) == HLSIM_OK);
	CHECK(n == 2 && p[0].n == 512 && p[1].n0 == 512 && p[1].n == 488);
	o.n = 300;
	CHECK(trc_gen_gemm_plan(&o, 2, p, 64, &n) == HLSIM_OK);
	CHECK(n == 1 && p[0].mme == 0 && p[0].n == 300);
	/* a slice limit is rounded down to the tile, and at least one tile */
	o.n = 4096;
	o.m = 2048;
	o.slice_rows = 1000;
	o.slice_cols = 100;
	CHECK(trc_gen_gemm_plan(&o, 2, p, 64, &n) == HLSIM_OK);
	CHECK(n == 32 && p[0].m == 512 && p[0].n == 512 && p[1].n0 == 512 && p[16].mme == 1);
	/* --mmes 1, and errors */
	trc_gen_gemm_defaults(&o);
	o.mmes = 1;
	CHECK(trc_gen_gemm_plan(&o, 2, p, 64, &n) == HLSIM_OK);
	CHECK(n == 1 && p[0].n == 4096);
	o.mmes = 3;
	CHECK(trc_gen_gemm_plan(&o, 2, p, 64, &n) == HLSIM_E_USAGE);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "has 2 MMEs");
	o.mmes = 0;
	o.slice_rows = o.slice_cols = 1;
	CHECK(trc_gen_gemm_plan(&o, 2, p, 16, &n) == HLSIM_E_USAGE);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "raise --slice");
	o.slice_rows = 0;
	o.k = 0;
	CHECK(trc_gen_gemm_plan(&o, 2, p, 64, &n) == HLSIM_E_USAGE);
}

static int run_main(const char *const *args, int n)
{
	char *argv[32];
	int i;

	for (i = 0; i < n; i++)
		argv[i] = (char *)args[i];
	argv[n] = NULL;
	hlsim_clear_error();
	return trc_gen_gemm_main(n, argv);
}

/* The command: its options and exit statuses. */
static void test_command(void)
{
	char path[128];
	const char *ok[] = { "gemm", "--m", "1K", "--n", "512", "--k", "64", "--dtype", "fp32",
			     "--slice", "256x512", "--tile", "128", "--geometry", "base",
			     "--signal", "desc", "--from-host", "-o", path };
	const char *no_k[] = { "gemm", "--m", "1", "--n", "1", "-o", path };
	const char *no_o[] = { "gemm", "--m", "1", "--n", "1", "--k", "1" };
	const char *bad_dt[] = { "gemm", "--m", "1", "--n", "1", "--k", "1", "--dtype", "int8",
				 "-o", path };
	const char *bad_n[] = { "gemm", "--m", "1x", "--n", "1", "--k", "1", "-o", path };
	const char *bad_geo[] = { "gemm", "--geometry", "round" };
	const char *bad_opt[] = { "gemm", "--nope" };
	const char *bad_asic[] = { "gemm", "--m", "1", "--n", "1", "--k", "1", "--asic", "goya",
				   "-o", path };
	const char *mmes[] = { "gemm", "--m", "1", "--n", "1", "--k", "1", "--mmes", "5",
			       "-o", path };
	const char *huge[] = { "gemm", "--m", "1M", "--n", "1M", "--k", "1M", "--slice", "0",
			       "-o", path };
	const char *help[] = { "gemm", "--help" };

	snprintf(path, sizeof(path), "%s/cmd.h5", scratch);
	CHECK(run_main(ok, 20) == 0);
	CHECK(access(path, R_OK) == 0);
	CHECK(run_main(no_k, 7) == 2);
	CHECK(run_main(no_o, 7) == 2);
	CHECK(run_main(bad_dt, 11) == 2);
	CHECK(run_main(bad_n, 9) == 2);
	CHECK(run_main(bad_geo, 3) == 2);
	CHECK(run_main(bad_opt, 2) == 2);
	CHECK(run_main(bad_asic, 11) == 1);
	CHECK(run_main(mmes, 11) == 2);
	CHECK(run_main(huge, 11) == 2); /* 2 TiB per operand: more than the HBM */
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "user HBM");
	CHECK(run_main(help, 2) == 0);
}

int main(void)
{
	hlsim_config_t *c = NULL;

	snprintf(scratch, sizeof(scratch), "/tmp/hlsim-test-mme-gen-XXXXXX");
	if (!mkdtemp(scratch) || mdl_asic_by_name("gaudi", &F) || hlsim_config_defaults(&c) ||
	    mdl_mme_cfg_load(c, &cfg)) {
		fprintf(stderr, "setup: %s\n", hlsim_last_error_detail());
		return 1;
	}
	hlsim_config_free(c);
	test_default_trace();
	test_variants();
	test_fp8();
	test_plan();
	test_command();
	{
		char cmd[160];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", scratch);
		CHECK(system(cmd) == 0);
	}
	return check_summary();
}
