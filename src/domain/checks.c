/* checks.c — temperature checks of people under a measure, and the round
 * a staff member walks each day (see observation.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../base/buf.h"
#include "../base/clock.h"
#include "../base/validate.h"
#include "audit.h"
#include "observation.h"
#include "observation_internal.h"
#include "people_internal.h"

const char *const CHECK_SYMPTOMS[] = {"fever", "dry_cough", "fatigue",
                                      "sore_throat", "smell_taste_loss",
                                      "diarrhoea", "short_breath", NULL};
static const char *const METHODS[] = {"visit", "phone", "video", NULL};

int obs_measure_facts(Db *db, const Actor *a, int64_t measure_id,
                      MeasureFacts *f, Err *err)
{
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT m.person_id, p.village_id, m.status, m.basis_date,"
                 " m.period_days, m.slots_per_day, p.name FROM measures m"
                 " JOIN people p ON p.id = m.person_id WHERE m.id = ?1",
                 "i", measure_id))
        return -1;
    int rc = db_step(st, err);
    if (rc == DB_ROW) {
        f->person_id = db_int(st, 0);
        f->village_id = db_int(st, 1);
        snprintf(f->status, sizeof f->status, "%s", db_text(st, 2));
        snprintf(f->basis_date, sizeof f->basis_date, "%s", db_text(st, 3));
        f->period_days = (int)db_int(st, 4);
        f->slots_per_day = (int)db_int(st, 5);
        snprintf(f->name, sizeof f->name, "%s", db_text(st, 6));
    }
    db_done(st);
    if (rc == DB_ERROR)
        return -1;
    if (rc == DB_DONE || !actor_in_scope(a, f->village_id))
        return err_set(err, 404, "not_found", NULL, "no such measure");
    return 0;
}

int obs_slot_deadline(const char *day, int slot, time_t *deadline)
{
    /* morning: noon of the day; evening: midnight that ends it */
    char next[11];
    const char *d = day;
    if (slot == 2) {
        if (day_add(day, 1, next))
            return -1;
        d = next;
    }
    struct tm tm = {0};
    if (sscanf(d, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3)
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    tm.tm_hour = slot == 1 ? 12 : 0;
    tm.tm_isdst = -1;
    *deadline = mktime(&tm);
    return 0;
}

int obs_slot_now(void)
{
    time_t now = clock_now();
    struct tm tm;
    localtime_r(&now, &tm);
    return tm.tm_hour < 12 ? 1 : 2;
}

/* Join the symptom codes, checking each; -1 with 422 on an unknown one. */
static int join_symptoms(const CheckInput *in, Buf *out, Err *err)
{
    for (int i = 0; i < in->nsymptoms; i++) {
        if (!people_in_list(in->symptoms[i], CHECK_SYMPTOMS))
            return err_set(err, 422, "invalid_field", "symptoms",
                           "unknown symptom %s (fever, dry_cough, fatigue,"
                           " sore_throat, smell_taste_loss, diarrhoea,"
                           " short_breath)",
                           in->symptoms[i]);
        buf_printf(out, "%s%s", out->len ? "," : "", in->symptoms[i]);
    }
    return 0;
}

/* Validate a check against its measure: the day within the measure and
 * not in the future, the slot open, the values in range. */
