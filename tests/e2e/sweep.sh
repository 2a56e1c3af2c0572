#!/usr/bin/env bash
# `hlsim sweep` and `hlsim merge` end to end: a 2x3 grid over two bandwidths on a DMA
# trace (simulated time non-increasing as either grows), shards merged byte for byte equal
# to the unsharded sweep, a resumed sweep rerunning only the point whose marker was
# removed, a failing point recorded without stopping the sweep, and bad --vary specs.
# argv: HLSIM_EXE WORKDIR TESTS_DIR
set -uo pipefail
hlsim=$1 work=$2
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

"$hlsim" gen dma --cs 8 --queues 2 --bytes 1M -o dma.h5 >/dev/null || { echo "FAIL: gen"; exit 1; }
# PCIe fast enough that the HBM and the DMA engines limit the run
common=(dma.h5 --set pcie.h2d_bandwidth=2TB/s --set pcie.d2h_bandwidth=2TB/s
        --vary hbm.bandwidth=200GB/s,1TB/s --vary dma.engine_bandwidth=50GB/s:150GB/s:50GB/s
        -j 2)

# ---- the 2x3 grid ----
expect 0 '6 points ran now, 0 failed' -- "$hlsim" sweep "${common[@]}" -o full
[ "$(wc -l < full/sweep.csv)" -eq 7 ] && ok || bad "full/sweep.csv has not 1 + 6 lines"
head -1 full/sweep.csv | grep -q '^point,hbm.bandwidth,dma.engine_bandwidth,status,error,simulated_ps,dma_busy,tpc_busy,mme_busy,bytes,tflops,bottleneck,hbm_bytes_per_s,sram_bytes_per_s,pcie_bytes_per_s$' \
  && ok || bad "header: $(head -1 full/sweep.csv)"
[ "$(grep -c ',ok,"",' full/sweep.csv)" -eq 6 ] && ok || bad "not 6 ok rows"
sed -n 2p full/sweep.csv | grep -q '^0,200GB/s,50GB/s,ok,' && ok || bad "row 0: $(sed -n 2p full/sweep.csv)"
sed -n 7p full/sweep.csv | grep -q '^5,1TB/s,150GB/s,ok,' && ok || bad "row 5: $(sed -n 7p full/sweep.csv)"
# simulated time (column 6) non-increasing along each axis; the fastest point is faster
if awk -F, 'NR > 1 { t[NR - 2] = $6 + 0 }
  END {
    for (h = 0; h < 2; h++) for (d = 1; d < 3; d++) if (t[h * 3 + d] > t[h * 3 + d - 1]) exit 1
    for (d = 0; d < 3; d++) if (t[3 + d] > t[d]) exit 1
    if (!(t[5] < t[0])) exit 1
  }' full/sweep.csv; then ok; else bad "simulated time not monotonic:"; cat full/sweep.csv; fi
# busy fractions and bytes are real numbers; this trace has no TPC or MME work
awk -F, 'NR > 1 && !($7 > 0 && $7 <= 1 && $10 > 0 && $11 == "0.000000") { exit 1 }' \
  full/sweep.csv && ok || bad "dma_busy/bytes/tflops columns"
# per-memory bandwidth (columns 13-15): every transfer here has both sides in HBM, SRAM or
# host memory, so the three memories together moved twice the DMA bytes (column 10) over
# the simulated time (column 6); this trace moves host->hbm, hbm->sram and sram->host, so
# each memory has traffic, and PCIe (host) carries the down and up copies
awk -F, 'NR > 1 { b = ($13 + $14 + $15) * $6 / 1e12; r = b / (2 * $10);
  if (!($13 > 0 && $14 > 0 && $15 > 0 && r > 0.999999 && r < 1.000001)) exit 1 }' \
  full/sweep.csv && ok || bad "hbm/sram/pcie_bytes_per_s columns: $(sed -n 2p full/sweep.csv)"
[ -s full/sweep.h5 ] && [ -f full/points/00005/done ] && [ -f full/points/00005/log.txt ] \
  && ok || bad "missing sweep.h5 or point files"
grep -q '^status ok$' full/points/00003/done && ok || bad "point 3 marker"

