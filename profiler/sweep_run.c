/*
 * profiler/sweep_run.c - running a sweep's points as child `hlsim run` processes.
 *
 * Each point runs in DIR/points/NNNNN/ as a child started with posix_spawn (an argument
 * vector, no shell), at most `jobs` at a time (the pool of profiler/child.c). The child's
 * stdout goes straight to the point's log.txt; its stderr comes through a pipe that the
 * sweep copies into the same log.txt (appending), remembering the last line for the
 * point's error message. When the child has exited, DIR/points/NNNNN/done is written (to
 * done.tmp, then renamed):
 *
 *   hlsim-sweep-point 1
 *   point N
 *   value KEY=VALUE            (one per axis, canonical)
 *   status ok|failed
 *   exit STATUS                (the exit status, or 128 + signal)
 *   error LAST-STDERR-LINE     (empty when ok)
 *
 * A rerun skips the points whose marker exists, records status ok and the same values.
 *
 * In a --gen sweep the point's first child is `hlsim gen ... -o DIR/points/NNNNN/trace.h5`
 * (same log, same stderr handling); when it exits 0 the run child follows in the same
 * slot, otherwise the point is marked failed with the generator's last error line.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
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

#include "profiler/prf_child.h"
#include "profiler/prf_sweep.h"
#include "profiler/sweep_int.h"

extern char **environ;

#define PATH_BYTES 4096

/* One running point: its child (@pc, in the pool array beside) and what the sweep adds. */
struct child {
	struct prf_child *pc; /* the child process: pid, stderr pipe, last stderr line */
	uint64_t point;
	int log_fd; /* the point's log.txt: the child's stdout and copied stderr */
	struct timespec t0;
	int gen_phase; /* the child is the point's `hlsim gen` (a --gen sweep) */
};

/* the last stderr line goes into a marker's error field */
_Static_assert(PRF_CHILD_LINE_BYTES <= PRF_SWEEP_ERROR_BYTES, "stderr line too long");

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

/* Argument vectors of a point's children, and the storage they point into. */
struct point_argv {
	const char *argv[16 + 2 * 64 + 2 * PRF_SWEEP_MAX_AXES + PRF_SWEEP_GEN_MAX_WORDS];
	char kv[PRF_SWEEP_MAX_AXES][320];
	char opt[PRF_SWEEP_MAX_AXES][PRF_SWEEP_VALUE_BYTES + 8];
	char words[4096];
	char trace[PATH_BYTES + 16];
	char pdir[PATH_BYTES];
};

static int is_gen_axis(const struct prf_sweep_axis *a)
{
	return !strncmp(a->key, PRF_SWEEP_GEN_PREFIX, strlen(PRF_SWEEP_GEN_PREFIX));
}

/* `EXE gen KIND OPTIONS --OPTION VALUE... -o PDIR/trace.h5` for @point into @a->argv. */
static hlsim_err_t gen_argv(const struct prf_sweep_spec *s, const struct prf_sweep_run_opts *o,
			    uint64_t point, struct point_argv *a)
{
	char *words[PRF_SWEEP_GEN_MAX_WORDS];
	size_t n = 0, i;
	int nw, w;

	nw = prf_sweep_gen_words(s->gen, a->words, sizeof(a->words), words,
				 PRF_SWEEP_GEN_MAX_WORDS);
	if (nw <= 0)
		return hlsim_error(HLSIM_E_USAGE, "sweep: bad --gen command '%s'", s->gen);
	a->argv[n++] = o->exe;
	a->argv[n++] = "gen";
	for (w = 0; w < nw; w++)
		a->argv[n++] = words[w];
	for (i = 0; i < s->num_axes; i++) {
		if (!is_gen_axis(&s->axes[i]))
			continue;
		snprintf(a->opt[i], sizeof(a->opt[i]), "--%s",
			 s->axes[i].key + strlen(PRF_SWEEP_GEN_PREFIX));
		a->argv[n++] = a->opt[i];
		a->argv[n++] = prf_sweep_point_value(s, point, i);
	}
	a->argv[n++] = "-o";
	a->argv[n++] = a->trace;
	a->argv[n] = NULL;
	return HLSIM_OK;
}

