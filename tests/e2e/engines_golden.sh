#!/usr/bin/env bash
# Golden runs per engine: a GEMM on Gaudi's MMEs, an element-wise kernel on Gaudi's TPCs and
# a GEMM on Gaudi2's MMEs, each generated, replayed and compared with its reviewed report
# (apart from the lines that depend on the machine: trace path, wall time, speed, memory).
# argv: HLSIM_EXE WORKDIR TESTS_DIR
set -euo pipefail
hlsim=$1 work=$2 tests=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
volatile='^ *(trace|wall time|speed|peak RSS) '
passed=0 failed=0

golden() { # NAME CONFIG GEN-ARGS...
  local name=$1 config=$2; shift 2
  "$hlsim" gen "$@" -o "$name.h5" > /dev/null
  "$hlsim" run "$name.h5" --config "$config" -o "$name" --no-plot --no-progress > /dev/null
  grep -E -v "$volatile" "$name/report.txt" > "$name.report"
  if grep -q MISMATCH "$name.report"; then
    echo "FAIL: $name: the simulator's counters disagree with its timeline records"
    failed=$((failed + 1))
  fi
  if diff -u "$tests/golden/$name-report.txt" "$name.report"; then
    passed=$((passed + 1))
  else
    echo "FAIL: $name differs from tests/golden/$name-report.txt (if intended, copy $work/$name.report there)"
    failed=$((failed + 1))
  fi
}

golden gemm_gaudi gaudi_hl205 gemm --m 1024 --n 1024 --k 1024 --asic gaudi
golden elementwise_gaudi gaudi_hl205 elementwise --elements 4194304 --tpcs 8 --asic gaudi
golden gemm_gaudi2 gaudi2_hl225 gemm --m 2048 --n 2048 --k 2048 --asic gaudi2
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
