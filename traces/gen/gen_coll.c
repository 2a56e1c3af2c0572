/*
 * traces/gen/gen_coll.c - `hlsim gen allreduce|reducescatter|allgather|alltoall|broadcast`:
 * one trace of N devices running a collective, lowered onto hlsim's NIC record
 * (HLSIM_CMD_NIC, traces/FORMAT.md "NIC work"), TPC reductions (gen_tpc.h) and the sync
 * manager, the way a collective library drives Gaudi [I: HCCL's own lowering is not
 * public; this is the textbook one].
 *
 * Per device: one CS (seq 1) whose jobs are
 *   - NIC queues: stream st of NIC QMAN p drives port p. Each transfer from device a to
 *     device b is striped over ALL the ports of a that reach b (mdl_net_ports_to: the
 *     box's scale-up ports to b, else the scale-out ports), one NIC record per port, in
 *     element units (the first ports get one element more). A record's completion adds 1
 *     to a SOB of the receiver, one SOB per incoming channel (sender, port, stream): a
 *     channel's records complete in order (one NIC engine runs its transfers in order),
 *     so "SOB >= k" means exactly "the first k records of that channel have landed".
 *     It also adds 1 to the sender's SOB of that port (its transmit count).
 *   - TPC queues 0..T-1 (stream 0): reductions, each split over up to T TPCs in element
 *     ranges (at least 64 KiB each [I]), rotating over the TPCs; a TPC's kernels finish in
 *     order, so its done SOB (one per TPC, all in one monitor group) counts them. More than
 *     8 inputs are reduced by a chain of launches on the same TPC (8, then the partial sum
 *     and 7 more, ...).
 *   - the last job, on DMA_0_0 (Gaudi2: PDMA_0_0): waits (monitors -> FENCE) for every
 *     byte of this device's output, every reduction and every transmit it started, so the
 *     CS ends when the device's data is complete.
 * Every wait is monitors on (SOB >= target) pairs, grouped by SOB group and target (one
 * monitor each, at most 15 per FENCE: the FENCE's dec field is 4 bits), payload 1 to fence
 * 0 of the waiting CP, then FENCE(target = dec = monitors). The program order of every
 * queue follows one global order in which each wait only names work issued before it,
 * so the trace cannot deadlock.
 *
 * Buffers (the same addresses on every device, from the start of user HBM, 2 MiB aligned):
 * IN (the rank's input), OUT, then staging areas for received contributions (one area per
 * phase and step, never reused, so no transfer waits for buffer space).
 *
 * Slices: --slice-bytes, or automatically half of what one rank sends one peer, at least
 * 256 KiB (trc_coll_auto_slice() says why); hierarchical lowerings a quarter of what a card
 * sends one peer of its box (trc_coll_auto_slice_for()).
 *
 * Lowering, with m ranks in a group, a region of m chunks and chunks cut into slices of
 * --slice-bytes (the last one shorter):
 *   direct reduce-scatter: for each slice s, every rank i sends slice s of chunk j to rank
 *     j (stream 0, into j's staging slot for i); rank j reduces slice s of its own chunk
 *     j with the m-1 staged slices into OUT as soon as those m-1 have landed, while slice
 *     s+1 is in flight.
 *   direct all-gather: rank i sends each slice of its chunk i (OUT) to every other rank,
 *     same offset, as soon as that slice is ready (reduced, or arrived in an earlier phase).
 *   direct all-reduce: direct reduce-scatter (stream 0) then direct all-gather (stream 1)
 *     of the reduced slices: reduced slice s leaves while later slices still arrive.
 *   ring reduce-scatter: 2(N-1) steps over a logical ring d -> d+1 (N-1 here): at step k
 *     rank i sends chunk (i-k) mod m to i+1 (step 0 from IN, later the partial sum it
 *     reduced at step k-1), which adds its own IN chunk into OUT; rank i ends with chunk
 *     (i+1) mod m. Pipelined per slice: step k of slice s leaves when step k-1 of slice s is
 *     reduced; a rank issues its steps in step-major order on one stream.
 *   ring all-gather: m-1 steps, rank i forwarding at step k the chunk it received at step
 *     k-1, per slice.
 *   ring all-reduce: ring reduce-scatter then ring all-gather (stream 0).
 *   halving-doubling reduce-scatter (m a power of two, log2(m) steps): at step t rank i and
 *     rank i ^ d (d = m / 2^(t+1)) split the 2d chunks they share; i keeps the upper half
 *     if bit d of i is set, sends the other half (IN at step 0, later its partial sums) to
 *     i ^ d's staging area of that step, and reduces the half it receives into OUT; rank
 *     i ends with chunk i. Each step's half is cut at slice-sized cells of the region (not
 *     per chunk), so a step is a few large transfers rather than d small ones.
 *   halving-doubling all-gather (recursive doubling, log2(m) steps): at step t (d = 2^t)
 *     rank i sends the d chunks it holds to rank i ^ d, cell by cell as each is ready.
 *   hierarchical (C cards per box, M = N / C boxes): all-reduce = direct reduce-scatter in
 *     each box over the scale-up ports (card c owns shard c of B / C), all-reduce of
 *     shard c among the cards c of all boxes over the scale-out ports (chunks of B / N) by
 *     --scaleout-algo: ring (ring reduce-scatter then ring all-gather, 2(M-1) steps) or hd
 *     (halving-doubling reduce-scatter then all-gather, 2 log2(M) steps; the same bytes),
 *     direct all-gather in each box; each phase's slices wait only for the slices of the
 *     previous phase they read. reduce-scatter: the first two halves (rank (b, c) ends
 *     with chunk (b + 1) mod M of shard c with ring, chunk b with hd). all-gather: ring or
 *     hd all-gather among the cards c of all boxes, then a direct all-gather in each box
 *     of each box's blocks. broadcast: a chain among the cards 0 of all boxes, then a
 *     direct broadcast in each box. The default across boxes is hd for 16, 32, 64, ...
 *     boxes, ring otherwise (xalgo_resolve() says why); hd on a number of boxes that is
 *     not a power of two is refused (no fold of the extra ranks).
 *   all-to-all (direct; hierarchical is direct): rank i sends block j of IN to rank j's OUT
 *     block i, sliced; the own block stays (in place).
 *   broadcast from device 0: direct = the buffer cut into m-1 parts, the root sends part p
 *     to rank p slice by slice (stream 0) and rank p forwards each slice to every other
 *     non-root rank as it lands (stream 1); ring = a chain 0 -> 1 -> ... -> m-1 forwarding
 *     each slice as it lands.
 * Peer order: in the direct phases each rank sends to the others by box distance, then
 * card distance from its own (peer_orders()): at each position the senders reach distinct
 * receivers, so scale-out ports see a permutation rather than all senders of a box
 * hitting the same card at once (the scale-up ports are per peer, where order is moot).
 * Sizes: --bytes is bytes per rank. all-reduce, reduce-scatter and all-to-all need a
 * multiple of N x element size (the chunks), all-gather and broadcast of the element size;
 * anything else is refused with the nearest valid sizes. In-place conventions: all-gather's
 * rank d input is block d of its OUT (N x bytes); broadcast's root data is its OUT;
 * reduce-scatter leaves each rank's reduced chunk at its offset in OUT.
 *
 * Each device's CS carries the annotation "collective" = "op=OP bytes=B devices=N algo=A
 * dtype=T" (then " scaleout=X" when a phase crosses boxes), and per TPC queue the
 * kernel_name / cost_hint pair when all its launches cost the same (the simulator keeps
 * one hint per CS and queue; otherwise the descriptor costs them). A job ends and the
 * next one on its queue begins when its CB passes 64 KiB on a TPC or MME queue (their
 * launches wait for the engine anyway, EB) or 4 MiB elsewhere (a job's end waits for its
 * engine to drain), which bounds the memory the generator holds.
 *
 * What is synthetic: host times (5 us per ioctl), the data (no bytes are moved in the
 * trace: the buffers are assumed resident in HBM as in hccl_demo), the TPC kernel (an
 * element-wise sum without a binary, costed by its descriptor / cost hint).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hlsim/trace.h"
#include "models/common/asic.h"
#include "models/common/net.h"
#include "traces/gen/gen_coll.h"
#include "traces/gen/gen_coll_int.h"
#include "traces/gen/gen_common.h"
#include "traces/gen/gen_tpc.h"

#define SOB_FIRST 64u /* E_N SOBs below this are the driver's default DMA completions */
#define SOB_LIMIT 2048u /* Gaudi2 monitors see SOBs 0..2047 of their block (gaudi2.c) */
#define STREAMS TRC_COLL_STREAMS
#define MAX_PORTS TRC_COLL_MAX_PORTS
#define FENCE_MAX_DEC 15u /* FENCE dec is 4 bits */
#define TPC_MIN_BYTES (64u << 10) /* [I] the smallest share of a reduction worth a TPC */
#define BUF_ALIGN_BYTES (2ull << 20)
#define FLUSH_BYTES (4u << 20)
#define FLUSH_ENGINE_BYTES (64u << 10)
#define AUTO_SLICE_MIN_BYTES (256ull << 10)
#define AUTO_SLICE_MAX_BYTES (1ull << 30)
#define JOB_HANDLE_BASE 0x2000000000000000ull
#define IOCTL_NS 5000
#define CS_GAP_NS 10000

/* {==== conditions and readiness maps ==== */

void trc_coll_cond_free(struct trc_coll_cond *c)
{
	free(c->v);
	memset(c, 0, sizeof(*c));
}

hlsim_err_t trc_coll_cond_add(struct trc_coll_cond *c, uint32_t sob, uint32_t tgt)
{
	struct trc_coll_sobt *nv;
	uint32_t i;

	if (!tgt)
		return HLSIM_OK;
	for (i = 0; i < c->n; i++) {
		if (c->v[i].sob == sob) {
			if (c->v[i].tgt < tgt)
				c->v[i].tgt = (uint16_t)tgt;
			return HLSIM_OK;
		}
	}
	if (c->n == c->cap) {
		uint32_t cap = c->cap ? 2 * c->cap : 8;

		nv = realloc(c->v, cap * sizeof(*nv));
		if (!nv)
			return hlsim_error(HLSIM_E_NOMEM, "gen collective: wait of %u SOBs", cap);
		c->v = nv;
		c->cap = cap;
	}
	c->v[c->n++] = (struct trc_coll_sobt){ (uint16_t)sob, (uint16_t)tgt };
	return HLSIM_OK;
}

hlsim_err_t trc_coll_cond_merge(struct trc_coll_cond *c, const struct trc_coll_cond *o)
{
	uint32_t i;
	hlsim_err_t rc = HLSIM_OK;

	for (i = 0; !rc && o && i < o->n; i++)
		rc = trc_coll_cond_add(c, o->v[i].sob, o->v[i].tgt);
	return rc;
}

void trc_coll_rmap_free(struct trc_coll_rmap *m)
{
	uint32_t i;

	for (i = 0; i < m->n; i++)
		trc_coll_cond_free(&m->e[i].c);
	free(m->e);
	memset(m, 0, sizeof(*m));
}

hlsim_err_t trc_coll_rmap_add(struct trc_coll_rmap *m, uint64_t lo, uint64_t hi,
			      const struct trc_coll_cond *c)
{
	struct trc_coll_rent *ne;

	if (m->n == m->cap) {
		uint32_t cap = m->cap ? 2 * m->cap : 16;

		ne = realloc(m->e, cap * sizeof(*ne));
		if (!ne)
			return hlsim_error(HLSIM_E_NOMEM, "gen collective: readiness map");
		m->e = ne;
		m->cap = cap;
	}
	memset(&m->e[m->n], 0, sizeof(m->e[0]));
	m->e[m->n].lo = lo;
	m->e[m->n].hi = hi;
	m->n++;
	return trc_coll_cond_merge(&m->e[m->n - 1].c, c);
}

/* Merge into @out what must hold before bytes [lo, hi) are ready. */
hlsim_err_t trc_coll_rmap_query(const struct trc_coll_rmap *m, uint64_t lo, uint64_t hi,
				struct trc_coll_cond *out)
{
	uint32_t i;
	hlsim_err_t rc = HLSIM_OK;

