/*
 * sim/cli/cmd_whatif.c - `hlsim whatif`: rank the resources by how much making each one
 * F times faster shortens a run. The work is in profiler/whatif.c.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "profiler/prf_whatif.h"
#include "sim/cli/cli.h"

static void whatif_usage(FILE *o)
{
	const struct prf_whatif_resource *r;
	size_t n, i, k;

	fprintf(o,
		"usage: hlsim whatif TRACE [--config NAME|FILE] [--set KEY=VALUE]...\n"
		"                    [--factor F] [-j N] [--no-plot] -o DIR\n\n"
		"Runs TRACE as given (the baseline), then once per resource made F times faster\n"
		"(default 2: rates x F, latencies and costs / F), each run a child `hlsim run`\n"
		"into DIR/runs/NAME, and ranks the resources by end-to-end speedup (baseline\n"
		"time / new time). Writes DIR/whatif.txt, whatif.json, whatif.dat and the bar\n"
		"chart whatif.png / whatif.svg. Engine classes are tried only when the trace\n"
		"uses them. A failed run is a row with its error; the others still run.\n\n"
		"  --factor F   how many times faster (a number > 1; default 2)\n"
		"  -j N         runs at once (default: the number of cores)\n"
		"  --no-plot    no whatif.png / whatif.svg (gnuplot not needed)\n\n"
		"resources:\n");
	r = prf_whatif_resources(&n);
	for (i = 0; i < n; i++) {
		fprintf(o, "  %-5s ", r[i].name);
		for (k = 0; k < r[i].num_params; k++)
			fprintf(o, "%s%s %s F", k ? ", " : "", r[i].params[k].key,
				r[i].params[k].op == PRF_WHATIF_MUL ? "x" : "/");
		fprintf(o, "%s\n", r[i].engine_class ? "   (if the trace uses it)" : "");
	}
	fprintf(o, "\nExit status: 0 all runs ok, 1 some run failed (or the baseline did), "
		   "2 bad usage.\n");
}

int cli_whatif(int argc, char **argv)
{
	struct prf_whatif_opts o;
	const char **sets = calloc((size_t)argc + 1, sizeof(*sets));
	char exe[4096], *end;
	size_t failed = 0;
	uint64_t v;
	int i, nsets = 0, status = 1;
	long cores;
	ssize_t len;
	hlsim_err_t rc;

	memset(&o, 0, sizeof(o));
	o.factor = 2.0;
	if (!sets)
		return cli_fail(hlsim_error(HLSIM_E_NOMEM, "arguments"), "whatif");
	for (i = 1; i < argc; i++) {
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			whatif_usage(stdout);
			status = 0;
			goto out;
		} else if (!strcmp(argv[i], "--config") && val) {
			o.config = val;
			i++;
		} else if (!strcmp(argv[i], "--set") && val) {
			sets[nsets++] = val;
			i++;
		} else if (!strcmp(argv[i], "--factor") && val) {
			errno = 0;
			o.factor = strtod(val, &end);
			if (errno || end == val || *end || !isfinite(o.factor) || o.factor <= 1 ||
			    o.factor > 1e6) {
				fprintf(stderr, "hlsim whatif: --factor '%s': expected a number "
						"> 1 (and at most 1e6)\n", val);
				status = 2;
				goto out;
			}
			i++;
		} else if (!strcmp(argv[i], "-j") && val) {
			if (cli_parse_u64(val, &v) || v == 0 || v > 1024) {
				fprintf(stderr, "hlsim whatif: -j '%s': expected 1..1024\n", val);
				status = 2;
				goto out;
			}
			o.jobs = (unsigned int)v;
			i++;
		} else if (!strcmp(argv[i], "-o") && val) {
			o.out_dir = val;
			i++;
		} else if (!strcmp(argv[i], "--no-plot")) {
			o.no_plot = 1;
		} else if (argv[i][0] != '-' && !o.trace) {
			o.trace = argv[i];
		} else {
			fprintf(stderr, "hlsim whatif: unknown or incomplete option '%s'\n",
				argv[i]);
			whatif_usage(stderr);
			status = 2;
			goto out;
		}
	}
	if (!o.trace || !o.out_dir) {
		fprintf(stderr, "hlsim whatif: TRACE and -o DIR are required\n");
		whatif_usage(stderr);
		status = 2;
		goto out;
	}
	if (access(o.trace, R_OK)) {
		fprintf(stderr, "hlsim whatif: cannot read the trace %s: %s\n", o.trace,
			strerror(errno));
		goto out;
	}
	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (len <= 0 || (size_t)len >= sizeof(exe) - 1) {
		fprintf(stderr, "hlsim whatif: cannot find the hlsim executable "
				"(/proc/self/exe)\n");
		goto out;
	}
	exe[len] = '\0';
	cores = sysconf(_SC_NPROCESSORS_ONLN);
	if (!o.jobs)
		o.jobs = cores > 0 && cores <= 1024 ? (unsigned int)cores : 1;
	o.exe = exe;
	o.sets = sets;
	o.num_sets = (size_t)nsets;
	o.log = stdout;
	rc = prf_whatif_run(&o, &failed);
	if (rc) {
		status = cli_fail(rc, "whatif");
		goto out;
	}
	printf("hlsim whatif: %zu run(s) failed; wrote %s/whatif.txt, whatif.json, whatif.dat%s\n",
	       failed, o.out_dir, o.no_plot ? "" : ", whatif.png, whatif.svg");
	status = failed ? 1 : 0;
out:
	free(sets);
	return status;
}
