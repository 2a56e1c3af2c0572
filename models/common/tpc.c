/*
 * models/common/tpc.c - the TPC timing model: what one kernel launch costs.
 *
 * What is modelled. At the write to TPC_EXECUTE the model reads the descriptor the
 * runtime wrote into the TPC CFG block (GAUDI-FACTS.md §3.5) through the ASIC's
 * struct mdl_tpc_layout:
 *
 * - Tensors. A tensor slot is in use when its base address and its valid_dim_mask are
 *   both non-zero. Its data type (tensor_config.data_type, through the layout's code
 *   table), sizes (elements) and strides (elements [C the graph compiler writes
 *   element strides]) give its shape. A valid dimension of size 0 is an error.
 * - Index space. The partition this TPC executes is tid_base_dim_k .. + tid_size_dim_k
 *   for k = 0..4 (a base the layout marks absent, tid_base_absent_mask, is 0). Its
 *   points are the product of the sizes over the used dimensions:
 *   dimensions 0..K where K is the highest dimension with a non-zero size; sizes of 0
 *   above K are dimensions beyond the kernel's index-space rank, which the graph
 *   compiler leaves 0 [C], and count as 1. A zero size at or below K means the
 *   partition has no work: HLSIM_E_SIM.
 * - [I] Mapping of index points to elements, the TPC programming model's convention
 *   for element-wise kernels: a point processes one SIMD vector (tpc.vector_bytes, 256
 *   bytes) of the first used tensor's data type along dimension 0, i.e. elements
 *   [b0 * V, (b0 + 1) * V) of dim 0 with V = vector_bytes / element size, and one
 *   element along each other dimension. Every tensor is accessed at the same element
 *   coordinates.
 * - Out-of-bounds accesses: reads return the padding value and writes are dropped
 *   [C DOC-TPC], so they move no bytes. A partition therefore touches, per tensor,
 *   the elements of its coordinate box that lie inside the tensor, counted per valid
 *   dimension (a dimension outside valid_dim_mask is not bounds-checked [I from the
 *   graph compiler, which programs such dimensions with size 1 and stride 0 "to ignore
 *   them"]), capped at the whole tensor. For a partition of whole vectors inside the
 *   tensor this is points x V x element size; for the partition that covers the whole
 *   tensor it is the tensor; only a partial last vector makes it smaller.
 * - [I] Inputs and outputs are not in the descriptor. Convention: the last tensor in
 *   use is the output (written), all others are inputs (read); the runtime lists a
 *   kernel's inputs, then its outputs [C graph compiler generateTpcDescriptors], so
 *   this holds for every kernel with one output and no auxiliary tensors.
 *   hlsim's generators follow it.
 * - access_bytes: the contiguous bytes of one access, the tensor's in-bounds run along
 *   dimension 0 when dim_0_stride is 1 element (else one element), reported up to
 *   tpc.min_access_bytes (256 [M]: HBM accesses from a TPC below 256 bytes waste
 *   bandwidth), so the simulator can charge short accesses.
 *
 * Equations (cycles of tpc.clock):
 *   compute = launch_overhead_cycles + pipeline_latency_cycles + body
 *   body    = ceil(points x cycles_per_vector)                       (default)
 *           = ceil(hint.cycles_per_element x elements)               (hint gives it)
 *           = ceil(hint.flops / (2 x V))                             (hint gives FLOPs only)
 *   flops   = hint.flops, else elements x flops_per_element
 * where elements = the first tensor's in-bounds elements. [I] cycles_per_vector
 * defaults to 1: the VLIW4 core issues a vector load, a vector op and a vector store
 * in one bundle, and the 4-cycle latency is hidden by software pipelining except once
 * per launch (pipeline_latency_cycles). A cost hint with bytes replaces the
 * descriptor's byte total, split over the tensors in proportion to their own bytes.
 *
 * Completion: the TPC writes qm_sync_object.message to the address whose bits 31:0
 * are qm_sync_object.addr and bits 63:32 SM_BASE_ADDRESS_HIGH (the driver's init value
 * when the trace never wrote it) [C]; no completion when the address register is 0.
 *
 * Not modelled: the kernel's instructions (costs come from the descriptor and the cost
 * hint), caches, the local memories, lookup tables, rate limiters.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "models/common/engine.h"
#include "models/common/tpc.h"

/* ==== parameters ==== */

