/*
 * tests/unit/test_gen_coll_run.c - the collective traces of `hlsim gen allreduce` & co.
 * (traces/gen/gen_coll.c) replayed by the simulator (`hlsim run`, a child process): every
 * collective, algorithm and ASIC finishes (no deadlock: the run fails if a CP is still
 * blocked when nothing else can happen), every device's CS completes, and the time is
 * at least what the busiest port needs to carry its bytes at line rate. Causality, from
 * the NIC rows of the results: no NIC transfer lands on a device after its CS ended (the
 * CS waits for all its data), and by the end of its CS every device has heard, through a
 * chain of transfers each starting after the previous one landed, from every device whose
 * input its output depends on (all of them; the root for broadcast), so no step ran
 * before the data it forwards could have existed. The hierarchical all-reduce runs with
 * both phases across boxes (ring and halving-doubling) on 2, 4 and 8 boxes.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hlsim/results.h"
#include "tests/unit/check.h"
#include "tests/unit/tracebuild.h"
#include "traces/gen/gen_coll.h"

#define MAXD 64 /* devices the causality check follows (one bit each) */

static char dir[256];
static uint32_t xalgo; /* --scaleout-algo of the next case (enum trc_gen_coll_xalgo) */

/* One NIC transfer of the results: from device @src to @dst over [@start_ps, @end_ps]. */
struct xfer {
	uint64_t start_ps, end_ps;
	uint32_t src, dst;
	uint64_t heard; /* what @src had heard of when it started */
};

/* What one run's results show. */
struct runview {
	size_t cs; /* CS records of the devices' hosts */
	uint64_t t0, t1; /* first CS start, last CS end */
	uint64_t cs_end[MAXD];
	uint64_t heard[MAXD]; /* devices each device heard from by its CS end (bit per device) */
	uint32_t late; /* transfers landing on a device after its CS ended */
	int bad; /* rows that could not be read or named a device out of range */
};

static int by_start(const void *a, const void *b)
{
	const struct xfer *x = *(const struct xfer *const *)a, *y = *(const struct xfer *const *)b;

	return x->start_ps < y->start_ps ? -1 : x->start_ps > y->start_ps;
}

static int by_end(const void *a, const void *b)
{
	const struct xfer *x = *(const struct xfer *const *)a, *y = *(const struct xfer *const *)b;

	return x->end_ps < y->end_ps ? -1 : x->end_ps > y->end_ps;
}

/*
 * Read the CS and NIC rows of @out/results.h5 into @v (@n devices): the CS span, the
 * transfers landing after their receiver's CS, and who heard from whom: a transfer
 * carries what its sender had heard of when it started (itself included) to its receiver
 * when it lands; a transfer starting at the very time another lands sees it.
 */
static void read_run(const char *out, uint32_t n, struct runview *v)
{
	char path[600];
	hlsim_results_t *r;
	struct hlsim_rec buf[256];
	struct xfer *x = NULL, **bs = NULL, **be = NULL, *nx;
	uint64_t first = 0;
	size_t nr, i, k, nx_n = 0, nx_cap = 0;
	uint32_t d;

	memset(v, 0, sizeof(*v));
	v->t0 = UINT64_MAX;
	snprintf(path, sizeof(path), "%s/results.h5", out);
	if (hlsim_results_open(path, &r)) {
		fprintf(stderr, "results: %s\n", hlsim_last_error_detail());
		v->bad = 1;
		return;
	}
	while (!v->bad && !hlsim_results_read(r, first, buf, 256, &nr) && nr) {
		for (i = 0; i < nr; i++) {
			const struct hlsim_unit *u = hlsim_results_unit(r, buf[i].unit);

			if (!u) {
				v->bad = 1;
				break;
			}
			if (buf[i].kind == HLSIM_REC_CS && u->kind == HLSIM_UNIT_HOST) {
				v->cs++;
				v->t0 = buf[i].start_ps < v->t0 ? buf[i].start_ps : v->t0;
				v->t1 = buf[i].end_ps > v->t1 ? buf[i].end_ps : v->t1;
				if (u->device < MAXD)
					v->cs_end[u->device] = buf[i].end_ps;
			}
			if (buf[i].kind != HLSIM_REC_NIC)
				continue;
			if (u->device >= n || u->device >= MAXD || buf[i].aux >= n) {
				v->bad = 1;
				break;
			}
			if (nx_n == nx_cap) {
				nx_cap = nx_cap ? 2 * nx_cap : 1024;
				nx = realloc(x, nx_cap * sizeof(*x));
				if (!nx) {
					v->bad = 1;
					break;
				}
				x = nx;
			}
			x[nx_n++] = (struct xfer){ buf[i].start_ps, buf[i].end_ps, u->device,
						   buf[i].aux, 0 };
		}
		first += nr;
	}
	hlsim_results_close(r);
	bs = calloc(nx_n + 1, sizeof(*bs));
	be = calloc(nx_n + 1, sizeof(*be));
	if (!bs || !be)
		v->bad = 1;
	for (i = 0; !v->bad && i < nx_n; i++) {
		bs[i] = &x[i];
		be[i] = &x[i];
	}
	if (!v->bad) {
		qsort(bs, nx_n, sizeof(*bs), by_start);
		qsort(be, nx_n, sizeof(*be), by_end);
		for (d = 0; d < n && d < MAXD; d++)
			v->heard[d] = 1ull << d;
		for (i = 0, k = 0; i < nx_n; i++) {
			for (; k < nx_n && be[k]->end_ps <= bs[i]->start_ps; k++)
				v->heard[be[k]->dst] |= be[k]->heard;
			bs[i]->heard = v->heard[bs[i]->src];
		}
		for (; k < nx_n; k++)
			v->heard[be[k]->dst] |= be[k]->heard;
		for (i = 0; i < nx_n; i++)
			v->late += x[i].end_ps > v->cs_end[x[i].dst];
	}
	free(bs);
	free(be);
	free(x);
}

