/*
 * traces/gen/gen_ops.c - a workload of operations lowered into one trace the way the
 * runtime launches a graph (GAUDI-FACTS.md §3.4, §6), with the packets of gen_common.c:
 *
 *   CS seq 1 (download): one LIN_DMA host -> HBM bringing every TPC and MME lower-CP
 *     program (and the one-CP_DMA upper CB calling it) into HBM; the trace records
 *     them as device-memory images. The program waits for it. (A workload of DMA
 *     operations only has no programs in HBM and no download.)
 *   CS seq 2 + i, one per operation i, submitted back to back without waiting:
 *     TPC kernel (elementwise, reduction, softmax, layernorm): one job per TPC used,
 *       a CP_DMA to a lower-CP program that, for each operation it depends on, arms a
 *       monitor "SOB of that operation >= its count" -> the lower CP's fence 0 and
 *       FENCEs on it, then writes the whole descriptor, SM_BASE_ADDRESS_HIGH, TPC_CMD
 *       (invalidate, EB=1) and TPC_EXECUTE; the descriptor's sync object is "SOB of
 *       this operation += 1". Each job carries kernel_name and cost_hint annotations.
 *     GEMM: one job per MME used (trc_gen_gemm_plan cuts the GEMM), a CP_DMA to a
 *       lower-CP program: the monitors and FENCEs, per launch the ARCH descriptor and
 *       MME_CTRL_CMD (EB=1 MB=1), then MSG_SHORT "SOB += 1" with EB=1.
 *     GEMM staged through SRAM (trc_gen_op.stage or trc_gen_ops_opts.stage_sram; the
 *       stager of gen_gemm.c, "SRAM staging"): one job per MME, a CP_DMA to a lower-CP
 *       program: the dependency monitors and FENCEs, the stager's launches (each
 *       fenced on its SRAM inputs and O buffer, descriptors with SRAM addresses), then
 *       "SOB += 1" with EB=1; and one job per internal DMA queue the stager uses, in its
 *       upper CB: the dependency FENCEs, a FENCE on the group's previous staged GEMM
 *       (the SRAM buffers are shared: staged GEMMs run one after the other), the
 *       queue's copies, "SOB += 1" with EB=1 (after its copies have drained). The
 *       stager's SOBs (5 per MME) follow the group's operation SOBs, its monitors are
 *       the next free ones, and the sink resets its SOBs. Batched and causal GEMMs
 *       are not staged.
 *     copy: one job per internal DMA engine used, in its upper CB: the monitors and
 *       FENCEs, the DMA core's completion write pointed at "SOB += 1", LIN_DMAs of its
 *       contiguous share (at most 1 GiB each), the last with wr_comp.
 *     transpose: one job per internal DMA used, in its upper CB: the monitors and
 *       FENCEs, the completion write, then a strided transfer programmed in the DMA
 *       core registers (WREG_32) and started by COMMIT (lin=0, wr_comp): a block of rows
 *       of X read in order (SRC_TSIZE_0 = one element, SRC_TSIZE_1 = cols, SRC_TSIZE_2 =
 *       the rows) and written as columns of Y (DST_TSIZE_0 = one element, DST_TSIZE_1 =
 *       cols with DST_STRIDE_1 = rows elements, DST_TSIZE_2 = rows with DST_STRIDE_2 = one
 *       element). Register offsets: Gaudi dma_core_regs.h [C]; that the core walks an
 *       element-granular 3-D box this way is [I].
 *   The last CS also holds the sink: a job on DMA_1_0 (external, so the CS completes)
 *   that fences on every operation's SOB reaching its count and then resets them all
 *   to 0 (the last with EB=1). The program waits for that CS at the end.
 *
 * Groups (trc_gen_ops_open / _append / _close; trc_gen_ops() is one group): a trace can
 * be written as successive groups of operations, each built, written and released
 * before the next (gen_model.c writes a transformer layer per group). A group's programs
 * go to a fresh HBM region after the previous group's, downloaded by its own CS, which
 * is submitted before the host waits for the previous group's last CS; then the host
 * waits for the download and submits the group's operation CSs (the last with the
 * sink). Sync objects, monitors and the activation region are reused by every group.
 *
 * Batched and causal GEMMs (attention, gen_model.c): a GEMM with batch B is B GEMMs
 * of the same shape, operands one after the other; each is cut by trc_gen_gemm_plan. A
 * causal GEMM is first cut into blocks of causal_block rows (queries); block b computes
 * only the key columns below (b + 1) x causal_block (S = Q.K^T) or contracts only over
 * them (O = P.V). A causal softmax counts row r's (r mod cols) + 1 unmasked elements.
 *
 * Gaudi2: the same lowering with Gaudi2 packets and queues, TPC launches through
 * hlsim's Gaudi2 TPC interpretation (gen_tpc.c, models/gaudi2/gaudi2_tpc.c; the first
 * row of a TPC's partition, tid_base_dim_1, has no register there and is taken as 0),
 * up to 24 TPCs, the sync objects from 128 in DCORE0's sync manager, the EDMAs as the
 * internal DMA engines. [I] The strided transpose writes the source-side registers at
 * Gaudi's DMA core offsets (the Gaudi2 ones are not in this project's sources); the
 * simulator times the transfer from the destination sizes, which are Gaudi2's.
 *
 * Operands live in HBM (no host traffic beyond the download). Each operation's output
 * gets its own HBM buffer; its i-th input is the output of its i-th dependency when
 * that is at least as large, else a buffer of its own [I: a graph compiler would also
 * place operands in SRAM and reuse buffers; not modelled here].
 *
 * Inputs that are not a dependency's output (weights) are placed from the bottom of the
 * data region up, for good; outputs (activations) from the top of HBM down, a region
 * every group reuses.
 *
 * TPC partition rule: elementwise kernels as gen_elementwise.c (one point per 256-byte
 * vector along dim 0, contiguous ranges, earlier TPCs one more); row kernels have a
 * 2-D index space (dim 0: vectors per row, dim 1: rows) split by rows, earlier TPCs one
 * more row. TPCs used = min(tpcs, rows or vectors). Cost hints per launch, for its r
 * rows of c columns and element size S (e elements for elementwise):
 *   elementwise: flops = e x F,   bytes = 3 e S (A, B read, C written; unary: 2 e S)
 *   reduction:   flops = r c,     bytes = (r c + r) S (one add per element)
 *   softmax:     flops = 5 r c,   bytes = 4 r c S (max, exp-sum and normalise passes
 *                read X, the last writes Y; 5 = compare, subtract, exp, add, multiply;
 *                causal: the unmasked elements instead of r c)
 *   layernorm:   flops = 8 r c,   bytes = (3 r c + 2 c) S (statistics and normalise
 *                passes read X, Y written, gamma and beta read once per launch; 8 = sum,
 *                subtract, square, add, subtract, multiply by rstd, by gamma, add beta)
 *   copy:        flops = 0,       bytes = 2 x its share (read and written)
 *   transpose:   flops = 0,       bytes = 2 r c S for its r rows
 * (copy and transpose jobs carry the same two annotations on their DMA queue; the
 * simulator times DMA from the packets, so there the hint only names the work. GEMM
 * jobs carry a kernel_name "gemm_OPNAME_DTYPE" only.)
 *   softmax_bwd: flops = 5 r c,  bytes = 5 r c S (dS = P (dP - rowsum(dP P)) with the
 *                1/sqrt(D) scale folded in: pass 1 reads dP and P for the row sums, 2 per
 *                element (multiply, add); pass 2 reads them again and writes dS, 3 per
 *                element (subtract, multiply, scale); causal: the unmasked elements)
 *   layernorm_bwd: flops = 16 r c, bytes = (5 r c + 2 r + 3 c) S (pass 1 reads X and dY:
 *                xhat = (x - mean) rstd 2, g = dy gamma 1, sum g 1, sum g xhat 2, dgamma
 *                += dy xhat 2, dbeta += dy 1; pass 2 reads them again and writes dX:
 *                xhat 2, g 1, dx = rstd (g - mean(g) - xhat mean(g xhat)) 4; the forward's
 *                per-row mean and rstd are read (2 r); gamma read and the launch's dgamma
 *                and dbeta partials written, 3 c. [I] Summing the partials of the TPCs
 *                (2 c x TPCs adds) is not a kernel here, and the forward layernorm does
 *                not write mean and rstd: their bytes are counted, not their buffers)
 * The per-element counts are [I]: the kernels' instructions are not public.
 *
 * Inputs may name their dependency (trc_gen_op.in_from) or be buffers of their own with
 * the dependency only ordering the operation (backward GEMMs read a saved activation
 * and a gradient). A causal GEMM with TRC_GEN_CAUSAL_K_FROM (dV = P^T dO, dK = dS^T Q:
 * rows are keys) contracts row block b over queries from b x causal_block to the end,
 * its operands' addresses offset to that first query.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hlsim/trace.h"
#include "models/common/asic.h"
#include "models/common/mme.h"
#include "models/common/tpc.h"
#include "models/gaudi/gaudi_mme.h"
#include "traces/gen/gen_common.h"
#include "traces/gen/gen_gemm.h"
#include "traces/gen/gen_ops.h"
#include "traces/gen/gen_tpc.h"

#define SOB_FIRST 64 /* E_N SOBs below this are the driver's default DMA completions */
#define SOB_FIRST_OTHER 128 /* Gaudi2: DCORE0 SOBs 0..84 are the driver's */
#define MON_FIRST 0
#define LOWER_CP 4 /* the CP index of a QMAN's lower CP */
#define ISA_OFFSET_BYTES (128ull << 20) /* kernel regions from here in user HBM */
#define DATA_OFFSET_BYTES (256ull << 20) /* operands from here */
#define ALIGN_BYTES (2ull << 20)
#define CB_ALIGN 128u
#define DMA_CHUNK_BYTES (1ull << 30)
#define TPC_VECTOR_BYTES TRC_GEN_TPC_VECTOR_BYTES /* 2048-bit SIMD [V] DOC-TPC */
#define KERNEL_ID_BASE TRC_GEN_TPC_KERNEL_ID_BASE
#define MAX_UNITS 32 /* jobs of one operation */
#define CS_GAP_NS 10000
#define IOCTL_NS 5000
#define WAIT_TIMEOUT_US 100000000ull
/* Gaudi DMA core registers of a strided transfer [C dma_core_regs.h], block offsets */
#define DMA_SRC_TSIZE_1 0x2Cu /* SRC_TSIZE_k at 0x2C + 8 (k - 1), SRC_STRIDE_k + 4 */
#define DMA_SRC_TSIZE_0 0x4Cu
#define DMA_DST_STRIDE_1 0x58u /* DST_STRIDE_k at 0x58 + 8 (k - 1) */

