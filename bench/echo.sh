#!/usr/bin/env bash
# Echo throughput by muduo's ping-pong method: netloop in each I/O mode against Netty 4.2 (epoll,
# io_uring, nio) and the C floor, for each number of loops.
#
#   bench/echo.sh                       3 rounds of 16 KiB messages on 1, 100, 1000 connections, every peer
#   bench/echo.sh --rounds 5 --scenarios "4096x10 65536x100" --peers "netloop netty floor" --warmup 2 --duration 10
#   bench/echo.sh --modes epoll --scenarios "16384x100 16384x1000" --threads "1 2" --accept "handoff reuseport"
#
# Peers: a PEER is NAME or NAME:IO. netloop:IO is `./netloop echo --io IO --threads N --accept A`
# (IO epoll, epoll-et, io_uring or nio; plain netloop is epoll); netty:IO is NettyEchoServer (bench module,
# IO epoll, io_uring or nio; plain netty is epoll), the idiomatic Netty echo, --threads N; floor is
# bench/floor/floor.c's echo, one thread, so it runs with one loop only. --modes "M ..." is the
# older way to say --peers "netloop:M ...": netloop alone. A peer that cannot run here (io_uring
# forbidden, no gcc) is skipped, saying why; the first netloop peer is the reference of the ratios.
#
# Per run: a fresh server and the load generator (EchoPingPong, on netloop's own epoll client).
# With one loop the server is pinned to core 0 and the generator to core 1; with more loops than
# that leaves cores (2 on a 2-core machine) both run unpinned and share the cores (--pin none:
# never pin). Variants alternate (A B C A B C ...) so that slow drift of the machine hits every
# one alike; a run that others' load disturbed (over a fifth of a core not ours) is repeated up
# to --retries times. Server CPU is utime+stime of the server's process (all its threads) over
# exactly the measured window, sampled by the generator from /proc/<pid>/stat, and per loop
# thread (netloop's and Netty's) from /proc/<pid>/task.
# Writes bench/results/<date>-echo/{results.md,results.json} (-2, -3... when that exists),
# and logs under raw/ (not committed). A benchmark, not a test: nothing here judges a number.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
me=echo.sh
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"

rounds=3
peers="netloop netloop:epoll-et netloop:io_uring netloop:nio netty netty:io_uring netty:nio floor"
modes=""
scenarios="16384x1 16384x100 16384x1000"   # MESSAGE_BYTESxCONNECTIONS
threads_list="1"
accepts="handoff"
pin=auto
warmup=3
duration=5
out=""
quiet_wait=30

usage() {
  sed -n '2,26p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  cat <<'EOF2'
Options:
  --rounds N            rounds per variant; the table shows medians (default 3)
  --peers "P ..."       servers, in the order they alternate (default "netloop netloop:epoll-et
                        netloop:io_uring netloop:nio netty netty:io_uring netty:nio floor")
  --modes "M ..."       netloop alone, in these --io modes: the same as --peers "netloop:M ..."
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

# The command as typed, for the report.
command_line="bench/echo.sh$(quote_args "$@")"
peers_given=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --peers) peers="$2"; peers_given=1; shift 2 ;;
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
if [ -n "$modes" ]; then
  [ -z "$peers_given" ] || die "give --peers or --modes, not both (--peers takes netloop:MODE)"
  peers=""
  for m in $modes; do peers+=" netloop:$m"; done
fi
[ -n "${peers// /}" ] || die "--peers must name at least one peer"

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

# --- peers ---------------------------------------------------------------------------------
# A peer NAME is three functions; IO is the part after "NAME:", or empty.
#   peer_NAME_available IO            returns 0, or prints why not and returns 1
#   peer_NAME_runs THREADS ACCEPT     returns 0 when the peer has such a variant (else it is left out of it)
#   peer_NAME_command IO THREADS ACCEPT
#                                     sets cmd to a command that listens on 127.0.0.1, a port of its own
#                                     choosing, prints "... listening on HOST:PORT ..." and echoes until
#                                     SIGTERM (the harness adds taskset), and comm to its process name

peer_netloop_available() {
  case "${1:-epoll}" in epoll|epoll-et|io_uring|nio) ;; *) echo "netloop's IO here is epoll, epoll-et, io_uring or nio, not '$1'"; return 1 ;; esac
}
peer_netloop_runs() { return 0; }
peer_netloop_command() {
  cmd=("$root/netloop" echo --port 0 --io "${1:-epoll}" --threads "$2" --accept "$3"); comm=java
}

