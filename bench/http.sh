#!/usr/bin/env bash
# HTTP/1.1 requests per second, latency and server CPU per request: netloop against nginx and
# Netty 4.2, all loaded by wrk.
#
#   bench/http.sh                       3 rounds; every peer; every scenario; 64 and 1024 connections
#   bench/http.sh --peers "nginx netty netty:io_uring" --scenarios plaintext --connections 256 --duration 20
#
# Scenarios: `plaintext` is GET /plaintext answered "Hello, World!" (text/plain, 13 bytes), keep-alive;
# `pipelined` the same, 16 requests sent at a time on each connection; `short` the same as HTTP/1.0
# without keep-alive, one request per connection (as webbench does); `static` is GET /static/4k.bin
# and `static1m` GET /static/1m.bin, files that every peer serves from the same directory, keep-alive. Per run: a fresh server pinned to core 0, wrk pinned to core 1 (one
# thread, C connections, --latency), first a warm-up run, then the measured one. Peers alternate
# (A B C A B C ...) so that slow drift of the machine hits each alike; tables show medians over
# the rounds. Server CPU is utime+stime of the server's whole process tree (nginx's master and
# workers, every JVM thread) from /proc over exactly the measured wrk run. Writes
# bench/results/<date>-http/{results.md,results.json}, and logs under raw/ (not committed).
# A benchmark, not a test: nothing here judges a number.
#
# Peers: a PEER is NAME or NAME:IO (netty:nio, netty:io_uring, netloop:io_uring; IO defaults to
# epoll); each NAME is a few functions in "peers" below. netloop's expects the HTTP server being
# merged: `./netloop serve --port P --io IO --threads N --root DIR` (in the foreground, until
# SIGTERM), answering GET /plaintext with "Hello, World!" (text/plain, 13 bytes) and
# GET /static/4k.bin with DIR/static/4k.bin, keep-alive. Nothing it prints is read: it is ready
# when the port accepts, and each run first checks its answers with curl. Until
# `./netloop serve --help` mentions --root, the netloop peer is skipped, saying why.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=3
peers="netloop netloop:epoll-et netloop:io_uring netloop:nio netty netty:io_uring netty:nio nginx floor"
scenarios="plaintext pipelined short static static1m static-short static-log"
# issue 15: nginx as people tune it for static files, beside the plain one (bench/nginx-tuned.sh).
peers="$peers nginx-tuned"
connections="64 1024"
warmup=5
duration=10
threads=1
server_cpus=0
client_cpus=1
wrk_threads=1
out=""
quiet_wait=30
port_base=18080
access_log_dir=""

say() { printf 'http.sh: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

usage() {
  sed -n '2,24p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  cat <<'EOF'
Options:
  --peers "P ..."         peers in the order they alternate; the first netloop one (else the first)
                          is the reference of the ratios (default "netloop netloop:epoll-et
                          netloop:io_uring netloop:nio netty netty:io_uring netty:nio nginx floor")
  --scenarios "S ..."     of plaintext pipelined short static static1m (default: all)
  --connections "C ..."   wrk connections (default "64 1024")
  --rounds N              runs per (peer, scenario, connections); tables show medians (default 3)
  --warmup S              whole seconds of wrk before the measured run, in two runs with their own
                          connections; 0: none (default 5)
  --duration S            whole seconds measured (default 10)
  --threads N             server threads / nginx worker processes (default 1)
  --server-cpus LIST      taskset CPU list for the server (default 0)
  --client-cpus LIST      taskset CPU list for wrk (default 1)
  --wrk-threads N         wrk -t (default 1)
  --out DIR               results directory (default bench/results/<yyyy-mm-dd>-http)
  --quiet-wait S          before each run, wait up to S s for the machine to be idle (default 30; 0: don't)
EOF
  cat <<'EOF'
  --access-log-dir DIR    where static-log's access logs are written (default: the scratch directory
                          under $TMPDIR); every peer's log goes to the same filesystem

Also (issue 15):
  nginx-tuned             a peer, last in the default list: nginx as people run it for static files
                          (bench/nginx-tuned.sh: sendfile, tcp_nopush, open_file_cache, return 200 for
                          /plaintext); its access log, in static-log, is buffered (64k, flush=1s), the
                          plain nginx's is not
  static-short            a scenario: GET /static/4k.bin as HTTP/1.1 with Connection: close, one request
                          per connection
  static-log              a scenario: GET /static/4k.bin, keep-alive, with a browser's User-Agent and
                          Referer, the server writing a combined-format access log to a file (netloop,
                          nginx, nginx-tuned; peers without an access log skip it). The file is emptied
                          after the warm-up; after the run its lines are counted against wrk's requests
                          (missing lines: dropped), and the server's CPU includes writing out the log.
EOF
}

# The command as typed, quoted for a shell, for the report.
quote() {
  if [[ "$1" =~ ^[A-Za-z0-9_./:=,@%+-]+$ ]]; then printf ' %s' "$1"; else printf " '%s'" "${1//\'/\'\\\'\'}"; fi
}
command_line="bench/http.sh$(for a in "$@"; do quote "$a"; done)"
while [ $# -gt 0 ]; do
  case "$1" in
    --peers) peers="$2"; shift 2 ;;
    --scenarios) scenarios="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --server-cpus) server_cpus="$2"; shift 2 ;;
    --client-cpus) client_cpus="$2"; shift 2 ;;
    --wrk-threads) wrk_threads="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --quiet-wait) quiet_wait="$2"; shift 2 ;;
    --access-log-dir) access_log_dir="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option $1" ;;
  esac
done
positive='^[1-9][0-9]*$'
[[ "$rounds" =~ $positive ]] || die "--rounds wants a positive integer, not '$rounds'"
[[ "$threads" =~ $positive ]] || die "--threads wants a positive integer, not '$threads'"
[[ "$wrk_threads" =~ $positive ]] || die "--wrk-threads wants a positive integer, not '$wrk_threads'"
# wrk takes whole seconds only.
[[ "$warmup" =~ ^[0-9]+$ ]] || die "--warmup wants whole seconds, not '$warmup'"
[[ "$duration" =~ $positive ]] || die "--duration wants whole seconds, not '$duration'"
[[ "$quiet_wait" =~ ^[0-9]+$ ]] || die "--quiet-wait wants whole seconds, not '$quiet_wait'"
for s in $scenarios; do
  case "$s" in plaintext|pipelined|short|static|static1m|static-short|static-log) ;;
    *) die "a scenario is plaintext, pipelined, short, static, static1m, static-short or static-log, not '$s'" ;; esac
done
for c in $connections; do
  [[ "$c" =~ $positive ]] && [ "$c" -ge "$wrk_threads" ] ||
    die "connections must be whole numbers of at least --wrk-threads ($wrk_threads), not '$c'"
done
[ -n "$peers" ] && [ -n "$scenarios" ] && [ -n "$connections" ] || die "--peers, --scenarios and --connections must not be empty"

# --- tools ---------------------------------------------------------------------------------

"$root/scripts/install-bench-deps.sh"
[ "$(nproc --all)" -ge 2 ] || die "needs 2 cores (server on one, wrk on another); this machine has $(nproc --all)"
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
clk_tck="$(getconf CLK_TCK)"

# The same JDK search as the launcher, taken from it rather than copied, so the two cannot drift.
min_java=""   # set by the eval below, from ./netloop
eval "$(sed -n -e '/^min_java=/p' -e '/^java_major() {/,/^}/p' -e '/^find_java() {/,/^}/p' "$root/netloop")"
declare -F find_java >/dev/null || die "could not take find_java from ./netloop; has the launcher changed?"
java="$(find_java)" || java=""

# --- build ---------------------------------------------------------------------------------

