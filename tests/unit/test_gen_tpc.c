/*
 * tests/unit/test_gen_tpc.c - the TPC launch helper (traces/gen/gen_tpc.c): a tiny
 * trace with one launch of trc_gen_tpc_launch() on each ASIC (gaudi: TPC 3, fp32, two
 * inputs; gaudi2: TPC 17, bf16, three inputs) replays with `hlsim run`, and its LAUNCH
 * record carries the hint's FLOPs and bytes;
 * the trace carries a kernel_name annotation the profiler names the launch by; bad
 * values fail with HLSIM_E_INVAL / HLSIM_E_UNSUPPORTED and append nothing.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hlsim/results.h"
#include "hlsim/trace.h"
#include "models/common/asic.h"
#include "tests/unit/check.h"
#include "tests/unit/tracebuild.h"
#include "traces/gen/gen_common.h"
#include "traces/gen/gen_tpc.h"

/* One CS with one TPC job: the launch of @k on TPC @tpc; trace at @path. */
static void write_one(const char *asic, uint32_t tpc, const struct trc_gen_tpc_kernel *k,
		      const char *path)
{
	struct trc_gen_ctx x;
	struct trc_gen_cb cb = { 0 };
	struct hlsim_trace_annotation hint;
	struct hlsim_trace_device dev;
	struct hlsim_trace_job job;
	struct hlsim_trace_cs cs = { .seq = 1, .submit_ns = 1000, .return_ns = 6000 };
	struct hlsim_trace_wait wt = { .seq = 1, .timeout_us = 1000000, .enter_ns = 7000,
				       .exit_ns = 8000 };
	hlsim_trace_writer_t *w = NULL;
	uint32_t b, dev_id;

	CHECK(trc_gen_ctx_init(&x, asic, "test") == HLSIM_OK);
	b = trc_gen_sm_block_by_name(&x, "E_N");
	x.sm_block = (uint8_t)(b == UINT32_MAX ? 0 : b);
	CHECK(trc_gen_tpc_launch(&x, &cb, tpc, k, &hint) == HLSIM_OK);
	CHECK(!strcmp(hint.key, "cost_hint"));
	CHECK_EQ_U64(hint.cs_seq, 0);
	CHECK_EQ_U64(hint.queue_id, trc_gen_queue_id(&x, MDL_ENGINE_TPC, tpc, 0));
	CHECK(hlsim_trace_create(path, "test_gen_tpc", &w) == HLSIM_OK);
	trc_gen_fill_identity(&x, &dev);
	CHECK(hlsim_trace_add_device(w, &dev, &dev_id) == HLSIM_OK);
	CHECK(trc_gen_add_job(w, &cb, 0x1000, hint.queue_id, &job) == HLSIM_OK);
	CHECK(trc_gen_tpc_add_annotations(w, 0, 1, &hint) == HLSIM_OK);
	CHECK(hlsim_trace_add_cs(w, 0, &cs, &job, 1) == HLSIM_OK);
	CHECK(hlsim_trace_add_wait(w, 0, &wt) == HLSIM_OK);
	CHECK(hlsim_trace_writer_close(w) == HLSIM_OK);
	trc_gen_cb_free(&cb);
}

/* The annotations of @path: a kernel_name @name and a cost hint on the same queue. */
static void check_names(const char *path, const char *name)
{
	hlsim_trace_t *t = NULL;
	struct hlsim_trace_annotation a, b;

	CHECK(hlsim_trace_open(path, &t) == HLSIM_OK);
	if (!t)
		return;
	CHECK(hlsim_trace_read_annotation(t, 0, 0, &a) == HLSIM_OK);
	CHECK(hlsim_trace_read_annotation(t, 0, 1, &b) == HLSIM_OK);
	CHECK(!strcmp(a.key, "kernel_name") && !strcmp(a.value, name));
	CHECK(!strcmp(b.key, "cost_hint"));
	CHECK_EQ_U64(a.queue_id, b.queue_id);
	CHECK_EQ_U64(a.cs_seq, 1);
	CHECK_EQ_U64(b.cs_seq, 1);
	hlsim_trace_close(t);
}

