/*
 * tests/unit/test_sweep.c - sweep planning (profiler/sweep.c): --vary value lists and
 * ranges expanded into canonical values, the errors for bad keys, values, ranges and
 * grids, the order of points, and the spec text with its read-back and comparison.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hlsim/error.h"
#include "profiler/prf_sweep.h"
#include "tests/unit/check.h"

/* Parse @text; check it gives exactly the @n canonical values in @want. */
static void axis_is(const char *text, const char *const *want, size_t n)
{
	struct prf_sweep_axis a;
	hlsim_err_t rc = prf_sweep_axis_parse(text, &a);
	size_t i;

	CHECK(rc == HLSIM_OK);
	if (rc) {
		fprintf(stderr, "  %s: %s\n", text, hlsim_last_error_detail());
		return;
	}
	CHECK_EQ_U64(a.num_values, n);
	for (i = 0; i < n && i < a.num_values; i++) {
		if (strcmp(a.values[i], want[i])) {
			fprintf(stderr, "  %s: value %zu is '%s', expected '%s'\n", text, i,
				a.values[i], want[i]);
			CHECK(0);
		}
	}
	prf_sweep_axis_free(&a);
}

/* Parse @text; check it fails with HLSIM_E_USAGE and a detail containing @needle. */
static void axis_fails(const char *text, const char *needle)
{
	struct prf_sweep_axis a;
	hlsim_err_t rc = prf_sweep_axis_parse(text, &a);

	CHECK(rc == HLSIM_E_USAGE);
	if (rc == HLSIM_OK)
		prf_sweep_axis_free(&a);
	else
		CHECK_STR_CONTAINS(hlsim_last_error_detail(), needle);
}

static void test_lists(void)
{
	static const char *const bw[] = { "1TB/s", "2TB/s", "12.5GB/s" };
	static const char *const u[] = { "8", "1", "255" };
	static const char *const str[] = { "gaudi", "gaudi2" };

	axis_is("hbm.bandwidth=1TB/s,2000GB/s, 12.5 GB/s", bw, 3);
	axis_is("cp.packet_cycles=8,1,0xFF", u, 3);
	axis_is("asic.name=gaudi,gaudi2", str, 2);
}

static void test_ranges(void)
{
	static const char *const bw[] = { "1TB/s", "1.5TB/s", "2TB/s", "2.5TB/s", "3TB/s" };
	static const char *const u[] = { "2", "6", "10" };
	static const char *const t[] = { "100ns", "400ns", "700ns", "1us" };
	static const char *const f[] = { "0.1", "0.2", "0.3" };
	static const char *const one[] = { "5" };
	static const char *const partial[] = { "2", "5" };

	axis_is("hbm.bandwidth=1TB/s:3TB/s:0.5TB/s", bw, 5);
	axis_is("cp.packet_cycles=2:10:4", u, 3);
	axis_is("cp.packet_cycles=2:7:3", partial, 2); /* STOP not reached: not included */
	axis_is("cp.packet_cycles=5:5:1", one, 1);
	axis_is("dma.setup_latency=100ns:1us:300ns", t, 4);
	axis_is("mme.fp32_rate=0.1:0.3:0.1", f, 3); /* 0.30000000000000004 snaps to 0.3 */
}

static void test_axis_errors(void)
{
	axis_fails("hbm.bandwith=1TB/s", "did you mean 'hbm.bandwidth'");
	axis_fails("hbm.bandwith=1TB/s", "unknown parameter 'hbm.bandwith'");
	axis_fails("hbm.bandwidth=1TB/s,fast", "'fast'");
	axis_fails("hbm.bandwidth=1TB/s,,2TB/s", "empty");
	axis_fails("hbm.bandwidth=", "empty");
	axis_fails("hbm.bandwidth", "expected KEY=V1,V2");
	axis_fails("=1,2", "expected KEY=V1,V2");
	axis_fails("hbm.bandwidth=1TB/s,1000GB/s", "given twice");
	axis_fails("asic.name=a:b:c", "ranges need a numeric parameter");
	axis_fails("hbm.bandwidth=1TB/s:3TB/s", "three parts");
	axis_fails("hbm.bandwidth=1TB/s:3TB/s:0TB/s", "STEP > 0");
	axis_fails("hbm.bandwidth=3TB/s:1TB/s:1TB/s", "START <= STOP");
	axis_fails("hbm.bandwidth=1TB/s:3TB/s:xyz", "'xyz'");
	axis_fails("cp.packet_cycles=0:1000000:1", "more than 100000 values");
	axis_fails("hbm.bandwidth=1B/s:1TB/s:1B/s", "more than 100000 values");
}