bench_jar="$root/bench/target/netloop-bench.jar"
stamp="$root/bench/target/.bench-built"   # the same stamp as bench/lib.sh
stale() {
  [ -f "$bench_jar" ] && [ -f "$root/cli/target/netloop.jar" ] && [ -f "$stamp" ] || return 0
  [ -n "$(find "$root" -path "$root/.git" -prune -o \( -path '*/src/main/*' -o -name pom.xml \) \
          -type f -newer "$stamp" -print -quit)" ]
}
if [ -n "$java" ] && stale; then
  say "building ..."
  (cd "$root" && mvn -B -q -DskipTests package >"$root/.build.log" 2>&1) || {
    tail -n 40 "$root/.build.log" >&2; die "the build failed; the whole log is in .build.log"; }
  touch "$stamp"
  # Maven leaves cli/target/netloop.jar untouched when cli itself did not change, and the
  # launcher then finds a newer source in bench/ and rebuilds at every start, inside our runs.
  touch "$root/cli/target/netloop.jar" "$root/cli/target/.built"
fi

# --- limits --------------------------------------------------------------------------------

max_conns=0
for c in $connections; do
  if [ "$c" -gt "$max_conns" ]; then max_conns="$c"; fi
done
fds=$((max_conns + 1024))   # sockets plus the JVM's jars and the servers' own descriptors
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$fds" ]; then
  ulimit -n "$fds" 2>/dev/null || die "$max_conns connections need ulimit -n >= $fds; the hard limit is $(ulimit -Hn)"
fi
somaxconn="$(cat /proc/sys/net/core/somaxconn 2>/dev/null || echo 4096)"

# --- the content every peer serves ---------------------------------------------------------

work="$(mktemp -d "${TMPDIR:-/tmp}/netloop-http-bench.XXXXXX")"
static_root="$work/www"
mkdir -p "$static_root/static"
head -c 4096 /dev/urandom >"$static_root/static/4k.bin"
head -c 1048576 /dev/urandom >"$static_root/static/1m.bin"
printf 'Hello, World!' >"$work/plaintext.expected"
# nginx started as root serves from worker processes running as nobody: they must be able to read.
chmod 755 "$work" "$static_root" "$static_root/static"
chmod 644 "$static_root/static/4k.bin" "$static_root/static/1m.bin"

# static-log's access logs: one directory for every peer, so that all write to the same filesystem.
access_log_dir="${access_log_dir:-$work/access-logs}"
mkdir -p "$access_log_dir"
access_log_dir="$(cd "$access_log_dir" && pwd)"   # absolute: nginx takes paths relative to its prefix
access_log_fs="$(stat -f -c %T "$access_log_dir") on $(df --output=source "$access_log_dir" | tail -n 1)"

