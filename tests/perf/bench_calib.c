/*
 * tests/perf/bench_calib.c - the MME model against the calibration GEMMs of
 * CALIBRATION.md, through mdl_mme_work() alone (no simulator).
 *
 *   bench_calib            Gaudi2 parameters proposed by the MME model (printed)
 *   bench_calib PRESET     the [mme] values of a preset (e.g. gaudi2_hl225)
 *
 * Each GEMM is cut over the 2 logical Gaudi2 MMEs exactly as `hlsim gen gemm` cuts it
 * (trc_gen_gemm_plan with its defaults); an MME runs its launches one after the other,
 * the GEMM ends with the slower MME. Achieved TFLOPS = 2 M N K / time, printed with the
 * ratio to the measured 408.2 (4096^3) and 423.9 (8192^3) TFLOPS. Also checks that the
 * peak 2 MMEs x rows x cols x 2 x clock is 432 TFLOPS for Gaudi2 (and ~60 for the HL-205
 * defaults), approached by large well-shaped GEMMs and never exceeded by any shape.
 * Exits 1 if a ratio is off by more than 5% or a peak check fails.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hlsim/config.h"
#include "models/common/engine.h"
#include "models/common/mme.h"
#include "models/gaudi/gaudi_mme.h"
#include "traces/gen/gen_gemm.h"

#define LOGICAL_MMES 2 /* Gaudi and Gaudi2 both have 2 logical MMEs [V] */

static const char *const gaudi2_mme[] = {
	"mme.clock=1.65GHz",	    "mme.array_rows=256",	 "mme.array_cols=256",
	"mme.reshape=true",	    "mme.fp32_rate=0.25",	 "mme.fp8_rate=2",
	"mme.fill_drain_cycles=512", "mme.tile_overhead_cycles=128", "mme.launch_cycles=1000",
	"mme.local_buffer=8MiB",
};

static int failures;

/* Seconds the GEMM m x n x k (@dt) takes when cut as the generator cuts it. */
static double gemm_seconds(const struct mdl_mme_cfg *cfg, uint32_t m, uint32_t n, uint32_t k,
			   enum mdl_mme_dtype dt)
{
	static struct trc_gen_gemm_launch plan[TRC_GEN_GEMM_MAX_LAUNCHES];
	static uint32_t regs[0x10000 / 4];
	uint64_t cycles[LOGICAL_MMES] = { 0 }, worst = 0;
	struct trc_gen_gemm_opts o;
	struct mdl_work w;
	uint32_t nl = 0, i;

	trc_gen_gemm_defaults(&o);
	o.m = m;
	o.n = n;
	o.k = k;
	o.dtype = dt;
	if (trc_gen_gemm_plan(&o, LOGICAL_MMES, plan, TRC_GEN_GEMM_MAX_LAUNCHES, &nl)) {
		fprintf(stderr, "plan %ux%ux%u: %s\n", m, n, k, hlsim_last_error_detail());
		exit(1);
	}
	for (i = 0; i < nl; i++) {
		struct mdl_mme_gemm g = {
			.m = plan[i].m, .n = plan[i].n, .k = k,
			.addr = { 0x100000000ull, 0x200000000ull, 0x300000000ull },
			.pitch = { k, n, n },
			.in_dtype = (uint8_t)dt, .out_dtype = MDL_MME_BF16,
		};

		if (mdl_mme_desc_encode(&gaudi_mme_layout, &g, regs) ||
		    mdl_mme_work(&gaudi_mme_layout, regs, cfg, &w)) {
			fprintf(stderr, "launch %u: %s\n", i, hlsim_last_error_detail());
			exit(1);
		}
		cycles[plan[i].mme] += w.compute_cycles;
	}
	for (i = 0; i < LOGICAL_MMES; i++)
		if (cycles[i] > worst)
			worst = cycles[i];
	return (double)worst / cfg->clock_hz;
}

static double tflops(const struct mdl_mme_cfg *cfg, uint32_t m, uint32_t n, uint32_t k,
		     enum mdl_mme_dtype dt)
{
	return 2.0 * m * n * k / gemm_seconds(cfg, m, n, k, dt) / 1e12;
}

static void calibrate(const struct mdl_mme_cfg *cfg, uint32_t size, double measured)
{
	double t = tflops(cfg, size, size, size, MDL_MME_BF16), r = t / measured;

	printf("  %5u^3 bf16: model %6.1f TFLOPS, measured %6.1f, ratio %.4f%s\n", size, t,
	       measured, r, fabs(r - 1) <= 0.05 ? "" : "  <-- off by more than 5%");
	if (fabs(r - 1) > 0.05)
		failures++;
}

