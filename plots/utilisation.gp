# plots/utilisation.gp - stacked bars of an hlsim run: for each unit, the share of the
# window it was busy, blocked on a FENCE, waiting at an engine barrier, or idle.
#
# Usage (hlsim run draws exactly this; it also works by hand):
#   gnuplot -c plots/utilisation.gp DATA OUT
# DATA  utilisation.dat written by profiler/runplots.c: two blocks separated by two
#       blank lines:
#         index 0, meta: "title" rows
#         index 1, bars: row "unit" busy_pct fence_pct barrier_pct idle_pct
#       (units with a record in the window; the four shares add up to 100)
# OUT   the picture; .png -> pngcairo, .svg -> svg; 1200 wide, 160 + 24 per unit high.
#
# x is the share of the analysed window in percent, one bar per unit (row 0 at the top).

if (ARGC < 2) {
	print "usage: gnuplot -c utilisation.gp UTILISATION.dat OUT.png|OUT.svg"
	exit status 2
}
DATA = ARG1
OUT = ARG2

title = ""
stats DATA index 0 using (title = strcol(1), nrows = int($2), 0) nooutput
height = 160 + 24 * (nrows > 0 ? nrows : 1)
if (height > 4000) { height = 4000 }

n_out = strlen(OUT)
ext = n_out >= 4 ? OUT[n_out - 2:n_out] : ""
if (ext eq "png") {
	set terminal pngcairo size 1200,height noenhanced font "Sans,10"
} else {
	if (ext eq "svg") {
		set terminal svg size 1200,height noenhanced font "Sans,10" background "#ffffff"
	} else {
		print sprintf("utilisation.gp: output %s: expected a .png or .svg file name", OUT)
		exit status 2
	}
}
set output OUT

set title title
set xlabel "share of the window [%]"
set xrange [0:100]
set xtics 0,10,100 nomirror out
set grid back xtics lc rgb "#dcdcdc" lw 1 dt 3
set border 3
set ytics scale 0 nomirror
set style fill solid 1.0 noborder
set key outside bottom center horizontal box lc rgb "#bbbbbb"
set bmargin 6

if (nrows > 0) {
	set yrange [nrows - 0.5:-0.5]
	if (nrows > 60) { set ytics font ",6" } else { if (nrows > 30) { set ytics font ",8" } }
	h = 0.36
	plot DATA index 1 using ($3 / 2):1:(0):($3):($1 - h):($1 + h):ytic(2) \
		with boxxyerror lc rgb "#4e79a7" title "busy", \
	     DATA index 1 using ($3 + $4 / 2):1:($3):($3 + $4):($1 - h):($1 + h) \
		with boxxyerror lc rgb "#e15759" title "blocked on FENCE", \
	     DATA index 1 using ($3 + $4 + $5 / 2):1:($3 + $4):($3 + $4 + $5):($1 - h):($1 + h) \
		with boxxyerror lc rgb "#f28e2b" title "waiting at a barrier", \
	     DATA index 1 using (100 - $6 / 2):1:(100 - $6):(100):($1 - h):($1 + h) \
		with boxxyerror lc rgb "#e6e6e6" title "idle"
} else {
	unset ytics
	set yrange [0:1]
	set label 1 "no unit has a record in this window" at graph 0.5, graph 0.5 center
	plot NaN notitle
}
set output
