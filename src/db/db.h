/* db.h — the storage interface.  Only src/db/ knows which engine is behind
 * it; the domain layer speaks this interface and portable SQL with numbered
 * parameters (?1, ?2, ...).
 *
 * A Db is one connection, used by one thread at a time.  Statements are
 * prepared once per connection and cached by their SQL text, so callers
 * pass string literals and never finalize.  Binding uses a small format
 * string: 'i' int64_t, 'I' int64_t with 0 bound as NULL (optional
 * references), 't' const char * (NULL binds NULL), 'd' double,
 * 'n' NULL (no argument).
 *
 *     DbStmt *st;
 *     if (db_query(db, &st, err, "SELECT name FROM places WHERE id = ?1",
 *                  "i", id))
 *         return -1;
 *     while ((rc = db_step(st, err)) == DB_ROW) ... db_text(st, 0) ...
 *     db_done(st);
 */
#ifndef FANGYI_DB_H
#define FANGYI_DB_H

#include <stddef.h>
#include <stdint.h>

#include "../base/err.h"

typedef struct Db Db;
typedef struct DbStmt DbStmt;

enum { DB_ROW = 1, DB_DONE = 0, DB_ERROR = -1 };

/* Why a statement failed, so the domain layer can answer 409 or 503
 * instead of a generic error. */
typedef enum DbFail {
    DB_FAIL_NONE = 0,
    DB_FAIL_UNIQUE,      /* a UNIQUE constraint */
    DB_FAIL_FOREIGN,     /* a FOREIGN KEY constraint (row still referenced) */
    DB_FAIL_CHECK,       /* a CHECK or NOT NULL constraint */
    DB_FAIL_BUSY,        /* locked too long */
    DB_FAIL_UNAVAILABLE, /* disk full, read-only, I/O error */
    DB_FAIL_OTHER
} DbFail;

/* db_open opens the database at url: a file path (SQLite) or a
 * postgres:// or postgresql:// URL (PostgreSQL; the password comes from
 * PGPASSWORD or a pgpass file, never from the URL).  create: make the
 * file, or the PostgreSQL database, when missing (otherwise a missing one
 * is an error).  SQLite: sets WAL, foreign keys and the busy timeout.
 * On failure *out is NULL and err says why. */
int db_open(const char *url, int create, Db **out, Err *err);
void db_close(Db *db);

/* db_is_postgres_url: whether url names a PostgreSQL database. */
int db_is_postgres_url(const char *url);

/* db_exists: 1 when url names a database fangyi has made (SQLite: the
 * file exists; PostgreSQL: the database has fangyi's schema_version
 * table), 0 when not, -1 when it cannot tell (err says why). */
int db_exists(const char *url, Err *err);

/* db_remove undoes what a failed `init` or `demo` left at url: SQLite
 * deletes the file; on PostgreSQL they write in one transaction, so
 * nothing is left and nothing is removed. */
void db_remove(const char *url);

/* db_dialect: "sqlite" or "postgres", to pick migration files. */
const char *db_dialect(const Db *db);

/* db_exec runs one or more statements without parameters. */
int db_exec(Db *db, const char *sql, Err *err);

/* db_query prepares (or takes from the cache) and binds; see above.
 * The statement is reset and ready to step.  Returns 0 or -1. */
int db_query(Db *db, DbStmt **st, Err *err, const char *sql,
             const char *fmt, ...);
/* db_step: DB_ROW, DB_DONE, or DB_ERROR (err filled, db_last_fail set). */
int db_step(DbStmt *st, Err *err);
/* db_done resets the statement so its locks are released. */
void db_done(DbStmt *st);

/* db_run: db_query + step to the end, for INSERT/UPDATE/DELETE. */
int db_run(Db *db, Err *err, const char *sql, const char *fmt, ...);
/* db_one_int: the first column of the first row as an integer; *found
 * says whether there was a row.  Returns 0 or -1. */
int db_one_int(Db *db, Err *err, int64_t *out, int *found,
               const char *sql, const char *fmt, ...);

/* db_one_text: the first column of the first row as text into out[n]
 * ("" when there is no row or it is NULL).  Returns 0 or -1. */
int db_one_text(Db *db, Err *err, char *out, size_t n, const char *sql,
                const char *fmt, ...);

/* db_insert runs an INSERT ... RETURNING id and gives the new row's id.
 * Returns 0, or -1 with err (db_last_fail says why). */
int db_insert(Db *db, Err *err, int64_t *id, const char *sql,
              const char *fmt, ...);

int64_t db_int(DbStmt *st, int col);
double db_double(DbStmt *st, int col);
const char *db_text(DbStmt *st, int col);    /* NULL for SQL NULL */
int db_is_null(DbStmt *st, int col);

/* the number of rows the last INSERT/UPDATE/DELETE changed */
int64_t db_changes(Db *db);
/* why the last failing call failed */
DbFail db_last_fail(const Db *db);

/* db_begin starts a write transaction; write transactions are one at a
 * time (SQLite: BEGIN IMMEDIATE; PostgreSQL: a transaction-level
 * advisory lock, see db_pg.c), so every database has one writer. */
int db_begin(Db *db, Err *err);
int db_commit(Db *db, Err *err);
int db_rollback(Db *db);
int db_savepoint(Db *db, Err *err);   /* one level: "SAVEPOINT job" */
int db_release(Db *db, Err *err);
int db_rollback_to(Db *db);

/* db_backup_to copies the whole database to path, consistently, while
 * others keep using it (SQLite only: PostgreSQL answers an error, its
 * backups are the operator's pg_dump or base backups). */
int db_backup_to(Db *db, const char *path, Err *err);

#endif
