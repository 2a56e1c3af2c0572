#!/usr/bin/env bash
# `hlsim sweep --gen` and `hlsim plot` end to end: a 3x2 grid of generated element-wise
# traces over gen.tpcs x hbm.bandwidth (simulated time non-increasing as either grows;
# the kernel does 16 operations per element so that both matter), its spec and rows, a
# rerun running nothing, a point whose generation fails recorded as failed, the three
# plots as PNG and SVG with their data files, and bad --gen / --vary gen.* / plot options.
# argv: HLSIM_EXE WORKDIR TESTS_DIR
set -uo pipefail
hlsim=$1 work=$2 tests=$(cd "$3" && pwd)
plots="$tests/../plots"
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
passed=0 failed=0

ok() { passed=$((passed + 1)); }
bad() { echo "FAIL: $*"; failed=$((failed + 1)); }

# expect STATUS PATTERN -- CMD...: exit status STATUS and PATTERN (grep -E) in stdout+stderr
expect() {
  local want=$1 pattern=$2; shift 3
  local out st
  out=$("$@" 2>&1); st=$?
  if [ "$st" -ne "$want" ] || ! grep -q -E -- "$pattern" <<<"$out"; then
    bad "$* -> status $st (want $want, pattern $pattern), output:"; echo "$out" | head -20
  else
    ok
  fi
}

gen="elementwise --elements 256K --dtype bf16 --flops-per-element 16"
grid=(--gen "$gen" --vary gen.tpcs=1,2,4 --vary hbm.bandwidth=0.5TB/s,2TB/s -j 2)

# ---- the 3x2 grid ----
expect 0 '6 points ran now, 0 failed' -- "$hlsim" sweep "${grid[@]}" -o g
[ "$(wc -l < g/sweep.csv)" -eq 7 ] && ok || bad "g/sweep.csv has not 1 + 6 lines"
head -1 g/sweep.csv | grep -q '^point,gen.tpcs,hbm.bandwidth,status,error,simulated_ps,' \
  && ok || bad "header: $(head -1 g/sweep.csv)"
[ "$(grep -c ',ok,"",' g/sweep.csv)" -eq 6 ] && ok || bad "not 6 ok rows"
sed -n 2p g/sweep.csv | grep -q '^0,1,500GB/s,ok,' && ok || bad "row 0: $(sed -n 2p g/sweep.csv)"
sed -n 7p g/sweep.csv | grep -q '^5,4,2TB/s,ok,' && ok || bad "row 5: $(sed -n 7p g/sweep.csv)"
grep -qx "gen $gen" g/sweep.spec && grep -qx 'vary gen.tpcs=1,2,4' g/sweep.spec \
  && ok || bad "sweep.spec: $(cat g/sweep.spec)"
grep -qx 'value gen.tpcs=4' g/points/00005/done && ok || bad "point 5 marker"
[ -s g/points/00003/trace.h5 ] && grep -q 'hlsim gen elementwise: wrote' g/points/00003/log.txt \
  && ok || bad "point 3 has no generated trace or gen log"
# each point's trace has its TPC count: 2 kernels at point 2 (gen.tpcs=2)
"$hlsim" info g/points/00002/trace.h5 > info2.txt 2>&1
grep -q 'TPC_1_0' info2.txt && ! grep -q 'TPC_2_0' info2.txt && ok || bad "point 2 trace TPCs"
# simulated time (column 6) non-increasing along each axis; the fastest is faster
if awk -F, 'NR > 1 { t[NR - 2] = $6 + 0 }
  END {
    for (p = 0; p < 3; p++) if (t[p * 2 + 1] > t[p * 2]) exit 1
    for (p = 1; p < 3; p++) for (b = 0; b < 2; b++) if (t[p * 2 + b] > t[(p - 1) * 2 + b]) exit 1
    if (!(t[5] < t[0])) exit 1
  }' g/sweep.csv; then ok; else bad "simulated time not monotonic:"; cat g/sweep.csv; fi
awk -F, 'NR > 1 && !($8 > 0 && $8 <= 1 && $11 > 0) { exit 1 }' g/sweep.csv \
  && ok || bad "tpc_busy/tflops columns"
# per-memory bandwidth (columns 13-15): the inputs cross PCIe into HBM, and the kernels'
# own traffic (/launch_traffic) adds HBM reads and writes that do not cross PCIe
awk -F, 'NR > 1 && !($15 > 0 && $13 > $15) { exit 1 }' g/sweep.csv \
  && ok || bad "hbm_bytes_per_s does not count the launches: $(sed -n 2p g/sweep.csv)"
expect 0 '0 to run' -- "$hlsim" sweep "${grid[@]}" -o g
expect 0 'hlsim merge: 6 points from 1 directories' -- "$hlsim" merge g -o gm
cmp g/sweep.csv gm/sweep.csv && ok || bad "merged sweep.csv differs"

