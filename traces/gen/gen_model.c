/*
 * traces/gen/gen_model.c - `hlsim gen attention` and `hlsim gen transformer`: model-level
 * workloads as groups of operations lowered by gen_ops.c (one execute CS per operation,
 * jobs fenced on their dependencies' SOBs, programs downloaded into HBM per group).
 *
 * Attention (batch B, sequence S, heads H, head dimension D; tokens T = B S):
 *   qk       GEMM on the MMEs, batch B H: S[S x S] = Q[S x D] . K^T (K stored S x D);
 *   softmax  TPC kernel over B H S rows of S columns (the 1/sqrt(D) scale folded in);
 *   pv       GEMM on the MMEs, batch B H: O[S x D] = P[S x S] . V[S x D].
 * Per head the operands are contiguous S x D blocks, head after head [I: a real graph
 * either lays the QKV projection out head-major or reads heads with strides; the MME
 * model costs the same bytes either way].
 *
 * Causal (--causal): a key after its query is masked. The GEMMs are cut into blocks of
 * causal_block query rows (default 256 [I], a flash-attention-like block); block b
 * computes scores only for keys below (b + 1) x causal_block and P . V contracts only
 * over them, so masked blocks above the diagonal are skipped and the diagonal blocks
 * are computed whole. The softmax counts exactly the unmasked elements (row q of a
 * head uses q + 1 keys) for its FLOPs and bytes. So causal score FLOPs per head are
 *   Q.K^T and P.V: sum over blocks b of 2 x rows_b x min(S, (b + 1) C) x D each,
 *   softmax:       5 x S (S + 1) / 2,
 * about half the non-causal 4 S^2 D + 5 S^2 (exactly (nb + 1) / (2 nb) of the GEMM part
 * for nb = S / C whole blocks).
 *
 * Transformer layer (hidden h, heads H, D = h / H, MLP ratio r; forward, pre-norm):
 *   ln1 (layernorm, T x h) -> qkv (GEMM T x 3h x h) -> qk -> softmax -> pv ->
 *   proj (GEMM T x h x h) -> res1 (add, T h elements) -> ln2 -> up (GEMM T x rh x h) ->
 *   gelu (TPC, T r h elements, 8 FLOPs each [I]: x^3, two multiplies, an add, tanh
 *   counted as one, add, two multiplies) -> down (GEMM T x h x rh) -> res2 (add).
 * FLOPs per layer: 18 T h + 8 T h^2 + 4 r T h^2 + 8 r T h + attention. qk and pv read the
 * QKV projection's output; each residual add's second input (the layer input) is a
 * buffer of its own [I: the operation generator links an input to one dependency's
 * output only].
 *
 * Writing: each layer is one group of trc_gen_ops_append(): its programs are built,
 * written with their download CS and the layer's 12 operation CSs, and released before
 * the next layer is built, so memory does not grow with the layer count. The host waits
 * for each layer's last CS before submitting the next layer's operations (the next
 * layer's program download is submitted before that wait and overlaps the layer).
 * Weights stay in HBM for good; activations reuse one region every layer.
 *
 * Backward (--backward): after the L forward layers, L backward groups, last layer
 * first (the layers are alike, so every backward group is the same 18 operations).
 * Each GEMM Y [T x n] = X [T x k] . W [k x n] gives two GEMMs, both 2 T n k FLOPs (so
 * 2x the forward GEMM together), with the MME lowering's transpose flags:
 *   dX [T x k] = dY . W^T   (W read as stored, transpose_b),
 *   dW [k x n] = X^T . dY   (X, the saved forward input, read as stored, transpose_a).
 * Attention (per head, batch B H, as the forward; the 1/sqrt(D) scale in the softmax):
 *   dv  dV = P^T . dO  (transpose_a)     dp  dP = dO . V^T  (transpose_b)
 *   softmax_bwd  dS = P (dP - rowsum(dP P)) on the TPCs: 5 FLOPs and 5 element reads or
 *       writes per element [I]: pass 1 multiplies and adds (dP, P read), pass 2
 *       subtracts, multiplies and scales (dP, P read, dS written);
 *   dq  dQ = dS . K                      dk  dK = dS^T . Q  (transpose_a).
 * Causal: dp and dq skip the blocks the forward's qk and pv skip (rows are queries: keys
 * below the end of the row block); dv and dk have keys as rows and contract over the
 * queries from the start of the row block to the end (TRC_GEN_CAUSAL_K_FROM), which is
 * the same block skipping seen from the key side; the softmax backward counts the
 * unmasked elements. Per head: dp + dq FLOPs = the forward's qk + pv; dv + dk = sum over
 * row blocks b of 2 x 2 rows_b (S - b C) D (equal to the forward's for whole blocks).
 * A layer's backward, in order (dY: the gradient of the layer output, from the layer
 * above or the loss):
 *   down_dx, down_dw -> gelu_bwd (TPC, dX = dY GELU'(x) from dY and the up output:
 *   18 FLOPs per element [I]: x^2 1, u = c (x + a x^3) 4, tanh 1, 0.5 (1 + t) 2,
 *   c (1 + 3 a x^2) 3, 0.5 x (1 - t^2) times it 5, sum 1, times dY 1; 3 elements read or
 *   written) -> up_dx, up_dw -> ln2_bwd (TPC, layernorm backward from dY, x1, gamma:
 *   16 FLOPs per element, 5 element reads or writes, see gen_ops.c) -> res1_bwd (dx1 =
 *   dY + ln2's dX, 1 FLOP per element) -> proj_dx, proj_dw -> dv, dp -> softmax_bwd ->
 *   dq, dk -> qkv_dx, qkv_dw (d(QKV) is dQ, dK, dV side by side: read as a T x 3h
 *   buffer of its own, fenced on all three [I]) -> ln1_bwd -> res0_bwd (dx = dx1 + ln1's
 *   dX).
 * Backward FLOPs per layer: 16 T h^2 + 8 r T h^2 (2x the forward GEMMs) + 32 T h
 * (layernorms) + 18 r T h (GELU) + 2 T h (residual gradients) + attention backward
 * (non-causal: B H (8 S^2 D + 5 S^2)). For a GEMM-dominated shape this is about 2x the
 * forward (test_gen_model_bwd.c states an exact ratio).
 * Kept activations: the backward reads, per layer, the layer input x, the outputs of
 * ln1, qkv, softmax (P, B H S^2: the scores are not recomputed), pv, res1, ln2, up and
 * gelu: (4 T h + r T h) TPC elements + (4 T h + r T h) GEMM elements + B H S^2 TPC
 * elements (trc_gen_transformer_saved_bytes). All L layers' are live between the
 * forward and the backward; with the weights and their gradients ((4 h^2 + 2 r h^2)
 * GEMM elements + 4 h TPC elements each) they must fit the ASIC preset's HBM
 * (struct mdl_asic_params.dram_size_bytes; the generator does not read a run's
 * config, so a config with a smaller hbm.size is not checked here), else the generator
 * refuses. [I] In the trace the saved activations, like the weights a backward GEMM
 * reads, are buffers of their own placed by the operation generator for good in each
 * backward group (it links an input only to an output of the same group), not the
 * addresses the forward wrote; the simulator's cost does not depend on the address.
 * gen attention --backward: the forward, then the five backward operations as a
 * second group, dO, P, Q, K and V buffers of their own.
 *
 * Data types: --dtype is the GEMMs' (bf16, fp8, fp32); the TPC kernels (layernorm,
 * softmax, GELU, residual adds) run in bf16 when the GEMMs are fp8 [I: fp8 is a GEMM
 * and storage format; normalisations are not computed in it], else in --dtype. fp8
 * needs Gaudi2: Gaudi has no fp8 (its TPC layout has no fp8 type, the HL-205 preset's
 * MME no fp8 rate), and the generator says so.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "traces/gen/gen_common.h"
#include "traces/gen/gen_model.h"
#include "traces/gen/gen_tpc.h"

#define DEFAULT_CAUSAL_BLOCK 256u

void trc_gen_model_defaults(struct trc_gen_model_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->asic = "gaudi";
	o->batch = 1;
	o->seq = 1024;
	o->heads = 16;
	o->head_dim = 64;
	o->hidden = 1024;
	o->mlp_ratio = 4;
	o->layers = 1;
	o->dtype = "bf16";
}

static uint64_t causal_block(const struct trc_gen_model_opts *o)
{
	if (o->causal_block)
		return o->causal_block;
	return o->seq < DEFAULT_CAUSAL_BLOCK ? o->seq : DEFAULT_CAUSAL_BLOCK;
}

/* The TPC kernels' data type for GEMM type @dtype. */
static const char *tpc_dtype(const char *dtype)
{
	return !strcmp(dtype, "fp8") ? "bf16" : dtype;
}

