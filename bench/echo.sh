#!/usr/bin/env bash
# Echo throughput by muduo's ping-pong method, for each server I/O mode and number of loops.
#
#   bench/echo.sh                       3 rounds of 16 KiB messages on 1, 100, 1000 connections
#   bench/echo.sh --rounds 5 --scenarios "4096x10 65536x100" --modes "epoll nio" --warmup 2 --duration 10
#   bench/echo.sh --modes epoll --scenarios "16384x100 16384x1000" --threads "1 2" --accept "handoff reuseport"
#
# Per run: a fresh `./netloop echo --io MODE --threads N --accept A` and the load generator
# (EchoPingPong, on netloop's own epoll client). With one loop the server is pinned to core 0
# and the generator to core 1; with more loops than that leaves cores (2 on a 2-core machine)
# both run unpinned and share the cores (--pin none: never pin). Variants alternate
# (A B C A B C ...) so that slow drift of the machine hits every one alike; a run that others'
# load disturbed (over a fifth of a core not ours) is repeated up to --retries times. Server CPU is
# utime+stime of the server's process (all its threads) over exactly the measured window,
# sampled by the generator from /proc/<pid>/stat, and per loop thread from /proc/<pid>/task.
# Writes bench/results/<date>-echo/{results.md,results.json} (-2, -3... when that exists),
# and logs under raw/ (not committed). A benchmark, not a test: nothing here judges a number.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
me=echo.sh
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"

rounds=3
modes="epoll epoll-et nio"
scenarios="16384x1 16384x100 16384x1000"   # MESSAGE_BYTESxCONNECTIONS
threads_list="1"
accepts="handoff"
pin=auto
warmup=3
duration=5
out=""
quiet_wait=30

usage() {
  sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  cat <<'EOF2'
Options:
  --rounds N            rounds per variant; the table shows medians (default 3)
  --modes "M ..."       server --io modes (default "epoll epoll-et nio")
  --scenarios "SxC ..." message bytes x connections (default "16384x1 16384x100 16384x1000")
  --threads "N ..."     server --threads values (default "1")
  --accept "A ..."      server --accept modes for N > 1 (default "handoff"; one loop runs once, handoff)
  --pin auto|none       auto: a 1-loop server on core 0, the generator on core 1, the rest unpinned (default)
  --warmup S            seconds of load before measuring (default 3)
  --duration S          seconds measured (default 5)
  --out DIR             results directory (default bench/results/<yyyy-mm-dd>-echo)
  --quiet-wait S        before each run, wait up to S s for the machine to be idle (default 30; 0: don't)
  --retries N           repeat a noisy run up to N times, keeping the last attempt (default 2)
EOF2
}

while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --modes) modes="$2"; shift 2 ;;
    --scenarios) scenarios="$2"; shift 2 ;;
    --threads) threads_list="$2"; shift 2 ;;
    --accept) accepts="$2"; shift 2 ;;
    --pin) pin="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --quiet-wait) quiet_wait="$2"; shift 2 ;;
    --retries) retries="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option $1" ;;
  esac
done
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || die "--rounds wants a positive integer, not '$rounds'"
[[ "$quiet_wait" =~ ^[0-9]+$ ]] || die "--quiet-wait wants whole seconds, not '$quiet_wait'"
[[ "$retries" =~ ^[0-9]+$ ]] || die "--retries wants a whole number, not '$retries'"
[[ "$pin" =~ ^(auto|none)$ ]] || die "--pin wants auto or none, not '$pin'"
for s in $scenarios; do
  [[ "$s" =~ ^[1-9][0-9]*x[1-9][0-9]*$ ]] || die "a scenario is BYTESxCONNECTIONS, like 16384x100; not '$s'"
done
for t in $threads_list; do [[ "$t" =~ ^[1-9][0-9]*$ ]] || die "--threads wants positive integers, not '$t'"; done
for a in $accepts; do [[ "$a" =~ ^(handoff|reuseport)$ ]] || die "--accept wants handoff or reuseport, not '$a'"; done

