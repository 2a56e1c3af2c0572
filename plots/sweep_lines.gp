# plots/sweep_lines.gp - a metric of an hlsim sweep against its first axis, one line per
# value of its second axis.
#
# Usage (hlsim plot runs exactly this; it also works by hand):
#   gnuplot -c plots/sweep_lines.gp DATA OUT
# DATA  sweep_lines.dat written by `hlsim plot` (profiler/sweep_plot.c). Blocks separated
#       by two blank lines, read here with "index N":
#         index 0, meta:   "title" "x label" "y label" "legend title" series x_values
#                          x_numeric
#         index 1, series: series_index "label"       (one per line drawn)
#         index 2, x tics: x "label"                  (the first axis' values)
#         index 3 + k:     x metric                   (the points of series k; NaN: a
#                                                      failed point, a gap in the line)
#       Points are drawn larger for the first series, so that equal series stay visible.
#       x is the value in the unit of the x label when x_numeric is 1; otherwise the axis
#       is categorical and x is 0, 1, 2, ... in the order the values were given.
# OUT   the picture; its extension picks the terminal: .png -> pngcairo 1200x800,
#       .svg -> svg 1200x800.

if (ARGC < 2) {
	print "usage: gnuplot -c sweep_lines.gp SWEEP_LINES.dat OUT.png|OUT.svg"
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
		print sprintf("sweep_lines.gp: output %s: expected a .png or .svg file name", OUT)
		exit status 2
	}
}
set output OUT

# ---- block 0: titles and sizes ----
stats DATA index 0 using (title = strcol(1), xlabel = strcol(2), ylabel = strcol(3), \
			  keytitle = strcol(4), nser = int($5), nx = int($6), \
			  xnumeric = int($7), 0) nooutput

# ---- block 1: series labels ----
array slabel[nser]
stats DATA index 1 using (slabel[int($1) + 1] = strcol(2), 0) nooutput

# ---- block 2: x tics at the values of the first axis ----
set xtics ()
stats DATA index 2 using 1 nooutput
xmin = STATS_min
xmax = STATS_max
array xt[nx]
array xl[nx]
stats DATA index 2 using (xt[int($0) + 1] = $1, xl[int($0) + 1] = strcol(2), 0) nooutput
do for [i = 1:nx] { set xtics add (xl[i] xt[i]) }
pad = xmax > xmin ? (xmax - xmin) * 0.05 : 0.5
set xrange [xmin - pad:xmax + pad]

scolor(k) = k == 0 ? "#4e79a7" : k == 1 ? "#e15759" : k == 2 ? "#59a14f" : \
	    k == 3 ? "#f28e2b" : k == 4 ? "#b07aa1" : k == 5 ? "#76b7b2" : \
	    k == 6 ? "#edc948" : k == 7 ? "#9c755f" : "#bab0ac"

set title title
set xlabel xlabel
set ylabel ylabel
set yrange [0:*]
set offsets 0, 0, graph 0.08, 0   # headroom above the highest point
set ytics nomirror
set xtics nomirror out
set grid back lc rgb "#dcdcdc" lw 1 dt 3
set border 3
# the key box is as wide as its entries: widen it to hold its title
maxlen = 0
do for [k = 1:nser] { if (strlen(slabel[k]) > maxlen) { maxlen = strlen(slabel[k]) } }
kwidth = strlen(keytitle) > maxlen + 4 ? strlen(keytitle) - maxlen - 4 : 0
# (no box: its rule under the title would hide the underscores of a key name)
set key outside right top vertical Left reverse width kwidth title keytitle noenhanced nobox
set datafile missing "NaN"

# point type and size differ by series, largest first, so that equal lines stay visible
spt(k) = k % 6 == 0 ? 7 : k % 6 == 1 ? 5 : k % 6 == 2 ? 9 : k % 6 == 3 ? 11 : \
	 k % 6 == 4 ? 13 : 15
sps(k) = 2.4 - 1.4 * k / (nser > 1 ? nser - 1 : 1)
plot for [k = 0:nser - 1] DATA index 3 + k using 1:2 with linespoints lw 2 pt spt(k) \
	ps sps(k) lc rgb scolor(k) title slabel[k + 1]
set output