static struct trc_gen_op op_new(const char *name, enum trc_gen_op_kind kind, const char *dtype)
{
	struct trc_gen_op op;

	memset(&op, 0, sizeof(op));
	snprintf(op.name, sizeof(op.name), "%s", name);
	snprintf(op.dtype, sizeof(op.dtype), "%s", dtype);
	op.kind = kind;
	return op;
}

static void op_after(struct trc_gen_op *op, uint32_t a)
{
	op->after[op->num_after++] = a;
}

static hlsim_err_t check_shape(const struct trc_gen_model_opts *o)
{
	if (!o->dtype || (strcmp(o->dtype, "bf16") && strcmp(o->dtype, "fp8") &&
			  strcmp(o->dtype, "fp32")))
		return hlsim_error(HLSIM_E_USAGE, "--dtype %s: expected bf16, fp8 or fp32",
				   o->dtype ? o->dtype : "(none)");
	if (!o->batch || o->batch > 4096 || !o->seq || o->seq > (1u << 20) || !o->heads ||
	    o->heads > 1024 || !o->head_dim || o->head_dim > 65536)
		return hlsim_error(HLSIM_E_USAGE,
				   "--batch %" PRIu64 " --seq %" PRIu64 " --heads %" PRIu64
				   " --head-dim %" PRIu64 ": expected 1..4096, 1..2^20, 1..1024, "
				   "1..65536",
				   o->batch, o->seq, o->heads, o->head_dim);
	if (o->batch * o->heads * o->seq * o->seq > UINT32_MAX)
		return hlsim_error(HLSIM_E_USAGE,
				   "batch x heads x seq^2 = %" PRIu64 ": the scores of all heads "
				   "must be at most 2^32-1 elements (one softmax tensor)",
				   o->batch * o->heads * o->seq * o->seq);
	if (o->causal && (causal_block(o) < 1 || causal_block(o) > o->seq))
		return hlsim_error(HLSIM_E_USAGE,
				   "--causal-block %u: expected 1..seq (%" PRIu64 ")",
				   o->causal_block, o->seq);
	return HLSIM_OK;
}

