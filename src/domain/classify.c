/* classify.c — which measure the policy gives a person (see people.h).
 *
 * A person's kinds come from their returned travels (the origin's risk on
 * the day they left), a travel with contact with a case, and their
 * contact links (exposed to a case: close contact; exposed to a close
 * contact: contact of a contact).  Of the kinds that apply, the one whose
 * policy measure is strongest wins, then the longer period.  A change to
 * a person can change the people exposed to them, two links deep. */
#include <stdio.h>
#include <string.h>

#include "../base/clock.h"
#include "audit.h"
#include "people_internal.h"
#include "regions.h"


static int measure_rank(const char *m)
{
    for (int i = 0; PEOPLE_MEASURES[i]; i++)
        if (strcmp(m, PEOPLE_MEASURES[i]) == 0)
            return i;
    return 0;
}

static void add_reason(Classification *c, const char *kind)
{
    for (int i = 0; i < c->nreasons; i++)
        if (strcmp(c->reasons[i], kind) == 0)
            return;
    if (c->nreasons < 5)
        snprintf(c->reasons[c->nreasons++], sizeof c->reasons[0], "%s",
                 kind);
}

/* Collect the kinds that apply to person id into c->reasons. */
static int collect_kinds(Db *db, int64_t id, Classification *c, Err *err)
{
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT risk_level, contact_with_case FROM travels"
                 " WHERE person_id = ?1 AND status = 'returned'",
                 "i", id))
        return -1;
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        const char *risk = db_text(st, 0);
        if (strcmp(risk, "none") != 0) {
            char kind[24];
            snprintf(kind, sizeof kind, "returnee_%s", risk);
            add_reason(c, kind);
        }
        if (db_int(st, 1))
            add_reason(c, "close_contact");
    }
    db_done(st);
    if (rc == DB_ERROR)
        return -1;
    if (db_query(db, &st, err,
                 "SELECT s.is_case, COALESCE(s.kind, '') FROM contacts c"
                 " JOIN people s ON s.id = c.source_id"
                 " WHERE c.person_id = ?1",
                 "i", id))
        return -1;
    while ((rc = db_step(st, err)) == DB_ROW) {
        if (db_int(st, 0))
            add_reason(c, "close_contact");
        else if (strcmp(db_text(st, 1), "close_contact") == 0)
            add_reason(c, "contact_of_contact");
    }
    db_done(st);
    return rc == DB_ERROR ? -1 : 0;
}

/* Pick the strongest policy among c->reasons into kind/measure/period. */
static int choose(Db *db, Classification *c, Err *err)
{
    snprintf(c->measure, sizeof c->measure, "none");
    c->kind[0] = '\0';
    c->period_days = 0;
    for (int i = 0; i < c->nreasons; i++) {
        DbStmt *st;
        if (db_query(db, &st, err,
                     "SELECT measure, period_days, slots_per_day"
                     " FROM policies WHERE kind = ?1",
                     "t", c->reasons[i]))
            return -1;
        int rc = db_step(st, err);
        if (rc == DB_ROW) {
            const char *m = db_text(st, 0);
            int days = (int)db_int(st, 1);
            int r = measure_rank(m), best = measure_rank(c->measure);
            if (!c->kind[0] || r > best ||
                (r == best && days > c->period_days)) {
                memcpy(c->kind, c->reasons[i], sizeof c->kind);
                snprintf(c->measure, sizeof c->measure, "%s", m);
                c->period_days = days;
                c->slots_per_day = (int)db_int(st, 2);
            }
        }
        db_done(st);
        if (rc == DB_ERROR)
            return -1;
    }
    return 0;
}

/* Reclassify person id; depth limits how far the change spreads along
 * the people exposed to them. */
static int classify_at(Db *db, int64_t id, int depth, Classification *out,
                       Err *err)
{
    Classification c;
    memset(&c, 0, sizeof c);
    if (collect_kinds(db, id, &c, err) || choose(db, &c, err))
        return -1;
    if (db_run(db, err,
               "UPDATE people SET kind = ?2, measure = ?3, period_days = ?4"
               " WHERE id = ?1",
               "itti", id, c.kind[0] ? c.kind : NULL, c.measure,
               (int64_t)c.period_days))
        return -1;
    if (out)
        *out = c;
    if (depth <= 0)
        return 0;
    /* the people exposed to this one may change kind with it */
    DbStmt *st;
    int64_t exposed[256];
    int n = 0, rc;
    if (db_query(db, &st, err,
                 "SELECT person_id FROM contacts WHERE source_id = ?1"
                 " LIMIT 256",
                 "i", id))
        return -1;
    while ((rc = db_step(st, err)) == DB_ROW)
        exposed[n++] = db_int(st, 0);
    db_done(st);
    if (rc == DB_ERROR)
        return -1;
    for (int i = 0; i < n; i++)
        if (classify_at(db, exposed[i], depth - 1, NULL, err))
            return -1;
    return 0;
}

