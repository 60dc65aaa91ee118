#!/usr/bin/env bash
# ./netloop bench [SCENARIO...] [-- HARNESS OPTIONS]: the lab in one command. Installs what it
# needs (scripts/install-bench-deps.sh), builds, runs the harnesses and writes
# bench/results/<date>-<name>/ (results.md, results.json, charts/*.png).
#
# Scenarios (default: all but smoke):
#   plaintext pipelined short static static1m   HTTP peers under wrk (bench/http.sh), in one run
#   static-short static-log                     the same: 4 KiB with Connection: close; 4 KiB with an access log
#   echo                                        16 KiB ping-pong at 1, 100, 1000 connections, netloop
#                                               against Netty and the C floor (bench/echo.sh)
#   accept                                      connections accepted per second (bench/accept.sh)
#   iomodels                                    the I/O-model lab with idle connections (bench/iomodels.sh)
#   idle                                        memory per idle keep-alive connection at 1k, 5k, 15k: netloop,
#                                               Netty, nginx-tuned, the floor (bench/idle.sh)
#   jmh                                         JMH microbenchmarks: HTTP parser, Buffer, timing wheel
#   smoke                                       every harness for a second or two: proves the harness
#                                               works, measures nothing (what CI runs)
# Options after -- go to every harness that runs (e.g. -- --rounds 1 --duration 5).
#
#   ./netloop bench                       everything (hours on a 2-core machine)
#   ./netloop bench plaintext static -- --peers "netloop nginx floor"
#   ./netloop bench iomodels -- --idle "0 10000"
#   ./netloop bench idle -- --counts "1000 10000" --rounds 1
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
me=bench
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"

http=() others=() extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --) shift; extra=("$@"); break ;;
    -h|--help|help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "${BASH_SOURCE[0]}"; exit 0 ;;
    plaintext|pipelined|short|static|static1m|static-short|static-log) http+=("$1") ;;
    echo|accept|iomodels|idle|jmh|smoke) others+=("$1") ;;
    *) die "unknown scenario '$1'; see ./netloop bench --help" ;;
  esac
  shift
