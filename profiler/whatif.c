/*
 * profiler/whatif.c - what-if ranking: run a trace with one resource at a time made F times
 * faster, and rank the resources by the end-to-end gain.
 *
 * The resource table below is the one place that says what "made faster" means for each
 * resource. Each case is a child `hlsim run TRACE [--config C] [--set ..]... --set
 * KEY=SCALED... -o DIR/runs/NAME --no-plot --no-progress` started with posix_spawn (an
 * argument vector, no shell; the pool of profiler/child.c) with its stdout in
 * DIR/runs/NAME/log.txt and its stderr in DIR/runs/NAME/stderr.txt, whose last line is a
 * failed run's error. The baseline runs
 * first (it decides which engine classes exist), then the resources N at a time. A
 * resource's scaled values are computed from the resolved configuration (preset plus
 * --set), so a --set of the same key is scaled too.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hlsim/results.h"
#include "models/common/config_int.h"
#include "profiler/prf.h"
#include "profiler/prf_child.h"
#include "profiler/prf_whatif.h"

#define PATH_BYTES 4096
/* Most --set arguments a case passes on (the user's plus the resource's). */
#define MAX_SETS 64

/*
 * The resources. "x F": a rate multiplied by F; "/ F": a cost divided by F.
 *
 *   dma   DMA engines        dma.engine_bandwidth x F, dma.setup_latency / F
 *   tpc   TPC clock          tpc.clock x F
 *   mme   MME clock          mme.clock x F
 *   hbm   HBM bandwidth      hbm.bandwidth x F, hbm.latency / F
 *   sram  SRAM bandwidth     sram.bandwidth x F, sram.latency / F
 *   pcie  PCIe bandwidth     pcie.h2d_bandwidth x F, pcie.d2h_bandwidth x F,
 *                            pcie.switch_uplink_bandwidth x F (runs of several devices),
 *                            pcie.latency / F
 *   cp    command processors cp.packet_cycles / F, cp.lower_cp_handoff / F
 *   sync  sync manager       sync.msg_latency / F
 *   host  host submission    host.cs_submit_overhead / F
 *   nic   NIC and network    nic.port_bandwidth x F, nic.latency / F, nic.link_latency / F,
 *                            scaleout.switch_latency / F
 *
 * dma, tpc, mme and nic are tried only when the baseline run has an engine of that class.
 */
static const struct prf_whatif_resource resources[] = {
	{ "dma", "DMA engines", "dma",
	  { { "dma.engine_bandwidth", PRF_WHATIF_MUL }, { "dma.setup_latency", PRF_WHATIF_DIV } },
	  2 },
	{ "tpc", "TPC clock", "tpc", { { "tpc.clock", PRF_WHATIF_MUL } }, 1 },
	{ "mme", "MME clock", "mme", { { "mme.clock", PRF_WHATIF_MUL } }, 1 },
	{ "hbm", "HBM bandwidth", NULL,
	  { { "hbm.bandwidth", PRF_WHATIF_MUL }, { "hbm.latency", PRF_WHATIF_DIV } }, 2 },
	{ "sram", "SRAM bandwidth", NULL,
	  { { "sram.bandwidth", PRF_WHATIF_MUL }, { "sram.latency", PRF_WHATIF_DIV } }, 2 },
	{ "pcie", "PCIe bandwidth", NULL,
	  { { "pcie.h2d_bandwidth", PRF_WHATIF_MUL },
	    { "pcie.d2h_bandwidth", PRF_WHATIF_MUL },
	    { "pcie.switch_uplink_bandwidth", PRF_WHATIF_MUL },
	    { "pcie.latency", PRF_WHATIF_DIV } },
	  4 },
	{ "cp", "command processors", NULL,
	  { { "cp.packet_cycles", PRF_WHATIF_DIV }, { "cp.lower_cp_handoff", PRF_WHATIF_DIV } },
	  2 },
	{ "sync", "sync manager", NULL, { { "sync.msg_latency", PRF_WHATIF_DIV } }, 1 },
	{ "host", "host submission", NULL, { { "host.cs_submit_overhead", PRF_WHATIF_DIV } },
	  1 },
	{ "nic", "NIC ports and network", "nic",
	  { { "nic.port_bandwidth", PRF_WHATIF_MUL },
	    { "nic.latency", PRF_WHATIF_DIV },
	    { "nic.link_latency", PRF_WHATIF_DIV },
	    { "scaleout.switch_latency", PRF_WHATIF_DIV } },
	  4 },
};

