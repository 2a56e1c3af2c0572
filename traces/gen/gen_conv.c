/*
 * traces/gen/gen_conv.c - `hlsim gen conv2d`: a synthetic trace of one forward 2-D
 * convolution O[N][H'][W'][K] = conv(S[N][H][W][C], L[R][S][C][K]) on the MMEs, as
 * the implicit GEMM M = N H' W', N = K, K = C R S that hlsim's MME interpretation
 * calls operation 1 (models/common/mme.c, sim/MODEL.md "MME").
 *
 * The command stream is `hlsim gen gemm`'s (gen_gemm.c, trc_gen_gemm_custom()): a CS
 * downloading the programs into HBM, then a CS with one job per MME used (a CP_DMA to a
 * program that writes the whole ARCH descriptor and MME_CTRL_CMD = 1 per launch, then
 * MSG_SHORT SOB += 1) and a final job on DMA_1_0 fenced on all of them. S, L and O are
 * resident in HBM (S, then L, then O, 2 MiB aligned), dense: NHWC, RSCK, NHWC.
 *
 * How the convolution is cut (trc_gen_conv_plan) [I: a graph compiler's rule is not
 * public; this one is simple and stated]: the N x H' output rows (an output row is the
 * W' x K outputs of one image row) are split over the MMEs into parts as equal as whole
 * rows allow, earlier MMEs taking the extra row, no MME without a row; each part is
 * cut where it crosses an image boundary, so that every launch is a box: whole images,
 * or rows of one image (at most three launches per MME). Every launch computes all K
 * output channels over all of C R S. A launch over output rows [y0, y1) of an image
 * reads the input rows [y0 U - P, (y1 - 1) U - P + R) clipped to the image; what the
 * clipping removes is that launch's top and bottom padding, so a launch inside an image
 * has none and the model sees only the rows it reads.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "traces/gen/gen_common.h"
#include "traces/gen/gen_conv.h"

#define CONV_MAX_KERNEL 256u
#define CONV_MAX_STRIDE 256u

/* What the descriptor encoder needs: the options and the output size. */
struct conv_gen {
	const struct trc_gen_conv_opts *o;
	uint32_t out_h, out_w;
};

void trc_gen_conv_defaults(struct trc_gen_conv_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->asic = "gaudi";
	o->stride = 1;
	o->dtype = MDL_MME_BF16;
	o->out_dtype = MDL_MME_BF16;
}

hlsim_err_t trc_gen_conv_out_dims(const struct trc_gen_conv_opts *o, uint32_t *out_h,
				  uint32_t *out_w)
{
	uint64_t ph = (uint64_t)o->h + 2ull * o->pad, pw = (uint64_t)o->w + 2ull * o->pad;
	uint64_t oh, ow, m, kg;

	if (!o->n || !o->c || !o->h || !o->w || !o->k || o->n > (1u << 31) ||
	    o->c > (1u << 31) || o->h > (1u << 31) || o->w > (1u << 31) || o->k > (1u << 31))
		return hlsim_error(HLSIM_E_USAGE,
				   "gen conv2d: --n %u --c %u --h %u --w %u --k %u: each size "
				   "must be 1..2^31",
				   o->n, o->c, o->h, o->w, o->k);
	if (!o->r || !o->s || o->r > CONV_MAX_KERNEL || o->s > CONV_MAX_KERNEL || !o->stride ||
	    o->stride > CONV_MAX_STRIDE)
		return hlsim_error(HLSIM_E_USAGE,
				   "gen conv2d: --r %u --s %u --stride %u: the kernel sides and "
				   "the stride must be 1..%u",
				   o->r, o->s, o->stride, CONV_MAX_KERNEL);
	if (o->pad >= o->r || o->pad >= o->s)
		return hlsim_error(HLSIM_E_USAGE,
				   "gen conv2d: --pad %u: must be less than both kernel sides "
				   "(--r %u, --s %u)",
				   o->pad, o->r, o->s);
	if (ph < o->r || pw < o->s)
		return hlsim_error(HLSIM_E_USAGE,
				   "gen conv2d: the padded input %" PRIu64 " x %" PRIu64
				   " (H x W) is smaller than the kernel %u x %u: no output",
				   ph, pw, o->r, o->s);
	oh = (ph - o->r) / o->stride + 1;
	ow = (pw - o->s) / o->stride + 1;
	m = (uint64_t)o->n * oh * ow; /* < 2^31 x 2^32 x 2^32 can wrap: check in steps */
	kg = (uint64_t)o->c * o->r * o->s;
	if ((uint64_t)o->n * oh > UINT32_MAX || m > UINT32_MAX || m / ow != (uint64_t)o->n * oh ||
	    kg > UINT32_MAX)
		return hlsim_error(HLSIM_E_USAGE,
				   "gen conv2d: the implicit GEMM M = N H' W' = %u x %" PRIu64
				   " x %" PRIu64 ", K = C R S = %u x %u x %u: each must be at "
				   "most 2^32-1",
				   o->n, oh, ow, o->c, o->r, o->s);
	*out_h = (uint32_t)oh;
	*out_w = (uint32_t)ow;
	return HLSIM_OK;
}

