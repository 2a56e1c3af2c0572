/*
 * tests/unit/test_gen_gemm_stage.c - SRAM staging of `hlsim gen gemm` (--stage sram,
 * traces/gen/gen_gemm.c "SRAM staging"), on gaudi and gaudi2:
 *   - the staged trace decodes (`hlsim disasm`) and replays (`hlsim run`) without
 *     deadlock; its LAUNCH records' FLOPs are exactly 2 M N K, as the unstaged trace's;
 *   - every launch's traffic goes to SRAM (launch_traffic: no HBM byte, SRAM bytes > 0);
 *   - HBM bytes moved by the staging DMAs (CS seq 2), exactly, for M = N = 1024, K = 512
 *     bf16 in 256 x 256 stage tiles on both MMEs (N split: each MME has all M rows and
 *     N / 2 columns, walked row-major, so its A row panel is copied once per tile row
 *     and a B column panel at every launch, as its two column tiles alternate):
 *       A: U x M x K x 2 = 2 x 1024 x 512 x 2            = 2 MiB  (U = 2 MMEs)
 *       B: (M / 256) x K x N x 2 = 4 x 512 x 1024 x 2     = 4 MiB
 *       O: M x N x 2                                      = 2 MiB
 *     8 MiB in all, and trc_gen_gemm_stage_plan() reports the same reads and writes;
 *     for a transposed, ragged shape the DMA bytes equal the plan's count;
 *   - the pipeline is real: gaudi2, M = N = K = 2048 bf16, 256 x 256 tiles, at
 *     hbm.bandwidth = 0.6 TB/s the MMEs' compute (about 70 us per MME) is about half of
 *     the staging DMAs' HBM time; the span from the first staging DMA to the last must be
 *     within 15 % of that HBM time, the lower bound (bytes / bandwidth). Without the
 *     overlap the span would be the sum, about 1.45 times the bound;
 *   - bad values: a --stage-tile whose buffers exceed the user SRAM and a K too large
 *     to stage at all: HLSIM_E_USAGE naming the sizes;
 *   - workload files (`[graph] stage = sram`, per-op `stage = hbm`, gen_graph.c and
 *     gen_ops.c), gaudi and gaudi2: an attention chain of three staged GEMMs around a
 *     softmax plus an unstaged GEMM decodes and replays; FLOPs equal the operations'
 *     analytic sum; the DMA bytes equal the staged GEMMs' trc_gen_gemm_stage_plan()
 *     counts (the only DMAs after the download); a staged GEMM's first copy starts
 *     after the softmax it depends on has ended, and the next staged GEMM's copies
 *     start after the previous one's last copy (dependency, and SRAM reuse alone for
 *     an independent staged GEMM); a batched
 *     GEMM with stage = sram is refused.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hlsim/error.h"
#include "hlsim/results.h"
#include "tests/unit/check.h"
#include "traces/gen/gen_gemm.h"
#include "traces/gen/gen_ops.h"

/* What a run's results hold. */
struct run {
	int ok;
	uint64_t flops, launches, dma_bytes, dma_first_ps, dma_last_ps;
	uint64_t launch_hbm_bytes, launch_sram_bytes, traffic_rows;
};

/* `hlsim disasm` and `hlsim run` @trace (gaudi2: its card) with @sets, read the results. */
static void run_trace(const char *asic, const char *trace, const char *dir, const char *sets,
		      struct run *r)
{
	char cmd[1200], path[600];
	hlsim_results_t *res = NULL;
	struct hlsim_rec rec[256];
	struct hlsim_launch_traffic lt[64];
	uint64_t first = 0;
	size_t n, i;

