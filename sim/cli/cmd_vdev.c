/*
 * sim/cli/cmd_vdev.c - `hlsim vdev [--config NAME] [-o DIR] -- PROGRAM ARGS...`.
 *
 * Runs an unmodified PROGRAM written against the habanalabs uapi on a virtual Gaudi:
 * PROGRAM runs with LD_PRELOAD=libhlsim_preload.so (traces/interposer/), which answers
 * the driver's ioctls and records what the program submits into DIR/trace.h5
 * (HLSIM_VDEV_TRACE). When PROGRAM has ended and the trace holds CSs, `hlsim run` replays
 * it into DIR (report.txt, results.h5, ...). The exit status is PROGRAM's when it failed,
 * else that of the replay. --pace, --mem-max and --devices reach the library as
 * HLSIM_VDEV_PACE, HLSIM_VDEV_MEM_MAX and HLSIM_VDEV_DEVICES.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hlsim/config.h"
#include "hlsim/trace.h"
#include "sim/cli/cli.h"
#include "sim/sim.h"

extern char **environ;

#define VDEV_LIB_NAME "libhlsim_preload.so"

static void vdev_usage(FILE *o)
{
	fprintf(o, "usage: hlsim vdev [--config NAME|FILE] [-o DIR] [--pace none|real]\n"
		   "                  [--timing sim|estimate] [--mem-max BYTES] [--devices N]\n"
		   "                  -- PROGRAM [ARGS...]\n\n"
		   "Runs PROGRAM on a virtual Gaudi: the habanalabs device nodes (/dev/hl0,\n"
		   "/dev/hl_controlD0, /dev/accel/accel0, ...) are served by " VDEV_LIB_NAME "\n"
		   "(LD_PRELOAD), which executes each CS functionally (DMA moves bytes between\n"
		   "the program's mapped memory and simulated SRAM/DRAM, the sync manager counts,\n"
		   "fences order the queues) and records every CS and WAIT_CS into DIR/trace.h5\n"
		   "(default DIR: hlsim-vdev). If PROGRAM submitted work, the trace is then\n"
		   "replayed with `hlsim run` into DIR.\n\n"
		   "  --timing sim    completion times (WAIT_CS timestamps, --pace real) come from\n"
		   "                  the simulator, run beside PROGRAM on what it submits (hlsim\n"
		   "                  cosim): the times `hlsim run` of the trace gives (default)\n"
		   "  --timing estimate  from the virtual device's own quick estimate (no\n"
		   "                  simulator process; queues and links are not shared)\n"
		   "  --pace real     WAIT_CS returns only once the CS's completion time has\n"
		   "                  passed on the wall clock (programs that time themselves see\n"
		   "                  simulated speed)\n"
		   "  --pace none     WAIT_CS returns at once (default)\n"
		   "  --mem-max BYTES bound on simulated SRAM + DRAM pages (e.g. 512MiB; default\n"
		   "                  4GiB) per device; a CS writing beyond it fails with ENOMEM\n"
		   "  --devices N     N devices, /dev/hl0 .. /dev/hl<N-1> (1..8; default 1)\n\n"
		   "HLSIM_PRELOAD_LIB overrides where the library is found.\n");
}

/* mkdir -p */
static int vdev_make_dir(const char *path)
{
	char buf[PATH_MAX];
	size_t i, n = strlen(path);

	if (n >= sizeof(buf))
		return -1;
	memcpy(buf, path, n + 1);
	for (i = 1; i <= n; i++) {
		if (buf[i] == '/' || buf[i] == '\0') {
			char c = buf[i];

			buf[i] = '\0';
			if (mkdir(buf, 0777) && errno != EEXIST)
				return -1;
			buf[i] = c;
		}
	}
	return 0;
}

/* "4096", "64KiB", "512MiB", "4GiB": bytes into *@out; -1 if malformed or zero. */
static int parse_bytes(const char *s, uint64_t *out)
{
	static const struct {
		const char *suffix;
		unsigned int shift;
	} units[] = { { "", 0 }, { "KiB", 10 }, { "MiB", 20 }, { "GiB", 30 }, { "TiB", 40 } };
	unsigned long long v;
	char *end;
	size_t i;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || !v)
		return -1;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].suffix))
			continue;
		if (v > (UINT64_MAX >> units[i].shift))
			return -1;
		*out = (uint64_t)v << units[i].shift;
		return 0;
	}
	return -1;
}

