/*
 * traces/gen/gen_gemm.c - `hlsim gen gemm`: a synthetic trace of one GEMM
 * O[M x N] = A[M x K] . B[K x N] on the MMEs, made of real packets laid out as a graph
 * compiler and its runtime would (GAUDI-FACTS.md §3.3-3.5; the SynapseAI_Core pattern
 * of gen_dma.c):
 *
 *   CS 1 (download): one LIN_DMA host -> HBM bringing every queue program into HBM; the
 *     trace records the programs as device-memory images. The program waits for it.
 *   CS 2 (the GEMM):
 *     [--from-host] job on DMA_0_0: the DMA core's completion write pointed at SOB IN,
 *       then LIN_DMA A and B host -> HBM, the last with wr_comp. By default A and B are
 *       already in HBM, as in the calibration measurement (torch.mm inside an HPU graph);
 *     one job per MME used, on stream 0 of its QMAN: a CP_DMA handing the lower CP a
 *       program in HBM that [--from-host: arms a monitor SOB IN >= 1 -> its fence 0 and
 *       FENCEs on it,] then for each of its launches writes the ARCH descriptor (WREG_32 /
 *       WREG_BULK over the whole descriptor block) and MME_CTRL_CMD = 1 with EB=1 MB=1,
 *       and finally MSG_SHORT SOB DONE += 1 with EB=1 (or, with --signal desc, each
 *       descriptor's sync object does SOB DONE += 1);
 *     a final job on DMA_1_0 (external, so the CS completes): a monitor SOB DONE >= the
 *       number of MME jobs (or launches) -> its fence 0, FENCE, [--to-host: LIN_DMA O
 *       HBM -> host,] then SOB IN and DONE reset to 0 (EB=1).
 *   The program waits for CS 2 before it exits. Host times are synthetic.
 *
 * How the GEMM is cut (trc_gen_gemm_plan) [I: the rule a graph compiler follows is not
 * public; this one is simple and stated]: O is split over the MMEs along its larger
 * dimension (N on a tie) into parts as equal as whole --tile units allow, earlier MMEs
 * taking the extra unit, and no MME without a unit (default tile 512x512, a multiple
 * of every array shape modelled); each MME's part is cut into row-major
 * slices of at most --slice rows x columns (default 4096x4096: a bounded output block
 * per launch, so a consumer could start on finished slices), each one launch. Every
 * launch reads all of K.
 *
 * The descriptor is hlsim's interpretation of the ARCH registers (models/common/mme.c),
 * written by mdl_mme_desc_encode() so that the MME model reads back exactly what was
 * generated. The layout comes from props->mme_layout; while that is not wired for an
 * ASIC, a lookup by ASIC name below supplies it (only "gaudi" today).
 * Only the ASIC function table is used to build packets and addresses, so the generator
 * works for any ASIC that provides one and an MME layout.
 *
 * trc_gen_gemm_custom() runs the same machinery with another generator's launches and
 * descriptor encoder (gen_conv.c: `hlsim gen conv2d`).
 *
 * SRAM staging (--stage sram [--stage-tile RxC], issue 4). The MMEs read A and B and
 * write O in the user SRAM; internal DMA queues move the data between HBM and SRAM.
 *   K rule: the MME model cannot accumulate into O across launches (models/common/mme.c
 *   has no accumulate-into-output bit; ARCH_HEADER's accumulator field only names the
 *   type), so every launch still reads all of K: the stage tile (Mt x Nt outputs per
 *   launch) is chosen small enough that an Mt x K row panel of A, a K x Nt column panel
 *   of B and the Mt x Nt O tile, two buffers of each per MME, fit the user SRAM:
 *     U x 2 x (Mt K Sab + K Nt Sab + Mt Nt So) <= props sram_size_bytes
 *   (U MMEs with work, element sizes Sab, So; each buffer rounded up to 256 bytes). The
 *   GEMM is planned as above with the stage tile as both --tile and --slice (so one
 *   launch per tile, MMEs split in whole tiles; --slice, --tile and --signal do not
 *   apply). Default tile: the largest square side s, a multiple of 128 up to 1024 and
 *   clipped to M and N, whose buffers fit, preferring the largest one that gives each
 *   MME at least 4 launches (a pipeline to overlap) [I: a choice; the graph compiler's
 *   rule is not public]. If even 128 x 128 does not fit, or --stage-tile does not, the
 *   generator refuses naming the sizes.
 *   Each MME walks its launches row-major and copies a panel only when the launch needs
 *   another than the one before it: the A panel once per tile row, the B panel at
 *   every launch (or once, if the MME has one tile column). Buffers: panel loads go to
 *   A / B buffer (load number mod 2), launch v's O tile to O buffer v mod 2.
 *   Copies: A (stored M x K), B transposed (N x K) and O tiles as wide as O are
 *   contiguous and go by LIN_DMA; the others (B as K x N, A transposed, a narrower O
 *   tile) are row boxes, programmed as a strided transfer in the DMA core registers
 *   (SRC/DST base, TSIZE_0 = row bytes, TSIZE_1 = rows, STRIDE_1 = pitch) started by a
 *   COMMIT with wr_comp, as gen_ops.c's transpose. A copy is cut by rows into one piece
 *   per 256 KiB started, at most one per queue of its MME (the internal DMA queues,
 *   Gaudi DMA_2..7, Gaudi2 the EDMAs, shared out evenly over the MMEs), A's pieces on the
 *   MME's queues from 0, B's after them, launch v's O pieces from queue v.
 *   Sync, per MME i: SOBs IN_i[0..1], OUT_i[0..1], COMP_i (from 66 in E_N on Gaudi,
 *   from 128 in the first sync manager elsewhere). Each DMA piece completes with
 *   "SOB += 1": launch v's input pieces on IN_i[v mod 2], its O pieces on OUT_i[v mod
 *   2]; each launch's descriptor sync object does COMP_i += 1. All counters only grow.
 *   The MME's lower-CP program, per launch v: monitor + FENCE "IN_i[v mod 2] >= its
 *   input pieces so far", for v >= 2 "OUT_i[v mod 2] >= the O pieces of launches v - 2,
 *   v - 4, ..." (the O buffer it overwrites is out), the descriptor with SRAM addresses
 *   (pitches: the panel widths), MME_CTRL_CMD.
 *   Each DMA queue's CB (one job per queue), rounds r = 0..launches: launch r's input
 *   pieces, for r >= 2 after "COMP_i >= r - 1" (launches 0..r-2 done: they were the last
 *   to read the buffers these overwrite, and launch r-2 has passed its own IN fence,
 *   so the slot's counter cannot be confused); then launch r-1's O pieces after
 *   "COMP_i >= r" (it is done). So the copies for launch r+1 and the copy out of launch
 *   r-1 run while launch r computes (double buffering).
 *   The final job on DMA_1_0 fences on every OUT_i[s] reaching its total, [--to-host:
 *   copies O to the host,] and resets all those SOBs (the last with EB=1). --from-host:
 *   every staging queue first waits for SOB IN >= 1.
 *   HBM bytes the staging DMAs move: sum over panel loads of Mt K Sab (A) and K Nt Sab
 *   (B), plus M N So for O; with an N split over U MMEs and more than one tile column
 *   per MME: U M K Sab + ceil(M / Mt) K N Sab + M N So (trc_gen_gemm_stage_plan()
 *   counts it exactly). The SOB counters are 15 bits, so at most 32767 pieces per
 *   counter. [I] On Gaudi2 the source-side strided registers are written at Gaudi's
 *   offsets, as in gen_ops.c.
 *   The staging is a stager object (trc_gen_gemm_stager_new() and friends, gen_gemm.h)
 *   that gen_ops.c also uses for `stage = sram` GEMMs of workload files; it is given the
 *   ASIC context, the operands' HBM addresses, the SRAM, its first SOB and monitor and
 *   the DMA queues. Here its monitors start at 9 (one per MME, then one per DMA queue;
 *   0..7 and 8 stay the unstaged trace's) and it gets every internal DMA queue and the
 *   whole user SRAM.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hlsim/trace.h"
#include "models/common/asic.h"
#include "models/gaudi/gaudi_mme.h"
#include "traces/gen/gen_common.h"
#include "traces/gen/gen_gemm.h"

#define SOB_IN 64 /* E_N SOBs below 64 are left to the driver's default DMA completions */
#define SOB_DONE 65
#define MON_FIRST 0
#define DATA_OFFSET_BYTES (256ull << 20) /* operands start 256 MiB into user HBM */
#define ALIGN_BYTES (2ull << 20)
#define HOST_DATA_OFFSET_BYTES (1ull << 32)
#define CB_ALIGN 128u
#define WAIT_TIMEOUT_US 100000000ull
/* --stage sram */
#define STAGE_MAX_QUEUES 16 /* internal DMA queues one trace uses */
#define STAGE_SOBS TRC_GEN_GEMM_STAGE_SOBS /* per MME: IN 0, IN 1, OUT 0, OUT 1, COMP */
#define STAGE_SOB_FIRST_E_N 66 /* after SOB_IN, SOB_DONE */
#define STAGE_SOB_FIRST_OTHER 128 /* Gaudi2: DCORE0 SOBs 0..84 are the driver's */
#define STAGE_SOB_MAX 32767u /* SOB values and monitor targets: 15 bits [C] Gaudi SM */
#define MON_STAGE_FIRST (MON_FIRST + MDL_MME_MAX_LOGICAL + 1) /* the stager's monitors */
#define STAGE_GRAIN 128u /* stage tile sides are chosen in multiples of this [I] */
#define STAGE_MAX_SIDE 1024u /* largest chosen stage tile side [I] */
#define STAGE_MIN_LAUNCHES 4u /* launches per MME the chosen tile aims for [I] */
#define STAGE_BUF_ALIGN 256u /* SRAM buffer alignment */
/* a copy is cut into pieces of at least this, one per queue [I: each DMA command costs
 * dma.setup_latency, so small pieces on many queues lose more than they gain] */
#define STAGE_PIECE_BYTES (256ull << 10)
/* Gaudi DMA core registers of a strided transfer [C dma_core_regs.h], block offsets */
#define DMA_SRC_TSIZE_1 0x2Cu /* SRC_TSIZE_k at 0x2C + 8 (k - 1), SRC_STRIDE_k + 4 */
#define DMA_SRC_TSIZE_0 0x4Cu

/*
 * struct stage_launch - launch l of the plan when staged: @v its index among its MME's
 * launches, whether it needs a new A / B panel copied and into which buffer, the IN SOB
 * value (slot v mod 2) its inputs are in at, the OUT SOB value (same slot) at which
 * the O buffer it overwrites has been copied out, and the pieces of its copies: A's on
 * queues 0.., B's after them, O's from queue v (all mod the MME's queues).
 */
