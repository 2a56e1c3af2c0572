/*
 * tests/unit/test_config.c - configuration files and objects: the shipped preset
 * against the declared parameters, preset lookup, the INI syntax and its errors,
 * --set overrides and their origins, the writer's round trip, the getters'
 * contract, and hostile files (too large, NUL bytes, long lines, random bytes).
 */
#include <dirent.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hlsim/config.h"
#include "models/common/config_int.h"
#include "tests/unit/check.h"

#define PRESET_PATH HLSIM_SOURCE_DIR "/models/configs/gaudi_hl205.ini"

static char scratch[64]; /* a private directory for the files these tests write */

static void write_bytes(const char *name, const void *data, size_t len)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", scratch, name);
	f = fopen(path, "wb");
	CHECK(f != NULL);
	if (!f)
		return;
	CHECK(fwrite(data, 1, len, f) == len);
	CHECK(fclose(f) == 0);
}

static void write_text(const char *name, const char *text)
{
	write_bytes(name, text, strlen(text));
}

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	if (buf)
		buf[n] = '\0';
	fclose(f);
	return buf;
}

/* load_named - load preset @name from the scratch directory; returns the rc. */
static hlsim_err_t load_named(const char *name, hlsim_config_t **c)
{
	hlsim_clear_error();
	return hlsim_config_load(name, c);
}

/* BAD_FILE: preset @name (in scratch) holding @text fails with @rc_want and @needle. */
#define BAD_FILE(name, text, rc_want, needle)                                                      \
	do {                                                                                       \
		hlsim_config_t *c_ = NULL;                                                         \
		write_text(name ".ini", text);                                                     \
		CHECK(load_named(name, &c_) == (rc_want));                                         \
		CHECK(c_ == NULL);                                                                 \
		CHECK_STR_CONTAINS(hlsim_last_error_detail(), needle);                             \
		hlsim_config_free(c_);                                                             \
	} while (0)

/* same_values - every declared parameter has the identical value in @a and @b. */
static int same_values(const hlsim_config_t *a, const hlsim_config_t *b)
{
	const struct hlsim_param *p;
	int same = 1;

	for (p = hlsim_config_params(); p->key; p++) {
		int eq = 1;

		switch (p->type) {
		case HLSIM_PARAM_U64:
		case HLSIM_PARAM_BOOL:
		case HLSIM_PARAM_BYTES:
		case HLSIM_PARAM_TIME:
			eq = hlsim_config_u64(a, p->key) == hlsim_config_u64(b, p->key);
			break;
		case HLSIM_PARAM_F64:
		case HLSIM_PARAM_FREQ:
		case HLSIM_PARAM_BANDWIDTH: {
			double x = hlsim_config_f64(a, p->key), y = hlsim_config_f64(b, p->key);

			eq = !memcmp(&x, &y, sizeof(x));
			break;
		}
		case HLSIM_PARAM_STR:
			eq = !strcmp(hlsim_config_str(a, p->key), hlsim_config_str(b, p->key));
			break;
		}
		if (!eq) {
			fprintf(stderr, "value of %s differs\n", p->key);
			same = 0;
		}
	}
	return same;
}

/* The declared table is well formed: sections grouped, descriptions one line, defaults valid. */
static void test_declarations(void)
{
	const struct hlsim_param *p, *q;
	hlsim_config_t *d = NULL;
	int n = 0;

	for (p = hlsim_config_params(); p->key; p++, n++) {
		struct mdl_config_value v;

		CHECK(strchr(p->key, '.') != NULL);
		CHECK(p->default_value != NULL && p->description != NULL);
		CHECK(strchr(p->description, '\n') == NULL);
		CHECK(mdl_config_param_find(p->key) == p);
		CHECK(mdl_config_parse_value(p->type, p->default_value, NULL, p->key, &v) ==
		      HLSIM_OK);
		for (q = hlsim_config_params(); q < p; q++)
			CHECK(strcmp(p->key, q->key) != 0);
	}
	CHECK(n >= 20); /* the foundation's parameters and those added since */
	CHECK(mdl_config_param_find("hbm.nope") == NULL);
	CHECK(hlsim_config_defaults(&d) == HLSIM_OK);
	if (!d)
		return;
	CHECK(!strcmp(hlsim_config_name(d), "defaults"));
	CHECK(!strcmp(mdl_config_origin(d, "hbm.bandwidth"), "default"));
	CHECK(mdl_config_origin(d, "hbm.nope") == NULL);
	hlsim_config_free(d);
	hlsim_config_free(NULL);
}

