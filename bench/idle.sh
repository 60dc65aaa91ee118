#!/usr/bin/env bash
# What an idle keep-alive connection costs a server in memory: netloop (`serve`, one loop), Netty
# (the bench module's HTTP peer, one loop), nginx-tuned (one worker) and the C floor hold 1k, 5k
# and 15k connections that each made one browser-like request (GET / with a browser's headers,
# answer read in full) and then said nothing, as a browser leaves a connection it may reuse.
#
#   bench/idle.sh                                   3 rounds, every peer, 1000 5000 15000 connections
#   bench/idle.sh --peers "netloop nginx-tuned" --counts "1000 10000" --rounds 1
#
# Per peer and round: a fresh server pinned to core 0 (ulimit -n raised for it and the client);
# the client (IdleClients, its own JVM on core 1) first makes --warm such exchanges on connections
# it resets after each answer (the request path has run before anything is measured), then
# opens the connections, count after count, holding them all. Before the first count and at each
# count the server's memory is read: for the JVM peers after a full collection forced by
# `jcmd PID GC.class_histogram`, whose total is the heap's live objects; then the resident set of
# the server's process tree (the sum of VmRSS in /proc/PID/status, nginx's master and worker
# together). Per connection: the growth since the reading before the first count, over the count.
# Peers alternate within a round. Writes bench/results/<date>-idle/{results.md,results.json,
# charts/*.png}; logs and class histograms under raw/ (not committed). A benchmark, not a test:
# nothing here judges a number.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
me=idle.sh
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
# shellcheck source=bench/nginx-tuned.sh
. "$root/bench/nginx-tuned.sh"

peers="netloop netty nginx-tuned floor"
counts="1000 5000 15000"
rounds=3
warm=200
settle=2
parallel=32
server_cpus=0
client_cpus=1
quiet_wait=30
out=""

usage() {
  awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "${BASH_SOURCE[0]}"
  cat <<'EOF'
Options:
  --peers "P ..."       of netloop netty nginx-tuned floor, in the order they alternate (default: all four)
  --counts "N ..."      idle connections held, ascending (default "1000 5000 15000")
  --rounds N            runs per peer; tables show medians (default 3)
  --warm N              exchanges on short connections before the first reading (default 200)
  --settle S            seconds between opening a count and reading the memory (default 2)
  --parallel N          exchanges the client has in flight while opening (default 32)
  --server-cpus LIST    taskset CPU list for the server (default 0)
  --client-cpus LIST    taskset CPU list for the client (default 1)
  --quiet-wait S        wait up to S s for an idle machine before each peer's run (default 30; 0: don't)
  --out DIR             results directory (default bench/results/<yyyy-mm-dd>-idle)
  --warmup S, --duration S, --retries N
                        accepted and ignored, so that `./netloop bench -- OPTIONS` may pass the other
                        harnesses' options (nothing here is timed)
EOF
}

command_line="bench/idle.sh$(quote_args "$@")"
while [ $# -gt 0 ]; do
  case "$1" in
    --peers) peers="$2"; shift 2 ;;
    --counts) counts="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --warm) warm="$2"; shift 2 ;;
    --settle) settle="$2"; shift 2 ;;
    --parallel) parallel="$2"; shift 2 ;;
    --server-cpus) server_cpus="$2"; shift 2 ;;
    --client-cpus) client_cpus="$2"; shift 2 ;;
    --quiet-wait) quiet_wait="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --warmup|--duration|--retries) shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option $1" ;;
  esac
done
positive='^[1-9][0-9]*$'
for p in $peers; do
  case "$p" in netloop|netty|nginx-tuned|floor) ;; *) die "a peer is netloop, netty, nginx-tuned or floor, not '$p'" ;; esac
done
last=0
for n in $counts; do
  [[ "$n" =~ $positive ]] || die "--counts wants positive whole numbers, not '$n'"
  [ "$n" -gt "$last" ] || die "--counts must ascend (connections are added to those already held)"
  last="$n"
