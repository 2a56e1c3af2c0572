/*
 * profiler/collective.c - a collective's figures in hccl_demo's terms (CALIBRATION.md
 * item 2), for runs of traces that `hlsim gen allreduce` and the other collective kinds
 * wrote: their device 0 CS carries the annotation "collective" = "op=OP bytes=B
 * devices=N algo=A dtype=T" (traces/FORMAT.md "Workload annotations").
 *
 * time: from the first CS submission to the last CS completion of the run (the span of
 * the host units' CS records), as one operation of hccl_demo's back-to-back loop;
 * algorithm bandwidth = bytes per rank / time; bus bandwidth = algbw x the operation's
 * factor (2(n-1)/n all-reduce, (n-1)/n reduce-scatter and all-to-all, n-1 all-gather, 1
 * broadcast). A trace without the annotation, or one that cannot be read, has no section.
 * The trace is the one the report already keeps open for kernel names (prf_names_trace).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hlsim/trace.h"
#include "profiler/prf.h"
#include "traces/gen/gen_coll.h"

/* The value of field @key in a "k=v k=v" annotation value, into @out (cap bytes). */
static int field(const char *value, const char *key, char *out, size_t cap)
{
	size_t klen = strlen(key);
	const char *p = value;

	while (p && *p) {
		while (*p == ' ')
			p++;
		if (!strncmp(p, key, klen) && p[klen] == '=') {
			size_t n = strcspn(p + klen + 1, " ");

			if (n == 0 || n >= cap)
				return 0;
			memcpy(out, p + klen + 1, n);
			out[n] = '\0';
			return 1;
		}
		p = strchr(p, ' ');
	}
	return 0;
}

void prf_collective_load(struct prf_collective *c, hlsim_trace_t *t)
{
	struct hlsim_trace_annotation a;
	struct hlsim_trace_counts n;
	char num[32];
	uint64_t i;
	int op;

	memset(c, 0, sizeof(*c));
	c->cs_start_ps = UINT64_MAX;
	if (!t || hlsim_trace_num_devices(t) == 0 || hlsim_trace_counts(t, 0, &n))
		goto out;
	for (i = 0; i < n.annotations; i++) {
		if (hlsim_trace_read_annotation(t, 0, i, &a))
			goto out;
		if (strncmp(a.key, "collective", sizeof(a.key)))
			continue;
		if (!field(a.value, "op", c->op, sizeof(c->op)) ||
		    !field(a.value, "bytes", num, sizeof(num)))
			break;
		c->bytes_per_rank = strtoull(num, NULL, 10);
		if (field(a.value, "devices", num, sizeof(num)))
			c->devices = (uint32_t)strtoul(num, NULL, 10);
		field(a.value, "algo", c->algo, sizeof(c->algo));
		field(a.value, "dtype", c->dtype, sizeof(c->dtype));
		op = trc_gen_coll_op_by_name(c->op);
		if (op < 0 || c->devices < 2 || !c->bytes_per_rank)
			break;
		c->busbw_factor = trc_gen_coll_busbw_factor((uint32_t)op, c->devices);
		c->present = 1;
		break;
	}
out:
	hlsim_clear_error();
}

void prf_collective_add(struct prf_collective *c, const struct hlsim_rec *recs, size_t n)
{
	size_t i;

	if (!c->present)
		return;
	for (i = 0; i < n; i++) {
		if (recs[i].kind != HLSIM_REC_CS)
			continue;
		if (recs[i].start_ps < c->cs_start_ps)
			c->cs_start_ps = recs[i].start_ps;
		if (recs[i].end_ps > c->cs_end_ps)
			c->cs_end_ps = recs[i].end_ps;
	}
}

int prf_collective_figures(const struct prf_collective *c, double *time_s, double *algbw,
			   double *busbw)
{
	if (!c->present || c->cs_end_ps <= c->cs_start_ps || c->cs_start_ps == UINT64_MAX)
		return 0;
	*time_s = (double)(c->cs_end_ps - c->cs_start_ps) * 1e-12;
	*algbw = (double)c->bytes_per_rank / *time_s;
	*busbw = *algbw * c->busbw_factor;
	return 1;
}

void prf_collective_text(FILE *o, const struct prf_collective *c)
{
	double t, alg, bus;

	if (!prf_collective_figures(c, &t, &alg, &bus))
		return;
	fprintf(o, "\nCollective (from the trace's \"collective\" annotation; hccl_demo's terms)\n");
	fprintf(o, "  operation         %s of %" PRIu64 " bytes per rank on %u devices (%s, %s)\n",
		c->op, c->bytes_per_rank, c->devices, c->algo[0] ? c->algo : "-",
		c->dtype[0] ? c->dtype : "-");
	fprintf(o, "  time              %.3f us (first CS submission to last CS completion)\n",
		t * 1e6);
	fprintf(o, "  algbw             %.3f GB/s (bytes per rank / time)\n", alg * 1e-9);
	fprintf(o, "  busbw             %.3f GB/s (algbw x %.4g, hccl_demo's factor for %s on "
		   "%u ranks)\n",
		bus * 1e-9, c->busbw_factor, c->op, c->devices);
}
