#!/usr/bin/env bash
# bench/floor/build.sh: compiles bench/floor/floor.c into bench/target/floor when that is missing or
# older than the source, and prints the binary's path; or prints why it cannot and exits 1. Used by
# every harness with a floor peer (bench/http.sh, bench/echo.sh).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bin="$root/bench/target/floor"
if [ ! -x "$bin" ] || [ "$root/bench/floor/floor.c" -nt "$bin" ]; then
  command -v gcc >/dev/null 2>&1 || { echo "gcc is not installed (scripts/install-bench-deps.sh installs it)"; exit 1; }
  mkdir -p "$(dirname "$bin")"
  gcc -O2 -Wall -o "$bin" "$root/bench/floor/floor.c" 2>&1 || { echo "bench/floor/floor.c did not compile"; exit 1; }
fi
echo "$bin"
