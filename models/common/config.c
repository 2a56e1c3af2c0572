/*
 * models/common/config.c - configuration as data: the INI reader, value units,
 * storage, getters and the writer of a resolved configuration.
 *
 * A configuration starts from the declared defaults (models/common/params.c), then a
 * preset INI file is applied, then `--set key=value` overrides. Every value keeps the
 * origin it came from ("default", "preset FILE:LINE", "--set") for the writer.
 *
 * INI syntax: `[section]` headers, `key = value` lines, `#` and `;` comments (whole
 * line, or after a blank inside a line), blank lines, optional CRLF line ends and a
 * UTF-8 byte-order mark. The full key is `section.key`. Rejected with HLSIM_E_CONFIG
 * and "FILE:LINE: ...": lines over MDL_CONFIG_MAX_LINE_BYTES, files over
 * MDL_CONFIG_MAX_FILE_BYTES, NUL bytes, unknown sections and keys (with the closest
 * declared name by edit distance), duplicate keys in one file, keys before any
 * section, bad values and units.
 *
 * Values are stored in SI base units. Integers (U64, BYTES, TIME) are computed exactly
 * from the decimal text in integer arithmetic: "1.5us" is 1500000 ps, "0.5ps" is an
 * error, not a rounding. Reals (F64, FREQ, BANDWIDTH) are converted once: the scanned
 * digits with the unit's power of ten folded into the exponent ("2.45TB/s" ->
 * "2.45e12") go through strtod(), binary prefixes (2^10k) and bits (/8) are then
 * applied exactly. Locale: the number grammar is scanned by hand (ASCII digits, '.',
 * exponent), and strtod() and the "%e" formatting of reals run under a "C" locale
 * installed for the calling thread only with uselocale(), so a program's setlocale()
 * (a comma as decimal separator, say) changes neither parsing nor output.
 *
 * The writer prints every value in a canonical form that parses back to the same
 * value: integers exactly ("1.5us", "20MiB"), reals as the shortest decimal that
 * strtod() maps back to the same double, with the decimal unit chosen by its
 * exponent ("12.5GB/s", "1.95GHz").
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hlsim/config.h"
#include "models/common/asic.h"
#include "models/common/config_int.h"

#define DEFAULT_PRESET "gaudi_hl205"
#define QUOTE_MAX 80	   /* bytes of user text shown in one error message */
#define NUM_MAX_DIGITS 800 /* digits in one real number (more is not a real value) */
#define EXP_LIMIT 100000L  /* |exponent| beyond this is out of range for every type */
#define KEY_MAX 128	   /* declared keys and sections are shorter than this */

/* ==== characters (ASCII only, never <ctype.h>, whose answers depend on the locale) ==== */

static int is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

static int is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

static int is_alnum(char ch)
{
	return is_digit(ch) || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

/* Characters of a STR word, a key name and a preset name: [A-Za-z0-9_.-]. */
static int is_word_char(char ch)
{
	return is_alnum(ch) || ch == '_' || ch == '.' || ch == '-';
}

static char ascii_lower(char ch)
{
	return (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
}

static int ascii_caseeq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (ascii_lower(*a) != ascii_lower(*b))
			return 0;
	return *a == *b;
}

static char *skip_blanks(char *s)
{
	while (is_blank(*s))
		s++;
	return s;
}

static void rtrim(char *s)
{
	size_t n = strlen(s);

	while (n && is_blank(s[n - 1]))
		s[--n] = '\0';
}

/*
 * quote - @n bytes of @s made printable for an error message into @buf: bytes outside
 * 0x20..0x7e become \xNN, and text longer than QUOTE_MAX is cut with "...".
 */
static const char *quote(const char *s, size_t n, char *buf, size_t cap)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, o = 0;

	for (i = 0; i < n && o + 8 < cap; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (i >= QUOTE_MAX) {
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		if (ch >= 0x20 && ch < 0x7f && ch != '\\') {
			buf[o++] = (char)ch;
		} else {
			buf[o++] = '\\';
			buf[o++] = 'x';
			buf[o++] = hex[ch >> 4];
			buf[o++] = hex[ch & 15];
		}
	}
	buf[o] = '\0';
	return buf;
}

/* ==== the "C" locale for this thread ==== */

struct c_locale {
	locale_t loc; /* the "C" locale object */
	locale_t old; /* what uselocale() had before (possibly LC_GLOBAL_LOCALE) */
};

static int c_locale_enter(struct c_locale *cl)
{
	cl->loc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	if (!cl->loc)
		return -1;
	cl->old = uselocale(cl->loc);
	return 0;
}

static void c_locale_leave(struct c_locale *cl)
{
	uselocale(cl->old);
	freelocale(cl->loc);
}

/* ==== units ==== */

/**
 * struct unit - one unit suffix. The factor to base units is 10^@pow10 * 2^@pow2,
 * then divided by 8 if @bits.
 */
struct unit {
	const char *name;
	int pow10;
	int pow2;
	int bits;
};

static const struct unit bytes_units[] = {
	{ "B", 0, 0, 0 },    { "kB", 3, 0, 0 },	  { "MB", 6, 0, 0 },
	{ "GB", 9, 0, 0 },   { "TB", 12, 0, 0 },  { "KiB", 0, 10, 0 },
	{ "MiB", 0, 20, 0 }, { "GiB", 0, 30, 0 }, { "TiB", 0, 40, 0 },
};

/* The order mdl_config_format_value() tries for BYTES: largest factor first. */
static const struct unit bytes_canonical[] = {
	{ "TiB", 0, 40, 0 }, { "TB", 12, 0, 0 }, { "GiB", 0, 30, 0 }, { "GB", 9, 0, 0 },
	{ "MiB", 0, 20, 0 }, { "MB", 6, 0, 0 },	 { "KiB", 0, 10, 0 }, { "kB", 3, 0, 0 },
};

static const struct unit freq_units[] = {
	{ "Hz", 0, 0, 0 },  { "kHz", 3, 0, 0 },	 { "MHz", 6, 0, 0 },
	{ "GHz", 9, 0, 0 }, { "THz", 12, 0, 0 },
};

static const struct unit time_units[] = {
	{ "ps", 0, 0, 0 }, { "ns", 3, 0, 0 }, { "us", 6, 0, 0 },
	{ "ms", 9, 0, 0 }, { "s", 12, 0, 0 },
};

static const struct unit bandwidth_units[] = {
	{ "B/s", 0, 0, 0 },    { "kB/s", 3, 0, 0 },   { "MB/s", 6, 0, 0 },   { "GB/s", 9, 0, 0 },
	{ "TB/s", 12, 0, 0 },  { "KiB/s", 0, 10, 0 }, { "MiB/s", 0, 20, 0 }, { "GiB/s", 0, 30, 0 },
	{ "TiB/s", 0, 40, 0 }, { "b/s", 0, 0, 1 },    { "kb/s", 3, 0, 1 },   { "Mb/s", 6, 0, 1 },
	{ "Gb/s", 9, 0, 1 },   { "Tb/s", 12, 0, 1 },
};

/* The units mdl_config_format_value() writes for BANDWIDTH (decimal bytes per second). */
static const struct unit bandwidth_canonical[] = {
	{ "B/s", 0, 0, 0 },  { "kB/s", 3, 0, 0 },  { "MB/s", 6, 0, 0 },
	{ "GB/s", 9, 0, 0 }, { "TB/s", 12, 0, 0 },
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/**
 * struct type_info - how the values of one type are written.
 * @units: the unit suffixes it accepts (NULL: a plain number only).
 * @unit_required: a number without a unit is an error.
 * @expected: the "expected ..." part of an error message.
 */
struct type_info {
	const struct unit *units;
	size_t n_units;
	int unit_required;
	const char *expected;
};

static const struct type_info type_info[] = {
	[HLSIM_PARAM_U64] = { NULL, 0, 0,
			      "an unsigned integer such as 8 or 0xFF "
			      "(at most 18446744073709551615)" },
	[HLSIM_PARAM_F64] = { NULL, 0, 0, "a finite non-negative real number such as 0.85" },
	[HLSIM_PARAM_BOOL] = { NULL, 0, 0, "true/false, yes/no, on/off or 1/0" },
	[HLSIM_PARAM_STR] = { NULL, 0, 0, "a word of letters, digits, '_', '.' and '-'" },
	[HLSIM_PARAM_BYTES] = { bytes_units, ARRAY_SIZE(bytes_units), 0,
				"a size such as 4096, 64KiB, 20MiB, 32GB" },
	[HLSIM_PARAM_FREQ] = { freq_units, ARRAY_SIZE(freq_units), 1,
			       "a frequency such as 1.95GHz, 450MHz, 1000Hz" },
	[HLSIM_PARAM_TIME] = { time_units, ARRAY_SIZE(time_units), 1,
			       "a time such as 100ns, 1.5us, 2ms, 250ps" },
	[HLSIM_PARAM_BANDWIDTH] = { bandwidth_units, ARRAY_SIZE(bandwidth_units), 1,
				    "a bandwidth such as 2.45TB/s, 32GB/s, 100Gb/s" },
};
_Static_assert(ARRAY_SIZE(type_info) == HLSIM_PARAM_BANDWIDTH + 1, "one row per parameter type");

static const struct type_info *info_of(enum hlsim_param_type type)
{
	if ((unsigned)type >= ARRAY_SIZE(type_info))
		return NULL;
	return &type_info[type];
}

static const struct unit *unit_find(const struct unit *units, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(units[i].name, name))
			return &units[i];
	return NULL;
}

/* unit_reason - why @name is not a unit of @type, with a hint where one helps. */
static void unit_reason(enum hlsim_param_type type, const char *name, char *reason, size_t cap)
{
	const struct type_info *ti = info_of(type);
	char q[QUOTE_MAX * 4 + 8], list[256];
	const struct unit *size_unit;
	size_t i, o = 0;

	quote(name, strlen(name), q, sizeof(q));
	list[0] = '\0';
	for (i = 0; i < ti->n_units && o < sizeof(list); i++)
		o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s", i ? ", " : "",
				      ti->units[i].name);
	size_unit = unit_find(bytes_units, ARRAY_SIZE(bytes_units), name);
	if (type == HLSIM_PARAM_BANDWIDTH && size_unit) {
		snprintf(reason, cap, "'%s' is a size, not a bandwidth (write %s/s)",
			 size_unit->name, size_unit->name);
		return;
	}
	if (type == HLSIM_PARAM_BYTES &&
	    unit_find(bandwidth_units, ARRAY_SIZE(bandwidth_units), name)) {
		snprintf(reason, cap, "'%s' is a bandwidth, not a size", q);
		return;
	}
	if (type == HLSIM_PARAM_FREQ || type == HLSIM_PARAM_TIME) {
		/* case carries no meaning among these units, so a case-folded match is a hint */
		for (i = 0; i < ti->n_units; i++) {
			if (ascii_caseeq(ti->units[i].name, name)) {
				snprintf(reason, cap, "unknown unit '%s' (did you mean '%s'?)", q,
					 ti->units[i].name);
				return;
			}
		}
	}
	snprintf(reason, cap, "unknown unit '%s' (units: %s)", q, list);
}

