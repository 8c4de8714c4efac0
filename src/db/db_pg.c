/* db_pg.c — the PostgreSQL backend of db.h, on libpq.
 *
 * One connection per Db (each HTTP worker thread and the writer open their
 * own, as on SQLite).  Statements are prepared once per connection and
 * cached by their SQL text and parameter types; the portable ?N parameters
 * are rewritten to $N once, when the statement is prepared.  Parameters go
 * as text with the type the bind format says ('i' bigint, 't' text,
 * 'd' double precision); results come back as text and are read the way
 * SQLite's accessors read them (a boolean is 1 or 0, a real prints as
 * SQLite prints it), so the domain code sees the same values on both.
 *
 * Concurrency.  All writes go through db_begin, which takes one
 * transaction-level advisory lock (WRITE_LOCK) after BEGIN: write
 * transactions are one at a time across every app server sharing the
 * database, exactly as SQLite's BEGIN IMMEDIATE makes them one at a time
 * across processes.  Under READ COMMITTED each statement of the holder sees
 * everything committed before it, so the domain layer's check-then-write
 * steps (one active measure, stock levels, the audit log's hash chain,
 * which needs one order of all writes) stay right without row locks, and
 * no write ever fails with a serialization error that would need a retry.
 * Group commit keeps the lock cheap: each server's writer takes it once per
 * batch.  Reads run outside transactions (each statement its own snapshot,
 * as on SQLite in WAL mode) and never wait for the lock.  Waiting for the
 * lock longer than lock_timeout (5 s, SQLite's busy timeout) answers 503.
 *
 * Towns.  A county keeps several townships in one database, each in a
 * schema of its own named by the URL's town= (postgres://…/county?town=
 * shanwang; none: the schema public).  Every connection's search_path is
 * that schema alone (public too: whatever a role's setting or PGOPTIONS
 * says), so the same unqualified SQL reads and writes one town's tables
 * and nothing of another's; the write lock is the town's own (the second
 * key of a two-key lock is hashtext of the schema's name), so towns never
 * wait for each other's writes.
 *
 * A connection that breaks (a restarted server) is opened again on the
 * next call outside a transaction; the call that found it broken fails
 * with 503. */
#include "db_internal.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pg_sql.h"

enum { STMT_BUCKETS = 256, MAX_PARAMS = 64 };

/* pg_advisory_xact_lock key of the write lock: "fangyi" in ASCII; a
 * town's lock is (WRITE_LOCK_TOWNS, hashtext(schema)) */
#define WRITE_LOCK "112697678018921"
#define WRITE_LOCK_TOWNS "1718187881"

/* type oids of pg_type.h (libpq does not export the server's headers) */
enum { OID_BOOL = 16, OID_INT8 = 20, OID_TEXT = 25, OID_FLOAT4 = 700,
       OID_FLOAT8 = 701, OID_NUMERIC = 1700 };

typedef struct PgStmt {
    DbStmt base;
    char *sql;                  /* as the caller wrote it (the cache key) */
    char sig[MAX_PARAMS + 1];   /* parameter types: i, t, d, n */
    unsigned hash;
    int nparams;
    char name[24];              /* the prepared statement's name */
    int prepared;               /* on the current connection */
    struct PgStmt *next;
    /* the current execution */
    PGresult *res;
    int row, nrows;
    char (*cells)[40];          /* per column: a converted value */
    int ncells;
} PgStmt;

typedef struct PgDb {
    Db base;
    PGconn *c;
    char schema[64];            /* the town's schema (public: none named) */
    char begin_sql[200];        /* BEGIN and the town's write lock */
    int session_ok;             /* setup_session done on this connection */
    int64_t changes;
    int tx;                     /* between db_begin and commit/rollback */
    unsigned nprepared;         /* names prepared statements */
    PgStmt *buckets[STMT_BUCKETS];
} PgDb;

#define PG(db) ((PgDb *)(db))
#define PGS(st) ((PgStmt *)(st))

