/*
 * tests/unit/test_results_v11.c - the tables results 1.1 adds: /releases (what released
 * each FENCE wait) and /launch_traffic (each launch's bytes per memory). They are written
 * and read back field by field across more than one chunk; the writer refuses rows that
 * point at timeline rows or units that do not exist; a file without them (as 1.0 wrote
 * it) reads as having no rows.
 */
#include <hdf5.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "hlsim/results.h"
#include "tests/unit/check.h"

enum { NRECS = 40000 };

static void write_file(const char *path, int with_rows)
{
	hlsim_results_writer_t *w = NULL;
	struct hlsim_unit u = { .id = 0, .kind = HLSIM_UNIT_ENGINE };
	struct hlsim_run_info ri = { .simulated_time_ps = 1 };
	struct hlsim_rec r = { .kind = HLSIM_REC_LAUNCH };
	uint64_t i;

	CHECK_EQ_U64(hlsim_results_create(path, &w), HLSIM_OK);
	if (!w)
		return;
	strcpy(u.name, "TPC0");
	CHECK_EQ_U64(hlsim_results_add_unit(w, &u), HLSIM_OK);
	u.id = 1;
	strcpy(u.name, "DMA_0_0");
	CHECK_EQ_U64(hlsim_results_add_unit(w, &u), HLSIM_OK);
	for (i = 0; i < NRECS; i++) {
		CHECK_EQ_U64(hlsim_results_rows(w), i);
		r.start_ps = i * 10;
		r.end_ps = i * 10 + 5;
		hlsim_results_append(w, &r, 1);
		if (!with_rows)
			continue;
		{
			struct hlsim_launch_traffic t = { .row = i, .hbm_bytes = i, .sram_bytes = 2 * i,
							  .host_read_bytes = 3 * i,
							  .host_write_bytes = 4 * i,
							  .compute_ps = 5 * i };
			struct hlsim_release rel = { .wait_row = i, .signal_ps = i * 7,
						     .producer_row = i ? i - 1 : UINT64_MAX,
						     .producer_unit = (uint32_t)(i & 1),
						     .sob = (uint32_t)i };

			CHECK_EQ_U64(hlsim_results_add_launch_traffic(w, &t), HLSIM_OK);
			CHECK_EQ_U64(hlsim_results_add_release(w, &rel), HLSIM_OK);
		}
	}
	if (with_rows) {
		struct hlsim_release bad = { .wait_row = NRECS, .producer_row = UINT64_MAX };
		struct hlsim_launch_traffic badt = { .row = NRECS };

		CHECK_EQ_U64(hlsim_results_add_release(w, &bad), HLSIM_E_INVAL);
		CHECK_STR_CONTAINS(hlsim_last_error_detail(), "no such row or unit");
		bad.wait_row = 0;
		bad.producer_unit = 2;
		CHECK_EQ_U64(hlsim_results_add_release(w, &bad), HLSIM_E_INVAL);
		CHECK_EQ_U64(hlsim_results_add_launch_traffic(w, &badt), HLSIM_E_INVAL);
	}
	hlsim_results_set_config(w, "[asic]\nname = gaudi\n");
	hlsim_results_set_run_info(w, &ri);
	CHECK_EQ_U64(hlsim_results_writer_close(w), HLSIM_OK);
}

static void read_back(void)
{
	static struct hlsim_release rel[NRECS];
	static struct hlsim_launch_traffic lt[NRECS];
	hlsim_results_t *r = NULL;
	size_t n, i, got = 0, bad = 0;

	write_file("v11.h5", 1);
	CHECK_EQ_U64(hlsim_results_open("v11.h5", &r), HLSIM_OK);
	if (!r)
		return;
	CHECK_EQ_U64(hlsim_results_num_releases(r), NRECS);
	CHECK_EQ_U64(hlsim_results_num_launch_traffic(r), NRECS);
	/* in pieces, across chunk and window boundaries */
	while (got < NRECS) {
		CHECK_EQ_U64(hlsim_results_read_releases(r, got, rel + got, 3333, &n), HLSIM_OK);
		if (!n)
			break;
		got += n;
	}
	CHECK_EQ_U64(got, NRECS);
	CHECK_EQ_U64(hlsim_results_read_launch_traffic(r, 0, lt, NRECS, &n), HLSIM_OK);
	CHECK_EQ_U64(n, NRECS);
	for (i = 0; i < NRECS; i++) {
		bad += rel[i].wait_row != i || rel[i].signal_ps != i * 7 ||
		       rel[i].producer_row != (i ? i - 1 : UINT64_MAX) ||
		       rel[i].producer_unit != (i & 1) || rel[i].sob != i;
		bad += lt[i].row != i || lt[i].hbm_bytes != i || lt[i].sram_bytes != 2 * i ||
		       lt[i].host_read_bytes != 3 * i || lt[i].host_write_bytes != 4 * i ||
		       lt[i].compute_ps != 5 * i;
	}
	CHECK_EQ_U64(bad, 0);
	CHECK_EQ_U64(hlsim_results_read_releases(r, NRECS, rel, 10, &n), HLSIM_OK);
	CHECK_EQ_U64(n, 0);
	hlsim_results_close(r);
}

/* A file without the 1.1 tables (as 1.0 wrote it) has no rows there. */
static void old_file(void)
{
	struct hlsim_release rel;
	hlsim_results_t *r = NULL;
	hid_t f;
	size_t n = 99;

	write_file("v10.h5", 0);
	f = H5Fopen("v10.h5", H5F_ACC_RDWR, H5P_DEFAULT);
	CHECK(f >= 0);
	CHECK(H5Ldelete(f, "releases", H5P_DEFAULT) >= 0);
	CHECK(H5Ldelete(f, "launch_traffic", H5P_DEFAULT) >= 0);
	H5Fclose(f);
	CHECK_EQ_U64(hlsim_results_open("v10.h5", &r), HLSIM_OK);
	if (!r)
		return;
	CHECK_EQ_U64(hlsim_results_num_records(r), NRECS);
	CHECK_EQ_U64(hlsim_results_num_releases(r), 0);
	CHECK_EQ_U64(hlsim_results_num_launch_traffic(r), 0);
	CHECK_EQ_U64(hlsim_results_read_releases(r, 0, &rel, 1, &n), HLSIM_OK);
	CHECK_EQ_U64(n, 0);
	hlsim_results_close(r);
}

int main(void)
{
	read_back();
	old_file();
	return check_summary();
}
