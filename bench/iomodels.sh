#!/usr/bin/env bash
# The I/O-model lab: one tiny HTTP server (bench/src/main/java/io/netloop/bench/lab) on every
# I/O model of the tour — blocking (a platform thread, or a virtual thread, per connection),
# non-blocking busy-polling, multiplexed (select(2), poll(2), epoll level- and edge-triggered),
# signal-driven (O_ASYNC, a realtime signal per event, read from a signalfd) and asynchronous
# (io_uring), the last six on one netloop event loop — serving 64 active keep-alive connections
# (wrk) while 0, 1k, 5k, 10k and 15k idle connections sit beside them. It answers the seeds' open
# questions: does epoll beat select/poll with many idle connections, is ET faster than LT, and
# what do signals and completions cost against readiness?
#
#   bench/iomodels.sh                                   3 rounds, every model, every idle count
#   bench/iomodels.sh --models "poll epoll" --idle "0 10000" --rounds 1 --duration 5
#
# Per run: a fresh server pinned to core 0; the idle holder (IdleHolder, core 1) opens the idle
# connections and reports how many the server kept (select(2) refuses descriptors >= 1024: those
# runs are shown as refused, with the server's error); then wrk (core 1, 64 connections) warms up
# and measures. Models alternate within a round. Server CPU is utime+stime of the server process
# from /proc over the measured run. Writes bench/results/<date>-iomodels/{results.md,results.json,
# charts/*.png}; logs under raw/ (not committed). A benchmark: nothing here judges a number.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
me=iomodels.sh
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"

models="blocking virtual busy-poll select poll epoll epoll-et signal io_uring"
idle_counts="0 1000 5000 10000 15000"
active=64
rounds=3
warmup=3
duration=10
server_cpus=0
client_cpus=1
quiet_wait=30
out=""

usage() {
  sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  cat <<'EOF'
Options:
  --models "M ..."      of blocking virtual busy-poll select poll epoll epoll-et signal io_uring (default: all)
  --idle "N ..."        idle connection counts (default "0 1000 5000 10000 15000")
  --active C            wrk connections (default 64)
  --rounds N            runs per (model, idle); tables show medians (default 3)
  --warmup S            whole seconds of wrk before the measured run (default 3)
  --duration S          whole seconds measured (default 10)
  --server-cpus LIST    taskset CPU list for the server (default 0)
  --client-cpus LIST    taskset CPU list for wrk and the idle holder (default 1)
  --quiet-wait S        wait up to S s for an idle machine before each run (default 30; 0: don't)
  --retries N           repeat a run others disturbed up to N times (default 2)
  --out DIR             results directory (default bench/results/<yyyy-mm-dd>-iomodels)
EOF
}

command_line="bench/iomodels.sh $*"
while [ $# -gt 0 ]; do
  case "$1" in
    --models) models="$2"; shift 2 ;;
    --idle) idle_counts="$2"; shift 2 ;;
    --active) active="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --server-cpus) server_cpus="$2"; shift 2 ;;
    --client-cpus) client_cpus="$2"; shift 2 ;;
    --quiet-wait) quiet_wait="$2"; shift 2 ;;
    --retries) retries="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option $1" ;;
  esac
done
positive='^[1-9][0-9]*$'
for m in $models; do
  case " blocking virtual busy-poll select poll epoll epoll-et signal io_uring " in *" $m "*) ;; *) die "unknown model '$m'" ;; esac
done
for n in $idle_counts; do [[ "$n" =~ ^[0-9]+$ ]] || die "--idle wants whole numbers, not '$n'"; done
[[ "$rounds" =~ $positive ]] || die "--rounds wants a positive integer, not '$rounds'"
[[ "$active" =~ $positive ]] || die "--active wants a positive integer, not '$active'"
[[ "$warmup" =~ ^[0-9]+$ ]] || die "--warmup wants whole seconds, not '$warmup'"
[[ "$duration" =~ $positive ]] || die "--duration wants whole seconds, not '$duration'"

"$root/scripts/install-bench-deps.sh"
ensure_tools
build_if_stale
clk_tck="$(getconf CLK_TCK)"

max_idle=0
for n in $idle_counts; do [ "$n" -le "$max_idle" ] || max_idle="$n"; done
# Each side holds its end of every idle connection; plus wrk's, the JVM's own and some slack.
raise_fd_limit $((max_idle + active + 1024))
# The holder's connections all come from 127.0.0.1 to one port: they need that many ephemeral ports.
read -r port_lo port_hi </proc/sys/net/ipv4/ip_local_port_range
[ $((port_hi - port_lo)) -gt $((max_idle + active + 1000)) ] ||
  die "$max_idle idle connections need more ephemeral ports than $port_lo-$port_hi (sysctl net.ipv4.ip_local_port_range)"

