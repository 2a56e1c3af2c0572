/*
 * tests/unit/test_trace_roundtrip.c - trace format v1: every table of several devices,
 * each with more than two chunks (16384 rows) of rows, is written and read back
 * field by field; blob contents come back byte for byte; sequential reads cost one
 * HDF5 read per window; random access agrees; the same input gives the same bytes.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hlsim/trace.h"
#include "tests/unit/check.h"
#include "tests/unit/trcfix.h"
#include "traces/trc.h"

static const struct fix_shape shapes[3] = {
	/* device 0: every table beyond two chunks */
	{ .cs = 40000, .mem = 200, .host_maps = 40000, .waits = 40000, .annotations = 35000,
	  .max_jobs = 3 },
	/* device 1: many one-job CSs, few other rows */
	{ .cs = 50000, .mem = 3, .host_maps = 2, .waits = 1, .annotations = 1, .max_jobs = 1 },
	/* device 2: empty tables */
	{ 0 },
};

static void check_device_info(uint32_t dev, const struct hlsim_trace_device *got)
{
	struct hlsim_trace_device e;

	fix_device(dev, &e);
	CHECK(got != NULL);
	if (!got)
		return;
	CHECK(!strcmp(got->asic, e.asic));
	CHECK(!strcmp(got->card_name, e.card_name));
	CHECK(!strcmp(got->cpucp_version, e.cpucp_version));
	CHECK_EQ_U64(got->sram_base_address, e.sram_base_address);
	CHECK_EQ_U64(got->dram_base_address, e.dram_base_address);
	CHECK_EQ_U64(got->dram_size, e.dram_size);
	CHECK_EQ_U64(got->dram_page_size, e.dram_page_size);
	CHECK_EQ_U64(got->device_mem_alloc_default_page_size,
		     e.device_mem_alloc_default_page_size);
	CHECK_EQ_U64(got->tpc_enabled_mask_ext, e.tpc_enabled_mask_ext);
	CHECK_EQ_U64(got->sram_size, e.sram_size);
	CHECK_EQ_U64(got->num_of_events, e.num_of_events);
	CHECK_EQ_U64(got->device_id, e.device_id);
	CHECK_EQ_U64(got->module_id, e.module_id);
	CHECK_EQ_U64(got->decoder_enabled_mask, e.decoder_enabled_mask);
	CHECK_EQ_U64(got->cpld_version, e.cpld_version);
	CHECK_EQ_U64(got->psoc_pci_pll_nr, e.psoc_pci_pll_nr);
	CHECK_EQ_U64(got->psoc_pci_pll_nf, e.psoc_pci_pll_nf);
	CHECK_EQ_U64(got->psoc_pci_pll_od, e.psoc_pci_pll_od);
	CHECK_EQ_U64(got->psoc_pci_pll_div_factor, e.psoc_pci_pll_div_factor);
	CHECK_EQ_U64(got->edma_enabled_mask, e.edma_enabled_mask);
	CHECK_EQ_U64(got->first_available_interrupt_id, e.first_available_interrupt_id);
	CHECK_EQ_U64(got->server_type, e.server_type);
	CHECK_EQ_U64(got->number_of_user_interrupts, e.number_of_user_interrupts);
	CHECK_EQ_U64(got->tpc_enabled_mask, e.tpc_enabled_mask);
	CHECK_EQ_U64(got->dram_enabled, e.dram_enabled);
	CHECK_EQ_U64(got->security_enabled, e.security_enabled);
	CHECK_EQ_U64(got->mme_master_slave_mode, e.mme_master_slave_mode);
	CHECK_EQ_U64(got->cur_clk_rate_mhz, e.cur_clk_rate_mhz);
	CHECK_EQ_U64(got->max_clk_rate_mhz, e.max_clk_rate_mhz);
	CHECK_EQ_U64(got->time_sync_device_time, e.time_sync_device_time);
	CHECK_EQ_U64(got->time_sync_host_time_ns, e.time_sync_host_time_ns);
	CHECK_EQ_U64(got->clock_monotonic_ns, e.clock_monotonic_ns);
	CHECK_EQ_U64(got->clock_monotonic_raw_ns, e.clock_monotonic_raw_ns);
}

