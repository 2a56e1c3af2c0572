/*
 * sim/platform.c - the SimGrid platform of one Gaudi chip, written as XML from the
 * configuration (SimGrid's C API cannot create hosts or links; it loads a file).
 *
 * Model (GAUDI-FACTS.md §3, CALIBRATION.md):
 * - One shared link per memory: "hbm" and "sram" carry every byte read or written
 *   there (their bandwidth is the total, reads plus writes); "pcie.h2d" and
 *   "pcie.d2h" are the two directions of the host link, at raw rate x efficiency.
 * - One link per DMA engine, "<engine>.port", at the engine's highest rate; its
 *   latency is the engine's setup latency, so a transfer of N bytes alone takes
 *   setup + memory latencies + N / min(bandwidths).
 * - A transfer from memory S to memory D by engine E is a flow from host E to the
 *   endpoint host "path.S.D" whose route is [E.port, S's link, D's link]. A copy
 *   within one memory lists that link twice: it reads and writes every byte there.
 *   Memset has no source ("fill").
 * - A compute engine (TPC, MME) is a host whose speed is its clock (one flop = one
 *   cycle); its traffic to a memory is a flow to "mem.hbm", "mem.sram", "mem.host.rd"
 *   (over pcie.h2d) or "mem.host.wr" (over pcie.d2h), one route per memory.
 */
#include <stdio.h>

#include "models/common/asic.h"
#include "sim/sim.h"

const char *const sim_mem_port_host[SIM_PORTS] = {
	[SIM_PORT_HBM] = "mem.hbm", [SIM_PORT_SRAM] = "mem.sram",
	[SIM_PORT_HOST_RD] = "mem.host.rd", [SIM_PORT_HOST_WR] = "mem.host.wr",
};

static const char *const port_link[SIM_PORTS] = {
	[SIM_PORT_HBM] = "hbm", [SIM_PORT_SRAM] = "sram",
	[SIM_PORT_HOST_RD] = "pcie.h2d", [SIM_PORT_HOST_WR] = "pcie.d2h",
};

static const char *const kind_name[] = {
	[SIM_SRC_FILL] = "fill", [MDL_MEM_HBM] = "hbm", [MDL_MEM_SRAM] = "sram",
	[MDL_MEM_HOST] = "host",
};

const char *sim_path_host_name(int src_kind, int dst_kind, char *buf, unsigned cap)
{
	snprintf(buf, cap, "path.%s.%s", kind_name[src_kind], kind_name[dst_kind]);
	return buf;
}

/* The links a flow crosses to read from (@src) or write to (@dst) a memory kind. */
static void put_mem_links(FILE *o, int kind, int reading)
{
	switch (kind) {
	case MDL_MEM_HBM:
		fputs("<link_ctn id=\"hbm\"/>", o);
		break;
	case MDL_MEM_SRAM:
		fputs("<link_ctn id=\"sram\"/>", o);
		break;
	case MDL_MEM_HOST:
		fprintf(o, "<link_ctn id=\"%s\"/>", reading ? "pcie.h2d" : "pcie.d2h");
		break;
	default:
		break; /* fill: no source traffic */
	}
}