	for (i = 0; !rc && m && i < m->n; i++)
		if (m->e[i].lo < hi && lo < m->e[i].hi)
			rc = trc_coll_cond_merge(out, &m->e[i].c);
	return rc;
}

hlsim_err_t trc_coll_rmaps_new(uint32_t n, struct trc_coll_rmap **out)
{
	*out = calloc(n, sizeof(**out));
	return *out ? HLSIM_OK : hlsim_error(HLSIM_E_NOMEM, "gen collective: %u maps", n);
}

void trc_coll_rmaps_free(struct trc_coll_rmap *m, uint32_t n)
{
	uint32_t i;

	for (i = 0; m && i < n; i++)
		trc_coll_rmap_free(&m[i]);
	free(m);
}

/* ====} */

/* {==== the per-device builder ==== */

uint32_t trc_coll_slot_nic(uint32_t port, uint32_t stream)
{
	return port * STREAMS + stream;
}

uint32_t trc_coll_slot_tpc(const struct trc_coll_bld *b, uint32_t t)
{
	return b->ports * STREAMS + t;
}

uint32_t trc_coll_slot_last(const struct trc_coll_bld *b)
{
	return b->ports * STREAMS + b->tpcs;
}

uint32_t trc_coll_slot_mme(const struct trc_coll_bld *b, uint32_t i)
{
	return b->ports * STREAMS + b->tpcs + 1 + i;
}

/* Close the CB of queue @slot of device @dv as a job (nothing if it is empty). */
static hlsim_err_t flush(struct trc_coll_bld *b, uint32_t dv, uint32_t slot)
{
	struct trc_coll_dev *d = &b->d[dv];
	struct trc_coll_q *q = &d->q[slot];
	struct hlsim_trace_job *nj;
	hlsim_err_t rc;

	if (!q->cb.len)
		return HLSIM_OK;
	if (d->njobs == d->capjobs) {
		uint32_t cap = d->capjobs ? 2 * d->capjobs : 32;

		nj = realloc(d->jobs, cap * sizeof(*nj));
		if (!nj)
			return hlsim_error(HLSIM_E_NOMEM, "gen collective: jobs of device %u", dv);
		d->jobs = nj;
		d->capjobs = cap;
	}
	rc = trc_gen_add_job_dev(b->w, dv, &q->cb, JOB_HANDLE_BASE + d->handle_next, q->qid,
				 &d->jobs[d->njobs]);
	if (rc)
		return rc;
	d->handle_next += 0x1000;
	d->njobs++;
	b->st.jobs++;
	b->st.packets += q->cb.packets;
	q->cb.packets = 0;
	q->cb.len = 0;
	return HLSIM_OK;
}

hlsim_err_t trc_coll_maybe_flush(struct trc_coll_bld *b, uint32_t dv, uint32_t slot)
{
	/* TPC and MME launches already wait for their engine (EB): a job boundary costs nothing */
	size_t limit = slot >= trc_coll_slot_tpc(b, 0) && slot != trc_coll_slot_last(b)
			       ? FLUSH_ENGINE_BYTES
			       : FLUSH_BYTES;

	return b->d[dv].q[slot].cb.len >= limit ? flush(b, dv, slot) : HLSIM_OK;
}

/* A monitor request: SOBs @watch of group @group >= @tgt. */
struct monreq {
	uint32_t group, watch, tgt;
};

/* Make queue @slot of device @dv wait for @c: monitors -> fence 0, FENCE, 15 at a time. */
hlsim_err_t trc_coll_emit_wait(struct trc_coll_bld *b, uint32_t dv, uint32_t slot,
			       const struct trc_coll_cond *c)
{
	struct trc_coll_dev *d = &b->d[dv];
	struct trc_coll_q *q = &d->q[slot];
	struct monreq req[FENCE_MAX_DEC];
	uint32_t done = 0, i, j, n, gsz = b->x.p->mon_max_sobs;
	hlsim_err_t rc = HLSIM_OK;
	uint8_t *used;

	if (!c->n)
		return HLSIM_OK;
	used = calloc(c->n, 1);
	if (!used)
		return hlsim_error(HLSIM_E_NOMEM, "gen collective: wait");
	while (!rc && done < c->n) {
		/* the next batch: up to 15 (group, target) monitors */
		n = 0;
		for (i = 0; i < c->n; i++) {
			uint32_t g = c->v[i].sob / gsz, t = c->v[i].tgt;

			if (used[i])
				continue;
			for (j = 0; j < n; j++)
				if (req[j].group == g && req[j].tgt == t)
					break;
			if (j == n) {
				if (n == FENCE_MAX_DEC)
					continue;
				req[n++] = (struct monreq){ g, 0, t };
			}
			req[j].watch |= 1u << (c->v[i].sob % gsz);
			used[i] = 1;
			done++;
		}
		if (q->mon_count < n) {
			if (d->mon_next + n > b->x.p->mons_per_block) {
				rc = hlsim_error(
					HLSIM_E_USAGE,
					"device %u needs more than the %u monitors of a sync "
					"manager; use fewer devices per group, fewer TPCs or "
					"another --algo",
					dv, b->x.p->mons_per_block);
				break;
			}
			q->mon_base = d->mon_next;
			q->mon_count = n;
			d->mon_next += n;
		}
		for (j = 0; !rc && j < n; j++)
			rc = trc_gen_arm_monitor_group(&b->x, &q->cb, q->qman, TRC_GEN_MSG_ANY_BASE,
						       q->mon_base + j, req[j].group, req[j].watch,
						       req[j].tgt, q->cp);
		if (!rc)
			rc = trc_gen_fence(&b->x, &q->cb, 0, (uint8_t)n, (uint8_t)n);
	}
	free(used);
	return rc;
}

/* The SOB of device @dv receiving channel (@src, @port, @stream), allocated on first use. */
static hlsim_err_t rx_chan(struct trc_coll_bld *b, uint32_t dv, uint32_t src, uint32_t port,
			   uint32_t stream, struct trc_coll_chan **out)
{
	struct trc_coll_dev *d = &b->d[dv];
	struct trc_coll_chan *nc;
	uint32_t i;

	for (i = d->nrx; i-- > 0;) {
		if (d->rx[i].src == src && d->rx[i].port == port && d->rx[i].stream == stream) {
			*out = &d->rx[i];
			return HLSIM_OK;
		}
	}
	if (d->sob_next >= b->sob_max)
		return hlsim_error(
			HLSIM_E_USAGE,
			"device %u receives on more channels than its %u SOBs can count; "
			"use --algo hierarchical or ring for this many devices",
			dv, b->sob_max - SOB_FIRST);
	if (d->nrx == d->caprx) {
		uint32_t cap = d->caprx ? 2 * d->caprx : 16;

		nc = realloc(d->rx, cap * sizeof(*nc));
		if (!nc)
			return hlsim_error(HLSIM_E_NOMEM, "gen collective: channels");
		d->rx = nc;
		d->caprx = cap;
	}
	d->rx[d->nrx] = (struct trc_coll_chan){ src, (uint16_t)port, (uint16_t)stream,
						(uint16_t)d->sob_next++, 0 };
	*out = &d->rx[d->nrx++];
	return HLSIM_OK;
}

static hlsim_err_t count_full(struct trc_coll_bld *b, uint32_t dv, const char *what)
{
	return hlsim_error(HLSIM_E_USAGE,
			   "device %u: more than %u %s on one SOB (its value is 15 bits); use a "
			   "larger --slice-bytes",
			   dv, b->val_max, what);
}

/*
 * Send @len bytes from @src_addr on @a to @dst_addr on @z on stream @stream of every
 * port of @a that reaches @z, once @wait holds on @a; merge into @arr what holds on @z
 * once every byte has landed.
 */
static hlsim_err_t send(struct trc_coll_bld *b, uint32_t a, uint32_t z, uint64_t src_addr,
			uint64_t dst_addr, uint64_t len, uint32_t stream,
			const struct trc_coll_cond *wait, struct trc_coll_cond *arr)
{
	uint32_t ports[MAX_PORTS], np, k, blk = b->x.sm_block;
	uint64_t elems = len / b->es, off = 0, e;
	uint32_t one = b->x.f->sob_value_encode(1, 1);
	hlsim_err_t rc = HLSIM_OK;

	if (!len)
		return HLSIM_OK;
	np = mdl_net_ports_to(&b->topo, a, z, ports, MAX_PORTS);
	if (!np || np > MAX_PORTS)
		return hlsim_error(HLSIM_E_CONFIG,
				   "no NIC port of device %u reaches device %u (box.cards, "
				   "box.ports_per_peer, box.scaleout_ports)",
				   a, z);
	for (k = 0; !rc && k < np; k++) {
		uint32_t slot = trc_coll_slot_nic(ports[k], stream);
		struct trc_coll_q *q = &b->d[a].q[slot];
		struct trc_coll_chan *ch = NULL;

		e = elems / np + (k < elems % np);
		if (!e)
			continue;
		rc = trc_coll_emit_wait(b, a, slot, wait);
		if (!rc)
			rc = rx_chan(b, z, a, ports[k], stream, &ch);
		if (rc)
			break;
		if (ch->count >= b->val_max)
			return count_full(b, z, "received transfers");
		if (b->d[a].tx_count[ports[k]] >= b->val_max)
			return count_full(b, a, "sent transfers");
		ch->count++;
		b->d[a].tx_count[ports[k]]++;
		rc = trc_gen_nic_write(
			&b->x, &q->cb, z, src_addr + off, dst_addr + off, e * b->es,
			b->x.f->sob_addr(blk, ch->sob), one,
			b->x.f->sob_addr(blk, SOB_FIRST + TRC_GEN_COLL_MAX_TPCS + ports[k]), one);
		if (!rc)
			rc = trc_coll_cond_add(arr, ch->sob, ch->count);
		if (!rc)
			rc = trc_coll_maybe_flush(b, a, slot);
		b->st.nic_records++;
		b->st.nic_bytes += e * b->es;
		off += e * b->es;
	}
	return rc;
}

/* Record a launch's cost hint for TPC @t of device @dv. */
static void note_hint(struct trc_coll_dev *d, uint32_t t, const struct hlsim_trace_annotation *a)
{
	struct trc_coll_hint *h = &d->hint[t];

	if (h->state == 0) {
		h->a = *a;
		h->state = 1;
	} else if (h->state == 1 && strcmp(h->a.value, a->value)) {
		h->state = 2;
	}
}

/*
 * On device @dv, once @wait holds: out[i] = sum of the @nin inputs in[] over @len bytes,
 * split over the TPCs; merge into @done what holds once it is written.
 */
static hlsim_err_t reduce(struct trc_coll_bld *b, uint32_t dv, const uint64_t *in, uint32_t nin,
			  uint64_t out, uint64_t len, const struct trc_coll_cond *wait,
			  struct trc_coll_cond *done)
{
	struct trc_coll_dev *d = &b->d[dv];
	uint64_t elems = len / b->es, parts, e, first = 0;
	uint32_t p, t, i, taken;
	hlsim_err_t rc = HLSIM_OK;

