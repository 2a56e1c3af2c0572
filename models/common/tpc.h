/**
 * models/common/tpc.h - the TPC timing model (see tpc.c).
 *
 * A TPC kernel launch is described by the descriptor the runtime writes into the TPC
 * CFG block before TPC_EXECUTE (GAUDI-FACTS.md §3.5): up to 16 tensor descriptors, the
 * sync object written at the end, and the non-tensor descriptor with the index-space
 * partition this TPC executes. struct mdl_tpc_layout says where an ASIC keeps each of
 * those registers; mdl_tpc_work() turns the register file into a struct mdl_work.
 */
#ifndef HLSIM_MDL_TPC_H
#define HLSIM_MDL_TPC_H

#include <stdint.h>

#include "hlsim/config.h"
#include "hlsim/error.h"

/**
 * struct mdl_tpc_cfg - TPC timing parameters (SI units), read once from the config by
 * mdl_tpc_cfg_load(); every field is one `[tpc]` key of models/common/params.c.
 * @clock_hz: tpc.clock.
 * @cycles_per_vector: tpc.cycles_per_vector, issue cycles per index-space point.
 * @pipeline_latency_cycles: tpc.pipeline_latency_cycles, paid once per launch.
 * @launch_overhead_cycles: tpc.launch_overhead_cycles, paid once per launch.
 * @vector_bytes: tpc.vector_bytes, the SIMD width (one index-space point's vector).
 * @min_access_bytes: tpc.min_access_bytes; access_bytes is reported up to this size.
 * @flops_per_element: tpc.flops_per_element, used when no cost hint gives FLOPs.
 */
struct mdl_tpc_cfg {
	double clock_hz;
	double cycles_per_vector;
	uint64_t pipeline_latency_cycles;
	uint64_t launch_overhead_cycles;
	uint64_t vector_bytes;
	uint64_t min_access_bytes;
	uint64_t flops_per_element;
};

/**
 * mdl_tpc_cfg_load - read the `[tpc]` parameters of @cfg into @out. HLSIM_E_CONFIG
 * (naming the key) for values the model cannot use: tpc.cycles_per_vector not a
 * positive finite number, tpc.vector_bytes not a multiple of 4 bytes (it must hold a
 * whole number of elements of every data type).
 */
hlsim_err_t mdl_tpc_cfg_load(const hlsim_config_t *cfg, struct mdl_tpc_cfg *out);

/**
 * struct mdl_tpc_dtype - one value of a tensor's data_type field.
 * @name: "bf16", "fp32", "int8", ...; NULL for a code the ASIC does not define.
 * @size_bytes: bytes per element.
 */
struct mdl_tpc_dtype {
	const char *name;
	uint32_t size_bytes;
};

/**
 * struct mdl_tpc_layout - where an ASIC keeps the TPC descriptor in the TPC CFG block
 * (byte offsets from the block base), and the few runtime conventions a generator
 * needs to write one. Each ASIC provides one (models/<asic>/<asic>_tpc.c).
 *
 * Tensor descriptors:
 * @tensor0: offset of tensor 0's first register (base_addr_low).
 * @tensor_stride_bytes: distance between two tensor descriptors.
 * @num_tensors: tensor descriptors in the block.
 * @t_base_lo, @t_base_hi, @t_padding, @t_config: offsets inside one tensor descriptor.
 * @t_dim0_size, @t_dim0_stride: offsets of dim_0_size and dim_0_stride inside one.
 * @t_dim_pair_bytes: dim_{k+1}_size - dim_k_size (sizes and strides interleave).
 * @num_dims: dimensions of a tensor and of the index space.
 * @cfg_dtype_shift, @cfg_dtype_mask: tensor_config data_type field.
 * @cfg_valid_dims_shift, @cfg_valid_dims_mask: tensor_config valid_dim_mask field.
 * @cfg_last_dim_shift, @cfg_last_dim_mask: tensor_config last_dim field.
 * @dtypes, @num_dtypes: data_type code -> element type, indexed by code.
 *
 * Sync object and non-tensor descriptor:
 * @so_message, @so_addr: the message written at the end, and its address bits 31:0.
 * @sm_base_high: register holding the address bits 63:32 of @so_addr's target.
 * @sm_base_high_driver: the value the driver leaves in @sm_base_high at init (used
 *                       when a trace never writes it).
 * @kernel_base_lo, @kernel_base_hi: the kernel's ISA address.
 * @tid_base0, @tid_size0: tid_base_dim_0 and tid_size_dim_0.
 * @tid_pair_bytes: tid_base_dim_{k+1} - tid_base_dim_k.
 * @kernel_config, @kernel_id: the kernel_config and kernel_id registers.
 * @srf0, @num_srfs: scalar kernel parameters.
 *
 * The launch and what the runtime writes:
 * @desc_first, @desc_bytes: the span the runtime writes with one register burst.
 * @tpc_cmd, @tpc_execute: the command register and the launch register.
 * @tpc_cmd_invalidate: the TPC_CMD value invalidating the kernel's caches.
 * @kernel_config_runtime: the kernel_config the reference runtime writes for a kernel
 *                         without scalar parameters or lookup tables.
 * @kernel_align_bytes: alignment of a kernel's ISA address.
 *
 * Added for ASICs whose registers overlap the Gaudi layout (0 on Gaudi):
 * @tid_base_absent_mask: bit k set: tid_base_dim_k has no register of its own on this
 *                        ASIC (another register sits at its offset); the model takes
 *                        it as 0 and generators must not write it.
 * @user_tpcs: TPC engines 0..@user_tpcs-1 are the ones a workload may use (0: every
 *             TPC engine of the ASIC's queue table).
 */
