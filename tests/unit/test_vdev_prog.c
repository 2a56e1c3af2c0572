/*
 * tests/unit/test_vdev_prog.c - a user program of the habanalabs driver, written against
 * <misc/habanalabs.h> alone (no hlsim header), for `hlsim vdev` (tests/e2e/vdev.sh). It is
 * built as the executable `vdev_prog`, not as a ctest test of its own.
 *
 *   vdev_prog          open /dev/hl0, INFO (HW_IP_INFO and the other served ops), CB create
 *                      and mmap, a LIN_DMA host->SRAM and a MSG_LONG (SOB += 1) in the CB,
 *                      MEMORY MAP USERPTR of the host buffer, CS on DMA_0_0, WAIT_CS, clean-up.
 *   vdev_prog errors   the driver's error answers: unknown ioctl nr (ENOTTY), the control node
 *                      refusing CS (ENOTTY), a second mmap of a CB (EINVAL), and more.
 *   vdev_prog data     functional execution: one CS over three queues ordered by monitors
 *                      and fences moves a buffer host -> DRAM -> SRAM (+ memset) -> host;
 *                      every byte is checked, and a SOB value is read back by a monitor
 *                      whose payload writes host memory.
 *   vdev_prog stuck    a CS fencing on a SOB nothing increments: HW_IDLE busy, WAIT_CS
 *                      ETIMEDOUT / TIMEDOUT, and the queue still serves the next CS.
 *   vdev_prog oom      under --mem-max 64KiB: a CS writing 128 KiB of DRAM fails with ENOMEM.
 *   vdev_prog sysfs    the device's sysfs attributes through open, fopen, stat and access.
 *   vdev_prog devices  under --devices 2: hl0 and hl1 are separate devices (own DRAM).
 *   vdev_prog pace [real]  a CS whose estimated completion is about 100 ms: the WAIT_CS
 *                      timestamp is at least that; with "real" (run under --pace real) the
 *                      program must also have waited that long.
 *   vdev_prog signal   a signal CS on DMA_0_1 held back by a blocked CS, a wait CS on DMA_1_0
 *                      for it and a copy behind the wait: the copy must see data written
 *                      before the signal's release; the driver's signal/wait answers.
 *   vdev_prog staged   a staged submission in two parts (internal-only FIRST, LAST):
 *                      WAIT_CS on the first seq, the bytes, the refusals.
 *   vdev_prog multi    multi-CS waits: a partial map over a blocked CS, the timestamp,
 *                      GONE, the errors.
 *   vdev_prog mstuck   polls and time-outs of CSs that never complete (multi-CS, staged).
 *   vdev_prog encaps   encapsulated signals: reservations, a staged CS giving them, a wait CS
 *                      for one of them ordering a copy (checked on the bytes), the errors.
 *
 * Prints one line per failed check and exits 0 only if every check passed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <misc/habanalabs.h>

/*
 * Gaudi packet encodings (not part of the uapi; GAUDI-FACTS.md section 2.2): ctl is dword 1,
 * opcode in bits 28:24, RB bit 30, MB bit 31; LIN_DMA needs lin (bit 3).
 */
#define PKT_OPCODE_SHIFT 24
#define PKT_RB (1u << 30)
#define PKT_MB (1u << 31)
#define PKT_MSG_LONG 0x3u
#define PKT_LIN_DMA 0x9u
#define PKT_LIN_DMA_LIN (1u << 3)
/* Gaudi register space and the W_S sync manager's SOB 0 (THUNK-SPEC asic_reg), SOB "add 1". */
#define GAUDI_CFG_BASE 0x7FFC000000ull
#define GAUDI_SM_W_S_SOB0 0x492000ull
#define SOB_ADD_ONE 0x80000001u
/* More Gaudi encodings (GAUDI-FACTS.md 2.2, 2.4, 3.2). */
#define PKT_EB (1u << 29)
#define PKT_CP_DMA 0x5u
#define PKT_FENCE 0x8u
#define PKT_WAIT 0xDu
#define PKT_LIN_DMA_MEMSET (1u << 4)
#define GAUDI_SM_MON_PAY_ADDRL 0x2000ull /* from SOB_OBJ_0 of the same block */
#define GAUDI_SM_MON_PAY_ADDRH 0x2800ull
#define GAUDI_SM_MON_PAY_DATA 0x3000ull
#define GAUDI_SM_MON_ARM 0x3800ull
#define GAUDI_DMA0_QM 0x508000ull /* CFG-relative; DMA QMANs 0x20000 apart */
#define GAUDI_DMA_STRIDE 0x20000ull
#define GAUDI_QM_CP_FENCE0_RDATA 0x308ull /* + 4 * CP (0..3 upper, 4 lower) */
#define SOB_SET(v) ((uint32_t)(v) & 0x7FFFu)
/* The accel (DRM) driver's numbers: DRM_IOWR(DRM_COMMAND_BASE 0x40 + n, ...). */
#define ACCEL_IOCTL_INFO _IOWR('d', 0x40, struct hl_info_args)

struct pkt_lin_dma {
	uint32_t tsize, ctl;
	uint64_t src_addr, dst_addr;
};

struct pkt_msg_long {
	uint32_t value, ctl;
	uint64_t addr;
};

static int failures;

#define EXPECT(cond, ...)                                                                  \
	do {                                                                               \
		if (!(cond)) {                                                             \
			failures++;                                                        \
			fprintf(stderr, "vdev_prog: line %d: %s: ", __LINE__, #cond);      \
			fprintf(stderr, __VA_ARGS__);                                      \
			fputc('\n', stderr);                                               \
		}                                                                          \
	} while (0)

static int info(int fd, unsigned long req, uint32_t op, uint32_t dcore, void *out, uint32_t size)
{
	struct hl_info_args a;

	memset(&a, 0, sizeof(a));
	a.return_pointer = (uint64_t)(uintptr_t)out;
	a.return_size = size;
	a.op = op;
	a.dcore_id = dcore;
	return ioctl(fd, req, &a);
}

static int cb_op(int fd, uint32_t op, uint32_t size, uint64_t *handle, uint32_t *usage)
{
	union hl_cb_args a;
	int rc;

	memset(&a, 0, sizeof(a));
	a.in.op = op;
	a.in.cb_size = size;
	a.in.cb_handle = *handle;
	rc = ioctl(fd, HL_IOCTL_CB, &a);
	if (!rc && op == HL_CB_OP_CREATE)
		*handle = a.out.cb_handle;
	if (!rc && op == HL_CB_OP_INFO && usage)
		*usage = a.out.usage_cnt;
	return rc;
}

static int submit(int fd, uint64_t handle, uint32_t queue, uint32_t size, uint32_t flags,
		  uint64_t *seq)
{
	struct hl_cs_chunk chunk;
	union hl_cs_args cs;
	int rc;

	memset(&chunk, 0, sizeof(chunk));
	chunk.cb_handle = handle;
	chunk.queue_index = queue;
	chunk.cb_size = size;
	memset(&cs, 0, sizeof(cs));
	cs.in.chunks_execute = (uint64_t)(uintptr_t)&chunk;
	cs.in.num_chunks_execute = 1;
	cs.in.cs_flags = flags;
	rc = ioctl(fd, HL_IOCTL_CS, &cs);
	if (!rc) {
		*seq = cs.out.seq;
		if (cs.out.status != HL_CS_STATUS_SUCCESS)
			return -2;
	}
	return rc;
}

static int run_main(void)
{
	struct hl_info_hw_ip_info hw;
	struct hl_info_clk_rate clk;
	struct hl_info_time_sync ts;
	struct hl_info_device_status st;
	struct hl_info_hw_idle idle;
	struct hl_info_dram_usage dram;
	struct hl_info_sync_manager sm;
	union hl_mem_args mem;
	union hl_wait_cs_args w;
	struct pkt_lin_dma dma;
	struct pkt_msg_long msg;
	uint8_t partial[sizeof(hw)], *cb, *host;
	uint64_t handle = 0, seq = 0, dva;
	uint32_t usage = 99;
	int fd, d;

	fd = open("/dev/hl0", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "vdev_prog: open /dev/hl0: %s\n", strerror(errno));
		return 1;
	}
	EXPECT(!info(fd, HL_IOCTL_INFO, HL_INFO_HW_IP_INFO, 0, &hw, sizeof(hw)), "%s",
	       strerror(errno));
	EXPECT(hw.device_id == 0x1000, "device_id 0x%x", hw.device_id);
	EXPECT(!strcmp((const char *)hw.card_name, "HL205"), "card %s", hw.card_name);
	EXPECT(hw.sram_base_address == 0x7FF0000080ull, "sram base 0x%llx",
	       (unsigned long long)hw.sram_base_address);
	EXPECT(hw.dram_base_address == 0x20000000ull && hw.dram_size > 0, "dram 0x%llx",
	       (unsigned long long)hw.dram_base_address);
	/* return_size limits the copy, as snprintf's size does */
	memset(partial, 0xAA, sizeof(partial));
	EXPECT(!info(fd, HL_IOCTL_INFO, HL_INFO_HW_IP_INFO, 0, partial, 8), "%s", strerror(errno));
	EXPECT(!memcmp(partial, &hw.sram_base_address, 8) && partial[8] == 0xAA,
	       "partial copy byte 8 = 0x%x", partial[8]);
	EXPECT(!info(fd, HL_IOCTL_INFO, HL_INFO_CLK_RATE, 0, &clk, sizeof(clk)) &&
		       clk.cur_clk_rate_mhz > 0 && clk.max_clk_rate_mhz >= clk.cur_clk_rate_mhz,
	       "clk %u", clk.cur_clk_rate_mhz);
	EXPECT(!info(fd, HL_IOCTL_INFO, HL_INFO_TIME_SYNC, 0, &ts, sizeof(ts)) && ts.host_time,
	       "time sync");
	EXPECT(!info(fd, HL_IOCTL_INFO, HL_INFO_DEVICE_STATUS, 0, &st, sizeof(st)) &&
		       st.status == HL_DEVICE_STATUS_OPERATIONAL,
	       "status %u", st.status);
	EXPECT(!info(fd, HL_IOCTL_INFO, HL_INFO_HW_IDLE, 0, &idle, sizeof(idle)) && idle.is_idle,
	       "idle");
	EXPECT(!info(fd, HL_IOCTL_INFO, HL_INFO_DRAM_USAGE, 0, &dram, sizeof(dram)) &&
		       dram.dram_free_mem > 0,
	       "dram usage");
	EXPECT(!info(fd, HL_IOCTL_INFO, HL_INFO_SYNC_MANAGER, HL_GAUDI_WS_DCORE, &sm, sizeof(sm)),
	       "%s", strerror(errno));
	/* a dup is the same device */
	d = dup(fd);
	EXPECT(d >= 0 && !info(d, HL_IOCTL_INFO, HL_INFO_DEVICE_STATUS, 0, &st, sizeof(st)),
	       "INFO through a dup: %s", strerror(errno));
	close(d);

	EXPECT(!cb_op(fd, HL_CB_OP_CREATE, 4096, &handle, NULL), "CB create: %s", strerror(errno));
	EXPECT((handle >> 59) == 0x2 && (handle & 0xFFF) == 0, "handle 0x%llx",
	       (unsigned long long)handle);
	cb = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)handle);
	if (cb == MAP_FAILED) {
		fprintf(stderr, "vdev_prog: mmap of CB 0x%llx: %s\n", (unsigned long long)handle,
			strerror(errno));
		return 1;
	}
	host = aligned_alloc(4096, 65536);
	if (!host)
		return 1;
	memset(host, 0x5A, 65536);
	memset(&mem, 0, sizeof(mem));
	mem.in.op = HL_MEM_OP_MAP;
	mem.in.flags = HL_MEM_USERPTR;
	mem.in.map_host.host_virt_addr = (uint64_t)(uintptr_t)host;
	mem.in.map_host.mem_size = 65536;
	EXPECT(!ioctl(fd, HL_IOCTL_MEMORY, &mem), "MAP USERPTR: %s", strerror(errno));
	dva = mem.out.device_virt_addr;
	EXPECT(dva >= 0x1000000000000ull, "device VA 0x%llx", (unsigned long long)dva);

	memset(&dma, 0, sizeof(dma));
	dma.tsize = 4096;
	dma.ctl = (PKT_LIN_DMA << PKT_OPCODE_SHIFT) | PKT_RB | PKT_LIN_DMA_LIN;
	dma.src_addr = dva;
	dma.dst_addr = hw.sram_base_address;
	msg.value = SOB_ADD_ONE;
	msg.ctl = (PKT_MSG_LONG << PKT_OPCODE_SHIFT) | PKT_RB | PKT_MB;
	msg.addr = GAUDI_CFG_BASE + GAUDI_SM_W_S_SOB0 + 4ull * sm.first_available_sync_object;
	memcpy(cb, &dma, sizeof(dma));
	memcpy(cb + sizeof(dma), &msg, sizeof(msg));

	EXPECT(!submit(fd, handle, GAUDI_QUEUE_ID_DMA_0_0, sizeof(dma) + sizeof(msg),
		       HL_CS_FLAGS_TIMESTAMP, &seq),
	       "CS: %s", strerror(errno));
	EXPECT(seq >= 1, "seq %llu", (unsigned long long)seq);
	memset(&w, 0, sizeof(w));
	w.in.seq = seq;
	w.in.timeout_us = 1000000;
	EXPECT(!ioctl(fd, HL_IOCTL_WAIT_CS, &w), "WAIT_CS: %s", strerror(errno));
	EXPECT(w.out.status == HL_WAIT_CS_STATUS_COMPLETED, "wait status %u", w.out.status);
	EXPECT((w.out.flags & HL_WAIT_CS_STATUS_FLAG_TIMESTAMP_VLD) && w.out.timestamp_nsec > 0,
	       "wait flags 0x%x", w.out.flags);
	EXPECT(!cb_op(fd, HL_CB_OP_INFO, 0, &handle, &usage) && usage == 0, "usage %u", usage);

	EXPECT(!munmap(cb, 4096), "munmap: %s", strerror(errno));
	EXPECT(!cb_op(fd, HL_CB_OP_DESTROY, 0, &handle, NULL), "destroy: %s", strerror(errno));
	memset(&mem, 0, sizeof(mem));
	mem.in.op = HL_MEM_OP_UNMAP;
	mem.in.unmap.device_virt_addr = dva;
	EXPECT(!ioctl(fd, HL_IOCTL_MEMORY, &mem), "UNMAP: %s", strerror(errno));
	EXPECT(!close(fd), "close: %s", strerror(errno));
	free(host);
	return failures ? 1 : 0;
}

