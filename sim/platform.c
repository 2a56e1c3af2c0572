/*
 * sim/platform.c - the SimGrid platform of a run: one zone per Gaudi chip, one zone per
 * box for the scale-up cables, and a fat-tree cluster for the scale-out network, written
 * as XML from the configuration (SimGrid's C API cannot create hosts or links; it loads
 * a file).
 *
 * Model of one chip (GAUDI-FACTS.md §3, CALIBRATION.md):
 * - One shared link per memory: "hbm" and "sram" carry every byte read or written
 *   there (their bandwidth is the total, reads plus writes); "pcie.h2d" and
 *   "pcie.d2h" are the two directions of the host link, at raw rate x efficiency.
 * - One link per DMA engine, "<engine>.port", at the engine's highest rate; its
 *   latency is the engine's setup latency, so a transfer of N bytes alone takes
 *   setup + memory latencies + N / min(bandwidths).
 * - A transfer from memory S to memory D by engine E is a flow from host E to the
 *   endpoint host "path.S.D" whose route is [E.port, S's link, D's link]. A copy
 *   within one memory lists that link twice: it reads and writes every byte there.
 *   Memset has no source ("fill").
 * - A compute engine (TPC, MME) is a host whose speed is its clock (one flop = one
 *   cycle); its traffic to a memory is a flow to "mem.hbm", "mem.sram", "mem.host.rd"
 *   (over pcie.h2d) or "mem.host.wr" (over pcie.d2h), one route per memory.
 * Names of device d carry the prefix "d<d>." (sim.h).
 *
 * Host side of a run of several devices (one server per box; sim/MODEL.md "Host"):
 * - Card c of box b hangs off PCIe switch c / pcie.cards_per_switch; switch s of a box
 *   with S switches (a full box's) hangs off CPU socket s * host.sockets / S [I: the
 *   wiring of the servers is not published; contiguous halves, as in a two-socket
 *   server with two switches per socket].
 * - Host traffic of a card crosses, besides its own "pcie.h2d" / "pcie.d2h": the
 *   switch's uplink in the same direction, "b<b>.sw<s>.h2d" / "b<b>.sw<s>.d2h"
 *   (pcie.switch_uplink_bandwidth x pcie.efficiency, shared by the cards of the
 *   switch); the memory of the socket holding the host buffer, "b<b>.cpu<k>.mem"
 *   (host.memory_bandwidth, reads plus writes of every card using it); and, when that
 *   socket is not the switch's, the inter-socket link "b<b>.upi.<from>.<to>" in the
 *   direction the data moves (host.upi_bandwidth). With host.numa_local (the default)
 *   a card's buffers are on its switch's socket and UPI carries nothing; without it
 *   they are all on socket 0 [I: a process that did not bind its memory].
 * - These links have no latency: pcie.latency is the whole crossing [I].
 * - A single-device run has none of them: the card has the host to itself.
 *
 * Network (models/common/net.h for the wiring; CALIBRATION.md "Servers"):
 * - Each scale-up port p of device d is a host "d<d>.p<p>" with a link "d<d>.p<p>.tx"
 *   for the direction leaving it (nic.port_bandwidth, nic.link_latency): a cable is two
 *   such links, one per direction. The route from a port to the port at the other end of
 *   its cable is [sender's hbm, the tx link, receiver's hbm]: an RDMA write reads the
 *   sender's HBM and writes the receiver's, sharing both with the chips' engines.
 * - The scale-out ports of all cards are the hosts "so<i>" of one SimGrid cluster with
 *   a two-level fat tree (leaf and spine switches; SimGrid's FatTree routing, which picks
 *   the up-link by source index): leaves of scaleout.leaf_down_ports ports, each with
 *   leaf_down_ports / scaleout.oversubscription up-links, all links at the NIC's line
 *   rate. A link's latency is the path's switch latencies and two cables spread over its
 *   links. Scale-out flows do not cross the chips' HBM links [I: at most 3 x 100 Gb/s
 *   per card, about 1.5% of a Gaudi2's HBM bandwidth].
 * - Bytes on the wire include the RoCE framing (sim/core.c adds nic.frame_overhead per
 *   nic.mtu of payload), so link bandwidths are raw line rates.
 */
#include <stdio.h>

#include "models/common/asic.h"
#include "models/common/net.h"
#include "sim/sim.h"

