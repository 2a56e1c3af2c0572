/*
 * profiler/sweep.c - planning a design-space sweep: --vary values and ranges expanded
 * into canonical values, the cartesian grid of points, and the specification text kept
 * in DIR/sweep.spec so that a rerun or a merge can tell whether it is the same sweep.
 * A --gen sweep keeps its generator command instead of a trace path; its gen.OPTION axes
 * hold generator option values as given (the generator parses them).
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/common/config_int.h"
#include "profiler/prf_sweep.h"

#define SPEC_MAGIC "hlsim-sweep-spec 1"

/* Edit distance of @a and @b (two rows of a Levenshtein table; keys are short). */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, best;
	size_t row0[129], row1[129];
	size_t *prev = row0, *cur = row1, *t;

	if (lb > 128)
		lb = 128;
	for (j = 0; j <= lb; j++)
		prev[j] = j;
	for (i = 1; i <= la; i++) {
		cur[0] = i;
		for (j = 1; j <= lb; j++) {
			best = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			cur[j] = best;
		}
		t = prev;
		prev = cur;
		cur = t;
	}
	return prev[lb];
}

const char *prf_sweep_nearest_key(const char *key)
{
	const struct hlsim_param *p = hlsim_config_params();
	const char *best = NULL;
	size_t best_d = SIZE_MAX, d;

	for (; p && p->key; p++) {
		d = edit_distance(key, p->key);
		if (d < best_d) {
			best_d = d;
			best = p->key;
		}
	}
	return best;
}

void prf_sweep_axis_free(struct prf_sweep_axis *a)
{
	size_t i;

	if (!a)
		return;
	for (i = 0; i < a->num_values; i++)
		free(a->values[i]);
	free(a->values);
	free(a->key);
	memset(a, 0, sizeof(*a));
}

static int is_numeric(enum hlsim_param_type t)
{
	return t != HLSIM_PARAM_BOOL && t != HLSIM_PARAM_STR;
}

static int stored_as_u64(enum hlsim_param_type t)
{
	return t == HLSIM_PARAM_U64 || t == HLSIM_PARAM_BYTES || t == HLSIM_PARAM_TIME;
}

/* Copy [@s, @e) without leading and trailing blanks into @buf (@cap bytes); -1 if too long. */
static int copy_trimmed(const char *s, const char *e, char *buf, size_t cap)
{
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if ((size_t)(e - s) >= cap)
		return -1;
	memcpy(buf, s, (size_t)(e - s));
	buf[e - s] = '\0';
	return 0;
}

/* Append canonical @text to @a, rejecting a duplicate. */
static hlsim_err_t axis_push(struct prf_sweep_axis *a, const char *text, const char *arg)
{
	char **grown;
	size_t i;

	for (i = 0; i < a->num_values; i++)
		if (!strcmp(a->values[i], text))
			return hlsim_error(HLSIM_E_USAGE,
					   "--vary %s: value '%s' is given twice", arg, text);
	if (a->num_values >= PRF_SWEEP_MAX_POINTS)
		return hlsim_error(HLSIM_E_USAGE, "--vary %s: more than %d values", arg,
				   PRF_SWEEP_MAX_POINTS);
	grown = realloc(a->values, (a->num_values + 1) * sizeof(*grown));
	if (!grown)
		return hlsim_error(HLSIM_E_NOMEM, "--vary: no memory");
	a->values = grown;
	a->values[a->num_values] = strdup(text);
	if (!a->values[a->num_values])
		return hlsim_error(HLSIM_E_NOMEM, "--vary: no memory");
	a->num_values++;
	return HLSIM_OK;
}

