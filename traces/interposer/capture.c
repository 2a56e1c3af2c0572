/*
 * traces/interposer/capture.c - capture mode of libhlsim_preload.so (`hlsim capture`).
 *
 * With HLSIM_CAPTURE_JOURNAL set, every open of a Habana device node, and every ioctl,
 * mmap, munmap, dup and close of the descriptors it returns, is passed to the driver below
 * (the real libc functions, dlsym(RTLD_NEXT); or the virtual device of vdev.c with
 * HLSIM_CAPTURE_BACKEND=vdev) and appended to the journal (journal.h) as one record written
 * by one write(2), so a killed program leaves every record it finished:
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
 * on this process, whose id is cached and refreshed at fork: a bad pointer is EFAULT).
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
};

/** struct cscan - a snapshot in the CS record to look through for CP_DMA / LOAD_AND_EXE. */
struct cscan {
	size_t off; /* of the bytes in the record */
	uint32_t len;
	uint8_t depth; /* 0: a job's CB; 1: a CP_DMA target */
	uint8_t internal; /* a job's CB read from a host map (also an image) */
	uint32_t chunk;
};

static pthread_mutex_t c_lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
static int c_mode = -1; /* -1 not read yet, 0 off, 1 on */
static int c_backend; /* 0 real, 1 vdev, -1 unknown name */
static struct cfile **c_fds;
static int c_fds_cap;
static int c_ncap; /* fds pointing at captured files (read without the lock as a hint) */
static int c_nmapped; /* live CB mappings (idem) */

/** The journal. */
static struct {
	int state; /* 0 not opened, 1 writing, 2 closed or failed */
	int fd;
	pid_t pid; /* the process that opened it: only it writes END */
	int64_t sync_ns, last_sync_ns;
	uint32_t lae_bytes;
} c_j;

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