/* `EXE run TRACE [--config C] [--set ..]... --set KEY=VALUE... -o PDIR ...` into @a->argv. */
static void run_argv(const struct prf_sweep_spec *s, const struct prf_sweep_run_opts *o,
		     uint64_t point, struct point_argv *a)
{
	size_t n = 0, i;

	a->argv[n++] = o->exe;
	a->argv[n++] = "run";
	a->argv[n++] = s->gen ? a->trace : s->trace;
	if (s->config) {
		a->argv[n++] = "--config";
		a->argv[n++] = s->config;
	}
	for (i = 0; i < s->num_sets; i++) {
		a->argv[n++] = "--set";
		a->argv[n++] = s->sets[i];
	}
	for (i = 0; i < s->num_axes; i++) {
		if (is_gen_axis(&s->axes[i]))
			continue;
		snprintf(a->kv[i], sizeof(a->kv[i]), "%s=%s", s->axes[i].key,
			 prf_sweep_point_value(s, point, i));
		a->argv[n++] = "--set";
		a->argv[n++] = a->kv[i];
	}
	a->argv[n++] = "-o";
	a->argv[n++] = a->pdir;
	a->argv[n++] = "--no-plot";
	a->argv[n++] = "--no-progress";
	a->argv[n] = NULL;
}

/* Start @argv as @c's child: stdout to @c->log_fd, stderr through a new pipe. */
static hlsim_err_t spawn_child(const struct prf_sweep_run_opts *o, struct child *c,
			       const char *const *argv)
{
	char what[64];

	snprintf(what, sizeof(what), "sweep: point %" PRIu64, c->point);
	return prf_child_spawn_pipe(c->pc, o->exe, argv, c->log_fd, "sweep", what);
}

/* Start @c's first child for point @c->point (gen in a --gen sweep, else run). */
static hlsim_err_t spawn_point(const struct prf_sweep_spec *s, const struct prf_sweep_run_opts *o,
			       struct child *c)
{
	struct point_argv *a;
	char path[PATH_BYTES + 16];
	hlsim_err_t rc;

	if (s->num_sets > 64)
		return hlsim_error(HLSIM_E_USAGE, "sweep: more than 64 --set options");
	a = calloc(1, sizeof(*a));
	if (!a)
		return hlsim_error(HLSIM_E_NOMEM, "sweep: no memory");
	prf_sweep_point_dir(o->out_dir, c->point, a->pdir, sizeof(a->pdir));
	snprintf(a->trace, sizeof(a->trace), "%s/trace.h5", a->pdir);
	rc = make_dirs(a->pdir);
	if (rc)
		goto out;
	snprintf(path, sizeof(path), "%s/done", a->pdir);
	if (unlink(path) && errno != ENOENT) {
		rc = hlsim_error(HLSIM_E_IO, "%s: cannot remove: %s", path, strerror(errno));
		goto out;
	}
	snprintf(path, sizeof(path), "%s/log.txt", a->pdir);
	c->log_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0666);
	if (c->log_fd < 0) {
		rc = hlsim_error(HLSIM_E_IO, "%s: cannot create: %s", path, strerror(errno));
		goto out;
	}
	c->gen_phase = s->gen != NULL;
	if (c->gen_phase)
		rc = gen_argv(s, o, c->point, a);
	else
		run_argv(s, o, c->point, a);
	if (!rc)
		rc = spawn_child(o, c, a->argv);
	if (rc) {
		close(c->log_fd);
		c->log_fd = -1;
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &c->t0);
out:
	free(a);
	return rc;
}

/* The gen child of @c succeeded: start its run child on the generated trace. */
static hlsim_err_t spawn_run_after_gen(const struct prf_sweep_spec *s,
				       const struct prf_sweep_run_opts *o, struct child *c)
{
	struct point_argv *a = calloc(1, sizeof(*a));
	hlsim_err_t rc;

	if (!a)
		return hlsim_error(HLSIM_E_NOMEM, "sweep: no memory");
	prf_sweep_point_dir(o->out_dir, c->point, a->pdir, sizeof(a->pdir));
	snprintf(a->trace, sizeof(a->trace), "%s/trace.h5", a->pdir);
	run_argv(s, o, c->point, a);
	c->gen_phase = 0;
	rc = spawn_child(o, c, a->argv);
	free(a);
	return rc;
}