/* The shipped preset loads, sets every key, to its declared default, with its description. */
static void test_shipped_preset(void)
{
	hlsim_config_t *c = NULL, *d = NULL, *byname = NULL, *bypath = NULL;
	const struct hlsim_param *p;
	char *text = read_all(PRESET_PATH), expect[1024];

	CHECK(text != NULL);
	CHECK(hlsim_config_load(NULL, &c) == HLSIM_OK);
	CHECK(hlsim_config_defaults(&d) == HLSIM_OK);
	CHECK(hlsim_config_load("gaudi_hl205.ini", &byname) == HLSIM_OK);
	CHECK(hlsim_config_load(PRESET_PATH, &bypath) == HLSIM_OK);
	if (!c || !d || !text || !byname || !bypath)
		goto out;
	CHECK(!strcmp(hlsim_config_name(c), "gaudi_hl205"));
	CHECK(!strcmp(hlsim_config_name(byname), "gaudi_hl205"));
	CHECK(!strcmp(hlsim_config_name(bypath), PRESET_PATH));
	CHECK(same_values(c, d));
	CHECK(same_values(c, bypath));
	for (p = hlsim_config_params(); p->key; p++) {
		const char *name = strchr(p->key, '.') + 1;

		CHECK_STR_CONTAINS(mdl_config_origin(c, p->key), "preset gaudi_hl205.ini:");
		/* the description is the comment right above the key; the value is the default */
		snprintf(expect, sizeof(expect), "\n# %s\n%s = %s\n", p->description, name,
			 p->default_value);
		CHECK_STR_CONTAINS(text, expect);
	}
	CHECK(hlsim_config_f64(c, "asic.clock") == 1.95e9);
	CHECK(hlsim_config_f64(c, "hbm.bandwidth") == 1e12);
	CHECK(hlsim_config_f64(c, "sram.bandwidth") == 4e12);
	CHECK(hlsim_config_f64(c, "pcie.h2d_bandwidth") == 32e9);
	CHECK(hlsim_config_f64(c, "pcie.efficiency") == 0.8);
	CHECK_EQ_U64(hlsim_config_u64(c, "hbm.size"), 32ULL << 30);
	CHECK_EQ_U64(hlsim_config_u64(c, "sram.size"), 20ULL << 20);
	CHECK_EQ_U64(hlsim_config_u64(c, "cp.packet_cycles"), 4);
	CHECK_EQ_U64(hlsim_config_u64(c, "dma.setup_latency"), 500000);
	CHECK_EQ_U64(hlsim_config_u64(c, "pcie.latency"), 1000000);
	CHECK_EQ_U64(hlsim_config_u64(c, "host.cs_submit_overhead"), 5000000);
	CHECK(!strcmp(hlsim_config_str(c, "asic.name"), "gaudi"));
	CHECK(!strcmp(hlsim_config_str(c, "host.timing"), "asap"));
out:
	free(text);
	hlsim_config_free(c);
	hlsim_config_free(d);
	hlsim_config_free(byname);
	hlsim_config_free(bypath);
}