static const DbOps pg_ops;

/* ---- errors ------------------------------------------------------------- */

/* What a SQLSTATE means for the caller (see DbFail in db.h). */
static DbFail classify(const char *state)
{
    if (!state || strlen(state) != 5)
        return DB_FAIL_UNAVAILABLE; /* no answer from the server */
    if (!strcmp(state, "23505"))
        return DB_FAIL_UNIQUE;
    if (!strcmp(state, "23503"))
        return DB_FAIL_FOREIGN;
    /* invalid text representation: a parameter bound with the wrong
     * type, our own bug, not the caller's input */
    if (!strcmp(state, "22P02"))
        return DB_FAIL_OTHER;
    /* other integrity violations (check, not null, exclusion) and data
     * exceptions (a value out of range) are the caller's input */
    if (!strncmp(state, "23", 2) || !strncmp(state, "22", 2))
        return DB_FAIL_CHECK;
    /* serialization failure, deadlock, lock or statement timeout */
    if (!strcmp(state, "40001") || !strcmp(state, "40P01") ||
        !strcmp(state, "55P03") || !strcmp(state, "57014"))
        return DB_FAIL_BUSY;
    /* connection exceptions, insufficient resources (disk full), operator
     * intervention (shutdown), system errors, a read-only transaction */
    if (!strncmp(state, "08", 2) || !strncmp(state, "53", 2) ||
        !strncmp(state, "57", 2) || !strncmp(state, "58", 2) ||
        !strcmp(state, "25006"))
        return DB_FAIL_UNAVAILABLE;
    return DB_FAIL_OTHER;
}

/* Record why res (or the connection, when res is NULL) failed; -1. */
static int fail_res(PgDb *db, const PGresult *res, Err *err)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY)
                          : NULL;
    char line[200];
    snprintf(line, sizeof line, "%s", msg ? msg : PQerrorMessage(db->c));
    line[strcspn(line, "\n")] = '\0';
    /* disk full (53100), a read-only transaction or server (25006) */
    const char *fault = !state                    ? NULL
                        : !strcmp(state, "53100") ? "storage_full"
                        : !strcmp(state, "25006") ? "storage_read_only"
                                                  : NULL;
    return db_fail_err(&db->base, classify(state), fault, line, err);
}

/* Whether res is a success; on failure it is recorded in err. */
static int res_ok(PgDb *db, const PGresult *res, Err *err)
{
    ExecStatusType s = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK ||
        s == PGRES_EMPTY_QUERY) /* nothing to run: as on SQLite */
        return 1;
    fail_res(db, res, err);
    return 0;
}

/* ---- connecting --------------------------------------------------------- */

/* Connect to url (or, when dbname is given, to that database of the same
 * server as the same user).  Of keywords given twice the later wins: the
 * url's own settings override the first two, dbname the url's database.
 * Never NULL: check PQstatus. */
static PGconn *connect_to(const char *url, const char *dbname)
{
    /* TCP keepalives: a server gone behind a network split is noticed in
     * about a minute (idle 30 s, then 3 probes 10 s apart) */
    const char *keys[10] = {"connect_timeout", "application_name",
                            "keepalives", "keepalives_idle",
                            "keepalives_interval", "keepalives_count",
                            "dbname"};
    const char *vals[10] = {"10", "fangyi", "1", "30", "10", "3", url};
    int n = 7;
    if (dbname) {
        keys[n] = "dbname";
        vals[n++] = dbname;
    }
    keys[n] = "client_encoding";
    vals[n] = "UTF8";
    PGconn *c = PQconnectdbParams(keys, vals, 1);
    if (!c)
        abort(); /* out of memory */
    return c;
}

/* The first line of what libpq says about a failed connection. */
static void conn_error(PGconn *c, char *out, size_t n)
{
    snprintf(out, n, "%s", c ? PQerrorMessage(c) : "out of memory");
    out[strcspn(out, "\n")] = '\0';
}

