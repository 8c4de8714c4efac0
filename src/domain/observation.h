/* observation.h — home observation (居家隔离医学观察): measures and their
 * history, the responsibility chain ("三包一挂"), twice-daily checks,
 * fever and missed-check alerts, today's round and the town's board.
 *
 * Days are calendar days in the town's time zone, written YYYY-MM-DD.
 * A measure's day 1 is its basis date, its last day is day N (N = the
 * period) and release is due on day N + 1.  Slots: 1 = morning (missed
 * after 12:00), 2 = evening (missed after 24:00). */
#ifndef FANGYI_OBSERVATION_H
#define FANGYI_OBSERVATION_H

#include <stdint.h>

#include "../db/db.h"
#include "actor.h"
#include "people.h"

/* ---- day arithmetic (observation_days.c) ---------------------------- */

/* day_add: the date n days after (or before, n < 0) day, into out[11].
 * Returns 0, or -1 if day is not a valid YYYY-MM-DD. */
int day_add(const char *day, int n, char out[11]);
/* day_diff: b - a in days (both valid dates). */
int day_diff(const char *a, const char *b);
/* day_today: the town's calendar day now (clock_now), into out[11]. */
void day_today(char out[11]);

/* ---- measures (measures.c) ------------------------------------------ */

typedef struct MeasureInput {
    const char *type;        /* home_isolation, home_monitoring,
                                central_isolation */
    const char *basis;       /* last_exposure, departure, start */
    const char *basis_date;  /* YYYY-MM-DD; "start" defaults to today */
    int period_days;         /* 0: the policy's period for the type */
    int slots_per_day;       /* 0: 2 */
} MeasureInput;

/* A change of an active measure.  action is one of:
 *   extend    days > 0            the period grows
 *   shorten   days > 0, reason    the period shrinks (not below today)
 *   restart   basis, basis_date   re-exposure: day 1 starts again
 *   transfer  type or "hospital", reason
 *                                 home -> central changes the type; to
 *                                 hospital ends it as transferred
 *   end       reason              stops it (status ended)
 *   release   date (default today; before the due day needs a reason)
 *   door_notice date (default today)  the sealed-door notice is posted */
typedef struct MeasureChange {
    const char *action;
    int days;
    const char *reason;
    const char *type;
    const char *basis;
    const char *basis_date;
    const char *date;
} MeasureChange;

typedef struct Measure {
    int64_t id, person_id;
    const char *person_name, *type, *basis, *basis_date;
    int period_days, slots_per_day;
    const char *status;
    int door_notice;
    const char *door_notice_date, *end_date, *end_reason, *created_at;
    /* derived for the day asked about (usually today) */
    char last_day[11];       /* basis + period - 1 */
    char release_due[11];    /* basis + period */
    int day_number;          /* 1.. on the asked day; 0 before day 1 */
} Measure;

typedef struct MeasureEvent {
    int64_t id, measure_id;
    const char *at, *actor, *action, *detail, *reason;
} MeasureEvent;

/* measures_start: a new active measure (409 if one is active already). */
int measures_start(Db *db, const Actor *a, int64_t person_id,
                   const MeasureInput *in, int64_t *id, Err *err);
int measures_change(Db *db, const Actor *a, int64_t measure_id,
                    const MeasureChange *ch, Err *err);
/* measures_follow_policy: after a classification, start the measure the
 * policy gives when the person has none active (basis: departure from
 * the risk area, or the last exposure), or restart the count of the
 * active one when a newer exposure or departure comes later. */
int measures_follow_policy(Db *db, const Actor *a, int64_t person_id,
                           const Classification *cls, Err *err);
int measures_get(Db *db, const Actor *a, int64_t measure_id,
                 const char *day, int (*each)(void *ctx, const Measure *m),
                 void *ctx, Err *err);
int measures_of_person(Db *db, const Actor *a, int64_t person_id,
                       const char *day,
                       int (*each)(void *ctx, const Measure *m), void *ctx,
                       Err *err);
int measures_events(Db *db, const Actor *a, int64_t measure_id,
                    int (*each)(void *ctx, const MeasureEvent *e),
                    void *ctx, Err *err);
/* measures_release_due: active measures whose release is due on or
 * before day, within the actor's scope (the cadre confirms each). */
int measures_release_due(Db *db, const Actor *a, const char *day,
                         int (*each)(void *ctx, const Measure *m), void *ctx,
                         Err *err);

/* ---- the responsibility chain (chain.c) ------------------------------ */

typedef struct ChainRole {
    const char *code, *name_zh, *name_en;
    int position, active;
} ChainRole;

typedef struct Assignment {
    int64_t person_id;
    const char *role, *role_zh, *role_en;
    int64_t account_id;
    const char *username, *display_name;
} Assignment;

int chain_roles_list(Db *db, int (*each)(void *ctx, const ChainRole *r),
                     void *ctx, Err *err);
/* chain_roles_save adds or renames a role (name_zh/name_en, active). */
int chain_roles_save(Db *db, const Actor *a, const char *code,
                     const char *name_zh, const char *name_en, int active,
                     Err *err);
/* chain_assign: account answers for the person in role (replaces who
 * did); account_id 0 removes the role's assignment. */
int chain_assign(Db *db, const Actor *a, int64_t person_id,
                 const char *role, int64_t account_id, Err *err);
/* chain_assign_bulk: every person with an active measure in the grid (or
 * the village, when grid_id is 0) gets the account in that role;
 * *count says how many. */
