/*
 * tests/unit/test_export_perfetto.c - `hlsim export --perfetto` (profiler/export_perfetto.c).
 *
 * A small results file with every record kind, two devices, a fence with a producer and
 * one without, a zero-length transfer and a unit name that needs escaping is exported and
 * the output parsed by the validating JSON parser of test_report_jsonp.h. Checked: every
 * record is one X event with its ts/dur/tid/args, the metadata names and sort order, flows
 * pair up and point at the inferred producer, counters are non-negative and integrate to the
 * bytes moved, a window clips, a small --max-bytes splits into files that each parse, and
 * bad input gives an error naming the row. With a /releases table (results 1.1) the arrows
 * come from the producers it names instead: another record than the timing guess, one on
 * another device, a CP's own message, clipped to a window; releases out of order fail.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hlsim/results.h"
#include "models/common/asic.h"
#include "profiler/prf.h"
#include "profiler/prf_export.h"
#include "tests/unit/check.h"
#include "tests/unit/test_report_jsonp.h"

#define MAX_EVENTS 4096

/* ===== the results file ===== */

enum { U_HOST, U_Q0, U_LCP, U_DMA, U_TPC, U_Q1, U_MME1, NUM_UNITS };

static const struct {
	uint32_t device;
	uint8_t kind;
	const char *name, *cls;
} units[NUM_UNITS] = {
	[U_HOST] = { 0, HLSIM_UNIT_HOST, "host", "host" },
	[U_Q0] = { 0, HLSIM_UNIT_QUEUE, "DMA_0_0", "dma" },
	[U_LCP] = { 0, HLSIM_UNIT_LOWER_CP, "DMA0.lower_cp", "dma" },
	[U_DMA] = { 0, HLSIM_UNIT_ENGINE, "DMA0", "dma" },
	[U_TPC] = { 0, HLSIM_UNIT_ENGINE, "TPC0", "tpc" },
	[U_Q1] = { 0, HLSIM_UNIT_QUEUE, "TPC_0_0 \"q\"\\", "tpc" },
	[U_MME1] = { 1, HLSIM_UNIT_ENGINE, "MME0", "mme" },
};

#define DMA_AUX(s, d) ((uint16_t)((s) << 8 | (d)))

/* In end-time order, as the simulator appends them. */
static const struct hlsim_rec recs[] = {
	/* 0 */ { .start_ps = 2000, .end_ps = 12000, .bytes = 10000, .cs_seq = 1, .unit = U_DMA,
		  .pkt_offset = 24, .kind = HLSIM_REC_DMA,
		  .aux = DMA_AUX(MDL_MEM_HOST, MDL_MEM_HBM) },
	/* 1 */ { .start_ps = 3000, .end_ps = 20000, .bytes = 128, .cs_seq = 1, .unit = U_LCP,
		  .kind = HLSIM_REC_CB },
	/* 2 */ { .start_ps = 14000, .end_ps = 26000, .bytes = 6000, .cs_seq = 1, .flops = 1200000,
		  .unit = U_TPC, .job = 1, .pkt_offset = 64, .kind = HLSIM_REC_LAUNCH,
		  .aux = MDL_ENGINE_TPC },
	/* 3 */ { .start_ps = 13000, .end_ps = 30000, .cs_seq = 1, .unit = U_Q0, .pkt_offset = 48,
		  .kind = HLSIM_REC_FENCE_WAIT, .aux = 2 },
	/* 4 */ { .start_ps = 30000, .end_ps = 31000, .cs_seq = 1, .unit = U_Q1, .job = 1,
		  .kind = HLSIM_REC_BARRIER_WAIT },
	/* 5 */ { .start_ps = 31000, .end_ps = 33000, .cs_seq = 1, .unit = U_Q1, .job = 1,
		  .kind = HLSIM_REC_WAIT_TIME },
	/* 6 */ { .start_ps = 29000, .end_ps = 34000, .bytes = 256, .cs_seq = 1, .unit = U_Q1,
		  .job = 1, .kind = HLSIM_REC_JOB },
	/* 7 */ { .start_ps = 40000, .end_ps = 40000, .bytes = 512, .cs_seq = 2, .unit = U_DMA,
		  .kind = HLSIM_REC_DMA, .aux = DMA_AUX(MDL_MEM_SRAM, MDL_MEM_HBM) },
	/* 8 */ { .start_ps = 5000, .end_ps = 45000, .bytes = 4000000, .cs_seq = 7,
		  .flops = 8000000000ull, .unit = U_MME1, .kind = HLSIM_REC_LAUNCH,
		  .aux = MDL_ENGINE_MME },
	/* 9 */ { .start_ps = 35000, .end_ps = 50000, .cs_seq = 3, .unit = U_Q1,
		  .kind = HLSIM_REC_FENCE_WAIT, .aux = 1 },
	/* 10 */ { .start_ps = 50000, .end_ps = 60000, .bytes = 20000, .cs_seq = 3, .unit = U_DMA,
		   .kind = HLSIM_REC_DMA, .aux = DMA_AUX(MDL_MEM_HBM, MDL_MEM_SRAM) },
	/* 11 */ { .start_ps = 1000, .end_ps = 90000, .bytes = 512, .cs_seq = 1, .unit = U_Q0,
		   .kind = HLSIM_REC_JOB },
	/* 12 */ { .start_ps = 34000, .end_ps = 95000, .bytes = 64, .cs_seq = 3, .unit = U_Q1,
		   .kind = HLSIM_REC_JOB },
	/* 13 */ { .start_ps = 500, .end_ps = 99000, .cs_seq = 3, .unit = U_HOST,
		   .kind = HLSIM_REC_CS },
	/* 14 */ { .start_ps = 0, .end_ps = 100000, .cs_seq = 1, .unit = U_HOST,
		   .kind = HLSIM_REC_CS },
	/* 15: overlaps CS 1 without nesting: a second host thread */
	/* 15 */ { .start_ps = 95000, .end_ps = 100500, .cs_seq = 4, .unit = U_HOST,
		   .kind = HLSIM_REC_CS },
};

