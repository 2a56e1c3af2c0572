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
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
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
#define PKT_NOP 0xAu
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
#define ACCEL_IOCTL_CB _IOWR('d', 0x41, union hl_cb_args)
#define ACCEL_IOCTL_CS _IOWR('d', 0x42, union hl_cs_args)
#define ACCEL_IOCTL_WAIT_CS _IOWR('d', 0x43, union hl_wait_cs_args)

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
		EXPECT(!submit_jobs(fd[d], &ch, 1, HL_CS_FLAGS_TIMESTAMP, &seq) &&
			       !wait_cs(fd[d], seq, &w),
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

/*
 * ===== Gaudi2 (vdev_prog g2info | g2data | g2nop | g2ping | g2stuck | g2signal) =====
 *
 * Run on a device whose HW_IP_INFO says device_id 0x1020 (HL-225). Queue ids are the uapi's
 * enum gaudi2_queue_id. Register addresses are those of the simulator's Gaudi2 model
 * (models/gaudi2/gaudi2P.h, which takes them from hl-thunk-open's MIT-licensed
 * include/specs/gaudi2 headers: gaudi2.h CFG_BASE, asic_reg/dcore0_sync_mngr_objs_regs.h,
 * the QM blocks' CP_FENCE0_RDATA_0); the PDMA1 QM base is that model's inference (PDMA0's
 * plus the 0x10000 engine stride). Every CB lives in host memory the program maps with
 * HL_MEM_OP_MAP + HL_MEM_USERPTR, and its device VA is the chunk's cb_handle: on Gaudi2
 * every queue fetches its CB by address. DRAM comes from HL_MEM_OP_ALLOC + MAP.
 */
#define G2_DEVICE_ID 0x1020u
#define G2_CFG_BASE 0x1000007FF8000000ull
#define G2_SM_SOB0 (G2_CFG_BASE + 0x4100000ull) /* DCORE0 SYNC_MNGR_OBJS_SOB_OBJ_0 */
#define G2_SM_MON_PAY_ADDRL 0x8000ull /* from SOB_OBJ_0 */
#define G2_SM_MON_PAY_ADDRH 0xA000ull
#define G2_SM_MON_PAY_DATA 0xC000ull
#define G2_SM_MON_ARM 0xE000ull
#define G2_PDMA0_QM 0x4C8A000ull /* CFG-relative */
#define G2_PDMA_STRIDE 0x10000ull
#define G2_DCORE0_EDMA0_QM 0x41CA000ull
#define G2_QM_CP_FENCE0_RDATA 0x290ull /* + 0x14 * fence id + 4 * CP */
#define G2_PKT_NOP 0xAu
#define G2_LIN_DMA_WRCOMP (1u << 0)
#define G2_LIN_DMA_MEMSET (1u << 4)
#define G2_DRAM_PAGE_BYTES (768ull << 20) /* 16 x 6 HBMs x 8 MiB, the 6.1 driver's */

static uint64_t g2_sm(uint64_t off, uint32_t index)
{
	return G2_SM_SOB0 + off + 4ull * index;
}

/* CP_FENCE<id>_RDATA of upper CP @cp of the QM block at CFG-relative @qm. */
static uint64_t g2_fence(uint64_t qm, uint32_t cp, uint32_t id)
{
	return G2_CFG_BASE + qm + G2_QM_CP_FENCE0_RDATA + 0x14ull * id + 4ull * cp;
}

static void g2_lin_dma(struct cbw *w, uint64_t src, uint64_t dst, uint32_t size, uint32_t extra)
{
	struct pkt_lin_dma d = { size, (PKT_LIN_DMA << PKT_OPCODE_SHIFT) | PKT_MB | extra, src,
				 dst };

	put(w, &d, sizeof(d));
}

/* MSG_LONG; with @eb it waits for the engine's earlier work (a DMA) to finish. */
static void g2_msg(struct cbw *w, uint64_t addr, uint32_t value, int eb)
{
	struct pkt_msg_long m = { value,
				  (PKT_MSG_LONG << PKT_OPCODE_SHIFT) | PKT_MB | (eb ? PKT_EB : 0),
				  addr };

	put(w, &m, sizeof(m));
}

/* DCORE0 monitor @mon: when SOB @sob (== if @eq, else >=) @value, write @data to @addr. */
static void g2_monitor(struct cbw *w, uint32_t mon, uint32_t sob, int eq, uint32_t value,
		       uint64_t addr, uint32_t data)
{
	uint32_t arm = (sob / 8) | ((~(1u << (sob % 8)) & 0xFFu) << 8) | (uint32_t)!!eq << 16 |
		       (value & 0x7FFFu) << 17;

	g2_msg(w, g2_sm(G2_SM_MON_PAY_ADDRL, mon), (uint32_t)addr, 0);
	g2_msg(w, g2_sm(G2_SM_MON_PAY_ADDRH, mon), (uint32_t)(addr >> 32), 0);
	g2_msg(w, g2_sm(G2_SM_MON_PAY_DATA, mon), data, 0);
	g2_msg(w, g2_sm(G2_SM_MON_ARM, mon), arm, 0);
}

/** struct hcb - a CB in mapped host memory (Gaudi2 queues fetch CBs by device address). */
struct hcb {
	struct cbw w;
	uint64_t dva;
};

static void hcb_new(int fd, struct hcb *c, size_t size)
{
	c->w.p = aligned_alloc(4096, size);
	if (!c->w.p) {
		fprintf(stderr, "vdev_prog: out of memory\n");
		exit(1);
	}
	memset(c->w.p, 0, size);
	c->w.n = 0;
	c->w.cap = size;
	c->dva = map_host(fd, c->w.p, size);
}

static struct hl_cs_chunk hcb_chunk(const struct hcb *c, uint32_t queue)
{
	struct hl_cs_chunk ch;

	memset(&ch, 0, sizeof(ch));
	ch.cb_handle = c->dva;
	ch.queue_index = queue;
	ch.cb_size = (uint32_t)c->w.n;
	ch.cs_chunk_flags = HL_CS_CHUNK_FLAGS_USER_ALLOC_CB;
	return ch;
}

/* Open hl0, require a Gaudi2, and read its sync-manager answer for dcore 0. */
static int g2_open(struct hl_info_hw_ip_info *hw, struct hl_info_sync_manager *sm)
{
	int fd = open("/dev/hl0", O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "vdev_prog: open /dev/hl0: %s\n", strerror(errno));
		exit(1);
	}
	if (info(fd, HL_IOCTL_INFO, HL_INFO_HW_IP_INFO, 0, hw, sizeof(*hw)) ||
	    info(fd, HL_IOCTL_INFO, HL_INFO_SYNC_MANAGER, 0, sm, sizeof(*sm))) {
		fprintf(stderr, "vdev_prog: INFO: %s\n", strerror(errno));
		exit(1);
	}
	if (hw->device_id != G2_DEVICE_ID) {
		fprintf(stderr, "vdev_prog: the Gaudi2 modes need a Gaudi2 (device id 0x%x, not "
				"0x%x): run under hlsim vdev --config gaudi2_hl225\n",
			G2_DEVICE_ID, hw->device_id);
		exit(1);
	}
	return fd;
}

/* DRAM of @bytes through HL_MEM_OP_ALLOC + MAP: its device VA (*@handle its handle). */
static uint64_t g2_dram(int fd, uint64_t bytes, uint64_t *handle)
{
	union hl_mem_args mem;

	memset(&mem, 0, sizeof(mem));
	mem.in.op = HL_MEM_OP_ALLOC;
	mem.in.alloc.mem_size = bytes;
	if (ioctl(fd, HL_IOCTL_MEMORY, &mem)) {
		fprintf(stderr, "vdev_prog: ALLOC: %s\n", strerror(errno));
		exit(1);
	}
	*handle = mem.out.handle;
	memset(&mem, 0, sizeof(mem));
	mem.in.op = HL_MEM_OP_MAP;
	mem.in.map_device.handle = *handle;
	if (ioctl(fd, HL_IOCTL_MEMORY, &mem)) {
		fprintf(stderr, "vdev_prog: MAP of DRAM handle %llu: %s\n",
			(unsigned long long)*handle, strerror(errno));
		exit(1);
	}
	return mem.out.device_virt_addr;
}