	if (!len)
		return HLSIM_OK;
	parts = (len + TPC_MIN_BYTES - 1) / TPC_MIN_BYTES;
	if (parts > b->tpcs)
		parts = b->tpcs;
	if (parts > elems)
		parts = elems;
	for (p = 0; !rc && p < parts; p++) {
		uint64_t o;
		uint32_t slot;
		struct trc_coll_q *q;

		t = (d->tpc_rot + p) % b->tpcs;
		slot = trc_coll_slot_tpc(b, t);
		q = &d->q[slot];
		e = elems / parts + (p < elems % parts);
		o = first * b->es;
		first += e;
		rc = trc_coll_emit_wait(b, dv, slot, wait);
		/* a chain of launches: 8 inputs, then the partial sum and 7 more, ... */
		for (taken = 0; !rc && taken < nin;) {
			struct trc_gen_tpc_kernel k;
			struct hlsim_trace_annotation hint;

			memset(&k, 0, sizeof(k));
			k.name = b->kernel;
			k.dtype = b->dtype;
			k.elements = e;
			if (taken)
				k.in_addr[k.num_inputs++] = out + o;
			for (i = k.num_inputs; i < TRC_GEN_TPC_MAX_INPUTS && taken < nin; i++)
				k.in_addr[k.num_inputs++] = in[taken++] + o;
			k.out_addr = out + o;
			k.flops_per_element = k.num_inputs > 1 ? k.num_inputs - 1 : 1;
			k.done_sob = SOB_FIRST + t;
			if (d->tpc_count[t] >= b->val_max)
				return count_full(b, dv, "TPC launches");
			rc = trc_gen_tpc_launch(&b->x, &q->cb, t, &k, &hint);
			if (rc)
				break;
			d->tpc_count[t]++;
			note_hint(d, t, &hint);
			b->st.tpc_launches++;
		}
		if (!rc)
			rc = trc_coll_cond_add(done, SOB_FIRST + t, d->tpc_count[t]);
		if (!rc)
			rc = trc_coll_maybe_flush(b, dv, slot);
	}
	d->tpc_rot = (uint32_t)((d->tpc_rot + parts) % b->tpcs);
	return rc;
}

/* Staging of @bytes, the same on every device. */
hlsim_err_t trc_coll_stage_alloc(struct trc_coll_bld *b, uint64_t bytes, uint64_t *addr)
{
	*addr = b->stage_next;
	b->stage_next = trc_gen_align_up(b->stage_next + bytes, BUF_ALIGN_BYTES);
	if (b->stage_next > b->hbm_end)
		return hlsim_error(HLSIM_E_USAGE,
				   "the buffers and staging areas (%" PRIu64 " bytes) do not fit "
				   "the %" PRIu64 " bytes of user HBM; use fewer --bytes",
				   b->stage_next - b->x.p->dram_base,
				   b->hbm_end - b->x.p->dram_base);
	return HLSIM_OK;
}

/* ====} */

/* {==== phases ==== */

/*
 * A region of m chunks: chunk i at @off + i * @stride, @clen bytes, on group @g (device
 * ids, ring order). rin / rout are indexed by device id.
 */
struct region {
	const uint32_t *g;
	uint32_t m;
	uint64_t off, stride, clen;
};

/*
 * The order in which each member i of @r sends to the others, into *@out (m-1 member
 * indexes per member, freed by the caller): by box distance, then card distance, both
 * counted from i's own (box (b+db) mod M, card (c+dc) mod C). At each position the
 * senders of a box reach distinct cards and the boxes distinct boxes, so the scale-out
 * ports see a permutation instead of every sender hitting the same receiver at once.
 */
static hlsim_err_t peer_orders(const struct trc_coll_bld *b, const struct region *r, uint32_t **out)
{
	uint32_t m = r->m, C = b->topo.cards, M = (b->n + C - 1) / C, i, db, dc, k;
	uint32_t *ord = calloc((size_t)m * (m - 1) + 1, sizeof(*ord));
	uint32_t *mem = malloc((size_t)b->n * sizeof(*mem));
	hlsim_err_t rc = HLSIM_OK;

	if (!ord || !mem) {
		free(ord);
		free(mem);
		return hlsim_error(HLSIM_E_NOMEM, "gen collective: peer order of %u ranks", m);
	}
	memset(mem, 0xFF, (size_t)b->n * sizeof(*mem));
	for (i = 0; i < m; i++)
		mem[r->g[i]] = i;
	for (i = 0; !rc && i < m; i++) {
		uint32_t bi = r->g[i] / C, ci = r->g[i] % C, *o = ord + (size_t)i * (m - 1);

		k = 0;
		for (db = 0; db < M; db++) {
			for (dc = 0; dc < C; dc++) {
				uint32_t dev = (bi + db) % M * C + (ci + dc) % C;

				if (dev < b->n && dev != r->g[i] && mem[dev] != UINT32_MAX &&
				    k < m - 1)
					o[k++] = mem[dev];
			}
		}
		if (k != m - 1)
			rc = hlsim_error(HLSIM_E_INVAL, "gen collective: peer order of member %u",
					 i);
	}
	free(mem);
	if (rc)
		free(ord);
	else
		*out = ord;
	return rc;
}

static uint64_t nslices(const struct trc_coll_bld *b, uint64_t len)
{
	return (len + b->slice - 1) / b->slice;
}

static uint64_t slice_len(const struct trc_coll_bld *b, uint64_t len, uint64_t s)
{
	uint64_t lo = s * b->slice;

	return len - lo < b->slice ? len - lo : b->slice;
}

/* Direct reduce-scatter: chunk j of @src on every rank is summed into chunk j of @dst on j. */
static hlsim_err_t ph_direct_rs(struct trc_coll_bld *b, const struct region *r, uint64_t src,
				uint64_t dst, uint32_t stream, const struct trc_coll_rmap *rin,
				struct trc_coll_rmap *rout)
{
	uint32_t m = r->m, i, j, k, h, *ord = NULL;
	uint64_t stage, s, ns = nslices(b, r->clen), *in = NULL;
	struct trc_coll_cond *arr = NULL, done = { 0 };
	hlsim_err_t rc;

	rc = trc_coll_stage_alloc(b, (m - 1) * r->clen, &stage);
	if (!rc)
		rc = peer_orders(b, r, &ord);
	if (rc)
		return rc;
	arr = calloc(m, sizeof(*arr));
	in = calloc(m, sizeof(*in));
	if (!arr || !in) {
		rc = hlsim_error(HLSIM_E_NOMEM, "gen collective: reduce-scatter of %u ranks", m);
		goto out;
	}
	for (s = 0; !rc && s < ns; s++) {
		uint64_t so = s * b->slice, sl = slice_len(b, r->clen, s);

		for (j = 0; j < m; j++)
			arr[j].n = 0;
		for (i = 0; !rc && i < m; i++) {
			for (h = 0; !rc && h + 1 < m; h++) {
				uint64_t a;

				j = ord[(size_t)i * (m - 1) + h];
				a = r->off + j * r->stride + so;
				b->tmp.n = 0;
				rc = trc_coll_rmap_query(&rin[r->g[i]], a, a + sl, &b->tmp);
				if (!rc)
					rc = send(b, r->g[i], r->g[j], src + a,
						  stage + (i < j ? i : i - 1) * r->clen + so, sl,
						  stream, &b->tmp, &arr[j]);
			}
		}
		for (j = 0; !rc && j < m; j++) {
			uint64_t a = r->off + j * r->stride + so;

			in[0] = src + a;
			for (k = 0; k + 1 < m; k++)
				in[k + 1] = stage + k * r->clen + so;
			rc = trc_coll_rmap_query(&rin[r->g[j]], a, a + sl, &arr[j]);
			done.n = 0;
			if (!rc)
				rc = reduce(b, r->g[j], in, m, dst + a, sl, &arr[j], &done);
			if (!rc)
				rc = trc_coll_rmap_add(&rout[r->g[j]], a, a + sl, &done);
		}
	}
out:
	for (j = 0; arr && j < m; j++)
		trc_coll_cond_free(&arr[j]);
	free(arr);
	free(in);
	free(ord);
	trc_coll_cond_free(&done);
	return rc;
}

/* Direct all-gather: chunk i of @buf on rank i goes to the same place on every other rank. */
static hlsim_err_t ph_direct_ag(struct trc_coll_bld *b, const struct region *r, uint64_t buf,
				uint32_t stream, const struct trc_coll_rmap *rin,
				struct trc_coll_rmap *rout)
{
	uint32_t m = r->m, i, j, h, *ord = NULL;
	uint64_t s, ns = nslices(b, r->clen);
	struct trc_coll_cond arr = { 0 };
	hlsim_err_t rc;

	rc = peer_orders(b, r, &ord);
	for (i = 0; !rc && i < m; i++) {
		uint64_t a = r->off + i * r->stride;

		b->tmp.n = 0;
		rc = trc_coll_rmap_query(&rin[r->g[i]], a, a + r->clen, &b->tmp);
		if (!rc)
			rc = trc_coll_rmap_add(&rout[r->g[i]], a, a + r->clen, &b->tmp);
	}
	for (s = 0; !rc && s < ns; s++) {
		uint64_t so = s * b->slice, sl = slice_len(b, r->clen, s);

		for (i = 0; !rc && i < m; i++) {
			uint64_t a = r->off + i * r->stride + so;

			for (h = 0; !rc && h + 1 < m; h++) {
				j = ord[(size_t)i * (m - 1) + h];
				b->tmp.n = 0;
				arr.n = 0;
				rc = trc_coll_rmap_query(&rin[r->g[i]], a, a + sl, &b->tmp);
				if (!rc)
					rc = send(b, r->g[i], r->g[j], buf + a, buf + a, sl, stream,
						  &b->tmp, &arr);
				if (!rc)
					rc = trc_coll_rmap_add(&rout[r->g[j]], a, a + sl, &arr);
			}
		}
	}
	trc_coll_cond_free(&arr);
	free(ord);
	return rc;
}

/*
 * Ring reduce-scatter over the ranks of @r in order: rank i ends with chunk (i+1) mod m of
 * @dst reduced (rout), the others hold partial sums.
 */
static hlsim_err_t ph_ring_rs(struct trc_coll_bld *b, const struct region *r, uint64_t src,
			      uint64_t dst, uint32_t stream, const struct trc_coll_rmap *rin,
			      struct trc_coll_rmap *rout)
{
	uint32_t m = r->m, i, k;
	uint64_t stage, s, ns = nslices(b, r->clen), in[2];
	struct trc_coll_cond *prev = NULL, *cur = NULL, arr = { 0 }, *sw;
	hlsim_err_t rc;

	rc = trc_coll_stage_alloc(b, (m - 1) * r->clen, &stage);
	if (rc)
		return rc;
	prev = calloc((size_t)m * ns, sizeof(*prev));
	cur = calloc((size_t)m * ns, sizeof(*cur));
	if (!prev || !cur) {
		rc = hlsim_error(HLSIM_E_NOMEM, "gen collective: ring of %u ranks", m);
		goto out;
	}
	for (k = 0; !rc && k + 1 < m; k++) {
		for (s = 0; !rc && s < ns; s++) {
			uint64_t so = s * b->slice, sl = slice_len(b, r->clen, s);

			for (i = 0; !rc && i < m; i++) {
				uint32_t z = (i + 1) % m, c = (i + m - k % m) % m;
				uint64_t a = r->off + c * r->stride + so;
				struct trc_coll_cond *dn = &cur[(size_t)z * ns + s];

				b->tmp.n = 0;
				if (k == 0)
					rc = trc_coll_rmap_query(&rin[r->g[i]], a, a + sl, &b->tmp);
				else
					rc = trc_coll_cond_merge(&b->tmp,
								 &prev[(size_t)i * ns + s]);
				arr.n = 0;
				if (!rc)
					rc = send(b, r->g[i], r->g[z], (k ? dst : src) + a,
						  stage + k * r->clen + so, sl, stream, &b->tmp,
						  &arr);
				if (!rc)
					rc = trc_coll_rmap_query(&rin[r->g[z]], a, a + sl, &arr);
				in[0] = src + a;
				in[1] = stage + k * r->clen + so;
				dn->n = 0;
				if (!rc)
					rc = reduce(b, r->g[z], in, 2, dst + a, sl, &arr, dn);
			}
		}
		sw = prev;
		prev = cur;
		cur = sw;
	}
	for (i = 0; !rc && i < m; i++) {
		uint32_t c = (i + 1) % m;

		for (s = 0; !rc && s < ns; s++) {
			uint64_t a = r->off + c * r->stride + s * b->slice;

			rc = trc_coll_rmap_add(&rout[r->g[i]], a, a + slice_len(b, r->clen, s),
					       &prev[(size_t)i * ns + s]);
		}
	}
out:
	for (i = 0; prev && cur && i < m * ns; i++) {
		trc_coll_cond_free(&prev[i]);
		trc_coll_cond_free(&cur[i]);
	}
	free(prev);
	free(cur);
	trc_coll_cond_free(&arr);
	return rc;
}

