/*
 * traces/gen/gen_graph.c - `hlsim gen graph FILE -o TRACE`: the workload file reader
 * and the command. The format is documented in traces/gen/GRAPH.md: INI-like, a
 * `[graph]` section of lowering settings and one `[op NAME]` section per operation
 * with its kind, shape, dtype and `after` dependencies. The reader puts the operations
 * in dependency order (file order where the dependencies allow) and hands them to
 * trc_gen_ops() (gen_ops.c).
 *
 * Why not the configuration reader of models/common/config.c: it validates every
 * section and key against the declared simulator parameters and keeps one value per
 * `section.key`, so it cannot hold repeated `[op NAME]` sections with keys of their own.
 * This reader is small and shares its syntax: `#` and `;` comments, blank lines,
 * `key = value`, CRLF line ends.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "traces/gen/gen_common.h"
#include "traces/gen/gen_ops.h"

#define MAX_FILE_BYTES (1u << 20)
#define MAX_LINE_BYTES 1024

/* An operation as read, before ordering. */
struct rop {
	struct trc_gen_op op;
	char after_names[TRC_GEN_OPS_MAX_DEPS][TRC_GEN_OPS_NAME_BYTES];
	uint32_t after_line;
	uint32_t key_line[16]; /* line of each key (index in keys[]), 0 if absent */
	uint32_t dep[TRC_GEN_OPS_MAX_DEPS]; /* file indices of the dependencies */
	int placed;
	uint32_t order;
};

enum key {
	K_KIND, K_M, K_N, K_K, K_ELEMENTS, K_ROWS, K_COLS, K_DTYPE, K_FLOPS, K_TA, K_TB, K_AFTER,
	K_STAGE, K_BATCH, K_CAUSAL, K_CAUSAL_BLOCK, K_COUNT
};

static const char *const keys[K_COUNT] = {
	"kind", "m", "n", "k", "elements", "rows", "cols", "dtype", "flops_per_element",
	"transpose_a", "transpose_b", "after", "stage", "batch", "causal", "causal_block",
};

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static char *trim(char *s)
{
	size_t n;

	while (is_blank(*s))
		s++;
	n = strlen(s);
	while (n && is_blank(s[n - 1]))
		s[--n] = '\0';
	return s;
}

static int is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || c == '-';
}

static int valid_name(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (!is_name_char(s[i]))
			return 0;
	return i > 0 && i < TRC_GEN_OPS_NAME_BYTES;
}

/* Read @path whole into a NUL-terminated buffer. */
static hlsim_err_t slurp(const char *path, char **out)
{
	FILE *f = fopen(path, "rb");
	size_t n;
	char *b;

	if (!f)
		return hlsim_error(HLSIM_E_IO, "%s: cannot open: %s", path, strerror(errno));
	b = malloc(MAX_FILE_BYTES + 1);
	if (!b) {
		fclose(f);
		return hlsim_error(HLSIM_E_NOMEM, "%s", path);
	}
	n = fread(b, 1, MAX_FILE_BYTES + 1, f);
	if (ferror(f) || n > MAX_FILE_BYTES) {
		int big = !ferror(f);

		fclose(f);
		free(b);
		return big ? hlsim_error(HLSIM_E_USAGE, "%s: larger than %u bytes", path,
					 MAX_FILE_BYTES)
			   : hlsim_error(HLSIM_E_IO, "%s: read error", path);
	}
	fclose(f);
	if (memchr(b, '\0', n)) {
		free(b);
		return hlsim_error(HLSIM_E_USAGE, "%s: a NUL byte: not a text file", path);
	}
	b[n] = '\0';
	*out = b;
	return HLSIM_OK;
}

/* A `[graph]` key. */
static hlsim_err_t graph_key(const char *path, uint32_t line, const char *key, const char *val,
			     struct trc_gen_ops_opts *o)
{
	static const char *const asics[] = { "gaudi", "gaudi2" };
	uint64_t v;
	size_t i;