const char *const sim_mem_port_host[SIM_PORTS] = {
	[SIM_PORT_HBM] = "mem.hbm", [SIM_PORT_SRAM] = "mem.sram",
	[SIM_PORT_HOST_RD] = "mem.host.rd", [SIM_PORT_HOST_WR] = "mem.host.wr",
};

static const char *const port_link[SIM_PORTS] = {
	[SIM_PORT_HBM] = "hbm", [SIM_PORT_SRAM] = "sram",
	[SIM_PORT_HOST_RD] = "pcie.h2d", [SIM_PORT_HOST_WR] = "pcie.d2h",
};

static const char *const kind_name[] = {
	[SIM_SRC_FILL] = "fill", [MDL_MEM_HBM] = "hbm", [MDL_MEM_SRAM] = "sram",
	[MDL_MEM_HOST] = "host",
};

const char *sim_path_host_name(uint32_t dev, int src_kind, int dst_kind, char *buf, unsigned cap)
{
	snprintf(buf, cap, "d%u.path.%s.%s", dev, kind_name[src_kind], kind_name[dst_kind]);
	return buf;
}

/* Sockets a host may have: Xeon platforms glue at most 8 [V] Intel: 8-socket parts. */
#define HOST_MAX_SOCKETS 8

/**
 * struct host_net - the host side shared by the cards of a box (runs of several devices).
 * @on: write and route the shared links; 0 for a single device, which keeps only its
 *	own PCIe link.
 * @cards: box.cards.
 * @cards_per_switch: pcie.cards_per_switch.
 * @switches: switches of a full box, ceil(cards / cards_per_switch).
 * @sockets: host.sockets.
 * @numa_local: host.numa_local: a card's host buffers are on its switch's socket.
 */
struct host_net {
	int on;
	uint32_t cards, cards_per_switch, switches, sockets;
	int numa_local;
};

/**
 * struct host_place - where one card meets the host.
 * @box: its box (server).
 * @sw: its PCIe switch within the box.
 * @socket: the CPU socket the switch hangs off.
 * @mem_socket: the socket whose memory holds the card's host buffers.
 */
struct host_place {
	uint32_t box, sw, socket, mem_socket;
};

/* The host side of @d under @cfg; HLSIM_E_CONFIG naming the key for an unusable value. */
static hlsim_err_t host_net_from_config(const hlsim_config_t *cfg,
					const struct sim_platform_desc *d, struct host_net *h)
{
	uint64_t cps = hlsim_config_u64(cfg, "pcie.cards_per_switch");
	uint64_t sockets = hlsim_config_u64(cfg, "host.sockets");

	if (cps == 0)
		return hlsim_error(HLSIM_E_CONFIG, "pcie.cards_per_switch is 0; expected at "
				   "least 1 (cards sharing one PCIe switch uplink)");
	if (cps > UINT32_MAX)
		return hlsim_error(HLSIM_E_CONFIG, "pcie.cards_per_switch is %llu; expected at "
				   "most %u", (unsigned long long)cps, UINT32_MAX);
	if (sockets == 0 || sockets > HOST_MAX_SOCKETS)
		return hlsim_error(HLSIM_E_CONFIG, "host.sockets is %llu; expected 1..%u CPU "
				   "sockets", (unsigned long long)sockets, HOST_MAX_SOCKETS);
	h->on = d->network && d->topo && d->ndev > 1;
	h->cards = d->topo ? d->topo->cards : 1;
	h->cards_per_switch = (uint32_t)cps;
	h->switches = (uint32_t)((h->cards + cps - 1) / cps);
	h->sockets = (uint32_t)sockets;
	h->numa_local = hlsim_config_u64(cfg, "host.numa_local") != 0;
	return HLSIM_OK;
}

static void host_place_of(const struct host_net *h, uint32_t dev, struct host_place *p)
{
	p->box = dev / h->cards;
	p->sw = dev % h->cards / h->cards_per_switch;
	p->socket = (uint32_t)((uint64_t)p->sw * h->sockets / h->switches);
	p->mem_socket = h->numa_local ? p->socket : 0;
}

/*
 * The shared links host traffic of device @dev crosses after its own PCIe link: the
 * switch uplink, the inter-socket link if the buffer is on another socket, and the
 * memory of that socket. @reading: host to device.
 */
static void put_host_links(FILE *o, const struct host_net *h, uint32_t dev, int reading)
{
	struct host_place p;

	if (!h->on)
		return;
	host_place_of(h, dev, &p);
	fprintf(o, "<link_ctn id=\"b%u.sw%u.%s\"/>", p.box, p.sw, reading ? "h2d" : "d2h");
	if (p.mem_socket != p.socket)
		fprintf(o, "<link_ctn id=\"b%u.upi.%u.%u\"/>", p.box,
			reading ? p.mem_socket : p.socket, reading ? p.socket : p.mem_socket);
	fprintf(o, "<link_ctn id=\"b%u.cpu%u.mem\"/>", p.box, p.mem_socket);
}

