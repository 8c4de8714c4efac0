/* export_cmd.c — fangyi export DB people: the register as CSV or XLSX.
 *
 *   export DB people [--format csv|xlsx] [--out FILE] [--village NAME]
 *                    [--full]
 * The command line acts as the town command, so --full may unmask ID
 * numbers and phones; every export is audited.  Without --out the file
 * goes to stdout (never XLSX to a terminal); with --out it is written
 * beside FILE and renamed into place only when complete. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../db/writer.h"
#include "../domain/people_export.h"
#include "../domain/places.h"
#include "cli.h"
#include "ledger_cmd.h"

typedef struct AuditArgs {
    const Actor *actor;
    const PeopleFilter *f;
    PeopleExportFormat fmt;
    int full;
    long rows;
} AuditArgs;

static int audit_tx(Db *db, void *arg, Err *err)
{
    AuditArgs *a = arg;
    return people_export_audit(db, a->actor, a->f, a->fmt, a->full, a->rows,
                               err);
}

int cmd_export(const CliArgs *a)
{
    const char *path = a->pos[0], *kind = a->pos[1];
    const char *out = cli_flag(a, "out"), *village = cli_flag(a, "village");
    int full = cli_flag(a, "full") != NULL;
    PeopleExportFormat fmt;
    if (ledger_cmd_is_kind(kind))
        return ledger_cmd_export(a);
    if (cli_flag(a, "from") || cli_flag(a, "to")) {
        cli_fail("export people: --from and --to are for the ledgers");
        return 2;
    }
    if (strcmp(kind, "people") != 0) {
        cli_fail("export: unknown kind %s (people, supplies, disinfection,"
                 " visitors, inspections, enterprises)", kind);
        return 2;
    }
    if (people_export_format(cli_flag(a, "format"), &fmt)) {
        cli_fail("export: --format must be csv or xlsx");
        return 2;
    }
    if (fmt == PEOPLE_EXPORT_XLSX && !out && isatty(STDOUT_FILENO))
        return cli_fail("export: XLSX is not for a terminal: give --out"
                        " FILE or redirect stdout");
    Db *db;
    if (cli_open(path, &db))
        return 1;
    Err err;
    Actor actor;
    actor_system(&actor, "export");
    PeopleFilter f = {0};
    int rc = 0;
    if (village) {
        rc = places_find(db, "village", 0, village, &f.village_id, &err);
        if (!rc && !f.village_id)
            rc = err_set(&err, 422, "invalid_field", "village",
                         "there is no village named %s", village);
    }
    AuditArgs au = {&actor, &f, fmt, full, 0};
    if (!rc)
        rc = people_export_count(db, &actor, &f, &au.rows, &err);
    if (!rc)
        rc = tx_run(db, audit_tx, &au, &err);
    if (rc) {
        db_close(db);
        return cli_fail("export: %s", err.message);
    }

    char tmp[4096] = "";
    FILE *fp = stdout;
    if (out) {
        snprintf(tmp, sizeof tmp, "%s.tmp", out);
        fp = fopen(tmp, "wb");
        if (!fp) {
            db_close(db);
            return cli_fail("export: cannot write %s", tmp);
        }
    }
    long rows = 0;
    rc = people_export_file(db, &actor, &f, fmt, full, fp, &rows, &err);
    if (out) {
        if (fclose(fp) != 0 && !rc)
            rc = err_set(&err, 400, "io_error", NULL, "cannot write %s",
                         tmp);
        if (!rc && rename(tmp, out) != 0)
            rc = err_set(&err, 400, "io_error", NULL, "cannot rename %s",
                         tmp);
        if (rc)
            unlink(tmp);
    }
    db_close(db);
    if (rc)
        return cli_fail("export: %s", err.message);
    /* the count goes where it does not mix with the data */
    fprintf(out ? stdout : stderr, "exported %ld %s%s%s%s\n", rows,
            rows == 1 ? "person" : "people", out ? " to " : "",
            out ? out : "", full ? " (full ID numbers and phones)" : "");
    return 0;
}
