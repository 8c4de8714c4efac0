/* alerts.c — fever and missed-check alerts, their steps, the sweep that
 * finds missed checks, and the town's board (see observation.h). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/clock.h"
#include "../base/validate.h"
#include "audit.h"
#include "observation.h"
#include "observation_internal.h"
#include "people_internal.h"

enum { REPORT_WITHIN_SECONDS = 2 * 3600, SWEEP_DAYS_BACK = 3 };

#define ALERT_COLS                                                         \
    "x.id, x.kind, COALESCE(x.person_id, 0), COALESCE(x.measure_id, 0),"  \
    " COALESCE(p.name, x.subject), v.name, x.day, COALESCE(x.slot, 0),"   \
    " COALESCE(x.temperature, 0), x.symptoms, x.opened_at,"               \
    " x.reported_at, x.reported_by, x.referred_at, x.referred_to,"        \
    " x.outcome, x.outcome_at, x.closed, x.source, x.village_id,"         \
    " COALESCE(x.place_id, 0)"
#define ALERT_FROM                                                         \
    " FROM alerts x LEFT JOIN people p ON p.id = x.person_id"             \
    " JOIN places v ON v.id = x.village_id"

static void alert_from_row(DbStmt *st, const char *cutoff, Alert *al)
{
    *al = (Alert){db_int(st, 0), db_text(st, 1), db_int(st, 2),
                  db_int(st, 3), db_text(st, 4), db_text(st, 5),
                  db_text(st, 6), (int)db_int(st, 7), db_double(st, 8),
                  db_text(st, 9), db_text(st, 10), db_text(st, 11),
                  db_text(st, 12), db_text(st, 13), db_text(st, 14),
                  db_text(st, 15), db_text(st, 16), (int)db_int(st, 17), 0};
    al->source = db_text(st, 18);
    al->village_id = db_int(st, 19);
    al->place_id = db_int(st, 20);
    /* a fever must be reported within two hours of the alert */
    al->overdue = !strcmp(al->kind, "fever") && !al->reported_at &&
                  strcmp(al->opened_at, cutoff) < 0;
}

static void report_cutoff(char cutoff[21])
{
    clock_iso_utc(clock_now() - REPORT_WITHIN_SECONDS, cutoff);
}

int alerts_list(Db *db, const Actor *a, const AlertFilter *f,
                int (*each)(void *ctx, const Alert *al), void *ctx,
                Err *err)
{
    if (f->kind && strcmp(f->kind, "fever") && strcmp(f->kind, "missed"))
        return err_set(err, 400, "invalid_query", "kind",
                       "kind must be fever or missed");
    char cutoff[21];
    report_cutoff(cutoff);
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT " ALERT_COLS ALERT_FROM
                 " WHERE (?1 = 1 OR x.village_id IN (SELECT village_id"
                 "  FROM account_villages WHERE account_id = ?2))"
                 " AND (?3 IS NULL OR x.kind = ?3)"
                 " AND (?4 = 0 OR x.closed = 0)"
                 " AND (?5 = 0 OR x.person_id = ?5)"
                 " AND (?6 = 0 OR x.id < ?6) AND (?8 = 0 OR x.id = ?8)"
                 " ORDER BY x.id DESC LIMIT ?7",
                 "iitiiiii", (int64_t)a->scope_all, a->id, f->kind,
                 (int64_t)f->open_only, f->person_id, f->after_id,
                 (int64_t)(f->limit > 0 ? f->limit : 100), f->id))
        return -1;
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        Alert al;
        alert_from_row(st, cutoff, &al);
        if (each(ctx, &al))
            break;
    }
    db_done(st);
    return rc == DB_ERROR ? -1 : 0;
}

