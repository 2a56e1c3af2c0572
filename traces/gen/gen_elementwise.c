/*
 * traces/gen/gen_elementwise.c - `hlsim gen elementwise`: one element-wise TPC kernel
 * C = A op B over E elements, spread over T TPCs, laid out the way SynapseAI_Core's
 * runner launches a TPC node (GAUDI-FACTS.md §3.4, §3.5, §6):
 *
 *   CS 0 (download): one LIN_DMA host -> HBM bringing every TPC queue's program into
 *     the device; the trace records those programs as device-memory images.
 *   CS 1:
 *     job 0, DMA_0_0 (external, "DMA down"): WREG_32 x3 pointing the DMA core's
 *       completion write at SOB A += 1, then LIN_DMAs of A and B host -> HBM (at most
 *       1 GiB each), the last with wr_comp;
 *     job 1+t, TPC_t_0 (internal), t < T: one CP_DMA handing the lower CP its program
 *       in HBM: arm monitor t (SOB A >= 1 -> this lower CP's fence 0), FENCE, the
 *       1088-byte descriptor with WREG_BULK (WREG_32 for an unaligned first or odd last
 *       register), WREG_32 SM_BASE_ADDRESS_HIGH, TPC_CMD (invalidate caches, EB=1),
 *       TPC_EXECUTE = 1; the descriptor's sync object is "SOB B += 1";
 *     job 1+T, DMA_1_0 (external, "DMA up"): arm monitor T (SOB B >= T -> its own fence
 *       0), FENCE, LIN_DMAs of C HBM -> host, then reset SOBs A and B (EB=1).
 *   The program waits for CS 0 before CS 1 and for CS 1 at the end.
 *
 * Tensors: A, B, C are 1-D tensors of E elements in HBM, descriptors 0, 1, 2 (inputs
 * first, then the output: the TPC model's convention, models/common/tpc.c), dim 0
 * size E stride 1, dims 1..4 size 1 stride 0 with valid_dim_mask 0x1F and last_dim 0,
 * as the graph compiler programs a 1-D tensor.
 *
 * Index space and partition rule: one point per vector of V = vector_bytes / element
 * size elements (V = 128 for bf16), N = ceil(E / V) points along dim 0 (dims 1..4 size
 * 1). TPC t gets the contiguous range of floor(N / T) points, one more for t < N mod T,
 * in TPC order. T must not exceed N (a TPC without points would have no work).
 *
 * Per TPC kernel the trace carries two annotations on (CS 1, TPC_t_0): "kernel_name"
 * and "cost_hint" = "kernel=NAME flops=F*e bytes=3*e*S" for the e in-bounds elements
 * of its partition (format: traces/FORMAT.md, "Kernel names and cost hints").
 *
 * Gaudi2 (hlsim's TPC interpretation, models/gaudi2/gaudi2_tpc.c): the same trace with
 * Gaudi2 packets and queues, the sync objects in DCORE0's sync manager from SOB 128 (its
 * SOBs 0..84 are the driver's), the descriptor and launch written by trc_gen_tpc_emit()
 * (gen_tpc.c): TPC_CMD before the descriptor, the burst split around TPC_EXECUTE, and
 * no tid_base_dim_1 (the index space is 1-D here, so nothing is lost).
 *
 * SRAM staging (--stage sram [--chunk-bytes B], issue 4): the TPCs read and write the
 * user SRAM instead of HBM, the tensors cut into n chunks of B bytes per tensor (the last
 * one shorter), staged through two SRAM buffers per tensor (double buffering: chunk k
 * uses buffer k mod 2 of A, B and C). No programs live in HBM, so there is no download
 * CS; every job's packets are in its own CB:
 *
 *   CS seq 1, DMA_0_0 (external): completion -> SOB H, LIN_DMAs A, B host -> HBM.
 *   CS seq 2 + k, one per chunk k, submitted back to back without waiting (each ioctl
 *     1 us, from the return of CS seq 1 on):
 *     IN_k, on the first internal DMA queue (Gaudi DMA_2_0; Gaudi2 the first EDMA):
 *       k = 0: wait SOB H >= 1; k >= 2: wait SOB COMP >= L(k - 2); then completion ->
 *       SOB IN, LIN_DMAs of chunk k of A and B HBM -> SRAM buffer k mod 2 (wr_comp on
 *       the second), so SOB IN = k + 1 once IN_k is done;
 *     COMP_k, one job per TPC t < T_k = min(T, vectors of chunk k): wait SOB IN >= k + 1;
 *       k >= 2: wait SOB OUT >= k - 1; then trc_gen_tpc_launch() of its contiguous
 *       share of the chunk's vectors (the rule of the unstaged trace, applied to the
 *       chunk) with SRAM addresses, done -> SOB COMP += 1;
 *     OUT_k, on the second internal DMA queue: wait SOB COMP >= L(k); completion ->
 *       SOB OUT, LIN_DMA chunk k of C SRAM buffer k mod 2 -> HBM, so SOB OUT = k + 1;
 *     the last CS also: DMA_1_0 (external, so the CS completes): wait SOB OUT >= n,
 *       LIN_DMAs C HBM -> host, reset SOBs H, IN, COMP, OUT to 0 (the last with EB=1).
 *   L(k) = T_0 + ... + T_k, the launches of chunks 0..k (all counters only grow).
 *
 * Dependency graph (edges "must end before ... starts"), for every k:
 *   H -> IN_0;   IN_k -> COMP_k (data);   COMP_k -> OUT_k (data);
 *   COMP_{k-2} -> IN_k (IN_k overwrites the A, B buffers COMP_{k-2} read: WAR);
 *   OUT_{k-2} -> COMP_k (COMP_k overwrites the C buffer OUT_{k-2} reads: WAR);
 *   OUT_{n-1} -> the host copy of C;
 *   and each queue's own order: IN_k -> IN_{k+1}, COMP_k -> COMP_{k+1} per TPC,
 *   OUT_k -> OUT_{k+1} (a queue runs its CBs in order).
 * Nothing else is waited for, so IN_{k+1} runs while COMP_k computes, and OUT_k while
 * COMP_{k+1} computes. A wait is a monitor of the queue's own (IN 0, OUT 1, host copy
 * 2, TPC t 3 + t) armed on the SOB and a FENCE on the upper CP's fence 0; a queue
 * re-arms its monitor only after its previous FENCE has passed.
 *
 * DMA bytes: every input byte is moved twice (host -> HBM, HBM -> SRAM) and every
 * output byte twice (SRAM -> HBM, HBM -> host): 2 x (2 E S) + 2 x (E S) = 6 E S for
 * element size S, where the unstaged trace moves 3 E S after its download. FLOPs and
 * the cost hints' bytes are the unstaged trace's: the same elements, cut differently.
 *
 * Chunk size: two buffers per tensor, six in all, must fit the ASIC's user SRAM
 * (props sram_size_bytes), else the generator refuses. The default B is ceil(E S / 8)
 * rounded up to a 256-byte vector, at most the largest vector multiple with six buffers
 * in SRAM: about eight chunks, so that filling and draining the three-stage pipeline
 * (one input copy before the first compute, one output copy after the last) costs
 * about 2/8 of the work, while a chunk stays large against the per-CS and per-launch
 * overheads [I: a choice, not the graph compiler's rule, which is not public]. The
 * SOB counters are 15 bits on Gaudi, so L(n - 1) must stay below 32768.
 *
 * What is synthetic: host times (5 us per ioctl, 10 us apart; 1 us per staged chunk
 * CS), and the kernel's ISA:
 * the descriptor points kernel_base_address at an 8 KiB-aligned region reserved in
 * HBM, but no TPC binary exists for this kernel, so none is downloaded or recorded
 * (hlsim costs kernels from their descriptor and cost hint, not their instructions).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hlsim/trace.h"
#include "models/common/asic.h"
#include "models/common/tpc.h"
#include "traces/gen/gen_common.h"
#include "traces/gen/gen_elementwise.h"
#include "traces/gen/gen_tpc.h"

#define DMA_CHUNK_BYTES (1ull << 30) /* bytes per LIN_DMA */
/*
 * First SOB the trace uses: Gaudi's E_N SOBs below 64 are the driver's default DMA
 * completions; Gaudi2 (no E_N block: DCORE0's sync manager) reserves DCORE0 SOBs
 * 0..84 for the driver, so there the trace starts at the next 8-SOB group from 128.
 */
