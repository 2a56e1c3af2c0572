/*
 * tests/unit/check.h - the tiny test harness every unit test uses.
 *
 * CHECK(cond) counts a pass or prints the failing condition with file and line.
 * CHECK_EQ_U64(a, b) prints both values on failure. Each test's main() ends with
 * `return check_summary();`, which prints "N passed, N failed" and returns non-zero
 * if anything failed.
 */
#ifndef HLSIM_TEST_CHECK_H
#define HLSIM_TEST_CHECK_H

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int check_passed_, check_failed_;

#define CHECK(cond)                                                                        \
	do {                                                                               \
		if (cond) {                                                                \
			check_passed_++;                                                   \
		} else {                                                                   \
			check_failed_++;                                                   \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
		}                                                                          \
	} while (0)

#define CHECK_EQ_U64(a, b)                                                                 \
	do {                                                                               \
		uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b);                           \
		if (a_ == b_) {                                                            \
			check_passed_++;                                                   \
		} else {                                                                   \
			check_failed_++;                                                   \
			fprintf(stderr, "%s:%d: CHECK failed: %s == %s (0x%" PRIx64            \
					" != 0x%" PRIx64 ")\n",                            \
				__FILE__, __LINE__, #a, #b, a_, b_);                       \
		}                                                                          \
	} while (0)

#define CHECK_STR_CONTAINS(hay, needle)                                                    \
	do {                                                                               \
		const char *h_ = (hay), *n_ = (needle);                                    \
		if (h_ && strstr(h_, n_)) {                                                \
			check_passed_++;                                                   \
		} else {                                                                   \
			check_failed_++;                                                   \
			fprintf(stderr, "%s:%d: CHECK failed: \"%s\" does not contain \"%s\"\n", \
				__FILE__, __LINE__, h_ ? h_ : "(null)", n_);               \
		}                                                                          \
	} while (0)

static inline int check_summary(void)
{
	printf("%d passed, %d failed\n", check_passed_, check_failed_);
	return check_failed_ ? 1 : 0;
}

#endif
