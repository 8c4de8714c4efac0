/* db_sqlite.c — the SQLite backend of db.h.
 *
 * One sqlite3 connection per Db, in WAL mode with foreign keys on,
 * synchronous=FULL (group commit in writer.c makes full durability cheap)
 * and a busy timeout.  Prepared statements are cached per connection by
 * their SQL text in a small chained hash table. */
#include "db.h"

#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { STMT_BUCKETS = 256 };

struct DbStmt {
    sqlite3_stmt *s;
    Db *db;
    char *sql;
    unsigned hash;
    DbStmt *next;
};

struct Db {
    sqlite3 *h;
    DbFail fail;
    DbStmt *buckets[STMT_BUCKETS];
};

static unsigned sql_hash(const char *s)
{
    unsigned h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static DbFail classify(sqlite3 *h, int rc)
{
    switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
        if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
            return DB_FAIL_UNIQUE;
        /* a deleted row still referenced by its own table comes back as
         * SQLITE_CONSTRAINT_TRIGGER with the foreign-key message */
        if (rc == SQLITE_CONSTRAINT_FOREIGNKEY ||
            strstr(sqlite3_errmsg(h), "FOREIGN KEY"))
            return DB_FAIL_FOREIGN;
        return DB_FAIL_CHECK;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return DB_FAIL_BUSY;
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return DB_FAIL_UNAVAILABLE;
    default:
        return DB_FAIL_OTHER;
    }
}

/* Record a failure on db and describe it in err with the status that fits. */
static int fail(Db *db, int rc, Err *err)
{
    db->fail = classify(db->h, rc);
    const char *msg = sqlite3_errmsg(db->h);
    switch (db->fail) {
    case DB_FAIL_UNIQUE:
        return err_set(err, 409, "duplicate", NULL, "already exists (%s)", msg);
    case DB_FAIL_FOREIGN:
        return err_set(err, 409, "has_records", NULL,
                       "other records refer to it (%s)", msg);
    case DB_FAIL_CHECK:
        return err_set(err, 422, "invalid_field", NULL, "%s", msg);
    case DB_FAIL_BUSY:
    case DB_FAIL_UNAVAILABLE:
        return err_set(err, 503, "storage_unavailable", NULL,
                       "the database cannot take this now (%s)", msg);
    default:
        return err_set(err, 500, "internal", NULL, "database error: %s", msg);
    }
}

int db_open(const char *url, int create, Db **out, Err *err)
{
    *out = NULL;
    if (strncmp(url, "postgres://", 11) == 0 ||
        strncmp(url, "postgresql://", 13) == 0)
        return err_set(err, 400, "unsupported", "db",
                       "PostgreSQL is not built into this binary yet");
    Db *db = calloc(1, sizeof *db);
    if (!db)
        abort();
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    if (create)
        flags |= SQLITE_OPEN_CREATE;
    int rc = sqlite3_open_v2(url, &db->h, flags, NULL);
    if (rc != SQLITE_OK) {
        err_set(err, 503, "storage_unavailable", "db", "cannot open %s: %s",
                url, db->h ? sqlite3_errmsg(db->h) : sqlite3_errstr(rc));
        db_close(db);
        return -1;
    }
    sqlite3_busy_timeout(db->h, 5000);
    sqlite3_extended_result_codes(db->h, 1);
    if (db_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                    "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;",
                err)) {
        db_close(db);
        return -1;
    }
    *out = db;
    return 0;
}

void db_close(Db *db)
{
    if (!db)
        return;
    for (int i = 0; i < STMT_BUCKETS; i++) {
        DbStmt *st = db->buckets[i];
        while (st) {
            DbStmt *next = st->next;
            sqlite3_finalize(st->s);
            free(st->sql);
            free(st);
            st = next;
        }
    }
    sqlite3_close_v2(db->h);
    free(db);
}

const char *db_dialect(const Db *db)
{
    (void)db;
    return "sqlite";
}

