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

/** gaudi2_tpc_layout - the TPC CFG block descriptor offsets of Gaudi2 [I] (gaudi2_tpc.c). */
extern const struct mdl_tpc_layout gaudi2_tpc_layout;

#endif /* HLSIM_MDL_GAUDI2_TPC_H */
