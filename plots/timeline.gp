# plots/timeline.gp - Gantt chart of an hlsim run: one row per unit, one bar per record.
#
# Usage (hlsim runs exactly this; it also works by hand):
#   gnuplot -c plots/timeline.gp DATA OUT
# DATA  timeline.dat written by the profiler (profiler/timeline.c). Four blocks separated
#       by two blank lines, read here with "index N":
#         index 0, meta:  "title" "subtitle" window_start_us window_end_us rows kinds_present
#         index 1, kinds: kind_index "name" bars      (every record kind, enum hlsim_rec_kind)
#         index 2, rows:  row "label" unit_id        (units with a record in the window)
#         index 3, bars:  row start_us end_us kind_index
# OUT   the picture; its extension picks the terminal: .png -> pngcairo 1600x900,
#       .svg -> svg 1600x900.
#
# x is simulated time in microseconds, y the units (row 0 at the top), the bar colour the
# record kind (legend on the right). Waits (FENCE_WAIT, BARRIER_WAIT, WAIT_TIME) are drawn
# as thinner bars on top of the job or CB they interrupt. Bars shorter than one pixel are
# widened to one pixel so that short transfers stay visible.

if (ARGC < 2) {
	print "usage: gnuplot -c timeline.gp TIMELINE.dat OUT.png|OUT.svg"
	exit status 2
}
DATA = ARG1
OUT = ARG2

n_out = strlen(OUT)
ext = n_out >= 4 ? OUT[n_out - 2:n_out] : ""
if (ext eq "png") {
	set terminal pngcairo size 1600,900 noenhanced font "Sans,10"
} else {
	if (ext eq "svg") {
		set terminal svg size 1600,900 noenhanced font "Sans,10" background "#ffffff"
	} else {
		print sprintf("timeline.gp: output %s: expected a .png or .svg file name", OUT)
		exit status 2
	}
}
set output OUT

# ---- block 0: title, subtitle, window, row count ----
title = ""
subtitle = ""
stats DATA index 0 using (title = strcol(1), subtitle = strcol(2), w0 = $3, w1 = $4, \
			  nrows = int($5), nkinds = int($6), 0) nooutput
if (w1 <= w0) { w1 = w0 + 1 }     # an empty window: draw 1 us of nothing
px = (w1 - w0) / 1400.0       # one pixel of the plot area, in us

# ---- block 1: kind names and how many bars each has ----
array kname[32]
array kbars[32]
do for [i = 1:32] { kname[i] = ""; kbars[i] = 0 }
stats DATA index 1 using (kname[int($1) + 1] = strcol(2), kbars[int($1) + 1] = $3, 0) nooutput
# the kinds that have bars, in kind order (legend order)
np = 0
array kp[32]
do for [i = 1:32] { if (kbars[i] > 0) { np = np + 1; kp[np] = i - 1 } }

# colour and half-height of a bar by kind index
kcolor(k) = k == 0 ? "#4e79a7" : k == 1 ? "#76b7b2" : k == 2 ? "#e15759" : \
	    k == 3 ? "#59a14f" : k == 4 ? "#f28e2b" : k == 5 ? "#bab0ac" : \
	    k == 6 ? "#edc948" : "#b07aa1"
is_wait(k) = k == 2 || k == 4 || k == 6
half(k) = is_wait(k) ? 0.22 : 0.38

# ---- block 2: row labels as y tick labels ----
set ytics scale 0 nomirror
set ytics ()
if (nrows > 0) {
	array rlabel[nrows]
	stats DATA index 2 using (rlabel[int($1) + 1] = strcol(2), 0) nooutput
	do for [i = 1:nrows] { set ytics add (rlabel[i] i - 1) }
	# light bands on every other row, so a bar is easy to follow to its label
	do for [i = 0:nrows - 1:2] {
		set object i + 1 rect from graph 0, first i - 0.5 to graph 1, first i + 0.5 \
			behind fc rgb "#f2f2f2" fs solid 1.0 noborder
	}
	set yrange [nrows - 0.5:-0.5]
	if (nrows > 60) { set ytics font ",6" } else { if (nrows > 30) { set ytics font ",8" } }
} else {
	unset ytics
	set yrange [0.5:-0.5]
	set label 1 "no timeline record in this window" at graph 0.5, graph 0.5 center
}

set title title . "\n" . subtitle
set xlabel "simulated time [us]"
set ylabel "unit (queue, lower CP, engine, host)"
set xrange [w0:w1]
set xtics nomirror out
set mxtics 5
set grid back xtics mxtics lc rgb "#b8b8b8" lw 1 dt 3, lc rgb "#dcdcdc" lw 1 dt 3
set border 3
set key outside right top vertical Left reverse width 2 title "record kind" box lc rgb "#bbbbbb"
set style fill solid 1.0 noborder

if (np > 0) {
	plot for [i = 1:np] DATA index 3 \
		using (($2 + $3) / 2):(int($4) == kp[i] ? $1 : NaN):2: \
		      ($3 - $2 < px ? $2 + px : $3):($1 - half(kp[i])):($1 + half(kp[i])) \
		with boxxyerror lc rgb kcolor(kp[i]) title kname[kp[i] + 1]
} else {
	unset key
	plot NaN notitle
}
set output
