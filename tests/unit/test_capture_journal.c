/*
 * tests/unit/test_capture_journal.c - the capture journal (traces/interposer/journal.c):
 * a journal built with the record builder (device, USERPTR map, a CS with a kernel CB, an
 * internal CB and a CP_DMA image, a refused CS, WAIT_CS, unmap, close, END) becomes the
 * expected trace; cut at EVERY byte position it still finishes into a valid trace of its
 * complete records with the dropped bytes reported; a flipped byte stops reading at its
 * record; a record whose checksum holds but whose payload is short, a foreign file, a
 * wrong version and a missing file are errors naming the file and byte; zeros after the
 * records (space the writers allocated ahead) end the data, zeros in the middle stop it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <misc/habanalabs.h>

#include "hlsim/trace.h"
#include "tests/unit/check.h"
#include "traces/interposer/journal.h"

#define J_PATH "capture_journal.jnl"
#define J_CUT "capture_journal_cut.jnl"
#define T_PATH "capture_journal.h5"
#define MAX_RECS 32

static uint8_t file[1 << 16];
static size_t file_len;
static size_t rec_end[MAX_RECS]; /* byte after each record */
static uint32_t rec_type[MAX_RECS];
static unsigned int nrecs;

static void append(struct trc_jnl_buf *b, uint32_t type)
{
	CHECK(!trc_jnl_end(b));
	CHECK(file_len + b->len <= sizeof(file));
	memcpy(file + file_len, b->p, b->len);
	file_len += b->len;
	rec_type[nrecs] = type;
	rec_end[nrecs++] = file_len;
}

static void put_device(struct trc_jnl_buf *b)
{
	struct hl_info_hw_ip_info hw;

	memset(&hw, 0, sizeof(hw));
	hw.device_id = 0x1000;
	hw.sram_base_address = 0x7FF0000080ull;
	hw.sram_size = 20971392;
	hw.dram_base_address = 0x20000000;
	hw.dram_page_size = 2u << 20;
	snprintf((char *)hw.card_name, sizeof(hw.card_name), "HL205");
	trc_jnl_begin(b, TRC_JNL_DEVICE);
	trc_jnl_put_u32(b, 0); /* minor */
	trc_jnl_put_u32(b, 1); /* misc node */
	trc_jnl_put_u64(b, 1000);
	trc_jnl_put_u64(b, 900);
	trc_jnl_put_u32(b, 0);
	trc_jnl_put_u32(b, 0);
	trc_jnl_put_u32(b, 0);
	trc_jnl_put_u32(b, sizeof(hw));
	trc_jnl_put_bytes(b, &hw, sizeof(hw));
	trc_jnl_put_u32(b, 1950);
	trc_jnl_put_u32(b, 2200);
	trc_jnl_put_u64(b, 12345);
	trc_jnl_put_u64(b, 900);
	append(b, TRC_JNL_DEVICE);
}

static void put_mem_ioctl(struct trc_jnl_buf *b, uint32_t op, uint64_t host, uint64_t size,
			  uint64_t dva, int64_t t)
{
	union hl_mem_args in, out;

	memset(&in, 0, sizeof(in));
	memset(&out, 0, sizeof(out));
	in.in.op = op;
	if (op == HL_MEM_OP_MAP) {
		in.in.flags = HL_MEM_USERPTR;
		in.in.map_host.host_virt_addr = host;
		in.in.map_host.mem_size = size;
		out.out.device_virt_addr = dva;
	} else {
		in.in.unmap.device_virt_addr = dva;
	}
	trc_jnl_begin(b, TRC_JNL_IOCTL);
	trc_jnl_put_u32(b, 3);
	trc_jnl_put_u32(b, 0);
	trc_jnl_put_u64(b, HL_IOCTL_MEMORY);
	trc_jnl_put_u32(b, 0);
	trc_jnl_put_u32(b, 0);
	trc_jnl_put_u64(b, (uint64_t)t - 5);
	trc_jnl_put_u64(b, (uint64_t)t);
	trc_jnl_put_u32(b, sizeof(in));
	trc_jnl_put_bytes(b, &in, sizeof(in));
	trc_jnl_put_bytes(b, &out, sizeof(out));
	trc_jnl_put_u32(b, 0);
	append(b, TRC_JNL_IOCTL);
}

