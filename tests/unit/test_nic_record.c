/*
 * tests/unit/test_nic_record.c - hlsim's NIC record (HLSIM_CMD_NIC, opcode 0x1F), the
 * neutral stand-in for NIC work in traces (traces/FORMAT.md "NIC work"): its exact bytes
 * on both ASICs, encode/decode round trips, and the decode errors for undefined ops and
 * flags and for a record cut short.
 */
#include <string.h>

#include "hlsim/cmd.h"
#include "models/common/asic.h"
#include "tests/unit/check.h"
#include "tests/unit/cmd_equal.h"

static struct hlsim_cmd sample(void)
{
	struct hlsim_cmd c;

	memset(&c, 0, sizeof(c));
	c.kind = HLSIM_CMD_NIC;
	c.mb = 1;
	c.u.nic.op = HLSIM_NIC_OP_WRITE;
	c.u.nic.flags = HLSIM_NIC_RMSG | HLSIM_NIC_LMSG;
	c.u.nic.dst_device = 7;
	c.u.nic.src_addr = 0x0102030405060708ull;
	c.u.nic.dst_addr = 0x1112131415161718ull;
	c.u.nic.size_bytes = 0x2122232425262728ull;
	c.u.nic.rmsg_addr = 0x3132333435363738ull;
	c.u.nic.lmsg_addr = 0x4142434445464748ull;
	c.u.nic.rmsg_value = 0x51525354u;
	c.u.nic.lmsg_value = 0x61626364u;
	return c;
}

/* dword 0 = dst device 7; ctl = MB | 0x1F << 24 | flags 3 << 8 | op 1. */
static const uint8_t expect[HLSIM_NIC_RECORD_BYTES] = {
	0x07, 0x00, 0x00, 0x00, 0x01, 0x03, 0x00, 0x9F, /* header */
	0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01, /* src */
	0x18, 0x17, 0x16, 0x15, 0x14, 0x13, 0x12, 0x11, /* dst */
	0x28, 0x27, 0x26, 0x25, 0x24, 0x23, 0x22, 0x21, /* size */
	0x38, 0x37, 0x36, 0x35, 0x34, 0x33, 0x32, 0x31, /* receiver's message address */
	0x48, 0x47, 0x46, 0x45, 0x44, 0x43, 0x42, 0x41, /* sender's message address */
	0x54, 0x53, 0x52, 0x51, 0x64, 0x63, 0x62, 0x61, /* the two values */
};

static void check_asic(enum mdl_asic_type type)
{
	const struct mdl_asic_funcs *f = NULL;
	struct hlsim_cmd c = sample(), d;
	uint8_t buf[64];
	size_t n;

	CHECK_EQ_U64(mdl_asic_get(type, &f), HLSIM_OK);
	if (!f)
		return;
	CHECK(!strcmp(f->opcode_name(HLSIM_NIC_OPCODE), "HLSIM_NIC"));
	n = f->encode(&c, buf, sizeof(buf));
	CHECK_EQ_U64(n, HLSIM_NIC_RECORD_BYTES);
	CHECK(!memcmp(buf, expect, sizeof(expect)));
	memset(&d, 0, sizeof(d));
	CHECK_EQ_U64(f->decode(expect, sizeof(expect), 0, &d), HLSIM_OK);
	c.opcode = HLSIM_NIC_OPCODE;
	c.size_bytes = HLSIM_NIC_RECORD_BYTES;
	CHECK(cmd_equal_sized(&c, &d));

	/* A record cut short is refused, naming the offset. */
	CHECK_EQ_U64(f->decode(expect, sizeof(expect) - 8, 0, &d), HLSIM_E_DECODE);
	/* An undefined op and undefined flags are refused. */
	memcpy(buf, expect, sizeof(expect));
	buf[4] = 2;
	CHECK_EQ_U64(f->decode(buf, sizeof(expect), 0, &d), HLSIM_E_DECODE);
	CHECK(strstr(hlsim_last_error_detail(), "op 2") != NULL);
	memcpy(buf, expect, sizeof(expect));
	buf[5] = 0x04;
	CHECK_EQ_U64(f->decode(buf, sizeof(expect), 0, &d), HLSIM_E_DECODE);
	CHECK(strstr(hlsim_last_error_detail(), "flags 0x04") != NULL);
	/* and cannot be encoded either */
	c = sample();
	c.u.nic.flags = 0x80;
	CHECK_EQ_U64(f->encode(&c, buf, sizeof(buf)), 0);
	c = sample();
	c.u.nic.op = 0;
	CHECK_EQ_U64(f->encode(&c, buf, sizeof(buf)), 0);
}

int main(void)
{
	check_asic(MDL_ASIC_GAUDI);
	check_asic(MDL_ASIC_GAUDI2);
	return check_summary();
}
