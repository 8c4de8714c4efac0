/* db.c — the storage interface of db.h over its two backends: db_open picks
 * SQLite for a file path and PostgreSQL for a postgres:// URL; every other
 * call goes to the backend the Db came from.  The helpers built from the
 * basic calls (db_run, db_one_int, db_insert, ...) live here once. */
#include "db_internal.h"

#include "../base/buf.h"
#include "pg_sql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int db_is_postgres_url(const char *url)
{
    return strncmp(url, "postgres://", 11) == 0 ||
           strncmp(url, "postgresql://", 13) == 0;
}

char *db_url_town(const char *url, const char *town)
{
    char *conn, had[64], why[200];
    if (!db_is_postgres_url(url) || !pg_town_name_ok(town) ||
        pg_url_town(url, &conn, had, why, sizeof why))
        return NULL;
    Buf b = BUF_INIT;
    buf_printf(&b, "%s%ctown=%s", conn, strchr(conn, '?') ? '&' : '?', town);
    free(conn);
    return buf_detach(&b);
}

void db_redact_url(const char *url, char *out, size_t n)
{
    if (!db_is_postgres_url(url)) {
        snprintf(out, n, "%s", url);
        return;
    }
    Buf b = BUF_INIT;
    const char *s = url, *auth = strstr(url, "://");
    if (auth) {     /* the authority: from :// to the first / ? or # */
        auth += 3;
        const char *end = auth + strcspn(auth, "/?#");
        const char *at = NULL;
        for (const char *q = auth; q < end; q++)
            if (*q == '@')
                at = q;
        const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
        if (colon) {
            buf_append(&b, url, (size_t)(colon - url));
            buf_puts(&b, ":***");
            s = at;
        }
    }
    while (*s) {    /* password=... up to the next & or space */
        const char *p = strstr(s, "password=");
        if (!p) {
            buf_puts(&b, s);
            break;
        }
        p += strlen("password=");
        buf_append(&b, s, (size_t)(p - s));
        buf_puts(&b, "***");
        s = p + strcspn(p, "& \t");
    }
    snprintf(out, n, "%s", b.p ? b.p : "");
    buf_free(&b);
}

int db_open(const char *url, int create, Db **out, Err *err)
{
    *out = NULL;
    if (db_is_postgres_url(url))
        return db_pg_open(url, create, out, err);
    return db_sqlite_open(url, create, out, err);
}

int db_exists(const char *url, Err *err)
{
    if (db_is_postgres_url(url))
        return db_pg_exists(url, err);
    return access(url, F_OK) == 0;
}

void db_close(Db *db)
{
    if (db)
        db->ops->close(db);
}

const char *db_dialect(const Db *db) { return db->ops->dialect; }

int db_fail_err(Db *db, DbFail why, const char *fault, const char *msg,
                Err *err)
{
    db->fail = why;
    switch (why) {
    case DB_FAIL_UNIQUE:
        return err_set(err, 409, "duplicate", NULL, "already exists (%s)", msg);
    case DB_FAIL_FOREIGN:
        return err_set(err, 409, "has_records", NULL,
                       "other records refer to it (%s)", msg);
    case DB_FAIL_CHECK:
        return err_set(err, 422, "invalid_field", NULL, "%s", msg);
    case DB_FAIL_UNAVAILABLE:
        if (fault && !strcmp(fault, "storage_full"))
            return err_set(err, 503, fault, NULL,
                           "no room left for the database (disk full or"
                           " file size limit): nothing was saved; reading"
                           " still works (%s)", msg);
        if (fault && !strcmp(fault, "storage_read_only"))
            return err_set(err, 503, fault, NULL,
                           "the database cannot be written (read-only):"
                           " nothing was saved; reading still works (%s)",
                           msg);
        /* fall through */
    case DB_FAIL_BUSY:
        return err_set(err, 503, "storage_unavailable", NULL,
                       "the database cannot take this now (%s)", msg);
    default:
        return err_set(err, 500, "internal", NULL, "database error: %s", msg);
    }
}

int db_exec(Db *db, const char *sql, Err *err)
{
    return db->ops->exec(db, sql, err);
}

