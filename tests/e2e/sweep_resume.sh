#!/usr/bin/env bash
# `hlsim sweep` killed in the middle of a point, then rerun: a 3-point sweep (-j 1) is
# started in its own process group and, once point 0 is done and point 1 is running, the
# whole group (the sweep and its `hlsim run` child) gets SIGKILL, as when a machine or a
# batch system kills the job. The same command again must keep point 0 (its done marker and
# results untouched, not rerun), redo point 1 and run point 2, and its sweep.csv must equal
# an uninterrupted sweep's byte for byte.
# argv: HLSIM_EXE WORKDIR TESTS_DIR
set -uo pipefail
hlsim=$1 work=$2
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
passed=0 failed=0
ok() { passed=$((passed + 1)); }
bad() { echo "FAIL: $*"; failed=$((failed + 1)); }
finish() { echo "sweep_resume e2e: $passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit; }

# about 2 s of simulation per point, so a point can be caught running
"$hlsim" gen dma --cs 20000 --queues 4 --bytes 64K -o long.h5 > /dev/null \
  || { echo "FAIL: gen"; exit 1; }
# a parameter that changes the simulated time, so each row differs
args=(long.h5 --vary dma.engine_bandwidth=50GB/s,100GB/s,200GB/s -j 1)

# ---- the uninterrupted reference ----
"$hlsim" sweep "${args[@]}" -o ref > ref.log 2>&1 || { cat ref.log; echo "FAIL: reference sweep"; exit 1; }
grep -q '3 points ran now' ref.log && ok || bad "reference: $(tail -1 ref.log)"

# ---- start, wait for point 1 to be running, kill the process group ----
setsid "$hlsim" sweep "${args[@]}" -o cut > cut1.log 2>&1 &
pid=$!
state=timeout
for _ in $(seq 1 600); do # up to 60 s
  if [ -f cut/points/00001/done ]; then
    state=too_late
    break
  fi
  if [ -f cut/points/00000/done ] && [ -s cut/points/00001/log.txt ]; then
    kill -KILL -- "-$pid" 2> /dev/null
    state=killed
    break
  fi
  kill -0 "$pid" 2> /dev/null || { state=exited; break; }
  sleep 0.1
done
wait "$pid" 2> /dev/null
st=$?
# no process of the group may be left writing into cut/
for _ in $(seq 1 50); do
  pgrep -g "$pid" > /dev/null 2>&1 || break
  sleep 0.1
done
if [ "$state" != killed ]; then
  kill -KILL -- "-$pid" 2> /dev/null
  bad "could not kill the sweep while point 1 ran (state $state)"; cat cut1.log; finish
fi
[ "$st" -eq 137 ] && ok || bad "the killed sweep exited with $st, expected 137 (SIGKILL)"
pgrep -g "$pid" > /dev/null 2>&1 && bad "processes of the killed sweep are still running" || ok
[ -f cut/points/00000/done ] && grep -q '^status ok$' cut/points/00000/done \
  && ok || bad "point 0 has no ok marker after the kill"
[ ! -f cut/points/00001/done ] && ok || bad "the killed point 1 has a done marker"
[ ! -f cut/points/00002/done ] && ok || bad "point 2 ran before the kill"
[ ! -f cut/sweep.csv ] && ok || bad "sweep.csv written by the killed sweep"
before=$(stat -c '%i %Y %s' cut/points/00000/done cut/points/00000/results.h5)
sleep 1 # a rewrite of point 0 would show in its modification time

# ---- the same command again ----
"$hlsim" sweep "${args[@]}" -o cut > cut2.log 2>&1
st=$?
[ "$st" -eq 0 ] && ok || { bad "resumed sweep exit status $st"; cat cut2.log; }
grep -q '2 points ran now' cut2.log && ok || bad "resumed sweep: $(grep 'ran now' cut2.log)"
after=$(stat -c '%i %Y %s' cut/points/00000/done cut/points/00000/results.h5)
[ "$before" = "$after" ] && ok || bad "point 0 was redone: '$before' -> '$after'"
grep -q '^status ok$' cut/points/00001/done && ok || bad "point 1 not redone"
grep -q '^status ok$' cut/points/00002/done && ok || bad "point 2 not run"
cmp ref/sweep.csv cut/sweep.csv && ok || { bad "sweep.csv differs from the uninterrupted run's"; diff ref/sweep.csv cut/sweep.csv; }
[ "$(wc -l < cut/sweep.csv)" -eq 4 ] && ok || bad "sweep.csv has not 1 + 3 lines"
finish
