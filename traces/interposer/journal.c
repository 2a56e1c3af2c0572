/*
 * traces/interposer/journal.c - the capture journal: building records (for capture.c in
 * libhlsim_preload.so) and reading a journal back into trace v1 (`hlsim capture`,
 * `hlsim capture --finish`).
 *
 * A journal is a 32-byte header followed by records, each `u32 type, u32 length, payload,
 * u32 crc32` (README.md "The journal" gives every payload), possibly followed by zeros
 * (writers allocate the file ahead through a shared mapping). The reader keeps records up
 * to the first one that is cut short or fails its checksum, or a record header of zeros
 * (the end of the data if only zeros follow), and reports the bytes it dropped from there.
 * From the kept records it writes: one trace device per minor (its first DEVICE record),
 * every CS that succeeded with its jobs, CB snapshots and memory images,
 * every WAIT_CS, and the USERPTR host maps (from the MEMORY ioctls, closed at UNMAP, at
 * the last close of their file, or left open at the end).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include <misc/habanalabs.h>

#include "hlsim/trace.h"
#include "traces/interposer/journal.h"

#define JNL_PAGE_MASK 0xFFFull /* host pages of 4 KiB: maps are found by their page */
#define JNL_MAX_MINORS 64u /* device minors one journal may name: a bound of this reader */
#define JNL_DRM_COMMAND_BASE 0x40u
#define JNL_CHUNK_BYTES 64u /* struct hl_cs_chunk */
/* CSs whose chunks are not CBs (or that have none): journalled, not trace rows. */
#define JNL_CS_NO_CBS                                                                      \
	(HL_CS_FLAGS_SIGNAL | HL_CS_FLAGS_WAIT | HL_CS_FLAGS_COLLECTIVE_WAIT |             \
	 HL_CS_FLAGS_RESERVE_SIGNALS_ONLY | HL_CS_FLAGS_UNRESERVE_SIGNALS_ONLY |           \
	 HL_CS_FLAGS_ENGINE_CORE_COMMAND | 0x10000u)
/* WAIT_CS on interrupts: no CS is waited on; journalled, not trace rows. */
#define JNL_WAIT_NOT_CS                                                                    \
	(HL_WAIT_CS_FLAGS_INTERRUPT | HL_WAIT_CS_FLAGS_INTERRUPT_KERNEL_CQ |               \
	 HL_WAIT_CS_FLAGS_REGISTER_INTERRUPT)

_Static_assert(sizeof(struct hl_cs_chunk) == JNL_CHUNK_BYTES, "hl_cs_chunk is 64 bytes");

/* ===== CRC-32 and the record builder ===== */

/*
 * CRC-32C (Castagnoli, reflected 0x82F63B78): the x86-64 SSE4.2 crc32 instruction where
 * the CPU has it (8 bytes per instruction), else slicing-by-8 tables: crc_table[0] is the
 * byte-at-a-time table, crc_table[k] advances a byte through k more zero bytes, so eight
 * bytes are folded in per step. Both give the same values.
 */
#define JNL_CRC_POLY 0x82F63B78u

static uint32_t crc_table[8][256];
static int crc_ready; /* 0 not yet, 1 tables, 2 the instruction */

static void crc_init(void)
{
	uint32_t i, k, c;
	int hw = 0;

	for (i = 0; i < 256; i++) {
		c = i;
		for (k = 0; k < 8; k++)
			c = c & 1 ? JNL_CRC_POLY ^ (c >> 1) : c >> 1;
		crc_table[0][i] = c;
	}
	for (k = 1; k < 8; k++)
		for (i = 0; i < 256; i++)
			crc_table[k][i] = crc_table[k - 1][i] >> 8 ^
					  crc_table[0][crc_table[k - 1][i] & 0xFF];
#if defined(__x86_64__) && defined(__GNUC__)
	__builtin_cpu_init();
	hw = __builtin_cpu_supports("sse4.2");
#endif
	__atomic_store_n(&crc_ready, hw ? 2 : 1, __ATOMIC_RELEASE);
}

#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target("sse4.2"))) static uint32_t crc_hw(uint32_t crc, const uint8_t *b,
							  size_t n)
{
	uint64_t c = crc, v;

	for (; n >= 8; n -= 8, b += 8) {
		memcpy(&v, b, 8); /* little-endian: the bytes in order */
		c = __builtin_ia32_crc32di(c, v);
	}
	for (; n; n--, b++)
		c = __builtin_ia32_crc32qi((uint32_t)c, *b);
	return (uint32_t)c;
}
#endif