/* One job of an operation: its queue and, for a program in HBM, its upper CB. */
struct unit {
	uint32_t queue, qman;
	uint64_t upper_addr, upper_blob;
	uint32_t upper_size;
	uint64_t lo, count; /* TPC: partition (points or rows); DMA: bytes or rows */
};

/* The plan of one operation. */
struct opp {
	uint32_t sob, target, nunits;
	uint32_t elem_bytes, dtype_code;
	enum mdl_mme_dtype mme_dtype;
	uint64_t in[3], out, in_bytes[3], out_bytes;
	uint32_t nin;
	uint64_t isa; /* TPC kernel region */
	uint64_t vec; /* elements per TPC point */
	char kernel[64]; /* kernel name: at most 63 characters, as a cost hint takes */
	struct unit u[MAX_UNITS];
	/* a GEMM staged through SRAM: units [0, nmme) are its MMEs, the rest DMA queues */
	struct trc_gen_gemm_stager *stg;
	uint32_t nmme;
	uint32_t stage_after; /* the group's previous staged GEMM (UINT32_MAX: none) */
};

/*
 * One MME launch of a GEMM operation: batch entry @b, output rows [@m0, @m0+@m) and
 * columns [@n0, @n0+@n), contracting over k [0, @k) (@k < K for a causal P . V block).
 */
struct glaunch {
	uint32_t mme, b;
	uint32_t m0, n0, m, n, k;
	uint32_t k0; /* first k contracted (causal K_FROM), else 0 */
};

#define MAX_GEMM_LAUNCHES (1u << 20) /* launches of one GEMM operation */

/* The state of a trace written group by group (struct trc_gen_ops_writer). */
struct og {
	struct trc_gen_ctx x;
	const struct trc_gen_ops_opts *o;
	const struct trc_gen_op *ops; /* the current group */
	uint32_t n;
	const struct mdl_tpc_layout *tl;
	const struct mdl_mme_layout *ml;
	hlsim_trace_writer_t *w;
	struct opp *p;
	struct trc_gen_gemm_launch *plan; /* one GEMM block's plan (scratch) */
	struct glaunch *gl; /* the current GEMM operation's launches */
	uint32_t ngl, capgl;
	uint32_t *regs; /* an engine register block (MME descriptors) */
	uint32_t desc[1024]; /* one TPC descriptor */
	uint32_t dma_engines[16], ndma;
	uint32_t mon_next, sob_first;
	uint32_t stage_sob_next, last_staged; /* staged GEMMs: their SOBs, the latest */
	uint64_t prog_base, prog_bytes, next_data;
	/* across groups */
	uint64_t prog_next; /* the next group's program region */
	uint64_t act_top, act_next; /* outputs: from act_top down, reset every group */
	uint64_t seq_next, last_seq; /* the next CS seq; the previous group's last CS */
	int64_t now_ns; /* host time of the next ioctl */
	uint32_t groups;
	char *path, *cmdline; /* the trace: created by the first group (removed if abandoned) */
	struct trc_gen_ops_stats st;
};

static const char *const kind_names[TRC_GEN_OP_KIND_COUNT_] = {
	"gemm", "elementwise", "reduction", "softmax", "layernorm", "copy", "transpose",
	"softmax_bwd", "layernorm_bwd",
};

const char *trc_gen_op_kind_name(enum trc_gen_op_kind kind)
{
	return (unsigned)kind < TRC_GEN_OP_KIND_COUNT_ ? kind_names[kind] : NULL;
}

int trc_gen_op_kind_by_name(const char *name)
{
	int i;

	for (i = 0; name && i < TRC_GEN_OP_KIND_COUNT_; i++)
		if (!strcmp(name, kind_names[i]))
			return i;
	return -1;
}

/* FLOPs per element of a row kernel (see the top of the file). */
static uint64_t row_flops_per_element(enum trc_gen_op_kind kind)
{
	switch (kind) {
	case TRC_GEN_OP_REDUCTION:
		return 1;
	case TRC_GEN_OP_SOFTMAX:
		return 5;
	case TRC_GEN_OP_LAYERNORM:
		return 8;
	case TRC_GEN_OP_SOFTMAX_BWD:
		return 5;
	case TRC_GEN_OP_LAYERNORM_BWD:
		return 16;
	default:
		return 0;
	}
}

/* Sum over rows r < @x of (r mod @c) + 1. */
static uint64_t tri_upto(uint64_t x, uint64_t c)
{
	uint64_t q = x / c, r = x % c;

	return q * (c * (c + 1) / 2) + r * (r + 1) / 2;
}

/* The unmasked elements of causal softmax rows [@lo, @lo + @count) of @cols columns. */
static uint64_t causal_elements(uint64_t lo, uint64_t count, uint64_t cols)
{
	return tri_upto(lo + count, cols) - tri_upto(lo, cols);
}

/*
 * Row block @rb of a GEMM: its rows, the n it computes and the k it contracts, from
 * *@k0 (causal masks).
 */
static void gemm_block(const struct trc_gen_op *op, uint64_t rb, uint64_t *rows, uint64_t *n,
		       uint64_t *k, uint64_t *k0)
{
	uint64_t T = op->causal ? op->causal_block : op->m, lim = (rb + 1) * T;

	*rows = op->m - rb * T < T ? op->m - rb * T : T;
	*n = op->causal == TRC_GEN_CAUSAL_N && lim < op->n ? lim : op->n;
	*k = op->causal == TRC_GEN_CAUSAL_K && lim < op->k ? lim : op->k;
	*k0 = op->causal == TRC_GEN_CAUSAL_K_FROM ? rb * T : 0;
	*k -= *k0;
}

static uint64_t gemm_blocks(const struct trc_gen_op *op)
{
	uint64_t T = op->causal ? op->causal_block : op->m;

	return T ? (op->m + T - 1) / T : 0;
}

uint64_t trc_gen_op_flops(const struct trc_gen_op *op)
{
	uint64_t rb, rows, n, k, k0, sum = 0, batch = op->batch ? op->batch : 1;

	switch (op->kind) {
	case TRC_GEN_OP_GEMM:
		for (rb = 0; rb < gemm_blocks(op); rb++) {
			gemm_block(op, rb, &rows, &n, &k, &k0);
			sum += 2 * rows * n * k;
		}
		return batch * sum;
	case TRC_GEN_OP_ELEMENTWISE:
		return op->elements * op->flops_per_element;
	case TRC_GEN_OP_SOFTMAX:
		if (op->causal && op->cols)
			return 5 * causal_elements(0, op->rows, op->cols);
		return 5 * op->rows * op->cols;
	case TRC_GEN_OP_SOFTMAX_BWD:
		if (op->causal && op->cols)
			return 5 * causal_elements(0, op->rows, op->cols);
		return 5 * op->rows * op->cols;
	case TRC_GEN_OP_REDUCTION:
	case TRC_GEN_OP_LAYERNORM:
	case TRC_GEN_OP_LAYERNORM_BWD:
		return row_flops_per_element(op->kind) * op->rows * op->cols;
	default:
		return 0;
	}
}

void trc_gen_ops_defaults(struct trc_gen_ops_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->asic = "gaudi";
	o->tpcs = 8;
}

static int is_row_kind(enum trc_gen_op_kind k)
{
	return k == TRC_GEN_OP_REDUCTION || k == TRC_GEN_OP_SOFTMAX || k == TRC_GEN_OP_LAYERNORM ||
	       k == TRC_GEN_OP_SOFTMAX_BWD || k == TRC_GEN_OP_LAYERNORM_BWD;
}

static int is_tpc_kind(enum trc_gen_op_kind k)
{
	return k == TRC_GEN_OP_ELEMENTWISE || is_row_kind(k);
}

/* Whether GEMM @op is staged through SRAM (its own stage, else the workload's). */
static int is_staged(const struct og *g, const struct trc_gen_op *op)
{
	return op->kind == TRC_GEN_OP_GEMM &&
	       (op->stage == TRC_GEN_STAGE_SRAM ||
		(op->stage == TRC_GEN_STAGE_DEFAULT && g->o->stage_sram));
}

/* {==== checks and placement ==== */

/* The prefix naming operation @i in messages: "op 'NAME' (line L)". */
static const char *op_where(const struct og *g, uint32_t i, char *buf, size_t cap)
{
	if (g->ops[i].line)
		snprintf(buf, cap, "op '%s' (line %u)", g->ops[i].name, g->ops[i].line);
	else
		snprintf(buf, cap, "op '%s'", g->ops[i].name);
	return buf;
}

/* The TPC data type called @name: its code and size; -1 if the ASIC has none. */
static int tpc_dtype(const struct og *g, const char *name, uint32_t *code, uint32_t *bytes)
{
	return trc_gen_tpc_dtype(g->tl, name, code, bytes);
}