static int try_lib(const char *dir, const char *sub, char *out)
{
	char path[PATH_MAX];

	if ((size_t)snprintf(path, sizeof(path), "%s%s/" VDEV_LIB_NAME, dir, sub) >= sizeof(path))
		return -1;
	if (access(path, R_OK) || !realpath(path, out))
		return -1;
	return 0;
}

/*
 * The library (into @out, PATH_MAX bytes): $HLSIM_PRELOAD_LIB, else next to this hlsim
 * (the build tree), else in a library directory beside its bin/ (an installation, even
 * moved), else under the prefix of the configured data directory.
 */
static int find_lib(char *out)
{
	static const char *const libdirs[] = {
#if defined(__x86_64__)
		"/lib/x86_64-linux-gnu",
#elif defined(__aarch64__)
		"/lib/aarch64-linux-gnu",
#endif
		"/lib64", "/lib",
	};
	const char *env = getenv("HLSIM_PRELOAD_LIB");
	const char *data = HLSIM_DATA_DIR, *suffix = "/share/hlsim";
	char exe[PATH_MAX], prefix[PATH_MAX], *slash;
	size_t i, dl = strlen(data), sl = strlen(suffix);
	ssize_t n;

	if (env && *env) {
		if (access(env, R_OK) || !realpath(env, out)) {
			fprintf(stderr, "hlsim vdev: HLSIM_PRELOAD_LIB=%s: %s\n", env,
				strerror(errno));
			return -1;
		}
		return 0;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			if (!try_lib(exe, "", out))
				return 0;
			if ((size_t)snprintf(prefix, sizeof(prefix), "%s/..", exe) < sizeof(prefix))
				for (i = 0; i < sizeof(libdirs) / sizeof(libdirs[0]); i++)
					if (!try_lib(prefix, libdirs[i], out))
						return 0;
		}
	}
	if (dl > sl && dl - sl < sizeof(prefix) && !strcmp(data + dl - sl, suffix)) {
		memcpy(prefix, data, dl - sl);
		prefix[dl - sl] = '\0';
		for (i = 0; i < sizeof(libdirs) / sizeof(libdirs[0]); i++)
			if (!try_lib(prefix, libdirs[i], out))
				return 0;
	}
	fprintf(stderr, "hlsim vdev: cannot find " VDEV_LIB_NAME " next to this hlsim (%s) nor "
			"in an installed library directory; build the hlsim_preload target or "
			"set HLSIM_PRELOAD_LIB\n",
		n > 0 ? exe : "?");
	return -1;
}

/* environ without the entries named in @set (NAME=VALUE strings), then @set: a new array. */
static char **env_with(char **env, char *const *set, size_t nset)
{
	size_t n = 0, i, k, m = 0;
	char **e;

	while (env[n])
		n++;
	e = calloc(n + nset + 1, sizeof(*e));
	if (!e)
		return NULL;
	for (i = 0; i < n; i++) {
		int drop = 0;

		for (k = 0; k < nset; k++) {
			size_t nl = (size_t)(strchr(set[k], '=') - set[k]);

			drop |= !strncmp(env[i], set[k], nl + 1);
		}
		if (!drop)
			e[m++] = env[i];
	}
	for (k = 0; k < nset; k++)
		e[m++] = set[k];
	return e;
}

/* The trace of process @i of the run: DIR/trace.h5 for the first, DIR/trace.<i>.h5 after. */
static void trace_name(const char *dir, int i, char *out)
{
	if (i)
		snprintf(out, PATH_MAX, "%s/trace.%d.h5", dir, i);
	else
		snprintf(out, PATH_MAX, "%s/trace.h5", dir);
}

static int wait_child(pid_t pid, const char *what)
{
	int st;

	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "hlsim vdev: waiting for %s: %s\n", what, strerror(errno));
			return 1;
		}
	}
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	fprintf(stderr, "hlsim vdev: %s was killed by signal %d\n", what, WTERMSIG(st));
	return 128 + WTERMSIG(st);
}

