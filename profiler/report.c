/*
 * profiler/report.c - the report of one results file: read it, analyse it, write it.
 *
 * The timeline is read in windows of PRF_READ_ROWS rows into one buffer, so memory is
 * bounded by the number of units and the (bounded) plot data, not by the number of
 * records. prf_report_run() writes report.txt, report.json, timeline.dat and, unless
 * asked not to, timeline.png and timeline.svg drawn by gnuplot from plots/timeline.gp,
 * then the plots of profiler/runplots.c (utilisation, bandwidth, roofline: .dat, .png,
 * .svg), fed with the same windows of rows.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "profiler/prf.h"
#include "profiler/prf_runplots.h"

/* Timeline rows read per call (2.5 MiB of records). */
#define PRF_READ_ROWS 65536

#define PATH_BYTES 4096

/**
 * struct rel_reader - the /releases rows, read in step with the timeline.
 * @buf: PRF_READ_ROWS rows (owned). @n: rows in @buf. @pos: next unused row in @buf.
 * @first: file row of @buf[0]. @total: rows in the file.
 */
struct rel_reader {
	struct hlsim_release *buf;
	size_t n, pos;
	uint64_t first, total;
};

/*
 * The release rows whose wait_row is below @end_row, from the reader's position: moves
 * them to the front of its buffer (PRF_READ_ROWS + 1 rows: a batch of timeline rows holds
 * at most PRF_READ_ROWS waits, and one more row shows where the batch ends) and sets
 * *@nrel and *@rel_first.
 */
static hlsim_err_t rel_take(hlsim_results_t *res, const char *path, struct rel_reader *rr,
			    uint64_t end_row, size_t *nrel, uint64_t *rel_first)
{
	size_t k = 0, got;
	hlsim_err_t rc;

	if (rr->pos) { /* keep the unused tail at the front */
		memmove(rr->buf, rr->buf + rr->pos, (rr->n - rr->pos) * sizeof(*rr->buf));
		rr->first += rr->pos;
		rr->n -= rr->pos;
		rr->pos = 0;
	}
	for (;;) {
		while (k < rr->n && rr->buf[k].wait_row < end_row)
			k++;
		if (k < rr->n || rr->first + rr->n >= rr->total)
			break;
		if (rr->n == PRF_READ_ROWS + 1)
			return hlsim_error(HLSIM_E_TRACE_FORMAT,
					   "%s: /releases rows %" PRIu64 "..%" PRIu64
					   " all name timeline rows before %" PRIu64
					   ": more releases than fence waits", path, rr->first,
					   rr->first + rr->n - 1, end_row);
		rc = hlsim_results_read_releases(res, rr->first + rr->n, rr->buf + rr->n,
						 PRF_READ_ROWS + 1 - rr->n, &got);
		if (rc)
			return hlsim_error_prefix(rc, "%s: ", path);
		if (!got)
			return hlsim_error(HLSIM_E_TRACE_FORMAT,
					   "%s: /releases row %" PRIu64 " cannot be read (%" PRIu64
					   " rows)", path, rr->first + rr->n, rr->total);
		rr->n += got;
	}
	*nrel = k;
	*rel_first = rr->first;
	rr->pos = k;
	return HLSIM_OK;
}

/* Copy the units table of @res and point at each unit's counters (NULL if it has none). */
static hlsim_err_t read_tables(hlsim_results_t *res, const char *path, size_t *num_units,
			       struct hlsim_unit **units_out,
			       const struct hlsim_counters ***counters_out)
{
	size_t n = hlsim_results_num_units(res), i;
	const struct hlsim_counters **counters;
	struct hlsim_unit *units;

	*units_out = NULL;
	*counters_out = NULL;
	*num_units = n;
	if (!n)
		return HLSIM_OK;
	units = calloc(n, sizeof(*units));
	counters = calloc(n, sizeof(*counters));
	if (!units || !counters) {
		free(units);
		free(counters);
		return hlsim_error(HLSIM_E_NOMEM, "profiler: no memory for %zu units", n);
	}
	for (i = 0; i < n; i++) {
		const struct hlsim_unit *u = hlsim_results_unit(res, i);

		if (!u) {
			free(units);
			free(counters);
			return hlsim_error(HLSIM_E_TRACE_FORMAT,
					   "%s: units table row %zu of %zu cannot be read", path, i,
					   n);
		}
		units[i] = *u;
		counters[i] = hlsim_results_counters(res, i);
	}
	*units_out = units;
	*counters_out = counters;
	return HLSIM_OK;
}

