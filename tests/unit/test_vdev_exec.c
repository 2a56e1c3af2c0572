/*
 * tests/unit/test_vdev_exec.c - the virtual device's executor (traces/interposer/vexec.c)
 * without the preload library: CBs built with the Gaudi encoder are submitted straight to
 * trc_vx_submit() and checked for their effect on host memory, simulated SRAM/DRAM, SOBs,
 * fences, errors and completion times; a Gaudi2 executor (CBs from the Gaudi2 encoder) for
 * its data path, busy masks and 64-CS window.
 *
 * vexec.c is compiled into libhlsim_preload.so only, so it is included here; its two calls
 * into vdev.c (checked copies from and to the program's memory) are provided below.
 */
#include "traces/interposer/vexec.c"

#include "tests/unit/check.h"

#define HOST_VA 0x1000000000000ull /* GAUDI_VA_HOST_BASE: where the "maps" below start */
#define HOST_BYTES (1u << 20)
#define CB_CAP 4096u

static uint8_t *host_mem; /* one USERPTR map: device VA HOST_VA .. + HOST_BYTES */
static uint64_t fetched_bytes; /* CB bytes reported by the fetch hook */

int trc_vdev_uread(void *dst, uint64_t src, size_t n)
{
	memcpy(dst, (const void *)(uintptr_t)src, n);
	return 0;
}

int trc_vdev_uwrite(uint64_t dst, const void *src, size_t n)
{
	memcpy((void *)(uintptr_t)dst, src, n);
	return 0;
}

static uint64_t host_fn(void *ctx, uint64_t dva, uint64_t *avail)
{
	(void)ctx;
	if (dva < HOST_VA || dva - HOST_VA >= HOST_BYTES)
		return 0;
	*avail = HOST_BYTES - (dva - HOST_VA);
	return (uint64_t)(uintptr_t)host_mem + (dva - HOST_VA);
}

static void fetch_fn(void *ctx, uint64_t seq, uint64_t addr, const uint8_t *bytes, uint32_t size)
{
	(void)ctx;
	(void)seq;
	(void)addr;
	(void)bytes;
	fetched_bytes += size;
}

/** struct cb - a CB being built with the ASIC's encoder. */
struct cb {
	const struct mdl_asic_funcs *f;
	uint8_t b[CB_CAP];
	size_t n;
};

static void emit(struct cb *c, const struct hlsim_cmd *cmd)
{
	size_t n = c->f->encode(cmd, c->b + c->n, sizeof(c->b) - c->n);

	CHECK(n > 0);
	c->n += n;
}

static void dma(struct cb *c, uint64_t src, uint64_t dst, uint64_t size, uint32_t flags)
{
	struct hlsim_cmd k = { .kind = HLSIM_CMD_DMA, .rb = 1 };

	k.u.dma.src_addr = src;
	k.u.dma.dst_addr = dst;
	k.u.dma.size_bytes = size;
	k.u.dma.flags = flags;
	emit(c, &k);
}

static void msg(struct cb *c, uint64_t addr, uint32_t value, int eb)
{
	struct hlsim_cmd k = { .kind = HLSIM_CMD_MSG, .rb = 1, .mb = 1, .eb = (uint8_t)eb };

	k.u.msg.addr = addr;
	k.u.msg.value = value;
	emit(c, &k);
}

static void fence(struct cb *c, uint8_t id, uint8_t target)
{
	struct hlsim_cmd k = { .kind = HLSIM_CMD_FENCE };

	k.u.fence.id = id;
	k.u.fence.target = target;
	k.u.fence.dec = target;
	emit(c, &k);
}

static void cp_dma(struct cb *c, uint64_t addr, uint32_t size)
{
	struct hlsim_cmd k = { .kind = HLSIM_CMD_CB_CALL, .rb = 1 };

	k.u.cb_call.addr = addr;
	k.u.cb_call.size_bytes = size;
	emit(c, &k);
}

/* A monitor of block @b: when SOB @sob >= @value, write @data to @addr. */
static void monitor(struct cb *c, uint8_t b, uint32_t mon, uint32_t sob, uint32_t value,
		    uint64_t addr, uint32_t data)
{
	const struct mdl_asic_funcs *f = c->f;
	struct mdl_mon_arm arm = { .group = sob / f->props->mon_max_sobs,
				   .mask = 0xFFu & ~(1u << (sob % f->props->mon_max_sobs)),
				   .value = value };

	msg(c, f->mon_addr(b, mon, MDL_TARGET_MON_PAY_ADDRL), (uint32_t)addr, 0);
	msg(c, f->mon_addr(b, mon, MDL_TARGET_MON_PAY_ADDRH), (uint32_t)(addr >> 32), 0);
	msg(c, f->mon_addr(b, mon, MDL_TARGET_MON_PAY_DATA), data, 0);
	msg(c, f->mon_addr(b, mon, MDL_TARGET_MON_ARM), f->mon_arm_encode(&arm), 0);
}

