/* measures.c — home observation measures and their history (see
 * observation.h).
 *
 * A measure belongs to a person; the person's village decides who may see
 * and change it.  A person has at most one active measure.  Every change
 * is one row of measure_events (who, what, why) and one audit entry on the
 * person's history.  last_day, release_due and day_number are not stored:
 * they follow from the basis date and the period for the day asked about,
 * so an extension or a restart moves them without another write. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/clock.h"
#include "../base/validate.h"
#include "audit.h"
#include "observation.h"
#include "people_internal.h"

static const char *const MEASURE_TYPES[] = {
    "home_isolation", "home_monitoring", "central_isolation", NULL};
static const char *const MEASURE_BASES[] = {"last_exposure", "departure",
                                            "start", NULL};
static const char *const MEASURE_ACTIONS[] = {
    "extend", "shorten", "restart", "transfer", "end", "release",
    "door_notice", NULL};

enum { MEASURE_MAX_DAYS = 60, MEASURE_DEFAULT_DAYS = 14 };

/* A measure read into memory of its own, so callbacks may run queries of
 * their own (the statement that read it is already reset). */
typedef struct MeasureRow {
    Measure m;
    int64_t village_id;
    char person_name[132], type[24], basis[16], basis_date[11],
        status[16], door_notice_date[11], end_date[11], end_reason[1024],
        created_at[24];
} MeasureRow;

static const char *or_empty(const char *s) { return s ? s : ""; }
static int blank(const char *s) { return !s || !*s; }

static void copy(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", or_empty(src));
}

/* Fill the derived days of m for day. */
static void derive(Measure *m, const char *day)
{
    if (day_add(m->basis_date, m->period_days - 1, m->last_day) ||
        day_add(m->basis_date, m->period_days, m->release_due)) {
        m->last_day[0] = m->release_due[0] = '\0';
        m->day_number = 0;
        return;
    }
    int n = day_diff(m->basis_date, day) + 1;
    m->day_number = n > 0 ? n : 0;
}

/* Read measure id into *r (no scope check) with its days derived for day.
 * 404 when there is no such measure. */
static int measure_load(Db *db, int64_t id, const char *day, MeasureRow *r,
                        Err *err)
{
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT m.id, m.person_id, p.name, m.type, m.basis,"
                 " m.basis_date, m.period_days, m.slots_per_day, m.status,"
                 " m.door_notice, m.door_notice_date, m.end_date,"
                 " m.end_reason, m.created_at, p.village_id"
                 " FROM measures m JOIN people p ON p.id = m.person_id"
                 " WHERE m.id = ?1",
                 "i", id))
        return -1;
    int rc = db_step(st, err);
    if (rc == DB_ROW) {
        memset(r, 0, sizeof *r);
        Measure *m = &r->m;
        m->id = db_int(st, 0);
        m->person_id = db_int(st, 1);
        copy(r->person_name, sizeof r->person_name, db_text(st, 2));
        copy(r->type, sizeof r->type, db_text(st, 3));
        copy(r->basis, sizeof r->basis, db_text(st, 4));
        copy(r->basis_date, sizeof r->basis_date, db_text(st, 5));
        m->period_days = (int)db_int(st, 6);
        m->slots_per_day = (int)db_int(st, 7);
        copy(r->status, sizeof r->status, db_text(st, 8));
        m->door_notice = (int)db_int(st, 9);
        copy(r->door_notice_date, sizeof r->door_notice_date,
             db_text(st, 10));
        copy(r->end_date, sizeof r->end_date, db_text(st, 11));
        copy(r->end_reason, sizeof r->end_reason, db_text(st, 12));
        copy(r->created_at, sizeof r->created_at, db_text(st, 13));
        r->village_id = db_int(st, 14);
        m->door_notice_date = db_is_null(st, 10) ? NULL : r->door_notice_date;
        m->end_date = db_is_null(st, 11) ? NULL : r->end_date;
        m->end_reason = db_is_null(st, 12) ? NULL : r->end_reason;
    }
    db_done(st);
    if (rc == DB_ERROR)
        return -1;
    if (rc == DB_DONE)
        return err_set(err, 404, "not_found", NULL, "no such measure");
    Measure *m = &r->m;
    m->person_name = r->person_name;
    m->type = r->type;
    m->basis = r->basis;
    m->basis_date = r->basis_date;
    m->status = r->status;
    m->created_at = r->created_at;
    derive(m, day);
    return 0;
}

