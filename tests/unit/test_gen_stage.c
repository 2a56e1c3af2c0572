/*
 * tests/unit/test_gen_stage.c - SRAM staging of `hlsim gen elementwise` (--stage sram,
 * traces/gen/gen_elementwise.c), on gaudi and gaudi2:
 *   - the staged trace decodes (`hlsim disasm`) and replays (`hlsim run`) without
 *     deadlock; its LAUNCH records' FLOPs equal the unstaged trace's;
 *   - DMA bytes, exactly: the unstaged trace moves 3 E S after its download (A, B host ->
 *     HBM, C HBM -> host); the staged one 6 E S (each input byte host -> HBM and HBM ->
 *     SRAM, each output byte SRAM -> HBM and HBM -> host), i.e. twice as much;
 *   - every LAUNCH of chunk k (CS seq 2 + k) starts after the input DMAs of chunk k end,
 *     and the output DMA of chunk k starts after its launches end (the data edges);
 *   - overlap is real: with flops per element chosen so that a chunk's compute takes
 *     about as long as its copies (in + out), the staged pipeline (8 chunks) from the
 *     first HBM -> SRAM copy to the last SRAM -> HBM copy takes less than 0.8 of the
 *     same work as one chunk (--chunk-bytes = the whole tensor: copy in, compute, copy
 *     out back to back). When written, hlsim gave 0.63 (gaudi) and 0.64 (gaudi2); with
 *     the generator changed to make each input copy wait for the previous chunk's output
 *     copy (no overlap), 1.26 and 1.10, and this check failed;
 *   - bad values: --chunk-bytes not a multiple of 256, chunk buffers beyond the user
 *     SRAM, an unknown --stage, --chunk-bytes without --stage sram: HLSIM_E_USAGE.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hlsim/error.h"
#include "hlsim/results.h"
#include "tests/unit/check.h"
#include "traces/gen/gen_elementwise.h"

#define MAX_CHUNKS 64

/* What a run's results hold. */
struct run {
	int ok;
	uint64_t flops, dma_bytes, last_seq;
	/* per CS seq: LAUNCH first start / last end, DMA of the first job (IN) and of the
	 * job after the launches (OUT) first start / last end */
	uint64_t l_start[MAX_CHUNKS + 2], l_end[MAX_CHUNKS + 2];
	uint64_t in_start[MAX_CHUNKS + 2], in_end[MAX_CHUNKS + 2];
	uint64_t out_start[MAX_CHUNKS + 2], out_end[MAX_CHUNKS + 2];
};

/* The `hlsim run` options for @asic: the gaudi2 card's configuration on gaudi2. */
static const char *run_args(const char *asic)
{
	return strcmp(asic, "gaudi2") ? "" : "--config gaudi2_hl225";
}

/* Run @trace of @asic into @dir and read its results; @tpcs: TPC jobs per chunk CS. */
static void run_trace(const char *asic, const char *trace, const char *dir, uint32_t tpcs,
		      struct run *r)
{
	char cmd[1024], path[600];
	hlsim_results_t *res = NULL;
	struct hlsim_rec rec[256];
	uint64_t first = 0;
	size_t n, i;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < MAX_CHUNKS + 2; i++)
		r->l_start[i] = r->in_start[i] = r->out_start[i] = UINT64_MAX;
	snprintf(cmd, sizeof(cmd), "'%s' disasm '%s' > /dev/null", HLSIM_EXE, trace);
	CHECK(system(cmd) == 0);
	snprintf(cmd, sizeof(cmd), "'%s' run '%s' -o '%s' --no-plot --no-progress %s > /dev/null",
		 HLSIM_EXE, trace, dir, run_args(asic));
	if (system(cmd) != 0) {
		fprintf(stderr, "run of %s failed\n", trace);
		CHECK(0);
		return;
	}
	snprintf(path, sizeof(path), "%s/results.h5", dir);
	if (hlsim_results_open(path, &res)) {
		fprintf(stderr, "%s: %s\n", path, hlsim_last_error_detail());
		CHECK(0);
		return;
	}
	while (!hlsim_results_read(res, first, rec, 256, &n) && n) {
		for (i = 0; i < n; i++) {
			const struct hlsim_rec *x = &rec[i];
			uint64_t s = x->cs_seq;

			if (x->kind != HLSIM_REC_LAUNCH && x->kind != HLSIM_REC_DMA)
				continue;
			if (s > r->last_seq)
				r->last_seq = s;
			if (x->kind == HLSIM_REC_LAUNCH) {
				r->flops += x->flops;
			} else {
				r->dma_bytes += x->bytes;
			}
			if (s >= MAX_CHUNKS + 2)
				continue;
			if (x->kind == HLSIM_REC_LAUNCH) {
				if (x->start_ps < r->l_start[s])
					r->l_start[s] = x->start_ps;
				if (x->end_ps > r->l_end[s])
					r->l_end[s] = x->end_ps;
			} else if (x->job == 0) {
				if (x->start_ps < r->in_start[s])
					r->in_start[s] = x->start_ps;
				if (x->end_ps > r->in_end[s])
					r->in_end[s] = x->end_ps;
			} else if (x->job == tpcs + 1) {
				if (x->start_ps < r->out_start[s])
					r->out_start[s] = x->start_ps;
				if (x->end_ps > r->out_end[s])
					r->out_end[s] = x->end_ps;
			}
		}
		first += n;
	}
	hlsim_results_close(res);
	r->ok = 1;
}

