#!/bin/sh
# deps.sh — installs the Debian packages fangyi needs to build and test.
# Idempotent: does nothing when everything is there.  As root it runs
# apt-get itself; otherwise it prints the exact command to run.
set -e
# clang and libclang-rt-14-dev (libFuzzer, the sanitizers) build make fuzz
PKGS="build-essential pkg-config libmicrohttpd-dev libsqlite3-dev sqlite3
libjansson-dev libsodium-dev libxlsxwriter-dev libcmocka-dev nodejs npm chromium
libqrencode-dev wrk bc curl clang libclang-rt-14-dev"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
        missing="$missing $p"
done
# Node.js may come from elsewhere than Debian's package: accept any node 20+
if command -v node >/dev/null 2>&1 &&
   [ "$(node -p 'process.versions.node.split(".")[0]')" -ge 20 ]; then
    missing=$(echo "$missing" | sed 's/ nodejs//; s/ npm//')
fi
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
    echo "deps: installing$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends $missing
else
    echo "deps: these packages are missing:$missing"
    echo "run:  sudo apt-get update && sudo apt-get install -y$missing"
    exit 1
fi