/*
 * Say what trace @path holds (after the caller's "PROGRAM exited ...; ") and, if it has CSs,
 * replay it into @dir with `hlsim run`: its exit status (0 if there was nothing to replay).
 */
static int replay(const char *path, const char *config, const char *dir)
{
	struct hlsim_trace_counts cnt, sum = { 0 };
	char *run_argv[11];
	hlsim_trace_t *t = NULL;
	hlsim_err_t rc;
	uint32_t d;
	pid_t pid;
	int n = 0, prc;

	rc = hlsim_trace_open(path, &t);
	for (d = 0; !rc && d < hlsim_trace_num_devices(t); d++) {
		rc = hlsim_trace_counts(t, d, &cnt);
		sum.cs += cnt.cs;
		sum.jobs += cnt.jobs;
		sum.waits += cnt.waits;
		sum.host_maps += cnt.host_maps;
	}
	hlsim_trace_close(t);
	if (rc) {
		printf("%s cannot be read\n", path);
		fflush(stdout);
		return cli_fail(rc, "reading the recorded trace");
	}
	printf("%s: %" PRIu64 " CS, %" PRIu64 " jobs, %" PRIu64 " WAIT_CS, %" PRIu64
	       " host maps\n",
	       path, sum.cs, sum.jobs, sum.waits, sum.host_maps);
	if (!sum.cs)
		return 0;
	run_argv[n++] = "hlsim";
	run_argv[n++] = "run";
	run_argv[n++] = (char *)path;
	if (config) {
		run_argv[n++] = "--config";
		run_argv[n++] = (char *)config;
	}
	/* the devices were driven by one program: the waits order all of them */
	run_argv[n++] = "--set";
	run_argv[n++] = "host.order=program";
	run_argv[n++] = "-o";
	run_argv[n++] = (char *)dir;
	run_argv[n++] = "--no-progress";
	run_argv[n] = NULL;
	fflush(stdout);
	prc = posix_spawn(&pid, "/proc/self/exe", NULL, NULL, run_argv, environ);
	if (prc) {
		fprintf(stderr, "hlsim vdev: cannot run hlsim run: %s\n", strerror(prc));
		return 1;
	}
	return wait_child(pid, "hlsim run");
}

