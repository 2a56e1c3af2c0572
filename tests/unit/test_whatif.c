/*
 * tests/unit/test_whatif.c - the what-if resource table, the scaled values and the ranking
 * arithmetic (profiler/whatif.c).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "models/common/config_int.h"
#include "profiler/prf_whatif.h"
#include "tests/unit/check.h"

/* Every row names declared, scalable parameters; names are unique; the list is complete. */
static void test_table(void)
{
	static const char *const want[] = { "dma", "tpc", "mme", "hbm", "sram",
					    "pcie", "cp", "sync", "host", "nic" };
	const struct prf_whatif_resource *r;
	size_t n, i, j, k;

	r = prf_whatif_resources(&n);
	CHECK_EQ_U64(n, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < n && i < sizeof(want) / sizeof(want[0]); i++) {
		CHECK(!strcmp(r[i].name, want[i]));
		CHECK(r[i].num_params >= 1 && r[i].num_params <= PRF_WHATIF_MAX_PARAMS);
		CHECK(r[i].label && r[i].label[0]);
		for (j = 0; j < i; j++)
			CHECK(strcmp(r[i].name, r[j].name));
		for (k = 0; k < r[i].num_params; k++) {
			const struct hlsim_param *p = mdl_config_param_find(r[i].params[k].key);

			CHECK(p != NULL);
			if (!p)
				continue;
			CHECK(p->type != HLSIM_PARAM_STR && p->type != HLSIM_PARAM_BOOL);
			/* rates are multiplied, times and cycle costs divided */
			if (p->type == HLSIM_PARAM_BANDWIDTH || p->type == HLSIM_PARAM_FREQ)
				CHECK(r[i].params[k].op == PRF_WHATIF_MUL);
			else
				CHECK(r[i].params[k].op == PRF_WHATIF_DIV);
		}
	}
	CHECK(r[0].engine_class && !strcmp(r[0].engine_class, "dma"));
	CHECK(r[3].engine_class == NULL); /* hbm applies to every run */
	/* pcie: both directions of the cards' links, the switch uplinks, the latency */
	CHECK_EQ_U64(r[5].num_params, 4);
	CHECK_STR_CONTAINS(r[5].params[2].key, "pcie.switch_uplink_bandwidth");
}

static void test_scaled_values(void)
{
	hlsim_config_t *cfg = NULL;
	char buf[PRF_WHATIF_SET_BYTES];

	CHECK(!hlsim_config_defaults(&cfg));
	if (!cfg)
		return;
	CHECK(!hlsim_config_set(cfg, "hbm.bandwidth=1TB/s", "test"));
	CHECK(!hlsim_config_set(cfg, "hbm.latency=100ns", "test"));
	CHECK(!hlsim_config_set(cfg, "cp.packet_cycles=4", "test"));
	CHECK(!prf_whatif_scaled_value(cfg, "hbm.bandwidth", PRF_WHATIF_MUL, 2.0, buf,
				       sizeof(buf)));
	CHECK(!strcmp(buf, "hbm.bandwidth=2TB/s"));
	CHECK(!prf_whatif_scaled_value(cfg, "hbm.latency", PRF_WHATIF_DIV, 2.0, buf,
				       sizeof(buf)));
	CHECK(!strcmp(buf, "hbm.latency=50ns"));
	CHECK(!prf_whatif_scaled_value(cfg, "cp.packet_cycles", PRF_WHATIF_DIV, 2.0, buf,
				       sizeof(buf)));
	CHECK(!strcmp(buf, "cp.packet_cycles=2"));
	/* integers round to nearest and do not reach 0 */
	CHECK(!prf_whatif_scaled_value(cfg, "cp.packet_cycles", PRF_WHATIF_DIV, 3.0, buf,
				       sizeof(buf)));
	CHECK(!strcmp(buf, "cp.packet_cycles=1"));
	CHECK(!prf_whatif_scaled_value(cfg, "cp.packet_cycles", PRF_WHATIF_DIV, 100.0, buf,
				       sizeof(buf)));
	CHECK(!strcmp(buf, "cp.packet_cycles=1"));
	/* the value applies back to the configuration */
	CHECK(!prf_whatif_scaled_value(cfg, "hbm.bandwidth", PRF_WHATIF_MUL, 1.5, buf,
				       sizeof(buf)));
	CHECK(!hlsim_config_set(cfg, buf, "test"));
	CHECK(fabs(hlsim_config_f64(cfg, "hbm.bandwidth") - 1.5e12) < 1.0);
	/* errors */
	CHECK(prf_whatif_scaled_value(cfg, "hbm.nonsense", PRF_WHATIF_MUL, 2.0, buf,
				      sizeof(buf)) == HLSIM_E_INVAL);
	CHECK(prf_whatif_scaled_value(cfg, "host.timing", PRF_WHATIF_MUL, 2.0, buf,
				      sizeof(buf)) == HLSIM_E_INVAL);
	CHECK(prf_whatif_scaled_value(cfg, "hbm.bandwidth", PRF_WHATIF_MUL, 0.0, buf,
				      sizeof(buf)) == HLSIM_E_INVAL);
	CHECK(prf_whatif_scaled_value(cfg, "hbm.bandwidth", PRF_WHATIF_MUL, 2.0, buf, 8) ==
	      HLSIM_E_INVAL);
	hlsim_config_free(cfg);
}

