/*
 * tests/unit/test_sim_hostnet.c - the host side of a run of several devices (sim/platform.c):
 * PCIe switches shared by the cards behind them, CPU socket memory, the inter-socket link.
 * Hand-built Gaudi traces of 4 devices (box.cards=4, 2 cards per switch: devices 0, 1 on
 * switch 0 of socket 0, devices 2, 3 on switch 1 of socket 1), each device doing at most one
 * large DMA between host memory and HBM, all at once:
 * - a card alone takes setup + PCIe + HBM latency + bytes / its own PCIe link, as before;
 * - two cards on one switch share its uplink: bytes / (uplink / 2) each when that binds;
 * - two cards on different switches, or one reading and one writing the host (the uplink
 *   has a link per direction), do not slow each other;
 * - one socket's memory is shared by reads and writes of all its cards;
 * - with host.numa_local=false a card on socket 1 crosses the inter-socket link;
 * - a single-device run has none of these links (the tightest of them cannot bind);
 * - the routes sim_platform_write() writes for a default box (switch and socket of each
 *   card, UPI direction, a partly filled box) and its errors for bad pcie.cards_per_switch
 *   and host.sockets, naming the key.
 * Expected times come from the parameters below (to 0.1%).
 */
#include <inttypes.h>

#include "models/common/net.h"
#include "sim/sim.h"
#include "tests/unit/check.h"
#include "tests/unit/tracebuild.h"

#define Q_DMA_0_0 0 /* GAUDI_QUEUE_ID_DMA_0_0 */
#define NDEV 4
#define BYTES (64ull * 1024 * 1024)

/* Parameters of every run; each case adds its own. */
#define PCIE_BPS 10e9 /* each card's own link, each direction */
#define UPLINK_BPS 12e9 /* a switch's uplink, each direction: less than two cards' links */
#define LAT_PS (1000000ull + 1000000ull + 100000ull) /* DMA setup + PCIe + HBM */
#define SETS                                                                               \
	"--set dma.setup_latency=1us --set pcie.latency=1us --set hbm.latency=100ns "      \
	"--set pcie.efficiency=1 --set dma.engine_bandwidth=1TB/s --set hbm.bandwidth=1TB/s " \
	"--set pcie.h2d_bandwidth=10GB/s --set pcie.d2h_bandwidth=10GB/s "                 \
	"--set pcie.switch_uplink_bandwidth=12GB/s --set host.memory_bandwidth=1TB/s "     \
	"--set host.upi_bandwidth=1TB/s --set host.sockets=2 --set host.numa_local=true "  \
	"--set box.cards=4 --set pcie.cards_per_switch=2 "

/* What each device does: nothing, host -> HBM, or HBM -> host. */
enum xfer { NONE = 0, H2D, D2H };

/* |a/b - 1| <= tol */
#define CHECK_RATIO(a, b, tol)                                                             \
	do {                                                                               \
		double r_ = (double)(a) / (double)(b);                                     \
		if (r_ < 1 - (tol) || r_ > 1 + (tol))                                      \
			fprintf(stderr, "  %s:%d: got %.6g ps, expected %.6g ps\n",        \
				__FILE__, __LINE__, (double)(a), (double)(b));             \
		CHECK(r_ >= 1 - (tol) && r_ <= 1 + (tol));                                 \
	} while (0)

/* Expected duration of one transfer of BYTES at @bps. */
static uint64_t expect_ps(double bps)
{
	return LAT_PS + (uint64_t)((double)BYTES / bps * 1e12);
}

