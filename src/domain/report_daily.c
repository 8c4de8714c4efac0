/* report_daily.c — computes the daily dispatch report (see report.h,
 * docs/report.md "How it is computed").
 *
 * Each figure is an aggregate grouped by village, added into the row of
 * its village in C (villages outside the actor's scope have no row and
 * are dropped).  What accumulates over the history (returnees, released
 * measures, m² disinfected) is read from the tallies of migration 007,
 * kept by triggers: one row per village, its latest on or before the day.
 * The figures of the day alone come from the day's tallies or from index
 * ranges over the day's records; the observation pass is report_obs.c.
 * None of it reads more than the day's records and one row per village,
 * except the few returned travels with no return date and the close
 * contacts.  Records with no village (a free-text disinfection place)
 * count for the town only, and only in a town-wide report. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../base/clock.h"
#include "../base/validate.h"
#include "report_internal.h"

/* The UTC bounds [from, to) of the town's calendar day. */
static int day_bounds_utc(const char *day, char from[21], char to[21])
{
    int ymd;
    Err e;
    if (validate_date(day, "date", &ymd, &e))
        return -1;
    for (int k = 0; k < 2; k++) {
        struct tm tm = {0};
        tm.tm_year = ymd / 10000 - 1900;
        tm.tm_mon = ymd / 100 % 100 - 1;
        tm.tm_mday = ymd % 100 + k;
        tm.tm_isdst = -1;
        time_t t = mktime(&tm); /* local midnight in the town's zone */
        clock_iso_utc(t, k ? to : from);
    }
    return 0;
}

static int cmp_village(const void *k, const void *e)
{
    int64_t id = *(const int64_t *)k;
    int64_t v = ((const ReportVillage *)e)->village_id;
    return id < v ? -1 : id > v;
}

ReportCounts *report_counts_of(ReportCtx *c, int64_t village_id)
{
    if (!village_id)
        return c->scope_all ? &c->town : NULL;
    if (c->by_id)
        return village_id > 0 && village_id <= c->max_id
                   ? c->by_id[village_id]
                   : NULL;
    ReportVillage *v = bsearch(&village_id, c->r->vbuf.p,
                               c->r->vbuf.len / sizeof(ReportVillage),
                               sizeof(ReportVillage), cmp_village);
    return v ? &v->c : NULL;
}

int report_grouped(ReportCtx *c, ReportRowFn fn, DbStmt *st, Err *err)
{
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        ReportCounts *k = report_counts_of(c, db_int(st, 0));
        if (k)
            fn(k, st);
    }
    db_done(st);
    return rc == DB_ERROR ? -1 : 0;
}

void report_counts_add(ReportCounts *t, const ReportCounts *c)
{
    t->points += c->points;
    t->returnees_total += c->returnees_total;
    t->returnees_new += c->returnees_new;
    t->from_wuhan += c->from_wuhan;
    t->from_hubei += c->from_hubei;
    t->from_high_risk += c->from_high_risk;
    t->screened += c->screened;
    t->obs_current += c->obs_current;
    t->obs_new += c->obs_new;
    t->released += c->released;
    t->released_total += c->released_total;
    t->checks_due += c->checks_due;
    t->checks_done += c->checks_done;
    t->checks_missed += c->checks_missed;
    t->visited += c->visited;
    t->fever += c->fever;
    t->contacts_total += c->contacts_total;
    t->contacts_observed += c->contacts_observed;
    t->passes += c->passes;
    t->persons += c->persons;
    t->vehicles += c->vehicles;
    t->turned_back += c->turned_back;
    t->new_returnees += c->new_returnees;
    t->pass_fever += c->pass_fever;
    t->area += c->area;
    t->area_total += c->area_total;
    t->visits += c->visits;
    t->problems_open += c->problems_open;
}

static void row_points(ReportCounts *k, DbStmt *st)
{
    k->points += (long)db_int(st, 1);
}

/* tally_totals: what has accumulated by the end of the day */
static void row_totals(ReportCounts *k, DbStmt *st)
{
    k->returnees_total += (long)db_int(st, 1);
    k->screened += (long)db_int(st, 2);
    k->from_wuhan += (long)db_int(st, 3);
    k->from_hubei += (long)db_int(st, 4);
    k->from_high_risk += (long)db_int(st, 5);
    k->released_total += (long)db_int(st, 6);
    k->area_total += (double)db_int(st, 7) / 10.0;
}