/*
 * Open @path and build the report of [@ws, @we) into @rep (freed by the caller) and, if
 * @plots is not NULL, the plot data of profiler/runplots.c into it (freed by the caller).
 */
hlsim_err_t prf_report_load(const char *path, uint64_t ws, uint64_t we, struct prf_report *rep,
			    struct prf_runplots *plots)
{
	const struct hlsim_counters **counters = NULL;
	char trace_path[sizeof(((struct hlsim_run_info *)0)->trace_path) + 1];
	const struct hlsim_run_info *info;
	struct hlsim_unit *units = NULL;
	struct rel_reader rr = { 0 };
	struct hlsim_rec *buf = NULL;
	hlsim_results_t *res = NULL;
	uint64_t total, first = 0, rel_first = 0;
	size_t num_units, got, nrel = 0;
	hlsim_err_t rc;

	memset(rep, 0, sizeof(*rep));
	rc = hlsim_results_open(path, &res);
	if (rc)
		return rc;
	info = hlsim_results_run_info(res);
	if (!info) {
		rc = hlsim_error(HLSIM_E_TRACE_FORMAT, "%s: the results file has no run info",
				 path);
		goto err_close;
	}
	rc = read_tables(res, path, &num_units, &units, &counters);
	if (rc)
		goto err_close;
	rc = prf_report_init(rep, info, units, counters, num_units, ws, we);
	if (rc) {
		hlsim_error_prefix(rc, "%s: ", path);
		goto err_free_tables;
	}
	/* kernel names: a trace that cannot be read only loses them (names_note says why) */
	snprintf(trace_path, sizeof(trace_path), "%.*s",
		 (int)strnlen(info->trace_path, sizeof(info->trace_path)), info->trace_path);
	rc = prf_names_open(trace_path, &rep->launches.names, rep->launches.names_note,
			    sizeof(rep->launches.names_note));
	if (rc)
		goto err_free_report;
	prf_collective_load(&rep->coll, prf_names_trace(rep->launches.names));
	rc = prf_held_init(&rep->held, num_units, hlsim_results_config(res),
			   hlsim_results_num_launch_traffic(res));
	if (!rc)
		rc = prf_held_starved(&rep->held, res);
	if (rc)
		goto err_free_report;
	prf_advice_config_load(&rep->advice_cfg, hlsim_results_config(res));
	if (plots) {
		rc = prf_runplots_init(plots, rep, hlsim_results_config(res));
		if (rc)
			goto err_free_report;
	}
	rc = prf_critpath_init(&rep->crit, units, num_units);
	if (rc)
		goto err_free_report;
	buf = malloc(PRF_READ_ROWS * sizeof(*buf));
	rr.total = hlsim_results_num_releases(res);
	rr.buf = malloc((PRF_READ_ROWS + 1) * sizeof(*rr.buf));
	if (!buf || !rr.buf) {
		rc = hlsim_error(HLSIM_E_NOMEM, "profiler: no memory for a read buffer");
		goto err_free_report;
	}
	total = hlsim_results_num_records(res);
	for (;;) {
		rc = hlsim_results_read(res, first, buf, PRF_READ_ROWS, &got);
		if (rc)
			goto err_free_buf;
		if (!got)
			break;
		rc = prf_report_add(rep, buf, got);
		prf_collective_add(&rep->coll, buf, got);
		if (!rc)
			rc = prf_held_add(&rep->held, res, path, first, buf, got,
					  rep->window_start_ps, rep->window_end_ps);
		if (!rc && plots)
			rc = prf_runplots_add(plots, buf, got);
		if (rc) {
			hlsim_error_prefix(rc, "%s: ", path);
			goto err_free_buf;
		}
		rc = rel_take(res, path, &rr, first + got, &nrel, &rel_first);
		if (!rc)
			rc = prf_stalls_add(&rep->stalls, first, buf, got, rr.buf, nrel, rel_first,
					    num_units, rep->window_start_ps, rep->window_end_ps);
		if (!rc)
			rc = prf_critpath_index(&rep->crit, first, buf, got);
		if (rc) {
			hlsim_error_prefix(rc, "%s: ", path);
			goto err_free_buf;
		}
		first += got;
	}
	if (rr.first + rr.pos != rr.total) {
		rc = hlsim_error(HLSIM_E_TRACE_FORMAT,
				 "%s: /releases row %" PRIu64 " names timeline row %" PRIu64
				 ", past the last of %" PRIu64, path, rr.first + rr.pos,
				 rr.pos < rr.n ? rr.buf[rr.pos].wait_row : 0, total);
		goto err_free_buf;
	}
	if (first != total) {
		rc = hlsim_error(HLSIM_E_TRACE_FORMAT,
				 "%s: read %" PRIu64 " timeline rows but the file says it has %"
				 PRIu64, path, first, total);
		goto err_free_buf;
	}
	rc = prf_report_finish(rep);
	if (!rc)
		rc = prf_critpath_walk(&rep->crit, res, path, units);
	if (rc)
		goto err_free_buf;
	free(rr.buf);
	free(buf);
	free((void *)counters);
	free(units);
	hlsim_results_close(res);
	return HLSIM_OK;

err_free_buf:
	free(rr.buf);
	free(buf);
err_free_report:
	if (plots)
		prf_runplots_free(plots);
	prf_report_free(rep);
err_free_tables:
	free((void *)counters);
	free(units);
err_close:
	hlsim_results_close(res);
	return rc;
}