hlsim_err_t trc_gen_attention_ops(const struct trc_gen_model_opts *o, uint32_t base, uint32_t src,
				  struct trc_gen_op *ops)
{
	uint64_t bh = o->batch * o->heads;
	const char *tdt = tpc_dtype(o->dtype);
	hlsim_err_t rc = check_shape(o);

	if (rc)
		return rc;
	ops[0] = op_new("qk", TRC_GEN_OP_GEMM, o->dtype);
	ops[0].m = o->seq;
	ops[0].n = o->seq;
	ops[0].k = o->head_dim;
	ops[0].transpose_b = 1;
	ops[0].batch = bh;
	if (src != TRC_GEN_OPS_MAX_OPS) {
		op_after(&ops[0], src); /* Q */
		op_after(&ops[0], src); /* K */
	}
	ops[1] = op_new("softmax", TRC_GEN_OP_SOFTMAX, tdt);
	ops[1].rows = bh * o->seq;
	ops[1].cols = o->seq;
	op_after(&ops[1], base);
	ops[2] = op_new("pv", TRC_GEN_OP_GEMM, o->dtype);
	ops[2].m = o->seq;
	ops[2].n = o->head_dim;
	ops[2].k = o->seq;
	ops[2].batch = bh;
	op_after(&ops[2], base + 1); /* P */
	if (src != TRC_GEN_OPS_MAX_OPS)
		op_after(&ops[2], src); /* V */
	if (o->causal) {
		ops[0].causal = TRC_GEN_CAUSAL_N;
		ops[0].causal_block = (uint32_t)causal_block(o);
		ops[1].causal = TRC_GEN_CAUSAL_N;
		ops[2].causal = TRC_GEN_CAUSAL_K;
		ops[2].causal_block = (uint32_t)causal_block(o);
	}
	return HLSIM_OK;
}

uint64_t trc_gen_attention_flops(const struct trc_gen_model_opts *o)
{
	uint64_t S = o->seq, D = o->head_dim, C = causal_block(o), b, gemm = 0, sm;

	if (!o->causal) {
		gemm = 2 * S * S * D;
		sm = 5 * S * S;
	} else {
		for (b = 0; b * C < S; b++) {
			uint64_t rows = S - b * C < C ? S - b * C : C;
			uint64_t keys = (b + 1) * C < S ? (b + 1) * C : S;

			gemm += 2 * rows * keys * D;
		}
		sm = 5 * (S * (S + 1) / 2);
	}
	return o->batch * o->heads * (2 * gemm + sm);
}

uint64_t trc_gen_transformer_flops(const struct trc_gen_model_opts *o)
{
	uint64_t T = o->batch * o->seq, h = o->hidden, r = o->mlp_ratio;
	struct trc_gen_model_opts a = *o;

	a.head_dim = h / o->heads;
	return o->layers * (18 * T * h + 8 * T * h * h + 4 * r * T * h * h +
			    TRC_GEN_GELU_FLOPS * r * T * h + trc_gen_attention_flops(&a));
}

/* Bytes of an element of @dtype (bf16, fp8, fp32). */
static uint64_t dtype_bytes(const char *dtype)
{
	return !strcmp(dtype, "fp32") ? 4 : !strcmp(dtype, "fp8") ? 1 : 2;
}

/*
 * The five operations of attention's backward with @o into @ops (indices relative to
 * @base): dV = P^T . dO, dP = dO . V^T, dS = softmax backward, dQ = dS . K, dK = dS^T . Q.
 * dO is the output of operation @src (TRC_GEN_OPS_MAX_OPS: a buffer of its own); P, Q,
 * K and V, saved by the forward, are buffers of their own.
 */
static void attention_bwd_ops(const struct trc_gen_model_opts *o, uint32_t base, uint32_t src,
			      struct trc_gen_op *ops)
{
	uint64_t bh = o->batch * o->heads, S = o->seq, D = o->head_dim;
	uint32_t C = (uint32_t)causal_block(o);
	int has_src = src != TRC_GEN_OPS_MAX_OPS;

