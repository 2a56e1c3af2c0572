/*
 * models/common/syncmgr.c - sync objects and monitors (see syncmgr.h for the semantics).
 *
 * Armed monitors are kept in one intrusive list per SOB group, so a SOB write only
 * checks the monitors that watch its group: cost per write is the number of monitors
 * armed on that group, not the number of monitors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/common/syncmgr.h"
#include "models/common/zmap.h"

/*
 * Monitor links hold a global monitor index + 1, and 0 for none, so that fresh zeroed
 * tables are already empty lists; the tables are mapped (mdl_zmap), so a run of a
 * thousand devices only holds the pages of the SOBs and monitors it uses.
 */
#define NO_MON 0u

struct sm_mon {
	uint64_t pay_addr; /* PAY_ADDRH:PAY_ADDRL */
	uint32_t pay_data;
	struct mdl_mon_arm arm;
	uint32_t next; /* next armed monitor on the same group (global index + 1), or NO_MON */
	uint8_t armed;
};

struct mdl_sm {
	const struct mdl_asic_funcs *f;
	uint32_t blocks, sobs, mons, group_sobs, groups; /* per block */
	uint32_t value_mask;
	uint32_t *sob; /* blocks * sobs */
	struct sm_mon *mon; /* blocks * mons */
	uint32_t *group_head; /* blocks * groups: first armed monitor (index + 1), or NO_MON */
	mdl_sm_payload_fn payload;
	void *ctx;
	uint64_t fires;
	int depth; /* nesting of payload writes that land in the sync manager again */
};

hlsim_err_t mdl_sm_create(const struct mdl_asic_funcs *f, mdl_sm_payload_fn payload, void *ctx,
			  struct mdl_sm **out)
{
	const struct mdl_asic_props *p = f->props;
	struct mdl_sm *sm;
	size_t nmon, ngroups;

	if (!p->sm_blocks || !p->sobs_per_block || !p->mon_max_sobs || !p->mons_per_block)
		return hlsim_error(HLSIM_E_INVAL, "sync manager geometry of %s is empty", p->asic_name);
	sm = calloc(1, sizeof(*sm));
	if (!sm)
		goto err_nomem;
	sm->f = f;
	sm->blocks = p->sm_blocks;
	sm->sobs = p->sobs_per_block;
	sm->mons = p->mons_per_block;
	sm->group_sobs = p->mon_max_sobs;
	sm->groups = (p->sobs_per_block + p->mon_max_sobs - 1) / p->mon_max_sobs;
	sm->value_mask = p->sob_value_mask;
	sm->payload = payload;
	sm->ctx = ctx;
	nmon = (size_t)sm->blocks * sm->mons;
	ngroups = (size_t)sm->blocks * sm->groups;
	sm->sob = mdl_zmap((size_t)sm->blocks * sm->sobs * sizeof(*sm->sob));
	sm->mon = mdl_zmap(nmon * sizeof(*sm->mon));
	sm->group_head = mdl_zmap(ngroups * sizeof(*sm->group_head));
	if (!sm->sob || !sm->mon || !sm->group_head)
		goto err_free;
	*out = sm;
	return HLSIM_OK;

err_free:
	mdl_sm_destroy(sm);
err_nomem:
	return hlsim_error(HLSIM_E_NOMEM, "cannot allocate the sync manager");
}

void mdl_sm_destroy(struct mdl_sm *sm)
{
	if (!sm)
		return;
	mdl_zunmap(sm->sob, (size_t)sm->blocks * sm->sobs * sizeof(*sm->sob));
	mdl_zunmap(sm->mon, (size_t)sm->blocks * sm->mons * sizeof(*sm->mon));
	mdl_zunmap(sm->group_head, (size_t)sm->blocks * sm->groups * sizeof(*sm->group_head));
	free(sm);
}

uint32_t mdl_sm_sob(const struct mdl_sm *sm, uint32_t block, uint32_t index)
{
	if (block >= sm->blocks || index >= sm->sobs)
		return 0;
	return sm->sob[(size_t)block * sm->sobs + index];
}

uint64_t mdl_sm_fires(const struct mdl_sm *sm)
{
	return sm->fires;
}

/* Does monitor @m (in @block) see its condition met? */
static int mon_ready(const struct mdl_sm *sm, uint32_t block, const struct sm_mon *m)
{
	uint32_t base = m->arm.group * sm->group_sobs, i;

	for (i = 0; i < sm->group_sobs; i++) {
		uint32_t v;

		if (m->arm.mask & (1u << i))
			continue; /* a 1 bit excludes the SOB */
		if (base + i >= sm->sobs)
			return 0; /* watches a SOB that does not exist: never fires */
		v = sm->sob[(size_t)block * sm->sobs + base + i];
		if (m->arm.mode_eq ? v != m->arm.value : v < m->arm.value)
			return 0;
	}
	return 1;
}

static void group_unlink(struct mdl_sm *sm, uint32_t block, uint32_t group, uint32_t gi)
{
	uint32_t *link = &sm->group_head[(size_t)block * sm->groups + group];

	while (*link != NO_MON) {
		if (*link - 1 == gi) {
			*link = sm->mon[gi].next;
			sm->mon[gi].next = NO_MON;
			return;
		}
		link = &sm->mon[*link - 1].next;
	}
}

