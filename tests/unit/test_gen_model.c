/*
 * tests/unit/test_gen_model.c - `hlsim gen attention` and `hlsim gen transformer`
 * (traces/gen/gen_model.c): each trace replays with `hlsim run` (gaudi and gaudi2), and
 * the FLOPs summed over the results' LAUNCH records equal the analytic count computed
 * here independently (per query row for causal attention); doubling the sequence
 * quadruples the attention's score FLOPs; causal attention does about half the work;
 * fp8 is refused on gaudi; a 2-layer transformer writes two groups of 12 operations
 * and its FLOPs match; both commands have --help.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hlsim/results.h"
#include "models/common/asic.h"
#include "tests/unit/check.h"
#include "tests/unit/tracebuild.h"
#include "traces/gen/gen_model.h"

/* The LAUNCH records of a run: FLOPs in all, launches per engine class. */
struct sums {
	uint64_t flops, launches[MDL_ENGINE_CLASS_COUNT_];
};

static void run_sum(const char *trace, const char *dir, const char *config, struct sums *r)
{
	char path[600], args[128], err[4096];
	hlsim_results_t *res = NULL;
	struct hlsim_rec rec[256];
	uint64_t first = 0;
	size_t n, i;

	memset(r, 0, sizeof(*r));
	snprintf(args, sizeof(args), "--config %s", config);
	CHECK_EQ_U64(tb_run(trace, dir, args, err, sizeof(err)), 0);
	if (err[0])
		fprintf(stderr, "%s: %s", trace, err);
	snprintf(path, sizeof(path), "%s/results.h5", dir);
	if (hlsim_results_open(path, &res)) {
		fprintf(stderr, "%s: %s\n", path, hlsim_last_error_detail());
		CHECK(0);
		return;
	}
	while (!hlsim_results_read(res, first, rec, 256, &n) && n) {
		for (i = 0; i < n; i++) {
			if (rec[i].kind != HLSIM_REC_LAUNCH)
				continue;
			r->flops += rec[i].flops;
			if (rec[i].aux < MDL_ENGINE_CLASS_COUNT_)
				r->launches[rec[i].aux]++;
		}
		first += n;
	}
	hlsim_results_close(res);
}

/*
 * Attention FLOPs, counted per query row q of each head: Q.K^T and P.V each 2 x keys(q)
 * x D, softmax 5 x (q + 1) when causal (keys(q) = the end of q's block of C rows), else
 * 4 S D + 5 S per row.
 */
static uint64_t attention_flops(uint64_t B, uint64_t H, uint64_t S, uint64_t D, int causal,
				uint64_t C)
{
	uint64_t q, per_head = 0;

	for (q = 0; q < S; q++) {
		uint64_t keys = causal ? (q / C + 1) * C : S;

		if (keys > S)
			keys = S;
		per_head += 2 * (2 * keys * D) + 5 * (causal ? q + 1 : S);
	}
	return B * H * per_head;
}

static const char *config_of(const char *asic)
{
	return !strcmp(asic, "gaudi2") ? "gaudi2_hl225" : "gaudi_hl205";
}

/* Generate and replay attention; the results' FLOPs into *@flops. */
static void attention(const char *asic, const char *dtype, uint64_t B, uint64_t H, uint64_t S,
		      uint64_t D, int causal, uint32_t C, uint64_t *flops)
{
	struct trc_gen_model_opts o;
	struct trc_gen_model_stats st;
	struct sums r;
	char trace[96], dir[96];
	uint64_t want = attention_flops(B, H, S, D, causal, C ? C : (S < 256 ? S : 256));
	hlsim_err_t rc;

	trc_gen_model_defaults(&o);
	o.asic = asic;
	o.dtype = dtype;
	o.batch = B;
	o.heads = H;
	o.seq = S;
	o.head_dim = D;
	o.causal = (uint8_t)causal;
	o.causal_block = C;
	snprintf(trace, sizeof(trace), "gm_attn_%s_%s_%" PRIu64 "_%d.h5", asic, dtype, S, causal);
	snprintf(dir, sizeof(dir), "gm_attn_%s_%s_%" PRIu64 "_%d.out", asic, dtype, S, causal);
	rc = trc_gen_attention(&o, trace, "test", &st);
	if (rc)
		fprintf(stderr, "%s: %s\n", trace, hlsim_last_error_detail());
	CHECK(rc == HLSIM_OK);
	*flops = 0;
	if (rc)
		return;
	CHECK_EQ_U64(st.ops.flops, want);
	CHECK_EQ_U64(st.score_flops, want);
	CHECK_EQ_U64(trc_gen_attention_flops(&o), want);
	run_sum(trace, dir, config_of(asic), &r);
	CHECK_EQ_U64(r.flops, want);
	CHECK(r.launches[MDL_ENGINE_MME] >= 2);
	CHECK(r.launches[MDL_ENGINE_TPC] >= 1);
	*flops = r.flops;
}