/* ==== numbers ==== */

/**
 * struct num - a scanned decimal number DIGITS ['.' DIGITS] [('e'|'E') [+-] DIGITS].
 * @int_s, @int_n: the integer digits.
 * @frac_s, @frac_n: the fractional digits (@frac_n 0 if none).
 * @exp: the exponent, clamped to +-(EXP_LIMIT + 1).
 */
struct num {
	const char *int_s;
	size_t int_n;
	const char *frac_s;
	size_t frac_n;
	long exp;
};

enum num_err {
	NUM_OK = 0,
	NUM_NOT_WHOLE, /* not a whole number of base units */
	NUM_RANGE,     /* too large (or, for reals, too small) */
	NUM_DIGITS,    /* too many significant digits to compute exactly */
};

/* scan_number - match a number at @s; returns the bytes it spans, 0 if none. */
static size_t scan_number(const char *s, struct num *n)
{
	const char *p = s;

	memset(n, 0, sizeof(*n));
	n->int_s = p;
	while (is_digit(*p))
		p++;
	n->int_n = (size_t)(p - s);
	if (!n->int_n)
		return 0;
	if (*p == '.' && is_digit(p[1])) {
		n->frac_s = ++p;
		while (is_digit(*p))
			p++;
		n->frac_n = (size_t)(p - n->frac_s);
	}
	if ((*p == 'e' || *p == 'E') &&
	    (is_digit(p[1]) || ((p[1] == '+' || p[1] == '-') && is_digit(p[2])))) {
		int neg = 0;
		long e = 0;

		p++;
		if (*p == '+' || *p == '-')
			neg = *p++ == '-';
		for (; is_digit(*p); p++)
			if (e <= EXP_LIMIT)
				e = e * 10 + (*p - '0');
		n->exp = neg ? -e : e;
	}
	return (size_t)(p - s);
}

/*
 * num_to_u64 - the exact value of @n times 2^@pow2 * 10^@pow10, which must be a
 * whole number that fits in 64 bits. Trailing fractional zeros are dropped first, so
 * "1.50us" is fine. The significant digits (at most 38) are kept in 128 bits, so
 * "18446744.073709551616s" is found out of range rather than too long.
 */
static enum num_err num_to_u64(const struct num *n, int pow2, int pow10, uint64_t *out)
{
	const unsigned __int128 max128 = ~(unsigned __int128)0;
	unsigned __int128 m = 0, p5;
	size_t frac_n = n->frac_n, i;
	long t, k;

	while (frac_n && n->frac_s[frac_n - 1] == '0')
		frac_n--;
	for (i = 0; i < n->int_n + frac_n; i++) {
		unsigned d =
			(unsigned)((i < n->int_n ? n->int_s[i] : n->frac_s[i - n->int_n]) - '0');

		if (m > (max128 - d) / 10)
			return NUM_DIGITS;
		m = m * 10 + d;
	}
	if (!m) {
		*out = 0;
		return NUM_OK;
	}
	/* value = m * 2^pow2 * 10^t */
	t = pow10 - ((long)frac_n - n->exp);
	if (t >= 0) {
		for (; t > 0; t--) {
			if (m > UINT64_MAX)
				return NUM_RANGE;
			m *= 10;
		}
		if (m > (UINT64_MAX >> pow2))
			return NUM_RANGE;
		*out = (uint64_t)(m << pow2);
		return NUM_OK;
	}
	/* divide by 10^k = 5^k * 2^k: m must hold 5^k, and m * 2^pow2 must hold 2^k */
	k = -t;
	if (k > 55) /* then 5^k > 2^128 > m */
		return NUM_NOT_WHOLE;
	for (p5 = 1; k > 0; k--)
		p5 *= 5;
	if (m % p5)
		return NUM_NOT_WHOLE;
	m /= p5;
	k = -t - pow2; /* powers of two still to divide out */
	if (k <= 0) {
		if (m > (UINT64_MAX >> -k))
			return NUM_RANGE;
		*out = (uint64_t)(m << -k);
		return NUM_OK;
	}
	if (k >= 128 || (m & (((unsigned __int128)1 << k) - 1)))
		return NUM_NOT_WHOLE;
	m >>= k;
	if (m > UINT64_MAX)
		return NUM_RANGE;
	*out = (uint64_t)m;
	return NUM_OK;
}

