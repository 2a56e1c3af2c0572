/**
 * traces/gen/gen_coll.h - `hlsim gen allreduce|reducescatter|allgather|alltoall|broadcast`:
 * one multi-device trace of a collective over the NIC ports of the cards of a run, with
 * the reductions on TPCs (see gen_coll.c for the lowering of each algorithm).
 */
#ifndef HLSIM_TRC_GEN_COLL_H
#define HLSIM_TRC_GEN_COLL_H

#include <stdint.h>

#include "hlsim/config.h"
#include "hlsim/error.h"

/* The generator's own limits. */
#define TRC_GEN_COLL_MAX_DEVICES 8192u
#define TRC_GEN_COLL_MAX_TPCS 8u /* TPCs per reduction: their done SOBs share one monitor group */

/** enum trc_gen_coll_op - the collective. */
enum trc_gen_coll_op {
	TRC_GEN_COLL_ALLREDUCE = 0,
	TRC_GEN_COLL_REDUCESCATTER,
	TRC_GEN_COLL_ALLGATHER,
	TRC_GEN_COLL_ALLTOALL,
	TRC_GEN_COLL_BROADCAST,
	TRC_GEN_COLL_OP_COUNT_
};

/** enum trc_gen_coll_algo - how it is lowered; AUTO picks direct in one box, else hierarchical. */
enum trc_gen_coll_algo {
	TRC_GEN_COLL_AUTO = 0,
	TRC_GEN_COLL_DIRECT,
	TRC_GEN_COLL_RING,
	TRC_GEN_COLL_HIERARCHICAL,
	TRC_GEN_COLL_ALGO_COUNT_
};

/**
 * enum trc_gen_coll_xalgo - the phase across boxes of a hierarchical all-reduce,
 * reduce-scatter or all-gather (among the cards with the same number in every box).
 * AUTO: HD when the number of boxes is a power of two of 16 or more, else RING (gen_coll.c).
 * RING: 2(M-1) steps (all-reduce) around the boxes. HD: recursive halving then doubling,
 * 2 log2(M) steps; needs a power-of-two number of boxes M (refused otherwise).
 */
enum trc_gen_coll_xalgo {
	TRC_GEN_COLL_X_AUTO = 0,
	TRC_GEN_COLL_X_RING,
	TRC_GEN_COLL_X_HD,
	TRC_GEN_COLL_X_COUNT_
};

/**
 * struct trc_gen_coll_opts - the collective to write.
 * @asic: "gaudi" or "gaudi2" (every device of the trace is one).
 * @op: enum trc_gen_coll_op.
 * @algo: enum trc_gen_coll_algo.
 * @devices: cards in the run, 2..TRC_GEN_COLL_MAX_DEVICES; they fill boxes in order
 *           (models/common/net.h).
 * @bytes: bytes per rank, hccl_demo's size: the buffer of all-reduce, reduce-scatter,
 *         all-to-all and broadcast, each rank's input (its shard) for all-gather.
 * @dtype: element type, a TPC data type name ("fp32", "bf16").
 * @slice_bytes: pipelining unit (a multiple of the element size); 0: automatic, half of
 *               what one rank sends one peer (B / N; all-gather B; broadcast B / (N-1)),
 *               at least 256 KiB (gen_coll.c).
 * @tpcs: TPCs one reduction is spread over, 1..TRC_GEN_COLL_MAX_TPCS (0: as many as the
 *        ASIC has up to that limit).
 * @scaleout_algo: enum trc_gen_coll_xalgo; anything but AUTO needs a hierarchical
 *                 all-reduce, reduce-scatter or all-gather.
 */
struct trc_gen_coll_opts {
	const char *asic;
	uint32_t op;
	uint32_t algo;
	uint32_t devices;
	uint64_t bytes;
	const char *dtype;
	uint64_t slice_bytes;
	uint32_t tpcs;
	uint32_t scaleout_algo;
};

