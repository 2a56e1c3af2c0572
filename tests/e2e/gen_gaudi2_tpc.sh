#!/usr/bin/env bash
# Gaudi2 TPC work and the model-level generators end to end through the command line:
# `hlsim gen elementwise --asic gaudi2` replays with the HL-225 preset and the report's
# per-kernel FLOPs equal elements x flops-per-element; every TPC kind (reduction, softmax,
# layernorm, copy, transpose) and the attention example graph replay on gaudi2; `hlsim gen
# attention` and `hlsim gen transformer` replay on gaudi and gaudi2 with the report's
# FLOPs equal to the analytic count the generator prints; each kind has --help.
# argv: HLSIM_EXE WORKDIR TESTS_DIR
set -uo pipefail
hlsim=$1 work=$2 tests=$(cd "$3" && pwd)
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
passed=0 failed=0

ok() { passed=$((passed + 1)); }
bad() { echo "FAIL: $*"; failed=$((failed + 1)); }

# report_flops DIR: the FLOPs summed over the report's "Launches by kernel" rows
report_flops() {
  awk '/^Launches by kernel/ { on = 1; getline; next } on && NF == 0 { on = 0 }
       on { s += $5 } END { printf "%.0f\n", s }' "$1/report.txt"
}

# replay TRACE DIR CONFIG: hlsim run, no failure
replay() {
  if "$hlsim" run "$1" --config "$3" -o "$2" --no-plot --no-progress > "$2.log" 2>&1; then
    ok
  else
    bad "hlsim run $1 --config $3:"; tail -5 "$2.log"
  fi
}

# ---- elementwise on gaudi2: FLOPs as analysed ----
if "$hlsim" gen elementwise --asic gaudi2 --tpcs 24 --elements 3000000 \
     --flops-per-element 3 -o ew.h5 > ew.gen; then ok; else bad "gen elementwise --asic gaudi2"; fi
replay ew.h5 ew gaudi2_hl225
got=$(report_flops ew)
[ "$got" = 9000000 ] && ok || bad "elementwise gaudi2: report FLOPs $got, want 9000000"
grep -q 'DCORE3_TPC5' ew/report.txt && ok || bad "elementwise gaudi2: the 24th TPC did not run"

# ---- every TPC-based kind on gaudi2 ----
for kind in reduction softmax layernorm copy transpose; do
  if "$hlsim" gen "$kind" --asic gaudi2 --tpcs 24 --rows 512 --cols 1000 -o "$kind.h5" \
       > /dev/null; then ok; else bad "gen $kind --asic gaudi2"; fi
  replay "$kind.h5" "$kind" gaudi2_hl225
done
"$hlsim" gen softmax --asic gaudi2 --dtype fp8 -o sm8.h5 > /dev/null && ok || bad "gen softmax fp8"
replay sm8.h5 sm8 gaudi2_hl225
"$hlsim" gen graph "$tests/../traces/gen/examples/attention_gaudi.graph" --asic gaudi2 \
  --tpcs 24 -o graph.h5 > /dev/null && ok || bad "gen graph --asic gaudi2"
replay graph.h5 graph gaudi2_hl225

# ---- attention and transformer: report FLOPs = the analytic count printed ----
model() { # NAME ASIC CONFIG KIND OPTIONS...
  local name=$1 asic=$2 config=$3 kind=$4; shift 4
  local out want got
  if ! out=$("$hlsim" gen "$kind" --asic "$asic" "$@" -o "$name.h5"); then
    bad "gen $kind --asic $asic $*"; return
  fi
  want=$(sed -n 's/.*(analytic \([0-9]*\),.*/\1/p' <<<"$out")
  replay "$name.h5" "$name" "$config"
  got=$(report_flops "$name")
  [ -n "$want" ] && [ "$got" = "$want" ] && ok || bad "$name: report FLOPs $got, analytic $want"
}
model att1 gaudi gaudi_hl205 attention --batch 2 --heads 4 --seq 512 --head-dim 64
model att2 gaudi2 gaudi2_hl225 attention --heads 8 --seq 1024 --head-dim 128 --causal
model att8 gaudi2 gaudi2_hl225 attention --heads 2 --seq 512 --head-dim 128 --dtype fp8
model tf1 gaudi gaudi_hl205 transformer --hidden 512 --heads 8 --seq 256 --layers 2
model tf2 gaudi2 gaudi2_hl225 transformer --hidden 512 --heads 8 --seq 256 --layers 2 --causal
"$hlsim" gen attention --dtype fp8 -o bad.h5 > /dev/null 2>&1
[ $? -eq 2 ] && ok || bad "gen attention --dtype fp8 on gaudi should fail with status 2"

# ---- --help of each kind ----
for kind in elementwise reduction softmax layernorm copy transpose attention transformer; do
  "$hlsim" gen "$kind" --help | grep -q "usage: hlsim gen $kind" && ok || bad "gen $kind --help"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
