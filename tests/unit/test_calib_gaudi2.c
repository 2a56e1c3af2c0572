/*
 * tests/unit/test_calib_gaudi2.c - calibration through the whole simulator: the two
 * Gaudi2 bf16 GEMMs of CALIBRATION.md (torch.mm in an HPU graph: 4096^3 at 408.2 TFLOPS,
 * 8192^3 at 423.9 TFLOPS) generated with `hlsim gen gemm --asic gaudi2`, replayed on the
 * gaudi2_hl225 preset. Achieved TFLOPS = 2MNK / the GEMM CS's time from submission to
 * completion (what a program timing torch.mm plus a synchronize sees). Prints the ratios
 * and requires each within 5%.
 */
#include <inttypes.h>

#include "tests/unit/check.h"
#include "tests/unit/tracebuild.h"
#include "traces/gen/gen_gemm.h"

static double gemm_tflops(uint32_t n)
{
	struct trc_gen_gemm_opts o;
	struct hlsim_rec cs[8];
	char trace[64], dir[64], err[4096];
	uint64_t packets;
	uint32_t launches;
	size_t k;

	snprintf(trace, sizeof(trace), "calib_g2_%u.h5", n);
	snprintf(dir, sizeof(dir), "calib_g2_%u.out", n);
	trc_gen_gemm_defaults(&o);
	o.asic = "gaudi2";
	o.m = o.n = o.k = n;
	if (trc_gen_gemm(&o, trace, "test", &packets, &launches)) {
		fprintf(stderr, "gen: %s\n", hlsim_last_error_detail());
		return 0;
	}
	if (tb_run(trace, dir, "--config gaudi2_hl225", err, sizeof(err))) {
		fprintf(stderr, "run: %s\n", err);
		return 0;
	}
	k = tb_records(dir, "host", HLSIM_REC_CS, cs, 8);
	CHECK_EQ_U64(k, 2); /* the program download, then the GEMM */
	if (k != 2)
		return 0;
	return 2.0 * n * (double)n * n / ((double)(cs[1].end_ps - cs[1].start_ps) * 1e-12) / 1e12;
}

int main(void)
{
	static const struct {
		uint32_t n;
		double measured_tflops;
	} cal[] = { { 4096, 408.2 }, { 8192, 423.9 } };
	size_t i;

	for (i = 0; i < sizeof(cal) / sizeof(cal[0]); i++) {
		double t = gemm_tflops(cal[i].n);
		double ratio = t / cal[i].measured_tflops;

		printf("calibration: Gaudi2 bf16 GEMM %u^3: simulated %.1f TFLOPS, measured %.1f, "
		       "ratio %.4f\n",
		       cal[i].n, t, cal[i].measured_tflops, ratio);
		CHECK(ratio > 0.95 && ratio < 1.05);
	}
	return check_summary();
}
