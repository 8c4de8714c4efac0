#!/bin/sh
# bench-deps.sh — installs what only the benchmark harness needs: wrk (the
# load generator), nginx (the HTTP baseline), the sqlite3 shell (the raw
# SQL baselines), GNU time (peak memory), and the Express baseline's npm
# packages in bench/baseline/ (from its lockfile).  Idempotent: does
# nothing when everything is there.  As root it runs apt-get itself;
# otherwise it prints the command to run.
set -e
cd "$(dirname "$0")/.."
PKGS="wrk nginx-light sqlite3 time bc curl"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
        missing="$missing $p"
done
if [ -n "$missing" ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "bench-deps: these packages are missing:$missing"
        echo "run:  sudo apt-get update && sudo apt-get install -y$missing"
        exit 1
    fi
    echo "bench-deps: installing$missing"
    export DEBIAN_FRONTEND=noninteractive
    # the harness starts its own nginx on loopback: keep the package's
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
    [ -n "$policy" ] && rm -f /usr/sbin/policy-rc.d
fi
# the "what a user would pick instead" baseline: Express + better-sqlite3
if [ ! -f bench/baseline/node_modules/.package-lock.json ] ||
   [ bench/baseline/package-lock.json -nt \
     bench/baseline/node_modules/.package-lock.json ]; then
    echo "bench-deps: npm ci in bench/baseline"
    # better-sqlite3 is compiled here (no prebuilt download): with the
    # installed node's headers, not ones fetched from the network
    if [ -f /usr/include/node/node.h ]; then
        export npm_config_nodedir=/usr
    fi
    (cd bench/baseline && npm ci --no-audit --no-fund --loglevel=error)
fi
