/*
 * traces/gen/gen_dpstep.c - `hlsim gen dpstep`: one data-parallel training step on N
 * devices, built with the collective builder (gen_coll_int.h):
 *
 *   Model: L linear layers of width H on T tokens per device: layer l computes
 *   X[l+1] (T x H) = X[l] . W[l] (H x H).
 *   Forward, on every device: the L GEMMs X[l] . W[l] in order.
 *   Backward, l = L-1 .. 0: dW[l] = X[l]^T . dY (H x H, S transposed), then
 *   dX = dY . W[l]^T (T x H, L transposed), which is the next layer's dY (two buffers
 *   in turn; the loss gradient dY of the last layer is given).
 *   Each GEMM is cut over the ASIC's logical MMEs exactly as `hlsim gen gemm` cuts it
 *   (trc_gen_gemm_plan with its defaults), one launch per part: the descriptor written with
 *   WREG_BULK, MME_CTRL_CMD with EB, the descriptor's sync object adding 1 to the MME's done
 *   SOB. A GEMM waits (monitors -> FENCE on each MME queue) until every launch of the GEMM
 *   before it has finished: the layers depend on each other.
 *   Gradients: the dW of the layers are contiguous in backward order; consecutive layers
 *   (in backward order) form a bucket until it holds --bucket-bytes (whole layers, at least
 *   one). As soon as the dW GEMM of a bucket's last layer is issued, the bucket's all-reduce
 *   (trc_coll_lower: direct in one box, hierarchical for whole boxes, or --algo) is issued
 *   with its input ready once that GEMM has finished: it runs on the NICs and TPCs while the
 *   MMEs go on with the backward pass, as PyTorch DDP overlaps its buckets.
 *   Each device's CS ends with a job that waits for every GEMM and every bucket's reduced
 *   gradients; it is annotated "dpstep" with the shape.
 *
 * What is synthetic: the data (nothing is moved from the host: the step starts with the
 * weights, activations and loss gradient in HBM), the optimizer (not part of the step),
 * host times. [I] Bucket order and size follow PyTorch DDP's defaults (25 MiB, reverse
 * layer order); HCCL/PyTorch's real bucketing is not visible in a trace.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "models/common/mme.h"
#include "traces/gen/gen_coll.h"
#include "traces/gen/gen_coll_int.h"
#include "traces/gen/gen_common.h"
#include "traces/gen/gen_dpstep.h"
#include "traces/gen/gen_gemm.h"

#define DEFAULT_BUCKET_BYTES (25ull << 20)

/* One GEMM O = S . L (M x N, inner K) over device buffers, cut over the MMEs. */
struct gemm {
	uint32_t m, n, k;
	uint8_t transpose_s, transpose_l;
	uint64_t s, l, o;
};

struct dp {
	struct trc_coll_bld b;
	const struct trc_gen_dpstep_opts *o;
	const struct mdl_mme_layout *lay;
	enum mdl_mme_dtype mdt;
	uint32_t es;
	struct trc_gen_gemm_launch *plan;
	uint32_t *regs;
	struct trc_gen_dpstep_stats st;
	struct trc_coll_cond *prev; /* per device: the last GEMM's completion */
	struct trc_coll_cond *done; /* per device: what the last job waits for */
	uint64_t x0, w0, g0, r0, dy[2];
};

