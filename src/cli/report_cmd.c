/* report_cmd.c — fangyi report DB [--date D] [--format text|json|csv|xlsx]
 * [--out FILE] [--test-clock FILE]: the daily dispatch report
 * (docs/report.md) from the shell.  JSON is written by report_write, as
 * GET /api/v1/reports/daily writes it; CSV and XLSX by report_sheet, as
 * GET /api/v1/reports/daily/export writes them; text is a readable
 * Chinese summary, one figure per line, with the labels of
 * report_figures.h.  Without --out the report goes to stdout (never XLSX
 * to a terminal); with --out it is written beside FILE and renamed into
 * place only when complete.  --test-clock reads "now" from a file, as
 * `fangyi serve --test-clock` does, so the slots missed by now are
 * counted as the server counts them. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../base/clock.h"
#include "../domain/observation.h"
#include "../domain/report.h"
#include "../domain/report_figures.h"
#include "../domain/report_sheet.h"
#include "cli.h"

static void text_report(const Report *r, Buf *b)
{
    buf_printf(b, "%s %s %s\n", r->town, REPORT_TITLE, r->date);
    report_figures_lines(r, &r->total, b);
    const char *const *L = report_supply_labels;
    for (size_t i = 0; i < r->nsupplies; i++) {
        const ReportSupply *s = &r->supplies[i];
        buf_printf(b, "%s %s：%s %g %s，%s %g %s，%s %g %s\n", L[0], s->item,
                   L[2], s->received_total, s->unit, L[3], s->issued_total,
                   s->unit, L[4], s->stock, s->unit);
    }
    for (size_t k = 0; k < r->nvillages; k++)
        if (r->by_village[k].active)
            report_brief_line(r->by_village[k].name, r, &r->by_village[k].c,
                              b);
}

/* The report in its format into b; -1 with err. */
static int render(const Report *r, const char *format, Buf *b, Err *err)
{
    int xlsx;
    if (!strcmp(format, "json")) {
        Jw w;
        jw_init(&w, b);
        report_write(&w, r);
        buf_putc(b, '\n');
        return 0;
    }
    if (!strcmp(format, "text")) {
        text_report(r, b);
        return 0;
    }
    report_sheet_format(format, &xlsx);
    return report_sheet(r, xlsx, b, err);
}

/* Write b to out (through out.tmp, renamed when complete) or stdout. */
static int put(const Buf *b, const char *out, Err *err)
{
    if (!out) {
        if (fwrite(b->p, 1, b->len, stdout) != b->len || fflush(stdout))
            return err_set(err, 400, "io_error", NULL,
                           "cannot write the report to stdout");
        return 0;
    }
    char tmp[4096];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", out) >= sizeof tmp)
        return err_set(err, 400, "invalid_value", "out", "--out is too long");
    FILE *fp = fopen(tmp, "wb");
    if (!fp)
        return err_set(err, 400, "io_error", NULL, "cannot write %s", tmp);
    int bad = fwrite(b->p, 1, b->len, fp) != b->len;
    bad |= fclose(fp) != 0;
    if (bad || rename(tmp, out) != 0) {
        unlink(tmp);
        return err_set(err, 400, "io_error", NULL, "cannot write %s", out);
    }
    return 0;
}

int cmd_report(const CliArgs *a)
{
    const char *format = cli_flag(a, "format");
    const char *date = cli_flag(a, "date"), *out = cli_flag(a, "out");
    const char *test_clock = cli_flag(a, "test-clock");
    int xlsx = 0;
    if (!format)
        format = "text";
    if (strcmp(format, "json") && strcmp(format, "text") &&
        report_sheet_format(format, &xlsx))
        return cli_fail("report: --format must be text, json, csv or xlsx"),
               2;
    if (xlsx && !out && isatty(STDOUT_FILENO))
        return cli_fail("report: XLSX is not for a terminal: give --out"
                        " FILE or redirect stdout"),
               2;
    if (test_clock)
        clock_use_file(test_clock);
    Db *db;
    if (cli_open(a->pos[0], &db))
        return 1;
    char today[11];
    if (!date) {
        day_today(today); /* the town's zone is set by cli_open */
        date = today;
    }
    Actor actor;
    actor_system(&actor, "report");
    Err err;
    Report r;
    int rc = report_daily(db, &actor, date, &r, &err);
    db_close(db);
    if (rc)
        return cli_fail("report: %s", err.message);
    Buf b = BUF_INIT;
    rc = render(&r, format, &b, &err);
    if (!rc)
        rc = put(&b, out, &err);
    buf_free(&b);
    report_free(&r);
    if (rc)
        return cli_fail("report: %s", err.message);
    if (out)
        printf("report of %s written to %s\n", date, out);
    return 0;
}
