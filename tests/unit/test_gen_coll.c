/*
 * tests/unit/test_gen_coll.c - `hlsim gen allreduce|reducescatter|allgather|alltoall|
 * broadcast` (traces/gen/gen_coll.c): for each collective, algorithm and ASIC, every job of
 * every device decodes; every NIC record leaves on a port that reaches its destination
 * (models/common/net.h) and names a device of the trace; the bytes the NIC records carry
 * between every ordered pair of devices are the algorithm's count; each device's CS
 * carries its "collective" annotation and ends with a FENCE; bad options are refused with
 * a detail naming the option. The hierarchical cases run with both phases across boxes
 * (--scaleout-algo ring and hd, recursive halving-doubling) on 2, 4 and 8 boxes.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hlsim/config.h"
#include "hlsim/trace.h"
#include "models/common/asic.h"
#include "models/common/net.h"
#include "tests/unit/check.h"
#include "traces/gen/gen_coll.h"

#define MAXD 128

static char dir[256];
static uint32_t xalgo; /* --scaleout-algo of the next case (enum trc_gen_coll_xalgo) */
static uint64_t pair[MAXD][MAXD]; /* NIC bytes from device a to device b */

/* What one trace holds, decoded. */
struct seen {
	uint64_t records, bytes, launches;
	uint32_t devices;
	int bad_port, bad_dev, decode_errors, no_annotation, last_not_fence;
	char annotation[MAXD][224];
};

static void scan(const char *path, const char *asic, const hlsim_config_t *cfg, uint32_t n,
		 struct seen *sn)
{
	const struct mdl_asic_funcs *f = NULL;
	struct mdl_net_topo topo;
	hlsim_trace_t *t = NULL;
	uint32_t d;

	memset(sn, 0, sizeof(*sn));
	memset(pair, 0, sizeof(pair));
	CHECK_EQ_U64(mdl_asic_by_name(asic, &f), HLSIM_OK);
	CHECK_EQ_U64(mdl_net_topo_from_config(cfg, n, &topo), HLSIM_OK);
	CHECK_EQ_U64(hlsim_trace_open(path, &t), HLSIM_OK);
	if (!t || !f)
		return;
	sn->devices = hlsim_trace_num_devices(t);
	for (d = 0; d < sn->devices && d < MAXD; d++) {
		struct hlsim_trace_counts c;
		struct hlsim_trace_cs cs;
		uint64_t j, a;
		int last_fence = 0;

		CHECK_EQ_U64(hlsim_trace_counts(t, d, &c), HLSIM_OK);
		CHECK_EQ_U64(c.cs, 1);
		CHECK_EQ_U64(hlsim_trace_read_cs(t, d, 0, &cs), HLSIM_OK);
		for (j = 0; j < c.jobs; j++) {
			struct hlsim_trace_job job;
			const struct hlsim_blob *blob = NULL;
			const struct mdl_queue_info *qi;
			size_t off = 0;

			CHECK_EQ_U64(hlsim_trace_read_job(t, d, j, &job), HLSIM_OK);
			qi = f->queue_info(job.queue_id);
			CHECK(qi != NULL);
			if (!qi || hlsim_trace_blob_get(t, d, job.blob_id, &blob))
				continue;
			last_fence = 0;
			while (off < blob->size) {
				struct hlsim_cmd cmd;

				if (f->decode(blob->bytes, blob->size, off, &cmd)) {
					sn->decode_errors++;
					break;
				}
				if (cmd.kind == HLSIM_CMD_NIC) {
					uint32_t z = cmd.u.nic.dst_device;

					sn->records++;
					sn->bytes += cmd.u.nic.size_bytes;
					if (z >= n || z == d)
						sn->bad_dev++;
					else if (qi->engine_class != MDL_ENGINE_NIC ||
						 !mdl_net_port_reaches(&topo, d, qi->engine_index,
								       z))
						sn->bad_port++;
					else if (z < MAXD)
						pair[d][z] += cmd.u.nic.size_bytes;
				}
				if (cmd.kind == HLSIM_CMD_WREG &&
				    qi->engine_class == MDL_ENGINE_TPC && cmd.u.wreg.count == 1 &&
				    cmd.u.wreg.value == 1 &&
				    cmd.u.wreg.reg_offset == f->props->launch_reg[MDL_ENGINE_TPC])
					sn->launches++;
				last_fence = cmd.kind == HLSIM_CMD_FENCE;
				off += cmd.size_bytes;
			}
			hlsim_trace_blob_put(t, blob);
		}
		/* the last job is the device's wait for everything */
		sn->last_not_fence += !last_fence;
		sn->no_annotation++;
		for (a = 0; a < c.annotations; a++) {
			struct hlsim_trace_annotation an;

			CHECK_EQ_U64(hlsim_trace_read_annotation(t, d, a, &an), HLSIM_OK);
			if (!strcmp(an.key, "collective")) {
				sn->no_annotation--;
				snprintf(sn->annotation[d], sizeof(sn->annotation[d]), "%s",
					 an.value);
			}
		}
	}
	hlsim_trace_close(t);
}