int db_query(Db *db, DbStmt **st, Err *err, const char *sql,
             const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    db->fail = DB_FAIL_NONE;
    int rc = db->ops->query(db, st, err, sql, fmt, ap);
    va_end(ap);
    return rc;
}

int db_step(DbStmt *st, Err *err) { return st->db->ops->step(st, err); }

void db_done(DbStmt *st)
{
    if (st)
        st->db->ops->done(st);
}

int db_run(Db *db, Err *err, const char *sql, const char *fmt, ...)
{
    DbStmt *st;
    va_list ap;
    va_start(ap, fmt);
    db->fail = DB_FAIL_NONE;
    int rc = db->ops->query(db, &st, err, sql, fmt, ap);
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
    db->fail = DB_FAIL_NONE;
    int rc = db->ops->query(db, &st, err, sql, fmt, ap);
    va_end(ap);
    if (rc)
        return -1;
    rc = db_step(st, err);
    if (found)
        *found = rc == DB_ROW;
    if (rc == DB_ROW)
        *out = db_int(st, 0);
    db_done(st);
    return rc == DB_ERROR ? -1 : 0;
}

int db_one_text(Db *db, Err *err, char *out, size_t n, const char *sql,
                const char *fmt, ...)
{
    DbStmt *st;
    va_list ap;
    va_start(ap, fmt);
    db->fail = DB_FAIL_NONE;
    int rc = db->ops->query(db, &st, err, sql, fmt, ap);
    va_end(ap);
    out[0] = '\0';
    if (rc)
        return -1;
    rc = db_step(st, err);
    if (rc == DB_ROW && !db_is_null(st, 0))
        snprintf(out, n, "%s", db_text(st, 0));
    db_done(st);
    return rc == DB_ERROR ? -1 : 0;
}

int db_insert(Db *db, Err *err, int64_t *id, const char *sql,
              const char *fmt, ...)
{
    DbStmt *st;
    va_list ap;
    va_start(ap, fmt);
    db->fail = DB_FAIL_NONE;
    int rc = db->ops->query(db, &st, err, sql, fmt, ap);
    va_end(ap);
    if (rc)
        return -1;
    rc = db_step(st, err);
    if (rc == DB_ROW)
        *id = db_int(st, 0);
    db_done(st);
    if (rc == DB_DONE)
        return err_set(err, 500, "internal", NULL, "INSERT returned no id");
    return rc == DB_ROW ? 0 : -1;
}

int64_t db_int(DbStmt *st, int col) { return st->db->ops->col_int(st, col); }
double db_double(DbStmt *st, int col)
{
    return st->db->ops->col_double(st, col);
}
const char *db_text(DbStmt *st, int col)
{
    return st->db->ops->col_text(st, col);
}
int db_is_null(DbStmt *st, int col) { return st->db->ops->col_null(st, col); }
int db_has_column(Db *db, const char *table, const char *column, int *has,
                  Err *err)
{
    int64_t n = 0;
    int found;
    int rc = db_one_int(db, err, &n, &found, db->ops->column_sql, "tt",
                        table, column);
    *has = n > 0;
    return rc;
}

int64_t db_changes(Db *db) { return db->ops->changes(db); }
DbFail db_last_fail(const Db *db) { return db->fail; }

int db_begin(Db *db, Err *err) { return db->ops->begin(db, err); }
int db_commit(Db *db, Err *err) { return db->ops->commit(db, err); }
int db_rollback(Db *db) { return db->ops->rollback(db); }
int db_in_tx(Db *db) { return db->ops->in_tx(db); }
int db_savepoint(Db *db, Err *err) { return db_exec(db, "SAVEPOINT job", err); }
int db_release(Db *db, Err *err) { return db_exec(db, "RELEASE job", err); }
int db_rollback_to(Db *db)
{
    return db_exec(db, "ROLLBACK TO job; RELEASE job", NULL);
}

int db_secure_delete(Db *db, Err *err)
{
    return db->ops->secure_delete(db, err);
}
int db_truncate_log(Db *db, int *complete, Err *err)
{
    return db->ops->truncate_log(db, complete, err);
}