static int g2_mem(int fd, uint32_t op, uint64_t arg)
{
	union hl_mem_args mem;

	memset(&mem, 0, sizeof(mem));
	mem.in.op = op;
	if (op == HL_MEM_OP_UNMAP)
		mem.in.unmap.device_virt_addr = arg;
	else
		mem.in.free.handle = arg;
	return ioctl(fd, HL_IOCTL_MEMORY, &mem);
}

/* What the driver answers a Gaudi2 program: INFO, memory, the CS checks. */
static int run_g2info(void)
{
	struct hl_info_hw_ip_info hw;
	struct hl_info_sync_manager sm, sm1;
	struct hl_info_hw_idle idle;
	struct hl_info_dram_usage du;
	struct hl_info_cs_counters csc;
	struct hl_info_clk_rate clk;
	struct hl_cs_chunk ch;
	union hl_wait_cs_args w;
	uint64_t handle, va, seq = 0, sig[1] = { 1 };
	struct hcb c;
	char buf[64];
	int fd;

	fd = g2_open(&hw, &sm);
	EXPECT(!strcmp((const char *)hw.card_name, "HL225"), "card %s", hw.card_name);
	EXPECT(hw.sram_base_address == 0x1000FFFFFD000000ull && hw.sram_size == 0x3000000u,
	       "sram 0x%llx + 0x%x", (unsigned long long)hw.sram_base_address, hw.sram_size);
	EXPECT(hw.dram_base_address == 0x1001001800000000ull, "dram base 0x%llx",
	       (unsigned long long)hw.dram_base_address);
	EXPECT(hw.dram_page_size == G2_DRAM_PAGE_BYTES &&
		       hw.device_mem_alloc_default_page_size == G2_DRAM_PAGE_BYTES &&
		       hw.dram_size == 127 * G2_DRAM_PAGE_BYTES,
	       "dram page 0x%llx, size 0x%llx", (unsigned long long)hw.dram_page_size,
	       (unsigned long long)hw.dram_size);
	EXPECT(hw.tpc_enabled_mask == 0xFF && hw.tpc_enabled_mask_ext == 0x1FFFFFFull &&
		       hw.edma_enabled_mask == 0xFF && hw.decoder_enabled_mask == 0x3FF &&
		       hw.mme_master_slave_mode == 1,
	       "masks tpc 0x%llx edma 0x%x dec 0x%x", (unsigned long long)hw.tpc_enabled_mask_ext,
	       hw.edma_enabled_mask, hw.decoder_enabled_mask);
	EXPECT(hw.first_available_interrupt_id == 257 && hw.number_of_user_interrupts == 255,
	       "user interrupts %u from %u", hw.number_of_user_interrupts,
	       hw.first_available_interrupt_id);
	EXPECT(sm.first_available_sync_object == 393 && sm.first_available_monitor == 229 &&
		       sm.first_available_cq == 2,
	       "dcore 0: SOB %u mon %u CQ %u", sm.first_available_sync_object,
	       sm.first_available_monitor, sm.first_available_cq);
	EXPECT(!info(fd, HL_IOCTL_INFO, HL_INFO_SYNC_MANAGER, 1, &sm1, sizeof(sm1)) &&
		       !sm1.first_available_sync_object && !sm1.first_available_monitor &&
		       !sm1.first_available_cq,
	       "dcore 1: SOB %u", sm1.first_available_sync_object);
	errno = 0;
	EXPECT(info(fd, HL_IOCTL_INFO, HL_INFO_SYNC_MANAGER, 4, &sm1, sizeof(sm1)) == -1 &&
		       errno == EINVAL,
	       "dcore 4: errno %d", errno);
	EXPECT(!info(fd, HL_IOCTL_INFO, HL_INFO_CLK_RATE, 0, &clk, sizeof(clk)) &&
		       clk.cur_clk_rate_mhz > 0,
	       "clk %u", clk.cur_clk_rate_mhz);
	EXPECT(!info(fd, HL_IOCTL_INFO, HL_INFO_HW_IDLE, 0, &idle, sizeof(idle)) && idle.is_idle,
	       "idle %u", idle.is_idle);
	/* DRAM: whole 768 MiB pages, counted; FREE of a mapped handle is refused */
	va = g2_dram(fd, 4096, &handle);
	EXPECT(va == hw.dram_base_address && handle, "DRAM VA 0x%llx handle %llu",
	       (unsigned long long)va, (unsigned long long)handle);
	EXPECT(!info(fd, HL_IOCTL_INFO, HL_INFO_DRAM_USAGE, 0, &du, sizeof(du)) &&
		       du.ctx_dram_mem == G2_DRAM_PAGE_BYTES &&
		       du.dram_free_mem == hw.dram_size - G2_DRAM_PAGE_BYTES,
	       "DRAM usage ctx 0x%llx free 0x%llx", (unsigned long long)du.ctx_dram_mem,
	       (unsigned long long)du.dram_free_mem);
	errno = 0;
	EXPECT(g2_mem(fd, HL_MEM_OP_FREE, handle) == -1 && errno == EINVAL,
	       "FREE while mapped: errno %d", errno);
	EXPECT(!g2_mem(fd, HL_MEM_OP_UNMAP, va) && !g2_mem(fd, HL_MEM_OP_FREE, handle),
	       "UNMAP + FREE: %s", strerror(errno));
	EXPECT(!info(fd, HL_IOCTL_INFO, HL_INFO_DRAM_USAGE, 0, &du, sizeof(du)) &&
		       du.ctx_dram_mem == 0,
	       "DRAM usage after FREE 0x%llx", (unsigned long long)du.ctx_dram_mem);
	/* a CB at an address in no user range: EFAULT, counted as a parsing drop */
	hcb_new(fd, &c, 4096);
	g2_msg(&c.w, g2_sm(0, sm.first_available_sync_object), 0, 0);
	ch = hcb_chunk(&c, GAUDI2_QUEUE_ID_PDMA_0_0);
	ch.cb_handle = 0x1000;
	errno = 0;
	EXPECT(submit_jobs(fd, &ch, 1, 0, &seq) == -1 && errno == EFAULT, "bad CB: errno %d",
	       errno);
	EXPECT(!info(fd, HL_IOCTL_INFO, HL_INFO_CS_COUNTERS, 0, &csc, sizeof(csc)) &&
		       csc.ctx_parsing_drop_cnt == 1,
	       "parsing drops %llu", (unsigned long long)csc.ctx_parsing_drop_cnt);
	/* the CPU queue is the driver's */
	ch = hcb_chunk(&c, GAUDI2_QUEUE_ID_CPU_PQ);
	errno = 0;
	EXPECT(submit_jobs(fd, &ch, 1, 0, &seq) == -1 && errno == EINVAL, "CPU queue: errno %d",
	       errno);
	/* a signal CS on a NIC queue: no sync stream there (g2signal runs the served ones) */
	memset(&ch, 0, sizeof(ch));
	ch.queue_index = GAUDI2_QUEUE_ID_NIC_0_0;
	errno = 0;
	EXPECT(submit_jobs(fd, &ch, 1, HL_CS_FLAGS_SIGNAL, &seq) == -1 && errno == EINVAL,
	       "signal CS on NIC_0_0: errno %d", errno);
	/* a CS on any H/W queue completes by itself: here on a rotator queue */
	ch = hcb_chunk(&c, GAUDI2_QUEUE_ID_ROT_1_2);
	EXPECT(!submit_jobs(fd, &ch, 1, 0, &seq) && seq == 1, "CS: %s, seq %llu", strerror(errno),
	       (unsigned long long)seq);
	EXPECT(!wait_cs(fd, seq, &w) && w.out.status == HL_WAIT_CS_STATUS_COMPLETED,
	       "WAIT_CS: %s, status %u", strerror(errno), w.out.status);
	/* the Gaudi2 driver supports neither staged submissions nor multi-CS waits: EPERM */
	errno = 0;
	EXPECT(submit_jobs(fd, &ch, 1, HL_CS_FLAGS_STAGED_SUBMISSION |
					      HL_CS_FLAGS_STAGED_SUBMISSION_FIRST, &seq) == -1 &&
		       errno == EPERM,
	       "staged CS: errno %d", errno);
	memset(&w, 0, sizeof(w));
	w.in.seq = (uint64_t)(uintptr_t)sig;
	w.in.seq_arr_len = 1;
	w.in.flags = HL_WAIT_CS_FLAGS_MULTI_CS;
	errno = 0;
	EXPECT(ioctl(fd, HL_IOCTL_WAIT_CS, &w) == -1 && errno == EPERM, "multi-CS wait: errno %d",
	       errno);
	EXPECT(read_attr("/sys/class/habanalabs/hl0/device_type", buf, sizeof(buf)) > 0 &&
		       !strcmp(buf, "GAUDI2\n"),
	       "device_type %s", buf);
	close(fd);
	free(c.w.p);
	return failures ? 1 : 0;
}

