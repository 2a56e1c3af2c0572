/*
 * tests/unit/test_tpc_gen.c - `hlsim gen elementwise` (traces/gen/gen_elementwise.c):
 * the trace decodes end to end with the Gaudi decoder (every job CB, every memory
 * image reached by CP_DMA); each TPC program's register writes, replayed into a TPC
 * register file, launch a descriptor that mdl_tpc_work() reads back to the expected
 * partition, bytes, completion and cost hint; the points cover the index space once;
 * FLOPs summed over the launches equal elements x flops-per-element; the DMA jobs move
 * the tensors; option errors; the command's exit statuses; the same options give the
 * same bytes.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hlsim/config.h"
#include "hlsim/trace.h"
#include "models/common/asic.h"
#include "models/common/engine.h"
#include "models/common/tpc.h"
#include "models/gaudi/gaudi_tpc.h"
#include "tests/unit/check.h"
#include "traces/gen/gen_elementwise.h"

static const struct mdl_asic_funcs *f;
static const struct mdl_tpc_layout *L = &gaudi_tpc_layout;
static struct mdl_tpc_cfg cfg;
static uint32_t regs[0x10000 / 4];

/* What one trace holds, as the checks below found it. */
struct seen {
	uint64_t packets, mems, kernels, points, flops_hint, flops_desc;
	uint64_t bytes_read, bytes_written, dma_down_bytes, dma_up_bytes;
	uint64_t next_vector; /* partitions must tile the index space in TPC order */
	uint32_t up_arm_value, tpc_arms;
	int bad;
};

/* Bytes per element of the data types these tests generate. */
static uint64_t elem_bytes(const char *dtype)
{
	if (!strcmp(dtype, "fp32"))
		return 4;
	return !strcmp(dtype, "bf16") ? 2 : 1;
}

static uint64_t abs_msg_addr(uint32_t qman, const struct hlsim_cmd *c)
{
	return c->u.msg.is_short ? f->msg_base_addr(qman, c->u.msg.base) + c->u.msg.addr
				 : c->u.msg.addr;
}

static void apply_wreg(const struct hlsim_cmd *c)
{
	uint32_t i, off = c->u.wreg.reg_offset;

	for (i = 0; i < c->u.wreg.count; i++, off += 4) {
		const uint8_t *v = c->u.wreg.values;

		regs[off / 4] = v ? (uint32_t)v[4 * i] | (uint32_t)v[4 * i + 1] << 8 |
						(uint32_t)v[4 * i + 2] << 16 |
						(uint32_t)v[4 * i + 3] << 24
				  : c->u.wreg.value;
	}
}

/* The cost hint annotated on (@seq, @qid), parsed; 0 if there is none. */
static int find_hint(hlsim_trace_t *t, uint64_t seq, uint32_t qid, struct mdl_cost_hint *h,
		     char *name, size_t cap)
{
	struct hlsim_trace_counts n;
	struct hlsim_trace_annotation a;
	uint64_t i;
	int found = 0;

	name[0] = '\0';
	if (hlsim_trace_counts(t, 0, &n))
		return 0;
	for (i = 0; i < n.annotations; i++) {
		if (hlsim_trace_read_annotation(t, 0, i, &a) || a.cs_seq != seq ||
		    a.queue_id != qid)
			continue;
		if (!strcmp(a.key, "cost_hint"))
			found = mdl_cost_hint_parse(a.value, h) == HLSIM_OK;
		else if (!strcmp(a.key, "kernel_name"))
			snprintf(name, cap, "%s", a.value);
	}
	return found;
}

