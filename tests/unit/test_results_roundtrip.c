/*
 * tests/unit/test_results_roundtrip.c - results format v1: units, counters, a
 * timeline of more than three chunks, run info and the configuration text are
 * written and read back field by field, through small windowed reads and big direct
 * ones; the writer refuses bad rows; a results file that is wrong in the ways a
 * reader can detect gives HLSIM_E_TRACE_FORMAT with the object named.
 */
#include <hdf5.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hlsim/results.h"
#include "tests/unit/check.h"
#include "tests/unit/trcfix.h"

enum { NUNITS = 300, NRECS = 50000 };

static const char *config_text = "[asic]\nname = gaudi\n\n[hbm]\nbandwidth = 2.45TB/s\n"
				 "; a comment with \"quotes\" and unicode-free text\n";

static void make_unit(uint32_t i, struct hlsim_unit *u)
{
	memset(u, 0, sizeof(*u));
	u->id = i;
	u->device = i / 100;
	u->kind = (uint8_t)(i % 4);
	if (i == 7)
		memset(u->name, 'N', sizeof(u->name) - 1); /* longest name */
	else
		snprintf(u->name, sizeof(u->name), "DMA_%u_%u", i / 4, i % 4);
	snprintf(u->engine_class, sizeof(u->engine_class), "%s", i % 2 ? "dma" : "host");
}

static void make_rec(uint64_t r, struct hlsim_rec *x)
{
	memset(x, 0, sizeof(*x));
	x->start_ps = r * 1000 + (r % 7);
	x->end_ps = x->start_ps + (r % 13) * 100;
	x->bytes = r * 64;
	x->cs_seq = r / 10;
	x->unit = (uint32_t)(r % NUNITS);
	x->job = (uint32_t)(r % 5);
	x->pkt_offset = (uint32_t)(r * 24 % 4096);
	x->kind = (uint16_t)(r % HLSIM_REC_KIND_COUNT_);
	x->aux = (uint16_t)(r * 31);
}

static void make_counters(uint32_t unit, struct hlsim_counters *c)
{
	memset(c, 0, sizeof(*c));
	c->unit = unit;
	c->busy_ps = unit * 1000000ULL + 1;
	c->fence_wait_ps = unit * 10ULL;
	c->barrier_wait_ps = unit * 20ULL;
	c->bytes = (uint64_t)unit << 32;
	c->packets = unit * 3ULL;
	c->jobs = unit;
}

static void make_info(struct hlsim_run_info *ri)
{
	memset(ri, 0, sizeof(*ri));
	snprintf(ri->hlsim_version, sizeof(ri->hlsim_version), "0.1.0");
	memset(ri->trace_path, 'p', sizeof(ri->trace_path) - 1); /* 511 characters */
	snprintf(ri->config_name, sizeof(ri->config_name), "gaudi_hl205");
	ri->simulated_time_ps = 123456789012345ULL;
	ri->wall_s = 1.25;
	ri->packets = 1000000;
	ri->activities = 2000000;
	ri->cs_count = 5000;
	ri->job_count = 20000;
	ri->peak_rss_bytes = 64ULL << 20;
}

static int write_results(const char *path)
{
	struct hlsim_counters c[NUNITS / 2];
	struct hlsim_rec batch[1000];
	struct hlsim_run_info ri;
	hlsim_results_writer_t *w;
	struct hlsim_unit u;
	uint64_t r;
	uint32_t i;
	int bad = 0;

	if (hlsim_results_create(path, &w))
		return -1;
	for (i = 0; i < NUNITS; i++) {
		make_unit(i, &u);
		bad |= hlsim_results_add_unit(w, &u) != HLSIM_OK;
	}
	/* uneven batches: 1000 rows, then single rows */
	for (r = 0; r < NRECS;) {
		size_t n = r % 3 ? 1 : 1000, k;

		if (n > NRECS - r)
			n = NRECS - r;
		for (k = 0; k < n; k++)
			make_rec(r + k, &batch[k]);
		bad |= hlsim_results_append(w, batch, n) != HLSIM_OK;
		r += n;
	}
	/* counters for the even units only */
	for (i = 0; i < NUNITS / 2; i++)
		make_counters(i * 2, &c[i]);
	bad |= hlsim_results_set_counters(w, c, NUNITS / 2) != HLSIM_OK;
	bad |= hlsim_results_set_config(w, config_text) != HLSIM_OK;
	make_info(&ri);
	bad |= hlsim_results_set_run_info(w, &ri) != HLSIM_OK;
	bad |= hlsim_results_writer_close(w) != HLSIM_OK;
	return bad ? -1 : 0;
}

