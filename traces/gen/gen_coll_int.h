/**
 * traces/gen/gen_coll_int.h - the multi-device builder behind `hlsim gen allreduce` & co.
 * (gen_coll.c) that other multi-device generators (gen_dpstep.c) drive too: per device and
 * queue a CB under construction, waits as monitors + FENCE on (SOB >= target) conditions,
 * NIC transfers and TPC reductions that return the condition of their completion, and the
 * collectives' lowerings over buffers whose parts become ready under given conditions.
 * Internal to traces/gen.
 *
 * Use: trc_coll_open() (devices, queues, SOB layout), trc_coll_stage_alloc() for buffers,
 * trc_coll_create() (the trace file and its device records), then work in one global order
 * in which every wait names only work issued before it (trc_coll_lower(), or the caller's
 * own packets through trc_coll_emit_wait() and the queue CBs), trc_coll_finish_device()
 * for every device, trc_coll_close().
 */
#ifndef HLSIM_TRC_GEN_COLL_INT_H
#define HLSIM_TRC_GEN_COLL_INT_H

#include <stdint.h>

#include "hlsim/config.h"
#include "hlsim/error.h"
#include "hlsim/trace.h"
#include "models/common/net.h"
#include "traces/gen/gen_coll.h"
#include "traces/gen/gen_common.h"

#define TRC_COLL_STREAMS 4u /* streams of a NIC QMAN the builder uses */
#define TRC_COLL_MAX_PORTS 64u
#define TRC_COLL_MAX_MMES 8u /* MME queues a builder drives: their done SOBs share a group */

/** struct trc_coll_sobt - one (SOB >= target) pair of a wait. */
struct trc_coll_sobt {
	uint16_t sob, tgt;
};

/** struct trc_coll_cond - a wait: every pair must hold (SOBs of the builder's block). */
struct trc_coll_cond {
	uint32_t n, cap;
	struct trc_coll_sobt *v;
};

/** struct trc_coll_rent - bytes [@lo, @hi) of a buffer are ready once @c holds. */
struct trc_coll_rent {
	uint64_t lo, hi;
	struct trc_coll_cond c;
};

/**
 * struct trc_coll_rmap - which parts of one device's buffer are ready when (offsets from
 * the buffer's start; a part no entry covers is ready from the start).
 */
struct trc_coll_rmap {
	uint32_t n, cap;
	struct trc_coll_rent *e;
};

/** struct trc_coll_q - one queue of one device: its CB and the monitors its CP owns. */
struct trc_coll_q {
	struct trc_gen_cb cb;
	uint32_t qid, qman;
	uint32_t mon_base, mon_count;
	uint8_t cp;
};

/** struct trc_coll_chan - an incoming channel: records of @src on its @port, @stream. */
struct trc_coll_chan {
	uint32_t src;
	uint16_t port, stream;
	uint16_t sob, count;
};

/** struct trc_coll_hint - a TPC queue's cost hint: 0 none yet, 1 all launches @a's, 2 differ. */
struct trc_coll_hint {
	uint8_t state;
	struct hlsim_trace_annotation a;
};

/**
 * struct trc_coll_dev - one device under construction.
 * @q: its queues, by slot (trc_coll_slot_*()).
 * @rx: incoming channels and their SOBs; @tx_count, @tpc_count, @mme_count: what its
 *      transmit (per port), TPC-done and MME-done SOBs will have counted.
 */
struct trc_coll_dev {
	struct trc_coll_q *q;
	struct trc_coll_chan *rx;
	uint32_t nrx, caprx;
	uint16_t tx_count[TRC_COLL_MAX_PORTS];
	uint16_t tpc_count[TRC_GEN_COLL_MAX_TPCS];
	uint16_t mme_count[TRC_COLL_MAX_MMES];
	struct trc_coll_hint hint[TRC_GEN_COLL_MAX_TPCS];
	uint32_t sob_next, mon_next, tpc_rot;
	struct hlsim_trace_job *jobs;
	uint32_t njobs, capjobs;
	uint64_t handle_next;
};

/**
 * struct trc_coll_bld - the builder.
 * @x: the ASIC (x.sm_block: the sync manager of every SOB and monitor used).
 * @topo: the wiring; @w: the trace; @st: what was written.
 * @n: devices; @ports: NIC ports (= nic.ports); @tpcs: TPCs per reduction; @nmme: MME
 * queues; @nslots: queues per device; @es: element size of @dtype.
 * @mme_sob: the first MME-done SOB (MME i counts on @mme_sob + i).
 * @op, @algo, @bytes, @slice, @in, @out: the collective trc_coll_lower() is lowering.
 * @xalgo: the phase across boxes of hierarchical (enum trc_gen_coll_xalgo; trc_coll_open()
 *         leaves AUTO, trc_coll_check() refuses what cannot be, trc_coll_lower() resolves).
 */
struct trc_coll_bld {
	struct trc_gen_ctx x;
	struct mdl_net_topo topo;
	hlsim_trace_writer_t *w;
	struct trc_gen_coll_stats st;
	struct trc_coll_dev *d;
	uint32_t n, ports, tpcs, nmme, nslots, mme_sob;
	uint32_t es, sob_max, val_max;
	const char *dtype;
	uint32_t op, algo, xalgo;
	uint64_t bytes, slice, in, out;
	uint64_t stage_next, hbm_end;
	const char *kernel;
	char kernel_buf[40];
	struct trc_coll_cond tmp; /* scratch of the phases */
};

