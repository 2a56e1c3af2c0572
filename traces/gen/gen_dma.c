/*
 * traces/gen/gen_dma.c - `hlsim gen dma`: a synthetic trace of DMA jobs on several
 * queues with SOB/monitor/fence dependencies, made of real packets, laid out the way
 * user space builds them (GAUDI-FACTS.md §3.4 and §6, the SynapseAI_Core pattern):
 *
 *   CS 0 (download): one LIN_DMA host -> HBM that brings every queue program into the
 *     device; the trace records those programs as device-memory images.
 *   CS k >= 1, in slot s = (k-1) % slots (each slot has its own SOBs, monitors and
 *   buffers, so `slots` CSs can be in flight):
 *     job 0, DMA_0_<s%4> (external, "DMA down"): WREG_32 x3 pointing the DMA core's
 *       completion write at SOB A(s) += 1, then `transfers` LIN_DMA host -> HBM, the last
 *       with wr_comp;
 *     jobs 1..Q, DMA_<2+q>_<s%4> (internal): a CP_DMA handing the lower CP a program in
 *       HBM that arms a monitor (SOB A(s) >= 1 -> this lower CP's fence 0), FENCEs on
 *       it, points the completion write at SOB B(s) += 1 and copies `transfers` chunks
 *       HBM -> SRAM, the last with wr_comp;
 *     job Q+1, DMA_1_<s%4> (external, "DMA up"): arms a monitor (SOB B(s) >= Q -> its
 *       own fence 0), FENCEs, copies each consumer's SRAM region to the host, then
 *       resets SOBs A(s) and B(s) with EB=1.
 *   The program waits (HL_IOCTL_WAIT_CS) for CS k-slots before submitting CS k, and
 *   for CS 0 before CS 1, and for the last CSs at the end.
 *
 * Host times are synthetic (10 us between submissions), marked so in the generator
 * string; with host.timing=asap (the default) only their order matters.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "hlsim/trace.h"
#include "models/common/asic.h"
#include "traces/gen/gen_common.h"
#include "traces/trc_gen.h"

#define MAX_QUEUES 6
#define SUBMIT_GAP_NS 10000
/*
 * First SOB the program uses: below it are the driver's (Gaudi: E_N SOBs of the default
 * DMA completions; Gaudi2: DCORE0 SOBs 0..84 reserved). A multiple of the group size.
 */
#define SOB_FIRST 128

struct gen {
	struct trc_gen_ctx x; /* x.sm_block: the block CP_MSG_BASE1 points at (Gaudi: E_N) */
	const struct trc_gen_dma_opts *o;
	hlsim_trace_writer_t *w;
	uint64_t packets;
	/* device layout */
	uint64_t prog_base, hbm_in, sram_out, host_in, host_out, host_prog;
	uint64_t slot_in_bytes, consumer_bytes, slot_sram_bytes;
	uint64_t lower_addr[64][MAX_QUEUES], upper_addr[64][MAX_QUEUES];
	uint32_t lower_size[64][MAX_QUEUES];
	uint64_t upper_blob[64][MAX_QUEUES];
};

/* The queue of stream @stream of engine @engine of class @engine_class. */
static uint32_t queue_id(struct gen *g, uint32_t engine_class, uint32_t engine, uint32_t stream)
{
	return trc_gen_queue_id(&g->x, engine_class, engine, stream);
}

static uint32_t sob_a(uint32_t slot)
{
	return SOB_FIRST + 8 * slot;
}

static uint32_t sob_b(uint32_t slot)
{
	return SOB_FIRST + 8 * slot + 1;
}

/* The lower-CP program of consumer @q in slot @s. */
static hlsim_err_t build_lower(struct gen *g, uint32_t s, uint32_t q, struct trc_gen_cb *cb)
{
	uint32_t qid = queue_id(g, MDL_ENGINE_DMA, 2 + q, s % 4);
	uint32_t qman = g->x.f->qman_of_queue(qid), t;
	uint32_t mon = s * (g->o->queues + 1) + q;
	hlsim_err_t rc;

	cb->len = 0;
	rc = trc_gen_arm_monitor(&g->x, cb, qman, 0, mon, sob_a(s), 1, 4);
	if (!rc)
		rc = trc_gen_fence0(&g->x, cb);
	if (!rc)
		rc = trc_gen_set_wr_comp(&g->x, cb, sob_b(s));
	for (t = 0; !rc && t < g->o->transfers; t++)
		rc = trc_gen_lin_dma(&g->x, cb,
				     g->hbm_in + s * g->slot_in_bytes + t * g->o->transfer_bytes,
				     g->sram_out + s * g->slot_sram_bytes + q * g->consumer_bytes +
					     t * g->o->transfer_bytes,
				     g->o->transfer_bytes, t + 1 == g->o->transfers);
	return rc;
}

