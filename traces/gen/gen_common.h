/**
 * traces/gen/gen_common.h - what the synthetic trace generators (gen_dma.c,
 * gen_elementwise.c, gen_gemm.c) share: a command buffer that packets are encoded
 * into through the ASIC's encode hook, the packet helpers the SynapseAI_Core pattern
 * needs (WREG_32 / WREG_BULK, MSG_SHORT, LIN_DMA, FENCE, CP_DMA), the DMA completion
 * and monitor set-up built from them, queue and sync-manager lookups, and the records
 * every synthetic trace carries (device identity, program images, jobs, host maps, the
 * program-download CS, the command line stored as generator string).
 */
#ifndef HLSIM_TRC_GEN_COMMON_H
#define HLSIM_TRC_GEN_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "hlsim/error.h"
#include "hlsim/trace.h"
#include "models/common/asic.h"

/**
 * struct trc_gen_ctx - the ASIC a generator writes for.
 * @f: its function table (encode hook, address map, queue table).
 * @p: its properties (@f->props).
 * @who: the generator, "gen dma", "gen gemm", ...: the prefix of error details and
 *       part of the device's cpucp_version string.
 * @sm_block: the sync-manager block holding the SOBs and monitors the trace uses.
 */
struct trc_gen_ctx {
	const struct mdl_asic_funcs *f;
	const struct mdl_asic_props *p;
	const char *who;
	uint8_t sm_block;
};

/**
 * struct trc_gen_cb - a command buffer that grows as packets are added.
 * @b: the packet bytes (NULL until the first packet); @len: bytes used;
 * @cap: bytes allocated; @packets: packets added since the caller last cleared it.
 * Zero-initialise it; release it with trc_gen_cb_free().
 */
struct trc_gen_cb {
	uint8_t *b;
	size_t len, cap;
	uint64_t packets;
};

/** TRC_GEN_MSG_ANY_BASE - trc_gen_msg(): the first CP_MSG_BASE that reaches, else MSG_LONG. */
enum { TRC_GEN_MSG_ANY_BASE = -1 };

/**
 * trc_gen_ctx_init - look up ASIC @asic for generator @who (kept, not copied) and fill
 * @x; @x->sm_block is left 0 for the caller to choose. The ASIC lookup's error if the
 * name is unknown.
 */
hlsim_err_t trc_gen_ctx_init(struct trc_gen_ctx *x, const char *asic, const char *who);

/** trc_gen_cb_free - release the bytes of @cb and zero it. */
void trc_gen_cb_free(struct trc_gen_cb *cb);

/**
 * trc_gen_emit - append @cmd to @cb as packet bytes of @x's ASIC and count it.
 * HLSIM_E_NOMEM if the buffer cannot grow, HLSIM_E_INVAL (the encoder's detail, prefixed
 * "WHO: encoding a packet: ") if the ASIC has no encoding for @cmd.
 */
hlsim_err_t trc_gen_emit(const struct trc_gen_ctx *x, struct trc_gen_cb *cb,
			 const struct hlsim_cmd *cmd);

/** trc_gen_wreg32 - WREG_32 of @value to register @off of the engine block, RB=1. */
hlsim_err_t trc_gen_wreg32(const struct trc_gen_ctx *x, struct trc_gen_cb *cb, uint32_t off,
			   uint32_t value, int eb, int mb);

/**
 * trc_gen_wreg_block - write the @count registers @v from register offset @off (@v[0]
 * goes to @off): a WREG_32 for an unaligned first register, WREG_BULK over the 8-byte
 * aligned pairs (at most 1024 registers per packet), a WREG_32 for an unpaired last one
 * (SynapseAI_Core AddTclSeq).
 */
hlsim_err_t trc_gen_wreg_block(const struct trc_gen_ctx *x, struct trc_gen_cb *cb, uint32_t off,
			       const uint32_t *v, uint32_t count);

/**
 * trc_gen_msg - a 32-bit message of @value to absolute @addr from a CP of @qman.
 * @base 0..3: a MSG_SHORT relative to CP_MSG_BASE<@base>, HLSIM_E_INVAL if that base
 * does not reach @addr. @base TRC_GEN_MSG_ANY_BASE: a MSG_SHORT through the first base
 * that reaches @addr, else a MSG_LONG.
 */
