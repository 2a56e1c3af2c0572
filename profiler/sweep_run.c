/*
 * profiler/sweep_run.c - running a sweep's points as child `hlsim run` processes.
 *
 * Each point runs in DIR/points/NNNNN/ as a child started with posix_spawn (an argument
 * vector, no shell), at most `jobs` at a time. The child's stdout goes straight to the
 * point's log.txt; its stderr comes through a pipe that the sweep copies into the same
 * log.txt (appending), remembering the last line for the point's error message. When
 * the child has exited, DIR/points/NNNNN/done is written (to done.tmp, then renamed):
 *
 *   hlsim-sweep-point 1
 *   point N
 *   value KEY=VALUE            (one per axis, canonical)
 *   status ok|failed
 *   exit STATUS                (the exit status, or 128 + signal)
 *   error LAST-STDERR-LINE     (empty when ok)
 *
 * A rerun skips the points whose marker exists, records status ok and the same values.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "profiler/prf_sweep.h"
#include "profiler/sweep_int.h"

extern char **environ;

#define PATH_BYTES 4096

/* One running child. */
struct child {
	pid_t pid;
	uint64_t point;
	int err_fd; /* read end of the child's stderr pipe; -1 once at EOF */
	int log_fd;
	char line[PRF_SWEEP_ERROR_BYTES]; /* the stderr line being read */
	size_t line_len;
	char last[PRF_SWEEP_ERROR_BYTES]; /* the last complete non-empty stderr line */
	struct timespec t0;
};

/* mkdir -p @path. */
static hlsim_err_t make_dirs(const char *path)
{
	char buf[PATH_BYTES];
	size_t i, n = strlen(path);

	if (n >= sizeof(buf))
		return hlsim_error(HLSIM_E_IO, "%s: path too long", path);
	memcpy(buf, path, n + 1);
	for (i = 1; i <= n; i++) {
		if (buf[i] == '/' || buf[i] == '\0') {
			char c = buf[i];

			buf[i] = '\0';
			if (mkdir(buf, 0777) && errno != EEXIST)
				return hlsim_error(HLSIM_E_IO, "cannot create the directory %s: %s",
						   buf, strerror(errno));
			buf[i] = c;
		}
	}
	return HLSIM_OK;
}

void prf_sweep_point_dir(const char *dir, uint64_t point, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s/points/%05" PRIu64, dir, point);
}

hlsim_err_t prf_sweep_read_file(const char *path, size_t max_bytes, char **out)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;

	*out = NULL;
	if (!f)
		return hlsim_error(HLSIM_E_IO, "%s: cannot open: %s", path, strerror(errno));
	buf = malloc(max_bytes + 1);
	if (!buf) {
		fclose(f);
		return hlsim_error(HLSIM_E_NOMEM, "%s: no memory", path);
	}
	n = fread(buf, 1, max_bytes + 1, f);
	if (ferror(f) || n > max_bytes) {
		int big = n > max_bytes;

		fclose(f);
		free(buf);
		return hlsim_error(HLSIM_E_IO, "%s: %s", path,
				   big ? "larger than expected" : "read error");
	}
	fclose(f);
	buf[n] = '\0';
	if (memchr(buf, '\0', n)) {
		free(buf);
		return hlsim_error(HLSIM_E_TRACE_FORMAT, "%s: a NUL byte in a text file", path);
	}
	*out = buf;
	return HLSIM_OK;
}

hlsim_err_t prf_sweep_write_file(const char *path, const char *text)
{
	char tmp[PATH_BYTES];
	FILE *f;
	int bad;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp))
		return hlsim_error(HLSIM_E_IO, "%s: path too long", path);
	f = fopen(tmp, "wb");
	if (!f)
		return hlsim_error(HLSIM_E_IO, "%s: cannot create: %s", tmp, strerror(errno));
	bad = fputs(text, f) < 0;
	bad |= fclose(f) != 0;
	if (bad || rename(tmp, path)) {
		unlink(tmp);
		return hlsim_error(HLSIM_E_IO, "%s: cannot write: %s", path, strerror(errno));
	}
	return HLSIM_OK;
}

/* The marker text of @point. */
static hlsim_err_t marker_text(const struct prf_sweep_spec *s, uint64_t point, const char *status,
			       int exit_status, const char *error, char *buf, size_t cap)
{
	size_t used, i;

	used = (size_t)snprintf(buf, cap, "hlsim-sweep-point 1\npoint %" PRIu64 "\n", point);
	for (i = 0; i < s->num_axes && used < cap; i++)
		used += (size_t)snprintf(buf + used, cap - used, "value %s=%s\n", s->axes[i].key,
					 prf_sweep_point_value(s, point, i));
	if (used < cap)
		used += (size_t)snprintf(buf + used, cap - used, "status %s\nexit %d\nerror %s\n",
					 status, exit_status, error);
	if (used >= cap)
		return hlsim_error(HLSIM_E_INVAL, "sweep: point %" PRIu64 ": marker too long",
				   point);
	return HLSIM_OK;
}

