/* audit_cmd.c — fangyi audit verify|list: the audit log from the shell. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../domain/audit.h"
#include "cli.h"

static int print_entry(void *ctx, const AuditEntry *e)
{
    (void)ctx;
    printf("%" PRId64 "\t%s\t%s\t%s\t%s %" PRId64 "\t%s", e->id, e->at,
           e->actor, e->action, e->entity, e->entity_id, e->summary);
    if (e->redacted_at)
        printf(" (cleared %s by entry %" PRId64 ")", e->redacted_at,
               e->redacted_by);
    putchar('\n');
    return 0;
}

int cmd_audit(const CliArgs *a)
{
    const char *sub = a->pos[0];
    if (strcmp(sub, "verify") != 0 && strcmp(sub, "list") != 0)
        return cli_fail("audit: unknown subcommand %s (verify or list)",
                        sub), 2;
    Db *db;
    if (cli_open(a->pos[1], &db))
        return 1;
    Err err;
    int rc = 0;
    if (strcmp(sub, "verify") == 0) {
        int64_t broken, entries;
        if (audit_verify(db, &broken, &entries, &err))
            rc = cli_fail("audit: %s", err.message);
        else if (broken)
            rc = cli_fail("audit chain broken at entry %" PRId64
                          " (%" PRId64 " entries)", broken, entries);
        else
            printf("audit chain ok: %" PRId64 " entries\n", entries);
    } else {
        const char *limit = cli_flag(a, "limit");
        AuditFilter f = {.limit = limit ? atoi(limit) : 50};
        if (f.limit < 1)
            rc = cli_fail("audit: --limit must be a positive number");
        else if (audit_list(db, &f, print_entry, NULL, &err))
            rc = cli_fail("audit: %s", err.message);
    }
    db_close(db);
    return rc;
}