	ops[0] = op_new("dv", TRC_GEN_OP_GEMM, o->dtype); /* P^T [S x S] . dO [S x D] */
	ops[0].m = S;
	ops[0].n = D;
	ops[0].k = S;
	ops[0].transpose_a = 1;
	ops[0].in_from[0] = TRC_GEN_IN_OWN; /* P, saved */
	if (has_src) {
		op_after(&ops[0], src);
		ops[0].in_from[1] = 1; /* dO */
	}
	ops[1] = op_new("dp", TRC_GEN_OP_GEMM, o->dtype); /* dO [S x D] . V^T */
	ops[1].m = S;
	ops[1].n = S;
	ops[1].k = D;
	ops[1].transpose_b = 1;
	if (has_src)
		op_after(&ops[1], src); /* dO; V saved, a buffer of its own */
	ops[2] = op_new("softmax_bwd", TRC_GEN_OP_SOFTMAX_BWD, tpc_dtype(o->dtype));
	ops[2].rows = bh * S;
	ops[2].cols = S;
	op_after(&ops[2], base + 1); /* dP; P saved */
	ops[3] = op_new("dq", TRC_GEN_OP_GEMM, o->dtype); /* dS [S x S] . K [S x D] */
	ops[3].m = S;
	ops[3].n = D;
	ops[3].k = S;
	op_after(&ops[3], base + 2);
	ops[4] = op_new("dk", TRC_GEN_OP_GEMM, o->dtype); /* dS^T . Q [S x D] */
	ops[4].m = S;
	ops[4].n = D;
	ops[4].k = S;
	ops[4].transpose_a = 1;
	op_after(&ops[4], base + 2);
	ops[0].batch = ops[1].batch = ops[3].batch = ops[4].batch = bh;
	if (o->causal) {
		ops[0].causal = TRC_GEN_CAUSAL_K_FROM;
		ops[1].causal = TRC_GEN_CAUSAL_N;
		ops[2].causal = TRC_GEN_CAUSAL_N;
		ops[3].causal = TRC_GEN_CAUSAL_K;
		ops[4].causal = TRC_GEN_CAUSAL_K_FROM;
		ops[0].causal_block = ops[1].causal_block = C;
		ops[3].causal_block = ops[4].causal_block = C;
	}
}

uint64_t trc_gen_attention_bwd_flops(const struct trc_gen_model_opts *o)
{
	uint64_t S = o->seq, D = o->head_dim, C = causal_block(o), b, lower = 0, from = 0, sm;

	if (!o->causal) {
		lower = from = 2 * S * S * D;
		sm = 5 * S * S;
	} else {
		for (b = 0; b * C < S; b++) {
			uint64_t rows = S - b * C < C ? S - b * C : C;
			uint64_t keys = (b + 1) * C < S ? (b + 1) * C : S;

			lower += 2 * rows * keys * D; /* a dP or dQ row block (query rows) */
			from += 2 * rows * (S - b * C) * D; /* a dV or dK row block (key rows) */
		}
		sm = 5 * (S * (S + 1) / 2);
	}
	return o->batch * o->heads * (2 * lower + 2 * from + sm);
}

uint64_t trc_gen_transformer_bwd_flops(const struct trc_gen_model_opts *o)
{
	uint64_t T = o->batch * o->seq, h = o->hidden, r = o->mlp_ratio;
	struct trc_gen_model_opts a = *o;

	a.head_dim = h / o->heads;
	return o->layers * (16 * T * h * h + 8 * r * T * h * h + 2 * 16 * T * h +
			    TRC_GEN_GELU_BWD_FLOPS * r * T * h + 2 * T * h +
			    trc_gen_attention_bwd_flops(&a));
}

uint64_t trc_gen_transformer_saved_bytes(const struct trc_gen_model_opts *o)
{
	uint64_t T = o->batch * o->seq, h = o->hidden, r = o->mlp_ratio;
	uint64_t g = dtype_bytes(o->dtype), t = dtype_bytes(tpc_dtype(o->dtype));

	/* x, ln1, x1, ln2 and GELU outputs (TPC type); QKV, attention, up (GEMM type); P */
	return (4 * T * h + r * T * h) * t + (3 * T * h + T * h + r * T * h) * g +
	       o->batch * o->heads * o->seq * o->seq * t;
}

/* A backward GEMM of forward Y [T x n] = X [T x k] . W [k x n]: dX or dW. */
static struct trc_gen_op bwd_gemm(const char *name, const char *dtype, int dw, uint64_t T,
				  uint64_t n, uint64_t k)
{
	struct trc_gen_op op = op_new(name, TRC_GEN_OP_GEMM, dtype);

	if (!dw) { /* dX [T x k] = dY [T x n] . W^T (W stored k x n) */
		op.m = T;
		op.n = k;
		op.k = n;
		op.transpose_b = 1;
	} else { /* dW [k x n] = X^T (X stored T x k) . dY [T x n] */
		op.m = k;
		op.n = n;
		op.k = T;
		op.transpose_a = 1;
		op.in_from[0] = TRC_GEN_IN_OWN; /* X, saved by the forward */
	}
	return op;
}

/*
 * The 18 operations of one transformer layer's backward into @ops; the gradient of the
 * layer's output (from the layer above, or the loss) is a buffer of its own.
 */
