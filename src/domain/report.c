/* report.c — the daily dispatch report (see report.h, docs/report.md).
 *
 * Each figure is an aggregate grouped by village, added into the row of
 * its village in C (villages outside the actor's scope have no row and
 * are dropped).  Whether a measure covers the day and which slots of the
 * day are due is date arithmetic, done in C with day_add/day_diff like
 * board_rows, because date arithmetic in SQL is not portable.  Records
 * with no village (a free-text disinfection place) count for the town
 * only, and only in a town-wide report. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../base/clock.h"
#include "../base/validate.h"
#include "observation.h"
#include "observation_internal.h"
#include "report.h"

/* The UTC bounds [from, to) of the town's calendar day. */
static int day_bounds_utc(const char *day, char from[21], char to[21])
{
    int ymd;
    Err e;
    if (validate_date(day, "date", &ymd, &e))
        return -1;
    for (int k = 0; k < 2; k++) {
        char d[11];
        if (day_add(day, k, d))
            return -1;
        struct tm tm = {0};
        tm.tm_year = atoi(d) - 1900;
        tm.tm_mon = atoi(d + 5) - 1;
        tm.tm_mday = atoi(d + 8);
        tm.tm_isdst = -1;
        time_t t = mktime(&tm); /* local midnight in the town's zone */
        clock_iso_utc(t, k ? to : from);
    }
    return 0;
}

typedef struct Ctx {
    Report *r;
    ReportCounts town;    /* records with no village (town-wide only) */
    int scope_all;
} Ctx;

static int cmp_village(const void *k, const void *e)
{
    int64_t id = *(const int64_t *)k;
    int64_t v = ((const ReportVillage *)e)->village_id;
    return id < v ? -1 : id > v;
}

/* The counters of a village id (0 or NULL: the town-level bucket), or
 * NULL when the village is outside the scope. */
static ReportCounts *counts_of(Ctx *c, int64_t village_id)
{
    if (!village_id)
        return c->scope_all ? &c->town : NULL;
    ReportVillage *v = bsearch(&village_id, c->r->vbuf.p,
                               c->r->vbuf.len / sizeof(ReportVillage),
                               sizeof(ReportVillage), cmp_village);
    return v ? &v->c : NULL;
}

static void counts_add(ReportCounts *t, const ReportCounts *c)
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

/* Runs a grouped query whose first column is the village id; fn adds
 * the row into the village's counters. */
typedef void (*RowFn)(ReportCounts *c, DbStmt *st);

static int grouped(Db *db, Ctx *c, Err *err, RowFn fn, DbStmt *st)
{
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        ReportCounts *k = counts_of(c, db_int(st, 0));
        if (k)
            fn(k, st);
    }
    db_done(st);
    (void)db;
    return rc == DB_ERROR ? -1 : 0;
}

static void row_points(ReportCounts *k, DbStmt *st)
{
    k->points += (long)db_int(st, 1);
}

static void row_returnees(ReportCounts *k, DbStmt *st)
{
    k->returnees_total += (long)db_int(st, 1);
    k->from_wuhan += (long)db_int(st, 2);
    k->from_hubei += (long)db_int(st, 3);
    k->from_high_risk += (long)db_int(st, 4);
    k->screened += (long)db_int(st, 5);
    k->returnees_new += (long)db_int(st, 6);
}

static void row_contacts(ReportCounts *k, DbStmt *st)
{
    k->contacts_total += (long)db_int(st, 1);
}

static void row_measures(ReportCounts *k, DbStmt *st)
{
    k->released += (long)db_int(st, 1);
    k->released_total += (long)db_int(st, 2);
    k->obs_new += (long)db_int(st, 3);
}

static void row_fever(ReportCounts *k, DbStmt *st)
{
    k->fever += (long)db_int(st, 1);
}

static void row_passes(ReportCounts *k, DbStmt *st)
{
    k->passes += (long)db_int(st, 1);
    k->persons += (long)db_int(st, 2);
    k->vehicles += (long)db_int(st, 3);
}

static void row_pass_people(ReportCounts *k, DbStmt *st)
{
    k->turned_back += (long)db_int(st, 1);
    k->new_returnees += (long)db_int(st, 2);
    k->pass_fever += (long)db_int(st, 3);
}

static void row_disinfection(ReportCounts *k, DbStmt *st)
{
    k->area += db_double(st, 1);
    k->area_total += db_double(st, 2);
}

static void row_visits(ReportCounts *k, DbStmt *st)
{
    k->visits += (long)db_int(st, 1);
    k->problems_open += (long)db_int(st, 2);
}