/**
 * struct trc_coll_setup - what trc_coll_open() builds: @devices of ASIC @asic wired by @cfg
 * (NULL: the ASIC's preset), reductions of @dtype on @tpcs TPCs (0: up to 8), and @mmes
 * MME queues (stream 0 of MME engines @mme_engine[]); @who prefixes error details.
 */
struct trc_coll_setup {
	const char *asic, *who;
	const hlsim_config_t *cfg;
	uint32_t devices;
	const char *dtype;
	uint32_t tpcs, mmes;
	const uint8_t *mme_engine;
};

/* conditions and readiness maps */
void trc_coll_cond_free(struct trc_coll_cond *c);
/** trc_coll_cond_add - require SOB @sob >= @tgt (nothing for @tgt 0; the larger target wins). */
hlsim_err_t trc_coll_cond_add(struct trc_coll_cond *c, uint32_t sob, uint32_t tgt);
hlsim_err_t trc_coll_cond_merge(struct trc_coll_cond *c, const struct trc_coll_cond *o);
void trc_coll_rmap_free(struct trc_coll_rmap *m);
hlsim_err_t trc_coll_rmap_add(struct trc_coll_rmap *m, uint64_t lo, uint64_t hi,
			      const struct trc_coll_cond *c);
/** trc_coll_rmap_query - merge into @out what must hold for bytes [@lo, @hi) to be ready. */
hlsim_err_t trc_coll_rmap_query(const struct trc_coll_rmap *m, uint64_t lo, uint64_t hi,
				struct trc_coll_cond *out);
/** trc_coll_rmaps_new - @n empty maps, one per device. */
hlsim_err_t trc_coll_rmaps_new(uint32_t n, struct trc_coll_rmap **out);
void trc_coll_rmaps_free(struct trc_coll_rmap *m, uint32_t n);

/* queues */
uint32_t trc_coll_slot_nic(uint32_t port, uint32_t stream);
uint32_t trc_coll_slot_tpc(const struct trc_coll_bld *b, uint32_t t);
uint32_t trc_coll_slot_last(const struct trc_coll_bld *b);
uint32_t trc_coll_slot_mme(const struct trc_coll_bld *b, uint32_t i);
/** trc_coll_emit_wait - make queue @slot of device @dv wait until @c holds. */
hlsim_err_t trc_coll_emit_wait(struct trc_coll_bld *b, uint32_t dv, uint32_t slot,
			       const struct trc_coll_cond *c);
/** trc_coll_maybe_flush - end the job of queue @slot of @dv if its CB has grown large. */
hlsim_err_t trc_coll_maybe_flush(struct trc_coll_bld *b, uint32_t dv, uint32_t slot);

/* set-up and end */
hlsim_err_t trc_coll_open(struct trc_coll_bld *b, const struct trc_coll_setup *su);
/** trc_coll_stage_alloc - @bytes of HBM at the same address on every device (2 MiB aligned). */
hlsim_err_t trc_coll_stage_alloc(struct trc_coll_bld *b, uint64_t bytes, uint64_t *addr);
hlsim_err_t trc_coll_create(struct trc_coll_bld *b, const char *path, const char *cmdline);
/**
 * trc_coll_finish_device - the last job of device @dv (a wait for every part of @rout, every
 * transmit, reduction and MME launch it issued), its CS (seq 1) with all its jobs, the
 * program's wait for it, the annotation @key = @value on it, and the TPC cost hints.
 */
hlsim_err_t trc_coll_finish_device(struct trc_coll_bld *b, uint32_t dv,
				   const struct trc_coll_rmap *rout, const char *key,
				   const char *value);
/** trc_coll_close - close the trace (the writer's error) and free the builder's memory. */
hlsim_err_t trc_coll_close(struct trc_coll_bld *b);

/* collectives */
/** trc_coll_auto_slice - the automatic slice of @op on @n ranks of @bytes (gen_coll.c). */
uint64_t trc_coll_auto_slice(uint32_t op, uint32_t n, uint64_t bytes, uint32_t es);
/** trc_coll_auto_slice_for - the automatic slice of @op lowered by @algo on @b's devices. */
uint64_t trc_coll_auto_slice_for(const struct trc_coll_bld *b, uint32_t op, uint32_t algo,
				 uint64_t bytes);
/**
 * trc_coll_check - whether @op of @bytes per rank can be lowered on @b's devices, and the
 * algorithm it gets (@algo, AUTO resolved) into @algo_out. HLSIM_E_USAGE naming why not.
 */
hlsim_err_t trc_coll_check(const struct trc_coll_bld *b, uint32_t op, uint32_t algo, uint64_t bytes,
			   uint32_t *algo_out);
/**
 * trc_coll_lower - issue @op (checked) of @bytes per rank with @algo in slices of @slice
 * from buffer @in to buffer @out (device addresses; the same on every device), whose
 * input parts are ready per @rin0 (offsets from the buffers' start); @rout gets, per
 * device, when each part of its output is ready.
 */
hlsim_err_t trc_coll_lower(struct trc_coll_bld *b, uint32_t op, uint32_t algo, uint64_t bytes,
			   uint64_t slice, uint64_t in, uint64_t out,
			   const struct trc_coll_rmap *rin0, struct trc_coll_rmap *rout);

#endif /* HLSIM_TRC_GEN_COLL_INT_H */