# As bench/http.sh runs Netty: Unsafe allowed (faster, as its users who care about speed run it), leak
# detection off (a debugging aid), ParallelGC as the netloop launcher uses.
# Netty on its module path: native access (its JNI libraries) goes to io.netty.common alone.
netty_jvm=(--module-path "$root/bench/target/netty" --add-modules ALL-MODULE-PATH --enable-native-access=io.netty.common
           --sun-misc-unsafe-memory-access=allow -XX:+UseParallelGC
           -Dio.netty.leakDetection.level=disabled)
netty_version="$(find "$root/bench/target/netty" -name 'netty-transport-4*.jar' 2>/dev/null | sed -E 's/.*netty-transport-(.*)\.jar/\1/' | head -n 1)"
peer_netty_available() {
  [ -n "$netty_version" ] || { echo "bench/target/netty holds no Netty jars (build the bench module)"; return 1; }
  case "${1:-epoll}" in epoll|io_uring|nio) ;; *) echo "netty's IO is epoll, io_uring or nio, not '$1'"; return 1 ;; esac
}
# Netty's group has one acceptor handing channels out round-robin: netloop's handoff, so no reuseport variant.
peer_netty_runs() { [ "$2" = handoff ]; }
peer_netty_command() {
  cmd=("$java" "${netty_jvm[@]}" -cp "$bench_jar" io.netloop.bench.NettyEchoServer --port 0 --io "${1:-epoll}" --threads "$2")
  comm=java
}

floor_bin="$root/bench/target/floor"
# netloop-old: another checkout of netloop, built (NETLOOP_OLD=/path), for before/after tables in one run.
peer_netloop-old_available() {
  [ -n "${NETLOOP_OLD:-}" ] && [ -x "${NETLOOP_OLD}/netloop" ] ||
    { echo "set NETLOOP_OLD to another netloop checkout, built, to compare with"; return 1; }
}
peer_netloop-old_runs() { return 0; }
peer_netloop-old_command() {
  cmd=("$NETLOOP_OLD/netloop" echo --port 0 --io "${1:-epoll}" --threads "$2" --accept "$3"); comm=java
}

peer_floor_available() {
  [ -z "${1:-}" ] || { echo "floor takes no IO variant (it uses epoll), not ':$1'"; return 1; }
  local why
  why="$("$root/bench/floor/build.sh")" || { echo "$why"; return 1; }
}
peer_floor_runs() { [ "$1" -eq 1 ]; }   # one thread
peer_floor_command() { cmd=("$floor_bin" echo 0); comm=floor; }

run_peers=()
declare -A peer_skipped=() peer_command=()
for p in $peers; do
  name="${p%%:*}"; io=""; [ "$p" = "$name" ] || io="${p#*:}"
  if ! declare -F "peer_${name}_command" >/dev/null; then
    peer_skipped[$p]="not an echo peer (these are: $(declare -F | sed -n 's/^declare -f peer_\(.*\)_command$/\1/p' | xargs))"
  elif ! peer_skipped[$p]="$("peer_${name}_available" "$io")"; then
    :
  else
    unset "peer_skipped[$p]"
    run_peers+=("$p")
    continue
  fi
  say "SKIPPING peer '$p': ${peer_skipped[$p]}"
