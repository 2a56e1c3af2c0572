/*
 * tests/unit/test_gen_ops.c - the workload generator (traces/gen/gen_ops.c) and the
 * workload file reader (traces/gen/gen_graph.c): every kind (reduction, softmax,
 * layernorm, copy, transpose, and elementwise and gemm as graph operations) decodes
 * end to end (`hlsim disasm`) and replays without deadlock (`hlsim run`); the FLOPs
 * summed from the results' LAUNCH records equal the analytic count, the DMA bytes the
 * tensor sizes; twice the softmax rows, twice its FLOPs; in a graph every operation's
 * launches start after those of the operations it depends on have ended; the example
 * attention graph parses in order; bad workload files fail with FILE:LINE messages.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hlsim/error.h"
#include "hlsim/results.h"
#include "hlsim/trace.h"
#include "models/common/asic.h"
#include "tests/unit/check.h"
#include "traces/gen/gen_ops.h"

#define MAX_SEQ 16

/* The ASIC the single-operation checks generate for, the tpcs and `hlsim run` options. */
static const char *cur_asic = "gaudi";
static const char *cur_run_args = "";
static uint32_t cur_tpcs = 8;

/* What a run's results hold. */
struct run {
	int ok;
	uint64_t flops, dma_bytes, launches, launch_bytes;
	uint64_t first_start_ps[MAX_SEQ], last_end_ps[MAX_SEQ]; /* LAUNCH and DMA per CS */
	uint64_t per_class_launches[MDL_ENGINE_CLASS_COUNT_];
};

/* Disassemble and run @trace into directory @dir; read its results into @r. */
static void run_trace(const char *trace, const char *dir, struct run *r)
{
	char cmd[1024], path[600];
	hlsim_results_t *res = NULL;
	struct hlsim_rec rec[256];
	uint64_t first = 0;
	size_t n, i;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < MAX_SEQ; i++)
		r->first_start_ps[i] = UINT64_MAX;
	snprintf(cmd, sizeof(cmd), "'%s' disasm '%s' > /dev/null", HLSIM_EXE, trace);
	CHECK(system(cmd) == 0);
	snprintf(cmd, sizeof(cmd), "'%s' run '%s' -o '%s' --no-plot --no-progress %s > /dev/null",
		 HLSIM_EXE, trace, dir, cur_run_args);
	if (system(cmd) != 0) {
		fprintf(stderr, "run of %s failed\n", trace);
		CHECK(0);
		return;
	}
	snprintf(path, sizeof(path), "%s/results.h5", dir);
	if (hlsim_results_open(path, &res)) {
		fprintf(stderr, "%s: %s\n", path, hlsim_last_error_detail());
		CHECK(0);
		return;
	}
	while (!hlsim_results_read(res, first, rec, 256, &n) && n) {
		for (i = 0; i < n; i++) {
			const struct hlsim_rec *x = &rec[i];
			uint64_t s = x->cs_seq < MAX_SEQ ? x->cs_seq : MAX_SEQ - 1;

			if (x->kind != HLSIM_REC_LAUNCH && x->kind != HLSIM_REC_DMA)
				continue;
			if (x->kind == HLSIM_REC_LAUNCH) {
				r->flops += x->flops;
				r->launch_bytes += x->bytes;
				r->launches++;
				if (x->aux < MDL_ENGINE_CLASS_COUNT_)
					r->per_class_launches[x->aux]++;
			} else if (x->cs_seq >= 2) {
				r->dma_bytes += x->bytes; /* not the program download (CS seq 1) */
			}
			if (x->start_ps < r->first_start_ps[s])
				r->first_start_ps[s] = x->start_ps;
			if (x->end_ps > r->last_end_ps[s])
				r->last_end_ps[s] = x->end_ps;
		}
		first += n;
	}
	hlsim_results_close(res);
	r->ok = 1;
}

/*
 * The annotations of @trace: @want_names kernel_name rows equal to @kernel, as many
 * cost_hint rows naming it, the FLOPs of those summed into *@flops.
 */
