/*
 * traces/interposer/vcosim.h - the virtual device's side of the co-simulation: it starts
 * `hlsim cosim` beside the program and streams it what the trace records, so that
 * WAIT_CS answers with the simulator's completion times (traces/interposer/cosim.h).
 *
 * All functions are called under the virtual device's lock. Each does nothing when the
 * co-simulation is off: not asked for (HLSIM_VDEV_COSIM unset), ended (the simulator
 * failed or the trace stopped), or in a process forked from the one that started it.
 */
#ifndef HLSIM_TRC_VCOSIM_H
#define HLSIM_TRC_VCOSIM_H

#include <stdint.h>

#include "hlsim/trace.h"

/**
 * trc_vcosim_start - start `$HLSIM_VDEV_COSIM cosim` for @ndev devices of configuration
 * $HLSIM_VDEV_CONFIG, its scratch files beside the trace @trace_path.
 */
void trc_vcosim_start(uint32_t ndev, const char *trace_path);
/** trc_vcosim_stop - end the co-simulation (it stops when its input ends) and reap it. */
void trc_vcosim_stop(const char *why);
/** trc_vcosim_blob - blob @id of device @dev was recorded; sent if it is new. */
void trc_vcosim_blob(uint32_t dev, uint64_t id, const void *bytes, uint64_t size);
/** trc_vcosim_mem - memory image @m of device @dev was recorded. */
void trc_vcosim_mem(uint32_t dev, const struct hlsim_trace_mem *m);
/** trc_vcosim_cs - CS @cs of device @dev was recorded with its @n @jobs. */
void trc_vcosim_cs(uint32_t dev, const struct hlsim_trace_cs *cs, const struct hlsim_trace_job *jobs,
		   uint32_t n);
/**
 * trc_vcosim_wait - the program waits for CS @seq of device @dev: the simulated host waits
 * for it; then *@done_ns[i] is the completion of @seqs[i] (of @n <= 32) on CLOCK_MONOTONIC,
 * or -1 if it has not completed in the simulation by then. Returns 0 with the answers,
 * -1 if the co-simulation is off (the caller keeps its estimates).
 */
int trc_vcosim_wait(uint32_t dev, uint64_t seq, const uint64_t *seqs, uint32_t n,
		    int64_t *done_ns);

#endif /* HLSIM_TRC_VCOSIM_H */