static hlsim_err_t check_op(struct og *g, uint32_t i)
{
	const struct trc_gen_op *op = &g->ops[i];
	struct opp *p = &g->p[i];
	char w[96];
	uint32_t j;

	op_where(g, i, w, sizeof(w));
	for (j = 0; j < op->num_after; j++)
		if (op->after[j] >= i)
			return hlsim_error(HLSIM_E_USAGE,
					   "%s: dependency %u is not an earlier operation", w, j);
	for (j = 0; j < 3; j++)
		if (op->in_from[j] && op->in_from[j] != TRC_GEN_IN_OWN &&
		    op->in_from[j] > op->num_after)
			return hlsim_error(HLSIM_E_USAGE,
					   "%s: input %u from dependency %u: it has %u", w, j,
					   op->in_from[j] - 1u, op->num_after);
	if (op->kind == TRC_GEN_OP_GEMM) {
		if (!g->ml)
			return hlsim_error(HLSIM_E_UNSUPPORTED, "%s: %s has no MME layout", w,
					   g->x.p->asic_name);
		if (mdl_mme_dtype_by_name(op->dtype, &p->mme_dtype))
			return hlsim_error(HLSIM_E_USAGE,
					   "%s: dtype '%s': not an MME data type (bf16, fp32, fp8)",
					   w, op->dtype);
		p->elem_bytes = mdl_mme_dtype_bytes(p->mme_dtype);
		if (!op->m || !op->n || !op->k || op->m > (1u << 31) || op->n > (1u << 31) ||
		    op->k > (1u << 31))
			return hlsim_error(HLSIM_E_USAGE,
					   "%s: m %" PRIu64 " n %" PRIu64 " k %" PRIu64
					   ": each must be 1..2^31",
					   w, op->m, op->n, op->k);
		if (op->batch > (1u << 20) || op->causal > TRC_GEN_CAUSAL_K_FROM ||
		    (op->causal && (!op->causal_block || op->causal_block > op->m)) ||
		    (op->causal == TRC_GEN_CAUSAL_N && op->m != op->n) ||
		    ((op->causal == TRC_GEN_CAUSAL_K || op->causal == TRC_GEN_CAUSAL_K_FROM) &&
		     op->m != op->k))
			return hlsim_error(HLSIM_E_USAGE,
					   "%s: batch %" PRIu64 ", causal %u, causal block %u: "
					   "batch at most 2^20; a causal block of 1..m rows, "
					   "m = n (scores) or m = k (P . V)",
					   w, op->batch, op->causal, op->causal_block);
		if (op->stage > TRC_GEN_STAGE_SRAM)
			return hlsim_error(HLSIM_E_USAGE, "%s: stage %u: expected hbm or sram", w,
					   op->stage);
		if (is_staged(g, op) && (op->batch > 1 || op->causal))
			return hlsim_error(HLSIM_E_USAGE,
					   "%s: stage sram: a batched or causal GEMM is not staged "
					   "(give it stage = hbm)",
					   w);
		return HLSIM_OK;
	}
	if (op->stage)
		return hlsim_error(HLSIM_E_USAGE, "%s: stage applies to gemm only", w);
	if (is_tpc_kind(op->kind) && !g->tl)
		return hlsim_error(HLSIM_E_UNSUPPORTED,
				   "%s: %s has no TPC layout this generator can write", w,
				   g->x.p->asic_name);
	if (tpc_dtype(g, op->dtype, &p->dtype_code, &p->elem_bytes))
		return hlsim_error(HLSIM_E_USAGE, "%s: dtype '%s': not a data type of %s", w,
				   op->dtype, g->x.p->asic_name);
	if (op->kind == TRC_GEN_OP_ELEMENTWISE || op->kind == TRC_GEN_OP_COPY) {
		if (!op->elements || op->elements > UINT32_MAX)
			return hlsim_error(HLSIM_E_USAGE,
					   "%s: elements %" PRIu64 ": expected 1..4294967295", w,
					   op->elements);
		if (op->kind == TRC_GEN_OP_ELEMENTWISE &&
		    (!op->flops_per_element || op->flops_per_element > 1000000))
			return hlsim_error(HLSIM_E_USAGE,
					   "%s: flops_per_element %" PRIu64 ": expected 1..1000000",
					   w, op->flops_per_element);
		return HLSIM_OK;
	}
	if (op->causal && op->kind != TRC_GEN_OP_SOFTMAX && op->kind != TRC_GEN_OP_SOFTMAX_BWD)
		return hlsim_error(HLSIM_E_USAGE, "%s: causal applies to gemm and softmax only", w);
	if (!op->rows || !op->cols || op->rows > UINT32_MAX || op->cols > UINT32_MAX ||
	    op->rows * op->cols > UINT32_MAX)
		return hlsim_error(HLSIM_E_USAGE,
				   "%s: rows %" PRIu64 " cols %" PRIu64
				   ": each must be at least 1 and rows x cols at most 4294967295",
				   w, op->rows, op->cols);
	if (op->kind == TRC_GEN_OP_TRANSPOSE && op->rows * p->elem_bytes > UINT32_MAX)
		return hlsim_error(HLSIM_E_USAGE, "%s: rows %" PRIu64 ": a column stride of "
				   "rows x element bytes must fit 32 bits", w, op->rows);
	return HLSIM_OK;
}

/*
 * An HBM buffer of @bytes for operation @i: inputs (@out 0) for good, from the bottom of
 * the data region up; outputs (@out 1) from the top down, a region every group reuses.
 */
static hlsim_err_t alloc_data(struct og *g, uint32_t i, uint64_t bytes, uint64_t *addr, int out)
{
	uint64_t need = trc_gen_align_up(bytes, ALIGN_BYTES);
	char w[96];

	if (need < bytes || need > g->act_next - g->next_data)
		return hlsim_error(HLSIM_E_USAGE,
				   "%s: its operands do not fit the %" PRIu64 " bytes of user HBM",
				   op_where(g, i, w, sizeof(w)), g->x.p->dram_size_bytes);
	if (out) {
		g->act_next -= need;
		*addr = g->act_next;
	} else {
		*addr = g->next_data;
		g->next_data += need;
	}
	return HLSIM_OK;
}

/* Input @k of operation @i, @bytes: the output of dependency @k if large enough. */
static hlsim_err_t input(struct og *g, uint32_t i, uint32_t k, uint64_t bytes)
{
	const struct trc_gen_op *op = &g->ops[i];
	struct opp *p = &g->p[i];
	/* the dependency whose output it is (none: TRC_GEN_OPS_MAX_DEPS) */
	uint32_t d = op->in_from[k] == TRC_GEN_IN_OWN ? TRC_GEN_OPS_MAX_DEPS
		     : op->in_from[k]		   ? op->in_from[k] - 1u
						   : k;

	p->in_bytes[k] = bytes;
	p->nin = k + 1;
	if (d < op->num_after && g->p[op->after[d]].out_bytes >= bytes) {
		p->in[k] = g->p[op->after[d]].out;
		return HLSIM_OK;
	}
	return alloc_data(g, i, bytes, &p->in[k], 0);
}

/*
 * The MME launches of GEMM operation @i into g->gl: per batch entry, per row block (the
 * whole M unless causal), trc_gen_gemm_plan's cut of that block, in that order.
 */
static hlsim_err_t gemm_launches(struct og *g, uint32_t i)
{
	const struct trc_gen_op *op = &g->ops[i];
	uint64_t B = op->batch ? op->batch : 1, b, rb, rows, n, k, k0;
	struct trc_gen_gemm_opts go;
	uint32_t np, l;
	hlsim_err_t rc;

	g->ngl = 0;
	trc_gen_gemm_defaults(&go);
	go.asic = g->o->asic;
	go.dtype = go.out_dtype = g->p[i].mme_dtype;
	go.mmes = g->o->mmes;
	for (rb = 0; rb < gemm_blocks(op); rb++) {
		gemm_block(op, rb, &rows, &n, &k, &k0);
		go.m = (uint32_t)rows;
		go.n = (uint32_t)n;
		go.k = (uint32_t)k;
		rc = trc_gen_gemm_plan(&go, g->ml->num_logical, g->plan, TRC_GEN_GEMM_MAX_LAUNCHES,
				       &np);
		if (rc)
			return rc;
		if ((uint64_t)g->ngl + B * np > MAX_GEMM_LAUNCHES)
			return hlsim_error(HLSIM_E_USAGE,
					   "more than %u MME launches in one operation",
					   MAX_GEMM_LAUNCHES);
		if (g->ngl + B * np > g->capgl) {
			uint32_t cap = g->capgl ? g->capgl : 1024;
			struct glaunch *gl;

			while (cap < g->ngl + B * np)
				cap *= 2;
			gl = realloc(g->gl, cap * sizeof(*gl));
			if (!gl)
				return hlsim_error(HLSIM_E_NOMEM, "gen: MME launches");
			g->gl = gl;
			g->capgl = cap;
		}
		for (b = 0; b < B; b++) {
			for (l = 0; l < np; l++) {
				struct glaunch *x = &g->gl[g->ngl++];

				x->mme = g->plan[l].mme;
				x->b = (uint32_t)b;
				x->m0 = (uint32_t)(rb * (op->causal ? op->causal_block : op->m)) +
					g->plan[l].m0;
				x->n0 = g->plan[l].n0;
				x->m = g->plan[l].m;
				x->n = g->plan[l].n;
				x->k = (uint32_t)k;
				x->k0 = (uint32_t)k0;
			}
		}
	}
	return HLSIM_OK;
}

/*
 * The stager of staged GEMM @i (operands placed): the whole user SRAM (staged GEMMs of
 * a group run one after the other: each waits for the previous one), its SOBs after
 * the group's operation SOBs, its monitors the next ones, the internal DMA engines a
 * copy would use; its units: one job per MME, then one per DMA queue.
 */
static hlsim_err_t stage_place(struct og *g, uint32_t i)
{
	const struct trc_gen_op *op = &g->ops[i];
	struct opp *p = &g->p[i];
	struct trc_gen_gemm_stage_env env = { 0 };
	const struct trc_gen_gemm_stage *st;
	struct trc_gen_gemm_opts go;
	uint32_t queues[16], D = g->o->dmas ? g->o->dmas : g->ndma, e, j, u = 0;
	hlsim_err_t rc;

	if (!g->ndma || D > g->ndma)
		return hlsim_error(HLSIM_E_USAGE, "dmas %u: %s has %u internal DMA engines", D,
				   g->x.p->asic_name, g->ndma);
	for (e = 0; e < D; e++)
		queues[e] = trc_gen_queue_id(&g->x, MDL_ENGINE_DMA, g->dma_engines[e], 0);
	trc_gen_gemm_defaults(&go);
	go.asic = g->o->asic;
	go.m = (uint32_t)op->m;
	go.n = (uint32_t)op->n;
	go.k = (uint32_t)op->k;
	go.dtype = go.out_dtype = p->mme_dtype;
	go.mmes = g->o->mmes;
	go.transpose_a = op->transpose_a;
	go.transpose_b = op->transpose_b;
	go.stage_sram = 1;
	env.x = &g->x;
	env.lay = g->ml;
	env.addr_a = p->in[0];
	env.addr_b = p->in[1];
	env.addr_o = p->out;
	env.sram_base = g->x.p->sram_base;
	env.sram_bytes = g->x.p->sram_size_bytes;
	env.sob_first = g->stage_sob_next;
	env.mon_first = g->mon_next;
	env.dma_queues = queues;
	env.num_dma_queues = D;
	rc = trc_gen_gemm_stager_new(&go, &env, &p->stg);
	if (rc)
		return rc;
	st = trc_gen_gemm_stager_info(p->stg);
	if (st->mmes + st->dma_queues > MAX_UNITS)
		return hlsim_error(HLSIM_E_UNSUPPORTED, "stage sram: %u MME and DMA jobs: at most %u",
				   st->mmes + st->dma_queues, MAX_UNITS);
	g->stage_sob_next += TRC_GEN_GEMM_STAGE_SOBS * st->mmes;
	g->mon_next += st->mmes + st->dma_queues;
	for (e = 0; e < st->mmes; e++) {
		p->u[u].queue = trc_gen_queue_id(&g->x, MDL_ENGINE_MME, g->ml->logical_engine[e], 0);
		if (p->u[u].queue == UINT32_MAX)
			return hlsim_error(HLSIM_E_UNSUPPORTED, "%s has no MME %u queue",
					   g->x.p->asic_name, g->ml->logical_engine[e]);
		u++;
	}
	for (e = 0; e < st->mmes; e++) {
		for (j = 0; j < trc_gen_gemm_stager_num_queues(p->stg, e); j++) {
			p->u[u].queue = trc_gen_gemm_stager_queue(p->stg, e, j);
			p->u[u].lo = e; /* its MME */
			p->u[u].count = j; /* its place among the MME's queues */
			u++;
		}
	}
	p->nmme = st->mmes;
	p->nunits = u;
	p->target = u; /* every MME and DMA job ends with "SOB += 1" (EB=1) */
	p->stage_after = g->last_staged;
	g->last_staged = i;
	return HLSIM_OK;
}

