/**
 * traces/gen/gen_dpstep.h - `hlsim gen dpstep`: one data-parallel training step on N
 * devices: a stack of GEMM layers forward and backward on every device's MMEs, and the
 * gradients all-reduced in buckets that start as soon as their gradients are produced,
 * overlapped with the rest of the backward pass (see gen_dpstep.c).
 */
#ifndef HLSIM_TRC_GEN_DPSTEP_H
#define HLSIM_TRC_GEN_DPSTEP_H

#include <stdint.h>

#include "hlsim/config.h"
#include "hlsim/error.h"

#define TRC_GEN_DPSTEP_MAX_LAYERS 256u

/**
 * struct trc_gen_dpstep_opts - the step.
 * @asic: "gaudi" or "gaudi2".
 * @devices: data-parallel ranks, 2..TRC_GEN_COLL_MAX_DEVICES.
 * @layers: linear layers, 1..TRC_GEN_DPSTEP_MAX_LAYERS, each Y = X . W with W hidden x
 *          hidden.
 * @hidden: the width of every layer; @tokens: rows of X on each device (its micro-batch).
 * @dtype: "bf16" or "fp32": the GEMMs' inputs and outputs, the gradients and their
 *         reduction.
 * @bucket_bytes: gradient bytes per all-reduce bucket (whole layers, at least one).
 * @algo, @slice_bytes, @tpcs: of each bucket's all-reduce, as trc_gen_coll_opts.
 */
struct trc_gen_dpstep_opts {
	const char *asic;
	uint32_t devices;
	uint32_t layers;
	uint32_t hidden, tokens;
	const char *dtype;
	uint64_t bucket_bytes;
	uint32_t algo;
	uint64_t slice_bytes;
	uint32_t tpcs;
};

/**
 * struct trc_gen_dpstep_stats - what was written: @gemms per device, @mme_launches over
 * all devices, @flops per device, @grad_bytes per device, @buckets, the all-reduce's
 * @algo, @nic_bytes over all devices, @packets and @jobs over all devices.
 */
struct trc_gen_dpstep_stats {
	uint32_t gemms;
	uint64_t mme_launches;
	uint64_t flops;
	uint64_t grad_bytes;
	uint32_t buckets;
	uint32_t algo;
	uint64_t nic_bytes;
	uint64_t packets, jobs;
};

/** trc_gen_dpstep_defaults - 8 gaudi2, 8 layers of 4096^2, 4096 tokens, bf16, 25 MiB buckets. */
void trc_gen_dpstep_defaults(struct trc_gen_dpstep_opts *o);

/**
 * trc_gen_dpstep - write the trace of @o to @path (@cfg: the wiring, NULL for the ASIC's
 * preset; @cmdline: the generator string; @stats may be NULL). HLSIM_E_USAGE for bad
 * options, with a detail naming the option.
 */
hlsim_err_t trc_gen_dpstep(const struct trc_gen_dpstep_opts *o, const hlsim_config_t *cfg,
			   const char *path, const char *cmdline,
			   struct trc_gen_dpstep_stats *stats);

/** trc_gen_dpstep_main - the `hlsim gen dpstep` command (@argv[0] is "dpstep"); 0, 1 or 2. */
int trc_gen_dpstep_main(int argc, char **argv);

#endif /* HLSIM_TRC_GEN_DPSTEP_H */
