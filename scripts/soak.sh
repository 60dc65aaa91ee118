#!/usr/bin/env bash
# Soak: runs a mixed load (keep-alive, pipelined, short connections, large downloads, downloads
# aborted with a reset) against one `netloop serve --root` and, at the same time, WebSocket and TCP
# chat clients (joining, talking, leaving or aborting) against one `netloop chat`, for MINUTES
# (default 10), then checks that both servers' descriptors, threads and heap after a full GC are
# back to their steady state (measured after a warm-up) and that every failure was an injected one.
#   scripts/soak.sh [minutes] [--out DIR] [--port N] [--chat-port N]   (the chat's HTTP port is N+1)
# Writes DIR/results.md and DIR/samples.csv (default bench/results/<date>-soak); exits 1 on drift or failures.
set -euo pipefail

me=soak
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
minutes=10
out=""
port=18480
chat_port=18481
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --chat-port) chat_port="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    *[!0-9.]*) echo "soak: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    *) minutes="$1"; shift ;;
  esac
done

source "$root/bench/lib.sh"
eval "$(sed -n -e '/^min_java=/p' -e '/^java_major() {/,/^}/p' -e '/^find_java() {/,/^}/p' "$root/netloop")"
java="$(find_java)" || die "no JDK ${min_java} or newer found (see ./netloop)"
jcmd="$(dirname "$java")/jcmd"
[ -x "$jcmd" ] || die "no jcmd next to $java: the soak reads the heap with it"
build_if_stale
[ -n "$out" ] || out="$(default_out soak)"
mkdir -p "$out"

commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)" # what was built, before any later commit
site="$(mktemp -d)"
server_pid=""
chat_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  [ -n "$chat_pid" ] && kill "$chat_pid" 2>/dev/null && wait "$chat_pid" 2>/dev/null || true
  rm -rf "$site"
}
trap cleanup EXIT
echo "hello, soak" > "$site/small.txt"
head -c $((16 << 20)) /dev/urandom > "$site/big.bin"

NETLOOP_JAVA_OPTS="-Xmx256m" "$root/netloop" serve --port "$port" --root "$site" --access-log off --threads 1 \
  > "$out/server.log" 2>&1 &
server_pid=$!
NETLOOP_JAVA_OPTS="-Xmx256m" "$root/netloop" chat --port "$chat_port" --http-port $((chat_port + 1)) --threads 1 \
  > "$out/chat.log" 2>&1 &
chat_pid=$!
for _ in $(seq 1 100); do grep -q "serving" "$out/server.log" 2>/dev/null && grep -q "chat room on" "$out/chat.log" 2>/dev/null && break; sleep 0.2; done
grep -q "serving" "$out/server.log" || die "the server did not start: $(cat "$out/server.log")"
grep -q "chat room on" "$out/chat.log" || die "the chat did not start: $(cat "$out/chat.log")"

drive() {
  "$java" -Xmx512m -cp "$bench_jar" io.netloop.bench.Soak --port "$port" \
    --chat-port "$chat_port" --chat-http-port $((chat_port + 1)) --chat-clients 3 "$@"
}

# fds threads heap_kib rss_kib of process $1, heap after a full GC (jcmd GC.run, then GC.heap_info's "used" figures)
measure() {
  "$jcmd" "$1" GC.run >/dev/null
  local heap fds threads rss
  heap="$("$jcmd" "$1" GC.heap_info | grep -oE 'used [0-9]+K' | head -n 2 | grep -oE '[0-9]+' | paste -sd+ | bc)"
  fds="$(ls "/proc/$1/fd" | wc -l)"
  threads="$(awk '/^Threads:/ {print $2}' "/proc/$1/status")"
  rss="$(awk '/^VmRSS:/ {print $2}' "/proc/$1/status")"
  echo "$fds $threads $heap $rss"
}

say "warming up for 20 s ..."
drive --seconds 20 --clients 4 > "$out/warmup.txt"
sleep 3
read -r fds0 threads0 heap0 rss0 < <(measure "$server_pid")
read -r cfds0 cthreads0 cheap0 crss0 < <(measure "$chat_pid")
say "steady state: serve $fds0 fds, $threads0 threads, heap after GC ${heap0} KiB, RSS ${rss0} KiB;" \
  "chat $cfds0 fds, $cthreads0 threads, heap after GC ${cheap0} KiB, RSS ${crss0} KiB"

