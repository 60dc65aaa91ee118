#!/usr/bin/env bash
# bench/charts.sh DIR: draws DIR/charts/*.png from DIR/results.json, as written by bench/http.sh
# (bars per scenario and peer, one chart per connection count), bench/echo.sh (bars per connection
# count and peer, one chart per message size and loops), bench/iomodels.sh (lines over idle
# connections, one per model) or bench/idle.sh (bars per idle-connection count and peer), and
# prints the markdown image lines. Run by those scripts;
# run it by hand to (re)draw the charts of an older results directory.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
me=charts.sh
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"

dir="${1:?usage: bench/charts.sh RESULTS_DIR}"
json="$dir/results.json"
[ -f "$json" ] || die "no $json"
[ -n "${java:-}" ] || ensure_tools
[ -f "$bench_jar" ] || die "no $bench_jar: build first (mvn -DskipTests package, or any ./netloop bench)"
mkdir -p "$dir/charts"

# draw KIND NAME ARGS... < rows
draw() {
  local kind="$1" name="$2"; shift 2
  if "$java" -cp "$bench_jar" io.netloop.bench.Charts "$kind" --out "$dir/charts/$name.png" "$@" 2>"$dir/charts/.err"; then
    echo "![$name]($(basename "$dir")/charts/$name.png)" | sed "s|^!\[\(.*\)\](.*/charts/|![\1](charts/|"
  else
    say "could not draw charts/$name.png: $(tail -n 1 "$dir/charts/.err")"
  fi
  rm -f "$dir/charts/.err"
}

if jq -e '.medians | length == 0' "$json" >/dev/null 2>&1; then
  say "no run of $json was measured: no charts"   # every run failed; the report says why
elif jq -e '.medians[0] | has("messageBytes") and has("peer")' "$json" >/dev/null 2>&1; then
  # bench/echo.sh: per message size and server variant, bars per connection count and peer.
  jq -r '.medians | map("\(.messageBytes) \(.threads) \(.accept)") | unique | .[]' "$json" | while read -r b t a; do
    name="s$b-t$t"; [ "$t" -eq 1 ] || name="$name-$a"
    jq -r --argjson b "$b" --argjson t "$t" --arg a "$a" '.medians[] | select(.messageBytes == $b and .threads == $t and .accept == $a)
        | "\(.connections) conns\t\(.peer)\t\(.mibPerSec // "null")"' "$json" |
      draw bar "$name-mibps" --title "echo ping-pong, $b B messages, $t loop(s): MiB/s (median)" --y-label "MiB/s"
    jq -r --argjson b "$b" --argjson t "$t" --arg a "$a" '.medians[] | select(.messageBytes == $b and .threads == $t and .accept == $a)
        | "\(.connections) conns\t\(.peer)\t\(.serverCpuUsPerMiB // "null")"' "$json" |
      draw bar "$name-cpu" --title "echo ping-pong, $b B messages, $t loop(s): server CPU µs per MiB (lower is better)" --y-label "µs per MiB"
  done
elif jq -e '.medians[0] | has("idleConnections")' "$json" >/dev/null 2>&1; then
  # bench/idle.sh: bars per idle-connection count and peer, memory per connection.
  jq -r '.medians[] | "\(.idleConnections) idle\t\(.peer)\t\(.rssBytesPerConnection // "null")"' "$json" |
    draw bar rss --title "idle keep-alive connections: RSS growth per connection, bytes (median; lower is better)" --y-label "bytes per connection"
  if jq -e '[.medians[] | select(.heapBytesPerConnection != null)] | length > 0' "$json" >/dev/null; then
    jq -r '.medians[] | select(.heapBytesPerConnection != null) | "\(.idleConnections) idle\t\(.peer)\t\(.heapBytesPerConnection)"' "$json" |
      draw bar heap --title "idle keep-alive connections: live heap per connection after a full GC, bytes (JVM peers)" --y-label "bytes per connection"
  fi
elif jq -e '.medians[0] | has("peer")' "$json" >/dev/null 2>&1; then
  for c in $(jq -r '[.medians[].connections] | unique | .[]' "$json"); do
    jq -r --argjson c "$c" '.medians[] | select(.connections == $c) | "\(.scenario)\t\(.peer)\t\(.requestsPerSec // "null")"' "$json" |
      draw bar "c$c-requests" --title "HTTP, $c connections: requests/s (median)" --y-label "requests/s"
    jq -r --argjson c "$c" '.medians[] | select(.connections == $c) | "\(.scenario)\t\(.peer)\t\(.serverCpuUsPerRequest // "null")"' "$json" |
      draw bar "c$c-cpu" --title "HTTP, $c connections: server CPU µs per request (lower is better)" --y-label "µs per request"
  done
elif jq -e '.medians[0] | has("model")' "$json" >/dev/null 2>&1; then
  active="$(jq -r '.parameters.active' "$json")"
  jq -r '.medians[] | "\(.model)\t\(.idle)\t\(.requestsPerSec // "null")"' "$json" |
    draw line requests --title "requests/s beside idle connections ($active active)" --x-label "idle connections" --y-label "requests/s"
  jq -r '.medians[] | "\(.model)\t\(.idle)\t\(.serverCpuUsPerRequest // "null")"' "$json" |
    draw line cpu --title "server CPU µs per request beside idle connections (log scale)" --x-label "idle connections" --y-label "µs per request" --log-y
else
  die "$json is not bench/http.sh's, bench/echo.sh's, bench/iomodels.sh's or bench/idle.sh's"
fi