/* Lookup through HLSIM_CONFIG_DIR, and the error for a missing preset. */
static void test_lookup(void)
{
	hlsim_config_t *c = NULL;

	write_text("tiny.ini", "[hbm]\nbandwidth = 2TB/s\n");
	CHECK(load_named("tiny", &c) == HLSIM_OK);
	if (c) {
		CHECK(hlsim_config_f64(c, "hbm.bandwidth") == 2e12);
		CHECK(!strcmp(mdl_config_origin(c, "hbm.bandwidth"), "preset tiny.ini:2"));
		CHECK(!strcmp(mdl_config_origin(c, "hbm.size"), "default"));
		hlsim_config_free(c);
		c = NULL;
	}
	CHECK(load_named("no_such_preset", &c) == HLSIM_E_CONFIG);
	CHECK(c == NULL);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "no preset 'no_such_preset'");
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), scratch);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "presets found: ");
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "gaudi_hl205");
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "tiny");
	CHECK(load_named("bad name!", &c) == HLSIM_E_CONFIG);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "bad preset name");
	CHECK(load_named("./no/such/file.ini", &c) == HLSIM_E_IO);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "./no/such/file.ini");
	CHECK(load_named(scratch, &c) == HLSIM_E_CONFIG); /* a directory */
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "not a regular file");
	CHECK(c == NULL);
}

static void test_syntax(void)
{
	hlsim_config_t *c = NULL;

	/* comments, blanks, CRLF, a byte-order mark, spaces inside brackets, empty file */
	write_text("syntax.ini", "\xef\xbb\xbf# top comment\r\n; another\r\n\r\n  [ hbm ]  # c\r\n"
				 "\tbandwidth\t=\t1.5TB/s ; trailing\r\nsize=16GiB\t#x\r\n"
				 "[sram]\nsize = 40MiB   # comment\n[hbm]\nlatency = 90ns");
	CHECK(load_named("syntax", &c) == HLSIM_OK);
	if (!c)
		fprintf(stderr, "%s\n", hlsim_last_error_detail());
	if (c) {
		CHECK(hlsim_config_f64(c, "hbm.bandwidth") == 1.5e12);
		CHECK_EQ_U64(hlsim_config_u64(c, "sram.size"), 40ULL << 20);
		CHECK_EQ_U64(hlsim_config_u64(c, "hbm.latency"), 90000);
		CHECK_EQ_U64(hlsim_config_u64(c, "hbm.size"), 16ULL << 30);
		CHECK(!strcmp(mdl_config_origin(c, "hbm.latency"), "preset syntax.ini:10"));
		hlsim_config_free(c);
		c = NULL;
	}
	write_text("empty.ini", "");
	CHECK(load_named("empty", &c) == HLSIM_OK);
	hlsim_config_free(c);
}

