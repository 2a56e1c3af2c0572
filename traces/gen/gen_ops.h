/**
 * traces/gen/gen_ops.h - a workload of several operations (GEMMs on the MMEs, TPC
 * kernels, DMA copies and transposes) lowered into one trace, one execute CS per
 * operation, each operation's jobs fenced on the completion SOBs of the operations it
 * depends on (see gen_ops.c); the `hlsim gen reduction|softmax|layernorm|copy|
 * transpose` commands (a workload of one operation) and `hlsim gen graph` (a workload
 * file, gen_graph.c, format in traces/gen/GRAPH.md).
 */
#ifndef HLSIM_TRC_GEN_OPS_H
#define HLSIM_TRC_GEN_OPS_H

#include <stdint.h>

#include "hlsim/error.h"

#define TRC_GEN_OPS_MAX_OPS 256 /* operations in one workload */
#define TRC_GEN_OPS_MAX_DEPS 8 /* dependencies of one operation */
#define TRC_GEN_OPS_NAME_BYTES 32 /* an operation's name, with its NUL */

/** enum trc_gen_op_kind - what an operation computes and where. */
enum trc_gen_op_kind {
	TRC_GEN_OP_GEMM = 0, /* O[m x n] = A[m x k] . B[k x n] on the MMEs */
	TRC_GEN_OP_ELEMENTWISE, /* C = A op B over elements, on the TPCs */
	TRC_GEN_OP_REDUCTION, /* y[r] = sum over c of x[r][c], on the TPCs */
	TRC_GEN_OP_SOFTMAX, /* softmax along each row of rows x cols, on the TPCs */
	TRC_GEN_OP_LAYERNORM, /* layer normalisation of each row, gamma and beta, TPCs */
	TRC_GEN_OP_COPY, /* HBM -> HBM copy of elements, LIN_DMA on the internal DMAs */
	TRC_GEN_OP_TRANSPOSE, /* rows x cols -> cols x rows, strided DMA COMMIT */
	TRC_GEN_OP_SOFTMAX_BWD, /* dS = P (dP - rowsum(dP P)) of rows x cols, TPCs */
	TRC_GEN_OP_LAYERNORM_BWD, /* dX of a layernorm from dY, X and gamma, TPCs */
	TRC_GEN_OP_KIND_COUNT_
};

/**
 * enum trc_gen_causal - which work a causal (masked) attention operation skips. Query
 * index = the row (m) index; a key index above the query's is masked.
 * @TRC_GEN_CAUSAL_NONE: none.
 * @TRC_GEN_CAUSAL_N: GEMM S = Q . K^T: row block b (causal_block rows) computes output
 *                    columns below (b + 1) x causal_block only (needs m = n); softmax:
 *                    row r uses (r mod cols) + 1 columns (rows are queries of cols keys).
 * @TRC_GEN_CAUSAL_K: GEMM O = P . V: row block b contracts over k below (b + 1) x
 *                    causal_block only (needs m = k).
 * @TRC_GEN_CAUSAL_K_FROM: GEMM dV = P^T . dO or dK = dS^T . Q (rows are keys, k runs
 *                    over queries): row block b contracts over k from b x causal_block
 *                    to the end only (needs m = k).
 */
enum trc_gen_causal {
	TRC_GEN_CAUSAL_NONE = 0,
	TRC_GEN_CAUSAL_N,
	TRC_GEN_CAUSAL_K,
	TRC_GEN_CAUSAL_K_FROM,
};

#define TRC_GEN_IN_OWN 0xFFu /* trc_gen_op.in_from: the input is a buffer of its own */

/** enum trc_gen_stage - where a GEMM operation's MMEs find their operands. */
enum trc_gen_stage {
	TRC_GEN_STAGE_DEFAULT = 0, /* trc_gen_op.stage: as trc_gen_ops_opts.stage_sram says */
	TRC_GEN_STAGE_HBM, /* in HBM, read by the MMEs directly */
	TRC_GEN_STAGE_SRAM, /* staged through SRAM by internal DMAs (gen_gemm.c) */
};

