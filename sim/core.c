/*
 * sim/core.c - replay of one trace on SimGrid: host, command processors, DMA engines,
 * sync manager.
 *
 * What is modelled (GAUDI-FACTS.md §1.4, §2, §3):
 * - The host submits each CS's jobs to their queues in trace order, paying
 *   host.cs_submit_overhead per CS (and, with host.timing=trace, keeping the recorded
 *   gaps); it blocks where the program blocked in HL_IOCTL_WAIT_CS, and when more than
 *   GAUDI_MAX_PENDING_CS (16384) CSs are in flight. Restore-phase jobs run for the
 *   first CS and for CSs with FORCE_RESTORE [I: the driver decides by context switch,
 *   which a trace cannot show].
 * - One actor per queue stream (its upper CP) executes its jobs' CBs in order, one
 *   actor per QMAN lower CP executes the CBs that CP_DMA hands it, in arrival order.
 *   Each packet costs cp.packet_cycles at asic.clock. CP time is accumulated and paid
 *   (one SimGrid sleep) only before the CP interacts with anything else.
 * - External-queue jobs end with the packets the driver appends (NOP padding, the CQ
 *   write and the MSI, as MSG_PROT): the CQ write completes the job, and a CS
 *   completes when all its external jobs have. A CS with no external job completes
 *   when the upper CPs have executed all its jobs [I].
 * - FENCE blocks the CP until its counter reaches the target, then subtracts; a
 *   fence released by a message resumes after sync.msg_latency [I]. Message writes
 *   land at once in SOBs, monitors and fences; monitors fire through the sync manager
 *   (models/common/syncmgr.c).
 * - EB: the packet waits until the engine behind the CP (and, for an upper CP with a
 *   lower CP, that lower CP) has drained [I: barrier meaning inferred from usage].
 *   RB and MB cost nothing here: register writes and messages land at once.
 * - LIN_DMA (and a linear DMA COMMIT) queue a transfer on the QMAN's DMA engine,
 *   which runs its transfers in order, each a SimGrid flow over the platform links
 *   (sim/platform.c), then performs its completion write (WR_COMP registers as they
 *   were when the transfer was issued).
 * - WAIT sleeps its cycles then increments a fence [I]. ARB_POINT and LOAD_AND_EXE
 *   cost a packet and do nothing else [I: arbitration and predicates not modelled:
 *   streams of a QMAN are served in arrival order, predicated packets always run].
 *   REPEAT and launches of TPC/MME kernels are refused with an error (not modelled
 *   yet) rather than silently skipped.
 * - When every actor is blocked, the run ends: normally if only idle queues remain,
 *   otherwise as a deadlock, naming every blocked queue, its fence, and the monitors
 *   and SOB values it waits on.
 */
#include <inttypes.h>
#include <limits.h>
#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/exec.h>
#include <simgrid/comm.h>
#include <simgrid/host.h>
#include <simgrid/mailbox.h>
#include <simgrid/semaphore.h>

#include "hlsim/results.h"
#include "hlsim/trace.h"
#include "models/common/asic.h"
#include "models/common/engine.h"
#include "models/common/net.h"
#include "models/common/syncmgr.h"
#include "models/common/zmap.h"
#include "sim/sim.h"
#include "traces/trc.h"

#define CP_PER_QMAN 5 /* 4 upper CPs (one per stream) + the lower CP */
#define LOWER_CP 4
#define MAX_PENDING_CS 16384 /* GAUDI_MAX_PENDING_CS */
#define REGFILE_BYTES 0x10000 /* WREG reg_offset is 16 bits wide */
#define EPILOGUE_CAP 512

enum blocked_on {
	RUNNING = 0, ON_WORK, ON_FENCE, ON_BARRIER, ON_CS_WAIT, ON_CS_RING, ON_DRAIN, ON_INPUT,
	ON_ORDER
};

static const char *const blocked_name[] = {
	[RUNNING] = "running", [ON_WORK] = "idle", [ON_FENCE] = "a FENCE",
	[ON_BARRIER] = "an engine barrier (EB)", [ON_CS_WAIT] = "HL_IOCTL_WAIT_CS",
	[ON_CS_RING] = "a free CS slot", [ON_DRAIN] = "the last CS to complete",
	[ON_INPUT] = "the program's next call (another device's WAIT_CS is being answered)",
	[ON_ORDER] = "an earlier WAIT_CS on another device (host.order = program)",
};

struct sim_ctx;

/* Something an actor can block on; sim_block()/sim_wake() keep the active count. */
struct waiter {
	sg_sem_t sem;
	uint8_t blocked; /* enum blocked_on */
};

/* A job (upper CP) or a called CB (lower CP) waiting to run. */
struct work {
	uint64_t cs_index, cs_seq;
	uint64_t blob_id; /* HLSIM_TRACE_NO_BLOB: read from memory at @addr */
	uint64_t addr;
	uint32_t size_bytes;
	uint32_t job; /* job index in its CS */
	uint32_t queue_id;
	uint8_t external;
	uint8_t cb_mem; /* enum mdl_mem_kind the CP fetches the CB from */
};

struct work_fifo {
	struct work *v;
	size_t head, len, cap;
};

/* A DMA transfer, or (@work set) a compute launch, queued on an engine. */
struct xfer {
	uint64_t src, dst, size_bytes, wr_comp_addr, cs_seq;
	uint32_t wr_comp_data, job, pkt_offset;
	uint8_t src_kind, dst_kind, wr_comp;
	struct mdl_work *work; /* compute launch (owned by the queue entry), or NULL */
	/* NIC transfer (@nic set): RDMA write to device @nic_dev, then its messages */
	uint8_t nic, nic_flags;
	uint32_t nic_dev, nic_rmsg_value, nic_lmsg_value;
	uint64_t nic_queued_ps; /* when the CP handed it to the NIC engine */
	uint64_t nic_rmsg_addr, nic_lmsg_addr;
	sg_host_t nic_to; /* the port host at the far end */
};

struct xfer_fifo {
	struct xfer *v;
	size_t head, len, cap;
};

struct engine;

/* A sender's mailbox towards one destination host (see "flows" below). */
struct flow_box {
	sg_host_t dst;
	sg_mailbox_t mb;
};

/* The mailboxes of one sending actor, one per destination it has sent to. */
struct flows {
	struct flow_box *v;
	uint32_t n, cap;
};

struct engine {
	struct sim_ctx *c;
	struct waiter w;
	sg_host_t host;
	sg_host_t path[MDL_MEM_KIND_COUNT_][MDL_MEM_KIND_COUNT_];
	struct xfer_fifo q;
	uint32_t qman, unit;
	uint32_t nic_port; /* NIC engines: the port they drive */
	sg_host_t nic_from; /* NIC engines: the port host their transfers leave from */
	sg_host_t nic_peer; /* scale-up NIC engines: the port host at the cable's far end */
	uint8_t busy, present, cls, compute;
	/* compute engines: per memory port, the flows of its launches (engine_launch_run) */
	struct flows port_fl[SIM_PORTS];
	uint64_t busy_ps, bytes, transfers, flops;
	/* idle while a CP of its QMAN fetched CBs / executed packets (union over its CPs) */
	uint64_t starved_fetch_ps, starved_packet_ps, starved_until_ps;
	struct flows fl; /* DMA and NIC engines: their transfers */
};

struct cp {
	struct sim_ctx *c;
	struct waiter w;
	struct work_fifo q;
	uint32_t qman, unit, queue_id;
	uint8_t index; /* 0..3 upper CP of that stream, 4 lower CP */
	uint8_t present, busy;
	uint8_t started; /* its actor runs (a lower CP's starts at the first CP_DMA to it) */
	uint8_t wait_fence_id, wait_fence_target;
	uint32_t fence[4];
	uint64_t pending_ps; /* CP time not yet paid with a sleep */
	uint64_t pending_fetch_ps; /* the part of it that fetches CBs */
	struct work cur; /* what it runs now */
	uint32_t cur_offset; /* byte offset of the packet being executed */
	uint64_t busy_ps, fence_wait_ps, barrier_wait_ps, packets, jobs;
	/* the last write to a fence of this CP: who, when, through which SOB */
	uint64_t rel_ps, rel_row;
	uint32_t rel_unit, rel_sob;
	uint8_t *epilogue; /* EPILOGUE_CAP bytes, allocated at the first external job */
};

/* A cost hint from the trace's annotations for the jobs of one CS on one queue. */
struct hint_entry {
	uint32_t queue_id; /* UINT32_MAX: every queue of the CS */
	struct mdl_cost_hint hint;
};

/*
 * A CS in flight. Its hints outlive its completion (internal jobs may still run after
 * the CS completed on Gaudi) and are freed when the slot is reused, MAX_PENDING_CS
 * submissions later.
 */
struct cs_slot {
	uint64_t cs_index, seq, submit_ps;
	uint32_t flags; /* hl_cs_in.cs_flags */
	uint32_t ext_pending, jobs_pending;
	uint8_t in_use, has_ext;
	struct hint_entry *hints;
	uint32_t nhints;
};

struct sim_world;

/* One device of the run: its queues, engines, sync manager and host thread. */
struct sim_ctx {
	struct sim_world *world;
	uint32_t dev; /* device index in the trace */
	const struct mdl_asic_funcs *f;
	const struct mdl_asic_props *p;
	hlsim_trace_t *trace; /* NULL in a live run */
	const struct sim_live *live; /* the live source, or NULL */
	struct mdl_sm *sm;
	struct cp *cps; /* num_qmans * CP_PER_QMAN */
	struct engine *eng; /* num_qmans */
	uint32_t **regs; /* num_qmans: each QMAN's engine block (REGFILE_BYTES), or NULL if unused */
	struct cs_slot *ring; /* ring_cap slots */
	size_t ring_cap; /* min(MAX_PENDING_CS, CSs of the device) */
	struct waiter host_w;
	uint64_t host_wait_seq; /* the CS seq the host waits for */
	uint64_t ncs, njobs_submitted, cs_done, cs_submitted, oldest_inflight;
	uint64_t packet_ps, handoff_ps, msg_latency_ps, submit_overhead_ps, cycle_ps;
	uint64_t hbm_min_access_bytes;
	struct mdl_engine_cfg ec;
	uint64_t ann_next, ann_count; /* annotation cursor (annotations are in CS order) */
	uint64_t fetch_latency_ps[MDL_MEM_KIND_COUNT_]; /* CB fetch: first bytes */
	double fetch_ps_per_byte[MDL_MEM_KIND_COUNT_]; /* CB fetch: streaming */
	int host_timing_trace, host_done, progress;
	uint64_t *order_of; /* host.order = program: wait row -> position in world->order */
	uint32_t host_unit;
	const char *trace_path;
	char host_name[32]; /* "d<dev>.host": the SimGrid host of its CPs and host actor */
	sg_host_t host; /* that host */
	sg_host_t port_host[SIM_PORTS]; /* "d<dev>.mem.*": end points of compute traffic */
};

/* One WAIT_CS of the run in host time (host.order = program). */
struct order_ent {
	int64_t enter_ns;
	uint32_t dev;
	uint8_t done;
	uint64_t row;
};

/* The whole run: every device, and what they share (SimGrid, the results, the network). */
struct sim_world {
	struct sim_ctx *devs;
	uint32_t ndev;
	hlsim_results_writer_t *res; /* NULL: a run without results (hlsim cosim) */
	uint64_t rows; /* timeline rows of a run without results */
	/*
	 * host.order = program: every device's waits in host time (enter_ns, device, row), and
	 * how many of them, from the first, are done (each record waits for those before it).
	 */
	struct order_ent *order;
	uint64_t norder, order_done;
	int active, stop;
	hlsim_err_t fail_rc;
	char *fail_msg;
	uint64_t packets, activities, last_ps;
	uint64_t flow_boxes; /* mailboxes made for flows (their names are "flow<N>") */
	double wall_start;
	double last_progress;
	struct mdl_net_topo topo;
	uint64_t nic_latency_ps, nic_mtu_bytes, nic_frame_overhead_bytes;
	sg_host_t *so_hosts; /* scale-out port hosts, dev * scaleout_ports + k */
	sg_host_t *host_index; /* every host by name: host_index_cap slots, open addressing */
	size_t host_index_cap;
	/* who is writing the message being applied (for /releases): set around msg_write */
	uint64_t cause_row; /* timeline row of the producer's record, or UINT64_MAX */
	uint32_t cause_unit, cause_sob; /* the writing unit; the SOB written (or UINT32_MAX) */
};

/* ===== time ===== */

static uint64_t now_ps(void)
{
	return (uint64_t)llround(simgrid_get_clock() * 1e12);
}

static void sleep_ps(struct sim_ctx *c, uint64_t ps)
{
	if (!ps)
		return;
	c->world->activities++;
	sg_actor_sleep_for((double)ps * 1e-12);
}

static double wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ===== failure, blocking and quiescence ===== */

static void wake_all(struct sim_ctx *c);

/* Record the first failure (its detail is the current hlsim error) and stop the run. */
static void sim_fail(struct sim_ctx *c, hlsim_err_t rc)
{
	if (!c->world->fail_rc) {
		c->world->fail_rc = rc;
		free(c->world->fail_msg);
		c->world->fail_msg = strdup(hlsim_last_error_detail());
	}
	c->world->stop = 1;
	wake_all(c);
}

static void sim_wake(struct sim_ctx *c, struct waiter *w)
{
	if (w->blocked == RUNNING)
		return;
	w->blocked = RUNNING;
	c->world->active++;
	sg_sem_release(w->sem);
}

static void quiescent(struct sim_ctx *c);