/* A trace of @ndev Gaudi devices; device d does @what[d] in one CS on DMA_0_0. */
static void write_trace(const char *path, uint32_t ndev, const enum xfer *what)
{
	const struct mdl_asic_props *p = tb_f()->props;
	struct hlsim_trace_device dev = { 0 };
	hlsim_trace_writer_t *w;
	uint32_t d, id;

	strcpy(dev.asic, "gaudi");
	strcpy(dev.card_name, "HL205");
	dev.device_id = p->pci_device_id;
	dev.sram_base_address = p->sram_base;
	dev.dram_base_address = p->dram_base;
	if (hlsim_trace_create(path, "test_sim_hostnet", &w)) {
		fprintf(stderr, "trace create: %s\n", hlsim_last_error_detail());
		exit(1);
	}
	for (d = 0; d < ndev; d++)
		if (hlsim_trace_add_device(w, &dev, &id)) {
			fprintf(stderr, "device: %s\n", hlsim_last_error_detail());
			exit(1);
		}
	for (d = 0; d < ndev; d++) {
		struct hlsim_trace_cs cs = { .seq = 1, .submit_ns = 0 };
		struct hlsim_trace_job job;
		struct tb_cb cb = { .len = 0 };

		if (what[d] == NONE)
			continue;
		if (what[d] == H2D)
			tb_lin_dma(&cb, p->host_va_base, p->dram_base, BYTES, 0);
		else
			tb_lin_dma(&cb, p->dram_base, p->host_va_base, BYTES, 0);
		memset(&job, 0, sizeof(job));
		if (hlsim_trace_add_blob(w, d, cb.b, cb.len, &job.blob_id)) {
			fprintf(stderr, "blob: %s\n", hlsim_last_error_detail());
			exit(1);
		}
		job.queue_id = Q_DMA_0_0;
		job.cb_size = (uint32_t)cb.len;
		job.cb_handle = 0x1000000000000000ull;
		job.phase = HLSIM_PHASE_EXECUTE;
		if (hlsim_trace_add_cs(w, d, &cs, &job, 1)) {
			fprintf(stderr, "cs: %s\n", hlsim_last_error_detail());
			exit(1);
		}
	}
	if (hlsim_trace_writer_close(w)) {
		fprintf(stderr, "close: %s\n", hlsim_last_error_detail());
		exit(1);
	}
}

/*
 * Run case @name (devices doing @what, SETS plus @sets) and put the duration of each
 * device's transfer in @dur_ps (0 where it did none). Returns 0 if the run succeeded.
 */
static int run_case(const char *name, uint32_t ndev, const enum xfer *what, const char *sets,
		    uint64_t *dur_ps)
{
	char trace[128], dir[128], args[2048], err[8192], unit[32];
	struct hlsim_rec r[2];
	uint32_t d;
	int rc;

	snprintf(trace, sizeof(trace), "hostnet_%s.h5", name);
	snprintf(dir, sizeof(dir), "hostnet_%s.out", name);
	snprintf(args, sizeof(args), SETS "%s", sets);
	write_trace(trace, ndev, what);
	rc = tb_run(trace, dir, args, err, sizeof(err));
	CHECK_EQ_U64(rc, 0);
	if (rc) {
		fprintf(stderr, "%s: %s\n", name, err);
		return -1;
	}
	for (d = 0; d < ndev; d++) {
		dur_ps[d] = 0;
		if (what[d] == NONE)
			continue;
		if (ndev > 1)
			snprintf(unit, sizeof(unit), "d%u.DMA0", d);
		else
			snprintf(unit, sizeof(unit), "DMA0");
		CHECK_EQ_U64(tb_records(dir, unit, HLSIM_REC_DMA, r, 2), 1);
		CHECK_EQ_U64(r[0].bytes, BYTES);
		dur_ps[d] = r[0].end_ps - r[0].start_ps;
	}
	return 0;
}

/* One card alone: its own PCIe link, as without the host network. */
static void alone(void)
{
	enum xfer w[NDEV] = { H2D, NONE, NONE, NONE };
	uint64_t t[NDEV];

	if (!run_case("alone", NDEV, w, "", t))
		CHECK_RATIO(t[0], expect_ps(PCIE_BPS), 0.001);
}

