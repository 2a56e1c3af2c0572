/*
 * tests/unit/test_gen_model_bwd.c - `hlsim gen transformer --backward` and `hlsim gen
 * attention --backward` (traces/gen/gen_model.c): the traces replay with `hlsim run`
 * (gaudi and gaudi2, so without deadlock), and the FLOPs summed over the results'
 * LAUNCH records equal forward + backward counted here independently, operation by
 * operation (causal attention per query or key row); for a GEMM-dominated shape the
 * backward is about twice the forward (the exact ratio below); a backward whose kept
 * activations exceed HBM is refused.
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

/* The FLOPs of a run's LAUNCH records and its MME and TPC launches. */
static uint64_t run_flops(const char *trace, const char *dir, const char *config,
			  uint64_t *mme, uint64_t *tpc)
{
	char path[600], args[128], err[4096];
	hlsim_results_t *res = NULL;
	struct hlsim_rec rec[256];
	uint64_t first = 0, flops = 0;
	size_t n, i;

	*mme = *tpc = 0;
	snprintf(args, sizeof(args), "--config %s", config);
	CHECK_EQ_U64(tb_run(trace, dir, args, err, sizeof(err)), 0);
	if (err[0])
		fprintf(stderr, "%s: %s", trace, err);
	snprintf(path, sizeof(path), "%s/results.h5", dir);
	if (hlsim_results_open(path, &res)) {
		fprintf(stderr, "%s: %s\n", path, hlsim_last_error_detail());
		CHECK(0);
		return 0;
	}
	while (!hlsim_results_read(res, first, rec, 256, &n) && n) {
		for (i = 0; i < n; i++) {
			if (rec[i].kind != HLSIM_REC_LAUNCH)
				continue;
			flops += rec[i].flops;
			*mme += rec[i].aux == MDL_ENGINE_MME;
			*tpc += rec[i].aux == MDL_ENGINE_TPC;
		}
		first += n;
	}
	hlsim_results_close(res);
	return flops;
}

/*
 * Attention per head, counted row by row: forward Q.K^T and P.V over the keys a query
 * row q sees (causal: to the end of q's block of C rows) and softmax 5 per unmasked
 * element; backward dP and dQ as the forward's two GEMMs, dV and dK per key row j over
 * the queries from the start of j's block, softmax backward 5 per unmasked element.
 */
static void attention_flops(uint64_t S, uint64_t D, int causal, uint64_t C, uint64_t *fwd,
			    uint64_t *bwd)
{
	uint64_t q, f = 0, b = 0;

	for (q = 0; q < S; q++) {
		uint64_t keys = causal ? (q / C + 1) * C : S;
		uint64_t queries = causal ? S - (q / C) * C : S; /* row q as a key row */
		uint64_t sm = 5 * (causal ? q + 1 : S);

		if (keys > S)
			keys = S;
		f += 2 * (2 * keys * D) + sm;
		b += 2 * (2 * keys * D) + 2 * (2 * queries * D) + sm;
	}
	*fwd = f;
	*bwd = b;
}

/*
 * One layer, forward and backward, per operation. Forward: ln 8/element (x2), GEMMs
 * qkv, proj, up, down, GELU 8/element, residual adds 1/element. Backward: each GEMM's
 * dX and dW (2 x its forward), layernorm backward 16/element (x2), GELU backward
 * 18/element, residual gradient adds 1/element (x2), attention backward.
 */
static void layer_flops(uint64_t B, uint64_t S, uint64_t h, uint64_t H, uint64_t r, int causal,
			uint64_t *fwd, uint64_t *bwd)
{
	uint64_t T = B * S, af, ab;
	uint64_t gemm = 2 * T * 3 * h * h + 2 * T * h * h + 2 * 2 * T * r * h * h;

	attention_flops(S, h / H, causal, S < 256 ? S : 256, &af, &ab);
	*fwd = 2 * 8 * T * h + gemm + B * H * af + 2 * T * h + 8 * T * r * h;
	*bwd = 2 * 16 * T * h + 2 * gemm + B * H * ab + 2 * T * h + 18 * T * r * h;
}

static void opts(struct trc_gen_model_opts *o, const char *asic, uint64_t B, uint64_t S,
		 uint64_t h, uint64_t H, uint64_t L, int causal)
{
	trc_gen_model_defaults(o);
	o->asic = asic;
	o->batch = B;
	o->seq = S;
	o->hidden = h;
	o->heads = H;
	o->mlp_ratio = 4;
	o->layers = L;
	o->causal = (uint8_t)causal;
	o->backward = 1;
}

static const char *config_of(const char *asic)
{
	return !strcmp(asic, "gaudi2") ? "gaudi2_hl225" : "gaudi_hl205";
}