static int check_input(const MeasureFacts *f, const CheckInput *in,
                       char day[11], int *slot, Err *err)
{
    char today[11], last[11];
    int ymd;
    day_today(today);
    if (in->day && *in->day) {
        if (validate_date(in->day, "day", &ymd, err))
            return -1;
        snprintf(day, 11, "%s", in->day);
    } else {
        memcpy(day, today, 11);
    }
    if (strcmp(day, today) > 0)
        return err_set(err, 422, "invalid_field", "day",
                       "a check cannot be entered for a day to come");
    day_add(f->basis_date, f->period_days - 1, last);
    if (strcmp(day, f->basis_date) < 0 || strcmp(day, last) > 0)
        return err_set(err, 422, "invalid_field", "day",
                       "%s is outside the measure (%s to %s)", day,
                       f->basis_date, last);
    *slot = in->slot ? in->slot : f->slots_per_day == 1 ? 1 : obs_slot_now();
    if (*slot < 1 || *slot > f->slots_per_day)
        return err_set(err, 422, "invalid_field", "slot",
                       "slot must be 1 (morning)%s",
                       f->slots_per_day == 2 ? " or 2 (evening)" : "");
    if (!in->has_temperature)
        return err_set(err, 422, "missing_field", "temperature",
                       "the temperature is required");
    if (validate_temperature(in->temperature, "temperature", err))
        return -1;
    if (in->method && !people_in_list(in->method, METHODS))
        return err_set(err, 422, "invalid_field", "method",
                       "method must be visit, phone or video");
    if (in->note && *in->note && validate_name(in->note, "note", 200, err))
        return -1;
    return 0;
}

int checks_record(Db *db, const Actor *a, int64_t measure_id,
                  const CheckInput *in, int64_t *check_id, int64_t *alert_id,
                  Err *err)
{
    MeasureFacts f;
    char day[11];
    int slot = 0;
    *alert_id = 0;
    if (obs_measure_facts(db, a, measure_id, &f, err))
        return -1;
    if (strcmp(f.status, "active") != 0)
        return err_set(err, 409, "conflict", NULL,
                       "this measure has %s: no more checks", f.status);
    if (check_input(&f, in, day, &slot, err))
        return -1;
    Buf symptoms = BUF_INIT;
    if (join_symptoms(in, &symptoms, err)) {
        buf_free(&symptoms);
        return -1;
    }
    /* one decimal, as the thermometer shows it */
    double t = round(in->temperature * 10.0) / 10.0;
    char now[21];
    clock_now_iso(now);
    int rc = db_insert(db, err, check_id,
                       "INSERT INTO checks (measure_id, person_id, day, slot,"
                       " at, temperature, symptoms, method, checker_id,"
                       " checker, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
                       " ?8, ?9, ?10, ?11) RETURNING id",
                       "iititdttitt", measure_id, f.person_id, day,
                       (int64_t)slot, now, t, symptoms.p ? symptoms.p : "",
                       in->method ? in->method : "visit", a->id,
                       a->display_name, in->note ? in->note : "");
    if (rc && db_last_fail(db) == DB_FAIL_UNIQUE)
        err_set(err, 409, "duplicate", "slot",
                "the %s check of %s is already entered",
                slot == 1 ? "morning" : "evening", day);
    if (!rc && (temperature_is_fever(t) || in->nsymptoms > 0))
        rc = db_insert(db, err, alert_id,
                       "INSERT INTO alerts (kind, village_id, person_id,"
                       " measure_id, check_id, day, slot, temperature,"
                       " symptoms, opened_at) VALUES ('fever', ?9, ?1, ?2,"
                       " ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
                       "iiitidtti", f.person_id, measure_id, *check_id, day,
                       (int64_t)slot, t, symptoms.p ? symptoms.p : "", now,
                       f.village_id);
    char what[64];
    snprintf(what, sizeof what, "%.1f°C %s", t, slot == 1 ? "am" : "pm");
    if (!rc)
        rc = people_audit_change(db, a, f.person_id,
                                 *alert_id ? "check_fever" : "check", what,
                                 day, err);
    buf_free(&symptoms);
    return rc;
}