/* Ring all-gather: rank i starts with chunk (i + @shift) mod m of @buf, ends with all. */
static hlsim_err_t ph_ring_ag(struct trc_coll_bld *b, const struct region *r, uint64_t buf,
			      uint32_t shift, uint32_t stream, const struct trc_coll_rmap *rin,
			      struct trc_coll_rmap *rout)
{
	uint32_t m = r->m, i, k;
	uint64_t s, ns = nslices(b, r->clen);
	struct trc_coll_cond *prev = NULL, *cur = NULL, *sw;
	hlsim_err_t rc = HLSIM_OK;

	prev = calloc((size_t)m * ns, sizeof(*prev));
	cur = calloc((size_t)m * ns, sizeof(*cur));
	if (!prev || !cur) {
		rc = hlsim_error(HLSIM_E_NOMEM, "gen collective: ring of %u ranks", m);
		goto out;
	}
	for (i = 0; !rc && i < m; i++) {
		uint64_t a = r->off + ((i + shift) % m) * r->stride;

		b->tmp.n = 0;
		rc = trc_coll_rmap_query(&rin[r->g[i]], a, a + r->clen, &b->tmp);
		if (!rc)
			rc = trc_coll_rmap_add(&rout[r->g[i]], a, a + r->clen, &b->tmp);
	}
	for (k = 0; !rc && k + 1 < m; k++) {
		for (s = 0; !rc && s < ns; s++) {
			uint64_t so = s * b->slice, sl = slice_len(b, r->clen, s);

			for (i = 0; !rc && i < m; i++) {
				uint32_t z = (i + 1) % m, c = (i + shift + m - k % m) % m;
				uint64_t a = r->off + c * r->stride + so;
				struct trc_coll_cond *ar = &cur[(size_t)z * ns + s];

				b->tmp.n = 0;
				if (k == 0)
					rc = trc_coll_rmap_query(&rin[r->g[i]], a, a + sl, &b->tmp);
				else
					rc = trc_coll_cond_merge(&b->tmp,
								 &prev[(size_t)i * ns + s]);
				ar->n = 0;
				if (!rc)
					rc = send(b, r->g[i], r->g[z], buf + a, buf + a, sl, stream,
						  &b->tmp, ar);
				if (!rc)
					rc = trc_coll_rmap_add(&rout[r->g[z]], a, a + sl, ar);
			}
		}
		sw = prev;
		prev = cur;
		cur = sw;
	}
out:
	for (i = 0; prev && cur && i < m * ns; i++) {
		trc_coll_cond_free(&prev[i]);
		trc_coll_cond_free(&cur[i]);
	}
	free(prev);
	free(cur);
	return rc;
}

/*
 * Recursive halving-doubling (ph_hd_rs(), ph_hd_ag()) sees the m chunks of a region as one
 * virtual range of m x clen bytes (chunk after chunk) cut into cells of one slice each
 * (cell k = [k x slice, (k+1) x slice)). A step's transfers are cut at cell boundaries, so
 * each piece lies in one cell, and what a rank holds of a cell is ready under one condition
 * (the merge of its pieces' conditions; a cell straddling two chunks or two halves merges
 * both, which can only make a wait longer, never shorter).
 */

/* The first contiguous piece of virtual [@lo, @hi) of @r: its buffer offset, its length. */
static uint64_t vpiece(const struct region *r, uint64_t lo, uint64_t hi, uint64_t *addr)
{
	uint64_t c = lo / r->clen, o = lo % r->clen, len = hi - lo;

	*addr = r->off + c * r->stride + o;
	if (r->stride != r->clen && len > r->clen - o)
		len = r->clen - o;
	return len;
}

/* Cell piece @q of virtual [@base, @base + @len) into [*lo, *hi); 0 when there is none. */
static int cell_piece(const struct trc_coll_bld *b, uint64_t base, uint64_t len, uint64_t q,
		      uint64_t *lo, uint64_t *hi)
{
	uint64_t S = b->slice, end = base + len;

	*lo = q ? (base / S + q) * S : base;
	if (*lo >= end)
		return 0;
	*hi = (*lo / S + 1) * S;
	if (*hi > end)
		*hi = end;
	return 1;
}

static uint32_t log2_exact(uint32_t m)
{
	uint32_t l = 0;

	while ((1u << l) < m)
		l++;
	return l;
}

static struct trc_coll_cond *conds_new(size_t n)
{
	return calloc(n ? n : 1, sizeof(struct trc_coll_cond));
}

static void conds_free(struct trc_coll_cond *c, size_t n)
{
	size_t i;

	for (i = 0; c && i < n; i++)
		trc_coll_cond_free(&c[i]);
	free(c);
}

/*
 * Reduce-scatter by recursive halving over the ranks of @r (m a power of two): at step t
 * (distance d = m / 2^(t+1)) rank i and its partner i ^ d split their common region of
 * 2d chunks; rank i keeps the upper half if bit d of i is set, else the lower, sends the
 * other half (from @src at step 0, later its partial sums in @dst) into the partner's
 * staging area of the step, and sums the half it receives into its own (TPCs, in @dst).
 * Rank i ends with chunk i of @dst reduced (rout). Per cell: a piece leaves once the
 * sender's partial sum of that cell is written, and is reduced once it has landed and
 * the receiver's own partial sum of that cell is written.
 */
static hlsim_err_t ph_hd_rs(struct trc_coll_bld *b, const struct region *r, uint64_t src,
			    uint64_t dst, uint32_t stream, const struct trc_coll_rmap *rin,
			    struct trc_coll_rmap *rout)
{
	uint32_t m = r->m, L = log2_exact(m), i, t;
	uint64_t S = b->slice, V = (uint64_t)m * r->clen, nc = (V + S - 1) / S, stage, q, lo, hi;
	uint64_t v, a, len, in[2];
	struct trc_coll_cond *prev = NULL, *cur = NULL, *sw, *psend, *precv;
	struct trc_coll_cond arr = { 0 }, done = { 0 };
	hlsim_err_t rc = HLSIM_OK;

	if (m < 2 || (1u << L) != m)
		return hlsim_error(HLSIM_E_INVAL, "gen collective: halving over %u ranks", m);
	prev = conds_new((size_t)m * nc);
	cur = conds_new((size_t)m * nc);
	if (!prev || !cur) {
		rc = hlsim_error(HLSIM_E_NOMEM, "gen collective: halving of %u ranks", m);
		goto out;
	}
	for (t = 0; !rc && t < L; t++) {
		uint32_t d = m >> (t + 1);
		uint64_t H = (uint64_t)d * r->clen;
		int any = 1;

		rc = trc_coll_stage_alloc(b, H, &stage);
		for (v = 0; v < (uint64_t)m * nc; v++)
			cur[v].n = 0;
		for (q = 0; !rc && any; q++) {
			any = 0;
			for (i = 0; !rc && i < m; i++) {
				uint32_t p = i ^ d;
				uint64_t base = (uint64_t)(i & ~(2 * d - 1)) * r->clen;
				uint64_t give = i & d ? base : base + H, cell;

				if (!cell_piece(b, give, H, q, &lo, &hi))
					continue;
				any = 1;
				cell = lo / S;
				psend = &prev[i * nc + cell];
				precv = &prev[p * nc + cell];
				for (v = lo; !rc && v < hi; v += len) {
					len = vpiece(r, v, hi, &a);
					b->tmp.n = 0;
					if (t == 0)
						rc = trc_coll_rmap_query(&rin[r->g[i]], a, a + len,
									 &b->tmp);
					else
						rc = trc_coll_cond_merge(&b->tmp, psend);
					arr.n = 0;
					if (!rc)
						rc = send(b, r->g[i], r->g[p], (t ? dst : src) + a,
							  stage + (v - give), len, stream, &b->tmp,
							  &arr);
					if (!rc && t == 0)
						rc = trc_coll_rmap_query(&rin[r->g[p]], a, a + len,
									 &arr);
					else if (!rc)
						rc = trc_coll_cond_merge(&arr, precv);
					in[0] = (t ? dst : src) + a;
					in[1] = stage + (v - give);
					done.n = 0;
					if (!rc)
						rc = reduce(b, r->g[p], in, 2, dst + a, len, &arr,
							    &done);
					if (!rc)
						rc = trc_coll_cond_merge(&cur[p * nc + cell],
									 &done);
				}
			}
		}
		sw = prev;
		prev = cur;
		cur = sw;
	}
	/* rank i holds chunk i */
	for (i = 0; !rc && i < m; i++) {
		uint64_t base = (uint64_t)i * r->clen;

		for (q = 0; !rc && cell_piece(b, base, r->clen, q, &lo, &hi); q++) {
			for (v = lo; !rc && v < hi; v += len) {
				len = vpiece(r, v, hi, &a);
				rc = trc_coll_rmap_add(&rout[r->g[i]], a, a + len,
						       &prev[i * nc + lo / S]);
			}
		}
	}
out:
	conds_free(prev, prev ? (size_t)m * nc : 0);
	conds_free(cur, cur ? (size_t)m * nc : 0);
	trc_coll_cond_free(&arr);
	trc_coll_cond_free(&done);
	return rc;
}

/*
 * All-gather by recursive doubling over the ranks of @r (m a power of two): rank i starts
 * with chunk i of @buf; at step t (distance d = 2^t) it sends the block of d chunks it
 * holds (the aligned one containing chunk i) to rank i ^ d, into the same place, and
 * receives that rank's block. A piece leaves once the cell it lies in is ready on the
 * sender (as of the start of the step).
 */
static hlsim_err_t ph_hd_ag(struct trc_coll_bld *b, const struct region *r, uint64_t buf,
			    uint32_t stream, const struct trc_coll_rmap *rin,
			    struct trc_coll_rmap *rout)
{
	uint32_t m = r->m, L = log2_exact(m), i, t;
	uint64_t S = b->slice, V = (uint64_t)m * r->clen, nc = (V + S - 1) / S, q, lo, hi;
	uint64_t v, a, len, k;
	struct trc_coll_cond *hold = NULL, *gain = NULL, arr = { 0 };
	hlsim_err_t rc = HLSIM_OK;

	if (m < 2 || (1u << L) != m)
		return hlsim_error(HLSIM_E_INVAL, "gen collective: doubling over %u ranks", m);
	hold = conds_new((size_t)m * nc);
	gain = conds_new((size_t)m * nc);
	if (!hold || !gain) {
		rc = hlsim_error(HLSIM_E_NOMEM, "gen collective: doubling of %u ranks", m);
		goto out;
	}
	for (i = 0; !rc && i < m; i++) {
		uint64_t base = (uint64_t)i * r->clen;

		for (q = 0; !rc && cell_piece(b, base, r->clen, q, &lo, &hi); q++) {
			for (v = lo; !rc && v < hi; v += len) {
				len = vpiece(r, v, hi, &a);
				b->tmp.n = 0;
				rc = trc_coll_rmap_query(&rin[r->g[i]], a, a + len, &b->tmp);
				if (!rc)
					rc = trc_coll_rmap_add(&rout[r->g[i]], a, a + len, &b->tmp);
				if (!rc)
					rc = trc_coll_cond_merge(&hold[i * nc + lo / S], &b->tmp);
			}
		}
	}
	for (t = 0; !rc && t < L; t++) {
		uint32_t d = 1u << t;
		uint64_t blen = (uint64_t)d * r->clen;
		int any = 1;

		for (q = 0; !rc && any; q++) {
			any = 0;
			for (i = 0; !rc && i < m; i++) {
				uint32_t p = i ^ d;
				uint64_t base = (uint64_t)(i & ~(d - 1)) * r->clen, cell;

				if (!cell_piece(b, base, blen, q, &lo, &hi))
					continue;
				any = 1;
				cell = lo / S;
				for (v = lo; !rc && v < hi; v += len) {
					len = vpiece(r, v, hi, &a);
					arr.n = 0;
					rc = send(b, r->g[i], r->g[p], buf + a, buf + a, len,
						  stream, &hold[i * nc + cell], &arr);
					if (!rc)
						rc = trc_coll_rmap_add(&rout[r->g[p]], a, a + len,
								       &arr);
					if (!rc)
						rc = trc_coll_cond_merge(&gain[p * nc + cell],
									 &arr);
				}
			}
		}
		/* what arrived in this step is what the next one can send */
		for (k = 0; !rc && k < (uint64_t)m * nc; k++) {
			rc = trc_coll_cond_merge(&hold[k], &gain[k]);
			gain[k].n = 0;
		}
	}
out:
	conds_free(hold, hold ? (size_t)m * nc : 0);
	conds_free(gain, gain ? (size_t)m * nc : 0);
	trc_coll_cond_free(&arr);
	return rc;
}

