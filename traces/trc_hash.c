/*
 * traces/trc_hash.c - the 64-bit content hash of trace blobs (trace format v1).
 *
 * Part of the file format: the writer stores it per blob and the reader checks it
 * when it loads a blob, so it must never change within major version 1. Words are
 * read little-endian, so the value does not depend on the host. The construction is
 * a multiply-rotate mix per 8-byte word, a per-byte tail and a final avalanche
 * (the same shape as well-known non-cryptographic hashes; written for hlsim, see
 * traces/FORMAT.md for a reference implementation in Python).
 */
#include "traces/trc.h"

#define HASH_SEED 0x686c73696d763031ULL /* "hlsimv01" */
#define HASH_GOLD 0x9e3779b97f4a7c15ULL /* 2^64 / golden ratio */
#define HASH_M1 0xff51afd7ed558ccdULL /* 64-bit finalizer multipliers */
#define HASH_M2 0xc4ceb9fe1a85ec53ULL
#define HASH_ADD 0x52dce729ULL

static inline uint64_t rotl64(uint64_t x, unsigned int r)
{
	return (x << r) | (x >> (64 - r));
}

static inline uint64_t load_le64(const uint8_t *p)
{
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
	       (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 |
	       (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

uint64_t trc_hash64(const void *bytes, size_t size)
{
	const uint8_t *p = bytes;
	uint64_t h = HASH_SEED ^ ((uint64_t)size * HASH_GOLD);
	size_t i, words = size / 8;

	for (i = 0; i < words; i++, p += 8) {
		uint64_t k = load_le64(p) * HASH_M1;

		h ^= rotl64(k, 31) * HASH_M2;
		h = rotl64(h, 27) * HASH_GOLD + HASH_ADD;
	}
	for (i = 0; i < size % 8; i++) {
		h ^= (uint64_t)p[i] * HASH_GOLD;
		h = rotl64(h, 11) * HASH_M1;
	}
	h ^= h >> 33;
	h *= HASH_M1;
	h ^= h >> 33;
	h *= HASH_M2;
	h ^= h >> 33;
	return h;
}
