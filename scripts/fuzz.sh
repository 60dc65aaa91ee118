#!/usr/bin/env bash
# Fuzzes the HTTP module's @FuzzTest targets with Jazzer, one after another.
#   scripts/fuzz.sh                          every target, 120 s each
#   scripts/fuzz.sh HttpParserFuzzTest 600   every target of that class, 600 s each
#   scripts/fuzz.sh 'PathDecoderFuzzTest#requestTargetIsTakenApartOrRefused' 60
# A plain `mvn verify` only replays the committed inputs (regression mode). Here each target
# runs under `JAZZER_FUZZ=1` for the given time. A finding fails the target and is written to
# http/src/test/resources/<package>/<Class>Inputs/<method>/crash-*, where every later
# build replays it: fix the code, then commit the input as a regression test. The corpus the
# fuzzer grows is kept in http/target/fuzz-corpus between runs (`mvn clean` drops it), so that
# a plain build does not replay it. Logs: http/target/fuzz/<target>.log.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
module="$root/http"
filter="${1:-}"
seconds="${2:-120}"

case "$seconds" in
  ''|*[!0-9]*) echo "fuzz.sh: seconds must be a whole number, not '$seconds' (usage: scripts/fuzz.sh [target] [seconds])" >&2; exit 2 ;;
esac

# Every Class#method annotated @FuzzTest, in file order.
targets=()
while IFS= read -r t; do targets+=("$t"); done < <(
  grep -rl '@FuzzTest' "$module/src/test/java" | sort | while read -r f; do
    awk -v cls="$(basename "$f" .java)" '
      /@FuzzTest/ { armed = 1 }
      armed && match($0, /void [A-Za-z0-9_]+\(/) { print cls "#" substr($0, RSTART + 5, RLENGTH - 6); armed = 0 }' "$f"
  done)
selected=()
for t in "${targets[@]}"; do
  if [ -z "$filter" ] || [ "$t" = "$filter" ] || [ "${t%%#*}" = "$filter" ]; then selected+=("$t"); fi
done
if [ ${#selected[@]} -eq 0 ]; then
  echo "fuzz.sh: no fuzz target matches '$filter'; the targets are:" >&2
  printf '  %s\n' "${targets[@]}" >&2
  exit 2
fi

store="$module/target/fuzz-corpus"
logs="$module/target/fuzz"
mkdir -p "$logs"
restore() { if [ -d "$module/.cifuzz-corpus" ]; then rm -rf "$store"; mv "$module/.cifuzz-corpus" "$store"; fi; }
trap restore EXIT
if [ -d "$store" ] && [ ! -d "$module/.cifuzz-corpus" ]; then mv "$store" "$module/.cifuzz-corpus"; fi

failed=0
for t in "${selected[@]}"; do
  log="$logs/$t.log"
  echo "fuzz.sh: $t for ${seconds}s (log: ${log#"$root"/})"
  status=0
  (cd "$root" && JAZZER_FUZZ=1 mvn -B -pl http -am verify -Dtest="$t" -Dsurefire.failIfNoSpecifiedTests=false \
      -Djazzer.max_duration="${seconds}s") >"$log" 2>&1 || status=$?
  # libFuzzer's own summary: executions, coverage (edges), corpus size, speed.
  grep -E '^#[0-9]+[[:space:]]+DONE|^Done [0-9]+ runs' "$log" | sed 's/^/  /' || true
  if [ "$status" -ne 0 ]; then
    failed=1
    echo "  FAILED: a finding or a build error; see the log, and any new crash-* input under" \
      "http/src/test/resources/<package>/${t%%#*}Inputs/${t#*#}/" >&2
    grep -E 'FuzzTestFinding|== Java Exception|Caused by|ERROR\] +[A-Z]' "$log" | head -5 | sed 's/^/  /' >&2 || true
  fi
done
exit "$failed"