#define G2_DATA_BYTES (192u * 1024u)
#define G2_FILL_OFF 8192u
#define G2_FILL_BYTES 4096u

/*
 * One CS over three queues, listed consumer first so that only fences order them:
 *   PDMA_0_0: host src -> SRAM, then SOB s0 += 1 (EB: after the copy);
 *   DCORE0_EDMA_0_0: monitor (s0 >= 1 -> its fence 1), FENCE, SRAM -> DRAM, memset a part
 *     of the DRAM copy, then SOB s1 += 1 (EB);
 *   PDMA_1_0: monitor (s1 == 1 -> its fence 0), FENCE, DRAM -> host dst, then a monitor
 *     (s0 == 1 -> writes a magic word into host memory) and both SOBs back to 0 (EB).
 * Every byte of dst is checked.
 */
static int run_g2data(void)
{
	struct hl_info_hw_ip_info hw;
	struct hl_info_sync_manager sm;
	struct hl_cs_chunk ch[3];
	union hl_wait_cs_args w;
	struct hcb a, b, c;
	uint8_t *src, *dst;
	uint32_t *flag, s0, s1, m0, i, bad = 0;
	uint64_t dsrc, ddst, dflag, sram, dram, handle, seq = 0;
	int fd;

	fd = g2_open(&hw, &sm);
	s0 = sm.first_available_sync_object;
	s1 = s0 + 1;
	m0 = sm.first_available_monitor;
	src = aligned_alloc(4096, G2_DATA_BYTES);
	dst = aligned_alloc(4096, G2_DATA_BYTES);
	flag = aligned_alloc(4096, 4096);
	if (!src || !dst || !flag)
		return 1;
	for (i = 0; i < G2_DATA_BYTES; i++)
		src[i] = (uint8_t)(i * 7 + 3);
	memset(dst, 0, G2_DATA_BYTES);
	flag[0] = 0;
	dsrc = map_host(fd, src, G2_DATA_BYTES);
	ddst = map_host(fd, dst, G2_DATA_BYTES);
	dflag = map_host(fd, flag, 4096);
	sram = hw.sram_base_address + 0x10000;
	dram = g2_dram(fd, G2_DATA_BYTES, &handle);
	hcb_new(fd, &a, 4096);
	hcb_new(fd, &b, 4096);
	hcb_new(fd, &c, 4096);
	g2_lin_dma(&a.w, dsrc, sram, G2_DATA_BYTES, 0);
	g2_msg(&a.w, g2_sm(0, s0), SOB_ADD_ONE, 1);
	g2_monitor(&b.w, m0, s0, 0, 1, g2_fence(G2_DCORE0_EDMA0_QM, 0, 1), 1);
	put_fence(&b.w, 1, 1, 1);
	g2_lin_dma(&b.w, sram, dram, G2_DATA_BYTES, 0);
	g2_lin_dma(&b.w, FILL_VALUE, dram + G2_FILL_OFF, G2_FILL_BYTES, G2_LIN_DMA_MEMSET);
	g2_msg(&b.w, g2_sm(0, s1), SOB_ADD_ONE, 1);
	g2_monitor(&c.w, m0 + 1, s1, 1, 1, g2_fence(G2_PDMA0_QM + G2_PDMA_STRIDE, 0, 0), 1);
	put_fence(&c.w, 0, 1, 1);
	g2_lin_dma(&c.w, dram, ddst, G2_DATA_BYTES, 0);
	g2_monitor(&c.w, m0 + 2, s0, 1, 1, dflag, FLAG_MAGIC);
	g2_msg(&c.w, g2_sm(0, s0), SOB_SET(0), 1);
	g2_msg(&c.w, g2_sm(0, s1), SOB_SET(0), 1);
	ch[0] = hcb_chunk(&c, GAUDI2_QUEUE_ID_PDMA_1_0);
	ch[1] = hcb_chunk(&b, GAUDI2_QUEUE_ID_DCORE0_EDMA_0_0);
	ch[2] = hcb_chunk(&a, GAUDI2_QUEUE_ID_PDMA_0_0);
	EXPECT(!submit_jobs(fd, ch, 3, HL_CS_FLAGS_TIMESTAMP, &seq), "CS: %s", strerror(errno));
	EXPECT(!wait_cs(fd, seq, &w) && w.out.status == HL_WAIT_CS_STATUS_COMPLETED,
	       "WAIT_CS: %s, status %u", strerror(errno), w.out.status);
	for (i = 0; i < G2_DATA_BYTES; i++) {
		uint8_t want = i >= G2_FILL_OFF && i < G2_FILL_OFF + G2_FILL_BYTES ?
				       (uint8_t)(FILL_VALUE >> (8 * (i % 8))) :
				       (uint8_t)(i * 7 + 3);

		if (dst[i] != want && bad++ < 4)
			fprintf(stderr, "vdev_prog: dst[%u] = 0x%02x, want 0x%02x\n", i, dst[i],
				want);
	}
	EXPECT(!bad, "%u wrong bytes", bad);
	EXPECT(flag[0] == FLAG_MAGIC, "flag 0x%x", flag[0]);
	close(fd);
	free(src);
	free(dst);
	free(flag);
	free(a.w.p);
	free(b.w.p);
	free(c.w.p);
	return failures ? 1 : 0;
}

/*
 * NOP timing loop: CSs on PDMA_0_1 of n = 1000, 4000, 16000, 64000 NOPs (with TIMESTAMP):
 * each completes, and the simulated time from submission to completion grows with n: the
 * 48000 NOPs from 16000 to 64000 cost at least 3 times the 12000 from 4000 to 16000 (4
 * times if nothing but NOPs differed; wall-clock noise of the submissions is allowed for).
 * Each runs 3 times and the least time counts.
 */