struct stage_launch {
	uint32_t v;
	uint8_t load_a, load_b, a_slot, b_slot;
	uint32_t in_target, out_target;
	uint32_t np_a, np_b, np_o; /* DMA pieces of each copy (0: not copied) */
};

/* The lowering of one staged GEMM (gen_gemm.h). */
struct trc_gen_gemm_stager {
	struct trc_gen_ctx x;
	const struct mdl_mme_layout *lay;
	struct trc_gen_gemm_opts oc;
	const struct trc_gen_gemm_opts *o; /* &oc */
	struct trc_gen_gemm_launch *plan;
	uint32_t num_launches;
	uint32_t *regs; /* an MME register block the descriptors are built in */
	uint64_t addr_a, addr_b, addr_o, sram_base, sram_bytes;
	uint32_t sob_stage, mon_first; /* first SOB (STAGE_SOBS per MME) and monitor */
	uint32_t dmaq[STAGE_MAX_QUEUES], ndmaq;
	struct trc_gen_gemm_stage st;
	struct stage_launch *sl; /* per launch of plan */
	uint32_t nq[MDL_MME_MAX_LOGICAL], q[MDL_MME_MAX_LOGICAL][STAGE_MAX_QUEUES];
	uint32_t nlaunch[MDL_MME_MAX_LOGICAL]; /* launches of each MME */
	uint64_t out_total[MDL_MME_MAX_LOGICAL][2]; /* final OUT SOB values */
	uint64_t buf[MDL_MME_MAX_LOGICAL][6]; /* SRAM: A0, A1, B0, B1, O0, O1 */
};

struct gen {
	struct trc_gen_ctx x; /* x.sm_block: E_N, else the first sync manager */
	const struct mdl_mme_layout *lay;
	const struct trc_gen_gemm_opts *o;
	const struct trc_gen_mme_custom *cu; /* NULL: the GEMM of @o */
	hlsim_trace_writer_t *w;
	uint32_t num_mmes; /* MMEs that get work */
	uint32_t num_launches;
	struct trc_gen_gemm_launch *plan;
	uint32_t *regs; /* an MME register block the descriptors are built in */
	uint64_t packets;
	/* device and host layout */
	uint64_t prog_base, prog_bytes;
	uint64_t addr_a, addr_b, addr_o, bytes_a, bytes_b, bytes_o;
	uint64_t host_prog, host_a, host_b, host_o;
	uint64_t lower_addr[MDL_MME_MAX_LOGICAL], upper_addr[MDL_MME_MAX_LOGICAL];
	uint64_t upper_blob[MDL_MME_MAX_LOGICAL];
	/* --stage sram (see "SRAM staging" at the top) */
	struct trc_gen_gemm_stager *stg;
};

/* {==== Packets ==== */

/* Arm monitor @mon on "SOB @sob >= @target" to bump fence 0 of CP @cp of @qman; FENCE on it. */
static hlsim_err_t arm_and_fence(struct gen *g, struct trc_gen_cb *cb, uint32_t qman, uint8_t cp,
				 uint32_t mon, uint32_t sob, uint32_t target)
{
	hlsim_err_t rc;

	rc = trc_gen_arm_monitor(&g->x, cb, qman, TRC_GEN_MSG_ANY_BASE, mon, sob, target, cp);
	if (!rc)
		rc = trc_gen_fence0(&g->x, cb);
	return rc;
}

/* A 32-bit message to @addr from a CP of @qman: MSG_SHORT if a base reaches it, else MSG_LONG. */
static hlsim_err_t msg(struct gen *g, struct trc_gen_cb *cb, uint32_t qman, uint64_t addr,
		       uint32_t value, int eb)
{
	return trc_gen_msg(&g->x, cb, qman, TRC_GEN_MSG_ANY_BASE, addr, value, eb);
}
/* ====} */

/* {==== Plan ==== */

void trc_gen_gemm_defaults(struct trc_gen_gemm_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->asic = "gaudi";
	o->m = o->n = o->k = 4096;
	o->dtype = MDL_MME_BF16;
	o->out_dtype = MDL_MME_BF16;
	o->slice_rows = o->slice_cols = 4096;
	o->tile_rows = o->tile_cols = 512;
	o->geometry = MDL_MME_GEO_BASE;
}

/*
 * Part @i of @parts (at most the number of @align units) of [0, @size) cut on multiples
 * of @align, earlier parts taking the extra unit: first element and count.
 */
static void cut(uint32_t size, uint32_t align, uint32_t parts, uint32_t i, uint32_t *first,
		uint32_t *count)
{
	uint64_t units = ((uint64_t)size + align - 1) / align;
	uint64_t a = (units * i + parts - 1) / parts * align;
	uint64_t b = (units * (i + 1) + parts - 1) / parts * align;

	if (a > size)
		a = size;
	if (b > size)
		b = size;
	*first = (uint32_t)a;
	*count = (uint32_t)(b - a);
}

/* A slice limit rounded down to the tile (at least one tile); 0 = no limit. */
static uint32_t slice_limit(uint32_t limit, uint32_t tile)
{
	if (!limit)
		return UINT32_MAX;
	return limit < tile ? tile : limit / tile * tile;
}

hlsim_err_t trc_gen_gemm_plan(const struct trc_gen_gemm_opts *o, uint32_t num_mmes,
			      struct trc_gen_gemm_launch *out, uint32_t cap, uint32_t *n_out)
{
	uint32_t use = o->mmes ? o->mmes : num_mmes, i, n = 0, split_n = o->n >= o->m;
	uint32_t lim_r = slice_limit(o->slice_rows, o->tile_rows);
	uint32_t lim_c = slice_limit(o->slice_cols, o->tile_cols);
	uint64_t units;

	*n_out = 0;
	if (!o->m || !o->n || !o->k || o->m > (1u << 31) || o->n > (1u << 31) ||
	    o->k > (1u << 31))
		return hlsim_error(HLSIM_E_USAGE,
				   "gen gemm: --m %u --n %u --k %u: each size must be 1..2^31",
				   o->m, o->n, o->k);
	if (!o->tile_rows || !o->tile_cols || o->tile_rows > (1u << 20) ||
	    o->tile_cols > (1u << 20))
		return hlsim_error(HLSIM_E_USAGE, "gen gemm: --tile %ux%u: expected 1..2^20 each",
				   o->tile_rows, o->tile_cols);
	if (!num_mmes || use > num_mmes)
		return hlsim_error(HLSIM_E_USAGE, "gen gemm: --mmes %u: this ASIC has %u MMEs",
				   use, num_mmes);
	/* fewer tiles along the split dimension than MMEs: the last MMEs get nothing */
	units = split_n ? ((uint64_t)o->n + o->tile_cols - 1) / o->tile_cols
			: ((uint64_t)o->m + o->tile_rows - 1) / o->tile_rows;
	if (use > units)
		use = (uint32_t)units;
	for (i = 0; i < use; i++) {
		uint32_t pm0 = 0, pm = o->m, pn0 = 0, pn = o->n, r, c;

		if (split_n)
			cut(o->n, o->tile_cols, use, i, &pn0, &pn);
		else
			cut(o->m, o->tile_rows, use, i, &pm0, &pm);
		for (r = 0; pn && r < pm; r += lim_r < pm - r ? lim_r : pm - r) {
			for (c = 0; c < pn; c += lim_c < pn - c ? lim_c : pn - c) {
				if (n == cap)
					return hlsim_error(HLSIM_E_USAGE,
							   "gen gemm: more than %u launches: "
							   "raise --slice",
							   cap);
				out[n] = (struct trc_gen_gemm_launch){
					.mme = i,
					.m0 = pm0 + r,
					.n0 = pn0 + c,
					.m = lim_r < pm - r ? lim_r : pm - r,
					.n = lim_c < pn - c ? lim_c : pn - c,
				};
				n++;
			}
		}
	}
	*n_out = n;
	return HLSIM_OK;
}
/* ====} */

/* {==== SRAM staging (see the top) ==== */

/* Arm monitor @mon on "SOB @sob >= @target" to bump fence 0 of CP @cp of @qman; FENCE on it. */
/* Write the MME descriptor block @regs (WREG_BULK) and launch it (MME_CTRL_CMD = 1). */
static hlsim_err_t put_desc_launch(struct trc_gen_ctx *x, const struct mdl_mme_layout *lay,
				   const uint32_t *regs, struct trc_gen_cb *cb)
{
	hlsim_err_t rc = trc_gen_wreg_block(x, cb, lay->desc_first, regs + lay->desc_first / 4,
					    (lay->desc_end - lay->desc_first) / 4);

	return rc ? rc : trc_gen_wreg32(x, cb, lay->cmd, 1, 1, 1);
}

static hlsim_err_t sarm(struct trc_gen_gemm_stager *g, struct trc_gen_cb *cb, uint32_t qman,
			uint8_t cp, uint32_t mon, uint32_t sob, uint32_t target)
{
	hlsim_err_t rc;

	rc = trc_gen_arm_monitor(&g->x, cb, qman, TRC_GEN_MSG_ANY_BASE, mon, sob, target, cp);
	if (!rc)
		rc = trc_gen_fence0(&g->x, cb);
	return rc;
}

/* The monitor of queue @j of MME @i: after the MMEs', the queues' in order. */
static uint32_t stage_monitor(const struct trc_gen_gemm_stager *g, uint32_t i, uint32_t j)
{
	uint32_t mon = g->mon_first + g->st.mmes + j, k;

	for (k = 0; k < i; k++)
		mon += g->nq[k];
	return mon;
}

/* SOB @k (0..STAGE_SOBS-1: IN 0, IN 1, OUT 0, OUT 1, COMP) of MME @i. */
static uint32_t stage_sob(const struct trc_gen_gemm_stager *g, uint32_t i, uint32_t k)
{
	return g->sob_stage + i * STAGE_SOBS + k;
}

/* A copy of @rows rows of @row_bytes from @src (pitch @src_pitch) to @dst (@dst_pitch). */
struct copy2d {
	uint64_t src, src_pitch, dst, dst_pitch, row_bytes;
	uint32_t rows;
};

/*
 * The DMA pieces a copy of @rows rows of @row_bytes makes over @nq queues: one per
 * STAGE_PIECE_BYTES started, at most one per queue and per row.
 */