/* The launch at TPC_EXECUTE of TPC @tpc (queue @qid) of CS @seq. */
static void check_launch(hlsim_trace_t *t, uint64_t seq, uint32_t qid, uint32_t tpc,
			 const struct trc_gen_elementwise_opts *o, struct seen *s)
{
	struct mdl_cost_hint h;
	struct mdl_work w, wh;
	uint64_t elem = elem_bytes(o->dtype), vec = 256 / elem, lo, hi, e;
	char name[224], expect[64];

	CHECK(find_hint(t, seq, qid, &h, name, sizeof(name)));
	CHECK(mdl_tpc_work(L, regs, &cfg, NULL, &w) == HLSIM_OK);
	CHECK(mdl_tpc_work(L, regs, &cfg, &h, &wh) == HLSIM_OK);
	/* the partition: contiguous, in TPC order, dim 0 only */
	CHECK_EQ_U64(regs[L->tid_base0 / 4], s->next_vector);
	CHECK_EQ_U64(regs[(L->tid_size0 + 8) / 4], 1);
	CHECK_EQ_U64(regs[L->kernel_id / 4], 0xAB + tpc);
	lo = s->next_vector * vec;
	s->next_vector += regs[L->tid_size0 / 4];
	hi = s->next_vector * vec;
	e = (hi < o->elements ? hi : o->elements) - lo;
	s->points += regs[L->tid_size0 / 4];
	s->kernels++;
	/* compute: overhead + latency + one cycle per vector */
	CHECK_EQ_U64(w.compute_cycles, 1000 + 4 + regs[L->tid_size0 / 4]);
	/* traffic: A and B read, C written, in-bounds elements only */
	CHECK_EQ_U64(w.num_traffic, 3);
	CHECK(!w.traffic[0].write && !w.traffic[1].write && w.traffic[2].write);
	CHECK_EQ_U64(w.traffic[0].bytes, e * elem);
	CHECK_EQ_U64(w.traffic[2].bytes, e * elem);
	CHECK_EQ_U64(w.traffic[0].access_bytes, e * elem < 256 ? e * elem : 256);
	CHECK(f->mem_kind(w.traffic[0].addr) == MDL_MEM_HBM);
	CHECK(f->mem_kind(w.traffic[2].addr + w.traffic[2].bytes - 1) == MDL_MEM_HBM);
	s->bytes_read += w.traffic[0].bytes + w.traffic[1].bytes;
	s->bytes_written += w.traffic[2].bytes;
	s->flops_desc += w.flops;
	/* the hint agrees with the descriptor */
	CHECK_EQ_U64(h.flops, e * o->flops_per_element);
	CHECK_EQ_U64(h.bytes, 3 * e * elem);
	CHECK_EQ_U64(wh.flops, h.flops);
	CHECK_EQ_U64(wh.traffic[0].bytes + wh.traffic[1].bytes + wh.traffic[2].bytes, h.bytes);
	s->flops_hint += wh.flops;
	if (o->flops_per_element == 1)
		snprintf(expect, sizeof(expect), "add_%s", o->dtype);
	else
		snprintf(expect, sizeof(expect), "eltwise%" PRIu64 "_%s", o->flops_per_element,
			 o->dtype);
	CHECK(!strcmp(name, expect));
	CHECK(!strcmp(h.kernel_name, expect));
	/* completion: SOB B (65 of E_N) += 1 */
	CHECK(w.has_completion);
	CHECK_EQ_U64(w.completion_addr, f->sob_addr(0, 65));
	CHECK_EQ_U64(w.completion_data, f->sob_value_encode(1, 1));
	CHECK_EQ_U64(regs[L->sm_base_high / 4], f->sob_addr(0, 65) >> 32);
	CHECK_EQ_U64(regs[L->tpc_cmd / 4], L->tpc_cmd_invalidate);
}

/*
 * Decode the @size bytes of @cb run by a CP of @qman (queue @qid); CP_DMA targets are
 * looked up in the trace's memory images and decoded as the lower CP's programs.
 */
