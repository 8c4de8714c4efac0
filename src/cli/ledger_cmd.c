/* ledger_cmd.c — the ledgers from and to spreadsheets on the command
 * line (see ledger_cmd.h).  The command line acts as the town command
 * (every village); exports are audited like those of the API. */
#include "ledger_cmd.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../base/validate.h"
#include "../db/writer.h"
#include "../domain/ledger_io.h"
#include "../domain/places.h"

int ledger_cmd_is_kind(const char *kind)
{
    LedgerKind k;
    return ledger_kind_from_name(kind, &k) == 0;
}

int ledger_cmd_import(const char *path, const char *kind, const char *file)
{
    LedgerKind k;
    if (ledger_kind_from_name(kind, &k))
        return 2;
    Err err;
    CsvReader *csv;
    if (csv_open_file(file, &csv, &err))
        return cli_fail("import: %s: %s", file, err.message);
    Db *db;
    if (cli_open(path, &db)) {
        csv_close(csv);
        return 1;
    }
    Actor actor;
    actor_system(&actor, "import");
    LedgerImport im = {.kind = k, .csv = csv, .actor = &actor};
    int rc = tx_run(db, ledger_import, &im, &err);
    for (long i = 0; i < im.nbad; i++)
        printf("row %d%s%s: %s\n", im.bad[i].row,
               *im.bad[i].column ? ", " : "", im.bad[i].column,
               im.bad[i].reason);
    if (rc)
        cli_fail("import: %s: %s", file, err.message);
    else
        printf("imported %s: %ld rows, %ld created, %ld unchanged\n", file,
               im.rows, im.created, im.unchanged);
    ledger_import_free(&im);
    csv_close(csv);
    db_close(db);
    return rc ? 1 : 0;
}

typedef struct AuditArgs {
    const Actor *actor;
    LedgerKind kind;
    const LedgerFilter *f;
    int xlsx;
} AuditArgs;

static int audit_tx(Db *db, void *arg, Err *err)
{
    AuditArgs *a = arg;
    return ledger_export_audit(db, a->actor, a->kind, a->f, a->xlsx, err);
}

int ledger_cmd_export(const CliArgs *a)
{
    const char *path = a->pos[0], *out = cli_flag(a, "out");
    const char *fmt = cli_flag(a, "format"), *village = cli_flag(a, "village");
    LedgerKind k;
    if (ledger_kind_from_name(a->pos[1], &k))
        return 2;
    if (fmt && strcmp(fmt, "csv") && strcmp(fmt, "xlsx")) {
        cli_fail("export: --format must be csv or xlsx");
        return 2;
    }
    int xlsx = fmt && !strcmp(fmt, "xlsx");
    if (xlsx && !out && isatty(STDOUT_FILENO))
        return cli_fail("export: XLSX is not for a terminal: give --out"
                        " FILE or redirect stdout");
    LedgerFilter f = {.full = cli_flag(a, "full") != NULL,
                      .from = cli_flag(a, "from"), .to = cli_flag(a, "to")};
    Err err;
    if ((f.from && validate_date(f.from, "from", NULL, &err)) ||
        (f.to && validate_date(f.to, "to", NULL, &err))) {
        cli_fail("export: --from and --to are dates YYYY-MM-DD");
        return 2;
    }
    Db *db;
    if (cli_open(path, &db))
        return 1;
    Actor actor;
    actor_system(&actor, "export");
    int rc = 0;
    if (village) {
        rc = places_find(db, "village", 0, village, &f.village_id, &err);
        if (!rc && !f.village_id)
            rc = err_set(&err, 422, "invalid_field", "village",
                         "there is no village named %s", village);
    }
    AuditArgs au = {&actor, k, &f, xlsx};
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
        if (!(fp = fopen(tmp, "wb"))) {
            db_close(db);
            return cli_fail("export: cannot write %s", tmp);
        }
    }
    long rows = 0;
    rc = ledger_export_file(db, &actor, k, &f, xlsx, fp, &rows, &err);
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
    fprintf(out ? stdout : stderr, "exported %ld rows of %s%s%s\n", rows,
            a->pos[1], out ? " to " : "", out ? out : "");
    return 0;
}
