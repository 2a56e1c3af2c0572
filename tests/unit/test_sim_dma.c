/*
 * tests/unit/test_sim_dma.c - the simulation core end to end on hand-made traces:
 * DMA timing (one transfer takes latency + bytes / bottleneck bandwidth; concurrent
 * transfers share HBM; a copy within HBM crosses it twice), completion writes into the
 * sync manager, monitors and fences across queues, deadlock reports and packet errors.
 */
#include <inttypes.h>

#include "tests/unit/check.h"
#include "tests/unit/tracebuild.h"

#define N_BYTES 1048576ull
#define Q_DMA_0_0 0 /* GAUDI_QUEUE_ID_DMA_0_0 */
#define Q_DMA_1_0 4 /* GAUDI_QUEUE_ID_DMA_1_0 */

/* All links fast except the ones a test names; latencies easy to add up. */
#define BASE_SETS                                                                          \
	"--set dma.setup_latency=1us --set pcie.latency=1us --set hbm.latency=100ns "      \
	"--set sram.latency=20ns --set pcie.efficiency=1 --set dma.engine_bandwidth=1TB/s " \
	"--set sram.bandwidth=10TB/s "

static uint64_t dur(const struct hlsim_rec *r)
{
	return r->end_ps - r->start_ps;
}

/* |a - b| <= tol */
#define CHECK_NEAR(a, b, tol)                                                              \
	do {                                                                               \
		int64_t d_ = (int64_t)(a) - (int64_t)(b);                                  \
		if (d_ < 0)                                                                \
			d_ = -d_;                                                          \
		if (d_ > (int64_t)(tol))                                                   \
			fprintf(stderr, "  got %" PRIu64 " ps, expected %" PRIu64 " ps\n",   \
				(uint64_t)(a), (uint64_t)(b));                             \
		CHECK(d_ <= (int64_t)(tol));                                               \
	} while (0)

static void one_dma(const char *name, uint64_t src, uint64_t dst, int memset_, const char *sets,
		    uint64_t expect_ps)
{
	char trace[256], dir[256], args[1024], err[4096];
	struct tb_trace t;
	struct tb_cb cb = { .len = 0 };
	struct tb_cb *cbs[1] = { &cb };
	uint32_t q[1] = { Q_DMA_0_0 };
	struct hlsim_rec r[4];
	size_t n;

	snprintf(trace, sizeof(trace), "sim_dma_%s.h5", name);
	snprintf(dir, sizeof(dir), "sim_dma_%s.out", name);
	tb_open(&t, trace);
	if (memset_) {
		struct hlsim_cmd c = { .kind = HLSIM_CMD_DMA };

		c.u.dma.src_addr = 0x0101010101010101ull;
		c.u.dma.dst_addr = dst;
		c.u.dma.size_bytes = N_BYTES;
		c.u.dma.flags = HLSIM_DMA_MEMSET;
		tb_emit(&cb, c);
	} else {
		tb_lin_dma(&cb, src, dst, N_BYTES, 0);
	}
	tb_cs(&t, 1, q, cbs);
	tb_close(&t);
	snprintf(args, sizeof(args), BASE_SETS "%s", sets);
	CHECK_EQ_U64(tb_run(trace, dir, args, err, sizeof(err)), 0);
	n = tb_records(dir, "DMA0", HLSIM_REC_DMA, r, 4);
	CHECK_EQ_U64(n, 1);
	if (n == 1) {
		CHECK_EQ_U64(r[0].bytes, N_BYTES);
		CHECK_NEAR(dur(&r[0]), expect_ps, 1000);
	} else {
		fprintf(stderr, "%s: %s\n", name, err);
	}
}

static void timing(void)
{
	const struct mdl_asic_props *p = tb_f()->props;

	/* host -> HBM through PCIe at 10 GB/s: 1 us setup + 1 us PCIe + 100 ns HBM + N/10e9 */
	one_dma("h2d", p->host_va_base, p->dram_base, 0,
		"--set pcie.h2d_bandwidth=10GB/s --set hbm.bandwidth=1TB/s",
		1000000 + 1000000 + 100000 + N_BYTES * 100);
	/* HBM -> HBM reads and writes HBM: twice the latency, twice the bytes on the link */
	one_dma("d2d", p->dram_base, p->dram_base + (64u << 20), 0, "--set hbm.bandwidth=100GB/s",
		1000000 + 2 * 100000 + 2 * N_BYTES * 10);
	/* memset of HBM only writes it */
	one_dma("memset", 0, p->dram_base, 1, "--set hbm.bandwidth=100GB/s",
		1000000 + 100000 + N_BYTES * 10);
	/* one byte more takes one byte-time more: 1 B at 10 GB/s = 100 ps */
	one_dma("d2h", p->dram_base, p->host_va_base, 0,
		"--set pcie.d2h_bandwidth=10GB/s --set hbm.bandwidth=1TB/s",
		1000000 + 100000 + 1000000 + N_BYTES * 100);
}

