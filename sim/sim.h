/**
 * sim/sim.h - the discrete-event core on SimGrid (internal to hlsim).
 *
 * sim_run() replays one trace on one configuration and writes a results file. Only
 * sim/ includes SimGrid headers; everything it needs from the hardware comes from
 * the ASIC function table (models/common/asic.h) and the configuration.
 * SimGrid keeps global state: sim_run() may be called once per process.
 */
#ifndef HLSIM_SIM_H
#define HLSIM_SIM_H

#include <stdint.h>

#include "hlsim/config.h"
#include "hlsim/error.h"

/**
 * struct sim_run_args - what to run.
 * @trace_path: the trace (format v1).
 * @cfg: resolved configuration.
 * @results_path: where results.h5 goes.
 * @platform_path: where the generated SimGrid platform XML goes (kept for the user).
 * @progress: print progress to stderr (the caller decides: only when it is a terminal).
 */
struct sim_run_args {
	const char *trace_path;
	const hlsim_config_t *cfg;
	const char *results_path;
	const char *platform_path;
	int progress;
};

/** struct sim_run_stats - what the run cost and produced. */
struct sim_run_stats {
	uint64_t simulated_ps; /* end of the last activity, from the start of the replay */
	uint64_t packets; /* packets executed by all CPs */
	uint64_t activities; /* SimGrid activities: transfers, sleeps, blocking waits */
	uint64_t cs, jobs; /* CSs and jobs submitted */
	double wall_s; /* wall-clock seconds of the simulation loop */
	uint64_t peak_rss_bytes;
};

hlsim_err_t sim_run(const struct sim_run_args *args, struct sim_run_stats *stats);

/* platform.c: the SimGrid platform of the run's chips and network, from the configuration. */
struct mdl_net_topo;
struct sim_platform_engine {
	const char *name; /* host name within its chip: "DMA2", "TPC0", "MME1", "NIC_3" */
	double clock_hz; /* its speed: one SimGrid flop is one cycle */
	int is_dma; /* DMA engines move data through their port and path.S.D routes */
	int is_nic; /* NIC engines send from their port host (box or scale-out zone) */
};
struct sim_platform_dev {
	uint32_t num_engines;
	const struct sim_platform_engine *engines;
};
/*
 * Every host and link of device d is named "d<d>.<name>" ("d0.host", "d0.DMA2",
 * "d0.mem.hbm", "d0.path.hbm.sram", link "d0.hbm"); scale-up port p of device d is host
 * "d<d>.p<p>"; scale-out port k of device d is host "so<d * box.scaleout_ports + k>".
 */
struct sim_platform_desc {
	uint32_t ndev;
	const struct sim_platform_dev *devs;
	const struct mdl_net_topo *topo; /* wiring of the NIC ports (ndev > 1) */
	int network; /* write the boxes and the scale-out network */
};

/* Memory end points of compute engines' traffic (hosts "mem.<name>"). */
enum sim_mem_port { SIM_PORT_HBM = 0, SIM_PORT_SRAM, SIM_PORT_HOST_RD, SIM_PORT_HOST_WR,
		    SIM_PORTS };
extern const char *const sim_mem_port_host[SIM_PORTS];
hlsim_err_t sim_platform_write(const hlsim_config_t *cfg, const struct sim_platform_desc *d,
			       const char *path);

/* Names of the memory endpoints used in the platform (index = enum mdl_mem_kind for
 * host/hbm/sram; SIM_SRC_FILL is the memset source). */
#define SIM_SRC_FILL 0
const char *sim_path_host_name(uint32_t dev, int src_kind, int dst_kind, char *buf, unsigned cap);

#endif /* HLSIM_SIM_H */
