/*
 * tests/unit/trcfix.h - a deterministic multi-device trace for the trace format tests.
 *
 * Every row of every table is a pure function of (device, row), so a test can write
 * the trace, read it back and compare each field with what it regenerates. Blob
 * contents are a function of a content number k (k = 0 is the empty blob); the
 * jobs draw their contents from a small pool, so the writer deduplicates them.
 */
#ifndef HLSIM_TEST_TRCFIX_H
#define HLSIM_TEST_TRCFIX_H

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hlsim/trace.h"

#define FIX_POOL 300 /* distinct job contents per device */
#define FIX_MAX_BLOB 2100

/* Sizes of the tables of one device. */
struct fix_shape {
	uint64_t cs, mem, host_maps, waits, annotations;
	uint32_t max_jobs; /* a CS has (i % (max_jobs + 1)) jobs */
};

static inline size_t fix_blob_size(uint32_t dev, uint64_t k)
{
	return k == 0 ? 0 : (size_t)(4 + (k * 37 + dev * 11) % 2000);
}

static inline void fix_blob(uint32_t dev, uint64_t k, uint8_t *out, size_t *size)
{
	size_t n = fix_blob_size(dev, k), b;

	for (b = 0; b < n; b++)
		out[b] = (uint8_t)(k * 131 + b * 7 + (b >> 8) + dev);
	if (n >= 8) {
		out[0] = (uint8_t)k; /* make contents distinct per k */
		out[1] = (uint8_t)(k >> 8);
		out[2] = (uint8_t)dev;
		out[3] = 0xA5;
	}
	*size = n;
}

static inline void fix_device(uint32_t dev, struct hlsim_trace_device *d)
{
	memset(d, 0, sizeof(*d));
	snprintf(d->asic, sizeof(d->asic), "%s", dev == 1 ? "gaudi2" : "gaudi");
	snprintf(d->card_name, sizeof(d->card_name), "HL20%u", 5 + dev);
	/* a 127-character firmware string: the longest that fits */
	memset(d->cpucp_version, 'v', sizeof(d->cpucp_version) - 1);
	d->cpucp_version[0] = (char)('0' + dev);
	d->sram_base_address = 0x7FF0000080ULL + dev;
	d->dram_base_address = 0x20000000ULL + dev;
	d->dram_size = 0x7E0000000ULL - dev;
	d->dram_page_size = 2 << 20;
	d->device_mem_alloc_default_page_size = 1 << 20;
	d->tpc_enabled_mask_ext = 0x1FFFFFFULL << dev;
	d->sram_size = 0x13FFF80 + dev;
	d->num_of_events = 1000 + dev;
	d->device_id = 0x1000 + dev;
	d->module_id = dev;
	d->decoder_enabled_mask = 0x3FF ^ dev;
	d->cpld_version = 0x10 + dev;
	d->psoc_pci_pll_nr = 1 + dev;
	d->psoc_pci_pll_nf = 2 + dev;
	d->psoc_pci_pll_od = 3 + dev;
	d->psoc_pci_pll_div_factor = 4 + dev;
	d->edma_enabled_mask = 0xFF >> dev;
	d->first_available_interrupt_id = (uint16_t)(100 + dev);
	d->server_type = (uint16_t)(1 + dev);
	d->number_of_user_interrupts = (uint16_t)(300 + dev);
	d->tpc_enabled_mask = (uint8_t)(0xFF - dev);
	d->dram_enabled = 1;
	d->security_enabled = (uint8_t)(dev & 1);
	d->mme_master_slave_mode = 1;
	d->cur_clk_rate_mhz = 1600 + dev;
	d->max_clk_rate_mhz = 2200 + dev;
	d->time_sync_device_time = 0x123456789ABCULL + dev;
	d->time_sync_host_time_ns = 987654321000ULL + dev;
	d->clock_monotonic_ns = -5 - (int64_t)dev;
	d->clock_monotonic_raw_ns = INT64_MAX - dev;
}

