# plots/sweep_pareto.gp - simulated time of every point of an hlsim sweep against a cost
# axis, with the Pareto-optimal points (no other point is both cheaper or equal and
# faster or equal) highlighted, connected and labelled with their other axes' values.
#
# Usage (hlsim plot runs exactly this; it also works by hand):
#   gnuplot -c plots/sweep_pareto.gp DATA OUT
# DATA  sweep_pareto.dat written by `hlsim plot` (profiler/sweep_plot.c). Blocks separated
#       by two blank lines, read here with "index N":
#         index 0, meta:   "title" "x label" "y label" points_that_ran front_points
#         index 1, x tics: cost "label"                (the values of the cost axis)
#         index 2, points: cost time_us "other axes"   (every point; time NaN: failed)
#         index 3, front:  cost time_us "other axes"   (the Pareto front, by cost;
#                          points of equal cost and time are one line)
#       cost is the value in the unit of the x label; time_us is simulated time in us.
# OUT   the picture; its extension picks the terminal: .png -> pngcairo 1200x800,
#       .svg -> svg 1200x800.

if (ARGC < 2) {
	print "usage: gnuplot -c sweep_pareto.gp SWEEP_PARETO.dat OUT.png|OUT.svg"
	exit status 2
}
DATA = ARG1
OUT = ARG2

n_out = strlen(OUT)
ext = n_out >= 4 ? OUT[n_out - 2:n_out] : ""
if (ext eq "png") {
	set terminal pngcairo size 1200,800 noenhanced font "Sans,12"
} else {
	if (ext eq "svg") {
		set terminal svg size 1200,800 noenhanced font "Sans,12" background "#ffffff"
	} else {
		print sprintf("sweep_pareto.gp: output %s: expected a .png or .svg file name", OUT)
		exit status 2
	}
}
set output OUT

# ---- block 0: titles and sizes ----
stats DATA index 0 using (title = strcol(1), xlabel = strcol(2), ylabel = strcol(3), \
			  npoints = int($4), nfront = int($5), 0) nooutput

# ---- block 1: x tics at the cost values ----
stats DATA index 1 using 1 nooutput
nx = STATS_records
xmin = STATS_min
xmax = STATS_max
array xt[nx]
array xl[nx]
stats DATA index 1 using (xt[int($0) + 1] = $1, xl[int($0) + 1] = strcol(2), 0) nooutput
set xtics ()
do for [i = 1:nx] { set xtics add (xl[i] xt[i]) }
pad = xmax > xmin ? (xmax - xmin) * 0.08 : 0.5
set xrange [xmin - pad:xmax + 3 * pad]   # room on the right for the last label

set title title
set xlabel xlabel
set ylabel ylabel
set yrange [0:*]
set offsets 0, 0, graph 0.08, 0   # headroom above the highest point
set ytics nomirror
set xtics nomirror out
set grid back lc rgb "#dcdcdc" lw 1 dt 3
set border 3
set key outside right top vertical Left reverse width 2 box lc rgb "#bbbbbb"
set datafile missing "NaN"
label_font = nfront > 12 ? ",8" : ",10"

if (nfront > 0) {
	plot DATA index 2 using 1:2 with points pt 6 ps 1.5 lc rgb "#8c8c8c" \
		title sprintf("all points that ran (%d)", npoints), \
	     DATA index 3 using 1:2 with linespoints lw 2 pt 7 ps 1.6 lc rgb "#e15759" \
		title sprintf("Pareto-optimal (%d)", nfront), \
	     DATA index 3 using 1:2:3 with labels left offset 1.2, 0.6 font label_font \
		tc rgb "#b03030" notitle
} else {
	set label 1 "no point ran: nothing to plot" at graph 0.5, graph 0.5 center
	plot DATA index 2 using 1:(NaN) notitle
}
set output
