# plots/bandwidth.gp - bandwidth over time of an hlsim run, one line per memory path:
# the DMA transfers by (source -> destination) memory and the memory traffic of the
# compute engines' launches by engine class.
#
# Usage (hlsim run draws exactly this; it also works by hand):
#   gnuplot -c plots/bandwidth.gp DATA OUT
# DATA  bandwidth.dat written by profiler/runplots.c: three blocks separated by two
#       blank lines:
#         index 0, meta:    "title" window_start_us window_end_us series
#         index 1, series:  series_index "name"
#         index 2, buckets: mid_us GBps_0 GBps_1 ...   (window / 500 per bucket; a
#                           record's bytes are spread evenly over its duration)
# OUT   the picture; .png -> pngcairo 1400x700, .svg -> svg 1400x700.
#
# x is simulated time in microseconds, y the bandwidth in GB/s (10^9 bytes per second).

if (ARGC < 2) {
	print "usage: gnuplot -c bandwidth.gp BANDWIDTH.dat OUT.png|OUT.svg"
	exit status 2
}
DATA = ARG1
OUT = ARG2

n_out = strlen(OUT)
ext = n_out >= 4 ? OUT[n_out - 2:n_out] : ""
if (ext eq "png") {
	set terminal pngcairo size 1400,700 noenhanced font "Sans,10"
} else {
	if (ext eq "svg") {
		set terminal svg size 1400,700 noenhanced font "Sans,10" background "#ffffff"
	} else {
		print sprintf("bandwidth.gp: output %s: expected a .png or .svg file name", OUT)
		exit status 2
	}
}
set output OUT

title = ""
stats DATA index 0 using (title = strcol(1), w0 = $2, w1 = $3, ns = int($4), 0) nooutput
if (w1 <= w0) { w1 = w0 + 1 }

scolor(k) = k == 0 ? "#4e79a7" : k == 1 ? "#f28e2b" : k == 2 ? "#e15759" : \
	    k == 3 ? "#76b7b2" : k == 4 ? "#59a14f" : k == 5 ? "#edc948" : \
	    k == 6 ? "#b07aa1" : k == 7 ? "#ff9da7" : k == 8 ? "#9c755f" : "#bab0ac"

set title title
set xlabel "simulated time [us]"
set ylabel "bandwidth [GB/s]"
set xrange [w0:w1]
set yrange [0:*]
set xtics nomirror out
set ytics nomirror out
set grid back xtics ytics lc rgb "#dcdcdc" lw 1 dt 3
set border 3
set key at screen 0.985, graph 1 right top vertical Right noreverse box lc rgb "#bbbbbb" \
	title "memory path" width 1
set rmargin at screen 0.78

if (ns > 0) {
	array sname[ns]
	stats DATA index 1 using (sname[int($1) + 1] = strcol(2), 0) nooutput
	plot for [k = 1:ns] DATA index 2 using 1:(column(k + 1)) with steps \
		lw 1.5 lc rgb scolor(k - 1) title sname[k]
} else {
	unset key
	set yrange [0:1]
	set label 1 "no DMA or launch traffic in this window" at graph 0.5, graph 0.5 center
	plot NaN notitle
}
set output
