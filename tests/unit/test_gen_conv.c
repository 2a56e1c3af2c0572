/*
 * tests/unit/test_gen_conv.c - `hlsim gen conv2d` (traces/gen/gen_conv.c): how the
 * output rows are cut over the MMEs (boxes, balance, coverage), the option checks,
 * and generated traces replayed by `hlsim run` on Gaudi and Gaudi2 with the LAUNCH
 * FLOPs in results.h5 equal to 2 N H' W' K C R S (doubling K doubles them).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hlsim/results.h"
#include "tests/unit/check.h"
#include "tests/unit/tracebuild.h"
#include "traces/gen/gen_conv.h"

static struct trc_gen_gemm_launch plan[4096];

static struct trc_gen_conv_opts shape(uint32_t n, uint32_t c, uint32_t h, uint32_t w,
				      uint32_t k, uint32_t r, uint32_t s, uint32_t stride,
				      uint32_t pad)
{
	struct trc_gen_conv_opts o;

	trc_gen_conv_defaults(&o);
	o.n = n, o.c = c, o.h = h, o.w = w, o.k = k, o.r = r, o.s = s;
	o.stride = stride;
	o.pad = pad;
	return o;
}

/* Every launch a box, the rows covered once in order, parts within a row of each other. */
static void test_plan(void)
{
	static const uint32_t cases[][10] = {
		/* n, c, h, w, k, r, s, stride, pad, mmes */
		{ 8, 64, 56, 56, 64, 3, 3, 1, 1, 2 }, { 3, 64, 57, 56, 128, 3, 3, 2, 1, 2 },
		{ 1, 3, 224, 224, 64, 7, 7, 2, 3, 2 }, { 5, 8, 9, 9, 8, 3, 3, 1, 0, 1 },
		{ 1, 4, 4, 4, 4, 3, 3, 1, 0, 2 },	{ 7, 16, 13, 5, 16, 1, 1, 3, 0, 2 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const uint32_t *a = cases[i];
		struct trc_gen_conv_opts o = shape(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7],
						   a[8]);
		uint32_t oh, ow, n = 0, j, next = 0, per[2] = { 0, 0 }, cnt[2] = { 0, 0 };

		o.mmes = a[9];
		CHECK(trc_gen_conv_out_dims(&o, &oh, &ow) == HLSIM_OK);
		CHECK_EQ_U64(oh, (a[2] + 2 * a[8] - a[5]) / a[7] + 1);
		CHECK_EQ_U64(ow, (a[3] + 2 * a[8] - a[6]) / a[7] + 1);
		CHECK(trc_gen_conv_plan(&o, 2, plan, 4096, &n) == HLSIM_OK);
		for (j = 0; j < n; j++) {
			const struct trc_gen_gemm_launch *l = &plan[j];
			int whole = l->m0 % oh == 0 && l->m % oh == 0;

			CHECK_EQ_U64(l->m0, next); /* in order, no gap, no overlap */
			CHECK(whole || l->m0 % oh + l->m <= oh); /* a box */
			CHECK(l->mme < a[9]);
			CHECK_EQ_U64(l->n0, 0);
			CHECK_EQ_U64(l->n, a[4]);
			next += l->m;
			per[l->mme] += l->m;
			cnt[l->mme]++;
		}
		CHECK_EQ_U64(next, a[0] * oh);
		CHECK(cnt[0] <= 3 && cnt[1] <= 3);
		if (a[9] == 2 && a[0] * oh >= 2)
			CHECK(per[0] - per[1] <= 1 && per[1] <= per[0]);
	}
}

/* What the options may not be. */
static void test_options(void)
{
	struct trc_gen_conv_opts o = shape(1, 8, 8, 8, 8, 3, 3, 1, 3);
	uint32_t oh, ow, n;

	hlsim_clear_error();
	CHECK(trc_gen_conv_out_dims(&o, &oh, &ow) == HLSIM_E_USAGE); /* pad 3 >= R 3 */
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "--pad 3");
	o = shape(1, 8, 8, 8, 8, 3, 3, 0, 0);
	CHECK(trc_gen_conv_out_dims(&o, &oh, &ow) == HLSIM_E_USAGE);
	o = shape(1, 8, 2, 8, 8, 3, 3, 1, 0);
	CHECK(trc_gen_conv_out_dims(&o, &oh, &ow) == HLSIM_E_USAGE); /* 2 rows < R 3 */
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "smaller than the kernel");
	o = shape(0, 8, 8, 8, 8, 3, 3, 1, 0);
	CHECK(trc_gen_conv_out_dims(&o, &oh, &ow) == HLSIM_E_USAGE);
	o = shape(65536, 1, 256, 256, 8, 1, 1, 1, 0);
	CHECK(trc_gen_conv_out_dims(&o, &oh, &ow) == HLSIM_E_USAGE); /* M = 2^32 */
	o = shape(1, 8, 8, 8, 8, 3, 3, 1, 1);
	o.mmes = 3;
	CHECK(trc_gen_conv_plan(&o, 2, plan, 4096, &n) == HLSIM_E_USAGE);
	o = shape(1, 8, 8, 8, 8, 3, 3, 1, 1);
	o.asic = "goya";
	CHECK(trc_gen_conv(&o, "/nonexistent/x.h5", "test", NULL, NULL) != HLSIM_OK);
}