# wrk calls done() once, after the run: one line of JSON with its summary, the latency
# percentiles (µs) and its own CPU ticks (utime+stime of /proc/self/stat, all its threads).
cat >"$work/report.lua" <<'EOF'
done = function(summary, latency, requests)
  local ticks = 0
  local f = io.open("/proc/self/stat", "r")
  if f then
    local rest = f:read("*l"):match("^.*%) (.*)$") or ""
    f:close()
    local fields = {}
    for x in rest:gmatch("%S+") do fields[#fields + 1] = x end
    ticks = (tonumber(fields[12]) or 0) + (tonumber(fields[13]) or 0)   -- stat fields 14 and 15
  end
  local e = summary.errors
  io.write(string.format('WRK_JSON {"requests":%.0f,"durationUs":%.0f,"bytes":%.0f,'
    .. '"errors":{"connect":%.0f,"read":%.0f,"write":%.0f,"status":%.0f,"timeout":%.0f},'
    .. '"latencyUs":{"mean":%.1f,"stdev":%.1f,"max":%.0f,"p50":%.0f,"p90":%.0f,"p99":%.0f,"p999":%.0f},'
    .. '"clientCpuTicks":%.0f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency.stdev, latency.max, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency:percentile(99.9), ticks))
end
EOF
# pipelined: each connection sends 16 requests at a time (wrk counts every response).
{ cat "$work/report.lua"; cat <<'EOF'
init = function(args)
  local r = {}
  for i = 1, 16 do r[i] = wrk.format(nil) end
  req = table.concat(r)
end
request = function() return req end
EOF
} >"$work/pipelined.lua"
# short: HTTP/1.0 without keep-alive, as webbench sends; the server closes after each answer and
# wrk connects again.
{ cat "$work/report.lua"; cat <<'EOF'
request = function()
  return "GET " .. wrk.path .. " HTTP/1.0\r\nHost: " .. wrk.host .. ":" .. wrk.port .. "\r\nUser-Agent: wrk\r\n\r\n"
end
EOF
} >"$work/short.lua"
# static-short: HTTP/1.1 saying Connection: close, one request per connection.
{ cat "$work/report.lua"; cat <<'EOF'
request = function()
  return "GET " .. wrk.path .. " HTTP/1.1\r\nHost: " .. wrk.host .. ":" .. wrk.port .. "\r\nConnection: close\r\n\r\n"
end
EOF
} >"$work/close.lua"
# static-log: what a browser's request puts in the log's referer and user-agent fields.
{ cat "$work/report.lua"; cat <<'EOF'
wrk.headers["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
wrk.headers["Referer"] = "http://127.0.0.1/index.html"
EOF
} >"$work/log.lua"
# --- peers ---------------------------------------------------------------------------------
# A peer NAME needs two functions; IO is the part after "NAME:", or empty.
#   peer_NAME_available IO   returns 0, or prints why not and returns 1
#   peer_NAME_command PORT IO DIR
#                            sets the array cmd to a command that serves on 127.0.0.1:PORT in the
#                            foreground until SIGTERM (the harness adds taskset); DIR is a fresh
#                            scratch directory for this run
# and optionally
#   peer_NAME_ready PORT     returns 0 once the server is ready (default: 127.0.0.1:PORT accepts a
#                            connection; every run then checks the answers themselves with curl)
#   peer_NAME_version        one line for the report

netty_version="$(find "$root/bench/target/netty" -name 'netty-codec-http-*.jar' 2>/dev/null | sed -E 's/.*netty-codec-http-(.*)\.jar/\1/' | head -n 1)"
# Netty on JDK 24+ leaves sun.misc.Unsafe alone unless allowed, and runs slower without it; its
# users who care about speed allow it. Leak detection is a debugging aid (sampling, but not free).
# ParallelGC, as netloop's launcher used until 2026-12-07 (it now runs the serial collector with -Xmn16m, which
# only a loop that makes no garbage can afford): each peer runs with the flags its own users would give it.
# Netty on its module path: native access (its JNI libraries) goes to io.netty.common alone.
netty_jvm=(--module-path "$root/bench/target/netty" --add-modules ALL-MODULE-PATH --enable-native-access=io.netty.common
           --sun-misc-unsafe-memory-access=allow -XX:+UseParallelGC
           -Dio.netty.leakDetection.level=disabled)

peer_netty_available() {
  [ -n "$java" ] || { echo "no JDK ${min_java}+ found (see ./netloop)"; return 1; }
  [ -f "$bench_jar" ] && [ -n "$netty_version" ] || { echo "bench/target/netloop-bench.jar or its Netty jars are missing"; return 1; }
  case "${1:-epoll}" in epoll|nio|io_uring) ;; *) echo "netty's IO is epoll, nio or io_uring, not '$1'"; return 1 ;; esac
}
peer_netty_command() {
  cmd=("$java" "${netty_jvm[@]}" -cp "$bench_jar" io.netloop.bench.NettyHttpServer
       --port "$1" --io "${2:-epoll}" --threads "$threads" --root "$static_root")
}
peer_netty_version() { echo "Netty $netty_version on $("$java" -version 2>&1 | head -n 1)"; }

peer_nginx_available() {
  [ -x "$nginx_bin" ] || { echo "nginx is not installed (scripts/install-bench-deps.sh installs it)"; return 1; }
  [ -z "${1:-}" ] || { echo "nginx takes no IO variant (it uses epoll), not ':$1'"; return 1; }
}
peer_nginx_command() {
  local port="$1" dir="$3"
  mkdir -p "$dir/temp"
  # Every path inside DIR, so that it runs as any user and leaves nothing behind. One worker per
  # server thread, pinned by the taskset inherited from the master. keepalive_requests large:
  # the default of 1000 would make nginx alone reconnect in the middle of a run.
  cat >"$dir/nginx.conf" <<EOF
daemon off;
worker_processes $threads;
worker_rlimit_nofile $fds;
pid $dir/nginx.pid;
error_log stderr warn;
events {
    worker_connections $fds;
    use epoll;
}
http {
    access_log $(if [ -n "${access_log_file:-}" ]; then echo "$access_log_file combined"; else echo off; fi);
    client_body_temp_path $dir/temp/body;
    proxy_temp_path $dir/temp/proxy;
    fastcgi_temp_path $dir/temp/fastcgi;
    uwsgi_temp_path $dir/temp/uwsgi;
    scgi_temp_path $dir/temp/scgi;
    default_type application/octet-stream;
    keepalive_requests 1000000000;
    keepalive_timeout 75s;
    tcp_nodelay on;
    server {
        listen 127.0.0.1:$port backlog=$somaxconn;
        location = /plaintext {
            default_type text/plain;
            return 200 'Hello, World!';
        }
        location /static/ {
            root $static_root;
            sendfile on;
            tcp_nopush on;
        }
    }
}
EOF
  cmd=("$nginx_bin" -p "$dir" -e stderr -c "$dir/nginx.conf")
}
peer_nginx_version() { "$nginx_bin" -v 2>&1 | sed 's/^nginx version: //'; }

# nginx-tuned: the same nginx, configured by bench/nginx-tuned.sh (shared with bench/idle.sh).
# shellcheck source=bench/nginx-tuned.sh
. "$root/bench/nginx-tuned.sh"
peer_nginx-tuned_available() { peer_nginx_available "$@"; }
peer_nginx-tuned_command() {
  local port="$1" dir="$3"
  mkdir -p "$dir/temp"
  nginx_tuned_conf "$dir" "$port" "$threads" "$fds" "$static_root" "$somaxconn" "${access_log_file:-off}" >"$dir/nginx.conf"
  cmd=("$nginx_bin" -p "$dir" -e stderr -c "$dir/nginx.conf")
}
peer_nginx-tuned_version() { peer_nginx_version; }

peer_netloop_available() {
  [ -n "$java" ] || { echo "no JDK ${min_java}+ found (see ./netloop)"; return 1; }
  # Not the exit status alone: the CLI answers an unknown `serve --help` with its own help and 0.
  "$root/netloop" serve --help 2>&1 | grep -q -e '--root' ||
    { echo "this ./netloop has no 'serve' command with --root yet (the HTTP server is not merged); see the top of bench/http.sh"; return 1; }
}
peer_netloop_command() {
  # `scenario` is run_one's local (bash scoping): plaintext is the demo site's /plaintext
  # route, static is a file root. Access log off, as for nginx, but in static-log.
  cmd=("$root/netloop" serve --port "$1" --io "${2:-epoll}" --threads "$threads" --access-log "${access_log_file:-off}")
  case "${scenario:-static}" in static*) cmd+=(--root "$static_root") ;; esac
}
# The floor: bench/floor/floor.c, a minimal C epoll server doing only what the scenarios need.
floor_bin="$root/bench/target/floor"
peer_floor_available() {
  [ -z "${1:-}" ] || { echo "floor takes no IO variant (it uses epoll), not ':$1'"; return 1; }
  local why
  why="$("$root/bench/floor/build.sh")" || { echo "$why"; return 1; }
}
peer_floor_command() { cmd=("$floor_bin" http "$1" "$static_root"); }
peer_floor_version() { echo "floor (bench/floor/floor.c, $(gcc --version | head -n 1), -O2)"; }

peer_netloop_version() { echo "netloop $(git -C "$root" rev-parse --short HEAD 2>/dev/null) on $("$java" -version 2>&1 | head -n 1)"; }

# netloop-old: another checkout of netloop, built (NETLOOP_OLD=/path), for before/after tables
# measured in one run: `git clone . /tmp/old && git -C /tmp/old checkout REV && (cd /tmp/old && mvn -q -DskipTests package)`.
peer_netloop-old_available() {
  [ -n "${NETLOOP_OLD:-}" ] && [ -x "${NETLOOP_OLD}/netloop" ] ||
    { echo "set NETLOOP_OLD to another netloop checkout, built, to compare with"; return 1; }
  peer_netloop_available "$@"
}
peer_netloop-old_command() {
  local here="$root"
  root="$NETLOOP_OLD"
  peer_netloop_command "$@"
  root="$here"
}
peer_netloop-old_version() { echo "netloop $(git -C "$NETLOOP_OLD" rev-parse --short HEAD 2>/dev/null) (NETLOOP_OLD=$NETLOOP_OLD)"; }

# netloop-opts: this netloop with extra JVM options (NETLOOP_BENCH_OPTS), to measure a launcher
# setting beside the launcher's own before adopting it (docs/benchmarks.md, "JVM settings").
peer_netloop-opts_available() {
  [ -n "${NETLOOP_BENCH_OPTS:-}" ] || { echo "set NETLOOP_BENCH_OPTS to the JVM options to measure"; return 1; }
  peer_netloop_available "$@"
}
peer_netloop-opts_command() {
  peer_netloop_command "$@"
  cmd=(env "NETLOOP_JAVA_OPTS=${NETLOOP_BENCH_OPTS}" "${cmd[@]}")
}
peer_netloop-opts_version() { echo "$(peer_netloop_version) with NETLOOP_JAVA_OPTS=${NETLOOP_BENCH_OPTS}"; }

# --- which peers run -----------------------------------------------------------------------

run_peers=()
declare -A peer_failed=() peer_skipped=()
for p in $peers; do
  name="${p%%:*}"; io=""; [ "$p" = "$name" ] || io="${p#*:}"
  if ! declare -F "peer_${name}_command" >/dev/null; then
    peer_skipped[$p]="no such peer (defined: $(declare -F | sed -n 's/^declare -f peer_\(.*\)_command$/\1/p' | xargs))"
    say "SKIPPING peer '$p': ${peer_skipped[$p]}"
    continue
  fi
  if why="$("peer_${name}_available" "$io")"; then
    run_peers+=("$p")
  else
    peer_skipped[$p]="$why"
    say "SKIPPING peer '$p': $why"
  fi
done
[ ${#run_peers[@]} -gt 0 ] || die "no peer left to measure"

# --- output --------------------------------------------------------------------------------

out="${out:-$root/bench/results/$(date +%F)-http}"
mkdir -p "$out/raw"
out="$(cd "$out" && pwd)"   # absolute: nginx takes its paths relative to its own prefix
raw="$out/raw"
runs="$raw/runs.jsonl"
: >"$runs"

# --- server processes ----------------------------------------------------------------------

server_pid=""
server_tree=""

# The pids of PID and all its descendants, from the ppid field of every /proc/*/stat.
tree_pids() {
  # A process may end between the glob and the read: cat then fails, and that is no error here.
  { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v root="$1" '
    { pid = $1; s = $0; sub(/^.*\) /, "", s); split(s, f, " "); kids[f[2]] = kids[f[2]] " " pid }
    END {
      n = 1; q[1] = root; seen[root] = 1
      for (i = 1; i <= n; i++) {
        m = split(kids[q[i]], k, " ")
        for (j = 1; j <= m; j++) if (!(k[j] in seen)) { seen[k[j]] = 1; q[++n] = k[j] }
      }
      for (i = 1; i <= n; i++) printf "%s ", q[i]
    }'
}

# CPU clock ticks the tree has used: utime+stime of each process (every thread, the exited
# ones too) plus cutime+cstime (children it has reaped), so nothing that ran in it is lost.
tree_ticks() {
  local pid total=0 s f
  for pid in $(tree_pids "$1"); do
    s="$(cat "/proc/$pid/stat" 2>/dev/null)" || continue
    read -r -a f <<<"${s##*) }"
    total=$((total + f[11] + f[12] + f[13] + f[14]))   # stat fields 14-17
  done
  echo "$total"
}

# Peak resident set of the tree in KiB: the sum of each process's VmHWM (an upper bound, since
# the processes need not peak at the same moment).
tree_hwm_kib() {
  local pid total=0 kb
  for pid in $(tree_pids "$1"); do
    kb="$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid/status" 2>/dev/null)"
    total=$((total + ${kb:-0}))
  done
  echo "$total"
}

# Stops the server with SIGTERM; sets stopped_in to the seconds it took, or "killed" after 5 s.
# Descendants still alive then (an nginx worker whose master was killed) are killed too.
# Not meant for $(...): only this shell, the server's parent, can wait for it.
stop_server() {
  local pid="$1" t0 waited=0 p
  t0=$(date +%s.%N)
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 50 ]; do
    sleep 0.1
    waited=$((waited + 1))
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid" 2>/dev/null || true
    stopped_in=killed
  else
    stopped_in="$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')"
  fi
  wait "$pid" 2>/dev/null || true
  for p in $server_tree; do
    [ "$p" = "$pid" ] || kill -KILL "$p" 2>/dev/null || true
  done
}

cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    say "stopping server $server_pid"
    stop_server "$server_pid"
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Whether something accepts connections on 127.0.0.1:PORT.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A port nothing listens on, a different one for each run (TIME_WAIT leftovers of the last run
# cannot get in the way); sets port.
next_port=$port_base
pick_port() {
  local i
  for ((i = 0; i < 200; i++)); do
    port=$next_port
    next_port=$(( next_port + 1 > port_base + 999 ? port_base : next_port + 1 ))
    port_open "$port" || return 0
  done
  die "no free port in $port_base..$((port_base + 999))"
}

# Starts peer P pinned to the server CPUs and waits until it is ready; sets
# server_pid and server_command. Returns 1 (having said why) when it exits or never listens.
start_server() {
  local p="$1" log="$2" name="${1%%:*}" io="" i
  [ "$p" = "$name" ] || io="${p#*:}"
  mkdir -p "$log.dir"
  "peer_${name}_command" "$port" "$io" "$log.dir"
  server_command="$(printf '%q ' taskset -c "$server_cpus" "${cmd[@]}" |
    sed -e 's/ $//' -e "s|$log.dir|\$RUN|g" -e "s|$work|\$WORK|g" -e "s|$root/|./|g" -e "s|--port $port|--port \$PORT|")"
  : >"$log.out"
  : >"$log.err"
  # taskset and the launchers exec, so $! is the server itself (the JVM; nginx's master).
  taskset -c "$server_cpus" "${cmd[@]}" >"$log.out" 2>"$log.err" &
  server_pid=$!
  local ready=port_open
  if declare -F "peer_${name}_ready" >/dev/null; then ready="peer_${name}_ready"; fi
  for ((i = 0; i < 600; i++)); do
    "$ready" "$port" && return 0
    if ! kill -0 "$server_pid" 2>/dev/null; then
      wait "$server_pid" 2>/dev/null || true
      server_pid=""
      say "the $p server exited before listening on port $port:"
      tail -n 5 "$log.err" "$log.out" >&2
      return 1
    fi
    sleep 0.1
  done
  say "the $p server did not listen on port $port within 60 s (log: ${log#"$root"/}.err)"
  return 1
}

# Checks that the server answers SCENARIO as every peer must: 200, the exact body, text/plain for
# plaintext, and a second request on the same connection (keep-alive). Prints why not.
check_answer() {
  local scenario="$1" url="$2" dir="$3" expected status reused
  case "$scenario" in
    plaintext|pipelined|short) expected="$work/plaintext.expected" ;;
    static|static-short|static-log) expected="$static_root/static/4k.bin" ;;
    static1m) expected="$static_root/static/1m.bin" ;;
  esac
  if [ "$scenario" = static-short ]; then check_closing_answer "$url" "$dir" "$expected"; return; fi
  if [ "$scenario" = short ]; then
    # One request as HTTP/1.0 without keep-alive: the server must answer and close.
    status="$(curl -s -0 --max-time 5 -D "$dir/check.headers" -o "$dir/check.body" -w '%{http_code}' "$url")" || true
    [ "$status" = 200 ] || { echo "GET $url (HTTP/1.0) answered status ${status:-none}, not 200"; return 1; }
    cmp -s "$dir/check.body" "$expected" || { echo "GET $url (HTTP/1.0) answered another body"; return 1; }
    # An HTTP/1.1 answer that does not say close means keep-alive to the client: wrk would send its next
    # request into the closing connection and count a read error per request.
    if head -n 1 "$dir/check.headers" | grep -q '^HTTP/1\.1' && ! grep -qi '^connection:.*close' "$dir/check.headers"; then
      echo "GET $url (HTTP/1.0) answered HTTP/1.1 without Connection: close, then closed"; return 1
    fi
    return 0
  fi
  read -r status reused < <(curl -s --max-time 5 -D "$dir/check.headers" -o "$dir/check.body" -o /dev/null \
      -w '%{http_code} %{num_connects}\n' "$url" "$url" | paste -s -d ' ' | awk '{ print $1, $4 }') || true
  [ "${status:-}" = 200 ] || { echo "GET $url answered status ${status:-none}, not 200"; return 1; }
  cmp -s "$dir/check.body" "$expected" || { echo "GET $url answered a body other than $(wc -c <"$expected") expected bytes"; return 1; }
  if [ "$expected" = "$work/plaintext.expected" ] && ! grep -qi '^content-type: *text/plain' "$dir/check.headers"; then
    echo "GET $url answered without Content-Type: text/plain"; return 1
  fi
  [ "${reused:-}" = 0 ] || { echo "GET $url did not keep the connection alive for a second request"; return 1; }
}