#define NUM_RECS (sizeof(recs) / sizeof(recs[0]))

static hlsim_err_t write_file_rel(const char *path, const struct hlsim_rec *r, size_t n,
				  const struct hlsim_release *rel, size_t nrel);

static hlsim_err_t write_file(const char *path, const struct hlsim_rec *r, size_t n)
{
	return write_file_rel(path, r, n, NULL, 0);
}

/* The file of @r with the release rows @rel (appended after all records). */
static hlsim_err_t write_file_rel(const char *path, const struct hlsim_rec *r, size_t n,
				  const struct hlsim_release *rel, size_t nrel)
{
	hlsim_results_writer_t *w = NULL;
	struct hlsim_counters c[NUM_UNITS];
	struct hlsim_run_info ri;
	hlsim_err_t rc;
	uint32_t i;

	rc = hlsim_results_create(path, &w);
	if (rc)
		return rc;
	for (i = 0; i < NUM_UNITS; i++) {
		struct hlsim_unit u;

		memset(&u, 0, sizeof(u));
		u.id = i;
		u.device = units[i].device;
		u.kind = units[i].kind;
		snprintf(u.name, sizeof(u.name), "%s", units[i].name);
		snprintf(u.engine_class, sizeof(u.engine_class), "%s", units[i].cls);
		rc = hlsim_results_add_unit(w, &u);
		if (rc)
			goto out;
		memset(&c[i], 0, sizeof(c[i]));
		c[i].unit = i;
		c[i].jobs = 1;
	}
	rc = hlsim_results_append(w, r, n);
	for (i = 0; !rc && i < nrel; i++)
		rc = hlsim_results_add_release(w, &rel[i]);
	if (!rc)
		rc = hlsim_results_set_counters(w, c, NUM_UNITS);
	if (!rc)
		rc = hlsim_results_set_config(w, "[asic]\nname = gaudi\nclock = 1.95GHz\n");
	memset(&ri, 0, sizeof(ri));
	snprintf(ri.hlsim_version, sizeof(ri.hlsim_version), "test");
	snprintf(ri.config_name, sizeof(ri.config_name), "gaudi_hl205");
	ri.simulated_time_ps = 100000;
	ri.cs_count = 3;
	if (!rc)
		rc = hlsim_results_set_run_info(w, &ri);
out:
	{
		hlsim_err_t rc2 = hlsim_results_writer_close(w);

		return rc ? rc : rc2;
	}
}

/* ===== the output, parsed ===== */

struct ev {
	char ph[4], name[64], cat[32], bp[4], aname[64];
	int has_ts, has_dur, has_id, has_row, has_start_ps;
	long pid, tid;
	double ts, dur, rate, gbps, tflops;
	uint64_t id, row, bytes, flops, cs_seq, job, pkt_offset, sort_index, fence_id, start_ps,
		end_ps;
	int has_gbps, gbps_null, has_tflops, has_rate, has_flops;
};

struct out {
	struct ev ev[MAX_EVENTS];
	size_t n;
	char display_unit[16], arrows[64];
	uint64_t part, parts, ws, we;
};

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long len;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)len + 1);
	if (buf && fread(buf, 1, (size_t)len, f) != (size_t)len) {
		free(buf);
		buf = NULL;
	}
	if (buf)
		buf[len] = '\0';
	fclose(f);
	return buf;
}

