/*
 * traces/interposer/vdev.c - a virtual Gaudi (or Gaudi2) behind the habanalabs uapi, for
 * libhlsim_preload.so (`hlsim vdev`).
 *
 * Each open of a device node gets a real file descriptor: a memfd that also holds the CB
 * memory of that file, so mmap of a CB handle returns real shared pages. The ioctls are
 * answered as the 6.1 driver does (GAUDI-FACTS.md section 1), dispatching on the ioctl
 * number of the node's ABI (misc 'H' 0x01..0x06, accel DRM 0x40..0x45) and honouring the
 * size the caller encoded (copy what was passed, zero the rest, copy back as much).
 *
 * Each compute context owns an executor (vexec.c) that runs every CS functionally when it
 * is submitted and estimates its completion time; WAIT_CS answers from it (and, with
 * HLSIM_VDEV_PACE=real, waits for that time). HLSIM_VDEV_DEVICES gives several devices
 * (minors). Every CS, its jobs with the CB bytes snapshotted at submit, the CBs the
 * executor fetched from device memory, every WAIT_CS and every USERPTR host map are
 * appended to the trace named by HLSIM_VDEV_TRACE (trace format v1), which `hlsim run`
 * replays. The sysfs files are vsysfs.c's.
 *
 * The ASIC is the configuration's (asic.name gaudi or gaudi2); what the driver answers
 * differently per ASIC is in struct vdev_drv (and the model's function table): Gaudi2 has
 * H/W queues only, CBs by device address, no packet parsing, DRAM handles behind the DMMU.
 *
 * Locking: one recursive mutex guards everything (HDF5, called under it, calls open,
 * close and mmap, which come back through the interposer).
 */
#undef _FORTIFY_SOURCE
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <misc/habanalabs.h>

#include "hlsim/cmd.h"
#include "hlsim/config.h"
#include "hlsim/trace.h"
#include "models/common/asic.h"
#include "traces/interposer/vcosim.h"
#include "traces/interposer/vdev.h"
#include "traces/interposer/vexec.h"

/* Host pages and the 6.0+ memory manager's handle encoding (GAUDI-FACTS 1.3). */
#define VDEV_PAGE_SHIFT 12
#define VDEV_PAGE_BYTES (1ull << VDEV_PAGE_SHIFT)
#define VDEV_MMAP_TYPE_MASK (0x1Full << 59) /* handle bits 63:59 */
#define VDEV_MMAP_TYPE_CB (0x2ull << 59) /* HL_MMAP_TYPE_CB << PAGE_SHIFT */
#define VDEV_MAX_CB_ID ((1u << 20) - 1) /* bound on the CB table of one file */

/*
 * Default bound on the simulated SRAM + DRAM the executor allocates (pages on first
 * write): a host-memory guard of this implementation, not a device fact.
 */
#define VDEV_MEM_MAX_DEFAULT_BYTES (4ull << 30)
/*
 * Most devices `--devices` gives: a bound of this implementation (each has its own
 * executor and trace record), not a hardware fact; 8 is one HLS-1 box (box.cards).
 */
#define VDEV_MAX_DEVICES 8u

/* ioctl numbers of the accel (DRM) driver: DRM_COMMAND_BASE + 0x00..0x05 (GAUDI-FACTS 1.1). */
#define VDEV_DRM_COMMAND_BASE 0x40u

/* Gaudi facts the driver reports (GAUDI-FACTS 1.2; gaudi.c gaudi_set_fixed_properties). */
#define VDEV_GAUDI_DRAM_PAGE_BYTES (2ull << 20) /* PAGE_SIZE_2MB, also the default alloc page */
#define VDEV_GAUDI_MAX_PENDING_CS 16384u /* GAUDI_MAX_PENDING_CS: older seqs are "gone" */
/*
 * first_available_user_sob/mon[HL_GAUDI_WS_DCORE]: sync_stream_first_sob
 * (ALIGN(NUMBER_OF_SOBS_IN_GRP 11, 8) * QMAN_STREAMS 4 * HL_RSVD_SOBS 2 = 128) plus
 * 8 external queues * HL_RSVD_SOBS = 144; sync_stream_first_mon (12 collective queues * 4
 * streams + 8 external queues * 2 = 64) plus 8 * HL_RSVD_MONS 1 = 72. No CQ is given to
 * users (first_available_cq = USHRT_MAX) on any dcore. The other dcores keep 0.
 */
#define VDEV_GAUDI_FIRST_USER_SOB_WS 144u
#define VDEV_GAUDI_FIRST_USER_MON_WS 72u
#define VDEV_GAUDI_FIRST_CQ 0xFFFFu

/*
 * Sync stream (signal and wait CSs) as the 6.1 driver sets it up for Gaudi (common/hw_queue.c
 * sync_stream_queue_init, gaudi.c gaudi_set_fixed_properties): only the queues with
 * supports_sync_stream, on Gaudi the external ones (DMA_0_x, DMA_1_x), numbered 0..7 in
 * queue order; queue i owns W_S SOBs sync_stream_first_sob + 2 i and + 2 i + 1
 * (HL_RSVD_SOBS; one in use at a time, the other after HL_MAX_SOB_VAL signals) and W_S
 * monitor sync_stream_first_mon + i (HL_RSVD_MONS) for its wait CSs.
 */
#define VDEV_SS_FIRST_SOB 128u /* sync_stream_first_sob (see VDEV_GAUDI_FIRST_USER_SOB_WS) */
#define VDEV_SS_FIRST_MON 64u /* sync_stream_first_mon (see VDEV_GAUDI_FIRST_USER_MON_WS) */
#define VDEV_SS_QUEUES 8u /* queues with supports_sync_stream on Gaudi */

/*
 * Gaudi2 facts the 6.1 driver reports (drivers/misc/habanalabs/gaudi2/gaudi2.c
 * gaudi2_set_fixed_properties, gaudi2_set_dram_properties; gaudi2P.h):
 * - DRAM page: GAUDI2_COMPENSATE_TLB_PAGE_SIZE_FACTOR 16 x num_functional_hbms 6 x 8 MiB =
 *   768 MiB (also device_mem_alloc_default_page_size); the driver keeps the first page
 *   (dram_user_base_address = DRAM_PHYS_BASE + dram_page_size), so HW_IP_INFO's dram_size
 *   is (96 GiB - 768 MiB) rounded down to pages; dram_base_address is dmmu.start_addr
 *   (the model's props->dram_base). [I] 6 functional HBMs: no binning (a binned card has 5).
 * - GAUDI2_MAX_PENDING_CS 64; GAUDI2_RESERVED_SOBS = GAUDI2_RESERVED_MONITORS = 64 + 1
 *   (one per pending CS, one for the KDMA); every queue but the NIC ones supports sync
 *   stream (260 - 96 = 164 queues), each with HL_RSVD_SOBS 2 and HL_RSVD_MONS 1, so the
 *   first user SOB of dcore 0 is 65 + 164 x 2 = 393 and the first user monitor
 *   65 + 164 = 229; first_available_cq[0] = GAUDI2_RESERVED_CQ_NUMBER 2. The other dcores
 *   keep 0 (only index 0 is set).
 * - Enabled masks with no binning [I] (firmware binning would clear bits): TPC 25 bits
 *   (HW_CAP_TPC_MASK, 24 TPCs + the PCI TPC), EDMA GAUDI2_EDMA_FULL_MASK 0xFF, decoders
 *   NUMBER_OF_DEC 10 bits; mme_master_slave_mode 1.
 * - User interrupts: GAUDI2_NUM_USER_INTERRUPTS 255, the first GAUDI2_IRQ_NUM_USER_FIRST =
 *   GAUDI2_MSIX_ENTRIES - 255 = 257 [I] (GAUDI2_MSIX_ENTRIES 512, from gaudi2_fw_if.h as
 *   remembered, not re-read).
 */
#define VDEV_GAUDI2_DRAM_PAGE_BYTES (16ull * 6 * (8ull << 20))
#define VDEV_GAUDI2_MAX_PENDING_CS 64u
#define VDEV_GAUDI2_FIRST_USER_SOB 393u
#define VDEV_GAUDI2_FIRST_USER_MON 229u
#define VDEV_GAUDI2_FIRST_CQ 2u
#define VDEV_GAUDI2_TPC_MASK 0x1FFFFFFull
#define VDEV_GAUDI2_EDMA_MASK 0xFFu
#define VDEV_GAUDI2_DEC_MASK 0x3FFu
#define VDEV_GAUDI2_USER_IRQS 255u
#define VDEV_GAUDI2_FIRST_USER_IRQ 257u
/*
 * Gaudi2 sync stream (6.1 gaudi2_set_fixed_properties, hw_queue.c sync_stream_queue_init):
 * sync_stream_first_sob = GAUDI2_RESERVED_SOBS 65, sync_stream_first_mon =
 * GAUDI2_RESERVED_MONITORS 65; supports_sync_stream on every queue below CPU_PQ but the NIC
 * ones (164), numbered in queue order (PDMA_0_0 = 0 ... DCORE3_TPC_5_3 = 155, ROT_0_0 = 156
 * ... ROT_1_3 = 163), each with HL_RSVD_SOBS SOBs and HL_RSVD_MONS monitor of DCORE0's sync
 * manager (all the driver's SOB and monitor accesses are mmDCORE0_SYNC_MNGR_OBJS_*).
 */
#define VDEV_GAUDI2_SS_FIRST_SOB 65u
#define VDEV_GAUDI2_SS_FIRST_MON 65u
#define VDEV_GAUDI2_SS_QUEUES 164u

/**
 * struct vdev_drv - what the 6.1 driver sets per ASIC that the virtual device answers with.
 * @gaudi2: Gaudi2 rules: H/W queues only (every job completes, its cb_handle is a device
 *          address), no user-CB parsing, DRAM behind the DMMU, the driver's signal / wait
 *          CBs of gaudi2_gen_signal_cb / gaudi2_gen_wait_cb on DCORE0's sync manager.
 * @dram_page_bytes: prop->dram_page_size (= device_mem_alloc_default_page_size).
 * @dram_kmd_bytes: the driver's part of DRAM in front of the user part (HW_IP_INFO).
 * @max_pending_cs: prop->max_pending_cs.
 * @first_sob, @first_mon: first user SOB / monitor of dcore @sm_dcore (others: 0).
 * @first_cq: first_available_cq of dcore @sm_dcore; @first_cq_all: of every dcore.
 * @max_power_mw: hdev->max_power before firmware reports one (sysfs max_power).
 * @ss_first_sob, @ss_first_mon: prop->sync_stream_first_sob / _mon.
 * @ss_queues: queues with supports_sync_stream.
 * @ss_sob_addr: whether hw_sob->sob_addr (get_sob_addr) is the SOB's offset from CFG_BASE
 *               (Gaudi); gaudi2_get_sob_addr returns 0, so a Gaudi2 program gets 0 in
 *               out.sob_base_addr_offset.
 */
struct vdev_drv {
	uint8_t gaudi2;
	uint64_t dram_page_bytes, dram_kmd_bytes;
	uint32_t max_pending_cs;
	uint32_t sm_dcore, first_sob, first_mon, first_cq, first_cq_all;
	uint32_t max_power_mw;
	/* hdev->supports_staged_submission, ->supports_wait_for_multi_cs (*_sw_init) */
	uint8_t staged, multi_cs;
	uint32_t ss_first_sob, ss_first_mon, ss_queues;
	uint8_t ss_sob_addr;
};

static const struct vdev_drv vdev_drv_gaudi = {
	.dram_page_bytes = VDEV_GAUDI_DRAM_PAGE_BYTES,
	.max_pending_cs = VDEV_GAUDI_MAX_PENDING_CS,
	.sm_dcore = HL_GAUDI_WS_DCORE,
	.first_sob = VDEV_GAUDI_FIRST_USER_SOB_WS,
	.first_mon = VDEV_GAUDI_FIRST_USER_MON_WS,
	.first_cq = VDEV_GAUDI_FIRST_CQ,
	.first_cq_all = VDEV_GAUDI_FIRST_CQ,
	/*
	 * MAX_POWER_DEFAULT_PMC (350 W, in mW) of the driver's gaudiP.h, the value an HL-205
	 * mezzanine card starts with (the PCI card's is 200 W).
	 */
	.max_power_mw = 350000,
	.staged = 1,
	.multi_cs = 1,
	.ss_first_sob = VDEV_SS_FIRST_SOB,
	.ss_first_mon = VDEV_SS_FIRST_MON,
	.ss_queues = VDEV_SS_QUEUES,
	.ss_sob_addr = 1,
};

static const struct vdev_drv vdev_drv_gaudi2 = {
	.gaudi2 = 1,
	.dram_page_bytes = VDEV_GAUDI2_DRAM_PAGE_BYTES,
	.dram_kmd_bytes = VDEV_GAUDI2_DRAM_PAGE_BYTES,
	.max_pending_cs = VDEV_GAUDI2_MAX_PENDING_CS,
	.sm_dcore = 0,
	.first_sob = VDEV_GAUDI2_FIRST_USER_SOB,
	.first_mon = VDEV_GAUDI2_FIRST_USER_MON,
	.first_cq = VDEV_GAUDI2_FIRST_CQ,
	.first_cq_all = 0,
	/*
	 * gaudi2P.h has no MAX_POWER_DEFAULT (only DC_POWER_DEFAULT 60 W): the Gaudi2 driver
	 * takes max_power_default from the firmware's cpucp_info [I, as remembered], which a
	 * device without firmware leaves zeroed, so it prints 0, as for the other firmware data.
	 */
	.max_power_mw = 0,
	.ss_first_sob = VDEV_GAUDI2_SS_FIRST_SOB,
	.ss_first_mon = VDEV_GAUDI2_SS_FIRST_MON,
	.ss_queues = VDEV_GAUDI2_SS_QUEUES,
};
/* [I] inferred: HL_MAX_DCORES of the 6.1 driver, bounding SYNC_MANAGER dcore_id (Gaudi: 4). */
#define VDEV_MAX_DCORES 4u

/*
 * The CS type flags (HL_CS_FLAGS_TYPE_MASK of the 6.1 driver: at most one may be set) and
 * those the virtual device does not emulate: collective waits (NIC collectives; there is no
 * NIC traffic here) and engine-core commands (Gaudi2 engine cores).
 */
#define VDEV_CS_TYPE_FLAGS                                                                 \
	(HL_CS_FLAGS_SIGNAL | HL_CS_FLAGS_WAIT | HL_CS_FLAGS_COLLECTIVE_WAIT |             \
	 HL_CS_FLAGS_RESERVE_SIGNALS_ONLY | HL_CS_FLAGS_UNRESERVE_SIGNALS_ONLY |           \
	 HL_CS_FLAGS_ENGINE_CORE_COMMAND)
#define VDEV_CS_UNSERVED_FLAGS (HL_CS_FLAGS_COLLECTIVE_WAIT | HL_CS_FLAGS_ENGINE_CORE_COMMAND)
#define VDEV_SEQ_NONE UINT64_MAX /* ULLONG_MAX: hl_cs_out.seq of a CS that was not submitted */

/* Sync stream of both ASICs (see VDEV_SS_FIRST_SOB and VDEV_GAUDI2_SS_FIRST_SOB). */
#define VDEV_SS_RSVD_SOBS 2u /* HL_RSVD_SOBS */
#define VDEV_SS_RSVD_MONS 1u /* HL_RSVD_MONS */
#define VDEV_SS_QUEUES_MAX VDEV_GAUDI2_SS_QUEUES /* the most of both */
#define VDEV_MAX_SOB_VAL (1u << 15) /* HL_MAX_SOB_VAL */
/* the fence of the driver's wait CB (gaudi_add_fence_pkt, gaudi2_add_fence_pkt) */
#define VDEV_SS_FENCE_ID 2u
#define VDEV_SS_CB_BYTES 64u /* room for the driver's signal / wait CB (at most 48 bytes) */

/*
 * WAIT_CS flags: INTERRUPT (waits on user interrupts, which the virtual device does not
 * raise) is not served; MULTI_CS is.
 */
#define VDEV_WAIT_UNSERVED_FLAGS HL_WAIT_CS_FLAGS_INTERRUPT

/** struct vcb - one kernel-allocated CB of a file. @id 0: free slot. */
struct vcb {
	uint32_t id;
	uint32_t size; /* max(cb_size, page): the driver's cb->size */
	uint64_t alloc_bytes; /* size rounded up to pages: the only accepted mmap length */
	uint64_t store_off; /* offset of its bytes in the file's memfd */
	uintptr_t map_addr; /* user mapping, while @map_left > 0 */
	uint64_t map_left; /* bytes of the mapping not unmapped yet */
	uint8_t destroyed;
};

/** struct vmap - one HL_MEM_OP_MAP with HL_MEM_USERPTR. */
struct vmap {
	uint64_t device_va; /* first byte the device sees (page VA + host offset) */
	uint64_t va_bytes; /* pages of device VA taken from the page-aligned start */
	uint64_t host_va, size;
	int64_t map_ns;
};

/**
 * struct vdram - one device-memory allocation of a file (Gaudi2: HL_MEM_OP_ALLOC handle).
 * @handle: the driver's handle (0: free slot).
 * @bytes: the size rounded up to DRAM pages.
 * @va: its DMMU virtual address while mapped (0: not mapped).
 */
struct vdram {
	uint64_t handle, bytes, va;
};

