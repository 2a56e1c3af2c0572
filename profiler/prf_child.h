/**
 * profiler/prf_child.h - child processes of the sweep and what-if runners (child.c).
 *
 * Both start `hlsim` children with posix_spawn (an argument vector, no shell), several at a
 * time, and wait for whichever ends first. They differ in where the child's output goes:
 *   - pipe mode (sweep): stdout to a log file descriptor, stderr through a pipe that the
 *     parent copies into the same log while remembering the last line;
 *   - files mode (what-if): stdin from /dev/null, stdout and stderr to two files.
 * A pool is a caller-owned array of struct prf_child; all of one pool use one mode.
 */
#ifndef HLSIM_PRF_CHILD_H
#define HLSIM_PRF_CHILD_H

#include <stddef.h>
#include <sys/types.h>

#include "hlsim/error.h"

/** PRF_CHILD_LINE_BYTES - room for the last stderr line kept in pipe mode. */
#define PRF_CHILD_LINE_BYTES 256

/**
 * struct prf_child - one child.
 * @pid: its process id. @running: started and not yet reaped.
 * @err_fd: pipe mode: the read end of its stderr pipe, -1 at end of file; files mode: -1.
 * @log_fd: pipe mode: its stdout, where its stderr is copied too (not owned: the caller
 *          opens and closes it); files mode: -1.
 * @line: the stderr line being read (tabs and carriage returns as blanks); @line_len.
 * @last: the last complete non-empty stderr line ("" if none); at the end, an unfinished
 *        last line counts.
 */
struct prf_child {
	pid_t pid;
	int running;
	int err_fd;
	int log_fd;
	char line[PRF_CHILD_LINE_BYTES];
	size_t line_len;
	char last[PRF_CHILD_LINE_BYTES];
};

/**
 * prf_child_spawn_pipe - start @exe with @argv (NULL-terminated) as @c: stdout to @log_fd,
 * stderr through a new pipe (see prf_child_wait_any()). Errors: HLSIM_E_IO "@who: cannot
 * create a pipe", HLSIM_E_EXTERNAL "@what: cannot start EXE: REASON".
 */
hlsim_err_t prf_child_spawn_pipe(struct prf_child *c, const char *exe, const char *const *argv,
				 int log_fd, const char *who, const char *what);

/**
 * prf_child_spawn_files - start @exe with @argv as @c: stdin from /dev/null, stdout to
 * @out_path and stderr to @err_path (created or truncated). Error: HLSIM_E_EXTERNAL
 * "@what: cannot start EXE: REASON".
 */
hlsim_err_t prf_child_spawn_files(struct prf_child *c, const char *exe, const char *const *argv,
				  const char *out_path, const char *err_path, const char *what);

/**
 * prf_child_wait_any - wait until one running child of @kids[0..@n) ends and reap it:
 * *@index gets its index, *@status its wait status; it is no longer running. In pipe mode
 * the children's stderr is copied to their logs meanwhile and the one whose stderr ends
 * first is reaped (the highest index first among those ready together); in files mode,
 * whichever exits (other children of the process are ignored). HLSIM_E_IO (poll) or
 * HLSIM_E_EXTERNAL (waitpid) prefixed with "@who: "; HLSIM_E_INVAL if none is running.
 */
hlsim_err_t prf_child_wait_any(struct prf_child *kids, size_t n, size_t *index, int *status,
			       const char *who);

/** prf_child_reap - close @c's pipe and wait for it to end (after an error elsewhere). */
void prf_child_reap(struct prf_child *c);

#endif /* HLSIM_PRF_CHILD_H */
