/*
 * traces/interposer/vsysfs.c - the sysfs files of the virtual device, for
 * libhlsim_preload.so (`hlsim vdev`).
 *
 * User-space libraries identify a habanalabs device through the attributes the driver
 * adds to its device (common/sysfs.c, hl_sysfs_init): with the misc driver (kernel
 * <= 6.2) on the class device, /sys/class/habanalabs/hl<N>/<attr>; with the accel driver
 * (>= 6.3) on the PCI device, reached as /sys/class/accel/accel<N>/device/<attr>. For the
 * minors the virtual device has, those paths are answered here, as text formatted the way
 * the driver's show functions format it, from the ASIC model's properties and the
 * configuration; every other name under those directories does not exist (ENOENT).
 * Opening an attribute gives a memfd holding the text (a snapshot, as a read of sysfs
 * is); stat reports what sysfs reports (a 4096-byte regular file, or a directory).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "traces/interposer/vdev.h"

enum vsysfs_attr {
	VA_ARMCP_KERNEL_VER,
	VA_ARMCP_VER,
	VA_CPLD_VER,
	VA_CPUCP_KERNEL_VER,
	VA_CPUCP_VER,
	VA_DEVICE_TYPE,
	VA_FUSE_VER,
	VA_HARD_RESET,
	VA_HARD_RESET_CNT,
	VA_MAX_POWER,
	VA_PCI_ADDR,
	VA_PREBOOT_BTL_VER,
	VA_STATUS,
	VA_THERMAL_VER,
	VA_UBOOT_VER,
	VA_FW_OS_VER,
	VA_CLK_MAX_FREQ_MHZ,
	VA_CLK_CUR_FREQ_MHZ,
	VA_VRM_VER,
};

/*
 * The 6.1 driver's attributes of a Gaudi or a Gaudi2 (hl_dev_attrs, and the clock and VRM
 * groups both add: gaudi_add_device_attr, gaudi2_add_device_attr).
 */
static const struct {
	const char *name;
	enum vsysfs_attr id;
	mode_t mode; /* DEVICE_ATTR_RO 0444, _RW 0644, _WO 0200 */
} attrs[] = {
	{ "armcp_kernel_ver", VA_ARMCP_KERNEL_VER, 0444 },
	{ "armcp_ver", VA_ARMCP_VER, 0444 },
	{ "cpld_ver", VA_CPLD_VER, 0444 },
	{ "cpucp_kernel_ver", VA_CPUCP_KERNEL_VER, 0444 },
	{ "cpucp_ver", VA_CPUCP_VER, 0444 },
	{ "device_type", VA_DEVICE_TYPE, 0444 },
	{ "fuse_ver", VA_FUSE_VER, 0444 },
	{ "hard_reset", VA_HARD_RESET, 0200 },
	{ "hard_reset_cnt", VA_HARD_RESET_CNT, 0444 },
	{ "max_power", VA_MAX_POWER, 0644 },
	{ "pci_addr", VA_PCI_ADDR, 0444 },
	{ "preboot_btl_ver", VA_PREBOOT_BTL_VER, 0444 },
	{ "status", VA_STATUS, 0444 },
	{ "thermal_ver", VA_THERMAL_VER, 0444 },
	{ "uboot_ver", VA_UBOOT_VER, 0444 },
	{ "fw_os_ver", VA_FW_OS_VER, 0444 },
	{ "clk_max_freq_mhz", VA_CLK_MAX_FREQ_MHZ, 0644 },
	{ "clk_cur_freq_mhz", VA_CLK_CUR_FREQ_MHZ, 0444 },
	{ "vrm_ver", VA_VRM_VER, 0444 },
};

/* A decimal minor of at most 3 digits without leading zeros at @s, ending at '/' or '\0'. */
static const char *parse_minor(const char *s, unsigned int *minor)
{
	unsigned int v = 0, n = 0;

	if (*s < '0' || *s > '9' || (s[0] == '0' && s[1] >= '0' && s[1] <= '9'))
		return NULL;
	for (; *s >= '0' && *s <= '9'; s++, n++)
		v = v * 10 + (unsigned int)(*s - '0');
	if (n > 3 || (*s && *s != '/'))
		return NULL;
	*minor = v;
	return s;
}

/*
 * Classify @path: 0 not ours; 1 a device directory; 2 an attribute (index in *@attr, or
 * -1 for a name the virtual device does not have). *@minor is the device.
 */
static int classify(const char *path, unsigned int *minor, int *attr)
{
	static const struct {
		const char *prefix, *sub; /* device directory: prefix<N>sub */
	} dirs[] = {
		{ "/sys/class/habanalabs/hl", "" },
		{ "/sys/class/accel/accel", "/device" },
	};
	const char *s;
	size_t i, k, n;

	if (!path || strncmp(path, "/sys/class/", 11))
		return 0;
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		n = strlen(dirs[i].prefix);
		if (strncmp(path, dirs[i].prefix, n))
			continue;
		s = parse_minor(path + n, minor);
		if (!s || *minor >= trc_vdev_num_devices())
			return 0;
		n = strlen(dirs[i].sub);
		if (strncmp(s, dirs[i].sub, n))
			return 0;
		s += n;
		if (!*s || !strcmp(s, "/"))
			return 1;
		if (*s != '/')
			return 0;
		s++;
		*attr = -1;
		for (k = 0; k < sizeof(attrs) / sizeof(attrs[0]); k++)
			if (!strcmp(s, attrs[k].name))
				*attr = (int)k;
		return 2;
	}
	return 0;
}

