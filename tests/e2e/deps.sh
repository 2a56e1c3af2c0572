#!/usr/bin/env bash
# Dependencies end to end (results 1.1 /releases): one attention head's forward pass
# (traces/gen/examples/attention_gaudi.graph: DMA -> MME -> TPC -> MME -> DMA) and a 2-device
# allreduce (NIC writes release fences of the other device) are run; their reports must
# attribute every fence wait to a producer, walk a critical path whose parts add up and that
# crosses engine classes (and devices), write stalls.csv / critical_path.csv, and their
# Perfetto exports must draw one arrow per fence wait from the producer /releases names.
# argv: HLSIM_EXE WORKDIR TESTS_DIR
set -uo pipefail
hlsim=$1 work=$2 tests=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
passed=0 failed=0
ok() { passed=$((passed + 1)); }
bad() { echo "FAIL: $*"; failed=$((failed + 1)); }
if ! command -v python3 > /dev/null 2>&1; then
  echo "deps e2e: python3 not found, skipped"
  exit 0
fi

graph="$tests/../traces/gen/examples/attention_gaudi.graph"
"$hlsim" gen graph "$graph" -o att.h5 > /dev/null || { echo "FAIL: gen graph"; exit 1; }
"$hlsim" run att.h5 -o att --no-plot --no-progress > /dev/null || { echo "FAIL: run att"; exit 1; }
# the 2-device part needs the collective generator (traces/gen/gen_coll.c)
have_ar=1
if ! "$hlsim" gen allreduce --help > /dev/null 2>&1; then
  echo "deps e2e: no 'hlsim gen allreduce' in this build: the 2-device part is skipped"
  have_ar=0
fi
if [ "$have_ar" -eq 1 ]; then
  "$hlsim" gen allreduce --devices 2 --bytes 1M -o ar.h5 > /dev/null || { echo "FAIL: gen ar"; exit 1; }
  "$hlsim" run ar.h5 --config gaudi2_hl225 -o ar --no-plot --no-progress > /dev/null \
    || { echo "FAIL: run ar"; exit 1; }
fi

# check_report DIR MIN_DEVICES CLASSES...: report.json's stalls and critical path
check_report() {
  local dir=$1 devs=$2; shift 2
  python3 - "$dir/report.json" "$devs" "$@" << 'PY'
import json, sys
d = json.load(open(sys.argv[1]))
devs, classes = int(sys.argv[2]), sys.argv[3:]
assert d["schema_version"] == 2, d["schema_version"]
st = d["stall_attribution"]
assert st["available"] and st["fence_waits"] > 0, st
assert st["unattributed_waits"] == 0 and st["dropped_waits"] == 0, st
assert sum(r["waits"] for r in st["rows"]) == st["fence_waits"]
assert sum(r["blocked_ps"] for r in st["rows"]) == st["blocked_ps"]
q = {u["id"]: u["fence_wait_ps"] for u in d["queues"]}
for qid, w in q.items():  # each queue's rows add up to its fence-blocked time
    rows = [r for r in st["rows"] if r["queue"] == qid]
    assert sum(r["blocked_ps"] for r in rows) == w, (qid, w, rows)
assert st["top"] and st["top"][0]["blocked_ps"] == max(t["blocked_ps"] for t in st["top"])
cp = d["critical_path"]
assert cp["computed"] and cp["fence_releases_followed"] and cp["note"] is None, cp
assert cp["total_ps"] == cp["end_ps"] - cp["start_ps"] > 0
assert sum(k["time_ps"] for k in cp["by_dependency"]) == cp["total_ps"]
gap = [k for k in cp["by_dependency"] if k["kind"] == "gap"][0]["time_ps"]
assert sum(u["time_ps"] for u in cp["by_unit"]) + gap == cp["total_ps"]
assert sum(c["time_ps"] for c in cp["by_class"]) + gap == cp["total_ps"]
have = {c["class"] for c in cp["by_class"]}
assert set(classes) <= have, (classes, have)
assert len({u["device"] for u in cp["by_unit"]}) >= devs, cp["by_unit"]
# the path ends with the run: its last record ends within 1 ns of the simulated time
assert d["simulated_time_ps"] - cp["end_ps"] < 1000 + d["simulated_time_ps"] // 1000
PY
}
check_report att 1 dma mme tpc && ok || bad "att report.json stalls / critical path"
if [ "$have_ar" -eq 1 ]; then
  check_report ar 2 nic && ok || bad "allreduce report.json stalls / critical path"