/** enum vcs_type - the driver's CS types served (enum hl_cs_type). */
enum vcs_type { VCS_DEFAULT = 0, VCS_SIGNAL, VCS_WAIT };

/**
 * struct vcs - what WAIT_CS and the sync stream need of one CS (ring indexed by seq % max
 * pending).
 * @seq: the CS this entry holds (0: none).
 * @staged_first: a part of a staged submission: the seq of the chain's first CS (the first
 *                holds its own seq); 0 for other CSs.
 * @staged_last: a chain's first CS: the seq of its LAST part, 0 until it is submitted.
 * @flags: the CS's cs_flags (HL_CS_FLAGS_TIMESTAMP).
 * @sob_val, @sob_id: signal CS: the W_S SOB it increments and the value it brings it to;
 *                    wait CS: the SOB and value its monitor waits for.
 * @type: enum vcs_type.
 * @chain_failed: a chain's first CS: the chain was declared timed out (no later parts).
 */
struct vcs {
	uint64_t seq;
	uint64_t staged_first, staged_last;
	uint32_t flags;
	uint32_t sob_val;
	uint16_t sob_id;
	uint8_t type;
	uint8_t chain_failed;
};

/**
 * struct vsig - one reservation of encapsulated signals (hl_cs_encaps_sig_handle).
 * @id: the handle (from 1); 0: a free slot.
 * @count: signals reserved; @pre_sob_val: the SOB value of the first of them.
 * @sob_id: the W_S SOB they are on; @ssi: the queue's sync-stream index.
 * @cs_seq: the staged CS that holds the signals (ENCAP_SIGNALS FIRST part), 0 until one does.
 */
struct vsig {
	uint32_t id, count, pre_sob_val;
	uint16_t sob_id;
	uint8_t ssi;
	uint64_t cs_seq;
};

/**
 * struct vss - the driver's sync-stream state of one queue (hl_sync_stream_properties).
 * @next_sob_val: the value the next signal brings the current SOB to (from 1).
 * @curr: which of the queue's two SOBs is in use.
 * @used: whether each SOB was ever signalled (it needs a reset before it is reused).
 */
struct vss {
	uint32_t next_sob_val;
	uint8_t curr;
	uint8_t used[VDEV_SS_RSVD_SOBS];
};

/** struct vcs_drops - CSs refused, as the driver counts them (HL_INFO_CS_COUNTERS). */
struct vcs_drops {
	uint64_t out_of_mem, validation, parsing;
};

/** struct vfile - one open file description of a node, shared by its dup aliases. */
struct vfile {
	int refs; /* fds pointing at it */
	enum trc_vdev_node_kind kind;
	unsigned int minor;
	int control;
	struct vcb *cbs; /* index id - 1 */
	uint32_t ncbs;
	uint64_t store_bytes;
	uint32_t live_maps; /* CBs with a user mapping */
	struct vmap *maps;
	uint32_t nmaps, cap_maps;
	uint64_t next_va;
	struct vdram *dram; /* Gaudi2 device-memory allocations */
	uint32_t ndram, cap_dram;
	uint64_t next_dram_handle, next_dram_va;
	uint64_t last_seq;
	struct vcs *ring; /* g_dev.drv->max_pending_cs entries */
	uint64_t ctx_dram_bytes;
	struct vcs_drops drops; /* of this context */
	uint8_t *scratch; /* CB snapshot buffer */
	size_t scratch_cap;
	struct trc_vx *vx; /* compute file: the executing device (vexec.c) */
	uint64_t row_base; /* trace CS rows recorded before this file's first CS */
	uint64_t img_addr, img_blob; /* last memory image recorded (to skip repeats) */
	struct trc_vx_job *vxjobs; /* one CS's jobs, HL_MAX_JOBS_PER_CS * 2 */
	uint8_t *csbuf; /* the external CBs of one CS, back to back */
	size_t csbuf_cap;
	struct vss ss[VDEV_SS_QUEUES_MAX]; /* sync stream of the context's queues */
	struct vsig *sigs; /* reservations of encapsulated signals */
	uint32_t nsigs;
};

static pthread_mutex_t g_lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
static struct vfile **g_fds;
static int g_fds_cap;
static int g_nvirt; /* fds pointing at virtual files (read without the lock as a hint) */
static int g_nmapped; /* live CB mappings over all files (idem) */

/** struct vminor - the state of one device (minor) of the virtual machine. */
struct vminor {
	int compute_open; /* a compute file exists: the single user context */
	uint64_t dram_used_bytes;
	uint64_t open_counter; /* successful compute opens */
	int64_t open_ns; /* CLOCK_MONOTONIC of the current compute open */
	uint64_t last_open_period_ms; /* length of the last closed compute session */
	struct vcs_drops drops; /* all contexts */
	struct trc_vx *vx; /* the compute context's executor, while it is open */
	uint64_t cs_rows; /* CSs recorded in the trace for this device */
	int lock_fd_p1; /* the device's lock file, + 1 (0: none), while the compute file is open */
};

/** The devices: set up on the first open. */
static struct {
	int state; /* 0 not yet, 1 ready, -1 failed */
	const struct mdl_asic_funcs *f;
	const struct mdl_asic_props *p;
	const struct vdev_drv *drv; /* the driver's per-ASIC answers */
	uint32_t clock_mhz;
	int64_t t0_raw_ns; /* origin of the device timestamp counters */
	unsigned int ndev; /* minors 0..ndev-1 (HLSIM_VDEV_DEVICES) */
	struct vminor m[VDEV_MAX_DEVICES];
	hlsim_config_t *cfg; /* kept for the executor's timing parameters */
	uint64_t mem_max_bytes; /* bound on simulated SRAM + DRAM pages (HLSIM_VDEV_MEM_MAX) */
	int pace_real; /* HLSIM_VDEV_PACE=real: WAIT_CS keeps the simulated pace */
} g_dev;

/** The trace: created on the first open when HLSIM_VDEV_TRACE is set. */
static struct {
	int state; /* 0 not yet, 1 recording, 2 finished or failed */
	pid_t pid; /* the process that created it: only it may close it */
	hlsim_trace_writer_t *w;
	struct hlsim_trace_job *jobs;
	uint32_t jobs_cap;
} g_tr;

static int64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Copies from and to the program's memory that fail with -EFAULT like copy_*_user. */
int trc_vdev_uread(void *dst, uint64_t src, size_t n)
{
	struct iovec l = { dst, n }, r = { (void *)(uintptr_t)src, n };

	if (!n)
		return 0;
	if (!src)
		return -EFAULT;
	if (process_vm_readv(getpid(), &l, 1, &r, 1, 0) == (ssize_t)n)
		return 0;
	if (errno == ENOSYS || errno == EPERM) {
		memcpy(dst, (const void *)(uintptr_t)src, n); /* no checked copy available */
		return 0;
	}
	return -EFAULT;
}

int trc_vdev_uwrite(uint64_t dst, const void *src, size_t n)
{
	struct iovec l = { (void *)src, n }, r = { (void *)(uintptr_t)dst, n };

	if (!n)
		return 0;
	if (!dst)
		return -EFAULT;
	if (process_vm_writev(getpid(), &l, 1, &r, 1, 0) == (ssize_t)n)
		return 0;
	if (errno == ENOSYS || errno == EPERM) {
		memcpy((void *)(uintptr_t)dst, src, n);
		return 0;
	}
	return -EFAULT;
}

static void warn_once(int *done, const char *msg)
{
	if (!*done) {
		*done = 1;
		fprintf(stderr, "hlsim vdev: %s\n", msg);
	}
}

/* ===== trace ===== */

static void trace_fail(const char *what, hlsim_err_t rc)
{
	const char *d = hlsim_last_error_detail();

	fprintf(stderr, "hlsim vdev: %s: %s; the trace stops here (the program goes on)\n", what,
		d && d[0] ? d : hlsim_strerror(rc));
	hlsim_trace_writer_close(g_tr.w);
	g_tr.w = NULL;
	g_tr.state = 2;
	trc_vcosim_stop("the trace stopped");
}

/* Record a blob of device @dev (once per content) and give it to the co-simulation. */
static hlsim_err_t trace_blob(uint32_t dev, const void *bytes, uint32_t size, uint64_t *id)
{
	hlsim_err_t rc = hlsim_trace_add_blob(g_tr.w, dev, bytes, size, id);

	if (!rc)
		trc_vcosim_blob(dev, *id, bytes, size);
	return rc;
}

/* The user part of DRAM that HW_IP_INFO and DRAM_USAGE report: rounded down to pages. */
static uint64_t user_dram_bytes(void)
{
	const struct vdev_drv *d = g_dev.drv;
	uint64_t avail = g_dev.p->dram_size_bytes - d->dram_kmd_bytes;

	return avail / d->dram_page_bytes * d->dram_page_bytes;
}

static void fill_hw_ip(struct hl_info_hw_ip_info *hw)
{
	const struct mdl_asic_props *p = g_dev.p;
	const struct vdev_drv *d = g_dev.drv;
	uint32_t ntpc = p->engines_per_class[MDL_ENGINE_TPC];

	memset(hw, 0, sizeof(*hw));
	hw->sram_base_address = p->sram_base;
	hw->sram_size = (uint32_t)p->sram_size_bytes;
	hw->dram_base_address = p->dram_base;
	/* the user part rounded down to DRAM pages, as hw_ip_info() does */
	hw->dram_size = user_dram_bytes();
	hw->num_of_events = 0; /* the virtual device has no firmware event queue */
	hw->device_id = p->pci_device_id;
	hw->module_id = 0;
	hw->server_type = 0; /* HL_SERVER_TYPE_UNKNOWN: the driver's value until firmware says */
	/* psoc_pci_pll_*: 0, as the driver leaves them when firmware reports the PLLs */
	hw->tpc_enabled_mask = (uint8_t)(ntpc >= 8 ? 0xFF : (1u << ntpc) - 1);
	hw->dram_enabled = 1;
	hw->security_enabled = 0;
	snprintf((char *)hw->cpucp_version, sizeof(hw->cpucp_version),
		 "hlsim virtual device %s (no firmware)", HLSIM_VERSION_STRING);
	snprintf((char *)hw->card_name, sizeof(hw->card_name), "%s", p->card_name);
	hw->dram_page_size = d->dram_page_bytes;
	hw->device_mem_alloc_default_page_size = d->dram_page_bytes;
	/* prop->tpc_enabled_mask, whose low byte is tpc_enabled_mask */
	hw->tpc_enabled_mask_ext = d->gaudi2 ? VDEV_GAUDI2_TPC_MASK : hw->tpc_enabled_mask;
	if (d->gaudi2) {
		hw->edma_enabled_mask = VDEV_GAUDI2_EDMA_MASK;
		hw->decoder_enabled_mask = VDEV_GAUDI2_DEC_MASK;
		hw->mme_master_slave_mode = 1;
		hw->first_available_interrupt_id = VDEV_GAUDI2_FIRST_USER_IRQ;
		hw->number_of_user_interrupts = VDEV_GAUDI2_USER_IRQS;
	}
}

/*
 * The trace file of this process into @out (PATH_MAX bytes). With HLSIM_VDEV_TRACE_EACH=1
 * (`hlsim vdev`, which removes the traces of an earlier run first): @path for the first
 * process of the run that uses a device, and for each later one (a test suite runs many
 * programs; a launcher starts one per device) the first free name of "<base>.1.h5",
 * "<base>.2.h5", ... beside it, so that no process overwrites another's trace; the name is
 * taken by creating the file exclusively. Without it, @path itself (one program, the file
 * replaced). Returns 0, or -1 with errno.
 */
