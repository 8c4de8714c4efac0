/* report_series.h — the daily report's key figures over a run of days
 * (the dashboard's lines): report_daily for each day, nothing else, so a
 * day of the series is exactly that day's report (docs/report.md).  The
 * cost is one report per day. */
#ifndef FANGYI_REPORT_SERIES_H
#define FANGYI_REPORT_SERIES_H

#include "report.h"

#define REPORT_SERIES_MAX 90

/* One day's figures, named as in the series' JSON (docs/api.md). */
typedef struct ReportDay {
    char date[11];
    long returnees_total, returnees_new, observation_current, checks_done,
        checks_missed, fever, passes, persons;
} ReportDay;

/* report_series fills out[0..days-1] with the days to-(days-1) .. to,
 * oldest first, each from report_daily for the actor's scope.  days is
 * 1..REPORT_SERIES_MAX (422 invalid_field "days" otherwise) and to a real
 * day (validate_date's 422 invalid_date, field "to"). */
int report_series(Db *db, const Actor *a, const char *to, int days,
                  ReportDay *out, Err *err);

#endif
