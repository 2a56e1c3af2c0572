/*
 * profiler/advice.c - rules that turn a finished report's numbers into advice a user can act
 * on (the "Advice" section of report.txt, "advice" in report.json).
 *
 * The rules are data: one table (rules[] below), each row with an id, a severity, a one-line
 * description of what it detects and why, and a check function. Each check reads only the
 * finished struct prf_report and the configured peaks (struct prf_advice_config, read from
 * the results' resolved configuration) and adds one item per place it fires, worded with the
 * numbers it is based on. Every threshold is a named constant next to its rule. Items come
 * in rule-table order, then in unit, path or kernel-table order, so the output is
 * deterministic.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hlsim/config.h"
#include "profiler/prf.h"


/* ===== thresholds ===== */

/* pcie_bound: a host path busy at least this share of the window ... */
#define PCIE_BOUND_MIN_BUSY_PCT 50.0
/* ... while achieving at least this share of raw PCIe rate x pcie.efficiency */
#define PCIE_BOUND_MIN_LINK_PCT 80.0

/* fence_starved: a queue or lower CP blocked on fences at least this share of the window ... */
#define FENCE_STARVED_MIN_BLOCKED_PCT 30.0
/* ... while the engine it drives is idle at least this share of the window */
#define FENCE_STARVED_MIN_ENGINE_IDLE_PCT 30.0

/* engine_imbalance: the busiest engine of a class is busy more than this times the least */
#define ENGINE_IMBALANCE_MAX_RATIO 2.0

/* small_transfers: a DMA engine's transfers average fewer bytes than this ... */
#define SMALL_TRANSFERS_MAX_AVG_BYTES 4096.0
/* ... and their setup latency (transfers x dma.setup_latency) is this share of its busy time */
#define SMALL_TRANSFERS_MIN_SETUP_PCT 20.0
/* ... over at least this many transfers (a handful of small ones costs little to batch) */
#define SMALL_TRANSFERS_MIN_COUNT 16

/* memory_bound_launches: a kernel achieves less than this share of one engine's peak ... */
#define MEMORY_BOUND_MAX_PEAK_PCT 20.0
/* ... while moving bytes at this share of hbm.bandwidth or more */
#define MEMORY_BOUND_MIN_HBM_PCT 60.0

/* ===== items ===== */

/* Append an empty item of @rule to @adv; NULL (and the error set) when out of memory. */
static struct prf_advice_item *item_add(struct prf_advice *adv, const char *rule,
					const char *severity)
{
	struct prf_advice_item *it;

	if (adv->n == adv->cap) {
		size_t cap = adv->cap ? adv->cap * 2 : 8;
		struct prf_advice_item *p = realloc(adv->items, cap * sizeof(*p));

		if (!p) {
			hlsim_error(HLSIM_E_NOMEM, "profiler: no memory for %zu advice items", cap);
			return NULL;
		}
		adv->items = p;
		adv->cap = cap;
	}
	it = &adv->items[adv->n++];
	memset(it, 0, sizeof(*it));
	it->rule = rule;
	it->severity = severity;
	return it;
}

static void item_value(struct prf_advice_item *it, const char *name, double value)
{
	if (it->num_values < PRF_ADVICE_MAX_VALUES) {
		it->values[it->num_values].name = name;
		it->values[it->num_values].value = value;
		it->num_values++;
	}
}

static void item_subject(struct prf_advice_item *it, const char *fmt, ...) HLSIM_PRINTF(2, 3);
static void item_subject(struct prf_advice_item *it, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(it->subject, sizeof(it->subject), fmt, ap);
	va_end(ap);
}

static void item_sentence(struct prf_advice_item *it, const char *fmt, ...) HLSIM_PRINTF(2, 3);
static void item_sentence(struct prf_advice_item *it, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(it->sentence, sizeof(it->sentence), fmt, ap);
	va_end(ap);
}

/* @part / @whole in percent; 0 when @whole is 0. */
static double pct(double part, double whole)
{
	return whole > 0 ? 100.0 * part / whole : 0.0;
}

/* "of the run" for a whole-run report, "of the window" otherwise. */
static const char *span_word(const struct prf_report *rep)
{
	return rep->whole_run ? "run" : "window";
}

/* A unit's engine class as a NUL-terminated string (the field may fill its array). */
static void class_of(const struct prf_unit_stats *st, char *buf, size_t size)
{
	snprintf(buf, size, "%.*s", (int)strnlen(st->unit.engine_class,
						 sizeof(st->unit.engine_class)),
		 st->unit.engine_class);
}