/* measure_require: measure_load, and the measure's person is in the
 * actor's scope (else 404, as if it did not exist). */
static int measure_require(Db *db, const Actor *a, int64_t id,
                           const char *day, MeasureRow *r, Err *err)
{
    if (measure_load(db, id, day, r, err))
        return -1;
    return actor_require_scope(a, r->village_id, err)
               ? err_set(err, 404, "not_found", NULL, "no such measure")
               : 0;
}

/* The day a read is about: day, or today when NULL; 422 if malformed. */
static int asked_day(const char *day, char out[11], Err *err)
{
    if (!day) {
        day_today(out);
        return 0;
    }
    if (validate_date(day, "date", NULL, err))
        return -1;
    copy(out, 11, day);
    return 0;
}

/* A date given for a change: valid and not after today.  A blank one is
 * today.  The result goes to out. */
static int past_date(const char *v, const char *field, char out[11],
                     Err *err)
{
    char today[11];
    day_today(today);
    if (blank(v)) {
        copy(out, 11, today);
        return 0;
    }
    if (validate_date(v, field, NULL, err))
        return -1;
    if (strcmp(v, today) > 0)
        return err_set(err, 422, "invalid_date", field,
                       "%s is in the future (today is %s)", field, today);
    copy(out, 11, v);
    return 0;
}

/* An optional reason: at most 200 characters of text. */
static int check_reason(const char *reason, int required, const char *why,
                        Err *err)
{
    if (blank(reason)) {
        if (required)
            return err_set(err, 422, "missing_field", "reason",
                           "a reason is required %s", why);
        return 0;
    }
    return validate_name(reason, "reason", 200, err);
}

/* The id of the person's active measure, 0 if none. */
static int active_measure(Db *db, int64_t person_id, int64_t *id, Err *err)
{
    int found;
    if (db_one_int(db, err, id, &found,
                   "SELECT id FROM measures WHERE person_id = ?1"
                   " AND status = 'active' ORDER BY id DESC LIMIT 1",
                   "i", person_id))
        return -1;
    if (!found)
        *id = 0;
    return 0;
}

/* The period the policy gives a measure type: the longest period of a
 * policy row with that measure, else 14 days. */
static int policy_period(Db *db, const char *type, int *days, Err *err)
{
    int64_t v;
    int found;
    if (db_one_int(db, err, &v, &found,
                   "SELECT period_days FROM policies WHERE measure = ?1"
                   " ORDER BY period_days DESC LIMIT 1",
                   "t", type))
        return -1;
    *days = found && v >= 1 && v <= MEASURE_MAX_DAYS
                ? (int)v
                : MEASURE_DEFAULT_DAYS;
    return 0;
}

/* One event of a measure, and its entry on the person's audit history. */
static int add_event(Db *db, const Actor *a, const Measure *m,
                     const char *action, const char *detail,
                     const char *reason, Err *err)
{
    char now[21], what[64], audit_action[48];
    clock_now_iso(now);
    if (db_run(db, err,
               "INSERT INTO measure_events (measure_id, at, actor, action,"
               " detail, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
               "itttt" "t", m->id, now, a->username, action,
               or_empty(detail), or_empty(reason)))
        return -1;
    snprintf(what, sizeof what, "measure #%lld", (long long)m->id);
    snprintf(audit_action, sizeof audit_action, "measure_%s", action);
    Buf d = BUF_INIT;
    buf_printf(&d, "%s%s%s", or_empty(detail), blank(reason) ? "" : "; ",
               or_empty(reason));
    int rc = people_audit_change(db, a, m->person_id, audit_action, what,
                                 d.p, err);
    buf_free(&d);
    return rc;
}