static int submit1(struct trc_vx *x, uint64_t seq, uint32_t queue, const struct cb *c,
		   int64_t at_ns)
{
	struct trc_vx_job j = { .queue_id = queue, .external = 1, .bytes = c->b,
				.size_bytes = (uint32_t)c->n };

	return trc_vx_submit(x, seq, &j, 1, at_ns);
}

/*
 * Gaudi2: SRAM -> DRAM on an EDMA queue released by a monitor, the busy mask by enum
 * gaudi2_engine_id (an EDMA, a TPC and a NIC queue blocked, the NIC bit in the second
 * word), and the 64-CS window (GAUDI2_MAX_PENDING_CS).
 */
static void test_gaudi2(void)
{
	const struct mdl_asic_funcs *f = NULL;
	const struct mdl_asic_props *p;
	hlsim_config_t *cfg = NULL;
	struct trc_vx *x = NULL;
	const uint32_t q_edma = GAUDI2_QUEUE_ID_DCORE1_EDMA_1_0, q_pdma = GAUDI2_QUEUE_ID_PDMA_0_0;
	const uint32_t q_tpc = GAUDI2_QUEUE_ID_DCORE3_TPC_5_0, q_nic = GAUDI2_QUEUE_ID_NIC_23_0;
	uint64_t mask[2], sob, seq = 0;
	int64_t t0 = 1000000000;
	uint8_t buf[64];
	struct cb c;

	CHECK(!hlsim_config_load("gaudi2_hl225", &cfg));
	CHECK(!mdl_asic_by_name("gaudi2", &f));
	if (!cfg || !f)
		return;
	p = f->props;
	CHECK_EQ_U64(trc_vx_create(f, cfg, 1u << 20, host_fn, fetch_fn, NULL, &x), 0);
	if (!x)
		goto out;
	trc_vx_set_max_pending(x, 64);
	c.f = f;
	sob = f->sob_addr(0, 400);
	/* the EDMA waits for SOB 400 >= 1, then copies SRAM -> DRAM; PDMA_0_0 sets SOB 400 */
	c.n = 0;
	dma(&c, 0x1122334455667788ull, p->sram_base, 64, HLSIM_DMA_MEMSET);
	CHECK_EQ_U64(submit1(x, ++seq, q_pdma, &c, t0), 0);
	c.n = 0;
	monitor(&c, 0, 300, 400, 1, f->fence_addr(f->qman_of_queue(q_edma), 0, 0), 1);
	fence(&c, 0, 1);
	dma(&c, p->sram_base, p->dram_base + 4096, 64, 0);
	CHECK_EQ_U64(submit1(x, ++seq, q_edma, &c, t0 + 1000), 0);
	CHECK_EQ_U64(trc_vx_cs_state(x, seq, NULL), TRC_VX_CS_PENDING);
	trc_vx_busy_engines_ext(x, mask);
	CHECK_EQ_U64(mask[0], 1ull << GAUDI2_DCORE1_ENGINE_ID_EDMA_1);
	CHECK_EQ_U64(mask[1], 0);
	c.n = 0;
	msg(&c, sob, f->sob_value_encode(1, 1), 0);
	CHECK_EQ_U64(submit1(x, ++seq, q_pdma, &c, t0 + 2000), 0);
	CHECK_EQ_U64(trc_vx_cs_state(x, seq - 1, NULL), TRC_VX_CS_DONE);
	CHECK_EQ_U64(mem_rw(x, p->dram_base + 4096, buf, 64, 0), 0);
	CHECK_EQ_U64(buf[0], 0x88);
	CHECK_EQ_U64(buf[63], 0x11);
	/* a TPC and a NIC queue blocked on fences nothing releases */
	c.n = 0;
	fence(&c, 2, 1);
	CHECK_EQ_U64(submit1(x, ++seq, q_tpc, &c, t0 + 3000), 0);
	CHECK_EQ_U64(submit1(x, ++seq, q_nic, &c, t0 + 3000), 0);
	trc_vx_busy_engines_ext(x, mask);
	CHECK_EQ_U64(mask[0], 1ull << GAUDI2_DCORE3_ENGINE_ID_TPC_5);
	CHECK_EQ_U64(mask[1], 1ull << (GAUDI2_ENGINE_ID_NIC11_1 - 64));
	/* 64 CSs in flight: the CS 64 seqs after the pending TPC one waits for its slot */
	CHECK_EQ_U64(submit1(x, seq - 1 + 64, q_pdma, &c, t0 + 4000), (uint64_t)-EAGAIN);
	trc_vx_time_out(x, seq - 1);
	trc_vx_time_out(x, seq);
	trc_vx_busy_engines_ext(x, mask);
	CHECK_EQ_U64(mask[0] | mask[1], 0);
out:
	trc_vx_destroy(x);
	hlsim_config_free(cfg);
}