/* Run one case: generate, scan, compare the pair matrix with @expect(a, b). */
typedef uint64_t (*expect_fn)(uint32_t a, uint32_t b, uint32_t n, uint64_t B, uint32_t cards);

static void one(const char *asic, uint32_t op, uint32_t algo, uint32_t n, uint64_t B,
		uint64_t slice, expect_fn expect, const char *algo_name)
{
	struct trc_gen_coll_opts o;
	struct trc_gen_coll_stats st;
	struct seen sn;
	hlsim_config_t *cfg = NULL;
	char path[512], want[224];
	uint32_t a, z, cards;
	uint64_t total = 0;
	int mismatches = 0;
	hlsim_err_t rc;

	trc_gen_coll_defaults(&o);
	o.asic = asic;
	o.op = op;
	o.algo = algo;
	o.devices = n;
	o.bytes = B;
	o.slice_bytes = slice;
	o.scaleout_algo = xalgo;
	snprintf(path, sizeof(path), "%s/%s_%s_%s_%u_%u.h5", dir, asic, trc_gen_coll_op_name(op),
		 algo_name, n, xalgo);
	CHECK_EQ_U64(hlsim_config_load(strcmp(asic, "gaudi2") ? "gaudi_hl205" : "gaudi2_hl225",
				       &cfg),
		     HLSIM_OK);
	if (!cfg)
		return;
	cards = (uint32_t)hlsim_config_u64(cfg, "box.cards");
	rc = trc_gen_coll(&o, cfg, path, "test", &st);
	CHECK_EQ_U64(rc, HLSIM_OK);
	if (rc) {
		fprintf(stderr, "  %s: %s\n", path, hlsim_last_error_detail());
		hlsim_config_free(cfg);
		return;
	}
	CHECK(!strcmp(trc_gen_coll_algo_name(st.algo), algo_name));
	scan(path, asic, cfg, n, &sn);
	CHECK_EQ_U64(sn.devices, n);
	CHECK_EQ_U64(sn.decode_errors, 0);
	CHECK_EQ_U64(sn.bad_dev, 0);
	CHECK_EQ_U64(sn.bad_port, 0);
	CHECK_EQ_U64(sn.no_annotation, 0);
	CHECK_EQ_U64(sn.last_not_fence, 0);
	CHECK_EQ_U64(sn.records, st.nic_records);
	CHECK_EQ_U64(sn.bytes, st.nic_bytes);
	CHECK_EQ_U64(sn.launches, st.tpc_launches);
	snprintf(want, sizeof(want), "op=%s bytes=%" PRIu64 " devices=%u algo=%s dtype=fp32",
		 trc_gen_coll_op_name(op), B, n, algo_name);
	CHECK_STR_CONTAINS(sn.annotation[0], want);
	CHECK_STR_CONTAINS(sn.annotation[n - 1], want);
	if (xalgo)
		CHECK_EQ_U64(st.scaleout_algo, xalgo);
	/* a phase across boxes names itself; none without one */
	CHECK(!st.scaleout_algo == !strstr(sn.annotation[0], "scaleout="));
	if (st.scaleout_algo) {
		snprintf(want, sizeof(want), "scaleout=%s",
			 trc_gen_coll_xalgo_name(st.scaleout_algo));
		CHECK_STR_CONTAINS(sn.annotation[0], want);
	}
	for (a = 0; a < n && a < MAXD; a++) {
		for (z = 0; z < n && z < MAXD; z++) {
			uint64_t e = a == z ? 0 : expect(a, z, n, B, cards);

			total += e;
			if (pair[a][z] != e) {
				if (mismatches++ < 4)
					fprintf(stderr,
						"  %s: %u -> %u carries %" PRIu64
						" bytes, expected %" PRIu64 "\n",
						path, a, z, pair[a][z], e);
			}
		}
	}
	CHECK_EQ_U64(mismatches, 0);
	CHECK_EQ_U64(sn.bytes, total);
	hlsim_config_free(cfg);
	unlink(path);
}