int alerts_advance(Db *db, const Actor *a, int64_t alert_id,
                   const char *step, const char *to, const char *outcome,
                   Err *err)
{
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT x.kind, COALESCE(x.person_id, 0), x.village_id,"
                 " x.reported_at IS NOT NULL, x.referred_at IS NOT NULL,"
                 " x.closed FROM alerts x WHERE x.id = ?1",
                 "i", alert_id))
        return -1;
    char kind[8] = "";
    int64_t person = 0, village = 0;
    int reported = 0, referred = 0, closed = 0;
    int rc = db_step(st, err);
    if (rc == DB_ROW) {
        snprintf(kind, sizeof kind, "%s", db_text(st, 0));
        person = db_int(st, 1);
        village = db_int(st, 2);
        reported = (int)db_int(st, 3);
        referred = (int)db_int(st, 4);
        closed = (int)db_int(st, 5);
    }
    db_done(st);
    if (rc == DB_ERROR)
        return -1;
    if (rc == DB_DONE || !actor_in_scope(a, village))
        return err_set(err, 404, "not_found", NULL, "no such alert");
    if (closed)
        return err_set(err, 409, "conflict", NULL, "the alert is closed");
    char now[21];
    clock_now_iso(now);
    int fever = !strcmp(kind, "fever");
    if (!step)
        return err_set(err, 422, "missing_field", "step", "step is required");
    if (!strcmp(step, "report")) {
        if (!fever || reported)
            return err_set(err, 409, "conflict", "step",
                           fever ? "already reported"
                                 : "a missed check is closed, not reported");
        rc = db_run(db, err,
                    "UPDATE alerts SET reported_at = ?2, reported_by = ?3"
                    " WHERE id = ?1",
                    "itt", alert_id, now, a->display_name);
    } else if (!strcmp(step, "refer")) {
        if (!fever || !reported || referred)
            return err_set(err, 409, "conflict", "step",
                           "an alert is referred once, after the report");
        if (!to || validate_name(to, "to", 100, err))
            return to ? -1
                      : err_set(err, 422, "missing_field", "to",
                                "where the person was referred is required");
        rc = db_run(db, err,
                    "UPDATE alerts SET referred_at = ?2, referred_to = ?3"
                    " WHERE id = ?1",
                    "itt", alert_id, now, to);
    } else if (!strcmp(step, "outcome") || !strcmp(step, "close")) {
        if (fever && !strcmp(step, "close"))
            return err_set(err, 409, "conflict", "step",
                           "a fever alert ends with its outcome");
        if (fever && !reported)
            return err_set(err, 409, "conflict", "step",
                           "report the fever before its outcome");
        if (fever && (!outcome || !*outcome))
            return err_set(err, 422, "missing_field", "outcome",
                           "the outcome is required");
        if (outcome && *outcome && validate_name(outcome, "outcome", 200, err))
            return -1;
        rc = db_run(db, err,
                    "UPDATE alerts SET outcome = ?2, outcome_at = ?3,"
                    " closed = 1 WHERE id = ?1",
                    "itt", alert_id, outcome ? outcome : "", now);
    } else {
        return err_set(err, 422, "invalid_field", "step",
                       "step must be report, refer, outcome or close");
    }
    if (rc)
        return -1;
    char what[48];
    snprintf(what, sizeof what, "%s alert #%lld", kind,
             (long long)alert_id);
    if (!person)
        return audit_record(db, a, step, "alert", alert_id, what, NULL, what,
                            err);
    return people_audit_change(db, a, person, "alert_step", what, step, err);
}

int alerts_open_fever(Db *db, const Actor *a, const AlertOpen *in,
                      int64_t *alert_id, Err *err)
{
    char now[21];
    clock_now_iso(now);
    if (db_insert(db, err, alert_id,
                  "INSERT INTO alerts (kind, source, village_id, place_id,"
                  " person_id, subject, temperature, symptoms, opened_at)"
                  " VALUES ('fever', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
                  " RETURNING id",
                  "tiIItdtt", in->source, in->village_id, in->place_id,
                  in->person_id, in->subject ? in->subject : "",
                  in->temperature, in->symptoms ? in->symptoms : "", now))
        return -1;
    char what[96];
    snprintf(what, sizeof what, "%s fever %.1f %s", in->source,
             in->temperature, in->subject ? in->subject : "");
    return audit_record(db, a, "open", "alert", *alert_id, what, NULL, what,
                        err);
}

/* The window of deadlines the next sweep looks at: (last, now]. */
static time_t last_sweep;

int alerts_sweep_missed(Db *db, long *opened, Err *err)
{
    time_t now = clock_now();
    time_t since = last_sweep && last_sweep <= now
                       ? last_sweep
                       : now - SWEEP_DAYS_BACK * 86400;
    char today[11], first[11];
    day_today(today);
    day_add(today, -SWEEP_DAYS_BACK, first);
    *opened = 0;
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT m.id, m.person_id, m.basis_date, m.period_days,"
                 " m.slots_per_day, p.village_id FROM measures m"
                 " JOIN people p ON p.id = m.person_id"
                 " WHERE m.status = 'active'",
                 ""))
        return -1;
    /* gather the slots whose deadline fell in the window, then write */
    typedef struct Slot {
        int64_t measure, person, village;
        char day[11];
        int slot;
    } Slot;
    Buf slots = BUF_INIT;
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        const char *basis = db_text(st, 2);
        int period = (int)db_int(st, 3), per_day = (int)db_int(st, 4);
        char day[11], last[11];
        day_add(basis, period - 1, last);
        snprintf(day, sizeof day, "%s",
                 strcmp(basis, first) > 0 ? basis : first);
        for (; strcmp(day, today) <= 0 && strcmp(day, last) <= 0;
             day_add(day, 1, day)) {
            for (int s = 1; s <= per_day; s++) {
                time_t deadline;
                if (obs_slot_deadline(day, s, &deadline) ||
                    deadline <= since || deadline > now)
                    continue;
                Slot sl = {db_int(st, 0), db_int(st, 1), db_int(st, 5), "",
                           s};
                memcpy(sl.day, day, sizeof sl.day);
                buf_append(&slots, &sl, sizeof sl);
            }
        }
    }
    db_done(st);
    char stamp[21];
    clock_now_iso(stamp);
    for (size_t i = 0; rc != DB_ERROR && i < slots.len / sizeof(Slot); i++) {
        Slot *sl = (Slot *)slots.p + i;
        if (db_run(db, err,
                   "INSERT INTO alerts (kind, village_id, person_id,"
                   " measure_id, day, slot, opened_at) SELECT 'missed', ?6,"
                   " ?1, ?2, ?3, ?4, ?5 WHERE NOT EXISTS (SELECT 1 FROM"
                   " checks WHERE measure_id = ?2 AND day = ?3"
                   " AND slot = ?4) ON CONFLICT DO NOTHING",
                   "iititi", sl->person, sl->measure, sl->day,
                   (int64_t)sl->slot, stamp, sl->village))
            rc = DB_ERROR;
        else
            *opened += (long)db_changes(db);
    }
    buf_free(&slots);
    if (rc == DB_ERROR)
        return -1;
    last_sweep = now;
    return 0;
}