int main(void)
{
	const struct mdl_asic_funcs *f;
	const struct mdl_asic_props *p;
	hlsim_config_t *cfg = NULL;
	struct trc_vx *x = NULL;
	struct trc_vx_job jobs[2];
	struct cb c, up, low;
	uint64_t sram, dram, sob, sob2, seq = 0;
	int64_t t0 = 1000000000, done = 0, done2 = 0;
	uint8_t ws = 0;
	uint32_t i, bad;
	int k;

	CHECK(!hlsim_config_load(NULL, &cfg));
	CHECK(!mdl_asic_by_name("gaudi", &f));
	if (!cfg || !f)
		return check_summary();
	p = f->props;
	for (k = 0; k < 8; k++)
		if (p->sm_block_names[k] && !strcmp(p->sm_block_names[k], "W_S"))
			ws = (uint8_t)k;
	host_mem = aligned_alloc(4096, HOST_BYTES);
	CHECK(host_mem != NULL);
	if (!host_mem)
		return check_summary();
	for (i = 0; i < HOST_BYTES; i++)
		host_mem[i] = (uint8_t)(i * 13 + 1);
	sram = p->sram_base;
	dram = p->dram_base + (1u << 20);
	sob = f->sob_addr(ws, 200);
	sob2 = f->sob_addr(ws, 201);
	CHECK_EQ_U64(trc_vx_create(f, cfg, 1u << 20, host_fn, fetch_fn, NULL, &x), 0);
	if (!x)
		return check_summary();
	c.f = up.f = low.f = f;

	/* 1. host -> DRAM -> SRAM -> host, a memset, a SOB += 1: all in one CB */
	c.n = 0;
	dma(&c, HOST_VA, dram, 65536, 0);
	dma(&c, dram, sram, 65536, 0);
	dma(&c, 0x0102030405060708ull, sram + 4096, 100, HLSIM_DMA_MEMSET);
	dma(&c, sram, HOST_VA + 524288, 65536, 0);
	msg(&c, sob, f->sob_value_encode(1, 1), 1);
	CHECK_EQ_U64(submit1(x, ++seq, 0 /* DMA_0_0 */, &c, t0), 0);
	CHECK_EQ_U64(trc_vx_cs_state(x, seq, &done), TRC_VX_CS_DONE);
	for (i = bad = 0; i < 65536; i++) {
		uint8_t want = i >= 4096 && i < 4196 ? (uint8_t)(8 - (i - 4096) % 8) : host_mem[i];

		bad += host_mem[524288 + i] != want;
	}
	CHECK_EQ_U64(bad, 0);
	CHECK_EQ_U64(mdl_sm_sob(x->sm, ws, 200), 1);
	/* three 64 KiB DMAs, two over PCIe at 32 GB/s * 0.8: at least 5 us after submission */
	CHECK(done - t0 > 5000);
	CHECK_EQ_U64(trc_vx_mem_used(x), 2 * VX_PAGE_BYTES); /* one DRAM page, one SRAM page */

	/*
	 * 2. Two queues ordered by a monitor: DMA_2_0 (listed first) hands its lower CP a CB
	 * that waits for SOB 201 >= 1; DMA_0_0 sets it. The lower CB lives in host memory.
	 */
	low.n = 0;
	monitor(&low, ws, 100, 201, 1, f->fence_addr(f->qman_of_queue(9), 4, 0), 1);
	fence(&low, 0, 1);
	dma(&low, sram + 8, HOST_VA + 262144, 16, 0);
	memcpy(host_mem + 131072, low.b, low.n);
	up.n = 0;
	cp_dma(&up, HOST_VA + 131072, (uint32_t)low.n);
	memcpy(host_mem + 196608, up.b, up.n);
	c.n = 0;
	msg(&c, sob2, f->sob_value_encode(1, 1), 0);
	memset(jobs, 0, sizeof(jobs));
	jobs[0] = (struct trc_vx_job){ .queue_id = 9, .cb_addr = HOST_VA + 196608,
				       .size_bytes = (uint32_t)up.n };
	jobs[1] = (struct trc_vx_job){ .queue_id = 0, .external = 1, .bytes = c.b,
				       .size_bytes = (uint32_t)c.n };
	fetched_bytes = 0;
	CHECK_EQ_U64(trc_vx_submit(x, ++seq, jobs, 2, t0 + 100000), 0);
	CHECK_EQ_U64(trc_vx_cs_state(x, seq, &done2), TRC_VX_CS_DONE);
	CHECK(!memcmp(host_mem + 262144, host_mem + 524288 + 8, 16));
	CHECK_EQ_U64(fetched_bytes, up.n + low.n); /* both internal CBs reported */
	CHECK_EQ_U64(trc_vx_busy_engines(x), 0);

	/* 3. a fence nothing releases: pending and busy, then timed out, then idle */
	c.n = 0;
	monitor(&c, ws, 101, 202, 1, f->fence_addr(f->qman_of_queue(0), 0, 1), 1);
	fence(&c, 1, 1);
	CHECK_EQ_U64(submit1(x, ++seq, 0, &c, t0 + 200000), 0);
	CHECK_EQ_U64(trc_vx_cs_state(x, seq, NULL), TRC_VX_CS_PENDING);
	CHECK_EQ_U64(trc_vx_busy_engines(x), 1); /* DMA_0 */
	trc_vx_time_out(x, seq);
	CHECK_EQ_U64(trc_vx_cs_state(x, seq, NULL), TRC_VX_CS_FAILED);
	CHECK_EQ_U64(trc_vx_busy_engines(x), 0);

	/* 4. errors: an unmapped host VA, REPEAT; the queue goes on with the next CS */
	c.n = 0;
	dma(&c, HOST_VA + HOST_BYTES, dram, 16, 0);
	CHECK_EQ_U64(submit1(x, ++seq, 0, &c, t0 + 300000), 0);
	CHECK_EQ_U64(trc_vx_cs_state(x, seq, NULL), TRC_VX_CS_FAILED);
	CHECK_STR_CONTAINS(x->err, "in no USERPTR map");
	c.n = 0;
	{
		struct hlsim_cmd r = { .kind = HLSIM_CMD_REPEAT, .rb = 1 };

		emit(&c, &r);
	}
	CHECK_EQ_U64(submit1(x, ++seq, 0, &c, t0 + 400000), 0);
	CHECK_EQ_U64(trc_vx_cs_state(x, seq, NULL), TRC_VX_CS_FAILED);
	CHECK_STR_CONTAINS(x->err, "REPEAT");
	c.n = 0;
	dma(&c, HOST_VA, dram, 16, 0);
	CHECK_EQ_U64(submit1(x, ++seq, 0, &c, t0 + 500000), 0);
	CHECK_EQ_U64(trc_vx_cs_state(x, seq, NULL), TRC_VX_CS_DONE);
	/* the driver's part of DRAM is not the user's */
	c.n = 0;
	dma(&c, HOST_VA, p->dram_base - 4096, 16, 0);
	CHECK_EQ_U64(submit1(x, ++seq, 0, &c, t0 + 600000), 0);
	CHECK_EQ_U64(trc_vx_cs_state(x, seq, NULL), TRC_VX_CS_FAILED);

	/*
	 * A TPC launch (WREG to TPC_EXECUTE) goes to the ASIC's engine model: with nothing
	 * programmed it refuses, and the CS fails naming the launch.
	 */
	c.n = 0;
	{
		struct hlsim_cmd w = { .kind = HLSIM_CMD_WREG, .rb = 1 };

		w.u.wreg.reg_offset = p->launch_reg[MDL_ENGINE_TPC];
		w.u.wreg.count = 1;
		w.u.wreg.value = 1;
		emit(&c, &w);
	}
	memcpy(host_mem + 65536, c.b, c.n);
	jobs[0] = (struct trc_vx_job){ .queue_id = 41 /* TPC_0_0 */, .cb_addr = HOST_VA + 65536,
				       .size_bytes = (uint32_t)c.n };
	CHECK_EQ_U64(trc_vx_submit(x, ++seq, jobs, 1, t0 + 650000), 0);
	CHECK_EQ_U64(trc_vx_cs_state(x, seq, NULL), TRC_VX_CS_FAILED);
	CHECK_STR_CONTAINS(x->err, "launch");

	/* 5. the memory bound (1 MiB): a CS writing 2 MiB of new DRAM fails with ENOMEM */
	c.n = 0;
	dma(&c, 0, dram + (64u << 20), 2u << 20, HLSIM_DMA_MEMSET);
	CHECK_EQ_U64(submit1(x, seq + 1, 0, &c, t0 + 700000), (uint64_t)-ENOMEM);
	CHECK_EQ_U64(trc_vx_cs_state(x, seq + 1, NULL), TRC_VX_CS_UNKNOWN);
	CHECK(trc_vx_mem_used(x) <= 1u << 20);

	trc_vx_destroy(x);
	hlsim_config_free(cfg);
	test_gaudi2();
	free(host_mem);
	return check_summary();
}