	if (!strcmp(key, "asic")) {
		for (i = 0; i < sizeof(asics) / sizeof(asics[0]); i++) {
			if (!strcmp(val, asics[i])) {
				o->asic = asics[i];
				return HLSIM_OK;
			}
		}
		return hlsim_error(HLSIM_E_USAGE, "%s:%u: key 'asic': '%s': expected gaudi or "
				   "gaudi2", path, line, val);
	}
	if (!strcmp(key, "stage")) {
		if (strcmp(val, "hbm") && strcmp(val, "sram"))
			return hlsim_error(HLSIM_E_USAGE,
					   "%s:%u: key 'stage': '%s': expected hbm or sram", path,
					   line, val);
		o->stage_sram = !strcmp(val, "sram");
		return HLSIM_OK;
	}
	if (strcmp(key, "tpcs") && strcmp(key, "dmas") && strcmp(key, "mmes"))
		return hlsim_error(HLSIM_E_USAGE,
				   "%s:%u: key '%s': not a [graph] key (asic, tpcs, dmas, mmes, "
				   "stage)",
				   path, line, key);
	if (trc_gen_parse_count(val, &v) || v > 1024)
		return hlsim_error(HLSIM_E_USAGE, "%s:%u: key '%s': '%s': expected 0..1024", path,
				   line, key, val);
	if (!strcmp(key, "tpcs"))
		o->tpcs = (uint32_t)v;
	else if (!strcmp(key, "dmas"))
		o->dmas = (uint32_t)v;
	else
		o->mmes = (uint32_t)v;
	return HLSIM_OK;
}

/* An `[op NAME]` key. */
static hlsim_err_t op_key(const char *path, uint32_t line, const char *key, char *val,
			  struct rop *r)
{
	struct trc_gen_op *op = &r->op;
	uint64_t v = 0;
	int k, kind;
	char *tok, *save = NULL;