static int trace_path(const char *path, char *out)
{
	size_t n = strlen(path);
	int fd, k;

	if (n >= PATH_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(out, path, n + 1);
	if (!getenv("HLSIM_VDEV_TRACE_EACH") || strcmp(getenv("HLSIM_VDEV_TRACE_EACH"), "1"))
		return 0;
	if (n > 3 && !strcmp(path + n - 3, ".h5"))
		n -= 3;
	for (k = 0; k < 10000; k++) {
		if (k && snprintf(out, PATH_MAX, "%.*s.%d.h5", (int)n, path, k) >= PATH_MAX) {
			errno = ENAMETOOLONG;
			return -1;
		}
		fd = trc_vdev_real()->open(out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd >= 0) {
			trc_vdev_real()->close(fd);
			return 0;
		}
		if (errno != EEXIST)
			return -1;
	}
	errno = EEXIST;
	return -1;
}

static void trace_start(void)
{
	const char *env = getenv("HLSIM_VDEV_TRACE");
	char path[PATH_MAX];
	struct hl_info_hw_ip_info hw;
	struct hlsim_trace_device d;
	uint32_t dev, i;
	hlsim_err_t rc;

	if (g_tr.state)
		return;
	g_tr.state = 2;
	if (!env || !*env)
		return;
	if (trace_path(env, path)) {
		fprintf(stderr, "hlsim vdev: cannot create a trace beside %s: %s; this process is "
				"not recorded (it goes on)\n",
			env, strerror(errno));
		return;
	}
	rc = hlsim_trace_create(path, "hlsim vdev (LD_PRELOAD virtual device)", &g_tr.w);
	if (rc) {
		trace_fail("cannot create the trace", rc);
		return;
	}
	g_tr.state = 1;
	g_tr.pid = getpid();
	fill_hw_ip(&hw);
	memset(&d, 0, sizeof(d));
	snprintf(d.asic, sizeof(d.asic), "%s", g_dev.p->asic_name);
	memcpy(d.card_name, hw.card_name, sizeof(d.card_name));
	d.card_name[sizeof(d.card_name) - 1] = '\0';
	memcpy(d.cpucp_version, hw.cpucp_version, sizeof(d.cpucp_version));
	d.cpucp_version[sizeof(d.cpucp_version) - 1] = '\0';
	d.sram_base_address = hw.sram_base_address;
	d.dram_base_address = hw.dram_base_address;
	d.dram_size = hw.dram_size;
	d.dram_page_size = hw.dram_page_size;
	d.device_mem_alloc_default_page_size = hw.device_mem_alloc_default_page_size;
	d.sram_size = hw.sram_size;
	d.device_id = hw.device_id;
	d.tpc_enabled_mask = hw.tpc_enabled_mask;
	d.dram_enabled = hw.dram_enabled;
	d.cur_clk_rate_mhz = g_dev.clock_mhz;
	d.max_clk_rate_mhz = g_dev.clock_mhz;
	d.clock_monotonic_ns = clock_ns(CLOCK_MONOTONIC);
	d.clock_monotonic_raw_ns = clock_ns(CLOCK_MONOTONIC_RAW);
	d.time_sync_host_time_ns = (uint64_t)d.clock_monotonic_raw_ns;
	d.time_sync_device_time = (uint64_t)(d.clock_monotonic_raw_ns - g_dev.t0_raw_ns);
	for (i = 0; i < g_dev.ndev; i++) { /* trace device i is minor i */
		rc = hlsim_trace_add_device(g_tr.w, &d, &dev);
		if (!rc && dev != i)
			rc = hlsim_error(HLSIM_E_TRACE_FORMAT, "device %u recorded as %u", i, dev);
		if (rc) {
			trace_fail("cannot record the device", rc);
			return;
		}
	}
	/* After HDF5's own atexit handler, so that this one runs first. */
	atexit(trc_vdev_finish);
	trc_vcosim_start(g_dev.ndev, path);
}

static void trace_host_map(uint32_t dev, const struct vmap *m, int64_t unmap_ns)
{
	struct hlsim_trace_host_map hm = { .device_va = m->device_va,
					   .host_va = m->host_va,
					   .size = m->size,
					   .map_ns = m->map_ns,
					   .unmap_ns = unmap_ns };
	hlsim_err_t rc;

	if (g_tr.state != 1)
		return;
	rc = hlsim_trace_add_host_map(g_tr.w, dev, &hm);
	if (rc)
		trace_fail("cannot record a host map", rc);
}

int trc_vdev_before_exec(void)
{
	if (__atomic_load_n(&g_tr.state, __ATOMIC_RELAXED) != 1 || g_tr.pid != getpid())
		return 0;
	trc_vdev_finish();
	return 1;
}

void trc_vdev_finish(void)
{
	hlsim_err_t rc;
	int fd;

	pthread_mutex_lock(&g_lock);
	if (g_tr.state == 1 && g_tr.pid == getpid()) {
		/* Host maps still in place at exit. */
		for (fd = 0; fd < g_fds_cap && g_tr.state == 1; fd++) {
			struct vfile *vf = g_fds[fd];
			uint32_t i;
			int seen = 0, k;

			if (!vf)
				continue;
			for (k = 0; k < fd; k++)
				seen |= g_fds[k] == vf;
			for (i = 0; !seen && i < vf->nmaps && g_tr.state == 1; i++)
				trace_host_map(vf->minor, &vf->maps[i], INT64_MAX);
		}
		if (g_tr.state == 1) {
			rc = hlsim_trace_writer_close(g_tr.w);
			g_tr.w = NULL;
			if (rc)
				fprintf(stderr, "hlsim vdev: closing the trace: %s\n",
					hlsim_last_error_detail());
		}
		g_tr.state = 2;
		trc_vcosim_stop(NULL);
	}
	pthread_mutex_unlock(&g_lock);
}

/* ===== device and files ===== */

static int device_setup(void)
{
	const char *cfg_name = getenv("HLSIM_VDEV_CONFIG"), *env;
	hlsim_config_t *cfg = NULL;
	char *end;
	hlsim_err_t rc;

	if (g_dev.state)
		return g_dev.state > 0 ? 0 : -ENODEV;
	g_dev.state = -1;
	rc = hlsim_config_load(cfg_name && *cfg_name ? cfg_name : NULL, &cfg);
	if (!rc)
		rc = mdl_asic_by_name(hlsim_config_str(cfg, "asic.name"), &g_dev.f);
	if (rc) {
		fprintf(stderr, "hlsim vdev: configuration %s: %s\n", cfg_name ? cfg_name : "(default)",
			hlsim_last_error_detail());
		hlsim_config_free(cfg);
		return -ENODEV;
	}
	g_dev.p = g_dev.f->props;
	if (!strcmp(g_dev.p->asic_name, "gaudi")) {
		g_dev.drv = &vdev_drv_gaudi;
	} else if (!strcmp(g_dev.p->asic_name, "gaudi2")) {
		g_dev.drv = &vdev_drv_gaudi2;
	} else {
		fprintf(stderr, "hlsim vdev: the virtual device models gaudi and gaudi2, not %s\n",
			g_dev.p->asic_name);
		hlsim_config_free(cfg);
		return -ENODEV;
	}
	g_dev.clock_mhz = (uint32_t)(hlsim_config_f64(cfg, "asic.clock") / 1e6 + 0.5);
	g_dev.cfg = cfg;
	g_dev.mem_max_bytes = VDEV_MEM_MAX_DEFAULT_BYTES;
	env = getenv("HLSIM_VDEV_MEM_MAX");
	if (env && *env) {
		errno = 0;
		g_dev.mem_max_bytes = strtoull(env, &end, 10);
		if (errno || *end || !g_dev.mem_max_bytes) {
			fprintf(stderr, "hlsim vdev: HLSIM_VDEV_MEM_MAX=%s: expected a positive "
					"number of bytes\n", env);
			goto fail;
		}
	}
	env = getenv("HLSIM_VDEV_PACE");
	if (env && *env && strcmp(env, "none") && strcmp(env, "real")) {
		fprintf(stderr, "hlsim vdev: HLSIM_VDEV_PACE=%s: expected none or real\n", env);
		goto fail;
	}
	g_dev.pace_real = env && !strcmp(env, "real");
	env = getenv("HLSIM_VDEV_DEVICES");
	g_dev.ndev = 1;
	if (env && *env) {
		errno = 0;
		g_dev.ndev = (unsigned int)strtoul(env, &end, 10);
		if (errno || *end || !g_dev.ndev || g_dev.ndev > VDEV_MAX_DEVICES) {
			fprintf(stderr, "hlsim vdev: HLSIM_VDEV_DEVICES=%s: expected 1..%u\n", env,
				VDEV_MAX_DEVICES);
			goto fail;
		}
	}
	g_dev.t0_raw_ns = clock_ns(CLOCK_MONOTONIC_RAW);
	g_dev.state = 1;
	return 0;
fail:
	hlsim_config_free(cfg);
	g_dev.cfg = NULL;
	return -ENODEV;
}

enum trc_vdev_node_kind trc_vdev_match_path(const char *path, unsigned int *minor)
{
	static const struct {
		const char *prefix;
		enum trc_vdev_node_kind kind;
	} nodes[] = {
		{ "/dev/hl_controlD", TRC_VDEV_NODE_MISC_CONTROL },
		{ "/dev/hl", TRC_VDEV_NODE_MISC },
		{ "/dev/accel/accel_controlD", TRC_VDEV_NODE_ACCEL_CONTROL },
		{ "/dev/accel/accel", TRC_VDEV_NODE_ACCEL },
	};
	size_t i, n;

	if (!path || strncmp(path, "/dev/", 5))
		return TRC_VDEV_NODE_NONE;
	for (i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++) {
		const char *s;
		unsigned int v = 0;

		n = strlen(nodes[i].prefix);
		if (strncmp(path, nodes[i].prefix, n))
			continue;
		s = path + n;
		if (s[0] < '0' || s[0] > '9' || (s[0] == '0' && s[1]) || strlen(s) > 3)
			return TRC_VDEV_NODE_NONE;
		for (; *s; s++) {
			if (*s < '0' || *s > '9')
				return TRC_VDEV_NODE_NONE;
			v = v * 10 + (unsigned int)(*s - '0');
		}
		*minor = v;
		return nodes[i].kind;
	}
	return TRC_VDEV_NODE_NONE;
}

static struct vfile *lookup(int fd)
{
	return fd >= 0 && fd < g_fds_cap ? g_fds[fd] : NULL;
}

static int set_fd(int fd, struct vfile *vf)
{
	if (fd >= g_fds_cap) {
		int cap = g_fds_cap ? g_fds_cap : 64;
		struct vfile **n;

		while (cap <= fd)
			cap *= 2;
		n = realloc(g_fds, (size_t)cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		memset(n + g_fds_cap, 0, (size_t)(cap - g_fds_cap) * sizeof(*n));
		g_fds = n;
		g_fds_cap = cap;
	}
	if (g_fds[fd]) /* a stale entry (the fd was closed behind our back): drop it */
		trc_vdev_closed(fd);
	g_fds[fd] = vf;
	vf->refs++;
	__atomic_add_fetch(&g_nvirt, 1, __ATOMIC_RELAXED);
	return 0;
}

/*
 * One compute context per device across the program's processes too (hl_device_open's
 * EBUSY), with `hlsim vdev` (HLSIM_VDEV_TRACE_EACH=1): an exclusive flock on
 * "<trace dir>/.hl<minor>.lock" held while the compute file is open. A forked child shares
 * it (as it shares the open device); it is let go at the last close, at exit or at exec.
 */
static int minor_lock(unsigned int minor)
{
	const char *trace = getenv("HLSIM_VDEV_TRACE"), *each = getenv("HLSIM_VDEV_TRACE_EACH");
	const char *slash = trace ? strrchr(trace, '/') : NULL;
	char path[PATH_MAX];
	int fd;

	if (!trace || !each || strcmp(each, "1"))
		return 0;
	if (snprintf(path, sizeof(path), "%.*s/.hl%u.lock", slash ? (int)(slash - trace) : 1,
		     slash ? trace : ".", minor) >= (int)sizeof(path))
		return 0;
	fd = trc_vdev_real()->open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return 0; /* no lock file, no cross-process check: the program goes on */
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		trc_vdev_real()->close(fd);
		fprintf(stderr, "hlsim vdev: /dev/hl%u is open in another process of the program: "
				"EBUSY, as from the driver (one compute context per device)\n",
			minor);
		return -EBUSY;
	}
	g_dev.m[minor].lock_fd_p1 = fd + 1;
	return 0;
}

static void file_release(struct vfile *vf)
{
	uint32_t i;

	for (i = 0; i < vf->nmaps; i++)
		trace_host_map(vf->minor, &vf->maps[i], clock_ns(CLOCK_MONOTONIC));
	for (i = 0; i < vf->ncbs; i++)
		if (vf->cbs[i].id && vf->cbs[i].map_left)
			__atomic_sub_fetch(&g_nmapped, 1, __ATOMIC_RELAXED);
	if (!vf->control) {
		struct vminor *vm = &g_dev.m[vf->minor];

		vm->vx = NULL;
		vm->compute_open = 0;
		if (vm->lock_fd_p1)
			trc_vdev_real()->close(vm->lock_fd_p1 - 1);
		vm->lock_fd_p1 = 0;
		vm->last_open_period_ms = (uint64_t)(clock_ns(CLOCK_MONOTONIC) - vm->open_ns) / 1000000;
	}
	trc_vx_destroy(vf->vx);
	free(vf->vxjobs);
	free(vf->csbuf);
	free(vf->cbs);
	free(vf->maps);
	free(vf->dram);
	free(vf->ring);
	free(vf->sigs);
	free(vf->scratch);
	free(vf);
}

/*
 * vexec.c fetched a CB from device memory: record its bytes as a memory image valid from
 * its CS's row on, so that the replay finds the CBs CP_DMA hands to lower CPs (and
 * internal CBs kept in SRAM or DRAM, which have no host snapshot).
 */
static void vx_fetched(void *ctx, uint64_t seq, uint64_t addr, const uint8_t *bytes, uint32_t size)
{
	struct vfile *vf = ctx;
	struct hlsim_trace_mem m = { .addr = addr, .size = size, .from_cs = vf->row_base + seq - 1 };
	hlsim_err_t rc;

	if (g_tr.state != 1 || !size)
		return;
	rc = trace_blob(vf->minor, bytes, size, &m.blob_id);
	if (!rc && m.blob_id == vf->img_blob && addr == vf->img_addr)
		return; /* the same bytes at the same place: the image already holds */
	if (!rc)
		rc = hlsim_trace_add_mem(g_tr.w, vf->minor, &m);
	if (!rc)
		trc_vcosim_mem(vf->minor, &m);
	if (rc) {
		trace_fail("cannot record a CB fetched from device memory", rc);
		return;
	}
	vf->img_addr = addr;
	vf->img_blob = m.blob_id;
}

/* vexec.c's view of host memory: device VA -> the program's address, through the maps. */
static uint64_t vx_host(void *ctx, uint64_t dva, uint64_t *avail_bytes)
{
	const struct vfile *vf = ctx;
	uint32_t i;

	for (i = 0; i < vf->nmaps; i++) {
		const struct vmap *m = &vf->maps[i];

		if (dva >= m->device_va && dva - m->device_va < m->size) {
			*avail_bytes = m->size - (dva - m->device_va);
			return m->host_va + (dva - m->device_va);
		}
	}
	return 0;
}

unsigned int trc_vdev_num_devices(void)
{
	unsigned int n;

	pthread_mutex_lock(&g_lock);
	n = device_setup() ? 0 : g_dev.ndev;
	pthread_mutex_unlock(&g_lock);
	return n;
}

int trc_vdev_get_facts(unsigned int minor, struct trc_vdev_facts *out)
{
	struct hl_info_hw_ip_info hw;
	const char *env = getenv("HLSIM_VDEV_PCI_BUS");
	unsigned long bus = 1;
	char *end;
	size_t i;
	int rc;

	if (minor >= trc_vdev_num_devices())
		return -ENOENT;
	pthread_mutex_lock(&g_lock);
	rc = device_setup();
	if (!rc) {
		fill_hw_ip(&hw);
		memset(out, 0, sizeof(*out));
		for (i = 0; g_dev.p->asic_name[i] && i + 1 < sizeof(out->device_type); i++)
			out->device_type[i] = (char)(g_dev.p->asic_name[i] >= 'a' &&
							     g_dev.p->asic_name[i] <= 'z' ?
						     g_dev.p->asic_name[i] - 'a' + 'A' :
						     g_dev.p->asic_name[i]);
		snprintf(out->cpucp_version, sizeof(out->cpucp_version), "%s",
			 (const char *)hw.cpucp_version);
		out->clock_mhz = g_dev.clock_mhz;
		out->max_power_mw = g_dev.drv->max_power_mw;
	}
	pthread_mutex_unlock(&g_lock);
	if (rc)
		return rc;
	/*
	 * [I] inferred: the virtual device is on no PCI bus. It reports domain 0, bus
	 * HLSIM_VDEV_PCI_BUS (hex, default 01) + minor, device 0, function 0: well formed and
	 * distinct per device, as tools that map devices by PCI address need.
	 */
	if (env && *env) {
		errno = 0;
		bus = strtoul(env, &end, 16);
		if (errno || *end || bus + minor > 0xFF) {
			fprintf(stderr, "hlsim vdev: HLSIM_VDEV_PCI_BUS=%s: expected a hex bus "
					"number that leaves room for minor %u\n", env, minor);
			return -ENODEV;
		}
	}
	snprintf(out->pci_addr, sizeof(out->pci_addr), "0000:%02x:00.0",
		 (unsigned int)((bus + minor) & 0xFF));
	return 0;
}

int trc_vdev_open(enum trc_vdev_node_kind kind, unsigned int minor, int flags)
{
	int control = kind == TRC_VDEV_NODE_MISC_CONTROL || kind == TRC_VDEV_NODE_ACCEL_CONTROL;
	struct vfile *vf = NULL;
	char name[64];
	int fd = -1, rc;
	unsigned int i;

	pthread_mutex_lock(&g_lock);
	rc = device_setup();
	if (rc)
		goto out;
	if (minor >= g_dev.ndev) { /* no such device */
		rc = -ENOENT;
		goto out;
	}
	if (!control && g_dev.m[minor].compute_open) { /* hl_device_open: one compute context */
		rc = -EBUSY;
		goto out;
	}
	if (!control) {
		rc = minor_lock(minor);
		if (rc)
			goto out;
	}
	vf = calloc(1, sizeof(*vf));
	if (!vf || (!control && (!(vf->ring = calloc(g_dev.drv->max_pending_cs,
						      sizeof(*vf->ring))) ||
				 !(vf->vxjobs = calloc(2 * HL_MAX_JOBS_PER_CS,
						       sizeof(*vf->vxjobs)))))) {
		rc = -ENOMEM;
		goto out;
	}
	if (!control) {
		vf->row_base = g_dev.m[minor].cs_rows;
		vf->img_blob = HLSIM_TRACE_NO_BLOB;
		rc = trc_vx_create(g_dev.f, g_dev.cfg, g_dev.mem_max_bytes, vx_host, vx_fetched,
				   vf, &vf->vx);
		if (rc)
			goto out;
		trc_vx_set_max_pending(vf->vx, g_dev.drv->max_pending_cs);
	}
	vf->kind = kind;
	vf->minor = minor;
	vf->control = control;
	vf->next_va = g_dev.p->host_va_base;
	for (i = 0; i < VDEV_SS_QUEUES_MAX; i++)
		vf->ss[i].next_sob_val = 1; /* sync_stream_queue_init */
	snprintf(name, sizeof(name), "hlsim-vdev-%s%u",
		 kind == TRC_VDEV_NODE_MISC	    ? "hl" :
		 kind == TRC_VDEV_NODE_MISC_CONTROL ? "hl_controlD" :
		 kind == TRC_VDEV_NODE_ACCEL	    ? "accel" :
						      "accel_controlD",
		 minor);
	fd = memfd_create(name, (flags & O_CLOEXEC) ? MFD_CLOEXEC : 0);
	if (fd < 0) {
		rc = -errno;
		goto out;
	}
	rc = set_fd(fd, vf);
	if (rc)
		goto out;
	if (!control) {
		g_dev.m[minor].vx = vf->vx;
		g_dev.m[minor].compute_open = 1;
		g_dev.m[minor].open_counter++;
		g_dev.m[minor].open_ns = clock_ns(CLOCK_MONOTONIC);
	}
	trace_start();
	pthread_mutex_unlock(&g_lock);
	return fd;
out:
	if (fd >= 0)
		trc_vdev_real()->close(fd);
	if (vf) {
		trc_vx_destroy(vf->vx);
		free(vf->vxjobs);
		free(vf->ring);
		free(vf);
	}
	if (!control && minor < g_dev.ndev && !g_dev.m[minor].compute_open &&
	    g_dev.m[minor].lock_fd_p1) { /* taken here: let it go */
		trc_vdev_real()->close(g_dev.m[minor].lock_fd_p1 - 1);
		g_dev.m[minor].lock_fd_p1 = 0;
	}
	pthread_mutex_unlock(&g_lock);
	return rc;
}

int trc_vdev_is_virtual(int fd)
{
	int r;

	if (!__atomic_load_n(&g_nvirt, __ATOMIC_RELAXED))
		return 0;
	pthread_mutex_lock(&g_lock);
	r = lookup(fd) != NULL;
	pthread_mutex_unlock(&g_lock);
	return r;
}

void trc_vdev_closed(int fd)
{
	struct vfile *vf;

	pthread_mutex_lock(&g_lock);
	vf = lookup(fd);
	if (vf) {
		g_fds[fd] = NULL;
		__atomic_sub_fetch(&g_nvirt, 1, __ATOMIC_RELAXED);
		if (--vf->refs == 0)
			file_release(vf);
	}
	pthread_mutex_unlock(&g_lock);
}

int trc_vdev_close(int fd)
{
	int rc, err;

	/* Under the lock, so that no other thread's open can reuse @fd before it is dropped. */
	pthread_mutex_lock(&g_lock);
	rc = trc_vdev_real()->close(fd);
	err = errno;
	trc_vdev_closed(fd); /* Linux releases the descriptor even when close() fails */
	pthread_mutex_unlock(&g_lock);
	errno = err;
	return rc;
}

void trc_vdev_duped(int oldfd, int newfd)
{
	struct vfile *vf;

	pthread_mutex_lock(&g_lock);
	vf = lookup(oldfd);
	if (vf && !lookup(newfd) && set_fd(newfd, vf))
		fprintf(stderr, "hlsim vdev: out of memory tracking fd %d (alias of %d)\n", newfd,
			oldfd);
	pthread_mutex_unlock(&g_lock);
}

/* ===== CBs ===== */

static struct vcb *cb_find(struct vfile *vf, uint64_t handle)
{
	uint64_t id;
	struct vcb *cb;

	if ((handle & VDEV_MMAP_TYPE_MASK) != VDEV_MMAP_TYPE_CB ||
	    (handle & (VDEV_PAGE_BYTES - 1)))
		return NULL;
	id = (handle & ~VDEV_MMAP_TYPE_MASK) >> VDEV_PAGE_SHIFT;
	if (!id || id > vf->ncbs)
		return NULL;
	cb = &vf->cbs[id - 1];
	/* A destroyed CB lives on while mapped (the mapping holds a reference). */
	if (!cb->id || (cb->destroyed && !cb->map_left))
		return NULL;
	return cb;
}

static uint64_t cb_handle(const struct vcb *cb)
{
	return VDEV_MMAP_TYPE_CB | ((uint64_t)cb->id << VDEV_PAGE_SHIFT);
}

static void cb_maybe_free(struct vcb *cb)
{
	if (cb->destroyed && !cb->map_left)
		memset(cb, 0, sizeof(*cb)); /* id back to the pool (its memfd pages stay until close) */
}

static int cb_create(struct vfile *vf, int fd, const struct hl_cb_in *in, struct hl_cb_out *out)
{
	uint32_t size = in->cb_size < VDEV_PAGE_BYTES ? (uint32_t)VDEV_PAGE_BYTES : in->cb_size;
	uint64_t alloc = (size + VDEV_PAGE_BYTES - 1) & ~(VDEV_PAGE_BYTES - 1);
	struct vcb *cb = NULL;
	uint32_t i;

	if (in->cb_size > HL_MAX_CB_SIZE)
		return -EINVAL;
	/* [I] Gaudi1 cannot map CBs into the device MMU (supports_cb_mapping is Gaudi2's). */
	if (in->flags & HL_CB_FLAGS_MAP)
		return -EINVAL;
	for (i = 0; i < vf->ncbs && !cb; i++) /* idr_alloc: the lowest free id from 1 */
		if (!vf->cbs[i].id)
			cb = &vf->cbs[i];
	if (!cb) {
		struct vcb *n;

		if (vf->ncbs >= VDEV_MAX_CB_ID)
			return -ENOMEM;
		n = realloc(vf->cbs, (vf->ncbs + 1) * sizeof(*n));
		if (!n)
			return -ENOMEM;
		vf->cbs = n;
		cb = &vf->cbs[vf->ncbs++];
		memset(cb, 0, sizeof(*cb));
	}
	if (ftruncate(fd, (off_t)(vf->store_bytes + alloc)))
		return -ENOMEM;
	cb->id = (uint32_t)(cb - vf->cbs) + 1;
	cb->size = size;
	cb->alloc_bytes = alloc;
	cb->store_off = vf->store_bytes;
	vf->store_bytes += alloc;
	out->cb_handle = cb_handle(cb);
	return 0;
}

static int do_cb(struct vfile *vf, int fd, union hl_cb_args *a)
{
	struct hl_cb_in in = a->in;
	struct vcb *cb;

	memset(a, 0, sizeof(*a));
	switch (in.op) {
	case HL_CB_OP_CREATE:
		return cb_create(vf, fd, &in, &a->out);
	case HL_CB_OP_DESTROY:
		cb = cb_find(vf, in.cb_handle);
		if (!cb || cb->destroyed)
			return -EINVAL;
		cb->destroyed = 1;
		cb_maybe_free(cb);
		return 0;
	case HL_CB_OP_INFO:
		cb = cb_find(vf, in.cb_handle);
		if (!cb)
			return -EINVAL;
		/* Never MMU-mapped (CREATE refuses HL_CB_FLAGS_MAP on Gaudi). */
		if (in.flags & HL_CB_FLAGS_GET_DEVICE_VA)
			return -EINVAL;
		a->out.usage_cnt = 0; /* CSs in flight using it: every CS has completed */
		return 0;
	default:
		return -ENOTTY;
	}
}

void *trc_vdev_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	struct vfile *vf;
	struct vcb *cb;
	void *p = MAP_FAILED;
	int err = 0;

	pthread_mutex_lock(&g_lock);
	vf = lookup(fd);
	if (!vf) {
		err = EBADF;
	} else if (vf->control) {
		err = ENODEV; /* the control node has no mmap */
	} else if (!(cb = cb_find(vf, (uint64_t)off)) || cb->destroyed) {
		err = EINVAL; /* hl_mmap: unknown type or handle */
	} else if (len != cb->alloc_bytes || cb->map_left) {
		err = EINVAL; /* length must be the page-rounded size; one live mapping */
	} else {
		/* The driver's pages are always shared with the device: force MAP_SHARED. */
		p = trc_vdev_real()->mmap(addr, len, prot, (flags & ~MAP_TYPE) | MAP_SHARED, fd,
					  (off_t)cb->store_off);
		if (p == MAP_FAILED) {
			err = errno;
		} else {
			cb->map_addr = (uintptr_t)p;
			cb->map_left = len;
			__atomic_add_fetch(&g_nmapped, 1, __ATOMIC_RELAXED);
			vf->live_maps++;
		}
	}
	pthread_mutex_unlock(&g_lock);
	if (p == MAP_FAILED)
		errno = err;
	return p;
}