int db_exec(Db *db, const char *sql, Err *err)
{
    int rc = sqlite3_exec(db->h, sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return fail(db, rc, err);
    return 0;
}

/* Find the cached statement for sql, preparing it on first use. */
static DbStmt *stmt_get(Db *db, const char *sql, Err *err)
{
    unsigned h = sql_hash(sql);
    DbStmt **slot = &db->buckets[h % STMT_BUCKETS];
    for (DbStmt *st = *slot; st; st = st->next)
        if (st->hash == h && strcmp(st->sql, sql) == 0)
            return st;
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT,
                                &s, NULL);
    if (rc != SQLITE_OK) {
        fail(db, rc, err);
        return NULL;
    }
    DbStmt *st = calloc(1, sizeof *st);
    if (!st)
        abort();
    st->s = s;
    st->db = db;
    st->sql = strdup(sql);
    st->hash = h;
    st->next = *slot;
    *slot = st;
    return st;
}

/* Bind the arguments described by fmt (see db.h) to st. */
static int bind_args(DbStmt *st, Err *err, const char *fmt, va_list ap)
{
    int rc = SQLITE_OK;
    for (int i = 0; fmt && fmt[i] && rc == SQLITE_OK; i++) {
        int idx = i + 1;
        switch (fmt[i]) {
        case 'i':
            rc = sqlite3_bind_int64(st->s, idx, va_arg(ap, int64_t));
            break;
        case 'I': {
            int64_t v = va_arg(ap, int64_t);
            rc = v ? sqlite3_bind_int64(st->s, idx, v)
                   : sqlite3_bind_null(st->s, idx);
            break;
        }
        case 'd':
            rc = sqlite3_bind_double(st->s, idx, va_arg(ap, double));
            break;
        case 't': {
            const char *t = va_arg(ap, const char *);
            rc = t ? sqlite3_bind_text(st->s, idx, t, -1, SQLITE_TRANSIENT)
                   : sqlite3_bind_null(st->s, idx);
            break;
        }
        case 'n':
            rc = sqlite3_bind_null(st->s, idx);
            break;
        default:
            abort(); /* a broken invariant: bad format in our own code */
        }
    }
    if (rc != SQLITE_OK)
        return fail(st->db, rc, err);
    return 0;
}

static int query_v(Db *db, DbStmt **out, Err *err, const char *sql,
                   const char *fmt, va_list ap)
{
    db->fail = DB_FAIL_NONE;
    DbStmt *st = stmt_get(db, sql, err);
    if (!st)
        return -1;
    /* the format must name every parameter: a mismatch is a bug in our
     * own code that would read the wrong argument, so stop at once */
    if ((int)strlen(fmt ? fmt : "") != sqlite3_bind_parameter_count(st->s)) {
        fprintf(stderr, "fangyi: bind format \"%s\" does not fit: %s\n",
                fmt ? fmt : "", sql);
        abort();
    }
    sqlite3_reset(st->s);
    sqlite3_clear_bindings(st->s);
    if (bind_args(st, err, fmt, ap))
        return -1;
    *out = st;
    return 0;
}

int db_query(Db *db, DbStmt **out, Err *err, const char *sql,
             const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = query_v(db, out, err, sql, fmt, ap);
    va_end(ap);
    return rc;
}

int db_step(DbStmt *st, Err *err)
{
    int rc = sqlite3_step(st->s);
    if (rc == SQLITE_ROW)
        return DB_ROW;
    if (rc == SQLITE_DONE)
        return DB_DONE;
    fail(st->db, sqlite3_extended_errcode(st->db->h), err);
    sqlite3_reset(st->s);
    return DB_ERROR;
}

void db_done(DbStmt *st)
{
    if (st)
        sqlite3_reset(st->s);
}

int db_run(Db *db, Err *err, const char *sql, const char *fmt, ...)
{
    DbStmt *st;
    va_list ap;
    va_start(ap, fmt);
    int rc = query_v(db, &st, err, sql, fmt, ap);
    va_end(ap);
    if (rc)
        return -1;
    while ((rc = db_step(st, err)) == DB_ROW)
        ;
    db_done(st);
    return rc == DB_DONE ? 0 : -1;
}

