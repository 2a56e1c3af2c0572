/*
 * tests/unit/test_syncmgr.c - sync-manager semantics: SOB add/set and wrap, monitor
 * masks, >= and == modes, one-shot firing, payloads, and the deadlock description.
 */
#include "models/common/syncmgr.h"
#include "tests/unit/check.h"

static uint64_t last_addr;
static uint32_t last_data;
static int fired;

static void payload(void *ctx, uint64_t addr, uint32_t data)
{
	(void)ctx;
	last_addr = addr;
	last_data = data;
	fired++;
}

static void w(struct mdl_sm *sm, uint8_t kind, uint32_t index, uint32_t value)
{
	struct mdl_target t = { .kind = kind, .block = 0, .index = index };

	mdl_sm_write(sm, &t, value);
}

static void arm(const struct mdl_asic_funcs *f, struct mdl_sm *sm, uint32_t mon, uint32_t group,
		uint32_t mask, int eq, uint32_t value, uint64_t addr, uint32_t data)
{
	struct mdl_mon_arm a = { .group = group, .mask = mask, .mode_eq = (uint8_t)eq, .value = value };

	w(sm, MDL_TARGET_MON_PAY_ADDRL, mon, (uint32_t)addr);
	w(sm, MDL_TARGET_MON_PAY_ADDRH, mon, (uint32_t)(addr >> 32));
	w(sm, MDL_TARGET_MON_PAY_DATA, mon, data);
	w(sm, MDL_TARGET_MON_ARM, mon, f->mon_arm_encode(&a));
}

int main(void)
{
	const struct mdl_asic_funcs *f;
	struct mdl_sm *sm;
	char buf[1024];

	CHECK_EQ_U64(mdl_asic_by_name("gaudi", &f), HLSIM_OK);
	CHECK_EQ_U64(mdl_sm_create(f, payload, NULL, &sm), HLSIM_OK);

	/* add and set; 15-bit wrap */
	w(sm, MDL_TARGET_SOB, 12, f->sob_value_encode(1, 5));
	w(sm, MDL_TARGET_SOB, 12, f->sob_value_encode(1, 2));
	CHECK_EQ_U64(mdl_sm_sob(sm, 0, 12), 7);
	w(sm, MDL_TARGET_SOB, 12, f->sob_value_encode(0, 3));
	CHECK_EQ_U64(mdl_sm_sob(sm, 0, 12), 3);
	w(sm, MDL_TARGET_SOB, 12, f->sob_value_encode(0, 0x7FFF));
	w(sm, MDL_TARGET_SOB, 12, f->sob_value_encode(1, 1));
	CHECK_EQ_U64(mdl_sm_sob(sm, 0, 12), 0);

	/* >= on SOB 12 only (mask bit 4 clear): not before, exactly at target */
	arm(f, sm, 3, 1, 0xEF, 0, 2, 0x7FFCE08308ull, 1);
	CHECK_EQ_U64(fired, 0);
	w(sm, MDL_TARGET_SOB, 13, f->sob_value_encode(1, 9)); /* masked out */
	CHECK_EQ_U64(fired, 0);
	w(sm, MDL_TARGET_SOB, 12, f->sob_value_encode(1, 1));
	CHECK_EQ_U64(fired, 0);
	w(sm, MDL_TARGET_SOB, 12, f->sob_value_encode(1, 1));
	CHECK_EQ_U64(fired, 1);
	CHECK_EQ_U64(last_addr, 0x7FFCE08308ull);
	CHECK_EQ_U64(last_data, 1);
	/* one-shot: no second fire without a new arm */
	w(sm, MDL_TARGET_SOB, 12, f->sob_value_encode(1, 1));
	CHECK_EQ_U64(fired, 1);
	/* arming when already satisfied fires at once */
	arm(f, sm, 3, 1, 0xEF, 0, 2, 0x1000, 7);
	CHECK_EQ_U64(fired, 2);
	CHECK_EQ_U64(last_data, 7);

	/* == on SOBs 16..23 all equal 8 */
	arm(f, sm, 4, 2, 0x00, 1, 8, 0x2000, 1);
	for (uint32_t i = 16; i < 23; i++)
		w(sm, MDL_TARGET_SOB, i, f->sob_value_encode(0, 8));
	CHECK_EQ_U64(fired, 2);
	w(sm, MDL_TARGET_SOB, 23, f->sob_value_encode(0, 9)); /* 9 != 8 */
	CHECK_EQ_U64(fired, 2);
	w(sm, MDL_TARGET_SOB, 23, f->sob_value_encode(0, 8));
	CHECK_EQ_U64(fired, 3);
	CHECK_EQ_U64(last_addr, 0x2000);

	/* == does not fire when passing over the target */
	arm(f, sm, 5, 3, 0xFE, 1, 4, 0x3000, 1);
	w(sm, MDL_TARGET_SOB, 24, f->sob_value_encode(0, 5));
	CHECK_EQ_U64(fired, 3);

	/* a waiting monitor is described with its SOB values */
	arm(f, sm, 6, 4, 0xFC, 0, 3, 0x4000, 1);
	w(sm, MDL_TARGET_SOB, 33, f->sob_value_encode(0, 2));
	CHECK_EQ_U64(mdl_sm_describe_waiters(sm, 0x4000, buf, sizeof(buf)), 1);
	CHECK_STR_CONTAINS(buf, "[6] armed: SOB group 4 mask 0xfc >= 3");
	CHECK_STR_CONTAINS(buf, "[32]=0");
	CHECK_STR_CONTAINS(buf, "[33]=2");
	CHECK_EQ_U64(mdl_sm_describe_waiters(sm, 0x5000, buf, sizeof(buf)), 0);
	CHECK_EQ_U64(mdl_sm_fires(sm), 3);

	mdl_sm_destroy(sm);
	return check_summary();
}
