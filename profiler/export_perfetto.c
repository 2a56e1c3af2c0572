/*
 * profiler/export_perfetto.c - a results file as Chrome Trace Event Format JSON, the format
 * Perfetto (ui.perfetto.dev) and chrome://tracing open. The output is described in
 * profiler/PERFETTO.md.
 *
 * One process per device, one thread per unit (in unit-id order; records of a unit that
 * overlap without nesting, such as CSs in flight on the host, go to extra threads of that
 * unit), one complete ("X") event per timeline record clipped to the window, flow arrows
 * from the producer of each FENCE_WAIT, and counter tracks of bytes per second per DMA
 * memory path and per launching engine class, sampled in PRF_PERFETTO_COUNTER_BUCKETS
 * buckets of the window.
 *
 * Streaming: the timeline is read in windows of READ_ROWS rows and each event is written as
 * its record is read. What is kept is bounded: the units table, the counter buckets
 * (devices x tracks x PRF_PERFETTO_COUNTER_BUCKETS doubles, allocated for the tracks that
 * carry traffic), the flow candidates (FLOW_SLOTS recent CSs x FLOW_CANDS records) and,
 * for a split, a size histogram of SIZE_BUCKETS buckets. The file is read once to check it
 * and find the end of the run, once more to estimate the output size if it may exceed the
 * limit, then once per output file.
 *
 * Fence producers: a results 1.1 file has a /releases row per FENCE_WAIT naming the record
 * (producer_row) or the CP (producer_unit, at signal_ps) whose message released it, on any
 * device; the arrow comes from there. The /releases rows are read in step with the
 * timeline (both are in wait order); the thread and arrow point of the last PROD_SLOTS
 * DMA, LAUNCH and NIC rows written are remembered (direct-mapped by row), and an older
 * producer is read back by row and drawn on its unit's first thread. A 1.0 file has no
 * /releases: there the producer is INFERRED FROM TIMING, as before: the DMA or LAUNCH
 * record of the same CS (same device and cs_seq), on another unit, with the latest end at
 * or before the fence's end.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "profiler/prf.h"
#include "profiler/prf_export.h"

/* Timeline rows read per call (768 KiB of records). */
#define READ_ROWS 16384
/* Recent CSs whose candidate producers are kept (direct-mapped by device and cs_seq). */
#define FLOW_SLOTS 1024
/* Candidate producers kept per CS: the latest ones read (the file is in end-time order). */
#define FLOW_CANDS 4
/* Resolution of the output-size estimate used to choose split points. */
#define SIZE_BUCKETS 4096
/* Room for one formatted event (the longest X event is under 500 bytes). */
#define EVENT_BYTES 1024
/* Upper estimates used only to choose split points (bytes, with their separator). */
#define FLOW_PAIR_EST_BYTES 300 /* an "s" and an "f" event */
#define COUNTER_EST_BYTES 120 /* one "C" event */
#define COUNTER_CHANGES_PER_REC 4 /* a record changes a bucketed rate at most 4 times */
#define META_EST_BYTES 320 /* metadata events of one unit */
#define FIXED_EST_BYTES 1024 /* head and tail of a file, without the results path */
#define SPAN_SLACK_BYTES 64 /* a clipped event is a little longer */

/* Producer rows whose thread and arrow point are remembered (direct-mapped by row). */
#define PROD_SLOTS 65536

/* A flow event is placed this long before the end of its slice (1 ns, Perfetto's tick). */
#define ARROW_BEFORE_END_PS 1000

#define NUM_PATHS (MDL_MEM_KIND_COUNT_ * MDL_MEM_KIND_COUNT_)
#define NUM_TRACKS (NUM_PATHS + MDL_ENGINE_CLASS_COUNT_)

#define PATH_BYTES 4096

/* Intervals a lane remembers to detect a record overlapping them without nesting. */
#define LANE_RING 16

/* One thread of a unit: the last LANE_RING clipped records put on it. */
struct lane {
	uint32_t n; /* records put (the ring holds the last LANE_RING) */
	struct prf_span iv[LANE_RING];
};

/* The threads of one unit: lane 0 is the unit's own, others are added on overlap. */
struct unit_lanes {
	uint32_t n; /* lanes in use in this file */
	struct lane *lane; /* PRF_PERFETTO_MAX_LANES, allocated at the unit's first record */
};

/* A record that may have released a fence: a DMA or LAUNCH of some CS. */
struct flow_cand {
	uint64_t end_ps; /* the record's own end (unclipped), compared with the fence's */
	uint64_t at_ps; /* where the arrow starts: arrow_ps() of its clipped event */
	uint32_t unit;
	uint32_t tid; /* its thread */
};

/* The candidates of one CS, a ring of the latest FLOW_CANDS. */
struct flow_slot {
	uint64_t cs_seq;
	uint32_t device;
	uint32_t used; /* the slot holds a CS */
	uint32_t n; /* candidates added (the ring holds the last FLOW_CANDS) */
	struct flow_cand c[FLOW_CANDS];
};

/* A DMA, LAUNCH or NIC row written: where an arrow from it starts. */
struct prod_slot {
	uint64_t row; /* UINT64_MAX: empty */
	uint64_t at_ps;
	uint32_t tid;
	uint32_t device;
};

/* The state of one export. */
struct exp_ctx {
	const char *path; /* the results file */
	hlsim_results_t *res;
	struct hlsim_unit *units; /* copy of the units table */
	size_t num_units;
	uint32_t num_devices; /* highest unit device + 1 */
	char asic[32]; /* [asic] name of the configuration, or "" */
	struct hlsim_rec *buf; /* READ_ROWS rows */
	uint64_t num_records;
	uint64_t max_end_ps; /* latest record end */
	/* the window of the file being written, [ws, we) */
	uint64_t ws, we;
	uint64_t bucket_ps; /* counter bucket length */
	uint32_t nb; /* counter buckets */
	double **ctr; /* [device * NUM_TRACKS + track]: bytes per bucket, or NULL */
	struct flow_slot *slots; /* FLOW_SLOTS */
	/* exact arrows from /releases (results 1.1) */
	uint64_t num_releases; /* 0: infer the producers */
	struct hlsim_release *rel; /* READ_ROWS release rows */
	size_t rel_n, rel_pos; /* rows in @rel, next unused */
	uint64_t rel_first; /* file row of rel[0] */
	uint64_t rel_last_wait; /* wait_row of the last release used (+1; 0 = none yet) */
	struct prod_slot *prod; /* PROD_SLOTS */
	struct unit_lanes *lanes; /* one per unit */
	uint64_t next_flow_id;
	FILE *out;
	int first_event; /* no event written yet: no separator */
	struct prf_perfetto_stats *st;
	uint64_t last_part_bytes; /* size of the file written last */
	/* size estimate */
	uint64_t *size_hist; /* SIZE_BUCKETS: bytes of events starting in each */
	uint64_t *rate_hist; /* SIZE_BUCKETS: records feeding a counter starting in each */
	uint64_t size_bucket_ps;
	uint8_t *track_used; /* [device * NUM_TRACKS + track]: some record has bytes there */
	uint64_t num_tracks_used;
};