hlsim_err_t trc_gen_conv_plan(const struct trc_gen_conv_opts *o, uint32_t num_mmes,
			      struct trc_gen_gemm_launch *out, uint32_t cap, uint32_t *n_out)
{
	uint32_t oh, ow, use = o->mmes ? o->mmes : num_mmes, i, n = 0;
	uint64_t rows;
	hlsim_err_t rc;

	*n_out = 0;
	rc = trc_gen_conv_out_dims(o, &oh, &ow);
	if (rc)
		return rc;
	if (!num_mmes || use > num_mmes)
		return hlsim_error(HLSIM_E_USAGE, "gen conv2d: --mmes %u: this ASIC has %u MMEs",
				   use, num_mmes);
	rows = (uint64_t)o->n * oh; /* <= 2^32 - 1: checked by trc_gen_conv_out_dims() */
	if (use > rows)
		use = (uint32_t)rows;
	for (i = 0; i < use; i++) {
		uint64_t a = (rows * i + use - 1) / use, b = (rows * (i + 1) + use - 1) / use;

		while (a < b) {
			uint64_t y = a % oh, cnt;

			if (y || b - a < oh)
				cnt = b - a < oh - y ? b - a : oh - y; /* rows of one image */
			else
				cnt = (b - a) / oh * oh; /* whole images */
			if (n == cap)
				return hlsim_error(HLSIM_E_USAGE,
						   "gen conv2d: more than %u launches", cap);
			out[n++] = (struct trc_gen_gemm_launch){
				.mme = i,
				.m0 = (uint32_t)a,
				.m = (uint32_t)cnt,
				.n0 = 0,
				.n = o->k,
			};
			a += cnt;
		}
	}
	*n_out = n;
	return HLSIM_OK;
}