int cli_vdev(int argc, char **argv)
{
	const char *config = NULL, *out = "hlsim-vdev", *pace = "none", *timing = "sim";
	char lib[PATH_MAX], trace[PATH_MAX], ev_preload[3 * PATH_MAX], ev_trace[PATH_MAX + 32];
	char ev_config[PATH_MAX + 32], ev_pace[32], ev_mem[64], ev_devices[32];
	char ev_cosim[PATH_MAX + 32], self[PATH_MAX], path[PATH_MAX];
	char *set[8] = { ev_preload, ev_trace, ev_config, ev_pace,
			 ev_mem,     ev_devices, ev_cosim, "HLSIM_VDEV_TRACE_EACH=1" };
	uint64_t mem_max = 4ull << 30;
	unsigned long devices = 1;
	char *end;
	char **env = NULL;
	hlsim_config_t *cfg = NULL;
	const char *old_preload = getenv("LD_PRELOAD");
	int i, prog = -1, status = 1, prc;
	pid_t pid;
	hlsim_err_t rc;

	for (i = 1; i < argc; i++) {
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(argv[i], "--")) {
			prog = i + 1;
			break;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			vdev_usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--config") && val) {
			config = val;
			i++;
		} else if (!strcmp(argv[i], "-o") && val) {
			out = val;
			i++;
		} else if (!strcmp(argv[i], "--pace") && val) {
			if (strcmp(val, "none") && strcmp(val, "real")) {
				fprintf(stderr, "hlsim vdev: --pace %s: expected none or real\n",
					val);
				return 2;
			}
			pace = val;
			i++;
		} else if (!strcmp(argv[i], "--timing") && val) {
			if (strcmp(val, "sim") && strcmp(val, "estimate")) {
				fprintf(stderr, "hlsim vdev: --timing %s: expected sim or estimate\n",
					val);
				return 2;
			}
			timing = val;
			i++;
		} else if (!strcmp(argv[i], "--devices") && val) {
			errno = 0;
			devices = strtoul(val, &end, 10);
			if (errno || *end || val[0] < '1' || val[0] > '9' || devices > 8) {
				fprintf(stderr, "hlsim vdev: --devices %s: expected 1..8\n", val);
				return 2;
			}
			i++;
		} else if (!strcmp(argv[i], "--mem-max") && val) {
			if (parse_bytes(val, &mem_max)) {
				fprintf(stderr, "hlsim vdev: --mem-max %s: expected a positive size "
						"in bytes (4096, 64KiB, 512MiB, 4GiB)\n",
					val);
				return 2;
			}
			i++;
		} else if (argv[i][0] != '-') {
			prog = i;
			break;
		} else {
			fprintf(stderr, "hlsim vdev: unknown or incomplete option '%s'\n", argv[i]);
			vdev_usage(stderr);
			return 2;
		}
	}
	if (prog < 0 || prog >= argc) {
		fprintf(stderr, "hlsim vdev: no PROGRAM given\n");
		vdev_usage(stderr);
		return 2;
	}
	if (config && strlen(config) >= PATH_MAX) {
		fprintf(stderr, "hlsim vdev: --config value too long\n");
		return 2;
	}
	/* The configuration must load (and name an ASIC) before the program starts. */
	rc = hlsim_config_load(config, &cfg);
	if (rc)
		return cli_fail(rc, "configuration");
	if (strcmp(hlsim_config_str(cfg, "asic.name"), "gaudi") &&
	    strcmp(hlsim_config_str(cfg, "asic.name"), "gaudi2")) {
		fprintf(stderr, "hlsim vdev: configuration %s: the virtual device models gaudi and "
				"gaudi2, not %s\n",
			hlsim_config_name(cfg), hlsim_config_str(cfg, "asic.name"));
		hlsim_config_free(cfg);
		return 1;
	}
	hlsim_config_free(cfg);
	if (find_lib(lib))
		return 1;
	if (vdev_make_dir(out)) {
		fprintf(stderr, "hlsim vdev: cannot create the output directory %s: %s\n", out,
			strerror(errno));
		return 1;
	}
	if ((size_t)snprintf(trace, sizeof(trace), "%s/trace.h5", out) >= sizeof(trace)) {
		fprintf(stderr, "hlsim vdev: output directory name too long: %s\n", out);
		return 1;
	}
	/* the traces of an earlier run: trace.h5 and those of its later processes */
	for (i = 0; i < 10000; i++) {
		trace_name(out, i, path);
		if (unlink(path) && errno != ENOENT) {
			fprintf(stderr, "hlsim vdev: cannot remove the old %s: %s\n", path,
				strerror(errno));
			return 1;
		}
		if (i && errno == ENOENT)
			break;
	}
	/* Ours first, so that it sees the calls before any other preloaded library. */
	if (old_preload && *old_preload)
		snprintf(ev_preload, sizeof(ev_preload), "LD_PRELOAD=%s:%s", lib, old_preload);
	else
		snprintf(ev_preload, sizeof(ev_preload), "LD_PRELOAD=%s", lib);
	snprintf(ev_trace, sizeof(ev_trace), "HLSIM_VDEV_TRACE=%s", trace);
	snprintf(ev_config, sizeof(ev_config), "HLSIM_VDEV_CONFIG=%s", config ? config : "");
	snprintf(ev_pace, sizeof(ev_pace), "HLSIM_VDEV_PACE=%s", pace);
	snprintf(ev_mem, sizeof(ev_mem), "HLSIM_VDEV_MEM_MAX=%" PRIu64, mem_max);
	snprintf(ev_devices, sizeof(ev_devices), "HLSIM_VDEV_DEVICES=%lu", devices);
	/* the co-simulation is this same hlsim (`hlsim cosim`), started by the library */
	if (!strcmp(timing, "sim") && !realpath("/proc/self/exe", self)) {
		fprintf(stderr, "hlsim vdev: cannot find this hlsim (/proc/self/exe): %s\n",
			strerror(errno));
		return 1;
	}
	snprintf(ev_cosim, sizeof(ev_cosim), "HLSIM_VDEV_COSIM=%s",
		 !strcmp(timing, "sim") ? self : "");
	env = env_with(environ, set, 8);
	if (!env) {
		fprintf(stderr, "hlsim vdev: out of memory\n");
		goto out;
	}
	fflush(stdout);
	prc = posix_spawnp(&pid, argv[prog], NULL, NULL, argv + prog, env);
	if (prc) {
		fprintf(stderr, "hlsim vdev: cannot run %s: %s\n", argv[prog], strerror(prc));
		status = 127;
		goto out;
	}
	status = wait_child(pid, argv[prog]);
	if (access(trace, F_OK)) {
		printf("hlsim vdev: %s exited with status %d and opened no Habana device: no trace\n",
		       argv[prog], status);
		goto out;
	}
	/* each process that used a device wrote its own trace: replay each */
	for (i = 0; i < 10000; i++) {
		char dir[PATH_MAX];

		trace_name(out, i, path);
		if (i && access(path, F_OK))
			break;
		if (i && (size_t)snprintf(dir, sizeof(dir), "%s/trace.%d", out, i) >= sizeof(dir))
			break;
		if (i && vdev_make_dir(dir)) {
			fprintf(stderr, "hlsim vdev: cannot create %s: %s\n", dir, strerror(errno));
			status = status ? status : 1;
			continue;
		}
		printf("hlsim vdev: %s exited with status %d; ", argv[prog], status);
		prc = replay(path, config, i ? dir : out);
		status = status ? status : prc;
	}
	if (i > 1)
		printf("hlsim vdev: %d processes used the device: %s/trace.h5 is the first, replayed "
		       "into %s; trace.N.h5 are the later ones, replayed into %s/trace.N\n",
		       i, out, out, out);
