/*
 * traces/interposer/preload.c - the symbol layer of libhlsim_preload.so.
 *
 * Loaded with LD_PRELOAD, it defines open, open64, openat, openat64, the fortified
 * __open_2, __open64_2, __openat_2 and __openat64_2, close, dup, dup2, dup3, fcntl
 * (F_DUPFD and F_DUPFD_CLOEXEC), ioctl, mmap, mmap64, munmap, libc's syscall() for those
 * of them (a program that calls syscall(SYS_ioctl, ...) goes through it; only an inline
 * system call instruction escapes), and for sysfs fopen, fopen64,
 * stat, stat64, lstat, lstat64, fstatat, fstatat64, statx and access. Calls that name a Habana
 * device node (/dev/hl<N>, /dev/hl_controlD<N>, /dev/accel/accel<N>,
 * /dev/accel/accel_controlD<N>) or a file descriptor opened from one go to the virtual
 * device (vdev.c); everything else goes to the real libc function found with
 * dlsym(RTLD_NEXT). The sysfs files of a virtual device (/sys/class/habanalabs/hl<N>/...,
 * /sys/class/accel/accel<N>/device/...) go to vsysfs.c. Errors are returned the libc way:
 * -1 (or MAP_FAILED, or NULL) with errno.
 *
 * Capture mode (HLSIM_CAPTURE_JOURNAL set, `hlsim capture`): device nodes and their
 * descriptors go to capture.c instead, which passes every call to the driver below (the
 * real libc functions, or with HLSIM_CAPTURE_BACKEND=vdev the virtual device) and
 * journals it; the virtual sysfs is then served only over the virtual device.
 */
#undef _FORTIFY_SOURCE
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "traces/interposer/capture.h"
#include "traces/interposer/vdev.h"

#define TRC_EXPORT __attribute__((visibility("default")))
/*
 * The stat family and fopen are called by other libraries' constructors (gnutls, pulled
 * in by HDF5) before a sanitizer runtime loaded after this library has started: the
 * wrappers and what they run for paths that are not sysfs carry no ASan instrumentation.
 */
#define TRC_NO_ASAN __attribute__((no_sanitize_address))

/* The fortified entry points glibc's headers call with _FORTIFY_SOURCE (no public prototype). */
TRC_EXPORT int __open_2(const char *path, int flags);
TRC_EXPORT int __open64_2(const char *path, int flags);
TRC_EXPORT int __openat_2(int dirfd, const char *path, int flags);
TRC_EXPORT int __openat64_2(int dirfd, const char *path, int flags);

static struct trc_vdev_real real;

TRC_NO_ASAN static void *must_sym(const char *name)
{
	void *p = dlsym(RTLD_NEXT, name);

	if (!p) {
		/* No libc below us: nothing can work; say so once and fail the call. */
		fprintf(stderr, "libhlsim_preload: dlsym(RTLD_NEXT, %s) failed: %s\n", name,
			dlerror());
	}
	return p;
}

