#!/usr/bin/env bash
# Echo throughput by muduo's ping-pong method, for each server I/O mode.
#
#   bench/echo.sh                       3 rounds of 16 KiB messages on 1, 100, 1000 connections
#   bench/echo.sh --rounds 5 --scenarios "4096x10 65536x100" --modes "epoll nio" --warmup 2 --duration 10
#
# Per run: `./netloop echo --io MODE` pinned to core 0, the load generator (EchoPingPong, on
# netloop's own epoll client) pinned to core 1, a fresh server each time. Modes alternate
# (A B C A B C ...) so that slow drift of the machine hits every mode alike. Server CPU is
# utime+stime of the server's process (all its threads) over exactly the measured window,
# sampled by the generator from /proc/<pid>/stat. Writes
# bench/results/<date>-echo/{results.md,results.json}, and logs under raw/ (not committed).
# A benchmark, not a test: nothing here judges a number.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=3
modes="epoll epoll-et nio"
scenarios="16384x1 16384x100 16384x1000"   # MESSAGE_BYTESxCONNECTIONS
warmup=3
duration=5
out=""
quiet_wait=30

say() { printf 'echo.sh: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

usage() {
  sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  cat <<'EOF'
Options:
  --rounds N            rounds per (mode, scenario); the table shows medians (default 3)
  --modes "M ..."       server --io modes (default "epoll epoll-et nio")
  --scenarios "SxC ..." message bytes x connections (default "16384x1 16384x100 16384x1000")
  --warmup S            seconds of load before measuring (default 3)
  --duration S          seconds measured (default 5)
  --out DIR             results directory (default bench/results/<yyyy-mm-dd>-echo)
  --quiet-wait S        before each run, wait up to S s for the machine to be idle (default 30; 0: don't)
EOF
}

while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --modes) modes="$2"; shift 2 ;;
    --scenarios) scenarios="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --quiet-wait) quiet_wait="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option $1" ;;
  esac
done
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || die "--rounds wants a positive integer, not '$rounds'"
[[ "$quiet_wait" =~ ^[0-9]+$ ]] || die "--quiet-wait wants whole seconds, not '$quiet_wait'"
for s in $scenarios; do
  [[ "$s" =~ ^[1-9][0-9]*x[1-9][0-9]*$ ]] || die "a scenario is BYTESxCONNECTIONS, like 16384x100; not '$s'"
done

# --- tools ---------------------------------------------------------------------------------

need_pkgs=()
command -v taskset >/dev/null 2>&1 || need_pkgs+=(util-linux)
command -v jq >/dev/null 2>&1 || need_pkgs+=(jq)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  [ "$(id -u)" -eq 0 ] || die "missing ${need_pkgs[*]}; install them (apt-get install ${need_pkgs[*]}) or run as root"
  say "installing ${need_pkgs[*]} ..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
fi
[ "$(nproc --all)" -ge 2 ] || die "needs 2 cores (server on core 0, load on core 1); this machine has $(nproc --all)"

# The same JDK search as the launcher, taken from it rather than copied, so the two cannot drift.
eval "$(sed -n -e '/^min_java=/p' -e '/^java_major() {/,/^}/p' -e '/^find_java() {/,/^}/p' "$root/netloop")"
declare -F find_java >/dev/null || die "could not take find_java from ./netloop; has the launcher changed?"
java="$(find_java)" || die "no JDK ${min_java} or newer found (see ./netloop)"

# --- build ---------------------------------------------------------------------------------

bench_jar="$root/bench/target/netloop-bench.jar"
stamp="$root/bench/target/.echo-bench-built"
stale() {
  [ -f "$bench_jar" ] && [ -f "$root/cli/target/netloop.jar" ] && [ -f "$stamp" ] || return 0
  [ -n "$(find "$root" -path "$root/.git" -prune -o \( -path '*/src/main/*' -o -name pom.xml \) \
          -type f -newer "$stamp" -print -quit)" ]
}
if stale; then
  say "building ..."
  (cd "$root" && mvn -B -q -DskipTests package >"$root/.build.log" 2>&1) || {
    tail -n 40 "$root/.build.log" >&2; die "the build failed; the whole log is in .build.log"; }
  touch "$stamp"
  # Maven leaves cli/target/netloop.jar untouched when cli itself did not change, and the
  # launcher then finds a newer source in bench/ and rebuilds at every start, inside our runs.
  touch "$root/cli/target/netloop.jar"