void trc_vdev_munmapped(void *addr, size_t len)
{
	uintptr_t lo = (uintptr_t)addr, hi = lo + len;
	int fd;

	if (!__atomic_load_n(&g_nmapped, __ATOMIC_RELAXED))
		return;
	pthread_mutex_lock(&g_lock);
	for (fd = 0; fd < g_fds_cap; fd++) {
		struct vfile *vf = g_fds[fd];
		uint32_t i;

		if (!vf || !vf->live_maps)
			continue;
		for (i = 0; i < vf->ncbs; i++) {
			struct vcb *cb = &vf->cbs[i];
			uintptr_t s, e;

			if (!cb->id || !cb->map_left)
				continue;
			s = cb->map_addr > lo ? cb->map_addr : lo;
			e = cb->map_addr + cb->alloc_bytes < hi ? cb->map_addr + cb->alloc_bytes : hi;
			if (s >= e)
				continue;
			cb->map_left = e - s >= cb->map_left ? 0 : cb->map_left - (e - s);
			if (!cb->map_left) {
				__atomic_sub_fetch(&g_nmapped, 1, __ATOMIC_RELAXED);
				vf->live_maps--;
				cb_maybe_free(cb);
			}
		}
	}
	pthread_mutex_unlock(&g_lock);
}

/* ===== INFO ===== */

static int do_info(struct vfile *vf, struct hl_info_args *a)
{
	union {
		struct hl_info_hw_ip_info hw_ip;
		struct hl_info_dram_usage dram;
		struct hl_info_hw_idle idle;
		struct hl_info_device_status status;
		struct hl_info_clk_rate clk;
		struct hl_info_reset_count resets;
		struct hl_info_time_sync ts;
		struct hl_info_sync_manager sm;
		struct hl_info_cs_counters csc;
		struct hl_info_clk_throttle thr;
		struct hl_open_stats_info os;
	} o;
	const struct vminor *vm = &g_dev.m[vf->minor];
	size_t n;

	memset(&o, 0, sizeof(o));
	switch (a->op) {
	case HL_INFO_HW_IP_INFO:
		fill_hw_ip(&o.hw_ip);
		n = sizeof(o.hw_ip);
		break;
	case HL_INFO_DRAM_USAGE:
		o.dram.dram_free_mem = user_dram_bytes() - vm->dram_used_bytes;
		o.dram.ctx_dram_mem = vf->control ? 0 : vf->ctx_dram_bytes;
		n = sizeof(o.dram);
		break;
	case HL_INFO_HW_IDLE:
		/* idle unless a queue still holds work (blocked on a fence) */
		if (vm->vx) {
			uint64_t busy[2];

			trc_vx_busy_engines_ext(vm->vx, busy);
			o.idle.busy_engines_mask = (uint32_t)busy[0];
			o.idle.busy_engines_mask_ext[0] = busy[0];
			o.idle.busy_engines_mask_ext[1] = busy[1];
			o.idle.is_idle = !busy[0] && !busy[1];
		} else {
			o.idle.is_idle = 1; /* no compute context: nothing runs */
		}
		n = sizeof(o.idle);
		break;
	case HL_INFO_DEVICE_STATUS:
		o.status.status = HL_DEVICE_STATUS_OPERATIONAL;
		n = sizeof(o.status);
		break;
	case HL_INFO_CLK_RATE:
		/* The simulated clock (config asic.clock) is both current and maximum. */
		o.clk.cur_clk_rate_mhz = g_dev.clock_mhz;
		o.clk.max_clk_rate_mhz = g_dev.clock_mhz;
		n = sizeof(o.clk);
		break;
	case HL_INFO_RESET_COUNT:
		n = sizeof(o.resets); /* the virtual device is never reset */
		break;
	case HL_INFO_TIME_SYNC:
		/*
		 * host_time: CLOCK_MONOTONIC_RAW as ktime_get_raw_ns(). device_time: the
		 * virtual PSOC timestamp counter, [I] inferred: ticking at 1 GHz from device
		 * set-up (the real counter's rate is psoc_timestamp_frequency from firmware).
		 */
		o.ts.host_time = (uint64_t)clock_ns(CLOCK_MONOTONIC_RAW);
		o.ts.device_time = o.ts.host_time - (uint64_t)g_dev.t0_raw_ns;
		n = sizeof(o.ts);
		break;
	case HL_INFO_SYNC_MANAGER:
		if (a->dcore_id >= VDEV_MAX_DCORES)
			return -EINVAL;
		if (a->dcore_id == g_dev.drv->sm_dcore) {
			o.sm.first_available_sync_object = g_dev.drv->first_sob;
			o.sm.first_available_monitor = g_dev.drv->first_mon;
			o.sm.first_available_cq = g_dev.drv->first_cq;
		} else {
			o.sm.first_available_cq = g_dev.drv->first_cq_all;
		}
		n = sizeof(o.sm);
		break;
	case HL_INFO_CS_COUNTERS:
		/* CSs refused before queueing; nothing is dropped later (no parser, no queue limit) */
		o.csc.total_out_of_mem_drop_cnt = vm->drops.out_of_mem;
		o.csc.total_validation_drop_cnt = vm->drops.validation;
		o.csc.total_parsing_drop_cnt = vm->drops.parsing;
		if (!vf->control) {
			o.csc.ctx_out_of_mem_drop_cnt = vf->drops.out_of_mem;
			o.csc.ctx_validation_drop_cnt = vf->drops.validation;
			o.csc.ctx_parsing_drop_cnt = vf->drops.parsing;
		}
		n = sizeof(o.csc);
		break;
	case HL_INFO_CLK_THROTTLE_REASON:
		n = sizeof(o.thr); /* the simulated clock is never throttled */
		break;
	case HL_INFO_OPEN_STATS:
		o.os.open_counter = vm->open_counter;
		o.os.last_open_period_ms = vm->last_open_period_ms;
		o.os.is_compute_ctx_active = (uint8_t)vm->compute_open;
		n = sizeof(o.os);
		break;
	default:
		/*
		 * -EINVAL, the driver's answer to an op it does not serve. The virtual device
		 * also answers so for the ops whose data come from firmware or hardware it
		 * does not model (HW_EVENTS, HW_EVENTS_AGGREGATE, DEVICE_UTILIZATION,
		 * PCI_COUNTERS, TOTAL_ENERGY, PLL_FREQUENCY, POWER, DRAM_REPLACED_ROWS,
		 * DRAM_PENDING_ROWS, LAST_ERR_OPEN_DEV_TIME, CS_TIMEOUT_EVENT, RAZWI_EVENT,
		 * UNDEFINED_OPCODE_EVENT, DEV_MEM_ALLOC_PAGE_SIZES, SECURED_ATTESTATION,
		 * REGISTER_EVENTFD, UNREGISTER_EVENTFD, GET_EVENTS, ENGINE_STATUS), where a
		 * real driver would answer.
		 */
		return -EINVAL;
	}
	if (!a->return_pointer || !a->return_size)
		return -EINVAL;
	return trc_vdev_uwrite(a->return_pointer, &o, a->return_size < n ? a->return_size : n);
}

/* ===== memory ===== */

/*
 * Gaudi2 device memory (the 6.1 driver's alloc_device_memory / free_device_memory /
 * map_phys_pg_pack with DRAM behind the DMMU): ALLOC takes the size in whole DRAM pages
 * (dram_page_size) from the user DRAM, counted per device and context, and answers a handle
 * (per file, from 1 [I]: the driver's idr starts there too); MAP of a handle gives a DMMU
 * virtual address from dmmu.start_addr (props->dram_base), pages handed out in order and not
 * reused [I] (the driver's VA allocator may reuse freed ranges; a program cannot tell);
 * FREE of a mapped handle is EINVAL (the driver refuses to free mapped memory). The
 * executor's DRAM is the whole DMMU range: an address the program did not map is not
 * refused (no DMMU page fault is modelled).
 */
static struct vdram *dram_find(struct vfile *vf, uint64_t handle)
{
	uint32_t i;

	for (i = 0; handle && i < vf->ndram; i++)
		if (vf->dram[i].handle == handle)
			return &vf->dram[i];
	return NULL;
}

static int dram_alloc(struct vfile *vf, const struct hl_mem_in *in, union hl_mem_args *a)
{
	uint64_t page = g_dev.drv->dram_page_bytes, bytes;
	uint64_t *used = &g_dev.m[vf->minor].dram_used_bytes;
	struct vdram *d;
	uint32_t i;

	if (in->flags & HL_MEM_CONTIGUOUS)
		return -EINVAL; /* [I] contiguous DRAM (a physical range) is not modelled */
	bytes = (in->alloc.mem_size + page - 1) / page * page;
	if (bytes < in->alloc.mem_size || *used + bytes > user_dram_bytes())
		return -ENOMEM;
	for (i = 0; i < vf->ndram && vf->dram[i].handle; i++)
		;
	if (i == vf->ndram) {
		if (vf->ndram == vf->cap_dram) {
			uint32_t cap = vf->cap_dram ? vf->cap_dram * 2 : 8;
			struct vdram *n = realloc(vf->dram, cap * sizeof(*n));

			if (!n)
				return -ENOMEM;
			vf->dram = n;
			vf->cap_dram = cap;
		}
		vf->ndram++;
	}
	d = &vf->dram[i];
	*d = (struct vdram){ .handle = ++vf->next_dram_handle, .bytes = bytes };
	vf->ctx_dram_bytes += bytes;
	*used += bytes;
	a->out.handle = d->handle;
	return 0;
}

static int dram_free(struct vfile *vf, uint64_t handle)
{
	struct vdram *d = dram_find(vf, handle);
	uint64_t *used = &g_dev.m[vf->minor].dram_used_bytes;

	if (!d || d->va)
		return -EINVAL; /* unknown handle, or still mapped */
	vf->ctx_dram_bytes -= d->bytes < vf->ctx_dram_bytes ? d->bytes : vf->ctx_dram_bytes;
	*used -= d->bytes < *used ? d->bytes : *used;
	d->handle = 0;
	return 0;
}

static int dram_map(struct vfile *vf, const struct hl_mem_in *in, union hl_mem_args *a)
{
	struct vdram *d = dram_find(vf, in->map_device.handle);
	const struct mdl_asic_props *p = g_dev.p;

	if (!d || d->va)
		return -EINVAL; /* [I] a second map of the same handle is refused */
	if (in->flags & HL_MEM_FORCE_HINT)
		return -EINVAL; /* hints are not honoured */
	if (!vf->next_dram_va)
		vf->next_dram_va = p->dram_base;
	if (vf->next_dram_va + d->bytes > p->dram_base + user_dram_bytes())
		return -ENOMEM;
	d->va = vf->next_dram_va;
	vf->next_dram_va += d->bytes;
	a->out.device_virt_addr = d->va;
	return 0;
}