/* Place the operands of operation @i and split it into units (jobs). */
static hlsim_err_t place_op(struct og *g, uint32_t i)
{
	const struct trc_gen_op *op = &g->ops[i];
	struct opp *p = &g->p[i];
	uint64_t S = p->elem_bytes, units, T, u;
	hlsim_err_t rc = HLSIM_OK;
	char w[96];

	op_where(g, i, w, sizeof(w));
	switch (op->kind) {
	case TRC_GEN_OP_GEMM: {
		uint64_t B = op->batch ? op->batch : 1;

		rc = input(g, i, 0, B * op->m * op->k * S);
		if (!rc)
			rc = input(g, i, 1, B * op->k * op->n * S);
		p->out_bytes = B * op->m * op->n * S;
		break;
	}
	case TRC_GEN_OP_ELEMENTWISE:
		rc = input(g, i, 0, op->elements * S);
		if (!rc && !op->unary)
			rc = input(g, i, 1, op->elements * S);
		p->out_bytes = op->elements * S;
		break;
	case TRC_GEN_OP_COPY:
		rc = input(g, i, 0, op->elements * S);
		p->out_bytes = op->elements * S;
		break;
	case TRC_GEN_OP_LAYERNORM:
		rc = input(g, i, 0, op->rows * op->cols * S);
		if (!rc)
			rc = input(g, i, 1, op->cols * S); /* gamma */
		if (!rc)
			rc = input(g, i, 2, op->cols * S); /* beta */
		p->out_bytes = op->rows * op->cols * S;
		break;
	case TRC_GEN_OP_SOFTMAX_BWD:
		rc = input(g, i, 0, op->rows * op->cols * S); /* dP */
		if (!rc)
			rc = input(g, i, 1, op->rows * op->cols * S); /* P */
		p->out_bytes = op->rows * op->cols * S;
		break;
	case TRC_GEN_OP_LAYERNORM_BWD:
		rc = input(g, i, 0, op->rows * op->cols * S); /* dY */
		if (!rc)
			rc = input(g, i, 1, op->rows * op->cols * S); /* X */
		if (!rc)
			rc = input(g, i, 2, op->cols * S); /* gamma */
		p->out_bytes = op->rows * op->cols * S;
		break;
	default:
		rc = input(g, i, 0, op->rows * op->cols * S);
		p->out_bytes = (op->kind == TRC_GEN_OP_REDUCTION ? op->rows : op->rows * op->cols) *
			       S;
		break;
	}
	if (!rc)
		rc = alloc_data(g, i, p->out_bytes, &p->out, 1);
	if (rc)
		return rc;

	if (is_staged(g, op)) {
		rc = stage_place(g, i);
		if (rc)
			return hlsim_error_prefix(rc, "%s: ", w);
	} else if (op->kind == TRC_GEN_OP_GEMM) {
		rc = gemm_launches(g, i);
		if (rc)
			return hlsim_error_prefix(rc, "%s: ", w);
		p->nunits = 0;
		for (u = 0; u < g->ngl; u++)
			if (g->gl[u].mme + 1 > p->nunits)
				p->nunits = g->gl[u].mme + 1;
		for (u = 0; u < p->nunits; u++) {
			p->u[u].queue = trc_gen_queue_id(&g->x, MDL_ENGINE_MME,
							 g->ml->logical_engine[u], 0);
			if (p->u[u].queue == UINT32_MAX)
				return hlsim_error(HLSIM_E_UNSUPPORTED,
						   "%s: %s has no MME %u queue",
						   w, g->x.p->asic_name, g->ml->logical_engine[u]);
		}
		p->target = p->nunits;
	} else if (is_tpc_kind(op->kind)) {
		uint32_t max = trc_gen_tpc_count(&g->x);

		if (max > MAX_UNITS)
			max = MAX_UNITS;
		if (!g->o->tpcs || g->o->tpcs > max)
			return hlsim_error(HLSIM_E_USAGE,
					   "tpcs %u: expected 1..%u (the TPCs of %s)",
					   g->o->tpcs, max, g->x.p->asic_name);
		p->vec = TPC_VECTOR_BYTES / S;
		units = is_row_kind(op->kind) ? op->rows : (op->elements + p->vec - 1) / p->vec;
		T = g->o->tpcs < units ? g->o->tpcs : units;
		for (u = 0; u < T; u++) {
			p->u[u].count = units / T + (u < units % T);
			p->u[u].lo = u ? p->u[u - 1].lo + p->u[u - 1].count : 0;
			p->u[u].queue = trc_gen_queue_id(&g->x, MDL_ENGINE_TPC, (uint32_t)u, 0);
			if (p->u[u].queue == UINT32_MAX)
				return hlsim_error(HLSIM_E_UNSUPPORTED,
						   "%s: %s has no TPC %u queue",
						   w, g->x.p->asic_name, (uint32_t)u);
		}
		p->nunits = (uint32_t)T;
		p->target = p->nunits;
		p->isa = g->x.p->dram_base + ISA_OFFSET_BYTES +
			 (uint64_t)i * trc_gen_align_up(g->tl->kernel_align_bytes, 1);
	} else {
		uint32_t D = g->o->dmas ? g->o->dmas : g->ndma;

		if (!g->ndma || D > g->ndma)
			return hlsim_error(HLSIM_E_USAGE, "dmas %u: %s has %u internal DMA engines",
					   D, g->x.p->asic_name, g->ndma);
		/* copy: bytes in 128-byte units; transpose: rows */
		units = op->kind == TRC_GEN_OP_COPY ? (p->out_bytes + CB_ALIGN - 1) / CB_ALIGN
						    : op->rows;
		T = D < units ? D : units;
		for (u = 0; u < T; u++) {
			p->u[u].count = units / T + (u < units % T);
			p->u[u].lo = u ? p->u[u - 1].lo + p->u[u - 1].count : 0;
			p->u[u].queue =
				trc_gen_queue_id(&g->x, MDL_ENGINE_DMA, g->dma_engines[u], 0);
		}
		if (op->kind == TRC_GEN_OP_COPY) {
			/* 128-byte units to bytes, the last share ends at the tensor's end */
			for (u = 0; u < T; u++) {
				p->u[u].lo *= CB_ALIGN;
				p->u[u].count *= CB_ALIGN;
			}
			p->u[T - 1].count = p->out_bytes - p->u[T - 1].lo;
		}
		p->nunits = (uint32_t)T;
		p->target = p->nunits;
	}
	for (u = 0; u < p->nunits; u++)
		p->u[u].qman = g->x.f->qman_of_queue(p->u[u].queue);
	p->sob = g->sob_first + i;
	if (is_tpc_kind(op->kind)) {
		if (op->kind == TRC_GEN_OP_ELEMENTWISE && op->unary)
			snprintf(p->kernel, sizeof(p->kernel), "%s_%s", op->name, op->dtype);
		else if (op->kind == TRC_GEN_OP_ELEMENTWISE && op->flops_per_element == 1)
			snprintf(p->kernel, sizeof(p->kernel), "add_%s", op->dtype);
		else if (op->kind == TRC_GEN_OP_ELEMENTWISE)
			snprintf(p->kernel, sizeof(p->kernel), "eltwise%" PRIu64 "_%s",
				 op->flops_per_element, op->dtype);
		else
			snprintf(p->kernel, sizeof(p->kernel), "%s_%s",
				 op->kind == TRC_GEN_OP_REDUCTION     ? "reduce_sum"
				 : op->kind == TRC_GEN_OP_SOFTMAX     ? "softmax_fwd"
				 : op->kind == TRC_GEN_OP_LAYERNORM   ? "layernorm_fwd"
				 : op->kind == TRC_GEN_OP_SOFTMAX_BWD ? "softmax_bwd"
								      : "layernorm_bwd",
				 op->dtype);
	} else if (op->kind == TRC_GEN_OP_GEMM) {
		/* the operation's name tells the GEMMs of a graph apart in the profiler */
		snprintf(p->kernel, sizeof(p->kernel), "gemm_%s_%s", op->name, op->dtype);
	} else {
		snprintf(p->kernel, sizeof(p->kernel), "%s_%s", kind_names[op->kind], op->dtype);
	}
	return HLSIM_OK;
}

/* ====} */

/* {==== programs ==== */

/* Arm a monitor on each dependency of @i's SOB count -> fence 0 of CP @cp; FENCE each. */
static hlsim_err_t wait_deps(struct og *g, uint32_t i, struct trc_gen_cb *cb, uint32_t qman,
			     uint8_t cp)
{
	const struct trc_gen_op *op = &g->ops[i];
	hlsim_err_t rc = HLSIM_OK;
	uint32_t j;

	for (j = 0; !rc && j < op->num_after; j++) {
		const struct opp *d = &g->p[op->after[j]];
		uint32_t e;

		for (e = 0; e < j && op->after[e] != op->after[j]; e++)
			;
		if (e < j)
			continue; /* a dependency named twice (two inputs from it): one wait */
		if (g->mon_next >= g->x.p->mons_per_block)
			return hlsim_error(HLSIM_E_USAGE,
					   "the workload needs more than the %u monitors of a sync "
					   "manager block",
					   g->x.p->mons_per_block);
		rc = trc_gen_arm_monitor(&g->x, cb, qman, TRC_GEN_MSG_ANY_BASE, g->mon_next++,
					 d->sob, d->target, cp);
		if (!rc)
			rc = trc_gen_fence0(&g->x, cb);
	}
	return rc;
}