/*
 * Block the calling actor on @w. Invariant: c->world->active counts the actors that are not
 * blocked here and have not exited; when it reaches 0 nothing can ever wake anyone
 * (every pending SimGrid activity belongs to an active actor), so quiescent() decides
 * between a normal end and a deadlock, and releases everybody.
 */
static void sim_block(struct sim_ctx *c, struct waiter *w, enum blocked_on why)
{
	w->blocked = (uint8_t)why;
	c->world->active--;
	c->world->activities++;
	if (c->world->active == 0)
		quiescent(c);
	sg_sem_acquire(w->sem);
}

static void actor_exit(struct sim_ctx *c)
{
	c->world->active--;
	if (c->world->active == 0 && !c->world->stop)
		quiescent(c);
}

static void wake_dev(struct sim_ctx *c)
{
	uint32_t i;

	for (i = 0; i < c->p->num_qmans * CP_PER_QMAN; i++)
		if (c->cps[i].started)
			sim_wake(c, &c->cps[i].w);
	for (i = 0; i < c->p->num_qmans; i++) {
		struct engine *e = &c->eng[i];

		if (!e->present)
			continue;
		sim_wake(c, &e->w);
	}
	sim_wake(c, &c->host_w);
}

static void wake_all(struct sim_ctx *c)
{
	uint32_t d;

	for (d = 0; d < c->world->ndev; d++)
		wake_dev(&c->world->devs[d]);
}

static const char *cp_name(const struct sim_ctx *c, const struct cp *cp, char *buf, size_t cap)
{
	if (cp->index == LOWER_CP)
		snprintf(buf, cap, "%s lower CP", c->f->qman_name(cp->qman));
	else
		snprintf(buf, cap, "queue %s", c->f->queue_info(cp->queue_id)->name);
	return buf;
}

/* Append to @msg the blocked queues of device @c (and its host, if it is stuck). */
static size_t describe_stuck(struct sim_ctx *c, char *msg, size_t used, size_t cap)
{
	char name[64], mons[4096], dev[24] = "";
	uint32_t i;

	if (c->world->ndev > 1)
		snprintf(dev, sizeof(dev), "device %u: ", c->dev);
	for (i = 0; i < c->p->num_qmans * CP_PER_QMAN && used < cap; i++) {
		struct cp *cp = &c->cps[i];

		if (!cp->started || cp->w.blocked == ON_WORK)
			continue;
		used += (size_t)snprintf(msg + used, cap - used,
					 "\n  %s%s blocked on %s at CS seq %" PRIu64
					 ", job %u, CB byte offset 0x%x",
					 dev, cp_name(c, cp, name, sizeof(name)),
					 blocked_name[cp->w.blocked], cp->cur.cs_seq, cp->cur.job,
					 cp->cur_offset);
		if (cp->w.blocked == ON_FENCE && used < cap) {
			uint64_t addr = c->f->fence_addr(cp->qman, cp->index, cp->wait_fence_id);

			used += (size_t)snprintf(msg + used, cap - used,
						 ": fence %u is %u, needs >= %u (CP_FENCE%u_RDATA_%u at "
						 "0x%" PRIx64 ")",
						 cp->wait_fence_id, cp->fence[cp->wait_fence_id],
						 cp->wait_fence_target, cp->wait_fence_id, cp->index,
						 addr);
			if (used < cap && mdl_sm_describe_waiters(c->sm, addr, mons, sizeof(mons)) > 0)
				used += (size_t)snprintf(msg + used, cap - used, "\n%s", mons);
			else if (used < cap)
				used += (size_t)snprintf(msg + used, cap - used,
							 "\n      no armed monitor writes to that "
							 "fence");
		}
	}
	if (!c->host_done && used < cap)
		used += (size_t)snprintf(msg + used, cap - used,
					 "\n  %shost blocked on %s (CS seq %" PRIu64 "), %" PRIu64
					 " of %" PRIu64 " CSs submitted, %" PRIu64 " completed",
					 dev, blocked_name[c->host_w.blocked], c->host_wait_seq,
					 c->cs_submitted, c->ncs, c->cs_done);
	return used;
}

/* Everyone is blocked: a normal end if only idle queues remain, else a deadlock report. */
static void quiescent(struct sim_ctx *c)
{
	struct sim_world *w = c->world;
	size_t cap = 65536, used = 0;
	char *msg;
	int stuck = 0;
	uint32_t i, d;

	w->stop = 1;
	for (d = 0; d < w->ndev && !stuck; d++) {
		const struct sim_ctx *x = &w->devs[d];

		for (i = 0; i < x->p->num_qmans * CP_PER_QMAN; i++)
			if (x->cps[i].started && x->cps[i].w.blocked != ON_WORK)
				stuck = 1;
		if (!x->host_done)
			stuck = 1;
	}
	if (!stuck || w->fail_rc) {
		wake_all(c);
		return;
	}
	msg = malloc(cap);
	if (!msg) {
		hlsim_error(HLSIM_E_DEADLOCK, "every queue is blocked (no memory for the report)");
		sim_fail(c, HLSIM_E_DEADLOCK);
		return;
	}
	used += (size_t)snprintf(msg + used, cap - used,
				 "%s: every queue is blocked at simulated time %.3f us; nothing "
				 "can release them:",
				 c->trace_path, (double)now_ps() * 1e-6);
	for (d = 0; d < w->ndev && used < cap; d++)
		used = describe_stuck(&w->devs[d], msg, used, cap);
	hlsim_error(HLSIM_E_DEADLOCK, "%s", msg);
	free(msg);
	sim_fail(c, HLSIM_E_DEADLOCK);
}

/* ===== records ===== */

/* Append a timeline record; returns its row. */
static uint64_t add_rec_flops(struct sim_ctx *c, uint32_t unit, uint16_t kind, uint64_t start_ps,
			      uint64_t end_ps, uint64_t bytes, uint64_t flops, uint64_t cs_seq,
			      uint32_t job, uint32_t pkt_offset, uint16_t aux)
{
	uint64_t row = c->world->res ? hlsim_results_rows(c->world->res) : c->world->rows++;
	struct hlsim_rec r = {
		.start_ps = start_ps, .end_ps = end_ps, .bytes = bytes, .cs_seq = cs_seq,
		.flops = flops, .unit = unit, .job = job, .pkt_offset = pkt_offset, .kind = kind,
		.aux = aux,
	};
	hlsim_err_t rc;

	if (end_ps > c->world->last_ps)
		c->world->last_ps = end_ps;
	if (!c->world->res)
		return row;
	rc = hlsim_results_append(c->world->res, &r, 1);
	if (rc)
		sim_fail(c, rc);
	return row;
}

static uint64_t add_rec(struct sim_ctx *c, uint32_t unit, uint16_t kind, uint64_t start_ps,
			uint64_t end_ps, uint64_t bytes, uint64_t cs_seq, uint32_t job,
			uint32_t pkt_offset, uint16_t aux)
{
	return add_rec_flops(c, unit, kind, start_ps, end_ps, bytes, 0, cs_seq, job, pkt_offset,
			     aux);
}

/* Messages written from now on come from @unit, finishing timeline row @row (if any). */
static void set_cause(struct sim_ctx *c, uint32_t unit, uint64_t row)
{
	c->world->cause_unit = unit;
	c->world->cause_row = row;
	c->world->cause_sob = UINT32_MAX;
}

/* ===== FIFOs ===== */

/*
 * Make room for one more element in a ring of @elem-byte elements (*@v, *@head, @len,
 * *@cap): double the capacity when full, unrolling the ring to start at 0.
 */
