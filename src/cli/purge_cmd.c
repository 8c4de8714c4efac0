/* purge_cmd.c — fangyi purge DB --before DATE [--dry-run]: anonymise the
 * personal data of people whose records all lie before DATE
 * (docs/purge.md), or say what that would change. */
#include <stdio.h>
#include <string.h>

#include "../domain/purge.h"
#include "cli.h"

int cmd_purge(const CliArgs *a)
{
    const char *before = cli_flag(a, "before");
    int dry_run = cli_flag(a, "dry-run") != NULL;
    if (!before)
        return cli_fail("purge: --before YYYY-MM-DD is required"), 2;
    Db *db;
    int pending = 0;
    /* a dry run writes nothing, not even a migration */
    if (dry_run ? cli_open_unmigrated(a->pos[0], &db, &pending)
                : cli_open(a->pos[0], &db))
        return 1;
    if (pending > 0) {
        db_close(db);
        return cli_fail("purge: %s lacks %d schema migration%s of this"
                        " fangyi; a dry run does not apply them (nothing was"
                        " changed): run fangyi serve on it once, or purge"
                        " without --dry-run",
                        a->pos[0], pending, pending == 1 ? "" : "s");
    }
    Actor actor;
    actor_system(&actor, "purge");
    PurgeResult r;
    Err err;
    int rc = purge_before(db, &actor, before, dry_run, &r, &err);
    int postgres = !strcmp(db_dialect(db), "postgres");
    db_close(db);
    if (rc)
        return cli_fail("purge: %s", err.message);
    printf(dry_run ? "purge before %s would change (dry run: nothing was"
                     " changed):\n"
                   : "purge before %s changed:\n",
           before);
    for (int i = 0; i < PURGE_STEPS; i++)
        printf("  %-15s %ld\n", purge_table(i), r.changed[i]);
    printf("  %-15s %ld\n", "audit_log", r.audit_cleared);
    printf("people left as they are (under a measure, or with a record on"
           " or after %s): %ld\n", before, r.kept);
    printf("audit entries about them that keep their text (written before"
           " summaries could be cleared, docs/purge.md): %ld\n",
           r.audit_kept);
    if (!dry_run && !r.log_emptied)
        printf("note: readers held part of the write-ahead log; it is"
               " emptied at the next checkpoint\n");
    if (!dry_run && postgres)
        printf("note: on PostgreSQL the rows' old versions stay in the"
               " table files until VACUUM FULL (docs/purge.md)\n");
    return 0;
}
