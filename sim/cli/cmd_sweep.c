/*
 * sim/cli/cmd_sweep.c - `hlsim sweep` (run a grid of configurations of one trace) and
 * `hlsim merge` (combine the outputs of sharded sweeps). The work is in profiler/sweep*.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "profiler/prf_sweep.h"
#include "profiler/sweep_int.h"
#include "sim/cli/cli.h"

static void sweep_usage(FILE *o)
{
	fprintf(o,
		"usage: hlsim sweep TRACE | --gen \"KIND OPTIONS...\"\n"
		"                   [--config NAME|FILE] [--set KEY=VALUE]...\n"
		"                   --vary KEY=V1,V2,... | --vary KEY=START:STOP:STEP ...\n"
		"                   [-j N] [--shard I/N] -o DIR\n\n"
		"Runs TRACE once per point of the cartesian product of the --vary values (the\n"
		"first --vary is the outermost: it changes slowest; points are numbered from 0),\n"
		"each point as a child `hlsim run` into DIR/points/NNNNN (log.txt holds its\n"
		"output; done is written last). Values carry their units (hbm.bandwidth=1TB/s,\n"
		"2TB/s); a range includes STOP when it is reached (1TB/s:3TB/s:0.5TB/s:\n"
		"5 values). At most %d points. Then writes DIR/sweep.csv and DIR/sweep.h5,\n"
"one row per point.\n\n"
		"With --gen instead of TRACE, each point first generates its trace:\n"
		"`hlsim gen KIND OPTIONS --OPTION VALUE... -o DIR/points/NNNNN/trace.h5`, where\n"
		"the --OPTION VALUE pairs come from the point's gen.OPTION axes, e.g.\n"
		"  --gen \"elementwise --elements 16M --dtype bf16\" --vary gen.tpcs=1,2,4,8\n"
		"  --vary hbm.bandwidth=0.5TB/s,1TB/s,2TB/s\n"
		"gen.OPTION values are passed as written (a list; no ranges). A point whose\n"
		"generation fails is recorded as failed with the generator's message.\n\n"
		"  -j N         points run at once (default: the number of cores)\n"
		"  --shard I/N  run only the points whose index %% N == I (0 <= I < N); combine\n"
		"               the N output directories with `hlsim merge`\n\n"
		"Rerunning the same command in DIR reruns only the points without a done marker\n"
		"and those that failed; a different sweep in an existing DIR is an error.\n"
		"Exit status: 0 all points ok, 1 some point failed (the others still ran),\n"
		"2 bad usage.\n",
		PRF_SWEEP_MAX_POINTS);
}

static void merge_usage(FILE *o)
{
	fprintf(o, "usage: hlsim merge DIR1 DIR2 ... -o OUT\n\n"
		   "Combines the output directories of the shards of one sweep (hlsim sweep\n"
		   "--shard I/N; the same spec is required) into OUT/sweep.csv and OUT/sweep.h5,\n"
		   "equal to those of the unsharded sweep. The points stay in their\n"
		   "directories.\n");
}

/* "I/N" with 0 <= I < N. */
static int parse_shard(const char *s, uint64_t *i, uint64_t *n)
{
	const char *slash = strchr(s, '/');
	char head[32];

	if (!slash || (size_t)(slash - s) >= sizeof(head))
		return -1;
	memcpy(head, s, (size_t)(slash - s));
	head[slash - s] = '\0';
	if (cli_parse_u64(head, i) || cli_parse_u64(slash + 1, n) || *n == 0 || *i >= *n)
		return -1;
	return 0;
}