static int run_g2nop(void)
{
	static const uint32_t counts[] = { 1000, 4000, 16000, 64000 };
	struct hl_info_hw_ip_info hw;
	struct hl_info_sync_manager sm;
	struct hl_cs_chunk ch;
	union hl_wait_cs_args w;
	int64_t dur[4], t0;
	uint32_t i, k;
	struct hcb c;
	int fd;

	fd = g2_open(&hw, &sm);
	hcb_new(fd, &c, 64000 * 8);
	for (k = 0; k < 4; k++) {
		uint64_t seq = 0;
		uint32_t r;

		c.w.n = 0;
		for (i = 0; i < counts[k]; i++) {
			uint32_t nop[2] = { 0, G2_PKT_NOP << PKT_OPCODE_SHIFT };

			put(&c.w, nop, sizeof(nop));
		}
		ch = hcb_chunk(&c, GAUDI2_QUEUE_ID_PDMA_0_1);
		/*
		 * The timestamp is the CS's completion on the wall clock, so the time from
		 * t0 holds the wall time to the submission too: the least of 3 runs, so that
		 * a preemption of this process does not count.
		 */
		dur[k] = INT64_MAX;
		for (r = 0; r < 3; r++) {
			t0 = mono_ns();
			EXPECT(!submit_jobs(fd, &ch, 1, HL_CS_FLAGS_TIMESTAMP, &seq), "CS %u: %s",
			       k, strerror(errno));
			EXPECT(!wait_cs(fd, seq, &w) &&
				       w.out.status == HL_WAIT_CS_STATUS_COMPLETED &&
				       (w.out.flags & HL_WAIT_CS_STATUS_FLAG_TIMESTAMP_VLD),
			       "WAIT_CS %u: %s, status %u", k, strerror(errno), w.out.status);
			if (w.out.timestamp_nsec - t0 < dur[k])
				dur[k] = w.out.timestamp_nsec - t0;
		}
		printf("vdev_prog g2nop: %u NOPs: %.3f us\n", counts[k], (double)dur[k] / 1e3);
	}
	/* the NOPs' cost: from 16000 to 64000 (48000 NOPs) against 1000 to 4000 (3000) */
	EXPECT(dur[3] > dur[2] && dur[2] > dur[1] && dur[1] >= dur[0], "durations not increasing");
	EXPECT((dur[3] - dur[2]) * 4 >= (dur[2] - dur[1]) * 4 * 3,
	       "64000 NOPs take %lld ns more than 16000, 16000 %lld more than 4000",
	       (long long)(dur[3] - dur[2]), (long long)(dur[2] - dur[1]));
	close(fd);
	free(c.w.p);
	return failures ? 1 : 0;
}

#define G2_ROUNDS 16u

/*
 * Ping-pong between PDMA_0_2 and DCORE0_EDMA_1_0 over two SOBs (listed pong first): in
 * round r (1..G2_ROUNDS) the ping queue gives SOB a += 1 then waits (monitor + FENCE) for
 * SOB b >= r; the pong queue waits for SOB a >= r then gives SOB b += 1. A final monitor
 * writes magic into host memory when SOB a == G2_ROUNDS. Each queue's job completes (on
 * Gaudi2 every queue completes its jobs), so COMPLETED means both ran every round.
 */
static int run_g2ping(void)
{
	struct hl_info_hw_ip_info hw;
	struct hl_info_sync_manager sm;
	struct hl_cs_chunk ch[2];
	union hl_wait_cs_args w;
	struct hcb ping, pong;
	uint32_t *flag, sa, sb, mp, mq, r;
	uint64_t dflag, seq = 0;
	int fd;

	fd = g2_open(&hw, &sm);
	sa = sm.first_available_sync_object + 8;
	sb = sa + 1;
	mp = sm.first_available_monitor + 4;
	mq = mp + 1;
	flag = aligned_alloc(4096, 4096);
	if (!flag)
		return 1;
	flag[0] = 0;
	dflag = map_host(fd, flag, 4096);
	hcb_new(fd, &ping, 16384);
	hcb_new(fd, &pong, 16384);
	for (r = 1; r <= G2_ROUNDS; r++) {
		g2_msg(&ping.w, g2_sm(0, sa), SOB_ADD_ONE, 0);
		g2_monitor(&ping.w, mp, sb, 0, r, g2_fence(G2_PDMA0_QM, 2, 3), 1);
		put_fence(&ping.w, 3, 1, 1);
		g2_monitor(&pong.w, mq, sa, 0, r, g2_fence(G2_DCORE0_EDMA0_QM + 0x10000, 0, 2), 1);
		put_fence(&pong.w, 2, 1, 1);
		g2_msg(&pong.w, g2_sm(0, sb), SOB_ADD_ONE, 0);
	}
	g2_monitor(&ping.w, mp, sa, 1, G2_ROUNDS, dflag, FLAG_MAGIC);
	g2_msg(&ping.w, g2_sm(0, sa), SOB_SET(0), 0);
	g2_msg(&ping.w, g2_sm(0, sb), SOB_SET(0), 0);
	ch[0] = hcb_chunk(&pong, GAUDI2_QUEUE_ID_DCORE0_EDMA_1_0);
	ch[1] = hcb_chunk(&ping, GAUDI2_QUEUE_ID_PDMA_0_2);
	EXPECT(!submit_jobs(fd, ch, 2, 0, &seq), "CS: %s", strerror(errno));
	EXPECT(!wait_cs(fd, seq, &w) && w.out.status == HL_WAIT_CS_STATUS_COMPLETED,
	       "WAIT_CS: %s, status %u", strerror(errno), w.out.status);
	EXPECT(flag[0] == FLAG_MAGIC, "flag 0x%x", flag[0]);
	close(fd);
	free(flag);
	free(ping.w.p);
	free(pong.w.p);
	return failures ? 1 : 0;
}

/*
 * A CS on PDMA_0_0 fencing on a SOB nothing increments: HW_IDLE busy with the bit of
 * GAUDI2_ENGINE_ID_PDMA_0 (45, so in busy_engines_mask_ext[0] only); WAIT_CS polls BUSY;
 * 63 more CSs on PDMA_0_1 complete, the 64th after it gets EAGAIN (64 CSs in flight at
 * most); then WAIT_CS times out; the queue serves the next CS; seq 1 is then GONE.
 */
static int run_g2stuck(void)
{
	struct hl_info_hw_ip_info hw;
	struct hl_info_sync_manager sm;
	struct hl_info_hw_idle idle;
	struct hl_cs_chunk ch;
	union hl_wait_cs_args w;
	uint64_t seq = 0, seq2 = 0;
	struct hcb c, d;
	uint32_t sob, i;
	int fd;

	fd = g2_open(&hw, &sm);
	sob = sm.first_available_sync_object + 5;
	hcb_new(fd, &c, 4096);
	hcb_new(fd, &d, 4096);
	g2_monitor(&c.w, sm.first_available_monitor, sob, 0, 1, g2_fence(G2_PDMA0_QM, 0, 1), 1);
	put_fence(&c.w, 1, 1, 1);
	ch = hcb_chunk(&c, GAUDI2_QUEUE_ID_PDMA_0_0);
	EXPECT(!submit_jobs(fd, &ch, 1, 0, &seq), "CS: %s", strerror(errno));
	EXPECT(!info(fd, HL_IOCTL_INFO, HL_INFO_HW_IDLE, 0, &idle, sizeof(idle)) && !idle.is_idle &&
		       idle.busy_engines_mask_ext[0] == 1ull << GAUDI2_ENGINE_ID_PDMA_0 &&
		       !idle.busy_engines_mask_ext[1] &&
		       idle.busy_engines_mask == (uint32_t)(1ull << GAUDI2_ENGINE_ID_PDMA_0),
	       "HW_IDLE while blocked: idle %u mask 0x%llx", idle.is_idle,
	       (unsigned long long)idle.busy_engines_mask_ext[0]);
	memset(&w, 0, sizeof(w));
	w.in.seq = seq;
	EXPECT(!ioctl(fd, HL_IOCTL_WAIT_CS, &w) && w.out.status == HL_WAIT_CS_STATUS_BUSY,
	       "poll: %s, status %u", strerror(errno), w.out.status);
	/* 64 CSs in flight at most (GAUDI2_MAX_PENDING_CS): CS 65 waits for CS 1's slot */
	g2_msg(&d.w, g2_sm(0, sob + 1), SOB_SET(0), 0);
	ch = hcb_chunk(&d, GAUDI2_QUEUE_ID_PDMA_0_1);
	for (i = 2; i <= 64; i++)
		EXPECT(!submit_jobs(fd, &ch, 1, 0, &seq2) && seq2 == i, "CS %u: %s", i,
		       strerror(errno));
	errno = 0;
	EXPECT(submit_jobs(fd, &ch, 1, 0, &seq2) == -1 && errno == EAGAIN,
	       "CS 65 with CS 1 pending: errno %d", errno);
	errno = 0;
	EXPECT(wait_cs(fd, seq, &w) == -1 && errno == ETIMEDOUT &&
		       w.out.status == HL_WAIT_CS_STATUS_TIMEDOUT,
	       "stuck CS: errno %d, status %u", errno, w.out.status);
	EXPECT(!info(fd, HL_IOCTL_INFO, HL_INFO_HW_IDLE, 0, &idle, sizeof(idle)) && idle.is_idle,
	       "HW_IDLE after the time-out: idle %u", idle.is_idle);
	d.w.n = 0;
	g2_msg(&d.w, g2_sm(0, sob), SOB_SET(0), 0);
	ch = hcb_chunk(&d, GAUDI2_QUEUE_ID_PDMA_0_0);
	EXPECT(!submit_jobs(fd, &ch, 1, 0, &seq2), "CS after the stuck one: %s", strerror(errno));
	EXPECT(seq2 == 65 && !wait_cs(fd, seq2, &w) &&
		       w.out.status == HL_WAIT_CS_STATUS_COMPLETED,
	       "CS after the stuck one: seq %llu, %s, status %u", (unsigned long long)seq2,
	       strerror(errno), w.out.status);
	/* seq 1 is now 64 CSs old: gone */
	EXPECT(!wait_cs(fd, 1, &w) && w.out.status == HL_WAIT_CS_STATUS_COMPLETED &&
		       (w.out.flags & HL_WAIT_CS_STATUS_FLAG_GONE),
	       "CS 1 after 64 more: %s, status %u flags 0x%x", strerror(errno), w.out.status,
	       w.out.flags);
	close(fd);
	free(c.w.p);
	free(d.w.p);
	return failures ? 1 : 0;
}