static hlsim_err_t check(struct dp *p)
{
	const struct trc_gen_dpstep_opts *o = p->o;
	uint64_t layer = (uint64_t)o->hidden * o->hidden;

	if (o->layers < 1 || o->layers > TRC_GEN_DPSTEP_MAX_LAYERS)
		return hlsim_error(HLSIM_E_USAGE, "--layers %u: expected 1..%u", o->layers,
				   TRC_GEN_DPSTEP_MAX_LAYERS);
	if (o->hidden < 1 || o->hidden > 65536 || o->tokens < 1 || o->tokens > (1u << 20))
		return hlsim_error(HLSIM_E_USAGE,
				   "--hidden %u --tokens %u: expected 1..65536 and 1..1048576",
				   o->hidden, o->tokens);
	if (!o->dtype || mdl_mme_dtype_by_name(o->dtype, &p->mdt) ||
	    (p->mdt != MDL_MME_BF16 && p->mdt != MDL_MME_FP32))
		return hlsim_error(HLSIM_E_USAGE, "--dtype %s: expected bf16 or fp32",
				   o->dtype ? o->dtype : "(none)");
	p->es = mdl_mme_dtype_bytes(p->mdt);
	if (layer % o->devices)
		return hlsim_error(
			HLSIM_E_USAGE,
			"--hidden %u: a layer's %" PRIu64 " gradients do not split into "
			"%u equal shards; use a hidden size whose square is a multiple of "
			"--devices",
			o->hidden, layer, o->devices);
	if (o->slice_bytes % p->es)
		return hlsim_error(HLSIM_E_USAGE,
				   "--slice-bytes %" PRIu64 ": expected a multiple of %u (or 0)",
				   o->slice_bytes, p->es);
	return HLSIM_OK;
}

/* The descriptor of launch @l of @g. */
static void launch_desc(const struct dp *p, const struct gemm *g,
			const struct trc_gen_gemm_launch *l, uint32_t mme, struct mdl_mme_gemm *d)
{
	memset(d, 0, sizeof(*d));
	d->m = l->m;
	d->n = l->n;
	d->k = g->k;
	d->in_dtype = d->out_dtype = (uint8_t)p->mdt;
	d->transpose_s = g->transpose_s;
	d->transpose_l = g->transpose_l;
	d->geometry = MDL_MME_GEO_BASE;
	/* S: M rows of K, or stored K x M; L: K rows of N, or stored N x K; O: M rows of N */
	d->pitch[MDL_MME_S] = g->transpose_s ? g->m : g->k;
	d->addr[MDL_MME_S] = g->s + (g->transpose_s ? l->m0 : (uint64_t)l->m0 * g->k) * p->es;
	d->pitch[MDL_MME_L] = g->transpose_l ? g->k : g->n;
	d->addr[MDL_MME_L] = g->l + (g->transpose_l ? (uint64_t)l->n0 * g->k : l->n0) * p->es;
	d->pitch[MDL_MME_O] = g->n;
	d->addr[MDL_MME_O] = g->o + ((uint64_t)l->m0 * g->n + l->n0) * p->es;
	d->has_sync = 1;
	d->sync_addr = p->b.x.f->sob_addr(p->b.x.sm_block, p->b.mme_sob + mme);
	d->sync_data = p->b.x.f->sob_value_encode(1, 1);
}

/* Issue @g on every device, each after its previous GEMM; p->prev becomes its completion. */
static hlsim_err_t gemm_all(struct dp *p, const struct gemm *g)
{
	struct trc_coll_bld *b = &p->b;
	struct trc_gen_gemm_opts go;
	struct mdl_mme_gemm d;
	uint32_t nl = 0, i, dv, mme;
	hlsim_err_t rc;

	trc_gen_gemm_defaults(&go);
	go.asic = p->o->asic;
	go.m = g->m;
	go.n = g->n;
	go.k = g->k;
	go.dtype = go.out_dtype = p->mdt;
	go.transpose_a = g->transpose_s;
	go.transpose_b = g->transpose_l;
	rc = trc_gen_gemm_plan(&go, p->lay->num_logical, p->plan, TRC_GEN_GEMM_MAX_LAUNCHES, &nl);
	for (dv = 0; !rc && dv < b->n; dv++) {
		struct trc_coll_dev *dev = &b->d[dv];

		for (mme = 0; !rc && mme < p->lay->num_logical; mme++) {
			uint32_t slot = trc_coll_slot_mme(b, mme);
			int waited = 0;

			for (i = 0; !rc && i < nl; i++) {
				if (p->plan[i].mme != mme)
					continue;
				if (!waited)
					rc = trc_coll_emit_wait(b, dv, slot, &p->prev[dv]);
				waited = 1;
				if (dev->mme_count[mme] >= b->val_max)
					return hlsim_error(
						HLSIM_E_USAGE,
						"device %u: more than %u MME launches on "
						"one SOB; use fewer or larger layers",
						dv, b->val_max);
				launch_desc(p, g, &p->plan[i], mme, &d);
				if (!rc)
					rc = mdl_mme_desc_encode(p->lay, &d, p->regs);
				if (!rc)
					rc = trc_gen_wreg_block(
						&b->x, &dev->q[slot].cb, p->lay->desc_first,
						p->regs + p->lay->desc_first / 4,
						(p->lay->desc_end - p->lay->desc_first) / 4);
				if (!rc)
					rc = trc_gen_wreg32(&b->x, &dev->q[slot].cb, p->lay->cmd, 1,
							    1, 1);
				dev->mme_count[mme]++;
				p->st.mme_launches++;
			}
			if (!rc)
				rc = trc_coll_maybe_flush(b, dv, slot);
		}
		p->prev[dv].n = 0;
		for (mme = 0; !rc && mme < p->lay->num_logical; mme++)
			rc = trc_coll_cond_add(&p->prev[dv], b->mme_sob + mme, dev->mme_count[mme]);
	}
	p->st.gemms++;
	p->st.flops += 2ull * g->m * g->n * g->k;
	return rc;
}

