/*
 * sim/cosim.c - `hlsim cosim`: the simulator fed by the virtual device while its program
 * runs, so that WAIT_CS answers with the simulator's completion times.
 *
 * The virtual device (traces/interposer/vcosim.c) streams what it records into the trace
 * (traces/interposer/cosim.h): CSs with their jobs, new blobs, memory images, and waits.
 * This file keeps them for a live run of the simulator (struct sim_live_ops): each
 * device's records queue in arrival order for its host actor; blobs and memory images
 * stay for the whole run (CPs read them as they run). When a host has done a wait, the
 * answer goes back: for each asked CS its completion on the host's clock, that is the
 * submission time the trace records plus the simulated time from submission to
 * completion. So the answers are the times `hlsim run` of the recorded trace gives (the
 * same records in the same order: a single device's trace orders its CSs and waits by
 * time, which is the order the program made them).
 *
 * The run ends when the program closes the stream (it has exited): nothing is left to
 * answer, so the simulation stops there; the results of the whole program come from the
 * replay `hlsim vdev` makes of the trace afterwards.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "sim/sim.h"
#include "traces/interposer/cosim.h"

#define CO_DONE_SLOTS 65536u /* completed CSs remembered per device (seq % slots) */
/*
 * How long a host with nothing to do polls for the program's next message before it
 * sleeps in read(): a wake-up from read costs several microseconds, and the program's
 * next call (its wait after a submission) usually comes sooner. Not a device fact.
 */
#define CO_POLL_NS 50000

/* One record waiting for its host. */
struct co_item {
	struct sim_live_item it;
	struct hlsim_trace_job *jobs;
};

/*
 * The last CS the host has taken with a given seq (the parts of a staged submission share
 * their first part's seq in the trace; the last part is the one whose completion the
 * program is told): its trace submission time and, once done, its simulated times.
 */
struct co_done {
	uint64_t seq; /* 0: free */
	uint64_t cs_index;
	int64_t submit_ns;
	uint64_t submit_ps, done_ps;
	int done;
};

struct co_dev {
	struct co_item *q; /* ring of @cap */
	size_t head, len, cap;
	struct hlsim_trace_job *given; /* jobs of the last CS handed out (freed at the next) */
	uint64_t ncs; /* CS rows so far */
	struct hlsim_blob *blobs;
	size_t nblobs, blobs_cap;
	struct hlsim_trace_mem *mems;
	size_t nmems, mems_cap;
	struct co_done *done; /* CO_DONE_SLOTS */
};

#define CO_RBUF_BYTES 65536u /* input read ahead: a read() takes what the program has sent */

struct co_ctx {
	int fd_in, fd_out;
	uint8_t *rbuf; /* CO_RBUF_BYTES: bytes read, [rpos, rlen) not taken yet */
	size_t rpos, rlen;
	uint32_t ndev;
	struct co_dev *devs;
	int hello;
	int due; /* a wait has been read and not answered */
	struct trc_cosim_wait wait;
	uint64_t waits, answers_bytes;
};

static int write_full(int fd, const void *buf, size_t n)
{
	const uint8_t *p = buf;

	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int grow(void **v, size_t *cap, size_t need, size_t elem)
{
	size_t n = *cap ? *cap : 16;
	void *p;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	p = realloc(*v, n * elem);
	if (!p)
		return -1;
	*v = p;
	*cap = n;
	return 0;
}

static int queue_push(struct co_dev *d, const struct co_item *x)
{
	if (d->len == d->cap) {
		size_t n = d->cap ? d->cap * 2 : 64, i;
		struct co_item *q = malloc(n * sizeof(*q));

		if (!q)
			return -1;
		for (i = 0; i < d->len; i++)
			q[i] = d->q[(d->head + i) % d->cap];
		free(d->q);
		d->q = q;
		d->head = 0;
		d->cap = n;
	}
	d->q[(d->head + d->len) % d->cap] = *x;
	d->len++;
	return 0;
}

/*
 * Take exactly @n bytes of input: 0; 1 at a clean end before any byte (with @eof_ok); -1
 * on an error or an end inside them (hlsim error set). Input is read ahead into the
 * buffer, so a message usually costs one read() or none.
 */
static int read_full(struct co_ctx *c, void *buf, size_t n, int eof_ok)
{
	uint8_t *p = buf;
	size_t got = 0;

	while (got < n) {
		ssize_t r;

		if (c->rpos < c->rlen) {
			size_t k = c->rlen - c->rpos < n - got ? c->rlen - c->rpos : n - got;

			memcpy(p + got, c->rbuf + c->rpos, k);
			c->rpos += k;
			got += k;
			continue;
		}
		if (n - got >= CO_RBUF_BYTES) /* a large blob: straight into place */
			r = read(c->fd_in, p + got, n - got);
		else
			r = read(c->fd_in, c->rbuf, CO_RBUF_BYTES);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			hlsim_error(HLSIM_E_IO, "co-simulation input: %s", strerror(errno));
			return -1;
		}
		if (r == 0) {
			if (!got && eof_ok)
				return 1;
			hlsim_error(HLSIM_E_IO, "co-simulation input ends inside a message (%zu of "
						"%zu bytes)",
				    got, n);
			return -1;
		}
		if (n - got >= CO_RBUF_BYTES) {
			got += (size_t)r;
		} else {
			c->rpos = 0;
			c->rlen = (size_t)r;
		}
	}
	return 0;
}