/* tally_days: the day alone */
static void row_days(ReportCounts *k, DbStmt *st)
{
    k->released += (long)db_int(st, 1);
    k->passes += (long)db_int(st, 2);
    k->persons += (long)db_int(st, 3);
    k->vehicles += (long)db_int(st, 4);
    k->turned_back += (long)db_int(st, 5);
    k->new_returnees += (long)db_int(st, 6);
    k->pass_fever += (long)db_int(st, 7);
    k->area += (double)db_int(st, 8) / 10.0;
}

/* returnees counted by a returned travel with no date only */
static void row_undated(ReportCounts *k, DbStmt *st)
{
    k->returnees_total += (long)db_int(st, 1);
    k->from_wuhan += (long)db_int(st, 2);
    k->from_hubei += (long)db_int(st, 3);
    k->from_high_risk += (long)db_int(st, 4);
    k->screened += (long)db_int(st, 5);
}

static void row_returnees_new(ReportCounts *k, DbStmt *st)
{
    k->returnees_new += (long)db_int(st, 1);
}

static void row_obs_new(ReportCounts *k, DbStmt *st)
{
    k->obs_new += (long)db_int(st, 1);
}

static void row_fever(ReportCounts *k, DbStmt *st)
{
    k->fever += (long)db_int(st, 1);
}

static void row_visits(ReportCounts *k, DbStmt *st)
{
    k->visits += (long)db_int(st, 1);
}

static void row_problems(ReportCounts *k, DbStmt *st)
{
    k->problems_open += (long)db_int(st, 1);
}

/* A grouped query with text parameters, added with fn. */
static int grouped(Db *db, ReportCtx *c, ReportRowFn fn, Err *err,
                   const char *sql, const char *a, const char *b,
                   const char *d)
{
    DbStmt *st;
    const char *fmt = d ? "ttt" : b ? "tt" : a ? "t" : "";
    if (db_query(db, &st, err, sql, fmt, a, b, d))
        return -1;
    return report_grouped(c, fn, st, err);
}

/* The returnees of the day: a person (not merged away) with a returned
 * travel whose return date is on or before the day, or with no date and
 * registered by its end.  tally_totals holds the dated ones by their
 * first return; the undated ones (a few) are added here, each person
 * once; then those registered on the day. */
static int returnees(Db *db, ReportCtx *c, const char *day,
                     const char *from, const char *to, Err *err)
{
    return grouped(
               db, c, row_undated, err,
               "SELECT p.village_id,"
               " sum(CASE WHEN f.returned IS NULL OR f.returned > ?1"
               "  THEN 1 ELSE 0 END),"
               " sum(CASE WHEN u.wuhan = 1"
               "  AND (f.wuhan IS NULL OR f.wuhan > ?1) THEN 1 ELSE 0 END),"
               " sum(CASE WHEN u.hubei = 1"
               "  AND (f.hubei IS NULL OR f.hubei > ?1) THEN 1 ELSE 0 END),"
               " sum(CASE WHEN u.high = 1"
               "  AND (f.high IS NULL OR f.high > ?1) THEN 1 ELSE 0 END),"
               " sum(CASE WHEN (f.returned IS NULL OR f.returned > ?1)"
               "  AND p.screening = 'confirmed' THEN 1 ELSE 0 END)"
               " FROM (SELECT person_id,"
               "  max(CASE WHEN substr(origin_code, 1, 4) = '4201'"
               "   THEN 1 ELSE 0 END) AS wuhan,"
               "  max(CASE WHEN substr(origin_code, 1, 2) = '42'"
               "   THEN 1 ELSE 0 END) AS hubei,"
               "  max(CASE WHEN risk_level = 'high' THEN 1 ELSE 0 END)"
               "   AS high"
               "  FROM travels WHERE status = 'returned'"
               "  AND return_date IS NULL AND created_at < ?2"
               "  GROUP BY person_id) u"
               " JOIN people p ON p.id = u.person_id"
               " LEFT JOIN tally_returnees f ON f.person_id = u.person_id"
               " WHERE p.merged_into IS NULL GROUP BY p.village_id",
               day, to, NULL) ||
           grouped(db, c, row_returnees_new, err,
                   "SELECT p.village_id, count(*) FROM people p"
                   " WHERE p.created_at >= ?2 AND p.created_at < ?3"
                   " AND p.merged_into IS NULL"
                   " AND (EXISTS (SELECT 1 FROM tally_returnees f"
                   "   WHERE f.person_id = p.id AND f.returned <= ?1)"
                   "  OR EXISTS (SELECT 1 FROM travels t"
                   "   WHERE t.person_id = p.id AND t.status = 'returned'"
                   "   AND t.return_date IS NULL AND t.created_at < ?3))"
                   " GROUP BY p.village_id",
                   day, from, to);
}