/* direct all-reduce: a sends its shard-z part to z and its reduced shard back: 2B/n */
static uint64_t x_direct_ar(uint32_t a, uint32_t z, uint32_t n, uint64_t B, uint32_t c)
{
	(void)a, (void)z, (void)c;
	return 2 * B / n;
}

static uint64_t x_direct_rs(uint32_t a, uint32_t z, uint32_t n, uint64_t B, uint32_t c)
{
	(void)a, (void)z, (void)c;
	return B / n;
}

static uint64_t x_direct_ag(uint32_t a, uint32_t z, uint32_t n, uint64_t B, uint32_t c)
{
	(void)a, (void)z, (void)n, (void)c;
	return B;
}

/* ring all-reduce: 2(n-1) chunks of B/n to the next rank only */
static uint64_t x_ring_ar(uint32_t a, uint32_t z, uint32_t n, uint64_t B, uint32_t c)
{
	(void)c;
	return z == (a + 1) % n ? 2 * (n - 1) * (B / n) : 0;
}

static uint64_t x_ring_rs(uint32_t a, uint32_t z, uint32_t n, uint64_t B, uint32_t c)
{
	(void)c;
	return z == (a + 1) % n ? (n - 1) * (B / n) : 0;
}

static uint64_t x_ring_ag(uint32_t a, uint32_t z, uint32_t n, uint64_t B, uint32_t c)
{
	(void)c;
	return z == (a + 1) % n ? (n - 1) * B : 0;
}

/* broadcast along the chain 0 -> 1 -> ... */
static uint64_t x_chain(uint32_t a, uint32_t z, uint32_t n, uint64_t B, uint32_t c)
{
	(void)n, (void)c;
	return z == a + 1 ? B : 0;
}

/* direct broadcast of fp32 elements: part p (of n-1) goes 0 -> p+1 -> every other non-root */
static uint64_t part_bytes(uint32_t p, uint32_t n, uint64_t B)
{
	uint64_t e = B / 4, parts = n - 1;

	return (e / parts + (p < e % parts)) * 4;
}

static uint64_t x_bcast_direct(uint32_t a, uint32_t z, uint32_t n, uint64_t B, uint32_t c)
{
	(void)c;
	if (z == 0)
		return 0;
	if (a == 0)
		return part_bytes(z - 1, n, B);
	return part_bytes(a - 1, n, B);
}

/*
 * hierarchical all-reduce, boxes of c: in the box 2B/c to each other card; across boxes
 * the ring of the cards with the same number carries 2(M-1) chunks of B/n to the next box.
 */
static uint64_t x_hier_ar(uint32_t a, uint32_t z, uint32_t n, uint64_t B, uint32_t c)
{
	uint32_t M = n / c;

	if (a / c == z / c)
		return 2 * B / c;
	if (a % c == z % c && z / c == (a / c + 1) % M)
		return 2 * (M - 1) * (B / n);
	return 0;
}

/* The distance d between boxes @ba and @bz when it is one bit (halving-doubling partners). */
static uint64_t hd_dist(uint32_t ba, uint32_t bz)
{
	uint32_t d = ba ^ bz;

	return d && !(d & (d - 1)) ? d : 0;
}

/*
 * hierarchical all-reduce with halving-doubling across boxes: in the box as x_hier_ar;
 * across boxes card a and the same card of box b ^ d exchange d chunks of B/n in the
 * halving step of distance d and again d chunks in the doubling step: 2 d B/n.
 */