#define SOB_FIRST_E_N 64
#define SOB_FIRST_OTHER 128
#define KERNEL_ID_BASE TRC_GEN_TPC_KERNEL_ID_BASE
#define TENSOR_ALIGN_BYTES (2ull << 20)
#define HOST_REGION_BYTES (1ull << 36)
/*
 * The SIMD width the runtime partitions for: 2048 bits [V] DOC-TPC. A property of the
 * hardware the trace was made for, so not tpc.vector_bytes (a model parameter).
 */
#define TPC_VECTOR_BYTES TRC_GEN_TPC_VECTOR_BYTES
#define CS_GAP_NS 10000
#define IOCTL_NS 5000

struct eg {
	struct trc_gen_ctx x; /* x.sm_block: the E_N sync manager */
	const struct mdl_tpc_layout *l;
	const struct trc_gen_elementwise_opts *o;
	hlsim_trace_writer_t *w;
	struct trc_gen_elementwise_stats st;
	uint32_t dtype_code, elem_bytes;
	uint32_t sob_a, sob_b; /* SOB A: inputs are in; SOB B: TPC kernels done */
	uint64_t vec, points, tensor_bytes;
	char kernel[40];
	/* device and host layout */
	uint64_t prog_base, isa_addr, hbm[3], host_prog, host[3];
	uint64_t vbase[TRC_GEN_EW_MAX_TPCS], vcount[TRC_GEN_EW_MAX_TPCS];
	uint64_t lower_addr[TRC_GEN_EW_MAX_TPCS], upper_addr[TRC_GEN_EW_MAX_TPCS];
	uint64_t upper_blob[TRC_GEN_EW_MAX_TPCS];
	uint32_t lower_size[TRC_GEN_EW_MAX_TPCS], upper_size[TRC_GEN_EW_MAX_TPCS];
	uint32_t desc[1024]; /* the descriptor of one TPC, as 32-bit registers */
	/* --stage sram */
	int staged;
	uint32_t sob_h, sob_in, sob_comp, sob_out; /* see "SRAM staging" above */
	uint32_t q_in, q_out, nchunks;
	uint64_t chunk_bytes, sram_buf[2][3];
};

/* {==== packets ==== */

/* The queue of stream @stream of engine @engine of class @engine_class. */
static uint32_t queue_id(struct eg *g, uint32_t engine_class, uint32_t engine, uint32_t stream)
{
	return trc_gen_queue_id(&g->x, engine_class, engine, stream);
}

/* Copy @size bytes in LIN_DMAs of at most DMA_CHUNK_BYTES; wr_comp on the last if @wr_comp. */
static hlsim_err_t copy(struct eg *g, struct trc_gen_cb *cb, uint64_t src, uint64_t dst,
			uint64_t size, int wr_comp)
{
	uint64_t done = 0;
	hlsim_err_t rc = HLSIM_OK;

	while (!rc && done < size) {
		uint64_t n = size - done < DMA_CHUNK_BYTES ? size - done : DMA_CHUNK_BYTES;

		rc = trc_gen_lin_dma(&g->x, cb, src + done, dst + done, n,
				     wr_comp && done + n == size);
		done += n;
	}
	return rc;
}

/* ====} */

/* {==== the programs ==== */

static void desc_set(struct eg *g, uint32_t off, uint32_t value)
{
	g->desc[(off - g->l->desc_first) / 4] = value;
}

/* The descriptor TPC @t runs with: tensors A, B -> C, its partition, SOB B += 1. */
static void build_desc(struct eg *g, uint32_t t)
{
	const struct mdl_tpc_layout *l = g->l;
	uint64_t sob_b = g->x.f->sob_addr(g->x.sm_block, g->sob_b);
	uint32_t i, k;

	memset(g->desc, 0, sizeof(g->desc));
	for (i = 0; i < 3; i++) {
		uint32_t off = l->tensor0 + i * l->tensor_stride_bytes;

		desc_set(g, off + l->t_base_lo, (uint32_t)g->hbm[i]);
		desc_set(g, off + l->t_base_hi, (uint32_t)(g->hbm[i] >> 32));
		/* every dimension valid, last_dim 0 */
		desc_set(g, off + l->t_config,
			 g->dtype_code << l->cfg_dtype_shift | l->cfg_valid_dims_mask
								       << l->cfg_valid_dims_shift);
		for (k = 0; k < l->num_dims; k++) {
			desc_set(g, off + l->t_dim0_size + k * l->t_dim_pair_bytes,
				 k ? 1 : (uint32_t)g->o->elements);
			desc_set(g, off + l->t_dim0_stride + k * l->t_dim_pair_bytes, k ? 0 : 1);
		}
	}
	desc_set(g, l->so_message, g->x.f->sob_value_encode(1, 1));
	desc_set(g, l->so_addr, (uint32_t)sob_b);
	desc_set(g, l->kernel_base_lo, (uint32_t)g->isa_addr);
	desc_set(g, l->kernel_base_hi, (uint32_t)(g->isa_addr >> 32));
	for (k = 0; k < l->num_dims; k++) {
		/* a base without a register of its own (Gaudi2 dim 1) is not written */
		if (!(l->tid_base_absent_mask >> k & 1))
			desc_set(g, l->tid_base0 + k * l->tid_pair_bytes,
				 k ? 0 : (uint32_t)g->vbase[t]);
		desc_set(g, l->tid_size0 + k * l->tid_pair_bytes, k ? 1 : (uint32_t)g->vcount[t]);
	}
	desc_set(g, l->kernel_config, l->kernel_config_runtime);
	desc_set(g, l->kernel_id, KERNEL_ID_BASE + t);
}