/* Fire @gi: disarm first, so a payload that writes the same group sees it disarmed. */
static void mon_fire(struct mdl_sm *sm, uint32_t block, uint32_t gi)
{
	struct sm_mon *m = &sm->mon[gi];

	group_unlink(sm, block, m->arm.group, gi);
	m->armed = 0;
	sm->fires++;
	if (sm->payload)
		sm->payload(sm->ctx, m->pay_addr, m->pay_data);
}

/*
 * Check every armed monitor of (@block, @group). The list can change under us when a
 * payload writes back into the sync manager, so restart from the head after a fire;
 * each fire disarms one monitor, so this ends.
 */
static void group_check(struct mdl_sm *sm, uint32_t block, uint32_t group)
{
	uint32_t link, gi;

again:
	for (link = sm->group_head[(size_t)block * sm->groups + group]; link != NO_MON;
	     link = sm->mon[gi].next) {
		gi = link - 1;
		if (mon_ready(sm, block, &sm->mon[gi])) {
			mon_fire(sm, block, gi);
			goto again;
		}
	}
}

void mdl_sm_write(struct mdl_sm *sm, const struct mdl_target *t, uint32_t value)
{
	uint32_t gi;
	struct sm_mon *m;

	if (t->block >= sm->blocks)
		return;
	if (sm->depth > 64)
		return; /* a monitor chain writing itself forever: cut (cannot happen on one-shot arms) */
	sm->depth++;
	switch ((enum mdl_target_kind)t->kind) {
	case MDL_TARGET_SOB: {
		uint32_t *sob, operand;
		int add;

		if (t->index >= sm->sobs)
			break;
		sob = &sm->sob[(size_t)t->block * sm->sobs + t->index];
		sm->f->sob_value_decode(value, &add, &operand);
		*sob = (add ? *sob + operand : operand) & sm->value_mask;
		group_check(sm, t->block, t->index / sm->group_sobs);
		break;
	}
	case MDL_TARGET_MON_PAY_ADDRL:
	case MDL_TARGET_MON_PAY_ADDRH:
	case MDL_TARGET_MON_PAY_DATA:
	case MDL_TARGET_MON_ARM:
		if (t->index >= sm->mons)
			break;
		gi = t->block * sm->mons + t->index;
		m = &sm->mon[gi];
		if (t->kind == MDL_TARGET_MON_PAY_ADDRL) {
			m->pay_addr = (m->pay_addr & 0xFFFFFFFF00000000ull) | value;
		} else if (t->kind == MDL_TARGET_MON_PAY_ADDRH) {
			m->pay_addr = (m->pay_addr & 0xFFFFFFFFull) | ((uint64_t)value << 32);
		} else if (t->kind == MDL_TARGET_MON_PAY_DATA) {
			m->pay_data = value;
		} else {
			if (m->armed)
				group_unlink(sm, t->block, m->arm.group, gi);
			sm->f->mon_arm_decode(value, &m->arm);
			if (m->arm.group >= sm->groups) {
				m->armed = 0; /* a group past the SOBs can never fire */
				break;
			}
			m->armed = 1;
			m->next = sm->group_head[(size_t)t->block * sm->groups + m->arm.group];
			sm->group_head[(size_t)t->block * sm->groups + m->arm.group] = gi + 1;
			if (mon_ready(sm, t->block, m))
				mon_fire(sm, t->block, gi);
		}
		break;
	case MDL_TARGET_NONE:
	case MDL_TARGET_FENCE:
	case MDL_TARGET_CQ:
	case MDL_TARGET_MSI:
		break;
	}
	sm->depth--;
}

int mdl_sm_describe_waiters(const struct mdl_sm *sm, uint64_t addr, char *buf, size_t cap)
{
	const struct mdl_asic_props *p = sm->f->props;
	size_t used = 0;
	uint32_t b, i, k;
	int n = 0;

	if (cap)
		buf[0] = '\0';
	for (b = 0; b < sm->blocks; b++) {
		const char *bname = b < 8 && p->sm_block_names[b] ? p->sm_block_names[b] : "SM";

		for (i = 0; i < sm->mons; i++) {
			const struct sm_mon *m = &sm->mon[(size_t)b * sm->mons + i];
			uint32_t base = m->arm.group * sm->group_sobs;

			if (!m->armed || m->pay_addr != addr)
				continue;
			n++;
			if (used >= cap)
				continue;
			used += (size_t)snprintf(buf + used, cap - used,
						 "%s      monitor %s[%u] armed: SOB group %u mask 0x%02x %s %u;",
						 n > 1 ? "\n" : "", bname, i, m->arm.group,
						 m->arm.mask, m->arm.mode_eq ? "==" : ">=",
						 m->arm.value);
			for (k = 0; k < sm->group_sobs && used < cap; k++) {
				if (m->arm.mask & (1u << k) || base + k >= sm->sobs)
					continue;
				used += (size_t)snprintf(buf + used, cap - used, " SOB %s[%u]=%u",
							 bname, base + k,
							 sm->sob[(size_t)b * sm->sobs + base + k]);
			}
		}
	}
	return n;
}
