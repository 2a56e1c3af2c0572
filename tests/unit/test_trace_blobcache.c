/*
 * tests/unit/test_trace_blobcache.c - the reader's blob reference counts and its
 * bounded LRU of unreferenced blobs: a get of a held blob returns the same bytes
 * without a load; unreferenced blobs are evicted oldest first once their bytes pass
 * the bound; referenced blobs are never evicted; an evicted blob is loaded again;
 * closing with blobs still held frees them.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hlsim/trace.h"
#include "tests/unit/check.h"
#include "traces/trc.h"

enum { NBLOBS = 64, BLOB_BYTES = 256 * 1024 };

static void fill(uint64_t k, uint8_t *buf)
{
	size_t i;

	for (i = 0; i < BLOB_BYTES; i++)
		buf[i] = (uint8_t)((i >> 6) + k * 3);
	memcpy(buf, &k, sizeof(k));
}

static int blob_ok(const struct hlsim_blob *b, uint64_t k, uint8_t *scratch)
{
	fill(k, scratch);
	return b && b->id == k && b->size == BLOB_BYTES && !memcmp(b->bytes, scratch, BLOB_BYTES);
}

int main(void)
{
	const char *path = "test_trace_blobcache.h5";
	const struct hlsim_blob *b0, *b0again, *held, *b;
	struct trc_blob_cache_stats st;
	struct hlsim_trace_device info;
	hlsim_trace_writer_t *w;
	uint8_t *buf = malloc(BLOB_BYTES);
	hlsim_trace_t *t;
	uint64_t k, id, bad = 0, limit;
	uint32_t dev;

	memset(&info, 0, sizeof(info));
	strcpy(info.asic, "gaudi");
	CHECK(hlsim_trace_create(path, "blob cache", &w) == HLSIM_OK);
	CHECK(hlsim_trace_add_device(w, &info, &dev) == HLSIM_OK);
	for (k = 0; k < NBLOBS; k++) {
		fill(k, buf);
		CHECK(hlsim_trace_add_blob(w, dev, buf, BLOB_BYTES, &id) == HLSIM_OK);
	}
	CHECK(hlsim_trace_writer_close(w) == HLSIM_OK);

	CHECK(hlsim_trace_open(path, &t) == HLSIM_OK);
	if (!t)
		return check_summary();
	/* the default bound holds all 16 MiB: nothing is evicted */
	trc_trace_blob_cache_stats(t, &st);
	CHECK_EQ_U64(st.entries, 0);

	/* reference counts: a second get of a held blob is the same object */
	CHECK(hlsim_trace_blob_get(t, 0, 0, &b0) == HLSIM_OK);
	CHECK(hlsim_trace_blob_get(t, 0, 0, &b0again) == HLSIM_OK);
	CHECK(b0 == b0again);
	CHECK(blob_ok(b0, 0, buf));
	trc_trace_blob_cache_stats(t, &st);
	CHECK_EQ_U64(st.loads, 1);
	CHECK_EQ_U64(st.hits, 1);
	CHECK_EQ_U64(st.referenced, 1);
	CHECK_EQ_U64(st.unref_bytes, 0);
	hlsim_trace_blob_put(t, b0again);
	trc_trace_blob_cache_stats(t, &st);
	CHECK_EQ_U64(st.referenced, 1); /* still one reference */
	hlsim_trace_blob_put(t, b0);
	trc_trace_blob_cache_stats(t, &st);
	CHECK_EQ_U64(st.referenced, 0);
	CHECK(st.unref_bytes >= BLOB_BYTES);
	CHECK_EQ_U64(st.entries, 1);
	/* an unreferenced cached blob is served without a load */
	CHECK(hlsim_trace_blob_get(t, 0, 0, &b0) == HLSIM_OK);
	trc_trace_blob_cache_stats(t, &st);
	CHECK_EQ_U64(st.loads, 1);
	CHECK_EQ_U64(st.hits, 2);
	hlsim_trace_blob_put(t, b0);
	hlsim_trace_blob_put(t, b0); /* an extra put is ignored */
	hlsim_trace_blob_put(t, NULL);
	trc_trace_blob_cache_stats(t, &st);
	CHECK_EQ_U64(st.referenced, 0);

	/* bound the cache to 4 blobs; hold blob 5 throughout */
	limit = 4 * (BLOB_BYTES + 256);
	trc_trace_set_blob_cache_limit(t, limit);
	CHECK(hlsim_trace_blob_get(t, 0, 5, &held) == HLSIM_OK);
	for (k = 0; k < NBLOBS; k++) {
		if (hlsim_trace_blob_get(t, 0, k, &b) != HLSIM_OK || !blob_ok(b, k, buf))
			bad++;
		hlsim_trace_blob_put(t, b);
		trc_trace_blob_cache_stats(t, &st);
		if (st.unref_bytes > limit)
			bad++;
	}
	CHECK_EQ_U64(bad, 0);
	trc_trace_blob_cache_stats(t, &st);
	CHECK(st.evictions >= NBLOBS - 6);
	CHECK(st.entries <= 5 + 1); /* 4 cached + the held one (+ rounding) */
	CHECK_EQ_U64(st.referenced, 1);
	/* the held blob survived every eviction */
	CHECK(blob_ok(held, 5, buf));
	/* the most recent blobs are cached, the oldest were evicted and load again */
	{
		uint64_t loads = st.loads;

		CHECK(hlsim_trace_blob_get(t, 0, NBLOBS - 1, &b) == HLSIM_OK);
		hlsim_trace_blob_put(t, b);
		trc_trace_blob_cache_stats(t, &st);
		CHECK_EQ_U64(st.loads, loads);
		CHECK(hlsim_trace_blob_get(t, 0, 1, &b) == HLSIM_OK);
		CHECK(blob_ok(b, 1, buf));
		hlsim_trace_blob_put(t, b);
		trc_trace_blob_cache_stats(t, &st);
		CHECK_EQ_U64(st.loads, loads + 1);
	}
	/* bound 0: every unreferenced blob goes at once, held ones stay */
	trc_trace_set_blob_cache_limit(t, 0);
	trc_trace_blob_cache_stats(t, &st);
	CHECK_EQ_U64(st.unref_bytes, 0);
	CHECK_EQ_U64(st.entries, 1);
	CHECK(blob_ok(held, 5, buf));
	/* errors: a blob or device that does not exist */
	CHECK(hlsim_trace_blob_get(t, 0, NBLOBS, &b) == HLSIM_E_INVAL);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "blob 64 does not exist (64 blobs)");
	CHECK(hlsim_trace_blob_get(t, 1, 0, &b) == HLSIM_E_INVAL);
	/* close with blob 5 and a second blob still held: both are freed */
	CHECK(hlsim_trace_blob_get(t, 0, 7, &b) == HLSIM_OK);
	hlsim_trace_close(t);
	free(buf);
	remove(path);
	return check_summary();
}