	memset(r, 0, sizeof(*r));
	r->dma_first_ps = UINT64_MAX;
	snprintf(cmd, sizeof(cmd), "'%s' disasm '%s' > /dev/null", HLSIM_EXE, trace);
	CHECK(system(cmd) == 0);
	snprintf(cmd, sizeof(cmd),
		 "'%s' run '%s' -o '%s' --no-plot --no-progress %s %s > /dev/null", HLSIM_EXE,
		 trace, dir, strcmp(asic, "gaudi2") ? "" : "--config gaudi2_hl225", sets);
	if (system(cmd) != 0) {
		fprintf(stderr, "run of %s failed\n", trace);
		CHECK(0);
		return;
	}
	snprintf(path, sizeof(path), "%s/results.h5", dir);
	if (hlsim_results_open(path, &res)) {
		fprintf(stderr, "%s: %s\n", path, hlsim_last_error_detail());
		CHECK(0);
		return;
	}
	while (!hlsim_results_read(res, first, rec, 256, &n) && n) {
		for (i = 0; i < n; i++) {
			const struct hlsim_rec *x = &rec[i];

			if (x->kind == HLSIM_REC_LAUNCH) {
				r->flops += x->flops;
				r->launches++;
			} else if (x->kind == HLSIM_REC_DMA && x->cs_seq >= 2) {
				r->dma_bytes += x->bytes;
				if (x->start_ps < r->dma_first_ps)
					r->dma_first_ps = x->start_ps;
				if (x->end_ps > r->dma_last_ps)
					r->dma_last_ps = x->end_ps;
			}
		}
		first += n;
	}
	first = 0;
	while (!hlsim_results_read_launch_traffic(res, first, lt, 64, &n) && n) {
		for (i = 0; i < n; i++) {
			r->launch_hbm_bytes += lt[i].hbm_bytes;
			r->launch_sram_bytes += lt[i].sram_bytes;
			r->traffic_rows++;
		}
		first += n;
	}
	hlsim_results_close(res);
	r->ok = 1;
}

/* Staged M = N = 1024, K = 512 bf16 on @asic: FLOPs, SRAM traffic, the bytes formula. */
static void test_exact(const char *asic)
{
	struct trc_gen_gemm_opts o;
	struct trc_gen_gemm_stage st;
	char t[128], d[128];
	struct run r;
	uint32_t launches = 0;
	const uint64_t M = 1024, N = 1024, K = 512, U = 2, T = 256, S = 2;

	trc_gen_gemm_defaults(&o);
	o.asic = asic;
	o.m = (uint32_t)M;
	o.n = (uint32_t)N;
	o.k = (uint32_t)K;
	o.stage_sram = 1;
	o.stage_rows = o.stage_cols = (uint32_t)T;
	CHECK(trc_gen_gemm_stage_plan(&o, &st) == HLSIM_OK);
	CHECK_EQ_U64(st.mmes, U);
	CHECK_EQ_U64(st.launches, (M / T) * (N / T));
	CHECK_EQ_U64(st.a_loads, U * (M / T));
	CHECK_EQ_U64(st.b_loads, (M / T) * (N / T));
	CHECK_EQ_U64(st.hbm_read_bytes, U * M * K * S + (M / T) * K * N * S);
	CHECK_EQ_U64(st.hbm_write_bytes, M * N * S);
	snprintf(t, sizeof(t), "gen_gemm_stage_%s.h5", asic);
	snprintf(d, sizeof(d), "gen_gemm_stage_%s.out", asic);
	CHECK(trc_gen_gemm(&o, t, "test", NULL, &launches) == HLSIM_OK);
	CHECK_EQ_U64(launches, st.launches);
	run_trace(asic, t, d, "", &r);
	if (!r.ok)
		return;
	CHECK_EQ_U64(r.flops, 2 * M * N * K);
	CHECK_EQ_U64(r.launches, st.launches);
	CHECK_EQ_U64(r.dma_bytes, 8ull << 20);
	CHECK_EQ_U64(r.dma_bytes, st.hbm_read_bytes + st.hbm_write_bytes);
	CHECK_EQ_U64(r.traffic_rows, st.launches);
	CHECK_EQ_U64(r.launch_hbm_bytes, 0);
	CHECK(r.launch_sram_bytes >= (M * K + K * N + M * N) * S);
}