/* Copy string literal @v (with quotes, no escapes expected except \" and \\) to @dst. */
static void unquote(const char *v, char *dst, size_t size)
{
	size_t i = 0;

	if (*v == '"')
		v++;
	while (*v && *v != '\n' && i + 1 < size) {
		if (*v == '"' && (v[1] == '\n' || !v[1]))
			break;
		dst[i++] = *v++;
	}
	dst[i] = '\0';
}

/* Parse @path with the validating parser into @o; 0 if it is not valid JSON. */
static int load(const char *path, struct out *o)
{
	char *text = slurp(path), *flat, *line;
	size_t idx;

	memset(o, 0, sizeof(*o));
	if (!text)
		return 0;
	flat = json_flatten(text);
	free(text);
	if (!flat)
		return 0;
	for (line = strtok(flat, "\n"); line; line = strtok(NULL, "\n")) {
		char key[256];
		const char *v = strchr(line, '=');
		struct ev *e;
		int off = 0;

		if (!v || (size_t)(v - line) >= sizeof(key))
			continue;
		memcpy(key, line, (size_t)(v - line));
		key[v - line] = '\0';
		v++;
		if (!strcmp(key, "displayTimeUnit"))
			unquote(v, o->display_unit, sizeof(o->display_unit));
		else if (!strcmp(key, "otherData.fence_arrows"))
			unquote(v, o->arrows, sizeof(o->arrows));
		else if (!strcmp(key, "otherData.part"))
			o->part = strtoull(v, NULL, 10);
		else if (!strcmp(key, "otherData.parts"))
			o->parts = strtoull(v, NULL, 10);
		else if (!strcmp(key, "otherData.window_start_ps"))
			o->ws = strtoull(v, NULL, 10);
		else if (!strcmp(key, "otherData.window_end_ps"))
			o->we = strtoull(v, NULL, 10);
		if (sscanf(key, "traceEvents[%zu].%n", &idx, &off) != 1 || !off ||
		    idx >= MAX_EVENTS)
			continue;
		if (idx >= o->n)
			o->n = idx + 1;
		e = &o->ev[idx];
		if (!strcmp(key + off, "ph"))
			unquote(v, e->ph, sizeof(e->ph));
		else if (!strcmp(key + off, "name"))
			unquote(v, e->name, sizeof(e->name));
		else if (!strcmp(key + off, "cat"))
			unquote(v, e->cat, sizeof(e->cat));
		else if (!strcmp(key + off, "bp"))
			unquote(v, e->bp, sizeof(e->bp));
		else if (!strcmp(key + off, "pid"))
			e->pid = strtol(v, NULL, 10);
		else if (!strcmp(key + off, "tid"))
			e->tid = strtol(v, NULL, 10);
		else if (!strcmp(key + off, "ts"))
			e->ts = strtod(v, NULL), e->has_ts = 1;
		else if (!strcmp(key + off, "dur"))
			e->dur = strtod(v, NULL), e->has_dur = 1;
		else if (!strcmp(key + off, "id"))
			e->id = strtoull(v, NULL, 10), e->has_id = 1;
		else if (!strcmp(key + off, "args.row"))
			e->row = strtoull(v, NULL, 10), e->has_row = 1;
		else if (!strcmp(key + off, "args.bytes"))
			e->bytes = strtoull(v, NULL, 10);
		else if (!strcmp(key + off, "args.flops"))
			e->flops = strtoull(v, NULL, 10), e->has_flops = 1;
		else if (!strcmp(key + off, "args.cs_seq"))
			e->cs_seq = strtoull(v, NULL, 10);
		else if (!strcmp(key + off, "args.job"))
			e->job = strtoull(v, NULL, 10);
		else if (!strcmp(key + off, "args.pkt_offset"))
			e->pkt_offset = strtoull(v, NULL, 10);
		else if (!strcmp(key + off, "args.fence_id"))
			e->fence_id = strtoull(v, NULL, 10);
		else if (!strcmp(key + off, "args.sort_index"))
			e->sort_index = strtoull(v, NULL, 10);
		else if (!strcmp(key + off, "args.start_ps"))
			e->start_ps = strtoull(v, NULL, 10), e->has_start_ps = 1;
		else if (!strcmp(key + off, "args.end_ps"))
			e->end_ps = strtoull(v, NULL, 10);
		else if (!strcmp(key + off, "args.name"))
			snprintf(e->aname, sizeof(e->aname), "%s", v);
		else if (!strcmp(key + off, "args.bytes_per_s"))
			e->rate = strtod(v, NULL), e->has_rate = 1;
		else if (!strcmp(key + off, "args.GB/s"))
			e->gbps = strtod(v, NULL), e->has_gbps = 1,
			e->gbps_null = !strcmp(v, "null");
		else if (!strcmp(key + off, "args.TFLOPS"))
			e->tflops = strtod(v, NULL), e->has_tflops = 1;
	}
	free(flat);
	return 1;
}

