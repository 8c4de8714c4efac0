/* db_sqlite.c — the SQLite backend of db.h.
 *
 * One sqlite3 connection per Db, in WAL mode with foreign keys on,
 * synchronous=FULL (group commit in writer.c makes full durability cheap)
 * and a busy timeout.  Prepared statements are cached per connection by
 * their SQL text in a small chained hash table. */
#include "db_internal.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { STMT_BUCKETS = 256 };

typedef struct SqStmt {
    DbStmt base;
    sqlite3_stmt *s;
    char *sql;
    unsigned hash;
    struct SqStmt *next;
} SqStmt;

typedef struct SqDb {
    Db base;
    sqlite3 *h;
    SqStmt *buckets[STMT_BUCKETS];
} SqDb;

#define SQ(db) ((SqDb *)(db))
#define SQS(st) ((SqStmt *)(st))

static const DbOps sqlite_ops;

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
static int fail(SqDb *db, int rc, Err *err)
{
    return db_fail_err(&db->base, classify(db->h, rc), sqlite3_errmsg(db->h),
                       err);
}

int db_sqlite_open(const char *path, int create, Db **out, Err *err)
{
    *out = NULL;
    SqDb *db = calloc(1, sizeof *db);
    if (!db)
        abort();
    db->base.ops = &sqlite_ops;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    if (create)
        flags |= SQLITE_OPEN_CREATE;
    int rc = sqlite3_open_v2(path, &db->h, flags, NULL);
    if (rc != SQLITE_OK) {
        err_set(err, 503, "storage_unavailable", "db", "cannot open %s: %s",
                path, db->h ? sqlite3_errmsg(db->h) : sqlite3_errstr(rc));
        db_close(&db->base);
        return -1;
    }
    sqlite3_busy_timeout(db->h, 5000);
    sqlite3_extended_result_codes(db->h, 1);
    if (db_exec(&db->base, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                           "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;",
                err)) {
        db_close(&db->base);
        return -1;
    }
    *out = &db->base;
    return 0;
}

static void sq_close(Db *base)
{
    SqDb *db = SQ(base);
    for (int i = 0; i < STMT_BUCKETS; i++) {
        SqStmt *st = db->buckets[i];
        while (st) {
            SqStmt *next = st->next;
            sqlite3_finalize(st->s);
            free(st->sql);
            free(st);
            st = next;
        }
    }
    sqlite3_close_v2(db->h);
    free(db);
}

static int sq_exec(Db *base, const char *sql, Err *err)
{
    int rc = sqlite3_exec(SQ(base)->h, sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return fail(SQ(base), rc, err);
    return 0;
}

/* Find the cached statement for sql, preparing it on first use. */
static SqStmt *stmt_get(SqDb *db, const char *sql, Err *err)
{
    unsigned h = sql_hash(sql);
    SqStmt **slot = &db->buckets[h % STMT_BUCKETS];
    for (SqStmt *st = *slot; st; st = st->next)
        if (st->hash == h && strcmp(st->sql, sql) == 0)
            return st;
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT,
                                &s, NULL);
    if (rc != SQLITE_OK) {
        fail(db, rc, err);
        return NULL;
    }
    SqStmt *st = calloc(1, sizeof *st);
    if (!st)
        abort();
    st->base.db = &db->base;
    st->s = s;
    st->sql = strdup(sql);
    st->hash = h;
    st->next = *slot;
    *slot = st;
    return st;
}

/* Bind the arguments described by fmt (see db.h) to st. */
static int bind_args(SqStmt *st, Err *err, const char *fmt, va_list ap)
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
        return fail(SQ(st->base.db), rc, err);
    return 0;
}

static int sq_query(Db *base, DbStmt **out, Err *err, const char *sql,
                    const char *fmt, va_list ap)
{
    SqStmt *st = stmt_get(SQ(base), sql, err);
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
    *out = &st->base;
    return 0;
}

static int sq_step(DbStmt *base, Err *err)
{
    SqStmt *st = SQS(base);
    int rc = sqlite3_step(st->s);
    if (rc == SQLITE_ROW)
        return DB_ROW;
    if (rc == SQLITE_DONE)
        return DB_DONE;
    SqDb *db = SQ(base->db);
    fail(db, sqlite3_extended_errcode(db->h), err);
    sqlite3_reset(st->s);
    return DB_ERROR;
}

static void sq_done(DbStmt *st) { sqlite3_reset(SQS(st)->s); }

static int64_t sq_int(DbStmt *st, int col)
{
    return sqlite3_column_int64(SQS(st)->s, col);
}
static double sq_double(DbStmt *st, int col)
{
    return sqlite3_column_double(SQS(st)->s, col);
}
static const char *sq_text(DbStmt *st, int col)
{
    return (const char *)sqlite3_column_text(SQS(st)->s, col);
}
static int sq_null(DbStmt *st, int col)
{
    return sqlite3_column_type(SQS(st)->s, col) == SQLITE_NULL;
}
static int64_t sq_changes(Db *db) { return sqlite3_changes64(SQ(db)->h); }
static int sq_begin(Db *db, Err *err)
{
    return db_exec(db, "BEGIN IMMEDIATE", err);
}
static int sq_commit(Db *db, Err *err) { return db_exec(db, "COMMIT", err); }
static int sq_rollback(Db *db)
{
    return sqlite3_get_autocommit(SQ(db)->h) ? 0 : db_exec(db, "ROLLBACK", NULL);
}

static int sq_backup_to(Db *base, const char *path, Err *err)
{
    sqlite3 *dst = NULL;
    int rc = sqlite3_open(path, &dst);
    if (rc != SQLITE_OK) {
        sqlite3_close(dst);
        return err_set(err, 500, "backup_failed", NULL, "cannot open %s",
                       path);
    }
    sqlite3_backup *bk = sqlite3_backup_init(dst, "main", SQ(base)->h, "main");
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

static const DbOps sqlite_ops = {
    .dialect = "sqlite",
    .close = sq_close,
    .exec = sq_exec,
    .query = sq_query,
    .step = sq_step,
    .done = sq_done,
    .col_int = sq_int,
    .col_double = sq_double,
    .col_text = sq_text,
    .col_null = sq_null,
    .changes = sq_changes,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .backup_to = sq_backup_to,
};
