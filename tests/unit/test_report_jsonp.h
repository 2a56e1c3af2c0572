/*
 * tests/unit/test_report_jsonp.h - a minimal validating JSON parser for the report tests.
 *
 * RFC 8259: objects, arrays, strings with their escapes and well-formed UTF-8, numbers,
 * true/false/null, nothing after the value; NaN and Infinity are rejected. While
 * validating it flattens every scalar to a "path=literal" line ("queues[0].busy_ps=450000",
 * strings keep their quotes and escapes), so tests can check values by path.
 * Include it after tests/unit/check.h.
 */
#ifndef HLSIM_TEST_REPORT_JSONP_H
#define HLSIM_TEST_REPORT_JSONP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct jp {
	const char *s;
	size_t i, n;
	char path[512];
	size_t path_len;
	FILE *flat; /* "path=literal\n" per scalar */
	int depth;
};

static void jp_ws(struct jp *p)
{
	while (p->i < p->n && strchr(" \t\r\n", p->s[p->i]))
		p->i++;
}

static int jp_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* A string literal at p->i; its text (with quotes) is [*start, p->i). */
static int jp_string(struct jp *p, size_t *start)
{
	*start = p->i;
	if (p->i >= p->n || p->s[p->i] != '"')
		return 0;
	p->i++;
	while (p->i < p->n) {
		unsigned char c = (unsigned char)p->s[p->i];

		if (c == '"') {
			p->i++;
			return 1;
		}
		if (c < 0x20)
			return 0; /* control characters must be escaped */
		if (c == '\\') {
			char e;

			if (++p->i >= p->n)
				return 0;
			e = p->s[p->i];
			if (e == 'u') {
				int k;

				for (k = 1; k <= 4; k++)
					if (p->i + k >= p->n || !jp_hex(p->s[p->i + k]))
						return 0;
				p->i += 5;
				continue;
			}
			if (!strchr("\"\\/bfnrt", e))
				return 0;
			p->i++;
			continue;
		}
		if (c >= 0x80) {
			/* well-formed UTF-8 only */
			size_t need = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc2 ? 1 : 0;
			size_t k;

			if (!need || c > 0xf4)
				return 0;
			for (k = 1; k <= need; k++) {
				unsigned char d;

				d = (unsigned char)(p->i + k < p->n ? p->s[p->i + k] : 0);

				if (d < 0x80 || d > 0xbf)
					return 0;
			}
			if ((c == 0xe0 && (unsigned char)p->s[p->i + 1] < 0xa0) ||
			    (c == 0xed && (unsigned char)p->s[p->i + 1] > 0x9f) ||
			    (c == 0xf0 && (unsigned char)p->s[p->i + 1] < 0x90) ||
			    (c == 0xf4 && (unsigned char)p->s[p->i + 1] > 0x8f))
				return 0;
			p->i += need + 1;
			continue;
		}
		p->i++;
	}
	return 0;
}

static int jp_digits(struct jp *p)
{
	size_t s = p->i;

	while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
		p->i++;
	return p->i > s;
}

static int jp_number(struct jp *p)
{
	if (p->i < p->n && p->s[p->i] == '-')
		p->i++;
	if (p->i < p->n && p->s[p->i] == '0')
		p->i++;
	else if (!jp_digits(p))
		return 0;
	if (p->i < p->n && p->s[p->i] == '.') {
		p->i++;
		if (!jp_digits(p))
			return 0;
	}
	if (p->i < p->n && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
		p->i++;
		if (p->i < p->n && (p->s[p->i] == '+' || p->s[p->i] == '-'))
			p->i++;
		if (!jp_digits(p))
			return 0;
	}
	return 1;
}

static int jp_value(struct jp *p);

static void jp_emit(struct jp *p, size_t start)
{
	fprintf(p->flat, "%.*s=%.*s\n", (int)p->path_len, p->path, (int)(p->i - start),
		p->s + start);
}

