#!/usr/bin/env bash
# `hlsim gen reduction|softmax|layernorm|copy|transpose` and `hlsim gen graph` end to
# end: each new kind generates, disassembles and replays without deadlock; the bundled
# attention example (traces/gen/examples/attention_gaudi.graph) replays and its report
# names both MMEs and the TPCs; bad workload files (unknown kind, a cycle in `after`, an
# unknown dependency, a bad shape) fail with status 2 and FILE:LINE messages; the same
# file gives the same trace bytes.
# argv: HLSIM_EXE WORKDIR TESTS_DIR
set -uo pipefail
hlsim=$1 work=$2 tests=$(cd "$3" && pwd)
example="$tests/../traces/gen/examples/attention_gaudi.graph"
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

# ---- every new kind: generate, disassemble, replay ----
expect 0 'wrote r.h5: .* 8 TPC kernels' -- "$hlsim" gen reduction --rows 4096 --cols 512 -o r.h5
expect 0 'wrote s.h5: .* 5242880 FLOPs' -- "$hlsim" gen softmax --rows 1024 --cols 1024 -o s.h5
expect 0 'wrote l.h5: .* 4 TPC kernels' -- "$hlsim" gen layernorm --rows 256 --cols 1K \
  --tpcs 4 --dtype fp32 -o l.h5
expect 0 'wrote c.h5: .* 6 DMA jobs' -- "$hlsim" gen copy --elements 8M -o c.h5
expect 0 'wrote t.h5: .* 2 DMA jobs' -- "$hlsim" gen transpose --rows 1024 --cols 768 \
  --dmas 2 -o t.h5
for k in r s l c t; do
  expect 0 'LIN_DMA|WREG' -- "$hlsim" disasm $k.h5
  expect 0 'simulated time' -- "$hlsim" run $k.h5 -o $k.out --no-plot --no-progress
done
# kernel_name and cost_hint per TPC launch (their contents: tests/unit/test_gen_ops.c)
expect 0 'annotations: 16' -- "$hlsim" info s.h5

# ---- the attention example ----
expect 0 'wrote att.h5: 3 operations, .* 8 TPC kernels' -- "$hlsim" gen graph "$example" -o att.h5
expect 0 'simulated time' -- "$hlsim" run att.h5 -o att.out --no-plot --no-progress
for e in MME0 MME1 TPC0 TPC7; do
  grep -q -E "^ +[0-9]+ +$e +" att.out/report.txt && ok || bad "report does not name $e"
done
mkdir -p again && (cd again && "$hlsim" gen graph "$example" -o att.h5 > /dev/null 2>&1)
cmp -s att.h5 again/att.h5 && ok || bad "the same workload file gave different bytes"

# ---- bad workload files ----
printf '[op a]\nkind = conv3d\n' > k.graph
expect 2 'k.graph:2: key .kind.: unknown kind .conv3d.' -- "$hlsim" gen graph k.graph -o x.h5
printf '[op a]\nkind = copy\nelements = 8\nafter = b\n\n[op b]\nkind = copy\nelements = 8\nafter = a\n' > cyc.graph
expect 2 'cyc.graph:4: key .after.: dependency cycle a -> b -> a' -- \
  "$hlsim" gen graph cyc.graph -o x.h5
printf '[op a]\nkind = softmax\nrows = 4\ncols = 4\nafter = nope\n' > dep.graph
expect 2 'dep.graph:5: key .after.: unknown operation .nope.' -- "$hlsim" gen graph dep.graph -o x.h5
printf '[op a]\nkind = gemm\nm = 4\nn = 0\nk = 4\n' > shape.graph
expect 2 'shape.graph:4: key .n.: 0: expected' -- "$hlsim" gen graph shape.graph -o x.h5
printf '[op a]\nkind = softmax\nrows = 2\ncols = 64\ndtype = fp99\n' > dt.graph
expect 2 'dt.graph: op .a. \(line 1\): dtype .fp99.' -- "$hlsim" gen graph dt.graph -o x.h5
expect 1 'no-such.graph: cannot open' -- "$hlsim" gen graph no-such.graph -o x.h5
expect 2 'FILE and -o TRACE are required' -- "$hlsim" gen graph "$example"
expect 2 'unknown or incomplete option' -- "$hlsim" gen softmax --bogus 1 -o x.h5
expect 2 'rows 0' -- "$hlsim" gen softmax --rows 0 -o x.h5

# batched and causal attention in a graph file: 4 heads of 2048 queries, blocks of 256;
# FLOPs = 2 GEMMs x 4 x 2 x 256 x 128 x (256 x 36) + 5 x 4 x 2048 x 2049 / 2
printf '[graph]\nasic = gaudi2\n[op qk]\nkind = gemm\nm = 2048\nn = 2048\nk = 128\nbatch = 4\ntranspose_b = 1\ncausal = n\ncausal_block = 256\n[op sm]\nkind = softmax\nrows = 8192\ncols = 2048\ncausal = n\nafter = qk\n[op pv]\nkind = gemm\nm = 2048\nn = 128\nk = 2048\nbatch = 4\ncausal = k\ncausal_block = 256\nafter = sm\n' > causal.graph
expect 0 'wrote ca.h5: 3 operations, .* 4873801728 FLOPs' -- "$hlsim" gen graph causal.graph -o ca.h5
expect 0 'simulated time' -- "$hlsim" run ca.h5 --config gaudi2_hl225 -o ca.out --no-plot --no-progress
grep -v '^causal' causal.graph > full.graph
expect 0 'wrote fu.h5: 3 operations, .* 8673820672 FLOPs' -- "$hlsim" gen graph full.graph -o fu.h5
grep -v '^causal_block' causal.graph > noblock.graph
expect 2 'a causal GEMM needs causal_block' -- "$hlsim" gen graph noblock.graph -o x.h5
sed 's/^causal = n$/causal = diagonal/' causal.graph > badcausal.graph
expect 2 "key 'causal': 'diagonal': expected none, n" -- "$hlsim" gen graph badcausal.graph -o x.h5
[ -e x.h5 ] && bad "a failed generation left x.h5" || ok

echo "gen_graph: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