/* A person counts as a close contact on the day: exposed to someone (a
 * contacts row) on or before the day, or classified close_contact (a
 * travel with contact with a case) and registered by the end of the day.
 * ?1 is the day, ?2 the end of the day (UTC). */
#define IS_CONTACT                                                         \
    "(EXISTS (SELECT 1 FROM contacts k WHERE k.person_id = p.id"          \
    "  AND k.last_exposure <= ?1)"                                        \
    " OR (p.kind = 'close_contact' AND p.created_at < ?2))"

/* One pass over the measures that may cover the day: started on or
 * before it and not ended before it.  Sorted by person, so that a person
 * with two measures touching the day (one released on it, the next
 * started) counts once. */
static int measures_pass(Db *db, Ctx *c, const char *day, const char *to,
                         Err *err)
{
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT p.village_id, m.person_id, m.basis_date,"
                 " m.period_days, m.slots_per_day,"
                 " CASE WHEN m.end_date IS NULL OR m.end_date > ?1"
                 "  THEN 0 ELSE 1 END,"
                 " CASE WHEN EXISTS (SELECT 1 FROM checks x WHERE"
                 "  x.measure_id = m.id AND x.day = ?1 AND x.slot = 1)"
                 "  THEN 1 ELSE 0 END,"
                 " CASE WHEN EXISTS (SELECT 1 FROM checks x WHERE"
                 "  x.measure_id = m.id AND x.day = ?1 AND x.slot = 2)"
                 "  THEN 1 ELSE 0 END,"
                 " CASE WHEN " IS_CONTACT " THEN 1 ELSE 0 END"
                 " FROM measures m JOIN people p ON p.id = m.person_id"
                 " WHERE m.basis_date <= ?1"
                 " AND (m.end_date IS NULL OR m.end_date >= ?1)"
                 " ORDER BY m.person_id, m.id",
                 "tt", day, to))
        return -1;
    time_t now = clock_now();
    int64_t last_person = 0;
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        ReportCounts *k = counts_of(c, db_int(st, 0));
        if (!k)
            continue;
        int n = day_diff(db_text(st, 2), day) + 1;
        int period = (int)db_int(st, 3), per_day = (int)db_int(st, 4);
        if (n < 1 || n > period)
            continue; /* past its last day: release due, not observed */
        int ends_today = (int)db_int(st, 5);
        int done[2] = {(int)db_int(st, 6), (int)db_int(st, 7)};
        for (int s = 1; s <= per_day; s++) {
            /* a measure that ends on the day owes only the checks made */
            if (ends_today && !done[s - 1])
                continue;
            int state = obs_slot_state(day, s, done[s - 1], now);
            k->checks_due++;
            k->checks_done += state == 1;
            k->checks_missed += state == 2;
        }
        if (db_int(st, 1) == last_person)
            continue;
        last_person = db_int(st, 1);
        k->obs_current++;
        k->visited += done[0] || done[1];
        k->contacts_observed += db_int(st, 8) != 0;
    }
    db_done(st);
    return rc == DB_ERROR ? -1 : 0;
}