static uint32_t stage_pieces(uint32_t rows, uint64_t row_bytes, uint32_t nq)
{
	uint64_t n = (rows * row_bytes + STAGE_PIECE_BYTES - 1) / STAGE_PIECE_BYTES;

	if (n > nq)
		n = nq;
	if (n > rows)
		n = rows;
	return n ? (uint32_t)n : 1;
}

/* The A row panel, B column panel and O tile copies of launch @l of MME @i. */
static void stage_copies(const struct trc_gen_gemm_stager *g, const struct trc_gen_gemm_launch *l,
			 const struct stage_launch *s, struct copy2d *a, struct copy2d *b,
			 struct copy2d *o)
{
	const struct trc_gen_gemm_opts *o_ = g->o;
	uint64_t es = mdl_mme_dtype_bytes(o_->dtype), eo = mdl_mme_dtype_bytes(o_->out_dtype);
	uint64_t K = o_->k;
	uint32_t i = l->mme;

	/* A: M rows of K, the launch's m rows contiguous; transposed: K rows of m of M */
	if (o_->transpose_a)
		*a = (struct copy2d){ g->addr_a + l->m0 * es, o_->m * es, g->buf[i][s->a_slot],
				      l->m * es, l->m * es, o_->k };
	else
		*a = (struct copy2d){ g->addr_a + l->m0 * K * es, K * es, g->buf[i][s->a_slot],
				      K * es, K * es, l->m };
	/* B: K rows of n of N; transposed: N rows of K, the launch's n rows contiguous */
	if (o_->transpose_b)
		*b = (struct copy2d){ g->addr_b + l->n0 * K * es, K * es,
				      g->buf[i][2 + s->b_slot], K * es, K * es, l->n };
	else
		*b = (struct copy2d){ g->addr_b + l->n0 * es, o_->n * es,
				      g->buf[i][2 + s->b_slot], l->n * es, l->n * es, o_->k };
	/* O: the tile, m rows of n, into its place in M rows of N */
	*o = (struct copy2d){ g->buf[i][4 + s->v % 2], l->n * eo,
			      g->addr_o + ((uint64_t)l->m0 * o_->n + l->n0) * eo, o_->n * eo,
			      l->n * eo, l->m };
}

/*
 * The piece of copy @c that queue @j of @nq runs when the copy is cut into @np pieces
 * given to queues @off, @off + 1, ... (mod @nq): rows [rows p / np, rows (p + 1) / np)
 * for p = (@j - @off) mod @nq < @np, its completion counting on the SOB the DMA core's
 * completion write points at: a LIN_DMA when the rows are contiguous on both sides, else
 * a strided transfer in the DMA core registers started by COMMIT (lin=0, wr_comp).
 * *@emitted: whether the queue has a piece.
 */
static hlsim_err_t stage_piece(struct trc_gen_gemm_stager *g, struct trc_gen_cb *cb, const struct copy2d *c,
			       uint32_t j, uint32_t nq, uint32_t np, uint32_t off, int *emitted)
{
	const struct mdl_asic_props *P = g->x.p;
	uint32_t p = (j + nq - off % nq) % nq;
	uint32_t lo = p < np ? (uint32_t)((uint64_t)c->rows * p / np) : 0;
	uint32_t hi = p < np ? (uint32_t)((uint64_t)c->rows * (p + 1) / np) : 0, r;
	uint64_t src = c->src + lo * c->src_pitch, dst = c->dst + lo * c->dst_pitch;
	hlsim_err_t rc = HLSIM_OK;

	*emitted = hi > lo;
	if (hi == lo)
		return HLSIM_OK;
	if (hi - lo == 1 || (c->src_pitch == c->row_bytes && c->dst_pitch == c->row_bytes))
		return trc_gen_lin_dma(&g->x, cb, src, dst, (hi - lo) * c->row_bytes, 1);
	{
		/*
		 * [I] The source-side registers are written at Gaudi's DMA core offsets
		 * (Gaudi2's are not in this project's sources, as in gen_ops.c's transpose);
		 * the simulator times the transfer from the destination sizes.
		 */
		const uint32_t regs[][2] = {
			{ P->dma_src_base_lo, (uint32_t)src },
			{ P->dma_src_base_hi, (uint32_t)(src >> 32) },
			{ P->dma_dst_base_lo, (uint32_t)dst },
			{ P->dma_dst_base_hi, (uint32_t)(dst >> 32) & P->dma_dst_base_hi_mask },
			{ DMA_SRC_TSIZE_0, (uint32_t)c->row_bytes },
			{ DMA_SRC_TSIZE_1, hi - lo },
			{ DMA_SRC_TSIZE_1 + 4, (uint32_t)c->src_pitch },
			{ DMA_SRC_TSIZE_1 + 8, 1 },
			{ DMA_SRC_TSIZE_1 + 16, 1 },
			{ DMA_SRC_TSIZE_1 + 24, 1 },
			{ P->dma_dst_tsize_0, (uint32_t)c->row_bytes },
			{ P->dma_dst_tsize_k[0], hi - lo },
			{ P->dma_dst_tsize_k[0] + 4, (uint32_t)c->dst_pitch }, /* DST_STRIDE_1 */
			{ P->dma_dst_tsize_k[1], 1 },
			{ P->dma_dst_tsize_k[2], 1 },
			{ P->dma_dst_tsize_k[3], 1 },
		};

		for (r = 0; !rc && r < sizeof(regs) / sizeof(regs[0]); r++)
			rc = trc_gen_wreg32(&g->x, cb, regs[r][0], regs[r][1], 0, 0);
	}
	if (!rc)
		rc = trc_gen_wreg32(&g->x, cb, P->launch_reg[MDL_ENGINE_DMA],
				    P->dma_commit_wr_comp, 0, 0);
	return rc;
}

/* SRAM bytes of two buffers per operand for each of @mmes MMEs, @r x @c output tiles. */
static uint64_t stage_sram_need(const struct trc_gen_gemm_opts *o, uint32_t r, uint32_t c,
				uint32_t mmes, uint64_t *a_out, uint64_t *b_out, uint64_t *o_out)
{
	uint64_t es = mdl_mme_dtype_bytes(o->dtype), eo = mdl_mme_dtype_bytes(o->out_dtype);
	uint64_t a, b, t;

	if (r > o->m)
		r = o->m;
	if (c > o->n)
		c = o->n;
	a = (uint64_t)r * o->k * es;
	b = (uint64_t)o->k * c * es;
	t = (uint64_t)r * c * eo;
	if (a_out) {
		*a_out = a;
		*b_out = b;
		*o_out = t;
	}
	return mmes * 2 * (trc_gen_align_up(a, STAGE_BUF_ALIGN) +
			   trc_gen_align_up(b, STAGE_BUF_ALIGN) + trc_gen_align_up(t, STAGE_BUF_ALIGN));
}

/* The plan of @o cut in stage tiles of @r x @c: launches into g->plan, MMEs used. */
static hlsim_err_t stage_try(struct trc_gen_gemm_stager *g, uint32_t r, uint32_t c, uint32_t *mmes_out)
{
	struct trc_gen_gemm_opts t = *g->o;
	uint32_t i;
	hlsim_err_t rc;

	t.tile_rows = t.slice_rows = r;
	t.tile_cols = t.slice_cols = c;
	rc = trc_gen_gemm_plan(&t, g->lay->num_logical, g->plan, TRC_GEN_GEMM_MAX_LAUNCHES,
			       &g->num_launches);
	*mmes_out = 0;
	for (i = 0; !rc && i < g->num_launches; i++)
		if (g->plan[i].mme + 1 > *mmes_out)
			*mmes_out = g->plan[i].mme + 1;
	return rc;
}

/* The fewest launches any of the @mmes MMEs of g->plan gets. */
static uint32_t stage_min_launches(const struct trc_gen_gemm_stager *g, uint32_t mmes)
{
	uint32_t per[MDL_MME_MAX_LOGICAL] = { 0 }, i, min = UINT32_MAX;

	for (i = 0; i < g->num_launches; i++)
		per[g->plan[i].mme]++;
	for (i = 0; i < mmes; i++)
		if (per[i] < min)
			min = per[i];
	return min;
}

/*
 * The stage tile: the one asked for, else the largest square side s (a multiple of
 * STAGE_GRAIN, at most STAGE_MAX_SIDE, clipped to M and N) whose buffers fit, preferring
 * one that gives each MME at least STAGE_MIN_LAUNCHES launches. Leaves its plan in g.
 */
static hlsim_err_t stage_choose(struct trc_gen_gemm_stager *g)
{
	const struct trc_gen_gemm_opts *o = g->o;
	const struct mdl_asic_props *p = g->x.p;
	uint64_t sram = g->sram_bytes, need, a, b, t;
	uint32_t s, u, best = 0, r, c, min_mmes;
	hlsim_err_t rc;

	if (o->stage_rows || o->stage_cols) {
		r = o->stage_rows;
		c = o->stage_cols;
		if (!r || !c || r > (1u << 20) || c > (1u << 20))
			return hlsim_error(HLSIM_E_USAGE,
					   "%s: --stage-tile %ux%u: expected 1..2^20 each",
					   g->x.who, r, c);
		if (((uint64_t)o->m + r - 1) / r * (((uint64_t)o->n + c - 1) / c) >
		    TRC_GEN_GEMM_MAX_LAUNCHES)
			return hlsim_error(HLSIM_E_USAGE,
					   "%s: --stage-tile %ux%u: more than %u launches; use a "
					   "larger one",
					   g->x.who, r, c, TRC_GEN_GEMM_MAX_LAUNCHES);
		rc = stage_try(g, r, c, &u);
		if (rc)
			return rc;
		need = stage_sram_need(o, r, c, u, &a, &b, &t);
		if (need > sram)
			return hlsim_error(HLSIM_E_USAGE,
					   "%s: stage sram: two buffers each of an A panel "
					   "(%u x K=%u: %" PRIu64 " bytes), a B panel (K x %u: %" PRIu64
					   " bytes) and an O tile (%" PRIu64 " bytes) for %u MME%s "
					   "take %" PRIu64 " bytes, more than the %" PRIu64
					   " bytes of %s user SRAM; use a smaller --stage-tile",
					   g->x.who, r < o->m ? r : o->m, o->k, a, c < o->n ? c : o->n, b, t, u,
					   u == 1 ? "" : "s", need, sram, p->asic_name);
		g->st.tile_rows = r;
		g->st.tile_cols = c;
		g->st.mmes = u;
		return HLSIM_OK;
	}
	/* largest fitting square side, preferring STAGE_MIN_LAUNCHES per MME */
	for (s = STAGE_MAX_SIDE; s >= STAGE_GRAIN; s -= STAGE_GRAIN) {
		if (stage_try(g, s, s, &u))
			continue; /* too many launches: smaller sides only make more */
		if (stage_sram_need(o, s, s, u, NULL, NULL, NULL) > sram)
			continue;
		if (!best)
			best = s;
		if (stage_min_launches(g, u) >= STAGE_MIN_LAUNCHES) {
			best = s;
			break;
		}
	}
	if (!best) {
		min_mmes = o->mmes ? o->mmes : g->lay->num_logical;
		if (stage_try(g, STAGE_GRAIN, STAGE_GRAIN, &u))
			u = min_mmes;
		need = stage_sram_need(o, STAGE_GRAIN, STAGE_GRAIN, u, &a, &b, &t);
		return hlsim_error(HLSIM_E_USAGE,
				   "%s: stage sram: even %ux%u output tiles need two "
				   "buffers each of an A panel (%" PRIu64 " bytes: all of K=%u, as "
				   "the MME cannot accumulate across launches), a B panel (%" PRIu64
				   " bytes) and an O tile (%" PRIu64 " bytes) for %u MME%s: %" PRIu64
				   " bytes, more than the %" PRIu64 " bytes of %s user SRAM; "
				   "use a smaller K, fewer --mmes or --stage hbm",
				   g->x.who, o->m < STAGE_GRAIN ? o->m : STAGE_GRAIN,
				   o->n < STAGE_GRAIN ? o->n : STAGE_GRAIN, a, o->k, b, t, u,
				   u == 1 ? "" : "s", need, sram, p->asic_name);
	}
	rc = stage_try(g, best, best, &u);
	if (rc)
		return rc;
	g->st.tile_rows = best;
	g->st.tile_cols = best;
	g->st.mmes = u;
	return HLSIM_OK;
}