static void check_annotations(const char *trace, const char *kernel, uint64_t want_names,
			      uint64_t *flops)
{
	hlsim_trace_t *t = NULL;
	struct hlsim_trace_counts c;
	struct hlsim_trace_annotation a;
	uint64_t i, names = 0, hints = 0;
	char want[80];
	const char *f;

	*flops = 0;
	snprintf(want, sizeof(want), "kernel=%s ", kernel);
	CHECK(hlsim_trace_open(trace, &t) == HLSIM_OK);
	if (!t)
		return;
	CHECK(hlsim_trace_counts(t, 0, &c) == HLSIM_OK);
	for (i = 0; i < c.annotations; i++) {
		CHECK(hlsim_trace_read_annotation(t, 0, i, &a) == HLSIM_OK);
		if (!strcmp(a.key, "kernel_name")) {
			CHECK(!strcmp(a.value, kernel));
			names++;
		} else if (!strcmp(a.key, "cost_hint")) {
			CHECK(!strncmp(a.value, want, strlen(want)));
			f = strstr(a.value, "flops=");
			if (f)
				*flops += strtoull(f + 6, NULL, 10);
			hints++;
		}
	}
	CHECK_EQ_U64(names, want_names);
	CHECK_EQ_U64(hints, want_names);
	hlsim_trace_close(t);
}

static struct trc_gen_op make_op(const char *name, enum trc_gen_op_kind kind)
{
	struct trc_gen_op op;

	memset(&op, 0, sizeof(op));
	snprintf(op.name, sizeof(op.name), "%s", name);
	snprintf(op.dtype, sizeof(op.dtype), "bf16");
	op.kind = kind;
	return op;
}

/* One operation alone: it replays, FLOPs and DMA bytes as analysed. */
static void check_single(const struct trc_gen_op *op, uint64_t want_dma_bytes,
			 const char *tag, struct run *r)
{
	struct trc_gen_ops_opts o;
	struct trc_gen_ops_stats st;
	char trace[128], dir[128];
	hlsim_err_t rc;

	trc_gen_ops_defaults(&o);
	o.asic = cur_asic;
	o.tpcs = cur_tpcs;
	snprintf(trace, sizeof(trace), "gen_ops_%s.h5", tag);
	snprintf(dir, sizeof(dir), "gen_ops_%s.out", tag);
	rc = trc_gen_ops(&o, op, 1, trace, "test", &st);
	if (rc)
		fprintf(stderr, "%s: %s\n", tag, hlsim_last_error_detail());
	CHECK(rc == HLSIM_OK);
	if (rc)
		return;
	CHECK_EQ_U64(st.flops, trc_gen_op_flops(op));
	run_trace(trace, dir, r);
	CHECK(r->ok);
	CHECK_EQ_U64(r->flops, trc_gen_op_flops(op));
	CHECK_EQ_U64(r->dma_bytes, want_dma_bytes);
	CHECK_EQ_U64(st.dma_bytes, want_dma_bytes);
}

static void test_kinds(void)
{
	struct trc_gen_op op;
	struct run r, r2;
	uint64_t fl;

	op = make_op("red", TRC_GEN_OP_REDUCTION);
	op.rows = 1000;
	op.cols = 777;
	check_single(&op, 0, "reduction", &r);
	check_annotations("gen_ops_reduction.h5", "reduce_sum_bf16", 8, &fl);
	CHECK_EQ_U64(r.per_class_launches[MDL_ENGINE_TPC], 8);
	CHECK_EQ_U64(trc_gen_op_flops(&op), 1000ull * 777);

	op = make_op("sm", TRC_GEN_OP_SOFTMAX);
	op.rows = 512;
	op.cols = 1024;
	check_single(&op, 0, "softmax", &r);
	CHECK_EQ_U64(r.flops, 5ull * 512 * 1024);
	op.rows = 1024;
	check_single(&op, 0, "softmax2", &r2);
	CHECK_EQ_U64(r2.flops, 2 * r.flops);
	check_annotations("gen_ops_softmax2.h5", "softmax_fwd_bf16", 8, &fl);
	CHECK_EQ_U64(fl, 5ull * 1024 * 1024);

	op = make_op("ln", TRC_GEN_OP_LAYERNORM);
	op.rows = 3;
	op.cols = 4096;
	check_single(&op, 0, "layernorm", &r);
	CHECK_EQ_U64(r.per_class_launches[MDL_ENGINE_TPC], 3); /* 3 rows: 3 TPCs */
	CHECK_EQ_U64(r.flops, 8ull * 3 * 4096);
	check_annotations("gen_ops_layernorm.h5", "layernorm_fwd_bf16", 3, &fl);
	CHECK_EQ_U64(fl, 8ull * 3 * 4096);

	op = make_op("ew", TRC_GEN_OP_ELEMENTWISE);
	op.elements = 100000;
	op.flops_per_element = 3;
	check_single(&op, 0, "elementwise", &r);
	CHECK_EQ_U64(r.flops, 300000);

	op = make_op("cp", TRC_GEN_OP_COPY);
	op.elements = 3u << 20;
	check_single(&op, (3ull << 20) * 2, "copy", &r);
	CHECK_EQ_U64(r.launches, 0);
	check_annotations("gen_ops_copy.h5", "copy_bf16", 6, &fl); /* the 6 internal DMAs */
	CHECK_EQ_U64(fl, 0);

	op = make_op("tr", TRC_GEN_OP_TRANSPOSE);
	op.rows = 300;
	op.cols = 1000;
	snprintf(op.dtype, sizeof(op.dtype), "fp32");
	check_single(&op, 300ull * 1000 * 4, "transpose", &r);
	check_annotations("gen_ops_transpose.h5", "transpose_fp32", 6, &fl);

	op = make_op("mm", TRC_GEN_OP_GEMM);
	op.m = 1024;
	op.n = 2048;
	op.k = 256;
	check_single(&op, 0, "gemm", &r);
	CHECK_EQ_U64(r.flops, 2ull * 1024 * 2048 * 256);
	CHECK(r.per_class_launches[MDL_ENGINE_MME] >= 2);
}

