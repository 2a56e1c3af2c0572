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
#include "hlsim/trace.h"

/**
 * struct sim_run_args - what to run.
 * @trace_path: the trace (format v1).
 * @cfg: resolved configuration.
 * @results_path: where results.h5 goes (NULL: no results, for a run that only answers, as
 *                `hlsim cosim`).
 * @platform_path: where the generated SimGrid platform XML goes (kept for the user).
 * @progress: print progress to stderr (the caller decides: only when it is a terminal).
 */
struct sim_run_args {
	const char *trace_path;
	const hlsim_config_t *cfg;
	const char *results_path;
	const char *platform_path;
	int progress;
	const struct sim_live *live; /* records arrive while the run goes on (NULL: the trace) */
};

/**
 * struct sim_live_item - the next record of one device, in the order the program made them.
 * @is_wait: a WAIT_CS (the host blocks until CS @wait_seq completes), else a CS.
 * @cs_index: the CS's row on its device (0, 1, ...), as a trace would number it.
 * @jobs: its @cs.num_jobs jobs, valid until the next ops->next() call for the device.
 */
struct sim_live_item {
	int is_wait;
	uint64_t wait_seq;
	uint64_t cs_index;
	struct hlsim_trace_cs cs;
	const struct hlsim_trace_job *jobs;
};

/**
 * struct sim_live_ops - a run fed while it goes on (sim/cosim.c: `hlsim cosim`, which the
 * virtual device feeds what the program submits). The host actor of a device takes its
 * records with @next; when it has none it calls @pull, which blocks the whole simulation
 * (so simulated time stands still) until the program sends more, unless an answer is due,
 * in which case it waits in simulated time for another device's host to give it.
 * @next:       the next record of @dev, if one has arrived: 1 (filled in @it), else 0.
 * @pull:       read one more message, blocking: the device it concerns (>= 0), -1 at the end
 *              of input, -2 on an error (hlsim error set).
 * @answer_due: whether the program waits for the answer to a WAIT_CS taken but not answered.
 * @waited:     the host of @dev has done its current WAIT_CS at simulated time @now_ps.
 * @cs_done:    CS row @cs_index (seq @seq) of @dev, submitted at @submit_ps, completed at
 *              @done_ps.
 * @blob_get:   the bytes of blob @id of @dev (valid for the whole run).
 * @mem_find:   as hlsim_trace_mem_find().
 */
struct sim_live_ops {
	int (*next)(void *ctx, uint32_t dev, struct sim_live_item *it);
	int (*pull)(void *ctx);
	int (*answer_due)(void *ctx);
	void (*waited)(void *ctx, uint32_t dev, uint64_t now_ps);
	void (*cs_done)(void *ctx, uint32_t dev, uint64_t cs_index, uint64_t seq, uint64_t submit_ps,
			uint64_t done_ps);
	hlsim_err_t (*blob_get)(void *ctx, uint32_t dev, uint64_t id, const struct hlsim_blob **out);
	hlsim_err_t (*mem_find)(void *ctx, uint32_t dev, uint64_t addr, uint64_t size,
				uint64_t cs_index, struct hlsim_trace_mem *image, uint64_t *offset);
};

/** struct sim_live - a live source of @ndev devices of the configuration's ASIC. */
struct sim_live {
	const struct sim_live_ops *ops;
	void *ctx;
	uint32_t ndev;
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

/*
 * cosim.c: `hlsim cosim`, a live run of @ndev devices fed by the virtual device over
 * @fd_in, answering its waits over @fd_out (traces/interposer/cosim.h), until @fd_in ends.
 */
hlsim_err_t sim_cosim_run(const hlsim_config_t *cfg, uint32_t ndev, int fd_in, int fd_out,
			  const char *platform_path);

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
