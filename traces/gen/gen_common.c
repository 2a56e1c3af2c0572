/*
 * traces/gen/gen_common.c - the helpers the synthetic trace generators share (see
 * gen_common.h): packets encoded through the ASIC's hook into a growing command
 * buffer, the sync set-up of the SynapseAI_Core pattern (GAUDI-FACTS.md §3.4, §6),
 * lookups in the ASIC's tables and the records every synthetic trace carries.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "traces/gen/gen_common.h"

/* Room reserved for one packet besides a WREG_BULK's values: more than any encoding. */
#define PACKET_ROOM_BYTES 64u
#define CB_FIRST_CAP_BYTES 4096u
/* The CB handle of the download job; the generators number their other CBs above it. */
#define DOWNLOAD_CB_HANDLE 0x1000000000000000ull
/* Registers per WREG_BULK that trc_gen_wreg_block() writes at the most. */
#define BULK_MAX_REGS 1024u

hlsim_err_t trc_gen_ctx_init(struct trc_gen_ctx *x, const char *asic, const char *who)
{
	hlsim_err_t rc;

	memset(x, 0, sizeof(*x));
	x->who = who;
	rc = mdl_asic_by_name(asic, &x->f);
	if (rc)
		return rc;
	x->p = x->f->props;
	return HLSIM_OK;
}

void trc_gen_cb_free(struct trc_gen_cb *cb)
{
	free(cb->b);
	memset(cb, 0, sizeof(*cb));
}

/* Make room for @need more bytes in @cb, doubling its capacity. */
static hlsim_err_t cb_room(const struct trc_gen_ctx *x, struct trc_gen_cb *cb, size_t need)
{
	size_t cap = cb->cap ? cb->cap : CB_FIRST_CAP_BYTES;
	uint8_t *nb;

	if (cb->len + need <= cb->cap)
		return HLSIM_OK;
	while (cap < cb->len + need)
		cap *= 2;
	nb = realloc(cb->b, cap);
	if (!nb)
		return hlsim_error(HLSIM_E_NOMEM, "%s: command buffer of %zu bytes", x->who, cap);
	cb->b = nb;
	cb->cap = cap;
	return HLSIM_OK;
}

hlsim_err_t trc_gen_emit(const struct trc_gen_ctx *x, struct trc_gen_cb *cb,
			 const struct hlsim_cmd *cmd)
{
	size_t room = PACKET_ROOM_BYTES, n;
	hlsim_err_t rc;

	if (cmd->kind == HLSIM_CMD_WREG && cmd->u.wreg.values)
		room += 4 * (size_t)cmd->u.wreg.count;
	rc = cb_room(x, cb, room);
	if (rc)
		return rc;
	n = x->f->encode(cmd, cb->b + cb->len, cb->cap - cb->len);
	if (!n)
		return hlsim_error_prefix(HLSIM_E_INVAL, "%s: encoding a packet: ", x->who);
	cb->len += n;
	cb->packets++;
	return HLSIM_OK;
}

hlsim_err_t trc_gen_wreg32(const struct trc_gen_ctx *x, struct trc_gen_cb *cb, uint32_t off,
			   uint32_t value, int eb, int mb)
{
	struct hlsim_cmd c = { .kind = HLSIM_CMD_WREG, .rb = 1, .eb = (uint8_t)eb,
			       .mb = (uint8_t)mb };

	c.u.wreg.reg_offset = off;
	c.u.wreg.count = 1;
	c.u.wreg.value = value;
	return trc_gen_emit(x, cb, &c);
}