/* A diamond: copy -> (softmax, reduction) -> layernorm; dependencies respected. */
static void test_graph_order(void)
{
	struct trc_gen_op ops[5];
	struct trc_gen_ops_opts o;
	struct run r;
	uint64_t want = 0;
	uint32_t i;

	ops[0] = make_op("mm", TRC_GEN_OP_GEMM);
	ops[0].m = ops[0].n = 512;
	ops[0].k = 512;
	ops[1] = make_op("cp", TRC_GEN_OP_COPY);
	ops[1].elements = 512 * 512;
	ops[1].after[0] = 0;
	ops[1].num_after = 1;
	ops[2] = make_op("sm", TRC_GEN_OP_SOFTMAX);
	ops[2].rows = ops[2].cols = 512;
	ops[2].after[0] = 1;
	ops[2].num_after = 1;
	ops[3] = make_op("red", TRC_GEN_OP_REDUCTION);
	ops[3].rows = ops[3].cols = 512;
	ops[3].after[0] = 1;
	ops[3].num_after = 1;
	ops[4] = make_op("ln", TRC_GEN_OP_LAYERNORM);
	ops[4].rows = ops[4].cols = 512;
	ops[4].after[0] = 2;
	ops[4].after[1] = 3;
	ops[4].num_after = 2;
	trc_gen_ops_defaults(&o);
	CHECK(trc_gen_ops(&o, ops, 5, "gen_ops_graph.h5", "test", NULL) == HLSIM_OK);
	run_trace("gen_ops_graph.h5", "gen_ops_graph.out", &r);
	CHECK(r.ok);
	for (i = 0; i < 5; i++)
		want += trc_gen_op_flops(&ops[i]);
	CHECK_EQ_U64(r.flops, want);
	/* operation i is CS seq 2 + i */
	CHECK(r.first_start_ps[3] >= r.last_end_ps[2]); /* cp after mm */
	CHECK(r.first_start_ps[4] >= r.last_end_ps[3]); /* sm after cp */
	CHECK(r.first_start_ps[5] >= r.last_end_ps[3]); /* red after cp */
	CHECK(r.first_start_ps[6] >= r.last_end_ps[4]); /* ln after sm */
	CHECK(r.first_start_ps[6] >= r.last_end_ps[5]); /* ln after red */
	CHECK(r.last_end_ps[6] > 0);
}

/* Write @text to @path. */
static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	CHECK(f != NULL);
	if (!f)
		return;
	fputs(text, f);
	fclose(f);
}

/* @text as a workload file fails with HLSIM_E_USAGE and a detail containing @want. */
static void bad_graph(const char *text, const char *want)
{
	struct trc_gen_ops_opts o;
	struct trc_gen_op *ops = NULL;
	uint32_t n = 99;
	hlsim_err_t rc;

	trc_gen_ops_defaults(&o);
	write_file("gen_ops_bad.graph", text);
	rc = trc_gen_graph_parse("gen_ops_bad.graph", &o, &ops, &n);
	CHECK(rc == HLSIM_E_USAGE);
	CHECK(ops == NULL && n == 0);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), want);
	free(ops);
}