hlsim_err_t prf_sweep_marker_read(const struct prf_sweep_spec *s, const char *dir, uint64_t point,
				  struct prf_sweep_marker *m)
{
	char pdir[PATH_BYTES], path[PATH_BYTES + 8], *text = NULL, want[8192];
	const char *p, *st, *ex, *er;
	size_t head;
	hlsim_err_t rc;

	memset(m, 0, sizeof(*m));
	prf_sweep_point_dir(dir, point, pdir, sizeof(pdir));
	snprintf(path, sizeof(path), "%s/done", pdir);
	if (access(path, F_OK))
		return HLSIM_OK; /* not done */
	rc = prf_sweep_read_file(path, 64 * 1024, &text);
	if (rc)
		return rc;
	/* everything up to "status" must match what this spec records for the point */
	rc = marker_text(s, point, "", 0, "", want, sizeof(want));
	if (rc)
		goto out;
	head = strstr(want, "status ") ? (size_t)(strstr(want, "status ") - want) : 0;
	if (strncmp(text, want, head)) {
		m->mismatch = 1;
		goto out;
	}
	p = text + head;
	st = strstr(p, "status ");
	ex = strstr(p, "\nexit ");
	er = strstr(p, "\nerror ");
	if (st != p || !ex || !er) {
		rc = hlsim_error(HLSIM_E_TRACE_FORMAT,
				 "%s: expected 'status', 'exit' and 'error' lines", path);
		goto out;
	}
	if (!strncmp(st, "status ok\n", 10))
		m->ok = 1;
	else if (strncmp(st, "status failed\n", 14))
		rc = hlsim_error(HLSIM_E_TRACE_FORMAT, "%s: status must be ok or failed", path);
	m->exit_status = atoi(ex + 6);
	snprintf(m->error, sizeof(m->error), "%.*s",
		 (int)strcspn(er + 7, "\n"), er + 7);
	if (!rc)
		m->done = 1;
out:
	free(text);
	return rc;
}

/* Start @c's child for point @c->point. */
static hlsim_err_t spawn_point(const struct prf_sweep_spec *s, const struct prf_sweep_run_opts *o,
			       struct child *c)
{
	char pdir[PATH_BYTES], path[PATH_BYTES + 16], kv[PRF_SWEEP_MAX_AXES][320];
	const char *argv[16 + 2 * 64 + 2 * PRF_SWEEP_MAX_AXES];
	posix_spawn_file_actions_t fa;
	int pipefd[2] = { -1, -1 }, log_fd = -1, err;
	size_t n = 0, i;
	hlsim_err_t rc;

	if (s->num_sets > 64)
		return hlsim_error(HLSIM_E_USAGE, "sweep: more than 64 --set options");
	prf_sweep_point_dir(o->out_dir, c->point, pdir, sizeof(pdir));
	rc = make_dirs(pdir);
	if (rc)
		return rc;
	snprintf(path, sizeof(path), "%s/done", pdir);
	if (unlink(path) && errno != ENOENT)
		return hlsim_error(HLSIM_E_IO, "%s: cannot remove: %s", path, strerror(errno));
	snprintf(path, sizeof(path), "%s/log.txt", pdir);
	log_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0666);
	if (log_fd < 0)
		return hlsim_error(HLSIM_E_IO, "%s: cannot create: %s", path, strerror(errno));
	if (pipe(pipefd) || fcntl(pipefd[0], F_SETFD, FD_CLOEXEC) ||
	    fcntl(pipefd[1], F_SETFD, FD_CLOEXEC)) {
		if (pipefd[0] >= 0) {
			close(pipefd[0]);
			close(pipefd[1]);
		}
		close(log_fd);
		return hlsim_error(HLSIM_E_IO, "sweep: cannot create a pipe: %s", strerror(errno));
	}
	argv[n++] = o->exe;
	argv[n++] = "run";
	argv[n++] = s->trace;
	if (s->config) {
		argv[n++] = "--config";
		argv[n++] = s->config;
	}
	for (i = 0; i < s->num_sets; i++) {
		argv[n++] = "--set";
		argv[n++] = s->sets[i];
	}
	for (i = 0; i < s->num_axes; i++) {
		snprintf(kv[i], sizeof(kv[i]), "%s=%s", s->axes[i].key,
			 prf_sweep_point_value(s, c->point, i));
		argv[n++] = "--set";
		argv[n++] = kv[i];
	}
	argv[n++] = "-o";
	argv[n++] = pdir;
	argv[n++] = "--no-plot";
	argv[n++] = "--no-progress";
	argv[n] = NULL;

	err = posix_spawn_file_actions_init(&fa);
	if (!err)
		err = posix_spawn_file_actions_adddup2(&fa, log_fd, 1);
	if (!err)
		err = posix_spawn_file_actions_adddup2(&fa, pipefd[1], 2);
	if (!err)
		err = posix_spawn(&c->pid, o->exe, &fa, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	if (err) {
		close(pipefd[0]);
		close(log_fd);
		return hlsim_error(HLSIM_E_EXTERNAL,
				   "sweep: point %" PRIu64 ": cannot start %s: %s", c->point,
				   o->exe, strerror(err));
	}
	c->err_fd = pipefd[0];
	c->log_fd = log_fd;
	c->line_len = 0;
	c->last[0] = '\0';
	clock_gettime(CLOCK_MONOTONIC, &c->t0);
	return HLSIM_OK;
}