#define NUM_RESOURCES (sizeof(resources) / sizeof(resources[0]))

const struct prf_whatif_resource *prf_whatif_resources(size_t *n)
{
	*n = NUM_RESOURCES;
	return resources;
}

/* @v (>= 0) scaled and rounded to an integer; at least 1 when @v was. -1 if too large. */
static int scale_u64(uint64_t v, int op, double factor, uint64_t *out)
{
	double r = op == PRF_WHATIF_MUL ? (double)v * factor : (double)v / factor;

	r = floor(r + 0.5);
	if (!(r < 18446744073709549568.0))
		return -1;
	*out = (uint64_t)r;
	if (*out == 0 && v >= 1)
		*out = 1;
	return 0;
}

hlsim_err_t prf_whatif_scaled_value(const hlsim_config_t *cfg, const char *key, int op,
				    double factor, char *buf, size_t cap)
{
	const struct hlsim_param *p = mdl_config_param_find(key);
	struct mdl_config_value v = { 0, 0.0, NULL };
	char text[MDL_CONFIG_VALUE_MAX];

	if (!p)
		return hlsim_error(HLSIM_E_INVAL, "whatif: %s is not a declared parameter", key);
	if (!isfinite(factor) || factor <= 0)
		return hlsim_error(HLSIM_E_INVAL, "whatif: factor %g: expected a number > 0",
				   factor);
	if (op != PRF_WHATIF_MUL && op != PRF_WHATIF_DIV)
		return hlsim_error(HLSIM_E_INVAL, "whatif: %s: unknown operation %d", key, op);
	switch (p->type) {
	case HLSIM_PARAM_U64:
	case HLSIM_PARAM_TIME:
	case HLSIM_PARAM_BYTES:
		if (scale_u64(hlsim_config_u64(cfg, key), op, factor, &v.u64))
			return hlsim_error(HLSIM_E_INVAL, "whatif: %s x %g is out of range", key,
					   factor);
		break;
	case HLSIM_PARAM_F64:
	case HLSIM_PARAM_FREQ:
	case HLSIM_PARAM_BANDWIDTH:
		v.f64 = hlsim_config_f64(cfg, key);
		v.f64 = op == PRF_WHATIF_MUL ? v.f64 * factor : v.f64 / factor;
		if (!isfinite(v.f64))
			return hlsim_error(HLSIM_E_INVAL, "whatif: %s x %g is out of range", key,
					   factor);
		break;
	default:
		return hlsim_error(HLSIM_E_INVAL, "whatif: %s is a %s: it cannot be scaled", key,
				   mdl_config_type_name(p->type));
	}
	mdl_config_format_value(p->type, &v, text, sizeof(text));
	if ((size_t)snprintf(buf, cap, "%s=%s", key, text) >= cap)
		return hlsim_error(HLSIM_E_INVAL, "whatif: %s=%s is too long", key, text);
	return HLSIM_OK;
}

/* "key=value" of @key's current value in @cfg. */
static hlsim_err_t current_value(const hlsim_config_t *cfg, const char *key, char *buf,
				 size_t cap)
{
	const struct hlsim_param *p = mdl_config_param_find(key);

	if (!p || p->type == HLSIM_PARAM_STR || p->type == HLSIM_PARAM_BOOL)
		return hlsim_error(HLSIM_E_INVAL, "whatif: %s cannot be scaled", key);
	/* scaling by 1 formats the value unchanged (integers are already integers) */
	return prf_whatif_scaled_value(cfg, key, PRF_WHATIF_MUL, 1.0, buf, cap);
}

