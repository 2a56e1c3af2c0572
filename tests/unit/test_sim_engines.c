/*
 * tests/unit/test_sim_engines.c - compute engines in the simulator: a TPC kernel takes
 * its compute time when memory is fast and its bytes / HBM bandwidth when memory is
 * slow (compute and traffic overlap); two TPCs share HBM; an MME GEMM takes the MME
 * model's cycles at mme.clock and records its FLOPs.
 */
#include <inttypes.h>

#include "tests/unit/check.h"
#include "tests/unit/tracebuild.h"
#include "traces/gen/gen_elementwise.h"
#include "traces/gen/gen_gemm.h"

#define CHECK_NEAR_REL(a, b, rel)                                                          \
	do {                                                                               \
		double a_ = (double)(a), b_ = (double)(b);                                 \
		int ok_ = a_ >= b_ * (1 - (rel)) && a_ <= b_ * (1 + (rel));                \
		if (!ok_)                                                                  \
			fprintf(stderr, "  got %.0f, expected %.0f (+-%g)\n", a_, b_, rel); \
		CHECK(ok_);                                                                \
	} while (0)

static void gen_ew(const char *path, uint64_t elements, uint32_t tpcs)
{
	struct trc_gen_elementwise_opts o;
	struct trc_gen_elementwise_stats st;

	trc_gen_elementwise_defaults(&o);
	o.elements = elements;
	o.tpcs = tpcs;
	o.dtype = "bf16";
	if (trc_gen_elementwise(&o, path, "test", &st)) {
		fprintf(stderr, "gen: %s\n", hlsim_last_error_detail());
		exit(1);
	}
}

/*
 * One TPC, 1000 bf16 vectors. The generator annotates each kernel with a cost hint
 * (128000 FLOPs), which overrides tpc.cycles_per_vector: the body is FLOPs / (2 x 128
 * lanes) = 500 cycles, so 1000 launch + 4 latency + 500 cycles at 1 GHz = 1.504 us.
 */
static void tpc_bound(void)
{
	struct hlsim_rec r[4];
	char err[4096];
	/* three tensors (A, B, C) of 128000 bf16 each */
	uint64_t bytes = 3ull * 128000 * 2;

	gen_ew("eng_tpc.h5", 128000, 1);
	CHECK_EQ_U64(tb_run("eng_tpc.h5", "eng_tpc_fast.out",
			    "--set tpc.clock=1GHz --set tpc.cycles_per_vector=10 "
			    "--set tpc.launch_overhead_cycles=1000 --set hbm.bandwidth=100TB/s",
			    err, sizeof(err)),
		     0);
	CHECK_EQ_U64(tb_records("eng_tpc_fast.out", "TPC0", HLSIM_REC_LAUNCH, r, 4), 1);
	CHECK_NEAR_REL(r[0].end_ps - r[0].start_ps, 1504000.0, 0.001);
	CHECK_EQ_U64(r[0].bytes, bytes);
	CHECK_EQ_U64(r[0].flops, 128000);
	CHECK_EQ_U64(r[0].aux, MDL_ENGINE_TPC);
	/* memory-bound: 768000 bytes at 10 GB/s = 76.8 us (+100 ns HBM latency) */
	CHECK_EQ_U64(tb_run("eng_tpc.h5", "eng_tpc_slow.out",
			    "--set tpc.clock=1GHz --set tpc.cycles_per_vector=10 "
			    "--set tpc.launch_overhead_cycles=1000 --set hbm.bandwidth=10GB/s "
			    "--set hbm.latency=100ns",
			    err, sizeof(err)),
		     0);
	CHECK_EQ_U64(tb_records("eng_tpc_slow.out", "TPC0", HLSIM_REC_LAUNCH, r, 4), 1);
	CHECK_NEAR_REL(r[0].end_ps - r[0].start_ps, 76900000.0, 0.001);
}

