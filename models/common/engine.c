/*
 * models/common/engine.c - loading the engines' timing parameters in one place.
 */
#include "models/common/engine.h"

hlsim_err_t mdl_engine_cfg_load(const hlsim_config_t *cfg, struct mdl_engine_cfg *out)
{
	hlsim_err_t rc;

	rc = mdl_tpc_cfg_load(cfg, &out->tpc);
	if (!rc)
		rc = mdl_mme_cfg_load(cfg, &out->mme);
	return rc;
}
