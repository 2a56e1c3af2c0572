/*
 * sim/cli/cmd_trace.c - `hlsim info TRACE` and `hlsim disasm TRACE [--cs SEQ]`.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hlsim/trace.h"
#include "models/common/asic.h"
#include "models/common/disasm.h"
#include "sim/cli/cli.h"
#include "traces/trc.h"

int cli_info(int argc, char **argv)
{
	hlsim_err_t rc;

	if (argc != 2 || argv[1][0] == '-') {
		fprintf(argc == 2 ? stdout : stderr, "usage: hlsim info TRACE\n");
		return argc == 2 ? 0 : 2;
	}
	rc = trc_info_print(argv[1], stdout);
	return rc ? cli_fail(rc, "info") : 0;
}

struct dis {
	hlsim_trace_t *t;
	const struct mdl_asic_funcs *f;
	const char *path;
	uint64_t cs_row, cs_seq;
	uint32_t job;
};

/* Print the packets of @cb; CBs reached through CP_DMA are printed below, indented. */
static hlsim_err_t dis_cb(struct dis *d, uint32_t queue_id, const uint8_t *cb, size_t size,
			  int depth)
{
	struct hlsim_cmd cmd;
	char line[1024];
	size_t off = 0;
	hlsim_err_t rc;

	while (off < size) {
		rc = d->f->decode(cb, size, off, &cmd);
		if (rc)
			return rc;
		rc = mdl_disasm_packet(d->f, queue_id, cb, size, off, &cmd, line, sizeof(line));
		if (rc)
			return rc;
		printf("%*s%s\n", 4 + 6 * depth, "", line);
		if (cmd.kind == HLSIM_CMD_CB_CALL && depth < 2) {
			struct hlsim_trace_mem img;
			const struct hlsim_blob *b;
			uint64_t ioff;

			if (hlsim_trace_mem_find(d->t, 0, cmd.u.cb_call.addr,
						 cmd.u.cb_call.size_bytes, d->cs_row, &img,
						 &ioff) == HLSIM_OK &&
			    hlsim_trace_blob_get(d->t, 0, img.blob_id, &b) == HLSIM_OK) {
				printf("%*s-> CB at 0x%" PRIx64 ", %u bytes, run by the lower CP:\n",
				       4 + 6 * depth + 6, "", cmd.u.cb_call.addr,
				       cmd.u.cb_call.size_bytes);
				if (ioff + cmd.u.cb_call.size_bytes <= b->size)
					rc = dis_cb(d, queue_id, b->bytes + ioff,
						    cmd.u.cb_call.size_bytes, depth + 1);
				hlsim_trace_blob_put(d->t, b);
				if (rc)
					return hlsim_error_prefix(rc, "CB at 0x%" PRIx64 ": ",
								  cmd.u.cb_call.addr);
			} else {
				printf("%*s-> CB at 0x%" PRIx64 ": not in the trace's memory images\n",
				       4 + 6 * depth + 6, "", cmd.u.cb_call.addr);
			}
		}
		off += cmd.size_bytes;
	}
	return HLSIM_OK;
}

int cli_disasm(int argc, char **argv)
{
	struct dis d = { 0 };
	struct hlsim_trace_counts n;
	uint64_t want = 0, i;
	int have_want = 0, status = 1;
	const char *asic;
	hlsim_err_t rc;

	for (int k = 1; k < argc; k++) {
		if (!strcmp(argv[k], "--cs") && k + 1 < argc) {
			if (cli_parse_u64(argv[++k], &want)) {
				fprintf(stderr, "hlsim disasm: --cs '%s': expected a CS sequence "
						"number\n",
					argv[k]);
				return 2;
			}
			have_want = 1;
		} else if (!strcmp(argv[k], "--help") || !strcmp(argv[k], "-h")) {
			printf("usage: hlsim disasm TRACE [--cs SEQ]\n");
			return 0;
		} else if (argv[k][0] != '-' && !d.path) {
			d.path = argv[k];
		} else {
			fprintf(stderr, "usage: hlsim disasm TRACE [--cs SEQ]\n");
			return 2;
		}
	}
	if (!d.path) {
		fprintf(stderr, "usage: hlsim disasm TRACE [--cs SEQ]\n");
		return 2;
	}
	rc = hlsim_trace_open(d.path, &d.t);
	if (rc)
		return cli_fail(rc, "disasm");
	asic = hlsim_trace_device_info(d.t, 0)->asic;
	rc = mdl_asic_by_name(asic, &d.f);
	if (!rc)
		rc = hlsim_trace_counts(d.t, 0, &n);
	for (i = 0; !rc && i < n.cs; i++) {
		struct hlsim_trace_cs cs;

		rc = hlsim_trace_read_cs(d.t, 0, i, &cs);
		if (rc || (have_want && cs.seq != want))
			continue;
		printf("CS seq %" PRIu64 " (row %" PRIu64 "), flags 0x%x, %u jobs\n", cs.seq, i,
		       cs.flags, cs.num_jobs);
		d.cs_row = i;
		d.cs_seq = cs.seq;
		for (d.job = 0; d.job < cs.num_jobs; d.job++) {
			const struct mdl_queue_info *qi;
			struct hlsim_trace_job job;
			const struct hlsim_blob *b = NULL;

			rc = hlsim_trace_read_job(d.t, 0, cs.first_job + d.job, &job);
			if (rc)
				break;
			qi = d.f->queue_info(job.queue_id);
			printf("  job %u: queue %s (%u), %s, CB 0x%" PRIx64 ", %u bytes\n", d.job,
			       qi && qi->kind != MDL_QUEUE_NA ? qi->name : "?", job.queue_id,
			       job.phase == HLSIM_PHASE_RESTORE ? "restore" : "execute",
			       job.cb_handle, job.cb_size);
			if (job.blob_id == HLSIM_TRACE_NO_BLOB) {
				printf("    (no snapshot of this CB in the trace)\n");
				continue;
			}
			rc = hlsim_trace_blob_get(d.t, 0, job.blob_id, &b);
			if (rc)
				break;
			if (job.cb_size > b->size)
				rc = hlsim_error(HLSIM_E_TRACE_FORMAT,
						 "cb_size %u exceeds the %zu snapshotted bytes",
						 job.cb_size, b->size);
			else
				rc = dis_cb(&d, job.queue_id, b->bytes, job.cb_size, 0);
			hlsim_trace_blob_put(d.t, b);
			if (rc)
				break;
		}
		if (rc)
			rc = hlsim_error_prefix(rc, "%s: CS seq %" PRIu64 " (row %" PRIu64 "), job %u: ",
						d.path, cs.seq, i, d.job);
	}
	if (rc) {
		fflush(stdout);
		status = cli_fail(rc, "disasm");
	} else if (have_want && !n.cs) {
		status = 1;
	} else {
		status = 0;
	}
	hlsim_trace_close(d.t);
	return status;
}
