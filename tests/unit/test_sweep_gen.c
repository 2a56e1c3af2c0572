/*
 * tests/unit/test_sweep_gen.c - --gen sweeps and sweep plots (profiler/sweep.c,
 * profiler/sweep_plot.c): gen.OPTION axes and their errors, the --gen command's words
 * and spec text round trip, metric names, axis values placed as numbers or categories,
 * the Pareto front, and sweep.csv read back against its spec.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hlsim/error.h"
#include "profiler/prf_sweep.h"
#include "tests/unit/check.h"

static void test_gen_axes(void)
{
	struct prf_sweep_axis a;

	CHECK(prf_sweep_axis_parse("gen.tpcs=1, 2,4 ,8", &a) == HLSIM_OK);
	CHECK(!strcmp(a.key, "gen.tpcs"));
	CHECK(a.type == HLSIM_PARAM_STR);
	CHECK_EQ_U64(a.num_values, 4);
	if (a.num_values == 4) {
		CHECK(!strcmp(a.values[0], "1"));
		CHECK(!strcmp(a.values[1], "2"));
		CHECK(!strcmp(a.values[3], "8"));
	}
	prf_sweep_axis_free(&a);
	CHECK(prf_sweep_axis_parse("gen.flops-per-element=16M", &a) == HLSIM_OK);
	prf_sweep_axis_free(&a);

	CHECK(prf_sweep_axis_parse("gen.TPCS=1", &a) == HLSIM_E_USAGE);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "gen.OPTION");
	CHECK(prf_sweep_axis_parse("gen.=1", &a) == HLSIM_E_USAGE);
	CHECK(prf_sweep_axis_parse("gen.-x=1", &a) == HLSIM_E_USAGE);
	CHECK(prf_sweep_axis_parse("gen.tpcs=1,,2", &a) == HLSIM_E_USAGE);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "empty value");
	CHECK(prf_sweep_axis_parse("gen.tpcs=1,1", &a) == HLSIM_E_USAGE);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "given twice");
	CHECK(prf_sweep_axis_parse("gen.dtype=bf 16", &a) == HLSIM_E_USAGE);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "blank");
}

static void test_gen_spec(void)
{
	struct prf_sweep_spec s, back;
	char buf[256], *w[8], *text = NULL;
	int n;

	n = prf_sweep_gen_words("  elementwise\t--elements 1M  ", buf, sizeof(buf), w, 8);
	CHECK(n == 3);
	if (n == 3) {
		CHECK(!strcmp(w[0], "elementwise"));
		CHECK(!strcmp(w[2], "1M"));
	}
	CHECK(prf_sweep_gen_words("a b c", buf, sizeof(buf), w, 2) == -1);

	CHECK(prf_sweep_spec_init_gen(&s, "", NULL) == HLSIM_E_USAGE);
	CHECK(prf_sweep_spec_init_gen(&s, "--tpcs 2", NULL) == HLSIM_E_USAGE);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "KIND first");
	CHECK(prf_sweep_spec_init_gen(&s, "dma -o x.h5", NULL) == HLSIM_E_USAGE);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "no -o");

	/* a gen.* axis needs --gen */
	CHECK(prf_sweep_spec_init(&s, "t.h5", NULL) == HLSIM_OK);
	CHECK(prf_sweep_spec_add_vary(&s, "gen.tpcs=1,2") == HLSIM_E_USAGE);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "needs --gen");
	prf_sweep_spec_free(&s);

	CHECK(prf_sweep_spec_init_gen(&s, " elementwise  --elements 1M --dtype bf16 ",
				      "gaudi_hl205") == HLSIM_OK);
	CHECK(!strcmp(s.gen, "elementwise --elements 1M --dtype bf16"));
	CHECK(s.trace == NULL);
	CHECK(prf_sweep_spec_add_vary(&s, "gen.elements=2M") == HLSIM_E_USAGE);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "already gives --elements");
	CHECK(prf_sweep_spec_add_vary(&s, "gen.tpcs=1,2,4") == HLSIM_OK);
	CHECK(prf_sweep_spec_add_vary(&s, "hbm.bandwidth=0.5TB/s,2TB/s") == HLSIM_OK);
	CHECK(prf_sweep_spec_finish(&s) == HLSIM_OK);
	CHECK_EQ_U64(s.num_points, 6);
	/* gen.* values are not configuration keys: the check skips them */
	CHECK(prf_sweep_spec_check(&s) == HLSIM_OK);
	CHECK(!strcmp(prf_sweep_point_value(&s, 3, 0), "2"));
	CHECK(!strcmp(prf_sweep_point_value(&s, 3, 1), "2TB/s"));
	CHECK(prf_sweep_spec_text(&s, &text) == HLSIM_OK);
	if (text) {
		CHECK(!strcmp(text, "hlsim-sweep-spec 1\n"
				    "gen elementwise --elements 1M --dtype bf16\n"
				    "config gaudi_hl205\n"
				    "vary gen.tpcs=1,2,4\n"
				    "vary hbm.bandwidth=500GB/s,2TB/s\n"
				    "points 6\n"));
		CHECK(prf_sweep_spec_parse(text, "sweep.spec", &back) == HLSIM_OK);
		CHECK(back.gen && !strcmp(back.gen, s.gen));
		CHECK(back.trace == NULL);
		CHECK_EQ_U64(back.num_points, 6);
		prf_sweep_spec_free(&back);
	}
	free(text);
	prf_sweep_spec_free(&s);
}