	for (k = 0; k < K_COUNT; k++)
		if (!strcmp(key, keys[k]))
			break;
	if (k == K_COUNT)
		return hlsim_error(HLSIM_E_USAGE,
				   "%s:%u: key '%s': unknown (kind, m, n, k, elements, rows, cols, "
				   "dtype, flops_per_element, transpose_a, transpose_b, after, "
				   "stage, batch, causal, causal_block)",
				   path, line, key);
	if (r->key_line[k])
		return hlsim_error(HLSIM_E_USAGE, "%s:%u: key '%s': given twice in [op %s] "
				   "(first on line %u)", path, line, key, op->name, r->key_line[k]);
	r->key_line[k] = line;
	switch (k) {
	case K_KIND:
		kind = trc_gen_op_kind_by_name(val);
		if (kind < 0)
			return hlsim_error(HLSIM_E_USAGE,
					   "%s:%u: key 'kind': unknown kind '%s' (gemm, "
					   "elementwise, reduction, softmax, layernorm, copy, "
					   "transpose)",
					   path, line, val);
		op->kind = (enum trc_gen_op_kind)kind;
		return HLSIM_OK;
	case K_DTYPE:
		if (!valid_name(val) || strlen(val) >= sizeof(op->dtype))
			return hlsim_error(HLSIM_E_USAGE, "%s:%u: key 'dtype': '%s' is not a "
					   "data type name", path, line, val);
		snprintf(op->dtype, sizeof(op->dtype), "%s", val);
		return HLSIM_OK;
	case K_AFTER:
		r->after_line = line;
		for (tok = strtok_r(val, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			tok = trim(tok);
			if (!valid_name(tok))
				return hlsim_error(HLSIM_E_USAGE, "%s:%u: key 'after': '%s' is not "
						   "an operation name", path, line, tok);
			if (op->num_after == TRC_GEN_OPS_MAX_DEPS)
				return hlsim_error(HLSIM_E_USAGE,
						   "%s:%u: key 'after': more than %d "
						   "dependencies", path, line,
						   TRC_GEN_OPS_MAX_DEPS);
			snprintf(r->after_names[op->num_after++], TRC_GEN_OPS_NAME_BYTES, "%s",
				 tok);
		}
		if (!op->num_after)
			return hlsim_error(HLSIM_E_USAGE, "%s:%u: key 'after': no operation named",
					   path, line);
		return HLSIM_OK;
	case K_CAUSAL:
		if (!strcmp(val, "none") || !strcmp(val, "0"))
			op->causal = TRC_GEN_CAUSAL_NONE;
		else if (!strcmp(val, "n"))
			op->causal = TRC_GEN_CAUSAL_N;
		else if (!strcmp(val, "k"))
			op->causal = TRC_GEN_CAUSAL_K;
		else if (!strcmp(val, "k_from"))
			op->causal = TRC_GEN_CAUSAL_K_FROM;
		else
			return hlsim_error(HLSIM_E_USAGE,
					   "%s:%u: key 'causal': '%s': expected none, n (scores "
					   "Q.K^T, or a softmax over them), k (P.V) or k_from (the "
					   "backward's P^T.dO)",
					   path, line, val);
		return HLSIM_OK;
	case K_STAGE:
		if (strcmp(val, "hbm") && strcmp(val, "sram"))
			return hlsim_error(HLSIM_E_USAGE,
					   "%s:%u: key 'stage': '%s': expected hbm or sram", path,
					   line, val);
		op->stage = !strcmp(val, "sram") ? TRC_GEN_STAGE_SRAM : TRC_GEN_STAGE_HBM;
		return HLSIM_OK;
	default:
		break;
	}
	if (trc_gen_parse_count(val, &v))
		return hlsim_error(HLSIM_E_USAGE,
				   "%s:%u: key '%s': '%s': expected a number (suffixes K, M, G)",
				   path, line, key, val);
	switch (k) {
	case K_M:
		op->m = v;
		break;
	case K_N:
		op->n = v;
		break;
	case K_K:
		op->k = v;
		break;
	case K_ELEMENTS:
		op->elements = v;
		break;
	case K_ROWS:
		op->rows = v;
		break;
	case K_COLS:
		op->cols = v;
		break;
	case K_FLOPS:
		op->flops_per_element = v;
		break;
	case K_BATCH:
		op->batch = v;
		break;
	case K_CAUSAL_BLOCK:
		if (v > UINT32_MAX)
			return hlsim_error(HLSIM_E_USAGE, "%s:%u: key 'causal_block': '%s': "
					   "expected at most 2^32-1 rows", path, line, val);
		op->causal_block = (uint32_t)v;
		break;
	default: /* transpose_a, transpose_b */
		if (v > 1)
			return hlsim_error(HLSIM_E_USAGE, "%s:%u: key '%s': '%s': expected 0 or 1",
					   path, line, key, val);
		if (k == K_TA)
			op->transpose_a = (uint8_t)v;
		else
			op->transpose_b = (uint8_t)v;
		break;
	}
	return HLSIM_OK;
}

/* The keys operation @r's kind needs (a bit per enum key), and which it may have. */
static void kind_keys(enum trc_gen_op_kind kind, uint32_t *need, uint32_t *may)
{
	uint32_t common = 1u << K_KIND | 1u << K_DTYPE | 1u << K_AFTER;

	switch (kind) {
	case TRC_GEN_OP_GEMM:
		*need = 1u << K_M | 1u << K_N | 1u << K_K;
		*may = *need | 1u << K_TA | 1u << K_TB | 1u << K_STAGE | 1u << K_BATCH |
		       1u << K_CAUSAL | 1u << K_CAUSAL_BLOCK | common;
		break;
	case TRC_GEN_OP_SOFTMAX:
	case TRC_GEN_OP_SOFTMAX_BWD:
		*need = 1u << K_ROWS | 1u << K_COLS;
		*may = *need | 1u << K_CAUSAL | common;
		break;
	case TRC_GEN_OP_ELEMENTWISE:
		*need = 1u << K_ELEMENTS;
		*may = *need | 1u << K_FLOPS | common;
		break;
	case TRC_GEN_OP_COPY:
		*need = 1u << K_ELEMENTS;
		*may = *need | common;
		break;
	default:
		*need = 1u << K_ROWS | 1u << K_COLS;
		*may = *need | common;
		break;
	}
}

/* The keys of @r fit its kind and its shape is in range. */
static hlsim_err_t check_rop(const char *path, struct rop *r)
{
	struct trc_gen_op *op = &r->op;
	uint32_t need, may, k;

	if (!r->key_line[K_KIND])
		return hlsim_error(HLSIM_E_USAGE, "%s:%u: [op %s]: missing key 'kind'", path,
				   op->line, op->name);
	kind_keys(op->kind, &need, &may);
	for (k = 0; k < K_COUNT; k++) {
		if (need >> k & 1 && !r->key_line[k])
			return hlsim_error(HLSIM_E_USAGE, "%s:%u: [op %s]: missing key '%s' (a %s "
					   "needs it)", path, op->line, op->name, keys[k],
					   trc_gen_op_kind_name(op->kind));
		if (!(may >> k & 1) && r->key_line[k])
			return hlsim_error(HLSIM_E_USAGE, "%s:%u: key '%s': not a key of kind %s",
					   path, r->key_line[k], keys[k],
					   trc_gen_op_kind_name(op->kind));
	}
	if (op->kind == TRC_GEN_OP_GEMM && op->causal && !r->key_line[K_CAUSAL_BLOCK])
		return hlsim_error(HLSIM_E_USAGE, "%s:%u: [op %s]: a causal GEMM needs "
				   "causal_block (its row block of queries)", path, op->line,
				   op->name);
	if (op->kind != TRC_GEN_OP_GEMM && op->causal && op->causal != TRC_GEN_CAUSAL_N)
		return hlsim_error(HLSIM_E_USAGE, "%s:%u: key 'causal': a %s takes none or n",
				   path, r->key_line[K_CAUSAL], trc_gen_op_kind_name(op->kind));
	if (op->kind == TRC_GEN_OP_GEMM) {
		const uint64_t v[3] = { op->m, op->n, op->k };

		for (k = 0; k < 3; k++)
			if (!v[k] || v[k] > (1ull << 31))
				return hlsim_error(HLSIM_E_USAGE, "%s:%u: key '%s': %" PRIu64
						   ": expected 1..2147483648", path,
						   r->key_line[K_M + k], keys[K_M + k], v[k]);
	} else if (op->kind == TRC_GEN_OP_ELEMENTWISE || op->kind == TRC_GEN_OP_COPY) {
		if (!op->elements || op->elements > UINT32_MAX)
			return hlsim_error(HLSIM_E_USAGE, "%s:%u: key 'elements': %" PRIu64
					   ": expected 1..4294967295", path,
					   r->key_line[K_ELEMENTS], op->elements);
		if (op->kind == TRC_GEN_OP_ELEMENTWISE && !r->key_line[K_FLOPS])
			op->flops_per_element = 1;
		if (op->kind == TRC_GEN_OP_ELEMENTWISE &&
		    (!op->flops_per_element || op->flops_per_element > 1000000))
			return hlsim_error(HLSIM_E_USAGE, "%s:%u: key 'flops_per_element': %" PRIu64
					   ": expected 1..1000000", path, r->key_line[K_FLOPS],
					   op->flops_per_element);
	} else {
		if (!op->rows || op->rows > UINT32_MAX)
			return hlsim_error(HLSIM_E_USAGE, "%s:%u: key 'rows': %" PRIu64
					   ": expected 1..4294967295", path, r->key_line[K_ROWS],
					   op->rows);
		if (!op->cols || op->cols > UINT32_MAX || op->rows * op->cols > UINT32_MAX)
			return hlsim_error(HLSIM_E_USAGE, "%s:%u: key 'cols': %" PRIu64
					   ": expected 1.. with rows x cols at most 4294967295",
					   path, r->key_line[K_COLS], op->cols);
	}
	if (!r->key_line[K_DTYPE])
		snprintf(op->dtype, sizeof(op->dtype), "bf16");
	return HLSIM_OK;
}

/* Resolve dependency names, order the operations, report a cycle with its path. */
static hlsim_err_t order(const char *path, struct rop *r, uint32_t n, struct trc_gen_op *out)
{
	uint32_t i, j, done = 0, x;
	char chain[512];
	size_t used;

	for (i = 0; i < n; i++) {
		for (j = 0; j < r[i].op.num_after; j++) {
			for (x = 0; x < n; x++)
				if (!strcmp(r[x].op.name, r[i].after_names[j]))
					break;
			if (x == n)
				return hlsim_error(HLSIM_E_USAGE, "%s:%u: key 'after': unknown "
						   "operation '%s'", path, r[i].after_line,
						   r[i].after_names[j]);
			r[i].dep[j] = x;
		}
	}
	while (done < n) {
		for (i = 0; i < n; i++) {
			if (r[i].placed)
				continue;
			for (j = 0; j < r[i].op.num_after; j++)
				if (!r[r[i].dep[j]].placed)
					break;
			if (j == r[i].op.num_after)
				break;
		}
		if (i == n)
			break;
		r[i].placed = 1;
		r[i].order = done;
		out[done] = r[i].op;
		for (j = 0; j < r[i].op.num_after; j++)
			out[done].after[j] = r[r[i].dep[j]].order;
		done++;
	}
	if (done == n)
		return HLSIM_OK;
	/* a cycle: from an unplaced operation follow unplaced dependencies until one repeats */
	for (i = 0; r[i].placed; i++)
		;
	for (x = 0; x < n; x++) {
		for (j = 0; j < r[i].op.num_after && r[r[i].dep[j]].placed; j++)
			;
		i = r[i].dep[j];
	}
	/* i is now on the cycle: walk it once */
	used = (size_t)snprintf(chain, sizeof(chain), "%s", r[i].op.name);
	x = i;
	do {
		for (j = 0; j < r[x].op.num_after && r[r[x].dep[j]].placed; j++)
			;
		x = r[x].dep[j];
		if (used < sizeof(chain))
			used += (size_t)snprintf(chain + used, sizeof(chain) - used, " -> %s",
						 r[x].op.name);
	} while (x != i);
	return hlsim_error(HLSIM_E_USAGE, "%s:%u: key 'after': dependency cycle %s", path,
			   r[i].after_line, chain);
}

hlsim_err_t trc_gen_graph_parse(const char *path, struct trc_gen_ops_opts *o,
				struct trc_gen_op **ops_out, uint32_t *n_out)
{
	char *text = NULL, *line, *next;
	struct rop *r = NULL, *cur = NULL;
	struct trc_gen_op *ops = NULL;
	uint32_t n = 0, lineno = 0, i;
	int in_graph = 0;
	hlsim_err_t rc;

