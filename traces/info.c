/*
 * traces/info.c - `hlsim info TRACE`: a human summary of a trace file.
 *
 * Prints the format, version and generator, then per device its identity (ASIC,
 * card, PCI device id, SRAM/DRAM, clocks), the table counts, the jobs by phase and
 * by queue, the CB deduplication (distinct bytes stored vs bytes referenced by the
 * jobs) and the host time span of the submissions. The cs and jobs tables are
 * streamed through the reader's windows; only the per-queue counts are kept (one
 * entry per queue id used), so memory does not grow with the trace.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "models/common/asic.h"
#include "traces/trc.h"

/* Jobs per queue id, kept sorted by id. */
struct queue_count {
	uint32_t queue_id;
	uint64_t jobs;
};

struct queue_counts {
	struct queue_count *q;
	size_t n, cap;
};

static hlsim_err_t count_queue(struct queue_counts *qc, uint32_t queue_id)
{
	size_t lo = 0, hi = qc->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (qc->q[mid].queue_id < queue_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < qc->n && qc->q[lo].queue_id == queue_id) {
		qc->q[lo].jobs++;
		return HLSIM_OK;
	}
	if (qc->n == qc->cap) {
		size_t cap = qc->cap ? qc->cap * 2 : 64;
		struct queue_count *p = realloc(qc->q, cap * sizeof(*p));

		if (!p)
			return hlsim_error(HLSIM_E_NOMEM, "no memory for queue counts");
		qc->q = p;
		qc->cap = cap;
	}
	memmove(&qc->q[lo + 1], &qc->q[lo], (qc->n - lo) * sizeof(qc->q[0]));
	qc->q[lo].queue_id = queue_id;
	qc->q[lo].jobs = 1;
	qc->n++;
	return HLSIM_OK;
}

static void print_identity(FILE *out, uint32_t dev, const struct hlsim_trace_device *d)
{
	fprintf(out, "device %u: asic %s, card %s, PCI device id 0x%04x, module %u\n", dev,
		d->asic[0] ? d->asic : "(none)", d->card_name[0] ? d->card_name : "(none)",
		d->device_id, d->module_id);
	fprintf(out, "  firmware (cpucp): %s\n", d->cpucp_version[0] ? d->cpucp_version : "(none)");
	fprintf(out, "  SRAM: %" PRIu32 " bytes at 0x%" PRIx64 "\n", d->sram_size,
		d->sram_base_address);
	fprintf(out, "  DRAM: %" PRIu64 " bytes at 0x%" PRIx64 ", page %" PRIu64 " bytes\n",
		d->dram_size, d->dram_base_address, d->dram_page_size);
	fprintf(out, "  clock: %" PRIu32 " MHz current, %" PRIu32 " MHz max\n",
		d->cur_clk_rate_mhz, d->max_clk_rate_mhz);
	fprintf(out, "  TPC enabled mask 0x%02x, server type %u\n", d->tpc_enabled_mask,
		d->server_type);
}

