/*
 * profiler/child.c - the child-process pool shared by `hlsim sweep` (sweep_run.c) and
 * `hlsim whatif` (whatif.c): start children with posix_spawn, their output to a pipe and a
 * log (sweep) or to files (what-if), and wait for whichever ends first. See prf_child.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "profiler/prf_child.h"

extern char **environ;

hlsim_err_t prf_child_spawn_pipe(struct prf_child *c, const char *exe, const char *const *argv,
				 int log_fd, const char *who, const char *what)
{
	posix_spawn_file_actions_t fa;
	int pipefd[2] = { -1, -1 }, err;

	if (pipe(pipefd) || fcntl(pipefd[0], F_SETFD, FD_CLOEXEC) ||
	    fcntl(pipefd[1], F_SETFD, FD_CLOEXEC)) {
		if (pipefd[0] >= 0) {
			close(pipefd[0]);
			close(pipefd[1]);
		}
		return hlsim_error(HLSIM_E_IO, "%s: cannot create a pipe: %s", who,
				   strerror(errno));
	}
	err = posix_spawn_file_actions_init(&fa);
	if (!err)
		err = posix_spawn_file_actions_adddup2(&fa, log_fd, 1);
	if (!err)
		err = posix_spawn_file_actions_adddup2(&fa, pipefd[1], 2);
	if (!err)
		err = posix_spawn(&c->pid, exe, &fa, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	if (err) {
		close(pipefd[0]);
		return hlsim_error(HLSIM_E_EXTERNAL, "%s: cannot start %s: %s", what, exe,
				   strerror(err));
	}
	c->running = 1;
	c->err_fd = pipefd[0];
	c->log_fd = log_fd;
	c->line_len = 0;
	c->last[0] = '\0';
	return HLSIM_OK;
}

hlsim_err_t prf_child_spawn_files(struct prf_child *c, const char *exe, const char *const *argv,
				  const char *out_path, const char *err_path, const char *what)
{
	posix_spawn_file_actions_t fa;
	int e;

	e = posix_spawn_file_actions_init(&fa);
	if (e)
		return hlsim_error(HLSIM_E_EXTERNAL, "%s: cannot start %s: %s", what, exe,
				   strerror(e));
	e = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	if (!e)
		e = posix_spawn_file_actions_addopen(&fa, 1, out_path,
						     O_WRONLY | O_CREAT | O_TRUNC, 0666);
	if (!e)
		e = posix_spawn_file_actions_addopen(&fa, 2, err_path,
						     O_WRONLY | O_CREAT | O_TRUNC, 0666);
	if (!e)
		e = posix_spawn(&c->pid, exe, &fa, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (e)
		return hlsim_error(HLSIM_E_EXTERNAL, "%s: cannot start %s: %s", what, exe,
				   strerror(e));
	c->running = 1;
	c->err_fd = -1;
	c->log_fd = -1;
	c->line_len = 0;
	c->last[0] = '\0';
	return HLSIM_OK;
}

/* Copy what @c wrote to stderr into its log; note its last line. 0 at end of file. */
static int drain_stderr(struct prf_child *c)
{
	char buf[4096];
	ssize_t got, i;

	got = read(c->err_fd, buf, sizeof(buf));
	if (got < 0 && errno == EINTR)
		return 1;
	if (got <= 0)
		return 0;
	if (write(c->log_fd, buf, (size_t)got) != got) {
		/* the log is best effort; the caller still records the outcome */
	}
	for (i = 0; i < got; i++) {
		if (buf[i] == '\n') {
			if (c->line_len) {
				memcpy(c->last, c->line, c->line_len);
				c->last[c->line_len] = '\0';
			}
			c->line_len = 0;
		} else if (c->line_len < sizeof(c->line) - 1) {
			/* keep the last line one line of printable text */
			c->line[c->line_len++] =
				(buf[i] == '\r' || buf[i] == '\t') ? ' ' : buf[i];
		}
	}
	return 1;
}

/* @c's stderr ended: keep an unfinished last line, close the pipe, reap it. */
static hlsim_err_t reap_piped(struct prf_child *c, int *status, const char *who)
{
	pid_t r;

	do
		r = waitpid(c->pid, status, 0);
	while (r < 0 && errno == EINTR);
	if (c->line_len) {
		memcpy(c->last, c->line, c->line_len);
		c->last[c->line_len] = '\0';
	}
	close(c->err_fd);
	c->err_fd = -1;
	c->running = 0;
	if (r < 0)
		return hlsim_error(HLSIM_E_EXTERNAL, "%s: waitpid: %s", who, strerror(errno));
	return HLSIM_OK;
}

static hlsim_err_t wait_piped(struct prf_child *kids, size_t n, size_t *index, int *status,
			      const char *who)
{
	struct pollfd pfd[64], *p = pfd;
	size_t map[64], *m = map, np, i;
	hlsim_err_t rc = HLSIM_OK;

	if (n > 64) {
		p = calloc(n, sizeof(*p));
		m = calloc(n, sizeof(*m));
		if (!p || !m) {
			free(p);
			free(m);
			return hlsim_error(HLSIM_E_NOMEM, "%s: no memory", who);
		}
	}
	for (;;) {
		for (i = 0, np = 0; i < n; i++) {
			if (!kids[i].running || kids[i].err_fd < 0)
				continue;
			p[np].fd = kids[i].err_fd;
			p[np].events = POLLIN;
			p[np].revents = 0;
			m[np++] = i;
		}
		if (!np) {
			rc = hlsim_error(HLSIM_E_INVAL, "%s: no child is running", who);
			break;
		}
		if (poll(p, np, -1) < 0) {
			if (errno == EINTR)
				continue;
			rc = hlsim_error(HLSIM_E_IO, "%s: poll: %s", who, strerror(errno));
			break;
		}
		for (i = np; i-- > 0;) {
			if (!p[i].revents || drain_stderr(&kids[m[i]]))
				continue;
			*index = m[i];
			rc = reap_piped(&kids[m[i]], status, who);
			goto out;
		}
	}
out:
	if (p != pfd) {
		free(p);
		free(m);
	}
	return rc;
}

hlsim_err_t prf_child_wait_any(struct prf_child *kids, size_t n, size_t *index, int *status,
			       const char *who)
{
	size_t i;
	pid_t pid;

	for (i = 0; i < n; i++)
		if (kids[i].running && kids[i].err_fd >= 0)
			return wait_piped(kids, n, index, status, who);
	for (i = 0; i < n && !kids[i].running; i++)
		;
	if (i == n)
		return hlsim_error(HLSIM_E_INVAL, "%s: no child is running", who);
	for (;;) {
		pid = waitpid(-1, status, 0);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			return hlsim_error(HLSIM_E_EXTERNAL, "%s: waitpid: %s", who,
					   strerror(errno));
		}
		for (i = 0; i < n; i++)
			if (kids[i].running && kids[i].pid == pid)
				break;
		if (i < n)
			break; /* else a child that is not ours: ignore it */
	}
	kids[i].running = 0;
	*index = i;
	return HLSIM_OK;
}

void prf_child_reap(struct prf_child *c)
{
	int st;

	if (c->err_fd >= 0) {
		close(c->err_fd);
		c->err_fd = -1;
	}
	if (!c->running)
		return;
	while (waitpid(c->pid, &st, 0) < 0 && errno == EINTR)
		;
	c->running = 0;
}
