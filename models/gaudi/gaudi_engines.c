/*
 * models/gaudi/gaudi_engines.c - Gaudi's engine_launch hook: which timing model a write
 * to a launch register starts (TPC_EXECUTE -> the TPC model, MME_CTRL_CMD -> the MME
 * model), with Gaudi's descriptor layouts. DMA COMMIT is handled by the simulator's DMA
 * engines directly; NIC programming is not public.
 */
#include "models/common/engine.h"
#include "models/gaudi/gaudiP.h"
#include "models/gaudi/gaudi_mme.h"
#include "models/gaudi/gaudi_tpc.h"

hlsim_err_t gaudi_engine_launch(enum mdl_engine_class cls, const uint32_t *regs,
				const struct mdl_engine_cfg *ec, const struct mdl_cost_hint *hint,
				struct mdl_work *out)
{
	switch (cls) {
	case MDL_ENGINE_TPC:
		return mdl_tpc_work(&gaudi_tpc_layout, regs, &ec->tpc, hint, out);
	case MDL_ENGINE_MME:
		return mdl_mme_work(&gaudi_mme_layout, regs, &ec->mme, out);
	case MDL_ENGINE_DMA:
	case MDL_ENGINE_NIC:
	case MDL_ENGINE_CPU:
	case MDL_ENGINE_CLASS_COUNT_:
		break;
	}
	return hlsim_error(HLSIM_E_UNSUPPORTED, "%s engines have no launch model on gaudi",
			   mdl_engine_class_name(cls));
}
