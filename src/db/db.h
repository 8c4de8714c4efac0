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

/* db_url_town: the PostgreSQL url naming town (its town= replaced), to
 * free; NULL when url is not a PostgreSQL URL or is malformed, or town is
 * not a town's name (a-z, 0-9 and _, a letter first, at most 63).  A county's
 * database keeps each town in a schema of its own (src/db/db_pg.c). */
char *db_url_town(const char *url, const char *town);

/* db_redact_url: url as it may be printed: a password in it (the
 * userinfo's "user:PW@" or a "password=PW" setting) becomes "***".  A
 * SQLite path comes back unchanged.  out holds n bytes (truncated to fit). */
void db_redact_url(const char *url, char *out, size_t n);

/* db_exists: 1 when url names a database fangyi has made (SQLite: the
 * file exists; PostgreSQL: the database has fangyi's schema_version
 * table), 0 when not, -1 when it cannot tell (err says why). */
int db_exists(const char *url, Err *err);

/* db_remove undoes what a failed `init` or `demo` left at url, or
 * deletes a temporary copy that failed its checks: SQLite deletes the
 * closed file and the engine's files beside it; on PostgreSQL init and
 * demo write in one transaction, so nothing is left and nothing is
 * removed. */
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

/* db_has_column: *has gets whether table has column (a database not yet
 * migrated lacks the newer ones).  Returns 0 or -1. */
int db_has_column(Db *db, const char *table, const char *column, int *has,
                  Err *err);

/* the number of rows the last INSERT/UPDATE/DELETE changed */
int64_t db_changes(Db *db);
/* why the last failing call failed */
DbFail db_last_fail(const Db *db);

/* db_begin starts a write transaction; write transactions are one at a
 * time (SQLite: BEGIN IMMEDIATE; PostgreSQL: a transaction-level
 * advisory lock, see db_pg.c), so every database has one writer.  A
 * SQLite db_open connection that came up read-only (its file could not
 * be written then) first tries to open the file for writing again, so a
 * fault the operator fixed heals. */
int db_begin(Db *db, Err *err);
int db_commit(Db *db, Err *err);
int db_rollback(Db *db);
int db_savepoint(Db *db, Err *err);   /* one level: "SAVEPOINT job" */
int db_release(Db *db, Err *err);
int db_rollback_to(Db *db);
/* db_in_tx: 1 while a transaction is open and usable on db; 0 once the
 * database ended it (SQLite rolls the whole transaction back on a storage
 * fault, whatever savepoint was open). */
int db_in_tx(Db *db);

/* db_open_readonly opens an existing SQLite database for reading only:
 * nothing is written to it and no setting is changed.  immutable: the
 * file is a copy nobody writes (a backup), read without locks or the
 * engine's files beside it.  422 not_a_database when the file is not
 * one, 422 not_sqlite for a postgres:// URL. */
int db_open_readonly(const char *path, int immutable, Db **out, Err *err);

/* db_secure_delete makes this connection overwrite what it deletes or
 * replaces with zeros, so it cannot be read back from the file (for
 * anonymising).  Call outside a transaction.  PostgreSQL has no such
 * setting: nothing is done (old row versions stay until VACUUM FULL,
 * docs/purge.md). */
int db_secure_delete(Db *db, Err *err);
/* db_truncate_log copies the write-ahead log into the database and
 * empties it, so that older versions of pages leave the files.
 * *complete is 0 when readers kept part of it (it is emptied later).
 * PostgreSQL: nothing to do here, *complete is 1 (its WAL is the
 * server's, recycled by its checkpoints). */
int db_truncate_log(Db *db, int *complete, Err *err);

/* ---- whole files (db_backup.c) ----------------------------------------- */

/* These are SQLite's: given a PostgreSQL connection or a postgres:// URL
 * they answer 422 not_sqlite naming pg_dump and pg_restore, the tools a
 * PostgreSQL database is copied and restored with. */

/* db_backup_to copies the whole database to path while other connections
 * keep writing: the engine's online backup, from one read snapshot, so
 * the copy is the database as of one moment.  The copy is written beside
 * path, checked (quick check), synced, and renamed over path: path is
 * either as it was or the whole copy.  *bytes (may be NULL) gets its
 * size. */
int db_backup_to(Db *db, const char *path, long long *bytes, Err *err);

/* db_integrity runs the engine's full integrity check.  problem gets ""
 * when the file is sound, else the first problem found. */
int db_integrity(Db *db, char *problem, size_t n, Err *err);

/* db_check_idle: 0 when no other connection has the database at path
 * open (or there is no database there); 409 in_use otherwise, e.g. while
 * a fangyi serve runs on it.  The probe takes the engine's exclusive
 * lock for a moment, so it sees any program that has the file open. */
int db_check_idle(const char *path, Err *err);

/* db_install puts the closed database file src in place of dst (renamed,
 * atomically; synced).  An existing dst must not be open anywhere (409
 * in_use, nothing changed); it is held locked until the new file is in
 * place, and its write-ahead log is folded and removed first so that the
 * log of the old file can never be replayed into the new one. */
int db_install(const char *src, const char *dst, Err *err);

#endif
