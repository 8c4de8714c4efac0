#!/bin/bash
# people.sh — list latency of the people register at county scale.
#
# Builds a database with N people (default 1,000,000) and one travel each,
# serves it, and measures GET /api/v1/people pages of 50 with wrk (loopback,
# bounded in time) for several filters; as the baseline, the same page
# fetched by plain SQL in the sqlite3 shell on the same file.  Prints a
# table and writes bench/results/people.json.  Usage: bench/people.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
PORT=${BENCH_PORT:-18190}
DIR=$(mktemp -d /tmp/fangyi-bench-XXXXXX)
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$DIR"' EXIT
DB=$DIR/county.db
mkdir -p bench/results
make -s fangyi >/dev/null

FANGYI_ADMIN_PASSWORD=bench-pass-1 ./fangyi init "$DB" --town 基准县 >/dev/null
./fangyi import "$DB" places demo/places.csv >/dev/null
t0=$(date +%s.%N)
sqlite3 "$DB" "CREATE TEMP TABLE bench_n(n); INSERT INTO bench_n VALUES ($N);" \
    ".read bench/gen-people.sql" "ANALYZE;"
t1=$(date +%s.%N)
echo "generated $N people and $N travels in $(echo "$t1 - $t0" | bc) s"

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
TOKEN=$(curl -sf -b "$JAR" -H "X-CSRF-Token: $CSRF" \
    -H 'content-type: application/json' -d '{"name":"bench"}' \
    http://127.0.0.1:$PORT/api/v1/tokens | sed 's/.*"token":"\([^"]*\)".*/\1/')

# baseline: the page by plain SQL, averaged over 200 runs
raw_ms() {
    local sql=$1 reps=200 s e
    s=$(date +%s%N)
    for _ in $(seq $reps); do echo "$sql;"; done | sqlite3 "$DB" >/dev/null
    e=$(date +%s%N)
    echo "scale=3; ($e - $s) / 1000000 / $reps" | bc
}

printf '%-34s %10s %9s %9s %11s %7s\n' benchmark req/s p50_ms p99_ms raw_sql_ms ratio
echo '[' > bench/results/people.json
first=1
run() {
    local name=$1 query=$2 sql=$3 out rps p50 p99 raw ratio
    # latency as one user sees it (one connection), throughput with 8
    out=$(wrk -t1 -c1 -d3s --latency -H "Authorization: Bearer $TOKEN" \
        "http://127.0.0.1:$PORT/api/v1/people?limit=50$query")
    p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
    p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
    out=$(wrk -t2 -c8 -d3s -H "Authorization: Bearer $TOKEN" \
        "http://127.0.0.1:$PORT/api/v1/people?limit=50$query")
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    to_ms() { case $1 in *us) echo "scale=3; ${1%us}/1000" | bc;;
              *ms) echo "${1%ms}";; *s) echo "scale=3; ${1%s}*1000" | bc;; esac; }
    p50=$(to_ms "$p50"); p99=$(to_ms "$p99")
    raw=$(raw_ms "$sql")
    ratio=$(echo "scale=2; $p50 / $raw" | bc)
    printf '%-34s %10s %9s %9s %11s %7s\n' "$name" "$rps" "$p50" "$p99" "$raw" "$ratio"
    [ $first = 1 ] || echo ',' >> bench/results/people.json
    first=0
    printf '{"benchmark":"%s","people":%s,"req_per_s":%s,"p50_ms":%s,"p99_ms":%s,"raw_sql_ms":%s,"ratio_p50_to_raw":%s}' \
        "$name" "$N" "$rps" "$p50" "$p99" "$raw" "$ratio" >> bench/results/people.json
}
# the baseline selects the same columns the same way (page ids first)
COLS="p.id, p.name, p.id_number, p.phone, v.name, t.origin_text, t.return_date"
FROM="FROM people p JOIN places v ON v.id = p.village_id LEFT JOIN travels t ON t.id = (SELECT max(id) FROM travels WHERE person_id = p.id)"
page() { echo "SELECT $COLS $FROM WHERE p.id IN (SELECT p.id FROM people p WHERE $1 ORDER BY p.id DESC LIMIT 50) ORDER BY p.id DESC"; }
run "people: newest page" "" "$(page "p.merged_into IS NULL")"
run "people: one village" "&village_id=5" \
    "$(page "p.village_id = 5 AND p.merged_into IS NULL")"
run "people: kind returnee_high" "&kind=returnee_high" \
    "$(page "p.kind = 'returnee_high' AND p.merged_into IS NULL")"
run "people: name prefix 王伟" "&q=%E7%8E%8B%E4%BC%9F" \
    "$(page "p.name >= '王伟' AND p.name < '王伟'||char(1114111) AND p.merged_into IS NULL")"
run "people: phone exact" "&q=13000500000" \
    "$(page "p.phone = '13000500000' AND p.merged_into IS NULL")"
run "people: origin Hubei, high risk" "&origin=420000&risk=high" \
    "$(page "p.merged_into IS NULL AND EXISTS (SELECT 1 FROM travels x WHERE x.person_id = p.id AND x.origin_code >= '420000' AND x.origin_code < '430000' AND x.risk_level = 'high')")"
echo ']' >> bench/results/people.json
echo "written bench/results/people.json"