hlsim_err_t mdl_tpc_cfg_load(const hlsim_config_t *cfg, struct mdl_tpc_cfg *out)
{
	struct mdl_tpc_cfg c;

	if (!cfg || !out)
		return hlsim_error(HLSIM_E_INVAL, "TPC parameters: NULL argument");
	c.clock_hz = hlsim_config_f64(cfg, "tpc.clock");
	c.cycles_per_vector = hlsim_config_f64(cfg, "tpc.cycles_per_vector");
	c.pipeline_latency_cycles = hlsim_config_u64(cfg, "tpc.pipeline_latency_cycles");
	c.launch_overhead_cycles = hlsim_config_u64(cfg, "tpc.launch_overhead_cycles");
	c.vector_bytes = hlsim_config_u64(cfg, "tpc.vector_bytes");
	c.min_access_bytes = hlsim_config_u64(cfg, "tpc.min_access_bytes");
	c.flops_per_element = hlsim_config_u64(cfg, "tpc.flops_per_element");
	if (!(c.cycles_per_vector > 0) || !isfinite(c.cycles_per_vector))
		return hlsim_error(HLSIM_E_CONFIG,
				   "tpc.cycles_per_vector = %g: must be a number greater than 0",
				   c.cycles_per_vector);
	if (!c.vector_bytes || c.vector_bytes % 4 || c.vector_bytes > (1u << 20))
		return hlsim_error(HLSIM_E_CONFIG,
				   "tpc.vector_bytes = %" PRIu64 ": must be a multiple of 4 bytes "
				   "(whole fp32 elements), at most 1MiB",
				   c.vector_bytes);
	if (c.launch_overhead_cycles > (1ull << 40) || c.pipeline_latency_cycles > (1ull << 40))
		return hlsim_error(
			HLSIM_E_CONFIG,
			"tpc.launch_overhead_cycles and tpc.pipeline_latency_cycles must "
			"be at most 2^40 cycles");
	*out = c;
	return HLSIM_OK;
}

/* ==== the model ==== */

static uint32_t reg(const uint32_t *regs, uint32_t offset)
{
	return regs[offset / 4];
}

/* @a * @b into @out; -1 on overflow. */
static int mul_u64(uint64_t a, uint64_t b, uint64_t *out)
{
	if (a && b > UINT64_MAX / a)
		return -1;
	*out = a * b;
	return 0;
}

/* Elements of [lo, lo + n) inside [0, size). */
static uint64_t overlap(uint64_t lo, uint64_t n, uint64_t size)
{
	uint64_t hi = lo + n;

	if (lo >= size)
		return 0;
	return (hi < size ? hi : size) - lo;
}

/**
 * struct tensor - one tensor in use, as the model sees it.
 * @slot: its descriptor index.
 * @dt: its element type.
 * @base: device address of element 0.
 * @valid: valid_dim_mask.
 * @size, @stride: per dimension, in elements.
 * @bytes: bytes this partition moves.
 * @addr: address of the partition's first in-bounds element.
 * @access_bytes: contiguous bytes of one access.
 */
struct tensor {
	uint32_t slot;
	const struct mdl_tpc_dtype *dt;
	uint64_t base;
	uint32_t valid;
	uint32_t size[MDL_TPC_MAX_DIMS], stride[MDL_TPC_MAX_DIMS];
	uint64_t bytes, addr;
	uint32_t access_bytes;
};

/* The index space: per dimension the first point and the number of points. */
struct ispace {
	uint64_t lo[MDL_TPC_MAX_DIMS], n[MDL_TPC_MAX_DIMS];
	uint64_t points;
};

static hlsim_err_t read_ispace(const struct mdl_tpc_layout *l, const uint32_t *regs,
			       struct ispace *is)
{
	uint32_t k, top = l->num_dims;

