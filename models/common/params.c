/*
 * models/common/params.c - every configuration parameter, declared once as data.
 *
 * Each row gives the key (section.name), the type (which fixes the unit it is written
 * and stored in), the default as it would be written in an INI file, and one sentence
 * saying what it is and where the number comes from:
 *   [V] vendor or driver fact (source named), [D] derived from other facts,
 *   [I] inferred: no public figure, a stated estimate to calibrate against traces.
 * The default preset models/configs/gaudi_hl205.ini repeats every row with the same
 * value and the description as its comment; tests/unit/test_config.c checks both.
 * This file also prints the table (`hlsim config params`).
 */
#include <stdio.h>
#include <string.h>

#include "hlsim/config.h"
#include "models/common/config_int.h"

static const struct hlsim_param params[] = {
	/* [asic] */
	{ "asic.name", HLSIM_PARAM_STR, "gaudi",
	  "Which ASIC model decodes the trace and provides the engines; only gaudi (HL-205) "
	  "is modelled in this build." },
	{ "asic.clock", HLSIM_PARAM_FREQ, "1.95GHz",
	  "Accelerator clock of the CPs and engines [V] MLPerf system files for HL-205 "
	  "(the driver's GAUDI_MAX_CLK_FREQ of 2.2 GHz is only an upper bound)." },

	/* [cp] */
	{ "cp.packet_cycles", HLSIM_PARAM_U64, "4",
	  "Cycles a CP spends fetching and issuing one packet [I] inferred: not published, "
	  "a few cycles for a pipelined fetch and decode." },
	{ "cp.lower_cp_handoff", HLSIM_PARAM_TIME, "50ns",
	  "Time for CP_DMA to hand a CB to the lower CP [I] inferred: not published, about "
	  "one on-chip memory round trip." },

	/* [dma] */
	{ "dma.setup_latency", HLSIM_PARAM_TIME, "500ns",
	  "Time from a DMA command reaching the engine to its first byte moving [I] inferred: "
	  "not published, descriptor processing plus address translation." },
	{ "dma.engine_bandwidth", HLSIM_PARAM_BANDWIDTH, "200GB/s",
	  "Highest rate one DMA core moves data [I] inferred: not published, set so that "
	  "several cores are needed to saturate HBM." },

	/* [hbm] */
	{ "hbm.bandwidth", HLSIM_PARAM_BANDWIDTH, "1TB/s",
	  "Total HBM bandwidth shared by all engines, reads plus writes [V] Habana material "
	  "gives approximately 0.9-1 TB/s for the four HBM2 stacks." },
	{ "hbm.latency", HLSIM_PARAM_TIME, "100ns",
	  "Time from a request to its first byte returning from HBM [I] inferred: typical "
	  "HBM2 access latency, not published for Gaudi." },
	{ "hbm.size", HLSIM_PARAM_BYTES, "32GiB",
	  "HBM capacity [V] driver GAUDI_HBM_SIZE_32GB 0x800000000 over four HBM2 devices." },

	/* [sram] */
	{ "sram.bandwidth", HLSIM_PARAM_BANDWIDTH, "4TB/s",
	  "Total on-die SRAM bandwidth shared by all engines [I] inferred: unpublished for "
	  "Gaudi, set well above HBM as on-die SRAM is faster." },
	{ "sram.latency", HLSIM_PARAM_TIME, "20ns",
	  "Time from a request to its first byte returning from on-die SRAM [I] inferred: "
	  "not published, a few tens of cycles." },
	{ "sram.size", HLSIM_PARAM_BYTES, "20MiB",
	  "On-die SRAM capacity [V] driver SRAM_SIZE 0x1400000." },

	/* [pcie] */
	{ "pcie.h2d_bandwidth", HLSIM_PARAM_BANDWIDTH, "32GB/s",
	  "Raw host-to-device PCIe bandwidth [V] PCIe Gen4 x16, half of the 64 GB/s "
	  "bidirectional figure." },
	{ "pcie.d2h_bandwidth", HLSIM_PARAM_BANDWIDTH, "32GB/s",
	  "Raw device-to-host PCIe bandwidth [V] PCIe Gen4 x16, half of the 64 GB/s "
	  "bidirectional figure." },
	{ "pcie.efficiency", HLSIM_PARAM_F64, "0.8",
	  "Fraction of raw PCIe bandwidth left after TLP headers and flow control [I] "
	  "inferred: typical for 256-byte payloads, to calibrate with DMA traces." },
	{ "pcie.latency", HLSIM_PARAM_TIME, "1us",
	  "Time for a PCIe transaction to cross between host and device [I] inferred: "
	  "typical through a root complex, not measured." },

	/* [sync] */
	{ "sync.msg_latency", HLSIM_PARAM_TIME, "20ns",
	  "Time for a message write to reach a SOB, monitor or fence [I] inferred: an "
	  "on-chip register write, not published." },

	/* [host] */
	{ "host.cs_submit_overhead", HLSIM_PARAM_TIME, "5us",
	  "Host time for one HL_IOCTL_CS call [I] inferred: a system call plus driver job "
	  "setup, to calibrate from the CS timestamps of captured traces." },
	{ "host.timing", HLSIM_PARAM_STR, "asap",
	  "asap submits each CS as soon as the previous ioctl returned; trace also keeps "
	  "the recorded gaps between submissions." },

	{ NULL, 0, NULL, NULL },
};

