/* db_backup.c — whole-file operations of the SQLite backend (see db.h):
 * the online backup, the integrity check, and putting a checked copy in
 * place of a database (fangyi backup / restore, the copy kept before a
 * migration).  A PostgreSQL database is refused: pg_dump's job. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sqlite_internal.h"

enum { PATH_MAX_LEN = 4096 };

/* 422 not_sqlite: what is done to SQLite files only. */
static int not_sqlite(const char *what, Err *err)
{
    return err_set(err, 422, "not_sqlite", "db",
                   "%s works on SQLite database files; a PostgreSQL"
                   " database is copied with pg_dump and put back with"
                   " pg_restore (or the server's base backups)", what);
}

static int is_sqlite(const Db *db)
{
    return strcmp(db_dialect(db), "sqlite") == 0;
}

/* fsync the directory holding path, so a rename in it survives a power
 * cut.  Returns 0 or -1 (errno set). */
static int sync_dir(const char *path)
{
    char copy[PATH_MAX_LEN];
    snprintf(copy, sizeof copy, "%s", path);
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* Remove the write-ahead log and shared-memory files of path, if any. */
static void unlink_sidecars(const char *path)
{
    char p[PATH_MAX_LEN + 8];
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-journal", path);
    unlink(p);
}

/* The first row of a PRAGMA check on h into out ("ok" when sound). */
static int check_pragma(sqlite3 *h, const char *sql, char *out, size_t n)
{
    sqlite3_stmt *s;
    out[0] = '\0';
    int rc = sqlite3_prepare_v2(h, sql, -1, &s, NULL);
    if (rc != SQLITE_OK)
        return rc;
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        snprintf(out, n, "%s", (const char *)sqlite3_column_text(s, 0));
        rc = SQLITE_OK;
    } else if (rc == SQLITE_DONE) {
        rc = SQLITE_OK;
    }
    sqlite3_finalize(s);
    return rc;
}

/* Copy src into the new file path with the online backup API in one step
 * (one read snapshot: writers on other connections go on meanwhile in WAL
 * mode), then quick-check the copy. */
static int copy_into(sqlite3 *src, const char *path, Err *err)
{
    sqlite3 *dst = NULL;
    int rc = sqlite3_open_v2(path, &dst,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                             NULL);
    if (rc != SQLITE_OK) {
        err_set(err, 500, "backup_failed", NULL, "cannot create %s: %s",
                path, dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
        sqlite3_close(dst);
        return -1;
    }
    sqlite3_backup *bk = sqlite3_backup_init(dst, "main", src, "main");
    if (!bk) {
        err_set(err, 500, "backup_failed", NULL, "cannot back up to %s: %s",
                path, sqlite3_errmsg(dst));
        sqlite3_close(dst);
        return -1;
    }
    /* busy: another program holds a lock for a moment; try for ~10 s */
    for (int tries = 0;; tries++) {
        rc = sqlite3_backup_step(bk, -1);
        if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && tries < 200) {
            sqlite3_sleep(50);
            continue;
        }
        break;
    }
    sqlite3_backup_finish(bk);
    char verdict[256] = "";
    if (rc == SQLITE_DONE)
        rc = check_pragma(dst, "PRAGMA quick_check", verdict,
                          sizeof verdict);
    else
        snprintf(verdict, sizeof verdict, "%s", sqlite3_errstr(rc));
    sqlite3_close(dst);
    if (rc != SQLITE_OK || strcmp(verdict, "ok") != 0)
        return err_set(err, 500, "backup_failed", NULL,
                       "the copy to %s failed: %s", path,
                       verdict[0] ? verdict : sqlite3_errstr(rc));
    return 0;
}