/* The url must parse, name its database (not leave it to libpq's
 * defaults), and must not carry a password: passwords come from
 * PGPASSWORD or a pgpass file, where `ps` and shell histories cannot see
 * them. */
static int check_url(const char *url, Err *err)
{
    char *msg = NULL;
    PQconninfoOption *opts = PQconninfoParse(url, &msg);
    if (!opts) {
        /* libpq's message without what it quotes of the URL (which may
         * be, or hold, the password) */
        char line[200];
        snprintf(line, sizeof line, "%s", msg ? msg : "out of memory");
        line[strcspn(line, "\n")] = '\0';
        for (char *q = strstr(line, ": \""); q; q = strstr(line, ": \""))
            *q = '\0';
        for (size_t k = strlen(line); k > 0 && strchr(": ", line[k - 1]);)
            line[--k] = '\0';
        PQfreemem(msg);
        return err_set(err, 400, "invalid_db", "db",
                       "not a PostgreSQL URL: %s", line);
    }
    int has_password = 0, has_dbname = 0;
    for (PQconninfoOption *o = opts; o->keyword; o++) {
        if (!strcmp(o->keyword, "password") && o->val && *o->val)
            has_password = 1;
        if (!strcmp(o->keyword, "dbname") && o->val && *o->val)
            has_dbname = 1;
    }
    PQconninfoFree(opts);
    if (!has_dbname)
        return err_set(err, 400, "invalid_db", "db",
                       "the URL must name the database:"
                       " postgres://USER@HOST:PORT/DATABASE");
    if (has_password)
        return err_set(err, 400, "password_in_url", "db",
                       "the database URL must not hold the password: set"
                       " PGPASSWORD or use a pgpass file (~/.pgpass or"
                       " PGPASSFILE)");
    return 0;
}

/* Whether database name exists on the server url names; -1 when the
 * maintenance database ("postgres") cannot tell. */
static int database_exists(const char *url, const char *name)
{
    PGconn *m = connect_to(url, "postgres");
    int found = -1;
    if (PQstatus(m) == CONNECTION_OK) {
        const char *v[] = {name};
        PGresult *r = PQexecParams(
            m, "SELECT 1 FROM pg_database WHERE datname = $1", 1, NULL, v,
            NULL, NULL, 0);
        if (PQresultStatus(r) == PGRES_TUPLES_OK)
            found = PQntuples(r) > 0;
        PQclear(r);
    }
    PQfinish(m);
    return found;
}

/* CREATE DATABASE name, in UTF-8 and byte order (the order SQLite
 * compares text in), from the maintenance database. */
static int create_database(const char *url, const char *name, Err *err)
{
    PGconn *m = connect_to(url, "postgres");
    char why[200];
    if (PQstatus(m) != CONNECTION_OK) {
        conn_error(m, why, sizeof why);
        PQfinish(m);
        return err_set(err, 503, "storage_unavailable", "db",
                       "cannot create database %s: %s", name, why);
    }
    char *id = PQescapeIdentifier(m, name, strlen(name));
    char sql[512];
    snprintf(sql, sizeof sql,
             "CREATE DATABASE %s TEMPLATE template0 ENCODING 'UTF8'"
             " LC_COLLATE 'C' LC_CTYPE 'C'%s", id ? id : "\"\"",
             /* 15+: not the cluster's default provider, maybe ICU */
             PQserverVersion(m) >= 150000 ? " LOCALE_PROVIDER libc" : "");
    PQfreemem(id);
    PGresult *r = PQexec(m, sql);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok) {
        snprintf(why, sizeof why, "%s", PQresultErrorMessage(r));
        why[strcspn(why, "\n")] = '\0';
    }
    PQclear(r);
    PQfinish(m);
    if (!ok)
        return err_set(err, 503, "storage_unavailable", "db",
                       "cannot create database %s: %s", name, why);
    return 0;
}

