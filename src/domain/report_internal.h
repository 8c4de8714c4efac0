/* report_internal.h — what the parts of the daily report's computation
 * share (report_daily.c, report_obs.c): the villages' counters being
 * filled and the grouped-query helper. */
#ifndef FANGYI_REPORT_INTERNAL_H
#define FANGYI_REPORT_INTERNAL_H

#include "report.h"

typedef struct ReportCtx {
    Report *r;
    ReportCounts town;    /* records with no village (town-wide only) */
    int scope_all;
    ReportCounts **by_id; /* the villages' counters by id (NULL: out of
                             scope), up to max_id; NULL: search vbuf */
    int64_t max_id;
} ReportCtx;

/* The counters of a village id (0: the town-level bucket, only in a
 * town-wide report), or NULL when the village is outside the scope. */
ReportCounts *report_counts_of(ReportCtx *c, int64_t village_id);

/* Steps st, whose first column is a village id, adding each row into the
 * village's counters with fn; rows of villages out of scope are dropped.
 * Finishes st. */
typedef void (*ReportRowFn)(ReportCounts *k, DbStmt *st);
int report_grouped(ReportCtx *c, ReportRowFn fn, DbStmt *st, Err *err);

/* report_observation adds the observation figures of day (the measures
 * covering it, their check slots, the people visited) and the close
 * contacts (total, under observation); to is the end of the day (UTC). */
int report_observation(Db *db, ReportCtx *c, const char *day,
                       const char *to, Err *err);

#endif
