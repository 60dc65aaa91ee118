#!/usr/bin/env bash
# Installs the programs the HTTP benchmark (bench/http.sh) drives, from Debian's packages, when
# they are missing: wrk (the load), nginx (a peer), curl (checks each peer's answers), jq (the
# results), taskset (util-linux, the pinning), gcc (the C floor peer), shellcheck (the smoke lints
# the harness scripts). Idempotent; prints what it does.
set -euo pipefail

need=()
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v jq >/dev/null 2>&1 || need+=(jq)
command -v taskset >/dev/null 2>&1 || need+=(util-linux)
command -v gcc >/dev/null 2>&1 || need+=(gcc)   # builds the C floor peer (bench/floor)
command -v shellcheck >/dev/null 2>&1 || need+=(shellcheck)   # `./netloop bench smoke` lints bench/*.sh

[ ${#need[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "netloop: the HTTP benchmark needs: ${need[*]}; install them with your package manager" >&2
  exit 1
fi
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"

# Debian's nginx package starts the system-wide nginx on port 80 as it installs, unless a
# policy-rc.d says no (container images usually ship one). The benchmark starts its own
# nginx with its own config; a stray one would only take CPU from the runs.
policy=/usr/sbin/policy-rc.d
made_policy=""
if [[ " ${need[*]} " == *" nginx "* ]] && [ ! -e "$policy" ]; then
  printf '#!/bin/sh\n# Left by netloop scripts/install-bench-deps.sh while installing; removed after.\nexit 101\n' |
    $sudo tee "$policy" >/dev/null
  $sudo chmod 755 "$policy"
  made_policy=1
fi
remove_policy() { [ -z "$made_policy" ] || $sudo rm -f "$policy"; }
trap remove_policy EXIT

echo "netloop: installing benchmark dependencies: ${need[*]}" >&2
$sudo apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
