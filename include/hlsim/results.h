/**
 * hlsim/results.h - results format v1 (HDF5): what a run produced.
 *
 * Written by the simulator, read by the profiler (which never looks at the models),
 * so the same report code can later serve captured runs. Layout in traces/FORMAT.md.
 * All times are integer picoseconds of simulated time.
 */
#ifndef HLSIM_RESULTS_H
#define HLSIM_RESULTS_H

#include <stddef.h>
#include <stdint.h>

#include "hlsim/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HLSIM_RESULTS_FORMAT_NAME "hlsim-results"
#define HLSIM_RESULTS_VERSION_MAJOR 1
#define HLSIM_RESULTS_VERSION_MINOR 2 /* 1: NIC rows, several devices; 2: compute_ps */

typedef struct hlsim_results_writer hlsim_results_writer_t;
typedef struct hlsim_results hlsim_results_t;

/** enum hlsim_unit_kind - what a timeline row belongs to. */
enum hlsim_unit_kind {
	HLSIM_UNIT_QUEUE = 0, /* one stream's upper CP */
	HLSIM_UNIT_LOWER_CP = 1, /* a QMAN's lower CP */
	HLSIM_UNIT_ENGINE = 2, /* DMA core, TPC, MME, NIC */
	HLSIM_UNIT_HOST = 3, /* the host thread submitting CSs */
};

/** enum hlsim_rec_kind - what a timeline row records. */
enum hlsim_rec_kind {
	HLSIM_REC_JOB = 0, /* a job ran on a queue: fetch to last packet */
	HLSIM_REC_CB = 1, /* a CB called by CP_DMA ran on a lower CP */
	HLSIM_REC_FENCE_WAIT = 2, /* a CP was blocked on a FENCE */
	HLSIM_REC_DMA = 3, /* a DMA transfer (copy or memset) occupied an engine */
	HLSIM_REC_BARRIER_WAIT = 4, /* a CP waited for its engine to drain (EB) */
	HLSIM_REC_CS = 5, /* a CS from submission to completion (host unit) */
	HLSIM_REC_WAIT_TIME = 6, /* a WAIT packet's timed wait */
	HLSIM_REC_LAUNCH = 7, /* an engine ran a launch: a TPC kernel, an MME GEMM */
	HLSIM_REC_NIC = 8, /* a NIC engine sent an RDMA write out of its port */
	HLSIM_REC_KIND_COUNT_
};

/** struct hlsim_unit - one row of the units table. */
struct hlsim_unit {
	uint32_t id; /* index in the table; timeline rows refer to it */
	uint32_t device;
	uint8_t kind; /* enum hlsim_unit_kind */
	char name[32]; /* "DMA_2_0", "DMA2.lower_cp", "DMA2", "host" */
	char engine_class[8]; /* "dma", "tpc", "mme", "nic", "host" */
};

/**
 * struct hlsim_rec - one timeline row.
 * @aux: kind-specific: DMA: source memory kind << 8 | destination memory kind
 *       (enum mdl_mem_kind); FENCE_WAIT: fence id; LAUNCH: engine class
 *       (enum mdl_engine_class); NIC: the destination device; otherwise 0.
 */
struct hlsim_rec {
	uint64_t start_ps, end_ps;
	uint64_t bytes; /* bytes moved (DMA, LAUNCH) or CB bytes (JOB, CB) */
	uint64_t cs_seq;
	uint64_t flops; /* LAUNCH: arithmetic operations (a multiply-add counts 2); else 0 */
	uint32_t unit; /* struct hlsim_unit.id */
	uint32_t job; /* job index within the CS */
	uint32_t pkt_offset; /* byte offset of the packet in its CB */
	uint16_t kind; /* enum hlsim_rec_kind */
	uint16_t aux;
};

/** struct hlsim_counters - per-unit totals. */
struct hlsim_counters {
	uint32_t unit;
	uint64_t busy_ps; /* time doing work (engine: transferring; CP: executing a CB) */
	uint64_t fence_wait_ps; /* time blocked on FENCE */
	uint64_t barrier_wait_ps; /* time blocked on an engine barrier */
	uint64_t bytes; /* bytes moved by this engine */
	uint64_t packets; /* packets executed by this CP */
	uint64_t jobs; /* jobs or CBs or transfers */
};

/**
 * struct hlsim_release - what released one FENCE wait (results 1.1, table /releases).
 * @wait_row: timeline row of the FENCE_WAIT record.
 * @signal_ps: when the message that completed the fence was written.
 * @producer_row: timeline row of the record whose completion wrote it (a DMA, LAUNCH or
 *                NIC record), or UINT64_MAX when a CP's own message packet (or WAIT) did.
 * @producer_unit: the unit that wrote it (an engine, or a CP); may be on another device.
 * @sob: the SOB written (block << 16 | index) whose monitor wrote the fence, or
 *       UINT32_MAX when the message went to the fence directly.
 */
struct hlsim_release {
	uint64_t wait_row;
	uint64_t signal_ps;
	uint64_t producer_row;
	uint32_t producer_unit;
	uint32_t sob;
};

/**
 * struct hlsim_launch_traffic - the bytes of one LAUNCH per memory (results 1.1, table
 * /launch_traffic), as the engine's memory ports moved them (HBM accesses shorter than
 * hbm.min_access_bytes count as whole ones).
 */
struct hlsim_launch_traffic {
	uint64_t row; /* timeline row of the LAUNCH record */
	uint64_t hbm_bytes, sram_bytes, host_read_bytes, host_write_bytes;
	uint64_t compute_ps; /* the engine's compute alone, at its clock; the rest was memory */
};

