/*
 * tests/unit/test_trace_errors.c - every way a trace file can be wrong gives its
 * hlsim error and a detail naming the file and the object, never a crash: a missing
 * or unreadable file, a non-HDF5 file, a truncated copy, format "foo", major version
 * 2, a missing group, table or field, an identity without its row, a jobs row with a
 * bad blob id, a CS whose jobs run past the table, a blob past the end of cb_bytes or
 * with a wrong hash, a value out of range of its field. Files are damaged with the
 * HDF5 API directly. Also: what a reader must accept (unknown fields and datasets,
 * another minor version, h5py-style variable-length string attributes), and the
 * writer refusing bad rows with E_INVAL while staying usable.
 */
#include <hdf5.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hlsim/results.h"
#include "hlsim/trace.h"
#include "tests/unit/check.h"
#include "tests/unit/trcfix.h"
#include "traces/trc_h5.h"

static const char *good = "test_trace_errors_good.h5";
static const char *bad = "test_trace_errors_bad.h5";

static void copy_file(const char *src, const char *dst)
{
	FILE *in = fopen(src, "rb"), *out = fopen(dst, "wb");
	char buf[65536];
	size_t n;

	while (in && out && (n = fread(buf, 1, sizeof(buf), in)) > 0)
		fwrite(buf, 1, n, out);
	if (in)
		fclose(in);
	if (out)
		fclose(out);
}

/* Open (a fresh copy of the good trace as) the bad file for editing. */
static hid_t edit_copy(void)
{
	copy_file(good, bad);
	return H5Fopen(bad, H5F_ACC_RDWR, H5P_DEFAULT);
}

static void set_attr_str(hid_t loc, const char *name, const char *value, int vlen)
{
	hid_t t = H5Tcopy(H5T_C_S1), s = H5Screate(H5S_SCALAR), a;

	if (H5Aexists(loc, name) > 0)
		H5Adelete(loc, name);
	H5Tset_size(t, vlen ? H5T_VARIABLE : strlen(value) + 1);
	a = H5Acreate2(loc, name, t, s, H5P_DEFAULT, H5P_DEFAULT);
	if (vlen)
		H5Awrite(a, t, &value);
	else
		H5Awrite(a, t, value);
	H5Aclose(a);
	H5Sclose(s);
	H5Tclose(t);
}

static void set_attr_u32(hid_t loc, const char *name, uint32_t v)
{
	hid_t s = H5Screate(H5S_SCALAR), a;

	if (H5Aexists(loc, name) > 0)
		H5Adelete(loc, name);
	a = H5Acreate2(loc, name, H5T_STD_U32LE, s, H5P_DEFAULT, H5P_DEFAULT);
	H5Awrite(a, H5T_NATIVE_UINT32, &v);
	H5Aclose(a);
	H5Sclose(s);
}

/* Overwrite field @field (a u64) of row @row of dataset @dset. */
static void patch_u64(hid_t file, const char *dset, uint64_t row, const char *field, uint64_t v)
{
	hid_t d = H5Dopen2(file, dset, H5P_DEFAULT);
	hid_t mt = H5Tcreate(H5T_COMPOUND, sizeof(uint64_t));
	hid_t fs = H5Dget_space(d);
	hsize_t start = row, count = 1;
	hid_t ms = H5Screate_simple(1, &count, NULL);

	H5Tinsert(mt, field, 0, H5T_NATIVE_UINT64);
	H5Sselect_hyperslab(fs, H5S_SELECT_SET, &start, NULL, &count, NULL);
	CHECK(H5Dwrite(d, mt, ms, fs, H5P_DEFAULT, &v) >= 0);
	H5Sclose(ms);
	H5Sclose(fs);
	H5Tclose(mt);
	H5Dclose(d);
}

