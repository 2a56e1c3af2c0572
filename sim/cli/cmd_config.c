/*
 * sim/cli/cmd_config.c - `hlsim config show [NAME|FILE] [--set K=V]...` and
 * `hlsim config params`.
 */
#include <stdio.h>
#include <string.h>

#include "hlsim/config.h"
#include "models/common/config_int.h"
#include "sim/cli/cli.h"

int cli_config(int argc, char **argv)
{
	hlsim_config_t *cfg = NULL;
	const char *name = NULL;
	hlsim_err_t rc;
	int i;

	if (argc >= 2 && !strcmp(argv[1], "params")) {
		rc = mdl_config_params_print(stdout);
		return rc ? cli_fail(rc, "config params") : 0;
	}
	if (argc < 2 || strcmp(argv[1], "show") != 0) {
		fprintf(argc < 2 ? stderr : stdout,
			"usage: hlsim config show [NAME|FILE] [--set KEY=VALUE]...\n"
			"       hlsim config params\n");
		return 2;
	}
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--set") && i + 1 < argc) {
			i++;
		} else if (argv[i][0] != '-' && !name) {
			name = argv[i];
		} else {
			fprintf(stderr, "hlsim config show: unknown option '%s'\n", argv[i]);
			return 2;
		}
	}
	rc = hlsim_config_load(name, &cfg);
	for (i = 2; !rc && i < argc; i++)
		if (!strcmp(argv[i], "--set"))
			rc = hlsim_config_set(cfg, argv[++i], "--set");
	if (!rc)
		rc = hlsim_config_write(cfg, stdout);
	hlsim_config_free(cfg);
	return rc ? cli_fail(rc, "config") : 0;
}