/* Copy what the child wrote to stderr into its log; note its last line. 0 at EOF. */
static int drain_stderr(struct child *c)
{
	char buf[4096];
	ssize_t got, i;

	got = read(c->err_fd, buf, sizeof(buf));
	if (got < 0 && errno == EINTR)
		return 1;
	if (got <= 0)
		return 0;
	if (write(c->log_fd, buf, (size_t)got) != got) {
		/* the log is best effort; the marker still records the outcome */
	}
	for (i = 0; i < got; i++) {
		if (buf[i] == '\n') {
			if (c->line_len) {
				memcpy(c->last, c->line, c->line_len);
				c->last[c->line_len] = '\0';
			}
			c->line_len = 0;
		} else if (c->line_len < sizeof(c->line) - 1) {
			/* keep the marker one line of printable text */
			c->line[c->line_len++] =
				(buf[i] == '\r' || buf[i] == '\t') ? ' ' : buf[i];
		}
	}
	return 1;
}

/* The child has closed its stderr: reap it and write its marker. */
static hlsim_err_t finish_point(const struct prf_sweep_spec *s,
				const struct prf_sweep_run_opts *o, struct child *c,
				uint64_t *failed, uint64_t done_count, uint64_t total)
{
	char pdir[PATH_BYTES], path[PATH_BYTES + 16], marker[8192], err[PRF_SWEEP_ERROR_BYTES];
	struct timespec t1;
	int status = 0, exit_status, ok;
	pid_t r;

	do
		r = waitpid(c->pid, &status, 0);
	while (r < 0 && errno == EINTR);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (c->line_len) {
		memcpy(c->last, c->line, c->line_len);
		c->last[c->line_len] = '\0';
	}
	close(c->err_fd);
	close(c->log_fd);
	c->err_fd = c->log_fd = -1;
	prf_sweep_point_dir(o->out_dir, c->point, pdir, sizeof(pdir));
	if (r < 0)
		return hlsim_error(HLSIM_E_EXTERNAL, "sweep: point %" PRIu64 ": waitpid: %s",
				   c->point, strerror(errno));
	if (WIFEXITED(status))
		exit_status = WEXITSTATUS(status);
	else
		exit_status = 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	ok = WIFEXITED(status) && exit_status == 0;
	snprintf(path, sizeof(path), "%s/results.h5", pdir);
	if (ok && access(path, R_OK)) {
		ok = 0;
		snprintf(err, sizeof(err), "exited 0 but wrote no results.h5");
	} else if (!ok && WIFSIGNALED(status)) {
		snprintf(err, sizeof(err), "killed by signal %d%s%s", WTERMSIG(status),
			 c->last[0] ? "; last error line: " : "", c->last);
	} else if (!ok) {
		snprintf(err, sizeof(err), "%s", c->last[0] ? c->last : "(no error message)");
	} else {
		err[0] = '\0';
	}
	if (marker_text(s, c->point, ok ? "ok" : "failed", exit_status, err, marker,
			sizeof(marker)))
		return HLSIM_E_INVAL;
	snprintf(path, sizeof(path), "%s/done", pdir);
	if (prf_sweep_write_file(path, marker))
		return HLSIM_E_IO;
	if (!ok)
		(*failed)++;
	if (o->log) {
		double wall_s = (double)(t1.tv_sec - c->t0.tv_sec) +
				(double)(t1.tv_nsec - c->t0.tv_nsec) * 1e-9;

		fprintf(o->log,
			"hlsim sweep: point %05" PRIu64 " %s in %.2f s (%" PRIu64 "/%" PRIu64
			")%s%s\n",
			c->point, ok ? "ok" : "FAILED", wall_s, done_count, total, ok ? "" : ": ",
			ok ? "" : err);
		fflush(o->log);
	}
	return HLSIM_OK;
}