TRC_NO_ASAN const struct trc_vdev_real *trc_vdev_real(void)
{
	/* Benign race: every thread stores the same values. */
	if (!__atomic_load_n(&real.munmap, __ATOMIC_ACQUIRE)) {
		struct trc_vdev_real r;

		*(void **)&r.open = must_sym("open");
		*(void **)&r.open64 = must_sym("open64");
		*(void **)&r.openat = must_sym("openat");
		*(void **)&r.openat64 = must_sym("openat64");
		*(void **)&r.close = must_sym("close");
		*(void **)&r.dup = must_sym("dup");
		*(void **)&r.dup2 = must_sym("dup2");
		*(void **)&r.dup3 = must_sym("dup3");
		*(void **)&r.fcntl = must_sym("fcntl");
		*(void **)&r.ioctl = must_sym("ioctl");
		*(void **)&r.mmap = must_sym("mmap");
		*(void **)&r.mmap64 = must_sym("mmap64");
		*(void **)&r.munmap = must_sym("munmap");
		*(void **)&r.fopen = must_sym("fopen");
		*(void **)&r.fopen64 = must_sym("fopen64");
		*(void **)&r.stat = must_sym("stat");
		*(void **)&r.lstat = must_sym("lstat");
		*(void **)&r.access = must_sym("access");
		*(void **)&r.fstatat = must_sym("fstatat");
		*(void **)&r.statx = must_sym("statx");
		if (!r.open || !r.open64 || !r.openat || !r.openat64 || !r.close || !r.dup ||
		    !r.dup2 || !r.dup3 || !r.fcntl || !r.ioctl || !r.mmap || !r.mmap64 ||
		    !r.munmap || !r.fopen || !r.fopen64 || !r.stat || !r.lstat || !r.access ||
		    !r.fstatat || !r.statx)
			abort(); /* not input: the process has no C library to forward to */
		real.open = r.open;
		real.open64 = r.open64;
		real.openat = r.openat;
		real.openat64 = r.openat64;
		real.close = r.close;
		real.dup = r.dup;
		real.dup2 = r.dup2;
		real.dup3 = r.dup3;
		real.fcntl = r.fcntl;
		real.ioctl = r.ioctl;
		real.mmap = r.mmap;
		real.mmap64 = r.mmap64;
		real.fopen = r.fopen;
		real.fopen64 = r.fopen64;
		real.stat = r.stat;
		real.lstat = r.lstat;
		real.access = r.access;
		real.fstatat = r.fstatat;
		real.statx = r.statx;
		__atomic_store_n(&real.munmap, r.munmap, __ATOMIC_RELEASE);
	}
	return &real;
}

/*
 * A device path: open the virtual node (capture mode: the captured node) and return 1
 * with *ret set (fd or -1 + errno).
 */
static int try_vdev_open(const char *path, int flags, mode_t mode, int *ret)
{
	enum trc_vdev_node_kind kind;
	unsigned int minor;
	int fd;

	if (!path)
		return 0;
	kind = trc_vdev_match_path(path, &minor);
	if (kind == TRC_VDEV_NODE_NONE)
		return trc_cap_vsysfs() ? trc_vsysfs_open(path, flags, ret) : 0;
	if (trc_cap_active())
		fd = trc_cap_open(kind, minor, path, flags, mode);
	else
		fd = trc_vdev_open(kind, minor, flags);
	if (fd < 0) {
		errno = -fd;
		*ret = -1;
	} else {
		*ret = fd;
	}
	return 1;
}

static mode_t open_mode(int flags, va_list ap)
{
	if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE)
		return (mode_t)va_arg(ap, int);
	return 0;
}

TRC_EXPORT int open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;
	int ret;

	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	if (try_vdev_open(path, flags, mode, &ret))
		return ret;
	return trc_vdev_real()->open(path, flags, mode);
}

TRC_EXPORT int open64(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;
	int ret;

	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	if (try_vdev_open(path, flags, mode, &ret))
		return ret;
	return trc_vdev_real()->open64(path, flags, mode);
}

TRC_EXPORT int openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;
	int ret;

	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	/* Only absolute paths name a device node whatever @dirfd is. */
	if (path[0] == '/' && try_vdev_open(path, flags, mode, &ret))
		return ret;
	return trc_vdev_real()->openat(dirfd, path, flags, mode);
}

TRC_EXPORT int openat64(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;
	int ret;

	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	if (path[0] == '/' && try_vdev_open(path, flags, mode, &ret))
		return ret;
	return trc_vdev_real()->openat64(dirfd, path, flags, mode);
}

TRC_EXPORT int __open_2(const char *path, int flags)
{
	return open(path, flags);
}

TRC_EXPORT int __open64_2(const char *path, int flags)
{
	return open64(path, flags);
}

