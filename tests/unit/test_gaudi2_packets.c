/*
 * tests/unit/test_gaudi2_packets.c - the Gaudi2 (HL-225) packet decoder and encoder.
 *
 * 1. Every line of tests/data/gaudi2-packet-vectors.txt (field values -> exact bytes):
 *    the command built from the named fields alone (every other field 0) equals the
 *    decoded one field by field, and both encode back to exactly the bytes. The SOB
 *    update and monitor-config values are rebuilt from their bit fields and checked
 *    against the model's SOB value decoding. A key this test does not know fails it.
 * 2. Every opcode round-trips with its fields at their maximum and at chosen values; the
 *    opcode table names exactly 0x1..0x13 (0x11 named but never decoded).
 * 3. Decode errors (invalid opcode, kernel-only 0x11, truncated packet, WREG_BULK and
 *    WRITE_ARC_STREAM past the CB end, unaligned offset, undefined MSG op) give
 *    HLSIM_E_DECODE with the byte offset in the detail.
 * 4. Encode errors (field out of range, Gaudi-only fields, no room, kind/opcode mismatch).
 * 5. Pseudo-random bytes: whatever decodes re-encodes to bytes that decode the same.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hlsim/cmd.h"
#include "models/common/asic.h"
#include "tests/unit/check.h"
#include "tests/unit/cmd_equal.h"

#define MAX_PKT_BYTES 256

static const struct mdl_asic_funcs *F;

/* {==== Command comparison (cmd_equal: tests/unit/cmd_equal.h) ==== */

static void print_cmd(const char *what, const struct hlsim_cmd *c)
{
	fprintf(stderr, "  %s: kind %u opcode 0x%x eb %u rb %u mb %u pred %u size %u\n", what,
		c->kind, c->opcode, c->eb, c->rb, c->mb, c->pred, c->size_bytes);
}

static uint8_t opcode_by_name(const char *name)
{
	unsigned int op;

	for (op = 0; op < 32; op++)
		if (F->opcode_name((uint8_t)op) && !strcmp(F->opcode_name((uint8_t)op), name))
			return (uint8_t)op;
	return 0;
}

/* The command kind an opcode decodes to (WREG_32 with reg=1 aside). */
static uint8_t kind_of(const char *op)
{
	static const struct {
		const char *name;
		uint8_t kind;
	} map[] = {
		{ "WREG_32", HLSIM_CMD_WREG },
		{ "WREG_BULK", HLSIM_CMD_WREG },
		{ "MSG_LONG", HLSIM_CMD_MSG },
		{ "MSG_SHORT", HLSIM_CMD_MSG },
		{ "MSG_PROT", HLSIM_CMD_MSG },
		{ "CP_DMA", HLSIM_CMD_CB_CALL },
		{ "REPEAT", HLSIM_CMD_REPEAT },
		{ "FENCE", HLSIM_CMD_FENCE },
		{ "LIN_DMA", HLSIM_CMD_DMA },
		{ "NOP", HLSIM_CMD_NOP },
		{ "STOP", HLSIM_CMD_STOP },
		{ "ARB_POINT", HLSIM_CMD_ARB_POINT },
		{ "WAIT", HLSIM_CMD_WAIT },
		{ "CB_LIST", HLSIM_CMD_CB_LIST },
		{ "LOAD_AND_EXE", HLSIM_CMD_LOAD_AND_EXE },
		{ "WRITE_ARC_STREAM", HLSIM_CMD_ARC_STREAM },
		{ "WREG_64_SHORT", HLSIM_CMD_WREG64 },
		{ "WREG_64_LONG", HLSIM_CMD_WREG64 },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(map[i].name, op))
			return map[i].kind;
	return HLSIM_CMD_KIND_COUNT_;
}
/* ====} */

/* {==== The vector file ==== */

/* Fields of a vector line: the command built from them plus the MSG_SHORT value parts. */
struct vec {
	struct hlsim_cmd cmd;
	uint8_t values[MAX_PKT_BYTES]; /* WREG_BULK / WRITE_ARC_STREAM payload from "values=" */
	int reg; /* WREG_32 reg=1 */
	uint32_t mode, sync_value, long_mode; /* so_upd(...) */
	uint32_t long_sob, cq_en, wr_num, lbw_en, msb_sid, long_high_group; /* mon_config(...) */
};

static int parse_values(struct vec *v, const char *val, const uint8_t **out, uint32_t *count)
{
	const char *p = val;
	size_t n = 0;
	int i;

	while (*p) {
		char *end;
		uint64_t w = strtoull(p, &end, 0);

		if (end == p || n + 8 > sizeof(v->values))
			return 0;
		for (i = 0; i < 8; i++)
			v->values[n++] = (uint8_t)(w >> (8 * i));
		p = *end == ',' ? end + 1 : end;
	}
	*out = v->values;
	*count = (uint32_t)(n / 8);
	return 1;
}