static const uint8_t cb_ext[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
static const uint8_t cb_int[24] = { 0xA0, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7,
				    0xA8, 0xA9, 0xAA, 0xAB, 0xAC, 0xAD, 0xAE, 0xAF,
				    0xB0, 0xB1, 0xB2, 0xB3, 0xB4, 0xB5, 0xB6, 0xB7 };
static const uint8_t img[8] = { 0xC0, 0xC1, 0xC2, 0xC3, 0xC4, 0xC5, 0xC6, 0xC7 };

/* A CS: two chunks (kernel CB on DMA_0_0, internal CB at a device VA on DMA_2_0). */
static void put_cs(struct trc_jnl_buf *b, int32_t rc, uint64_t seq)
{
	union hl_cs_args in, out;
	struct hl_cs_chunk ch[2];

	memset(&in, 0, sizeof(in));
	memset(&out, 0, sizeof(out));
	memset(ch, 0, sizeof(ch));
	in.in.num_chunks_execute = 2;
	in.in.cs_flags = HL_CS_FLAGS_TIMESTAMP;
	in.in.timeout = 7;
	out.out.seq = seq;
	ch[0].cb_handle = 0x1000000000001000ull;
	ch[0].queue_index = 0;
	ch[0].cb_size = sizeof(cb_ext);
	ch[1].cb_handle = 0x1000000000000100ull;
	ch[1].queue_index = 9;
	ch[1].cb_size = sizeof(cb_int);
	trc_jnl_begin(b, TRC_JNL_CS);
	trc_jnl_put_u32(b, 3);
	trc_jnl_put_u32(b, 0);
	trc_jnl_put_u64(b, HL_IOCTL_CS);
	trc_jnl_put_u32(b, (uint32_t)rc);
	trc_jnl_put_u32(b, 0); /* the program's flags */
	trc_jnl_put_u64(b, 5000);
	trc_jnl_put_u64(b, 5100);
	trc_jnl_put_u32(b, sizeof(in));
	trc_jnl_put_bytes(b, &in, sizeof(in));
	trc_jnl_put_bytes(b, &out, sizeof(out));
	trc_jnl_put_u32(b, 0);
	trc_jnl_put_u32(b, 2);
	trc_jnl_put_bytes(b, &ch[0], sizeof(ch[0]));
	trc_jnl_put_u32(b, sizeof(cb_ext));
	trc_jnl_put_bytes(b, cb_ext, sizeof(cb_ext));
	trc_jnl_put_bytes(b, &ch[1], sizeof(ch[1]));
	trc_jnl_put_u32(b, sizeof(cb_int));
	trc_jnl_put_bytes(b, cb_int, sizeof(cb_int));
	trc_jnl_put_u32(b, 2);
	trc_jnl_put_u64(b, ch[1].cb_handle);
	trc_jnl_put_u32(b, sizeof(cb_int));
	trc_jnl_put_u32(b, 1);
	trc_jnl_put_bytes(b, cb_int, sizeof(cb_int));
	trc_jnl_put_u64(b, 0x1000000000000800ull);
	trc_jnl_put_u32(b, sizeof(img));
	trc_jnl_put_u32(b, 2);
	trc_jnl_put_bytes(b, img, sizeof(img));
	append(b, TRC_JNL_CS);
}

static void put_wait(struct trc_jnl_buf *b)
{
	union hl_wait_cs_args in, out;

	memset(&in, 0, sizeof(in));
	memset(&out, 0, sizeof(out));
	in.in.seq = 1;
	in.in.timeout_us = 1000000;
	out.out.status = HL_WAIT_CS_STATUS_COMPLETED;
	out.out.flags = HL_WAIT_CS_STATUS_FLAG_TIMESTAMP_VLD;
	out.out.timestamp_nsec = 6000;
	trc_jnl_begin(b, TRC_JNL_WAIT);
	trc_jnl_put_u32(b, 3);
	trc_jnl_put_u32(b, 0);
	trc_jnl_put_u64(b, HL_IOCTL_WAIT_CS);
	trc_jnl_put_u32(b, 0);
	trc_jnl_put_u32(b, 0);
	trc_jnl_put_u64(b, 5200);
	trc_jnl_put_u64(b, 6100);
	trc_jnl_put_u32(b, sizeof(in));
	trc_jnl_put_bytes(b, &in, sizeof(in));
	trc_jnl_put_bytes(b, &out, sizeof(out));
	trc_jnl_put_u32(b, 0);
	append(b, TRC_JNL_WAIT);
}

static void build(void)
{
	struct trc_jnl_buf b = { 0 };

	trc_jnl_header(file);
	file_len = TRC_JNL_HEADER_BYTES;
	put_device(&b);
	put_mem_ioctl(&b, HL_MEM_OP_MAP, 0x7f0000000000ull, 8192, 0x1000000000000000ull, 2000);
	put_mem_ioctl(&b, HL_MEM_OP_MAP, 0x7f0000100000ull, 4096, 0x1000000002000000ull, 2100);
	put_cs(&b, -EINVAL, 0); /* refused: not a trace row */
	put_cs(&b, 0, 1);
	put_wait(&b);
	put_mem_ioctl(&b, HL_MEM_OP_UNMAP, 0, 0, 0x1000000000000000ull, 7000);
	trc_jnl_begin(&b, TRC_JNL_CLOSE);
	trc_jnl_put_u32(&b, 3);
	trc_jnl_put_u32(&b, 1);
	trc_jnl_put_u32(&b, 0);
	trc_jnl_put_u32(&b, 1);
	trc_jnl_put_u64(&b, 8000);
	append(&b, TRC_JNL_CLOSE);
	trc_jnl_begin(&b, TRC_JNL_END);
	trc_jnl_put_u64(&b, 9000);
	append(&b, TRC_JNL_END);
	trc_jnl_free(&b);
}

static void write_file(const char *path, const uint8_t *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	CHECK(f != NULL);
	if (!f)
		return;
	CHECK(fwrite(p, 1, n, f) == n);
	fclose(f);
}

static int blob_equals(hlsim_trace_t *t, uint64_t id, const uint8_t *want, size_t n)
{
	const struct hlsim_blob *bl;
	int eq;

	if (hlsim_trace_blob_get(t, 0, id, &bl))
		return 0;
	eq = bl->size == n && !memcmp(bl->bytes, want, n);
	hlsim_trace_blob_put(t, bl);
	return eq;
}

/* The whole journal: every field where it belongs. */
static void test_full(void)
{
	struct trc_jnl_stats st;
	struct hlsim_trace_counts c;
	struct hlsim_trace_cs cs;
	struct hlsim_trace_job j;
	struct hlsim_trace_wait w;
	struct hlsim_trace_host_map hm;
	struct hlsim_trace_mem m;
	const struct hlsim_trace_device *d;
	hlsim_trace_t *t = NULL;
	uint64_t off;

	write_file(J_PATH, file, file_len);
	CHECK(!trc_jnl_finish(J_PATH, T_PATH, &st));
	CHECK_EQ_U64(st.records, nrecs);
	CHECK_EQ_U64(st.kept_bytes, file_len);
	CHECK_EQ_U64(st.dropped_bytes, 0);
	CHECK_EQ_U64(st.cs, 2);
	CHECK_EQ_U64(st.cs_ok, 1);
	CHECK_EQ_U64(st.waits, 1);
	CHECK_EQ_U64(st.images, 2);
	CHECK(st.ended);
	CHECK_STR_CONTAINS(st.stop, "end of file");
	CHECK(!hlsim_trace_open(T_PATH, &t));
	if (!t)
		return;
	CHECK_EQ_U64(hlsim_trace_num_devices(t), 1);
	d = hlsim_trace_device_info(t, 0);
	CHECK(!strcmp(d->asic, "gaudi"));
	CHECK(!strcmp(d->card_name, "HL205"));
	CHECK_EQ_U64(d->cur_clk_rate_mhz, 1950);
	CHECK_EQ_U64(d->max_clk_rate_mhz, 2200);
	CHECK_EQ_U64(d->clock_monotonic_ns, 1000);
	CHECK_EQ_U64(d->clock_monotonic_raw_ns, 900);
	CHECK_EQ_U64(d->time_sync_device_time, 12345);
	CHECK(!hlsim_trace_counts(t, 0, &c));
	CHECK_EQ_U64(c.cs, 1);
	CHECK_EQ_U64(c.jobs, 2);
	CHECK_EQ_U64(c.waits, 1);
	CHECK_EQ_U64(c.mem, 2);
	CHECK_EQ_U64(c.host_maps, 2);
	CHECK(!hlsim_trace_read_cs(t, 0, 0, &cs));
	CHECK_EQ_U64(cs.seq, 1);
	CHECK_EQ_U64(cs.flags, 0);
	CHECK_EQ_U64(cs.submit_ns, 5000);
	CHECK_EQ_U64(cs.return_ns, 5100);
	CHECK_EQ_U64(cs.timeout_s, 7);
	CHECK(!hlsim_trace_read_job(t, 0, 0, &j));
	CHECK_EQ_U64(j.queue_id, 0);
	CHECK(blob_equals(t, j.blob_id, cb_ext, sizeof(cb_ext)));
	CHECK(!hlsim_trace_read_job(t, 0, 1, &j));
	CHECK_EQ_U64(j.queue_id, 9);
	CHECK_EQ_U64(j.phase, HLSIM_PHASE_EXECUTE);
	CHECK(blob_equals(t, j.blob_id, cb_int, sizeof(cb_int)));
	CHECK(!hlsim_trace_mem_find(t, 0, 0x1000000000000800ull, 8, 0, &m, &off));
	CHECK(blob_equals(t, m.blob_id, img, sizeof(img)));
	CHECK(!hlsim_trace_read_wait(t, 0, 0, &w));
	CHECK_EQ_U64(w.seq, 1);
	CHECK_EQ_U64(w.timestamp_ns, 6000);
	CHECK_EQ_U64(w.out_flags, HL_WAIT_CS_STATUS_FLAG_TIMESTAMP_VLD);
	CHECK_EQ_U64(w.enter_ns, 5200);
	/* the first map ended at UNMAP, the second at the last close */
	CHECK(!hlsim_trace_read_host_map(t, 0, 0, &hm));
	CHECK_EQ_U64(hm.device_va, 0x1000000000000000ull);
	CHECK_EQ_U64(hm.unmap_ns, 7000);
	CHECK(!hlsim_trace_read_host_map(t, 0, 1, &hm));
	CHECK_EQ_U64(hm.host_va, 0x7f0000100000ull);
	CHECK_EQ_U64(hm.map_ns, 2100);
	CHECK_EQ_U64(hm.unmap_ns, 8000);
	hlsim_trace_close(t);
}

/* Cut at every byte: complete records kept, the rest dropped, always a valid trace. */
static void test_cuts(void)
{
	size_t cut, kept;
	unsigned int i, whole, bad = 0;

	for (cut = 0; cut <= file_len; cut++) {
		struct trc_jnl_stats st;
		struct hlsim_trace_counts c = { 0 };
		hlsim_trace_t *t = NULL;
		uint64_t want_cs = 0, want_waits = 0;
		hlsim_err_t rc;

		write_file(J_CUT, file, cut);
		whole = 0;
		kept = cut < TRC_JNL_HEADER_BYTES ? 0 : TRC_JNL_HEADER_BYTES;
		for (i = 0; i < nrecs && rec_end[i] <= cut; i++) {
			whole++;
			kept = rec_end[i];
			want_cs += rec_type[i] == TRC_JNL_CS && i > 3; /* the second CS succeeded */
			want_waits += rec_type[i] == TRC_JNL_WAIT;
		}
		rc = trc_jnl_finish(J_CUT, T_PATH, &st);
		if (rc || st.records != whole || st.kept_bytes != kept ||
		    st.dropped_bytes != cut - kept || st.ended != (whole == nrecs)) {
			if (bad++ < 5)
				fprintf(stderr, "cut at %zu: rc %d, %llu records (want %u), "
						"kept %llu (want %zu), dropped %llu, stop '%s'\n",
					cut, rc, (unsigned long long)st.records, whole,
					(unsigned long long)st.kept_bytes, kept,
					(unsigned long long)st.dropped_bytes, st.stop);
			continue;
		}
		if (hlsim_trace_open(T_PATH, &t)) {
			bad++;
			continue;
		}
		if (hlsim_trace_num_devices(t) == 1 && !hlsim_trace_counts(t, 0, &c)) {
			if (c.cs != want_cs || c.waits != want_waits || c.jobs != 2 * want_cs)
				bad++;
		} else if (whole > 0 || hlsim_trace_num_devices(t) != 0) {
			bad++;
		}
		hlsim_trace_close(t);
	}
	CHECK_EQ_U64(bad, 0);
	fprintf(stderr, "cut at all %zu positions: every complete record kept\n", file_len + 1);
}

static void test_corrupt(void)
{
	static uint8_t copy[sizeof(file)];
	struct trc_jnl_stats st;
	struct trc_jnl_buf b = { 0 };
	size_t at;
	hlsim_err_t rc;

	/* a flipped byte inside record 4 (the successful CS): records 0..3 kept */
	memcpy(copy, file, file_len);
	at = rec_end[3] + 40;
	copy[at] ^= 0x5A;
	write_file(J_CUT, copy, file_len);
	CHECK(!trc_jnl_finish(J_CUT, T_PATH, &st));
	CHECK_EQ_U64(st.records, 4);
	CHECK_EQ_U64(st.kept_bytes, rec_end[3]);
	CHECK_EQ_U64(st.dropped_bytes, file_len - rec_end[3]);
	CHECK_STR_CONTAINS(st.stop, "checksum mismatch");
	/* a length field corrupted to a huge value */
	memcpy(copy, file, file_len);
	copy[rec_end[2] + 7] = 0xFF;
	write_file(J_CUT, copy, file_len);
	CHECK(!trc_jnl_finish(J_CUT, T_PATH, &st));
	CHECK_EQ_U64(st.records, 3);
	CHECK_STR_CONTAINS(st.stop, "cut short");
	/* checksum right, payload too short for a CS: an error naming the byte */
	memcpy(copy, file, rec_end[0]);
	trc_jnl_begin(&b, TRC_JNL_CS);
	trc_jnl_put_u32(&b, 3);
	CHECK(!trc_jnl_end(&b));
	memcpy(copy + rec_end[0], b.p, b.len);
	write_file(J_CUT, copy, rec_end[0] + b.len);
	rc = trc_jnl_finish(J_CUT, T_PATH, &st);
	CHECK(rc == HLSIM_E_TRACE_FORMAT);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "CS record at byte");
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), J_CUT);
	/* a CS before any DEVICE record */
	memcpy(copy, file, TRC_JNL_HEADER_BYTES);
	memcpy(copy + TRC_JNL_HEADER_BYTES, file + rec_end[3], rec_end[4] - rec_end[3]);
	write_file(J_CUT, copy, TRC_JNL_HEADER_BYTES + rec_end[4] - rec_end[3]);
	rc = trc_jnl_finish(J_CUT, T_PATH, &st);
	CHECK(rc == HLSIM_E_TRACE_FORMAT);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "before its DEVICE record");
	trc_jnl_free(&b);
	/* not a journal; another version; missing */
	write_file(J_CUT, (const uint8_t *)"HDF5 and other things", 21);
	CHECK(trc_jnl_finish(J_CUT, T_PATH, &st) == HLSIM_E_TRACE_FORMAT);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "not an hlsim capture journal");
	memcpy(copy, file, file_len);
	copy[8] = 1; /* version 1: records appended by write(2), a 16-byte header */
	write_file(J_CUT, copy, file_len);
	CHECK(trc_jnl_finish(J_CUT, T_PATH, &st) == HLSIM_E_TRACE_FORMAT);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "journal version 1");
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "reads version 2 only");
	write_file(J_CUT, copy, 12); /* even cut short after the version */
	CHECK(trc_jnl_finish(J_CUT, T_PATH, &st) == HLSIM_E_TRACE_FORMAT);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "journal version 1");
	memcpy(copy, file, file_len);
	copy[13] ^= 1; /* the header's checksum */
	write_file(J_CUT, copy, file_len);
	CHECK(trc_jnl_finish(J_CUT, T_PATH, &st) == HLSIM_E_TRACE_FORMAT);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "header checksum");
	CHECK(trc_jnl_finish("no/such/journal", T_PATH, &st) == HLSIM_E_IO);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "no/such/journal");
}

