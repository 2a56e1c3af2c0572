/*
 * tests/unit/test_gaudi_packets.c - the Gaudi packet decoder and encoder.
 *
 * 1. Every line of tests/data/gaudi-packet-vectors.txt (field values -> exact bytes): the
 *    bytes decode to a command whose every named field has the stated value (the command
 *    built from the fields alone equals the decoded one, and fields not named are 0), the
 *    decoded command encodes back to the same bytes, and so does the one built from the
 *    fields. A key on a line that this test does not know fails the test.
 * 2. Every opcode round-trips with its fields at their maximum and at chosen values.
 * 3. Decode errors (invalid opcode, truncated packet, WREG_BULK past the CB end,
 *    unaligned offset, lin=0, undefined MSG op) give HLSIM_E_DECODE with the offset.
 * 4. Encode errors (field out of range, no room, kind/opcode mismatch) give 0 bytes.
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
/* ====} */

/* {==== The vector file ==== */

/* Fields of a vector line: the command built from them plus the extras to cross-check. */
struct vec {
	struct hlsim_cmd cmd;
	uint8_t values[MAX_PKT_BYTES]; /* WREG_BULK payload built from "values=" */
	int has_sob, has_arm; /* so_upd(...) / mon_arm(...) value given as fields */
	uint32_t mode, sync_value, group, mask;
	int sob_index, mon_index, sob_first, sob_last; /* "= SOB 12", "monitor 3", "SOBs 16..23" */
};

static uint8_t opcode_by_name(const char *name)
{
	unsigned int op;

	for (op = 0; op < 32; op++)
		if (F->opcode_name((uint8_t)op) && !strcmp(F->opcode_name((uint8_t)op), name))
			return (uint8_t)op;
	return 0;
}