typedef hlsim_err_t (*writer_fn)(const struct prf_report *rep, FILE *out);

/* Write @dir/@name with @fn; reports I/O errors with the file name. */
static hlsim_err_t write_file(const struct prf_report *rep, const char *dir, const char *name,
			      writer_fn fn)
{
	char path[PATH_BYTES];
	hlsim_err_t rc;
	FILE *f;

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return hlsim_error(HLSIM_E_INVAL, "output folder name too long: %s", dir);
	f = fopen(path, "w");
	if (!f)
		return hlsim_error(HLSIM_E_IO, "%s: cannot create: %s", path, strerror(errno));
	rc = fn(rep, f);
	if (rc) {
		fclose(f);
		return hlsim_error_prefix(rc, "%s: ", path);
	}
	if (ferror(f)) {
		fclose(f);
		return hlsim_error(HLSIM_E_IO, "%s: write failed", path);
	}
	if (fclose(f) != 0)
		return hlsim_error(HLSIM_E_IO, "%s: write failed: %s", path, strerror(errno));
	return HLSIM_OK;
}

/* Create @dir if it does not exist; it must be a folder. */
static hlsim_err_t make_dir(const char *dir)
{
	struct stat sb;

	if (mkdir(dir, 0777) != 0 && errno != EEXIST)
		return hlsim_error(HLSIM_E_IO, "%s: cannot create the output folder: %s", dir,
				   strerror(errno));
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return hlsim_error(HLSIM_E_IO, "%s: exists but is not a folder", dir);
	return HLSIM_OK;
}

/* Draw @dir/timeline.dat into @dir/timeline.@ext with @script. */
static hlsim_err_t draw(const char *script, const char *dir, const char *ext)
{
	char data[PATH_BYTES], out[PATH_BYTES];

	if (snprintf(data, sizeof(data), "%s/timeline.dat", dir) >= (int)sizeof(data) ||
	    snprintf(out, sizeof(out), "%s/timeline.%s", dir, ext) >= (int)sizeof(out))
		return hlsim_error(HLSIM_E_INVAL, "output folder name too long: %s", dir);
	return prf_plot_run(script, data, out);
}