/* The FLOPs of every LAUNCH in DIR/results.h5, and their number. */
static uint64_t launch_flops(const char *dir, uint32_t *launches)
{
	char path[600];
	hlsim_results_t *r;
	struct hlsim_rec buf[256];
	uint64_t first = 0, flops = 0;
	size_t n, i;

	*launches = 0;
	snprintf(path, sizeof(path), "%s/results.h5", dir);
	if (hlsim_results_open(path, &r)) {
		fprintf(stderr, "results: %s\n", hlsim_last_error_detail());
		return 0;
	}
	while (!hlsim_results_read(r, first, buf, 256, &n) && n) {
		for (i = 0; i < n; i++) {
			if (buf[i].kind != HLSIM_REC_LAUNCH)
				continue;
			flops += buf[i].flops;
			(*launches)++;
		}
		first += n;
	}
	hlsim_results_close(r);
	return flops;
}

/* Generate @o, replay it on @config, return the FLOPs of its launches (0 on failure). */
static uint64_t replay(const char *dir, const char *name, const struct trc_gen_conv_opts *o,
		       const char *config)
{
	char trace[512], out[512], args[128], err[4096];
	uint32_t gen_launches = 0, run_launches = 0;
	uint64_t flops;
	int rc;

	snprintf(trace, sizeof(trace), "%s/%s.h5", dir, name);
	snprintf(out, sizeof(out), "%s/%s.out", dir, name);
	snprintf(args, sizeof(args), "--config %s", config);
	CHECK(trc_gen_conv(o, trace, "test_gen_conv", NULL, &gen_launches) == HLSIM_OK);
	rc = tb_run(trace, out, args, err, sizeof(err));
	CHECK_EQ_U64(rc, 0);
	if (rc) {
		fprintf(stderr, "run %s on %s: %s\n", name, config, err);
		return 0;
	}
	flops = launch_flops(out, &run_launches);
	CHECK_EQ_U64(run_launches, gen_launches);
	return flops;
}

static void test_replay(const char *dir)
{
	static const struct {
		const char *asic, *config;
	} asics[] = { { "gaudi", "gaudi_hl205" }, { "gaudi2", "gaudi2_hl225" } };
	static const uint32_t cases[][9] = {
		{ 2, 32, 20, 18, 48, 3, 3, 2, 1 },
		{ 3, 16, 15, 15, 32, 5, 3, 1, 2 },
		{ 1, 3, 32, 32, 16, 7, 7, 2, 3 },
	};
	size_t a, i;

	for (a = 0; a < 2; a++) {
		for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			const uint32_t *c = cases[i];
			struct trc_gen_conv_opts o =
				shape(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8]);
			uint32_t oh, ow;
			uint64_t f1, f2;
			char name[64];

			o.asic = asics[a].asic;
			CHECK(trc_gen_conv_out_dims(&o, &oh, &ow) == HLSIM_OK);
			snprintf(name, sizeof(name), "%s_%zu", o.asic, i);
			f1 = replay(dir, name, &o, asics[a].config);
			CHECK_EQ_U64(f1, 2ull * o.n * oh * ow * o.k * o.c * o.r * o.s);
			o.k *= 2;
			snprintf(name, sizeof(name), "%s_%zu_2k", o.asic, i);
			f2 = replay(dir, name, &o, asics[a].config);
			CHECK_EQ_U64(f2, 2 * f1);
		}
	}
	/* fp8 on Gaudi2 */
	{
		struct trc_gen_conv_opts o = shape(2, 64, 14, 14, 64, 3, 3, 1, 1);
		uint64_t f;

		o.asic = "gaudi2";
		o.dtype = MDL_MME_FP8;
		f = replay(dir, "gaudi2_fp8", &o, "gaudi2_hl225");
		CHECK_EQ_U64(f, 2ull * 2 * 14 * 14 * 64 * 64 * 9);
	}
}

static int run_main(const char *const *args, int n)
{
	char *argv[32];
	int i;

	for (i = 0; i < n && i < 32; i++)
		argv[i] = (char *)args[i];
	return trc_gen_conv_main(n, argv);
}

/* The command's exit statuses. */
static void test_command(const char *dir)
{
	static const char *const missing[] = { "conv2d", "--n", "1", "--c", "8", "-o", "x.h5" };
	static const char *const bad_pad[] = { "conv2d", "--n", "1", "--c", "8", "--h", "8",
					       "--w", "8", "--k", "8", "--r", "3", "--s", "3",
					       "--pad", "3", "-o", "/tmp/never.h5" };
	static const char *const bad_dtype[] = { "conv2d", "--dtype", "int8" };
	static const char *const help[] = { "conv2d", "--help" };
	char trace[512];
	const char *ok[] = { "conv2d", "--n", "2", "--c", "8", "--h", "10", "--w", "12",
			     "--k", "16", "--r", "3", "--s", "3", "--stride", "2", "--pad", "1",
			     "--asic", "gaudi2", "-o", trace };

	snprintf(trace, sizeof(trace), "%s/cmd.h5", dir);
	CHECK_EQ_U64(run_main(missing, 7), 2);
	CHECK_EQ_U64(run_main(bad_pad, 19), 2);
	CHECK_EQ_U64(run_main(bad_dtype, 3), 2);
	CHECK_EQ_U64(run_main(help, 2), 0);
	CHECK_EQ_U64(run_main(ok, 23), 0);
	CHECK(access(trace, R_OK) == 0);
}

int main(void)
{
	char dir[128], cmd[256];

	snprintf(dir, sizeof(dir), "/tmp/hlsim_test_gen_conv_%d", (int)getpid());
	CHECK(mkdir(dir, 0755) == 0);
	test_plan();
	test_options();
	test_replay(dir);
	test_command(dir);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	return check_summary();
}