/* Sets the command field called @key (on a line of opcode @op) to @val; 0 if unknown. */
static int set_field(struct vec *v, const char *op, const char *key, const char *val)
{
	struct hlsim_cmd *c = &v->cmd;
	uint64_t x = strtoull(val, NULL, 0);
	int wr64 = !strncmp(op, "WREG_64_", 8);

	if (!strcmp(key, "eb"))
		c->eb = (uint8_t)x;
	else if (!strcmp(key, "swtc") || !strcmp(key, "rb"))
		c->rb = (uint8_t)x;
	else if (!strcmp(key, "mb"))
		c->mb = (uint8_t)x;
	else if (!strcmp(key, "pred"))
		c->pred = (uint8_t)x;
	else if (!strcmp(key, "reg_offset"))
		c->u.wreg.reg_offset = (uint32_t)x;
	else if (!strcmp(key, "value") && !strcmp(op, "WREG_32"))
		c->u.wreg.value = (uint32_t)x;
	else if (!strcmp(key, "reg") && !strcmp(op, "WREG_32"))
		v->reg = (int)x;
	else if (!strcmp(key, "reg_id"))
		c->u.wreg.reg_id = (uint8_t)x;
	else if (!strcmp(key, "size64") && !strcmp(op, "WRITE_ARC_STREAM"))
		c->u.arc_stream.count = (uint32_t)x;
	else if (!strcmp(key, "size64"))
		c->u.wreg.count = 2 * (uint32_t)x;
	else if (!strcmp(key, "values") && !strcmp(op, "WRITE_ARC_STREAM")) {
		uint32_t n;

		return parse_values(v, val, &c->u.arc_stream.values, &n) &&
		       n == c->u.arc_stream.count;
	} else if (!strcmp(key, "values")) {
		uint32_t n;

		return parse_values(v, val, &c->u.wreg.values, &n) && 2 * n == c->u.wreg.count;
	} else if (!strcmp(key, "addr") || !strcmp(key, "msg_addr_offset"))
		c->u.msg.addr = x;
	else if (!strcmp(key, "op"))
		c->u.msg.op = (uint8_t)x;
	else if (!strcmp(key, "base") && wr64)
		c->u.wreg64.base = (uint8_t)x;
	else if (!strcmp(key, "base"))
		c->u.msg.base = (uint8_t)x;
	else if (!strcmp(key, "dw"))
		c->u.msg.dw = (uint8_t)x;
	else if (!strcmp(key, "mode"))
		v->mode = (uint32_t)x;
	else if (!strcmp(key, "sync_value"))
		v->sync_value = (uint32_t)x;
	else if (!strcmp(key, "long_mode"))
		v->long_mode = (uint32_t)x;
	else if (!strcmp(key, "long_sob"))
		v->long_sob = (uint32_t)x;
	else if (!strcmp(key, "cq_en"))
		v->cq_en = (uint32_t)x;
	else if (!strcmp(key, "wr_num"))
		v->wr_num = (uint32_t)x;
	else if (!strcmp(key, "lbw_en"))
		v->lbw_en = (uint32_t)x;
	else if (!strcmp(key, "msb_sid"))
		v->msb_sid = (uint32_t)x;
	else if (!strcmp(key, "long_high_group"))
		v->long_high_group = (uint32_t)x;
	else if (!strcmp(key, "tsize") && !strcmp(op, "LIN_DMA"))
		c->u.dma.size_bytes = x;
	else if (!strcmp(key, "tsize") && !strcmp(op, "CP_DMA"))
		c->u.cb_call.size_bytes = (uint32_t)x;
	else if ((!strcmp(key, "src") || !strcmp(key, "value(src)")) && !strcmp(op, "LIN_DMA"))
		c->u.dma.src_addr = x;
	else if (!strcmp(key, "src") && !strcmp(op, "CP_DMA"))
		c->u.cb_call.addr = x;
	else if (!strcmp(key, "upper_cp"))
		c->u.cb_call.upper_cp = (uint8_t)x;
	else if (!strcmp(key, "dst") && !strcmp(op, "LIN_DMA"))
		c->u.dma.dst_addr = x;
	else if (!strcmp(key, "wrcomp"))
		c->u.dma.flags |= x ? HLSIM_DMA_WR_COMP : 0;
	else if (!strcmp(key, "memset"))
		c->u.dma.flags |= x ? HLSIM_DMA_MEMSET : 0;
	else if (!strcmp(key, "endian"))
		c->u.dma.flags |= (uint32_t)x << HLSIM_DMA_ENDIAN_SHIFT;
	else if (!strcmp(key, "size_desc"))
		c->u.cb_list.size_desc = (uint8_t)x;
	else if (!strcmp(key, "index_addr"))
		c->u.cb_list.index_addr = x;
	else if (!strcmp(key, "table_addr"))
		c->u.cb_list.table_addr = x;
	else if (!strcmp(key, "offset") && wr64)
		c->u.wreg64.offset = x;
	else if (!strcmp(key, "reg") && wr64)
		c->u.wreg64.reg = (uint8_t)x;
	else if (!strcmp(key, "rel"))
		c->u.wreg64.rel = (uint8_t)x;
	else if (!strcmp(key, "dw_enable"))
		c->u.wreg64.dw_enable = (uint8_t)x;
	else if (!strcmp(key, "dreg_offset"))
		c->u.wreg64.dreg_offset = (uint32_t)x;
	else
		return 0;
	return 1;
}

static int is_key_char(char ch)
{
	return isalnum((unsigned char)ch) || ch == '_' || ch == '(' || ch == ')';
}

/*
 * Parses "NAME k=v k=v ..." into @v. A key is the run of [a-z0-9_()] before '='; in
 * "so_upd(mode" the key is what follows the last unbalanced '('. Returns the number of
 * fields, or -1 on an unknown key.
 */
static int parse_fields(const char *fields, const char *op, struct vec *v)
{
	const char *eq, *k, *s;
	char key[64], val[256];
	int n = 0;

	for (eq = strchr(fields, '='); eq; eq = strchr(eq + 1, '=')) {
		size_t kl, vl = 0;

		for (k = eq; k > fields && is_key_char(k[-1]); k--)
			;
		kl = (size_t)(eq - k);
		if (!kl || kl >= sizeof(key))
			continue;
		memcpy(key, k, kl);
		key[kl] = '\0';
		if (strchr(key, '(') && !strchr(key, ')'))
			memmove(key, strrchr(key, '(') + 1, strlen(strrchr(key, '(') + 1) + 1);
		for (s = eq + 1; *s && (isxdigit((unsigned char)*s) || *s == 'x' || *s == ',');
		     s++)
			if (vl + 1 < sizeof(val))
				val[vl++] = *s;
		while (vl && val[vl - 1] == ',')
			vl--;
		val[vl] = '\0';
		if (!vl)
			continue;
		if (!set_field(v, op, key, val)) {
			fprintf(stderr, "vector key '%s' (value '%s') is not handled\n", key, val);
			return -1;
		}
		n++;
	}
	return n;
}

