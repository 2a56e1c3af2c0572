#!/usr/bin/env bash
# `hlsim report RESULTS --csv DIR` and the report's launch sections on the element-wise
# golden run: the five CSV files exist, start with a header whose columns carry units and
# have as many rows as the text report's tables; the launches are named after the kernel
# that `hlsim gen elementwise` annotates (add_bf16); without the trace the report still
# works, names are "-" and one line says why.
# argv: HLSIM_EXE WORKDIR TESTS_DIR
set -euo pipefail
hlsim=$1 work=$2
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "FAIL: $*"; exit 1; }
passed=0

"$hlsim" gen elementwise --elements 4194304 --tpcs 8 --asic gaudi -o ew.h5 > /dev/null
"$hlsim" run ew.h5 --config gaudi_hl205 -o ew --no-plot --no-progress > /dev/null
"$hlsim" report ew/results.h5 --csv csv > report.txt
cmp report.txt ew/report.txt || fail "hlsim report --csv printed a different text report"
passed=$((passed + 1))

# rows of the text table under the section whose title starts with $1 ("(none)": 0)
text_rows() {
  awk -v t="$1" 'index($0, t) == 1 { on = 1; hdr = 1; next }
    on && /^$/ { exit } on && hdr { hdr = 0; next } on && $0 != "  (none)" && /^  / { n++ }
    END { print n + 0 }' report.txt
}
check_csv() { # FILE SECTION-TITLE HEADER-COLUMN
  [ -s "csv/$1" ] || fail "csv/$1 missing or empty"
  head -n 1 "csv/$1" | grep -q "$3" || fail "csv/$1: header lacks $3: $(head -n 1 "csv/$1")"
  local want got
  want=$(text_rows "$2")
  got=$(($(wc -l < "csv/$1") - 1))
  [ "$want" = "$got" ] || fail "csv/$1 has $got rows, the text table \"$2\" has $want"
  [ "$got" -gt 0 ] || fail "csv/$1: no rows"
}
check_csv engines.csv "Engines" busy_ps
check_csv queues.csv "Queues and lower CPs" fence_wait_ps
check_csv dma_paths.csv "DMA traffic per memory path" moved_bytes
check_csv top_launches.csv "Top launches" duration_ps
check_csv kernels.csv "Launches by kernel" total_ps
passed=$((passed + 1))

grep -q '^  TPC0  tpc .* add_bf16$' report.txt || fail "Top launches does not name add_bf16"
grep -q '^  add_bf16  tpc  *8 ' report.txt || fail "Launches by kernel: no 8 launches of add_bf16"
[ "$(grep -c ',add_bf16$' csv/top_launches.csv)" = 8 ] || fail "top_launches.csv: not 8 add_bf16"
grep -q '"kernel": "add_bf16"' ew/report.json || fail "report.json: no kernel name"
passed=$((passed + 1))

# the trace gone: the report still works, loses only the names and says so in one line
mv ew.h5 gone.h5
"$hlsim" report ew/results.h5 > nonames.txt || fail "report without the trace failed"
[ "$(grep -c '^  kernel names unavailable (cannot read the trace ' nonames.txt)" = 1 ] \
  || fail "no single line saying the kernel names are unavailable"
grep -q 'add_bf16' nonames.txt && fail "names without a trace"
grep -q '^  -       tpc  *8 ' nonames.txt || fail "launches not grouped per class without names"
passed=$((passed + 1))

# bad use of the flag
"$hlsim" report ew/results.h5 --csv > /dev/null 2>&1 && fail "--csv without a folder accepted"
passed=$((passed + 1))
echo "$passed passed, 0 failed"