static void test_errors(void)
{
	BAD_FILE("unknown_key", "# x\n[hbm]\nbandwith = 1TB/s\n", HLSIM_E_CONFIG,
		 "unknown_key.ini:3: unknown key 'hbm.bandwith' (did you mean 'hbm.bandwidth'?)");
	BAD_FILE("far_key", "[hbm]\nzzzzzzzzzzzz = 1\n", HLSIM_E_CONFIG,
		 "far_key.ini:2: unknown key 'hbm.zzzzzzzzzzzz'");
	{
		hlsim_config_t *c = NULL;

		write_text("far_key.ini", "[hbm]\nzzzzzzzzzzzz = 1\n");
		CHECK(load_named("far_key", &c) == HLSIM_E_CONFIG);
		CHECK(strstr(hlsim_last_error_detail(), "did you mean") == NULL);
	}
	BAD_FILE("unknown_section", "[hmb]\nbandwidth = 1TB/s\n", HLSIM_E_CONFIG,
		 "unknown_section.ini:1: unknown section '[hmb]' (did you mean '[hbm]'?)");
	BAD_FILE("duplicate", "[hbm]\nsize = 32GiB\n\n[sram]\nsize = 1MiB\n[hbm]\nsize = 16GiB\n",
		 HLSIM_E_CONFIG, "duplicate.ini:7: duplicate key 'hbm.size' (first set at line 2)");
	BAD_FILE("no_section", "size = 32GiB\n[hbm]\n", HLSIM_E_CONFIG,
		 "no_section.ini:1: key 'size' is outside any section");
	BAD_FILE("no_equals", "[hbm]\nsize 32GiB\n", HLSIM_E_CONFIG,
		 "no_equals.ini:2: expected '[section]' or 'key = value', got 'size 32GiB'");
	BAD_FILE("no_key", "[hbm]\n = 32GiB\n", HLSIM_E_CONFIG, "no_key.ini:2: missing key");
	BAD_FILE("no_value", "[hbm]\nsize = # nothing\n", HLSIM_E_CONFIG,
		 "no_value.ini:2: bad value '' for hbm.size: empty value");
	BAD_FILE("open_bracket", "[hbm\n", HLSIM_E_CONFIG,
		 "open_bracket.ini:1: section header without ']'");
	BAD_FILE("after_bracket", "[hbm] x\n", HLSIM_E_CONFIG,
		 "unexpected 'x' after the section header");
	BAD_FILE("empty_section", "[ ]\n", HLSIM_E_CONFIG, "empty section name");
	BAD_FILE("dotted_section", "[hbm.x]\n", HLSIM_E_CONFIG, "not allowed in section name");
	BAD_FILE("key_char", "[hbm]\nsi ze = 1\n", HLSIM_E_CONFIG,
		 "key_char.ini:2: character 0x20 is not allowed in key 'si ze'");
	BAD_FILE("hash_in_value", "[hbm]\nsize = 16GiB#x\n", HLSIM_E_CONFIG,
		 "hash_in_value.ini:2: bad value '16GiB#x' for hbm.size");
	BAD_FILE("bad_unit", "[hbm]\nbandwidth = 1TB\n", HLSIM_E_CONFIG,
		 "bad_unit.ini:2: bad value '1TB' for hbm.bandwidth: 'TB' is a size, not a "
		 "bandwidth (write TB/s); expected a bandwidth such as 2.45TB/s, 32GB/s, 100Gb/s");
	BAD_FILE("bad_time", "[sync]\nmsg_latency = 0.5ps\n", HLSIM_E_CONFIG,
		 "bad_time.ini:2: bad value '0.5ps' for sync.msg_latency: not a whole number of "
		 "picoseconds");
	/* rules after parsing: each names the key and where its value came from */
	BAD_FILE("zero_bw", "[hbm]\nbandwidth = 0TB/s\n", HLSIM_E_CONFIG,
		 "zero_bw.ini:2: bad value '0TB/s' for hbm.bandwidth: must be greater than 0");
	BAD_FILE("zero_size", "[sram]\nsize = 0\n", HLSIM_E_CONFIG,
		 "zero_size.ini:2: bad value '0' for sram.size: must be greater than 0");
	BAD_FILE("zero_clock", "[asic]\nclock = 0GHz\n", HLSIM_E_CONFIG,
		 "for asic.clock: must be greater");
	BAD_FILE("efficiency", "[pcie]\nefficiency = 1.5\n", HLSIM_E_CONFIG,
		 "efficiency.ini:2: bad value '1.5' for pcie.efficiency: must be in (0, 1]");
	BAD_FILE("efficiency0", "[pcie]\nefficiency = 0\n", HLSIM_E_CONFIG, "must be in (0, 1]");
	BAD_FILE("timing", "[host]\ntiming = later\n", HLSIM_E_CONFIG,
		 "timing.ini:2: bad value 'later' for host.timing: must be asap or trace");
	BAD_FILE("order", "[host]\norder = threads\n", HLSIM_E_CONFIG,
		 "order.ini:2: bad value 'threads' for host.order: must be device or program");
	BAD_FILE("asic", "[asic]\nname = tpu\n", HLSIM_E_CONFIG,
		 "asic.ini:2: bad value 'tpu' for asic.name: unknown ASIC 'tpu'");
	BAD_FILE("asic3", "[asic]\nname = gaudi3\n", HLSIM_E_CONFIG,
		 "asic3.ini:2: bad value 'gaudi3' for asic.name:");
	{
		hlsim_config_t *c = NULL;

		write_text("timing_trace.ini", "[host]\ntiming = trace\n[pcie]\nefficiency = 1\n");
		CHECK(load_named("timing_trace", &c) == HLSIM_OK);
		if (c)
			CHECK(!strcmp(hlsim_config_str(c, "host.timing"), "trace"));
		hlsim_config_free(c);
	}
}

