/*
 * traces/interposer/capture.c - capture mode of libhlsim_preload.so (`hlsim capture`).
 *
 * With HLSIM_CAPTURE_JOURNAL set, every open of a Habana device node, and every ioctl,
 * mmap, munmap, dup and close of the descriptors it returns, is passed to the driver below
 * (the real libc functions, dlsym(RTLD_NEXT); or the virtual device of vdev.c with
 * HLSIM_CAPTURE_BACKEND=vdev) and appended to the journal (journal.h) as one record copied
 * into a shared mapping of the journal file (no system call per record), so a killed
 * program leaves every record it finished in the page cache:
 *
 * - ioctl arguments are copied before the call (the driver overwrites the in/out unions)
 *   and again after it, with both CLOCK_MONOTONIC times;
 * - HL_IOCTL_CS: HL_CS_FLAGS_TIMESTAMP is added (so WAIT_CS reports the completion time),
 *   both chunk arrays are copied and each CB snapshotted before the call: kernel CBs
 *   through the program's mmap of their handle, device addresses through the USERPTR host
 *   maps; CP_DMA targets and LOAD_AND_EXE sources in those CBs that lie in host-mapped
 *   memory are snapshotted as memory images;
 * - at each open, the device's identity (INFO HW_IP_INFO, CLK_RATE, TIME_SYNC) and both
 *   host clocks (CLOCK_MONOTONIC, CLOCK_MONOTONIC_RAW).
 *
 * No lock is held while the driver runs an ioctl (a WAIT_CS may block while another
 * thread submits). Records are built in per-call buffers and written under the lock.
 * The program's memory is read and written only by checked copies (process_vm_readv/writev
 * on this process, whose id is cached and refreshed at fork: a bad pointer is EFAULT),
 * ranges that do not depend on each other in one call: a CS's chunk arrays, all its CBs,
 * the images of one level of CP_DMA, an INFO answer and its return buffer; a CS's
 * arguments with the arrays and CBs its file's previous CS used (a guess, kept only if the
 * arguments and chunks read name the same ones).
 */
#undef _FORTIFY_SOURCE
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <misc/habanalabs.h>

#include "hlsim/cmd.h"
#include "models/common/asic.h"
#include "traces/interposer/capture.h"
#include "traces/interposer/journal.h"

#define CAP_MMAP_TYPE_MASK (0x1Full << 59) /* CB handle type bits 63:59 (GAUDI-FACTS 1.3) */
#define CAP_MMAP_TYPE_CB (0x2ull << 59)
#define CAP_PAGE_MASK 0xFFFull
#define CAP_ARG_MAX_BYTES 256u /* ioctl argument bytes journalled (the uapi's are <= 56) */
#define CAP_INFO_MAX_BYTES (64u << 10) /* INFO return buffer bytes journalled */
#define CAP_MAX_IMAGES 4096u /* memory images one CS may add: a bound of this implementation */
#define CAP_SYNC_MS_DEFAULT 1000u
#define CAP_IOV_MAX 64u /* ranges per batched copy (the kernel takes up to 1024) */
#define CAP_SCAN_LOCAL 32u /* snapshots of a CS scanned without an allocation */
#define CAP_SPEC_MAX_CHUNKS 16u /* chunks of a CS whose arrays and CBs are guessed */
#define CAP_SPEC_MAX_BYTES (64u << 10) /* CB bytes read on a guess */
#define CAP_SPAN_GAP_BYTES 256u /* bytes between two ranges read as one */
#define CAP_JNL_STEP_BYTES (8ull << 20) /* the journal file is allocated ahead in these */
#define CAP_JNL_MAP_BYTES (64ull << 30) /* address space reserved for its mapping */
#define CAP_JNL_MAP_MIN_BYTES (64ull << 20) /* the least tried (then grown by mremap) */
/*
 * [I] inferred: how many bytes LOAD_AND_EXE reads at src_addr is not public (predicates
 * or scalar registers). The capture snapshots this many (HLSIM_CAPTURE_LAE_BYTES),
 * clipped to the host map.
 */
#define CAP_LAE_BYTES_DEFAULT 32u
/* ioctl request of INFO on an accel (DRM) node: DRM_IOWR(0x40, struct hl_info_args). */
#define CAP_ACCEL_INFO _IOWR('d', 0x40, struct hl_info_args)
/*
 * CS flags with which no CS runs (signal reservation, engine-core commands; accel:
 * FLUSH_PCI_HBW_WRITES 0x8000, ENGINES_COMMAND 0x10000): TIMESTAMP is not added to them.
 * [I] inferred from the uapi comments; the flag changes nothing else on other CSs.
 */
#define CAP_CS_NO_TIMESTAMP                                                                \
	(HL_CS_FLAGS_RESERVE_SIGNALS_ONLY | HL_CS_FLAGS_UNRESERVE_SIGNALS_ONLY |           \
	 HL_CS_FLAGS_ENGINE_CORE_COMMAND | 0x8000u | 0x10000u)

enum cap_img_kind { CAP_IMG_INTERNAL_CB = 1, CAP_IMG_CP_DMA = 2, CAP_IMG_LOAD_AND_EXE = 3 };

/** struct ccb - a kernel CB of a captured file: its handle, size and the program's mapping. */
struct ccb {
	uint64_t handle;
	uint32_t size;
	uint64_t map_addr, map_len; /* map_len 0: not mapped */
};

/** struct cmapu - one USERPTR map: device VA -> the program's memory. */
struct cmapu {
	uint64_t dva, host, size;
};

/**
 * struct cspec - where the last CS on a file read its chunk arrays and CBs from: the next
 * CS's guess (cs_read_guess). @src[i] 0 / @len[i] 0: chunk i had no bytes to read.
 */
struct cspec {
	int valid;
	uint64_t restore, execute;
	uint32_t nr, ne;
	uint64_t src[CAP_SPEC_MAX_CHUNKS];
	uint32_t len[CAP_SPEC_MAX_CHUNKS];
};

/** struct cfile - one captured open file, shared by its dup aliases. */
struct cfile {
	int refs;
	unsigned int minor;
	enum trc_vdev_node_kind kind;
	struct ccb *cbs;
	uint32_t ncbs, cap_cbs;
	struct cmapu *maps;
	uint32_t nmaps, cap_maps;
	const struct mdl_asic_funcs *f; /* the decoder, if the device's chip is known */
	struct cspec spec;
};

/** struct cscan - a snapshot in the CS record to look through for CP_DMA / LOAD_AND_EXE. */
struct cscan {
	size_t off; /* of the bytes in the record */
	uint32_t len;
	uint8_t depth; /* 0: a job's CB; 1: a CP_DMA target */
	uint8_t internal; /* a job's CB read from a host map (also an image) */
	uint64_t handle; /* a job's: its chunk's cb_handle (an internal CB's device address) */
	uint64_t src; /* a job's: where its bytes were read */
};

static pthread_mutex_t c_lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
static int c_mode = -1; /* -1 not read yet, 0 off, 1 on */
static int c_backend; /* 0 real, 1 vdev, -1 unknown name */
static struct cfile **c_fds;
static int c_fds_cap;
static int c_ncap; /* fds pointing at captured files (read without the lock as a hint) */
static int c_nmapped; /* live CB mappings (idem) */

/*
 * The journal: a MAP_SHARED mapping of the file, shared by every process of the run (each
 * maps the file; fork children inherit the mapping). A record's space is reserved by an
 * atomic add on the append offset in the file's header, so threads, fork children and
 * other processes append without a system call; the file is allocated ahead in steps
 * (zeros, which the reader takes as the end of the data). Every process holds a shared
 * flock on its own open file description while it writes; the one that finishes last (an
 * exclusive flock granted) truncates the file to its used length. A killed process leaves
 * its records in the page cache (the mapping is of the file).
 */
static struct {
	int state; /* 0 not opened, 1 writing, 2 closed or failed */
	int fd; /* the file (O_RDWR) */
	int lock_fd; /* the open file description this process's shared flock is on */
	int fork_fd; /* between fork's prepare and parent/child: the child's lock */
	pid_t pid; /* the process that opened it: only it writes END */
	uint8_t *map; /* the file from byte 0 */
	uint64_t map_bytes; /* length of the mapping */
	uint64_t file_bytes; /* the file is known to be at least this long */
	int64_t sync_ns, last_sync_ns;
	uint32_t lae_bytes;
	char path[4096];
} c_j = { .fd = -1, .lock_fd = -1, .fork_fd = -1 };

/*
 * This process's id for the checked copies: set when the journal starts and refreshed in
 * the child of every fork() (pthread_atfork), so no copy asks the kernel for it. 0: not
 * known (the copies then ask getpid()).
 */
static pid_t c_pid;