done
max_count="$last"
[ "$max_count" -gt 0 ] || die "--counts must not be empty"
[[ "$rounds" =~ $positive ]] || die "--rounds wants a positive integer, not '$rounds'"
[[ "$warm" =~ ^[0-9]+$ ]] || die "--warm wants a whole number, not '$warm'"
[[ "$parallel" =~ $positive ]] || die "--parallel wants a positive integer, not '$parallel'"
[[ "$settle" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "--settle wants seconds, not '$settle'"
[[ "$quiet_wait" =~ ^[0-9]+$ ]] || die "--quiet-wait wants whole seconds, not '$quiet_wait'"

# --- tools, build, limits ------------------------------------------------------------------

"$root/scripts/install-bench-deps.sh"
ensure_tools
build_if_stale
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
jcmd="$(dirname "$(readlink -f "$java")")/jcmd"
[ -x "$jcmd" ] || die "no jcmd beside $java: the JVM peers' heap cannot be read"
netty_version="$(find "$root/bench/target/netty" -name 'netty-codec-http-*.jar' 2>/dev/null | sed -E 's/.*netty-codec-http-(.*)\.jar/\1/' | head -n 1)"
floor_bin=""
for p in $peers; do
  case "$p" in
    floor) floor_bin="$("$root/bench/floor/build.sh")" || die "the floor: $floor_bin" ;;
    nginx-tuned) [ -x "$nginx_bin" ] || die "nginx is not installed (scripts/install-bench-deps.sh installs it)" ;;
    netty) [ -n "$netty_version" ] || die "bench/target/netty holds no Netty jars (build the bench module)" ;;
  esac
done

# Both the server and the client hold one descriptor per connection, plus their own (jars, epoll,
# the JVM's); the harness raises its soft limit, which both inherit.
fds=$((max_count + 1024))
raise_fd_limit "$fds"
somaxconn="$(cat /proc/sys/net/core/somaxconn 2>/dev/null || echo 4096)"
# All connections go from 127.0.0.1 to one port, each from an ephemeral port of its own; past what
# the range holds, the client spreads them over more source addresses (all of 127/8 is loopback).
read -r port_lo port_hi </proc/sys/net/ipv4/ip_local_port_range
ports=$((port_hi - port_lo + 1))
sources=$(( (max_count + warm + 2000) / ports + 1 ))

# --- output and scratch --------------------------------------------------------------------

out="${out:-$(default_out idle)}"
mkdir -p "$out/raw" "$out/charts"
out="$(cd "$out" && pwd)"
raw="$out/raw"
runs="$raw/runs.jsonl"
: >"$runs"
work="$(mktemp -d "${TMPDIR:-/tmp}/netloop-idle.XXXXXX")"
www="$work/www"
mkdir -p "$www"
# The page GET / answers (netloop and nginx; Netty's bench peer and the floor answer 404): a small
# page as a site's front page might be, 1.6 KiB.
{
  echo '<!doctype html>'
  echo '<html lang="en"><head><meta charset="utf-8"><title>netloop idle connections</title>'
  echo '<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,"></head>'
  echo '<body><main><h1>Idle connections</h1>'
  for i in $(seq 1 12); do
    echo "<p>Paragraph $i: a browser that loaded this page keeps its connection open for the next request.</p>"
  done
  echo '</main></body></html>'
} >"$www/index.html"
# nginx started as root serves from worker processes running as nobody: they must be able to read.
chmod 755 "$work" "$www"
chmod 644 "$www/index.html"

client_pid=""
idle_cleanup() {
  if [ -n "$client_pid" ]; then kill -TERM "$client_pid" 2>/dev/null || true; wait "$client_pid" 2>/dev/null || true; fi
  client_pid=""
  if [ -n "$server_pid" ]; then stop_tree "$server_pid"; fi
  rm -rf "$work"
}
trap idle_cleanup EXIT
trap 'exit 130' INT TERM

# Stops the server (lib.sh's stop_server: SIGTERM, SIGKILL after 5 s) and whatever of its tree
# outlived it (an nginx worker whose master was killed).
stop_tree() {
  local pid="$1" tree p
  tree="$(tree_pids "$pid")"
  stop_server "$pid"
  for p in $tree; do
    [ "$p" = "$pid" ] || kill -KILL "$p" 2>/dev/null || true
  done
  server_pid=""
}

# --- peers ---------------------------------------------------------------------------------

# Whether something accepts connections on 127.0.0.1:PORT.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
next_port=19080
pick_port() {
  local i
  for ((i = 0; i < 200; i++)); do
    port=$next_port
    next_port=$((next_port >= 19979 ? 19080 : next_port + 1))
    port_open "$port" || return 0
  done
  die "no free port in 19080..19979"
}