static void test_set(void)
{
	hlsim_config_t *c = NULL;

	CHECK(hlsim_config_load(NULL, &c) == HLSIM_OK);
	if (!c)
		return;
	CHECK(hlsim_config_set(c, "hbm.bandwidth=2.45TB/s", NULL) == HLSIM_OK);
	CHECK(hlsim_config_f64(c, "hbm.bandwidth") == 2.45e12);
	CHECK(!strcmp(mdl_config_origin(c, "hbm.bandwidth"), "--set"));
	CHECK(hlsim_config_set(c, "  pcie.h2d_bandwidth = 100Gb/s ", "--set") == HLSIM_OK);
	CHECK(hlsim_config_f64(c, "pcie.h2d_bandwidth") == 12.5e9);
	CHECK(hlsim_config_set(c, "host.timing=trace", "sweep.txt:3") == HLSIM_OK);
	CHECK(!strcmp(hlsim_config_str(c, "host.timing"), "trace"));
	CHECK(!strcmp(mdl_config_origin(c, "host.timing"), "sweep.txt:3"));
	/* a later --set of the same key wins */
	CHECK(hlsim_config_set(c, "hbm.bandwidth=1.5TB/s", NULL) == HLSIM_OK);
	CHECK(hlsim_config_f64(c, "hbm.bandwidth") == 1.5e12);

	CHECK(hlsim_config_set(c, "hbm.bandwith=1TB/s", NULL) == HLSIM_E_CONFIG);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(),
			   "--set: unknown key 'hbm.bandwith' (did you mean 'hbm.bandwidth'?)");
	CHECK(hlsim_config_set(c, "hbm.size", NULL) == HLSIM_E_CONFIG);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "--set: expected key=value, got 'hbm.size'");
	CHECK(hlsim_config_set(c, "pcie.efficiency=2", NULL) == HLSIM_E_CONFIG);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(),
			   "--set: bad value '2' for pcie.efficiency: must be in (0, 1]");
	CHECK(hlsim_config_set(c, "hbm.bandwidth=1TB", NULL) == HLSIM_E_CONFIG);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "--set: bad value '1TB' for hbm.bandwidth");
	CHECK(hlsim_config_set(c, "sync.msg_latency=-1ns", "sweep.txt:4") == HLSIM_E_CONFIG);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "sweep.txt:4: bad value '-1ns'");
	CHECK(hlsim_config_set(c, "=1", NULL) == HLSIM_E_CONFIG);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "--set: unknown key ''");
	/* a failed --set leaves the value and its origin alone */
	CHECK(hlsim_config_f64(c, "hbm.bandwidth") == 1.5e12);
	CHECK(hlsim_config_f64(c, "pcie.efficiency") == 0.8);
	CHECK_STR_CONTAINS(mdl_config_origin(c, "pcie.efficiency"), "preset gaudi_hl205.ini:");
	hlsim_config_free(c);
}

