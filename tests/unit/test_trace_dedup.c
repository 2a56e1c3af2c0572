/*
 * tests/unit/test_trace_dedup.c - the writer's CB deduplication.
 *
 * Same bytes twice share an id; different bytes of the same size never do, even
 * when their hashes collide (forced with a tiny hash mask) and the comparison has
 * to read the earlier blob back from the pending chunk or from the file (forced by
 * disabling the writer's copies). Also pins trc_hash64 to known values, which
 * traces/FORMAT.md's Python reference gives too.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hlsim/trace.h"
#include "tests/unit/check.h"
#include "traces/trc.h"

static struct hlsim_trace_device dev_info(void)
{
	struct hlsim_trace_device d;

	memset(&d, 0, sizeof(d));
	strcpy(d.asic, "gaudi");
	strcpy(d.card_name, "HL205");
	return d;
}

static void test_hash_values(void)
{
	uint8_t b[256];
	int i;

	for (i = 0; i < 256; i++)
		b[i] = (uint8_t)i;
	/* the same values as the Python reference in traces/FORMAT.md */
	CHECK_EQ_U64(trc_hash64("", 0), 0x604b3b9bed4a1676ULL);
	CHECK_EQ_U64(trc_hash64("hlsim", 5), 0x22ecd9fa5ed667e9ULL);
	CHECK_EQ_U64(trc_hash64("hlsim trace format v1", 21), 0xc0c4f1f4cb9fd7bcULL);
	CHECK_EQ_U64(trc_hash64(b, 256), 0x5153a060af7f5382ULL);
}

static void test_basic(void)
{
	const char *path = "test_trace_dedup_basic.h5";
	uint8_t a[64], b[64], c[64];
	struct hlsim_trace_device info = dev_info();
	struct hlsim_trace_counts n;
	hlsim_trace_writer_t *w;
	hlsim_trace_t *t;
	uint64_t ia, ia2, ib, ic, iz, iz2, ishort;
	uint32_t dev;

	memset(a, 0x11, sizeof(a));
	memcpy(b, a, sizeof(b));
	b[63] ^= 1; /* same size, one bit different */
	memcpy(c, a, sizeof(c));
	CHECK(hlsim_trace_create(path, "dedup", &w) == HLSIM_OK);
	CHECK(hlsim_trace_add_device(w, &info, &dev) == HLSIM_OK);
	CHECK(hlsim_trace_add_blob(w, dev, a, sizeof(a), &ia) == HLSIM_OK);
	CHECK(hlsim_trace_add_blob(w, dev, b, sizeof(b), &ib) == HLSIM_OK);
	CHECK(hlsim_trace_add_blob(w, dev, c, sizeof(c), &ic) == HLSIM_OK); /* = a, other buffer */
	CHECK(hlsim_trace_add_blob(w, dev, a, sizeof(a), &ia2) == HLSIM_OK);
	CHECK(hlsim_trace_add_blob(w, dev, a, 32, &ishort) == HLSIM_OK); /* a prefix */
	CHECK(hlsim_trace_add_blob(w, dev, NULL, 0, &iz) == HLSIM_OK);
	CHECK(hlsim_trace_add_blob(w, dev, a, 0, &iz2) == HLSIM_OK);
	CHECK_EQ_U64(ia, 0);
	CHECK_EQ_U64(ib, 1);
	CHECK_EQ_U64(ic, ia);
	CHECK_EQ_U64(ia2, ia);
	CHECK_EQ_U64(ishort, 2);
	CHECK_EQ_U64(iz, 3);
	CHECK_EQ_U64(iz2, iz);
	CHECK(hlsim_trace_add_blob(w, dev, NULL, 4, &iz) == HLSIM_E_INVAL);
	CHECK(hlsim_trace_writer_close(w) == HLSIM_OK);

	CHECK(hlsim_trace_open(path, &t) == HLSIM_OK);
	CHECK(hlsim_trace_counts(t, 0, &n) == HLSIM_OK);
	CHECK_EQ_U64(n.blobs, 4);
	CHECK_EQ_U64(n.blob_bytes, 64 + 64 + 32);
	hlsim_trace_close(t);
	remove(path);
}

/* Content number k of size @size: distinct for distinct k (k is in the first bytes). */
static void content(uint64_t k, uint8_t *out, size_t size)
{
	size_t i;

	for (i = 0; i < size; i++)
		out[i] = (uint8_t)(i * 13 + 7);
	memcpy(out, &k, sizeof(k) < size ? sizeof(k) : size);
	out[size - 1] = (uint8_t)(k * 29); /* the tail differs as well */
}

/*
 * Equal sizes and colliding hashes, with comparisons against the pending chunk and
 * the file (1500 blobs of 1000 bytes: more than one 1 MiB chunk of cb_bytes, and
 * one blob straddles the chunk boundary).
 */
