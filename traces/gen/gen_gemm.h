/**
 * traces/gen/gen_gemm.h - `hlsim gen gemm`: a synthetic trace of one GEMM on the MMEs,
 * the command stream a graph compiler would emit (see gen_gemm.c).
 */
#ifndef HLSIM_TRC_GEN_GEMM_H
#define HLSIM_TRC_GEN_GEMM_H

#include <stdint.h>

#include "hlsim/error.h"
#include "models/common/mme.h"

/**
 * struct trc_gen_gemm_opts - the GEMM O[M x N] = A[M x K] . B[K x N] and how it is cut.
 * @asic: ASIC name ("gaudi", "gaudi2").
 * @m, @n, @k: sizes in elements, 1..2^31.
 * @dtype: element type of A and B; @out_dtype: of O.
 * @mmes: logical MMEs to use (0: all the ASIC has).
 * @slice_rows, @slice_cols: most output rows and columns one launch computes (0: no
 *                           limit); rounded down to the tile, at least one tile.
 * @tile_rows, @tile_cols: alignment of every split and slice boundary.
 * @geometry: enum mdl_mme_geometry written in every descriptor.
 * @transpose_a, @transpose_b: A stored K x M, B stored N x K.
 * @from_host: DMA A and B from the host first (default: already resident in HBM).
 * @to_host: DMA O to the host at the end.
 * @signal_desc: complete each launch through the descriptor's sync object instead of
 *               a MSG_SHORT "SOB += 1" with EB=1 at the end of each MME job.
 */
struct trc_gen_gemm_opts {
	const char *asic;
	uint32_t m, n, k;
	enum mdl_mme_dtype dtype, out_dtype;
	uint32_t mmes;
	uint32_t slice_rows, slice_cols;
	uint32_t tile_rows, tile_cols;
	uint8_t geometry;
	uint8_t transpose_a, transpose_b;
	uint8_t from_host, to_host;
	uint8_t signal_desc;
};

/**
 * struct trc_gen_gemm_launch - one MME launch of the plan: output rows [@m0, @m0+@m)
 * and columns [@n0, @n0+@n), all of K, on logical MME @mme.
 */
struct trc_gen_gemm_launch {
	uint32_t mme;
	uint32_t m0, n0, m, n;
};

/** TRC_GEN_GEMM_MAX_LAUNCHES - most launches a trace holds (SOB and monitor targets). */
#define TRC_GEN_GEMM_MAX_LAUNCHES 4096u

/** trc_gen_gemm_defaults - bf16 4096^3 on every MME, slices of 4096x4096, gaudi. */
void trc_gen_gemm_defaults(struct trc_gen_gemm_opts *o);

/**
 * trc_gen_gemm_plan - how @o is cut over @num_mmes logical MMEs (the rule is in
 * gen_gemm.c): up to @cap launches into @out, their number into @n_out, in order
 * (by MME, then row-major slices). HLSIM_E_USAGE for bad options or more than @cap
 * launches.
 */
hlsim_err_t trc_gen_gemm_plan(const struct trc_gen_gemm_opts *o, uint32_t num_mmes,
			      struct trc_gen_gemm_launch *out, uint32_t cap, uint32_t *n_out);

/**
 * trc_gen_gemm - write the trace to @path (@cmdline is stored as the generator
 * string). @packets_out and @launches_out (may be NULL) get the packets written
 * (without the driver's epilogues) and the MME launches.
 */
hlsim_err_t trc_gen_gemm(const struct trc_gen_gemm_opts *o, const char *path, const char *cmdline,
			 uint64_t *packets_out, uint32_t *launches_out);

/**
 * struct trc_gen_mme_custom - another MME operation written through the `gen gemm`
 * machinery (program download, per-MME jobs, the final fenced job): its launches and
 * descriptors instead of the GEMM's (used by gen_conv.c).
 * @who: the generator for messages ("gen conv2d").
 * @plan, @num_launches: the launches, in order; only @plan[i].mme is read by the
 *                       machinery (1..TRC_GEN_GEMM_MAX_LAUNCHES launches, each MME
 *                       below the ASIC's logical MMEs); the rest is @encode's.
 * @bytes_a, @bytes_b, @bytes_o: sizes of the S, L and O regions placed in HBM.
 * @encode: program launch @l into @regs (the MME register block of @lay) with the
 *          regions at @addr_a, @addr_b, @addr_o and, if @has_sync, the completion
 *          message @sync_data to @sync_addr; @ctx is passed through.
 * @ctx: for @encode.
 */
struct trc_gen_mme_custom {
	const char *who;
	const struct trc_gen_gemm_launch *plan;
	uint32_t num_launches;
	uint64_t bytes_a, bytes_b, bytes_o;
	hlsim_err_t (*encode)(void *ctx, const struct mdl_mme_layout *lay,
			      const struct trc_gen_gemm_launch *l, uint64_t addr_a,
			      uint64_t addr_b, uint64_t addr_o, int has_sync, uint64_t sync_addr,
			      uint32_t sync_data, uint32_t *regs);
	void *ctx;
};

/**
 * trc_gen_gemm_custom - trc_gen_gemm() with the launches and descriptors of @cu; of @o
 * only asic, from_host, to_host and signal_desc are used (and dtype, out_dtype and
 * geometry validated). HLSIM_E_USAGE for an empty or too long plan.
 */
hlsim_err_t trc_gen_gemm_custom(const struct trc_gen_gemm_opts *o,
				const struct trc_gen_mme_custom *cu, const char *path,
				const char *cmdline, uint64_t *packets_out,
				uint32_t *launches_out);

/**
 * trc_gen_gemm_main - the `hlsim gen gemm` command: @argv[0] is "gemm". Prints its
 * own --help, errors on stderr; returns the exit status (0, 1 failure, 2 usage).
 */
int trc_gen_gemm_main(int argc, char **argv);

#endif /* HLSIM_TRC_GEN_GEMM_H */