static void desc_set(struct og *g, uint32_t off, uint32_t value)
{
	trc_gen_tpc_desc_set(g->tl, g->desc, off, value);
}

/* Tensor @slot of the TPC descriptor: two dimensions, the others size 1 stride 0. */
static void desc_tensor(struct og *g, uint32_t slot, uint32_t dtype_code, uint64_t addr,
			uint32_t size0, uint32_t stride0, uint32_t size1, uint32_t stride1,
			uint32_t valid)
{
	trc_gen_tpc_desc_tensor(g->tl, g->desc, slot, dtype_code, addr, size0, stride0, size1,
				stride1, valid);
}

/* The descriptor unit @t of TPC operation @i runs. */
static void build_tpc_desc(struct og *g, uint32_t i, uint32_t t)
{
	const struct trc_gen_op *op = &g->ops[i];
	const struct opp *p = &g->p[i];
	const struct mdl_tpc_layout *l = g->tl;
	uint32_t all = l->cfg_valid_dims_mask, k, dc = p->dtype_code;
	uint32_t rows = (uint32_t)op->rows, cols = (uint32_t)op->cols;
	uint32_t vrow = (uint32_t)((op->cols + p->vec - 1) / p->vec);
	uint64_t sob = g->x.f->sob_addr(g->x.sm_block, p->sob);

	memset(g->desc, 0, sizeof(g->desc));
	switch (op->kind) {
	case TRC_GEN_OP_ELEMENTWISE:
		for (k = 0; k < p->nin; k++)
			desc_tensor(g, k, dc, p->in[k], (uint32_t)op->elements, 1, 1, 0, all);
		desc_tensor(g, p->nin, dc, p->out, (uint32_t)op->elements, 1, 1, 0, all);
		break;
	case TRC_GEN_OP_SOFTMAX_BWD:
		desc_tensor(g, 0, dc, p->in[0], cols, 1, rows, cols, all);
		desc_tensor(g, 1, dc, p->in[1], cols, 1, rows, cols, all);
		desc_tensor(g, 2, dc, p->out, cols, 1, rows, cols, all);
		break;
	case TRC_GEN_OP_LAYERNORM_BWD:
		desc_tensor(g, 0, dc, p->in[0], cols, 1, rows, cols, all);
		desc_tensor(g, 1, dc, p->in[1], cols, 1, rows, cols, all);
		desc_tensor(g, 2, dc, p->in[2], cols, 1, 1, 0, all & ~2u); /* gamma */
		desc_tensor(g, 3, dc, p->out, cols, 1, rows, cols, all);
		break;
	case TRC_GEN_OP_LAYERNORM:
		desc_tensor(g, 0, dc, p->in[0], cols, 1, rows, cols, all);
		/* gamma and beta: broadcast along rows (dim 1 stride 0, not bounds-checked) */
		desc_tensor(g, 1, dc, p->in[1], cols, 1, 1, 0, all & ~2u);
		desc_tensor(g, 2, dc, p->in[2], cols, 1, 1, 0, all & ~2u);
		desc_tensor(g, 3, dc, p->out, cols, 1, rows, cols, all);
		break;
	case TRC_GEN_OP_REDUCTION:
		desc_tensor(g, 0, dc, p->in[0], cols, 1, rows, cols, all);
		desc_tensor(g, 1, dc, p->out, 1, 1, rows, 1, all);
		break;
	default: /* softmax */
		desc_tensor(g, 0, dc, p->in[0], cols, 1, rows, cols, all);
		desc_tensor(g, 1, dc, p->out, cols, 1, rows, cols, all);
		break;
	}
	desc_set(g, l->so_message, g->x.f->sob_value_encode(1, 1));
	desc_set(g, l->so_addr, (uint32_t)sob);
	desc_set(g, l->kernel_base_lo, (uint32_t)p->isa);
	desc_set(g, l->kernel_base_hi, (uint32_t)(p->isa >> 32));
	for (k = 0; k < l->num_dims; k++) {
		uint32_t base = 0, size = 1;

		if (op->kind == TRC_GEN_OP_ELEMENTWISE && k == 0) {
			base = (uint32_t)p->u[t].lo;
			size = (uint32_t)p->u[t].count;
		} else if (op->kind != TRC_GEN_OP_ELEMENTWISE && k == 0) {
			size = vrow;
		} else if (op->kind != TRC_GEN_OP_ELEMENTWISE && k == 1) {
			base = (uint32_t)p->u[t].lo;
			size = (uint32_t)p->u[t].count;
		}
		/*
		 * A base without a register of its own (Gaudi2 dim 1, gaudi2_tpc.c) is not
		 * written: the model takes it as 0, which moves the rows a TPC's partition
		 * covers but not their number, bytes or time.
		 */
		if (!(l->tid_base_absent_mask >> k & 1))
			desc_set(g, l->tid_base0 + k * l->tid_pair_bytes, base);
		desc_set(g, l->tid_size0 + k * l->tid_pair_bytes, size);
	}
	desc_set(g, l->kernel_config, l->kernel_config_runtime);
	desc_set(g, l->kernel_id, KERNEL_ID_BASE + t);
}

/* The lower-CP program of unit @t of TPC operation @i. */
static hlsim_err_t build_tpc(struct og *g, uint32_t i, uint32_t t, struct trc_gen_cb *cb)
{
	const struct mdl_tpc_layout *l = g->tl;
	const struct opp *p = &g->p[i];
	uint64_t sob = g->x.f->sob_addr(g->x.sm_block, p->sob);
	hlsim_err_t rc;

	build_tpc_desc(g, i, t);
	rc = wait_deps(g, i, cb, p->u[t].qman, LOWER_CP);
	if (!rc)
		rc = trc_gen_tpc_emit(&g->x, cb, l, g->desc, sob);
	if (!rc)
		g->st.tpc_launches++;
	return rc;
}

/*
 * The lower-CP program of MME unit @t of staged GEMM operation @i: its dependencies, the
 * stager's launches (each fenced on its SRAM inputs), "SOB += 1" (EB=1).
 */
static hlsim_err_t build_mme_staged(struct og *g, uint32_t i, uint32_t t, struct trc_gen_cb *cb)
{
	const struct opp *p = &g->p[i];
	const struct trc_gen_gemm_stage *st = trc_gen_gemm_stager_info(p->stg);
	hlsim_err_t rc;

	rc = wait_deps(g, i, cb, p->u[t].qman, LOWER_CP);
	if (!rc)
		rc = trc_gen_gemm_stager_mme(p->stg, t, p->u[t].qman, cb);
	if (!rc)
		rc = trc_gen_msg(&g->x, cb, p->u[t].qman, TRC_GEN_MSG_ANY_BASE,
				 g->x.f->sob_addr(g->x.sm_block, p->sob),
				 g->x.f->sob_value_encode(1, 1), 1);
	if (!rc && t == 0) { /* the operation's totals, once */
		g->st.mme_launches += st->launches;
		g->st.flops += trc_gen_op_flops(&g->ops[i]);
	}
	return rc;
}

/*
 * The upper CB of DMA unit @t of staged GEMM operation @i: its dependencies and the
 * previous staged GEMM (the SRAM buffers are reused), the stager's copies for its queue,
 * "SOB += 1" with EB=1 (so the operation is complete once every copy has landed).
 */
static hlsim_err_t build_stage_dma(struct og *g, uint32_t i, uint32_t t, struct trc_gen_cb *cb)
{
	const struct opp *p = &g->p[i];
	const struct unit *u = &p->u[t];
	hlsim_err_t rc;

	rc = wait_deps(g, i, cb, u->qman, 0);
	if (!rc && p->stage_after != UINT32_MAX) {
		const struct opp *prev = &g->p[p->stage_after];

		if (g->mon_next >= g->x.p->mons_per_block)
			return hlsim_error(HLSIM_E_USAGE,
					   "the workload needs more than the %u monitors of a sync "
					   "manager block",
					   g->x.p->mons_per_block);
		rc = trc_gen_arm_monitor(&g->x, cb, u->qman, TRC_GEN_MSG_ANY_BASE, g->mon_next++,
					 prev->sob, prev->target, 0);
		if (!rc)
			rc = trc_gen_fence0(&g->x, cb);
	}
	if (!rc)
		rc = trc_gen_gemm_stager_dma(p->stg, (uint32_t)u->lo, (uint32_t)u->count, cb);
	if (!rc)
		rc = trc_gen_msg(&g->x, cb, u->qman, TRC_GEN_MSG_ANY_BASE,
				 g->x.f->sob_addr(g->x.sm_block, p->sob),
				 g->x.f->sob_value_encode(1, 1), 1);
	if (!rc && t == p->nmme) { /* the operation's bytes, once */
		const struct trc_gen_gemm_stage *st = trc_gen_gemm_stager_info(p->stg);

		g->st.dma_bytes += st->hbm_read_bytes + st->hbm_write_bytes;
	}
	return rc;
}

