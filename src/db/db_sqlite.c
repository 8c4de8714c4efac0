/* db_sqlite.c — the SQLite backend of db.h.
 *
 * One sqlite3 connection per Db, in WAL mode with foreign keys on,
 * synchronous=FULL (group commit in writer.c makes full durability cheap)
 * and a busy timeout.  Prepared statements are cached per connection by
 * their SQL text in a small chained hash table. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "sqlite_internal.h"

struct SqStmt {
    DbStmt base;
    sqlite3_stmt *s;
    char *sql;
    unsigned hash;
    SqStmt *next;
};

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

/* After an I/O error: does the file system say the database's files
 * cannot be written, or that there is no room?  SQLite reports a failed
 * write(2) as an I/O error and the errno is often gone by then, so the
 * files are looked at instead.  Returns a fault code or NULL. */
static const char *probe_files(const char *path)
{
    char wal[4200];
    snprintf(wal, sizeof wal, "%s-wal", path);
    const char *files[] = {path, wal};
    struct rlimit fsize;
    int limited = getrlimit(RLIMIT_FSIZE, &fsize) == 0 &&
                  fsize.rlim_cur != RLIM_INFINITY;
    for (int i = 0; i < 2; i++) {
        if (access(files[i], W_OK) != 0 &&
            (errno == EROFS || errno == EPERM || errno == EACCES))
            return "storage_read_only";
        struct stat sb;
        /* a file at (or near) the process's file size limit */
        if (limited && stat(files[i], &sb) == 0 &&
            (rlim_t)sb.st_size + (1 << 20) > fsize.rlim_cur)
            return "storage_full";
    }
    struct statvfs fs;
    if (statvfs(path, &fs) == 0 &&
        (unsigned long long)fs.f_bavail * fs.f_frsize < (1ull << 20))
        return "storage_full";
    return NULL;
}

/* Which storage fault an unavailable database has: no room (disk full,
 * or the process's file size limit), the files cannot be written, or
 * something else. */
static const char *storage_fault(SqDb *db, int rc)
{
    int sys = sqlite3_system_errno(db->h);
    if ((rc & 0xff) == SQLITE_FULL ||
        ((rc & 0xff) == SQLITE_IOERR &&
         (sys == ENOSPC || sys == EDQUOT || sys == EFBIG)))
        return "storage_full";
    if ((rc & 0xff) == SQLITE_READONLY ||
        ((rc & 0xff) == SQLITE_IOERR &&
         (sys == EROFS || sys == EPERM || sys == EACCES)))
        return "storage_read_only";
    const char *probed = (rc & 0xff) == SQLITE_IOERR && db->path
                             ? probe_files(db->path)
                             : NULL;
    return probed ? probed : "storage_unavailable";
}

int db_sqlite_fail(SqDb *db, int rc, Err *err)
{
    DbFail why = classify(db->h, rc);
    return db_fail_err(&db->base, why,
                       why == DB_FAIL_UNAVAILABLE ? storage_fault(db, rc)
                                                  : NULL,
                       sqlite3_errmsg(db->h), err);
}

/* Open a connection to path with the settings every connection gets:
 * busy timeout, extended result codes, WAL, full sync, foreign keys.
 * Returns 0, or -1 with err (and *out NULL). */
static int open_handle(const char *path, int flags, sqlite3 **out, Err *err)
{
    sqlite3 *h = NULL;
    int rc = sqlite3_open_v2(path, &h, flags | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(h, 5000);
        sqlite3_extended_result_codes(h, 1);
        rc = sqlite3_exec(h, "PRAGMA journal_mode=WAL;"
                             " PRAGMA synchronous=FULL;"
                             " PRAGMA foreign_keys=ON;"
                             " PRAGMA temp_store=MEMORY;",
                          NULL, NULL, NULL);
    }
    if (rc != SQLITE_OK) {
        err_set(err, 503, "storage_unavailable", "db", "cannot open %s: %s",
                path, h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
        sqlite3_close_v2(h);
        *out = NULL;
        return -1;
    }
    *out = h;
    return 0;
}

int db_sqlite_open(const char *path, int create, Db **out, Err *err)
{
    *out = NULL;
    SqDb *db = calloc(1, sizeof *db);
    if (!db)
        abort();
    db->base.ops = &sqlite_ops;
    db->path = strdup(path);
    if (!db->path)
        abort();
    db->writable = 1;
    if (open_handle(path, SQLITE_OPEN_READWRITE |
                              (create ? SQLITE_OPEN_CREATE : 0),
                    &db->h, err)) {
        db_close(&db->base);
        return -1;
    }
    *out = &db->base;
    return 0;
}

/* "file:" and path with every byte outside a safe set as %XX, for
 * opening by URI; NULL when it does not fit in n. */
static char *file_uri(const char *path, char *out, size_t n)
{
    size_t k = (size_t)snprintf(out, n, "file:");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if (k + 4 >= n)
            return NULL;
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
            (*p >= '0' && *p <= '9') || strchr("/._-", *p))
            out[k++] = (char)*p;
        else
            k += (size_t)snprintf(out + k, n - k, "%%%02X", *p);
    }
    out[k] = '\0';
    return out;
}