/* Start a measure; reason goes into the start event (why it began). */
static int start_measure(Db *db, const Actor *a, int64_t person_id,
                         const MeasureInput *in, const char *reason,
                         int64_t *id, Err *err)
{
    int64_t village, merged, active;
    if (people_require(db, a, person_id, &village, &merged, err))
        return -1;
    if (merged)
        return err_set(err, 409, "conflict", NULL,
                       "this record was merged into another: use that one");
    if (blank(in->type))
        return err_set(err, 422, "missing_field", "type",
                       "the measure's type is required");
    if (!people_in_list(in->type, MEASURE_TYPES))
        return err_set(err, 422, "invalid_field", "type",
                       "type must be home_isolation, home_monitoring or"
                       " central_isolation");
    if (blank(in->basis))
        return err_set(err, 422, "missing_field", "basis",
                       "what the days are counted from is required");
    if (!people_in_list(in->basis, MEASURE_BASES))
        return err_set(err, 422, "invalid_field", "basis",
                       "basis must be last_exposure, departure or start");
    char basis_date[11];
    if (blank(in->basis_date) && strcmp(in->basis, "start") != 0)
        return err_set(err, 422, "missing_field", "basis_date",
                       "the date of the %s is required", in->basis);
    if (past_date(in->basis_date, "basis_date", basis_date, err))
        return -1;
    int period = in->period_days;
    if (period < 0 || period > MEASURE_MAX_DAYS)
        return err_set(err, 422, "invalid_field", "period_days",
                       "period_days must be 1 to %d", MEASURE_MAX_DAYS);
    if (!period && policy_period(db, in->type, &period, err))
        return -1;
    int slots = in->slots_per_day ? in->slots_per_day : 2;
    if (slots != 1 && slots != 2)
        return err_set(err, 422, "invalid_field", "slots_per_day",
                       "slots_per_day must be 1 or 2");
    if (reason && validate_name(reason, "reason", 200, err))
        return -1;
    if (active_measure(db, person_id, &active, err))
        return -1;
    if (active)
        return err_set(err, 409, "conflict", NULL,
                       "the person is already under an active measure"
                       " (#%lld)", (long long)active);
    char now[21];
    clock_now_iso(now);
    if (db_insert(db, err, id,
                  "INSERT INTO measures (person_id, type, basis, basis_date,"
                  " period_days, slots_per_day, created_by, created_at)"
                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
                  "itttiiIt", person_id, in->type, in->basis, basis_date,
                  (int64_t)period, (int64_t)slots, a->id, now)) {
        if (db_last_fail(db) == DB_FAIL_UNIQUE)
            err_set(err, 409, "conflict", NULL,
                    "the person is already under an active measure");
        return -1;
    }
    char today[11], detail[160];
    MeasureRow r;
    day_today(today);
    if (measure_load(db, *id, today, &r, err))
        return -1;
    snprintf(detail, sizeof detail, "%s, %d days from %s %s (last day %s)",
             in->type, period, in->basis, basis_date, r.m.last_day);
    return add_event(db, a, &r.m, "start", detail, reason, err);
}

int measures_start(Db *db, const Actor *a, int64_t person_id,
                   const MeasureInput *in, int64_t *id, Err *err)
{
    return start_measure(db, a, person_id, in, NULL, id, err);
}

/* ---- changes ---------------------------------------------------------- */

/* Check ch->days for extend/shorten: 1..60. */
static int check_days(int days, Err *err)
{
    if (!days)
        return err_set(err, 422, "missing_field", "days",
                       "how many days is required");
    if (days < 1 || days > MEASURE_MAX_DAYS)
        return err_set(err, 422, "invalid_field", "days",
                       "days must be 1 to %d", MEASURE_MAX_DAYS);
    return 0;
}

