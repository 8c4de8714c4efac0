/* fuzz_import.c — fuzzes the import parsers on the demo town: the people
 * register (people_import, with its flags), places (places_import) and
 * the five ledgers (ledger_import), each reading a file row by row and
 * writing through the domain functions in one transaction that is then
 * rolled back, so every input starts from the same town.
 *
 * Input: one byte choosing the import (low 3 bits), who imports (next 3:
 * the command line, admin, a village cadre, an assigned cadre, a
 * checker, an inspector, the enterprise liaison) and, for people, the
 * skip_invalid and dry_run flags (top 2); then the CSV file, UTF-8 or
 * GB18030.  Beyond crashes, leaks and undefined behaviour: a refusal is
 * never a storage error (5xx: a row reached the database unchecked),
 * every message and bad row's column and reason is UTF-8 (they become
 * JSON answers), and the people import's rejects file reads back as its
 * header plus one row per bad row. */
#include <stdlib.h>
#include <string.h>

#include "../../src/base/validate.h"
#include "../../src/db/writer.h"
#include "../../src/domain/accounts.h"
#include "../../src/domain/ledger_io.h"
#include "../../src/domain/people_import.h"
#include "../../src/domain/places_import.h"
#include "common.h"

static Db *db;
static const char *const ACCOUNTS[] = {"admin", "cadre_dongwang",
                                       "assigned_1", "checker_1",
                                       "inspector_1", "liaison_1"};
static Actor actors[7];

static void setup(void)
{
    Err err;
    if (db_open(fuzz_db_path(), 0, &db, &err))
        fuzz_fail("open: %s", err.message);
    actor_system(&actors[0], "fuzz");
    for (int i = 0; i < 6; i++)
        if (actor_from_token(db, ACCOUNTS[i], &actors[i + 1], &err))
            fuzz_fail("account %s: %s", ACCOUNTS[i], err.message);
}

static void check_text(const char *what, const char *s)
{
    if (!validate_utf8(s, strlen(s)))
        fuzz_fail("import: %s is not UTF-8: %s", what, s);
}

/* The rejects file must read as a CSV of nbad + 1 rows. */
static void check_rejects(const PeopleImport *im)
{
    CsvReader *r;
    Err err;
    if (csv_open_memory(im->rejects.p, im->rejects.len, &r, &err))
        fuzz_fail("rejects: unreadable: %s", err.message);
    char **f;
    int n, rc;
    long rows = 0;
    while ((rc = csv_next(r, &f, &n, &err)) == 1)
        rows++;
    csv_close(r);
    if (rc < 0 || rows != im->nbad + 1)
        fuzz_fail("rejects: %ld rows for %ld bad rows (%s)", rows, im->nbad,
                  rc < 0 ? err.message : "read to the end");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!db)
        setup();
    if (size < 1)
        return 0;
    int kind = data[0] & 7, who = (data[0] >> 3) & 7;
    const Actor *actor = &actors[who % 7];
    CsvReader *csv;
    Err err;
    if (csv_open_memory((const char *)data + 1, size - 1, &csv, &err))
        return 0;
    if (db_begin(db, &err))
        fuzz_fail("begin: %s", err.message);
    int rc;
    err_clear(&err);
    if (kind == 0) {
        PeopleImport im = {.csv = csv, .actor = actor,
                           .skip_invalid = data[0] >> 6 & 1,
                           .dry_run = data[0] >> 7, .want_rejects = 1};
        rc = people_import(db, &im, &err);
        for (long i = 0; i < im.nbad; i++) {
            check_text("a column", im.bad[i].column);
            check_text("a reason", im.bad[i].reason);
        }
        if (im.nbad && (rc == 0 || !strcmp(err.code, "bad_rows") ||
                        !strcmp(err.code, "dry_run")))
            check_rejects(&im);
        people_import_free(&im);
    } else if (kind == 1) {
        PlacesImport im = {.csv = csv, .actor = actor};
        rc = places_import(db, &im, &err);
        check_text("the report", im.report.p ? im.report.p : "");
        buf_free(&im.report);
    } else {
        LedgerImport im = {.kind = (LedgerKind)((kind - 2) % LK_COUNT),
                           .csv = csv, .actor = actor};
        rc = ledger_import(db, &im, &err);
        for (long i = 0; i < im.nbad; i++) {
            check_text("a column", im.bad[i].column);
            check_text("a reason", im.bad[i].reason);
        }
        ledger_import_free(&im);
    }
    db_rollback(db);
    csv_close(csv);
    if (rc)
        check_text("the message", err.message);
    if (rc && (err.status >= 500 || err.status == 0))
        fuzz_fail("import %d: a storage error: %d %s: %s", kind, err.status,
                  err.code, err.message);
    return 0;
}
