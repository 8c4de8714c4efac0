/* import_cmd.c — fangyi import DB KIND FILE: registers from CSV.
 *
 *   import DB places FILE.csv
 *   import DB people FILE.csv [--skip-invalid] [--rejects OUT.csv]
 *                             [--dry-run]
 * The command line acts as the town command (every village). */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "../db/writer.h"
#include "../domain/people_import.h"
#include "../domain/places_import.h"
#include "cli.h"
#include "ledger_cmd.h"

static int import_places(const char *path, const char *file)
{
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

/* The progress bar on a terminal: how far through the file's lines the
 * import is, shown as a share of its bytes. */
typedef struct Progress {
    const char *file;
    long lines;     /* physical lines in the file */
    long bytes;     /* its size */
    int shown;
} Progress;

/* Count the lines and bytes of path for the progress bar. */
static void progress_measure(Progress *p, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return;
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        p->bytes += (long)n;
        for (const char *q = buf; (q = memchr(q, '\n', n - (size_t)(q - buf)));
             q++)
            p->lines++;
    }
    fclose(f);
    if (p->bytes && p->lines == 0)
        p->lines = 1;
}

static void progress_show(void *ctx, long rows, int line)
{
    Progress *p = ctx;
    double share = p->lines ? (double)line / (double)p->lines : 1;
    if (share > 1)
        share = 1;
    int width = 30, full = (int)(share * width + 0.5);
    char bar[64];
    for (int i = 0; i < width; i++)
        bar[i] = i < full ? '#' : '.';
    bar[width] = '\0';
    fprintf(stderr, "\r[%s] %3d%%  %ld rows, %.1f of %.1f MB", bar,
            (int)(share * 100 + 0.5), rows, share * (double)p->bytes / 1e6,
            (double)p->bytes / 1e6);
    fflush(stderr);
    p->shown = 1;
}

/* rejects_path: FILE.csv → FILE.rejects.csv, into out. */
static void rejects_path(const char *file, char *out, size_t n)
{
    size_t len = strlen(file);
    if (len > 4 && strcasecmp(file + len - 4, ".csv") == 0)
        len -= 4;
    snprintf(out, n, "%.*s.rejects.csv", (int)len, file);
}

static int write_file(const char *path, const Buf *b)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(b->p, 1, b->len, f) != b->len) {
        if (f)
            fclose(f);
        return -1;
    }
    return fclose(f);
}

static int import_people(const CliArgs *a, const char *path,
                         const char *file)
{
    const char *rejects = cli_flag(a, "rejects");
    char defrej[4096];
    int skip = cli_flag(a, "skip-invalid") != NULL;
    int dry = cli_flag(a, "dry-run") != NULL;
    if (!rejects && skip) {
        rejects_path(file, defrej, sizeof defrej);
        rejects = defrej;
    }
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
    Progress prog = {.file = file};
    PeopleImport im = {.csv = csv, .actor = &actor, .skip_invalid = skip,
                       .dry_run = dry, .want_rejects = rejects != NULL};
    if (isatty(STDERR_FILENO)) {
        progress_measure(&prog, file);
        im.progress = progress_show;
        im.progress_ctx = &prog;
    }
    int rc = tx_run(db, people_import, &im, &err);
    if (prog.shown)
        fputs("\r\033[K", stderr);
    int checked = rc && strcmp(err.code, "dry_run") == 0;
    for (long i = 0; i < im.nbad; i++)
        printf("row %d%s%s: %s\n", im.bad[i].row, *im.bad[i].column ? ", " : "",
               im.bad[i].column, im.bad[i].reason);
    int status = 0;
    if (!rc || checked) {
        printf("%s %s: %ld rows, %ld created, %ld updated, %ld unchanged,"
               " %ld bad\n",
               checked ? "checked (dry run, nothing stored)" : "imported",
               file, im.rows, im.created, im.updated, im.unchanged, im.nbad);
        if (checked && im.nbad)
            status = 1; /* the file would be refused */
    }
    if (rejects && im.nbad && (!rc || checked || !strcmp(err.code,
                                                         "bad_rows"))) {
        if (write_file(rejects, &im.rejects))
            cli_fail("import: cannot write %s", rejects);
        else
            printf("rejected rows written to %s\n", rejects);
    }
    if (rc && !checked) {
        cli_fail("import: %s: %s", file, err.message);
        status = 1;
    }
    people_import_free(&im);
    csv_close(csv);
    db_close(db);
    return status;
}

int cmd_import(const CliArgs *a)
{
    const char *path = a->pos[0], *kind = a->pos[1], *file = a->pos[2];
    if (strcmp(kind, "people") == 0)
        return import_people(a, path, file);
    if (ledger_cmd_is_kind(kind)) {
        if (cli_flag(a, "skip-invalid") || cli_flag(a, "rejects") ||
            cli_flag(a, "dry-run")) {
            cli_fail("import %s: a ledger import is all-or-nothing", kind);
            return 2;
        }
        return ledger_cmd_import(path, kind, file);
    }
    if (strcmp(kind, "places") != 0) {
        cli_fail("import: unknown kind %s (places, people, supplies,"
                 " disinfection, visitors, inspections, enterprises)",
                 kind);
        return 2;
    }
    if (cli_flag(a, "skip-invalid") || cli_flag(a, "rejects") ||
        cli_flag(a, "dry-run")) {
        cli_fail("import places: --skip-invalid, --rejects and --dry-run"
                 " are for people (a places import is all-or-nothing)");
        return 2;
    }
    return import_places(path, file);
}
