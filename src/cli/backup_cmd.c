/* backup_cmd.c — fangyi backup DB FILE and fangyi restore FILE DB: a
 * consistent copy of a live database, and putting a checked copy back
 * (SQLite files; a PostgreSQL database is refused, pg_dump's job). */
#include <inttypes.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../db/migrate.h"
#include "../domain/audit.h"
#include "../domain/town.h"
#include "cli.h"

/* Refuse a postgres:// DB, naming the tools that do it there. */
static int refuse_postgres(const char *cmd, const char *db)
{
    if (!db_is_postgres_url(db))
        return 0;
    cli_fail("%s: %s is a PostgreSQL database: fangyi %s works on SQLite"
             " files; back PostgreSQL up with pg_dump -Fc and restore"
             " with pg_restore (docs/cli.md); nothing was changed",
             cmd, db, cmd);
    return 1;
}

int cmd_backup(const CliArgs *a)
{
    const char *db_path = a->pos[0], *file = a->pos[1];
    if (refuse_postgres("backup", db_path))
        return 1;
    if (access(db_path, F_OK) != 0)
        return cli_fail("backup: %s does not exist", db_path);
    if (access(file, F_OK) == 0 && !cli_flag(a, "force"))
        return cli_fail("backup: %s already exists; give --force to replace"
                        " it (it was left as it is)", file);
    /* the same file under another name or a link: replacing it would
     * delete the live database's write-ahead log */
    struct stat sd, sf;
    if (stat(db_path, &sd) == 0 && stat(file, &sf) == 0 &&
        sd.st_dev == sf.st_dev && sd.st_ino == sf.st_ino)
        return cli_fail("backup: %s is the database %s itself; give another"
                        " file (nothing was changed)", file, db_path);
    Db *db;
    Err err;
    long version;
    long long bytes = 0;
    /* read-only: the backup writes nothing into the live database */
    if (db_open_readonly(db_path, 0, &db, &err))
        return cli_fail("backup: %s", err.message);
    int rc = migrate_check(db, &version, &err) ||
             db_backup_to(db, file, &bytes, &err);
    db_close(db);
    if (rc)
        return cli_fail("backup: %s: %s", db_path, err.message);
    printf("backed up %s to %s (%lld KiB, schema version %ld)\n", db_path,
           file, (bytes + 1023) / 1024, version);
    return 0;
}

/* What restore checks in the copy before it replaces anything: the file
 * is sound, is a fangyi database this binary can run, has its town, and
 * its audit chain holds.  Prints what it found. */
static int check_copy(const char *path, const char *from, Err *err)
{
    Db *db;
    if (db_open(path, 0, &db, err))
        return -1;
    char problem[256];
    long version;
    Town town;
    int64_t broken = 0, entries = 0;
    int rc = db_integrity(db, problem, sizeof problem, err);
    if (!rc && problem[0])
        rc = err_set(err, 422, "corrupt", "file",
                     "%s is damaged: %s", from, problem);
    if (!rc && migrate_check(db, &version, err))
        rc = -1;
    if (!rc && town_get(db, &town, err))
        rc = err_set(err, 422, "not_fangyi", "file",
                     "%s has no town: not a fangyi database", from);
    if (!rc && audit_verify(db, &broken, &entries, err))
        rc = -1;
    if (!rc && broken)
        rc = err_set(err, 422, "audit_broken", "file",
                     "the audit chain of %s is broken at entry %" PRId64
                     " (%" PRId64 " entries)", from, broken, entries);
    db_close(db);
    if (!rc)
        printf("%s: %s, schema version %ld, audit chain ok (%" PRId64
               " entries), integrity ok\n", from, town.name, version,
               entries);
    return rc;
}

int cmd_restore(const CliArgs *a)
{
    const char *file = a->pos[0], *db_path = a->pos[1];
    Err err;
    if (refuse_postgres("restore", db_path) || refuse_postgres("restore", file))
        return 1;
    if (access(file, F_OK) != 0)
        return cli_fail("restore: %s does not exist", file);
    if (access(db_path, F_OK) == 0 && !cli_flag(a, "force"))
        return cli_fail("restore: %s already exists; give --force to"
                        " replace it (nothing was changed)", db_path);
    if (db_check_idle(db_path, &err))
        return cli_fail("restore: %s", err.message);
    /* the copy is made and checked beside DB, then renamed over it */
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.restore-%ld", db_path, (long)getpid());
    Db *src;
    if (db_open_readonly(file, 1, &src, &err))
        return cli_fail("restore: %s is not a fangyi database (%s);"
                        " nothing was changed", file, err.message);
    int rc = db_backup_to(src, tmp, NULL, &err);
    db_close(src);
    if (!rc)
        rc = check_copy(tmp, file, &err);
    if (!rc)
        rc = db_install(tmp, db_path, &err);
    if (rc) {
        db_remove(tmp);
        return cli_fail("restore: %s; nothing was changed", err.message);
    }
    printf("restored %s to %s\n", file, db_path);
    return 0;
}