static void transformer(const char *asic, uint64_t B, uint64_t S, uint64_t h, uint64_t H,
			int causal)
{
	struct trc_gen_model_opts o;
	struct trc_gen_model_stats st;
	uint64_t f, b, got, mme, tpc;
	char trace[96], dir[96];
	hlsim_err_t rc;

	layer_flops(B, S, h, H, 4, causal, &f, &b);
	opts(&o, asic, B, S, h, H, 2, causal);
	snprintf(trace, sizeof(trace), "gmb_tf_%s_%" PRIu64 "_%d.h5", asic, h, causal);
	snprintf(dir, sizeof(dir), "gmb_tf_%s_%" PRIu64 "_%d.out", asic, h, causal);
	rc = trc_gen_transformer(&o, trace, "test", &st);
	if (rc)
		fprintf(stderr, "%s: %s\n", trace, hlsim_last_error_detail());
	CHECK(rc == HLSIM_OK);
	if (rc)
		return;
	CHECK_EQ_U64(st.ops.ops, 2 * (TRC_GEN_LAYER_OPS + TRC_GEN_LAYER_BWD_OPS));
	CHECK_EQ_U64(st.ops.flops, 2 * (f + b));
	o.head_dim = h / H;
	CHECK_EQ_U64(trc_gen_transformer_flops(&o), 2 * f);
	CHECK_EQ_U64(trc_gen_transformer_bwd_flops(&o), 2 * b);
	CHECK(st.saved_bytes > 0);
	got = run_flops(trace, dir, config_of(asic), &mme, &tpc);
	CHECK_EQ_U64(got, 2 * (f + b));
	CHECK_EQ_U64(mme, st.ops.mme_launches);
	CHECK_EQ_U64(tpc, st.ops.tpc_launches);
}

static void attention(const char *asic, uint64_t S, uint64_t D, int causal, uint32_t C)
{
	struct trc_gen_model_opts o;
	struct trc_gen_model_stats st;
	uint64_t f, b, mme, tpc;
	char trace[96], dir[96];
	hlsim_err_t rc;

	trc_gen_model_defaults(&o);
	o.asic = asic;
	o.batch = 2;
	o.heads = 3;
	o.seq = S;
	o.head_dim = D;
	o.causal = (uint8_t)causal;
	o.causal_block = C;
	o.backward = 1;
	attention_flops(S, D, causal, C ? C : (S < 256 ? S : 256), &f, &b);
	snprintf(trace, sizeof(trace), "gmb_attn_%s_%" PRIu64 "_%d.h5", asic, S, causal);
	snprintf(dir, sizeof(dir), "gmb_attn_%s_%" PRIu64 "_%d.out", asic, S, causal);
	rc = trc_gen_attention(&o, trace, "test", &st);
	if (rc)
		fprintf(stderr, "%s: %s\n", trace, hlsim_last_error_detail());
	CHECK(rc == HLSIM_OK);
	if (rc)
		return;
	CHECK_EQ_U64(st.ops.ops, TRC_GEN_ATTN_OPS + TRC_GEN_ATTN_BWD_OPS);
	CHECK_EQ_U64(trc_gen_attention_bwd_flops(&o), 6 * b);
	CHECK_EQ_U64(st.ops.flops, 6 * (f + b));
	CHECK_EQ_U64(run_flops(trace, dir, config_of(asic), &mme, &tpc), 6 * (f + b));
}

static void test_transformer(void)
{
	struct trc_gen_model_opts o;
	uint64_t f, b;

	transformer("gaudi", 2, 128, 256, 4, 0);
	transformer("gaudi2", 2, 128, 256, 4, 0);
	transformer("gaudi2", 1, 320, 256, 4, 1); /* causal, a partial last block */
	transformer("gaudi", 1, 128, 256, 4, 1);

	/*
	 * GEMM-dominated: T = S = 128, h = 2048, r = 4, 16 heads of 128. Forward GEMMs
	 * 24 T h^2, backward 48 T h^2; per T h the rest is, forward, 50 (layernorms 16,
	 * residuals 2, GELU 32) + attention 4 S + 5 H S / h, backward 106 (layernorms 32,
	 * residual gradients 2, GELU 72) + attention 8 S + 5 H S / h. Ratio:
	 * (48 h + 106 + 8 S + 5) / (24 h + 50 + 4 S + 5) = 99439 / 49719 = 2.0000201.
	 */
	layer_flops(1, 128, 2048, 16, 4, 0, &f, &b);
	CHECK_EQ_U64(f, 128ull * 2048 * 49719);
	CHECK_EQ_U64(b, 128ull * 2048 * 99439);
	transformer("gaudi2", 1, 128, 2048, 16, 0);

	/* the kept activations and weights must fit HBM */
	opts(&o, "gaudi", 1, 4096, 8192, 64, 32, 0);
	CHECK(trc_gen_transformer(&o, "gmb_bad.h5", "t", NULL) == HLSIM_E_USAGE);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "--backward");
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "HBM");
}

static void test_attention(void)
{
	attention("gaudi", 256, 64, 0, 0);
	attention("gaudi2", 256, 64, 1, 64);
	attention("gaudi2", 300, 64, 1, 128); /* a partial last block */
}

static void test_command(void)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd),
		 "'%s' gen transformer --backward --layers 2 --hidden 128 --heads 2 --seq 64 "
		 "--asic gaudi2 -o gmb_cmd.h5 | grep -q 'analytic forward .* backward'",
		 HLSIM_EXE);
	CHECK(system(cmd) == 0);
	snprintf(cmd, sizeof(cmd),
		 "'%s' gen transformer --help | grep -q -- '--backward'", HLSIM_EXE);
	CHECK(system(cmd) == 0);
}

int main(void)
{
	test_transformer();
	test_attention();
	test_command();
	return check_summary();
}
