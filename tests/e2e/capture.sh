#!/usr/bin/env bash
# `hlsim capture` from the command line: usage errors, --finish on files that are not
# journals, a program that opens no device (an empty journal: an empty trace), and the real
# backend on this machine, which has no /dev/hl0: the open is passed to the real libc and
# fails with ENOENT, which the program sees and the journal records. (The recording itself
# is checked against the virtual device by tests/unit/test_capture_prog.c.)
# argv: HLSIM_EXE WORKDIR TESTS_DIR
set -uo pipefail
hlsim=$1 work=$2
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
prog="$(dirname "$hlsim")/tests/vdev_prog"
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

expect 0 "--finish JOURNAL" -- "$hlsim" capture --help
expect 2 "no PROGRAM given" -- "$hlsim" capture -o x.h5
expect 2 "expected real or vdev" -- "$hlsim" capture --backend gpu -- true
expect 2 "expected milliseconds" -- "$hlsim" capture --sync-ms soon -- true
expect 2 "unknown or incomplete option" -- "$hlsim" capture --bogus
expect 1 "nothere.journal: cannot open the journal" -- \
  "$hlsim" capture --finish nothere.journal -o t.h5
printf 'not a journal at all' > foreign.bin
expect 1 "not an hlsim capture journal" -- "$hlsim" capture --finish foreign.bin -o t.h5

# a program that opens no device: an empty journal, a trace without devices
expect 0 "empty journal: no device was opened" -- "$hlsim" capture -o none.h5 -- true
expect 0 "devices: 0" -- "$hlsim" info none.h5

# the real driver is absent here: open /dev/hl0 fails through the capture layer
expect 1 "open /dev/hl0: No such file or directory" -- \
  "$hlsim" capture -o real.h5 -- "$prog" main
expect 0 "2 complete records .* 0 bytes dropped" -- "$hlsim" capture --finish real.h5.journal -o real2.h5
# (its OPEN record with ENOENT, and END) kept: finishing it again gives the same trace
if cmp -s <("$hlsim" info real.h5) <("$hlsim" info real2.h5 | sed 's/real2.h5/real.h5/'); then
  ok
else
  bad "finishing the same journal twice gave different traces"
fi

# --journal places the journal; --sync-ms 0 syncs after every record
expect 0 "kept, 0 bytes dropped" -- "$hlsim" capture --backend vdev --sync-ms 0 \
  --journal j.bin -o v.h5 -- "$prog" data
[ -s j.bin ] && ok || bad "--journal j.bin was not written"
expect 0 "CS: 1" -- "$hlsim" info v.h5

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