hlsim_err_t prf_whatif_speedup(uint64_t base_ps, uint64_t new_ps, double factor, double *speedup,
			       double *share)
{
	double possible;

	*speedup = 0;
	*share = 0;
	if (!base_ps || !new_ps)
		return hlsim_error(HLSIM_E_INVAL, "whatif: a simulated time of 0 ps (baseline %"
				   PRIu64 " ps, case %" PRIu64 " ps)", base_ps, new_ps);
	if (!isfinite(factor) || factor <= 0)
		return hlsim_error(HLSIM_E_INVAL, "whatif: factor %g: expected > 0", factor);
	*speedup = (double)base_ps / (double)new_ps;
	if (factor <= 1)
		return HLSIM_OK;
	possible = (double)base_ps - (double)base_ps / factor;
	*share = ((double)base_ps - (double)new_ps) / possible;
	return HLSIM_OK;
}

void prf_whatif_rank(struct prf_whatif_row *rows, size_t n)
{
	size_t i, j;

	/* insertion sort: stable, and n is the size of the resource table */
	for (i = 1; i < n; i++) {
		struct prf_whatif_row tmp;

		for (j = i; j > 0; j--) {
			const struct prf_whatif_row *a = &rows[j - 1], *b = &rows[j];
			int before = b->ok && (!a->ok || b->speedup > a->speedup);

			if (!before)
				break;
			tmp = rows[j - 1];
			rows[j - 1] = rows[j];
			rows[j] = tmp;
		}
	}
}

/* ===== running the cases ===== */

/* mkdir @path (its parent must exist); an existing folder is fine. */
static hlsim_err_t make_dir(const char *path)
{
	struct stat sb;

	if (mkdir(path, 0777) && errno != EEXIST)
		return hlsim_error(HLSIM_E_IO, "%s: cannot create the folder: %s", path,
				   strerror(errno));
	if (stat(path, &sb) || !S_ISDIR(sb.st_mode))
		return hlsim_error(HLSIM_E_IO, "%s: exists but is not a folder", path);
	return HLSIM_OK;
}

/* One case: the baseline (row NULL) or a resource; @pc: its child (in the pool array). */
struct job {
	const char *name;
	struct prf_whatif_row *row;
	struct prf_child *pc;
};

/* The folder of case @name. */
static int case_dir(const struct prf_whatif_opts *o, const char *name, char *buf, size_t cap)
{
	return (size_t)snprintf(buf, cap, "%s/runs/%s", o->out_dir, name) >= cap ? -1 : 0;
}

/* Start case @j. */
static hlsim_err_t spawn_case(const struct prf_whatif_opts *o, struct job *j)
{
	char dir[PATH_BYTES], out[PATH_BYTES + 32], err[PATH_BYTES + 32];
	const char *argv[16 + 2 * MAX_SETS];
	char what[64];
	size_t n = 0, i;
	hlsim_err_t rc;

	if (case_dir(o, j->name, dir, sizeof(dir)))
		return hlsim_error(HLSIM_E_INVAL, "whatif: output folder name too long");
	rc = make_dir(dir);
	if (rc)
		return rc;
	snprintf(out, sizeof(out), "%s/results.h5", dir);
	if (unlink(out) && errno != ENOENT)
		return hlsim_error(HLSIM_E_IO, "%s: cannot remove: %s", out, strerror(errno));
	argv[n++] = o->exe;
	argv[n++] = "run";
	argv[n++] = o->trace;
	if (o->config) {
		argv[n++] = "--config";
		argv[n++] = o->config;
	}
	for (i = 0; i < o->num_sets; i++) {
		argv[n++] = "--set";
		argv[n++] = o->sets[i];
	}
	for (i = 0; j->row && i < j->row->resource->num_params; i++) {
		argv[n++] = "--set";
		argv[n++] = j->row->sets[i];
	}
	argv[n++] = "-o";
	argv[n++] = dir;
	argv[n++] = "--no-plot";
	argv[n++] = "--no-progress";
	argv[n] = NULL;
	snprintf(out, sizeof(out), "%s/log.txt", dir);
	snprintf(err, sizeof(err), "%s/stderr.txt", dir);
	snprintf(what, sizeof(what), "whatif: %s", j->name);
	return prf_child_spawn_files(j->pc, o->exe, argv, out, err, what);
}