/* Transposed operands, ragged tiles, the chosen tile: FLOPs and DMA bytes still exact. */
static void test_ragged(const char *asic)
{
	struct trc_gen_gemm_opts o;
	struct trc_gen_gemm_stage st;
	char t[128], d[128];
	struct run r;

	trc_gen_gemm_defaults(&o);
	o.asic = asic;
	o.m = 700;
	o.n = 520;
	o.k = 200;
	o.transpose_a = 1;
	o.transpose_b = 1;
	o.stage_sram = 1;
	CHECK(trc_gen_gemm_stage_plan(&o, &st) == HLSIM_OK);
	CHECK(st.tile_rows % 128 == 0 && st.tile_rows == st.tile_cols);
	CHECK(st.sram_bytes > 0);
	snprintf(t, sizeof(t), "gen_gemm_stage_rag_%s.h5", asic);
	snprintf(d, sizeof(d), "gen_gemm_stage_rag_%s.out", asic);
	CHECK(trc_gen_gemm(&o, t, "test", NULL, NULL) == HLSIM_OK);
	run_trace(asic, t, d, "", &r);
	if (!r.ok)
		return;
	CHECK_EQ_U64(r.flops, 2ull * 700 * 520 * 200);
	CHECK_EQ_U64(r.dma_bytes, st.hbm_read_bytes + st.hbm_write_bytes);
	CHECK_EQ_U64(st.hbm_write_bytes, 700ull * 520 * 2);
	CHECK_EQ_U64(r.launch_hbm_bytes, 0);
}

/* Gaudi2 at a low HBM bandwidth: the staged pipeline runs at the DMAs' HBM time. */
static void test_bound(void)
{
	struct trc_gen_gemm_opts o;
	struct trc_gen_gemm_stage st;
	struct run r;
	const double bw = 0.6e12;
	double bound_ps, span_ps;

	trc_gen_gemm_defaults(&o);
	o.asic = "gaudi2";
	o.m = o.n = o.k = 2048;
	o.stage_sram = 1;
	o.stage_rows = o.stage_cols = 256;
	CHECK(trc_gen_gemm_stage_plan(&o, &st) == HLSIM_OK);
	CHECK(trc_gen_gemm(&o, "gen_gemm_stage_bw.h5", "test", NULL, NULL) == HLSIM_OK);
	run_trace("gaudi2", "gen_gemm_stage_bw.h5", "gen_gemm_stage_bw.out",
		  "--set hbm.bandwidth=0.6TB/s", &r);
	if (!r.ok)
		return;
	CHECK_EQ_U64(r.flops, 2ull * 2048 * 2048 * 2048);
	bound_ps = (double)(st.hbm_read_bytes + st.hbm_write_bytes) / bw * 1e12;
	span_ps = (double)(r.dma_last_ps - r.dma_first_ps);
	printf("gaudi2 2048^3 staged at 0.6 TB/s: %" PRIu64 " HBM bytes, bound %.1f us, staged "
	       "span %.1f us (%.3f of the bound)\n",
	       st.hbm_read_bytes + st.hbm_write_bytes, bound_ps * 1e-6, span_ps * 1e-6,
	       span_ps / bound_ps);
	CHECK(r.dma_last_ps > r.dma_first_ps);
	CHECK(span_ps >= bound_ps * 0.999);
	CHECK(span_ps <= bound_ps * 1.15);
}

static void test_bad(void)
{
	struct trc_gen_gemm_opts o;
	struct trc_gen_gemm_stage st;

	trc_gen_gemm_defaults(&o);
	o.stage_sram = 1;
	o.m = o.n = o.k = 4096;
	o.stage_rows = o.stage_cols = 2048; /* 2 MMEs x 2 x (16 + 16 + 8 MiB) > 20 MiB */
	CHECK(trc_gen_gemm_stage_plan(&o, &st) == HLSIM_E_USAGE);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "user SRAM");
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "--stage-tile");
	CHECK(trc_gen_gemm(&o, "gen_gemm_stage_bad.h5", "test", NULL, NULL) == HLSIM_E_USAGE);
	o.stage_rows = o.stage_cols = 0;
	o.k = 1u << 20; /* a 128-row A panel of K = 1 Mi bf16 is 256 MiB */
	CHECK(trc_gen_gemm_stage_plan(&o, &st) == HLSIM_E_USAGE);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "cannot accumulate");
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "K=1048576");
}