/*
 * The child has closed its stderr and was reaped with wait status @status: write its
 * marker, or, when it was the gen child of a --gen sweep and succeeded, start the run child
 * (*@restarted = 1, no marker).
 */
static hlsim_err_t finish_point(const struct prf_sweep_spec *s,
				const struct prf_sweep_run_opts *o, struct child *c, int status,
				uint64_t *failed, uint64_t done_count, uint64_t total,
				int *restarted)
{
	char pdir[PATH_BYTES], path[PATH_BYTES + 16], marker[8192], err[PRF_SWEEP_ERROR_BYTES];
	const char *last = c->pc->last;
	struct timespec t1;
	int exit_status, ok;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	*restarted = 0;
	prf_sweep_point_dir(o->out_dir, c->point, pdir, sizeof(pdir));
	if (WIFEXITED(status))
		exit_status = WEXITSTATUS(status);
	else
		exit_status = 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	ok = WIFEXITED(status) && exit_status == 0;
	if (c->gen_phase && ok) {
		hlsim_err_t rc = spawn_run_after_gen(s, o, c);

		if (rc) {
			close(c->log_fd);
			c->log_fd = -1;
			return rc;
		}
		*restarted = 1;
		return HLSIM_OK;
	}
	close(c->log_fd);
	c->log_fd = -1;
	snprintf(path, sizeof(path), "%s/results.h5", pdir);
	if (!ok && c->gen_phase) {
		snprintf(err, sizeof(err), "gen failed: %.200s",
			 last[0] ? last : "(no error message)");
	} else if (ok && access(path, R_OK)) {
		ok = 0;
		snprintf(err, sizeof(err), "exited 0 but wrote no results.h5");
	} else if (!ok && WIFSIGNALED(status)) {
		snprintf(err, sizeof(err), "killed by signal %d%s%.200s", WTERMSIG(status),
			 last[0] ? "; last error line: " : "", last);
	} else if (!ok) {
		snprintf(err, sizeof(err), "%s", last[0] ? last : "(no error message)");
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

/* 1 if @usage lists the option "--@name" (followed by a blank, ',', '=' or the end). */
static int usage_lists(const char *usage, const char *name)
{
	size_t n = strlen(name);
	const char *p;

	for (p = strstr(usage, "--"); p; p = strstr(p + 2, "--")) {
		char next = p[2 + n];

		if (!strncmp(p + 2, name, n) &&
		    !((next >= 'a' && next <= 'z') || (next >= '0' && next <= '9') ||
		      next == '-'))
			return 1;
	}
	return 0;
}

hlsim_err_t prf_sweep_gen_check(const struct prf_sweep_spec *s, const char *exe)
{
	char words[4096], *w[PRF_SWEEP_GEN_MAX_WORDS], *text = NULL, first[200];
	const char *argv[5];
	posix_spawn_file_actions_t fa;
	size_t len = 0, cap = 64 * 1024, i;
	int pipefd[2] = { -1, -1 }, err, status = 0;
	ssize_t got;
	pid_t pid;
	hlsim_err_t rc = HLSIM_OK;

	if (!s->gen)
		return HLSIM_OK;
	if (prf_sweep_gen_words(s->gen, words, sizeof(words), w, PRF_SWEEP_GEN_MAX_WORDS) <= 0)
		return hlsim_error(HLSIM_E_USAGE, "--gen: bad command '%s'", s->gen);
	text = malloc(cap + 1);
	if (!text)
		return hlsim_error(HLSIM_E_NOMEM, "sweep: no memory");
	if (pipe(pipefd) || fcntl(pipefd[0], F_SETFD, FD_CLOEXEC) ||
	    fcntl(pipefd[1], F_SETFD, FD_CLOEXEC)) {
		rc = hlsim_error(HLSIM_E_IO, "sweep: cannot create a pipe: %s", strerror(errno));
		goto out;
	}
	argv[0] = exe;
	argv[1] = "gen";
	argv[2] = w[0];
	argv[3] = "--help";
	argv[4] = NULL;
	err = posix_spawn_file_actions_init(&fa);
	if (!err)
		err = posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
	if (!err)
		err = posix_spawn_file_actions_adddup2(&fa, pipefd[1], 2);
	if (!err)
		err = posix_spawn(&pid, exe, &fa, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	pipefd[1] = -1;
	if (err) {
		rc = hlsim_error(HLSIM_E_EXTERNAL, "sweep: cannot start %s gen: %s", exe,
				 strerror(err));
		goto out;
	}
	for (;;) {
		char sink[4096];

		if (len < cap)
			got = read(pipefd[0], text + len, cap - len);
		else
			got = read(pipefd[0], sink, sizeof(sink)); /* keep the child unblocked */
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		if (len < cap)
			len += (size_t)got;
	}
	text[len] = '\0';
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		snprintf(first, sizeof(first), "%.*s", (int)strcspn(text, "\n"), text);
		rc = hlsim_error(HLSIM_E_USAGE, "--gen \"%s\": `hlsim gen %s --help` failed: %s",
				 s->gen, w[0], first[0] ? first : "(no message)");
		goto out;
	}
	for (i = 0; i < s->num_axes; i++) {
		const char *opt = s->axes[i].key + strlen(PRF_SWEEP_GEN_PREFIX);

		if (!is_gen_axis(&s->axes[i]) || usage_lists(text, opt))
			continue;
		rc = hlsim_error(HLSIM_E_USAGE, "--vary %s: the %s generator has no option --%s "
				 "(hlsim gen %s --help lists them)", s->axes[i].key, w[0], opt,
				 w[0]);
		goto out;
	}
out:
	if (pipefd[0] >= 0)
		close(pipefd[0]);
	if (pipefd[1] >= 0)
		close(pipefd[1]);
	free(text);
	return rc;
}

hlsim_err_t prf_sweep_run(const struct prf_sweep_spec *s, const struct prf_sweep_run_opts *o,
			  uint64_t *ran, uint64_t *failed)
{
	char path[PATH_BYTES], *spec = NULL, *old = NULL;
	uint64_t *pending = NULL, npending = 0, next = 0, nfailed = 0, nfinished = 0, p;
	struct child *kids = NULL;
	struct prf_child *pcs = NULL;
	size_t active = 0, i;
	unsigned int jobs = o->jobs ? o->jobs : 1;
	int restarted, status;
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

	pending = calloc(s->num_points, sizeof(*pending));
	kids = calloc(jobs, sizeof(*kids));
	pcs = calloc(jobs, sizeof(*pcs));
	if (!pending || !kids || !pcs) {
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
			pending[npending++] = p;
	}
	if (o->log) {
		fprintf(o->log, "hlsim sweep: %" PRIu64 " points, shard %" PRIu64 "/%" PRIu64
				": %" PRIu64 " to run, %u at a time\n",
			s->num_points, o->shard_index, o->shard_count, npending, jobs);
		fflush(o->log);
	}
	while (next < npending || active) {
		while (next < npending && active < jobs) {
			struct child *c = &kids[active];

			memset(c, 0, sizeof(*c));
			memset(&pcs[active], 0, sizeof(pcs[active]));
			pcs[active].err_fd = -1;
			c->pc = &pcs[active];
			c->point = pending[next++];
			rc = spawn_point(s, o, c);
			if (rc)
				goto out;
			active++;
		}
		i = active; /* not set when the wait fails before a child ended */
		rc = prf_child_wait_any(pcs, active, &i, &status, "sweep");
		if (rc) {
			if (i < active && kids[i].log_fd >= 0) {
				close(kids[i].log_fd);
				kids[i].log_fd = -1;
			}
			goto out;
		}
		rc = finish_point(s, o, &kids[i], status, &nfailed, nfinished + 1, npending,
				  &restarted);
		if (!rc && restarted)
			continue;
		nfinished++;
		if (ran)
			(*ran)++;
		/* the last slot moves into the finished one */
		active--;
		pcs[i] = pcs[active];
		kids[i] = kids[active];
		kids[i].pc = &pcs[i];
		if (rc)
			goto out;
	}
	/* failed points from earlier runs that were not rerun count too: none, all reran */
	if (failed)
		*failed = nfailed;
out:
	/* on an error, let the running children finish rather than orphan them */
	for (i = 0; i < active; i++) {
		if (kids[i].log_fd >= 0)
			close(kids[i].log_fd);
		prf_child_reap(&pcs[i]);
	}
	free(pcs);
	free(kids);
	free(pending);
	free(old);
	free(spec);
	return rc;
}