/* The last non-empty line of @path into @buf (empty if none). */
static void last_line(const char *path, char *buf, size_t cap)
{
	char line[PRF_WHATIF_ERROR_BYTES];
	FILE *f = fopen(path, "r");
	size_t len;

	buf[0] = '\0';
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		len = strcspn(line, "\r\n");
		line[len] = '\0';
		if (len)
			snprintf(buf, cap, "%s", line);
	}
	fclose(f);
}

/* Read case @name's simulated time (and, for the baseline, its engine classes). */
static hlsim_err_t read_case(const struct prf_whatif_opts *o, const char *name, uint64_t *time_ps,
			     char classes[][8], size_t *num_classes, size_t max_classes)
{
	char path[PATH_BYTES + 32], dir[PATH_BYTES];
	const struct hlsim_run_info *info;
	hlsim_results_t *res;
	size_t i, k;
	hlsim_err_t rc;

	if (case_dir(o, name, dir, sizeof(dir)))
		return hlsim_error(HLSIM_E_INVAL, "whatif: output folder name too long");
	snprintf(path, sizeof(path), "%s/results.h5", dir);
	rc = hlsim_results_open(path, &res);
	if (rc)
		return rc;
	info = hlsim_results_run_info(res);
	if (!info || !info->simulated_time_ps) {
		hlsim_results_close(res);
		return hlsim_error(HLSIM_E_TRACE_FORMAT, "%s: no run info or a simulated time "
				   "of 0", path);
	}
	*time_ps = info->simulated_time_ps;
	for (i = 0; classes && i < hlsim_results_num_units(res); i++) {
		const struct hlsim_unit *u = hlsim_results_unit(res, i);

		if (!u || u->kind != HLSIM_UNIT_ENGINE)
			continue;
		for (k = 0; k < *num_classes; k++)
			if (!strncmp(classes[k], u->engine_class, sizeof(u->engine_class)))
				break;
		if (k == *num_classes && k < max_classes) {
			snprintf(classes[k], 8, "%.*s", (int)sizeof(u->engine_class) - 1,
				 u->engine_class);
			(*num_classes)++;
		}
	}
	hlsim_results_close(res);
	return HLSIM_OK;
}

/*
 * Wait for a case of @jobs (whose children are @pcs[0..@n)) to end; fill its row. The
 * index of the ended case into *@done.
 */
