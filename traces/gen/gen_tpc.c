/*
 * traces/gen/gen_tpc.c - TPC kernel launches for the synthetic trace generators.
 *
 * A launch is what SynapseAI_Core's runner writes for a TPC node (GAUDI-FACTS.md §3.5):
 * the whole descriptor (tensors, sync object, kernel address, index-space partition,
 * kernel_config, kernel_id) with one register burst, SM_BASE_ADDRESS_HIGH, TPC_CMD
 * (invalidate the caches, EB=1) and TPC_EXECUTE = 1, through the ASIC's struct
 * mdl_tpc_layout. On Gaudi2 (hlsim's interpretation, models/gaudi2/gaudi2_tpc.c) the
 * launch register 0xD98 lies inside the Gaudi descriptor, so the burst is split around
 * it, and TPC_CMD (0xD94, on tid_size_dim_0) is written before the burst.
 *
 * trc_gen_tpc_launch() builds one element-wise launch: inputs and output 1-D tensors
 * of E elements (dim 0 size E stride 1, dims 1..4 size 1 stride 0, valid_dim_mask
 * 0x1F, last_dim 0, as the graph compiler programs a 1-D tensor), the index space one
 * point per 256-byte vector along dim 0, all on the one TPC; the sync object "SOB +=
 * 1". Its cost hint states FLOPs = E x flops_per_element and bytes = (inputs + 1) x E x
 * element size, which replace the descriptor's defaults in the TPC model.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "models/common/asic.h"
#include "traces/gen/gen_tpc.h"

const struct mdl_tpc_layout *trc_gen_tpc_layout(const struct trc_gen_ctx *x)
{
	const struct mdl_tpc_layout *l = x && x->p ? x->p->tpc_layout : NULL;

	if (!l || l->desc_bytes % 4 || l->desc_bytes / 4 > TRC_GEN_TPC_DESC_WORDS ||
	    !l->num_tensors || l->num_dims > MDL_TPC_MAX_DIMS)
		return NULL;
	return l;
}

uint32_t trc_gen_tpc_count(const struct trc_gen_ctx *x)
{
	const struct mdl_tpc_layout *l = trc_gen_tpc_layout(x);
	uint32_t n;

	if (!l)
		return 0;
	n = x->p->engines_per_class[MDL_ENGINE_TPC];
	return l->user_tpcs && l->user_tpcs < n ? l->user_tpcs : n;
}

int trc_gen_tpc_dtype(const struct mdl_tpc_layout *l, const char *name, uint32_t *code,
		      uint32_t *size_bytes)
{
	uint32_t c;

	for (c = 0; l && name && c < l->num_dtypes; c++) {
		if (l->dtypes[c].name && l->dtypes[c].size_bytes &&
		    !strcmp(l->dtypes[c].name, name)) {
			*code = c;
			*size_bytes = l->dtypes[c].size_bytes;
			return 0;
		}
	}
	return -1;
}

uint64_t trc_gen_tpc_isa_addr(const struct trc_gen_ctx *x)
{
	const struct mdl_tpc_layout *l = trc_gen_tpc_layout(x);
	uint64_t a = l && l->kernel_align_bytes ? l->kernel_align_bytes : 0x2000;

	return (x->p->dram_base + x->p->dram_size_bytes - a) / a * a;
}

void trc_gen_tpc_desc_set(const struct mdl_tpc_layout *l, uint32_t *desc, uint32_t off,
			  uint32_t value)
{
	desc[(off - l->desc_first) / 4] = value;
}

void trc_gen_tpc_desc_tensor(const struct mdl_tpc_layout *l, uint32_t *desc, uint32_t slot,
			     uint32_t code, uint64_t addr, uint32_t size0, uint32_t stride0,
			     uint32_t size1, uint32_t stride1, uint32_t valid)
{
	uint32_t off = l->tensor0 + slot * l->tensor_stride_bytes, k;

	trc_gen_tpc_desc_set(l, desc, off + l->t_base_lo, (uint32_t)addr);
	trc_gen_tpc_desc_set(l, desc, off + l->t_base_hi, (uint32_t)(addr >> 32));
	trc_gen_tpc_desc_set(l, desc, off + l->t_config,
			     code << l->cfg_dtype_shift | (valid & l->cfg_valid_dims_mask)
								  << l->cfg_valid_dims_shift);
	for (k = 0; k < l->num_dims; k++) {
		trc_gen_tpc_desc_set(l, desc, off + l->t_dim0_size + k * l->t_dim_pair_bytes,
				     k == 0 ? size0 : k == 1 ? size1 : 1);
		trc_gen_tpc_desc_set(l, desc, off + l->t_dim0_stride + k * l->t_dim_pair_bytes,
				     k == 0 ? stride0 : k == 1 ? stride1 : 0);
	}
}

/* Is register @off inside the descriptor span of @l? */
static int in_desc(const struct mdl_tpc_layout *l, uint32_t off)
{
	return off >= l->desc_first && off - l->desc_first < l->desc_bytes;
}