out:
	free(env);
	return status;
}

/*
 * `hlsim cosim --devices N --workdir DIR [--config NAME]`: started by the virtual device
 * (traces/interposer/vcosim.c) with its stream socket as standard input and output; not
 * for people. Runs the simulator on what the program submits as it submits it and
 * answers its waits (sim/cosim.c). It writes no results (the program's come from the
 * replay of the trace); its platform file goes into DIR and is removed at the end.
 */
int cli_cosim(int argc, char **argv)
{
	const char *config = NULL, *dir = NULL;
	char plat[PATH_MAX];
	unsigned long devices = 0;
	hlsim_config_t *cfg = NULL;
	hlsim_err_t rc;
	int i, out_fd, status;

	for (i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--config"))
			config = argv[i + 1];
		else if (!strcmp(argv[i], "--workdir"))
			dir = argv[i + 1];
		else if (!strcmp(argv[i], "--devices"))
			devices = strtoul(argv[i + 1], NULL, 10);
		else
			break;
	}
	if (i != argc || !dir || !devices || devices > 8) {
		fprintf(stderr, "usage: hlsim cosim --devices 1..8 --workdir DIR [--config NAME]\n"
				"(started by the virtual device of `hlsim vdev`; it talks on its "
				"standard input and output)\n");
		return 2;
	}
	/* one per simulator: each process of the program that uses a device starts its own */
	if ((size_t)snprintf(plat, sizeof(plat), "%s/.cosim-platform.%d.xml", dir, (int)getpid()) >=
	    sizeof(plat)) {
		fprintf(stderr, "hlsim cosim: --workdir too long\n");
		return 2;
	}
	/* answers go to the socket only: anything printed to stdout goes to stderr */
	out_fd = dup(1);
	if (out_fd < 0 || dup2(2, 1) < 0) {
		fprintf(stderr, "hlsim cosim: %s\n", strerror(errno));
		return 1;
	}
	signal(SIGPIPE, SIG_IGN); /* the program may go away at any time */
	rc = hlsim_config_load(config && *config ? config : NULL, &cfg);
	if (!rc)
		rc = sim_cosim_run(cfg, (uint32_t)devices, 0, out_fd, plat);
	status = rc ? cli_fail(rc, "co-simulation (WAIT_CS times are the virtual device's "
				   "estimates from here on)")
		    : 0;
	hlsim_config_free(cfg);
	unlink(plat);
	close(out_fd);
	return status;
}
