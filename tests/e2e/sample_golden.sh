#!/usr/bin/env bash
# End to end on the bundled sample: `hlsim run` writes every output, the report equals
# the reviewed golden report (apart from the lines that depend on the machine: trace
# path, wall time, speed, memory), and a second run gives the same bytes.
# argv: HLSIM_EXE WORKDIR TESTS_DIR
set -euo pipefail
hlsim=$1 work=$2 tests=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
sample="$(dirname "$hlsim")/sample.h5"
fail() { echo "FAIL: $*"; exit 1; }
volatile='^ *(trace|wall time|speed|peak RSS) '
passed=0

"$hlsim" run "$sample" -o run1 --no-progress > run1.log
for f in results.h5 report.txt report.json timeline.png timeline.svg platform.xml; do
  [ -s "run1/$f" ] || fail "run1/$f missing or empty"
done
passed=$((passed + 1))
grep -q '^speed: [0-9]* packets and [0-9]* SimGrid activities in ' run1.log \
  || fail "no speed line: $(tail -1 run1.log)"
[ "$(tail -n 1 run1.log | cut -d' ' -f1)" = "speed:" ] || fail "the speed line is not the last line"
passed=$((passed + 1))
head -c 8 run1/timeline.png | od -An -tx1 | tr -d ' \n' | grep -q '^89504e470d0a1a0a$' \
  || fail "timeline.png is not a PNG"
grep -q '<svg' run1/timeline.svg || fail "timeline.svg is not SVG"
passed=$((passed + 1))
for p in utilisation bandwidth roofline; do
  [ -s "run1/$p.dat" ] || fail "run1/$p.dat missing or empty"
  head -c 8 "run1/$p.png" | od -An -tx1 | tr -d ' \n' | grep -q '^89504e470d0a1a0a$' \
    || fail "run1/$p.png missing or not a PNG"
  grep -q '<svg' "run1/$p.svg" || fail "run1/$p.svg missing or not SVG"
done
passed=$((passed + 1))

grep -E -v "$volatile" run1/report.txt > report.filtered
if ! diff -u "$tests/golden/sample-report.txt" report.filtered; then
  fail "report.txt differs from tests/golden/sample-report.txt (review the diff; if the change is intended, copy $work/report.filtered there)"
fi
passed=$((passed + 1))
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["schema"]=="hlsim-report"; assert d["simulated_time_ps"]>0; assert all("busy_ps" in e and "name" in e and "kind" in e for e in d["engines"])' run1/report.json 2>/dev/null \
  || { command -v python3 >/dev/null && fail "report.json is not the documented JSON"; }
passed=$((passed + 1))

# determinism: same input, same timeline and counters, same report
"$hlsim" run "$sample" -o run2 --no-progress --no-plot > run2.log
for ds in /timeline /counters /units /config; do
  cmp <(h5dump -d "$ds" run1/results.h5 | tail -n +2) <(h5dump -d "$ds" run2/results.h5 | tail -n +2) \
    || fail "results dataset $ds differs between two identical runs"
done
cmp run1/timeline.dat run2/timeline.dat || fail "timeline.dat differs between two identical runs"
cmp report.filtered <(grep -E -v "$volatile" run2/report.txt) || fail "report differs between runs"
passed=$((passed + 1))

# the report of a results file can be printed again
"$hlsim" report run1/results.h5 > again.txt
grep -E -v "$volatile" again.txt | diff -q - report.filtered >/dev/null \
  || fail "hlsim report RESULTS differs from report.txt"
"$hlsim" report run1/results.h5 --json > again.json
grep -q '"schema": "hlsim-report"' again.json || fail "report --json"
passed=$((passed + 1))

# advice: the sample is PCIe-bound (hlsim whatif: PCIe bandwidth x2 gives 1.90x)
grep -q '^  pcie_bound (high): host <-> device traffic over PCIe' report.filtered \
  || fail "report.txt has no pcie_bound advice"
grep -q '"rule": "pcie_bound"' again.json || fail "report --json has no pcie_bound advice"
passed=$((passed + 1))
echo "$passed passed, 0 failed"
