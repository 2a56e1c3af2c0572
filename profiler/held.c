/*
 * profiler/held.c - engine time held by memory: how much longer each engine's work took
 * than its own rate needed, and which memory (or the network) it waited for.
 *
 * Per record, with the run's configuration (its resolved INI text in the results):
 * - LAUNCH (TPC, MME): the launch's compute alone takes compute_ps (results 1.1
 *   /launch_traffic); anything beyond it was memory traffic, charged to the memory whose
 *   bytes take longest at its own bandwidth (HBM, SRAM, PCIe per direction) [I: the ports
 *   run in parallel, so the slowest one is what the launch waited for].
 * - DMA: alone, a transfer takes dma.setup_latency + the memories' latencies + bytes / the
 *   smallest of the engine's rate and the memories' bandwidths (a copy within one memory
 *   crosses it twice); the excess is contention, charged to the slower memory of its path.
 * - NIC: alone, a write takes nic.latency + wire bytes (payload + framing per MTU) / the
 *   port's line rate + a cable and two HBM latencies; the excess is charged to the network
 *   (ports shared by several writes, oversubscribed switches, the switches' latency).
 * A record partly inside the report window is charged in proportion to its overlap.
 * Engines starved by their command processors (results 1.2 /starved, whole run only): the
 * time an engine had nothing to do while a CP of its QMAN fetched a CB or executed packets.
 * Without a configuration, or for a 1.0 results file (no /launch_traffic), launches are
 * not charged and the section says so.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hlsim/config.h"
#include "profiler/prf.h"

#define LT_READ_ROWS 4096

const char *const prf_held_res_name[PRF_RES_COUNT] = {
	[PRF_RES_HBM] = "hbm", [PRF_RES_SRAM] = "sram", [PRF_RES_PCIE] = "pcie",
	[PRF_RES_NETWORK] = "network",
};

hlsim_err_t prf_held_init(struct prf_held *h, size_t num_units, const char *ini,
			  uint64_t launch_traffic_rows)
{
	hlsim_config_t *c = NULL;

	memset(h, 0, sizeof(*h));
	h->num_units = num_units;
	h->lt_total = launch_traffic_rows;
	h->held_ps = calloc(num_units ? num_units * PRF_RES_COUNT : 1, sizeof(*h->held_ps));
	h->lt = malloc(LT_READ_ROWS * sizeof(*h->lt));
	if (!h->held_ps || !h->lt)
		return hlsim_error(HLSIM_E_NOMEM, "profiler: no memory for held-by-memory totals");
	if (!ini || !ini[0] || hlsim_config_load_text(ini, "the run's configuration", &c)) {
		hlsim_clear_error();
		return HLSIM_OK;
	}
	h->mem_bw[1] = hlsim_config_f64(c, "hbm.bandwidth");
	h->mem_bw[2] = hlsim_config_f64(c, "sram.bandwidth");
	h->mem_bw[3] = hlsim_config_f64(c, "pcie.h2d_bandwidth") *
		       hlsim_config_f64(c, "pcie.efficiency");
	h->pcie_d2h_bw = hlsim_config_f64(c, "pcie.d2h_bandwidth") *
			 hlsim_config_f64(c, "pcie.efficiency");
	h->mem_lat_ps[1] = hlsim_config_u64(c, "hbm.latency");
	h->mem_lat_ps[2] = hlsim_config_u64(c, "sram.latency");
	h->mem_lat_ps[3] = hlsim_config_u64(c, "pcie.latency");
	h->dma_bw = hlsim_config_f64(c, "dma.engine_bandwidth");
	h->dma_setup_ps = hlsim_config_u64(c, "dma.setup_latency");
	h->nic_bw = hlsim_config_f64(c, "nic.port_bandwidth");
	h->nic_fixed_ps = hlsim_config_u64(c, "nic.latency") +
			  hlsim_config_u64(c, "nic.link_latency") + 2 * h->mem_lat_ps[1];
	h->nic_mtu = hlsim_config_u64(c, "nic.mtu");
	h->nic_overhead = hlsim_config_u64(c, "nic.frame_overhead");
	h->have_config = h->mem_bw[1] > 0 && h->mem_bw[2] > 0 && h->mem_bw[3] > 0 &&
			 h->pcie_d2h_bw > 0 && h->dma_bw > 0 && h->nic_bw > 0 && h->nic_mtu > 0;
	hlsim_config_free(c);
	return HLSIM_OK;
}

hlsim_err_t prf_held_starved(struct prf_held *h, const hlsim_results_t *res)
{
	size_t u;

	h->starved_ps = calloc(h->num_units ? h->num_units * 2 : 1, sizeof(*h->starved_ps));
	if (!h->starved_ps)
		return hlsim_error(HLSIM_E_NOMEM, "profiler: no memory for starved times");
	for (u = 0; u < h->num_units; u++) {
		const struct hlsim_starved *st = hlsim_results_starved(res, u);

		if (!st)
			continue;
		h->have_starved = 1;
		h->starved_ps[u * 2] = st->cb_fetch_ps;
		h->starved_ps[u * 2 + 1] = st->cp_packets_ps;
	}
	return HLSIM_OK;
}

void prf_held_free(struct prf_held *h)
{
	free(h->starved_ps);
	h->starved_ps = NULL;
	free(h->held_ps);
	free(h->lt);
	h->held_ps = NULL;
	h->lt = NULL;
}

/* The resource of memory kind @k (enum mdl_mem_kind), or -1 for none (fill). */
static int res_of(unsigned k)
{
	return k == MDL_MEM_HBM ? PRF_RES_HBM : k == MDL_MEM_SRAM ? PRF_RES_SRAM
		: k == MDL_MEM_HOST ? PRF_RES_PCIE : -1;
}