/* A CB on DMA_0_0 holding one packet of @opcode (@size bytes) is refused with @err. */
static void parse_refused(int fd, uint64_t handle, uint8_t *cb, uint32_t opcode, uint32_t size,
			  int err)
{
	uint32_t pkt[4] = { 0, opcode << PKT_OPCODE_SHIFT | PKT_RB, 0, 0 };
	uint64_t seq = 0;

	if (opcode == PKT_WAIT)
		pkt[1] = opcode << PKT_OPCODE_SHIFT; /* WAIT needs RB = 0 */
	memcpy(cb, pkt, size);
	errno = 0;
	EXPECT(submit(fd, handle, GAUDI_QUEUE_ID_DMA_0_0, size, 0, &seq) == -1 && errno == err,
	       "opcode 0x%x on an external queue: errno %d, expected %d", opcode, errno, err);
}

static int run_errors(void)
{
	struct hl_info_cs_counters csc;
	struct hl_open_stats_info os;
	struct hl_info_device_status st;
	union hl_wait_cs_args w;
	uint64_t handle = 0, seq = 0;
	uint8_t *cb, *cb2;
	int fd, fd2, ctl, acc;

	fd = open("/dev/hl0", O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "vdev_prog: open /dev/hl0: %s\n", strerror(errno));
		return 1;
	}
	/* an ioctl number the driver does not have */
	errno = 0;
	EXPECT(info(fd, _IOWR('H', 0x20, struct hl_info_args), HL_INFO_DEVICE_STATUS, 0, &st,
		    sizeof(st)) == -1 &&
		       errno == ENOTTY,
	       "unknown nr: errno %d", errno);
	/* the size encoded in the number is honoured: 16 bytes passed, the rest zeroed */
	EXPECT(!info(fd, _IOC(_IOC_READ | _IOC_WRITE, 'H', 0x01, 16), HL_INFO_DEVICE_STATUS, 0,
		     &st, sizeof(st)),
	       "16-byte INFO: %s", strerror(errno));
	/* one compute context per device */
	errno = 0;
	fd2 = open("/dev/hl0", O_RDWR);
	EXPECT(fd2 == -1 && errno == EBUSY, "second open: fd %d errno %d", fd2, errno);
	/* a device that does not exist */
	errno = 0;
	fd2 = open("/dev/hl1", O_RDWR);
	EXPECT(fd2 == -1 && errno == ENOENT, "/dev/hl1: fd %d errno %d", fd2, errno);
	/* a bad return pointer */
	errno = 0;
	EXPECT(info(fd, HL_IOCTL_INFO, HL_INFO_DEVICE_STATUS, 0, (void *)(uintptr_t)8,
		    sizeof(st)) == -1 &&
		       errno == EFAULT,
	       "bad pointer: errno %d", errno);
	/* an op the virtual device does not serve */
	errno = 0;
	EXPECT(info(fd, HL_IOCTL_INFO, HL_INFO_POWER, 0, &st, sizeof(st)) == -1 && errno == EINVAL,
	       "INFO POWER: errno %d", errno);

	/* the control node: INFO only, no mmap */
	ctl = open("/dev/hl_controlD0", O_RDWR);
	EXPECT(ctl >= 0, "open control: %s", strerror(errno));
	EXPECT(!info(ctl, HL_IOCTL_INFO, HL_INFO_DEVICE_STATUS, 0, &st, sizeof(st)),
	       "INFO on control: %s", strerror(errno));
	errno = 0;
	EXPECT(submit(ctl, 0x1000000000001000ull, GAUDI_QUEUE_ID_DMA_0_0, 8, 0, &seq) == -1 &&
		       errno == ENOTTY,
	       "CS on control: errno %d", errno);
	errno = 0;
	EXPECT(mmap(NULL, 4096, PROT_READ, MAP_SHARED, ctl, 0x1000000000001000ll) == MAP_FAILED &&
		       errno == ENODEV,
	       "mmap on control: errno %d", errno);
	close(ctl);

	/* CBs */
	errno = 0;
	EXPECT(cb_op(fd, HL_CB_OP_CREATE, HL_MAX_CB_SIZE + 1, &handle, NULL) == -1 &&
		       errno == EINVAL,
	       "oversized CB: errno %d", errno);
	handle = 0;
	EXPECT(!cb_op(fd, HL_CB_OP_CREATE, 100, &handle, NULL), "CB create: %s", strerror(errno));
	errno = 0;
	EXPECT(mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)handle) ==
			       MAP_FAILED &&
		       errno == EINVAL,
	       "mmap of the wrong length: errno %d", errno);
	cb = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)handle);
	EXPECT(cb != MAP_FAILED, "mmap: %s", strerror(errno));
	errno = 0;
	cb2 = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)handle);
	EXPECT(cb2 == MAP_FAILED && errno == EINVAL, "second mmap: errno %d", errno);
	/* CS on the CPU queue (driver only), and with an unknown CB handle */
	errno = 0;
	EXPECT(submit(fd, handle, GAUDI_QUEUE_ID_CPU_PQ, 8, 0, &seq) == -1 && errno == EINVAL,
	       "CS on the CPU queue: errno %d", errno);
	errno = 0;
	EXPECT(submit(fd, handle + 0x100000, GAUDI_QUEUE_ID_DMA_0_0, 8, 0, &seq) == -1 &&
		       errno == EINVAL,
	       "CS with an unknown CB: errno %d", errno);
	/* the driver counts the refused CSs */
	EXPECT(!info(fd, HL_IOCTL_INFO, HL_INFO_CS_COUNTERS, 0, &csc, sizeof(csc)) &&
		       csc.ctx_validation_drop_cnt == 2 && csc.total_validation_drop_cnt == 2,
	       "CS counters: ctx %llu total %llu", (unsigned long long)csc.ctx_validation_drop_cnt,
	       (unsigned long long)csc.total_validation_drop_cnt);
	/* the driver's parse: CP_DMA on an external queue EPERM, WAIT EINVAL; a bad internal CB */
	parse_refused(fd, handle, cb, PKT_CP_DMA, 16, EPERM);
	parse_refused(fd, handle, cb, PKT_WAIT, 8, EINVAL);
	errno = 0;
	EXPECT(submit(fd, 0x1000, GAUDI_QUEUE_ID_DMA_2_0, 64, 0, &seq) == -1 && errno == EINVAL,
	       "internal CB at 0x1000: errno %d", errno);
	EXPECT(!info(fd, HL_IOCTL_INFO, HL_INFO_CS_COUNTERS, 0, &csc, sizeof(csc)) &&
		       csc.ctx_parsing_drop_cnt == 3 && csc.total_parsing_drop_cnt == 3,
	       "parsing drops: ctx %llu total %llu", (unsigned long long)csc.ctx_parsing_drop_cnt,
	       (unsigned long long)csc.total_parsing_drop_cnt);
	EXPECT(!info(fd, HL_IOCTL_INFO, HL_INFO_OPEN_STATS, 0, &os, sizeof(os)) &&
		       os.open_counter == 1 && os.is_compute_ctx_active == 1,
	       "open stats: counter %llu active %u", (unsigned long long)os.open_counter,
	       os.is_compute_ctx_active);
	/* WAIT_CS on a CS never submitted */
	memset(&w, 0, sizeof(w));
	w.in.seq = 5;
	errno = 0;
	EXPECT(ioctl(fd, HL_IOCTL_WAIT_CS, &w) == -1 && errno == EINVAL, "wait on seq 5: errno %d",
	       errno);
	if (cb != MAP_FAILED)
		munmap(cb, 4096);
	/* after munmap the CB can be mapped again */
	cb = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)handle);
	EXPECT(cb != MAP_FAILED, "mmap after munmap: %s", strerror(errno));
	if (cb != MAP_FAILED)
		munmap(cb, 4096);
	EXPECT(!cb_op(fd, HL_CB_OP_DESTROY, 0, &handle, NULL), "destroy: %s", strerror(errno));
	errno = 0;
	EXPECT(cb_op(fd, HL_CB_OP_DESTROY, 0, &handle, NULL) == -1 && errno == EINVAL,
	       "second destroy: errno %d", errno);
	close(fd);

	/* the accel node: DRM numbers; the misc numbers are not its own */
	acc = open("/dev/accel/accel0", O_RDWR);
	EXPECT(acc >= 0, "open accel0: %s", strerror(errno));
	EXPECT(!info(acc, ACCEL_IOCTL_INFO, HL_INFO_DEVICE_STATUS, 0, &st, sizeof(st)),
	       "accel INFO: %s", strerror(errno));
	errno = 0;
	EXPECT(info(acc, HL_IOCTL_INFO, HL_INFO_DEVICE_STATUS, 0, &st, sizeof(st)) == -1 &&
		       errno == ENOTTY,
	       "misc number on accel: errno %d", errno);
	close(acc);
	return failures ? 1 : 0;
}

/* ===== functional execution (vdev_prog data | stuck | oom | pace) ===== */


/** struct cbw - a CB being written. */
struct cbw {
	uint8_t *p;
	size_t n, cap;
};

static void put(struct cbw *w, const void *pkt, size_t n)
{
	if (w->n + n > w->cap) {
		fprintf(stderr, "vdev_prog: CB of %zu bytes overflows\n", w->cap);
		exit(1);
	}
	memcpy(w->p + w->n, pkt, n);
	w->n += n;
}

static void put_lin_dma(struct cbw *w, uint64_t src, uint64_t dst, uint32_t size, uint32_t extra)
{
	struct pkt_lin_dma d = { size, (PKT_LIN_DMA << PKT_OPCODE_SHIFT) | PKT_RB |
					       PKT_LIN_DMA_LIN | extra,
				 src, dst };

	put(w, &d, sizeof(d));
}

static void put_msg(struct cbw *w, uint64_t addr, uint32_t value, uint32_t extra)
{
	struct pkt_msg_long m = { value,
				  (PKT_MSG_LONG << PKT_OPCODE_SHIFT) | PKT_RB | PKT_MB | extra, addr };

	put(w, &m, sizeof(m));
}

static void put_fence(struct cbw *w, uint32_t id, uint32_t target, uint32_t dec)
{
	uint32_t f[2] = { dec | target << 16 | id << 30, PKT_FENCE << PKT_OPCODE_SHIFT };

	put(w, f, sizeof(f));
}

