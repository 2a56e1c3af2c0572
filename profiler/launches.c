/*
 * profiler/launches.c - the longest LAUNCH records and the launches per kernel name.
 *
 * While the records stream past, only the PRF_TOP_LAUNCHES longest launches are kept (a
 * small sorted array) and one row per (kernel name, engine class), at most PRF_KERNELS_MAX.
 * Kernel names come from the trace the run replayed: a launch's record carries the CS seq
 * and the job index within the CS; the trace's job row cs.first_job + job gives the queue,
 * and the `kernel_name` annotation of that CS and queue gives the name (traces/FORMAT.md,
 * "Kernel names and cost hints"). The CS and annotation tables are searched by bisection
 * (they are checked to be in CS-seq order once when the trace is opened), so no table is
 * held in memory. A trace that is missing or unreadable only loses the names.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "hlsim/trace.h"
#include "profiler/prf.h"

#define NAME_KEY "kernel_name"

/**
 * struct prf_names - an open trace and the last lookup (launches of one job come together).
 * @t: the trace. @last_*: key and answer of the last lookup (valid if @have_last).
 */
struct prf_names {
	hlsim_trace_t *t;
	int have_last;
	uint32_t last_dev, last_job;
	uint64_t last_seq;
	int last_found;
	char last_name[PRF_KERNEL_NAME_BYTES];
};

static void set_note(char *note, size_t size, const char *what, const char *path)
{
	const char *detail = hlsim_last_error_detail();

	if (!note || !size)
		return;
	snprintf(note, size, "%s %s%s%s", what, path, detail && *detail ? ": " : "",
		 detail ? detail : "");
}

/* Check that device @dev's CS and annotation tables are sorted by CS seq. */
static int tables_in_order(hlsim_trace_t *t, uint32_t dev)
{
	struct hlsim_trace_counts c;
	struct hlsim_trace_annotation a;
	struct hlsim_trace_cs cs;
	uint64_t i, prev = 0;

	if (hlsim_trace_counts(t, dev, &c))
		return -1;
	for (i = 0; i < c.cs; i++) {
		if (hlsim_trace_read_cs(t, dev, i, &cs))
			return -1;
		if (i && cs.seq < prev)
			return 0;
		prev = cs.seq;
	}
	for (i = 0; i < c.annotations; i++) {
		if (hlsim_trace_read_annotation(t, dev, i, &a))
			return -1;
		if (i && a.cs_seq < prev)
			return 0;
		prev = a.cs_seq;
	}
	return 1;
}

hlsim_err_t prf_names_open(const char *trace_path, struct prf_names **out, char *note,
			   size_t note_size)
{
	struct prf_names *nm;
	hlsim_trace_t *t;
	uint32_t dev;
	int ok;

	*out = NULL;
	if (note && note_size)
		note[0] = '\0';
	if (!trace_path || !trace_path[0]) {
		if (note && note_size)
			snprintf(note, note_size, "the results name no trace");
		return HLSIM_OK;
	}
	if (hlsim_trace_open(trace_path, &t)) {
		set_note(note, note_size, "cannot read the trace", trace_path);
		hlsim_clear_error();
		return HLSIM_OK;
	}
	for (dev = 0; dev < hlsim_trace_num_devices(t); dev++) {
		ok = tables_in_order(t, dev);
		if (ok <= 0) {
			if (ok < 0)
				set_note(note, note_size, "cannot read the trace", trace_path);
			else if (note && note_size)
				snprintf(note, note_size, "the trace %s has CS or annotation "
					 "rows out of CS-seq order", trace_path);
			hlsim_clear_error();
			hlsim_trace_close(t);
			return HLSIM_OK;
		}
	}
	nm = calloc(1, sizeof(*nm));
	if (!nm) {
		hlsim_trace_close(t);
		return hlsim_error(HLSIM_E_NOMEM, "profiler: no memory for the kernel names");
	}
	nm->t = t;
	*out = nm;
	return HLSIM_OK;
}