static void charge(struct prf_held *h, uint32_t unit, int res, double ps, double frac)
{
	if (res < 0 || ps <= 0 || unit >= h->num_units)
		return;
	h->held_ps[(size_t)unit * PRF_RES_COUNT + (size_t)res] += (uint64_t)llround(ps * frac);
}

/* A DMA record: the excess over its time alone, on the slower memory of its path. */
static void dma(struct prf_held *h, const struct hlsim_rec *r, double frac)
{
	unsigned sk = r->aux >> 8, dk = r->aux & 0xff;
	double bw = h->dma_bw, slow = INFINITY, alone;
	uint64_t lat = h->dma_setup_ps;
	int res = -1;

	if (sk >= 4 || dk < 1 || dk > 3)
		return;
	if (sk >= 1) {
		double b = h->mem_bw[sk] / (sk == dk ? 2.0 : 1.0);

		lat += h->mem_lat_ps[sk];
		bw = fmin(bw, b);
		if (b < slow) {
			slow = b;
			res = res_of(sk);
		}
	}
	{
		double b = dk == 3 ? h->pcie_d2h_bw : h->mem_bw[dk] / (sk == dk ? 2.0 : 1.0);

		lat += h->mem_lat_ps[dk];
		bw = fmin(bw, b);
		if (b < slow)
			res = res_of(dk);
	}
	alone = (double)lat + (double)r->bytes / bw * 1e12;
	charge(h, r->unit, res, (double)(r->end_ps - r->start_ps) - alone, frac);
}

/* A LAUNCH record with its traffic row: beyond the compute, on its slowest memory. */
static void launch(struct prf_held *h, const struct hlsim_rec *r,
		   const struct hlsim_launch_traffic *t, double frac)
{
	const double secs[4] = {
		(double)t->hbm_bytes / h->mem_bw[1], (double)t->sram_bytes / h->mem_bw[2],
		(double)t->host_read_bytes / h->mem_bw[3], (double)t->host_write_bytes / h->pcie_d2h_bw,
	};
	static const int res[4] = { PRF_RES_HBM, PRF_RES_SRAM, PRF_RES_PCIE, PRF_RES_PCIE };
	int k, best = -1;

	for (k = 0; k < 4; k++)
		if (secs[k] > 0 && (best < 0 || secs[k] > secs[best]))
			best = k;
	if (best >= 0)
		charge(h, r->unit, res[best],
		       (double)(r->end_ps - r->start_ps) - (double)t->compute_ps, frac);
}