static void put_cp_dma(struct cbw *w, uint64_t addr, uint32_t size)
{
	struct {
		uint32_t tsize, ctl;
		uint64_t src;
	} c = { size, (PKT_CP_DMA << PKT_OPCODE_SHIFT) | PKT_RB, addr };

	put(w, &c, sizeof(c));
}

static uint64_t ws_reg(uint64_t off, uint32_t index)
{
	return GAUDI_CFG_BASE + GAUDI_SM_W_S_SOB0 + off + 4ull * index;
}

/* Monitor @mon of W_S: when SOB @sob (==, or >= if !@eq) @value, write @data to @addr. */
static void put_monitor(struct cbw *w, uint32_t mon, uint32_t sob, int eq, uint32_t value,
			uint64_t addr, uint32_t data)
{
	uint32_t arm = (sob / 8) | ((~(1u << (sob % 8)) & 0xFFu) << 8) | (uint32_t)!!eq << 16 |
		       (value & 0x7FFFu) << 17;

	put_msg(w, ws_reg(GAUDI_SM_MON_PAY_ADDRL, mon), (uint32_t)addr, 0);
	put_msg(w, ws_reg(GAUDI_SM_MON_PAY_ADDRH, mon), (uint32_t)(addr >> 32), 0);
	put_msg(w, ws_reg(GAUDI_SM_MON_PAY_DATA, mon), data, 0);
	put_msg(w, ws_reg(GAUDI_SM_MON_ARM, mon), arm, 0);
}

/* CP_FENCE<id>_RDATA of CP @cp of DMA QMAN @dma. */
static uint64_t dma_fence(uint32_t dma, uint32_t cp, uint32_t id)
{
	return GAUDI_CFG_BASE + GAUDI_DMA0_QM + dma * GAUDI_DMA_STRIDE + GAUDI_QM_CP_FENCE0_RDATA +
	       0x14ull * id + 4ull * cp;
}

static uint64_t map_host(int fd, void *p, uint64_t size)
{
	union hl_mem_args mem;

	memset(&mem, 0, sizeof(mem));
	mem.in.op = HL_MEM_OP_MAP;
	mem.in.flags = HL_MEM_USERPTR;
	mem.in.map_host.host_virt_addr = (uint64_t)(uintptr_t)p;
	mem.in.map_host.mem_size = size;
	if (ioctl(fd, HL_IOCTL_MEMORY, &mem)) {
		fprintf(stderr, "vdev_prog: MAP USERPTR of %llu bytes: %s\n",
			(unsigned long long)size, strerror(errno));
		exit(1);
	}
	return mem.out.device_virt_addr;
}

/** struct kcb - a kernel CB, mapped. */
struct kcb {
	uint64_t handle;
	struct cbw w;
};

static void kcb_new(int fd, struct kcb *k, uint32_t size)
{
	k->handle = 0;
	if (cb_op(fd, HL_CB_OP_CREATE, size, &k->handle, NULL)) {
		fprintf(stderr, "vdev_prog: CB create: %s\n", strerror(errno));
		exit(1);
	}
	k->w.p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)k->handle);
	if (k->w.p == MAP_FAILED) {
		fprintf(stderr, "vdev_prog: mmap of a CB: %s\n", strerror(errno));
		exit(1);
	}
	k->w.n = 0;
	k->w.cap = size;
}

static int submit_jobs(int fd, const struct hl_cs_chunk *chunks, uint32_t n, uint32_t flags,
		       uint64_t *seq)
{
	union hl_cs_args cs;
	int rc;

	memset(&cs, 0, sizeof(cs));
	cs.in.chunks_execute = (uint64_t)(uintptr_t)chunks;
	cs.in.num_chunks_execute = n;
	cs.in.cs_flags = flags;
	rc = ioctl(fd, HL_IOCTL_CS, &cs);
	if (!rc)
		*seq = cs.out.seq;
	return rc;
}

static int wait_cs(int fd, uint64_t seq, union hl_wait_cs_args *w)
{
	memset(w, 0, sizeof(*w));
	w->in.seq = seq;
	w->in.timeout_us = 10000000;
	return ioctl(fd, HL_IOCTL_WAIT_CS, w);
}

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

#define DATA_BYTES (256u * 1024u)
#define FILL_OFF 4096u /* the memset covers [FILL_OFF, FILL_OFF + FILL_BYTES) */
#define FILL_BYTES 8192u
#define FILL_VALUE 0x8877665544332211ull
#define FLAG_MAGIC 0xC0FFEE01u

/*
 * One CS, three queues, listed consumer first so that only fences order them:
 *   DMA_0_0 (external): host src -> DRAM, then W_S SOB s0 += 1 (EB: after the copy);
 *   DMA_2_0 (internal, CB in host memory): CP_DMA of a lower-CP CB that arms monitor m0
 *     (SOB s0 >= 1 -> its own lower-CP fence 0), FENCEs, copies DRAM -> SRAM, memsets a
 *     part of the SRAM copy, then SOB s1 += 1;
 *   DMA_1_0 (external): monitor m1 (SOB s1 == 1 -> its fence), FENCE, SRAM -> host dst;
 *     monitor m2 (SOB s0 == 1 -> writes FLAG_MAGIC into a host word): the SOB's value read
 *     back through a monitor; then both SOBs set back to 0.
 */
static int run_data(void)
{
	struct hl_info_hw_ip_info hw;
	struct hl_info_sync_manager sm;
	struct hl_cs_chunk ch[3];
	union hl_wait_cs_args w;
	struct kcb up, down;
	struct cbw mid, low;
	uint8_t *src, *dst, *cbmem;
	uint32_t *flag, s0, s1, m0, i, bad = 0;
	uint64_t dsrc, ddst, dcb, dflag, dram, sram, seq = 0;
	int64_t t0;
	int fd;

	fd = open("/dev/hl0", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "vdev_prog: open /dev/hl0: %s\n", strerror(errno));
		return 1;
	}
	if (info(fd, HL_IOCTL_INFO, HL_INFO_HW_IP_INFO, 0, &hw, sizeof(hw)) ||
	    info(fd, HL_IOCTL_INFO, HL_INFO_SYNC_MANAGER, HL_GAUDI_WS_DCORE, &sm, sizeof(sm))) {
		fprintf(stderr, "vdev_prog: INFO: %s\n", strerror(errno));
		return 1;
	}
	s0 = sm.first_available_sync_object;
	s1 = s0 + 1;
	m0 = sm.first_available_monitor;
	dram = hw.dram_base_address + (16u << 20);
	sram = hw.sram_base_address;
	src = aligned_alloc(4096, DATA_BYTES);
	dst = aligned_alloc(4096, DATA_BYTES);
	cbmem = aligned_alloc(4096, 8192);
	flag = aligned_alloc(4096, 4096);
	if (!src || !dst || !cbmem || !flag)
		return 1;
	for (i = 0; i < DATA_BYTES; i++)
		src[i] = (uint8_t)(i * 7 + (i >> 8));
	memset(dst, 0, DATA_BYTES);
	memset(cbmem, 0, 8192);
	*flag = 0;
	dsrc = map_host(fd, src, DATA_BYTES);
	ddst = map_host(fd, dst, DATA_BYTES);
	dcb = map_host(fd, cbmem, 8192);
	dflag = map_host(fd, flag, 4096);

	kcb_new(fd, &down, 4096);
	put_lin_dma(&down.w, dsrc, dram, DATA_BYTES, 0);
	put_msg(&down.w, ws_reg(0, s0), SOB_ADD_ONE, PKT_EB);

	/* DMA_2_0: the upper CB (at cbmem) hands the lower CB (at cbmem + 4096) over */
	low = (struct cbw){ cbmem + 4096, 0, 4096 };
	put_monitor(&low, m0, s0, 0, 1, dma_fence(2, 4, 0), 1);
	put_fence(&low, 0, 1, 1);
	put_lin_dma(&low, dram, sram, DATA_BYTES, 0);
	put_lin_dma(&low, FILL_VALUE, sram + FILL_OFF, FILL_BYTES, PKT_LIN_DMA_MEMSET | PKT_EB);
	put_msg(&low, ws_reg(0, s1), SOB_ADD_ONE, PKT_EB);
	mid = (struct cbw){ cbmem, 0, 4096 };
	put_cp_dma(&mid, dcb + 4096, (uint32_t)low.n);

	kcb_new(fd, &up, 4096);
	put_monitor(&up.w, m0 + 1, s1, 1, 1, dma_fence(1, 0, 0), 1);
	put_fence(&up.w, 0, 1, 1);
	put_lin_dma(&up.w, sram, ddst, DATA_BYTES, 0);
	put_monitor(&up.w, m0 + 2, s0, 1, 1, dflag, FLAG_MAGIC);
	put_msg(&up.w, ws_reg(0, s0), SOB_SET(0), PKT_EB);
	put_msg(&up.w, ws_reg(0, s1), SOB_SET(0), 0);

	memset(ch, 0, sizeof(ch));
	ch[0] = (struct hl_cs_chunk){ .cb_handle = up.handle, .queue_index = GAUDI_QUEUE_ID_DMA_1_0,
				      .cb_size = (uint32_t)up.w.n };
	ch[1] = (struct hl_cs_chunk){ .cb_handle = dcb, .queue_index = GAUDI_QUEUE_ID_DMA_2_0,
				      .cb_size = (uint32_t)mid.n };
	ch[2] = (struct hl_cs_chunk){ .cb_handle = down.handle,
				      .queue_index = GAUDI_QUEUE_ID_DMA_0_0,
				      .cb_size = (uint32_t)down.w.n };
	t0 = mono_ns();
	EXPECT(!submit_jobs(fd, ch, 3, HL_CS_FLAGS_TIMESTAMP, &seq), "CS: %s", strerror(errno));
	EXPECT(!wait_cs(fd, seq, &w) && w.out.status == HL_WAIT_CS_STATUS_COMPLETED,
	       "WAIT_CS: %s, status %u", strerror(errno), w.out.status);
	for (i = 0; i < DATA_BYTES; i++) {
		uint8_t want = i >= FILL_OFF && i < FILL_OFF + FILL_BYTES ?
				       (uint8_t)(FILL_VALUE >> (8 * (i % 8))) :
				       src[i];

		if (dst[i] != want && bad++ < 4)
			fprintf(stderr, "vdev_prog: byte %u is 0x%02x, expected 0x%02x\n", i, dst[i],
				want);
	}
	EXPECT(!bad, "%u wrong bytes after host -> DRAM -> SRAM (+ memset) -> host", bad);
	EXPECT(*flag == FLAG_MAGIC, "SOB W_S[%u] == 1 monitor payload: flag 0x%x", s0, *flag);
	printf("vdev_prog data: %u bytes host -> DRAM -> SRAM -> host checked, memset of %u "
	       "bytes, SOB W_S[%u] == 1 seen by a monitor; completion %.3f us after submission\n",
	       DATA_BYTES, FILL_BYTES, s0, (double)(w.out.timestamp_nsec - t0) / 1e3);
	close(fd);
	free(src);
	free(dst);
	free(cbmem);
	free(flag);
	return failures ? 1 : 0;
}

