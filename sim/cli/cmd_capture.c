/*
 * sim/cli/cmd_capture.c - `hlsim capture [-o TRACE] [--journal FILE] [--backend real|vdev]
 * [--sync-ms MS] -- PROGRAM ARGS...` and `hlsim capture --finish JOURNAL [-o TRACE]`.
 *
 * Runs PROGRAM with LD_PRELOAD=libhlsim_preload.so in capture mode
 * (HLSIM_CAPTURE_JOURNAL): every call PROGRAM makes on a Habana device node goes to the
 * driver and is appended to an append-only journal (traces/interposer/journal.h). When
 * PROGRAM has ended, however it ended (a SIGKILL included), the journal's complete records
 * become trace v1 TRACE. --finish does that conversion alone for a journal left behind.
 * The exit status is PROGRAM's when it failed (128 + signal if killed), else the
 * conversion's.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/cli/cli.h"
#include "traces/interposer/journal.h"

extern char **environ;

#define CAP_LIB_NAME "libhlsim_preload.so"
#define CAP_DEFAULT_TRACE "hlsim-capture.h5"

static void capture_usage(FILE *o)
{
	fprintf(o, "usage: hlsim capture [-o TRACE] [--journal FILE] [--backend real|vdev]\n"
		   "                     [--sync-ms MS] -- PROGRAM [ARGS...]\n"
		   "       hlsim capture --finish JOURNAL [-o TRACE]\n\n"
		   "Runs PROGRAM with " CAP_LIB_NAME " (LD_PRELOAD) in capture mode: its\n"
		   "opens, ioctls and mmaps of /dev/hl* and /dev/accel/* go to the driver and are\n"
		   "appended to an append-only journal (default TRACE.journal), with the CB\n"
		   "bytes snapshotted at each CS and HL_CS_FLAGS_TIMESTAMP added so that WAIT_CS\n"
		   "reports completion times. When PROGRAM ends (even killed) the journal's\n"
		   "complete records become the trace TRACE (default " CAP_DEFAULT_TRACE ").\n\n"
		   "  --finish JOURNAL  only convert JOURNAL (a journal cut at any byte keeps its\n"
		   "                    complete records; the bytes dropped are reported)\n"
		   "  --backend real    the habanalabs driver (default)\n"
		   "  --backend vdev    hlsim's virtual device as the driver (for testing;\n"
		   "                    HLSIM_VDEV_* variables configure it as for `hlsim vdev`)\n"
		   "  --sync-ms MS      fdatasync the journal at most every MS ms (default 1000;\n"
		   "                    0: after every record)\n\n"
		   "HLSIM_PRELOAD_LIB overrides where the library is found.\n");
}

static int cap_try_lib(const char *dir, const char *sub, char *out)
{
	char path[PATH_MAX];

	if ((size_t)snprintf(path, sizeof(path), "%s%s/" CAP_LIB_NAME, dir, sub) >= sizeof(path))
		return -1;
	return access(path, R_OK) || !realpath(path, out) ? -1 : 0;
}

/* The library into @out (PATH_MAX): $HLSIM_PRELOAD_LIB, beside this hlsim, or ../lib*. */
static int cap_find_lib(char *out)
{
	static const char *const subs[] = { "", "/../lib", "/../lib64",
#if defined(__x86_64__)
					    "/../lib/x86_64-linux-gnu",
#elif defined(__aarch64__)
					    "/../lib/aarch64-linux-gnu",
#endif
	};
	const char *env = getenv("HLSIM_PRELOAD_LIB");
	char exe[PATH_MAX], *slash;
	ssize_t n;
	size_t i;

	if (env && *env) {
		if (access(env, R_OK) || !realpath(env, out)) {
			fprintf(stderr, "hlsim capture: HLSIM_PRELOAD_LIB=%s: %s\n", env,
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
			for (i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
				if (!cap_try_lib(exe, subs[i], out))
					return 0;
		}
	}
	fprintf(stderr, "hlsim capture: cannot find " CAP_LIB_NAME " beside this hlsim nor in "
			"../lib*; build the hlsim_preload target or set HLSIM_PRELOAD_LIB\n");
	return -1;
}

/* The environment with the NAME=VALUE strings of @set replacing their namesakes. */
static char **cap_env(char *const *set, size_t nset)
{
	size_t n = 0, i, k, m = 0;
	char **e;

	while (environ[n])
		n++;
	e = calloc(n + nset + 1, sizeof(*e));
	if (!e)
		return NULL;
	for (i = 0; i < n; i++) {
		int keep = 1;

		for (k = 0; k < nset && keep; k++) {
			size_t nl = (size_t)(strchr(set[k], '=') - set[k]) + 1;

			keep = strncmp(environ[i], set[k], nl) != 0;
		}
		if (keep)
			e[m++] = environ[i];
	}
	for (k = 0; k < nset; k++)
		e[m++] = set[k];
	return e;
}

/* Convert @journal into @trace and say what was kept and dropped. 0 or 1. */
static int cap_finish(const char *journal, const char *trace)
{
	struct trc_jnl_stats st;
	hlsim_err_t rc;

	rc = trc_jnl_finish(journal, trace, &st);
	if (rc)
		return cli_fail(rc, "capture --finish");
	printf("hlsim capture: %s: %" PRIu64 " complete records (%" PRIu64 " bytes) kept, %" PRIu64
	       " bytes dropped (%s)%s\n",
	       journal, st.records, st.kept_bytes, st.dropped_bytes, st.stop,
	       st.ended ? "" : "; no END record: the program did not exit normally, or the "
			       "journal could not be written to its end (see the capture's message)");
	printf("hlsim capture: %s: %" PRIu64 " device(s), %" PRIu64 " CSs (%" PRIu64
	       " more refused by the driver or without CBs: journal only), %" PRIu64
	       " WAIT_CS (%" PRIu64 " on interrupts: journal only), %" PRIu64
	       " memory images; %" PRIu64 " other ioctls journalled\n",
	       trace, st.devices, st.cs_ok, st.cs - st.cs_ok, st.waits_traced,
	       st.waits - st.waits_traced, st.images, st.ioctls);
	return 0;
}

/* Absolute form of @path into @out (PATH_MAX): the program may change directory. */
static int cap_abs(const char *path, char *out)
{
	char cwd[PATH_MAX];

	if (path[0] == '/')
		return (size_t)snprintf(out, PATH_MAX, "%s", path) >= PATH_MAX ? -1 : 0;
	if (!getcwd(cwd, sizeof(cwd)))
		return -1;
	return (size_t)snprintf(out, PATH_MAX, "%s/%s", cwd, path) >= PATH_MAX ? -1 : 0;
}

int cli_capture(int argc, char **argv)
{
	const char *trace = CAP_DEFAULT_TRACE, *journal = NULL, *finish = NULL, *backend = "real";
	const char *sync_ms = NULL, *old_preload = getenv("LD_PRELOAD");
	char lib[PATH_MAX], jpath[PATH_MAX], jdefault[PATH_MAX];
	char ev_preload[3 * PATH_MAX], ev_journal[PATH_MAX + 32], ev_backend[64], ev_sync[64];
	char *set[4] = { ev_preload, ev_journal, ev_backend, ev_sync };
	char **env;
	int i, prog = -1, st, fd, prc, status;
	uint64_t ms;
	pid_t pid;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--")) {
			prog = i + 1;
			break;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			capture_usage(stdout);
			return 0;
		} else if (i + 1 < argc && (!strcmp(a, "-o") || !strcmp(a, "--output"))) {
			trace = argv[++i];
		} else if (i + 1 < argc && !strcmp(a, "--journal")) {
			journal = argv[++i];
		} else if (i + 1 < argc && !strcmp(a, "--finish")) {
			finish = argv[++i];
		} else if (i + 1 < argc && !strcmp(a, "--backend")) {
			backend = argv[++i];
		} else if (i + 1 < argc && !strcmp(a, "--sync-ms")) {
			sync_ms = argv[++i];
		} else {
			fprintf(stderr, "hlsim capture: unknown or incomplete option '%s'\n", a);
			capture_usage(stderr);
			return 2;
		}
	}
	if (finish) {
		if (prog >= 0 || journal) {
			fprintf(stderr, "hlsim capture: --finish takes a journal and -o only\n");
			return 2;
		}
		return cap_finish(finish, trace);
	}
	if (prog < 0 || prog >= argc) {
		fprintf(stderr, "hlsim capture: no PROGRAM given (after --)\n");
		capture_usage(stderr);
		return 2;
	}
	if (strcmp(backend, "real") && strcmp(backend, "vdev")) {
		fprintf(stderr, "hlsim capture: --backend %s: expected real or vdev\n", backend);
		return 2;
	}
	if (sync_ms && (cli_parse_u64(sync_ms, &ms) || ms > 24ull * 3600 * 1000)) {
		fprintf(stderr, "hlsim capture: --sync-ms %s: expected milliseconds 0..86400000\n",
			sync_ms);
		return 2;
	}
	if (!journal) {
		if ((size_t)snprintf(jdefault, sizeof(jdefault), "%s.journal", trace) >=
		    sizeof(jdefault)) {
			fprintf(stderr, "hlsim capture: -o %s: path too long\n", trace);
			return 2;
		}
		journal = jdefault;
	}
	if (cap_abs(journal, jpath)) {
		fprintf(stderr, "hlsim capture: journal %s: path too long or no current "
				"directory\n", journal);
		return 1;
	}
	if (cap_find_lib(lib))
		return 1;
	/* a fresh journal: the library appends (processes of one run share it) */
	fd = open(jpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		fprintf(stderr, "hlsim capture: cannot create the journal %s: %s\n", jpath,
			strerror(errno));
		return 1;
	}
	close(fd);
	if (old_preload && *old_preload)
		snprintf(ev_preload, sizeof(ev_preload), "LD_PRELOAD=%s:%s", lib, old_preload);
	else
		snprintf(ev_preload, sizeof(ev_preload), "LD_PRELOAD=%s", lib);
	snprintf(ev_journal, sizeof(ev_journal), "HLSIM_CAPTURE_JOURNAL=%s", jpath);
	snprintf(ev_backend, sizeof(ev_backend), "HLSIM_CAPTURE_BACKEND=%s", backend);
	snprintf(ev_sync, sizeof(ev_sync), "HLSIM_CAPTURE_SYNC_MS=%s", sync_ms ? sync_ms : "1000");
	env = cap_env(set, 4);
	if (!env) {
		fprintf(stderr, "hlsim capture: out of memory\n");
		return 1;
	}
	prc = posix_spawnp(&pid, argv[prog], NULL, NULL, argv + prog, env);
	free(env);
	if (prc) {
		fprintf(stderr, "hlsim capture: cannot run %s: %s\n", argv[prog], strerror(prc));
		return 1;
	}
	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "hlsim capture: waiting for %s: %s\n", argv[prog],
				strerror(errno));
			return 1;
		}
	}
	if (WIFEXITED(st)) {
		status = WEXITSTATUS(st);
		if (status)
			fprintf(stderr, "hlsim capture: %s exited with status %d\n", argv[prog],
				status);
	} else {
		status = 128 + WTERMSIG(st);
		fprintf(stderr, "hlsim capture: %s was killed by signal %d; converting what its "
				"journal holds\n", argv[prog], WTERMSIG(st));
	}
	if (cap_finish(jpath, trace))
		return status ? status : 1;
	return status;
}
