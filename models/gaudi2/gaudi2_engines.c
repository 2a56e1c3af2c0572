/*
 * models/gaudi2/gaudi2_engines.c - Gaudi2's engine_launch hook (MME and TPC) and MME layout.
 *
 * MME [I]: the Gaudi2 MME ARCH descriptor layout is not in this project's sources, so
 * Gaudi2 uses hlsim's own MME interpretation (models/common/mme.c, sim/MODEL.md "MME")
 * at the Gaudi offsets of the ARCH block, with the launch at Gaudi2's MME CTRL_LO CMD
 * (0x004, which the Gaudi descriptor range 0x008..0x227 does not overlap). A logical
 * Gaudi2 MME is a master + slave pair of physical MMEs [V: "2 logical MMEs (4
 * physical)"]; the pairing DCORE0+DCORE1 and DCORE2+DCORE3, masters on DCORE0 and DCORE2,
 * is inferred. Traces written by `hlsim gen gemm|conv2d --asic gaudi2` follow it.
 *
 * TPC [I]: the Gaudi2 TPC descriptor offsets are not in this project's sources either, so
 * Gaudi2 uses the Gaudi TPC descriptor layout at the Gaudi offsets of the TPC CFG block
 * (models/gaudi/gaudi_tpc.c), with the launch on a write to Gaudi2's TPC_EXECUTE (0xD98)
 * (gaudi2_tpc_layout, models/gaudi2/gaudi2_tpc.c). In the Gaudi layout 0xD98 is
 * tid_base_dim_1, which therefore cannot be carried on Gaudi2: the dim-1 index-space
 * base is taken as 0. It only places the partition; it changes neither its size nor
 * its timing. Likewise TPC_CMD (0xD94) overlays tid_size_dim_0: writers issue it before
 * the descriptor. Launches are timed by the common TPC model (mdl_tpc_work) with the
 * tpc.* parameters; the 24 user TPCs are engines 0..23 (DCORE d TPC t = 6d + t), the
 * spare DCORE0 TPC6 (engine 24) is timed the same way if a trace uses it. Traces
 * written by `hlsim gen elementwise --asic gaudi2` (and the other TPC kinds) follow it.
 */
#include <string.h>

#include "models/common/engine.h"
#include "models/gaudi/gaudi_mme.h"
#include "models/gaudi2/gaudi2P.h"
#include "models/gaudi2/gaudi2_tpc.h"

struct mdl_mme_layout gaudi2_mme_layout;

void gaudi2_engines_init(void)
{
	static int done;

	if (done)
		return;
	gaudi2_tpc_init();
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
		return mdl_tpc_work(&gaudi2_tpc_layout, regs, &ec->tpc, hint, out);
	case MDL_ENGINE_DMA:
	case MDL_ENGINE_NIC:
	case MDL_ENGINE_CPU:
	case MDL_ENGINE_CLASS_COUNT_:
		break;
	}
	return hlsim_error(HLSIM_E_UNSUPPORTED, "%s engines have no launch model on gaudi2",
			   mdl_engine_class_name(cls));
}