# Seconds all CPUs spent idle since boot, I/O wait included: a loop waiting in io_uring_enter
# with operations in flight is counted as I/O wait, not idle (1.6 s of 5 on the server's core,
# measured), and is nobody's CPU. Both counters are exact on a tickless kernel.
idle_seconds() {
  awk -v hz="$(getconf CLK_TCK)" '/^cpu / { printf "%.2f", ($5 + $6) / hz; exit }' /proc/stat
}

# Busy CPUs over the last second, from the idle time (I/O wait included) of all CPUs.
busy_cpus() {
  local a b
  a="$(idle_seconds)"; sleep 1; b="$(idle_seconds)"
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

# --- the access log (static-log) and closing connections (static-short) ---------------------

access_log_file=""   # the access log of the run in progress, or ""
declare -A no_access_log=()
# The peers that write an access log, each to $access_log_file when that is set.
writes_access_log() { case "${1%%:*}" in netloop|netloop-old|netloop-opts|nginx|nginx-tuned) return 0 ;; *) return 1 ;; esac; }

# Waits until FILE has not grown for 1.5 s (at most 30 s): nginx-tuned flushes its buffer every
# second, netloop's writer 200 ms after a chunk's first line (or when its queue runs dry, before 0.2.0).
access_log_settle() {
  local file="$1" size last=-1 same=0 i
  for ((i = 0; i < 60; i++)); do
    size="$(stat -c %s "$file" 2>/dev/null || echo 0)"
    if [ "$size" = "$last" ]; then
      same=$((same + 1))
      [ "$same" -lt 3 ] || return 0
    else
      same=0
    fi
    last="$size"
    sleep 0.5
  done
}