/* All-to-all: block j of IN on rank i goes to block i of OUT on rank j (blocks of @clen). */
static hlsim_err_t ph_alltoall(struct trc_coll_bld *b, const struct region *r,
			       struct trc_coll_rmap *rout)
{
	uint32_t m = r->m, i, j, h, *ord = NULL;
	uint64_t s, ns = nslices(b, r->clen);
	struct trc_coll_cond arr = { 0 }, none = { 0 };
	hlsim_err_t rc;

	rc = peer_orders(b, r, &ord);
	for (s = 0; !rc && s < ns; s++) {
		uint64_t so = s * b->slice, sl = slice_len(b, r->clen, s);

		for (i = 0; !rc && i < m; i++) {
			for (h = 0; !rc && h + 1 < m; h++) {
				uint64_t at = i * r->stride + so;

				j = ord[(size_t)i * (m - 1) + h];
				arr.n = 0;
				rc = send(b, r->g[i], r->g[j], b->in + j * r->stride + so,
					  b->out + at, sl, 0, &none, &arr);
				if (!rc)
					rc = trc_coll_rmap_add(&rout[r->g[j]], at, at + sl, &arr);
			}
		}
	}
	trc_coll_cond_free(&arr);
	free(ord);
	return rc;
}

/*
 * Direct broadcast of @len bytes of @buf from rank 0 of @r: part p of m-1 goes to rank p+1,
 * which forwards each slice to the other non-root ranks (@stream2).
 */
static hlsim_err_t ph_bcast_direct(struct trc_coll_bld *b, const struct region *r, uint64_t buf,
				   uint64_t len, uint32_t stream, uint32_t stream2,
				   const struct trc_coll_rmap *rin, struct trc_coll_rmap *rout)
{
	uint32_t m = r->m, p, q, h, *ord = NULL;
	uint64_t elems = len / b->es, parts = m - 1, plen, pmax, poff, s, ns;
	struct trc_coll_cond arr = { 0 }, arr2 = { 0 };
	hlsim_err_t rc;

	b->tmp.n = 0;
	rc = peer_orders(b, r, &ord);
	if (!rc)
		rc = trc_coll_rmap_query(&rin[r->g[0]], 0, len, &b->tmp);
	if (!rc)
		rc = trc_coll_rmap_add(&rout[r->g[0]], 0, len, &b->tmp);
	pmax = (elems / parts + (elems % parts != 0)) * b->es;
	ns = nslices(b, pmax);
	for (s = 0; !rc && s < ns; s++) {
		for (p = 0; !rc && p < parts; p++) {
			uint64_t so, sl;

			plen = (elems / parts + (p < elems % parts)) * b->es;
			poff = (p * (elems / parts) + (p < elems % parts ? p : elems % parts)) *
			       b->es;
			so = s * b->slice;
			if (so >= plen)
				continue;
			sl = slice_len(b, plen, s);
			b->tmp.n = 0;
			arr.n = 0;
			rc = trc_coll_rmap_query(&rin[r->g[0]], poff + so, poff + so + sl, &b->tmp);
			if (!rc)
				rc = send(b, r->g[0], r->g[p + 1], buf + poff + so, buf + poff + so,
					  sl, stream, &b->tmp, &arr);
			if (!rc)
				rc = trc_coll_rmap_add(&rout[r->g[p + 1]], poff + so,
						       poff + so + sl, &arr);
			for (h = 0; !rc && h + 1 < m; h++) {
				q = ord[(size_t)(p + 1) * (m - 1) + h];
				if (q == 0)
					continue;
				arr2.n = 0;
				rc = send(b, r->g[p + 1], r->g[q], buf + poff + so, buf + poff + so,
					  sl, stream2, &arr, &arr2);
				if (!rc)
					rc = trc_coll_rmap_add(&rout[r->g[q]], poff + so,
							       poff + so + sl, &arr2);
			}
		}
	}
	trc_coll_cond_free(&arr);
	trc_coll_cond_free(&arr2);
	free(ord);
	return rc;
}

/* Chain broadcast of @len bytes of @buf: rank 0 -> 1 -> ... -> m-1, slice by slice. */
static hlsim_err_t ph_bcast_chain(struct trc_coll_bld *b, const struct region *r, uint64_t buf,
				  uint64_t len, uint32_t stream, const struct trc_coll_rmap *rin,
				  struct trc_coll_rmap *rout)
{
	uint32_t i;
	uint64_t s, ns = nslices(b, len);
	struct trc_coll_cond hop = { 0 }, arr = { 0 };
	hlsim_err_t rc;

	b->tmp.n = 0;
	rc = trc_coll_rmap_query(&rin[r->g[0]], 0, len, &b->tmp);
	if (!rc)
		rc = trc_coll_rmap_add(&rout[r->g[0]], 0, len, &b->tmp);
	for (s = 0; !rc && s < ns; s++) {
		uint64_t so = s * b->slice, sl = slice_len(b, len, s);

		hop.n = 0;
		rc = trc_coll_rmap_query(&rin[r->g[0]], so, so + sl, &hop);
		for (i = 0; !rc && i + 1 < r->m; i++) {
			arr.n = 0;
			rc = send(b, r->g[i], r->g[i + 1], buf + so, buf + so, sl, stream, &hop,
				  &arr);
			if (!rc)
				rc = trc_coll_rmap_add(&rout[r->g[i + 1]], so, so + sl, &arr);
			hop.n = 0;
			if (!rc)
				rc = trc_coll_cond_merge(&hop, &arr);
		}
	}
	trc_coll_cond_free(&hop);
	trc_coll_cond_free(&arr);
	return rc;
}

/* ====} */

/* {==== the operations ==== */

/* Groups: everyone; box @bx; the cards @c of every box. */
static void group_all(const struct trc_coll_bld *b, uint32_t *g)
{
	uint32_t i;

	for (i = 0; i < b->n; i++)
		g[i] = i;
}

static void group_box(const struct trc_coll_bld *b, uint32_t bx, uint32_t *g)
{
	uint32_t c;

	for (c = 0; c < b->topo.cards; c++)
		g[c] = bx * b->topo.cards + c;
}

static void group_col(const struct trc_coll_bld *b, uint32_t c, uint32_t *g)
{
	uint32_t bx;

	for (bx = 0; bx < b->n / b->topo.cards; bx++)
		g[bx] = bx * b->topo.cards + c;
}

/* Whether @op lowered with @algo has a phase across boxes that b->xalgo chooses. */
static int has_xphase(const struct trc_coll_bld *b, uint32_t op, uint32_t algo)
{
	return algo == TRC_GEN_COLL_HIERARCHICAL && b->n > b->topo.cards &&
	       (op == TRC_GEN_COLL_ALLREDUCE || op == TRC_GEN_COLL_REDUCESCATTER ||
		op == TRC_GEN_COLL_ALLGATHER);
}

/*
 * The phase across boxes of @op with @algo: TRC_GEN_COLL_X_AUTO when there is none, else
 * b->xalgo with AUTO resolved: HD for a power-of-two number of boxes M of 16 or more,
 * else RING. Both send each rank 2(M-1)/M of its shard across boxes (all-reduce), but
 * halving-doubling does it in 2 log2(M) steps instead of 2(M-1): fewer, larger NIC
 * records and reductions (14 steps instead of 254 at 128 boxes), so less per-step
 * latency and fewer simulated activities. But its last doubling step delivers half of the
 * shard at once, which the all-gather in the box then waits for, where the ring's chunks
 * trickle in and overlap it. Simulated on HLS-Gaudi2 boxes (fp32 all-reduce, automatic
 * slices; [I] measured with this simulator, not on hardware): 4 boxes ring 393 us / hd
 * 410 us at 32 MiB, 2.92 / 3.12 ms at 256 MiB; 8 boxes 469 / 473 us, 3.33 / 3.22 ms;
 * 16 boxes 542 / 492 us, 3.60 / 3.14 ms; 32 boxes 657 / 484 us at 32 MiB. So hd from 16
 * boxes; at 8 the two are even (and hd makes slightly more SimGrid activities there, 454k
 * against 433k at 32 MiB), so the ring stays, as before this option existed. The model's scale-out network is
 * non-blocking (every scale-out port reaches every box), which serves halving-doubling's
 * distant partners as well as a ring's neighbours; an oversubscribed fabric, which this
 * model does not represent, could favour the ring. At M = 2 both are the same exchange.
 */
static uint32_t xalgo_resolve(const struct trc_coll_bld *b, uint32_t op, uint32_t algo)
{
	uint32_t M = b->n / b->topo.cards;

	if (!has_xphase(b, op, algo))
		return TRC_GEN_COLL_X_AUTO;
	if (b->xalgo != TRC_GEN_COLL_X_AUTO)
		return b->xalgo;
	return M >= 16 && !(M & (M - 1)) ? TRC_GEN_COLL_X_HD : TRC_GEN_COLL_X_RING;
}