typedef hlsim_err_t (*rec_fn)(struct exp_ctx *x, const struct hlsim_rec *r, uint64_t row);

static size_t track_of(const struct hlsim_rec *r);
static uint32_t lane_tid_of(const struct exp_ctx *x, uint32_t u, uint32_t k);

/* Call @fn on every timeline row in file order. */
static hlsim_err_t scan(struct exp_ctx *x, rec_fn fn)
{
	uint64_t first = 0;
	size_t got, i;
	hlsim_err_t rc;

	for (;;) {
		rc = hlsim_results_read(x->res, first, x->buf, READ_ROWS, &got);
		if (rc)
			return rc;
		if (!got)
			break;
		for (i = 0; i < got; i++) {
			rc = fn(x, &x->buf[i], first + i);
			if (rc)
				return rc;
		}
		first += got;
	}
	if (first != x->num_records)
		return hlsim_error(HLSIM_E_TRACE_FORMAT,
				   "%s: read %" PRIu64 " timeline rows but the file says it has %"
				   PRIu64, x->path, first, x->num_records);
	return HLSIM_OK;
}

/* ===== checking ===== */

static hlsim_err_t check_rec(struct exp_ctx *x, const struct hlsim_rec *r, uint64_t row)
{
	if (r->unit >= x->num_units)
		return hlsim_error(HLSIM_E_TRACE_FORMAT,
				   "%s: /timeline row %" PRIu64 ": unit %u >= %zu units", x->path,
				   row, r->unit, x->num_units);
	if (r->kind >= HLSIM_REC_KIND_COUNT_)
		return hlsim_error(HLSIM_E_TRACE_FORMAT,
				   "%s: /timeline row %" PRIu64 ": unknown record kind %u", x->path,
				   row, r->kind);
	if (r->end_ps < r->start_ps)
		return hlsim_error(HLSIM_E_TRACE_FORMAT,
				   "%s: /timeline row %" PRIu64 ": end_ps %" PRIu64
				   " < start_ps %" PRIu64, x->path, row, r->end_ps, r->start_ps);
	if (r->kind == HLSIM_REC_DMA &&
	    ((r->aux >> 8) >= MDL_MEM_KIND_COUNT_ || (r->aux & 0xff) >= MDL_MEM_KIND_COUNT_))
		return hlsim_error(HLSIM_E_TRACE_FORMAT,
				   "%s: /timeline row %" PRIu64 ": DMA aux 0x%04x names an unknown "
				   "memory kind (expected src << 8 | dst, each < %d)", x->path, row,
				   r->aux, MDL_MEM_KIND_COUNT_);
	if (r->kind == HLSIM_REC_LAUNCH && r->aux >= MDL_ENGINE_CLASS_COUNT_)
		return hlsim_error(HLSIM_E_TRACE_FORMAT,
				   "%s: /timeline row %" PRIu64 ": LAUNCH aux %u is not an engine "
				   "class (expected < %d)", x->path, row, r->aux,
				   MDL_ENGINE_CLASS_COUNT_);
	if (r->end_ps > x->max_end_ps)
		x->max_end_ps = r->end_ps;
	if ((r->kind == HLSIM_REC_DMA || r->kind == HLSIM_REC_LAUNCH) && r->bytes) {
		size_t t = (size_t)x->units[r->unit].device * NUM_TRACKS + track_of(r);

		if (!x->track_used[t]) {
			x->track_used[t] = 1;
			x->num_tracks_used++;
		}
	}
	return HLSIM_OK;
}

/* ===== windows ===== */

/*
 * Clip @r to the window into [*s, *e); 0 if it does not overlap. A record overlaps when it
 * starts before the end and ends after the start; a zero-length record when it lies in it.
 */
static int clip(const struct exp_ctx *x, const struct hlsim_rec *r, uint64_t *s, uint64_t *e)
{
	if (r->start_ps >= x->we)
		return 0;
	if (r->end_ps <= x->ws && !(r->start_ps == r->end_ps && r->start_ps >= x->ws))
		return 0;
	*s = r->start_ps > x->ws ? r->start_ps : x->ws;
	*e = r->end_ps < x->we ? r->end_ps : x->we;
	return 1;
}

/* Set the window and the counter buckets: window / PRF_PERFETTO_COUNTER_BUCKETS, >= 1 ps. */
static void set_window(struct exp_ctx *x, uint64_t ws, uint64_t we)
{
	uint64_t w = we - ws;

	x->ws = ws;
	x->we = we;
	x->bucket_ps = w / PRF_PERFETTO_COUNTER_BUCKETS + (w % PRF_PERFETTO_COUNTER_BUCKETS != 0);
	if (!x->bucket_ps)
		x->bucket_ps = 1;
	x->nb = (uint32_t)(w / x->bucket_ps + (w % x->bucket_ps != 0));
}

/* ===== event text ===== */

/* Append to @buf (room @size) at *@len; output past the room is counted, not written. */
static void put(char *buf, size_t size, size_t *len, const char *fmt, ...) HLSIM_PRINTF(4, 5);