static int change_period(Db *db, const Actor *a, MeasureRow *r,
                         const MeasureChange *ch, int shorten,
                         const char *today, Err *err)
{
    Measure *m = &r->m;
    if (check_days(ch->days, err) ||
        check_reason(ch->reason, shorten, "to shorten a measure", err))
        return -1;
    int period = shorten ? m->period_days - ch->days
                         : m->period_days + ch->days;
    if (period > MEASURE_MAX_DAYS)
        return err_set(err, 422, "invalid_field", "days",
                       "a measure lasts at most %d days", MEASURE_MAX_DAYS);
    char last[11];
    if (period < 1 || day_add(m->basis_date, period - 1, last) ||
        (shorten && strcmp(last, today) < 0))
        return err_set(err, 422, "invalid_field", "days",
                       "the measure cannot end before today (%s)", today);
    if (db_run(db, err, "UPDATE measures SET period_days = ?2 WHERE id = ?1",
               "ii", m->id, (int64_t)period))
        return -1;
    char detail[128];
    snprintf(detail, sizeof detail, "%d -> %d days (last day %s -> %s)",
             m->period_days, period, m->last_day, last);
    return add_event(db, a, m, shorten ? "shorten" : "extend", detail,
                     ch->reason, err);
}

/* restart: the count starts again from a new basis; the event keeps the
 * old one, so the history shows both. */
static int change_restart(Db *db, const Actor *a, MeasureRow *r,
                          const char *basis, const char *basis_date_in,
                          const char *reason, Err *err)
{
    Measure *m = &r->m;
    if (blank(basis))
        return err_set(err, 422, "missing_field", "basis",
                       "what the days are counted from is required");
    if (!people_in_list(basis, MEASURE_BASES))
        return err_set(err, 422, "invalid_field", "basis",
                       "basis must be last_exposure, departure or start");
    if (blank(basis_date_in) && strcmp(basis, "start") != 0)
        return err_set(err, 422, "missing_field", "basis_date",
                       "the date of the %s is required", basis);
    char basis_date[11];
    if (past_date(basis_date_in, "basis_date", basis_date, err) ||
        check_reason(reason, 0, "", err))
        return -1;
    if (strcmp(basis_date, m->basis_date) < 0)
        return err_set(err, 422, "invalid_field", "basis_date",
                       "a restart counts from a later day than %s; to end"
                       " earlier, shorten the measure with a reason",
                       m->basis_date);
    if (db_run(db, err,
               "UPDATE measures SET basis = ?2, basis_date = ?3"
               " WHERE id = ?1",
               "itt", m->id, basis, basis_date))
        return -1;
    char last[11] = "", detail[160];
    day_add(basis_date, m->period_days - 1, last);
    snprintf(detail, sizeof detail,
             "%s %s (was %s %s); last day %s (was %s)", basis, basis_date,
             m->basis, m->basis_date, last, m->last_day);
    return add_event(db, a, m, "restart", detail, reason, err);
}

static int change_transfer(Db *db, const Actor *a, MeasureRow *r,
                           const MeasureChange *ch, const char *today,
                           Err *err)
{
    Measure *m = &r->m;
    if (blank(ch->type))
        return err_set(err, 422, "missing_field", "type",
                       "where to transfer to is required (a measure type"
                       " or hospital)");
    int hospital = strcmp(ch->type, "hospital") == 0;
    if (!hospital && !people_in_list(ch->type, MEASURE_TYPES))
        return err_set(err, 422, "invalid_field", "type",
                       "type must be central_isolation, home_isolation,"
                       " home_monitoring or hospital");
    if (!hospital && strcmp(ch->type, m->type) == 0)
        return err_set(err, 422, "invalid_field", "type",
                       "the measure is already %s", m->type);
    if (check_reason(ch->reason, 1, "to transfer a person", err))
        return -1;
    int rc = hospital
                 ? db_run(db, err,
                          "UPDATE measures SET status = 'transferred',"
                          " end_date = ?2, end_reason = ?3 WHERE id = ?1",
                          "itt", m->id, today, ch->reason)
                 : db_run(db, err,
                          "UPDATE measures SET type = ?2 WHERE id = ?1",
                          "it", m->id, ch->type);
    if (rc)
        return -1;
    char detail[96];
    snprintf(detail, sizeof detail, "%s -> %s", m->type, ch->type);
    return add_event(db, a, m, "transfer", detail, ch->reason, err);
}