/*
 * num_to_f64 - @n times 10^@pow10 as the nearest double. Must run under the "C"
 * locale (c_locale_enter()): the digits are handed to strtod() as "D.DeX".
 */
static enum num_err num_to_f64(const struct num *n, int pow10, double *out)
{
	char buf[NUM_MAX_DIGITS + 32], *end;
	size_t o = 0;
	double v;

	if (n->int_n + n->frac_n > NUM_MAX_DIGITS)
		return NUM_DIGITS;
	memcpy(buf, n->int_s, n->int_n);
	o = n->int_n;
	if (n->frac_n) {
		buf[o++] = '.';
		memcpy(buf + o, n->frac_s, n->frac_n);
		o += n->frac_n;
	}
	o += (size_t)snprintf(buf + o, sizeof(buf) - o, "e%ld", n->exp + pow10);
	errno = 0;
	v = strtod(buf, &end);
	if (end != buf + o || errno == ERANGE || !isfinite(v))
		return NUM_RANGE;
	*out = v;
	return NUM_OK;
}

/* parse_u64_text - decimal or 0x hex, with an overflow check. */
static int parse_u64_text(const char *s, uint64_t *out, char *reason, size_t cap)
{
	uint64_t v = 0;
	const char *p;

	if ((s[0] == '0') && (s[1] == 'x' || s[1] == 'X')) {
		if (!s[2]) {
			snprintf(reason, cap, "no hex digits after 0x");
			return -1;
		}
		for (p = s + 2; *p; p++) {
			unsigned d;

			if (is_digit(*p))
				d = (unsigned)(*p - '0');
			else if (ascii_lower(*p) >= 'a' && ascii_lower(*p) <= 'f')
				d = (unsigned)(ascii_lower(*p) - 'a' + 10);
			else
				goto bad;
			if (v > (UINT64_MAX >> 4)) {
				snprintf(reason, cap, "out of range (more than 64 bits)");
				return -1;
			}
			v = (v << 4) | d;
		}
		*out = v;
		return 0;
	}
	if (!is_digit(*s))
		goto bad;
	for (p = s; *p; p++) {
		unsigned d;

		if (!is_digit(*p))
			goto bad;
		d = (unsigned)(*p - '0');
		if (v > (UINT64_MAX - d) / 10) {
			snprintf(reason, cap, "out of range (more than 18446744073709551615)");
			return -1;
		}
		v = v * 10 + d;
	}
	*out = v;
	return 0;
bad:
	if (s[0] == '-')
		snprintf(reason, cap, "negative values are not allowed");
	else
		snprintf(reason, cap, "not an integer");
	return -1;
}

static int parse_bool_text(const char *s, uint64_t *out)
{
	static const char *const yes[] = { "true", "yes", "on", "1" };
	static const char *const no[] = { "false", "no", "off", "0" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(yes); i++) {
		if (ascii_caseeq(s, yes[i])) {
			*out = 1;
			return 0;
		}
		if (ascii_caseeq(s, no[i])) {
			*out = 0;
			return 0;
		}
	}
	return -1;
}

/*
 * parse_quantity - a number with an optional unit for BYTES, TIME, FREQ, BANDWIDTH
 * and F64. Returns 0, or -1 with @reason set.
 */
static int parse_quantity(enum hlsim_param_type type, const char *text, struct mdl_config_value *v,
			  char *reason, size_t cap)
{
	const struct type_info *ti = info_of(type);
	static const struct unit none = { "", 0, 0, 0 };
	const struct unit *u = &none;
	const char *rest;
	struct c_locale cl;
	enum num_err e;
	struct num n;
	size_t len;

	if (text[0] == '-') {
		snprintf(reason, cap, "negative values are not allowed");
		return -1;
	}
	len = scan_number(text, &n);
	if (!len) {
		snprintf(reason, cap, "%s", text[0] ? "not a number" : "empty value");
		return -1;
	}
	rest = text + len;
	while (is_blank(*rest))
		rest++;
	if (*rest) {
		if (!ti->units) {
			char q[QUOTE_MAX * 4 + 8];

			snprintf(reason, cap, "unexpected '%s' after the number (no unit here)",
				 quote(rest, strlen(rest), q, sizeof(q)));
			return -1;
		}
		u = unit_find(ti->units, ti->n_units, rest);
		if (!u) {
			unit_reason(type, rest, reason, cap);
			return -1;
		}
	} else if (ti->unit_required) {
		snprintf(reason, cap, "missing unit");
		return -1;
	}

	if (type == HLSIM_PARAM_BYTES || type == HLSIM_PARAM_TIME) {
		e = num_to_u64(&n, u->pow2, u->pow10, &v->u64);
	} else {
		if (c_locale_enter(&cl)) {
			snprintf(reason, cap, "cannot create the C locale to read a real number");
			return -1;
		}
		e = num_to_f64(&n, u->pow10, &v->f64);
		c_locale_leave(&cl);
		if (e == NUM_OK) {
			v->f64 = ldexp(v->f64, u->pow2);
			if (u->bits)
				v->f64 /= 8;
			if (!isfinite(v->f64))
				e = NUM_RANGE;
		}
	}
	switch (e) {
	case NUM_OK:
		return 0;
	case NUM_NOT_WHOLE:
		snprintf(reason, cap, "not a whole number of %s",
			 type == HLSIM_PARAM_TIME ? "picoseconds" : "bytes");
		return -1;
	case NUM_RANGE:
		snprintf(reason, cap, "out of range");
		return -1;
	case NUM_DIGITS:
		snprintf(reason, cap, "too many significant digits");
		return -1;
	}
	snprintf(reason, cap, "not a number");
	return -1;
}

static int parse_word(const char *s, char *reason, size_t cap)
{
	const char *p;

	if (!*s) {
		snprintf(reason, cap, "empty value");
		return -1;
	}
	for (p = s; *p; p++) {
		if (!is_word_char(*p)) {
			snprintf(reason, cap, "character 0x%02x is not allowed in a word",
				 (unsigned)(unsigned char)*p);
			return -1;
		}
	}
	return 0;
}

hlsim_err_t mdl_config_parse_value(enum hlsim_param_type type, const char *text, const char *where,
				   const char *key, struct mdl_config_value *out)
{
	const struct type_info *ti = info_of(type);
	char reason[1024], q[QUOTE_MAX * 4 + 8];
	int bad = 0;

	memset(out, 0, sizeof(*out));
	reason[0] = '\0';
	if (!ti)
		return hlsim_error(HLSIM_E_INVAL, "unknown parameter type %d", (int)type);
	switch (type) {
	case HLSIM_PARAM_U64:
		bad = parse_u64_text(text, &out->u64, reason, sizeof(reason));
		break;
	case HLSIM_PARAM_BOOL:
		bad = parse_bool_text(text, &out->u64);
		if (bad)
			snprintf(reason, sizeof(reason), "not a boolean");
		break;
	case HLSIM_PARAM_STR:
		bad = parse_word(text, reason, sizeof(reason));
		out->str = text;
		break;
	case HLSIM_PARAM_F64:
	case HLSIM_PARAM_BYTES:
	case HLSIM_PARAM_FREQ:
	case HLSIM_PARAM_TIME:
	case HLSIM_PARAM_BANDWIDTH:
		bad = parse_quantity(type, text, out, reason, sizeof(reason));
		break;
	}
	if (!bad)
		return HLSIM_OK;
	quote(text, strlen(text), q, sizeof(q));
	return hlsim_error(HLSIM_E_CONFIG, "%s%sbad value '%s'%s%s: %s; expected %s",
			   where ? where : "", where ? ": " : "", q, key ? " for " : "",
			   key ? key : "", reason, ti->expected);
}

/* ==== canonical output ==== */