static size_t parse_bytes(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;

	while (*s) {
		unsigned int b;

		while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			s++;
		if (!*s)
			break;
		if (!isxdigit((unsigned char)s[0]) || !isxdigit((unsigned char)s[1]) || n >= cap ||
		    sscanf(s, "%2x", &b) != 1)
			return 0;
		out[n++] = (uint8_t)b;
		s += 2;
	}
	return n;
}

/* The MSG_SHORT value, rebuilt from its bit fields [hl-thunk so_upd / mon_config_register]. */
static void build_msg_short_value(const char *fields, struct vec *v)
{
	if (strstr(fields, "so_upd("))
		v->cmd.u.msg.value = v->mode << 31 | v->long_mode << 24 | v->sync_value;
	if (strstr(fields, "mon_config("))
		v->cmd.u.msg.value = v->long_sob | v->cq_en << 4 | v->wr_num << 5 |
				     v->lbw_en << 8 | v->msb_sid << 16 |
				     v->long_high_group << 31;
}

static void check_msg_short_extras(const char *fields, const struct vec *v,
				   const struct hlsim_cmd *d)
{
	uint64_t base = F->msg_base_addr(0, d->u.msg.base);
	struct mdl_target t;

	CHECK(base != 0);
	F->classify_target(base + d->u.msg.addr, &t);
	if (strstr(fields, "so_upd(")) {
		uint32_t operand;
		int add;

		F->sob_value_decode(d->u.msg.value, &add, &operand);
		CHECK_EQ_U64(add, v->mode);
		CHECK_EQ_U64(operand, v->sync_value);
		CHECK_EQ_U64(F->sob_value_encode(add, operand) | v->long_mode << 24,
			     d->u.msg.value);
		/* base 1 is DCORE0's SOB_OBJ_0: offset 0xa0 is SOB 40 */
		CHECK_EQ_U64(t.kind, MDL_TARGET_SOB);
		CHECK_EQ_U64(t.block, 0);
		CHECK_EQ_U64(t.index, d->u.msg.addr / 4);
	}
	if (strstr(fields, "mon_config(")) {
		/* base 0 is DCORE0's MON_PAY_ADDRL_0: offset 0x10 is monitor 4's PAY_ADDRL */
		CHECK_EQ_U64(t.kind, MDL_TARGET_MON_PAY_ADDRL);
		CHECK_EQ_U64(t.index, d->u.msg.addr / 4);
	}
}

static void check_vector_line(const char *line, int lineno)
{
	uint8_t bytes[MAX_PKT_BYTES], enc[MAX_PKT_BYTES];
	char op[32], fields[1024];
	const char *colon = strrchr(line, ':');
	struct hlsim_cmd d;
	struct vec v;
	size_t nbytes, n;
	hlsim_err_t rc;
	uint8_t opcode;

	memset(&v, 0, sizeof(v));
	CHECK(colon != NULL);
	if (!colon || sscanf(line, "%31s", op) != 1)
		return;
	nbytes = parse_bytes(colon + 1, bytes, sizeof(bytes));
	CHECK(nbytes >= 8 && nbytes % 8 == 0);
	opcode = opcode_by_name(op);
	CHECK(opcode != 0);
	CHECK(kind_of(op) != HLSIM_CMD_KIND_COUNT_);
	if (!opcode || !nbytes || kind_of(op) == HLSIM_CMD_KIND_COUNT_) {
		fprintf(stderr, "vector line %d unusable: %s\n", lineno, line);
		return;
	}
	snprintf(fields, sizeof(fields), "%.*s", (int)(colon - line), line);

	rc = F->decode(bytes, nbytes, 0, &d);
	CHECK_EQ_U64(rc, HLSIM_OK);
	if (rc) {
		fprintf(stderr, "line %d: %s\n", lineno, hlsim_last_error_detail());
		return;
	}

	/* The command built from the fields alone. */
	v.cmd.opcode = opcode;
	v.cmd.kind = kind_of(op);
	if (!strcmp(op, "WREG_32"))
		v.cmd.u.wreg.count = 1;
	if (!strcmp(op, "MSG_SHORT"))
		v.cmd.u.msg.is_short = 1;
	if (!strcmp(op, "MSG_PROT"))
		v.cmd.u.msg.is_prot = 1;
	if (!strcmp(op, "WREG_64_LONG"))
		v.cmd.u.wreg64.is_long = 1;
	CHECK(parse_fields(fields, op, &v) > 0);
	if (v.reg)
		v.cmd.kind = HLSIM_CMD_WREG_REG;
	/* The monitor-config line does not state its barriers: take those bits from the bytes. */
	if (!strstr(fields, "eb="))
		v.cmd.eb = d.eb;
	if (!strstr(fields, "swtc=") && !strstr(fields, "rb="))
		v.cmd.rb = d.rb;
	if (!strstr(fields, "mb="))
		v.cmd.mb = d.mb;
	if (!strcmp(op, "MSG_SHORT"))
		build_msg_short_value(fields, &v);

	/* Decoded == built from fields (every named field, and 0 elsewhere). */
	CHECK_EQ_U64(d.kind, v.cmd.kind);
	CHECK_EQ_U64(d.opcode, opcode);
	CHECK_EQ_U64(d.size_bytes, nbytes);
	CHECK(cmd_equal(&d, &v.cmd));
	if (!cmd_equal(&d, &v.cmd)) {
		fprintf(stderr, "line %d: decoded command differs from the fields: %s\n", lineno,
			line);
		print_cmd("decoded", &d);
		print_cmd("fields", &v.cmd);
	}
	if (!strcmp(op, "MSG_SHORT"))
		check_msg_short_extras(fields, &v, &d);

	/* Both encode to the exact bytes. */
	n = F->encode(&d, enc, sizeof(enc));
	CHECK_EQ_U64(n, nbytes);
	CHECK(n == nbytes && !memcmp(enc, bytes, nbytes));
	memset(enc, 0xAA, sizeof(enc));
	n = F->encode(&v.cmd, enc, sizeof(enc));
	CHECK_EQ_U64(n, nbytes);
	CHECK(n == nbytes && !memcmp(enc, bytes, nbytes));
	if (n != nbytes || memcmp(enc, bytes, nbytes))
		fprintf(stderr, "line %d: encoding the fields gives other bytes (%s)\n", lineno,
			n ? "" : hlsim_last_error_detail());
}