/*
 * Writers allocate the file ahead and reserve record space before filling it: zeros after
 * the last record are the end of the data (neither kept nor dropped), at any length and
 * also within a record header's 8 bytes; record space left zero (its writer killed) with
 * other records after it stops the reading there, the rest dropped. The append offset in
 * the header is the writers' business: any value reads the same.
 */
static void test_zero_tail(void)
{
	static uint8_t copy[sizeof(file) + 9000];
	static const size_t tails[] = { 1, 7, 8, 9, 4096, 9000 };
	struct trc_jnl_stats st;
	size_t i;

	for (i = 0; i < sizeof(tails) / sizeof(tails[0]); i++) {
		memcpy(copy, file, file_len);
		memset(copy + file_len, 0, tails[i]);
		copy[TRC_JNL_APPEND_AT + 3] = 0x77; /* a stale or foreign append offset */
		write_file(J_CUT, copy, file_len + tails[i]);
		CHECK(!trc_jnl_finish(J_CUT, T_PATH, &st));
		CHECK_EQ_U64(st.records, nrecs);
		CHECK(st.ended);
		CHECK_EQ_U64(st.kept_bytes, file_len);
		CHECK_EQ_U64(st.dropped_bytes, 0);
		CHECK_EQ_U64(st.zero_tail_bytes, tails[i]);
		CHECK_STR_CONTAINS(st.stop, "zero-filled tail");
	}
	/* record 4's space zeroed (never written), records 5.. after it: dropped */
	memcpy(copy, file, file_len);
	memset(copy + rec_end[3], 0, rec_end[4] - rec_end[3]);
	write_file(J_CUT, copy, file_len);
	CHECK(!trc_jnl_finish(J_CUT, T_PATH, &st));
	CHECK_EQ_U64(st.records, 4);
	CHECK_EQ_U64(st.kept_bytes, rec_end[3]);
	CHECK_EQ_U64(st.dropped_bytes, file_len - rec_end[3]);
	CHECK_EQ_U64(st.zero_tail_bytes, 0);
	CHECK_STR_CONTAINS(st.stop, "reserved but never written");
	/* only its header written so far: a checksum mismatch, as any torn record */
	memcpy(copy, file, file_len);
	memset(copy + rec_end[3] + 8, 0, rec_end[4] - rec_end[3] - 8);
	write_file(J_CUT, copy, rec_end[4] + 100);
	CHECK(!trc_jnl_finish(J_CUT, T_PATH, &st));
	CHECK_EQ_U64(st.records, 4);
	CHECK_STR_CONTAINS(st.stop, "checksum mismatch");
}

