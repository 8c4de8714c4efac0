/* report_api.c — GET /api/v1/reports/daily: the daily dispatch report
 * (docs/report.md), written by report_write like `fangyi report`. */
#include <string.h>

#include "../domain/observation.h"
#include "../domain/report.h"
#include "api.h"

void api_report_daily(Req *r)
{
    const char *date = req_query(r, "date");
    char today[11], probe[11];
    if (date && *date && (strlen(date) != 10 || day_add(date, 0, probe) ||
                          strcmp(date, probe))) {
        resp_fail(r, 400, "invalid_query", "date", "date must be YYYY-MM-DD");
        return;
    }
    if (!date || !*date) {
        day_today(today);
        date = today;
    }
    Report rep;
    Err err;
    if (report_daily(req_db(r), &r->actor, date, &rep, &err)) {
        resp_error(r, &err);
        return;
    }
    Jw w;
    resp_begin(r, 200, &w);
    report_write(&w, &rep);
    report_free(&rep);
}
