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
			rc = trc_gen_wreg_block(&g->x, cb, g->lay->desc_first,
						g->regs + g->lay->desc_first / 4,
						(g->lay->desc_end - g->lay->desc_first) / 4);
		if (!rc)
			rc = trc_gen_wreg32(&g->x, cb, g->lay->cmd, 1, 1, 1);
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

static hlsim_err_t write_gemm_cs(struct gen *g, struct trc_gen_cb *cb)
{
	struct hlsim_trace_job jobs[MDL_MME_MAX_LOGICAL + 2];
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
	if (rc)
		return rc;
	if (up_q == UINT32_MAX)
		return hlsim_error(HLSIM_E_UNSUPPORTED, "gen gemm: %s has no DMA_1_0 queue",
				   g->x.p->asic_name);
	up_qman = g->x.f->qman_of_queue(up_q);
	target = g->o->signal_desc ? g->num_launches : g->num_mmes;
	cb->len = 0;
	cb->packets = 0;
	rc = arm_and_fence(g, cb, up_qman, 0, MON_FIRST + MDL_MME_MAX_LOGICAL, SOB_DONE, target);
	if (!rc && g->o->to_host)
		rc = trc_gen_lin_dma(&g->x, cb, g->addr_o, g->host_o, g->bytes_o, 0);
	if (!rc && g->o->from_host)
		rc = msg(g, cb, up_qman, g->x.f->sob_addr(g->x.sm_block, SOB_IN),
			 g->x.f->sob_value_encode(0, 0), 1);
	if (!rc)
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

/* The trace of @o's GEMM, or (@cu non-NULL) of @cu's launches. */
static hlsim_err_t gen_run(const struct trc_gen_gemm_opts *o, const struct trc_gen_mme_custom *cu,
			   const char *path, const char *cmdline, uint64_t *packets_out,
			   uint32_t *launches_out)
{
	struct gen *g = calloc(1, sizeof(*g));
	uint32_t i;
	hlsim_err_t rc;

	if (!g)
		return hlsim_error(HLSIM_E_NOMEM, "gen gemm");
	g->o = o;
	g->cu = cu;
	rc = trc_gen_ctx_init(&g->x, o->asic, cu ? cu->who : "gen gemm");
	if (rc)
		goto out;
	g->lay = mme_layout_of(g->x.p);
	if (!g->lay) {
		rc = hlsim_error(HLSIM_E_UNSUPPORTED, "gen gemm: no MME descriptor layout for %s",
				 g->x.p->asic_name);
		goto out;
	}
	if (g->lay->desc_end > g->x.p->engine_block_bytes ||
	    g->lay->cmd >= g->x.p->engine_block_bytes || g->lay->num_logical < 1 ||
	    g->lay->num_logical > MDL_MME_MAX_LOGICAL) {
		rc = hlsim_error(HLSIM_E_UNSUPPORTED, "gen gemm: the MME layout of %s is malformed",
				 g->x.p->asic_name);
		goto out;
	}
	if (o->dtype >= MDL_MME_DTYPE_COUNT_ || o->out_dtype >= MDL_MME_DTYPE_COUNT_ ||
	    o->geometry >= MDL_MME_GEO_COUNT_) {
		rc = hlsim_error(HLSIM_E_USAGE, "gen gemm: unknown data type or geometry");
		goto out;
	}
	rc = find_sm_block(g);
	if (rc)
		goto out;
	g->plan = calloc(TRC_GEN_GEMM_MAX_LAUNCHES, sizeof(*g->plan));
	g->regs = calloc(g->x.p->engine_block_bytes / 4, sizeof(*g->regs));
	if (!g->plan || !g->regs) {
		rc = hlsim_error(HLSIM_E_NOMEM, "gen gemm");
		goto out_free;
	}
	if (cu)
		rc = custom_plan(g, cu);
	else
		rc = trc_gen_gemm_plan(o, g->lay->num_logical, g->plan,
				       TRC_GEN_GEMM_MAX_LAUNCHES, &g->num_launches);
	if (rc)
		goto out_free;
	for (i = 0; i < g->num_launches; i++)
		if (g->plan[i].mme + 1 > g->num_mmes)
			g->num_mmes = g->plan[i].mme + 1;
	rc = place(g);
	if (rc)
		goto out_free;
	rc = hlsim_trace_create(path, cmdline, &g->w);
	if (rc)
		goto out_free;
	rc = write_trace(g);
	{
		hlsim_err_t crc = hlsim_trace_writer_close(g->w);

		if (!rc)
			rc = crc;
	}
	if (!rc && packets_out)
		*packets_out = g->packets;
	if (!rc && launches_out)
		*launches_out = g->num_launches;
out_free:
	free(g->regs);
	free(g->plan);
out:
	free(g);
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
	int i, out_set = 0;
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
		} else if (!strcmp(a, "--tile")) {
			if (parse_pair(val, &o.tile_rows, &o.tile_cols) || !o.tile_rows ||
			    !o.tile_cols)
				return bad_value(a, val, "RxC or R, each at least 1");
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
	rc = trc_gen_gemm(&o, out, cmdline, &packets, &launches);
	if (rc)
		return fail(rc);
	printf("hlsim gen gemm: wrote %s: %ux%ux%u %s, %u launches, %" PRIu64 " packets\n", out,
	       o.m, o.n, o.k, mdl_mme_dtype_name(o.dtype), launches, packets);
	return 0;
}
/* ====} */
