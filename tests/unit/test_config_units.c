/*
 * tests/unit/test_config_units.c - the value syntax of configuration parameters:
 * every type and unit at its boundaries, the error messages, the canonical form the
 * writer uses and its exact round trip, and independence from the C library locale.
 */
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "hlsim/config.h"
#include "models/common/config_int.h"
#include "tests/unit/check.h"

#define T_U64 HLSIM_PARAM_U64
#define T_F64 HLSIM_PARAM_F64
#define T_BOOL HLSIM_PARAM_BOOL
#define T_STR HLSIM_PARAM_STR
#define T_BYTES HLSIM_PARAM_BYTES
#define T_FREQ HLSIM_PARAM_FREQ
#define T_TIME HLSIM_PARAM_TIME
#define T_BW HLSIM_PARAM_BANDWIDTH

/* parse_ok - @text parses as @type; says which text failed and why if not. */
static int parse_ok(enum hlsim_param_type type, const char *text, struct mdl_config_value *v,
		    int line)
{
	hlsim_err_t rc = mdl_config_parse_value(type, text, "test", "k", v);

	if (rc != HLSIM_OK)
		fprintf(stderr, "line %d: '%s' rejected: %s\n", line, text,
			hlsim_last_error_detail());
	return rc == HLSIM_OK;
}

#define OK_U64(type, text, want)                                                                   \
	do {                                                                                       \
		struct mdl_config_value v_;                                                        \
		int ok_ = parse_ok(type, text, &v_, __LINE__);                                     \
		CHECK(ok_);                                                                        \
		if (ok_)                                                                           \
			CHECK_EQ_U64(v_.u64, want);                                                \
	} while (0)

#define OK_F64(type, text, want)                                                                   \
	do {                                                                                       \
		struct mdl_config_value v_;                                                        \
		int ok_ = parse_ok(type, text, &v_, __LINE__);                                     \
		CHECK(ok_);                                                                        \
		if (ok_ && v_.f64 != (double)(want))                                               \
			fprintf(stderr, "line %d: '%s' -> %.17g, want %.17g\n", __LINE__, text,    \
				v_.f64, (double)(want));                                           \
		CHECK(ok_ && v_.f64 == (double)(want));                                            \
	} while (0)

/* BAD: @text is rejected with HLSIM_E_CONFIG and a detail containing @needle. */
#define BAD(type, text, needle)                                                                    \
	do {                                                                                       \
		struct mdl_config_value v_;                                                        \
		hlsim_clear_error();                                                               \
		CHECK(mdl_config_parse_value(type, text, "test", "k", &v_) == HLSIM_E_CONFIG);     \
		CHECK_STR_CONTAINS(hlsim_last_error_detail(), needle);                             \
	} while (0)

/* CANON: @text parses, prints as @want, and @want parses to the same value. */
#define CANON(type, text, want) check_canon(type, text, want, __LINE__)

static void check_canon(enum hlsim_param_type type, const char *text, const char *want, int line)
{
	struct mdl_config_value a, b;
	char buf[MDL_CONFIG_VALUE_MAX];

	if (!parse_ok(type, text, &a, line)) {
		CHECK(0);
		return;
	}
	mdl_config_format_value(type, &a, buf, sizeof(buf));
	if (strcmp(buf, want))
		fprintf(stderr, "line %d: '%s' printed as '%s', want '%s'\n", line, text, buf,
			want);
	CHECK(!strcmp(buf, want));
	if (!parse_ok(type, buf, &b, line)) {
		CHECK(0);
		return;
	}
	CHECK_EQ_U64(a.u64, b.u64);
	CHECK(memcmp(&a.f64, &b.f64, sizeof(double)) == 0);
}