# peer_command PEER PORT DIR: sets cmd (serving 127.0.0.1:PORT in the foreground until SIGTERM; DIR a
# scratch directory of its own) and jvm (1 for a JVM, whose heap is read too). Nobody closes an idle
# connection during a run: netloop's and nginx's keep-alive timeouts are raised to 10 minutes (60 and
# 75 s by default); the bench's Netty peer and the floor have none.
peer_command() {
  local port="$2" dir="$3"
  case "$1" in
    netloop)
      # serve answers 503 beyond --max-connections (10,000 by default).
      cmd=("$root/netloop" serve --port "$port" --io epoll --threads 1 --access-log off --root "$www"
           --idle-timeout 10m --max-connections $((max_count + 1000)))
      jvm=1 ;;
    netty)
      cmd=("$java" "${netty_jvm[@]}" -cp "$bench_jar" io.netloop.bench.NettyHttpServer
           --port "$port" --io epoll --threads 1 --root "$www")
      jvm=1 ;;
    nginx-tuned)
      mkdir -p "$dir/temp"
      nginx_tuned_conf "$dir" "$port" 1 "$fds" "$www" "$somaxconn" off 10m >"$dir/nginx.conf"
      cmd=("$nginx_bin" -p "$dir" -e stderr -c "$dir/nginx.conf")
      jvm=0 ;;
    floor)
      cmd=("$floor_bin" http "$port" "$www")
      jvm=0 ;;
  esac
}

peer_version() {
  case "$1" in
    netloop) echo "netloop $(git -C "$root" rev-parse --short HEAD 2>/dev/null) on $("$java" -version 2>&1 | head -n 1)" ;;
    netty) echo "Netty $netty_version on $("$java" -version 2>&1 | head -n 1)" ;;
    nginx-tuned) "$nginx_bin" -v 2>&1 | sed 's/^nginx version: //' ;;
    floor) echo "floor (bench/floor/floor.c, $(gcc --version | head -n 1), -O2)" ;;
  esac
}

# --- measuring -----------------------------------------------------------------------------

# read_memory PID JVM FILE: prints "RSS_KIB ANON_KIB HEAP_BYTES HEAP_OBJECTS" for the tree of PID;
# for a JVM (JVM=1) first forces a full collection with GC.class_histogram, kept in FILE, whose
# total is the live heap ("- -" otherwise).
read_memory() {
  local pid="$1" is_jvm="$2" file="$3" heap="- -"
  if [ "$is_jvm" = 1 ]; then
    "$jcmd" "$pid" GC.class_histogram >"$file" 2>&1 || { say "jcmd $pid GC.class_histogram failed: $(tail -n 1 "$file")"; return 1; }
    heap="$(awk '$1 == "Total" { print $3, $2 }' "$file")"
    [ -n "$heap" ] || { say "no Total line in $file"; return 1; }
  fi
  echo "$(tree_status_kib "$pid" VmRSS) $(tree_status_kib "$pid" RssAnon) $heap"
}

# top_classes BASE NOW N: the classes whose live bytes grew most between two histograms, as a JSON
# array of {class, bytes, instances} (growth), the N first.
top_classes() {
  awk -v n="$3" '
    FNR == 1 { f++ }
    $1 ~ /^[0-9]+:$/ { name = $4; if (f == 1) { b0[name] = $3; i0[name] = $2 } else { b1[name] = $3; i1[name] = $2 } }
    END { for (c in b1) { d = b1[c] - b0[c]; if (d > 0) printf "%d\t%d\t%s\n", d, i1[c] - i0[c], c } }' "$1" "$2" |
    sort -rn | head -n "$3" |
    jq -R -s 'split("\n") | map(select(. != "") | split("\t") | {class: .[2], bytes: (.[0] | tonumber), instances: (.[1] | tonumber)})'
}

# client_say COMMAND: sends one line to the client and reads its answer into reply (up to 10 min:
# 15k connections to a server on a busy core take a while).
client_say() {
  reply=""
  printf '%s\n' "$1" >&"${client[1]}"
  read -r -t 600 reply <&"${client[0]}" || reply="FAILED error=no answer from the client to '$1' ($(tail -n 1 "$log.client.err" 2>/dev/null))"
}