/* The caller's internal DMA queues, shared out over the MMEs used; the sync resources. */
static hlsim_err_t stage_queues(struct trc_gen_gemm_stager *g)
{
	const struct mdl_asic_props *p = g->x.p;
	uint32_t n = g->ndmaq, i, j, u = g->st.mmes;

	if (n < u)
		return hlsim_error(HLSIM_E_UNSUPPORTED,
				   "%s: stage sram: %u internal DMA queue%s of %s for %u MMEs: "
				   "each MME needs one of its own (more DMAs or fewer MMEs)",
				   g->x.who, n, n == 1 ? "" : "s", p->asic_name, u);
	for (i = 0; i < u; i++) {
		uint32_t lo = n * i / u, hi = n * (i + 1) / u;

		g->nq[i] = hi - lo;
		for (j = lo; j < hi; j++)
			g->q[i][j - lo] = g->dmaq[j];
	}
	g->st.dma_queues = n;
	if (g->mon_first + u + n > p->mons_per_block ||
	    g->sob_stage + STAGE_SOBS * u > p->sobs_per_block)
		return hlsim_error(HLSIM_E_UNSUPPORTED,
				   "%s: stage sram: %s's sync manager lacks the %u monitors from "
				   "%u or the %u SOBs from %u a staged GEMM uses",
				   g->x.who, p->asic_name, u + n, g->mon_first, STAGE_SOBS * u,
				   g->sob_stage);
	return HLSIM_OK;
}

/* Which panels each launch copies, into which buffer, the SOB targets; the byte counts. */
static hlsim_err_t stage_schedule(struct trc_gen_gemm_stager *g)
{
	const struct trc_gen_gemm_opts *o = g->o;
	uint64_t es = mdl_mme_dtype_bytes(o->dtype), eo = mdl_mme_dtype_bytes(o->out_dtype);
	uint64_t in[MDL_MME_MAX_LOGICAL][2] = { { 0 } };
	uint8_t loads_a[MDL_MME_MAX_LOGICAL] = { 0 }, loads_b[MDL_MME_MAX_LOGICAL] = { 0 };
	uint32_t l;

	memset(g->nlaunch, 0, sizeof(g->nlaunch));
	memset(g->out_total, 0, sizeof(g->out_total));
	for (l = 0; l < g->num_launches; l++) {
		const struct trc_gen_gemm_launch *x = &g->plan[l], *prev = NULL;
		struct stage_launch *s = &g->sl[l];
		struct copy2d ca, cb, co;
		uint32_t i = x->mme, nq = g->nq[i];

		if (l && g->plan[l - 1].mme == i)
			prev = &g->plan[l - 1];
		memset(s, 0, sizeof(*s));
		s->v = g->nlaunch[i]++;
		s->load_a = !prev || prev->m0 != x->m0 || prev->m != x->m;
		s->load_b = !prev || prev->n0 != x->n0 || prev->n != x->n;
		if (s->load_a)
			loads_a[i] ^= 1;
		if (s->load_b)
			loads_b[i] ^= 1;
		s->a_slot = loads_a[i] ^ 1; /* the first load goes to buffer 0 */
		s->b_slot = loads_b[i] ^ 1;
		stage_copies(g, x, s, &ca, &cb, &co);
		s->np_a = s->load_a ? stage_pieces(ca.rows, ca.row_bytes, nq) : 0;
		s->np_b = s->load_b ? stage_pieces(cb.rows, cb.row_bytes, nq) : 0;
		s->np_o = stage_pieces(co.rows, co.row_bytes, nq);
		in[i][s->v % 2] += s->np_a + s->np_b;
		s->in_target = (uint32_t)in[i][s->v % 2];
		s->out_target = (uint32_t)g->out_total[i][s->v % 2];
		g->out_total[i][s->v % 2] += s->np_o;
		if (in[i][s->v % 2] > STAGE_SOB_MAX || g->out_total[i][s->v % 2] > STAGE_SOB_MAX ||
		    g->nlaunch[i] > STAGE_SOB_MAX)
			return hlsim_error(HLSIM_E_USAGE,
					   "%s: stage sram: MME %u counts more than %u DMA "
					   "pieces or launches on one 15-bit sync object; use a "
					   "larger --stage-tile",
					   g->x.who, i, STAGE_SOB_MAX);
		if (s->load_a) {
			g->st.a_loads++;
			g->st.hbm_read_bytes += (uint64_t)x->m * o->k * es;
		}
		if (s->load_b) {
			g->st.b_loads++;
			g->st.hbm_read_bytes += (uint64_t)o->k * x->n * es;
		}
		g->st.hbm_write_bytes += (uint64_t)x->m * x->n * eo;
	}
	g->st.launches = g->num_launches;
	return HLSIM_OK;
}

/* Tile, queues, SOBs, SRAM buffers and schedule of --stage sram. */
static hlsim_err_t stage_setup(struct trc_gen_gemm_stager *g)
{
	uint64_t a, b, t, addr = g->sram_base;
	uint32_t i, k;
	hlsim_err_t rc;

	rc = stage_queues(g);
	if (rc)
		return rc;
	g->st.sram_bytes = stage_sram_need(g->o, g->st.tile_rows, g->st.tile_cols, g->st.mmes,
					   &a, &b, &t);
	for (i = 0; i < g->st.mmes; i++) {
		const uint64_t size[3] = { a, b, t };

		for (k = 0; k < 6; k++) {
			g->buf[i][k] = addr;
			addr += trc_gen_align_up(size[k / 2], STAGE_BUF_ALIGN);
		}
	}
	g->sl = calloc(g->num_launches ? g->num_launches : 1, sizeof(*g->sl));
	if (!g->sl)
		return hlsim_error(HLSIM_E_NOMEM, "%s", g->x.who);
	return stage_schedule(g);
}

/* The lower-CP program of MME @i when staged: per launch, fence on its inputs and O buffer. */
static hlsim_err_t stage_mme_program(struct trc_gen_gemm_stager *g, uint32_t i, uint32_t qman,
				     struct trc_gen_cb *cb)
{
	const struct trc_gen_gemm_opts *o = g->o;
	struct mdl_mme_gemm d;
	uint32_t l;
	hlsim_err_t rc = HLSIM_OK;

	for (l = 0; !rc && l < g->num_launches; l++) {
		const struct trc_gen_gemm_launch *x = &g->plan[l];
		const struct stage_launch *s = &g->sl[l];

		if (x->mme != i)
			continue;
		rc = sarm(g, cb, qman, 4, g->mon_first + i, stage_sob(g, i, s->v % 2),
				   s->in_target);
		if (!rc && s->v >= 2)
			rc = sarm(g, cb, qman, 4, g->mon_first + i,
					   stage_sob(g, i, 2 + s->v % 2), s->out_target);
		if (rc)
			break;
		memset(&d, 0, sizeof(d));
		d.m = x->m;
		d.n = x->n;
		d.k = o->k;
		d.in_dtype = (uint8_t)o->dtype;
		d.out_dtype = (uint8_t)o->out_dtype;
		d.transpose_s = o->transpose_a;
		d.transpose_l = o->transpose_b;
		d.geometry = o->geometry;
		d.addr[MDL_MME_S] = g->buf[i][s->a_slot];
		d.pitch[MDL_MME_S] = o->transpose_a ? x->m : o->k;
		d.addr[MDL_MME_L] = g->buf[i][2 + s->b_slot];
		d.pitch[MDL_MME_L] = o->transpose_b ? o->k : x->n;
		d.addr[MDL_MME_O] = g->buf[i][4 + s->v % 2];
		d.pitch[MDL_MME_O] = x->n;
		d.has_sync = 1;
		d.sync_addr = g->x.f->sob_addr(g->x.sm_block, stage_sob(g, i, 4));
		d.sync_data = g->x.f->sob_value_encode(1, 1);
		rc = mdl_mme_desc_encode(g->lay, &d, g->regs);
		if (!rc)
			rc = put_desc_launch(&g->x, g->lay, g->regs, cb);
	}
	return rc;
}

/* Whether queue @j of @nq has a piece of a copy cut in @np given to queues from @off. */
static int stage_has(uint32_t j, uint32_t nq, uint32_t np, uint32_t off)
{
	return (j + nq - off % nq) % nq < np;
}

/* Point the DMA core's completion at SOB @sob unless it already is (*@cur). */
static hlsim_err_t stage_comp_to(struct trc_gen_gemm_stager *g, struct trc_gen_cb *cb, uint32_t sob,
				 uint32_t *cur)
{
	if (*cur == sob)
		return HLSIM_OK;
	*cur = sob;
	return trc_gen_set_wr_comp(&g->x, cb, sob);
}

/*
 * The CB of queue @j of MME @i: for each round r, the pieces of launch r's panel copies
 * (after launches 0..r-2 are done) and of launch r-1's O tile (after it is done).
 */
