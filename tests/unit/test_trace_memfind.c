/*
 * tests/unit/test_trace_memfind.c - hlsim_trace_mem_find: overlapping images, the
 * from_cs rule (the latest image valid at the CS wins; later rows win ties), misses
 * (E_INVAL naming the address), wrap-around, and a randomized comparison with a
 * brute-force search over a thousand overlapping images.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hlsim/trace.h"
#include "tests/unit/check.h"

static hlsim_trace_writer_t *w;
static uint32_t dev;

static uint64_t add_image(uint64_t addr, uint64_t size, uint64_t from_cs, uint8_t fill)
{
	struct hlsim_trace_mem m = { .addr = addr, .size = size, .from_cs = from_cs };
	uint8_t *buf = malloc(size ? size : 1);
	uint64_t id = UINT64_MAX;

	memset(buf, fill, size);
	memcpy(buf, &addr, size < 8 ? size : 8); /* distinct contents per image */
	if (size > 8)
		memcpy(buf + 8, &from_cs, size - 8 < 8 ? size - 8 : 8);
	CHECK(hlsim_trace_add_blob(w, dev, buf, size, &id) == HLSIM_OK);
	m.blob_id = id;
	CHECK(hlsim_trace_add_mem(w, dev, &m) == HLSIM_OK);
	free(buf);
	return id;
}

struct img {
	uint64_t addr, size, from_cs, row;
};

/* The rule, by brute force: latest from_cs <= cs covering [addr, end); later row wins. */
static int brute(const struct img *im, size_t n, uint64_t addr, uint64_t size, uint64_t cs)
{
	uint64_t end = addr + (size ? size : 1);
	int best = -1;
	size_t i;

	for (i = 0; i < n; i++) {
		if (im[i].addr > addr || im[i].addr + im[i].size < end || im[i].from_cs > cs)
			continue;
		if (best < 0 || im[i].from_cs >= im[best].from_cs)
			best = (int)i;
	}
	return best;
}