/* ===== pcie_bound ===== */

static hlsim_err_t rule_pcie_bound(const struct prf_report *rep,
				   const struct prf_advice_config *cfg, struct prf_advice *out)
{
	uint64_t window_ps = prf_report_window_ps(rep);
	char a[48], b[48], c[48];
	int s, d;

	for (s = 0; s < MDL_MEM_KIND_COUNT_; s++) {
		for (d = 0; d < MDL_MEM_KIND_COUNT_; d++) {
			const struct prf_path_stats *p = &rep->paths[s][d];
			struct prf_advice_item *it;
			double raw, link, rate, busy_pct, link_pct;

			/* the host on exactly one side: traffic that crosses PCIe */
			if (!p->transfers || !p->busy_ps ||
			    (s == MDL_MEM_HOST) == (d == MDL_MEM_HOST))
				continue;
			raw = d == MDL_MEM_HOST ? cfg->pcie_d2h_bytes_per_s :
						  cfg->pcie_h2d_bytes_per_s;
			link = raw * cfg->pcie_efficiency;
			if (!(link > 0))
				continue;
			rate = (double)p->bytes * 1e12 / (double)p->busy_ps;
			busy_pct = pct((double)p->busy_ps, (double)window_ps);
			link_pct = pct(rate, link);
			if (busy_pct < PCIE_BOUND_MIN_BUSY_PCT ||
			    link_pct < PCIE_BOUND_MIN_LINK_PCT)
				continue;
			it = item_add(out, "pcie_bound", "high");
			if (!it)
				return HLSIM_E_NOMEM;
			item_subject(it, "%s -> %s", mdl_mem_kind_name((enum mdl_mem_kind)s),
				     mdl_mem_kind_name((enum mdl_mem_kind)d));
			item_sentence(it,
				      "host <-> device traffic over PCIe (%s) takes %s %% of the "
				      "%s at %s GB/s (%s %% of the link): keep operands resident "
				      "in HBM, or overlap the transfers with compute",
				      it->subject, prf_fmt_fixed(a, sizeof(a), busy_pct, 2),
				      span_word(rep), prf_fmt_fixed(b, sizeof(b), rate / 1e9, 3),
				      prf_fmt_fixed(c, sizeof(c), link_pct, 2));
			item_value(it, "busy_pct", busy_pct);
			item_value(it, "rate_bytes_per_s", rate);
			item_value(it, "link_bytes_per_s", link);
			item_value(it, "link_pct", link_pct);
		}
	}
	return HLSIM_OK;
}

/* ===== fence_starved ===== */

/* Length of @name[0..@len) without a final "_<digits>", or @len if it has none. */
static size_t strip_index(const char *name, size_t len)
{
	size_t j = len;

	while (j > 0 && name[j - 1] >= '0' && name[j - 1] <= '9')
		j--;
	if (j > 0 && j < len && name[j - 1] == '_')
		return j - 1;
	return len;
}

/*
 * The key that ties a CP to its engine: the first @len bytes of @name without every '_'.
 * A lower CP's name is its engine's plus ".lower_cp" ("TPC3.lower_cp"); a queue's is its
 * engine's with "_<stream>" appended (Gaudi "TPC_3_0" for "TPC3") and, on Gaudi2, a QMAN
 * index before it ("DCORE0_MME_0_0" for "DCORE0_MME") [I] inferred from the unit names the
 * simulator writes; a CP whose key matches no engine is left out by the rule.
 */
static void name_key(const char *name, size_t len, char *key, size_t size)
{
	size_t i, k = 0;

	for (i = 0; i < len && k + 1 < size; i++)
		if (name[i] != '_')
			key[k++] = name[i];
	key[k] = '\0';
}

static int engine_has_key(const struct hlsim_unit *u, uint32_t device, const char *want)
{
	char have[48];

	if (u->kind != HLSIM_UNIT_ENGINE || u->device != device)
		return 0;
	name_key(u->name, strnlen(u->name, sizeof(u->name)), have, sizeof(have));
	return !strcmp(want, have);
}

/*
 * Index in rep->units of the engine on @device whose key is @want, -1 if none: first in
 * the run of @device's units around @near (a device's units are usually together), then
 * in all of them.
 */