/* end and release: the measure stops on a day. */
static int change_stop(Db *db, const Actor *a, MeasureRow *r,
                       const MeasureChange *ch, int release, Err *err)
{
    Measure *m = &r->m;
    char date[11];
    if (past_date(ch->date, "date", date, err))
        return -1;
    if (strcmp(date, m->basis_date) < 0)
        return err_set(err, 422, "invalid_field", "date",
                       "the measure cannot stop before its day 1 (%s)",
                       m->basis_date);
    int early = release && strcmp(date, m->release_due) < 0;
    char why[80];
    snprintf(why, sizeof why, "to release before the due day (%s)",
             m->release_due);
    if (check_reason(ch->reason, !release || early,
                     release ? why : "to end a measure", err))
        return -1;
    if (db_run(db, err,
               "UPDATE measures SET status = ?2, end_date = ?3,"
               " end_reason = ?4 WHERE id = ?1",
               "ittt", m->id, release ? "released" : "ended", date,
               blank(ch->reason) ? NULL : ch->reason))
        return -1;
    char detail[96];
    snprintf(detail, sizeof detail, "%s on day %d (due %s)", date,
             day_diff(m->basis_date, date) + 1, m->release_due);
    return add_event(db, a, m, release ? "release" : "end", detail,
                     ch->reason, err);
}

static int change_door_notice(Db *db, const Actor *a, MeasureRow *r,
                              const MeasureChange *ch, Err *err)
{
    char date[11];
    if (past_date(ch->date, "date", date, err) ||
        check_reason(ch->reason, 0, "", err))
        return -1;
    if (strcmp(date, r->m.basis_date) < 0)
        return err_set(err, 422, "invalid_field", "date",
                       "the notice cannot be posted before day 1 (%s)",
                       r->m.basis_date);
    if (db_run(db, err,
               "UPDATE measures SET door_notice = 1, door_notice_date = ?2"
               " WHERE id = ?1",
               "it", r->m.id, date))
        return -1;
    char detail[48];
    snprintf(detail, sizeof detail, "posted %s", date);
    return add_event(db, a, &r->m, "door_notice", detail, ch->reason, err);
}

int measures_change(Db *db, const Actor *a, int64_t measure_id,
                    const MeasureChange *ch, Err *err)
{
    char today[11];
    MeasureRow r;
    day_today(today);
    if (measure_require(db, a, measure_id, today, &r, err))
        return -1;
    if (blank(ch->action))
        return err_set(err, 422, "missing_field", "action",
                       "the action is required");
    if (!people_in_list(ch->action, MEASURE_ACTIONS))
        return err_set(err, 422, "invalid_field", "action",
                       "action must be extend, shorten, restart, transfer,"
                       " end, release or door_notice");
    const char *act = ch->action;
    /* a door notice posted earlier may still be recorded afterwards */
    if (strcmp(act, "door_notice") == 0)
        return change_door_notice(db, a, &r, ch, err);
    if (strcmp(r.m.status, "active") != 0)
        return err_set(err, 409, "conflict", NULL,
                       "the measure is no longer active (%s)", r.m.status);
    if (strcmp(act, "extend") == 0 || strcmp(act, "shorten") == 0)
        return change_period(db, a, &r, ch, act[0] == 's', today, err);
    if (strcmp(act, "restart") == 0)
        return change_restart(db, a, &r, ch->basis, ch->basis_date,
                              ch->reason, err);
    if (strcmp(act, "transfer") == 0)
        return change_transfer(db, a, &r, ch, today, err);
    return change_stop(db, a, &r, ch, strcmp(act, "release") == 0, err);
}