static void put(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(*len < size ? buf + *len : NULL, *len < size ? size - *len : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		*len += (size_t)n;
}

/* The complete ("X") event of row @row, clipped to [@s, @e), into @buf; its length. */
static size_t format_x(const struct exp_ctx *x, const struct hlsim_rec *r, uint64_t row,
		       uint64_t s, uint64_t e, uint32_t tid, char *buf, size_t size)
{
	const struct hlsim_unit *u = &x->units[r->unit];
	const char *kind = prf_rec_kind_name(r->kind);
	uint64_t dur = r->end_ps - r->start_ps;
	char ts[32], du[32], v[48];
	size_t len = 0;

	put(buf, size, &len, "{\"ph\":\"X\",\"pid\":%" PRIu32 ",\"tid\":%" PRIu32
	    ",\"ts\":%s,\"dur\":%s,\"name\":\"%s", u->device + 1, tid,
	    prf_fmt_ps_us(ts, sizeof(ts), s), prf_fmt_ps_us(du, sizeof(du), e - s), kind);
	if (r->kind == HLSIM_REC_DMA)
		put(buf, size, &len, " %s->%s", mdl_mem_kind_name((enum mdl_mem_kind)(r->aux >> 8)),
		    mdl_mem_kind_name((enum mdl_mem_kind)(r->aux & 0xff)));
	put(buf, size, &len, "\",\"cat\":\"%s\",\"args\":{\"row\":%" PRIu64 ",\"bytes\":%" PRIu64,
	    kind, row, r->bytes);
	if (r->kind == HLSIM_REC_LAUNCH)
		put(buf, size, &len, ",\"flops\":%" PRIu64, r->flops);
	put(buf, size, &len, ",\"cs_seq\":%" PRIu64 ",\"job\":%" PRIu32 ",\"pkt_offset\":%" PRIu32,
	    r->cs_seq, r->job, r->pkt_offset);
	if (r->kind == HLSIM_REC_FENCE_WAIT)
		put(buf, size, &len, ",\"fence_id\":%u", (unsigned int)r->aux);
	if (r->kind == HLSIM_REC_LAUNCH)
		put(buf, size, &len, ",\"engine_class\":\"%s\"",
		    mdl_engine_class_name((enum mdl_engine_class)r->aux));
	if (r->kind == HLSIM_REC_DMA || r->kind == HLSIM_REC_LAUNCH) {
		/* bytes per ps * 1e12 / 1e9 = GB/s; the whole record, not the clipped part */
		if (dur)
			put(buf, size, &len, ",\"GB/s\":%s",
			    prf_fmt_fixed(v, sizeof(v), (double)r->bytes * 1e3 / (double)dur, 3));
		else
			put(buf, size, &len, ",\"GB/s\":null");
	}
	if (r->kind == HLSIM_REC_LAUNCH) {
		/* flops per ps = 1e12 flops per s */
		if (dur)
			put(buf, size, &len, ",\"TFLOPS\":%s",
			    prf_fmt_fixed(v, sizeof(v), (double)r->flops / (double)dur, 6));
		else
			put(buf, size, &len, ",\"TFLOPS\":null");
	}
	if (s != r->start_ps || e != r->end_ps)
		put(buf, size, &len, ",\"start_ps\":%" PRIu64 ",\"end_ps\":%" PRIu64, r->start_ps,
		    r->end_ps);
	put(buf, size, &len, "}}");
	return len;
}

/* Write the separator and @len bytes of @text as the next event. */
static void emit(struct exp_ctx *x, const char *text, size_t len)
{
	if (!x->first_event)
		fputs(",\n", x->out);
	x->first_event = 0;
	fwrite(text, 1, len, x->out);
}

/* ===== flows ===== */

/*
 * Where a flow event binds to the clipped event [@s, @e): ARROW_BEFORE_END_PS before its end,
 * so the arrow leaves the producer as it completes and reaches the fence as it is released,
 * yet lies strictly inside the slice (viewers bind "s" and "f" with "bp":"e" to the slice
 * enclosing the timestamp, and Perfetto keeps whole nanoseconds); the middle of a slice
 * shorter than twice that.
 */
static uint64_t arrow_ps(uint64_t s, uint64_t e)
{
	if (e - s >= 2 * ARROW_BEFORE_END_PS)
		return e - ARROW_BEFORE_END_PS;
	return s + (e - s) / 2;
}

static struct flow_slot *flow_slot(struct exp_ctx *x, uint32_t device, uint64_t cs_seq)
{
	uint64_t h = (cs_seq ^ ((uint64_t)device << 48)) * 0x9e3779b97f4a7c15ull;

	return &x->slots[(h >> 32) % FLOW_SLOTS];
}

/* Remember DMA or LAUNCH row @r (clipped to [@s, @e)) as a possible fence releaser. */
static void flow_add(struct exp_ctx *x, const struct hlsim_rec *r, uint64_t s, uint64_t e,
		     uint32_t tid)
{
	uint32_t device = x->units[r->unit].device;
	struct flow_slot *sl = flow_slot(x, device, r->cs_seq);
	struct flow_cand *c;

	if (!sl->used || sl->cs_seq != r->cs_seq || sl->device != device) {
		/* a newer CS takes the slot: the older one's fences get no arrow */
		memset(sl, 0, sizeof(*sl));
		sl->used = 1;
		sl->cs_seq = r->cs_seq;
		sl->device = device;
	}
	c = &sl->c[sl->n % FLOW_CANDS];
	c->end_ps = r->end_ps;
	c->at_ps = arrow_ps(s, e);
	c->unit = r->unit;
	c->tid = tid;
	sl->n++;
}

/*
 * The arrow into FENCE_WAIT @r (clipped to [@s, @e)): from the candidate of its CS on
 * another unit with the latest end at or before the fence's end; the later-read one on a
 * tie. INFERRED FROM TIMING (see the top of the file). Returns 0 if there is none.
 */
static int flow_match(struct exp_ctx *x, const struct hlsim_rec *r, uint64_t s, uint64_t e,
		      uint32_t tid)
{
	uint32_t device = x->units[r->unit].device;
	const struct flow_slot *sl = flow_slot(x, device, r->cs_seq);
	const struct flow_cand *best = NULL;
	char buf[EVENT_BYTES], ts[32];
	uint32_t i, n;
	size_t len;

	if (!sl->used || sl->cs_seq != r->cs_seq || sl->device != device)
		return 0;
	n = sl->n < FLOW_CANDS ? sl->n : FLOW_CANDS;
	for (i = 0; i < n; i++) {
		/* oldest first, so ">=" prefers the later-read candidate on a tie */
		const struct flow_cand *c = &sl->c[(sl->n - n + i) % FLOW_CANDS];

		if (c->unit == r->unit || c->end_ps > r->end_ps)
			continue;
		if (!best || c->end_ps >= best->end_ps)
			best = c;
	}
	if (!best)
		return 0;
	len = 0;
	put(buf, sizeof(buf), &len, "{\"ph\":\"s\",\"id\":%" PRIu64 ",\"pid\":%" PRIu32
	    ",\"tid\":%" PRIu32 ",\"ts\":%s,\"name\":\"fence release\",\"cat\":\"fence\"}",
	    x->next_flow_id, x->units[best->unit].device + 1, best->tid,
	    prf_fmt_ps_us(ts, sizeof(ts), best->at_ps));
	emit(x, buf, len);
	len = 0;
	put(buf, sizeof(buf), &len, "{\"ph\":\"f\",\"bp\":\"e\",\"id\":%" PRIu64 ",\"pid\":%"
	    PRIu32 ",\"tid\":%" PRIu32 ",\"ts\":%s,\"name\":\"fence release\",\"cat\":\"fence\"}",
	    x->next_flow_id, device + 1, tid,
	    prf_fmt_ps_us(ts, sizeof(ts), arrow_ps(s, e)));
	emit(x, buf, len);
	x->next_flow_id++;
	return 1;
}

/* Emit the arrow from (@pdev, @ptid, @at_ps) into the wait on @device/@tid at [@s, @e). */
static void flow_emit(struct exp_ctx *x, uint32_t pdev, uint32_t ptid, uint64_t at_ps,
		      uint32_t device, uint32_t tid, uint64_t s, uint64_t e, const char *cat)
{
	char buf[EVENT_BYTES], ts[32];
	size_t len = 0;

	put(buf, sizeof(buf), &len, "{\"ph\":\"s\",\"id\":%" PRIu64 ",\"pid\":%" PRIu32
	    ",\"tid\":%" PRIu32 ",\"ts\":%s,\"name\":\"fence release\",\"cat\":\"%s\"}",
	    x->next_flow_id, pdev + 1, ptid, prf_fmt_ps_us(ts, sizeof(ts), at_ps), cat);
	emit(x, buf, len);
	len = 0;
	put(buf, sizeof(buf), &len, "{\"ph\":\"f\",\"bp\":\"e\",\"id\":%" PRIu64 ",\"pid\":%"
	    PRIu32 ",\"tid\":%" PRIu32 ",\"ts\":%s,\"name\":\"fence release\",\"cat\":\"%s\"}",
	    x->next_flow_id, device + 1, tid, prf_fmt_ps_us(ts, sizeof(ts), arrow_ps(s, e)), cat);
	emit(x, buf, len);
	x->next_flow_id++;
}

/* Remember where an arrow from producer row @row (clipped to [@s, @e)) starts. */
static void prod_add(struct exp_ctx *x, const struct hlsim_rec *r, uint64_t row, uint64_t s,
		     uint64_t e, uint32_t tid)
{
	struct prod_slot *p = &x->prod[row % PROD_SLOTS];

	p->row = row;
	p->at_ps = arrow_ps(s, e);
	p->tid = tid;
	p->device = x->units[r->unit].device;
}

/*
 * The release of FENCE_WAIT row @row, if the next /releases row names it (*@have). Reads
 * the next window of release rows when needed; refuses releases out of wait order.
 */
static hlsim_err_t rel_next(struct exp_ctx *x, uint64_t row, struct hlsim_release *out,
			    int *have)
{
	hlsim_err_t rc;

	*have = 0;
	for (;;) {
		while (x->rel_pos < x->rel_n) {
			const struct hlsim_release *r = &x->rel[x->rel_pos];

			if (x->rel_last_wait && r->wait_row < x->rel_last_wait)
				return hlsim_error(HLSIM_E_TRACE_FORMAT,
						   "%s: /releases row %" PRIu64
						   ": wait_row %" PRIu64
						   " does not follow the previous release's %"
						   PRIu64 " (releases must be in timeline order,"
						   " one per wait)",
						   x->path, x->rel_first + x->rel_pos, r->wait_row,
						   x->rel_last_wait - 1);
			if (r->wait_row > row)
				return HLSIM_OK;
			x->rel_last_wait = r->wait_row + 1;
			x->rel_pos++;
			if (r->wait_row == row) {
				if (r->producer_unit >= x->num_units)
					return hlsim_error(HLSIM_E_TRACE_FORMAT,
							   "%s: /releases row %" PRIu64
							   ": producer_unit %" PRIu32
							   " >= %zu units",
							   x->path, x->rel_first + x->rel_pos - 1,
							   r->producer_unit, x->num_units);
				*out = *r;
				*have = 1;
				return HLSIM_OK;
			}
			/* a release of a row that is not a FENCE_WAIT: skipped */
		}
		if (x->rel_first + x->rel_n >= x->num_releases)
			return HLSIM_OK;
		x->rel_first += x->rel_n;
		x->rel_n = 0;
		x->rel_pos = 0;
		rc = hlsim_results_read_releases(x->res, x->rel_first, x->rel, READ_ROWS,
						 &x->rel_n);
		if (rc)
			return hlsim_error_prefix(rc, "%s: ", x->path);
		if (!x->rel_n)
			return hlsim_error(HLSIM_E_TRACE_FORMAT, "%s: /releases row %" PRIu64
					   " cannot be read", x->path, x->rel_first);
	}
}

/* After the last row: the releases not used must still be in order and name rows. */
static hlsim_err_t rel_finish(struct exp_ctx *x)
{
	struct hlsim_release r;
	int have;
	hlsim_err_t rc = rel_next(x, x->num_records, &r, &have);

	if (rc)
		return rc;
	if (have)
		x->rel_pos--; /* it names the row past the last: report it */
	if (x->rel_pos < x->rel_n || x->rel_first + x->rel_n < x->num_releases)
		return hlsim_error(HLSIM_E_TRACE_FORMAT, "%s: /releases row %" PRIu64
				   " names timeline row %" PRIu64 ", past the last of %" PRIu64,
				   x->path, x->rel_first + x->rel_pos,
				   x->rel_pos < x->rel_n ? x->rel[x->rel_pos].wait_row : 0,
				   x->num_records);
	return HLSIM_OK;
}

/*
 * The arrow into FENCE_WAIT row @row (clipped to [@s, @e), thread @tid) from the producer
 * its /releases row names. Returns 1 if an arrow was written, 0 if not (no release row, or
 * the producer lies outside the window).
 */
static hlsim_err_t flow_release(struct exp_ctx *x, const struct hlsim_rec *r, uint64_t row,
				uint64_t s, uint64_t e, uint32_t tid, int *drawn)
{
	uint32_t device = x->units[r->unit].device;
	struct hlsim_release rel;
	struct hlsim_rec pr;
	uint64_t ps, pe;
	size_t got;
	int have;
	hlsim_err_t rc;

	*drawn = 0;
	rc = rel_next(x, row, &rel, &have);
	if (rc || !have)
		return rc;
	if (rel.producer_row == UINT64_MAX) {
		/* a CP's own message: from that CP's thread at the signal time */
		if (rel.signal_ps < x->ws || rel.signal_ps >= x->we)
			return HLSIM_OK;
		flow_emit(x, x->units[rel.producer_unit].device,
			  lane_tid_of(x, rel.producer_unit, 0), rel.signal_ps, device, tid, s, e,
			  "fence");
		*drawn = 1;
		return HLSIM_OK;
	}
	if (x->prod[rel.producer_row % PROD_SLOTS].row == rel.producer_row) {
		const struct prod_slot *p = &x->prod[rel.producer_row % PROD_SLOTS];

		flow_emit(x, p->device, p->tid, p->at_ps, device, tid, s, e, "fence");
		*drawn = 1;
		return HLSIM_OK;
	}
	if (rel.producer_row >= x->num_records)
		return hlsim_error(HLSIM_E_TRACE_FORMAT, "%s: /releases row %" PRIu64
				   ": producer_row %" PRIu64 " >= %" PRIu64 " timeline rows",
				   x->path, x->rel_first + x->rel_pos - 1, rel.producer_row,
				   x->num_records);
	/* not remembered: read it back (an old producer, or one outside the window) */
	rc = hlsim_results_read(x->res, rel.producer_row, &pr, 1, &got);
	if (rc)
		return hlsim_error_prefix(rc, "%s: ", x->path);
	if (got != 1)
		return hlsim_error(HLSIM_E_TRACE_FORMAT, "%s: timeline row %" PRIu64
				   " cannot be read", x->path, rel.producer_row);
	if (pr.unit >= x->num_units || !clip(x, &pr, &ps, &pe))
		return HLSIM_OK;
	flow_emit(x, x->units[pr.unit].device, lane_tid_of(x, pr.unit, 0), arrow_ps(ps, pe),
		  device, tid, s, e, "fence");
	*drawn = 1;
	return HLSIM_OK;
}

/* ===== counters ===== */

/* The counter track of @r: its DMA path, its LAUNCH engine class, or the NIC's. */
static size_t track_of(const struct hlsim_rec *r)
{
	if (r->kind == HLSIM_REC_DMA)
		return (size_t)(r->aux >> 8) * MDL_MEM_KIND_COUNT_ + (r->aux & 0xff);
	if (r->kind == HLSIM_REC_NIC) /* aux is the destination device, not a class */
		return NUM_PATHS + MDL_ENGINE_NIC;
	return NUM_PATHS + r->aux;
}

static const char *track_name(size_t track, char *buf, size_t size)
{
	if (track < NUM_PATHS)
		snprintf(buf, size, "DMA %s->%s",
			 mdl_mem_kind_name((enum mdl_mem_kind)(track / MDL_MEM_KIND_COUNT_)),
			 mdl_mem_kind_name((enum mdl_mem_kind)(track % MDL_MEM_KIND_COUNT_)));
	else if (track == NUM_PATHS + MDL_ENGINE_NIC)
		snprintf(buf, size, "NIC sent");
	else
		snprintf(buf, size, "LAUNCH %s",
			 mdl_engine_class_name((enum mdl_engine_class)(track - NUM_PATHS)));
	return buf;
}

/*
 * Spread the bytes of @r evenly over its duration and add the part in [@s, @e) to the
 * buckets it overlaps; a zero-length record puts all its bytes in its bucket.
 */
static hlsim_err_t ctr_add(struct exp_ctx *x, const struct hlsim_rec *r, uint64_t s, uint64_t e)
{
	size_t t = (size_t)x->units[r->unit].device * NUM_TRACKS + track_of(r);
	uint64_t k, dur = r->end_ps - r->start_ps;
	double *b, per_ps;

	if (!r->bytes)
		return HLSIM_OK;
	if (!x->ctr[t]) {
		x->ctr[t] = calloc(PRF_PERFETTO_COUNTER_BUCKETS, sizeof(double));
		if (!x->ctr[t])
			return hlsim_error(HLSIM_E_NOMEM, "export: no memory for a counter track");
	}
	b = x->ctr[t];
	k = (s - x->ws) / x->bucket_ps;
	if (k >= x->nb)
		k = x->nb - 1;
	if (!dur) {
		b[k] += (double)r->bytes;
		return HLSIM_OK;
	}
	per_ps = (double)r->bytes / (double)dur;
	for (; k < x->nb; k++) {
		uint64_t b0 = x->ws + k * x->bucket_ps, b1 = b0 + x->bucket_ps;
		uint64_t lo = s > b0 ? s : b0, hi;

		if (b1 > x->we)
			b1 = x->we;
		if (b0 >= e)
			break;
		hi = e < b1 ? e : b1;
		if (hi > lo)
			b[k] += per_ps * (double)(hi - lo);
	}
	return HLSIM_OK;
}

/* Write each counter track: its rate at the start of every bucket where it changes. */
static void ctr_write(struct exp_ctx *x)
{
	char buf[EVENT_BYTES], name[48], ts[32], v[48];
	size_t t, len;
	uint32_t k;

	for (t = 0; t < (size_t)x->num_devices * NUM_TRACKS; t++) {
		double prev = -1;

		if (!x->ctr[t])
			continue;
		track_name(t % NUM_TRACKS, name, sizeof(name));
		for (k = 0; k <= x->nb; k++) {
			uint64_t b0 = x->ws + (uint64_t)k * x->bucket_ps, b1;
			double rate = 0;

			if (k < x->nb) {
				b1 = b0 + x->bucket_ps < x->we ? b0 + x->bucket_ps : x->we;
				rate = x->ctr[t][k] * 1e12 / (double)(b1 - b0);
			} else {
				b0 = x->we; /* the final sample: the rate drops to 0 */
			}
			if (rate == prev)
				continue;
			prev = rate;
			len = 0;
			put(buf, sizeof(buf), &len,
			    "{\"ph\":\"C\",\"pid\":%zu,\"name\":\"%s\",\"ts\":%s,"
			    "\"args\":{\"bytes_per_s\":%s}}", t / NUM_TRACKS + 1, name,
			    prf_fmt_ps_us(ts, sizeof(ts), b0),
			    prf_fmt_fixed(v, sizeof(v), rate, 0));
			emit(x, buf, len);
			x->st->counter_samples++;
		}
	}
}

/* ===== threads: lanes for records that overlap without nesting ===== */

/* [@a, @b) and [@s, @e) overlap without one holding the other. */
static int misnests(uint64_t a, uint64_t b, uint64_t s, uint64_t e)
{
	return (a < s && s < b && b < e) || (s < a && a < e && e < b);
}

static int lane_fits(const struct lane *l, uint64_t s, uint64_t e)
{
	uint32_t i, n = l->n < LANE_RING ? l->n : LANE_RING;

	for (i = 0; i < n; i++)
		if (misnests(l->iv[i].start_ps, l->iv[i].end_ps, s, e))
			return 0;
	return 1;
}

/* The thread id of lane @k of unit @u: the unit's own for lane 0, then beyond all units. */
static uint32_t lane_tid_of(const struct exp_ctx *x, uint32_t u, uint32_t k)
{
	return u + 1 + k * (uint32_t)x->num_units;
}

/* The metadata of a new lane @k (> 0) of unit @u: "NAME (k+1)", sorted with the unit. */
static void lane_meta(struct exp_ctx *x, uint32_t u, uint32_t k)
{
	const struct hlsim_unit *un = &x->units[u];
	char name[48];
	int n;

	n = snprintf(name, sizeof(name), "%s (%u)", un->name, k + 1);
	emit(x, "", 0);
	fprintf(x->out, "{\"ph\":\"M\",\"pid\":%" PRIu32 ",\"tid\":%" PRIu32
		",\"name\":\"thread_name\",\"args\":{\"name\":", un->device + 1,
		lane_tid_of(x, u, k));
	prf_json_write_string(x->out, name, n > 0 && (size_t)n < sizeof(name) ? (size_t)n : 0);
	fprintf(x->out, "}},\n{\"ph\":\"M\",\"pid\":%" PRIu32 ",\"tid\":%" PRIu32
		",\"name\":\"thread_sort_index\",\"args\":{\"sort_index\":%" PRIu32 "}}",
		un->device + 1, lane_tid_of(x, u, k), un->id);
	x->st->extra_threads++;
}

/*
 * The thread of record @r clipped to [@s, @e): the first lane of its unit where it overlaps
 * none of the last LANE_RING records without nesting (complete events on one thread must
 * nest; CSs in flight on the host unit do not). Records nest within a unit's lane 0 as
 * the simulator writes them (a JOB holds its waits), so almost every record stays there.
 */
static hlsim_err_t lane_tid(struct exp_ctx *x, const struct hlsim_rec *r, uint64_t s, uint64_t e,
			    uint32_t *tid)
{
	struct unit_lanes *ul = &x->lanes[r->unit];
	struct lane *l;
	uint32_t k;

	if (!ul->lane) {
		ul->lane = calloc(PRF_PERFETTO_MAX_LANES, sizeof(*ul->lane));
		if (!ul->lane)
			return hlsim_error(HLSIM_E_NOMEM, "export: no memory for a unit's threads");
	}
	for (k = 0; k < ul->n; k++)
		if (lane_fits(&ul->lane[k], s, e))
			break;
	if (k == ul->n) {
		if (ul->n < PRF_PERFETTO_MAX_LANES) {
			ul->n++;
			if (k)
				lane_meta(x, r->unit, k);
		} else {
			k = PRF_PERFETTO_MAX_LANES - 1;
			x->st->misnested++;
		}
	}
	l = &ul->lane[k];
	l->iv[l->n % LANE_RING].start_ps = s;
	l->iv[l->n % LANE_RING].end_ps = e;
	l->n++;
	*tid = lane_tid_of(x, r->unit, k);
	return HLSIM_OK;
}

/* ===== one output file ===== */

static hlsim_err_t write_rec(struct exp_ctx *x, const struct hlsim_rec *r, uint64_t row)
{
	char buf[EVENT_BYTES];
	uint64_t s, e;
	uint32_t tid = 0;
	size_t len;
	hlsim_err_t rc;

	if (!clip(x, r, &s, &e))
		return HLSIM_OK;
	rc = lane_tid(x, r, s, e, &tid);
	if (rc)
		return rc;
	len = format_x(x, r, row, s, e, tid, buf, sizeof(buf));
	if (len >= sizeof(buf))
		return hlsim_error(HLSIM_E_INVAL, "export: event of row %" PRIu64 " too long", row);
	emit(x, buf, len);
	x->st->events++;
	if (r->kind == HLSIM_REC_DMA || r->kind == HLSIM_REC_LAUNCH) {
		if (!x->num_releases)
			flow_add(x, r, s, e, tid);
		rc = ctr_add(x, r, s, e);
		if (rc)
			return rc;
	} else if (r->kind == HLSIM_REC_NIC) {
		rc = ctr_add(x, r, s, e);
		if (rc)
			return rc;
	}
	if (x->num_releases && (r->kind == HLSIM_REC_DMA || r->kind == HLSIM_REC_LAUNCH ||
				r->kind == HLSIM_REC_NIC)) {
		prod_add(x, r, row, s, e, tid);
	} else if (r->kind == HLSIM_REC_FENCE_WAIT) {
		int drawn;

		if (x->num_releases) {
			rc = flow_release(x, r, row, s, e, tid, &drawn);
			if (rc)
				return rc;
		} else {
			drawn = flow_match(x, r, s, e, tid);
		}
		if (drawn)
			x->st->flows++;
		else
			x->st->fences_unmatched++;
	}
	return HLSIM_OK;
}

/* The metadata events: process per device, thread per unit, both in id order. */
static void write_meta(struct exp_ctx *x)
{
	char buf[EVENT_BYTES];
	uint32_t d;
	size_t i, len;

	for (d = 0; d < x->num_devices; d++) {
		for (i = 0; i < x->num_units; i++)
			if (x->units[i].device == d)
				break;
		if (i == x->num_units)
			continue; /* a device with no unit */
		len = 0;
		put(buf, sizeof(buf), &len,
		    "{\"ph\":\"M\",\"pid\":%" PRIu32 ",\"name\":\"process_name\","
		    "\"args\":{\"name\":\"%s%sdevice %" PRIu32 "\"}}", d + 1, x->asic,
		    x->asic[0] ? " " : "", d);
		emit(x, buf, len);
		len = 0;
		put(buf, sizeof(buf), &len, "{\"ph\":\"M\",\"pid\":%" PRIu32 ",\"name\":"
		    "\"process_sort_index\",\"args\":{\"sort_index\":%" PRIu32 "}}", d + 1, d);
		emit(x, buf, len);
	}
	for (i = 0; i < x->num_units; i++) {
		const struct hlsim_unit *u = &x->units[i];

		emit(x, "", 0);
		fprintf(x->out, "{\"ph\":\"M\",\"pid\":%" PRIu32 ",\"tid\":%" PRIu32
			",\"name\":\"thread_name\",\"args\":{\"name\":", u->device + 1, u->id + 1);
		prf_json_write_string(x->out, u->name, strnlen(u->name, sizeof(u->name)));
		fputs("}}", x->out);
		len = 0;
		put(buf, sizeof(buf), &len, "{\"ph\":\"M\",\"pid\":%" PRIu32 ",\"tid\":%" PRIu32
		    ",\"name\":\"thread_sort_index\",\"args\":{\"sort_index\":%" PRIu32 "}}",
		    u->device + 1, u->id + 1, u->id);
		emit(x, buf, len);
	}
}

/* Write the window [@ws, @we) as part @part of @parts into @out_path. */
static hlsim_err_t write_part(struct exp_ctx *x, const char *out_path, uint64_t ws, uint64_t we,
			      unsigned int part, unsigned int parts)
{
	char a[32], b[32];
	hlsim_err_t rc;
	off_t size;
	size_t t;

	set_window(x, ws, we);
	for (t = 0; t < (size_t)x->num_devices * NUM_TRACKS; t++)
		if (x->ctr[t])
			memset(x->ctr[t], 0, PRF_PERFETTO_COUNTER_BUCKETS * sizeof(double));
	memset(x->slots, 0, FLOW_SLOTS * sizeof(*x->slots));
	memset(x->prod, 0xff, PROD_SLOTS * sizeof(*x->prod)); /* row UINT64_MAX: empty */
	x->rel_n = 0;
	x->rel_pos = 0;
	x->rel_first = 0;
	x->rel_last_wait = 0;
	for (t = 0; t < x->num_units; t++) {
		x->lanes[t].n = 0;
		if (x->lanes[t].lane)
			memset(x->lanes[t].lane, 0, PRF_PERFETTO_MAX_LANES * sizeof(struct lane));
	}
	x->next_flow_id = 0;
	x->out = fopen(out_path, "w");
	if (!x->out)
		return hlsim_error(HLSIM_E_IO, "%s: cannot create: %s", out_path, strerror(errno));
	x->first_event = 1;
	fputs("{\"traceEvents\":[\n", x->out);
	write_meta(x);
	rc = scan(x, write_rec);
	if (!rc && x->num_releases)
		rc = rel_finish(x);
	if (rc)
		goto err_close;
	ctr_write(x);
	fprintf(x->out, "\n],\n\"displayTimeUnit\":\"ns\",\n\"otherData\":{\"format\":"
		"\"hlsim-perfetto\",\"version\":\"1\",\"results\":");
	prf_json_write_string(x->out, x->path, strlen(x->path));
	fprintf(x->out, ",\"window_us\":\"%s..%s\",\"window_start_ps\":%" PRIu64
		",\"window_end_ps\":%" PRIu64 ",\"part\":%u,\"parts\":%u,"
		"\"fence_arrows\":\"%s\"}}\n",
		prf_fmt_ps_us(a, sizeof(a), ws), prf_fmt_ps_us(b, sizeof(b), we), ws, we, part,
		parts,
		x->num_releases ? "producer from /releases" : "producer inferred from timing");
	fflush(x->out);
	size = ftello(x->out);
	if (ferror(x->out) || size < 0) {
		rc = hlsim_error(HLSIM_E_IO, "%s: write failed", out_path);
		goto err_close;
	}
	if (fclose(x->out) != 0) {
		x->out = NULL;
		return hlsim_error(HLSIM_E_IO, "%s: write failed: %s", out_path, strerror(errno));
	}
	x->out = NULL;
	x->last_part_bytes = (uint64_t)size;
	x->st->bytes += (uint64_t)size;
	if ((uint64_t)size > x->st->largest_part_bytes)
		x->st->largest_part_bytes = (uint64_t)size;
	return HLSIM_OK;

err_close:
	fclose(x->out);
	x->out = NULL;
	return hlsim_error_prefix(rc, "%s: ", out_path);
}

/* ===== size estimate and split points ===== */

static hlsim_err_t size_rec(struct exp_ctx *x, const struct hlsim_rec *r, uint64_t row)
{
	char buf[EVENT_BYTES];
	uint64_t s, e, k, est;

	if (!clip(x, r, &s, &e))
		return HLSIM_OK;
	est = format_x(x, r, row, s, e, r->unit + 1, buf, sizeof(buf)) + 2 + SPAN_SLACK_BYTES;
	if (r->kind == HLSIM_REC_FENCE_WAIT)
		est += FLOW_PAIR_EST_BYTES;
	k = (s - x->ws) / x->size_bucket_ps;
	if (k >= SIZE_BUCKETS)
		k = SIZE_BUCKETS - 1;
	x->size_hist[k] += est;
	if ((r->kind == HLSIM_REC_DMA || r->kind == HLSIM_REC_LAUNCH ||
	     r->kind == HLSIM_REC_NIC) && r->bytes)
		x->rate_hist[k]++;
	return HLSIM_OK;
}

/*
 * The estimated size of a part holding @ev_bytes of events and @rate_recs records that feed
 * counters: each such record changes a bucketed rate at most COUNTER_CHANGES_PER_REC times,
 * and a part has at most PRF_PERFETTO_COUNTER_BUCKETS + 1 samples per track.
 */
static uint64_t part_est(const struct exp_ctx *x, uint64_t ev_bytes, uint64_t rate_recs)
{
	uint64_t samples = COUNTER_CHANGES_PER_REC * rate_recs;
	uint64_t cap = x->num_tracks_used * (PRF_PERFETTO_COUNTER_BUCKETS + 1);

	return ev_bytes + COUNTER_EST_BYTES * (samples < cap ? samples : cap);
}

/*
 * Choose the split points of [@ws, @we) so each part's estimate stays under @target bytes:
 * @cuts[0] = @ws < cuts[1] < ... < cuts[*parts] = @we. A size bucket larger than @target
 * is a part of its own. @cuts has room for SIZE_BUCKETS + 1 entries.
 */
static void choose_cuts(const struct exp_ctx *x, uint64_t target, uint64_t *cuts,
			unsigned int *parts)
{
	uint64_t acc = 0, recs = 0;
	unsigned int n = 0, k;

	cuts[0] = x->ws;
	for (k = 0; k < SIZE_BUCKETS; k++) {
		uint64_t b0 = x->ws + k * x->size_bucket_ps;

		if (b0 >= x->we)
			break;
		if ((acc || recs) &&
		    part_est(x, acc + x->size_hist[k], recs + x->rate_hist[k]) > target) {
			cuts[++n] = b0;
			acc = 0;
			recs = 0;
		}
		acc += x->size_hist[k];
		recs += x->rate_hist[k];
	}
	cuts[++n] = x->we;
	*parts = n;
}

/* ===== entry points ===== */

hlsim_err_t prf_perfetto_part_path(const char *out_path, unsigned int part, char *buf,
				   size_t size)
{
	size_t len = strlen(out_path);
	int n;

	if (len >= 5 && !strcmp(out_path + len - 5, ".json"))
		len -= 5;
	n = snprintf(buf, size, "%.*s.%u.json", (int)len, out_path, part);
	if (n < 0 || (size_t)n >= size)
		return hlsim_error(HLSIM_E_INVAL, "%s: output file name too long", out_path);
	return HLSIM_OK;
}

static int word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-';
}

