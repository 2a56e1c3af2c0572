/*
 * sim/cli/cmd_report.c - `hlsim report RESULTS [--json]`.
 */
#include <stdio.h>
#include <string.h>

#include "profiler/prf.h"
#include "sim/cli/cli.h"

int cli_report(int argc, char **argv)
{
	const char *path = NULL;
	int json = 0, i;
	hlsim_err_t rc;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = 1;
		else if (argv[i][0] != '-' && !path)
			path = argv[i];
		else
			path = NULL, i = argc;
	}
	if (!path) {
		fprintf(stderr, "usage: hlsim report RESULTS [--json]\n");
		return 2;
	}
	rc = json ? prf_report_print_json(path, stdout) : prf_report_print(path, stdout);
	return rc ? cli_fail(rc, "report") : 0;
}