static int ring_make_room(void **v, size_t *head, size_t len, size_t *cap, size_t elem)
{
	size_t ncap, first;
	unsigned char *nv;

	if (len < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 16;
	nv = malloc(ncap * elem);
	if (!nv)
		return -1;
	first = len && *cap - *head < len ? *cap - *head : len; /* elements before the wrap */
	if (len) {
		memcpy(nv, (unsigned char *)*v + *head * elem, first * elem);
		memcpy(nv + first * elem, *v, (len - first) * elem);
	}
	free(*v);
	*v = nv;
	*cap = ncap;
	*head = 0;
	return 0;
}

static int work_push(struct work_fifo *f, const struct work *w)
{
	if (ring_make_room((void **)&f->v, &f->head, f->len, &f->cap, sizeof(*f->v)))
		return -1;
	f->v[(f->head + f->len) % f->cap] = *w;
	f->len++;
	return 0;
}

static struct work work_pop(struct work_fifo *f)
{
	struct work w = f->v[f->head];

	f->head = (f->head + 1) % f->cap;
	f->len--;
	return w;
}

static int xfer_push(struct xfer_fifo *f, const struct xfer *x)
{
	if (ring_make_room((void **)&f->v, &f->head, f->len, &f->cap, sizeof(*f->v)))
		return -1;
	f->v[(f->head + f->len) % f->cap] = *x;
	f->len++;
	return 0;
}

/* ===== CS bookkeeping ===== */

static struct cs_slot *cs_slot_of(struct sim_ctx *c, uint64_t cs_index)
{
	struct cs_slot *s = &c->ring[cs_index % c->ring_cap];

	return s->in_use && s->cs_index == cs_index ? s : NULL;
}

static void cs_complete(struct sim_ctx *c, struct cs_slot *s)
{
	uint64_t t = now_ps();

	add_rec(c, c->host_unit, HLSIM_REC_CS, s->submit_ps, t, 0, s->seq, 0, 0, 0);
	if (c->live)
		c->live->ops->cs_done(c->live->ctx, c->dev, s->cs_index, s->seq, s->submit_ps, t);
	s->in_use = 0;
	c->cs_done++;
	while (c->oldest_inflight < c->cs_submitted && !cs_slot_of(c, c->oldest_inflight))
		c->oldest_inflight++;
	if (c->host_w.blocked == ON_CS_RING || c->host_w.blocked == ON_DRAIN ||
	    (c->host_w.blocked == ON_CS_WAIT && c->host_wait_seq == s->seq))
		sim_wake(c, &c->host_w);
}

/* ===== engines ===== */

static int cp_drained(const struct sim_ctx *c, const struct cp *cp);

/* An engine or lower CP of @qman went idle: wake the CPs waiting for it to drain. */
static void wake_barrier_waiters(struct sim_ctx *c, uint32_t qman)
{
	uint32_t i;

	for (i = 0; i < CP_PER_QMAN; i++) {
		struct cp *cp = &c->cps[qman * CP_PER_QMAN + i];

		if (cp->present && cp->w.blocked == ON_BARRIER && cp_drained(c, cp))
			sim_wake(c, &cp->w);
	}
}

static void msg_write(struct sim_ctx *c, uint64_t addr, uint32_t value);

/* ===== flows ===== */

/*
 * Every transfer (a DMA, a compute engine's memory traffic, a NIC write) is one SimGrid
 * flow from the sending actor's host to a destination host, over the route between them.
 * Not sg_host_sendto(): SimGrid 3.32 makes that a detached comm, kept in a std::list of
 * maestro's that is scanned whole when the comm ends, so every completion costs time in
 * proportion to all the host-to-host flows then in flight (measured: 28 % of a 256-device
 * all-reduce's wall time in that scan; 16 000 concurrent flows complete 7.7 x slower
 * than as mailbox comms). Instead each sender has a mailbox per destination whose
 * permanent receiver is a short-lived actor started on the destination host: a put to
 * it starts at once (a permanent receiver makes it eager) from the sender's host to the
 * receiver's, the route sendto would take, and the sender takes its own comm back with
 * a get on that private mailbox, which returns when the last byte has arrived. The
 * receiver actor only registers itself and exits (the mailbox keeps its record alive);
 * the comms are attached to the sender, so their ends cost constant time.
 */
struct flow_setup {
	const char *name;
	sg_sem_t done;
};

static void flow_receiver(int argc, char **argv)
{
	struct flow_setup *s = sg_actor_self_get_data();

	(void)argc;
	(void)argv;
	sg_mailbox_set_receiver(s->name);
	sg_sem_release(s->done);
}

/* The mailbox of @f towards @dst, made at the first transfer there; NULL if out of memory. */
static sg_mailbox_t flow_box(struct sim_world *w, struct flows *f, sg_host_t dst)
{
	struct flow_setup setup;
	char name[32];
	sg_actor_t act;
	uint32_t i;

	for (i = 0; i < f->n; i++)
		if (f->v[i].dst == dst)
			return f->v[i].mb;
	if (f->n == f->cap) {
		uint32_t cap = f->cap ? 2 * f->cap : 4;
		struct flow_box *nv = realloc(f->v, cap * sizeof(*nv));

		if (!nv)
			return NULL;
		f->v = nv;
		f->cap = cap;
	}
	snprintf(name, sizeof(name), "flow%" PRIu64, w->flow_boxes++);
	setup.name = name;
	setup.done = sg_sem_init(0);
	act = sg_actor_init(name, dst);
	sg_actor_set_data(act, &setup);
	sg_actor_start(act, flow_receiver, 0, NULL);
	sg_sem_acquire(setup.done); /* at the same simulated time */
	sg_sem_destroy(setup.done);
	f->v[f->n].dst = dst;
	f->v[f->n].mb = sg_mailbox_by_name(name);
	return f->v[f->n++].mb;
}

/* A flow under way: its mailbox and its send. */
struct flow {
	sg_mailbox_t mb;
	sg_comm_t comm;
};

static int flow_token; /* the payload of every flow: nothing is carried */

/* Start moving @bytes (> 0) from the calling actor's host to @dst. */
static hlsim_err_t flow_start(struct sim_ctx *c, struct flows *f, sg_host_t dst, uint64_t bytes,
			      struct flow *fl)
{
	fl->mb = flow_box(c->world, f, dst);
	if (!fl->mb)
		return hlsim_error(HLSIM_E_NOMEM, "device %u: the mailbox of a flow to %s",
				   c->dev, sg_host_get_name(dst));
	fl->comm = sg_mailbox_put_async(fl->mb, &flow_token, (long)bytes);
	return HLSIM_OK;
}

/* Wait until the last byte of @fl has arrived. */
static void flow_end(struct flow *fl)
{
	(void)sg_mailbox_get(fl->mb); /* the mailbox's only comm in flight: this one */
	sg_comm_unref(fl->comm);
}

/* Move @bytes (> 0) from the calling actor's host to @dst; returns when they arrived. */
static hlsim_err_t flow_send(struct sim_ctx *c, struct flows *f, sg_host_t dst, uint64_t bytes)
{
	struct flow fl = { NULL, NULL };
	hlsim_err_t rc = flow_start(c, f, dst, bytes, &fl);

	if (!rc)
		flow_end(&fl);
	return rc;
}

static void start_actor(struct sim_ctx *c, const char *name, sg_host_t host, void *data,
			void (*code)(int, char **));

/*
 * Run one compute launch: the compute as an exec on the engine's host (its speed is its
 * clock) while each memory port moves its bytes as one flow; done when all have finished.
 */
static void engine_launch_run(struct sim_ctx *c, struct engine *e, const struct mdl_work *w,
			      uint64_t per_port[SIM_PORTS])
{
	struct flow fl[SIM_PORTS] = { { NULL, NULL } };
	sg_exec_t ex = NULL;
	uint32_t i;
	int k;

	for (i = 0; i < w->num_traffic; i++) {
		const struct mdl_traffic *t = &w->traffic[i];
		enum mdl_mem_kind mk = c->f->mem_kind(t->addr);
		uint64_t bytes = t->bytes;

		if (mk == MDL_MEM_HBM && t->access_bytes && t->access_bytes < c->hbm_min_access_bytes)
			bytes = (bytes / t->access_bytes + !!(bytes % t->access_bytes)) *
				c->hbm_min_access_bytes; /* each short access costs a full one */
		if (mk == MDL_MEM_HBM)
			per_port[SIM_PORT_HBM] += bytes;
		else if (mk == MDL_MEM_SRAM)
			per_port[SIM_PORT_SRAM] += bytes;
		else if (mk == MDL_MEM_HOST)
			per_port[t->write ? SIM_PORT_HOST_WR : SIM_PORT_HOST_RD] += bytes;
	}
	for (k = 0; k < SIM_PORTS; k++) {
		if (!per_port[k])
			continue;
		c->world->activities++;
		if (flow_start(c, &e->port_fl[k], c->port_host[k], per_port[k], &fl[k])) {
			sim_fail(c, HLSIM_E_NOMEM);
			per_port[k] = 0;
		}
	}
	if (w->compute_cycles) {
		c->world->activities++;
		ex = sg_actor_exec_async((double)w->compute_cycles);
	}
	if (ex)
		sg_exec_wait(ex);
	for (k = 0; k < SIM_PORTS; k++)
		if (per_port[k])
			flow_end(&fl[k]);
}

static void engine_actor(int argc, char **argv)
{
	struct engine *e = sg_actor_self_get_data();
	struct sim_ctx *c = e->c;

	for (;;) {
		uint64_t per_port[SIM_PORTS] = { 0 };
		struct xfer x;
		uint64_t t0, t1, row;

		while (!e->q.len && !c->world->stop)
			sim_block(c, &e->w, ON_WORK);
		if (c->world->stop)
			break;
		x = e->q.v[e->q.head];
		e->busy = 1;
		t0 = now_ps();
		if (x.nic) {
			struct sim_world *w = c->world;
			uint64_t packets = (x.size_bytes + w->nic_mtu_bytes - 1) / w->nic_mtu_bytes;

			/*
			 * [I] the engine prepares a queued write (queue-pair and descriptor
			 * work) while the previous one is on the wire: only the part of
			 * nic.latency not yet elapsed since the record was queued is paid.
			 */
			if (x.nic_queued_ps + w->nic_latency_ps > t0)
				sleep_ps(c, x.nic_queued_ps + w->nic_latency_ps - t0);
			c->world->activities++;
			if (x.size_bytes &&
			    flow_send(c, &e->fl, x.nic_to,
				      x.size_bytes + packets * w->nic_frame_overhead_bytes))
				sim_fail(c, HLSIM_E_NOMEM);
		} else if (x.work) {
			engine_launch_run(c, e, x.work, per_port);
		} else if (x.size_bytes) {
			c->world->activities++;
			if (flow_send(c, &e->fl, e->path[x.src_kind][x.dst_kind], x.size_bytes))
				sim_fail(c, HLSIM_E_NOMEM);
		}
		t1 = now_ps();
		e->q.head = (e->q.head + 1) % e->q.cap;
		e->q.len--;
		e->busy = 0;
		e->busy_ps += t1 - t0;
		e->bytes += x.size_bytes;
		e->transfers++;
		if (x.work) {
			struct hlsim_launch_traffic lt = {
				.hbm_bytes = per_port[SIM_PORT_HBM],
				.sram_bytes = per_port[SIM_PORT_SRAM],
				.host_read_bytes = per_port[SIM_PORT_HOST_RD],
				.host_write_bytes = per_port[SIM_PORT_HOST_WR],
				.compute_ps = (uint64_t)llround((double)x.work->compute_cycles *
								1e12 / sg_host_get_speed(e->host)),
			};

			e->flops += x.work->flops;
			lt.row = row = add_rec_flops(c, e->unit, HLSIM_REC_LAUNCH, t0, t1,
						     x.size_bytes, x.work->flops, x.cs_seq, x.job,
						     x.pkt_offset, e->cls);
			if (c->world->res && hlsim_results_add_launch_traffic(c->world->res, &lt))
				sim_fail(c, HLSIM_E_IO);
			set_cause(c, e->unit, row);
			if (x.work->has_completion)
				msg_write(c, x.work->completion_addr, x.work->completion_data);
			free(x.work);
		} else if (x.nic) {
			row = add_rec(c, e->unit, HLSIM_REC_NIC, t0, t1, x.size_bytes, x.cs_seq,
				      x.job, x.pkt_offset, (uint16_t)x.nic_dev);
			set_cause(c, e->unit, row);
			if (x.nic_flags & HLSIM_NIC_RMSG)
				msg_write(&c->world->devs[x.nic_dev], x.nic_rmsg_addr,
					  x.nic_rmsg_value);
			if (x.nic_flags & HLSIM_NIC_LMSG)
				msg_write(c, x.nic_lmsg_addr, x.nic_lmsg_value);
		} else {
			row = add_rec(c, e->unit, HLSIM_REC_DMA, t0, t1, x.size_bytes, x.cs_seq,
				      x.job, x.pkt_offset, (uint16_t)(x.src_kind << 8 | x.dst_kind));
			set_cause(c, e->unit, row);
		}
		if (x.wr_comp)
			msg_write(c, x.wr_comp_addr, x.wr_comp_data);
		if (!e->q.len)
			wake_barrier_waiters(c, e->qman);
	}
	actor_exit(c);
}

/* ===== messages, fences ===== */

static void fence_inc(struct sim_ctx *c, struct cp *cp, uint8_t id, uint32_t value)
{
	cp->fence[id] += value;
	cp->rel_ps = now_ps();
	cp->rel_row = c->world->cause_row;
	cp->rel_unit = c->world->cause_unit;
	cp->rel_sob = c->world->cause_sob;
	if (cp->w.blocked == ON_FENCE && cp->wait_fence_id == id &&
	    cp->fence[id] >= cp->wait_fence_target)
		sim_wake(c, &cp->w);
}

/* A CQ write: the current job of external queue @queue_id is complete. */
static void job_complete(struct sim_ctx *c, uint32_t queue_id)
{
	const struct mdl_queue_info *qi = c->f->queue_info(queue_id);
	struct cp *cp;
	struct cs_slot *s;

	if (!qi || qi->kind == MDL_QUEUE_NA)
		return;
	cp = &c->cps[c->f->qman_of_queue(queue_id) * CP_PER_QMAN + qi->stream];
	if (!cp->present || !cp->busy || !cp->cur.external)
		return; /* a CQ write outside a job: nothing to complete */
	s = cs_slot_of(c, cp->cur.cs_index);
	if (s && s->ext_pending && --s->ext_pending == 0)
		cs_complete(c, s);
	cp->cur.external = 0; /* one completion per job */
}

static void msg_write(struct sim_ctx *c, uint64_t addr, uint32_t value)
{
	struct mdl_target t;

	c->f->classify_target(addr, &t);
	switch ((enum mdl_target_kind)t.kind) {
	case MDL_TARGET_SOB: {
		uint32_t prev = c->world->cause_sob;

		c->world->cause_sob = (uint32_t)t.block << 16 | (t.index & 0xFFFFu);
		mdl_sm_write(c->sm, &t, value);
		c->world->cause_sob = prev;
		break;
	}
	case MDL_TARGET_MON_PAY_ADDRL:
	case MDL_TARGET_MON_PAY_ADDRH:
	case MDL_TARGET_MON_PAY_DATA:
	case MDL_TARGET_MON_ARM:
		mdl_sm_write(c->sm, &t, value);
		break;
	case MDL_TARGET_FENCE:
		if (t.qman < c->p->num_qmans && t.cp < CP_PER_QMAN && t.fence_id < 4) {
			struct cp *cp = &c->cps[t.qman * CP_PER_QMAN + t.cp];

			if (cp->present)
				fence_inc(c, cp, t.fence_id, value);
			else
				cp->fence[t.fence_id] += value;
		}
		break;
	case MDL_TARGET_CQ:
		job_complete(c, t.qman);
		break;
	case MDL_TARGET_MSI:
	case MDL_TARGET_NONE:
		break; /* memory or a register the model ignores */
	}
}

static void sm_payload(void *ctx, uint64_t addr, uint32_t data)
{
	msg_write(ctx, addr, data);
}

/* ===== command processors ===== */

/*
 * Pay the CP's pending time with one sleep. If its QMAN's engine has nothing to do
 * meanwhile, that engine is starved by its command processor for the part of the sleep
 * no other CP of the QMAN already covered, split between CB fetch and packets in the
 * proportion of the pending time.
 */
static void cp_pay(struct cp *cp)
{
	struct sim_ctx *c = cp->c;
	struct engine *e = &c->eng[cp->qman];
	uint64_t ps = cp->pending_ps, fetch = cp->pending_fetch_ps;

	cp->pending_ps = cp->pending_fetch_ps = 0;
	if (ps && e->present && !e->busy && !e->q.len) {
		uint64_t t = now_ps(), from = t > e->starved_until_ps ? t : e->starved_until_ps;

		if (t + ps > from) {
			uint64_t add = t + ps - from;
			uint64_t f = (uint64_t)((double)add * (double)(fetch < ps ? fetch : ps) /
						(double)ps);

			e->starved_fetch_ps += f;
			e->starved_packet_ps += add - f;
			e->starved_until_ps = t + ps;
		}
	}
	sleep_ps(c, ps);
}

static int cp_drained(const struct sim_ctx *c, const struct cp *cp)
{
	const struct engine *e = &c->eng[cp->qman];
	const struct cp *lower = &c->cps[cp->qman * CP_PER_QMAN + LOWER_CP];

	if (e->present && (e->q.len || e->busy))
		return 0;
	if (cp->index != LOWER_CP && lower->present && (lower->q.len || lower->busy))
		return 0;
	return 1;
}

static void cp_barrier(struct sim_ctx *c, struct cp *cp)
{
	uint64_t t0;

	cp_pay(cp);
	if (cp_drained(c, cp))
		return;
	t0 = now_ps();
	while (!cp_drained(c, cp) && !c->world->stop)
		sim_block(c, &cp->w, ON_BARRIER);
	cp->barrier_wait_ps += now_ps() - t0;
	add_rec(c, cp->unit, HLSIM_REC_BARRIER_WAIT, t0, now_ps(), 0, cp->cur.cs_seq, cp->cur.job,
		cp->cur_offset, 0);
}

static void cp_fence(struct sim_ctx *c, struct cp *cp, const struct hlsim_cmd *cmd)
{
	uint8_t id = cmd->u.fence.id;
	uint64_t t0;

	cp_pay(cp);
	if (cp->fence[id] < cmd->u.fence.target) {
		t0 = now_ps();
		cp->wait_fence_id = id;
		cp->wait_fence_target = cmd->u.fence.target;
		while (cp->fence[id] < cmd->u.fence.target && !c->world->stop)
			sim_block(c, &cp->w, ON_FENCE);
		if (c->world->stop)
			return;
		sleep_ps(c, c->msg_latency_ps);
		cp->fence_wait_ps += now_ps() - t0;
		{
			struct hlsim_release rel = {
				.wait_row = add_rec(c, cp->unit, HLSIM_REC_FENCE_WAIT, t0, now_ps(),
						    0, cp->cur.cs_seq, cp->cur.job,
						    cp->cur_offset, id),
				.signal_ps = cp->rel_ps, .producer_row = cp->rel_row,
				.producer_unit = cp->rel_unit, .sob = cp->rel_sob,
			};
			hlsim_err_t rc = c->world->res ? hlsim_results_add_release(c->world->res, &rel)
						       : HLSIM_OK;

			if (rc)
				sim_fail(c, rc);
		}
	}
	cp->fence[id] = cp->fence[id] >= cmd->u.fence.dec ? cp->fence[id] - cmd->u.fence.dec : 0;
}

static hlsim_err_t cp_error(struct sim_ctx *c, struct cp *cp, hlsim_err_t rc)
{
	char name[64], dev[24] = "";

	if (c->world->ndev > 1)
		snprintf(dev, sizeof(dev), "device %u, ", c->dev);
	return hlsim_error_prefix(rc, "%s: %sCS seq %" PRIu64 " (row %" PRIu64 "), job %u on %s: ",
				  c->trace_path, dev, cp->cur.cs_seq, cp->cur.cs_index, cp->cur.job,
				  cp_name(c, cp, name, sizeof(name)));
}

/*
 * Bytes a DMA COMMIT moves: linear (lin=1) DST_TSIZE_0 bytes; strided (lin=0) the
 * destination box DST_TSIZE_0 bytes x DST_TSIZE_1..4 rows, a size of 0 counting as 1
 * [I: the register layout is public, the exact strided semantics are not; strides only
 * place the rows, so they do not change the bytes moved].
 */
static uint64_t commit_bytes(const struct sim_ctx *c, const uint32_t *regs, uint32_t commit)
{
	uint64_t n = regs[c->p->dma_dst_tsize_0 / 4];
	int k;

	if (commit & c->p->dma_commit_lin)
		return n;
	for (k = 1; k <= 4; k++) {
		uint32_t t = regs[c->p->dma_dst_tsize_k[k - 1] / 4];

		n *= t ? t : 1;
	}
	return n;
}

static void cp_actor(int argc, char **argv);

/* Start the actor of CP @cp (a lower CP's at the first CP_DMA that feeds it). */
static void start_cp(struct sim_ctx *c, struct cp *cp)
{
	char name[96];

	cp->w.sem = sg_sem_init(0);
	cp->started = 1;
	start_actor(c, cp_name(c, cp, name, sizeof(name)), c->host, cp, cp_actor);
}

/* Queue a transfer on the QMAN's DMA engine. */
static hlsim_err_t cp_dma(struct sim_ctx *c, struct cp *cp, uint64_t src, uint64_t dst,
			  uint64_t size, int memset, int wr_comp)
{
	static const uint32_t no_regs[REGFILE_BYTES / 4]; /* never written: all zero */
	struct engine *e = &c->eng[cp->qman];
	const uint32_t *regs = c->regs[cp->qman] ? c->regs[cp->qman] : no_regs;
	struct xfer x = { 0 };
	enum mdl_mem_kind sk = memset ? MDL_MEM_UNKNOWN : c->f->mem_kind(src);
	enum mdl_mem_kind dk = c->f->mem_kind(dst);

	if (!e->present)
		return hlsim_error(HLSIM_E_UNSUPPORTED,
				   "byte offset 0x%x: DMA on %s: only DMA engines move data in "
				   "this model",
				   cp->cur_offset, c->f->qman_name(cp->qman));
	if (!memset && sk != MDL_MEM_HBM && sk != MDL_MEM_SRAM && sk != MDL_MEM_HOST)
		return hlsim_error(HLSIM_E_SIM,
				   "byte offset 0x%x: DMA source 0x%" PRIx64
				   " is in no memory (%s)",
				   cp->cur_offset, src, mdl_mem_kind_name(sk));
	if (dk != MDL_MEM_HBM && dk != MDL_MEM_SRAM && dk != MDL_MEM_HOST)
		return hlsim_error(HLSIM_E_SIM,
				   "byte offset 0x%x: DMA destination 0x%" PRIx64
				   " is in no memory (%s)",
				   cp->cur_offset, dst, mdl_mem_kind_name(dk));
	cp_pay(cp);
	x.src = src;
	x.dst = dst;
	x.size_bytes = size;
	x.src_kind = memset ? SIM_SRC_FILL : (uint8_t)sk;
	x.dst_kind = (uint8_t)dk;
	x.wr_comp = (uint8_t)wr_comp;
	x.wr_comp_addr = (uint64_t)regs[c->p->dma_wr_comp_addr_hi / 4] << 32 |
			 regs[c->p->dma_wr_comp_addr_lo / 4];
	x.wr_comp_data = regs[c->p->dma_wr_comp_wdata / 4];
	x.cs_seq = cp->cur.cs_seq;
	x.job = cp->cur.job;
	x.pkt_offset = cp->cur_offset;
	if (xfer_push(&e->q, &x))
		return hlsim_error(HLSIM_E_NOMEM, "DMA queue of %s", c->f->qman_name(cp->qman));
	sim_wake(c, &e->w);
	return HLSIM_OK;
}

/*
 * hlsim's NIC record: queue an RDMA write on the NIC engine behind @cp, which sends it
 * out of the port it drives (models/common/net.h); that port must reach the destination.
 */
static hlsim_err_t cp_nic(struct sim_ctx *c, struct cp *cp, const struct hlsim_cmd *cmd)
{
	struct sim_world *w = c->world;
	struct engine *e = &c->eng[cp->qman];
	struct mdl_net_port_end end;
	uint32_t dst = cmd->u.nic.dst_device;
	struct xfer x = { 0 };

	if (!e->present || e->cls != MDL_ENGINE_NIC)
		return hlsim_error(HLSIM_E_TRACE_FORMAT,
				   "byte offset 0x%x: an HLSIM_NIC record on %s, which is not a "
				   "NIC queue",
				   cp->cur_offset, c->f->qman_name(cp->qman));
	if (dst >= w->ndev || dst == c->dev)
		return hlsim_error(HLSIM_E_TRACE_FORMAT,
				   "byte offset 0x%x: HLSIM_NIC record to device %u; the trace has "
				   "devices 0..%u and this is device %u",
				   cp->cur_offset, dst, w->ndev - 1, c->dev);
	if (!mdl_net_port_reaches(&w->topo, c->dev, e->nic_port, dst))
		return hlsim_error(HLSIM_E_TRACE_FORMAT,
				   "byte offset 0x%x: HLSIM_NIC record to device %u on %s, whose "
				   "port %u does not reach it (box.cards %u, box.ports_per_peer %u, "
				   "box.scaleout_ports %u; models/common/net.h)",
				   cp->cur_offset, dst, c->f->qman_name(cp->qman), e->nic_port,
				   w->topo.cards, w->topo.ports_per_peer, w->topo.scaleout_ports);
	mdl_net_port(&w->topo, c->dev, e->nic_port, &end);
	if (end.kind == MDL_NET_PORT_SCALEUP)
		x.nic_to = e->nic_peer; /* the cable's far end, fixed */
	else if (w->so_hosts) /* scale-out port k lands on port k of @dst (one rail per k) */
		x.nic_to = w->so_hosts[(size_t)dst * w->topo.scaleout_ports + e->nic_port -
				       mdl_net_first_scaleout_port(&w->topo)];
	if (!x.nic_to)
		return hlsim_error(HLSIM_E_SIM, "byte offset 0x%x: no platform host for the far "
				   "end of port %u", cp->cur_offset, e->nic_port);
	cp_pay(cp);
	x.nic = 1;
	x.nic_queued_ps = now_ps();
	x.nic_flags = cmd->u.nic.flags;
	x.nic_dev = dst;
	x.nic_rmsg_addr = cmd->u.nic.rmsg_addr;
	x.nic_rmsg_value = cmd->u.nic.rmsg_value;
	x.nic_lmsg_addr = cmd->u.nic.lmsg_addr;
	x.nic_lmsg_value = cmd->u.nic.lmsg_value;
	x.src = cmd->u.nic.src_addr;
	x.dst = cmd->u.nic.dst_addr;
	x.size_bytes = cmd->u.nic.size_bytes;
	x.cs_seq = cp->cur.cs_seq;
	x.job = cp->cur.job;
	x.pkt_offset = cp->cur_offset;
	if (xfer_push(&e->q, &x))
		return hlsim_error(HLSIM_E_NOMEM, "NIC queue of %s", c->f->qman_name(cp->qman));
	sim_wake(c, &e->w);
	return HLSIM_OK;
}

/* The cost hint of the job @cp runs, if its CS's annotations gave one. */
static const struct mdl_cost_hint *cs_hint(const struct sim_ctx *c, const struct cp *cp)
{
	const struct cs_slot *s = &c->ring[cp->cur.cs_index % c->ring_cap];
	const struct mdl_cost_hint *any = NULL;
	uint32_t i;

	if (s->cs_index != cp->cur.cs_index)
		return NULL;
	for (i = 0; i < s->nhints; i++) {
		if (s->hints[i].queue_id == cp->cur.queue_id)
			return &s->hints[i].hint;
		if (s->hints[i].queue_id == UINT32_MAX)
			any = &s->hints[i].hint;
	}
	return any;
}

/* A write to a compute engine's launch register: ask the timing model, queue the work. */
static hlsim_err_t cp_launch(struct sim_ctx *c, struct cp *cp, enum mdl_engine_class cls,
			     const uint32_t *regs, uint32_t off)
{
	struct engine *e = &c->eng[cp->qman];
	struct xfer x = { 0 };
	struct mdl_work *w;
	uint32_t i;
	hlsim_err_t rc;

	if (!c->f->engine_launch || !e->present || !e->compute)
		return hlsim_error(HLSIM_E_UNSUPPORTED,
				   "byte offset 0x%x: %s launch (WREG to %s) is not modelled on %s",
				   cp->cur_offset, mdl_engine_class_name(cls),
				   c->f->reg_name && c->f->reg_name(cls, off) ? c->f->reg_name(cls, off)
									       : "launch register",
				   c->p->asic_name);
	w = calloc(1, sizeof(*w));
	if (!w)
		return hlsim_error(HLSIM_E_NOMEM, "engine launch");
	rc = c->f->engine_launch(cls, regs, &c->ec, cs_hint(c, cp), w);
	if (rc) {
		free(w);
		return hlsim_error_prefix(rc, "byte offset 0x%x: %s launch: ", cp->cur_offset,
					  c->f->qman_name(cp->qman));
	}
	for (i = 0; i < w->num_traffic; i++) {
		enum mdl_mem_kind mk = c->f->mem_kind(w->traffic[i].addr);

		if (mk != MDL_MEM_HBM && mk != MDL_MEM_SRAM && mk != MDL_MEM_HOST) {
			rc = hlsim_error(HLSIM_E_SIM,
					 "byte offset 0x%x: %s launch touches 0x%" PRIx64
					 " (%" PRIu64 " bytes), which is in no memory",
					 cp->cur_offset, c->f->qman_name(cp->qman),
					 w->traffic[i].addr, w->traffic[i].bytes);
			free(w);
			return rc;
		}
		x.size_bytes += w->traffic[i].bytes;
	}
	cp_pay(cp);
	x.work = w;
	x.cs_seq = cp->cur.cs_seq;
	x.job = cp->cur.job;
	x.pkt_offset = cp->cur_offset;
	if (xfer_push(&e->q, &x)) {
		free(w);
		return hlsim_error(HLSIM_E_NOMEM, "launch queue of %s", c->f->qman_name(cp->qman));
	}
	sim_wake(c, &e->w);
	return HLSIM_OK;
}

static hlsim_err_t cp_wreg(struct sim_ctx *c, struct cp *cp, const struct hlsim_cmd *cmd)
{
	const struct mdl_queue_info *qi = c->f->queue_info(cp->queue_id);
	uint32_t *regs;
	uint32_t i, off = cmd->u.wreg.reg_offset;
	enum mdl_engine_class cls = (enum mdl_engine_class)qi->engine_class;
	uint32_t launch = c->p->launch_reg[cls];

	if (off % 4 || (uint64_t)off + 4ull * cmd->u.wreg.count > REGFILE_BYTES)
		return hlsim_error(HLSIM_E_SIM,
				   "byte offset 0x%x: register write at 0x%x (x%u) is outside the "
				   "engine block",
				   cp->cur_offset, off, cmd->u.wreg.count);
	/* a QMAN's register file exists from its first register write (most never get one) */
	if (!c->regs[cp->qman]) {
		c->regs[cp->qman] = mdl_zmap(REGFILE_BYTES);
		if (!c->regs[cp->qman])
			return hlsim_error(HLSIM_E_NOMEM, "registers of %s",
					   c->f->qman_name(cp->qman));
	}
	regs = c->regs[cp->qman];
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

			if (commit & c->p->dma_commit_unmodelled)
				return hlsim_error(HLSIM_E_UNSUPPORTED,
						   "byte offset 0x%x: DMA COMMIT 0x%08x asks for a "
						   "transpose, data-type or compression mode (bits 0x%x), "
						   "which the model does not time (a strided copy is timed: "
						   "express a transpose with strides)",
						   cp->cur_offset, commit,
						   commit & c->p->dma_commit_unmodelled);

			src = (uint64_t)regs[c->p->dma_src_base_hi / 4] << 32 |
			      regs[c->p->dma_src_base_lo / 4];
			dst = (uint64_t)(regs[c->p->dma_dst_base_hi / 4] &
					 c->p->dma_dst_base_hi_mask) << 32 |
			      regs[c->p->dma_dst_base_lo / 4];
			return cp_dma(c, cp, src, dst, commit_bytes(c, regs, commit),
				      !!(commit & c->p->dma_commit_memset),
				      !!(commit & c->p->dma_commit_wr_comp));
		}
		return cp_launch(c, cp, cls, regs, off);
	}
	return HLSIM_OK;
}