static void test_time(void)
{
	OK_U64(T_TIME, "1ps", 1);
	OK_U64(T_TIME, "250ps", 250);
	OK_U64(T_TIME, "100ns", 100000);
	OK_U64(T_TIME, "1.5us", 1500000);
	OK_U64(T_TIME, "1.50us", 1500000);
	OK_U64(T_TIME, "2ms", 2000000000ULL);
	OK_U64(T_TIME, "3s", 3000000000000ULL);
	OK_U64(T_TIME, "0.001ns", 1);
	OK_U64(T_TIME, "0ps", 0);
	OK_U64(T_TIME, "1e3ns", 1000000);
	OK_U64(T_TIME, "1.5e-3us", 1500);
	OK_U64(T_TIME, "100 ns", 100000);
	OK_U64(T_TIME, "0e99999999999s", 0);
	OK_U64(T_TIME, "18446744073709551615ps", UINT64_MAX);
	OK_U64(T_TIME, "18446744.073709551615s", UINT64_MAX);
	BAD(T_TIME, "0.5ps", "not a whole number of picoseconds");
	BAD(T_TIME, "0.0001ns", "not a whole number of picoseconds");
	BAD(T_TIME, "1e-13s", "not a whole number of picoseconds");
	BAD(T_TIME, "18446744073709551616ps", "out of range");
	BAD(T_TIME, "18446744.073709551616s", "out of range");
	BAD(T_TIME, "18446745s", "out of range");
	BAD(T_TIME, "1e99999999999s", "out of range");
	BAD(T_TIME, "-5ns", "negative values are not allowed");
	BAD(T_TIME, "100", "missing unit");
	BAD(T_TIME, "100Ns", "did you mean 'ns'?");
	BAD(T_TIME, "100 min", "unknown unit 'min' (units: ps, ns, us, ms, s)");
	BAD(T_TIME, "1.ns", "unknown unit");
	BAD(T_TIME, "", "empty value");
	BAD(T_TIME, "fast", "not a number");
	BAD(T_TIME, "5", "expected a time such as 100ns, 1.5us, 2ms, 250ps");
}

static void test_u64(void)
{
	OK_U64(T_U64, "0", 0);
	OK_U64(T_U64, "8", 8);
	OK_U64(T_U64, "007", 7);
	OK_U64(T_U64, "18446744073709551615", UINT64_MAX);
	OK_U64(T_U64, "0xFF", 255);
	OK_U64(T_U64, "0Xff", 255);
	OK_U64(T_U64, "0xFFFFFFFFFFFFFFFF", UINT64_MAX);
	OK_U64(T_U64, "0x00000000000000000000001", 1);
	BAD(T_U64, "18446744073709551616", "out of range");
	BAD(T_U64, "99999999999999999999999", "out of range");
	BAD(T_U64, "0x10000000000000000", "out of range");
	BAD(T_U64, "0x", "no hex digits");
	BAD(T_U64, "0xFG", "not an integer");
	BAD(T_U64, "1.5", "not an integer");
	BAD(T_U64, "-1", "negative values are not allowed");
	BAD(T_U64, "+1", "not an integer");
	BAD(T_U64, "4 cycles", "not an integer");
	BAD(T_U64, "", "expected an unsigned integer");
}

static void test_bytes(void)
{
	OK_U64(T_BYTES, "4096", 4096);
	OK_U64(T_BYTES, "4096B", 4096);
	OK_U64(T_BYTES, "64KiB", 65536);
	OK_U64(T_BYTES, "20MiB", 20ULL << 20);
	OK_U64(T_BYTES, "32GiB", 32ULL << 30);
	OK_U64(T_BYTES, "1TiB", 1ULL << 40);
	OK_U64(T_BYTES, "1kB", 1000);
	OK_U64(T_BYTES, "32GB", 32000000000ULL);
	OK_U64(T_BYTES, "1.5KiB", 1536);
	OK_U64(T_BYTES, "0.5KiB", 512);
	OK_U64(T_BYTES, "18446744073709551615", UINT64_MAX);
	OK_U64(T_BYTES, "16777215TiB", UINT64_MAX - ((1ULL << 40) - 1));
	BAD(T_BYTES, "16777216TiB", "out of range");
	BAD(T_BYTES, "18446744073709551616", "out of range");
	BAD(T_BYTES, "0.3B", "not a whole number of bytes");
	BAD(T_BYTES, "1.0001KiB", "not a whole number of bytes");
	BAD(T_BYTES, "32Gb", "unknown unit 'Gb'");
	BAD(T_BYTES, "1KB", "unknown unit 'KB'");
	BAD(T_BYTES, "32GB/s", "'GB/s' is a bandwidth, not a size");
	BAD(T_BYTES, "-4096", "negative");
	BAD(T_BYTES, "lots", "expected a size such as 4096, 64KiB, 20MiB, 32GB");
}