	*ops_out = NULL;
	*n_out = 0;
	rc = slurp(path, &text);
	if (rc)
		return rc;
	r = calloc(TRC_GEN_OPS_MAX_OPS, sizeof(*r));
	if (!r) {
		rc = hlsim_error(HLSIM_E_NOMEM, "%s", path);
		goto out;
	}
	line = text;
	if (!strncmp(line, "\xEF\xBB\xBF", 3))
		line += 3;
	for (; line; line = next) {
		char *s, *eq, *c;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		if (strlen(line) > MAX_LINE_BYTES) {
			rc = hlsim_error(HLSIM_E_USAGE, "%s:%u: line longer than %u bytes", path,
					 lineno, MAX_LINE_BYTES);
			goto out;
		}
		/* comments: a whole line, or after a blank */
		for (c = line; *c; c++) {
			if ((*c == '#' || *c == ';') && (c == line || is_blank(c[-1]))) {
				*c = '\0';
				break;
			}
		}
		s = trim(line);
		if (!*s)
			continue;
		if (*s == '[') {
			size_t len = strlen(s);

			if (s[len - 1] != ']') {
				rc = hlsim_error(HLSIM_E_USAGE, "%s:%u: section header without ']'",
						 path, lineno);
				goto out;
			}
			s[len - 1] = '\0';
			s = trim(s + 1);
			in_graph = !strcmp(s, "graph");
			cur = NULL;
			if (in_graph)
				continue;
			if (strncmp(s, "op", 2) || !is_blank(s[2])) {
				rc = hlsim_error(HLSIM_E_USAGE, "%s:%u: section '[%s]': expected "
						 "[graph] or [op NAME]", path, lineno, s);
				goto out;
			}
			s = trim(s + 3);
			if (!valid_name(s)) {
				rc = hlsim_error(HLSIM_E_USAGE,
						 "%s:%u: [op %s]: a name is 1..%d of "
						 "A-Z a-z 0-9 _ . -", path, lineno, s,
						 TRC_GEN_OPS_NAME_BYTES - 1);
				goto out;
			}
			for (i = 0; i < n; i++) {
				if (!strcmp(r[i].op.name, s)) {
					rc = hlsim_error(HLSIM_E_USAGE,
							 "%s:%u: [op %s]: name already "
							 "used on line %u", path, lineno, s,
							 r[i].op.line);
					goto out;
				}
			}
			if (n == TRC_GEN_OPS_MAX_OPS) {
				rc = hlsim_error(HLSIM_E_USAGE, "%s:%u: more than %d operations",
						 path, lineno, TRC_GEN_OPS_MAX_OPS);
				goto out;
			}
			cur = &r[n++];
			snprintf(cur->op.name, sizeof(cur->op.name), "%s", s);
			cur->op.line = lineno;
			continue;
		}
		eq = strchr(s, '=');
		if (!eq) {
			rc = hlsim_error(HLSIM_E_USAGE,
					 "%s:%u: expected 'key = value' or a section", path,
					 lineno);
			goto out;
		}
		*eq = '\0';
		s = trim(s);
		eq = trim(eq + 1);
		if (!*eq) {
			rc = hlsim_error(HLSIM_E_USAGE, "%s:%u: key '%s': empty value", path,
					 lineno, s);
			goto out;
		}
		if (in_graph)
			rc = graph_key(path, lineno, s, eq, o);
		else if (cur)
			rc = op_key(path, lineno, s, eq, cur);
		else
			rc = hlsim_error(HLSIM_E_USAGE, "%s:%u: key '%s' before any section", path,
					 lineno, s);
		if (rc)
			goto out;
	}
	if (!n) {
		rc = hlsim_error(HLSIM_E_USAGE, "%s: no [op NAME] section", path);
		goto out;
	}
	for (i = 0; i < n; i++) {
		rc = check_rop(path, &r[i]);
		if (rc)
			goto out;
	}
	ops = calloc(n, sizeof(*ops));
	if (!ops) {
		rc = hlsim_error(HLSIM_E_NOMEM, "%s", path);
		goto out;
	}
	rc = order(path, r, n, ops);
	if (rc)
		goto out;
	*ops_out = ops;
	*n_out = n;
	ops = NULL;
out:
	free(ops);
	free(r);
	free(text);
	return rc;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: hlsim gen graph FILE [--asic NAME] [--tpcs T] [--dmas D] [--mmes M] "
		   "[--stage hbm|sram] -o TRACE\n\n"
		   "A synthetic trace of the workload in FILE (format: traces/gen/GRAPH.md):\n"
		   "one execute CS per operation in dependency order, each operation's jobs\n"
		   "fenced on the completion SOBs of the operations it comes after, operands in\n"
		   "HBM (GEMMs with stage sram: copied through SRAM by the internal DMAs, as\n"
		   "`hlsim gen gemm --stage sram`). Options override the file's [graph] section.\n");
}