/* The lower-CP program of MME unit @t of GEMM operation @i (g->plan is its plan). */
static hlsim_err_t build_mme(struct og *g, uint32_t i, uint32_t t, struct trc_gen_cb *cb)
{
	const struct trc_gen_op *op = &g->ops[i];
	const struct opp *p = &g->p[i];
	uint64_t es = p->elem_bytes;
	struct mdl_mme_gemm d;
	uint32_t l;
	hlsim_err_t rc;

	if (p->stg)
		return build_mme_staged(g, i, t, cb);
	rc = wait_deps(g, i, cb, p->u[t].qman, LOWER_CP);
	for (l = 0; !rc && l < g->ngl; l++) {
		const struct glaunch *pl = &g->gl[l];
		/* batch entry b's operands follow entry b - 1's; K_FROM: from row k0 of k */
		uint64_t bs = (uint64_t)pl->b * op->m * op->k * es +
			      (op->transpose_a ? (uint64_t)pl->k0 * op->m : pl->k0) * es;
		uint64_t bl = (uint64_t)pl->b * op->k * op->n * es +
			      (op->transpose_b ? pl->k0 : (uint64_t)pl->k0 * op->n) * es;
		uint64_t bo = (uint64_t)pl->b * op->m * op->n * es;

		if (pl->mme != t)
			continue;
		memset(&d, 0, sizeof(d));
		d.m = pl->m;
		d.n = pl->n;
		d.k = pl->k;
		d.in_dtype = d.out_dtype = (uint8_t)p->mme_dtype;
		d.transpose_s = op->transpose_a;
		d.transpose_l = op->transpose_b;
		d.geometry = MDL_MME_GEO_BASE;
		d.pitch[MDL_MME_S] = (uint32_t)(op->transpose_a ? op->m : op->k);
		d.addr[MDL_MME_S] =
			p->in[0] + bs + (op->transpose_a ? pl->m0 : (uint64_t)pl->m0 * op->k) * es;
		d.pitch[MDL_MME_L] = (uint32_t)(op->transpose_b ? op->k : op->n);
		d.addr[MDL_MME_L] =
			p->in[1] + bl + (op->transpose_b ? (uint64_t)pl->n0 * op->k : pl->n0) * es;
		d.pitch[MDL_MME_O] = (uint32_t)op->n;
		d.addr[MDL_MME_O] = p->out + bo + ((uint64_t)pl->m0 * op->n + pl->n0) * es;
		rc = mdl_mme_desc_encode(g->ml, &d, g->regs);
		if (!rc)
			rc = trc_gen_wreg_block(&g->x, cb, g->ml->desc_first,
						g->regs + g->ml->desc_first / 4,
						(g->ml->desc_end - g->ml->desc_first) / 4);
		if (!rc)
			rc = trc_gen_wreg32(&g->x, cb, g->ml->cmd, 1, 1, 1);
		if (!rc) {
			g->st.mme_launches++;
			g->st.flops += 2ull * pl->m * pl->n * pl->k;
		}
	}
	if (!rc)
		rc = trc_gen_msg(&g->x, cb, p->u[t].qman, TRC_GEN_MSG_ANY_BASE,
				 g->x.f->sob_addr(g->x.sm_block, p->sob),
				 g->x.f->sob_value_encode(1, 1), 1);
	return rc;
}

/* The upper CB of DMA unit @t of copy or transpose operation @i. */
static hlsim_err_t build_dma(struct og *g, uint32_t i, uint32_t t, struct trc_gen_cb *cb)
{
	const struct trc_gen_op *op = &g->ops[i];
	const struct opp *p = &g->p[i];
	const struct unit *u = &p->u[t];
	const struct mdl_asic_props *P = g->x.p;
	uint64_t S = p->elem_bytes, done = 0, src, dst;
	hlsim_err_t rc;

	rc = wait_deps(g, i, cb, u->qman, 0);
	if (!rc)
		rc = trc_gen_set_wr_comp(&g->x, cb, p->sob);
	if (rc)
		return rc;
	if (op->kind == TRC_GEN_OP_COPY) {
		while (!rc && done < u->count) {
			uint64_t n = u->count - done < DMA_CHUNK_BYTES ? u->count - done
								       : DMA_CHUNK_BYTES;

			rc = trc_gen_lin_dma(&g->x, cb, p->in[0] + u->lo + done,
					     p->out + u->lo + done, n, done + n == u->count);
			done += n;
		}
		g->st.dma_bytes += u->count;
		return rc;
	}
	/* transpose: rows [lo, lo + count) of X become columns [lo, lo + count) of Y */
	src = p->in[0] + u->lo * op->cols * S;
	dst = p->out + u->lo * S;
	{
		const uint32_t regs[][2] = {
			{ P->dma_src_base_lo, (uint32_t)src },
			{ P->dma_src_base_hi, (uint32_t)(src >> 32) },
			{ P->dma_dst_base_lo, (uint32_t)dst },
			{ P->dma_dst_base_hi, (uint32_t)(dst >> 32) & P->dma_dst_base_hi_mask },
			{ DMA_SRC_TSIZE_0, (uint32_t)S },
			{ DMA_SRC_TSIZE_1, (uint32_t)op->cols },
			{ DMA_SRC_TSIZE_1 + 4, (uint32_t)S },
			{ DMA_SRC_TSIZE_1 + 8, (uint32_t)u->count },
			{ DMA_SRC_TSIZE_1 + 12, (uint32_t)(op->cols * S) },
			{ DMA_SRC_TSIZE_1 + 16, 1 },
			{ DMA_SRC_TSIZE_1 + 24, 1 },
			{ P->dma_dst_tsize_0, (uint32_t)S },
			{ P->dma_dst_tsize_k[0], (uint32_t)op->cols },
			{ DMA_DST_STRIDE_1, (uint32_t)(op->rows * S) },
			{ P->dma_dst_tsize_k[1], (uint32_t)u->count },
			{ DMA_DST_STRIDE_1 + 8, (uint32_t)S },
			{ P->dma_dst_tsize_k[2], 1 },
			{ P->dma_dst_tsize_k[3], 1 },
		};
		size_t r;

		for (r = 0; !rc && r < sizeof(regs) / sizeof(regs[0]); r++)
			rc = trc_gen_wreg32(&g->x, cb, regs[r][0], regs[r][1], 0, 0);
	}
	if (!rc)
		rc = trc_gen_wreg32(&g->x, cb, P->launch_reg[MDL_ENGINE_DMA],
				    P->dma_commit_wr_comp, 0, 0);
	g->st.dma_bytes += u->count * op->cols * S;
	return rc;
}

/* Build every TPC and MME program and its upper CB as memory images from prog_base. */
static hlsim_err_t layout_programs(struct og *g, struct trc_gen_cb *cb)
{
	uint64_t addr = g->prog_next, blob, lower;
	uint32_t size;
	uint32_t i, t;
	hlsim_err_t rc = HLSIM_OK;

	for (i = 0; !rc && i < g->n; i++) {
		const struct trc_gen_op *op = &g->ops[i];
		struct opp *p = &g->p[i];

		if (!is_tpc_kind(op->kind) && op->kind != TRC_GEN_OP_GEMM)
			continue;
		if (op->kind == TRC_GEN_OP_GEMM && !p->stg)
			rc = gemm_launches(g, i);
		/* a staged GEMM's DMA jobs have no program in HBM (write_op_cs) */
		for (t = 0; !rc && t < (p->stg ? p->nmme : p->nunits); t++) {
			cb->len = 0;
			rc = op->kind == TRC_GEN_OP_GEMM ? build_mme(g, i, t, cb)
							 : build_tpc(g, i, t, cb);
			if (!rc && cb->len > UINT32_MAX)
				rc = hlsim_error(HLSIM_E_USAGE, "op '%s': a program is over 4 GiB",
						 op->name);
			if (!rc)
				rc = trc_gen_add_image(g->w, addr, cb, &blob);
			if (rc)
				break;
			lower = addr;
			size = (uint32_t)cb->len;
			addr += trc_gen_align_up(cb->len, CB_ALIGN);
			cb->len = 0;
			rc = trc_gen_cb_call(&g->x, cb, lower, size);
			if (!rc)
				rc = trc_gen_add_image(g->w, addr, cb, &blob);
			if (rc)
				break;
			p->u[t].upper_addr = addr;
			p->u[t].upper_blob = blob;
			p->u[t].upper_size = (uint32_t)cb->len;
			addr += trc_gen_align_up(cb->len, CB_ALIGN);
		}
	}
	g->prog_bytes = addr - g->prog_next;
	if (!rc && addr > g->x.p->dram_base + ISA_OFFSET_BYTES)
		rc = hlsim_error(HLSIM_E_USAGE,
				 "the workload's programs take %" PRIu64 " bytes, more than the "
				 "%llu MiB reserved for them",
				 addr - g->prog_base, ISA_OFFSET_BYTES >> 20);
	g->st.packets += cb->packets;
	cb->packets = 0;
	return rc;
}

/* ====} */

/* {==== the trace ==== */

static hlsim_err_t annotate(struct og *g, uint64_t seq, uint32_t qid, const char *key,
			    const char *value)
{
	struct hlsim_trace_annotation a;

	memset(&a, 0, sizeof(a));
	a.cs_seq = seq;
	a.queue_id = qid;
	snprintf(a.key, sizeof(a.key), "%s", key);
	snprintf(a.value, sizeof(a.value), "%s", value);
	return hlsim_trace_add_annotation(g->w, 0, &a);
}

/* The kernel_name and cost_hint of unit @t of TPC or DMA operation @i in CS @seq. */
static hlsim_err_t annotate_unit(struct og *g, uint32_t i, uint32_t t, uint64_t seq)
{
	const struct trc_gen_op *op = &g->ops[i];
	const struct opp *p = &g->p[i];
	const struct unit *u = &p->u[t];
	uint64_t S = p->elem_bytes, flops = 0, bytes, e;
	char v[200];
	hlsim_err_t rc;

	switch (op->kind) {
	case TRC_GEN_OP_ELEMENTWISE:
		e = (u->lo + u->count) * p->vec;
		e = (e < op->elements ? e : op->elements) - u->lo * p->vec;
		flops = e * op->flops_per_element;
		bytes = (op->unary ? 2 : 3) * e * S;
		break;
	case TRC_GEN_OP_REDUCTION:
		flops = u->count * op->cols;
		bytes = (u->count * op->cols + u->count) * S;
		break;
	case TRC_GEN_OP_SOFTMAX:
		/* causal: only the unmasked elements are read, computed and written [I] */
		e = op->causal ? causal_elements(u->lo, u->count, op->cols) : u->count * op->cols;
		flops = 5 * e;
		bytes = 4 * e * S;
		break;
	case TRC_GEN_OP_LAYERNORM:
		flops = 8 * u->count * op->cols;
		bytes = (3 * u->count * op->cols + 2 * op->cols) * S;
		break;
	case TRC_GEN_OP_SOFTMAX_BWD:
		/* causal: only the unmasked elements [I], as the forward softmax */
		e = op->causal ? causal_elements(u->lo, u->count, op->cols) : u->count * op->cols;
		flops = 5 * e;
		bytes = 5 * e * S;
		break;
	case TRC_GEN_OP_LAYERNORM_BWD:
		flops = 16 * u->count * op->cols;
		bytes = (5 * u->count * op->cols + 2 * u->count + 3 * op->cols) * S;
		break;
	case TRC_GEN_OP_COPY:
		bytes = 2 * u->count; /* read and written */
		break;
	default: /* transpose */
		bytes = 2 * u->count * op->cols * S;
		break;
	}
	rc = annotate(g, seq, u->queue, "kernel_name", p->kernel);
	if (rc)
		return rc;
	/* on a DMA queue the simulator does not use the hint: it is for the profiler */
	snprintf(v, sizeof(v), "kernel=%s flops=%" PRIu64 " bytes=%" PRIu64, p->kernel, flops,
		 bytes);
	g->st.flops += flops;
	return annotate(g, seq, u->queue, "cost_hint", v);
}