/* A CS whose queue fences on a SOB nothing increments: WAIT_CS times out; the next works. */
static int run_stuck(void)
{
	struct hl_info_sync_manager sm;
	struct hl_info_hw_idle idle;
	struct hl_cs_chunk ch;
	union hl_wait_cs_args w;
	struct kcb k;
	uint64_t seq = 0, seq2 = 0;
	uint32_t sob;
	int fd;

	fd = open("/dev/hl0", O_RDWR);
	if (fd < 0 ||
	    info(fd, HL_IOCTL_INFO, HL_INFO_SYNC_MANAGER, HL_GAUDI_WS_DCORE, &sm, sizeof(sm)))
		return 1;
	sob = sm.first_available_sync_object + 5;
	kcb_new(fd, &k, 4096);
	put_monitor(&k.w, sm.first_available_monitor, sob, 0, 1, dma_fence(0, 0, 1), 1);
	put_fence(&k.w, 1, 1, 1);
	memset(&ch, 0, sizeof(ch));
	ch = (struct hl_cs_chunk){ .cb_handle = k.handle, .queue_index = GAUDI_QUEUE_ID_DMA_0_0,
				   .cb_size = (uint32_t)k.w.n };
	EXPECT(!submit_jobs(fd, &ch, 1, 0, &seq), "CS: %s", strerror(errno));
	/* DMA_0_0 waits: the device is not idle, engine DMA_0 (bit 0) is busy */
	EXPECT(!info(fd, HL_IOCTL_INFO, HL_INFO_HW_IDLE, 0, &idle, sizeof(idle)) && !idle.is_idle &&
		       idle.busy_engines_mask == 1,
	       "HW_IDLE while blocked: idle %u mask 0x%x", idle.is_idle, idle.busy_engines_mask);
	/* polling says busy; waiting times out as the driver's TDR would */
	memset(&w, 0, sizeof(w));
	w.in.seq = seq;
	EXPECT(!ioctl(fd, HL_IOCTL_WAIT_CS, &w) && w.out.status == HL_WAIT_CS_STATUS_BUSY,
	       "poll: %s, status %u", strerror(errno), w.out.status);
	errno = 0;
	EXPECT(wait_cs(fd, seq, &w) == -1 && errno == ETIMEDOUT &&
		       w.out.status == HL_WAIT_CS_STATUS_TIMEDOUT,
	       "stuck CS: errno %d, status %u", errno, w.out.status);
	EXPECT(!info(fd, HL_IOCTL_INFO, HL_INFO_HW_IDLE, 0, &idle, sizeof(idle)) && idle.is_idle,
	       "HW_IDLE after the time-out: idle %u", idle.is_idle);
	/* the queue goes on with the next CS */
	k.w.n = 0;
	put_msg(&k.w, ws_reg(0, sob), SOB_SET(0), 0);
	ch.cb_size = (uint32_t)k.w.n;
	EXPECT(!submit_jobs(fd, &ch, 1, 0, &seq2), "CS after the stuck one: %s", strerror(errno));
	EXPECT(!wait_cs(fd, seq2, &w) && w.out.status == HL_WAIT_CS_STATUS_COMPLETED,
	       "CS after the stuck one: %s, status %u", strerror(errno), w.out.status);
	close(fd);
	return failures ? 1 : 0;
}

/* Under HLSIM_VDEV_MEM_MAX=65536: writing 128 KiB of DRAM fails the CS with ENOMEM. */
static int run_oom(void)
{
	struct hl_info_hw_ip_info hw;
	struct hl_info_cs_counters csc;
	struct hl_cs_chunk ch;
	struct kcb k;
	uint8_t *buf;
	uint64_t seq = 0, d;
	int fd;

	fd = open("/dev/hl0", O_RDWR);
	if (fd < 0 || info(fd, HL_IOCTL_INFO, HL_INFO_HW_IP_INFO, 0, &hw, sizeof(hw)))
		return 1;
	buf = aligned_alloc(4096, 131072);
	if (!buf)
		return 1;
	memset(buf, 1, 131072);
	d = map_host(fd, buf, 131072);
	kcb_new(fd, &k, 4096);
	put_lin_dma(&k.w, d, hw.dram_base_address, 131072, 0);
	memset(&ch, 0, sizeof(ch));
	ch = (struct hl_cs_chunk){ .cb_handle = k.handle, .queue_index = GAUDI_QUEUE_ID_DMA_0_0,
				   .cb_size = (uint32_t)k.w.n };
	errno = 0;
	EXPECT(submit_jobs(fd, &ch, 1, 0, &seq) == -1 && errno == ENOMEM, "CS: errno %d", errno);
	EXPECT(!info(fd, HL_IOCTL_INFO, HL_INFO_CS_COUNTERS, 0, &csc, sizeof(csc)) &&
		       csc.ctx_out_of_mem_drop_cnt == 1,
	       "out-of-memory drops %llu", (unsigned long long)csc.ctx_out_of_mem_drop_cnt);
	/* a CS that fits still runs */
	k.w.n = 0;
	put_lin_dma(&k.w, d, hw.dram_base_address, 4096, 0);
	ch.cb_size = (uint32_t)k.w.n;
	EXPECT(!submit_jobs(fd, &ch, 1, 0, &seq) && seq == 1, "small CS: %s, seq %llu",
	       strerror(errno), (unsigned long long)seq);
	close(fd);
	free(buf);
	return failures ? 1 : 0;
}

/*
 * One CS: DMA_2_0 (internal, its CB in mapped host memory) runs 12 WAIT packets of
 * 2^24 - 1 cycles each (about 100 ms of device time at the reported clock, and no work
 * for the functional model; WAIT is refused on external queues), then SOB += 1; DMA_0_0
 * (external) copies 8 MiB host -> DRAM, then fences on that SOB through a monitor. With
 * HL_CS_FLAGS_TIMESTAMP, timed by the program: the estimated completion must be at least
 * what the WAITs or PCIe Gen4 x16 (32 GB/s) allow after the submission; under --pace real
 * (argument "real") the program must also have waited at least until then.
 */
static int run_pace(int real)
{
	const uint32_t bytes = 8u << 20, waits = 12, cycles = (1u << 24) - 1;
	struct hl_info_hw_ip_info hw;
	struct hl_info_clk_rate clk;
	struct hl_info_sync_manager sm;
	struct hl_cs_chunk ch[2];
	union hl_wait_cs_args w;
	struct kcb k;
	struct cbw iw;
	uint64_t seq = 0, d, dcb;
	int64_t t0, t1, sim_ns, min_ns;
	uint32_t i, sob, mon;
	uint8_t *buf, *cbmem;
	int fd;

	fd = open("/dev/hl0", O_RDWR);
	if (fd < 0 || info(fd, HL_IOCTL_INFO, HL_INFO_HW_IP_INFO, 0, &hw, sizeof(hw)) ||
	    info(fd, HL_IOCTL_INFO, HL_INFO_CLK_RATE, 0, &clk, sizeof(clk)) ||
	    info(fd, HL_IOCTL_INFO, HL_INFO_SYNC_MANAGER, HL_GAUDI_WS_DCORE, &sm, sizeof(sm)) ||
	    !clk.cur_clk_rate_mhz)
		return 1;
	sob = sm.first_available_sync_object + 10;
	mon = sm.first_available_monitor + 10;
	/* the WAITs and the copy run side by side: the longer of the two */
	min_ns = (int64_t)((double)waits * cycles * 1e3 / clk.cur_clk_rate_mhz);
	if (min_ns < (int64_t)((double)bytes / 32e9 * 1e9))
		min_ns = (int64_t)((double)bytes / 32e9 * 1e9);
	buf = aligned_alloc(4096, bytes);
	cbmem = aligned_alloc(4096, 4096);
	if (!buf || !cbmem)
		return 1;
	memset(buf, 3, bytes);
	memset(cbmem, 0, 4096);
	d = map_host(fd, buf, bytes);
	dcb = map_host(fd, cbmem, 4096);
	iw = (struct cbw){ cbmem, 0, 4096 };
	for (i = 0; i < waits; i++) {
		uint32_t wt[2] = { cycles, PKT_WAIT << PKT_OPCODE_SHIFT }; /* inc 0, fence 0 */

		put(&iw, wt, sizeof(wt));
	}
	put_msg(&iw, ws_reg(0, sob), SOB_ADD_ONE, 0);
	kcb_new(fd, &k, 4096);
	put_lin_dma(&k.w, d, hw.dram_base_address, bytes, 0);
	put_monitor(&k.w, mon, sob, 0, 1, dma_fence(0, 0, 0), 1);
	put_fence(&k.w, 0, 1, 1);
	put_msg(&k.w, ws_reg(0, sob), SOB_SET(0), 0);
	memset(ch, 0, sizeof(ch));
	ch[0] = (struct hl_cs_chunk){ .cb_handle = dcb, .queue_index = GAUDI_QUEUE_ID_DMA_2_0,
				      .cb_size = (uint32_t)iw.n };
	ch[1] = (struct hl_cs_chunk){ .cb_handle = k.handle, .queue_index = GAUDI_QUEUE_ID_DMA_0_0,
				      .cb_size = (uint32_t)k.w.n };
	t0 = mono_ns();
	EXPECT(!submit_jobs(fd, ch, 2, HL_CS_FLAGS_TIMESTAMP, &seq), "CS: %s", strerror(errno));
	EXPECT(!wait_cs(fd, seq, &w) && w.out.status == HL_WAIT_CS_STATUS_COMPLETED &&
		       (w.out.flags & HL_WAIT_CS_STATUS_FLAG_TIMESTAMP_VLD),
	       "WAIT_CS: %s, status %u flags 0x%x", strerror(errno), w.out.status, w.out.flags);
	t1 = mono_ns();
	sim_ns = w.out.timestamp_nsec - t0;
	EXPECT(sim_ns >= min_ns, "simulated completion %lld ns after submission, below %lld",
	       (long long)sim_ns, (long long)min_ns);
	if (real)
		EXPECT(t1 >= w.out.timestamp_nsec && t1 - t0 >= sim_ns,
		       "--pace real: waited %lld ns, simulated %lld ns", (long long)(t1 - t0),
		       (long long)sim_ns);
	printf("vdev_prog pace: simulated %.3f ms (at least %.3f), waited %.3f ms\n",
	       (double)sim_ns / 1e6, (double)min_ns / 1e6, (double)(t1 - t0) / 1e6);
	close(fd);
	free(buf);
	free(cbmem);
	return failures ? 1 : 0;
}

/* Read a whole sysfs attribute with open/read into @buf; its length, or -1 with errno. */
static int read_attr(const char *path, char *buf, size_t cap)
{
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	n = read(fd, buf, cap - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return (int)n;
}

/* The sysfs attributes of hl0, through open, fopen, stat and access, as the driver shows. */
static int run_sysfs(void)
{
	static const char *const dirs[] = { "/sys/class/habanalabs/hl0",
					    "/sys/class/accel/accel0/device" };
	struct hl_info_hw_ip_info hw;
	struct hl_info_clk_rate clk;
	char path[128], buf[256], want[160];
	unsigned int dom, bus, dev, fn;
	struct stat st;
	size_t i;
	FILE *f;
	int fd;

	fd = open("/dev/hl0", O_RDWR);
	if (fd < 0 || info(fd, HL_IOCTL_INFO, HL_INFO_HW_IP_INFO, 0, &hw, sizeof(hw)) ||
	    info(fd, HL_IOCTL_INFO, HL_INFO_CLK_RATE, 0, &clk, sizeof(clk)))
		return 1;
	close(fd);
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/device_type", dirs[i]);
		EXPECT(read_attr(path, buf, sizeof(buf)) == 6 && !strcmp(buf, "GAUDI\n"),
		       "%s: '%s' (%s)", path, buf, strerror(errno));
		snprintf(path, sizeof(path), "%s/status", dirs[i]);
		EXPECT(read_attr(path, buf, sizeof(buf)) > 0 && !strcmp(buf, "Operational\n"),
		       "%s: '%s'", path, buf);
		snprintf(path, sizeof(path), "%s/cpucp_ver", dirs[i]);
		snprintf(want, sizeof(want), "%s\n", (const char *)hw.cpucp_version);
		EXPECT(read_attr(path, buf, sizeof(buf)) > 0 && !strcmp(buf, want), "%s: '%s'", path,
		       buf);
		snprintf(path, sizeof(path), "%s/clk_max_freq_mhz", dirs[i]);
		snprintf(want, sizeof(want), "%u\n", clk.max_clk_rate_mhz);
		EXPECT(read_attr(path, buf, sizeof(buf)) > 0 && !strcmp(buf, want), "%s: '%s'", path,
		       buf);
		/* fopen does not go through open() inside glibc */
		snprintf(path, sizeof(path), "%s/pci_addr", dirs[i]);
		f = fopen(path, "r");
		EXPECT(f && fscanf(f, "%x:%x:%x.%x", &dom, &bus, &dev, &fn) == 4,
		       "%s: fopen/fscanf: %s", path, strerror(errno));
		if (f)
			fclose(f);
		snprintf(path, sizeof(path), "%s/max_power", dirs[i]);
		EXPECT(!stat(path, &st) && S_ISREG(st.st_mode) && st.st_size == 4096 &&
			       (st.st_mode & 0777) == 0644,
		       "%s: stat mode 0%o size %lld", path, (unsigned)st.st_mode,
		       (long long)st.st_size);
		errno = 0;
		EXPECT(open(path, O_WRONLY) == -1 && errno == EACCES, "%s: write open errno %d", path,
		       errno);
		snprintf(path, sizeof(path), "%s/hard_reset", dirs[i]);
		errno = 0;
		EXPECT(read_attr(path, buf, sizeof(buf)) == -1 && errno == EACCES,
		       "%s: write-only attribute read: errno %d", path, errno);
		snprintf(path, sizeof(path), "%s/no_such_attribute", dirs[i]);
		errno = 0;
		EXPECT(open(path, O_RDONLY) == -1 && errno == ENOENT, "%s: errno %d", path, errno);
		EXPECT(!stat(dirs[i], &st) && S_ISDIR(st.st_mode), "%s: not a directory", dirs[i]);
		EXPECT(!access(dirs[i], R_OK | X_OK), "access %s: %s", dirs[i], strerror(errno));
	}
	errno = 0;
	EXPECT(open("/sys/class/habanalabs/hl1/device_type", O_RDONLY) == -1 && errno == ENOENT,
	       "hl1 (no such device): errno %d", errno);
	return failures ? 1 : 0;
}