out="${out:-$(default_out iomodels)}"
mkdir -p "$out/raw" "$out/charts"
out="$(cd "$out" && pwd)"
raw="$out/raw"
runs="$raw/runs.jsonl"
: >"$runs"
work="$(mktemp -d "${TMPDIR:-/tmp}/netloop-iomodels.XXXXXX")"
holder_pid=""
lab_cleanup() {
  if [ -n "$holder_pid" ]; then kill -TERM "$holder_pid" 2>/dev/null || true; wait "$holder_pid" 2>/dev/null || true; fi
  cleanup
  rm -rf "$work"
}
trap lab_cleanup EXIT
trap 'exit 130' INT TERM

cat >"$work/report.lua" <<'EOF'
done = function(summary, latency, requests)
  local ticks = 0
  local f = io.open("/proc/self/stat", "r")
  if f then
    local rest = f:read("*l"):match("^.*%) (.*)$") or ""
    f:close()
    local fields = {}
    for x in rest:gmatch("%S+") do fields[#fields + 1] = x end
    ticks = (tonumber(fields[12]) or 0) + (tonumber(fields[13]) or 0)
  end
  local e = summary.errors
  io.write(string.format('WRK_JSON {"requests":%.0f,"durationUs":%.0f,'
    .. '"errors":{"connect":%.0f,"read":%.0f,"write":%.0f,"status":%.0f,"timeout":%.0f},'
    .. '"latencyUs":{"p50":%.0f,"p99":%.0f},"clientCpuTicks":%.0f}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), ticks))
end
EOF

jvm=("${netloop_jvm[@]}" -XX:+UseParallelGC)

ticks_of() { local s f; s="$(cat "/proc/$1/stat" 2>/dev/null)" || { echo 0; return; }; read -r -a f <<<"${s##*) }"; echo $((f[11] + f[12])); }
threads_of() { ls "/proc/$1/task" 2>/dev/null | wc -l; }
hwm_of() { sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$1/status" 2>/dev/null || echo 0; }

run_one() {
  local model="$1" idle="$2" round="$3" tag log port i held closed refused="" rc=0
  tag="r$round-$model-i$idle"
  log="$raw/$tag"
  wait_for_quiet "$quiet_wait"
  : >"$log.server.out"; : >"$log.server.err"
  exec_on_cpus "$server_cpus" "$java" "${jvm[@]}" -Xss256k -cp "$bench_jar" io.netloop.bench.lab.LabServer \
    --model "$model" --port 0 >"$log.server.out" 2>"$log.server.err" &
  server_pid=$!
  port=""
  for ((i = 0; i < 300; i++)); do
    port="$(sed -n 's/^LISTENING //p' "$log.server.out")"
    [ -n "$port" ] && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$log.server.err" >&2; die "$tag: the server exited before listening"; }
    sleep 0.1
  done
  [ -n "$port" ] || die "$tag: the server did not listen within 30 s"
  held=0; closed=0
  if [ "$idle" -gt 0 ]; then
    : >"$log.holder.out"
    exec_on_cpus "$client_cpus" "$java" -XX:+UseSerialGC -cp "$bench_jar" io.netloop.bench.lab.IdleHolder \
      --port "$port" --count "$idle" >"$log.holder.out" 2>"$log.holder.err" &
    holder_pid=$!
    for ((i = 0; i < 1200; i++)); do
      grep -q '^HOLDING' "$log.holder.out" && break
      kill -0 "$holder_pid" 2>/dev/null || break
      sleep 0.1
    done
    if ! grep -q '^HOLDING' "$log.holder.out"; then
      refused="the idle holder failed: $(tail -n 1 "$log.holder.err")"
    else
      read -r _ held _ closed <"$log.holder.out"
      if [ "$closed" -gt 0 ]; then
        refused="the server closed $closed of $idle idle connections: $(grep -m1 -o -E '[a-z_()0-9]+: .*' "$log.server.err" || echo "it logged no reason")"
      fi
    fi
  fi
  local wrk=(taskset -c "$client_cpus" wrk -t1 -c"$active" --latency --timeout 10s -s "$work/report.lua")
  local url="http://127.0.0.1:$port/plaintext" t0 t1 ticks0 ticks1 threads json idle0=0 idle1=0
  if [ -z "$refused" ]; then
    [ "$warmup" -eq 0 ] || "${wrk[@]}" -d"${warmup}s" "$url" >"$log.warmup.out" 2>&1 || true
    idle0="$(idle_seconds)"; ticks0="$(ticks_of "$server_pid")"; t0="$(date +%s.%N)"
    "${wrk[@]}" -d"${duration}s" "$url" >"$log.wrk.out" 2>&1 || rc=$?
    t1="$(date +%s.%N)"; ticks1="$(ticks_of "$server_pid")"; idle1="$(idle_seconds)"
    threads="$(threads_of "$server_pid")"
    json="$(sed -n 's/^WRK_JSON //p' "$log.wrk.out" | tail -n 1)"
    # jq takes an empty input for no JSON at all and succeeds: test for it first.
    [ -n "$json" ] && jq -e . >/dev/null 2>&1 <<<"$json" || { refused="wrk printed no result (exit $rc): $(tail -n 1 "$log.wrk.out")"; json='{}'; }
  else
    json='{}'; ticks0=0; ticks1=0; t0=0; t1=0; threads="$(threads_of "$server_pid")"
  fi
  local hwm; hwm="$(hwm_of "$server_pid")"
  if [ -n "$holder_pid" ]; then kill -TERM "$holder_pid" 2>/dev/null || true; wait "$holder_pid" 2>/dev/null || true; holder_pid=""; fi
  stop_server "$server_pid"; server_pid=""
  jq -c --arg model "$model" --argjson idle "$idle" --argjson round "$round" --arg refused "$refused" \
        --argjson held "$held" --argjson t0 "$t0" --argjson t1 "$t1" --argjson ticks0 "$ticks0" --argjson ticks1 "$ticks1" \
        --argjson tck "$clk_tck" --argjson threads "$threads" --argjson hwm "$hwm" \
        --argjson idle0 "$idle0" --argjson idle1 "$idle1" --argjson cpus "$(nproc --all)" '
    {model: $model, idle: $idle, round: $round, idleHeld: $held, serverThreads: $threads, serverPeakRssKiB: $hwm} + .
    | if $refused != "" then . + {refused: $refused} else
      .seconds = ($t1 - $t0)
      | .requestsPerSec = (if .requests != null then .requests / (.durationUs / 1e6) else null end)
      | .serverCpuSeconds = (($ticks1 - $ticks0) / $tck)
      | .serverCpuUsPerRequest = (if (.requests // 0) > 0 then .serverCpuSeconds * 1e6 / .requests else null end)
      | .errorCount = ([.errors[]] | add)
      | .clientCpuSeconds = (if .clientCpuTicks != null then .clientCpuTicks / $tck else null end)
      | .machineCpuSeconds = ($cpus * .seconds - ($idle1 - $idle0))
      # What ran beside the server and wrk: the idle holder (asleep) and anything else on the machine.
      | .otherCpuSeconds = (if .clientCpuSeconds != null then .machineCpuSeconds - .serverCpuSeconds - .clientCpuSeconds else null end)
      end' <<<"$json" >>"$runs"
  tail -n 1 "$runs" | jq -r '"\(.model)\tidle \(.idle)\t" + (if .refused then "REFUSED: \(.refused)" else
    "\(.requestsPerSec | round) req/s\t\(.serverCpuUsPerRequest * 100 | round / 100) µs/req\tp99 \(.latencyUs.p99) µs\terrors \(.errorCount)" end)' >&2
}

describe_machine
load_before="$(cat /proc/loadavg)"
started="$(date -u +%FT%TZ)"
say "$rounds round(s) over models ($models) x idle ($idle_counts); results in ${out#"$root"/}"
for ((r = 1; r <= rounds; r++)); do
  for n in $idle_counts; do
    for m in $models; do
      measure run_one "$m" "$n" "$r"
    done
  done
done
load_after="$(cat /proc/loadavg)"

jq -n --slurpfile runs "$runs" --arg started "$started" --arg commit "$commit" --arg command "$command_line" \
   --arg models "$models" --arg idle "$idle_counts" --argjson active "$active" --argjson rounds "$rounds" \
   --argjson warmup "$warmup" --argjson duration "$duration" --arg cpu "$cpu_model" --arg kernel "$(uname -r)" \
   --arg java "$java_version" --arg serverCpus "$server_cpus" --arg clientCpus "$client_cpus" "$jq_defs"'
  ($runs | map(select(.refused == null))) as $good
  | {started: $started, commit: $commit, command: $command,
     machine: {cpu: $cpu, kernel: $kernel, java: $java},
     parameters: {models: ($models | split(" ") | map(select(. != ""))), idle: ($idle | split(" ") | map(select(. != "") | tonumber)),
                  active: $active, rounds: $rounds, warmupSeconds: $warmup, durationSeconds: $duration,
                  serverCpus: $serverCpus, clientCpus: $clientCpus},
     medians: ($good | group_by([.model, .idle]) | map({model: .[0].model, idle: .[0].idle, runs: length,
        requestsPerSec: (map(.requestsPerSec) | median), serverCpuUsPerRequest: (map(.serverCpuUsPerRequest) | median),
        latencyP50Us: (map(.latencyUs.p50) | median), latencyP99Us: (map(.latencyUs.p99) | median),
        serverThreads: (map(.serverThreads) | max), serverPeakRssKiB: (map(.serverPeakRssKiB) | median),
        noisyRuns: (map(select(.otherCpuSeconds != null and .otherCpuSeconds > 0.2 * .seconds)) | length),
        errors: (map(.errorCount // 0) | add)})),
     refused: ($runs | map(select(.refused != null)) | group_by([.model, .idle]) | map({model: .[0].model, idle: .[0].idle, why: .[0].refused})),
     runs: $runs}' >"$out/results.json"

chart_md="$("$root/bench/charts.sh" "$out")"

{
  echo "# The I/O-model lab: $active active connections beside idle ones ($(date -u -d "$started" +%F))"
  echo
  echo "\`$command_line\` at commit $commit; medians over $rounds round(s) of ${warmup}+${duration} s, a fresh server per run."
  if [ "$rounds" -lt 3 ] || [ "$duration" -lt 10 ]; then
    echo
    echo "**Not a measurement**: shorter than the defaults (3 rounds of 3 + 10 s); it shows that the harness works."
  fi
  echo
  echo "| model | idle | req/s | server µs/req | p50 ms | p99 ms | server threads | peak RSS MiB | noisy | errors |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for n in $idle_counts; do
    for m in $models; do
      jq -r --arg m "$m" --argjson n "$n" "$jq_defs"'
        (.medians[] | select(.model == $m and .idle == $n)
         | "| \(.model) | \(.idle) | \(.requestsPerSec | f(0)) | \(.serverCpuUsPerRequest | f(2)) | \(if .latencyP50Us then .latencyP50Us / 1000 | f(2) else "-" end) | \(if .latencyP99Us then .latencyP99Us / 1000 | f(2) else "-" end) | \(.serverThreads) | \(.serverPeakRssKiB / 1024 | f(0)) | \(.noisyRuns)/\(.runs) | \(.errors) |"),
        (.refused[] | select(.model == $m and .idle == $n) | "| \(.model) | \(.idle) | refused | | | | | | | \(.why | gsub("\\|"; "/")) |")' \
        "$out/results.json"
    done
  done
  echo
  [ -z "$chart_md" ] || { echo "$chart_md"; echo; }
  echo "- **req/s**, **p50/p99**: wrk (1 thread, $active connections, keep-alive) on core(s) $client_cpus; the server on core(s) $server_cpus."
  echo "- **server µs/req**: utime+stime of the server process (all threads) over the measured run, per request."
  echo "- **idle**: connections the idle holder (its own JVM, on the client core) opened first and kept open, sending nothing."
  echo "- **noisy**: runs where the machine spent over a fifth of a core on neither the server nor wrk (the idle holder sleeps);"
  echo "  such a run is repeated up to $retries times and the last attempt kept, flagged here."
  echo "- **refused**: the server did not keep the idle connections (select(2) cannot watch a descriptor >= FD_SETSIZE = 1024)."
  echo
  echo "## Commands"
  echo
  echo '```'
  echo "taskset -c $server_cpus java ${jvm[*]} -Xss256k -cp bench/target/netloop-bench.jar io.netloop.bench.lab.LabServer --model MODEL --port 0"
  echo "taskset -c $client_cpus java -XX:+UseSerialGC -cp bench/target/netloop-bench.jar io.netloop.bench.lab.IdleHolder --port \$PORT --count IDLE"
  echo "taskset -c $client_cpus wrk -t1 -c$active --latency --timeout 10s -s report.lua -d${duration}s http://127.0.0.1:\$PORT/plaintext"
  echo '```'
  echo
  machine_md
} >"$out/results.md"
cat "$out/results.md"
say "wrote ${out#"$root"/}/results.md, results.json and charts (logs in ${raw#"$root"/}, not committed)"
