# plots/whatif.gp - bar chart of `hlsim whatif`: the end-to-end speedup of making each
# resource F times faster, best at the top.
#
# Usage (hlsim runs exactly this; it also works by hand):
#   gnuplot -c plots/whatif.gp DATA OUT
# DATA  whatif.dat written by profiler/whatif.c: two blocks separated by two blank lines:
#         index 0, meta: "title" factor baseline_us bars
#         index 1, bars: rank "label" speedup gain_share_percent "parameters"
#       (rank 1 is the largest speedup; runs that failed have no bar)
# OUT   the picture; .png -> pngcairo 1200x(200 + 60 per bar), .svg -> svg of the same size.
#
# x is the speedup (baseline time / new time); a dashed line marks 1x (no gain) and one
# marks Fx (everything F times faster). Each bar is labelled with its speedup and the
# share of the possible gain it reaches ("of possible").

if (ARGC < 2) {
	print "usage: gnuplot -c whatif.gp WHATIF.dat OUT.png|OUT.svg"
	exit status 2
}
DATA = ARG1
OUT = ARG2

title = ""
stats DATA index 0 using (title = strcol(1), factor = $2, base_us = $3, nbars = int($4), 0) \
	nooutput
height = 200 + 60 * (nbars > 0 ? nbars : 1)

n_out = strlen(OUT)
ext = n_out >= 4 ? OUT[n_out - 2:n_out] : ""
if (ext eq "png") {
	set terminal pngcairo size 1200,height noenhanced font "Sans,11"
} else {
	if (ext eq "svg") {
		set terminal svg size 1200,height noenhanced font "Sans,11" background "#ffffff"
	} else {
		print sprintf("whatif.gp: output %s: expected a .png or .svg file name", OUT)
		exit status 2
	}
}
set output OUT

set title title
set xlabel "end-to-end speedup [x] (baseline time / new time)"
set border 3
set grid back xtics lc rgb "#dcdcdc" lw 1 dt 3
set xtics nomirror out
set ytics scale 0 nomirror
unset key
set style fill solid 1.0 noborder

if (nbars > 0) {
	array lab[nbars]
	array spd[nbars]
	array shr[nbars]
	stats DATA index 1 using (i = int($1), lab[i] = strcol(2), spd[i] = $3, shr[i] = $4, 0) \
		nooutput
	xmax = factor
	do for [i = 1:nbars] { if (spd[i] > xmax) { xmax = spd[i] } }
	set xrange [0:xmax * 1.45]
	set yrange [nbars + 0.6:0.4]
	set ytics ()
	do for [i = 1:nbars] { set ytics add (lab[i] i) }
	set arrow 1 from 1, graph 0 to 1, graph 1 nohead lc rgb "#555555" dt 2 lw 1.5 front
	set arrow 2 from factor, graph 0 to factor, graph 1 nohead lc rgb "#59a14f" dt 2 lw 1.5 \
		front
	set tmargin 5
	set title title offset 0, 1
	set label 1 "1x: no gain" at 1, graph 1 offset 0, 0.8 center tc rgb "#555555" front
	set label 2 sprintf("%gx: everything faster", factor) at factor, graph 1 offset 0, 0.8 \
		center tc rgb "#59a14f" front
	plot DATA index 1 using (($3) / 2):1:(0):($3):($1 - 0.32):($1 + 0.32) \
		with boxxyerror lc rgb "#4e79a7", \
	     DATA index 1 using 3:1:(sprintf("%.2fx (%.0f%% of possible)", $3, $4)) \
		with labels left offset 0.8, 0 font ",10"
} else {
	unset ytics
	set xrange [0:2]
	set yrange [0:1]
	set label 1 "no what-if run succeeded" at graph 0.5, graph 0.5 center
	plot NaN notitle
}
set output