hlsim_err_t trc_gen_wreg_block(const struct trc_gen_ctx *x, struct trc_gen_cb *cb, uint32_t off,
			       const uint32_t *v, uint32_t count)
{
	struct hlsim_cmd c = { .kind = HLSIM_CMD_WREG, .rb = 1 };
	uint8_t bytes[4 * BULK_MAX_REGS];
	uint32_t n, i;
	hlsim_err_t rc = HLSIM_OK;

	if (count && off % 8) {
		rc = trc_gen_wreg32(x, cb, off, v[0], 0, 0);
		off += 4;
		v++;
		count--;
	}
	while (!rc && count >= 2) {
		n = count / 2 * 2; /* registers, in pairs */
		if (n > BULK_MAX_REGS)
			n = BULK_MAX_REGS;
		for (i = 0; i < n; i++) {
			bytes[4 * i] = (uint8_t)v[i];
			bytes[4 * i + 1] = (uint8_t)(v[i] >> 8);
			bytes[4 * i + 2] = (uint8_t)(v[i] >> 16);
			bytes[4 * i + 3] = (uint8_t)(v[i] >> 24);
		}
		c.u.wreg.reg_offset = off;
		c.u.wreg.count = n;
		c.u.wreg.values = bytes;
		rc = trc_gen_emit(x, cb, &c);
		off += 4 * n;
		v += n;
		count -= n;
	}
	if (!rc && count)
		rc = trc_gen_wreg32(x, cb, off, v[0], 0, 0);
	return rc;
}

hlsim_err_t trc_gen_msg(const struct trc_gen_ctx *x, struct trc_gen_cb *cb, uint32_t qman,
			int base, uint64_t addr, uint32_t value, int eb)
{
	struct hlsim_cmd c = { .kind = HLSIM_CMD_MSG, .rb = 1, .eb = (uint8_t)eb };
	uint64_t b;
	int i;

	c.u.msg.value = value;
	c.u.msg.addr = addr;
	for (i = 0; i < 4; i++) {
		if (base != TRC_GEN_MSG_ANY_BASE && i != base)
			continue;
		b = x->f->msg_base_addr(qman, (uint8_t)i);
		if (b && addr >= b && addr - b <= 0xFFFF) {
			c.u.msg.addr = addr - b;
			c.u.msg.base = (uint8_t)i;
			c.u.msg.is_short = 1;
			break;
		}
	}
	if (base != TRC_GEN_MSG_ANY_BASE && !c.u.msg.is_short)
		return hlsim_error(HLSIM_E_INVAL,
				   "%s: 0x%" PRIx64 " is not reachable by MSG_SHORT base %d of %s",
				   x->who, addr, base, x->f->qman_name(qman));
	return trc_gen_emit(x, cb, &c);
}

hlsim_err_t trc_gen_lin_dma(const struct trc_gen_ctx *x, struct trc_gen_cb *cb, uint64_t src,
			    uint64_t dst, uint64_t size_bytes, int wr_comp)
{
	struct hlsim_cmd c = { .kind = HLSIM_CMD_DMA, .rb = 1 };

	c.u.dma.src_addr = src;
	c.u.dma.dst_addr = dst;
	c.u.dma.size_bytes = size_bytes;
	c.u.dma.flags = wr_comp ? HLSIM_DMA_WR_COMP : 0;
	return trc_gen_emit(x, cb, &c);
}

hlsim_err_t trc_gen_fence0(const struct trc_gen_ctx *x, struct trc_gen_cb *cb)
{
	struct hlsim_cmd c = { .kind = HLSIM_CMD_FENCE, .rb = 1 };

	c.u.fence.id = 0;
	c.u.fence.target = 1;
	c.u.fence.dec = 1;
	return trc_gen_emit(x, cb, &c);
}

hlsim_err_t trc_gen_cb_call(const struct trc_gen_ctx *x, struct trc_gen_cb *cb, uint64_t addr,
			    uint32_t size_bytes)
{
	struct hlsim_cmd c = { .kind = HLSIM_CMD_CB_CALL, .rb = 1 };

	c.u.cb_call.addr = addr;
	c.u.cb_call.size_bytes = size_bytes;
	return trc_gen_emit(x, cb, &c);
}