echo "seconds,fds,threads,heap_after_gc_kib,rss_kib,chat_fds,chat_threads,chat_heap_after_gc_kib,chat_rss_kib" > "$out/samples.csv"
start=$(date +%s)
drive --seconds "$(echo "$minutes * 60" | bc)" --clients 4 > "$out/load.txt" &
driver=$!
while kill -0 "$driver" 2>/dev/null; do
  sleep 30
  kill -0 "$driver" 2>/dev/null || break
  read -r f t h r < <(measure "$server_pid")
  read -r cf ct ch cr < <(measure "$chat_pid")
  echo "$(( $(date +%s) - start )),$f,$t,$h,$r,$cf,$ct,$ch,$cr" >> "$out/samples.csv"
done
driver_ok=0
wait "$driver" || driver_ok=$?
sleep 5 # keep-alive connections the driver left are closed by now; lingering closes end
read -r fds1 threads1 heap1 rss1 < <(measure "$server_pid")
read -r cfds1 cthreads1 cheap1 crss1 < <(measure "$chat_pid")

verdict=PASS
problems=()
[ "$driver_ok" -eq 0 ] || { verdict=FAIL; problems+=("failures that were not injected (see load.txt)"); }
[ "$fds1" -le $((fds0 + 2)) ] || { verdict=FAIL; problems+=("descriptors $fds0 -> $fds1"); }
[ "$threads1" -le $((threads0 + 2)) ] || { verdict=FAIL; problems+=("threads $threads0 -> $threads1"); }
[ "$heap1" -le $((heap0 + 16384)) ] || { verdict=FAIL; problems+=("heap after GC ${heap0} KiB -> ${heap1} KiB"); }
[ "$cfds1" -le $((cfds0 + 2)) ] || { verdict=FAIL; problems+=("chat descriptors $cfds0 -> $cfds1"); }
[ "$cthreads1" -le $((cthreads0 + 2)) ] || { verdict=FAIL; problems+=("chat threads $cthreads0 -> $cthreads1"); }
[ "$cheap1" -le $((cheap0 + 16384)) ] || { verdict=FAIL; problems+=("chat heap after GC ${cheap0} KiB -> ${cheap1} KiB"); }

{
  echo "# Soak, $(date -u +%F) — $verdict"
  echo
  echo "\`scripts/soak.sh $minutes\` at $commit: \`netloop serve --root\` (1 loop, -Xmx256m) under"
  echo "keep-alive (20 requests per connection), pipelined (10 at once), short connections, 16 MiB downloads and"
  echo "downloads reset after 1 MiB (the injected failures), 4 clients of each (2 of the downloads), for $minutes minutes;"
  echo "at the same time \`netloop chat\` (1 loop per side, -Xmx256m) with 3 WebSocket clients (JDK WebSocket, the page's"
  echo "JSON) and 2 TCP line clients in its room, each saying a message every 100 ms (10-210 characters, JSON-escaped and"
  echo "multi-byte ones among them) and waiting for its broadcast to come back unchanged, leaving after 50 messages and"
  echo "joining again under a new nickname; every third WebSocket session ends in an abort (the injected failures)."
  echo "Machine: $(nproc) cores, load average at the end $(cut -d' ' -f1-3 /proc/loadavg) (shared with other work)."
  echo
  echo "| | serve, after a 20 s warm-up | serve, after the soak | chat, after the warm-up | chat, after the soak |"
  echo "|---|---|---|---|---|"
  echo "| descriptors | $fds0 | $fds1 | $cfds0 | $cfds1 |"
  echo "| threads | $threads0 | $threads1 | $cthreads0 | $cthreads1 |"
  echo "| heap after full GC | ${heap0} KiB | ${heap1} KiB | ${cheap0} KiB | ${cheap1} KiB |"
  echo "| RSS | ${rss0} KiB | ${rss1} KiB | ${crss0} KiB | ${crss1} KiB |"
  echo
  echo "HTTP load: \`$(grep -m 1 '^soak: ' "$out/load.txt")\`"
  echo
  echo "Chat load: \`$(grep -m 1 '^soak: chat ' "$out/load.txt")\`"
  echo "(sent: messages said; echoed: of those, broadcasts received back unchanged; heard: all messages the clients"
  echo "received; joins; leaves: by /quit; aborted: WebSocket sessions dropped without a close, injected)"
  [ ${#problems[@]} -eq 0 ] || printf -- '- problem: %s\n' "${problems[@]}"
  echo
  echo "Samples of both processes every 30 s (heap after a forced GC): samples.csv."
} > "$out/results.md"
cat "$out/results.md"
[ "$verdict" = PASS ]
