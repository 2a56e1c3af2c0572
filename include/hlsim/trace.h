/**
 * hlsim/trace.h - trace format v1 (HDF5): a batched writer and a streaming reader.
 *
 * The layout is documented in traces/FORMAT.md. Memory use of both the writer and
 * the reader is bounded by their buffers and caches, not by the trace length (the
 * writer's content-dedup index grows with the number of *distinct* CBs only).
 * Times are int64 nanoseconds of the host clock named in the device record.
 */
#ifndef HLSIM_TRACE_H
#define HLSIM_TRACE_H

#include <stddef.h>
#include <stdint.h>

#include "hlsim/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HLSIM_TRACE_FORMAT_NAME "hlsim-trace"
#define HLSIM_TRACE_VERSION_MAJOR 1 /* readers refuse other majors */
#define HLSIM_TRACE_VERSION_MINOR 0 /* readers accept any minor (new optional parts) */

typedef struct hlsim_trace hlsim_trace_t; /* reader */
typedef struct hlsim_trace_writer hlsim_trace_writer_t;

/**
 * struct hlsim_trace_device - identity of one device (HL_INFO_HW_IP_INFO and clocks).
 * Strings are NUL-terminated within their arrays.
 */
struct hlsim_trace_device {
	char asic[16]; /* "gaudi", "gaudi2": selects the decoder */
	char card_name[16]; /* hw_ip.card_name, "HL205" */
	char cpucp_version[128]; /* hw_ip.cpucp_version */
	uint64_t sram_base_address, dram_base_address, dram_size, dram_page_size;
	uint64_t device_mem_alloc_default_page_size, tpc_enabled_mask_ext;
	uint32_t sram_size, num_of_events, device_id, module_id, decoder_enabled_mask;
	uint32_t cpld_version, psoc_pci_pll_nr, psoc_pci_pll_nf, psoc_pci_pll_od;
	uint32_t psoc_pci_pll_div_factor, edma_enabled_mask;
	uint16_t first_available_interrupt_id, server_type, number_of_user_interrupts;
	uint8_t tpc_enabled_mask, dram_enabled, security_enabled, mme_master_slave_mode;
	uint32_t cur_clk_rate_mhz, max_clk_rate_mhz; /* HL_INFO_CLK_RATE */
	uint64_t time_sync_device_time, time_sync_host_time_ns; /* HL_INFO_TIME_SYNC */
	int64_t clock_monotonic_ns, clock_monotonic_raw_ns; /* both host clocks at capture start */
};

/** struct hlsim_trace_cs - one HL_IOCTL_CS call. */
struct hlsim_trace_cs {
	uint64_t seq; /* hl_cs_out.seq */
	uint32_t flags; /* hl_cs_in.cs_flags */
	uint32_t status; /* hl_cs_out.status */
	int64_t submit_ns; /* host time before the ioctl */
	int64_t return_ns; /* host time after it */
	uint64_t first_job; /* index of its first job in the jobs table (set by the writer) */
	uint32_t num_jobs; /* restore jobs first, then execute jobs */
	uint32_t timeout_s; /* hl_cs_in.timeout */
};

enum hlsim_trace_phase { HLSIM_PHASE_RESTORE = 0, HLSIM_PHASE_EXECUTE = 1 };
#define HLSIM_TRACE_NO_BLOB UINT64_MAX

/** struct hlsim_trace_job - one chunk of a CS. */
struct hlsim_trace_job {
	uint64_t cs_index; /* row of its CS (set by the writer) */
	uint64_t cb_handle; /* CB handle, or the CB's device address (USER_ALLOC_CB, internal queues) */
	uint64_t blob_id; /* the CB bytes as snapshotted, or HLSIM_TRACE_NO_BLOB */
	uint32_t queue_id; /* enum gaudi_queue_id / gaudi2_queue_id */
	uint32_t cb_size; /* valid bytes */
	uint32_t chunk_flags; /* hl_cs_chunk.cs_chunk_flags */
	uint8_t phase; /* enum hlsim_trace_phase */
};

