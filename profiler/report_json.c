/*
 * profiler/report_json.c - the JSON report, schema "hlsim-report" version 1.
 *
 * Every field, its type and its unit are in profiler/REPORT-SCHEMA.md; change both
 * together and bump PRF_JSON_SCHEMA_VERSION on any incompatible change. Times are integer
 * picoseconds, counts and bytes integers; derived rates and fractions are decimals written
 * without locale (prf_fmt_fixed), and null where they are undefined (a zero-length window
 * or busy time), never NaN or infinity. Objects keep a fixed key order and arrays are in
 * unit-id order, so the same results give the same bytes.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "profiler/prf.h"

#define PRF_JSON_SCHEMA_NAME "hlsim-report"
#define PRF_JSON_SCHEMA_VERSION 2 /* 2: stall_attribution, critical_path */

/* Length of the valid UTF-8 sequence at @s (at most @len bytes), or 0 if invalid. */
static size_t utf8_seq_len(const unsigned char *s, size_t len)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t need, i;

	if (c >= 0xc2 && c <= 0xdf) {
		need = 1;
	} else if (c >= 0xe0 && c <= 0xef) {
		need = 2;
		if (c == 0xe0)
			lo = 0xa0; /* no overlong 3-byte forms */
		else if (c == 0xed)
			hi = 0x9f; /* no UTF-16 surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 3;
		if (c == 0xf0)
			lo = 0x90; /* no overlong 4-byte forms */
		else if (c == 0xf4)
			hi = 0x8f; /* nothing above U+10FFFF */
	} else {
		return 0;
	}
	if (need >= len)
		return 0;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i <= need; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return need + 1;
}