# After the warm-up: checks that the server logged the requests so far (the check's and the
# warm-up's), then empties FILE for the measured run. Both servers append (O_APPEND), so they go
# on writing at its new end. Prints why not and returns 1 when the server logged nothing.
access_log_restart() {
  local file="$1"
  access_log_settle "$file"
  [ -s "$file" ] || { echo "it wrote nothing to its access log ($file) for the requests of the check and the warm-up"; return 1; }
  : >"$file"
}

# FILE after the measured run as one JSON object: its request lines; what netloop says there
# when it dropped lines (netloop: access log dropped N line(s)...); its bytes; its first line (the
# first three are kept in LOG.access-sample); and DRAIN, the server's CPU ticks after wrk stopped.
access_log_tally() {
  local file="$1" log="$2" drain="$3" total markers dropped bytes
  total="$(wc -l <"$file")"
  markers="$(grep -c '^netloop: access log dropped' "$file" || true)"
  dropped="$(sed -n 's/^netloop: access log dropped \([0-9]*\) line.*/\1/p' "$file" | awk '{ n += $1 } END { print n + 0 }')"
  bytes="$(stat -c %s "$file")"
  grep -v -m 3 '^netloop: access log dropped' "$file" >"$log.access-sample" || true
  jq -nc --argjson total "$total" --argjson markers "$markers" --argjson dropped "$dropped" --argjson bytes "$bytes" \
        --argjson drain "$drain" --arg sample "$(head -n 1 "$log.access-sample")" \
    '{lines: ($total - $markers), droppedReported: $dropped, bytes: $bytes, drainTicks: $drain, sample: $sample}'
}

# static-short: one HTTP/1.1 request saying Connection: close must get 200, the exact body, and
# an answer saying close too (else wrk takes the connection for a kept one and counts a read
# error per request). Prints why not.
check_closing_answer() {
  local url="$1" dir="$2" expected="$3" status
  status="$(curl -s --max-time 5 -H 'Connection: close' -D "$dir/check.headers" -o "$dir/check.body" -w '%{http_code}' "$url")" || true
  [ "$status" = 200 ] || { echo "GET $url (Connection: close) answered status ${status:-none}, not 200"; return 1; }
  cmp -s "$dir/check.body" "$expected" || { echo "GET $url (Connection: close) answered another body"; return 1; }
  grep -qi '^connection:.*close' "$dir/check.headers" ||
    { echo "GET $url (Connection: close) answered without saying Connection: close"; return 1; }
}

declare -A peer_command=()
wrk_command=""