/* The links of every box's host side: switch uplinks, socket memories, UPI links. */
static void put_host_net(FILE *o, const hlsim_config_t *cfg, const struct host_net *h,
			 uint32_t ndev)
{
	double up = hlsim_config_f64(cfg, "pcie.switch_uplink_bandwidth") *
		    hlsim_config_f64(cfg, "pcie.efficiency");
	double mem = hlsim_config_f64(cfg, "host.memory_bandwidth");
	double upi = hlsim_config_f64(cfg, "host.upi_bandwidth");
	uint32_t boxes = (ndev + h->cards - 1) / h->cards, b, s, k, j, in_box, nsw;

	/* a zone of links only: SimGrid does not mix links with the zones beside them */
	fputs("<zone id=\"hostside\" routing=\"Full\">\n", o);
	for (b = 0; b < boxes; b++) {
		in_box = ndev - b * h->cards < h->cards ? ndev - b * h->cards : h->cards;
		nsw = (in_box + h->cards_per_switch - 1) / h->cards_per_switch;
		for (s = 0; s < nsw; s++) {
			fprintf(o, "<link id=\"b%u.sw%u.h2d\" bandwidth=\"%.17gBps\" "
				   "latency=\"0s\"/>\n", b, s, up);
			fprintf(o, "<link id=\"b%u.sw%u.d2h\" bandwidth=\"%.17gBps\" "
				   "latency=\"0s\"/>\n", b, s, up);
		}
		for (k = 0; k < h->sockets; k++)
			fprintf(o, "<link id=\"b%u.cpu%u.mem\" bandwidth=\"%.17gBps\" "
				   "latency=\"0s\"/>\n", b, k, mem);
		for (k = 0; !h->numa_local && k < h->sockets; k++)
			for (j = 0; j < h->sockets; j++)
				if (j != k)
					fprintf(o, "<link id=\"b%u.upi.%u.%u\" "
						   "bandwidth=\"%.17gBps\" latency=\"0s\"/>\n",
						b, k, j, upi);
	}
	fputs("</zone>\n", o);
}

/* The links a flow crosses to read from (@src) or write to (@dst) a memory kind. */
static void put_mem_links(FILE *o, const struct host_net *h, uint32_t dev, int kind,
			  int reading)
{
	switch (kind) {
	case MDL_MEM_HBM:
		fprintf(o, "<link_ctn id=\"d%u.hbm\"/>", dev);
		break;
	case MDL_MEM_SRAM:
		fprintf(o, "<link_ctn id=\"d%u.sram\"/>", dev);
		break;
	case MDL_MEM_HOST:
		fprintf(o, "<link_ctn id=\"d%u.%s\"/>", dev, reading ? "pcie.h2d" : "pcie.d2h");
		put_host_links(o, h, dev, reading);
		break;
	default:
		break; /* fill: no source traffic */
	}
}

static void put_link(FILE *o, uint32_t dev, const char *name, double bw_bytes_per_s,
		     double lat_s)
{
	fprintf(o, "<link id=\"d%u.%s\" bandwidth=\"%.17gBps\" latency=\"%.17gs\"/>\n", dev, name,
		bw_bytes_per_s, lat_s);
}

