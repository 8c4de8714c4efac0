/* import_cmd.c — fangyi import DB KIND FILE: registers from CSV. */
#include <stdio.h>
#include <string.h>

#include "../db/writer.h"
#include "../domain/places_import.h"
#include "cli.h"

int cmd_import(const CliArgs *a)
{
    const char *path = a->pos[0], *kind = a->pos[1], *file = a->pos[2];
    if (strcmp(kind, "places") != 0)
        return cli_fail("import: unknown kind %s (places)", kind), 2;
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
    PlacesImport im = {.csv = csv, .actor = &actor};
    int rc = tx_run(db, places_import, &im, &err);
    if (rc) {
        fputs(im.report.p ? im.report.p : "", stdout);
        cli_fail("import: %s: %s", file, err.message);
    } else {
        printf("imported %s: %ld created, %ld already there\n", file,
               im.created, im.kept);
    }
    buf_free(&im.report);
    csv_close(csv);
    db_close(db);
    return rc ? 1 : 0;
}