/* All-reduce the @bytes of gradients at offset @off, ready once each device's last GEMM is. */
static hlsim_err_t bucket(struct dp *p, uint64_t off, uint64_t bytes)
{
	struct trc_coll_bld *b = &p->b;
	struct trc_coll_rmap *rin = NULL, *rout = NULL;
	uint64_t slice;
	uint32_t algo = 0, dv, i;
	hlsim_err_t rc;

	rc = trc_coll_check(b, TRC_GEN_COLL_ALLREDUCE, p->o->algo, bytes, &algo);
	if (!rc)
		rc = trc_coll_rmaps_new(b->n, &rin);
	if (!rc)
		rc = trc_coll_rmaps_new(b->n, &rout);
	for (dv = 0; !rc && dv < b->n; dv++)
		rc = trc_coll_rmap_add(&rin[dv], 0, bytes, &p->prev[dv]);
	slice = p->o->slice_bytes ? p->o->slice_bytes
				  : trc_coll_auto_slice_for(b, TRC_GEN_COLL_ALLREDUCE, algo, bytes);
	if (!rc)
		rc = trc_coll_lower(b, TRC_GEN_COLL_ALLREDUCE, algo, bytes, slice, p->g0 + off,
				    p->r0 + off, rin, rout);
	for (dv = 0; !rc && dv < b->n; dv++)
		for (i = 0; !rc && i < rout[dv].n; i++)
			rc = trc_coll_cond_merge(&p->done[dv], &rout[dv].e[i].c);
	p->st.buckets++;
	p->st.algo = algo;
	trc_coll_rmaps_free(rin, b->n);
	trc_coll_rmaps_free(rout, b->n);
	return rc;
}

/* Buffers: X[0..L], W[0..L-1], dW (backward order), reduced dW, two dY. */
static hlsim_err_t place(struct dp *p)
{
	const struct trc_gen_dpstep_opts *o = p->o;
	uint64_t act = (uint64_t)o->tokens * o->hidden * p->es;
	uint64_t wgt = (uint64_t)o->hidden * o->hidden * p->es;
	hlsim_err_t rc;

	rc = trc_coll_stage_alloc(&p->b, act * (o->layers + 1), &p->x0);
	if (!rc)
		rc = trc_coll_stage_alloc(&p->b, wgt * o->layers, &p->w0);
	if (!rc)
		rc = trc_coll_stage_alloc(&p->b, wgt * o->layers, &p->g0);
	if (!rc)
		rc = trc_coll_stage_alloc(&p->b, wgt * o->layers, &p->r0);
	if (!rc)
		rc = trc_coll_stage_alloc(&p->b, act, &p->dy[0]);
	if (!rc)
		rc = trc_coll_stage_alloc(&p->b, act, &p->dy[1]);
	p->st.grad_bytes = wgt * o->layers;
	return rc;
}