/* The [asic] name of the configuration text @ini into @buf, or "" if it has none. */
static void find_asic(const char *ini, char *buf, size_t size)
{
	int in_asic = 0;
	const char *p = ini;

	buf[0] = '\0';
	while (p && *p) {
		const char *eol = strchr(p, '\n'), *q = p;
		size_t n = 0;

		while (*q == ' ' || *q == '\t')
			q++;
		if (*q == '[') {
			in_asic = !strncmp(q, "[asic]", 6);
		} else if (in_asic && !strncmp(q, "name", 4)) {
			q += 4;
			while (*q == ' ' || *q == '\t')
				q++;
			if (*q == '=') {
				q++;
				while (*q == ' ' || *q == '\t')
					q++;
				while (n + 1 < size && word_char(q[n]))
					n++;
				memcpy(buf, q, n);
				buf[n] = '\0';
				return;
			}
		}
		p = eol ? eol + 1 : NULL;
	}
}

static hlsim_err_t load_units(struct exp_ctx *x)
{
	size_t i;

	x->num_units = hlsim_results_num_units(x->res);
	if (!x->num_units)
		return HLSIM_OK;
	x->units = calloc(x->num_units, sizeof(*x->units));
	if (!x->units)
		return hlsim_error(HLSIM_E_NOMEM, "export: no memory for %zu units", x->num_units);
	for (i = 0; i < x->num_units; i++) {
		const struct hlsim_unit *u = hlsim_results_unit(x->res, i);

		if (!u || u->id != i)
			return hlsim_error(HLSIM_E_TRACE_FORMAT,
					   "%s: /units row %zu cannot be read or has the wrong id",
					   x->path, i);
		x->units[i] = *u;
		x->units[i].name[sizeof(x->units[i].name) - 1] = '\0';
		if (u->device >= x->num_devices) {
			if (u->device >= 65536)
				return hlsim_error(HLSIM_E_TRACE_FORMAT, "%s: /units row %zu: "
						   "device %u (expected < 65536)", x->path, i,
						   u->device);
			x->num_devices = u->device + 1;
		}
	}
	return HLSIM_OK;
}