/* emit - append to a bounded buffer, keeping track of the length a full one would have. */
struct emit {
	char *buf;
	size_t cap;
	size_t len;
};

static void emit_str(struct emit *e, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++, e->len++)
		if (e->len + 1 < e->cap)
			e->buf[e->len] = s[i];
	if (e->cap)
		e->buf[e->len < e->cap ? e->len : e->cap - 1] = '\0';
}

static void emit_cstr(struct emit *e, const char *s)
{
	emit_str(e, s, strlen(s));
}

static void emit_zeros(struct emit *e, long count)
{
	for (; count > 0; count--)
		emit_str(e, "0", 1);
}

static void emit_u64(struct emit *e, uint64_t v)
{
	char tmp[24];

	snprintf(tmp, sizeof(tmp), "%" PRIu64, v);
	emit_cstr(e, tmp);
}

/*
 * real_digits - the shortest decimal digits D1 D2 .. Dn and exponent X with
 * v == D1.D2..Dn * 10^X after strtod() (17 digits if the "C" locale is unavailable,
 * which always round-trips). @v is finite and non-zero. The digits are read from
 * "%e" output skipping any non-digit, so the locale's decimal separator never leaks.
 */
static void real_digits(double v, char dig[24], size_t *n_dig, long *exp10)
{
	char tmp[48], *p;
	struct c_locale cl;
	int have_c = !c_locale_enter(&cl), prec;
	size_t n = 0;
	long e = 0;
	int neg = 0;

	for (prec = have_c ? 1 : 17; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, v);
		if (!have_c || strtod(tmp, NULL) == v)
			break;
	}
	if (have_c)
		c_locale_leave(&cl);
	for (p = tmp; *p && *p != 'e' && *p != 'E'; p++)
		if (is_digit(*p) && n < 23)
			dig[n++] = *p;
	if (*p) {
		p++;
		if (*p == '+' || *p == '-')
			neg = *p++ == '-';
		for (; is_digit(*p); p++)
			e = e * 10 + (*p - '0');
	}
	while (n > 1 && dig[n - 1] == '0')
		n--;
	dig[n] = '\0';
	*n_dig = n;
	*exp10 = neg ? -e : e;
}

/*
 * emit_real - @v in the largest of @units (decimal, ordered by pow10) whose power of
 * ten does not exceed the value's, as a plain decimal, or D.De<X> when that would need
 * more than 6 leading or 20 trailing zeros.
 */
static void emit_real(struct emit *e, double v, const struct unit *units, size_t n_units)
{
	const char *unit_name = n_units ? units[0].name : "";
	char dig[24];
	size_t n_dig, i;
	long exp10, rel, k;
	int pow10 = 0;

	if (v == 0) {
		emit_cstr(e, "0");
		emit_cstr(e, unit_name);
		return;
	}
	if (v < 0) {
		emit_cstr(e, "-");
		v = -v;
	}
	real_digits(v, dig, &n_dig, &exp10);
	for (i = 0; i < n_units; i++) {
		if (units[i].pow10 <= exp10) {
			pow10 = units[i].pow10;
			unit_name = units[i].name;
		}
	}
	rel = exp10 - pow10;
	if (rel < -6 || rel > 20) {
		char tmp[24];

		emit_str(e, dig, 1);
		if (n_dig > 1) {
			emit_cstr(e, ".");
			emit_str(e, dig + 1, n_dig - 1);
		}
		snprintf(tmp, sizeof(tmp), "e%ld", rel);
		emit_cstr(e, tmp);
	} else if (rel >= 0) {
		k = rel + 1; /* digits before the point */
		if ((size_t)k >= n_dig) {
			emit_str(e, dig, n_dig);
			emit_zeros(e, k - (long)n_dig);
		} else {
			emit_str(e, dig, (size_t)k);
			emit_cstr(e, ".");
			emit_str(e, dig + k, n_dig - (size_t)k);
		}
	} else {
		emit_cstr(e, "0.");
		emit_zeros(e, -rel - 1);
		emit_str(e, dig, n_dig);
	}
	emit_cstr(e, unit_name);
}

static void emit_time(struct emit *e, uint64_t ps)
{
	uint64_t factor = 1, f;
	size_t i, best = 0;
	char frac[16];
	int j, w;

	for (i = 0; i < ARRAY_SIZE(time_units); i++) {
		for (f = 1, j = 0; j < time_units[i].pow10; j++)
			f *= 10;
		if (ps >= f) {
			best = i;
			factor = f;
		}
	}
	emit_u64(e, ps / factor);
	if (ps % factor) {
		w = time_units[best].pow10;
		snprintf(frac, sizeof(frac), "%0*" PRIu64, w, ps % factor);
		while (w > 0 && frac[w - 1] == '0')
			frac[--w] = '\0';
		emit_cstr(e, ".");
		emit_cstr(e, frac);
	}
	emit_cstr(e, time_units[best].name);
}

static void emit_bytes(struct emit *e, uint64_t bytes)
{
	size_t i;
	int j;

	if (bytes) {
		for (i = 0; i < ARRAY_SIZE(bytes_canonical); i++) {
			uint64_t f = (uint64_t)1 << bytes_canonical[i].pow2;

			for (j = 0; j < bytes_canonical[i].pow10; j++)
				f *= 10;
			if (bytes % f == 0) {
				emit_u64(e, bytes / f);
				emit_cstr(e, bytes_canonical[i].name);
				return;
			}
		}
	}
	emit_u64(e, bytes);
}

size_t mdl_config_format_value(enum hlsim_param_type type, const struct mdl_config_value *v,
			       char *buf, size_t cap)
{
	struct emit e = { buf, cap, 0 };

	if (cap)
		buf[0] = '\0';
	switch (type) {
	case HLSIM_PARAM_U64:
		emit_u64(&e, v->u64);
		break;
	case HLSIM_PARAM_F64:
		emit_real(&e, v->f64, NULL, 0);
		break;
	case HLSIM_PARAM_BOOL:
		emit_cstr(&e, v->u64 ? "true" : "false");
		break;
	case HLSIM_PARAM_STR:
		emit_cstr(&e, v->str ? v->str : "");
		break;
	case HLSIM_PARAM_BYTES:
		emit_bytes(&e, v->u64);
		break;
	case HLSIM_PARAM_FREQ:
		emit_real(&e, v->f64, freq_units, ARRAY_SIZE(freq_units));
		break;
	case HLSIM_PARAM_TIME:
		emit_time(&e, v->u64);
		break;
	case HLSIM_PARAM_BANDWIDTH:
		emit_real(&e, v->f64, bandwidth_canonical, ARRAY_SIZE(bandwidth_canonical));
		break;
	}
	return e.len < cap ? e.len : (cap ? cap - 1 : 0);
}

/* ==== per-key rules, checked on every value however it was given ==== */

static int rule_fraction(const struct mdl_config_value *v, char *reason, size_t cap)
{
	if (v->f64 > 0 && v->f64 <= 1)
		return 0;
	snprintf(reason, cap, "must be in (0, 1], a fraction of the raw bandwidth");
	return -1;
}

static int rule_host_timing(const struct mdl_config_value *v, char *reason, size_t cap)
{
	if (!strcmp(v->str, "asap") || !strcmp(v->str, "trace"))
		return 0;
	snprintf(reason, cap, "must be asap or trace");
	return -1;
}

static int rule_host_order(const struct mdl_config_value *v, char *reason, size_t cap)
{
	if (!strcmp(v->str, "device") || !strcmp(v->str, "program"))
		return 0;
	snprintf(reason, cap, "must be device or program");
	return -1;
}

static int rule_asic_name(const struct mdl_config_value *v, char *reason, size_t cap)
{
	const struct mdl_asic_funcs *funcs;

	if (mdl_asic_by_name(v->str, &funcs) == HLSIM_OK)
		return 0;
	/* copy the detail now: the caller's hlsim_error() rewrites that buffer */
	snprintf(reason, cap, "%s", hlsim_last_error_detail());
	return -1;
}