static uint64_t us_to_ps(double us)
{
	return (uint64_t)llround(us * 1e6);
}

static const struct ev *find_row(const struct out *o, uint64_t row, size_t *count)
{
	const struct ev *hit = NULL;
	size_t i;

	*count = 0;
	for (i = 0; i < o->n; i++)
		if (!strcmp(o->ev[i].ph, "X") && o->ev[i].has_row && o->ev[i].row == row) {
			hit = &o->ev[i];
			(*count)++;
		}
	return hit;
}

/* The integral of counter track (@pid, @name) in bytes: rate * time between samples. */
static double integral(const struct out *o, long pid, const char *name, int *negative)
{
	double sum = 0, prev_ts = 0, prev_rate = 0;
	int have = 0;
	size_t i;

	for (i = 0; i < o->n; i++) {
		const struct ev *e = &o->ev[i];

		if (strcmp(e->ph, "C") || e->pid != pid || strcmp(e->name, name))
			continue;
		if (e->rate < 0)
			*negative = 1;
		if (have)
			sum += prev_rate * (e->ts - prev_ts) * 1e-6;
		prev_ts = e->ts;
		prev_rate = e->rate;
		have = 1;
	}
	if (have && prev_rate != 0)
		*negative = 1; /* the last sample must bring the track back to 0 */
	return sum;
}

/* Every "s" has one "f" with its id and the other way round. */
static void check_flows_pair(const struct out *o, size_t *num_flows)
{
	size_t i, j;

	*num_flows = 0;
	for (i = 0; i < o->n; i++) {
		size_t match = 0;
		const char *want;

		if (strcmp(o->ev[i].ph, "s") && strcmp(o->ev[i].ph, "f"))
			continue;
		CHECK(o->ev[i].has_id);
		want = !strcmp(o->ev[i].ph, "s") ? "f" : "s";
		for (j = 0; j < o->n; j++)
			if (!strcmp(o->ev[j].ph, want) && o->ev[j].id == o->ev[i].id)
				match++;
		CHECK_EQ_U64(match, 1);
		if (!strcmp(o->ev[i].ph, "s"))
			(*num_flows)++;
	}
}

/* Complete events on one thread nest: none overlaps another without holding it. */
static void check_nesting(const struct out *o)
{
	size_t i, j, bad = 0;

	for (i = 0; i < o->n; i++) {
		const struct ev *a = &o->ev[i];
		uint64_t a0 = us_to_ps(a->ts), a1 = a0 + us_to_ps(a->dur);

		if (strcmp(a->ph, "X"))
			continue;
		for (j = 0; j < o->n; j++) {
			const struct ev *b = &o->ev[j];
			uint64_t b0 = us_to_ps(b->ts), b1 = b0 + us_to_ps(b->dur);

			if (j == i || strcmp(b->ph, "X") || b->pid != a->pid || b->tid != a->tid)
				continue;
			if (a0 < b0 && b0 < a1 && a1 < b1)
				bad++;
		}
	}
	CHECK_EQ_U64(bad, 0);
}

/* ===== tests ===== */