static void test_roundtrip(const char *path)
{
	struct hlsim_run_info ri;
	const struct hlsim_run_info *got;
	struct hlsim_counters ec;
	struct hlsim_rec *buf, e;
	hlsim_results_t *r = NULL;
	uint64_t first, bad = 0;
	struct hlsim_unit eu;
	size_t n, i, k;

	CHECK(write_results(path) == 0);
	CHECK(hlsim_results_open(path, &r) == HLSIM_OK);
	if (!r) {
		fprintf(stderr, "open: %s\n", hlsim_last_error_detail());
		return;
	}
	CHECK_EQ_U64(hlsim_results_num_units(r), NUNITS);
	for (i = 0; i < NUNITS; i++) {
		const struct hlsim_unit *u = hlsim_results_unit(r, i);
		const struct hlsim_counters *c = hlsim_results_counters(r, i);

		make_unit((uint32_t)i, &eu);
		if (!u || u->id != eu.id || u->device != eu.device || u->kind != eu.kind ||
		    strcmp(u->name, eu.name) || strcmp(u->engine_class, eu.engine_class))
			bad++;
		if (i % 2) {
			if (c)
				bad++;
			continue;
		}
		make_counters((uint32_t)i, &ec);
		if (!c || c->unit != ec.unit || c->busy_ps != ec.busy_ps ||
		    c->fence_wait_ps != ec.fence_wait_ps ||
		    c->barrier_wait_ps != ec.barrier_wait_ps || c->bytes != ec.bytes ||
		    c->packets != ec.packets || c->jobs != ec.jobs)
			bad++;
	}
	CHECK_EQ_U64(bad, 0);
	CHECK(hlsim_results_unit(r, NUNITS) == NULL);
	CHECK(hlsim_results_counters(r, NUNITS) == NULL);
	got = hlsim_results_run_info(r);
	make_info(&ri);
	CHECK(!strcmp(got->hlsim_version, ri.hlsim_version));
	CHECK(!strcmp(got->trace_path, ri.trace_path));
	CHECK(!strcmp(got->config_name, ri.config_name));
	CHECK_EQ_U64(got->simulated_time_ps, ri.simulated_time_ps);
	CHECK(got->wall_s == ri.wall_s);
	CHECK_EQ_U64(got->packets, ri.packets);
	CHECK_EQ_U64(got->activities, ri.activities);
	CHECK_EQ_U64(got->cs_count, ri.cs_count);
	CHECK_EQ_U64(got->job_count, ri.job_count);
	CHECK_EQ_U64(got->peak_rss_bytes, ri.peak_rss_bytes);
	CHECK(!strcmp(hlsim_results_config(r), config_text));
	CHECK_EQ_U64(hlsim_results_num_records(r), NRECS);

	/* the timeline in reads of 7 rows (windowed), then 20000 rows (direct) */
	buf = malloc(20000 * sizeof(*buf));
	for (k = 0; k < 2; k++) {
		size_t step = k ? 20000 : 7;

		bad = 0;
		for (first = 0;; first += n) {
			CHECK(hlsim_results_read(r, first, buf, step, &n) == HLSIM_OK);
			if (n == 0)
				break;
			for (i = 0; i < n; i++) {
				make_rec(first + i, &e);
				if (buf[i].start_ps != e.start_ps || buf[i].end_ps != e.end_ps ||
				    buf[i].bytes != e.bytes || buf[i].cs_seq != e.cs_seq ||
				    buf[i].unit != e.unit || buf[i].job != e.job ||
				    buf[i].pkt_offset != e.pkt_offset || buf[i].kind != e.kind ||
				    buf[i].aux != e.aux)
					bad++;
			}
		}
		CHECK_EQ_U64(first, NRECS);
		CHECK_EQ_U64(bad, 0);
	}
	CHECK(hlsim_results_read(r, NRECS + 5, buf, 10, &n) == HLSIM_OK);
	CHECK_EQ_U64(n, 0);
	CHECK(hlsim_results_read(r, NRECS - 3, buf, 10, &n) == HLSIM_OK);
	CHECK_EQ_U64(n, 3);
	free(buf);
	hlsim_results_close(r);
	hlsim_results_close(NULL);
	printf("results with %d timeline rows: %lld bytes\n", NRECS, fix_file_size(path));
}

