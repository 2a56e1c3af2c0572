/*
 * traces/interposer/vdev.h - the pieces of libhlsim_preload.so shared between the symbol
 * layer (preload.c: open, close, dup, fcntl, ioctl, mmap, munmap over glibc) and the
 * virtual Gaudi / Gaudi2 device (vdev.c: the habanalabs driver's answers, and the trace it
 * records).
 *
 * Nothing here is exported from the library: the interposed libc symbols are the only
 * default-visibility symbols (besides the hlsim libraries linked in).
 */
#ifndef HLSIM_TRC_VDEV_H
#define HLSIM_TRC_VDEV_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
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
	FILE *(*fopen)(const char *path, const char *mode);
	FILE *(*fopen64)(const char *path, const char *mode);
	int (*stat)(const char *path, struct stat *st);
	int (*lstat)(const char *path, struct stat *st);
	int (*access)(const char *path, int mode);
	int (*fstatat)(int dirfd, const char *path, struct stat *st, int flags);
	int (*statx)(int dirfd, const char *path, int flags, unsigned int mask, struct statx *stx);
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

/**
 * trc_vdev_uread - copy @n bytes at the program's address @src into @dst, failing with
 * -EFAULT on memory the program does not have (as copy_from_user). 0 or -EFAULT.
 */
int trc_vdev_uread(void *dst, uint64_t src, size_t n);

/** trc_vdev_uwrite - copy @n bytes to the program's address @dst (as copy_to_user). */
int trc_vdev_uwrite(uint64_t dst, const void *src, size_t n);

/** trc_vdev_num_devices - how many devices (minors 0..n-1) the virtual machine has. */
unsigned int trc_vdev_num_devices(void);

/**
 * struct trc_vdev_facts - what the sysfs attributes of a device show.
 * @device_type: "GAUDI" or "GAUDI2" (the driver's name of the ASIC type).
 * @pci_addr: "dddd:bb:dd.f".
 * @cpucp_version: as HW_IP_INFO's cpucp_version.
 * @clock_mhz: the simulated clock (config asic.clock).
 * @max_power_mw: the max_power attribute (the driver's max_power_default).
 */
struct trc_vdev_facts {
	char device_type[16];
	char pci_addr[16];
	char cpucp_version[128];
	uint32_t clock_mhz;
	uint32_t max_power_mw;
};

/** trc_vdev_get_facts - set the device up if needed and fill @out: 0, -ENOENT or -ENODEV. */
int trc_vdev_get_facts(unsigned int minor, struct trc_vdev_facts *out);

/**
 * trc_vsysfs_open - if @path is a sysfs file or directory of a virtual device, open it
 * (read-only attributes: a memfd holding the text) and return 1 with *@ret the fd, or -1
 * with errno set; 0 if @path is not the virtual device's.
 */
int trc_vsysfs_open(const char *path, int flags, int *ret);

/** trc_vsysfs_stat - as trc_vsysfs_open, for stat: 1 with *@ret 0 (or -1 + errno), or 0. */
int trc_vsysfs_stat(const char *path, struct stat *st, int *ret);

/** trc_vdev_finish - write what is pending and close the trace (at exit). Idempotent. */
void trc_vdev_finish(void);
/**
 * trc_vdev_before_exec - the process replaces its image (exec runs no exit handlers):
 * close its trace as at exit. Nothing in a process forked from the one that opened it
 * (its lock may be held by a thread that did not survive the fork). Returns 1 if a trace
 * was closed, else 0.
 */
int trc_vdev_before_exec(void);

#endif /* HLSIM_TRC_VDEV_H */