/* Run fmt with the town's schema for its one %s (a plain name, checked
 * by pg_url_town: quoting is enough). */
static int schema_exec(PgDb *db, const char *fmt, Err *err)
{
    char sql[600];
    snprintf(sql, sizeof sql, fmt, db->schema);
    PGresult *r = PQexec(db->c, sql);
    int ok = res_ok(db, r, err);
    PQclear(r);
    return ok ? 0 : -1;
}

/* The session every connection runs in (see the top of this file). */
static int setup_session(PgDb *db, Err *err)
{
    if (schema_exec(db,
                    "SET search_path TO \"%s\";"
                    " SET client_min_messages = warning;"
                    " SET default_transaction_isolation = 'read committed';"
                    " SET lock_timeout = '5s';"
                    /* a backend cut off from its client mid-transaction (a
                     * network split) ends it, and frees the write lock,
                     * after a minute */
                    " SET idle_in_transaction_session_timeout = '60s';"
                    /* reals come back exact, whatever the role's setting
                     * (the default, 1, on PostgreSQL 12+) */
                    " SET extra_float_digits = 3", err))
        return -1;
    const char *enc = PQparameterStatus(db->c, "server_encoding");
    if (!enc || strcmp(enc, "UTF8"))
        return err_set(err, 400, "invalid_db", "db",
                       "the database's encoding is %s, not UTF8: create it"
                       " with createdb -T template0 -E UTF8 --locale=C",
                       enc ? enc : "unknown");
    return 0;
}

/* A new database must compare text byte by byte, as SQLite does, so that
 * lists come out in the same order on both: the libc locale C (or
 * C.UTF-8), or PostgreSQL's builtin provider; not an ICU locale.  (The
 * provider column is new in PostgreSQL 15: read through jsonb, it is NULL
 * before.) */
static int check_collation(PgDb *db, Err *err)
{
    PGresult *r = PQexec(db->c, "SELECT datcollate,"
                                " to_jsonb(d) ->> 'datlocprovider'"
                                " FROM pg_database d"
                                " WHERE datname = current_database()");
    if (!res_ok(db, r, err)) {
        PQclear(r);
        return -1;
    }
    char coll[64] = "", provider[8] = "";
    if (PQntuples(r) == 1) {
        snprintf(coll, sizeof coll, "%s", PQgetvalue(r, 0, 0));
        snprintf(provider, sizeof provider, "%s", PQgetvalue(r, 0, 1));
    }
    PQclear(r);
    if (!strcmp(provider, "b") ||
        (strcmp(provider, "i") &&
         (!strcmp(coll, "C") || !strcmp(coll, "POSIX") ||
          !strcasecmp(coll, "C.UTF-8") || !strcasecmp(coll, "C.utf8"))))
        return 0;
    return err_set(err, 400, "invalid_db", "db",
                   "the database sorts text by %s%s, not byte order: create"
                   " it with createdb -T template0 -E UTF8 --locale=C",
                   !strcmp(provider, "i") ? "an ICU locale" : "locale ",
                   !strcmp(provider, "i") ? "" : coll);
}

/* Split url into libpq's URL (*conn, free it) and the town, and check
 * both. */
static int split_url(const char *url, char **conn, char town[64], Err *err)
{
    char why[200];
    if (pg_url_town(url, conn, town, why, sizeof why))
        return err_set(err, 400, "invalid_db", "db", "%s", why);
    if (check_url(*conn, err)) {
        free(*conn);
        *conn = NULL;
        return -1;
    }
    return 0;
}

/* Connect to the database conn names, creating it when create says so
 * and it is missing.  Never NULL: check PQstatus. */
static PGconn *connect_creating(const char *conn, int create, Err *err)
{
    PGconn *c = connect_to(conn, NULL);
    if (PQstatus(c) == CONNECTION_OK || !create)
        return c;
    char *name = strdup(PQdb(c) ? PQdb(c) : "");
    if (!name)
        abort();
    if (*name && database_exists(conn, name) == 0) {
        PQfinish(c);
        c = create_database(conn, name, err) ? NULL : connect_to(conn, NULL);
    }
    free(name);
    return c;
}

