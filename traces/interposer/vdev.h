/*
 * traces/interposer/vdev.h - the pieces of libhlsim_preload.so shared between the symbol
 * layer (preload.c: open, close, dup, fcntl, ioctl, mmap, munmap over glibc) and the
 * virtual Gaudi device (vdev.c: the habanalabs driver's answers, and the trace it records).
 *
 * Nothing here is exported from the library: the interposed libc symbols are the only
 * default-visibility symbols (besides the hlsim libraries linked in).
 */
#ifndef HLSIM_TRC_VDEV_H
#define HLSIM_TRC_VDEV_H

#include <stddef.h>
#include <sys/types.h>

/**
 * struct trc_vdev_real - the real libc functions, found with dlsym(RTLD_NEXT).
 * Every pointer is non-NULL once trc_vdev_real() has returned.
 */
struct trc_vdev_real {
	int (*open)(const char *path, int flags, ...);
	int (*open64)(const char *path, int flags, ...);
	int (*openat)(int dirfd, const char *path, int flags, ...);
	int (*openat64)(int dirfd, const char *path, int flags, ...);
	int (*close)(int fd);
	int (*dup)(int fd);
	int (*dup2)(int oldfd, int newfd);
	int (*dup3)(int oldfd, int newfd, int flags);
	int (*fcntl)(int fd, int cmd, ...);
	int (*ioctl)(int fd, unsigned long req, ...);
	void *(*mmap)(void *addr, size_t len, int prot, int flags, int fd, off_t off);
	void *(*mmap64)(void *addr, size_t len, int prot, int flags, int fd, off_t off);
	int (*munmap)(void *addr, size_t len);
};

/** trc_vdev_real - the real functions (resolved on first use; never NULL members). */
const struct trc_vdev_real *trc_vdev_real(void);

/**
 * enum trc_vdev_node_kind - which device node a path names.
 * @TRC_VDEV_NODE_NONE: not a Habana node: pass the call through.
 */
enum trc_vdev_node_kind {
	TRC_VDEV_NODE_NONE = 0,
	TRC_VDEV_NODE_MISC, /* /dev/hl<N>: 'H' ioctls (kernel <= 6.2) */
	TRC_VDEV_NODE_MISC_CONTROL, /* /dev/hl_controlD<N> */
	TRC_VDEV_NODE_ACCEL, /* /dev/accel/accel<N>: DRM ioctls (kernel >= 6.3) */
	TRC_VDEV_NODE_ACCEL_CONTROL, /* /dev/accel/accel_controlD<N> */
};

/**
 * trc_vdev_match_path - the node kind @path names (exact absolute path, decimal minor of
 * at most 3 digits without leading zeros), with the minor in *@minor.
 */
enum trc_vdev_node_kind trc_vdev_match_path(const char *path, unsigned int *minor);

/**
 * trc_vdev_open - open a virtual device node: a real file descriptor (a memfd that also
 * holds the file's CB memory), or -errno (ENOENT for a minor that does not exist,
 * EBUSY for a second compute open, ENODEV if the device cannot be set up).
 */
int trc_vdev_open(enum trc_vdev_node_kind kind, unsigned int minor, int flags);

/** trc_vdev_is_virtual - whether @fd is (an alias of) a virtual device file. */
int trc_vdev_is_virtual(int fd);

/** trc_vdev_close - close(@fd) of a virtual file: the real close, then drop it (atomically). */
int trc_vdev_close(int fd);

/** trc_vdev_closed - @fd was closed: drop its reference to the device file. */
void trc_vdev_closed(int fd);

/** trc_vdev_duped - @newfd is now an alias of @oldfd (dup, dup2, dup3, F_DUPFD*). */
void trc_vdev_duped(int oldfd, int newfd);

/**
 * trc_vdev_ioctl - the driver's answer to ioctl(@fd, @req, @arg) on a virtual file:
 * 0 or -errno.
 */
int trc_vdev_ioctl(int fd, unsigned long req, void *arg);

/**
 * trc_vdev_mmap - mmap of a virtual file (a CB handle as offset): the mapping, or
 * MAP_FAILED with errno set.
 */
void *trc_vdev_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);

/** trc_vdev_munmapped - [@addr, @addr+@len) was unmapped: forget CB mappings in it. */
void trc_vdev_munmapped(void *addr, size_t len);

/** trc_vdev_finish - write what is pending and close the trace (at exit). Idempotent. */
void trc_vdev_finish(void);

#endif /* HLSIM_TRC_VDEV_H */