static long engine_by_key(const struct prf_report *rep, uint32_t device, const char *want,
			  size_t near)
{
	size_t i, n = rep->num_units;

	for (i = near; i < n && rep->units[i].unit.device == device; i++)
		if (engine_has_key(&rep->units[i].unit, device, want))
			return (long)i;
	for (i = near; i-- > 0 && rep->units[i].unit.device == device;)
		if (engine_has_key(&rep->units[i].unit, device, want))
			return (long)i;
	for (i = 0; i < n; i++)
		if (engine_has_key(&rep->units[i].unit, device, want))
			return (long)i;
	return -1;
}

/* Index in rep->units of the engine the CP at @cp drives, -1 if none matches its name. */
static long engine_of(const struct prf_report *rep, size_t cp)
{
	const struct hlsim_unit *u = &rep->units[cp].unit;
	size_t len = strnlen(u->name, sizeof(u->name));
	const char *dot = NULL;
	char want[48];
	size_t i;
	long e;

	/* the last '.': "d1.TPC3.lower_cp" of a multi-device run keeps its "d1." */
	for (i = 0; i < len; i++)
		if (u->name[i] == '.')
			dot = &u->name[i];
	if (u->kind == HLSIM_UNIT_LOWER_CP) {
		if (!dot)
			return -1;
		name_key(u->name, (size_t)(dot - u->name), want, sizeof(want));
		return want[0] ? engine_by_key(rep, u->device, want, cp) : -1;
	}
	len = strip_index(u->name, len); /* the stream */
	name_key(u->name, len, want, sizeof(want));
	e = want[0] ? engine_by_key(rep, u->device, want, cp) : -1;
	if (e >= 0)
		return e;
	len = strip_index(u->name, len); /* a QMAN index (Gaudi2) */
	name_key(u->name, len, want, sizeof(want));
	return want[0] ? engine_by_key(rep, u->device, want, cp) : -1;
}

/*
 * A run of fence_starved CPs with the same numbers (the 8 lower CPs of an 8-TPC kernel):
 * @first, @last: their indices in rep->units; @eng_first, @eng_last: their engines;
 * @n: how many.
 */
struct starved_group {
	size_t first, last, eng_first, eng_last, n;
};

/* Add the item of group @g: one sentence for one CP, or one for all of an equal run. */
static hlsim_err_t starved_flush(const struct prf_report *rep, const struct starved_group *g,
				 struct prf_advice *out)
{
	uint64_t window_ps = prf_report_window_ps(rep);
	const struct prf_unit_stats *st = &rep->units[g->first];
	const struct prf_unit_stats *eng = &rep->units[g->eng_first];
	double blocked_pct = pct((double)st->fence_wait_ps, (double)window_ps);
	double idle_pct = pct((double)eng->idle_ps, (double)window_ps);
	struct prf_advice_item *it;
	char a[48], b[48], c[48];

	it = item_add(out, "fence_starved", "medium");
	if (!it)
		return HLSIM_E_NOMEM;
	prf_fmt_ps_us(a, sizeof(a), st->fence_wait_ps);
	prf_fmt_fixed(b, sizeof(b), blocked_pct, 2);
	prf_fmt_fixed(c, sizeof(c), idle_pct, 2);
	if (g->n == 1) {
		item_subject(it, "%s", st->unit.name);
		item_sentence(it,
			      "%s (%s) is blocked on fences for %s us (%s %% of the %s) while its "
			      "engine %s is idle %s %% of it: the engine waits for a signal from "
			      "other work; start that work earlier, split it so this queue can "
			      "begin on its first part, or give the engine independent work "
			      "meanwhile",
			      st->unit.name, prf_unit_kind_name(st->unit.kind), a, b,
			      span_word(rep), eng->unit.name, c);
	} else {
		item_subject(it, "%s .. %s", st->unit.name, rep->units[g->last].unit.name);
		item_sentence(it,
			      "%s .. %s (%zu %ss) are each blocked on fences for %s us (%s %% of "
			      "the %s) while their engines %s .. %s are each idle %s %% of it: the "
			      "engines wait for a signal from other work; start that work earlier, "
			      "split it so these queues can begin on its first part, or give the "
			      "engines independent work meanwhile",
			      st->unit.name, rep->units[g->last].unit.name, g->n,
			      prf_unit_kind_name(st->unit.kind), a, b, span_word(rep),
			      eng->unit.name, rep->units[g->eng_last].unit.name, c);
	}
	item_value(it, "fence_blocked_ps", (double)st->fence_wait_ps);
	item_value(it, "fence_blocked_pct", blocked_pct);
	item_value(it, "engine_idle_ps", (double)eng->idle_ps);
	item_value(it, "engine_idle_pct", idle_pct);
	item_value(it, "cps", (double)g->n);
	return HLSIM_OK;
}