/*
 * Gaudi2 sync stream (6.1 gaudi2_set_fixed_properties): sync_stream_first_sob = first
 * monitor = 65; every queue below CPU_PQ but the NIC ones has it, numbered in queue order
 * (PDMA_0_1 is 1, PDMA_1_0 is 4), each owning DCORE0 SOBs 65 + 2 i, 65 + 2 i + 1 and
 * monitor 65 + i.
 */
#define G2_SS_SOB(i) (65u + 2u * (i))

/*
 * Signal and wait CSs on Gaudi2: a signal CS on PDMA_0_1 queued behind a CS that blocks
 * that queue on a user SOB, a wait CS on PDMA_1_0 for it, then on PDMA_1_0 a copy DRAM ->
 * host; last, PDMA_0_0 writes the data into DRAM and releases the user SOB. Every copied
 * byte is checked, so a wait that does not hold PDMA_1_0 until the signal ran fails. Then
 * the driver's answers: SOB offset 0 (gaudi2_get_sob_addr), the counts, a wait on a finished
 * signal, a reservation, the refusals.
 */
static int run_g2signal(void)
{
	struct hl_info_hw_ip_info hw;
	struct hl_info_sync_manager sm;
	struct hl_cs_chunk ch;
	union hl_wait_cs_args w;
	union hl_cs_args cs;
	struct hcb blk, up, down, rst;
	uint64_t seq1 = 0, seq2, seq3, seq4 = 0, seq5 = 0, sig, dsrc, ddst, dram, handle;
	uint8_t *src, *dst;
	uint32_t s, m, i, bad = 0;
	int64_t ts2;
	int fd;

	fd = g2_open(&hw, &sm);
	s = sm.first_available_sync_object;
	m = sm.first_available_monitor;
	src = aligned_alloc(4096, SYNC_BYTES);
	dst = aligned_alloc(4096, SYNC_BYTES);
	if (!src || !dst)
		return 1;
	for (i = 0; i < SYNC_BYTES; i++)
		src[i] = (uint8_t)(i * 29 + 7);
	memset(dst, 0, SYNC_BYTES);
	dsrc = map_host(fd, src, SYNC_BYTES);
	ddst = map_host(fd, dst, SYNC_BYTES);
	dram = g2_dram(fd, SYNC_BYTES, &handle);
	hcb_new(fd, &blk, 4096);
	hcb_new(fd, &up, 4096);
	hcb_new(fd, &down, 4096);
	hcb_new(fd, &rst, 4096);

	/* CS 1: PDMA_0_1 waits until user SOB s >= 1 */
	g2_monitor(&blk.w, m, s, 0, 1, g2_fence(G2_PDMA0_QM, 1, 0), 1);
	put_fence(&blk.w, 0, 1, 1);
	ch = hcb_chunk(&blk, GAUDI2_QUEUE_ID_PDMA_0_1);
	EXPECT(!submit_jobs(fd, &ch, 1, 0, &seq1), "blocking CS: %s", strerror(errno));
	/* CS 2: the signal, behind CS 1 on PDMA_0_1: the first signal of that queue */
	EXPECT(!sync_cs(fd, HL_CS_FLAGS_SIGNAL | HL_CS_FLAGS_TIMESTAMP, GAUDI2_QUEUE_ID_PDMA_0_1,
			NULL, 0, &cs),
	       "signal CS: %s", strerror(errno));
	seq2 = cs.out.seq;
	EXPECT(seq2 == seq1 + 1, "signal CS seq %llu after %llu", (unsigned long long)seq2,
	       (unsigned long long)seq1);
	EXPECT(cs.out.sob_base_addr_offset == 0 && cs.out.sob_count_before_submission == 1,
	       "signal CS on PDMA_0_1: SOB offset 0x%x (want 0: gaudi2_get_sob_addr), count %u "
	       "(want 1)",
	       cs.out.sob_base_addr_offset, cs.out.sob_count_before_submission);
	/* CS 3: PDMA_1_0 waits for the signal */
	sig = seq2;
	EXPECT(!sync_cs(fd, HL_CS_FLAGS_WAIT, GAUDI2_QUEUE_ID_PDMA_1_0, &sig, 1, &cs),
	       "wait CS: %s", strerror(errno));
	seq3 = cs.out.seq;
	EXPECT(seq3 == seq2 + 1, "wait CS seq %llu (want %llu: the signal is pending)",
	       (unsigned long long)seq3, (unsigned long long)(seq2 + 1));
	/* CS 4: PDMA_1_0, after the wait: DRAM -> dst */
	g2_lin_dma(&up.w, dram, ddst, SYNC_BYTES, 0);
	ch = hcb_chunk(&up, GAUDI2_QUEUE_ID_PDMA_1_0);
	EXPECT(!submit_jobs(fd, &ch, 1, 0, &seq4), "copy CS: %s", strerror(errno));
	/* CS 5: PDMA_0_0 writes src into DRAM, then releases CS 1 (and so the signal) */
	g2_lin_dma(&down.w, dsrc, dram, SYNC_BYTES, 0);
	g2_msg(&down.w, g2_sm(0, s), SOB_ADD_ONE, 1);
	ch = hcb_chunk(&down, GAUDI2_QUEUE_ID_PDMA_0_0);
	EXPECT(!submit_jobs(fd, &ch, 1, 0, &seq5), "releasing CS: %s", strerror(errno));

	EXPECT(!wait_cs(fd, seq4, &w) && w.out.status == HL_WAIT_CS_STATUS_COMPLETED,
	       "WAIT_CS on the copy after the wait CS: %s, status %u", strerror(errno),
	       w.out.status);
	for (i = 0; i < SYNC_BYTES; i++)
		if (dst[i] != src[i] && bad++ < 4)
			fprintf(stderr, "vdev_prog: byte %u is 0x%02x, expected 0x%02x\n", i,
				dst[i], src[i]);
	EXPECT(!bad, "%u wrong bytes: PDMA_1_0 passed the wait CS before the signal ran", bad);
	EXPECT(!wait_cs(fd, seq2, &w) && w.out.status == HL_WAIT_CS_STATUS_COMPLETED &&
		       (w.out.flags & HL_WAIT_CS_STATUS_FLAG_TIMESTAMP_VLD),
	       "WAIT_CS on the signal: %s, status %u, flags 0x%x", strerror(errno), w.out.status,
	       w.out.flags);
	ts2 = w.out.timestamp_nsec;
	EXPECT(!wait_cs(fd, seq3, &w) && w.out.status == HL_WAIT_CS_STATUS_COMPLETED,
	       "WAIT_CS on the wait CS: %s, status %u", strerror(errno), w.out.status);
	EXPECT(!wait_cs(fd, seq5, &w) && w.out.status == HL_WAIT_CS_STATUS_COMPLETED,
	       "WAIT_CS on the releasing CS: %s, status %u", strerror(errno), w.out.status);

	/* a wait CS on a signal that has completed: the driver submits nothing */
	sleep_past(ts2);
	EXPECT(!sync_cs(fd, HL_CS_FLAGS_WAIT, GAUDI2_QUEUE_ID_PDMA_1_0, &sig, 1, &cs) &&
		       cs.out.seq == SEQ_NONE && cs.out.status == HL_CS_STATUS_SUCCESS,
	       "wait CS on a finished signal: %s, seq 0x%llx", strerror(errno),
	       (unsigned long long)cs.out.seq);
	/* the next signal on PDMA_0_1 brings the same SOB to 2 */
	EXPECT(!sync_cs(fd, HL_CS_FLAGS_SIGNAL, GAUDI2_QUEUE_ID_PDMA_0_1, NULL, 0, &cs) &&
		       cs.out.sob_count_before_submission == 2 && cs.out.sob_base_addr_offset == 0,
	       "second signal: %s, count %u, SOB offset 0x%x", strerror(errno),
	       cs.out.sob_count_before_submission, cs.out.sob_base_addr_offset);
	/* a signal on a rotator queue (sync-stream queue 163) */
	EXPECT(!sync_cs(fd, HL_CS_FLAGS_SIGNAL, GAUDI2_QUEUE_ID_ROT_1_3, NULL, 0, &cs) &&
		       cs.out.sob_count_before_submission == 1,
	       "signal on ROT_1_3: %s, count %u", strerror(errno),
	       cs.out.sob_count_before_submission);
	/* a reservation of 3 signals after the 2 of PDMA_0_1: values 3..5, given back */
	EXPECT(!reserve(fd, HL_CS_FLAGS_RESERVE_SIGNALS_ONLY, GAUDI2_QUEUE_ID_PDMA_0_1, 3, 0,
			&cs) &&
		       cs.out.handle_id == 1 && cs.out.count == 6 &&
		       cs.out.sob_base_addr_offset == 0,
	       "reserve 3: %s, handle %u, count %u, SOB offset 0x%x", strerror(errno),
	       cs.out.handle_id, cs.out.count, cs.out.sob_base_addr_offset);
	EXPECT(!reserve(fd, HL_CS_FLAGS_UNRESERVE_SIGNALS_ONLY, 0, 0, 1, &cs) &&
		       cs.out.seq == SEQ_NONE,
	       "unreserve: %s, seq 0x%llx", strerror(errno), (unsigned long long)cs.out.seq);

	/* the driver's errors */
	errno = 0;
	EXPECT(sync_cs(fd, HL_CS_FLAGS_SIGNAL, GAUDI2_QUEUE_ID_NIC_3_1, NULL, 0, &cs) == -1 &&
		       errno == EINVAL && cs.out.seq == SEQ_NONE,
	       "signal on a NIC queue: errno %d, seq 0x%llx", errno,
	       (unsigned long long)cs.out.seq);
	errno = 0;
	EXPECT(sync_cs(fd, HL_CS_FLAGS_WAIT, GAUDI2_QUEUE_ID_CPU_PQ, &sig, 1, &cs) == -1 &&
		       errno == EINVAL,
	       "wait on the CPU queue: errno %d", errno);
	errno = 0;
	EXPECT(sync_cs(fd, HL_CS_FLAGS_WAIT, GAUDI2_QUEUE_ID_PDMA_1_0, &sig, 2, &cs) == -1 &&
		       errno == EINVAL,
	       "wait CS on two signals: errno %d", errno);
	sig = seq1;
	errno = 0;
	EXPECT(sync_cs(fd, HL_CS_FLAGS_WAIT, GAUDI2_QUEUE_ID_PDMA_1_0, &sig, 1, &cs) == -1 &&
		       errno == EINVAL,
	       "wait CS on a CS that is no signal: errno %d", errno);

	/* user SOB s back to 0 */
	g2_msg(&rst.w, g2_sm(0, s), SOB_SET(0), 0);
	ch = hcb_chunk(&rst, GAUDI2_QUEUE_ID_PDMA_0_0);
	EXPECT(!submit_jobs(fd, &ch, 1, 0, &seq5) && !wait_cs(fd, seq5, &w) &&
		       w.out.status == HL_WAIT_CS_STATUS_COMPLETED,
	       "SOB reset CS: %s", strerror(errno));
	printf("vdev_prog g2signal: %u bytes copied by PDMA_1_0 after its wait CS on the signal "
	       "of PDMA_0_1 (SOB DCORE0[%u]) checked\n",
	       SYNC_BYTES, G2_SS_SOB(1));
	close(fd);
	free(src);
	free(dst);
	free(blk.w.p);
	free(up.w.p);
	free(down.w.p);
	free(rst.w.p);
	return failures ? 1 : 0;
}