# One run: fresh server, check, warm-up, measured wrk; appends a JSON object to $runs.
run_one() {
  local p="$1" scenario="$2" conns="$3" round="$4"
  local tag="r$round-${p//:/-}-$scenario-c$conns" log path url why load
  local t0 t1 idle0 idle1 ticks0 ticks1 hwm rc=0 wrk_json exceptions
  log="$raw/$tag"
  local script="$work/report.lua"
  case "$scenario" in
    plaintext) path=/plaintext ;;
    pipelined) path=/plaintext; script="$work/pipelined.lua" ;;
    short) path=/plaintext; script="$work/short.lua" ;;
    static) path=/static/4k.bin ;;
    static1m) path=/static/1m.bin ;;
    static-short) path=/static/4k.bin; script="$work/close.lua" ;;
    static-log) path=/static/4k.bin; script="$work/log.lua" ;;
  esac
  if [ -n "${peer_failed[$p]:-}" ]; then
    say "$tag: skipped, the $p peer failed before: ${peer_failed[$p]}"
    return
  fi
  [ -z "$access_log_file" ] || rm -f "$access_log_file"   # the last run's, if it ended early
  access_log_file=""
  if [ "$scenario" = static-log ]; then
    if ! writes_access_log "$p"; then
      [ -n "${no_access_log[$p]:-}" ] || say "static-log: skipping $p, which writes no access log"
      no_access_log[$p]=1
      return
    fi
    access_log_file="$access_log_dir/$tag.log"
    : >"$access_log_file"
  fi
  if [ "$quiet_wait" -gt 0 ]; then wait_for_quiet; fi
  load="$(cut -d' ' -f1 /proc/loadavg)"
  pick_port
  url="http://127.0.0.1:$port$path"
  if ! start_server "$p" "$log.server"; then
    peer_failed[$p]="did not start (log: ${log#"$root"/}.server.err)"
    say "SKIPPING the remaining runs of $p: ${peer_failed[$p]}"
    [ -z "$server_pid" ] || { stop_server "$server_pid"; server_pid=""; }
    return
  fi
  peer_command[$p]="$server_command"
  if ! why="$(check_answer "$scenario" "$url" "$log.server.dir")"; then
    say "$tag: NOT MEASURED: $why"
    server_tree="$(tree_pids "$server_pid")"
    stop_server "$server_pid"; server_pid=""
    jq -nc --arg peer "$p" --arg scenario "$scenario" --argjson connections "$conns" --argjson round "$round" \
          --arg why "$why" '{peer: $peer, scenario: $scenario, connections: $connections, round: $round, invalid: $why}' >>"$runs"
    return
  fi
  local wrk=(taskset -c "$client_cpus" wrk -t"$wrk_threads" -c"$conns" --latency --timeout 10s -s "$script")
  wrk_command="$(printf '%q ' "${wrk[@]}" | sed -e "s|$work/[a-z]*\.lua|\$WORK/\$SCRIPT|" -e "s|$work|\$WORK|g" -e "s| -c$conns | -c\$CONNECTIONS |")-d${duration}s http://127.0.0.1:\$PORT\$PATH"
  if [ "$warmup" -gt 0 ]; then
    # Two halves, each with its own connections: the measured run opens new ones and the first
    # warm-up's end closed them, code a JIT compiler has not seen hot until then. Warmed up in
    # one piece, a JVM peer recompiles in the measured run's first seconds (p99 4.6 ms where a
    # warm netloop's is 0.6 ms, docs/benchmarks.md); C peers lose nothing.
    local first=$(( (warmup + 1) / 2 )) second=$(( warmup / 2 ))
    "${wrk[@]}" -d"${first}s" "$url" >"$log.warmup.out" 2>&1 || say "$tag: the warm-up wrk exited with $?"
    if [ "$second" -gt 0 ]; then
      "${wrk[@]}" -d"${second}s" "$url" >>"$log.warmup.out" 2>&1 || say "$tag: the warm-up wrk exited with $?"
    fi
  fi
  if [ -n "$access_log_file" ] && ! why="$(access_log_restart "$access_log_file")"; then
    say "$tag: NOT MEASURED: $why"
    server_tree="$(tree_pids "$server_pid")"
    stop_server "$server_pid"; server_pid=""
    jq -nc --arg peer "$p" --arg scenario "$scenario" --argjson connections "$conns" --argjson round "$round" \
          --arg why "$why" '{peer: $peer, scenario: $scenario, connections: $connections, round: $round, invalid: $why}' >>"$runs"
    return
  fi
  server_tree="$(tree_pids "$server_pid")"
  idle0="$(idle_seconds)"; ticks0="$(tree_ticks "$server_pid")"; t0="$(date +%s.%N)"
  "${wrk[@]}" -d"${duration}s" "$url" >"$log.wrk.out" 2>&1 || rc=$?
  t1="$(date +%s.%N)"; ticks1="$(tree_ticks "$server_pid")"; idle1="$(idle_seconds)"
  local access_log_json='null'
  if [ -n "$access_log_file" ]; then
    # The log's writing may trail the requests (a background writer, a buffer flushed each second):
    # it is part of their cost, so the server's CPU is read again once the file has stopped growing.
    local ticks_run="$ticks1"
    access_log_settle "$access_log_file"
    ticks1="$(tree_ticks "$server_pid")"
    access_log_json="$(access_log_tally "$access_log_file" "$log" $((ticks1 - ticks_run)))"
    rm -f "$access_log_file"
  fi
  if ! kill -0 "$server_pid" 2>/dev/null; then
    # A server that died mid-run leaves nothing to measure; without this its run went missing
    # from the tables without a word (the floor, killed by SIGPIPE, at static c1024).
    local status=0
    wait "$server_pid" 2>/dev/null || status=$?
    server_pid=""
    why="the server exited during the run with status $status$( [ "$status" -gt 128 ] && echo " (signal $((status - 128)): $(kill -l "$status" 2>/dev/null || echo '?'))"); log: ${log#"$root"/}.server.err"
    say "$tag: NOT MEASURED: $why"
    tail -n 5 "$log.server.err" >&2
    jq -nc --arg peer "$p" --arg scenario "$scenario" --argjson connections "$conns" --argjson round "$round" \
          --arg why "$why" '{peer: $peer, scenario: $scenario, connections: $connections, round: $round, invalid: $why}' >>"$runs"
    return
  fi
  hwm="$(tree_hwm_kib "$server_pid")"
  server_tree="$(tree_pids "$server_pid")"
  local n_procs
  n_procs="$(wc -w <<<"$server_tree")"
  stop_server "$server_pid"
  server_pid=""
  exceptions="$(grep -c -E 'Exception|Error|\[(alert|crit|emerg)\]' "$log.server.err" || true)"
  wrk_json="$(sed -n 's/^WRK_JSON //p' "$log.wrk.out" | tail -n 1)"
  # jq reads an empty input as no JSON at all and succeeds: test for it first.
  if [ -z "$wrk_json" ] || ! jq -e . >/dev/null 2>&1 <<<"$wrk_json"; then
    say "$tag: wrk printed no result (exit $rc):"
    tail -n 5 "$log.wrk.out" >&2
    wrk_json='{}'
  fi
  jq -c --arg peer "$p" --arg scenario "$scenario" --argjson connections "$conns" --argjson round "$round" \
        --argjson exit "$rc" --arg stop "$stopped_in" --argjson exceptions "$exceptions" --argjson load "$load" \
        --argjson t0 "$t0" --argjson t1 "$t1" --argjson idle0 "$idle0" --argjson idle1 "$idle1" \
        --argjson ticks0 "$ticks0" --argjson ticks1 "$ticks1" --argjson tck "$clk_tck" --argjson hwm "$hwm" \
        --argjson procs "$n_procs" --argjson cpus "$(nproc --all)" --argjson accessLog "$access_log_json" '
      {peer: $peer, scenario: $scenario, connections: $connections, round: $round} + .
      | if $accessLog == null then . else (.requests // 0) as $served | .accessLog = ($accessLog
          # A line for every request wrk counted; a few more are normal (answers in flight when wrk stopped).
          | .missing = ([0, $served - .lines] | max) | .extra = ([0, .lines - $served] | max)
          | .drainCpuSeconds = (.drainTicks / $tck) | del(.drainTicks)) end
      | .seconds = ($t1 - $t0)
      | .requestsPerSec = (if .requests != null then .requests / (.durationUs / 1e6) else null end)
      | .serverCpuSeconds = (($ticks1 - $ticks0) / $tck)
      | .serverCpuUsPerRequest = (if (.requests // 0) > 0 then .serverCpuSeconds * 1e6 / .requests else null end)
      | .serverPeakRssKiB = $hwm | .serverProcesses = $procs
      | .clientCpuSeconds = (if .clientCpuTicks != null then .clientCpuTicks / $tck else null end)
      | .machineCpuSeconds = ($cpus * .seconds - ($idle1 - $idle0))
      | .otherCpuSeconds = (if .clientCpuSeconds != null
                            then .machineCpuSeconds - .serverCpuSeconds - .clientCpuSeconds else null end)
      | .errorCount = (if .errors != null then ([.errors[]] | add) else null end)
      | . + {wrkExit: $exit, serverStop: $stop, serverLogProblems: $exceptions, loadavg1: $load}' \
     <<<"$wrk_json" >>"$runs"
  tail -n 1 "$runs" | jq -r '"\(.peer)\t\(.scenario) c\(.connections)\t\(.requestsPerSec // "-" | if type == "number" then round else . end) req/s\tp99 \(.latencyUs.p99 // "-") µs\tserver \(.serverCpuSeconds) s CPU\terrors \(.errorCount // "?")\tstop \(.serverStop)"' >&2
}

# --- the runs ------------------------------------------------------------------------------

n_runs=$(( rounds * $(wc -w <<<"$scenarios") * $(wc -w <<<"$connections") * ${#run_peers[@]} ))
say "$n_runs runs of ${warmup}+${duration} s over peers ${run_peers[*]}; results in ${out#"$root"/}"
started="$(date -u +%FT%TZ)"
load_before="$(cat /proc/loadavg)"
for ((r = 1; r <= rounds; r++)); do
  for s in $scenarios; do
    for c in $connections; do
      for p in "${run_peers[@]}"; do
        run_one "$p" "$s" "$c" "$r"
      done
    done
  done
done
load_after="$(cat /proc/loadavg)"

# --- the report ----------------------------------------------------------------------------

java_version="$([ -n "$java" ] && "$java" -version 2>&1 || echo none)"
cpu_model="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
git -C "$root" diff --quiet HEAD 2>/dev/null || commit="$commit (with uncommitted changes)"
wrk_version="$( (wrk -v 2>&1 || true) | head -n 1 | sed "s/ Copyright.*//")"   # wrk -v exits 1
versions="$(for p in "${run_peers[@]}"; do
  n="${p%%:*}"
  if declare -F "peer_${n}_version" >/dev/null; then printf '%s\t%s\n' "$p" "$("peer_${n}_version")"; fi
done | jq -R 'split("\t") | {key: .[0], value: .[1]}' | jq -s from_entries)"
commands="$(for p in "${run_peers[@]}"; do printf '%s\t%s\n' "$p" "${peer_command[$p]:-}"; done |
  jq -R 'split("\t") | {key: .[0], value: .[1]}' | jq -s from_entries)"
skipped="$(for p in "${!peer_skipped[@]}"; do printf '%s\t%s\n' "$p" "${peer_skipped[$p]}"; done |
  jq -R 'split("\t") | {key: .[0], value: .[1]}' | jq -s from_entries)"
failed="$(for p in "${!peer_failed[@]}"; do printf '%s\t%s\n' "$p" "${peer_failed[$p]}"; done |
  jq -R 'split("\t") | {key: .[0], value: .[1]}' | jq -s from_entries)"