hlsim_err_t trc_gen_msg(const struct trc_gen_ctx *x, struct trc_gen_cb *cb, uint32_t qman,
			int base, uint64_t addr, uint32_t value, int eb);

/**
 * trc_gen_lin_dma - LIN_DMA of @size_bytes from @src to @dst, RB=1; with @wr_comp the
 * DMA core's completion write fires when it ends.
 */
hlsim_err_t trc_gen_lin_dma(const struct trc_gen_ctx *x, struct trc_gen_cb *cb, uint64_t src,
			    uint64_t dst, uint64_t size_bytes, int wr_comp);

/** trc_gen_fence0 - FENCE on fence 0: wait until it reaches 1, then decrement it by 1. */
hlsim_err_t trc_gen_fence0(const struct trc_gen_ctx *x, struct trc_gen_cb *cb);

/** trc_gen_cb_call - CP_DMA handing the lower CP the program of @size_bytes at @addr. */
hlsim_err_t trc_gen_cb_call(const struct trc_gen_ctx *x, struct trc_gen_cb *cb, uint64_t addr,
			    uint32_t size_bytes);

/**
 * trc_gen_set_wr_comp - three WREG_32 pointing the DMA core's completion write (the
 * registers of the QMAN's own block) at "SOB @sob += 1" of block @x->sm_block.
 */
hlsim_err_t trc_gen_set_wr_comp(const struct trc_gen_ctx *x, struct trc_gen_cb *cb, uint32_t sob);

/**
 * trc_gen_arm_monitor - four messages from @qman through @base (see trc_gen_msg())
 * arming monitor @mon of block @x->sm_block on "SOB @sob >= @target" with a payload
 * of 1 to fence 0 of CP @cp of @qman.
 */
hlsim_err_t trc_gen_arm_monitor(const struct trc_gen_ctx *x, struct trc_gen_cb *cb, uint32_t qman,
				int base, uint32_t mon, uint32_t sob, uint32_t target, uint8_t cp);

/**
 * trc_gen_queue_id - the queue of stream @stream of engine @engine of class
 * @engine_class (enum mdl_engine_class), or UINT32_MAX if the ASIC has none.
 */
uint32_t trc_gen_queue_id(const struct trc_gen_ctx *x, uint32_t engine_class, uint32_t engine,
			  uint32_t stream);

/**
 * trc_gen_sm_block_by_name - the index of the sync-manager block named @name (among
 * the first 8), or UINT32_MAX if the ASIC has none by that name.
 */
uint32_t trc_gen_sm_block_by_name(const struct trc_gen_ctx *x, const char *name);

/**
 * trc_gen_fill_identity - the device record every synthetic trace shares: zeroes @d,
 * then ASIC and card names, cpucp_version "synthetic (hlsim WHO)", SRAM and DRAM base
 * and size, 2 MiB DRAM pages, DRAM enabled, the PCI device id. The caller adds what is
 * its own (enabled engines, clock rates).
 */
void trc_gen_fill_identity(const struct trc_gen_ctx *x, struct hlsim_trace_device *d);

/**
 * trc_gen_add_image - record the bytes of @cb as a blob of trace @w and as the
 * contents of device memory at @addr from the first CS on; the blob id into @blob_out.
 */
hlsim_err_t trc_gen_add_image(hlsim_trace_writer_t *w, uint64_t addr, const struct trc_gen_cb *cb,
			      uint64_t *blob_out);

/**
 * trc_gen_add_job - record the bytes of @cb as a blob of trace @w and fill @job: that
 * blob as the CB of handle @cb_handle on queue @queue_id, in the execute phase.
 */
hlsim_err_t trc_gen_add_job(hlsim_trace_writer_t *w, const struct trc_gen_cb *cb,
			    uint64_t cb_handle, uint32_t queue_id, struct hlsim_trace_job *job);

/**
 * trc_gen_add_host_map - record that the program mapped @size_bytes of its memory at
 * host address @host_va for the device at @device_va (HL_MEM_OP_MAP with
 * HL_MEM_USERPTR) at time 0, and never unmapped it.
 */
hlsim_err_t trc_gen_add_host_map(hlsim_trace_writer_t *w, uint64_t device_va, uint64_t host_va,
				 uint64_t size_bytes);