static hlsim_err_t step(struct dp *p)
{
	const struct trc_gen_dpstep_opts *o = p->o;
	uint64_t act = (uint64_t)o->tokens * o->hidden * p->es;
	uint64_t wgt = (uint64_t)o->hidden * o->hidden * p->es, boff = 0, bbytes = 0;
	uint32_t l, T = o->tokens, H = o->hidden, cur = 0;
	struct gemm g;
	hlsim_err_t rc = HLSIM_OK;

	for (l = 0; !rc && l < o->layers; l++) {
		g = (struct gemm){
			T, H, H, 0, 0, p->x0 + l * act, p->w0 + l * wgt, p->x0 + (l + 1) * act
		};
		rc = gemm_all(p, &g);
	}
	for (l = o->layers; !rc && l-- > 0;) {
		uint64_t gl = (uint64_t)(o->layers - 1 - l) * wgt; /* dW[l] in backward order */

		/* dW[l] = X[l]^T . dY: X[l] is stored T x H, read as its transpose (H x T) */
		g = (struct gemm){ H, H, T, 1, 0, p->x0 + l * act, p->dy[cur], p->g0 + gl };
		rc = gemm_all(p, &g);
		bbytes += wgt;
		if (!rc && (bbytes >= o->bucket_bytes || l == 0)) {
			rc = bucket(p, boff, bbytes);
			boff += bbytes;
			bbytes = 0;
		}
		if (!rc && l > 0) {
			/* dX = dY . W[l]^T: W[l] stored H x H (K x N), read transposed */
			g = (struct gemm){
				T, H, H, 0, 1, p->dy[cur], p->w0 + l * wgt, p->dy[cur ^ 1]
			};
			rc = gemm_all(p, &g);
			cur ^= 1;
		}
	}
	return rc;
}

void trc_gen_dpstep_defaults(struct trc_gen_dpstep_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->asic = "gaudi2";
	o->devices = 8;
	o->layers = 8;
	o->hidden = 4096;
	o->tokens = 4096;
	o->dtype = "bf16";
	o->bucket_bytes = DEFAULT_BUCKET_BYTES;
	o->algo = TRC_GEN_COLL_AUTO;
}

hlsim_err_t trc_gen_dpstep(const struct trc_gen_dpstep_opts *o, const hlsim_config_t *cfg,
			   const char *path, const char *cmdline,
			   struct trc_gen_dpstep_stats *stats)
{
	struct trc_coll_setup su;
	struct trc_coll_rmap fin = { 0 };
	struct dp *p;
	uint32_t dv;
	char value[224];
	hlsim_err_t rc, crc;