/* The writer's output loads back to identical values, and is deterministic. */
static void test_write_round_trip(void)
{
	hlsim_config_t *c = NULL, *back = NULL, *d = NULL;
	char *text = NULL, *again = NULL, path[256];
	const struct hlsim_param *p;

	CHECK(hlsim_config_load(NULL, &c) == HLSIM_OK);
	if (!c)
		return;
	CHECK(hlsim_config_to_string(c, &text) == HLSIM_OK);
	if (!text)
		goto out;
	CHECK_STR_CONTAINS(text, "# hlsim configuration 'gaudi_hl205', resolved.");
	CHECK_STR_CONTAINS(text, "\n[hbm]\nbandwidth = 1TB/s");
	CHECK_STR_CONTAINS(text, "# bytes/s; preset gaudi_hl205.ini:");
	CHECK_STR_CONTAINS(text, "; Total HBM bandwidth shared by all engines");
	CHECK_STR_CONTAINS(text, "\nclock = 1.95GHz");
	CHECK_STR_CONTAINS(text, "\nsize = 32GiB");
	CHECK_STR_CONTAINS(text, "\nlower_cp_handoff = 50ns");
	CHECK_STR_CONTAINS(text, "\nefficiency = 0.8");
	CHECK(strstr(text, "[asic]") < strstr(text, "[cp]"));
	CHECK(strstr(text, "[sync]") < strstr(text, "[host]"));
	for (p = hlsim_config_params(); p->key; p++)
		CHECK_STR_CONTAINS(text, p->description);
	snprintf(path, sizeof(path), "%s/written.ini", scratch);
	write_text("written.ini", text);
	CHECK(hlsim_config_load(path, &back) == HLSIM_OK);
	if (back) {
		CHECK(same_values(c, back));
		hlsim_config_free(back);
		back = NULL;
	}
	CHECK(hlsim_config_to_string(c, &again) == HLSIM_OK);
	CHECK(again && !strcmp(text, again));

	/* awkward values: bits, binary units, fractions, odd sizes */
	CHECK(hlsim_config_set(c, "hbm.bandwidth=25GiB/s", NULL) == HLSIM_OK);
	CHECK(hlsim_config_set(c, "pcie.h2d_bandwidth=100Gb/s", NULL) == HLSIM_OK);
	CHECK(hlsim_config_set(c, "pcie.d2h_bandwidth=31.999999999999996GB/s", NULL) == HLSIM_OK);
	CHECK(hlsim_config_set(c, "pcie.efficiency=0.1", NULL) == HLSIM_OK);
	CHECK(hlsim_config_set(c, "asic.clock=1.0000000000000002GHz", NULL) == HLSIM_OK);
	CHECK(hlsim_config_set(c, "hbm.size=4097", NULL) == HLSIM_OK);
	CHECK(hlsim_config_set(c, "sram.latency=18446744073709551615ps", NULL) == HLSIM_OK);
	CHECK(hlsim_config_set(c, "cp.packet_cycles=0xFFFFFFFFFFFFFFFF", NULL) == HLSIM_OK);
	free(text);
	CHECK(hlsim_config_to_string(c, &text) == HLSIM_OK);
	if (!text)
		goto out;
	CHECK_STR_CONTAINS(text, "bandwidth = 26.8435456GB/s");
	CHECK_STR_CONTAINS(text, "h2d_bandwidth = 12.5GB/s");
	CHECK_STR_CONTAINS(text, "# bytes/s; --set; ");
	CHECK_STR_CONTAINS(text, "latency = 18446744.073709551615s");
	write_text("written2.ini", text);
	snprintf(path, sizeof(path), "%s/written2.ini", scratch);
	CHECK(hlsim_config_load(path, &back) == HLSIM_OK);
	if (back)
		CHECK(same_values(c, back));

	/* defaults write as "default" origins and load back too */
	CHECK(hlsim_config_defaults(&d) == HLSIM_OK);
	free(again);
	again = NULL;
	if (d) {
		CHECK(hlsim_config_to_string(d, &again) == HLSIM_OK);
		CHECK_STR_CONTAINS(again, "# Hz; default; Accelerator clock");
	}
out:
	free(text);
	free(again);
	hlsim_config_free(c);
	hlsim_config_free(back);
	hlsim_config_free(d);
}

static void test_params_print(void)
{
	const struct hlsim_param *p;
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	CHECK(f != NULL);
	if (!f)
		return;
	CHECK(mdl_config_params_print(f) == HLSIM_OK);
	fclose(f);
	for (p = hlsim_config_params(); p->key; p++) {
		CHECK_STR_CONTAINS(buf, p->key);
		CHECK_STR_CONTAINS(buf, p->description);
	}
	CHECK_STR_CONTAINS(buf, "bandwidth (bytes/s)");
	CHECK_STR_CONTAINS(buf, "time (ps)");
	free(buf);
}