/* The descriptor of launch @l: its box of S, all of L, its box of O. */
static hlsim_err_t conv_encode(void *ctx, const struct mdl_mme_layout *lay,
			       const struct trc_gen_gemm_launch *l, uint64_t addr_a,
			       uint64_t addr_b, uint64_t addr_o, int has_sync, uint64_t sync_addr,
			       uint32_t sync_data, uint32_t *regs)
{
	const struct conv_gen *cg = ctx;
	const struct trc_gen_conv_opts *o = cg->o;
	uint64_t es = mdl_mme_dtype_bytes(o->dtype), eo = mdl_mme_dtype_bytes(o->out_dtype);
	uint32_t b0 = l->m0 / cg->out_h, y0 = l->m0 % cg->out_h, nb = 1, y1;
	int64_t top, bot, in_y0, in_y1;
	struct mdl_mme_conv cv;

	if (!y0 && l->m % cg->out_h == 0) {
		nb = l->m / cg->out_h;
		y1 = cg->out_h;
	} else {
		y1 = y0 + l->m;
	}
	if (!l->m || y1 > cg->out_h)
		return hlsim_error(HLSIM_E_INVAL,
				   "gen conv2d: launch of output rows %u..%u is not a box",
				   l->m0, l->m0 + l->m);
	top = (int64_t)y0 * o->stride - o->pad;
	bot = (int64_t)(y1 - 1) * o->stride - o->pad + o->r;
	in_y0 = top > 0 ? top : 0;
	in_y1 = bot < (int64_t)o->h ? bot : (int64_t)o->h;
	memset(&cv, 0, sizeof(cv));
	cv.n = nb;
	cv.h = (uint32_t)(in_y1 - in_y0);
	cv.w = o->w;
	cv.c = o->c;
	cv.k = o->k;
	cv.r = o->r;
	cv.s = o->s;
	cv.stride_h = cv.stride_w = o->stride;
	cv.pad_top = (uint32_t)(in_y0 - top);
	cv.pad_bottom = (uint32_t)(bot - in_y1);
	cv.pad_left = cv.pad_right = o->pad;
	cv.out_h = y1 - y0;
	cv.out_w = cg->out_w;
	cv.in_dtype = (uint8_t)o->dtype;
	cv.out_dtype = (uint8_t)o->out_dtype;
	cv.geometry = MDL_MME_GEO_BASE;
	cv.stride[MDL_MME_S][0] = o->c;
	cv.stride[MDL_MME_S][1] = (uint64_t)o->c * o->w;
	cv.stride[MDL_MME_S][2] = (uint64_t)o->c * o->w * o->h;
	cv.addr[MDL_MME_S] = addr_a + ((uint64_t)b0 * o->h + (uint64_t)in_y0) * o->w * o->c * es;
	cv.stride[MDL_MME_L][0] = o->k;
	cv.stride[MDL_MME_L][1] = (uint64_t)o->k * o->c;
	cv.stride[MDL_MME_L][2] = (uint64_t)o->k * o->c * o->s;
	cv.addr[MDL_MME_L] = addr_b;
	cv.stride[MDL_MME_O][0] = o->k;
	cv.stride[MDL_MME_O][1] = (uint64_t)o->k * cg->out_w;
	cv.stride[MDL_MME_O][2] = (uint64_t)o->k * cg->out_w * cg->out_h;
	cv.addr[MDL_MME_O] = addr_o + ((uint64_t)b0 * cg->out_h + y0) * cg->out_w * o->k * eo;
	cv.has_sync = has_sync ? 1 : 0;
	if (has_sync) {
		cv.sync_addr = sync_addr;
		cv.sync_data = sync_data;
	}
	return mdl_mme_conv_encode(lay, &cv, regs);
}