fi

# --- limits --------------------------------------------------------------------------------

max_conns=0
for s in $scenarios; do
  if [ "${s#*x}" -gt "$max_conns" ]; then max_conns="${s#*x}"; fi
done
fds=$((max_conns + 256))   # sockets plus the JVM's own jars, pipes and epoll/eventfd descriptors
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$fds" ]; then
  ulimit -n "$fds" 2>/dev/null || die "$max_conns connections need ulimit -n >= $fds; the hard limit is $(ulimit -Hn)"
fi

# --- output --------------------------------------------------------------------------------

out="${out:-$root/bench/results/$(date +%F)-echo}"
raw="$out/raw"
mkdir -p "$raw"
runs="$raw/runs.jsonl"
: >"$runs"

# --- server processes ----------------------------------------------------------------------

server_pid=""
client_pid=""

# Stops the server with SIGTERM; sets stopped_in to the seconds it took, or "killed" after 5 s
# (a clean stop takes a tenth of a second; a hung one would wait out its loop's 30 s timeout).
# Not meant for $(...): only this shell, the server's parent, can wait for it.
stop_server() {
  local pid="$1" t0 waited=0
  t0=$(date +%s.%N)
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$waited" -ge 50 ]; then
      kill -KILL "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
      stopped_in=killed
      return
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  wait "$pid" 2>/dev/null || true
  stopped_in="$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')"
}

