/*
 * tests/unit/test_trace_info.c - trc_info_print (`hlsim info TRACE`): the summary
 * names the format, generator and devices, and its counts (jobs by phase, distinct
 * CBs, queues, host time span) agree with the trace that was written.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hlsim/trace.h"
#include "tests/unit/check.h"
#include "tests/unit/trcfix.h"
#include "traces/trc.h"

int main(void)
{
	const char *path = "test_trace_info.h5";
	const struct fix_shape s = { .cs = 100, .mem = 5, .host_maps = 3, .waits = 4,
				     .annotations = 6, .max_jobs = 3 };
	uint64_t i, restore = 0, execute = 0, jobs = 0, queues[200] = { 0 }, nq = 0;
	struct hlsim_trace_job job;
	struct hlsim_trace_counts n;
	hlsim_trace_t *t;
	char text[16384], want[256];
	FILE *out;
	size_t len;
	uint32_t j;
	uint64_t referenced = 0;

	CHECK(fix_write_small(path) == 0);
	for (i = 0; i < s.cs; i++) {
		for (j = 0; j < fix_num_jobs(&s, i); j++) {
			fix_job(0, i, j, &job);
			if (job.phase == HLSIM_PHASE_RESTORE)
				restore++;
			else
				execute++;
			if (!queues[job.queue_id]++)
				nq++;
			jobs++;
			if (fix_job_content(i, j) != UINT64_MAX)
				referenced += fix_blob_size(0, fix_job_content(i, j));
		}
	}
	out = tmpfile();
	CHECK(trc_info_print(path, out) == HLSIM_OK);
	rewind(out);
	len = fread(text, 1, sizeof(text) - 1, out);
	text[len] = '\0';
	fclose(out);
	printf("%s", text);

	CHECK_STR_CONTAINS(text, "format: hlsim-trace 1.0");
	CHECK_STR_CONTAINS(text, "generator: trcfix test trace");
	CHECK_STR_CONTAINS(text, "devices: 2");
	CHECK_STR_CONTAINS(text, "device 0: asic gaudi, card HL205, PCI device id 0x1000");
	CHECK_STR_CONTAINS(text, "device 1: asic gaudi2, card HL206, PCI device id 0x1001");
	CHECK_STR_CONTAINS(text, "clock: 1600 MHz current, 2200 MHz max");
	CHECK_STR_CONTAINS(text, "CS: 100");
	snprintf(want, sizeof(want), "jobs: %" PRIu64 " (restore %" PRIu64 ", execute %" PRIu64 ")",
		 jobs, restore, execute);
	CHECK_STR_CONTAINS(text, want);
	CHECK(hlsim_trace_open(path, &t) == HLSIM_OK);
	CHECK(hlsim_trace_counts(t, 0, &n) == HLSIM_OK);
	hlsim_trace_close(t);
	/* referenced: by the jobs only (the mem images reuse job contents here) */
	snprintf(want, sizeof(want), "CBs: %" PRIu64 " distinct, %" PRIu64 " bytes stored; %"
		 PRIu64 " bytes referenced by jobs", n.blobs, n.blob_bytes, referenced);
	CHECK_STR_CONTAINS(text, want);
	CHECK_STR_CONTAINS(text, "dedup ratio");
	CHECK_STR_CONTAINS(text, "mem images: 5, host maps: 3, waits: 4, annotations: 6");
	snprintf(want, sizeof(want), "queues used: %" PRIu64, nq);
	CHECK_STR_CONTAINS(text, want);
	/* Gaudi queue 5 is GAUDI_QUEUE_ID_DMA_1_1 (uapi enum gaudi_queue_id) */
	CHECK_STR_CONTAINS(text, "queue   5 DMA_1_1");
	/* submit_ns = 1000 i - 5000, return_ns = submit + 500 + i % 7 */
	CHECK_STR_CONTAINS(text, "first submit -5000 ns, last submit 94000 ns, last return 94501 "
				 "ns");
	CHECK_STR_CONTAINS(text, "submission span: 99000 ns (first to last submit), 99501 ns");

	out = tmpfile();
	CHECK(trc_info_print("test_trace_info_none.h5", out) == HLSIM_E_IO);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "test_trace_info_none.h5");
	fclose(out);
	remove(path);
	return check_summary();
}