done
[ ${#run_peers[@]} -gt 0 ] || die "no peer left to measure"

# Whether peer P runs in variant THREADS/ACCEPT, and has not been skipped since (a transport found unusable).
peer_in_variant() {
  local p="$1" name="${1%%:*}"
  [ -z "${peer_skipped[$p]:-}" ] && "peer_${name}_runs" "$2" "$3"
}

# One measured run; appends a JSON object to $runs (nothing when the peer turns out unusable here).
run_one() {
  local p="$1" bytes="$2" conns="$3" threads="$4" accept="$5" round="$6"
  local name="${1%%:*}" io="" tag load rc=0 exceptions scpus ccpus
  [ "$p" = "$name" ] || io="${p#*:}"
  tag="r$round-${p//:/-}-t$threads-$accept-${bytes}x$conns"
  read -r scpus ccpus <<<"$(placement "$pin" "$threads")"
  [ "$scpus" = - ] && scpus=""
  [ "$ccpus" = - ] && ccpus=""
  wait_for_quiet "$quiet_wait"
  load="$(cut -d' ' -f1 /proc/loadavg)"
  "peer_${name}_command" "$io" "$threads" "$accept"
  peer_command[$p]="$(printf '%q ' "${cmd[@]}" | sed -e 's/ $//' -e "s|$root/|./|g" -e "s|$java|java|" \
                      -e "s|--threads $threads|--threads N|" -e "s|--accept $accept|--accept A|")"
  if ! start_listener "$raw/$tag.server" "$scpus" "$comm" "${cmd[@]}"; then
    if [ "$name" = netty ] && [ "$server_exit" = 3 ]; then
      # NettyEchoServer's "this transport cannot run here" (io_uring in a container that forbids it).
      peer_skipped[$p]="$(tail -n 1 "$raw/$tag.server.err")"
      say "SKIPPING peer '$p': ${peer_skipped[$p]}"
      return
    fi
    tail -n 5 "$raw/$tag.server.err" >&2
    die "the $p server exited (status $server_exit) before listening (log: ${raw#"$root"/}/$tag.server.err)"
  fi
  exec_on_cpus "$ccpus" "$java" "${netloop_jvm[@]}" -XX:+UseParallelGC -jar "$bench_jar" \
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
  jq -c --arg peer "$p" --arg mode "${io:-epoll}" --argjson threads "$threads" --arg accept "$accept" --argjson round "$round" \
        --argjson exit "$rc" --arg stop "$stopped_in" --argjson exceptions "$exceptions" --argjson load "$load" \
        --arg scpus "${scpus:-any}" --arg ccpus "${ccpus:-any}" '
      . + {peer: $peer, mode: $mode, threads: $threads, accept: $accept, round: $round, clientExit: $exit, serverStop: $stop,
           serverLogExceptions: $exceptions, loadavg1: $load, serverCpus: $scpus, clientCpus: $ccpus}
      | .serverCpuUsPerMiB = (if .serverCpuSeconds != null and (.bytes // 0) > 0
                              then .serverCpuSeconds * 1e6 / (.bytes / 1048576) else null end)
      | .otherCpuSeconds = (if .machineCpuSeconds != null and .serverCpuSeconds != null
                            then .machineCpuSeconds - .serverCpuSeconds - .clientCpuSeconds else null end)' \
     "$raw/$tag.client.json" >>"$runs"
  tail -n 1 "$runs" | jq -r '"\(.peer) \(.threads)/\(.accept)\t\(.connections) x \(.messageBytes) B\t\(.mibPerSec // "-") MiB/s\tserver \(.serverCpuSeconds // "-") s CPU \(.serverLoopCpuSeconds // {} | [.[]] | map(tostring) | join("/"))\terrors \(.errors // "?")\tstop \(.serverStop)"' >&2
}

# --- the runs ------------------------------------------------------------------------------

n_runs=0
for v in $variants; do
  for p in "${run_peers[@]}"; do
    if peer_in_variant "$p" "${v%/*}" "${v#*/}"; then n_runs=$((n_runs + 1)); fi
  done
done
n_runs=$(( n_runs * rounds * $(wc -w <<<"$scenarios") ))
say "$n_runs runs of ${warmup}+${duration} s over peers ${run_peers[*]}; results in ${out#"$root"/}"
started="$(date -u +%FT%TZ)"
load_before="$(cat /proc/loadavg)"
for ((r = 1; r <= rounds; r++)); do
  for s in $scenarios; do
    for v in $variants; do
      for p in "${run_peers[@]}"; do
        peer_in_variant "$p" "${v%/*}" "${v#*/}" || continue
        measure run_one "$p" "${s%x*}" "${s#*x}" "${v%/*}" "${v#*/}" "$r"
      done
    done
  done
done
load_after="$(cat /proc/loadavg)"

# --- the report ----------------------------------------------------------------------------

describe_machine
client_cmd="java --module-path bench/target/modules --add-modules io.netloop.core,io.netloop.http --enable-native-access=io.netloop.core -XX:+UseParallelGC -jar bench/target/netloop-bench.jar --port PORT --connections C --size S --warmup $warmup --duration $duration --server-pid PID"
to_object() { jq -R 'split("\t") | {key: .[0], value: .[1]}' | jq -s from_entries; }
commands="$(for p in "${run_peers[@]}"; do
  [ -z "${peer_command[$p]:-}" ] || printf '%s\t%s\n' "$p" "${peer_command[$p]}"; done | to_object)"
skipped="$(for p in "${!peer_skipped[@]}"; do printf '%s\t%s\n' "$p" "${peer_skipped[$p]}"; done | to_object)"
versions="$({ printf 'java\t%s\n' "$(head -n 1 <<<"$java_version")"
  if [ -n "$netty_version" ]; then printf 'netty\tNetty %s\n' "$netty_version"; fi
  if [ -x "$floor_bin" ]; then printf 'floor\tbench/floor/floor.c, %s, -O2\n' "$(gcc --version | head -n 1)"; fi; } | to_object)"

