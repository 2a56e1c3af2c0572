/**
 * models/common/syncmgr.h - the sync manager: sync objects (SOBs) and monitors.
 *
 * Pure state and semantics, no notion of time: the simulator calls mdl_sm_write()
 * for every message that lands in a sync-manager block, and the sync manager calls
 * back the payload hook when an armed monitor's condition holds (the monitor then
 * writes PAY_DATA to PAY_ADDR, which is usually a CP fence register).
 *
 * Semantics (GAUDI-FACTS.md §2.4, §3.3):
 * - SOB write: bit "add" adds the operand, otherwise sets it; values wrap at the SOB
 *   width (15 bits on Gaudi) [I: wrap-around is how a 15-bit counter behaves].
 * - MON_ARM: watch the SOBs of group g whose mask bit is 0; mode >= or ==.
 * - A monitor fires once per arm: it is disarmed when it fires [I: hardware usage
 *   re-arms every time]. It is checked when armed and on every write to a SOB of its
 *   group. A mask that selects no SOB fires at once [I].
 */
#ifndef HLSIM_MDL_SYNCMGR_H
#define HLSIM_MDL_SYNCMGR_H

#include <stddef.h>
#include <stdint.h>

#include "models/common/asic.h"

struct mdl_sm;

/** mdl_sm_payload_fn - a monitor fired: write @data to @addr. */
typedef void (*mdl_sm_payload_fn)(void *ctx, uint64_t addr, uint32_t data);

/** mdl_sm_create - a sync manager with every SOB 0 and no monitor armed. */
hlsim_err_t mdl_sm_create(const struct mdl_asic_funcs *f, mdl_sm_payload_fn payload, void *ctx,
			  struct mdl_sm **out);
void mdl_sm_destroy(struct mdl_sm *sm);

/**
 * mdl_sm_write - apply a 32-bit write to a SOB or monitor register (@t from
 * classify_target). Other target kinds are ignored. May call the payload hook, once
 * per monitor that fires, in monitor index order.
 */
void mdl_sm_write(struct mdl_sm *sm, const struct mdl_target *t, uint32_t value);

/** mdl_sm_sob - current value of SOB @index in @block. */
uint32_t mdl_sm_sob(const struct mdl_sm *sm, uint32_t block, uint32_t index);

/** mdl_sm_fires - number of monitor firings so far. */
uint64_t mdl_sm_fires(const struct mdl_sm *sm);

/**
 * mdl_sm_describe_waiters - for a deadlock report: describe every armed monitor whose
 * payload address is @addr, with the current values of the SOBs it watches, into @buf.
 * Returns the number of such monitors.
 */
int mdl_sm_describe_waiters(const struct mdl_sm *sm, uint64_t addr, char *buf, size_t cap);

#endif /* HLSIM_MDL_SYNCMGR_H */