/* ---- following the policy ---------------------------------------------- */

/* The date the count of a kind starts from for person id, into date
 * ("" when nothing proves one): the departure from the risk area for a
 * returnee (the latest returned travel of that risk level: its departure,
 * else its return), the latest exposure for a contact. */
static int kind_basis(Db *db, int64_t id, const char *kind,
                      const char **basis, char date[11], Err *err)
{
    date[0] = '\0';
    if (strncmp(kind, "returnee_", 9) == 0) {
        *basis = "departure";
        return db_one_text(db, err, date, 11,
                           "SELECT COALESCE(left_date, return_date)"
                           " FROM travels WHERE person_id = ?1"
                           " AND status = 'returned' AND risk_level = ?2"
                           " AND COALESCE(left_date, return_date)"
                           " IS NOT NULL ORDER BY"
                           " COALESCE(left_date, return_date) DESC, id DESC"
                           " LIMIT 1",
                           "it", id, kind + 9);
    }
    /* an exposure: a contact link, or a travel with contact with a case
     * (counted from that journey's return) */
    *basis = "last_exposure";
    return db_one_text(db, err, date, 11,
                       "SELECT max(d) FROM (SELECT max(last_exposure) AS d"
                       " FROM contacts WHERE person_id = ?1 UNION ALL"
                       " SELECT max(COALESCE(return_date, left_date))"
                       " FROM travels WHERE person_id = ?1"
                       " AND contact_with_case = 1 AND status = 'returned')"
                       " AS u",
                       "i", id);
}

/* What person id's count starts from: the latest of the dates the kinds
 * that apply to them prove (each kind whose policy gives a measure), so
 * a new exposure counts even when another kind is the one classified;
 * otherwise the start (today).  A date after today (a typo) is today. */
static int policy_basis(Db *db, int64_t id, const Classification *cls,
                        const char **basis, char date[11], Err *err)
{
    char today[11];
    day_today(today);
    date[0] = '\0';
    *basis = "start";
    for (int i = 0; i < cls->nreasons && i < 5; i++) {
        char measure[24] = "", d[11];
        const char *b;
        if (db_one_text(db, err, measure, sizeof measure,
                        "SELECT measure FROM policies WHERE kind = ?1", "t",
                        cls->reasons[i]))
            return -1;
        if (!people_in_list(measure, MEASURE_TYPES))
            continue;
        if (kind_basis(db, id, cls->reasons[i], &b, d, err))
            return -1;
        if (d[0] && strcmp(d, date) > 0) {
            copy(date, 11, d);
            *basis = b;
        }
    }
    if (!date[0] || strcmp(date, today) > 0)
        copy(date, 11, today);
    return 0;
}

/* A measure's strength, as the policy ranks measures (weakest first). */
static int measure_rank(const char *type)
{
    for (int i = 0; PEOPLE_MEASURES[i]; i++)
        if (strcmp(type, PEOPLE_MEASURES[i]) == 0)
            return i;
    return 0;
}

/* No measure is started when an earlier measure of the person counted
 * from this date or a later one (a released person stays released when
 * their record is edited or imported again); with no proven date, any
 * earlier measure is enough.  A measure whose days are over already is
 * still started: it shows as due for release, and a cadre confirms. */