int db_backup_to(Db *db, const char *path, long long *bytes, Err *err)
{
    if (!is_sqlite(db))
        return not_sqlite("a backup", err);
    char tmp[PATH_MAX_LEN + 32];
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
    unlink(tmp);
    unlink_sidecars(tmp);
    if (copy_into(SQ(db)->h, tmp, err)) {
        unlink(tmp);
        unlink_sidecars(tmp);
        return -1;
    }
    struct stat sb;
    if (stat(tmp, &sb) == 0 && bytes)
        *bytes = (long long)sb.st_size;
    /* a log left beside an older file of that name must not be replayed
     * into the new one */
    unlink_sidecars(path);
    if (rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        return err_set(err, 500, "backup_failed", NULL, "cannot write %s: %s",
                       path, strerror(e));
    }
    if (sync_dir(path) != 0)
        return err_set(err, 500, "backup_failed", NULL,
                       "cannot sync the directory of %s: %s", path,
                       strerror(errno));
    return 0;
}

void db_remove(const char *path)
{
    if (db_is_postgres_url(path))
        return;
    unlink(path);
    unlink_sidecars(path);
}

int db_integrity(Db *db, char *problem, size_t n, Err *err)
{
    problem[0] = '\0';
    if (!is_sqlite(db))
        return not_sqlite("the integrity check", err);
    int rc = check_pragma(SQ(db)->h, "PRAGMA integrity_check", problem, n);
    if (rc != SQLITE_OK)
        return db_sqlite_fail(SQ(db), rc, err);
    if (strcmp(problem, "ok") == 0)
        problem[0] = '\0';
    else if (!problem[0])
        snprintf(problem, n, "the integrity check gave no answer");
    return 0;
}

/* Open path and take its exclusive lock, kept until *out is closed.
 * Returns 0 with *out set; 0 with *out NULL when path is missing or not
 * a database (nobody can be using it as one); -1 with err (409 in_use)
 * when another connection has it open. */
static int lock_alone(const char *path, sqlite3 **out, Err *err)
{
    *out = NULL;
    if (access(path, F_OK) != 0)
        return 0;
    sqlite3 *h = NULL;
    int rc = sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, NULL);
    if (rc == SQLITE_OK)
        /* in WAL mode an exclusive locking mode makes this connection
         * take the file's own exclusive lock, which every open connection
         * blocks (each holds a shared lock while it is open) */
        rc = sqlite3_exec(h, "PRAGMA locking_mode=EXCLUSIVE;"
                             " BEGIN EXCLUSIVE; COMMIT;",
                          NULL, NULL, NULL);
    if (rc == SQLITE_NOTADB) {
        sqlite3_close(h);
        return 0;
    }
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
        sqlite3_close(h);
        return err_set(err, 409, "in_use", "db",
                       "%s is open in another program (a running fangyi"
                       " serve?): stop it first; nothing was changed",
                       path);
    }
    if (rc != SQLITE_OK) {
        err_set(err, 503, "storage_unavailable", "db", "cannot lock %s: %s",
                path, h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
        sqlite3_close(h);
        return -1;
    }
    *out = h;
    return 0;
}

int db_check_idle(const char *path, Err *err)
{
    if (db_is_postgres_url(path))
        return not_sqlite("checking that nobody uses the file", err);
    sqlite3 *h;
    if (lock_alone(path, &h, err))
        return -1;
    sqlite3_close(h);
    return 0;
}

int db_install(const char *src, const char *dst, Err *err)
{
    if (db_is_postgres_url(dst))
        return not_sqlite("putting a copy in place", err);
    sqlite3 *h;
    if (lock_alone(dst, &h, err))
        return -1;
    /* fold the old file's log into it and delete the log, still holding
     * the lock: nothing can open the old file until it is replaced */
    if (h && sqlite3_exec(h, "PRAGMA journal_mode=DELETE", NULL, NULL,
                          NULL) != SQLITE_OK) {
        err_set(err, 503, "storage_unavailable", "db",
                "cannot close the log of %s: %s", dst, sqlite3_errmsg(h));
        sqlite3_close(h);
        return -1;
    }
    unlink_sidecars(dst);
    int rc = rename(src, dst);
    int e = errno;
    if (rc == 0 && sync_dir(dst) != 0) {
        rc = -1;
        e = errno;
    }
    sqlite3_close(h);
    if (rc != 0)
        return err_set(err, 500, "restore_failed", "db",
                       "cannot put the copy in place of %s: %s", dst,
                       strerror(e));
    return 0;
}
