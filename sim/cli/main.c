/*
 * sim/cli/main.c - the hlsim command: dispatch to a subcommand.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/cli/cli.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "run", cli_run, "replay a trace on a configuration: results, report and timeline" },
	{ "info", cli_info, "summarise a trace" },
	{ "disasm", cli_disasm, "print each job's packets, objdump style" },
	{ "gen", cli_gen, "generate a synthetic trace (gen dma)" },
	{ "config", cli_config, "show a resolved configuration, or list the parameters" },
	{ "report", cli_report, "print the report of a results file (text, --json or --csv DIR)" },
	{ "sweep", cli_sweep, "run a trace over a grid of configuration values (--vary)" },
	{ "merge", cli_merge, "combine the outputs of sharded sweeps" },
	{ "export", cli_export, "write a results file as Perfetto / Chrome trace JSON" },
	{ "whatif", cli_whatif, "rank resources by the gain of making each one F times faster" },
	{ "plot", cli_plot, "plot a sweep: lines, heatmap and Pareto front (PNG, SVG)" },
	{ "vdev", cli_vdev, "run a program on a virtual Gaudi, then replay what it submitted" },
	{ "cosim", cli_cosim, "(internal) the simulator behind `hlsim vdev`'s WAIT_CS times" },
	{ "capture", cli_capture, "run a program on the driver, journal its calls into a trace" },
};

static void usage(FILE *o)
{
	size_t i;

	fprintf(o, "usage: hlsim COMMAND [ARGS]   (hlsim COMMAND --help for its options)\n\n"
		   "hlsim %s - a cycle-approximate performance simulator for Habana Gaudi\n\n"
		   "commands:\n",
		HLSIM_VERSION_STRING);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(o, "  %-8s %s\n", commands[i].name, commands[i].summary);
}

int cli_fail(hlsim_err_t rc, const char *what)
{
	const char *d = hlsim_last_error_detail();

	fprintf(stderr, "hlsim: %s: %s\n", what, d && d[0] ? d : hlsim_strerror(rc));
	return rc == HLSIM_E_USAGE ? 2 : 1;
}

int cli_parse_u64(const char *s, uint64_t *out)
{
	static const struct {
		const char *sfx;
		uint64_t mul;
	} sfx[] = { { "", 1 },
		    { "K", 1ull << 10 },   { "KiB", 1ull << 10 }, { "M", 1ull << 20 },
		    { "MiB", 1ull << 20 }, { "G", 1ull << 30 },   { "GiB", 1ull << 30 } };
	char *end;
	unsigned long long v;
	size_t i;

	if (!s || !*s || *s == '-')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s)
		return -1;
	for (i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
		if (!strcmp(end, sfx[i].sfx)) {
			if (v > UINT64_MAX / sfx[i].mul)
				return -1;
			*out = v * sfx[i].mul;
			return 0;
		}
	}
	return -1;
}

const char *cli_sample_trace(void)
{
	static const char *const candidates[] = {
		HLSIM_BINARY_DIR "/sample.h5",
		HLSIM_DATA_DIR "/sample.h5",
	};
	const char *env = getenv("HLSIM_SAMPLE_TRACE");
	size_t i;

	if (env && *env)
		return env;
	for (i = 0; i < sizeof(candidates) / sizeof(candidates[0]); i++)
		if (access(candidates[i], R_OK) == 0)
			return candidates[i];
	return NULL;
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("hlsim %s\n", HLSIM_VERSION_STRING);
		return 0;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "hlsim: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
