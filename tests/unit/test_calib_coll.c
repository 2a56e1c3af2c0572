/*
 * tests/unit/test_calib_coll.c - calibration of collectives through the whole simulator:
 * CALIBRATION.md item 2, hccl_demo's all-reduce of 32 MiB fp32 per rank on the 8 Gaudi2 of
 * one HLS-Gaudi2, 0.227 ms per operation (algorithm bandwidth 147.6 GB/s, bus bandwidth
 * 258.2 GB/s). The trace is `hlsim gen allreduce` with its defaults (direct, automatic
 * slices), replayed on gaudi2_hl225. The time of one operation is the span of the devices'
 * CSs, from the first submission to the last completion: what hccl_demo's loop of
 * back-to-back operations sees per operation (the host's submission of the next one
 * overlaps the device's work on the current one, so it is not part of it). Prints the
 * time, algbw, busbw and the ratio to 0.227 ms, and requires the ratio within 5%.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hlsim/results.h"
#include "tests/unit/check.h"
#include "tests/unit/tracebuild.h"
#include "traces/gen/gen_coll.h"

#define MEASURED_S 227e-6 /* CALIBRATION.md item 2 */

/* The span of the devices' CS records: the first start to the last end. */
static double cs_span_s(const char *out, size_t *ncs)
{
	char path[600];
	hlsim_results_t *r;
	struct hlsim_rec buf[256];
	uint64_t first = 0, t0 = UINT64_MAX, t1 = 0;
	size_t n, i;

	*ncs = 0;
	snprintf(path, sizeof(path), "%s/results.h5", out);
	if (hlsim_results_open(path, &r)) {
		fprintf(stderr, "results: %s\n", hlsim_last_error_detail());
		return 0;
	}
	while (!hlsim_results_read(r, first, buf, 256, &n) && n) {
		for (i = 0; i < n; i++) {
			if (buf[i].kind != HLSIM_REC_CS ||
			    hlsim_results_unit(r, buf[i].unit)->kind != HLSIM_UNIT_HOST)
				continue;
			(*ncs)++;
			t0 = buf[i].start_ps < t0 ? buf[i].start_ps : t0;
			t1 = buf[i].end_ps > t1 ? buf[i].end_ps : t1;
		}
		first += n;
	}
	hlsim_results_close(r);
	return t1 > t0 ? (double)(t1 - t0) * 1e-12 : 0;
}

int main(void)
{
	struct trc_gen_coll_opts o;
	struct trc_gen_coll_stats st;
	char dir[128], trace[256], out[256], err[4096];
	double t, algbw, busbw, ratio;
	size_t ncs = 0;
	int rc;

	snprintf(dir, sizeof(dir), "/tmp/hlsim_test_calib_coll_%d", (int)getpid());
	CHECK(mkdir(dir, 0755) == 0);
	snprintf(trace, sizeof(trace), "%s/allreduce8.h5", dir);
	snprintf(out, sizeof(out), "%s/allreduce8.out", dir);
	trc_gen_coll_defaults(&o); /* 8 x gaudi2, allreduce, 32 MiB fp32 */
	CHECK_EQ_U64(o.devices, 8);
	CHECK_EQ_U64(o.bytes, 32ull << 20);
	CHECK(!strcmp(o.dtype, "fp32") && !strcmp(o.asic, "gaudi2"));
	CHECK_EQ_U64(trc_gen_coll(&o, NULL, trace, "test_calib_coll", &st), HLSIM_OK);
	rc = tb_run(trace, out, "--config gaudi2_hl225", err, sizeof(err));
	CHECK_EQ_U64(rc, 0);
	if (rc) {
		fprintf(stderr, "run: %s\n", err);
		return check_summary();
	}
	t = cs_span_s(out, &ncs);
	CHECK_EQ_U64(ncs, 8);
	CHECK(t > 0);
	if (t <= 0)
		return check_summary();
	algbw = (double)o.bytes / t;
	busbw = algbw * trc_gen_coll_busbw_factor(o.op, o.devices);
	ratio = t / MEASURED_S;
	printf("8 x Gaudi2 all-reduce 32 MiB fp32 (%s, slices of %" PRIu64 " bytes): %.3f us, "
	       "algbw %.1f GB/s, busbw %.1f GB/s; measured 227.000 us (147.6 / 258.2 GB/s): "
	       "ratio %.3f\n",
	       trc_gen_coll_algo_name(st.algo), st.slice_bytes, t * 1e6, algbw * 1e-9, busbw * 1e-9,
	       ratio);
	CHECK(fabs(ratio - 1.0) <= 0.05);
	snprintf(err, sizeof(err), "rm -rf '%s'", dir);
	if (system(err) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	return check_summary();
}