/* Execute the packets of @cb (@size bytes). */
static hlsim_err_t cp_exec(struct sim_ctx *c, struct cp *cp, const uint8_t *cb, size_t size)
{
	struct hlsim_cmd cmd;
	hlsim_err_t rc;
	size_t off = 0;

	while (off < size && !c->world->stop) {
		rc = c->f->decode(cb, size, off, &cmd);
		if (rc)
			return rc;
		cp->cur_offset = (uint32_t)off;
		cp->packets++;
		c->world->packets++;
		cp->pending_ps += c->packet_ps;
		if (cmd.eb)
			cp_barrier(c, cp);
		switch ((enum hlsim_cmd_kind)cmd.kind) {
		case HLSIM_CMD_NOP:
		case HLSIM_CMD_ARB_POINT:
		case HLSIM_CMD_LOAD_AND_EXE:
			break;
		case HLSIM_CMD_WREG:
			rc = cp_wreg(c, cp, &cmd);
			break;
		case HLSIM_CMD_MSG: {
			uint64_t addr = cmd.u.msg.addr;

			if (cmd.u.msg.is_short) {
				uint64_t base = c->f->msg_base_addr(cp->qman, cmd.u.msg.base);

				if (!base) {
					rc = hlsim_error(HLSIM_E_SIM,
							 "byte offset 0x%zx: MSG_SHORT uses base %u, "
							 "which the driver does not program on %s",
							 off, cmd.u.msg.base,
							 c->f->qman_name(cp->qman));
					break;
				}
				addr += base;
			}
			if (cmd.u.msg.dw) {
				rc = hlsim_error(HLSIM_E_UNSUPPORTED,
						 "byte offset 0x%zx: MSG_SHORT with dw=1 is not "
						 "modelled (its meaning is not public)",
						 off);
				break;
			}
			cp_pay(cp);
			if (cmd.u.msg.op == HLSIM_MSG_WRITE_VALUE) {
				set_cause(c, cp->unit, UINT64_MAX);
				msg_write(c, addr, cmd.u.msg.value);
			}
			break;
		}
		case HLSIM_CMD_CB_CALL: {
			struct cp *lower = &c->cps[cp->qman * CP_PER_QMAN + LOWER_CP];
			struct work w = cp->cur;

			if (cp->index == LOWER_CP || !lower->present) {
				rc = hlsim_error(HLSIM_E_SIM,
						 "byte offset 0x%zx: CP_DMA on a CP with no lower CP "
						 "to feed (the driver forbids it here)",
						 off);
				break;
			}
			cp->pending_ps += c->handoff_ps;
			cp_pay(cp);
			if (!lower->started)
				start_cp(c, lower);
			w.blob_id = HLSIM_TRACE_NO_BLOB;
			w.addr = cmd.u.cb_call.addr;
			w.size_bytes = cmd.u.cb_call.size_bytes;
			w.external = 0;
			w.cb_mem = (uint8_t)c->f->mem_kind(w.addr);
			if (work_push(&lower->q, &w)) {
				rc = hlsim_error(HLSIM_E_NOMEM, "lower CP queue");
				break;
			}
			sim_wake(c, &lower->w);
			break;
		}
		case HLSIM_CMD_FENCE:
			cp_fence(c, cp, &cmd);
			break;
		case HLSIM_CMD_DMA:
			if (cmd.u.dma.flags & (HLSIM_DMA_TRANSPOSE | HLSIM_DMA_DTYPE | HLSIM_DMA_COMPRESS |
					       HLSIM_DMA_DECOMPRESS | HLSIM_DMA_BF16 | HLSIM_DMA_FP16 |
					       HLSIM_DMA_CTX_ID_INC | HLSIM_DMA_ADD_OFFSET_0)) {
				rc = hlsim_error(HLSIM_E_UNSUPPORTED,
						 "byte offset 0x%zx: LIN_DMA flags 0x%x (transpose, "
						 "compression, data-type or address-increment modes) "
						 "are not modelled",
						 off, cmd.u.dma.flags);
				break;
			}
			rc = cp_dma(c, cp, cmd.u.dma.src_addr, cmd.u.dma.dst_addr,
				    cmd.u.dma.size_bytes, !!(cmd.u.dma.flags & HLSIM_DMA_MEMSET),
				    !!(cmd.u.dma.flags & HLSIM_DMA_WR_COMP));
			break;
		case HLSIM_CMD_STOP:
			cp_pay(cp);
			return HLSIM_OK;
		case HLSIM_CMD_WAIT: {
			uint64_t t0;

			cp_pay(cp);
			t0 = now_ps();
			sleep_ps(c, cmd.u.wait.cycles * c->cycle_ps);
			add_rec(c, cp->unit, HLSIM_REC_WAIT_TIME, t0, now_ps(), 0, cp->cur.cs_seq,
				cp->cur.job, cp->cur_offset, cmd.u.wait.id);
			set_cause(c, cp->unit, UINT64_MAX);
			fence_inc(c, cp, cmd.u.wait.id & 3, cmd.u.wait.inc);
			break;
		}
		case HLSIM_CMD_REPEAT:
			rc = hlsim_error(HLSIM_E_UNSUPPORTED,
					 "byte offset 0x%zx: REPEAT is not modelled (its semantics "
					 "are not public)",
					 off);
			break;
		case HLSIM_CMD_CB_LIST:
		case HLSIM_CMD_WREG64:
		case HLSIM_CMD_ARC_STREAM:
		case HLSIM_CMD_WREG_REG:
			rc = hlsim_error(HLSIM_E_UNSUPPORTED,
					 "byte offset 0x%zx: %s is not modelled yet (it reads CP "
					 "registers or ARC state the model does not keep)",
					 off,
					 c->f->opcode_name(cmd.opcode) ? c->f->opcode_name(cmd.opcode)
								       : "packet");
			break;
		case HLSIM_CMD_NIC:
			rc = cp_nic(c, cp, &cmd);
			break;
		case HLSIM_CMD_KIND_COUNT_:
			rc = hlsim_error(HLSIM_E_DECODE, "byte offset 0x%zx: bad command", off);
			break;
		}
		if (rc)
			return rc;
		off += cmd.size_bytes;
	}
	cp_pay(cp);
	return HLSIM_OK;
}

