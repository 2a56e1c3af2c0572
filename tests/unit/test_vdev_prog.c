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

int main(int argc, char **argv)
{
	int rc;

	if (argc > 2 || (argc == 2 && strcmp(argv[1], "errors"))) {
		fprintf(stderr, "usage: vdev_prog [errors]\n");
		return 2;
	}
	rc = argc == 2 ? run_errors() : run_main();
	printf("vdev_prog %s: %s (%d failed checks)\n", argc == 2 ? "errors" : "main",
	       rc ? "FAIL" : "ok", failures);
	return rc;
}