/**
 * struct trc_gen_op - one operation of a workload.
 * @name: its name (1..31 of A-Z a-z 0-9 _ . -).
 * @kind: enum trc_gen_op_kind.
 * @m, @n, @k: GEMM sizes (1..2^31).
 * @transpose_a, @transpose_b: GEMM operands stored transposed (A as K x M, B as N x K).
 * @elements: elements of elementwise and copy tensors (1..2^32-1).
 * @flops_per_element: elementwise arithmetic operations per element (1..10^6).
 * @rows, @cols: shape of reduction, softmax, layernorm and transpose inputs.
 * @dtype: element type name ("bf16", "fp32", ...).
 * @after: indices of the operations it depends on, all smaller than its own index.
 * @num_after: how many.
 * @line: line of its section in a workload file (0: none), for messages.
 * @batch: GEMM: independent GEMMs of this shape, operands one after the other
 *         (attention heads); 0 or 1: one.
 * @causal: enum trc_gen_causal (GEMM, softmax); @causal_block: its row block (GEMM).
 * @unary: elementwise: one input (Y = f(X), e.g. GELU) instead of two.
 * @in_from: where input i comes from: 0, the output of dependency i (when it is at
 *           least as large; else a buffer of its own); 1..TRC_GEN_OPS_MAX_DEPS, the
 *           output of dependency in_from - 1; TRC_GEN_IN_OWN, a buffer of its own (a
 *           dependency only orders the operation).
 * @stage: GEMM: enum trc_gen_stage (a batched or causal GEMM cannot be staged).
 */
struct trc_gen_op {
	char name[TRC_GEN_OPS_NAME_BYTES];
	enum trc_gen_op_kind kind;
	uint64_t m, n, k;
	uint8_t transpose_a, transpose_b;
	uint64_t elements, flops_per_element;
	uint64_t rows, cols;
	char dtype[16];
	uint32_t after[TRC_GEN_OPS_MAX_DEPS];
	uint32_t num_after;
	uint32_t line;
	uint64_t batch;
	uint8_t causal;
	uint32_t causal_block;
	uint8_t unary;
	uint8_t in_from[3];
	uint8_t stage;
};

/**
 * struct trc_gen_ops_opts - how a workload is lowered.
 * @asic: ASIC name ("gaudi").
 * @tpcs: TPCs a TPC kernel's index space is spread over (at most the ASIC's).
 * @dmas: internal DMA engines a copy or transpose is split over (0: all of them).
 * @mmes: logical MMEs a GEMM is split over (0: all of them).
 * @stage_sram: GEMMs whose @stage is TRC_GEN_STAGE_DEFAULT are staged through SRAM.
 */
struct trc_gen_ops_opts {
	const char *asic;
	uint32_t tpcs, dmas, mmes;
	uint8_t stage_sram;
};

/**
 * struct trc_gen_ops_stats - what was written.
 * @packets: packets of the programs and jobs (not the driver's epilogues).
 * @ops: operations (one execute CS each).
 * @tpc_launches, @mme_launches, @dma_jobs: launches and DMA jobs.
 * @flops: FLOPs of all launches (TPC cost hints and MME GEMMs).
 * @dma_bytes: bytes the copy and transpose jobs move.
 */
struct trc_gen_ops_stats {
	uint64_t packets;
	uint32_t ops, tpc_launches, mme_launches, dma_jobs;
	uint64_t flops, dma_bytes;
};

/** trc_gen_ops_defaults - gaudi, 8 TPCs, every internal DMA, every MME. */
void trc_gen_ops_defaults(struct trc_gen_ops_opts *o);

/** trc_gen_op_kind_name - "gemm", "softmax", ...; NULL for a bad value. */
const char *trc_gen_op_kind_name(enum trc_gen_op_kind kind);

/** trc_gen_op_kind_by_name - the kind called @name; -1 if none. */
int trc_gen_op_kind_by_name(const char *name);

