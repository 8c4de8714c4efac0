#!/bin/bash
# checks.sh — home observation at town scale: 10,000 people under home
# isolation (day 4 of 14), five medical workers with 2,000 people each.
#
# The server runs on the real clock (a test clock file would be read on
# every use and cost the write path); requests name their day and slot.
# With wrk on loopback, bounded in time:
#   (a) check entry, POST /api/v1/measures/{id}/checks, every request a
#       slot not filled before (today's evening first, then the other
#       slots of the measure's days; wrk/write_checks.lua), against the
#       write ceiling POST /api/v1/places (wrk/write_places.lua) measured
#       on the same server in the same run;
#   (b) one medical worker's round, GET /api/v1/round (2,000 people), and
#   (c) the board, GET /api/v1/board: latency with one connection (p50,
#       p99) and throughput with 8, against the same query by plain SQL in
#       the sqlite3 shell on the same file.
# Prints a table and writes bench/results/checks.json.
# Usage: bench/checks.sh [N]   (N people, default 10,000; 5 workers share them)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}
PORT=${BENCH_PORT:-18192}
DUR=${BENCH_SECONDS:-5}
DIR=$(mktemp -d /tmp/fangyi-bench-XXXXXX)
SERVER=
trap '[ -n "$SERVER" ] && kill $SERVER 2>/dev/null; rm -rf "$DIR"' EXIT
DB=$DIR/town.db
mkdir -p bench/results
make -s fangyi >/dev/null

TODAY=$(TZ=Asia/Shanghai date +%F)   # the town's day
D1=$(TZ=Asia/Shanghai date -d "$TODAY -3 days" +%F)   # basis: today - 3
D2=$(TZ=Asia/Shanghai date -d "$TODAY -2 days" +%F)
D3=$(TZ=Asia/Shanghai date -d "$TODAY -1 days" +%F)

FANGYI_ADMIN_PASSWORD=bench-pass-1 ./fangyi init "$DB" --town 基准镇 >/dev/null
./fangyi import "$DB" places demo/places.csv >/dev/null
for k in 1 2 3 4 5; do
    FANGYI_PASSWORD=bench-pass-1 ./fangyi user add "$DB" "med$k" --role medical >/dev/null
done
t0=$(date +%s.%N)
sqlite3 "$DB" <<SQL
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $N)
INSERT INTO people (id, name, id_number, sex, birth_date, phone, village_id,
                    grid_id, address, kind, measure, period_days, screening,
                    created_at, updated_at)
SELECT i, substr('王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗', i % 20 + 1, 1)
       || substr('伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞', i / 20 % 20 + 1, 1),
       printf('3707%02d%012d', i % 100, i),
       CASE i % 2 WHEN 0 THEN 'F' ELSE 'M' END, '1980-01-01',
       printf('13%09d', i), (i % 16) + 1, 17 + (i % 16) * 3 + i % 3,
       printf('%d排%d号', i / 40 % 50 + 1, i % 40 + 1), 'returnee_high',
       'home_isolation', 14, 'confirmed', '${D1}T08:00:00Z', '${D1}T08:00:00Z'
FROM n;
INSERT INTO measures (id, person_id, type, basis, basis_date, period_days,
                      slots_per_day, status, created_by, created_at)
SELECT id, id, 'home_isolation', 'departure', '$D1', 14, 2, 'active', 1,
       '${D1}T08:00:00Z' FROM people;
INSERT INTO measure_events (measure_id, at, actor, action, detail)
SELECT id, created_at, 'admin', 'start', '' FROM measures;
-- five medical workers, 2,000 people each (a block of ids apiece)
INSERT INTO assignments (person_id, role, account_id, assigned_at)
SELECT p.id, 'medical', a.id, '${D1}T08:00:00Z'
FROM people p JOIN accounts a
  ON a.username = 'med' || ((p.id - 1) * 5 / $N + 1);
