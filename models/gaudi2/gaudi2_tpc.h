/**
 * models/gaudi2/gaudi2_tpc.h - where hlsim's Gaudi2 (HL-225) model keeps the TPC
 * descriptor: the Gaudi layout launched by Gaudi2's TPC_EXECUTE (see gaudi2_tpc.c).
 *
 * Wired into the Gaudi2 properties (props->tpc_layout) by gaudi2.c and used by its
 * engine_launch hook (gaudi2_engines.c); generators take it from the properties.
 */
#ifndef HLSIM_MDL_GAUDI2_TPC_H
#define HLSIM_MDL_GAUDI2_TPC_H

#include "models/common/tpc.h"

/**
 * gaudi2_tpc_layout - the TPC CFG block descriptor offsets of Gaudi2 [I] (gaudi2_tpc.c):
 * Gaudi's layout with Gaudi2's launch registers, filled by gaudi2_tpc_init().
 */
extern struct mdl_tpc_layout gaudi2_tpc_layout;
/** gaudi2_tpc_init - fill gaudi2_tpc_layout (idempotent; gaudi2_engines_init() calls it). */
void gaudi2_tpc_init(void);

#endif /* HLSIM_MDL_GAUDI2_TPC_H */