static void check_replay(const char *asic, const char *config, uint32_t tpc, const char *dtype,
			 uint32_t inputs, uint64_t elem_bytes, const char *unit)
{
	struct trc_gen_tpc_kernel k;
	struct hlsim_rec r[4];
	char trace[64], out[64], args[64], err[4096];
	uint32_t i;

	memset(&k, 0, sizeof(k));
	k.name = "reduce_sum_test";
	k.dtype = dtype;
	k.elements = 1000003; /* not a whole number of vectors */
	k.num_inputs = inputs;
	for (i = 0; i < inputs; i++)
		k.in_addr[i] = 0; /* set below from the ASIC's HBM */
	k.flops_per_element = inputs - 1;
	k.done_sob = 200;
	{
		struct trc_gen_ctx x;

		CHECK(trc_gen_ctx_init(&x, asic, "test") == HLSIM_OK);
		for (i = 0; i < inputs; i++)
			k.in_addr[i] = x.p->dram_base + (64ull << 20) * (i + 1);
		k.out_addr = x.p->dram_base + (64ull << 20) * (inputs + 1);
	}
	snprintf(trace, sizeof(trace), "gentpc_%s.h5", asic);
	snprintf(out, sizeof(out), "gentpc_%s.out", asic);
	snprintf(args, sizeof(args), "--config %s", config);
	write_one(asic, tpc, &k, trace);
	check_names(trace, "reduce_sum_test");
	CHECK_EQ_U64(tb_run(trace, out, args, err, sizeof(err)), 0);
	if (err[0])
		fprintf(stderr, "%s", err);
	CHECK_EQ_U64(tb_records(out, unit, HLSIM_REC_LAUNCH, r, 4), 1);
	CHECK_EQ_U64(r[0].flops, 1000003ull * (inputs - 1));
	CHECK_EQ_U64(r[0].bytes, (inputs + 1) * 1000003ull * elem_bytes);
	CHECK_EQ_U64(r[0].aux, MDL_ENGINE_TPC);
	CHECK(r[0].end_ps > r[0].start_ps);
}

/* Bad values: the error, and nothing appended to the CB. */
static void check_errors(void)
{
	struct trc_gen_ctx x, x2;
	struct trc_gen_cb cb = { 0 };
	struct trc_gen_tpc_kernel k;
	struct hlsim_trace_annotation h;
	size_t len;

	CHECK(trc_gen_ctx_init(&x, "gaudi", "test") == HLSIM_OK);
	CHECK(trc_gen_ctx_init(&x2, "gaudi2", "test") == HLSIM_OK);
	CHECK_EQ_U64(trc_gen_tpc_count(&x), 8);
	CHECK_EQ_U64(trc_gen_tpc_count(&x2), 24);
	memset(&k, 0, sizeof(k));
	k.name = "add_bf16";
	k.dtype = "bf16";
	k.elements = 4096;
	k.num_inputs = 2;
	k.in_addr[0] = x.p->dram_base + (1u << 20);
	k.in_addr[1] = x.p->dram_base + (2u << 20);
	k.out_addr = x.p->dram_base + (3u << 20);
	k.flops_per_element = 1;
	k.done_sob = 70;
	CHECK(trc_gen_tpc_launch(&x, &cb, 0, &k, &h) == HLSIM_OK);
	CHECK_STR_CONTAINS(h.value, "kernel=add_bf16 flops=4096 bytes=24576");
	len = cb.len;
	CHECK(len > 1088);

	CHECK(trc_gen_tpc_launch(&x, &cb, 8, &k, &h) == HLSIM_E_INVAL);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "TPC 8");
	k.dtype = "fp8";
	CHECK(trc_gen_tpc_launch(&x, &cb, 0, &k, &h) == HLSIM_E_UNSUPPORTED);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "fp8");
	CHECK(trc_gen_tpc_launch(&x2, &cb, 23, &k, &h) == HLSIM_OK); /* gaudi2 has fp8 [I] */
	len = cb.len;
	CHECK(trc_gen_tpc_launch(&x2, &cb, 24, &k, &h) == HLSIM_E_INVAL); /* the spare */
	k.dtype = "bf16";
	k.num_inputs = 0;
	CHECK(trc_gen_tpc_launch(&x, &cb, 0, &k, &h) == HLSIM_E_INVAL);
	k.num_inputs = 9;
	CHECK(trc_gen_tpc_launch(&x, &cb, 0, &k, &h) == HLSIM_E_INVAL);
	k.num_inputs = 2;
	k.elements = 1ull << 32;
	CHECK(trc_gen_tpc_launch(&x, &cb, 0, &k, &h) == HLSIM_E_INVAL);
	k.elements = 4096;
	k.in_addr[1] = 0;
	CHECK(trc_gen_tpc_launch(&x, &cb, 0, &k, &h) == HLSIM_E_INVAL);
	k.in_addr[1] = 1u << 20;
	k.name = "bad name";
	CHECK(trc_gen_tpc_launch(&x, &cb, 0, &k, &h) == HLSIM_E_INVAL);
	k.name = "ok";
	k.flops_per_element = 0;
	CHECK(trc_gen_tpc_launch(&x, &cb, 0, &k, &h) == HLSIM_E_INVAL);
	k.flops_per_element = 1;
	k.done_sob = x.p->sobs_per_block;
	CHECK(trc_gen_tpc_launch(&x, &cb, 0, &k, &h) == HLSIM_E_INVAL);
	CHECK(trc_gen_tpc_launch(NULL, &cb, 0, &k, &h) == HLSIM_E_INVAL);
	CHECK_EQ_U64(cb.len, len);
	trc_gen_cb_free(&cb);
}

int main(void)
{
	check_errors();
	/* gaudi: fp32, 2 inputs (an add) on TPC 3 */
	check_replay("gaudi", "gaudi_hl205", 3, "fp32", 2, 4, "TPC3");
	/* gaudi2: bf16, 3 inputs (two adds) on TPC 17 = DCORE2 TPC5 */
	check_replay("gaudi2", "gaudi2_hl225", 17, "bf16", 3, 2, "DCORE2_TPC5");
	return check_summary();
}
