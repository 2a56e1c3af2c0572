/*
 * traces/interposer/vexec.c - functional execution of the virtual device's CSs, and an
 * analytic estimate of their completion times (see vexec.h and README.md).
 *
 * Every CP of every QMAN is a FIFO of CBs: an upper CP (one per stream) gets the jobs of
 * its queue in submission order, a QMAN's lower CP gets the CBs its upper CPs hand it
 * with CP_DMA. trc_vx_submit() appends a CS's jobs and runs the CPs round-robin, each
 * until it is empty or blocks on a FENCE (or, for an EB packet of an upper CP, on its
 * lower CP still holding CBs), until no CP can move. Packets are decoded by the ASIC
 * model (mdl_asic_funcs.decode) and act at once:
 * - LIN_DMA and a linear DMA COMMIT copy (or memset) bytes between host memory (through
 *   the context's USERPTR maps), simulated SRAM and simulated DRAM, then perform the DMA
 *   core's completion write (WR_COMP registers) if asked;
 * - MSG_LONG / MSG_SHORT / MSG_PROT writes go to the sync manager (SOBs, monitors, whose
 *   payloads come back here), to CP fence counters, or to memory;
 * - FENCE waits for its counter, WAIT adds to it, WREG / WREG_BULK fill the engine's
 *   register file; a TPC or MME launch (WREG to its launch register) has no effect on
 *   data (the kernels are opaque) but is costed, and its completion message is sent.
 * Alongside, each CP and engine carries a simulated time (ps from the first submission):
 * packet, hand-off, fetch and message costs and DMA durations from the same configuration
 * parameters the simulator uses, without the contention between concurrent transfers that
 * SimGrid models (so an estimate from below).
 * The ASIC (Gaudi or Gaudi2) is the function table's: queues, QMANs, address map, packet
 * decoding and engine launches all come through it; only the driver's busy-engine numbering
 * (trc_vx_busy_engines_ext) and its CS window (trc_vx_set_max_pending) are chosen here.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <misc/habanalabs.h>

#include "hlsim/cmd.h"
#include "models/common/engine.h"
#include "models/common/syncmgr.h"
#include "traces/interposer/vdev.h"
#include "traces/interposer/vexec.h"

#define VX_CP_PER_QMAN 5 /* 4 upper CPs (one per stream) + the lower CP */
#define VX_LOWER_CP 4
/* Simulated memory page: an implementation granule, not a hardware fact. */
#define VX_PAGE_SHIFT 16
#define VX_PAGE_BYTES (1ull << VX_PAGE_SHIFT)
#define VX_BOUNCE_BYTES (1u << 20) /* copy chunk; a multiple of 8 (memset phase) */
#define VX_MAX_PENDING_CS 16384u /* GAUDI_MAX_PENDING_CS: the ring's size, the largest window */

/* run results of one packet besides 0 (advance) and -errno */
#define VX_BLOCKED 1
#define VX_STOP 2

/** struct vx_item - one CB queued on a CP. */
struct vx_item {
	uint8_t *bytes; /* owned; NULL until fetched (internal CBs) */
	uint64_t addr; /* device address of an internal CB */
	uint64_t seq; /* the CS it belongs to */
	int64_t ready_ps; /* when it reached the CP */
	uint32_t size, job;
	uint8_t external, fetched;
};

/** struct vx_cp - one command processor. */
struct vx_cp {
	struct vx_item *q; /* q[0] is the CB being executed */
	uint32_t len, cap;
	uint32_t off; /* byte offset of the next packet in q[0] */
	uint32_t fence[4];
	int64_t fence_ps[4]; /* when the last increment landed */
	int64_t t_ps; /* the CP's simulated time */
	uint32_t qman, queue_id;
	uint8_t index; /* 0..3 upper (stream), 4 lower */
	uint8_t present;
	uint8_t wait; /* 0: runnable, 1: on a fence, 2: EB on the lower CP */
	uint8_t wait_id, wait_target;
};

/** struct vx_region - sparse simulated memory. */
struct vx_region {
	const char *name;
	uint64_t base, size_bytes;
	uint8_t **pages;
};

/** struct vx_cs - what WAIT_CS asks of one CS. */
struct vx_cs {
	uint64_t seq;
	uint32_t ext_pending; /* external jobs not finished */
	uint8_t state; /* enum trc_vx_cs_state */
	int64_t done_ps;
};

struct trc_vx {
	const struct mdl_asic_funcs *f;
	const struct mdl_asic_props *p;
	struct mdl_sm *sm;
	int64_t *sob_ps; /* per SOB (block-major): when its value last changed */
	struct mdl_engine_cfg ec;
	struct mdl_work work; /* scratch for engine launches */
	struct vx_cp *cps; /* num_qmans * VX_CP_PER_QMAN */
	uint32_t ncps;
	uint32_t **regs; /* engine register file per QMAN (allocated on first use) */
	int64_t *eng_busy_ps; /* per QMAN: when its engine finishes its queued work */
	uint8_t *qman_class, *qman_lower, *qman_engine;
	struct vx_region sram, dram;
	uint64_t mem_used_bytes, mem_max_bytes;
	trc_vx_host_fn host;
	trc_vx_fetch_fn fetched;
	void *host_ctx;
	uint8_t *bounce;
	struct vx_cs *ring;
	uint32_t max_pending; /* the driver's max_pending_cs: ring slots in use (<= the ring) */
	uint8_t gaudi2; /* busy masks by enum gaudi2_engine_id */
	/* timing: ps, from the configuration (see sim/core.c and sim/platform.c) */
	int64_t origin_ns;
	int started;
	double cycle_ps, packet_ps, handoff_ps, msg_latency_ps, submit_overhead_ps;
	double dma_setup_ps, dma_ps_per_byte;
	double lat_ps[MDL_MEM_KIND_COUNT_], rd_ps_per_byte[MDL_MEM_KIND_COUNT_],
		wr_ps_per_byte[MDL_MEM_KIND_COUNT_];
	/* state of the packet being executed */
	int64_t msg_ps; /* time of the write the sync manager is processing */
	int pay_rc; /* error of a monitor payload write */
	uint64_t cur_seq; /* CS being submitted (0: none) */
	int oom_cur; /* the memory bound was hit by the CS being submitted */
	char err[320]; /* detail of the last error */
};

