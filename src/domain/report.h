/* report.h — the daily dispatch report (日报, 每日调度) for a calendar day
 * of the town: computed from the records, never typed in, and there for
 * every day (a day with no activity gives the zero report).
 *
 * The figures and their definitions are in docs/report.md.  A scoped
 * account's report covers its villages only.  The cost is a fixed number
 * of queries, none per village or per person, each reading one row per
 * village (the tallies of migration 007) or the day's own records
 * (docs/report.md, "How it is computed").
 *
 * report_write is the one writer of the report's JSON: the API
 * (GET /api/v1/reports/daily) and the CLI (fangyi report) both call it,
 * so both give the same figures in the same shape. */
#ifndef FANGYI_REPORT_H
#define FANGYI_REPORT_H

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/json.h"
#include "../db/db.h"
#include "actor.h"

/* One village's figures (or the totals, village_id 0). */
typedef struct ReportCounts {
    long points;
    long returnees_total, returnees_new, from_wuhan, from_hubei,
        from_high_risk, screened;
    long obs_current, obs_new, released, released_total, checks_due,
        checks_done, checks_missed, visited, fever;
    long contacts_total, contacts_observed;
    long passes, persons, vehicles, turned_back, new_returnees,
        pass_fever;
    double area, area_total;
    long visits, problems_open;
} ReportCounts;

typedef struct ReportVillage {
    int64_t village_id;
    const char *name;
    int active;
    ReportCounts c;
} ReportVillage;

typedef struct ReportSupply {
    const char *item, *unit;
    double received_total, issued_total, stock;
} ReportSupply;

typedef struct Report {
    char date[11];
    char town[4 * 64 + 1];          /* 64 characters (town.c) */
    long villages, points;          /* active, in scope */
    long rounds_total, full_rounds_total;
    ReportCounts total;
    ReportVillage *by_village;      /* villages in scope, by id */
    size_t nvillages;
    ReportSupply *supplies;
    size_t nsupplies;
    Arena arena;                    /* owned storage */
    Buf vbuf, sbuf;
} Report;

/* report_daily computes the report of day (YYYY-MM-DD; 422 invalid_date
 * otherwise) for the actor's scope.  Free with report_free. */
int report_daily(Db *db, const Actor *a, const char *day, Report *out,
                 Err *err);
void report_free(Report *r);
/* report_village_listed: whether a village row goes out (by_village, a
 * sheet of its own): active, or retired with a figure to report. */
int report_village_listed(const ReportVillage *v);
/* report_counts_add adds c's figures to t (the totals of villages, or of
 * towns). */
void report_counts_add(ReportCounts *t, const ReportCounts *c);

/* report_write writes the report as one JSON object (docs/report.md). */
void report_write(Jw *w, const Report *r);

#endif