static int co_next(void *ctx, uint32_t dev, struct sim_live_item *it)
{
	struct co_ctx *c = ctx;
	struct co_dev *d = &c->devs[dev];
	struct co_item x;

	if (!d->len)
		return 0;
	x = d->q[d->head];
	d->head = (d->head + 1) % d->cap;
	d->len--;
	free(d->given);
	d->given = x.jobs;
	*it = x.it;
	it->jobs = x.jobs;
	if (!it->is_wait) {
		struct co_done *e = &d->done[it->cs.seq % CO_DONE_SLOTS];

		*e = (struct co_done){ .seq = it->cs.seq, .cs_index = it->cs_index,
				       .submit_ns = it->cs.submit_ns };
	}
	return 1;
}

static int co_answer_due(void *ctx)
{
	return ((struct co_ctx *)ctx)->due;
}

static void co_cs_done(void *ctx, uint32_t dev, uint64_t cs_index, uint64_t seq,
		       uint64_t submit_ps, uint64_t done_ps)
{
	struct co_ctx *c = ctx;
	struct co_done *e = &c->devs[dev].done[seq % CO_DONE_SLOTS];

	if (e->seq != seq || e->cs_index != cs_index)
		return;
	e->submit_ps = submit_ps;
	e->done_ps = done_ps;
	e->done = 1;
}

static void co_waited(void *ctx, uint32_t dev, uint64_t now_ps)
{
	struct co_ctx *c = ctx;
	struct trc_cosim_answer a = { .magic = TRC_COSIM_MAGIC, .n = c->wait.nseqs,
				      .now_ps = now_ps };
	uint32_t i;

	for (i = 0; i < c->wait.nseqs; i++) {
		uint64_t s = c->wait.seqs[i];
		const struct co_done *e = &c->devs[dev].done[s % CO_DONE_SLOTS];

		a.done_ns[i] = -1;
		if (s && e->seq == s && e->done)
			a.done_ns[i] = e->submit_ns + (int64_t)((e->done_ps - e->submit_ps) / 1000);
	}
	c->due = 0;
	c->waits++;
	/* the program may have gone: then the next read ends the run */
	if (write_full(c->fd_out, &a, sizeof(a)))
		fprintf(stderr, "hlsim cosim: answering a WAIT_CS: %s\n", strerror(errno));
}

static hlsim_err_t co_blob_get(void *ctx, uint32_t dev, uint64_t id, const struct hlsim_blob **out)
{
	struct co_ctx *c = ctx;
	struct co_dev *d = &c->devs[dev];

	if (id >= d->nblobs)
		return hlsim_error(HLSIM_E_TRACE_FORMAT, "co-simulation: device %u: blob %" PRIu64
				   " was never sent (%zu blobs)",
				   dev, id, d->nblobs);
	*out = &d->blobs[id];
	return HLSIM_OK;
}