hlsim_err_t trc_coll_lower(struct trc_coll_bld *b, uint32_t op, uint32_t algo, uint64_t bytes,
			   uint64_t slice, uint64_t in, uint64_t out,
			   const struct trc_coll_rmap *rin0, struct trc_coll_rmap *rout)
{
	uint32_t n = b->n, C = b->topo.cards, M = n / C, c, bx, x;
	uint64_t B = bytes;
	struct trc_coll_rmap *r1 = NULL, *r2 = NULL;
	uint32_t *g = NULL;
	struct region r;
	hlsim_err_t rc;

	b->op = op;
	b->algo = algo;
	b->bytes = bytes;
	b->slice = slice;
	b->in = in;
	b->out = out;
	g = calloc(n, sizeof(*g));
	rc = g ? HLSIM_OK : hlsim_error(HLSIM_E_NOMEM, "gen collective");
	if (!rc)
		rc = trc_coll_rmaps_new(n, &r1);
	if (!rc)
		rc = trc_coll_rmaps_new(n, &r2);
	if (rc)
		goto out;
	if (b->algo != TRC_GEN_COLL_HIERARCHICAL) {
		group_all(b, g);
		r = (struct region){ g, n, 0, B / n, B / n };
		switch (op) {
		case TRC_GEN_COLL_ALLREDUCE:
			if (b->algo == TRC_GEN_COLL_RING) {
				rc = ph_ring_rs(b, &r, b->in, b->out, 0, rin0, r1);
				if (!rc)
					rc = ph_ring_ag(b, &r, b->out, 1, 0, r1, rout);
			} else {
				rc = ph_direct_rs(b, &r, b->in, b->out, 0, rin0, r1);
				if (!rc)
					rc = ph_direct_ag(b, &r, b->out, 1, r1, rout);
			}
			break;
		case TRC_GEN_COLL_REDUCESCATTER:
			if (b->algo == TRC_GEN_COLL_RING)
				rc = ph_ring_rs(b, &r, b->in, b->out, 0, rin0, rout);
			else
				rc = ph_direct_rs(b, &r, b->in, b->out, 0, rin0, rout);
			break;
		case TRC_GEN_COLL_ALLGATHER:
			r = (struct region){ g, n, 0, B, B };
			if (b->algo == TRC_GEN_COLL_RING)
				rc = ph_ring_ag(b, &r, b->out, 0, 0, rin0, rout);
			else
				rc = ph_direct_ag(b, &r, b->out, 0, rin0, rout);
			break;
		case TRC_GEN_COLL_ALLTOALL:
			rc = ph_alltoall(b, &r, rout);
			break;
		case TRC_GEN_COLL_BROADCAST:
			if (b->algo == TRC_GEN_COLL_RING)
				rc = ph_bcast_chain(b, &r, b->out, B, 0, rin0, rout);
			else
				rc = ph_bcast_direct(b, &r, b->out, B, 0, 1, rin0, rout);
			break;
		default:
			rc = hlsim_error(HLSIM_E_USAGE, "unknown collective %u", op);
		}
		goto out;
	}
	/* hierarchical: stream 0 in the box, 2 across boxes, 1 for the box's second half */
	x = xalgo_resolve(b, op, b->algo);
	b->st.scaleout_algo = x;
	switch (op) {
	case TRC_GEN_COLL_ALLREDUCE:
	case TRC_GEN_COLL_REDUCESCATTER:
		for (bx = 0; !rc && bx < M; bx++) {
			group_box(b, bx, g);
			r = (struct region){ g, C, 0, B / C, B / C };
			rc = ph_direct_rs(b, &r, b->in, b->out, 0, rin0, r1);
		}
		for (c = 0; !rc && c < C; c++) {
			struct trc_coll_rmap *rs_out = op == TRC_GEN_COLL_ALLREDUCE ? r2 : rout;

			group_col(b, c, g);
			r = (struct region){ g, M, c * (B / C), B / n, B / n };
			if (x == TRC_GEN_COLL_X_HD)
				rc = ph_hd_rs(b, &r, b->out, b->out, 2, r1, rs_out);
			else
				rc = ph_ring_rs(b, &r, b->out, b->out, 2, r1, rs_out);
			if (!rc && op == TRC_GEN_COLL_ALLREDUCE && x == TRC_GEN_COLL_X_HD)
				rc = ph_hd_ag(b, &r, b->out, 2, r2, r2);
			else if (!rc && op == TRC_GEN_COLL_ALLREDUCE)
				rc = ph_ring_ag(b, &r, b->out, 1, 2, r2, r2);
		}
		for (bx = 0; !rc && op == TRC_GEN_COLL_ALLREDUCE && bx < M; bx++) {
			group_box(b, bx, g);
			r = (struct region){ g, C, 0, B / C, B / C };
			rc = ph_direct_ag(b, &r, b->out, 1, r2, rout);
		}
		break;
	case TRC_GEN_COLL_ALLGATHER:
		for (c = 0; !rc && c < C; c++) {
			group_col(b, c, g);
			r = (struct region){ g, M, c * B, C * B, B };
			if (x == TRC_GEN_COLL_X_HD)
				rc = ph_hd_ag(b, &r, b->out, 2, rin0, r1);
			else
				rc = ph_ring_ag(b, &r, b->out, 0, 2, rin0, r1);
		}
		for (bx = 0; !rc && bx < M; bx++) {
			uint32_t blk;

			group_box(b, bx, g);
			for (blk = 0; !rc && blk < M; blk++) {
				r = (struct region){ g, C, (uint64_t)blk * C * B, B, B };
				rc = ph_direct_ag(b, &r, b->out, 1, r1, rout);
			}
		}
		break;
	case TRC_GEN_COLL_BROADCAST:
		group_col(b, 0, g);
		r = (struct region){ g, M, 0, B, B };
		rc = ph_bcast_chain(b, &r, b->out, B, 2, rin0, r1);
		for (bx = 0; !rc && bx < M; bx++) {
			group_box(b, bx, g);
			r = (struct region){ g, C, 0, B, B };
			rc = ph_bcast_direct(b, &r, b->out, B, 0, 1, r1, rout);
		}
		break;
	default:
		rc = hlsim_error(HLSIM_E_USAGE, "unknown collective %u", op);
	}
out:
	trc_coll_rmaps_free(r1, n);
	trc_coll_rmaps_free(r2, n);
	free(g);
	return rc;
}

/* ====} */

/* {==== options, names and the trace ==== */

static const char *const op_names[TRC_GEN_COLL_OP_COUNT_] = {
	[TRC_GEN_COLL_ALLREDUCE] = "allreduce", [TRC_GEN_COLL_REDUCESCATTER] = "reducescatter",
	[TRC_GEN_COLL_ALLGATHER] = "allgather", [TRC_GEN_COLL_ALLTOALL] = "alltoall",
	[TRC_GEN_COLL_BROADCAST] = "broadcast",
};

static const char *const algo_names[TRC_GEN_COLL_ALGO_COUNT_] = {
	[TRC_GEN_COLL_AUTO] = "auto",
	[TRC_GEN_COLL_DIRECT] = "direct",
	[TRC_GEN_COLL_RING] = "ring",
	[TRC_GEN_COLL_HIERARCHICAL] = "hierarchical",
};

static const char *const xalgo_names[TRC_GEN_COLL_X_COUNT_] = {
	[TRC_GEN_COLL_X_AUTO] = "auto",
	[TRC_GEN_COLL_X_RING] = "ring",
	[TRC_GEN_COLL_X_HD] = "hd",
};

void trc_gen_coll_defaults(struct trc_gen_coll_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->asic = "gaudi2";
	o->op = TRC_GEN_COLL_ALLREDUCE;
	o->algo = TRC_GEN_COLL_AUTO;
	o->devices = 8;
	o->bytes = 32ull << 20;
	o->dtype = "fp32";
	o->slice_bytes = 0;
}

/* Index of @name in @names[0..@count), -1 if absent (or NULL). */
static int name_index(const char *const *names, int count, const char *name)
{
	int i;

	for (i = 0; name && i < count; i++)
		if (!strcmp(name, names[i]))
			return i;
	return -1;
}

int trc_gen_coll_op_by_name(const char *name)
{
	return name_index(op_names, TRC_GEN_COLL_OP_COUNT_, name);
}

const char *trc_gen_coll_op_name(uint32_t op)
{
	return op < TRC_GEN_COLL_OP_COUNT_ ? op_names[op] : "?";
}

int trc_gen_coll_algo_by_name(const char *name)
{
	return name_index(algo_names, TRC_GEN_COLL_ALGO_COUNT_, name);
}

const char *trc_gen_coll_algo_name(uint32_t algo)
{
	return algo < TRC_GEN_COLL_ALGO_COUNT_ ? algo_names[algo] : "?";
}

int trc_gen_coll_xalgo_by_name(const char *name)
{
	return name_index(xalgo_names, TRC_GEN_COLL_X_COUNT_, name);
}

const char *trc_gen_coll_xalgo_name(uint32_t xalgo)
{
	return xalgo < TRC_GEN_COLL_X_COUNT_ ? xalgo_names[xalgo] : "?";
}

double trc_gen_coll_busbw_factor(uint32_t op, uint32_t n)
{
	if (!n)
		return 0;
	switch (op) {
	case TRC_GEN_COLL_ALLREDUCE:
		return 2.0 * (n - 1) / n;
	case TRC_GEN_COLL_REDUCESCATTER:
	case TRC_GEN_COLL_ALLTOALL:
		return (double)(n - 1) / n;
	case TRC_GEN_COLL_ALLGATHER:
		return (double)(n - 1);
	case TRC_GEN_COLL_BROADCAST:
		return 1.0;
	default:
		return 0;
	}
}

/*
 * The automatic slice: half of the unit a rank sends to one peer (B / N, all-gather's B,
 * broadcast's B / (N-1)), rounded up to the element, at least AUTO_SLICE_MIN_BYTES and at
 * most AUTO_SLICE_MAX_BYTES. [I] Two slices are the fewest that overlap the reduction of
 * one with the transfer of the other (a TPC reduction runs several times faster than one
 * peer's share of the links), and every further slice adds one NIC record, with its
 * start-up latency, per port; below AUTO_SLICE_MIN_BYTES latency dominates anyway, so
 * small units are not cut at all.
 */
uint64_t trc_coll_auto_slice(uint32_t op, uint32_t n, uint64_t bytes, uint32_t es)
{
	uint64_t unit = bytes / n, half;

	if (op == TRC_GEN_COLL_ALLGATHER)
		unit = bytes;
	else if (op == TRC_GEN_COLL_BROADCAST)
		unit = bytes / (n - 1);
	half = trc_gen_align_up((unit + 1) / 2, es);
	if (half < AUTO_SLICE_MIN_BYTES)
		half = AUTO_SLICE_MIN_BYTES;
	if (half > AUTO_SLICE_MAX_BYTES)
		half = AUTO_SLICE_MAX_BYTES;
	return half;
}

/*
 * The automatic slice of a collective lowered by @algo on @b's devices. Hierarchical
 * lowerings are sliced for the box instead of for all N ranks: a quarter of what a card
 * sends one peer of its box (trc_coll_auto_slice() over 2 x box.cards), so 1 MiB for a
 * 32 MiB all-reduce on 8-card boxes whatever the number of boxes. [I] Measured on 256
 * Gaudi2 devices (32 boxes, 32 MiB): the rule for N ranks gives 256 KiB slices and
 * 1.89 M SimGrid activities for 484 us simulated with halving-doubling across boxes;
 * this one 0.81 M activities for 470 us (ring across boxes: 1.26 M, 657 us either way,
 * its chunks being smaller than a slice). Half of the box unit (2 MiB) was worse, 612 us:
 * the last doubling step and the all-gather in the box pipeline on fewer slices.
 */
uint64_t trc_coll_auto_slice_for(const struct trc_coll_bld *b, uint32_t op, uint32_t algo,
				 uint64_t bytes)
{
	if (algo == TRC_GEN_COLL_HIERARCHICAL && b->topo.cards && b->topo.cards < b->n)
		return trc_coll_auto_slice(op, 2 * b->topo.cards, bytes, b->es);
	return trc_coll_auto_slice(op, b->n, bytes, b->es);
}

hlsim_err_t trc_coll_check(const struct trc_coll_bld *b, uint32_t op, uint32_t algo, uint64_t bytes,
			   uint32_t *algo_out)
{
	const char *name = trc_gen_coll_op_name(op);
	uint32_t n = b->n, es = b->es;
	uint64_t unit, lo;

	if (op >= TRC_GEN_COLL_OP_COUNT_)
		return hlsim_error(HLSIM_E_USAGE, "unknown collective %u", op);
	unit = op == TRC_GEN_COLL_ALLGATHER || op == TRC_GEN_COLL_BROADCAST ? es : (uint64_t)n * es;
	if (!bytes || bytes % unit) {
		lo = bytes / unit * unit;
		if (unit == es)
			return hlsim_error(HLSIM_E_USAGE,
					   "--bytes %" PRIu64
					   ": %s of %s needs a positive multiple "
					   "of the %u-byte element (%" PRIu64 " or %" PRIu64 ")",
					   bytes, name, b->dtype, es, lo ? lo : unit, lo + unit);
		return hlsim_error(HLSIM_E_USAGE,
				   "--bytes %" PRIu64 ": %s on %u devices cuts the buffer into %u "
				   "chunks of whole %s elements: use a multiple of %" PRIu64
				   " (%" PRIu64 " or %" PRIu64 ")",
				   bytes, name, n, n, b->dtype, unit, lo ? lo : unit, lo + unit);
	}
	if (algo >= TRC_GEN_COLL_ALGO_COUNT_)
		return hlsim_error(HLSIM_E_USAGE, "unknown algorithm %u", algo);
	if (algo == TRC_GEN_COLL_AUTO) {
		algo = n <= b->topo.cards	? TRC_GEN_COLL_DIRECT
		       : n % b->topo.cards == 0 ? TRC_GEN_COLL_HIERARCHICAL
						: TRC_GEN_COLL_RING;
		if (algo == TRC_GEN_COLL_RING && op == TRC_GEN_COLL_ALLTOALL)
			algo = TRC_GEN_COLL_DIRECT;
	}
	if (algo == TRC_GEN_COLL_HIERARCHICAL && op == TRC_GEN_COLL_ALLTOALL)
		algo = TRC_GEN_COLL_DIRECT; /* every pair exchanges directly anyway */
	if (algo == TRC_GEN_COLL_RING && op == TRC_GEN_COLL_ALLTOALL)
		return hlsim_error(HLSIM_E_USAGE,
				   "--algo ring: alltoall has no ring lowering; use direct");
	if (algo == TRC_GEN_COLL_HIERARCHICAL && (n <= b->topo.cards || n % b->topo.cards))
		return hlsim_error(HLSIM_E_USAGE,
				   "--algo hierarchical: needs whole boxes and more than one: "
				   "--devices %u with box.cards = %u",
				   n, b->topo.cards);
	if (b->xalgo >= TRC_GEN_COLL_X_COUNT_)
		return hlsim_error(HLSIM_E_USAGE, "unknown --scaleout-algo %u", b->xalgo);
	if (b->xalgo != TRC_GEN_COLL_X_AUTO && !has_xphase(b, op, algo))
		return hlsim_error(HLSIM_E_USAGE,
				   "--scaleout-algo %s: only the phase across boxes of a "
				   "hierarchical allreduce, reducescatter or allgather has one "
				   "(here %s with algo %s on %u devices, box.cards = %u)",
				   trc_gen_coll_xalgo_name(b->xalgo), name,
				   trc_gen_coll_algo_name(algo), n, b->topo.cards);
	if (b->xalgo == TRC_GEN_COLL_X_HD && ((n / b->topo.cards) & (n / b->topo.cards - 1)))
		return hlsim_error(HLSIM_E_USAGE,
				   "--scaleout-algo hd: recursive halving-doubling needs a "
				   "power-of-two number of boxes; --devices %u is %u boxes of %u: "
				   "use ring (or 2, 4, 8, ... boxes)",
				   n, n / b->topo.cards, b->topo.cards);
	*algo_out = algo;
	return HLSIM_OK;
}