fi
grep -q '^Stall attribution' att/report.txt && grep -q '^Critical path' att/report.txt \
  && ok || bad "report.txt sections"

# CSV
"$hlsim" report att/results.h5 --csv csv > /dev/null || bad "report --csv"
head -1 csv/stalls.csv | grep -qx 'queue,queue_name,producer,producer_name,producer_device,sob,waits,blocked_ps,share' \
  && ok || bad "stalls.csv header: $(head -1 csv/stalls.csv)"
[ "$(wc -l < csv/stalls.csv)" -gt 1 ] && ok || bad "stalls.csv has no rows"
head -1 csv/critical_path.csv | grep -qx 'unit,name,device,kind,engine_class,time_ps,share' \
  && ok || bad "critical_path.csv header"
if [ "$have_ar" -eq 1 ]; then
  "$hlsim" report ar/results.h5 --csv csv2 > /dev/null || bad "report --csv (allreduce)"
  # a NIC of one device releases a queue of the other
  awk -F, 'NR > 1 && $2 ~ /^d0\./ && $4 ~ /^d1\.NIC/ { f = 1 } END { exit !f }' csv2/stalls.csv \
    && ok || bad "no cross-device release in stalls.csv"
fi

# Perfetto: one arrow per fence wait, from the producer /releases names
runs=att
[ "$have_ar" -eq 1 ] && runs="att ar"
for r in $runs; do
  "$hlsim" export "$r/results.h5" --perfetto "$r.json" > "$r.export.log" || bad "export $r"
  grep -q 'from the producer each /releases row names' "$r.export.log" && ok \
    || bad "export $r: $(tail -1 "$r.export.log")"
  python3 - "$r.json" "$r/report.json" << 'PY' && ok || bad "perfetto arrows of $r"
import json, sys
t = json.load(open(sys.argv[1]))
rep = json.load(open(sys.argv[2]))
ev = t["traceEvents"]
assert t["otherData"]["fence_arrows"] == "producer from /releases"
s = {e["id"]: e for e in ev if e["ph"] == "s"}
f = {e["id"]: e for e in ev if e["ph"] == "f"}
assert set(s) == set(f) and len(s) == rep["stall_attribution"]["fence_waits"], (len(s), len(f))
waits = [e for e in ev if e["ph"] == "X" and e["name"] == "FENCE_WAIT"]
assert len(waits) == len(f)
procs = {e["pid"] for e in ev if e.get("name") == "process_name"}
assert procs == {u["device"] + 1 for u in rep["queues"]}, procs
PY
done
if [ "$have_ar" -eq 1 ]; then
  python3 -c '
import json, sys
ev = json.load(open("ar.json"))["traceEvents"]
s = {e["id"]: e["pid"] for e in ev if e["ph"] == "s"}
f = {e["id"]: e["pid"] for e in ev if e["ph"] == "f"}
sys.exit(0 if any(s[i] != f[i] for i in s) else 1)' && ok || bad "no arrow crosses devices"
  # each device's "NIC sent" counter integrates to the payload bytes its NIC records carry
  python3 - ar.json ar/results.h5 << 'PY' && ok || bad "NIC sent counters"
import json, sys
ev = json.load(open(sys.argv[1]))["traceEvents"]
end = max(e["ts"] + e.get("dur", 0) for e in ev if "ts" in e)
per = {}
for e in ev:
    if e["ph"] == "C" and e["name"] == "NIC sent":
        per.setdefault(e["pid"], []).append((e["ts"], e["args"]["bytes_per_s"]))
assert set(per) == {1, 2}, per.keys()
# a 2-device all-reduce of 1 MiB: each device sends half of it twice (reduce-scatter, all-gather)
for pid, samples in per.items():
    samples.sort()
    total = sum(r * (t1 - t0) * 1e-6 for (t0, r), (t1, _) in zip(samples, samples[1:] + [(end, 0)]))
    assert abs(total - 1048576) < 0.01 * 1048576, (pid, total)
PY
fi

echo "deps e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