static void test_freq(void)
{
	OK_F64(T_FREQ, "1.95GHz", 1.95e9);
	OK_F64(T_FREQ, "450MHz", 450e6);
	OK_F64(T_FREQ, "1000Hz", 1000);
	OK_F64(T_FREQ, "2.2 GHz", 2.2e9);
	OK_F64(T_FREQ, "1kHz", 1000);
	OK_F64(T_FREQ, "1THz", 1e12);
	BAD(T_FREQ, "1.95", "missing unit");
	BAD(T_FREQ, "1.95ghz", "did you mean 'GHz'?");
	BAD(T_FREQ, "1e400GHz", "out of range");
	BAD(T_FREQ, "nan", "not a number");
	BAD(T_FREQ, "inf", "not a number");
	BAD(T_FREQ, "-1GHz", "negative");
	BAD(T_FREQ, "1GHz!", "expected a frequency such as 1.95GHz, 450MHz, 1000Hz");
}

static void test_bandwidth(void)
{
	OK_F64(T_BW, "2.45TB/s", 2.45e12);
	OK_F64(T_BW, "32GB/s", 32e9);
	OK_F64(T_BW, "900MB/s", 900e6);
	OK_F64(T_BW, "100Gb/s", 12.5e9);
	OK_F64(T_BW, "8b/s", 1);
	OK_F64(T_BW, "25GiB/s", 25.0 * 1073741824.0);
	OK_F64(T_BW, "1KiB/s", 1024);
	OK_F64(T_BW, "1 TB/s", 1e12);
	OK_F64(T_BW, "1\tTB/s", 1e12);
	OK_F64(T_BW, "1e12B/s", 1e12);
	BAD(T_BW, "1TB", "'TB' is a size, not a bandwidth (write TB/s)");
	BAD(T_BW, "1", "missing unit");
	BAD(T_BW, "1tb/s", "unknown unit 'tb/s'");
	BAD(T_BW, "1Gbps", "unknown unit 'Gbps'");
	BAD(T_BW, "1e400TB/s", "out of range");
	BAD(T_BW, "-1GB/s", "negative");
	BAD(T_BW, "1TB", "expected a bandwidth such as 2.45TB/s, 32GB/s, 100Gb/s");
}

