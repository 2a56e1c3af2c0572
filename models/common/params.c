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
	  "Which ASIC model decodes the trace and provides the engines: gaudi (HL-205) or "
	  "gaudi2 (HL-225)." },
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

	/* [tpc] */
	{ "tpc.clock", HLSIM_PARAM_FREQ, "1.95GHz",
	  "Clock of the TPC cores [V] MLPerf system files give 1.95 GHz as the HL-205 "
	  "accelerator clock; 8 TPCs x 256 bf16 FLOP per cycle make about 4 TFLOPS [D]." },
	{ "tpc.cycles_per_vector", HLSIM_PARAM_F64, "1",
	  "Issue cycles per index-space point (one vector) of a kernel without a cost hint [I] "
	  "inferred: the VLIW4 core issues a load, a vector op and a store in one bundle and "
	  "software pipelining hides the latency, so a simple element-wise kernel retires "
	  "about one vector per cycle." },
	{ "tpc.pipeline_latency_cycles", HLSIM_PARAM_U64, "4",
	  "Cycles added once per kernel launch to fill and drain the exposed pipeline [V] TPC "
	  "User Guide: most instructions have a 4-cycle latency." },
	{ "tpc.launch_overhead_cycles", HLSIM_PARAM_U64, "1000",
	  "Cycles from TPC_EXECUTE to the first vector plus the completion message, once per "
	  "launch [I] inferred: not published; descriptor load and an instruction-cache fill "
	  "from HBM after TPC_CMD invalidated it, about 0.5 us." },
	{ "tpc.vector_bytes", HLSIM_PARAM_BYTES, "256",
	  "SIMD width: the bytes of the first tensor one index-space point processes along "
	  "dimension 0 [V] TPC User Guide: 2048-bit SIMD, 64 fp32, 128 bf16 or 256 int8 "
	  "lanes." },
	{ "tpc.min_access_bytes", HLSIM_PARAM_BYTES, "256",
	  "Smallest memory access a TPC makes at full efficiency; a launch reports shorter "
	  "contiguous runs so the memory model can charge them [M] measured on Gaudi2: HBM "
	  "accesses under 256 bytes waste most of the bandwidth." },
	{ "tpc.flops_per_element", HLSIM_PARAM_U64, "1",
	  "Arithmetic operations per element of a kernel whose trace gives no cost hint [I] "
	  "inferred: one operation, as in an element-wise add." },

	/* [mme] */
	{ "mme.clock", HLSIM_PARAM_FREQ, "1.95GHz",
	  "Clock of the MME arrays [V] MLPerf system files give 1.95 GHz for HL-205 "
	  "(Gaudi2: 1.65 GHz [V])." },
	{ "mme.array_rows", HLSIM_PARAM_U64, "128",
	  "MAC cells along M (output rows) of the array one MME QMAN launches, a master + "
	  "slave pair [I] inferred: the HL-205 array size is unpublished; 128 x 64 per QMAN "
	  "gives 2 QMANs x 8192 x 2 x 1.95 GHz = 63.9 TFLOPS bf16 [D], the ~60 TFLOPS of the "
	  "vendor (Gaudi2: 256 x 256 per logical MME [V])." },
	{ "mme.array_cols", HLSIM_PARAM_U64, "64",
	  "MAC cells along N (output columns) of the array one MME QMAN launches [I] "
	  "inferred with mme.array_rows from the ~60 TFLOPS bf16 peak (Gaudi2: 256 [V])." },
	{ "mme.reshape", HLSIM_PARAM_BOOL, "false",
	  "The array can also take the shapes 2 rows x cols/2 and rows/2 x 2 cols for a "
	  "launch [V] Gaudi2 reconfigures 256x256 as 512x128 / 128x512 (true); [I] not "
	  "known for HL-205, so false." },
	{ "mme.fp32_rate", HLSIM_PARAM_F64, "0.25",
	  "fp32 MACs per cell and cycle relative to bf16 [I] inferred: not published; a "
	  "24-bit-mantissa multiply takes about four passes of a bf16 (8-bit mantissa) "
	  "multiplier." },
	{ "mme.fp8_rate", HLSIM_PARAM_F64, "0",
	  "fp8 MACs per cell and cycle relative to bf16, 0 = no fp8 [V] HL-205 has no fp8 "
	  "(Gaudi2: 2, 865 vs 432 TFLOPS [V])." },
	{ "mme.fill_drain_cycles", HLSIM_PARAM_U64, "192",
	  "Cycles per launch to fill the array with the skewed operand wavefront and drain "
	  "the last tile [D] rows + cols of a systolic array (128 + 64; Gaudi2 256 + 256 = "
	  "512); [I] the systolic structure is inferred." },
	{ "mme.tile_overhead_cycles", HLSIM_PARAM_U64, "64",
	  "Cycles lost per output tile when the array switches tiles [I] inferred: the "
	  "finished tile's accumulators leave at two array rows per cycle, not hidden behind "
	  "the next tile: rows / 2 (Gaudi2: 128, which puts the calibration GEMMs 4096^3 and "
	  "8192^3 bf16 within 2.5% of the measured 408.2 and 423.9 TFLOPS)." },
	{ "mme.launch_cycles", HLSIM_PARAM_U64, "1000",
	  "Fixed cycles per launch from MME_CTRL_CMD to the first MAC [I] inferred: "
	  "descriptor transfer into the engine and address-generator set-up, about 0.5 us; "
	  "memory latency is added by the memory links (Gaudi2: 1000)." },
	{ "mme.local_buffer", HLSIM_PARAM_BYTES, "2MiB",
	  "Operand buffer of one MME QMAN that keeps a band of S (or L) strips for reuse "
	  "across tiles; 0 = every strip read once per use [I] inferred: unpublished, sized "
	  "for two 128-row bf16 strips of K = 4096 (Gaudi2: 8MiB, two 256-row strips of K = "
	  "8192)." },

	/* [hbm] */
	{ "hbm.bandwidth", HLSIM_PARAM_BANDWIDTH, "1TB/s",
	  "Total HBM bandwidth shared by all engines, reads plus writes [V] Habana material "
	  "gives approximately 0.9-1 TB/s for the four HBM2 stacks." },
	{ "hbm.latency", HLSIM_PARAM_TIME, "100ns",
	  "Time from a request to its first byte returning from HBM [I] inferred: typical "
	  "HBM2 access latency, not published for Gaudi." },
	{ "hbm.size", HLSIM_PARAM_BYTES, "32GiB",
	  "HBM capacity [V] driver GAUDI_HBM_SIZE_32GB 0x800000000 over four HBM2 devices." },
	{ "hbm.min_access_bytes", HLSIM_PARAM_BYTES, "256",
	  "Smallest access HBM serves at full efficiency; a smaller one costs this much "
	  "bandwidth [M] measured on Gaudi2 TPCs: accesses under 256 bytes waste most of it." },

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
	{ "pcie.cards_per_switch", HLSIM_PARAM_U64, "2",
	  "Cards of a box behind one PCIe switch, sharing its uplink to the host; used in "
	  "runs of several devices [I] inferred: HLS-1 is believed to have 4 PCIe switches "
	  "for its 8 cards, not in a public document; HLS-1H offers one or two host PCIe "
	  "connectors for its 4 cards." },
	{ "pcie.switch_uplink_bandwidth", HLSIM_PARAM_BANDWIDTH, "32GB/s",
	  "Raw bandwidth per direction of a PCIe switch's uplink to its CPU socket, shared "
	  "by the switch's cards and used at pcie.efficiency [I] inferred: a Gen4 x16 uplink "
	  "like the cards' own links, not published for the HLS servers." },

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
	{ "host.order", HLSIM_PARAM_STR, "device",
	  "device gives each device's host its own timeline (the trace's records per device); "
	  "program makes the devices' hosts one program: a record waits for every WAIT_CS, on "
	  "any device, entered before it in host time (hlsim vdev replays this way)." },
	{ "host.sockets", HLSIM_PARAM_U64, "2",
	  "CPU sockets of the server of a box, 1 to 8; its PCIe switches are spread over them "
	  "in order [I] inferred: two-socket Xeon hosts, as in Supermicro's X12 Gaudi server "
	  "and AWS DL1 (2 x Xeon 8275CL); HLS-1 itself takes an external host." },
	{ "host.memory_bandwidth", HLSIM_PARAM_BANDWIDTH, "204.8GB/s",
	  "Peak DRAM bandwidth of one CPU socket, reads plus writes, shared by the host "
	  "traffic of the cards whose buffers it holds [D] Xeon Platinum 8380 (Intel ARK): 8 "
	  "channels of DDR4-3200 x 8 bytes; [I] that CPU is assumed." },
	{ "host.upi_bandwidth", HLSIM_PARAM_BANDWIDTH, "67.2GB/s",
	  "Bandwidth per direction between two CPU sockets, crossed by host traffic whose "
	  "buffer is on the other socket [D] Xeon Platinum 8380 (Intel ARK): 3 UPI links at "
	  "11.2 GT/s x 2 bytes; [I] that CPU is assumed." },
	{ "host.numa_local", HLSIM_PARAM_BOOL, "true",
	  "A card's host buffers are in the memory of the socket its PCIe switch hangs off, "
	  "so UPI carries none of its traffic; false puts every buffer on socket 0 [I] "
	  "inferred: NUMA-aware placement, one process per card bound to its local node, is "
	  "the common practice." },

	/* [nic] */
	{ "nic.ports", HLSIM_PARAM_U64, "10",
	  "NIC ports per card, one per NIC engine (QMAN) [V] HL-205: 10 x 100 GbE RoCE "
	  "v2; HL-225: 24." },
	{ "nic.port_bandwidth", HLSIM_PARAM_BANDWIDTH, "100Gb/s",
	  "Line rate of one NIC port in each direction [V] 100 GbE RoCE v2 (Gaudi3: 200 "
	  "GbE)." },
	{ "nic.mtu", HLSIM_PARAM_BYTES, "4096",
	  "RoCE payload bytes per packet [I] inferred: the largest RoCE v2 MTU, which "
	  "collective libraries use; HCCL's setting is not published." },
	{ "nic.frame_overhead", HLSIM_PARAM_BYTES, "82",
	  "Bytes on the wire per packet besides its payload [D] Ethernet preamble and "
	  "inter-frame gap 20, header 14, FCS 4, IPv4 20, UDP 8, RoCE BTH 12 and ICRC 4: "
	  "with a 4096-byte MTU 98.0% of the line rate is payload." },
	{ "nic.latency", HLSIM_PARAM_TIME, "1us",
	  "Time from an RDMA write reaching its NIC engine to the first byte on the wire, "
	  "plus the receiver's completion write [I] inferred: not published; queue-pair "
	  "and descriptor processing." },
	{ "nic.link_latency", HLSIM_PARAM_TIME, "200ns",
	  "Latency of one cable between two ports: PHY, FEC and propagation [I] inferred: "
	  "typical for 100 GbE with RS-FEC over a few metres." },

	/* [box] */
	{ "box.cards", HLSIM_PARAM_U64, "8",
	  "Cards per box, wired all-to-all through their scale-up ports [V] HLS-1: 8 "
	  "(HLS-1H: 4)." },
	{ "box.ports_per_peer", HLSIM_PARAM_U64, "1",
	  "Scale-up ports from each card to each other card of its box [V] HLS-1: 7 of "
	  "the 10 ports all-to-all, 1 per peer (HLS-1H: 0, all 40 ports external)." },
	{ "box.scaleout_ports", HLSIM_PARAM_U64, "3",
	  "Ports per card into the scale-out network [V] HLS-1: 3 x 100G per card "
	  "(HLS-1H: 10)." },

	/* [scaleout] */
	{ "scaleout.leaf_down_ports", HLSIM_PARAM_U64, "32",
	  "Ports of a leaf switch that face NIC ports [I] the user's network, not "
	  "Habana's: a 64-port switch split between NICs and spines." },
	{ "scaleout.oversubscription", HLSIM_PARAM_F64, "1",
	  "NIC-facing over spine-facing bandwidth of a leaf switch; 1 is non-blocking [I] "
	  "the user's network." },
	{ "scaleout.switch_latency", HLSIM_PARAM_TIME, "500ns",
	  "Forwarding latency of one switch [I] inferred: a typical cut-through Ethernet "
	  "switch." },

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