# Server variants as THREADS/ACCEPT; one loop accepts the same way in both modes, so it runs once.
variants=""
for t in $threads_list; do
  if [ "$t" -eq 1 ]; then variants+=" 1/handoff"; else for a in $accepts; do variants+=" $t/$a"; done; fi
done

ensure_tools
build_if_stale

max_conns=0
for s in $scenarios; do
  if [ "${s#*x}" -gt "$max_conns" ]; then max_conns="${s#*x}"; fi
done
# sockets plus the JVM's own jars, pipes and epoll/eventfd descriptors
raise_fd_limit $((max_conns + 256))

out="${out:-$(default_out echo)}"
raw="$out/raw"
mkdir -p "$raw"
runs="$raw/runs.jsonl"
: >"$runs"
: >"$raw/noisy.jsonl"

trap cleanup EXIT
trap 'exit 130' INT TERM


# One measured run; appends a JSON object to $runs.
run_one() {
  local mode="$1" bytes="$2" conns="$3" threads="$4" accept="$5" round="$6"
  local tag="r$round-$mode-t$threads-$accept-${bytes}x$conns" load rc=0 exceptions scpus ccpus
  read -r scpus ccpus <<<"$(placement "$pin" "$threads")"
  [ "$scpus" = - ] && scpus=""
  [ "$ccpus" = - ] && ccpus=""
  wait_for_quiet "$quiet_wait"
  load="$(cut -d' ' -f1 /proc/loadavg)"
  start_server "$raw/$tag.server" "$scpus" --io "$mode" --threads "$threads" --accept "$accept"
  exec_on_cpus "$ccpus" "$java" --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -jar "$bench_jar" \
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
  jq -c --arg mode "$mode" --argjson threads "$threads" --arg accept "$accept" --argjson round "$round" \
        --argjson exit "$rc" --arg stop "$stopped_in" --argjson exceptions "$exceptions" --argjson load "$load" \
        --arg scpus "${scpus:-any}" --arg ccpus "${ccpus:-any}" '
      . + {mode: $mode, threads: $threads, accept: $accept, round: $round, clientExit: $exit, serverStop: $stop,
           serverLogExceptions: $exceptions, loadavg1: $load, serverCpus: $scpus, clientCpus: $ccpus}
      | .serverCpuUsPerMiB = (if .serverCpuSeconds != null and (.bytes // 0) > 0
                              then .serverCpuSeconds * 1e6 / (.bytes / 1048576) else null end)
      | .otherCpuSeconds = (if .machineCpuSeconds != null and .serverCpuSeconds != null
                            then .machineCpuSeconds - .serverCpuSeconds - .clientCpuSeconds else null end)' \
     "$raw/$tag.client.json" >>"$runs"
  tail -n 1 "$runs" | jq -r '"\(.mode) \(.threads)/\(.accept)\t\(.connections) x \(.messageBytes) B\t\(.mibPerSec // "-") MiB/s\tserver \(.serverCpuSeconds // "-") s CPU \(.serverLoopCpuSeconds // {} | [.[]] | map(tostring) | join("/"))\terrors \(.errors // "?")\tstop \(.serverStop)"' >&2
}

# --- the runs ------------------------------------------------------------------------------

n_runs=$(( rounds * $(wc -w <<<"$scenarios") * $(wc -w <<<"$variants") * $(wc -w <<<"$modes") ))
say "$n_runs runs of ${warmup}+${duration} s; results in ${out#"$root"/}"
started="$(date -u +%FT%TZ)"
load_before="$(cat /proc/loadavg)"
for ((r = 1; r <= rounds; r++)); do
  for s in $scenarios; do
    for v in $variants; do
      for m in $modes; do
        measure run_one "$m" "${s%x*}" "${s#*x}" "${v%/*}" "${v#*/}" "$r"
      done
    done
  done
done
load_after="$(cat /proc/loadavg)"

# --- the report ----------------------------------------------------------------------------

describe_machine
server_cmd="./netloop echo --port 0 --io MODE --threads N --accept A"
client_cmd="java --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -jar bench/target/netloop-bench.jar --port PORT --connections C --size S --warmup $warmup --duration $duration --server-pid PID"

jq -n --slurpfile runs "$runs" --slurpfile discarded "$raw/noisy.jsonl" --arg started "$started" --arg commit "$commit" \
   --arg nproc "$(nproc --all)" --arg cpu "$cpu_model" --arg kernel "$(uname -r)" --arg java "$java_version" \
   --arg loadBefore "$load_before" --arg loadAfter "$load_after" \
   --argjson rounds "$rounds" --arg modes "$modes" --arg scenarios "$scenarios" --arg variants "$variants" \
   --arg pin "$pin" --arg serverCmd "$server_cmd" --arg clientCmd "$client_cmd" \
   --argjson warmup "$warmup" --argjson duration "$duration" "$jq_defs"'
  def words: split(" ") | map(select(. != ""));
  {
    started: $started, commit: $commit,
    machine: {nproc: ($nproc | tonumber), cpu: $cpu, kernel: $kernel, java: $java,
              loadavgBefore: $loadBefore, loadavgAfter: $loadAfter},
    parameters: {rounds: $rounds, modes: ($modes | words), scenarios: ($scenarios | words),
                 serverVariants: ($variants | words), warmupSeconds: $warmup, durationSeconds: $duration,
                 serverCommand: $serverCmd, clientCommand: $clientCmd,
                 serverCpu: "utime+stime of /proc/<server pid>/stat, all threads, over the measured window",
                 pinning: (if $pin == "auto" then "1 loop: server on core 0, load generator on core 1; more loops: both unpinned, sharing every core"
                           else "none: server and load generator unpinned" end)},
    medians: ($runs | group_by([.messageBytes, .connections, .threads, .accept, .mode]) | map({
      mode: .[0].mode, threads: .[0].threads, accept: .[0].accept, serverCpus: .[0].serverCpus,
      clientCpus: .[0].clientCpus, connections: .[0].connections, messageBytes: .[0].messageBytes, runs: length,
      mibPerSec: (map(.mibPerSec) | median), mibPerSecMin: (map(.mibPerSec) | min),
      mibPerSecMax: (map(.mibPerSec) | max), messagesPerSec: (map(.messagesPerSec) | median),
      serverCpuSeconds: (map(.serverCpuSeconds) | median), serverCpuUsPerMiB: (map(.serverCpuUsPerMiB) | median),
      serverLoopCpuSeconds: loopsplit,
      clientCpuSeconds: (map(.clientCpuSeconds) | median), otherCpuSeconds: (map(.otherCpuSeconds) | median),
      seconds: (map(.seconds) | median), errors: (map(.errors // 1) | add),
      starvedRuns: (map(select(.minConnMessages == 0)) | length),
      minConnMessages: (map(.minConnMessages) | median), maxConnMessages: (map(.maxConnMessages) | median),
      killedServers: (map(select(.serverStop == "killed")) | length),
      noisyRuns: (map(select(.otherCpuSeconds != null and .otherCpuSeconds > 0.2 * .seconds)) | length),
      repeatedForNoise: (map(.repeatedForNoise // 0) | add),
      serverLogExceptions: (map(.serverLogExceptions) | add)
    })),
    runs: $runs,
    noisyAttemptsRepeated: $discarded
  }' >"$out/results.json"

{
  echo "# Echo throughput, ping-pong ($(date -u -d "$started" +%F))"
  echo
  echo "\`bench/echo.sh --rounds $rounds --modes \"$modes\" --scenarios \"$scenarios\" --threads \"$threads_list\" --accept \"$accepts\" --pin $pin --warmup $warmup --duration $duration\`"
  echo "at commit $commit. Each variant ran $rounds times, interleaved, a fresh server per run;"
  echo "the table shows medians over the rounds (MiB/s also its range)."
  echo
  echo "- server: \`$server_cmd\`"
  echo "- load: \`$client_cmd\`"
  echo
  echo "| connections | message | server | loops | accept | server on / load on | MiB/s | MiB/s range | messages/s | server CPU s | server busy | server µs/MiB | CPU s per loop | client CPU s | other CPU s | noisy | errors |"
  echo "|---:|---:|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for s in $scenarios; do
    for v in $variants; do
      for m in $modes; do
        jq -r --arg m "$m" --argjson b "${s%x*}" --argjson c "${s#*x}" --argjson t "${v%/*}" --arg a "${v#*/}" "$jq_defs"'
          .medians[] | select(.mode == $m and .messageBytes == $b and .connections == $c and .threads == $t and .accept == $a)
          | "| \(.connections) | \(.messageBytes) B | \(.mode) | \(.threads) | \(if .threads == 1 then "-" else .accept end) | \(.serverCpus) / \(.clientCpus) | \(.mibPerSec | f(1)) | \(.mibPerSecMin | f(0))–\(.mibPerSecMax | f(0)) | \(.messagesPerSec | f(0)) | \(.serverCpuSeconds | f(2)) | \(if .serverCpuSeconds == null then "-" else (.serverCpuSeconds / .seconds * 100 | round | tostring) + " %" end) | \(.serverCpuUsPerMiB | f(0)) | \(.serverLoopCpuSeconds | showsplit) | \(.clientCpuSeconds | f(2)) | \(.otherCpuSeconds | f(2)) | \(.noisyRuns)/\(.runs) | \(.errors) |"' \
          "$out/results.json"
      done
    done
  done
  echo
  echo "- **MiB/s**: echoed bytes received by the client per second of the ${duration} s window (after ${warmup} s of warm-up);"
  echo "  messages/s counts completed round trips of one message."
  echo "- **server on / load on**: the CPUs the server and the load generator were pinned to (taskset -c); \"any\""
  echo "  is unpinned. On this $(nproc --all)-core machine a server with more loops than one shares its cores with the"
  echo "  load generator, so those numbers measure the two together, not the server alone."
  echo "- **server CPU s**: utime+stime of the server JVM (\`/proc/<pid>/stat\`, process-wide, so every thread:"
  echo "  loops, GC, JIT) between the start and the end of the window, sampled by the load generator; resolution one"
  echo "  clock tick (10 ms). **server busy** is that over the window, in cores (100 % = one core saturated, 200 % two)."
  echo "  **server µs/MiB** is server CPU per MiB echoed: the efficiency figure, meaningful even when the client is the"
  echo "  bottleneck. **CPU s per loop**: the same for each event-loop thread (\`/proc/<pid>/task/<tid>/stat\`), in"
  echo "  thread-name order: how evenly the loops shared the connections."
  echo "- **client CPU s**: the load generator's own CPU time (one epoll loop thread). Near the window length"
  echo "  means the client, not the server, limited the run."
  echo "- **other CPU s**: CPU used on the whole machine in the window (all CPUs x window - idle time from"
  echo "  \`/proc/uptime\`) minus server and client: other processes, plus kernel work charged to neither."
  echo "  **noisy** counts the runs where that exceeded a fifth of a core (each run first waits up to"
  echo "  ${quiet_wait} s for an idle machine); a noisy run was repeated up to $retries times and the last attempt"
  echo "  kept, so **noisy** counts kept runs that stayed noisy. The medians include those; results.json has every"
  echo "  kept run, and the $(jq -r '.noisyAttemptsRepeated | length' "$out/results.json") attempts set aside under noisyAttemptsRepeated."
  echo
  echo "Anomalies over all runs: $(jq -r '[.medians[] | .starvedRuns] | add' "$out/results.json") run(s) with a"
  echo "connection that completed no round trip in the window, $(jq -r '[.medians[] | .killedServers] | add' "$out/results.json")"
  echo "server(s) not stopped 5 s after SIGTERM (then killed), $(jq -r '[.medians[] | .serverLogExceptions] | add' "$out/results.json")"
  echo "exception line(s) in server logs, $(jq -r '[.medians[] | .errors] | add' "$out/results.json") client-reported error(s)."
  echo
  machine_md
} >"$out/results.md"

cat "$out/results.md"
say "wrote ${out#"$root"/}/results.md and results.json (logs in ${raw#"$root"/}, not committed)"
