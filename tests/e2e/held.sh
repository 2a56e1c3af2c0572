#!/usr/bin/env bash
# "Held by memory" (profiler/held.c) on TPC launches: an element-wise kernel streams 3 bytes
# per FLOP, so on Gaudi's 1 TB/s HBM its TPCs spend most of their busy time waiting for HBM
# (the report must say so, in text and JSON); with 1000 TB/s of HBM they run at their own
# rate and nothing is held. argv: HLSIM_EXE WORKDIR TESTS_DIR
set -uo pipefail
hlsim=$1 work=$2
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "FAIL: $*"; exit 1; }
"$hlsim" gen elementwise --elements 16M -o ew.h5 > /dev/null || fail "gen"
"$hlsim" run ew.h5 -o slow --no-plot --no-progress > /dev/null || fail "run"
"$hlsim" run ew.h5 -o fast --set hbm.bandwidth=1000TB/s --no-plot --no-progress > /dev/null \
  || fail "run fast"
# every TPC row: held by HBM above 90 % of its busy time, nothing on the other resources
awk '/^Held by memory/ { on = 1; next } on && /^$/ { on = 0 }
     on && $3 == "tpc" { n++; if ($5 <= 0 || $6 != "0.000000" || $7 != "0.000000" || $9 < 90) bad = 1 }
     END { exit !(n == 8 && !bad) }' slow/report.txt || fail "slow: TPCs not held by HBM"
python3 - slow/report.json << 'PY' || fail "slow: report.json memory_held"
import json, sys
h = json.load(open(sys.argv[1]))["memory_held"]
assert len(h) == 8 and all(e["hbm_ps"] > 0.9 * e["busy_ps"] and e["sram_ps"] == 0 for e in h), h
PY
grep -A1 '^Held by memory' fast/report.txt | grep -q 'none: every engine ran at its own rate' \
  || fail "fast: something is still held"
echo "held: ok"