/* Sets the command field called @key (for opcode @op) to @v; 0 if the key is unknown. */
static int set_field(struct vec *v, const char *op, const char *key, const char *val)
{
	struct hlsim_cmd *c = &v->cmd;
	uint64_t x = strtoull(val, NULL, 0);

	if (!strcmp(key, "eb"))
		c->eb = (uint8_t)x;
	else if (!strcmp(key, "rb"))
		c->rb = (uint8_t)x;
	else if (!strcmp(key, "mb"))
		c->mb = (uint8_t)x;
	else if (!strcmp(key, "pred"))
		c->pred = (uint8_t)x;
	else if (!strcmp(key, "reg_offset"))
		c->u.wreg.reg_offset = (uint32_t)x;
	else if (!strcmp(key, "value") && !strcmp(op, "WREG_32"))
		c->u.wreg.value = (uint32_t)x;
	else if (!strcmp(key, "value") && !strncmp(op, "MSG_", 4))
		c->u.msg.value = (uint32_t)x;
	else if (!strcmp(key, "size64"))
		c->u.wreg.count = 2 * (uint32_t)x;
	else if (!strcmp(key, "values")) {
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
		c->u.wreg.values = v->values;
	} else if (!strcmp(key, "addr") || !strcmp(key, "msg_addr_offset"))
		c->u.msg.addr = x;
	else if (!strcmp(key, "op"))
		c->u.msg.op = (uint8_t)x;
	else if (!strcmp(key, "base"))
		c->u.msg.base = (uint8_t)x;
	else if (!strcmp(key, "mode"))
		v->mode = (uint32_t)x;
	else if (!strcmp(key, "sync_value"))
		v->sync_value = (uint32_t)x;
	else if (!strcmp(key, "sync_group_id"))
		v->group = (uint32_t)x;
	else if (!strcmp(key, "mask"))
		v->mask = (uint32_t)x;
	else if (!strcmp(key, "id") && !strcmp(op, "FENCE"))
		c->u.fence.id = (uint8_t)x;
	else if (!strcmp(key, "id") && !strcmp(op, "WAIT"))
		c->u.wait.id = (uint8_t)x;
	else if (!strcmp(key, "target_val"))
		c->u.fence.target = (uint8_t)x;
	else if (!strcmp(key, "dec_val"))
		c->u.fence.dec = (uint8_t)x;
	else if (!strcmp(key, "tsize") && !strcmp(op, "LIN_DMA"))
		c->u.dma.size_bytes = x;
	else if (!strcmp(key, "tsize") && !strcmp(op, "CP_DMA"))
		c->u.cb_call.size_bytes = (uint32_t)x;
	else if ((!strcmp(key, "src") || !strcmp(key, "value(src)")) && !strcmp(op, "LIN_DMA"))
		c->u.dma.src_addr = x;
	else if (!strcmp(key, "src") && !strcmp(op, "CP_DMA"))
		c->u.cb_call.addr = x;
	else if (!strcmp(key, "src") && !strcmp(op, "LOAD_AND_EXE"))
		c->u.load_exe.src_addr = x;
	else if (!strcmp(key, "dst") && !strcmp(op, "LIN_DMA"))
		c->u.dma.dst_addr = x;
	else if (!strcmp(key, "dst") && !strcmp(op, "LOAD_AND_EXE"))
		c->u.load_exe.dst = (uint8_t)x;
	else if (!strcmp(key, "lin"))
		return x == 1; /* the only value the decoder accepts */
	else if (!strcmp(key, "wr_comp_en"))
		c->u.dma.flags |= x ? HLSIM_DMA_WR_COMP : 0;
	else if (!strcmp(key, "mem_set"))
		c->u.dma.flags |= x ? HLSIM_DMA_MEMSET : 0;
	else if (!strcmp(key, "context_id_low"))
		c->u.dma.context_id |= (uint32_t)x;
	else if (!strcmp(key, "context_id_high"))
		c->u.dma.context_id |= (uint32_t)x << 8;
	else if (!strcmp(key, "priority"))
		c->u.arb.priority = (uint32_t)x;
	else if (!strcmp(key, "rls"))
		c->u.arb.release = (uint8_t)x;
	else if (!strcmp(key, "sore"))
		c->u.repeat.sore = (uint8_t)x;
	else if (!strcmp(key, "o"))
		c->u.repeat.outer = (uint8_t)x;
	else if (!strcmp(key, "jmp_ptr"))
		c->u.repeat.jmp_ptr = (uint32_t)x;
	else if (!strcmp(key, "num_cycles_to_wait"))
		c->u.wait.cycles = (uint32_t)x;
	else if (!strcmp(key, "inc_val"))
		c->u.wait.inc = (uint8_t)x;
	else if (!strcmp(key, "load"))
		c->u.load_exe.load = (uint8_t)x;
	else if (!strcmp(key, "exe"))
		c->u.load_exe.exe = (uint8_t)x;
	else if (!strcmp(key, "etype"))
		c->u.load_exe.etype = (uint8_t)x;
	else
		return 0;
	return 1;
}

static int is_key_char(char ch)
{
	return isalnum((unsigned char)ch) || ch == '_' || ch == '(' || ch == ')';
}

/*
 * Parses the field part of a line ("NAME k=v k=v ... : bytes") into @v. Keys are the
 * runs of [a-z0-9_()] before each '='; "so_upd(mode" keeps what follows the last
 * unbalanced '('. Returns the number of fields, or -1 on an unknown key.
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
			continue; /* "+=", ">=", "==" and " = SOB 12" are prose */
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