/* The lower-CP program of TPC @t. */
static hlsim_err_t build_tpc(struct eg *g, uint32_t t, struct trc_gen_cb *cb)
{
	const struct mdl_tpc_layout *l = g->l;
	uint32_t qman = g->x.f->qman_of_queue(queue_id(g, MDL_ENGINE_TPC, t, 0));
	uint64_t sob_b = g->x.f->sob_addr(g->x.sm_block, g->sob_b);
	hlsim_err_t rc;

	cb->len = 0;
	build_desc(g, t);
	rc = trc_gen_arm_monitor(&g->x, cb, qman, 0, t, g->sob_a, 1, 4);
	if (!rc)
		rc = trc_gen_fence0(&g->x, cb);
	if (!rc)
		rc = trc_gen_tpc_emit(&g->x, cb, l, g->desc, sob_b);
	return rc;
}

static hlsim_err_t build_down(struct eg *g, struct trc_gen_cb *cb)
{
	hlsim_err_t rc;

	cb->len = 0;
	rc = trc_gen_set_wr_comp(&g->x, cb, g->sob_a);
	if (!rc)
		rc = copy(g, cb, g->host[0], g->hbm[0], g->tensor_bytes, 0);
	if (!rc)
		rc = copy(g, cb, g->host[1], g->hbm[1], g->tensor_bytes, 1);
	return rc;
}

static hlsim_err_t build_up(struct eg *g, struct trc_gen_cb *cb)
{
	uint32_t qman = g->x.f->qman_of_queue(queue_id(g, MDL_ENGINE_DMA, 1, 0));
	uint8_t blk = g->x.sm_block;
	hlsim_err_t rc;

	cb->len = 0;
	rc = trc_gen_arm_monitor(&g->x, cb, qman, 0, g->o->tpcs, g->sob_b, g->o->tpcs, 0);
	if (!rc)
		rc = trc_gen_fence0(&g->x, cb);
	if (!rc)
		rc = copy(g, cb, g->hbm[2], g->host[2], g->tensor_bytes, 0);
	if (!rc)
		rc = trc_gen_msg(&g->x, cb, qman, 1, g->x.f->sob_addr(blk, g->sob_a),
				 g->x.f->sob_value_encode(0, 0), 1);
	if (!rc)
		rc = trc_gen_msg(&g->x, cb, qman, 1, g->x.f->sob_addr(blk, g->sob_b),
				 g->x.f->sob_value_encode(0, 0), 0);
	return rc;
}

/* ====} */

/* {==== layout and options ==== */

void trc_gen_elementwise_defaults(struct trc_gen_elementwise_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->asic = "gaudi";
	o->elements = 1u << 20;
	o->dtype = "bf16";
	o->flops_per_element = 1;
	o->tpcs = 8;
}

static hlsim_err_t check_opts(struct eg *g)
{
	const struct trc_gen_elementwise_opts *o = g->o;
	uint32_t code, max_tpcs = trc_gen_tpc_count(&g->x);

	if (max_tpcs > TRC_GEN_EW_MAX_TPCS)
		max_tpcs = TRC_GEN_EW_MAX_TPCS;
	if (!o->dtype)
		return hlsim_error(HLSIM_E_USAGE, "--dtype: missing");
	if (trc_gen_tpc_dtype(g->l, o->dtype, &code, &g->elem_bytes))
		return hlsim_error(HLSIM_E_USAGE,
				   "--dtype %s: not a TPC data type of %s (bf16, fp32, int8, ...)",
				   o->dtype, g->x.p->asic_name);
	g->dtype_code = code;
	if (o->elements < 1 || o->elements > UINT32_MAX)
		return hlsim_error(HLSIM_E_USAGE,
				   "--elements %" PRIu64 ": expected 1..4294967295 (dim_0_size is "
				   "32 bits)",
				   o->elements);
	if (o->flops_per_element < 1 || o->flops_per_element > TRC_GEN_EW_MAX_FLOPS_PER_ELEMENT)
		return hlsim_error(HLSIM_E_USAGE, "--flops-per-element %" PRIu64 ": expected 1..%u",
				   o->flops_per_element, TRC_GEN_EW_MAX_FLOPS_PER_ELEMENT);
	g->vec = TPC_VECTOR_BYTES / g->elem_bytes;
	g->points = (o->elements + g->vec - 1) / g->vec;
	if (o->tpcs < 1 || o->tpcs > max_tpcs)
		return hlsim_error(HLSIM_E_USAGE, "--tpcs %u: expected 1..%u (the TPCs of %s)",
				   o->tpcs, max_tpcs, g->x.p->asic_name);
	if (o->tpcs > g->points)
		return hlsim_error(
			HLSIM_E_USAGE,
			"--tpcs %u: %" PRIu64 " %s elements make %" PRIu64 " vector%s of "
			"%" PRIu64 " elements, so at most %" PRIu64
			" TPC%s can get work; use fewer TPCs or more elements",
			o->tpcs, o->elements, o->dtype, g->points, g->points == 1 ? "" : "s",
			g->vec, g->points, g->points == 1 ? "" : "s");
	g->tensor_bytes = o->elements * g->elem_bytes;
	return HLSIM_OK;
}

/* The device record: the common one, all TPCs enabled, typical Gaudi clock rates. */
static void fill_identity(struct eg *g, struct hlsim_trace_device *d)
{
	trc_gen_fill_identity(&g->x, d);
	d->tpc_enabled_mask = 0xFF;
	if (trc_gen_tpc_count(&g->x) > 8) /* Gaudi2: the 24 user TPCs in the 64-bit mask */
		d->tpc_enabled_mask_ext = (1ull << trc_gen_tpc_count(&g->x)) - 1;
	d->cur_clk_rate_mhz = 1950;
	d->max_clk_rate_mhz = 2200;
}

