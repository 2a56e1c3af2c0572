/*
 * tests/unit/test_gaudi2_config.c - the Gaudi2 (HL-225) preset models/configs/
 * gaudi2_hl225.ini: it loads (by path and by name), sets every declared parameter itself
 * (no key falls back to an HL-205 default) with a source comment above each key, differs
 * from the HL-205 defaults where Gaudi2 differs, agrees with the Gaudi2 ASIC model's
 * properties, and reproduces the vendor peak figures it cites.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hlsim/config.h"
#include "models/common/asic.h"
#include "models/common/config_int.h"
#include "tests/unit/check.h"

#define PRESET_DIR HLSIM_SOURCE_DIR "/models/configs"
#define PRESET_PATH PRESET_DIR "/gaudi2_hl225.ini"

/* Every declared key is set on a line of the file, with a '#' comment line right above. */
static void test_file_lines(void)
{
	const struct hlsim_param *p;
	char line[2048], section[64] = "", prev[2048] = "";
	FILE *f = fopen(PRESET_PATH, "r");
	int found[128] = { 0 }, nparams = 0, lineno = 0;

	CHECK(f != NULL);
	if (!f)
		return;
	for (p = hlsim_config_params(); p->key; p++)
		nparams++;
	CHECK(nparams <= 128);
	while (fgets(line, sizeof(line), f)) {
		char key[160], name[96];
		const char *eq;
		int i;

		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '[') {
			snprintf(section, sizeof(section), "%.*s", (int)strcspn(line + 1, "]"),
				 line + 1);
		} else if ((eq = strchr(line, '=')) && line[0] != '#') {
			snprintf(name, sizeof(name), "%.*s", (int)strcspn(line, " ="), line);
			snprintf(key, sizeof(key), "%s.%s", section, name);
			for (i = 0, p = hlsim_config_params(); p->key; p++, i++) {
				if (strcmp(p->key, key))
					continue;
				found[i]++;
				break;
			}
			CHECK(p->key != NULL); /* no unknown key (the loader checks this too) */
			CHECK(prev[0] == '#');
			if (prev[0] != '#')
				fprintf(stderr, "line %d: %s has no comment above it\n",
					lineno, key);
		}
		snprintf(prev, sizeof(prev), "%s", line);
	}
	fclose(f);
	{
		int i;

		for (i = 0, p = hlsim_config_params(); p->key; p++, i++) {
			CHECK_EQ_U64(found[i], 1);
			if (found[i] != 1)
				fprintf(stderr, "%s: set %d times in %s\n", p->key, found[i],
					PRESET_PATH);
		}
	}
}

static int feq(double a, double b)
{
	return fabs(a - b) <= 1e-9 * fabs(b);
}