static void test_whole(const char *res, const char *json)
{
	struct prf_perfetto_stats st;
	struct out *o = calloc(1, sizeof(*o));
	size_t i, count, nflows;
	int negative = 0;
	const struct ev *e, *s = NULL, *f = NULL;

	CHECK(o != NULL);
	if (!o)
		return;
	CHECK_EQ_U64(prf_export_perfetto(res, json, NULL, &st), HLSIM_OK);
	CHECK_EQ_U64(st.parts, 1);
	CHECK_EQ_U64(st.records, NUM_RECS);
	CHECK_EQ_U64(st.events, NUM_RECS);
	CHECK_EQ_U64(st.flows, 1);
	CHECK_EQ_U64(st.fences_unmatched, 1);
	CHECK(load(json, o));
	CHECK_STR_CONTAINS(o->display_unit, "ns");
	CHECK_EQ_U64(o->parts, 1);
	CHECK_EQ_U64(o->ws, 0);
	CHECK_EQ_U64(o->we, 100501);
	CHECK_EQ_U64(st.extra_threads, 1);
	CHECK_EQ_U64(st.misnested, 0);
	check_nesting(o);

	/* every record once, with its times, thread and args */
	for (i = 0; i < NUM_RECS; i++) {
		const struct hlsim_rec *r = &recs[i];

		e = find_row(o, i, &count);
		CHECK_EQ_U64(count, 1);
		if (!e)
			continue;
		CHECK_EQ_U64(us_to_ps(e->ts), r->start_ps);
		CHECK_EQ_U64(us_to_ps(e->dur), r->end_ps - r->start_ps);
		CHECK_EQ_U64(e->pid, units[r->unit].device + 1);
		CHECK_EQ_U64(e->tid, i == 15 ? r->unit + 1 + NUM_UNITS : r->unit + 1);
		CHECK_EQ_U64(e->bytes, r->bytes);
		CHECK_EQ_U64(e->cs_seq, r->cs_seq);
		CHECK_EQ_U64(e->job, r->job);
		CHECK_EQ_U64(e->pkt_offset, r->pkt_offset);
		CHECK_STR_CONTAINS(e->cat, prf_rec_kind_name(r->kind));
		CHECK(!e->has_start_ps); /* not clipped */
		CHECK(e->has_flops == (r->kind == HLSIM_REC_LAUNCH));
		CHECK(e->has_tflops == (r->kind == HLSIM_REC_LAUNCH));
		CHECK(e->has_gbps == (r->kind == HLSIM_REC_LAUNCH || r->kind == HLSIM_REC_DMA));
		if (r->kind == HLSIM_REC_LAUNCH)
			CHECK_EQ_U64(e->flops, r->flops);
		if (r->kind == HLSIM_REC_FENCE_WAIT)
			CHECK_EQ_U64(e->fence_id, r->aux);
		if (r->kind != HLSIM_REC_DMA)
			CHECK(!strcmp(e->name, prf_rec_kind_name(r->kind)));
	}
	e = find_row(o, 0, &count);
	CHECK(e && !strcmp(e->name, "DMA host->hbm"));
	CHECK(e && fabs(e->gbps - 1000.0) < 1e-9); /* 10000 bytes in 10 ns */
	e = find_row(o, 10, &count);
	CHECK(e && !strcmp(e->name, "DMA hbm->sram"));
	e = find_row(o, 2, &count);
	CHECK(e && fabs(e->gbps - 500.0) < 1e-9 && fabs(e->tflops - 100.0) < 1e-9);
	e = find_row(o, 8, &count);
	CHECK(e && fabs(e->gbps - 100000.0) < 1e-9 && fabs(e->tflops - 200000.0) < 1e-9);
	e = find_row(o, 7, &count); /* zero length: rate undefined */
	CHECK(e && e->has_gbps && e->gbps_null);

	/* metadata: process per device, thread per unit in unit order, escaped name */
	for (i = 0; i < NUM_UNITS; i++) {
		size_t j, names = 0, sorts = 0;

		for (j = 0; j < o->n; j++) {
			e = &o->ev[j];
			if (strcmp(e->ph, "M") || e->tid != (long)i + 1 ||
			    e->pid != (long)units[i].device + 1)
				continue;
			if (!strcmp(e->name, "thread_name")) {
				char want[80];

				names++;
				if (i == U_Q1)
					snprintf(want, sizeof(want), "\"TPC_0_0 \\\"q\\\"\\\\\"");
				else
					snprintf(want, sizeof(want), "\"%s\"", units[i].name);
				CHECK(!strcmp(e->aname, want));
			} else if (!strcmp(e->name, "thread_sort_index")) {
				sorts++;
				CHECK_EQ_U64(e->sort_index, i);
			}
		}
		CHECK_EQ_U64(names, 1);
		CHECK_EQ_U64(sorts, 1);
	}
	for (i = 0, count = 0; i < o->n; i++) {
		e = &o->ev[i];
		if (!strcmp(e->ph, "M") && !strcmp(e->name, "process_name")) {
			count++;
			CHECK(!strcmp(e->aname, e->pid == 1 ? "\"gaudi device 0\"" :
							       "\"gaudi device 1\""));
		}
	}
	CHECK_EQ_U64(count, 2);
	for (i = 0, count = 0; i < o->n; i++) {
		e = &o->ev[i];
		if (!strcmp(e->ph, "M") && e->tid == 1 + NUM_UNITS) {
			count++;
			if (!strcmp(e->name, "thread_name"))
				CHECK(!strcmp(e->aname, "\"host (2)\""));
			else
				CHECK_EQ_U64(e->sort_index, U_HOST);
		}
	}
	CHECK_EQ_U64(count, 2);

	/* flows: paired; the fence of CS 1 comes from the TPC launch (latest end before it) */
	check_flows_pair(o, &nflows);
	CHECK_EQ_U64(nflows, 1);
	for (i = 0; i < o->n; i++) {
		if (!strcmp(o->ev[i].ph, "s"))
			s = &o->ev[i];
		if (!strcmp(o->ev[i].ph, "f"))
			f = &o->ev[i];
	}
	CHECK(s && s->tid == U_TPC + 1 && s->pid == 1);
	CHECK(f && f->tid == U_Q0 + 1 && !strcmp(f->bp, "e"));
	/* each lies inside its slice: 1 ns before the end */
	CHECK(s && us_to_ps(s->ts) == recs[2].end_ps - 1000);
	CHECK(f && us_to_ps(f->ts) == recs[3].end_ps - 1000);

	/* counters: non-negative, back to 0, integrate to the bytes moved */
	CHECK(fabs(integral(o, 1, "DMA host->hbm", &negative) - 10000) < 1);
	CHECK(fabs(integral(o, 1, "DMA sram->hbm", &negative) - 512) < 1);
	CHECK(fabs(integral(o, 1, "DMA hbm->sram", &negative) - 20000) < 1);
	CHECK(fabs(integral(o, 1, "LAUNCH tpc", &negative) - 6000) < 1);
	CHECK(fabs(integral(o, 2, "LAUNCH mme", &negative) - 4000000) < 1);
	CHECK(!negative);
	free(o);
}