static hlsim_err_t stage_dma_cb(struct trc_gen_gemm_stager *g, uint32_t i, uint32_t j, struct trc_gen_cb *cb)
{
	uint32_t qid = g->q[i][j], qman = g->x.f->qman_of_queue(qid), nq = g->nq[i];
	uint32_t mon = stage_monitor(g, i, j), l, cur = UINT32_MAX;
	uint32_t first = UINT32_MAX, r;
	struct copy2d a, b, o;
	int emitted;
	hlsim_err_t rc = HLSIM_OK;

	for (l = 0; l < g->num_launches && first == UINT32_MAX; l++)
		if (g->plan[l].mme == i)
			first = l;
	for (r = 0; !rc && r <= g->nlaunch[i]; r++) {
		if (r < g->nlaunch[i]) {
			const struct stage_launch *s = &g->sl[first + r];
			const struct trc_gen_gemm_launch *x = &g->plan[first + r];

			stage_copies(g, x, s, &a, &b, &o);
			if (stage_has(j, nq, s->np_a, 0) || stage_has(j, nq, s->np_b, s->np_a)) {
				if (r >= 2)
					rc = sarm(g, cb, qman, 0, mon, stage_sob(g, i, 4),
							   r - 1);
				if (!rc)
					rc = stage_comp_to(g, cb, stage_sob(g, i, r % 2), &cur);
				if (!rc && s->np_a)
					rc = stage_piece(g, cb, &a, j, nq, s->np_a, 0, &emitted);
				if (!rc && s->np_b)
					rc = stage_piece(g, cb, &b, j, nq, s->np_b, s->np_a,
							 &emitted);
			}
		}
		if (!rc && r >= 1) {
			const struct stage_launch *s = &g->sl[first + r - 1];
			const struct trc_gen_gemm_launch *x = &g->plan[first + r - 1];

			stage_copies(g, x, s, &a, &b, &o);
			if (stage_has(j, nq, s->np_o, s->v)) {
				rc = sarm(g, cb, qman, 0, mon, stage_sob(g, i, 4), r);
				if (!rc)
					rc = stage_comp_to(g, cb, stage_sob(g, i, 2 + (r - 1) % 2),
							   &cur);
				if (!rc)
					rc = stage_piece(g, cb, &o, j, nq, s->np_o, s->v, &emitted);
			}
		}
	}
	return rc;
}


hlsim_err_t trc_gen_gemm_stager_new(const struct trc_gen_gemm_opts *o,
				    const struct trc_gen_gemm_stage_env *env,
				    struct trc_gen_gemm_stager **out)
{
	struct trc_gen_gemm_stager *g;
	hlsim_err_t rc;

	if (!o || !env || !env->x || !env->lay || !out ||
	    (env->num_dma_queues && !env->dma_queues))
		return hlsim_error(HLSIM_E_INVAL, "stage sram: NULL options or environment");
	*out = NULL;
	if (o->dtype >= MDL_MME_DTYPE_COUNT_ || o->out_dtype >= MDL_MME_DTYPE_COUNT_ ||
	    o->geometry >= MDL_MME_GEO_COUNT_)
		return hlsim_error(HLSIM_E_USAGE, "%s: unknown data type or geometry",
				   env->x->who);
	g = calloc(1, sizeof(*g));
	if (!g)
		return hlsim_error(HLSIM_E_NOMEM, "%s", env->x->who);
	g->x = *env->x;
	g->lay = env->lay;
	g->oc = *o;
	g->o = &g->oc;
	g->addr_a = env->addr_a;
	g->addr_b = env->addr_b;
	g->addr_o = env->addr_o;
	g->sram_base = env->sram_base;
	g->sram_bytes = env->sram_bytes;
	g->sob_stage = env->sob_first;
	g->mon_first = env->mon_first;
	g->ndmaq = env->num_dma_queues < STAGE_MAX_QUEUES ? env->num_dma_queues
							  : STAGE_MAX_QUEUES;
	memcpy(g->dmaq, env->dma_queues, g->ndmaq * sizeof(*g->dmaq));
	g->plan = calloc(TRC_GEN_GEMM_MAX_LAUNCHES, sizeof(*g->plan));
	g->regs = calloc(g->x.p->engine_block_bytes / 4 + 1, sizeof(*g->regs));
	if (!g->plan || !g->regs)
		rc = hlsim_error(HLSIM_E_NOMEM, "%s", g->x.who);
	else
		rc = stage_choose(g);
	if (!rc)
		rc = stage_setup(g);
	if (rc) {
		trc_gen_gemm_stager_free(g);
		return rc;
	}
	*out = g;
	return HLSIM_OK;
}

void trc_gen_gemm_stager_free(struct trc_gen_gemm_stager *g)
{
	if (!g)
		return;
	free(g->sl);
	free(g->regs);
	free(g->plan);
	free(g);
}

const struct trc_gen_gemm_stage *trc_gen_gemm_stager_info(const struct trc_gen_gemm_stager *g)
{
	return &g->st;
}

uint32_t trc_gen_gemm_stager_num_queues(const struct trc_gen_gemm_stager *g, uint32_t mme)
{
	return mme < g->st.mmes ? g->nq[mme] : 0;
}

uint32_t trc_gen_gemm_stager_queue(const struct trc_gen_gemm_stager *g, uint32_t mme, uint32_t j)
{
	return mme < g->st.mmes && j < g->nq[mme] ? g->q[mme][j] : UINT32_MAX;
}

uint32_t trc_gen_gemm_stager_monitor(const struct trc_gen_gemm_stager *g, uint32_t mme,
				     uint32_t j)
{
	return stage_monitor(g, mme, j);
}

hlsim_err_t trc_gen_gemm_stager_mme(struct trc_gen_gemm_stager *g, uint32_t mme, uint32_t qman,
				    struct trc_gen_cb *cb)
{
	if (mme >= g->st.mmes)
		return hlsim_error(HLSIM_E_INVAL, "%s: stage sram: no MME %u", g->x.who, mme);
	return stage_mme_program(g, mme, qman, cb);
}

hlsim_err_t trc_gen_gemm_stager_dma(struct trc_gen_gemm_stager *g, uint32_t mme, uint32_t j,
				    struct trc_gen_cb *cb)
{
	if (mme >= g->st.mmes || j >= g->nq[mme])
		return hlsim_error(HLSIM_E_INVAL, "%s: stage sram: no queue %u of MME %u",
				   g->x.who, j, mme);
	return stage_dma_cb(g, mme, j, cb);
}

hlsim_err_t trc_gen_gemm_stager_final_waits(struct trc_gen_gemm_stager *g, uint32_t qman,
					    uint32_t mon, struct trc_gen_cb *cb)
{
	uint32_t i, k;
	hlsim_err_t rc = HLSIM_OK;

	for (i = 0; !rc && i < g->st.mmes; i++)
		for (k = 0; !rc && k < 2; k++)
			if (g->out_total[i][k])
				rc = sarm(g, cb, qman, 0, mon, stage_sob(g, i, 2 + k),
					  (uint32_t)g->out_total[i][k]);
	return rc;
}

hlsim_err_t trc_gen_gemm_stager_resets(struct trc_gen_gemm_stager *g, uint32_t qman, int eb_last,
				       struct trc_gen_cb *cb)
{
	uint32_t i, k, last = g->st.mmes * STAGE_SOBS - 1;
	hlsim_err_t rc = HLSIM_OK;

	for (i = 0; !rc && i < g->st.mmes; i++)
		for (k = 0; !rc && k < STAGE_SOBS; k++)
			rc = trc_gen_msg(&g->x, cb, qman, TRC_GEN_MSG_ANY_BASE,
					 g->x.f->sob_addr(g->x.sm_block, stage_sob(g, i, k)),
					 g->x.f->sob_value_encode(0, 0),
					 eb_last && i * STAGE_SOBS + k == last);
	return rc;
}
/* ====} */

/* {==== Programs ==== */

/* The queue of stream @stream of engine @engine of class @engine_class. */
static uint32_t queue_id(struct gen *g, uint32_t engine_class, uint32_t engine, uint32_t stream)
{
	return trc_gen_queue_id(&g->x, engine_class, engine, stream);
}

/* The descriptor of launch @l: a block of A, B and O with the full matrices' pitches. */
static void launch_gemm(struct gen *g, const struct trc_gen_gemm_launch *l,
			struct mdl_mme_gemm *d)
{
	const struct trc_gen_gemm_opts *o = g->o;
	uint64_t es = mdl_mme_dtype_bytes(o->dtype), eo = mdl_mme_dtype_bytes(o->out_dtype);

	memset(d, 0, sizeof(*d));
	d->m = l->m;
	d->n = l->n;
	d->k = o->k;
	d->in_dtype = (uint8_t)o->dtype;
	d->out_dtype = (uint8_t)o->out_dtype;
	d->transpose_s = o->transpose_a;
	d->transpose_l = o->transpose_b;
	d->geometry = o->geometry;
	/* A: M rows of K (transposed: K rows of M); B: K rows of N (transposed: N rows of K) */
	d->pitch[MDL_MME_S] = o->transpose_a ? o->m : o->k;
	d->addr[MDL_MME_S] = g->addr_a + (o->transpose_a ? l->m0 : (uint64_t)l->m0 * o->k) * es;
	d->pitch[MDL_MME_L] = o->transpose_b ? o->k : o->n;
	d->addr[MDL_MME_L] = g->addr_b + (o->transpose_b ? (uint64_t)l->n0 * o->k : l->n0) * es;
	d->pitch[MDL_MME_O] = o->n;
	d->addr[MDL_MME_O] = g->addr_o + ((uint64_t)l->m0 * o->n + l->n0) * eo;
	if (o->signal_desc) {
		d->has_sync = 1;
		d->sync_addr = g->x.f->sob_addr(g->x.sm_block, SOB_DONE);
		d->sync_data = g->x.f->sob_value_encode(1, 1);
	}
}

/* The lower-CP program of logical MME @i. */
static hlsim_err_t build_mme_program(struct gen *g, uint32_t i, uint32_t qman,
				     struct trc_gen_cb *cb)
{
	struct mdl_mme_gemm d;
	uint32_t l;
	hlsim_err_t rc = HLSIM_OK;