TRC_EXPORT int __openat_2(int dirfd, const char *path, int flags)
{
	return openat(dirfd, path, flags);
}

TRC_EXPORT int __openat64_2(int dirfd, const char *path, int flags)
{
	return openat64(dirfd, path, flags);
}

TRC_EXPORT int close(int fd)
{
	if (trc_cap_is_captured(fd))
		trc_cap_closed(fd);
	if (trc_vdev_is_virtual(fd))
		return trc_vdev_close(fd);
	return trc_vdev_real()->close(fd);
}

TRC_EXPORT int dup(int fd)
{
	int nfd = trc_vdev_real()->dup(fd);

	if (nfd >= 0 && trc_vdev_is_virtual(fd))
		trc_vdev_duped(fd, nfd);
	if (nfd >= 0 && trc_cap_is_captured(fd))
		trc_cap_duped(fd, nfd);
	return nfd;
}

TRC_EXPORT int dup2(int oldfd, int newfd)
{
	int was = oldfd != newfd && trc_vdev_is_virtual(newfd);
	int cwas = oldfd != newfd && trc_cap_is_captured(newfd);
	int nfd = trc_vdev_real()->dup2(oldfd, newfd);

	if (nfd >= 0 && oldfd != newfd) {
		if (was)
			trc_vdev_closed(newfd);
		if (cwas)
			trc_cap_closed(newfd);
		if (trc_vdev_is_virtual(oldfd))
			trc_vdev_duped(oldfd, nfd);
		if (trc_cap_is_captured(oldfd))
			trc_cap_duped(oldfd, nfd);
	}
	return nfd;
}

TRC_EXPORT int dup3(int oldfd, int newfd, int flags)
{
	int was = oldfd != newfd && trc_vdev_is_virtual(newfd);
	int cwas = oldfd != newfd && trc_cap_is_captured(newfd);
	int nfd = trc_vdev_real()->dup3(oldfd, newfd, flags);

	if (nfd >= 0) {
		if (was)
			trc_vdev_closed(newfd);
		if (cwas)
			trc_cap_closed(newfd);
		if (trc_vdev_is_virtual(oldfd))
			trc_vdev_duped(oldfd, nfd);
		if (trc_cap_is_captured(oldfd))
			trc_cap_duped(oldfd, nfd);
	}
	return nfd;
}

TRC_EXPORT int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	void *parg;
	int ret;

	/* Every fcntl argument is an int, a long or a pointer: pass one pointer-sized word. */
	va_start(ap, cmd);
	parg = va_arg(ap, void *);
	va_end(ap);
	ret = trc_vdev_real()->fcntl(fd, cmd, parg);
	if (ret >= 0 && (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC) && trc_vdev_is_virtual(fd))
		trc_vdev_duped(fd, ret);
	if (ret >= 0 && (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC) && trc_cap_is_captured(fd))
		trc_cap_duped(fd, ret);
	return ret;
}

TRC_EXPORT int ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	void *arg;
	int rc;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (trc_cap_is_captured(fd))
		rc = trc_cap_ioctl(fd, req, arg);
	else if (!trc_vdev_is_virtual(fd))
		return trc_vdev_real()->ioctl(fd, req, arg);
	else
		rc = trc_vdev_ioctl(fd, req, arg);
	if (rc < 0) {
		errno = -rc;
		return -1;
	}
	return rc;
}

TRC_EXPORT void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	if (!(flags & MAP_ANONYMOUS) && fd >= 0 && trc_cap_is_captured(fd))
		return trc_cap_mmap(addr, len, prot, flags, fd, off);
	if (!(flags & MAP_ANONYMOUS) && fd >= 0 && trc_vdev_is_virtual(fd))
		return trc_vdev_mmap(addr, len, prot, flags, fd, off);
	return trc_vdev_real()->mmap(addr, len, prot, flags, fd, off);
}