static void test_graph_file(void)
{
	struct trc_gen_ops_opts o;
	struct trc_gen_op *ops = NULL;
	uint32_t n = 0;
	char path[512];

	snprintf(path, sizeof(path), "%s/../../traces/gen/examples/attention_gaudi.graph",
		 HLSIM_TEST_DATA_DIR);
	trc_gen_ops_defaults(&o);
	o.tpcs = 1;
	CHECK(trc_gen_graph_parse(path, &o, &ops, &n) == HLSIM_OK);
	CHECK_EQ_U64(n, 3);
	CHECK_EQ_U64(o.tpcs, 8);
	if (ops && n == 3) {
		CHECK(!strcmp(ops[0].name, "qk") && ops[0].kind == TRC_GEN_OP_GEMM);
		CHECK(ops[0].transpose_b == 1 && ops[0].k == 128);
		CHECK(!strcmp(ops[1].name, "softmax") && ops[1].num_after == 1 &&
		      ops[1].after[0] == 0);
		CHECK(!strcmp(ops[2].name, "pv") && ops[2].after[0] == 1);
		CHECK_EQ_U64(trc_gen_op_flops(&ops[0]) + trc_gen_op_flops(&ops[1]) +
				     trc_gen_op_flops(&ops[2]),
			     2 * 2ull * 1024 * 1024 * 128 + 5ull * 1024 * 1024);
	}
	free(ops);

	/* file order is kept where dependencies allow; a later op may be a dependency */
	write_file("gen_ops_order.graph", "[op b]\nkind = copy\nelements = 64\nafter = a\n"
					  "[op a] ; first in dependency order\nkind = copy\n"
					  "elements = 1K\n[op c]\nkind=softmax\nrows=2\ncols=8\n");
	ops = NULL;
	CHECK(trc_gen_graph_parse("gen_ops_order.graph", &o, &ops, &n) == HLSIM_OK);
	CHECK_EQ_U64(n, 3);
	if (ops && n == 3) {
		CHECK(!strcmp(ops[0].name, "a") && ops[0].elements == 1024);
		CHECK(!strcmp(ops[1].name, "b") && ops[1].after[0] == 0);
		CHECK(!strcmp(ops[2].name, "c") && !strcmp(ops[2].dtype, "bf16"));
	}
	free(ops);

	bad_graph("[op a]\nkind = conv3d\nrows = 1\n", "gen_ops_bad.graph:2: key 'kind'");
	bad_graph("[op a]\nkind = copy\nelements = 8\nafter = b\n[op b]\nkind = copy\n"
		  "elements = 8\nafter = a\n",
		  "gen_ops_bad.graph:4: key 'after': dependency cycle a -> b -> a");
	bad_graph("[op a]\nkind = copy\nelements = 8\nafter = a\n", "dependency cycle a -> a");
	bad_graph("[op a]\nkind = copy\nelements = 8\n\n[op b]\nkind = copy\nelements = 8\n"
		  "after = a, zz\n",
		  "gen_ops_bad.graph:8: key 'after': unknown operation 'zz'");
	bad_graph("[op a]\nkind = softmax\nrows = 0\ncols = 4\n",
		  "gen_ops_bad.graph:3: key 'rows': 0");
	bad_graph("[op a]\nkind = softmax\nrows = 4x\ncols = 4\n",
		  "gen_ops_bad.graph:3: key 'rows': '4x': expected a number");
	bad_graph("[op a]\nkind = gemm\nm = 4\nn = 4\n", "gen_ops_bad.graph:1: [op a]: missing "
							 "key 'k'");
	bad_graph("[op a]\nkind = gemm\nm = 4\nn = 4\nk = 4\nrows = 2\n",
		  "gen_ops_bad.graph:6: key 'rows': not a key of kind gemm");
	bad_graph("[op a]\nkind = copy\nkind = copy\n", "gen_ops_bad.graph:3: key 'kind': given "
							"twice");
	bad_graph("[op a]\nkind = copy\nelements = 1\n[op a]\n", "gen_ops_bad.graph:4: [op a]: "
								 "name already used on line 1");
	bad_graph("m = 3\n", "gen_ops_bad.graph:1: key 'm' before any section");
	bad_graph("[layer x]\n", "gen_ops_bad.graph:1: section '[layer x]'");
	bad_graph("# nothing\n", "no [op NAME] section");
	bad_graph("[graph]\ntpcs = many\n[op a]\n", "gen_ops_bad.graph:2: key 'tpcs'");
}