static void test_grid(void)
{
	struct prf_sweep_spec s, back;
	char *text = NULL, *text2 = NULL;
	hlsim_err_t rc;

	CHECK(prf_sweep_spec_init(&s, "t.h5", NULL) == HLSIM_OK);
	CHECK(prf_sweep_spec_finish(&s) == HLSIM_E_USAGE);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "nothing to vary");
	CHECK(prf_sweep_spec_add_set(&s, "pcie.h2d_bandwidth=1TB/s") == HLSIM_OK);
	CHECK(prf_sweep_spec_add_vary(&s, "hbm.bandwidth=1TB/s,2TB/s") == HLSIM_OK);
	CHECK(prf_sweep_spec_add_vary(&s, "dma.engine_bandwidth=50GB/s:150GB/s:50GB/s") ==
	      HLSIM_OK);
	CHECK(prf_sweep_spec_add_vary(&s, "hbm.bandwidth=3TB/s") == HLSIM_E_USAGE);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "varied twice");
	CHECK(prf_sweep_spec_add_vary(&s, "pcie.h2d_bandwidth=3TB/s") == HLSIM_E_USAGE);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "also given with --set");
	CHECK(prf_sweep_spec_add_set(&s, "hbm.bandwidth=3TB/s") == HLSIM_E_USAGE);
	CHECK(prf_sweep_spec_finish(&s) == HLSIM_OK);
	CHECK_EQ_U64(s.num_points, 6);
	/* first axis outermost */
	CHECK(!strcmp(prf_sweep_point_value(&s, 0, 0), "1TB/s"));
	CHECK(!strcmp(prf_sweep_point_value(&s, 0, 1), "50GB/s"));
	CHECK(!strcmp(prf_sweep_point_value(&s, 1, 0), "1TB/s"));
	CHECK(!strcmp(prf_sweep_point_value(&s, 1, 1), "100GB/s"));
	CHECK(!strcmp(prf_sweep_point_value(&s, 3, 0), "2TB/s"));
	CHECK(!strcmp(prf_sweep_point_value(&s, 3, 1), "50GB/s"));
	CHECK(!strcmp(prf_sweep_point_value(&s, 5, 1), "150GB/s"));
	CHECK(prf_sweep_spec_check(&s) == HLSIM_OK);

	rc = prf_sweep_spec_text(&s, &text);
	CHECK(rc == HLSIM_OK);
	CHECK_STR_CONTAINS(text, "vary dma.engine_bandwidth=50GB/s,100GB/s,150GB/s\n");
	CHECK_STR_CONTAINS(text, "set pcie.h2d_bandwidth=1TB/s\n");
	CHECK_STR_CONTAINS(text, "points 6\n");
	CHECK(prf_sweep_spec_parse(text, "x/sweep.spec", &back) == HLSIM_OK);
	CHECK(prf_sweep_spec_text(&back, &text2) == HLSIM_OK);
	CHECK(text2 && !strcmp(text, text2));
	CHECK(prf_sweep_spec_diff("x/sweep.spec", text, text2) == HLSIM_OK);
	prf_sweep_spec_free(&back);
	free(text2);
	text2 = NULL;

	prf_sweep_spec_free(&s);
	CHECK(prf_sweep_spec_init(&s, "t.h5", NULL) == HLSIM_OK);
	CHECK(prf_sweep_spec_add_set(&s, "pcie.h2d_bandwidth=1TB/s") == HLSIM_OK);
	CHECK(prf_sweep_spec_add_vary(&s, "hbm.bandwidth=1TB/s,3TB/s") == HLSIM_OK);
	CHECK(prf_sweep_spec_finish(&s) == HLSIM_OK);
	CHECK(prf_sweep_spec_text(&s, &text2) == HLSIM_OK);
	CHECK(prf_sweep_spec_diff("x/sweep.spec", text, text2) == HLSIM_E_USAGE);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(),
			   "line 4 is 'vary hbm.bandwidth=1TB/s,2TB/s' there");
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "'vary hbm.bandwidth=1TB/s,3TB/s' here");
	free(text2);
	free(text);
	prf_sweep_spec_free(&s);

	/* a grid over the limit */
	CHECK(prf_sweep_spec_init(&s, "t.h5", NULL) == HLSIM_OK);
	CHECK(prf_sweep_spec_add_vary(&s, "cp.packet_cycles=1:1000:1") == HLSIM_OK);
	CHECK(prf_sweep_spec_add_vary(&s, "hbm.bandwidth=1GB/s:101GB/s:1GB/s") == HLSIM_OK);
	CHECK(prf_sweep_spec_finish(&s) == HLSIM_E_USAGE);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "more than 100000 points");
	prf_sweep_spec_free(&s);

	/* per-key rules are checked before anything runs */
	CHECK(prf_sweep_spec_init(&s, "t.h5", NULL) == HLSIM_OK);
	CHECK(prf_sweep_spec_add_vary(&s, "asic.name=gaudi,foo") == HLSIM_OK);
	CHECK(prf_sweep_spec_finish(&s) == HLSIM_OK);
	CHECK(prf_sweep_spec_check(&s) != HLSIM_OK);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "'foo'");
	prf_sweep_spec_free(&s);

	/* a malformed spec file */
	CHECK(prf_sweep_spec_parse("hlsim-sweep-spec 1\ntrace t\nvary x.y=1\npoints 1\n", "p",
				   &back) == HLSIM_E_TRACE_FORMAT);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "p:3");
	CHECK(prf_sweep_spec_parse("nope\n", "p", &back) == HLSIM_E_TRACE_FORMAT);
	CHECK(prf_sweep_spec_parse("hlsim-sweep-spec 1\ntrace t\nvary hbm.bandwidth=1TB/s\n"
				   "points 2\n",
				   "p", &back) == HLSIM_E_TRACE_FORMAT);
}

int main(void)
{
	test_lists();
	test_ranges();
	test_axis_errors();
	test_grid();
	return check_summary();
}