/* Partition the points, place programs, the ISA region and the tensors. */
static hlsim_err_t plan(struct eg *g)
{
	uint64_t n = g->points, T = g->o->tpcs, addr, prog_bytes, end;
	uint32_t t;

	for (t = 0; t < T; t++) {
		g->vcount[t] = n / T + (t < n % T);
		g->vbase[t] = t ? g->vbase[t - 1] + g->vcount[t - 1] : 0;
	}
	/* programs: upper bound of one TPC program, 128-byte aligned, then its CP_DMA CB */
	g->prog_base = g->x.p->dram_base;
	prog_bytes = (uint64_t)T *
		     (trc_gen_align_up(4 * 8 + 8 + 16 + 8 + g->l->desc_bytes + 4 * 8, 128) + 128);
	g->isa_addr = trc_gen_align_up(g->prog_base + prog_bytes, g->l->kernel_align_bytes);
	addr = trc_gen_align_up(g->isa_addr + g->l->kernel_align_bytes, TENSOR_ALIGN_BYTES);
	for (t = 0; t < 3; t++) {
		g->hbm[t] = addr;
		addr += trc_gen_align_up(g->tensor_bytes, TENSOR_ALIGN_BYTES);
	}
	end = g->x.p->dram_base + g->x.p->dram_size_bytes;
	if (addr > end)
		return hlsim_error(HLSIM_E_USAGE,
				   "--elements %" PRIu64 ": three %s tensors of %" PRIu64
				   " bytes do not fit the %" PRIu64 " bytes of user HBM",
				   g->o->elements, g->o->dtype, g->tensor_bytes,
				   g->x.p->dram_size_bytes);
	g->host_prog = g->x.p->host_va_base;
	for (t = 0; t < 3; t++)
		g->host[t] = g->x.p->host_va_base + (t + 1) * HOST_REGION_BYTES;
	return HLSIM_OK;
}

/* ====} */

/* {==== the trace ==== */

/* Build every TPC program and its CP_DMA CB, and record both as memory images. */
static hlsim_err_t layout_programs(struct eg *g, struct trc_gen_cb *cb, uint64_t *prog_bytes)
{
	uint64_t addr = g->prog_base, blob;
	uint32_t t;
	hlsim_err_t rc = HLSIM_OK;

	for (t = 0; !rc && t < g->o->tpcs; t++) {
		rc = build_tpc(g, t, cb);
		if (!rc)
			rc = trc_gen_add_image(g->w, addr, cb, &blob);
		if (rc)
			break;
		g->st.packets += cb->packets;
		cb->packets = 0;
		g->lower_addr[t] = addr;
		g->lower_size[t] = (uint32_t)cb->len;
		addr += trc_gen_align_up(cb->len, 128);
		/* the queue's own CB: one CP_DMA to the lower-CP program */
		cb->len = 0;
		rc = trc_gen_cb_call(&g->x, cb, g->lower_addr[t], g->lower_size[t]);
		if (!rc)
			rc = trc_gen_add_image(g->w, addr, cb, &blob);
		if (rc)
			break;
		g->st.packets += cb->packets;
		cb->packets = 0;
		g->upper_addr[t] = addr;
		g->upper_blob[t] = blob;
		g->upper_size[t] = (uint32_t)cb->len;
		addr += 128;
	}
	*prog_bytes = addr - g->prog_base;
	if (!rc && g->prog_base + *prog_bytes > g->isa_addr)
		rc = hlsim_error(HLSIM_E_INVAL, "gen elementwise: programs overlap the ISA region");
	return rc;
}

static hlsim_err_t add_annotation(struct eg *g, uint64_t seq, uint32_t qid, const char *key,
				  const char *value)
{
	struct hlsim_trace_annotation a;

	memset(&a, 0, sizeof(a));
	a.cs_seq = seq;
	a.queue_id = qid;
	snprintf(a.key, sizeof(a.key), "%s", key);
	snprintf(a.value, sizeof(a.value), "%s", value);
	return hlsim_trace_add_annotation(g->w, 0, &a);
}

/* The kernel annotations of TPC @t in CS @seq, queue @qid. */
static hlsim_err_t annotate(struct eg *g, uint64_t seq, uint32_t qid, uint32_t t)
{
	uint64_t lo = g->vbase[t] * g->vec, hi = (g->vbase[t] + g->vcount[t]) * g->vec;
	uint64_t e = (hi < g->o->elements ? hi : g->o->elements) - lo;
	uint64_t flops = e * g->o->flops_per_element;
	char v[160];
	hlsim_err_t rc;

	snprintf(v, sizeof(v), "kernel=%s flops=%" PRIu64 " bytes=%" PRIu64, g->kernel, flops,
		 3 * e * g->elem_bytes);
	rc = add_annotation(g, seq, qid, "kernel_name", g->kernel);
	if (!rc)
		rc = add_annotation(g, seq, qid, "cost_hint", v);
	g->st.flops += flops;
	g->st.vectors += g->vcount[t];
	g->st.kernels++;
	return rc;
}

static hlsim_err_t write_trace(struct eg *g)
{
	struct hlsim_trace_device dev;
	struct hlsim_trace_job jobs[TRC_GEN_EW_MAX_TPCS + 2];
	struct hlsim_trace_cs cs;
	struct hlsim_trace_wait wt;
	struct trc_gen_cb cbuf = { 0 }, *cb = &cbuf;
	uint64_t prog_bytes = 0;
	uint32_t dev_id, t, n = 0;
	hlsim_err_t rc;

	fill_identity(g, &dev);
	rc = hlsim_trace_add_device(g->w, &dev, &dev_id);
	if (!rc)
		rc = layout_programs(g, cb, &prog_bytes);
	if (rc)
		goto out;
	rc = trc_gen_add_host_map(g->w, g->host_prog, 0x7f0000000000ull, prog_bytes);
	for (t = 0; !rc && t < 3; t++)
		rc = trc_gen_add_host_map(g->w, g->host[t], 0x7f0100000000ull + t * (1ull << 36),
					  g->tensor_bytes);
	if (rc)
		goto out;

	/* CS 0 (seq 1): download the programs */
	rc = trc_gen_add_download_cs(&g->x, g->w, cb, g->host_prog, g->prog_base, prog_bytes,
				     queue_id(g, MDL_ENGINE_DMA, 0, 0), IOCTL_NS);
	if (rc)
		goto out;
	g->st.packets += cb->packets;
	cb->packets = 0;
	memset(jobs, 0, sizeof(jobs));

	/* the program waits for the download before it submits the kernel */
	wt = (struct hlsim_trace_wait){ .seq = 1,
					.timeout_us = 1000000,
					.enter_ns = CS_GAP_NS - 1000,
					.exit_ns = CS_GAP_NS - 500 };
	rc = hlsim_trace_add_wait(g->w, 0, &wt);
	if (rc)
		goto out;

	/* CS 1 (seq 2): DMA down, the TPC jobs, DMA up */
	rc = build_down(g, cb);
	if (!rc)
		rc = trc_gen_add_job(g->w, cb, 0x1000000000001000ull,
				     queue_id(g, MDL_ENGINE_DMA, 0, 0), &jobs[n++]);
	if (rc)
		goto out;
	g->st.packets += cb->packets;
	cb->packets = 0;
	for (t = 0; t < g->o->tpcs; t++) {
		uint32_t qid = queue_id(g, MDL_ENGINE_TPC, t, 0);

		jobs[n++] = (struct hlsim_trace_job){ .cb_handle = g->upper_addr[t],
						      .blob_id = g->upper_blob[t],
						      .queue_id = qid,
						      .cb_size = g->upper_size[t],
						      .phase = HLSIM_PHASE_EXECUTE };
		rc = annotate(g, 2, qid, t);
		if (rc)
			goto out;
	}
	rc = build_up(g, cb);
	if (!rc)
		rc = trc_gen_add_job(g->w, cb, 0x1000000000002000ull,
				     queue_id(g, MDL_ENGINE_DMA, 1, 0), &jobs[n++]);
	if (rc)
		goto out;
	g->st.packets += cb->packets;
	cb->packets = 0;
	cs = (struct hlsim_trace_cs){ .seq = 2,
				      .submit_ns = CS_GAP_NS,
				      .return_ns = CS_GAP_NS + IOCTL_NS };
	rc = hlsim_trace_add_cs(g->w, 0, &cs, jobs, n);
	if (rc)
		goto out;
	wt = (struct hlsim_trace_wait){ .seq = 2,
					.timeout_us = 1000000,
					.enter_ns = 2 * CS_GAP_NS,
					.exit_ns = 2 * CS_GAP_NS + 500 };
	rc = hlsim_trace_add_wait(g->w, 0, &wt);
out:
	trc_gen_cb_free(cb);
	return rc;
}