static int do_mem(struct vfile *vf, union hl_mem_args *a)
{
	struct hl_mem_in in = a->in;
	uint64_t off, bytes, size, *used;
	uint8_t probe;
	uint32_t i;

	memset(a, 0, sizeof(*a));
	switch (in.op) {
	case HL_MEM_OP_ALLOC:
		if (!in.alloc.mem_size)
			return -EINVAL;
		if (g_dev.drv->gaudi2)
			return dram_alloc(vf, &in, a);
		/* Gaudi: DRAM is not virtualized: the driver only counts, and returns handle 0. */
		vf->ctx_dram_bytes += in.alloc.mem_size;
		g_dev.m[vf->minor].dram_used_bytes += in.alloc.mem_size;
		a->out.handle = 0;
		return 0;
	case HL_MEM_OP_FREE:
		if (g_dev.drv->gaudi2)
			return dram_free(vf, in.free.handle);
		/* The driver subtracts the size the user passes (it trusts user accounting). */
		size = in.free.handle;
		vf->ctx_dram_bytes -= size < vf->ctx_dram_bytes ? size : vf->ctx_dram_bytes;
		used = &g_dev.m[vf->minor].dram_used_bytes;
		*used -= size < *used ? size : *used;
		return 0;
	case HL_MEM_OP_MAP:
		if (!(in.flags & HL_MEM_USERPTR) && g_dev.drv->gaudi2)
			return dram_map(vf, &in, a);
		if (!(in.flags & HL_MEM_USERPTR))
			return -EINVAL; /* Gaudi: no device-memory handles exist to map */
		if (in.flags & HL_MEM_FORCE_HINT)
			return -EINVAL; /* hints are not honoured by this increment */
		size = in.map_host.mem_size;
		if (!size)
			return -EINVAL;
		/* pinning fails on memory the program does not have */
		if (trc_vdev_uread(&probe, in.map_host.host_virt_addr, 1) ||
		    trc_vdev_uread(&probe, in.map_host.host_virt_addr + size - 1, 1))
			return -EFAULT;
		off = in.map_host.host_virt_addr & (VDEV_PAGE_BYTES - 1);
		bytes = (off + size + VDEV_PAGE_BYTES - 1) & ~(VDEV_PAGE_BYTES - 1);
		/* the PMMU's 4 KiB range is the lower half of the host VA space */
		if (vf->next_va + bytes > g_dev.p->host_va_base + g_dev.p->host_va_size_bytes / 2)
			return -ENOMEM;
		if (vf->nmaps == vf->cap_maps) {
			uint32_t cap = vf->cap_maps ? vf->cap_maps * 2 : 16;
			struct vmap *n = realloc(vf->maps, cap * sizeof(*n));

			if (!n)
				return -ENOMEM;
			vf->maps = n;
			vf->cap_maps = cap;
		}
		vf->maps[vf->nmaps] = (struct vmap){ .device_va = vf->next_va + off,
						     .va_bytes = bytes,
						     .host_va = in.map_host.host_virt_addr,
						     .size = size,
						     .map_ns = clock_ns(CLOCK_MONOTONIC) };
		a->out.device_virt_addr = vf->maps[vf->nmaps].device_va;
		vf->nmaps++;
		vf->next_va += bytes;
		return 0;
	case HL_MEM_OP_UNMAP:
		for (i = 0; g_dev.drv->gaudi2 && i < vf->ndram; i++) {
			if (vf->dram[i].handle && vf->dram[i].va &&
			    in.unmap.device_virt_addr == vf->dram[i].va) {
				vf->dram[i].va = 0;
				return 0;
			}
		}
		for (i = 0; i < vf->nmaps; i++) {
			uint64_t page = vf->maps[i].device_va & ~(VDEV_PAGE_BYTES - 1);

			if ((in.unmap.device_virt_addr & ~(VDEV_PAGE_BYTES - 1)) == page) {
				trace_host_map(vf->minor, &vf->maps[i], clock_ns(CLOCK_MONOTONIC));
				vf->maps[i] = vf->maps[--vf->nmaps];
				return 0;
			}
		}
		return -EINVAL;
	case HL_MEM_OP_MAP_BLOCK:
		return -EPERM; /* Gaudi: user block mapping is not allowed */
	default:
		/* EXPORT_DMABUF_FD, TS_ALLOC: not served by this increment; unknown ops */
		return -EINVAL;
	}
}

/* ===== CS and WAIT_CS ===== */

/* The host bytes behind device VA [addr, addr+size) of a USERPTR map, or 0. */
static uint64_t host_of(const struct vfile *vf, uint64_t addr, uint64_t size)
{
	uint32_t i;

	for (i = 0; i < vf->nmaps; i++) {
		const struct vmap *m = &vf->maps[i];

		if (addr >= m->device_va && size <= m->size && addr - m->device_va <= m->size - size)
			return m->host_va + (addr - m->device_va);
	}
	return 0;
}

static int scratch_reserve(struct vfile *vf, size_t n)
{
	if (n > vf->scratch_cap) {
		uint8_t *p = realloc(vf->scratch, n);

		if (!p)
			return -ENOMEM;
		vf->scratch = p;
		vf->scratch_cap = n;
	}
	return 0;
}

static int jobs_reserve(uint32_t n)
{
	if (n > g_tr.jobs_cap) {
		struct hlsim_trace_job *p = realloc(g_tr.jobs, n * sizeof(*p));

		if (!p)
			return -ENOMEM;
		g_tr.jobs = p;
		g_tr.jobs_cap = n;
	}
	return 0;
}

/*
 * The driver's parse of a CB on an external queue (gaudi_validate_cb, GAUDI-FACTS 1.8 and
 * 3.6): every packet must decode within the CB (else EINVAL); MSG_PROT, CP_DMA, STOP,
 * WREG_BULK and LOAD_AND_EXE with dst=1 are the kernel's (EPERM); WAIT is not in its
 * allowed list (EINVAL). The driver's message names the packet; so does this one.
 */
static int parse_ext_cb(const uint8_t *cb, uint32_t size, uint32_t queue)
{
	const char *why = NULL;
	struct hlsim_cmd cmd;
	size_t off = 0;

	while (off < size && !why) {
		if (g_dev.f->decode(cb, size, off, &cmd)) {
			fprintf(stderr, "hlsim vdev: CB of %u bytes on queue %u: %s\n", size, queue,
				hlsim_last_error_detail());
			return -EINVAL;
		}
		if (cmd.kind == HLSIM_CMD_MSG && cmd.u.msg.is_prot)
			why = "MSG_PROT";
		else if (cmd.kind == HLSIM_CMD_CB_CALL)
			why = "CP_DMA";
		else if (cmd.kind == HLSIM_CMD_STOP)
			why = "STOP";
		else if (cmd.kind == HLSIM_CMD_WREG && cmd.u.wreg.values)
			why = "WREG_BULK";
		else if (cmd.kind == HLSIM_CMD_LOAD_AND_EXE && cmd.u.load_exe.dst)
			why = "LOAD_AND_EXE with dst=1";
		else if (cmd.kind == HLSIM_CMD_WAIT)
			why = "WAIT";
		else
			off += cmd.size_bytes;
	}
	if (!why)
		return 0;
	fprintf(stderr, "hlsim vdev: CB on external queue %u, byte offset 0x%zx: user not "
			"allowed to use %s: the driver refuses the CS\n",
		queue, off, why);
	return cmd.kind == HLSIM_CMD_WAIT ? -EINVAL : -EPERM;
}

/* An internal CB lies in user SRAM, user DRAM or the host range (parse_cb_no_ext_queue). */
static int int_cb_in_range(uint64_t addr, uint32_t size)
{
	const struct mdl_asic_props *p = g_dev.p;
	uint64_t end = addr + size;

	if (end < addr)
		return 0;
	return (addr >= p->sram_base && end <= p->sram_base + p->sram_size_bytes) ||
	       (addr >= p->dram_base && end <= p->dram_base + p->dram_size_bytes) ||
	       (addr >= p->host_va_base && end <= p->host_va_base + p->host_va_size_bytes / 2);
}

/*
 * Gaudi2's parse of a job (gaudi2_cs_parser -> gaudi2_validate_cb_address: every cb_handle
 * is a device address, the driver parses no packet): the CB must lie in user SRAM, in the
 * user DRAM's physical range (dram_user_base_address .. dram_end_address), in the DMMU
 * range, or in the PMMU's page or huge-page host ranges; else EFAULT.
 */
static int hw_cb_in_range(uint64_t addr, uint32_t size)
{
	const struct mdl_asic_props *p = g_dev.p;
	const struct vdev_drv *d = g_dev.drv;
	uint64_t end = addr + size, phys = p->dram_base - p->dram_size_bytes;

	if (end < addr)
		return 0;
	return (addr >= p->sram_base && end <= p->sram_base + p->sram_size_bytes) ||
	       (addr >= phys + d->dram_kmd_bytes && end <= phys + p->dram_size_bytes) ||
	       (addr >= p->dram_base && end <= p->dram_base + user_dram_bytes()) ||
	       (addr >= p->host_va_base && end <= p->host_va_base + p->host_va_size_bytes);
}

/* Room for @n more bytes in the file's CS buffer (external CBs of one CS). */
static int csbuf_reserve(struct vfile *vf, size_t used, size_t n)
{
	if (used + n > vf->csbuf_cap) {
		size_t cap = vf->csbuf_cap ? vf->csbuf_cap : 4096;
		uint8_t *p;

		while (cap < used + n)
			cap *= 2;
		p = realloc(vf->csbuf, cap);
		if (!p)
			return -ENOMEM;
		vf->csbuf = p;
		vf->csbuf_cap = cap;
	}
	return 0;
}

/*
 * When recording, the bytes of the CB of @size bytes at device address @addr, copied into
 * the file's scratch: *@out points at them, or is NULL when there is nothing to record
 * (not recording, an empty CB, or a CB in SRAM/DRAM, whose bytes are not host-visible: it
 * is recorded without a blob).
 */
static int cb_snapshot(struct vfile *vf, uint64_t addr, uint32_t size, const uint8_t **out)
{
	uint64_t src;
	int rc;

	*out = NULL;
	if (g_tr.state != 1 || !size)
		return 0;
	src = host_of(vf, addr, size);
	if (!src)
		return 0;
	rc = scratch_reserve(vf, size);
	if (!rc)
		rc = trc_vdev_uread(vf->scratch, src, size);
	if (!rc)
		*out = vf->scratch;
	return rc;
}

/*
 * Validate one chunk, describe it for the executor in @xj (external CBs: their bytes are
 * copied to vf->csbuf at *@used, and xj->cb_addr holds that offset until the caller
 * points xj->bytes at it) and, when recording, snapshot its bytes into job @j.
 */
static int cs_chunk(struct vfile *vf, int fd, const struct hl_cs_chunk *c, uint8_t phase,
		    struct hlsim_trace_job *j, struct trc_vx_job *xj, size_t *used, int *parsing)
{
	const struct mdl_queue_info *qi = g_dev.f->queue_info(c->queue_index);
	int user_cb = !!(c->cs_chunk_flags & HL_CS_CHUNK_FLAGS_USER_ALLOC_CB);
	const uint8_t *blob;
	int rc;

	if (!qi || qi->kind == MDL_QUEUE_NA || qi->kind == MDL_QUEUE_CPU)
		return -EINVAL;
	j->cb_handle = c->cb_handle;
	j->queue_id = c->queue_index;
	j->cb_size = c->cb_size;
	j->chunk_flags = c->cs_chunk_flags;
	j->phase = phase;
	j->blob_id = HLSIM_TRACE_NO_BLOB;
	memset(xj, 0, sizeof(*xj));
	xj->queue_id = c->queue_index;
	xj->size_bytes = c->cb_size;
	if (qi->kind == MDL_QUEUE_EXT) {
		struct vcb *cb;

		if (user_cb) /* external queues take kernel CBs only */
			return -EINVAL;
		cb = cb_find(vf, c->cb_handle);
		if (!cb || c->cb_size < 8 || c->cb_size > cb->size)
			return -EINVAL;
		rc = csbuf_reserve(vf, *used, c->cb_size);
		if (rc)
			return rc;
		if (pread(fd, vf->csbuf + *used, c->cb_size, (off_t)cb->store_off) !=
		    (ssize_t)c->cb_size)
			return -EIO;
		rc = parse_ext_cb(vf->csbuf + *used, c->cb_size, c->queue_index);
		if (rc) {
			*parsing = 1;
			return rc;
		}
		xj->external = 1;
		xj->cb_addr = *used;
		blob = vf->csbuf + *used;
		*used += c->cb_size;
		if (g_tr.state != 1)
			return 0;
	} else if (qi->kind == MDL_QUEUE_HW) {
		/* Gaudi2 H/W queue: cb_handle is the CB's device address; the job completes. */
		if (!hw_cb_in_range(c->cb_handle, c->cb_size)) {
			fprintf(stderr, "hlsim vdev: CB address 0x%" PRIx64 " + 0x%x for queue %s "
					"is not valid (not in user SRAM, user DRAM, the DMMU or "
					"the PMMU range): the driver refuses the CS with EFAULT\n",
				(uint64_t)c->cb_handle, c->cb_size, qi->name);
			*parsing = 1;
			return -EFAULT;
		}
		xj->external = 1;
		xj->cb_addr = c->cb_handle;
		rc = cb_snapshot(vf, c->cb_handle, c->cb_size, &blob);
		if (rc || !blob)
			return rc;
	} else {
		/* Internal queue: cb_handle is the CB's device address. */
		if (!int_cb_in_range(c->cb_handle, c->cb_size)) {
			fprintf(stderr, "hlsim vdev: CB address 0x%" PRIx64 " + 0x%x for internal "
					"queue %s is not valid (not in user SRAM, user DRAM or the "
					"host range)\n",
				(uint64_t)c->cb_handle, c->cb_size, qi->name);
			*parsing = 1;
			return -EINVAL;
		}
		xj->cb_addr = c->cb_handle;
		rc = cb_snapshot(vf, c->cb_handle, c->cb_size, &blob);
		if (rc || !blob)
			return rc;
	}
	rc = trace_blob(vf->minor, blob, c->cb_size, &j->blob_id);
	if (rc) {
		trace_fail("cannot record a CB", rc);
		j->blob_id = HLSIM_TRACE_NO_BLOB;
	}
	return 0;
}

/* ===== CS state as WAIT_CS sees it (staged chains included) ===== */

static struct vcs *vcs_of(struct vfile *vf, uint64_t seq)
{
	struct vcs *e = &vf->ring[seq % g_dev.drv->max_pending_cs];

	return seq && e->seq == seq ? e : NULL;
}

/*
 * The state of the fence WAIT_CS on @seq waits for, with *@done_ns its completion time.
 * A part of a staged submission completes with the whole chain: the driver releases every
 * part when the LAST part's CS completes (cs_do_release, staged_cs_put), so its state is
 * the LAST part's; a chain without a LAST part yet is pending.
 */
static enum trc_vx_cs_state vcs_state(struct vfile *vf, uint64_t seq, int64_t *done_ns)
{
	const struct vcs *e = vcs_of(vf, seq), *f;

	if (!e)
		return TRC_VX_CS_UNKNOWN;
	if (!e->staged_first)
		return trc_vx_cs_state(vf->vx, seq, done_ns);
	f = vcs_of(vf, e->staged_first);
	if (!f)
		return TRC_VX_CS_UNKNOWN; /* the chain's first CS is long gone */
	if (f->chain_failed)
		return TRC_VX_CS_FAILED;
	if (!f->staged_last)
		return TRC_VX_CS_PENDING;
	return trc_vx_cs_state(vf->vx, f->staged_last, done_ns);
}

/*
 * The program waits for CS @seq, which the executor has completed: with the
 * co-simulation, the simulated host waits for it as the replay will, and *@done_ns becomes
 * the simulator's completion time (else it stays the executor's estimate). The parts of a
 * staged submission are recorded with the seq the program has (the first part's): the
 * simulator waits for the whole chain and answers with the LAST part's completion.
 */
static void cosim_done(struct vfile *vf, uint64_t seq, int64_t *done_ns)
{
	int64_t ns;

	if (!trc_vcosim_wait(vf->minor, seq, &seq, 1, &ns) && ns >= 0)
		*done_ns = ns;
}

/* A pending CS @seq can never complete: declare it (its staged chain) timed out. */
static void vcs_time_out(struct vfile *vf, uint64_t seq)
{
	struct vcs *e = vcs_of(vf, seq), *f;
	uint64_t s, first;

	if (!e || !e->staged_first) {
		trc_vx_time_out(vf->vx, seq);
		return;
	}
	first = e->staged_first;
	f = vcs_of(vf, first);
	if (!f)
		return;
	if (!f->staged_last)
		fprintf(stderr, "hlsim vdev: staged submission %" PRIu64 " has no LAST part: it "
				"can never complete; WAIT_CS fails with ETIMEDOUT as for a CS the "
				"driver's timeout caught, and later parts naming it are refused "
				"(EINVAL)\n",
			first);
	f->chain_failed = 1;
	for (s = first; s <= vf->last_seq; s++) {
		const struct vcs *p = vcs_of(vf, s);

		if (p && p->staged_first == first &&
		    trc_vx_cs_state(vf->vx, s, NULL) == TRC_VX_CS_PENDING)
			trc_vx_time_out(vf->vx, s);
	}
}

/* ===== CS ===== */

static void count_drop(struct vfile *vf, int parsing, int rc)
{
	if (parsing) {
		vf->drops.parsing++;
		g_dev.m[vf->minor].drops.parsing++;
	} else if (rc == -ENOMEM) {
		vf->drops.out_of_mem++;
		g_dev.m[vf->minor].drops.out_of_mem++;
	} else if (rc == -EINVAL || rc == -EFAULT) {
		vf->drops.validation++;
		g_dev.m[vf->minor].drops.validation++;
	}
}

/* Record CS @seq (reported to the program as @out_seq) with its @n jobs in the trace. */
static void trace_cs(struct vfile *vf, uint64_t out_seq, const struct hl_cs_in *in,
		     int64_t submit_ns, uint32_t n)
{
	struct hlsim_trace_cs cs;
	hlsim_err_t trc;

	if (g_tr.state != 1)
		return;
	cs = (struct hlsim_trace_cs){ .seq = out_seq,
				      .flags = in->cs_flags,
				      .status = HL_CS_STATUS_SUCCESS,
				      .submit_ns = submit_ns,
				      .return_ns = clock_ns(CLOCK_MONOTONIC),
				      .num_jobs = n,
				      .timeout_s = in->timeout };
	trc = hlsim_trace_add_cs(g_tr.w, vf->minor, &cs, g_tr.jobs, n);
	if (trc) {
		trace_fail("cannot record a CS", trc);
	} else {
		g_dev.m[vf->minor].cs_rows++;
		trc_vcosim_cs(vf->minor, &cs, g_tr.jobs, n);
	}
}

/*
 * The CS slot of @seq is still held: by a CS the executor has not finished, or by a part of
 * a staged submission whose chain has not completed (its fence stays open until the LAST
 * part completes): the driver's "too many in-flight CSs" (allocate_cs: EAGAIN).
 */
static int slot_busy(struct vfile *vf, uint64_t seq)
{
	const struct vcs *e = &vf->ring[seq % g_dev.drv->max_pending_cs];

	return e->seq && e->staged_first && vcs_state(vf, e->seq, NULL) == TRC_VX_CS_PENDING;
}