/* Hostile files give an error, never a crash, a hang or a partial configuration. */
static void test_hostile(void)
{
	const size_t mib = 1024 * 1024;
	hlsim_config_t *c = NULL;
	uint64_t s = 12345;
	char *big;
	size_t i;
	int k;

	big = malloc(2 * mib);
	CHECK(big != NULL);
	if (!big)
		return;
	/* 2 MiB of valid comment lines: too large */
	for (i = 0; i < 2 * mib; i++)
		big[i] = (i % 64 == 63) ? '\n' : '#';
	write_bytes("huge.ini", big, 2 * mib);
	CHECK(load_named("huge", &c) == HLSIM_E_CONFIG);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "huge.ini: file is larger than 1 MiB");
	/* exactly 1 MiB is allowed */
	write_bytes("onemib.ini", big, mib);
	CHECK(load_named("onemib", &c) == HLSIM_OK);
	hlsim_config_free(c);
	c = NULL;

	write_bytes("nul.ini", "[hbm]\nsize = 1\0GiB\n", 19);
	CHECK(load_named("nul", &c) == HLSIM_E_CONFIG);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "nul.ini:2: NUL byte at byte offset 14");

	/* a 4096-byte line is allowed, 4097 and 5000 are not */
	memset(big, '#', 5000);
	big[4096] = '\n';
	write_bytes("line4096.ini", big, 4097);
	CHECK(load_named("line4096", &c) == HLSIM_OK);
	hlsim_config_free(c);
	c = NULL;
	big[4096] = '#';
	big[4097] = '\n';
	write_bytes("line4097.ini", big, 4098);
	CHECK(load_named("line4097", &c) == HLSIM_E_CONFIG);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(),
			   "line4097.ini:1: line of 4097 bytes is longer than 4096");
	memcpy(big, "[hbm]\n", 6);
	memset(big + 6, '#', 5000);
	big[5006] = '\n';
	write_bytes("line5000.ini", big, 5007);
	CHECK(load_named("line5000", &c) == HLSIM_E_CONFIG);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "line5000.ini:2: line of");

	/* random bytes, and random text made of the characters the syntax uses */
	for (k = 0; k < 200; k++) {
		static const char alphabet[] = "[]=#; \t\n.abhmsz0123456789xkGTiB/s-e\r";
		size_t n = 1 + (size_t)((s >> 33) % 4096);
		hlsim_err_t rc;

		for (i = 0; i < n; i++) {
			s = s * 6364136223846793005ULL + 1442695040888963407ULL;
			big[i] = k % 2 ? (char)(s >> 56)
				       : alphabet[(s >> 40) % (sizeof(alphabet) - 1)];
		}
		write_bytes("random.ini", big, n);
		c = NULL;
		rc = load_named("random", &c);
		CHECK(rc == HLSIM_OK || rc == HLSIM_E_CONFIG);
		CHECK((rc == HLSIM_OK) == (c != NULL));
		CHECK(rc == HLSIM_OK || hlsim_last_error_detail()[0] != '\0');
		hlsim_config_free(c);
	}
	free(big);
}

/* The getters' contract: an undeclared key or a wrong type is a bug that aborts. */
static void test_getter_contract(void)
{
	hlsim_config_t *c = NULL;
	int i;

	CHECK(hlsim_config_defaults(&c) == HLSIM_OK);
	if (!c)
		return;
	for (i = 0; i < 3; i++) {
		pid_t pid;
		int status = 0;

		fflush(NULL);
		pid = fork();
		if (pid == 0) {
			if (!freopen("/dev/null", "w", stderr))
				_exit(2);
			if (i == 0)
				hlsim_config_u64(c, "hbm.nope");
			else if (i == 1)
				hlsim_config_u64(c, "hbm.bandwidth");
			else
				hlsim_config_str(c, "hbm.size");
			_exit(0);
		}
		CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
		CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
	}
	hlsim_config_free(c);
}

/* remove_scratch - delete the scratch directory and the plain files the tests wrote in it. */
static void remove_scratch(void)
{
	DIR *d = opendir(scratch);
	struct dirent *de;
	char path[512];

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", scratch, de->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(scratch);
}

int main(void)
{
	snprintf(scratch, sizeof(scratch), "/tmp/hlsim_test_config_XXXXXX");
	if (!mkdtemp(scratch)) {
		perror("mkdtemp");
		return 1;
	}
	setenv("HLSIM_CONFIG_DIR", scratch, 1);

	test_declarations();
	test_shipped_preset();
	test_lookup();
	test_syntax();
	test_errors();
	test_set();
	test_write_round_trip();
	test_params_print();
	test_hostile();
	test_getter_contract();

	remove_scratch();
	return check_summary();
}