	for (k = 0; k < l->num_dims; k++)
		if (reg(regs, l->tid_size0 + k * l->tid_pair_bytes))
			top = k;
	if (top == l->num_dims)
		return hlsim_error(HLSIM_E_SIM,
				   "TPC descriptor: every tid_size_dim_k (0x%x..) is 0: the index "
				   "space has no point",
				   l->tid_size0);
	is->points = 1;
	for (k = 0; k < l->num_dims; k++) {
		uint32_t size = reg(regs, l->tid_size0 + k * l->tid_pair_bytes);

		/* a base without a register of its own (layout->tid_base_absent_mask) is 0 */
		is->lo[k] = l->tid_base_absent_mask >> k & 1
				    ? 0
				    : reg(regs, l->tid_base0 + k * l->tid_pair_bytes);
		if (!size && k < top)
			return hlsim_error(HLSIM_E_SIM,
					   "TPC descriptor: tid_size_dim_%u (0x%x) is 0 while "
					   "tid_size_dim_%u is not: the partition has no work",
					   k, l->tid_size0 + k * l->tid_pair_bytes, top);
		is->n[k] = size ? size : 1;
		if (mul_u64(is->points, is->n[k], &is->points))
			return hlsim_error(
				HLSIM_E_SIM,
				"TPC descriptor: the index space has more than 2^64 points");
	}
	return HLSIM_OK;
}

/* Read tensor @slot; *used = 0 if the slot is not in use. */
static hlsim_err_t read_tensor(const struct mdl_tpc_layout *l, const uint32_t *regs, uint32_t slot,
			       struct tensor *t, int *used)
{
	uint32_t off = l->tensor0 + slot * l->tensor_stride_bytes, k, cfg, code;

	*used = 0;
	memset(t, 0, sizeof(*t));
	t->slot = slot;
	t->base = (uint64_t)reg(regs, off + l->t_base_hi) << 32 | reg(regs, off + l->t_base_lo);
	cfg = reg(regs, off + l->t_config);
	t->valid = cfg >> l->cfg_valid_dims_shift & l->cfg_valid_dims_mask;
	if (!t->base || !t->valid)
		return HLSIM_OK;
	code = cfg >> l->cfg_dtype_shift & l->cfg_dtype_mask;
	if (code >= l->num_dtypes || !l->dtypes[code].name || !l->dtypes[code].size_bytes)
		return hlsim_error(HLSIM_E_SIM,
				   "TPC descriptor: tensor %u (tensor_config at 0x%x = 0x%08x): "
				   "data_type %u is not a data type of this ASIC",
				   slot, off + l->t_config, cfg, code);
	t->dt = &l->dtypes[code];
	for (k = 0; k < l->num_dims; k++) {
		t->size[k] = reg(regs, off + l->t_dim0_size + k * l->t_dim_pair_bytes);
		t->stride[k] = reg(regs, off + l->t_dim0_stride + k * l->t_dim_pair_bytes);
		if (t->valid >> k & 1 && !t->size[k])
			return hlsim_error(
				HLSIM_E_SIM,
				"TPC descriptor: tensor %u: dim_%u_size (0x%x) is 0 in a "
				"valid dimension (valid_dim_mask 0x%x)",
				slot, k, off + l->t_dim0_size + k * l->t_dim_pair_bytes, t->valid);
	}
	*used = 1;
	return HLSIM_OK;
}

/*
 * The bytes tensor @t moves for index space @is with @vec elements per point along
 * dim 0, its first byte and its access size; *elements gets the in-bounds elements.
 */