static const struct key_rule {
	const char *key;
	int (*check)(const struct mdl_config_value *v, char *reason, size_t cap);
} key_rules[] = {
	{ "asic.name", rule_asic_name },
	{ "pcie.efficiency", rule_fraction },
	{ "host.timing", rule_host_timing },
	{ "host.order", rule_host_order },
};

/*
 * check_value - the rules beyond syntax: zero is meaningless for every size, clock
 * and bandwidth, and some keys have their own rule above.
 */
static hlsim_err_t check_value(const struct hlsim_param *p, const struct mdl_config_value *v,
			       const char *text, const char *where)
{
	char reason[1024], q[QUOTE_MAX * 4 + 8];
	size_t i;
	int bad = 0;

	switch (p->type) {
	case HLSIM_PARAM_BYTES:
		bad = v->u64 == 0;
		break;
	case HLSIM_PARAM_FREQ:
	case HLSIM_PARAM_BANDWIDTH:
		bad = !(v->f64 > 0);
		break;
	case HLSIM_PARAM_U64:
	case HLSIM_PARAM_F64:
	case HLSIM_PARAM_BOOL:
	case HLSIM_PARAM_STR:
	case HLSIM_PARAM_TIME:
		break;
	}
	if (bad)
		snprintf(reason, sizeof(reason), "must be greater than 0");
	for (i = 0; !bad && i < ARRAY_SIZE(key_rules); i++)
		if (!strcmp(key_rules[i].key, p->key))
			bad = key_rules[i].check(v, reason, sizeof(reason));
	if (!bad)
		return HLSIM_OK;
	quote(text, strlen(text), q, sizeof(q));
	return hlsim_error(HLSIM_E_CONFIG, "%s: bad value '%s' for %s: %s", where, q, p->key,
			   reason);
}

/* ==== the configuration object ==== */

/**
 * struct cfg_slot - the resolved value of one declared parameter.
 * @v: the value; for STR, v.str points to @str.
 * @str: STR: owned copy of the word.
 * @origin: owned: "default", "preset FILE:LINE", or the hlsim_config_set() origin.
 */
struct cfg_slot {
	struct mdl_config_value v;
	char *str;
	char *origin;
};

/**
 * struct hlsim_config - a resolved configuration.
 * @name: owned: the preset name, the path, or "defaults".
 * @n_params: rows of hlsim_config_params(), without the terminator.
 * @slots: one per row, in declaration order.
 */
struct hlsim_config {
	char *name;
	size_t n_params;
	struct cfg_slot *slots;
};

static char *dup_str(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);

	if (d)
		memcpy(d, s, n);
	return d;
}

static size_t param_index(const struct hlsim_param *p)
{
	return (size_t)(p - hlsim_config_params());
}

/* slot_assign - store @v with @origin, replacing what was there. */
static hlsim_err_t slot_assign(struct cfg_slot *s, const struct hlsim_param *p,
			       const struct mdl_config_value *v, const char *origin)
{
	char *new_origin, *new_str = NULL;

	new_origin = dup_str(origin);
	if (!new_origin)
		goto err_nomem;
	if (p->type == HLSIM_PARAM_STR) {
		new_str = dup_str(v->str);
		if (!new_str)
			goto err_free_origin;
	}
	free(s->origin);
	free(s->str);
	s->v = *v;
	s->str = new_str;
	s->v.str = new_str;
	s->origin = new_origin;
	return HLSIM_OK;

err_free_origin:
	free(new_origin);
err_nomem:
	return hlsim_error(HLSIM_E_NOMEM, "out of memory storing %s", p->key);
}

/* apply - parse, check and store @text as the value of @p. */
static hlsim_err_t apply(hlsim_config_t *c, const struct hlsim_param *p, const char *text,
			 const char *where, const char *origin)
{
	struct mdl_config_value v;
	hlsim_err_t rc;

	rc = mdl_config_parse_value(p->type, text, where, p->key, &v);
	if (rc)
		return rc;
	rc = check_value(p, &v, text, where);
	if (rc)
		return rc;
	return slot_assign(&c->slots[param_index(p)], p, &v, origin);
}

void hlsim_config_free(hlsim_config_t *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->n_params; i++) {
		free(c->slots[i].str);
		free(c->slots[i].origin);
	}
	free(c->slots);
	free(c->name);
	free(c);
}

/* config_new - a configuration named @name holding the declared defaults. */
static hlsim_err_t config_new(const char *name, hlsim_config_t **out)
{
	const struct hlsim_param *params = hlsim_config_params(), *p;
	hlsim_config_t *c;
	hlsim_err_t rc;

	*out = NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return hlsim_error(HLSIM_E_NOMEM, "out of memory for a configuration");
	for (p = params; p->key; p++)
		c->n_params++;
	c->name = dup_str(name);
	c->slots = calloc(c->n_params ? c->n_params : 1, sizeof(*c->slots));
	if (!c->name || !c->slots) {
		rc = hlsim_error(HLSIM_E_NOMEM, "out of memory for a configuration");
		goto err_free_config;
	}
	for (p = params; p->key; p++) {
		rc = apply(c, p, p->default_value, "declared default", "default");
		if (rc)
			goto err_free_config;
	}
	*out = c;
	return HLSIM_OK;

err_free_config:
	hlsim_config_free(c);
	return rc;
}

hlsim_err_t hlsim_config_defaults(hlsim_config_t **out)
{
	return config_new("defaults", out);
}

/* ==== names: suggestions for unknown keys and sections ==== */

/*
 * edit_distance - edits (insert, delete, replace, swap of two neighbours) turning @a
 * (any length) into @b (< KEY_MAX bytes): the optimal string alignment distance, so
 * the common typo "hmb" for "hbm" is one edit.
 */
static size_t edit_distance(const char *a, size_t la, const char *b, size_t lb)
{
	size_t rows[3][KEY_MAX + 1], i, j;
	size_t *prev2 = rows[0], *prev = rows[1], *cur = rows[2], *tmp;

	for (j = 0; j <= lb; j++)
		prev[j] = j;
	for (i = 1; i <= la; i++) {
		cur[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t best = prev[j - 1] + (a[i - 1] != b[j - 1]);

			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    prev2[j - 2] + 1 < best)
				best = prev2[j - 2] + 1;
			cur[j] = best;
		}
		tmp = prev2;
		prev2 = prev;
		prev = cur;
		cur = tmp;
	}
	return prev[lb];
}

/*
 * suggest - the declared key (or, with @sections, section) closest to @word when
 * it is close: at most a quarter of its length away (at least 1). Writes
 * " (did you mean 'X'?)" into @buf, or "" if nothing is close.
 */
static void suggest(const char *word, int sections, char *buf, size_t cap)
{
	const struct hlsim_param *p;
	size_t la = strlen(word), best = SIZE_MAX;
	char cand[KEY_MAX], best_name[KEY_MAX] = "";

	for (p = hlsim_config_params(); p->key; p++) {
		size_t lb = sections ? strcspn(p->key, ".") : strlen(p->key), d, limit;

		if (lb >= KEY_MAX)
			continue;
		memcpy(cand, p->key, lb);
		cand[lb] = '\0';
		limit = lb / 4 ? lb / 4 : 1;
		if ((la > lb ? la - lb : lb - la) > limit)
			continue;
		d = edit_distance(word, la, cand, lb);
		if (d <= limit && d < best) {
			best = d;
			memcpy(best_name, cand, lb + 1);
		}
	}
	if (best_name[0])
		snprintf(buf, cap, " (did you mean '%s%s%s'?)", sections ? "[" : "", best_name,
			 sections ? "]" : "");
	else if (cap)
		buf[0] = '\0';
}