/* {==== SRAM staging ==== */

#define STAGE_DEFAULT_CHUNKS 8 /* see "Chunk size" at the top */
/*
 * Host time of each chunk CS's submit ioctl; the next is submitted when it returns [I:
 * synthetic, like IOCTL_NS; shorter so the host does not pace a pipeline of small chunks].
 */
#define STAGE_IOCTL_NS 1000
#define STAGE_SOB_MAX 32767u /* SOB values are 15 bits [C] Gaudi sync manager */
#define MON_IN 0
#define MON_OUT 1
#define MON_FIN 2
#define MON_TPC0 3

/* Chunk size, SRAM buffers and the two internal DMA queues of --stage sram. */
static hlsim_err_t plan_stage(struct eg *g)
{
	const struct mdl_asic_props *p = g->x.p;
	uint64_t whole = trc_gen_align_up(g->tensor_bytes, TPC_VECTOR_BYTES), cb, sram_max;
	uint64_t launches = 0, k, per_chunk = g->o->tpcs;
	uint32_t e, found = 0, slot, i;

	sram_max = p->sram_size_bytes / 6 / TPC_VECTOR_BYTES * TPC_VECTOR_BYTES;
	cb = g->o->chunk_bytes;
	if (cb) {
		if (cb % TPC_VECTOR_BYTES)
			return hlsim_error(HLSIM_E_USAGE,
					   "--chunk-bytes %" PRIu64 ": expected a multiple of %u "
					   "(one TPC vector)",
					   cb, TPC_VECTOR_BYTES);
	} else {
		cb = trc_gen_align_up((g->tensor_bytes + STAGE_DEFAULT_CHUNKS - 1) /
					      STAGE_DEFAULT_CHUNKS,
				      TPC_VECTOR_BYTES);
		if (cb > sram_max && sram_max)
			cb = sram_max;
	}
	if (cb > whole)
		cb = whole;
	if (6 * cb > p->sram_size_bytes)
		return hlsim_error(HLSIM_E_USAGE,
				   "--stage sram: two %" PRIu64 "-byte chunk buffers for each of "
				   "A, B and C (%" PRIu64 " bytes) do not fit the %" PRIu64
				   " bytes of %s user SRAM; use --chunk-bytes %" PRIu64
				   " or less",
				   cb, 6 * cb, p->sram_size_bytes, p->asic_name, sram_max);
	g->chunk_bytes = cb;
	k = (g->tensor_bytes + cb - 1) / cb;
	/* L(n - 1): full chunks use min(T, vectors per chunk) TPCs, the last its own */
	if (per_chunk > cb / TPC_VECTOR_BYTES)
		per_chunk = cb / TPC_VECTOR_BYTES;
	if (k > STAGE_SOB_MAX)
		return hlsim_error(HLSIM_E_USAGE,
				   "--chunk-bytes %" PRIu64 ": %" PRIu64 " chunks; at most %u "
				   "(the 15-bit sync objects count them)",
				   cb, k, STAGE_SOB_MAX);
	launches = (k - 1) * per_chunk;
	{
		uint64_t last = g->tensor_bytes - (k - 1) * cb;
		uint64_t lv = (last + TPC_VECTOR_BYTES - 1) / TPC_VECTOR_BYTES;

		launches += lv < g->o->tpcs ? lv : g->o->tpcs;
	}
	if (launches > STAGE_SOB_MAX)
		return hlsim_error(HLSIM_E_USAGE,
				   "--chunk-bytes %" PRIu64 ": %" PRIu64
				   " TPC launches over %" PRIu64 " chunks; at most %u (the "
				   "15-bit sync object counting them); use larger chunks or "
				   "fewer TPCs",
				   cb, launches, k, STAGE_SOB_MAX);
	g->nchunks = (uint32_t)k;
	for (slot = 0; slot < 2; slot++)
		for (i = 0; i < 3; i++)
			g->sram_buf[slot][i] = p->sram_base + (slot * 3 + i) * cb;
	/* the internal DMA engines, as gen_ops.c picks them: the first two */
	g->q_in = g->q_out = UINT32_MAX;
	for (e = 0; e < p->engines_per_class[MDL_ENGINE_DMA] && found < 2; e++) {
		uint32_t q = queue_id(g, MDL_ENGINE_DMA, e, 0);
		const struct mdl_queue_info *qi = q == UINT32_MAX ? NULL : g->x.f->queue_info(q);

		/* Gaudi: its internal queues; Gaudi2 (all H/W queues): the EDMAs, engines >= 2 */
		if (qi && (qi->kind == MDL_QUEUE_INT || (qi->kind == MDL_QUEUE_HW && e >= 2))) {
			if (found++)
				g->q_out = q;
			else
				g->q_in = q;
		}
	}
	if (g->q_out == UINT32_MAX)
		return hlsim_error(HLSIM_E_UNSUPPORTED,
				   "--stage sram: %s has fewer than two internal DMA queues",
				   p->asic_name);
	if (MON_TPC0 + g->o->tpcs > p->mons_per_block || g->sob_h + 3 >= p->sobs_per_block)
		return hlsim_error(HLSIM_E_UNSUPPORTED,
				   "--stage sram: %s's sync manager lacks the %u monitors or "
				   "4 SOBs this trace uses",
				   p->asic_name, MON_TPC0 + g->o->tpcs);
	return HLSIM_OK;
}

