/* report_series.c — the key figures of the daily report over a run of
 * days (see report_series.h): one report_daily per day. */
#include <string.h>

#include "../base/validate.h"
#include "observation.h"
#include "report_series.h"

int report_series(Db *db, const Actor *a, const char *to, int days,
                  ReportDay *out, Err *err)
{
    if (days < 1 || days > REPORT_SERIES_MAX)
        return err_set(err, 422, "invalid_field", "days",
                       "days must be from 1 to 90");
    char first[11];
    if (validate_date(to, "to", NULL, err))
        return -1;
    if (day_add(to, 1 - days, first) ||
        validate_date(first, "to", NULL, NULL))
        return err_set(err, 422, "invalid_date", "to",
                       "the days before to must be in 1900 or later");
    for (int i = 0; i < days; i++) {
        char day[11];
        Report rep;
        day_add(first, i, day);
        if (report_daily(db, a, day, &rep, err))
            return -1;
        const ReportCounts *t = &rep.total;
        ReportDay d = {.returnees_total = t->returnees_total,
                       .returnees_new = t->returnees_new,
                       .observation_current = t->obs_current,
                       .checks_done = t->checks_done,
                       .checks_missed = t->checks_missed,
                       .fever = t->fever,
                       .passes = t->passes,
                       .persons = t->persons};
        memcpy(d.date, day, sizeof d.date);
        out[i] = d;
        report_free(&rep);
    }
    return 0;
}
