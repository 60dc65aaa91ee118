#!/usr/bin/env bash
# Accept rate: short connections, one small request each, against the echo server with one
# loop and with two loops accepting by hand-off or by SO_REUSEPORT.
#
#   bench/accept.sh                     3 rounds of: 1 loop, 2 loops handoff, 2 loops reuseport
#   bench/accept.sh --rounds 5 --variants "2:handoff 2:reuseport" --slots 128 --close fin
#
# Per run: a fresh `./netloop echo --io epoll --threads N --accept A` and the load generator
# ConnectRate (K slots on one netloop epoll loop: connect, send S bytes, read the echo, close
# with RST, next). Variants alternate (A B C A B C ...), and the table shows the median of the
# rounds; a run that others' load disturbed is repeated up to --retries times. By default nothing is pinned: every variant gets the same two cores, shared with the
# generator (--pin auto puts a 1-loop server on core 0 and the generator on core 1). Server CPU
# is utime+stime of its process over exactly the measured window (/proc/<pid>/stat), and per
# loop thread (/proc/<pid>/task). No sysctl is changed; the relevant ones are recorded.
# Writes bench/results/<date>-accept/{results.md,results.json} (-2, -3... when that exists),
# and logs under raw/ (not committed). A benchmark, not a test: nothing here judges a number.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
me=accept.sh
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"

rounds=3
variants="1 2:handoff 2:reuseport"   # THREADS[:ACCEPT]
io=epoll
slots=64
size=32
close=rst
pin=none
warmup=3
duration=5
out=""
quiet_wait=30

usage() {
  sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  cat <<'EOF2'
Options:
  --rounds N            rounds per variant; the table shows medians (default 3)
  --variants "T:A ..."  server --threads and --accept (default "1 2:handoff 2:reuseport")
  --io MODE             server --io (default epoll)
  --slots K             connections in progress at once (default 64)
  --size S              request bytes (default 32)
  --close rst|fin       how the client closes (default rst: SO_LINGER 0, no TIME_WAIT)
  --pin none|auto       auto: a 1-loop server on core 0, the generator on core 1 (default none)
  --warmup S            seconds of load before measuring (default 3)
  --duration S          seconds measured (default 5)
  --out DIR             results directory (default bench/results/<yyyy-mm-dd>-accept)
  --quiet-wait S        before each run, wait up to S s for the machine to be idle (default 30; 0: don't)
  --retries N           repeat a noisy run up to N times, keeping the last attempt (default 2)
EOF2
}

while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --variants) variants="$2"; shift 2 ;;
    --io) io="$2"; shift 2 ;;
    --slots) slots="$2"; shift 2 ;;
    --size) size="$2"; shift 2 ;;
    --close) close="$2"; shift 2 ;;
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
[[ "$slots" =~ ^[1-9][0-9]*$ ]] || die "--slots wants a positive integer, not '$slots'"
[[ "$pin" =~ ^(auto|none)$ ]] || die "--pin wants auto or none, not '$pin'"
[[ "$close" =~ ^(rst|fin)$ ]] || die "--close wants rst or fin, not '$close'"
for v in $variants; do
  [[ "$v" =~ ^[1-9][0-9]*(:(handoff|reuseport))?$ ]] || die "a variant is THREADS[:handoff|:reuseport], not '$v'"
done

ensure_tools
build_if_stale
raise_fd_limit $((slots + 256))

out="${out:-$(default_out accept)}"
raw="$out/raw"
mkdir -p "$raw"
runs="$raw/runs.jsonl"
: >"$runs"
: >"$raw/noisy.jsonl"

trap cleanup EXIT
trap 'exit 130' INT TERM