static hlsim_err_t build_down(struct gen *g, uint32_t s, struct trc_gen_cb *cb)
{
	uint32_t t;
	hlsim_err_t rc;

	cb->len = 0;
	rc = trc_gen_set_wr_comp(&g->x, cb, sob_a(s));
	for (t = 0; !rc && t < g->o->transfers; t++)
		rc = trc_gen_lin_dma(&g->x, cb,
				     g->host_in + s * g->slot_in_bytes + t * g->o->transfer_bytes,
				     g->hbm_in + s * g->slot_in_bytes + t * g->o->transfer_bytes,
				     g->o->transfer_bytes, t + 1 == g->o->transfers);
	return rc;
}

static hlsim_err_t build_up(struct gen *g, uint32_t s, struct trc_gen_cb *cb)
{
	uint32_t qid = queue_id(g, MDL_ENGINE_DMA, 1, s % 4);
	uint32_t qman = g->x.f->qman_of_queue(qid), q;
	uint32_t mon = s * (g->o->queues + 1) + g->o->queues;
	hlsim_err_t rc;

	cb->len = 0;
	rc = trc_gen_arm_monitor(&g->x, cb, qman, 0, mon, sob_b(s), g->o->queues,
				 (uint8_t)(s % 4));
	if (!rc)
		rc = trc_gen_fence0(&g->x, cb);
	for (q = 0; !rc && q < g->o->queues; q++)
		rc = trc_gen_lin_dma(&g->x, cb,
				     g->sram_out + s * g->slot_sram_bytes + q * g->consumer_bytes,
				     g->host_out + s * g->slot_sram_bytes + q * g->consumer_bytes,
				     g->consumer_bytes, 0);
	if (!rc)
		rc = trc_gen_msg(&g->x, cb, qman, 1, g->x.f->sob_addr(g->x.sm_block, sob_a(s)),
				 g->x.f->sob_value_encode(0, 0), 1);
	if (!rc)
		rc = trc_gen_msg(&g->x, cb, qman, 1, g->x.f->sob_addr(g->x.sm_block, sob_b(s)),
				 g->x.f->sob_value_encode(0, 0), 0);
	return rc;
}

void trc_gen_dma_defaults(struct trc_gen_dma_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->asic = "gaudi";
	o->num_cs = 16;
	o->queues = 4;
	o->transfers = 2;
	o->slots = 4;
	o->transfer_bytes = 256 * 1024;
}

static hlsim_err_t check_opts(struct gen *g)
{
	const struct trc_gen_dma_opts *o = g->o;
	uint64_t sram_need;

	if (o->queues < 1 || o->queues > MAX_QUEUES)
		return hlsim_error(HLSIM_E_USAGE, "gen dma: --queues %u: expected 1..%d", o->queues,
				   MAX_QUEUES);
	if (o->slots < 1 || o->slots > 64)
		return hlsim_error(HLSIM_E_USAGE, "gen dma: --slots %u: expected 1..64", o->slots);
	if (o->transfers < 1 || o->transfers > 128)
		return hlsim_error(HLSIM_E_USAGE, "gen dma: --transfers %u: expected 1..128",
				   o->transfers);
	if (o->transfer_bytes < 1 || o->transfer_bytes > (1ull << 30))
		return hlsim_error(HLSIM_E_USAGE,
				   "gen dma: --bytes %" PRIu64 ": expected 1..1073741824",
				   o->transfer_bytes);
	if (o->num_cs < 1 || o->num_cs > (1ull << 32))
		return hlsim_error(HLSIM_E_USAGE, "gen dma: --cs %" PRIu64 ": expected 1..2^32",
				   o->num_cs);
	sram_need = (uint64_t)o->slots * o->queues * o->transfers * o->transfer_bytes;
	if (sram_need > g->x.p->sram_size_bytes)
		return hlsim_error(HLSIM_E_USAGE,
				   "gen dma: slots x queues x transfers x bytes = %" PRIu64
				   " bytes of SRAM, more than the %" PRIu64 " bytes of %s",
				   sram_need, g->x.p->sram_size_bytes, g->x.p->asic_name);
	if ((uint64_t)o->slots * o->transfers * o->transfer_bytes > (1ull << 32))
		return hlsim_error(HLSIM_E_USAGE, "gen dma: input buffers exceed 4 GiB of HBM");
	return HLSIM_OK;
}