static int policy_already_served(Db *db, int64_t person_id,
                                 const char *basis, const char *date,
                                 int *served, Err *err)
{
    int64_t id;
    return db_one_int(db, err, &id, served,
                      "SELECT id FROM measures WHERE person_id = ?1"
                      " AND (?3 = 1 OR basis_date >= ?2) LIMIT 1",
                      "iti", person_id, date,
                      (int64_t)(strcmp(basis, "start") == 0));
}

/* A stronger measure from the policy than the active one (monitoring ->
 * isolation when a returnee turns out a close contact): the active
 * measure becomes it, with the longer of the two periods, and the history
 * says why.  A period alone is not changed: a cadre may have shortened it
 * with a reason, and an edit of the record must not undo that. */
static int policy_upgrade(Db *db, const Actor *a, MeasureRow *r,
                          const Classification *cls, const char *reason,
                          Err *err)
{
    Measure *m = &r->m;
    if (measure_rank(cls->measure) <= measure_rank(m->type))
        return 0;
    const char *type = cls->measure;
    int period = cls->period_days > m->period_days ? cls->period_days
                                                   : m->period_days;
    if (db_run(db, err,
               "UPDATE measures SET type = ?2, period_days = ?3 WHERE id = ?1",
               "iti", m->id, type, (int64_t)period))
        return -1;
    char detail[160];
    snprintf(detail, sizeof detail, "%s %d days (was %s %d days)", type,
             period, m->type, m->period_days);
    return add_event(db, a, m, "transfer", detail, reason, err);
}

int measures_follow_policy(Db *db, const Actor *a, int64_t person_id,
                           const Classification *cls, Err *err)
{
    if (!cls || !people_in_list(cls->measure, MEASURE_TYPES))
        return 0; /* "none", or nothing known */
    int64_t village, merged, active;
    if (people_require(db, a, person_id, &village, &merged, err))
        return -1;
    if (merged)
        return 0;
    const char *basis;
    char date[11];
    if (policy_basis(db, person_id, cls, &basis, date, err) ||
        active_measure(db, person_id, &active, err))
        return -1;
    char reason[48];
    snprintf(reason, sizeof reason, "policy: %s", cls->kind);
    if (!active) {
        int served;
        if (policy_already_served(db, person_id, basis, date, &served, err))
            return -1;
        if (served)
            return 0;
        MeasureInput in = {.type = cls->measure, .basis = basis,
                           .basis_date = date,
                           .period_days = cls->period_days,
                           .slots_per_day = cls->slots_per_day};
        int64_t id;
        return start_measure(db, a, person_id, &in, reason, &id, err);
    }
    char today[11];
    MeasureRow r;
    day_today(today);
    if (measure_load(db, active, today, &r, err) ||
        policy_upgrade(db, a, &r, cls, reason, err) ||
        measure_load(db, active, today, &r, err))
        return -1;
    /* a later exposure or departure restarts the count; "start" (no proof
     * of either) never does, or every edit would restart it */
    if (strcmp(basis, "start") == 0 || strcmp(date, r.m.basis_date) <= 0)
        return 0;
    return change_restart(db, a, &r, basis, date, reason, err);
}

/* ---- reads -------------------------------------------------------------- */

int measures_get(Db *db, const Actor *a, int64_t measure_id,
                 const char *day, int (*each)(void *ctx, const Measure *m),
                 void *ctx, Err *err)
{
    char d[11];
    MeasureRow r;
    if (asked_day(day, d, err) ||
        measure_require(db, a, measure_id, d, &r, err))
        return -1;
    each(ctx, &r.m);
    return 0;
}

/* Collect the ids a query yields (the statement is reset before any
 * callback runs). */
static int collect_ids(Db *db, Err *err, Buf *ids, const char *sql,
                       int64_t arg)
{
    DbStmt *st;
    if (db_query(db, &st, err, sql, "i", arg))
        return -1;
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        int64_t id = db_int(st, 0);
        buf_append(ids, &id, sizeof id);
    }
    db_done(st);
    return rc == DB_ERROR ? -1 : 0;
}