static void layer_bwd_ops(const struct trc_gen_model_opts *o, struct trc_gen_op *ops)
{
	uint64_t T = o->batch * o->seq, h = o->hidden, rh = o->mlp_ratio * o->hidden;
	const char *tdt = tpc_dtype(o->dtype), *dt = o->dtype;
	uint32_t j;

	ops[0] = bwd_gemm("down_dx", dt, 0, T, h, rh); /* dY: the layer's output gradient */
	ops[1] = bwd_gemm("down_dw", dt, 1, T, h, rh); /* X: GELU output */
	ops[1].in_from[1] = TRC_GEN_IN_OWN;
	ops[2] = op_new("gelu_bwd", TRC_GEN_OP_ELEMENTWISE, tdt); /* dY, X: up output */
	ops[2].elements = T * rh;
	ops[2].flops_per_element = TRC_GEN_GELU_BWD_FLOPS;
	op_after(&ops[2], 0);
	ops[3] = bwd_gemm("up_dx", dt, 0, T, rh, h);
	op_after(&ops[3], 2);
	ops[4] = bwd_gemm("up_dw", dt, 1, T, rh, h); /* X: ln2 output */
	op_after(&ops[4], 2);
	ops[4].in_from[1] = 1;
	ops[5] = op_new("ln2_bwd", TRC_GEN_OP_LAYERNORM_BWD, tdt); /* X: x1 */
	ops[5].rows = T;
	ops[5].cols = h;
	op_after(&ops[5], 3);
	ops[6] = op_new("res1_bwd", TRC_GEN_OP_ELEMENTWISE, tdt); /* dx1 = dY + ln2's dX */
	ops[6].elements = T * h;
	ops[6].flops_per_element = 1;
	op_after(&ops[6], 5);
	ops[7] = bwd_gemm("proj_dx", dt, 0, T, h, h);
	op_after(&ops[7], 6);
	ops[8] = bwd_gemm("proj_dw", dt, 1, T, h, h); /* X: attention output */
	op_after(&ops[8], 6);
	ops[8].in_from[1] = 1;
	attention_bwd_ops(o, 9, 7, &ops[9]); /* dv 9, dp 10, softmax_bwd 11, dq 12, dk 13 */
	/* dQ, dK, dV are slices of one d(QKV) [T x 3h]: a buffer of its own [I] */
	ops[14] = bwd_gemm("qkv_dx", dt, 0, T, 3 * h, h);
	ops[15] = bwd_gemm("qkv_dw", dt, 1, T, 3 * h, h); /* X: ln1 output */
	for (j = 14; j <= 15; j++) {
		op_after(&ops[j], 9);
		op_after(&ops[j], 12);
		op_after(&ops[j], 13);
		ops[j].in_from[0] = ops[j].in_from[1] = TRC_GEN_IN_OWN;
	}
	ops[16] = op_new("ln1_bwd", TRC_GEN_OP_LAYERNORM_BWD, tdt); /* X: the layer input */
	ops[16].rows = T;
	ops[16].cols = h;
	op_after(&ops[16], 14);
	ops[17] = op_new("res0_bwd", TRC_GEN_OP_ELEMENTWISE, tdt); /* dx = dx1 + ln1's dX */
	ops[17].elements = T * h;
	ops[17].flops_per_element = 1;
	op_after(&ops[17], 16);
	op_after(&ops[17], 6);
}

/* The 12 operations of one transformer layer into @ops. */
static hlsim_err_t layer_ops(const struct trc_gen_model_opts *o, struct trc_gen_op *ops)
{
	uint64_t T = o->batch * o->seq, h = o->hidden, rh = o->mlp_ratio * o->hidden;
	const char *tdt = tpc_dtype(o->dtype);
	struct trc_gen_model_opts a = *o;
	hlsim_err_t rc;

	a.head_dim = h / o->heads;
	ops[0] = op_new("ln1", TRC_GEN_OP_LAYERNORM, tdt);
	ops[0].rows = T;
	ops[0].cols = h;
	ops[1] = op_new("qkv", TRC_GEN_OP_GEMM, o->dtype);
	ops[1].m = T;
	ops[1].n = 3 * h;
	ops[1].k = h;
	op_after(&ops[1], 0);
	rc = trc_gen_attention_ops(&a, 2, 1, &ops[2]); /* qk 2, softmax 3, pv 4 */
	if (rc)
		return rc;
	ops[5] = op_new("proj", TRC_GEN_OP_GEMM, o->dtype);
	ops[5].m = T;
	ops[5].n = h;
	ops[5].k = h;
	op_after(&ops[5], 4);
	ops[6] = op_new("res1", TRC_GEN_OP_ELEMENTWISE, tdt);
	ops[6].elements = T * h;
	ops[6].flops_per_element = 1;
	op_after(&ops[6], 5);
	ops[7] = op_new("ln2", TRC_GEN_OP_LAYERNORM, tdt);
	ops[7].rows = T;
	ops[7].cols = h;
	op_after(&ops[7], 6);
	ops[8] = op_new("up", TRC_GEN_OP_GEMM, o->dtype);
	ops[8].m = T;
	ops[8].n = rh;
	ops[8].k = h;
	op_after(&ops[8], 7);
	ops[9] = op_new("gelu", TRC_GEN_OP_ELEMENTWISE, tdt);
	ops[9].elements = T * rh;
	ops[9].flops_per_element = TRC_GEN_GELU_FLOPS;
	ops[9].unary = 1;
	op_after(&ops[9], 8);
	ops[10] = op_new("down", TRC_GEN_OP_GEMM, o->dtype);
	ops[10].m = T;
	ops[10].n = h;
	ops[10].k = rh;
	op_after(&ops[10], 9);
	ops[11] = op_new("res2", TRC_GEN_OP_ELEMENTWISE, tdt);
	ops[11].elements = T * h;
	ops[11].flops_per_element = 1;
	op_after(&ops[11], 10);
	op_after(&ops[11], 6);
	return HLSIM_OK;
}