	cb->len = 0;
	cb->packets = 0;
	if (g->stg)
		return trc_gen_gemm_stager_mme(g->stg, i, qman, cb);
	if (g->o->from_host)
		rc = arm_and_fence(g, cb, qman, 4, MON_FIRST + i, SOB_IN, 1);
	for (l = 0; !rc && l < g->num_launches; l++) {
		if (g->plan[l].mme != i)
			continue;
		if (g->cu) {
			rc = g->cu->encode(g->cu->ctx, g->lay, &g->plan[l], g->addr_a, g->addr_b,
					   g->addr_o, g->o->signal_desc,
					   g->x.f->sob_addr(g->x.sm_block, SOB_DONE),
					   g->x.f->sob_value_encode(1, 1), g->regs);
		} else {
			launch_gemm(g, &g->plan[l], &d);
			rc = mdl_mme_desc_encode(g->lay, &d, g->regs);
		}
		if (!rc)
			rc = put_desc_launch(&g->x, g->lay, g->regs, cb);
	}
	if (!rc && !g->o->signal_desc)
		rc = msg(g, cb, qman, g->x.f->sob_addr(g->x.sm_block, SOB_DONE),
			 g->x.f->sob_value_encode(1, 1), 1);
	return rc;
}

static uint32_t mme_qman(struct gen *g, uint32_t i)
{
	return g->x.f->qman_of_queue(queue_id(g, MDL_ENGINE_MME, g->lay->logical_engine[i], 0));
}

/* Every MME program and its one-packet upper CB, as memory images from the program base. */
static hlsim_err_t layout_programs(struct gen *g, struct trc_gen_cb *cb)
{
	uint64_t addr = g->prog_base, blob;
	uint32_t i;
	hlsim_err_t rc = HLSIM_OK;

	for (i = 0; !rc && i < g->num_mmes; i++) {
		uint32_t size;

		rc = build_mme_program(g, i, mme_qman(g, i), cb);
		if (!rc && cb->len > UINT32_MAX)
			rc = hlsim_error(HLSIM_E_USAGE, "gen gemm: MME %u's program is over 4 GiB",
					 i);
		if (!rc)
			rc = trc_gen_add_image(g->w, addr, cb, &blob);
		if (rc)
			break;
		g->packets += cb->packets;
		g->lower_addr[i] = addr;
		size = (uint32_t)cb->len;
		addr += trc_gen_align_up(cb->len, CB_ALIGN);
		/* the queue's own CB: one CP_DMA to the lower-CP program */
		cb->len = 0;
		cb->packets = 0;
		rc = trc_gen_cb_call(&g->x, cb, g->lower_addr[i], size);
		if (!rc)
			rc = trc_gen_add_image(g->w, addr, cb, &blob);
		if (rc)
			break;
		g->packets += cb->packets;
		g->upper_addr[i] = addr;
		g->upper_blob[i] = blob;
		addr += trc_gen_align_up(cb->len, CB_ALIGN);
	}
	g->prog_bytes = addr - g->prog_base;
	return rc;
}
/* ====} */

/* {==== Trace ==== */

/* The device record: the common one, MMEs in master/slave pairs. */
static void fill_identity(struct gen *g, struct hlsim_trace_device *d)
{
	trc_gen_fill_identity(&g->x, d);
	d->mme_master_slave_mode = 1; /* each launch drives a master + slave pair */
	/* clock rates are not known for a synthetic trace: left 0 (not recorded) */
}

static hlsim_err_t add_job(struct gen *g, struct hlsim_trace_job *jobs, uint32_t *n,
			   uint64_t handle, const struct trc_gen_cb *cb, uint32_t queue)
{
	hlsim_err_t rc;

	if (queue == UINT32_MAX)
		return hlsim_error(HLSIM_E_UNSUPPORTED, "gen gemm: %s has no queue for a job",
				   g->x.p->asic_name);
	rc = trc_gen_add_job(g->w, cb, handle, queue, &jobs[*n]);
	if (rc)
		return rc;
	(*n)++;
	g->packets += cb->packets;
	return HLSIM_OK;
}

/*
 * The staging DMA jobs of CS 2: one per internal DMA queue used ([--from-host:] first
 * waiting for SOB IN >= 1 on the queue's own monitor).
 */
static hlsim_err_t stage_dma_jobs(struct gen *g, struct trc_gen_cb *cb,
				  struct hlsim_trace_job *jobs, uint32_t *n)
{
	const struct trc_gen_gemm_stage *st = trc_gen_gemm_stager_info(g->stg);
	uint32_t i, j, q;
	hlsim_err_t rc = HLSIM_OK;

	for (i = 0; !rc && i < st->mmes; i++) {
		for (j = 0; !rc && j < trc_gen_gemm_stager_num_queues(g->stg, i); j++) {
			q = trc_gen_gemm_stager_queue(g->stg, i, j);
			cb->len = 0;
			cb->packets = 0;
			if (g->o->from_host)
				rc = arm_and_fence(g, cb, g->x.f->qman_of_queue(q), 0,
						   trc_gen_gemm_stager_monitor(g->stg, i, j),
						   SOB_IN, 1);
			if (!rc)
				rc = trc_gen_gemm_stager_dma(g->stg, i, j, cb);
			if (!rc)
				rc = add_job(g, jobs, n, 0x3000000000000000ull | (uint64_t)i << 16 | j,
					     cb, q);
		}
	}
	return rc;
}

static hlsim_err_t write_gemm_cs(struct gen *g, struct trc_gen_cb *cb)
{
	struct hlsim_trace_job jobs[MDL_MME_MAX_LOGICAL + 2 + STAGE_MAX_QUEUES];
	struct hlsim_trace_cs cs = { .seq = 2, .submit_ns = 20000, .return_ns = 25000 };
	uint32_t n = 0, i, up_q = queue_id(g, MDL_ENGINE_DMA, 1, 0), up_qman, target;
	hlsim_err_t rc = HLSIM_OK;

	if (g->o->from_host) {
		cb->len = 0;
		cb->packets = 0;
		rc = trc_gen_set_wr_comp(&g->x, cb, SOB_IN);
		if (!rc)
			rc = trc_gen_lin_dma(&g->x, cb, g->host_a, g->addr_a, g->bytes_a, 0);
		if (!rc)
			rc = trc_gen_lin_dma(&g->x, cb, g->host_b, g->addr_b, g->bytes_b, 1);
		if (!rc)
			rc = add_job(g, jobs, &n, 0x1000000000001000ull, cb,
				     queue_id(g, MDL_ENGINE_DMA, 0, 0));
	}
	for (i = 0; !rc && i < g->num_mmes; i++) {
		uint32_t q = queue_id(g, MDL_ENGINE_MME, g->lay->logical_engine[i], 0);

		if (q == UINT32_MAX) {
			rc = hlsim_error(HLSIM_E_UNSUPPORTED, "gen gemm: %s has no queue MME %u",
					 g->x.p->asic_name, g->lay->logical_engine[i]);
			break;
		}
		jobs[n++] = (struct hlsim_trace_job){ .cb_handle = g->upper_addr[i],
						      .blob_id = g->upper_blob[i],
						      .queue_id = q, .cb_size = 16,
						      .phase = HLSIM_PHASE_EXECUTE };
	}
	if (!rc && g->stg)
		rc = stage_dma_jobs(g, cb, jobs, &n);
	if (rc)
		return rc;
	if (up_q == UINT32_MAX)
		return hlsim_error(HLSIM_E_UNSUPPORTED, "gen gemm: %s has no DMA_1_0 queue",
				   g->x.p->asic_name);
	up_qman = g->x.f->qman_of_queue(up_q);
	target = g->o->signal_desc ? g->num_launches : g->num_mmes;
	cb->len = 0;
	cb->packets = 0;
	if (g->stg)
		rc = trc_gen_gemm_stager_final_waits(g->stg, up_qman,
						     MON_FIRST + MDL_MME_MAX_LOGICAL, cb);
	else
		rc = arm_and_fence(g, cb, up_qman, 0, MON_FIRST + MDL_MME_MAX_LOGICAL, SOB_DONE,
				   target);
	if (!rc && g->o->to_host)
		rc = trc_gen_lin_dma(&g->x, cb, g->addr_o, g->host_o, g->bytes_o, 0);
	if (!rc && g->o->from_host)
		rc = msg(g, cb, up_qman, g->x.f->sob_addr(g->x.sm_block, SOB_IN),
			 g->x.f->sob_value_encode(0, 0), !g->stg);
	if (!rc && g->stg)
		rc = trc_gen_gemm_stager_resets(g->stg, up_qman, 1, cb);
	else if (!rc)
		rc = msg(g, cb, up_qman, g->x.f->sob_addr(g->x.sm_block, SOB_DONE),
			 g->x.f->sob_value_encode(0, 0), !g->o->from_host);
	if (!rc)
		rc = add_job(g, jobs, &n, 0x1000000000002000ull, cb, up_q);
	if (!rc)
		rc = hlsim_trace_add_cs(g->w, 0, &cs, jobs, n);
	return rc;
}

static hlsim_err_t write_trace(struct gen *g)
{
	struct hlsim_trace_device dev;
	struct hlsim_trace_wait wt = { .timeout_us = WAIT_TIMEOUT_US };
	struct trc_gen_cb cb = { 0 };
	uint32_t dev_id;
	hlsim_err_t rc;

	fill_identity(g, &dev);
	rc = hlsim_trace_add_device(g->w, &dev, &dev_id);
	if (!rc)
		rc = layout_programs(g, &cb);
	if (!rc)
		rc = trc_gen_add_host_map(g->w, g->host_prog, 0x7f0000000000ull, g->prog_bytes);
	if (!rc && g->o->from_host)
		rc = trc_gen_add_host_map(g->w, g->host_a, 0x7f0100000000ull,
					  g->host_b + g->bytes_b - g->host_a);
	if (!rc && g->o->to_host)
		rc = trc_gen_add_host_map(g->w, g->host_o, 0x7f8000000000ull, g->bytes_o);
	if (rc)
		goto out;
	/* CS 1: download the programs */
	cb.packets = 0;
	rc = trc_gen_add_download_cs(&g->x, g->w, &cb, g->host_prog, g->prog_base, g->prog_bytes,
				     queue_id(g, MDL_ENGINE_DMA, 0, 0), 5000);
	if (!rc)
		g->packets += cb.packets;
	wt.seq = 1;
	wt.enter_ns = 10000;
	wt.exit_ns = 15000;
	if (!rc)
		rc = hlsim_trace_add_wait(g->w, 0, &wt);
	if (!rc)
		rc = write_gemm_cs(g, &cb);
	wt.seq = 2;
	wt.enter_ns = 30000;
	wt.exit_ns = 35000;
	if (!rc)
		rc = hlsim_trace_add_wait(g->w, 0, &wt);
out:
	trc_gen_cb_free(&cb);
	return rc;
}

