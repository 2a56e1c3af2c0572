/*
 * tests/unit/tracebuild.h - build small Gaudi traces packet by packet for tests, and
 * run the hlsim command on them (SimGrid runs once per process, so every simulation
 * is a child process).
 */
#ifndef HLSIM_TEST_TRACEBUILD_H
#define HLSIM_TEST_TRACEBUILD_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "hlsim/results.h"
#include "hlsim/trace.h"
#include "models/common/asic.h"

struct tb_cb {
	uint8_t b[4096];
	size_t len;
};

static inline const struct mdl_asic_funcs *tb_f(void)
{
	const struct mdl_asic_funcs *f = NULL;

	if (mdl_asic_by_name("gaudi", &f)) {
		fprintf(stderr, "no gaudi model: %s\n", hlsim_last_error_detail());
		exit(1);
	}
	return f;
}

/* The index of Gaudi's E_N sync-manager block (the one the driver gives users). */
static inline uint32_t tb_en_block(void)
{
	const struct mdl_asic_props *p = tb_f()->props;
	uint32_t b;

	for (b = 0; b < p->sm_blocks && b < 8; b++)
		if (p->sm_block_names[b] && !strcmp(p->sm_block_names[b], "E_N"))
			return b;
	return 0;
}

static inline void tb_emit(struct tb_cb *cb, struct hlsim_cmd c)
{
	size_t n;

	if (c.kind != HLSIM_CMD_WAIT && c.kind != HLSIM_CMD_STOP)
		c.rb = 1;
	n = tb_f()->encode(&c, cb->b + cb->len, sizeof(cb->b) - cb->len);
	if (!n) {
		fprintf(stderr, "encode failed: %s\n", hlsim_last_error_detail());
		exit(1);
	}
	cb->len += n;
}

static inline void tb_lin_dma(struct tb_cb *cb, uint64_t src, uint64_t dst, uint64_t size, int wr_comp)
{
	struct hlsim_cmd c = { .kind = HLSIM_CMD_DMA };

	c.u.dma.src_addr = src;
	c.u.dma.dst_addr = dst;
	c.u.dma.size_bytes = size;
	c.u.dma.flags = wr_comp ? HLSIM_DMA_WR_COMP : 0;
	tb_emit(cb, c);
}

static inline void tb_msg_long(struct tb_cb *cb, uint64_t addr, uint32_t value, int eb)
{
	struct hlsim_cmd c = { .kind = HLSIM_CMD_MSG, .eb = (uint8_t)eb };

	c.u.msg.addr = addr;
	c.u.msg.value = value;
	tb_emit(cb, c);
}

static inline void tb_fence(struct tb_cb *cb, uint8_t id, uint8_t target, uint8_t dec)
{
	struct hlsim_cmd c = { .kind = HLSIM_CMD_FENCE };

	c.u.fence.id = id;
	c.u.fence.target = target;
	c.u.fence.dec = dec;
	tb_emit(cb, c);
}

/* A one-device Gaudi trace being written. */
struct tb_trace {
	hlsim_trace_writer_t *w;
	uint64_t seq;
};

static inline void tb_open(struct tb_trace *t, const char *path)
{
	struct hlsim_trace_device d = { 0 };
	const struct mdl_asic_props *p = tb_f()->props;
	uint32_t dev;

	strcpy(d.asic, "gaudi");
	strcpy(d.card_name, "HL205");
	d.device_id = p->pci_device_id;
	d.sram_base_address = p->sram_base;
	d.dram_base_address = p->dram_base;
	if (hlsim_trace_create(path, "test", &t->w) || hlsim_trace_add_device(t->w, &d, &dev)) {
		fprintf(stderr, "trace create: %s\n", hlsim_last_error_detail());
		exit(1);
	}
	t->seq = 1;
}