static int section_declared(const char *name)
{
	const struct hlsim_param *p;
	size_t n = strlen(name);

	for (p = hlsim_config_params(); p->key; p++)
		if (!strncmp(p->key, name, n) && p->key[n] == '.')
			return 1;
	return 0;
}

/* ==== the INI reader ==== */

/**
 * struct ini_ctx - state while one file is applied.
 * @c: the configuration receiving the values.
 * @file: the file's name in messages and origins.
 * @section: the current section ("" before the first header).
 * @set_line: per declared parameter, the line that set it in this file (0: none).
 * @line: the current line, NUL-terminated.
 * @full_key: "section.key" being assigned.
 */
struct ini_ctx {
	hlsim_config_t *c;
	const char *file;
	char section[KEY_MAX];
	unsigned *set_line;
	char line[MDL_CONFIG_MAX_LINE_BYTES + 1];
	char full_key[KEY_MAX + MDL_CONFIG_MAX_LINE_BYTES + 2];
};

static hlsim_err_t parse_section(struct ini_ctx *x, char *s, const char *where)
{
	char *end = strchr(s, ']'), *name, *rest, q[QUOTE_MAX * 4 + 8], hint[KEY_MAX + 32];
	const char *p;

	if (!end)
		return hlsim_error(HLSIM_E_CONFIG, "%s: section header without ']': '%s'", where,
				   quote(s, strlen(s), q, sizeof(q)));
	*end = '\0';
	rest = skip_blanks(end + 1);
	if (*rest && *rest != '#' && *rest != ';')
		return hlsim_error(HLSIM_E_CONFIG, "%s: unexpected '%s' after the section header",
				   where, quote(rest, strlen(rest), q, sizeof(q)));
	name = skip_blanks(s + 1);
	rtrim(name);
	if (!*name)
		return hlsim_error(HLSIM_E_CONFIG, "%s: empty section name", where);
	for (p = name; *p; p++)
		if (!is_word_char(*p) || *p == '.')
			return hlsim_error(
				HLSIM_E_CONFIG,
				"%s: character 0x%02x is not allowed in section name '%s'", where,
				(unsigned)(unsigned char)*p,
				quote(name, strlen(name), q, sizeof(q)));
	if (strlen(name) >= sizeof(x->section) || !section_declared(name)) {
		suggest(name, 1, hint, sizeof(hint));
		return hlsim_error(HLSIM_E_CONFIG, "%s: unknown section '[%s]'%s", where,
				   quote(name, strlen(name), q, sizeof(q)), hint);
	}
	memcpy(x->section, name, strlen(name) + 1);
	return HLSIM_OK;
}

/* strip_comment - cut @v at a '#' or ';' that starts it or follows a blank. */
static void strip_comment(char *v)
{
	size_t i;

	for (i = 0; v[i]; i++) {
		if ((v[i] == '#' || v[i] == ';') && (i == 0 || is_blank(v[i - 1]))) {
			v[i] = '\0';
			return;
		}
	}
}

static hlsim_err_t parse_assignment(struct ini_ctx *x, char *s, const char *where, unsigned lineno)
{
	char *eq = strchr(s, '='), *key = s, *value, *origin, q[QUOTE_MAX * 4 + 8],
	     hint[KEY_MAX + 32];
	const struct hlsim_param *p;
	const char *k;
	hlsim_err_t rc;
	size_t idx, n;

	if (!eq)
		return hlsim_error(HLSIM_E_CONFIG,
				   "%s: expected '[section]' or 'key = value', got '%s'", where,
				   quote(s, strlen(s), q, sizeof(q)));
	*eq = '\0';
	rtrim(key);
	if (!*key)
		return hlsim_error(HLSIM_E_CONFIG, "%s: missing key before '='", where);
	for (k = key; *k; k++)
		if (!is_word_char(*k))
			return hlsim_error(HLSIM_E_CONFIG,
					   "%s: character 0x%02x is not allowed in key '%s'", where,
					   (unsigned)(unsigned char)*k,
					   quote(key, strlen(key), q, sizeof(q)));
	if (!x->section[0])
		return hlsim_error(
			HLSIM_E_CONFIG,
			"%s: key '%s' is outside any section (add a [section] header above it)",
			where, quote(key, strlen(key), q, sizeof(q)));
	snprintf(x->full_key, sizeof(x->full_key), "%s.%s", x->section, key);
	p = mdl_config_param_find(x->full_key);
	if (!p) {
		suggest(x->full_key, 0, hint, sizeof(hint));
		return hlsim_error(HLSIM_E_CONFIG, "%s: unknown key '%s'%s", where,
				   quote(x->full_key, strlen(x->full_key), q, sizeof(q)), hint);
	}
	idx = param_index(p);
	if (x->set_line[idx])
		return hlsim_error(HLSIM_E_CONFIG, "%s: duplicate key '%s' (first set at line %u)",
				   where, p->key, x->set_line[idx]);
	value = skip_blanks(eq + 1);
	strip_comment(value);
	rtrim(value);

	n = strlen(x->file) + 32;
	origin = malloc(n);
	if (!origin)
		return hlsim_error(HLSIM_E_NOMEM, "out of memory reading %s", where);
	snprintf(origin, n, "preset %s:%u", x->file, lineno);
	rc = apply(x->c, p, value, where, origin);
	free(origin);
	if (rc)
		return rc;
	x->set_line[idx] = lineno;
	return HLSIM_OK;
}

static hlsim_err_t parse_line(struct ini_ctx *x, unsigned lineno)
{
	char where[512], *s = skip_blanks(x->line);

	if (!*s || *s == '#' || *s == ';')
		return HLSIM_OK;
	snprintf(where, sizeof(where), "%s:%u", x->file, lineno);
	if (*s == '[')
		return parse_section(x, s, where);
	return parse_assignment(x, s, where, lineno);
}

/* apply_ini - apply the INI text @buf (@len bytes, not NUL-terminated) named @file. */
static hlsim_err_t apply_ini(hlsim_config_t *c, const char *file, const char *buf, size_t len)
{
	struct ini_ctx *x;
	size_t pos = 0;
	unsigned lineno = 0;
	hlsim_err_t rc = HLSIM_OK;

	x = calloc(1, sizeof(*x));
	if (!x)
		return hlsim_error(HLSIM_E_NOMEM, "out of memory reading %s", file);
	x->set_line = calloc(c->n_params ? c->n_params : 1, sizeof(*x->set_line));
	if (!x->set_line) {
		rc = hlsim_error(HLSIM_E_NOMEM, "out of memory reading %s", file);
		goto err_free_ctx;
	}
	x->c = c;
	x->file = file;
	if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3))
		pos = 3; /* UTF-8 byte-order mark */
	while (pos < len) {
		const char *start = buf + pos, *nl = memchr(start, '\n', len - pos), *nul;
		size_t n = nl ? (size_t)(nl - start) : len - pos;

		lineno++;
		nul = memchr(start, '\0', n);
		if (nul) {
			rc = hlsim_error(
				HLSIM_E_CONFIG,
				"%s:%u: NUL byte at byte offset %zu (column %zu); expected text",
				file, lineno, (size_t)(nul - buf), (size_t)(nul - start) + 1);
			goto err_free_lines;
		}
		if (n > MDL_CONFIG_MAX_LINE_BYTES) {
			rc = hlsim_error(HLSIM_E_CONFIG,
					 "%s:%u: line of %zu bytes is longer than %d bytes", file,
					 lineno, n, MDL_CONFIG_MAX_LINE_BYTES);
			goto err_free_lines;
		}
		memcpy(x->line, start, n);
		if (n && x->line[n - 1] == '\r')
			n--;
		x->line[n] = '\0';
		rc = parse_line(x, lineno);
		if (rc)
			goto err_free_lines;
		if (!nl)
			break;
		pos = (size_t)(nl - buf) + 1;
	}

