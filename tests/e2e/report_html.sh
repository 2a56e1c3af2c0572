#!/usr/bin/env bash
# `hlsim report RESULTS --html FILE` on the bundled sample: the page is self-contained
# (no http, no src=), holds the report tables and one inline <svg> per plot, and the same
# results give the same bytes. If chromium (or chromium-browser) is installed, the page is
# rendered headless with networking off: the dumped DOM must hold the tables and at least
# three svg elements, and a screenshot must be a PNG. Without chromium the browser check is
# skipped with a message and only the grep checks run.
# argv: HLSIM_EXE WORKDIR TESTS_DIR
set -euo pipefail
hlsim=$1 work=$2
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "FAIL: $*"; exit 1; }
sample="$(dirname "$hlsim")/sample.h5"
[ -f "$sample" ] || fail "bundled sample missing: $sample"

"$hlsim" run "$sample" -o run --no-plot --no-progress > /dev/null
"$hlsim" report run/results.h5 --html page.html > report.txt
cmp report.txt run/report.txt || fail "--html changed the text report on stdout"
"$hlsim" report run/results.h5 --html page2.html > /dev/null
cmp page.html page2.html || fail "two pages of the same results differ"

tables="Run summary|Advice|Bottleneck|Engines|Queues and lower CPs|DMA paths|Top launches|Launches by kernel"
check_tables() { # FILE
  local t
  IFS='|' read -ra names <<< "$tables"
  for t in "${names[@]}"; do
    grep -q "<h2>$t</h2>" "$1" || fail "$1: no \"$t\" section"
  done
  [ "$(grep -c '<table>' "$1")" -ge 8 ] || fail "$1: fewer than 8 tables"
}
check_tables page.html
grep -q '<th>busy \[us\]</th>' page.html || fail "no unit in the engines header"
! grep -qi 'http' page.html || fail "the page refers to http: $(grep -oi 'http[^ ]*' page.html | head -3)"
! grep -qi 'src=' page.html || fail "the page has a src= reference"
grep -q '<link' page.html && fail "the page links an external resource"
svgs=$(grep -o '<svg' page.html | wc -l)
if command -v gnuplot > /dev/null; then
  [ "$svgs" -eq 4 ] || fail "expected 4 inline svg plots, found $svgs"
else
  echo "gnuplot not installed: the plots are notes"
fi

chrome=""
for c in chromium chromium-browser; do
  if command -v "$c" > /dev/null; then chrome=$c; break; fi
done
if [ -z "$chrome" ]; then
  echo "chromium not installed: skipped the browser check"
else
  profile=$(mktemp -d)
  trap 'rm -rf "$profile"' EXIT
  flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
    --disable-background-networking --disable-component-update --disable-sync
    "--user-data-dir=$profile")
  timeout 60 "$chrome" "${flags[@]}" --dump-dom "file://$PWD/page.html" > dom.html \
    2> chromium.log || fail "chromium --dump-dom failed: $(tail -3 chromium.log)"
  check_tables dom.html
  dom_svgs=$(grep -o '<svg' dom.html | wc -l)
  if command -v gnuplot > /dev/null; then
    [ "$dom_svgs" -ge 3 ] || fail "the rendered DOM has $dom_svgs svg elements, want >= 3"
  fi
  timeout 60 "$chrome" "${flags[@]}" --window-size=1400,5000 \
    "--screenshot=$PWD/page.png" "file://$PWD/page.html" 2>> chromium.log ||
    fail "chromium --screenshot failed: $(tail -3 chromium.log)"
  [ -s page.png ] || fail "no screenshot"
  [ "$(head -c 8 page.png | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] ||
    fail "the screenshot is not a PNG"
  echo "chromium: rendered DOM has the tables and $dom_svgs svg elements; screenshot page.png"
fi
echo "report_html: ok"