/*
 * A submission-heavy loop (tests/perf/bench_capture.c): N CSs of one NOP on DMA_0_0, each
 * waited for, timed on CLOCK_MONOTONIC from the first submission to the last wait. Each
 * asks for its completion timestamp (test_vdev_cosim checks them against the replay).
 */
static int run_loop(const char *count)
{
	uint32_t nop[2] = { 0, PKT_NOP << PKT_OPCODE_SHIFT | PKT_RB };
	union hl_wait_cs_args w;
	uint64_t handle = 0, seq = 0;
	unsigned long n, i;
	int64_t t0, t1;
	uint8_t *cb;
	char *end;
	int fd;

	n = strtoul(count, &end, 10);
	if (*end || !n || n > 10000000) {
		fprintf(stderr, "vdev_prog loop %s: expected 1..10000000 CSs\n", count);
		return 2;
	}
	fd = open("/dev/hl0", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "vdev_prog: open /dev/hl0: %s\n", strerror(errno));
		return 1;
	}
	EXPECT(!cb_op(fd, HL_CB_OP_CREATE, 4096, &handle, NULL), "CB create: %s", strerror(errno));
	cb = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)handle);
	if (cb == MAP_FAILED) {
		fprintf(stderr, "vdev_prog: mmap of the CB: %s\n", strerror(errno));
		close(fd);
		return 1;
	}
	memcpy(cb, nop, sizeof(nop));
	t0 = mono_ns();
	for (i = 0; i < n && !failures; i++) {
		EXPECT(!submit(fd, handle, GAUDI_QUEUE_ID_DMA_0_0, sizeof(nop),
			       HL_CS_FLAGS_TIMESTAMP, &seq),
		       "CS %lu: %s", i, strerror(errno));
		EXPECT(!failures && !wait_cs(fd, seq, &w) &&
			       w.out.status == HL_WAIT_CS_STATUS_COMPLETED &&
			       (w.out.flags & HL_WAIT_CS_STATUS_FLAG_TIMESTAMP_VLD),
		       "WAIT_CS %llu: %s", (unsigned long long)seq, strerror(errno));
	}
	t1 = mono_ns();
	printf("vdev_prog loop: %lu CSs in %.3f ms: %.3f us per submission and wait\n", i,
	       (double)(t1 - t0) / 1e6, (double)(t1 - t0) / 1e3 / (double)(i ? i : 1));
	munmap(cb, 4096);
	close(fd);
	return failures ? 1 : 0;
}

/*
 * A program that replaces its image after using the device: one NOP CS and its wait, then
 * exec of `vdev_prog main` (with /dev/hl0 still open: the new image opens it again). Each
 * image's trace must be complete (the library closes the first before the exec).
 */