static int supplies_pass(Db *db, Report *r, const char *day, Err *err)
{
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT i.name, i.unit,"
                 " COALESCE(sum(CASE WHEN m.kind = 'receipt'"
                 "  OR o.kind = 'receipt' THEN m.delta ELSE 0 END), 0),"
                 " COALESCE(-sum(CASE WHEN m.kind = 'issue'"
                 "  OR o.kind = 'issue' THEN m.delta ELSE 0 END), 0),"
                 " COALESCE(sum(m.delta), 0), count(m.id), i.active"
                 " FROM supply_items i"
                 " LEFT JOIN supply_moves m ON m.item_id = i.id"
                 "  AND m.day <= ?1"
                 " LEFT JOIN supply_moves o ON o.id = m.reverses"
                 " GROUP BY i.id, i.name, i.unit, i.active ORDER BY i.id",
                 "t", day))
        return -1;
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        if (!db_int(st, 6) && !db_int(st, 5))
            continue; /* a retired item never used */
        ReportSupply s = {arena_strdup(&r->arena, db_text(st, 0)),
                          arena_strdup(&r->arena, db_text(st, 1)),
                          db_double(st, 2), db_double(st, 3),
                          db_double(st, 4)};
        buf_append(&r->sbuf, &s, sizeof s);
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
    Ctx c = {r, {0}, a->scope_all};
    DbStmt *st;
    int rc = 0;

    if (db_one_text(db, err, r->town, sizeof r->town,
                    "SELECT name FROM town WHERE id = 1", ""))
        return -1;
    /* the villages in scope (inactive ones too: their records count) */
    if (db_query(db, &st, err,
                 "SELECT id, name, active FROM places WHERE type = 'village'"
                 " AND (?1 = 1 OR id IN (SELECT village_id"
                 "  FROM account_villages WHERE account_id = ?2))"
                 " ORDER BY id",
                 "ii", (int64_t)a->scope_all, a->id))
        return -1;
    while ((rc = db_step(st, err)) == DB_ROW) {
        ReportVillage v = {db_int(st, 0),
                           arena_strdup(&r->arena, db_text(st, 1)),
                           (int)db_int(st, 2), {0}};
        buf_append(&r->vbuf, &v, sizeof v);
        r->villages += v.active != 0;
    }
    db_done(st);
    if (rc == DB_ERROR)
        goto fail;

    if (db_query(db, &st, err,
                 "SELECT village_id, count(*) FROM places"
                 " WHERE type = 'point' AND active = 1 GROUP BY village_id",
                 "") ||
        grouped(db, &c, err, row_points, st))
        goto fail;

    /* returnees: a returned travel whose return date is on or before the
     * day (a return with no date: registered by the end of the day) */
    if (db_query(db, &st, err,
                 "SELECT p.village_id, count(*), sum(t.wuhan), sum(t.hubei),"
                 " sum(t.high),"
                 " sum(CASE WHEN p.screening = 'confirmed' THEN 1 ELSE 0 END),"
                 " sum(CASE WHEN p.created_at >= ?2 AND p.created_at < ?3"
                 "  THEN 1 ELSE 0 END)"
                 " FROM people p JOIN (SELECT person_id,"
                 "  max(CASE WHEN substr(origin_code, 1, 4) = '4201'"
                 "   THEN 1 ELSE 0 END) AS wuhan,"
                 "  max(CASE WHEN substr(origin_code, 1, 2) = '42'"
                 "   THEN 1 ELSE 0 END) AS hubei,"
                 "  max(CASE WHEN risk_level = 'high' THEN 1 ELSE 0 END)"
                 "   AS high"
                 "  FROM travels WHERE status = 'returned'"
                 "  AND (return_date <= ?1 OR (return_date IS NULL"
                 "   AND created_at < ?3))"
                 "  GROUP BY person_id) t ON t.person_id = p.id"
                 " WHERE p.merged_into IS NULL GROUP BY p.village_id",
                 "ttt", day, from, to) ||
        grouped(db, &c, err, row_returnees, st))
        goto fail;

    if (db_query(db, &st, err,
                 "SELECT p.village_id, count(*) FROM people p"
                 " WHERE p.merged_into IS NULL AND " IS_CONTACT
                 " GROUP BY p.village_id",
                 "tt", day, to) ||
        grouped(db, &c, err, row_contacts, st))
        goto fail;

    if (db_query(db, &st, err,
                 "SELECT p.village_id,"
                 " sum(CASE WHEN m.status = 'released' AND m.end_date = ?1"
                 "  THEN 1 ELSE 0 END),"
                 " sum(CASE WHEN m.status = 'released' AND m.end_date <= ?1"
                 "  THEN 1 ELSE 0 END),"
                 " sum(CASE WHEN m.created_at >= ?2 AND m.created_at < ?3"
                 "  THEN 1 ELSE 0 END)"
                 " FROM measures m JOIN people p ON p.id = m.person_id"
                 " WHERE (m.status = 'released' AND m.end_date <= ?1)"
                 "  OR (m.created_at >= ?2 AND m.created_at < ?3)"
                 " GROUP BY p.village_id",
                 "ttt", day, from, to) ||
        grouped(db, &c, err, row_measures, st))
        goto fail;

    if (measures_pass(db, &c, day, to, err))
        goto fail;

    if (db_query(db, &st, err,
                 "SELECT village_id, count(*) FROM alerts WHERE kind = 'fever'"
                 " AND opened_at >= ?1 AND opened_at < ?2"
                 " GROUP BY village_id",
                 "tt", from, to) ||
        grouped(db, &c, err, row_fever, st))
        goto fail;

    if (db_query(db, &st, err,
                 "SELECT village_id, count(*), sum(persons),"
                 " sum(CASE WHEN vehicle <> 'on_foot' THEN 1 ELSE 0 END)"
                 " FROM passes WHERE day = ?1 GROUP BY village_id",
                 "t", day) ||
        grouped(db, &c, err, row_passes, st))
        goto fail;

    if (db_query(db, &st, err,
                 "SELECT s.village_id,"
                 " sum(CASE WHEN x.outcome = 'turned_back' THEN 1 ELSE 0 END),"
                 " sum(CASE WHEN x.outcome = 'new_returnee' THEN 1 ELSE 0 END),"
                 " sum(CASE WHEN x.fever <> 0 THEN 1 ELSE 0 END)"
                 " FROM passes s JOIN pass_people x ON x.pass_id = s.id"
                 " WHERE s.day = ?1 GROUP BY s.village_id",
                 "t", day) ||
        grouped(db, &c, err, row_pass_people, st))
        goto fail;

    if (db_query(db, &st, err,
                 "SELECT COALESCE(village_id, 0),"
                 " sum(CASE WHEN day = ?1 THEN area ELSE 0 END), sum(area)"
                 " FROM disinfections WHERE day <= ?1"
                 " GROUP BY COALESCE(village_id, 0)",
                 "t", day) ||
        grouped(db, &c, err, row_disinfection, st))
        goto fail;

    /* a problem is open at the end of the day when it was found by then
     * and neither fixed nor verified before the day ended */
    if (db_query(db, &st, err,
                 "SELECT village_id,"
                 " sum(CASE WHEN day = ?1 THEN 1 ELSE 0 END),"
                 " sum(CASE WHEN status IS NOT NULL"
                 "  AND (fixed_at IS NULL OR fixed_at >= ?2)"
                 "  AND (verified_at IS NULL OR verified_at >= ?2)"
                 "  THEN 1 ELSE 0 END)"
                 " FROM inspection_visits WHERE day <= ?1"
                 " GROUP BY village_id",
                 "tt", day, to) ||
        grouped(db, &c, err, row_visits, st))
        goto fail;

    /* inspection rounds are the town's (created town-wide) */
    if (db_query(db, &st, err,
                 "SELECT count(*), COALESCE(sum(CASE WHEN full_coverage <> 0"
                 "  THEN 1 ELSE 0 END), 0)"
                 " FROM inspection_rounds WHERE day <= ?1",
                 "t", day))
        goto fail;
    if ((rc = db_step(st, err)) == DB_ROW) {
        r->rounds_total = (long)db_int(st, 0);
        r->full_rounds_total = (long)db_int(st, 1);
    }
    db_done(st);
    if (rc == DB_ERROR)
        goto fail;

    /* supplies: the town's store, the same in every scope */
    if (supplies_pass(db, r, day, err))
        goto fail;

    r->by_village = (ReportVillage *)r->vbuf.p;
    r->nvillages = r->vbuf.len / sizeof(ReportVillage);
    r->supplies = (ReportSupply *)r->sbuf.p;
    r->nsupplies = r->sbuf.len / sizeof(ReportSupply);
    for (size_t i = 0; i < r->nvillages; i++)
        counts_add(&r->total, &r->by_village[i].c);
    counts_add(&r->total, &c.town);
    r->points = r->total.points;
    return 0;