void prf_json_write_string(FILE *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	fputc('"', out);
	while (i < len) {
		unsigned char c = p[i];
		size_t n;

		if (c >= 0x80) {
			n = utf8_seq_len(p + i, len - i);
			if (n) {
				fwrite(p + i, 1, n, out);
				i += n;
			} else {
				fputs("\\ufffd", out);
				i++;
			}
			continue;
		}
		switch (c) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\b':
			fputs("\\b", out);
			break;
		case '\f':
			fputs("\\f", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\r':
			fputs("\\r", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		default:
			if (c < 0x20)
				fprintf(out, "\\u%04x", c);
			else
				fputc(c, out);
			break;
		}
		i++;
	}
	fputc('"', out);
}

/* ===== small helpers that write `"key": value` ===== */

static void key(FILE *out, int indent, const char *name)
{
	fprintf(out, "%*s\"%s\": ", indent, "", name);
}

static void kv_str(FILE *out, int indent, const char *name, const char *value, size_t max_len,
		   const char *end)
{
	key(out, indent, name);
	prf_json_write_string(out, value, strnlen(value, max_len));
	fputs(end, out);
}

static void kv_u64(FILE *out, int indent, const char *name, uint64_t value, const char *end)
{
	key(out, indent, name);
	fprintf(out, "%" PRIu64 "%s", value, end);
}

/* A finite non-negative decimal with @decimals digits, else null. */
static void kv_dec(FILE *out, int indent, const char *name, double value, int decimals,
		   const char *end)
{
	char buf[48];

	key(out, indent, name);
	if (isfinite(value) && value >= 0)
		fprintf(out, "%s%s", prf_fmt_fixed(buf, sizeof(buf), value, decimals), end);
	else
		fprintf(out, "null%s", end);
}

/* @part / @whole as a fraction with 6 decimals; null when @whole is 0. */
static void kv_frac(FILE *out, int indent, const char *name, uint64_t part, uint64_t whole,
		    const char *end)
{
	kv_dec(out, indent, name, whole ? (double)part / (double)whole : NAN, 6, end);
}

/* @bytes moved in @ps as whole bytes per second; null when @ps is 0. */
static void kv_rate(FILE *out, int indent, const char *name, uint64_t bytes, uint64_t ps,
		    const char *end)
{
	kv_dec(out, indent, name, ps ? (double)bytes * 1e12 / (double)ps : NAN, 0, end);
}

/* ===== sections ===== */

static void write_run(const struct prf_report *rep, FILE *out)
{
	const struct hlsim_run_info *run = &rep->run;
	double wall_s = run->wall_s;
	int wall_ok = isfinite(wall_s) && wall_s > 0;
	size_t i, with_counters = 0;

	for (i = 0; i < rep->num_units; i++)
		with_counters += rep->units[i].have_counters != 0;

	fputs("  \"run\": {\n", out);
	kv_str(out, 4, "trace_path", run->trace_path, sizeof(run->trace_path), ",\n");
	kv_str(out, 4, "config_name", run->config_name, sizeof(run->config_name), ",\n");
	kv_str(out, 4, "hlsim_version", run->hlsim_version, sizeof(run->hlsim_version), ",\n");
	kv_u64(out, 4, "simulated_time_ps", run->simulated_time_ps, ",\n");
	kv_u64(out, 4, "cs_count", run->cs_count, ",\n");
	kv_u64(out, 4, "job_count", run->job_count, ",\n");
	kv_u64(out, 4, "packets", run->packets, ",\n");
	kv_u64(out, 4, "activities", run->activities, ",\n");
	kv_dec(out, 4, "wall_s", isfinite(wall_s) && wall_s >= 0 ? wall_s : NAN, 6, ",\n");
	kv_dec(out, 4, "packets_per_s", wall_ok ? (double)run->packets / wall_s : NAN, 0, ",\n");
	kv_dec(out, 4, "activities_per_s", wall_ok ? (double)run->activities / wall_s : NAN, 0,
	       ",\n");
	kv_u64(out, 4, "peak_rss_bytes", run->peak_rss_bytes, ",\n");
	kv_u64(out, 4, "timeline_records", rep->records_total, ",\n");
	kv_u64(out, 4, "records_in_window", rep->records_in_window, ",\n");
	kv_u64(out, 4, "records_past_end", rep->records_past_end, ",\n");
	kv_u64(out, 4, "inexact_records", rep->inexact_count, ",\n");
	kv_u64(out, 4, "units", rep->num_units, ",\n");
	kv_u64(out, 4, "units_with_counters", with_counters, ",\n");
	kv_u64(out, 4, "plot_records", rep->timeline.records, ",\n");
	kv_u64(out, 4, "plot_bars", rep->timeline.n, ",\n");
	key(out, 4, "plot_merged");
	fprintf(out, "%s\n", rep->timeline.merging ? "true" : "false");
	fputs("  },\n", out);
}

static void write_unit_head(const struct prf_unit_stats *st, FILE *out)
{
	kv_u64(out, 6, "id", st->unit.id, ",\n");
	kv_u64(out, 6, "device", st->unit.device, ",\n");
	kv_str(out, 6, "name", st->unit.name, sizeof(st->unit.name), ",\n");
}

static void write_engines(const struct prf_report *rep, FILE *out)
{
	uint64_t window_ps = prf_report_window_ps(rep);
	int first = 1;
	size_t i;

	fputs("  \"engines\": [", out);
	for (i = 0; i < rep->num_units; i++) {
		const struct prf_unit_stats *st = &rep->units[i];

		if (st->unit.kind != HLSIM_UNIT_ENGINE)
			continue;
		fputs(first ? "\n    {\n" : ",\n    {\n", out);
		first = 0;
		write_unit_head(st, out);
		kv_str(out, 6, "kind", st->unit.engine_class, sizeof(st->unit.engine_class),
		       ",\n");
		kv_u64(out, 6, "busy_ps", st->busy_ps, ",\n");
		kv_frac(out, 6, "busy_fraction", st->busy_ps, window_ps, ",\n");
		kv_u64(out, 6, "idle_ps", st->idle_ps, ",\n");
		kv_u64(out, 6, "bytes", st->dma_bytes, ",\n");
		kv_u64(out, 6, "transfers", st->transfers, ",\n");
		kv_rate(out, 6, "bytes_per_s_busy", st->dma_bytes, st->busy_ps, ",\n");
		kv_rate(out, 6, "bytes_per_s_window", st->dma_bytes, window_ps, ",\n");
		kv_u64(out, 6, "records", st->records, "\n");
		fputs("    }", out);
	}
	fputs(first ? "],\n" : "\n  ],\n", out);
}

static void write_queues(const struct prf_report *rep, FILE *out)
{
	uint64_t window_ps = prf_report_window_ps(rep);
	int first = 1;
	size_t i;

	fputs("  \"queues\": [", out);
	for (i = 0; i < rep->num_units; i++) {
		const struct prf_unit_stats *st = &rep->units[i];

		if (st->unit.kind != HLSIM_UNIT_QUEUE && st->unit.kind != HLSIM_UNIT_LOWER_CP)
			continue;
		fputs(first ? "\n    {\n" : ",\n    {\n", out);
		first = 0;
		write_unit_head(st, out);
		kv_str(out, 6, "kind", prf_unit_kind_name(st->unit.kind), 16, ",\n");
		kv_str(out, 6, "engine_class", st->unit.engine_class,
		       sizeof(st->unit.engine_class), ",\n");
		kv_u64(out, 6, "busy_ps", st->busy_ps, ",\n");
		kv_frac(out, 6, "busy_fraction", st->busy_ps, window_ps, ",\n");
		kv_u64(out, 6, "fence_wait_ps", st->fence_wait_ps, ",\n");
		kv_frac(out, 6, "fence_wait_fraction", st->fence_wait_ps, window_ps, ",\n");
		kv_u64(out, 6, "barrier_wait_ps", st->barrier_wait_ps, ",\n");
		kv_u64(out, 6, "timed_wait_ps", st->timed_wait_ps, ",\n");
		kv_u64(out, 6, "idle_ps", st->idle_ps, ",\n");
		kv_u64(out, 6, "jobs", st->jobs, ",\n");
		if (rep->whole_run && st->have_counters)
			kv_u64(out, 6, "packets", st->counters.packets, ",\n");
		else
			fputs("      \"packets\": null,\n", out);
		kv_u64(out, 6, "cb_bytes", st->cb_bytes, ",\n");
		kv_u64(out, 6, "records", st->records, "\n");
		fputs("    }", out);
	}
	fputs(first ? "],\n" : "\n  ],\n", out);
}

static void write_hosts(const struct prf_report *rep, FILE *out)
{
	uint64_t window_ps = prf_report_window_ps(rep);
	int first = 1;
	size_t i;

	fputs("  \"hosts\": [", out);
	for (i = 0; i < rep->num_units; i++) {
		const struct prf_unit_stats *st = &rep->units[i];

		if (st->unit.kind != HLSIM_UNIT_HOST)
			continue;
		fputs(first ? "\n    {\n" : ",\n    {\n", out);
		first = 0;
		write_unit_head(st, out);
		kv_u64(out, 6, "busy_ps", st->busy_ps, ",\n");
		kv_frac(out, 6, "busy_fraction", st->busy_ps, window_ps, ",\n");
		kv_u64(out, 6, "idle_ps", st->idle_ps, ",\n");
		kv_u64(out, 6, "cs", st->kind_records[HLSIM_REC_CS], ",\n");
		kv_u64(out, 6, "records", st->records, "\n");
		fputs("    }", out);
	}
	fputs(first ? "],\n" : "\n  ],\n", out);
}

static void write_paths(const struct prf_report *rep, FILE *out)
{
	uint64_t window_ps = prf_report_window_ps(rep);
	int first = 1, s, d;

	fputs("  \"dma_paths\": [", out);
	for (s = 0; s < MDL_MEM_KIND_COUNT_; s++) {
		for (d = 0; d < MDL_MEM_KIND_COUNT_; d++) {
			const struct prf_path_stats *p = &rep->paths[s][d];

			if (!p->transfers)
				continue;
			fputs(first ? "\n    {\n" : ",\n    {\n", out);
			first = 0;
			kv_str(out, 6, "src", mdl_mem_kind_name((enum mdl_mem_kind)s), 16, ",\n");
			kv_str(out, 6, "dst", mdl_mem_kind_name((enum mdl_mem_kind)d), 16, ",\n");
			kv_u64(out, 6, "bytes", p->bytes, ",\n");
			kv_u64(out, 6, "transfers", p->transfers, ",\n");
			kv_u64(out, 6, "busy_ps", p->busy_ps, ",\n");
			kv_frac(out, 6, "busy_fraction", p->busy_ps, window_ps, ",\n");
			kv_rate(out, 6, "bytes_per_s_busy", p->bytes, p->busy_ps, "\n");
			fputs("    }", out);
		}
	}
	fputs(first ? "],\n" : "\n  ],\n", out);
}

/* "top_launches" and "launches_by_kernel" (added in schema 1, optional; REPORT-SCHEMA.md). */
static void write_launches(const struct prf_report *rep, FILE *out)
{
	const struct prf_launches *l = &rep->launches;
	size_t i;

	fputs("  \"top_launches\": [", out);
	for (i = 0; i < l->num_top; i++) {
		const struct prf_launch *la = &l->top[i];
		const struct prf_unit_stats *st = &rep->units[la->rec.unit];
		uint64_t dur_ps = la->rec.end_ps - la->rec.start_ps;

		fputs(i ? ",\n    {\n" : "\n    {\n", out);
		kv_u64(out, 6, "unit", st->unit.id, ",\n");
		kv_str(out, 6, "unit_name", st->unit.name, sizeof(st->unit.name), ",\n");
		kv_str(out, 6, "engine_class", st->unit.engine_class,
		       sizeof(st->unit.engine_class), ",\n");
		kv_u64(out, 6, "start_ps", la->rec.start_ps, ",\n");
		kv_u64(out, 6, "duration_ps", dur_ps, ",\n");
		kv_u64(out, 6, "bytes", la->rec.bytes, ",\n");
		kv_u64(out, 6, "flops", la->rec.flops, ",\n");
		kv_dec(out, 6, "flops_per_s", dur_ps ? (double)la->rec.flops * 1e12 /
			       (double)dur_ps : NAN, 0, ",\n");
		kv_rate(out, 6, "bytes_per_s", la->rec.bytes, dur_ps, ",\n");
		kv_u64(out, 6, "cs_seq", la->rec.cs_seq, ",\n");
		kv_u64(out, 6, "job", la->rec.job, ",\n");
		if (la->kernel[0])
			kv_str(out, 6, "kernel", la->kernel, sizeof(la->kernel), "\n");
		else
			fputs("      \"kernel\": null\n", out);
		fputs("    }", out);
	}
	fputs(l->num_top ? "\n  ],\n" : "],\n", out);
	fputs("  \"launches_by_kernel\": {\n", out);
	kv_u64(out, 4, "launches", l->launches, ",\n");
	kv_u64(out, 4, "ungrouped_launches", l->ungrouped, ",\n");
	key(out, 4, "names_note");
	if (l->names_note[0])
		prf_json_write_string(out, l->names_note, strlen(l->names_note));
	else
		fputs("null", out);
	fputs(",\n    \"kernels\": [", out);
	for (i = 0; i < l->num_kernels; i++) {
		const struct prf_kernel_stats *k = &l->kernels[i];

		fputs(i ? ",\n      {\n" : "\n      {\n", out);
		if (k->kernel[0])
			kv_str(out, 8, "kernel", k->kernel, sizeof(k->kernel), ",\n");
		else
			fputs("        \"kernel\": null,\n", out);
		kv_str(out, 8, "engine_class", k->engine_class, sizeof(k->engine_class), ",\n");
		kv_u64(out, 8, "launches", k->launches, ",\n");
		kv_u64(out, 8, "total_ps", k->total_ps, ",\n");
		kv_u64(out, 8, "flops", k->flops, ",\n");
		kv_u64(out, 8, "bytes", k->bytes, ",\n");
		kv_dec(out, 8, "flops_per_s", k->total_ps ? (double)k->flops * 1e12 /
			       (double)k->total_ps : NAN, 0, "\n");
		fputs("      }", out);
	}
	fputs(l->num_kernels ? "\n    ]\n  },\n" : "]\n  },\n", out);
}

static void write_bottleneck(const struct prf_report *rep, FILE *out)
{
	uint64_t window_ps = prf_report_window_ps(rep);
	struct prf_bottleneck b;

	prf_report_bottleneck(rep, &b);
	fputs("  \"bottleneck\": {\n", out);
	key(out, 4, "engine");
	if (b.engine >= 0) {
		const struct prf_unit_stats *st = &rep->units[b.engine];

		fputs("{\n", out);
		kv_u64(out, 6, "id", st->unit.id, ",\n");
		kv_str(out, 6, "name", st->unit.name, sizeof(st->unit.name), ",\n");
		kv_str(out, 6, "kind", st->unit.engine_class, sizeof(st->unit.engine_class),
		       ",\n");
		kv_u64(out, 6, "busy_ps", st->busy_ps, ",\n");
		kv_frac(out, 6, "busy_fraction", st->busy_ps, window_ps, "\n");
		fputs("    },\n", out);
	} else {
		fputs("null,\n", out);
	}
	key(out, 4, "fence_queue");
	if (b.fence_queue >= 0) {
		const struct prf_unit_stats *st = &rep->units[b.fence_queue];

		fputs("{\n", out);
		kv_u64(out, 6, "id", st->unit.id, ",\n");
		kv_str(out, 6, "name", st->unit.name, sizeof(st->unit.name), ",\n");
		kv_str(out, 6, "kind", prf_unit_kind_name(st->unit.kind), 16, ",\n");
		kv_u64(out, 6, "fence_wait_ps", st->fence_wait_ps, ",\n");
		kv_frac(out, 6, "fence_wait_fraction", st->fence_wait_ps, window_ps, "\n");
		fputs("    },\n", out);
	} else {
		fputs("null,\n", out);
	}
	key(out, 4, "dma_path");
	if (b.path_src >= 0) {
		const struct prf_path_stats *p = &rep->paths[b.path_src][b.path_dst];

		fputs("{\n", out);
		kv_str(out, 6, "src", mdl_mem_kind_name((enum mdl_mem_kind)p->src), 16, ",\n");
		kv_str(out, 6, "dst", mdl_mem_kind_name((enum mdl_mem_kind)p->dst), 16, ",\n");
		kv_u64(out, 6, "busy_ps", p->busy_ps, ",\n");
		kv_frac(out, 6, "busy_fraction", p->busy_ps, window_ps, ",\n");
		kv_u64(out, 6, "bytes", p->bytes, ",\n");
		kv_rate(out, 6, "bytes_per_s_busy", p->bytes, p->busy_ps, "\n");
		fputs("    }\n", out);
	} else {
		fputs("null\n", out);
	}
	fputs("  },\n", out);
}

/* "advice" (added, optional; REPORT-SCHEMA.md): the items of profiler/advice.c. */
static hlsim_err_t write_advice(const struct prf_report *rep, FILE *out)
{
	struct prf_advice adv;
	hlsim_err_t rc;
	size_t i, v;

	rc = prf_advice_compute(rep, &rep->advice_cfg, &adv);
	if (rc)
		return rc;
	fputs("  \"advice\": [", out);
	for (i = 0; i < adv.n; i++) {
		const struct prf_advice_item *it = &adv.items[i];

		fputs(i ? ",\n    {\n" : "\n    {\n", out);
		kv_str(out, 6, "rule", it->rule, 64, ",\n");
		kv_str(out, 6, "severity", it->severity, 16, ",\n");
		kv_str(out, 6, "subject", it->subject, sizeof(it->subject), ",\n");
		kv_str(out, 6, "sentence", it->sentence, sizeof(it->sentence), ",\n");
		fputs("      \"values\": {", out);
		for (v = 0; v < it->num_values; v++) {
			fputs(v ? ",\n" : "\n", out);
			kv_dec(out, 8, it->values[v].name, it->values[v].value, 6, "");
		}
		fputs(it->num_values ? "\n      }\n    }" : "}\n    }", out);
	}
	fputs(adv.n ? "\n  ],\n" : "],\n", out);
	prf_advice_free(&adv);
	return HLSIM_OK;
}

static const char *json_unit_name(const struct prf_report *rep, uint32_t id)
{
	return id < rep->num_units ? rep->units[id].unit.name : "?";
}

static uint64_t queue_fence_ps(const struct prf_report *rep, uint32_t id)
{
	return id < rep->num_units ? rep->units[id].fence_wait_ps : 0;
}

/* "stall_attribution" (schema 2): fence-blocked time per producer. */
static hlsim_err_t write_stalls(const struct prf_report *rep, FILE *out)
{
	const struct prf_stalls *st = &rep->stalls;
	struct prf_stall_pair top[PRF_STALL_TOP];
	const struct prf_stall_row **rows;
	char sob[32];
	hlsim_err_t rc;
	size_t i, ntop;

	ntop = prf_stalls_top(st, top, PRF_STALL_TOP, &rc);
	if (rc)
		return rc;
	rows = prf_stalls_sorted(st, &rc);
	if (rc)
		return rc;
	fputs("  \"stall_attribution\": {\n", out);
	key(out, 4, "available");
	fprintf(out, "%s,\n", st->have_releases ? "true" : "false");
	kv_u64(out, 4, "fence_waits", st->waits, ",\n");
	kv_u64(out, 4, "blocked_ps", st->blocked_ps, ",\n");
	kv_u64(out, 4, "unattributed_waits", st->unattributed_waits, ",\n");
	kv_u64(out, 4, "unattributed_ps", st->unattributed_ps, ",\n");
	kv_u64(out, 4, "dropped_waits", st->dropped_waits, ",\n");
	kv_u64(out, 4, "dropped_ps", st->dropped_ps, ",\n");
	fputs("    \"top\": [", out);
	for (i = 0; i < ntop; i++) {
		fputs(i ? ",\n      {\n" : "\n      {\n", out);
		kv_u64(out, 8, "queue", top[i].queue, ",\n");
		kv_str(out, 8, "queue_name", json_unit_name(rep, top[i].queue), 32, ",\n");
		kv_u64(out, 8, "producer", top[i].producer, ",\n");
		kv_str(out, 8, "producer_name", json_unit_name(rep, top[i].producer), 32, ",\n");
		kv_u64(out, 8, "waits", top[i].waits, ",\n");
		kv_u64(out, 8, "blocked_ps", top[i].blocked_ps, ",\n");
		kv_frac(out, 8, "share", top[i].blocked_ps, queue_fence_ps(rep, top[i].queue),
			"\n      }");
	}
	fputs(ntop ? "\n    ],\n" : "],\n", out);
	fputs("    \"rows\": [", out);
	for (i = 0; i < st->n; i++) {
		const struct prf_stall_row *r = rows[i];

		fputs(i ? ",\n      {\n" : "\n      {\n", out);
		kv_u64(out, 8, "queue", r->queue, ",\n");
		kv_str(out, 8, "queue_name", json_unit_name(rep, r->queue), 32, ",\n");
		kv_u64(out, 8, "producer", r->producer, ",\n");
		kv_str(out, 8, "producer_name", json_unit_name(rep, r->producer), 32, ",\n");
		kv_u64(out, 8, "producer_device",
		       r->producer < rep->num_units ? rep->units[r->producer].unit.device : 0,
		       ",\n");
		kv_str(out, 8, "sob", prf_sob_name(sob, sizeof(sob), r->sob), sizeof(sob), ",\n");
		key(out, 8, "sob_id");
		if (r->sob == PRF_SOB_DIRECT)
			fputs("null,\n", out);
		else
			fprintf(out, "%" PRIu32 ",\n", r->sob);
		kv_u64(out, 8, "waits", r->waits, ",\n");
		kv_u64(out, 8, "blocked_ps", r->blocked_ps, ",\n");
		kv_frac(out, 8, "share", r->blocked_ps, queue_fence_ps(rep, r->queue), "\n      }");
	}
	fputs(st->n ? "\n    ]\n  },\n" : "]\n  },\n", out);
	free((void *)rows);
	return HLSIM_OK;
}

/* "critical_path" (schema 2). */
static void write_critpath(const struct prf_report *rep, FILE *out)
{
	const struct prf_critpath *cp = &rep->crit;
	struct prf_crit_class cls[PRF_CRIT_CLASSES_MAX];
	size_t i, n, k;
	char buf[16];

	fputs("  \"critical_path\": {\n", out);
	key(out, 4, "computed");
	fprintf(out, "%s,\n", cp->computed ? "true" : "false");
	key(out, 4, "note");
	if (cp->note[0] || !cp->computed) {
		const char *note = cp->note[0] ? cp->note : "no results file";

		prf_json_write_string(out, note, strnlen(note, sizeof(cp->note)));
		fputs(",\n", out);
	} else {
		fputs("null,\n", out);
	}
	key(out, 4, "fence_releases_followed");
	fprintf(out, "%s,\n", cp->have_releases ? "true" : "false");
	kv_u64(out, 4, "start_ps", cp->start_ps, ",\n");
	kv_u64(out, 4, "end_ps", cp->end_ps, ",\n");
	kv_u64(out, 4, "total_ps", cp->total_ps, ",\n");
	kv_u64(out, 4, "records", cp->records, ",\n");
	fputs("    \"by_dependency\": [", out);
	for (i = 0; i < PRF_DEP_COUNT_; i++) {
		fputs(i ? ",\n      { " : "\n      { ", out);
		kv_str(out, 0, "kind", prf_dep_kind_name((unsigned int)i), 32, ", ");
		kv_u64(out, 0, "time_ps", cp->dep_ps[i], ", ");
		kv_frac(out, 0, "share", cp->dep_ps[i], cp->total_ps, " }");
	}
	fputs("\n    ],\n    \"by_class\": [", out);
	n = prf_critpath_classes(cp, cls, PRF_CRIT_CLASSES_MAX);
	for (i = 0; i < n; i++) {
		fputs(i ? ",\n      { " : "\n      { ", out);
		kv_str(out, 0, "class", cls[i].name, sizeof(cls[i].name), ", ");
		kv_u64(out, 0, "time_ps", cls[i].ps, ", ");
		kv_frac(out, 0, "share", cls[i].ps, cp->total_ps, " }");
	}
	fputs(n ? "\n    ],\n    \"by_unit\": [" : "],\n    \"by_unit\": [", out);
	for (i = 0, k = 0; cp->unit_ps && i < cp->num_units && i < rep->num_units; i++) {
		const struct hlsim_unit *u = &rep->units[i].unit;

		if (!cp->unit_ps[i])
			continue;
		fputs(k++ ? ",\n      {\n" : "\n      {\n", out);
		kv_u64(out, 8, "unit", u->id, ",\n");
		kv_str(out, 8, "name", u->name, sizeof(u->name), ",\n");
		kv_u64(out, 8, "device", u->device, ",\n");
		kv_str(out, 8, "kind", prf_unit_kind_name(u->kind), 16, ",\n");
		snprintf(buf, sizeof(buf), "%.*s",
			 (int)strnlen(u->engine_class, sizeof(u->engine_class)), u->engine_class);
		kv_str(out, 8, "engine_class", buf, sizeof(buf), ",\n");
		kv_u64(out, 8, "time_ps", cp->unit_ps[i], ",\n");
		kv_frac(out, 8, "share", cp->unit_ps[i], cp->total_ps, "\n      }");
	}
	fputs(k ? "\n    ],\n    \"longest\": [" : "],\n    \"longest\": [", out);
	for (i = 0; i < cp->num_longest; i++) {
		const struct prf_crit_step *s = &cp->longest[i];

		fputs(i ? ",\n      {\n" : "\n      {\n", out);
		kv_u64(out, 8, "row", s->row, ",\n");
		kv_u64(out, 8, "unit", s->unit, ",\n");
		kv_str(out, 8, "name", json_unit_name(rep, s->unit), 32, ",\n");
		kv_str(out, 8, "record", prf_rec_kind_name(s->rec_kind), 32, ",\n");
		kv_str(out, 8, "reached_by", prf_dep_kind_name(s->dep), 32, ",\n");
		kv_u64(out, 8, "start_ps", s->start_ps, ",\n");
		kv_u64(out, 8, "end_ps", s->end_ps, ",\n");
		kv_u64(out, 8, "time_ps", s->end_ps - s->start_ps, "\n      }");
	}
	fputs(cp->num_longest ? "\n    ]\n  },\n" : "]\n  },\n", out);
}

static void write_checks(const struct prf_report *rep, FILE *out)
{
	size_t i;

	fputs("  \"checks\": [", out);
	for (i = 0; i < rep->num_checks; i++) {
		const struct prf_check *c = &rep->checks[i];
		const struct prf_unit_stats *st = &rep->units[c->unit];

		fputs(i ? ",\n    {\n" : "\n    {\n", out);
		kv_u64(out, 6, "unit", c->unit, ",\n");
		kv_str(out, 6, "name", st->unit.name, sizeof(st->unit.name), ",\n");
		kv_str(out, 6, "quantity", prf_check_kind_name(c->kind), 32, ",\n");
		kv_u64(out, 6, "counters", c->counters_value, ",\n");
		kv_u64(out, 6, "records", c->records_value, "\n");
		fputs("    }", out);
	}
	fputs(rep->num_checks ? "\n  ]\n" : "]\n", out);
}

/* "collective": a generated collective's figures in hccl_demo's terms, or null. */
static void write_collective(const struct prf_report *rep, FILE *out)
{
	const struct prf_collective *c = &rep->coll;
	double t, alg, bus;

	if (!prf_collective_figures(c, &t, &alg, &bus)) {
		fputs("  \"collective\": null,\n", out);
		return;
	}
	fputs("  \"collective\": {\n", out);
	kv_str(out, 4, "op", c->op, sizeof(c->op), ",\n");
	kv_str(out, 4, "algo", c->algo, sizeof(c->algo), ",\n");
	kv_str(out, 4, "dtype", c->dtype, sizeof(c->dtype), ",\n");
	kv_u64(out, 4, "bytes_per_rank", c->bytes_per_rank, ",\n");
	kv_u64(out, 4, "devices", c->devices, ",\n");
	kv_u64(out, 4, "time_ps", c->cs_end_ps - c->cs_start_ps, ",\n");
	kv_dec(out, 4, "algbw_bytes_per_s", alg, 0, ",\n");
	kv_dec(out, 4, "busbw_factor", c->busbw_factor, 6, ",\n");
	kv_dec(out, 4, "busbw_bytes_per_s", bus, 0, "\n");
	fputs("  },\n", out);
}

/* "memory_held": per engine that was held, its held time per resource (profiler/held.c). */
static void write_held(const struct prf_report *rep, FILE *out)
{
	size_t i;
	int r, first = 1;

	if (!rep->held.have_config) {
		fputs("  \"memory_held\": null,\n", out);
		return;
	}
	fputs("  \"memory_held\": [", out);
	for (i = 0; i < rep->num_units; i++) {
		const struct prf_unit_stats *st = &rep->units[i];
		uint64_t sum = 0;

		if (st->unit.kind != HLSIM_UNIT_ENGINE)
			continue;
		for (r = 0; r < PRF_RES_COUNT; r++)
			sum += prf_held_ps(&rep->held, st->unit.id, r);
		if (!sum)
			continue;
		fputs(first ? "\n    {\n" : ",\n    {\n", out);
		first = 0;
		kv_u64(out, 6, "unit", st->unit.id, ",\n");
		kv_str(out, 6, "name", st->unit.name, sizeof(st->unit.name), ",\n");
		kv_u64(out, 6, "busy_ps", st->busy_ps, ",\n");
		for (r = 0; r < PRF_RES_COUNT; r++) {
			char k[32];

			snprintf(k, sizeof(k), "%s_ps", prf_held_res_name[r]);
			kv_u64(out, 6, k, prf_held_ps(&rep->held, st->unit.id, r),
			       r + 1 < PRF_RES_COUNT ? ",\n" : "\n");
		}
		fputs("    }", out);
	}
	fputs(first ? "],\n" : "\n  ],\n", out);
}

/* "cp_starved": engines starved by their command processors (whole run), or null. */
static void write_starved(const struct prf_report *rep, FILE *out)
{
	const struct prf_held *h = &rep->held;
	size_t i;
	int first = 1;

	if (!h->have_starved) {
		fputs("  \"cp_starved\": null,\n", out);
		return;
	}
	fputs("  \"cp_starved\": [", out);
	for (i = 0; i < rep->num_units; i++) {
		const struct prf_unit_stats *st = &rep->units[i];
		uint32_t u = st->unit.id;

		if (st->unit.kind != HLSIM_UNIT_ENGINE ||
		    !(h->starved_ps[u * 2] | h->starved_ps[u * 2 + 1]))
			continue;
		fputs(first ? "\n    {\n" : ",\n    {\n", out);
		first = 0;
		kv_u64(out, 6, "unit", u, ",\n");
		kv_str(out, 6, "name", st->unit.name, sizeof(st->unit.name), ",\n");
		kv_u64(out, 6, "cb_fetch_ps", h->starved_ps[u * 2], ",\n");
		kv_u64(out, 6, "cp_packets_ps", h->starved_ps[u * 2 + 1], "\n");
		fputs("    }", out);
	}
	fputs(first ? "],\n" : "\n  ],\n", out);
}

hlsim_err_t prf_report_write_json(const struct prf_report *rep, FILE *out)
{
	hlsim_err_t rc;

	fputs("{\n", out);
	kv_str(out, 2, "schema", PRF_JSON_SCHEMA_NAME, 32, ",\n");
	kv_u64(out, 2, "schema_version", PRF_JSON_SCHEMA_VERSION, ",\n");
	kv_u64(out, 2, "simulated_time_ps", rep->run.simulated_time_ps, ",\n");
	fputs("  \"window\": {\n", out);
	kv_u64(out, 4, "start_ps", rep->window_start_ps, ",\n");
	kv_u64(out, 4, "end_ps", rep->window_end_ps, ",\n");
	kv_u64(out, 4, "length_ps", prf_report_window_ps(rep), ",\n");
	key(out, 4, "whole_run");
	fprintf(out, "%s\n  },\n", rep->whole_run ? "true" : "false");
	write_run(rep, out);
	write_collective(rep, out);
	write_engines(rep, out);
	write_held(rep, out);
	write_starved(rep, out);
	write_queues(rep, out);
	write_hosts(rep, out);
	write_paths(rep, out);
	write_launches(rep, out);
	rc = write_stalls(rep, out);
	if (rc)
		return rc;
	write_critpath(rep, out);
	write_bottleneck(rep, out);
	rc = write_advice(rep, out);
	if (rc)
		return rc;
	write_checks(rep, out);
	fputs("}\n", out);
	if (ferror(out))
		return hlsim_error(HLSIM_E_IO, "writing the JSON report failed");
	return HLSIM_OK;
}
