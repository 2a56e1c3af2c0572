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
# Gaudi2 (`--config gaudi2_hl225`): `g2info` (INFO, DRAM alloc/map, the CS checks, sysfs),
# `g2data` (host -> SRAM -> DRAM -> host over PDMA and EDMA queues ordered by monitors and
# fences, every byte checked), `g2nop` (NOP loops timed), `g2ping` (SOB/monitor/fence
# ping-pong between two queues), `g2stuck` (WAIT_CS time-out, 64 CSs in flight), `g2signal`
# (a wait CS on PDMA_1_0 must hold that queue until the signal CS of PDMA_0_1 ran, checked on
# the bytes a copy behind it delivers; the trace holds the Gaudi2 driver's signal and wait
# CBs); each trace is replayed on gaudi2_hl225.
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
# the submission-heavy loop of tests/perf/bench_capture: every CS and wait answered, replayed
expect 0 'loop/trace.h5: 100 CS, 100 jobs, 100 WAIT_CS' -- "$hlsim" vdev -o loop -- "$prog" loop 100
expect 2 'expected 1..10000000 CSs' -- "$prog" loop 0
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
# every call made through libc's syscall() by number reaches the virtual device
expect 0 'vdev_prog syscall: ok' -- "$hlsim" vdev -o syscall -- "$prog" syscall
expect 0 '1 CS, 1 jobs, 1 WAIT_CS' -- "$hlsim" vdev -o syscall -- "$prog" syscall
# a test suite: several programs one after the other, each its own trace and replay
expect 0 'trace.1.h5: 1 CS, 3 jobs, 1 WAIT_CS' -- "$hlsim" vdev -o suite -- sh -c \
  "'$prog' main && '$prog' data && '$prog' accel"
expect 0 '3 processes used the device' -- "$hlsim" vdev -o suite -- sh -c \
  "'$prog' main && '$prog' data && '$prog' accel"
if [ -s suite/report.txt ] && [ -s suite/trace.1/report.txt ] && [ -s suite/trace.2/report.txt ] &&
  [ ! -e suite/trace.3.h5 ]; then ok; else bad "suite: a report per process expected"; fi
expect 0 'suite/trace.h5: 1 CS, 1 jobs, 1 WAIT_CS' -- "$hlsim" vdev -o suite -- "$prog" main
if [ ! -e suite/trace.1.h5 ]; then ok; else bad "suite: the earlier run's trace.1.h5 is left"; fi
# a program that execs after using the device: both images' traces complete and replayed
expect 0 'vdev_prog main: ok' -- "$hlsim" vdev -o exec -- "$prog" exec
expect 0 'exec/trace.h5: 1 CS, 1 jobs, 1 WAIT_CS' -- "$hlsim" vdev -o exec -- "$prog" exec
expect 0 'exec/trace.1.h5: 1 CS, 1 jobs, 1 WAIT_CS' -- "$hlsim" vdev -o exec -- "$prog" exec
if [ -s exec/report.txt ] && [ -s exec/trace.1/report.txt ]; then ok; else
  bad "exec: a report per image expected"; fi
# one compute context per device across the program's processes: EBUSY while it is open
expect 0 'vdev_prog busy: ok' -- "$hlsim" vdev -o busy -- "$prog" busy
expect 0 'open in another process of the program: EBUSY' -- "$hlsim" vdev -o busy -- "$prog" busy
# 8 threads submitting and waiting at once on one open of the device
expect 0 'vdev_prog threads: ok' -- "$hlsim" vdev -o threads -- "$prog" threads
expect 0 '320 CS, 320 jobs, 320 WAIT_CS' -- "$hlsim" vdev -o threads -- "$prog" threads
# the accel node (kernel 6.3+) with its DRM ioctl numbers
expect 0 'vdev_prog accel: ok' -- "$hlsim" vdev -o accel -- "$prog" accel
expect 0 '2 CS, 2 jobs, 2 WAIT_CS' -- "$hlsim" vdev -o accel -- "$prog" accel
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

# Gaudi2 (HL-225): `hlsim vdev --config gaudi2_hl225`. Until the command itself accepts a
# gaudi2 configuration (sim/cli/cmd_vdev.c still refuses one before starting the program),
# the same run is made as the command makes it: the library preloaded with
# HLSIM_VDEV_CONFIG / HLSIM_VDEV_TRACE, then `hlsim run` of the trace on gaudi2_hl225.
lib="${HLSIM_PRELOAD_LIB:-$(dirname "$hlsim")/libhlsim_preload.so}"
g2_cli=1
g2probe=$("$hlsim" vdev --config gaudi2_hl225 -o g2probe -- true 2>&1)
if grep -q 'models only gaudi' <<<"$g2probe"; then
  g2_cli=0
  echo "note: hlsim vdev refuses gaudi2 configurations; running the library directly"