/* Write every part; the window and stats are set. */
static hlsim_err_t export_parts(struct exp_ctx *x, const char *out_path, uint64_t max_bytes)
{
	char part_path[PATH_BYTES];
	uint64_t fixed, bound, target, total = 0, total_recs = 0, *cuts = NULL;
	unsigned int parts = 1, i;
	hlsim_err_t rc;
	size_t k;

	/* a cheap upper bound first: only a possibly large output needs the estimate pass */
	/* the results path is written escaped: at most 6 bytes per byte (\u00XX) */
	fixed = FIXED_EST_BYTES + 6 * (uint64_t)strlen(x->path) +
		(uint64_t)x->num_units * META_EST_BYTES;
	bound = fixed + x->num_records * (EVENT_BYTES + FLOW_PAIR_EST_BYTES +
					  COUNTER_CHANGES_PER_REC * COUNTER_EST_BYTES);
	if (bound <= max_bytes) {
		x->st->parts = 1;
		return write_part(x, out_path, x->ws, x->we, 1, 1);
	}
	x->size_hist = calloc(SIZE_BUCKETS, sizeof(*x->size_hist));
	x->rate_hist = calloc(SIZE_BUCKETS, sizeof(*x->rate_hist));
	cuts = calloc(SIZE_BUCKETS + 1, sizeof(*cuts));
	if (!x->size_hist || !x->rate_hist || !cuts) {
		rc = hlsim_error(HLSIM_E_NOMEM, "export: no memory for the size estimate");
		goto out;
	}
	x->size_bucket_ps = (x->we - x->ws) / SIZE_BUCKETS + ((x->we - x->ws) % SIZE_BUCKETS != 0);
	rc = scan(x, size_rec);
	if (rc)
		goto out;
	for (k = 0; k < SIZE_BUCKETS; k++) {
		total += x->size_hist[k];
		total_recs += x->rate_hist[k];
	}
	if (fixed + part_est(x, total, total_recs) <= max_bytes) {
		x->st->parts = 1;
		rc = write_part(x, out_path, x->ws, x->we, 1, 1);
		goto out;
	}
	if (max_bytes <= 2 * fixed) {
		rc = hlsim_error(HLSIM_E_INVAL, "--max-bytes %" PRIu64 " leaves no room for "
				 "events: every file holds about %" PRIu64 " bytes of metadata; "
				 "give at least %" PRIu64, max_bytes, fixed, 2 * fixed + 1);
		goto out;
	}
	/* 80 %: a part also repeats the records crossing its ends, and estimates are rough */
	target = (max_bytes - fixed) / 10 * 8;
	choose_cuts(x, target, cuts, &parts);
	if (parts > PRF_PERFETTO_MAX_PARTS) {
		rc = hlsim_error(HLSIM_E_INVAL, "the export would need %u files of at most %" PRIu64
				 " bytes (more than %d); raise --max-bytes or export a --window",
				 parts, max_bytes, PRF_PERFETTO_MAX_PARTS);
		goto out;
	}
	x->st->parts = parts;
	for (i = 0; i < parts; i++) {
		rc = prf_perfetto_part_path(out_path, i + 1, part_path, sizeof(part_path));
		if (rc)
			goto out;
		rc = write_part(x, part_path, cuts[i], cuts[i + 1], i + 1, parts);
		if (rc)
			goto out;
		if (x->last_part_bytes > max_bytes)
			x->st->parts_over_limit++;
	}
out:
	free(cuts);
	free(x->size_hist);
	free(x->rate_hist);
	x->size_hist = NULL;
	x->rate_hist = NULL;
	return rc;
}