/* Devices 0 and 1 behind switch 0: the 12 GB/s uplink gives each 6 GB/s. */
static void same_switch(void)
{
	enum xfer w[NDEV] = { H2D, H2D, NONE, NONE };
	uint64_t t[NDEV];

	if (run_case("same_switch", NDEV, w, "", t))
		return;
	CHECK_RATIO(t[0], expect_ps(UPLINK_BPS / 2), 0.001);
	CHECK_RATIO(t[1], expect_ps(UPLINK_BPS / 2), 0.001);
	/* the uplink, not the card's link: at 30 GB/s it no longer binds */
	if (run_case("same_switch_wide", NDEV, w, "--set pcie.switch_uplink_bandwidth=30GB/s ", t))
		return;
	CHECK_RATIO(t[0], expect_ps(PCIE_BPS), 0.001);
	CHECK_RATIO(t[1], expect_ps(PCIE_BPS), 0.001);
	/* device to host on the same switch: the d2h uplink is shared the same way */
	{
		enum xfer up[NDEV] = { D2H, D2H, NONE, NONE };

		if (run_case("same_switch_d2h", NDEV, up, "", t))
			return;
		CHECK_RATIO(t[0], expect_ps(UPLINK_BPS / 2), 0.001);
		CHECK_RATIO(t[1], expect_ps(UPLINK_BPS / 2), 0.001);
	}
}

/* Devices 0 and 2 on different switches; 0 and 1 moving in opposite directions. */
static void no_sharing(void)
{
	enum xfer w[NDEV] = { H2D, NONE, H2D, NONE };
	enum xfer opp[NDEV] = { H2D, D2H, NONE, NONE };
	uint64_t t[NDEV];

	if (!run_case("other_switch", NDEV, w, "", t)) {
		CHECK_RATIO(t[0], expect_ps(PCIE_BPS), 0.001);
		CHECK_RATIO(t[2], expect_ps(PCIE_BPS), 0.001);
	}
	if (!run_case("opposite", NDEV, opp, "", t)) {
		CHECK_RATIO(t[0], expect_ps(PCIE_BPS), 0.001);
		CHECK_RATIO(t[1], expect_ps(PCIE_BPS), 0.001);
	}
}

/*
 * One socket (both switches on it) with 15 GB/s of memory: device 0 reading and device 2
 * writing host memory share it, 7.5 GB/s each; with two sockets each has its own.
 */
static void socket_memory(void)
{
	enum xfer w[NDEV] = { H2D, NONE, D2H, NONE };
	uint64_t t[NDEV];

	if (!run_case("one_socket", NDEV, w,
		      "--set host.sockets=1 --set host.memory_bandwidth=15GB/s ", t)) {
		CHECK_RATIO(t[0], expect_ps(15e9 / 2), 0.001);
		CHECK_RATIO(t[2], expect_ps(15e9 / 2), 0.001);
	}
	if (!run_case("two_sockets", NDEV, w, "--set host.memory_bandwidth=15GB/s ", t)) {
		CHECK_RATIO(t[0], expect_ps(PCIE_BPS), 0.001);
		CHECK_RATIO(t[2], expect_ps(PCIE_BPS), 0.001);
	}
}

/*
 * Buffers all on socket 0 (host.numa_local=false): device 2, behind socket 1, reads them
 * over the 4 GB/s inter-socket link; device 0 on socket 0 does not cross it. With NUMA-aware
 * placement neither does.
 */
static void upi(void)
{
	enum xfer w[NDEV] = { H2D, NONE, H2D, NONE };
	uint64_t t[NDEV];

	if (!run_case("upi_remote", NDEV, w,
		      "--set host.numa_local=false --set host.upi_bandwidth=4GB/s ", t)) {
		CHECK_RATIO(t[0], expect_ps(PCIE_BPS), 0.001);
		CHECK_RATIO(t[2], expect_ps(4e9), 0.001);
	}
	if (!run_case("upi_local", NDEV, w, "--set host.upi_bandwidth=4GB/s ", t)) {
		CHECK_RATIO(t[0], expect_ps(PCIE_BPS), 0.001);
		CHECK_RATIO(t[2], expect_ps(PCIE_BPS), 0.001);
	}
}

