/*
 * tests/unit/test_tpc_layout.c - the Gaudi TPC descriptor layout (gaudi_tpc.c) against
 * the register names generated from models/gaudi/gaudi-registers.txt: every offset
 * the model reads or a generator writes names the register it claims to, and the data
 * type table gives the SIMD lane counts of GAUDI-FACTS.md §4.
 */
#include <stdio.h>
#include <string.h>

#include "models/common/asic.h"
#include "models/common/tpc.h"
#include "models/gaudi/gaudi_tpc.h"
#include "tests/unit/check.h"

static const struct mdl_asic_funcs *f;

static void expect(uint32_t off, const char *name)
{
	const char *got = f->reg_name(MDL_ENGINE_TPC, off);

	if (!got || strcmp(got, name)) {
		fprintf(stderr, "0x%x: expected %s, got %s\n", off, name, got ? got : "(none)");
		CHECK(0);
		return;
	}
	CHECK(1);
}

static void test_offsets(void)
{
	const struct mdl_tpc_layout *l = &gaudi_tpc_layout;
	char name[64];
	uint32_t t, k;

	for (t = 0; t < l->num_tensors; t++) {
		uint32_t b = l->tensor0 + t * l->tensor_stride_bytes;

		snprintf(name, sizeof(name), "qm_tensor_%u.base_addr_low", t);
		expect(b + l->t_base_lo, name);
		snprintf(name, sizeof(name), "qm_tensor_%u.base_addr_high", t);
		expect(b + l->t_base_hi, name);
		snprintf(name, sizeof(name), "qm_tensor_%u.padding_value", t);
		expect(b + l->t_padding, name);
		snprintf(name, sizeof(name), "qm_tensor_%u.tensor_config", t);
		expect(b + l->t_config, name);
		for (k = 0; k < l->num_dims; k++) {
			snprintf(name, sizeof(name), "qm_tensor_%u.dim_%u_size", t, k);
			expect(b + l->t_dim0_size + k * l->t_dim_pair_bytes, name);
			snprintf(name, sizeof(name), "qm_tensor_%u.dim_%u_stride", t, k);
			expect(b + l->t_dim0_stride + k * l->t_dim_pair_bytes, name);
		}
	}
	expect(l->so_message, "qm_sync_object.message");
	expect(l->so_addr, "qm_sync_object.addr");
	expect(l->sm_base_high, "sm_base_address_high");
	expect(l->kernel_base_lo, "qm.kernel_base_address_low");
	expect(l->kernel_base_hi, "qm.kernel_base_address_high");
	for (k = 0; k < l->num_dims; k++) {
		snprintf(name, sizeof(name), "qm.tid_base_dim_%u", k);
		expect(l->tid_base0 + k * l->tid_pair_bytes, name);
		snprintf(name, sizeof(name), "qm.tid_size_dim_%u", k);
		expect(l->tid_size0 + k * l->tid_pair_bytes, name);
	}
	expect(l->kernel_config, "qm.kernel_config");
	expect(l->kernel_id, "qm.kernel_id");
	for (k = 0; k < l->num_srfs; k++) {
		snprintf(name, sizeof(name), "qm.srf[%u]", k);
		expect(l->srf0 + 4 * k, name);
	}
	expect(l->tpc_cmd, "tpc_cmd");
	expect(l->tpc_execute, "tpc_execute");
	/* the burst covers exactly qm_tensor_0 .. qm.srf[31] */
	CHECK_EQ_U64(l->desc_first, l->tensor0);
	CHECK_EQ_U64(l->desc_bytes, 1088);
	CHECK_EQ_U64(l->desc_first + l->desc_bytes, l->srf0 + 4 * l->num_srfs);
	CHECK(f->reg_name(MDL_ENGINE_TPC, l->desc_first + l->desc_bytes) == NULL ||
	      strncmp(f->reg_name(MDL_ENGINE_TPC, l->desc_first + l->desc_bytes), "qm", 2));
	/* the launch register the simulator watches is the layout's */
	CHECK_EQ_U64(f->props->launch_reg[MDL_ENGINE_TPC], l->tpc_execute);
	/* SOB_OBJ_0 of E_N is where the driver points SM_BASE_ADDRESS_HIGH */
	CHECK_EQ_U64(f->sob_addr(0, 0) >> 32, l->sm_base_high_driver);
	CHECK_EQ_U64(l->kernel_align_bytes, 0x2000);
}

static void test_dtypes(void)
{
	const struct mdl_tpc_layout *l = &gaudi_tpc_layout;
	static const struct {
		uint32_t code;
		const char *name;
		uint32_t lanes; /* per 2048-bit vector */
	} want[] = { { 0, "int8", 256 },  { 1, "int16", 128 },	{ 2, "int32", 64 },
		     { 3, "uint8", 256 }, { 4, "uint16", 128 }, { 5, "uint32", 64 },
		     { 6, "bf16", 128 },  { 7, "fp32", 64 } };
	uint32_t i;

	CHECK_EQ_U64(l->num_dtypes, 8);
	CHECK_EQ_U64(l->cfg_dtype_mask + 1, l->num_dtypes);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct mdl_tpc_dtype *d = &l->dtypes[want[i].code];

		CHECK(d->name && !strcmp(d->name, want[i].name));
		CHECK_EQ_U64(256 / d->size_bytes, want[i].lanes);
	}
}

int main(void)
{
	if (mdl_asic_by_name("gaudi", &f) || !f || !f->reg_name) {
		fprintf(stderr, "no gaudi model with register names\n");
		return 1;
	}
	test_offsets();
	test_dtypes();
	return check_summary();
}