/* The sink job on DMA_1_0: fence on every operation, then reset their SOBs. */
static hlsim_err_t build_sink(struct og *g, struct trc_gen_cb *cb, uint32_t qman)
{
	uint32_t i;
	hlsim_err_t rc = HLSIM_OK;

	for (i = 0; !rc && i < g->n; i++) {
		if (g->mon_next >= g->x.p->mons_per_block)
			return hlsim_error(HLSIM_E_USAGE,
					   "the workload needs more than the %u monitors of a sync "
					   "manager block",
					   g->x.p->mons_per_block);
		rc = trc_gen_arm_monitor(&g->x, cb, qman, TRC_GEN_MSG_ANY_BASE, g->mon_next++,
					 g->p[i].sob, g->p[i].target, 0);
		if (!rc)
			rc = trc_gen_fence0(&g->x, cb);
	}
	for (i = 0; !rc && i < g->n; i++)
		rc = trc_gen_msg(&g->x, cb, qman, TRC_GEN_MSG_ANY_BASE,
				 g->x.f->sob_addr(g->x.sm_block, g->p[i].sob),
				 g->x.f->sob_value_encode(0, 0),
				 i + 1 == g->n && g->last_staged == UINT32_MAX);
	/* the staged GEMMs' SOBs, the last reset with EB=1 */
	for (i = 0; !rc && i < g->n; i++)
		if (g->p[i].stg)
			rc = trc_gen_gemm_stager_resets(g->p[i].stg, qman, i == g->last_staged, cb);
	return rc;
}

/* CS seq 2 + @i: the jobs of operation @i (and, for the last, the sink). */
static hlsim_err_t write_op_cs(struct og *g, uint32_t i, struct trc_gen_cb *cb)
{
	struct hlsim_trace_job jobs[MAX_UNITS + 1];
	const struct opp *p = &g->p[i];
	uint64_t seq = g->seq_next++;
	struct hlsim_trace_cs cs = { .seq = seq,
				     .submit_ns = g->now_ns,
				     .return_ns = g->now_ns + IOCTL_NS };
	uint32_t t, n = 0, sink_q;
	hlsim_err_t rc = HLSIM_OK;

	memset(jobs, 0, sizeof(jobs));
	for (t = 0; !rc && t < p->nunits; t++) {
		const struct unit *u = &p->u[t];

		if (p->stg && t >= p->nmme) {
			cb->len = 0;
			rc = build_stage_dma(g, i, t, cb);
			if (!rc)
				rc = trc_gen_add_job(g->w, cb,
						     0x2000000000000000ull | seq << 16 | t,
						     u->queue, &jobs[n++]);
			g->st.dma_jobs += !rc;
		} else if (is_tpc_kind(g->ops[i].kind) || g->ops[i].kind == TRC_GEN_OP_GEMM) {
			jobs[n++] = (struct hlsim_trace_job){ .cb_handle = u->upper_addr,
							      .blob_id = u->upper_blob,
							      .queue_id = u->queue,
							      .cb_size = u->upper_size,
							      .phase = HLSIM_PHASE_EXECUTE };
		} else {
			cb->len = 0;
			rc = build_dma(g, i, t, cb);
			if (!rc)
				rc = trc_gen_add_job(g->w, cb,
						     0x2000000000000000ull | seq << 16 | t,
						     u->queue, &jobs[n++]);
			g->st.dma_jobs += !rc;
		}
		if (!rc && g->ops[i].kind != TRC_GEN_OP_GEMM)
			rc = annotate_unit(g, i, t, seq);
		else if (!rc) /* MME jobs: the name only; the MME model takes no cost hint */
			rc = annotate(g, seq, u->queue, "kernel_name", p->kernel);
	}
	if (!rc && i + 1 == g->n) {
		sink_q = trc_gen_queue_id(&g->x, MDL_ENGINE_DMA, 1, 0);
		cb->len = 0;
		rc = build_sink(g, cb, g->x.f->qman_of_queue(sink_q));
		if (!rc)
			rc = trc_gen_add_job(g->w, cb, 0x1000000000002000ull, sink_q, &jobs[n++]);
	}
	g->st.packets += cb->packets;
	cb->packets = 0;
	if (!rc)
		rc = hlsim_trace_add_cs(g->w, 0, &cs, jobs, n);
	g->now_ns += CS_GAP_NS;
	return rc;
}

/* A host wait on CS @seq, at the current host time. */
static hlsim_err_t host_wait(struct og *g, uint64_t seq)
{
	struct hlsim_trace_wait wt = { .seq = seq,
				       .timeout_us = WAIT_TIMEOUT_US,
				       .enter_ns = g->now_ns,
				       .exit_ns = g->now_ns + 500 };

	g->now_ns += CS_GAP_NS;
	return hlsim_trace_add_wait(g->w, 0, &wt);
}

/*
 * The CS downloading the current group's programs (g->prog_bytes at g->prog_next):
 * one LIN_DMA from the host on DMA_0_0, its source a host mapping of its own.
 */
static hlsim_err_t write_download(struct og *g, struct trc_gen_cb *cb, uint64_t *seq)
{
	uint64_t off = g->prog_next - g->prog_base;
	struct hlsim_trace_cs cs = { .seq = g->seq_next,
				     .submit_ns = g->now_ns,
				     .return_ns = g->now_ns + IOCTL_NS };
	struct hlsim_trace_job job;
	hlsim_err_t rc;

	*seq = g->seq_next++;
	rc = trc_gen_add_host_map(g->w, g->x.p->host_va_base + off, 0x7f0000000000ull + off,
				  g->prog_bytes);
	cb->len = 0;
	if (!rc)
		rc = trc_gen_lin_dma(&g->x, cb, g->x.p->host_va_base + off, g->prog_next,
				     g->prog_bytes, 0);
	if (!rc)
		rc = trc_gen_add_job(g->w, cb, 0x3000000000000000ull | *seq << 16,
				     trc_gen_queue_id(&g->x, MDL_ENGINE_DMA, 0, 0), &job);
	if (!rc)
		rc = hlsim_trace_add_cs(g->w, 0, &cs, &job, 1);
	g->st.packets += cb->packets;
	cb->packets = 0;
	g->now_ns += CS_GAP_NS;
	return rc;
}

static const struct mdl_mme_layout *mme_layout_of(const struct mdl_asic_props *p)
{
	if (p->mme_layout)
		return p->mme_layout;
	return !strcmp(p->asic_name, "gaudi") ? &gaudi_mme_layout : NULL;
}

/* The ASIC, its sync manager, layouts and internal DMA engines. */
static hlsim_err_t setup(struct og *g)
{
	uint32_t b, e;
	hlsim_err_t rc;

	rc = trc_gen_ctx_init(&g->x, g->o->asic ? g->o->asic : "", "gen ops");
	if (rc)
		return rc;
	g->tl = trc_gen_tpc_layout(&g->x);
	g->ml = mme_layout_of(g->x.p);
	if (g->tl && g->tl->num_tensors < 4)
		g->tl = NULL; /* a descriptor this generator cannot build: no TPC kernels */
	/* Gaudi: the E_N sync manager; Gaudi2: DCORE0's (CP_MSG_BASE0/1 point there) */
	b = trc_gen_sm_block_by_name(&g->x, "E_N");
	g->sob_first = b == UINT32_MAX ? SOB_FIRST_OTHER : SOB_FIRST;
	if (b == UINT32_MAX && g->x.p->sm_blocks)
		b = 0;
	if (b == UINT32_MAX || trc_gen_queue_id(&g->x, MDL_ENGINE_DMA, 0, 0) == UINT32_MAX ||
	    trc_gen_queue_id(&g->x, MDL_ENGINE_DMA, 1, 0) == UINT32_MAX)
		return hlsim_error(HLSIM_E_UNSUPPORTED,
				   "gen: %s lacks a sync manager, DMA_0_0 or DMA_1_0",
				   g->x.p->asic_name);
	g->x.sm_block = (uint8_t)b;
	for (e = 0; e < g->x.p->engines_per_class[MDL_ENGINE_DMA] && g->ndma < 16; e++) {
		uint32_t q = trc_gen_queue_id(&g->x, MDL_ENGINE_DMA, e, 0);
		const struct mdl_queue_info *qi = q == UINT32_MAX ? NULL : g->x.f->queue_info(q);

		/*
		 * Internal DMA engines: Gaudi's internal queues; on Gaudi2, where every queue
		 * is a H/W queue, the DMA engines other than 0 and 1 (the PCI DMAs, models/
		 * gaudi2/gaudi2.c): the EDMAs.
		 */
		if (qi && (qi->kind == MDL_QUEUE_INT || (qi->kind == MDL_QUEUE_HW && e >= 2)))
			g->dma_engines[g->ndma++] = e;
	}
	g->prog_base = g->prog_next = g->x.p->dram_base;
	g->next_data = g->x.p->dram_base + DATA_OFFSET_BYTES;
	/* activations from the top of HBM down, below the helper's kernel page (gen_tpc.c) */
	g->act_top = g->act_next = (trc_gen_tpc_isa_addr(&g->x) & ~(ALIGN_BYTES - 1)) -
				   ALIGN_BYTES;
	g->seq_next = 1;
	return HLSIM_OK;
}

/* Create the trace and its device record (once, when the first group is checked). */
static hlsim_err_t create_trace(struct og *g)
{
	struct hlsim_trace_device dev;
	uint32_t dev_id;
	hlsim_err_t rc;

	if (g->w)
		return HLSIM_OK;
	rc = hlsim_trace_create(g->path, g->cmdline, &g->w);
	if (rc)
		return rc;
	trc_gen_fill_identity(&g->x, &dev);
	dev.tpc_enabled_mask = 0xFF;
	if (trc_gen_tpc_count(&g->x) > 8) /* Gaudi2: the 24 user TPCs, 64-bit mask */
		dev.tpc_enabled_mask_ext = (1ull << trc_gen_tpc_count(&g->x)) - 1;
	dev.mme_master_slave_mode = 1;
	return hlsim_trace_add_device(g->w, &dev, &dev_id);
}