static void walk(hlsim_trace_t *t, uint64_t cs_row, uint64_t seq, uint32_t qid, uint32_t qman,
		 const uint8_t *cb, size_t size, int lower,
		 const struct trc_gen_elementwise_opts *o, struct seen *s)
{
	const struct mdl_queue_info *qi = f->queue_info(qid);
	struct hlsim_cmd c;
	size_t off = 0;

	while (off < size) {
		if (f->decode(cb, size, off, &c)) {
			fprintf(stderr, "queue %u byte %zu: %s\n", qid, off,
				hlsim_last_error_detail());
			s->bad = 1;
			return;
		}
		s->packets++;
		off += c.size_bytes;
		if (c.kind == HLSIM_CMD_CB_CALL) {
			struct hlsim_trace_mem m;
			const struct hlsim_blob *b = NULL;
			uint64_t moff;

			CHECK(!lower);
			if (hlsim_trace_mem_find(t, 0, c.u.cb_call.addr, c.u.cb_call.size_bytes,
						 cs_row, &m, &moff) ||
			    hlsim_trace_blob_get(t, 0, m.blob_id, &b)) {
				fprintf(stderr, "CP_DMA 0x%" PRIx64 ": %s\n", c.u.cb_call.addr,
					hlsim_last_error_detail());
				s->bad = 1;
				return;
			}
			s->mems++;
			memset(regs, 0, sizeof(regs));
			walk(t, cs_row, seq, qid, qman, b->bytes + moff, c.u.cb_call.size_bytes, 1,
			     o, s);
			hlsim_trace_blob_put(t, b);
		} else if (c.kind == HLSIM_CMD_WREG && qi->engine_class == MDL_ENGINE_TPC) {
			CHECK(lower);
			apply_wreg(&c);
			if (c.u.wreg.reg_offset == L->tpc_cmd)
				CHECK(c.eb);
			if (c.u.wreg.reg_offset <= L->tpc_execute &&
			    c.u.wreg.reg_offset + 4 * c.u.wreg.count > L->tpc_execute)
				check_launch(t, seq, qid, qi->engine_index, o, s);
			if (c.u.wreg.count > 1)
				CHECK(c.u.wreg.reg_offset % 8 == 0 && c.u.wreg.count % 2 == 0);
		} else if (c.kind == HLSIM_CMD_MSG) {
			struct mdl_target tg;
			struct mdl_mon_arm arm;

			f->classify_target(abs_msg_addr(qman, &c), &tg);
			if (tg.kind == MDL_TARGET_MON_ARM) {
				f->mon_arm_decode(c.u.msg.value, &arm);
				if (qi->engine_class == MDL_ENGINE_TPC) {
					s->tpc_arms++;
					CHECK_EQ_U64(arm.value, 1);
					CHECK_EQ_U64(arm.group * 8 + __builtin_ctz(~arm.mask), 64);
				} else {
					s->up_arm_value = arm.value;
					CHECK_EQ_U64(arm.group * 8 + __builtin_ctz(~arm.mask), 65);
				}
			}
		} else if (c.kind == HLSIM_CMD_DMA && seq == 2) {
			CHECK(c.u.dma.size_bytes <= (1ull << 30));
			if (qi->engine_index == 0) {
				CHECK(f->mem_kind(c.u.dma.src_addr) == MDL_MEM_HOST);
				CHECK(f->mem_kind(c.u.dma.dst_addr) == MDL_MEM_HBM);
				s->dma_down_bytes += c.u.dma.size_bytes;
			} else {
				CHECK(f->mem_kind(c.u.dma.src_addr) == MDL_MEM_HBM);
				CHECK(f->mem_kind(c.u.dma.dst_addr) == MDL_MEM_HOST);
				s->dma_up_bytes += c.u.dma.size_bytes;
			}
		}
	}
}