/* The MME descriptor layout of the ASIC: props->mme_layout, else a lookup by name. */
static const struct mdl_mme_layout *mme_layout_of(const struct mdl_asic_props *p)
{
	if (p->mme_layout)
		return p->mme_layout;
	/* until props->mme_layout is wired in the Gaudi function table */
	if (!strcmp(p->asic_name, "gaudi"))
		return &gaudi_mme_layout;
	return NULL;
}

/* Device and host addresses of everything; checks that it fits. */
static hlsim_err_t place(struct gen *g)
{
	const struct trc_gen_gemm_opts *o = g->o;
	uint64_t es = mdl_mme_dtype_bytes(o->dtype), eo = mdl_mme_dtype_bytes(o->out_dtype);
	uint64_t end;

	g->bytes_a = (uint64_t)o->m * o->k * es;
	g->bytes_b = (uint64_t)o->k * o->n * es;
	g->bytes_o = (uint64_t)o->m * o->n * eo;
	if (g->cu) {
		g->bytes_a = g->cu->bytes_a;
		g->bytes_b = g->cu->bytes_b;
		g->bytes_o = g->cu->bytes_o;
	}
	g->prog_base = g->x.p->dram_base;
	g->addr_a = g->x.p->dram_base + DATA_OFFSET_BYTES;
	g->addr_b = trc_gen_align_up(g->addr_a + g->bytes_a, ALIGN_BYTES);
	g->addr_o = trc_gen_align_up(g->addr_b + g->bytes_b, ALIGN_BYTES);
	end = g->addr_o + g->bytes_o;
	if (end > g->x.p->dram_base + g->x.p->dram_size_bytes)
		return hlsim_error(HLSIM_E_USAGE,
				   "gen gemm: A, B and O take %" PRIu64 " bytes from 0x%" PRIx64
				   ", past the %" PRIu64 " bytes of user HBM of %s",
				   end - g->addr_a, g->addr_a, g->x.p->dram_size_bytes,
				   g->x.p->asic_name);
	g->host_prog = g->x.p->host_va_base;
	g->host_a = g->x.p->host_va_base + HOST_DATA_OFFSET_BYTES;
	g->host_b = trc_gen_align_up(g->host_a + g->bytes_a, ALIGN_BYTES);
	g->host_o = trc_gen_align_up(g->host_b + g->bytes_b, ALIGN_BYTES);
	if (g->host_o + g->bytes_o > g->x.p->host_va_base + g->x.p->host_va_size_bytes)
		return hlsim_error(HLSIM_E_USAGE, "gen gemm: the host buffers exceed the host "
						  "address range of %s", g->x.p->asic_name);
	return HLSIM_OK;
}

static hlsim_err_t find_sm_block(struct gen *g)
{
	uint32_t b = trc_gen_sm_block_by_name(&g->x, "E_N");

	if (b != UINT32_MAX) {
		g->x.sm_block = (uint8_t)b;
		return HLSIM_OK;
	}
	if (!g->x.p->sm_blocks || g->x.p->sobs_per_block <= SOB_DONE ||
	    g->x.p->mons_per_block <= MON_FIRST + MDL_MME_MAX_LOGICAL)
		return hlsim_error(HLSIM_E_UNSUPPORTED, "gen gemm: %s has no usable sync manager",
				   g->x.p->asic_name);
	g->x.sm_block = 0; /* no E_N block: the first one */
	return HLSIM_OK;
}

/* The launches of @cu into g->plan, checked against the ASIC's MMEs. */
static hlsim_err_t custom_plan(struct gen *g, const struct trc_gen_mme_custom *cu)
{
	uint32_t i;

	if (!cu->num_launches || cu->num_launches > TRC_GEN_GEMM_MAX_LAUNCHES)
		return hlsim_error(HLSIM_E_USAGE, "%s: %u launches: expected 1..%u", cu->who,
				   cu->num_launches, TRC_GEN_GEMM_MAX_LAUNCHES);
	for (i = 0; i < cu->num_launches; i++) {
		if (cu->plan[i].mme >= g->lay->num_logical)
			return hlsim_error(HLSIM_E_USAGE,
					   "%s: launch %u on MME %u: this ASIC has %u MMEs",
					   cu->who, i, cu->plan[i].mme, g->lay->num_logical);
		g->plan[i] = cu->plan[i];
	}
	g->num_launches = cu->num_launches;
	return HLSIM_OK;
}

/*
 * --stage sram: the stager in this trace (SOBs from STAGE_SOB_FIRST_*, monitors from
 * MON_STAGE_FIRST, every internal DMA queue, the whole user SRAM); its launches.
 */
static hlsim_err_t stage_new(struct gen *g)
{
	const struct mdl_asic_props *p = g->x.p;
	struct trc_gen_gemm_stage_env env = { 0 };
	const struct trc_gen_gemm_stage *st;
	uint32_t queues[STAGE_MAX_QUEUES], n = 0, e;
	hlsim_err_t rc;

	for (e = 0; e < p->engines_per_class[MDL_ENGINE_DMA] && n < STAGE_MAX_QUEUES; e++) {
		uint32_t q = queue_id(g, MDL_ENGINE_DMA, e, 0);
		const struct mdl_queue_info *qi = q == UINT32_MAX ? NULL : g->x.f->queue_info(q);

		/* Gaudi: its internal queues; Gaudi2 (all H/W queues): the EDMAs, engines >= 2 */
		if (qi && (qi->kind == MDL_QUEUE_INT || (qi->kind == MDL_QUEUE_HW && e >= 2)))
			queues[n++] = q;
	}
	env.x = &g->x;
	env.lay = g->lay;
	env.addr_a = g->addr_a;
	env.addr_b = g->addr_b;
	env.addr_o = g->addr_o;
	env.sram_base = p->sram_base;
	env.sram_bytes = p->sram_size_bytes;
	env.sob_first = trc_gen_sm_block_by_name(&g->x, "E_N") != UINT32_MAX
				? STAGE_SOB_FIRST_E_N
				: STAGE_SOB_FIRST_OTHER;
	env.mon_first = MON_STAGE_FIRST;
	env.dma_queues = queues;
	env.num_dma_queues = n;
	rc = trc_gen_gemm_stager_new(g->o, &env, &g->stg);
	if (rc)
		return rc;
	st = trc_gen_gemm_stager_info(g->stg);
	g->num_mmes = st->mmes;
	g->num_launches = st->launches;
	return HLSIM_OK;
}

/* Everything but the trace: ASIC, layout, plan (staged: tile, queues, schedule), places. */
static hlsim_err_t gen_prepare(struct gen *g, const struct trc_gen_gemm_opts *o,
			       const struct trc_gen_mme_custom *cu)
{
	uint32_t i;
	hlsim_err_t rc;

	g->o = o;
	g->cu = cu;
	rc = trc_gen_ctx_init(&g->x, o->asic, cu ? cu->who : "gen gemm");
	if (rc)
		return rc;
	g->lay = mme_layout_of(g->x.p);
	if (!g->lay)
		return hlsim_error(HLSIM_E_UNSUPPORTED, "gen gemm: no MME descriptor layout for %s",
				   g->x.p->asic_name);
	if (g->lay->desc_end > g->x.p->engine_block_bytes ||
	    g->lay->cmd >= g->x.p->engine_block_bytes || g->lay->num_logical < 1 ||
	    g->lay->num_logical > MDL_MME_MAX_LOGICAL)
		return hlsim_error(HLSIM_E_UNSUPPORTED, "gen gemm: the MME layout of %s is malformed",
				   g->x.p->asic_name);
	if (o->dtype >= MDL_MME_DTYPE_COUNT_ || o->out_dtype >= MDL_MME_DTYPE_COUNT_ ||
	    o->geometry >= MDL_MME_GEO_COUNT_)
		return hlsim_error(HLSIM_E_USAGE, "gen gemm: unknown data type or geometry");
	if (cu && o->stage_sram)
		return hlsim_error(HLSIM_E_USAGE, "%s: --stage sram is only for GEMMs", cu->who);
	rc = find_sm_block(g);
	if (rc)
		return rc;
	g->plan = calloc(TRC_GEN_GEMM_MAX_LAUNCHES, sizeof(*g->plan));
	g->regs = calloc(g->x.p->engine_block_bytes / 4, sizeof(*g->regs));
	if (!g->plan || !g->regs)
		return hlsim_error(HLSIM_E_NOMEM, "gen gemm");
	if (cu)
		rc = custom_plan(g, cu);
	else if (!o->stage_sram)
		rc = trc_gen_gemm_plan(o, g->lay->num_logical, g->plan,
				       TRC_GEN_GEMM_MAX_LAUNCHES, &g->num_launches);
	if (rc)
		return rc;
	for (i = 0; i < g->num_launches; i++)
		if (g->plan[i].mme + 1 > g->num_mmes)
			g->num_mmes = g->plan[i].mme + 1;
	rc = place(g);
	if (!rc && o->stage_sram)
		rc = stage_new(g);
	return rc;
}

static void gen_free(struct gen *g)
{
	trc_gen_gemm_stager_free(g->stg);
	free(g->regs);
	free(g->plan);
	free(g);
}

/* The trace of @o's GEMM, or (@cu non-NULL) of @cu's launches. */
static hlsim_err_t gen_run(const struct trc_gen_gemm_opts *o, const struct trc_gen_mme_custom *cu,
			   const char *path, const char *cmdline, uint64_t *packets_out,
			   uint32_t *launches_out)
{
	struct gen *g = calloc(1, sizeof(*g));
	hlsim_err_t rc, crc;

	if (!g)
		return hlsim_error(HLSIM_E_NOMEM, "gen gemm");
	rc = gen_prepare(g, o, cu);
	if (rc)
		goto out;
	rc = hlsim_trace_create(path, cmdline, &g->w);
	if (rc)
		goto out;
	rc = write_trace(g);
	crc = hlsim_trace_writer_close(g->w);
	if (!rc)
		rc = crc;
	if (!rc && packets_out)
		*packets_out = g->packets;
	if (!rc && launches_out)
		*launches_out = g->num_launches;
out:
	gen_free(g);
	return rc;
}

hlsim_err_t trc_gen_gemm_stage_plan(const struct trc_gen_gemm_opts *o,
				    struct trc_gen_gemm_stage *out)
{
	struct gen *g;
	hlsim_err_t rc;

	if (!o || !out)
		return hlsim_error(HLSIM_E_INVAL, "gen gemm: NULL options or output");
	if (!o->stage_sram)
		return hlsim_error(HLSIM_E_USAGE, "gen gemm: a stage plan needs --stage sram");
	g = calloc(1, sizeof(*g));
	if (!g)
		return hlsim_error(HLSIM_E_NOMEM, "gen gemm");
	rc = gen_prepare(g, o, NULL);
	if (!rc)
		*out = *trc_gen_gemm_stager_info(g->stg);
	gen_free(g);
	return rc;
}