hlsim_err_t prf_sweep_run(const struct prf_sweep_spec *s, const struct prf_sweep_run_opts *o,
			  uint64_t *ran, uint64_t *failed)
{
	char path[PATH_BYTES], *spec = NULL, *old = NULL;
	uint64_t *todo = NULL, ntodo = 0, next = 0, nfailed = 0, nfinished = 0, p;
	struct child *kids = NULL;
	struct pollfd *pfd = NULL;
	size_t active = 0, i;
	unsigned int jobs = o->jobs ? o->jobs : 1;
	hlsim_err_t rc;

	if (ran)
		*ran = 0;
	if (failed)
		*failed = 0;
	if (!o->shard_count || o->shard_index >= o->shard_count)
		return hlsim_error(HLSIM_E_USAGE, "sweep: bad shard %" PRIu64 "/%" PRIu64,
				   o->shard_index, o->shard_count);
	rc = prf_sweep_spec_text(s, &spec);
	if (rc)
		return rc;
	snprintf(path, sizeof(path), "%s/points", o->out_dir);
	rc = make_dirs(path);
	if (rc)
		goto out;
	snprintf(path, sizeof(path), "%s/sweep.spec", o->out_dir);
	if (!access(path, F_OK)) {
		rc = prf_sweep_read_file(path, 16 << 20, &old);
		if (!rc)
			rc = prf_sweep_spec_diff(path, old, spec);
	} else {
		rc = prf_sweep_write_file(path, spec);
	}
	if (rc)
		goto out;

	todo = calloc(s->num_points, sizeof(*todo));
	kids = calloc(jobs, sizeof(*kids));
	pfd = calloc(jobs, sizeof(*pfd));
	if (!todo || !kids || !pfd) {
		rc = hlsim_error(HLSIM_E_NOMEM, "sweep: no memory");
		goto out;
	}
	for (p = o->shard_index; p < s->num_points; p += o->shard_count) {
		struct prf_sweep_marker m;

		rc = prf_sweep_marker_read(s, o->out_dir, p, &m);
		if (rc) /* an unreadable marker: run the point again */
			m.done = 0;
		rc = HLSIM_OK;
		if (!m.done || !m.ok)
			todo[ntodo++] = p;
	}
	if (o->log) {
		fprintf(o->log, "hlsim sweep: %" PRIu64 " points, shard %" PRIu64 "/%" PRIu64
				": %" PRIu64 " to run, %u at a time\n",
			s->num_points, o->shard_index, o->shard_count, ntodo, jobs);
		fflush(o->log);
	}
	while (next < ntodo || active) {
		while (next < ntodo && active < jobs) {
			struct child *c = &kids[active];

			memset(c, 0, sizeof(*c));
			c->point = todo[next++];
			rc = spawn_point(s, o, c);
			if (rc)
				goto out;
			active++;
		}
		for (i = 0; i < active; i++) {
			pfd[i].fd = kids[i].err_fd;
			pfd[i].events = POLLIN;
			pfd[i].revents = 0;
		}
		if (poll(pfd, active, -1) < 0) {
			if (errno == EINTR)
				continue;
			rc = hlsim_error(HLSIM_E_IO, "sweep: poll: %s", strerror(errno));
			goto out;
		}
		for (i = active; i-- > 0;) {
			if (!pfd[i].revents)
				continue;
			if (drain_stderr(&kids[i]))
				continue;
			nfinished++;
			rc = finish_point(s, o, &kids[i], &nfailed, nfinished, ntodo);
			if (ran)
				(*ran)++;
			kids[i] = kids[--active];
			if (rc)
				goto out;
		}
	}
	/* failed points from earlier runs that were not rerun count too: none, all reran */
	if (failed)
		*failed = nfailed;
out:
	/* on an error, let the running children finish rather than orphan them */
	for (i = 0; i < active; i++) {
		int st;

		close(kids[i].err_fd);
		close(kids[i].log_fd);
		while (waitpid(kids[i].pid, &st, 0) < 0 && errno == EINTR)
			;
	}
	free(pfd);
	free(kids);
	free(todo);
	free(old);
	free(spec);
	return rc;
}
