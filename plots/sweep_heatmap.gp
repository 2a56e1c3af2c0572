# plots/sweep_heatmap.gp - a metric of an hlsim sweep over its first two axes: one cell per
# pair of values, coloured by the metric, with the value printed in the cell.
#
# Usage (hlsim plot runs exactly this; it also works by hand):
#   gnuplot -c plots/sweep_heatmap.gp DATA OUT
# DATA  sweep_heatmap.dat written by `hlsim plot` (profiler/sweep_plot.c). Blocks
#       separated by two blank lines, read here with "index N":
#         index 0, meta:   "title" "x label" "y label" "colour label" nx ny
#         index 1, x tics: i "label"            (column i: value i of the first axis)
#         index 2, y tics: j "label"            (row j: value j of the second axis)
#         index 3, cells:  i j metric "text"    (metric NaN and text "failed" for a
#                                                failed point: drawn grey)
#       Cells are placed by index, so both axes are shown in the order of the values;
#       the tic labels give the values (in the unit of the axis label).
# OUT   the picture; its extension picks the terminal: .png -> pngcairo 1200x800,
#       .svg -> svg 1200x800.

if (ARGC < 2) {
	print "usage: gnuplot -c sweep_heatmap.gp SWEEP_HEATMAP.dat OUT.png|OUT.svg"
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
		print sprintf("sweep_heatmap.gp: output %s: expected a .png or .svg file name", OUT)
		exit status 2
	}
}
set output OUT

# ---- block 0: titles and sizes ----
stats DATA index 0 using (title = strcol(1), xlabel = strcol(2), ylabel = strcol(3), \
			  cblabel = strcol(4), nx = int($5), ny = int($6), 0) nooutput

# ---- blocks 1 and 2: tic labels ----
set xtics () scale 0
set ytics () scale 0
array xl[nx]
array yl[ny]
stats DATA index 1 using (xl[int($1) + 1] = strcol(2), 0) nooutput
stats DATA index 2 using (yl[int($1) + 1] = strcol(2), 0) nooutput
do for [i = 1:nx] { set xtics add (xl[i] i - 1) }
do for [j = 1:ny] { set ytics add (yl[j] j - 1) }

# ---- block 3: the colour range of the cells that ran ----
set datafile missing "NaN"
stats DATA index 3 using 3 nooutput
cmin = STATS_min
cmax = STATS_max
if (cmax <= cmin) { cmax = cmin + 1 }
set cbrange [cmin:cmax]
# light to dark orange: black text stays readable on every cell
set palette defined (0 "#fff5eb", 0.5 "#fdae6b", 1 "#e6550d")

set title title
set xlabel xlabel
set ylabel ylabel
set cblabel cblabel
set rmargin 16   # room for the colour box, its tic labels and its label
set xrange [-0.5:nx - 0.5]
set yrange [-0.5:ny - 0.5]
set border 0
set tics nomirror
unset key
set style fill solid 1.0 border lc rgb "#ffffff"
cell_font = nx * ny > 100 ? ",8" : nx * ny > 36 ? ",10" : ",13"

# every cell grey first (a failed point stays grey), then the cells that ran coloured
plot DATA index 3 using 1:2:(0.5):(0.5) with boxxyerror fc rgb "#bbbbbb" notitle, \
     DATA index 3 using 1:2:(0.5):(0.5):3 with boxxyerror fc palette notitle, \
     DATA index 3 using 1:2:4 with labels font cell_font tc rgb "#000000" notitle
set output