static hlsim_err_t reap_one(const struct prf_whatif_opts *o, struct job *jobs,
			    struct prf_child *pcs, size_t n, size_t *done, int *ok, char *err,
			    size_t cap)
{
	char dir[PATH_BYTES], path[PATH_BYTES + 32];
	int status;
	size_t i;
	hlsim_err_t rc;

	rc = prf_child_wait_any(pcs, n, &i, &status, "whatif");
	if (rc)
		return rc;
	*done = i;
	case_dir(o, jobs[i].name, dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/stderr.txt", dir);
	*ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
	err[0] = '\0';
	if (!*ok) {
		char last[PRF_WHATIF_ERROR_BYTES];

		last_line(path, last, sizeof(last));
		if (WIFSIGNALED(status))
			snprintf(err, cap, "killed by signal %d%s%s", WTERMSIG(status),
				 last[0] ? ": " : "", last);
		else
			snprintf(err, cap, "exit status %d: %s", WEXITSTATUS(status),
				 last[0] ? last : "(no error message)");
	}
	return HLSIM_OK;
}

/* ===== outputs ===== */

/* Which parameters a row changed: "hbm.bandwidth=2TB/s, hbm.latency=50ns". */
static void params_text(const struct prf_whatif_row *r, char *buf, size_t cap)
{
	size_t used = 0, i;

	buf[0] = '\0';
	for (i = 0; i < r->resource->num_params && used < cap; i++)
		used += (size_t)snprintf(buf + used, cap - used, "%s%s", i ? ", " : "",
					 r->sets[i]);
}

/* The factor as short text: "2", "1.5". */
static void factor_text(double f, char *buf, size_t cap)
{
	snprintf(buf, cap, "%g", f);
}

static hlsim_err_t write_text(FILE *f, const struct prf_whatif_opts *o, uint64_t base_ps,
			      const struct prf_whatif_row *rows, size_t n)
{
	char pbuf[4 * PRF_WHATIF_SET_BYTES + 16], us[40], fx[32];
	size_t i, pw = strlen("parameters changed"), nw = strlen("resource");

	factor_text(o->factor, fx, sizeof(fx));
	if (n && rows[0].ok && rows[0].speedup > 1.0)
		fprintf(f, "%s x%s: %.2fx faster end to end\n", rows[0].resource->label, fx,
			rows[0].speedup);
	else if (n && rows[0].ok)
		fprintf(f, "No resource made x%s faster shortens the run (best: %s x%s, %.2fx)\n",
			fx, rows[0].resource->label, fx, rows[0].speedup);
	else
		fprintf(f, "No what-if run succeeded\n");
	fprintf(f, "\ntrace: %s\nconfiguration: %s\nfactor: x%s (rates x%s, latencies and "
		   "costs / %s)\nbaseline: %s us simulated\n\n",
		o->trace, o->config ? o->config : "(default)", fx, fx, fx,
		prf_fmt_ps_us(us, sizeof(us), base_ps));
	for (i = 0; i < n; i++) {
		params_text(&rows[i], pbuf, sizeof(pbuf));
		if (strlen(pbuf) > pw)
			pw = strlen(pbuf);
		if (strlen(rows[i].resource->name) > nw)
			nw = strlen(rows[i].resource->name);
	}
	fprintf(f, "%4s  %-*s  %-*s  %20s  %11s  %14s\n", "rank", (int)nw, "resource", (int)pw,
		"parameters changed", "simulated time [us]", "speedup [x]", "gain share [%]");
	for (i = 0; i < n; i++) {
		const struct prf_whatif_row *r = &rows[i];

		params_text(r, pbuf, sizeof(pbuf));
		if (r->ok)
			fprintf(f, "%4zu  %-*s  %-*s  %20s  %11.3f  %14.1f\n", i + 1, (int)nw,
				r->resource->name, (int)pw, pbuf,
				prf_fmt_ps_us(us, sizeof(us), r->simulated_time_ps), r->speedup,
				r->share * 100.0);
		else
			fprintf(f, "%4s  %-*s  %-*s  FAILED: %s\n", "-", (int)nw,
				r->resource->name, (int)pw, pbuf, r->error);
	}
	fprintf(f, "\nspeedup = baseline time / new time; gain share = the time saved as a "
		   "share of what x%s on everything would save (100%% = the whole gain)\n", fx);
	return HLSIM_OK;
}

static void json_str(FILE *f, const char *s)
{
	prf_json_write_string(f, s, strlen(s));
}

static hlsim_err_t write_json(FILE *f, const struct prf_whatif_opts *o, uint64_t base_ps,
			      const struct prf_whatif_row *rows, size_t n)
{
	size_t i, k;

	fprintf(f, "{\n  \"schema\": \"hlsim-whatif\",\n  \"version\": 1,\n  \"trace\": ");
	json_str(f, o->trace);
	fprintf(f, ",\n  \"config\": ");
	if (o->config)
		json_str(f, o->config);
	else
		fprintf(f, "null");
	fprintf(f, ",\n  \"factor\": %.6g,\n  \"baseline_time_ps\": %" PRIu64
		   ",\n  \"best\": ", o->factor, base_ps);
	if (n && rows[0].ok)
		json_str(f, rows[0].resource->name);
	else
		fprintf(f, "null");
	fprintf(f, ",\n  \"resources\": [");
	for (i = 0; i < n; i++) {
		const struct prf_whatif_row *r = &rows[i];

		fprintf(f, "%s\n    {\n      \"rank\": %zu,\n      \"resource\": ", i ? "," : "",
			i + 1);
		json_str(f, r->resource->name);
		fprintf(f, ",\n      \"label\": ");
		json_str(f, r->resource->label);
		fprintf(f, ",\n      \"params\": [");
		for (k = 0; k < r->resource->num_params; k++) {
			const char *to = strchr(r->sets[k], '=');
			const char *from = strchr(r->from[k], '=');

			fprintf(f, "%s\n        { \"key\": ", k ? "," : "");
			json_str(f, r->resource->params[k].key);
			fprintf(f, ", \"op\": \"%s\", \"from\": ",
				r->resource->params[k].op == PRF_WHATIF_MUL ? "mul" : "div");
			json_str(f, from ? from + 1 : "");
			fprintf(f, ", \"to\": ");
			json_str(f, to ? to + 1 : "");
			fprintf(f, " }");
		}
		fprintf(f, "\n      ],\n      \"status\": \"%s\",\n", r->ok ? "ok" : "failed");
		if (r->ok) {
			fprintf(f, "      \"simulated_time_ps\": %" PRIu64 ",\n      \"speedup\": "
				   "%.6f,\n      \"gain_share\": %.6f,\n      \"error\": null\n",
				r->simulated_time_ps, r->speedup, r->share);
		} else {
			fprintf(f, "      \"simulated_time_ps\": null,\n      \"speedup\": null,\n"
				   "      \"gain_share\": null,\n      \"error\": ");
			json_str(f, r->error);
			fprintf(f, "\n");
		}
		fprintf(f, "    }");
	}
	fprintf(f, "%s]\n}\n", n ? "\n  " : "");
	return HLSIM_OK;
}

/* A gnuplot string: no double quotes or backslashes inside. */
static void dat_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++)
		fputc(*s == '"' || *s == '\\' ? '\'' : *s, f);
	fputc('"', f);
}

