/*
 * profiler/prf_runplots.h - the plots of one run beside the timeline: utilisation stacked
 * bars, bandwidth over time per memory path, and a roofline of the launches.
 *
 * Fed with the same windows of timeline rows as the report (prf_runplots_add), in memory
 * bounded independently of the number of records: the bandwidth is kept in
 * PRF_BW_BUCKETS buckets per series, the roofline in at most PRF_ROOF_MAX_CELLS cells of a
 * log-log grid (PRF_ROOF_CELLS_PER_DECADE per decade on both axes; a cell is drawn at the
 * geometric mean of its launches, sized by their number).
 *
 *   prf_runplots_init / _add / _free   accumulate
 *   prf_runplots_write_utilisation     utilisation.dat  (plots/utilisation.gp)
 *   prf_runplots_write_bandwidth       bandwidth.dat    (plots/bandwidth.gp)
 *   prf_runplots_write_roofline        roofline.dat     (plots/roofline.gp)
 *   prf_runplots_write_all             the three .dat files and, unless asked not to,
 *                                      their PNG and SVG pictures
 */
#ifndef HLSIM_PRF_RUNPLOTS_H
#define HLSIM_PRF_RUNPLOTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "profiler/prf.h"

/* Buckets of the bandwidth plot over the window. */
#define PRF_BW_BUCKETS 500
/* Bandwidth series: one per DMA (source, destination) memory kind, then LAUNCH traffic of
 * the tpc, mme and other engine classes. */
#define PRF_BW_LAUNCH_SERIES 3
#define PRF_BW_SERIES (MDL_MEM_KIND_COUNT_ * MDL_MEM_KIND_COUNT_ + PRF_BW_LAUNCH_SERIES)
/* Roofline grid resolution and size bound. */
#define PRF_ROOF_CELLS_PER_DECADE 40
#define PRF_ROOF_SLOTS 32768
#define PRF_ROOF_MAX_CELLS 24576

/** struct prf_roof_cell - launches of one engine class in one cell of the log-log grid. */
struct prf_roof_cell {
	uint8_t used, cls; /* cls: 0 tpc, 1 mme, 2 other */
	int32_t ai_bin, perf_bin;
	uint64_t count;
	double sum_log_ai, sum_log_perf;
};

/**
 * struct prf_runplots - the accumulated plot data of one window of one run.
 * @window_start_ps, @window_end_ps: the window (from the report).
 * @bucket_ps: bucket width, window / PRF_BW_BUCKETS rounded up (at least 1 ps).
 * @unit_class: per unit, its bandwidth LAUNCH series (0 tpc, 1 mme, 2 other), owned.
 * @num_units: entries of @unit_class.
 * @bytes: bytes per series and bucket (partial buckets added directly).
 * @rate_diff: per series, a difference array of bytes per ps for the buckets covered whole.
 * @series_bytes: total bytes per series (0: the series is not drawn).
 * @roof: the grid cells (open addressing), owned. @num_cells: used cells.
 * @launches: LAUNCH records in the window; @roof_skipped: of them, those with no FLOPs,
 * bytes or duration (no roofline point); @roof_dropped: those whose new cell did not fit.
 * @have_peaks: the peaks below come from the run's configuration.
 * @tpc_peak_flops_per_s, @mme_peak_flops_per_s: one engine's peak. @hbm_bytes_per_s: HBM.
 */
struct prf_runplots {
	uint64_t window_start_ps, window_end_ps, bucket_ps;
	uint8_t *unit_class;
	size_t num_units;
	double bytes[PRF_BW_SERIES][PRF_BW_BUCKETS];
	double rate_diff[PRF_BW_SERIES][PRF_BW_BUCKETS + 1];
	double series_bytes[PRF_BW_SERIES];
	struct prf_roof_cell *roof;
	size_t num_cells;
	uint64_t launches, roof_skipped, roof_dropped;
	int have_peaks;
	double tpc_peak_flops_per_s, mme_peak_flops_per_s, hbm_bytes_per_s;
};

/**
 * prf_runplots_init - start the plot data of @rep's window (after prf_report_init; its
 * units table names each unit's engine class). @config_ini is the run's resolved
 * configuration text (hlsim_results_config) or NULL: the roofline peaks come from its
 * tpc.clock, tpc.vector_bytes, mme.clock, mme.array_rows, mme.array_cols and
 * hbm.bandwidth; a text that does not load leaves the roofline without roofs (not an
 * error: the points are still drawn). Allocates; release with prf_runplots_free.
 */
hlsim_err_t prf_runplots_init(struct prf_runplots *p, const struct prf_report *rep,
			      const char *config_ini);
/** prf_runplots_add - account @n timeline records (already checked by prf_report_add). */
hlsim_err_t prf_runplots_add(struct prf_runplots *p, const struct hlsim_rec *recs, size_t n);
/** prf_runplots_free - release; safe on a zeroed struct. */
void prf_runplots_free(struct prf_runplots *p);

/**
 * prf_runplots_write_utilisation - utilisation.dat: block 0 "title" rows, block 1 one row
 * per unit with a record in the window: row "label" busy_pct fence_pct barrier_pct
 * idle_pct (fence = FENCE_WAIT time, barrier = BARRIER_WAIT time not also under a fence,
 * so the four add up to 100).
 */
hlsim_err_t prf_runplots_write_utilisation(const struct prf_report *rep, FILE *out);
/**
 * prf_runplots_write_bandwidth - bandwidth.dat: block 0 "title" start_us end_us series,
 * block 1 series_index "name", block 2 one line per bucket: mid_us then one GB/s column
 * per series (10^9 bytes per second of simulated time).
 */
hlsim_err_t prf_runplots_write_bandwidth(const struct prf_runplots *p, const struct prf_report *rep,
					 FILE *out);
/**
 * prf_runplots_write_roofline - roofline.dat: block 0 "title" have_peaks tpc_peak
 * mme_peak hbm_bytes_per_s points (FLOP/s, bytes/s; 0 when unknown), block 1 the cells sorted by
 * class then grid position: class "class_name" intensity_flops_per_byte flops_per_s
 * launches.
 */
hlsim_err_t prf_runplots_write_roofline(const struct prf_runplots *p, const struct prf_report *rep,
					FILE *out);

/**
 * prf_runplots_write_all - write utilisation.dat, bandwidth.dat and roofline.dat into
 * @out_dir and, when @plots_dir is not NULL, draw each as .png and .svg with the script
 * of the same name in @plots_dir.
 */
hlsim_err_t prf_runplots_write_all(const struct prf_runplots *p, const struct prf_report *rep,
				   const char *out_dir, const char *plots_dir);

#endif /* HLSIM_PRF_RUNPLOTS_H */