/* Count mismatches instead of one CHECK per field of a million rows. */
static uint64_t bad_rows;
#define ROW_EQ(a, b)                                                                       \
	do {                                                                               \
		if ((uint64_t)(a) != (uint64_t)(b)) {                                      \
			if (bad_rows++ < 10)                                               \
				fprintf(stderr, "%s:%d: %s = 0x%" PRIx64 ", expected 0x%" PRIx64 \
						"\n", __FILE__, __LINE__, #a,              \
					(uint64_t)(a), (uint64_t)(b));                     \
		}                                                                          \
	} while (0)

/* Expected blob id of content k: ids are given in first-use order; replay the writer. */
struct id_map {
	uint64_t id[FIX_POOL];
	uint64_t next;
};

static uint64_t id_of(struct id_map *m, uint64_t k)
{
	if (m->id[k] == UINT64_MAX)
		m->id[k] = m->next++;
	return m->id[k];
}

static void check_cs_jobs(hlsim_trace_t *t, uint32_t dev, const struct fix_shape *s,
			  struct id_map *ids)
{
	uint64_t i, first_job = 0, reads0, reads1, cs_windows;
	struct hlsim_trace_cs c, e;
	struct hlsim_trace_job jb, ej;
	const struct hlsim_blob *b;
	uint8_t buf[FIX_MAX_BLOB];
	size_t size;
	uint32_t j;

	/* the cs table alone, sequentially: one HDF5 read per window */
	reads0 = trc_trace_hdf5_reads(t, dev);
	for (i = 0; i < s->cs; i++) {
		if (hlsim_trace_read_cs(t, dev, i, &c) != HLSIM_OK) {
			bad_rows++;
			break;
		}
	}
	reads1 = trc_trace_hdf5_reads(t, dev);
	cs_windows = (s->cs + 4095) / 4096;
	CHECK_EQ_U64(reads1 - reads0, cs_windows);

	for (i = 0; i < s->cs; i++) {
		fix_cs(dev, i, &e);
		if (hlsim_trace_read_cs(t, dev, i, &c) != HLSIM_OK) {
			bad_rows++;
			break;
		}
		ROW_EQ(c.seq, e.seq);
		ROW_EQ(c.flags, e.flags);
		ROW_EQ(c.status, e.status);
		ROW_EQ(c.submit_ns, e.submit_ns);
		ROW_EQ(c.return_ns, e.return_ns);
		ROW_EQ(c.timeout_s, e.timeout_s);
		ROW_EQ(c.first_job, first_job);
		ROW_EQ(c.num_jobs, fix_num_jobs(s, i));
		for (j = 0; j < c.num_jobs; j++) {
			uint64_t k = fix_job_content(i, j);

			fix_job(dev, i, j, &ej);
			if (hlsim_trace_read_job(t, dev, c.first_job + j, &jb) != HLSIM_OK) {
				fprintf(stderr, "read_job: %s\n", hlsim_last_error_detail());
				bad_rows++;
				break;
			}
			ROW_EQ(jb.cs_index, i);
			ROW_EQ(jb.cb_handle, ej.cb_handle);
			ROW_EQ(jb.queue_id, ej.queue_id);
			ROW_EQ(jb.cb_size, ej.cb_size);
			ROW_EQ(jb.chunk_flags, ej.chunk_flags);
			ROW_EQ(jb.phase, ej.phase);
			if (k == UINT64_MAX) {
				ROW_EQ(jb.blob_id, HLSIM_TRACE_NO_BLOB);
				continue;
			}
			ROW_EQ(jb.blob_id, id_of(ids, k));
			/* the bytes, for the first CSs (later ones hit the same contents) */
			if (i >= 2000)
				continue;
			if (hlsim_trace_blob_get(t, dev, jb.blob_id, &b) != HLSIM_OK) {
				fprintf(stderr, "blob_get: %s\n", hlsim_last_error_detail());
				bad_rows++;
				continue;
			}
			fix_blob(dev, k, buf, &size);
			ROW_EQ(b->size, size);
			ROW_EQ(b->id, jb.blob_id);
			ROW_EQ(b->size == size && !memcmp(b->bytes, buf, size), 1);
			hlsim_trace_blob_put(t, b);
		}
		first_job += c.num_jobs;
	}
	/* random access after sequential access agrees */
	for (i = 0; i < 2000 && s->cs; i++) {
		uint64_t r = (i * 2654435761u) % s->cs;

		fix_cs(dev, r, &e);
		if (hlsim_trace_read_cs(t, dev, r, &c) != HLSIM_OK) {
			bad_rows++;
			break;
		}
		ROW_EQ(c.seq, e.seq);
		ROW_EQ(c.submit_ns, e.submit_ns);
		if (c.num_jobs) {
			fix_job(dev, r, 0, &ej);
			if (hlsim_trace_read_job(t, dev, c.first_job, &jb) != HLSIM_OK) {
				bad_rows++;
				break;
			}
			ROW_EQ(jb.cb_handle, ej.cb_handle);
			ROW_EQ(jb.cs_index, r);
		}
	}
}