/*
 * Under --devices 2: /dev/hl0 and /dev/hl1 are separate devices (each its own compute
 * context, DRAM and SOBs): the same DRAM address holds each device's own bytes; /dev/hl2
 * does not exist; hl1's sysfs is there.
 */
static int run_devices(void)
{
	struct hl_info_hw_ip_info hw;
	struct hl_cs_chunk ch;
	union hl_wait_cs_args w;
	struct kcb k[2];
	uint8_t *in[2], *out[2];
	uint64_t din, dout, seq = 0;
	char buf[64];
	int fd[2], d, i;

	for (d = 0; d < 2; d++) {
		snprintf(buf, sizeof(buf), "/dev/hl%d", d);
		fd[d] = open(buf, O_RDWR);
		if (fd[d] < 0) {
			fprintf(stderr, "vdev_prog: open %s: %s\n", buf, strerror(errno));
			return 1;
		}
	}
	errno = 0;
	EXPECT(open("/dev/hl2", O_RDWR) == -1 && errno == ENOENT, "/dev/hl2: errno %d", errno);
	EXPECT(read_attr("/sys/class/habanalabs/hl1/pci_addr", buf, sizeof(buf)) > 0 &&
		       !strcmp(buf, "0000:02:00.0\n"),
	       "hl1 pci_addr '%s'", buf);
	if (info(fd[0], HL_IOCTL_INFO, HL_INFO_HW_IP_INFO, 0, &hw, sizeof(hw)))
		return 1;
	/* each device: host in[d] -> DRAM (same address on both) */
	for (d = 0; d < 2; d++) {
		in[d] = aligned_alloc(4096, 4096);
		out[d] = aligned_alloc(4096, 4096);
		if (!in[d] || !out[d])
			return 1;
		memset(in[d], 0x11 * (d + 1), 4096);
		memset(out[d], 0, 4096);
		din = map_host(fd[d], in[d], 4096);
		kcb_new(fd[d], &k[d], 4096);
		put_lin_dma(&k[d].w, din, hw.dram_base_address, 4096, 0);
		memset(&ch, 0, sizeof(ch));
		ch = (struct hl_cs_chunk){ .cb_handle = k[d].handle,
					   .queue_index = GAUDI_QUEUE_ID_DMA_0_0,
					   .cb_size = (uint32_t)k[d].w.n };
		EXPECT(!submit_jobs(fd[d], &ch, 1, 0, &seq) && seq == 1, "CS on hl%d: %s", d,
		       strerror(errno));
	}
	/* then each device: DRAM -> host out[d] */
	for (d = 0; d < 2; d++) {
		dout = map_host(fd[d], out[d], 4096);
		k[d].w.n = 0;
		put_lin_dma(&k[d].w, hw.dram_base_address, dout, 4096, 0);
		ch = (struct hl_cs_chunk){ .cb_handle = k[d].handle,
					   .queue_index = GAUDI_QUEUE_ID_DMA_1_0,
					   .cb_size = (uint32_t)k[d].w.n };
		EXPECT(!submit_jobs(fd[d], &ch, 1, 0, &seq) && !wait_cs(fd[d], seq, &w),
		       "CS on hl%d: %s", d, strerror(errno));
		for (i = 0; i < 4096 && out[d][i] == 0x11 * (d + 1); i++)
			;
		EXPECT(i == 4096, "hl%d: byte %d is 0x%02x, expected 0x%02x", d, i,
		       i < 4096 ? out[d][i] : 0, 0x11 * (d + 1));
	}
	close(fd[0]);
	close(fd[1]);
	for (d = 0; d < 2; d++) {
		free(in[d]);
		free(out[d]);
	}
	return failures ? 1 : 0;
}

/* ===== sync stream, staged submission, multi-CS waits (vdev_prog signal | staged | multi |
 * mstuck) ===== */

/* hw SOB of the driver's sync stream on external queue @q (0..7): W_S 128 + 2 q. */
#define SS_SOB(q) (128u + 2u * (q))
#define SEQ_NONE UINT64_MAX /* ULLONG_MAX: a CS the driver did not submit */
#define SYNC_BYTES (64u * 1024u)

/* A signal or wait CS (one chunk on @queue; a wait names the @nsig seqs at @sig). */
static int sync_cs(int fd, uint32_t flags, uint32_t queue, const uint64_t *sig, uint32_t nsig,
		   union hl_cs_args *cs)
{
	struct hl_cs_chunk ch;

	memset(&ch, 0, sizeof(ch));
	ch.queue_index = queue;
	ch.signal_seq_arr = (uint64_t)(uintptr_t)sig;
	ch.num_signal_seq_arr = nsig;
	memset(cs, 0, sizeof(*cs));
	cs->in.chunks_execute = (uint64_t)(uintptr_t)&ch;
	cs->in.num_chunks_execute = 1;
	cs->in.cs_flags = flags;
	return ioctl(fd, HL_IOCTL_CS, cs);
}

/* A multi-CS WAIT_CS over @n seqs at @seqs (pointer as given). */
static int multi_wait(int fd, const uint64_t *seqs, uint32_t n, uint64_t timeout_us,
		      union hl_wait_cs_args *w)
{
	memset(w, 0, sizeof(*w));
	w->in.seq = (uint64_t)(uintptr_t)seqs;
	w->in.timeout_us = timeout_us;
	w->in.flags = HL_WAIT_CS_FLAGS_MULTI_CS;
	w->in.seq_arr_len = (uint8_t)n;
	return ioctl(fd, HL_IOCTL_WAIT_CS, w);
}

/* One CS of one kernel CB @k on @queue. */
static uint64_t submit_kcb(int fd, const struct kcb *k, uint32_t queue, uint32_t flags)
{
	struct hl_cs_chunk ch;
	uint64_t seq = 0;

	memset(&ch, 0, sizeof(ch));
	ch.cb_handle = k->handle;
	ch.queue_index = queue;
	ch.cb_size = (uint32_t)k->w.n;
	EXPECT(!submit_jobs(fd, &ch, 1, flags, &seq), "CS on queue %u: %s", queue, strerror(errno));
	return seq;
}

static int open_sm(struct hl_info_sync_manager *sm, struct hl_info_hw_ip_info *hw)
{
	int fd = open("/dev/hl0", O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "vdev_prog: open /dev/hl0: %s\n", strerror(errno));
		exit(1);
	}
	if (info(fd, HL_IOCTL_INFO, HL_INFO_SYNC_MANAGER, HL_GAUDI_WS_DCORE, sm, sizeof(*sm)) ||
	    info(fd, HL_IOCTL_INFO, HL_INFO_HW_IP_INFO, 0, hw, sizeof(*hw))) {
		fprintf(stderr, "vdev_prog: INFO: %s\n", strerror(errno));
		exit(1);
	}
	return fd;
}

/* Sleep until CLOCK_MONOTONIC has passed @t_ns (a completion time the driver reported). */
static void sleep_past(int64_t t_ns)
{
	struct timespec ts = { 0, 1000000 };

	while (mono_ns() <= t_ns)
		nanosleep(&ts, NULL);
}

/* Set W_S SOB @sob back to 0 with a CS on DMA_0_0, and wait for it. */
static void sob_reset(int fd, uint32_t sob)
{
	union hl_wait_cs_args w;
	struct kcb k;
	uint64_t seq;

	kcb_new(fd, &k, 4096);
	put_msg(&k.w, ws_reg(0, sob), SOB_SET(0), 0);
	seq = submit_kcb(fd, &k, GAUDI_QUEUE_ID_DMA_0_0, 0);
	EXPECT(!wait_cs(fd, seq, &w) && w.out.status == HL_WAIT_CS_STATUS_COMPLETED,
	       "SOB reset CS: %s", strerror(errno));
}

/*
 * A signal CS on DMA_0_1 queued behind a CS that blocks that queue on a user SOB, a wait CS
 * on DMA_1_0 for that signal, then on DMA_1_0 a copy DRAM -> host; last, DMA_0_0 writes the
 * data into DRAM and releases the user SOB. The copy must deliver that data: DMA_1_0 may
 * not pass the wait CS before DMA_0_1 ran the signal. Then the driver's answers: the
 * signal's SOB and count, a wait on a finished signal (nothing submitted), the errors.
 */