/* The tallies: each village's latest totals on or before the day (village
 * 0: records with no village), and the day's own row. */
static int tallies(Db *db, ReportCtx *c, const char *day, Err *err)
{
    return grouped(db, c, row_totals, err,
                   "SELECT v.id, t.returnees, t.screened, t.from_wuhan,"
                   " t.from_hubei, t.from_high_risk, t.released, t.area_dm"
                   " FROM (SELECT id FROM places WHERE type = 'village'"
                   "  UNION ALL SELECT 0) v"
                   " JOIN tally_totals t ON t.village_id = v.id"
                   " AND t.day = (SELECT max(x.day) FROM tally_totals x"
                   "  WHERE x.village_id = v.id AND x.day <= ?1)",
                   day, NULL, NULL) ||
           grouped(db, c, row_days, err,
                   "SELECT village_id, released, passes, persons, vehicles,"
                   " turned_back, new_returnees, pass_fever, area_dm"
                   " FROM tally_days WHERE day = ?1",
                   day, NULL, NULL);
}

/* The town's store by the end of the day: each item's latest tally on or
 * before it (quantities in thousandths). */
static int supplies_pass(Db *db, Report *r, const char *day, Err *err)
{
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT i.name, i.unit, COALESCE(t.received, 0),"
                 " COALESCE(t.issued, 0), COALESCE(t.stock, 0),"
                 " COALESCE(t.moves, 0), i.active"
                 " FROM supply_items i LEFT JOIN tally_supplies t"
                 " ON t.item_id = i.id AND t.day = (SELECT max(x.day)"
                 "  FROM tally_supplies x WHERE x.item_id = i.id"
                 "  AND x.day <= ?1)"
                 " ORDER BY i.id",
                 "t", day))
        return -1;
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        if (!db_int(st, 6) && !db_int(st, 5))
            continue; /* a retired item never used */
        ReportSupply s = {arena_strdup(&r->arena, db_text(st, 0)),
                          arena_strdup(&r->arena, db_text(st, 1)),
                          (double)db_int(st, 2) / 1000.0,
                          (double)db_int(st, 3) / 1000.0,
                          (double)db_int(st, 4) / 1000.0};
        buf_append(&r->sbuf, &s, sizeof s);
    }
    db_done(st);
    return rc == DB_ERROR ? -1 : 0;
}

/* Inspection rounds are the town's (created town-wide). */
static int rounds(Db *db, Report *r, const char *day, Err *err)
{
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT count(*), COALESCE(sum(CASE WHEN full_coverage <> 0"
                 "  THEN 1 ELSE 0 END), 0)"
                 " FROM inspection_rounds WHERE day <= ?1",
                 "t", day))
        return -1;
    int rc = db_step(st, err);
    if (rc == DB_ROW) {
        r->rounds_total = (long)db_int(st, 0);
        r->full_rounds_total = (long)db_int(st, 1);
    }
    db_done(st);
    return rc == DB_ERROR ? -1 : 0;
}

/* The villages' counters by id, for the passes that look one up per
 * measure: place ids are dense, so an array (unless they are not). */