static void test_f64_bool_str(void)
{
	OK_F64(T_F64, "0.8", 0.8);
	OK_F64(T_F64, "1", 1);
	OK_F64(T_F64, "0", 0);
	OK_F64(T_F64, "1e-3", 0.001);
	OK_F64(T_F64, "2.5E2", 250);
	BAD(T_F64, "0.8x", "unexpected 'x' after the number");
	BAD(T_F64, "nan", "not a number");
	BAD(T_F64, "NaN", "not a number");
	BAD(T_F64, "inf", "not a number");
	BAD(T_F64, "1e999", "out of range");
	BAD(T_F64, "-0.5", "negative");
	BAD(T_F64, "0x1p3", "unexpected");
	BAD(T_F64, ".5", "not a number");

	OK_U64(T_BOOL, "true", 1);
	OK_U64(T_BOOL, "yes", 1);
	OK_U64(T_BOOL, "on", 1);
	OK_U64(T_BOOL, "1", 1);
	OK_U64(T_BOOL, "TRUE", 1);
	OK_U64(T_BOOL, "false", 0);
	OK_U64(T_BOOL, "no", 0);
	OK_U64(T_BOOL, "off", 0);
	OK_U64(T_BOOL, "0", 0);
	BAD(T_BOOL, "maybe", "expected true/false, yes/no, on/off or 1/0");
	BAD(T_BOOL, "2", "not a boolean");
	BAD(T_BOOL, "", "not a boolean");

	{
		struct mdl_config_value v;

		CHECK(parse_ok(T_STR, "gaudi_hl-205.x", &v, __LINE__));
		CHECK(v.str && !strcmp(v.str, "gaudi_hl-205.x"));
	}
	BAD(T_STR, "a b", "character 0x20 is not allowed");
	BAD(T_STR, "a#b", "character 0x23 is not allowed");
	BAD(T_STR, "\xff", "character 0xff is not allowed");
	BAD(T_STR, "", "empty value");
}

static void test_messages(void)
{
	struct mdl_config_value v;

	CHECK(mdl_config_parse_value(T_BW, "1TB", "x.ini:3", "hbm.bandwidth", &v) ==
	      HLSIM_E_CONFIG);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(),
			   "x.ini:3: bad value '1TB' for hbm.bandwidth: 'TB' is a size, not a "
			   "bandwidth (write TB/s); expected a bandwidth such as 2.45TB/s, 32GB/s, "
			   "100Gb/s");
	/* non-printable bytes are escaped and long text is cut */
	CHECK(mdl_config_parse_value(T_TIME, "\x01\x7f", "w", "k", &v) == HLSIM_E_CONFIG);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "'\\x01\\x7f'");
	{
		char longtext[3000];

		memset(longtext, '9', sizeof(longtext) - 4);
		memcpy(longtext + sizeof(longtext) - 4, "GHz", 3);
		longtext[sizeof(longtext) - 1] = '\0';
		CHECK(mdl_config_parse_value(T_FREQ, longtext, "w", "k", &v) == HLSIM_E_CONFIG);
		CHECK_STR_CONTAINS(hlsim_last_error_detail(), "...");
		CHECK_STR_CONTAINS(hlsim_last_error_detail(), "too many significant digits");
	}
}

static void test_canonical(void)
{
	CANON(T_TIME, "1.5us", "1.5us");
	CANON(T_TIME, "1500ns", "1.5us");
	CANON(T_TIME, "0.001ns", "1ps");
	CANON(T_TIME, "0ps", "0ps");
	CANON(T_TIME, "3s", "3s");
	CANON(T_TIME, "50ns", "50ns");
	CANON(T_TIME, "999ps", "999ps");
	CANON(T_TIME, "18446744073709551615ps", "18446744.073709551615s");
	CANON(T_BYTES, "4096", "4KiB");
	CANON(T_BYTES, "4097", "4097");
	CANON(T_BYTES, "1000", "1kB");
	CANON(T_BYTES, "32GB", "32GB");
	CANON(T_BYTES, "32GiB", "32GiB");
	CANON(T_BYTES, "20MiB", "20MiB");
	CANON(T_BYTES, "18446744073709551615", "18446744073709551615");
	CANON(T_FREQ, "1.95GHz", "1.95GHz");
	CANON(T_FREQ, "1950MHz", "1.95GHz");
	CANON(T_FREQ, "1000Hz", "1kHz");
	CANON(T_FREQ, "0.5Hz", "0.5Hz");
	CANON(T_FREQ, "1e-9Hz", "1e-9Hz");
	CANON(T_BW, "100Gb/s", "12.5GB/s");
	CANON(T_BW, "25GiB/s", "26.8435456GB/s");
	CANON(T_BW, "1 TB/s", "1TB/s");
	CANON(T_BW, "2.45TB/s", "2.45TB/s");
	CANON(T_BW, "200GB/s", "200GB/s");
	CANON(T_BW, "1e20B/s", "100000000TB/s");
	CANON(T_BW, "1e40B/s", "1e28TB/s");
	CANON(T_F64, "0.8", "0.8");
	CANON(T_F64, "0.1", "0.1");
	CANON(T_F64, "0", "0");
	CANON(T_F64, "1e-300", "1e-300");
	CANON(T_F64, "0.000001", "0.000001");
	CANON(T_F64, "123456789012345678901234", "1.2345678901234569e23");
	CANON(T_U64, "0xff", "255");
	CANON(T_BOOL, "yes", "true");
	CANON(T_BOOL, "off", "false");
}