int db_pg_open(const char *url, int create, Db **out, Err *err)
{
    *out = NULL;
    char *conn, town[64];
    if (split_url(url, &conn, town, err))
        return -1;
    PGconn *c = connect_creating(conn, create, err);
    free(conn);
    if (!c)
        return -1; /* the database could not be created: err says why */
    if (PQstatus(c) != CONNECTION_OK) {
        char why[200];
        conn_error(c, why, sizeof why);
        PQfinish(c);
        return err_set(err, 503, "storage_unavailable", "db",
                       "cannot connect to the database: %s", why);
    }
    PgDb *db = calloc(1, sizeof *db);
    if (!db)
        abort();
    db->base.ops = &pg_ops;
    db->c = c;
    snprintf(db->schema, sizeof db->schema, "%s", *town ? town : "public");
    if (*town)
        snprintf(db->begin_sql, sizeof db->begin_sql,
                 "BEGIN; SELECT pg_advisory_xact_lock(" WRITE_LOCK_TOWNS
                 ", hashtext('%s'))", town);
    else
        snprintf(db->begin_sql, sizeof db->begin_sql,
                 "BEGIN; SELECT pg_advisory_xact_lock(" WRITE_LOCK ")");
    /* a town's schema is made with the town (public is always there) */
    if (setup_session(db, err) || (create && check_collation(db, err)) ||
        (create && *town &&
         schema_exec(db, "CREATE SCHEMA IF NOT EXISTS \"%s\"", err))) {
        db_close(&db->base);
        return -1;
    }
    db->session_ok = 1;
    *out = &db->base;
    return 0;
}

int db_pg_exists(const char *url, Err *err)
{
    char *conn, town[64];
    if (split_url(url, &conn, town, err))
        return -1;
    PGconn *c = connect_to(conn, NULL);
    if (PQstatus(c) != CONNECTION_OK) {
        char why[200];
        conn_error(c, why, sizeof why);
        int found = PQdb(c) ? database_exists(conn, PQdb(c)) : -1;
        PQfinish(c);
        free(conn);
        if (found == 0)
            return 0;
        return err_set(err, 503, "storage_unavailable", "db",
                       "cannot connect to the database: %s", why);
    }
    free(conn);
    /* the town's schema_version (a missing schema: NULL too) */
    const char *v[] = {*town ? town : "public"};
    PGresult *r = PQexecParams(
        c, "SELECT to_regclass(quote_ident($1) || '.schema_version')"
           " IS NOT NULL", 1, NULL, v, NULL, NULL, 0);
    int found = -1;
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
        found = PQgetvalue(r, 0, 0)[0] == 't';
    else
        err_set(err, 503, "storage_unavailable", "db", "%s",
                PQresultErrorMessage(r));
    PQclear(r);
    PQfinish(c);
    return found;
}

/* A broken connection is opened again, outside a transaction; its
 * prepared statements are gone with it.  Inside one, the transaction is
 * lost: every call fails until the rollback. */
static int ensure_connected(PgDb *db, Err *err)
{
    if (PQstatus(db->c) == CONNECTION_OK && db->session_ok)
        return 0;
    if (PQstatus(db->c) == CONNECTION_OK) /* its setup failed: again */
        return (db->session_ok = !setup_session(db, err)) ? 0 : -1;
    if (db->tx)
        return db_fail_err(&db->base, DB_FAIL_UNAVAILABLE, NULL,
                           "the connection broke during the transaction",
                           err);
    db->session_ok = 0;
    PQreset(db->c);
    for (int i = 0; i < STMT_BUCKETS; i++)
        for (PgStmt *st = db->buckets[i]; st; st = st->next)
            st->prepared = 0;
    if (PQstatus(db->c) != CONNECTION_OK) {
        char why[200];
        conn_error(db->c, why, sizeof why);
        return db_fail_err(&db->base, DB_FAIL_UNAVAILABLE, NULL, why, err);
    }
    /* no statement runs on a connection outside its town */
    return (db->session_ok = !setup_session(db, err)) ? 0 : -1;
}

