#!/usr/bin/env bash
# Installs the system tools the test suite uses as oracles and servers (Go, redis-server) when
# they are missing, from Debian's packages; fails naming the package when it cannot.
set -euo pipefail

need=()
command -v go >/dev/null 2>&1 || need+=(golang-go)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v gcc >/dev/null 2>&1 || need+=(gcc)
[ ${#need[@]} -eq 0 ] && exit 0

echo "structsync: installing missing system tools: ${need[*]}" >&2
if command -v apt-get >/dev/null 2>&1; then
  run=()
  [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && run=(sudo -n)
  if "${run[@]}" apt-get update -qq >/dev/null && \
     DEBIAN_FRONTEND=noninteractive "${run[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; then
    exit 0
  fi
fi
echo "structsync: could not install ${need[*]}; install them (Debian/Ubuntu: apt-get install ${need[*]}) and run the tests again" >&2
exit 1