static int64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int trc_cap_active(void)
{
	int m = __atomic_load_n(&c_mode, __ATOMIC_ACQUIRE);

	if (m < 0) {
		const char *j = getenv("HLSIM_CAPTURE_JOURNAL");
		const char *b = getenv("HLSIM_CAPTURE_BACKEND");

		m = j && *j;
		/* benign race: every thread stores the same values */
		if (!b || !*b || !strcmp(b, "real"))
			c_backend = 0;
		else if (!strcmp(b, "vdev"))
			c_backend = 1;
		else
			c_backend = -1;
		__atomic_store_n(&c_mode, m, __ATOMIC_RELEASE);
	}
	return m;
}

int trc_cap_vsysfs(void)
{
	return !trc_cap_active() || c_backend == 1;
}

static struct cfile *lookup(int fd)
{
	return fd >= 0 && fd < c_fds_cap ? c_fds[fd] : NULL;
}

static int set_fd(int fd, struct cfile *cf)
{
	if (fd >= c_fds_cap) {
		int cap = c_fds_cap ? c_fds_cap : 64;
		struct cfile **n;

		while (cap <= fd)
			cap *= 2;
		n = realloc(c_fds, (size_t)cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		memset(n + c_fds_cap, 0, (size_t)(cap - c_fds_cap) * sizeof(*n));
		c_fds = n;
		c_fds_cap = cap;
	}
	if (!c_fds[fd])
		__atomic_add_fetch(&c_ncap, 1, __ATOMIC_RELAXED);
	c_fds[fd] = cf;
	return 0;
}

static void cfile_put(struct cfile *cf)
{
	uint32_t i;

	if (--cf->refs > 0)
		return;
	for (i = 0; i < cf->ncbs; i++)
		if (cf->cbs[i].map_len)
			__atomic_sub_fetch(&c_nmapped, 1, __ATOMIC_RELAXED);
	free(cf->cbs);
	free(cf->maps);
	free(cf);
}

/*
 * Checked copies from and to the program's memory (-EFAULT where it is not readable or
 * writable, as copy_*_user): trc_vdev_uread / trc_vdev_uwrite with the cached pid. Any
 * failure is retried through them, so their answer (and fallbacks) stand.
 */
static int cap_uread(void *dst, uint64_t src, size_t n)
{
	pid_t pid = __atomic_load_n(&c_pid, __ATOMIC_RELAXED);
	struct iovec l = { dst, n }, r = { (void *)(uintptr_t)src, n };

	if (!n)
		return 0;
	if (pid && src && process_vm_readv(pid, &l, 1, &r, 1, 0) == (ssize_t)n)
		return 0;
	return trc_vdev_uread(dst, src, n);
}

/*
 * One process_vm_readv of @nl local ranges from @nr remote ones (at most CAP_IOV_MAX
 * each): 1 if all @total bytes came, 0 if not (the caller then copies range by range,
 * whose failures and fallbacks stand).
 */
static int uread_batch(const struct iovec *l, unsigned long nl, const struct iovec *r,
		       unsigned long nr, size_t total)
{
	pid_t pid = __atomic_load_n(&c_pid, __ATOMIC_RELAXED);

	if (!total)
		return 1;
	return pid && process_vm_readv(pid, l, nl, r, nr, 0) == (ssize_t)total;
}

static int cap_uwrite(uint64_t dst, const void *src, size_t n)
{
	pid_t pid = __atomic_load_n(&c_pid, __ATOMIC_RELAXED);
	struct iovec l = { (void *)src, n }, r = { (void *)(uintptr_t)dst, n };

	if (!n)
		return 0;
	if (pid && dst && process_vm_writev(pid, &l, 1, &r, 1, 0) == (ssize_t)n)
		return 0;
	return trc_vdev_uwrite(dst, src, n);
}

/* ===== the journal file ===== */

static uint64_t env_u64(const char *name, uint64_t def, uint64_t max)
{
	const char *s = getenv(name);
	unsigned long long v;
	char *end;

	if (!s || !*s)
		return def;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v > max) {
		fprintf(stderr, "hlsim capture: %s=\"%s\" is not an integer 0..%" PRIu64
				"; using %" PRIu64 "\n", name, s, max, def);
		return def;
	}
	return v;
}

/* Unmap and close the journal (the lock goes with the last descriptor of its file). */
static void journal_close(void)
{
	if (c_j.map)
		trc_vdev_real()->munmap(c_j.map, c_j.map_bytes);
	c_j.map = NULL;
	if (c_j.lock_fd >= 0 && c_j.lock_fd != c_j.fd)
		trc_vdev_real()->close(c_j.lock_fd);
	if (c_j.fd >= 0)
		trc_vdev_real()->close(c_j.fd);
	c_j.fd = -1;
	c_j.lock_fd = -1;
	c_j.state = 2;
}

static void journal_fail(const char *what, int err)
{
	fprintf(stderr, "hlsim capture: journal %s: %s: %s; recording stops here (the program "
			"goes on; the trace will lack what follows)\n", c_j.path, what,
		strerror(err));
	journal_close();
}

static int flock_retry(int fd, int op)
{
	while (flock(fd, op)) {
		if (errno != EINTR)
			return errno;
	}
	return 0;
}

/* The append offset in the mapped header (shared by every process writing the journal). */
static uint64_t *journal_end(void)
{
	return (uint64_t *)(void *)(c_j.map + TRC_JNL_APPEND_AT);
}

/*
 * fork(): the child gets a shared lock of its own (taken here, before the fork, on a new
 * open file description: a lock taken in the child could come after the parent has
 * finished and truncated the file under the child's mapping), and the capture lock is
 * held across the fork so the child does not inherit it locked by another thread.
 */
static void fork_prepare(void)
{
	char self[64];

	pthread_mutex_lock(&c_lock);
	c_j.fork_fd = -1;
	if (c_j.state != 1)
		return;
	/* a new open file description of the same file, wherever the program's cwd is */
	snprintf(self, sizeof(self), "/proc/self/fd/%d", c_j.fd);
	c_j.fork_fd = trc_vdev_real()->open(self, O_RDONLY | O_CLOEXEC);
	if (c_j.fork_fd < 0)
		c_j.fork_fd = trc_vdev_real()->open(c_j.path, O_RDONLY | O_CLOEXEC);
	if (c_j.fork_fd >= 0 && flock_retry(c_j.fork_fd, LOCK_SH)) {
		trc_vdev_real()->close(c_j.fork_fd);
		c_j.fork_fd = -1;
	}
}

static void fork_parent(void)
{
	if (c_j.fork_fd >= 0)
		trc_vdev_real()->close(c_j.fork_fd); /* the child's copy keeps its lock */
	c_j.fork_fd = -1;
	pthread_mutex_unlock(&c_lock);
}

static void fork_child(void)
{
	__atomic_store_n(&c_pid, getpid(), __ATOMIC_RELAXED);
	if (c_j.state == 1) {
		if (c_j.fork_fd >= 0) {
			c_j.lock_fd = c_j.fork_fd;
		} else {
			/* unlocked, the parent could truncate the file under this mapping */
			fprintf(stderr, "hlsim capture: journal %s: no lock for the child %d; "
					"recording stops in it\n", c_j.path, (int)getpid());
			if (c_j.map)
				trc_vdev_real()->munmap(c_j.map, c_j.map_bytes);
			c_j.map = NULL;
			c_j.state = 2; /* its descriptors are the parent's: left open */
		}
	}
	c_j.fork_fd = -1;
	/*
	 * The lock was taken by the forking thread, whose id in this process differs: a
	 * recursive mutex cannot be unlocked here (EPERM), it is made anew.
	 */
	c_lock = (pthread_mutex_t)PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
}

/* Ensure the file holds [0, @need) (allocated, zeros where unwritten): 0 or an errno. */
static int journal_grow(uint64_t need)
{
	uint64_t to = (need + CAP_JNL_STEP_BYTES - 1) / CAP_JNL_STEP_BYTES * CAP_JNL_STEP_BYTES;
	uint64_t from = c_j.file_bytes;
	int err;

	do /* from the known end: other writers allocate their own records' space */
		err = posix_fallocate(c_j.fd, (off_t)from, (off_t)(to - from));
	while (err == EINTR);
	if (err)
		return err;
	c_j.file_bytes = to;
	return 0;
}

/* Map the journal: a large reservation once (MAP_NORESERVE), smaller if refused. */
static int journal_map(void)
{
	uint64_t len = CAP_JNL_MAP_BYTES;
	void *p;

	for (;;) {
		p = trc_vdev_real()->mmap(NULL, len, PROT_READ | PROT_WRITE,
					  MAP_SHARED | MAP_NORESERVE, c_j.fd, 0);
		if (p != MAP_FAILED)
			break;
		if (errno != ENOMEM || len <= CAP_JNL_MAP_MIN_BYTES)
			return errno;
		len /= 2;
	}
	c_j.map = p;
	c_j.map_bytes = len;
	return 0;
}