/* The device record: the common one, all TPCs enabled, typical Gaudi clock rates. */
static void fill_identity(struct gen *g, struct hlsim_trace_device *d)
{
	trc_gen_fill_identity(&g->x, d);
	d->tpc_enabled_mask = 0xFF;
	d->cur_clk_rate_mhz = 1950;
	d->max_clk_rate_mhz = 2200;
}

/* The program region: the lower and upper CBs of every (slot, consumer), in HBM. */
static hlsim_err_t layout_programs(struct gen *g, uint64_t *prog_bytes)
{
	struct trc_gen_cb cb = { 0 };
	uint64_t addr = g->prog_base, blob;
	uint32_t s, q;
	hlsim_err_t rc = HLSIM_OK;

	for (s = 0; !rc && s < g->o->slots; s++) {
		for (q = 0; !rc && q < g->o->queues; q++) {
			rc = build_lower(g, s, q, &cb);
			if (rc)
				break;
			g->lower_addr[s][q] = addr;
			g->lower_size[s][q] = (uint32_t)cb.len;
			rc = trc_gen_add_image(g->w, addr, &cb, &blob);
			addr += trc_gen_align_up(cb.len, 128);
			if (rc)
				break;
			/* the queue's own CB: one CP_DMA to the lower-CP program */
			cb.len = 0;
			rc = trc_gen_cb_call(&g->x, &cb, g->lower_addr[s][q], g->lower_size[s][q]);
			if (!rc)
				rc = trc_gen_add_image(g->w, addr, &cb, &blob);
			if (rc)
				break;
			g->upper_addr[s][q] = addr;
			g->upper_blob[s][q] = blob;
			addr += 128;
		}
	}
	*prog_bytes = addr - g->prog_base;
	trc_gen_cb_free(&cb);
	return rc;
}

static hlsim_err_t write_trace(struct gen *g, uint64_t num_cs)
{
	struct hlsim_trace_device dev;
	struct hlsim_trace_job jobs[MAX_QUEUES + 2];
	struct hlsim_trace_cs cs = { 0 };
	struct hlsim_trace_wait wt = { 0 };
	struct trc_gen_cb cbuf = { 0 }, *cb = &cbuf;
	uint64_t prog_bytes = 0, k, data_bytes;
	uint32_t dev_id, q, s;
	hlsim_err_t rc;

	fill_identity(g, &dev);
	rc = hlsim_trace_add_device(g->w, &dev, &dev_id);
	if (rc)
		goto out;
	rc = layout_programs(g, &prog_bytes);
	if (rc)
		goto out;
	data_bytes = g->o->slots * g->slot_sram_bytes;
	rc = trc_gen_add_host_map(g->w, g->host_prog, 0x7f0000000000ull, prog_bytes);
	if (!rc)
		rc = trc_gen_add_host_map(g->w, g->host_in, 0x7f0100000000ull,
					  g->o->slots * g->slot_in_bytes);
	if (!rc)
		rc = trc_gen_add_host_map(g->w, g->host_out, 0x7f0200000000ull, data_bytes);
	if (rc)
		goto out;

	/* CS 0: download the programs (the program images' packets are counted per CS) */
	cb->packets = 0;
	rc = trc_gen_add_download_cs(&g->x, g->w, cb, g->host_prog, g->prog_base, prog_bytes,
				     queue_id(g, MDL_ENGINE_DMA, 0, 0), 5000);
	if (rc)
		goto out;
	g->packets += cb->packets;
	cb->packets = 0;
	memset(jobs, 0, sizeof(jobs));

	for (k = 1; k <= num_cs; k++) {
		uint32_t n = 0;

		s = (uint32_t)((k - 1) % g->o->slots);
		cs = (struct hlsim_trace_cs){ .seq = k + 1, .submit_ns = (int64_t)k * SUBMIT_GAP_NS,
					      .return_ns = (int64_t)k * SUBMIT_GAP_NS + 5000 };
		/* the program's wait for the CS that last used this slot (or the download) */
		if (k == 1 || k > g->o->slots) {
			wt.seq = k == 1 ? 1 : k + 1 - g->o->slots;
			wt.timeout_us = 1000000;
			wt.enter_ns = cs.submit_ns - 1000;
			wt.exit_ns = cs.submit_ns - 500;
			rc = hlsim_trace_add_wait(g->w, 0, &wt);
			if (rc)
				goto out;
		}
		rc = build_down(g, s, cb);
		if (!rc)
			rc = trc_gen_add_job(g->w, cb,
					     0x1000000000000000ull | (uint64_t)(1 + s) << 12,
					     queue_id(g, MDL_ENGINE_DMA, 0, s % 4), &jobs[n++]);
		if (rc)
			goto out;
		g->packets += cb->packets;
		cb->packets = 0;
		for (q = 0; q < g->o->queues; q++) {
			jobs[n++] = (struct hlsim_trace_job){
				.cb_handle = g->upper_addr[s][q], .blob_id = g->upper_blob[s][q],
				.queue_id = queue_id(g, MDL_ENGINE_DMA, 2 + q, s % 4),
				.cb_size = 16, .phase = HLSIM_PHASE_EXECUTE
			};
			/* CP_DMA + the lower-CP program it runs */
			g->packets += 1 + 4 + 1 + 3 + g->o->transfers;
		}
		rc = build_up(g, s, cb);
		if (!rc)
			rc = trc_gen_add_job(g->w, cb,
					     0x1000000000000000ull | (uint64_t)(65 + s) << 12,
					     queue_id(g, MDL_ENGINE_DMA, 1, s % 4), &jobs[n++]);
		if (rc)
			goto out;
		g->packets += cb->packets;
		cb->packets = 0;
		rc = hlsim_trace_add_cs(g->w, 0, &cs, jobs, n);
		if (rc)
			goto out;
	}
	/* the program waits for the last CSs before it exits */
	for (k = num_cs > g->o->slots ? num_cs + 1 - g->o->slots : 1; k <= num_cs; k++) {
		wt.seq = k + 1;
		wt.enter_ns = (int64_t)(num_cs + 1) * SUBMIT_GAP_NS + (int64_t)k;
		wt.exit_ns = wt.enter_ns + 500;
		rc = hlsim_trace_add_wait(g->w, 0, &wt);
		if (rc)
			goto out;
	}
out:
	trc_gen_cb_free(cb);
	return rc;
}

