/*
 * tests/unit/test_gen_coll_run.c - the collective traces of `hlsim gen allreduce` & co.
 * (traces/gen/gen_coll.c) replayed by the simulator (`hlsim run`, a child process): every
 * collective, algorithm and ASIC finishes (no deadlock: the run fails if a CP is still
 * blocked when nothing else can happen), every device's CS completes, and the time is
 * at least what the busiest port needs to carry its bytes at line rate.
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

static char dir[256];

/* CS records of every device's host: how many, the first start and the last end. */
static size_t cs_span(const char *out, uint64_t *t0, uint64_t *t1)
{
	char path[600];
	hlsim_results_t *r;
	struct hlsim_rec buf[256];
	uint64_t first = 0;
	size_t n, i, k = 0;

	*t0 = UINT64_MAX;
	*t1 = 0;
	snprintf(path, sizeof(path), "%s/results.h5", out);
	if (hlsim_results_open(path, &r)) {
		fprintf(stderr, "results: %s\n", hlsim_last_error_detail());
		return 0;
	}
	while (!hlsim_results_read(r, first, buf, 256, &n) && n) {
		for (i = 0; i < n; i++) {
			if (buf[i].kind != HLSIM_REC_CS ||
			    hlsim_results_unit(r, buf[i].unit)->kind != HLSIM_UNIT_HOST)
				continue;
			k++;
			if (buf[i].start_ps < *t0)
				*t0 = buf[i].start_ps;
			if (buf[i].end_ps > *t1)
				*t1 = buf[i].end_ps;
		}
		first += n;
	}
	hlsim_results_close(r);
	return k;
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
	uint64_t t0, t1;
	size_t k;
	int rc;

	trc_gen_coll_defaults(&o);
	o.asic = asic;
	o.op = op;
	o.algo = algo;
	o.devices = n;
	o.bytes = B;
	snprintf(trace, sizeof(trace), "%s/%s_%s_%u_%u.h5", dir, asic, trc_gen_coll_op_name(op),
		 algo, n);
	snprintf(out, sizeof(out), "%s/%s_%s_%u_%u.out", dir, asic, trc_gen_coll_op_name(op), algo,
		 n);
	CHECK_EQ_U64(trc_gen_coll(&o, NULL, trace, "test", &st), HLSIM_OK);
	snprintf(args, sizeof(args), "--config %s",
		 strcmp(asic, "gaudi2") ? "gaudi_hl205" : "gaudi2_hl225");
	rc = tb_run(trace, out, args, err, sizeof(err));
	CHECK_EQ_U64(rc, 0);
	if (rc) {
		fprintf(stderr, "  %s: %s\n", trace, err);
		return;
	}
	k = cs_span(out, &t0, &t1);
	CHECK_EQ_U64(k, n);
	CHECK(t1 > t0);
	/* 100 Gb/s = 12.5 bytes per ns = 80 ps per byte */
	CHECK(t1 - t0 >= port_bytes * 80);
	printf("  %-6s %-13s %-12s %2u devices %9" PRIu64 " bytes: %10.3f us\n", asic,
	       trc_gen_coll_op_name(op), trc_gen_coll_algo_name(st.algo), n, B,
	       (double)(t1 - t0) * 1e-6);
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
	/* Gaudi HLS-1: 1 port per peer */
	one("gaudi", TRC_GEN_COLL_ALLREDUCE, TRC_GEN_COLL_DIRECT, 8, 8 * MiB, 2 * MiB);
	one("gaudi", TRC_GEN_COLL_ALLREDUCE, TRC_GEN_COLL_HIERARCHICAL, 16, 16 * MiB, 2 * MiB);
	remove_dir(dir);
	return check_summary();
}