int checks_of_measure(Db *db, const Actor *a, int64_t measure_id,
                      int64_t only_check_id,
                      int (*each)(void *ctx, const Check *c), void *ctx,
                      Err *err)
{
    MeasureFacts f;
    if (obs_measure_facts(db, a, measure_id, &f, err))
        return -1;
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT id, measure_id, person_id, day, slot, at,"
                 " temperature, symptoms, method, checker, note FROM checks"
                 " WHERE measure_id = ?1 AND (?2 = 0 OR id = ?2)"
                 " ORDER BY day, slot",
                 "ii", measure_id, only_check_id))
        return -1;
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        Check c = {db_int(st, 0), db_int(st, 1), db_int(st, 2),
                   db_text(st, 3), (int)db_int(st, 4), db_text(st, 5),
                   db_double(st, 6), db_text(st, 7), db_text(st, 8),
                   db_text(st, 9), db_text(st, 10)};
        if (each(ctx, &c))
            break;
    }
    db_done(st);
    return rc == DB_ERROR ? -1 : 0;
}

int obs_slot_state(const char *day, int slot, int done, time_t now)
{
    if (done)
        return 1;
    time_t deadline, opens;
    if (obs_slot_deadline(day, slot, &deadline))
        return 3;
    if (now >= deadline)
        return 2;
    /* the morning slot opens at the day's start, the evening at noon */
    obs_slot_deadline(day, 1, &opens);
    if (slot == 1)
        opens -= 12 * 3600;
    return now >= opens ? 0 : 3;
}

int round_list(Db *db, const Actor *a, int64_t account_id, const char *day,
               int (*each)(void *ctx, const RoundItem *it), void *ctx,
               Err *err)
{
    char today[11];
    if (!day) {
        day_today(today);
        day = today;
    }
    time_t now = clock_now();
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT p.id, m.id, p.name, p.address, v.name, g.name,"
                 " m.type, p.phone, m.basis_date, m.period_days,"
                 " m.slots_per_day,"
                 " (SELECT temperature FROM checks c WHERE c.measure_id = m.id"
                 "  AND c.day = ?2 AND c.slot = 1),"
                 " (SELECT temperature FROM checks c WHERE c.measure_id = m.id"
                 "  AND c.day = ?2 AND c.slot = 2),"
                 " EXISTS (SELECT 1 FROM alerts x WHERE x.person_id = p.id"
                 "  AND x.kind = 'fever' AND x.closed = 0), p.village_id"
                 " FROM measures m JOIN people p ON p.id = m.person_id"
                 " JOIN places v ON v.id = p.village_id"
                 " LEFT JOIN places g ON g.id = p.grid_id"
                 " WHERE m.status = 'active' AND m.basis_date <= ?2"
                 " AND m.person_id IN (SELECT person_id FROM assignments"
                 "  WHERE account_id = ?1)"
                 " ORDER BY v.id, g.id, p.address, p.name",
                 "it", account_id, day))
        return -1;
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        const char *basis = db_text(st, 8);
        int period = (int)db_int(st, 9);
        int n = day_diff(basis, day) + 1;
        if (n > period || !actor_in_scope(a, db_int(st, 14)))
            continue; /* past its last day, or outside the caller's view */
        char phone[16];
        const char *raw_phone = db_text(st, 7);
        people_mask_phone(raw_phone, phone);
        RoundItem it = {
            .person_id = db_int(st, 0), .measure_id = db_int(st, 1),
            .name = db_text(st, 2), .address = db_text(st, 3),
            .village_name = db_text(st, 4), .grid_name = db_text(st, 5),
            .type = db_text(st, 6),
            .phone = actor_can(a, CAP_PII_FULL) ? raw_phone
                     : raw_phone                ? phone
                                                : NULL,
            .day_number = n, .period_days = period,
            .slots_per_day = (int)db_int(st, 10),
            .open_fever = (int)db_int(st, 13)};
        for (int s = 0; s < 2; s++) {
            int done = !db_is_null(st, 11 + s);
            it.slot_temp[s] = done ? db_double(st, 11 + s) : 0;
            it.slot_state[s] = s < it.slots_per_day
                                   ? obs_slot_state(day, s + 1, done, now)
                                   : 3;
        }
        if (each(ctx, &it))
            break;
    }
    db_done(st);
    return rc == DB_ERROR ? -1 : 0;
}