/*
 * Generate and run one collective; @port_bytes is the most bytes one port sends, so the
 * run takes at least that at 100 Gb/s.
 */
static void one(const char *asic, uint32_t op, uint32_t algo, uint32_t n, uint64_t B,
		uint64_t port_bytes)
{
	struct trc_gen_coll_opts o;
	struct trc_gen_coll_stats st;
	char trace[512], out[512], err[4096], args[128];
	struct runview v;
	uint64_t all = n >= 64 ? UINT64_MAX : (1ull << n) - 1;
	uint32_t d, deaf = 0;
	int rc;

	trc_gen_coll_defaults(&o);
	o.asic = asic;
	o.op = op;
	o.algo = algo;
	o.devices = n;
	o.bytes = B;
	o.scaleout_algo = xalgo;
	snprintf(trace, sizeof(trace), "%s/%s_%s_%u_%u_%u.h5", dir, asic,
		 trc_gen_coll_op_name(op), algo, n, xalgo);
	snprintf(out, sizeof(out), "%s/%s_%s_%u_%u_%u.out", dir, asic, trc_gen_coll_op_name(op),
		 algo, n, xalgo);
	CHECK_EQ_U64(trc_gen_coll(&o, NULL, trace, "test", &st), HLSIM_OK);
	snprintf(args, sizeof(args), "--config %s",
		 strcmp(asic, "gaudi2") ? "gaudi_hl205" : "gaudi2_hl225");
	rc = tb_run(trace, out, args, err, sizeof(err));
	CHECK_EQ_U64(rc, 0);
	if (rc) {
		fprintf(stderr, "  %s: %s\n", trace, err);
		return;
	}
	CHECK(n <= MAXD);
	read_run(out, n, &v);
	CHECK_EQ_U64(v.bad, 0);
	CHECK_EQ_U64(v.cs, n);
	CHECK(v.t1 > v.t0);
	/* 100 Gb/s = 12.5 bytes per ns = 80 ps per byte */
	CHECK(v.t1 - v.t0 >= port_bytes * 80);
	CHECK_EQ_U64(v.late, 0);
	for (d = 0; d < n && d < MAXD; d++)
		deaf += (v.heard[d] & (op == TRC_GEN_COLL_BROADCAST ? 1 : all)) !=
			(op == TRC_GEN_COLL_BROADCAST ? 1 : all);
	CHECK_EQ_U64(deaf, 0);
	printf("  %-6s %-13s %-12s %-4s %2u devices %9" PRIu64 " bytes: %10.3f us\n", asic,
	       trc_gen_coll_op_name(op), trc_gen_coll_algo_name(st.algo),
	       st.scaleout_algo ? trc_gen_coll_xalgo_name(st.scaleout_algo) : "", n, B,
	       (double)(v.t1 - v.t0) * 1e-6);
	unlink(trace);
}

/* Remove @d and everything in it (the runs' outputs). */
static void remove_dir(const char *d)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", d);
}