TRC_EXPORT void *mmap64(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	if (!(flags & MAP_ANONYMOUS) && fd >= 0 && trc_cap_is_captured(fd))
		return trc_cap_mmap(addr, len, prot, flags, fd, off);
	if (!(flags & MAP_ANONYMOUS) && fd >= 0 && trc_vdev_is_virtual(fd))
		return trc_vdev_mmap(addr, len, prot, flags, fd, off);
	return trc_vdev_real()->mmap64(addr, len, prot, flags, fd, off);
}

TRC_EXPORT int munmap(void *addr, size_t len)
{
	int rc = trc_vdev_real()->munmap(addr, len);

	if (rc == 0) {
		trc_vdev_munmapped(addr, len);
		trc_cap_munmapped(addr, len);
	}
	return rc;
}

/*
 * libc's syscall(): the calls above made by number go through their wrappers here; every
 * other number goes to libc's. Six arguments are read, as every syscall() implementation
 * does (the ABI passes unused ones as garbage, never faults on them). The result is the
 * libc convention, -1 with errno, which is also what syscall() returns.
 */
TRC_EXPORT long syscall(long nr, ...)
{
	static long (*real_syscall)(long, ...);
	long (*next)(long, ...) = __atomic_load_n(&real_syscall, __ATOMIC_ACQUIRE);
	long a[6];
	va_list ap;
	int i;

	va_start(ap, nr);
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	switch (nr) {
	case SYS_ioctl:
		return ioctl((int)a[0], (unsigned long)a[1], (void *)a[2]);
#ifdef SYS_open
	case SYS_open:
		return open((const char *)a[0], (int)a[1], (mode_t)a[2]);
#endif
	case SYS_openat:
		return openat((int)a[0], (const char *)a[1], (int)a[2], (mode_t)a[3]);
	case SYS_close:
		return close((int)a[0]);
	case SYS_dup:
		return dup((int)a[0]);
#ifdef SYS_dup2
	case SYS_dup2:
		return dup2((int)a[0], (int)a[1]);
#endif
	case SYS_dup3:
		return dup3((int)a[0], (int)a[1], (int)a[2]);
	case SYS_fcntl:
		return fcntl((int)a[0], (int)a[1], a[2]);
	case SYS_mmap:
		return (long)mmap((void *)a[0], (size_t)a[1], (int)a[2], (int)a[3], (int)a[4],
				  (off_t)a[5]);
	case SYS_munmap:
		return munmap((void *)a[0], (size_t)a[1]);
	default:
		break;
	}
	if (!next) {
		*(void **)&next = dlsym(RTLD_NEXT, "syscall");
		if (!next) {
			errno = ENOSYS;
			return -1;
		}
		__atomic_store_n(&real_syscall, next, __ATOMIC_RELEASE);
	}
	return next(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

/* Whether @path may be a virtual device's sysfs file (the rest goes straight to libc). */
TRC_NO_ASAN static int maybe_sysfs(const char *path)
{
	static const char pre[] = "/sys/class/";
	size_t i;

	for (i = 0; i < sizeof(pre) - 1; i++)
		if (path[i] != pre[i])
			return 0;
	return 1;
}

/* fopen of a virtual sysfs attribute (glibc's fopen opens without going through open()). */
static int try_vsysfs_fopen(const char *path, const char *mode, FILE **ret)
{
	int fd, flags = O_RDONLY, err;

	if (!path || !mode)
		return 0;
	if (mode[0] != 'r' || strchr(mode, '+'))
		flags = O_RDWR; /* refused by trc_vsysfs_open for attributes */
	if (strchr(mode, 'e'))
		flags |= O_CLOEXEC;
	if (!trc_vsysfs_open(path, flags, &fd))
		return 0;
	*ret = NULL;
	if (fd < 0)
		return 1;
	*ret = fdopen(fd, mode);
	if (!*ret) {
		err = errno;
		trc_vdev_real()->close(fd);
		errno = err;
	}
	return 1;
}

TRC_EXPORT TRC_NO_ASAN FILE *fopen(const char *path, const char *mode)
{
	FILE *f;

	if (path && maybe_sysfs(path) && trc_cap_vsysfs() && try_vsysfs_fopen(path, mode, &f))
		return f;
	return trc_vdev_real()->fopen(path, mode);
}

TRC_EXPORT TRC_NO_ASAN FILE *fopen64(const char *path, const char *mode)
{
	FILE *f;

	if (path && maybe_sysfs(path) && trc_cap_vsysfs() && try_vsysfs_fopen(path, mode, &f))
		return f;
	return trc_vdev_real()->fopen64(path, mode);
}

TRC_EXPORT TRC_NO_ASAN int stat(const char *path, struct stat *st)
{
	int ret;

	if (maybe_sysfs(path) && trc_cap_vsysfs() && trc_vsysfs_stat(path, st, &ret))
		return ret;
	return trc_vdev_real()->stat(path, st);
}

TRC_EXPORT TRC_NO_ASAN int lstat(const char *path, struct stat *st)
{
	int ret;

	if (maybe_sysfs(path) && trc_cap_vsysfs() && trc_vsysfs_stat(path, st, &ret))
		return ret;
	return trc_vdev_real()->lstat(path, st);
}

/* On LP64 glibc targets struct stat64 is struct stat: the same functions serve both. */
_Static_assert(sizeof(struct stat64) == sizeof(struct stat), "struct stat64 differs");

TRC_EXPORT TRC_NO_ASAN int stat64(const char *path, struct stat64 *st)
{
	return stat(path, (struct stat *)st);
}

TRC_EXPORT TRC_NO_ASAN int lstat64(const char *path, struct stat64 *st)
{
	return lstat(path, (struct stat *)st);
}

TRC_EXPORT TRC_NO_ASAN int fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	int ret;

	/* only absolute paths name sysfs whatever @dirfd is (AT_EMPTY_PATH has none) */
	if (maybe_sysfs(path) && trc_cap_vsysfs() && trc_vsysfs_stat(path, st, &ret))
		return ret;
	return trc_vdev_real()->fstatat(dirfd, path, st, flags);
}

TRC_EXPORT TRC_NO_ASAN int fstatat64(int dirfd, const char *path, struct stat64 *st, int flags)
{
	return fstatat(dirfd, path, (struct stat *)st, flags);
}

TRC_EXPORT TRC_NO_ASAN int statx(int dirfd, const char *path, int flags, unsigned int mask,
				 struct statx *stx)
{
	struct stat st;
	int ret;

	if (!maybe_sysfs(path) || !trc_cap_vsysfs() || !trc_vsysfs_stat(path, &st, &ret))
		return trc_vdev_real()->statx(dirfd, path, flags, mask, stx);
	if (ret)
		return ret;
	memset(stx, 0, sizeof(*stx));
	stx->stx_mask = STATX_TYPE | STATX_MODE | STATX_NLINK | STATX_SIZE | STATX_BLOCKS;
	stx->stx_blksize = (uint32_t)st.st_blksize;
	stx->stx_nlink = (uint32_t)st.st_nlink;
	stx->stx_mode = (uint16_t)st.st_mode;
	stx->stx_size = (uint64_t)st.st_size;
	return 0;
}

TRC_EXPORT TRC_NO_ASAN int access(const char *path, int mode)
{
	struct stat st;
	int ret;

	if (!maybe_sysfs(path) || !trc_cap_vsysfs() || !trc_vsysfs_stat(path, &st, &ret))
		return trc_vdev_real()->access(path, mode);
	if (ret)
		return ret;
	if (((mode & R_OK) && !(st.st_mode & S_IRUSR)) ||
	    ((mode & W_OK) && !(st.st_mode & S_IWUSR)) || ((mode & X_OK) && !S_ISDIR(st.st_mode))) {
		errno = EACCES;
		return -1;
	}
	return 0;
}

/*
 * The exec family: the new image runs no exit handler of this one, so the trace of this
 * image is closed first (vdev.c; the new image records its own, trace.N.h5 under
 * `hlsim vdev`). glibc's exec functions call execve internally, not through this library,
 * so each is defined here. If the exec fails the program goes on, unrecorded from there.
 */
static void exec_failed(int closed)
{
	int e = errno;

	if (closed)
		fprintf(stderr, "libhlsim_preload: exec failed (%s) after this image's trace was "
				"closed for it: what the program does next is not recorded\n",
			strerror(e));
	errno = e;
}

typedef int (*exec_fn)(const char *, char *const[], char *const[]);

static int exec_next(const char *name, const char *path, char *const argv[], char *const envp[])
{
	exec_fn next;
	int closed, rc;

	*(void **)&next = dlsym(RTLD_NEXT, name);
	if (!next) {
		errno = ENOSYS;
		return -1;
	}
	closed = trc_vdev_before_exec();
	rc = next(path, argv, envp);
	exec_failed(closed);
	return rc;
}

TRC_EXPORT int execve(const char *path, char *const argv[], char *const envp[])
{
	return exec_next("execve", path, argv, envp);
}

TRC_EXPORT int execvpe(const char *file, char *const argv[], char *const envp[])
{
	return exec_next("execvpe", file, argv, envp);
}

TRC_EXPORT int execv(const char *path, char *const argv[])
{
	return exec_next("execve", path, argv, environ);
}

TRC_EXPORT int execvp(const char *file, char *const argv[])
{
	return exec_next("execvpe", file, argv, environ);
}

TRC_EXPORT int fexecve(int fd, char *const argv[], char *const envp[])
{
	int (*next)(int, char *const[], char *const[]);
	int closed, rc;

	*(void **)&next = dlsym(RTLD_NEXT, "fexecve");
	if (!next) {
		errno = ENOSYS;
		return -1;
	}
	closed = trc_vdev_before_exec();
	rc = next(fd, argv, envp);
	exec_failed(closed);
	return rc;
}

/* The list forms: their arguments into an array (no malloc: exec may follow a fork). */
#define EXECL_MAX_ARGS 4096

static int execl_common(const char *name, const char *path, const char *arg0, va_list ap,
			int with_env)
{
	char *argv[EXECL_MAX_ARGS + 1];
	char *const *envp = environ;
	int n = 0;

	argv[n++] = (char *)arg0;
	while (arg0 && n <= EXECL_MAX_ARGS) {
		argv[n] = va_arg(ap, char *);
		if (!argv[n])
			break;
		n++;
	}
	if (n > EXECL_MAX_ARGS) {
		errno = E2BIG;
		return -1;
	}
	argv[n] = NULL;
	if (with_env)
		envp = va_arg(ap, char *const *);
	return exec_next(name, path, argv, envp);
}

TRC_EXPORT int execl(const char *path, const char *arg, ...)
{
	va_list ap;
	int rc;

	va_start(ap, arg);
	rc = execl_common("execve", path, arg, ap, 0);
	va_end(ap);
	return rc;
}

TRC_EXPORT int execlp(const char *file, const char *arg, ...)
{
	va_list ap;
	int rc;

	va_start(ap, arg);
	rc = execl_common("execvpe", file, arg, ap, 0);
	va_end(ap);
	return rc;
}

TRC_EXPORT int execle(const char *path, const char *arg, ...)
{
	va_list ap;
	int rc;

	va_start(ap, arg);
	rc = execl_common("execve", path, arg, ap, 1);
	va_end(ap);
	return rc;
}

/* At unload (after exit handlers): close the trace if the atexit handler did not run. */
__attribute__((destructor)) static void preload_fini(void)
{
	trc_cap_finish();
	trc_vdev_finish();
}