# ---- shards merged equal the unsharded sweep, byte for byte ----
expect 0 '3 points ran now' -- "$hlsim" sweep "${common[@]}" --shard 0/2 -o s0
expect 0 '3 points ran now' -- "$hlsim" sweep "${common[@]}" --shard 1/2 -o s1
[ "$(wc -l < s0/sweep.csv)" -eq 4 ] && ok || bad "shard 0 rows"
expect 0 'hlsim merge: 6 points from 2 directories' -- "$hlsim" merge s0 s1 -o merged
cmp full/sweep.csv merged/sweep.csv && ok || bad "merged sweep.csv differs"
cmp full/sweep.h5 merged/sweep.h5 && ok || bad "merged sweep.h5 differs"
expect 1 'point 1 has not run' -- "$hlsim" merge s0 -o half
"$hlsim" sweep dma.h5 --vary hbm.bandwidth=1TB/s,2TB/s -o other >/dev/null 2>&1
expect 2 'holds a different sweep' -- "$hlsim" merge s0 other -o m2

# ---- resume: only the point whose marker and results were removed runs again ----
cp full/sweep.csv before.csv
stamp() { stat -c %y "full/points/$1/log.txt"; }
s0=$(stamp 00000) s3=$(stamp 00003) s5=$(stamp 00005)
rm full/points/00003/done full/points/00003/results.h5
sleep 0.05
expect 0 '1 to run' -- "$hlsim" sweep "${common[@]}" -o full
[ "$(stamp 00000)" = "$s0" ] && [ "$(stamp 00005)" = "$s5" ] && ok || bad "other points reran"
[ "$(stamp 00003)" != "$s3" ] && [ -f full/points/00003/done ] && ok || bad "point 3 did not rerun"
cmp before.csv full/sweep.csv && ok || bad "resumed sweep.csv differs"
expect 0 '0 to run' -- "$hlsim" sweep "${common[@]}" -o full
expect 2 'line 5 is .vary hbm.bandwidth=200GB/s,1TB/s. there but .vary hbm.bandwidth=200GB/s,2TB/s. here' -- \
  "$hlsim" sweep dma.h5 --set pcie.h2d_bandwidth=2TB/s --set pcie.d2h_bandwidth=2TB/s \
  --vary hbm.bandwidth=200GB/s,2TB/s --vary dma.engine_bandwidth=50GB/s:150GB/s:50GB/s -o full

# ---- a failing point is recorded and does not stop the sweep ----
# (a gaudi2 configuration refuses a trace taken on gaudi at run time)
expect 1 '2 points ran now, 1 failed' -- "$hlsim" sweep dma.h5 --vary asic.name=gaudi,gaudi2 -j 1 -o fail
grep -q '^0,gaudi,ok,"",' fail/sweep.csv && ok || bad "point 0 not ok: $(cat fail/sweep.csv)"
grep -q '^1,gaudi2,failed,"exit status 1: hlsim: run: .*gaudi2.*",,,,,,,,,,$' fail/sweep.csv \
  && ok || bad "failed row: $(sed -n 3p fail/sweep.csv)"
grep -q '^status failed$' fail/points/00001/done && ok || bad "failed marker"
expect 1 '1 to run' -- "$hlsim" sweep dma.h5 --vary asic.name=gaudi,gaudi2 -j 1 -o fail

# ---- bad specs: clear errors, exit status 2 ----
expect 2 "unknown parameter 'hbm.bandwith'.*did you mean 'hbm.bandwidth'" -- \
  "$hlsim" sweep dma.h5 --vary hbm.bandwith=1TB/s -o e
expect 2 "bad value 'fast' for hbm.bandwidth" -- "$hlsim" sweep dma.h5 --vary hbm.bandwidth=1TB/s,fast -o e
expect 2 'empty a value' -- "$hlsim" sweep dma.h5 --vary hbm.bandwidth=1TB/s,,2TB/s -o e
expect 2 'STEP > 0' -- "$hlsim" sweep dma.h5 --vary hbm.bandwidth=1TB/s:2TB/s:0TB/s -o e
expect 2 'ranges need a numeric parameter' -- "$hlsim" sweep dma.h5 --vary asic.name=a:b:c -o e
expect 2 'more than 100000 points' -- "$hlsim" sweep dma.h5 --vary cp.packet_cycles=1:1000:1 \
  --vary hbm.bandwidth=1GB/s:200GB/s:1GB/s -o e
expect 2 "bad value '0B/s' for hbm.bandwidth" -- "$hlsim" sweep dma.h5 --vary hbm.bandwidth=0B/s,1TB/s -o e
expect 2 'at least one --vary' -- "$hlsim" sweep dma.h5 -o e
expect 2 'expected I/N' -- "$hlsim" sweep dma.h5 --vary hbm.bandwidth=1TB/s --shard 2/2 -o e
[ ! -e e ] && ok || bad "a rejected sweep created its directory"

echo "sweep e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
