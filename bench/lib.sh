# Shared by bench/echo.sh and bench/accept.sh: tools, the JDK, the build, starting and stopping
# servers, waiting for a quiet machine, and describing it. Sourced, not run; the caller sets
# `me` (its name, for messages) and `root` (the repository) first, and `set -euo pipefail`.

say() { printf '%s: %s\n' "$me" "$*" >&2; }
die() { say "$*"; exit 1; }

# --- tools and the JDK ---------------------------------------------------------------------

ensure_tools() {
  local need_pkgs=()
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
}

# --- build ---------------------------------------------------------------------------------

bench_jar="$root/bench/target/netloop-bench.jar"
# netloop's modules on the module path, the bench jar and its third-party jars on the class
# path: only io.netloop.core may call the kernel, as under ./netloop.
netloop_jvm=(--module-path "$root/bench/target/modules" --add-modules io.netloop.core,io.netloop.http
  --enable-native-access=io.netloop.core)

build_if_stale() {
  local stamp="$root/bench/target/.bench-built"
  if [ -f "$bench_jar" ] && [ -f "$root/cli/target/netloop.jar" ] && [ -f "$stamp" ] &&
     [ -z "$(find "$root" -path "$root/.git" -prune -o \( -path '*/src/main/*' -o -name pom.xml \) \
             -type f -newer "$stamp" -print -quit)" ]; then
    return
  fi
  say "building ..."
  (cd "$root" && mvn -B -q -DskipTests package >"$root/.build.log" 2>&1) || {
    tail -n 40 "$root/.build.log" >&2; die "the build failed; the whole log is in .build.log"; }
  touch "$stamp"
  # The launcher rebuilds when a source is newer than its stamp; having just built everything,
  # tell it so, or it would build again at every server start, inside our runs.
  touch "$root/cli/target/.built"
}

# Raises the descriptor limit for this shell and its children to at least $1.
raise_fd_limit() {
  local fds="$1"
  if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$fds" ]; then
    ulimit -n "$fds" 2>/dev/null || die "need ulimit -n >= $fds; the hard limit is $(ulimit -Hn)"
  fi
}

# The arguments quoted for a shell, each after a space, for a report's command line.
quote_args() {
  local a
  for a in "$@"; do
    if [[ "$a" =~ ^[A-Za-z0-9_./:=,@%+-]+$ ]]; then printf ' %s' "$a"; else printf " '%s'" "${a//\'/\'\\\'\'}"; fi
  done
}

# --- output --------------------------------------------------------------------------------

# bench/results/<date>-<name>, or -2, -3... when that one already holds results: a rerun on
# the same day adds a directory and never overwrites a committed one.
default_out() {
  local base="$root/bench/results/$(date +%F)-$1" dir k=2
  dir="$base"
  while [ -e "$dir/results.md" ]; do dir="$base-$k"; k=$((k + 1)); done
  printf '%s\n' "$dir"
}

# --- server processes ----------------------------------------------------------------------

server_pid=""
client_pid=""
stopped_in=""

# Stops the server with SIGTERM; sets stopped_in to the seconds it took, or "killed" after 5 s
# (a clean stop takes a few hundredths of a second; a hung one would wait out a 30 s timeout).
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
  if [ -n "$client_pid" ]; then kill -TERM "$client_pid" 2>/dev/null || true; fi
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    say "stopping server $server_pid"
    stop_server "$server_pid"
  fi
}

# Becomes "$@" on the CPUs in $1 ("" for anywhere). Only as a background job (`exec_on_cpus
# ... &`), whose subshell the exec replaces: $! is then the program itself (taskset execs too).
exec_on_cpus() {
  local cpus="$1"; shift
  if [ -n "$cpus" ]; then exec taskset -c "$cpus" "$@"; else exec "$@"; fi
}

# start_server LOG CPUS ARGS...: `./netloop echo --port 0 ARGS` on CPUS ("" for anywhere);
# sets server_pid and server_port.
start_server() {
  local log="$1" cpus="$2"
  shift 2
  start_listener "$log" "$cpus" java "$root/netloop" echo --port 0 "$@" ||
    { cat "$log.err" >&2; die "the server ($*) exited before listening"; }
}

# start_listener LOG CPUS COMM COMMAND...: runs COMMAND (which listens on a port it picks and
# prints "... listening on HOST:PORT ..." on stdout) on CPUS ("" for anywhere), its output in
# LOG.out and LOG.err; sets server_pid and server_port. Returns 1, with server_exit set to its
# status, when it exits before that banner. COMM is the process name the pid must have: the
# server itself, not a launcher that would stand between it and the CPU time read from /proc.
start_listener() {
  local log="$1" cpus="$2" comm="$3" i
  shift 3
  # Created here, since the background job below may not have opened them by the first look.
  : >"$log.out"
  : >"$log.err"
  # taskset and the launchers exec, so $! ends up being the server itself.
  exec_on_cpus "$cpus" "$@" >"$log.out" 2>"$log.err" &
  server_pid=$!
  server_port=""
  server_exit=""
  for ((i = 0; i < 600; i++)); do
    server_port="$(sed -n -E 's/.*listening on .*:([0-9]+) .*/\1/p' "$log.out")"
    [ -n "$server_port" ] && break
    if ! kill -0 "$server_pid" 2>/dev/null; then
      server_exit=0
      wait "$server_pid" 2>/dev/null || server_exit=$?
      server_pid=""
      return 1
    fi
    sleep 0.1
  done
  [ -n "$server_port" ] || die "no banner from the server ($*) within 60 s (log: $log.err)"
  [ "$(cat "/proc/$server_pid/comm")" = "$comm" ] || die "pid $server_pid is $(cat "/proc/$server_pid/comm"), not $comm"
}