static void check_other_tables(hlsim_trace_t *t, uint32_t dev, const struct fix_shape *s,
			       struct id_map *ids)
{
	struct hlsim_trace_host_map hm, ehm;
	struct hlsim_trace_annotation a, ea;
	struct hlsim_trace_wait w, ew;
	struct hlsim_trace_mem m, em, img;
	uint64_t i, off;

	for (i = 0; i < s->host_maps; i++) {
		fix_host_map(dev, i, &ehm);
		if (hlsim_trace_read_host_map(t, dev, i, &hm) != HLSIM_OK) {
			bad_rows++;
			break;
		}
		ROW_EQ(hm.device_va, ehm.device_va);
		ROW_EQ(hm.host_va, ehm.host_va);
		ROW_EQ(hm.size, ehm.size);
		ROW_EQ(hm.map_ns, ehm.map_ns);
		ROW_EQ(hm.unmap_ns, ehm.unmap_ns);
	}
	for (i = 0; i < s->waits; i++) {
		fix_wait(dev, i, &ew);
		if (hlsim_trace_read_wait(t, dev, i, &w) != HLSIM_OK) {
			bad_rows++;
			break;
		}
		ROW_EQ(w.seq, ew.seq);
		ROW_EQ(w.timeout_us, ew.timeout_us);
		ROW_EQ(w.enter_ns, ew.enter_ns);
		ROW_EQ(w.exit_ns, ew.exit_ns);
		ROW_EQ(w.timestamp_ns, ew.timestamp_ns);
		ROW_EQ(w.status, ew.status);
		ROW_EQ(w.flags, ew.flags);
		ROW_EQ(w.out_flags, ew.out_flags);
		ROW_EQ(w.cs_completion_map, ew.cs_completion_map);
		ROW_EQ(w.rc, ew.rc);
	}
	for (i = 0; i < s->annotations; i++) {
		fix_annotation(dev, i, &ea);
		if (hlsim_trace_read_annotation(t, dev, i, &a) != HLSIM_OK) {
			bad_rows++;
			break;
		}
		ROW_EQ(a.cs_seq, ea.cs_seq);
		ROW_EQ(a.queue_id, ea.queue_id);
		ROW_EQ(strcmp(a.key, ea.key), 0);
		ROW_EQ(strcmp(a.value, ea.value), 0);
	}
	/* mem rows come back through mem_find: each image is found at its own from_cs */
	for (i = 0; i < s->mem; i++) {
		fix_mem(dev, i, &em);
		em.blob_id = id_of(ids, 1 + i % (FIX_POOL - 1));
		if (hlsim_trace_mem_find(t, dev, em.addr, em.size, em.from_cs, &img, &off) !=
		    HLSIM_OK) {
			fprintf(stderr, "mem_find: %s\n", hlsim_last_error_detail());
			bad_rows++;
			continue;
		}
		m = img;
		ROW_EQ(m.addr, em.addr);
		ROW_EQ(m.size, em.size);
		ROW_EQ(m.from_cs, em.from_cs);
		ROW_EQ(m.blob_id, em.blob_id);
		ROW_EQ(off, 0);
	}
}