hlsim_err_t trc_gen_conv(const struct trc_gen_conv_opts *o, const char *path,
			 const char *cmdline, uint64_t *packets_out, uint32_t *launches_out)
{
	struct trc_gen_gemm_launch *plan = NULL;
	struct trc_gen_mme_custom cu;
	struct trc_gen_gemm_opts go;
	struct trc_gen_ctx x;
	struct conv_gen cg = { .o = o };
	uint32_t n = 0, num_mmes;
	hlsim_err_t rc;

	if (o->dtype >= MDL_MME_DTYPE_COUNT_ || o->out_dtype >= MDL_MME_DTYPE_COUNT_)
		return hlsim_error(HLSIM_E_USAGE, "gen conv2d: unknown data type");
	rc = trc_gen_conv_out_dims(o, &cg.out_h, &cg.out_w);
	if (!rc)
		rc = trc_gen_ctx_init(&x, o->asic, "gen conv2d");
	if (rc)
		return rc;
	/* the logical MMEs; the machinery checks the layout again when it writes */
	if (!x.p->mme_layout)
		return hlsim_error(HLSIM_E_UNSUPPORTED,
				   "gen conv2d: no MME descriptor layout for %s", x.p->asic_name);
	num_mmes = x.p->mme_layout->num_logical;
	plan = calloc(TRC_GEN_GEMM_MAX_LAUNCHES, sizeof(*plan));
	if (!plan)
		return hlsim_error(HLSIM_E_NOMEM, "gen conv2d");
	rc = trc_gen_conv_plan(o, num_mmes, plan, TRC_GEN_GEMM_MAX_LAUNCHES, &n);
	if (rc)
		goto out;
	trc_gen_gemm_defaults(&go);
	go.asic = o->asic;
	go.dtype = o->dtype;
	go.out_dtype = o->out_dtype;
	memset(&cu, 0, sizeof(cu));
	cu.who = "gen conv2d";
	cu.plan = plan;
	cu.num_launches = n;
	cu.bytes_a = (uint64_t)o->n * o->h * o->w * o->c * mdl_mme_dtype_bytes(o->dtype);
	cu.bytes_b = (uint64_t)o->r * o->s * o->c * o->k * mdl_mme_dtype_bytes(o->dtype);
	cu.bytes_o = (uint64_t)o->n * cg.out_h * cg.out_w * o->k *
		     mdl_mme_dtype_bytes(o->out_dtype);
	cu.encode = conv_encode;
	cu.ctx = &cg;
	rc = trc_gen_gemm_custom(&go, &cu, path, cmdline, packets_out, launches_out);
out:
	free(plan);
	return rc;
}

/* {==== Command ==== */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: hlsim gen conv2d --n N --c C --h H --w W --k K --r R --s S [options]\n"
		"       -o TRACE\n\n"
		"A synthetic trace of one forward 2-D convolution on the MMEs as an implicit\n"
		"GEMM (M = N H' W', N = K, K = C R S): input N x H x W x C (NHWC), weights\n"
		"R x S x C x K, output N x H' x W' x K with H' = (H + 2 pad - R) / stride + 1.\n"
		"Made of real packets, as gen gemm: a CS downloading the programs, then a CS\n"
		"with one job per MME (CP_DMA to a program writing the ARCH descriptor and\n"
		"MME_CTRL_CMD per launch, then SOB += 1) and a final job on DMA_1_0 that\n"
		"fences on all of them. The N x H' output rows are split across the MMEs.\n"
		"Options:\n"
		"  --n N, --c C, --h H, --w W   input batch, channels, height, width (required;\n"
		"                               suffixes K, M)\n"
		"  --k K                        output channels (required)\n"
		"  --r R, --s S                 kernel height and width, 1..256 (required)\n"
		"  --stride U                   stride along H and W, 1..256 (default 1)\n"
		"  --pad P                      zero padding on each side, below R and S\n"
		"                               (default 0)\n"
		"  --dtype T                    bf16 (default), fp8 or fp32: input and weights\n"
		"  --out-dtype T                element type of the output (default bf16; fp32\n"
		"                               for fp32 inputs)\n"
		"  --asic NAME                  gaudi (default) or gaudi2\n"
		"  --mmes N                     logical MMEs to use (default: all of the ASIC)\n"
		"  -o TRACE                     output file (required)\n");
}

static int fail(hlsim_err_t rc)
{
	const char *d = hlsim_last_error_detail();

	if (!d || !d[0])
		d = hlsim_strerror(rc);
	fprintf(stderr, "hlsim: %s%s\n", strncmp(d, "gen conv2d", 10) ? "gen conv2d: " : "", d);
	return rc == HLSIM_E_USAGE ? 2 : 1;
}

static int bad_value(const char *opt, const char *val, const char *expected)
{
	fprintf(stderr, "hlsim gen conv2d: %s '%s': expected %s\n", opt, val, expected);
	return 2;
}