static int jp_object(struct jp *p)
{
	size_t saved = p->path_len;

	p->i++; /* { */
	jp_ws(p);
	if (p->i < p->n && p->s[p->i] == '}') {
		p->i++;
		return 1;
	}
	for (;;) {
		size_t ks;
		int n;

		jp_ws(p);
		if (!jp_string(p, &ks))
			return 0;
		n = snprintf(p->path + saved, sizeof(p->path) - saved, "%s%.*s", saved ? "." : "",
			     (int)(p->i - ks - 2), p->s + ks + 1);
		if (n < 0 || (size_t)n >= sizeof(p->path) - saved)
			return 0;
		p->path_len = saved + (size_t)n;
		jp_ws(p);
		if (p->i >= p->n || p->s[p->i] != ':')
			return 0;
		p->i++;
		if (!jp_value(p))
			return 0;
		p->path_len = saved;
		jp_ws(p);
		if (p->i < p->n && p->s[p->i] == ',') {
			p->i++;
			continue;
		}
		if (p->i < p->n && p->s[p->i] == '}') {
			p->i++;
			return 1;
		}
		return 0;
	}
}

static int jp_array(struct jp *p)
{
	size_t saved = p->path_len, idx = 0;

	p->i++; /* [ */
	jp_ws(p);
	if (p->i < p->n && p->s[p->i] == ']') {
		p->i++;
		return 1;
	}
	for (;;) {
		int n = snprintf(p->path + saved, sizeof(p->path) - saved, "[%zu]", idx++);

		if (n < 0 || (size_t)n >= sizeof(p->path) - saved)
			return 0;
		p->path_len = saved + (size_t)n;
		if (!jp_value(p))
			return 0;
		p->path_len = saved;
		jp_ws(p);
		if (p->i < p->n && p->s[p->i] == ',') {
			p->i++;
			continue;
		}
		if (p->i < p->n && p->s[p->i] == ']') {
			p->i++;
			return 1;
		}
		return 0;
	}
}

static int jp_word(struct jp *p, const char *w)
{
	size_t len = strlen(w);

	if (p->n - p->i < len || memcmp(p->s + p->i, w, len) != 0)
		return 0;
	p->i += len;
	return 1;
}

static int jp_value(struct jp *p)
{
	size_t start;
	int ok;

	if (++p->depth > 64)
		return 0;
	jp_ws(p);
	start = p->i;
	if (p->i >= p->n)
		return 0;
	switch (p->s[p->i]) {
	case '{':
		ok = jp_object(p);
		break;
	case '[':
		ok = jp_array(p);
		break;
	case '"':
		ok = jp_string(p, &start);
		if (ok)
			jp_emit(p, start);
		break;
	case 't':
		ok = jp_word(p, "true");
		if (ok)
			jp_emit(p, start);
		break;
	case 'f':
		ok = jp_word(p, "false");
		if (ok)
			jp_emit(p, start);
		break;
	case 'n':
		ok = jp_word(p, "null");
		if (ok)
			jp_emit(p, start);
		break;
	default:
		ok = jp_number(p);
		if (ok)
			jp_emit(p, start);
		break;
	}
	p->depth--;
	return ok;
}

static int quiet_; /* do not print why a text is invalid (for the expected failures) */

/* Validate @text; on success return the flattened scalars ("\npath=literal\n..."). */
static char *json_flatten(const char *text)
{
	struct jp p;
	char *flat = NULL;
	size_t len = 0;
	int ok;

	memset(&p, 0, sizeof(p));
	p.s = text;
	p.n = strlen(text);
	p.flat = open_memstream(&flat, &len);
	if (!p.flat)
		return NULL;
	fputc('\n', p.flat);
	ok = jp_value(&p);
	jp_ws(&p);
	ok = ok && p.i == p.n;
	fclose(p.flat);
	if (!ok) {
		if (!quiet_)
			fprintf(stderr, "invalid JSON at byte %zu: %.40s\n", p.i, text + p.i);
		free(flat);
		return NULL;
	}
	return flat;
}

#endif /* HLSIM_TEST_REPORT_JSONP_H */