hlsim_err_t prf_report_run(const char *results_path, const char *out_dir,
			   const struct prf_options *opt)
{
	struct prf_options defaults;
	char plots_dir[PATH_BYTES], script[PATH_BYTES];
	struct prf_runplots *plots;
	struct prf_report rep;
	hlsim_err_t rc;

	if (!results_path || !out_dir)
		return hlsim_error(HLSIM_E_INVAL, "prf_report_run: results path and output "
						  "folder are required");
	if (!opt) {
		memset(&defaults, 0, sizeof(defaults));
		opt = &defaults;
	}
	/* find the script before the long part, so a missing one fails at once */
	if (!opt->no_plot) {
		rc = prf_plots_dir_find(opt->plots_dir, plots_dir, sizeof(plots_dir));
		if (rc)
			return rc;
		if (snprintf(script, sizeof(script), "%s/timeline.gp", plots_dir) >=
		    (int)sizeof(script))
			return hlsim_error(HLSIM_E_INVAL, "plots folder name too long: %s",
					   plots_dir);
	}
	rc = make_dir(out_dir);
	if (rc)
		return rc;
	plots = calloc(1, sizeof(*plots));
	if (!plots)
		return hlsim_error(HLSIM_E_NOMEM, "profiler: no memory for the plot data");
	rc = prf_report_load(results_path, opt->window_start_ps, opt->window_end_ps, &rep, plots);
	if (rc) {
		free(plots);
		return rc;
	}
	rc = write_file(&rep, out_dir, "report.txt", prf_report_write_text);
	if (!rc)
		rc = write_file(&rep, out_dir, "report.json", prf_report_write_json);
	if (!rc)
		rc = write_file(&rep, out_dir, "timeline.dat", prf_timeline_write_dat);
	if (!rc && !opt->no_plot) {
		rc = draw(script, out_dir, "png");
		if (!rc)
			rc = draw(script, out_dir, "svg");
	}
	if (!rc)
		rc = prf_runplots_write_all(plots, &rep, out_dir, opt->no_plot ? NULL : plots_dir);
	prf_runplots_free(plots);
	free(plots);
	prf_report_free(&rep);
	return rc;
}

static hlsim_err_t print_report(const char *results_path, FILE *out, writer_fn fn)
{
	struct prf_report rep;
	hlsim_err_t rc;

	if (!results_path || !out)
		return hlsim_error(HLSIM_E_INVAL, "report: results path and stream are required");
	rc = prf_report_load(results_path, 0, 0, &rep, NULL);
	if (rc)
		return rc;
	rc = fn(&rep, out);
	prf_report_free(&rep);
	if (!rc && fflush(out) != 0)
		rc = hlsim_error(HLSIM_E_IO, "writing the report failed: %s", strerror(errno));
	return rc;
}

hlsim_err_t prf_report_print(const char *results_path, FILE *out)
{
	return print_report(results_path, out, prf_report_write_text);
}

hlsim_err_t prf_report_print_json(const char *results_path, FILE *out)
{
	return print_report(results_path, out, prf_report_write_json);
}

hlsim_err_t prf_report_print_csv(const char *results_path, FILE *out, int json,
				 const char *csv_dir)
{
	struct prf_report rep;
	hlsim_err_t rc;

	if (!results_path || !out || !csv_dir)
		return hlsim_error(HLSIM_E_INVAL,
				   "report: results path, stream and CSV folder are required");
	rc = prf_report_load(results_path, 0, 0, &rep, NULL);
	if (rc)
		return rc;
	rc = json ? prf_report_write_json(&rep, out) : prf_report_write_text(&rep, out);
	if (!rc)
		rc = prf_report_write_csv(&rep, csv_dir);
	prf_report_free(&rep);
	if (!rc && fflush(out) != 0)
		rc = hlsim_error(HLSIM_E_IO, "writing the report failed: %s", strerror(errno));
	return rc;
}