/* Call each for the measures whose ids are in ids, in that order. */
static int each_measure(Db *db, const Buf *ids, const char *day,
                        int (*each)(void *ctx, const Measure *m), void *ctx,
                        Err *err)
{
    size_t n = ids->len / sizeof(int64_t);
    for (size_t i = 0; i < n; i++) {
        MeasureRow r;
        if (measure_load(db, ((const int64_t *)ids->p)[i], day, &r, err))
            return -1;
        if (each(ctx, &r.m))
            break;
    }
    return 0;
}

int measures_of_person(Db *db, const Actor *a, int64_t person_id,
                       const char *day,
                       int (*each)(void *ctx, const Measure *m), void *ctx,
                       Err *err)
{
    int64_t village;
    char d[11];
    Buf ids = BUF_INIT;
    if (asked_day(day, d, err) ||
        people_require(db, a, person_id, &village, NULL, err))
        return -1;
    int rc = collect_ids(db, err, &ids,
                         "SELECT id FROM measures WHERE person_id = ?1"
                         " ORDER BY id DESC",
                         person_id);
    if (!rc)
        rc = each_measure(db, &ids, d, each, ctx, err);
    buf_free(&ids);
    return rc;
}

int measures_events(Db *db, const Actor *a, int64_t measure_id,
                    int (*each)(void *ctx, const MeasureEvent *e),
                    void *ctx, Err *err)
{
    char today[11];
    MeasureRow r;
    day_today(today);
    if (measure_require(db, a, measure_id, today, &r, err))
        return -1;
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT id, measure_id, at, actor, action, detail, reason"
                 " FROM measure_events WHERE measure_id = ?1 ORDER BY id",
                 "i", measure_id))
        return -1;
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        MeasureEvent e = {db_int(st, 0), db_int(st, 1), db_text(st, 2),
                          db_text(st, 3), db_text(st, 4), db_text(st, 5),
                          db_text(st, 6)};
        if (each(ctx, &e))
            break;
    }
    db_done(st);
    return rc == DB_ERROR ? -1 : 0;
}

typedef struct DueItem {
    int64_t id;
    char due[11];
} DueItem;

static int due_cmp(const void *x, const void *y)
{
    const DueItem *a = x, *b = y;
    int c = strcmp(a->due, b->due);
    return c ? c : (a->id > b->id) - (a->id < b->id);
}

int measures_release_due(Db *db, const Actor *a, const char *day,
                         int (*each)(void *ctx, const Measure *m), void *ctx,
                         Err *err)
{
    char d[11];
    if (asked_day(day, d, err))
        return -1;
    /* the due day is computed here, not in SQL, so the query stays
     * portable; active measures are few (hundreds in a county) */
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT m.id, m.basis_date, m.period_days, p.village_id"
                 " FROM measures m JOIN people p ON p.id = m.person_id"
                 " WHERE m.status = 'active'",
                 ""))
        return -1;
    Buf items = BUF_INIT;
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        DueItem it = {db_int(st, 0), ""};
        if (!actor_in_scope(a, db_int(st, 3)) ||
            day_add(db_text(st, 1), (int)db_int(st, 2), it.due) ||
            strcmp(it.due, d) > 0)
            continue;
        buf_append(&items, &it, sizeof it);
    }
    db_done(st);
    size_t n = items.len / sizeof(DueItem);
    if (rc != DB_ERROR && n)
        qsort(items.p, n, sizeof(DueItem), due_cmp);
    Buf ids = BUF_INIT;
    for (size_t i = 0; rc != DB_ERROR && i < n; i++)
        buf_append(&ids, &((DueItem *)items.p)[i].id, sizeof(int64_t));
    if (rc != DB_ERROR)
        rc = each_measure(db, &ids, d, each, ctx, err) ? DB_ERROR : 0;
    buf_free(&ids);
    buf_free(&items);
    return rc == DB_ERROR ? -1 : 0;
}
