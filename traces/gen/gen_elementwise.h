/**
 * traces/gen/gen_elementwise.h - `hlsim gen elementwise`: a trace of one element-wise
 * TPC kernel (C = A op B) spread over several TPCs (see gen_elementwise.c).
 */
#ifndef HLSIM_TRC_GEN_ELEMENTWISE_H
#define HLSIM_TRC_GEN_ELEMENTWISE_H

#include <stdint.h>

#include "hlsim/error.h"

/* The elementwise generator's own limits. */
#define TRC_GEN_EW_MAX_TPCS 32 /* TPC queues a trace may use (Gaudi 8, Gaudi2 24) */
#define TRC_GEN_EW_MAX_FLOPS_PER_ELEMENT 1000000u

/**
 * struct trc_gen_elementwise_opts - shape of the trace.
 * @asic: ASIC name ("gaudi" or "gaudi2").
 * @elements: elements of each tensor (1 .. 2^32-1, the width of dim_0_size).
 * @dtype: element type of A, B and C, a data type name of the ASIC's TPC layout
 *         ("bf16", "fp32", "int8", ...).
 * @flops_per_element: arithmetic operations per output element (1 = an add).
 * @tpcs: TPCs the index space is spread over (1 .. the ASIC's TPC count, and at most
 *        the number of vectors).
 * @stage: where the TPCs find their operands: NULL or "hbm" (the tensors stay in HBM,
 *         the default) or "sram" (chunks staged HBM -> SRAM -> HBM by two internal DMA
 *         queues, double buffered; see gen_elementwise.c).
 * @chunk_bytes: "sram" staging only: bytes of each tensor per chunk, a multiple of 256
 *               (one TPC vector); 0 for the default (gen_elementwise.c); larger than a
 *               tensor means one chunk.
 */
struct trc_gen_elementwise_opts {
	const char *asic;
	uint64_t elements;
	const char *dtype;
	uint64_t flops_per_element;
	uint32_t tpcs;
	const char *stage;
	uint64_t chunk_bytes;
};

/**
 * struct trc_gen_elementwise_stats - what was written.
 * @packets: packets of the user's programs (not the driver's epilogues).
 * @kernels: TPC launches.
 * @vectors: index-space points over all launches.
 * @flops: FLOPs over all launches, as the cost hints state them.
 * @chunks: "sram" staging: chunks the tensors were cut into (0 without staging).
 * @chunk_bytes: "sram" staging: bytes of each tensor per full chunk (0 without).
 */
struct trc_gen_elementwise_stats {
	uint64_t packets;
	uint32_t kernels;
	uint64_t vectors;
	uint64_t flops;
	uint32_t chunks;
	uint64_t chunk_bytes;
};

/** trc_gen_elementwise_defaults - 1 Mi bf16 elements, 1 FLOP each, 8 TPCs, gaudi. */
void trc_gen_elementwise_defaults(struct trc_gen_elementwise_opts *o);

/**
 * trc_gen_elementwise - write the trace to @path; @cmdline is stored as the generator
 * string. @stats may be NULL. HLSIM_E_USAGE for options out of range (the detail says
 * which and why), HLSIM_E_UNSUPPORTED for an ASIC without a TPC layout, or the trace
 * writer's error.
 */
hlsim_err_t trc_gen_elementwise(const struct trc_gen_elementwise_opts *o, const char *path,
				const char *cmdline, struct trc_gen_elementwise_stats *stats);

/**
 * trc_gen_elementwise_main - the `hlsim gen elementwise` command: @argv[0] is
 * "elementwise", the options follow. Prints its --help, a one-line summary on success
 * and "hlsim: gen elementwise: DETAIL" on failure. Returns the exit status: 0 success,
 * 1 failure, 2 bad usage.
 */
int trc_gen_elementwise_main(int argc, char **argv);

#endif /* HLSIM_TRC_GEN_ELEMENTWISE_H */