/** struct hlsim_trace_mem - device-visible memory contents (CBs reached by CP_DMA etc). */
struct hlsim_trace_mem {
	uint64_t addr; /* device address of the first byte */
	uint64_t blob_id; /* the bytes */
	uint64_t size; /* = blob size */
	uint64_t from_cs; /* valid for CS rows >= from_cs */
};

/** struct hlsim_trace_host_map - one HL_MEM_OP_MAP with HL_MEM_USERPTR. */
struct hlsim_trace_host_map {
	uint64_t device_va, host_va, size;
	int64_t map_ns, unmap_ns; /* unmap_ns = INT64_MAX while mapped */
};

/** struct hlsim_trace_wait - one HL_IOCTL_WAIT_CS call. */
struct hlsim_trace_wait {
	uint64_t seq; /* the CS waited on (first of the array for MULTI_CS) */
	uint64_t timeout_us;
	int64_t enter_ns, exit_ns; /* host times around the ioctl */
	int64_t timestamp_ns; /* hl_wait_cs_out.timestamp_nsec (CLOCK_MONOTONIC) */
	uint32_t status, flags, out_flags, cs_completion_map;
	int32_t rc; /* ioctl return (0 or -errno) */
};

/** struct hlsim_trace_annotation - free-form key/value attached to a CS and queue. */
struct hlsim_trace_annotation {
	uint64_t cs_seq;
	uint32_t queue_id; /* UINT32_MAX: the whole CS */
	char key[32]; /* "kernel_name", "cost_hint", ... */
	char value[224];
};

/** struct hlsim_blob - bytes of one deduplicated blob, reference-counted by the reader. */
struct hlsim_blob {
	const uint8_t *bytes;
	size_t size;
	uint64_t id;
};

/* ===== writer ===== */

/**
 * hlsim_trace_create - create (truncate) @path. @generator is a free-form string
 * stored as an attribute ("hlsim gen dma --queues 4"). Ownership of *out goes to the
 * caller, who must call hlsim_trace_writer_close().
 */
HLSIM_API hlsim_err_t hlsim_trace_create(const char *path, const char *generator,
					 hlsim_trace_writer_t **out);
/** hlsim_trace_add_device - add a device; its index (0, 1, ...) is returned in @dev. */
HLSIM_API hlsim_err_t hlsim_trace_add_device(hlsim_trace_writer_t *w,
					     const struct hlsim_trace_device *info, uint32_t *dev);
/** hlsim_trace_add_blob - store bytes once per distinct content; returns its id. */
HLSIM_API hlsim_err_t hlsim_trace_add_blob(hlsim_trace_writer_t *w, uint32_t dev, const void *bytes,
					   size_t size, uint64_t *blob_id);
/**
 * hlsim_trace_add_cs - append a CS and its @num_jobs jobs (cs_index and first_job are
 * filled by the writer). Rows are buffered and written in batches.
 */
HLSIM_API hlsim_err_t hlsim_trace_add_cs(hlsim_trace_writer_t *w, uint32_t dev,
					 const struct hlsim_trace_cs *cs,
					 const struct hlsim_trace_job *jobs, uint32_t num_jobs);
HLSIM_API hlsim_err_t hlsim_trace_add_mem(hlsim_trace_writer_t *w, uint32_t dev,
					  const struct hlsim_trace_mem *m);
HLSIM_API hlsim_err_t hlsim_trace_add_host_map(hlsim_trace_writer_t *w, uint32_t dev,
					       const struct hlsim_trace_host_map *m);
HLSIM_API hlsim_err_t hlsim_trace_add_wait(hlsim_trace_writer_t *w, uint32_t dev,
					   const struct hlsim_trace_wait *wt);
HLSIM_API hlsim_err_t hlsim_trace_add_annotation(hlsim_trace_writer_t *w, uint32_t dev,
						 const struct hlsim_trace_annotation *a);
