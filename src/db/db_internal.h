/* db_internal.h — what the two backends of db.h (db_sqlite.c, db_pg.c)
 * share with the dispatch in db.c: the table of operations a backend
 * fills in, and the head every backend's Db and DbStmt begins with.
 * Only src/db/ includes this file. */
#ifndef FANGYI_DB_INTERNAL_H
#define FANGYI_DB_INTERNAL_H

#include <stdarg.h>

#include "db.h"

typedef struct DbOps {
    const char *dialect;                  /* "sqlite", "postgres" */
    /* counts the columns named ?2 of the table named ?1 */
    const char *column_sql;
    void (*close)(Db *db);
    int (*exec)(Db *db, const char *sql, Err *err);
    /* prepare (or take from the cache), bind the arguments fmt names and
     * make the statement ready to step */
    int (*query)(Db *db, DbStmt **st, Err *err, const char *sql,
                 const char *fmt, va_list ap);
    int (*step)(DbStmt *st, Err *err);
    void (*done)(DbStmt *st);
    int64_t (*col_int)(DbStmt *st, int col);
    double (*col_double)(DbStmt *st, int col);
    const char *(*col_text)(DbStmt *st, int col);
    int (*col_null)(DbStmt *st, int col);
    int64_t (*changes)(Db *db);
    int (*begin)(Db *db, Err *err);
    int (*commit)(Db *db, Err *err);
    int (*rollback)(Db *db);              /* 0 when not in a transaction */
    int (*in_tx)(Db *db);                 /* see db_in_tx */
    int (*secure_delete)(Db *db, Err *err);
    int (*truncate_log)(Db *db, int *complete, Err *err);
} DbOps;

/* Each backend's connection and statement structs start with these. */
struct Db {
    const DbOps *ops;
    DbFail fail;        /* why the last failing call failed */
};
struct DbStmt {
    Db *db;
};

/* The backends' openers (db_open picks one by the url). */
int db_sqlite_open(const char *path, int create, Db **out, Err *err);
int db_pg_open(const char *url, int create, Db **out, Err *err);
int db_pg_exists(const char *url, Err *err);

/* db_fail_err records why a statement failed on db and describes it in err
 * with the status that fits (409 for a unique or foreign key, 422 for a
 * check, 503 when the database cannot take it now, else 500).  fault
 * names what an unavailable database lacks: "storage_full" (no room),
 * "storage_read_only" (cannot be written), or NULL.  Returns -1. */
int db_fail_err(Db *db, DbFail why, const char *fault, const char *msg,
                Err *err);

#endif