static void check_trace(const char *path)
{
	struct hlsim_trace_counts n;
	struct hlsim_trace_cs c;
	hlsim_trace_t *t = NULL;
	uint32_t dev;
	uint64_t jobs, i;

	CHECK(hlsim_trace_open(path, &t) == HLSIM_OK);
	if (!t) {
		fprintf(stderr, "open: %s\n", hlsim_last_error_detail());
		return;
	}
	CHECK(!strcmp(hlsim_trace_path(t), path));
	CHECK(!strcmp(hlsim_trace_generator(t), "trcfix test trace"));
	CHECK_EQ_U64(hlsim_trace_version_minor(t), HLSIM_TRACE_VERSION_MINOR);
	CHECK_EQ_U64(hlsim_trace_num_devices(t), 3);
	CHECK(hlsim_trace_device_info(t, 3) == NULL);
	for (dev = 0; dev < 3; dev++) {
		const struct fix_shape *s = &shapes[dev];
		struct id_map ids;

		for (i = 0; i < FIX_POOL; i++)
			ids.id[i] = UINT64_MAX;
		ids.next = 0;
		check_device_info(dev, hlsim_trace_device_info(t, dev));
		CHECK(hlsim_trace_counts(t, dev, &n) == HLSIM_OK);
		for (jobs = 0, i = 0; i < s->cs; i++)
			jobs += fix_num_jobs(s, i);
		CHECK_EQ_U64(n.cs, s->cs);
		CHECK_EQ_U64(n.jobs, jobs);
		CHECK_EQ_U64(n.mem, s->mem);
		CHECK_EQ_U64(n.host_maps, s->host_maps);
		CHECK_EQ_U64(n.waits, s->waits);
		CHECK_EQ_U64(n.annotations, s->annotations);
		bad_rows = 0;
		check_cs_jobs(t, dev, s, &ids);
		check_other_tables(t, dev, s, &ids);
		CHECK_EQ_U64(bad_rows, 0);
		/* every content was seen, so the blob count is the distinct count */
		CHECK_EQ_U64(n.blobs, ids.next);
	}
	CHECK_EQ_U64(n.blobs, 0); /* device 2 */
	/* an index past the end is E_INVAL, and so is a device past the end */
	CHECK(hlsim_trace_read_cs(t, 0, shapes[0].cs, &c) == HLSIM_E_INVAL);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "/device0/cs");
	CHECK(hlsim_trace_read_cs(t, 3, 0, &c) == HLSIM_E_INVAL);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "device 3");
	hlsim_trace_close(t);
}

/* Byte-compare two files. */
static int same_bytes(const char *a, const char *b)
{
	FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
	int ca, cb, same = fa && fb;

	while (same) {
		ca = getc(fa);
		cb = getc(fb);
		if (ca != cb)
			same = 0;
		if (ca == EOF || cb == EOF)
			break;
	}
	if (fa)
		fclose(fa);
	if (fb)
		fclose(fb);
	return same;
}

int main(void)
{
	const char *a = "test_trace_roundtrip_a.h5", *b = "test_trace_roundtrip_b.h5";

	CHECK(fix_write(a, shapes, 3) == 0);
	check_trace(a);
	/* determinism: the same input gives the same bytes */
	CHECK(fix_write(b, shapes, 3) == 0);
	CHECK(same_bytes(a, b));
	printf("trace of %" PRIu64 "+%" PRIu64 " CS rows: %lld bytes\n", shapes[0].cs,
	       shapes[1].cs, fix_file_size(a));
	remove(a);
	remove(b);
	hlsim_trace_close(NULL);
	CHECK(hlsim_trace_writer_close(NULL) == HLSIM_OK);
	return check_summary();
}