static void test_window(const char *res, const char *json)
{
	struct prf_perfetto_options opt = { .window_start_ps = 10000, .window_end_ps = 28000 };
	static const uint64_t in_window[] = { 0, 1, 2, 3, 8, 11, 13, 14 };
	struct prf_perfetto_stats st;
	struct out *o = calloc(1, sizeof(*o));
	size_t i, j, count, nflows, xs = 0;
	int negative = 0;

	CHECK(o != NULL);
	if (!o)
		return;
	CHECK_EQ_U64(prf_export_perfetto(res, json, &opt, &st), HLSIM_OK);
	CHECK(load(json, o));
	CHECK_EQ_U64(o->ws, 10000);
	CHECK_EQ_U64(o->we, 28000);
	check_nesting(o);
	for (i = 0; i < o->n; i++)
		xs += !strcmp(o->ev[i].ph, "X");
	CHECK_EQ_U64(xs, sizeof(in_window) / sizeof(in_window[0]));
	for (i = 0; i < sizeof(in_window) / sizeof(in_window[0]); i++) {
		const struct hlsim_rec *r = &recs[in_window[i]];
		const struct ev *e = find_row(o, in_window[i], &count);
		uint64_t s = r->start_ps > 10000 ? r->start_ps : 10000;
		uint64_t t = r->end_ps < 28000 ? r->end_ps : 28000;

		CHECK_EQ_U64(count, 1);
		if (!e)
			continue;
		CHECK_EQ_U64(us_to_ps(e->ts), s);
		CHECK_EQ_U64(us_to_ps(e->dur), t - s);
		CHECK(e->has_start_ps == (s != r->start_ps || t != r->end_ps));
		if (e->has_start_ps) {
			CHECK_EQ_U64(e->start_ps, r->start_ps);
			CHECK_EQ_U64(e->end_ps, r->end_ps);
		}
	}
	for (j = 0; j < NUM_RECS; j++) {
		int want = 0;

		for (i = 0; i < sizeof(in_window) / sizeof(in_window[0]); i++)
			want |= in_window[i] == j;
		if (!want) {
			find_row(o, j, &count);
			CHECK_EQ_U64(count, 0);
		}
	}
	check_flows_pair(o, &nflows);
	CHECK_EQ_U64(nflows, 1);
	/* clipped bytes: 10000 * 2/10 of the first DMA, 4e6 * 18/40 of the MME launch */
	CHECK(fabs(integral(o, 1, "DMA host->hbm", &negative) - 2000) < 1);
	CHECK(fabs(integral(o, 1, "LAUNCH tpc", &negative) - 6000) < 1);
	CHECK(fabs(integral(o, 2, "LAUNCH mme", &negative) - 1800000) < 1);
	CHECK(!negative);

	/* bad windows */
	opt.window_start_ps = 5000;
	opt.window_end_ps = 5000;
	CHECK_EQ_U64(prf_export_perfetto(res, json, &opt, NULL), HLSIM_E_INVAL);
	opt.window_start_ps = 200000;
	opt.window_end_ps = 300000;
	CHECK_EQ_U64(prf_export_perfetto(res, json, &opt, NULL), HLSIM_E_INVAL);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "after the end of the run");
	free(o);
}

enum { SPLIT_RECS = 3000 };

