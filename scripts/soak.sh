#!/usr/bin/env bash
# Soak: runs a mixed load (keep-alive, pipelined, short connections, large downloads, downloads
# aborted with a reset) against one `netloop serve --root` for MINUTES (default 10), then checks
# that the server's descriptors, threads and heap after a full GC are back to their steady state
# (measured after a warm-up) and that every failure counted was an injected one.
#   scripts/soak.sh [minutes] [--out DIR] [--port N]
# Writes DIR/results.md and DIR/samples.csv (default bench/results/<date>-soak); exits 1 on drift or failures.
# (WebSocket chat is not part of the mix: that branch has not landed.)
set -euo pipefail

me=soak
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
minutes=10
out=""
port=18480
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  rm -rf "$site"
}
trap cleanup EXIT
echo "hello, soak" > "$site/small.txt"
head -c $((16 << 20)) /dev/urandom > "$site/big.bin"

NETLOOP_JAVA_OPTS="-Xmx256m" "$root/netloop" serve --port "$port" --root "$site" --access-log off --threads 1 \
  > "$out/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do grep -q "serving" "$out/server.log" 2>/dev/null && break; sleep 0.2; done
grep -q "serving" "$out/server.log" || die "the server did not start: $(cat "$out/server.log")"

drive() { "$java" --enable-native-access=ALL-UNNAMED -Xmx512m -cp "$bench_jar" io.netloop.bench.Soak --port "$port" "$@"; }

# fds threads heap_kib rss_kib of the server, heap after a full GC (jcmd GC.run, then GC.heap_info's "used" figures)
measure() {
  "$jcmd" "$server_pid" GC.run >/dev/null
  local heap fds threads rss
  heap="$("$jcmd" "$server_pid" GC.heap_info | grep -oE 'used [0-9]+K' | head -n 2 | grep -oE '[0-9]+' | paste -sd+ | bc)"
  fds="$(ls "/proc/$server_pid/fd" | wc -l)"
  threads="$(awk '/^Threads:/ {print $2}' "/proc/$server_pid/status")"
  rss="$(awk '/^VmRSS:/ {print $2}' "/proc/$server_pid/status")"
  echo "$fds $threads $heap $rss"
}

say "warming up for 20 s ..."
drive --seconds 20 --clients 4 > "$out/warmup.txt"
sleep 3
read -r fds0 threads0 heap0 rss0 < <(measure)
say "steady state: $fds0 fds, $threads0 threads, heap after GC ${heap0} KiB, RSS ${rss0} KiB"

echo "seconds,fds,threads,heap_after_gc_kib,rss_kib" > "$out/samples.csv"
start=$(date +%s)
drive --seconds "$(echo "$minutes * 60" | bc)" --clients 4 > "$out/load.txt" &
driver=$!
while kill -0 "$driver" 2>/dev/null; do
  sleep 30
  kill -0 "$driver" 2>/dev/null || break
  read -r f t h r < <(measure)
  echo "$(( $(date +%s) - start )),$f,$t,$h,$r" >> "$out/samples.csv"
done
driver_ok=0
wait "$driver" || driver_ok=$?
sleep 5 # keep-alive connections the driver left are closed by now; lingering closes end
read -r fds1 threads1 heap1 rss1 < <(measure)

verdict=PASS
problems=()
[ "$driver_ok" -eq 0 ] || { verdict=FAIL; problems+=("failures that were not injected (see load.txt)"); }
[ "$fds1" -le $((fds0 + 2)) ] || { verdict=FAIL; problems+=("descriptors $fds0 -> $fds1"); }
[ "$threads1" -le $((threads0 + 2)) ] || { verdict=FAIL; problems+=("threads $threads0 -> $threads1"); }
[ "$heap1" -le $((heap0 + 16384)) ] || { verdict=FAIL; problems+=("heap after GC ${heap0} KiB -> ${heap1} KiB"); }

{
  echo "# Soak, $(date -u +%F) — $verdict"
  echo
  echo "\`scripts/soak.sh $minutes\` at $commit: \`netloop serve --root\` (1 loop, -Xmx256m) under"
  echo "keep-alive (20 requests per connection), pipelined (10 at once), short connections, 16 MiB downloads and"
  echo "downloads reset after 1 MiB (the injected failures), 4 clients of each (2 of the downloads), for $minutes minutes."
  echo "Machine: $(nproc) cores, load average at the end $(cut -d' ' -f1-3 /proc/loadavg) (shared with other work)."
  echo
  echo "| | after a 20 s warm-up | after the soak |"
  echo "|---|---|---|"
  echo "| descriptors | $fds0 | $fds1 |"
  echo "| threads | $threads0 | $threads1 |"
  echo "| heap after full GC | ${heap0} KiB | ${heap1} KiB |"
  echo "| RSS | ${rss0} KiB | ${rss1} KiB |"
  echo
  echo "Load: \`$(cat "$out/load.txt" | head -n 1)\`"
  [ ${#problems[@]} -eq 0 ] || printf -- '- problem: %s\n' "${problems[@]}"
  echo
  echo "Samples every 30 s (heap after a forced GC): samples.csv."
} > "$out/results.md"
cat "$out/results.md"
[ "$verdict" = PASS ]