static void put_chip(FILE *o, const hlsim_config_t *cfg, const struct host_net *h, uint32_t dev,
		     const struct sim_platform_dev *d)
{
	static const int srcs[] = { SIM_SRC_FILL, MDL_MEM_HBM, MDL_MEM_SRAM, MDL_MEM_HOST };
	static const int dsts[] = { MDL_MEM_HBM, MDL_MEM_SRAM, MDL_MEM_HOST };
	double eff = hlsim_config_f64(cfg, "pcie.efficiency");
	char name[64];
	uint32_t e;
	size_t s, t;
	int has_dma = 0;

	for (e = 0; e < d->num_engines; e++)
		has_dma |= d->engines[e].is_dma;
	fprintf(o, "<zone id=\"chip%u\" routing=\"Full\">\n", dev);
	fprintf(o, "<host id=\"d%u.host\" speed=\"1f\"/>\n", dev);
	for (e = 0; e < d->num_engines; e++)
		fprintf(o, "<host id=\"d%u.%s\" speed=\"%.17gf\"/>\n", dev, d->engines[e].name,
			d->engines[e].clock_hz);
	for (s = 0; s < SIM_PORTS; s++)
		fprintf(o, "<host id=\"d%u.%s\" speed=\"1f\"/>\n", dev, sim_mem_port_host[s]);
	for (s = 0; has_dma && s < sizeof(srcs) / sizeof(srcs[0]); s++)
		for (t = 0; t < sizeof(dsts) / sizeof(dsts[0]); t++)
			fprintf(o, "<host id=\"%s\" speed=\"1f\"/>\n",
				sim_path_host_name(dev, srcs[s], dsts[t], name, sizeof(name)));
	put_link(o, dev, "hbm", hlsim_config_f64(cfg, "hbm.bandwidth"),
		 (double)hlsim_config_u64(cfg, "hbm.latency") * 1e-12);
	put_link(o, dev, "sram", hlsim_config_f64(cfg, "sram.bandwidth"),
		 (double)hlsim_config_u64(cfg, "sram.latency") * 1e-12);
	put_link(o, dev, "pcie.h2d", hlsim_config_f64(cfg, "pcie.h2d_bandwidth") * eff,
		 (double)hlsim_config_u64(cfg, "pcie.latency") * 1e-12);
	put_link(o, dev, "pcie.d2h", hlsim_config_f64(cfg, "pcie.d2h_bandwidth") * eff,
		 (double)hlsim_config_u64(cfg, "pcie.latency") * 1e-12);
	for (e = 0; e < d->num_engines; e++) {
		if (!d->engines[e].is_dma)
			continue;
		snprintf(name, sizeof(name), "%s.port", d->engines[e].name);
		put_link(o, dev, name, hlsim_config_f64(cfg, "dma.engine_bandwidth"),
			 (double)hlsim_config_u64(cfg, "dma.setup_latency") * 1e-12);
	}
	for (e = 0; e < d->num_engines; e++) {
		if (d->engines[e].is_nic)
			continue; /* its flows leave from its port host */
		if (!d->engines[e].is_dma) {
			for (s = 0; s < SIM_PORTS; s++) {
				fprintf(o,
					"<route src=\"d%u.%s\" dst=\"d%u.%s\" symmetrical=\"NO\">"
					"<link_ctn id=\"d%u.%s\"/>",
					dev, d->engines[e].name, dev, sim_mem_port_host[s], dev,
					port_link[s]);
				if (s == SIM_PORT_HOST_RD || s == SIM_PORT_HOST_WR)
					put_host_links(o, h, dev, s == SIM_PORT_HOST_RD);
				fputs("</route>\n", o);
			}
			continue;
		}
		for (s = 0; s < sizeof(srcs) / sizeof(srcs[0]); s++) {
			for (t = 0; t < sizeof(dsts) / sizeof(dsts[0]); t++) {
				fprintf(o, "<route src=\"d%u.%s\" dst=\"%s\" symmetrical=\"NO\">",
					dev, d->engines[e].name,
					sim_path_host_name(dev, srcs[s], dsts[t], name,
							   sizeof(name)));
				fprintf(o, "<link_ctn id=\"d%u.%s.port\"/>", dev,
					d->engines[e].name);
				put_mem_links(o, h, dev, srcs[s], 1);
				put_mem_links(o, h, dev, dsts[t], 0);
				fputs("</route>\n", o);
			}
		}
	}
	fputs("</zone>\n", o);
}

/* The scale-up cables of box @b: a host and a tx link per port, a route per cable end. */
static void put_box(FILE *o, const hlsim_config_t *cfg, const struct mdl_net_topo *t, uint32_t b)
{
	uint32_t first = b * t->cards, last = first + t->cards, d, p;
	struct mdl_net_port_end end;

	if (last > t->num_devices)
		last = t->num_devices;
	fprintf(o, "<zone id=\"box%u\" routing=\"Full\">\n", b);
	for (d = first; d < last; d++)
		for (p = 0; p < mdl_net_first_scaleout_port(t); p++)
			fprintf(o, "<host id=\"d%u.p%u\" speed=\"1f\"/>\n", d, p);
	for (d = first; d < last; d++)
		for (p = 0; p < mdl_net_first_scaleout_port(t); p++) {
			char name[32];

			snprintf(name, sizeof(name), "p%u.tx", p);
			put_link(o, d, name, hlsim_config_f64(cfg, "nic.port_bandwidth"),
				 (double)hlsim_config_u64(cfg, "nic.link_latency") * 1e-12);
		}
	for (d = first; d < last; d++)
		for (p = 0; p < mdl_net_first_scaleout_port(t); p++) {
			mdl_net_port(t, d, p, &end);
			if (end.kind != MDL_NET_PORT_SCALEUP)
				continue;
			fprintf(o,
				"<route src=\"d%u.p%u\" dst=\"d%u.p%u\" symmetrical=\"NO\">"
				"<link_ctn id=\"d%u.hbm\"/><link_ctn id=\"d%u.p%u.tx\"/>"
				"<link_ctn id=\"d%u.hbm\"/></route>\n",
				d, p, end.peer_dev, end.peer_port, d, d, p, end.peer_dev);
		}
	fputs("</zone>\n", o);
}

