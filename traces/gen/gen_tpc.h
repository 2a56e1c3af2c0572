/**
 * traces/gen/gen_tpc.h - TPC kernel launches for the synthetic trace generators (see
 * gen_tpc.c): one element-wise launch ready to append to a job's CB
 * (trc_gen_tpc_launch), and the pieces the elementwise and operation generators build
 * their own partitioned launches from (the ASIC's layout, data types, the descriptor
 * registers and the packet sequence that writes them and launches).
 */
#ifndef HLSIM_TRC_GEN_TPC_H
#define HLSIM_TRC_GEN_TPC_H

#include <stdint.h>

#include "hlsim/error.h"
#include "hlsim/trace.h"
#include "models/common/tpc.h"
#include "traces/gen/gen_common.h"

#define TRC_GEN_TPC_MAX_INPUTS 8
/*
 * The SIMD width the runtime partitions an index space for: 2048 bits [V] DOC-TPC, on
 * Gaudi and Gaudi2. A property of the hardware the trace is made for, so not
 * tpc.vector_bytes (a model parameter).
 */
#define TRC_GEN_TPC_VECTOR_BYTES 256u
#define TRC_GEN_TPC_KERNEL_ID_BASE 0xABu /* SynapseAI_Core's trace context id: 0xab + TPC */
#define TRC_GEN_TPC_MAX_FLOPS_PER_ELEMENT 1000000u
#define TRC_GEN_TPC_DESC_WORDS 1024u /* the largest descriptor the helpers build */

/**
 * struct trc_gen_tpc_kernel - one element-wise TPC launch: out = f(in[0..num_inputs)).
 * @name: kernel name for the annotation, e.g. "reduce_sum_f32".
 * @dtype: a data type name of the ASIC's TPC layout: "fp32", "bf16" ...
 * @elements: elements of each tensor this one launch processes.
 * @num_inputs: 1..8.
 * @in_addr: device addresses (HBM or SRAM) of the inputs.
 * @out_addr: device address of the output.
 * @flops_per_element: arithmetic operations per output element.
 * @done_sob: SOB of x->sm_block that gets +1 when the kernel has finished.
 */
struct trc_gen_tpc_kernel {
	const char *name;
	const char *dtype;
	uint64_t elements;
	uint32_t num_inputs;
	uint64_t in_addr[8];
	uint64_t out_addr;
	uint64_t flops_per_element;
	uint32_t done_sob;
};

/**
 * trc_gen_tpc_launch - append to @cb (the CB of a job on a queue of TPC @tpc) the packets
 * that program and launch @k on that TPC, and fill @hint_out with the cost-hint annotation
 * (key "cost_hint", value in the format the simulator parses, queue_id = that TPC queue,
 * cs_seq left 0 for the caller to set) the caller must add to the trace for the CS that
 * carries this job. Works for gaudi and gaudi2. HLSIM_E_INVAL / HLSIM_E_UNSUPPORTED with a
 * detail for bad values.
 *
 * Details: @tpc is a TPC engine index (0 .. trc_gen_tpc_count() - 1); the job must be
 * on stream 0 of that TPC (trc_gen_queue_id(x, MDL_ENGINE_TPC, tpc, 0), the queue_id
 * of @hint_out). The tensors are 1-D, @k->elements (1 .. 2^32-1) each, inputs in
 * descriptor slots 0.. and the output after them; the whole index space, one point per
 * 256-byte vector, runs on this TPC. @k->name is 1..63 of A-Z a-z 0-9 _ . : + -;
 * @k->flops_per_element 1..10^6; addresses non-zero; @k->done_sob below the ASIC's
 * SOBs per block. The cost hint states flops = elements x flops_per_element and bytes
 * = (num_inputs + 1) x elements x element size. The simulator keeps one cost hint per
 * (CS, queue): a CS should carry at most one launch per TPC queue. The descriptor's
 * kernel address is trc_gen_tpc_isa_addr(). The packets do not wait for anything:
 * the caller puts its FENCEs before them. Nothing is appended on error.
 */