static inline void fix_cs(uint32_t dev, uint64_t i, struct hlsim_trace_cs *c)
{
	memset(c, 0, sizeof(*c));
	c->seq = 1000 + i * 2 + dev;
	c->flags = (uint32_t)(i * 3) ^ dev;
	c->status = (uint32_t)(i % 5);
	c->submit_ns = (int64_t)i * 1000 - 5000;
	c->return_ns = c->submit_ns + 500 + (int64_t)(i % 7);
	c->timeout_s = (uint32_t)(30 + i % 3);
}

static inline uint32_t fix_num_jobs(const struct fix_shape *s, uint64_t i)
{
	return (uint32_t)(i % (s->max_jobs + 1));
}

/* Content number of job @j of CS @i, or UINT64_MAX for a job without a blob. */
static inline uint64_t fix_job_content(uint64_t i, uint32_t j)
{
	if ((i + j) % 11 == 0)
		return UINT64_MAX;
	return (i * 7 + j) % FIX_POOL;
}

/* Job @j of CS @i, except blob_id, cs_index (set by the caller / the writer). */
static inline void fix_job(uint32_t dev, uint64_t i, uint32_t j, struct hlsim_trace_job *o)
{
	uint64_t k = fix_job_content(i, j);
	size_t size = k == UINT64_MAX ? 0 : fix_blob_size(dev, k);

	memset(o, 0, sizeof(*o));
	o->cb_handle = 0xABC0000000ULL + i * 16 + j;
	o->queue_id = (uint32_t)((i * 5 + j) % 200);
	o->cb_size = (uint32_t)(size && (j & 1) ? size - 1 : size);
	o->chunk_flags = j ^ dev;
	o->phase =
		(uint8_t)(j < (i % 3 == 0 ? 1u : 0u) ? HLSIM_PHASE_RESTORE : HLSIM_PHASE_EXECUTE);
}

static inline void fix_mem(uint32_t dev, uint64_t r, struct hlsim_trace_mem *m)
{
	memset(m, 0, sizeof(*m));
	m->addr = 0x1000000ULL + r * 0x100 + dev;
	m->size = fix_blob_size(dev, 1 + r % (FIX_POOL - 1));
	m->from_cs = r * 10;
}

static inline void fix_host_map(uint32_t dev, uint64_t r, struct hlsim_trace_host_map *m)
{
	memset(m, 0, sizeof(*m));
	m->device_va = 0x1000000000ULL + r * 4096 + dev;
	m->host_va = 0x7F0000000000ULL + r * 8192;
	m->size = 4096 * (r % 8 + 1);
	m->map_ns = (int64_t)r * 10 - 100;
	m->unmap_ns = r % 5 == 0 ? INT64_MAX : m->map_ns + 1000;
}

static inline void fix_wait(uint32_t dev, uint64_t r, struct hlsim_trace_wait *w)
{
	memset(w, 0, sizeof(*w));
	w->seq = r + dev;
	w->timeout_us = r * 3;
	w->enter_ns = (int64_t)r * 100;
	w->exit_ns = w->enter_ns + 50;
	w->timestamp_ns = -(int64_t)r;
	w->status = (uint32_t)(r % 3);
	w->flags = (uint32_t)(r % 4);
	w->out_flags = (uint32_t)(r % 2);
	w->cs_completion_map = (uint32_t)(r * 2654435761u);
	w->rc = -(int32_t)(r % 5);
}

static inline void fix_annotation(uint32_t dev, uint64_t r, struct hlsim_trace_annotation *a)
{
	memset(a, 0, sizeof(*a));
	a->cs_seq = r + dev;
	a->queue_id = r % 3 == 0 ? UINT32_MAX : (uint32_t)(r % 64);
	snprintf(a->key, sizeof(a->key), "key_%" PRIu64, r % 97);
	if (r % 1000 == 0) {
		memset(a->value, 'x', sizeof(a->value) - 1); /* longest value */
		a->value[0] = (char)('a' + r % 26);
	} else {
		snprintf(a->value, sizeof(a->value), "kernel_%" PRIu64 "_on_device_%u", r, dev);
	}
}