/* The scale-out network: a fat-tree cluster whose hosts are the cards' scale-out ports. */
static void put_scaleout(FILE *o, const hlsim_config_t *cfg, const struct mdl_net_topo *t)
{
	uint64_t hosts = (uint64_t)t->num_devices * t->scaleout_ports;
	uint64_t down = hlsim_config_u64(cfg, "scaleout.leaf_down_ports");
	double over = hlsim_config_f64(cfg, "scaleout.oversubscription");
	double sw_s = (double)hlsim_config_u64(cfg, "scaleout.switch_latency") * 1e-12;
	double cable_s = (double)hlsim_config_u64(cfg, "nic.link_latency") * 1e-12;
	uint64_t leaves, up;

	if (down > hosts)
		down = hosts;
	leaves = (hosts + down - 1) / down;
	up = (uint64_t)((double)down / over + 0.5);
	if (up < 1)
		up = 1;
	fprintf(o, "<cluster id=\"scaleout\" prefix=\"so\" suffix=\"\" radical=\"0-%llu\" "
		   "speed=\"1f\" bw=\"%.17gBps\" ",
		(unsigned long long)(leaves * down - 1), hlsim_config_f64(cfg, "nic.port_bandwidth"));
	if (leaves == 1)
		/* one switch: 2 links per path (port to switch, switch to port) */
		fprintf(o, "lat=\"%.17gs\" topology=\"FAT_TREE\" topo_parameters=\"1;%llu;1;1\"/>\n",
			(sw_s + 2 * cable_s) / 2, (unsigned long long)down);
	else
		/* leaf, spine, leaf: 4 links per path between leaves */
		fprintf(o, "lat=\"%.17gs\" topology=\"FAT_TREE\" "
			   "topo_parameters=\"2;%llu,%llu;1,%llu;1,1\"/>\n",
			(3 * sw_s + 2 * cable_s) / 4, (unsigned long long)down,
			(unsigned long long)leaves, (unsigned long long)up);
}

hlsim_err_t sim_platform_write(const hlsim_config_t *cfg, const struct sim_platform_desc *d,
			       const char *path)
{
	struct host_net h;
	hlsim_err_t rc;
	FILE *o;
	uint32_t dev, b;

	rc = host_net_from_config(cfg, d, &h);
	if (rc)
		return rc;
	o = fopen(path, "w");
	if (!o)
		return hlsim_error(HLSIM_E_IO, "cannot write the platform file %s", path);
	fprintf(o, "<?xml version='1.0'?>\n"
		   "<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
		   "<!-- hlsim: %u Gaudi chip(s) and their network, generated from the "
		   "configuration -->\n"
		   "<platform version=\"4.1\">\n<zone id=\"run\" routing=\"Full\">\n",
		d->ndev);
	if (h.on)
		put_host_net(o, cfg, &h, d->ndev); /* before the chips: their routes use them */
	for (dev = 0; dev < d->ndev; dev++)
		put_chip(o, cfg, &h, dev, &d->devs[dev]);
	if (d->network && d->topo) {
		if (d->topo->ports_per_peer > 0)
			for (b = 0; b < mdl_net_num_boxes(d->topo); b++)
				put_box(o, cfg, d->topo, b);
		if (d->topo->scaleout_ports > 0)
			put_scaleout(o, cfg, d->topo);
	}
	fputs("</zone>\n</platform>\n", o);
	if (ferror(o)) {
		fclose(o);
		return hlsim_error(HLSIM_E_IO, "cannot write the platform file %s", path);
	}
	if (fclose(o) != 0)
		return hlsim_error(HLSIM_E_IO, "cannot write the platform file %s", path);
	return HLSIM_OK;
}
