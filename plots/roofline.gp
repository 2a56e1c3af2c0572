# plots/roofline.gp - roofline of an hlsim run: each launch (TPC kernel, MME GEMM) as a
# point of achieved FLOP/s against arithmetic intensity (FLOPs per byte moved to and from
# memory), log-log, under the roofs of one engine: min(peak, intensity x HBM bandwidth).
#
# Usage (hlsim run draws exactly this; it also works by hand):
#   gnuplot -c plots/roofline.gp DATA OUT
# DATA  roofline.dat written by profiler/runplots.c: two blocks separated by two blank
#       lines:
#         index 0, meta:   "title" have_peaks tpc_peak_flops_per_s mme_peak_flops_per_s
#                          hbm_bytes_per_s points (peaks of one engine, from the run's
#                                                  configuration; 0 when unknown)
#         index 1, points: class "class" flops_per_byte flops_per_s launches
#                          (class 0 tpc, 1 mme, 2 other; launches binned on a grid of
#                          1/40 decade, a point per cell at the cell's geometric mean)
# OUT   the picture; .png -> pngcairo 1200x800, .svg -> svg 1200x800.
#
# The point size grows with the number of launches in its cell.

if (ARGC < 2) {
	print "usage: gnuplot -c roofline.gp ROOFLINE.dat OUT.png|OUT.svg"
	exit status 2
}
DATA = ARG1
OUT = ARG2

n_out = strlen(OUT)
ext = n_out >= 4 ? OUT[n_out - 2:n_out] : ""
if (ext eq "png") {
	set terminal pngcairo size 1200,800 noenhanced font "Sans,10"
} else {
	if (ext eq "svg") {
		set terminal svg size 1200,800 noenhanced font "Sans,10" background "#ffffff"
	} else {
		print sprintf("roofline.gp: output %s: expected a .png or .svg file name", OUT)
		exit status 2
	}
}
set output OUT

title = ""
stats DATA index 0 using (title = strcol(1), peaks = int($2), tpc = $3, mme = $4, \
			  hbm = $5, npts = int($6), 0) nooutput

# the ranges: the points, the ridge points and a decade of margin
xlo = 1e30; xhi = 1e-30; ylo = 1e30; yhi = 1e-30
array ccount[3] = [0, 0, 0]
if (npts > 0) {
	stats DATA index 1 using (ccount[int($1) + 1] = ccount[int($1) + 1] + $5, \
		xlo = $3 < xlo ? $3 : xlo, xhi = $3 > xhi ? $3 : xhi, \
		ylo = $4 < ylo ? $4 : ylo, yhi = $4 > yhi ? $4 : yhi, 0) nooutput
}
if (peaks) {
	rt = tpc / hbm; rm = mme / hbm
	xlo = rt < xlo ? rt : xlo; xhi = rm > xhi ? rm : xhi
	xlo = xlo > 1 ? 1 : xlo
	yhi = mme > yhi ? mme : yhi; yhi = tpc > yhi ? tpc : yhi
	ylo = hbm * xlo / 10 < ylo ? hbm * xlo / 10 : ylo
}
if (npts == 0 && !peaks) { xlo = 0.01; xhi = 1000; ylo = 1e9; yhi = 1e15 }
set xrange [xlo / 10:xhi * 10]
set yrange [ylo / 10:yhi * 10]

set title title
set xlabel "arithmetic intensity [FLOPs / byte]"
set ylabel "achieved [FLOP/s]"
set logscale xy 10
set format x "%.0e"
set format y "%.0e"
set xtics nomirror out
set ytics nomirror out
set mxtics 10
set mytics 10
set grid back xtics ytics lc rgb "#dcdcdc" lw 1 dt 3
set border 3
set key inside left top vertical Left reverse box lc rgb "#bbbbbb" opaque
set samples 400

pcolor(c) = c == 0 ? "#4e79a7" : c == 1 ? "#e15759" : "#59a14f"
psize(n) = 1.5 + 0.8 * log10(n)
roof(x, peak) = x * hbm < peak ? x * hbm : peak

if (peaks) {
	set label 1 sprintf("MME peak %.1f TFLOP/s", mme / 1e12) at graph 0.98, first mme \
		right offset 0, 0.7 tc rgb "#e15759"
	set label 2 sprintf("TPC peak %.1f TFLOP/s", tpc / 1e12) at graph 0.98, first tpc \
		right offset 0, 0.7 tc rgb "#4e79a7"
	set label 3 sprintf("HBM %.0f GB/s", hbm / 1e9) at first rt / 3, first roof(rt / 3, tpc) \
		right offset -1, 0 tc rgb "#555555"
}
if (npts == 0) {
	set label 4 "no launch with FLOPs in this window" at graph 0.5, graph 0.5 center
}

cname(c) = c == 0 ? "TPC launches" : c == 1 ? "MME launches" : "other launches"
if (npts > 0) {
	plot (peaks ? roof(x, mme) : NaN) with lines lw 2 lc rgb "#e15759" dt 2 \
		title (peaks ? "MME roof" : ""), \
	     (peaks ? roof(x, tpc) : NaN) with lines lw 2 lc rgb "#4e79a7" dt 2 \
		title (peaks ? "TPC roof" : ""), \
	     for [c = 0:2] DATA index 1 using 3:(int($1) == c ? $4 : NaN):(psize($5)) \
		with points pt 7 ps variable lc rgb pcolor(c) \
		title (ccount[c + 1] > 0 ? sprintf("%s (%d)", cname(c), ccount[c + 1]) : "")
} else {
	plot (peaks ? roof(x, mme) : NaN) with lines lw 2 lc rgb "#e15759" dt 2 \
		title (peaks ? "MME roof" : ""), \
	     (peaks ? roof(x, tpc) : NaN) with lines lw 2 lc rgb "#4e79a7" dt 2 \
		title (peaks ? "TPC roof" : "")
}
set output
