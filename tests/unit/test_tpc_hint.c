/*
 * tests/unit/test_tpc_hint.c - the "cost_hint" annotation parser (mdl_cost_hint_parse):
 * every field, their combinations, limits, and an error naming the field for every
 * malformed value.
 */
#include <string.h>

#include "models/common/engine.h"
#include "models/common/tpc.h"
#include "tests/unit/check.h"

static void test_good(void)
{
	struct mdl_cost_hint h;

	CHECK(mdl_cost_hint_parse("kernel=add_bf16 flops=1048576 bytes=6291456", &h) == HLSIM_OK);
	CHECK(h.present == 1);
	CHECK(!strcmp(h.kernel_name, "add_bf16"));
	CHECK_EQ_U64(h.flops, 1048576);
	CHECK_EQ_U64(h.bytes, 6291456);
	CHECK(h.cycles_per_element == 0);

	/* any order, extra blanks, a single field */
	CHECK(mdl_cost_hint_parse("  bytes=7\tflops=0   ", &h) == HLSIM_OK);
	CHECK(h.present && h.bytes == 7 && h.flops == 0 && h.kernel_name[0] == '\0');
	CHECK(mdl_cost_hint_parse("cycles_per_element=0.5", &h) == HLSIM_OK);
	CHECK(h.cycles_per_element == 0.5);
	CHECK(mdl_cost_hint_parse("cycles_per_element=.25", &h) == HLSIM_OK);
	CHECK(h.cycles_per_element == 0.25);
	CHECK(mdl_cost_hint_parse("cycles_per_element=3", &h) == HLSIM_OK);
	CHECK(h.cycles_per_element == 3);
	CHECK(mdl_cost_hint_parse("cycles_per_element=12.", &h) == HLSIM_OK);
	CHECK(h.cycles_per_element == 12);
	CHECK(mdl_cost_hint_parse("flops=18446744073709551615", &h) == HLSIM_OK);
	CHECK(h.flops == UINT64_MAX);
	CHECK(mdl_cost_hint_parse("kernel=ns::relu_fwd-v2.1+x", &h) == HLSIM_OK);
	CHECK(!strcmp(h.kernel_name, "ns::relu_fwd-v2.1+x"));
	/* 63 characters fit, 64 do not */
	CHECK(mdl_cost_hint_parse("kernel=abcdefghijklmnopqrstuvwxyz"
				  "abcdefghijklmnopqrstuvwxyz0123456789a",
				  &h) == HLSIM_OK);
	CHECK_EQ_U64(strlen(h.kernel_name), 63);
}

#define BAD(text, detail)                                                                          \
	do {                                                                                       \
		struct mdl_cost_hint hint_;                                                        \
		memset(&hint_, 0xA5, sizeof(hint_));                                               \
		CHECK(mdl_cost_hint_parse(text, &hint_) == HLSIM_E_INVAL);                         \
		CHECK_STR_CONTAINS(hlsim_last_error_detail(), detail);                             \
		CHECK(hint_.present == 0 && hint_.flops == 0 && hint_.kernel_name[0] == 0);        \
	} while (0)

static void test_bad(void)
{
	BAD("", "empty value");
	BAD("   ", "empty value");
	BAD("flops", "field 1 'flops': expected key=value");
	BAD("kernel=a flops=1 bites=3", "field 3 'bites=3': unknown key");
	BAD("flops=1 flops=2", "field 2: 'flops' given twice");
	BAD("kernel=", "field 1: 'kernel' has no value");
	BAD("=5", "field 1 '=5': unknown key");
	BAD("flops=-1", "flops '-1': expected a decimal integer");
	BAD("flops=+1", "flops '+1'");
	BAD("bytes=1e6", "bytes '1e6'");
	BAD("bytes=0x10", "bytes '0x10'");
	BAD("flops=18446744073709551616", "flops '18446744073709551616'");
	BAD("cycles_per_element=0", "cycles_per_element '0': expected a decimal number greater");
	BAD("cycles_per_element=0.000", "cycles_per_element '0.000'");
	BAD("cycles_per_element=-0.5", "cycles_per_element '-0.5'");
	BAD("cycles_per_element=1.2.3", "cycles_per_element '1.2.3'");
	BAD("cycles_per_element=.", "cycles_per_element '.'");
	BAD("cycles_per_element=1e3", "cycles_per_element '1e3'");
	BAD("cycles_per_element=nan", "cycles_per_element 'nan'");
	BAD("cycles_per_element=1234567890123456789", "at most 18 digits");
	BAD("kernel=add/bf16", "character 4 is not one of");
	BAD("kernel=a\x01z", "kernel name 'a?z'");
	BAD("kernel=x=y", "kernel name 'x=y'");
	BAD("flops=1,bytes=2", "flops '1,bytes=2'");
	BAD("kernel=abcdefghijklmnopqrstuvwxyz"
	    "abcdefghijklmnopqrstuvwxyz0123456789ab",
	    "longer than 63 characters");
	CHECK(mdl_cost_hint_parse(NULL, NULL) == HLSIM_E_INVAL);
	{
		struct mdl_cost_hint h;

		CHECK(mdl_cost_hint_parse(NULL, &h) == HLSIM_E_INVAL);
		CHECK(h.present == 0);
	}
}

int main(void)
{
	test_good();
	test_bad();
	return check_summary();
}