const struct hlsim_param *hlsim_config_params(void)
{
	return params;
}

const struct hlsim_param *mdl_config_param_find(const char *key)
{
	const struct hlsim_param *p;

	if (!key)
		return NULL;
	for (p = params; p->key; p++)
		if (!strcmp(p->key, key))
			return p;
	return NULL;
}

const char *mdl_config_type_name(enum hlsim_param_type type)
{
	switch (type) {
	case HLSIM_PARAM_U64:
		return "u64";
	case HLSIM_PARAM_F64:
		return "f64";
	case HLSIM_PARAM_BOOL:
		return "bool";
	case HLSIM_PARAM_STR:
		return "str";
	case HLSIM_PARAM_BYTES:
		return "bytes";
	case HLSIM_PARAM_FREQ:
		return "freq";
	case HLSIM_PARAM_TIME:
		return "time";
	case HLSIM_PARAM_BANDWIDTH:
		return "bandwidth";
	}
	return "?";
}

const char *mdl_config_type_unit(enum hlsim_param_type type)
{
	switch (type) {
	case HLSIM_PARAM_U64:
		return "integer";
	case HLSIM_PARAM_F64:
		return "real";
	case HLSIM_PARAM_BOOL:
		return "true/false";
	case HLSIM_PARAM_STR:
		return "word";
	case HLSIM_PARAM_BYTES:
		return "bytes";
	case HLSIM_PARAM_FREQ:
		return "Hz";
	case HLSIM_PARAM_TIME:
		return "ps";
	case HLSIM_PARAM_BANDWIDTH:
		return "bytes/s";
	}
	return "?";
}

hlsim_err_t mdl_config_params_print(FILE *out)
{
	const struct hlsim_param *p;
	char type[48];

	fprintf(out, "%-24s %-20s %-8s %s\n", "KEY", "TYPE (STORED UNIT)", "DEFAULT",
		"DESCRIPTION");
	for (p = params; p->key; p++) {
		snprintf(type, sizeof(type), "%s (%s)", mdl_config_type_name(p->type),
			 mdl_config_type_unit(p->type));
		fprintf(out, "%-24s %-20s %-8s %s\n", p->key, type, p->default_value,
			p->description);
	}
	if (fflush(out) || ferror(out))
		return hlsim_error(HLSIM_E_IO, "cannot write the parameter list");
	return HLSIM_OK;
}
