/**
 * models/gaudi/gaudi_tpc.h - where Gaudi (HL-205) keeps the TPC descriptor.
 *
 * The layout is wired into the Gaudi function table (props->tpc_layout) by gaudi.c;
 * until then generators take it from here by ASIC name.
 */
#ifndef HLSIM_MDL_GAUDI_TPC_H
#define HLSIM_MDL_GAUDI_TPC_H

#include "models/common/tpc.h"

/** gaudi_tpc_layout - the TPC CFG block descriptor offsets of Gaudi (see gaudi_tpc.c). */
extern const struct mdl_tpc_layout gaudi_tpc_layout;

#endif /* HLSIM_MDL_GAUDI_TPC_H */