static struct vsig *sig_find(struct vfile *vf, uint32_t id);

/*
 * A default CS (cs_ioctl_default), staged or not. Staged submission (supported on Gaudi:
 * gaudi_sw_init sets supports_staged_submission): every part is a CS of its own seq; the
 * first part (STAGED_SUBMISSION_FIRST) starts the chain, later parts name its seq in
 * in.seq and get it back as out.seq; only the LAST part needs a completion, so the other
 * parts may hold internal-queue jobs only. A later part whose chain is unknown, not
 * started by a FIRST part, or already closed by a LAST part is refused with EINVAL
 * (hl_hw_queue_schedule_cs: "Cannot find staged submission sequence", "Staged submission
 * sequence %llu already submitted").
 */
static int cs_default(struct vfile *vf, int fd, const struct hl_cs_in *in, union hl_cs_args *a,
		      int64_t submit_ns)
{
	struct hl_cs_chunk *chunks = NULL;
	uint32_t nr = in->num_chunks_restore, ne = in->num_chunks_execute, i, first, nx = 0;
	int staged = !!(in->cs_flags & HL_CS_FLAGS_STAGED_SUBMISSION);
	int staged_first = staged && (in->cs_flags & HL_CS_FLAGS_STAGED_SUBMISSION_FIRST);
	int staged_last = staged && (in->cs_flags & HL_CS_FLAGS_STAGED_SUBMISSION_LAST);
	int needs_completion = !staged || staged_last; /* cs_needs_completion */
	uint64_t seq, out_seq;
	struct vcs *chain = NULL;
	struct vsig *h = NULL;
	size_t used = 0;
	int rc, any_ext = 0, parsing = 0;

	if (nr > HL_MAX_JOBS_PER_CS || ne > HL_MAX_JOBS_PER_CS || (!nr && !ne)) {
		rc = -EINVAL;
		goto drop;
	}
	chunks = malloc((size_t)(nr + ne) * sizeof(*chunks));
	if (!chunks) {
		rc = -ENOMEM;
		goto drop;
	}
	rc = trc_vdev_uread(chunks, in->chunks_restore, (size_t)nr * sizeof(*chunks));
	if (!rc)
		rc = trc_vdev_uread(chunks + nr, in->chunks_execute, (size_t)ne * sizeof(*chunks));
	if (!rc)
		rc = jobs_reserve(nr + ne);
	for (i = 0; !rc && i < nr + ne; i++) {
		uint8_t phase = i < nr ? HLSIM_PHASE_RESTORE : HLSIM_PHASE_EXECUTE;

		rc = cs_chunk(vf, fd, &chunks[i], phase, &g_tr.jobs[i], &vf->vxjobs[i], &used,
			      &parsing);
		any_ext |= vf->vxjobs[i].external;
	}
	free(chunks);
	/*
	 * "Reject CS %d.%llu since it contains only internal queues jobs and needs
	 * completion" (cs_ioctl_default): every CS but a non-LAST staged part needs one.
	 */
	if (!rc && !any_ext && needs_completion)
		rc = -EINVAL;
	if (rc)
		goto drop;
	if (staged && !staged_first) {
		chain = vcs_of(vf, in->seq);
		if (!chain || chain->staged_first != in->seq || chain->chain_failed) {
			fprintf(stderr, "hlsim vdev: CS refused (EINVAL): cannot find staged "
					"submission sequence %" PRIu64 "\n",
				(uint64_t)in->seq);
			return -EINVAL;
		}
		if (chain->staged_last) {
			fprintf(stderr, "hlsim vdev: CS refused (EINVAL): staged submission "
					"sequence %" PRIu64 " already submitted (its LAST part "
					"is CS %" PRIu64 ")\n",
				(uint64_t)in->seq, chain->staged_last);
			return -EINVAL;
		}
	}
	/*
	 * ENCAP_SIGNALS on a FIRST part: its CBs signal reservation in.encaps_sig_handle_id
	 * (encaps_sig_first_staged_cs_handler); wait CSs then name this CS.
	 */
	if (staged_first && (in->cs_flags & HL_CS_FLAGS_ENCAP_SIGNALS)) {
		h = sig_find(vf, in->encaps_sig_handle_id);
		if (!h) {
			fprintf(stderr, "hlsim vdev: CS refused (EINVAL): encaps handle id(%u) "
					"wasn't found\n",
				in->encaps_sig_handle_id);
			return -EINVAL;
		}
	}
	/*
	 * Restore-phase jobs run for the context's first CS or with FORCE_RESTORE (the
	 * driver's context-switch test: one context, so only its first CS switches to it).
	 */
	first = vf->last_seq == 0 || (in->cs_flags & HL_CS_FLAGS_FORCE_RESTORE) ? 0 : nr;
	for (i = first; i < nr + ne; i++) {
		struct trc_vx_job *xj = &vf->vxjobs[i];

		if (xj->external && !g_dev.drv->gaudi2) { /* Gaudi2 fetches every CB */
			xj->bytes = vf->csbuf + xj->cb_addr;
			xj->cb_addr = 0;
		}
		vf->vxjobs[nx++] = *xj;
	}
	seq = vf->last_seq + 1;
	if (slot_busy(vf, seq))
		return -EAGAIN;
	rc = trc_vx_submit(vf->vx, seq, vf->vxjobs, nx, submit_ns);
	if (rc)
		goto drop;
	vf->last_seq = seq;
	out_seq = staged && !staged_first ? in->seq : seq;
	vf->ring[seq % g_dev.drv->max_pending_cs] =
		(struct vcs){ .seq = seq,
			      .flags = in->cs_flags,
			      .staged_first = staged ? out_seq : 0 };
	if (staged_last) {
		chain = vcs_of(vf, out_seq);
		if (chain)
			chain->staged_last = seq;
	}
	if (h) {
		h->cs_seq = seq;
		vf->ring[seq % g_dev.drv->max_pending_cs].sob_id = h->sob_id;
		vf->ring[seq % g_dev.drv->max_pending_cs].sob_val = h->pre_sob_val + h->count;
	}
	a->out.seq = out_seq;
	a->out.status = HL_CS_STATUS_SUCCESS;
	/* every part of a staged submission carries the chain's seq, as the program sees it */
	trace_cs(vf, out_seq, in, submit_ns, nr + ne);
	return 0;
drop:
	count_drop(vf, parsing, rc);
	return rc;
}

/*
 * Whether @queue has supports_sync_stream: on Gaudi the external queues; on Gaudi2 every
 * H/W queue but the NIC ones (gaudi2_set_fixed_properties).
 */
static int ss_queue(uint32_t queue)
{
	const struct mdl_queue_info *qi = g_dev.f->queue_info(queue);

	if (!qi)
		return 0;
	if (g_dev.drv->gaudi2)
		return qi->kind == MDL_QUEUE_HW && qi->engine_class != MDL_ENGINE_NIC;
	return qi->kind == MDL_QUEUE_EXT;
}

/*
 * Index of @queue among the queues with sync-stream support, in queue order (the order
 * sync_stream_queue_init numbers them in); -1 if it has none.
 */
static int ss_index(uint32_t queue)
{
	uint32_t q;
	int n = 0;

	if (!ss_queue(queue))
		return -1;
	for (q = 0; q < queue; q++)
		n += ss_queue(q);
	return n < (int)g_dev.drv->ss_queues ? n : -1;
}

/*
 * The model's number of the sync-manager block of the sync-stream SOBs and monitors: W_S on
 * Gaudi; on Gaudi2 DCORE0 (the driver's mmDCORE0_SYNC_MNGR_OBJS_* registers).
 */
static int ws_block(void)
{
	const struct mdl_asic_props *p = g_dev.p;
	const char *name = g_dev.drv->gaudi2 ? "DCORE0" : "W_S";
	uint32_t b;

	for (b = 0; b < p->sm_blocks && b < 8; b++)
		if (p->sm_block_names[b] && !strcmp(p->sm_block_names[b], name))
			return (int)b;
	return -1;
}

/*
 * Append a MSG_SHORT writing @value at offset @off from CP_MSG_BASE<@base>; RB set on Gaudi
 * (gaudi_gen_signal_cb, gaudi_add_mon_msg_short), not on Gaudi2 (its packets leave bit 30
 * clear).
 */
static size_t put_msg_short(uint8_t *out, size_t cap, uint8_t base, uint64_t off,
			    uint32_t value, uint8_t eb, uint8_t mb)
{
	struct hlsim_cmd c;

	memset(&c, 0, sizeof(c));
	c.kind = HLSIM_CMD_MSG;
	c.eb = eb;
	c.rb = !g_dev.drv->gaudi2;
	c.mb = mb;
	c.u.msg.addr = off;
	c.u.msg.value = value;
	c.u.msg.base = base;
	c.u.msg.is_short = 1;
	return g_dev.f->encode(&c, out, cap);
}

/*
 * The CP_MSG_BASE the driver's signal CB (@mon 0) or wait CB's monitor packets (@mon 1)
 * go through: Gaudi CP_MSG_BASE3 (W_S SOBs) / CP_MSG_BASE2 (W_S monitors); Gaudi2 base 1
 * (DCORE0 SOB_OBJ_0) / base 0 (DCORE0 MON_PAY_ADDRL_0), as gaudi2_gen_signal_cb and
 * gaudi2_add_mon_msg_short set GAUDI2_PKT_SHORT_CTL_BASE.
 */
static uint8_t ss_msg_base(int mon)
{
	if (g_dev.drv->gaudi2)
		return mon ? 0 : 1;
	return mon ? 2 : 3;
}

/*
 * The CB the driver builds for a signal CS on @queue: one MSG_SHORT adding 1 to SOB @sob,
 * with EB and MB set (gaudi_gen_signal_cb: through CP_MSG_BASE3, RB set too;
 * gaudi2_gen_signal_cb: through base 1, eb as init_signal_cs passes it, true).
 * Returns its size, 0 if the model cannot encode it.
 */
static size_t gen_signal_cb(uint32_t queue, uint32_t sob, uint8_t *out, size_t cap)
{
	const struct mdl_asic_funcs *f = g_dev.f;
	uint32_t qman = f->qman_of_queue(queue);
	uint8_t bn = ss_msg_base(0);
	uint64_t base = f->msg_base_addr(qman, bn);
	int ws = ws_block();

	if (ws < 0 || !base || !f->sob_value_encode)
		return 0;
	return put_msg_short(out, cap, bn, f->sob_addr((uint8_t)ws, sob) - base,
			     f->sob_value_encode(1, 1), 1, 1);
}

/*
 * The CB the driver builds for a wait CS on @queue (gaudi_gen_wait_cb, gaudi2_gen_wait_cb):
 * through the monitors' CP_MSG_BASE (ss_msg_base) monitor @mon gets the payload address of
 * the queue's CP_FENCE2_RDATA (low, high) and data 1, then is armed on SOB @sob >= @value
 * (one SOB of its group of 8; MB set on the arm only); then FENCE id 2, target 1, dec 1,
 * MB set. RB is set on every packet on Gaudi, on none on Gaudi2. Gaudi2's wait CB writes
 * no MON_CONFIG (the driver clears it when the context opens). Returns its size, 0 if the
 * model cannot encode it.
 */
static size_t gen_wait_cb(uint32_t queue, uint32_t mon, uint32_t sob, uint32_t value,
			  uint8_t *out, size_t cap)
{
	const struct mdl_asic_funcs *f = g_dev.f;
	const struct mdl_queue_info *qi = f->queue_info(queue);
	uint32_t qman = f->qman_of_queue(queue);
	uint8_t bn = ss_msg_base(1);
	uint64_t base = f->msg_base_addr(qman, bn), fence;
	struct mdl_mon_arm arm;
	struct hlsim_cmd c;
	size_t n = 0, k;
	int ws = ws_block();

	if (ws < 0 || !base || !qi || !f->mon_arm_encode)
		return 0;
	fence = f->fence_addr(qman, qi->stream, VDEV_SS_FENCE_ID);
	k = put_msg_short(out, cap, bn,
			  f->mon_addr((uint8_t)ws, mon, MDL_TARGET_MON_PAY_ADDRL) - base,
			  (uint32_t)fence, 0, 0);
	n += k;
	k = k ? put_msg_short(out + n, cap - n, bn,
			      f->mon_addr((uint8_t)ws, mon, MDL_TARGET_MON_PAY_ADDRH) - base,
			      (uint32_t)(fence >> 32), 0, 0) :
		0;
	n += k;
	k = k ? put_msg_short(out + n, cap - n, bn,
			      f->mon_addr((uint8_t)ws, mon, MDL_TARGET_MON_PAY_DATA) - base, 1, 0,
			      0) :
		0;
	n += k;
	arm = (struct mdl_mon_arm){ .group = sob / g_dev.p->mon_max_sobs,
				    .mask = ~(1u << (sob % g_dev.p->mon_max_sobs)) & 0xFFu,
				    .mode_eq = 0,
				    .value = value };
	k = k ? put_msg_short(out + n, cap - n, bn,
			      f->mon_addr((uint8_t)ws, mon, MDL_TARGET_MON_ARM) - base,
			      f->mon_arm_encode(&arm), 0, 1) :
		0;
	n += k;
	if (!k)
		return 0;
	memset(&c, 0, sizeof(c));
	c.kind = HLSIM_CMD_FENCE;
	c.rb = !g_dev.drv->gaudi2;
	c.mb = 1;
	c.u.fence.id = VDEV_SS_FENCE_ID;
	c.u.fence.target = 1;
	c.u.fence.dec = 1;
	k = f->encode(&c, out + n, cap - n);
	return k ? n + k : 0;
}

/* W_S SOB @which (0, 1) of the queue of sync-stream index @ssi. */
static uint32_t ss_sob(int ssi, uint32_t which)
{
	return g_dev.drv->ss_first_sob + (uint32_t)ssi * VDEV_SS_RSVD_SOBS + which;
}

/*
 * Reservation @h, if it is still held: the driver releases it when it is unreserved or
 * when the CS holding its signals completes (the last reference, in cs_do_release).
 */
static struct vsig *sig_live(struct vfile *vf, struct vsig *h)
{
	enum trc_vx_cs_state st;

	if (!h->id)
		return NULL;
	if (h->cs_seq) {
		st = vcs_state(vf, h->cs_seq, NULL);
		if (st != TRC_VX_CS_PENDING) {
			h->id = 0;
			return NULL;
		}
	}
	return h;
}

/* The live reservation of handle @id. */
static struct vsig *sig_find(struct vfile *vf, uint32_t id)
{
	uint32_t i;

	for (i = 0; id && i < vf->nsigs; i++)
		if (vf->sigs[i].id == id)
			return sig_live(vf, &vf->sigs[i]);
	return NULL;
}

static int sob_in_flight(struct vfile *vf, uint32_t sob);

/* Whether a signal or wait CS that has not completed, or a reservation, uses W_S SOB @sob. */
static int sob_in_use(struct vfile *vf, uint32_t sob)
{
	uint32_t i;

	for (i = 0; i < vf->nsigs; i++)
		if (vf->sigs[i].sob_id == sob && sig_live(vf, &vf->sigs[i]))
			return 1;
	return sob_in_flight(vf, sob);
}

/*
 * hl_cs_signal_sob_wraparound_handler, first half: 0 if @count more signals fit in the
 * current SOB of the queue of index @ssi, 1 if the queue must switch to its other SOB,
 * -EINVAL (with a message) if that one is still in use.
 */
static int ss_check(struct vfile *vf, int ssi, uint32_t count, uint32_t queue)
{
	const struct vss *ss = &vf->ss[ssi];
	uint32_t other = ss_sob(ssi, ss->curr ^ 1u);

	if (ss->next_sob_val + count < VDEV_MAX_SOB_VAL)
		return 0;
	if (sob_in_use(vf, other)) {
		fprintf(stderr, "hlsim vdev: CS refused (EINVAL): cannot switch SOBs of queue %u "
				"(SOB %u is still used by a signal or wait CS in flight or a "
				"reservation)\n",
			queue, other);
		return -EINVAL;
	}
	return 1;
}

/*
 * Second half: advance the next value by @count, switching SOBs first if ss_check said so;
 * the other SOB is set to 0 if it was used before (gaudi_reset_sob, a register write the
 * driver makes when its last user completes). After a switch the next value is @count,
 * or @count + 1 for a reservation (@encaps).
 */
static void ss_advance(struct vfile *vf, int ssi, uint32_t count, int encaps, int64_t when_ns)
{
	struct vss *ss = &vf->ss[ssi];
	uint32_t other = ss->curr ^ 1u;
	int ws = ws_block();

	ss->used[ss->curr] = 1;
	if (ss->next_sob_val + count < VDEV_MAX_SOB_VAL) {
		ss->next_sob_val += count;
		return;
	}
	if (ss->used[other] && ws >= 0)
		trc_vx_write32(vf->vx, g_dev.f->sob_addr((uint8_t)ws, ss_sob(ssi, other)),
			       g_dev.f->sob_value_encode(0, 0), when_ns);
	ss->curr = (uint8_t)other;
	ss->used[other] = 1;
	ss->next_sob_val = encaps ? count + 1 : count;
}

/*
 * hl_hw_sob->sob_addr: the address of W_S SOB @sob from CFG_BASE; 0 on Gaudi2, whose
 * get_sob_addr returns 0.
 */