cleanup() {
  [ -n "$client_pid" ] && kill -TERM "$client_pid" 2>/dev/null || true
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    say "stopping server $server_pid"
    stop_server "$server_pid"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Starts `./netloop echo` on a free port pinned to core 0; sets server_pid and server_port.
start_server() {
  local mode="$1" log="$2" i
  # Created here, since the background job below may not have opened them by the first look.
  : >"$log.out"
  : >"$log.err"
  # taskset and the launcher both exec, so $! ends up being the server's JVM itself.
  taskset -c 0 "$root/netloop" echo --port 0 --io "$mode" >"$log.out" 2>"$log.err" &
  server_pid=$!
  for ((i = 0; i < 600; i++)); do
    server_port="$(sed -n -E 's/.*listening on .*:([0-9]+) .*/\1/p' "$log.out")"
    [ -n "$server_port" ] && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$log.err" >&2; die "the $mode server exited before listening"; }
    sleep 0.1
  done
  [ -n "$server_port" ] || die "no banner from the $mode server within 60 s (log: $log.err)"
  [ "$(cat "/proc/$server_pid/comm")" = java ] || die "pid $server_pid is $(cat "/proc/$server_pid/comm"), not the JVM"
}

# Busy CPUs over the last second, from the idle time /proc/uptime sums over all CPUs.
busy_cpus() {
  local a b
  a="$(cut -d' ' -f2 /proc/uptime)"; sleep 1; b="$(cut -d' ' -f2 /proc/uptime)"
  awk -v n="$(nproc --all)" -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", n - (b - a) }'
}

# On a shared machine someone else's build can take a core from a run: wait a little for a lull.
wait_for_quiet() {
  local waited=0 busy
  while [ "$waited" -lt "$quiet_wait" ]; do
    busy="$(busy_cpus)"
    awk -v b="$busy" 'BEGIN { exit !(b < 0.2) }' && return
    if [ "$waited" -eq 0 ]; then say "the machine is busy ($busy CPUs in use); waiting up to $quiet_wait s"; fi
    waited=$((waited + 1))
  done
  say "still busy after $quiet_wait s; running anyway (see the noisy column)"
}

# One measured run; appends a JSON object to $runs.
run_one() {
  local mode="$1" bytes="$2" conns="$3" round="$4"
  local tag="r$round-$mode-${bytes}x$conns" load rc=0 exceptions
  if [ "$quiet_wait" -gt 0 ]; then wait_for_quiet; fi
  load="$(cut -d' ' -f1 /proc/loadavg)"
  start_server "$mode" "$raw/$tag.server"
  taskset -c 1 "$java" --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -jar "$bench_jar" \
    --port "$server_port" --connections "$conns" --size "$bytes" --warmup "$warmup" --duration "$duration" \
    --server-pid "$server_pid" >"$raw/$tag.client.json" 2>"$raw/$tag.client.err" &
  client_pid=$!
  wait "$client_pid" || rc=$?
  client_pid=""
  stop_server "$server_pid"
  server_pid=""
  exceptions="$(grep -c -E 'Exception|Error' "$raw/$tag.server.err" || true)"
  if ! jq -e . "$raw/$tag.client.json" >/dev/null 2>&1; then
    say "$tag: the load generator printed no result (exit $rc):"
    tail -n 5 "$raw/$tag.client.err" >&2
    echo '{}' >"$raw/$tag.client.json"
  fi
  jq -c --arg mode "$mode" --argjson round "$round" --argjson exit "$rc" --arg stop "$stopped_in" \
        --argjson exceptions "$exceptions" --argjson load "$load" '
      . + {mode: $mode, round: $round, clientExit: $exit, serverStop: $stop,
           serverLogExceptions: $exceptions, loadavg1: $load}
      | .serverCpuUsPerMiB = (if .serverCpuSeconds != null and (.bytes // 0) > 0
                              then .serverCpuSeconds * 1e6 / (.bytes / 1048576) else null end)
      | .otherCpuSeconds = (if .machineCpuSeconds != null and .serverCpuSeconds != null
                            then .machineCpuSeconds - .serverCpuSeconds - .clientCpuSeconds else null end)' \
     "$raw/$tag.client.json" >>"$runs"
  tail -n 1 "$runs" | jq -r '"\(.mode)\t\(.connections) x \(.messageBytes) B\t\(.mibPerSec // "-") MiB/s\tserver \(.serverCpuSeconds // "-") s CPU\terrors \(.errors // "?")\tstop \(.serverStop)"' >&2
}

# --- the runs ------------------------------------------------------------------------------

n_runs=$(( rounds * $(wc -w <<<"$scenarios") * $(wc -w <<<"$modes") ))
say "$n_runs runs of ${warmup}+${duration} s; results in ${out#"$root"/}"
started="$(date -u +%FT%TZ)"
load_before="$(cat /proc/loadavg)"
for ((r = 1; r <= rounds; r++)); do
  for s in $scenarios; do
    for m in $modes; do
      run_one "$m" "${s%x*}" "${s#*x}" "$r"
    done
  done
done
load_after="$(cat /proc/loadavg)"

# --- the report ----------------------------------------------------------------------------

java_version="$("$java" -version 2>&1)"
cpu_model="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
git -C "$root" diff --quiet HEAD 2>/dev/null || commit="$commit (with uncommitted changes)"

jq -n --slurpfile runs "$runs" --arg started "$started" --arg commit "$commit" \
   --arg nproc "$(nproc --all)" --arg cpu "$cpu_model" --arg kernel "$(uname -r)" --arg java "$java_version" \
   --arg loadBefore "$load_before" --arg loadAfter "$load_after" \
   --argjson rounds "$rounds" --arg modes "$modes" --arg scenarios "$scenarios" \
   --argjson warmup "$warmup" --argjson duration "$duration" '
  def median: sort | if length == 0 then null
                     elif length % 2 == 1 then .[length / 2 | floor]
                     else (.[length / 2 - 1] + .[length / 2]) / 2 end;
  {
    started: $started, commit: $commit,
    machine: {nproc: ($nproc | tonumber), cpu: $cpu, kernel: $kernel, java: $java,
              loadavgBefore: $loadBefore, loadavgAfter: $loadAfter},
    parameters: {rounds: $rounds, modes: ($modes | split(" ") | map(select(. != ""))),
                 scenarios: ($scenarios | split(" ") | map(select(. != ""))),
                 warmupSeconds: $warmup, durationSeconds: $duration,
                 serverCpu: "utime+stime of /proc/<server pid>/stat, all threads, over the measured window",
                 pinning: "server on core 0, load generator on core 1"},
    medians: ($runs | group_by([.messageBytes, .connections, .mode]) | map({
      mode: .[0].mode, connections: .[0].connections, messageBytes: .[0].messageBytes, runs: length,
      mibPerSec: (map(.mibPerSec) | median), mibPerSecMin: (map(.mibPerSec) | min),
      mibPerSecMax: (map(.mibPerSec) | max), messagesPerSec: (map(.messagesPerSec) | median),
      serverCpuSeconds: (map(.serverCpuSeconds) | median), serverCpuUsPerMiB: (map(.serverCpuUsPerMiB) | median),
      clientCpuSeconds: (map(.clientCpuSeconds) | median), otherCpuSeconds: (map(.otherCpuSeconds) | median),
      seconds: (map(.seconds) | median), errors: (map(.errors // 1) | add),
      starvedRuns: (map(select(.minConnMessages == 0)) | length),
      killedServers: (map(select(.serverStop == "killed")) | length),
      noisyRuns: (map(select(.otherCpuSeconds != null and .otherCpuSeconds > 0.2 * .seconds)) | length),
      serverLogExceptions: (map(.serverLogExceptions) | add)
    })),
    runs: $runs
  }' >"$out/results.json"

{
  echo "# Echo throughput, ping-pong ($(date -u -d "$started" +%F))"
  echo
  echo "\`bench/echo.sh --rounds $rounds --modes \"$modes\" --scenarios \"$scenarios\" --warmup $warmup --duration $duration\`"
  echo "at commit $commit. Each (mode, scenario) ran $rounds times, modes interleaved, a fresh server per run;"
  echo "the table shows medians over the rounds (MiB/s also its range)."
  echo
  echo "| connections | message | server | MiB/s | MiB/s range | messages/s | server CPU s | server busy | server µs/MiB | client CPU s | other CPU s | noisy | errors |"
  echo "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for s in $scenarios; do
    for m in $modes; do
      jq -r --arg m "$m" --argjson b "${s%x*}" --argjson c "${s#*x}" '
        def f(d): if . == null then "-" else (. * pow(10; d) | round) / pow(10; d) | tostring end;
        .medians[] | select(.mode == $m and .messageBytes == $b and .connections == $c)
        | "| \(.connections) | \(.messageBytes) B | \(.mode) | \(.mibPerSec | f(1)) | \(.mibPerSecMin | f(0))–\(.mibPerSecMax | f(0)) | \(.messagesPerSec | f(0)) | \(.serverCpuSeconds | f(2)) | \(if .serverCpuSeconds == null then "-" else (.serverCpuSeconds / .seconds * 100 | round | tostring) + " %" end) | \(.serverCpuUsPerMiB | f(0)) | \(.clientCpuSeconds | f(2)) | \(.otherCpuSeconds | f(2)) | \(.noisyRuns)/\(.runs) | \(.errors) |"' \
        "$out/results.json"
    done
  done
  echo
  echo "- **MiB/s**: echoed bytes received by the client per second of the ${duration} s window (after ${warmup} s of warm-up);"
  echo "  messages/s counts completed round trips of one message."
  echo "- **server CPU s**: utime+stime of the server JVM (\`/proc/<pid>/stat\`, process-wide, so every thread:"
  echo "  loop, GC, JIT) between the start and the end of the window, sampled by the load generator; resolution one"
  echo "  clock tick (10 ms). **server busy** is that over the window (100 % = core 0 saturated). **server µs/MiB** is"
  echo "  server CPU per MiB echoed: the efficiency figure, meaningful even when the client is the bottleneck."
  echo "- **client CPU s**: the load generator's own CPU time (one epoll loop thread on core 1). Near the window length"
  echo "  means the client, not the server, limited the run."
  echo "- **other CPU s**: CPU used on the whole machine in the window (all CPUs x window - idle time from"
  echo "  \`/proc/uptime\`) minus server and client: other processes, plus kernel work charged to neither."
  echo "  **noisy** counts the runs where that exceeded a fifth of a core (each run first waits up to"
  echo "  ${quiet_wait} s for an idle machine). The medians include noisy runs; results.json has every run."
  echo
  echo "Anomalies over all runs: $(jq -r '[.medians[] | .starvedRuns] | add' "$out/results.json") run(s) with a"
  echo "connection that completed no round trip in the window, $(jq -r '[.medians[] | .killedServers] | add' "$out/results.json")"
  echo "server(s) not stopped 5 s after SIGTERM (then killed), $(jq -r '[.medians[] | .serverLogExceptions] | add' "$out/results.json")"
  echo "exception line(s) in server logs, $(jq -r '[.medians[] | .errors] | add' "$out/results.json") client-reported error(s)."
  echo
  echo "## Machine"
  echo
  echo "- nproc: $(nproc --all); CPU: $cpu_model"
  echo "- kernel: $(uname -r)"
  echo "- load average before: $load_before; after: $load_after"
  echo "- java -version:"
  echo
  echo '```'
  echo "$java_version"
  echo '```'
} >"$out/results.md"

cat "$out/results.md"
say "wrote ${out#"$root"/}/results.md and results.json (logs in ${raw#"$root"/}, not committed)"
