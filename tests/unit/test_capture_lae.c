/*
 * tests/unit/test_capture_lae.c - the capture follows CP_DMA and LOAD_AND_EXE.
 *
 * The test runs itself (argv[1] "child") under `hlsim capture --backend vdev`. The child
 * builds, with the Gaudi encoder, a CS of two jobs: a kernel CB on DMA_0_0 holding a
 * LOAD_AND_EXE (load predicates) from a host-mapped buffer, and an internal CB on DMA_2_0
 * in host-mapped memory whose CP_DMA hands a lower-CP CB (also host-mapped) holding a
 * second LOAD_AND_EXE. The parent then requires in the trace: the internal CB and the
 * CP_DMA target as memory images with their bytes, both LOAD_AND_EXE sources as images of
 * HLSIM_CAPTURE_LAE_BYTES bytes (32 by default, 8 when set) with the buffer's bytes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <misc/habanalabs.h>

#include "hlsim/cmd.h"
#include "hlsim/trace.h"
#include "models/common/asic.h"
#include "tests/unit/check.h"
#include "tests/unit/spawn.h"


#define WORK "capture_lae.d"
#define LOWER_OFF 1024u

static uint8_t pattern(size_t i)
{
	return (uint8_t)(i * 3 + 1);
}

static size_t put(const struct mdl_asic_funcs *f, const struct hlsim_cmd *cmd, uint8_t *out,
		  size_t cap)
{
	size_t n = f->encode(cmd, out, cap);

	if (!n)
		fprintf(stderr, "encode: %s\n", hlsim_last_error_detail());
	return n;
}

static uint64_t map_host(int fd, void *p, uint64_t size)
{
	union hl_mem_args m;

	memset(&m, 0, sizeof(m));
	m.in.op = HL_MEM_OP_MAP;
	m.in.flags = HL_MEM_USERPTR;
	m.in.map_host.host_virt_addr = (uint64_t)(uintptr_t)p;
	m.in.map_host.mem_size = size;
	return ioctl(fd, HL_IOCTL_MEMORY, &m) ? 0 : m.out.device_virt_addr;
}

/* Under the capture library: submit the CS described above and wait for it. */
static int child(void)
{
	const struct mdl_asic_funcs *f;
	struct hlsim_cmd lae, call;
	struct hl_cs_chunk ch[2];
	union hl_wait_cs_args w;
	union hl_cs_args cs;
	union hl_cb_args cb;
	uint8_t *pred, *cbmem, *kcb;
	uint64_t dpred, dcb;
	size_t n0, nup, nlow, i;
	int fd;

	if (mdl_asic_by_name("gaudi", &f))
		return 1;
	fd = open("/dev/hl0", O_RDWR);
	pred = aligned_alloc(4096, 4096);
	cbmem = aligned_alloc(4096, 4096);
	if (fd < 0 || !pred || !cbmem)
		return 1;
	for (i = 0; i < 4096; i++)
		pred[i] = pattern(i);
	memset(cbmem, 0, 4096);
	dpred = map_host(fd, pred, 4096);
	dcb = map_host(fd, cbmem, 4096);
	memset(&cb, 0, sizeof(cb));
	cb.in.op = HL_CB_OP_CREATE;
	cb.in.cb_size = 4096;
	if (!dpred || !dcb || ioctl(fd, HL_IOCTL_CB, &cb))
		return 1;
	kcb = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)cb.out.cb_handle);
	if (kcb == MAP_FAILED)
		return 1;
	memset(&lae, 0, sizeof(lae));
	lae.kind = HLSIM_CMD_LOAD_AND_EXE;
	lae.rb = 1;
	lae.mb = 1;
	lae.u.load_exe.load = 1;
	lae.u.load_exe.src_addr = dpred;
	n0 = put(f, &lae, kcb, 4096);
	lae.u.load_exe.src_addr = dpred + 64;
	nlow = put(f, &lae, cbmem + LOWER_OFF, 4096 - LOWER_OFF);
	memset(&call, 0, sizeof(call));
	call.kind = HLSIM_CMD_CB_CALL;
	call.rb = 1;
	call.mb = 1;
	call.u.cb_call.addr = dcb + LOWER_OFF;
	call.u.cb_call.size_bytes = (uint32_t)nlow;
	nup = put(f, &call, cbmem, LOWER_OFF);
	if (!n0 || !nlow || !nup)
		return 1;
	memset(ch, 0, sizeof(ch));
	ch[0].cb_handle = cb.out.cb_handle;
	ch[0].queue_index = GAUDI_QUEUE_ID_DMA_0_0;
	ch[0].cb_size = (uint32_t)n0;
	ch[1].cb_handle = dcb;
	ch[1].queue_index = GAUDI_QUEUE_ID_DMA_2_0;
	ch[1].cb_size = (uint32_t)nup;
	memset(&cs, 0, sizeof(cs));
	cs.in.chunks_execute = (uint64_t)(uintptr_t)ch;
	cs.in.num_chunks_execute = 2;
	if (ioctl(fd, HL_IOCTL_CS, &cs)) {
		fprintf(stderr, "CS: %s\n", strerror(errno));
		return 1;
	}
	memset(&w, 0, sizeof(w));
	w.in.seq = cs.out.seq;
	w.in.timeout_us = 1000000;
	if (ioctl(fd, HL_IOCTL_WAIT_CS, &w) || w.out.status != HL_WAIT_CS_STATUS_COMPLETED) {
		fprintf(stderr, "WAIT_CS: %s\n", strerror(errno));
		return 1;
	}
	printf("child: dpred 0x%" PRIx64 " dcb 0x%" PRIx64 " sizes %zu %zu %zu\n", dpred, dcb,
	       n0, nup, nlow);
	munmap(kcb, 4096);
	close(fd);
	free(pred);
	free(cbmem);
	return 0;
}