static int vx_err(struct trc_vx *x, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int vx_err(struct trc_vx *x, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(x->err, sizeof(x->err), fmt, ap);
	va_end(ap);
	return rc;
}

static int64_t max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

static const char *cp_name(const struct trc_vx *x, const struct vx_cp *cp, char *buf, size_t cap)
{
	const struct mdl_queue_info *qi = x->f->queue_info(cp->queue_id);
	const char *qm = x->f->qman_name(cp->qman);

	if (cp->index == VX_LOWER_CP)
		snprintf(buf, cap, "%s lower CP", qm ? qm : "?");
	else
		snprintf(buf, cap, "%s (upper CP)", qi && qi->name ? qi->name : "?");
	return buf;
}

/* ===== memory ===== */

static int region_rw(struct trc_vx *x, struct vx_region *r, uint64_t addr, uint8_t *buf,
		     uint64_t n, int write)
{
	while (n) {
		uint64_t off = addr - r->base, pg = off >> VX_PAGE_SHIFT;
		uint64_t in = off & (VX_PAGE_BYTES - 1), k = VX_PAGE_BYTES - in;
		uint8_t *page = r->pages[pg];

		if (k > n)
			k = n;
		if (write) {
			if (!page) {
				if (x->mem_used_bytes + VX_PAGE_BYTES > x->mem_max_bytes)
					return vx_err(x, -ENOMEM,
						      "the simulated SRAM + DRAM bound of %" PRIu64
						      " bytes is reached (writing %s at 0x%" PRIx64
						      "; raise it with hlsim vdev --mem-max)",
						      x->mem_max_bytes, r->name, addr);
				page = calloc(1, VX_PAGE_BYTES);
				if (!page)
					return vx_err(x, -ENOMEM, "out of host memory for a %s page",
						      r->name);
				r->pages[pg] = page;
				x->mem_used_bytes += VX_PAGE_BYTES;
			}
			memcpy(page + in, buf, k);
		} else if (page) {
			memcpy(buf, page + in, k);
		} else {
			memset(buf, 0, k); /* never written: zeros [I] (real memory is undefined) */
		}
		addr += k;
		buf += k;
		n -= k;
	}
	return 0;
}

/* Read or write @n bytes at device address @addr, in whatever memory it is. */
static int mem_rw(struct trc_vx *x, uint64_t addr, uint8_t *buf, uint64_t n, int write)
{
	const struct mdl_asic_props *p = x->p;

	while (n) {
		enum mdl_mem_kind kind = x->f->mem_kind(addr);
		struct vx_region *r = NULL;
		uint64_t k = n, avail = 0, h;
		int rc;

		switch (kind) {
		case MDL_MEM_HOST:
			if (addr < p->host_va_base ||
			    addr - p->host_va_base >= p->host_va_size_bytes)
				return vx_err(x, -EFAULT,
					      "0x%" PRIx64 " is a host physical address (MMU "
					      "bypass), which the virtual device does not give users",
					      addr);
			h = x->host(x->host_ctx, addr, &avail);
			if (!h || !avail)
				return vx_err(x, -EFAULT,
					      "host device VA 0x%" PRIx64 " is in no USERPTR map of "
					      "this context (HL_MEM_OP_MAP): an MMU page fault",
					      addr);
			if (k > avail)
				k = avail;
			rc = write ? trc_vdev_uwrite(h, buf, k) : trc_vdev_uread(buf, h, k);
			if (rc)
				return vx_err(x, -EFAULT,
					      "host memory 0x%" PRIx64 " behind device VA 0x%" PRIx64
					      " cannot be %s (the program unmapped it?)",
					      h, addr, write ? "written" : "read");
			break;
		case MDL_MEM_SRAM:
			r = &x->sram;
			break;
		case MDL_MEM_HBM:
			r = &x->dram;
			break;
		default:
			return vx_err(x, -EFAULT, "0x%" PRIx64 " is in no memory (%s)", addr,
				      mdl_mem_kind_name(kind));
		}
		if (r) {
			if (addr < r->base || addr - r->base >= r->size_bytes)
				return vx_err(x, -EFAULT,
					      "0x%" PRIx64 " is in the driver's part of %s, outside "
					      "the user range 0x%" PRIx64 "..0x%" PRIx64,
					      addr, r->name, r->base, r->base + r->size_bytes - 1);
			if (k > r->base + r->size_bytes - addr)
				k = r->base + r->size_bytes - addr;
			rc = region_rw(x, r, addr, buf, k, write);
			if (rc)
				return rc;
		}
		addr += k;
		buf += k;
		n -= k;
	}
	return 0;
}

/* Copy @n bytes from @src to @dst, or (@is_memset) fill @dst with the 8 bytes of @fill. */
static int dma_move(struct trc_vx *x, uint64_t src, uint64_t dst, uint64_t n, int is_memset,
		    uint64_t fill)
{
	uint32_t i;
	int rc;

	if (dst + n < dst || (!is_memset && src + n < src))
		return vx_err(x, -EFAULT, "DMA of %" PRIu64 " bytes wraps around the address space",
			      n);
	if (is_memset) /* byte i of the destination gets byte i % 8 of the value [I] */
		for (i = 0; i < VX_BOUNCE_BYTES && i < n; i++)
			x->bounce[i] = (uint8_t)(fill >> (8 * (i % 8)));
	while (n) {
		uint64_t k = n < VX_BOUNCE_BYTES ? n : VX_BOUNCE_BYTES;

		if (!is_memset) {
			rc = mem_rw(x, src, x->bounce, k, 0);
			if (rc)
				return rc;
			src += k;
		}
		rc = mem_rw(x, dst, x->bounce, k, 1);
		if (rc)
			return rc;
		dst += k;
		n -= k;
	}
	return 0;
}

/*
 * Simulated duration of moving @n bytes from memory @sk (MDL_MEM_UNKNOWN: a fill) to @dk:
 * as a flow over the route of sim/platform.c (source link, DMA engine link, destination
 * link) with nothing else on it: the latencies add up, the slowest link sets the rate.
 */
static int64_t dma_ps(const struct trc_vx *x, enum mdl_mem_kind sk, enum mdl_mem_kind dk,
		      uint64_t n)
{
	double per = x->dma_ps_per_byte, lat = x->lat_ps[dk];

	if (x->wr_ps_per_byte[dk] > per)
		per = x->wr_ps_per_byte[dk];
	if (sk != MDL_MEM_UNKNOWN) { /* the route crosses both memories' links */
		if (x->rd_ps_per_byte[sk] > per)
			per = x->rd_ps_per_byte[sk];
		lat += x->lat_ps[sk];
	}
	return (int64_t)(x->dma_setup_ps + lat + per * (double)n);
}

/* ===== messages ===== */

static int msg_write(struct trc_vx *x, uint64_t addr, uint32_t value, int64_t t_ps);

/*
 * A monitor armed with @value fires at once if its SOBs already meet the condition: then
 * no earlier than the last change of the SOBs it watches.
 */
static int64_t watched_ps(const struct trc_vx *x, const struct mdl_target *t, uint32_t value)
{
	const struct mdl_asic_props *p = x->p;
	struct mdl_mon_arm arm;
	int64_t ps = 0;
	uint32_t k, sob;

	if (!x->f->mon_arm_decode || t->block >= p->sm_blocks)
		return 0;
	x->f->mon_arm_decode(value, &arm);
	for (k = 0; k < p->mon_max_sobs && k < 32; k++) {
		sob = arm.group * p->mon_max_sobs + k;
		if (!(arm.mask & (1u << k)) && sob < p->sobs_per_block)
			ps = max64(ps, x->sob_ps[(size_t)t->block * p->sobs_per_block + sob]);
	}
	return ps;
}

static void sm_payload(void *ctx, uint64_t addr, uint32_t data)
{
	struct trc_vx *x = ctx;
	int rc = msg_write(x, addr, data, x->msg_ps);

	if (rc && !x->pay_rc)
		x->pay_rc = rc;
}

static int msg_write(struct trc_vx *x, uint64_t addr, uint32_t value, int64_t t_ps)
{
	struct mdl_target t;
	enum mdl_mem_kind kind;
	int64_t save_ps;
	uint8_t le[4];
	int save_rc, rc;

	x->f->classify_target(addr, &t);
	switch ((enum mdl_target_kind)t.kind) {
	case MDL_TARGET_SOB:
		if (t.block < x->p->sm_blocks && t.index < x->p->sobs_per_block)
			x->sob_ps[(size_t)t.block * x->p->sobs_per_block + t.index] =
				t_ps + (int64_t)x->msg_latency_ps;
		/* fall through */
	case MDL_TARGET_MON_PAY_ADDRL:
	case MDL_TARGET_MON_PAY_ADDRH:
	case MDL_TARGET_MON_PAY_DATA:
	case MDL_TARGET_MON_ARM:
		save_ps = x->msg_ps;
		save_rc = x->pay_rc;
		x->msg_ps = t_ps + (int64_t)x->msg_latency_ps;
		if (t.kind == MDL_TARGET_MON_ARM)
			x->msg_ps = max64(x->msg_ps, watched_ps(x, &t, value));
		x->pay_rc = 0;
		mdl_sm_write(x->sm, &t, value);
		rc = x->pay_rc;
		x->msg_ps = save_ps;
		x->pay_rc = save_rc;
		return rc;
	case MDL_TARGET_FENCE:
		if (t.qman < x->p->num_qmans && t.cp < VX_CP_PER_QMAN && t.fence_id < 4) {
			struct vx_cp *cp = &x->cps[t.qman * VX_CP_PER_QMAN + t.cp];

			cp->fence[t.fence_id] += value;
			cp->fence_ps[t.fence_id] = max64(cp->fence_ps[t.fence_id],
							 t_ps + (int64_t)x->msg_latency_ps);
		}
		return 0;
	case MDL_TARGET_CQ:
	case MDL_TARGET_MSI:
		return 0; /* completion is tracked per job; no host interrupt to raise */
	case MDL_TARGET_NONE:
		break;
	}
	kind = x->f->mem_kind(addr);
	if (kind == MDL_MEM_CFG)
		return 0; /* a register the virtual device does not keep */
	if (kind != MDL_MEM_HBM && kind != MDL_MEM_SRAM && kind != MDL_MEM_HOST)
		return vx_err(x, -EFAULT, "message write of 0x%08x to 0x%" PRIx64
			      ", which is in no memory", value, addr);
	le[0] = (uint8_t)value;
	le[1] = (uint8_t)(value >> 8);
	le[2] = (uint8_t)(value >> 16);
	le[3] = (uint8_t)(value >> 24);
	return mem_rw(x, addr, le, 4, 1);
}

/* ===== CS bookkeeping ===== */

static struct vx_cs *cs_of(struct trc_vx *x, uint64_t seq)
{
	struct vx_cs *cs = &x->ring[seq % x->max_pending];

	return cs->seq == seq ? cs : NULL;
}

static void cs_fail(struct trc_vx *x, uint64_t seq)
{
	struct vx_cs *cs = cs_of(x, seq);

	if (cs)
		cs->state = TRC_VX_CS_FAILED;
}

static void item_pop(struct vx_cp *cp)
{
	free(cp->q[0].bytes);
	cp->len--;
	memmove(cp->q, cp->q + 1, cp->len * sizeof(*cp->q));
	cp->off = 0;
	cp->wait = 0;
}

static int item_push(struct vx_cp *cp, const struct vx_item *it)
{
	if (cp->len == cp->cap) {
		uint32_t cap = cp->cap ? cp->cap * 2 : 8;
		struct vx_item *n = realloc(cp->q, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		cp->q = n;
		cp->cap = cap;
	}
	cp->q[cp->len++] = *it;
	return 0;
}

/* Remove every CB of CS @seq from every CP. */
static void drop_cs(struct trc_vx *x, uint64_t seq)
{
	uint32_t c, i, j;

	for (c = 0; c < x->ncps; c++) {
		struct vx_cp *cp = &x->cps[c];

		for (i = j = 0; i < cp->len; i++) {
			if (cp->q[i].seq == seq) {
				free(cp->q[i].bytes);
				if (i == 0) {
					cp->off = 0;
					cp->wait = 0;
				}
			} else {
				cp->q[j++] = cp->q[i];
			}
		}
		cp->len = j;
	}
}

/* The CB at the head of @cp finished. */
static void item_done(struct trc_vx *x, struct vx_cp *cp)
{
	const struct vx_item *it = &cp->q[0];

	if (cp->index != VX_LOWER_CP && it->external) {
		struct vx_cs *cs = cs_of(x, it->seq);
		/*
		 * The driver's epilogue (the CQ write, with EB) waits for the engine to drain,
		 * so the job ends when its DMA engine has finished too.
		 */
		int64_t end = max64(cp->t_ps, x->eng_busy_ps[cp->qman]);

		if (cs) {
			cs->done_ps = max64(cs->done_ps, end);
			if (cs->ext_pending && --cs->ext_pending == 0 &&
			    cs->state == TRC_VX_CS_PENDING)
				cs->state = TRC_VX_CS_DONE;
		}
	}
	item_pop(cp);
}

/* The CB at the head of @cp hit an error (detail in x->err): the CS fails. */
static void item_fail(struct trc_vx *x, struct vx_cp *cp, int rc)
{
	const struct vx_item *it = &cp->q[0];
	uint64_t seq = it->seq;
	char name[64];

	cp_name(x, cp, name, sizeof(name));
	if (rc == -ENOMEM && seq == x->cur_seq) {
		fprintf(stderr, "hlsim vdev: CS %" PRIu64 ", job %u on %s, byte offset 0x%x: %s; "
				"the CS fails with ENOMEM\n",
			seq, it->job, name, cp->off, x->err);
		x->oom_cur = 1;
		drop_cs(x, seq);
		return;
	}
	fprintf(stderr, "hlsim vdev: CS %" PRIu64 ", job %u on %s, byte offset 0x%x: %s; the "
			"queue drops this CB and WAIT_CS on the CS fails with ETIMEDOUT (a real "
			"QMAN halts and the CS times out)\n",
		seq, it->job, name, cp->off, x->err);
	cs_fail(x, seq);
	item_pop(cp);
}

/* ===== packets ===== */

static uint32_t *regs_of(struct trc_vx *x, uint32_t qman)
{
	if (!x->regs[qman])
		x->regs[qman] = calloc(1, x->p->engine_block_bytes);
	return x->regs[qman];
}

static int do_dma(struct trc_vx *x, struct vx_cp *cp, uint64_t src, uint64_t dst, uint64_t n,
		  int is_memset, int wr_comp)
{
	enum mdl_mem_kind sk = is_memset ? MDL_MEM_UNKNOWN : x->f->mem_kind(src);
	enum mdl_mem_kind dk = x->f->mem_kind(dst);
	uint32_t *regs = regs_of(x, cp->qman);
	int64_t start, end;
	int rc;

	if (x->qman_class[cp->qman] != MDL_ENGINE_DMA)
		return vx_err(x, -EINVAL, "LIN_DMA on %s, which has no DMA engine",
			      x->f->qman_name(cp->qman));
	if (!regs)
		return vx_err(x, -ENOMEM, "out of host memory for registers");
	rc = dma_move(x, src, dst, n, is_memset, src);
	if (rc)
		return rc;
	if (sk >= MDL_MEM_KIND_COUNT_)
		sk = MDL_MEM_UNKNOWN;
	start = max64(cp->t_ps, x->eng_busy_ps[cp->qman]);
	end = start + (n ? dma_ps(x, sk, dk < MDL_MEM_KIND_COUNT_ ? dk : MDL_MEM_UNKNOWN, n) : 0);
	x->eng_busy_ps[cp->qman] = end;
	if (!wr_comp)
		return 0;
	return msg_write(x,
			 (uint64_t)regs[x->p->dma_wr_comp_addr_hi / 4] << 32 |
				 regs[x->p->dma_wr_comp_addr_lo / 4],
			 regs[x->p->dma_wr_comp_wdata / 4], end);
}

/* A TPC or MME launch: no effect on data; its cost and its completion message. */
static int do_launch(struct trc_vx *x, struct vx_cp *cp, enum mdl_engine_class cls,
		     const uint32_t *regs)
{
	struct mdl_work *w = &x->work;
	double mem_ps[MDL_MEM_KIND_COUNT_] = { 0 }, ps, clock_hz;
	int64_t start, end;
	hlsim_err_t hrc;
	uint32_t i;

	if (!x->f->engine_launch)
		return vx_err(x, -EINVAL, "%s launch is not modelled on %s",
			      mdl_engine_class_name(cls), x->p->asic_name);
	memset(w, 0, sizeof(*w));
	hrc = x->f->engine_launch(cls, regs, &x->ec, NULL, w);
	if (hrc)
		return vx_err(x, -EINVAL, "%s launch: %s", x->f->qman_name(cp->qman),
			      hlsim_last_error_detail());
	clock_hz = cls == MDL_ENGINE_TPC ? x->ec.tpc.clock_hz : x->ec.mme.clock_hz;
	ps = clock_hz > 0 ? (double)w->compute_cycles * 1e12 / clock_hz : 0;
	for (i = 0; i < w->num_traffic && i < MDL_MAX_TRAFFIC; i++) {
		enum mdl_mem_kind k = x->f->mem_kind(w->traffic[i].addr);

		if (k >= MDL_MEM_KIND_COUNT_)
			continue;
		mem_ps[k] += (double)w->traffic[i].bytes *
			     (w->traffic[i].write ? x->wr_ps_per_byte[k] : x->rd_ps_per_byte[k]);
	}
	for (i = 0; i < MDL_MEM_KIND_COUNT_; i++)
		if (mem_ps[i] > ps)
			ps = mem_ps[i];
	start = max64(cp->t_ps, x->eng_busy_ps[cp->qman]);
	end = start + (int64_t)ps;
	x->eng_busy_ps[cp->qman] = end;
	if (!w->has_completion)
		return 0;
	return msg_write(x, w->completion_addr, w->completion_data, end);
}

static int do_wreg(struct trc_vx *x, struct vx_cp *cp, const struct hlsim_cmd *cmd)
{
	enum mdl_engine_class cls = (enum mdl_engine_class)x->qman_class[cp->qman];
	uint32_t launch = cls < MDL_ENGINE_CLASS_COUNT_ ? x->p->launch_reg[cls] : 0;
	uint32_t i, off = cmd->u.wreg.reg_offset;
	uint32_t *regs = regs_of(x, cp->qman);
	const struct mdl_asic_props *p = x->p;
	int rc;

	if (!regs)
		return vx_err(x, -ENOMEM, "out of host memory for registers");
	if (off % 4 || (uint64_t)off + 4ull * cmd->u.wreg.count > p->engine_block_bytes)
		return vx_err(x, -EINVAL, "register write at 0x%x (x%u) is outside the engine block",
			      off, cmd->u.wreg.count);
	for (i = 0; i < cmd->u.wreg.count; i++, off += 4) {
		const uint8_t *v = cmd->u.wreg.values;

		regs[off / 4] = v ? (uint32_t)v[4 * i] | (uint32_t)v[4 * i + 1] << 8 |
					    (uint32_t)v[4 * i + 2] << 16 |
					    (uint32_t)v[4 * i + 3] << 24
				  : cmd->u.wreg.value;
		if (!launch || off != launch)
			continue;
		if (cls == MDL_ENGINE_DMA) {
			uint32_t commit = regs[off / 4];
			uint64_t src, dst;

			if (!(commit & p->dma_commit_lin))
				return vx_err(x, -EINVAL,
					      "strided DMA COMMIT (lin=0) is not executed: its "
					      "semantics are not public");
			src = (uint64_t)regs[p->dma_src_base_hi / 4] << 32 |
			      regs[p->dma_src_base_lo / 4];
			dst = (uint64_t)(regs[p->dma_dst_base_hi / 4] & p->dma_dst_base_hi_mask)
				      << 32 |
			      regs[p->dma_dst_base_lo / 4];
			rc = do_dma(x, cp, src, dst, regs[p->dma_dst_tsize_0 / 4],
				    !!(commit & p->dma_commit_memset),
				    !!(commit & p->dma_commit_wr_comp));
		} else if (cls == MDL_ENGINE_TPC || cls == MDL_ENGINE_MME) {
			rc = do_launch(x, cp, cls, regs);
		} else {
			rc = 0;
		}
		if (rc)
			return rc;
	}
	return 0;
}

/* Execute one packet of @cp: 0 (go on), VX_BLOCKED, VX_STOP or -errno (detail in x->err). */
static int exec(struct trc_vx *x, struct vx_cp *cp, const struct hlsim_cmd *cmd)
{
	struct vx_cp *lower = &x->cps[cp->qman * VX_CP_PER_QMAN + VX_LOWER_CP];
	int has_lower = cp->index != VX_LOWER_CP && x->qman_lower[cp->qman];
	const char *name;
	uint64_t addr;

	if (cmd->eb) {
		/* engine barrier: the engine (and, above a lower CP, that CP) must drain */
		if (has_lower && lower->len) {
			cp->wait = 2;
			return VX_BLOCKED;
		}
		cp->t_ps = max64(cp->t_ps, x->eng_busy_ps[cp->qman]);
		if (has_lower)
			cp->t_ps = max64(cp->t_ps, lower->t_ps);
	}
	switch ((enum hlsim_cmd_kind)cmd->kind) {
	case HLSIM_CMD_NOP:
	case HLSIM_CMD_ARB_POINT: /* one CP per stream here: no arbitration to do */
	case HLSIM_CMD_LOAD_AND_EXE: /* predicates are not kept: every packet runs [I] */
		break;
	case HLSIM_CMD_WREG:
		cp->t_ps += (int64_t)x->packet_ps;
		return do_wreg(x, cp, cmd);
	case HLSIM_CMD_MSG:
		addr = cmd->u.msg.addr;
		if (cmd->u.msg.is_short) {
			uint64_t base = x->f->msg_base_addr(cp->qman, cmd->u.msg.base);

			if (!base)
				return vx_err(x, -EINVAL,
					      "MSG_SHORT uses base %u, which the driver does not "
					      "program on %s",
					      cmd->u.msg.base, x->f->qman_name(cp->qman));
			addr += base;
		}
		cp->t_ps += (int64_t)x->packet_ps;
		if (cmd->u.msg.op != HLSIM_MSG_WRITE_VALUE)
			return 0; /* timestamp writes: the counter is not modelled here */
		return msg_write(x, addr, cmd->u.msg.value, cp->t_ps);
	case HLSIM_CMD_CB_CALL: {
		struct vx_item it = { 0 };

		if (!has_lower)
			return vx_err(x, -EINVAL, "CP_DMA on a CP with no lower CP to feed");
		cp->t_ps += (int64_t)(x->packet_ps + x->handoff_ps);
		it.addr = cmd->u.cb_call.addr;
		it.size = cmd->u.cb_call.size_bytes;
		it.seq = cp->q[0].seq;
		it.job = cp->q[0].job;
		it.ready_ps = cp->t_ps;
		if (item_push(lower, &it))
			return vx_err(x, -ENOMEM, "out of host memory for the lower CP queue");
		lower->present = 1;
		return 0;
	}
	case HLSIM_CMD_FENCE: {
		uint8_t id = cmd->u.fence.id & 3;

		if (cp->fence[id] < cmd->u.fence.target) {
			cp->wait = 1;
			cp->wait_id = id;
			cp->wait_target = cmd->u.fence.target;
			return VX_BLOCKED;
		}
		cp->fence[id] -= cmd->u.fence.dec < cp->fence[id] ? cmd->u.fence.dec
								  : cp->fence[id];
		cp->t_ps = max64(cp->t_ps + (int64_t)x->packet_ps, cp->fence_ps[id]);
		return 0;
	}
	case HLSIM_CMD_DMA:
		if (cmd->u.dma.flags & ~(HLSIM_DMA_WR_COMP | HLSIM_DMA_MEMSET))
			return vx_err(x, -EINVAL,
				      "LIN_DMA flags 0x%x (transpose, compression, data-type or "
				      "address-increment modes) are not executed",
				      cmd->u.dma.flags);
		cp->t_ps += (int64_t)x->packet_ps;
		return do_dma(x, cp, cmd->u.dma.src_addr, cmd->u.dma.dst_addr,
			      cmd->u.dma.size_bytes, !!(cmd->u.dma.flags & HLSIM_DMA_MEMSET),
			      !!(cmd->u.dma.flags & HLSIM_DMA_WR_COMP));
	case HLSIM_CMD_STOP:
		cp->t_ps += (int64_t)x->packet_ps;
		return VX_STOP;
	case HLSIM_CMD_WAIT: {
		uint8_t id = cmd->u.wait.id & 3;

		cp->t_ps += (int64_t)(x->packet_ps + (double)cmd->u.wait.cycles * x->cycle_ps);
		cp->fence[id] += cmd->u.wait.inc;
		cp->fence_ps[id] = max64(cp->fence_ps[id], cp->t_ps);
		return 0;
	}
	case HLSIM_CMD_NIC:
		/* hlsim's own NIC record: timed by the simulator only, no effect here */
		break;
	case HLSIM_CMD_REPEAT:
	case HLSIM_CMD_CB_LIST:
	case HLSIM_CMD_WREG64:
	case HLSIM_CMD_ARC_STREAM:
	case HLSIM_CMD_WREG_REG:
	case HLSIM_CMD_KIND_COUNT_:
		name = x->f->opcode_name(cmd->opcode);
		return vx_err(x, -EINVAL, "%s (opcode 0x%x) is not executed by the virtual %s "
			      "(its semantics are not public or not modelled)",
			      name ? name : "packet", cmd->opcode, x->p->asic_name);
	}
	cp->t_ps += (int64_t)x->packet_ps;
	return 0;
}

/* Read the bytes of the internal CB at the head of @cp from device memory. */
static int fetch(struct trc_vx *x, struct vx_cp *cp)
{
	struct vx_item *it = &cp->q[0];
	enum mdl_mem_kind k = x->f->mem_kind(it->addr);
	int rc;

	it->fetched = 1;
	if (!it->size)
		return 0;
	it->bytes = malloc(it->size);
	if (!it->bytes)
		return vx_err(x, -ENOMEM, "out of host memory for a CB of %u bytes", it->size);
	rc = mem_rw(x, it->addr, it->bytes, it->size, 0);
	if (rc)
		return vx_err(x, rc, "fetching the CB of %u bytes at 0x%" PRIx64 ": %.200s",
			      it->size, it->addr, x->err);
	if (k < MDL_MEM_KIND_COUNT_)
		cp->t_ps += (int64_t)(x->lat_ps[k] + x->rd_ps_per_byte[k] * it->size);
	if (x->fetched)
		x->fetched(x->host_ctx, it->seq, it->addr, it->bytes, it->size);
	return 0;
}

/* Run @cp until it is empty or blocked. Returns whether anything happened. */
static int run_cp(struct trc_vx *x, struct vx_cp *cp)
{
	int moved = 0, rc;

	while (cp->len) {
		struct vx_item *it = &cp->q[0];
		struct hlsim_cmd cmd;
		hlsim_err_t hrc;

		if (!it->fetched) {
			cp->t_ps = max64(cp->t_ps, it->ready_ps);
			rc = fetch(x, cp);
			if (rc) {
				item_fail(x, cp, rc);
				moved = 1;
				continue;
			}
		}
		if (cp->off >= it->size) {
			item_done(x, cp);
			moved = 1;
			continue;
		}
		hrc = x->f->decode(it->bytes, it->size, cp->off, &cmd);
		if (hrc) {
			vx_err(x, -EINVAL, "%s", hlsim_last_error_detail());
			item_fail(x, cp, -EINVAL);
			moved = 1;
			continue;
		}
		rc = exec(x, cp, &cmd);
		if (rc == VX_BLOCKED)
			break;
		moved = 1;
		cp->wait = 0;
		if (rc < 0)
			item_fail(x, cp, rc);
		else if (rc == VX_STOP)
			cp->off = it->size;
		else
			cp->off += cmd.size_bytes;
	}
	return moved;
}

static void run_all(struct trc_vx *x)
{
	uint32_t c;
	int moved;

	do {
		moved = 0;
		for (c = 0; c < x->ncps; c++)
			if (x->cps[c].len)
				moved |= run_cp(x, &x->cps[c]);
	} while (moved);
}

/* ===== interface ===== */

int trc_vx_submit(struct trc_vx *x, uint64_t seq, const struct trc_vx_job *jobs, uint32_t njobs,
		  int64_t submit_ns)
{
	struct vx_cs *cs = &x->ring[seq % x->max_pending];
	int64_t ready_ps;
	uint32_t i;

	if (cs->seq && cs->state == TRC_VX_CS_PENDING)
		return -EAGAIN; /* "too many in-flight CSs": the slot is still in use */
	if (!x->started) {
		x->started = 1;
		x->origin_ns = submit_ns;
	}
	ready_ps = (submit_ns - x->origin_ns) * 1000 + (int64_t)x->submit_overhead_ps;
	*cs = (struct vx_cs){ .seq = seq, .state = TRC_VX_CS_PENDING, .done_ps = ready_ps };
	for (i = 0; i < njobs; i++) {
		const struct trc_vx_job *j = &jobs[i];
		const struct mdl_queue_info *qi = x->f->queue_info(j->queue_id);
		struct vx_item it = { 0 };
		struct vx_cp *cp;

		cp = &x->cps[x->f->qman_of_queue(j->queue_id) * VX_CP_PER_QMAN + qi->stream];
		it.seq = seq;
		it.job = i;
		it.ready_ps = ready_ps;
		it.size = j->size_bytes;
		it.external = j->external;
		if (j->bytes) {
			it.fetched = 1;
			it.bytes = malloc(j->size_bytes ? j->size_bytes : 1);
			if (!it.bytes)
				goto nomem;
			memcpy(it.bytes, j->bytes, j->size_bytes);
		} else {
			it.addr = j->cb_addr;
		}
		if (item_push(cp, &it)) {
			free(it.bytes);
			goto nomem;
		}
		cs->ext_pending += j->external;
	}
	if (!cs->ext_pending)
		cs->state = TRC_VX_CS_DONE;
	x->cur_seq = seq;
	x->oom_cur = 0;
	run_all(x);
	x->cur_seq = 0;
	if (x->oom_cur) {
		cs->state = TRC_VX_CS_UNKNOWN;
		cs->seq = 0;
		return -ENOMEM;
	}
	return 0;
nomem:
	drop_cs(x, seq);
	cs->state = TRC_VX_CS_UNKNOWN;
	cs->seq = 0;
	return -ENOMEM;
}

enum trc_vx_cs_state trc_vx_cs_state(const struct trc_vx *x, uint64_t seq, int64_t *done_ns)
{
	const struct vx_cs *cs = &x->ring[seq % x->max_pending];

	if (cs->seq != seq)
		return TRC_VX_CS_UNKNOWN;
	if (done_ns)
		*done_ns = x->origin_ns + cs->done_ps / 1000;
	return (enum trc_vx_cs_state)cs->state;
}

void trc_vx_time_out(struct trc_vx *x, uint64_t seq)
{
	char name[64], why[1024];
	uint32_t c, i;
	int said = 0;

	fprintf(stderr, "hlsim vdev: CS %" PRIu64 " can never complete (no queue can move); "
			"WAIT_CS fails with ETIMEDOUT as for a CS the driver's timeout caught. "
			"Blocked:\n", seq);
	for (c = 0; c < x->ncps; c++) {
		const struct vx_cp *cp = &x->cps[c];
		int mine = 0;

		for (i = 0; i < cp->len; i++)
			mine |= cp->q[i].seq == seq;
		if (!cp->len || (!mine && cp->q[0].seq != seq && !cp->wait))
			continue;
		cp_name(x, cp, name, sizeof(name));
		said = 1;
		if (cp->wait == 1) {
			uint64_t fa = x->f->fence_addr(cp->qman, cp->index, cp->wait_id);

			fprintf(stderr, "  %s: CS %" PRIu64 " job %u, byte offset 0x%x: FENCE id %u "
					"waits for counter >= %u (now %u)\n",
				name, cp->q[0].seq, cp->q[0].job, cp->off, cp->wait_id,
				cp->wait_target, cp->fence[cp->wait_id]);
			if (mdl_sm_describe_waiters(x->sm, fa, why, sizeof(why)))
				fprintf(stderr, "%s\n", why);
			else
				fprintf(stderr, "      no armed monitor writes this fence\n");
		} else if (cp->wait == 2) {
			fprintf(stderr, "  %s: CS %" PRIu64 " job %u, byte offset 0x%x: EB waits for "
					"the lower CP to drain\n",
				name, cp->q[0].seq, cp->q[0].job, cp->off);
		} else {
			fprintf(stderr, "  %s: CS %" PRIu64 " job %u queued behind the above\n", name,
				cp->q[0].seq, cp->q[0].job);
		}
	}
	if (!said)
		fprintf(stderr, "  (no queue holds its work any more)\n");
	cs_fail(x, seq);
	drop_cs(x, seq);
	run_all(x);
}

int trc_vx_write32(struct trc_vx *x, uint64_t addr, uint32_t value, int64_t when_ns)
{
	int64_t t_ps = x->started ? (when_ns - x->origin_ns) * 1000 : 0;
	int rc;

	rc = msg_write(x, addr, value, t_ps < 0 ? 0 : t_ps);
	run_all(x);
	return rc;
}

/* Bit of a QMAN's engine in the Gaudi2 driver's busy mask (enum gaudi2_engine_id); -1: none. */
static int gaudi2_engine_bit(uint8_t cls, uint32_t e)
{
	const int dcore = GAUDI2_DCORE1_ENGINE_ID_EDMA_0 - GAUDI2_DCORE0_ENGINE_ID_EDMA_0;

	switch (cls) {
	case MDL_ENGINE_DMA: /* enum gaudi2_dma_core_id: PDMA0, PDMA1, then EDMA 2 + 2 d + i */
		if (e < 2)
			return GAUDI2_ENGINE_ID_PDMA_0 + (int)e;
		return e < 10 ? GAUDI2_DCORE0_ENGINE_ID_EDMA_0 + (int)(e - 2) / 2 * dcore +
					(int)(e - 2) % 2
			      : -1;
	case MDL_ENGINE_MME: /* one MME per DCORE */
		return e < 4 ? GAUDI2_DCORE0_ENGINE_ID_MME + (int)e * dcore : -1;
	case MDL_ENGINE_TPC: /* enum gaudi2_tpc_id: 6 d + t, the PCI TPC (DCORE0 TPC6) 24 */
		if (e == 24)
			return GAUDI2_DCORE0_ENGINE_ID_TPC_6;
		return e < 24 ? GAUDI2_DCORE0_ENGINE_ID_TPC_0 + (int)(e / 6) * dcore + (int)(e % 6)
			      : -1;
	case MDL_ENGINE_NIC: /* NIC n = macro n / 2, QM n % 2: NIC<n/2>_<n%2> */
		return e < 24 ? GAUDI2_ENGINE_ID_NIC0_0 + (int)e : -1;
	case MDL_ENGINE_CPU: /* the model's ROT0 / ROT1 are CPU-class engines 1 and 2 */
		return e == 1 || e == 2 ? GAUDI2_ENGINE_ID_ROT_0 + (int)e - 1 : -1;
	default:
		return -1;
	}
}

/* Bit of a QMAN's engine in the Gaudi driver's busy mask (enum gaudi_engine_id); -1: none. */
static int gaudi_engine_bit(uint8_t cls, uint32_t e)
{
	switch (cls) {
	case MDL_ENGINE_DMA:
		return (int)(e & 7);
	case MDL_ENGINE_MME:
		/* MME_0_x drives the MME2 block, MME_1_x MME0 (GAUDI-FACTS 3.1) */
		return 8 + (e ? 0 : 2);
	case MDL_ENGINE_TPC:
		return 12 + (int)(e & 7);
	case MDL_ENGINE_NIC:
		return 20 + (int)(e % 10);
	default:
		return -1;
	}
}

void trc_vx_busy_engines_ext(const struct trc_vx *x, uint64_t mask[2])
{
	uint32_t c, m;
	int bit;

	mask[0] = mask[1] = 0;
	for (c = 0; c < x->ncps; c++) {
		if (!x->cps[c].len)
			continue;
		m = x->cps[c].qman;
		bit = x->gaudi2 ? gaudi2_engine_bit(x->qman_class[m], x->qman_engine[m])
				: gaudi_engine_bit(x->qman_class[m], x->qman_engine[m]);
		if (bit >= 0 && bit < 128)
			mask[bit / 64] |= 1ull << (bit % 64);
	}
}

uint64_t trc_vx_busy_engines(const struct trc_vx *x)
{
	uint64_t mask[2];

	trc_vx_busy_engines_ext(x, mask);
	return mask[0];
}

void trc_vx_set_max_pending(struct trc_vx *x, uint32_t n)
{
	if (n && n <= VX_MAX_PENDING_CS)
		x->max_pending = n;
}

uint64_t trc_vx_mem_used(const struct trc_vx *x)
{
	return x->mem_used_bytes;
}

static int find_block(const struct mdl_asic_props *p, const char *name)
{
	int b;

	for (b = 0; b < 8 && (uint32_t)b < p->sm_blocks; b++)
		if (p->sm_block_names[b] && !strcmp(p->sm_block_names[b], name))
			return b;
	return -1;
}

int trc_vx_create(const struct mdl_asic_funcs *f, const hlsim_config_t *cfg,
		  uint64_t mem_max_bytes, trc_vx_host_fn host, trc_vx_fetch_fn fetched, void *ctx,
		  struct trc_vx **out)
{
	const struct mdl_asic_props *p = f->props;
	struct trc_vx *x;
	double clock_hz, eff;
	uint32_t q;
	int en;

	x = calloc(1, sizeof(*x));
	if (!x)
		return -ENOMEM;
	x->f = f;
	x->p = p;
	x->host = host;
	x->fetched = fetched;
	x->host_ctx = ctx;
	x->mem_max_bytes = mem_max_bytes;
	x->ncps = p->num_qmans * VX_CP_PER_QMAN;
	x->cps = calloc(x->ncps, sizeof(*x->cps));
	x->regs = calloc(p->num_qmans, sizeof(*x->regs));
	x->eng_busy_ps = calloc(p->num_qmans, sizeof(*x->eng_busy_ps));
	x->qman_class = calloc(p->num_qmans, 3);
	x->ring = calloc(VX_MAX_PENDING_CS, sizeof(*x->ring));
	x->max_pending = VX_MAX_PENDING_CS;
	x->gaudi2 = !strcmp(p->asic_name, "gaudi2");
	x->sob_ps = calloc((size_t)p->sm_blocks * p->sobs_per_block, sizeof(*x->sob_ps));
	x->bounce = malloc(VX_BOUNCE_BYTES);
	x->sram = (struct vx_region){ .name = "SRAM", .base = p->sram_base,
				      .size_bytes = p->sram_size_bytes };
	x->dram = (struct vx_region){ .name = "DRAM", .base = p->dram_base,
				      .size_bytes = p->dram_size_bytes };
	x->sram.pages = calloc((p->sram_size_bytes + VX_PAGE_BYTES - 1) >> VX_PAGE_SHIFT,
			       sizeof(*x->sram.pages));
	x->dram.pages = calloc((p->dram_size_bytes + VX_PAGE_BYTES - 1) >> VX_PAGE_SHIFT,
			       sizeof(*x->dram.pages));
	if (!x->cps || !x->regs || !x->eng_busy_ps || !x->qman_class || !x->ring || !x->sob_ps ||
	    !x->bounce || !x->sram.pages || !x->dram.pages)
		goto nomem;
	x->qman_lower = x->qman_class + p->num_qmans;
	x->qman_engine = x->qman_lower + p->num_qmans;
	if (mdl_sm_create(f, sm_payload, x, &x->sm) || mdl_engine_cfg_load(cfg, &x->ec)) {
		fprintf(stderr, "hlsim vdev: %s\n", hlsim_last_error_detail());
		trc_vx_destroy(x);
		return -EINVAL;
	}
	for (q = 0; q < p->num_queues; q++) {
		const struct mdl_queue_info *qi = f->queue_info(q);
		uint32_t m;

		if (!qi || qi->kind == MDL_QUEUE_NA || qi->kind == MDL_QUEUE_CPU)
			continue;
		m = f->qman_of_queue(q);
		if (m >= p->num_qmans || qi->stream >= VX_LOWER_CP)
			continue;
		x->qman_class[m] = qi->engine_class;
		x->qman_lower[m] = qi->has_lower_cp;
		x->qman_engine[m] = qi->engine_index;
		x->cps[m * VX_CP_PER_QMAN + qi->stream].queue_id = q;
		x->cps[m * VX_CP_PER_QMAN + qi->stream].present = 1;
		x->cps[m * VX_CP_PER_QMAN + VX_LOWER_CP].queue_id = q;
	}
	for (q = 0; q < x->ncps; q++) {
		x->cps[q].qman = q / VX_CP_PER_QMAN;
		x->cps[q].index = (uint8_t)(q % VX_CP_PER_QMAN);
	}
	/*
	 * The driver's DMA completion default: "E_N SOB[dma id] += 1" (GAUDI-FACTS 3.3,
	 * gaudi_restore_dma_registers), in place until the program writes WR_COMP itself.
	 */
	en = find_block(p, "E_N");
	for (q = 0; en >= 0 && f->sob_addr && f->sob_value_encode && q < p->num_qmans; q++) {
		uint64_t a;

		if (x->qman_class[q] != MDL_ENGINE_DMA || !regs_of(x, q))
			continue;
		a = f->sob_addr((uint8_t)en, x->qman_engine[q]);
		x->regs[q][p->dma_wr_comp_addr_lo / 4] = (uint32_t)a;
		x->regs[q][p->dma_wr_comp_addr_hi / 4] = (uint32_t)(a >> 32);
		x->regs[q][p->dma_wr_comp_wdata / 4] = f->sob_value_encode(1, 1);
	}
	/* timing parameters: the simulator's (sim/core.c, sim/platform.c) */
	clock_hz = hlsim_config_f64(cfg, "asic.clock");
	x->cycle_ps = clock_hz > 0 ? 1e12 / clock_hz : 0;
	x->packet_ps = (double)hlsim_config_u64(cfg, "cp.packet_cycles") * x->cycle_ps;
	x->handoff_ps = (double)hlsim_config_u64(cfg, "cp.lower_cp_handoff");
	x->msg_latency_ps = (double)hlsim_config_u64(cfg, "sync.msg_latency");
	x->submit_overhead_ps = (double)hlsim_config_u64(cfg, "host.cs_submit_overhead");
	x->dma_setup_ps = (double)hlsim_config_u64(cfg, "dma.setup_latency");
	x->dma_ps_per_byte = 1e12 / hlsim_config_f64(cfg, "dma.engine_bandwidth");
	eff = hlsim_config_f64(cfg, "pcie.efficiency");
	x->lat_ps[MDL_MEM_HOST] = (double)hlsim_config_u64(cfg, "pcie.latency");
	x->rd_ps_per_byte[MDL_MEM_HOST] =
		1e12 / (hlsim_config_f64(cfg, "pcie.h2d_bandwidth") * eff);
	x->wr_ps_per_byte[MDL_MEM_HOST] =
		1e12 / (hlsim_config_f64(cfg, "pcie.d2h_bandwidth") * eff);
	x->lat_ps[MDL_MEM_HBM] = (double)hlsim_config_u64(cfg, "hbm.latency");
	x->rd_ps_per_byte[MDL_MEM_HBM] = 1e12 / hlsim_config_f64(cfg, "hbm.bandwidth");
	x->wr_ps_per_byte[MDL_MEM_HBM] = x->rd_ps_per_byte[MDL_MEM_HBM];
	x->lat_ps[MDL_MEM_SRAM] = (double)hlsim_config_u64(cfg, "sram.latency");
	x->rd_ps_per_byte[MDL_MEM_SRAM] = 1e12 / hlsim_config_f64(cfg, "sram.bandwidth");
	x->wr_ps_per_byte[MDL_MEM_SRAM] = x->rd_ps_per_byte[MDL_MEM_SRAM];
	*out = x;
	return 0;
nomem:
	trc_vx_destroy(x);
	return -ENOMEM;
}

void trc_vx_destroy(struct trc_vx *x)
{
	uint64_t i, n;

	if (!x)
		return;
	for (i = 0; x->cps && i < x->ncps; i++) {
		uint32_t k;

		for (k = 0; k < x->cps[i].len; k++)
			free(x->cps[i].q[k].bytes);
		free(x->cps[i].q);
	}
	for (i = 0; x->regs && i < x->p->num_qmans; i++)
		free(x->regs[i]);
	n = (x->p->sram_size_bytes + VX_PAGE_BYTES - 1) >> VX_PAGE_SHIFT;
	for (i = 0; x->sram.pages && i < n; i++)
		free(x->sram.pages[i]);
	n = (x->p->dram_size_bytes + VX_PAGE_BYTES - 1) >> VX_PAGE_SHIFT;
	for (i = 0; x->dram.pages && i < n; i++)
		free(x->dram.pages[i]);
	mdl_sm_destroy(x->sm);
	free(x->sram.pages);
	free(x->dram.pages);
	free(x->cps);
	free(x->regs);
	free(x->eng_busy_ps);
	free(x->qman_class);
	free(x->ring);
	free(x->sob_ps);
	free(x->bounce);
	free(x);
}