static uint32_t sob_offset(uint32_t sob)
{
	int ws = ws_block();

	return ws < 0 || !g_dev.drv->ss_sob_addr ? 0 :
			(uint32_t)(g_dev.f->sob_addr((uint8_t)ws, sob) - g_dev.p->cfg_base);
}

/* Whether a signal or wait CS that has not completed uses W_S SOB @sob. */
static int sob_in_flight(struct vfile *vf, uint32_t sob)
{
	uint64_t s, lo = vf->last_seq > g_dev.drv->max_pending_cs ?
				 vf->last_seq - g_dev.drv->max_pending_cs + 1 :
				 1;

	for (s = lo; s <= vf->last_seq; s++) {
		const struct vcs *e = vcs_of(vf, s);

		if (e && e->type != VCS_DEFAULT && e->sob_id == sob &&
		    trc_vx_cs_state(vf->vx, s, NULL) == TRC_VX_CS_PENDING)
			return 1;
	}
	return 0;
}

/*
 * The signal a wait CS waits for (cs_ioctl_extract_signal_seq, init_wait_cs): *@sob and
 * *@value. Returns 0 with them set, 1 if the signal has completed (or is long gone: the
 * driver submits nothing and answers success with out.seq ULLONG_MAX), or -errno with
 * *@counted whether the driver counts the refusal as a validation drop. A plain wait names
 * one signal CS in signal_seq_arr (num_signal_seq_arr 1). With ENCAP_SIGNALS it names in
 * encaps_signal_seq the staged CS holding a reservation's signals and in
 * encaps_signal_offset which of them (1..count; 0: the first), the SOB value being the
 * reservation's first value + offset - 1 (hl_hw_queue_encaps_sig_set_sob_info).
 */
static int wait_target(struct vfile *vf, const struct hl_cs_in *in, const struct hl_cs_chunk *ch,
		       int64_t submit_ns, uint32_t *sob, uint32_t *value, int *counted)
{
	int encaps = !!(in->cs_flags & HL_CS_FLAGS_ENCAP_SIGNALS);
	const struct vsig *h = NULL;
	const struct vcs *e;
	enum trc_vx_cs_state st;
	int64_t done_ns = 0;
	uint64_t sig;
	uint32_t i;

	*counted = 1;
	if (encaps) {
		sig = ch->encaps_signal_seq;
		for (i = 0; i < vf->nsigs && !h; i++)
			if (vf->sigs[i].cs_seq == sig && sig_live(vf, &vf->sigs[i]))
				h = &vf->sigs[i];
		if (!h)
			return 1; /* "Cannot find encapsulated signals handle": finished */
		if (ch->encaps_signal_offset > h->count) {
			fprintf(stderr, "hlsim vdev: wait CS refused (EINVAL): offset(%u) value "
					"exceed max reserved signals count(%u)\n",
				ch->encaps_signal_offset, h->count);
			*counted = 0;
			return -EINVAL;
		}
	} else {
		if (ch->num_signal_seq_arr != 1) {
			fprintf(stderr, "hlsim vdev: wait CS refused (EINVAL): wait for signal CS "
					"supports only one signal CS seq (num_signal_seq_arr %u)\n",
				ch->num_signal_seq_arr);
			return -EINVAL;
		}
		if (trc_vdev_uread(&sig, ch->signal_seq_arr, sizeof(sig)))
			return -EFAULT; /* "Failed to copy signal seq array from user" */
	}
	if (sig > vf->last_seq) {
		fprintf(stderr, "hlsim vdev: wait CS refused (EINVAL): failed to get signal CS "
				"with seq 0x%" PRIx64 " (the last CS is %" PRIu64 ")\n",
			sig, vf->last_seq);
		return -EINVAL;
	}
	e = vf->last_seq - sig < g_dev.drv->max_pending_cs ? vcs_of(vf, sig) : NULL;
	if (!e)
		return 1; /* its fence is gone: the signal finished */
	if (e->type != VCS_SIGNAL && !(e->type == VCS_DEFAULT && encaps)) {
		fprintf(stderr, "hlsim vdev: wait CS refused (EINVAL): CS seq 0x%" PRIx64 " is not "
				"of a signal/encaps-signal CS\n",
			sig);
		return -EINVAL;
	}
	/*
	 * completion_done() on the signal's fence, at this submission's time: on the
	 * simulated timeline the signal completes at its estimated completion.
	 */
	st = vcs_state(vf, sig, &done_ns);
	if (st != TRC_VX_CS_PENDING && (st != TRC_VX_CS_DONE || done_ns <= submit_ns))
		return 1;
	if (h) {
		*sob = h->sob_id;
		*value = h->pre_sob_val +
			 (ch->encaps_signal_offset ? ch->encaps_signal_offset - 1 : 0);
	} else {
		*sob = e->sob_id;
		*value = e->sob_val;
	}
	return 0;
}

/*
 * A signal or wait CS (cs_ioctl_signal_wait, init_signal_cs, init_wait_cs): one chunk naming
 * a queue with sync-stream support; the driver builds the CB (gen_signal_cb, gen_wait_cb)
 * and runs it on that queue as an external job. A signal CS increments the queue's current
 * SOB; out.sob_base_addr_offset is that SOB's address from CFG_BASE after the submission
 * and out.sob_count_before_submission next value - 1. A wait CS waits on its queue until
 * the signal's SOB reaches the signal's value (wait_target). A signal already complete at
 * submission (or long gone) submits nothing: success with out.seq ULLONG_MAX, as the driver.
 */
static int cs_signal_wait(struct vfile *vf, const struct hl_cs_in *in, union hl_cs_args *a,
			  int64_t submit_ns)
{
	int wait = !!(in->cs_flags & HL_CS_FLAGS_WAIT);
	uint8_t cb[VDEV_SS_CB_BYTES];
	struct hlsim_trace_job *j;
	struct hl_cs_chunk ch;
	struct trc_vx_job xj;
	uint32_t sob = 0, sob_val = 0;
	uint64_t seq;
	hlsim_err_t trc;
	size_t n;
	int ssi, rc, counted = 1;

	if (trc_vdev_uread(&ch, in->chunks_execute, sizeof(ch))) {
		rc = -EFAULT; /* "Failed to copy cs chunk array from user" */
		goto drop;
	}
	ssi = ss_index(ch.queue_index);
	if (ssi < 0) {
		fprintf(stderr, "hlsim vdev: %s CS refused (EINVAL): queue index %u does not "
				"support sync stream operations (%s)\n",
			wait ? "wait" : "signal", ch.queue_index,
			g_dev.drv->gaudi2 ? "on Gaudi2 every queue but the NIC and CPU ones does" :
					    "on Gaudi only the external queues DMA_0_x and "
					    "DMA_1_x do");
		rc = -EINVAL;
		goto drop;
	}
	if ((vf->last_seq == 0 || (in->cs_flags & HL_CS_FLAGS_FORCE_RESTORE)) &&
	    in->num_chunks_restore) {
		fprintf(stderr, "hlsim vdev: a restore phase before a signal or wait CS is not "
				"emulated: the CS fails with EOPNOTSUPP\n");
		return -EOPNOTSUPP;
	}
	if (wait) {
		rc = wait_target(vf, in, &ch, submit_ns, &sob, &sob_val, &counted);
		if (rc == 1) {
			a->out.seq = VDEV_SEQ_NONE;
			return 0;
		}
		if (rc)
			goto drop;
		n = gen_wait_cb(ch.queue_index,
				g_dev.drv->ss_first_mon + (uint32_t)ssi * VDEV_SS_RSVD_MONS, sob,
				sob_val,
				cb, sizeof(cb));
	} else {
		sob = ss_sob(ssi, vf->ss[ssi].curr);
		sob_val = vf->ss[ssi].next_sob_val;
		n = gen_signal_cb(ch.queue_index, sob, cb, sizeof(cb));
		rc = ss_check(vf, ssi, 1, ch.queue_index);
		if (rc < 0)
			return rc;
	}
	if (!n) {
		fprintf(stderr, "hlsim vdev: the %s model cannot encode the driver's %s CB: %s\n",
			g_dev.p->asic_name, wait ? "wait" : "signal", hlsim_last_error_detail());
		return -EIO;
	}
	seq = vf->last_seq + 1;
	if (slot_busy(vf, seq))
		return -EAGAIN;
	xj = (struct trc_vx_job){ .queue_id = ch.queue_index,
				  .external = 1,
				  .bytes = cb,
				  .size_bytes = (uint32_t)n };
	rc = trc_vx_submit(vf->vx, seq, &xj, 1, submit_ns);
	if (rc)
		goto drop;
	vf->last_seq = seq;
	vf->ring[seq % g_dev.drv->max_pending_cs] =
		(struct vcs){ .seq = seq,
			      .flags = in->cs_flags,
			      .type = (uint8_t)(wait ? VCS_WAIT : VCS_SIGNAL),
			      .sob_id = (uint16_t)sob,
			      .sob_val = sob_val };
	a->out.seq = seq;
	a->out.status = HL_CS_STATUS_SUCCESS;
	if (!wait) {
		ss_advance(vf, ssi, 1, 0, submit_ns);
		a->out.sob_base_addr_offset = sob_offset(ss_sob(ssi, vf->ss[ssi].curr));
		a->out.sob_count_before_submission = (uint16_t)(vf->ss[ssi].next_sob_val - 1);
	}
	if (g_tr.state == 1 && jobs_reserve(1)) {
		trace_fail("cannot record a CS", HLSIM_E_NOMEM);
	} else if (g_tr.state == 1) {
		j = &g_tr.jobs[0];
		*j = (struct hlsim_trace_job){ .cb_handle = 0,
					       .queue_id = ch.queue_index,
					       .cb_size = (uint32_t)n,
					       .phase = HLSIM_PHASE_EXECUTE,
					       .blob_id = HLSIM_TRACE_NO_BLOB };
		trc = trace_blob(vf->minor, cb, (uint32_t)n, &j->blob_id);
		if (trc)
			trace_fail("cannot record a CB", trc);
		else
			trace_cs(vf, seq, in, submit_ns, 1);
	}
	return 0;
drop:
	if (counted)
		count_drop(vf, 0, rc);
	return rc;
}

/*
 * RESERVE_SIGNALS_ONLY (cs_ioctl_reserve_signals): reserve in.encaps_signals_count signals
 * on the current SOB of queue in.encaps_signals_q_idx, for a staged CS whose own CBs signal
 * them (ENCAP_SIGNALS): out.handle_id (the lowest free id from 1), out.sob_base_addr_offset,
 * out.count (the queue's next value after the reservation). No CS runs, no seq is used.
 */
static int cs_reserve(struct vfile *vf, const struct hl_cs_in *in, union hl_cs_args *a,
		      int64_t when_ns)
{
	uint32_t count = in->encaps_signals_count, q = in->encaps_signals_q_idx, id, i;
	struct vsig *h = NULL;
	int ssi, rc;

	if (count >= VDEV_MAX_SOB_VAL) {
		fprintf(stderr, "hlsim vdev: signals count(%u) exceeds the max SOB value\n",
			count);
		return -EINVAL;
	}
	ssi = ss_index(q);
	if (ssi < 0) {
		fprintf(stderr, "hlsim vdev: signal reservation refused (EINVAL): queue index %u "
				"does not support sync stream operations\n",
			q);
		return -EINVAL;
	}
	for (id = 1;; id++) { /* idr_alloc(..., 1, 0): the lowest free id */
		for (i = 0; i < vf->nsigs && !(vf->sigs[i].id == id && sig_live(vf, &vf->sigs[i]));
		     i++)
			;
		if (i == vf->nsigs)
			break;
	}
	for (i = 0; i < vf->nsigs && !h; i++)
		if (!sig_live(vf, &vf->sigs[i]))
			h = &vf->sigs[i];
	if (!h) {
		h = realloc(vf->sigs, (vf->nsigs + 1) * sizeof(*h));
		if (!h)
			return -ENOMEM;
		vf->sigs = h;
		h = &vf->sigs[vf->nsigs++];
	}
	rc = ss_check(vf, ssi, count, q);
	if (rc < 0)
		return rc;
	ss_advance(vf, ssi, count, 1, when_ns);
	*h = (struct vsig){ .id = id,
			    .count = count,
			    .pre_sob_val = vf->ss[ssi].next_sob_val - count,
			    .sob_id = (uint16_t)ss_sob(ssi, vf->ss[ssi].curr),
			    .ssi = (uint8_t)ssi };
	a->out.handle_id = id;
	a->out.count = vf->ss[ssi].next_sob_val;
	a->out.sob_base_addr_offset = sob_offset(h->sob_id);
	a->out.status = HL_CS_STATUS_SUCCESS;
	return 0;
}

/*
 * UNRESERVE_SIGNALS_ONLY (cs_ioctl_unreserve_signals): give back reservation
 * in.encaps_sig_handle_id; EINVAL if there is none, or if the queue's SOB value moved on
 * since (other signals, a SOB switch). out.seq is ULLONG_MAX, as the driver leaves it.
 */
static int cs_unreserve(struct vfile *vf, const struct hl_cs_in *in, union hl_cs_args *a)
{
	struct vsig *h = sig_find(vf, in->encaps_sig_handle_id);
	struct vss *ss;

	if (!h) {
		fprintf(stderr, "hlsim vdev: failed to unreserve signals, cannot find handler %u "
				"(EINVAL)\n",
			in->encaps_sig_handle_id);
		return -EINVAL;
	}
	ss = &vf->ss[h->ssi];
	if (h->pre_sob_val + h->count != ss->next_sob_val ||
	    h->sob_id != ss_sob(h->ssi, ss->curr)) {
		fprintf(stderr, "hlsim vdev: cannot unreserve signals, SOB val ran out of sync, "
				"expected: %u, actual val: %u (EINVAL)\n",
			h->pre_sob_val, ss->next_sob_val - h->count);
		return -EINVAL;
	}
	ss->next_sob_val -= h->count;
	h->id = 0;
	a->out.seq = VDEV_SEQ_NONE;
	a->out.status = HL_CS_STATUS_SUCCESS;
	return 0;
}

/*
 * HL_IOCTL_CS (hl_cs_ioctl): the sanity checks, then a signal / wait CS or a default one.
 * On failure the driver answers out.seq ULLONG_MAX and out.status = the error, except for
 * EAGAIN, which leaves the arguments as they were.
 */
static int do_cs(struct vfile *vf, int fd, union hl_cs_args *a)
{
	static int warned;
	int64_t submit_ns = clock_ns(CLOCK_MONOTONIC);
	struct hl_cs_in in = a->in;
	uint32_t type = in.cs_flags & VDEV_CS_TYPE_FLAGS;
	int rc;

	memset(a, 0, sizeof(*a));
	if ((in.cs_flags & HL_CS_FLAGS_STAGED_SUBMISSION) && !g_dev.drv->staged) {
		/* gaudi2_sw_init leaves supports_staged_submission unset */
		fprintf(stderr, "hlsim vdev: CS refused (EPERM): staged submission not supported "
				"(on %s)\n",
			g_dev.p->asic_name);
		rc = -EPERM;
	} else if (type & (type - 1)) {
		fprintf(stderr, "hlsim vdev: CS refused (EINVAL): CS type flags are mutually "
				"exclusive (cs_flags 0x%x)\n",
			in.cs_flags);
		rc = -EINVAL;
	} else if ((type & (HL_CS_FLAGS_SIGNAL | HL_CS_FLAGS_WAIT | HL_CS_FLAGS_COLLECTIVE_WAIT)) &&
		   in.num_chunks_execute != 1) {
		fprintf(stderr, "hlsim vdev: CS refused (EINVAL): sync stream CS mandates one "
				"chunk only (num_chunks_execute %u)\n",
			in.num_chunks_execute);
		rc = -EINVAL;
	} else if (in.cs_flags & VDEV_CS_UNSERVED_FLAGS) {
		warn_once(&warned, "CS flags collective-wait / engine-core commands are not "
				   "emulated: such a CS fails with EOPNOTSUPP");
		rc = -EOPNOTSUPP;
	} else if (type == HL_CS_FLAGS_RESERVE_SIGNALS_ONLY) {
		rc = cs_reserve(vf, &in, a, submit_ns);
		if (rc && rc != -EAGAIN) {
			a->out.status = (uint32_t)rc; /* handle, SOB and count stay 0 */
			return rc;
		}
	} else if (type == HL_CS_FLAGS_UNRESERVE_SIGNALS_ONLY) {
		rc = cs_unreserve(vf, &in, a);
	} else if (type) {
		rc = cs_signal_wait(vf, &in, a, submit_ns);
	} else {
		rc = cs_default(vf, fd, &in, a, submit_ns);
	}
	if (rc == -EAGAIN) {
		a->in = in;
	} else if (rc) {
		memset(a, 0, sizeof(*a));
		a->out.seq = VDEV_SEQ_NONE;
		a->out.status = (uint32_t)rc;
	}
	return rc;
}

/* Sleep until CLOCK_MONOTONIC @until_ns without holding the lock (other threads go on). */
static void sleep_until(int64_t until_ns)
{
	struct timespec ts = { .tv_sec = until_ns / 1000000000, .tv_nsec = until_ns % 1000000000 };

	pthread_mutex_unlock(&g_lock);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
	pthread_mutex_lock(&g_lock);
}