err_free_lines:
	free(x->set_line);
err_free_ctx:
	free(x);
	return rc;
}

/* read_file - the whole of the regular file @path (at most MDL_CONFIG_MAX_FILE_BYTES). */
static hlsim_err_t read_file(const char *path, const char *file, char **out, size_t *out_len)
{
	struct stat st;
	hlsim_err_t rc = HLSIM_OK;
	size_t n;
	char *buf;
	FILE *f;

	*out = NULL;
	if (stat(path, &st))
		return hlsim_error(HLSIM_E_IO, "cannot open configuration '%s': %s", path,
				   strerror(errno));
	if (!S_ISREG(st.st_mode))
		return hlsim_error(HLSIM_E_CONFIG, "configuration '%s' is not a regular file",
				   path);
	f = fopen(path, "rb");
	if (!f)
		return hlsim_error(HLSIM_E_IO, "cannot open configuration '%s': %s", path,
				   strerror(errno));
	buf = malloc(MDL_CONFIG_MAX_FILE_BYTES + 1);
	if (!buf) {
		rc = hlsim_error(HLSIM_E_NOMEM, "out of memory reading '%s'", path);
		goto err_close;
	}
	n = fread(buf, 1, MDL_CONFIG_MAX_FILE_BYTES + 1, f);
	if (ferror(f)) {
		rc = hlsim_error(HLSIM_E_IO, "cannot read configuration '%s': %s", path,
				 strerror(errno));
		goto err_free_buf;
	}
	if (n > MDL_CONFIG_MAX_FILE_BYTES) {
		rc = hlsim_error(HLSIM_E_CONFIG, "%s: file is larger than 1 MiB (%d bytes)", file,
				 MDL_CONFIG_MAX_FILE_BYTES);
		goto err_free_buf;
	}
	fclose(f);
	*out = buf;
	*out_len = n;
	return HLSIM_OK;

err_free_buf:
	free(buf);
err_close:
	fclose(f);
	return rc;
}

/* ==== preset lookup ==== */

static int is_regular_file(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode);
}

/*
 * preset_dirs - the directories searched for <name>.ini, in order: HLSIM_CONFIG_DIR
 * (several may be given, ':'-separated), the source tree's models/configs, the
 * installed configs. @env_copy receives the owned copy the entries point into.
 */
static size_t preset_dirs(const char *dirs[], size_t cap, char **env_copy)
{
	const char *env = getenv("HLSIM_CONFIG_DIR");
	size_t n = 0;
	char *tok, *save = NULL;

	*env_copy = NULL;
	if (env && *env)
		*env_copy = dup_str(env);
	for (tok = *env_copy ? strtok_r(*env_copy, ":", &save) : NULL; tok && n < cap;
	     tok = strtok_r(NULL, ":", &save))
		dirs[n++] = tok;
#ifdef HLSIM_SOURCE_DIR
	if (n < cap)
		dirs[n++] = HLSIM_SOURCE_DIR "/models/configs";
#endif
#ifdef HLSIM_DATA_DIR
	if (n < cap)
		dirs[n++] = HLSIM_DATA_DIR "/configs";
#endif
	return n;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* list_presets - "a, b, c": the sorted, distinct names of the *.ini files in @dirs. */
static void list_presets(const char *const dirs[], size_t n_dirs, char *buf, size_t cap)
{
	char **names = NULL, **grown;
	size_t n = 0, room = 0, i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < n_dirs; i++) {
		DIR *d = opendir(dirs[i]);
		struct dirent *de;

		if (!d)
			continue;
		while ((de = readdir(d))) {
			size_t len = strlen(de->d_name);

			if (len <= 4 || strcmp(de->d_name + len - 4, ".ini") ||
			    de->d_name[0] == '.')
				continue;
			if (n == room) {
				room = room ? room * 2 : 16;
				grown = realloc(names, room * sizeof(*names));
				if (!grown)
					break;
				names = grown;
			}
			names[n] = malloc(len - 3);
			if (!names[n])
				break;
			memcpy(names[n], de->d_name, len - 4);
			names[n][len - 4] = '\0';
			n++;
		}
		closedir(d);
	}
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n; i++) {
		if ((!i || strcmp(names[i], names[i - 1])) && o < cap)
			o += (size_t)snprintf(buf + o, cap - o, "%s%s", o ? ", " : "", names[i]);
	}
	if (!n)
		snprintf(buf, cap, "none");
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/*
 * resolve - @arg as a path (an existing regular file, or anything with a '/'), else
 * as a preset name looked up as <dir>/<name>.ini. Sets @path (owned), @file (owned:
 * the name used in messages) and @name (owned: the configuration's name).
 */
static hlsim_err_t resolve(const char *arg, char **path, char **file, char **name)
{
	const char *dirs[16];
	char *env_copy, base[256], q[QUOTE_MAX * 4 + 8], found[512], looked[512];
	size_t n_dirs, i, len = strlen(arg), o = 0;
	const char *a;
	hlsim_err_t rc;

	*path = *file = *name = NULL;
	if (is_regular_file(arg) || strchr(arg, '/')) {
		*path = dup_str(arg);
		*file = dup_str(arg);
		*name = dup_str(arg);
		goto check_alloc;
	}
	if (len > 4 && !strcmp(arg + len - 4, ".ini"))
		len -= 4;
	if (!len || len >= sizeof(base))
		return hlsim_error(HLSIM_E_CONFIG, "bad preset name '%s'",
				   quote(arg, strlen(arg), q, sizeof(q)));
	for (a = arg; a < arg + len; a++)
		if (!is_word_char(*a))
			return hlsim_error(
				HLSIM_E_CONFIG,
				"bad preset name '%s': expected letters, digits, '_', '.', '-'",
				quote(arg, strlen(arg), q, sizeof(q)));
	memcpy(base, arg, len);
	base[len] = '\0';

	n_dirs = preset_dirs(dirs, sizeof(dirs) / sizeof(dirs[0]), &env_copy);
	for (i = 0; i < n_dirs; i++) {
		size_t n = strlen(dirs[i]) + len + 6;
		char *p = malloc(n);

		if (!p) {
			rc = hlsim_error(HLSIM_E_NOMEM, "out of memory looking up preset %s", base);
			goto err_free_env;
		}
		snprintf(p, n, "%s/%s.ini", dirs[i], base);
		if (is_regular_file(p)) {
			*path = p;
			*file = malloc(len + 5);
			if (*file)
				snprintf(*file, len + 5, "%s.ini", base);
			*name = dup_str(base);
			free(env_copy);
			goto check_alloc;
		}
		free(p);
	}
	looked[0] = '\0';
	for (i = 0; i < n_dirs && o < sizeof(looked); i++)
		o += (size_t)snprintf(looked + o, sizeof(looked) - o, "%s%s", i ? ", " : "",
				      dirs[i]);
	list_presets(dirs, n_dirs, found, sizeof(found));
	rc = hlsim_error(HLSIM_E_CONFIG, "no preset '%s': no %s.ini in %s; presets found: %s", base,
			 base, n_dirs ? looked : "(no directory)", found);
err_free_env:
	free(env_copy);
	return rc;

check_alloc:
	if (!*path || !*file || !*name) {
		free(*path);
		free(*file);
		free(*name);
		*path = *file = *name = NULL;
		return hlsim_error(HLSIM_E_NOMEM, "out of memory loading configuration");
	}
	return HLSIM_OK;
}