static void clear_result(PgStmt *st)
{
    PQclear(st->res);
    st->res = NULL;
    st->row = st->nrows = 0;
}

static void pg_close(Db *base)
{
    PgDb *db = PG(base);
    for (int i = 0; i < STMT_BUCKETS; i++) {
        PgStmt *st = db->buckets[i];
        while (st) {
            PgStmt *next = st->next;
            clear_result(st);
            free(st->cells);
            free(st->sql);
            free(st);
            st = next;
        }
    }
    PQfinish(db->c);
    free(db);
}

/* ---- statements --------------------------------------------------------- */

/* The command tag's count when the statement changed rows. */
static void note_changes(PgDb *db, PGresult *res)
{
    const char *tag = PQcmdStatus(res);
    if (!strncmp(tag, "INSERT", 6) || !strncmp(tag, "UPDATE", 6) ||
        !strncmp(tag, "DELETE", 6) || !strncmp(tag, "MERGE", 5))
        db->changes = strtoll(PQcmdTuples(res), NULL, 10);
}

static int pg_exec(Db *base, const char *sql, Err *err)
{
    PgDb *db = PG(base);
    if (ensure_connected(db, err))
        return -1;
    /* several statements: the simple protocol, results one after another */
    if (!PQsendQuery(db->c, sql))
        return fail_res(db, NULL, err);
    int rc = 0;
    PGresult *r;
    while ((r = PQgetResult(db->c))) {
        if (rc == 0 && !res_ok(db, r, err))
            rc = -1;
        else if (rc == 0)
            note_changes(db, r);
        PQclear(r);
    }
    return rc;
}

static unsigned sql_hash(const char *s, const char *sig)
{
    unsigned h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    for (; *sig; sig++)
        h = (h ^ (unsigned char)*sig) * 16777619u;
    return h;
}

/* sig: the parameter types of fmt ('I' is 'i' bound as NULL when 0). */
static void fmt_sig(const char *fmt, char sig[MAX_PARAMS + 1])
{
    size_t n = strlen(fmt);
    if (n > MAX_PARAMS)
        abort(); /* a broken invariant: more parameters than any query */
    for (size_t i = 0; i < n; i++) {
        char c = fmt[i] == 'I' ? 'i' : fmt[i];
        if (!strchr("itdn", c))
            abort(); /* a bad format in our own code */
        sig[i] = c;
    }
    sig[n] = '\0';
}

static int prepare(PgDb *db, PgStmt *st, Err *err)
{
    char *text = NULL;
    int n = pg_sql_rewrite(st->sql, &text);
    if (n < 0)
        abort(); /* a bare "?" after a numbered one: our own bug */
    /* the format must name every parameter: a mismatch is a bug in our
     * own code that would read the wrong argument, so stop at once */
    if (n != st->nparams) {
        fprintf(stderr, "fangyi: bind format \"%s\" does not fit: %s\n",
                st->sig, st->sql);
        abort();
    }
    Oid types[MAX_PARAMS];
    for (int i = 0; i < n; i++)
        types[i] = st->sig[i] == 'i'   ? OID_INT8
                   : st->sig[i] == 't' ? OID_TEXT
                   : st->sig[i] == 'd' ? OID_FLOAT8
                                       : 0;
    PGresult *r = PQprepare(db->c, st->name, text, n, types);
    free(text);
    int ok = res_ok(db, r, err);
    PQclear(r);
    if (!ok)
        return -1;
    st->prepared = 1;
    return 0;
}