/**
 * trc_gen_op_flops - the analytic FLOPs of @op: 2 m n k for a GEMM (times batch; causal:
 * the sum over row blocks of 2 x rows x the unmasked n or k x the other), elements x
 * flops-per-element, rows x cols for a reduction (one add per element), 5 rows x cols
 * for a softmax (causal: 5 x the unmasked elements), 8 rows x cols for a layernorm, 0
 * for a copy or transpose; 5 rows x cols for a softmax backward (causal: of the unmasked
 * elements), 16 rows x cols for a layernorm backward (see gen_ops.c).
 */
uint64_t trc_gen_op_flops(const struct trc_gen_op *op);

/**
 * trc_gen_ops - lower the @n operations @ops (in dependency order: every @after index
 * below the operation's own) into a trace at @path, @cmdline as generator string;
 * @stats may be NULL. HLSIM_E_USAGE for a bad shape, dtype or option (the detail names
 * the operation and its line when it has one), HLSIM_E_UNSUPPORTED for an ASIC without
 * the engines an operation needs (a TPC layout, an MME layout), or the writer's error.
 */
hlsim_err_t trc_gen_ops(const struct trc_gen_ops_opts *o, const struct trc_gen_op *ops,
			uint32_t n, const char *path, const char *cmdline,
			struct trc_gen_ops_stats *stats);

/**
 * struct trc_gen_ops_writer - a trace being written group by group (opaque).
 */
struct trc_gen_ops_writer;

/**
 * trc_gen_ops_open - start a trace at @path (@cmdline: generator string) whose
 * operations are lowered with @o (kept, not copied) group by group. HLSIM_E_USAGE /
 * HLSIM_E_UNSUPPORTED as trc_gen_ops(), or the writer's error. Close with
 * trc_gen_ops_close() on every path.
 */
hlsim_err_t trc_gen_ops_open(const struct trc_gen_ops_opts *o, const char *path,
			     const char *cmdline, struct trc_gen_ops_writer **out);

/**
 * trc_gen_ops_append - lower the @n operations @ops (dependencies inside the group,
 * as for trc_gen_ops()) as the next group and write its CSs, then release them: the
 * group's programs go to a fresh HBM region downloaded by its own CS (submitted before
 * the host waits for the previous group's last CS, so it overlaps that group's work),
 * then one CS per operation; the last also carries the sink. Sync objects and monitors
 * are reused by every group (the host waits for the previous group before submitting
 * this one's operations). Inputs that are not a dependency's output are placed in HBM
 * for good (weights), outputs in a region reused by every group (activations).
 */
hlsim_err_t trc_gen_ops_append(struct trc_gen_ops_writer *s, const struct trc_gen_op *ops,
			       uint32_t n);

/**
 * trc_gen_ops_close - finish the trace (the host waits for the last CS), close it and
 * free @s; @stats (may be NULL) gets the totals. close(NULL) is a no-op returning
 * HLSIM_OK. With @abandon set (after an error) nothing more is written and the trace
 * file, if it was created, is removed.
 */
hlsim_err_t trc_gen_ops_close(struct trc_gen_ops_writer *s, int abandon,
			      struct trc_gen_ops_stats *stats);

/**
 * trc_gen_ops_main - `hlsim gen reduction|softmax|layernorm|copy|transpose`: @argv[0]
 * is the kind, the options follow. Returns the exit status (0, 1 failure, 2 usage).
 */
int trc_gen_ops_main(int argc, char **argv);

/**
 * trc_gen_graph_parse - read the workload file @path (traces/gen/GRAPH.md) into a
 * calloc'ed array *@ops_out of *@n_out operations in dependency order (file order
 * where the dependencies allow) and its [graph] settings into @o (kept where the file
 * is silent). HLSIM_E_USAGE with "FILE:LINE: ..." for anything wrong in it, HLSIM_E_IO
 * if it cannot be read. The caller frees *@ops_out.
 */
hlsim_err_t trc_gen_graph_parse(const char *path, struct trc_gen_ops_opts *o,
				struct trc_gen_op **ops_out, uint32_t *n_out);

/**
 * trc_gen_graph_main - `hlsim gen graph FILE -o TRACE`: @argv[0] is "graph". Returns
 * the exit status (0, 1 failure, 2 usage or a bad workload file).
 */
int trc_gen_graph_main(int argc, char **argv);

#endif /* HLSIM_TRC_GEN_OPS_H */