int main(void)
{
	const uint64_t MiB = 1ull << 20;

	snprintf(dir, sizeof(dir), "/tmp/hlsim_test_gen_coll_run_%d", (int)getpid());
	CHECK(mkdir(dir, 0755) == 0);
	/* direct all-reduce on 8 Gaudi2: 2 x 4 MiB per peer over 3 ports */
	one("gaudi2", TRC_GEN_COLL_ALLREDUCE, TRC_GEN_COLL_DIRECT, 8, 32 * MiB, 2 * 4 * MiB / 3);
	one("gaudi2", TRC_GEN_COLL_ALLREDUCE, TRC_GEN_COLL_RING, 8, 8 * MiB, 14 * MiB / 3);
	one("gaudi2", TRC_GEN_COLL_REDUCESCATTER, TRC_GEN_COLL_DIRECT, 8, 8 * MiB, MiB / 3);
	one("gaudi2", TRC_GEN_COLL_REDUCESCATTER, TRC_GEN_COLL_RING, 4, 4 * MiB, MiB);
	one("gaudi2", TRC_GEN_COLL_ALLGATHER, TRC_GEN_COLL_DIRECT, 8, MiB, MiB / 3);
	one("gaudi2", TRC_GEN_COLL_ALLGATHER, TRC_GEN_COLL_RING, 4, MiB, MiB);
	one("gaudi2", TRC_GEN_COLL_ALLTOALL, TRC_GEN_COLL_DIRECT, 8, 8 * MiB, MiB / 3);
	one("gaudi2", TRC_GEN_COLL_BROADCAST, TRC_GEN_COLL_DIRECT, 8, 7 * MiB, MiB / 3);
	one("gaudi2", TRC_GEN_COLL_BROADCAST, TRC_GEN_COLL_RING, 4, 3 * MiB, MiB);
	/* two boxes: the cross-box ring over 3 scale-out ports carries 2 x 1 MiB */
	one("gaudi2", TRC_GEN_COLL_ALLREDUCE, TRC_GEN_COLL_HIERARCHICAL, 16, 16 * MiB, 2 * MiB / 3);
	one("gaudi2", TRC_GEN_COLL_REDUCESCATTER, TRC_GEN_COLL_HIERARCHICAL, 16, 16 * MiB, MiB / 3);
	one("gaudi2", TRC_GEN_COLL_ALLGATHER, TRC_GEN_COLL_HIERARCHICAL, 16, MiB, MiB / 3);
	one("gaudi2", TRC_GEN_COLL_BROADCAST, TRC_GEN_COLL_HIERARCHICAL, 16, 3 * MiB, MiB / 3);
	one("gaudi2", TRC_GEN_COLL_ALLTOALL, TRC_GEN_COLL_DIRECT, 16, 16 * MiB, MiB / 3);
	/*
	 * 2, 4 and 8 boxes, ring and halving-doubling across boxes: in the box each card
	 * sends every peer 2 x B/8 over 3 ports; across boxes 2(M-1)/M of the B/8 shard
	 * over 3 scale-out ports.
	 */
	xalgo = TRC_GEN_COLL_X_RING;
	one("gaudi2", TRC_GEN_COLL_ALLREDUCE, TRC_GEN_COLL_HIERARCHICAL, 32, 32 * MiB,
	    2 * 4 * MiB / 3);
	xalgo = TRC_GEN_COLL_X_HD;
	one("gaudi2", TRC_GEN_COLL_ALLREDUCE, TRC_GEN_COLL_HIERARCHICAL, 16, 16 * MiB,
	    2 * 2 * MiB / 3);
	one("gaudi2", TRC_GEN_COLL_ALLREDUCE, TRC_GEN_COLL_HIERARCHICAL, 32, 32 * MiB,
	    2 * 4 * MiB / 3);
	one("gaudi2", TRC_GEN_COLL_ALLREDUCE, TRC_GEN_COLL_HIERARCHICAL, 64, 32 * MiB,
	    2 * 4 * MiB / 3);
	one("gaudi2", TRC_GEN_COLL_REDUCESCATTER, TRC_GEN_COLL_HIERARCHICAL, 32, 32 * MiB,
	    4 * MiB / 3);
	one("gaudi2", TRC_GEN_COLL_ALLGATHER, TRC_GEN_COLL_HIERARCHICAL, 32, MiB, 4 * MiB / 3);
	xalgo = TRC_GEN_COLL_X_AUTO;
	/* Gaudi HLS-1: 1 port per peer */
	one("gaudi", TRC_GEN_COLL_ALLREDUCE, TRC_GEN_COLL_DIRECT, 8, 8 * MiB, 2 * MiB);
	one("gaudi", TRC_GEN_COLL_ALLREDUCE, TRC_GEN_COLL_HIERARCHICAL, 16, 16 * MiB, 2 * MiB);
	remove_dir(dir);
	return check_summary();
}
