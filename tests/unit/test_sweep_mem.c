/*
 * tests/unit/test_sweep_mem.c - the per-memory bandwidth columns of the sweep table
 * (profiler/sweep_table.c): hbm_bytes_per_s, sram_bytes_per_s, pcie_bytes_per_s.
 *
 * One point's done marker and a hand-made results.h5 (DMA transfers over every kind of
 * path, a launch with a /launch_traffic row) are collected into sweep.csv; the three
 * columns must be the bytes worked out below over the 1 us run. A point whose results
 * have no /launch_traffic (results 1.0) counts its DMA bytes only.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hlsim/results.h"
#include "models/common/asic.h"
#include "profiler/prf_sweep.h"
#include "tests/unit/check.h"

#define OUT HLSIM_BINARY_DIR "/test_sweep_mem.out"

static struct hlsim_rec dma(uint64_t s, uint64_t e, uint64_t bytes, int src, int dst)
{
	struct hlsim_rec r;

	memset(&r, 0, sizeof(r));
	r.unit = 1;
	r.kind = HLSIM_REC_DMA;
	r.start_ps = s;
	r.end_ps = e;
	r.bytes = bytes;
	r.aux = (uint16_t)(src << 8 | dst);
	return r;
}

static hlsim_err_t write_results(const char *path, int with_traffic)
{
	struct hlsim_launch_traffic lt = { .row = 5, .hbm_bytes = 4000, .sram_bytes = 100,
					   .host_read_bytes = 10, .host_write_bytes = 20 };
	struct hlsim_unit u[3];
	struct hlsim_rec r[6];
	struct hlsim_run_info run;
	hlsim_results_writer_t *w = NULL;
	hlsim_err_t rc;
	size_t i;

	memset(u, 0, sizeof(u));
	for (i = 0; i < 3; i++)
		u[i].id = (uint32_t)i;
	u[0].kind = HLSIM_UNIT_QUEUE;
	snprintf(u[0].name, sizeof(u[0].name), "DMA_0_0");
	snprintf(u[0].engine_class, sizeof(u[0].engine_class), "dma");
	u[1].kind = HLSIM_UNIT_ENGINE;
	snprintf(u[1].name, sizeof(u[1].name), "DMA0");
	snprintf(u[1].engine_class, sizeof(u[1].engine_class), "dma");
	u[2].kind = HLSIM_UNIT_ENGINE;
	snprintf(u[2].name, sizeof(u[2].name), "TPC0");
	snprintf(u[2].engine_class, sizeof(u[2].engine_class), "tpc");
	r[0] = dma(0, 100000, 1000, MDL_MEM_HOST, MDL_MEM_HBM);
	r[1] = dma(100000, 200000, 2000, MDL_MEM_HBM, MDL_MEM_SRAM);
	r[2] = dma(200000, 300000, 500, MDL_MEM_HBM, MDL_MEM_HBM);
	r[3] = dma(300000, 400000, 300, MDL_MEM_SRAM, MDL_MEM_HOST);
	r[4] = dma(400000, 500000, 7, MDL_MEM_CFG, MDL_MEM_HBM);
	memset(&r[5], 0, sizeof(r[5]));
	r[5].unit = 2;
	r[5].kind = HLSIM_REC_LAUNCH;
	r[5].aux = MDL_ENGINE_TPC;
	r[5].start_ps = 500000;
	r[5].end_ps = 1000000;
	r[5].bytes = 4130;
	r[5].flops = 1000;
	memset(&run, 0, sizeof(run));
	snprintf(run.hlsim_version, sizeof(run.hlsim_version), "test");
	run.simulated_time_ps = 1000000;

	rc = hlsim_results_create(path, &w);
	for (i = 0; !rc && i < 3; i++)
		rc = hlsim_results_add_unit(w, &u[i]);
	if (!rc)
		rc = hlsim_results_append(w, r, 6);
	if (!rc && with_traffic)
		rc = hlsim_results_add_launch_traffic(w, &lt);
	if (!rc)
		rc = hlsim_results_set_config(w, "[asic]\nname = gaudi\n");
	if (!rc)
		rc = hlsim_results_set_run_info(w, &run);
	if (w) {
		hlsim_err_t crc = hlsim_results_writer_close(w);

		if (!rc)
			rc = crc;
	}
	return rc;
}

static int write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static char *slurp(const char *path)
{
	static char buf[8192];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

int main(void)
{
	const char *dirs[1] = { OUT };
	struct prf_sweep_spec s;
	char *csv;
	int i;

	for (i = 0; i < 3; i++) {
		const char *d[] = { OUT, OUT "/points", OUT "/points/00000" };

		if (mkdir(d[i], 0777) && errno != EEXIST) {
			perror(d[i]);
			return 1;
		}
	}
	if (mkdir(OUT "/points/00001", 0777) && errno != EEXIST)
		return 1;
	CHECK(prf_sweep_spec_init(&s, "t.h5", NULL) == HLSIM_OK);
	CHECK(prf_sweep_spec_add_vary(&s, "hbm.bandwidth=1TB/s,2TB/s") == HLSIM_OK);
	CHECK(prf_sweep_spec_finish(&s) == HLSIM_OK);
	CHECK(write_text(OUT "/points/00000/done", "hlsim-sweep-point 1\npoint 0\n"
			 "value hbm.bandwidth=1TB/s\nstatus ok\nexit 0\nerror \n") == 0);
	CHECK(write_text(OUT "/points/00001/done", "hlsim-sweep-point 1\npoint 1\n"
			 "value hbm.bandwidth=2TB/s\nstatus ok\nexit 0\nerror \n") == 0);
	CHECK(write_results(OUT "/points/00000/results.h5", 1) == HLSIM_OK);
	CHECK(write_results(OUT "/points/00001/results.h5", 0) == HLSIM_OK);
	CHECK(prf_sweep_collect(&s, dirs, 1, OUT, 0, 1) == HLSIM_OK);
	csv = slurp(OUT "/sweep.csv");
	CHECK(csv != NULL);
	if (csv) {
		CHECK_STR_CONTAINS(csv, ",bottleneck,hbm_bytes_per_s,sram_bytes_per_s,"
					"pcie_bytes_per_s\n");
		/*
		 * HBM: 1000 (host->hbm) + 2000 (hbm->sram) + 2 x 500 (hbm->hbm) + 7 (cfg->hbm)
		 * + 4000 (launch) = 8007; SRAM: 2000 + 300 (sram->host) + 100 = 2400;
		 * PCIe: 1000 + 300 + 10 + 20 = 1330; over 1 us.
		 */
		CHECK_STR_CONTAINS(csv, "\n0,1TB/s,ok,\"\",1000000,");
		CHECK_STR_CONTAINS(csv, ",7937,0.001000,DMA0,8007000000,2400000000,1330000000\n");
		/* no /launch_traffic: the DMA bytes only */
		CHECK_STR_CONTAINS(csv, ",7937,0.001000,DMA0,4007000000,2300000000,1300000000\n");
	}
	prf_sweep_spec_free(&s);
	return check_summary();
}