/* Fetch the bytes of @w: its snapshot, or device memory as the trace rebuilt it. */
static hlsim_err_t work_bytes(struct sim_ctx *c, const struct work *w,
			      const struct hlsim_blob **blob, const uint8_t **bytes)
{
	struct hlsim_trace_mem img;
	uint64_t off = 0, id = w->blob_id;
	hlsim_err_t rc;

	if (id == HLSIM_TRACE_NO_BLOB) {
		rc = c->live ? c->live->ops->mem_find(c->live->ctx, c->dev, w->addr, w->size_bytes,
						      w->cs_index, &img, &off)
			     : hlsim_trace_mem_find(c->trace, c->dev, w->addr, w->size_bytes,
						    w->cs_index, &img, &off);
		if (rc)
			return hlsim_error_prefix(rc, "CB of %u bytes at 0x%" PRIx64 ": ",
						  w->size_bytes, w->addr);
		id = img.blob_id;
	}
	rc = c->live ? c->live->ops->blob_get(c->live->ctx, c->dev, id, blob)
		     : hlsim_trace_blob_get(c->trace, c->dev, id, blob);
	if (rc)
		return rc;
	if (off + w->size_bytes > (*blob)->size) {
		if (!c->live)
			hlsim_trace_blob_put(c->trace, *blob);
		return hlsim_error(HLSIM_E_TRACE_FORMAT,
				   "CB size %u exceeds its %zu snapshotted bytes", w->size_bytes,
				   (size_t)((*blob)->size - off));
	}
	*bytes = (*blob)->bytes + off;
	return HLSIM_OK;
}

static void cp_actor(int argc, char **argv)
{
	struct cp *cp = sg_actor_self_get_data();
	struct sim_ctx *c = cp->c;
	hlsim_err_t rc;

	for (;;) {
		const struct hlsim_blob *blob = NULL;
		const uint8_t *bytes = NULL;
		uint64_t t0, waits0;
		struct cs_slot *s;

		while (!cp->q.len && !c->world->stop)
			sim_block(c, &cp->w, ON_WORK);
		if (c->world->stop)
			break;
		cp->cur = work_pop(&cp->q);
		cp->cur_offset = 0;
		cp->busy = 1;
		t0 = now_ps();
		/* the CP fetches the CB from where it lives: PCIe for host memory [I] */
		{
			uint64_t fetch = c->fetch_latency_ps[cp->cur.cb_mem] +
					 (uint64_t)llround(c->fetch_ps_per_byte[cp->cur.cb_mem] *
							   (double)cp->cur.size_bytes);

			cp->pending_ps += fetch;
			cp->pending_fetch_ps += fetch;
		}
		waits0 = cp->fence_wait_ps + cp->barrier_wait_ps;
		rc = work_bytes(c, &cp->cur, &blob, &bytes);
		if (!rc)
			rc = cp_exec(c, cp, bytes, cp->cur.size_bytes);
		if (blob && !c->live) /* a live run's blobs live as long as the run */
			hlsim_trace_blob_put(c->trace, blob);
		if (!rc && cp->cur.external && !c->world->stop) {
			size_t n = 0;

			if (!cp->epilogue)
				cp->epilogue = malloc(EPILOGUE_CAP);
			if (cp->epilogue)
				n = c->f->ext_job_epilogue(cp->queue_id, cp->cur.job,
							   cp->cur.size_bytes, cp->epilogue,
							   EPILOGUE_CAP);
			else
				rc = hlsim_error(HLSIM_E_NOMEM, "driver epilogue");
			if (!rc)
				rc = cp_exec(c, cp, cp->epilogue, n);
		}
		if (rc) {
			sim_fail(c, cp_error(c, cp, rc));
			break;
		}
		if (c->world->stop)
			break;
		cp->busy = 0;
		cp->jobs++;
		cp->busy_ps += now_ps() - t0 - (cp->fence_wait_ps + cp->barrier_wait_ps - waits0);
		add_rec(c, cp->unit, cp->index == LOWER_CP ? HLSIM_REC_CB : HLSIM_REC_JOB, t0,
			now_ps(), cp->cur.size_bytes, cp->cur.cs_seq, cp->cur.job, 0, 0);
		if (cp->index == LOWER_CP) {
			if (!cp->q.len)
				wake_barrier_waiters(c, cp->qman);
		} else {
			s = cs_slot_of(c, cp->cur.cs_index);
			if (s && s->jobs_pending && --s->jobs_pending == 0 && !s->has_ext)
				cs_complete(c, s);
		}
	}
	actor_exit(c);
}

/* ===== host ===== */

static void host_progress(struct sim_ctx *c, uint64_t i)
{
	double t;

	if (!c->progress || (i & 255))
		return;
	t = wall_now();
	if (t - c->world->last_progress < 0.5)
		return;
	c->world->last_progress = t;
	fprintf(stderr, "\r[hlsim] CS %" PRIu64 "/%" PRIu64 ", simulated %.3f us, %.1f s wall", i,
		c->ncs, (double)now_ps() * 1e-6, t - c->world->wall_start);
}

#define CS_STAGED 0x40u /* HL_CS_FLAGS_STAGED_SUBMISSION */
#define CS_STAGED_LAST 0x100u /* HL_CS_FLAGS_STAGED_SUBMISSION_LAST */

/* Block until the CS of row @i completes, if it is in flight. */
static void host_wait_row(struct sim_ctx *c, uint64_t i)
{
	struct cs_slot *s;

	while ((s = cs_slot_of(c, i)) && !c->world->stop) {
		c->host_wait_seq = s->seq;
		sim_block(c, &c->host_w, ON_CS_WAIT);
	}
}

/*
 * Block until CS @seq completes (if it is in flight). A part of a staged submission
 * completes with its chain: the driver releases every part's fence when the LAST part
 * completes (cs_do_release, staged_cs_put), so a wait on a part waits for the staged
 * parts submitted after it up to the LAST one too. The ring keeps the rows since the
 * oldest in flight (a slot is reused only MAX_PENDING_CS rows later), so their flags are
 * still there when they have completed.
 */
static void host_wait_seq(struct sim_ctx *c, uint64_t seq)
{
	const struct cs_slot *s = NULL;
	uint64_t i, first;

	for (i = c->oldest_inflight; i < c->cs_submitted; i++) {
		s = cs_slot_of(c, i);
		if (s && s->seq == seq)
			break;
	}
	if (i == c->cs_submitted)
		return;
	first = i;
	host_wait_row(c, first);
	if (!(s->flags & CS_STAGED) || (s->flags & CS_STAGED_LAST))
		return;
	for (i = first + 1; i < c->cs_submitted && !c->world->stop; i++) {
		const struct cs_slot *p = &c->ring[i % c->ring_cap];

		if (p->cs_index != i || !(p->flags & CS_STAGED))
			continue;
		host_wait_row(c, i);
		if (p->flags & CS_STAGED_LAST)
			break;
	}
}

/* Collect the cost hints annotated on CS @seq (annotations come in CS order). */
static hlsim_err_t host_hints(struct sim_ctx *c, uint64_t seq, struct cs_slot *s)
{
	struct hlsim_trace_annotation a;
	hlsim_err_t rc;

	while (c->ann_next < c->ann_count) {
		struct hint_entry *h;

		rc = hlsim_trace_read_annotation(c->trace, c->dev, c->ann_next, &a);
		if (rc)
			return rc;
		if (a.cs_seq > seq)
			break;
		c->ann_next++;
		if (a.cs_seq < seq || strcmp(a.key, "cost_hint") != 0)
			continue;
		h = realloc(s->hints, (s->nhints + 1) * sizeof(*h));
		if (!h)
			return hlsim_error(HLSIM_E_NOMEM, "cost hints");
		s->hints = h;
		h = &s->hints[s->nhints];
		memset(h, 0, sizeof(*h));
		h->queue_id = a.queue_id;
		rc = mdl_cost_hint_parse(a.value, &h->hint);
		if (rc)
			return hlsim_error_prefix(rc, "%s: annotation row %" PRIu64
						  " (CS seq %" PRIu64 ", key cost_hint): ",
						  c->trace_path, c->ann_next - 1, a.cs_seq);
		s->nhints++;
	}
	return HLSIM_OK;
}