static void test_writer_errors(void)
{
	const char *path = "test_results_roundtrip_w.h5";
	struct hlsim_counters c[2];
	struct hlsim_run_info ri;
	hlsim_results_writer_t *w;
	struct hlsim_rec x;
	struct hlsim_unit u;

	CHECK(hlsim_results_create("no_such_dir/r.h5", &w) == HLSIM_E_IO);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "no_such_dir/r.h5");
	CHECK(hlsim_results_create(path, &w) == HLSIM_OK);
	make_unit(1, &u);
	CHECK(hlsim_results_add_unit(w, &u) == HLSIM_E_INVAL); /* id must be the row */
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "id 1 (ids are row indexes: expected 0)");
	make_unit(0, &u);
	u.kind = 9;
	CHECK(hlsim_results_add_unit(w, &u) == HLSIM_E_INVAL);
	make_unit(0, &u);
	memset(u.engine_class, 'x', sizeof(u.engine_class));
	CHECK(hlsim_results_add_unit(w, &u) == HLSIM_E_INVAL);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "field 'engine_class'");
	make_unit(0, &u);
	CHECK(hlsim_results_add_unit(w, &u) == HLSIM_OK);
	make_rec(1, &x);
	CHECK(hlsim_results_append(w, &x, 1) == HLSIM_E_INVAL); /* unit 1 is not added yet */
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "timeline row 0: unit 1 >= 1 units");
	make_rec(8, &x);
	x.unit = 0;
	x.end_ps = x.start_ps - 1;
	CHECK(hlsim_results_append(w, &x, 1) == HLSIM_E_INVAL);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "end_ps");
	x.end_ps = x.start_ps;
	x.kind = HLSIM_REC_KIND_COUNT_;
	CHECK(hlsim_results_append(w, &x, 1) == HLSIM_E_INVAL);
	make_counters(0, &c[0]);
	make_counters(0, &c[1]);
	CHECK(hlsim_results_set_counters(w, c, 2) == HLSIM_E_INVAL);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "counters row 1: unit 0 appears twice");
	make_info(&ri);
	memset(ri.config_name, 'c', sizeof(ri.config_name));
	CHECK(hlsim_results_set_run_info(w, &ri) == HLSIM_E_INVAL);
	/* closing without run info or config: the file is written but incomplete */
	CHECK(hlsim_results_writer_close(w) == HLSIM_E_INVAL);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "run_info was never set");
	CHECK(hlsim_results_writer_close(NULL) == HLSIM_OK);
	{
		hlsim_results_t *r = NULL;

		CHECK(hlsim_results_open(path, &r) == HLSIM_E_TRACE_FORMAT);
		CHECK_STR_CONTAINS(hlsim_last_error_detail(), "missing dataset /run_info");
		CHECK(r == NULL);
	}
	remove(path);
}

/* Damage a copy of a good results file with the HDF5 API. */
static void test_reader_errors(const char *good)
{
	const char *bad = "test_results_roundtrip_bad.h5";
	hlsim_results_t *r = NULL;
	struct hlsim_rec buf[8];
	FILE *in, *out;
	char cbuf[65536];
	size_t n;
	hid_t f, d, mt, fs, ms;
	hsize_t start = 5, count = 1;
	uint32_t big_unit = 5000;

	/* a copy with timeline row 5 naming a unit that does not exist */
	in = fopen(good, "rb");
	out = fopen(bad, "wb");
	while (in && out && (n = fread(cbuf, 1, sizeof(cbuf), in)) > 0)
		fwrite(cbuf, 1, n, out);
	fclose(in);
	fclose(out);
	f = H5Fopen(bad, H5F_ACC_RDWR, H5P_DEFAULT);
	d = H5Dopen2(f, "/timeline", H5P_DEFAULT);
	mt = H5Tcreate(H5T_COMPOUND, 4);
	H5Tinsert(mt, "unit", 0, H5T_NATIVE_UINT32);
	fs = H5Dget_space(d);
	ms = H5Screate_simple(1, &count, NULL);
	H5Sselect_hyperslab(fs, H5S_SELECT_SET, &start, NULL, &count, NULL);
	CHECK(H5Dwrite(d, mt, ms, fs, H5P_DEFAULT, &big_unit) >= 0);
	H5Sclose(ms);
	H5Sclose(fs);
	H5Tclose(mt);
	H5Dclose(d);
	H5Ldelete(f, "/config", H5P_DEFAULT);
	H5Fclose(f);
	CHECK(hlsim_results_open(bad, &r) == HLSIM_E_TRACE_FORMAT);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "missing dataset /config");
	f = H5Fopen(bad, H5F_ACC_RDWR, H5P_DEFAULT);
	{
		/* config written the way h5py writes a str: variable-length */
		hid_t t = H5Tcopy(H5T_C_S1), s = H5Screate(H5S_SCALAR);
		const char *txt = "[asic]\nname = gaudi\n";

		H5Tset_size(t, H5T_VARIABLE);
		d = H5Dcreate2(f, "/config", t, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
		H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, &txt);
		H5Dclose(d);
		H5Sclose(s);
		H5Tclose(t);
	}
	H5Fclose(f);
	CHECK(hlsim_results_open(bad, &r) == HLSIM_OK);
	if (r) {
		CHECK(!strcmp(hlsim_results_config(r), "[asic]\nname = gaudi\n"));
		CHECK(hlsim_results_read(r, 0, buf, 5, &n) == HLSIM_OK);
		CHECK_EQ_U64(n, 5);
		CHECK(hlsim_results_read(r, 0, buf, 8, &n) == HLSIM_E_TRACE_FORMAT);
		CHECK_STR_CONTAINS(hlsim_last_error_detail(), "/timeline row 5: unit 5000 (of "
							      "300)");
		hlsim_results_close(r);
	}
	/* truncated */
	CHECK(truncate(bad, fix_file_size(bad) / 3) == 0);
	CHECK(hlsim_results_open(bad, &r) == HLSIM_E_TRACE_FORMAT);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "truncated");
	remove(bad);
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
	const char *path = "test_results_roundtrip.h5", *again = "test_results_roundtrip_2.h5";

	test_roundtrip(path);
	/* determinism: the same input gives the same bytes */
	CHECK(write_results(again) == 0);
	CHECK(same_bytes(path, again));
	remove(again);
	test_writer_errors();
	test_reader_errors(path);
	remove(path);
	return check_summary();
}