COMMIT;
ANALYZE;
SQL
t1=$(date +%s.%N)
echo "generated $N people, measures and assignments in $(echo "$t1 - $t0" | bc) s"
MED1=$(sqlite3 "$DB" "SELECT id FROM accounts WHERE username = 'med1'")
ROUND_N=$(sqlite3 "$DB" "SELECT count(*) FROM assignments WHERE account_id = $MED1")

./fangyi serve "$DB" --listen 127.0.0.1:$PORT --quiet --threads 2 \
    --sweep-seconds 3600 > "$DIR/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 100); do
    curl -sf http://127.0.0.1:$PORT/api/v1/health >/dev/null && break
    sleep 0.1
done
# token(user): a bearer token of that account
token() {
    local jar=$DIR/jar.$1 csrf
    curl -sf -c "$jar" -H 'content-type: application/json' \
        -d "{\"username\":\"$1\",\"password\":\"bench-pass-1\"}" \
        http://127.0.0.1:$PORT/api/v1/login > "$DIR/login.json"
    csrf=$(sed 's/.*"csrf_token":"\([^"]*\)".*/\1/' "$DIR/login.json")
    curl -sf -b "$jar" -H "X-CSRF-Token: $csrf" \
        -H 'content-type: application/json' -d '{"name":"bench"}' \
        http://127.0.0.1:$PORT/api/v1/tokens | sed 's/.*"token":"\([^"]*\)".*/\1/'
}
ADMIN_TOKEN=$(token admin)
MED_TOKEN=$(token med1)
# the first sweep (three days back) opens the missed-check alerts of the
# days before; wait until the writer is through with it
for _ in $(seq 300); do
    a=$(sqlite3 "$DB" "SELECT count(*) FROM alerts"); sleep 0.2
    b=$(sqlite3 "$DB" "SELECT count(*) FROM alerts")
    [ "$a" = "$b" ] && [ "$a" != 0 ] && break
done
MISSED=$(sqlite3 "$DB" "SELECT count(*) FROM alerts WHERE kind = 'missed'")
echo "server up; the first sweep opened $MISSED missed-check alerts"

to_ms() { case $1 in *us) echo "scale=3; ${1%us}/1000" | bc;;
          *ms) echo "${1%ms}";; *s) echo "scale=3; ${1%s}*1000" | bc;; esac; }