/* Two engines copying HBM -> SRAM at once share HBM: each takes twice as long. */
static void sharing(void)
{
	const struct mdl_asic_props *p = tb_f()->props;
	char err[4096];
	struct tb_trace t;
	struct tb_cb a = { .len = 0 }, b = { .len = 0 };
	struct tb_cb *cbs[2] = { &a, &b };
	uint32_t q[2] = { Q_DMA_0_0, Q_DMA_1_0 };
	struct hlsim_rec r0[2], r1[2];
	uint64_t alone = 1000000 + 100000 + 20000 + N_BYTES * 10;
	uint64_t shared = 1000000 + 100000 + 20000 + 2 * N_BYTES * 10;

	tb_open(&t, "sim_share.h5");
	tb_lin_dma(&a, p->dram_base, p->sram_base, N_BYTES, 0);
	tb_lin_dma(&b, p->dram_base + (64u << 20), p->sram_base + N_BYTES, N_BYTES, 0);
	tb_cs(&t, 2, q, cbs);
	tb_close(&t);
	CHECK_EQ_U64(tb_run("sim_share.h5", "sim_share.out", BASE_SETS "--set hbm.bandwidth=100GB/s",
			    err, sizeof(err)),
		     0);
	CHECK_EQ_U64(tb_records("sim_share.out", "DMA0", HLSIM_REC_DMA, r0, 2), 1);
	CHECK_EQ_U64(tb_records("sim_share.out", "DMA1", HLSIM_REC_DMA, r1, 2), 1);
	/* both start together (same CS, same submission) and share HBM for the whole transfer */
	CHECK_NEAR(dur(&r0[0]), shared, 1000);
	CHECK_NEAR(dur(&r1[0]), shared, 1000);
	CHECK(dur(&r0[0]) > alone + N_BYTES * 9);
	/*
	 * The report charges each engine the time beyond its transfer alone to HBM: 1 MiB more
	 * at 100 GB/s = 10.485760 us, the share the other transfer took.
	 */
	{
		char held[4096];

		tb_held_section("sim_share.out", held, sizeof(held));
		CHECK_STR_CONTAINS(held, "DMA0  dma    22.091520  10.485760   0.000000");
		CHECK_STR_CONTAINS(held, "DMA1  dma    22.091520  10.485760   0.000000");
	}
}

/*
 * DMA_0_0's transfer completes into SOB 64 (wr_comp); DMA_1_0 arms a monitor on SOB 64 >= 1
 * that bumps its own fence, waits on it, then copies: its copy starts after the first ends.
 */