/**
 * struct trc_gen_coll_stats - what was written.
 * @algo: the algorithm used (AUTO resolved); @slice_bytes: the slice used.
 * @scaleout_algo: the phase across boxes used (enum trc_gen_coll_xalgo, AUTO resolved),
 *                 TRC_GEN_COLL_X_AUTO when there is none (one box, or broadcast).
 * @packets: packets of every job of every device.
 * @nic_records: HLSIM_NIC records; @nic_bytes: the bytes they carry.
 * @tpc_launches: reduction kernels; @jobs: jobs over all devices.
 * @sobs_max, @monitors_max: the most SOBs and monitors one device's sync manager uses.
 */
struct trc_gen_coll_stats {
	uint32_t algo, scaleout_algo;
	uint64_t slice_bytes;
	uint64_t packets;
	uint64_t nic_records, nic_bytes;
	uint64_t tpc_launches;
	uint64_t jobs;
	uint32_t sobs_max, monitors_max;
};

/** trc_gen_coll_defaults - an 8-card gaudi2 all-reduce of 32 MiB fp32, AUTO, automatic slices. */
void trc_gen_coll_defaults(struct trc_gen_coll_opts *o);

/** trc_gen_coll_op_by_name - "allreduce" -> op; -1 if unknown. */
int trc_gen_coll_op_by_name(const char *name);
/** trc_gen_coll_op_name - op -> "allreduce" ("?" out of range). */
const char *trc_gen_coll_op_name(uint32_t op);
/** trc_gen_coll_algo_by_name - "direct" -> algo; -1 if unknown. */
int trc_gen_coll_algo_by_name(const char *name);
/** trc_gen_coll_algo_name - algo -> "direct" ("auto" for AUTO, "?" out of range). */
const char *trc_gen_coll_algo_name(uint32_t algo);

/** trc_gen_coll_xalgo_by_name - "ring" -> TRC_GEN_COLL_X_RING, "hd", "auto"; -1 if unknown. */
int trc_gen_coll_xalgo_by_name(const char *name);
/** trc_gen_coll_xalgo_name - enum trc_gen_coll_xalgo -> "ring" ("auto", "?" out of range). */
const char *trc_gen_coll_xalgo_name(uint32_t xalgo);

/**
 * trc_gen_coll_busbw_factor - hccl_demo's bus bandwidth over algorithm bandwidth for @op
 * on @n ranks: 2(n-1)/n all-reduce, (n-1)/n reduce-scatter and all-to-all, n-1
 * all-gather, 1 broadcast (CALIBRATION.md item 2). 0 for an unknown op or n = 0.
 */
double trc_gen_coll_busbw_factor(uint32_t op, uint32_t n);

/**
 * trc_gen_coll - write the trace of @o to @path; @cfg gives the wiring (nic.ports, box.*;
 * NULL: the ASIC's preset, gaudi_hl205 or gaudi2_hl225); @cmdline is stored as the
 * generator string; @stats may be NULL. HLSIM_E_USAGE for bad options (the detail says
 * which and why), HLSIM_E_CONFIG for a wiring that cannot carry it, HLSIM_E_UNSUPPORTED
 * for an ASIC without the queues or TPC layout it needs, or the writer's error.
 */
hlsim_err_t trc_gen_coll(const struct trc_gen_coll_opts *o, const hlsim_config_t *cfg,
			 const char *path, const char *cmdline, struct trc_gen_coll_stats *stats);

/**
 * trc_gen_coll_main - the `hlsim gen OP` command for the collective kinds: @argv[0] is the
 * op name, the options follow. Prints its --help, a one-line summary on success and
 * "hlsim: gen OP: DETAIL" on failure; returns 0, 1 (failure) or 2 (usage).
 */
int trc_gen_coll_main(int argc, char **argv);

#endif /* HLSIM_TRC_GEN_COLL_H */
