/* report_series_api.c — GET /api/v1/reports/series: the daily report's
 * key figures for each of the N days ending at D (the dashboard's lines;
 * docs/api.md, docs/report.md).  The cost is N reports. */
#include "../base/validate.h"
#include "../domain/report_series.h"
#include "api.h"

void api_report_series(Req *r)
{
    const char *to = req_query(r, "to");
    char today[11];
    int64_t days = 30;
    Err err;
    if (to && *to && validate_date(to, "to", NULL, &err)) {
        resp_fail(r, 400, "invalid_query", "to", "to must be YYYY-MM-DD");
        return;
    }
    if (req_query_int(r, "days", 1, REPORT_SERIES_MAX, &days))
        return;
    if (!to || !*to) {
        day_today(today);
        to = today;
    }
    ReportDay series[REPORT_SERIES_MAX];
    if (report_series(req_db(r), &r->actor, to, (int)days, series, &err)) {
        if (err.status == 422) /* a query value the domain refused */
            resp_fail(r, 400, "invalid_query", err.field, err.message);
        else
            resp_error(r, &err);
        return;
    }
    Jw w;
    resp_begin(r, 200, &w);
    jw_object(&w);
    jw_kstr(&w, "to", to);
    jw_kint(&w, "days", days);
    jw_key(&w, "series");
    jw_array(&w);
    for (int i = 0; i < days; i++) {
        const ReportDay *d = &series[i];
        jw_object(&w);
        jw_kstr(&w, "date", d->date);
        jw_kint(&w, "returnees_total", d->returnees_total);
        jw_kint(&w, "returnees_new", d->returnees_new);
        jw_kint(&w, "observation_current", d->observation_current);
        jw_kint(&w, "checks_done", d->checks_done);
        jw_kint(&w, "checks_missed", d->checks_missed);
        jw_kint(&w, "fever", d->fever);
        jw_kint(&w, "passes", d->passes);
        jw_kint(&w, "persons", d->persons);
        jw_object_end(&w);
    }
    jw_array_end(&w);
    jw_object_end(&w);
}