fail:
    report_free(r);
    return -1;
}

void report_free(Report *r)
{
    arena_free(&r->arena);
    buf_free(&r->vbuf);
    buf_free(&r->sbuf);
    r->by_village = NULL;
    r->supplies = NULL;
    r->nvillages = r->nsupplies = 0;
}

/* A share with one decimal; nothing to count is 100.0. */
static void write_pct(Jw *w, const char *key, long num, long den)
{
    jw_key(w, key);
    jw_double(w, den ? (double)(num * 1000 / den +
                                (num * 1000 % den * 2 >= den)) / 10.0
                     : 100.0,
              1);
}

static void write_area(Jw *w, const char *key, double v)
{
    jw_key(w, key);
    jw_double(w, v, 1);
}

/* A quantity: whole numbers as integers, else up to 3 decimals. */
static void write_qty(Jw *w, const char *key, double v)
{
    jw_key(w, key);
    if (v == (double)(int64_t)v)
        jw_int(w, (int64_t)v);
    else
        jw_double(w, v, 3);
}

static int row_empty(const ReportCounts *c)
{
    static const ReportCounts zero;
    return !memcmp(c, &zero, sizeof zero);
}

int report_village_listed(const ReportVillage *v)
{
    return v->active || !row_empty(&v->c);
}