# field NAME: the value of NAME=... in $reply ("" if none).
field() { sed -n -E "s/.*(^| )$1=([^ ]*).*/\\2/p" <<<"$reply"; }

run_one() {
  local p="$1" round="$2" tag log load dir n prev=0 prev_rss=0 mem="" rss anon heap objects t0 t1 why=""
  local base base_anon base_heap base_objects held
  tag="r$round-$p"
  log="$raw/$tag"
  dir="$log.dir"
  mkdir -p "$dir"
  wait_for_quiet "$quiet_wait"
  load="$(cut -d' ' -f1 /proc/loadavg)"
  pick_port
  peer_command "$p" "$port" "$dir"
  peer_cmd[$p]="$(printf '%q ' taskset -c "$server_cpus" "${cmd[@]}" |
    sed -e 's/ $//' -e "s|$dir|\$RUN|g" -e "s|$work|\$WORK|g" -e "s|$root/|./|g" -e "s|--port $port|--port \$PORT|" -e "s| $port | \$PORT |")"
  : >"$log.server.out"; : >"$log.server.err"
  exec_on_cpus "$server_cpus" "${cmd[@]}" >"$log.server.out" 2>"$log.server.err" &
  server_pid=$!
  local i
  for ((i = 0; i < 600; i++)); do
    port_open "$port" && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  if ! port_open "$port"; then
    say "$tag: the server did not listen on $port:"; tail -n 5 "$log.server.err" >&2
    jq -nc --arg peer "$p" --argjson round "$round" --arg why "did not listen (log: raw/$tag.server.err)" \
      '{peer: $peer, round: $round, invalid: $why}' >>"$runs"
    stop_tree "$server_pid"
    return
  fi
  if [ "$jvm" = 1 ] && [ "$(cat "/proc/$server_pid/comm")" != java ]; then
    die "$tag: pid $server_pid is $(cat "/proc/$server_pid/comm"), not the JVM (has the launcher stopped exec'ing it?)"
  fi

  coproc client { exec_on_cpus "$client_cpus" "$java" -XX:+UseSerialGC -Xss256k -cp "$bench_jar" io.netloop.bench.lab.IdleClients \
      --port "$port" --parallel "$parallel" --sources "$sources" 2>"$log.client.err"; }
  # shellcheck disable=SC2154 # client_PID is set by coproc
  client_pid="$client_PID"
  read -r -t 60 reply <&"${client[0]}" || reply=""
  [ "$reply" = READY ] || die "$tag: the client did not start: $(tail -n 3 "$log.client.err")"

  if [ "$warm" -gt 0 ]; then
    client_say "warm $warm"
    printf 'warm %s\n' "$reply" >>"$log.client.out"
    [[ "$reply" == OK* ]] || why="the warm-up failed: $reply"
  fi
  sleep 0.5
  if [ -z "$why" ]; then
    mem="$(read_memory "$server_pid" "$jvm" "$log.histo-0")" || why="could not read the server's memory before opening"
  fi
  [ -z "$why" ] || say "$tag: NOT MEASURED: $why"
  read -r base base_anon base_heap base_objects <<<"${mem:-0 0 - -}"
  prev_rss="$base"
  for n in $counts; do
    [ -z "$why" ] || break
    t0="$(date +%s.%N)"
    client_say "open $n"
    t1="$(date +%s.%N)"
    printf 'open %s\n' "$reply" >>"$log.client.out"
    if [[ "$reply" != OK* ]]; then
      why="opening $n connections failed: $reply"
      say "$tag: $why"
      jq -nc --arg peer "$p" --argjson round "$round" --argjson n "$n" --arg why "$why" \
        '{peer: $peer, round: $round, connections: $n, invalid: $why}' >>"$runs"
      break
    fi
    local statuses said_close
    statuses="$(field status)"; said_close="$(field saidClose)"; held="$(field held)"
    sleep "$settle"
    client_say probe
    local closed
    closed="$(field closed)"
    if ! mem="$(read_memory "$server_pid" "$jvm" "$log.histo-$n")"; then
      why="could not read the server's memory at $n connections"
      say "$tag: $why"
      break
    fi
    read -r rss anon heap objects <<<"$mem"
    local top='null'
    if [ "$jvm" = 1 ]; then top="$(top_classes "$log.histo-0" "$log.histo-$n" 12)"; fi
    jq -nc --arg peer "$p" --argjson round "$round" --argjson n "$n" --argjson prev "$prev" \
          --argjson held "${held:-0}" --argjson closed "${closed:-0}" --arg statuses "$statuses" \
          --argjson saidClose "${said_close:-0}" --argjson t0 "$t0" --argjson t1 "$t1" \
          --argjson base "$base" --argjson baseAnon "$base_anon" --argjson rss "$rss" --argjson anon "$anon" \
          --argjson prevRss "$prev_rss" --arg baseHeap "$base_heap" --arg baseObjects "$base_objects" \
          --arg heap "$heap" --arg objects "$objects" --argjson top "$top" --argjson load "$load" \
          --argjson procs "$(wc -w <<<"$(tree_pids "$server_pid")")" '
      def num: if . == "-" then null else tonumber end;
      {peer: $peer, round: $round, connections: $n, held: $held, closedByServer: $closed,
       statuses: ($statuses | split(",") | map(select(. != "-") | split(":") | {key: .[0], value: (.[1] | tonumber)}) | from_entries),
       saidClose: $saidClose, openSeconds: ($t1 - $t0), serverProcesses: $procs, loadavg1: $load,
       rssBaseKiB: $base, rssKiB: $rss, rssAnonBaseKiB: $baseAnon, rssAnonKiB: $anon,
       rssBytesPerConnection: (($rss - $base) * 1024 / $n),
       rssAnonBytesPerConnection: (($anon - $baseAnon) * 1024 / $n),
       rssMarginalBytesPerConnection: (($rss - $prevRss) * 1024 / ($n - $prev)),
       heapBaseBytes: ($baseHeap | num), heapBytes: ($heap | num),
       heapObjectsBase: ($baseObjects | num), heapObjects: ($objects | num)}
      | .heapBytesPerConnection = (if .heapBytes == null then null else (.heapBytes - .heapBaseBytes) / $n end)
      | .heapObjectsPerConnection = (if .heapObjects == null then null else (.heapObjects - .heapObjectsBase) / $n end)
      | .topClasses = $top' >>"$runs"
    tail -n 1 "$runs" | jq -r '"\(.peer)\t\(.connections) held \(.held)\tRSS \(.rssBytesPerConnection | round) B/conn\theap \(.heapBytesPerConnection // "-" | if type == "number" then round else . end) B/conn\tclosed \(.closedByServer)\tstatus \(.statuses)"' >&2
    prev="$n"; prev_rss="$rss"
  done
  client_say quit
  wait "$client_pid" 2>/dev/null || true
  client_pid=""
  stop_tree "$server_pid"
  printf '%s\t%s\n' "$tag" "$stopped_in" >>"$raw/stops.tsv"
}

