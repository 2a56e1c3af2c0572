/*
 * models/gaudi2/gaudi2_engines.c - Gaudi2's engine_launch hook and MME descriptor layout.
 *
 * MME [I]: the Gaudi2 MME ARCH descriptor layout is not in this project's sources, so
 * Gaudi2 uses hlsim's own MME interpretation (models/common/mme.c, sim/MODEL.md "MME")
 * at the Gaudi offsets of the ARCH block, with the launch at Gaudi2's MME CTRL_LO CMD
 * (0x004, which the Gaudi descriptor range 0x008..0x227 does not overlap). A logical
 * Gaudi2 MME is a master + slave pair of physical MMEs [V: "2 logical MMEs (4
 * physical)"]; the pairing DCORE0+DCORE1 and DCORE2+DCORE3, masters on DCORE0 and DCORE2,
 * is inferred. Traces written by `hlsim gen gemm --asic gaudi2` follow it.
 *
 * TPC: Gaudi2's TPC CFG block moved TPC_EXECUTE to 0xD98, inside the range where the
 * Gaudi descriptor lives, and the Gaudi2 descriptor offsets are not in this project's
 * sources: TPC launches are refused with an error rather than mistimed.
 */
#include <string.h>

#include "models/common/engine.h"
#include "models/gaudi/gaudi_mme.h"
#include "models/gaudi2/gaudi2P.h"

struct mdl_mme_layout gaudi2_mme_layout;

void gaudi2_engines_init(void)
{
	static int done;

	if (done)
		return;
	gaudi2_mme_layout = gaudi_mme_layout;
	gaudi2_mme_layout.name = "gaudi2 MME CTRL_LO (hlsim interpretation)";
	gaudi2_mme_layout.cmd = GAUDI2_MME_CTRL_LO_CMD;
	gaudi2_mme_layout.num_logical = 2;
	gaudi2_mme_layout.logical_engine[0] = 0; /* DCORE0 MME: master of DCORE0 + DCORE1 */
	gaudi2_mme_layout.logical_engine[1] = 2; /* DCORE2 MME: master of DCORE2 + DCORE3 */
	done = 1;
}

hlsim_err_t gaudi2_engine_launch(enum mdl_engine_class cls, const uint32_t *regs,
				 const struct mdl_engine_cfg *ec, const struct mdl_cost_hint *hint,
				 struct mdl_work *out)
{
	switch (cls) {
	case MDL_ENGINE_MME:
		return mdl_mme_work(&gaudi2_mme_layout, regs, &ec->mme, out);
	case MDL_ENGINE_TPC:
		return hlsim_error(HLSIM_E_UNSUPPORTED,
				   "TPC kernel launches are not modelled on gaudi2: its TPC "
				   "descriptor layout is not known to this model");
	case MDL_ENGINE_DMA:
	case MDL_ENGINE_NIC:
	case MDL_ENGINE_CPU:
	case MDL_ENGINE_CLASS_COUNT_:
		break;
	}
	return hlsim_error(HLSIM_E_UNSUPPORTED, "%s engines have no launch model on gaudi2",
			   mdl_engine_class_name(cls));
}