/* Generate @o into @path and check every property of the trace. */
static void check_trace(const struct trc_gen_elementwise_opts *o, const char *path)
{
	struct trc_gen_elementwise_stats st;
	struct hlsim_trace_counts n;
	struct seen s;
	hlsim_trace_t *t = NULL;
	uint64_t j, cs_row, elem = elem_bytes(o->dtype);
	uint64_t vectors = (o->elements * elem + 255) / 256;

	memset(&s, 0, sizeof(s));
	CHECK(trc_gen_elementwise(o, path, "test", &st) == HLSIM_OK);
	CHECK(hlsim_trace_open(path, &t) == HLSIM_OK);
	if (!t)
		return;
	CHECK(!strcmp(hlsim_trace_device_info(t, 0)->asic, "gaudi"));
	CHECK(hlsim_trace_counts(t, 0, &n) == HLSIM_OK);
	CHECK_EQ_U64(n.cs, 2);
	CHECK_EQ_U64(n.jobs, 1 + o->tpcs + 2);
	CHECK_EQ_U64(n.mem, 2 * o->tpcs);
	CHECK_EQ_U64(n.annotations, 2 * o->tpcs);
	CHECK_EQ_U64(n.waits, 2);
	CHECK_EQ_U64(n.host_maps, 4);
	for (cs_row = 0; cs_row < n.cs; cs_row++) {
		struct hlsim_trace_cs cs;

		CHECK(hlsim_trace_read_cs(t, 0, cs_row, &cs) == HLSIM_OK);
		CHECK_EQ_U64(cs.seq, cs_row + 1);
		for (j = cs.first_job; j < cs.first_job + cs.num_jobs; j++) {
			struct hlsim_trace_job job;
			const struct hlsim_blob *b = NULL;
			const struct mdl_queue_info *qi;

			CHECK(hlsim_trace_read_job(t, 0, j, &job) == HLSIM_OK);
			CHECK(hlsim_trace_blob_get(t, 0, job.blob_id, &b) == HLSIM_OK);
			if (!b)
				continue;
			qi = f->queue_info(job.queue_id);
			CHECK(qi && qi->stream == 0);
			walk(t, cs_row, cs.seq, job.queue_id, f->qman_of_queue(job.queue_id),
			     b->bytes, job.cb_size, 0, o, &s);
			/* an internal job's CB is also in device memory at its handle */
			if (qi->engine_class == MDL_ENGINE_TPC) {
				struct hlsim_trace_mem m;
				uint64_t moff;

				CHECK(hlsim_trace_mem_find(t, 0, job.cb_handle, job.cb_size, cs_row,
							   &m, &moff) == HLSIM_OK);
				CHECK(m.blob_id == job.blob_id && moff == 0);
				s.mems++;
			}
			hlsim_trace_blob_put(t, b);
		}
	}
	CHECK(!s.bad);
	CHECK_EQ_U64(s.mems, n.mem);
	CHECK_EQ_U64(s.packets, st.packets);
	CHECK_EQ_U64(s.kernels, o->tpcs);
	CHECK_EQ_U64(st.kernels, o->tpcs);
	CHECK_EQ_U64(s.tpc_arms, o->tpcs);
	CHECK_EQ_U64(s.up_arm_value, o->tpcs);
	CHECK_EQ_U64(s.points, vectors);
	CHECK_EQ_U64(s.next_vector, vectors);
	CHECK_EQ_U64(st.vectors, vectors);
	CHECK_EQ_U64(s.flops_hint, o->elements * o->flops_per_element);
	CHECK_EQ_U64(st.flops, o->elements * o->flops_per_element);
	CHECK_EQ_U64(s.flops_desc, o->elements); /* tpc.flops_per_element = 1 */
	CHECK_EQ_U64(s.bytes_read, 2 * o->elements * elem);
	CHECK_EQ_U64(s.bytes_written, o->elements * elem);
	CHECK_EQ_U64(s.dma_down_bytes, 2 * o->elements * elem);
	CHECK_EQ_U64(s.dma_up_bytes, o->elements * elem);
	hlsim_trace_close(t);
}

static void test_traces(void)
{
	struct trc_gen_elementwise_opts o;

	trc_gen_elementwise_defaults(&o);
	CHECK(!strcmp(o.asic, "gaudi") && !strcmp(o.dtype, "bf16"));
	CHECK_EQ_U64(o.elements, 1 << 20);
	CHECK_EQ_U64(o.tpcs, 8);
	CHECK_EQ_U64(o.flops_per_element, 1);
	check_trace(&o, "tpc_gen_default.h5");

	/* a partial last vector, 3 FLOPs per element, an uneven split */
	o.elements = 1000003;
	o.flops_per_element = 3;
	check_trace(&o, "tpc_gen_uneven.h5");
	/* one element more than a vector, over 2 TPCs: 1 vector each */
	trc_gen_elementwise_defaults(&o);
	o.elements = 129;
	o.tpcs = 2;
	check_trace(&o, "tpc_gen_129.h5");
	/* fp32 on one TPC; int8 on 3 */
	o.elements = 64;
	o.dtype = "fp32";
	o.tpcs = 1;
	check_trace(&o, "tpc_gen_fp32.h5");
	o.elements = 5000;
	o.dtype = "int8";
	o.tpcs = 3;
	o.flops_per_element = 2;
	check_trace(&o, "tpc_gen_int8.h5");
	/* 8 GiB fp32 tensors: LIN_DMAs split at 1 GiB */
	o.elements = 1ull << 31;
	o.dtype = "fp32";
	o.tpcs = 8;
	check_trace(&o, "tpc_gen_big.h5");
	remove("tpc_gen_big.h5");
}