hlsim_err_t trc_gen_tpc_emit(const struct trc_gen_ctx *x, struct trc_gen_cb *cb,
			     const struct mdl_tpc_layout *l, const uint32_t *desc, uint64_t so_addr)
{
	uint32_t words = l->desc_bytes / 4, cut;
	int cmd_inside = in_desc(l, l->tpc_cmd);
	hlsim_err_t rc = HLSIM_OK;

	if (cmd_inside)
		rc = trc_gen_wreg32(x, cb, l->tpc_cmd, l->tpc_cmd_invalidate, 1, 0);
	if (!rc && in_desc(l, l->tpc_execute)) {
		/* the registers before and after the launch register */
		cut = (l->tpc_execute - l->desc_first) / 4;
		if (cut)
			rc = trc_gen_wreg_block(x, cb, l->desc_first, desc, cut);
		if (!rc && cut + 1 < words)
			rc = trc_gen_wreg_block(x, cb, l->tpc_execute + 4, desc + cut + 1,
						words - cut - 1);
	} else if (!rc) {
		rc = trc_gen_wreg_block(x, cb, l->desc_first, desc, words);
	}
	if (!rc)
		rc = trc_gen_wreg32(x, cb, l->sm_base_high, (uint32_t)(so_addr >> 32), 0, 0);
	if (!rc && !cmd_inside)
		rc = trc_gen_wreg32(x, cb, l->tpc_cmd, l->tpc_cmd_invalidate, 1, 0);
	if (!rc)
		rc = trc_gen_wreg32(x, cb, l->tpc_execute, 1, 0, 0);
	return rc;
}

static int kernel_name_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (!n || n > 63)
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == ':' || c == '+' || c == '-'))
			return 0;
	}
	return 1;
}