hlsim_err_t trc_gen_set_wr_comp(const struct trc_gen_ctx *x, struct trc_gen_cb *cb, uint32_t sob)
{
	uint64_t a = x->f->sob_addr(x->sm_block, sob);
	hlsim_err_t rc;

	rc = trc_gen_wreg32(x, cb, x->p->dma_wr_comp_addr_lo, (uint32_t)a, 0, 0);
	if (!rc)
		rc = trc_gen_wreg32(x, cb, x->p->dma_wr_comp_addr_hi, (uint32_t)(a >> 32), 0, 0);
	if (!rc)
		rc = trc_gen_wreg32(x, cb, x->p->dma_wr_comp_wdata, x->f->sob_value_encode(1, 1), 0,
				    0);
	return rc;
}

hlsim_err_t trc_gen_arm_monitor(const struct trc_gen_ctx *x, struct trc_gen_cb *cb, uint32_t qman,
				int base, uint32_t mon, uint32_t sob, uint32_t target, uint8_t cp)
{
	uint8_t blk = x->sm_block;
	uint64_t fence = x->f->fence_addr(qman, cp, 0);
	struct mdl_mon_arm arm = {
		.group = sob / x->p->mon_max_sobs,
		.mask = 0xFFu & ~(1u << (sob % x->p->mon_max_sobs)),
		.mode_eq = 0,
		.value = target,
	};
	hlsim_err_t rc;

	rc = trc_gen_msg(x, cb, qman, base, x->f->mon_addr(blk, mon, MDL_TARGET_MON_PAY_ADDRL),
			 (uint32_t)fence, 0);
	if (!rc)
		rc = trc_gen_msg(x, cb, qman, base,
				 x->f->mon_addr(blk, mon, MDL_TARGET_MON_PAY_ADDRH),
				 (uint32_t)(fence >> 32), 0);
	if (!rc)
		rc = trc_gen_msg(x, cb, qman, base,
				 x->f->mon_addr(blk, mon, MDL_TARGET_MON_PAY_DATA), 1, 0);
	if (!rc)
		rc = trc_gen_msg(x, cb, qman, base, x->f->mon_addr(blk, mon, MDL_TARGET_MON_ARM),
				 x->f->mon_arm_encode(&arm), 0);
	return rc;
}

uint32_t trc_gen_queue_id(const struct trc_gen_ctx *x, uint32_t engine_class, uint32_t engine,
			  uint32_t stream)
{
	uint32_t q;

	for (q = 0; q < x->p->num_queues; q++) {
		const struct mdl_queue_info *qi = x->f->queue_info(q);

		if (qi && qi->kind != MDL_QUEUE_NA && qi->engine_class == engine_class &&
		    qi->engine_index == engine && qi->stream == stream)
			return q;
	}
	return UINT32_MAX;
}

uint32_t trc_gen_sm_block_by_name(const struct trc_gen_ctx *x, const char *name)
{
	uint32_t b;

	for (b = 0; b < x->p->sm_blocks && b < 8; b++)
		if (x->p->sm_block_names[b] && !strcmp(x->p->sm_block_names[b], name))
			return b;
	return UINT32_MAX;
}

void trc_gen_fill_identity(const struct trc_gen_ctx *x, struct hlsim_trace_device *d)
{
	memset(d, 0, sizeof(*d));
	snprintf(d->asic, sizeof(d->asic), "%s", x->p->asic_name);
	snprintf(d->card_name, sizeof(d->card_name), "%s", x->p->card_name);
	snprintf(d->cpucp_version, sizeof(d->cpucp_version), "synthetic (hlsim %s)", x->who);
	d->sram_base_address = x->p->sram_base;
	d->sram_size = (uint32_t)x->p->sram_size_bytes;
	d->dram_base_address = x->p->dram_base;
	d->dram_size = x->p->dram_size_bytes;
	d->dram_page_size = 2u << 20;
	d->device_id = x->p->pci_device_id;
	d->dram_enabled = 1;
}

hlsim_err_t trc_gen_add_image(hlsim_trace_writer_t *w, uint64_t addr, const struct trc_gen_cb *cb,
			      uint64_t *blob_out)
{
	struct hlsim_trace_mem m;
	hlsim_err_t rc;

	rc = hlsim_trace_add_blob(w, 0, cb->b, cb->len, blob_out);
	if (rc)
		return rc;
	m = (struct hlsim_trace_mem){ addr, *blob_out, cb->len, 1 };
	return hlsim_trace_add_mem(w, 0, &m);
}