# ---- a point whose generation fails is recorded, the others run ----
expect 1 '2 points ran now, 1 failed' -- "$hlsim" sweep --gen "elementwise --elements 64K" \
  --vary gen.tpcs=1,99 -j 2 -o f
grep -q '^1,99,failed,"exit status 2: gen failed: hlsim: gen elementwise: --tpcs 99: expected 1..8' \
  f/sweep.csv && ok || bad "failed gen row: $(sed -n 3p f/sweep.csv)"
grep -q '^0,1,ok,' f/sweep.csv && ok || bad "point 0 of f"

# ---- plots ----
expect 0 'wrote p/' -- "$hlsim" plot g -o p --plots-dir "$plots"
for n in sweep_lines sweep_heatmap sweep_pareto; do
  [ "$(head -c 8 "p/$n.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] \
    && ok || bad "p/$n.png is not a PNG"
  grep -q '<svg' "p/$n.svg" && ok || bad "p/$n.svg is not an SVG"
  grep -q "^# $n.dat - data of plots/$n.gp" "p/$n.dat" && ok || bad "p/$n.dat header"
done
# 6 heatmap cells; the lines plot legend (second axis) in TB/s
[ "$(awk 'BEGIN { RS = "\n\n\n" } NR == 4' p/sweep_heatmap.dat | grep -c .)" -eq 6 ] \
  && ok || bad "heatmap cells"
grep -q '"hbm.bandwidth \[TB/s\]"' p/sweep_lines.dat && grep -q '^1 "2 TB/s"$' p/sweep_lines.dat \
  && ok || bad "lines legend in TB/s"
grep -q '"gen.tpcs" "simulated time \[us\]"' p/sweep_pareto.dat && ok || bad "pareto labels"
# the scripts run by hand on the data files
gnuplot -c "$plots/sweep_heatmap.gp" p/sweep_heatmap.dat hand.png && [ -s hand.png ] \
  && ok || bad "sweep_heatmap.gp by hand"
expect 0 'metric tflops, cost axis hbm.bandwidth' -- "$hlsim" plot g -o p2 --metric tflops \
  --cost hbm.bandwidth --plots-dir "$plots"
grep -q '"achieved TFLOPS"' p2/sweep_lines.dat && ok || bad "tflops metric"
expect 0 'wrote f2/' -- "$hlsim" plot f -o f2 --plots-dir "$plots"
grep -q '^1 0 NaN "failed"$' f2/sweep_heatmap.dat && ok || bad "failed cell"
# a sweep whose only axis is categorical: lines and heatmap, no Pareto plot
expect 0 '2 points ran now, 0 failed' -- "$hlsim" sweep --gen "elementwise --elements 64K" \
  --vary gen.dtype=bf16,fp32 -j 2 -o c
expect 0 'no Pareto plot' -- "$hlsim" plot c -o c2 --plots-dir "$plots"
[ -s c2/sweep_heatmap.png ] && [ ! -e c2/sweep_pareto.dat ] && grep -q '^1 "fp32"$' c2/sweep_lines.dat \
  && ok || bad "categorical plots"
expect 2 '--cost gen.dtype: its values .bf16, .... are not numbers' -- \
  "$hlsim" plot c -o c3 --cost gen.dtype --plots-dir "$plots"
expect 2 '--metric speed: expected time, tflops' -- "$hlsim" plot g -o p3 --metric speed
expect 2 '--cost hbm.bandwith: not an axis' -- "$hlsim" plot g -o p3 --cost hbm.bandwith
expect 1 'nothing/sweep.spec: cannot open' -- "$hlsim" plot nothing -o p3
expect 2 'SWEEPDIR and -o OUTDIR are required' -- "$hlsim" plot g

# ---- bad --gen and --vary gen.* ----
expect 2 'gen.tpcs varies a generator option; it needs --gen' -- \
  "$hlsim" sweep g/points/00000/trace.h5 --vary gen.tpcs=1,2 -o e
expect 2 'the elementwise generator has no option --tcps' -- \
  "$hlsim" sweep --gen "elementwise --elements 64K" --vary gen.tcps=1,2 -o e
expect 2 "unknown kind 'bogus'" -- "$hlsim" sweep --gen "bogus --x 1" --vary gen.y=1 -o e
expect 2 'already gives --elements' -- \
  "$hlsim" sweep --gen "elementwise --elements 64K" --vary gen.elements=1K,2K -o e
expect 2 'no -o' -- "$hlsim" sweep --gen "elementwise -o x.h5" --vary gen.tpcs=1 -o e
expect 2 'expected the generator KIND first' -- "$hlsim" sweep --gen "--tpcs 2" --vary gen.tpcs=1 -o e
expect 2 'a TRACE or --gen, not both' -- \
  "$hlsim" sweep g/points/00000/trace.h5 --gen elementwise --vary gen.tpcs=1 -o e
expect 2 'expected gen.OPTION' -- "$hlsim" sweep --gen elementwise --vary gen.Tpcs=1 -o e
[ ! -e e ] && ok || bad "a rejected sweep created its directory"

echo "sweep_gen e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