static hlsim_err_t co_mem_find(void *ctx, uint32_t dev, uint64_t addr, uint64_t size,
			       uint64_t cs_index, struct hlsim_trace_mem *image, uint64_t *offset)
{
	struct co_ctx *c = ctx;
	struct co_dev *d = &c->devs[dev];
	size_t i;

	/* the latest image valid at the CS that covers the range (later rows win) */
	for (i = d->nmems; i-- > 0;) {
		const struct hlsim_trace_mem *m = &d->mems[i];

		if (m->from_cs <= cs_index && addr >= m->addr && addr - m->addr <= m->size &&
		    size <= m->size - (addr - m->addr)) {
			*image = *m;
			*offset = addr - m->addr;
			return HLSIM_OK;
		}
	}
	return hlsim_error(HLSIM_E_INVAL, "no memory image holds 0x%" PRIx64 " + %" PRIu64
			   " bytes at CS row %" PRIu64 " of device %u",
			   addr, size, cs_index, dev);
}

/* Check and keep one message's payload (@h read already); hlsim error set on failure. */
static hlsim_err_t take(struct co_ctx *c, const struct trc_cosim_head *h)
{
	struct co_dev *d = &c->devs[h->dev];
	struct co_item x = { 0 };
	uint8_t *buf = NULL;
	hlsim_err_t rc = HLSIM_OK;

	switch (h->type) {
	case TRC_COSIM_BLOB: {
		uint64_t id;

		if (h->bytes < 8 || h->bytes - 8 > TRC_COSIM_MAX_BLOB_BYTES)
			return hlsim_error(HLSIM_E_TRACE_FORMAT, "co-simulation: a blob message "
					   "of %" PRIu64 " bytes (8 to 8 + 1 GiB expected)",
					   h->bytes);
		if (read_full(c, &id, 8, 0))
			return HLSIM_E_IO;
		if (id != d->nblobs)
			return hlsim_error(HLSIM_E_TRACE_FORMAT, "co-simulation: device %u: blob %"
					   PRIu64 " sent where blob %zu was expected",
					   h->dev, id, d->nblobs);
		buf = malloc(h->bytes - 8 ? h->bytes - 8 : 1);
		if (!buf || grow((void **)&d->blobs, &d->blobs_cap, d->nblobs + 1,
				 sizeof(*d->blobs))) {
			free(buf);
			return hlsim_error(HLSIM_E_NOMEM, "co-simulation: blob of %" PRIu64
					   " bytes", h->bytes - 8);
		}
		if (read_full(c, buf, h->bytes - 8, 0)) {
			free(buf);
			return HLSIM_E_IO;
		}
		d->blobs[d->nblobs] = (struct hlsim_blob){ .bytes = buf, .size = h->bytes - 8,
							   .id = id };
		d->nblobs++;
		return HLSIM_OK;
	}
	case TRC_COSIM_MEM: {
		struct hlsim_trace_mem m;

		if (h->bytes != sizeof(m))
			return hlsim_error(HLSIM_E_TRACE_FORMAT, "co-simulation: a memory image of "
					   "%" PRIu64 " bytes (%zu expected)", h->bytes, sizeof(m));
		if (read_full(c, &m, sizeof(m), 0))
			return HLSIM_E_IO;
		if (m.blob_id >= d->nblobs || m.size != d->blobs[m.blob_id].size)
			return hlsim_error(HLSIM_E_TRACE_FORMAT, "co-simulation: device %u: memory "
					   "image at 0x%" PRIx64 " names blob %" PRIu64
					   " (of %zu) with %" PRIu64 " bytes",
					   h->dev, m.addr, m.blob_id, d->nblobs, m.size);
		if (grow((void **)&d->mems, &d->mems_cap, d->nmems + 1, sizeof(*d->mems)))
			return hlsim_error(HLSIM_E_NOMEM, "co-simulation: memory images");
		d->mems[d->nmems++] = m;
		return HLSIM_OK;
	}
	case TRC_COSIM_CS: {
		uint64_t nj, j;

		if (h->bytes < sizeof(x.it.cs))
			return hlsim_error(HLSIM_E_TRACE_FORMAT, "co-simulation: a CS message of %"
					   PRIu64 " bytes", h->bytes);
		if (read_full(c, &x.it.cs, sizeof(x.it.cs), 0))
			return HLSIM_E_IO;
		nj = x.it.cs.num_jobs;
		if (nj > TRC_COSIM_MAX_JOBS ||
		    h->bytes != sizeof(x.it.cs) + nj * sizeof(struct hlsim_trace_job))
			return hlsim_error(HLSIM_E_TRACE_FORMAT, "co-simulation: device %u: CS seq %"
					   PRIu64 " with %" PRIu64 " jobs in a message of %" PRIu64
					   " bytes",
					   h->dev, x.it.cs.seq, nj, h->bytes);
		x.jobs = malloc(nj ? nj * sizeof(*x.jobs) : 1);
		if (!x.jobs)
			return hlsim_error(HLSIM_E_NOMEM, "co-simulation: %" PRIu64 " jobs", nj);
		if (read_full(c, x.jobs, nj * sizeof(*x.jobs), 0)) {
			free(x.jobs);
			return HLSIM_E_IO;
		}
		for (j = 0; j < nj; j++)
			if (x.jobs[j].blob_id != HLSIM_TRACE_NO_BLOB &&
			    x.jobs[j].blob_id >= d->nblobs)
				rc = hlsim_error(HLSIM_E_TRACE_FORMAT, "co-simulation: device %u: CS "
						 "seq %" PRIu64 ", job %" PRIu64 " names blob %"
						 PRIu64 " (of %zu)",
						 h->dev, x.it.cs.seq, j, x.jobs[j].blob_id,
						 d->nblobs);
		x.it.cs_index = d->ncs;
		if (!rc && queue_push(d, &x))
			rc = hlsim_error(HLSIM_E_NOMEM, "co-simulation: CS queue");
		if (rc) {
			free(x.jobs);
			return rc;
		}
		d->ncs++;
		return HLSIM_OK;
	}
	case TRC_COSIM_WAIT:
		if (h->bytes != sizeof(c->wait))
			return hlsim_error(HLSIM_E_TRACE_FORMAT, "co-simulation: a wait of %" PRIu64
					   " bytes (%zu expected)", h->bytes, sizeof(c->wait));
		if (c->due)
			return hlsim_error(HLSIM_E_TRACE_FORMAT, "co-simulation: a second wait "
					   "before the first was answered");
		if (read_full(c, &c->wait, sizeof(c->wait), 0))
			return HLSIM_E_IO;
		if (c->wait.nseqs > TRC_COSIM_MAX_SEQS)
			return hlsim_error(HLSIM_E_TRACE_FORMAT, "co-simulation: a wait for %u CSs "
					   "(at most %u)", c->wait.nseqs, TRC_COSIM_MAX_SEQS);
		x.it.is_wait = 1;
		x.it.wait_seq = c->wait.seq;
		if (queue_push(d, &x))
			return hlsim_error(HLSIM_E_NOMEM, "co-simulation: wait queue");
		c->due = 1;
		return HLSIM_OK;
	default:
		return hlsim_error(HLSIM_E_TRACE_FORMAT, "co-simulation: message type %u",
				   h->type);
	}
}

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Poll for up to CO_POLL_NS for input (the caller then reads, blocking if none came). */
static void poll_briefly(struct co_ctx *c)
{
	int64_t end = 0;
	int fd = c->fd_in;
	char b;

	if (c->rpos < c->rlen)
		return; /* read ahead already */
	for (;;) {
		ssize_t r = recv(fd, &b, 1, MSG_PEEK | MSG_DONTWAIT);

		if (r >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
			return; /* input, its end, or not a socket: read() tells */
		if (!end)
			end = mono_ns() + CO_POLL_NS;
		else if (mono_ns() >= end)
			return;
	}
}

static int co_pull(void *ctx)
{
	struct co_ctx *c = ctx;
	struct trc_cosim_head h;
	int r;

	poll_briefly(c);
	r = read_full(c, &h, sizeof(h), 1);

	if (r == 1)
		return -1;
	if (r)
		return -2;
	if (h.dev >= c->ndev || h.type == TRC_COSIM_HELLO) {
		hlsim_error(HLSIM_E_TRACE_FORMAT, "co-simulation: message type %u for device %u "
						  "(%u devices)",
			    h.type, h.dev, c->ndev);
		return -2;
	}
	return take(c, &h) ? -2 : (int)h.dev;
}

static const struct sim_live_ops co_ops = {
	.next = co_next,
	.pull = co_pull,
	.answer_due = co_answer_due,
	.waited = co_waited,
	.cs_done = co_cs_done,
	.blob_get = co_blob_get,
	.mem_find = co_mem_find,
};

/* The hello: the same hlsim, the same record layouts, the device count. */
static hlsim_err_t check_hello(struct co_ctx *c)
{
	struct trc_cosim_hello hi;
	struct trc_cosim_head h;

	if (read_full(c, &h, sizeof(h), 0))
		return HLSIM_E_IO;
	if (h.type != TRC_COSIM_HELLO || h.bytes != sizeof(hi))
		return hlsim_error(HLSIM_E_TRACE_FORMAT, "co-simulation: the first message is "
				   "type %u of %" PRIu64 " bytes, not a hello",
				   h.type, h.bytes);
	if (read_full(c, &hi, sizeof(hi), 0))
		return HLSIM_E_IO;
	hi.version[sizeof(hi.version) - 1] = '\0';
	if (hi.magic != TRC_COSIM_MAGIC || strcmp(hi.version, HLSIM_VERSION_STRING) ||
	    hi.cs_bytes != sizeof(struct hlsim_trace_cs) ||
	    hi.job_bytes != sizeof(struct hlsim_trace_job) ||
	    hi.mem_bytes != sizeof(struct hlsim_trace_mem))
		return hlsim_error(HLSIM_E_TRACE_FORMAT, "co-simulation: the virtual device is "
				   "hlsim %s with other record layouts than this hlsim %s",
				   hi.version, HLSIM_VERSION_STRING);
	if (hi.ndev != c->ndev)
		return hlsim_error(HLSIM_E_TRACE_FORMAT, "co-simulation: the virtual device has "
				   "%u devices, this run %u", hi.ndev, c->ndev);
	return HLSIM_OK;
}

hlsim_err_t sim_cosim_run(const hlsim_config_t *cfg, uint32_t ndev, int fd_in, int fd_out,
			  const char *platform_path)
{
	struct co_ctx c = { .fd_in = fd_in, .fd_out = fd_out, .ndev = ndev };
	struct sim_live live = { .ops = &co_ops, .ctx = &c, .ndev = ndev };
	struct sim_run_args a = { .trace_path = "(co-simulation of the virtual device)",
				  .cfg = cfg,
				  .results_path = NULL, /* the replay of the trace writes them */
				  .platform_path = platform_path,
				  .live = &live };
	struct sim_run_stats st;
	hlsim_err_t rc;
	uint32_t d;

	if (!ndev || ndev > 64)
		return hlsim_error(HLSIM_E_USAGE, "co-simulation of %u devices (1 to 64)", ndev);
	c.devs = calloc(ndev, sizeof(*c.devs));
	c.rbuf = malloc(CO_RBUF_BYTES);
	if (!c.devs || !c.rbuf) {
		free(c.devs);
		free(c.rbuf);
		return hlsim_error(HLSIM_E_NOMEM, "co-simulation state");
	}
	rc = HLSIM_OK;
	for (d = 0; d < ndev && !rc; d++) {
		c.devs[d].done = calloc(CO_DONE_SLOTS, sizeof(*c.devs[d].done));
		if (!c.devs[d].done)
			rc = hlsim_error(HLSIM_E_NOMEM, "co-simulation state");
	}
	if (!rc)
		rc = check_hello(&c);
	if (!rc)
		rc = sim_run(&a, &st);
	if (!rc)
		fprintf(stderr, "hlsim cosim: answered %" PRIu64 " WAIT_CS from the simulation "
				"(%" PRIu64 " CSs submitted, %.3f us simulated)\n",
			c.waits, st.cs, (double)st.simulated_ps * 1e-6);
	for (d = 0; d < ndev; d++) {
		struct co_dev *x = &c.devs[d];
		size_t i;

		for (i = 0; i < x->len; i++)
			free(x->q[(x->head + i) % x->cap].jobs);
		free(x->q);
		free(x->given);
		for (i = 0; i < x->nblobs; i++)
			free((void *)x->blobs[i].bytes);
		free(x->blobs);
		free(x->mems);
		free(x->done);
	}
	free(c.devs);
	free(c.rbuf);
	return rc;
}
