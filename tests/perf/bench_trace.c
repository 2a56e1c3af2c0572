/*
 * tests/perf/bench_trace.c - speed and memory of the trace writer and reader.
 *
 * Writes N CS rows with 2 jobs each (default N = 1,000,000, so 2,000,000 jobs); every
 * job's CB bytes go through hlsim_trace_add_blob (hashed and deduplicated against a
 * pool of 4096 distinct CBs of 64..1024 bytes, as a training loop resubmits its
 * CBs). Host times, queues and CB choices are pseudo-random (fixed seed), so the
 * rows compress about as much as captured ones rather than perfectly. Then reads every CS and job back sequentially, once without and once with
 * the CB bytes (hlsim_trace_blob_get/put). Prints rows per second for each phase, the
 * file size and the peak RSS after each phase (getrusage), so runs at different N
 * show that memory does not grow with the trace length.
 *
 * usage: bench_trace [NUM_CS [PATH]]     (not a ctest test)
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "hlsim/trace.h"

#define POOL 4096
#define JOBS_PER_CS 2

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double peak_rss_mib(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_maxrss / 1024.0; /* ru_maxrss is in KiB on Linux */
}

/* CB content k: 64..1024 bytes, distinct per k (k is in the first bytes). */
static size_t cb_content(uint32_t k, uint8_t *out)
{
	size_t size = 64 + (size_t)(k * 2654435761u % 961), i;

	for (i = 0; i < size; i++)
		out[i] = (uint8_t)(i * 7 + k);
	memcpy(out, &k, sizeof(k));
	return size;
}

/* A deterministic pseudo-random sequence (64-bit LCG, upper bits). */
static uint32_t lcg(uint64_t *state)
{
	*state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(*state >> 33);
}

static int fail(const char *what, hlsim_err_t rc)
{
	fprintf(stderr, "bench_trace: %s: %s: %s\n", what, hlsim_strerror(rc),
		hlsim_last_error_detail());
	return 1;
}

int main(int argc, char **argv)
{
	uint64_t num_cs = argc > 1 ? strtoull(argv[1], NULL, 0) : 1000000;
	const char *path = argc > 2 ? argv[2] : "bench_trace.h5";
	struct hlsim_trace_job jobs[JOBS_PER_CS], job;
	struct hlsim_trace_device info;
	struct hlsim_trace_counts n;
	struct hlsim_trace_cs cs;
	const struct hlsim_blob *b;
	hlsim_trace_writer_t *w;
	hlsim_trace_t *t;
	uint8_t cb[1024];
	uint64_t i, check = 0, rows, seed = 1;
	int64_t submit_ns = 0;
	uint32_t dev, j;
	hlsim_err_t rc;
	double t0, dt;
	struct stat st;

	memset(&info, 0, sizeof(info));
	strcpy(info.asic, "gaudi");
	strcpy(info.card_name, "HL205");
	rows = num_cs * (1 + JOBS_PER_CS);

	t0 = now_s();
	rc = hlsim_trace_create(path, "bench_trace", &w);
	if (rc)
		return fail("create", rc);
	rc = hlsim_trace_add_device(w, &info, &dev);
	for (i = 0; !rc && i < num_cs; i++) {
		memset(&cs, 0, sizeof(cs));
		cs.seq = i + 1;
		/* host times with jitter, as measured times have (they compress less) */
		submit_ns += 1500 + (int64_t)(lcg(&seed) % 1000);
		cs.submit_ns = submit_ns;
		cs.return_ns = submit_ns + 300 + (int64_t)(lcg(&seed) % 800);
		for (j = 0; !rc && j < JOBS_PER_CS; j++) {
			uint32_t k = (uint32_t)(lcg(&seed) % POOL);
			size_t size = cb_content(k, cb);

			memset(&jobs[j], 0, sizeof(jobs[j]));
			jobs[j].cb_handle = 0x1000 + k;
			jobs[j].queue_id = (uint32_t)(lcg(&seed) % 8);
			jobs[j].cb_size = (uint32_t)size;
			jobs[j].phase = HLSIM_PHASE_EXECUTE;
			rc = hlsim_trace_add_blob(w, dev, cb, size, &jobs[j].blob_id);
		}
		if (!rc)
			rc = hlsim_trace_add_cs(w, dev, &cs, jobs, JOBS_PER_CS);
	}
	if (rc) {
		hlsim_trace_writer_close(w);
		return fail("write", rc);
	}
	rc = hlsim_trace_writer_close(w);
	if (rc)
		return fail("close", rc);
	dt = now_s() - t0;
	stat(path, &st);
	printf("write: %" PRIu64 " CS + %" PRIu64 " jobs (%" PRIu64 " add_blob calls) in %.2f s: "
	       "%.2f M rows/s; file %lld bytes (%.1f bytes/row); peak RSS %.1f MiB\n",
	       num_cs, num_cs * JOBS_PER_CS, num_cs * JOBS_PER_CS, dt, (double)rows / dt / 1e6,
	       (long long)st.st_size, (double)st.st_size / (double)rows, peak_rss_mib());

	/* read 1: the CS and job rows */
	t0 = now_s();
	rc = hlsim_trace_open(path, &t);
	if (rc)
		return fail("open", rc);
	rc = hlsim_trace_counts(t, 0, &n);
	for (i = 0; !rc && i < n.cs; i++) {
		rc = hlsim_trace_read_cs(t, 0, i, &cs);
		for (j = 0; !rc && j < cs.num_jobs; j++) {
			rc = hlsim_trace_read_job(t, 0, cs.first_job + j, &job);
			check += job.cb_size;
		}
	}
	if (rc)
		return fail("read", rc);
	dt = now_s() - t0;
	printf("read rows: %" PRIu64 " CS + %" PRIu64 " jobs in %.2f s: %.2f M rows/s; "
	       "peak RSS %.1f MiB\n", n.cs, n.jobs, dt, (double)(n.cs + n.jobs) / dt / 1e6,
	       peak_rss_mib());

	/* read 2: rows and each job's CB bytes */
	t0 = now_s();
	for (i = 0; !rc && i < n.cs; i++) {
		rc = hlsim_trace_read_cs(t, 0, i, &cs);
		for (j = 0; !rc && j < cs.num_jobs; j++) {
			rc = hlsim_trace_read_job(t, 0, cs.first_job + j, &job);
			if (!rc)
				rc = hlsim_trace_blob_get(t, 0, job.blob_id, &b);
			if (!rc) {
				check += b->bytes[b->size - 1];
				hlsim_trace_blob_put(t, b);
			}
		}
	}
	if (rc)
		return fail("read with blobs", rc);
	dt = now_s() - t0;
	printf("read rows + CB bytes: %.2f s: %.2f M rows/s (%" PRIu64 " distinct CBs, %" PRIu64
	       " bytes); peak RSS %.1f MiB (checksum %" PRIu64 ")\n", dt,
	       (double)(n.cs + n.jobs) / dt / 1e6, n.blobs, n.blob_bytes, peak_rss_mib(), check);
	hlsim_trace_close(t);
	return 0;
}