static hlsim_err_t tensor_traffic(const struct mdl_tpc_layout *l, const struct mdl_tpc_cfg *cfg,
				  const struct ispace *is, uint64_t vec, struct tensor *t,
				  uint64_t *elements)
{
	uint64_t whole = 1, inb = 1, off = 0, c0 = 0, run, e = t->dt->size_bytes;
	int off_ovf = 0;
	uint32_t k;

	for (k = 0; k < l->num_dims; k++) {
		uint64_t lo = is->lo[k], n = is->n[k], c, term = 0;
		int valid = t->valid >> k & 1;

		if (k == 0) {
			lo *= vec; /* < 2^32 x 2^20: vector_bytes is at most 1 MiB */
			n *= vec;
		}
		c = valid ? overlap(lo, n, t->size[k]) : n;
		if (k == 0)
			c0 = c;
		if (valid && mul_u64(whole, t->size[k], &whole))
			goto too_big;
		if (mul_u64(inb, c, &inb))
			goto too_big;
		/* the first element's offset matters only if the partition touches the tensor */
		if (mul_u64(lo, t->stride[k], &term) || off + term < off)
			off_ovf = 1;
		off += term;
	}
	if (inb > whole)
		inb = whole;
	*elements = inb;
	if (mul_u64(inb, e, &t->bytes))
		goto too_big;
	if (inb && (off_ovf || mul_u64(off, e, &off) || t->base + off < t->base))
		goto too_big;
	t->addr = inb ? t->base + off : t->base;
	/* c0 * e: c0 <= 2^52 elements of at most a few bytes */
	run = t->valid & 1 && t->stride[0] == 1 && c0 ? c0 * e : e;
	if (run > cfg->min_access_bytes)
		run = cfg->min_access_bytes;
	t->access_bytes = run > UINT32_MAX ? UINT32_MAX : (uint32_t)run;
	return HLSIM_OK;
too_big:
	return hlsim_error(HLSIM_E_SIM,
			   "TPC descriptor: tensor %u: its size, the bytes the partition moves or "
			   "an address overflow 64 bits",
			   t->slot);
}

/* ceil(@x) as cycles; -1 if it is not a finite number below 2^62. */
static int to_cycles(double x, uint64_t *out)
{
	if (!(x >= 0) || x >= 4.6e18)
		return -1;
	*out = (uint64_t)ceil(x);
	return 0;
}

/* Replace the descriptor's byte counts of @n tensors by @total, split in proportion. */
static void apply_hint_bytes(struct tensor *t, uint32_t n, uint64_t total)
{
	uint64_t desc = 0, given = 0;
	uint32_t i;

	for (i = 0; i < n; i++)
		desc = desc + t[i].bytes < desc ? UINT64_MAX : desc + t[i].bytes;
	if (!desc) {
		t[0].bytes = total; /* the partition is out of bounds: charge the first input */
		return;
	}
	for (i = 0; i + 1 < n; i++) {
		/* total * bytes / desc without overflow: bytes <= desc (saturated sum) */
		uint64_t q = total / desc, r = total % desc, b = t[i].bytes;

		t[i].bytes = q * b + (!r || b <= UINT64_MAX / r
					      ? r * b / desc
					      : (uint64_t)((double)r * ((double)b / (double)desc)));
		if (t[i].bytes > total - given)
			t[i].bytes = total - given;
		given += t[i].bytes;
	}
	t[n - 1].bytes = total - given;
}

hlsim_err_t mdl_tpc_work(const struct mdl_tpc_layout *layout, const uint32_t *regs,
			 const struct mdl_tpc_cfg *cfg, const struct mdl_cost_hint *hint,
			 struct mdl_work *out)
{
	struct tensor t[MDL_MAX_TRAFFIC];
	struct ispace is;
	uint64_t vec, elements = 0, el = 0, body, so_hi;
	uint32_t slot, n = 0, i, so_lo;
	int used, have_hint = hint && hint->present;
	hlsim_err_t rc;

	if (!layout || !regs || !cfg || !out)
		return hlsim_error(HLSIM_E_INVAL, "TPC model: NULL argument");
	memset(out, 0, sizeof(*out));
	memset(&is, 0, sizeof(is));
	if (layout->num_tensors > MDL_MAX_TRAFFIC || layout->num_dims > MDL_TPC_MAX_DIMS ||
	    !layout->num_dims)
		return hlsim_error(HLSIM_E_INVAL,
				   "TPC model: the layout declares %u tensors and %u dimensions; "
				   "the model takes at most %d and %d",
				   layout->num_tensors, layout->num_dims, MDL_MAX_TRAFFIC,
				   MDL_TPC_MAX_DIMS);
	rc = read_ispace(layout, regs, &is);
	if (rc)
		return rc;
	for (slot = 0; slot < layout->num_tensors; slot++) {
		rc = read_tensor(layout, regs, slot, &t[n], &used);
		if (rc)
			return rc;
		n += (uint32_t)used;
	}
	if (!n)
		return hlsim_error(HLSIM_E_SIM,
				   "TPC descriptor: no tensor in use (every tensor's base address "
				   "or valid_dim_mask is 0, tensors from 0x%x)",
				   layout->tensor0);
	vec = cfg->vector_bytes / t[0].dt->size_bytes;
	if (!vec)
		return hlsim_error(HLSIM_E_SIM,
				   "TPC model: tpc.vector_bytes %" PRIu64 " holds no %s element",
				   cfg->vector_bytes, t[0].dt->name);
	for (i = 0; i < n; i++) {
		rc = tensor_traffic(layout, cfg, &is, vec, &t[i], &el);
		if (rc)
			return rc;
		if (!i)
			elements = el;
	}