hlsim_err_t trc_gen_add_job(hlsim_trace_writer_t *w, const struct trc_gen_cb *cb,
			    uint64_t cb_handle, uint32_t queue_id, struct hlsim_trace_job *job)
{
	uint64_t blob;
	hlsim_err_t rc;

	rc = hlsim_trace_add_blob(w, 0, cb->b, cb->len, &blob);
	if (rc)
		return rc;
	*job = (struct hlsim_trace_job){ .cb_handle = cb_handle,
					 .blob_id = blob,
					 .queue_id = queue_id,
					 .cb_size = (uint32_t)cb->len,
					 .phase = HLSIM_PHASE_EXECUTE };
	return HLSIM_OK;
}

hlsim_err_t trc_gen_add_host_map(hlsim_trace_writer_t *w, uint64_t device_va, uint64_t host_va,
				 uint64_t size_bytes)
{
	struct hlsim_trace_host_map hm = { .device_va = device_va,
					   .host_va = host_va,
					   .size = size_bytes,
					   .map_ns = 0,
					   .unmap_ns = INT64_MAX };

	return hlsim_trace_add_host_map(w, 0, &hm);
}

hlsim_err_t trc_gen_add_download_cs(const struct trc_gen_ctx *x, hlsim_trace_writer_t *w,
				    struct trc_gen_cb *cb, uint64_t host_addr, uint64_t dev_addr,
				    uint64_t size_bytes, uint32_t queue_id, int64_t return_ns)
{
	struct hlsim_trace_cs cs = { .seq = 1, .submit_ns = 0, .return_ns = return_ns };
	struct hlsim_trace_job job;
	hlsim_err_t rc;

	if (queue_id == UINT32_MAX)
		return hlsim_error(HLSIM_E_UNSUPPORTED, "%s: %s has no queue for a job", x->who,
				   x->p->asic_name);
	cb->len = 0;
	rc = trc_gen_lin_dma(x, cb, host_addr, dev_addr, size_bytes, 0);
	if (!rc)
		rc = trc_gen_add_job(w, cb, DOWNLOAD_CB_HANDLE, queue_id, &job);
	if (!rc)
		rc = hlsim_trace_add_cs(w, 0, &cs, &job, 1);
	return rc;
}

uint64_t trc_gen_align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) / a * a;
}

void trc_gen_cmdline(int argc, char **argv, char *buf, size_t cap)
{
	size_t used = 0;
	int i;

	if (!cap)
		return;
	buf[0] = '\0';
	for (i = 0; i < argc && used < cap; i++)
		used += (size_t)snprintf(buf + used, cap - used, "%s%s", i ? " " : "hlsim gen ",
					 argv[i]);
}

/* {==== device-aware and multi-device additions ==== */

hlsim_err_t trc_gen_add_job_dev(hlsim_trace_writer_t *w, uint32_t dev, const struct trc_gen_cb *cb,
				uint64_t cb_handle, uint32_t queue_id, struct hlsim_trace_job *job)
{
	uint64_t blob;
	hlsim_err_t rc;

	rc = hlsim_trace_add_blob(w, dev, cb->b, cb->len, &blob);
	if (rc)
		return rc;
	*job = (struct hlsim_trace_job){ .cb_handle = cb_handle,
					 .blob_id = blob,
					 .queue_id = queue_id,
					 .cb_size = (uint32_t)cb->len,
					 .phase = HLSIM_PHASE_EXECUTE };
	return HLSIM_OK;
}