static void test_split(const char *dir)
{
	struct prf_perfetto_options opt = { .max_bytes = 96 << 10 };
	struct prf_perfetto_stats st;
	char res[512], json[512], part[512];
	struct hlsim_rec *r = calloc(SPLIT_RECS, sizeof(*r));
	struct out *o = calloc(1, sizeof(*o));
	uint8_t *seen = calloc(SPLIT_RECS, 1);
	double total = 0;
	uint64_t bytes = 0, k;
	unsigned int p;
	int negative = 0;

	CHECK(r && o && seen);
	if (!r || !o || !seen)
		goto out;
	for (k = 0; k < SPLIT_RECS; k++) {
		r[k].start_ps = k * 1000;
		r[k].end_ps = k * 1000 + 1500; /* transfers of one engine overlap a little */
		r[k].bytes = 1000 + k;
		r[k].cs_seq = k / 10;
		r[k].unit = k % 2 ? U_DMA : U_TPC;
		r[k].kind = k % 2 ? HLSIM_REC_DMA : HLSIM_REC_LAUNCH;
		r[k].aux = k % 2 ? DMA_AUX(MDL_MEM_HBM, MDL_MEM_HBM) : MDL_ENGINE_TPC;
		r[k].flops = k % 2 ? 0 : 4 * k;
		bytes += k % 2 ? r[k].bytes : 0;
	}
	snprintf(res, sizeof(res), "%s/split.h5", dir);
	snprintf(json, sizeof(json), "%s/split.json", dir);
	CHECK_EQ_U64(write_file(res, r, SPLIT_RECS), HLSIM_OK);
	CHECK_EQ_U64(prf_export_perfetto(res, json, &opt, &st), HLSIM_OK);
	CHECK(st.parts >= 3);
	CHECK_EQ_U64(st.parts_over_limit, 0);
	CHECK(st.largest_part_bytes <= opt.max_bytes);
	CHECK(access(json, F_OK) != 0); /* the parts, not the file itself */
	for (p = 1; p <= st.parts; p++) {
		size_t i;

		CHECK_EQ_U64(prf_perfetto_part_path(json, p, part, sizeof(part)), HLSIM_OK);
		CHECK(load(part, o));
		CHECK_EQ_U64(o->part, p);
		CHECK_EQ_U64(o->parts, st.parts);
		check_nesting(o);
		for (i = 0; i < o->n; i++)
			if (!strcmp(o->ev[i].ph, "X") && o->ev[i].has_row &&
			    o->ev[i].row < SPLIT_RECS)
				seen[o->ev[i].row] = 1;
		total += integral(o, 1, "DMA hbm->hbm", &negative);
		unlink(part);
	}
	for (k = 0; k < SPLIT_RECS; k++)
		if (!seen[k])
			break;
	CHECK_EQ_U64(k, SPLIT_RECS); /* every record in some part */
	CHECK(fabs(total - (double)bytes) < st.parts);
	CHECK(!negative);
	CHECK_EQ_U64(prf_perfetto_part_path("a/t.json", 2, part, sizeof(part)), HLSIM_OK);
	CHECK(!strcmp(part, "a/t.2.json"));
	CHECK_EQ_U64(prf_perfetto_part_path("t", 11, part, sizeof(part)), HLSIM_OK);
	CHECK(!strcmp(part, "t.11.json"));

	/* too small a limit is refused, naming the option */
	opt.max_bytes = 1000;
	CHECK_EQ_U64(prf_export_perfetto(res, json, &opt, &st), HLSIM_E_INVAL);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "--max-bytes");
	unlink(res);
out:
	free(seen);
	free(o);
	free(r);
}

/* The "s" and "f" events of flow @id. */
static void flow_ends(const struct out *o, uint64_t id, const struct ev **s, const struct ev **f)
{
	size_t i;

	*s = *f = NULL;
	for (i = 0; i < o->n; i++) {
		if (!o->ev[i].has_id || o->ev[i].id != id)
			continue;
		if (!strcmp(o->ev[i].ph, "s"))
			*s = &o->ev[i];
		else if (!strcmp(o->ev[i].ph, "f"))
			*f = &o->ev[i];
	}
}