/* Two memory-bound TPCs at once share HBM: each takes twice as long as one alone. */
static void tpc_sharing(void)
{
	struct hlsim_rec r0[2], r1[2];
	char err[4096];

	gen_ew("eng_tpc2.h5", 256000, 2);
	CHECK_EQ_U64(tb_run("eng_tpc2.h5", "eng_tpc2.out",
			    "--set hbm.bandwidth=10GB/s --set hbm.latency=100ns", err, sizeof(err)),
		     0);
	CHECK_EQ_U64(tb_records("eng_tpc2.out", "TPC0", HLSIM_REC_LAUNCH, r0, 2), 1);
	CHECK_EQ_U64(tb_records("eng_tpc2.out", "TPC1", HLSIM_REC_LAUNCH, r1, 2), 1);
	CHECK_EQ_U64(r0[0].start_ps, r1[0].start_ps);
	CHECK_NEAR_REL(r0[0].end_ps - r0[0].start_ps, 153700000.0, 0.002);
	CHECK_NEAR_REL(r1[0].end_ps - r1[0].start_ps, 153700000.0, 0.002);
}

/*
 * A 512^3 bf16 GEMM on one Gaudi MME (128 x 64 array): 4 x 8 tiles of 512 + 64 cycles,
 * plus 1000 launch and 192 fill/drain cycles = 19624 cycles, at 1 GHz with fast memory.
 */
static void mme_bound(void)
{
	struct trc_gen_gemm_opts o;
	struct hlsim_rec r[4];
	char err[4096];
	uint64_t packets;
	uint32_t launches;

	trc_gen_gemm_defaults(&o);
	o.m = o.n = o.k = 512;
	o.mmes = 1;
	if (trc_gen_gemm(&o, "eng_mme.h5", "test", &packets, &launches)) {
		fprintf(stderr, "gen: %s\n", hlsim_last_error_detail());
		exit(1);
	}
	CHECK_EQ_U64(launches, 1);
	CHECK_EQ_U64(tb_run("eng_mme.h5", "eng_mme.out",
			    "--set mme.clock=1GHz --set hbm.bandwidth=100TB/s", err, sizeof(err)),
		     0);
	CHECK_EQ_U64(tb_records("eng_mme.out", "MME0", HLSIM_REC_LAUNCH, r, 4) +
			     tb_records("eng_mme.out", "MME1", HLSIM_REC_LAUNCH, r, 4),
		     1);
	CHECK_NEAR_REL(r[0].end_ps - r[0].start_ps, 19624000.0, 0.001);
	CHECK_EQ_U64(r[0].flops, 2ull * 512 * 512 * 512);
	CHECK_EQ_U64(r[0].aux, MDL_ENGINE_MME);
}

/*
 * The TPC peak of CALIBRATION.md is reached on large compute-bound work and never
 * exceeded: 8 TPCs x 128 bf16 lanes x 2 FLOP (multiply-add) x 1.95 GHz = 3.99 TFLOPS.
 */
static void tpc_peak(void)
{
	struct trc_gen_elementwise_opts o;
	struct trc_gen_elementwise_stats st;
	struct hlsim_rec r[2];
	char err[4096], unit[16];
	double peak_per_tpc = 128.0 * 2 * 1.95e9, sum = 0;
	int t;

	trc_gen_elementwise_defaults(&o);
	o.elements = 8u << 20;
	o.tpcs = 8;
	o.dtype = "bf16";
	o.flops_per_element = 1000;
	if (trc_gen_elementwise(&o, "eng_peak.h5", "test", &st)) {
		fprintf(stderr, "gen: %s\n", hlsim_last_error_detail());
		exit(1);
	}
	CHECK_EQ_U64(tb_run("eng_peak.h5", "eng_peak.out", "", err, sizeof(err)), 0);
	for (t = 0; t < 8; t++) {
		double achieved;

		snprintf(unit, sizeof(unit), "TPC%d", t);
		CHECK_EQ_U64(tb_records("eng_peak.out", unit, HLSIM_REC_LAUNCH, r, 2), 1);
		achieved = (double)r[0].flops / ((double)(r[0].end_ps - r[0].start_ps) * 1e-12);
		CHECK(achieved <= peak_per_tpc * 1.000001);
		CHECK(achieved >= peak_per_tpc * 0.99);
		sum += achieved;
	}
	printf("TPC peak: 8 TPCs reach %.3f TFLOPS of %.3f\n", sum / 1e12, 8 * peak_per_tpc / 1e12);
}

int main(void)
{
	tpc_bound();
	tpc_peak();
	tpc_sharing();
	mme_bound();
	return check_summary();
}
