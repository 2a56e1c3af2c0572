/**
 * traces/trc_gen.h - synthetic trace generators (internal to hlsim).
 */
#ifndef HLSIM_TRC_GEN_H
#define HLSIM_TRC_GEN_H

#include <stdint.h>

#include "hlsim/error.h"

/**
 * struct trc_gen_dma_opts - shape of a `hlsim gen dma` trace.
 * @asic: ASIC name ("gaudi").
 * @num_cs: data CSs after the program download CS.
 * @queues: internal DMA engines used as consumers (1..6: DMA2..DMA7).
 * @transfers: LIN_DMA packets per job and stage.
 * @transfer_bytes: bytes per LIN_DMA.
 * @slots: CSs in flight; each slot has its own SOBs, monitors and buffers, and the
 *         program waits for CS k-slots before submitting CS k.
 * @min_packets: if non-zero, raise @num_cs until the trace holds at least this many
 *               packets (user packets, not the driver's epilogues).
 */
struct trc_gen_dma_opts {
	const char *asic;
	uint64_t num_cs;
	uint32_t queues, transfers, slots;
	uint64_t transfer_bytes;
	uint64_t min_packets;
};

/** trc_gen_dma_defaults - the defaults (also the bundled sample). */
void trc_gen_dma_defaults(struct trc_gen_dma_opts *o);

/**
 * trc_gen_dma - write the trace to @path. @cmdline is stored as the generator string.
 * @packets_out (may be NULL) gets the number of packets written.
 */
hlsim_err_t trc_gen_dma(const struct trc_gen_dma_opts *o, const char *path, const char *cmdline,
			uint64_t *packets_out);

#endif /* HLSIM_TRC_GEN_H */