static void test_bad_options(void)
{
	struct trc_gen_elementwise_opts o;

#define BAD_OPT(field, value, rc, detail)                                                          \
	do {                                                                                       \
		trc_gen_elementwise_defaults(&o);                                                  \
		o.field = value;                                                                   \
		CHECK(trc_gen_elementwise(&o, "tpc_gen_bad.h5", "test", NULL) == rc);              \
		CHECK_STR_CONTAINS(hlsim_last_error_detail(), detail);                             \
	} while (0)

	BAD_OPT(elements, 0, HLSIM_E_USAGE, "--elements 0: expected 1..4294967295");
	BAD_OPT(elements, 1ull << 32, HLSIM_E_USAGE, "--elements 4294967296");
	BAD_OPT(dtype, "fp16", HLSIM_E_USAGE, "--dtype fp16: not a TPC data type of gaudi");
	BAD_OPT(tpcs, 0, HLSIM_E_USAGE, "--tpcs 0: expected 1..8");
	BAD_OPT(tpcs, 9, HLSIM_E_USAGE, "--tpcs 9: expected 1..8");
	BAD_OPT(flops_per_element, 0, HLSIM_E_USAGE, "--flops-per-element 0");
	BAD_OPT(asic, "goya", HLSIM_E_UNSUPPORTED_ASIC, "goya");
	/* 200 bf16 elements are 2 vectors: 3 TPCs would leave one without work */
	trc_gen_elementwise_defaults(&o);
	o.elements = 200;
	o.tpcs = 3;
	CHECK(trc_gen_elementwise(&o, "tpc_gen_bad.h5", "test", NULL) == HLSIM_E_USAGE);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(),
			   "--tpcs 3: 200 bf16 elements make 2 vectors of 128 elements");
	/* three 16 GiB tensors exceed the HBM */
	o.elements = UINT32_MAX;
	o.dtype = "fp32";
	o.tpcs = 8;
	CHECK(trc_gen_elementwise(&o, "tpc_gen_bad.h5", "test", NULL) == HLSIM_E_USAGE);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "do not fit");
	CHECK(trc_gen_elementwise(NULL, "tpc_gen_bad.h5", "test", NULL) == HLSIM_E_INVAL);
#undef BAD_OPT
}

static int run_main(int argc, const char *const *argv)
{
	char *v[16];
	int i;

	for (i = 0; i < argc; i++)
		v[i] = (char *)argv[i];
	return trc_gen_elementwise_main(argc, v);
}

static void test_command(void)
{
	static const char *const help[] = { "elementwise", "--help" };
	static const char *const no_out[] = { "elementwise", "--elements", "1K" };
	static const char *const bad_num[] = { "elementwise", "--elements", "12x", "-o", "x.h5" };
	static const char *const bad_opt[] = { "elementwise", "--bogus", "-o", "x.h5" };
	static const char *const too_many[] = {
		"elementwise", "--elements", "100", "--tpcs", "2", "-o", "tpc_gen_cmd_bad.h5"
	};
	static const char *const ok[] = { "elementwise",
					  "--elements",
					  "4K",
					  "--dtype",
					  "fp32",
					  "--flops-per-element",
					  "2",
					  "--tpcs",
					  "0x4",
					  "--asic",
					  "gaudi",
					  "-o",
					  "tpc_gen_cmd.h5" };
	struct trc_gen_elementwise_opts o;
	char a[4096], b[4096];
	FILE *fa, *fb;
	size_t na, nb;
	int same = 1;

	CHECK(run_main(2, help) == 0);
	CHECK(run_main(3, no_out) == 2);
	CHECK(run_main(5, bad_num) == 2);
	CHECK(run_main(4, bad_opt) == 2);
	CHECK(run_main(7, too_many) == 2);
	CHECK(run_main(13, ok) == 0);
	trc_gen_elementwise_defaults(&o);
	o.elements = 4096;
	o.dtype = "fp32";
	o.flops_per_element = 2;
	o.tpcs = 4;
	check_trace(&o, "tpc_gen_api.h5");

	/* the same options write the same bytes */
	CHECK(run_main(13, ok) == 0);
	CHECK(rename("tpc_gen_cmd.h5", "tpc_gen_cmd_1.h5") == 0);
	CHECK(run_main(13, ok) == 0);
	fa = fopen("tpc_gen_cmd_1.h5", "rb");
	fb = fopen("tpc_gen_cmd.h5", "rb");
	CHECK(fa && fb);
	while (fa && fb) {
		na = fread(a, 1, sizeof(a), fa);
		nb = fread(b, 1, sizeof(b), fb);
		if (na != nb || memcmp(a, b, na))
			same = 0;
		if (!na || !nb)
			break;
	}
	CHECK(same);
	if (fa)
		fclose(fa);
	if (fb)
		fclose(fb);
}

int main(void)
{
	hlsim_config_t *c = NULL;

	if (mdl_asic_by_name("gaudi", &f) || hlsim_config_defaults(&c) ||
	    mdl_tpc_cfg_load(c, &cfg)) {
		fprintf(stderr, "setup: %s\n", hlsim_last_error_detail());
		return 1;
	}
	hlsim_config_free(c);
	test_traces();
	test_bad_options();
	test_command();
	return check_summary();
}