/* Check @k for @x; fill the layout, TPC queue, data type code and size. */
static hlsim_err_t check_kernel(const struct trc_gen_ctx *x, uint32_t tpc,
				const struct trc_gen_tpc_kernel *k, const struct mdl_tpc_layout **l,
				uint32_t *qid, uint32_t *code, uint32_t *es)
{
	uint32_t i, ntpc;

	*l = trc_gen_tpc_layout(x);
	if (!*l)
		return hlsim_error(HLSIM_E_UNSUPPORTED, "TPC launch: %s has no TPC layout",
				   x->p->asic_name);
	ntpc = trc_gen_tpc_count(x);
	if (tpc >= ntpc)
		return hlsim_error(HLSIM_E_INVAL, "TPC launch: TPC %u: %s has TPCs 0..%u", tpc,
				   x->p->asic_name, ntpc - 1);
	*qid = trc_gen_queue_id(x, MDL_ENGINE_TPC, tpc, 0);
	if (*qid == UINT32_MAX)
		return hlsim_error(HLSIM_E_UNSUPPORTED, "TPC launch: %s has no queue for TPC %u",
				   x->p->asic_name, tpc);
	if (!k->name || !kernel_name_ok(k->name))
		return hlsim_error(HLSIM_E_INVAL,
				   "TPC launch: kernel name '%s': expected 1..63 of A-Z a-z 0-9 "
				   "_ . : + -",
				   k->name ? k->name : "(null)");
	if (!k->dtype || trc_gen_tpc_dtype(*l, k->dtype, code, es))
		return hlsim_error(HLSIM_E_UNSUPPORTED,
				   "TPC launch '%s': dtype '%s' is not a TPC data type of %s",
				   k->name, k->dtype ? k->dtype : "(null)", x->p->asic_name);
	if (!k->elements || k->elements > UINT32_MAX)
		return hlsim_error(HLSIM_E_INVAL,
				   "TPC launch '%s': elements %" PRIu64 ": expected 1..4294967295 "
				   "(dim_0_size is 32 bits)",
				   k->name, k->elements);
	if (k->num_inputs < 1 || k->num_inputs > TRC_GEN_TPC_MAX_INPUTS ||
	    k->num_inputs + 1 > (*l)->num_tensors)
		return hlsim_error(HLSIM_E_INVAL, "TPC launch '%s': %u inputs: expected 1..%u",
				   k->name, k->num_inputs,
				   (*l)->num_tensors - 1 < TRC_GEN_TPC_MAX_INPUTS
					   ? (*l)->num_tensors - 1
					   : TRC_GEN_TPC_MAX_INPUTS);
	if (k->flops_per_element < 1 || k->flops_per_element > TRC_GEN_TPC_MAX_FLOPS_PER_ELEMENT)
		return hlsim_error(HLSIM_E_INVAL,
				   "TPC launch '%s': flops_per_element %" PRIu64 ": expected 1..%u",
				   k->name, k->flops_per_element,
				   TRC_GEN_TPC_MAX_FLOPS_PER_ELEMENT);
	for (i = 0; i < k->num_inputs; i++)
		if (!k->in_addr[i])
			return hlsim_error(HLSIM_E_INVAL,
					   "TPC launch '%s': input %u address is 0 (a tensor at 0 "
					   "is an unused descriptor slot)",
					   k->name, i);
	if (!k->out_addr)
		return hlsim_error(HLSIM_E_INVAL, "TPC launch '%s': output address is 0", k->name);
	if (k->done_sob >= x->p->sobs_per_block)
		return hlsim_error(HLSIM_E_INVAL, "TPC launch '%s': done_sob %u: %s has SOBs 0..%u",
				   k->name, k->done_sob, x->p->asic_name,
				   x->p->sobs_per_block - 1);
	return HLSIM_OK;
}

hlsim_err_t trc_gen_tpc_launch(const struct trc_gen_ctx *x, struct trc_gen_cb *cb, uint32_t tpc,
			       const struct trc_gen_tpc_kernel *k,
			       struct hlsim_trace_annotation *hint_out)
{
	const struct mdl_tpc_layout *l;
	uint32_t desc[TRC_GEN_TPC_DESC_WORDS], qid = UINT32_MAX, code = 0, es = 1, i, kk, all;
	uint64_t vec, points, sob, isa, flops, bytes;
	size_t len0;
	uint64_t packets0;
	hlsim_err_t rc;
	int n;

	if (!x || !x->f || !x->p || !cb || !k || !hint_out)
		return hlsim_error(HLSIM_E_INVAL, "TPC launch: NULL argument");
	rc = check_kernel(x, tpc, k, &l, &qid, &code, &es);
	if (rc)
		return rc;
	vec = TRC_GEN_TPC_VECTOR_BYTES / es;
	points = (k->elements + vec - 1) / vec;
	sob = x->f->sob_addr(x->sm_block, k->done_sob);
	isa = trc_gen_tpc_isa_addr(x);
	flops = k->elements * k->flops_per_element; /* < 2^32 x 10^6 */
	bytes = (uint64_t)(k->num_inputs + 1) * k->elements * es;