	/* compute */
	if (have_hint && hint->cycles_per_element > 0) {
		if (to_cycles(hint->cycles_per_element * (double)elements, &body))
			goto bad_cycles;
	} else if (have_hint && hint->flops) {
		if (to_cycles((double)hint->flops / (2.0 * (double)vec), &body))
			goto bad_cycles;
	} else if (to_cycles((double)is.points * cfg->cycles_per_vector, &body)) {
		goto bad_cycles;
	}
	out->compute_cycles = cfg->launch_overhead_cycles + cfg->pipeline_latency_cycles + body;
	if (have_hint && hint->flops)
		out->flops = hint->flops;
	else if (mul_u64(elements, cfg->flops_per_element, &out->flops))
		return hlsim_error(HLSIM_E_SIM, "TPC model: the launch's FLOPs overflow 64 bits");

	/* traffic */
	if (have_hint && hint->bytes)
		apply_hint_bytes(t, n, hint->bytes);
	for (i = 0; i < n; i++) {
		struct mdl_traffic *tr = &out->traffic[out->num_traffic];

		if (!t[i].bytes)
			continue;
		tr->addr = t[i].addr;
		tr->bytes = t[i].bytes;
		tr->access_bytes = t[i].access_bytes;
		tr->write = i + 1 == n;
		out->num_traffic++;
	}

	/* completion */
	so_lo = reg(regs, layout->so_addr);
	so_hi = reg(regs, layout->sm_base_high);
	if (!so_hi)
		so_hi = layout->sm_base_high_driver;
	out->has_completion = so_lo != 0;
	if (out->has_completion) {
		out->completion_addr = so_hi << 32 | so_lo;
		out->completion_data = reg(regs, layout->so_message);
	}
	snprintf(out->label, sizeof(out->label), "tpc kernel %u %" PRIu64 " pts %s",
		 reg(regs, layout->kernel_id), is.points, t[0].dt->name);
	return HLSIM_OK;
bad_cycles:
	return hlsim_error(HLSIM_E_SIM,
			   "TPC model: the kernel's compute time (%" PRIu64 " points, %" PRIu64
			   " elements) is out of range",
			   is.points, elements);
}

/* ==== cost hints (traces/FORMAT.md, "Kernel names and cost hints") ==== */

#define HINT_FIELD_MAX 80

/* @s[0..@len) printable into @buf, for error messages. */
static const char *printable(const char *s, size_t len, char *buf, size_t cap)
{
	size_t i, n = len < cap - 4 ? len : cap - 4;

	for (i = 0; i < n; i++)
		buf[i] = s[i] >= 0x20 && s[i] < 0x7F ? s[i] : '?';
	if (n < len) {
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n] = '\0';
	return buf;
}

static int parse_u64(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (!len)
		return -1;
	for (i = 0; i < len; i++) {
		unsigned d = (unsigned)(s[i] - '0');

		if (d > 9 || v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/* A positive decimal "12", "0.5", ".25" (no sign, no exponent), locale-independent. */
static int parse_positive_decimal(const char *s, size_t len, double *out)
{
	uint64_t mant = 0;
	double scale = 1;
	size_t i, digits = 0;
	int frac = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '.' && !frac) {
			frac = 1;
			continue;
		}
		if (s[i] < '0' || s[i] > '9' || mant > (UINT64_MAX - 9) / 10 || digits >= 18)
			return -1;
		mant = mant * 10 + (uint64_t)(s[i] - '0');
		digits++;
		if (frac)
			scale *= 10;
	}
	if (!digits || !mant)
		return -1;
	*out = (double)mant / scale;
	return 0;
}

static int kernel_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || c == ':' || c == '+' || c == '-';
}