/* Submit CS row @i at @t_submit; its jobs are @jobs, or read from the trace if NULL. */
static hlsim_err_t host_submit(struct sim_ctx *c, uint64_t i, const struct hlsim_trace_cs *cs,
			       const struct hlsim_trace_job *jobs, uint64_t t_submit)
{
	struct cs_slot *s = &c->ring[i % c->ring_cap];
	uint32_t j;
	hlsim_err_t rc;

	while (s->in_use && !c->world->stop) {
		c->host_wait_seq = s->seq;
		sim_block(c, &c->host_w, ON_CS_RING);
	}
	if (c->world->stop)
		return HLSIM_OK;
	free(s->hints);
	memset(s, 0, sizeof(*s));
	rc = host_hints(c, cs->seq, s);
	if (rc)
		return rc;
	s->cs_index = i;
	s->seq = cs->seq;
	s->flags = cs->flags;
	s->submit_ps = t_submit;
	s->in_use = 1;
	c->cs_submitted = i + 1;
	for (j = 0; j < cs->num_jobs; j++) {
		struct hlsim_trace_job job;
		const struct mdl_queue_info *qi;
		struct cp *cp;
		struct work w;

		if (jobs)
			job = jobs[j];
		else
			rc = hlsim_trace_read_job(c->trace, c->dev, cs->first_job + j, &job);
		if (rc)
			return rc;
		if (job.phase == HLSIM_PHASE_RESTORE && i != 0 && !(cs->flags & 0x1))
			continue; /* restore jobs run on a context switch only (FORCE_RESTORE = 0x1) */
		qi = c->f->queue_info(job.queue_id);
		if (!qi || qi->kind == MDL_QUEUE_NA || qi->kind == MDL_QUEUE_CPU)
			return hlsim_error(HLSIM_E_TRACE_FORMAT,
					   "%s: CS seq %" PRIu64 " (row %" PRIu64
					   "), job %u: queue id %u is not a user queue of %s",
					   c->trace_path, cs->seq, i, j, job.queue_id,
					   c->p->asic_name);
		cp = &c->cps[c->f->qman_of_queue(job.queue_id) * CP_PER_QMAN + qi->stream];
		if (!cp->present)
			return hlsim_error(HLSIM_E_TRACE_FORMAT,
					   "%s: CS seq %" PRIu64 " (row %" PRIu64
					   "), job %u: queue %s is not simulated in this run",
					   c->trace_path, cs->seq, i, j, qi->name);
		w.cs_index = i;
		w.cs_seq = cs->seq;
		w.blob_id = job.blob_id;
		w.addr = job.cb_handle;
		w.size_bytes = job.cb_size;
		w.job = j;
		w.queue_id = job.queue_id;
		w.external = qi->kind == MDL_QUEUE_EXT || qi->kind == MDL_QUEUE_HW;
		/* a kernel CB (a handle, not a device address) lives in host memory */
		w.cb_mem = (uint8_t)(w.external && !(job.chunk_flags & 0x1) /* USER_ALLOC_CB */
					     ? MDL_MEM_HOST
					     : c->f->mem_kind(job.cb_handle));
		if (w.external) {
			s->has_ext = 1;
			s->ext_pending++;
		}
		s->jobs_pending++;
		if (work_push(&cp->q, &w))
			return hlsim_error(HLSIM_E_NOMEM, "queue %s", qi->name);
		sim_wake(c, &cp->w);
		c->njobs_submitted++;
	}
	if (!s->jobs_pending)
		cs_complete(c, s); /* nothing to run (e.g. only skipped restore jobs) */
	return HLSIM_OK;
}

/*
 * The host's time before it submits @cs: the submit overhead, and with host.timing=trace
 * the recorded gap from the first CS (submitted at @first_ns). Then submit it as row @i.
 */
static hlsim_err_t host_submit_cs(struct sim_ctx *c, uint64_t i, const struct hlsim_trace_cs *cs,
				  const struct hlsim_trace_job *jobs, int64_t first_ns)
{
	sleep_ps(c, c->submit_overhead_ps);
	if (c->host_timing_trace && cs->submit_ns > first_ns) {
		uint64_t due = (uint64_t)(cs->submit_ns - first_ns) * 1000;

		if (due > now_ps())
			sleep_ps(c, due - now_ps());
	}
	return host_submit(c, i, cs, jobs, now_ps());
}

/* Wake the hosts of a live run that wait for the program's next call. */
static void wake_input_waiters(struct sim_world *w)
{
	uint32_t d;

	for (d = 0; d < w->ndev; d++)
		if (w->devs[d].host_w.blocked == ON_INPUT)
			sim_wake(&w->devs[d], &w->devs[d].host_w);
}

/*
 * The host of a live run (struct sim_live_ops): it takes the records in the order the
 * program made them and acts on each as host_actor() does. With none at hand it reads
 * the program's next call, which holds simulated time where it is until the program
 * makes one: every call the program makes comes after the answers it was given. While
 * the answer to a WAIT_CS (of another device) is due, the program makes no call, so the
 * host waits in simulated time for that answer instead.
 */
static void host_actor_live(struct sim_ctx *c)
{
	const struct sim_live *l = c->live;
	struct sim_live_item it;
	int64_t first_ns = 0;
	int have_first = 0;
	hlsim_err_t rc = HLSIM_OK;

	while (!rc && !c->world->stop) {
		int d;

		if (!l->ops->next(l->ctx, c->dev, &it)) {
			if (l->ops->answer_due(l->ctx)) {
				sim_block(c, &c->host_w, ON_INPUT);
				continue;
			}
			d = l->ops->pull(l->ctx);
			if (d == -1) { /* the program has ended: nothing more to answer */
				c->world->stop = 1;
				wake_all(c);
			} else if (d < 0) {
				rc = HLSIM_E_IO;
			} else if ((uint32_t)d < c->world->ndev && (uint32_t)d != c->dev &&
				   c->world->devs[d].host_w.blocked == ON_INPUT) {
				sim_wake(&c->world->devs[d], &c->world->devs[d].host_w);
			}
			continue;
		}
		if (it.is_wait) {
			host_wait_seq(c, it.wait_seq);
			l->ops->waited(l->ctx, c->dev, now_ps());
			wake_input_waiters(c->world);
			continue;
		}
		if (!have_first) {
			first_ns = it.cs.submit_ns;
			have_first = 1;
		}
		rc = host_submit_cs(c, it.cs_index, &it.cs, it.jobs, first_ns);
	}
	if (rc)
		sim_fail(c, rc);
	c->host_done = 1;
	actor_exit(c);
}

/*
 * host.order = program: the devices' hosts are one program, so a record made at host
 * time @t_ns comes after every WAIT_CS (of any device) that the program entered before it
 * has returned: block until those are done.
 */
