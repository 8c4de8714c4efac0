/* report_api.c — GET /api/v1/reports/daily: the daily dispatch report
 * (docs/report.md), written by report_write like `fangyi report`; and
 * GET /api/v1/reports/daily/export: the same as CSV or XLSX, written by
 * report_sheet like `fangyi report --format csv|xlsx`. */
#include <string.h>

#include "../domain/observation.h"
#include "../domain/report.h"
#include "../domain/report_sheet.h"
#include "api.h"

/* The report of ?date= (default today) for the caller's scope into rep;
 * -1 after answering (400 invalid_query for a date that is not
 * YYYY-MM-DD). */
static int report_of_query(Req *r, Report *rep)
{
    const char *date = req_query(r, "date");
    char today[11], probe[11];
    if (date && *date && (strlen(date) != 10 || day_add(date, 0, probe) ||
                          strcmp(date, probe))) {
        resp_fail(r, 400, "invalid_query", "date", "date must be YYYY-MM-DD");
        return -1;
    }
    if (!date || !*date) {
        day_today(today);
        date = today;
    }
    Err err;
    if (report_daily(req_db(r), &r->actor, date, rep, &err)) {
        resp_error(r, &err);
        return -1;
    }
    return 0;
}

void api_report_daily(Req *r)
{
    Report rep;
    if (report_of_query(r, &rep))
        return;
    Jw w;
    resp_begin(r, 200, &w);
    report_write(&w, &rep);
    report_free(&rep);
}

void api_report_export(Req *r)
{
    int xlsx;
    if (report_sheet_format(req_query(r, "format"), &xlsx)) {
        resp_fail(r, 400, "invalid_query", "format",
                  "format must be csv or xlsx");
        return;
    }
    Report rep;
    if (report_of_query(r, &rep))
        return;
    Err err;
    Buf file = BUF_INIT, name = BUF_INIT;
    if (report_sheet(&rep, xlsx, &file, &err)) {
        resp_error(r, &err);
    } else {
        report_sheet_filename(&rep, xlsx, &name);
        resp_export_buf(r, name.p, xlsx, &file);
    }
    buf_free(&file);
    buf_free(&name);
    report_free(&rep);
}