/* Per CS seq of a run: first DMA start, last DMA end, last LAUNCH end; totals. */
struct seqrun {
	int ok;
	uint64_t flops, dma_bytes, sram_bytes;
	uint64_t dma_first[8], dma_last[8], launch_last[8];
};

static void run_graph_trace(const char *asic, const char *trace, const char *dir,
			    struct seqrun *r)
{
	char cmd[1200], path[600];
	hlsim_results_t *res = NULL;
	struct hlsim_rec rec[256];
	struct hlsim_launch_traffic lt[64];
	uint64_t first = 0;
	size_t n, i;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < 8; i++)
		r->dma_first[i] = UINT64_MAX;
	snprintf(cmd, sizeof(cmd), "'%s' disasm '%s' > /dev/null", HLSIM_EXE, trace);
	CHECK(system(cmd) == 0);
	snprintf(cmd, sizeof(cmd), "'%s' run '%s' -o '%s' --no-plot --no-progress %s > /dev/null",
		 HLSIM_EXE, trace, dir, strcmp(asic, "gaudi2") ? "" : "--config gaudi2_hl225");
	if (system(cmd) != 0) {
		fprintf(stderr, "run of %s failed\n", trace);
		CHECK(0);
		return;
	}
	snprintf(path, sizeof(path), "%s/results.h5", dir);
	if (hlsim_results_open(path, &res)) {
		CHECK(0);
		return;
	}
	while (!hlsim_results_read(res, first, rec, 256, &n) && n) {
		for (i = 0; i < n; i++) {
			const struct hlsim_rec *x = &rec[i];
			uint64_t q = x->cs_seq < 8 ? x->cs_seq : 7;

			if (x->kind == HLSIM_REC_LAUNCH) {
				r->flops += x->flops;
				if (x->end_ps > r->launch_last[q])
					r->launch_last[q] = x->end_ps;
			} else if (x->kind == HLSIM_REC_DMA && x->cs_seq >= 2) {
				r->dma_bytes += x->bytes;
				if (x->start_ps < r->dma_first[q])
					r->dma_first[q] = x->start_ps;
				if (x->end_ps > r->dma_last[q])
					r->dma_last[q] = x->end_ps;
			}
		}
		first += n;
	}
	first = 0;
	while (!hlsim_results_read_launch_traffic(res, first, lt, 64, &n) && n) {
		for (i = 0; i < n; i++)
			r->sram_bytes += lt[i].sram_bytes;
		first += n;
	}
	hlsim_results_close(res);
	r->ok = 1;
}

/* The staging bytes `gen gemm --stage sram` gives GEMM @op of a graph on @asic. */
static uint64_t staged_bytes(const char *asic, const struct trc_gen_op *op)
{
	struct trc_gen_gemm_opts o;
	struct trc_gen_gemm_stage st;

	trc_gen_gemm_defaults(&o);
	o.asic = asic;
	o.m = (uint32_t)op->m;
	o.n = (uint32_t)op->n;
	o.k = (uint32_t)op->k;
	o.transpose_a = op->transpose_a;
	o.transpose_b = op->transpose_b;
	o.stage_sram = 1;
	if (trc_gen_gemm_stage_plan(&o, &st)) {
		CHECK(0);
		return 0;
	}
	return st.hbm_read_bytes + st.hbm_write_bytes;
}

/*
 * A workload file with staged GEMMs (CS seqs: qk 2, softmax 3, pv 4, proj 5, side 6,
 * side2 7; side2 depends on nothing but is staged, so it waits for proj's SRAM).
 */
