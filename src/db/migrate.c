/* migrate.c — applies the embedded numbered migrations (see migrate.h).
 * File names start with their number ("001_foundation.sql"); the number
 * is what schema_version records. */
#include "migrate.h"

#include <stdlib.h>
#include <string.h>

#include "../base/clock.h"
#include "../base/embedded.h"
#include "writer.h"

static const EmbeddedFile *dialect_files(Db *db)
{
    return strcmp(db_dialect(db), "postgres") == 0 ? migrations_postgres
                                                    : migrations_sqlite;
}

static int ensure_table(Db *db, Err *err)
{
    return db_exec(db,
                   "CREATE TABLE IF NOT EXISTS schema_version ("
                   " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                   " applied_at TEXT NOT NULL)",
                   err);
}

static int is_applied(Db *db, long version, int *applied, Err *err)
{
    int64_t v;
    return db_one_int(db, err, &v, applied,
                      "SELECT version FROM schema_version WHERE version = ?1",
                      "i", (int64_t)version);
}

int migrate_pending(Db *db, Err *err)
{
    /* only reads (a read-only database, a standby): schema_version is
     * there, as migrate_check found */
    int n = 0;
    for (const EmbeddedFile *f = dialect_files(db); f->path; f++) {
        int applied;
        if (is_applied(db, strtol(f->path, NULL, 10), &applied, err))
            return -1;
        n += !applied;
    }
    return n;
}

typedef struct MigrationStep {
    const EmbeddedFile *file;
    long version;
} MigrationStep;

/* Apply one migration inside the caller's transaction; one that another
 * server applied while this one waited for the write lock is skipped. */
static int apply_one(Db *db, void *arg, Err *err)
{
    MigrationStep *m = arg;
    int applied;
    if (is_applied(db, m->version, &applied, err))
        return -1;
    if (applied)
        return 0;
    char now[21];
    clock_now_iso(now);
    if (db_exec(db, (const char *)m->file->data, err))
        return -1;
    return db_run(db, err,
                  "INSERT INTO schema_version (version, name, applied_at)"
                  " VALUES (?1, ?2, ?3)",
                  "itt", (int64_t)m->version, m->file->path, now);
}

/* Say which file failed, keeping why. */
static int failed(const EmbeddedFile *f, Err *err)
{
    char why[sizeof err->message];
    memcpy(why, err->message, sizeof why);
    return err_set(err, 500, "migration_failed", NULL, "%s: %s", f->path,
                   why);
}

int migrate_apply(Db *db, Err *err)
{
    if (ensure_table(db, err))
        return -1;
    for (const EmbeddedFile *f = dialect_files(db); f->path; f++) {
        MigrationStep m = {f, strtol(f->path, NULL, 10)};
        int applied;
        if (is_applied(db, m.version, &applied, err))
            return -1;
        if (applied)
            continue;
        if (tx_run(db, apply_one, &m, err))
            return failed(f, err);
    }
    return 0;
}

int migrate_apply_here(Db *db, Err *err)
{
    if (ensure_table(db, err))
        return -1;
    for (const EmbeddedFile *f = dialect_files(db); f->path; f++) {
        MigrationStep m = {f, strtol(f->path, NULL, 10)};
        if (apply_one(db, &m, err))
            return failed(f, err);
    }
    return 0;
}

int migrate_check(Db *db, long *version, Err *err)
{
    long known = 0;
    for (const EmbeddedFile *f = dialect_files(db); f->path; f++) {
        long v = strtol(f->path, NULL, 10);
        if (v > known)
            known = v;
    }
    int64_t newest, lowest;
    int found;
    if (db_one_int(db, err, &newest, &found,
                   "SELECT max(version) FROM schema_version", "") ||
        db_one_int(db, err, &lowest, &found,
                   "SELECT min(version) FROM schema_version", ""))
        return err_set(err, 422, "not_fangyi", "db",
                       "it is not a fangyi database (no schema_version)");
    if (newest < 1 || lowest != 1)
        return err_set(err, 422, "not_fangyi", "db",
                       "it is not a fangyi database (schema_version lacks"
                       " the first migration)");
    if (newest > known)
        return err_set(err, 422, "too_new", "db",
                       "it was made by a newer fangyi (schema %lld; this"
                       " one knows up to %ld)",
                       (long long)newest, known);
    *version = (long)newest;
    return 0;
}
