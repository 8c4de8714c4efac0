#!/bin/bash
# http.sh — the first HTTP figures: a read route and a write route against
# fangyi's own health route (the HTTP ceiling of this box), on the demo
# town, with wrk on loopback (bounded in time).  Prints a table and writes
# bench/results/http.json.  The fuller baselines (nginx, a raw SQLite
# program, Node/Express) belong to the benchmark harness issue.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${BENCH_PORT:-18191}
DIR=$(mktemp -d /tmp/fangyi-bench-XXXXXX)
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$DIR"' EXIT
DB=$DIR/town.db
mkdir -p bench/results
make -s fangyi >/dev/null
FANGYI_ADMIN_PASSWORD=bench-pass-1 ./fangyi init "$DB" --town 基准镇 >/dev/null
./fangyi import "$DB" places demo/places.csv >/dev/null
./fangyi serve "$DB" --listen 127.0.0.1:$PORT --quiet --threads 2 \
    > "$DIR/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 50); do
    curl -sf http://127.0.0.1:$PORT/api/v1/health >/dev/null && break
    sleep 0.1
done
JAR=$DIR/jar
curl -sf -c "$JAR" -H 'content-type: application/json' \
    -d '{"username":"admin","password":"bench-pass-1"}' \
    http://127.0.0.1:$PORT/api/v1/login > "$DIR/login.json"
CSRF=$(sed 's/.*"csrf_token":"\([^"]*\)".*/\1/' "$DIR/login.json")
export FANGYI_TOKEN=$(curl -sf -b "$JAR" -H "X-CSRF-Token: $CSRF" \
    -H 'content-type: application/json' -d '{"name":"bench"}' \
    http://127.0.0.1:$PORT/api/v1/tokens | sed 's/.*"token":"\([^"]*\)".*/\1/')
export FANGYI_VILLAGE=1

measure() { # wrk args... → "rps p50 p99"
    local out
    out=$(wrk -t2 -c64 -d5s --latency "$@" http://127.0.0.1:$PORT)
    echo "$(echo "$out" | awk '/Requests\/sec/ {print $2}')" \
         "$(echo "$out" | awk '$1 == "50%" {print $2}')" \
         "$(echo "$out" | awk '$1 == "99%" {print $2}')"
}
health() { wrk -t2 -c64 -d5s --latency http://127.0.0.1:$PORT/api/v1/health; }
out=$(health)
H_RPS=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
H_P50=$(echo "$out" | awk '$1 == "50%" {print $2}')
H_P99=$(echo "$out" | awk '$1 == "99%" {print $2}')
read -r R_RPS R_P50 R_P99 <<< "$(measure -s bench/wrk/read_places.lua)"
read -r W_RPS W_P50 W_P99 <<< "$(measure -s bench/wrk/write_places.lua)"
kill -TERM $SERVER; wait $SERVER 2>/dev/null || true
COMMITS=$(grep -o '([0-9]* writes in [0-9]* commits)' "$DIR/serve.log" || true)

printf '%-40s %10s %9s %9s %7s\n' benchmark req/s p50 p99 ratio
row() { printf '%-40s %10s %9s %9s %7s\n' "$1" "$2" "$3" "$4" \
            "$(echo "scale=3; $2 / $H_RPS" | bc)"; }
row "GET /health (HTTP ceiling, baseline)" "$H_RPS" "$H_P50" "$H_P99"
row "GET /places?type=point&limit=50" "$R_RPS" "$R_P50" "$R_P99"
row "POST /places (audited, FULL sync)" "$W_RPS" "$W_P50" "$W_P99"
echo "group commit: $COMMITS"
cat > bench/results/http.json <<JSON
[{"benchmark":"health","req_per_s":$H_RPS,"p50":"$H_P50","p99":"$H_P99"},
 {"benchmark":"places_list","req_per_s":$R_RPS,"p50":"$R_P50","p99":"$R_P99","ratio_to_health":$(echo "scale=3; $R_RPS / $H_RPS" | bc)},
 {"benchmark":"places_create","req_per_s":$W_RPS,"p50":"$W_P50","p99":"$W_P99","ratio_to_health":$(echo "scale=3; $W_RPS / $H_RPS" | bc),"group_commit":"$COMMITS"}]
JSON
echo "written bench/results/http.json"