	if (!o || !path)
		return hlsim_error(HLSIM_E_INVAL, "gen dpstep: NULL options or path");
	p = calloc(1, sizeof(*p));
	if (!p)
		return hlsim_error(HLSIM_E_NOMEM, "gen dpstep");
	p->o = o;
	rc = trc_gen_ctx_init(&p->b.x, o->asic ? o->asic : "", "gen dpstep");
	if (rc)
		goto out;
	p->lay = p->b.x.p->mme_layout;
	if (!p->lay || p->lay->num_logical < 1 || p->lay->num_logical > TRC_COLL_MAX_MMES ||
	    p->lay->desc_end > p->b.x.p->engine_block_bytes) {
		rc = hlsim_error(HLSIM_E_UNSUPPORTED, "gen dpstep: %s has no usable MME layout",
				 p->b.x.p->asic_name);
		goto out;
	}
	su = (struct trc_coll_setup){ .asic = o->asic,
				      .who = "gen dpstep",
				      .cfg = cfg,
				      .devices = o->devices,
				      .dtype = o->dtype,
				      .tpcs = o->tpcs,
				      .mmes = p->lay->num_logical,
				      .mme_engine = p->lay->logical_engine };
	rc = trc_coll_open(&p->b, &su);
	if (!rc)
		rc = check(p);
	if (rc)
		goto close;
	p->plan = calloc(TRC_GEN_GEMM_MAX_LAUNCHES, sizeof(*p->plan));
	p->regs = calloc(p->b.x.p->engine_block_bytes / 4, sizeof(*p->regs));
	p->prev = calloc(o->devices, sizeof(*p->prev));
	p->done = calloc(o->devices, sizeof(*p->done));
	if (!p->plan || !p->regs || !p->prev || !p->done) {
		rc = hlsim_error(HLSIM_E_NOMEM, "gen dpstep");
		goto close;
	}
	rc = place(p);
	if (!rc)
		rc = trc_coll_create(&p->b, path, cmdline ? cmdline : "hlsim gen dpstep");
	if (!rc)
		rc = step(p);
	snprintf(value, sizeof(value),
		 "devices=%u layers=%u hidden=%u tokens=%u dtype=%s buckets=%u grad_bytes=%" PRIu64
		 " algo=%s",
		 o->devices, o->layers, o->hidden, o->tokens, o->dtype, p->st.buckets,
		 p->st.grad_bytes, trc_gen_coll_algo_name(p->st.algo));
	for (dv = 0; !rc && dv < o->devices; dv++) {
		fin.n = 0;
		rc = trc_coll_rmap_add(&fin, 0, 1, &p->done[dv]);
		if (!rc)
			rc = trc_coll_finish_device(&p->b, dv, &fin, "dpstep", value);
		trc_coll_rmap_free(&fin);
	}
close:
	p->st.nic_bytes = p->b.st.nic_bytes;
	p->st.packets = p->b.st.packets;
	p->st.jobs = p->b.st.jobs;
	crc = trc_coll_close(&p->b);
	if (!rc)
		rc = crc;
	if (!rc && stats)
		*stats = p->st;
out:
	for (dv = 0; p->prev && dv < o->devices; dv++)
		trc_coll_cond_free(&p->prev[dv]);
	for (dv = 0; p->done && dv < o->devices; dv++)
		trc_coll_cond_free(&p->done[dv]);
	free(p->prev);
	free(p->done);
	free(p->plan);
	free(p->regs);
	free(p);
	return rc;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: hlsim gen dpstep [options] -o TRACE\n\n"
		"One data-parallel training step on N devices: L linear layers (hidden x hidden\n"
		"weights, T tokens per device) forward then backward on every device's MMEs,\n"
		"the weight gradients all-reduced in buckets that start as soon as their\n"
		"gradients exist, overlapped with the rest of the backward pass. Options:\n"
		"  --asic NAME          gaudi or gaudi2 (default)\n"
		"  --devices N          data-parallel ranks (default 8)\n"
		"  --layers L           layers (default 8)\n"
		"  --hidden H           layer width (default 4096)\n"
		"  --tokens T           tokens per device (default 4096)\n"
		"  --dtype T            bf16 (default) or fp32\n"
		"  --bucket-bytes B     gradient bytes per all-reduce bucket (default 25M)\n"
		"  --algo A             direct, ring or hierarchical (default: as gen allreduce)\n"
		"  --slice-bytes S      all-reduce slices (default 0: automatic)\n"
		"  --tpcs T             TPCs per reduction, 1..8\n"
		"  --config NAME|FILE   wiring preset; --set KEY=VALUE overrides a parameter\n"
		"  -o TRACE             output file (required)\n");
}

#define MAX_SETS 32