static void test_speedup(void)
{
	double s, g;

	/* 1000 -> 574.7 ps: 1.74x, saved 425.3 of the 500 possible: 85% */
	CHECK(!prf_whatif_speedup(1000000, 574713, 2.0, &s, &g));
	CHECK(fabs(s - 1000000.0 / 574713.0) < 1e-12);
	CHECK(fabs(g - (1000000.0 - 574713.0) / 500000.0) < 1e-12);
	/* the whole possible gain, none, and slower */
	CHECK(!prf_whatif_speedup(1000, 500, 2.0, &s, &g));
	CHECK(fabs(s - 2.0) < 1e-12 && fabs(g - 1.0) < 1e-12);
	CHECK(!prf_whatif_speedup(1000, 1000, 2.0, &s, &g));
	CHECK(fabs(s - 1.0) < 1e-12 && fabs(g) < 1e-12);
	CHECK(!prf_whatif_speedup(1000, 1100, 4.0, &s, &g));
	CHECK(s < 1.0 && g < 0);
	CHECK(fabs(g - (-100.0 / 750.0)) < 1e-12);
	/* bad input */
	CHECK(prf_whatif_speedup(0, 10, 2.0, &s, &g) == HLSIM_E_INVAL);
	CHECK(prf_whatif_speedup(10, 0, 2.0, &s, &g) == HLSIM_E_INVAL);
	CHECK(prf_whatif_speedup(10, 10, NAN, &s, &g) == HLSIM_E_INVAL);
}

static void test_rank(void)
{
	const struct prf_whatif_resource *r;
	struct prf_whatif_row rows[5];
	size_t n, i;

	r = prf_whatif_resources(&n);
	memset(rows, 0, sizeof(rows));
	for (i = 0; i < 5; i++) {
		rows[i].resource = &r[i];
		rows[i].ok = 1;
	}
	rows[0].speedup = 1.10; /* dma */
	rows[1].ok = 0; /* tpc failed */
	rows[2].speedup = 1.74; /* mme */
	rows[3].speedup = 1.10; /* hbm: ties with dma, stays after it */
	rows[4].speedup = 0.99; /* sram */
	prf_whatif_rank(rows, 5);
	CHECK(!strcmp(rows[0].resource->name, "mme"));
	CHECK(!strcmp(rows[1].resource->name, "dma"));
	CHECK(!strcmp(rows[2].resource->name, "hbm"));
	CHECK(!strcmp(rows[3].resource->name, "sram"));
	CHECK(!strcmp(rows[4].resource->name, "tpc"));
	CHECK(!rows[4].ok);
}

/* Read all of @path into @buf (NUL-terminated); 0 on success. */
static int slurp(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, cap - 1, f);
	buf[n] = '\0';
	fclose(f);
	return 0;
}

/*
 * A run that fails is a row with its error and does not stop the others: the "hlsim" run
 * by prf_whatif_run is a wrapper script that fails the sync case and runs the real
 * command otherwise.
 */
static void test_failed_run(void)
{
	char dir[] = "/tmp/hlsim-test-whatif-XXXXXX", path[600], cmd[1024], text[65536];
	char wrapper[512], trace[512], out[512];
	struct prf_whatif_opts o;
	size_t failed = 99;
	FILE *f;

	if (!mkdtemp(dir)) {
		CHECK(0);
		return;
	}
	snprintf(trace, sizeof(trace), "%s/t.h5", dir);
	snprintf(cmd, sizeof(cmd), "'%s' gen dma --cs 2 -o '%s' > /dev/null", HLSIM_EXE, trace);
	CHECK(system(cmd) == 0);
	snprintf(wrapper, sizeof(wrapper), "%s/fake-hlsim", dir);
	f = fopen(wrapper, "w");
	CHECK(f != NULL);
	if (!f)
		return;
	fprintf(f, "#!/bin/sh\ncase \"$*\" in *sync.msg_latency=*)\n"
		   "  echo 'hlsim: run: injected failure' >&2; exit 3;;\nesac\nexec '%s' \"$@\"\n",
		HLSIM_EXE);
	fclose(f);
	CHECK(chmod(wrapper, 0755) == 0);
	snprintf(out, sizeof(out), "%s/out", dir);
	memset(&o, 0, sizeof(o));
	o.exe = wrapper;
	o.trace = trace;
	o.factor = 2.0;
	o.jobs = 2;
	o.out_dir = out;
	o.no_plot = 1;
	CHECK(prf_whatif_run(&o, &failed) == HLSIM_OK);
	CHECK_EQ_U64(failed, 1);
	snprintf(path, sizeof(path), "%s/whatif.txt", out);
	CHECK(!slurp(path, text, sizeof(text)));
	CHECK_STR_CONTAINS(text, "FAILED: exit status 3: hlsim: run: injected failure");
	CHECK_STR_CONTAINS(text, "  hbm ");
	CHECK_STR_CONTAINS(text, "  host ");
	snprintf(path, sizeof(path), "%s/whatif.json", out);
	CHECK(!slurp(path, text, sizeof(text)));
	CHECK_STR_CONTAINS(text, "\"status\": \"failed\"");
	CHECK_STR_CONTAINS(text, "\"error\": \"exit status 3: hlsim: run: injected failure\"");
	/* the failed row is ranked last */
	CHECK(strstr(text, "\"resource\": \"sync\"") > strstr(text, "\"resource\": \"host\""));
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CHECK(system(cmd) == 0);
}

int main(void)
{
	test_table();
	test_scaled_values();
	test_speedup();
	test_rank();
	test_failed_run();
	return check_summary();
}