/**
 * struct hlsim_starved - an engine starved by its command processors (results 1.2, table
 * /starved, whole run): the time it had nothing to do while a CP of its QMAN was fetching
 * a CB or executing packets (counted once however many CPs were at it).
 */
struct hlsim_starved {
	uint32_t unit; /* an engine unit */
	uint64_t cb_fetch_ps; /* while a CP fetched a CB (PCIe for host CBs, or HBM/SRAM) */
	uint64_t cp_packets_ps; /* while a CP executed packets */
};

/** struct hlsim_run_info - one row describing the run. */
struct hlsim_run_info {
	char hlsim_version[32];
	char trace_path[512];
	char config_name[128];
	uint64_t simulated_time_ps; /* from the first submission to the last completion */
	double wall_s; /* wall-clock time of the simulation loop */
	uint64_t packets; /* packets executed */
	uint64_t activities; /* SimGrid activities (transfers, sleeps, synchronisations) */
	uint64_t cs_count, job_count;
	uint64_t peak_rss_bytes;
};

/* ===== writer ===== */
HLSIM_API hlsim_err_t hlsim_results_create(const char *path, hlsim_results_writer_t **out);
/** hlsim_results_add_unit - units must be added before any row referring to them. */
HLSIM_API hlsim_err_t hlsim_results_add_unit(hlsim_results_writer_t *w, const struct hlsim_unit *u);
/** hlsim_results_append - buffered; written in batches of whole chunks. */
HLSIM_API hlsim_err_t hlsim_results_append(hlsim_results_writer_t *w, const struct hlsim_rec *r,
					   size_t n);
/** hlsim_results_rows - timeline rows appended so far: the row the next append gets. */
HLSIM_API uint64_t hlsim_results_rows(const hlsim_results_writer_t *w);
/** hlsim_results_add_release - buffered, like the timeline; @r->wait_row must exist. */
HLSIM_API hlsim_err_t hlsim_results_add_release(hlsim_results_writer_t *w,
						const struct hlsim_release *r);
/** hlsim_results_add_launch_traffic - buffered; @t->row must exist. */
HLSIM_API hlsim_err_t hlsim_results_add_launch_traffic(hlsim_results_writer_t *w,
						       const struct hlsim_launch_traffic *t);
/** hlsim_results_set_starved - the /starved rows (each engine unit at most once). */
HLSIM_API hlsim_err_t hlsim_results_set_starved(hlsim_results_writer_t *w,
						const struct hlsim_starved *s, size_t n);
HLSIM_API hlsim_err_t hlsim_results_set_counters(hlsim_results_writer_t *w,
						 const struct hlsim_counters *c, size_t n);
/** hlsim_results_set_config - the resolved configuration as INI text. */
HLSIM_API hlsim_err_t hlsim_results_set_config(hlsim_results_writer_t *w, const char *ini_text);
HLSIM_API hlsim_err_t hlsim_results_set_run_info(hlsim_results_writer_t *w,
						 const struct hlsim_run_info *info);
/** hlsim_results_writer_close - flush, close, free. NULL is a no-op. */
HLSIM_API hlsim_err_t hlsim_results_writer_close(hlsim_results_writer_t *w);

/* ===== reader ===== */
HLSIM_API hlsim_err_t hlsim_results_open(const char *path, hlsim_results_t **out);
HLSIM_API void hlsim_results_close(hlsim_results_t *r);
HLSIM_API const struct hlsim_run_info *hlsim_results_run_info(const hlsim_results_t *r);
HLSIM_API size_t hlsim_results_num_units(const hlsim_results_t *r);
HLSIM_API const struct hlsim_unit *hlsim_results_unit(const hlsim_results_t *r, size_t i);
/** hlsim_results_counters - counters of unit @i (same order as the units). */
HLSIM_API const struct hlsim_counters *hlsim_results_counters(const hlsim_results_t *r, size_t i);
/** hlsim_results_config - the resolved configuration text (owned by @r). */
HLSIM_API const char *hlsim_results_config(const hlsim_results_t *r);
HLSIM_API uint64_t hlsim_results_num_records(const hlsim_results_t *r);
/**
 * hlsim_results_read - copy up to @max rows starting at row @first into @out; *@n gets
 * the number copied (0 at the end). Streaming: memory does not grow with the run.
 */
HLSIM_API hlsim_err_t hlsim_results_read(hlsim_results_t *r, uint64_t first, struct hlsim_rec *out,
					 size_t max, size_t *n);

/**
 * hlsim_results_num_releases / hlsim_results_read_releases - the /releases rows (0 rows
 * in a 1.0 file), in the order the fences were released; streaming like the timeline.
 */
HLSIM_API uint64_t hlsim_results_num_releases(const hlsim_results_t *r);
HLSIM_API hlsim_err_t hlsim_results_read_releases(hlsim_results_t *r, uint64_t first,
						  struct hlsim_release *out, size_t max, size_t *n);
/** hlsim_results_starved - unit @unit's /starved row, or NULL (none, or a file before 1.2). */
HLSIM_API const struct hlsim_starved *hlsim_results_starved(const hlsim_results_t *r, size_t unit);
/** The /launch_traffic rows (0 in a 1.0 file), in launch-completion order. */
HLSIM_API uint64_t hlsim_results_num_launch_traffic(const hlsim_results_t *r);
HLSIM_API hlsim_err_t hlsim_results_read_launch_traffic(hlsim_results_t *r, uint64_t first,
							struct hlsim_launch_traffic *out,
							size_t max, size_t *n);

#ifdef __cplusplus
}
#endif
#endif /* HLSIM_RESULTS_H */