static hlsim_err_t write_dat(FILE *f, const struct prf_whatif_opts *o, uint64_t base_ps,
			     const struct prf_whatif_row *rows, size_t n)
{
	char fx[32], title[256], us[40];
	size_t i, nok = 0;

	factor_text(o->factor, fx, sizeof(fx));
	for (i = 0; i < n; i++)
		nok += rows[i].ok != 0;
	fprintf(f, "# whatif.dat - hlsim whatif bar chart data (plots/whatif.gp)\n"
		   "# block 0 (meta): \"title\" factor baseline_us bars\n"
		   "# block 1 (bars, in rank order, runs that succeeded): rank \"label\" "
		   "speedup gain_share_percent \"parameters\"\n");
	snprintf(title, sizeof(title), "What if one resource were x%s faster? (baseline %s us)",
		 fx, prf_fmt_ps_us(us, sizeof(us), base_ps));
	dat_str(f, title);
	fprintf(f, " %.6g %s %zu\n\n\n", o->factor, us, nok);
	for (i = 0; i < n; i++) {
		char pbuf[4 * PRF_WHATIF_SET_BYTES + 16], label[96];

		if (!rows[i].ok)
			continue;
		params_text(&rows[i], pbuf, sizeof(pbuf));
		snprintf(label, sizeof(label), "%s x%s", rows[i].resource->label, fx);
		fprintf(f, "%zu ", i + 1);
		dat_str(f, label);
		fprintf(f, " %.6f %.3f ", rows[i].speedup, rows[i].share * 100.0);
		dat_str(f, pbuf);
		fputc('\n', f);
	}
	if (!nok)
		fprintf(f, "# no run succeeded\n");
	return HLSIM_OK;
}

typedef hlsim_err_t (*out_fn)(FILE *f, const struct prf_whatif_opts *o, uint64_t base_ps,
			      const struct prf_whatif_row *rows, size_t n);