int db_one_int(Db *db, Err *err, int64_t *out, int *found,
               const char *sql, const char *fmt, ...)
{
    DbStmt *st;
    va_list ap;
    va_start(ap, fmt);
    int rc = query_v(db, &st, err, sql, fmt, ap);
    va_end(ap);
    if (rc)
        return -1;
    rc = db_step(st, err);
    if (found)
        *found = rc == DB_ROW;
    if (rc == DB_ROW)
        *out = sqlite3_column_int64(st->s, 0);
    db_done(st);
    return rc == DB_ERROR ? -1 : 0;
}

int db_one_text(Db *db, Err *err, char *out, size_t n, const char *sql,
                const char *fmt, ...)
{
    DbStmt *st;
    va_list ap;
    va_start(ap, fmt);
    int rc = query_v(db, &st, err, sql, fmt, ap);
    va_end(ap);
    out[0] = '\0';
    if (rc)
        return -1;
    rc = db_step(st, err);
    if (rc == DB_ROW && sqlite3_column_type(st->s, 0) != SQLITE_NULL)
        snprintf(out, n, "%s", (const char *)sqlite3_column_text(st->s, 0));
    db_done(st);
    return rc == DB_ERROR ? -1 : 0;
}

int db_insert(Db *db, Err *err, int64_t *id, const char *sql,
              const char *fmt, ...)
{
    DbStmt *st;
    va_list ap;
    va_start(ap, fmt);
    int rc = query_v(db, &st, err, sql, fmt, ap);
    va_end(ap);
    if (rc)
        return -1;
    rc = db_step(st, err);
    if (rc == DB_ROW)
        *id = sqlite3_column_int64(st->s, 0);
    db_done(st);
    if (rc == DB_DONE)
        return err_set(err, 500, "internal", NULL, "INSERT returned no id");
    return rc == DB_ROW ? 0 : -1;
}

int64_t db_int(DbStmt *st, int col) { return sqlite3_column_int64(st->s, col); }
double db_double(DbStmt *st, int col) { return sqlite3_column_double(st->s, col); }
const char *db_text(DbStmt *st, int col)
{
    return (const char *)sqlite3_column_text(st->s, col);
}
int db_is_null(DbStmt *st, int col)
{
    return sqlite3_column_type(st->s, col) == SQLITE_NULL;
}
int64_t db_changes(Db *db) { return sqlite3_changes64(db->h); }
DbFail db_last_fail(const Db *db) { return db->fail; }

int db_begin(Db *db, Err *err) { return db_exec(db, "BEGIN IMMEDIATE", err); }
int db_commit(Db *db, Err *err) { return db_exec(db, "COMMIT", err); }
int db_rollback(Db *db)
{
    return sqlite3_get_autocommit(db->h) ? 0 : db_exec(db, "ROLLBACK", NULL);
}
int db_savepoint(Db *db, Err *err) { return db_exec(db, "SAVEPOINT job", err); }
int db_release(Db *db, Err *err) { return db_exec(db, "RELEASE job", err); }
int db_rollback_to(Db *db)
{
    return db_exec(db, "ROLLBACK TO job; RELEASE job", NULL);
}

int db_backup_to(Db *db, const char *path, Err *err)
{
    sqlite3 *dst = NULL;
    int rc = sqlite3_open(path, &dst);
    if (rc != SQLITE_OK) {
        sqlite3_close(dst);
        return err_set(err, 500, "backup_failed", NULL, "cannot open %s",
                       path);
    }
    sqlite3_backup *bk = sqlite3_backup_init(dst, "main", db->h, "main");
    if (bk) {
        sqlite3_backup_step(bk, -1);
        sqlite3_backup_finish(bk);
    }
    rc = sqlite3_errcode(dst);
    sqlite3_close(dst);
    if (rc != SQLITE_OK)
        return err_set(err, 500, "backup_failed", NULL, "backup to %s failed",
                       path);
    return 0;
}
