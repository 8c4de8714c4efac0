#!/bin/sh
# deps.sh — installs the Debian packages fangyi needs to build and test
# (postgresql: the server the PostgreSQL tests start a throwaway cluster
# of; scripts/pg-test.sh; nginx-light: the proxy tests/e2e/deploy.test.mjs
# starts on loopback with deploy/nginx.conf).
# Idempotent: does nothing when everything is there.  As root it runs
# apt-get itself; otherwise it prints the exact command to run.
set -e
# clang and libclang-rt-14-dev (libFuzzer, the sanitizers) build make fuzz
PKGS="build-essential pkg-config libmicrohttpd-dev libsqlite3-dev sqlite3
libjansson-dev libsodium-dev libxlsxwriter-dev libcmocka-dev nodejs npm chromium
libqrencode-dev wrk bc curl openssl valgrind libpq-dev postgresql nginx-light clang
libclang-rt-14-dev"
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
    # the tests start their own nginx on loopback: keep the package's
    # service from starting on port 80 while it installs
    policy=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
        chmod +x /usr/sbin/policy-rc.d
        policy=1
    fi
    apt-get update -q
    apt-get install -y -q --no-install-recommends $missing ||
        { [ -n "$policy" ] && rm -f /usr/sbin/policy-rc.d; exit 1; }
    if [ -n "$policy" ]; then rm -f /usr/sbin/policy-rc.d; fi
else
    echo "deps: these packages are missing:$missing"
    echo "run:  sudo apt-get update && sudo apt-get install -y$missing"
    exit 1
fi
