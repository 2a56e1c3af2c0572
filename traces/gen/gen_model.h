/**
 * traces/gen/gen_model.h - model-level workloads lowered through the operation
 * generator (gen_ops.c): `hlsim gen attention` (scaled dot-product attention over
 * batch x heads) and `hlsim gen transformer` (forward layers, written layer by layer),
 * each optionally followed by its backward pass (--backward).
 * See gen_model.c.
 */
#ifndef HLSIM_TRC_GEN_MODEL_H
#define HLSIM_TRC_GEN_MODEL_H

#include <stdint.h>

#include "hlsim/error.h"
#include "traces/gen/gen_ops.h"

#define TRC_GEN_ATTN_OPS 3 /* qk, softmax, pv */
#define TRC_GEN_LAYER_OPS 12 /* operations of one transformer layer */
#define TRC_GEN_ATTN_BWD_OPS 5 /* dv, dp, softmax backward, dq, dk */
#define TRC_GEN_LAYER_BWD_OPS 18 /* operations of one transformer layer's backward */
#define TRC_GEN_GELU_FLOPS 8 /* [I] FLOPs per element of GELU (tanh form), see gen_model.c */
#define TRC_GEN_GELU_BWD_FLOPS 18 /* [I] FLOPs per element of dX = dY GELU'(X), gen_model.c */

/**
 * struct trc_gen_model_opts - shape of an attention or transformer workload.
 * @asic: "gaudi" or "gaudi2".
 * @batch: sequences (1..4096).
 * @seq: tokens per sequence (1..2^20).
 * @heads: attention heads (1..1024).
 * @head_dim: elements per head (attention: given; transformer: hidden / heads).
 * @hidden: model width (transformer; a multiple of @heads).
 * @mlp_ratio: MLP width / hidden (transformer, 1..64).
 * @layers: transformer layers (1..1024).
 * @causal: mask keys after the query (decoder attention).
 * @causal_block: query rows per causal block of the GEMMs (1..seq; 0: min(256, seq)).
 * @dtype: "bf16", "fp8" or "fp32": the GEMMs' type; TPC kernels run in bf16 for fp8.
 * @tpcs: TPCs a TPC kernel is spread over (0: every user TPC of the ASIC).
 * @mmes: logical MMEs a GEMM is split over (0: all).
 * @backward: after the forward, the backward pass (layers in reverse order).
 */
struct trc_gen_model_opts {
	const char *asic;
	uint64_t batch, seq, heads, head_dim, hidden, mlp_ratio, layers;
	uint8_t causal;
	uint32_t causal_block;
	const char *dtype;
	uint32_t tpcs, mmes;
	uint8_t backward;
};

/**
 * struct trc_gen_model_stats - what was written: the operation generator's totals and
 * the attention score FLOPs (Q . K^T, softmax and P . V: the work that grows with seq^2;
 * with the backward also its dV, dP, softmax backward, dQ and dK); @saved_bytes: the
 * forward activations the backward reads, kept in HBM (0 without --backward).
 */
struct trc_gen_model_stats {
	struct trc_gen_ops_stats ops;
	uint64_t score_flops;
	uint64_t saved_bytes;
};

/** trc_gen_model_defaults - gaudi, batch 1, seq 1024, 16 heads of 64, hidden 1024, bf16. */
void trc_gen_model_defaults(struct trc_gen_model_opts *o);

/**
 * trc_gen_attention_ops - the three operations of attention with @o into @ops: qk, a
 * batched GEMM (batch x heads) of S x D by D x S (K stored S x D, transposed); softmax
 * over batch x heads x S rows of S; pv, a batched GEMM of S x S by S x D. The first
 * input of qk and the second of pv come from operation @src (TRC_GEN_OPS_MAX_OPS: no
 * source, they get buffers of their own); indices are relative to @base.
 * HLSIM_E_USAGE for shapes out of range.
 */
hlsim_err_t trc_gen_attention_ops(const struct trc_gen_model_opts *o, uint32_t base, uint32_t src,
				  struct trc_gen_op *ops);

/** trc_gen_attention_flops - analytic FLOPs of attention with @o (see gen_model.c). */
uint64_t trc_gen_attention_flops(const struct trc_gen_model_opts *o);

/** trc_gen_transformer_flops - analytic FLOPs of @o->layers transformer layers. */
uint64_t trc_gen_transformer_flops(const struct trc_gen_model_opts *o);

/** trc_gen_attention_bwd_flops - analytic FLOPs of attention's backward with @o. */
uint64_t trc_gen_attention_bwd_flops(const struct trc_gen_model_opts *o);

/**
 * trc_gen_transformer_bwd_flops - analytic FLOPs of the backward of @o->layers layers
 * (@o->head_dim = hidden / heads).
 */
uint64_t trc_gen_transformer_bwd_flops(const struct trc_gen_model_opts *o);

/**
 * trc_gen_transformer_saved_bytes - bytes of the forward activations one layer's
 * backward reads (kept in HBM from the forward to the backward).
 */
uint64_t trc_gen_transformer_saved_bytes(const struct trc_gen_model_opts *o);

/**
 * trc_gen_attention - write the attention trace to @path (with @o->backward, then its
 * TRC_GEN_ATTN_BWD_OPS backward operations as a second group). @stats may be NULL.
 */
hlsim_err_t trc_gen_attention(const struct trc_gen_model_opts *o, const char *path,
			      const char *cmdline, struct trc_gen_model_stats *stats);

/**
 * trc_gen_transformer - write @o->layers forward layers to @path, one operation group
 * per layer (each layer's CSs written and released before the next); with
 * @o->backward then @o->layers backward groups of TRC_GEN_LAYER_BWD_OPS operations, last
 * layer first (HLSIM_E_USAGE if the kept activations, weights and their gradients
 * exceed the ASIC's HBM). @stats may be NULL.
 */
hlsim_err_t trc_gen_transformer(const struct trc_gen_model_opts *o, const char *path,
				const char *cmdline, struct trc_gen_model_stats *stats);

/**
 * trc_gen_model_main - `hlsim gen attention|transformer [options] -o TRACE`: @argv[0]
 * is the kind. Returns the exit status (0, 1 failure, 2 usage).
 */
int trc_gen_model_main(int argc, char **argv);

#endif /* HLSIM_TRC_GEN_MODEL_H */