static void dependency(int sob_target, int expect_deadlock)
{
	const struct mdl_asic_funcs *f = tb_f();
	const struct mdl_asic_props *p = f->props;
	uint8_t blk = (uint8_t)tb_en_block();
	uint64_t sob = f->sob_addr(blk, 64);
	uint64_t fence = f->fence_addr(f->qman_of_queue(Q_DMA_1_0), 0, 0);
	struct mdl_mon_arm arm = { .group = 8, .mask = 0xFE, .mode_eq = 0,
				   .value = (uint32_t)sob_target };
	char err[8192];
	struct tb_trace t;
	struct tb_cb a = { .len = 0 }, b = { .len = 0 };
	struct tb_cb *cbs[2] = { &a, &b };
	uint32_t q[2] = { Q_DMA_0_0, Q_DMA_1_0 };
	struct hlsim_rec r0[2], r1[2], fw[2];
	const char *tr = expect_deadlock ? "sim_dead.h5" : "sim_dep.h5";
	const char *dir = expect_deadlock ? "sim_dead.out" : "sim_dep.out";
	int st;

	tb_open(&t, tr);
	/* producer: DMA core completion -> SOB 64 += 1 */
	{
		struct hlsim_cmd c = { .kind = HLSIM_CMD_WREG };

		c.u.wreg.count = 1;
		c.u.wreg.reg_offset = p->dma_wr_comp_addr_lo;
		c.u.wreg.value = (uint32_t)sob;
		tb_emit(&a, c);
		c.u.wreg.reg_offset = p->dma_wr_comp_addr_hi;
		c.u.wreg.value = (uint32_t)(sob >> 32);
		tb_emit(&a, c);
		c.u.wreg.reg_offset = p->dma_wr_comp_wdata;
		c.u.wreg.value = f->sob_value_encode(1, 1);
		tb_emit(&a, c);
	}
	tb_lin_dma(&a, p->dram_base, p->sram_base, N_BYTES, 1);
	/* consumer: monitor -> own fence 0, FENCE, copy */
	tb_msg_long(&b, f->mon_addr(blk, 5, MDL_TARGET_MON_PAY_ADDRL), (uint32_t)fence, 0);
	tb_msg_long(&b, f->mon_addr(blk, 5, MDL_TARGET_MON_PAY_ADDRH), (uint32_t)(fence >> 32), 0);
	tb_msg_long(&b, f->mon_addr(blk, 5, MDL_TARGET_MON_PAY_DATA), 1, 0);
	tb_msg_long(&b, f->mon_addr(blk, 5, MDL_TARGET_MON_ARM), f->mon_arm_encode(&arm), 0);
	tb_fence(&b, 0, 1, 1);
	tb_lin_dma(&b, p->sram_base, p->host_va_base, N_BYTES, 0);
	tb_cs(&t, 2, q, cbs);
	tb_close(&t);
	st = tb_run(tr, dir, BASE_SETS, err, sizeof(err));
	if (expect_deadlock) {
		CHECK(st != 0);
		CHECK_STR_CONTAINS(err, "every queue is blocked");
		CHECK_STR_CONTAINS(err, "queue DMA_1_0 blocked on a FENCE");
		CHECK_STR_CONTAINS(err, "fence 0 is 0, needs >= 1");
		CHECK_STR_CONTAINS(err, "monitor E_N[5] armed: SOB group 8 mask 0xfe >= 2");
		CHECK_STR_CONTAINS(err, "SOB E_N[64]=1");
		return;
	}
	CHECK_EQ_U64(st, 0);
	CHECK_EQ_U64(tb_records(dir, "DMA0", HLSIM_REC_DMA, r0, 2), 1);
	CHECK_EQ_U64(tb_records(dir, "DMA1", HLSIM_REC_DMA, r1, 2), 1);
	CHECK(r1[0].start_ps >= r0[0].end_ps);
	CHECK_EQ_U64(tb_records(dir, "DMA_1_0", HLSIM_REC_FENCE_WAIT, fw, 2), 1);
	CHECK(fw[0].end_ps >= r0[0].end_ps);
}

static void no_monitor_deadlock(void)
{
	char err[8192];
	struct tb_trace t;
	struct tb_cb a = { .len = 0 };
	struct tb_cb *cbs[1] = { &a };
	uint32_t q[1] = { Q_DMA_0_0 };

	tb_open(&t, "sim_nomon.h5");
	tb_fence(&a, 2, 1, 1);
	tb_cs(&t, 1, q, cbs);
	tb_close(&t);
	CHECK(tb_run("sim_nomon.h5", "sim_nomon.out", "", err, sizeof(err)) != 0);
	CHECK_STR_CONTAINS(err, "queue DMA_0_0 blocked on a FENCE at CS seq 1, job 0");
	CHECK_STR_CONTAINS(err, "no armed monitor writes to that fence");
	CHECK_STR_CONTAINS(err, "host blocked");
}

/*
 * An engine starved by its CP: 500 NOPs before a LIN_DMA keep DMA0 idle while DMA_0_0's
 * CP fetches the 4024-byte kernel CB over PCIe (1 us + 4024 B at 32 GB/s = 1.125750 us)
 * and executes 501 packets, then, once the transfer has drained (the driver's CQ write
 * has EB set), the epilogue's MSI packet: 502 x 4 cycles of 513 ps = 1.030104 us.
 */