# --- the runs ------------------------------------------------------------------------------

declare -A peer_cmd=()
describe_machine
load_before="$(cat /proc/loadavg)"
started="$(date -u +%FT%TZ)"
say "$rounds round(s) over peers ($peers) at ($counts) idle connections; results in ${out#"$root"/}"
for ((r = 1; r <= rounds; r++)); do
  for p in $peers; do
    run_one "$p" "$r"
  done
done
load_after="$(cat /proc/loadavg)"

# --- results.json --------------------------------------------------------------------------

versions="$(for p in $peers; do printf '%s\t%s\n' "$p" "$(peer_version "$p")"; done |
  jq -R 'split("\t") | {key: .[0], value: .[1]}' | jq -s from_entries)"
commands="$(for p in $peers; do printf '%s\t%s\n' "$p" "${peer_cmd[$p]:-}"; done |
  jq -R 'split("\t") | {key: .[0], value: .[1]}' | jq -s from_entries)"
jq -n --slurpfile runs "$runs" --arg started "$started" --arg commit "$commit" --arg command "$command_line" \
   --arg peers "$peers" --arg counts "$counts" --argjson rounds "$rounds" --argjson warm "$warm" --arg settle "$settle" \
   --arg cpu "$cpu_model" --arg kernel "$(uname -r)" --arg java "$java_version" --arg loadBefore "$load_before" \
   --arg loadAfter "$load_after" --arg serverCpus "$server_cpus" --arg clientCpus "$client_cpus" \
   --argjson sources "$sources" --arg nproc "$(nproc --all)" --argjson versions "$versions" --argjson commands "$commands" "$jq_defs"'
  def words: split(" ") | map(select(. != ""));
  ($runs | map(select(.invalid == null))) as $good
  | {started: $started, commit: $commit, command: $command,
     machine: {nproc: ($nproc | tonumber), cpu: $cpu, kernel: $kernel, java: $java, loadavgBefore: $loadBefore, loadavgAfter: $loadAfter},
     parameters: {peers: ($peers | words), counts: ($counts | words | map(tonumber)), rounds: $rounds,
                  warmExchanges: $warm, settleSeconds: ($settle | tonumber), sourceAddresses: $sources,
                  serverCpus: $serverCpus, clientCpus: $clientCpus,
                  rss: "sum of VmRSS over the server process tree (/proc/PID/status), after the full collection for JVMs",
                  heap: "live bytes and objects after a full collection: the Total line of jcmd PID GC.class_histogram"},
     versions: $versions, commands: $commands,
     medians: ($good | group_by([.connections, .peer]) | map({
        peer: .[0].peer, idleConnections: .[0].connections, runs: length,
        held: (map(.held) | min), closedByServer: (map(.closedByServer) | max),
        statuses: .[0].statuses,
        rssBytesPerConnection: (map(.rssBytesPerConnection) | median),
        rssBytesPerConnectionMin: (map(.rssBytesPerConnection) | min),
        rssBytesPerConnectionMax: (map(.rssBytesPerConnection) | max),
        rssAnonBytesPerConnection: (map(.rssAnonBytesPerConnection) | median),
        rssMarginalBytesPerConnection: (map(.rssMarginalBytesPerConnection) | median),
        rssBaseKiB: (map(.rssBaseKiB) | median), rssKiB: (map(.rssKiB) | median),
        heapBytesPerConnection: (map(.heapBytesPerConnection) | median),
        heapObjectsPerConnection: (map(.heapObjectsPerConnection) | median),
        heapBaseBytes: (map(.heapBaseBytes) | median), heapBytes: (map(.heapBytes) | median),
        openSeconds: (map(.openSeconds) | median)})),
     invalidRuns: ($runs | map(select(.invalid != null))),
     runs: $runs}' >"$out/results.json"