/* Parse one value of @a's type from [@s, @e); *@v gets it, @canon its canonical text. */
static hlsim_err_t parse_one(const struct prf_sweep_axis *a, const char *s, const char *e,
			     const char *what, struct mdl_config_value *v, char *canon)
{
	char buf[MDL_CONFIG_VALUE_MAX * 2];
	hlsim_err_t rc;

	if (copy_trimmed(s, e, buf, sizeof(buf)))
		return hlsim_error(HLSIM_E_USAGE, "--vary %s: %s value '%.*s...' is too long",
				   a->key, what, 20, s);
	if (!buf[0])
		return hlsim_error(HLSIM_E_USAGE, "--vary %s: empty %s value", a->key, what);
	rc = mdl_config_parse_value(a->type, buf, "--vary", a->key, v);
	if (rc)
		return HLSIM_E_USAGE; /* the detail names the value and what was expected */
	mdl_config_format_value(a->type, v, canon, MDL_CONFIG_VALUE_MAX);
	return HLSIM_OK;
}

/* START:STOP:STEP in @text (after "KEY="). */
static hlsim_err_t parse_range(struct prf_sweep_axis *a, const char *text)
{
	const char *c1 = strchr(text, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	struct mdl_config_value v0, v1, vs, v;
	char canon[MDL_CONFIG_VALUE_MAX];
	uint64_t count, k;
	hlsim_err_t rc;

	if (!c2 || strchr(c2 + 1, ':'))
		return hlsim_error(HLSIM_E_USAGE,
				   "--vary %s=%s: a range is START:STOP:STEP (three parts)", a->key,
				   text);
	if (!is_numeric(a->type))
		return hlsim_error(HLSIM_E_USAGE,
				   "--vary %s=%s: ranges need a numeric parameter; %s is %s (list "
				   "its values: V1,V2,...)",
				   a->key, text, a->key, mdl_config_type_name(a->type));
	rc = parse_one(a, text, c1, "START", &v0, canon);
	if (!rc)
		rc = parse_one(a, c1 + 1, c2, "STOP", &v1, canon);
	if (!rc)
		rc = parse_one(a, c2 + 1, text + strlen(text), "STEP", &vs, canon);
	if (rc)
		return rc;
	if (stored_as_u64(a->type)) {
		if (vs.u64 == 0 || v1.u64 < v0.u64)
			return hlsim_error(HLSIM_E_USAGE,
					   "--vary %s=%s: expected STEP > 0 and START <= STOP",
					   a->key, text);
		count = (v1.u64 - v0.u64) / vs.u64 + 1;
	} else {
		double n;

		if (!(vs.f64 > 0) || v1.f64 < v0.f64)
			return hlsim_error(HLSIM_E_USAGE,
					   "--vary %s=%s: expected STEP > 0 and START <= STOP",
					   a->key, text);
		n = floor((v1.f64 - v0.f64) / vs.f64 + 1e-9);
		if (!(n < (double)PRF_SWEEP_MAX_POINTS))
			n = (double)PRF_SWEEP_MAX_POINTS;
		count = (uint64_t)n + 1;
	}
	if (count > PRF_SWEEP_MAX_POINTS)
		return hlsim_error(HLSIM_E_USAGE,
				   "--vary %s=%s: more than %d values (the largest sweep)", a->key,
				   text, PRF_SWEEP_MAX_POINTS);
	for (k = 0; k < count; k++) {
		memset(&v, 0, sizeof(v));
		if (stored_as_u64(a->type)) {
			v.u64 = v0.u64 + k * vs.u64;
		} else {
			char snap[40];

			/* 12 significant digits: 0.1 + 2 * 0.1 is 0.3, not 0.30000000000000004 */
			snprintf(snap, sizeof(snap), "%.12g", v0.f64 + (double)k * vs.f64);
			v.f64 = strtod(snap, NULL);
		}
		mdl_config_format_value(a->type, &v, canon, sizeof(canon));
		rc = axis_push(a, canon, a->key);
		if (rc)
			return rc;
	}
	return HLSIM_OK;
}

/* 1 if @key (without the "gen." prefix) can be a generator option name. */
static int gen_option_name_ok(const char *name)
{
	const char *c;

	if (!*name || *name == '-')
		return 0;
	for (c = name; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-'))
			return 0;
	return 1;
}

/* A gen.OPTION axis: @key is trimmed, @vals the text after '='. */
static hlsim_err_t gen_axis_parse(const char *key, const char *vals, struct prf_sweep_axis *out)
{
	const char *s = vals, *e;
	char buf[PRF_SWEEP_VALUE_BYTES];
	hlsim_err_t rc = HLSIM_OK;

	if (!gen_option_name_ok(key + strlen(PRF_SWEEP_GEN_PREFIX)))
		return hlsim_error(HLSIM_E_USAGE,
				   "--vary %s: expected gen.OPTION with OPTION a generator option "
				   "name (lower-case letters, digits, '-'), e.g. gen.tpcs", key);
	out->key = strdup(key);
	if (!out->key)
		return hlsim_error(HLSIM_E_NOMEM, "--vary: no memory");
	out->type = HLSIM_PARAM_STR;
	for (;;) {
		e = strchr(s, ',');
		if (!e)
			e = s + strlen(s);
		if (copy_trimmed(s, e, buf, sizeof(buf)))
			rc = hlsim_error(HLSIM_E_USAGE, "--vary %s: value '%.*s' is longer than %d "
					 "bytes", key, (int)(e - s), s, PRF_SWEEP_VALUE_BYTES - 1);
		else if (!buf[0])
			rc = hlsim_error(HLSIM_E_USAGE, "--vary %s: empty value", key);
		else if (strpbrk(buf, " \t\n\r"))
			rc = hlsim_error(HLSIM_E_USAGE, "--vary %s: value '%s' has a blank", key,
					 buf);
		else
			rc = axis_push(out, buf, key);
		if (rc || !*e)
			break;
		s = e + 1;
	}
	if (rc)
		prf_sweep_axis_free(out);
	return rc;
}

hlsim_err_t prf_sweep_axis_parse(const char *text, struct prf_sweep_axis *out)
{
	const struct hlsim_param *p;
	const char *eq = strchr(text, '='), *s, *e;
	char key[128], canon[MDL_CONFIG_VALUE_MAX];
	struct mdl_config_value v;
	hlsim_err_t rc;

	memset(out, 0, sizeof(*out));
	if (!eq || copy_trimmed(text, eq, key, sizeof(key)) || !key[0])
		return hlsim_error(HLSIM_E_USAGE,
				   "--vary '%s': expected KEY=V1,V2,... or KEY=START:STOP:STEP",
				   text);
	if (!strncmp(key, PRF_SWEEP_GEN_PREFIX, strlen(PRF_SWEEP_GEN_PREFIX)))
		return gen_axis_parse(key, eq + 1, out);
	p = mdl_config_param_find(key);
	if (!p) {
		const char *near = prf_sweep_nearest_key(key);

		return hlsim_error(HLSIM_E_USAGE,
				   "--vary: unknown parameter '%s'%s%s%s (hlsim config params "
				   "lists them)",
				   key, near ? "; did you mean '" : "", near ? near : "",
				   near ? "'?" : "");
	}
	out->key = strdup(p->key);
	if (!out->key)
		return hlsim_error(HLSIM_E_NOMEM, "--vary: no memory");
	out->type = p->type;
	s = eq + 1;
	if (strchr(s, ':')) {
		rc = parse_range(out, s);
		goto done;
	}
	for (;;) {
		e = strchr(s, ',');
		if (!e)
			e = s + strlen(s);
		rc = parse_one(out, s, e, "a", &v, canon);
		if (!rc)
			rc = axis_push(out, canon, out->key);
		if (rc || !*e)
			break;
		s = e + 1;
	}
done:
	if (rc)
		prf_sweep_axis_free(out);
	return rc;
}

hlsim_err_t prf_sweep_spec_init(struct prf_sweep_spec *s, const char *trace, const char *config)
{
	memset(s, 0, sizeof(*s));
	s->trace = strdup(trace);
	s->config = config ? strdup(config) : NULL;
	if (!s->trace || (config && !s->config)) {
		prf_sweep_spec_free(s);
		return hlsim_error(HLSIM_E_NOMEM, "sweep: no memory");
	}
	return HLSIM_OK;
}

int prf_sweep_gen_words(const char *gen, char *buf, size_t cap, char **words, size_t max)
{
	size_t n = 0, len = strlen(gen);
	char *p;

	if (len >= cap)
		return -1;
	memcpy(buf, gen, len + 1);
	for (p = buf; *p;) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (!*p)
			break;
		if (n >= max)
			return -1;
		words[n++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	return (int)n;
}

hlsim_err_t prf_sweep_spec_init_gen(struct prf_sweep_spec *s, const char *gen,
				    const char *config)
{
	char buf[4096], *words[PRF_SWEEP_GEN_MAX_WORDS];
	size_t used = 0;
	int n, i;

	memset(s, 0, sizeof(*s));
	if (strchr(gen, '\n') || strchr(gen, '\r'))
		return hlsim_error(HLSIM_E_USAGE, "--gen: a newline in the command");
	n = prf_sweep_gen_words(gen, buf, sizeof(buf), words, PRF_SWEEP_GEN_MAX_WORDS);
	if (n < 0)
		return hlsim_error(HLSIM_E_USAGE, "--gen: more than %d words or %zu bytes",
				   PRF_SWEEP_GEN_MAX_WORDS, sizeof(buf) - 1);
	if (n == 0)
		return hlsim_error(HLSIM_E_USAGE, "--gen: empty; expected \"KIND OPTIONS...\" "
						  "(e.g. \"elementwise --elements 16M\")");
	if (words[0][0] == '-')
		return hlsim_error(HLSIM_E_USAGE, "--gen \"%s\": expected the generator KIND "
				   "first (dma, gemm, elementwise), not an option", gen);
	for (i = 0; i < n; i++)
		if (!strcmp(words[i], "-o"))
			return hlsim_error(HLSIM_E_USAGE, "--gen \"%s\": no -o: each point writes "
					   "its own DIR/points/NNNNN/trace.h5", gen);
	s->gen = malloc(strlen(gen) + 1);
	if (!s->gen)
		goto nomem;
	for (i = 0; i < n; i++) {
		size_t w = strlen(words[i]);

		if (i)
			s->gen[used++] = ' ';
		memcpy(s->gen + used, words[i], w);
		used += w;
	}
	s->gen[used] = '\0';
	if (config) {
		s->config = strdup(config);
		if (!s->config)
			goto nomem;
	}
	return HLSIM_OK;
nomem:
	prf_sweep_spec_free(s);
	return hlsim_error(HLSIM_E_NOMEM, "sweep: no memory");
}

/* 1 if the --gen command of @s already gives --@option. */
static int gen_gives_option(const struct prf_sweep_spec *s, const char *option)
{
	char buf[4096], *words[PRF_SWEEP_GEN_MAX_WORDS];
	int n, i;

	n = prf_sweep_gen_words(s->gen, buf, sizeof(buf), words, PRF_SWEEP_GEN_MAX_WORDS);
	for (i = 1; i < n; i++)
		if (words[i][0] == '-' && words[i][1] == '-' && !strcmp(words[i] + 2, option))
			return 1;
	return 0;
}

/* Length of the key of "KEY=VALUE" (the whole string without '='), trimmed. */
static size_t key_len(const char *kv)
{
	const char *eq = strchr(kv, '=');
	size_t n = eq ? (size_t)(eq - kv) : strlen(kv);

	while (n && (kv[n - 1] == ' ' || kv[n - 1] == '\t'))
		n--;
	return n;
}

hlsim_err_t prf_sweep_spec_add_set(struct prf_sweep_spec *s, const char *key_eq_value)
{
	char **grown = realloc(s->sets, (s->num_sets + 1) * sizeof(*grown));
	size_t i;

	if (!grown)
		return hlsim_error(HLSIM_E_NOMEM, "sweep: no memory");
	s->sets = grown;
	for (i = 0; i < s->num_axes; i++)
		if (key_len(key_eq_value) == strlen(s->axes[i].key) &&
		    !strncmp(key_eq_value, s->axes[i].key, key_len(key_eq_value)))
			return hlsim_error(HLSIM_E_USAGE, "--set %s: %s is also varied (--vary)",
					   key_eq_value, s->axes[i].key);
	if (strchr(key_eq_value, '\n'))
		return hlsim_error(HLSIM_E_USAGE, "--set: a newline in '%s'", key_eq_value);
	s->sets[s->num_sets] = strdup(key_eq_value);
	if (!s->sets[s->num_sets])
		return hlsim_error(HLSIM_E_NOMEM, "sweep: no memory");
	s->num_sets++;
	return HLSIM_OK;
}

hlsim_err_t prf_sweep_spec_add_vary(struct prf_sweep_spec *s, const char *text)
{
	struct prf_sweep_axis a;
	hlsim_err_t rc;
	size_t i;

	if (s->num_axes >= PRF_SWEEP_MAX_AXES)
		return hlsim_error(HLSIM_E_USAGE, "--vary %s: more than %d axes", text,
				   PRF_SWEEP_MAX_AXES);
	rc = prf_sweep_axis_parse(text, &a);
	if (rc)
		return rc;
	if (!strncmp(a.key, PRF_SWEEP_GEN_PREFIX, strlen(PRF_SWEEP_GEN_PREFIX))) {
		const char *opt = a.key + strlen(PRF_SWEEP_GEN_PREFIX);

		if (!s->gen) {
			rc = hlsim_error(HLSIM_E_USAGE, "--vary %s: %s varies a generator option; "
					 "it needs --gen \"KIND OPTIONS\" instead of a TRACE", text,
					 a.key);
			goto err;
		}
		if (gen_gives_option(s, opt)) {
			rc = hlsim_error(HLSIM_E_USAGE, "--vary %s: --gen \"%s\" already gives "
					 "--%s", text, s->gen, opt);
			goto err;
		}
	}
	for (i = 0; i < s->num_axes; i++) {
		if (!strcmp(s->axes[i].key, a.key)) {
			rc = hlsim_error(HLSIM_E_USAGE, "--vary %s: %s is varied twice", text,
					 a.key);
			goto err;
		}
	}
	for (i = 0; i < s->num_sets; i++) {
		if (key_len(s->sets[i]) == strlen(a.key) &&
		    !strncmp(s->sets[i], a.key, strlen(a.key))) {
			rc = hlsim_error(HLSIM_E_USAGE, "--vary %s: %s is also given with --set",
					 text, a.key);
			goto err;
		}
	}
	s->axes[s->num_axes++] = a;
	return HLSIM_OK;
err:
	prf_sweep_axis_free(&a);
	return rc;
}

hlsim_err_t prf_sweep_spec_finish(struct prf_sweep_spec *s)
{
	uint64_t n = 1;
	size_t i;

	if (!s->num_axes)
		return hlsim_error(HLSIM_E_USAGE, "sweep: nothing to vary (give --vary "
						  "KEY=V1,V2,... at least once)");
	for (i = 0; i < s->num_axes; i++) {
		if (!s->axes[i].num_values)
			return hlsim_error(HLSIM_E_USAGE, "--vary %s: no values", s->axes[i].key);
		n *= s->axes[i].num_values; /* each factor <= MAX: no overflow before the check */
		if (n > PRF_SWEEP_MAX_POINTS)
			return hlsim_error(HLSIM_E_USAGE,
					   "sweep: the grid has more than %d points (after --vary "
					   "%s); split it into several sweeps",
					   PRF_SWEEP_MAX_POINTS, s->axes[i].key);
	}
	s->num_points = n;
	return HLSIM_OK;
}

hlsim_err_t prf_sweep_spec_check(const struct prf_sweep_spec *s)
{
	hlsim_config_t *cfg = NULL;
	char kv[256];
	hlsim_err_t rc;
	size_t i, j;

	rc = hlsim_config_load(s->config, &cfg);
	for (i = 0; !rc && i < s->num_sets; i++)
		rc = hlsim_config_set(cfg, s->sets[i], "--set");
	for (i = 0; !rc && i < s->num_axes; i++) {
		if (!strncmp(s->axes[i].key, PRF_SWEEP_GEN_PREFIX, strlen(PRF_SWEEP_GEN_PREFIX)))
			continue; /* a generator option: the generator checks it */
		for (j = 0; !rc && j < s->axes[i].num_values; j++) {
			snprintf(kv, sizeof(kv), "%s=%s", s->axes[i].key, s->axes[i].values[j]);
			rc = hlsim_config_set(cfg, kv, "--vary");
		}
	}
	hlsim_config_free(cfg);
	return rc;
}

void prf_sweep_spec_free(struct prf_sweep_spec *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->num_sets; i++)
		free(s->sets[i]);
	free(s->sets);
	for (i = 0; i < s->num_axes; i++)
		prf_sweep_axis_free(&s->axes[i]);
	free(s->trace);
	free(s->gen);
	free(s->config);
	memset(s, 0, sizeof(*s));
}

const char *prf_sweep_point_value(const struct prf_sweep_spec *s, uint64_t point, size_t axis)
{
	uint64_t stride = 1;
	size_t i;

	for (i = s->num_axes; i-- > axis + 1;)
		stride *= s->axes[i].num_values;
	return s->axes[axis].values[(point / stride) % s->axes[axis].num_values];
}

/* A growing text buffer. */
struct text {
	char *p;
	size_t len, cap;
	int failed;
};

static void text_add(struct text *t, const char *a, const char *b, const char *c)
{
	const char *parts[3] = { a, b, c };
	size_t i, n;

	for (i = 0; i < 3 && !t->failed; i++) {
		if (!parts[i])
			continue;
		n = strlen(parts[i]);
		if (t->len + n + 1 > t->cap) {
			size_t cap = (t->len + n + 1) * 2;
			char *g = realloc(t->p, cap);

			if (!g) {
				t->failed = 1;
				return;
			}
			t->p = g;
			t->cap = cap;
		}
		memcpy(t->p + t->len, parts[i], n + 1);
		t->len += n;
	}
}

hlsim_err_t prf_sweep_spec_text(const struct prf_sweep_spec *s, char **out)
{
	struct text t = { 0 };
	char num[32];
	size_t i, j;

	text_add(&t, SPEC_MAGIC, "\n", NULL);
	if (s->gen)
		text_add(&t, "gen ", s->gen, "\n");
	else
		text_add(&t, "trace ", s->trace, "\n");
	if (s->config)
		text_add(&t, "config ", s->config, "\n");
	for (i = 0; i < s->num_sets; i++)
		text_add(&t, "set ", s->sets[i], "\n");
	for (i = 0; i < s->num_axes; i++) {
		text_add(&t, "vary ", s->axes[i].key, "=");
		for (j = 0; j < s->axes[i].num_values; j++)
			text_add(&t, j ? "," : "", s->axes[i].values[j], NULL);
		text_add(&t, "\n", NULL, NULL);
	}
	snprintf(num, sizeof(num), "%" PRIu64, s->num_points);
	text_add(&t, "points ", num, "\n");
	if (t.failed) {
		free(t.p);
		return hlsim_error(HLSIM_E_NOMEM, "sweep: no memory for the spec");
	}
	*out = t.p;
	return HLSIM_OK;
}

hlsim_err_t prf_sweep_spec_parse(const char *text, const char *path, struct prf_sweep_spec *s)
{
	const char *line = text, *nl;
	char buf[8192];
	unsigned int lineno = 0;
	hlsim_err_t rc = HLSIM_OK;
	uint64_t points = 0;
	int have_points = 0;

	memset(s, 0, sizeof(*s));
	for (; *line && !rc; line = nl + 1) {
		size_t n;

		lineno++;
		nl = strchr(line, '\n');
		if (!nl) {
			rc = hlsim_error(HLSIM_E_TRACE_FORMAT, "%s:%u: the line has no newline "
					 "(truncated file?)", path, lineno);
			break;
		}
		n = (size_t)(nl - line);
		if (n >= sizeof(buf)) {
			rc = hlsim_error(HLSIM_E_TRACE_FORMAT, "%s:%u: line longer than %zu bytes",
					 path, lineno, sizeof(buf) - 1);
			break;
		}
		memcpy(buf, line, n);
		buf[n] = '\0';
		if (lineno == 1) {
			if (strcmp(buf, SPEC_MAGIC))
				rc = hlsim_error(HLSIM_E_TRACE_FORMAT,
						 "%s:1: expected '%s' (not a sweep spec)", path,
						 SPEC_MAGIC);
		} else if (lineno == 2 && !strncmp(buf, "trace ", 6)) {
			rc = prf_sweep_spec_init(s, buf + 6, NULL);
		} else if (lineno == 2 && !strncmp(buf, "gen ", 4)) {
			rc = prf_sweep_spec_init_gen(s, buf + 4, NULL);
		} else if (lineno == 2) {
			rc = hlsim_error(HLSIM_E_TRACE_FORMAT,
					 "%s:2: expected 'trace PATH' or 'gen KIND OPTIONS'", path);
		} else if (!strncmp(buf, "config ", 7) && !s->config && !s->num_sets &&
			   !s->num_axes) {
			s->config = strdup(buf + 7);
			if (!s->config)
				rc = hlsim_error(HLSIM_E_NOMEM, "sweep: no memory");
		} else if (!strncmp(buf, "set ", 4) && !s->num_axes) {
			rc = prf_sweep_spec_add_set(s, buf + 4);
		} else if (!strncmp(buf, "vary ", 5) && !have_points) {
			rc = prf_sweep_spec_add_vary(s, buf + 5);
		} else if (!strncmp(buf, "points ", 7) && !have_points) {
			points = strtoull(buf + 7, NULL, 10);
			have_points = 1;
		} else {
			rc = hlsim_error(HLSIM_E_TRACE_FORMAT, "%s:%u: unexpected line '%s'", path,
					 lineno, buf);
		}
		if (rc && rc != HLSIM_E_TRACE_FORMAT)
			hlsim_error_prefix(rc = HLSIM_E_TRACE_FORMAT, "%s:%u: ", path, lineno);
	}
	if (!rc && !have_points)
		rc = hlsim_error(HLSIM_E_TRACE_FORMAT, "%s: no 'points N' line", path);
	if (!rc)
		rc = prf_sweep_spec_finish(s);
	if (!rc && points != s->num_points)
		rc = hlsim_error(HLSIM_E_TRACE_FORMAT,
				 "%s: says %" PRIu64 " points but its axes make %" PRIu64, path,
				 points, s->num_points);
	if (rc)
		prf_sweep_spec_free(s);
	return rc;
}

/* Copy line @n (0-based) of @text into @buf, "(none)" past the end. */
static void nth_line(const char *text, unsigned int n, char *buf, size_t cap)
{
	const char *e;

	while (n-- && text) {
		text = strchr(text, '\n');
		if (text)
			text++;
	}
	if (!text || !*text) {
		snprintf(buf, cap, "(no such line)");
		return;
	}
	e = strchr(text, '\n');
	snprintf(buf, cap, "%.*s", (int)(e ? (size_t)(e - text) : strlen(text)), text);
}

hlsim_err_t prf_sweep_spec_diff(const char *path, const char *existing, const char *wanted)
{
	char a[512], b[512];
	unsigned int line = 0;
	size_t i;

	if (!strcmp(existing, wanted))
		return HLSIM_OK;
	for (i = 0; existing[i] && existing[i] == wanted[i]; i++)
		if (existing[i] == '\n')
			line++;
	nth_line(existing, line, a, sizeof(a));
	nth_line(wanted, line, b, sizeof(b));
	return hlsim_error(HLSIM_E_USAGE,
			   "%s holds a different sweep: line %u is '%s' there but '%s' here (use "
			   "another output directory, or remove it)",
			   path, line + 1, a, b);
}