fi
# g2vdev DIR MODE: vdev_prog MODE on a virtual Gaudi2, its trace DIR/trace.h5 replayed
g2vdev() {
  local dir=$1 st; shift
  if [ "$g2_cli" -eq 1 ]; then
    "$hlsim" vdev --config gaudi2_hl225 -o "$dir" -- "$prog" "$@"
    return
  fi
  mkdir -p "$dir"
  LD_PRELOAD="$lib" HLSIM_VDEV_CONFIG=gaudi2_hl225 HLSIM_VDEV_TRACE="$dir/trace.h5" \
    "$prog" "$@"
  st=$?
  [ "$st" -eq 0 ] || return "$st"
  "$hlsim" run "$dir/trace.h5" --config gaudi2_hl225 -o "$dir"
}
# INFO, memory and the CS checks as the Gaudi2 driver answers them
expect 0 'vdev_prog g2info: ok' -- g2vdev g2info g2info
expect 0 'not valid \(not in user SRAM, user DRAM, the DMMU or the PMMU range\).*EFAULT' -- \
  g2vdev g2info g2info
expect 0 'device 0: asic gaudi2, card HL225, PCI device id 0x1020' -- "$hlsim" info g2info/trace.h5
expect 0 'DRAM: 102273908736 bytes at 0x1001001800000000, page 805306368 bytes' -- \
  "$hlsim" info g2info/trace.h5
# host -> SRAM -> DRAM (+ memset) -> host over PDMA_0_0, DCORE0_EDMA_0_0 and PDMA_1_0
expect 0 'vdev_prog g2data: ok' -- g2vdev g2data g2data
expect 0 'jobs: 3 \(restore 0, execute 3\)' -- "$hlsim" info g2data/trace.h5
expect 0 'queue DCORE0_EDMA_0_0 \(8\), execute, CB 0xfff0' -- "$hlsim" disasm g2data/trace.h5
expect 0 'LIN_DMA .*sram -> hbm, 196608 B' -- "$hlsim" disasm g2data/trace.h5
expect 0 'MSG_LONG +eb mb +SOB DCORE0\[393\] \+= 1' -- "$hlsim" disasm g2data/trace.h5
expect 0 'on gaudi2_hl225' -- "$hlsim" run g2data/trace.h5 --config gaudi2_hl225 -o g2data-rerun
if [ -s g2data/report.txt ]; then ok; else bad "g2data/report.txt missing after the replay"; fi
# a NOP loop whose simulated time grows with its length; a SOB / monitor / fence ping-pong
expect 0 'vdev_prog g2nop: ok' -- g2vdev g2nop g2nop
expect 0 '12 CS, 12 jobs' -- "$hlsim" run g2nop/trace.h5 --config gaudi2_hl225 -o g2nop-rerun
expect 0 'vdev_prog g2ping: ok' -- g2vdev g2ping g2ping
if [ -s g2ping/report.txt ]; then ok; else bad "g2ping/report.txt missing after the replay"; fi
# WAIT_CS time-out naming the queue, the fence and the monitor; 64 CSs in flight at most
# (the replay of the trace deadlocks the same way, so the run fails)
expect 1 'PDMA_0_0 \(upper CP\): CS 1 job 0, byte offset 0x40: FENCE id 1 waits for counter >= 1 \(now 0\)
      monitor DCORE0\[229\] armed: SOB group 49 mask 0xbf >= 1; SOB DCORE0\[398\]=0' \
  -- g2vdev g2stuck g2stuck
expect 1 'vdev_prog g2stuck: ok' -- g2vdev g2stuck g2stuck
# signal and wait CSs: the wait must order the queues; the trace holds the driver's CBs
# (gaudi2_gen_signal_cb: MSG_SHORT base 1; gaudi2_gen_wait_cb: MSG_SHORTs base 0 to monitor
# 65 + 4 of PDMA_1_0, its CP_FENCE2_RDATA as payload, then FENCE 2), and its replay runs them
expect 0 'vdev_prog g2signal: ok' -- g2vdev g2signal g2signal
expect 0 'MSG_SHORT +eb mb +base1\+0x10c: SOB DCORE0\[67\] \+= 1' -- "$hlsim" disasm g2signal/trace.h5
expect 0 'base0\+0x114: MON DCORE0\[69\] PAY_ADDRL = 0xfcc9a2b8' -- "$hlsim" disasm g2signal/trace.h5
expect 0 'MON DCORE0\[69\] ARM group 8 mask 0xf7 >= 1' -- "$hlsim" disasm g2signal/trace.h5
expect 0 'FENCE +mb +fence 2 >= 1, then -= 1' -- "$hlsim" disasm g2signal/trace.h5
expect 0 'base1\+0x61c: SOB DCORE0\[391\] \+= 1' -- "$hlsim" disasm g2signal/trace.h5
expect 0 '8 CS, 8 jobs' -- "$hlsim" run g2signal/trace.h5 --config gaudi2_hl225 -o g2signal-rerun
if [ -s g2signal/report.txt ]; then ok; else bad "g2signal/report.txt missing after the replay"; fi
# the Gaudi modes refuse a Gaudi2 and the Gaudi2 modes a Gaudi
expect 1 'need a Gaudi2 \(device id 0x1020, not 0x1000\)' -- "$hlsim" vdev -o g2ongaudi -- "$prog" g2data

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
expect 1 'HLSIM_PRELOAD_LIB=/nonexistent' -- \
  env HLSIM_PRELOAD_LIB=/nonexistent "$hlsim" vdev -- true

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