/* Add a CS whose jobs are @n (queue, cb) pairs. */
static inline void tb_cs(struct tb_trace *t, uint32_t n, const uint32_t *queues, struct tb_cb *const *cbs)
{
	struct hlsim_trace_job jobs[16];
	struct hlsim_trace_cs cs = { .seq = t->seq, .submit_ns = (int64_t)t->seq * 1000 };
	uint32_t i;

	for (i = 0; i < n; i++) {
		memset(&jobs[i], 0, sizeof(jobs[i]));
		if (hlsim_trace_add_blob(t->w, 0, cbs[i]->b, cbs[i]->len, &jobs[i].blob_id)) {
			fprintf(stderr, "blob: %s\n", hlsim_last_error_detail());
			exit(1);
		}
		jobs[i].queue_id = queues[i];
		jobs[i].cb_size = (uint32_t)cbs[i]->len;
		jobs[i].cb_handle = 0x1000000000000000ull | (uint64_t)(t->seq * 16 + i) << 12;
		jobs[i].phase = HLSIM_PHASE_EXECUTE;
	}
	if (hlsim_trace_add_cs(t->w, 0, &cs, jobs, n)) {
		fprintf(stderr, "cs: %s\n", hlsim_last_error_detail());
		exit(1);
	}
	t->seq++;
}

static inline void tb_close(struct tb_trace *t)
{
	if (hlsim_trace_writer_close(t->w)) {
		fprintf(stderr, "close: %s\n", hlsim_last_error_detail());
		exit(1);
	}
}

/* Run `hlsim run TRACE -o DIR --no-plot ARGS...`; returns the exit status, stderr in @err. */
static inline int tb_run(const char *trace, const char *dir, const char *args, char *err, size_t cap)
{
	char cmd[4096], errfile[1024];
	FILE *f;
	int st;
	size_t n;

	snprintf(errfile, sizeof(errfile), "%s.stderr", dir);
	snprintf(cmd, sizeof(cmd), "%s run %s -o %s --no-plot --no-progress %s >/dev/null 2>%s",
		 HLSIM_EXE, trace, dir, args ? args : "", errfile);
	st = system(cmd);
	if (err && cap) {
		err[0] = '\0';
		f = fopen(errfile, "r");
		if (f) {
			n = fread(err, 1, cap - 1, f);
			err[n] = '\0';
			fclose(f);
		}
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/*
 * The "Held by memory" section of `hlsim report DIR/results.h5` into @out (cap bytes): from
 * its title to the next blank line; "" if the report fails or has none.
 */
static inline void tb_held_section(const char *dir, char *out, size_t cap)
{
	char cmd[2048], *buf, *a, *b;
	FILE *f;
	size_t n;

	out[0] = '\0';
	buf = malloc(1 << 20);
	if (!buf)
		return;
	snprintf(cmd, sizeof(cmd), "%s report %s/results.h5 2>/dev/null", HLSIM_EXE, dir);
	f = popen(cmd, "r");
	n = f ? fread(buf, 1, (1 << 20) - 1, f) : 0;
	if (f)
		pclose(f);
	buf[n] = '\0';
	a = strstr(buf, "Held by memory");
	if (a) {
		b = strstr(a, "\n\n");
		n = b ? (size_t)(b - a) : strlen(a);
		if (n >= cap)
			n = cap - 1;
		memcpy(out, a, n);
		out[n] = '\0';
	}
	free(buf);
}

/* The records of @kind on the unit named @unit, from DIR/results.h5. */
static inline size_t tb_records(const char *dir, const char *unit, uint16_t kind, struct hlsim_rec *out,
			 size_t max)
{
	char path[1024];
	hlsim_results_t *r;
	struct hlsim_rec buf[256];
	uint64_t first = 0;
	size_t n, i, k = 0, u;
	uint32_t uid = UINT32_MAX;

	snprintf(path, sizeof(path), "%s/results.h5", dir);
	if (hlsim_results_open(path, &r)) {
		fprintf(stderr, "results: %s\n", hlsim_last_error_detail());
		return 0;
	}
	for (u = 0; u < hlsim_results_num_units(r); u++)
		if (!strcmp(hlsim_results_unit(r, u)->name, unit))
			uid = hlsim_results_unit(r, u)->id;
	while (!hlsim_results_read(r, first, buf, 256, &n) && n) {
		for (i = 0; i < n; i++)
			if (buf[i].unit == uid && buf[i].kind == kind && k < max)
				out[k++] = buf[i];
		first += n;
	}
	hlsim_results_close(r);
	return k;
}

#endif
