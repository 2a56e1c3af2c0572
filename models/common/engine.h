/**
 * models/common/engine.h - what one engine launch costs, as the timing models describe
 * it to the simulator.
 *
 * A timing model (models/common/tpc.c, mme.c, ...) reads the engine's register file at
 * the moment of the launch write and returns a struct mdl_work: the cycles its compute
 * pipeline needs, the bytes it moves to and from each memory, and the completion write
 * it performs at the end. The simulator (sim/core.c) runs the compute as a SimGrid exec
 * on the engine's host at the engine's clock and the traffic as flows over the memory
 * links, concurrently, so the launch takes as long as the slower of the two unless
 * memory contention with other engines stretches it. Pure C: no SimGrid, no HDF5.
 */
#ifndef HLSIM_MDL_ENGINE_H
#define HLSIM_MDL_ENGINE_H

#include <stdint.h>

#include "hlsim/config.h"
#include "hlsim/error.h"
#include "models/common/mme.h"
#include "models/common/tpc.h"

#define MDL_MAX_TRAFFIC 24

/**
 * struct mdl_traffic - bytes an engine moves between itself and one memory region.
 * @addr: device address of the region's first byte (selects HBM, SRAM or host).
 * @bytes: bytes moved, as the engine requests them.
 * @access_bytes: size of one contiguous access; the simulator charges accesses smaller
 *                than the memory's minimum efficient access as that minimum (0 = large).
 * @write: 1 if the engine writes the region, 0 if it reads it.
 */
struct mdl_traffic {
	uint64_t addr;
	uint64_t bytes;
	uint32_t access_bytes;
	uint8_t write;
};

/**
 * struct mdl_work - one launch.
 * @compute_cycles: cycles of the engine's own clock the compute needs if memory were free.
 * @flops: arithmetic operations performed (a multiply-add counts 2).
 * @traffic, @num_traffic: memory regions touched.
 * @has_completion, @completion_addr, @completion_data: the message the engine writes when
 *                  it finishes (usually a SOB update).
 * @label: a short description for the timeline ("gemm 4096x4096x4096 bf16").
 */
struct mdl_work {
	uint64_t compute_cycles;
	uint64_t flops;
	uint32_t num_traffic;
	struct mdl_traffic traffic[MDL_MAX_TRAFFIC];
	uint8_t has_completion;
	uint64_t completion_addr;
	uint32_t completion_data;
	char label[64];
};

/**
 * struct mdl_cost_hint - a per-kernel cost taken from the trace's annotations, which
 * overrides the default TPC model when @present.
 * @cycles_per_element: if > 0, compute cycles = elements * this.
 * @flops, @bytes: otherwise, if non-zero, compute from FLOPs at the engine's peak, and
 *                 the stated bytes instead of the descriptor's.
 * @kernel_name: for the timeline and the report.
 */
struct mdl_cost_hint {
	uint8_t present;
	double cycles_per_element;
	uint64_t flops, bytes;
	char kernel_name[64];
};

/** struct mdl_engine_cfg - the timing parameters of every engine class, from the config. */
struct mdl_engine_cfg {
	struct mdl_tpc_cfg tpc;
	struct mdl_mme_cfg mme;
};

/** mdl_engine_cfg_load - read every engine's parameters from @cfg. */
hlsim_err_t mdl_engine_cfg_load(const hlsim_config_t *cfg, struct mdl_engine_cfg *out);

#endif /* HLSIM_MDL_ENGINE_H */