static void test_graph(const char *asic)
{
	static const char *const text =
		"[graph]\nstage = sram\n\n"
		"[op qk]\nkind = gemm\nm = 1024\nn = 1024\nk = 128\ntranspose_b = 1\n\n"
		"[op softmax]\nkind = softmax\nrows = 1024\ncols = 1024\nafter = qk\n\n"
		"[op pv]\nkind = gemm\nm = 1024\nn = 128\nk = 1024\nafter = softmax\n\n"
		"[op proj]\nkind = gemm\nm = 1024\nn = 512\nk = 128\nafter = pv\n\n"
		"[op side]\nkind = gemm\nm = 512\nn = 512\nk = 512\nstage = hbm\n\n"
		"[op side2]\nkind = gemm\nm = 512\nn = 256\nk = 256\n";
	struct trc_gen_ops_opts o;
	struct trc_gen_ops_stats st;
	struct trc_gen_op *ops = NULL;
	char gpath[128], t[128], d[128];
	uint64_t flops = 0, bytes = 0;
	struct seqrun r;
	uint32_t n = 0, i;
	FILE *f;

	snprintf(gpath, sizeof(gpath), "gen_gemm_stage_%s.graph", asic);
	snprintf(t, sizeof(t), "gen_gemm_stage_graph_%s.h5", asic);
	snprintf(d, sizeof(d), "gen_gemm_stage_graph_%s.out", asic);
	f = fopen(gpath, "w");
	CHECK(f != NULL);
	if (!f)
		return;
	fputs(text, f);
	fclose(f);
	trc_gen_ops_defaults(&o);
	CHECK(trc_gen_graph_parse(gpath, &o, &ops, &n) == HLSIM_OK);
	if (!ops)
		return;
	o.asic = asic;
	CHECK_EQ_U64(o.stage_sram, 1);
	CHECK_EQ_U64(n, 6);
	CHECK_EQ_U64(ops[4].stage, TRC_GEN_STAGE_HBM);
	for (i = 0; i < n; i++) {
		flops += trc_gen_op_flops(&ops[i]);
		if (ops[i].kind == TRC_GEN_OP_GEMM && ops[i].stage != TRC_GEN_STAGE_HBM)
			bytes += staged_bytes(asic, &ops[i]);
	}
	CHECK(trc_gen_ops(&o, ops, n, t, "test", &st) == HLSIM_OK);
	CHECK_EQ_U64(st.flops, flops);
	CHECK_EQ_U64(st.dma_bytes, bytes);
	run_graph_trace(asic, t, d, &r);
	if (r.ok) {
		CHECK_EQ_U64(r.flops, flops);
		CHECK_EQ_U64(r.dma_bytes, bytes);
		CHECK(r.sram_bytes > 0);
		CHECK(r.dma_first[4] != UINT64_MAX && r.launch_last[3] > 0);
		CHECK(r.dma_first[4] >= r.launch_last[3]); /* pv's copies after the softmax */
		CHECK(r.dma_first[5] >= r.dma_last[4]); /* proj after pv, same SRAM */
		CHECK(r.dma_first[6] == UINT64_MAX); /* side reads HBM: no copies */
		CHECK(r.dma_first[7] != UINT64_MAX && r.dma_last[5] > 0);
		CHECK(r.dma_first[7] >= r.dma_last[5]); /* side2: after proj, same SRAM */
	}
	/* batched GEMMs are not staged */
	ops[2].batch = 4;
	CHECK(trc_gen_ops(&o, ops, n, t, "test", &st) == HLSIM_E_USAGE);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "not staged");
	free(ops);
}

int main(void)
{
	test_exact("gaudi");
	test_exact("gaudi2");
	test_ragged("gaudi");
	test_ragged("gaudi2");
	test_bound();
	test_bad();
	test_graph("gaudi");
	test_graph("gaudi2");
	return check_summary();
}