/* When a wait with @timeout_us that began at @enter_ns gives up (INT64_MAX: never). */
static int64_t wait_limit_ns(int64_t enter_ns, uint64_t timeout_us)
{
	return timeout_us > (uint64_t)(INT64_MAX / 2000) ? INT64_MAX :
							    enter_ns + (int64_t)timeout_us * 1000;
}

/*
 * WAIT_CS on CS @seq: the executor ran it when it was submitted. A CS still pending can
 * never finish (every queue holding it is blocked and nothing runs between ioctls), so
 * it is declared timed out at once unless the call only polls; with --pace real the call
 * returns when the simulated completion time has passed on the wall clock.
 */
static int wait_one(struct vfile *vf, uint64_t seq, const struct hl_wait_cs_in *in,
		    struct hl_wait_cs_out *out, int64_t enter_ns)
{
	/* read before any sleep: another thread may close the file meanwhile */
	const struct vcs *e = vcs_of(vf, seq);
	uint32_t cs_flags = e ? e->flags : 0;
	enum trc_vx_cs_state st;
	int64_t done_ns = 0, limit_ns;

	st = vcs_state(vf, seq, &done_ns);
	if (st == TRC_VX_CS_DONE)
		cosim_done(vf, seq, &done_ns);
	if (st == TRC_VX_CS_PENDING) {
		if (!in->timeout_us) {
			out->status = HL_WAIT_CS_STATUS_BUSY;
			return 0;
		}
		vcs_time_out(vf, seq);
		st = TRC_VX_CS_FAILED;
	}
	if (st == TRC_VX_CS_FAILED) {
		out->status = HL_WAIT_CS_STATUS_TIMEDOUT;
		return -ETIMEDOUT;
	}
	if (st == TRC_VX_CS_UNKNOWN) { /* its slot was reused: long gone */
		out->status = HL_WAIT_CS_STATUS_COMPLETED;
		out->flags = HL_WAIT_CS_STATUS_FLAG_GONE;
		return 0;
	}
	if (g_dev.pace_real && clock_ns(CLOCK_MONOTONIC) < done_ns) {
		/* the wait ends at the completion or at the caller's timeout, as the driver's */
		limit_ns = wait_limit_ns(enter_ns, in->timeout_us);
		if (!in->timeout_us || limit_ns < done_ns) {
			if (in->timeout_us)
				sleep_until(limit_ns);
			out->status = HL_WAIT_CS_STATUS_BUSY;
			return 0;
		}
		sleep_until(done_ns);
	}
	out->status = HL_WAIT_CS_STATUS_COMPLETED;
	if (cs_flags & HL_CS_FLAGS_TIMESTAMP) {
		/* the simulated completion on the host's CLOCK_MONOTONIC (cs_do_release) */
		out->flags = HL_WAIT_CS_STATUS_FLAG_TIMESTAMP_VLD;
		out->timestamp_nsec = done_ns;
	}
	return 0;
}

/** struct mcs_ent - one CS of a multi-CS wait, as polled (hl_cs_poll_fences). */
struct mcs_ent {
	int64_t done_ns;
	uint8_t st; /* enum trc_vx_cs_state; UNKNOWN: gone */
	uint8_t ts; /* its CS asked for a timestamp */
};

/*
 * The completion map of @n polled CSs at CLOCK_MONOTONIC @now_ns (INT64_MAX: whatever the
 * executor finished, the answer without --pace real), with in *@ts_ns the driver's
 * timestamp: the earliest completion among them, where a CS submitted without
 * HL_CS_FLAGS_TIMESTAMP counts as 0 (its fence has no timestamp), and 0 if one is gone
 * (hl_cs_poll_fences stops updating it).
 */
static uint32_t mcs_map(const struct mcs_ent *m, uint32_t n, int64_t now_ns, int64_t *ts_ns)
{
	int64_t first = INT64_MAX;
	uint32_t map = 0, i;
	int gone = 0;

	for (i = 0; i < n; i++) {
		if (m[i].st == TRC_VX_CS_UNKNOWN) {
			map |= 1u << i;
			gone = 1;
		} else if (m[i].st == TRC_VX_CS_DONE && m[i].done_ns <= now_ns) {
			map |= 1u << i;
			if ((m[i].ts ? m[i].done_ns : 0) < first)
				first = m[i].ts ? m[i].done_ns : 0;
		}
	}
	*ts_ns = gone || first == INT64_MAX ? 0 : first;
	return map;
}

/*
 * With the co-simulation: the replay's host waits for the first of @seqs in array order
 * that has completed or is gone (the seq the wait records, see wait_multi); if it has
 * completed, the simulated host waits for it, and every completed entry of @m takes the
 * simulator's time. One that had not completed in the simulation by then completes
 * later than every time known: it gets INT64_MAX - 1, so that it is never the earliest
 * (the timestamp), is in the map without --pace real (every CS the executor finished
 * is, as without the co-simulation) and is not with it.
 */
static void cosim_multi(struct vfile *vf, const uint64_t *seqs, struct mcs_ent *m, uint32_t n)
{
	int64_t ns[HL_WAIT_MULTI_CS_LIST_MAX_LEN];
	uint32_t i, k;

	for (k = 0; k < n && m[k].st != TRC_VX_CS_DONE && m[k].st != TRC_VX_CS_UNKNOWN; k++)
		;
	if (k == n || m[k].st != TRC_VX_CS_DONE)
		return;
	if (trc_vcosim_wait(vf->minor, seqs[k], seqs, n, ns))
		return;
	for (i = 0; i < n; i++)
		if (m[i].st == TRC_VX_CS_DONE)
			m[i].done_ns = ns[i] >= 0 ? ns[i] : INT64_MAX - 1;
}

/*
 * WAIT_CS with HL_WAIT_CS_FLAGS_MULTI_CS (hl_multi_cs_wait_ioctl; Gaudi sets
 * supports_wait_for_multi_cs): in.seq points at in.seq_arr_len (<= 32) seqs. COMPLETED with
 * cs_completion_map as soon as at least one has completed (a seq older than the pending
 * window counts as completed, gone); BUSY if none has and the call only polls or its timeout
 * passes first. A CS that timed out fails the call with ETIMEDOUT; a seq not submitted yet
 * with EINVAL; an unreadable array with EFAULT: on these errors the arguments are left as
 * they were (the driver returns before writing them). When none has completed and the
 * pending ones can never complete (nothing runs between ioctls), they are declared timed
 * out at once, as single waits do. *@rec_seq gets the seq to record: the first completed
 * one in array order (the one whose completion the replay must wait for), else the first.
 */
static int wait_multi(struct vfile *vf, union hl_wait_cs_args *a, int64_t enter_ns,
		      uint64_t *rec_seq)
{
	struct mcs_ent m[HL_WAIT_MULTI_CS_LIST_MAX_LEN];
	uint64_t seqs[HL_WAIT_MULTI_CS_LIST_MAX_LEN];
	struct hl_wait_cs_in in = a->in;
	uint32_t n = in.seq_arr_len, i, map;
	int64_t ts_ns = 0, now_ns, next_ns = INT64_MAX, limit_ns;
	int pending = 0;

	*rec_seq = 0;
	/* [I] "Padding bytes must be 0" as the later driver checks (the 6.1 one may not) */
	for (i = 0; i < sizeof(in.pad); i++)
		if (in.pad[i])
			return -EINVAL;
	if (n > HL_WAIT_MULTI_CS_LIST_MAX_LEN) {
		fprintf(stderr, "hlsim vdev: multi-CS WAIT_CS refused (EINVAL): can wait only up "
				"to %u CSs, input sequence is of length %u\n",
			HL_WAIT_MULTI_CS_LIST_MAX_LEN, n);
		return -EINVAL;
	}
	if (trc_vdev_uread(seqs, in.seq, (size_t)n * sizeof(seqs[0])))
		return -EFAULT; /* "Failed to copy multi-cs sequence array from user" */
	if (n)
		*rec_seq = seqs[0];
	for (i = 0; i < n; i++) {
		if (seqs[i] > vf->last_seq) { /* hl_ctx_get_fences */
			fprintf(stderr, "hlsim vdev: multi-CS WAIT_CS refused (EINVAL): failed to "
					"get fence for CS with seq 0x%" PRIx64 " (the last CS is %"
					PRIu64 ")\n",
				seqs[i], vf->last_seq);
			return -EINVAL;
		}
	}
	for (i = 0; i < n; i++) {
		const struct vcs *e = vcs_of(vf, seqs[i]);

		m[i] = (struct mcs_ent){ 0 };
		if (!seqs[i] || vf->last_seq - seqs[i] >= g_dev.drv->max_pending_cs || !e)
			continue; /* gone */
		m[i].st = (uint8_t)vcs_state(vf, seqs[i], &m[i].done_ns);
		m[i].ts = !!(e->flags & HL_CS_FLAGS_TIMESTAMP);
		if (m[i].st == TRC_VX_CS_FAILED)
			return -ETIMEDOUT; /* the fence's error, at the first failed CS */
		pending |= m[i].st == TRC_VX_CS_PENDING;
	}
	cosim_multi(vf, seqs, m, n);
	for (i = 0; i < n; i++)
		if (m[i].st == TRC_VX_CS_DONE && m[i].done_ns < next_ns)
			next_ns = m[i].done_ns;
	now_ns = g_dev.pace_real ? clock_ns(CLOCK_MONOTONIC) : INT64_MAX;
	map = mcs_map(m, n, now_ns, &ts_ns);
	if (!map && in.timeout_us && next_ns != INT64_MAX) {
		/* --pace real: sleep until the first completion or the timeout */
		limit_ns = wait_limit_ns(enter_ns, in.timeout_us);
		sleep_until(limit_ns < next_ns ? limit_ns : next_ns);
		if (limit_ns >= next_ns) {
			map = mcs_map(m, n, next_ns, &ts_ns);
			/* woken by the first completion: its fence's timestamp */
			for (i = 0; i < n; i++)
				if (m[i].st == TRC_VX_CS_DONE && m[i].done_ns == next_ns)
					break;
			ts_ns = i < n && m[i].ts ? next_ns : 0;
		}
	} else if (!map && in.timeout_us && pending) {
		for (i = 0; i < n; i++)
			if (m[i].st == TRC_VX_CS_PENDING &&
			    vcs_state(vf, seqs[i], NULL) == TRC_VX_CS_PENDING)
				vcs_time_out(vf, seqs[i]);
		return -ETIMEDOUT;
	}
	memset(a, 0, sizeof(*a));
	if (!map) {
		a->out.status = HL_WAIT_CS_STATUS_BUSY;
		return 0;
	}
	for (i = 0; !(map & (1u << i)); i++)
		;
	*rec_seq = seqs[i];
	a->out.status = HL_WAIT_CS_STATUS_COMPLETED;
	a->out.cs_completion_map = map;
	if (ts_ns) {
		a->out.timestamp_nsec = ts_ns;
		a->out.flags = HL_WAIT_CS_STATUS_FLAG_TIMESTAMP_VLD;
	} else {
		a->out.flags = HL_WAIT_CS_STATUS_FLAG_GONE; /* "update if some CS was gone" */
	}
	return 0;
}

static int do_wait(struct vfile *vf, union hl_wait_cs_args *a)
{
	static int warned;
	int64_t enter_ns = clock_ns(CLOCK_MONOTONIC);
	struct hl_wait_cs_in in = a->in;
	struct hlsim_trace_wait wt;
	uint32_t dev = vf->minor; /* @vf may be closed by another thread while WAIT_CS sleeps */
	uint64_t rec_seq = in.seq;
	hlsim_err_t trc;
	int rc = 0;

	if (in.flags & VDEV_WAIT_UNSERVED_FLAGS) {
		memset(a, 0, sizeof(*a));
		warn_once(&warned, "WAIT_CS on interrupts is not emulated (the virtual device "
				   "raises no user interrupts): it fails with EOPNOTSUPP");
		return -EOPNOTSUPP;
	}
	if ((in.flags & HL_WAIT_CS_FLAGS_MULTI_CS) && !g_dev.drv->multi_cs) {
		/* gaudi2_sw_init: supports_wait_for_multi_cs = false */
		memset(a, 0, sizeof(*a));
		fprintf(stderr, "hlsim vdev: WAIT_CS refused (EPERM): wait for multi CS is not "
				"supported (on %s)\n",
			g_dev.p->asic_name);
		return -EPERM;
	}
	if (in.flags & HL_WAIT_CS_FLAGS_MULTI_CS) {
		rc = wait_multi(vf, a, enter_ns, &rec_seq);
	} else {
		memset(a, 0, sizeof(*a));
		if (!in.seq || in.seq > vf->last_seq) {
			/* "Can't wait on CS %llu because current CS is at seq %llu" */
			rc = -EINVAL;
		} else if (vf->last_seq - in.seq >= g_dev.drv->max_pending_cs) {
			a->out.status = HL_WAIT_CS_STATUS_COMPLETED;
			a->out.flags = HL_WAIT_CS_STATUS_FLAG_GONE; /* its fence is long freed */
		} else {
			rc = wait_one(vf, in.seq, &in, &a->out, enter_ns);
		}
	}
	if (g_tr.state == 1) {
		int multi_err = rc && (in.flags & HL_WAIT_CS_FLAGS_MULTI_CS);

		wt = (struct hlsim_trace_wait){
			.seq = rec_seq,
			.timeout_us = in.timeout_us,
			.enter_ns = enter_ns,
			.exit_ns = clock_ns(CLOCK_MONOTONIC),
			.timestamp_ns = multi_err ? 0 : a->out.timestamp_nsec,
			.status = multi_err ? (rc == -ETIMEDOUT ? HL_WAIT_CS_STATUS_TIMEDOUT : 0) :
					      a->out.status,
			.flags = in.flags,
			.out_flags = multi_err ? 0 : a->out.flags,
			.cs_completion_map = multi_err ? 0 : a->out.cs_completion_map,
			.rc = rc
		};
		trc = hlsim_trace_add_wait(g_tr.w, dev, &wt);
		if (trc)
			trace_fail("cannot record a WAIT_CS", trc);
	}
	return rc;
}

static int do_debug(struct hl_debug_args *a)
{
	static int warned;

	switch (a->op) {
	case HL_DEBUG_OP_SET_MODE:
		warn_once(&warned, "HL_IOCTL_DEBUG: the profiling hardware (CoreSight, BMON, "
				   "SPMU) is not modelled: SET_MODE fails with EOPNOTSUPP");
		return -EOPNOTSUPP;
	case HL_DEBUG_OP_ETR:
	case HL_DEBUG_OP_ETF:
	case HL_DEBUG_OP_STM:
	case HL_DEBUG_OP_FUNNEL:
	case HL_DEBUG_OP_BMON:
	case HL_DEBUG_OP_SPMU:
	case HL_DEBUG_OP_TIMESTAMP:
		return -EFAULT; /* the driver's answer when the device is not in debug mode */
	default:
		return -EINVAL;
	}
}

int trc_vdev_ioctl(int fd, unsigned long req, void *arg)
{
	/* The kernel's buffer: the largest size an ioctl number can encode (14 bits). */
	union {
		uint64_t align;
		uint8_t b[1u << _IOC_SIZEBITS];
		struct hl_info_args info;
		union hl_cb_args cb;
		union hl_cs_args cs;
		union hl_wait_cs_args wait;
		union hl_mem_args mem;
		struct hl_debug_args debug;
	} k;
	unsigned int nr = _IOC_NR(req), usize = _IOC_SIZE(req), cmd;
	struct vfile *vf;
	int rc, wrc;

	pthread_mutex_lock(&g_lock);
	vf = lookup(fd);
	if (!vf) {
		rc = -EBADF;
		goto out;
	}
	/* Dispatch on the number of the node's ABI, as hl_ioctl / drm_ioctl do. */
	if (vf->kind == TRC_VDEV_NODE_ACCEL || vf->kind == TRC_VDEV_NODE_ACCEL_CONTROL) {
		if (nr < VDEV_DRM_COMMAND_BASE || nr > VDEV_DRM_COMMAND_BASE + 5) {
			rc = -ENOTTY; /* DRM core ioctls are not served by this increment */
			goto out;
		}
		cmd = nr - VDEV_DRM_COMMAND_BASE + 1;
	} else {
		if (nr < HL_COMMAND_START || nr >= HL_COMMAND_END) {
			rc = -ENOTTY;
			goto out;
		}
		cmd = nr;
	}
	if (vf->control && cmd != _IOC_NR(HL_IOCTL_INFO)) {
		rc = -ENOTTY; /* hl_ioctl_control: INFO only */
		goto out;
	}
	/* Copy what the caller passed, zero the rest; the direction is the driver's (IOWR). */
	memset(&k, 0, sizeof(k));
	rc = trc_vdev_uread(k.b, (uint64_t)(uintptr_t)arg, usize);
	if (rc)
		goto out;
	switch (cmd) {
	case 1:
		rc = do_info(vf, &k.info);
		break;
	case 2:
		rc = do_cb(vf, fd, &k.cb);
		break;
	case 3:
		rc = do_cs(vf, fd, &k.cs);
		break;
	case 4:
		rc = do_wait(vf, &k.wait);
		break;
	case 5:
		rc = do_mem(vf, &k.mem);
		break;
	default:
		rc = do_debug(&k.debug);
		break;
	}
	wrc = trc_vdev_uwrite((uint64_t)(uintptr_t)arg, k.b, usize);
	if (wrc)
		rc = wrc;
out:
	pthread_mutex_unlock(&g_lock);
	return rc;
}