/* Shape and option errors found while lowering name the operation. */
static void test_bad_lowering(void)
{
	struct trc_gen_ops_opts o;
	struct trc_gen_op op = make_op("big", TRC_GEN_OP_SOFTMAX);

	trc_gen_ops_defaults(&o);
	op.rows = 1;
	op.cols = 1;
	snprintf(op.dtype, sizeof(op.dtype), "fp64x");
	op.line = 7;
	CHECK(trc_gen_ops(&o, &op, 1, "gen_ops_bad.h5", "t", NULL) == HLSIM_E_USAGE);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "op 'big' (line 7): dtype 'fp64x'");
	snprintf(op.dtype, sizeof(op.dtype), "bf16");
	o.tpcs = 99;
	CHECK(trc_gen_ops(&o, &op, 1, "gen_ops_bad.h5", "t", NULL) == HLSIM_E_USAGE);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "tpcs 99");
	o.tpcs = 25; /* the spare PCI TPC is not offered */
	o.asic = "gaudi2";
	CHECK(trc_gen_ops(&o, &op, 1, "gen_ops_bad.h5", "t", NULL) == HLSIM_E_USAGE);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "tpcs 25: expected 1..24");
	remove("gen_ops_bad.h5");
}

/*
 * Every kind on Gaudi2 (hlsim's TPC interpretation, EDMAs for copy and transpose):
 * it replays with the HL-225 preset; FLOPs, TPC launch bytes and DMA bytes as analysed.
 */
static void test_kinds_gaudi2(void)
{
	struct trc_gen_op op;
	struct run r;
	uint64_t fl;

	cur_asic = "gaudi2";
	cur_run_args = "--config gaudi2_hl225";
	cur_tpcs = 24;

	op = make_op("red", TRC_GEN_OP_REDUCTION);
	op.rows = 1000;
	op.cols = 777;
	check_single(&op, 0, "g2_reduction", &r);
	CHECK_EQ_U64(r.per_class_launches[MDL_ENGINE_TPC], 24);
	CHECK_EQ_U64(r.launch_bytes, (1000ull * 777 + 1000) * 2);
	check_annotations("gen_ops_g2_reduction.h5", "reduce_sum_bf16", 24, &fl);
	CHECK_EQ_U64(fl, 1000ull * 777);

	op = make_op("sm", TRC_GEN_OP_SOFTMAX);
	op.rows = 512;
	op.cols = 1024;
	check_single(&op, 0, "g2_softmax", &r);
	CHECK_EQ_U64(r.flops, 5ull * 512 * 1024);
	CHECK_EQ_U64(r.launch_bytes, 4ull * 512 * 1024 * 2);

	/* fp8 exists only in the Gaudi2 layout [I] (models/gaudi2/gaudi2_tpc.c) */
	snprintf(op.dtype, sizeof(op.dtype), "fp8");
	check_single(&op, 0, "g2_softmax_fp8", &r);
	CHECK_EQ_U64(r.flops, 5ull * 512 * 1024);
	CHECK_EQ_U64(r.launch_bytes, 4ull * 512 * 1024 * 1);

	op = make_op("ln", TRC_GEN_OP_LAYERNORM);
	op.rows = 100;
	op.cols = 4096;
	check_single(&op, 0, "g2_layernorm", &r);
	CHECK_EQ_U64(r.flops, 8ull * 100 * 4096);
	/* X read twice and Y written; gamma and beta once per launch (24 launches) */
	CHECK_EQ_U64(r.launch_bytes, (3ull * 100 * 4096 + 24 * 2 * 4096) * 2);

	op = make_op("ew", TRC_GEN_OP_ELEMENTWISE);
	op.elements = 1000000;
	op.flops_per_element = 3;
	snprintf(op.dtype, sizeof(op.dtype), "fp32");
	check_single(&op, 0, "g2_elementwise", &r);
	CHECK_EQ_U64(r.flops, 3000000);
	CHECK_EQ_U64(r.launch_bytes, 3ull * 1000000 * 4);

	op = make_op("cp", TRC_GEN_OP_COPY);
	op.elements = 3u << 20;
	check_single(&op, (3ull << 20) * 2, "g2_copy", &r);
	CHECK_EQ_U64(r.launches, 0);
	check_annotations("gen_ops_g2_copy.h5", "copy_bf16", 8, &fl); /* the 8 EDMAs */

	op = make_op("tr", TRC_GEN_OP_TRANSPOSE);
	op.rows = 300;
	op.cols = 1000;
	snprintf(op.dtype, sizeof(op.dtype), "fp32");
	check_single(&op, 300ull * 1000 * 4, "g2_transpose", &r);

	op = make_op("mm", TRC_GEN_OP_GEMM);
	op.m = 1024;
	op.n = 2048;
	op.k = 256;
	check_single(&op, 0, "g2_gemm", &r);
	CHECK_EQ_U64(r.flops, 2ull * 1024 * 2048 * 256);

	cur_asic = "gaudi";
	cur_run_args = "";
	cur_tpcs = 8;
}

int main(void)
{
	test_kinds();
	test_kinds_gaudi2();
	test_graph_order();
	test_graph_file();
	test_bad_lowering();
	return check_summary();
}