/* ---- the board ------------------------------------------------------- */

/* The board's row of a village id, found in the rows gathered. */
static BoardRow *board_row(Buf *rows, int64_t village_id)
{
    for (size_t i = 0; i < rows->len / sizeof(BoardRow); i++) {
        BoardRow *r = (BoardRow *)rows->p + i;
        if (r->village_id == village_id)
            return r;
    }
    return NULL;
}

int board_rows(Db *db, const Actor *a, const char *day,
               int (*each)(void *ctx, const BoardRow *row), void *ctx,
               Err *err)
{
    char today[11];
    if (!day) {
        day_today(today);
        day = today;
    }
    time_t now = clock_now();
    Arena names = ARENA_INIT;
    Buf rows = BUF_INIT;
    /* three passes, none per village: the villages in scope, the active
     * measures with their two slots of the day, the open fever alerts */
    DbStmt *st;
    int rc = db_query(db, &st, err,
                      "SELECT id, name FROM places WHERE type = 'village'"
                      " AND active = 1 AND (?1 = 1 OR id IN (SELECT"
                      " village_id FROM account_villages"
                      " WHERE account_id = ?2)) ORDER BY id",
                      "ii", (int64_t)a->scope_all, a->id)
                 ? DB_ERROR
                 : DB_DONE;
    while (rc != DB_ERROR && (rc = db_step(st, err)) == DB_ROW) {
        BoardRow r = {.village_id = db_int(st, 0),
                      .village_name = arena_strdup(&names, db_text(st, 1))};
        buf_append(&rows, &r, sizeof r);
    }
    if (rc != DB_ERROR)
        db_done(st);
    if (rc != DB_ERROR &&
        db_query(db, &st, err,
                 "SELECT p.village_id, m.basis_date, m.period_days,"
                 " m.slots_per_day,"
                 " EXISTS (SELECT 1 FROM checks c WHERE c.measure_id = m.id"
                 "  AND c.day = ?1 AND c.slot = 1),"
                 " EXISTS (SELECT 1 FROM checks c WHERE c.measure_id = m.id"
                 "  AND c.day = ?1 AND c.slot = 2)"
                 " FROM measures m JOIN people p ON p.id = m.person_id"
                 " WHERE m.status = 'active' AND m.basis_date <= ?1",
                 "t", day))
        rc = DB_ERROR;
    while (rc != DB_ERROR && (rc = db_step(st, err)) == DB_ROW) {
        BoardRow *r = board_row(&rows, db_int(st, 0));
        if (!r)
            continue; /* a village outside the scope */
        int n = day_diff(db_text(st, 1), day) + 1;
        int period = (int)db_int(st, 2), per_day = (int)db_int(st, 3);
        if (n > period) {
            r->release_due++;
            continue;
        }
        r->under_observation++;
        for (int s = 1; s <= per_day; s++) {
            int state = obs_slot_state(day, s, (int)db_int(st, 3 + s), now);
            r->due_today++;
            r->done += state == 1;
            r->missed += state == 2;
        }
    }
    if (rc != DB_ERROR)
        db_done(st);
    if (rc != DB_ERROR &&
        db_query(db, &st, err,
                 "SELECT village_id, count(*) FROM alerts"
                 " WHERE kind = 'fever' AND closed = 0 GROUP BY village_id",
                 ""))
        rc = DB_ERROR;
    while (rc != DB_ERROR && (rc = db_step(st, err)) == DB_ROW) {
        BoardRow *r = board_row(&rows, db_int(st, 0));
        if (r)
            r->fever_open = (long)db_int(st, 1);
    }
    if (rc != DB_ERROR)
        db_done(st);
    for (size_t i = 0; rc != DB_ERROR && i < rows.len / sizeof(BoardRow);
         i++)
        if (each(ctx, (BoardRow *)rows.p + i))
            break;
    buf_free(&rows);
    arena_free(&names);
    return rc == DB_ERROR ? -1 : 0;
}
