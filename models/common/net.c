/*
 * models/common/net.c - the port wiring of boxes and the scale-out network (net.h).
 */
#include "models/common/net.h"

hlsim_err_t mdl_net_topo_from_config(const hlsim_config_t *cfg, uint32_t num_devices,
				     struct mdl_net_topo *out)
{
	uint64_t cards = hlsim_config_u64(cfg, "box.cards");
	uint64_t ports = hlsim_config_u64(cfg, "nic.ports");
	uint64_t ppp = hlsim_config_u64(cfg, "box.ports_per_peer");
	uint64_t so = hlsim_config_u64(cfg, "box.scaleout_ports");

	if (num_devices == 0)
		return hlsim_error(HLSIM_E_INVAL, "a run needs at least one device");
	if (cards == 0 || cards > 1024)
		return hlsim_error(HLSIM_E_CONFIG,
				   "box.cards = %llu: a box holds 1 to 1024 cards",
				   (unsigned long long)cards);
	if (ports > 1024 || ppp > 1024 || so > 1024 || ppp * (cards - 1) + so > ports)
		return hlsim_error(HLSIM_E_CONFIG,
				   "box.ports_per_peer = %llu x %llu peers + box.scaleout_ports = "
				   "%llu need more than nic.ports = %llu",
				   (unsigned long long)ppp, (unsigned long long)(cards - 1),
				   (unsigned long long)so, (unsigned long long)ports);
	out->num_devices = num_devices;
	out->cards = (uint32_t)cards;
	out->nic_ports = (uint32_t)ports;
	out->ports_per_peer = (uint32_t)ppp;
	out->scaleout_ports = (uint32_t)so;
	return HLSIM_OK;
}

void mdl_net_port(const struct mdl_net_topo *t, uint32_t dev, uint32_t port,
		  struct mdl_net_port_end *out)
{
	uint32_t up = mdl_net_first_scaleout_port(t);
	uint32_t card = mdl_net_card(t, dev), j, k, peer_card, peer, i;

	out->kind = MDL_NET_PORT_UNUSED;
	out->peer_dev = out->peer_port = 0;
	if (dev >= t->num_devices || port >= t->nic_ports)
		return;
	if (port >= up) {
		if (port < up + t->scaleout_ports)
			out->kind = MDL_NET_PORT_SCALEOUT;
		return;
	}
	j = port / t->ports_per_peer;
	k = port % t->ports_per_peer;
	peer_card = j < card ? j : j + 1;
	peer = dev - card + peer_card;
	if (peer >= t->num_devices)
		return; /* the box is not full: no card there */
	i = card < peer_card ? card : card - 1;
	out->kind = MDL_NET_PORT_SCALEUP;
	out->peer_dev = peer;
	out->peer_port = i * t->ports_per_peer + k;
}

uint32_t mdl_net_ports_to(const struct mdl_net_topo *t, uint32_t src, uint32_t dst,
			  uint32_t *ports, uint32_t max)
{
	uint32_t n = 0, k, first, count, card, dcard, j;

	if (src == dst || src >= t->num_devices || dst >= t->num_devices)
		return 0;
	if (mdl_net_box(t, src) == mdl_net_box(t, dst) && t->ports_per_peer > 0) {
		card = mdl_net_card(t, src);
		dcard = mdl_net_card(t, dst);
		j = dcard < card ? dcard : dcard - 1;
		first = j * t->ports_per_peer;
		count = t->ports_per_peer;
	} else {
		first = mdl_net_first_scaleout_port(t);
		count = t->scaleout_ports;
	}
	for (k = 0; k < count; k++, n++)
		if (n < max)
			ports[n] = first + k;
	return n;
}

int mdl_net_port_reaches(const struct mdl_net_topo *t, uint32_t src, uint32_t port,
			 uint32_t dst)
{
	struct mdl_net_port_end e;

	if (src == dst || dst >= t->num_devices)
		return 0;
	mdl_net_port(t, src, port, &e);
	if (e.kind == MDL_NET_PORT_SCALEUP)
		return e.peer_dev == dst;
	return e.kind == MDL_NET_PORT_SCALEOUT;
}