/* Write device @dev with shape @s. Returns 0 on success. */
static inline int fix_write_device(hlsim_trace_writer_t *w, uint32_t dev,
				   const struct fix_shape *s)
{
	struct hlsim_trace_job jobs[16];
	struct hlsim_trace_device info;
	struct hlsim_trace_annotation a;
	struct hlsim_trace_host_map hm;
	struct hlsim_trace_wait wt;
	struct hlsim_trace_mem m;
	struct hlsim_trace_cs cs;
	uint8_t buf[FIX_MAX_BLOB];
	uint32_t got, j, nj;
	size_t size;
	uint64_t i;

	fix_device(dev, &info);
	if (hlsim_trace_add_device(w, &info, &got) || got != dev)
		return -1;
	for (i = 0; i < s->cs; i++) {
		fix_cs(dev, i, &cs);
		nj = fix_num_jobs(s, i);
		for (j = 0; j < nj; j++) {
			uint64_t k = fix_job_content(i, j);

			fix_job(dev, i, j, &jobs[j]);
			jobs[j].blob_id = HLSIM_TRACE_NO_BLOB;
			if (k == UINT64_MAX)
				continue;
			fix_blob(dev, k, buf, &size);
			if (hlsim_trace_add_blob(w, dev, buf, size, &jobs[j].blob_id))
				return -1;
		}
		if (hlsim_trace_add_cs(w, dev, &cs, jobs, nj))
			return -1;
	}
	for (i = 0; i < s->mem; i++) {
		fix_mem(dev, i, &m);
		fix_blob(dev, 1 + i % (FIX_POOL - 1), buf, &size);
		if (hlsim_trace_add_blob(w, dev, buf, size, &m.blob_id) ||
		    hlsim_trace_add_mem(w, dev, &m))
			return -1;
	}
	for (i = 0; i < s->host_maps; i++) {
		fix_host_map(dev, i, &hm);
		if (hlsim_trace_add_host_map(w, dev, &hm))
			return -1;
	}
	for (i = 0; i < s->waits; i++) {
		fix_wait(dev, i, &wt);
		if (hlsim_trace_add_wait(w, dev, &wt))
			return -1;
	}
	for (i = 0; i < s->annotations; i++) {
		fix_annotation(dev, i, &a);
		if (hlsim_trace_add_annotation(w, dev, &a))
			return -1;
	}
	return 0;
}

/* Write a trace of @n devices with shapes @s. Returns 0 on success. */
static inline int fix_write(const char *path, const struct fix_shape *s, uint32_t n)
{
	hlsim_trace_writer_t *w;
	uint32_t dev;

	if (hlsim_trace_create(path, "trcfix test trace", &w)) {
		fprintf(stderr, "create: %s\n", hlsim_last_error_detail());
		return -1;
	}
	for (dev = 0; dev < n; dev++) {
		if (fix_write_device(w, dev, &s[dev])) {
			fprintf(stderr, "write: %s\n", hlsim_last_error_detail());
			hlsim_trace_writer_close(w);
			return -1;
		}
	}
	if (hlsim_trace_writer_close(w)) {
		fprintf(stderr, "close: %s\n", hlsim_last_error_detail());
		return -1;
	}
	return 0;
}

static inline long long fix_file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) ? -1 : (long long)st.st_size;
}

/* A small valid trace (2 devices) for tests that then damage it. */
static inline int fix_write_small(const char *path)
{
	const struct fix_shape s[2] = {
		{.cs = 100, .mem = 5, .host_maps = 3, .waits = 4, .annotations = 6, .max_jobs = 3},
		{.cs = 10, .mem = 1, .host_maps = 1, .waits = 1, .annotations = 1, .max_jobs = 1},
	};

	return fix_write(path, s, 2);
}

#endif /* HLSIM_TEST_TRCFIX_H */