/* The DMA bytes of the unstaged trace after its download (CS seq 1). */
static uint64_t unstaged_dma_bytes(const char *asic, const char *trace, const char *dir)
{
	char cmd[1024], path[600];
	hlsim_results_t *res = NULL;
	struct hlsim_rec rec[256];
	uint64_t first = 0, bytes = 0;
	size_t n, i;

	snprintf(cmd, sizeof(cmd), "'%s' run '%s' -o '%s' --no-plot --no-progress %s > /dev/null",
		 HLSIM_EXE, trace, dir, run_args(asic));
	CHECK(system(cmd) == 0);
	snprintf(path, sizeof(path), "%s/results.h5", dir);
	if (hlsim_results_open(path, &res)) {
		CHECK(0);
		return 0;
	}
	while (!hlsim_results_read(res, first, rec, 256, &n) && n) {
		for (i = 0; i < n; i++)
			if (rec[i].kind == HLSIM_REC_DMA && rec[i].cs_seq >= 2)
				bytes += rec[i].bytes;
		first += n;
	}
	hlsim_results_close(res);
	return bytes;
}

/* Staged vs unstaged on @asic: FLOPs, DMA bytes, the data edges of every chunk. */
static void test_equal(const char *asic, uint32_t tpcs)
{
	struct trc_gen_elementwise_opts o;
	struct trc_gen_elementwise_stats su, ss;
	char tu[128], ts[128], du[128], ds[128];
	struct run r;
	uint64_t e = 3u << 20, s_bytes = 2, k;

	trc_gen_elementwise_defaults(&o);
	o.asic = asic;
	o.elements = e + 1000; /* a short last chunk */
	o.tpcs = tpcs;
	o.flops_per_element = 3;
	snprintf(tu, sizeof(tu), "gen_stage_%s_u.h5", asic);
	snprintf(ts, sizeof(ts), "gen_stage_%s_s.h5", asic);
	snprintf(du, sizeof(du), "gen_stage_%s_u.out", asic);
	snprintf(ds, sizeof(ds), "gen_stage_%s_s.out", asic);
	CHECK(trc_gen_elementwise(&o, tu, NULL, &su) == HLSIM_OK);
	o.stage = "sram";
	CHECK(trc_gen_elementwise(&o, ts, NULL, &ss) == HLSIM_OK);
	CHECK_EQ_U64(ss.flops, su.flops);
	CHECK_EQ_U64(ss.vectors, su.vectors);
	CHECK_EQ_U64(ss.chunks, 8);
	CHECK_EQ_U64(ss.kernels, 8ull * tpcs);
	CHECK_EQ_U64(unstaged_dma_bytes(asic, tu, du), 3 * o.elements * s_bytes);
	run_trace(asic, ts, ds, tpcs, &r);
	if (!r.ok)
		return;
	CHECK_EQ_U64(r.flops, su.flops);
	CHECK_EQ_U64(r.flops, o.elements * 3);
	CHECK_EQ_U64(r.dma_bytes, 6 * o.elements * s_bytes);
	CHECK_EQ_U64(r.last_seq, 1 + ss.chunks);
	for (k = 0; k < ss.chunks; k++) {
		uint64_t s = 2 + k;

		CHECK(r.in_end[s] != 0 && r.l_end[s] != 0 && r.out_end[s] != 0);
		CHECK(r.l_start[s] >= r.in_end[s]);
		CHECK(r.out_start[s] >= r.l_end[s]);
		if (k >= 2) {
			CHECK(r.in_start[s] >= r.l_end[s - 2]); /* A, B buffer reuse */
			CHECK(r.l_start[s] >= r.out_end[s - 2]); /* C buffer reuse */
		}
	}
}