static hlsim_err_t write_out(const struct prf_whatif_opts *o, const char *name, out_fn fn,
			     uint64_t base_ps, const struct prf_whatif_row *rows, size_t n)
{
	char path[PATH_BYTES + 32];
	hlsim_err_t rc;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", o->out_dir, name);
	f = fopen(path, "w");
	if (!f)
		return hlsim_error(HLSIM_E_IO, "%s: cannot create: %s", path, strerror(errno));
	rc = fn(f, o, base_ps, rows, n);
	if (ferror(f)) {
		fclose(f);
		return hlsim_error(HLSIM_E_IO, "%s: write failed", path);
	}
	if (fclose(f))
		return hlsim_error(HLSIM_E_IO, "%s: write failed: %s", path, strerror(errno));
	return rc;
}

/* The rows that apply: every resource, engine classes only if the baseline has them. */
static hlsim_err_t make_rows(const struct prf_whatif_opts *o, char classes[][8],
			     size_t num_classes, struct prf_whatif_row *rows, size_t *n)
{
	hlsim_config_t *cfg = NULL;
	size_t i, k, m = 0;
	hlsim_err_t rc;

	rc = hlsim_config_load(o->config, &cfg);
	for (i = 0; !rc && i < o->num_sets; i++)
		rc = hlsim_config_set(cfg, o->sets[i], "--set");
	for (i = 0; !rc && i < NUM_RESOURCES; i++) {
		const struct prf_whatif_resource *r = &resources[i];
		struct prf_whatif_row *row = &rows[m];

		if (r->engine_class) {
			for (k = 0; k < num_classes; k++)
				if (!strcmp(classes[k], r->engine_class))
					break;
			if (k == num_classes)
				continue;
		}
		memset(row, 0, sizeof(*row));
		row->resource = r;
		for (k = 0; !rc && k < r->num_params; k++) {
			rc = prf_whatif_scaled_value(cfg, r->params[k].key, r->params[k].op,
						     o->factor, row->sets[k],
						     sizeof(row->sets[k]));
			if (!rc)
				rc = current_value(cfg, r->params[k].key, row->from[k],
						   sizeof(row->from[k]));
		}
		m++;
	}
	hlsim_config_free(cfg);
	*n = m;
	return rc;
}

