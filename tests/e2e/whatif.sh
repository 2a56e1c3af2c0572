#!/usr/bin/env bash
# End to end of `hlsim whatif` on small generated traces: one row per resource that
# applies, the baseline equals a plain `hlsim run`, HBM x2 on an HBM-bound run gains more
# than a faster host, the JSON parses, the bar chart exists; and the plots `hlsim run`
# writes beside the timeline.
# argv: HLSIM_EXE WORKDIR TESTS_DIR
set -euo pipefail
hlsim=$1 work=$2
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "FAIL: $*"; exit 1; }
passed=0
is_png() { head -c 8 "$1" | od -An -tx1 | tr -d ' \n' | grep -q '^89504e470d0a1a0a$'; }
# the speedup column of resource $2 in whatif.txt $1 (the params column holds spaces)
speedup() { awk -v r="$2" '$2 == r && $1 ~ /^[0-9]+$/ { print $(NF - 1) }' "$1"; }

"$hlsim" gen elementwise --elements 1M --tpcs 2 -o ew.h5 > gen1.log
"$hlsim" gen dma --cs 4 -o dma.h5 > gen2.log

# the elementwise trace: engines dma and tpc, no mme
"$hlsim" whatif ew.h5 -o w1 -j 2 > w1.log || fail "whatif ew.h5: $(tail -3 w1.log)"
for f in whatif.txt whatif.json whatif.dat whatif.png whatif.svg; do
  [ -s "w1/$f" ] || fail "w1/$f missing or empty"
done
is_png w1/whatif.png || fail "whatif.png is not a PNG"
grep -q '<svg' w1/whatif.svg || fail "whatif.svg is not SVG"
passed=$((passed + 1))
rows=$(awk '$1 ~ /^[0-9]+$/ && NF > 4 { print $2 }' w1/whatif.txt | sort | tr '\n' ' ')
[ "$rows" = "cp dma hbm host pcie sram sync tpc " ] || fail "ew rows: '$rows'"
head -1 w1/whatif.txt | grep -Eq '^[A-Za-z ]+ x2: [0-9]+\.[0-9]{2}x faster end to end$' \
  || fail "headline: $(head -1 w1/whatif.txt)"
grep -q 'simulated time \[us\]' w1/whatif.txt || fail "no units in the table header"
passed=$((passed + 1))

# the baseline is a plain run
"$hlsim" run ew.h5 -o plain --no-progress --no-plot > plain.log
plain_ps=$("$hlsim" report plain/results.h5 --json \
  | sed -n 's/^ *"simulated_time_ps": \([0-9]*\),*$/\1/p' | head -1)
base_ps=$(sed -n 's/^ *"baseline_time_ps": \([0-9]*\),*$/\1/p' w1/whatif.json)
[ -n "$plain_ps" ] && [ "$plain_ps" = "$base_ps" ] \
  || fail "baseline $base_ps ps differs from a plain run's $plain_ps ps"
passed=$((passed + 1))

# HBM-bound (HBM slowed to 20 GB/s): HBM x2 gains more than a faster host
"$hlsim" whatif ew.h5 --set hbm.bandwidth=20GB/s -o w2 -j 2 --no-plot > w2.log \
  || fail "whatif HBM-bound: $(tail -3 w2.log)"
hbm=$(speedup w2/whatif.txt hbm) host=$(speedup w2/whatif.txt host)
awk -v a="$hbm" -v b="$host" 'BEGIN { exit !(a > b && a > 1.2) }' \
  || fail "HBM-bound: hbm ${hbm}x should beat host ${host}x"
head -1 w2/whatif.txt | grep -q '^HBM bandwidth x2: ' \
  || fail "w2 headline: $(head -1 w2/whatif.txt)"
grep -q 'hbm.bandwidth=40GB/s, hbm.latency=50ns' w2/whatif.txt || fail "w2: hbm values"
[ ! -e w2/whatif.png ] || fail "--no-plot drew whatif.png"
passed=$((passed + 1))

# the DMA trace: no engine class but dma; factor 4
"$hlsim" whatif dma.h5 -o w3 -j 2 --factor 4 --no-plot > w3.log || fail "whatif dma.h5"
rows=$(awk '$1 ~ /^[0-9]+$/ && NF > 4 { print $2 }' w3/whatif.txt | sort | tr '\n' ' ')
[ "$rows" = "cp dma hbm host pcie sram sync " ] || fail "dma rows: '$rows'"
grep -q 'dma.engine_bandwidth=800GB/s' w3/whatif.txt || fail "factor 4 not applied"
passed=$((passed + 1))

if command -v python3 > /dev/null; then
  for d in w1 w2 w3; do
    python3 - "$d/whatif.json" <<'PY' || fail "$d/whatif.json is not the documented JSON"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["schema"] == "hlsim-whatif" and d["version"] == 1
assert d["baseline_time_ps"] > 0 and d["factor"] > 1
rs = d["resources"]
assert [r["rank"] for r in rs] == list(range(1, len(rs) + 1))
assert d["best"] == rs[0]["resource"]
sp = [r["speedup"] for r in rs if r["status"] == "ok"]
assert sp == sorted(sp, reverse=True)
for r in rs:
    assert r["params"] and all(p["op"] in ("mul", "div") and p["to"] for p in r["params"])
    if r["status"] == "ok":
        assert abs(r["speedup"] - d["baseline_time_ps"] / r["simulated_time_ps"]) < 1e-5
PY
  done
fi
passed=$((passed + 1))

# bad usage
if "$hlsim" whatif ew.h5 -o w4 --factor 1 > bad.log 2>&1; then fail "--factor 1 accepted"; fi
grep -q 'factor' bad.log || fail "--factor 1: $(cat bad.log)"
if "$hlsim" whatif missing.h5 -o w5 > bad2.log 2>&1; then fail "a missing trace accepted"; fi
grep -q 'missing.h5' bad2.log || fail "missing trace: $(cat bad2.log)"
passed=$((passed + 1))

# hlsim run writes the plots of one run next to the timeline
"$hlsim" run ew.h5 -o r1 --no-progress > r1.log || fail "run: $(tail -3 r1.log)"
for p in utilisation bandwidth roofline; do
  [ -s "r1/$p.dat" ] || fail "r1/$p.dat missing"
  is_png "r1/$p.png" || fail "r1/$p.png is not a PNG"
  grep -q '<svg' "r1/$p.svg" || fail "r1/$p.svg is not SVG"
done
grep -q '^[0-9]* "TPC0" ' r1/utilisation.dat || fail "utilisation.dat has no TPC0 row"
grep -q '"tpc launches (memory traffic)"' r1/bandwidth.dat || fail "bandwidth.dat: no TPC series"
grep -q '^0 "tpc" ' r1/roofline.dat || fail "roofline.dat: no TPC point"
grep -Eq '^".*" 1 [0-9.e+]+ [0-9.e+]+ [0-9.e+]+ [0-9]+$' r1/roofline.dat \
  || fail "roofline.dat: no peaks from the configuration"
passed=$((passed + 1))
echo "$passed passed, 0 failed"