static void journal_start(void)
{
	uint8_t head[TRC_JNL_HEADER_BYTES], want[TRC_JNL_HEADER_BYTES];
	const char *path = getenv("HLSIM_CAPTURE_JOURNAL");
	struct stat st;
	uint64_t end;
	int err;

	c_j.state = 2;
	c_j.fd = -1;
	c_j.lock_fd = -1;
	c_j.file_bytes = 0;
	snprintf(c_j.path, sizeof(c_j.path), "%s", path ? path : "");
	c_j.sync_ns = (int64_t)env_u64("HLSIM_CAPTURE_SYNC_MS", CAP_SYNC_MS_DEFAULT,
				       24ull * 3600 * 1000) * 1000000;
	c_j.lae_bytes = (uint32_t)env_u64("HLSIM_CAPTURE_LAE_BYTES", CAP_LAE_BYTES_DEFAULT, 4096);
	/* Shared: the processes of one run (a launcher and its children) append to it. */
	c_j.fd = trc_vdev_real()->open(c_j.path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (c_j.fd < 0) {
		journal_fail("cannot open it", errno);
		return;
	}
	c_j.lock_fd = c_j.fd;
	/* exclusive while the header is checked or written (and no one truncates) */
	err = flock_retry(c_j.fd, LOCK_EX);
	if (err) {
		journal_fail("cannot lock it (flock)", err);
		return;
	}
	if (fstat(c_j.fd, &st)) {
		journal_fail("cannot stat it", errno);
		return;
	}
	trc_jnl_header(want);
	if (st.st_size == 0) {
		err = journal_grow(TRC_JNL_HEADER_BYTES);
		if (!err && pwrite(c_j.fd, want, sizeof(want), 0) != (ssize_t)sizeof(want))
			err = errno ? errno : EIO;
		if (err) {
			journal_fail("writing the header", err);
			return;
		}
	} else if ((uint64_t)st.st_size < TRC_JNL_HEADER_BYTES ||
		   pread(c_j.fd, head, sizeof(head), 0) != (ssize_t)sizeof(head) ||
		   memcmp(head, want, TRC_JNL_HEADER_FIXED_BYTES)) {
		journal_fail("not a journal of this hlsim's version (it is not emptied; "
			     "remove it)", EINVAL);
		return;
	}
	err = flock_retry(c_j.fd, LOCK_SH); /* from here on the file only grows */
	if (!err && fstat(c_j.fd, &st))
		err = errno;
	if (err) {
		journal_fail("cannot lock it (flock)", err);
		return;
	}
	c_j.file_bytes = (uint64_t)st.st_size;
	err = journal_map();
	if (err) {
		journal_fail("cannot map it", err);
		return;
	}
	end = __atomic_load_n(journal_end(), __ATOMIC_ACQUIRE);
	if (end < TRC_JNL_HEADER_BYTES) {
		journal_fail("its append offset (byte 16) is below the header's end", EINVAL);
		return;
	}
	c_j.state = 1;
	c_j.pid = getpid();
	if (!__atomic_load_n(&c_pid, __ATOMIC_RELAXED) &&
	    !pthread_atfork(fork_prepare, fork_parent, fork_child))
		__atomic_store_n(&c_pid, c_j.pid, __ATOMIC_RELAXED);
	c_j.last_sync_ns = clock_ns(CLOCK_MONOTONIC);
	atexit(trc_cap_finish);
}

/*
 * Close record @b and append it: its space reserved by an atomic add on the shared append
 * offset, the file allocated ahead when the record passes its known end, the bytes copied
 * into the mapping; sync when the interval has passed. Called with c_lock held.
 */
static void journal_put(struct trc_jnl_buf *b)
{
	static int warned;
	uint64_t at, need;
	int64_t now;
	int rc, err;

	if (c_j.state != 1)
		return;
	rc = trc_jnl_end(b);
	if (rc) {
		if (!warned) {
			warned = 1;
			fprintf(stderr, "hlsim capture: a record of %zu bytes was not journalled: "
					"%s\n", b->len, strerror(-rc));
		}
		return;
	}
	at = __atomic_fetch_add(journal_end(), (uint64_t)b->len, __ATOMIC_ACQ_REL);
	need = at + b->len;
	if (need > c_j.file_bytes) {
		err = journal_grow(need);
		if (err) {
			journal_fail("cannot allocate space (posix_fallocate)", err);
			return;
		}
	}
	if (need > c_j.map_bytes) {
		uint64_t len = c_j.map_bytes;
		void *p;

		while (len < need)
			len *= 2;
		p = mremap(c_j.map, c_j.map_bytes, len, MREMAP_MAYMOVE);
		if (p == MAP_FAILED) {
			journal_fail("cannot extend its mapping (mremap)", errno);
			return;
		}
		c_j.map = p;
		c_j.map_bytes = len;
	}
	memcpy(c_j.map + at, b->p, b->len);
	now = clock_ns(CLOCK_MONOTONIC);
	if (now - c_j.last_sync_ns >= c_j.sync_ns) {
		fdatasync(c_j.fd);
		c_j.last_sync_ns = now;
	}
}

void trc_cap_finish(void)
{
	struct trc_jnl_buf b = { 0 };
	uint64_t end;

	pthread_mutex_lock(&c_lock);
	if (c_j.state == 1) {
		if (c_j.pid == getpid()) {
			trc_jnl_begin(&b, TRC_JNL_END);
			trc_jnl_put_u64(&b, (uint64_t)clock_ns(CLOCK_MONOTONIC));
			journal_put(&b);
		}
	}
	if (c_j.state == 1) {
		/*
		 * The last writer (no other shared lock: an exclusive one is granted) cuts
		 * the space allocated ahead; a writer killed earlier left it zero-filled.
		 */
		flock(c_j.lock_fd, LOCK_UN);
		if (!flock(c_j.lock_fd, LOCK_EX | LOCK_NB)) {
			/* read now: no writer is left to reserve more */
			end = __atomic_load_n(journal_end(), __ATOMIC_ACQUIRE);
			if (ftruncate(c_j.fd, (off_t)end))
				fprintf(stderr, "hlsim capture: journal %s: truncating it to %"
						PRIu64 " bytes: %s (the reader skips the zero "
						"tail)\n", c_j.path, end, strerror(errno));
		}
		fdatasync(c_j.fd);
		journal_close();
	}
	pthread_mutex_unlock(&c_lock);
	trc_jnl_free(&b);
}

/* ===== the driver below ===== */

static int backend_ioctl(int fd, unsigned long req, void *arg)
{
	int ret;

	if (trc_vdev_is_virtual(fd))
		return trc_vdev_ioctl(fd, req, arg);
	ret = trc_vdev_real()->ioctl(fd, req, arg);
	return ret < 0 ? -errno : ret;
}

/* INFO @op into @out (@size bytes): 0 or -errno. */
static int info(int fd, enum trc_vdev_node_kind kind, uint32_t op, void *out, uint32_t size)
{
	int accel = kind == TRC_VDEV_NODE_ACCEL || kind == TRC_VDEV_NODE_ACCEL_CONTROL;
	struct hl_info_args a;

	memset(&a, 0, sizeof(a));
	memset(out, 0, size);
	a.return_pointer = (uint64_t)(uintptr_t)out;
	a.return_size = size;
	a.op = op;
	return backend_ioctl(fd, accel ? CAP_ACCEL_INFO : HL_IOCTL_INFO, &a);
}

/* The device's identity (side-effect free INFO ops) and both host clocks, journalled. */
static void device_record(int fd, struct cfile *cf)
{
	struct hl_info_hw_ip_info hw;
	struct hl_info_clk_rate clk;
	struct hl_info_time_sync ts;
	struct trc_jnl_buf b = { 0 };
	int hw_rc, clk_rc, ts_rc;
	const char *asic = NULL;

	hw_rc = info(fd, cf->kind, HL_INFO_HW_IP_INFO, &hw, sizeof(hw));
	clk_rc = info(fd, cf->kind, HL_INFO_CLK_RATE, &clk, sizeof(clk));
	ts_rc = info(fd, cf->kind, HL_INFO_TIME_SYNC, &ts, sizeof(ts));
	if (!hw_rc && (hw.device_id == 0x1000 || hw.device_id == 0x1010))
		asic = "gaudi";
	else if (!hw_rc && hw.device_id == 0x1020)
		asic = "gaudi2";
	if (asic && mdl_asic_by_name(asic, &cf->f))
		cf->f = NULL; /* no decoder: CP_DMA / LOAD_AND_EXE targets are not followed */
	trc_jnl_begin(&b, TRC_JNL_DEVICE);
	trc_jnl_put_u32(&b, cf->minor);
	trc_jnl_put_u32(&b, (uint32_t)cf->kind);
	trc_jnl_put_u64(&b, (uint64_t)clock_ns(CLOCK_MONOTONIC));
	trc_jnl_put_u64(&b, (uint64_t)clock_ns(CLOCK_MONOTONIC_RAW));
	trc_jnl_put_u32(&b, (uint32_t)hw_rc);
	trc_jnl_put_u32(&b, (uint32_t)clk_rc);
	trc_jnl_put_u32(&b, (uint32_t)ts_rc);
	trc_jnl_put_u32(&b, sizeof(hw));
	trc_jnl_put_bytes(&b, &hw, sizeof(hw));
	trc_jnl_put_u32(&b, clk.cur_clk_rate_mhz);
	trc_jnl_put_u32(&b, clk.max_clk_rate_mhz);
	trc_jnl_put_u64(&b, ts.device_time);
	trc_jnl_put_u64(&b, ts.host_time);
	journal_put(&b);
	trc_jnl_free(&b);
}

int trc_cap_open(enum trc_vdev_node_kind kind, unsigned int minor, const char *path, int flags,
		 mode_t mode)
{
	static int warned;
	struct trc_jnl_buf b = { 0 };
	struct cfile *cf;
	int64_t t = clock_ns(CLOCK_MONOTONIC);
	int fd, err = 0;

	pthread_mutex_lock(&c_lock);
	if (!c_j.state)
		journal_start();
	if (c_backend < 0) {
		if (!warned) {
			warned = 1;
			fprintf(stderr, "hlsim capture: HLSIM_CAPTURE_BACKEND=\"%s\": expected "
					"real or vdev; device nodes fail with ENODEV\n",
				getenv("HLSIM_CAPTURE_BACKEND"));
		}
		fd = -ENODEV;
		goto out;
	}
	if (c_backend == 1) {
		fd = trc_vdev_open(kind, minor, flags);
	} else {
		fd = trc_vdev_real()->open(path, flags, mode);
		if (fd < 0)
			fd = -errno;
	}
	if (fd >= 0) {
		cf = calloc(1, sizeof(*cf));
		if (!cf || set_fd(fd, cf)) {
			free(cf);
			/* not recordable: close it again rather than let it run unjournalled */
			if (c_backend == 1)
				trc_vdev_close(fd);
			else
				trc_vdev_real()->close(fd);
			fd = -ENOMEM;
		} else {
			cf->refs = 1;
			cf->minor = minor;
			cf->kind = kind;
		}
	}
	err = fd < 0 ? -fd : 0;
	trc_jnl_begin(&b, TRC_JNL_OPEN);
	trc_jnl_put_u32(&b, (uint32_t)(fd < 0 ? -1 : fd));
	trc_jnl_put_u32(&b, (uint32_t)err);
	trc_jnl_put_u32(&b, minor);
	trc_jnl_put_u32(&b, (uint32_t)kind);
	trc_jnl_put_u32(&b, (uint32_t)flags);
	trc_jnl_put_u32(&b, 0);
	trc_jnl_put_u64(&b, (uint64_t)t);
	journal_put(&b);
	if (fd >= 0)
		device_record(fd, lookup(fd));
out:
	pthread_mutex_unlock(&c_lock);
	trc_jnl_free(&b);
	return fd;
}

int trc_cap_is_captured(int fd)
{
	int r;

	if (!__atomic_load_n(&c_ncap, __ATOMIC_RELAXED))
		return 0;
	pthread_mutex_lock(&c_lock);
	r = lookup(fd) != NULL;
	pthread_mutex_unlock(&c_lock);
	return r;
}

void trc_cap_closed(int fd)
{
	struct trc_jnl_buf b = { 0 };
	struct cfile *cf;

	pthread_mutex_lock(&c_lock);
	cf = lookup(fd);
	if (cf) {
		c_fds[fd] = NULL;
		__atomic_sub_fetch(&c_ncap, 1, __ATOMIC_RELAXED);
		trc_jnl_begin(&b, TRC_JNL_CLOSE);
		trc_jnl_put_u32(&b, (uint32_t)fd);
		trc_jnl_put_u32(&b, cf->refs == 1);
		trc_jnl_put_u32(&b, cf->minor);
		trc_jnl_put_u32(&b, (uint32_t)cf->kind);
		trc_jnl_put_u64(&b, (uint64_t)clock_ns(CLOCK_MONOTONIC));
		journal_put(&b);
		cfile_put(cf);
	}
	pthread_mutex_unlock(&c_lock);
	trc_jnl_free(&b);
}

void trc_cap_duped(int oldfd, int newfd)
{
	struct cfile *cf;

	pthread_mutex_lock(&c_lock);
	cf = lookup(oldfd);
	if (cf && oldfd != newfd && !set_fd(newfd, cf))
		cf->refs++;
	pthread_mutex_unlock(&c_lock);
}

/* ===== tables: CBs and host maps ===== */

static struct ccb *ccb_find(struct cfile *cf, uint64_t handle)
{
	uint32_t i;

	for (i = 0; i < cf->ncbs; i++)
		if (cf->cbs[i].handle == handle)
			return &cf->cbs[i];
	return NULL;
}

static struct ccb *ccb_get(struct cfile *cf, uint64_t handle)
{
	struct ccb *cb = ccb_find(cf, handle);

	if (cb)
		return cb;
	if (cf->ncbs == cf->cap_cbs) {
		uint32_t cap = cf->cap_cbs ? cf->cap_cbs * 2 : 16;
		struct ccb *p = realloc(cf->cbs, cap * sizeof(*p));

		if (!p)
			return NULL;
		cf->cbs = p;
		cf->cap_cbs = cap;
	}
	cb = &cf->cbs[cf->ncbs++];
	memset(cb, 0, sizeof(*cb));
	cb->handle = handle;
	return cb;
}

/* The program's address of device VA @dva in a USERPTR map, with the bytes that follow. */
static uint64_t host_of(const struct cfile *cf, uint64_t dva, uint64_t *avail)
{
	uint32_t i;

	for (i = 0; i < cf->nmaps; i++) {
		const struct cmapu *m = &cf->maps[i];

		if (dva >= m->dva && dva - m->dva < m->size) {
			*avail = m->size - (dva - m->dva);
			return m->host + (dva - m->dva);
		}
	}
	*avail = 0;
	return 0;
}

static void tables_update(struct cfile *cf, unsigned int cmd, const uint8_t *in,
			  const uint8_t *out, size_t n)
{
	union hl_cb_args cb_in, cb_out;
	union hl_mem_args m_in, m_out;
	uint32_t i;

	if (cmd == _IOC_NR(HL_IOCTL_CB) && n >= sizeof(struct hl_cb_in)) {
		memcpy(&cb_in, in, sizeof(cb_in));
		memcpy(&cb_out, out, sizeof(cb_out));
		if (cb_in.in.op == HL_CB_OP_CREATE) {
			struct ccb *cb = ccb_get(cf, cb_out.out.cb_handle);

			if (cb) { /* a handle reused after DESTROY is a new CB */
				if (cb->map_len)
					__atomic_sub_fetch(&c_nmapped, 1, __ATOMIC_RELAXED);
				cb->size = cb_in.in.cb_size;
				cb->map_addr = 0;
				cb->map_len = 0;
			}
		}
		/* DESTROY: the CB lives on while mapped or used; its entry stays until reused */
	} else if (cmd == _IOC_NR(HL_IOCTL_MEMORY) && n >= sizeof(struct hl_mem_in)) {
		memcpy(&m_in, in, sizeof(m_in));
		memcpy(&m_out, out, sizeof(m_out));
		if (m_in.in.op == HL_MEM_OP_MAP && (m_in.in.flags & HL_MEM_USERPTR)) {
			if (cf->nmaps == cf->cap_maps) {
				uint32_t cap = cf->cap_maps ? cf->cap_maps * 2 : 16;
				struct cmapu *p = realloc(cf->maps, cap * sizeof(*p));

				if (!p) /* not followed: CBs there are journalled without bytes */
					return;
				cf->maps = p;
				cf->cap_maps = cap;
			}
			cf->maps[cf->nmaps++] = (struct cmapu){ m_out.out.device_virt_addr,
								m_in.in.map_host.host_virt_addr,
								m_in.in.map_host.mem_size };
		} else if (m_in.in.op == HL_MEM_OP_UNMAP) {
			for (i = 0; i < cf->nmaps; i++) {
				if ((cf->maps[i].dva & ~CAP_PAGE_MASK) ==
				    (m_in.in.unmap.device_virt_addr & ~CAP_PAGE_MASK)) {
					cf->maps[i] = cf->maps[--cf->nmaps];
					break;
				}
			}
		}
	}
}

/* ===== ioctls ===== */

static int cap_generic(int fd, unsigned long req, void *arg, unsigned int cmd)
{
	uint8_t in[CAP_ARG_MAX_BYTES], out[CAP_ARG_MAX_BYTES];
	struct trc_jnl_buf b = { 0 };
	size_t n = cmd ? _IOC_SIZE(req) : 0;
	struct hl_info_args ia;
	uint32_t extra = 0;
	size_t out_at, extra_at;
	struct cfile *cf;
	int64_t t0, t1;
	int rc, err;

	if (n > sizeof(in))
		n = sizeof(in);
	if (n && cap_uread(in, (uint64_t)(uintptr_t)arg, n))
		n = 0; /* unreadable: the driver answers EFAULT */
	t0 = clock_ns(CLOCK_MONOTONIC);
	rc = backend_ioctl(fd, req, arg);
	t1 = clock_ns(CLOCK_MONOTONIC);
	err = errno;
	pthread_mutex_lock(&c_lock);
	cf = lookup(fd);
	if (cf) {
		trc_jnl_begin(&b, TRC_JNL_IOCTL);
		trc_jnl_put_u32(&b, (uint32_t)fd);
		trc_jnl_put_u32(&b, cf->minor);
		trc_jnl_put_u64(&b, req);
		trc_jnl_put_u32(&b, (uint32_t)rc);
		trc_jnl_put_u32(&b, 0);
		trc_jnl_put_u64(&b, (uint64_t)t0);
		trc_jnl_put_u64(&b, (uint64_t)t1);
		trc_jnl_put_u32(&b, (uint32_t)n);
		trc_jnl_put_bytes(&b, in, n);
		out_at = b.len;
		trc_jnl_reserve(&b, n); /* the answer */
		if (cmd == _IOC_NR(HL_IOCTL_INFO) && !rc && n >= sizeof(ia)) {
			memcpy(&ia, in, sizeof(ia));
			extra = ia.return_size < CAP_INFO_MAX_BYTES ? ia.return_size :
								      CAP_INFO_MAX_BYTES;
		}
		extra_at = b.len;
		trc_jnl_put_u32(&b, extra);
		trc_jnl_reserve(&b, extra); /* INFO's return buffer */
		if (!b.oom) {
			/* the answer and INFO's return buffer: independent, one copy */
			struct iovec l[2], r[2];
			unsigned long k = 0;

			if (n) {
				l[k] = (struct iovec){ b.p + out_at, n };
				r[k++] = (struct iovec){ arg, n };
			}
			if (extra) {
				l[k] = (struct iovec){ b.p + extra_at + 4, extra };
				r[k++] = (struct iovec){ (void *)(uintptr_t)ia.return_pointer,
							 extra };
			}
			if (!uread_batch(l, k, r, k, n + extra)) {
				if (n && cap_uread(b.p + out_at, (uint64_t)(uintptr_t)arg, n))
					memset(b.p + out_at, 0, n);
				if (extra &&
				    cap_uread(b.p + extra_at + 4, ia.return_pointer, extra)) {
					b.len = extra_at; /* the return buffer is gone: none */
					trc_jnl_put_u32(&b, 0);
				}
			}
			memcpy(out, b.p + out_at, n);
			if (!rc)
				tables_update(cf, cmd, in, out, n);
		}
		journal_put(&b);
	}
	pthread_mutex_unlock(&c_lock);
	trc_jnl_free(&b);
	errno = err;
	return rc;
}

/* Append a blob (u32 length, bytes read from the program at @src); NO_BLOB if unreadable. */
static int put_snapshot(struct trc_jnl_buf *b, uint64_t src, uint32_t len, size_t *off)
{
	size_t at = b->len;
	uint8_t *p;

	trc_jnl_put_u32(b, len);
	p = trc_jnl_reserve(b, len);
	if (!p || cap_uread(p, src, len)) {
		if (b->oom)
			return -ENOMEM;
		b->len = at;
		trc_jnl_put_u32(b, TRC_JNL_NO_BLOB);
		return -EFAULT;
	}
	*off = at + 4;
	return 0;
}

/*
 * Where the CB bytes of chunk @c are read from: the program's mapping of a kernel CB, or
 * for a device address (an internal or user-allocated CB) its USERPTR host map (*@internal
 * set). 0 if they are not host-visible (or the CB is empty).
 */
static uint64_t chunk_src(struct cfile *cf, const struct hl_cs_chunk *c, int *internal)
{
	struct ccb *cb = NULL;
	uint64_t src = 0, avail;

	*internal = 0;
	if (!(c->cs_chunk_flags & HL_CS_CHUNK_FLAGS_USER_ALLOC_CB) &&
	    (c->cb_handle & CAP_MMAP_TYPE_MASK) == CAP_MMAP_TYPE_CB)
		cb = ccb_find(cf, c->cb_handle);
	if (cb) {
		if (cb->map_len && c->cb_size <= cb->map_len)
			src = cb->map_addr;
	} else {
		/* a device address: host-visible only through a USERPTR map */
		src = host_of(cf, c->cb_handle, &avail);
		if (avail < c->cb_size)
			src = 0;
		*internal = 1;
	}
	return c->cb_size ? src : 0;
}

/*
 * The chunk section of the CS record from the @n chunks @ch: per chunk its 64 bytes and
 * its CB bytes (u32 length and bytes, or NO_BLOB), all CBs read by one batched copy (range
 * by range if that fails, so an unreadable CB is recorded without bytes). Each snapshot
 * is added to @scan (room for @n).
 */
static void cs_chunks(struct cfile *cf, struct trc_jnl_buf *b, const struct hl_cs_chunk *ch,
		      uint32_t n, struct cscan *scan, uint32_t *nscan)
{
	struct iovec l[CAP_IOV_MAX], r[CAP_IOV_MAX];
	size_t start = b->len, total, off;
	uint32_t i, s, k;
	int internal, ok = 1;

	*nscan = 0;
	for (i = 0; i < n; i++) {
		uint64_t src = chunk_src(cf, &ch[i], &internal);

		trc_jnl_put_bytes(b, &ch[i], sizeof(ch[i]));
		trc_jnl_put_u32(b, src ? ch[i].cb_size : TRC_JNL_NO_BLOB);
		if (!src)
			continue;
		off = b->len;
		if (!trc_jnl_reserve(b, ch[i].cb_size))
			return; /* out of memory: the record is dropped */
		scan[(*nscan)++] = (struct cscan){ off, ch[i].cb_size, 0, (uint8_t)internal,
						   ch[i].cb_handle, src };
	}
	/* the buffer is final: the local ranges point into it */
	for (s = 0; s < *nscan && ok; s += k) {
		total = 0;
		for (k = 0; k < CAP_IOV_MAX && s + k < *nscan; k++) {
			l[k] = (struct iovec){ b->p + scan[s + k].off, scan[s + k].len };
			r[k] = (struct iovec){ (void *)(uintptr_t)scan[s + k].src,
					       scan[s + k].len };
			total += scan[s + k].len;
		}
		ok = uread_batch(l, k, r, k, total);
	}
	if (ok)
		return;
	/* some CB is unreadable: again one by one (each recorded with or without bytes) */
	b->len = start;
	*nscan = 0;
	for (i = 0; i < n; i++) {
		uint64_t src = chunk_src(cf, &ch[i], &internal);

		trc_jnl_put_bytes(b, &ch[i], sizeof(ch[i]));
		if (!src) {
			trc_jnl_put_u32(b, TRC_JNL_NO_BLOB);
			continue;
		}
		if (put_snapshot(b, src, ch[i].cb_size, &off))
			continue;
		scan[(*nscan)++] = (struct cscan){ off, ch[i].cb_size, 0, (uint8_t)internal,
						   ch[i].cb_handle, src };
	}
}

/** struct cimg - a memory image laid out in the CS record: where its bytes go and come from. */
struct cimg {
	size_t off; /* of its bytes in the record */
	uint64_t src;
	uint32_t len;
	int call; /* a CP_DMA target: its bytes are scanned in turn */
};

/** struct cimgs - a growable list of them. */
struct cimgs {
	struct cimg *v;
	uint32_t n, cap;
};

static int cimgs_add(struct cimgs *l, struct cimg e)
{
	if (l->n == l->cap) {
		uint32_t cap = l->cap ? l->cap * 2 : 16;
		struct cimg *p = realloc(l->v, (size_t)cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		l->v = p;
		l->cap = cap;
	}
	l->v[l->n++] = e;
	return 0;
}

/*
 * The images that the packets of snapshots [@s0, @s1) of @scan point at: CP_DMA targets
 * (from a job's CB only) and LOAD_AND_EXE sources that lie in host maps (LOAD_AND_EXE
 * clipped to its map; a CP_DMA running past it would fault on the device: none), at most
 * @room, each appended as u64 addr, u32 len, u32 kind, bytes and listed in @got. With
 * @batch the bytes are left to the caller's batched copy; without, each is read at once and
 * left out if unreadable. Returns how many were appended.
 */
static uint32_t scan_targets(struct cfile *cf, struct trc_jnl_buf *b, const struct cscan *scan,
			     uint32_t s0, uint32_t s1, uint32_t room, int batch,
			     struct cimgs *got)
{
	uint32_t s, n = 0;

	for (s = s0; s < s1 && !b->oom; s++) {
		size_t pos = 0;

		while (pos < scan[s].len && n < room && !b->oom) {
			enum cap_img_kind kind;
			struct hlsim_cmd cmd;
			uint64_t addr, src, avail;
			uint32_t len;
			size_t at = b->len;
			uint8_t *p;

			if (cf->f->decode(b->p + scan[s].off, scan[s].len, pos, &cmd) ||
			    !cmd.size_bytes)
				break; /* undecodable: the driver or the device will say so */
			pos += cmd.size_bytes;
			if (cmd.kind == HLSIM_CMD_CB_CALL && !scan[s].depth) {
				kind = CAP_IMG_CP_DMA;
				addr = cmd.u.cb_call.addr;
				len = cmd.u.cb_call.size_bytes;
			} else if (cmd.kind == HLSIM_CMD_LOAD_AND_EXE && cmd.u.load_exe.load) {
				kind = CAP_IMG_LOAD_AND_EXE;
				addr = cmd.u.load_exe.src_addr;
				len = c_j.lae_bytes;
			} else {
				continue;
			}
			src = host_of(cf, addr, &avail);
			if (!src || !len || (avail < len && kind != CAP_IMG_LOAD_AND_EXE))
				continue;
			if (avail < len)
				len = (uint32_t)avail;
			trc_jnl_put_u64(b, addr);
			trc_jnl_put_u32(b, len);
			trc_jnl_put_u32(b, kind);
			p = trc_jnl_reserve(b, len);
			if (!p)
				break;
			if (!batch && cap_uread(p, src, len)) {
				b->len = at;
				continue;
			}
			if (cimgs_add(got, (struct cimg){ at + 16, src, len,
							  kind == CAP_IMG_CP_DMA })) {
				b->len = at; /* out of memory for the list: this one is left out */
				break;
			}
			n++;
		}
	}
	return n;
}

/*
 * scan_targets with one batched copy for all the images found (one by one again if that
 * fails, so only the unreadable ones are left out); the CP_DMA targets are added to
 * @scan (room for @scan_cap, grown: heap if *@scan_heap) to be scanned next.
 */
static uint32_t scan_level(struct cfile *cf, struct trc_jnl_buf *b, struct cscan **scan,
			   uint32_t *nscan, uint32_t *scan_cap, int *scan_heap, uint32_t s0,
			   uint32_t room)
{
	struct iovec l[CAP_IOV_MAX], r[CAP_IOV_MAX];
	struct cimgs got = { 0 };
	uint32_t s1 = *nscan, n, i, k;
	size_t start = b->len, total;
	int ok = 1;

	n = scan_targets(cf, b, *scan, s0, s1, room, 1, &got);
	for (i = 0; i < got.n && ok; i += k) {
		total = 0;
		for (k = 0; k < CAP_IOV_MAX && i + k < got.n; k++) {
			l[k] = (struct iovec){ b->p + got.v[i + k].off, got.v[i + k].len };
			r[k] = (struct iovec){ (void *)(uintptr_t)got.v[i + k].src,
					       got.v[i + k].len };
			total += got.v[i + k].len;
		}
		ok = uread_batch(l, k, r, k, total);
	}
	if (!ok) {
		b->len = start;
		got.n = 0;
		n = scan_targets(cf, b, *scan, s0, s1, room, 0, &got);
	}
	for (i = 0; i < got.n; i++) {
		if (!got.v[i].call)
			continue;
		if (*nscan == *scan_cap) {
			/* room for more CP_DMA targets (at most CAP_MAX_IMAGES of them) */
			struct cscan *p = *scan_heap ?
				realloc(*scan, (size_t)*scan_cap * 2 * sizeof(*p)) :
				malloc((size_t)*scan_cap * 2 * sizeof(*p));

			if (!p)
				break; /* their bytes are kept; only not scanned further */
			if (!*scan_heap)
				memcpy(p, *scan, (size_t)*nscan * sizeof(*p));
			*scan = p;
			*scan_heap = 1;
			*scan_cap *= 2;
		}
		(*scan)[(*nscan)++] = (struct cscan){ got.v[i].off, got.v[i].len, 1, 0, 0,
						      got.v[i].src };
	}
	free(got.v);
	return n;
}

/*
 * The memory images of the CS (after its chunk section): each internal CB (a copy of its
 * snapshot: the same bytes of the same host map, as a CP fetches them), then the targets
 * of CP_DMA and LOAD_AND_EXE packets in the snapshots that lie in host maps, then those of
 * LOAD_AND_EXE packets in the CP_DMA targets (CP_DMA is followed one level: a lower CP's CB
 * calls no further): one batched copy per level. @scan has room for @scan_cap entries
 * (freed here if @scan_heap).
 */
static void cs_images(struct cfile *cf, struct trc_jnl_buf *b, struct cscan *scan,
		      uint32_t nscan, uint32_t scan_cap, int scan_heap)
{
	uint32_t s, nimg = 0, s0;
	size_t count_at = b->len;

	trc_jnl_put_u32(b, 0);
	for (s = 0; s < nscan && nimg < CAP_MAX_IMAGES && !b->oom; s++) {
		uint8_t *p;

		if (!scan[s].internal)
			continue;
		trc_jnl_put_u64(b, scan[s].handle);
		trc_jnl_put_u32(b, scan[s].len);
		trc_jnl_put_u32(b, CAP_IMG_INTERNAL_CB);
		p = trc_jnl_reserve(b, scan[s].len);
		if (p)
			memcpy(p, b->p + scan[s].off, scan[s].len);
		nimg++;
	}
	if (cf->f && !b->oom) {
		s0 = nscan; /* the jobs' CBs, then the CP_DMA targets found in them */
		nimg += scan_level(cf, b, &scan, &nscan, &scan_cap, &scan_heap, 0,
				   CAP_MAX_IMAGES - nimg);
		if (nscan > s0 && !b->oom)
			nimg += scan_level(cf, b, &scan, &nscan, &scan_cap, &scan_heap, s0,
					   CAP_MAX_IMAGES - nimg);
	}
	trc_jnl_patch_u32(b, count_at, nimg);
	if (scan_heap)
		free(scan);
}

/*
 * The chunk counts of CS @k that are read and journalled (*@nr restore, *@ne execute):
 * none for CSs without CB chunks (signal / wait / collective, signal reservations,
 * engine-core commands: their arguments alone are journalled), nor beyond the driver's
 * bound (it refuses those).
 */
static void cs_chunk_counts(const union hl_cs_args *k, uint32_t *nr, uint32_t *ne)
{
	*nr = k->in.num_chunks_restore;
	*ne = k->in.num_chunks_execute;
	if (k->in.cs_flags & (HL_CS_FLAGS_SIGNAL | HL_CS_FLAGS_WAIT | HL_CS_FLAGS_COLLECTIVE_WAIT |
			      CAP_CS_NO_TIMESTAMP))
		*nr = *ne = 0;
	if (*nr > HL_MAX_JOBS_PER_CS || *ne > HL_MAX_JOBS_PER_CS)
		*nr = *ne = 0;
}

/*
 * The CS's arguments, chunk arrays and CB bytes depend on each other (the arguments point
 * at the arrays, the chunks name the CBs), so they take three copies in turn. A program
 * submitting in a loop mostly passes the same arrays and CBs each time: the file keeps
 * where the last CS's came from (struct cspec), and they are read together with the
 * arguments in one copy, straight into their places in the record. The guess is used only
 * if the arguments name the same arrays and every chunk read names the same CB source and
 * size; else those bytes are dropped and the copies are made in turn.
 *
 * Returns 1 (all of it read: @b holds the chunk section, @k the arguments), 0 (@k read,
 * the guess missed: @b as it came), -1 (the arguments unreadable this way).
 */
static int cs_read_guess(struct cfile *cf, struct trc_jnl_buf *b, void *arg, size_t n,
			 union hl_cs_args *k, struct cscan *scan, uint32_t *nscan)
{
	const struct cspec *g = &cf->spec;
	struct iovec l[2 + 2 * CAP_SPEC_MAX_CHUNKS], r[3 + CAP_SPEC_MAX_CHUNKS];
	size_t start = b->len, at[CAP_SPEC_MAX_CHUNKS], total = n, arr_len = 0, gap_len = 0;
	size_t head;
	uint64_t a = (uint64_t)(uintptr_t)arg, arr = 0;
	uint8_t gap[CAP_SPAN_GAP_BYTES];
	uint32_t i, nl, nrem, c = g->nr + g->ne, nr, ne;
	int merge = 0;
	struct hl_cs_chunk chunk;
	pid_t pid = __atomic_load_n(&c_pid, __ATOMIC_RELAXED);
	int internal;
	ssize_t got;

	for (i = 0; i < c; i++) {
		at[i] = b->len;
		trc_jnl_reserve(b, sizeof(chunk));
		trc_jnl_put_u32(b, g->len[i] ? g->len[i] : TRC_JNL_NO_BLOB);
		trc_jnl_reserve(b, g->len[i]);
	}
	if (b->oom || !pid) {
		b->len = start;
		return -1;
	}
	/*
	 * The arguments and a lone chunk array close to each other (both on the stack, say)
	 * are read as one range with the few bytes between them (they lie on the pages of the
	 * two): the kernel walks the pages of each range, a range fewer saves one walk.
	 */
	if (c && !(g->nr && g->ne)) {
		arr = g->ne ? g->execute : g->restore;
		arr_len = (size_t)c * sizeof(chunk);
		if (a + n <= arr && arr - (a + n) <= CAP_SPAN_GAP_BYTES) {
			merge = 1; /* the arguments first */
			gap_len = arr - (a + n);
		} else if (arr + arr_len <= a && a - (arr + arr_len) <= CAP_SPAN_GAP_BYTES) {
			merge = 2; /* the array first */
			gap_len = a - (arr + arr_len);
		}
	}
	nl = 0;
	nrem = 0;
	if (merge != 2)
		l[nl++] = (struct iovec){ k, n };
	if (merge == 1 && gap_len)
		l[nl++] = (struct iovec){ gap, gap_len };
	for (i = 0; i < c; i++)
		l[nl++] = (struct iovec){ b->p + at[i], sizeof(chunk) };
	if (merge == 2 && gap_len)
		l[nl++] = (struct iovec){ gap, gap_len };
	if (merge == 2)
		l[nl++] = (struct iovec){ k, n };
	for (i = 0; i < c; i++)
		if (g->len[i])
			l[nl++] = (struct iovec){ b->p + at[i] + sizeof(chunk) + 4, g->len[i] };
	if (merge) {
		head = n + gap_len + arr_len;
		r[nrem++] = (struct iovec){ (void *)(uintptr_t)(merge == 1 ? a : arr), head };
	} else {
		head = n;
		r[nrem++] = (struct iovec){ arg, n };
		if (g->nr)
			r[nrem++] = (struct iovec){ (void *)(uintptr_t)g->restore,
						    (size_t)g->nr * sizeof(chunk) };
		if (g->ne)
			r[nrem++] = (struct iovec){ (void *)(uintptr_t)g->execute,
						    (size_t)g->ne * sizeof(chunk) };
	}
	total += (size_t)c * sizeof(chunk) + gap_len;
	for (i = 0; i < c; i++) {
		if (g->len[i]) {
			r[nrem++] = (struct iovec){ (void *)(uintptr_t)g->src[i], g->len[i] };
			total += g->len[i];
		}
	}
	got = process_vm_readv(pid, l, nl, r, nrem, 0);
	if (got < (ssize_t)head) { /* the arguments did not come */
		b->len = start;
		return -1;
	}
	cs_chunk_counts(k, &nr, &ne);
	if (got != (ssize_t)total || nr != g->nr || ne != g->ne ||
	    (nr && k->in.chunks_restore != g->restore) ||
	    (ne && k->in.chunks_execute != g->execute)) {
		b->len = start;
		return 0;
	}
	*nscan = 0;
	for (i = 0; i < c; i++) {
		uint64_t src;

		memcpy(&chunk, b->p + at[i], sizeof(chunk));
		src = chunk_src(cf, &chunk, &internal);
		if (src != g->src[i] || (src ? chunk.cb_size : 0) != g->len[i]) {
			b->len = start;
			*nscan = 0;
			return 0;
		}
		if (src)
			scan[(*nscan)++] = (struct cscan){ at[i] + sizeof(chunk) + 4, g->len[i], 0,
							   (uint8_t)internal, chunk.cb_handle,
							   src };
	}
	return 1;
}

/*
 * Keep where this CS's chunk arrays and CBs came from (its chunk section, from byte @at
 * of @b) as the next CS's guess; none if it has no chunks, or too many or too large.
 */
static void cs_guess_keep(struct cfile *cf, const struct trc_jnl_buf *b, size_t at,
			  const union hl_cs_args *k, uint32_t nr, uint32_t ne)
{
	struct cspec *g = &cf->spec;
	struct hl_cs_chunk chunk;
	uint64_t bytes = 0;
	uint32_t i, len;
	int internal;

	g->valid = 0;
	if (!nr + !ne == 2 || nr + ne > CAP_SPEC_MAX_CHUNKS || b->oom)
		return;
	for (i = 0; i < nr + ne; i++) {
		if (at + sizeof(chunk) + 4 > b->len)
			return;
		memcpy(&chunk, b->p + at, sizeof(chunk));
		memcpy(&len, b->p + at + sizeof(chunk), 4); /* written little-endian: x86-64 */
		at += sizeof(chunk) + 4;
		g->src[i] = chunk_src(cf, &chunk, &internal);
		g->len[i] = g->src[i] ? chunk.cb_size : 0;
		bytes += g->len[i];
		if (len != TRC_JNL_NO_BLOB)
			at += len;
	}
	if (bytes > CAP_SPEC_MAX_BYTES)
		return;
	g->restore = k->in.chunks_restore;
	g->execute = k->in.chunks_execute;
	g->nr = nr;
	g->ne = ne;
	g->valid = 1;
}

/*
 * HL_IOCTL_CS: the arguments (with HL_CS_FLAGS_TIMESTAMP added), chunk arrays and CB
 * snapshots are taken before the call, the answer after it; one CS record.
 */
static int cap_cs(int fd, unsigned long req, void *arg)
{
	struct cscan scan_local[CAP_SCAN_LOCAL], *scan = scan_local;
	struct trc_jnl_buf b = { 0 };
	struct hl_cs_chunk *ch;
	union hl_cs_args k;
	size_t n = _IOC_SIZE(req), rc_at, flags_at, t_at, in_at, out_at, counts_at, chunks_at;
	uint32_t user_flags, sent_flags, nr = 0, ne = 0, nscan = 0, scan_cap = CAP_SCAN_LOCAL;
	struct cfile *cf;
	int64_t t0, t1;
	int rc, err, wrc, guess = -1;

	if (n < sizeof(struct hl_cs_in) || n > sizeof(k))
		return cap_generic(fd, req, arg, _IOC_NR(HL_IOCTL_CS)); /* not a CS we can read */
	pthread_mutex_lock(&c_lock);
	cf = lookup(fd);
	trc_jnl_begin(&b, TRC_JNL_CS);
	trc_jnl_put_u32(&b, (uint32_t)fd);
	trc_jnl_put_u32(&b, cf ? cf->minor : 0);
	trc_jnl_put_u64(&b, req);
	rc_at = b.len;
	trc_jnl_put_u32(&b, 0); /* rc */
	flags_at = b.len;
	trc_jnl_put_u32(&b, 0); /* the program's flags */
	t_at = b.len;
	trc_jnl_put_u64(&b, 0); /* submit */
	trc_jnl_put_u64(&b, 0); /* return */
	trc_jnl_put_u32(&b, (uint32_t)n);
	in_at = b.len;
	trc_jnl_reserve(&b, n); /* the arguments as sent */
	out_at = b.len;
	trc_jnl_reserve(&b, n); /* the answer, filled after the call */
	counts_at = b.len;
	trc_jnl_put_u32(&b, 0);
	trc_jnl_put_u32(&b, 0);
	chunks_at = b.len;
	if (cf && cf->spec.valid)
		guess = cs_read_guess(cf, &b, arg, n, &k, scan, &nscan);
	if (guess < 0 && cap_uread(&k, (uint64_t)(uintptr_t)arg, n)) {
		pthread_mutex_unlock(&c_lock);
		trc_jnl_free(&b);
		return cap_generic(fd, req, arg, _IOC_NR(HL_IOCTL_CS)); /* not a CS we can read */
	}
	user_flags = k.in.cs_flags;
	sent_flags = user_flags & CAP_CS_NO_TIMESTAMP ? user_flags :
							user_flags | HL_CS_FLAGS_TIMESTAMP;
	cs_chunk_counts(&k, &nr, &ne);
	if (cf && guess < 1 && nr + ne) {
		/* both arrays in one copy, then every CB in one (cs_chunks) */
		struct iovec l, r[2];
		uint32_t nrem = 0;

		ch = malloc((size_t)(nr + ne) * sizeof(*ch));
		if (nr + ne > scan_cap) {
			scan = malloc((size_t)(nr + ne) * sizeof(*scan));
			scan_cap = nr + ne;
		}
		if (ch) {
			l = (struct iovec){ ch, (size_t)(nr + ne) * sizeof(*ch) };
			if (nr)
				r[nrem++] = (struct iovec){ (void *)(uintptr_t)k.in.chunks_restore,
							    (size_t)nr * sizeof(*ch) };
			if (ne)
				r[nrem++] = (struct iovec){ (void *)(uintptr_t)k.in.chunks_execute,
							    (size_t)ne * sizeof(*ch) };
		}
		if (!ch || !scan ||
		    (!uread_batch(&l, 1, r, nrem, l.iov_len) &&
		     (cap_uread(ch, k.in.chunks_restore, (size_t)nr * sizeof(*ch)) ||
		      cap_uread(ch + nr, k.in.chunks_execute, (size_t)ne * sizeof(*ch)))))
			nr = ne = 0; /* unreadable: the driver answers EFAULT */
		if (nr + ne)
			cs_chunks(cf, &b, ch, nr + ne, scan, &nscan);
		free(ch);
		if (!scan) {
			scan = scan_local;
			scan_cap = CAP_SCAN_LOCAL;
		}
	}
	trc_jnl_patch_u32(&b, counts_at, nr);
	trc_jnl_patch_u32(&b, counts_at + 4, ne);
	if (cf) {
		cs_guess_keep(cf, &b, chunks_at, &k, nr, ne);
		cs_images(cf, &b, scan, nscan, scan_cap, scan != scan_local);
	}
	k.in.cs_flags = sent_flags;
	trc_jnl_patch_u32(&b, flags_at, user_flags);
	if (!b.oom)
		memcpy(b.p + in_at, &k, n);
	pthread_mutex_unlock(&c_lock);

	t0 = clock_ns(CLOCK_MONOTONIC);
	rc = backend_ioctl(fd, req, &k);
	t1 = clock_ns(CLOCK_MONOTONIC);
	err = errno;
	/* The caller sees its own flags where the driver left the input in place. */
	if (k.in.cs_flags == sent_flags)
		k.in.cs_flags = user_flags;
	wrc = cap_uwrite((uint64_t)(uintptr_t)arg, &k, n);
	if (wrc && !rc)
		rc = wrc;

	pthread_mutex_lock(&c_lock);
	if (cf && lookup(fd) == cf) {
		trc_jnl_patch_u32(&b, rc_at, (uint32_t)rc);
		trc_jnl_patch_u64(&b, t_at, (uint64_t)t0);
		trc_jnl_patch_u64(&b, t_at + 8, (uint64_t)t1);
		if (k.in.cs_flags == user_flags && user_flags != sent_flags)
			k.in.cs_flags = sent_flags; /* journal what the driver left */
		if (!b.oom)
			memcpy(b.p + out_at, &k, n);
		journal_put(&b);
	}
	pthread_mutex_unlock(&c_lock);
	trc_jnl_free(&b);
	errno = err;
	return rc;
}


/* HL_IOCTL_WAIT_CS: arguments before, answer after (with MULTI_CS, the seq array). */
static int cap_wait(int fd, unsigned long req, void *arg)
{
	union hl_wait_cs_args in, out;
	uint64_t seqs[HL_WAIT_MULTI_CS_LIST_MAX_LEN];
	struct trc_jnl_buf b = { 0 };
	size_t n = _IOC_SIZE(req);
	uint32_t nseq = 0;
	struct cfile *cf;
	int64_t t0, t1;
	int rc, err;

	if (n > sizeof(in))
		n = sizeof(in);
	memset(&in, 0, sizeof(in));
	memset(&out, 0, sizeof(out));
	if (cap_uread(&in, (uint64_t)(uintptr_t)arg, n))
		n = 0;
	if (n && (in.in.flags & HL_WAIT_CS_FLAGS_MULTI_CS)) {
		nseq = in.in.seq_arr_len;
		if (nseq > HL_WAIT_MULTI_CS_LIST_MAX_LEN ||
		    cap_uread(seqs, in.in.seq, (size_t)nseq * sizeof(seqs[0])))
			nseq = 0;
	}
	t0 = clock_ns(CLOCK_MONOTONIC);
	rc = backend_ioctl(fd, req, arg);
	t1 = clock_ns(CLOCK_MONOTONIC);
	err = errno;
	if (n && cap_uread(&out, (uint64_t)(uintptr_t)arg, n))
		memset(&out, 0, sizeof(out));
	pthread_mutex_lock(&c_lock);
	cf = lookup(fd);
	if (cf) {
		trc_jnl_begin(&b, TRC_JNL_WAIT);
		trc_jnl_put_u32(&b, (uint32_t)fd);
		trc_jnl_put_u32(&b, cf->minor);
		trc_jnl_put_u64(&b, req);
		trc_jnl_put_u32(&b, (uint32_t)rc);
		trc_jnl_put_u32(&b, 0);
		trc_jnl_put_u64(&b, (uint64_t)t0);
		trc_jnl_put_u64(&b, (uint64_t)t1);
		trc_jnl_put_u32(&b, (uint32_t)n);
		trc_jnl_put_bytes(&b, &in, n);
		trc_jnl_put_bytes(&b, &out, n);
		trc_jnl_put_u32(&b, nseq);
		trc_jnl_put_bytes(&b, seqs, (size_t)nseq * sizeof(seqs[0]));
		journal_put(&b);
	}
	pthread_mutex_unlock(&c_lock);
	trc_jnl_free(&b);
	errno = err;
	return rc;
}

int trc_cap_ioctl(int fd, unsigned long req, void *arg)
{
	unsigned int cmd = trc_jnl_cmd_of(req);

	if (cmd == _IOC_NR(HL_IOCTL_CS))
		return cap_cs(fd, req, arg);
	if (cmd == _IOC_NR(HL_IOCTL_WAIT_CS))
		return cap_wait(fd, req, arg);
	return cap_generic(fd, req, arg, cmd);
}

void *trc_cap_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	struct trc_jnl_buf b = { 0 };
	int64_t t = clock_ns(CLOCK_MONOTONIC);
	struct cfile *cf;
	struct ccb *cb;
	void *p;
	int err;

	if (trc_vdev_is_virtual(fd))
		p = trc_vdev_mmap(addr, len, prot, flags, fd, off);
	else
		p = trc_vdev_real()->mmap(addr, len, prot, flags, fd, off);
	err = p == MAP_FAILED ? errno : 0;
	pthread_mutex_lock(&c_lock);
	cf = lookup(fd);
	if (cf) {
		if (p != MAP_FAILED &&
		    ((uint64_t)off & CAP_MMAP_TYPE_MASK) == CAP_MMAP_TYPE_CB) {
			cb = ccb_get(cf, (uint64_t)off);
			if (cb) {
				if (!cb->map_len)
					__atomic_add_fetch(&c_nmapped, 1, __ATOMIC_RELAXED);
				cb->map_addr = (uint64_t)(uintptr_t)p;
				cb->map_len = len;
			}
		}
		trc_jnl_begin(&b, TRC_JNL_MMAP);
		trc_jnl_put_u32(&b, (uint32_t)fd);
		trc_jnl_put_u32(&b, (uint32_t)err);
		trc_jnl_put_u32(&b, cf->minor);
		trc_jnl_put_u32(&b, (uint32_t)prot);
		trc_jnl_put_u32(&b, (uint32_t)flags);
		trc_jnl_put_u32(&b, 0);
		trc_jnl_put_u64(&b, (uint64_t)off);
		trc_jnl_put_u64(&b, len);
		trc_jnl_put_u64(&b, p == MAP_FAILED ? 0 : (uint64_t)(uintptr_t)p);
		trc_jnl_put_u64(&b, (uint64_t)t);
		journal_put(&b);
	}
	pthread_mutex_unlock(&c_lock);
	trc_jnl_free(&b);
	errno = err;
	return p;
}

void trc_cap_munmapped(void *addr, size_t len)
{
	uint64_t a = (uint64_t)(uintptr_t)addr, e = a + len;
	struct trc_jnl_buf b = { 0 };
	int fd, hit = 0;
	uint32_t i;

	if (!__atomic_load_n(&c_nmapped, __ATOMIC_RELAXED))
		return;
	pthread_mutex_lock(&c_lock);
	for (fd = 0; fd < c_fds_cap; fd++) {
		struct cfile *cf = c_fds[fd];

		for (i = 0; cf && i < cf->ncbs; i++) {
			struct ccb *cb = &cf->cbs[i];

			if (cb->map_len && cb->map_addr < e && a < cb->map_addr + cb->map_len) {
				cb->map_len = 0; /* any part gone: the snapshot needs it whole */
				cb->map_addr = 0;
				__atomic_sub_fetch(&c_nmapped, 1, __ATOMIC_RELAXED);
				hit = 1;
			}
		}
	}
	if (hit) {
		trc_jnl_begin(&b, TRC_JNL_MUNMAP);
		trc_jnl_put_u64(&b, a);
		trc_jnl_put_u64(&b, len);
		trc_jnl_put_u64(&b, (uint64_t)clock_ns(CLOCK_MONOTONIC));
		journal_put(&b);
	}
	pthread_mutex_unlock(&c_lock);
	trc_jnl_free(&b);
}