/* The image covering [@addr, +@size) at row 0: @size bytes equal to @want. */
static int image_is(hlsim_trace_t *t, uint64_t addr, uint64_t size, const uint8_t *want)
{
	const struct hlsim_blob *b;
	struct hlsim_trace_mem m;
	uint64_t off;
	int ok;

	if (hlsim_trace_mem_find(t, 0, addr, size, 0, &m, &off)) {
		fprintf(stderr, "no image at 0x%" PRIx64 " + %" PRIu64 ": %s\n", addr, size,
			hlsim_last_error_detail());
		return 0;
	}
	if (off || m.size != size || hlsim_trace_blob_get(t, 0, m.blob_id, &b))
		return 0;
	ok = b->size == size && !memcmp(b->bytes, want, size);
	hlsim_trace_blob_put(t, b);
	return ok;
}

static void parent(const char *self, const char *lae_env, uint32_t lae_bytes)
{
	char trace[128], log[128], text[4096];
	char *argv[] = { HLSIM_EXE, "capture", "--backend", "vdev", "-o", trace, "--",
			 (char *)self, "child", NULL };
	uint8_t want[4096], cbbytes[64], low[64];
	const struct mdl_asic_funcs *fn = NULL;
	struct hlsim_cmd lae;
	struct hlsim_trace_counts c;
	struct hlsim_trace_job j;
	const struct hlsim_blob *b;
	unsigned long long dpred = 0, dcb = 0;
	size_t n0 = 0, nup = 0, nlow = 0, i;
	hlsim_trace_t *t = NULL;
	const char *p;
	int rc;

	snprintf(trace, sizeof(trace), WORK "/lae_%u.h5", lae_bytes);
	snprintf(log, sizeof(log), WORK "/lae_%u.log", lae_bytes);
	{
		/* the LOAD_AND_EXE bound: @lae_env, or unset for the default */
		char *set[] = { (char *)(lae_env ? lae_env : "HLSIM_CAPTURE_LAE_BYTES") };

		rc = test_spawn(argv, set, 1, log);
	}
	test_slurp(log, text, sizeof(text));
	if (rc)
		fprintf(stderr, "%s", text);
	CHECK_EQ_U64(rc, 0);
	p = strstr(text, "child: ");
	CHECK(p && sscanf(p, "child: dpred 0x%llx dcb 0x%llx sizes %zu %zu %zu", &dpred, &dcb,
			  &n0, &nup, &nlow) == 5);
	CHECK_STR_CONTAINS(text, "4 memory images");
	CHECK(!hlsim_trace_open(trace, &t));
	if (!t || !dpred)
		goto out;
	CHECK(!hlsim_trace_counts(t, 0, &c));
	CHECK_EQ_U64(c.cs, 1);
	CHECK_EQ_U64(c.jobs, 2);
	CHECK_EQ_U64(c.mem, 4);
	for (i = 0; i < sizeof(want); i++)
		want[i] = pattern(i);
	CHECK(image_is(t, dpred, lae_bytes, want));
	CHECK(image_is(t, dpred + 64, lae_bytes, want + 64));
	/* the internal CB and the CP_DMA target: the bytes of job 1's blob and of the call */
	CHECK(!hlsim_trace_read_job(t, 0, 1, &j));
	CHECK(j.blob_id != HLSIM_TRACE_NO_BLOB && !hlsim_trace_blob_get(t, 0, j.blob_id, &b));
	if (j.blob_id != HLSIM_TRACE_NO_BLOB && b) {
		CHECK(b->size == nup && nup <= sizeof(cbbytes));
		memcpy(cbbytes, b->bytes, nup < sizeof(cbbytes) ? nup : sizeof(cbbytes));
		hlsim_trace_blob_put(t, b);
		CHECK(image_is(t, dcb, nup, cbbytes));
	}
	/* the lower CB, encoded again here as the child did */
	memset(&lae, 0, sizeof(lae));
	lae.kind = HLSIM_CMD_LOAD_AND_EXE;
	lae.rb = 1;
	lae.mb = 1;
	lae.u.load_exe.load = 1;
	lae.u.load_exe.src_addr = dpred + 64;
	CHECK(!mdl_asic_by_name("gaudi", &fn) && put(fn, &lae, low, sizeof(low)) == nlow);
	CHECK(image_is(t, dcb + LOWER_OFF, nlow, low));
	fprintf(stderr, "LOAD_AND_EXE %u bytes: 4 images checked (internal CB, CP_DMA target, "
			"two LOAD_AND_EXE sources, one found through the CP_DMA)\n", lae_bytes);
out:
	hlsim_trace_close(t);
}

int main(int argc, char **argv)
{
	char self[PATH_MAX];
	ssize_t n;

	if (argc == 2 && !strcmp(argv[1], "child"))
		return child();
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	CHECK(n > 0);
	if (n <= 0)
		return check_summary();
	self[n] = '\0';
	mkdir(WORK, 0755);
	parent(self, NULL, 32);
	parent(self, "HLSIM_CAPTURE_LAE_BYTES=8", 8);
	return check_summary();
}