static void test_vectors(void)
{
	char path[4096], line[2048];
	int lineno = 0, used = 0;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/gaudi2-packet-vectors.txt", HLSIM_TEST_DATA_DIR);
	fp = fopen(path, "r");
	CHECK(fp != NULL);
	if (!fp)
		return;
	while (fgets(line, sizeof(line), fp)) {
		lineno++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		check_vector_line(line, lineno);
		used++;
	}
	fclose(fp);
	CHECK(used >= 11); /* the file has 11 vectors; none may be skipped silently */
	printf("vectors: %d lines checked\n", used);
}
/* ====} */

/* {==== Round trips of every opcode ==== */

static void roundtrip(const struct hlsim_cmd *c, const char *what)
{
	uint8_t buf[2 * MAX_PKT_BYTES], again[2 * MAX_PKT_BYTES];
	struct hlsim_cmd d;
	size_t n, m;
	hlsim_err_t rc;

	n = F->encode(c, buf, sizeof(buf));
	CHECK(n > 0);
	if (!n) {
		fprintf(stderr, "%s: encode failed: %s\n", what, hlsim_last_error_detail());
		return;
	}
	rc = F->decode(buf, n, 0, &d);
	CHECK_EQ_U64(rc, HLSIM_OK);
	CHECK_EQ_U64(d.size_bytes, n);
	CHECK(cmd_equal(&d, c));
	if (!cmd_equal(&d, c))
		fprintf(stderr, "%s: decode(encode(cmd)) != cmd\n", what);
	m = F->encode(&d, again, sizeof(again));
	CHECK(m == n && !memcmp(buf, again, n));
}

static void test_opcode_table(void)
{
	unsigned int op, named = 0;

	for (op = 0; op < 32; op++) {
		const char *name = F->opcode_name((uint8_t)op);
		int valid = op >= 0x1 && op <= 0x13;

		if (op == HLSIM_NIC_OPCODE) /* hlsim's own NIC record (test_nic_record.c) */
			continue;
		CHECK_EQ_U64(name != NULL, valid);
		named += valid;
	}
	CHECK_EQ_U64(named, 19);
	CHECK(!strcmp(F->opcode_name(0x0E), "CB_LIST"));
	CHECK(!strcmp(F->opcode_name(0x10), "WRITE_ARC_STREAM"));
	CHECK(!strcmp(F->opcode_name(0x11), "LAST_READ_FROM_ARC"));
	CHECK(!strcmp(F->opcode_name(0x12), "WREG_64_SHORT"));
	CHECK(!strcmp(F->opcode_name(0x13), "WREG_64_LONG"));
	CHECK(F->opcode_name(0x14) == NULL);
	CHECK(F->opcode_name(0xFF) == NULL);
}

