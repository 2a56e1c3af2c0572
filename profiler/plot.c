/*
 * profiler/plot.c - find the gnuplot scripts and run gnuplot on them.
 *
 * gnuplot runs as a child process started with posix_spawnp() and an argument vector:
 * no shell, no generated script text; the script is a file in plots/ that reads the data
 * file the profiler wrote. Its standard output and error are the caller's (so its own
 * messages reach the user); its standard input is /dev/null.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "profiler/prf.h"

extern char **environ;

#define TIMELINE_SCRIPT "timeline.gp"

/* Does @dir hold a readable timeline.gp? */
static int has_script(const char *dir)
{
	char path[4096];

	if (snprintf(path, sizeof(path), "%s/%s", dir, TIMELINE_SCRIPT) >= (int)sizeof(path))
		return 0;
	return access(path, R_OK) == 0;
}

hlsim_err_t prf_plots_dir_find(const char *explicit_dir, char *buf, size_t size)
{
	const char *env = getenv("HLSIM_PLOTS_DIR");
	const char *tried[3];
	int ntried = 0, i;

	if (explicit_dir) {
		if (!has_script(explicit_dir))
			return hlsim_error(HLSIM_E_IO, "plots folder %s holds no readable %s",
					   explicit_dir, TIMELINE_SCRIPT);
		snprintf(buf, size, "%s", explicit_dir);
		return HLSIM_OK;
	}
	if (env && env[0])
		tried[ntried++] = env;
	tried[ntried++] = HLSIM_SOURCE_DIR "/plots";
	tried[ntried++] = HLSIM_DATA_DIR "/plots";
	for (i = 0; i < ntried; i++) {
		if (has_script(tried[i])) {
			snprintf(buf, size, "%s", tried[i]);
			return HLSIM_OK;
		}
	}
	if (env && env[0])
		return hlsim_error(HLSIM_E_IO,
				   "no %s found in $HLSIM_PLOTS_DIR=%s, %s or %s: set "
				   "HLSIM_PLOTS_DIR to the folder holding the gnuplot scripts",
				   TIMELINE_SCRIPT, env, HLSIM_SOURCE_DIR "/plots",
				   HLSIM_DATA_DIR "/plots");
	return hlsim_error(HLSIM_E_IO,
			   "no %s found in %s or %s (HLSIM_PLOTS_DIR unset): set HLSIM_PLOTS_DIR "
			   "to the folder holding the gnuplot scripts",
			   TIMELINE_SCRIPT, HLSIM_SOURCE_DIR "/plots", HLSIM_DATA_DIR "/plots");
}

hlsim_err_t prf_plot_run(const char *script_path, const char *data_path, const char *out_path)
{
	const char *env = getenv("HLSIM_GNUPLOT");
	const char *prog = env && env[0] ? env : "gnuplot";
	char *argv[6];
	posix_spawn_file_actions_t fa;
	struct stat sb;
	pid_t pid;
	int err, status;
	hlsim_err_t rc = HLSIM_OK;

	if (unlink(out_path) != 0 && errno != ENOENT)
		return hlsim_error(HLSIM_E_IO, "%s: cannot replace: %s", out_path, strerror(errno));

	/* posix_spawnp takes char *const argv[]; it does not modify the strings */
	argv[0] = (char *)prog;
	argv[1] = (char *)"-c";
	argv[2] = (char *)script_path;
	argv[3] = (char *)data_path;
	argv[4] = (char *)out_path;
	argv[5] = NULL;

	err = posix_spawn_file_actions_init(&fa);
	if (err)
		return hlsim_error(HLSIM_E_EXTERNAL, "cannot start %s: %s", prog, strerror(err));
	err = posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	if (err) {
		rc = hlsim_error(HLSIM_E_EXTERNAL, "cannot start %s: %s", prog, strerror(err));
		goto out_destroy;
	}
	err = posix_spawnp(&pid, prog, &fa, NULL, argv, environ);
	if (err) {
		if (err == ENOENT)
			rc = hlsim_error(HLSIM_E_EXTERNAL,
					 "%s not found in PATH, so %s was not drawn: install "
					 "gnuplot (Debian: gnuplot-nox), set HLSIM_GNUPLOT to its "
					 "path, or ask for no plot",
					 prog, out_path);
		else
			rc = hlsim_error(HLSIM_E_EXTERNAL, "cannot start %s: %s", prog,
					 strerror(err));
		goto out_destroy;
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			rc = hlsim_error(HLSIM_E_EXTERNAL, "waiting for %s: %s", prog,
					 strerror(errno));
			goto out_destroy;
		}
	}
	if (WIFSIGNALED(status)) {
		rc = hlsim_error(HLSIM_E_EXTERNAL, "%s -c %s %s %s was killed by signal %d", prog,
				 script_path, data_path, out_path, WTERMSIG(status));
	} else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		rc = hlsim_error(HLSIM_E_EXTERNAL,
				 "%s -c %s %s %s failed with exit status %d (its messages are "
				 "above)",
				 prog, script_path, data_path, out_path,
				 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	} else if (stat(out_path, &sb) != 0 || sb.st_size == 0) {
		rc = hlsim_error(HLSIM_E_EXTERNAL, "%s -c %s %s %s exited 0 but wrote no %s", prog,
				 script_path, data_path, out_path, out_path);
	}
out_destroy:
	posix_spawn_file_actions_destroy(&fa);
	return rc;
}