/* Find the cached statement for sql and its types, making it on first use. */
static PgStmt *stmt_get(PgDb *db, const char *sql, const char *sig)
{
    unsigned h = sql_hash(sql, sig);
    PgStmt **slot = &db->buckets[h % STMT_BUCKETS];
    for (PgStmt *st = *slot; st; st = st->next)
        if (st->hash == h && !strcmp(st->sql, sql) && !strcmp(st->sig, sig))
            return st;
    PgStmt *st = calloc(1, sizeof *st);
    if (!st)
        abort();
    st->base.db = &db->base;
    st->sql = strdup(sql);
    if (!st->sql)
        abort();
    memcpy(st->sig, sig, strlen(sig) + 1);
    st->nparams = (int)strlen(sig);
    st->hash = h;
    snprintf(st->name, sizeof st->name, "f%u", ++db->nprepared);
    st->next = *slot;
    *slot = st;
    return st;
}

static int pg_query(Db *base, DbStmt **out, Err *err, const char *sql,
                    const char *fmt, va_list ap)
{
    PgDb *db = PG(base);
    char sig[MAX_PARAMS + 1];
    fmt_sig(fmt ? fmt : "", sig);
    PgStmt *st = stmt_get(db, sql, sig);
    clear_result(st);
    if (ensure_connected(db, err))
        return -1;
    if (!st->prepared && prepare(db, st, err))
        return -1;
    /* the values as text; numbers written into num[] */
    const char *vals[MAX_PARAMS];
    char num[MAX_PARAMS][32];
    for (int i = 0; i < st->nparams; i++) {
        switch (fmt[i]) {
        case 'i':
            snprintf(num[i], sizeof num[i], "%lld",
                     (long long)va_arg(ap, int64_t));
            vals[i] = num[i];
            break;
        case 'I': {
            int64_t v = va_arg(ap, int64_t);
            snprintf(num[i], sizeof num[i], "%lld", (long long)v);
            vals[i] = v ? num[i] : NULL;
            break;
        }
        case 'd':
            snprintf(num[i], sizeof num[i], "%.17g", va_arg(ap, double));
            vals[i] = num[i];
            break;
        case 't':
            vals[i] = va_arg(ap, const char *);
            break;
        default: /* 'n' */
            vals[i] = NULL;
        }
    }
    PGresult *r = PQexecPrepared(db->c, st->name, st->nparams, vals, NULL,
                                 NULL, 0);
    if (!res_ok(db, r, err)) {
        PQclear(r);
        return -1;
    }
    note_changes(db, r);
    st->res = r;
    st->nrows = PQntuples(r);
    st->row = -1;
    int ncols = PQnfields(r);
    if (ncols > st->ncells) {
        free(st->cells);
        st->cells = calloc((size_t)ncols, sizeof *st->cells);
        if (!st->cells)
            abort();
        st->ncells = ncols;
    }
    *out = &st->base;
    return 0;
}

static int pg_step(DbStmt *base, Err *err)
{
    (void)err;
    PgStmt *st = PGS(base);
    if (!st->res || st->row + 1 >= st->nrows) {
        clear_result(st);
        return DB_DONE;
    }
    st->row++;
    return DB_ROW;
}

static void pg_done(DbStmt *st) { clear_result(PGS(st)); }

/* ---- reading a row ------------------------------------------------------ */

static const char *cell(PgStmt *st, int col)
{
    if (!st->res || col < 0 || col >= PQnfields(st->res) ||
        PQgetisnull(st->res, st->row, col))
        return NULL;
    return PQgetvalue(st->res, st->row, col);
}

static int is_bool(PgStmt *st, int col)
{
    return PQftype(st->res, col) == OID_BOOL;
}

static int64_t pg_int(DbStmt *base, int col)
{
    PgStmt *st = PGS(base);
    const char *v = cell(st, col);
    if (!v)
        return 0;
    if (is_bool(st, col))
        return v[0] == 't';
    return strtoll(v, NULL, 10);
}