hlsim_err_t trc_gen_ops_open(const struct trc_gen_ops_opts *o, const char *path,
			     const char *cmdline, struct trc_gen_ops_writer **out)
{
	struct og *g;
	hlsim_err_t rc;

	if (!o || !path || !out)
		return hlsim_error(HLSIM_E_INVAL, "gen: NULL options, path or output");
	*out = NULL;
	g = calloc(1, sizeof(*g));
	if (!g)
		return hlsim_error(HLSIM_E_NOMEM, "gen");
	g->o = o;
	g->plan = calloc(TRC_GEN_GEMM_MAX_LAUNCHES, sizeof(*g->plan));
	rc = g->plan ? setup(g) : hlsim_error(HLSIM_E_NOMEM, "gen");
	if (!rc && g->ml) {
		g->regs = calloc(g->x.p->engine_block_bytes / 4 + 1, sizeof(*g->regs));
		if (!g->regs)
			rc = hlsim_error(HLSIM_E_NOMEM, "gen");
	}
	if (!rc) {
		g->path = strdup(path);
		g->cmdline = strdup(cmdline ? cmdline : "hlsim gen");
		if (!g->path || !g->cmdline)
			rc = hlsim_error(HLSIM_E_NOMEM, "gen");
	}
	*out = (struct trc_gen_ops_writer *)g;
	return rc;
}

hlsim_err_t trc_gen_ops_append(struct trc_gen_ops_writer *s, const struct trc_gen_op *ops,
			       uint32_t n)
{
	struct og *g = (struct og *)s;
	struct trc_gen_cb cb = { 0 };
	uint64_t dl_seq = 0;
	uint32_t i;
	hlsim_err_t rc = HLSIM_OK;

	if (!g || !ops)
		return hlsim_error(HLSIM_E_INVAL, "gen: NULL writer or operations");
	if (!n || n > TRC_GEN_OPS_MAX_OPS)
		return hlsim_error(HLSIM_E_USAGE, "gen: %u operations: expected 1..%d", n,
				   TRC_GEN_OPS_MAX_OPS);
	if (g->sob_first + n > g->x.p->sobs_per_block)
		return hlsim_error(HLSIM_E_USAGE, "%u operations: %s has SOBs for at most %u", n,
				   g->x.p->asic_name, g->x.p->sobs_per_block - g->sob_first);
	g->ops = ops;
	g->n = n;
	g->p = calloc(n, sizeof(*g->p));
	if (!g->p)
		return hlsim_error(HLSIM_E_NOMEM, "gen");
	/* sync objects, monitors and activations are reused by every group */
	g->mon_next = MON_FIRST;
	g->act_next = g->act_top;
	g->stage_sob_next = g->sob_first + n; /* after the operations' SOBs */
	g->last_staged = UINT32_MAX;
	for (i = 0; !rc && i < n; i++) {
		rc = check_op(g, i);
		if (!rc)
			rc = place_op(g, i);
	}
	if (!rc)
		rc = create_trace(g); /* a bad first group leaves no file behind */
	if (!rc)
		rc = layout_programs(g, &cb);
	/* the download overlaps the previous group; its operations wait for both */
	if (!rc && g->prog_bytes)
		rc = write_download(g, &cb, &dl_seq);
	else if (!rc && !g->groups)
		g->seq_next = 2; /* CS seq 1 stays the download's even without one */
	if (!rc && g->last_seq)
		rc = host_wait(g, g->last_seq);
	if (!rc && dl_seq)
		rc = host_wait(g, dl_seq);
	for (i = 0; !rc && i < n; i++)
		rc = write_op_cs(g, i, &cb);
	if (!rc) {
		g->last_seq = g->seq_next - 1;
		g->prog_next = trc_gen_align_up(g->prog_next + g->prog_bytes, ALIGN_BYTES);
		g->st.ops += n;
		g->groups++;
	}
	trc_gen_cb_free(&cb);
	for (i = 0; i < n; i++)
		trc_gen_gemm_stager_free(g->p[i].stg);
	free(g->p);
	g->p = NULL;
	g->ops = NULL;
	g->n = 0;
	return rc;
}

hlsim_err_t trc_gen_ops_close(struct trc_gen_ops_writer *s, int abandon,
			      struct trc_gen_ops_stats *stats)
{
	struct og *g = (struct og *)s;
	hlsim_err_t rc = HLSIM_OK, crc;

	if (!g)
		return HLSIM_OK;
	if (!abandon && g->path)
		rc = create_trace(g); /* no group: a trace with its device only */
	if (!rc && !abandon && g->w && g->last_seq)
		rc = host_wait(g, g->last_seq);
	if (g->w) {
		crc = hlsim_trace_writer_close(g->w);
		if (!rc)
			rc = crc;
	}
	if (abandon && g->w)
		remove(g->path); /* no half-written trace */
	if (!rc && stats)
		*stats = g->st;
	free(g->cmdline);
	free(g->path);
	free(g->gl);
	free(g->regs);
	free(g->plan);
	free(g->p);
	free(g);
	return rc;
}

hlsim_err_t trc_gen_ops(const struct trc_gen_ops_opts *o, const struct trc_gen_op *ops,
			uint32_t n, const char *path, const char *cmdline,
			struct trc_gen_ops_stats *stats)
{
	struct trc_gen_ops_writer *s = NULL;
	hlsim_err_t rc;

	if (!o || !ops || !path)
		return hlsim_error(HLSIM_E_INVAL, "gen: NULL options, operations or path");
	if (!n || n > TRC_GEN_OPS_MAX_OPS)
		return hlsim_error(HLSIM_E_USAGE, "gen: %u operations: expected 1..%d", n,
				   TRC_GEN_OPS_MAX_OPS);
	rc = trc_gen_ops_open(o, path, cmdline, &s);
	if (!rc)
		rc = trc_gen_ops_append(s, ops, n);
	if (rc) {
		trc_gen_ops_close(s, 1, NULL);
		return rc;
	}
	return trc_gen_ops_close(s, 0, stats);
}

/* ====} */

/* {==== the commands ==== */

static void usage(FILE *f, const char *kind)
{
	fprintf(f,
		"usage: hlsim gen %s [options] -o TRACE\n\n"
		"A synthetic Gaudi or Gaudi2 trace of one operation, lowered as `hlsim gen\n"
		"graph` lowers each operation (traces/gen/GRAPH.md): for TPC kernels a CS\n"
		"downloading their programs, then one CS with its jobs and a final job on\n"
		"DMA_1_0 fencing on their completion SOB. Operands are in HBM.\n"
		"  reduction, softmax, layernorm: TPC kernels over rows x cols, rows split over\n"
		"    the TPCs, with kernel_name and cost_hint annotations;\n"
		"  copy: LIN_DMA HBM -> HBM split over the internal DMA engines;\n"
		"  transpose: rows x cols -> cols x rows, strided DMA COMMITs split by rows.\n"
		"Options:\n"
		"  --rows R, --cols C   shape (reduction, softmax, layernorm, transpose)\n"
		"  --elements E         elements (copy); suffixes K, M, G\n"
		"  --dtype T            bf16 (default), fp32, int8, ...\n"
		"  --tpcs T             TPCs used (default 8; gaudi 1..8, gaudi2 1..24)\n"
		"  --dmas D             internal DMA engines used (default: all)\n"
		"  --asic NAME          gaudi (default) or gaudi2\n"
		"  -o TRACE             output file (required)\n",
		kind);
}

int trc_gen_ops_main(int argc, char **argv)
{
	struct trc_gen_ops_opts o;
	struct trc_gen_ops_stats st;
	struct trc_gen_op op;
	const char *out = NULL, *kind = argv[0], *d;
	char cmdline[1024];
	struct timespec t0, t1;
	uint64_t v;
	hlsim_err_t rc;
	int i, k = trc_gen_op_kind_by_name(kind);

	if (k < 0 || k == TRC_GEN_OP_GEMM || k == TRC_GEN_OP_ELEMENTWISE) {
		fprintf(stderr, "hlsim gen: '%s' is not a kind of this command\n", kind);
		return 2;
	}
	trc_gen_ops_defaults(&o);
	memset(&op, 0, sizeof(op));
	op.kind = (enum trc_gen_op_kind)k;
	snprintf(op.name, sizeof(op.name), "%s", kind);
	snprintf(op.dtype, sizeof(op.dtype), "bf16");
	op.rows = 1024;
	op.cols = 1024;
	op.elements = 1u << 20;
	trc_gen_cmdline(argc, argv, cmdline, sizeof(cmdline));
	for (i = 1; i < argc; i += 2) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout, kind);
			return 0;
		} else if (!strcmp(a, "-o") && val) {
			out = val;
		} else if (!strcmp(a, "--asic") && val) {
			o.asic = val;
		} else if (!strcmp(a, "--dtype") && val) {
			if (strlen(val) >= sizeof(op.dtype)) {
				fprintf(stderr, "hlsim gen %s: --dtype '%s': too long\n", kind,
					val);
				return 2;
			}
			snprintf(op.dtype, sizeof(op.dtype), "%s", val);
		} else if ((!strcmp(a, "--rows") || !strcmp(a, "--cols") ||
			    !strcmp(a, "--elements") || !strcmp(a, "--tpcs") ||
			    !strcmp(a, "--dmas")) &&
			   val) {
			if (trc_gen_parse_count(val, &v)) {
				fprintf(stderr, "hlsim gen %s: %s '%s': expected a number\n",
					kind, a, val);
				return 2;
			}
			if (!strcmp(a, "--rows"))
				op.rows = v;
			else if (!strcmp(a, "--cols"))
				op.cols = v;
			else if (!strcmp(a, "--elements"))
				op.elements = v;
			else if (!strcmp(a, "--tpcs"))
				o.tpcs = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
			else
				o.dmas = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
		} else {
			fprintf(stderr, "hlsim gen %s: unknown or incomplete option '%s'\n", kind,
				a);
			usage(stderr, kind);
			return 2;
		}
	}
	if (!out) {
		fprintf(stderr, "hlsim gen %s: -o TRACE is required\n", kind);
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = trc_gen_ops(&o, &op, 1, out, cmdline, &st);
	if (rc) {
		d = hlsim_last_error_detail();
		fprintf(stderr, "hlsim: gen %s: %s\n", kind, d && d[0] ? d : hlsim_strerror(rc));
		return rc == HLSIM_E_USAGE ? 2 : 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("hlsim gen %s: wrote %s: %" PRIu64 " packets, %u TPC kernels, %u DMA jobs, "
	       "%" PRIu64 " FLOPs in %.3f s\n",
	       kind, out, st.packets, st.tpc_launches, st.dma_jobs, st.flops,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9);
	return 0;
}

/* ====} */
