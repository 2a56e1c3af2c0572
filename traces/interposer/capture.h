/*
 * traces/interposer/capture.h - capture mode of libhlsim_preload.so (`hlsim capture`):
 * device calls pass through to the driver below and are journalled (journal.h).
 *
 * Capture mode is on when HLSIM_CAPTURE_JOURNAL names the journal file. The driver below
 * is the real one (the next open/ioctl/mmap in the symbol chain, dlsym(RTLD_NEXT)), or,
 * with HLSIM_CAPTURE_BACKEND=vdev, the virtual device of vdev.c (for testing without
 * hardware). Internal to the library; nothing here is exported.
 */
#ifndef HLSIM_TRC_CAPTURE_H
#define HLSIM_TRC_CAPTURE_H

#include <stddef.h>
#include <sys/types.h>

#include "traces/interposer/vdev.h"

/** trc_cap_active - whether capture mode is on (HLSIM_CAPTURE_JOURNAL set, read once). */
int trc_cap_active(void);

/**
 * trc_cap_vsysfs - whether the virtual device's sysfs files are served: not in capture
 * mode over the real driver (its sysfs is the kernel's).
 */
int trc_cap_vsysfs(void);

/**
 * trc_cap_open - capture mode: open device node @path (@kind, @minor) through the driver
 * below, journal it and read the device's identity: the fd, or -errno.
 */
int trc_cap_open(enum trc_vdev_node_kind kind, unsigned int minor, const char *path, int flags,
		 mode_t mode);

/** trc_cap_is_captured - whether @fd is (an alias of) a captured device file. */
int trc_cap_is_captured(int fd);

/** trc_cap_closed - @fd (captured) is being closed: drop it (the caller closes it). */
void trc_cap_closed(int fd);

/** trc_cap_duped - @newfd is now an alias of the captured @oldfd. */
void trc_cap_duped(int oldfd, int newfd);

/** trc_cap_ioctl - ioctl on a captured fd: passed to the driver below and journalled. */
int trc_cap_ioctl(int fd, unsigned long req, void *arg);

/** trc_cap_mmap - mmap of a captured fd (CB handles are recorded): the mapping or MAP_FAILED. */
void *trc_cap_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);

/** trc_cap_munmapped - [@addr, @addr+@len) was unmapped: forget CB mappings in it. */
void trc_cap_munmapped(void *addr, size_t len);

/** trc_cap_finish - append the END record, sync and close the journal. Idempotent. */
void trc_cap_finish(void);

#endif /* HLSIM_TRC_CAPTURE_H */