int main(void)
{
	const char *path = "test_trace_memfind.h5";
	struct hlsim_trace_device info;
	struct hlsim_trace_mem got;
	enum { NR = 1000 };
	struct img rnd[NR];
	uint64_t off, ida, idb, idc, idd, ide, idt1, idt2, bad = 0, seed = 12345;
	hlsim_trace_t *t;
	size_t i;

	memset(&info, 0, sizeof(info));
	strcpy(info.asic, "gaudi");
	CHECK(hlsim_trace_create(path, "memfind", &w) == HLSIM_OK);
	CHECK(hlsim_trace_add_device(w, &info, &dev) == HLSIM_OK);
	ida = add_image(0x1000, 0x1000, 0, 0xA); /* row 0 */
	idb = add_image(0x1800, 0x100, 5, 0xB); /* row 1: inside A, later */
	idc = add_image(0x1000, 0x1000, 10, 0xC); /* row 2: A's range again, later */
	idd = add_image(0x0, 0x10000, 20, 0xD); /* row 3: covers everything, latest */
	ide = add_image(0x5000, 0x100, 3, 0xE); /* row 4 */
	idt1 = add_image(0x30000, 0x40, 7, 0x1); /* rows 5, 6: same range and from_cs */
	idt2 = add_image(0x30000, 0x40, 7, 0x2);
	/* a mem row must name an existing blob of the same size */
	{
		struct hlsim_trace_mem m = { .addr = 0x100, .size = 0x100, .blob_id = 999 };

		CHECK(hlsim_trace_add_mem(w, dev, &m) == HLSIM_E_INVAL);
		CHECK_STR_CONTAINS(hlsim_last_error_detail(), "blob_id 999");
		m.blob_id = ida;
		CHECK(hlsim_trace_add_mem(w, dev, &m) == HLSIM_E_INVAL);
		CHECK_STR_CONTAINS(hlsim_last_error_detail(), "size 256 != blob 0 size 4096");
	}
	CHECK(hlsim_trace_writer_close(w) == HLSIM_OK);

	CHECK(hlsim_trace_open(path, &t) == HLSIM_OK);
	if (!t)
		return check_summary();
	/* before B exists only A holds 0x1800 */
	CHECK(hlsim_trace_mem_find(t, 0, 0x1800, 0x10, 0, &got, &off) == HLSIM_OK);
	CHECK_EQ_U64(got.blob_id, ida);
	CHECK_EQ_U64(off, 0x800);
	CHECK(hlsim_trace_mem_find(t, 0, 0x1800, 0x10, 4, &got, &off) == HLSIM_OK);
	CHECK_EQ_U64(got.blob_id, ida);
	/* at CS 5, B (inside A, later) wins */
	CHECK(hlsim_trace_mem_find(t, 0, 0x1800, 0x10, 5, &got, &off) == HLSIM_OK);
	CHECK_EQ_U64(got.blob_id, idb);
	CHECK_EQ_U64(off, 0);
	CHECK_EQ_U64(got.addr, 0x1800);
	CHECK_EQ_U64(got.size, 0x100);
	CHECK_EQ_U64(got.from_cs, 5);
	/* B does not cover a range that starts before it: A still holds it */
	CHECK(hlsim_trace_mem_find(t, 0, 0x17F0, 0x20, 7, &got, &off) == HLSIM_OK);
	CHECK_EQ_U64(got.blob_id, ida);
	CHECK_EQ_U64(off, 0x7F0);
	/* nor one that runs past its end */
	CHECK(hlsim_trace_mem_find(t, 0, 0x18F0, 0x20, 7, &got, &off) == HLSIM_OK);
	CHECK_EQ_U64(got.blob_id, ida);
	/* at CS 10, C replaces A and is later than B */
	CHECK(hlsim_trace_mem_find(t, 0, 0x1800, 0x10, 10, &got, &off) == HLSIM_OK);
	CHECK_EQ_U64(got.blob_id, idc);
	CHECK_EQ_U64(off, 0x800);
	CHECK(hlsim_trace_mem_find(t, 0, 0x1000, 0x1000, 19, &got, &off) == HLSIM_OK);
	CHECK_EQ_U64(got.blob_id, idc);
	CHECK_EQ_U64(off, 0);
	/* from CS 20, D covers everything */
	CHECK(hlsim_trace_mem_find(t, 0, 0x1800, 0x10, 25, &got, &off) == HLSIM_OK);
	CHECK_EQ_U64(got.blob_id, idd);
	CHECK_EQ_U64(off, 0x1800);
	CHECK(hlsim_trace_mem_find(t, 0, 0xFFFC, 4, 20, &got, &off) == HLSIM_OK);
	CHECK_EQ_U64(got.blob_id, idd);
	/* size 0: the byte at addr */
	CHECK(hlsim_trace_mem_find(t, 0, 0x50FF, 0, 3, &got, &off) == HLSIM_OK);
	CHECK_EQ_U64(got.blob_id, ide);
	CHECK_EQ_U64(off, 0xFF);
	/* equal range and from_cs: the later row wins */
	CHECK(hlsim_trace_mem_find(t, 0, 0x30000, 0x40, 7, &got, &off) == HLSIM_OK);
	CHECK_EQ_U64(got.blob_id, idt2);
	CHECK(idt1 != idt2);

	/* misses name the address */
	CHECK(hlsim_trace_mem_find(t, 0, 0x5000, 0x100, 2, &got, &off) == HLSIM_E_INVAL);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "0x5000");
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "from CS row 3"); /* E becomes valid later */
	CHECK(hlsim_trace_mem_find(t, 0, 0x20000, 4, 100, &got, &off) == HLSIM_E_INVAL);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "no memory image holds [0x20000, 0x20004)");
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "test_trace_memfind.h5");
	CHECK(hlsim_trace_mem_find(t, 0, 0xFFF0, 0x20, 100, &got, &off) == HLSIM_E_INVAL);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "0xfff0");
	CHECK(hlsim_trace_mem_find(t, 0, UINT64_MAX - 1, 4, 0, &got, &off) == HLSIM_E_INVAL);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "wraps");
	CHECK(hlsim_trace_mem_find(t, 1, 0x1000, 4, 0, &got, &off) == HLSIM_E_INVAL);
	CHECK(hlsim_trace_mem_find(t, 0, 0x1000, 4, 0, NULL, &off) == HLSIM_E_INVAL);
	CHECK(hlsim_trace_mem_find(t, 0, 0x1000, 4, 0, &got, NULL) == HLSIM_OK);
	hlsim_trace_close(t);

	/* randomized: 1000 overlapping images against the brute-force rule */
	CHECK(hlsim_trace_create(path, "memfind random", &w) == HLSIM_OK);
	CHECK(hlsim_trace_add_device(w, &info, &dev) == HLSIM_OK);
	for (i = 0; i < NR; i++) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		rnd[i].addr = (seed >> 33) % 0x10000;
		rnd[i].size = 1 + (seed >> 20) % (i % 10 == 0 ? 0x4000 : 0x100);
		rnd[i].from_cs = (seed >> 8) % 50;
		rnd[i].row = i;
		add_image(rnd[i].addr, rnd[i].size, rnd[i].from_cs, (uint8_t)i);
	}
	CHECK(hlsim_trace_writer_close(w) == HLSIM_OK);
	CHECK(hlsim_trace_open(path, &t) == HLSIM_OK);
	if (!t)
		return check_summary();
	for (i = 0; i < 20000; i++) {
		uint64_t addr, size, cs;
		hlsim_err_t rc;
		int want;

		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		addr = (seed >> 33) % 0x11000;
		size = (seed >> 20) % 0x80;
		cs = (seed >> 8) % 60;
		want = brute(rnd, NR, addr, size, cs);
		rc = hlsim_trace_mem_find(t, 0, addr, size, cs, &got, &off);
		if (want < 0) {
			if (rc != HLSIM_E_INVAL)
				bad++;
			continue;
		}
		if (rc != HLSIM_OK || got.addr != rnd[want].addr || got.size != rnd[want].size ||
		    got.from_cs != rnd[want].from_cs || off != addr - rnd[want].addr) {
			if (bad++ < 5)
				fprintf(stderr, "query 0x%" PRIx64 "+%" PRIu64 " at %" PRIu64
					": want row %d\n", addr, size, cs, want);
		}
	}
	CHECK_EQ_U64(bad, 0);
	hlsim_trace_close(t);
	remove(path);
	return check_summary();
}