/* One device: switch, memory and UPI far below its PCIe link change nothing. */
static void single_device(void)
{
	enum xfer w[1] = { H2D };
	uint64_t t[1];
	char buf[65536];
	size_t n;
	FILE *f;

	if (!run_case("single", 1, w,
		      "--set pcie.switch_uplink_bandwidth=1GB/s --set host.memory_bandwidth=1GB/s "
		      "--set host.upi_bandwidth=1GB/s --set host.numa_local=false "
		      "--set host.sockets=1 ",
		      t))
		CHECK_RATIO(t[0], expect_ps(PCIE_BPS), 0.001);
	f = fopen("hostnet_single.out/platform.xml", "r");
	CHECK(f != NULL);
	if (!f)
		return;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	CHECK(strstr(buf, "d0.pcie.h2d") != NULL);
	CHECK(strstr(buf, ".sw0.") == NULL && strstr(buf, ".cpu0.") == NULL);
}

/*
 * The platform of @ndev devices (one DMA and one TPC engine each) under the default
 * configuration plus @sets (NULL-terminated "key=value"), written by sim_platform_write()
 * into @buf; returns its result.
 */
static hlsim_err_t platform_text(uint32_t ndev, const char *const *sets, char *buf, size_t cap)
{
	static const struct sim_platform_engine eng[2] = {
		{ .name = "DMA0", .clock_hz = 1e9, .is_dma = 1 },
		{ .name = "TPC0", .clock_hz = 1e9 },
	};
	struct sim_platform_dev devs[16];
	struct sim_platform_desc pd = { ndev, devs, NULL, ndev > 1 };
	struct mdl_net_topo topo;
	hlsim_config_t *cfg = NULL;
	hlsim_err_t rc;
	uint32_t d;
	size_t n;
	FILE *f;

	buf[0] = '\0';
	for (d = 0; d < ndev && d < 16; d++) {
		devs[d].num_engines = 2;
		devs[d].engines = eng;
	}
	rc = hlsim_config_defaults(&cfg);
	while (!rc && sets && *sets)
		rc = hlsim_config_set(cfg, *sets++, "test");
	if (!rc)
		rc = mdl_net_topo_from_config(cfg, ndev, &topo);
	pd.topo = &topo;
	if (!rc)
		rc = sim_platform_write(cfg, &pd, "hostnet_platform.xml");
	hlsim_config_free(cfg);
	if (rc)
		return rc;
	f = fopen("hostnet_platform.xml", "r");
	if (!f)
		return HLSIM_E_IO;
	n = fread(buf, 1, cap - 1, f);
	buf[n] = '\0';
	fclose(f);
	return HLSIM_OK;
}

/* The route of platform @xml from @src to @dst, as text ("" if none). */
static const char *route(const char *xml, const char *src, const char *dst, char *out, size_t cap)
{
	char key[128];
	const char *a, *b;

	out[0] = '\0';
	snprintf(key, sizeof(key), "<route src=\"%s\" dst=\"%s\"", src, dst);
	a = strstr(xml, key);
	b = a ? strstr(a, "</route>") : NULL;
	if (a && b && (size_t)(b - a) < cap) {
		memcpy(out, a, (size_t)(b - a));
		out[b - a] = '\0';
	}
	return out;
}

/*
 * Where the cards of a default box (8 cards, 2 per switch, 2 sockets) meet the host: card
 * 5 is on switch 2 of socket 1; card 9 on switch 0 of box 1. A TPC's host traffic takes
 * the same links as a DMA's.
 */