static void test_releases(const char *dir)
{
	/* row 3 released by the DMA (not the TPC launch timing suggests), row 9 by device 1 */
	struct hlsim_release rel[2] = {
		{ .wait_row = 3, .signal_ps = 12000, .producer_row = 0, .producer_unit = U_DMA,
		  .sob = 3 },
		{ .wait_row = 9, .signal_ps = 45000, .producer_row = 8, .producer_unit = U_MME1,
		  .sob = UINT32_MAX },
	};
	struct prf_perfetto_options opt = { .window_start_ps = 10000, .window_end_ps = 28000 };
	struct prf_perfetto_stats st;
	struct out *o = calloc(1, sizeof(*o));
	const struct ev *s, *f;
	char res[512], json[512];
	size_t nflows;

	CHECK(o != NULL);
	if (!o)
		return;
	snprintf(res, sizeof(res), "%s/rel.h5", dir);
	snprintf(json, sizeof(json), "%s/rel.json", dir);
	CHECK_EQ_U64(write_file_rel(res, recs, NUM_RECS, rel, 2), HLSIM_OK);
	CHECK_EQ_U64(prf_export_perfetto(res, json, NULL, &st), HLSIM_OK);
	CHECK(st.exact_flows);
	CHECK_EQ_U64(st.flows, 2);
	CHECK_EQ_U64(st.fences_unmatched, 0);
	CHECK(load(json, o));
	CHECK(!strcmp(o->arrows, "producer from /releases"));
	check_flows_pair(o, &nflows);
	CHECK_EQ_U64(nflows, 2);
	check_nesting(o);
	flow_ends(o, 0, &s, &f);
	CHECK(s && s->pid == 1 && s->tid == U_DMA + 1 && us_to_ps(s->ts) == 12000 - 1000);
	CHECK(f && f->pid == 1 && f->tid == U_Q0 + 1 && us_to_ps(f->ts) == 30000 - 1000);
	flow_ends(o, 1, &s, &f); /* across devices: from device 1's MME */
	CHECK(s && s->pid == 2 && s->tid == U_MME1 + 1 && us_to_ps(s->ts) == 45000 - 1000);
	CHECK(f && f->pid == 1 && f->tid == U_Q1 + 1 && us_to_ps(f->ts) == 50000 - 1000);

	/* a window: the DMA is clipped to [10000, 12000), the arrow leaves its middle */
	CHECK_EQ_U64(prf_export_perfetto(res, json, &opt, &st), HLSIM_OK);
	CHECK_EQ_U64(st.flows, 1);
	CHECK(load(json, o));
	flow_ends(o, 0, &s, &f);
	CHECK(s && s->tid == U_DMA + 1 && us_to_ps(s->ts) == 11000);
	CHECK(f && f->tid == U_Q0 + 1);

	/* a CP's own message: from that CP's thread at the signal time */
	rel[1].producer_row = UINT64_MAX;
	rel[1].producer_unit = U_Q0;
	rel[1].signal_ps = 40000;
	CHECK_EQ_U64(write_file_rel(res, recs, NUM_RECS, rel, 2), HLSIM_OK);
	CHECK_EQ_U64(prf_export_perfetto(res, json, NULL, &st), HLSIM_OK);
	CHECK_EQ_U64(st.flows, 2);
	CHECK(load(json, o));
	flow_ends(o, 1, &s, &f);
	CHECK(s && s->pid == 1 && s->tid == U_Q0 + 1 && us_to_ps(s->ts) == 40000);
	CHECK(f && f->tid == U_Q1 + 1);

	/* releases out of wait order are refused */
	rel[0].wait_row = 9;
	rel[1].wait_row = 3;
	CHECK_EQ_U64(write_file_rel(res, recs, NUM_RECS, rel, 2), HLSIM_OK);
	CHECK_EQ_U64(prf_export_perfetto(res, json, NULL, &st), HLSIM_E_TRACE_FORMAT);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(),
			   "/releases row 1: wait_row 3 does not follow");
	unlink(json);
	unlink(res);
	free(o);
}

static void test_bad_input(const char *dir)
{
	struct hlsim_rec bad[2];
	char res[512], json[512];

	memcpy(bad, recs, sizeof(bad));
	bad[1].kind = HLSIM_REC_DMA;
	bad[1].aux = DMA_AUX(9, 1);
	snprintf(res, sizeof(res), "%s/bad.h5", dir);
	snprintf(json, sizeof(json), "%s/bad.json", dir);
	CHECK_EQ_U64(write_file(res, bad, 2), HLSIM_OK);
	CHECK_EQ_U64(prf_export_perfetto(res, json, NULL, NULL), HLSIM_E_TRACE_FORMAT);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "row 1");
	CHECK(access(json, F_OK) != 0); /* checked before anything is written */
	CHECK(prf_export_perfetto("/nonexistent/r.h5", json, NULL, NULL) != HLSIM_OK);
	unlink(res);
}

int main(void)
{
	char dir[] = "/tmp/hlsim-test-export-XXXXXX", res[512], json[512];

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(res, sizeof(res), "%s/results.h5", dir);
	snprintf(json, sizeof(json), "%s/out.json", dir);
	CHECK_EQ_U64(write_file(res, recs, NUM_RECS), HLSIM_OK);
	test_whole(res, json);
	test_window(res, json);
	test_split(dir);
	test_releases(dir);
	test_bad_input(dir);
	unlink(json);
	unlink(res);
	rmdir(dir);
	return check_summary();
}
