/*
 * sim/cli/cmd_export.c - `hlsim export RESULTS --perfetto FILE [--window T0:T1]
 * [--max-bytes N]`: the timeline as Chrome Trace Event JSON for Perfetto and
 * chrome://tracing (profiler/export_perfetto.c, format in profiler/PERFETTO.md).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "models/common/config_int.h"
#include "profiler/prf.h"
#include "profiler/prf_export.h"
#include "sim/cli/cli.h"

#define WINDOW_TEXT_BYTES 128

static int usage(void)
{
	fprintf(stderr,
		"usage: hlsim export RESULTS --perfetto FILE [--window T0:T1] [--max-bytes N]\n"
		"  --perfetto FILE   write Chrome Trace Event JSON (open in ui.perfetto.dev)\n"
		"  --window T0:T1    only records overlapping [T0, T1), clipped (e.g. 10us:200us)\n"
		"  --max-bytes N     split into FILE.1.json, FILE.2.json, ... by time when the\n"
		"                    output would be larger (default 256M; K, M, G suffixes)\n");
	return 2;
}

/* Parse "T0:T1" (each a time with its unit) into [*ws, *we). */
static hlsim_err_t parse_window(const char *text, uint64_t *ws, uint64_t *we)
{
	char buf[WINDOW_TEXT_BYTES];
	struct mdl_config_value v0, v1;
	const char *colon = strchr(text, ':');
	hlsim_err_t rc;

	if (!colon || strchr(colon + 1, ':') || strlen(text) >= sizeof(buf))
		return hlsim_error(HLSIM_E_USAGE, "--window '%s': expected T0:T1 with units, "
				   "e.g. 10us:200us", text);
	memcpy(buf, text, (size_t)(colon - text));
	buf[colon - text] = '\0';
	rc = mdl_config_parse_value(HLSIM_PARAM_TIME, buf, "--window", "T0", &v0);
	if (rc)
		return rc;
	rc = mdl_config_parse_value(HLSIM_PARAM_TIME, colon + 1, "--window", "T1", &v1);
	if (rc)
		return rc;
	if (v1.u64 <= v0.u64)
		return hlsim_error(HLSIM_E_USAGE, "--window '%s': T1 must be after T0", text);
	*ws = v0.u64;
	*we = v1.u64;
	return HLSIM_OK;
}

int cli_export(int argc, char **argv)
{
	struct prf_perfetto_options opt;
	struct prf_perfetto_stats st;
	const char *results = NULL, *out = NULL;
	char a[32], b[32], part[4096];
	hlsim_err_t rc;
	int i;

	memset(&opt, 0, sizeof(opt));
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage();
			return 0;
		} else if (!strcmp(argv[i], "--perfetto") && i + 1 < argc) {
			out = argv[++i];
		} else if (!strcmp(argv[i], "--window") && i + 1 < argc) {
			rc = parse_window(argv[++i], &opt.window_start_ps, &opt.window_end_ps);
			if (rc) {
				cli_fail(rc, "export");
				return 2;
			}
		} else if (!strcmp(argv[i], "--max-bytes") && i + 1 < argc) {
			i++;
			if (cli_parse_u64(argv[i], &opt.max_bytes) || !opt.max_bytes) {
				fprintf(stderr, "hlsim: export: --max-bytes '%s': expected "
						"a positive byte count (K, M, G suffixes)\n",
					argv[i]);
				return 2;
			}
		} else if (argv[i][0] != '-' && !results) {
			results = argv[i];
		} else {
			fprintf(stderr, "hlsim: export: unexpected argument '%s'\n", argv[i]);
			return usage();
		}
	}
	if (!results || !out)
		return usage();
	rc = prf_export_perfetto(results, out, &opt, &st);
	if (rc)
		return cli_fail(rc, "export");
	prf_fmt_ps_us(a, sizeof(a), st.window_start_ps);
	prf_fmt_ps_us(b, sizeof(b), st.window_end_ps);
	if (st.parts == 1) {
		printf("wrote %s: %" PRIu64 " events, %" PRIu64 " fence arrows, %" PRIu64
		       " counter samples, %" PRIu64 " bytes (window %s .. %s us)\n", out, st.events,
		       st.flows, st.counter_samples, st.bytes, a, b);
	} else {
		uint64_t limit = opt.max_bytes ? opt.max_bytes : PRF_PERFETTO_DEFAULT_MAX_BYTES;

		printf("the output would exceed --max-bytes %" PRIu64 ": split by time into %u "
		       "files (window %s .. %s us):\n", limit, st.parts, a, b);
		for (i = 1; i <= (int)st.parts; i++)
			if (!prf_perfetto_part_path(out, (unsigned int)i, part, sizeof(part)))
				printf("  %s\n", part);
		printf("%" PRIu64 " events, %" PRIu64 " fence arrows, %" PRIu64 " counter samples, "
		       "%" PRIu64 " bytes in all, largest file %" PRIu64 " bytes\n", st.events,
		       st.flows, st.counter_samples, st.bytes, st.largest_part_bytes);
		if (st.parts_over_limit)
			fprintf(stderr, "hlsim: export: warning: %u files are larger than "
					"--max-bytes (too many records in one time slice)\n",
				st.parts_over_limit);
	}
	if (st.extra_threads)
		printf("%" PRIu64 " extra threads hold records that overlap others of their unit "
		       "(named \"UNIT (2)\", ...)\n", st.extra_threads);
	if (st.misnested)
		fprintf(stderr, "hlsim: export: warning: %" PRIu64 " records overlap others of "
				"their thread without nesting (more than %d threads needed)\n",
			st.misnested, PRF_PERFETTO_MAX_LANES);
	if (st.fences_unmatched && st.exact_flows)
		printf("%" PRIu64 " FENCE_WAIT records have no arrow (no /releases row, or the "
		       "producer lies outside the window)\n", st.fences_unmatched);
	else if (st.fences_unmatched)
		printf("%" PRIu64 " FENCE_WAIT records have no arrow (no DMA or LAUNCH of their CS "
		       "ended before them on another unit)\n", st.fences_unmatched);
	if (st.exact_flows)
		printf("fence arrows: from the producer each /releases row names\n");
	else
		printf("fence arrows: the producer is inferred from timing (the results file has "
		       "no /releases rows)\n");
	return 0;
}