/* The operation generator's options for @o (@ops_o lives as long as the trace). */
static void ops_opts(const struct trc_gen_model_opts *o, struct trc_gen_ops_opts *ops_o)
{
	trc_gen_ops_defaults(ops_o);
	ops_o->asic = o->asic ? o->asic : "gaudi";
	ops_o->tpcs = o->tpcs;
	ops_o->mmes = o->mmes;
}

/*
 * --tpcs 0: every user TPC of the ASIC. fp8 needs an ASIC with fp8 (Gaudi2 on; Gaudi's
 * MME and TPC have none): the ASIC's TPC layout says whether it has the type.
 */
static hlsim_err_t resolve_tpcs(struct trc_gen_ops_opts *oo, const char *dtype)
{
	struct trc_gen_ctx x;
	uint32_t code, bytes;
	hlsim_err_t rc;

	rc = trc_gen_ctx_init(&x, oo->asic, "gen");
	if (rc)
		return rc;
	if (dtype && !strcmp(dtype, "fp8") &&
	    trc_gen_tpc_dtype(trc_gen_tpc_layout(&x), "fp8", &code, &bytes))
		return hlsim_error(HLSIM_E_USAGE,
				   "--dtype fp8: %s has no fp8 data type (fp8 is from Gaudi2 on)",
				   x.p->asic_name);
	if (oo->tpcs)
		return HLSIM_OK;
	oo->tpcs = trc_gen_tpc_count(&x);
	if (!oo->tpcs)
		oo->tpcs = 1; /* no TPC layout: the operations say so when lowered */
	return HLSIM_OK;
}

/*
 * --backward: the forward activations of every layer stay in HBM until its backward,
 * with the weights and their gradients: refuse if they exceed the ASIC preset's HBM.
 */
static hlsim_err_t check_saved(const struct trc_gen_model_opts *o,
			       const struct trc_gen_ops_opts *oo)
{
	uint64_t h = o->hidden, g = dtype_bytes(o->dtype), t = dtype_bytes(tpc_dtype(o->dtype));
	uint64_t weights = (4 * h * h + 2 * o->mlp_ratio * h * h) * g + 4 * h * t;
	uint64_t saved = trc_gen_transformer_saved_bytes(o), need;
	struct trc_gen_ctx x;
	hlsim_err_t rc;

	rc = trc_gen_ctx_init(&x, oo->asic, "gen");
	if (rc)
		return rc;
	need = o->layers * (saved + 2 * weights);
	if (need > x.p->dram_size_bytes)
		return hlsim_error(HLSIM_E_USAGE,
				   "--backward: %" PRIu64 " layers keep %" PRIu64 " bytes of "
				   "forward activations each for the backward, with the weights "
				   "and their gradients (%" PRIu64 " bytes each) %" PRIu64
				   " bytes: more than the %" PRIu64 " bytes of %s's HBM",
				   o->layers, saved, weights, need, x.p->dram_size_bytes,
				   x.p->asic_name);
	return HLSIM_OK;
}

hlsim_err_t trc_gen_attention(const struct trc_gen_model_opts *o, const char *path,
			      const char *cmdline, struct trc_gen_model_stats *stats)
{
	struct trc_gen_op ops[TRC_GEN_ATTN_OPS], bwd[TRC_GEN_ATTN_BWD_OPS];
	struct trc_gen_ops_writer *s = NULL;
	struct trc_gen_ops_opts oo;
	struct trc_gen_ops_stats st;
	hlsim_err_t rc;

	if (!o || !path)
		return hlsim_error(HLSIM_E_INVAL, "gen attention: NULL options or path");
	rc = trc_gen_attention_ops(o, 0, TRC_GEN_OPS_MAX_OPS, ops);
	if (rc)
		return rc;
	attention_bwd_ops(o, 0, TRC_GEN_OPS_MAX_OPS, bwd);
	ops_opts(o, &oo);
	rc = resolve_tpcs(&oo, o->dtype);
	if (rc)
		return rc;
	if (!o->backward) {
		rc = trc_gen_ops(&oo, ops, TRC_GEN_ATTN_OPS, path,
				 cmdline ? cmdline : "hlsim gen attention", &st);
	} else {
		/* the forward, then its backward as a second group (P, Q, K, V kept) */
		rc = trc_gen_ops_open(&oo, path, cmdline ? cmdline : "hlsim gen attention", &s);
		if (!rc)
			rc = trc_gen_ops_append(s, ops, TRC_GEN_ATTN_OPS);
		if (!rc)
			rc = trc_gen_ops_append(s, bwd, TRC_GEN_ATTN_BWD_OPS);
		if (rc) {
			trc_gen_ops_close(s, 1, NULL);
			return rc;
		}
		rc = trc_gen_ops_close(s, 0, &st);
	}
	if (!rc && stats) {
		stats->ops = st;
		stats->score_flops = trc_gen_attention_flops(o) +
				     (o->backward ? trc_gen_attention_bwd_flops(o) : 0);
		stats->saved_bytes = o->backward ? o->batch * o->heads * o->seq *
							   (o->seq * dtype_bytes(tpc_dtype(o->dtype)) +
							    3 * o->head_dim * dtype_bytes(o->dtype))
						 : 0;
	}
	return rc;
}

