#!/usr/bin/env bash
# The hlsim command's subcommands and their error paths: every bad input gives a message
# naming what was wrong and a non-zero exit status, never a crash.
# argv: HLSIM_EXE WORKDIR TESTS_DIR
set -uo pipefail
hlsim=$1 work=$2
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
sample="$(dirname "$hlsim")/sample.h5"
passed=0 failed=0

# expect STATUS PATTERN -- CMD...: exit status STATUS and PATTERN (grep -E) in stdout+stderr
expect() {
  local want=$1 pattern=$2; shift 3
  local out st
  out=$("$@" 2>&1); st=$?
  if [ "$st" -ne "$want" ] || ! grep -q -E -- "$pattern" <<<"$out"; then
    echo "FAIL: $* -> status $st (want $want), output:"; echo "$out" | head -20
    failed=$((failed + 1))
  else
    passed=$((passed + 1))
  fi
}

expect 0 'hlsim 0\.' -- "$hlsim" --version
expect 2 'unknown command' -- "$hlsim" frobnicate
expect 0 'CS: 17' -- "$hlsim" info "$sample"
expect 0 'jobs: 97 \(restore 0, execute 97\)' -- "$hlsim" info "$sample"
expect 0 'CP_DMA' -- "$hlsim" disasm "$sample" --cs 2
expect 0 '-> CB at 0x[0-9a-f]+, [0-9]+ bytes, run by the lower CP' -- "$hlsim" disasm "$sample" --cs 2
expect 0 'LIN_DMA.*host -> hbm' -- "$hlsim" disasm "$sample" --cs 2
expect 0 'FENCE' -- "$hlsim" disasm "$sample" --cs 3
expect 0 'commit|wr_comp_addr_lo' -- "$hlsim" disasm "$sample" --cs 2
expect 0 'MON E_N\[[0-9]+\] ARM' -- "$hlsim" disasm "$sample" --cs 2

# traces that are missing, not HDF5, or cut short
expect 1 'nosuch\.h5' -- "$hlsim" run nosuch.h5 -o o1 --no-plot
echo "not an hdf5 file" > text.h5
expect 1 'text\.h5' -- "$hlsim" info text.h5
expect 1 'text\.h5' -- "$hlsim" run text.h5 -o o2 --no-plot
size=$(stat -c %s "$sample")
head -c $((size / 2)) "$sample" > half.h5
expect 1 'half\.h5' -- "$hlsim" run half.h5 -o o3 --no-plot
expect 1 'half\.h5' -- "$hlsim" disasm half.h5

# configuration errors name the key, the origin and what was expected
expect 1 "unknown key 'hbm\.bandwith'.*did you mean 'hbm\.bandwidth'" -- "$hlsim" run "$sample" --set hbm.bandwith=1TB/s -o o4
expect 1 'hbm\.bandwidth.*expected a bandwidth' -- "$hlsim" run "$sample" --set hbm.bandwidth=1TB -o o5
# a platform error of a run of several devices is reported as itself, and no report follows
expect 0 'wrote' -- "$hlsim" gen allreduce --devices 2 --bytes 64K -o two.h5
expect 1 'pcie\.cards_per_switch is 0; expected at least 1' -- "$hlsim" run two.h5 --config gaudi2_hl225 --set pcie.cards_per_switch=0 -o o5b --no-plot
if "$hlsim" run two.h5 --config gaudi2_hl225 --set pcie.cards_per_switch=0 -o o5c --no-plot 2>&1 | grep -q 'report'; then
	echo "FAIL: a run that never started tried to write a report"; failed=$((failed + 1))
else
	passed=$((passed + 1))
fi
expect 1 'nosuch_preset.*gaudi_hl205' -- "$hlsim" run "$sample" --config nosuch_preset -o o6
printf '[hbm]\nbandwidth = 2TB/s\nlatency = fast\n' > bad.ini
expect 1 'bad\.ini:3.*hbm\.latency' -- "$hlsim" config show ./bad.ini
expect 0 'bandwidth = 2TB/s' -- "$hlsim" config show gaudi_hl205 --set hbm.bandwidth=2TB/s
"$hlsim" config show > resolved.ini
expect 0 'bandwidth' -- "$hlsim" config show ./resolved.ini
if ! diff <("$hlsim" config show | grep -v '^#' | sed 's/ *#.*//') \
          <("$hlsim" config show ./resolved.ini | grep -v '^#' | sed 's/ *#.*//') >/dev/null; then
  echo "FAIL: the printed configuration does not load back to the same values"; failed=$((failed + 1))
else
  passed=$((passed + 1))
fi
expect 0 'hbm\.bandwidth' -- "$hlsim" config params

# generator options
expect 2 '--queues 9: expected 1\.\.6' -- "$hlsim" gen dma --queues 9 -o g.h5
expect 2 'expected a number' -- "$hlsim" gen dma --cs many -o g.h5
expect 2 '-o TRACE is required' -- "$hlsim" gen dma
expect 0 'wrote g\.h5' -- "$hlsim" gen dma --cs 3 --queues 2 --bytes 4K -o g.h5
expect 0 'CS: 4' -- "$hlsim" info g.h5
expect 0 'speed: ' -- "$hlsim" run g.h5 -o g.out --no-plot
# the plots and report of one run, in a time window
expect 0 'wrote pw/report.txt' -- "$hlsim" plot g.out/results.h5 -o pw --window 2us:20us
expect 0 'report window +2\.000000 \.\. 20\.000000 us' -- cat pw/report.txt
expect 0 '89 50 4e 47 0d 0a 1a 0a' -- od -An -tx1 -N8 pw/timeline.png
expect 2 "expected T0:T1" -- "$hlsim" plot g.out/results.h5 -o pw --window 2us
expect 2 "unknown unit 'xs'" -- "$hlsim" plot g.out/results.h5 -o pw --window 2xs:4us
# six DMA engines sharing HBM, many CSs in flight (once crashed SimGrid's solver)
expect 0 'wrote g6\.h5' -- "$hlsim" gen dma --cs 200 --queues 6 --slots 8 --bytes 4K -o g6.h5
expect 0 'speed: ' -- "$hlsim" run g6.h5 -o g6.out --no-plot

# a results file that is not one
expect 1 'text\.h5' -- "$hlsim" report text.h5
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