int cli_sweep(int argc, char **argv)
{
	struct prf_sweep_spec spec;
	struct prf_sweep_run_opts o = { 0 };
	const char *trace = NULL, *gen = NULL, *config = NULL, *out = NULL, *dirs[1];
	const char **sets = calloc((size_t)argc, sizeof(*sets));
	const char **varies = calloc((size_t)argc, sizeof(*varies));
	char exe[4096];
	uint64_t v, ran = 0, failed = 0;
	int i, nsets = 0, nvaries = 0, status = 1;
	long cores;
	ssize_t len;
	hlsim_err_t rc;

	memset(&spec, 0, sizeof(spec));
	if (!sets || !varies) {
		status = cli_fail(hlsim_error(HLSIM_E_NOMEM, "arguments"), "sweep");
		goto out;
	}
	o.shard_count = 1;
	for (i = 1; i < argc; i++) {
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			sweep_usage(stdout);
			status = 0;
			goto out;
		} else if (!strcmp(argv[i], "--config") && val) {
			config = val;
			i++;
		} else if (!strcmp(argv[i], "--gen") && val && !gen) {
			gen = val;
			i++;
		} else if (!strcmp(argv[i], "--set") && val) {
			sets[nsets++] = val;
			i++;
		} else if (!strcmp(argv[i], "--vary") && val) {
			varies[nvaries++] = val;
			i++;
		} else if (!strcmp(argv[i], "-o") && val) {
			out = val;
			i++;
		} else if (!strcmp(argv[i], "-j") && val) {
			if (cli_parse_u64(val, &v) || v == 0 || v > 1024) {
				fprintf(stderr, "hlsim sweep: -j '%s': expected 1..1024\n", val);
				status = 2;
				goto out;
			}
			o.jobs = (unsigned int)v;
			i++;
		} else if (!strcmp(argv[i], "--shard") && val) {
			if (parse_shard(val, &o.shard_index, &o.shard_count)) {
				fprintf(stderr, "hlsim sweep: --shard '%s': expected I/N with "
						"0 <= I < N\n", val);
				status = 2;
				goto out;
			}
			i++;
		} else if (argv[i][0] != '-' && !trace) {
			trace = argv[i];
		} else {
			fprintf(stderr, "hlsim sweep: unknown or incomplete option '%s'\n",
				argv[i]);
			sweep_usage(stderr);
			status = 2;
			goto out;
		}
	}
	if (trace && gen) {
		fprintf(stderr, "hlsim sweep: give a TRACE or --gen, not both\n");
		sweep_usage(stderr);
		status = 2;
		goto out;
	}
	if ((!trace && !gen) || !out || !nvaries) {
		fprintf(stderr, "hlsim sweep: TRACE (or --gen \"KIND OPTIONS\"), -o DIR and at "
				"least one --vary are required\n");
		sweep_usage(stderr);
		status = 2;
		goto out;
	}
	if ((trace && strchr(trace, '\n')) || (config && strchr(config, '\n'))) {
		status = cli_fail(hlsim_error(HLSIM_E_USAGE, "a newline in a path"), "sweep");
		goto out;
	}
	if (trace && access(trace, R_OK)) {
		fprintf(stderr, "hlsim sweep: cannot read the trace %s: %s\n", trace,
			strerror(errno));
		goto out;
	}
	if (gen)
		rc = prf_sweep_spec_init_gen(&spec, gen, config);
	else
		rc = prf_sweep_spec_init(&spec, trace, config);
	for (i = 0; !rc && i < nsets; i++)
		rc = prf_sweep_spec_add_set(&spec, sets[i]);
	for (i = 0; !rc && i < nvaries; i++)
		rc = prf_sweep_spec_add_vary(&spec, varies[i]);
	if (!rc)
		rc = prf_sweep_spec_finish(&spec);
	if (rc) {
		status = cli_fail(rc, "sweep");
		goto out;
	}
	rc = prf_sweep_spec_check(&spec);
	if (rc) {
		/* a value the configuration refuses is a usage error of this command */
		cli_fail(rc, "sweep");
		status = 2;
		goto out;
	}
	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (len <= 0 || (size_t)len >= sizeof(exe) - 1) {
		fprintf(stderr, "hlsim sweep: cannot find the hlsim executable (/proc/self/exe)\n");
		goto out;
	}
	exe[len] = '\0';
	rc = prf_sweep_gen_check(&spec, exe);
	if (rc) {
		cli_fail(rc, "sweep");
		status = 2;
		goto out;
	}
	cores = sysconf(_SC_NPROCESSORS_ONLN);
	if (!o.jobs)
		o.jobs = cores > 0 && cores <= 1024 ? (unsigned int)cores : 1;
	o.exe = exe;
	o.out_dir = out;
	o.log = stdout;
	rc = prf_sweep_run(&spec, &o, &ran, &failed);
	if (rc) {
		status = cli_fail(rc, "sweep");
		goto out;
	}
	dirs[0] = out;
	rc = prf_sweep_collect(&spec, dirs, 1, out, o.shard_index, o.shard_count);
	if (rc) {
		status = cli_fail(rc, "sweep");
		goto out;
	}
	printf("hlsim sweep: %" PRIu64 " points ran now, %" PRIu64 " failed; wrote %s/sweep.csv "
	       "and %s/sweep.h5\n", ran, failed, out, out);
	status = failed ? 1 : 0;