static void test_all_opcodes(void)
{
	static const uint8_t bulk[32] = { 1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11,
					  12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
					  23, 24, 25, 26, 27, 28, 29, 30, 31, 32 };
	struct hlsim_cmd c;

	/* All barrier bits set, the widest value of every field. */
	memset(&c, 0, sizeof(c));
	c.eb = c.rb = c.mb = 1;
	c.pred = 31;
	c.kind = HLSIM_CMD_WREG;
	c.opcode = opcode_by_name("WREG_32");
	c.u.wreg.reg_offset = 0xFFFF;
	c.u.wreg.count = 1;
	c.u.wreg.value = 0xFFFFFFFF;
	roundtrip(&c, "WREG_32");
	c.kind = HLSIM_CMD_WREG_REG;
	c.u.wreg.value = 0;
	c.u.wreg.reg_id = 3;
	roundtrip(&c, "WREG_32 reg=1");
	c.kind = HLSIM_CMD_WREG;
	c.u.wreg.reg_id = 0;
	c.opcode = opcode_by_name("WREG_BULK");
	c.u.wreg.count = 4;
	c.u.wreg.values = bulk;
	roundtrip(&c, "WREG_BULK");
	c.u.wreg.count = 0; /* the decoder points values at the (empty) payload */
	roundtrip(&c, "WREG_BULK empty");

	memset(&c.u, 0, sizeof(c.u));
	c.kind = HLSIM_CMD_MSG;
	c.opcode = opcode_by_name("MSG_LONG");
	c.u.msg.addr = UINT64_MAX;
	c.u.msg.value = 0xFFFFFFFF;
	c.u.msg.op = HLSIM_MSG_WRITE_TIMESTAMP;
	c.u.msg.weakly_ordered = c.u.msg.no_snoop = 1;
	roundtrip(&c, "MSG_LONG");
	c.opcode = opcode_by_name("MSG_PROT");
	c.u.msg.is_prot = 1;
	roundtrip(&c, "MSG_PROT");
	c.opcode = opcode_by_name("MSG_SHORT");
	c.pred = 0;
	c.u.msg.is_prot = 0;
	c.u.msg.is_short = 1;
	c.u.msg.addr = 0xFFFF;
	c.u.msg.base = 3;
	c.u.msg.dw = 1;
	roundtrip(&c, "MSG_SHORT");

	memset(&c.u, 0, sizeof(c.u));
	c.pred = 31;
	c.kind = HLSIM_CMD_CB_CALL;
	c.opcode = opcode_by_name("CP_DMA");
	c.u.cb_call.addr = UINT64_MAX;
	c.u.cb_call.size_bytes = UINT32_MAX;
	c.u.cb_call.upper_cp = 1;
	roundtrip(&c, "CP_DMA");

	memset(&c.u, 0, sizeof(c.u));
	c.kind = HLSIM_CMD_REPEAT;
	c.opcode = opcode_by_name("REPEAT");
	c.u.repeat.jmp_ptr = 0xFFFF;
	c.u.repeat.sore = c.u.repeat.outer = 1;
	roundtrip(&c, "REPEAT");

	memset(&c.u, 0, sizeof(c.u));
	c.kind = HLSIM_CMD_FENCE;
	c.opcode = opcode_by_name("FENCE");
	c.u.fence.id = 3;
	c.u.fence.target = 255;
	c.u.fence.dec = 15;
	roundtrip(&c, "FENCE");

	memset(&c.u, 0, sizeof(c.u));
	c.pred = 0;
	c.kind = HLSIM_CMD_DMA;
	c.opcode = opcode_by_name("LIN_DMA");
	c.u.dma.size_bytes = UINT32_MAX;
	c.u.dma.src_addr = UINT64_MAX;
	c.u.dma.dst_addr = UINT64_MAX; /* Gaudi2: a full 64-bit destination */
	c.u.dma.flags = HLSIM_DMA_WR_COMP | HLSIM_DMA_MEMSET | HLSIM_DMA_BF16 | HLSIM_DMA_FP16 |
			HLSIM_DMA_CTX_ID_INC | HLSIM_DMA_ADD_OFFSET_0 | HLSIM_DMA_ENDIAN_MASK;
	roundtrip(&c, "LIN_DMA");
	c.u.dma.flags = 2u << HLSIM_DMA_ENDIAN_SHIFT;
	roundtrip(&c, "LIN_DMA endian 2");

	memset(&c.u, 0, sizeof(c.u));
	c.kind = HLSIM_CMD_NOP;
	c.opcode = opcode_by_name("NOP");
	roundtrip(&c, "NOP");
	c.kind = HLSIM_CMD_STOP;
	c.opcode = opcode_by_name("STOP");
	roundtrip(&c, "STOP");

	c.pred = 31;
	c.kind = HLSIM_CMD_ARB_POINT;
	c.opcode = opcode_by_name("ARB_POINT");
	c.u.arb.priority = 0xFFFFFF; /* 24 bits on Gaudi2 */
	c.u.arb.release = 1;
	roundtrip(&c, "ARB_POINT");

	memset(&c.u, 0, sizeof(c.u));
	c.pred = 0;
	c.kind = HLSIM_CMD_WAIT;
	c.opcode = opcode_by_name("WAIT");
	c.u.wait.cycles = 0xFFFFFF;
	c.u.wait.inc = 15;
	c.u.wait.id = 3;
	roundtrip(&c, "WAIT");

	memset(&c.u, 0, sizeof(c.u));
	c.pred = 31;
	c.kind = HLSIM_CMD_CB_LIST;
	c.opcode = opcode_by_name("CB_LIST");
	c.u.cb_list.index_addr = UINT64_MAX;
	c.u.cb_list.table_addr = 0x0123456789ABCDEFull;
	c.u.cb_list.size_desc = 1;
	roundtrip(&c, "CB_LIST");

	memset(&c.u, 0, sizeof(c.u));
	c.kind = HLSIM_CMD_LOAD_AND_EXE;
	c.opcode = opcode_by_name("LOAD_AND_EXE");
	c.u.load_exe.src_addr = UINT64_MAX;
	c.u.load_exe.dst = c.u.load_exe.pmap = c.u.load_exe.load = c.u.load_exe.exe = 1;
	c.u.load_exe.etype = 1;
	roundtrip(&c, "LOAD_AND_EXE");

	memset(&c.u, 0, sizeof(c.u));
	c.pred = 0;
	c.kind = HLSIM_CMD_ARC_STREAM;
	c.opcode = opcode_by_name("WRITE_ARC_STREAM");
	c.u.arc_stream.count = 4;
	c.u.arc_stream.values = bulk;
	roundtrip(&c, "WRITE_ARC_STREAM");
	c.u.arc_stream.count = 0;
	roundtrip(&c, "WRITE_ARC_STREAM empty");

	memset(&c.u, 0, sizeof(c.u));
	c.pred = 31;
	c.kind = HLSIM_CMD_WREG64;
	c.opcode = opcode_by_name("WREG_64_SHORT");
	c.u.wreg64.offset = UINT32_MAX;
	c.u.wreg64.base = 15;
	c.u.wreg64.reg = 1;
	c.u.wreg64.dreg_offset = 0x3FFF;
	roundtrip(&c, "WREG_64_SHORT");
	memset(&c.u, 0, sizeof(c.u));
	c.opcode = opcode_by_name("WREG_64_LONG");
	c.u.wreg64.is_long = 1;
	c.u.wreg64.offset = UINT64_MAX;
	c.u.wreg64.base = 15;
	c.u.wreg64.rel = 1;
	c.u.wreg64.dw_enable = 3;
	c.u.wreg64.dreg_offset = 0x3FFF;
	roundtrip(&c, "WREG_64_LONG");

	/* opcode 0 means "the natural opcode of this kind". */
	{
		static const struct {
			uint8_t kind, is_long;
			const char *want;
		} natural[] = {
			{ HLSIM_CMD_CB_LIST, 0, "CB_LIST" },
			{ HLSIM_CMD_WREG64, 0, "WREG_64_SHORT" },
			{ HLSIM_CMD_WREG64, 1, "WREG_64_LONG" },
			{ HLSIM_CMD_ARC_STREAM, 0, "WRITE_ARC_STREAM" },
			{ HLSIM_CMD_WREG_REG, 0, "WREG_32" },
		};
		unsigned int i;

		for (i = 0; i < sizeof(natural) / sizeof(natural[0]); i++) {
			uint8_t buf[32];
			struct hlsim_cmd d;

			memset(&c, 0, sizeof(c));
			c.kind = natural[i].kind;
			c.u.wreg64.is_long = natural[i].is_long;
			if (c.kind == HLSIM_CMD_WREG_REG)
				c.u.wreg.count = 1;
			CHECK(F->encode(&c, buf, sizeof(buf)) > 0);
			CHECK_EQ_U64(F->decode(buf, sizeof(buf), 0, &d), HLSIM_OK);
			CHECK(!strcmp(F->opcode_name(d.opcode), natural[i].want));
			CHECK_EQ_U64(d.kind, c.kind);
		}
	}
}
/* ====} */