static uint64_t x_hier_hd_ar(uint32_t a, uint32_t z, uint32_t n, uint64_t B, uint32_t c)
{
	if (a / c == z / c)
		return 2 * B / c;
	if (a % c == z % c)
		return 2 * hd_dist(a / c, z / c) * (B / n);
	return 0;
}

/* hierarchical reduce-scatter, hd: B/c to each card of the box, d B/n to the partners */
static uint64_t x_hier_hd_rs(uint32_t a, uint32_t z, uint32_t n, uint64_t B, uint32_t c)
{
	if (a / c == z / c)
		return B / c;
	if (a % c == z % c)
		return hd_dist(a / c, z / c) * (B / n);
	return 0;
}

/* hierarchical all-gather, hd: d shards of B to the partners, then every box's block in it */
static uint64_t x_hier_hd_ag(uint32_t a, uint32_t z, uint32_t n, uint64_t B, uint32_t c)
{
	if (a / c == z / c)
		return (uint64_t)(n / c) * B;
	if (a % c == z % c)
		return hd_dist(a / c, z / c) * B;
	return 0;
}

/* hierarchical reduce-scatter, ring: B/c in the box, (M-1) chunks of B/n to the next box */
static uint64_t x_hier_rs(uint32_t a, uint32_t z, uint32_t n, uint64_t B, uint32_t c)
{
	uint32_t M = n / c;

	if (a / c == z / c)
		return B / c;
	if (a % c == z % c && z / c == (a / c + 1) % M)
		return (M - 1) * (B / n);
	return 0;
}

static void errors(void)
{
	struct trc_gen_coll_opts o;
	char path[512];

	snprintf(path, sizeof(path), "%s/err.h5", dir);
	trc_gen_coll_defaults(&o);
	o.devices = 1;
	CHECK_EQ_U64(trc_gen_coll(&o, NULL, path, NULL, NULL), HLSIM_E_USAGE);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "--devices 1");
	trc_gen_coll_defaults(&o);
	o.bytes = 1000; /* not a multiple of 8 x 4 */
	CHECK_EQ_U64(trc_gen_coll(&o, NULL, path, NULL, NULL), HLSIM_E_USAGE);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "multiple of 32 (992 or 1024)");
	trc_gen_coll_defaults(&o);
	o.slice_bytes = 6;
	CHECK_EQ_U64(trc_gen_coll(&o, NULL, path, NULL, NULL), HLSIM_E_USAGE);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "--slice-bytes 6");
	trc_gen_coll_defaults(&o);
	o.op = TRC_GEN_COLL_ALLTOALL;
	o.algo = TRC_GEN_COLL_RING;
	CHECK_EQ_U64(trc_gen_coll(&o, NULL, path, NULL, NULL), HLSIM_E_USAGE);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "alltoall");
	trc_gen_coll_defaults(&o);
	o.algo = TRC_GEN_COLL_HIERARCHICAL; /* 8 cards are one box */
	CHECK_EQ_U64(trc_gen_coll(&o, NULL, path, NULL, NULL), HLSIM_E_USAGE);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "hierarchical");
	trc_gen_coll_defaults(&o);
	o.dtype = "fp64";
	CHECK_EQ_U64(trc_gen_coll(&o, NULL, path, NULL, NULL), HLSIM_E_USAGE);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "--dtype fp64");
	trc_gen_coll_defaults(&o);
	o.tpcs = 9;
	CHECK_EQ_U64(trc_gen_coll(&o, NULL, path, NULL, NULL), HLSIM_E_USAGE);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "--tpcs 9");
	trc_gen_coll_defaults(&o);
	o.bytes = 64ull << 30; /* in + out + staging do not fit 96 GiB */
	CHECK_EQ_U64(trc_gen_coll(&o, NULL, path, NULL, NULL), HLSIM_E_USAGE);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "user HBM");
	trc_gen_coll_defaults(&o); /* 3 boxes: no halving-doubling */
	o.devices = 24;
	o.bytes = 24ull << 20;
	o.scaleout_algo = TRC_GEN_COLL_X_HD;
	CHECK_EQ_U64(trc_gen_coll(&o, NULL, path, NULL, NULL), HLSIM_E_USAGE);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "power-of-two number of boxes");
	trc_gen_coll_defaults(&o); /* one box: nothing crosses boxes */
	o.scaleout_algo = TRC_GEN_COLL_X_RING;
	CHECK_EQ_U64(trc_gen_coll(&o, NULL, path, NULL, NULL), HLSIM_E_USAGE);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "--scaleout-algo ring");
	trc_gen_coll_defaults(&o);
	o.devices = 32;
	o.op = TRC_GEN_COLL_BROADCAST;
	o.scaleout_algo = TRC_GEN_COLL_X_HD;
	CHECK_EQ_U64(trc_gen_coll(&o, NULL, path, NULL, NULL), HLSIM_E_USAGE);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "--scaleout-algo hd");
	CHECK(trc_gen_coll_xalgo_by_name("hd") == TRC_GEN_COLL_X_HD);
	CHECK(trc_gen_coll_xalgo_by_name("ring") == TRC_GEN_COLL_X_RING);
	CHECK(trc_gen_coll_xalgo_by_name("tree") == -1);
	CHECK(trc_gen_coll_op_by_name("allreduce") == TRC_GEN_COLL_ALLREDUCE);
	CHECK(trc_gen_coll_op_by_name("reduce") == -1);
	CHECK(trc_gen_coll_busbw_factor(TRC_GEN_COLL_ALLREDUCE, 8) == 1.75);
	CHECK(trc_gen_coll_busbw_factor(TRC_GEN_COLL_ALLGATHER, 8) == 7.0);
	unlink(path);
}