static int run_signal(void)
{
	struct hl_info_sync_manager sm;
	struct hl_info_hw_ip_info hw;
	union hl_wait_cs_args w;
	union hl_cs_args cs;
	struct kcb blk, up, down;
	uint64_t seq1, seq2, seq3, seq4, sig, dsrc, ddst, dram;
	uint8_t *src, *dst;
	uint32_t s, m, i, bad = 0;
	int64_t ts2 = 0;
	int fd = open_sm(&sm, &hw);

	s = sm.first_available_sync_object;
	m = sm.first_available_monitor;
	dram = hw.dram_base_address + (32u << 20);
	src = aligned_alloc(4096, SYNC_BYTES);
	dst = aligned_alloc(4096, SYNC_BYTES);
	if (!src || !dst)
		return 1;
	for (i = 0; i < SYNC_BYTES; i++)
		src[i] = (uint8_t)(i * 13 + 5);
	memset(dst, 0, SYNC_BYTES);
	dsrc = map_host(fd, src, SYNC_BYTES);
	ddst = map_host(fd, dst, SYNC_BYTES);

	/* CS 1: DMA_0_1 waits until W_S SOB s >= 1 */
	kcb_new(fd, &blk, 4096);
	put_monitor(&blk.w, m, s, 0, 1, dma_fence(0, 1, 0), 1);
	put_fence(&blk.w, 0, 1, 1);
	seq1 = submit_kcb(fd, &blk, GAUDI_QUEUE_ID_DMA_0_1, 0);
	/* CS 2: the signal, behind CS 1 on DMA_0_1: the first signal of that queue */
	EXPECT(!sync_cs(fd, HL_CS_FLAGS_SIGNAL | HL_CS_FLAGS_TIMESTAMP, GAUDI_QUEUE_ID_DMA_0_1,
			NULL, 0, &cs),
	       "signal CS: %s", strerror(errno));
	seq2 = cs.out.seq;
	EXPECT(seq2 == seq1 + 1, "signal CS seq %llu after %llu", (unsigned long long)seq2,
	       (unsigned long long)seq1);
	EXPECT(cs.out.sob_base_addr_offset == GAUDI_SM_W_S_SOB0 + 4 * SS_SOB(1) &&
		       cs.out.sob_count_before_submission == 1,
	       "signal CS on DMA_0_1: SOB offset 0x%x (want 0x%llx), count %u (want 1)",
	       cs.out.sob_base_addr_offset,
	       (unsigned long long)(GAUDI_SM_W_S_SOB0 + 4 * SS_SOB(1)),
	       cs.out.sob_count_before_submission);
	/* CS 3: DMA_1_0 waits for the signal */
	sig = seq2;
	EXPECT(!sync_cs(fd, HL_CS_FLAGS_WAIT, GAUDI_QUEUE_ID_DMA_1_0, &sig, 1, &cs),
	       "wait CS: %s", strerror(errno));
	seq3 = cs.out.seq;
	EXPECT(seq3 == seq2 + 1, "wait CS seq %llu (want %llu: the signal is pending)",
	       (unsigned long long)seq3, (unsigned long long)(seq2 + 1));
	/* CS 4: DMA_1_0, after the wait: DRAM -> dst */
	kcb_new(fd, &up, 4096);
	put_lin_dma(&up.w, dram, ddst, SYNC_BYTES, 0);
	seq4 = submit_kcb(fd, &up, GAUDI_QUEUE_ID_DMA_1_0, 0);
	/* CS 5: DMA_0_0 writes src into DRAM, then releases CS 1 (and so the signal) */
	kcb_new(fd, &down, 4096);
	put_lin_dma(&down.w, dsrc, dram, SYNC_BYTES, 0);
	put_msg(&down.w, ws_reg(0, s), SOB_ADD_ONE, PKT_EB);
	submit_kcb(fd, &down, GAUDI_QUEUE_ID_DMA_0_0, 0);

	EXPECT(!wait_cs(fd, seq4, &w) && w.out.status == HL_WAIT_CS_STATUS_COMPLETED,
	       "WAIT_CS on the copy after the wait CS: %s, status %u", strerror(errno),
	       w.out.status);
	for (i = 0; i < SYNC_BYTES; i++)
		if (dst[i] != src[i] && bad++ < 4)
			fprintf(stderr, "vdev_prog: byte %u is 0x%02x, expected 0x%02x\n", i,
				dst[i], src[i]);
	EXPECT(!bad, "%u wrong bytes: DMA_1_0 passed the wait CS before the signal ran", bad);
	EXPECT(!wait_cs(fd, seq2, &w) && w.out.status == HL_WAIT_CS_STATUS_COMPLETED &&
		       (w.out.flags & HL_WAIT_CS_STATUS_FLAG_TIMESTAMP_VLD),
	       "WAIT_CS on the signal: %s, status %u, flags 0x%x", strerror(errno), w.out.status,
	       w.out.flags);
	ts2 = w.out.timestamp_nsec;
	EXPECT(!wait_cs(fd, seq3, &w) && w.out.status == HL_WAIT_CS_STATUS_COMPLETED,
	       "WAIT_CS on the wait CS: %s, status %u", strerror(errno), w.out.status);

	/* a wait CS on a signal that has completed: the driver submits nothing */
	sleep_past(ts2);
	EXPECT(!sync_cs(fd, HL_CS_FLAGS_WAIT, GAUDI_QUEUE_ID_DMA_1_0, &sig, 1, &cs) &&
		       cs.out.seq == SEQ_NONE && cs.out.status == HL_CS_STATUS_SUCCESS,
	       "wait CS on a finished signal: %s, seq 0x%llx", strerror(errno),
	       (unsigned long long)cs.out.seq);
	/* the next signal on DMA_0_1 brings the same SOB to 2 */
	EXPECT(!sync_cs(fd, HL_CS_FLAGS_SIGNAL, GAUDI_QUEUE_ID_DMA_0_1, NULL, 0, &cs) &&
		       cs.out.sob_count_before_submission == 2 &&
		       cs.out.sob_base_addr_offset == GAUDI_SM_W_S_SOB0 + 4 * SS_SOB(1),
	       "second signal: %s, count %u, SOB offset 0x%x", strerror(errno),
	       cs.out.sob_count_before_submission, cs.out.sob_base_addr_offset);
	/* and a signal on DMA_1_3 uses that queue's SOB */
	EXPECT(!sync_cs(fd, HL_CS_FLAGS_SIGNAL, GAUDI_QUEUE_ID_DMA_1_3, NULL, 0, &cs) &&
		       cs.out.sob_count_before_submission == 1 &&
		       cs.out.sob_base_addr_offset == GAUDI_SM_W_S_SOB0 + 4 * SS_SOB(7),
	       "signal on DMA_1_3: %s, count %u, SOB offset 0x%x", strerror(errno),
	       cs.out.sob_count_before_submission, cs.out.sob_base_addr_offset);

	/* the driver's errors */
	errno = 0;
	EXPECT(sync_cs(fd, HL_CS_FLAGS_SIGNAL, GAUDI_QUEUE_ID_DMA_2_0, NULL, 0, &cs) == -1 &&
		       errno == EINVAL && cs.out.seq == SEQ_NONE,
	       "signal on an internal queue: errno %d, seq 0x%llx", errno,
	       (unsigned long long)cs.out.seq);
	errno = 0;
	EXPECT(sync_cs(fd, HL_CS_FLAGS_SIGNAL | HL_CS_FLAGS_WAIT, GAUDI_QUEUE_ID_DMA_0_1, &sig, 1,
		       &cs) == -1 && errno == EINVAL,
	       "signal and wait flags together: errno %d", errno);
	errno = 0;
	EXPECT(sync_cs(fd, HL_CS_FLAGS_WAIT, GAUDI_QUEUE_ID_DMA_1_0, &sig, 2, &cs) == -1 &&
		       errno == EINVAL,
	       "wait CS on two signals: errno %d", errno);
	sig = seq1;
	errno = 0;
	EXPECT(sync_cs(fd, HL_CS_FLAGS_WAIT, GAUDI_QUEUE_ID_DMA_1_0, &sig, 1, &cs) == -1 &&
		       errno == EINVAL,
	       "wait CS on a CS that is no signal: errno %d", errno);
	sig = seq4 + 1000;
	errno = 0;
	EXPECT(sync_cs(fd, HL_CS_FLAGS_WAIT, GAUDI_QUEUE_ID_DMA_1_0, &sig, 1, &cs) == -1 &&
		       errno == EINVAL,
	       "wait CS on a future seq: errno %d", errno);
	errno = 0;
	EXPECT(sync_cs(fd, HL_CS_FLAGS_WAIT, GAUDI_QUEUE_ID_DMA_1_0, (const uint64_t *)8, 1,
		       &cs) == -1 && errno == EFAULT,
	       "wait CS with a bad signal array: errno %d", errno);
	errno = 0;
	EXPECT(sync_cs(fd, HL_CS_FLAGS_COLLECTIVE_WAIT, GAUDI_QUEUE_ID_DMA_0_0, &sig, 1, &cs) ==
			       -1 && errno == EOPNOTSUPP,
	       "collective wait: errno %d", errno);
	sob_reset(fd, s);
	printf("vdev_prog signal: %u bytes copied by DMA_1_0 after its wait CS on the signal of "
	       "DMA_0_1 (SOB W_S[%u]) checked\n",
	       SYNC_BYTES, SS_SOB(1));
	close(fd);
	free(src);
	free(dst);
	return failures ? 1 : 0;
}

/*
 * A staged submission in two parts: the FIRST part has internal-queue jobs only (DMA_2_0
 * copies host -> SRAM and bumps a SOB), the LAST part (naming the first's seq) fences on
 * that SOB on DMA_1_0 and copies SRAM -> host. WAIT_CS on the first seq completes with the
 * whole submission; the bytes are checked; the driver's refusals.
 */
static int run_staged(void)
{
	struct hl_info_sync_manager sm;
	struct hl_info_hw_ip_info hw;
	union hl_wait_cs_args w;
	union hl_cs_args cs;
	struct hl_cs_chunk ch;
	struct cbw mid, low;
	struct kcb up, k;
	uint64_t first = 0, seq = 0, dsrc, ddst, dcb, sram;
	uint8_t *src, *dst, *cbmem;
	uint32_t s, m, i, bad = 0;
	int fd = open_sm(&sm, &hw);

	s = sm.first_available_sync_object + 2;
	m = sm.first_available_monitor + 2;
	sram = hw.sram_base_address + (1u << 20);
	src = aligned_alloc(4096, SYNC_BYTES);
	dst = aligned_alloc(4096, SYNC_BYTES);
	cbmem = aligned_alloc(4096, 8192);
	if (!src || !dst || !cbmem)
		return 1;
	for (i = 0; i < SYNC_BYTES; i++)
		src[i] = (uint8_t)(i * 3 + (i >> 9));
	memset(dst, 0, SYNC_BYTES);
	memset(cbmem, 0, 8192);
	dsrc = map_host(fd, src, SYNC_BYTES);
	ddst = map_host(fd, dst, SYNC_BYTES);
	dcb = map_host(fd, cbmem, 8192);

	/* part 1 (FIRST): DMA_2_0 hands its lower CP a CB: host -> SRAM, SOB s += 1 */
	low = (struct cbw){ cbmem + 4096, 0, 4096 };
	put_lin_dma(&low, dsrc, sram, SYNC_BYTES, 0);
	put_msg(&low, ws_reg(0, s), SOB_ADD_ONE, PKT_EB);
	mid = (struct cbw){ cbmem, 0, 4096 };
	put_cp_dma(&mid, dcb + 4096, (uint32_t)low.n);
	memset(&ch, 0, sizeof(ch));
	ch = (struct hl_cs_chunk){ .cb_handle = dcb, .queue_index = GAUDI_QUEUE_ID_DMA_2_0,
				   .cb_size = (uint32_t)mid.n };
	/* not staged, a CS of internal jobs only is refused: it needs a completion */
	errno = 0;
	EXPECT(submit_jobs(fd, &ch, 1, 0, &seq) == -1 && errno == EINVAL,
	       "internal-only CS: errno %d", errno);
	EXPECT(!submit_jobs(fd, &ch, 1,
			    HL_CS_FLAGS_STAGED_SUBMISSION | HL_CS_FLAGS_STAGED_SUBMISSION_FIRST |
				    HL_CS_FLAGS_TIMESTAMP,
			    &first),
	       "staged FIRST part of internal jobs only: %s", strerror(errno));

	/* part 2 (LAST) on DMA_1_0: SOB s >= 1, then SRAM -> dst, SOB s back to 0 */
	kcb_new(fd, &up, 4096);
	put_monitor(&up.w, m, s, 0, 1, dma_fence(1, 0, 0), 1);
	put_fence(&up.w, 0, 1, 1);
	put_lin_dma(&up.w, sram, ddst, SYNC_BYTES, 0);
	put_msg(&up.w, ws_reg(0, s), SOB_SET(0), PKT_EB);
	ch = (struct hl_cs_chunk){ .cb_handle = up.handle, .queue_index = GAUDI_QUEUE_ID_DMA_1_0,
				   .cb_size = (uint32_t)up.w.n };
	/* a later part must name the seq of a FIRST part */
	memset(&cs, 0, sizeof(cs));
	cs.in.chunks_execute = (uint64_t)(uintptr_t)&ch;
	cs.in.num_chunks_execute = 1;
	cs.in.cs_flags = HL_CS_FLAGS_STAGED_SUBMISSION | HL_CS_FLAGS_STAGED_SUBMISSION_LAST;
	cs.in.seq = first + 7;
	errno = 0;
	EXPECT(ioctl(fd, HL_IOCTL_CS, &cs) == -1 && errno == EINVAL && cs.out.seq == SEQ_NONE,
	       "LAST part naming an unknown seq: errno %d", errno);
	memset(&cs, 0, sizeof(cs));
	cs.in.chunks_execute = (uint64_t)(uintptr_t)&ch;
	cs.in.num_chunks_execute = 1;
	cs.in.cs_flags = HL_CS_FLAGS_STAGED_SUBMISSION | HL_CS_FLAGS_STAGED_SUBMISSION_LAST;
	cs.in.seq = first;
	EXPECT(!ioctl(fd, HL_IOCTL_CS, &cs) && cs.out.seq == first,
	       "staged LAST part: %s, out.seq %llu (want the first's %llu)", strerror(errno),
	       (unsigned long long)cs.out.seq, (unsigned long long)first);

	EXPECT(!wait_cs(fd, first, &w) && w.out.status == HL_WAIT_CS_STATUS_COMPLETED &&
		       (w.out.flags & HL_WAIT_CS_STATUS_FLAG_TIMESTAMP_VLD),
	       "WAIT_CS on the staged submission: %s, status %u, flags 0x%x", strerror(errno),
	       w.out.status, w.out.flags);
	for (i = 0; i < SYNC_BYTES; i++)
		if (dst[i] != src[i] && bad++ < 4)
			fprintf(stderr, "vdev_prog: byte %u is 0x%02x, expected 0x%02x\n", i,
				dst[i], src[i]);
	EXPECT(!bad, "%u wrong bytes after the staged submission host -> SRAM -> host", bad);

	/* the submission is closed: another part naming it is refused */
	kcb_new(fd, &k, 4096);
	put_msg(&k.w, ws_reg(0, s), SOB_SET(0), 0);
	ch = (struct hl_cs_chunk){ .cb_handle = k.handle, .queue_index = GAUDI_QUEUE_ID_DMA_0_0,
				   .cb_size = (uint32_t)k.w.n };
	memset(&cs, 0, sizeof(cs));
	cs.in.chunks_execute = (uint64_t)(uintptr_t)&ch;
	cs.in.num_chunks_execute = 1;
	cs.in.cs_flags = HL_CS_FLAGS_STAGED_SUBMISSION;
	cs.in.seq = first;
	errno = 0;
	EXPECT(ioctl(fd, HL_IOCTL_CS, &cs) == -1 && errno == EINVAL,
	       "part after the LAST one: errno %d", errno);
	/* a part naming a CS that is not the first of a staged submission */
	seq = submit_kcb(fd, &k, GAUDI_QUEUE_ID_DMA_0_0, 0);
	cs.in.seq = seq;
	cs.in.chunks_execute = (uint64_t)(uintptr_t)&ch;
	cs.in.num_chunks_execute = 1;
	cs.in.cs_flags = HL_CS_FLAGS_STAGED_SUBMISSION | HL_CS_FLAGS_STAGED_SUBMISSION_LAST;
	errno = 0;
	EXPECT(ioctl(fd, HL_IOCTL_CS, &cs) == -1 && errno == EINVAL,
	       "part naming a CS that is not staged: errno %d", errno);
	EXPECT(!wait_cs(fd, seq, &w) && w.out.status == HL_WAIT_CS_STATUS_COMPLETED,
	       "WAIT_CS: %s", strerror(errno));
	printf("vdev_prog staged: two parts (internal-only FIRST, LAST on DMA_1_0) under seq %llu, "
	       "%u bytes host -> SRAM -> host checked\n",
	       (unsigned long long)first, SYNC_BYTES);
	close(fd);
	free(src);
	free(dst);
	free(cbmem);
	return failures ? 1 : 0;
}

