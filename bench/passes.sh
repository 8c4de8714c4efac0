#!/bin/bash
# passes.sh — checkpoint registration, the write-heaviest route: with wrk
# on loopback, POST /api/v1/passes with many concurrent clients (a car
# with two people each: a pass, two pass people, a new returnee handed
# over to the village register with a travel, every 50th a fever alert,
# an audit entry; wrk/write_passes.lua), against the write ceiling
# POST /api/v1/places (wrk/write_places.lua) measured on the same server
# in the same run.  Prints a table and writes bench/results/passes.json.
# Usage: bench/passes.sh [CONNECTIONS]   (default 128)
set -euo pipefail
cd "$(dirname "$0")/.."
CONNS=${1:-128}
PORT=${BENCH_PORT:-18193}
DUR=${BENCH_SECONDS:-5}
DIR=$(mktemp -d /tmp/fangyi-bench-XXXXXX)
SERVER=
trap '[ -n "$SERVER" ] && kill $SERVER 2>/dev/null; rm -rf "$DIR"' EXIT
DB=$DIR/town.db
mkdir -p bench/results
make -s fangyi >/dev/null

FANGYI_ADMIN_PASSWORD=bench-pass-1 ./fangyi init "$DB" --town 基准镇 >/dev/null
./fangyi import "$DB" places demo/places.csv >/dev/null
POINTS=$(sqlite3 "$DB" "SELECT group_concat(id) FROM places WHERE type = 'point'")
VILLAGES=$(sqlite3 "$DB" "SELECT group_concat(id) FROM places WHERE type = 'village'")
[ -n "$POINTS" ] || { echo "passes.sh: no points in demo/places.csv" >&2; exit 1; }

./fangyi serve "$DB" --listen 127.0.0.1:$PORT --quiet --threads 2 \
    --sweep-seconds 3600 > "$DIR/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 100); do
    curl -sf http://127.0.0.1:$PORT/api/v1/health >/dev/null && break
    sleep 0.1
done
jar=$DIR/jar
curl -sf -c "$jar" -H 'content-type: application/json' \
    -d '{"username":"admin","password":"bench-pass-1"}' \
    http://127.0.0.1:$PORT/api/v1/login > "$DIR/login.json"
csrf=$(sed 's/.*"csrf_token":"\([^"]*\)".*/\1/' "$DIR/login.json")
TOKEN=$(curl -sf -b "$jar" -H "X-CSRF-Token: $csrf" \
    -H 'content-type: application/json' -d '{"name":"bench"}' \
    http://127.0.0.1:$PORT/api/v1/tokens | sed 's/.*"token":"\([^"]*\)".*/\1/')

to_ms() { case $1 in *us) echo "scale=3; ${1%us}/1000" | bc;;
          *ms) echo "${1%ms}";; *s) echo "scale=3; ${1%s}*1000" | bc;; esac; }
# run LUA → "rps p50 p99 non2xx"
run() {
    local out rps p50 p99 bad
    out=$(wrk -t2 -c"$CONNS" -d${DUR}s --latency -s "$1" http://127.0.0.1:$PORT)
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    p50=$(to_ms "$(echo "$out" | awk '$1 == "50%" {print $2}')")
    p99=$(to_ms "$(echo "$out" | awk '$1 == "99%" {print $2}')")
    bad=$(echo "$out" | awk '/Non-2xx/ {print $5}')
    echo "$rps $p50 $p99 ${bad:-0}"
}
export FANGYI_TOKEN=$TOKEN FANGYI_VILLAGE=${VILLAGES%%,*} \
    FANGYI_POINTS=$POINTS FANGYI_VILLAGES=$VILLAGES
read -r W_RPS W_P50 W_P99 W_BAD <<< "$(run bench/wrk/write_places.lua)"
read -r P_RPS P_P50 P_P99 P_BAD <<< "$(run bench/wrk/write_passes.lua)"
kill -TERM $SERVER; wait $SERVER 2>/dev/null || true; SERVER=

PASSES=$(sqlite3 "$DB" "SELECT count(*) FROM passes")
PEOPLE=$(sqlite3 "$DB" "SELECT count(*) FROM people WHERE screening = 'pending'")
FEVERS=$(sqlite3 "$DB" "SELECT count(*) FROM alerts WHERE source = 'checkpoint'")
RATIO=$(echo "scale=3; $P_RPS / $W_RPS" | bc)
echo
printf '%-52s %10s %9s %9s %8s\n' "benchmark ($CONNS connections)" req/s p50_ms p99_ms ratio
printf '%-52s %10s %9s %9s %8s\n' "POST /places (write ceiling, baseline)" "$W_RPS" "$W_P50" "$W_P99" 1
printf '%-52s %10s %9s %9s %8s\n' "POST /passes (car, 2 people, 1 hand-over)" "$P_RPS" "$P_P50" "$P_P99" "$RATIO"
echo "passes: $PASSES stored, $PEOPLE returnees handed over, $FEVERS fever alerts;" \
     "refused: passes $P_BAD, places $W_BAD"
echo "ratio: passes req/s ÷ places req/s"
cat > bench/results/passes.json <<JSON
{"connections": $CONNS, "seconds": $DUR,
 "places": {"rps": $W_RPS, "p50_ms": $W_P50, "p99_ms": $W_P99, "non_2xx": $W_BAD},
 "passes": {"rps": $P_RPS, "p50_ms": $P_P50, "p99_ms": $P_P99, "non_2xx": $P_BAD,
            "stored": $PASSES, "handed_over": $PEOPLE, "fever_alerts": $FEVERS},
 "ratio": $RATIO}
JSON