static void test_metrics(void)
{
	struct prf_sweep_plot_row r = { 1, 12.5, 0.25, 2.0 * 1024 * 1024, { 0.5, NAN, 0.1 } };
	enum prf_sweep_metric m;

	CHECK(prf_sweep_metric_parse("tflops", &m) == HLSIM_OK && m == PRF_SWEEP_METRIC_TFLOPS);
	CHECK(prf_sweep_metric_parse("mme_busy", &m) == HLSIM_OK &&
	      m == PRF_SWEEP_METRIC_MME_BUSY);
	CHECK(prf_sweep_metric_parse("speed", &m) == HLSIM_E_USAGE);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "--metric speed");
	CHECK(prf_sweep_metric_value(&r, PRF_SWEEP_METRIC_TIME) == 12.5);
	CHECK(prf_sweep_metric_value(&r, PRF_SWEEP_METRIC_BYTES) == 2.0);
	CHECK(prf_sweep_metric_value(&r, PRF_SWEEP_METRIC_DMA_BUSY) == 50.0);
	CHECK(isnan(prf_sweep_metric_value(&r, PRF_SWEEP_METRIC_TPC_BUSY)));
	r.ok = 0;
	CHECK(isnan(prf_sweep_metric_value(&r, PRF_SWEEP_METRIC_TIME)));
}

/* Place the values of axis @text; check numeric-ness, unit and the first two x. */
static void placed(const char *text, int numeric, const char *unit, double x0, double x1)
{
	struct prf_sweep_axis a;
	struct prf_sweep_plot_axis p;

	CHECK(prf_sweep_axis_parse(text, &a) == HLSIM_OK);
	CHECK(prf_sweep_plot_axis_init(&a, &p) == HLSIM_OK);
	if (p.numeric != numeric || strcmp(p.unit, unit) || p.x[0] != x0 || p.x[1] != x1) {
		fprintf(stderr, "  %s: numeric %d unit '%s' x %.17g %.17g\n", text, p.numeric,
			p.unit, p.x[0], p.x[1]);
		CHECK(0);
	}
	prf_sweep_plot_axis_free(&p);
	prf_sweep_axis_free(&a);
}

static void test_axis_placement(void)
{
	/* canonical 500GB/s and 2TB/s: both in TB/s, the unit of the largest */
	placed("hbm.bandwidth=0.5TB/s,2TB/s,4TB/s", 1, "TB/s", 0.5, 2.0);
	placed("hbm.bandwidth=100GB/s,200GB/s", 1, "GB/s", 100.0, 200.0);
	placed("gen.tpcs=1,2,4", 1, "", 1.0, 2.0);
	placed("gen.elements=16M,64M", 1, "M", 16.0, 64.0);
	placed("gen.dtype=bf16,fp32", 0, "", 0.0, 1.0);
	placed("gen.elements=16M,1G", 0, "", 0.0, 1.0);
	placed("asic.name=gaudi,gaudi2", 0, "", 0.0, 1.0);
}