/** hlsim_trace_writer_close - flush and close; frees @w even on error. NULL is a no-op. */
HLSIM_API hlsim_err_t hlsim_trace_writer_close(hlsim_trace_writer_t *w);

/* ===== reader ===== */

/** struct hlsim_trace_counts - row counts of one device's tables. */
struct hlsim_trace_counts {
	uint64_t cs, jobs, blobs, blob_bytes, mem, host_maps, waits, annotations;
};

/**
 * hlsim_trace_open - open @path for reading; checks format name and major version
 * and every table's presence and type, failing with HLSIM_E_TRACE_FORMAT and a detail
 * naming the file and the object.
 */
HLSIM_API hlsim_err_t hlsim_trace_open(const char *path, hlsim_trace_t **out);
/** hlsim_trace_close - NULL is a no-op. Blobs still referenced are freed too. */
HLSIM_API void hlsim_trace_close(hlsim_trace_t *t);
HLSIM_API const char *hlsim_trace_path(const hlsim_trace_t *t);
HLSIM_API const char *hlsim_trace_generator(const hlsim_trace_t *t);
HLSIM_API uint32_t hlsim_trace_version_minor(const hlsim_trace_t *t);
HLSIM_API uint32_t hlsim_trace_num_devices(const hlsim_trace_t *t);
/** hlsim_trace_device - identity of device @dev (pointer owned by @t). */
HLSIM_API const struct hlsim_trace_device *hlsim_trace_device_info(const hlsim_trace_t *t,
								 uint32_t dev);
HLSIM_API hlsim_err_t hlsim_trace_counts(const hlsim_trace_t *t, uint32_t dev,
					 struct hlsim_trace_counts *out);
/**
 * hlsim_trace_read_cs / _job / _wait / _host_map / _annotation - row @index. Reads go
 * through a per-table window of a few thousand rows, so sequential access costs one
 * HDF5 read per window. An index out of range is HLSIM_E_INVAL.
 */
HLSIM_API hlsim_err_t hlsim_trace_read_cs(hlsim_trace_t *t, uint32_t dev, uint64_t index,
					  struct hlsim_trace_cs *out);
HLSIM_API hlsim_err_t hlsim_trace_read_job(hlsim_trace_t *t, uint32_t dev, uint64_t index,
					   struct hlsim_trace_job *out);
HLSIM_API hlsim_err_t hlsim_trace_read_wait(hlsim_trace_t *t, uint32_t dev, uint64_t index,
					    struct hlsim_trace_wait *out);
HLSIM_API hlsim_err_t hlsim_trace_read_host_map(hlsim_trace_t *t, uint32_t dev, uint64_t index,
						struct hlsim_trace_host_map *out);
HLSIM_API hlsim_err_t hlsim_trace_read_annotation(hlsim_trace_t *t, uint32_t dev, uint64_t index,
						  struct hlsim_trace_annotation *out);
/**
 * hlsim_trace_blob_get - the bytes of blob @blob_id, valid until the matching
 * hlsim_trace_blob_put(). Unreferenced blobs stay in a bounded cache (a training loop
 * resubmits the same CBs).
 */
HLSIM_API hlsim_err_t hlsim_trace_blob_get(hlsim_trace_t *t, uint32_t dev, uint64_t blob_id,
					   const struct hlsim_blob **out);
HLSIM_API void hlsim_trace_blob_put(hlsim_trace_t *t, const struct hlsim_blob *b);
/**
 * hlsim_trace_mem_find - the memory image holding [@addr, @addr+@size) that is valid
 * at CS row @cs_index (the latest such image wins). Returns HLSIM_E_INVAL (with a
 * detail naming the address) if none covers it. @offset is addr - image start.
 */
HLSIM_API hlsim_err_t hlsim_trace_mem_find(hlsim_trace_t *t, uint32_t dev, uint64_t addr,
					   uint64_t size, uint64_t cs_index,
					   struct hlsim_trace_mem *image, uint64_t *offset);

#ifdef __cplusplus
}
#endif
#endif /* HLSIM_TRACE_H */