static hlsim_err_t rule_fence_starved(const struct prf_report *rep,
				      const struct prf_advice_config *cfg,
				      struct prf_advice *out)
{
	uint64_t window_ps = prf_report_window_ps(rep);
	struct starved_group g;
	hlsim_err_t rc;
	size_t i;

	(void)cfg;
	memset(&g, 0, sizeof(g));
	for (i = 0; i < rep->num_units; i++) {
		const struct prf_unit_stats *st = &rep->units[i];
		const struct prf_unit_stats *prev, *prev_eng;
		long e;

		if (st->unit.kind != HLSIM_UNIT_QUEUE && st->unit.kind != HLSIM_UNIT_LOWER_CP)
			continue;
		if (pct((double)st->fence_wait_ps, (double)window_ps) <
		    FENCE_STARVED_MIN_BLOCKED_PCT)
			continue;
		e = engine_of(rep, i);
		if (e < 0)
			continue; /* the engine it drives is unknown: the rule cannot judge */
		if (pct((double)rep->units[e].idle_ps, (double)window_ps) <
		    FENCE_STARVED_MIN_ENGINE_IDLE_PCT)
			continue;
		if (g.n) {
			prev = &rep->units[g.first];
			prev_eng = &rep->units[g.eng_first];
			if (prev->unit.kind == st->unit.kind &&
			    prev->fence_wait_ps == st->fence_wait_ps &&
			    prev_eng->idle_ps == rep->units[e].idle_ps &&
			    !strncmp(prev_eng->unit.engine_class, rep->units[e].unit.engine_class,
				     sizeof(prev_eng->unit.engine_class))) {
				g.last = i;
				g.eng_last = (size_t)e;
				g.n++;
				continue;
			}
			rc = starved_flush(rep, &g, out);
			if (rc)
				return rc;
		}
		g.first = g.last = i;
		g.eng_first = g.eng_last = (size_t)e;
		g.n = 1;
	}
	return g.n ? starved_flush(rep, &g, out) : HLSIM_OK;
}

/* ===== engine_imbalance ===== */

/*
 * Classes whose engines share one operation's index space, so unequal busy times mean an
 * unequal partition. DMA engines are left out: each carries its own stream (host to
 * device, device to host, ...) by design, so their busy times differ without imbalance.
 */
static const char *const imbalance_classes[] = { "tpc", "mme" };

static hlsim_err_t rule_engine_imbalance(const struct prf_report *rep,
					 const struct prf_advice_config *cfg,
					 struct prf_advice *out)
{
	char cls[16], a[48], b[48], upper[16];
	size_t c, i, k;

	(void)cfg;
	for (c = 0; c < sizeof(imbalance_classes) / sizeof(imbalance_classes[0]); c++) {
		uint64_t lo = UINT64_MAX, hi = 0;
		size_t n = 0, lo_i = 0, hi_i = 0;
		struct prf_advice_item *it;

		for (i = 0; i < rep->num_units; i++) {
			const struct prf_unit_stats *st = &rep->units[i];

			if (st->unit.kind != HLSIM_UNIT_ENGINE)
				continue;
			class_of(st, cls, sizeof(cls));
			if (strcmp(cls, imbalance_classes[c]))
				continue;
			n++;
			if (st->busy_ps < lo) {
				lo = st->busy_ps;
				lo_i = i;
			}
			if (st->busy_ps > hi) {
				hi = st->busy_ps;
				hi_i = i;
			}
		}
		if (n < 2 || !hi || (double)hi <= ENGINE_IMBALANCE_MAX_RATIO * (double)lo)
			continue;
		for (k = 0; imbalance_classes[c][k] && k + 1 < sizeof(upper); k++)
			upper[k] = (char)(imbalance_classes[c][k] - 'a' + 'A');
		upper[k] = '\0';
		it = item_add(out, "engine_imbalance", "medium");
		if (!it)
			return HLSIM_E_NOMEM;
		item_subject(it, "%s", imbalance_classes[c]);
		item_sentence(it,
			      "%s busy ranges from %s us (%s) to %s us (%s) across %zu engines: "
			      "rebalance the index-space partition",
			      upper, prf_fmt_ps_us(a, sizeof(a), lo), rep->units[lo_i].unit.name,
			      prf_fmt_ps_us(b, sizeof(b), hi), rep->units[hi_i].unit.name, n);
		item_value(it, "min_busy_ps", (double)lo);
		item_value(it, "max_busy_ps", (double)hi);
		item_value(it, "engines", (double)n);
	}
	return HLSIM_OK;
}