static void test_values(void)
{
	const struct mdl_asic_funcs *f = NULL;
	const struct hlsim_param *p;
	hlsim_config_t *c = NULL, *d = NULL, *byname = NULL;
	double tpc_peak, mme_peak;

	CHECK_EQ_U64(hlsim_config_load(PRESET_PATH, &c), HLSIM_OK);
	if (!c) {
		fprintf(stderr, "%s\n", hlsim_last_error_detail());
		return;
	}
	CHECK_EQ_U64(hlsim_config_defaults(&d), HLSIM_OK);
	CHECK(setenv("HLSIM_CONFIG_DIR", PRESET_DIR, 1) == 0);
	CHECK_EQ_U64(hlsim_config_load("gaudi2_hl225", &byname), HLSIM_OK);
	CHECK(byname != NULL);

	/* Every value comes from the preset, none from a default. */
	for (p = hlsim_config_params(); p->key; p++)
		CHECK_STR_CONTAINS(mdl_config_origin(c, p->key), "preset");

	/* Where Gaudi2 differs from the HL-205 defaults. */
	CHECK(!strcmp(hlsim_config_str(c, "asic.name"), "gaudi2"));
	CHECK(strcmp(hlsim_config_str(d, "asic.name"), "gaudi2") != 0);
	CHECK(feq(hlsim_config_f64(c, "asic.clock"), 1.8e9));
	CHECK(feq(hlsim_config_f64(c, "tpc.clock"), 1.8e9));
	CHECK(feq(hlsim_config_f64(c, "mme.clock"), 1.65e9));
	CHECK(!feq(hlsim_config_f64(d, "tpc.clock"), 1.8e9));
	CHECK(!feq(hlsim_config_f64(d, "mme.clock"), 1.65e9));
	CHECK(feq(hlsim_config_f64(c, "hbm.bandwidth"), 2.45e12));
	CHECK(!feq(hlsim_config_f64(d, "hbm.bandwidth"), 2.45e12));
	CHECK_EQ_U64(hlsim_config_u64(c, "hbm.size"), 96ull << 30);
	CHECK(hlsim_config_u64(d, "hbm.size") != 96ull << 30);
	CHECK_EQ_U64(hlsim_config_u64(c, "sram.size"), 48ull << 20);
	CHECK(hlsim_config_u64(d, "sram.size") != 48ull << 20);
	CHECK(feq(hlsim_config_f64(c, "sram.bandwidth"), 6.4e12));
	CHECK(feq(hlsim_config_f64(c, "dma.engine_bandwidth"), 300e9));
	CHECK_EQ_U64(hlsim_config_u64(c, "mme.array_rows"), 256);
	CHECK_EQ_U64(hlsim_config_u64(c, "mme.array_cols"), 256);
	CHECK(hlsim_config_u64(d, "mme.array_rows") != 256);
	CHECK_EQ_U64(hlsim_config_u64(c, "mme.reshape"), 1);
	CHECK(feq(hlsim_config_f64(c, "mme.fp8_rate"), 2));
	CHECK_EQ_U64(hlsim_config_u64(c, "mme.fill_drain_cycles"), 512);
	CHECK_EQ_U64(hlsim_config_u64(c, "mme.tile_overhead_cycles"), 128);
	CHECK_EQ_U64(hlsim_config_u64(c, "mme.local_buffer"), 8ull << 20);
	/* Where it does not (same link, same inference): PCIe Gen4 x16 as HL-205. */
	CHECK(feq(hlsim_config_f64(c, "pcie.h2d_bandwidth"), 32e9));
	CHECK(feq(hlsim_config_f64(c, "pcie.d2h_bandwidth"), 32e9));
	CHECK(feq(hlsim_config_f64(c, "pcie.h2d_bandwidth"),
		  hlsim_config_f64(d, "pcie.h2d_bandwidth")));

	/* The preset and the ASIC model agree. */
	CHECK_EQ_U64(mdl_asic_by_name(hlsim_config_str(c, "asic.name"), &f), HLSIM_OK);
	CHECK(f == gaudi2_get_asic_funcs());
	if (f) {
		CHECK_EQ_U64(hlsim_config_u64(c, "hbm.size"), f->props->dram_size_bytes);
		CHECK_EQ_U64(hlsim_config_u64(c, "sram.size"), f->props->sram_size_bytes);
	}

	/* The vendor peaks the comments cite: 11 TFLOPS TPC (24 TPCs), 432 TFLOPS MME. */
	tpc_peak = 24.0 * (double)hlsim_config_u64(c, "tpc.vector_bytes") *
		   hlsim_config_f64(c, "tpc.clock");
	CHECK(tpc_peak > 11.0e12 && tpc_peak < 11.1e12);
	mme_peak = 2.0 * (double)hlsim_config_u64(c, "mme.array_rows") *
		   (double)hlsim_config_u64(c, "mme.array_cols") * 2.0 *
		   hlsim_config_f64(c, "mme.clock");
	CHECK(fabs(mme_peak - 432e12) < 0.005 * 432e12);

	/* By name, the same values. */
	if (byname)
		for (p = hlsim_config_params(); p->key; p++)
			CHECK_STR_CONTAINS(mdl_config_origin(byname, p->key), "gaudi2_hl225.ini");
	hlsim_config_free(byname);
	hlsim_config_free(d);
	hlsim_config_free(c);
}

int main(void)
{
	test_file_lines();
	test_values();
	return check_summary();
}