	memset(desc, 0, sizeof(desc));
	all = l->cfg_valid_dims_mask;
	for (i = 0; i < k->num_inputs; i++)
		trc_gen_tpc_desc_tensor(l, desc, i, code, k->in_addr[i], (uint32_t)k->elements, 1,
					1, 0, all);
	trc_gen_tpc_desc_tensor(l, desc, k->num_inputs, code, k->out_addr, (uint32_t)k->elements,
				1, 1, 0, all);
	trc_gen_tpc_desc_set(l, desc, l->so_message, x->f->sob_value_encode(1, 1));
	trc_gen_tpc_desc_set(l, desc, l->so_addr, (uint32_t)sob);
	trc_gen_tpc_desc_set(l, desc, l->kernel_base_lo, (uint32_t)isa);
	trc_gen_tpc_desc_set(l, desc, l->kernel_base_hi, (uint32_t)(isa >> 32));
	for (kk = 0; kk < l->num_dims; kk++) {
		trc_gen_tpc_desc_set(l, desc, l->tid_size0 + kk * l->tid_pair_bytes,
				     kk ? 1 : (uint32_t)points);
		if (!(l->tid_base_absent_mask >> kk & 1))
			trc_gen_tpc_desc_set(l, desc, l->tid_base0 + kk * l->tid_pair_bytes, 0);
	}
	trc_gen_tpc_desc_set(l, desc, l->kernel_config, l->kernel_config_runtime);
	trc_gen_tpc_desc_set(l, desc, l->kernel_id, TRC_GEN_TPC_KERNEL_ID_BASE + tpc);

	memset(hint_out, 0, sizeof(*hint_out));
	hint_out->queue_id = qid;
	snprintf(hint_out->key, sizeof(hint_out->key), "cost_hint");
	n = snprintf(hint_out->value, sizeof(hint_out->value),
		     "kernel=%s flops=%" PRIu64 " bytes=%" PRIu64, k->name, flops, bytes);
	if (n < 0 || (size_t)n >= sizeof(hint_out->value))
		return hlsim_error(HLSIM_E_INVAL, "TPC launch '%s': cost hint too long", k->name);

	len0 = cb->len;
	packets0 = cb->packets;
	rc = trc_gen_tpc_emit(x, cb, l, desc, sob);
	if (rc) {
		cb->len = len0; /* nothing appended */
		cb->packets = packets0;
	}
	return rc;
}

hlsim_err_t trc_gen_tpc_add_annotations(hlsim_trace_writer_t *w, uint32_t dev, uint64_t seq,
					const struct hlsim_trace_annotation *hint)
{
	struct hlsim_trace_annotation a;
	const char *p, *e;
	size_t n;
	hlsim_err_t rc;

	if (!w || !hint)
		return hlsim_error(HLSIM_E_INVAL, "TPC annotations: NULL argument");
	p = strstr(hint->value, "kernel=");
	if (!p || (p != hint->value && p[-1] != ' '))
		return hlsim_error(HLSIM_E_INVAL, "TPC annotations: cost hint '%s' has no kernel=",
				   hint->value);
	p += strlen("kernel=");
	e = strchr(p, ' ');
	n = e ? (size_t)(e - p) : strlen(p);
	memset(&a, 0, sizeof(a));
	a.cs_seq = seq;
	a.queue_id = hint->queue_id;
	snprintf(a.key, sizeof(a.key), "kernel_name");
	if (n >= sizeof(a.value))
		n = sizeof(a.value) - 1;
	memcpy(a.value, p, n);
	rc = hlsim_trace_add_annotation(w, dev, &a);
	if (rc)
		return rc;
	a = *hint;
	a.cs_seq = seq;
	return hlsim_trace_add_annotation(w, dev, &a);
}