/* ===== small_transfers ===== */

static hlsim_err_t rule_small_transfers(const struct prf_report *rep,
					const struct prf_advice_config *cfg,
					struct prf_advice *out)
{
	char a[48], b[48], c[48], cls[16];
	size_t i;

	for (i = 0; i < rep->num_units; i++) {
		const struct prf_unit_stats *st = &rep->units[i];
		struct prf_advice_item *it;
		double avg_bytes, setup_ps, setup_pct;

		if (st->unit.kind != HLSIM_UNIT_ENGINE || !st->transfers || !st->busy_ps)
			continue;
		class_of(st, cls, sizeof(cls));
		if (strcmp(cls, "dma"))
			continue;
		avg_bytes = (double)st->dma_bytes / (double)st->transfers;
		setup_ps = (double)st->transfers * (double)cfg->dma_setup_latency_ps;
		setup_pct = pct(setup_ps, (double)st->busy_ps);
		if (st->transfers < SMALL_TRANSFERS_MIN_COUNT ||
		    avg_bytes >= SMALL_TRANSFERS_MAX_AVG_BYTES ||
		    setup_pct < SMALL_TRANSFERS_MIN_SETUP_PCT)
			continue;
		it = item_add(out, "small_transfers", "medium");
		if (!it)
			return HLSIM_E_NOMEM;
		item_subject(it, "%s", st->unit.name);
		item_sentence(it,
			      "%s moves %" PRIu64 " transfers of %s bytes on average; their setup "
			      "latency (%" PRIu64 " x %s us) is %s %% of its busy time: batch them "
			      "into larger transfers",
			      st->unit.name, st->transfers,
			      prf_fmt_fixed(a, sizeof(a), avg_bytes, 0),
			      st->transfers,
			      prf_fmt_ps_us(b, sizeof(b), cfg->dma_setup_latency_ps),
			      prf_fmt_fixed(c, sizeof(c), setup_pct, 2));
		item_value(it, "transfers", (double)st->transfers);
		item_value(it, "average_bytes", avg_bytes);
		item_value(it, "setup_latency_ps", (double)cfg->dma_setup_latency_ps);
		item_value(it, "busy_ps", (double)st->busy_ps);
		item_value(it, "setup_pct_of_busy", setup_pct);
	}
	return HLSIM_OK;
}

/* ===== memory_bound_launches ===== */

static hlsim_err_t rule_memory_bound(const struct prf_report *rep,
				     const struct prf_advice_config *cfg, struct prf_advice *out)
{
	const struct prf_launches *l = &rep->launches;
	char a[48], b[48], c[48], d[48];
	size_t i;

	if (!(cfg->hbm_bytes_per_s > 0))
		return HLSIM_OK;
	for (i = 0; i < l->num_kernels; i++) {
		const struct prf_kernel_stats *k = &l->kernels[i];
		struct prf_advice_item *it;
		double peak, flops_rate, bytes_rate, peak_pct, hbm_pct;

		if (!strcmp(k->engine_class, "tpc"))
			peak = cfg->tpc_peak_flops_per_s;
		else if (!strcmp(k->engine_class, "mme"))
			peak = cfg->mme_peak_flops_per_s;
		else
			continue;
		if (!(peak > 0) || !k->total_ps)
			continue;
		/* launches of one kernel each run on one engine: their sums give its rate */
		flops_rate = (double)k->flops * 1e12 / (double)k->total_ps;
		bytes_rate = (double)k->bytes * 1e12 / (double)k->total_ps;
		peak_pct = pct(flops_rate, peak);
		hbm_pct = pct(bytes_rate, cfg->hbm_bytes_per_s);
		if (peak_pct >= MEMORY_BOUND_MAX_PEAK_PCT || hbm_pct < MEMORY_BOUND_MIN_HBM_PCT)
			continue;
		it = item_add(out, "memory_bound_launches", "medium");
		if (!it)
			return HLSIM_E_NOMEM;
		if (k->kernel[0])
			item_subject(it, "%s", k->kernel);
		else
			item_subject(it, "unnamed %s launches", k->engine_class);
		item_sentence(it,
			      "kernel %s (%s, %" PRIu64 " launches) is memory-bound: %s TFLOPS "
			      "(%s %% of one engine's peak) while moving %s GB/s (%s %% of HBM "
			      "bandwidth): fuse it with its neighbours or raise its arithmetic "
			      "intensity",
			      it->subject, k->engine_class, k->launches,
			      prf_fmt_fixed(a, sizeof(a), flops_rate / 1e12, 3),
			      prf_fmt_fixed(b, sizeof(b), peak_pct, 2),
			      prf_fmt_fixed(c, sizeof(c), bytes_rate / 1e9, 3),
			      prf_fmt_fixed(d, sizeof(d), hbm_pct, 2));
		item_value(it, "flops_per_s", flops_rate);
		item_value(it, "peak_pct", peak_pct);
		item_value(it, "bytes_per_s", bytes_rate);
		item_value(it, "hbm_pct", hbm_pct);
	}
	return HLSIM_OK;
}