/* The instruction and the tables agree at every length and alignment, and continued. */
static void test_crc_agree(void)
{
	static uint8_t buf[4096 + 16];
	uint32_t x = 777, bad = 0;
	size_t i, n, at;

	for (i = 0; i < sizeof(buf); i++) {
		x = x * 1664525u + 1013904223u;
		buf[i] = (uint8_t)(x >> 24);
	}
	for (n = 0; n <= 300; n++)
		for (at = 0; at < 9; at++)
			bad += trc_jnl_crc32(0, buf + at, n) != trc_jnl_crc32_tables(0, buf + at, n);
	bad += trc_jnl_crc32(0, buf, 4096) != trc_jnl_crc32_tables(0, buf, 4096);
	bad += trc_jnl_crc32(trc_jnl_crc32(0, buf, 13), buf + 13, 4000) !=
	       trc_jnl_crc32_tables(0, buf, 4013);
	CHECK_EQ_U64(bad, 0);
}

int main(void)
{
	/* CRC-32C check value of "123456789", by the instruction (if any) and the tables */
	CHECK_EQ_U64(trc_jnl_crc32(0, "123456789", 9), 0xE3069283u);
	CHECK_EQ_U64(trc_jnl_crc32_tables(0, "123456789", 9), 0xE3069283u);
	test_crc_agree();
	CHECK_EQ_U64(trc_jnl_cmd_of(HL_IOCTL_CS), 3);
	CHECK_EQ_U64(trc_jnl_cmd_of(_IOWR('d', 0x43, union hl_wait_cs_args)), 4);
	CHECK_EQ_U64(trc_jnl_cmd_of(_IOWR('d', 0x00, int)), 0);
	build();
	test_full();
	test_cuts();
	test_corrupt();
	test_zero_tail();
	unlink(J_PATH);
	unlink(J_CUT);
	unlink(T_PATH);
	return check_summary();
}