jq -n --slurpfile runs "$runs" --slurpfile discarded "$raw/noisy.jsonl" --arg started "$started" --arg commit "$commit" \
   --arg command "$command_line" \
   --arg nproc "$(nproc --all)" --arg cpu "$cpu_model" --arg kernel "$(uname -r)" --arg java "$java_version" \
   --arg loadBefore "$load_before" --arg loadAfter "$load_after" \
   --argjson rounds "$rounds" --arg peers "${run_peers[*]}" --arg scenarios "$scenarios" --arg variants "$variants" \
   --arg pin "$pin" --argjson serverCmds "$commands" --arg clientCmd "$client_cmd" \
   --argjson skipped "$skipped" --argjson versions "$versions" \
   --argjson warmup "$warmup" --argjson duration "$duration" "$jq_defs"'
  def words: split(" ") | map(select(. != ""));
  ($runs | group_by([.messageBytes, .connections, .threads, .accept, .peer]) | map({
      peer: .[0].peer, mode: .[0].mode, threads: .[0].threads, accept: .[0].accept, serverCpus: .[0].serverCpus,
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
    })) as $medians
  # The reference of the ratios: the first netloop peer with results, else the first peer with results.
  | ($peers | words | map(select(. as $p | $medians | any(.peer == $p and .mibPerSec != null)))) as $measured
  | (($measured | map(select(startswith("netloop"))) | first) // ($measured | first)) as $reference
  | ($medians | map(select(.peer == $reference) | {key: "\(.messageBytes) \(.connections) \(.threads) \(.accept)", value: .})
     | from_entries) as $ref
  | {
    started: $started, commit: $commit, command: $command,
    machine: {nproc: ($nproc | tonumber), cpu: $cpu, kernel: $kernel, java: $java,
              loadavgBefore: $loadBefore, loadavgAfter: $loadAfter},
    parameters: {rounds: $rounds, peers: ($peers | words), scenarios: ($scenarios | words),
                 serverVariants: ($variants | words), warmupSeconds: $warmup, durationSeconds: $duration,
                 reference: $reference, skippedPeers: $skipped,
                 serverCommands: $serverCmds, clientCommand: $clientCmd,
                 serverCpu: "utime+stime of /proc/<server pid>/stat, all threads, over the measured window",
                 pinning: (if $pin == "auto" then "1 loop: server on core 0, load generator on core 1; more loops: both unpinned, sharing every core"
                           else "none: server and load generator unpinned" end)},
    versions: $versions,
    medians: ($medians | map(. as $m | $ref["\($m.messageBytes) \($m.connections) \($m.threads) \($m.accept)"] as $r
      | . + {mibPerSecVsReference: (if ($r.mibPerSec // 0) > 0 and $m.mibPerSec != null
                                    then $m.mibPerSec / $r.mibPerSec else null end),
             cpuPerMiBVsReference: (if ($r.serverCpuUsPerMiB // 0) > 0 and $m.serverCpuUsPerMiB != null
                                    then $m.serverCpuUsPerMiB / $r.serverCpuUsPerMiB else null end)})),
    runs: $runs,
    noisyAttemptsRepeated: $discarded
  }' >"$out/results.json"
reference="$(jq -r '.parameters.reference // "none"' "$out/results.json")"
# Charts: per message size and loops, MiB/s and server CPU per MiB of every peer by connections.
chart_md="$(java="$java" "$root/bench/charts.sh" "$out")" || chart_md=""

{
  echo "# Echo throughput, ping-pong: $(jq -r '.parameters.peers | join(", ")' "$out/results.json") ($(date -u -d "$started" +%F))"
  echo
  echo "\`$command_line\`"
  echo "at commit $commit. Each variant ran $rounds times, interleaved, a fresh server per run;"
  echo "the table shows medians over the rounds (MiB/s also its range). Ratios (×) are to **$reference**."
  if awk -v r="$rounds" -v w="$warmup" -v d="$duration" 'BEGIN { exit !(r < 3 || w < 3 || d < 5) }'; then
    echo
    echo "**Not a measurement**: shorter than the defaults (3 rounds of 3 + 5 s). It shows that the harness works."
  fi
  jq -r '.parameters.skippedPeers | to_entries[] | "**\(.key) skipped**: \(.value)."' "$out/results.json"
  echo
  echo "- servers (N loops, A accept mode):"
  jq -r '.parameters.serverCommands | to_entries[] | "  - \(.key): `\(.value)`"' "$out/results.json"
  echo "- load: \`$client_cmd\`"
  echo
  echo "| connections | message | server | loops | accept | server on / load on | MiB/s | MiB/s range | × MiB/s | messages/s | server CPU s | server busy | server µs/MiB | × µs/MiB | CPU s per loop | client CPU s | other CPU s | noisy | errors |"
  echo "|---:|---:|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for s in $scenarios; do
    for v in $variants; do
      for p in "${run_peers[@]}"; do
        jq -r --arg p "$p" --argjson b "${s%x*}" --argjson c "${s#*x}" --argjson t "${v%/*}" --arg a "${v#*/}" "$jq_defs"'
          .medians[] | select(.peer == $p and .messageBytes == $b and .connections == $c and .threads == $t and .accept == $a)
          | "| \(.connections) | \(.messageBytes) B | \(.peer) | \(.threads) | \(if .threads == 1 then "-" else .accept end) | \(.serverCpus) / \(.clientCpus) | \(.mibPerSec | f(1)) | \(.mibPerSecMin | f(0))–\(.mibPerSecMax | f(0)) | \(.mibPerSecVsReference | f(2)) | \(.messagesPerSec | f(0)) | \(.serverCpuSeconds | f(2)) | \(if .serverCpuSeconds == null then "-" else (.serverCpuSeconds / .seconds * 100 | round | tostring) + " %" end) | \(.serverCpuUsPerMiB | f(0)) | \(.cpuPerMiBVsReference | f(2)) | \(.serverLoopCpuSeconds | showsplit) | \(.clientCpuSeconds | f(2)) | \(.otherCpuSeconds | f(2)) | \(.noisyRuns)/\(.runs) | \(.errors) |"' \
          "$out/results.json"
      done
    done
  done
  echo
  [ -z "$chart_md" ] || { echo "$chart_md"; echo; }
  echo "- **MiB/s**: echoed bytes received by the client per second of the ${duration} s window (after ${warmup} s of warm-up);"
  echo "  messages/s counts completed round trips of one message."
  echo "- **server on / load on**: the CPUs the server and the load generator were pinned to (taskset -c); \"any\""
  echo "  is unpinned. On this $(nproc --all)-core machine a server with more loops than one shares its cores with the"
  echo "  load generator, so those numbers measure the two together, not the server alone."
  echo "- **server CPU s**: utime+stime of the server process (\`/proc/<pid>/stat\`, process-wide, so every thread:"
  echo "  loops, GC, JIT) between the start and the end of the window, sampled by the load generator; resolution one"
  echo "  clock tick (10 ms). **server busy** is that over the window, in cores (100 % = one core saturated, 200 % two)."
  echo "  **server µs/MiB** is server CPU per MiB echoed: the efficiency figure, meaningful even when the client is the"
  echo "  bottleneck. **CPU s per loop**: the same for each event-loop thread (\`/proc/<pid>/task/<tid>/stat\`), in"
  echo "  thread-name order: how evenly the loops shared the connections (netloop's and Netty's loops; the floor is one"
  echo "  thread). **×** columns are ratios to $reference in the same scenario and loops (MiB/s above 1: faster;"
  echo "  µs/MiB below 1: cheaper)."
  echo "- **client CPU s**: the load generator's own CPU time (one epoll loop thread). Near the window length"
  echo "  means the client, not the server, limited the run."
  echo "- **other CPU s**: CPU used on the whole machine in the window (all CPUs x window - idle and I/O-wait time from"
  echo "  \`/proc/stat\`) minus server and client: other processes, plus kernel work charged to neither."
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
