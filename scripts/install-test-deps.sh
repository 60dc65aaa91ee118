#!/usr/bin/env bash
# Installs the programs the test suite drives as real clients (curl, ...), from Debian's
# packages, when they are missing. Idempotent; prints what it does.
set -euo pipefail

need=()
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v slowhttptest >/dev/null 2>&1 || need+=(slowhttptest)   # slow-client attacks (SlowHttpTestTest)
command -v ip >/dev/null 2>&1 || need+=(iproute2)                 # ip netns, veth, tc (LossyLinkTest)
command -v nft >/dev/null 2>&1 || need+=(nftables)                # random packet loss (LossyLinkTest)
# The dashboard's and the chat page's browser tests drive a real headless Chromium through chromedriver.
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/chromedriver ] || need+=(chromium-driver)
# TestsslScanTest scans `netloop serve` over TLS with testssl.sh (Debian installs it as testssl).
command -v testssl >/dev/null 2>&1 || command -v testssl.sh >/dev/null 2>&1 || need+=(testssl.sh)
# The deployment test puts HAProxy in front of two servers.
command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || need+=(haproxy)

[ ${#need[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "netloop: the tests need: ${need[*]}; install them with your package manager" >&2
  exit 1
fi
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "netloop: installing test dependencies: ${need[*]}" >&2
$sudo apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