void report_write(Jw *w, const Report *r)
{
    const ReportCounts *t = &r->total;
    jw_object(w);
    jw_kstr(w, "date", r->date);
    jw_kstr(w, "town", r->town);
    jw_kint(w, "villages", r->villages);
    jw_kint(w, "points", r->points);

    jw_key(w, "returnees");
    jw_object(w);
    jw_kint(w, "total", t->returnees_total);
    jw_kint(w, "new", t->returnees_new);
    jw_kint(w, "from_wuhan", t->from_wuhan);
    jw_kint(w, "from_hubei", t->from_hubei);
    jw_kint(w, "from_high_risk", t->from_high_risk);
    jw_object_end(w);

    jw_key(w, "observation");
    jw_object(w);
    jw_kint(w, "current", t->obs_current);
    jw_kint(w, "new", t->obs_new);
    jw_kint(w, "released", t->released);
    jw_kint(w, "released_total", t->released_total);
    jw_kint(w, "checks_due", t->checks_due);
    jw_kint(w, "checks_done", t->checks_done);
    jw_kint(w, "checks_missed", t->checks_missed);
    jw_kint(w, "fever", t->fever);
    jw_object_end(w);

    jw_key(w, "close_contacts");
    jw_object(w);
    jw_kint(w, "total", t->contacts_total);
    jw_kint(w, "under_observation", t->contacts_observed);
    jw_object_end(w);

    jw_key(w, "coverage");
    jw_object(w);
    write_pct(w, "screened_pct", t->screened, t->returnees_total);
    jw_kint(w, "screened", t->screened);
    jw_kint(w, "screened_of", t->returnees_total);
    write_pct(w, "visited_pct", t->visited, t->obs_current);
    jw_kint(w, "visited", t->visited);
    jw_kint(w, "visited_of", t->obs_current);
    write_pct(w, "contacts_observed_pct", t->contacts_observed,
              t->contacts_total);
    jw_kint(w, "contacts_observed", t->contacts_observed);
    jw_kint(w, "contacts_observed_of", t->contacts_total);
    jw_object_end(w);

    jw_key(w, "checkpoints");
    jw_object(w);
    jw_kint(w, "passes", t->passes);
    jw_kint(w, "persons", t->persons);
    jw_kint(w, "vehicles", t->vehicles);
    jw_kint(w, "turned_back", t->turned_back);
    jw_kint(w, "new_returnees", t->new_returnees);
    jw_kint(w, "fever", t->pass_fever);
    jw_object_end(w);

    jw_key(w, "disinfection");
    jw_object(w);
    write_area(w, "area_m2", t->area);
    write_area(w, "area_m2_total", t->area_total);
    jw_object_end(w);

    jw_key(w, "inspections");
    jw_object(w);
    jw_kint(w, "rounds_total", r->rounds_total);
    jw_kint(w, "full_rounds_total", r->full_rounds_total);
    jw_kint(w, "visits", t->visits);
    jw_kint(w, "problems_open", t->problems_open);
    jw_object_end(w);

    jw_key(w, "supplies");
    jw_array(w);
    for (size_t i = 0; i < r->nsupplies; i++) {
        const ReportSupply *s = &r->supplies[i];
        jw_object(w);
        jw_kstr(w, "item", s->item);
        jw_kstr(w, "unit", s->unit);
        write_qty(w, "received_total", s->received_total);
        write_qty(w, "issued_total", s->issued_total);
        write_qty(w, "stock", s->stock);
        jw_object_end(w);
    }
    jw_array_end(w);

    jw_key(w, "by_village");
    jw_array(w);
    for (size_t i = 0; i < r->nvillages; i++) {
        const ReportVillage *v = &r->by_village[i];
        const ReportCounts *c = &v->c;
        if (!v->active && row_empty(c))
            continue; /* a retired village with nothing to report */
        jw_object(w);
        jw_kint(w, "village_id", v->village_id);
        jw_kstr(w, "village", v->name);
        jw_kbool(w, "active", v->active);
        jw_kint(w, "points", c->points);
        jw_kint(w, "returnees_total", c->returnees_total);
        jw_kint(w, "returnees_new", c->returnees_new);
        jw_kint(w, "from_wuhan", c->from_wuhan);
        jw_kint(w, "from_hubei", c->from_hubei);
        jw_kint(w, "from_high_risk", c->from_high_risk);
        jw_kint(w, "observation_current", c->obs_current);
        jw_kint(w, "observation_new", c->obs_new);
        jw_kint(w, "released", c->released);
        jw_kint(w, "checks_due", c->checks_due);
        jw_kint(w, "checks_done", c->checks_done);
        jw_kint(w, "checks_missed", c->checks_missed);
        jw_kint(w, "fever", c->fever);
        jw_kint(w, "close_contacts", c->contacts_total);
        jw_kint(w, "contacts_under_observation", c->contacts_observed);
        jw_kint(w, "passes", c->passes);
        jw_kint(w, "persons", c->persons);
        write_area(w, "disinfection_area_m2", c->area);
        jw_kint(w, "inspection_visits", c->visits);
        jw_kint(w, "problems_open", c->problems_open);
        jw_object_end(w);
    }
    jw_array_end(w);
    jw_object_end(w);
}