hlsim_err_t mdl_cost_hint_parse(const char *value, struct mdl_cost_hint *out)
{
	enum {
		K_KERNEL,
		K_FLOPS,
		K_BYTES,
		K_CPE,
		K_COUNT
	};
	static const char *const keys[K_COUNT] = { "kernel", "flops", "bytes",
						   "cycles_per_element" };
	struct mdl_cost_hint h;
	const char *p = value;
	char fb[HINT_FIELD_MAX];
	unsigned seen = 0, field = 0;

	if (!out)
		return hlsim_error(HLSIM_E_INVAL, "cost hint: NULL output");
	memset(out, 0, sizeof(*out));
	memset(&h, 0, sizeof(h));
	if (!value)
		return hlsim_error(HLSIM_E_INVAL, "cost hint: NULL value");
	for (;;) {
		const char *f, *eq, *v;
		size_t flen, klen, vlen;
		unsigned k;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		f = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		flen = (size_t)(p - f);
		field++;
		eq = memchr(f, '=', flen);
		if (!eq)
			return hlsim_error(HLSIM_E_INVAL,
					   "cost hint: field %u '%s': expected key=value", field,
					   printable(f, flen, fb, sizeof(fb)));
		klen = (size_t)(eq - f);
		v = eq + 1;
		vlen = flen - klen - 1;
		for (k = 0; k < K_COUNT; k++)
			if (strlen(keys[k]) == klen && !memcmp(keys[k], f, klen))
				break;
		if (k == K_COUNT)
			return hlsim_error(
				HLSIM_E_INVAL,
				"cost hint: field %u '%s': unknown key (expected kernel, "
				"flops, bytes or cycles_per_element)",
				field, printable(f, flen, fb, sizeof(fb)));
		if (seen & 1u << k)
			return hlsim_error(HLSIM_E_INVAL, "cost hint: field %u: '%s' given twice",
					   field, keys[k]);
		seen |= 1u << k;
		if (!vlen)
			return hlsim_error(HLSIM_E_INVAL, "cost hint: field %u: '%s' has no value",
					   field, keys[k]);
		switch (k) {
		case K_KERNEL: {
			size_t i;

			if (vlen >= sizeof(h.kernel_name))
				return hlsim_error(
					HLSIM_E_INVAL,
					"cost hint: field %u: kernel name '%s' is longer "
					"than %zu characters",
					field, printable(v, vlen, fb, sizeof(fb)),
					sizeof(h.kernel_name) - 1);
			for (i = 0; i < vlen; i++)
				if (!kernel_name_char(v[i]))
					return hlsim_error(
						HLSIM_E_INVAL,
						"cost hint: field %u: kernel name '%s': character "
						"%zu is "
						"not one of A-Z a-z 0-9 _ . : + -",
						field, printable(v, vlen, fb, sizeof(fb)), i + 1);
			memcpy(h.kernel_name, v, vlen);
			h.kernel_name[vlen] = '\0';
			break;
		}
		case K_FLOPS:
		case K_BYTES:
			if (parse_u64(v, vlen, k == K_FLOPS ? &h.flops : &h.bytes))
				return hlsim_error(
					HLSIM_E_INVAL,
					"cost hint: field %u: %s '%s': expected a decimal "
					"integer 0..18446744073709551615",
					field, keys[k], printable(v, vlen, fb, sizeof(fb)));
			break;
		case K_CPE:
			if (parse_positive_decimal(v, vlen, &h.cycles_per_element))
				return hlsim_error(
					HLSIM_E_INVAL,
					"cost hint: field %u: cycles_per_element '%s': "
					"expected a decimal number greater than 0 (like 0.5), "
					"at most 18 digits",
					field, printable(v, vlen, fb, sizeof(fb)));
			break;
		}
	}
	if (!field)
		return hlsim_error(HLSIM_E_INVAL,
				   "cost hint: empty value (expected key=value fields)");
	h.present = 1;
	*out = h;
	return HLSIM_OK;
}