static int run_exec(void)
{
	uint32_t nop[2] = { 0, PKT_NOP << PKT_OPCODE_SHIFT | PKT_RB };
	union hl_wait_cs_args w;
	uint64_t handle = 0, seq = 0;
	char self[PATH_MAX];
	ssize_t n;
	void *cb;
	int fd;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return 1;
	self[n] = '\0';
	fd = open("/dev/hl0", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "vdev_prog: open /dev/hl0: %s\n", strerror(errno));
		return 1;
	}
	EXPECT(!cb_op(fd, HL_CB_OP_CREATE, 4096, &handle, NULL), "CB create: %s", strerror(errno));
	cb = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)handle);
	if (cb == MAP_FAILED)
		return 1;
	memcpy(cb, nop, sizeof(nop));
	EXPECT(!submit(fd, handle, GAUDI_QUEUE_ID_DMA_0_0, sizeof(nop), HL_CS_FLAGS_TIMESTAMP,
		       &seq) &&
		       !wait_cs(fd, seq, &w),
	       "CS: %s", strerror(errno));
	if (failures)
		return 1;
	printf("vdev_prog exec: one CS done, now exec of vdev_prog main\n");
	fflush(stdout);
	execl(self, self, "main", (char *)NULL);
	fprintf(stderr, "vdev_prog: exec of %s: %s\n", self, strerror(errno));
	return 1;
}

/*
 * One compute context per device across processes (hl_device_open): with /dev/hl0 open
 * here, another process's open gets EBUSY; once it is closed, the other process can open.
 */
static int run_busy(void)
{
	char self[PATH_MAX], cmd[PATH_MAX + 64];
	ssize_t n;
	int fd, st;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return 1;
	self[n] = '\0';
	snprintf(cmd, sizeof(cmd), "'%s' main", self);
	fd = open("/dev/hl0", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "vdev_prog: open /dev/hl0: %s\n", strerror(errno));
		return 1;
	}
	fflush(stdout);
	st = system(cmd);
	EXPECT(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) != 0,
	       "vdev_prog main in another process opened /dev/hl0 while it was open here");
	close(fd);
	fflush(stdout);
	st = system(cmd);
	EXPECT(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	       "vdev_prog main failed after /dev/hl0 was closed here (status 0x%x)", st);
	return failures ? 1 : 0;
}

#define THREADS 8
#define THREAD_ITERS 40
#define THREAD_BUF_BYTES 16384u

/** struct thr - one submitting thread of `vdev_prog threads`. */
struct thr {
	int fd, index;
	uint32_t bad; /* its failed checks (EXPECT's counter is not shared between threads) */
	uint64_t seqs[THREAD_ITERS];
	pthread_t tid;
};

/*
 * One thread: its own host buffer (mapped USERPTR) and kernel CB; each iteration memsets
 * the buffer with a value of its own through an external queue of its own, waits for the
 * CS, and checks every byte.
 */
static void *thread_main(void *arg)
{
	struct thr *t = arg;
	uint32_t queue = t->index < 4 ? GAUDI_QUEUE_ID_DMA_0_0 + (uint32_t)t->index
				      : GAUDI_QUEUE_ID_DMA_1_0 + (uint32_t)t->index - 4;
	union hl_wait_cs_args w;
	struct hl_cs_chunk ch;
	struct kcb k;
	uint64_t dbuf, value;
	uint8_t *buf;
	uint32_t i, b;

	buf = aligned_alloc(4096, THREAD_BUF_BYTES);
	if (!buf) {
		t->bad++;
		return NULL;
	}
	dbuf = map_host(t->fd, buf, THREAD_BUF_BYTES);
	kcb_new(t->fd, &k, 4096);
	for (i = 0; i < THREAD_ITERS; i++) {
		value = 0x0101010101010101ull * (uint64_t)((t->index * THREAD_ITERS + i) % 251 + 1);
		memset(buf, 0, THREAD_BUF_BYTES);
		k.w.n = 0;
		put_lin_dma(&k.w, value, dbuf, THREAD_BUF_BYTES, PKT_LIN_DMA_MEMSET);
		ch = (struct hl_cs_chunk){ .cb_handle = k.handle, .queue_index = queue,
					   .cb_size = (uint32_t)k.w.n };
		if (submit_jobs(t->fd, &ch, 1, HL_CS_FLAGS_TIMESTAMP, &t->seqs[i]) ||
		    wait_cs(t->fd, t->seqs[i], &w) || w.out.status != HL_WAIT_CS_STATUS_COMPLETED) {
			fprintf(stderr, "vdev_prog: thread %d, CS %u: %s\n", t->index, i,
				strerror(errno));
			t->bad++;
			continue;
		}
		for (b = 0; b < THREAD_BUF_BYTES && buf[b] == (uint8_t)value; b++)
			;
		if (b != THREAD_BUF_BYTES) {
			fprintf(stderr, "vdev_prog: thread %d, CS %u: byte %u is 0x%02x, expected "
					"0x%02x\n",
				t->index, i, b, buf[b], (uint8_t)value);
			t->bad++;
		}
	}
	{
		union hl_mem_args mem;

		memset(&mem, 0, sizeof(mem));
		mem.in.op = HL_MEM_OP_UNMAP;
		mem.in.unmap.device_virt_addr = dbuf;
		if (ioctl(t->fd, HL_IOCTL_MEMORY, &mem))
			t->bad++;
	}
	munmap(k.w.p, 4096);
	if (cb_op(t->fd, HL_CB_OP_DESTROY, 0, &k.handle, NULL))
		t->bad++;
	free(buf);
	return NULL;
}

/*
 * THREADS threads share one open of /dev/hl0 and submit at the same time (issue 8: thread
 * safety): every CS must get its own seq, every wait complete, every memset land in its own
 * thread's buffer.
 */
static int run_threads(void)
{
	struct thr t[THREADS];
	uint64_t all[THREADS * THREAD_ITERS];
	int fd, i, j, n = 0, dup_seqs = 0;

	fd = open("/dev/hl0", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "vdev_prog: open /dev/hl0: %s\n", strerror(errno));
		return 1;
	}
	for (i = 0; i < THREADS; i++) {
		t[i] = (struct thr){ .fd = fd, .index = i };
		EXPECT(!pthread_create(&t[i].tid, NULL, thread_main, &t[i]), "thread %d", i);
	}
	for (i = 0; i < THREADS; i++) {
		pthread_join(t[i].tid, NULL);
		failures += (int)t[i].bad;
		for (j = 0; j < THREAD_ITERS; j++)
			all[n++] = t[i].seqs[j];
	}
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			dup_seqs += all[i] == all[j];
	EXPECT(!dup_seqs, "%d seqs given twice", dup_seqs);
	printf("vdev_prog threads: %d threads x %d CSs, each memset checked\n", THREADS,
	       THREAD_ITERS);
	close(fd);
	return failures ? 1 : 0;
}

/*
 * The accel node (/dev/accel/accel0, kernel 6.3 and later) with its DRM numbers only: a
 * CB created and mapped, two NOP CSs with timestamps, each waited for.
 */