hlsim_err_t sim_platform_write(const hlsim_config_t *cfg, const struct sim_platform_desc *d,
			       const char *path)
{
	static const int srcs[] = { SIM_SRC_FILL, MDL_MEM_HBM, MDL_MEM_SRAM, MDL_MEM_HOST };
	static const int dsts[] = { MDL_MEM_HBM, MDL_MEM_SRAM, MDL_MEM_HOST };
	double eff = hlsim_config_f64(cfg, "pcie.efficiency");
	FILE *o = fopen(path, "w");
	char name[64];
	uint32_t e;
	size_t s, t;

	if (!o)
		return hlsim_error(HLSIM_E_IO, "cannot write the platform file %s", path);
	fprintf(o, "<?xml version='1.0'?>\n"
		   "<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
		   "<!-- hlsim: one Gaudi chip, generated from the configuration -->\n"
		   "<platform version=\"4.1\">\n<zone id=\"chip0\" routing=\"Full\">\n");
	fprintf(o, "<host id=\"host\" speed=\"1f\"/>\n");
	for (e = 0; e < d->num_engines; e++)
		fprintf(o, "<host id=\"%s\" speed=\"%.17gf\"/>\n", d->engines[e].name,
			d->engines[e].clock_hz);
	for (s = 0; s < SIM_PORTS; s++)
		fprintf(o, "<host id=\"%s\" speed=\"1f\"/>\n", sim_mem_port_host[s]);
	for (s = 0; s < sizeof(srcs) / sizeof(srcs[0]); s++)
		for (t = 0; t < sizeof(dsts) / sizeof(dsts[0]); t++)
			fprintf(o, "<host id=\"%s\" speed=\"1f\"/>\n",
				sim_path_host_name(srcs[s], dsts[t], name, sizeof(name)));
	fprintf(o, "<link id=\"hbm\" bandwidth=\"%.17gBps\" latency=\"%.17gs\"/>\n",
		hlsim_config_f64(cfg, "hbm.bandwidth"),
		(double)hlsim_config_u64(cfg, "hbm.latency") * 1e-12);
	fprintf(o, "<link id=\"sram\" bandwidth=\"%.17gBps\" latency=\"%.17gs\"/>\n",
		hlsim_config_f64(cfg, "sram.bandwidth"),
		(double)hlsim_config_u64(cfg, "sram.latency") * 1e-12);
	fprintf(o, "<link id=\"pcie.h2d\" bandwidth=\"%.17gBps\" latency=\"%.17gs\"/>\n",
		hlsim_config_f64(cfg, "pcie.h2d_bandwidth") * eff,
		(double)hlsim_config_u64(cfg, "pcie.latency") * 1e-12);
	fprintf(o, "<link id=\"pcie.d2h\" bandwidth=\"%.17gBps\" latency=\"%.17gs\"/>\n",
		hlsim_config_f64(cfg, "pcie.d2h_bandwidth") * eff,
		(double)hlsim_config_u64(cfg, "pcie.latency") * 1e-12);
	for (e = 0; e < d->num_engines; e++)
		if (d->engines[e].is_dma)
			fprintf(o,
				"<link id=\"%s.port\" bandwidth=\"%.17gBps\" latency=\"%.17gs\"/>\n",
				d->engines[e].name, hlsim_config_f64(cfg, "dma.engine_bandwidth"),
				(double)hlsim_config_u64(cfg, "dma.setup_latency") * 1e-12);
	for (e = 0; e < d->num_engines; e++) {
		if (!d->engines[e].is_dma) {
			for (s = 0; s < SIM_PORTS; s++)
				fprintf(o,
					"<route src=\"%s\" dst=\"%s\" symmetrical=\"NO\">"
					"<link_ctn id=\"%s\"/></route>\n",
					d->engines[e].name, sim_mem_port_host[s], port_link[s]);
			continue;
		}
		for (s = 0; s < sizeof(srcs) / sizeof(srcs[0]); s++) {
			for (t = 0; t < sizeof(dsts) / sizeof(dsts[0]); t++) {
				fprintf(o, "<route src=\"%s\" dst=\"%s\" symmetrical=\"NO\">",
					d->engines[e].name,
					sim_path_host_name(srcs[s], dsts[t], name, sizeof(name)));
				fprintf(o, "<link_ctn id=\"%s.port\"/>", d->engines[e].name);
				put_mem_links(o, srcs[s], 1);
				put_mem_links(o, dsts[t], 0);
				fputs("</route>\n", o);
			}
		}
	}
	fputs("</zone>\n</platform>\n", o);
	if (fclose(o) != 0)
		return hlsim_error(HLSIM_E_IO, "cannot write the platform file %s", path);
	return HLSIM_OK;
}