static void pid_refresh(void)
{
	__atomic_store_n(&c_pid, getpid(), __ATOMIC_RELAXED);
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

static void journal_fail(const char *what, int err)
{
	fprintf(stderr, "hlsim capture: journal %s: %s: %s; recording stops here (the program "
			"goes on)\n", getenv("HLSIM_CAPTURE_JOURNAL"), what, strerror(err));
	if (c_j.fd >= 0)
		trc_vdev_real()->close(c_j.fd);
	c_j.fd = -1;
	c_j.state = 2;
}

static int write_all(const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t w = write(c_j.fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? errno : EIO;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static void journal_start(void)
{
	const char *path = getenv("HLSIM_CAPTURE_JOURNAL");
	uint8_t head[TRC_JNL_HEADER_BYTES];
	struct stat st;
	int err;

	c_j.state = 2;
	c_j.fd = -1;
	c_j.sync_ns = (int64_t)env_u64("HLSIM_CAPTURE_SYNC_MS", CAP_SYNC_MS_DEFAULT,
				       24ull * 3600 * 1000) * 1000000;
	c_j.lae_bytes = (uint32_t)env_u64("HLSIM_CAPTURE_LAE_BYTES", CAP_LAE_BYTES_DEFAULT, 4096);
	/* Appending: processes of one run (a launcher and its children) share the journal. */
	c_j.fd = trc_vdev_real()->open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (c_j.fd < 0) {
		journal_fail("cannot open it", errno);
		return;
	}
	if (flock(c_j.fd, LOCK_EX) == 0) {
		if (fstat(c_j.fd, &st) == 0 && st.st_size == 0) {
			trc_jnl_header(head);
			err = write_all(head, sizeof(head));
			if (err) {
				journal_fail("writing the header", err);
				return;
			}
		}
		flock(c_j.fd, LOCK_UN);
	}
	c_j.state = 1;
	c_j.pid = getpid();
	if (!__atomic_load_n(&c_pid, __ATOMIC_RELAXED) && !pthread_atfork(NULL, NULL, pid_refresh))
		__atomic_store_n(&c_pid, c_j.pid, __ATOMIC_RELAXED);
	c_j.last_sync_ns = clock_ns(CLOCK_MONOTONIC);
	atexit(trc_cap_finish);
}

/* Close record @b and append it (one write); sync when the interval has passed. */
static void journal_put(struct trc_jnl_buf *b)
{
	static int warned;
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
	err = write_all(b->p, b->len);
	if (err) {
		journal_fail("write failed", err);
		return;
	}
	now = clock_ns(CLOCK_MONOTONIC);
	if (now - c_j.last_sync_ns >= c_j.sync_ns) {
		fdatasync(c_j.fd);
		c_j.last_sync_ns = now;
	}
}

void trc_cap_finish(void)
{
	struct trc_jnl_buf b = { 0 };

	pthread_mutex_lock(&c_lock);
	if (c_j.state == 1 && c_j.pid == getpid()) {
		trc_jnl_begin(&b, TRC_JNL_END);
		trc_jnl_put_u64(&b, (uint64_t)clock_ns(CLOCK_MONOTONIC));
		journal_put(&b);
		if (c_j.state == 1) {
			fdatasync(c_j.fd);
			trc_vdev_real()->close(c_j.fd);
			c_j.fd = -1;
			c_j.state = 2;
		}
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
	if (n && cap_uread(out, (uint64_t)(uintptr_t)arg, n))
		memset(out, 0, n);
	pthread_mutex_lock(&c_lock);
	cf = lookup(fd);
	if (cf) {
		if (!rc)
			tables_update(cf, cmd, in, out, n);
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
		trc_jnl_put_bytes(&b, out, n);
		if (cmd == _IOC_NR(HL_IOCTL_INFO) && !rc && n >= sizeof(ia)) {
			memcpy(&ia, in, sizeof(ia));
			extra = ia.return_size < CAP_INFO_MAX_BYTES ? ia.return_size :
								      CAP_INFO_MAX_BYTES;
		}
		trc_jnl_put_u32(&b, extra);
		if (extra) {
			size_t at = b.len;
			uint8_t *p = trc_jnl_reserve(&b, extra);

			if (p && cap_uread(p, ia.return_pointer, extra)) {
				b.len = at - 4; /* the return buffer is gone: journal none */
				trc_jnl_put_u32(&b, 0);
			}
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
 * Memory image of [@addr, +@len) if it lies in a host map (LOAD_AND_EXE: clipped to it):
 * appended as u64 addr, u32 len, u32 kind, bytes. Returns 1 if appended.
 */
static int put_image(struct cfile *cf, struct trc_jnl_buf *b, uint64_t addr, uint32_t len,
		     enum cap_img_kind kind, size_t *off)
{
	uint64_t avail, src = host_of(cf, addr, &avail);
	size_t at = b->len;
	uint8_t *p;

	if (!src || !len)
		return 0;
	if (avail < len) {
		if (kind != CAP_IMG_LOAD_AND_EXE)
			return 0; /* runs past the map: the device would fault; nothing to keep */
		len = (uint32_t)avail;
	}
	trc_jnl_put_u64(b, addr);
	trc_jnl_put_u32(b, len);
	trc_jnl_put_u32(b, kind);
	p = trc_jnl_reserve(b, len);
	if (!p || cap_uread(p, src, len)) {
		if (!b->oom)
			b->len = at;
		return 0;
	}
	*off = at + 16;
	return 1;
}

/*
 * Snapshot the CS's chunks into @b (before the call): each chunk's 64 bytes and its CB
 * bytes, then the memory images (internal CBs read from host maps, as a CP fetches them,
 * and the targets of CP_DMA and LOAD_AND_EXE packets in those snapshots that lie in host
 * maps; CP_DMA is followed one level: a lower CP's CB calls no further).
 */
static void cs_snapshot(struct cfile *cf, struct trc_jnl_buf *b, const struct hl_cs_chunk *ch,
			uint32_t n)
{
	struct cscan *scan;
	uint32_t i, nscan = 0, nimg = 0, s, scan_cap = n + 16;
	size_t count_at, off;

	scan = calloc(scan_cap, sizeof(*scan));
	for (i = 0; i < n; i++) {
		const struct hl_cs_chunk *c = &ch[i];
		uint64_t src = 0, avail;
		struct ccb *cb = NULL;
		int internal = 0;

		trc_jnl_put_bytes(b, c, sizeof(*c));
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
			internal = 1;
		}
		if (!src || !c->cb_size) {
			trc_jnl_put_u32(b, TRC_JNL_NO_BLOB);
			continue;
		}
		if (put_snapshot(b, src, c->cb_size, &off) || !scan)
			continue;
		scan[nscan++] = (struct cscan){ off, c->cb_size, 0, (uint8_t)internal, i };
	}
	count_at = b->len;
	trc_jnl_put_u32(b, 0);
	for (s = 0; s < nscan && nimg < CAP_MAX_IMAGES; s++)
		if (scan[s].internal && put_image(cf, b, ch[scan[s].chunk].cb_handle, scan[s].len,
						  CAP_IMG_INTERNAL_CB, &off))
			nimg++;
	for (s = 0; cf->f && s < nscan && !b->oom; s++) {
		size_t pos = 0;

		while (pos < scan[s].len && nimg < CAP_MAX_IMAGES) {
			struct hlsim_cmd cmd;
			int got = 0;

			if (cf->f->decode(b->p + scan[s].off, scan[s].len, pos, &cmd) ||
			    !cmd.size_bytes)
				break; /* undecodable: the driver or the device will say so */
			pos += cmd.size_bytes;
			if (cmd.kind == HLSIM_CMD_CB_CALL && !scan[s].depth)
				got = put_image(cf, b, cmd.u.cb_call.addr, cmd.u.cb_call.size_bytes,
						CAP_IMG_CP_DMA, &off);
			else if (cmd.kind == HLSIM_CMD_LOAD_AND_EXE && cmd.u.load_exe.load)
				got = put_image(cf, b, cmd.u.load_exe.src_addr, c_j.lae_bytes,
						CAP_IMG_LOAD_AND_EXE, &off);
			if (!got)
				continue;
			nimg++;
			if (cmd.kind == HLSIM_CMD_CB_CALL && nscan == scan_cap) {
				/* room for more CP_DMA targets (at most CAP_MAX_IMAGES of them) */
				struct cscan *p = realloc(scan, (size_t)scan_cap * 2 * sizeof(*p));

				if (!p)
					continue; /* its bytes are kept; only not scanned further */
				scan = p;
				scan_cap *= 2;
			}
			if (cmd.kind == HLSIM_CMD_CB_CALL)
				scan[nscan++] = (struct cscan){ off, cmd.u.cb_call.size_bytes,
								1, 0, 0 };
		}
	}
	trc_jnl_patch_u32(b, count_at, nimg);
	free(scan);
}

/*
 * HL_IOCTL_CS: the arguments (with HL_CS_FLAGS_TIMESTAMP added), chunk arrays and CB
 * snapshots are taken before the call, the answer after it; one CS record.
 */
static int cap_cs(int fd, unsigned long req, void *arg)
{
	union hl_cs_args k;
	struct hl_cs_chunk *ch = NULL;
	struct trc_jnl_buf b = { 0 };
	size_t n = _IOC_SIZE(req), rc_at, t_at, out_at;
	uint32_t user_flags, sent_flags, nr, ne;
	struct cfile *cf;
	int64_t t0, t1;
	int rc, err, wrc;

	if (n < sizeof(struct hl_cs_in) || n > sizeof(k) ||
	    cap_uread(&k, (uint64_t)(uintptr_t)arg, n))
		return cap_generic(fd, req, arg, _IOC_NR(HL_IOCTL_CS)); /* not a CS we can read */
	user_flags = k.in.cs_flags;
	sent_flags = user_flags & CAP_CS_NO_TIMESTAMP ? user_flags :
							user_flags | HL_CS_FLAGS_TIMESTAMP;
	k.in.cs_flags = sent_flags;
	nr = k.in.num_chunks_restore;
	ne = k.in.num_chunks_execute;
	if (user_flags & (HL_CS_FLAGS_SIGNAL | HL_CS_FLAGS_WAIT | HL_CS_FLAGS_COLLECTIVE_WAIT |
			  CAP_CS_NO_TIMESTAMP))
		nr = ne = 0; /* no CB chunks: the arguments alone are journalled */
	if (nr > HL_MAX_JOBS_PER_CS || ne > HL_MAX_JOBS_PER_CS)
		nr = ne = 0; /* the driver refuses it */
	if (nr + ne) {
		ch = malloc((size_t)(nr + ne) * sizeof(*ch));
		if (!ch || cap_uread(ch, k.in.chunks_restore, (size_t)nr * sizeof(*ch)) ||
		    cap_uread(ch + nr, k.in.chunks_execute, (size_t)ne * sizeof(*ch)))
			nr = ne = 0; /* unreadable: the driver answers EFAULT */
	}
	pthread_mutex_lock(&c_lock);
	cf = lookup(fd);
	trc_jnl_begin(&b, TRC_JNL_CS);
	trc_jnl_put_u32(&b, (uint32_t)fd);
	trc_jnl_put_u32(&b, cf ? cf->minor : 0);
	trc_jnl_put_u64(&b, req);
	rc_at = b.len;
	trc_jnl_put_u32(&b, 0); /* rc */
	trc_jnl_put_u32(&b, user_flags);
	t_at = b.len;
	trc_jnl_put_u64(&b, 0); /* submit */
	trc_jnl_put_u64(&b, 0); /* return */
	trc_jnl_put_u32(&b, (uint32_t)n);
	trc_jnl_put_bytes(&b, &k, n);
	out_at = b.len;
	trc_jnl_reserve(&b, n); /* the answer, filled after the call */
	trc_jnl_put_u32(&b, nr);
	trc_jnl_put_u32(&b, ne);
	if (cf)
		cs_snapshot(cf, &b, ch, nr + ne);
	pthread_mutex_unlock(&c_lock);
	free(ch);

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