/* Arm monitor @mon of queue @qid on "SOB @sob >= @target" and FENCE on it (upper CP). */
static hlsim_err_t stage_wait(struct eg *g, struct trc_gen_cb *cb, uint32_t qid, uint32_t mon,
			      uint32_t sob, uint64_t target)
{
	uint32_t qman = g->x.f->qman_of_queue(qid);
	hlsim_err_t rc;

	rc = trc_gen_arm_monitor(&g->x, cb, qman, TRC_GEN_MSG_ANY_BASE, mon, sob,
				 (uint32_t)target, 0);
	if (!rc)
		rc = trc_gen_fence0(&g->x, cb);
	return rc;
}

/* Add @cb as a job of handle @handle on @qid to @jobs[*n], count its packets. */
static hlsim_err_t stage_job(struct eg *g, struct trc_gen_cb *cb, uint64_t handle, uint32_t qid,
			     struct hlsim_trace_job *jobs, uint32_t *n)
{
	hlsim_err_t rc = trc_gen_add_job(g->w, cb, handle, qid, &jobs[*n]);

	if (!rc) {
		(*n)++;
		g->st.packets += cb->packets;
		cb->packets = 0;
	}
	cb->len = 0;
	return rc;
}

/* The TPC jobs of chunk @k, @bytes of each tensor; *@launches: L(k - 1) in, L(k) out. */
static hlsim_err_t stage_compute(struct eg *g, struct trc_gen_cb *cb, uint32_t k, uint64_t bytes,
				 uint64_t *launches, struct hlsim_trace_job *jobs, uint32_t *n)
{
	uint64_t elems = bytes / g->elem_bytes, vecs = (elems + g->vec - 1) / g->vec, v0 = 0;
	uint32_t T = (uint32_t)(vecs < g->o->tpcs ? vecs : g->o->tpcs), t, slot = k % 2;
	struct hlsim_trace_annotation hint;
	struct trc_gen_tpc_kernel kn;
	hlsim_err_t rc = HLSIM_OK;

	for (t = 0; !rc && t < T; t++) {
		uint64_t vc = vecs / T + (t < vecs % T), e0 = v0 * g->vec;
		uint64_t e1 = (v0 + vc) * g->vec < elems ? (v0 + vc) * g->vec : elems;
		uint32_t qid = queue_id(g, MDL_ENGINE_TPC, t, 0);

		memset(&kn, 0, sizeof(kn));
		kn.name = g->kernel;
		kn.dtype = g->o->dtype;
		kn.elements = e1 - e0;
		kn.num_inputs = 2;
		kn.in_addr[0] = g->sram_buf[slot][0] + e0 * g->elem_bytes;
		kn.in_addr[1] = g->sram_buf[slot][1] + e0 * g->elem_bytes;
		kn.out_addr = g->sram_buf[slot][2] + e0 * g->elem_bytes;
		kn.flops_per_element = g->o->flops_per_element;
		kn.done_sob = g->sob_comp;
		rc = stage_wait(g, cb, qid, MON_TPC0 + t, g->sob_in, k + 1);
		if (!rc && k >= 2)
			rc = stage_wait(g, cb, qid, MON_TPC0 + t, g->sob_out, k - 1);
		if (!rc)
			rc = trc_gen_tpc_launch(&g->x, cb, t, &kn, &hint);
		if (!rc)
			rc = trc_gen_tpc_add_annotations(g->w, 0, 2 + k, &hint);
		if (!rc)
			rc = stage_job(g, cb, 0x2000000000000000ull | (uint64_t)k << 16 | t, qid,
				       jobs, n);
		g->st.flops += kn.elements * kn.flops_per_element;
		g->st.vectors += vc;
		g->st.kernels++;
		v0 += vc;
	}
	*launches += T;
	return rc;
}