static void test_attention(void)
{
	struct trc_gen_model_opts o;
	uint64_t f1, f2, fc;

	/* doubling the sequence quadruples the score FLOPs */
	attention("gaudi", "bf16", 2, 3, 256, 64, 0, 0, &f1);
	attention("gaudi", "bf16", 2, 3, 512, 64, 0, 0, &f2);
	CHECK_EQ_U64(f2, 4 * f1);
	attention("gaudi2", "bf16", 1, 4, 512, 128, 0, 0, &f1);
	attention("gaudi2", "bf16", 1, 4, 1024, 128, 0, 0, &f2);
	CHECK_EQ_U64(f2, 4 * f1);

	/* causal: blocks above the diagonal skipped, about half the work */
	attention("gaudi2", "bf16", 1, 4, 1024, 128, 1, 128, &fc);
	CHECK(fc * 2 > f2 && fc * 16 < f2 * 9); /* (8 + 1) / (2 x 8) of the GEMMs */
	attention("gaudi", "fp32", 1, 2, 300, 64, 1, 128, &fc); /* a partial last block */
	attention("gaudi2", "fp8", 2, 2, 256, 64, 1, 0, &fc);
	attention("gaudi2", "fp32", 1, 2, 256, 32, 0, 0, &fc);

	/* fp8 needs Gaudi2; shapes out of range */
	trc_gen_model_defaults(&o);
	o.dtype = "fp8";
	CHECK(trc_gen_attention(&o, "gm_bad.h5", "t", NULL) == HLSIM_E_USAGE);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "fp8");
	o.dtype = "bf16";
	o.seq = 65536;
	o.heads = 2;
	CHECK(trc_gen_attention(&o, "gm_bad.h5", "t", NULL) == HLSIM_E_USAGE);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "2^32-1");
	o.seq = 128;
	o.causal = 1;
	o.causal_block = 129;
	CHECK(trc_gen_attention(&o, "gm_bad.h5", "t", NULL) == HLSIM_E_USAGE);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "--causal-block 129");
}

/* Per layer: two layernorms, QKV, attention, projection, residuals, MLP with GELU. */
static uint64_t layer_flops(uint64_t B, uint64_t S, uint64_t h, uint64_t H, uint64_t r,
			    int causal)
{
	uint64_t T = B * S;

	return 2 * 8 * T * h /* ln1, ln2 */ + 2 * T * 3 * h * h /* qkv */ +
	       attention_flops(B, H, S, h / H, causal, S < 256 ? S : 256) +
	       2 * T * h * h /* proj */ + 2 * T * h /* residual adds */ +
	       2 * 2 * T * r * h * h /* up, down */ + 8 * T * r * h /* GELU */;
}

static void transformer(const char *asic, int causal)
{
	struct trc_gen_model_opts o;
	struct trc_gen_model_stats st;
	struct sums r;
	char trace[96], dir[96];
	uint64_t want = 2 * layer_flops(2, 128, 256, 4, 4, causal);
	hlsim_err_t rc;

	trc_gen_model_defaults(&o);
	o.asic = asic;
	o.hidden = 256;
	o.heads = 4;
	o.seq = 128;
	o.batch = 2;
	o.mlp_ratio = 4;
	o.layers = 2;
	o.causal = (uint8_t)causal;
	snprintf(trace, sizeof(trace), "gm_tf_%s_%d.h5", asic, causal);
	snprintf(dir, sizeof(dir), "gm_tf_%s_%d.out", asic, causal);
	rc = trc_gen_transformer(&o, trace, "test", &st);
	if (rc)
		fprintf(stderr, "%s: %s\n", trace, hlsim_last_error_detail());
	CHECK(rc == HLSIM_OK);
	if (rc)
		return;
	CHECK_EQ_U64(st.ops.ops, 2 * TRC_GEN_LAYER_OPS);
	CHECK_EQ_U64(st.ops.flops, want);
	o.head_dim = o.hidden / o.heads;
	CHECK_EQ_U64(trc_gen_transformer_flops(&o), want);
	run_sum(trace, dir, config_of(asic), &r);
	CHECK_EQ_U64(r.flops, want);
	/* per layer: 6 TPC operations, 5 GEMMs */
	CHECK_EQ_U64(r.launches[MDL_ENGINE_TPC], st.ops.tpc_launches);
	CHECK_EQ_U64(r.launches[MDL_ENGINE_MME], st.ops.mme_launches);
}

static void test_transformer(void)
{
	struct trc_gen_model_opts o;

	transformer("gaudi", 0);
	transformer("gaudi2", 0);
	transformer("gaudi2", 1);
	trc_gen_model_defaults(&o);
	o.hidden = 1000;
	o.heads = 16;
	CHECK(trc_gen_transformer(&o, "gm_bad.h5", "t", NULL) == HLSIM_E_USAGE);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "multiple of heads");
}

static void test_commands(void)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd),
		 "'%s' gen attention --help | grep -q 'usage: hlsim gen attention'", HLSIM_EXE);
	CHECK(system(cmd) == 0);
	snprintf(cmd, sizeof(cmd),
		 "'%s' gen transformer --help | grep -q 'usage: hlsim gen transformer'", HLSIM_EXE);
	CHECK(system(cmd) == 0);
	snprintf(cmd, sizeof(cmd),
		 "'%s' gen transformer --layers 2 --hidden 128 --heads 2 --seq 64 --asic gaudi2 "
		 "-o gm_cmd.h5 | grep -q '24 operations'",
		 HLSIM_EXE);
	CHECK(system(cmd) == 0);
	snprintf(cmd, sizeof(cmd), "'%s' gen attention --bogus 1 -o x.h5 2>/dev/null", HLSIM_EXE);
	CHECK(WEXITSTATUS(system(cmd)) == 2);
}

int main(void)
{
	test_attention();
	test_transformer();
	test_commands();
	return check_summary();
}