int trc_gen_dpstep_main(int argc, char **argv)
{
	struct trc_gen_dpstep_opts o;
	struct trc_gen_dpstep_stats st;
	const char *out = NULL, *config = NULL, *sets[MAX_SETS], *d;
	hlsim_config_t *cfg = NULL;
	char cmdline[1024];
	struct timespec t0, t1;
	uint32_t nsets = 0, k;
	uint64_t v;
	hlsim_err_t rc;
	int i;

	trc_gen_dpstep_defaults(&o);
	trc_gen_cmdline(argc, argv, cmdline, sizeof(cmdline));
	for (i = 1; i < argc; i += 2) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "-o") && val) {
			out = val;
		} else if (!strcmp(a, "--asic") && val) {
			o.asic = val;
		} else if (!strcmp(a, "--dtype") && val) {
			o.dtype = val;
		} else if (!strcmp(a, "--config") && val) {
			config = val;
		} else if (!strcmp(a, "--set") && val) {
			if (nsets == MAX_SETS) {
				fprintf(stderr, "hlsim gen dpstep: more than %u --set\n", MAX_SETS);
				return 2;
			}
			sets[nsets++] = val;
		} else if (!strcmp(a, "--algo") && val) {
			int al = trc_gen_coll_algo_by_name(val);

			if (al <= TRC_GEN_COLL_AUTO) {
				fprintf(stderr,
					"hlsim gen dpstep: --algo '%s': expected direct, ring or "
					"hierarchical\n",
					val);
				return 2;
			}
			o.algo = (uint32_t)al;
		} else if ((!strcmp(a, "--devices") || !strcmp(a, "--layers") ||
			    !strcmp(a, "--hidden") || !strcmp(a, "--tokens") ||
			    !strcmp(a, "--bucket-bytes") || !strcmp(a, "--slice-bytes") ||
			    !strcmp(a, "--tpcs")) &&
			   val) {
			if (trc_gen_parse_count(val, &v)) {
				fprintf(stderr, "hlsim gen dpstep: %s '%s': expected a number\n", a,
					val);
				return 2;
			}
			if (!strcmp(a, "--bucket-bytes"))
				o.bucket_bytes = v;
			else if (!strcmp(a, "--slice-bytes"))
				o.slice_bytes = v;
			else if (v > UINT32_MAX)
				v = UINT32_MAX; /* refused by the range checks */
			if (!strcmp(a, "--devices"))
				o.devices = (uint32_t)v;
			else if (!strcmp(a, "--layers"))
				o.layers = (uint32_t)v;
			else if (!strcmp(a, "--hidden"))
				o.hidden = (uint32_t)v;
			else if (!strcmp(a, "--tokens"))
				o.tokens = (uint32_t)v;
			else if (!strcmp(a, "--tpcs"))
				o.tpcs = (uint32_t)v;
		} else {
			fprintf(stderr, "hlsim gen dpstep: unknown or incomplete option '%s'\n", a);
			usage(stderr);
			return 2;
		}
	}
	if (!out) {
		fprintf(stderr, "hlsim gen dpstep: -o TRACE is required\n");
		return 2;
	}
	if (config || nsets) {
		rc = hlsim_config_load(config			   ? config
				       : !strcmp(o.asic, "gaudi2") ? "gaudi2_hl225"
								   : "gaudi_hl205",
				       &cfg);
		for (k = 0; !rc && k < nsets; k++)
			rc = hlsim_config_set(cfg, sets[k], "--set");
		if (rc) {
			d = hlsim_last_error_detail();
			fprintf(stderr, "hlsim: gen dpstep: %s\n",
				d && d[0] ? d : hlsim_strerror(rc));
			hlsim_config_free(cfg);
			return rc == HLSIM_E_USAGE ? 2 : 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = trc_gen_dpstep(&o, cfg, out, cmdline, &st);
	hlsim_config_free(cfg);
	if (rc) {
		d = hlsim_last_error_detail();
		fprintf(stderr, "hlsim: gen dpstep: %s\n", d && d[0] ? d : hlsim_strerror(rc));
		return rc == HLSIM_E_USAGE ? 2 : 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("hlsim gen dpstep: wrote %s: %u devices, %u GEMMs and %.3f TFLOP per device, ",
	       out, o.devices, st.gemms, (double)st.flops * 1e-12);
	printf("%" PRIu64 " gradient bytes in %u buckets (all-reduce %s), %" PRIu64 " NIC bytes, "
	       "%" PRIu64 " jobs, %" PRIu64 " packets in %.3f s\n",
	       st.grad_bytes, st.buckets, trc_gen_coll_algo_name(st.algo), st.nic_bytes, st.jobs,
	       st.packets,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9);
	return 0;
}