/* The trace of --stage sram (see "SRAM staging" at the top). */
static hlsim_err_t write_staged(struct eg *g)
{
	struct hlsim_trace_device dev;
	struct hlsim_trace_job jobs[TRC_GEN_EW_MAX_TPCS + 3];
	struct hlsim_trace_cs cs;
	struct hlsim_trace_wait wt;
	struct trc_gen_cb cbuf = { 0 }, *cb = &cbuf;
	uint64_t launches = 0, hist[2] = { 0, 0 }, off, bytes;
	uint32_t dev_id, t, k, n, qfin = queue_id(g, MDL_ENGINE_DMA, 1, 0);
	uint32_t qfin_qman = g->x.f->qman_of_queue(qfin), sobs[4];
	uint8_t blk = g->x.sm_block;
	hlsim_err_t rc;

	fill_identity(g, &dev);
	rc = hlsim_trace_add_device(g->w, &dev, &dev_id);
	for (t = 0; !rc && t < 3; t++)
		rc = trc_gen_add_host_map(g->w, g->host[t], 0x7f0100000000ull + t * (1ull << 36),
					  g->tensor_bytes);
	if (rc)
		goto out;

	/* CS seq 1: A and B host -> HBM, done -> SOB H */
	n = 0;
	rc = trc_gen_set_wr_comp(&g->x, cb, g->sob_h);
	if (!rc)
		rc = copy(g, cb, g->host[0], g->hbm[0], g->tensor_bytes, 0);
	if (!rc)
		rc = copy(g, cb, g->host[1], g->hbm[1], g->tensor_bytes, 1);
	if (!rc)
		rc = stage_job(g, cb, 0x1000000000001000ull, queue_id(g, MDL_ENGINE_DMA, 0, 0),
			       jobs, &n);
	if (rc)
		goto out;
	cs = (struct hlsim_trace_cs){ .seq = 1, .submit_ns = 0, .return_ns = IOCTL_NS };
	rc = hlsim_trace_add_cs(g->w, 0, &cs, jobs, n);
	if (rc)
		goto out;

	/* CS seq 2 + k: chunk k */
	for (k = 0; !rc && k < g->nchunks; k++) {
		uint32_t slot = k % 2;

		off = (uint64_t)k * g->chunk_bytes;
		bytes = g->tensor_bytes - off < g->chunk_bytes ? g->tensor_bytes - off :
								 g->chunk_bytes;
		n = 0;
		/* IN_k */
		if (k == 0)
			rc = stage_wait(g, cb, g->q_in, MON_IN, g->sob_h, 1);
		else if (k >= 2)
			rc = stage_wait(g, cb, g->q_in, MON_IN, g->sob_comp, hist[slot]);
		if (!rc)
			rc = trc_gen_set_wr_comp(&g->x, cb, g->sob_in);
		if (!rc)
			rc = trc_gen_lin_dma(&g->x, cb, g->hbm[0] + off, g->sram_buf[slot][0],
					     bytes, 0);
		if (!rc)
			rc = trc_gen_lin_dma(&g->x, cb, g->hbm[1] + off, g->sram_buf[slot][1],
					     bytes, 1);
		if (!rc)
			rc = stage_job(g, cb, 0x3000000000000000ull | (uint64_t)k << 16, g->q_in,
				       jobs, &n);
		/* COMP_k */
		if (!rc)
			rc = stage_compute(g, cb, k, bytes, &launches, jobs, &n);
		hist[slot] = launches; /* L(k), which IN_{k+2} waits for */
		/* OUT_k */
		if (!rc)
			rc = stage_wait(g, cb, g->q_out, MON_OUT, g->sob_comp, launches);
		if (!rc)
			rc = trc_gen_set_wr_comp(&g->x, cb, g->sob_out);
		if (!rc)
			rc = trc_gen_lin_dma(&g->x, cb, g->sram_buf[slot][2], g->hbm[2] + off,
					     bytes, 1);
		if (!rc)
			rc = stage_job(g, cb, 0x4000000000000000ull | (uint64_t)k << 16, g->q_out,
				       jobs, &n);
		/* the last chunk's CS: C HBM -> host, the SOBs back to 0 */
		if (!rc && k + 1 == g->nchunks) {
			sobs[0] = g->sob_h;
			sobs[1] = g->sob_in;
			sobs[2] = g->sob_comp;
			sobs[3] = g->sob_out;
			rc = stage_wait(g, cb, qfin, MON_FIN, g->sob_out, g->nchunks);
			if (!rc)
				rc = copy(g, cb, g->hbm[2], g->host[2], g->tensor_bytes, 0);
			for (t = 0; !rc && t < 4; t++)
				rc = trc_gen_msg(&g->x, cb, qfin_qman, TRC_GEN_MSG_ANY_BASE,
						 g->x.f->sob_addr(blk, sobs[t]),
						 g->x.f->sob_value_encode(0, 0), t == 3);
			if (!rc)
				rc = stage_job(g, cb, 0x1000000000002000ull, qfin, jobs, &n);
		}
		if (rc)
			break;
		cs = (struct hlsim_trace_cs){ .seq = 2 + k,
					      .submit_ns = IOCTL_NS + (int64_t)k * STAGE_IOCTL_NS,
					      .return_ns = IOCTL_NS +
							   (int64_t)(k + 1) * STAGE_IOCTL_NS };
		rc = hlsim_trace_add_cs(g->w, 0, &cs, jobs, n);
	}
	if (rc)
		goto out;
	wt = (struct hlsim_trace_wait){ .seq = 1 + g->nchunks,
					.timeout_us = 1000000,
					.enter_ns = IOCTL_NS + (int64_t)g->nchunks * STAGE_IOCTL_NS,
					.exit_ns = IOCTL_NS + (int64_t)g->nchunks * STAGE_IOCTL_NS +
						   500 };
	rc = hlsim_trace_add_wait(g->w, 0, &wt);
	g->st.chunks = g->nchunks;
	g->st.chunk_bytes = g->chunk_bytes;
out:
	trc_gen_cb_free(cb);
	return rc;
}

/* ====} */

hlsim_err_t trc_gen_elementwise(const struct trc_gen_elementwise_opts *o, const char *path,
				const char *cmdline, struct trc_gen_elementwise_stats *stats)
{
	struct eg *g;
	uint32_t b, t;
	int missing;
	hlsim_err_t rc, crc;

	if (!o || !path)
		return hlsim_error(HLSIM_E_INVAL, "gen elementwise: NULL options or path");
	g = calloc(1, sizeof(*g));
	if (!g)
		return hlsim_error(HLSIM_E_NOMEM, "gen elementwise");
	g->o = o;
	rc = trc_gen_ctx_init(&g->x, o->asic ? o->asic : "", "gen elementwise");
	if (rc)
		goto out;
	g->l = trc_gen_tpc_layout(&g->x);
	if (!g->l) {
		rc = hlsim_error(HLSIM_E_UNSUPPORTED,
				 "gen elementwise: %s has no TPC layout this generator can write",
				 g->x.p->asic_name);
		goto out;
	}
	rc = check_opts(g);
	if (rc)
		goto out;
	if (o->stage && !strcmp(o->stage, "sram")) {
		g->staged = 1;
	} else if (o->stage && strcmp(o->stage, "hbm")) {
		rc = hlsim_error(HLSIM_E_USAGE, "--stage %s: expected hbm or sram", o->stage);
		goto out;
	} else if (o->chunk_bytes) {
		rc = hlsim_error(HLSIM_E_USAGE, "--chunk-bytes: only with --stage sram");
		goto out;
	}
	/* Gaudi: the E_N sync manager; Gaudi2: DCORE0's, which CP_MSG_BASE0/1 point at */
	b = trc_gen_sm_block_by_name(&g->x, "E_N");
	g->sob_a = b == UINT32_MAX ? SOB_FIRST_OTHER : SOB_FIRST_E_N;
	g->sob_b = g->sob_a + 1;
	if (b == UINT32_MAX && g->x.p->sm_blocks)
		b = 0;
	g->x.sm_block = (uint8_t)b;
	missing = b == UINT32_MAX || g->sob_b >= g->x.p->sobs_per_block ||
		  g->o->tpcs >= g->x.p->mons_per_block ||
		  queue_id(g, MDL_ENGINE_DMA, 0, 0) == UINT32_MAX ||
		  queue_id(g, MDL_ENGINE_DMA, 1, 0) == UINT32_MAX;
	for (t = 0; t < o->tpcs; t++)
		missing |= queue_id(g, MDL_ENGINE_TPC, t, 0) == UINT32_MAX;
	if (missing) {
		rc = hlsim_error(HLSIM_E_UNSUPPORTED,
				 "gen elementwise: %s lacks the sync manager, DMA_0_0, DMA_1_0 "
				 "or a TPC_t_0 queue this trace uses",
				 g->x.p->asic_name);
		goto out;
	}
	if (o->flops_per_element == 1)
		snprintf(g->kernel, sizeof(g->kernel), "add_%s", o->dtype);
	else
		snprintf(g->kernel, sizeof(g->kernel), "eltwise%" PRIu64 "_%s",
			 o->flops_per_element, o->dtype);
	rc = plan(g);
	if (rc)
		goto out;
	if (g->staged) {
		g->sob_h = g->sob_a;
		g->sob_in = g->sob_a + 1;
		g->sob_comp = g->sob_a + 2;
		g->sob_out = g->sob_a + 3;
		rc = plan_stage(g);
		if (!rc && g->hbm[2] + g->tensor_bytes > trc_gen_tpc_isa_addr(&g->x))
			rc = hlsim_error(HLSIM_E_USAGE,
					 "--elements %" PRIu64 ": three tensors of %" PRIu64
					 " bytes reach the TPC kernel page at the top of HBM",
					 o->elements, g->tensor_bytes);
		if (rc)
			goto out;
	}
	rc = hlsim_trace_create(path, cmdline ? cmdline : "hlsim gen elementwise", &g->w);
	if (rc)
		goto out;
	rc = g->staged ? write_staged(g) : write_trace(g);
	crc = hlsim_trace_writer_close(g->w);
	if (!rc)
		rc = crc;
	if (!rc && stats)
		*stats = g->st;
out:
	free(g);
	return rc;
}