hlsim_err_t trc_gen_gemm(const struct trc_gen_gemm_opts *o, const char *path, const char *cmdline,
			 uint64_t *packets_out, uint32_t *launches_out)
{
	return gen_run(o, NULL, path, cmdline, packets_out, launches_out);
}

hlsim_err_t trc_gen_gemm_custom(const struct trc_gen_gemm_opts *o,
				const struct trc_gen_mme_custom *cu, const char *path,
				const char *cmdline, uint64_t *packets_out, uint32_t *launches_out)
{
	if (!cu || !cu->encode || !cu->plan || !cu->who)
		return hlsim_error(HLSIM_E_INVAL, "gen gemm: incomplete custom MME operation");
	return gen_run(o, cu, path, cmdline, packets_out, launches_out);
}
/* ====} */

/* {==== Command ==== */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: hlsim gen gemm --m M --n N --k K [options] -o TRACE\n\n"
		"A synthetic trace of one GEMM O[M x N] = A[M x K] . B[K x N] on the MMEs, made\n"
		"of real packets: a CS downloading the programs, then a CS with one job per\n"
		"MME (CP_DMA to a program writing the ARCH descriptor and MME_CTRL_CMD per\n"
		"slice, then SOB += 1) and a final job on DMA_1_0 that fences on all of them.\n"
		"Options:\n"
		"  --m M, --n N, --k K   GEMM sizes in elements (required; suffixes K, M)\n"
		"  --dtype T             bf16 (default), fp8 or fp32: element type of A and B\n"
		"  --out-dtype T         element type of O (default bf16; fp32 for fp32 inputs)\n"
		"  --asic NAME           gaudi (default) or gaudi2\n"
		"  --mmes N              logical MMEs to use (default: all of the ASIC)\n"
		"  --slice RxC           most output rows x columns per launch (default\n"
		"                        4096x4096; 0 = one launch per MME)\n"
		"  --tile RxC            alignment of split and slice boundaries (default\n"
		"                        512x512)\n"
		"  --geometry G          base (default), tall or wide array shape (Gaudi2)\n"
		"  --transpose-a         A is stored K x M; --transpose-b: B is stored N x K\n"
		"  --from-host           DMA A and B from the host first (default: resident\n"
		"                        in HBM)\n"
		"  --to-host             DMA O to the host at the end\n"
		"  --signal S            msg (default: MSG_SHORT SOB += 1 with EB=1 after each\n"
		"                        MME job) or desc (the descriptor's sync object, per\n"
		"                        launch)\n"
		"  --stage hbm|sram      where the MMEs find their operands: hbm (default) or\n"
		"                        sram: each launch's A rows and B columns (all of K)\n"
		"                        copied HBM -> SRAM and its O tile back by the internal\n"
		"                        DMA queues, two buffers per operand and MME, so the\n"
		"                        copies for launch i+1 overlap launch i (refused when\n"
		"                        the buffers do not fit the user SRAM; --slice, --tile\n"
		"                        and --signal do not apply)\n"
		"  --stage-tile RxC      with --stage sram: output rows x columns per launch\n"
		"                        (default: the largest square side, a multiple of 128\n"
		"                        up to 1024, whose buffers fit, preferring at least 4\n"
		"                        launches per MME)\n"
		"  -o TRACE              output file (required)\n");
}

/* "RxC", or a single "R" meaning R x R; "0" means no limit. */
static int parse_pair(const char *s, uint32_t *r, uint32_t *c)
{
	char buf[64];
	char *x;

	if (!s || strlen(s) >= sizeof(buf))
		return -1;
	snprintf(buf, sizeof(buf), "%s", s);
	x = strchr(buf, 'x');
	if (!x) {
		if (trc_gen_parse_count32(buf, r))
			return -1;
		*c = *r;
		return 0;
	}
	*x = '\0';
	return trc_gen_parse_count32(buf, r) || trc_gen_parse_count32(x + 1, c) ? -1 : 0;
}

static int fail(hlsim_err_t rc)
{
	const char *d = hlsim_last_error_detail();

	if (!d || !d[0])
		d = hlsim_strerror(rc);
	fprintf(stderr, "hlsim: %s%s\n", strncmp(d, "gen gemm", 8) ? "gen gemm: " : "", d);
	return rc == HLSIM_E_USAGE ? 2 : 1;
}

static int bad_value(const char *opt, const char *val, const char *expected)
{
	fprintf(stderr, "hlsim gen gemm: %s '%s': expected %s\n", opt, val, expected);
	return 2;
}

int trc_gen_gemm_main(int argc, char **argv)
{
	struct trc_gen_gemm_opts o;
	const char *out = NULL;
	char cmdline[1024];
	uint64_t packets = 0;
	uint32_t launches = 0, have = 0;
	int i, out_set = 0, cut_set = 0, stage_tile_set = 0;
	hlsim_err_t rc;

	trc_gen_gemm_defaults(&o);
	trc_gen_cmdline(argc, argv, cmdline, sizeof(cmdline));
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		enum mdl_mme_dtype dt;

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "--transpose-a")) {
			o.transpose_a = 1;
			continue;
		} else if (!strcmp(a, "--transpose-b")) {
			o.transpose_b = 1;
			continue;
		} else if (!strcmp(a, "--from-host")) {
			o.from_host = 1;
			continue;
		} else if (!strcmp(a, "--to-host")) {
			o.to_host = 1;
			continue;
		} else if (!val) {
			fprintf(stderr, "hlsim gen gemm: unknown or incomplete option '%s'\n", a);
			usage(stderr);
			return 2;
		} else if (!strcmp(a, "-o")) {
			out = val;
		} else if (!strcmp(a, "--asic")) {
			o.asic = val;
		} else if (!strcmp(a, "--m") || !strcmp(a, "--n") || !strcmp(a, "--k") ||
			   !strcmp(a, "--mmes")) {
			uint32_t v;

			if (trc_gen_parse_count32(val, &v))
				return bad_value(a, val, "an unsigned integer (suffix K or M)");
			if (!strcmp(a, "--m")) {
				o.m = v;
				have |= 1;
			} else if (!strcmp(a, "--n")) {
				o.n = v;
				have |= 2;
			} else if (!strcmp(a, "--k")) {
				o.k = v;
				have |= 4;
			} else if (!v) {
				return bad_value(a, val, "at least 1");
			} else {
				o.mmes = v;
			}
		} else if (!strcmp(a, "--dtype") || !strcmp(a, "--out-dtype")) {
			if (mdl_mme_dtype_by_name(val, &dt))
				return bad_value(a, val, "bf16, fp8 or fp32");
			if (!strcmp(a, "--dtype")) {
				o.dtype = dt;
				if (!out_set)
					o.out_dtype = dt == MDL_MME_FP32 ? MDL_MME_FP32
									 : MDL_MME_BF16;
			} else {
				o.out_dtype = dt;
				out_set = 1;
			}
		} else if (!strcmp(a, "--slice")) {
			if (parse_pair(val, &o.slice_rows, &o.slice_cols))
				return bad_value(a, val, "RxC, R or 0");
			cut_set = 1;
		} else if (!strcmp(a, "--tile")) {
			if (parse_pair(val, &o.tile_rows, &o.tile_cols) || !o.tile_rows ||
			    !o.tile_cols)
				return bad_value(a, val, "RxC or R, each at least 1");
			cut_set = 1;
		} else if (!strcmp(a, "--stage")) {
			if (!strcmp(val, "sram"))
				o.stage_sram = 1;
			else if (!strcmp(val, "hbm"))
				o.stage_sram = 0;
			else
				return bad_value(a, val, "hbm or sram");
		} else if (!strcmp(a, "--stage-tile")) {
			if (parse_pair(val, &o.stage_rows, &o.stage_cols) || !o.stage_rows ||
			    !o.stage_cols)
				return bad_value(a, val, "RxC or R, each at least 1");
			stage_tile_set = 1;
		} else if (!strcmp(a, "--geometry")) {
			if (!strcmp(val, "base"))
				o.geometry = MDL_MME_GEO_BASE;
			else if (!strcmp(val, "tall"))
				o.geometry = MDL_MME_GEO_TALL;
			else if (!strcmp(val, "wide"))
				o.geometry = MDL_MME_GEO_WIDE;
			else
				return bad_value(a, val, "base, tall or wide");
		} else if (!strcmp(a, "--signal")) {
			if (!strcmp(val, "msg"))
				o.signal_desc = 0;
			else if (!strcmp(val, "desc"))
				o.signal_desc = 1;
			else
				return bad_value(a, val, "msg or desc");
			cut_set |= 2;
		} else {
			fprintf(stderr, "hlsim gen gemm: unknown option '%s'\n", a);
			usage(stderr);
			return 2;
		}
		i++;
	}
	if (have != 7) {
		fprintf(stderr, "hlsim gen gemm: --m, --n and --k are required\n");
		return 2;
	}
	if (!out) {
		fprintf(stderr, "hlsim gen gemm: -o TRACE is required\n");
		return 2;
	}
	if (o.stage_sram && cut_set) {
		fprintf(stderr, "hlsim gen gemm: %s with --stage sram (each launch is one "
				"--stage-tile)\n",
			cut_set & 1 ? "--slice and --tile do not apply" : "--signal does not apply");
		return 2;
	}
	if (!o.stage_sram && stage_tile_set) {
		fprintf(stderr, "hlsim gen gemm: --stage-tile: only with --stage sram\n");
		return 2;
	}
	if (o.stage_sram) {
		struct trc_gen_gemm_stage st;

		rc = trc_gen_gemm_stage_plan(&o, &st);
		if (rc)
			return fail(rc);
		printf("hlsim gen gemm: staged through SRAM: %ux%u output tiles on %u MME%s, "
		       "%u internal DMA queues, %" PRIu64 " bytes of SRAM buffers; the DMAs "
		       "read %" PRIu64 " and write %" PRIu64 " bytes of HBM\n",
		       st.tile_rows, st.tile_cols, st.mmes, st.mmes == 1 ? "" : "s",
		       st.dma_queues, st.sram_bytes, st.hbm_read_bytes, st.hbm_write_bytes);
	}
	rc = trc_gen_gemm(&o, out, cmdline, &packets, &launches);
	if (rc)
		return fail(rc);
	printf("hlsim gen gemm: wrote %s: %ux%ux%u %s, %u launches, %" PRIu64 " packets\n", out,
	       o.m, o.n, o.k, mdl_mme_dtype_name(o.dtype), launches, packets);
	return 0;
}
/* ====} */