/* {==== Errors ==== */

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void expect_decode_error(const uint8_t *cb, size_t size, size_t off, const char *detail)
{
	struct hlsim_cmd d;
	hlsim_err_t rc;

	hlsim_clear_error();
	rc = F->decode(cb, size, off, &d);
	CHECK_EQ_U64(rc, HLSIM_E_DECODE);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), detail);
}

static void test_decode_errors(void)
{
	uint8_t *cb = calloc(1, 0x50); /* exact size: ASan sees any read past the end */
	char want[96];
	unsigned int op;

	if (!cb)
		return;
	/* Invalid opcodes 0x0 and 0x14..0x1E at byte offset 0x48 (0x1F: hlsim's NIC record). */
	for (op = 0; op < 32; op++) {
		if ((op >= 1 && op <= 0x13) || op == HLSIM_NIC_OPCODE)
			continue;
		put32(cb + 0x48, 0);
		put32(cb + 0x4C, op << 24 | 0x40000000u);
		snprintf(want, sizeof(want), "byte offset 0x48: invalid opcode 0x%02x", op);
		expect_decode_error(cb, 0x50, 0x48, want);
	}
	/* The kernel-only opcode. */
	put32(cb + 0x4C, 0x11000000u);
	expect_decode_error(cb, 0x50, 0x48,
			    "byte offset 0x48: LAST_READ_FROM_ARC (opcode 0x11) is a kernel-only "
			    "packet");

	/* Truncated fixed-size packets. */
	put32(cb + 0x44, 0x09000001u); /* LIN_DMA at 0x40: 24 bytes, 16 left */
	expect_decode_error(cb, 0x50, 0x40, "byte offset 0x40: LIN_DMA needs 24 bytes, 16 left");
	put32(cb + 0x44, 0x0E000000u); /* CB_LIST at 0x40: 24 bytes, 16 left */
	expect_decode_error(cb, 0x50, 0x40, "byte offset 0x40: CB_LIST needs 24 bytes, 16 left");
	put32(cb + 0x4C, 0x13000000u); /* WREG_64_LONG at 0x48: 16 bytes, 8 left */
	expect_decode_error(cb, 0x50, 0x48,
			    "byte offset 0x48: WREG_64_LONG needs 16 bytes, 8 left");
	put32(cb + 0x4C, 0x43000000u);
	expect_decode_error(cb, 0x50, 0x48, "byte offset 0x48: MSG_LONG needs 16 bytes, 8 left");
	put32(cb + 0x4C, 0x4F000000u);
	expect_decode_error(cb, 0x50, 0x48, "LOAD_AND_EXE needs 16 bytes, 8 left");
	put32(cb + 0x4C, 0x05000000u);
	expect_decode_error(cb, 0x50, 0x48, "CP_DMA needs 16 bytes, 8 left");
	put32(cb + 0x4C, 0xC7000000u);
	expect_decode_error(cb, 0x50, 0x48, "MSG_PROT needs 16 bytes, 8 left");

	/* Payloads past the CB end: 3 u64 after 0x38 need 32 bytes, 24 left. */
	put32(cb + 0x38, 3);
	put32(cb + 0x3C, 0x02000A00u);
	expect_decode_error(cb, 0x50, 0x38, "byte offset 0x38: WREG_BULK of 3 u64 values needs 32");
	put32(cb + 0x3C, 0x10000000u);
	expect_decode_error(cb, 0x50, 0x38,
			    "byte offset 0x38: WRITE_ARC_STREAM of 3 u64 values needs 32 bytes, "
			    "24 left");
	put32(cb + 0x38, 0xFFFF);
	expect_decode_error(cb, 0x50, 0x38, "WRITE_ARC_STREAM of 65535 u64 values");
	put32(cb + 0x38, 2); /* fits exactly: 8 + 16 = 24 */
	{
		struct hlsim_cmd d;

		CHECK_EQ_U64(F->decode(cb, 0x50, 0x38, &d), HLSIM_OK);
		CHECK_EQ_U64(d.kind, HLSIM_CMD_ARC_STREAM);
		CHECK_EQ_U64(d.u.arc_stream.count, 2);
		CHECK(d.u.arc_stream.values == cb + 0x40);
		CHECK_EQ_U64(d.size_bytes, 24);
	}

	/* Offsets: unaligned, at or past the end, fewer than 8 bytes left. */
	expect_decode_error(cb, 0x50, 0x44, "byte offset 0x44: packets start on 8-byte boundaries");
	expect_decode_error(cb, 0x50, 0x50,
			    "byte offset 0x50: packet header needs 8 bytes, 0 left");
	expect_decode_error(cb, 0x50, 0x1000, "byte offset 0x1000: packet header needs 8 bytes");
	expect_decode_error(cb, 0x4C, 0x48,
			    "byte offset 0x48: packet header needs 8 bytes, 4 left");

	/* Undefined MSG ops. */
	memset(cb, 0, 0x50);
	put32(cb + 4, 0x04200000u); /* MSG_SHORT op 2 */
	expect_decode_error(cb, 0x50, 0, "byte offset 0x0: MSG_SHORT op 2 is not defined");
	put32(cb + 4, 0x03300000u); /* MSG_LONG op 3 */
	expect_decode_error(cb, 0x50, 0, "MSG_LONG op 3 is not defined");
	put32(cb + 0x14, 0x07300000u); /* MSG_PROT op 3 at 0x10 */
	expect_decode_error(cb, 0x50, 0x10, "byte offset 0x10: MSG_PROT op 3 is not defined");

	/* Gaudi2 LIN_DMA has no lin bit: ctl 0 is a valid linear copy. */
	{
		struct hlsim_cmd d;

		put32(cb + 4, 0x09000000u);
		CHECK_EQ_U64(F->decode(cb, 0x50, 0, &d), HLSIM_OK);
		CHECK_EQ_U64(d.kind, HLSIM_CMD_DMA);
		CHECK_EQ_U64(d.u.dma.flags, 0);
	}

	/* NULL arguments. */
	{
		struct hlsim_cmd d;

		CHECK_EQ_U64(F->decode(NULL, 8, 0, &d), HLSIM_E_INVAL);
		CHECK_EQ_U64(F->decode(cb, 8, 0, NULL), HLSIM_E_INVAL);
	}
	free(cb);
}

