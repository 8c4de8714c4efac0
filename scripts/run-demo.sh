#!/bin/sh
# run-demo.sh — `make run`: creates ./fangyi.db (a town with villages,
# grids, points and venues, and the admin account) unless it exists, then
# serves it on http://127.0.0.1:8080 (FANGYI_LISTEN overrides).
set -e
cd "$(dirname "$0")/.."
DB=${FANGYI_DB:-fangyi.db}
LISTEN=${FANGYI_LISTEN:-127.0.0.1:8080}
if [ ! -e "$DB" ]; then
    PW=${FANGYI_ADMIN_PASSWORD:-fangyi-demo}
    FANGYI_ADMIN_PASSWORD=$PW ./fangyi init "$DB" --town 山旺镇
    ./fangyi import "$DB" places demo/places.csv
    echo "demo database $DB created"
    echo "sign in as admin / $PW"
else
    echo "using the existing $DB (delete it for a fresh demo town)"
fi
echo "open http://$LISTEN/ in a browser; Ctrl-C stops the server"
exec ./fangyi serve "$DB" --listen "$LISTEN"