hlsim_err_t trc_gen_tpc_launch(const struct trc_gen_ctx *x, struct trc_gen_cb *cb, uint32_t tpc,
			       const struct trc_gen_tpc_kernel *k,
			       struct hlsim_trace_annotation *hint_out);

/**
 * trc_gen_tpc_add_annotations - add @hint (a trc_gen_tpc_launch() cost hint) with
 * cs_seq = @seq to device @dev of @w, and the matching "kernel_name" annotation (the
 * hint's kernel= field; the profiler names launches by it). The writer's error, or
 * HLSIM_E_INVAL if @hint has no kernel= field.
 */
hlsim_err_t trc_gen_tpc_add_annotations(hlsim_trace_writer_t *w, uint32_t dev, uint64_t seq,
					const struct hlsim_trace_annotation *hint);

/**
 * trc_gen_tpc_layout - the TPC descriptor layout of @x's ASIC (its properties'), or
 * NULL if it has none or one larger than TRC_GEN_TPC_DESC_WORDS registers.
 */
const struct mdl_tpc_layout *trc_gen_tpc_layout(const struct trc_gen_ctx *x);

/**
 * trc_gen_tpc_count - the TPCs a workload may use: engines 0 .. N-1 (Gaudi 8, Gaudi2
 * 24: its spare PCI TPC is left out); 0 without a TPC layout.
 */
uint32_t trc_gen_tpc_count(const struct trc_gen_ctx *x);

/**
 * trc_gen_tpc_dtype - the data_type code and element size of the type called @name in
 * layout @l; -1 if @l has none by that name.
 */
int trc_gen_tpc_dtype(const struct mdl_tpc_layout *l, const char *name, uint32_t *code,
		      uint32_t *size_bytes);

/**
 * trc_gen_tpc_isa_addr - the kernel address trc_gen_tpc_launch() writes into its
 * descriptors: the last kernel_align_bytes (8 KiB) of user HBM [I: the generators have
 * no TPC binaries; the simulator never reads kernel code]. Callers keep it free.
 */
uint64_t trc_gen_tpc_isa_addr(const struct trc_gen_ctx *x);

/** trc_gen_tpc_desc_set - register @off of descriptor @desc (words from l->desc_first). */
void trc_gen_tpc_desc_set(const struct mdl_tpc_layout *l, uint32_t *desc, uint32_t off,
			  uint32_t value);

/**
 * trc_gen_tpc_desc_tensor - tensor @slot of descriptor @desc: data type @code, base
 * @addr, dimension 0 @size0 elements with stride @stride0, dimension 1 @size1 / @stride1,
 * dimensions 2.. size 1 stride 0; valid_dim_mask @valid (last_dim 0).
 */
void trc_gen_tpc_desc_tensor(const struct mdl_tpc_layout *l, uint32_t *desc, uint32_t slot,
			     uint32_t code, uint64_t addr, uint32_t size0, uint32_t stride0,
			     uint32_t size1, uint32_t stride1, uint32_t valid);

/**
 * trc_gen_tpc_emit - append the packets that write descriptor @desc (l->desc_bytes from
 * l->desc_first) and launch it, with the sync object's address bits 63:32 taken from
 * @so_addr: the descriptor with WREG_BULK (WREG_32 for unpaired ends), skipping the
 * launch register where it lies inside the descriptor (Gaudi2, gaudi2_tpc.c),
 * SM_BASE_ADDRESS_HIGH, TPC_CMD (invalidate, EB=1; before the descriptor where it lies
 * inside it), TPC_EXECUTE = 1. On Gaudi these are SynapseAI_Core's packets.
 */
hlsim_err_t trc_gen_tpc_emit(const struct trc_gen_ctx *x, struct trc_gen_cb *cb,
			     const struct mdl_tpc_layout *l, const uint32_t *desc,
			     uint64_t so_addr);

#endif /* HLSIM_TRC_GEN_TPC_H */