/* The extras on a MSG_SHORT line: checks the value fields and the prose target. */
static void check_msg_short_extras(const char *line, struct vec *v, const struct hlsim_cmd *d)
{
	const char *p;
	struct mdl_target t;
	uint64_t addr;

	addr = F->msg_base_addr(F->qman_of_queue(0), d->u.msg.base) + d->u.msg.addr;
	F->classify_target(addr, &t);
	if (strstr(line, "so_upd(")) {
		int add;
		uint32_t operand;

		F->sob_value_decode(d->u.msg.value, &add, &operand);
		CHECK_EQ_U64(add, v->mode);
		CHECK_EQ_U64(operand, v->sync_value);
		p = strstr(line, "= SOB ");
		CHECK(p != NULL);
		if (p) {
			CHECK_EQ_U64(t.kind, MDL_TARGET_SOB);
			CHECK_EQ_U64(t.block, 0);
			CHECK_EQ_U64(t.index, strtoul(p + 6, NULL, 0));
		}
	}
	if (strstr(line, "mon_arm(")) {
		struct mdl_mon_arm arm;

		F->mon_arm_decode(d->u.msg.value, &arm);
		CHECK_EQ_U64(arm.group, v->group);
		CHECK_EQ_U64(arm.mask, v->mask);
		CHECK_EQ_U64(arm.mode_eq, v->mode);
		CHECK_EQ_U64(arm.value, v->sync_value);
		p = strstr(line, "arm monitor ");
		CHECK(p != NULL);
		if (p) {
			CHECK_EQ_U64(t.kind, MDL_TARGET_MON_ARM);
			CHECK_EQ_U64(t.index, strtoul(p + 12, NULL, 0));
		}
		p = strstr(line, "SOBs ");
		if (p)
			CHECK_EQ_U64(arm.group * F->props->mon_max_sobs, strtoul(p + 5, NULL, 0));
		p = strstr(line, "on SOB ");
		if (p)
			CHECK_EQ_U64(arm.group, strtoul(p + 7, NULL, 0) / F->props->mon_max_sobs);
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
	if (!opcode || !nbytes) {
		fprintf(stderr, "vector line %d unusable: %s\n", lineno, line);
		return;
	}
	snprintf(fields, sizeof(fields), "%.*s", (int)(colon - line), line);

	/* The command built from the fields alone. */
	rc = F->decode(bytes, nbytes, 0, &d);
	CHECK_EQ_U64(rc, HLSIM_OK);
	if (rc) {
		fprintf(stderr, "line %d: %s\n", lineno, hlsim_last_error_detail());
		return;
	}
	v.cmd.kind = d.kind;
	v.cmd.opcode = opcode;
	if (opcode == opcode_by_name("WREG_32"))
		v.cmd.u.wreg.count = 1;
	if (opcode == opcode_by_name("MSG_SHORT"))
		v.cmd.u.msg.is_short = 1;
	if (opcode == opcode_by_name("MSG_PROT"))
		v.cmd.u.msg.is_prot = 1;
	if (opcode == opcode_by_name("LIN_DMA") && strstr(fields, " memset "))
		v.cmd.u.dma.flags |= HLSIM_DMA_MEMSET;
	CHECK(parse_fields(fields, op, &v) > 0);
	/* Two monitor lines do not state their barriers: take those bits from the bytes. */
	if (!strstr(fields, "eb="))
		v.cmd.eb = d.eb;
	if (!strstr(fields, "rb="))
		v.cmd.rb = d.rb;
	if (!strstr(fields, "mb="))
		v.cmd.mb = d.mb;
	if (strstr(fields, "so_upd("))
		v.cmd.u.msg.value = F->sob_value_encode((int)v.mode, v.sync_value);
	if (strstr(fields, "mon_arm(")) {
		struct mdl_mon_arm arm = { v.group, v.mask, (uint8_t)v.mode, v.sync_value };

		v.cmd.u.msg.value = F->mon_arm_encode(&arm);
	}

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
	if (opcode == opcode_by_name("MSG_SHORT"))
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

	snprintf(path, sizeof(path), "%s/gaudi-packet-vectors.txt", HLSIM_TEST_DATA_DIR);
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
	CHECK(used >= 25); /* the file has 25 vectors; none may be skipped silently */
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

static void test_all_opcodes(void)
{
	static const uint8_t bulk[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
	struct hlsim_cmd c;
	unsigned int op, kinds = 0;

	for (op = 0; op < 32; op++) {
		const char *name = F->opcode_name((uint8_t)op);
		int valid = (op >= 0x1 && op <= 0xD) || op == 0xF;

		if (op == HLSIM_NIC_OPCODE) /* hlsim's own NIC record (test_nic_record.c) */
			continue;
		CHECK_EQ_U64(name != NULL, valid);
		kinds += valid;
	}
	CHECK_EQ_U64(kinds, 14);

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
	c.opcode = opcode_by_name("WREG_BULK");
	c.u.wreg.value = 0;
	c.u.wreg.count = 4;
	c.u.wreg.values = bulk;
	roundtrip(&c, "WREG_BULK");
	c.u.wreg.count = 0;
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
	roundtrip(&c, "MSG_SHORT");

	memset(&c.u, 0, sizeof(c.u));
	c.pred = 31;
	c.kind = HLSIM_CMD_CB_CALL;
	c.opcode = opcode_by_name("CP_DMA");
	c.u.cb_call.addr = UINT64_MAX;
	c.u.cb_call.size_bytes = UINT32_MAX;
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
	c.u.dma.dst_addr = 0x00FFFFFFFFFFFFFFull;
	c.u.dma.context_id = 0xFFFF;
	c.u.dma.flags = HLSIM_DMA_WR_COMP | HLSIM_DMA_TRANSPOSE | HLSIM_DMA_DTYPE |
			HLSIM_DMA_MEMSET | HLSIM_DMA_COMPRESS | HLSIM_DMA_DECOMPRESS;
	roundtrip(&c, "LIN_DMA");

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
	c.u.arb.priority = 255;
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
	c.kind = HLSIM_CMD_LOAD_AND_EXE;
	c.opcode = opcode_by_name("LOAD_AND_EXE");
	c.u.load_exe.src_addr = UINT64_MAX;
	c.u.load_exe.dst = c.u.load_exe.load = c.u.load_exe.exe = c.u.load_exe.etype = 1;
	roundtrip(&c, "LOAD_AND_EXE");

	/* opcode 0 means "the natural opcode of this kind". */
	memset(&c, 0, sizeof(c));
	c.kind = HLSIM_CMD_MSG;
	c.u.msg.is_short = 1;
	c.u.msg.base = 1;
	c.u.msg.addr = 0x30;
	c.u.msg.value = 0x80000001;
	{
		uint8_t buf[16];
		struct hlsim_cmd d;

		CHECK_EQ_U64(F->encode(&c, buf, sizeof(buf)), 8);
		CHECK_EQ_U64(F->decode(buf, 8, 0, &d), HLSIM_OK);
		CHECK_STR_CONTAINS(F->opcode_name(d.opcode), "MSG_SHORT");
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
	/* Invalid opcodes 0x0, 0xE, 0x10..0x1E at byte offset 0x48 (0x1F: hlsim's NIC record). */
	for (op = 0; op < 32; op++) {
		if ((op >= 1 && op <= 0xD) || op == 0xF || op == HLSIM_NIC_OPCODE)
			continue;
		put32(cb + 0x48, 0);
		put32(cb + 0x4C, op << 24 | 0x40000000u);
		snprintf(want, sizeof(want), "byte offset 0x48: invalid opcode 0x%02x", op);
		expect_decode_error(cb, 0x50, 0x48, want);
	}
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "invalid opcode 0x1e");
	put32(cb + 0x4C, 0x0E000000u);
	expect_decode_error(cb, 0x50, 0x48, "byte offset 0x48: invalid opcode 0x0e");

	/* Truncated fixed-size packets. */
	put32(cb + 0x44, 0x49000008u); /* LIN_DMA at 0x40: 24 bytes, 16 left */
	expect_decode_error(cb, 0x50, 0x40, "byte offset 0x40: LIN_DMA needs 24 bytes, 16 left");
	put32(cb + 0x4C, 0x43000000u); /* MSG_LONG at 0x48: 16 bytes, 8 left */
	expect_decode_error(cb, 0x50, 0x48, "byte offset 0x48: MSG_LONG needs 16 bytes, 8 left");
	put32(cb + 0x4C, 0x4F000000u);
	expect_decode_error(cb, 0x50, 0x48, "LOAD_AND_EXE needs 16 bytes, 8 left");
	put32(cb + 0x4C, 0x45000000u);
	expect_decode_error(cb, 0x50, 0x48, "CP_DMA needs 16 bytes, 8 left");
	put32(cb + 0x4C, 0xC7000000u);
	expect_decode_error(cb, 0x50, 0x48, "MSG_PROT needs 16 bytes, 8 left");

	/* WREG_BULK whose size64 runs past the CB end: 3 u64 after 0x38 need 32 bytes, 24 left. */
	put32(cb + 0x38, 3);
	put32(cb + 0x3C, 0x42000A00u);
	expect_decode_error(cb, 0x50, 0x38, "byte offset 0x38: WREG_BULK of 3 u64 values needs 32");
	put32(cb + 0x38, 0xFFFF);
	expect_decode_error(cb, 0x50, 0x38, "byte offset 0x38: WREG_BULK of 65535 u64 values");
	put32(cb + 0x38, 2); /* fits exactly: 8 + 16 = 24 */
	{
		struct hlsim_cmd d;

		CHECK_EQ_U64(F->decode(cb, 0x50, 0x38, &d), HLSIM_OK);
		CHECK_EQ_U64(d.u.wreg.count, 4);
		CHECK(d.u.wreg.values == cb + 0x40);
	}

	/* Offsets: unaligned, at or past the end, fewer than 8 bytes left. */
	expect_decode_error(cb, 0x50, 0x44, "byte offset 0x44: packets start on 8-byte boundaries");
	expect_decode_error(cb, 0x50, 0x50,
			    "byte offset 0x50: packet header needs 8 bytes, 0 left");
	expect_decode_error(cb, 0x50, 0x1000, "byte offset 0x1000: packet header needs 8 bytes");
	expect_decode_error(cb, 0x4C, 0x48,
			    "byte offset 0x48: packet header needs 8 bytes, 4 left");

	/* lin=0 and an undefined MSG op. */
	memset(cb, 0, 0x50);
	put32(cb + 4, 0x49000000u);
	expect_decode_error(cb, 0x50, 0, "byte offset 0x0: LIN_DMA with lin=0");
	put32(cb + 4, 0x44200000u); /* MSG_SHORT op 2 */
	expect_decode_error(cb, 0x50, 0, "MSG_SHORT op 2 is not defined");
	put32(cb + 4, 0x43300000u); /* MSG_LONG op 3 */
	expect_decode_error(cb, 0x50, 0, "MSG_LONG op 3 is not defined");

	/* NULL arguments. */
	{
		struct hlsim_cmd d;

		CHECK_EQ_U64(F->decode(NULL, 8, 0, &d), HLSIM_E_INVAL);
		CHECK_EQ_U64(F->decode(cb, 8, 0, NULL), HLSIM_E_INVAL);
	}
	free(cb);
}

static void test_encode_errors(void)
{
	struct hlsim_cmd c;
	uint8_t buf[32];

	memset(&c, 0, sizeof(c));
	c.kind = HLSIM_CMD_DMA;
	c.opcode = opcode_by_name("LIN_DMA");
	c.u.dma.size_bytes = 64;
	CHECK_EQ_U64(F->encode(&c, buf, 16), 0); /* no room */
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "LIN_DMA needs 24 bytes, room for 16");
	CHECK_EQ_U64(F->encode(&c, buf, 24), 24);
	c.u.dma.dst_addr = 1ull << 56;
	CHECK_EQ_U64(F->encode(&c, buf, sizeof(buf)), 0);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "dst_addr");
	c.u.dma.dst_addr = 0;
	c.u.dma.size_bytes = 1ull << 32;
	CHECK_EQ_U64(F->encode(&c, buf, sizeof(buf)), 0);
	c.u.dma.size_bytes = 64;
	c.pred = 1; /* LIN_DMA has no predicate */
	CHECK_EQ_U64(F->encode(&c, buf, sizeof(buf)), 0);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "pred");
	c.pred = 0;
	c.u.dma.context_id = 0x10000;
	CHECK_EQ_U64(F->encode(&c, buf, sizeof(buf)), 0);

	memset(&c, 0, sizeof(c));
	c.kind = HLSIM_CMD_MSG;
	c.opcode = opcode_by_name("MSG_SHORT");
	c.u.msg.is_short = 1;
	c.u.msg.addr = 0x10000;
	CHECK_EQ_U64(F->encode(&c, buf, sizeof(buf)), 0);
	c.u.msg.addr = 0;
	c.u.msg.base = 4;
	CHECK_EQ_U64(F->encode(&c, buf, sizeof(buf)), 0);
	c.u.msg.base = 0;
	c.u.msg.is_short = 0; /* MSG_SHORT opcode but not a short message */
	CHECK_EQ_U64(F->encode(&c, buf, sizeof(buf)), 0);
	c.u.msg.is_short = 1;
	c.u.msg.op = 2;
	CHECK_EQ_U64(F->encode(&c, buf, sizeof(buf)), 0);

	memset(&c, 0, sizeof(c));
	c.kind = HLSIM_CMD_FENCE; /* kind and opcode disagree */
	c.opcode = opcode_by_name("NOP");
	CHECK_EQ_U64(F->encode(&c, buf, sizeof(buf)), 0);
	c.opcode = 0x0E; /* no such opcode on Gaudi */
	CHECK_EQ_U64(F->encode(&c, buf, sizeof(buf)), 0);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "has no encoding");

	memset(&c, 0, sizeof(c));
	c.kind = HLSIM_CMD_WREG;
	c.opcode = opcode_by_name("WREG_BULK");
	c.u.wreg.count = 3; /* odd */
	c.u.wreg.values = buf;
	CHECK_EQ_U64(F->encode(&c, buf, sizeof(buf)), 0);
	c.opcode = opcode_by_name("WREG_32");
	c.u.wreg.count = 2;
	CHECK_EQ_U64(F->encode(&c, buf, sizeof(buf)), 0);
	c.u.wreg.count = 1;
	c.u.wreg.reg_offset = 0x10000;
	CHECK_EQ_U64(F->encode(&c, buf, sizeof(buf)), 0);
	c.u.wreg.reg_offset = 0;
	c.eb = 2;
	CHECK_EQ_U64(F->encode(&c, buf, sizeof(buf)), 0);

	memset(&c, 0, sizeof(c));
	c.kind = HLSIM_CMD_WAIT;
	c.opcode = opcode_by_name("WAIT");
	c.u.wait.cycles = 0x1000000;
	CHECK_EQ_U64(F->encode(&c, buf, sizeof(buf)), 0);
	memset(&c, 0, sizeof(c));
	c.kind = HLSIM_CMD_CB_CALL;
	c.opcode = opcode_by_name("CP_DMA");
	c.u.cb_call.upper_cp = 1; /* Gaudi2 only */
	CHECK_EQ_U64(F->encode(&c, buf, sizeof(buf)), 0);
}
/* ====} */

/* {==== Pseudo-random bytes ==== */

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

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
		/* Bias towards valid opcodes and small WREG_BULK sizes. */
		pkt[7] = (uint8_t)((pkt[7] & 0xE0) | (rng32() % 16));
		if ((pkt[7] & 0x1F) == 2)
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
	CHECK(decoded > N / 4);
	CHECK_EQ_U64(ok, decoded);
	printf("random: %d of %d packets decoded, all re-encode to the same command\n", decoded,
	       N);
}
/* ====} */

int main(void)
{
	CHECK_EQ_U64(mdl_asic_get(MDL_ASIC_GAUDI, &F), HLSIM_OK);
	if (!F)
		return check_summary();
	test_vectors();
	test_all_opcodes();
	test_decode_errors();
	test_encode_errors();
	test_random();
	return check_summary();
}
