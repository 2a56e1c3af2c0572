#!/usr/bin/env bash
# `hlsim vdev` end to end: tests/unit/test_vdev_prog.c (built as vdev_prog, beside the hlsim
# binary in tests/) runs unmodified on the virtual Gaudi through libhlsim_preload.so. The
# program must exit 0; its trace must hold 1 CS with 1 job whose disassembly shows the
# LIN_DMA and the MSG_LONG it wrote into the CB; the report of the replay must exist. The
# program's error mode checks the driver's errors (unknown ioctl nr -> ENOTTY, CS on the
# control node -> ENOTTY, a second mmap of a CB -> EINVAL, ...); bad usage fails clearly.
# Functional execution: `vdev_prog data` moves bytes host -> DRAM -> SRAM (+ memset) -> host
# across three queues ordered only by monitors and fences and fails on a wrong byte; `stuck`
# needs WAIT_CS to time out (with the blocked queue and fence named); `oom` hits
# --mem-max; `pace real` needs WAIT_CS to keep the simulated pace; `sysfs` reads the
# device's sysfs attributes; `devices` needs --devices 2 to give two separate devices.
# Sync stream, staged submission, multi-CS waits: `signal` needs a wait CS to hold its
# queue until the signal CS on another queue ran (checked on the bytes a copy behind the
# wait delivers), and the trace to hold the driver's signal and wait CBs; `staged` a
# two-part staged submission under one seq; `multi` a partial completion map; `encaps` a
# wait CS on an encapsulated signal; `mstuck`
# polls and time-outs of CSs that never complete (the replay deadlocks, as for `stuck`).
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

# functional execution: the bytes are checked by the program, the replay finds the CBs
expect 0 'vdev_prog data: ok' -- "$hlsim" vdev -o data -- "$prog" data
expect 0 'jobs: 3 \(restore 0, execute 3\)' -- "$hlsim" info data/trace.h5
if [ -s data/report.txt ]; then ok; else bad "data/report.txt missing after hlsim vdev"; fi
# a CS that can never finish: ETIMEDOUT naming the queue and the fence (the replay of the
# trace deadlocks the same way, so hlsim vdev fails)
expect 1 'CS 1 can never complete.*
  DMA_0_0 \(upper CP\): CS 1 job 0, byte offset 0x40: FENCE id 1 waits for counter >= 1 \(now 0\)' \
  -- "$hlsim" vdev -o stuck -- "$prog" stuck
expect 1 'vdev_prog stuck: ok' -- "$hlsim" vdev -o stuck -- "$prog" stuck
# the simulated SRAM + DRAM bound fails the CS with ENOMEM
expect 0 'vdev_prog oom: ok' -- "$hlsim" vdev --mem-max 64KiB -o oom -- "$prog" oom
expect 0 'bound of 65536 bytes is reached.*the CS fails with ENOMEM' -- \
  "$hlsim" vdev --mem-max 64KiB -o oom -- "$prog" oom
# --pace real: WAIT_CS returns once the simulated completion time has passed
expect 0 'vdev_prog pace: ok' -- "$hlsim" vdev --pace real -o pace -- "$prog" pace real
expect 0 'vdev_prog pace: ok' -- "$hlsim" vdev -o pace -- "$prog" pace
# sysfs attributes
expect 0 'vdev_prog sysfs: ok' -- "$hlsim" vdev -o sysfs -- "$prog" sysfs
# two devices, each its own DRAM; the trace has both and the replay runs them
expect 0 'vdev_prog devices: ok' -- "$hlsim" vdev --devices 2 -o devices -- "$prog" devices
expect 0 'devices: 2' -- "$hlsim" info devices/trace.h5

# signal and wait CSs: the wait must order the queues; the trace holds the driver's CBs
expect 0 'vdev_prog signal: ok' -- "$hlsim" vdev -o signal -- "$prog" signal
expect 0 'MSG_SHORT +eb rb mb +base3\+0x208: SOB W_S\[130\] \+= 1' -- "$hlsim" disasm signal/trace.h5
expect 0 'base2\+0x110: MON W_S\[68\] PAY_ADDRL = 0xfc528330' -- "$hlsim" disasm signal/trace.h5
expect 0 'MON W_S\[68\] ARM group 16 mask 0xfb >= 1' -- "$hlsim" disasm signal/trace.h5
expect 0 'FENCE +rb mb +fence 2 >= 1, then -= 1' -- "$hlsim" disasm signal/trace.h5
if [ -s signal/report.txt ]; then ok; else bad "signal/report.txt missing after hlsim vdev"; fi
expect 0 'vdev_prog signal: ok' -- "$hlsim" vdev --pace real -o signal-real -- "$prog" signal
# a staged submission in two parts: both CS rows carry the first part's seq
expect 0 'vdev_prog staged: ok' -- "$hlsim" vdev -o staged -- "$prog" staged
expect 0 'CS seq 1 \(row 1\), flags 0x140' -- "$hlsim" disasm staged/trace.h5
# multi-CS waits; CSs that never complete
expect 0 'vdev_prog multi: ok' -- "$hlsim" vdev -o multi -- "$prog" multi
expect 0 'waits: 11' -- "$hlsim" info multi/trace.h5
# encapsulated signals: a wait CS for a signal a staged CS gives itself
expect 0 'vdev_prog encaps: ok' -- "$hlsim" vdev -o encaps -- "$prog" encaps
expect 0 'MON W_S\[68\] ARM group 16 mask 0xef >= 2' -- "$hlsim" disasm encaps/trace.h5
expect 1 'staged submission 2 has no LAST part' -- "$hlsim" vdev -o mstuck -- "$prog" mstuck
expect 1 'vdev_prog mstuck: ok' -- "$hlsim" vdev -o mstuck -- "$prog" mstuck

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
expect 2 'expected none or real' -- "$hlsim" vdev --pace fast -- true
expect 2 'expected 1..8' -- "$hlsim" vdev --devices 9 -- true
expect 2 'expected 1..8' -- "$hlsim" vdev --devices 0 -- true
expect 2 'expected a positive size' -- "$hlsim" vdev --mem-max 0 -- true
expect 2 'expected a positive size' -- "$hlsim" vdev --mem-max 12XB -- true
expect 127 'cannot run' -- "$hlsim" vdev -o x -- ./does-not-exist
expect 1 'models only gaudi' -- "$hlsim" vdev --config gaudi2_hl225 -o x -- true
expect 1 'HLSIM_PRELOAD_LIB=/nonexistent' -- \
  env HLSIM_PRELOAD_LIB=/nonexistent "$hlsim" vdev -- true

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