static void test_pareto(void)
{
	const double cost[6] = { 1, 1, 2, 2, 4, 8 };
	const double t_us[6] = { 10, 12, 6, 6, 7, 3 };
	const int valid[6] = { 1, 1, 1, 1, 1, 0 };
	int on[6];

	/* (1,10) and both (2,6) are optimal; (1,12) and (4,7) are dominated; 5 failed */
	CHECK_EQ_U64(prf_sweep_pareto(cost, t_us, valid, 6, on), 3);
	CHECK(on[0] && !on[1] && on[2] && on[3] && !on[4] && !on[5]);
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void test_read_csv(void)
{
	static const char *const head =
		"point,gen.tpcs,hbm.bandwidth,status,error,simulated_ps,dma_busy,tpc_busy,"
		"mme_busy,bytes,tflops,bottleneck,hbm_bytes_per_s,sram_bytes_per_s,"
		"pcie_bytes_per_s\n";
	struct prf_sweep_spec s;
	struct prf_sweep_plot_row rows[4];
	char path[64], text[1024];

	snprintf(path, sizeof(path), "test_sweep_gen_%d.csv", (int)getpid());
	CHECK(prf_sweep_spec_init_gen(&s, "elementwise", NULL) == HLSIM_OK);
	CHECK(prf_sweep_spec_add_vary(&s, "gen.tpcs=1,2") == HLSIM_OK);
	CHECK(prf_sweep_spec_add_vary(&s, "hbm.bandwidth=1TB/s,2TB/s") == HLSIM_OK);
	CHECK(prf_sweep_spec_finish(&s) == HLSIM_OK);

	snprintf(text, sizeof(text), "%s%s", head,
		 "0,1,1TB/s,ok,\"\",2000000,0.5,0.25,,1048576,0.125,DMA0,524288000,0,0\n"
		 "2,2,1TB/s,failed,\"exit status 2: gen failed (exit 2): \"\"x\"\", y\""
		 ",,,,,,,,,,\n"
		 "3,2,2TB/s,ok,\"\",1000000,0.500000,0.5,0.1,1048576,0.250000,TPC0,1,2,3\n");
	write_text(path, text);
	CHECK(prf_sweep_plot_read_csv(&s, path, rows) == HLSIM_OK);
	CHECK(rows[0].ok && rows[0].time_us == 2.0 && rows[0].tflops == 0.125);
	CHECK(isnan(rows[0].busy[2]) && rows[0].busy[1] == 0.25);
	CHECK(!rows[1].ok && !rows[2].ok);
	CHECK(rows[3].ok && rows[3].time_us == 1.0 && rows[3].busy[2] == 0.1);

	/* a row whose values are not its point's */
	snprintf(text, sizeof(text), "%s%s", head,
		 "1,2,1TB/s,ok,\"\",2000000,0.5,0.25,,1048576,0.125,DMA0,0,0,0\n");
	write_text(path, text);
	CHECK(prf_sweep_plot_read_csv(&s, path, rows) == HLSIM_E_TRACE_FORMAT);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), ":2: point 1 has gen.tpcs=2");
	/* the table of another sweep */
	write_text(path, "point,hbm.bandwidth,status\n");
	CHECK(prf_sweep_plot_read_csv(&s, path, rows) == HLSIM_E_TRACE_FORMAT);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), ":1:");
	/* a bad number */
	snprintf(text, sizeof(text), "%s%s", head,
		 "0,1,1TB/s,ok,\"\",fast,0.5,0.25,,1048576,0.125,DMA0,0,0,0\n");
	write_text(path, text);
	CHECK(prf_sweep_plot_read_csv(&s, path, rows) == HLSIM_E_TRACE_FORMAT);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "simulated_ps 'fast'");
	unlink(path);
	CHECK(prf_sweep_plot_read_csv(&s, path, rows) == HLSIM_E_IO);
	prf_sweep_spec_free(&s);
}

int main(void)
{
	test_gen_axes();
	test_gen_spec();
	test_metrics();
	test_axis_placement();
	test_pareto();
	test_read_csv();
	return check_summary();
}