/* Encoding @c fails with a detail containing @detail. */
static void expect_encode_error(const struct hlsim_cmd *c, size_t cap, const char *detail)
{
	uint8_t buf[64];

	hlsim_clear_error();
	CHECK_EQ_U64(F->encode(c, buf, cap), 0);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), detail);
}

static void test_encode_errors(void)
{
	struct hlsim_cmd c;
	uint8_t buf[64];

	memset(&c, 0, sizeof(c));
	c.kind = HLSIM_CMD_DMA;
	c.opcode = opcode_by_name("LIN_DMA");
	c.u.dma.size_bytes = 64;
	expect_encode_error(&c, 16, "LIN_DMA needs 24 bytes, room for 16");
	CHECK_EQ_U64(F->encode(&c, buf, 24), 24);
	c.u.dma.flags = HLSIM_DMA_TRANSPOSE; /* Gaudi only */
	expect_encode_error(&c, sizeof(buf), "Gaudi2 has no transpose");
	c.u.dma.flags = HLSIM_DMA_COMPRESS;
	expect_encode_error(&c, sizeof(buf), "flags");
	c.u.dma.flags = 0;
	c.u.dma.context_id = 1;
	expect_encode_error(&c, sizeof(buf), "context_id");
	c.u.dma.context_id = 0;
	c.u.dma.size_bytes = 1ull << 32;
	expect_encode_error(&c, sizeof(buf), "size_bytes");
	c.u.dma.size_bytes = 64;
	c.pred = 1; /* LIN_DMA has no predicate */
	expect_encode_error(&c, sizeof(buf), "pred");

	memset(&c, 0, sizeof(c));
	c.kind = HLSIM_CMD_MSG;
	c.opcode = opcode_by_name("MSG_SHORT");
	c.u.msg.is_short = 1;
	c.u.msg.addr = 0x10000;
	expect_encode_error(&c, sizeof(buf), "address offset");
	c.u.msg.addr = 0;
	c.u.msg.base = 4;
	expect_encode_error(&c, sizeof(buf), "base");
	c.u.msg.base = 0;
	c.u.msg.dw = 2;
	expect_encode_error(&c, sizeof(buf), "dw");
	c.u.msg.dw = 0;
	c.u.msg.is_short = 0; /* MSG_SHORT opcode but not a short message */
	expect_encode_error(&c, sizeof(buf), "is_short=0");
	c.u.msg.is_short = 1;
	c.u.msg.op = 2;
	expect_encode_error(&c, sizeof(buf), "op");
	c.opcode = opcode_by_name("MSG_LONG");
	c.u.msg.is_short = 0;
	c.u.msg.op = 0;
	c.u.msg.dw = 1; /* dw exists on MSG_SHORT only */
	expect_encode_error(&c, sizeof(buf), "dw (MSG_SHORT only)");

	memset(&c, 0, sizeof(c));
	c.kind = HLSIM_CMD_FENCE; /* kind and opcode disagree */
	c.opcode = opcode_by_name("NOP");
	expect_encode_error(&c, sizeof(buf), "does not carry command kind");
	c.opcode = 0x11; /* named, but kernel only */
	expect_encode_error(&c, sizeof(buf), "has no encoding");
	c.opcode = 0x14;
	expect_encode_error(&c, sizeof(buf), "has no encoding");
	c.kind = HLSIM_CMD_KIND_COUNT_;
	c.opcode = 0;
	expect_encode_error(&c, sizeof(buf), "has no encoding");

	memset(&c, 0, sizeof(c));
	c.kind = HLSIM_CMD_WREG;
	c.opcode = opcode_by_name("WREG_BULK");
	c.u.wreg.count = 3; /* odd */
	c.u.wreg.values = buf;
	expect_encode_error(&c, sizeof(buf), "is odd");
	c.u.wreg.count = 2;
	c.u.wreg.values = NULL;
	expect_encode_error(&c, sizeof(buf), "without values");
	c.opcode = opcode_by_name("WREG_32");
	expect_encode_error(&c, sizeof(buf), "count (must be 1)");
	c.u.wreg.count = 1;
	c.u.wreg.reg_offset = 0x10000;
	expect_encode_error(&c, sizeof(buf), "reg_offset");
	c.u.wreg.reg_offset = 0;
	c.u.wreg.reg_id = 1; /* a plain WREG has no reg_id */
	expect_encode_error(&c, sizeof(buf), "reg_id");
	c.kind = HLSIM_CMD_WREG_REG;
	c.u.wreg.reg_id = 4;
	expect_encode_error(&c, sizeof(buf), "reg_id");
	c.u.wreg.reg_id = 1;
	c.u.wreg.value = 5;
	expect_encode_error(&c, sizeof(buf), "value (unused with reg=1)");
	c.u.wreg.value = 0;
	c.eb = 2;
	expect_encode_error(&c, sizeof(buf), "eb");
	c.eb = 0;
	c.opcode = opcode_by_name("WREG_BULK"); /* WREG_REG is a WREG_32 only */
	expect_encode_error(&c, sizeof(buf), "does not carry command kind");

	memset(&c, 0, sizeof(c));
	c.kind = HLSIM_CMD_WREG64;
	c.opcode = opcode_by_name("WREG_64_SHORT");
	c.u.wreg64.base = 16;
	expect_encode_error(&c, sizeof(buf), "base");
	c.u.wreg64.base = 0;
	c.u.wreg64.dreg_offset = 0x4000;
	expect_encode_error(&c, sizeof(buf), "dreg_offset");
	c.u.wreg64.dreg_offset = 0;
	c.u.wreg64.offset = 1ull << 32;
	expect_encode_error(&c, sizeof(buf), "offset");
	c.u.wreg64.offset = 0;
	c.u.wreg64.rel = 1;
	expect_encode_error(&c, sizeof(buf), "rel (WREG_64_LONG only)");
	c.u.wreg64.rel = 0;
	c.u.wreg64.is_long = 1;
	expect_encode_error(&c, sizeof(buf), "is_long=1");
	c.opcode = opcode_by_name("WREG_64_LONG");
	c.u.wreg64.dw_enable = 4;
	expect_encode_error(&c, sizeof(buf), "dw_enable");
	c.u.wreg64.dw_enable = 0;
	c.u.wreg64.reg = 1;
	expect_encode_error(&c, sizeof(buf), "reg (WREG_64_SHORT only)");
	c.u.wreg64.reg = 0;
	expect_encode_error(&c, 8, "WREG_64_LONG needs 16 bytes, room for 8");

	memset(&c, 0, sizeof(c));
	c.kind = HLSIM_CMD_ARC_STREAM;
	c.opcode = opcode_by_name("WRITE_ARC_STREAM");
	c.u.arc_stream.count = 0x10000;
	c.u.arc_stream.values = buf;
	expect_encode_error(&c, sizeof(buf), "u64 count");
	c.u.arc_stream.count = 2;
	c.u.arc_stream.values = NULL;
	expect_encode_error(&c, sizeof(buf), "without values");
	c.u.arc_stream.values = buf;
	expect_encode_error(&c, 16, "WRITE_ARC_STREAM needs 24 bytes, room for 16");

	memset(&c, 0, sizeof(c));
	c.kind = HLSIM_CMD_CB_LIST;
	c.u.cb_list.size_desc = 2;
	expect_encode_error(&c, sizeof(buf), "size_desc");
	memset(&c, 0, sizeof(c));
	c.kind = HLSIM_CMD_ARB_POINT;
	c.u.arb.priority = 0x1000000;
	expect_encode_error(&c, sizeof(buf), "priority");
	memset(&c, 0, sizeof(c));
	c.kind = HLSIM_CMD_WAIT;
	c.u.wait.cycles = 0x1000000;
	expect_encode_error(&c, sizeof(buf), "cycles");
	memset(&c, 0, sizeof(c));
	c.kind = HLSIM_CMD_LOAD_AND_EXE;
	c.u.load_exe.pmap = 2;
	expect_encode_error(&c, sizeof(buf), "pmap");
	memset(&c, 0, sizeof(c));
	c.kind = HLSIM_CMD_CB_CALL;
	c.u.cb_call.upper_cp = 2;
	expect_encode_error(&c, sizeof(buf), "upper_cp");
	CHECK_EQ_U64(F->encode(NULL, buf, sizeof(buf)), 0);
}
/* ====} */