/* Stream the cs and jobs tables of @dev and print what they add up to. */
static hlsim_err_t print_device(FILE *out, hlsim_trace_t *t, uint32_t dev)
{
	const struct hlsim_trace_device *d = hlsim_trace_device_info(t, dev);
	const struct mdl_asic_funcs *f = NULL;
	struct queue_counts qc = { 0 };
	struct hlsim_trace_counts n;
	struct hlsim_trace_job job;
	struct hlsim_trace_cs cs;
	uint64_t i, phase[2] = { 0, 0 }, no_blob = 0, referenced = 0;
	int64_t first_submit = INT64_MAX, last_submit = INT64_MIN, last_return = INT64_MIN;
	uint64_t size;
	hlsim_err_t rc;

	print_identity(out, dev, d);
	rc = hlsim_trace_counts(t, dev, &n);
	if (rc != HLSIM_OK)
		return rc;
	for (i = 0; i < n.cs; i++) {
		rc = hlsim_trace_read_cs(t, dev, i, &cs);
		if (rc != HLSIM_OK)
			goto out;
		if (cs.submit_ns < first_submit)
			first_submit = cs.submit_ns;
		if (cs.submit_ns > last_submit)
			last_submit = cs.submit_ns;
		if (cs.return_ns > last_return)
			last_return = cs.return_ns;
	}
	for (i = 0; i < n.jobs; i++) {
		rc = hlsim_trace_read_job(t, dev, i, &job);
		if (rc != HLSIM_OK)
			goto out;
		phase[job.phase]++;
		rc = count_queue(&qc, job.queue_id);
		if (rc != HLSIM_OK)
			goto out;
		if (job.blob_id == HLSIM_TRACE_NO_BLOB) {
			no_blob++;
			continue;
		}
		rc = trc_trace_blob_size(t, dev, job.blob_id, &size);
		if (rc != HLSIM_OK)
			goto out;
		referenced += size;
	}
	fprintf(out, "  CS: %" PRIu64 "\n", n.cs);
	fprintf(out, "  jobs: %" PRIu64 " (restore %" PRIu64 ", execute %" PRIu64 ")", n.jobs,
		phase[HLSIM_PHASE_RESTORE], phase[HLSIM_PHASE_EXECUTE]);
	if (no_blob)
		fprintf(out, ", %" PRIu64 " without CB bytes", no_blob);
	fprintf(out, "\n");
	fprintf(out, "  CBs: %" PRIu64 " distinct, %" PRIu64 " bytes stored; %" PRIu64
		" bytes referenced by jobs", n.blobs, n.blob_bytes, referenced);
	if (n.blob_bytes)
		fprintf(out, " (dedup ratio %.2f)", (double)referenced / (double)n.blob_bytes);
	fprintf(out, "\n");
	fprintf(out, "  mem images: %" PRIu64 ", host maps: %" PRIu64 ", waits: %" PRIu64
		", annotations: %" PRIu64 "\n", n.mem, n.host_maps, n.waits, n.annotations);
	/* queue names when the ASIC is modelled; ids alone otherwise */
	if (mdl_asic_by_name(d->asic, &f) != HLSIM_OK)
		f = NULL;
	hlsim_clear_error();
	fprintf(out, "  queues used: %zu\n", qc.n);
	for (i = 0; i < qc.n; i++) {
		const struct mdl_queue_info *qi = f && f->queue_info ?
							  f->queue_info(qc.q[i].queue_id) : NULL;

		fprintf(out, "    queue %3" PRIu32 " %-10s %" PRIu64 " jobs\n", qc.q[i].queue_id,
			qi && qi->kind != MDL_QUEUE_NA && qi->name ? qi->name : "",
			qc.q[i].jobs);
	}
	if (n.cs) {
		fprintf(out,
			"  host time of submissions: first submit %" PRId64
			" ns, last submit %" PRId64 " ns, last return %" PRId64 " ns\n",
			first_submit, last_submit, last_return);
		fprintf(out, "  submission span: %" PRId64 " ns (first to last submit), %" PRId64
			" ns (first submit to last return)\n", last_submit - first_submit,
			last_return - first_submit);
	} else {
		fprintf(out, "  host time of submissions: no CS\n");
	}
out:
	free(qc.q);
	return rc;
}

hlsim_err_t trc_info_print(const char *path, FILE *out)
{
	hlsim_trace_t *t;
	hlsim_err_t rc;
	uint32_t dev, ndev;

	rc = hlsim_trace_open(path, &t);
	if (rc != HLSIM_OK)
		return rc;
	ndev = hlsim_trace_num_devices(t);
	fprintf(out, "trace: %s\n", path);
	fprintf(out, "format: %s %d.%u\n", HLSIM_TRACE_FORMAT_NAME, HLSIM_TRACE_VERSION_MAJOR,
		hlsim_trace_version_minor(t));
	fprintf(out, "generator: %s\n", hlsim_trace_generator(t));
	fprintf(out, "devices: %u\n", ndev);
	for (dev = 0; dev < ndev && rc == HLSIM_OK; dev++) {
		fprintf(out, "\n");
		rc = print_device(out, t, dev);
	}
	hlsim_trace_close(t);
	return rc;
}