hlsim_err_t trc_gen_transformer(const struct trc_gen_model_opts *o, const char *path,
				const char *cmdline, struct trc_gen_model_stats *stats)
{
	struct trc_gen_op ops[TRC_GEN_LAYER_OPS], bwd[TRC_GEN_LAYER_BWD_OPS];
	struct trc_gen_model_opts a;
	struct trc_gen_ops_writer *s = NULL;
	struct trc_gen_ops_opts oo;
	struct trc_gen_ops_stats st;
	uint64_t l;
	hlsim_err_t rc;

	if (!o || !path)
		return hlsim_error(HLSIM_E_INVAL, "gen transformer: NULL options or path");
	if (!o->heads || !o->hidden || o->hidden % o->heads || o->hidden > (1u << 20))
		return hlsim_error(HLSIM_E_USAGE,
				   "--hidden %" PRIu64 " --heads %" PRIu64 ": hidden must be a "
				   "multiple of heads, at most 2^20",
				   o->hidden, o->heads);
	if (!o->mlp_ratio || o->mlp_ratio > 64 || !o->layers || o->layers > 1024)
		return hlsim_error(HLSIM_E_USAGE,
				   "--mlp-ratio %" PRIu64 " --layers %" PRIu64
				   ": expected 1..64 and 1..1024",
				   o->mlp_ratio, o->layers);
	if (o->batch * o->seq * o->hidden * o->mlp_ratio > UINT32_MAX)
		return hlsim_error(HLSIM_E_USAGE,
				   "tokens x hidden x mlp ratio = %" PRIu64 ": the MLP activation "
				   "must be at most 2^32-1 elements (one TPC tensor)",
				   o->batch * o->seq * o->hidden * o->mlp_ratio);
	a = *o;
	a.head_dim = o->hidden / o->heads;
	rc = layer_ops(&a, ops);
	if (rc)
		return rc;
	layer_bwd_ops(&a, bwd);
	ops_opts(o, &oo);
	rc = resolve_tpcs(&oo, o->dtype);
	if (!rc && o->backward)
		rc = check_saved(&a, &oo);
	if (!rc)
		rc = trc_gen_ops_open(&oo, path, cmdline ? cmdline : "hlsim gen transformer", &s);
	for (l = 0; !rc && l < o->layers; l++)
		rc = trc_gen_ops_append(s, ops, TRC_GEN_LAYER_OPS);
	/* the backward, last layer first (the layers are alike: the same group) */
	for (l = 0; !rc && o->backward && l < o->layers; l++)
		rc = trc_gen_ops_append(s, bwd, TRC_GEN_LAYER_BWD_OPS);
	if (rc) {
		trc_gen_ops_close(s, 1, NULL); /* removes the half-written trace */
		return rc;
	}
	rc = trc_gen_ops_close(s, 0, &st);
	if (!rc && stats) {
		stats->ops = st;
		stats->score_flops = o->layers * (trc_gen_attention_flops(&a) +
						  (o->backward ? trc_gen_attention_bwd_flops(&a) : 0));
		stats->saved_bytes = o->backward ? o->layers * trc_gen_transformer_saved_bytes(&a)
						 : 0;
	}
	return rc;
}

/* {==== the commands ==== */

static void usage(FILE *f, const char *kind)
{
	if (!strcmp(kind, "attention"))
		fprintf(f,
			"usage: hlsim gen attention [options] -o TRACE\n\n"
			"Scaled dot-product attention over batch x heads, as three operations\n"
			"lowered like `hlsim gen graph` (traces/gen/GRAPH.md): S = Q . K^T, a\n"
			"batched GEMM on the MMEs; P = softmax(S) on the TPCs; O = P . V on the\n"
			"MMEs.\n"
			"--causal skips the masked blocks above the diagonal (blocks of\n"
			"--causal-block query rows) and counts the softmax's unmasked elements.\n"
			"Options:\n"
			"  --batch B          sequences (default 1)\n"
			"  --seq S            tokens per sequence (default 1024)\n"
			"  --heads H          heads (default 16)\n"
			"  --head-dim D       elements per head (default 64)\n"
			"  --causal           mask keys after the query\n"
			"  --causal-block C   query rows per causal block (default min(256, S))\n"
			"  --backward         then the backward: dV, dP, softmax backward, dQ, dK\n"
			"  --dtype T          bf16 (default), fp32, fp8 (gaudi2; the GEMMs,\n"
			"                     the softmax in bf16)\n"
			"  --tpcs T, --mmes M TPCs and MMEs used (default: all)\n"
			"  --asic NAME        gaudi (default) or gaudi2\n"
			"  -o TRACE           output file (required)\n");
	else
		fprintf(f,
			"usage: hlsim gen transformer [options] -o TRACE\n\n"
			"Forward transformer layers (pre-norm): layernorm, QKV GEMM,\n"
			"attention (as `hlsim gen attention`), output projection, residual\n"
			"add, layernorm, MLP up GEMM, GELU on the TPCs, MLP down GEMM,\n"
			"residual add. Written layer by layer: each layer's CSs are written\n"
			"and released before the next is built.\n"
			"Options:\n"
			"  --hidden H         model width (default 1024)\n"
			"  --heads N          attention heads, dividing hidden (default 16)\n"
			"  --seq S            tokens per sequence (default 1024)\n"
			"  --batch B          sequences (default 1)\n"
			"  --mlp-ratio R      MLP width / hidden (default 4)\n"
			"  --layers L         layers (default 1)\n"
			"  --causal           causal attention (see hlsim gen attention --help)\n"
			"  --causal-block C   query rows per causal block (default min(256, S))\n"
			"  --backward         then the backward pass, last layer first: each GEMM's\n"
			"                     dX and dW, attention's dV, dP, softmax backward, dQ,\n"
			"                     dK, layernorm and GELU backward, residual gradients\n"
			"  --dtype T          bf16 (default), fp32, fp8 (gaudi2; the GEMMs,\n"
			"                     TPC kernels in bf16)\n"
			"  --tpcs T, --mmes M TPCs and MMEs used (default: all)\n"
			"  --asic NAME        gaudi (default) or gaudi2\n"
			"  -o TRACE           output file (required)\n");
}