# --- a quiet machine -----------------------------------------------------------------------

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

# On a shared machine someone else's build can take a core from a run: wait up to $1 s for a lull.
wait_for_quiet() {
  local limit="$1" waited=0 busy
  [ "$limit" -gt 0 ] || return 0
  while [ "$waited" -lt "$limit" ]; do
    busy="$(busy_cpus)"
    awk -v b="$busy" 'BEGIN { exit !(b < 0.2) }' && return
    if [ "$waited" -eq 0 ]; then say "the machine is busy ($busy CPUs in use); waiting up to $limit s"; fi
    waited=$((waited + 1))
  done
  say "still busy after $limit s; running anyway (see the noisy column)"
}

# --- the report ----------------------------------------------------------------------------

# Sets java_version, cpu_model, commit.
describe_machine() {
  java_version="$("$java" -version 2>&1)"
  cpu_model="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
  commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  git -C "$root" diff --quiet HEAD 2>/dev/null || commit="$commit (with uncommitted changes)"
}

# The machine section of results.md.
machine_md() {
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
}

# jq definitions both reports use.
jq_defs='
  def median: map(select(. != null)) | sort | if length == 0 then null
              elif length % 2 == 1 then .[length / 2 | floor]
              else (.[length / 2 - 1] + .[length / 2]) / 2 end;
  def f(d): if . == null then "-" else (. * pow(10; d) | round) / pow(10; d) | tostring end;
  # Median CPU seconds of each server loop thread, in name order, as "1.2 / 0.9".
  def loopsplit: (map(.serverLoopCpuSeconds // {}) as $runs | ($runs | map(keys) | add // [] | unique) as $ks
                  | [$ks[] as $k | $runs | map(.[$k]) | median]);
  def showsplit: if length == 0 then "-" else map(f(2)) | join(" / ") end;
'

# placement PIN N: where a server of N loops and its load generator run, as "SERVER CLIENT"
# CPU lists for taskset, "-" meaning unpinned. PIN auto gives the server cores 0..N-1 and the
# generator the rest while one is left over; otherwise (and with PIN none) neither is pinned.
placement() {
  local pin="$1" n="$2" cpus
  cpus="$(nproc --all)"
  if [ "$pin" = auto ] && [ "$n" -lt "$cpus" ]; then
    echo "$(cpu_range 0 $((n - 1))) $(cpu_range "$n" $((cpus - 1)))"
  else
    echo "- -"
  fi
}

cpu_range() { if [ "$1" -eq "$2" ]; then echo "$1"; else echo "$1-$2"; fi; }

# --- noise ---------------------------------------------------------------------------------

retries=2

# measure RUN_ONE ARGS...: runs "RUN_ONE ARGS..." (which appends one JSON line to $runs) and,
# while the run was noisy (other CPU over a fifth of a core: someone else's build took a
# share), moves that line to $raw/noisy.jsonl and runs it again, at most $retries more
# times. The kept line says how many attempts were set aside (repeatedForNoise); the last
# attempt is kept even when noisy, and flagged so in the table. A run that appends nothing (its
# server turned out unable to run here, and said so) is left at that.
measure() {
  local attempt=0 last before
  while :; do
    before="$(wc -l <"$runs")"
    "$@"
    [ "$(wc -l <"$runs")" -gt "$before" ] || return 0
    last="$(tail -n 1 "$runs")"
    sed -i '$d' "$runs"
    if [ "$attempt" -ge "$retries" ] ||
       ! jq -e '.otherCpuSeconds != null and .otherCpuSeconds > 0.2 * .seconds' <<<"$last" >/dev/null; then
      jq -c --argjson n "$attempt" '. + {repeatedForNoise: $n}' <<<"$last" >>"$runs"
      return
    fi
    printf '%s\n' "$last" >>"$raw/noisy.jsonl"
    attempt=$((attempt + 1))
    say "noisy run ($(jq -r '.otherCpuSeconds' <<<"$last") s of other CPU); repeating it ($attempt of $retries)"
  done
}

# --- process trees and the Netty peers (bench/idle.sh) --------------------------------------

# The pids of PID and all its descendants (nginx's master and workers), from the ppid field of
# every /proc/*/stat.
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

# tree_status_kib PID FIELD: FIELD of /proc/<pid>/status (VmRSS, RssAnon, VmHWM...) in KiB,
# summed over PID's tree.
tree_status_kib() {
  local pid total=0 kb
  for pid in $(tree_pids "$1"); do
    kb="$(sed -n "s/^$2:[[:space:]]*\\([0-9]*\\) kB/\\1/p" "/proc/$pid/status" 2>/dev/null)"
    total=$((total + ${kb:-0}))
  done
  echo "$total"
}

# Netty as the HTTP and echo harnesses run it: on its module path, native access (its JNI
# libraries) for io.netty.common alone; sun.misc.Unsafe allowed (slower without it on JDK 24+);
# the parallel collector as netloop's launcher has it; leak detection (a debugging aid) off.
# shellcheck disable=SC2034 # used by the scripts that source this one
netty_jvm=(--module-path "$root/bench/target/netty" --add-modules ALL-MODULE-PATH --enable-native-access=io.netty.common
           --sun-misc-unsafe-memory-access=allow -XX:+UseParallelGC
           -Dio.netty.leakDetection.level=disabled)
