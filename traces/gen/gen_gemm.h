/**
 * traces/gen/gen_gemm.h - `hlsim gen gemm`: a synthetic trace of one GEMM on the MMEs,
 * the command stream a graph compiler would emit (see gen_gemm.c).
 */
#ifndef HLSIM_TRC_GEN_GEMM_H
#define HLSIM_TRC_GEN_GEMM_H

#include <stdint.h>

#include "hlsim/error.h"
#include "models/common/mme.h"
#include "traces/gen/gen_common.h"

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
 * @stage_sram: stage the operands through the user SRAM (gen_gemm.c, "SRAM staging"):
 *              internal DMA queues copy each launch's A rows and B columns (all of K)
 *              HBM -> SRAM and its O tile SRAM -> HBM, two buffers per operand and MME.
 *              Then every launch is one stage tile: @slice_rows, @slice_cols,
 *              @tile_rows, @tile_cols and @signal_desc are not used (each launch
 *              signals through its descriptor's sync object).
 * @stage_rows, @stage_cols: with @stage_sram, the output rows x columns of one launch
 *              (the stage tile); 0 and 0: chosen (trc_gen_gemm_stage_plan()).
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
	uint8_t stage_sram;
	uint32_t stage_rows, stage_cols;
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
 * struct trc_gen_gemm_stage - the staging of a GEMM with @stage_sram.
 * @tile_rows, @tile_cols: output rows x columns per launch (the stage tile).
 * @mmes: logical MMEs that get work; @launches: MME launches in all.
 * @dma_queues: internal DMA queues used (each MME has its own share of them).
 * @sram_bytes: SRAM taken by the buffers, two per operand per MME.
 * @a_loads, @b_loads: copies of an A row panel / a B column panel into SRAM (a panel
 *                     is copied again only when the next launch of its MME needs another).
 * @hbm_read_bytes: bytes the staging DMAs read from HBM (A and B panels);
 * @hbm_write_bytes: bytes they write to HBM (the O tiles, M N x element size of O).
 */
struct trc_gen_gemm_stage {
	uint32_t tile_rows, tile_cols;
	uint32_t mmes, launches, dma_queues;
	uint64_t sram_bytes;
	uint64_t a_loads, b_loads;
	uint64_t hbm_read_bytes, hbm_write_bytes;
};

/**
 * trc_gen_gemm_stage_plan - the stage tile and SRAM buffers @o (with @stage_sram) gets on
 * its ASIC, and the bytes its staging DMAs move, into @out (see gen_gemm.c, "SRAM
 * staging", for the rule). HLSIM_E_USAGE, naming the sizes, when two buffers per operand
 * per MME do not fit the user SRAM, or for bad options; HLSIM_E_UNSUPPORTED when the ASIC
 * lacks internal DMA queues or sync objects for it.
 */
hlsim_err_t trc_gen_gemm_stage_plan(const struct trc_gen_gemm_opts *o,
				    struct trc_gen_gemm_stage *out);

/** TRC_GEN_GEMM_STAGE_SOBS - sync objects a staged GEMM uses per MME (from env sob_first). */
#define TRC_GEN_GEMM_STAGE_SOBS 5

/**
 * struct trc_gen_gemm_stage_env - where a staged GEMM is lowered: another generator's
 * trace (gen_ops.c) or `gen gemm`'s own.
 * @x: the ASIC context; its sm_block holds the SOBs and monitors below.
 * @lay: the MME descriptor layout.
 * @addr_a, @addr_b, @addr_o: A, B and O in HBM (stored as the options say).
 * @sram_base, @sram_bytes: the SRAM the buffers may take.
 * @sob_first: the first of TRC_GEN_GEMM_STAGE_SOBS x MMEs sync objects, all 0 when the
 *             GEMM starts (the caller resets them afterwards: trc_gen_gemm_stager_resets()).
 * @mon_first: the first of the monitors, one per MME then one per DMA queue used.
 * @dma_queues, @num_dma_queues: the internal DMA queues (at most 16 are used).
 */
struct trc_gen_gemm_stage_env {
	const struct trc_gen_ctx *x;
	const struct mdl_mme_layout *lay;
	uint64_t addr_a, addr_b, addr_o;
	uint64_t sram_base, sram_bytes;
	uint32_t sob_first, mon_first;
	const uint32_t *dma_queues;
	uint32_t num_dma_queues;
};

/** struct trc_gen_gemm_stager - the lowering of one staged GEMM (opaque). */
struct trc_gen_gemm_stager;

/**
 * trc_gen_gemm_stager_new - plan the staged GEMM @o (m, n, k, dtype, out_dtype, mmes,
 * geometry, transposes, stage_rows, stage_cols are used) in @env: stage tile, launches,
 * queues, buffers, sync targets (gen_gemm.c, "SRAM staging"). Errors as
 * trc_gen_gemm_stage_plan(), prefixed with @env->x->who. Free with
 * trc_gen_gemm_stager_free().
 */
hlsim_err_t trc_gen_gemm_stager_new(const struct trc_gen_gemm_opts *o,
				    const struct trc_gen_gemm_stage_env *env,
				    struct trc_gen_gemm_stager **out);

/** trc_gen_gemm_stager_free - release @s (NULL: nothing). */
void trc_gen_gemm_stager_free(struct trc_gen_gemm_stager *s);

/** trc_gen_gemm_stager_info - the tile, MMEs, launches and byte counts of @s. */
const struct trc_gen_gemm_stage *trc_gen_gemm_stager_info(const struct trc_gen_gemm_stager *s);

/** trc_gen_gemm_stager_num_queues - the DMA queues MME @mme's copies use (0: none). */
uint32_t trc_gen_gemm_stager_num_queues(const struct trc_gen_gemm_stager *s, uint32_t mme);

/** trc_gen_gemm_stager_queue - queue id of queue @j of MME @mme (UINT32_MAX: none). */
uint32_t trc_gen_gemm_stager_queue(const struct trc_gen_gemm_stager *s, uint32_t mme,
				   uint32_t j);

/** trc_gen_gemm_stager_monitor - the monitor queue @j of MME @mme re-arms for its waits. */
uint32_t trc_gen_gemm_stager_monitor(const struct trc_gen_gemm_stager *s, uint32_t mme,
				     uint32_t j);

/**
 * trc_gen_gemm_stager_mme - append to @cb the lower-CP program of MME @mme (QMAN @qman,
 * fence of its lower CP): per launch the waits on its inputs and O buffer, the
 * descriptor with SRAM addresses (its sync object: the MME's COMP SOB += 1), the launch.
 */
hlsim_err_t trc_gen_gemm_stager_mme(struct trc_gen_gemm_stager *s, uint32_t mme, uint32_t qman,
				    struct trc_gen_cb *cb);

/**
 * trc_gen_gemm_stager_dma - append to @cb the work of DMA queue @j of MME @mme (its
 * upper CP): the panel and O tile copies with their waits. A caller that must hold
 * the copies back (dependencies) puts its own FENCEs before it.
 */
hlsim_err_t trc_gen_gemm_stager_dma(struct trc_gen_gemm_stager *s, uint32_t mme, uint32_t j,
				    struct trc_gen_cb *cb);

/**
 * trc_gen_gemm_stager_final_waits - append to @cb (upper CP of @qman) FENCEs, through
 * monitor @mon, until every O tile is back in HBM.
 */
hlsim_err_t trc_gen_gemm_stager_final_waits(struct trc_gen_gemm_stager *s, uint32_t qman,
					    uint32_t mon, struct trc_gen_cb *cb);

/**
 * trc_gen_gemm_stager_resets - append to @cb messages from @qman resetting every SOB of
 * @s to 0, the last with EB=1 if @eb_last.
 */
hlsim_err_t trc_gen_gemm_stager_resets(struct trc_gen_gemm_stager *s, uint32_t qman, int eb_last,
				       struct trc_gen_cb *cb);

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