/**
 * trc_gen_add_download_cs - the CS that brings the programs into the device, seq 1,
 * submitted at 0 ns and returning at @return_ns: one job on queue @queue_id whose CB,
 * built in @cb (its bytes cleared first), is a LIN_DMA of @size_bytes from host
 * address @host_addr to device address @dev_addr. @cb->packets counts that packet.
 * HLSIM_E_UNSUPPORTED if @queue_id is UINT32_MAX (the ASIC has no such queue).
 */
hlsim_err_t trc_gen_add_download_cs(const struct trc_gen_ctx *x, hlsim_trace_writer_t *w,
				    struct trc_gen_cb *cb, uint64_t host_addr, uint64_t dev_addr,
				    uint64_t size_bytes, uint32_t queue_id, int64_t return_ns);

/**
 * trc_gen_parse_count - a decimal number with an optional binary suffix K, M or G (2^10,
 * 2^20, 2^30; also written KiB, MiB, GiB), as the generators' size options take it, into
 * *@out. Returns -1 (and
 * leaves *@out alone) for NULL, an empty string, any other character, or an overflow.
 */
int trc_gen_parse_count(const char *s, uint64_t *out);
/** trc_gen_parse_count32 - trc_gen_parse_count() of a value that must fit in 32 bits. */
int trc_gen_parse_count32(const char *s, uint32_t *out);

/** trc_gen_align_up - @v rounded up to a multiple of @a (@a >= 1). */
uint64_t trc_gen_align_up(uint64_t v, uint64_t a);

/**
 * trc_gen_cmdline - the generator string of a trace: "hlsim gen " and @argv[0..@argc)
 * joined by spaces into @buf of @cap bytes (cut short if it does not fit).
 */
void trc_gen_cmdline(int argc, char **argv, char *buf, size_t cap);

/* ===== device-aware and multi-device additions (gen_coll.c; additive) ===== */

/**
 * trc_gen_add_job_dev - trc_gen_add_job() for device @dev of a multi-device trace: the
 * bytes of @cb become a blob of device @dev and @job the execute-phase job of handle
 * @cb_handle on queue @queue_id running it.
 */
hlsim_err_t trc_gen_add_job_dev(hlsim_trace_writer_t *w, uint32_t dev, const struct trc_gen_cb *cb,
				uint64_t cb_handle, uint32_t queue_id, struct hlsim_trace_job *job);

/**
 * trc_gen_arm_monitor_group - like trc_gen_arm_monitor(), on several SOBs of one group:
 * monitor @mon of block @x->sm_block fires when every SOB group*mon_max_sobs + i with
 * bit i of @watch set is >= @target, writing 1 to fence 0 of CP @cp of @qman.
 * HLSIM_E_INVAL if @watch is 0 or names SOBs beyond the group.
 */
hlsim_err_t trc_gen_arm_monitor_group(const struct trc_gen_ctx *x, struct trc_gen_cb *cb,
				      uint32_t qman, int base, uint32_t mon, uint32_t group,
				      uint32_t watch, uint32_t target, uint8_t cp);

/**
 * trc_gen_fence - FENCE on fence @id: wait until it reaches @target, then decrement it
 * by @dec (the packet holds @dec in 4 bits: HLSIM_E_INVAL from the encoder above 15).
 */
hlsim_err_t trc_gen_fence(const struct trc_gen_ctx *x, struct trc_gen_cb *cb, uint8_t id,
			  uint8_t target, uint8_t dec);

/**
 * trc_gen_nic_write - hlsim's NIC record (HLSIM_CMD_NIC, traces/FORMAT.md "NIC work"): an
 * RDMA write of @size_bytes from local @src to @dst on device @dst_device by the NIC
 * engine behind the queue whose CB this is; on completion the receiver's sync manager
 * gets @rmsg_value at @rmsg_addr and the sender's @lmsg_value at @lmsg_addr (each only
 * if its address is not 0).
 */
hlsim_err_t trc_gen_nic_write(const struct trc_gen_ctx *x, struct trc_gen_cb *cb,
			      uint32_t dst_device, uint64_t src, uint64_t dst, uint64_t size_bytes,
			      uint64_t rmsg_addr, uint32_t rmsg_value, uint64_t lmsg_addr,
			      uint32_t lmsg_value);

#endif /* HLSIM_TRC_GEN_COMMON_H */