/* ===== the table ===== */

static const struct prf_advice_rule rules[] = {
	{ "pcie_bound", "high",
	  "a DMA path from or to the host is busy >= 50 % of the run at >= 80 % of the PCIe "
	  "rate x efficiency: the run waits on the host link, not on the chip",
	  1, rule_pcie_bound },
	{ "fence_starved", "medium",
	  "a queue or lower CP is fence-blocked >= 30 % of the run while its engine is idle "
	  ">= 30 %: the engine waits for work that another engine releases late",
	  0, rule_fence_starved },
	{ "engine_imbalance", "medium",
	  "engines of one compute class (TPC, MME) differ in busy time by more than 2x: the "
	  "index space is split unevenly, so the slowest engine sets the run time",
	  0, rule_engine_imbalance },
	{ "small_transfers", "medium",
	  "a DMA engine's transfers (>= 16) average < 4 KiB and their setup latency is "
	  ">= 20 % of its busy time: per-transfer overhead, not bandwidth, limits it",
	  1, rule_small_transfers },
	{ "memory_bound_launches", "medium",
	  "a kernel achieves < 20 % of one engine's peak FLOP/s while moving >= 60 % of HBM "
	  "bandwidth: memory, not arithmetic, limits it",
	  1, rule_memory_bound },
};

const struct prf_advice_rule *prf_advice_rules(size_t *n)
{
	*n = sizeof(rules) / sizeof(rules[0]);
	return rules;
}

hlsim_err_t prf_advice_compute(const struct prf_report *rep, const struct prf_advice_config *cfg,
			       struct prf_advice *out)
{
	struct prf_advice_config none;
	hlsim_err_t rc;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (!cfg) {
		memset(&none, 0, sizeof(none));
		cfg = &none;
	}
	if (!prf_report_window_ps(rep))
		return HLSIM_OK; /* an empty window: no share of it means anything */
	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		if (rules[i].needs_config && !cfg->have_config)
			continue;
		rc = rules[i].check(rep, cfg, out);
		if (rc) {
			prf_advice_free(out);
			return rc;
		}
	}
	return HLSIM_OK;
}

void prf_advice_free(struct prf_advice *adv)
{
	free(adv->items);
	memset(adv, 0, sizeof(*adv));
}

/* ===== configuration ===== */

void prf_advice_config_load(struct prf_advice_config *cfg, const char *ini)
{
	hlsim_config_t *c = NULL;
	double lanes;

	memset(cfg, 0, sizeof(*cfg));
	if (!ini || !ini[0] || hlsim_config_load_text(ini, "the run's configuration", &c))
		return;
	cfg->pcie_h2d_bytes_per_s = hlsim_config_f64(c, "pcie.h2d_bandwidth");
	cfg->pcie_d2h_bytes_per_s = hlsim_config_f64(c, "pcie.d2h_bandwidth");
	cfg->pcie_efficiency = hlsim_config_f64(c, "pcie.efficiency");
	cfg->dma_setup_latency_ps = hlsim_config_u64(c, "dma.setup_latency");
	cfg->hbm_bytes_per_s = hlsim_config_f64(c, "hbm.bandwidth");
	/* bf16 lanes: two bytes each, one multiply-add (2 FLOPs) per lane per cycle */
	lanes = (double)hlsim_config_u64(c, "tpc.vector_bytes") / 2.0;
	cfg->tpc_peak_flops_per_s = 2.0 * lanes * hlsim_config_f64(c, "tpc.clock");
	cfg->mme_peak_flops_per_s = 2.0 * (double)hlsim_config_u64(c, "mme.array_rows") *
				    (double)hlsim_config_u64(c, "mme.array_cols") *
				    hlsim_config_f64(c, "mme.clock");
	cfg->have_config = 1;
	hlsim_config_free(c);
}