static int run_accel(void)
{
	uint32_t nop[2] = { 0, PKT_NOP << PKT_OPCODE_SHIFT | PKT_RB };
	struct hl_cs_chunk chunk;
	union hl_wait_cs_args w;
	union hl_cs_args cs;
	union hl_cb_args cb;
	void *p;
	int fd, i;

	fd = open("/dev/accel/accel0", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "vdev_prog: open /dev/accel/accel0: %s\n", strerror(errno));
		return 1;
	}
	memset(&cb, 0, sizeof(cb));
	cb.in.op = HL_CB_OP_CREATE;
	cb.in.cb_size = 4096;
	EXPECT(!ioctl(fd, ACCEL_IOCTL_CB, &cb), "CB create: %s", strerror(errno));
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)cb.out.cb_handle);
	EXPECT(p != MAP_FAILED, "mmap of the CB: %s", strerror(errno));
	if (p == MAP_FAILED) {
		close(fd);
		return 1;
	}
	memcpy(p, nop, sizeof(nop));
	for (i = 0; i < 2; i++) {
		memset(&chunk, 0, sizeof(chunk));
		chunk.cb_handle = cb.out.cb_handle;
		chunk.queue_index = GAUDI_QUEUE_ID_DMA_0_0;
		chunk.cb_size = sizeof(nop);
		memset(&cs, 0, sizeof(cs));
		cs.in.chunks_execute = (uint64_t)(uintptr_t)&chunk;
		cs.in.num_chunks_execute = 1;
		cs.in.cs_flags = HL_CS_FLAGS_TIMESTAMP;
		EXPECT(!ioctl(fd, ACCEL_IOCTL_CS, &cs) && cs.out.seq == (uint64_t)i + 1,
		       "CS %d: %s", i, strerror(errno));
		memset(&w, 0, sizeof(w));
		w.in.seq = cs.out.seq;
		w.in.timeout_us = 1000000;
		EXPECT(!ioctl(fd, ACCEL_IOCTL_WAIT_CS, &w) &&
			       w.out.status == HL_WAIT_CS_STATUS_COMPLETED &&
			       (w.out.flags & HL_WAIT_CS_STATUS_FLAG_TIMESTAMP_VLD),
		       "WAIT_CS %d: %s, status %u", i, strerror(errno), w.out.status);
	}
	/* the misc driver's numbers are not the accel node's */
	errno = 0;
	EXPECT(ioctl(fd, HL_IOCTL_CS, &cs) == -1 && errno == ENOTTY, "misc CS on accel: errno %d",
	       errno);
	munmap(p, 4096);
	cb.in.op = HL_CB_OP_DESTROY;
	cb.in.cb_handle = cb.out.cb_handle;
	EXPECT(!ioctl(fd, ACCEL_IOCTL_CB, &cb), "CB destroy: %s", strerror(errno));
	close(fd);
	return failures ? 1 : 0;
}

/*
 * Every call through libc's syscall() by number, as some runtimes do: open, device
 * info, a CB created, mapped and filled with a NOP, a CS with a timestamp and its wait,
 * a dup'ed descriptor closed, the CB unmapped and destroyed, the node closed.
 */
static int run_syscall(void)
{
	uint32_t nop[2] = { 0, PKT_NOP << PKT_OPCODE_SHIFT | PKT_RB };
	struct hl_info_hw_ip_info hw;
	struct hl_info_args ia;
	struct hl_cs_chunk chunk;
	union hl_wait_cs_args w;
	union hl_cs_args cs;
	union hl_cb_args cb;
	long fd, fd2;
	void *p;

	fd = syscall(SYS_openat, AT_FDCWD, "/dev/hl0", O_RDWR | O_CLOEXEC, 0);
	if (fd < 0) {
		fprintf(stderr, "vdev_prog: syscall(SYS_openat, /dev/hl0): %s\n", strerror(errno));
		return 1;
	}
	memset(&hw, 0, sizeof(hw));
	memset(&ia, 0, sizeof(ia));
	ia.op = HL_INFO_HW_IP_INFO;
	ia.return_pointer = (uint64_t)(uintptr_t)&hw;
	ia.return_size = sizeof(hw);
	EXPECT(!syscall(SYS_ioctl, fd, HL_IOCTL_INFO, &ia) && hw.device_id,
	       "HW_IP_INFO: %s, device id 0x%x", strerror(errno), hw.device_id);
	memset(&cb, 0, sizeof(cb));
	cb.in.op = HL_CB_OP_CREATE;
	cb.in.cb_size = 4096;
	EXPECT(!syscall(SYS_ioctl, fd, HL_IOCTL_CB, &cb), "CB create: %s", strerror(errno));
	p = (void *)syscall(SYS_mmap, NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
			    (long)cb.out.cb_handle);
	EXPECT(p != MAP_FAILED, "mmap of the CB: %s", strerror(errno));
	if (p == MAP_FAILED) {
		syscall(SYS_close, fd);
		return 1;
	}
	memcpy(p, nop, sizeof(nop));
	memset(&chunk, 0, sizeof(chunk));
	chunk.cb_handle = cb.out.cb_handle;
	chunk.queue_index = GAUDI_QUEUE_ID_DMA_0_0;
	chunk.cb_size = sizeof(nop);
	memset(&cs, 0, sizeof(cs));
	cs.in.chunks_execute = (uint64_t)(uintptr_t)&chunk;
	cs.in.num_chunks_execute = 1;
	cs.in.cs_flags = HL_CS_FLAGS_TIMESTAMP;
	EXPECT(!syscall(SYS_ioctl, fd, HL_IOCTL_CS, &cs) && cs.out.seq == 1, "CS: %s",
	       strerror(errno));
	memset(&w, 0, sizeof(w));
	w.in.seq = cs.out.seq;
	w.in.timeout_us = 1000000;
	EXPECT(!syscall(SYS_ioctl, fd, HL_IOCTL_WAIT_CS, &w) &&
		       w.out.status == HL_WAIT_CS_STATUS_COMPLETED &&
		       (w.out.flags & HL_WAIT_CS_STATUS_FLAG_TIMESTAMP_VLD),
	       "WAIT_CS: %s, status %u", strerror(errno), w.out.status);
	/* an unknown ioctl on the node: ENOTTY, as from the driver */
	EXPECT(syscall(SYS_ioctl, fd, _IOWR('H', 0x3f, struct hl_info_args), &ia) == -1 &&
		       errno == ENOTTY,
	       "unknown ioctl: %s", strerror(errno));
	fd2 = syscall(SYS_dup, fd);
	EXPECT(fd2 >= 0 && !syscall(SYS_ioctl, fd2, HL_IOCTL_INFO, &ia),
	       "ioctl on a dup: %s", strerror(errno));
	EXPECT(!syscall(SYS_close, fd2), "close of the dup: %s", strerror(errno));
	EXPECT(!syscall(SYS_munmap, p, 4096), "munmap: %s", strerror(errno));
	cb.in.op = HL_CB_OP_DESTROY;
	cb.in.cb_handle = cb.out.cb_handle;
	EXPECT(!syscall(SYS_ioctl, fd, HL_IOCTL_CB, &cb), "CB destroy: %s", strerror(errno));
	EXPECT(!syscall(SYS_close, fd), "close: %s", strerror(errno));
	return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc >= 2 ? argv[1] : "main";
	int rc;

	if (argc > 3 || (argc == 3 && strcmp(mode, "pace") && strcmp(mode, "loop")) ||
	    (argc == 2 && !strcmp(mode, "loop"))) {
		fprintf(stderr, "usage: vdev_prog [errors|data|stuck|oom|sysfs|devices|signal|"
				"staged|multi|mstuck|encaps|pace [real]|g2info|g2data|g2nop|g2ping|"
				"g2stuck|g2signal|syscall|accel|threads|busy|exec|loop N]\n");
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
	else if (!strcmp(mode, "g2info"))
		rc = run_g2info();
	else if (!strcmp(mode, "g2data"))
		rc = run_g2data();
	else if (!strcmp(mode, "g2nop"))
		rc = run_g2nop();
	else if (!strcmp(mode, "g2ping"))
		rc = run_g2ping();
	else if (!strcmp(mode, "g2stuck"))
		rc = run_g2stuck();
	else if (!strcmp(mode, "g2signal"))
		rc = run_g2signal();
	else if (!strcmp(mode, "loop"))
		rc = run_loop(argv[2]);
	else if (!strcmp(mode, "syscall"))
		rc = run_syscall();
	else if (!strcmp(mode, "accel"))
		rc = run_accel();
	else if (!strcmp(mode, "threads"))
		rc = run_threads();
	else if (!strcmp(mode, "busy"))
		rc = run_busy();
	else if (!strcmp(mode, "exec"))
		rc = run_exec();
	else {
		fprintf(stderr, "usage: vdev_prog [errors|data|stuck|oom|sysfs|devices|signal|"
				"staged|multi|mstuck|encaps|pace [real]|g2info|g2data|g2nop|g2ping|"
				"g2stuck|g2signal|syscall|accel|threads|busy|exec|loop N]\n");
		return 2;
	}
	printf("vdev_prog %s: %s (%d failed checks)\n", mode, rc ? "FAIL" : "ok", failures);
	return rc;
}