/*
 * Multi-CS waits: over a blocked CS and two completed ones (the map has the two, the
 * timestamp is the earlier completion), the driver's GONE flag for a CS without a timestamp,
 * the errors; then the blocked one is released and completes.
 */
static int run_multi(void)
{
	struct hl_info_sync_manager sm;
	struct hl_info_hw_ip_info hw;
	union hl_wait_cs_args w;
	struct kcb blk, a, c, d, rel;
	uint64_t sb, sa, sc, sd, arr[3], big[33];
	int64_t ta, tc, tmin;
	uint32_t s, m, i;
	int fd = open_sm(&sm, &hw);

	s = sm.first_available_sync_object + 3;
	m = sm.first_available_monitor + 3;
	/* B: DMA_0_1 blocked on SOB s; A, C: SOB writes that complete at once */
	kcb_new(fd, &blk, 4096);
	put_monitor(&blk.w, m, s, 0, 1, dma_fence(0, 1, 0), 1);
	put_fence(&blk.w, 0, 1, 1);
	sb = submit_kcb(fd, &blk, GAUDI_QUEUE_ID_DMA_0_1, 0);
	kcb_new(fd, &a, 4096);
	put_msg(&a.w, ws_reg(0, s + 1), SOB_SET(0), PKT_EB);
	sa = submit_kcb(fd, &a, GAUDI_QUEUE_ID_DMA_0_0, HL_CS_FLAGS_TIMESTAMP);
	kcb_new(fd, &c, 4096);
	put_msg(&c.w, ws_reg(0, s + 1), SOB_SET(0), PKT_EB);
	sc = submit_kcb(fd, &c, GAUDI_QUEUE_ID_DMA_0_2, HL_CS_FLAGS_TIMESTAMP);

	arr[0] = sb;
	arr[1] = sa;
	arr[2] = sc;
	EXPECT(!multi_wait(fd, arr, 3, 1000000, &w) &&
		       w.out.status == HL_WAIT_CS_STATUS_COMPLETED &&
		       w.out.cs_completion_map == 0x6 &&
		       w.out.flags == HL_WAIT_CS_STATUS_FLAG_TIMESTAMP_VLD,
	       "multi-CS wait {blocked, done, done}: %s, status %u, map 0x%x, flags 0x%x",
	       strerror(errno), w.out.status, w.out.cs_completion_map, w.out.flags);
	tmin = w.out.timestamp_nsec;
	EXPECT(!wait_cs(fd, sa, &w) && (w.out.flags & HL_WAIT_CS_STATUS_FLAG_TIMESTAMP_VLD),
	       "WAIT_CS A: %s", strerror(errno));
	ta = w.out.timestamp_nsec;
	EXPECT(!wait_cs(fd, sc, &w) && (w.out.flags & HL_WAIT_CS_STATUS_FLAG_TIMESTAMP_VLD),
	       "WAIT_CS C: %s", strerror(errno));
	tc = w.out.timestamp_nsec;
	EXPECT(tmin && tmin == (ta < tc ? ta : tc),
	       "multi-CS timestamp %lld, want the first completion of %lld and %lld",
	       (long long)tmin, (long long)ta, (long long)tc);
	/* a completed CS submitted without HL_CS_FLAGS_TIMESTAMP: no timestamp, so GONE */
	kcb_new(fd, &d, 4096);
	put_msg(&d.w, ws_reg(0, s + 1), SOB_SET(0), PKT_EB);
	sd = submit_kcb(fd, &d, GAUDI_QUEUE_ID_DMA_0_3, 0);
	EXPECT(!multi_wait(fd, &sd, 1, 1000000, &w) &&
		       w.out.status == HL_WAIT_CS_STATUS_COMPLETED &&
		       w.out.cs_completion_map == 1 && w.out.flags == HL_WAIT_CS_STATUS_FLAG_GONE,
	       "multi-CS wait without timestamp: %s, status %u, map 0x%x, flags 0x%x",
	       strerror(errno), w.out.status, w.out.cs_completion_map, w.out.flags);

	/* errors: too many, an unreadable array, a seq not submitted, padding */
	for (i = 0; i < 33; i++)
		big[i] = sa;
	errno = 0;
	EXPECT(multi_wait(fd, big, 33, 0, &w) == -1 && errno == EINVAL,
	       "33 seqs: errno %d", errno);
	EXPECT(!multi_wait(fd, big, 32, 0, &w) && w.out.cs_completion_map == 0xFFFFFFFFu,
	       "32 seqs: %s, map 0x%x", strerror(errno), w.out.cs_completion_map);
	errno = 0;
	EXPECT(multi_wait(fd, (const uint64_t *)8, 2, 0, &w) == -1 && errno == EFAULT,
	       "unreadable seq array: errno %d", errno);
	arr[0] = sa;
	arr[1] = sd + 100;
	errno = 0;
	EXPECT(multi_wait(fd, arr, 2, 0, &w) == -1 && errno == EINVAL &&
		       w.in.seq == (uint64_t)(uintptr_t)arr,
	       "a seq not submitted yet: errno %d (arguments must be left as they were)", errno);
	memset(&w, 0, sizeof(w));
	w.in.seq = (uint64_t)(uintptr_t)arr;
	w.in.flags = HL_WAIT_CS_FLAGS_MULTI_CS;
	w.in.seq_arr_len = 1;
	w.in.pad[3] = 1;
	errno = 0;
	EXPECT(ioctl(fd, HL_IOCTL_WAIT_CS, &w) == -1 && errno == EINVAL,
	       "padding not 0: errno %d", errno);

	/* release B: now it completes too */
	kcb_new(fd, &rel, 4096);
	put_msg(&rel.w, ws_reg(0, s), SOB_ADD_ONE, 0);
	submit_kcb(fd, &rel, GAUDI_QUEUE_ID_DMA_0_0, 0);
	arr[0] = sb;
	EXPECT(!multi_wait(fd, arr, 1, 1000000, &w) &&
		       w.out.status == HL_WAIT_CS_STATUS_COMPLETED && w.out.cs_completion_map == 1,
	       "multi-CS wait on the released CS: %s, status %u, map 0x%x", strerror(errno),
	       w.out.status, w.out.cs_completion_map);
	sob_reset(fd, s);
	printf("vdev_prog multi: map 0x6 over {blocked, done, done}, first completion %lld ns\n",
	       (long long)tmin);
	close(fd);
	return failures ? 1 : 0;
}

/*
 * CSs that never complete (the replay deadlocks on them, as for `stuck`): polls answer BUSY
 * (multi-CS, a staged submission without its LAST part), a multi-CS wait with a timeout
 * fails with ETIMEDOUT leaving the arguments as they were, a staged submission without a
 * LAST part times out and refuses later parts.
 */
static int run_mstuck(void)
{
	struct hl_info_sync_manager sm;
	struct hl_info_hw_ip_info hw;
	union hl_wait_cs_args w;
	union hl_cs_args cs;
	struct hl_cs_chunk ch;
	struct kcb blk, k;
	uint64_t sb, first = 0;
	uint32_t s, m;
	int fd = open_sm(&sm, &hw);

	s = sm.first_available_sync_object + 6;
	m = sm.first_available_monitor + 6;
	kcb_new(fd, &blk, 4096);
	put_monitor(&blk.w, m, s, 0, 1, dma_fence(0, 1, 0), 1);
	put_fence(&blk.w, 0, 1, 1);
	sb = submit_kcb(fd, &blk, GAUDI_QUEUE_ID_DMA_0_1, 0);
	EXPECT(!multi_wait(fd, &sb, 1, 0, &w) && w.out.status == HL_WAIT_CS_STATUS_BUSY &&
		       !w.out.cs_completion_map,
	       "multi-CS poll of a blocked CS: %s, status %u, map 0x%x", strerror(errno),
	       w.out.status, w.out.cs_completion_map);
	/* a staged FIRST part alone: its submission is not complete */
	kcb_new(fd, &k, 4096);
	put_msg(&k.w, ws_reg(0, s + 1), SOB_SET(0), 0);
	memset(&ch, 0, sizeof(ch));
	ch = (struct hl_cs_chunk){ .cb_handle = k.handle, .queue_index = GAUDI_QUEUE_ID_DMA_0_0,
				   .cb_size = (uint32_t)k.w.n };
	EXPECT(!submit_jobs(fd, &ch, 1,
			    HL_CS_FLAGS_STAGED_SUBMISSION | HL_CS_FLAGS_STAGED_SUBMISSION_FIRST,
			    &first),
	       "staged FIRST: %s", strerror(errno));
	memset(&w, 0, sizeof(w));
	w.in.seq = first;
	EXPECT(!ioctl(fd, HL_IOCTL_WAIT_CS, &w) && w.out.status == HL_WAIT_CS_STATUS_BUSY,
	       "poll of a staged submission without LAST: %s, status %u", strerror(errno),
	       w.out.status);
	/* waiting: the blocked CS times out; the driver leaves the arguments as they were */
	errno = 0;
	EXPECT(multi_wait(fd, &sb, 1, 1000000, &w) == -1 && errno == ETIMEDOUT &&
		       w.in.seq == (uint64_t)(uintptr_t)&sb,
	       "multi-CS wait on a CS that never completes: errno %d", errno);
	errno = 0;
	EXPECT(wait_cs(fd, sb, &w) == -1 && errno == ETIMEDOUT &&
		       w.out.status == HL_WAIT_CS_STATUS_TIMEDOUT,
	       "WAIT_CS after the time-out: errno %d, status %u", errno, w.out.status);
	errno = 0;
	EXPECT(wait_cs(fd, first, &w) == -1 && errno == ETIMEDOUT,
	       "WAIT_CS on a staged submission without LAST: errno %d", errno);
	memset(&cs, 0, sizeof(cs));
	cs.in.chunks_execute = (uint64_t)(uintptr_t)&ch;
	cs.in.num_chunks_execute = 1;
	cs.in.cs_flags = HL_CS_FLAGS_STAGED_SUBMISSION | HL_CS_FLAGS_STAGED_SUBMISSION_LAST;
	cs.in.seq = first;
	errno = 0;
	EXPECT(ioctl(fd, HL_IOCTL_CS, &cs) == -1 && errno == EINVAL,
	       "LAST part of a timed-out staged submission: errno %d", errno);
	close(fd);
	return failures ? 1 : 0;
}

/* RESERVE_SIGNALS_ONLY / UNRESERVE_SIGNALS_ONLY: a reservation of @n signals on @queue. */
static int reserve(int fd, uint32_t flags, uint32_t queue, uint32_t n, uint32_t handle,
		   union hl_cs_args *cs)
{
	memset(cs, 0, sizeof(*cs));
	cs->in.cs_flags = flags;
	if (flags & HL_CS_FLAGS_RESERVE_SIGNALS_ONLY) {
		cs->in.encaps_signals_q_idx = queue;
		cs->in.encaps_signals_count = n;
	} else {
		cs->in.encaps_sig_handle_id = handle;
	}
	return ioctl(fd, HL_IOCTL_CS, cs);
}

/*
 * Encapsulated signals: reserve 2 signals on DMA_0_2's SOB; a staged FIRST part with
 * ENCAP_SIGNALS on DMA_0_0 (held back by a user SOB) copies host -> DRAM and then gives the
 * two signals itself; a wait CS with ENCAP_SIGNALS on DMA_1_0 for its second signal, and a
 * copy DRAM -> host behind it: the copy must see the data. Then the driver's answers.
 */