static void index_villages(ReportCtx *c)
{
    size_t n = c->r->vbuf.len / sizeof(ReportVillage);
    ReportVillage *v = (ReportVillage *)c->r->vbuf.p;
    if (!n || v[n - 1].village_id > 16 * 1024 * 1024)
        return;
    c->max_id = v[n - 1].village_id;
    c->by_id = calloc((size_t)c->max_id + 1, sizeof *c->by_id);
    for (size_t i = 0; c->by_id && i < n; i++)
        if (v[i].village_id > 0)
            c->by_id[v[i].village_id] = &v[i].c;
}

static int villages(Db *db, const Actor *a, Report *r, Err *err)
{
    DbStmt *st;
    /* inactive ones too: their records count */
    if (db_query(db, &st, err,
                 "SELECT id, name, active FROM places WHERE type = 'village'"
                 " AND (?1 = 1 OR id IN (SELECT village_id"
                 "  FROM account_villages WHERE account_id = ?2))"
                 " ORDER BY id",
                 "ii", (int64_t)a->scope_all, a->id))
        return -1;
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        ReportVillage v = {db_int(st, 0),
                           arena_strdup(&r->arena, db_text(st, 1)),
                           (int)db_int(st, 2), {0}};
        buf_append(&r->vbuf, &v, sizeof v);
        r->villages += v.active != 0;
    }
    db_done(st);
    return rc == DB_ERROR ? -1 : 0;
}

int report_daily(Db *db, const Actor *a, const char *day, Report *r,
                 Err *err)
{
    memset(r, 0, sizeof *r);
    char from[21], to[21];
    if (!day || strlen(day) != 10 || day_bounds_utc(day, from, to))
        return err_set(err, 422, "invalid_date", "date",
                       "date must be a real day, YYYY-MM-DD");
    memcpy(r->date, day, 11);
    ReportCtx c = {r, {0}, a->scope_all, NULL, 0};
    if (db_one_text(db, err, r->town, sizeof r->town,
                    "SELECT name FROM town WHERE id = 1", "") ||
        villages(db, a, r, err))
        goto fail;
    index_villages(&c);
    if (grouped(db, &c, row_points, err,
                "SELECT village_id, count(*) FROM places"
                " WHERE type = 'point' AND active = 1 GROUP BY village_id",
                NULL, NULL, NULL) ||
        tallies(db, &c, day, err) ||
        returnees(db, &c, day, from, to, err) ||
        grouped(db, &c, row_obs_new, err,
                "SELECT p.village_id, count(*)"
                " FROM measures m JOIN people p ON p.id = m.person_id"
                " WHERE m.created_at >= ?1 AND m.created_at < ?2"
                " GROUP BY p.village_id",
                from, to, NULL) ||
        report_observation(db, &c, day, to, err) ||
        grouped(db, &c, row_fever, err,
                "SELECT village_id, count(*) FROM alerts"
                " WHERE kind = 'fever' AND opened_at >= ?1"
                " AND opened_at < ?2 GROUP BY village_id",
                from, to, NULL) ||
        grouped(db, &c, row_visits, err,
                "SELECT village_id, count(*) FROM inspection_visits"
                " WHERE day = ?1 GROUP BY village_id",
                day, NULL, NULL) ||
        /* a problem is open at the end of the day when it was found by
         * then and neither fixed nor verified before the day ended */
        grouped(db, &c, row_problems, err,
                "SELECT village_id, count(*) FROM inspection_visits"
                " WHERE status IS NOT NULL AND day <= ?1"
                " AND (fixed_at IS NULL OR fixed_at >= ?2)"
                " AND (verified_at IS NULL OR verified_at >= ?2)"
                " GROUP BY village_id",
                day, to, NULL) ||
        rounds(db, r, day, err) ||
        /* supplies: the town's store, the same in every scope */
        supplies_pass(db, r, day, err))
        goto fail;

    r->by_village = (ReportVillage *)r->vbuf.p;
    r->nvillages = r->vbuf.len / sizeof(ReportVillage);
    r->supplies = (ReportSupply *)r->sbuf.p;
    r->nsupplies = r->sbuf.len / sizeof(ReportSupply);
    for (size_t i = 0; i < r->nvillages; i++)
        report_counts_add(&r->total, &r->by_village[i].c);
    report_counts_add(&r->total, &c.town);
    r->points = r->total.points;
    free(c.by_id);
    return 0;
fail:
    free(c.by_id);
    report_free(r);
    return -1;
}