/* The device records (they must exist before any other record of a device). */
static hlsim_err_t add_devices(struct trc_coll_bld *b)
{
	struct hlsim_trace_device info;
	uint32_t i, id;
	hlsim_err_t rc = HLSIM_OK;

	for (i = 0; !rc && i < b->n; i++) {
		trc_gen_fill_identity(&b->x, &info);
		info.tpc_enabled_mask = 0xFF;
		if (trc_gen_tpc_count(&b->x) > 8)
			info.tpc_enabled_mask_ext = (1ull << trc_gen_tpc_count(&b->x)) - 1;
		info.module_id = mdl_net_card(&b->topo, i);
		info.cur_clk_rate_mhz = 1950;
		info.max_clk_rate_mhz = 2200;
		rc = hlsim_trace_add_device(b->w, &info, &id);
		if (!rc && id != i)
			rc = hlsim_error(HLSIM_E_INVAL, "%s: device %u got index %u", b->x.who, i,
					 id);
	}
	return rc;
}

/* Queue ids and CPs of every slot of every device, the SOB layout, the HBM range. */
static hlsim_err_t plan_slots(struct trc_coll_bld *b, uint32_t mmes, const uint8_t *mme_engine)
{
	struct trc_coll_q *proto;
	uint32_t p, s, t, i, sob0;

	b->ports = b->topo.nic_ports;
	b->nmme = mmes;
	b->nslots = b->ports * STREAMS + b->tpcs + 1 + mmes;
	proto = calloc(b->nslots, sizeof(*proto));
	if (!proto)
		return hlsim_error(HLSIM_E_NOMEM, "%s: queues", b->x.who);
	for (p = 0; p < b->ports; p++) {
		for (s = 0; s < STREAMS; s++) {
			proto[trc_coll_slot_nic(p, s)].qid =
				trc_gen_queue_id(&b->x, MDL_ENGINE_NIC, p, s);
			proto[trc_coll_slot_nic(p, s)].cp = (uint8_t)s;
		}
	}
	for (t = 0; t < b->tpcs; t++)
		proto[trc_coll_slot_tpc(b, t)].qid = trc_gen_queue_id(&b->x, MDL_ENGINE_TPC, t, 0);
	proto[trc_coll_slot_last(b)].qid = trc_gen_queue_id(&b->x, MDL_ENGINE_DMA, 0, 0);
	for (i = 0; i < mmes; i++)
		proto[trc_coll_slot_mme(b, i)].qid =
			trc_gen_queue_id(&b->x, MDL_ENGINE_MME, mme_engine[i], 0);
	for (i = 0; i < b->nslots; i++) {
		if (proto[i].qid == UINT32_MAX) {
			free(proto);
			return hlsim_error(
				HLSIM_E_UNSUPPORTED,
				"%s: %s lacks a NIC, TPC, MME or DMA_0_0 queue this trace "
				"uses (slot %u)",
				b->x.who, b->x.p->asic_name, i);
		}
		proto[i].qman = b->x.f->qman_of_queue(proto[i].qid);
	}
	b->d = calloc(b->n, sizeof(*b->d));
	if (!b->d) {
		free(proto);
		return hlsim_error(HLSIM_E_NOMEM, "%s: %u devices", b->x.who, b->n);
	}
	/* TPC done SOBs, transmit SOBs, MME done SOBs (one group), then receive channels */
	b->mme_sob = (uint32_t)trc_gen_align_up(SOB_FIRST + TRC_GEN_COLL_MAX_TPCS + b->ports,
						b->x.p->mon_max_sobs);
	sob0 = (uint32_t)trc_gen_align_up(b->mme_sob + mmes, b->x.p->mon_max_sobs);
	for (i = 0; i < b->n; i++) {
		b->d[i].q = calloc(b->nslots, sizeof(*b->d[i].q));
		if (!b->d[i].q) {
			free(proto);
			return hlsim_error(HLSIM_E_NOMEM, "%s: queues of device %u", b->x.who, i);
		}
		memcpy(b->d[i].q, proto, b->nslots * sizeof(*proto));
		b->d[i].sob_next = sob0;
	}
	free(proto);
	b->sob_max = b->x.p->sobs_per_block < SOB_LIMIT ? b->x.p->sobs_per_block : SOB_LIMIT;
	b->val_max = b->x.p->sob_value_mask;
	b->hbm_end = trc_gen_tpc_isa_addr(&b->x);
	b->stage_next = trc_gen_align_up(b->x.p->dram_base, BUF_ALIGN_BYTES);
	return HLSIM_OK;
}

hlsim_err_t trc_coll_open(struct trc_coll_bld *b, const struct trc_coll_setup *su)
{
	const struct mdl_tpc_layout *l;
	hlsim_config_t *own = NULL;
	const hlsim_config_t *cfg = su->cfg;
	uint32_t blk, code, maxt;
	hlsim_err_t rc;

	memset(b, 0, sizeof(*b));
	b->n = su->devices;
	b->dtype = su->dtype;
	rc = trc_gen_ctx_init(&b->x, su->asic ? su->asic : "", su->who);
	if (rc)
		return rc;
	if (b->n < 2 || b->n > TRC_GEN_COLL_MAX_DEVICES)
		return hlsim_error(HLSIM_E_USAGE, "--devices %u: a collective needs 2..%u devices",
				   b->n, TRC_GEN_COLL_MAX_DEVICES);
	if (!cfg) {
		rc = hlsim_config_load(
			strcmp(b->x.p->asic_name, "gaudi2") ? "gaudi_hl205" : "gaudi2_hl225", &own);
		if (rc)
			return rc;
		cfg = own;
	}
	rc = mdl_net_topo_from_config(cfg, b->n, &b->topo);
	hlsim_config_free(own);
	if (rc)
		return rc;
	if (b->topo.nic_ports > MAX_PORTS ||
	    b->topo.nic_ports > b->x.p->engines_per_class[MDL_ENGINE_NIC])
		return hlsim_error(
			HLSIM_E_CONFIG,
			"nic.ports = %u: %s has %u NIC engines (this generator up to %u)",
			b->topo.nic_ports, b->x.p->asic_name,
			b->x.p->engines_per_class[MDL_ENGINE_NIC], MAX_PORTS);
	l = trc_gen_tpc_layout(&b->x);
	if (!l)
		return hlsim_error(HLSIM_E_UNSUPPORTED, "%s has no TPC layout for the reductions",
				   b->x.p->asic_name);
	if (!b->dtype || trc_gen_tpc_dtype(l, b->dtype, &code, &b->es))
		return hlsim_error(HLSIM_E_USAGE,
				   "--dtype %s: not a TPC data type of %s (fp32, "
				   "bf16, ...)",
				   b->dtype ? b->dtype : "(none)", b->x.p->asic_name);
	maxt = trc_gen_tpc_count(&b->x);
	if (maxt > TRC_GEN_COLL_MAX_TPCS)
		maxt = TRC_GEN_COLL_MAX_TPCS;
	if (maxt > b->x.p->mon_max_sobs)
		maxt = b->x.p->mon_max_sobs;
	if (su->tpcs > maxt)
		return hlsim_error(HLSIM_E_USAGE,
				   "--tpcs %u: a reduction uses 1..%u TPCs of %s (their done SOBs "
				   "share one monitor group)",
				   su->tpcs, maxt, b->x.p->asic_name);
	b->tpcs = su->tpcs ? su->tpcs : maxt;
	if (su->mmes > TRC_COLL_MAX_MMES || su->mmes > b->x.p->mon_max_sobs)
		return hlsim_error(HLSIM_E_UNSUPPORTED, "%s: %u MMEs", b->x.who, su->mmes);
	blk = trc_gen_sm_block_by_name(&b->x, "E_N");
	b->x.sm_block = (uint8_t)(blk == UINT32_MAX ? 0 : blk);
	snprintf(b->kernel_buf, sizeof(b->kernel_buf), "coll_sum_%s", b->dtype);
	b->kernel = b->kernel_buf;
	return plan_slots(b, su->mmes, su->mme_engine);
}

hlsim_err_t trc_coll_create(struct trc_coll_bld *b, const char *path, const char *cmdline)
{
	hlsim_err_t rc;

	rc = hlsim_trace_create(path, cmdline ? cmdline : b->x.who, &b->w);
	if (!rc)
		rc = add_devices(b);
	return rc;
}

hlsim_err_t trc_coll_close(struct trc_coll_bld *b)
{
	hlsim_err_t rc = b->w ? hlsim_trace_writer_close(b->w) : HLSIM_OK;
	uint32_t i, k;

	b->w = NULL;
	for (i = 0; b->d && i < b->n; i++) {
		for (k = 0; b->d[i].q && k < b->nslots; k++)
			trc_gen_cb_free(&b->d[i].q[k].cb);
		free(b->d[i].q);
		free(b->d[i].rx);
		free(b->d[i].jobs);
	}
	free(b->d);
	b->d = NULL;
	trc_coll_cond_free(&b->tmp);
	return rc;
}

hlsim_err_t trc_coll_finish_device(struct trc_coll_bld *b, uint32_t dv,
				   const struct trc_coll_rmap *rout, const char *key,
				   const char *value)
{
	struct trc_coll_dev *d = &b->d[dv];
	struct hlsim_trace_cs cs = { .seq = 1,
				     .submit_ns = CS_GAP_NS,
				     .return_ns = CS_GAP_NS + IOCTL_NS };
	struct hlsim_trace_wait wt = { .seq = 1,
				       .timeout_us = 10000000,
				       .enter_ns = CS_GAP_NS + 2 * IOCTL_NS,
				       .exit_ns = CS_GAP_NS + 3 * IOCTL_NS };
	struct hlsim_trace_annotation a;
	struct trc_coll_cond all = { 0 };
	uint32_t i;
	hlsim_err_t rc = HLSIM_OK;

	for (i = 0; !rc && rout && i < rout->n; i++)
		rc = trc_coll_cond_merge(&all, &rout->e[i].c);
	for (i = 0; !rc && i < b->ports; i++)
		rc = trc_coll_cond_add(&all, SOB_FIRST + TRC_GEN_COLL_MAX_TPCS + i, d->tx_count[i]);
	for (i = 0; !rc && i < b->tpcs; i++)
		rc = trc_coll_cond_add(&all, SOB_FIRST + i, d->tpc_count[i]);
	for (i = 0; !rc && i < b->nmme; i++)
		rc = trc_coll_cond_add(&all, b->mme_sob + i, d->mme_count[i]);
	if (!rc)
		rc = trc_coll_emit_wait(b, dv, trc_coll_slot_last(b), &all);
	trc_coll_cond_free(&all);
	for (i = 0; !rc && i < b->nslots; i++)
		rc = flush(b, dv, i);
	if (!rc && !d->njobs)
		return hlsim_error(HLSIM_E_INVAL, "%s: device %u has no work", b->x.who, dv);
	if (!rc)
		rc = hlsim_trace_add_cs(b->w, dv, &cs, d->jobs, d->njobs);
	if (!rc)
		rc = hlsim_trace_add_wait(b->w, dv, &wt);
	memset(&a, 0, sizeof(a));
	a.cs_seq = 1;
	a.queue_id = UINT32_MAX;
	snprintf(a.key, sizeof(a.key), "%s", key);
	snprintf(a.value, sizeof(a.value), "%s", value);
	if (!rc)
		rc = hlsim_trace_add_annotation(b->w, dv, &a);
	for (i = 0; !rc && i < b->tpcs; i++)
		if (d->hint[i].state == 1)
			rc = trc_gen_tpc_add_annotations(b->w, dv, 1, &d->hint[i].a);
	if (d->sob_next > b->st.sobs_max)
		b->st.sobs_max = d->sob_next;
	if (d->mon_next > b->st.monitors_max)
		b->st.monitors_max = d->mon_next;
	/* what this device needed is written: free it */
	for (i = 0; i < b->nslots; i++)
		trc_gen_cb_free(&d->q[i].cb);
	free(d->q);
	free(d->rx);
	free(d->jobs);
	d->q = NULL;
	d->rx = NULL;
	d->jobs = NULL;
	return rc;
}

