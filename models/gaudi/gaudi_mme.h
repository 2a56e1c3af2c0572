/**
 * models/gaudi/gaudi_mme.h - where Gaudi (HL-205) keeps the MME ARCH descriptor.
 */
#ifndef HLSIM_MDL_GAUDI_MME_H
#define HLSIM_MDL_GAUDI_MME_H

#include "models/common/mme.h"

/**
 * gaudi_mme_layout - the MME CTRL block registers the hlsim MME interpretation reads
 * (models/common/mme.c), at their Gaudi offsets; MME_0_x and MME_1_x queues write the
 * same layout (in the MME2 and MME0 blocks).
 */
extern const struct mdl_mme_layout gaudi_mme_layout;

#endif