static void host_order(struct sim_ctx *c, int64_t t_ns)
{
	struct sim_world *w = c->world;
	uint64_t lo = 0, hi = w->norder;

	if (!w->order)
		return;
	while (lo < hi) { /* the first wait entered at or after t_ns */
		uint64_t mid = lo + (hi - lo) / 2;

		if (w->order[mid].enter_ns < t_ns)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (w->order_done < lo && !w->stop)
		sim_block(c, &c->host_w, ON_ORDER);
}

/* host.order = program: wait row @wi of @c has returned; wake the hosts it held. */
static void host_order_done(struct sim_ctx *c, uint64_t wi)
{
	struct sim_world *w = c->world;
	uint32_t d;

	if (!w->order)
		return;
	w->order[c->order_of[wi]].done = 1;
	while (w->order_done < w->norder && w->order[w->order_done].done)
		w->order_done++;
	for (d = 0; d < w->ndev; d++)
		if (w->devs[d].host_w.blocked == ON_ORDER)
			sim_wake(&w->devs[d], &w->devs[d].host_w);
}

/* The program's WAIT_CS of row @wi: after the waits before it (host.order), then done. */
static void host_wait_rec(struct sim_ctx *c, uint64_t wi, const struct hlsim_trace_wait *wt)
{
	host_order(c, wt->enter_ns);
	host_wait_seq(c, wt->seq);
	host_order_done(c, wi);
}

static void host_actor(int argc, char **argv)
{
	struct sim_ctx *c = sg_actor_self_get_data();
	struct hlsim_trace_counts n;
	struct hlsim_trace_wait wt;
	struct hlsim_trace_cs cs;
	uint64_t i, wi = 0;
	int64_t first_ns = 0;
	int have_wait = 0;
	hlsim_err_t rc;

	if (c->live) {
		host_actor_live(c);
		return;
	}
	rc = hlsim_trace_counts(c->trace, c->dev, &n);
	for (i = 0; !rc && i < c->ncs && !c->world->stop; i++) {
		rc = hlsim_trace_read_cs(c->trace, c->dev, i, &cs);
		if (rc)
			break;
		if (i == 0)
			first_ns = cs.submit_ns;
		/* the program's waits that came before this submission */
		for (;;) {
			if (!have_wait && wi < n.waits) {
				rc = hlsim_trace_read_wait(c->trace, c->dev, wi, &wt);
				if (rc)
					break;
				have_wait = 1;
			}
			if (!have_wait || wt.enter_ns >= cs.submit_ns || c->world->stop)
				break;
			host_wait_rec(c, wi, &wt);
			have_wait = 0;
			wi++;
		}
		if (rc || c->world->stop)
			break;
		host_order(c, cs.submit_ns);
		rc = host_submit_cs(c, i, &cs, NULL, first_ns);
		host_progress(c, i);
	}
	while (!rc && !c->world->stop && wi < n.waits) {
		rc = hlsim_trace_read_wait(c->trace, c->dev, wi, &wt);
		if (!rc)
			host_wait_rec(c, wi, &wt);
		wi++;
	}
	if (rc) {
		sim_fail(c, rc);
	} else {
		while (!c->world->stop && c->cs_done < c->cs_submitted) {
			struct cs_slot *s = cs_slot_of(c, c->oldest_inflight);

			c->host_wait_seq = s ? s->seq : 0;
			sim_block(c, &c->host_w, ON_DRAIN);
		}
	}
	c->host_done = 1;
	if (c->progress)
		fprintf(stderr, "\r%60s\r", "");
	actor_exit(c);
}

/* ===== setup ===== */

static uint64_t peak_rss_bytes(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		return 0;
	return (uint64_t)ru.ru_maxrss * 1024;
}

/*
 * SimGrid's settings (ARCHITECTURE.md): fluid sharing without TCP's latency and window
 * effects, fine time precision, raw contexts. HLSIM_SIMGRID_CFG (space-separated
 * SimGrid options, e.g. "--cfg=maxmin/precision:1e-7") is appended, for experiments.
 */
static void init_simgrid(uint32_t ndev)
{
	static char *argv[32] = {
		"hlsim",
		"--log=root.thres:critical",
		"--log=xbt_cfg.thres:critical",
		"--cfg=contexts/factory:raw",
		"--cfg=network/model:CM02",
		"--cfg=network/crosstraffic:0",
		/*
		 * No TCP window bound: a huge gamma, not 0. With TCP-gamma:0 the CM02 model of
		 * SimGrid 3.32 leaves a flow started while another shares one of its links
		 * without its own links' bounds (three 12.5 GB/s flows sharing only a 1 TB/s
		 * link got 12.5, 500 and 500 GB/s); tests/unit/test_sim_nic.c keeps that case.
		 */
		"--cfg=network/TCP-gamma:1e30",
		"--cfg=surf/precision:1e-13",
		/*
		 * maxmin/precision stays at SimGrid's default (1e-5): with 1e-9 the LMM solver
		 * of SimGrid 3.32 crashes (segfault in MaxMin::do_solve) on traces with six
		 * DMA engines sharing HBM; tests/e2e/cli.sh keeps such a trace.
		 */
	};
	static char extra[1024];
	const char *env = getenv("HLSIM_SIMGRID_CFG");
	int argc = 8;
	char *tok, *save = NULL;

	/*
	 * Many devices mean tens of thousands of actors: without guard pages their stacks
	 * take one mapping each instead of two (Linux allows 65530 per process). Stacks keep
	 * SimGrid's 8 MiB: they are fresh anonymous memory, resident only where used (small
	 * stacks come from the heap, zeroed, and would be resident whole).
	 */
	if (ndev > 8)
		argv[argc++] = "--cfg=contexts/guard-size:0";
	/*
	 * Those stacks are calloc()ed, which glibc serves with one mmap each only up to
	 * M_MMAP_MAX (65536) live mappings; past that it takes them from the heap and zeroes
	 * them, 8 MiB resident per actor. A 1024-device all-reduce crossed the limit
	 * (measured 12.3 GiB peak, 3.0 GiB without the limit, and half the wall time).
	 */
	mallopt(M_MMAP_MAX, INT_MAX);

	if (env) {
		snprintf(extra, sizeof(extra), "%s", env);
		for (tok = strtok_r(extra, " ", &save); tok && argc < 31;
		     tok = strtok_r(NULL, " ", &save))
			argv[argc++] = tok;
	}
	argv[argc] = NULL;
	simgrid_init(&argc, argv);
}

static hlsim_err_t add_unit(struct sim_ctx *c, uint32_t *id, uint8_t kind, const char *name,
			    const char *cls)
{
	static uint32_t next;
	struct hlsim_unit u = { .id = next, .device = c->dev, .kind = kind };

	/* several devices: "d3.DMA_0_0", so every report line names its device */
	if (c->world->ndev > 1)
		snprintf(u.name, sizeof(u.name), "d%u.%s", c->dev, name);
	else
		snprintf(u.name, sizeof(u.name), "%s", name);
	snprintf(u.engine_class, sizeof(u.engine_class), "%s", cls);
	*id = next++;
	return c->world->res ? hlsim_results_add_unit(c->world->res, &u) : HLSIM_OK;
}

/* The SimGrid host "d<dev>.<name>" of device @c (NULL if the platform has none). */
/*
 * Hosts by name. sg_host_by_name() of SimGrid 3.32 walks the netzone tree comparing names:
 * finding the hosts of 1024 devices that way took 7.7 s. They are hashed once instead.
 */
/* The first slot of @name in a table of @cap (a power of two) slots. */
static size_t name_slot(const char *name, size_t cap)
{
	return (size_t)trc_hash64(name, strlen(name)) & (cap - 1);
}

static hlsim_err_t host_index_build(struct sim_world *w)
{
	size_t n = sg_host_count(), cap = 16, i, k;
	sg_host_t *all = sg_host_list();

	while (cap < 2 * n)
		cap *= 2;
	w->host_index = calloc(cap, sizeof(*w->host_index));
	if (!all || !w->host_index) {
		free(all);
		return hlsim_error(HLSIM_E_NOMEM, "index of %zu hosts", n);
	}
	w->host_index_cap = cap;
	for (i = 0; i < n; i++) {
		for (k = name_slot(sg_host_get_name(all[i]), cap); w->host_index[k];
		     k = (k + 1) & (cap - 1))
			;
		w->host_index[k] = all[i];
	}
	free(all);
	return HLSIM_OK;
}

/* The host named @name, or NULL. */
static sg_host_t host_find(const struct sim_world *w, const char *name)
{
	size_t k;

	if (!w->host_index_cap)
		return NULL;
	for (k = name_slot(name, w->host_index_cap); w->host_index[k];
	     k = (k + 1) & (w->host_index_cap - 1))
		if (!strcmp(sg_host_get_name(w->host_index[k]), name))
			return w->host_index[k];
	return NULL;
}

static sg_host_t dev_host(const struct sim_ctx *c, const char *name)
{
	char buf[96];

	snprintf(buf, sizeof(buf), "d%u.%s", c->dev, name);
	return host_find(c->world, buf);
}

/*
 * Device @c: find which queues its trace uses, register their units, allocate their
 * register files, and describe its engines for the platform in @pd (engines from @eng).
 */
static hlsim_err_t scan_device(struct sim_ctx *c, struct sim_platform_engine *eng,
			       struct sim_platform_dev *pd)
{
	struct hlsim_trace_annotation ann;
	struct hlsim_trace_counts n;
	struct hlsim_trace_job job;
	uint8_t *used = NULL;
	uint32_t q, m;
	uint64_t j;
	hlsim_err_t rc;
	char name[64];

	if (c->live) {
		/*
		 * What a live run will submit is not known yet: every queue but the NIC ones
		 * (the virtual device has no network) gets its CPs and engine.
		 */
		memset(&n, 0, sizeof(n));
		n.cs = MAX_PENDING_CS;
	} else {
		rc = hlsim_trace_counts(c->trace, c->dev, &n);
		if (rc)
			return rc;
	}
	c->ncs = c->live ? 0 : n.cs;
	c->ring_cap = n.cs < MAX_PENDING_CS ? (size_t)n.cs + 1 : MAX_PENDING_CS;
	c->ring = calloc(c->ring_cap, sizeof(*c->ring));
	used = calloc(c->p->num_queues, 1);
	if (!used || !c->ring) {
		rc = hlsim_error(HLSIM_E_NOMEM, "queue table of device %u", c->dev);
		goto out;
	}
	for (q = 0; c->live && q < c->p->num_queues; q++) {
		const struct mdl_queue_info *qi = c->f->queue_info(q);

		used[q] = qi && qi->engine_class != MDL_ENGINE_NIC;
	}
	for (j = 0; j < n.jobs; j++) {
		rc = hlsim_trace_read_job(c->trace, c->dev, j, &job);
		if (rc)
			goto out;
		if (job.queue_id < c->p->num_queues)
			used[job.queue_id] = 1; /* others are refused when submitted */
	}
	/* cost hints are read with a cursor as CSs are submitted: they must be in CS order */
	c->ann_count = n.annotations;
	for (j = 0, ann.cs_seq = 0; j < n.annotations; j++) {
		uint64_t prev = ann.cs_seq;

		rc = hlsim_trace_read_annotation(c->trace, c->dev, j, &ann);
		if (rc)
			goto out;
		if (j && ann.cs_seq < prev) {
			rc = hlsim_error(HLSIM_E_TRACE_FORMAT,
					 "%s: device %u: annotation row %" PRIu64 " (CS seq %" PRIu64
					 ") comes after CS seq %" PRIu64
					 ": annotations must be in CS order",
					 c->trace_path, c->dev, j, ann.cs_seq, prev);
			goto out;
		}
	}
	rc = add_unit(c, &c->host_unit, HLSIM_UNIT_HOST, "host", "host");
	for (q = 0; !rc && q < c->p->num_queues; q++) {
		const struct mdl_queue_info *qi = c->f->queue_info(q);
		struct cp *cp, *lower;

		if (!used[q] || !qi || qi->kind == MDL_QUEUE_NA || qi->kind == MDL_QUEUE_CPU)
			continue;
		m = c->f->qman_of_queue(q);
		cp = &c->cps[m * CP_PER_QMAN + qi->stream];
		cp->present = 1;
		cp->queue_id = q;
		rc = add_unit(c, &cp->unit, HLSIM_UNIT_QUEUE, qi->name,
			      mdl_engine_class_name(qi->engine_class));
		lower = &c->cps[m * CP_PER_QMAN + LOWER_CP];
		if (!rc && qi->has_lower_cp && !lower->present) {
			lower->present = 1;
			lower->queue_id = q;
			snprintf(name, sizeof(name), "%s.lower_cp", c->f->qman_name(m));
			rc = add_unit(c, &lower->unit, HLSIM_UNIT_LOWER_CP, name,
				      mdl_engine_class_name(qi->engine_class));
		}
		if (!rc && !c->eng[m].present &&
		    (qi->engine_class == MDL_ENGINE_DMA || qi->engine_class == MDL_ENGINE_NIC ||
		     (c->f->engine_launch && (qi->engine_class == MDL_ENGINE_TPC ||
					      qi->engine_class == MDL_ENGINE_MME)))) {
			struct engine *e = &c->eng[m];
			struct sim_platform_engine *pe = &eng[pd->num_engines];

			e->present = 1;
			e->cls = qi->engine_class;
			e->compute = qi->engine_class == MDL_ENGINE_TPC ||
				     qi->engine_class == MDL_ENGINE_MME;
			e->nic_port = qi->engine_index;
			pe->name = c->f->qman_name(m);
			pe->is_dma = qi->engine_class == MDL_ENGINE_DMA;
			pe->is_nic = qi->engine_class == MDL_ENGINE_NIC;
			pe->clock_hz = qi->engine_class == MDL_ENGINE_TPC   ? c->ec.tpc.clock_hz
				       : qi->engine_class == MDL_ENGINE_MME ? c->ec.mme.clock_hz
									    : 1e12 / (double)c->cycle_ps;
			pd->num_engines++;
			rc = add_unit(c, &e->unit, HLSIM_UNIT_ENGINE, c->f->qman_name(m),
				      mdl_engine_class_name(qi->engine_class));
		}
	}
out:
	free(used);
	return rc;
}

static void start_actor(struct sim_ctx *c, const char *name, sg_host_t host, void *data,
			void (*code)(int, char **))
{
	sg_actor_t act = sg_actor_init(name, host);

	sg_actor_set_data(act, data);
	c->world->active++;
	sg_actor_start(act, code, 0, NULL);
}

/* Device @c: find its hosts in the loaded platform and start its actors. */
static hlsim_err_t start_device(struct sim_ctx *c)
{
	struct sim_world *w = c->world;
	sg_host_t host;
	uint32_t q, m;
	char name[96];

	snprintf(c->host_name, sizeof(c->host_name), "d%u.host", c->dev);
	host = c->host = host_find(w, c->host_name);
	if (!host)
		return hlsim_error(HLSIM_E_SIM, "platform: no host %s", c->host_name);
	for (q = 0; q < SIM_PORTS; q++)
		c->port_host[q] = dev_host(c, sim_mem_port_host[q]);
	for (m = 0; m < c->p->num_qmans; m++) {
		struct engine *e = &c->eng[m];
		int s, d;

		for (q = 0; q < CP_PER_QMAN; q++) {
			struct cp *cp = &c->cps[m * CP_PER_QMAN + q];

			cp->c = c;
			cp->qman = m;
			cp->index = (uint8_t)q;
			if (cp->present && q != LOWER_CP) /* lower CPs start when first fed */
				start_cp(c, cp);
		}
		e->c = c;
		e->qman = m;
		if (!e->present)
			continue;
		e->w.sem = sg_sem_init(0);
		e->host = dev_host(c, c->f->qman_name(m));
		if (!e->host)
			return hlsim_error(HLSIM_E_SIM, "platform: no host for %s",
					   c->f->qman_name(m));
		if (e->cls == MDL_ENGINE_NIC) {
			struct mdl_net_port_end end;

			mdl_net_port(&w->topo, c->dev, e->nic_port, &end);
			if (end.kind == MDL_NET_PORT_SCALEUP) {
				snprintf(name, sizeof(name), "d%u.p%u", c->dev, e->nic_port);
				e->nic_from = host_find(w, name);
				snprintf(name, sizeof(name), "d%u.p%u", end.peer_dev, end.peer_port);
				e->nic_peer = host_find(w, name);
			} else if (end.kind == MDL_NET_PORT_SCALEOUT && w->so_hosts) {
				e->nic_from = w->so_hosts[(size_t)c->dev * w->topo.scaleout_ports +
							  e->nic_port -
							  mdl_net_first_scaleout_port(&w->topo)];
			}
			/* a port without a cable fails when a record uses it (cp_nic) */
		}
		for (s = 0; e->cls == MDL_ENGINE_DMA && s < MDL_MEM_KIND_COUNT_; s++) {
			for (d = MDL_MEM_HBM; d <= MDL_MEM_HOST; d++) {
				if (s != SIM_SRC_FILL && (s < MDL_MEM_HBM || s > MDL_MEM_HOST))
					continue;
				e->path[s][d] = host_find(w,
					sim_path_host_name(c->dev, s, d, name, sizeof(name)));
			}
		}
		snprintf(name, sizeof(name), "d%u.%s", c->dev, c->f->qman_name(m));
		/* a flow leaves from its sender's host: a NIC engine's is its port's */
		start_actor(c, name, e->nic_from ? e->nic_from : e->host, e, engine_actor);
	}
	c->host_w.sem = sg_sem_init(0);
	start_actor(c, c->host_name, host, c, host_actor);
	return HLSIM_OK;
}

/* Units of every device, the platform of all of them, then their actors. */
static hlsim_err_t setup(struct sim_world *w, const struct sim_run_args *a)
{
	struct sim_platform_engine *eng = NULL;
	struct sim_platform_dev *pdev;
	struct sim_platform_desc pd = { w->ndev, NULL, &w->topo, w->ndev > 1 };
	uint32_t d, k, nq = w->devs[0].p->num_qmans;
	hlsim_err_t rc = HLSIM_OK;
	char name[32];

	pdev = calloc(w->ndev, sizeof(*pdev));
	eng = calloc((size_t)w->ndev * nq, sizeof(*eng));
	if (!pdev || !eng) {
		rc = hlsim_error(HLSIM_E_NOMEM, "platform description of %u devices", w->ndev);
		goto out;
	}
	pd.devs = pdev;
	for (d = 0; !rc && d < w->ndev; d++) {
		pdev[d].engines = eng + (size_t)d * nq;
		rc = scan_device(&w->devs[d], eng + (size_t)d * nq, &pdev[d]);
	}
	if (!rc)
		rc = sim_platform_write(a->cfg, &pd, a->platform_path);
	if (rc)
		goto out;
	simgrid_load_platform(a->platform_path);
	rc = host_index_build(w);
	if (rc)
		goto out;
	if (pd.network && w->topo.scaleout_ports) {
		size_t nso = (size_t)w->ndev * w->topo.scaleout_ports;

		w->so_hosts = calloc(nso, sizeof(*w->so_hosts));
		if (!w->so_hosts) {
			rc = hlsim_error(HLSIM_E_NOMEM, "scale-out ports");
			goto out;
		}
		for (k = 0; k < nso; k++) {
			snprintf(name, sizeof(name), "so%u", k);
			w->so_hosts[k] = host_find(w, name);
		}
	}
	for (d = 0; !rc && d < w->ndev; d++)
		rc = start_device(&w->devs[d]);
out:
	free(eng);
	free(pdev);
	return rc;
}

static hlsim_err_t write_counters(struct sim_world *w)
{
	struct hlsim_counters *v;
	size_t n = 0, cap = 0;
	uint32_t i, d;
	hlsim_err_t rc;

	for (d = 0; d < w->ndev; d++)
		cap += (size_t)w->devs[d].p->num_qmans * (CP_PER_QMAN + 1) + 1;
	v = calloc(cap, sizeof(*v));
	if (!v)
		return hlsim_error(HLSIM_E_NOMEM, "counters");
	for (d = 0; d < w->ndev; d++) {
		const struct sim_ctx *c = &w->devs[d];

		if (!c->cps || !c->eng)
			continue;
		v[n].unit = c->host_unit;
		v[n++].jobs = c->cs_done;
		for (i = 0; i < c->p->num_qmans * CP_PER_QMAN; i++) {
			const struct cp *cp = &c->cps[i];

			if (!cp->present)
				continue;
			v[n].unit = cp->unit;
			v[n].busy_ps = cp->busy_ps;
			v[n].fence_wait_ps = cp->fence_wait_ps;
			v[n].barrier_wait_ps = cp->barrier_wait_ps;
			v[n].packets = cp->packets;
			v[n++].jobs = cp->jobs;
		}
		for (i = 0; i < c->p->num_qmans; i++) {
			const struct engine *e = &c->eng[i];

			if (!e->present)
				continue;
			v[n].unit = e->unit;
			v[n].busy_ps = e->busy_ps;
			v[n].bytes = e->bytes;
			v[n++].jobs = e->transfers;
		}
	}
	/* units were added in id order: per device host, then per queue its CPs and engine */
	for (i = 1; i < n; i++) {
		size_t k = i;

		while (k > 0 && v[k - 1].unit > v[k].unit) {
			struct hlsim_counters t = v[k];

			v[k] = v[k - 1];
			v[k - 1] = t;
			k--;
		}
	}
	rc = hlsim_results_set_counters(w->res, v, n);
	free(v);
	if (rc)
		return rc;
	{
		struct hlsim_starved *st = NULL;
		size_t ns = 0, cap2 = 0;

		for (d = 0; d < w->ndev; d++)
			if (w->devs[d].eng)
				cap2 += w->devs[d].p->num_qmans;
		st = calloc(cap2 ? cap2 : 1, sizeof(*st));
		if (!st)
			return hlsim_error(HLSIM_E_NOMEM, "starved rows");
		for (d = 0; d < w->ndev; d++) {
			const struct sim_ctx *c = &w->devs[d];

			for (i = 0; c->eng && i < c->p->num_qmans; i++) {
				const struct engine *e = &c->eng[i];

				if (!e->present)
					continue;
				st[ns].unit = e->unit;
				st[ns].cb_fetch_ps = e->starved_fetch_ps;
				st[ns++].cp_packets_ps = e->starved_packet_ps;
			}
		}
		rc = hlsim_results_set_starved(w->res, st, ns);
		free(st);
	}
	return rc;
}

/* Device @d of @w: its ASIC, timing parameters and state. */
static hlsim_err_t init_device(struct sim_world *w, uint32_t d, hlsim_trace_t *trace,
			       const struct sim_run_args *a)
{
	struct sim_ctx *c = &w->devs[d];
	const struct hlsim_trace_device *dev = trace ? hlsim_trace_device_info(trace, d) : NULL;
	double clock_hz = hlsim_config_f64(a->cfg, "asic.clock");
	hlsim_err_t rc;

	c->world = w;
	c->dev = d;
	c->trace = trace;
	c->live = a->live;
	c->trace_path = a->trace_path;
	c->progress = a->progress && d == 0;
	rc = mdl_asic_by_name(hlsim_config_str(a->cfg, "asic.name"), &c->f);
	if (rc)
		return rc;
	c->p = c->f->props;
	if (!a->live && (!dev || strcmp(dev->asic, c->p->asic_name) != 0))
		return hlsim_error(HLSIM_E_CONFIG,
				   "%s: device %u was taken on '%s' but the configuration models "
				   "'%s' (asic.name)",
				   a->trace_path, d, dev ? dev->asic : "?", c->p->asic_name);
	c->cycle_ps = (uint64_t)llround(1e12 / clock_hz);
	c->packet_ps = hlsim_config_u64(a->cfg, "cp.packet_cycles") * c->cycle_ps;
	c->handoff_ps = hlsim_config_u64(a->cfg, "cp.lower_cp_handoff");
	c->msg_latency_ps = hlsim_config_u64(a->cfg, "sync.msg_latency");
	c->submit_overhead_ps = hlsim_config_u64(a->cfg, "host.cs_submit_overhead");
	c->host_timing_trace = !strcmp(hlsim_config_str(a->cfg, "host.timing"), "trace");
	c->hbm_min_access_bytes = hlsim_config_u64(a->cfg, "hbm.min_access_bytes");
	c->fetch_latency_ps[MDL_MEM_HOST] = hlsim_config_u64(a->cfg, "pcie.latency");
	c->fetch_ps_per_byte[MDL_MEM_HOST] =
		1e12 / (hlsim_config_f64(a->cfg, "pcie.h2d_bandwidth") *
			hlsim_config_f64(a->cfg, "pcie.efficiency"));
	c->fetch_latency_ps[MDL_MEM_HBM] = hlsim_config_u64(a->cfg, "hbm.latency");
	c->fetch_ps_per_byte[MDL_MEM_HBM] = 1e12 / hlsim_config_f64(a->cfg, "hbm.bandwidth");
	c->fetch_latency_ps[MDL_MEM_SRAM] = hlsim_config_u64(a->cfg, "sram.latency");
	c->fetch_ps_per_byte[MDL_MEM_SRAM] = 1e12 / hlsim_config_f64(a->cfg, "sram.bandwidth");
	rc = mdl_engine_cfg_load(a->cfg, &c->ec);
	if (rc)
		return rc;
	c->cps = calloc((size_t)c->p->num_qmans * CP_PER_QMAN, sizeof(*c->cps));
	c->eng = calloc(c->p->num_qmans, sizeof(*c->eng));
	c->regs = calloc(c->p->num_qmans, sizeof(*c->regs));
	if (!c->cps || !c->eng || !c->regs)
		return hlsim_error(HLSIM_E_NOMEM, "simulator state of device %u", d);
	return mdl_sm_create(c->f, sm_payload, c, &c->sm);
}

static void free_device(struct sim_ctx *c)
{
	uint32_t i;

	mdl_sm_destroy(c->sm);
	if (c->cps)
		for (i = 0; i < c->p->num_qmans * CP_PER_QMAN; i++) {
			free(c->cps[i].q.v);
			free(c->cps[i].epilogue);
			if (c->cps[i].w.sem)
				sg_sem_destroy(c->cps[i].w.sem);
		}
	if (c->eng)
		for (i = 0; i < c->p->num_qmans; i++) {
			struct engine *e = &c->eng[i];
			size_t k;

			for (k = 0; k < e->q.len; k++)
				free(e->q.v[(e->q.head + k) % e->q.cap].work);
			free(e->q.v);
			if (e->w.sem)
				sg_sem_destroy(e->w.sem);
			for (k = 0; k < SIM_PORTS; k++)
				free(e->port_fl[k].v);
			free(e->fl.v);
		}
	if (c->ring)
		for (i = 0; i < c->ring_cap; i++)
			free(c->ring[i].hints);
	if (c->host_w.sem)
		sg_sem_destroy(c->host_w.sem);
	if (c->regs && c->p)
		for (i = 0; i < c->p->num_qmans; i++)
			mdl_zunmap(c->regs[i], REGFILE_BYTES);
	free(c->cps);
	free(c->eng);
	free(c->regs);
	free(c->ring);
	free(c->order_of);
}

static int order_cmp(const void *pa, const void *pb)
{
	const struct order_ent *a = pa, *b = pb;

	if (a->enter_ns != b->enter_ns)
		return a->enter_ns < b->enter_ns ? -1 : 1;
	if (a->dev != b->dev)
		return a->dev < b->dev ? -1 : 1;
	return a->row < b->row ? -1 : a->row > b->row;
}

/* host.order = program: every device's waits in host time, and each wait's position. */
static hlsim_err_t order_build(struct sim_world *w, hlsim_trace_t *t)
{
	struct hlsim_trace_counts n;
	struct hlsim_trace_wait wt;
	uint64_t total = 0, i, k = 0;
	uint32_t d;
	hlsim_err_t rc;

	for (d = 0; d < w->ndev; d++) {
		rc = hlsim_trace_counts(t, d, &n);
		if (rc)
			return rc;
		total += n.waits;
		w->devs[d].order_of = calloc(n.waits ? n.waits : 1, sizeof(uint64_t));
		if (!w->devs[d].order_of)
			return hlsim_error(HLSIM_E_NOMEM, "host.order = program: waits of device %u",
					   d);
	}
	w->order = calloc(total ? total : 1, sizeof(*w->order));
	if (!w->order)
		return hlsim_error(HLSIM_E_NOMEM, "host.order = program: %" PRIu64 " waits", total);
	for (d = 0; d < w->ndev; d++) {
		rc = hlsim_trace_counts(t, d, &n);
		for (i = 0; !rc && i < n.waits; i++) {
			rc = hlsim_trace_read_wait(t, d, i, &wt);
			w->order[k++] = (struct order_ent){ .enter_ns = wt.enter_ns, .dev = d, .row = i };
		}
		if (rc)
			return rc;
	}
	w->norder = total;
	qsort(w->order, total, sizeof(*w->order), order_cmp);
	for (k = 0; k < total; k++)
		w->devs[w->order[k].dev].order_of[w->order[k].row] = k;
	return HLSIM_OK;
}

hlsim_err_t sim_run(const struct sim_run_args *a, struct sim_run_stats *st)
{
	struct sim_world w = { 0 };
	struct hlsim_run_info ri = { 0 };
	hlsim_trace_t *trace = NULL;
	char *ini = NULL;
	uint32_t d;
	hlsim_err_t rc;

	memset(st, 0, sizeof(*st));
	if (a->live) {
		w.ndev = a->live->ndev;
	} else {
		rc = hlsim_trace_open(a->trace_path, &trace);
		if (rc)
			return rc;
		w.ndev = hlsim_trace_num_devices(trace);
	}
	if (w.ndev == 0 || w.ndev > 65536) {
		rc = hlsim_error(HLSIM_E_TRACE_FORMAT, "%s: %u devices; a run needs 1 to 65536",
				 a->trace_path, w.ndev);
		goto err_close_trace;
	}
	rc = mdl_net_topo_from_config(a->cfg, w.ndev, &w.topo);
	if (rc)
		goto err_close_trace;
	w.nic_latency_ps = hlsim_config_u64(a->cfg, "nic.latency");
	w.nic_mtu_bytes = hlsim_config_u64(a->cfg, "nic.mtu");
	w.nic_frame_overhead_bytes = hlsim_config_u64(a->cfg, "nic.frame_overhead");
	if (w.nic_mtu_bytes == 0) {
		rc = hlsim_error(HLSIM_E_CONFIG, "nic.mtu = 0: a packet carries at least 1 byte");
		goto err_close_trace;
	}
	w.devs = calloc(w.ndev, sizeof(*w.devs));
	if (!w.devs) {
		rc = hlsim_error(HLSIM_E_NOMEM, "%u devices", w.ndev);
		goto err_close_trace;
	}
	for (d = 0; !rc && d < w.ndev; d++)
		rc = init_device(&w, d, trace, a);
	/* a live run follows the program's order by itself */
	if (!rc && !a->live && !strcmp(hlsim_config_str(a->cfg, "host.order"), "program"))
		rc = order_build(&w, trace);
	if (rc)
		goto err_free;
	if (a->results_path) {
		rc = hlsim_results_create(a->results_path, &w.res);
		if (rc)
			goto err_free;
	}
	init_simgrid(w.ndev);
	rc = setup(&w, a);
	if (rc)
		goto err_close_res;
	w.wall_start = wall_now();
	w.last_progress = w.wall_start;
	simgrid_run();
	st->wall_s = wall_now() - w.wall_start;
	st->simulated_ps = w.last_ps;
	st->packets = w.packets;
	st->activities = w.activities;
	for (d = 0; d < w.ndev; d++) {
		st->cs += w.devs[d].cs_submitted;
		st->jobs += w.devs[d].njobs_submitted;
	}
	st->peak_rss_bytes = peak_rss_bytes();

	/* results are written even after a failure: they show what happened up to it */
	snprintf(ri.hlsim_version, sizeof(ri.hlsim_version), "%s", HLSIM_VERSION_STRING);
	snprintf(ri.trace_path, sizeof(ri.trace_path), "%s", a->trace_path);
	snprintf(ri.config_name, sizeof(ri.config_name), "%s", hlsim_config_name(a->cfg));
	ri.simulated_time_ps = st->simulated_ps;
	ri.wall_s = st->wall_s;
	ri.packets = st->packets;
	ri.activities = st->activities;
	ri.cs_count = st->cs;
	ri.job_count = st->jobs;
	ri.peak_rss_bytes = st->peak_rss_bytes;
	if (w.res) {
		hlsim_err_t wrc = write_counters(&w);

		if (!wrc)
			wrc = hlsim_config_to_string(a->cfg, &ini);
		if (!wrc)
			wrc = hlsim_results_set_config(w.res, ini);
		if (!wrc)
			wrc = hlsim_results_set_run_info(w.res, &ri);
		if (wrc && !w.fail_rc)
			rc = wrc;
	}
	if (w.fail_rc)
		rc = hlsim_error(w.fail_rc, "%s", w.fail_msg ? w.fail_msg : "");
err_close_res:
	{
		/* closing an unfinished results file reports its own error: keep the cause */
		char *why = rc ? strdup(hlsim_last_error_detail()) : NULL;
		hlsim_err_t crc = w.res ? hlsim_results_writer_close(w.res) : HLSIM_OK;

		if (crc && !rc)
			rc = crc;
		else if (rc && why)
			rc = hlsim_error(rc, "%s", why);
		free(why);
	}
err_free:
	free(ini);
	free(w.fail_msg);
	free(w.so_hosts);
	free(w.host_index);
	free(w.order);
	for (d = 0; d < w.ndev; d++)
		free_device(&w.devs[d]);
	free(w.devs);
err_close_trace:
	hlsim_trace_close(trace);
	return rc;
}