hlsim_err_t prf_whatif_run(const struct prf_whatif_opts *o, size_t *failed)
{
	struct prf_whatif_row rows[NUM_RESOURCES];
	struct job jobs[NUM_RESOURCES + 1];
	struct prf_child pcs[NUM_RESOURCES + 1];
	char classes[16][8], path[PATH_BYTES + 32], plots[PATH_BYTES], script[PATH_BYTES + 32];
	char data[PATH_BYTES + 32], err[PRF_WHATIF_ERROR_BYTES];
	size_t nrows = 0, nclasses = 0, next = 0, active = 0, nfailed = 0, i, done;
	uint64_t base_ps = 0;
	hlsim_err_t rc;
	int ok;

	if (failed)
		*failed = 0;
	if (!o || !o->exe || !o->trace || !o->out_dir)
		return hlsim_error(HLSIM_E_INVAL, "whatif: the executable, trace and output "
						  "folder are required");
	if (!isfinite(o->factor) || o->factor <= 1)
		return hlsim_error(HLSIM_E_USAGE, "whatif: factor %g: expected a number > 1",
				   o->factor);
	if (o->num_sets + PRF_WHATIF_MAX_PARAMS > MAX_SETS)
		return hlsim_error(HLSIM_E_USAGE, "whatif: more than %d --set options",
				   MAX_SETS - PRF_WHATIF_MAX_PARAMS);
	if (!o->no_plot) {
		rc = prf_plots_dir_find(o->plots_dir, plots, sizeof(plots));
		if (rc)
			return rc;
		snprintf(script, sizeof(script), "%s/whatif.gp", plots);
		if (access(script, R_OK))
			return hlsim_error(HLSIM_E_IO, "%s: cannot read the plot script: %s",
					   script, strerror(errno));
	}
	rc = make_dir(o->out_dir);
	if (!rc) {
		snprintf(path, sizeof(path), "%s/runs", o->out_dir);
		rc = make_dir(path);
	}
	if (rc)
		return rc;

	/* the baseline, alone: its engine classes decide which resources apply */
	memset(jobs, 0, sizeof(jobs));
	memset(pcs, 0, sizeof(pcs));
	for (i = 0; i < NUM_RESOURCES + 1; i++) {
		pcs[i].err_fd = pcs[i].log_fd = -1;
		jobs[i].pc = &pcs[i];
	}
	jobs[0].name = "baseline";
	if (o->log) {
		fprintf(o->log, "hlsim whatif: running the baseline\n");
		fflush(o->log);
	}
	rc = spawn_case(o, &jobs[0]);
	if (!rc)
		rc = reap_one(o, jobs, pcs, 1, &done, &ok, err, sizeof(err));
	if (rc)
		return rc;
	if (!ok)
		return hlsim_error(HLSIM_E_EXTERNAL, "whatif: the baseline run failed (%s/runs/"
				   "baseline/log.txt): %s", o->out_dir, err);
	rc = read_case(o, "baseline", &base_ps, classes, &nclasses, 16);
	if (rc)
		return hlsim_error_prefix(rc, "whatif: baseline: ");
	rc = make_rows(o, classes, nclasses, rows, &nrows);
	if (rc)
		return hlsim_error_prefix(rc, "whatif: ");

	memset(jobs, 0, sizeof(jobs));
	memset(pcs, 0, sizeof(pcs));
	for (i = 0; i < NUM_RESOURCES + 1; i++) {
		pcs[i].err_fd = pcs[i].log_fd = -1;
		jobs[i].pc = &pcs[i];
	}
	for (i = 0; i < nrows; i++) {
		jobs[i].name = rows[i].resource->name;
		jobs[i].row = &rows[i];
	}
	while (next < nrows || active) {
		while (next < nrows && active < (o->jobs ? o->jobs : 1)) {
			rc = spawn_case(o, &jobs[next]);
			if (rc) {
				/* cannot start it: a failed row, the others go on */
				jobs[next].row->ok = 0;
				snprintf(jobs[next].row->error, PRF_WHATIF_ERROR_BYTES, "%s",
					 hlsim_last_error_detail());
				nfailed++;
			} else {
				active++;
			}
			next++;
		}
		if (!active)
			break;
		rc = reap_one(o, jobs, pcs, nrows, &done, &ok, err, sizeof(err));
		if (rc)
			goto out_wait;
		active--;
		if (ok)
			ok = !read_case(o, jobs[done].name, &rows[done].simulated_time_ps, NULL,
					NULL, 0);
		if (ok && prf_whatif_speedup(base_ps, rows[done].simulated_time_ps, o->factor,
					     &rows[done].speedup, &rows[done].share))
			ok = 0;
		if (!ok && !err[0])
			snprintf(err, sizeof(err), "%s", hlsim_last_error_detail());
		rows[done].ok = ok;
		if (!ok) {
			snprintf(rows[done].error, sizeof(rows[done].error), "%s", err);
			nfailed++;
		}
		if (o->log) {
			fprintf(o->log, "hlsim whatif: %-5s %s%s%s\n", jobs[done].name,
				ok ? "ok" : "FAILED", ok ? "" : ": ", ok ? "" : err);
			fflush(o->log);
		}
	}
	prf_whatif_rank(rows, nrows);
	rc = write_out(o, "whatif.txt", write_text, base_ps, rows, nrows);
	if (!rc)
		rc = write_out(o, "whatif.json", write_json, base_ps, rows, nrows);
	if (!rc)
		rc = write_out(o, "whatif.dat", write_dat, base_ps, rows, nrows);
	if (!rc && !o->no_plot) {
		snprintf(data, sizeof(data), "%s/whatif.dat", o->out_dir);
		snprintf(path, sizeof(path), "%s/whatif.png", o->out_dir);
		rc = prf_plot_run(script, data, path);
		snprintf(path, sizeof(path), "%s/whatif.svg", o->out_dir);
		if (!rc)
			rc = prf_plot_run(script, data, path);
	}
	if (failed)
		*failed = nfailed;
	return rc;

out_wait:
	/* on an error, let the running children finish rather than orphan them */
	for (i = 0; i < nrows; i++)
		prf_child_reap(&pcs[i]);
	return rc;
}