int people_classify(Db *db, int64_t id, Classification *cls, Err *err)
{
    return classify_at(db, id, 2, cls, err);
}

int policies_list(Db *db, int (*each)(void *ctx, const Policy *p),
                  void *ctx, Err *err)
{
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT kind, measure, period_days, slots_per_day"
                 " FROM policies ORDER BY kind",
                 ""))
        return -1;
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        Policy p = {db_text(st, 0), db_text(st, 1), (int)db_int(st, 2),
                    (int)db_int(st, 3)};
        if (each(ctx, &p))
            break;
    }
    db_done(st);
    return rc == DB_ERROR ? -1 : 0;
}

int policies_update(Db *db, const Actor *a, const char *kind,
                    const char *measure, int period_days, int slots_per_day,
                    Err *err)
{
    /* the policy applies to every village */
    if (actor_require_town(a, "sets the policy", err))
        return -1;
    if (!people_in_list(kind, PEOPLE_KINDS))
        return err_set(err, 404, "not_found", NULL, "no such kind");
    if (measure && !people_in_list(measure, PEOPLE_MEASURES))
        return err_set(err, 422, "invalid_field", "measure",
                       "measure must be home_isolation, home_monitoring,"
                       " central_isolation or none");
    if (period_days != -1 && (period_days < 0 || period_days > 60))
        return err_set(err, 422, "invalid_field", "period_days",
                       "period_days must be 0 to 60");
    if (slots_per_day != -1 && slots_per_day != 1 && slots_per_day != 2)
        return err_set(err, 422, "invalid_field", "slots_per_day",
                       "slots_per_day must be 1 or 2");
    if (db_run(db, err,
               "UPDATE policies SET measure = COALESCE(?2, measure),"
               " period_days = CASE WHEN ?3 < 0 THEN period_days ELSE ?3 END,"
               " slots_per_day = CASE WHEN ?4 < 0 THEN slots_per_day"
               "   ELSE ?4 END"
               " WHERE kind = ?1",
               "tti" "i", kind, measure, (int64_t)period_days,
               (int64_t)slots_per_day))
        return -1;
    /* everyone with a kind is reclassified: a person with several kinds
     * may now fall under another one (a rare, deliberate admin act) */
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT id FROM people WHERE kind IS NOT NULL", ""))
        return -1;
    int rc;
    Buf ids = BUF_INIT;
    while ((rc = db_step(st, err)) == DB_ROW) {
        int64_t id = db_int(st, 0);
        buf_append(&ids, &id, sizeof id);
    }
    db_done(st);
    for (size_t i = 0; rc != DB_ERROR && i < ids.len / sizeof(int64_t); i++)
        if (classify_at(db, ((int64_t *)ids.p)[i], 0, NULL, err))
            rc = DB_ERROR;
    buf_free(&ids);
    if (rc == DB_ERROR)
        return -1;
    char summary[96];
    snprintf(summary, sizeof summary, "%s: %s %d", kind,
             measure ? measure : "-", period_days);
    return audit_record(db, a, "update", "policy", 0, summary, NULL, summary,
                        err);
}

int people_refresh_risk(Db *db, const char *region_code,
                        int (*changed)(void *ctx, int64_t person_id,
                                       const Classification *cls, Err *err),
                        void *ctx, Err *err)
{
    char lo[7], hi[7];
    regions_code_range(region_code, lo, hi);
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT id, person_id, origin_code,"
                 " COALESCE(left_date, return_date, ''), risk_level"
                 " FROM travels WHERE origin_code >= ?1 AND origin_code < ?2",
                 "tt", lo, hi))
        return -1;
    /* gather first: the statement cannot stay open while we write */
    typedef struct Row {
        int64_t id, person;
        char code[7], day[11], risk[8];
    } Row;
    Buf rows = BUF_INIT;
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        Row r = {db_int(st, 0), db_int(st, 1), "", "", ""};
        snprintf(r.code, sizeof r.code, "%s", db_text(st, 2));
        snprintf(r.day, sizeof r.day, "%s", db_text(st, 3));
        snprintf(r.risk, sizeof r.risk, "%s", db_text(st, 4));
        buf_append(&rows, &r, sizeof r);
    }
    db_done(st);
    size_t n = rows.len / sizeof(Row);
    for (size_t i = 0; rc != DB_ERROR && i < n; i++) {
        Row *r = (Row *)rows.p + i;
        char risk[8], today[11];
        people_today(today);
        if (risk_level_on(db, r->code, r->day[0] ? r->day : today, risk,
                          err))
            rc = DB_ERROR;
        else if (strcmp(risk, r->risk) != 0) {
            Classification cls;
            if (db_run(db, err,
                       "UPDATE travels SET risk_level = ?2 WHERE id = ?1",
                       "it", r->id, risk) ||
                classify_at(db, r->person, 2, &cls, err) ||
                (changed && changed(ctx, r->person, &cls, err)))
                rc = DB_ERROR;
        }
    }
    buf_free(&rows);
    return rc == DB_ERROR ? -1 : 0;
}
