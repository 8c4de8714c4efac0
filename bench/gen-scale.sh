#!/bin/bash
# gen-scale.sh — a deterministic benchmark database at a chosen scale.
#
# Usage: bench/gen-scale.sh town|county|city OUT.db [SEED] [DAYS]
#
# Makes OUT.db with `fangyi init` (town 基准镇/基准县/基准市, Asia/Shanghai,
# admin password $FANGYI_ADMIN_PASSWORD or bench-pass-1) and fills it with
# bench-gen (bench/gen/*.c, `make bench-gen`): the same SEED (default 1)
# and DAYS (default 60) always give the same records.  The report day is
# 2020-02-10, the last day of the history (2019-12-13 .. 2020-02-10 for 60
# days); ask the daily report for it with ?date=2020-02-10.
#
#   scale    villages grids points venues   people
#   town           16    48     57      4   30,000
#   county        500 1,500  2,000    120   1,000,000
#   city        5,000 15,000 20,000 1,200   10,000,000
#
# What is in it (figures for county, seed 1, 60 days; the other scales
# are proportional; the generator prints the counts of its run):
#   - residents screened in the first three days (0.5% without an ID
#     number, 0.05% merged into another record), 0.5% of them expecting
#     someone back (an `expected` travel after the report day);
#   - returnees registered day by day along a rising curve (5% of the
#     report day's number 50 days before), each with one returned travel
#     (5% from Hubei, 2% from Wuhan, 13% from medium-risk cities, 1% with
#     no dates, 0.5% with contact with a case), 10% handed over at a
#     checkpoint (screening pending, with the pass that brought them);
#   - cases (0.01% of the residents) and 10-39 close contacts each in
#     their village (a `contacts` row, kind close_contact);
#   - a 14-day measure for every returnee and contact (10% one check a
#     day), released on its due day (10% a day late), 1% ended early; about
#     a tenth of the people are under observation on the report day;
#   - every slot of every measure's day checked (97%; the report day's
#     mornings 90% and evenings 40%), a missed-check alert for each slot
#     missed before the report day, a fever alert for the 0.05% of checks
#     at 37.3 °C or more; a medical worker per ten villages
#     (med001.., checkers chk001.., village leaders lead001.., all with the
#     admin's password and limited to their ten villages);
#   - about 97,000 checkpoint passes a day with 1-8 people each (5% turned
#     back, 0.03% fevers sent to the fever clinic with an alert);
#   - disinfection of 70% of the villages and 20% of the points daily,
#     a full-coverage inspection round every four days (the report day
#     one of them) visiting every point and venue (4% with a problem),
#     gate logs of the venues, and supplies bought every five days and
#     issued every ten.
#
# Counts, county seed 1, 60 days (generated in about 3.5 min on the 2-core
# build machine when it is quiet, plus about 25 s for the tallies):
#   places 4,120 (500 villages, 1,500 grids, 2,000 points, 120 venues),
#   accounts 151, people 998,550 (212,343 returnees, 78 cases), travels
#   216,346, contacts 1,955, measures 214,298 (99,567 under observation on
#   2020-02-10), measure_events 325,635, assignments 214,298, checks
#   4,177,837, alerts 130,530, passes 5,913,916, pass_people 10,182,565,
#   disinfections 45,095, inspection rounds 15 with 31,800 sites and
#   31,800 visits, gate_visits 85,855, supply_moves 9,052.  Town: 29,942
#   people, 6,389 measures, 123,603 checks, 175,074 passes.  With 120 days
#   the last 60 days follow the same curve (100,380 under observation on
#   the report day) and the county has 11.8 million passes.
# Rows go straight in (no audit entries); all constraints and foreign keys
# hold.  No ANALYZE is run (a real database has none either).  The
# report's tallies are made afterwards by applying migration 007 again, as
# on an existing database (the first fangyi command does it).
set -euo pipefail
cd "$(dirname "$0")/.."
SCALE=${1:?usage: bench/gen-scale.sh town|county|city OUT.db [SEED] [DAYS]}
OUT=${2:?usage: bench/gen-scale.sh town|county|city OUT.db [SEED] [DAYS]}
SEED=${3:-1}
DAYS=${4:-60}
case $SCALE in
    town) TOWN=基准镇 ;;
    county) TOWN=基准县 ;;
    city) TOWN=基准市 ;;
    *) echo "gen-scale.sh: SCALE must be town, county or city" >&2; exit 2 ;;
esac
make -s fangyi bench-gen >/dev/null
BUILD=${BUILD:-build/release}
rm -f "$OUT" "$OUT-wal" "$OUT-shm"
FANGYI_ADMIN_PASSWORD=${FANGYI_ADMIN_PASSWORD:-bench-pass-1} \
    ./fangyi init "$OUT" --town "$TOWN" >/dev/null
"$BUILD/bench-gen" "$SCALE" "$OUT" "$SEED" "$DAYS" || { rm -f "$OUT"; exit 1; }
# the first command on the database makes the report's tallies (migration
# 007, dropped by bench-gen) from the records in one pass
t0=$(date +%s.%N)
./fangyi report "$OUT" --date 2020-02-10 --format json >/dev/null
echo "gen-scale: report tallies made in $(echo "$(date +%s.%N) - $t0" | bc) s"