int trc_gen_model_main(int argc, char **argv)
{
	static const char *const num_opts[] = {
		"--batch",  "--seq",	   "--heads",	    "--head-dim", "--hidden",
		"--layers", "--mlp-ratio", "--causal-block", "--tpcs",	   "--mmes",
	};
	struct trc_gen_model_opts o;
	struct trc_gen_model_stats st;
	const char *out = NULL, *kind = argv[0], *d;
	int attention = !strcmp(kind, "attention");
	char cmdline[1024];
	struct timespec t0, t1;
	uint64_t v, want, want_bwd;
	hlsim_err_t rc;
	size_t j;
	int i;

	trc_gen_model_defaults(&o);
	trc_gen_cmdline(argc, argv, cmdline, sizeof(cmdline));
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout, kind);
			return 0;
		}
		if (!strcmp(a, "--causal")) {
			o.causal = 1;
			continue;
		}
		if (!strcmp(a, "--backward")) {
			o.backward = 1;
			continue;
		}
		for (j = 0; j < sizeof(num_opts) / sizeof(num_opts[0]); j++)
			if (!strcmp(a, num_opts[j]))
				break;
		if (!val || (j == sizeof(num_opts) / sizeof(num_opts[0]) && strcmp(a, "-o") &&
			     strcmp(a, "--asic") && strcmp(a, "--dtype"))) {
			fprintf(stderr, "hlsim gen %s: unknown or incomplete option '%s'\n", kind,
				a);
			usage(stderr, kind);
			return 2;
		}
		i++;
		if (!strcmp(a, "-o")) {
			out = val;
			continue;
		} else if (!strcmp(a, "--asic")) {
			o.asic = val;
			continue;
		} else if (!strcmp(a, "--dtype")) {
			o.dtype = val;
			continue;
		}
		if (trc_gen_parse_count(val, &v)) {
			fprintf(stderr, "hlsim gen %s: %s '%s': expected a number\n", kind, a, val);
			return 2;
		}
		if (j < 7) {
			uint64_t *f[] = { &o.batch,  &o.seq,	&o.heads,    &o.head_dim,
					  &o.hidden, &o.layers, &o.mlp_ratio };
			*f[j] = v;
		} else {
			uint32_t v32 = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;

			if (j == 7)
				o.causal_block = v32 ? v32 : 1;
			else if (j == 8)
				o.tpcs = v32;
			else
				o.mmes = v32;
		}
	}
	if (!out) {
		fprintf(stderr, "hlsim gen %s: -o TRACE is required\n", kind);
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = attention ? trc_gen_attention(&o, out, cmdline, &st)
		       : trc_gen_transformer(&o, out, cmdline, &st);
	if (rc) {
		d = hlsim_last_error_detail();
		fprintf(stderr, "hlsim: gen %s: %s\n", kind, d && d[0] ? d : hlsim_strerror(rc));
		return rc == HLSIM_E_USAGE ? 2 : 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (attention) {
		want = trc_gen_attention_flops(&o);
		want_bwd = o.backward ? trc_gen_attention_bwd_flops(&o) : 0;
	} else {
		o.head_dim = o.hidden / o.heads;
		want = trc_gen_transformer_flops(&o);
		want_bwd = o.backward ? trc_gen_transformer_bwd_flops(&o) : 0;
	}
	printf("hlsim gen %s: wrote %s: %u operations, %" PRIu64 " packets, %u MME launches, "
	       "%u TPC kernels, %" PRIu64 " FLOPs (analytic %" PRIu64 ", scores %" PRIu64
	       ") in %.3f s\n",
	       kind, out, st.ops.ops, st.ops.packets, st.ops.mme_launches, st.ops.tpc_launches,
	       st.ops.flops, want + want_bwd, st.score_flops,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9);
	if (o.backward)
		printf("hlsim gen %s: analytic forward %" PRIu64 " FLOPs, backward %" PRIu64
		       " FLOPs; forward activations kept for the backward: %" PRIu64 " bytes\n",
		       kind, want, want_bwd, st.saved_bytes);
	return 0;
}

/* ====} */