static int run_encaps(void)
{
	struct hl_info_sync_manager sm;
	struct hl_info_hw_ip_info hw;
	union hl_wait_cs_args w;
	union hl_cs_args cs;
	struct hl_cs_chunk ch;
	struct kcb gate, sig, up, last, rel;
	uint64_t first = 0, seq, copy, dsrc, ddst, dram;
	uint8_t *src, *dst;
	uint32_t u, m, sob = SS_SOB(2), i, bad = 0;
	int fd = open_sm(&sm, &hw);

	u = sm.first_available_sync_object + 4;
	m = sm.first_available_monitor + 4;
	dram = hw.dram_base_address + (48u << 20);
	src = aligned_alloc(4096, SYNC_BYTES);
	dst = aligned_alloc(4096, SYNC_BYTES);
	if (!src || !dst)
		return 1;
	for (i = 0; i < SYNC_BYTES; i++)
		src[i] = (uint8_t)(i * 11 + 3);
	memset(dst, 0, SYNC_BYTES);
	dsrc = map_host(fd, src, SYNC_BYTES);
	ddst = map_host(fd, dst, SYNC_BYTES);

	/* reserve 3, give them back, reserve 2: handle 1 again, values 1..2 of SOB 132 */
	EXPECT(!reserve(fd, HL_CS_FLAGS_RESERVE_SIGNALS_ONLY, GAUDI_QUEUE_ID_DMA_0_2, 3, 0, &cs) &&
		       cs.out.handle_id == 1 && cs.out.count == 4 &&
		       cs.out.sob_base_addr_offset == GAUDI_SM_W_S_SOB0 + 4 * sob,
	       "reserve 3: %s, handle %u, count %u, SOB offset 0x%x", strerror(errno),
	       cs.out.handle_id, cs.out.count, cs.out.sob_base_addr_offset);
	EXPECT(!reserve(fd, HL_CS_FLAGS_UNRESERVE_SIGNALS_ONLY, 0, 0, 1, &cs) &&
		       cs.out.seq == SEQ_NONE,
	       "unreserve: %s, seq 0x%llx", strerror(errno), (unsigned long long)cs.out.seq);
	errno = 0;
	EXPECT(reserve(fd, HL_CS_FLAGS_UNRESERVE_SIGNALS_ONLY, 0, 0, 1, &cs) == -1 &&
		       errno == EINVAL,
	       "unreserve twice: errno %d", errno);
	EXPECT(!reserve(fd, HL_CS_FLAGS_RESERVE_SIGNALS_ONLY, GAUDI_QUEUE_ID_DMA_0_2, 2, 0, &cs) &&
		       cs.out.handle_id == 1 && cs.out.count == 3,
	       "reserve 2: %s, handle %u, count %u", strerror(errno), cs.out.handle_id,
	       cs.out.count);
	errno = 0;
	EXPECT(reserve(fd, HL_CS_FLAGS_RESERVE_SIGNALS_ONLY, GAUDI_QUEUE_ID_DMA_2_0, 2, 0, &cs) ==
			       -1 && errno == EINVAL,
	       "reserve on an internal queue: errno %d", errno);
	errno = 0;
	EXPECT(reserve(fd, HL_CS_FLAGS_RESERVE_SIGNALS_ONLY, GAUDI_QUEUE_ID_DMA_0_2, 32768, 0,
		       &cs) == -1 && errno == EINVAL,
	       "reserve 32768: errno %d", errno);

	/* the staged FIRST part holding the signals: gate on SOB u, copy, signal 1 and 2 */
	kcb_new(fd, &sig, 4096);
	put_monitor(&sig.w, m, u, 0, 1, dma_fence(0, 0, 0), 1);
	put_fence(&sig.w, 0, 1, 1);
	put_lin_dma(&sig.w, dsrc, dram, SYNC_BYTES, 0);
	put_msg(&sig.w, ws_reg(0, sob), SOB_ADD_ONE, PKT_EB);
	put_msg(&sig.w, ws_reg(0, sob), SOB_ADD_ONE, 0);
	memset(&ch, 0, sizeof(ch));
	ch = (struct hl_cs_chunk){ .cb_handle = sig.handle, .queue_index = GAUDI_QUEUE_ID_DMA_0_0,
				   .cb_size = (uint32_t)sig.w.n };
	memset(&cs, 0, sizeof(cs));
	cs.in.chunks_execute = (uint64_t)(uintptr_t)&ch;
	cs.in.num_chunks_execute = 1;
	cs.in.cs_flags = HL_CS_FLAGS_STAGED_SUBMISSION | HL_CS_FLAGS_STAGED_SUBMISSION_FIRST |
			 HL_CS_FLAGS_ENCAP_SIGNALS;
	cs.in.encaps_sig_handle_id = 9;
	errno = 0;
	EXPECT(ioctl(fd, HL_IOCTL_CS, &cs) == -1 && errno == EINVAL,
	       "ENCAP_SIGNALS with an unknown handle: errno %d", errno);
	memset(&cs, 0, sizeof(cs));
	cs.in.chunks_execute = (uint64_t)(uintptr_t)&ch;
	cs.in.num_chunks_execute = 1;
	cs.in.cs_flags = HL_CS_FLAGS_STAGED_SUBMISSION | HL_CS_FLAGS_STAGED_SUBMISSION_FIRST |
			 HL_CS_FLAGS_ENCAP_SIGNALS;
	cs.in.encaps_sig_handle_id = 1;
	EXPECT(!ioctl(fd, HL_IOCTL_CS, &cs), "staged FIRST with ENCAP_SIGNALS: %s",
	       strerror(errno));
	first = cs.out.seq;

	/* the wait CS for the second signal, then DMA_1_0 copies DRAM -> dst */
	memset(&ch, 0, sizeof(ch));
	ch.queue_index = GAUDI_QUEUE_ID_DMA_1_0;
	ch.encaps_signal_seq = first;
	ch.encaps_signal_offset = 3;
	memset(&cs, 0, sizeof(cs));
	cs.in.chunks_execute = (uint64_t)(uintptr_t)&ch;
	cs.in.num_chunks_execute = 1;
	cs.in.cs_flags = HL_CS_FLAGS_WAIT | HL_CS_FLAGS_ENCAP_SIGNALS;
	errno = 0;
	EXPECT(ioctl(fd, HL_IOCTL_CS, &cs) == -1 && errno == EINVAL,
	       "wait for signal 3 of 2: errno %d", errno);
	ch.encaps_signal_offset = 2;
	memset(&cs, 0, sizeof(cs)); /* the answer overwrote the arguments */
	cs.in.chunks_execute = (uint64_t)(uintptr_t)&ch;
	cs.in.num_chunks_execute = 1;
	cs.in.cs_flags = HL_CS_FLAGS_WAIT | HL_CS_FLAGS_ENCAP_SIGNALS;
	EXPECT(!ioctl(fd, HL_IOCTL_CS, &cs) && cs.out.seq == first + 1,
	       "wait CS with ENCAP_SIGNALS: %s, seq %llu", strerror(errno),
	       (unsigned long long)cs.out.seq);
	kcb_new(fd, &up, 4096);
	put_lin_dma(&up.w, dram, ddst, SYNC_BYTES, 0);
	copy = submit_kcb(fd, &up, GAUDI_QUEUE_ID_DMA_1_0, 0);

	/* release the gate (DMA_0_1), then close the staged submission */
	kcb_new(fd, &gate, 4096);
	put_msg(&gate.w, ws_reg(0, u), SOB_ADD_ONE, 0);
	submit_kcb(fd, &gate, GAUDI_QUEUE_ID_DMA_0_1, 0);
	kcb_new(fd, &last, 4096);
	put_msg(&last.w, ws_reg(0, u), SOB_SET(0), 0);
	ch = (struct hl_cs_chunk){ .cb_handle = last.handle, .queue_index = GAUDI_QUEUE_ID_DMA_0_0,
				   .cb_size = (uint32_t)last.w.n };
	memset(&cs, 0, sizeof(cs));
	cs.in.chunks_execute = (uint64_t)(uintptr_t)&ch;
	cs.in.num_chunks_execute = 1;
	cs.in.cs_flags = HL_CS_FLAGS_STAGED_SUBMISSION | HL_CS_FLAGS_STAGED_SUBMISSION_LAST;
	cs.in.seq = first;
	EXPECT(!ioctl(fd, HL_IOCTL_CS, &cs) && cs.out.seq == first, "LAST part: %s",
	       strerror(errno));

	EXPECT(!wait_cs(fd, copy, &w) && w.out.status == HL_WAIT_CS_STATUS_COMPLETED,
	       "WAIT_CS on the copy: %s, status %u", strerror(errno), w.out.status);
	for (i = 0; i < SYNC_BYTES; i++)
		if (dst[i] != src[i] && bad++ < 4)
			fprintf(stderr, "vdev_prog: byte %u is 0x%02x, expected 0x%02x\n", i,
				dst[i], src[i]);
	EXPECT(!bad, "%u wrong bytes: DMA_1_0 passed the encaps wait before the signals", bad);
	EXPECT(!wait_cs(fd, first, &w) && w.out.status == HL_WAIT_CS_STATUS_COMPLETED,
	       "WAIT_CS on the staged submission: %s", strerror(errno));
	/* its CS completed: the reservation is released, a wait on it submits nothing */
	errno = 0;
	EXPECT(reserve(fd, HL_CS_FLAGS_UNRESERVE_SIGNALS_ONLY, 0, 0, 1, &cs) == -1 &&
		       errno == EINVAL,
	       "unreserve after the CS completed: errno %d", errno);
	ch = (struct hl_cs_chunk){ .queue_index = GAUDI_QUEUE_ID_DMA_1_0,
				   .encaps_signal_seq = first,
				   .encaps_signal_offset = 1 };
	memset(&cs, 0, sizeof(cs));
	cs.in.chunks_execute = (uint64_t)(uintptr_t)&ch;
	cs.in.num_chunks_execute = 1;
	cs.in.cs_flags = HL_CS_FLAGS_WAIT | HL_CS_FLAGS_ENCAP_SIGNALS;
	EXPECT(!ioctl(fd, HL_IOCTL_CS, &cs) && cs.out.seq == SEQ_NONE,
	       "encaps wait on a released reservation: %s, seq 0x%llx", strerror(errno),
	       (unsigned long long)cs.out.seq);
	kcb_new(fd, &rel, 4096);
	put_msg(&rel.w, ws_reg(0, sob), SOB_SET(0), 0);
	seq = submit_kcb(fd, &rel, GAUDI_QUEUE_ID_DMA_0_0, 0);
	EXPECT(!wait_cs(fd, seq, &w), "WAIT_CS: %s", strerror(errno));
	printf("vdev_prog encaps: %u bytes copied by DMA_1_0 after its wait on signal 2 of 2 "
	       "encapsulated in staged CS %llu (SOB W_S[%u]) checked\n",
	       SYNC_BYTES, (unsigned long long)first, sob);
	close(fd);
	free(src);
	free(dst);
	return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc >= 2 ? argv[1] : "main";
	int rc;

	if (argc > 3 || (argc == 3 && strcmp(mode, "pace"))) {
		fprintf(stderr, "usage: vdev_prog [errors|data|stuck|oom|sysfs|devices|signal|"
				"staged|multi|mstuck|encaps|pace [real]]\n");
		return 2;
	}
	if (!strcmp(mode, "main"))
		rc = run_main();
	else if (!strcmp(mode, "errors"))
		rc = run_errors();
	else if (!strcmp(mode, "data"))
		rc = run_data();
	else if (!strcmp(mode, "stuck"))
		rc = run_stuck();
	else if (!strcmp(mode, "oom"))
		rc = run_oom();
	else if (!strcmp(mode, "devices"))
		rc = run_devices();
	else if (!strcmp(mode, "sysfs"))
		rc = run_sysfs();
	else if (!strcmp(mode, "pace"))
		rc = run_pace(argc == 3 && !strcmp(argv[2], "real"));
	else if (!strcmp(mode, "signal"))
		rc = run_signal();
	else if (!strcmp(mode, "staged"))
		rc = run_staged();
	else if (!strcmp(mode, "multi"))
		rc = run_multi();
	else if (!strcmp(mode, "mstuck"))
		rc = run_mstuck();
	else if (!strcmp(mode, "encaps"))
		rc = run_encaps();
	else {
		fprintf(stderr, "usage: vdev_prog [errors|data|stuck|oom|sysfs|devices|signal|"
				"staged|multi|mstuck|encaps|pace [real]]\n");
		return 2;
	}
	printf("vdev_prog %s: %s (%d failed checks)\n", mode, rc ? "FAIL" : "ok", failures);
	return rc;
}