/* Peak identity, approach on a well-shaped GEMM, and no shape above peak. */
static void peaks(const char *name, const struct mdl_mme_cfg *cfg, double expect_tflops,
		  double tolerance)
{
	static const uint32_t sizes[] = { 1, 63, 64, 65, 127, 128, 129, 255, 256, 257,
					  511, 512, 1000, 2048, 4095, 4097, 12288 };
	double peak = LOGICAL_MMES * mdl_mme_peak_flops(cfg, MDL_MME_BF16) / 1e12, best;
	double big = tflops(cfg, 16384, 16384, 65536, MDL_MME_BF16), worst_excess = 0;
	size_t a, b, c;

	printf("%s: peak %.1f TFLOPS bf16 (2 x %u x %u x 2 x %.3g GHz), expected ~%.0f\n", name,
	       peak, cfg->array_rows, cfg->array_cols, cfg->clock_hz / 1e9, expect_tflops);
	if (fabs(peak / expect_tflops - 1) > tolerance) {
		printf("  peak off by more than %.0f%%\n", tolerance * 100);
		failures++;
	}
	printf("  16384x16384x65536 bf16 reaches %.1f TFLOPS (%.2f%% of peak)\n", big,
	       100 * big / peak);
	if (big > peak || big < 0.99 * peak) {
		printf("  a large well-shaped GEMM should reach 99-100%% of peak\n");
		failures++;
	}
	best = 0;
	for (a = 0; a < sizeof(sizes) / sizeof(sizes[0]); a++)
		for (b = 0; b < sizeof(sizes) / sizeof(sizes[0]); b++)
			for (c = 0; c < sizeof(sizes) / sizeof(sizes[0]); c++) {
				double t = tflops(cfg, sizes[a], sizes[b], sizes[c], MDL_MME_BF16);

				if (t > best)
					best = t;
				if (t - peak > worst_excess)
					worst_excess = t - peak;
			}
	printf("  best of %zu shapes: %.1f TFLOPS, never above peak: %s\n",
	       sizeof(sizes) / sizeof(sizes[0]) * sizeof(sizes) / sizeof(sizes[0]) *
		       sizeof(sizes) / sizeof(sizes[0]),
	       best, worst_excess > 0 ? "NO" : "yes");
	if (worst_excess > 0)
		failures++;
}

int main(int argc, char **argv)
{
	hlsim_config_t *c2 = NULL, *c1 = NULL;
	struct mdl_mme_cfg g2, g1;
	size_t i;

	if (argc > 1) {
		if (hlsim_config_load(argv[1], &c2)) {
			fprintf(stderr, "bench_calib: %s\n", hlsim_last_error_detail());
			return 1;
		}
		printf("Gaudi2 [mme] parameters from preset %s\n", hlsim_config_name(c2));
	} else {
		if (hlsim_config_defaults(&c2))
			return 1;
		printf("Gaudi2 [mme] parameters proposed by the MME model:\n");
		for (i = 0; i < sizeof(gaudi2_mme) / sizeof(gaudi2_mme[0]); i++) {
			printf("  %s\n", gaudi2_mme[i]);
			if (hlsim_config_set(c2, gaudi2_mme[i], "bench_calib")) {
				fprintf(stderr, "bench_calib: %s\n", hlsim_last_error_detail());
				return 1;
			}
		}
	}
	if (mdl_mme_cfg_load(c2, &g2) || hlsim_config_defaults(&c1) || mdl_mme_cfg_load(c1, &g1)) {
		fprintf(stderr, "bench_calib: %s\n", hlsim_last_error_detail());
		return 1;
	}
	printf("Calibration GEMMs, Gaudi2, cut over %d MMEs as `hlsim gen gemm` cuts them:\n",
	       LOGICAL_MMES);
	calibrate(&g2, 4096, 408.2);
	calibrate(&g2, 8192, 423.9);
	peaks("Gaudi2", &g2, 432.0, 0.005);
	peaks("Gaudi (HL-205 defaults)", &g1, 60.0, 0.10);
	hlsim_config_free(c2);
	hlsim_config_free(c1);
	printf("%s\n", failures ? "FAILED" : "ok");
	return failures ? 1 : 0;
}