static void cp_starved(void)
{
	struct hlsim_cmd nop = { .kind = HLSIM_CMD_NOP };
	const struct mdl_asic_props *p = tb_f()->props;
	char err[8192], held[8192], cmd[2048], *out = NULL;
	struct tb_trace t;
	struct tb_cb a = { .len = 0 };
	struct tb_cb *cbs[1] = { &a };
	uint32_t q[1] = { Q_DMA_0_0 };
	FILE *f;
	size_t n;
	int i;

	tb_open(&t, "sim_starved.h5");
	for (i = 0; i < 500; i++)
		tb_emit(&a, nop);
	tb_lin_dma(&a, p->dram_base, p->sram_base, N_BYTES, 0);
	tb_cs(&t, 1, q, cbs);
	tb_close(&t);
	CHECK_EQ_U64(a.len, 4024);
	CHECK_EQ_U64(tb_run("sim_starved.h5", "sim_starved.out",
			    BASE_SETS "--set cp.packet_cycles=4 --set asic.clock=1.95GHz "
				      "--set pcie.h2d_bandwidth=32GB/s",
			    err, sizeof(err)),
		     0);
	snprintf(cmd, sizeof(cmd), "%s report sim_starved.out/results.h5 2>&1", HLSIM_EXE);
	out = malloc(1 << 20);
	f = out ? popen(cmd, "r") : NULL;
	n = f ? fread(out, 1, (1 << 20) - 1, f) : 0;
	if (f)
		pclose(f);
	if (!out)
		return;
	out[n] = '\0';
	held[0] = '\0';
	if (strstr(out, "Starved by the command processor"))
		snprintf(held, sizeof(held), "%s", strstr(out, "Starved by the command processor"));
	CHECK_STR_CONTAINS(held, "DMA0  dma         1.125750      1.030104");
	free(out);
}

/* A DMA COMMIT asking for a transpose is refused, not timed as a plain copy. */
static void commit_transpose(void)
{
	const struct mdl_asic_props *p = tb_f()->props;
	struct hlsim_cmd c = { .kind = HLSIM_CMD_WREG };
	char err[8192];
	struct tb_trace t;
	struct tb_cb a = { .len = 0 };
	struct tb_cb *cbs[1] = { &a };
	uint32_t q[1] = { Q_DMA_0_0 };

	tb_open(&t, "sim_commit_tr.h5");
	c.u.wreg.count = 1;
	c.u.wreg.reg_offset = p->launch_reg[MDL_ENGINE_DMA];
	c.u.wreg.value = p->dma_commit_lin | 1u << 1; /* lin + transpose[1] */
	tb_emit(&a, c);
	tb_cs(&t, 1, q, cbs);
	tb_close(&t);
	CHECK(tb_run("sim_commit_tr.h5", "sim_commit_tr.out", "", err, sizeof(err)) != 0);
	CHECK_STR_CONTAINS(err, "DMA COMMIT 0x0000000a asks for a transpose");
	CHECK_STR_CONTAINS(err, "job 0 on queue DMA_0_0");
}

static void bad_packet(void)
{
	char err[8192];
	struct tb_trace t;
	struct tb_cb a = { .len = 0 };
	struct tb_cb *cbs[1] = { &a };
	uint32_t q[1] = { Q_DMA_0_0 };
	struct hlsim_cmd nop = { .kind = HLSIM_CMD_NOP };

	tb_open(&t, "sim_badpkt.h5");
	tb_emit(&a, nop);
	memset(a.b + a.len, 0, 8); /* opcode 0: invalid */
	a.len += 8;
	tb_cs(&t, 1, q, cbs);
	tb_close(&t);
	CHECK(tb_run("sim_badpkt.h5", "sim_badpkt.out", "", err, sizeof(err)) != 0);
	CHECK_STR_CONTAINS(err, "CS seq 1");
	CHECK_STR_CONTAINS(err, "job 0 on queue DMA_0_0");
	CHECK_STR_CONTAINS(err, "0x8");
	/* the disassembler names the same CS, job and offset */
	{
		char cmd[1024];
		FILE *f;
		size_t n;

		snprintf(cmd, sizeof(cmd), "%s disasm sim_badpkt.h5 2>&1 >/dev/null", HLSIM_EXE);
		f = popen(cmd, "r");
		CHECK(f != NULL);
		if (f) {
			n = fread(err, 1, sizeof(err) - 1, f);
			err[n] = '\0';
			CHECK(pclose(f) != 0);
			CHECK_STR_CONTAINS(err, "CS seq 1 (row 0), job 0: byte offset 0x8: invalid opcode");
		}
	}
}

int main(void)
{
	timing();
	sharing();
	dependency(1, 0);
	dependency(2, 1);
	no_monitor_deadlock();
	commit_transpose();
	cp_starved();
	bad_packet();
	return check_summary();
}