hlsim_err_t trc_gen_dma(const struct trc_gen_dma_opts *o, const char *path, const char *cmdline,
			uint64_t *packets_out)
{
	struct gen *g = calloc(1, sizeof(*g));
	uint64_t per_cs, num_cs = o->num_cs;
	hlsim_err_t rc;

	if (!g)
		return hlsim_error(HLSIM_E_NOMEM, "gen dma");
	g->o = o;
	rc = trc_gen_ctx_init(&g->x, o->asic, "gen dma");
	if (rc)
		goto out;
	rc = check_opts(g);
	if (rc)
		goto out;
	{
		/* the block MSG_SHORT base 1 (the SOBs every QMAN reaches) points into */
		struct mdl_target t;
		uint32_t q0 = queue_id(g, MDL_ENGINE_DMA, 0, 0);
		uint64_t base = 0;

		if (q0 != UINT32_MAX)
			base = g->x.f->msg_base_addr(g->x.f->qman_of_queue(q0), 1);
		g->x.f->classify_target(base, &t);
		if (!base || t.kind != MDL_TARGET_SOB) {
			rc = hlsim_error(HLSIM_E_UNSUPPORTED,
					 "gen dma: %s: CP_MSG_BASE1 of the first DMA queue does not "
					 "point at sync objects",
					 g->x.p->asic_name);
			goto out;
		}
		g->x.sm_block = t.block;
	}
	g->slot_in_bytes = (uint64_t)o->transfers * o->transfer_bytes;
	g->consumer_bytes = g->slot_in_bytes;
	g->slot_sram_bytes = g->consumer_bytes * o->queues;
	g->prog_base = g->x.p->dram_base;
	g->hbm_in = g->x.p->dram_base + (256ull << 20);
	g->sram_out = g->x.p->sram_base;
	g->host_prog = g->x.p->host_va_base;
	g->host_in = g->x.p->host_va_base + (1ull << 32);
	g->host_out = g->x.p->host_va_base + (8ull << 32);
	per_cs = 3 + o->transfers + o->queues * (1 + 4 + 1 + 3 + (uint64_t)o->transfers) + 4 + 1 +
		 o->queues + 2;
	if (o->min_packets && num_cs * per_cs + 1 < o->min_packets)
		num_cs = (o->min_packets - 1 + per_cs - 1) / per_cs;
	rc = hlsim_trace_create(path, cmdline, &g->w);
	if (rc)
		goto out;
	rc = write_trace(g, num_cs);
	{
		hlsim_err_t crc = hlsim_trace_writer_close(g->w);

		if (!rc)
			rc = crc;
	}
	if (!rc && packets_out)
		*packets_out = g->packets;
out:
	free(g);
	return rc;
}