/* The text of attribute @a of device @minor, as the driver's show function writes it. */
static int attr_text(unsigned int minor, enum vsysfs_attr a, char *buf, size_t cap)
{
	struct trc_vdev_facts f;
	int rc = trc_vdev_get_facts(minor, &f);

	if (rc)
		return rc;
	switch (a) {
	case VA_DEVICE_TYPE:
		/* "GAUDI" / "GAUDI2" for ASIC_GAUDI / ASIC_GAUDI2 (the model's name in capitals) */
		return snprintf(buf, cap, "%s\n", f.device_type);
	case VA_PCI_ADDR:
		return snprintf(buf, cap, "%s\n", f.pci_addr);
	case VA_STATUS:
		return snprintf(buf, cap, "Operational\n"); /* never in reset, never disabled */
	case VA_ARMCP_VER:
	case VA_CPUCP_VER:
		return snprintf(buf, cap, "%s\n", f.cpucp_version);
	case VA_CLK_MAX_FREQ_MHZ:
	case VA_CLK_CUR_FREQ_MHZ:
		return snprintf(buf, cap, "%u\n", f.clock_mhz);
	case VA_MAX_POWER:
		return snprintf(buf, cap, "%u\n", f.max_power_mw);
	case VA_HARD_RESET_CNT:
		return snprintf(buf, cap, "0\n"); /* never reset */
	/*
	 * The rest come from the firmware's cpucp_info and boot versions, which a device
	 * without firmware leaves zeroed: the driver then prints empty strings and zeros.
	 */
	case VA_ARMCP_KERNEL_VER:
	case VA_CPUCP_KERNEL_VER:
	case VA_THERMAL_VER:
	case VA_FW_OS_VER:
		return 0; /* "%s" of an empty string */
	case VA_FUSE_VER:
	case VA_PREBOOT_BTL_VER:
	case VA_UBOOT_VER:
		return snprintf(buf, cap, "\n");
	case VA_CPLD_VER:
		return snprintf(buf, cap, "0x%08x\n", 0u);
	case VA_VRM_VER:
		return snprintf(buf, cap, "%#04x\n", 0u);
	case VA_HARD_RESET:
		return -EACCES; /* write-only */
	}
	return -ENOENT;
}

int trc_vsysfs_open(const char *path, int flags, int *ret)
{
	char text[256];
	unsigned int minor;
	int kind, attr = -1, n, fd, acc = flags & O_ACCMODE;

	kind = classify(path, &minor, &attr);
	if (!kind)
		return 0;
	*ret = -1;
	if (kind == 1) {
		/* directories are not listed by the virtual device */
		errno = (flags & O_DIRECTORY) ? ENOENT : EISDIR;
		return 1;
	}
	if (attr < 0) {
		errno = ENOENT;
		return 1;
	}
	if (flags & O_DIRECTORY) {
		errno = ENOTDIR;
		return 1;
	}
	if (acc != O_RDONLY) {
		/* writes (reset, power and clock limits) do not reach the simulated device */
		errno = EACCES;
		return 1;
	}
	n = attr_text(minor, attrs[attr].id, text, sizeof(text));
	if (n < 0) {
		errno = -n;
		return 1;
	}
	fd = memfd_create("hlsim-vdev-sysfs", (flags & O_CLOEXEC) ? MFD_CLOEXEC : 0);
	if (fd < 0)
		return 1;
	if ((n && write(fd, text, (size_t)n) != n) || lseek(fd, 0, SEEK_SET)) {
		n = errno;
		trc_vdev_real()->close(fd);
		errno = n;
		return 1;
	}
	*ret = fd;
	return 1;
}

int trc_vsysfs_stat(const char *path, struct stat *st, int *ret)
{
	unsigned int minor;
	int kind, attr = -1;

	kind = classify(path, &minor, &attr);
	if (!kind)
		return 0;
	if (kind == 2 && attr < 0) {
		errno = ENOENT;
		*ret = -1;
		return 1;
	}
	memset(st, 0, sizeof(*st));
	st->st_blksize = 4096;
	if (kind == 1) {
		st->st_mode = S_IFDIR | 0755;
		st->st_nlink = 2;
	} else {
		st->st_mode = S_IFREG | attrs[attr].mode;
		st->st_nlink = 1;
		st->st_size = 4096; /* sysfs reports a page for every attribute */
		st->st_blocks = 0;
	}
	*ret = 0;
	return 1;
}