static void placement(void)
{
	static char xml[1 << 20];
	static const char *const remote[] = { "host.numa_local=false", NULL };
	char r[4096];

	CHECK_EQ_U64(platform_text(10, NULL, xml, sizeof(xml)), HLSIM_OK);
	route(xml, "d5.DMA0", "d5.path.host.hbm", r, sizeof(r));
	CHECK_STR_CONTAINS(r, "<link_ctn id=\"d5.pcie.h2d\"/><link_ctn id=\"b0.sw2.h2d\"/>"
			      "<link_ctn id=\"b0.cpu1.mem\"/><link_ctn id=\"d5.hbm\"/>");
	route(xml, "d5.DMA0", "d5.path.hbm.host", r, sizeof(r));
	CHECK_STR_CONTAINS(r, "<link_ctn id=\"d5.pcie.d2h\"/><link_ctn id=\"b0.sw2.d2h\"/>"
			      "<link_ctn id=\"b0.cpu1.mem\"/>");
	route(xml, "d9.TPC0", "d9.mem.host.rd", r, sizeof(r));
	CHECK_STR_CONTAINS(r, "<link_ctn id=\"d9.pcie.h2d\"/><link_ctn id=\"b1.sw0.h2d\"/>"
			      "<link_ctn id=\"b1.cpu0.mem\"/>");
	CHECK(strstr(xml, "upi") == NULL);
	/* box 1 holds 2 cards: one switch */
	CHECK(strstr(xml, "\"b1.sw0.h2d\" bandwidth=\"25600000000Bps\"") != NULL);
	CHECK(strstr(xml, "\"b1.sw1.h2d\"") == NULL);
	CHECK(strstr(xml, "\"b0.cpu1.mem\" bandwidth=\"204800000000Bps\"") != NULL);

	/* buffers on socket 0: card 5 reads over UPI 0 -> 1 and writes over 1 -> 0 */
	CHECK_EQ_U64(platform_text(10, remote, xml, sizeof(xml)), HLSIM_OK);
	route(xml, "d5.DMA0", "d5.path.host.hbm", r, sizeof(r));
	CHECK_STR_CONTAINS(r, "<link_ctn id=\"b0.sw2.h2d\"/><link_ctn id=\"b0.upi.0.1\"/>"
			      "<link_ctn id=\"b0.cpu0.mem\"/>");
	route(xml, "d5.TPC0", "d5.mem.host.wr", r, sizeof(r));
	CHECK_STR_CONTAINS(r, "<link_ctn id=\"b0.sw2.d2h\"/><link_ctn id=\"b0.upi.1.0\"/>"
			      "<link_ctn id=\"b0.cpu0.mem\"/>");
	route(xml, "d1.DMA0", "d1.path.host.hbm", r, sizeof(r));
	CHECK(strstr(r, "upi") == NULL);
	CHECK(strstr(xml, "\"b0.upi.0.1\" bandwidth=\"67200000000Bps\"") != NULL);

	/* one device: its own PCIe link only */
	CHECK_EQ_U64(platform_text(1, remote, xml, sizeof(xml)), HLSIM_OK);
	route(xml, "d0.DMA0", "d0.path.host.hbm", r, sizeof(r));
	CHECK_STR_CONTAINS(r, "<link_ctn id=\"d0.pcie.h2d\"/><link_ctn id=\"d0.hbm\"/>");
	CHECK(strstr(xml, "hostside") == NULL);
}

/* Values the host side cannot use are errors naming the key. */
static void errors(void)
{
	static char xml[1 << 16];
	static const char *const no_switch[] = { "pcie.cards_per_switch=0", NULL };
	static const char *const no_socket[] = { "host.sockets=0", NULL };
	static const char *const many[] = { "host.sockets=9", NULL };

	CHECK_EQ_U64(platform_text(2, no_switch, xml, sizeof(xml)), HLSIM_E_CONFIG);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "pcie.cards_per_switch is 0");
	CHECK_EQ_U64(platform_text(2, no_socket, xml, sizeof(xml)), HLSIM_E_CONFIG);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "host.sockets is 0; expected 1..8");
	CHECK_EQ_U64(platform_text(2, many, xml, sizeof(xml)), HLSIM_E_CONFIG);
	CHECK_STR_CONTAINS(hlsim_last_error_detail(), "host.sockets is 9; expected 1..8");
}

int main(void)
{
	alone();
	same_switch();
	no_sharing();
	socket_memory();
	upi();
	single_device();
	placement();
	errors();
	return check_summary();
}
