#!/usr/bin/env bash
# `hlsim vdev` end to end: tests/unit/test_vdev_prog.c (built as vdev_prog, beside the hlsim
# binary in tests/) runs unmodified on the virtual Gaudi through libhlsim_preload.so. The
# program must exit 0; its trace must hold 1 CS with 1 job whose disassembly shows the
# LIN_DMA and the MSG_LONG it wrote into the CB; the report of the replay must exist. The
# program's error mode checks the driver's errors (unknown ioctl nr -> ENOTTY, CS on the
# control node -> ENOTTY, a second mmap of a CB -> EINVAL, ...); bad usage fails clearly.
# argv: HLSIM_EXE WORKDIR TESTS_DIR
set -uo pipefail
hlsim=$1 work=$2
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
prog="$(dirname "$hlsim")/tests/vdev_prog"
# With HLSIM_SANITIZE the preloaded library pulls in libasan after the program's libraries.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
passed=0 failed=0
ok() { passed=$((passed + 1)); }
bad() { echo "FAIL: $*"; failed=$((failed + 1)); }

# expect STATUS PATTERN -- CMD...: exit status STATUS and PATTERN (grep -E) in stdout+stderr
expect() {
  local want=$1 pattern=$2; shift 3
  local out st
  out=$("$@" 2>&1); st=$?
  if [ "$st" -ne "$want" ] || ! grep -q -E -- "$pattern" <<<"$out"; then
    bad "$* -> status $st (want $want), output: $(echo "$out" | head -8)"
  else
    ok
  fi
}

if [ ! -x "$prog" ]; then
  echo "FAIL: $prog is missing (build the vdev_prog target)"
  exit 1
fi

# the main scenario, its trace and its replay
expect 0 'vdev_prog main: ok' -- "$hlsim" vdev -o run -- "$prog"
expect 0 'CS: 1$' -- "$hlsim" info run/trace.h5
expect 0 'jobs: 1 \(restore 0, execute 1\)' -- "$hlsim" info run/trace.h5
expect 0 'host maps: 1, waits: 1' -- "$hlsim" info run/trace.h5
expect 0 'device 0: asic gaudi, card HL205, PCI device id 0x1000' -- "$hlsim" info run/trace.h5
expect 0 'LIN_DMA .*host -> sram, 4096 B' -- "$hlsim" disasm run/trace.h5
expect 0 'MSG_LONG .*SOB W_S\[144\] \+= 1' -- "$hlsim" disasm run/trace.h5
expect 0 'queue DMA_0_0 \(0\), execute' -- "$hlsim" disasm run/trace.h5
for f in report.txt report.json results.h5; do
  if [ -s "run/$f" ]; then ok; else bad "run/$f missing after hlsim vdev"; fi
done

# the driver's error answers; no CS, so no replay
expect 0 'vdev_prog errors: ok' -- "$hlsim" vdev -o err -- "$prog" errors
if [ -e err/report.txt ]; then bad "a replay ran for a program that submitted no CS"; else ok; fi

# the program's exit status is hlsim vdev's
expect 2 'usage: vdev_prog' -- "$hlsim" vdev -o usage -- "$prog" bogus
# a program that opens no device: no trace, no replay
expect 0 'opened no Habana device' -- "$hlsim" vdev -o none -- true
# bad usage and set-up errors
expect 2 'no PROGRAM given' -- "$hlsim" vdev -o x
expect 2 'unknown or incomplete option' -- "$hlsim" vdev --bogus -- true
expect 127 'cannot run' -- "$hlsim" vdev -o x -- ./does-not-exist
expect 1 'models only gaudi' -- "$hlsim" vdev --config gaudi2_hl225 -o x -- true
expect 1 'HLSIM_PRELOAD_LIB=/nonexistent' -- \
  env HLSIM_PRELOAD_LIB=/nonexistent "$hlsim" vdev -- true

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