chart_md="$("$root/bench/charts.sh" "$out")"

# --- results.md ----------------------------------------------------------------------------

{
  echo "# Idle keep-alive connections: memory per connection ($(date -u -d "$started" +%F))"
  echo
  echo "\`$command_line\` at commit $commit; $rounds round(s), peers alternated, a fresh server per peer and round"
  echo "holding $counts connections in turn; medians over the rounds."
  if [ "$rounds" -lt 3 ] || [ "$max_count" -lt 1000 ]; then
    echo
    echo "**Not a measurement**: fewer rounds or connections than the defaults (3 rounds, up to 15,000); it shows that"
    echo "the harness works."
  fi
  jq -r '.invalidRuns[] | "**Not measured**: \(.peer) round \(.round)\(if .connections then " at \(.connections)" else "" end): \(.invalid)."' "$out/results.json"
  echo
  echo "| peer | idle conns | held | RSS B/conn | RSS range | marginal RSS B/conn | heap B/conn | heap objects/conn | RSS before → at N MiB | answers | closed by server |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|"
  for n in $counts; do
    for p in $peers; do
      jq -r --arg p "$p" --argjson n "$n" "$jq_defs"'
        .medians[] | select(.peer == $p and .idleConnections == $n)
        | "| \(.peer) | \(.idleConnections) | \(.held) | \(.rssBytesPerConnection | f(0)) | \(.rssBytesPerConnectionMin | f(0))–\(.rssBytesPerConnectionMax | f(0)) | \(.rssMarginalBytesPerConnection | f(0)) | \(.heapBytesPerConnection | f(0)) | \(.heapObjectsPerConnection | f(1)) | \(.rssBaseKiB / 1024 | f(1)) → \(.rssKiB / 1024 | f(1)) | \(.statuses | to_entries | map("\(.key) ×\(.value)") | join(", ")) | \(.closedByServer) |"' \
        "$out/results.json"
    done
  done
  echo
  [ -z "$chart_md" ] || { echo "$chart_md"; echo; }
  echo "- **held**: connections open when the memory was read (the fewest over the rounds); **closed by server**: held"
  echo "  connections the server had closed $settle s after the count was reached (the most over the rounds)."
  echo "- **RSS B/conn**: growth of the server tree's resident set (sum of VmRSS; nginx's master and worker) from the"
  echo "  reading before the first connection to the reading at N, over N; **range** over the rounds. **marginal**: the"
  echo "  growth from the previous count to this one, over the connections added. For the JVM peers both readings"
  echo "  follow a full collection; the JVM does not return the heap it has grown to, so its RSS moves in steps."
  echo "- **heap B/conn**, **objects/conn**: growth of the live heap (bytes and objects) after a full collection, from"
  echo "  the Total line of \`jcmd PID GC.class_histogram\` (which forces that collection), over N. JVM peers only;"
  echo "  Netty's pooled direct buffers are off the heap and show in RSS only."
  echo "- Kernel memory (socket buffers, the socket, file and epoll structures) is in neither figure, and the same"
  echo "  for every peer."
  echo "- **answers**: the status each exchange got: netloop and nginx serve \$WORK/www/index.html (1.6 KiB); the"
  echo "  bench's Netty peer and the floor answer 404 to GET /."
  echo "- Before the first reading the client made $warm such exchanges, each on a connection reset after its answer."
  echo
  jq -r '
    [.runs[] | select(.topClasses != null and .topClasses != [])] | group_by(.peer)[]
    | max_by(.connections) as $r
    | "**\($r.peer)**: the classes whose live heap grew most at \($r.connections) connections (round \($r.round)), per connection:\n\n"
      + "| class | bytes/conn | objects/conn |\n|---|---:|---:|\n"
      + ($r.topClasses | map("| `\(.class)` | \((.bytes / $r.connections * 10 | round) / 10) | \((.instances / $r.connections * 100 | round) / 100) |") | join("\n"))
      + "\n"' "$out/results.json"
  echo "## Commands"
  echo
  echo "\$WORK is the harness's scratch directory (www/ holds index.html), \$RUN a directory of the run's own, \$PORT a"
  echo "free port. ulimit -n $(ulimit -n) for the server and the client."
  echo
  echo '```'
  jq -r '.commands | to_entries[] | "# \(.key)\n\(.value)"' "$out/results.json"
  echo "# the client, driven on stdin: warm $warm, then open N for each count (N = $counts), probe, and the readings"
  echo "taskset -c $client_cpus java -XX:+UseSerialGC -Xss256k -cp bench/target/netloop-bench.jar io.netloop.bench.lab.IdleClients --port \$PORT --parallel $parallel --sources $sources"
  echo "jcmd \$PID GC.class_histogram    # JVM peers; then VmRSS of every process of the server's tree"
  echo '```'
  echo
  echo "The request every connection makes once:"
  echo
  echo '```http'
  echo "GET / HTTP/1.1"
  echo "Host: 127.0.0.1:\$PORT"
  echo "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
  echo "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/png,image/svg+xml,*/*;q=0.8"
  echo "Accept-Language: en-US,en;q=0.5"
  echo "Accept-Encoding: gzip, deflate, br, zstd"
  echo "Connection: keep-alive"
  echo "Upgrade-Insecure-Requests: 1"
  echo "Sec-Fetch-Dest: document"
  echo "Sec-Fetch-Mode: navigate"
  echo "Sec-Fetch-Site: none"
  echo "Sec-Fetch-User: ?1"
  echo "Priority: u=0, i"
  echo '```'
  if [[ " $peers " == *" nginx-tuned "* ]]; then
    conf="$(find "$raw" -path '*nginx-tuned*' -name nginx.conf | head -n 1)"
    if [ -n "$conf" ]; then
      echo
      echo "nginx-tuned's nginx.conf (bench/nginx-tuned.sh, one worker, a 10-minute keep-alive timeout):"
      echo
      echo '```nginx'
      sed -e "s|$(dirname "$conf")|\$RUN|g" -e "s|$work|\$WORK|g" -e "s|listen 127.0.0.1:[0-9]*|listen 127.0.0.1:\$PORT|" "$conf"
      echo '```'
    fi
  fi
  echo
  machine_md
  jq -r '.versions | to_entries[] | "- \(.key): \(.value)"' "$out/results.json"
} >"$out/results.md"
cat "$out/results.md"
say "wrote ${out#"$root"/}/results.md, results.json and charts (logs in ${raw#"$root"/}, not committed)"