int main(void)
{
	const uint64_t MiB = 1ull << 20;

	snprintf(dir, sizeof(dir), "/tmp/hlsim_test_gen_coll_%d", (int)getpid());
	CHECK(mkdir(dir, 0755) == 0);
	/* Gaudi2, one box: 3 ports per peer */
	one("gaudi2", TRC_GEN_COLL_ALLREDUCE, TRC_GEN_COLL_AUTO, 8, 32 * MiB, MiB, x_direct_ar,
	    "direct");
	one("gaudi2", TRC_GEN_COLL_ALLREDUCE, TRC_GEN_COLL_RING, 8, 8 * MiB, MiB, x_ring_ar,
	    "ring");
	one("gaudi2", TRC_GEN_COLL_REDUCESCATTER, TRC_GEN_COLL_DIRECT, 4, 4 * MiB, 256 << 10,
	    x_direct_rs, "direct");
	one("gaudi2", TRC_GEN_COLL_REDUCESCATTER, TRC_GEN_COLL_RING, 5, 5 * MiB, MiB, x_ring_rs,
	    "ring");
	one("gaudi2", TRC_GEN_COLL_ALLGATHER, TRC_GEN_COLL_DIRECT, 8, MiB + 4, 300 << 10,
	    x_direct_ag, "direct");
	one("gaudi2", TRC_GEN_COLL_ALLGATHER, TRC_GEN_COLL_RING, 3, 2 * MiB, MiB, x_ring_ag,
	    "ring");
	one("gaudi2", TRC_GEN_COLL_ALLTOALL, TRC_GEN_COLL_DIRECT, 8, 8 * MiB, MiB, x_direct_rs,
	    "direct");
	one("gaudi2", TRC_GEN_COLL_BROADCAST, TRC_GEN_COLL_DIRECT, 8, 3 * MiB + 12, MiB,
	    x_bcast_direct, "direct");
	one("gaudi2", TRC_GEN_COLL_BROADCAST, TRC_GEN_COLL_RING, 6, 3 * MiB, MiB, x_chain, "ring");
	one("gaudi2", TRC_GEN_COLL_ALLREDUCE, TRC_GEN_COLL_DIRECT, 2, 64, 64, x_direct_ar,
	    "direct");
	/* two and four boxes */
	one("gaudi2", TRC_GEN_COLL_ALLREDUCE, TRC_GEN_COLL_AUTO, 16, 16 * MiB, MiB, x_hier_ar,
	    "hierarchical");
	xalgo = TRC_GEN_COLL_X_RING;
	one("gaudi2", TRC_GEN_COLL_ALLREDUCE, TRC_GEN_COLL_HIERARCHICAL, 32, 32 * MiB, 512 << 10,
	    x_hier_ar, "hierarchical");
	one("gaudi2", TRC_GEN_COLL_REDUCESCATTER, TRC_GEN_COLL_HIERARCHICAL, 32, 32 * MiB, MiB,
	    x_hier_rs, "hierarchical");
	/* halving-doubling across 2, 4 and 8 boxes; slices that cut chunks, and cells that
	 * straddle chunks (6 MiB / 16 = 384 KiB chunks in 256 KiB cells) */
	xalgo = TRC_GEN_COLL_X_HD;
	one("gaudi2", TRC_GEN_COLL_ALLREDUCE, TRC_GEN_COLL_HIERARCHICAL, 16, 16 * MiB, 512 << 10,
	    x_hier_hd_ar, "hierarchical");
	one("gaudi2", TRC_GEN_COLL_ALLREDUCE, TRC_GEN_COLL_HIERARCHICAL, 16, 6 * MiB, 256 << 10,
	    x_hier_hd_ar, "hierarchical");
	one("gaudi2", TRC_GEN_COLL_ALLREDUCE, TRC_GEN_COLL_HIERARCHICAL, 32, 32 * MiB, 0,
	    x_hier_hd_ar, "hierarchical");
	one("gaudi2", TRC_GEN_COLL_ALLREDUCE, TRC_GEN_COLL_HIERARCHICAL, 64, 12 * MiB, 0,
	    x_hier_hd_ar, "hierarchical");
	one("gaudi2", TRC_GEN_COLL_REDUCESCATTER, TRC_GEN_COLL_HIERARCHICAL, 32, 32 * MiB,
	    256 << 10, x_hier_hd_rs, "hierarchical");
	one("gaudi2", TRC_GEN_COLL_ALLGATHER, TRC_GEN_COLL_HIERARCHICAL, 64, MiB + 12, 300 << 10,
	    x_hier_hd_ag, "hierarchical");
	xalgo = TRC_GEN_COLL_X_AUTO; /* 8 boxes: ring; 16: hd */
	one("gaudi2", TRC_GEN_COLL_ALLREDUCE, TRC_GEN_COLL_AUTO, 64, 16 * MiB, 0, x_hier_ar,
	    "hierarchical");
	one("gaudi2", TRC_GEN_COLL_ALLREDUCE, TRC_GEN_COLL_AUTO, 128, 16 * MiB, 0, x_hier_hd_ar,
	    "hierarchical");
	one("gaudi2", TRC_GEN_COLL_ALLREDUCE, TRC_GEN_COLL_RING, 12, 12 * MiB, MiB, x_ring_ar,
	    "ring");
	one("gaudi2", TRC_GEN_COLL_ALLREDUCE, TRC_GEN_COLL_DIRECT, 12, 12 * MiB, MiB, x_direct_ar,
	    "direct");
	/* Gaudi (HLS-1): 1 port per peer */
	one("gaudi", TRC_GEN_COLL_ALLREDUCE, TRC_GEN_COLL_AUTO, 8, 8 * MiB, MiB, x_direct_ar,
	    "direct");
	one("gaudi", TRC_GEN_COLL_ALLREDUCE, TRC_GEN_COLL_HIERARCHICAL, 16, 16 * MiB, MiB,
	    x_hier_ar, "hierarchical");
	xalgo = TRC_GEN_COLL_X_HD;
	one("gaudi", TRC_GEN_COLL_ALLREDUCE, TRC_GEN_COLL_HIERARCHICAL, 32, 32 * MiB, MiB,
	    x_hier_hd_ar, "hierarchical");
	xalgo = TRC_GEN_COLL_X_AUTO;
	one("gaudi", TRC_GEN_COLL_ALLGATHER, TRC_GEN_COLL_RING, 4, MiB, 256 << 10, x_ring_ag,
	    "ring");
	errors();
	rmdir(dir);
	return check_summary();
}