/* Open @path expecting @want and a detail containing @a and @b. */
static void expect_open(const char *path, hlsim_err_t want, const char *a, const char *b)
{
	hlsim_trace_t *t = NULL;
	hlsim_err_t rc;

	hlsim_clear_error();
	rc = hlsim_trace_open(path, &t);
	CHECK_EQ_U64(rc, want);
	CHECK(t == NULL);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), a);
	if (b)
		CHECK_STR_CONTAINS(hlsim_last_error_detail(), b);
	if (rc != want)
		fprintf(stderr, "  (detail: %s)\n", hlsim_last_error_detail());
	hlsim_trace_close(t);
}

static void test_files(void)
{
	struct hlsim_trace_counts n;
	hlsim_trace_t *t;
	char want[160];
	hid_t f, s, d;
	FILE *fp;

	/* no such file, a directory, a text file, an empty file */
	expect_open("test_trace_errors_none.h5", HLSIM_E_IO, "test_trace_errors_none.h5",
		    "cannot open");
	mkdir("test_trace_errors_dir", 0755);
	hlsim_clear_error();
	CHECK(hlsim_trace_open("test_trace_errors_dir", &t) != HLSIM_OK);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "test_trace_errors_dir");
	rmdir("test_trace_errors_dir");
	fp = fopen(bad, "w");
	fputs("seq,flags\n1,0\n", fp);
	fclose(fp);
	expect_open(bad, HLSIM_E_TRACE_FORMAT, bad, "not an HDF5 file");
	fp = fopen(bad, "w");
	fclose(fp);
	expect_open(bad, HLSIM_E_TRACE_FORMAT, bad, "not an HDF5 file");

	/* a truncated copy of a valid file */
	copy_file(good, bad);
	CHECK(truncate(bad, fix_file_size(good) / 2) == 0);
	expect_open(bad, HLSIM_E_TRACE_FORMAT, bad, "truncated or corrupt");
	copy_file(good, bad);
	CHECK(truncate(bad, fix_file_size(good) - 1) == 0);
	expect_open(bad, HLSIM_E_TRACE_FORMAT, bad, "truncated");

	/* an HDF5 file made with the HDF5 API whose format is "foo" */
	f = H5Fcreate(bad, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
	set_attr_str(f, "format", "foo", 0);
	set_attr_u32(f, "version_major", 1);
	set_attr_u32(f, "version_minor", 0);
	H5Fclose(f);
	expect_open(bad, HLSIM_E_TRACE_FORMAT, bad, "format is 'foo', expected 'hlsim-trace'");
	/* an HDF5 file without any attribute */
	f = H5Fcreate(bad, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
	H5Fclose(f);
	expect_open(bad, HLSIM_E_TRACE_FORMAT, bad, "/ has no attribute 'format'");

	/* major version 2 */
	f = edit_copy();
	set_attr_u32(f, "version_major", 2);
	H5Fclose(f);
	expect_open(bad, HLSIM_E_TRACE_FORMAT, bad, "version 2.0; this reader reads version 1.x");

	/* num_devices larger than the groups present */
	f = edit_copy();
	set_attr_u32(f, "num_devices", 3);
	H5Fclose(f);
	expect_open(bad, HLSIM_E_TRACE_FORMAT, bad, "missing group /device2");

	/* a missing table */
	f = edit_copy();
	H5Ldelete(f, "/device0/waits", H5P_DEFAULT);
	H5Fclose(f);
	expect_open(bad, HLSIM_E_TRACE_FORMAT, bad, "missing dataset /device0/waits");
	f = edit_copy();
	H5Ldelete(f, "/device1/cb_bytes", H5P_DEFAULT);
	H5Fclose(f);
	expect_open(bad, HLSIM_E_TRACE_FORMAT, bad, "missing dataset /device1/cb_bytes");

	/* a table whose type lacks a field */
	f = edit_copy();
	H5Ldelete(f, "/device0/mem", H5P_DEFAULT);
	{
		hsize_t dims = 1;
		hid_t ct = H5Tcreate(H5T_COMPOUND, 16);
		uint64_t row[2] = { 0x1000, 16 };

		H5Tinsert(ct, "addr", 0, H5T_NATIVE_UINT64);
		H5Tinsert(ct, "size", 8, H5T_NATIVE_UINT64);
		s = H5Screate_simple(1, &dims, NULL);
		d = H5Dcreate2(f, "/device0/mem", ct, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
		H5Dwrite(d, ct, H5S_ALL, H5S_ALL, H5P_DEFAULT, row);
		H5Dclose(d);
		H5Sclose(s);
		H5Tclose(ct);
	}
	H5Fclose(f);
	expect_open(bad, HLSIM_E_TRACE_FORMAT, bad, "/device0/mem: type lacks field 'blob_id'");

	/* a field of the wrong class: identity.asic as a float */
	f = edit_copy();
	H5Ldelete(f, "/device1/identity", H5P_DEFAULT);
	{
		hsize_t dims = 0;
		hid_t ct = H5Tcreate(H5T_COMPOUND, 8);

		H5Tinsert(ct, "asic", 0, H5T_NATIVE_DOUBLE);
		s = H5Screate_simple(1, &dims, NULL);
		d = H5Dcreate2(f, "/device1/identity", ct, s, H5P_DEFAULT, H5P_DEFAULT,
			       H5P_DEFAULT);
		H5Dclose(d);
		H5Sclose(s);
		H5Tclose(ct);
	}
	H5Fclose(f);
	expect_open(bad, HLSIM_E_TRACE_FORMAT, "/device1/identity: field 'asic' is float",
		    "expected string");

	/* a blob whose extent runs past cb_bytes */
	f = edit_copy();
	patch_u64(f, "/device0/blobs", 3, "size", 1ULL << 40);
	H5Fclose(f);
	expect_open(bad, HLSIM_E_TRACE_FORMAT, "/device0/blobs row 3: offset",
		    "runs past cb_bytes");

	/* a jobs row naming a blob id past the end: found when the row is read */
	f = edit_copy();
	patch_u64(f, "/device0/jobs", 17, "blob_id", 99999);
	patch_u64(f, "/device0/jobs", 18, "cs_index", 1000);
	patch_u64(f, "/device0/cs", 2, "first_job", 1ULL << 50);
	H5Fclose(f);
	CHECK(hlsim_trace_open(bad, &t) == HLSIM_OK);
	if (t) {
		struct hlsim_trace_job job;
		struct hlsim_trace_cs cs;

		CHECK(hlsim_trace_counts(t, 0, &n) == HLSIM_OK);
		CHECK(hlsim_trace_read_job(t, 0, 16, &job) == HLSIM_OK);
		CHECK(hlsim_trace_read_job(t, 0, 17, &job) == HLSIM_E_TRACE_FORMAT);
		snprintf(want, sizeof(want),
			 "%s: /device0/jobs row 17: blob_id 99999 >= %" PRIu64 " blobs", bad,
			 n.blobs);
		CHECK_STR_CONTAINS(hlsim_last_error_detail(), want);
		CHECK(hlsim_trace_read_job(t, 0, 18, &job) == HLSIM_E_TRACE_FORMAT);
		CHECK_STR_CONTAINS(hlsim_last_error_detail(),
				   "/device0/jobs row 18: cs_index 1000 >= 100 CS rows");
		CHECK(hlsim_trace_read_cs(t, 0, 1, &cs) == HLSIM_OK);
		CHECK(hlsim_trace_read_cs(t, 0, 2, &cs) == HLSIM_E_TRACE_FORMAT);
		CHECK_STR_CONTAINS(hlsim_last_error_detail(), "/device0/cs row 2: jobs");
		CHECK_STR_CONTAINS(hlsim_last_error_detail(), "run past");
		hlsim_trace_close(t);
	}

	/* a blob whose bytes do not match its hash */
	f = edit_copy();
	patch_u64(f, "/device0/blobs", 4, "hash", 12345);
	H5Fclose(f);
	CHECK(hlsim_trace_open(bad, &t) == HLSIM_OK);
	if (t) {
		const struct hlsim_blob *b;

		CHECK(hlsim_trace_blob_get(t, 0, 3, &b) == HLSIM_OK);
		hlsim_trace_blob_put(t, b);
		CHECK(hlsim_trace_blob_get(t, 0, 4, &b) == HLSIM_E_TRACE_FORMAT);
		CHECK_STR_CONTAINS(hlsim_last_error_detail(), "/device0/blobs row 4: hash");
		hlsim_trace_close(t);
	}

	/* no identity dataset, or one with two rows */
	f = edit_copy();
	H5Ldelete(f, "/device0/identity", H5P_DEFAULT);
	H5Fclose(f);
	expect_open(bad, HLSIM_E_TRACE_FORMAT, bad, "missing dataset /device0/identity");
	f = edit_copy();
	H5Ldelete(f, "/device0/identity", H5P_DEFAULT);
	{
		struct hlsim_trace_device two[2];
		hid_t g = H5Gopen2(f, "/device0", H5P_DEFAULT);

		fix_device(0, &two[0]);
		fix_device(1, &two[1]);
		CHECK(trc_h5_write_rows_once(g, &trc_desc_device, two, 2, bad,
					     "/device0/identity") == HLSIM_OK);
		H5Gclose(g);
	}
	H5Fclose(f);
	expect_open(bad, HLSIM_E_TRACE_FORMAT, bad, "/device0/identity has 2 rows, expected 1");

	/* a value out of its field's range (u64 in the file, i64 in memory) */
	f = edit_copy();
	H5Ldelete(f, "/device0/host_maps", H5P_DEFAULT);
	{
		const char *names[5] = { "device_va", "host_va", "size", "map_ns", "unmap_ns" };
		uint64_t row[5] = { 1, 2, 3, 1ULL << 63, 5 };
		hsize_t dims = 1;
		hid_t ct = H5Tcreate(H5T_COMPOUND, sizeof(row));
		int i;

		for (i = 0; i < 5; i++)
			H5Tinsert(ct, names[i], (size_t)i * 8, H5T_NATIVE_UINT64);
		s = H5Screate_simple(1, &dims, NULL);
		d = H5Dcreate2(f, "/device0/host_maps", ct, s, H5P_DEFAULT, H5P_DEFAULT,
			       H5P_DEFAULT);
		H5Dwrite(d, ct, H5S_ALL, H5S_ALL, H5P_DEFAULT, row);
		H5Dclose(d);
		H5Sclose(s);
		H5Tclose(ct);
	}
	H5Fclose(f);
	CHECK(hlsim_trace_open(bad, &t) == HLSIM_OK);
	if (t) {
		struct hlsim_trace_host_map hm;

		CHECK(hlsim_trace_read_host_map(t, 0, 0, &hm) == HLSIM_E_TRACE_FORMAT);
		CHECK_STR_CONTAINS(hlsim_last_error_detail(), "/device0/host_maps: cannot read "
							      "rows");
		hlsim_trace_close(t);
	}
}

/* What a v1 reader must accept: later minors, unknown fields and datasets, vlen strings. */
static void test_accepts(void)
{
	struct hlsim_trace_wait wt, e;
	hlsim_trace_t *t = NULL;
	hid_t f, s, d, ct;
	hsize_t dims = 2;
	struct {
		uint64_t seq, timeout_us;
		int64_t enter_ns, exit_ns, timestamp_ns;
		uint32_t status, flags, out_flags, cs_completion_map, new_field;
		int32_t rc;
	} rows[2];
	int i;

	f = edit_copy();
	set_attr_u32(f, "version_minor", 7);
	set_attr_str(f, "format", "hlsim-trace", 1); /* as h5py writes a str attribute */
	set_attr_str(f, "generator", "made by h5py", 1);
	/* an unknown dataset and group */
	s = H5Screate_simple(1, &dims, NULL);
	d = H5Dcreate2(f, "/device0/future_table", H5T_STD_U32LE, s, H5P_DEFAULT, H5P_DEFAULT,
		       H5P_DEFAULT);
	H5Dclose(d);
	H5Gclose(H5Gcreate2(f, "/extra", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
	/* the waits table rewritten with an extra field, other field order */
	H5Ldelete(f, "/device0/waits", H5P_DEFAULT);
	ct = H5Tcreate(H5T_COMPOUND, sizeof(rows[0]));
#define INS(fld, ty) H5Tinsert(ct, #fld, offsetof(__typeof__(rows[0]), fld), ty)
	INS(new_field, H5T_NATIVE_UINT32);
	INS(rc, H5T_NATIVE_INT32);
	INS(seq, H5T_NATIVE_UINT64);
	INS(timeout_us, H5T_NATIVE_UINT64);
	INS(enter_ns, H5T_NATIVE_INT64);
	INS(exit_ns, H5T_NATIVE_INT64);
	INS(timestamp_ns, H5T_NATIVE_INT64);
	INS(status, H5T_NATIVE_UINT32);
	INS(flags, H5T_NATIVE_UINT32);
	INS(out_flags, H5T_NATIVE_UINT32);
	INS(cs_completion_map, H5T_NATIVE_UINT32);
#undef INS
	for (i = 0; i < 2; i++) {
		fix_wait(0, (uint64_t)i, &e);
		rows[i].seq = e.seq;
		rows[i].timeout_us = e.timeout_us;
		rows[i].enter_ns = e.enter_ns;
		rows[i].exit_ns = e.exit_ns;
		rows[i].timestamp_ns = e.timestamp_ns;
		rows[i].status = e.status;
		rows[i].flags = e.flags;
		rows[i].out_flags = e.out_flags;
		rows[i].cs_completion_map = e.cs_completion_map;
		rows[i].rc = e.rc;
		rows[i].new_field = 77;
	}
	d = H5Dcreate2(f, "/device0/waits", ct, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
	H5Dwrite(d, ct, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows);
	H5Dclose(d);
	H5Tclose(ct);
	H5Sclose(s);
	H5Fclose(f);

	CHECK(hlsim_trace_open(bad, &t) == HLSIM_OK);
	if (!t) {
		fprintf(stderr, "  (detail: %s)\n", hlsim_last_error_detail());
		return;
	}
	CHECK_EQ_U64(hlsim_trace_version_minor(t), 7);
	CHECK(!strcmp(hlsim_trace_generator(t), "made by h5py"));
	for (i = 0; i < 2; i++) {
		fix_wait(0, (uint64_t)i, &e);
		CHECK(hlsim_trace_read_wait(t, 0, (uint64_t)i, &wt) == HLSIM_OK);
		CHECK_EQ_U64(wt.seq, e.seq);
		CHECK_EQ_U64(wt.timestamp_ns, e.timestamp_ns);
		CHECK_EQ_U64(wt.rc, e.rc);
		CHECK_EQ_U64(wt.cs_completion_map, e.cs_completion_map);
	}
	CHECK(hlsim_trace_read_wait(t, 0, 2, &wt) == HLSIM_E_INVAL);
	hlsim_trace_close(t);
}

/* A results file is not a trace and the other way round. */
static void test_cross_format(void)
{
	hlsim_results_t *r = NULL;

	hlsim_clear_error();
	CHECK(hlsim_results_open(good, &r) == HLSIM_E_TRACE_FORMAT);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "format is 'hlsim-trace', expected "
			   "'hlsim-results'");
	CHECK(r == NULL);
}

/* The writer refuses bad rows with E_INVAL and stays usable. */
static void test_writer(void)
{
	const char *path = "test_trace_errors_writer.h5";
	struct hlsim_trace_job job = { 0 }, jobs2[2];
	struct hlsim_trace_annotation a;
	struct hlsim_trace_device info;
	struct hlsim_trace_counts n;
	struct hlsim_trace_cs cs = { .seq = 1 };
	struct hlsim_trace_wait wt = { .enter_ns = 10, .exit_ns = 5 };
	struct hlsim_trace_host_map hm = { .map_ns = 10, .unmap_ns = 5 };
	hlsim_trace_writer_t *w;
	hlsim_trace_t *t;
	uint8_t bytes[16] = { 1, 2, 3 };
	uint64_t id;
	uint32_t dev;

	CHECK(hlsim_trace_create("no_such_dir/x.h5", "", &w) == HLSIM_E_IO);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "no_such_dir/x.h5");
	CHECK(hlsim_trace_create(path, NULL, &w) == HLSIM_OK);
	fix_device(0, &info);
	memset(info.asic, 'g', sizeof(info.asic)); /* no NUL */
	CHECK(hlsim_trace_add_device(w, &info, &dev) == HLSIM_E_INVAL);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "field 'asic' is not NUL-terminated");
	fix_device(0, &info);
	CHECK(hlsim_trace_add_cs(w, 0, &cs, NULL, 0) == HLSIM_E_INVAL); /* no device yet */
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "device 0 does not exist");
	CHECK(hlsim_trace_add_device(w, &info, &dev) == HLSIM_OK);
	CHECK(hlsim_trace_add_blob(w, dev, bytes, sizeof(bytes), &id) == HLSIM_OK);
	job.blob_id = 7;
	job.phase = HLSIM_PHASE_EXECUTE;
	CHECK(hlsim_trace_add_cs(w, dev, &cs, &job, 1) == HLSIM_E_INVAL);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "CS row 0 job 0: blob_id 7 >= 1 blobs");
	job.blob_id = id;
	job.cb_size = 17;
	CHECK(hlsim_trace_add_cs(w, dev, &cs, &job, 1) == HLSIM_E_INVAL);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "cb_size 17 > blob 0 size 16");
	job.cb_size = 16;
	job.phase = 2;
	CHECK(hlsim_trace_add_cs(w, dev, &cs, &job, 1) == HLSIM_E_INVAL);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "phase 2");
	jobs2[0] = job;
	jobs2[0].phase = HLSIM_PHASE_EXECUTE;
	jobs2[1] = job;
	jobs2[1].phase = HLSIM_PHASE_RESTORE;
	CHECK(hlsim_trace_add_cs(w, dev, &cs, jobs2, 2) == HLSIM_E_INVAL);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "job 1: restore job after an execute job");
	CHECK(hlsim_trace_add_cs(w, dev, &cs, NULL, 1) == HLSIM_E_INVAL);
	CHECK(hlsim_trace_add_wait(w, dev, &wt) == HLSIM_E_INVAL);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "exit_ns 5 < enter_ns 10");
	CHECK(hlsim_trace_add_host_map(w, dev, &hm) == HLSIM_E_INVAL);
	memset(&a, 'k', sizeof(a));
	a.value[0] = 0;
	CHECK(hlsim_trace_add_annotation(w, dev, &a) == HLSIM_E_INVAL);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "annotations row 0: field 'key'");
	CHECK(hlsim_trace_add_blob(w, 9, bytes, 1, &id) == HLSIM_E_INVAL);
	/* still usable: one good CS */
	jobs2[1].phase = HLSIM_PHASE_EXECUTE;
	jobs2[0].phase = HLSIM_PHASE_RESTORE;
	CHECK(hlsim_trace_add_cs(w, dev, &cs, jobs2, 2) == HLSIM_OK);
	CHECK(hlsim_trace_writer_close(w) == HLSIM_OK);
	CHECK(hlsim_trace_open(path, &t) == HLSIM_OK);
	if (t) {
		CHECK(hlsim_trace_counts(t, 0, &n) == HLSIM_OK);
		CHECK_EQ_U64(n.cs, 1); /* refused CSs left nothing behind */
		CHECK_EQ_U64(n.jobs, 2);
		CHECK_EQ_U64(n.waits, 0);
		CHECK_EQ_U64(n.annotations, 0);
		CHECK(!strcmp(hlsim_trace_generator(t), ""));
		hlsim_trace_close(t);
	}
	remove(path);
}

int main(void)
{
	CHECK(fix_write_small(good) == 0);
	test_files();
	test_accepts();
	test_cross_format();
	test_writer();
	remove(good);
	remove(bad);
	return check_summary();
}
