/**
 * models/common/net.h - how the NIC ports of the cards in a run are wired: boxes of cards
 * joined all-to-all by their scale-up ports, and a scale-out network reached through the
 * remaining ports (CALIBRATION.md "Servers", GAUDI-FACTS.md §4).
 *
 * Devices of a run are numbered 0..num_devices-1 and fill boxes in order: device d is card
 * d % cards of box d / cards. Each card has nic.ports ports, one per NIC engine (NIC QMAN
 * n drives port n). Port numbering on a card [I: the physical assignment of ports to
 * peers is not published; this one is hlsim's and generators follow it]:
 * - ports 0 .. ports_per_peer*(cards-1)-1 are scale-up: the j-th group of ports_per_peer
 *   ports goes to the j-th other card of the box (other cards in increasing order), and
 *   port j*ppp+k of card a meets port i*ppp+k of card b, where i is a's place among b's
 *   other cards;
 * - the next scaleout_ports ports go to the scale-out network (leaf switches);
 * - any further ports are unused.
 * Traffic between two cards of one box uses their scale-up ports if ports_per_peer > 0,
 * else (HLS-1H) their scale-out ports, like traffic between boxes.
 */
#ifndef HLSIM_MDL_NET_H
#define HLSIM_MDL_NET_H

#include <stdint.h>

#include "hlsim/config.h"
#include "hlsim/error.h"

/**
 * struct mdl_net_topo - the wiring of one run.
 * @num_devices: cards in the run (the trace's devices).
 * @cards: box.cards; the last box may be partly filled.
 * @nic_ports: nic.ports, ports per card.
 * @ports_per_peer: box.ports_per_peer.
 * @scaleout_ports: box.scaleout_ports.
 */
struct mdl_net_topo {
	uint32_t num_devices;
	uint32_t cards;
	uint32_t nic_ports;
	uint32_t ports_per_peer;
	uint32_t scaleout_ports;
};

/** enum mdl_net_port_kind - what one port is wired to. */
enum mdl_net_port_kind {
	MDL_NET_PORT_UNUSED = 0, /* no cable (or its peer card is not in the run) */
	MDL_NET_PORT_SCALEUP, /* a cable to one port of another card of the box */
	MDL_NET_PORT_SCALEOUT, /* a cable to a leaf switch */
};

/**
 * struct mdl_net_port_end - the far end of a port.
 * @kind: enum mdl_net_port_kind.
 * @peer_dev, @peer_port: for SCALEUP, the card and port at the other end of the cable.
 */
struct mdl_net_port_end {
	uint8_t kind;
	uint32_t peer_dev, peer_port;
};

/**
 * mdl_net_topo_from_config - the wiring of @num_devices cards under @cfg. HLSIM_E_CONFIG
 * naming the keys when box.cards is 0 or the scale-up and scale-out ports need more than
 * nic.ports, HLSIM_E_INVAL when @num_devices is 0.
 */
hlsim_err_t mdl_net_topo_from_config(const hlsim_config_t *cfg, uint32_t num_devices,
				     struct mdl_net_topo *out);

/** mdl_net_box - the box of device @dev; mdl_net_card - its card number in the box. */
static inline uint32_t mdl_net_box(const struct mdl_net_topo *t, uint32_t dev)
{
	return dev / t->cards;
}

static inline uint32_t mdl_net_card(const struct mdl_net_topo *t, uint32_t dev)
{
	return dev % t->cards;
}

/** mdl_net_num_boxes - boxes in the run (the last may be partly filled). */
static inline uint32_t mdl_net_num_boxes(const struct mdl_net_topo *t)
{
	return (t->num_devices + t->cards - 1) / t->cards;
}

/** mdl_net_first_scaleout_port - the number of the first scale-out port of a card. */
static inline uint32_t mdl_net_first_scaleout_port(const struct mdl_net_topo *t)
{
	return t->ports_per_peer * (t->cards - 1);
}

/**
 * mdl_net_port - what port @port of device @dev is wired to (@dev < num_devices; a
 * port >= nic_ports is UNUSED).
 */
void mdl_net_port(const struct mdl_net_topo *t, uint32_t dev, uint32_t port,
		  struct mdl_net_port_end *out);

/**
 * mdl_net_ports_to - the ports of @src that carry traffic to @dst: its scale-up ports to
 * @dst when both are in one box and ports_per_peer > 0, otherwise its scale-out ports.
 * Up to @max port numbers go to @ports; returns how many there are (0 when @src == @dst,
 * when either is outside the run, or when no port leads there).
 */
uint32_t mdl_net_ports_to(const struct mdl_net_topo *t, uint32_t src, uint32_t dst,
			  uint32_t *ports, uint32_t max);

/**
 * mdl_net_port_reaches - 1 if data sent from port @port of @src can reach device @dst:
 * a scale-up port whose cable ends at @dst, or a scale-out port while @dst has a
 * scale-out port with the same index (scale-out port k of a card talks to scale-out
 * port k of every other card: one "rail" per index [I]).
 */
int mdl_net_port_reaches(const struct mdl_net_topo *t, uint32_t src, uint32_t port,
			 uint32_t dst);

#endif /* HLSIM_MDL_NET_H */