out:
	prf_sweep_spec_free(&spec);
	free(varies);
	free(sets);
	return status;
}

int cli_merge(int argc, char **argv)
{
	struct prf_sweep_spec spec;
	const char **dirs = calloc((size_t)argc, sizeof(*dirs));
	const char *out = NULL;
	char path[4096], *first = NULL, *text = NULL;
	int i, ndirs = 0, status = 1;
	hlsim_err_t rc = HLSIM_OK;

	memset(&spec, 0, sizeof(spec));
	if (!dirs)
		return cli_fail(hlsim_error(HLSIM_E_NOMEM, "arguments"), "merge");
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			merge_usage(stdout);
			free(dirs);
			return 0;
		} else if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			out = argv[++i];
		} else if (argv[i][0] != '-') {
			dirs[ndirs++] = argv[i];
		} else {
			fprintf(stderr, "hlsim merge: unknown or incomplete option '%s'\n",
				argv[i]);
			merge_usage(stderr);
			free(dirs);
			return 2;
		}
	}
	if (!ndirs || !out) {
		fprintf(stderr, "hlsim merge: at least one DIR and -o OUT are required\n");
		merge_usage(stderr);
		free(dirs);
		return 2;
	}
	for (i = 0; !rc && i < ndirs; i++) {
		snprintf(path, sizeof(path), "%s/sweep.spec", dirs[i]);
		rc = prf_sweep_read_file(path, 16 << 20, i ? &text : &first);
		if (!rc && i)
			rc = prf_sweep_spec_diff(path, text, first);
		free(text);
		text = NULL;
	}
	if (!rc) {
		snprintf(path, sizeof(path), "%s/sweep.spec", dirs[0]);
		rc = prf_sweep_spec_parse(first, path, &spec);
	}
	if (!rc && mkdir(out, 0777) && errno != EEXIST)
		rc = hlsim_error(HLSIM_E_IO, "cannot create %s: %s", out, strerror(errno));
	if (!rc) {
		snprintf(path, sizeof(path), "%s/sweep.spec", out);
		if (!access(path, F_OK)) {
			rc = prf_sweep_read_file(path, 16 << 20, &text);
			if (!rc)
				rc = prf_sweep_spec_diff(path, text, first);
		} else {
			rc = prf_sweep_write_file(path, first);
		}
	}
	if (!rc)
		rc = prf_sweep_collect(&spec, dirs, (size_t)ndirs, out, 0, 1);
	if (rc) {
		status = cli_fail(rc, "merge");
		goto out;
	}
	printf("hlsim merge: %" PRIu64 " points from %d directories; wrote %s/sweep.csv and "
	       "%s/sweep.h5\n", spec.num_points, ndirs, out, out);
	status = 0;
out:
	prf_sweep_spec_free(&spec);
	free(text);
	free(first);
	free(dirs);
	return status;
}
