/**
 * traces/gen/gen_conv.h - `hlsim gen conv2d`: a synthetic trace of one forward 2-D
 * convolution on the MMEs as an implicit GEMM (see gen_conv.c).
 */
#ifndef HLSIM_TRC_GEN_CONV_H
#define HLSIM_TRC_GEN_CONV_H

#include <stdint.h>

#include "hlsim/error.h"
#include "models/common/mme.h"
#include "traces/gen/gen_gemm.h"

/**
 * struct trc_gen_conv_opts - the convolution O = conv(S, L): S is N x H x W x C
 * (NHWC), L is R x S x C x K (RSCK), O is N x H' x W' x K.
 * @asic: ASIC name ("gaudi", "gaudi2").
 * @n, @c, @h, @w: input batch, channels, height, width (1..2^31 each).
 * @k: output channels (1..2^31); @r, @s: kernel height and width (1..256).
 * @stride: the same along H and W (1..256); @pad: zero padding on every side, less
 *          than both kernel sides.
 * @dtype: element type of S and L; @out_dtype: of O.
 * @mmes: logical MMEs to use (0: all the ASIC has).
 */
struct trc_gen_conv_opts {
	const char *asic;
	uint32_t n, c, h, w;
	uint32_t k, r, s;
	uint32_t stride, pad;
	enum mdl_mme_dtype dtype, out_dtype;
	uint32_t mmes;
};

/** trc_gen_conv_defaults - no shape (all sizes 0), stride 1, pad 0, bf16, gaudi. */
void trc_gen_conv_defaults(struct trc_gen_conv_opts *o);

/**
 * trc_gen_conv_out_dims - H' and W' of @o: (H + 2 pad - R) / stride + 1 and likewise.
 * HLSIM_E_USAGE (naming the options) for sizes out of range or no output.
 */
hlsim_err_t trc_gen_conv_out_dims(const struct trc_gen_conv_opts *o, uint32_t *out_h,
				  uint32_t *out_w);

/**
 * trc_gen_conv_plan - how @o is cut over @num_mmes logical MMEs (the rule is in
 * gen_conv.c): up to @cap launches into @out, their number into @n_out. A launch's
 * @m0 and @m are its first output row and row count in the N x H' output rows (whole
 * images, or rows of one image), @n0 = 0 and @n = K. HLSIM_E_USAGE for bad options or
 * more than @cap launches.
 */
hlsim_err_t trc_gen_conv_plan(const struct trc_gen_conv_opts *o, uint32_t num_mmes,
			      struct trc_gen_gemm_launch *out, uint32_t cap, uint32_t *n_out);

/**
 * trc_gen_conv - write the trace to @path (@cmdline is stored as the generator
 * string). @packets_out and @launches_out (may be NULL) get the packets written
 * (without the driver's epilogues) and the MME launches.
 */
hlsim_err_t trc_gen_conv(const struct trc_gen_conv_opts *o, const char *path,
			 const char *cmdline, uint64_t *packets_out, uint32_t *launches_out);

/**
 * trc_gen_conv_main - the `hlsim gen conv2d` command: @argv[0] is "conv2d". Prints its
 * own --help, errors on stderr; returns the exit status (0, 1 failure, 2 usage).
 */
int trc_gen_conv_main(int argc, char **argv);

#endif /* HLSIM_TRC_GEN_CONV_H */