hlsim_err_t trc_gen_coll(const struct trc_gen_coll_opts *o, const hlsim_config_t *cfg,
			 const char *path, const char *cmdline, struct trc_gen_coll_stats *stats)
{
	struct trc_coll_setup su;
	struct trc_coll_bld *b;
	struct trc_coll_rmap *rin0 = NULL, *rout = NULL;
	uint64_t in, out, in_bytes = o ? o->bytes : 0, out_bytes = in_bytes, slice;
	uint32_t algo = 0, i;
	char value[224];
	hlsim_err_t rc, crc;

	if (!o || !path)
		return hlsim_error(HLSIM_E_INVAL, "gen collective: NULL options or path");
	b = calloc(1, sizeof(*b));
	if (!b)
		return hlsim_error(HLSIM_E_NOMEM, "gen collective");
	su = (struct trc_coll_setup){ .asic = o->asic,
				      .who = "gen collective",
				      .cfg = cfg,
				      .devices = o->devices,
				      .dtype = o->dtype,
				      .tpcs = o->tpcs };
	rc = trc_coll_open(b, &su);
	b->xalgo = o->scaleout_algo;
	if (!rc)
		rc = trc_coll_check(b, o->op, o->algo, o->bytes, &algo);
	if (!rc && (o->slice_bytes % b->es || o->slice_bytes > (1ull << 32)))
		rc = hlsim_error(HLSIM_E_USAGE,
				 "--slice-bytes %" PRIu64 ": expected a multiple of the %u-byte "
				 "%s element up to 4 GiB (or 0: automatic)",
				 o->slice_bytes, b->es, o->dtype);
	if (rc)
		goto out;
	slice = o->slice_bytes ? o->slice_bytes : trc_coll_auto_slice_for(b, o->op, algo, o->bytes);
	/* buffers: IN and OUT (all-gather and broadcast work in place in OUT) */
	if (o->op == TRC_GEN_COLL_ALLGATHER) {
		in_bytes = 0;
		out_bytes = o->bytes * o->devices;
	} else if (o->op == TRC_GEN_COLL_BROADCAST) {
		in_bytes = 0;
	}
	rc = trc_coll_stage_alloc(b, in_bytes, &in);
	if (!rc)
		rc = trc_coll_stage_alloc(b, out_bytes, &out);
	if (rc)
		goto out;
	if (!in_bytes)
		in = out; /* in place */
	b->st.algo = algo;
	b->st.slice_bytes = slice;
	rc = trc_coll_rmaps_new(b->n, &rin0);
	if (!rc)
		rc = trc_coll_rmaps_new(b->n, &rout);
	if (!rc)
		rc = trc_coll_create(b, path, cmdline ? cmdline : "hlsim gen collective");
	if (!rc)
		rc = trc_coll_lower(b, o->op, algo, o->bytes, slice, in, out, rin0, rout);
	snprintf(value, sizeof(value), "op=%s bytes=%" PRIu64 " devices=%u algo=%s dtype=%s%s%s",
		 trc_gen_coll_op_name(o->op), o->bytes, b->n, trc_gen_coll_algo_name(algo),
		 o->dtype, b->st.scaleout_algo ? " scaleout=" : "",
		 b->st.scaleout_algo ? trc_gen_coll_xalgo_name(b->st.scaleout_algo) : "");
	for (i = 0; !rc && i < b->n; i++)
		rc = trc_coll_finish_device(b, i, &rout[i], "collective", value);
out:
	crc = trc_coll_close(b);
	if (!rc)
		rc = crc;
	if (!rc && stats)
		*stats = b->st;
	trc_coll_rmaps_free(rin0, b->n);
	trc_coll_rmaps_free(rout, b->n);
	free(b);
	return rc;
}

/* ====} */

/* {==== the command ==== */

static void usage(FILE *f, const char *op)
{
	fprintf(f,
		"usage: hlsim gen %s [options] -o TRACE\n\n"
		"One trace of N devices running a collective (allreduce, reducescatter,\n"
		"allgather, alltoall, broadcast from device 0): NIC transfers striped over\n"
		"every port that reaches the peer, reductions on TPCs, pipelined in slices\n"
		"(README.md \"Collectives\"). Each device's CS is annotated \"collective\".\n"
		"Options:\n"
		"  --asic NAME          gaudi or gaudi2 (default)\n"
		"  --devices N          cards, 2..%u, filling boxes in order (default 8)\n"
		"  --bytes B            bytes per rank, suffixes K/M/G (default 32M); the\n"
		"                       per-rank input (shard) for allgather\n"
		"  --dtype T            fp32 (default), bf16 or another TPC data type\n"
		"  --algo A             direct (one box), ring, hierarchical (whole boxes);\n"
		"                       default: direct in one box, else hierarchical\n"
		"  --scaleout-algo X    the phase across boxes of a hierarchical allreduce,\n"
		"                       reducescatter or allgather: ring (2(M-1) steps over M\n"
		"                       boxes) or hd (recursive halving-doubling, 2 log2(M)\n"
		"                       steps, M a power of two); default auto: hd for 16,\n"
		"                       32, 64, ... boxes, else ring\n"
		"  --slice-bytes S      pipelining unit (default 0: automatic, half of what a\n"
		"                       rank sends one peer, at least 256K)\n"
		"  --tpcs T             TPCs per reduction, 1..8 (default: 8)\n"
		"  --config NAME|FILE   wiring preset (default gaudi_hl205 / gaudi2_hl225)\n"
		"  --set KEY=VALUE      override one parameter (nic.ports, box.cards, ...)\n"
		"  -o TRACE             output file (required)\n",
		op ? op : "allreduce|reducescatter|allgather|alltoall|broadcast",
		TRC_GEN_COLL_MAX_DEVICES);
}

#define MAX_SETS 32

int trc_gen_coll_main(int argc, char **argv)
{
	struct trc_gen_coll_opts o;
	struct trc_gen_coll_stats st;
	const char *out = NULL, *config = NULL, *sets[MAX_SETS], *d, *opname;
	hlsim_config_t *cfg = NULL;
	char cmdline[1024];
	struct timespec t0, t1;
	uint32_t nsets = 0, k;
	uint64_t v;
	hlsim_err_t rc;
	int i, op;

	trc_gen_coll_defaults(&o);
	opname = argc > 0 ? argv[0] : "allreduce";
	op = trc_gen_coll_op_by_name(opname);
	if (op < 0) {
		fprintf(stderr, "hlsim gen: '%s' is not a collective\n", opname);
		return 2;
	}
	o.op = (uint32_t)op;
	trc_gen_cmdline(argc, argv, cmdline, sizeof(cmdline));
	for (i = 1; i < argc; i += 2) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout, opname);
			return 0;
		} else if (!strcmp(a, "-o") && val) {
			out = val;
		} else if (!strcmp(a, "--asic") && val) {
			o.asic = val;
		} else if (!strcmp(a, "--dtype") && val) {
			o.dtype = val;
		} else if (!strcmp(a, "--config") && val) {
			config = val;
		} else if (!strcmp(a, "--set") && val) {
			if (nsets == MAX_SETS) {
				fprintf(stderr, "hlsim gen %s: more than %u --set\n", opname,
					MAX_SETS);
				return 2;
			}
			sets[nsets++] = val;
		} else if (!strcmp(a, "--algo") && val) {
			int al = trc_gen_coll_algo_by_name(val);

			if (al < 0 || al == TRC_GEN_COLL_AUTO) {
				fprintf(stderr,
					"hlsim gen %s: --algo '%s': expected direct, ring or "
					"hierarchical\n",
					opname, val);
				return 2;
			}
			o.algo = (uint32_t)al;
		} else if (!strcmp(a, "--scaleout-algo") && val) {
			int xa = trc_gen_coll_xalgo_by_name(val);

			if (xa < 0) {
				fprintf(stderr,
					"hlsim gen %s: --scaleout-algo '%s': expected ring, hd or "
					"auto\n",
					opname, val);
				return 2;
			}
			o.scaleout_algo = (uint32_t)xa;
		} else if ((!strcmp(a, "--devices") || !strcmp(a, "--bytes") ||
			    !strcmp(a, "--slice-bytes") || !strcmp(a, "--tpcs")) &&
			   val) {
			if (trc_gen_parse_count(val, &v)) {
				fprintf(stderr, "hlsim gen %s: %s '%s': expected a number\n",
					opname, a, val);
				return 2;
			}
			if (!strcmp(a, "--bytes"))
				o.bytes = v;
			else if (!strcmp(a, "--slice-bytes"))
				o.slice_bytes = v;
			else if (!strcmp(a, "--devices"))
				o.devices = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
			else
				o.tpcs = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
		} else {
			fprintf(stderr, "hlsim gen %s: unknown or incomplete option '%s'\n", opname,
				a);
			usage(stderr, opname);
			return 2;
		}
	}
	if (!out) {
		fprintf(stderr, "hlsim gen %s: -o TRACE is required\n", opname);
		return 2;
	}
	if (config || nsets) {
		rc = hlsim_config_load(config			   ? config
				       : !strcmp(o.asic, "gaudi2") ? "gaudi2_hl225"
								   : "gaudi_hl205",
				       &cfg);
		for (k = 0; !rc && k < nsets; k++)
			rc = hlsim_config_set(cfg, sets[k], "--set");
		if (rc) {
			d = hlsim_last_error_detail();
			fprintf(stderr, "hlsim: gen %s: %s\n", opname,
				d && d[0] ? d : hlsim_strerror(rc));
			hlsim_config_free(cfg);
			return rc == HLSIM_E_USAGE ? 2 : 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = trc_gen_coll(&o, cfg, out, cmdline, &st);
	hlsim_config_free(cfg);
	if (rc) {
		d = hlsim_last_error_detail();
		fprintf(stderr, "hlsim: gen %s: %s\n", opname, d && d[0] ? d : hlsim_strerror(rc));
		return rc == HLSIM_E_USAGE ? 2 : 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("hlsim gen %s: wrote %s: %u devices, algo %s%s%s, slices of %" PRIu64
	       " bytes, %" PRIu64 " NIC records carrying "
	       "%" PRIu64 " bytes, %" PRIu64 " TPC launches, %" PRIu64 " jobs, %" PRIu64
	       " packets in %.3f s\n",
	       opname, out, o.devices, trc_gen_coll_algo_name(st.algo),
	       st.scaleout_algo ? " across boxes " : "",
	       st.scaleout_algo ? trc_gen_coll_xalgo_name(st.scaleout_algo) : "", st.slice_bytes,
	       st.nic_records, st.nic_bytes, st.tpc_launches, st.jobs, st.packets,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9);
	return 0;
}

/* ====} */
