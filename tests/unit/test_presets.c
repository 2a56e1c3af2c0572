/*
 * tests/unit/test_presets.c - every shipped preset (every .ini in models/configs) loads, and the
 * figures the presets are built to reproduce come out of their parameters:
 * - HL-225 and the Gaudi3 what-if: matrix peak (logical MMEs x rows x cols x 2 x clock)
 *   432 TFLOPS and 1677 TFLOPS (1835 at 1.75 GHz scaled to the observed 1.6 GHz), TPC
 *   vector peak (24 TPC queues x 256 FLOP x clock) 11.06 and 28.7 TFLOPS;
 * - scale-up bandwidth per card and direction (7 peers x ports per peer x line rate):
 *   HLS-1 87.5 GB/s, HLS-Gaudi2 262.5 GB/s, HLS-Gaudi3 525 GB/s; HLS-1H all 40 ports of
 *   its 4 cards external; the wiring of each preset is valid (models/common/net.h).
 */
#include <dirent.h>
#include <string.h>

#include "hlsim/config.h"
#include "models/common/net.h"
#include "tests/unit/check.h"

#define PRESET_DIR HLSIM_SOURCE_DIR "/models/configs"

static hlsim_config_t *load(const char *name)
{
	hlsim_config_t *c = NULL;
	char path[512];

	snprintf(path, sizeof(path), PRESET_DIR "/%s.ini", name);
	CHECK_EQ_U64(hlsim_config_load(path, &c), HLSIM_OK);
	if (!c)
		fprintf(stderr, "%s: %s\n", name, hlsim_last_error_detail());
	return c;
}

static int near(double a, double b, double tol)
{
	if (a < b * (1 - tol) || a > b * (1 + tol)) {
		fprintf(stderr, "  got %.6g, expected %.6g\n", a, b);
		return 0;
	}
	return 1;
}

static double scaleup_bytes_per_s(const hlsim_config_t *c)
{
	return (double)(hlsim_config_u64(c, "box.cards") - 1) *
	       (double)hlsim_config_u64(c, "box.ports_per_peer") *
	       hlsim_config_f64(c, "nic.port_bandwidth");
}

static void every_preset_loads(void)
{
	DIR *d = opendir(PRESET_DIR);
	struct dirent *de;
	int n = 0;

	CHECK(d != NULL);
	while (d && (de = readdir(d))) {
		size_t len = strlen(de->d_name);
		char name[256];
		hlsim_config_t *c;
		struct mdl_net_topo t;

		if (len <= 4 || strcmp(de->d_name + len - 4, ".ini"))
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(len - 4), de->d_name);
		c = load(name);
		if (!c)
			continue;
		CHECK_EQ_U64(mdl_net_topo_from_config(c, 1024, &t), HLSIM_OK);
		hlsim_config_free(c);
		n++;
	}
	if (d)
		closedir(d);
	CHECK(n >= 4);
}

static void figures(void)
{
	hlsim_config_t *g1 = load("gaudi_hl205"), *g2 = load("gaudi2_hl225");
	hlsim_config_t *g3 = load("gaudi3_hl325l"), *h1h = load("hls1h");

	if (!g1 || !g2 || !g3 || !h1h)
		goto out;
	/* matrix peaks: 2 logical MME queues on Gaudi2's command model */
	CHECK(near(2 * 256.0 * 256 * 2 * hlsim_config_f64(g2, "mme.clock") *
			   (double)hlsim_config_u64(g2, "mme.array_rows") / 256 *
			   (double)hlsim_config_u64(g2, "mme.array_cols") / 256,
		   432e12, 0.005));
	CHECK(near(2.0 * (double)hlsim_config_u64(g3, "mme.array_rows") *
			   (double)hlsim_config_u64(g3, "mme.array_cols") * 2 *
			   hlsim_config_f64(g3, "mme.clock"),
		   1835e12 * 1.6 / 1.75, 0.005));
	/* TPC vector peaks on 24 TPC queues */
	CHECK(near(24 * 256 * hlsim_config_f64(g2, "tpc.clock"), 11.06e12, 0.005));
	CHECK(near(24 * 256 * hlsim_config_f64(g3, "tpc.clock"), 28.7e12, 0.005));
	CHECK(near(hlsim_config_f64(g3, "hbm.bandwidth"), 3.67e12, 1e-9));
	/* scale-up per card and direction */
	CHECK(near(scaleup_bytes_per_s(g1), 87.5e9, 1e-9));
	CHECK(near(scaleup_bytes_per_s(g2), 262.5e9, 1e-9));
	CHECK(near(scaleup_bytes_per_s(g3), 525e9, 1e-9));
	CHECK_EQ_U64(hlsim_config_u64(g2, "box.scaleout_ports"), 3);
	/* HLS-1H: 4 cards, 10 external ports each, HL-205 otherwise */
	CHECK_EQ_U64(hlsim_config_u64(h1h, "box.cards") * hlsim_config_u64(h1h, "box.scaleout_ports"),
		     40);
	CHECK_EQ_U64(hlsim_config_u64(h1h, "box.ports_per_peer"), 0);
	CHECK(!strcmp(hlsim_config_str(h1h, "asic.name"), "gaudi"));
out:
	hlsim_config_free(g1);
	hlsim_config_free(g2);
	hlsim_config_free(g3);
	hlsim_config_free(h1h);
}

int main(void)
{
	every_preset_loads();
	figures();
	return check_summary();
}