# ---- (a) writes ---------------------------------------------------------------
export FANGYI_TOKEN=$ADMIN_TOKEN FANGYI_VILLAGE=1
out=$(wrk -t2 -c64 -d${DUR}s --latency -s bench/wrk/write_places.lua \
    http://127.0.0.1:$PORT)
W_RPS=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
W_P50=$(to_ms "$(echo "$out" | awk '$1 == "50%" {print $2}')")
W_P99=$(to_ms "$(echo "$out" | awk '$1 == "99%" {print $2}')")
W_BAD=$(echo "$out" | awk '/Non-2xx/ {print $5}'); W_BAD=${W_BAD:-0}

export FANGYI_FIRST_MEASURE=1 FANGYI_MEASURES=$N FANGYI_THREADS=2 \
    FANGYI_DAYS="$TODAY,$D3,$D2,$D1"
out=$(wrk -t2 -c64 -d${DUR}s --latency -s bench/wrk/write_checks.lua \
    http://127.0.0.1:$PORT)
line=$(echo "$out" | grep '^CHECKS')
C_SOCK=$(echo "$out" | grep 'Socket errors' || true)
[ -z "$C_SOCK" ] || echo "checks: wrk $C_SOCK" >&2
C_N=$(echo "$line" | sed 's/.*created=\([0-9]*\).*/\1/')
C_BAD=$(echo "$line" | sed 's/.*refused=\([0-9]*\).*/\1/')
C_SEC=$(echo "$line" | sed 's/.*seconds=\([0-9.]*\).*/\1/')
C_RPS=$(echo "scale=2; $C_N / $C_SEC" | bc)
C_P50=$(echo "$line" | sed 's/.*p50_us=\([0-9]*\).*/\1/'); C_P50=$(echo "scale=3; $C_P50/1000" | bc)
C_P99=$(echo "$line" | sed 's/.*p99_us=\([0-9]*\).*/\1/'); C_P99=$(echo "scale=3; $C_P99/1000" | bc)
STORED=$(sqlite3 "$DB" "SELECT count(*) FROM checks")
FEVER=$(sqlite3 "$DB" "SELECT count(*) FROM alerts WHERE kind = 'fever'")
EVENING=$(sqlite3 "$DB" "SELECT count(*) FROM checks WHERE day = '$TODAY' AND slot = 2")
NO_EVENING=$(sqlite3 "$DB" "SELECT group_concat(id) FROM (SELECT id FROM measures
    WHERE id NOT IN (SELECT measure_id FROM checks WHERE day = '$TODAY' AND slot = 2) LIMIT 10)")
# today's evenings go first: once N checks are in, every evening must be
if [ "$STORED" -ge "$N" ] && [ -n "$NO_EVENING" ]; then
    echo "warning: no evening check stored for measures $NO_EVENING" >&2
fi

# ---- (b), (c) reads -------------------------------------------------------------
# baseline: the statement by plain SQL, averaged over REPS runs in one shell
raw_ms() {
    local sql=$1 reps=${2:-50} s e
    s=$(date +%s%N)
    for _ in $(seq $reps); do echo "$sql"; done | sqlite3 "$DB" >/dev/null
    e=$(date +%s%N)
    echo "scale=3; ($e - $s) / 1000000 / $reps" | bc
}
# read NAME PATH TOKEN SQL → one row of the table: rps p50 p99 raw
read_row() {
    local path=$2 tok=$3 out p50 p99 rps bad
    out=$(wrk -t1 -c1 -d${DUR}s --latency -H "Authorization: Bearer $tok" \
        "http://127.0.0.1:$PORT$path")
    p50=$(to_ms "$(echo "$out" | awk '$1 == "50%" {print $2}')")
    p99=$(to_ms "$(echo "$out" | awk '$1 == "99%" {print $2}')")
    bad=$(echo "$out" | awk '/Non-2xx/ {print $5}')
    out=$(wrk -t2 -c8 -d${DUR}s -H "Authorization: Bearer $tok" \
        "http://127.0.0.1:$PORT$path")
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    bad=$((${bad:-0} + $(echo "$out" | awk '/Non-2xx/ {print $5; f=1} END {if (!f) print 0}')))
    [ "$bad" = 0 ] || echo "warning: $1: $bad answers not 2xx" >&2
    echo "$rps $p50 $p99 $(raw_ms "$4")"
}
ROUND_SQL="SELECT p.id, m.id, p.name, p.address, v.name, g.name, m.type, p.phone,
 m.basis_date, m.period_days, m.slots_per_day,
 (SELECT temperature FROM checks c WHERE c.measure_id = m.id AND c.day = '$TODAY' AND c.slot = 1),
 (SELECT temperature FROM checks c WHERE c.measure_id = m.id AND c.day = '$TODAY' AND c.slot = 2),
 EXISTS (SELECT 1 FROM alerts x WHERE x.person_id = p.id AND x.kind = 'fever' AND x.closed = 0),
 p.village_id
 FROM measures m JOIN people p ON p.id = m.person_id
 JOIN places v ON v.id = p.village_id LEFT JOIN places g ON g.id = p.grid_id
 WHERE m.status = 'active' AND m.basis_date <= '$TODAY'
 AND m.person_id IN (SELECT person_id FROM assignments WHERE account_id = $MED1)
 ORDER BY v.id, g.id, p.address, p.name;"
BOARD_SQL="SELECT p.village_id, count(*),
 sum(EXISTS (SELECT 1 FROM checks c WHERE c.measure_id = m.id AND c.day = '$TODAY' AND c.slot = 1)),
 sum(EXISTS (SELECT 1 FROM checks c WHERE c.measure_id = m.id AND c.day = '$TODAY' AND c.slot = 2))
 FROM measures m JOIN people p ON p.id = m.person_id
 WHERE m.status = 'active' AND m.basis_date <= '$TODAY' GROUP BY p.village_id;
 SELECT p.village_id, count(*) FROM alerts x JOIN people p ON p.id = x.person_id
 WHERE x.kind = 'fever' AND x.closed = 0 GROUP BY p.village_id;"
GOT=$(curl -sf -H "Authorization: Bearer $MED_TOKEN" http://127.0.0.1:$PORT/api/v1/round \
    | grep -o '"person_id"' | wc -l)
[ "$GOT" = "$ROUND_N" ] || echo "warning: the round lists $GOT people, the assignments $ROUND_N" >&2
read -r R_RPS R_P50 R_P99 R_RAW <<< "$(read_row round /api/v1/round "$MED_TOKEN" "$ROUND_SQL")"
read -r B_RPS B_P50 B_P99 B_RAW <<< "$(read_row board /api/v1/board "$ADMIN_TOKEN" "$BOARD_SQL")"
kill -TERM $SERVER; wait $SERVER 2>/dev/null || true; SERVER=

C_RATIO=$(echo "scale=3; $C_RPS / $W_RPS" | bc)
R_RATIO=$(echo "scale=2; $R_P50 / $R_RAW" | bc)
B_RATIO=$(echo "scale=2; $B_P50 / $B_RAW" | bc)
echo
printf '%-46s %10s %9s %9s %11s %8s\n' benchmark req/s p50_ms p99_ms baseline ratio
printf '%-46s %10s %9s %9s %11s %8s\n' "POST /places (write ceiling, baseline)" "$W_RPS" "$W_P50" "$W_P99" "-" "1"
printf '%-46s %10s %9s %9s %11s %8s\n' "POST /measures/{id}/checks (new slot each)" "$C_RPS" "$C_P50" "$C_P99" "$W_RPS/s" "$C_RATIO"
printf '%-46s %10s %9s %9s %11s %8s\n' "GET /round ($ROUND_N people)" "$R_RPS" "$R_P50" "$R_P99" "${R_RAW}ms" "$R_RATIO"
printf '%-46s %10s %9s %9s %11s %8s\n' "GET /board (16 villages, $N people)" "$B_RPS" "$B_P50" "$B_P99" "${B_RAW}ms" "$B_RATIO"
echo "checks: $C_N stored in ${C_SEC} s by wrk ($C_BAD refused; $STORED rows in the table," \
     "$EVENING of them today's evening; $FEVER fever alerts); places: $W_BAD refused"
echo "ratios: checks req/s ÷ places req/s; reads p50 ÷ the same SQL in sqlite3"
cat > bench/results/checks.json <<JSON
[{"benchmark":"places_create","req_per_s":$W_RPS,"p50_ms":$W_P50,"p99_ms":$W_P99},
 {"benchmark":"checks_create","people":$N,"checks":$C_N,"refused":$C_BAD,"seconds":$C_SEC,"req_per_s":$C_RPS,"p50_ms":$C_P50,"p99_ms":$C_P99,"ratio_to_places_create":$C_RATIO},
 {"benchmark":"round","people":$ROUND_N,"req_per_s":$R_RPS,"p50_ms":$R_P50,"p99_ms":$R_P99,"raw_sql_ms":$R_RAW,"ratio_p50_to_raw":$R_RATIO},
 {"benchmark":"board","people":$N,"req_per_s":$B_RPS,"p50_ms":$B_P50,"p99_ms":$B_P99,"raw_sql_ms":$B_RAW,"ratio_p50_to_raw":$B_RATIO}]
JSON
echo "written bench/results/checks.json"
