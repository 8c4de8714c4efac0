/* sqlite_internal.h — what the files of the SQLite backend (db_sqlite.c,
 * db_backup.c) share: the connection record and the translation of
 * SQLite's errors.  Only files in src/db/ include it (and only they
 * include sqlite3.h). */
#ifndef FANGYI_SQLITE_INTERNAL_H
#define FANGYI_SQLITE_INTERNAL_H

#include <sqlite3.h>

#include "db_internal.h"

enum { STMT_BUCKETS = 256 };

typedef struct SqStmt SqStmt;

typedef struct SqDb {
    Db base;
    sqlite3 *h;
    char *path;         /* what it was opened with (to reopen it) */
    int writable;       /* opened to write (db_open), not to read only */
    SqStmt *buckets[STMT_BUCKETS];
} SqDb;

#define SQ(db) ((SqDb *)(db))

/* db_sqlite_fail records why rc failed on db and fills err with the
 * status and code that fit (409 duplicate, 503 storage_full, ...).
 * Returns -1. */
int db_sqlite_fail(SqDb *db, int rc, Err *err);

#endif
