/*
 * sim/cli/cmd_report.c - `hlsim report RESULTS [--json] [--csv DIR] [--html FILE]`.
 */
#include <stdio.h>
#include <string.h>

#include "profiler/prf.h"
#include "sim/cli/cli.h"

int cli_report(int argc, char **argv)
{
	const char *path = NULL, *csv_dir = NULL, *html_path = NULL;
	int json = 0, i, bad = 0;
	hlsim_err_t rc;

	for (i = 1; i < argc && !bad; i++) {
		if (!strcmp(argv[i], "--json"))
			json = 1;
		else if (!strcmp(argv[i], "--csv") && i + 1 < argc && !csv_dir)
			csv_dir = argv[++i];
		else if (!strcmp(argv[i], "--html") && i + 1 < argc && !html_path)
			html_path = argv[++i];
		else if (argv[i][0] != '-' && !path)
			path = argv[i];
		else
			bad = 1;
	}
	if (!path || bad) {
		fprintf(stderr, "usage: hlsim report RESULTS [--json] [--csv DIR] [--html FILE]\n");
		return 2;
	}
	if (html_path) {
		rc = prf_html_report_file(path, html_path);
		if (rc)
			return cli_fail(rc, "report");
	}
	if (csv_dir)
		rc = prf_report_print_csv(path, stdout, json, csv_dir);
	else
		rc = json ? prf_report_print_json(path, stdout) : prf_report_print(path, stdout);
	return rc ? cli_fail(rc, "report") : 0;
}