jq -n --slurpfile runs "$runs" --arg started "$started" --arg commit "$commit" --arg command "$command_line" \
   --arg nproc "$(nproc --all)" --arg cpu "$cpu_model" --arg kernel "$(uname -r)" --arg java "$java_version" \
   --arg wrk "$wrk_version" --argjson versions "$versions" --argjson commands "$commands" \
   --arg wrkCommand "$wrk_command" --argjson skipped "$skipped" --argjson failed "$failed" \
   --arg loadBefore "$load_before" --arg loadAfter "$load_after" --arg accessLogFs "$access_log_fs" \
   --argjson rounds "$rounds" --arg peers "${run_peers[*]}" --arg scenarios "$scenarios" --arg connections "$connections" \
   --argjson warmup "$warmup" --argjson duration "$duration" --argjson threads "$threads" \
   --arg serverCpus "$server_cpus" --arg clientCpus "$client_cpus" --argjson wrkThreads "$wrk_threads" '
  def median: map(select(. != null)) | sort | if length == 0 then null
                     elif length % 2 == 1 then .[length / 2 | floor]
                     else (.[length / 2 - 1] + .[length / 2]) / 2 end;
  def words: split(" ") | map(select(. != ""));
  ($runs | map(select(.invalid == null))) as $good
  | ($good | group_by([.scenario, .connections, .peer]) | map({
      peer: .[0].peer, scenario: .[0].scenario, connections: .[0].connections, runs: length,
      requestsPerSec: (map(.requestsPerSec) | median),
      requestsPerSecMin: (map(.requestsPerSec) | map(select(. != null)) | min),
      requestsPerSecMax: (map(.requestsPerSec) | map(select(. != null)) | max),
      # wrk times one request per batch when pipelining: no per-request latency (p99 read 0).
      latencyP50Us: (if .[0].scenario == "pipelined" then null else map(.latencyUs.p50) | median end),
      latencyP99Us: (if .[0].scenario == "pipelined" then null else map(.latencyUs.p99) | median end),
      serverCpuUsPerRequest: (map(.serverCpuUsPerRequest) | median),
      serverBusy: (map(if .seconds > 0 then .serverCpuSeconds / .seconds else null end) | median),
      serverPeakRssKiB: (map(.serverPeakRssKiB) | median), serverProcesses: (map(.serverProcesses) | max),
      clientCpuSeconds: (map(.clientCpuSeconds) | median), otherCpuSeconds: (map(.otherCpuSeconds) | median),
      seconds: (map(.seconds) | median),
      errors: (map(.errorCount // 1) | add),
      noisyRuns: (map(select(.otherCpuSeconds != null and .otherCpuSeconds > 0.2 * .seconds)) | length),
      killedServers: (map(select(.serverStop == "killed")) | length),
      serverLogProblems: (map(.serverLogProblems) | add),
      accessLog: (map(.accessLog // empty) | if length == 0 then null else {
        lines: (map(.lines) | median), missing: (map(.missing) | add), extra: (map(.extra) | max),
        droppedReported: (map(.droppedReported) | add), bytesPerLine: (map(if .lines > 0 then .bytes / .lines else null end) | median),
        drainCpuSeconds: (map(.drainCpuSeconds) | median), sample: .[0].sample} end)
    })) as $medians
  # The reference of the ratios: the first netloop peer with results, else the first peer with results.
  | ($peers | words | map(select(. as $p | $medians | any(.peer == $p and .requestsPerSec != null)))) as $measured
  | (($measured | map(select(startswith("netloop"))) | first) // ($measured | first)) as $reference
  | ($medians | map(select(.peer == $reference) | {key: "\(.scenario) \(.connections)", value: .}) | from_entries) as $ref
  | {
    started: $started, commit: $commit, command: $command,
    machine: {nproc: ($nproc | tonumber), cpu: $cpu, kernel: $kernel, java: $java,
              loadavgBefore: $loadBefore, loadavgAfter: $loadAfter},
    parameters: {rounds: $rounds, peers: ($peers | words), scenarios: ($scenarios | words),
                 connections: ($connections | words | map(tonumber)),
                 warmupSeconds: $warmup, durationSeconds: $duration, serverThreads: $threads,
                 serverCpus: $serverCpus, clientCpus: $clientCpus, wrkThreads: $wrkThreads,
                 reference: $reference, skippedPeers: $skipped, failedPeers: $failed,
                 serverCpu: "utime+stime+cutime+cstime of every process in the server tree (/proc/<pid>/stat), before and after the measured wrk run",
                 peakRss: "sum of VmHWM over the server tree at the end of the measured run (fresh server per run)",
                 accessLogFilesystem: $accessLogFs},
    versions: ({wrk: $wrk} + $versions),
    commands: {servers: $commands, wrk: $wrkCommand},
    medians: ($medians | map(. as $m | $ref["\($m.scenario) \($m.connections)"] as $r
      | . + {requestsPerSecVsReference: (if ($r.requestsPerSec // 0) > 0 and $m.requestsPerSec != null
                                         then $m.requestsPerSec / $r.requestsPerSec else null end),
             cpuPerRequestVsReference: (if ($r.serverCpuUsPerRequest // 0) > 0 and $m.serverCpuUsPerRequest != null
                                        then $m.serverCpuUsPerRequest / $r.serverCpuUsPerRequest else null end)})),
    invalidRuns: ($runs | map(select(.invalid != null))),
    runs: $runs
  }' >"$out/results.json"
reference="$(jq -r '.parameters.reference // "none"' "$out/results.json")"

# Charts: per connection count, requests/s and server CPU per request of every peer by scenario.
chart_md=""
if [ -n "$java" ] && [ -f "$bench_jar" ]; then chart_md="$(java="$java" "$root/bench/charts.sh" "$out")"; fi

# The static-log rows: the access log's lines against the requests, for results.md.
access_log_md() {
  jq -e '[.medians[] | select(.accessLog != null)] | length > 0' "$out/results.json" >/dev/null || return 0
  echo
  echo "**Access log** (static-log): written to $access_log_fs by every peer, emptied after the warm-up, counted once it"
  echo "stopped growing after the measured run. **missing**: requests wrk counted without a line (dropped), summed over"
  echo "the runs; **extra**: lines beyond wrk's count (answers in flight when it stopped), the most of a run; **said"
  echo "dropped**: what netloop wrote into the log about lines it dropped; **drain CPU**: the server's CPU after wrk"
  echo "stopped, until the file stopped growing (included in server µs/req above). The plain nginx writes each line as"
  echo "it is made; nginx-tuned through a 64 KiB buffer flushed every second."
  echo
  echo "| conns | peer | lines (median) | missing | extra | said dropped | bytes/line | drain CPU ms | first line |"
  echo "|---:|---|---:|---:|---:|---:|---:|---:|---|"
  jq -r '
    def f(d): if . == null then "-" else (. * pow(10; d) | round) / pow(10; d) | tostring end;
    .medians[] | select(.accessLog != null) | .accessLog as $a
    | "| \(.connections) | \(.peer) | \($a.lines | f(0)) | \($a.missing) | \($a.extra) | \($a.droppedReported) | \($a.bytesPerLine | f(0)) | \($a.drainCpuSeconds * 1000 | f(0)) | `\($a.sample | gsub("\\|"; "\\|"))` |"' \
    "$out/results.json"
  if [ ${#no_access_log[@]} -gt 0 ]; then
    echo
    echo "Not in static-log (no access log): ${!no_access_log[*]}."
  fi
}

# nginx-tuned's configuration as generated for one run without an access log, and the access_log
# lines the nginx peers had in static-log, for results.md.
nginx_tuned_md() {
  local conf="" c n line
  printf '%s\n' "${run_peers[@]}" | grep -q '^nginx-tuned$' || return 0
  for c in $(find "$raw" -path '*nginx-tuned*' -name nginx.conf | sort); do
    [ -n "$conf" ] || conf="$c"
    if grep -q 'access_log off;' "$c"; then conf="$c"; break; fi
  done
  [ -n "$conf" ] || return 0
  echo
  echo "nginx-tuned's nginx.conf as generated for one run (bench/nginx-tuned.sh):"
  echo
  echo '```nginx'
  sed -e "s|$(dirname "$conf")|\$RUN|g" -e "s|$work|\$WORK|g" -e "s|listen 127.0.0.1:[0-9]*|listen 127.0.0.1:\$PORT|" "$conf"
  echo '```'
  for n in nginx nginx-tuned; do
    c="$(find "$raw" -path "*-$n-static-log-*" -name nginx.conf | head -n 1)"
    [ -n "$c" ] || continue
    line="$(grep -h -m 1 'access_log' "$c" | sed -e 's/^ *//' -e "s|$access_log_dir/|\$LOGDIR/|")"
    echo
    echo "In static-log $n had \`$line\` instead of \`access_log off;\`."
  done
}

{
  echo "# HTTP/1.1 with wrk: $(jq -r '.parameters.peers | join(", ")' "$out/results.json") ($(date -u -d "$started" +%F))"
  echo
  echo "\`$command_line\`"
  echo "at commit $commit. Each (peer, scenario, connections) ran $rounds time(s), peers interleaved, a fresh server"
  echo "per run; the table shows medians over the rounds (req/s also its range). Ratios (×) are to **$reference**."
  if [ "$rounds" -lt 3 ] || [ "$warmup" -lt 5 ] || [ "$duration" -lt 10 ]; then
    echo
    echo "**Not a measurement**: shorter than the defaults (3 rounds of 5 + 10 s). It shows that the harness works; the"
    echo "numbers mean little, the JVM peers above all, whose JIT compilers still share the server's core after a short warm-up."
  fi
  jq -r '.parameters.skippedPeers | to_entries[] | "**\(.key) skipped**: \(.value)."' "$out/results.json"
  jq -r '.parameters.failedPeers | to_entries[] | "**\(.key) failed**: \(.value)."' "$out/results.json"
  jq -r '.invalidRuns[] | "**Not measured**: \(.peer) \(.scenario) c\(.connections) round \(.round): \(.invalid)."' "$out/results.json"
  echo
  echo "| scenario | conns | peer | req/s | req/s range | × req/s | p50 ms | p99 ms | server µs/req | × CPU/req | server busy | peak RSS MiB | wrk CPU s | other CPU s | noisy | errors |"
  echo "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for s in $scenarios; do
    for c in $connections; do
      for p in "${run_peers[@]}"; do
        jq -r --arg p "$p" --arg s "$s" --argjson c "$c" '
          def f(d): if . == null then "-" else (. * pow(10; d) | round) / pow(10; d) | tostring end;
          .medians[] | select(.peer == $p and .scenario == $s and .connections == $c)
          | "| \(.scenario) | \(.connections) | \(.peer) | \(.requestsPerSec | f(0)) | \(.requestsPerSecMin | f(0))–\(.requestsPerSecMax | f(0)) | \(.requestsPerSecVsReference | f(2)) | \(if .latencyP50Us == null then "-" else .latencyP50Us / 1000 | f(2) end) | \(if .latencyP99Us == null then "-" else .latencyP99Us / 1000 | f(2) end) | \(.serverCpuUsPerRequest | f(2)) | \(.cpuPerRequestVsReference | f(2)) | \(if .serverBusy == null then "-" else (.serverBusy * 100 | round | tostring) + " %" end) | \(if .serverPeakRssKiB == null then "-" else .serverPeakRssKiB / 1024 | f(1) end) | \(.clientCpuSeconds | f(2)) | \(.otherCpuSeconds | f(2)) | \(.noisyRuns)/\(.runs) | \(.errors) |"' \
          "$out/results.json"
      done
    done
  done
  access_log_md
  echo
  [ -z "$chart_md" ] || { echo "$chart_md"; echo; }
  echo "- **req/s**: wrk's completed requests over its run (${duration} s after ${warmup} s of warm-up, in two wrk runs, on the same"
  echo "  server), $wrk_threads wrk thread(s) on core(s) $client_cpus, the server (--threads $threads) on core(s) $server_cpus."
  echo "  **× req/s** is the ratio to $reference's median (above 1: faster)."
  echo "- **p50, p99**: wrk's latency percentiles (from its \`done()\` hook; wrk sends the next request on a connection"
  echo "  only after the last answer, so these are closed-loop latencies, not what an open-loop load would see)."
  echo "  None for pipelined: wrk then times a batch of 16, not a request (results.json keeps what it said)."
  echo "- **server µs/req**: CPU time of the server's whole process tree (utime+stime of every process and thread, from"
  echo "  \`/proc/<pid>/stat\`, nginx's master and workers together) over the measured run, per request; resolution one"
  echo "  clock tick (1/$clk_tck s). **× CPU/req** is the ratio to $reference (below 1: cheaper). **server busy** is that CPU"
  echo "  over the run (100 % = one core saturated)."
  echo "- **peak RSS**: the sum of VmHWM over the server's processes at the end of the run: the high-water mark since"
  echo "  that server started (a fresh one per run), warm-up included."
  echo "- **wrk CPU s**: wrk's own CPU time. Near the run length means wrk, not the server, limited the run."
  echo "- **other CPU s**: CPU used on the whole machine during the run (all CPUs x run - idle and I/O-wait time from \`/proc/stat\`)"
  echo "  minus server and wrk: other processes, plus kernel work charged to neither. **noisy** counts the runs where that"
  echo "  exceeded a fifth of a core (each run first waits up to ${quiet_wait} s for an idle machine). Medians include noisy"
  echo "  runs; results.json has every run."
  echo "- **errors**: wrk's connect, read, write, timeout and non-2xx/3xx counts, summed over the runs."
  echo
  echo "Anomalies over all runs: $(jq -r '[.medians[] | .killedServers] | add // 0' "$out/results.json") server(s) not stopped"
  echo "5 s after SIGTERM (then killed), $(jq -r '[.medians[] | .serverLogProblems] | add // 0' "$out/results.json") exception/alert line(s) in server logs."
  echo
  echo "## Commands"
  echo
  echo "Before every run each server is checked with curl: 200, the exact body, text/plain for /plaintext, and a second"
  echo "request on the same connection. \$WORK is the harness's scratch directory (the static root is \$WORK/www),"
  echo "\$RUN a directory of the run's own (under raw/), \$PORT a free port."
  echo
  echo '```'
  jq -r '.commands.servers | to_entries[] | "# \(.key)\n\(.value)"' "$out/results.json"
  echo "# load, \$PATH /plaintext, /static/4k.bin or /static/1m.bin; \$SCRIPT report.lua, pipelined.lua, short.lua, close.lua (static-short) or log.lua (static-log) (warm-up the same, in two runs of half -d${warmup}s each)"
  jq -r '.commands.wrk' "$out/results.json"
  echo '```'
  if printf '%s\n' "${run_peers[@]}" | grep -q '^nginx$'; then
    echo
    echo "nginx.conf as generated for one run:"
    echo
    echo '```nginx'
    conf="$(find "$raw" -path '*nginx*' ! -path '*nginx-tuned*' -name nginx.conf | head -n 1)"
    if [ -n "$conf" ]; then
      sed -e "s|$(dirname "$conf")|\$RUN|g" -e "s|$work|\$WORK|g" -e "s|listen 127.0.0.1:[0-9]*|listen 127.0.0.1:\$PORT|" "$conf"
    fi
    echo '```'
  fi
  nginx_tuned_md
  echo
  echo "## Machine"
  echo
  echo "- nproc: $(nproc --all); CPU: $cpu_model"
  echo "- kernel: $(uname -r)"
  echo "- load average before: $load_before; after: $load_after"
  jq -r '.versions | to_entries[] | "- \(.key): \(.value)"' "$out/results.json"
  echo "- java -version:"
  echo
  echo '```'
  echo "$java_version"
  echo '```'
} >"$out/results.md"

cat "$out/results.md"
say "wrote ${out#"$root"/}/results.md and results.json (logs in ${raw#"$root"/}, not committed)"