/* next - a fixed linear congruential sequence (Knuth's MMIX constants): same run, same values. */
static uint64_t next(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return *s;
}

/* Random values of every type print and parse back to the identical value (bits). */
static void test_round_trip_random(void)
{
	static const enum hlsim_param_type real_types[] = { T_F64, T_FREQ, T_BW };
	static const enum hlsim_param_type int_types[] = { T_TIME, T_BYTES, T_U64 };
	uint64_t seed = 0x5eed, bits;
	int i, bad = 0;
	size_t t;

	for (i = 0; i < 20000; i++) {
		struct mdl_config_value a = { 0 }, b;
		char buf[MDL_CONFIG_VALUE_MAX];

		t = (size_t)i % 3;
		bits = next(&seed) >> 1; /* positive */
		memcpy(&a.f64, &bits, sizeof(a.f64));
		if (isfinite(a.f64) && a.f64 >= 2.3e-308) { /* normal, finite */
			mdl_config_format_value(real_types[t], &a, buf, sizeof(buf));
			if (mdl_config_parse_value(real_types[t], buf, NULL, NULL, &b) ||
			    memcmp(&a.f64, &b.f64, sizeof(double))) {
				if (bad++ < 5)
					fprintf(stderr, "real %.17g -> '%s' does not round-trip\n",
						a.f64, buf);
			}
		}
		a.u64 = next(&seed) >> (next(&seed) % 64);
		mdl_config_format_value(int_types[t], &a, buf, sizeof(buf));
		if (mdl_config_parse_value(int_types[t], buf, NULL, NULL, &b) || a.u64 != b.u64) {
			if (bad++ < 5)
				fprintf(stderr, "integer %llu -> '%s' does not round-trip\n",
					(unsigned long long)a.u64, buf);
		}
	}
	CHECK(bad == 0);
}

/*
 * A program that set a locale with a comma decimal separator still reads "1.95GHz"
 * and writes "0.8". Skipped (with a note) when no such locale is installed.
 */
static void test_locale(void)
{
	static const char *const names[] = { "de_DE.UTF-8", "de_DE.utf8",  "fr_FR.UTF-8",
					     "fr_FR.utf8",  "ru_RU.UTF-8", "nl_NL.UTF-8" };
	const char *got = NULL;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]) && !got; i++)
		got = setlocale(LC_ALL, names[i]);
	if (!got || strcmp(localeconv()->decimal_point, ",")) {
		printf("note: no comma-decimal locale installed; locale test skipped\n");
		setlocale(LC_ALL, "C");
		return;
	}
	OK_F64(T_FREQ, "1.95GHz", 1.95e9);
	OK_F64(T_F64, "0.8", 0.8);
	CANON(T_F64, "0.8", "0.8");
	CANON(T_BW, "2.45TB/s", "2.45TB/s");
	setlocale(LC_ALL, "C");
}

int main(void)
{
	test_time();
	test_u64();
	test_bytes();
	test_freq();
	test_bandwidth();
	test_f64_bool_str();
	test_messages();
	test_canonical();
	test_round_trip_random();
	test_locale();
	return check_summary();
}