done
if [ ${#http[@]} -eq 0 ] && [ ${#others[@]} -eq 0 ]; then
  http=(plaintext pipelined short static static1m static-short static-log)
  others=(echo accept iomodels idle jmh)
fi

"$root/scripts/install-bench-deps.sh"
ensure_tools
build_if_stale

# JMH: every benchmark (or those the extra options select), JSON and a table.
run_jmh() {
  local out
  out="$(default_out jmh)"
  mkdir -p "$out"
  say "JMH into ${out#"$root"/}"
  "$java" "${netloop_jvm[@]}" -cp "$bench_jar" org.openjdk.jmh.Main \
    -jvmArgs "${netloop_jvm[*]}" -rf json -rff "$out/results.json" "$@" | tee "$out/raw.txt"
  {
    echo "# JMH microbenchmarks ($(date -u +%F))"
    echo
    echo "\`./netloop bench jmh${*:+ -- $*}\` at commit $(git -C "$root" rev-parse --short HEAD), $("$java" -version 2>&1 | head -n 1)."
    echo "Both cores shared by JMH's fork and whatever else ran: compare within one run."
    echo
    echo '```'
    sed -n '/^Benchmark /,$p' "$out/raw.txt"
    echo '```'
  } >"$out/results.md"
}

# Every harness, a second or two each, into a scratch directory; fails when one fails or measures
# nothing. Uses the peers that need nothing more than the bench dependencies: netloop and the floor
# (and, for echo, Netty, which is in the bench module).
run_smoke() {
  local dir
  dir="$(mktemp -d "${TMPDIR:-/tmp}/netloop-bench-smoke.XXXXXX")"
  "$root/bench/http.sh" --peers "netloop floor" --scenarios "plaintext pipelined short static" --connections 8 \
    --rounds 1 --warmup 0 --duration 1 --quiet-wait 0 --out "$dir/http" >"$dir/http.log" 2>&1 ||
    { tail -n 30 "$dir/http.log" >&2; die "smoke: bench/http.sh failed (log above)"; }
  jq -e '([.medians[] | select((.requestsPerSec // 0) > 0 and .errors == 0)] | length == 8) and (.invalidRuns | length == 0)' \
      "$dir/http/results.json" >/dev/null ||
    { jq -c '(.medians[] | {peer, scenario, requestsPerSec, errors}), .invalidRuns[]' "$dir/http/results.json" >&2; die "smoke: bench/http.sh measured nothing for some peer or scenario"; }
  "$root/bench/echo.sh" --peers "netloop netty floor" --scenarios 16384x10 --rounds 1 --warmup 0.5 --duration 1 \
    --quiet-wait 0 --retries 0 --out "$dir/echo" >"$dir/echo.log" 2>&1 ||
    { tail -n 30 "$dir/echo.log" >&2; die "smoke: bench/echo.sh failed (log above)"; }
  jq -e '[.medians[] | select((.mibPerSec // 0) > 0 and .errors == 0)] | length == 3' "$dir/echo/results.json" >/dev/null ||
    { jq -c '.medians[] | {peer, mibPerSec, errors}' "$dir/echo/results.json" >&2; die "smoke: bench/echo.sh measured nothing for some peer"; }
  "$root/bench/iomodels.sh" --models "blocking poll epoll" --idle "0 50" --rounds 1 --warmup 0 --duration 1 \
    --quiet-wait 0 --retries 0 --out "$dir/iomodels" >"$dir/iomodels.log" 2>&1 ||
    { tail -n 30 "$dir/iomodels.log" >&2; die "smoke: bench/iomodels.sh failed (log above)"; }
  jq -e '[.medians[] | select((.requestsPerSec // 0) > 0)] | length == 6' "$dir/iomodels/results.json" >/dev/null ||
    die "smoke: bench/iomodels.sh measured nothing for some model"
  [ -s "$dir/iomodels/charts/requests.png" ] && [ -s "$dir/http/charts/c8-requests.png" ] &&
    [ -s "$dir/echo/charts/s16384-t1-mibps.png" ] ||
    die "smoke: a chart is missing"
  "$java" "${netloop_jvm[@]}" -cp "$bench_jar" org.openjdk.jmh.Main -f 0 -wi 0 -i 1 -r 200ms \
    -p shape=wrk 'HttpParserBench' >"$dir/jmh.log" 2>&1 ||
    { tail -n 30 "$dir/jmh.log" >&2; die "smoke: JMH failed (log above)"; }
  grep -q '^HttpParserBench.parse ' "$dir/jmh.log" || die "smoke: JMH printed no result"
  smoke_lean "$dir"
  say "smoke: http.sh, echo.sh, iomodels.sh, idle.sh, charts and JMH work (nothing measured; scratch in $dir)"
}

# Issue 15's pieces of the lab, each for a second or two into DIR: nginx-tuned, static-short and
# static-log (whose access log must have been counted), idle.sh with a few dozen connections per
# peer; and shellcheck over the harness scripts.
smoke_lean() {
  local dir="$1"
  "$root/bench/http.sh" --peers "netloop nginx-tuned" --scenarios "static-short static-log" --connections 8 \
    --rounds 1 --warmup 0 --duration 1 --quiet-wait 0 --out "$dir/http-lean" >"$dir/http-lean.log" 2>&1 ||
    { tail -n 30 "$dir/http-lean.log" >&2; die "smoke: bench/http.sh (nginx-tuned, static-short, static-log) failed (log above)"; }
  jq -e '([.medians[] | select((.requestsPerSec // 0) > 0 and .errors == 0)] | length == 4) and (.invalidRuns | length == 0)
         and ([.medians[] | select(.scenario == "static-log" and (.accessLog.lines // 0) > 0)] | length == 2)' \
      "$dir/http-lean/results.json" >/dev/null ||
    { jq -c '(.medians[] | {peer, scenario, requestsPerSec, errors, accessLog}), .invalidRuns[]' "$dir/http-lean/results.json" >&2
      die "smoke: bench/http.sh measured nothing (or counted no access log) for some peer or scenario"; }
  "$root/bench/idle.sh" --counts "20 50" --rounds 1 --warm 10 --settle 0.2 --quiet-wait 0 \
    --out "$dir/idle" >"$dir/idle.log" 2>&1 ||
    { tail -n 30 "$dir/idle.log" >&2; die "smoke: bench/idle.sh failed (log above)"; }
  jq -e '([.medians[] | select(.held == .idleConnections and .rssBytesPerConnection != null)] | length == 8)
         and ([.medians[] | select(.heapBytesPerConnection != null)] | length == 4) and (.invalidRuns | length == 0)' \
      "$dir/idle/results.json" >/dev/null ||
    { jq -c '(.medians[] | {peer, idleConnections, held, rssBytesPerConnection, heapBytesPerConnection}), .invalidRuns[]' \
        "$dir/idle/results.json" >&2; die "smoke: bench/idle.sh measured nothing for some peer or count"; }
  [ -s "$dir/idle/charts/rss.png" ] && [ -s "$dir/idle/charts/heap.png" ] || die "smoke: an idle.sh chart is missing"
  # SC2194: `case " a b c " in *" $x "*)` is a membership test on purpose (iomodels.sh).
  (cd "$root" && shellcheck -x -S warning -e SC2194 bench/run.sh bench/http.sh bench/echo.sh bench/accept.sh bench/iomodels.sh \
      bench/idle.sh bench/charts.sh bench/floor/build.sh scripts/install-bench-deps.sh) >"$dir/shellcheck.log" 2>&1 ||
    { cat "$dir/shellcheck.log" >&2; die "smoke: shellcheck found problems in the harness scripts (above)"; }
}

if [ ${#http[@]} -gt 0 ]; then "$root/bench/http.sh" --scenarios "${http[*]}" "${extra[@]}"; fi
for s in "${others[@]}"; do
  case "$s" in
    echo) "$root/bench/echo.sh" "${extra[@]}" ;;
    accept) "$root/bench/accept.sh" "${extra[@]}" ;;
    iomodels) "$root/bench/iomodels.sh" "${extra[@]}" ;;
    idle) "$root/bench/idle.sh" "${extra[@]}" ;;
    jmh) run_jmh "${extra[@]}" ;;
    smoke) run_smoke ;;
  esac
done
