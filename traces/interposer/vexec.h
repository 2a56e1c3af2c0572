/*
 * traces/interposer/vexec.h - functional execution of the CSs the virtual device receives
 * (libhlsim_preload.so, `hlsim vdev`), with an analytic estimate of when each completes.
 *
 * One executor per compute context. It keeps what a Gaudi keeps between CSs: the CPs of
 * every QMAN (upper CP per stream, the lower CP, their fence counters and queued CBs),
 * each engine's register file, a sync manager (models/common/syncmgr.h), and sparse
 * SRAM and DRAM (pages allocated on first write, bounded). Host memory is the program's
 * own, reached through the USERPTR maps (a callback into vdev.c).
 *
 * Internal to the library; nothing here is exported.
 */
#ifndef HLSIM_TRC_VEXEC_H
#define HLSIM_TRC_VEXEC_H

#include <stddef.h>
#include <stdint.h>

#include "hlsim/config.h"
#include "models/common/asic.h"

struct trc_vx;

/**
 * trc_vx_host_fn - where device VA @dva (MMU-mapped host memory) is in the program:
 * its host address, with in *@avail_bytes how many bytes of the same map follow from
 * there; 0 if no USERPTR map covers @dva.
 */
typedef uint64_t (*trc_vx_host_fn)(void *ctx, uint64_t dva, uint64_t *avail_bytes);

/**
 * trc_vx_fetch_fn - a CP read the CB @bytes (@size bytes at device address @addr) of CS
 * @seq from device memory (an internal-queue job, or a CB handed to a lower CP): for the
 * trace, whose replay needs those bytes.
 */
typedef void (*trc_vx_fetch_fn)(void *ctx, uint64_t seq, uint64_t addr, const uint8_t *bytes,
				uint32_t size);

/**
 * struct trc_vx_job - one job of a CS as the executor takes it.
 * @queue_id: the queue (validated by the caller).
 * @external: 1 for an external (completing) queue.
 * @bytes: external queues: the CB's bytes at submission (copied by the executor);
 *         internal queues: NULL (the CB is fetched from @cb_addr when its CP reaches it).
 * @cb_addr: internal queues: device address of the CB.
 * @size_bytes: the CB's size.
 */
struct trc_vx_job {
	uint32_t queue_id;
	uint8_t external;
	const uint8_t *bytes;
	uint64_t cb_addr;
	uint32_t size_bytes;
};

/** enum trc_vx_cs_state - a CS as WAIT_CS sees it. */
enum trc_vx_cs_state {
	TRC_VX_CS_UNKNOWN = 0, /* never submitted to this executor (or recycled) */
	TRC_VX_CS_PENDING, /* a job has not finished: its queue waits on a fence */
	TRC_VX_CS_DONE, /* every external job finished */
	TRC_VX_CS_FAILED, /* a queue stopped on an error, or the CS was declared timed out */
};

/**
 * trc_vx_create - an executor for ASIC @f with the timing parameters of @cfg, at most
 * @mem_max_bytes of simulated SRAM + DRAM pages, @host to reach host memory and @fetched
 * (may be NULL) told of every CB read from device memory, both called with @ctx.
 * 0, or -ENOMEM / -EINVAL (message on stderr).
 */
int trc_vx_create(const struct mdl_asic_funcs *f, const hlsim_config_t *cfg,
		  uint64_t mem_max_bytes, trc_vx_host_fn host, trc_vx_fetch_fn fetched, void *ctx,
		  struct trc_vx **out);

/** trc_vx_destroy - free @x and everything it holds. NULL is fine. */
void trc_vx_destroy(struct trc_vx *x);

/**
 * trc_vx_submit - queue the @njobs jobs of CS @seq (submitted at @submit_ns,
 * CLOCK_MONOTONIC) and run every queue as far as it can go. Returns 0; -EAGAIN if the CS
 * slot of @seq is still held by a pending CS; -ENOMEM if the simulated memory bound was
 * hit while running a job of this CS (its remaining work is then dropped: the driver's
 * answer to a CS it cannot allocate for).
 */
int trc_vx_submit(struct trc_vx *x, uint64_t seq, const struct trc_vx_job *jobs, uint32_t njobs,
		  int64_t submit_ns);

/**
 * trc_vx_cs_state - the state of CS @seq; for DONE, *@done_ns is its simulated
 * completion as CLOCK_MONOTONIC ns (the first submission's wall time + simulated time).
 */
enum trc_vx_cs_state trc_vx_cs_state(const struct trc_vx *x, uint64_t seq, int64_t *done_ns);

/**
 * trc_vx_time_out - CS @seq is pending and can never finish (every queue is blocked):
 * say on stderr which queue waits on which fence (and the monitors and SOBs behind it),
 * mark it FAILED, drop its remaining work and run the other queues on.
 */
void trc_vx_time_out(struct trc_vx *x, uint64_t seq);

/**
 * trc_vx_write32 - a 32-bit write by the driver (WREG32, e.g. a SOB reset) to device
 * address @addr, landing at @when_ns (CLOCK_MONOTONIC): the sync manager, a fence or memory
 * takes it as a message write would; then every queue runs as far as it can. 0 or -errno
 * (an address in no memory).
 */
int trc_vx_write32(struct trc_vx *x, uint64_t addr, uint32_t value, int64_t when_ns);

/**
 * trc_vx_busy_engines_ext - the engines whose QMAN still holds work (a CP blocked on a
 * fence), as the driver's busy_engines_mask_ext (bits 0..127): Gaudi: bit = enum
 * gaudi_engine_id (DMA_n = n, MME_n = 8 + n, TPC_n = 12 + n, NIC_n = 20 + n); Gaudi2: bit =
 * enum gaudi2_engine_id (EDMA, MME, TPC per DCORE, DCORE0_TPC_6, PDMA, ROT, NIC). All 0: idle.
 */
void trc_vx_busy_engines_ext(const struct trc_vx *x, uint64_t mask[2]);

/** trc_vx_busy_engines - bits 0..63 of trc_vx_busy_engines_ext(). 0: idle (Gaudi). */
uint64_t trc_vx_busy_engines(const struct trc_vx *x);

/**
 * trc_vx_set_max_pending - the driver's max_pending_cs (Gaudi 16384, Gaudi2 64): CS @seq
 * uses slot seq % @n, so a CS @n seqs after a pending one gets -EAGAIN from
 * trc_vx_submit(), and trc_vx_cs_state() forgets CSs @n seqs old. @n: 1..16384 (others
 * are ignored). Call before the first submission.
 */
void trc_vx_set_max_pending(struct trc_vx *x, uint32_t n);

/** trc_vx_mem_used - bytes of simulated SRAM + DRAM pages allocated so far. */
uint64_t trc_vx_mem_used(const struct trc_vx *x);

#endif /* HLSIM_TRC_VEXEC_H */