static double pg_double(DbStmt *base, int col)
{
    PgStmt *st = PGS(base);
    const char *v = cell(st, col);
    if (!v)
        return 0;
    if (is_bool(st, col))
        return v[0] == 't';
    return strtod(v, NULL);
}

static const char *pg_text(DbStmt *base, int col)
{
    PgStmt *st = PGS(base);
    const char *v = cell(st, col);
    if (!v)
        return NULL;
    Oid t = PQftype(st->res, col);
    if (t == OID_BOOL)
        return v[0] == 't' ? "1" : "0";
    /* reals as SQLite writes them (36.6, 37.0); a numeric with a
     * fraction is a real there (avg), a whole one an integer (sum) */
    if (t == OID_FLOAT8 || t == OID_FLOAT4 ||
        (t == OID_NUMERIC && strchr(v, '.'))) {
        pg_sql_real_text(strtod(v, NULL), st->cells[col],
                         sizeof st->cells[col]);
        return st->cells[col];
    }
    return v;
}

static int pg_null(DbStmt *base, int col) { return !cell(PGS(base), col); }

static int64_t pg_changes(Db *db) { return PG(db)->changes; }

static int pg_rollback(Db *base)
{
    PgDb *db = PG(base);
    int open = db->tx || PQtransactionStatus(db->c) == PQTRANS_INTRANS ||
               PQtransactionStatus(db->c) == PQTRANS_INERROR;
    db->tx = 0;
    if (!open || PQstatus(db->c) != CONNECTION_OK)
        return 0; /* a broken connection's transaction is gone with it */
    return pg_exec(base, "ROLLBACK", NULL);
}

static int pg_begin(Db *base, Err *err)
{
    PgDb *db = PG(base);
    if (pg_exec(base, db->begin_sql, err)) {
        pg_rollback(base);
        return -1;
    }
    db->tx = 1;
    return 0;
}

/* COMMIT of a transaction a failed statement has aborted answers
 * "ROLLBACK" without an error: that is a failure here. */
static int pg_commit(Db *base, Err *err)
{
    PgDb *db = PG(base);
    if (ensure_connected(db, err))
        return -1;
    PGresult *r = PQexec(db->c, "COMMIT");
    int ok = res_ok(db, r, err);
    if (ok && strcmp(PQcmdStatus(r), "COMMIT")) {
        db_fail_err(base, DB_FAIL_OTHER, NULL,
                    "the transaction was rolled back", err);
        ok = 0;
    }
    PQclear(r);
    if (ok)
        db->tx = 0;
    return ok ? 0 : -1;
}

/* PostgreSQL cannot be told to zero what it deletes: a row's old versions
 * stay in the table's files until VACUUM FULL rewrites them (the purge's
 * documentation says so, docs/purge.md). */
static int pg_secure_delete(Db *db, Err *err)
{
    (void)db;
    (void)err;
    return 0;
}

/* The write-ahead log is the server's (its checkpoints recycle it). */
static int pg_truncate_log(Db *db, int *complete, Err *err)
{
    (void)db;
    (void)err;
    *complete = 1;
    return 0;
}

/* open and usable: a failed statement not yet rolled back to a
 * savepoint, or a lost connection, is not */
static int pg_in_tx(Db *db)
{
    return PQtransactionStatus(PG(db)->c) == PQTRANS_INTRANS;
}

static const DbOps pg_ops = {
    .dialect = "postgres",
    .column_sql = "SELECT count(*) FROM information_schema.columns"
                  " WHERE table_schema = current_schema()"
                  " AND table_name = ?1 AND column_name = ?2",
    .close = pg_close,
    .exec = pg_exec,
    .query = pg_query,
    .step = pg_step,
    .done = pg_done,
    .col_int = pg_int,
    .col_double = pg_double,
    .col_text = pg_text,
    .col_null = pg_null,
    .changes = pg_changes,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .in_tx = pg_in_tx,
    .secure_delete = pg_secure_delete,
    .truncate_log = pg_truncate_log,
};