/* A NIC record: the excess over its time alone, on the network. */
static void nic(struct prf_held *h, const struct hlsim_rec *r, double frac)
{
	uint64_t packets = (r->bytes + h->nic_mtu - 1) / h->nic_mtu;
	double alone = (double)h->nic_fixed_ps +
		       (double)(r->bytes + packets * h->nic_overhead) / h->nic_bw * 1e12;

	charge(h, r->unit, PRF_RES_NETWORK, (double)(r->end_ps - r->start_ps) - alone, frac);
}

/* The /launch_traffic row of timeline row @row (rows come in timeline order), or NULL. */
static hlsim_err_t lt_find(struct prf_held *h, hlsim_results_t *res, const char *path,
			   uint64_t row, const struct hlsim_launch_traffic **out)
{
	size_t got;
	hlsim_err_t rc;

	*out = NULL;
	for (;;) {
		while (h->lt_pos < h->lt_n && h->lt[h->lt_pos].row < row)
			h->lt_pos++;
		if (h->lt_pos < h->lt_n) {
			if (h->lt[h->lt_pos].row == row)
				*out = &h->lt[h->lt_pos];
			return HLSIM_OK;
		}
		if (h->lt_first + h->lt_n >= h->lt_total)
			return HLSIM_OK;
		h->lt_first += h->lt_n;
		h->lt_n = h->lt_pos = 0;
		rc = hlsim_results_read_launch_traffic(res, h->lt_first, h->lt, LT_READ_ROWS, &got);
		if (rc)
			return hlsim_error_prefix(rc, "%s: ", path);
		if (!got)
			return HLSIM_OK;
		h->lt_n = got;
	}
}

hlsim_err_t prf_held_add(struct prf_held *h, hlsim_results_t *res, const char *path,
			 uint64_t first_row, const struct hlsim_rec *recs, size_t n, uint64_t ws,
			 uint64_t we)
{
	size_t i;
	hlsim_err_t rc;

	if (!h->have_config)
		return HLSIM_OK;
	for (i = 0; i < n; i++) {
		const struct hlsim_rec *r = &recs[i];
		const struct hlsim_launch_traffic *t = NULL;
		uint64_t s = r->start_ps > ws ? r->start_ps : ws;
		uint64_t e = r->end_ps < we ? r->end_ps : we;
		double frac;

		if (r->kind != HLSIM_REC_DMA && r->kind != HLSIM_REC_LAUNCH &&
		    r->kind != HLSIM_REC_NIC)
			continue;
		if (r->kind == HLSIM_REC_LAUNCH) {
			rc = lt_find(h, res, path, first_row + i, &t);
			if (rc)
				return rc;
		}
		if (e <= s)
			continue;
		frac = r->end_ps > r->start_ps ? (double)(e - s) / (double)(r->end_ps - r->start_ps)
					       : 1.0;
		if (r->kind == HLSIM_REC_DMA)
			dma(h, r, frac);
		else if (r->kind == HLSIM_REC_NIC)
			nic(h, r, frac);
		else if (t)
			launch(h, r, t, frac);
	}
	return HLSIM_OK;
}

uint64_t prf_held_ps(const struct prf_held *h, uint32_t unit, int res)
{
	if (!h->held_ps || unit >= h->num_units || res < 0 || res >= PRF_RES_COUNT)
		return 0;
	return h->held_ps[(size_t)unit * PRF_RES_COUNT + (size_t)res];
}