/* The option @a among the sizes: its field in @o and its bit in the required mask. */
static uint32_t *size_field(struct trc_gen_conv_opts *o, const char *a, uint32_t *bit)
{
	static const char *const names[] = { "--n", "--c", "--h", "--w", "--k", "--r", "--s",
					     "--stride", "--pad", "--mmes" };
	uint32_t *fields[] = { &o->n, &o->c, &o->h, &o->w, &o->k, &o->r, &o->s, &o->stride,
			       &o->pad, &o->mmes };
	uint32_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(a, names[i])) {
			*bit = i < 7 ? 1u << i : 0;
			return fields[i];
		}
	}
	return NULL;
}

int trc_gen_conv_main(int argc, char **argv)
{
	struct trc_gen_conv_opts o;
	const char *out = NULL;
	char cmdline[1024];
	uint64_t packets = 0;
	uint32_t launches = 0, have = 0, oh = 0, ow = 0;
	int i, out_set = 0;
	hlsim_err_t rc;

	trc_gen_conv_defaults(&o);
	trc_gen_cmdline(argc, argv, cmdline, sizeof(cmdline));
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		enum mdl_mme_dtype dt;
		uint32_t *field, bit = 0;

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		} else if (!val) {
			fprintf(stderr, "hlsim gen conv2d: unknown or incomplete option '%s'\n",
				a);
			usage(stderr);
			return 2;
		} else if (!strcmp(a, "-o")) {
			out = val;
		} else if (!strcmp(a, "--asic")) {
			o.asic = val;
		} else if ((field = size_field(&o, a, &bit)) != NULL) {
			if (trc_gen_parse_count32(val, field))
				return bad_value(a, val, "an unsigned integer (suffix K or M)");
			if (!strcmp(a, "--mmes") && !o.mmes)
				return bad_value(a, val, "at least 1");
			have |= bit;
		} else if (!strcmp(a, "--dtype") || !strcmp(a, "--out-dtype")) {
			if (mdl_mme_dtype_by_name(val, &dt))
				return bad_value(a, val, "bf16, fp8 or fp32");
			if (!strcmp(a, "--dtype")) {
				o.dtype = dt;
				if (!out_set)
					o.out_dtype = dt == MDL_MME_FP32 ? MDL_MME_FP32
									 : MDL_MME_BF16;
			} else {
				o.out_dtype = dt;
				out_set = 1;
			}
		} else {
			fprintf(stderr, "hlsim gen conv2d: unknown option '%s'\n", a);
			usage(stderr);
			return 2;
		}
		i++;
	}
	if (have != 0x7F) {
		fprintf(stderr, "hlsim gen conv2d: --n, --c, --h, --w, --k, --r and --s are "
				"required\n");
		return 2;
	}
	if (!out) {
		fprintf(stderr, "hlsim gen conv2d: -o TRACE is required\n");
		return 2;
	}
	rc = trc_gen_conv(&o, out, cmdline, &packets, &launches);
	if (!rc)
		rc = trc_gen_conv_out_dims(&o, &oh, &ow);
	if (rc)
		return fail(rc);
	printf("hlsim gen conv2d: wrote %s: %ux%ux%ux%u (NHWC) * %ux%u x%u stride %u pad %u "
	       "-> %ux%ux%ux%u %s, implicit GEMM %" PRIu64 "x%ux%" PRIu64 ", %u launches, "
	       "%" PRIu64 " packets\n",
	       out, o.n, o.h, o.w, o.c, o.r, o.s, o.k, o.stride, o.pad, o.n, oh, ow, o.k,
	       mdl_mme_dtype_name(o.dtype), (uint64_t)o.n * oh * ow, o.k,
	       (uint64_t)o.c * o.r * o.s, launches, packets);
	return 0;
}
/* ====} */