int chain_assign_bulk(Db *db, const Actor *a, int64_t village_id,
                      int64_t grid_id, const char *role, int64_t account_id,
                      long *count, Err *err);
int chain_of_person(Db *db, const Actor *a, int64_t person_id,
                    int (*each)(void *ctx, const Assignment *x), void *ctx,
                    Err *err);

/* ---- checks, alerts, round, board (checks.c, alerts.c) ------------- */

typedef struct CheckInput {
    const char *day;            /* NULL: today */
    int slot;                   /* 1, 2, or 0: the slot of the hour */
    double temperature;
    int has_temperature;
    const char *symptoms[8];    /* codes from CHECK_SYMPTOMS */
    int nsymptoms;
    const char *method;         /* visit (default), phone, video */
    const char *note;
} CheckInput;

/* The symptom codes of DOMAIN.md, NULL-terminated: fever, dry_cough,
 * fatigue, sore_throat, smell_taste_loss, diarrhoea, short_breath. */
extern const char *const CHECK_SYMPTOMS[];

typedef struct Check {
    int64_t id, measure_id, person_id;
    const char *day;
    int slot;
    const char *at;
    double temperature;
    const char *symptoms, *method, *checker, *note;
} Check;

/* checks_record stores one check of an active measure (the person in the
 * actor's scope; 409 if the slot has a check; 422 for a temperature
 * outside 35.0-42.5).  A temperature of 37.3 or more, or a symptom,
 * opens a fever alert: *alert_id (0 if none). */
int checks_record(Db *db, const Actor *a, int64_t measure_id,
                  const CheckInput *in, int64_t *check_id, int64_t *alert_id,
                  Err *err);
/* checks_of_measure: every check of the measure, in day and slot order;
 * with only_check_id just that one. */
int checks_of_measure(Db *db, const Actor *a, int64_t measure_id,
                      int64_t only_check_id,
                      int (*each)(void *ctx, const Check *c), void *ctx,
                      Err *err);

/* One person on a round: who, where, and the state of each slot today. */
typedef struct RoundItem {
    int64_t person_id, measure_id;
    const char *name, *address, *village_name, *grid_name, *type;
    const char *phone;           /* masked unless the actor has pii.full */
    int day_number, period_days, slots_per_day;
    /* per slot: 0 due, 1 done, 2 missed, 3 not yet open */
    int slot_state[2];
    double slot_temp[2];         /* when done */
    int open_fever;              /* an open fever alert */
} RoundItem;

/* round_list: the people whose checks on day fall to the account (it
 * holds a role in their chain), in the order of their addresses. */
int round_list(Db *db, const Actor *a, int64_t account_id, const char *day,
               int (*each)(void *ctx, const RoundItem *it), void *ctx,
               Err *err);

typedef struct Alert {
    int64_t id;
    const char *kind;
    int64_t person_id, measure_id;
    const char *person_name, *village_name, *day;
    int slot;
    double temperature;
    const char *symptoms, *opened_at, *reported_at, *reported_by,
        *referred_at, *referred_to, *outcome, *outcome_at;
    int closed;
    int overdue;                 /* fever, not reported within 2 hours */
    const char *source;          /* observation, checkpoint, gate */
    int64_t village_id, place_id;
} Alert;

typedef struct AlertFilter {
    const char *kind;            /* fever, missed or NULL */
    int open_only;
    int64_t person_id;
    int64_t id;                  /* just this alert, or 0 */
    int64_t after_id;            /* cursor (newest first: id < after) */
    int limit;
} AlertFilter;

/* What opens a fever alert outside a check: a checkpoint or a gate. */
typedef struct AlertOpen {
    const char *source;          /* checkpoint or gate */
    int64_t village_id;          /* required: whose alert it is */
    int64_t place_id;            /* the point or venue, or 0 */
    int64_t person_id;           /* a person of the register, or 0 */
    const char *subject;         /* the name when not in the register */
    double temperature;
    const char *symptoms;        /* comma-separated codes, or "" */
} AlertOpen;

/* alerts_open_fever opens a fever alert (a write; audited).  The caller
 * has checked the temperature (fever) and the village's scope. */
int alerts_open_fever(Db *db, const Actor *a, const AlertOpen *in,
                      int64_t *alert_id, Err *err);

int alerts_list(Db *db, const Actor *a, const AlertFilter *f,
                int (*each)(void *ctx, const Alert *al), void *ctx,
                Err *err);
/* alerts_advance: step is "report", "refer" (to: where), "outcome"
 * (outcome text; closes the alert) or "close" (a missed-check alert
 * explained).  Steps go in order; each is timed. */
int alerts_advance(Db *db, const Actor *a, int64_t alert_id,
                   const char *step, const char *to, const char *outcome,
                   Err *err);
/* alerts_sweep_missed opens a missed-check alert for every slot of an
 * active measure whose deadline has passed without a check (back to the
 * measure's day 1, at most 3 days back).  *opened counts them. */
int alerts_sweep_missed(Db *db, long *opened, Err *err);

/* The board: per village, for day. */
typedef struct BoardRow {
    int64_t village_id;
    const char *village_name;
    long under_observation, due_today, done, missed, fever_open,
        release_due;
} BoardRow;

int board_rows(Db *db, const Actor *a, const char *day,
               int (*each)(void *ctx, const BoardRow *row), void *ctx,
               Err *err);

#endif