/* The span from the first HBM -> SRAM copy to the last SRAM -> HBM copy. */
static uint64_t pipeline_ps(const char *asic, uint64_t elements, uint64_t flops,
			    uint64_t chunk_bytes, uint32_t *chunks, uint64_t *in_ps,
			    uint64_t *comp_ps, uint64_t *out_ps)
{
	struct trc_gen_elementwise_opts o;
	struct trc_gen_elementwise_stats st;
	char t[128], d[128];
	struct run r;
	uint64_t k, first = UINT64_MAX, last = 0;

	trc_gen_elementwise_defaults(&o);
	o.asic = asic;
	o.elements = elements;
	o.flops_per_element = flops;
	o.stage = "sram";
	o.chunk_bytes = chunk_bytes;
	snprintf(t, sizeof(t), "gen_stage_ovl_%s_%" PRIu64 ".h5", asic, chunk_bytes);
	snprintf(d, sizeof(d), "gen_stage_ovl_%s_%" PRIu64 ".out", asic, chunk_bytes);
	CHECK(trc_gen_elementwise(&o, t, NULL, &st) == HLSIM_OK);
	*chunks = st.chunks;
	run_trace(asic, t, d, o.tpcs, &r);
	if (!r.ok || !st.chunks || st.chunks > MAX_CHUNKS)
		return 0;
	for (k = 0; k < st.chunks; k++) {
		if (r.in_start[2 + k] < first)
			first = r.in_start[2 + k];
		if (r.out_end[2 + k] > last)
			last = r.out_end[2 + k];
	}
	*in_ps = r.in_end[2] - r.in_start[2];
	*comp_ps = r.l_end[2] - r.l_start[2];
	*out_ps = r.out_end[2] - r.out_start[2];
	return last > first ? last - first : 0;
}

/*
 * Overlap: 8 chunks against one chunk of the same work, @e bf16 elements per tensor
 * (one chunk of each tensor, six buffers, must fit the SRAM: 20 MiB on gaudi), @flops
 * per element chosen so that the compute takes about as long as the copies (in + out).
 * On gaudi2 the per-chunk CP work (monitor arming, descriptor writes: about 1 us per
 * job) is large against 1 Mi elements' chunks, so it runs 4 Mi.
 */
static void test_overlap(const char *asic, uint64_t e, uint64_t flops)
{
	uint64_t whole = e * 2, p8, p1, in1, comp1, out1, in8, comp8, out8;
	uint32_t c8 = 0, c1 = 0;

	p8 = pipeline_ps(asic, e, flops, 0, &c8, &in8, &comp8, &out8);
	p1 = pipeline_ps(asic, e, flops, whole, &c1, &in1, &comp1, &out1);
	printf("%s: F=%" PRIu64 ": one chunk: in %" PRIu64 " ps, compute %" PRIu64
	       " ps, out %" PRIu64 " ps, pipeline %" PRIu64 " ps; %u chunks: pipeline %" PRIu64
	       " ps (%.2f of one chunk)\n",
	       asic, flops, in1, comp1, out1, p1, c8, p8, p1 ? (double)p8 / (double)p1 : 0.0);
	CHECK_EQ_U64(c8, 8);
	CHECK_EQ_U64(c1, 1);
	/* DMA and compute of similar length, so that overlap matters */
	CHECK(comp1 * 3 > (in1 + out1) * 2 && comp1 * 2 < (in1 + out1) * 3);
	/* one chunk runs its stages back to back */
	CHECK(p1 >= in1 + comp1 + out1);
	CHECK(p8 > 0);
	CHECK(p8 * 10 < p1 * 8);
}

static void test_bad(void)
{
	struct trc_gen_elementwise_opts o;

	trc_gen_elementwise_defaults(&o);
	o.stage = "sram";
	o.chunk_bytes = 1000;
	CHECK(trc_gen_elementwise(&o, "gen_stage_bad.h5", NULL, NULL) == HLSIM_E_USAGE);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "multiple of 256");
	/* gaudi: 20 MiB of user SRAM, six 4 MiB buffers do not fit */
	o.elements = 2u << 20;
	o.chunk_bytes = 4u << 20;
	CHECK(trc_gen_elementwise(&o, "gen_stage_bad.h5", NULL, NULL) == HLSIM_E_USAGE);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "user SRAM");
	o.stage = "l2";
	CHECK(trc_gen_elementwise(&o, "gen_stage_bad.h5", NULL, NULL) == HLSIM_E_USAGE);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "--stage l2");
	o.stage = NULL;
	CHECK(trc_gen_elementwise(&o, "gen_stage_bad.h5", NULL, NULL) == HLSIM_E_USAGE);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "only with --stage sram");
}

int main(void)
{
	test_equal("gaudi", 8);
	test_equal("gaudi2", 24);
	test_overlap("gaudi", 1u << 20, 120);
	test_overlap("gaudi2", 4u << 20, 75);
	test_bad();
	return check_summary();
}