hlsim_err_t prf_export_perfetto(const char *results_path, const char *out_path,
				const struct prf_perfetto_options *opt,
				struct prf_perfetto_stats *stats)
{
	struct prf_perfetto_options defaults;
	struct prf_perfetto_stats local;
	const struct hlsim_run_info *info;
	struct exp_ctx x;
	uint64_t max_bytes, run_end;
	const char *ini;
	hlsim_err_t rc;
	size_t t;

	if (!results_path || !out_path)
		return hlsim_error(HLSIM_E_INVAL, "export: results path and output file are "
						  "required");
	if (!opt) {
		memset(&defaults, 0, sizeof(defaults));
		opt = &defaults;
	}
	if (!stats)
		stats = &local;
	memset(stats, 0, sizeof(*stats));
	max_bytes = opt->max_bytes ? opt->max_bytes : PRF_PERFETTO_DEFAULT_MAX_BYTES;
	if ((opt->window_start_ps || opt->window_end_ps) &&
	    opt->window_end_ps <= opt->window_start_ps)
		return hlsim_error(HLSIM_E_INVAL, "export window %" PRIu64 " ps .. %" PRIu64
				   " ps: the end must be after the start", opt->window_start_ps,
				   opt->window_end_ps);
	memset(&x, 0, sizeof(x));
	x.path = results_path;
	x.st = stats;
	rc = hlsim_results_open(results_path, &x.res);
	if (rc)
		return rc;
	info = hlsim_results_run_info(x.res);
	if (!info) {
		rc = hlsim_error(HLSIM_E_TRACE_FORMAT, "%s: the results file has no run info",
				 results_path);
		goto err_close;
	}
	ini = hlsim_results_config(x.res);
	find_asic(ini ? ini : "", x.asic, sizeof(x.asic));
	rc = load_units(&x);
	if (rc)
		goto err_free;
	x.num_records = hlsim_results_num_records(x.res);
	stats->records = x.num_records;
	x.buf = malloc(READ_ROWS * sizeof(*x.buf));
	x.slots = calloc(FLOW_SLOTS, sizeof(*x.slots));
	x.num_releases = hlsim_results_num_releases(x.res);
	stats->exact_flows = x.num_releases > 0;
	x.rel = malloc(READ_ROWS * sizeof(*x.rel));
	x.prod = malloc(PROD_SLOTS * sizeof(*x.prod));
	x.lanes = calloc(x.num_units ? x.num_units : 1, sizeof(*x.lanes));
	x.track_used = calloc((size_t)(x.num_devices ? x.num_devices : 1) * NUM_TRACKS, 1);
	x.ctr = calloc((size_t)(x.num_devices ? x.num_devices : 1) * NUM_TRACKS,
		       sizeof(*x.ctr));
	if (!x.buf || !x.slots || !x.ctr || !x.lanes || !x.track_used || !x.rel || !x.prod) {
		rc = hlsim_error(HLSIM_E_NOMEM, "export: no memory for the read buffers");
		goto err_free;
	}
	/* pass 1: check every row before writing anything, find the end of the run */
	rc = scan(&x, check_rec);
	if (rc)
		goto err_free;
	run_end = x.max_end_ps > info->simulated_time_ps ? x.max_end_ps : info->simulated_time_ps;
	if (!opt->window_start_ps && !opt->window_end_ps) {
		/* the whole run: [0, last end + 1 ps) holds every record, zero-length ones too */
		x.ws = 0;
		x.we = x.max_end_ps + 1;
	} else {
		if (opt->window_start_ps >= run_end && run_end) {
			char a[32], b[32];

			rc = hlsim_error(HLSIM_E_INVAL, "%s: the window starts at %s us, at or "
					 "after the end of the run (%s us)", results_path,
					 prf_fmt_ps_us(a, sizeof(a), opt->window_start_ps),
					 prf_fmt_ps_us(b, sizeof(b), run_end));
			goto err_free;
		}
		x.ws = opt->window_start_ps;
		x.we = opt->window_end_ps;
	}
	stats->window_start_ps = x.ws;
	stats->window_end_ps = x.we;
	rc = export_parts(&x, out_path, max_bytes);

err_free:
	if (x.ctr)
		for (t = 0; t < (size_t)(x.num_devices ? x.num_devices : 1) * NUM_TRACKS; t++)
			free(x.ctr[t]);
	free(x.ctr);
	if (x.lanes)
		for (t = 0; t < x.num_units; t++)
			free(x.lanes[t].lane);
	free(x.lanes);
	free(x.track_used);
	free(x.slots);
	free(x.rel);
	free(x.prod);
	free(x.buf);
	free(x.units);
err_close:
	hlsim_results_close(x.res);
	return rc;
}