int db_open_readonly(const char *path, int immutable, Db **out, Err *err)
{
    *out = NULL;
    if (db_is_postgres_url(path))
        return err_set(err, 422, "not_sqlite", "db",
                       "%s is a PostgreSQL database; this reads SQLite"
                       " files (use pg_dump for a copy)", path);
    SqDb *db = calloc(1, sizeof *db);
    if (!db)
        abort();
    db->base.ops = &sqlite_ops;
    db->path = strdup(path);
    if (!db->path)
        abort();
    /* a file nobody writes (a backup) is read without locks or log
     * files, so nothing is left beside it; a file with a log beside it
     * is read through the log */
    char uri[4200], wal[4200];
    snprintf(wal, sizeof wal, "%s-wal", path);
    const char *name = path;
    int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX;
    if (immutable && access(wal, F_OK) != 0 &&
        file_uri(path, uri, sizeof uri - 16)) {
        strcat(uri, "?immutable=1");
        name = uri;
        flags |= SQLITE_OPEN_URI;
    }
    int rc = sqlite3_open_v2(name, &db->h, flags, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(db->h, 5000);
        sqlite3_extended_result_codes(db->h, 1);
        /* touch the file now, so "not a database" shows here */
        rc = sqlite3_exec(db->h, "SELECT count(*) FROM sqlite_schema",
                          NULL, NULL, NULL);
    }
    if (rc != SQLITE_OK) {
        err_set(err, 422, "not_a_database", "db", "cannot read %s: %s",
                path, db->h ? sqlite3_errmsg(db->h) : sqlite3_errstr(rc));
        db_close(&db->base);
        return -1;
    }
    *out = &db->base;
    return 0;
}

/* Forget every cached statement of db (before its handle changes). */
static void drop_statements(SqDb *db)
{
    for (int i = 0; i < STMT_BUCKETS; i++) {
        SqStmt *st = db->buckets[i];
        while (st) {
            SqStmt *next = st->next;
            sqlite3_finalize(st->s);
            free(st->sql);
            free(st);
            st = next;
        }
        db->buckets[i] = NULL;
    }
}

static void sq_close(Db *base)
{
    SqDb *db = SQ(base);
    drop_statements(db);
    sqlite3_close_v2(db->h);
    free(db->path);
    free(db);
}

/* A connection opened when its file could not be written stays read-only
 * for its life; before a write transaction, try once more to open the
 * file for writing, so that a fault fixed by the operator (permissions
 * given back) heals without a restart.  The old handle is kept when the
 * file still cannot be written. */
static void reopen_if_read_only(SqDb *db)
{
    if (!db->writable || sqlite3_db_readonly(db->h, "main") != 1)
        return;
    sqlite3 *h;
    if (open_handle(db->path, SQLITE_OPEN_READWRITE, &h, NULL))
        return;
    if (sqlite3_db_readonly(h, "main") == 1) {
        sqlite3_close_v2(h);
        return;
    }
    drop_statements(db);
    sqlite3_close_v2(db->h);
    db->h = h;
}

static int sq_exec(Db *base, const char *sql, Err *err)
{
    int rc = sqlite3_exec(SQ(base)->h, sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return db_sqlite_fail(SQ(base), rc, err);
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
        db_sqlite_fail(db, rc, err);
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
        return db_sqlite_fail(SQ(st->base.db), rc, err);
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
    db_sqlite_fail(db, sqlite3_extended_errcode(db->h), err);
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
    reopen_if_read_only(SQ(db));
    return db_exec(db, "BEGIN IMMEDIATE", err);
}
static int sq_commit(Db *db, Err *err) { return db_exec(db, "COMMIT", err); }
static int sq_rollback(Db *db)
{
    return sqlite3_get_autocommit(SQ(db)->h) ? 0 : db_exec(db, "ROLLBACK", NULL);
}

static int sq_secure_delete(Db *db, Err *err)
{
    return db_exec(db, "PRAGMA secure_delete=ON", err);
}

static int sq_truncate_log(Db *db, int *complete, Err *err)
{
    int64_t busy = 0;
    int found;
    if (db_one_int(db, err, &busy, &found, "PRAGMA wal_checkpoint(TRUNCATE)",
                   ""))
        return -1;
    *complete = busy == 0;
    return 0;
}

static int sq_in_tx(Db *db) { return !sqlite3_get_autocommit(SQ(db)->h); }

static const DbOps sqlite_ops = {
    .dialect = "sqlite",
    .column_sql = "SELECT count(*) FROM pragma_table_info(?1)"
                  " WHERE name = ?2",
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
    .in_tx = sq_in_tx,
    .secure_delete = sq_secure_delete,
    .truncate_log = sq_truncate_log,
};
