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
 * What is synthetic: host times (5 us per ioctl, 10 us apart), and the kernel's ISA:
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
	rc = hlsim_trace_create(path, cmdline ? cmdline : "hlsim gen elementwise", &g->w);
	if (rc)
		goto out;
	rc = write_trace(g);
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
	printf("hlsim gen elementwise: wrote %s: %" PRIu64 " packets, %u TPC kernels, %" PRIu64
	       " vectors, %" PRIu64 " FLOPs in %.3f s\n",
	       out, st.packets, st.kernels, st.vectors, st.flops,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9);
	return 0;
}

/* ====} */