struct mdl_tpc_layout {
	uint32_t tensor0, tensor_stride_bytes, num_tensors;
	uint32_t t_base_lo, t_base_hi, t_padding, t_config;
	uint32_t t_dim0_size, t_dim0_stride, t_dim_pair_bytes;
	uint32_t num_dims;
	uint32_t cfg_dtype_shift, cfg_dtype_mask;
	uint32_t cfg_valid_dims_shift, cfg_valid_dims_mask;
	uint32_t cfg_last_dim_shift, cfg_last_dim_mask;
	const struct mdl_tpc_dtype *dtypes;
	uint32_t num_dtypes;

	uint32_t so_message, so_addr;
	uint32_t sm_base_high, sm_base_high_driver;
	uint32_t kernel_base_lo, kernel_base_hi;
	uint32_t tid_base0, tid_size0, tid_pair_bytes;
	uint32_t kernel_config, kernel_id;
	uint32_t srf0, num_srfs;

	uint32_t desc_first, desc_bytes;
	uint32_t tpc_cmd, tpc_execute;
	uint32_t tpc_cmd_invalidate;
	uint32_t kernel_config_runtime;
	uint32_t kernel_align_bytes;

	uint32_t tid_base_absent_mask;
	uint32_t user_tpcs;
};

/* The most dimensions any layout may declare (tensor and index space). */
#define MDL_TPC_MAX_DIMS 5

struct mdl_cost_hint;
struct mdl_work;

/**
 * mdl_tpc_work - the work of a TPC kernel launched with the descriptor in @regs (the
 * TPC CFG block as 32-bit words, indexed by byte offset / 4; it must cover every
 * offset of @layout). @hint may be NULL or not present. Pure: reads only its
 * arguments, writes only @out.
 *
 * Returns HLSIM_E_SIM (with a detail naming the register) for a descriptor that makes
 * no sense: no tensor in use, a tensor with a zero-sized valid dimension or a data
 * type code the ASIC does not define, an index space with no point, sizes whose
 * product or addresses that overflow 64 bits. HLSIM_E_INVAL for a NULL argument.
 */
hlsim_err_t mdl_tpc_work(const struct mdl_tpc_layout *layout, const uint32_t *regs,
			 const struct mdl_tpc_cfg *cfg, const struct mdl_cost_hint *hint,
			 struct mdl_work *out);

/**
 * mdl_cost_hint_parse - parse the value of a "cost_hint" trace annotation into @out
 * (traces/FORMAT.md, "Kernel names and cost hints"): space-separated key=value
 * fields, at least one, each at most once:
 *   kernel=NAME                 kernel name, 1..63 of [A-Za-z0-9_.:+-]
 *   flops=N                     FLOPs of this launch (decimal integer)
 *   bytes=N                     bytes this launch moves (decimal integer)
 *   cycles_per_element=X        compute cycles per element (decimal, > 0, e.g. 0.5)
 * On success @out is filled and present = 1. HLSIM_E_INVAL with a detail naming the
 * field and its position for anything else (unknown or repeated key, missing '=',
 * empty value, a number with a sign, a fraction or out of range); @out is then
 * cleared (present = 0).
 */
hlsim_err_t mdl_cost_hint_parse(const char *value, struct mdl_cost_hint *out);

#endif /* HLSIM_MDL_TPC_H */
