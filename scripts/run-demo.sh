#!/bin/sh
# run-demo.sh — `make run`: creates ./fangyi.db with `fangyi demo` (the
# demo town 山旺镇 as of 2020-02-10: villages, points, 421 returnees under
# home observation, checks, checkpoint traffic, ledgers and an account of
# each role) unless it exists, then serves it on http://127.0.0.1:8080
# (FANGYI_LISTEN overrides).  The demo's staff accounts share the admin's
# password unless FANGYI_PASSWORD says otherwise.  The demo town lives on
# 2020-02-10: the server's clock is held at 10:00 that day by the clock
# file written beside the demo database (DB.clock; a database that was
# not made here has none and runs on the real clock; FANGYI_REAL_CLOCK=1
# serves the demo with the real date instead).
set -e
cd "$(dirname "$0")/.."
DB=${FANGYI_DB:-fangyi.db}
LISTEN=${FANGYI_LISTEN:-127.0.0.1:8080}
if [ ! -e "$DB" ]; then
    PW=${FANGYI_ADMIN_PASSWORD:-fangyi-demo}
    STAFF_PW=${FANGYI_PASSWORD:-$PW}
    FANGYI_ADMIN_PASSWORD=$PW FANGYI_PASSWORD=$STAFF_PW ./fangyi demo "$DB"
    echo "2020-02-10T02:00:00Z" > "$DB.clock"
    echo "demo database $DB created"
    echo "sign in as admin / $PW"
    echo "or as a staff account (./fangyi user list $DB) / $STAFF_PW"
else
    echo "using the existing $DB (delete it for a fresh demo town)"
fi
echo "open http://$LISTEN/ in a browser; Ctrl-C stops the server"
CLOCK="$DB.clock"
if [ -z "${FANGYI_REAL_CLOCK:-}" ] && [ -e "$CLOCK" ]; then
    echo "the demo town's day: $(cat "$CLOCK") (edit $CLOCK to move it;" \
         "FANGYI_REAL_CLOCK=1 for today)"
    exec ./fangyi serve "$DB" --listen "$LISTEN" --test-clock "$CLOCK"
fi
exec ./fangyi serve "$DB" --listen "$LISTEN"