/* The tables' way, with the usual inversions before and after. */
static uint32_t crc_tables(uint32_t crc, const uint8_t *b, size_t n)
{
	uint32_t lo, hi;

	crc = ~crc;
	for (; n >= 8; n -= 8, b += 8) {
		lo = crc ^ ((uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
			    (uint32_t)b[3] << 24);
		hi = (uint32_t)b[4] | (uint32_t)b[5] << 8 | (uint32_t)b[6] << 16 |
		     (uint32_t)b[7] << 24;
		crc = crc_table[7][lo & 0xFF] ^ crc_table[6][lo >> 8 & 0xFF] ^
		      crc_table[5][lo >> 16 & 0xFF] ^ crc_table[4][lo >> 24] ^
		      crc_table[3][hi & 0xFF] ^ crc_table[2][hi >> 8 & 0xFF] ^
		      crc_table[1][hi >> 16 & 0xFF] ^ crc_table[0][hi >> 24];
	}
	for (; n; n--, b++)
		crc = crc_table[0][(crc ^ *b) & 0xFF] ^ crc >> 8;
	return ~crc;
}

static int crc_mode(void)
{
	int ready = __atomic_load_n(&crc_ready, __ATOMIC_ACQUIRE);

	if (ready)
		return ready;
	crc_init(); /* benign race: every thread computes the same tables */
	return __atomic_load_n(&crc_ready, __ATOMIC_ACQUIRE);
}

uint32_t trc_jnl_crc32(uint32_t crc, const void *p, size_t n)
{
#if defined(__x86_64__) && defined(__GNUC__)
	if (crc_mode() == 2)
		return ~crc_hw(~crc, p, n);
#else
	crc_mode();
#endif
	return crc_tables(crc, p, n);
}

uint32_t trc_jnl_crc32_tables(uint32_t crc, const void *p, size_t n)
{
	crc_mode();
	return crc_tables(crc, p, n);
}

static void le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void le64(uint8_t *p, uint64_t v)
{
	le32(p, (uint32_t)v);
	le32(p + 4, (uint32_t)(v >> 32));
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p)
{
	return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

void trc_jnl_header(uint8_t out[TRC_JNL_HEADER_BYTES])
{
	memcpy(out, TRC_JNL_MAGIC, 8);
	le32(out + 8, TRC_JNL_VERSION);
	le32(out + 12, trc_jnl_crc32(0, out, 12));
	le64(out + TRC_JNL_APPEND_AT, TRC_JNL_HEADER_BYTES);
	le64(out + TRC_JNL_APPEND_AT + 8, 0);
}

uint8_t *trc_jnl_reserve(struct trc_jnl_buf *b, size_t n)
{
	uint8_t *p;

	if (b->oom)
		return NULL;
	if (n > SIZE_MAX / 2 - b->len) {
		b->oom = 1;
		return NULL;
	}
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 256;

		while (cap < b->len + n)
			cap *= 2;
		p = realloc(b->p, cap);
		if (!p) {
			b->oom = 1;
			return NULL;
		}
		b->p = p;
		b->cap = cap;
	}
	p = b->p + b->len;
	b->len += n;
	return p;
}

void trc_jnl_begin(struct trc_jnl_buf *b, uint32_t type)
{
	uint8_t *p;

	b->len = 0;
	b->oom = 0;
	p = trc_jnl_reserve(b, TRC_JNL_REC_HEAD_BYTES);
	if (p) {
		le32(p, type);
		le32(p + 4, 0);
	}
}

void trc_jnl_put_u32(struct trc_jnl_buf *b, uint32_t v)
{
	uint8_t *p = trc_jnl_reserve(b, 4);

	if (p)
		le32(p, v);
}

void trc_jnl_put_u64(struct trc_jnl_buf *b, uint64_t v)
{
	uint8_t *p = trc_jnl_reserve(b, 8);

	if (p)
		le64(p, v);
}

void trc_jnl_put_bytes(struct trc_jnl_buf *b, const void *src, size_t n)
{
	uint8_t *p = trc_jnl_reserve(b, n);

	if (p && n)
		memcpy(p, src, n);
}

void trc_jnl_patch_u32(struct trc_jnl_buf *b, size_t off, uint32_t v)
{
	if (!b->oom && off + 4 <= b->len)
		le32(b->p + off, v);
}

void trc_jnl_patch_u64(struct trc_jnl_buf *b, size_t off, uint64_t v)
{
	if (!b->oom && off + 8 <= b->len)
		le64(b->p + off, v);
}

int trc_jnl_end(struct trc_jnl_buf *b)
{
	size_t payload;
	uint32_t crc;
	uint8_t *p;

	if (b->oom || b->len < TRC_JNL_REC_HEAD_BYTES)
		return -ENOMEM;
	payload = b->len - TRC_JNL_REC_HEAD_BYTES;
	if (payload > TRC_JNL_MAX_PAYLOAD_BYTES)
		return -EFBIG;
	le32(b->p + 4, (uint32_t)payload);
	crc = trc_jnl_crc32(0, b->p, b->len);
	p = trc_jnl_reserve(b, TRC_JNL_REC_TAIL_BYTES);
	if (!p)
		return -ENOMEM;
	le32(p, crc);
	return 0;
}

void trc_jnl_free(struct trc_jnl_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

unsigned int trc_jnl_cmd_of(unsigned long req)
{
	unsigned int type = _IOC_TYPE(req), nr = _IOC_NR(req);

	if (type == 'H' && nr >= HL_COMMAND_START && nr < HL_COMMAND_END)
		return nr;
	if (type == 'd' && nr >= JNL_DRM_COMMAND_BASE && nr <= JNL_DRM_COMMAND_BASE + 5)
		return nr - JNL_DRM_COMMAND_BASE + 1;
	return 0;
}

/* ===== reader ===== */

/** struct jcur - a bounds-checked cursor over one record's payload. */
struct jcur {
	const uint8_t *p;
	size_t n, off;
	int bad;
};

static uint32_t get_u32(struct jcur *c)
{
	if (c->bad || c->n - c->off < 4) {
		c->bad = 1;
		return 0;
	}
	c->off += 4;
	return rd32(c->p + c->off - 4);
}

static uint64_t get_u64(struct jcur *c)
{
	if (c->bad || c->n - c->off < 8) {
		c->bad = 1;
		return 0;
	}
	c->off += 8;
	return rd64(c->p + c->off - 8);
}

/* @n bytes at the cursor (NULL and bad if fewer remain). */
static const uint8_t *get_bytes(struct jcur *c, size_t n)
{
	if (c->bad || c->n - c->off < n) {
		c->bad = 1;
		return NULL;
	}
	c->off += n;
	return c->p + c->off - n;
}

/* Copy up to @have bytes into @dst of @size bytes, zeroing the rest (a union of the uapi). */
static void into(void *dst, size_t size, const uint8_t *src, size_t have)
{
	memset(dst, 0, size);
	if (src)
		memcpy(dst, src, have < size ? have : size);
}

/** struct jmap - an open USERPTR map of a device. */
struct jmap {
	struct hlsim_trace_host_map m;
};

/** struct jdev - one device minor named by the journal. */
struct jdev {
	uint32_t minor;
	int has_dev; /* its trace device exists */
	uint32_t dev; /* the trace device index */
	uint64_t cs_rows;
	uint64_t img_addr, img_blob; /* last memory image written (repeats skipped) */
	struct jmap *maps;
	uint32_t nmaps, cap_maps;
};

/** struct jread - the state of one conversion. */
struct jread {
	const char *path;
	hlsim_trace_writer_t *w; /* NULL: scan only */
	struct jdev devs[JNL_MAX_MINORS];
	uint32_t ndevs;
	uint32_t next_dev;
	struct hlsim_trace_job *jobs;
	uint32_t jobs_cap;
	struct trc_jnl_stats *st;
	uint64_t rec_off; /* byte offset of the record being converted */
};

static hlsim_err_t bad_payload(struct jread *r, const char *type)
{
	return hlsim_error(HLSIM_E_TRACE_FORMAT,
			   "%s: %s record at byte %" PRIu64 ": payload malformed (its checksum "
			   "holds, so the writer was wrong)",
			   r->path, type, r->rec_off);
}

static struct jdev *jdev_get(struct jread *r, uint32_t minor)
{
	uint32_t i;

	for (i = 0; i < r->ndevs; i++)
		if (r->devs[i].minor == minor)
			return &r->devs[i];
	if (r->ndevs == JNL_MAX_MINORS)
		return NULL;
	memset(&r->devs[r->ndevs], 0, sizeof(r->devs[0]));
	r->devs[r->ndevs].minor = minor;
	r->devs[r->ndevs].img_blob = HLSIM_TRACE_NO_BLOB;
	return &r->devs[r->ndevs++];
}

/* The trace device of @minor; error if the journal named it before its DEVICE record. */
static hlsim_err_t jdev_need(struct jread *r, uint32_t minor, const char *type, struct jdev **out)
{
	struct jdev *d = jdev_get(r, minor);

	if (!d)
		return hlsim_error(HLSIM_E_TRACE_FORMAT, "%s: %s record at byte %" PRIu64
				   ": more than %u device minors", r->path, type, r->rec_off,
				   JNL_MAX_MINORS);
	if (!d->has_dev)
		return hlsim_error(HLSIM_E_TRACE_FORMAT, "%s: %s record at byte %" PRIu64
				   " names device minor %u before its DEVICE record", r->path,
				   type, r->rec_off, minor);
	*out = d;
	return HLSIM_OK;
}

/* The chip of a PCI device id (GAUDI-FACTS 1.2). */
static const char *asic_of(uint32_t device_id)
{
	if (device_id == 0x1000 || device_id == 0x1010)
		return "gaudi";
	if (device_id == 0x1020)
		return "gaudi2";
	return "unknown";
}

static hlsim_err_t rec_device(struct jread *r, struct jcur *c)
{
	struct hl_info_hw_ip_info hw;
	struct hlsim_trace_device d;
	uint32_t minor, hw_bytes, cur, max, dev;
	int32_t hw_rc;
	const uint8_t *hwp;
	struct jdev *jd;

	minor = get_u32(c);
	get_u32(c); /* node kind */
	memset(&d, 0, sizeof(d));
	d.clock_monotonic_ns = (int64_t)get_u64(c);
	d.clock_monotonic_raw_ns = (int64_t)get_u64(c);
	hw_rc = (int32_t)get_u32(c);
	get_u32(c); /* CLK_RATE rc: its values are 0 when it failed */
	get_u32(c); /* TIME_SYNC rc: idem */
	hw_bytes = get_u32(c);
	hwp = get_bytes(c, hw_bytes);
	cur = get_u32(c);
	max = get_u32(c);
	d.time_sync_device_time = get_u64(c);
	d.time_sync_host_time_ns = get_u64(c);
	if (c->bad)
		return bad_payload(r, "DEVICE");
	jd = jdev_get(r, minor);
	if (!jd)
		return hlsim_error(HLSIM_E_TRACE_FORMAT, "%s: DEVICE record at byte %" PRIu64
				   ": more than %u device minors", r->path, r->rec_off,
				   JNL_MAX_MINORS);
	if (jd->has_dev)
		return HLSIM_OK; /* a later open of the same device: the first identity stands */
	into(&hw, sizeof(hw), hw_rc ? NULL : hwp, hw_bytes);
	snprintf(d.asic, sizeof(d.asic), "%s", hw_rc ? "unknown" : asic_of(hw.device_id));
	memcpy(d.card_name, hw.card_name, sizeof(d.card_name) - 1);
	memcpy(d.cpucp_version, hw.cpucp_version, sizeof(d.cpucp_version) - 1);
	d.sram_base_address = hw.sram_base_address;
	d.dram_base_address = hw.dram_base_address;
	d.dram_size = hw.dram_size;
	d.dram_page_size = hw.dram_page_size;
	d.device_mem_alloc_default_page_size = hw.device_mem_alloc_default_page_size;
	d.tpc_enabled_mask_ext = hw.tpc_enabled_mask_ext;
	d.sram_size = hw.sram_size;
	d.num_of_events = hw.num_of_events;
	d.device_id = hw.device_id;
	d.module_id = hw.module_id;
	d.decoder_enabled_mask = hw.decoder_enabled_mask;
	d.cpld_version = hw.cpld_version;
	d.psoc_pci_pll_nr = hw.psoc_pci_pll_nr;
	d.psoc_pci_pll_nf = hw.psoc_pci_pll_nf;
	d.psoc_pci_pll_od = hw.psoc_pci_pll_od;
	d.psoc_pci_pll_div_factor = hw.psoc_pci_pll_div_factor;
	d.edma_enabled_mask = hw.edma_enabled_mask;
	d.first_available_interrupt_id = hw.first_available_interrupt_id;
	d.server_type = hw.server_type;
	d.number_of_user_interrupts = hw.number_of_user_interrupts;
	d.tpc_enabled_mask = hw.tpc_enabled_mask;
	d.dram_enabled = hw.dram_enabled;
	d.security_enabled = hw.security_enabled;
	d.mme_master_slave_mode = hw.mme_master_slave_mode;
	d.cur_clk_rate_mhz = cur;
	d.max_clk_rate_mhz = max;
	jd->has_dev = 1;
	if (r->w) {
		hlsim_err_t rc = hlsim_trace_add_device(r->w, &d, &dev);

		if (rc)
			return rc;
		jd->dev = dev;
	} else {
		jd->dev = r->next_dev;
	}
	r->next_dev++;
	r->st->devices++;
	return HLSIM_OK;
}

static hlsim_err_t jobs_reserve(struct jread *r, uint32_t n)
{
	struct hlsim_trace_job *p;

	if (n <= r->jobs_cap)
		return HLSIM_OK;
	p = realloc(r->jobs, (size_t)n * sizeof(*p));
	if (!p)
		return hlsim_error(HLSIM_E_NOMEM, "%s: %u jobs of one CS", r->path, n);
	r->jobs = p;
	r->jobs_cap = n;
	return HLSIM_OK;
}

static hlsim_err_t rec_cs(struct jread *r, struct jcur *c)
{
	const uint8_t *in_b, *out_b, *ch, *bytes;
	uint32_t minor, arg_bytes, user_flags, nr, ne, i, blob_bytes, nimg, img_bytes;
	struct hlsim_trace_cs cs;
	struct hl_cs_chunk chunk;
	union hl_cs_args in, out;
	struct jdev *d;
	int64_t t_submit, t_return;
	int32_t ioc_rc;
	hlsim_err_t rc;

	get_u32(c); /* fd */
	minor = get_u32(c);
	get_u64(c); /* request */
	ioc_rc = (int32_t)get_u32(c);
	user_flags = get_u32(c);
	t_submit = (int64_t)get_u64(c);
	t_return = (int64_t)get_u64(c);
	arg_bytes = get_u32(c);
	in_b = get_bytes(c, arg_bytes);
	out_b = get_bytes(c, arg_bytes);
	nr = get_u32(c);
	ne = get_u32(c);
	if (c->bad || nr > HL_MAX_JOBS_PER_CS || ne > HL_MAX_JOBS_PER_CS)
		return bad_payload(r, "CS");
	r->st->cs++;
	rc = jdev_need(r, minor, "CS", &d);
	if (!rc)
		rc = jobs_reserve(r, nr + ne);
	if (rc)
		return rc;
	into(&in, sizeof(in), in_b, arg_bytes);
	into(&out, sizeof(out), out_b, arg_bytes);
	for (i = 0; i < nr + ne; i++) {
		struct hlsim_trace_job *j = &r->jobs[i];

		ch = get_bytes(c, JNL_CHUNK_BYTES);
		blob_bytes = get_u32(c);
		bytes = blob_bytes == TRC_JNL_NO_BLOB ? NULL : get_bytes(c, blob_bytes);
		if (c->bad)
			return bad_payload(r, "CS");
		memcpy(&chunk, ch, sizeof(chunk));
		memset(j, 0, sizeof(*j));
		j->cb_handle = chunk.cb_handle;
		j->queue_id = chunk.queue_index;
		j->cb_size = chunk.cb_size;
		j->chunk_flags = chunk.cs_chunk_flags;
		j->phase = i < nr ? HLSIM_PHASE_RESTORE : HLSIM_PHASE_EXECUTE;
		j->blob_id = HLSIM_TRACE_NO_BLOB;
		if (bytes && ioc_rc == 0 && r->w) {
			rc = hlsim_trace_add_blob(r->w, d->dev, bytes, blob_bytes, &j->blob_id);
			if (rc)
				return rc;
		}
	}
	nimg = get_u32(c);
	if (c->bad)
		return bad_payload(r, "CS");
	/*
	 * A CS the driver refused ran nothing: not a trace row (as `hlsim vdev` records).
	 * Nor are the CSs without CB chunks (signal / wait / collective, whose CBs the driver
	 * builds; signal reservations; engine-core commands): the journal keeps their
	 * arguments, the trace format has no row for them yet.
	 */
	if (ioc_rc == 0 && !(user_flags & JNL_CS_NO_CBS)) {
		cs = (struct hlsim_trace_cs){ .seq = out.out.seq,
					      .flags = user_flags,
					      .status = out.out.status,
					      .submit_ns = t_submit,
					      .return_ns = t_return,
					      .num_jobs = nr + ne,
					      .timeout_s = in.in.timeout };
		if (r->w) {
			rc = hlsim_trace_add_cs(r->w, d->dev, &cs, r->jobs, nr + ne);
			if (rc)
				return rc;
		}
		d->cs_rows++;
		r->st->cs_ok++;
	}
	for (i = 0; i < nimg; i++) {
		struct hlsim_trace_mem m;

		m.addr = get_u64(c);
		img_bytes = get_u32(c);
		get_u32(c); /* what led to it: 1 internal CB, 2 CP_DMA, 3 LOAD_AND_EXE */
		bytes = get_bytes(c, img_bytes);
		if (c->bad)
			return bad_payload(r, "CS");
		if (ioc_rc || (user_flags & JNL_CS_NO_CBS) || !img_bytes)
			continue;
		m.size = img_bytes;
		m.from_cs = d->cs_rows - 1;
		m.blob_id = HLSIM_TRACE_NO_BLOB;
		if (r->w) {
			rc = hlsim_trace_add_blob(r->w, d->dev, bytes, img_bytes, &m.blob_id);
			if (rc)
				return rc;
		}
		if (r->w && m.blob_id == d->img_blob && m.addr == d->img_addr)
			continue; /* the same bytes at the same place: the image already holds */
		if (r->w) {
			rc = hlsim_trace_add_mem(r->w, d->dev, &m);
			if (rc)
				return rc;
		}
		d->img_addr = m.addr;
		d->img_blob = m.blob_id;
		r->st->images++;
	}
	return HLSIM_OK;
}

static hlsim_err_t rec_wait(struct jread *r, struct jcur *c)
{
	union hl_wait_cs_args in, out;
	struct hlsim_trace_wait wt;
	const uint8_t *in_b, *out_b, *seqs;
	uint32_t minor, arg_bytes, nseq;
	struct jdev *d;
	hlsim_err_t rc;

	get_u32(c); /* fd */
	minor = get_u32(c);
	get_u64(c); /* request */
	wt.rc = (int32_t)get_u32(c);
	get_u32(c); /* pad */
	wt.enter_ns = (int64_t)get_u64(c);
	wt.exit_ns = (int64_t)get_u64(c);
	arg_bytes = get_u32(c);
	in_b = get_bytes(c, arg_bytes);
	out_b = get_bytes(c, arg_bytes);
	nseq = get_u32(c);
	seqs = nseq <= HL_WAIT_MULTI_CS_LIST_MAX_LEN ? get_bytes(c, (size_t)nseq * 8) : NULL;
	if (c->bad || nseq > HL_WAIT_MULTI_CS_LIST_MAX_LEN)
		return bad_payload(r, "WAIT");
	r->st->waits++;
	rc = jdev_need(r, minor, "WAIT", &d);
	if (rc)
		return rc;
	into(&in, sizeof(in), in_b, arg_bytes);
	into(&out, sizeof(out), out_b, arg_bytes);
	wt.seq = nseq ? rd64(seqs) : in.in.seq; /* MULTI_CS: the first of the array */
	wt.timeout_us = in.in.timeout_us;
	wt.flags = in.in.flags;
	wt.timestamp_ns = out.out.timestamp_nsec;
	wt.status = out.out.status;
	wt.out_flags = out.out.flags;
	wt.cs_completion_map = out.out.cs_completion_map;
	if (wt.flags & JNL_WAIT_NOT_CS)
		return HLSIM_OK;
	r->st->waits_traced++;
	return r->w ? hlsim_trace_add_wait(r->w, d->dev, &wt) : HLSIM_OK;
}

static hlsim_err_t map_emit(struct jread *r, struct jdev *d, uint32_t i, int64_t unmap_ns)
{
	struct hlsim_trace_host_map m = d->maps[i].m;
	hlsim_err_t rc = HLSIM_OK;

	m.unmap_ns = unmap_ns;
	if (r->w)
		rc = hlsim_trace_add_host_map(r->w, d->dev, &m);
	memmove(&d->maps[i], &d->maps[i + 1], (size_t)(d->nmaps - i - 1) * sizeof(d->maps[0]));
	d->nmaps--;
	return rc;
}

static hlsim_err_t rec_ioctl(struct jread *r, struct jcur *c)
{
	const uint8_t *in_b, *out_b;
	uint32_t minor, arg_bytes, extra, i;
	union hl_mem_args in, out;
	int64_t t_exit;
	uint64_t req;
	int32_t ioc_rc;
	struct jdev *d;
	hlsim_err_t rc;

	get_u32(c); /* fd */
	minor = get_u32(c);
	req = get_u64(c);
	ioc_rc = (int32_t)get_u32(c);
	get_u32(c); /* pad */
	get_u64(c); /* t_enter */
	t_exit = (int64_t)get_u64(c);
	arg_bytes = get_u32(c);
	in_b = get_bytes(c, arg_bytes);
	out_b = get_bytes(c, arg_bytes);
	extra = get_u32(c);
	get_bytes(c, extra);
	if (c->bad)
		return bad_payload(r, "IOCTL");
	r->st->ioctls++;
	if (trc_jnl_cmd_of((unsigned long)req) != _IOC_NR(HL_IOCTL_MEMORY) || ioc_rc || !arg_bytes)
		return HLSIM_OK;
	rc = jdev_need(r, minor, "IOCTL", &d);
	if (rc)
		return rc;
	into(&in, sizeof(in), in_b, arg_bytes);
	into(&out, sizeof(out), out_b, arg_bytes);
	if (in.in.op == HL_MEM_OP_MAP && (in.in.flags & HL_MEM_USERPTR)) {
		if (d->nmaps == d->cap_maps) {
			uint32_t cap = d->cap_maps ? d->cap_maps * 2 : 16;
			struct jmap *p = realloc(d->maps, cap * sizeof(*p));

			if (!p)
				return hlsim_error(HLSIM_E_NOMEM, "%s: host maps", r->path);
			d->maps = p;
			d->cap_maps = cap;
		}
		d->maps[d->nmaps++].m = (struct hlsim_trace_host_map){
			.device_va = out.out.device_virt_addr,
			.host_va = in.in.map_host.host_virt_addr,
			.size = in.in.map_host.mem_size,
			.map_ns = t_exit,
			.unmap_ns = INT64_MAX,
		};
	} else if (in.in.op == HL_MEM_OP_UNMAP) {
		for (i = 0; i < d->nmaps; i++)
			if ((d->maps[i].m.device_va & ~JNL_PAGE_MASK) ==
			    (in.in.unmap.device_virt_addr & ~JNL_PAGE_MASK))
				return map_emit(r, d, i, t_exit);
	}
	return HLSIM_OK;
}

static hlsim_err_t rec_close(struct jread *r, struct jcur *c)
{
	uint32_t last, minor;
	int64_t t;
	struct jdev *d;
	hlsim_err_t rc = HLSIM_OK;

	get_u32(c); /* fd */
	last = get_u32(c);
	minor = get_u32(c);
	get_u32(c); /* node kind */
	t = (int64_t)get_u64(c);
	if (c->bad)
		return bad_payload(r, "CLOSE");
	d = jdev_get(r, minor);
	/* The last close of a file releases its context: its maps end there. */
	while (last && d && d->nmaps && !rc)
		rc = map_emit(r, d, 0, t);
	return rc;
}

static hlsim_err_t convert(struct jread *r, uint32_t type, const uint8_t *p, uint32_t n)
{
	struct jcur c = { p, n, 0, 0 };

	switch (type) {
	case TRC_JNL_DEVICE:
		return rec_device(r, &c);
	case TRC_JNL_CS:
		return rec_cs(r, &c);
	case TRC_JNL_WAIT:
		return rec_wait(r, &c);
	case TRC_JNL_IOCTL:
		return rec_ioctl(r, &c);
	case TRC_JNL_CLOSE:
		return rec_close(r, &c);
	case TRC_JNL_END:
		r->st->ended = 1;
		return HLSIM_OK;
	default: /* OPEN, MMAP, MUNMAP: kept in the journal only; unknown types: skipped */
		return HLSIM_OK;
	}
}

static int zero_bytes(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

/*
 * A record header of zeros at byte @off: writers allocate the file ahead (zeros) and
 * reserve record space before filling it, so this is the end of the records if only
 * zeros follow (from @from, where @f stands, to @size), else record space whose writer
 * never filled it (killed), followed by other writers' records, which are dropped.
 */
static hlsim_err_t zero_end(struct jread *r, FILE *f, uint64_t off, uint64_t size,
			    uint64_t from)
{
	struct trc_jnl_stats *st = r->st;
	uint8_t chunk[4096];
	uint64_t at = from;
	size_t got, i;

	while (at < size) {
		got = fread(chunk, 1, sizeof(chunk), f);
		if (!got)
			return hlsim_error(HLSIM_E_IO, "%s: read failed at byte %" PRIu64 " of %"
					   PRIu64, r->path, at, size);
		for (i = 0; i < got; i++) {
			if (chunk[i]) {
				snprintf(st->stop, sizeof(st->stop), "record space at byte %"
					 PRIu64 " reserved but never written (zeros; data "
					 "follows at byte %" PRIu64 ")", off, at + i);
				return HLSIM_OK;
			}
		}
		at += got;
	}
	st->zero_tail_bytes = size - off;
	snprintf(st->stop, sizeof(st->stop), "end of the records at byte %" PRIu64 ": a "
		 "zero-filled tail of %" PRIu64 " unused bytes follows", off, size - off);
	return HLSIM_OK;
}

static hlsim_err_t run(const char *journal, const char *trace, struct trc_jnl_stats *st)
{
	uint8_t head[TRC_JNL_HEADER_BYTES], want[TRC_JNL_HEADER_BYTES], rh[TRC_JNL_REC_HEAD_BYTES];
	struct trc_jnl_stats local;
	struct jread r;
	uint8_t *buf = NULL;
	size_t cap = 0, got;
	uint64_t off, size;
	uint32_t type, len, crc, i;
	hlsim_err_t rc = HLSIM_OK, crc2;
	FILE *f;

	if (!st)
		st = &local;
	memset(st, 0, sizeof(*st));
	memset(&r, 0, sizeof(r));
	r.path = journal;
	r.st = st;
	f = fopen(journal, "rb");
	if (!f)
		return hlsim_error(HLSIM_E_IO, "%s: cannot open the journal: %s", journal,
				   strerror(errno));
	if (fseeko(f, 0, SEEK_END) || (size = (uint64_t)ftello(f), fseeko(f, 0, SEEK_SET))) {
		rc = hlsim_error(HLSIM_E_IO, "%s: cannot size the journal: %s", journal,
				 strerror(errno));
		goto out_file;
	}
	got = fread(head, 1, sizeof(head), f);
	trc_jnl_header(want);
	if (got >= 12 && !memcmp(head, want, 8) && rd32(head + 8) != TRC_JNL_VERSION) {
		rc = hlsim_error(HLSIM_E_TRACE_FORMAT, "%s: journal version %u (byte 8); this "
				 "hlsim reads version %u only (a journal of another hlsim "
				 "release)", journal, rd32(head + 8), TRC_JNL_VERSION);
		goto out_file;
	}
	if (got < sizeof(head)) {
		/*
		 * A header cut short: a journal if what is there is the header's beginning
		 * (its fixed part; the append offset may hold anything).
		 */
		if (memcmp(head, want, got < TRC_JNL_HEADER_FIXED_BYTES ?
				       got : TRC_JNL_HEADER_FIXED_BYTES)) {
			rc = hlsim_error(HLSIM_E_TRACE_FORMAT, "%s: not an hlsim capture journal "
					 "(the %zu bytes are not a journal header)", journal, got);
			goto out_file;
		}
		if (got)
			snprintf(st->stop, sizeof(st->stop), "the header is cut short at byte %zu",
				 got);
		else
			snprintf(st->stop, sizeof(st->stop), "empty journal: no device was opened");
		st->dropped_bytes = got;
	} else if (memcmp(head, want, 8)) {
		rc = hlsim_error(HLSIM_E_TRACE_FORMAT, "%s: not an hlsim capture journal (bytes "
				 "0..7 are not \"" TRC_JNL_MAGIC "\")", journal);
		goto out_file;
	} else if (rd32(head + 12) != rd32(want + 12)) {
		rc = hlsim_error(HLSIM_E_TRACE_FORMAT, "%s: journal version %u (byte 8) with "
				 "header checksum 0x%08x (byte 12), expected 0x%08x", journal,
				 rd32(head + 8), rd32(head + 12), rd32(want + 12));
		goto out_file;
	}
	if (trace) {
		rc = hlsim_trace_create(trace, "hlsim capture (journal of libhlsim_preload.so)",
					&r.w);
		if (rc)
			goto out_file;
	}
	if (got < sizeof(head))
		goto done;
	off = TRC_JNL_HEADER_BYTES;
	for (;;) {
		got = fread(rh, 1, sizeof(rh), f);
		if (got == 0 && off == size) {
			snprintf(st->stop, sizeof(st->stop), "end of file");
			break;
		}
		if (got && zero_bytes(rh, got)) {
			/* no record has type 0: the end of the data, or space never written */
			rc = zero_end(&r, f, off, size, off + got);
			if (rc)
				goto out_trace;
			break;
		}
		if (got < sizeof(rh)) {
			snprintf(st->stop, sizeof(st->stop), "record cut short at byte %" PRIu64
				 " (%zu of its 8 header bytes)", off, got);
			break;
		}
		type = rd32(rh);
		len = rd32(rh + 4);
		if (len > TRC_JNL_MAX_PAYLOAD_BYTES || len + 4ull > size - off - 8) {
			snprintf(st->stop, sizeof(st->stop), "record cut short at byte %" PRIu64
				 " (type %u, %u payload bytes, %" PRIu64 " bytes left)", off, type,
				 len, size - off - 8);
			break;
		}
		if (len + 4u > cap) {
			uint8_t *p = realloc(buf, len + 4u);

			if (!p) {
				rc = hlsim_error(HLSIM_E_NOMEM, "%s: record at byte %" PRIu64
						 " of %u bytes", journal, off, len);
				goto out_trace;
			}
			buf = p;
			cap = len + 4u;
		}
		if (fread(buf, 1, len + 4u, f) != len + 4u) {
			snprintf(st->stop, sizeof(st->stop), "record cut short at byte %" PRIu64
				 " (read failed)", off);
			break;
		}
		crc = trc_jnl_crc32(trc_jnl_crc32(0, rh, sizeof(rh)), buf, len);
		if (crc != rd32(buf + len)) {
			snprintf(st->stop, sizeof(st->stop), "checksum mismatch in the record at "
				 "byte %" PRIu64 " (type %u, %u payload bytes)", off, type, len);
			break;
		}
		r.rec_off = off;
		rc = convert(&r, type, buf, len);
		if (rc)
			goto out_trace;
		st->records++;
		off += 8ull + len + 4u;
	}
	st->kept_bytes = off;
	st->dropped_bytes = size - off - st->zero_tail_bytes;
done:
	/* maps still open when the journal ends */
	for (i = 0; i < r.ndevs && !rc; i++)
		while (r.devs[i].nmaps && !rc)
			rc = map_emit(&r, &r.devs[i], 0, INT64_MAX);
out_trace:
	crc2 = hlsim_trace_writer_close(r.w);
	if (!rc)
		rc = crc2;
out_file:
	fclose(f);
	free(buf);
	free(r.jobs);
	for (i = 0; i < r.ndevs; i++)
		free(r.devs[i].maps);
	return rc;
}

hlsim_err_t trc_jnl_finish(const char *journal, const char *trace, struct trc_jnl_stats *st)
{
	if (!journal || !trace)
		return hlsim_error(HLSIM_E_INVAL, "trc_jnl_finish: journal and trace paths needed");
	return run(journal, trace, st);
}

hlsim_err_t trc_jnl_scan(const char *journal, struct trc_jnl_stats *st)
{
	if (!journal)
		return hlsim_error(HLSIM_E_INVAL, "trc_jnl_scan: journal path needed");
	return run(journal, NULL, st);
}
