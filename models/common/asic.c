/*
 * models/common/asic.c - the one place that chooses an ASIC's function table.
 * Nothing else in hlsim branches on the ASIC type.
 */
#include <string.h>
#include <strings.h>

#include "models/common/asic.h"

hlsim_err_t mdl_asic_get(enum mdl_asic_type type, const struct mdl_asic_funcs **out)
{
	switch (type) {
	case MDL_ASIC_GAUDI:
		*out = gaudi_get_asic_funcs();
		return HLSIM_OK;
	case MDL_ASIC_GAUDI2:
		*out = gaudi2_get_asic_funcs();
		return HLSIM_OK;
	}
	return hlsim_error(HLSIM_E_UNSUPPORTED_ASIC, "ASIC type %d is not supported (supported: gaudi, gaudi2)",
			   (int)type);
}

hlsim_err_t mdl_asic_by_name(const char *name, const struct mdl_asic_funcs **out)
{
	if (!strcasecmp(name, "gaudi") || !strcasecmp(name, "hl205") || !strcasecmp(name, "hl-205"))
		return mdl_asic_get(MDL_ASIC_GAUDI, out);
	if (!strcasecmp(name, "gaudi2") || !strcasecmp(name, "hl225") || !strcasecmp(name, "hl-225"))
		return mdl_asic_get(MDL_ASIC_GAUDI2, out);
	return hlsim_error(HLSIM_E_UNSUPPORTED_ASIC, "unknown ASIC '%s' (expected gaudi or gaudi2)", name);
}

const char *mdl_engine_class_name(enum mdl_engine_class c)
{
	switch (c) {
	case MDL_ENGINE_DMA:
		return "dma";
	case MDL_ENGINE_MME:
		return "mme";
	case MDL_ENGINE_TPC:
		return "tpc";
	case MDL_ENGINE_NIC:
		return "nic";
	case MDL_ENGINE_CPU:
		return "cpu";
	case MDL_ENGINE_CLASS_COUNT_:
		break;
	}
	return "?";
}

const char *mdl_mem_kind_name(enum mdl_mem_kind k)
{
	switch (k) {
	case MDL_MEM_UNKNOWN:
		return "unknown";
	case MDL_MEM_HBM:
		return "hbm";
	case MDL_MEM_SRAM:
		return "sram";
	case MDL_MEM_HOST:
		return "host";
	case MDL_MEM_CFG:
		return "cfg";
	case MDL_MEM_KIND_COUNT_:
		break;
	}
	return "?";
}
