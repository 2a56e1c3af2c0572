/*
 * tests/unit/spawn.h - running the hlsim command or a test program from a unit test.
 *
 * Header-only (static inline functions) so that every tests/unit/test_*.c that runs programs
 * shares one way of doing it: argv[0] is a path, the environment is the test's own with
 * some names set or unset, and standard output and error go to a log file the test reads.
 */
#ifndef HLSIM_TESTS_SPAWN_H
#define HLSIM_TESTS_SPAWN_H

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

extern char **environ;

/* Whether environment entry @e names the variable of @set ("NAME=VALUE" or "NAME"). */
static inline int test_spawn_same_name(const char *e, const char *set)
{
	const char *eq = strchr(set, '=');
	size_t n = eq ? (size_t)(eq - set) : strlen(set);

	return !strncmp(e, set, n) && e[n] == '=';
}

/*
 * Run @argv (argv[0] a path) with the test's environment, where each of the @nset entries
 * of @set either sets a variable ("NAME=VALUE") or unsets it ("NAME"); standard output and
 * error go to @log. Returns the exit status, 128 + the signal that killed it, or -1 if it
 * could not run.
 */
static inline int test_spawn(char *const argv[], char *const set[], size_t nset, const char *log)
{
	posix_spawn_file_actions_t fa;
	size_t n = 0, i, k, m = 0;
	char **env;
	pid_t pid;
	int st, rc;

	while (environ[n])
		n++;
	env = calloc(n + nset + 1, sizeof(*env));
	if (!env)
		return -1;
	for (i = 0; i < n; i++) {
		int keep = 1;

		for (k = 0; k < nset; k++)
			keep &= !test_spawn_same_name(environ[i], set[k]);
		if (keep)
			env[m++] = environ[i];
	}
	for (k = 0; k < nset; k++)
		if (strchr(set[k], '='))
			env[m++] = set[k];
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, env);
	posix_spawn_file_actions_destroy(&fa);
	free(env);
	if (rc)
		return -1;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* The first @cap - 1 bytes of file @path as a string in @out ("" if it cannot be read). */
static inline void test_slurp(const char *path, char *out, size_t cap)
{
	FILE *f = fopen(path, "r");
	size_t n;

	out[0] = '\0';
	if (!f)
		return;
	n = fread(out, 1, cap - 1, f);
	out[n] = '\0';
	fclose(f);
}

#endif /* HLSIM_TESTS_SPAWN_H */