void prf_names_close(struct prf_names *nm)
{
	if (!nm)
		return;
	hlsim_trace_close(nm->t);
	free(nm);
}

hlsim_trace_t *prf_names_trace(const struct prf_names *nm)
{
	return nm ? nm->t : NULL;
}

/* Row of the first CS (@want_cs) or annotation with CS seq >= @seq; @n rows; -1: error. */
static int64_t lower_bound(hlsim_trace_t *t, uint32_t dev, uint64_t n, uint64_t seq,
			   int want_cs)
{
	struct hlsim_trace_annotation a;
	struct hlsim_trace_cs cs;
	uint64_t lo = 0, hi = n, mid, v;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (want_cs) {
			if (hlsim_trace_read_cs(t, dev, mid, &cs))
				return -1;
			v = cs.seq;
		} else {
			if (hlsim_trace_read_annotation(t, dev, mid, &a))
				return -1;
			v = a.cs_seq;
		}
		if (v < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (int64_t)lo;
}

/* The lookup itself: 1 found, 0 not, -1 read error. */
static int lookup(hlsim_trace_t *t, uint32_t dev, uint64_t cs_seq, uint32_t job, char *buf,
		  size_t size)
{
	struct hlsim_trace_annotation a;
	struct hlsim_trace_counts c;
	struct hlsim_trace_job jr;
	struct hlsim_trace_cs cs;
	int64_t row;
	uint64_t i;

	if (dev >= hlsim_trace_num_devices(t))
		return 0;
	if (hlsim_trace_counts(t, dev, &c))
		return -1;
	row = lower_bound(t, dev, c.cs, cs_seq, 1);
	if (row < 0)
		return -1;
	if ((uint64_t)row >= c.cs)
		return 0;
	if (hlsim_trace_read_cs(t, dev, (uint64_t)row, &cs))
		return -1;
	if (cs.seq != cs_seq || job >= cs.num_jobs || cs.first_job + job >= c.jobs)
		return 0;
	if (hlsim_trace_read_job(t, dev, cs.first_job + job, &jr))
		return -1;
	row = lower_bound(t, dev, c.annotations, cs_seq, 0);
	if (row < 0)
		return -1;
	for (i = (uint64_t)row; i < c.annotations; i++) {
		if (hlsim_trace_read_annotation(t, dev, i, &a))
			return -1;
		if (a.cs_seq != cs_seq)
			break;
		if (a.queue_id != jr.queue_id || strncmp(a.key, NAME_KEY, sizeof(a.key)) != 0)
			continue;
		snprintf(buf, size, "%.*s", (int)strnlen(a.value, sizeof(a.value)), a.value);
		return buf[0] != '\0';
	}
	return 0;
}

int prf_names_lookup(struct prf_names *nm, uint32_t dev, uint64_t cs_seq, uint32_t job,
		     char *buf, size_t size, char *note, size_t note_size)
{
	int found;

	if (nm->have_last && nm->last_dev == dev && nm->last_seq == cs_seq &&
	    nm->last_job == job) {
		if (nm->last_found)
			snprintf(buf, size, "%s", nm->last_name);
		return nm->last_found;
	}
	found = lookup(nm->t, dev, cs_seq, job, nm->last_name, sizeof(nm->last_name));
	if (found < 0) {
		set_note(note, note_size, "cannot read the trace", hlsim_trace_path(nm->t));
		hlsim_clear_error();
		nm->have_last = 0;
		return -1;
	}
	nm->have_last = 1;
	nm->last_dev = dev;
	nm->last_seq = cs_seq;
	nm->last_job = job;
	nm->last_found = found;
	if (found)
		snprintf(buf, size, "%s", nm->last_name);
	return found;
}

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

int prf_launch_cmp(const struct prf_launch *a, const struct prf_launch *b)
{
	uint64_t da = a->rec.end_ps - a->rec.start_ps, db = b->rec.end_ps - b->rec.start_ps;
	int c;

	if (da != db)
		return da > db ? -1 : 1;
	c = cmp_u64(a->rec.start_ps, b->rec.start_ps);
	if (!c)
		c = cmp_u64(a->rec.unit, b->rec.unit);
	if (!c)
		c = cmp_u64(a->rec.cs_seq, b->rec.cs_seq);
	if (!c)
		c = cmp_u64(a->rec.job, b->rec.job);
	return c;
}

/* Keep @cand among the longest launches if it belongs there. */
static void top_offer(struct prf_launches *l, const struct prf_launch *cand)
{
	size_t i;

	if (l->num_top == PRF_TOP_LAUNCHES &&
	    prf_launch_cmp(cand, &l->top[PRF_TOP_LAUNCHES - 1]) >= 0)
		return;
	i = l->num_top < PRF_TOP_LAUNCHES ? l->num_top++ : PRF_TOP_LAUNCHES - 1;
	while (i > 0 && prf_launch_cmp(cand, &l->top[i - 1]) < 0) {
		l->top[i] = l->top[i - 1];
		i--;
	}
	l->top[i] = *cand;
}

static hlsim_err_t kernel_account(struct prf_launches *l, const struct prf_launch *la,
				  const char *engine_class)
{
	struct prf_kernel_stats *k = NULL;
	size_t i;

	for (i = 0; i < l->num_kernels; i++) {
		if (!strcmp(l->kernels[i].kernel, la->kernel) &&
		    !strcmp(l->kernels[i].engine_class, engine_class)) {
			k = &l->kernels[i];
			break;
		}
	}
	if (!k) {
		if (l->num_kernels == PRF_KERNELS_MAX) {
			l->ungrouped++;
			return HLSIM_OK;
		}
		if (l->num_kernels == l->cap_kernels) {
			size_t cap = l->cap_kernels ? l->cap_kernels * 2 : 16;
			struct prf_kernel_stats *p = realloc(l->kernels, cap * sizeof(*p));

			if (!p)
				return hlsim_error(HLSIM_E_NOMEM,
						   "profiler: no memory for the kernel table");
			l->kernels = p;
			l->cap_kernels = cap;
		}
		k = &l->kernels[l->num_kernels++];
		memset(k, 0, sizeof(*k));
		snprintf(k->kernel, sizeof(k->kernel), "%s", la->kernel);
		snprintf(k->engine_class, sizeof(k->engine_class), "%s", engine_class);
	}
	k->launches++;
	k->total_ps += la->rec.end_ps - la->rec.start_ps;
	k->flops += la->rec.flops;
	k->bytes += la->rec.bytes;
	return HLSIM_OK;
}

hlsim_err_t prf_launches_add(struct prf_launches *l, const struct hlsim_rec *r, uint32_t dev,
			     const char *engine_class)
{
	struct prf_launch la;
	int found;
	char cls[sizeof(((struct prf_kernel_stats *)0)->engine_class)];

	/* the units table's class is not always NUL-terminated within its 8 bytes */
	snprintf(cls, sizeof(cls), "%.*s", (int)strnlen(engine_class, sizeof(cls) - 1),
		 engine_class);
	la.rec = *r;
	la.kernel[0] = '\0';
	l->launches++;
	if (l->names) {
		found = prf_names_lookup(l->names, dev, r->cs_seq, r->job, la.kernel,
					 sizeof(la.kernel), l->names_note,
					 sizeof(l->names_note));
		if (found < 0) {
			/* the trace became unreadable: later launches get no name */
			prf_names_close(l->names);
			l->names = NULL;
			la.kernel[0] = '\0';
		} else if (found) {
			l->names_found++;
		}
	}
	top_offer(l, &la);
	return kernel_account(l, &la, cls);
}

void prf_launches_free(struct prf_launches *l)
{
	prf_names_close(l->names);
	l->names = NULL;
	free(l->kernels);
	l->kernels = NULL;
	l->num_kernels = 0;
	l->cap_kernels = 0;
}