static void test_collisions(uint64_t mask, size_t copy_limit, const char *path)
{
	enum { N = 1500, SIZE = 1000 };
	struct hlsim_trace_device info = dev_info();
	const struct hlsim_blob *b;
	struct hlsim_trace_counts n;
	hlsim_trace_writer_t *w;
	uint8_t buf[SIZE];
	hlsim_trace_t *t;
	uint64_t k, id, bad = 0;
	uint32_t dev;

	CHECK(hlsim_trace_create(path, "dedup collisions", &w) == HLSIM_OK);
	trc_writer_set_dedup_hash_mask(w, mask);
	trc_writer_set_copy_limit(w, copy_limit);
	CHECK(hlsim_trace_add_device(w, &info, &dev) == HLSIM_OK);
	for (k = 0; k < N; k++) {
		content(k, buf, SIZE);
		if (hlsim_trace_add_blob(w, dev, buf, SIZE, &id) != HLSIM_OK || id != k)
			bad++;
	}
	/* add them all again, newest first: every one finds its own id */
	for (k = N; k-- > 0;) {
		content(k, buf, SIZE);
		if (hlsim_trace_add_blob(w, dev, buf, SIZE, &id) != HLSIM_OK || id != k) {
			if (bad++ < 5)
				fprintf(stderr, "content %" PRIu64 " -> id %" PRIu64 " (%s)\n", k,
					id, hlsim_last_error_detail());
		}
	}
	CHECK_EQ_U64(bad, 0);
	CHECK(hlsim_trace_writer_close(w) == HLSIM_OK);

	CHECK(hlsim_trace_open(path, &t) == HLSIM_OK);
	if (!t)
		return;
	CHECK(hlsim_trace_counts(t, 0, &n) == HLSIM_OK);
	CHECK_EQ_U64(n.blobs, N);
	CHECK_EQ_U64(n.blob_bytes, (uint64_t)N * SIZE);
	for (k = 0; k < N; k++) {
		content(k, buf, SIZE);
		if (hlsim_trace_blob_get(t, 0, k, &b) != HLSIM_OK) {
			bad++;
			continue;
		}
		if (b->size != SIZE || memcmp(b->bytes, buf, SIZE))
			bad++;
		hlsim_trace_blob_put(t, b);
	}
	CHECK_EQ_U64(bad, 0);
	hlsim_trace_close(t);
	remove(path);
}

/*
 * Blobs bigger than a cb_bytes chunk (written straight from the caller's memory) and
 * than the read-back buffer: equal ones share an id, ones differing in the last byte
 * do not, and all read back intact.
 */
static void test_big(void)
{
	const char *path = "test_trace_dedup_big.h5";
	enum { BIG = 5 * 1024 * 1024 / 2 }; /* 2.5 MiB */
	struct hlsim_trace_device info = dev_info();
	uint8_t *a = malloc(BIG), *b = malloc(BIG), small[100];
	const struct hlsim_blob *blob;
	uint64_t ia, ia2, ib, is, i;
	hlsim_trace_writer_t *w;
	hlsim_trace_t *t;
	uint32_t dev;

	for (i = 0; i < BIG; i++)
		a[i] = (uint8_t)(i * 2654435761u >> 13);
	memcpy(b, a, BIG);
	b[BIG - 1] ^= 0x80;
	memset(small, 3, sizeof(small));
	CHECK(hlsim_trace_create(path, "dedup big", &w) == HLSIM_OK);
	trc_writer_set_copy_limit(w, 0);
	CHECK(hlsim_trace_add_device(w, &info, &dev) == HLSIM_OK);
	CHECK(hlsim_trace_add_blob(w, dev, small, sizeof(small), &is) == HLSIM_OK);
	CHECK(hlsim_trace_add_blob(w, dev, a, BIG, &ia) == HLSIM_OK);
	CHECK(hlsim_trace_add_blob(w, dev, b, BIG, &ib) == HLSIM_OK);
	CHECK(hlsim_trace_add_blob(w, dev, a, BIG, &ia2) == HLSIM_OK);
	CHECK(ia != ib);
	CHECK_EQ_U64(ia2, ia);
	CHECK(hlsim_trace_writer_close(w) == HLSIM_OK);
	CHECK(hlsim_trace_open(path, &t) == HLSIM_OK);
	if (t) {
		CHECK(hlsim_trace_blob_get(t, 0, ia, &blob) == HLSIM_OK);
		CHECK(blob->size == BIG && !memcmp(blob->bytes, a, BIG));
		hlsim_trace_blob_put(t, blob);
		CHECK(hlsim_trace_blob_get(t, 0, ib, &blob) == HLSIM_OK);
		CHECK(blob->size == BIG && !memcmp(blob->bytes, b, BIG));
		hlsim_trace_blob_put(t, blob);
		CHECK(hlsim_trace_blob_get(t, 0, is, &blob) == HLSIM_OK);
		CHECK(blob->size == sizeof(small) && !memcmp(blob->bytes, small, sizeof(small)));
		hlsim_trace_blob_put(t, blob);
		hlsim_trace_close(t);
	}
	free(a);
	free(b);
	remove(path);
}

int main(void)
{
	test_hash_values();
	test_basic();
	/* every hash collides, comparisons use the writer's copies */
	test_collisions(0, TRC_WRITER_COPY_BYTES, "test_trace_dedup_c1.h5");
	/* 256 hash keys, no copies: comparisons read back the pending chunk and the file */
	test_collisions(0xFF, 0, "test_trace_dedup_c2.h5");
	/* full hash, no copies */
	test_collisions(UINT64_MAX, 0, "test_trace_dedup_c3.h5");
	test_big();
	return check_summary();
}