/* ====} */

/* {==== the command ==== */

static void usage(FILE *o)
{
	fprintf(o, "usage: hlsim gen elementwise [options] -o TRACE\n\n"
		   "A synthetic Gaudi or Gaudi2 trace of one element-wise TPC kernel C = A op B:\n"
		   "a download CS, then a CS with a DMA-down job (A and B host -> HBM), one job\n"
		   "per TPC that fences on it and launches the kernel on its share of the index\n"
		   "space (one point per 256-byte vector, split evenly), and a DMA-up job (C ->\n"
		   "host) fenced on every TPC's completion. Each launch carries kernel_name and\n"
		   "cost_hint annotations. Options:\n"
		   "  --elements E            elements per tensor, suffixes K/M/G (default 1M)\n"
		   "  --dtype T               bf16 (default), fp32, int8 or another TPC data type\n"
		   "  --flops-per-element F   operations per element (default 1: an add)\n"
		   "  --tpcs T                TPCs used (default 8): 1..8 gaudi, 1..24 gaudi2\n"
		   "  --asic NAME             gaudi (default) or gaudi2\n"
		   "  --stage hbm|sram        where the TPCs find their operands: hbm (default)\n"
		   "                          or sram: chunks copied HBM -> SRAM and back by two\n"
		   "                          internal DMA queues, double buffered, overlapped\n"
		   "                          with the compute of the previous chunk\n"
		   "  --chunk-bytes B         with --stage sram: bytes per tensor per chunk, a\n"
		   "                          multiple of 256 (default: about 1/8 of a tensor,\n"
		   "                          at most 1/6 of the user SRAM)\n"
		   "  -o TRACE                output file (required)\n");
}

/* A decimal or 0x number with an optional binary suffix K, M, G, KiB, MiB, GiB. */
static int parse_count(const char *s, uint64_t *out)
{
	static const struct {
		const char *sfx;
		uint64_t mul;
	} sfx[] = { { "", 1 },
		    { "K", 1ull << 10 },
		    { "KiB", 1ull << 10 },
		    { "M", 1ull << 20 },
		    { "MiB", 1ull << 20 },
		    { "G", 1ull << 30 },
		    { "GiB", 1ull << 30 } };
	uint64_t v = 0;
	unsigned base = 10, d;
	size_t i;

	if (!s || !*s)
		return -1;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && s[2]) {
		base = 16;
		s += 2;
	}
	for (i = 0; s[i]; i++) {
		char c = s[i];

		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			break;
		if (v > (UINT64_MAX - d) / base)
			return -1;
		v = v * base + d;
	}
	if (!i)
		return -1;
	for (d = 0; d < sizeof(sfx) / sizeof(sfx[0]); d++) {
		if (!strcmp(s + i, sfx[d].sfx)) {
			if (v > UINT64_MAX / sfx[d].mul)
				return -1;
			*out = v * sfx[d].mul;
			return 0;
		}
	}
	return -1;
}

int trc_gen_elementwise_main(int argc, char **argv)
{
	struct trc_gen_elementwise_opts o;
	struct trc_gen_elementwise_stats st;
	const char *out = NULL, *d;
	char cmdline[1024];
	struct timespec t0, t1;
	uint64_t v;
	hlsim_err_t rc;
	int i;

	trc_gen_elementwise_defaults(&o);
	trc_gen_cmdline(argc, argv, cmdline, sizeof(cmdline));
	/* every option but --help takes one value */
	for (i = 1; i < argc; i += 2) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "-o") && val) {
			out = val;
		} else if (!strcmp(a, "--asic") && val) {
			o.asic = val;
		} else if (!strcmp(a, "--dtype") && val) {
			o.dtype = val;
		} else if (!strcmp(a, "--stage") && val) {
			o.stage = val;
		} else if (!strcmp(a, "--chunk-bytes") && val) {
			if (parse_count(val, &o.chunk_bytes) || !o.chunk_bytes) {
				fprintf(stderr,
					"hlsim gen elementwise: --chunk-bytes '%s': expected a "
					"positive number\n",
					val);
				return 2;
			}
		} else if ((!strcmp(a, "--elements") || !strcmp(a, "--flops-per-element") ||
			    !strcmp(a, "--tpcs")) &&
			   val) {
			if (parse_count(val, &v)) {
				fprintf(stderr,
					"hlsim gen elementwise: %s '%s': expected a number\n", a,
					val);
				return 2;
			}
			if (!strcmp(a, "--elements"))
				o.elements = v;
			else if (!strcmp(a, "--flops-per-element"))
				o.flops_per_element = v;
			else
				o.tpcs = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
		} else {
			fprintf(stderr,
				"hlsim gen elementwise: unknown or incomplete option '%s'\n", a);
			usage(stderr);
			return 2;
		}
	}
	if (!out) {
		fprintf(stderr, "hlsim gen elementwise: -o TRACE is required\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = trc_gen_elementwise(&o, out, cmdline, &st);
	if (rc) {
		d = hlsim_last_error_detail();
		fprintf(stderr, "hlsim: gen elementwise: %s\n", d && d[0] ? d : hlsim_strerror(rc));
		return rc == HLSIM_E_USAGE ? 2 : 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (st.chunks)
		printf("hlsim gen elementwise: staged through SRAM in %u chunks of %" PRIu64
		       " bytes per tensor\n",
		       st.chunks, st.chunk_bytes);
	printf("hlsim gen elementwise: wrote %s: %" PRIu64 " packets, %u TPC kernels, %" PRIu64
	       " vectors, %" PRIu64 " FLOPs in %.3f s\n",
	       out, st.packets, st.kernels, st.vectors, st.flops,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9);
	return 0;
}

/* ====} */