/* {==== Pseudo-random bytes ==== */

static uint64_t rng_state = 0x2545F4914F6CDD1Dull;

static uint32_t rng32(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 16);
}

static void test_random(void)
{
	enum { N = 200000 };
	uint8_t pkt[24], enc[MAX_PKT_BYTES];
	int decoded = 0, ok = 0, i, j;

	for (i = 0; i < N; i++) {
		struct hlsim_cmd d, d2;
		size_t n;

		for (j = 0; j < 24; j += 4)
			put32(pkt + j, rng32());
		/* Bias towards valid opcodes and small payload sizes. */
		pkt[7] = (uint8_t)((pkt[7] & 0xE0) | (rng32() % 21));
		if ((pkt[7] & 0x1F) == 2 || (pkt[7] & 0x1F) == 0x10)
			put32(pkt, rng32() % 3);
		if (F->decode(pkt, sizeof(pkt), 0, &d) != HLSIM_OK)
			continue;
		decoded++;
		n = F->encode(&d, enc, sizeof(enc));
		if (n != d.size_bytes || F->decode(enc, n, 0, &d2) != HLSIM_OK ||
		    !cmd_equal(&d, &d2))
			continue;
		ok++;
	}
	CHECK(decoded > N / 2);
	CHECK_EQ_U64(ok, decoded);
	printf("random: %d of %d packets decoded, all re-encode to the same command\n", decoded,
	       N);
}
/* ====} */

int main(void)
{
	CHECK_EQ_U64(mdl_asic_get(MDL_ASIC_GAUDI2, &F), HLSIM_OK);
	if (!F)
		return check_summary();
	test_vectors();
	test_opcode_table();
	test_all_opcodes();
	test_decode_errors();
	test_encode_errors();
	test_random();
	return check_summary();
}