hlsim_err_t trc_gen_arm_monitor_group(const struct trc_gen_ctx *x, struct trc_gen_cb *cb,
				      uint32_t qman, int base, uint32_t mon, uint32_t group,
				      uint32_t watch, uint32_t target, uint8_t cp)
{
	uint8_t blk = x->sm_block;
	uint64_t fence = x->f->fence_addr(qman, cp, 0);
	uint32_t all = x->p->mon_max_sobs >= 32 ? UINT32_MAX : (1u << x->p->mon_max_sobs) - 1;
	struct mdl_mon_arm arm = { .group = group, .mask = all & ~watch, .value = target };
	hlsim_err_t rc;

	if (!watch || (watch & ~all))
		return hlsim_error(HLSIM_E_INVAL,
				   "%s: monitor %u: SOB mask 0x%x: expected 1..0x%x (the %u SOBs "
				   "of a group)",
				   x->who, mon, watch, all, x->p->mon_max_sobs);
	rc = trc_gen_msg(x, cb, qman, base, x->f->mon_addr(blk, mon, MDL_TARGET_MON_PAY_ADDRL),
			 (uint32_t)fence, 0);
	if (!rc)
		rc = trc_gen_msg(x, cb, qman, base,
				 x->f->mon_addr(blk, mon, MDL_TARGET_MON_PAY_ADDRH),
				 (uint32_t)(fence >> 32), 0);
	if (!rc)
		rc = trc_gen_msg(x, cb, qman, base,
				 x->f->mon_addr(blk, mon, MDL_TARGET_MON_PAY_DATA), 1, 0);
	if (!rc)
		rc = trc_gen_msg(x, cb, qman, base, x->f->mon_addr(blk, mon, MDL_TARGET_MON_ARM),
				 x->f->mon_arm_encode(&arm), 0);
	return rc;
}

hlsim_err_t trc_gen_fence(const struct trc_gen_ctx *x, struct trc_gen_cb *cb, uint8_t id,
			  uint8_t target, uint8_t dec)
{
	struct hlsim_cmd c = { .kind = HLSIM_CMD_FENCE, .rb = 1 };

	c.u.fence.id = id;
	c.u.fence.target = target;
	c.u.fence.dec = dec;
	return trc_gen_emit(x, cb, &c);
}

hlsim_err_t trc_gen_nic_write(const struct trc_gen_ctx *x, struct trc_gen_cb *cb,
			      uint32_t dst_device, uint64_t src, uint64_t dst, uint64_t size_bytes,
			      uint64_t rmsg_addr, uint32_t rmsg_value, uint64_t lmsg_addr,
			      uint32_t lmsg_value)
{
	struct hlsim_cmd c = { .kind = HLSIM_CMD_NIC };

	c.u.nic.op = HLSIM_NIC_OP_WRITE;
	c.u.nic.dst_device = dst_device;
	c.u.nic.src_addr = src;
	c.u.nic.dst_addr = dst;
	c.u.nic.size_bytes = size_bytes;
	if (rmsg_addr) {
		c.u.nic.flags |= HLSIM_NIC_RMSG;
		c.u.nic.rmsg_addr = rmsg_addr;
		c.u.nic.rmsg_value = rmsg_value;
	}
	if (lmsg_addr) {
		c.u.nic.flags |= HLSIM_NIC_LMSG;
		c.u.nic.lmsg_addr = lmsg_addr;
		c.u.nic.lmsg_value = lmsg_value;
	}
	return trc_gen_emit(x, cb, &c);
}

/* ====} */

int trc_gen_parse_count(const char *s, uint64_t *out)
{
	uint64_t v = 0, mul = 1;
	size_t i;

	if (!s || !*s)
		return -1;
	for (i = 0; s[i] >= '0' && s[i] <= '9'; i++) {
		if (v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (!i)
		return -1;
	if (s[i] == 'K' || s[i] == 'M' || s[i] == 'G') {
		mul = s[i] == 'K' ? 1ull << 10 : s[i] == 'M' ? 1ull << 20 : 1ull << 30;
		i++;
		if (s[i] == 'i' && s[i + 1] == 'B') /* KiB, MiB, GiB */
			i += 2;
	}
	if (s[i] || v > UINT64_MAX / mul)
		return -1;
	*out = v * mul;
	return 0;
}

int trc_gen_parse_count32(const char *s, uint32_t *out)
{
	uint64_t v;

	if (trc_gen_parse_count(s, &v) || v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}
