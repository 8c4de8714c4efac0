#!/bin/sh
# pg-test.sh — runs a command with a throwaway PostgreSQL cluster on
# loopback, for the tests: `scripts/pg-test.sh node --test tests/e2e/`.
#
# The cluster lives in a new temporary directory and is removed afterwards,
# whatever the command did.  The command sees
#   FANGYI_TEST_PG      postgres://fangyi@127.0.0.1:PORT  (a superuser;
#                       add /DBNAME for a database)
#   FANGYI_TEST_PG_BIN  the PostgreSQL programs (psql, ...)
# Trust authentication on 127.0.0.1 for the superuser; the role fangyi_pw
# must give its password (scram-sha-256), for the tests that check where
# passwords come from.  fsync is off: nothing here must survive a power
# cut, and it makes CREATE DATABASE fast.  PostgreSQL refuses to run as
# root, so as root the server runs as the user nobody.  With
# FANGYI_TEST_PG_LOG=FILE the server's log (every failed statement with
# its text) is copied to FILE at the end.
set -e
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ ! -x "$bin/initdb" ]; then
    echo "pg-test: the PostgreSQL server is not installed (make deps)" >&2
    exit 1
fi
[ $# -gt 0 ] || { echo "usage: scripts/pg-test.sh COMMAND..." >&2; exit 2; }

dir=$(mktemp -d /tmp/fangyi-pg.XXXXXX)
as=""
if [ "$(id -u)" = 0 ]; then
    chown nobody "$dir"
    as="runuser -u nobody --"
fi
stop() {
    $as "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    [ -z "$FANGYI_TEST_PG_LOG" ] || cp "$dir/server.log" "$FANGYI_TEST_PG_LOG"
    rm -rf "$dir"
}
trap stop EXIT
trap 'exit 130' INT TERM

$as "$bin/initdb" -D "$dir/data" -U fangyi --auth=trust -E UTF8 \
    --locale=C --no-sync >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
# the password role first: pg_hba.conf takes the first line that matches
hba="$dir/data/pg_hba.conf"
$as sh -c "{ echo 'host all fangyi_pw 127.0.0.1/32 scram-sha-256';
             cat '$hba'; } > '$hba.new' && mv '$hba.new' '$hba'"

# a free port: try a few from a spread-out start
port=$((20000 + $$ % 20000))
started=""
for try in 1 2 3 4 5 6 7 8; do
    # one line: pg_ctl hands the options to a shell
    opts="-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off"
    opts="$opts -c synchronous_commit=off -c full_page_writes=off"
    opts="$opts -c max_connections=300 -c shared_buffers=64MB"
    if $as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "$opts" start >/dev/null 2>&1; then
        started=1
        break
    fi
    port=$((port + 97))
done
if [ -z "$started" ]; then
    echo "pg-test: the PostgreSQL server did not start:" >&2
    tail -n 20 "$dir/server.log" >&2
    exit 1
fi
"$bin/psql" -X -q -d "postgres://fangyi@127.0.0.1:$port/postgres" \
    -c "CREATE ROLE fangyi_pw LOGIN CREATEDB PASSWORD 'pw-secret-1'" >/dev/null

export FANGYI_TEST_PG="postgres://fangyi@127.0.0.1:$port"
export FANGYI_TEST_PG_BIN="$bin"
set +e
"$@"
rc=$?
exit $rc