hlsim_err_t hlsim_config_load(const char *name_or_path, hlsim_config_t **out)
{
	char *path, *file, *name, *buf = NULL;
	hlsim_config_t *c;
	size_t len = 0;
	hlsim_err_t rc;

	*out = NULL;
	rc = resolve(name_or_path ? name_or_path : DEFAULT_PRESET, &path, &file, &name);
	if (rc)
		return rc;
	rc = config_new(name, &c);
	if (rc)
		goto err_free_names;
	rc = read_file(path, file, &buf, &len);
	if (rc)
		goto err_free_config;
	rc = apply_ini(c, file, buf, len);
	free(buf);
	if (rc)
		goto err_free_config;
	*out = c;
	goto err_free_names; /* success also frees the names */

err_free_config:
	hlsim_config_free(c);
err_free_names:
	free(path);
	free(file);
	free(name);
	return rc;
}

hlsim_err_t hlsim_config_load_text(const char *text, const char *name, hlsim_config_t **out)
{
	hlsim_config_t *c;
	size_t len;
	hlsim_err_t rc;

	*out = NULL;
	if (!text || !name)
		return hlsim_error(HLSIM_E_INVAL, "configuration text: missing text or name");
	len = strlen(text);
	if (len > MDL_CONFIG_MAX_FILE_BYTES)
		return hlsim_error(HLSIM_E_CONFIG, "%s: %zu bytes, more than the %d a configuration "
				   "may have", name, len, MDL_CONFIG_MAX_FILE_BYTES);
	rc = config_new(name, &c);
	if (rc)
		return rc;
	rc = apply_ini(c, name, text, len);
	if (rc) {
		hlsim_config_free(c);
		return rc;
	}
	*out = c;
	return HLSIM_OK;
}

hlsim_err_t hlsim_config_set(hlsim_config_t *c, const char *key_eq_value, const char *origin)
{
	char *copy, *key, *value, *eq, q[QUOTE_MAX * 4 + 8], hint[KEY_MAX + 32];
	const struct hlsim_param *p;
	hlsim_err_t rc;

	if (!origin)
		origin = "--set";
	if (!c || !key_eq_value)
		return hlsim_error(HLSIM_E_INVAL, "%s: no configuration or no key=value", origin);
	eq = strchr(key_eq_value, '=');
	if (!eq)
		return hlsim_error(HLSIM_E_CONFIG, "%s: expected key=value, got '%s'", origin,
				   quote(key_eq_value, strlen(key_eq_value), q, sizeof(q)));
	copy = dup_str(key_eq_value);
	if (!copy)
		return hlsim_error(HLSIM_E_NOMEM, "%s: out of memory", origin);
	key = skip_blanks(copy);
	copy[eq - key_eq_value] = '\0';
	rtrim(key);
	value = skip_blanks(copy + (eq - key_eq_value) + 1);
	rtrim(value);
	p = mdl_config_param_find(key);
	if (!p) {
		suggest(key, 0, hint, sizeof(hint));
		rc = hlsim_error(HLSIM_E_CONFIG, "%s: unknown key '%s'%s", origin,
				 quote(key, strlen(key), q, sizeof(q)), hint);
		goto out_free;
	}
	rc = apply(c, p, value, origin, origin);
out_free:
	free(copy);
	return rc;
}

/* ==== getters ==== */

/*
 * slot_for - the slot of @key. An undeclared key or a type other than the getter's is
 * a bug in the calling code (the contract in config.h), not bad input: report and abort.
 */
static const struct cfg_slot *slot_for(const hlsim_config_t *c, const char *key, const char *getter,
				       unsigned type_mask)
{
	const struct hlsim_param *p = mdl_config_param_find(key);

	if (!c || !p || !(type_mask & (1u << p->type))) {
		fprintf(stderr, "hlsim: bug: %s(\"%s\"): %s\n", getter, key ? key : "(null)",
			!c   ? "no configuration"
			: !p ? "undeclared key"
			     : "the key is declared with another type");
		abort();
	}
	return &c->slots[param_index(p)];
}

uint64_t hlsim_config_u64(const hlsim_config_t *c, const char *key)
{
	return slot_for(c, key, __func__,
			(1u << HLSIM_PARAM_U64) | (1u << HLSIM_PARAM_BYTES) |
				(1u << HLSIM_PARAM_TIME) | (1u << HLSIM_PARAM_BOOL))
		->v.u64;
}

double hlsim_config_f64(const hlsim_config_t *c, const char *key)
{
	return slot_for(c, key, __func__,
			(1u << HLSIM_PARAM_F64) | (1u << HLSIM_PARAM_FREQ) |
				(1u << HLSIM_PARAM_BANDWIDTH))
		->v.f64;
}

const char *hlsim_config_str(const hlsim_config_t *c, const char *key)
{
	return slot_for(c, key, __func__, 1u << HLSIM_PARAM_STR)->v.str;
}

const char *hlsim_config_name(const hlsim_config_t *c)
{
	return c ? c->name : NULL;
}

const char *mdl_config_origin(const hlsim_config_t *c, const char *key)
{
	const struct hlsim_param *p = mdl_config_param_find(key);

	if (!c || !p)
		return NULL;
	return c->slots[param_index(p)].origin;
}

/* ==== the writer ==== */

#define WRITE_VALUE_COLUMN 32 /* where the "# unit; origin; description" comment starts */

hlsim_err_t hlsim_config_write(const hlsim_config_t *c, FILE *out)
{
	const struct hlsim_param *params = hlsim_config_params();
	char value[MDL_CONFIG_VALUE_MAX];
	size_t i, j, sec_len;

	if (!c || !out)
		return hlsim_error(HLSIM_E_INVAL, "no configuration or no output to write");
	fprintf(out, "# hlsim configuration '%s', resolved.\n", c->name);
	fprintf(out,
		"# Every parameter in canonical units; the comment gives the stored unit, where\n"
		"# the value came from (default, preset FILE:LINE, or the --set origin) and its\n"
		"# meaning. This file loads back to the same values.\n");
	for (i = 0; i < c->n_params; i++) {
		/* a section is printed, whole, where its first key is declared */
		sec_len = strcspn(params[i].key, ".");
		for (j = 0; j < i; j++)
			if (strcspn(params[j].key, ".") == sec_len &&
			    !strncmp(params[j].key, params[i].key, sec_len))
				break;
		if (j < i)
			continue;
		fprintf(out, "\n[%.*s]\n", (int)sec_len, params[i].key);
		for (j = i; j < c->n_params; j++) {
			const struct cfg_slot *s = &c->slots[j];
			const char *name = params[j].key + sec_len + 1;
			int w;

			if (strcspn(params[j].key, ".") != sec_len ||
			    strncmp(params[j].key, params[i].key, sec_len))
				continue;
			mdl_config_format_value(params[j].type, &s->v, value, sizeof(value));
			w = fprintf(out, "%s = %s", name, value);
			fprintf(out, "%*s# %s; %s; %s\n",
				w < WRITE_VALUE_COLUMN - 2 ? WRITE_VALUE_COLUMN - w : 2, "",
				mdl_config_type_unit(params[j].type), s->origin,
				params[j].description);
		}
	}
	if (fflush(out) || ferror(out))
		return hlsim_error(HLSIM_E_IO, "cannot write configuration '%s'", c->name);
	return HLSIM_OK;
}

hlsim_err_t hlsim_config_to_string(const hlsim_config_t *c, char **out)
{
	char *buf = NULL;
	size_t size = 0;
	hlsim_err_t rc;
	FILE *f;

	*out = NULL;
	f = open_memstream(&buf, &size);
	if (!f)
		return hlsim_error(HLSIM_E_NOMEM, "cannot open a memory stream");
	rc = hlsim_config_write(c, f);
	if (fclose(f) && !rc)
		rc = hlsim_error(HLSIM_E_NOMEM, "cannot finish the configuration text");
	if (rc) {
		free(buf);
		return rc;
	}
	*out = buf;
	return HLSIM_OK;
}