int trc_gen_graph_main(int argc, char **argv)
{
	struct trc_gen_ops_opts o;
	struct trc_gen_ops_stats st;
	struct trc_gen_op *ops = NULL;
	const char *file = NULL, *out = NULL, *asic = NULL, *stage = NULL, *d;
	char cmdline[1024];
	struct timespec t0, t1;
	uint64_t v, set[3] = { 0 };
	uint32_t n = 0;
	int i, have[3] = { 0 };
	hlsim_err_t rc;

	trc_gen_ops_defaults(&o);
	trc_gen_cmdline(argc, argv, cmdline, sizeof(cmdline));
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "-o") && val) {
			out = val;
			i++;
		} else if (!strcmp(a, "--asic") && val) {
			asic = val;
			i++;
		} else if (!strcmp(a, "--stage") && val) {
			if (strcmp(val, "hbm") && strcmp(val, "sram")) {
				fprintf(stderr, "hlsim gen graph: --stage '%s': expected hbm or sram\n",
					val);
				return 2;
			}
			stage = val;
			i++;
		} else if ((!strcmp(a, "--tpcs") || !strcmp(a, "--dmas") ||
			    !strcmp(a, "--mmes")) && val) {
			int k = a[2] == 't' ? 0 : a[2] == 'd' ? 1 : 2;

			if (trc_gen_parse_count(val, &v) || v > 1024) {
				fprintf(stderr, "hlsim gen graph: %s '%s': expected 0..1024\n", a,
					val);
				return 2;
			}
			set[k] = v;
			have[k] = 1;
			i++;
		} else if (a[0] != '-' && !file) {
			file = a;
		} else {
			fprintf(stderr, "hlsim gen graph: unknown or incomplete option '%s'\n", a);
			usage(stderr);
			return 2;
		}
	}
	if (!file || !out) {
		fprintf(stderr, "hlsim gen graph: FILE and -o TRACE are required\n");
		usage(stderr);
		return 2;
	}
	rc = trc_gen_graph_parse(file, &o, &ops, &n);
	if (!rc) {
		if (asic)
			o.asic = asic;
		if (stage)
			o.stage_sram = !strcmp(stage, "sram");
		if (have[0])
			o.tpcs = (uint32_t)set[0];
		if (have[1])
			o.dmas = (uint32_t)set[1];
		if (have[2])
			o.mmes = (uint32_t)set[2];
		clock_gettime(CLOCK_MONOTONIC, &t0);
		rc = trc_gen_ops(&o, ops, n, out, cmdline, &st);
		if (rc)
			hlsim_error_prefix(rc, "%s: ", file);
	}
	free(ops);
	if (rc) {
		d = hlsim_last_error_detail();
		fprintf(stderr, "hlsim: gen graph: %s\n", d && d[0] ? d : hlsim_strerror(rc));
		return rc == HLSIM_E_USAGE ? 2 : 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("hlsim gen graph: wrote %s: %u operations, %" PRIu64 " packets, %u MME launches, "
	       "%u TPC kernels, %u DMA jobs, %" PRIu64 " FLOPs in %.3f s\n",
	       out, st.ops, st.packets, st.mme_launches, st.tpc_launches, st.dma_jobs, st.flops,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9);
	return 0;
}