# What limits short connections besides the server: none is changed here, all are recorded.
sysctls="net.ipv4.tcp_tw_reuse net.ipv4.ip_local_port_range net.core.somaxconn net.ipv4.tcp_max_syn_backlog net.ipv4.tcp_syncookies net.ipv4.tcp_max_tw_buckets"
sysctl_values() {
  local k
  for k in $sysctls; do printf '%s = %s\n' "$k" "$(tr -s '\t ' ' ' <"/proc/sys/${k//.//}")"; done
}
sysctls_before="$(sysctl_values)"

# One measured run; appends a JSON object to $runs.
run_one() {
  local threads="$1" accept="$2" round="$3"
  local tag="r$round-t$threads-$accept" load rc=0 exceptions scpus ccpus
  read -r scpus ccpus <<<"$(placement "$pin" "$threads")"
  [ "$scpus" = - ] && scpus=""
  [ "$ccpus" = - ] && ccpus=""
  wait_for_quiet "$quiet_wait"
  load="$(cut -d' ' -f1 /proc/loadavg)"
  start_server "$raw/$tag.server" "$scpus" --io "$io" --threads "$threads" --accept "$accept"
  exec_on_cpus "$ccpus" "$java" "${netloop_jvm[@]}" -XX:+UseParallelGC \
    -cp "$bench_jar" io.netloop.bench.ConnectRate --port "$server_port" --slots "$slots" --size "$size" \
    --close "$close" --warmup "$warmup" --duration "$duration" --server-pid "$server_pid" \
    >"$raw/$tag.client.json" 2>"$raw/$tag.client.err" &
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
  jq -c --argjson threads "$threads" --arg accept "$accept" --argjson round "$round" --argjson exit "$rc" \
        --arg stop "$stopped_in" --argjson exceptions "$exceptions" --argjson load "$load" \
        --arg scpus "${scpus:-any}" --arg ccpus "${ccpus:-any}" '
      . + {threads: $threads, accept: $accept, round: $round, clientExit: $exit, serverStop: $stop,
           serverLogExceptions: $exceptions, loadavg1: $load, serverCpus: $scpus, clientCpus: $ccpus}
      | .serverCpuUsPerConnection = (if .serverCpuSeconds != null and (.connections // 0) > 0
                                     then .serverCpuSeconds * 1e6 / .connections else null end)
      | .clientCpuUsPerConnection = (if .clientCpuSeconds != null and (.connections // 0) > 0
                                     then .clientCpuSeconds * 1e6 / .connections else null end)
      | .otherCpuSeconds = (if .machineCpuSeconds != null and .serverCpuSeconds != null
                            then .machineCpuSeconds - .serverCpuSeconds - .clientCpuSeconds else null end)' \
     "$raw/$tag.client.json" >>"$runs"
  tail -n 1 "$runs" | jq -r '"\(.threads)/\(.accept)\t\(.connectionsPerSec // "-") conn/s\tp50 \(.latencyP50Us // "-") µs p99 \(.latencyP99Us // "-") µs\tserver \(.serverCpuSeconds // "-") s CPU (\(.serverLoopCpuSeconds // {} | [.[]] | map(tostring) | join("/")))\terrors \(.errorsInWindow // "?")/\(.errorsTotal // "?")\tstop \(.serverStop)"' >&2
}

# --- the runs ------------------------------------------------------------------------------

n_runs=$(( rounds * $(wc -w <<<"$variants") ))
say "$n_runs runs of ${warmup}+${duration} s; results in ${out#"$root"/}"
started="$(date -u +%FT%TZ)"
load_before="$(cat /proc/loadavg)"
for ((r = 1; r <= rounds; r++)); do
  for v in $variants; do
    t="${v%%:*}"
    a=handoff
    [[ "$v" == *:* ]] && a="${v#*:}"
    measure run_one "$t" "$a" "$r"
  done
done
load_after="$(cat /proc/loadavg)"
sysctls_after="$(sysctl_values)"
[ "$sysctls_after" = "$sysctls_before" ] || say "warning: someone changed a sysctl during the runs (see results.md)"

# --- the report ----------------------------------------------------------------------------

describe_machine
server_cmd="./netloop echo --port 0 --io $io --threads N --accept A"
client_cmd="java --module-path bench/target/modules --add-modules io.netloop.core,io.netloop.http --enable-native-access=io.netloop.core -XX:+UseParallelGC -cp bench/target/netloop-bench.jar io.netloop.bench.ConnectRate --port PORT --slots $slots --size $size --close $close --warmup $warmup --duration $duration --server-pid PID"

jq -n --slurpfile runs "$runs" --slurpfile discarded "$raw/noisy.jsonl" --arg started "$started" --arg commit "$commit" \
   --arg nproc "$(nproc --all)" --arg cpu "$cpu_model" --arg kernel "$(uname -r)" --arg java "$java_version" \
   --arg loadBefore "$load_before" --arg loadAfter "$load_after" --arg sysctls "$sysctls_before" \
   --arg sysctlsAfter "$sysctls_after" --argjson rounds "$rounds" --arg variants "$variants" \
   --arg pin "$pin" --arg serverCmd "$server_cmd" --arg clientCmd "$client_cmd" \
   --argjson warmup "$warmup" --argjson duration "$duration" "$jq_defs"'
  {
    started: $started, commit: $commit,
    machine: {nproc: ($nproc | tonumber), cpu: $cpu, kernel: $kernel, java: $java,
              loadavgBefore: $loadBefore, loadavgAfter: $loadAfter,
              sysctls: ($sysctls | split("\n") | map(select(. != "") | split(" = ") | {(.[0]): .[1]}) | add),
              sysctlsChangedDuringRuns: ($sysctls != $sysctlsAfter)},
    parameters: {rounds: $rounds, variants: ($variants | split(" ") | map(select(. != ""))),
                 warmupSeconds: $warmup, durationSeconds: $duration,
                 serverCommand: $serverCmd, clientCommand: $clientCmd,
                 serverCpu: "utime+stime of /proc/<server pid>/stat, all threads, over the measured window",
                 pinning: (if $pin == "auto" then "1 loop: server on core 0, load generator on core 1; more loops: both unpinned"
                           else "none: server and load generator unpinned, sharing every core" end)},
    medians: ($runs | group_by([.threads, .accept]) | map({
      threads: .[0].threads, accept: .[0].accept, serverCpus: .[0].serverCpus, clientCpus: .[0].clientCpus,
      runs: length,
      connectionsPerSec: (map(.connectionsPerSec) | median), connectionsPerSecMin: (map(.connectionsPerSec) | min),
      connectionsPerSecMax: (map(.connectionsPerSec) | max),
      latencyP50Us: (map(.latencyP50Us) | median), latencyP99Us: (map(.latencyP99Us) | median),
      latencyMaxUs: (map(.latencyMaxUs) | max),
      serverCpuSeconds: (map(.serverCpuSeconds) | median),
      serverCpuUsPerConnection: (map(.serverCpuUsPerConnection) | median),
      serverLoopCpuSeconds: loopsplit,
      clientCpuSeconds: (map(.clientCpuSeconds) | median),
      clientCpuUsPerConnection: (map(.clientCpuUsPerConnection) | median),
      otherCpuSeconds: (map(.otherCpuSeconds) | median), seconds: (map(.seconds) | median),
      errorsInWindow: (map(.errorsInWindow // 1) | add), errorsTotal: (map(.errorsTotal // 1) | add),
      errorsByKind: (map(.errors // {}) | reduce .[] as $e ({}; reduce ($e | to_entries[]) as $kv (.; .[$kv.key] += $kv.value))),
      timeWaitAtEnd: (map(.timeWaitAtEnd) | max),
      killedServers: (map(select(.serverStop == "killed")) | length),
      noisyRuns: (map(select(.otherCpuSeconds != null and .otherCpuSeconds > 0.2 * .seconds)) | length),
      repeatedForNoise: (map(.repeatedForNoise // 0) | add),
      serverLogExceptions: (map(.serverLogExceptions) | add)
    })),
    runs: $runs,
    noisyAttemptsRepeated: $discarded
  }' >"$out/results.json"

{
  echo "# Accept rate, short connections ($(date -u -d "$started" +%F))"
  echo
  echo "\`bench/accept.sh --rounds $rounds --variants \"$variants\" --io $io --slots $slots --size $size --close $close --pin $pin --warmup $warmup --duration $duration\`"
  echo "at commit $commit. Each variant ran $rounds times, interleaved (A B C A B C ...), a fresh server per run;"
  echo "the table shows medians over the rounds (connections/s also its range)."
  echo
  echo "- server: \`$server_cmd\`"
  echo "- load: \`$client_cmd\`"
  echo
  echo "| loops | accept | server on / load on | connections/s | range | latency p50 µs | p99 µs | server CPU s | server busy | server µs/conn | CPU s per loop | client CPU s | client µs/conn | other CPU s | noisy | errors (window / all) |"
  echo "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for v in $variants; do
    t="${v%%:*}"
    a=handoff
    [[ "$v" == *:* ]] && a="${v#*:}"
    jq -r --argjson t "$t" --arg a "$a" "$jq_defs"'
      .medians[] | select(.threads == $t and .accept == $a)
      | "| \(.threads) | \(if .threads == 1 then "-" else .accept end) | \(.serverCpus) / \(.clientCpus) | \(.connectionsPerSec | f(0)) | \(.connectionsPerSecMin | f(0))–\(.connectionsPerSecMax | f(0)) | \(.latencyP50Us | f(0)) | \(.latencyP99Us | f(0)) | \(.serverCpuSeconds | f(2)) | \(if .serverCpuSeconds == null then "-" else (.serverCpuSeconds / .seconds * 100 | round | tostring) + " %" end) | \(.serverCpuUsPerConnection | f(1)) | \(.serverLoopCpuSeconds | showsplit) | \(.clientCpuSeconds | f(2)) | \(.clientCpuUsPerConnection | f(1)) | \(.otherCpuSeconds | f(2)) | \(.noisyRuns)/\(.runs) | \(.errorsInWindow) / \(.errorsTotal) |"' \
      "$out/results.json"
  done
  echo
  echo "- **connections/s**: connections completed in the ${duration} s window (after ${warmup} s of warm-up), each one"
  echo "  socket, connect, a ${size}-byte request, its echo read and checked, close$( [ "$close" = rst ] && echo " with RST (SO_LINGER 0)" || echo " with FIN" ); $slots slots keep"
  echo "  that many connections in progress, each opening the next as soon as its last one is done."
  echo "- **latency**: from the client's socket() call to the last byte of the echo: handshake, the server's accept"
  echo "  (and any wait in its queue), the round trip, and, the load being a closed loop of $slots slots on one thread,"
  echo "  about $slots / rate of waiting in the client's own loop. p50 and p99 are medians over the rounds."
  echo "- **server on / load on**: CPUs the two were pinned to (taskset -c); \"any\" is unpinned. This machine has"
  echo "  $(nproc --all) cores, so unpinned the server shares them with the load generator, which itself needs about"
  echo "  as much CPU per connection as the server: the rates measure the two together, not the server alone."
  echo "- **server CPU s**: utime+stime of the server JVM (\`/proc/<pid>/stat\`: every thread, loops, GC, JIT, and the"
  echo "  kernel work of its system calls and of the softirqs that ran in its context) over the window, sampled by"
  echo "  the generator; one tick is 10 ms. **server busy** is that over the window, in cores (100 % = one core)."
  echo "  **server µs/conn** is server CPU per completed connection: the efficiency figure. **CPU s per loop**:"
  echo "  the same per event-loop thread (\`/proc/<pid>/task/<tid>/stat\`), in thread-name order (g1-0 is the loop"
  echo "  that accepts in handoff mode)."
  echo "- **client CPU s / µs/conn**: the generator's own CPU time. Loopback TCP does much of the receiver's work in"
  echo "  the sender's system call, so the split of kernel time between client and server is only roughly theirs."
  echo "- **other CPU s**: machine busy time (all CPUs x window - idle and I/O wait from \`/proc/stat\`) minus server and client;"
  echo "  **noisy** counts the runs where that exceeded a fifth of a core (each run first waits up to ${quiet_wait} s"
  echo "  for an idle machine; a noisy run was repeated up to $retries times and the last attempt kept, so this counts"
  echo "  kept runs that stayed noisy). The medians include those; results.json has every kept run, and the"
  echo "  $(jq -r '.noisyAttemptsRepeated | length' "$out/results.json") attempts set aside under noisyAttemptsRepeated."
  echo "- **errors**: failed connections in the window / in the whole run (warm-up included), by kind in results.json"
  echo "  (refused, reset, closedEarly, connectTimeouts, responseTimeouts, noLocalPort, wrongEcho, other); none is hidden."
  echo
  echo "Errors by kind over all runs: $(jq -c '[.medians[] | .errorsByKind] | reduce .[] as $e ({}; reduce ($e | to_entries[]) as $kv (.; .[$kv.key] += $kv.value)) | with_entries(select(.value > 0)) | if . == {} then "none" else . end' "$out/results.json")."
  echo "$(jq -r '[.medians[] | .killedServers] | add' "$out/results.json") server(s) not stopped 5 s after SIGTERM (then killed),"
  echo "$(jq -r '[.medians[] | .serverLogExceptions] | add' "$out/results.json") exception line(s) in server logs. Most TIME_WAIT sockets at the end of a window:"
  echo "$(jq -r '[.medians[] | .timeWaitAtEnd] | max' "$out/results.json") (machine-wide, /proc/net/sockstat)."
  echo
  echo "## Kernel settings (read, not changed)"
  echo
  echo '```'
  echo "$sysctls_before"
  echo '```'
  if [ "$sysctls_after" != "$sysctls_before" ]; then
    echo
    echo "Changed during the runs (by someone else), afterwards:"
    echo
    echo '```'
    echo "$sysctls_after"
    echo '```'
  fi
  echo
  machine_md
} >"$out/results.md"

cat "$out/results.md"
say "wrote ${out#"$root"/}/results.md and results.json (logs in ${raw#"$root"/}, not committed)"
