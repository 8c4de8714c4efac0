/* checkpoints.h — checkpoint work (卡口登记): the duty roster of each
 * prevention point, passes of vehicles and people with an outcome per
 * person, the hand-over of new returnees to their village's register,
 * fever alerts at the barrier, self-registration from the QR poster and
 * the figures of the day.
 *
 * Points are places of type "point"; a record's scope is the point's
 * village (a scoped account sees and records only at its villages'
 * points; outside them: 404).  Writes run on the writer's connection in
 * the caller's transaction and are audited.  Strings in the read structs
 * live only during the callback that receives them. */
#ifndef FANGYI_CHECKPOINTS_H
#define FANGYI_CHECKPOINTS_H

#include <stdint.h>

#include "../base/buf.h"
#include "../db/db.h"
#include "actor.h"

enum {
    PASS_MAX_PERSONS = 60,        /* a full coach */
    CHECKIN_BODY_LIMIT = 4096,    /* the public form's body, bytes */
    CHECKIN_RATE_LIMIT = 20,      /* public submissions per address in the
                                     current and the previous window ... */
    CHECKIN_RATE_MINUTES = 10     /* ... in this many minutes */
};

/* ---- passes ------------------------------------------------------------ */

typedef struct PassPersonInput {
    const char *name, *id_number, *phone;
    const char *from;             /* region text; required for a returnee */
    int64_t to_village_id;        /* 0: none */
    const char *address, *reason;
    double temperature;
    int has_temperature;
    const char *outcome;          /* admitted, turned_back, new_returnee,
                                     fever_clinic */
    int64_t ref;                  /* a pass_people id whose ID number and
                                     phone fill in what is left out */
} PassPersonInput;

typedef struct PassInput {
    const char *client_id;        /* the phone's id; may be NULL */
    int64_t point_id;
    const char *at;               /* when it happened (offline); NULL now */
    const char *direction, *plate, *vehicle;
    int64_t checkin_id;           /* a self-registration confirmed */
    int npersons;
    PassPersonInput persons[PASS_MAX_PERSONS];
} PassInput;

/* passes_record validates and stores a pass with its people, hands new
 * returnees over to their village's register (screening pending, a
 * travel with source checkpoint; a known ID number is linked), opens a
 * fever alert for each temperature of 37.3 or more, and confirms the
 * self-registration named.  *replayed = 1 when client_id was stored
 * before: nothing is written and *pass_id is the earlier pass.  Errors
 * name the field ("persons[1].id_number"); nothing is stored then. */
int passes_record(Db *db, const Actor *a, const PassInput *in,
                  int64_t *pass_id, int *replayed, Err *err);

typedef struct PassPerson {
    int64_t id;
    const char *name, *id_number, *phone;  /* masked unless full */
    const char *from, *address, *reason, *outcome, *to_village_name;
    int64_t to_village_id, person_id, alert_id;
    double temperature;
    int fever;
} PassPerson;

typedef struct Pass {
    int64_t id, point_id, shift_id, checkin_id;
    const char *client_id, *point_name, *village_name, *at, *direction,
        *plate, *vehicle, *checker;
    int npersons;
    PassPerson persons[PASS_MAX_PERSONS];
} Pass;

typedef struct PassFilter {
    int64_t point_id, id;         /* 0: any */
    const char *day;              /* YYYY-MM-DD or NULL */
    const char *plate;            /* normalised here */
    const char *id_number;        /* normalised here */
    const char *outcome;
    int64_t before_id;            /* cursor: newest first */
    int limit;
    int full;                     /* unmasked (the caller checked pii.full) */
} PassFilter;

/* passes_list calls each() for the passes in scope, newest first, each
 * with its people (one query for the page).  Bad filter values: 422. */
int passes_list(Db *db, const Actor *a, const PassFilter *f,
                int (*each)(void *ctx, const Pass *p), void *ctx, Err *err);

/* What is known already, to fill in the form at the barrier: by plate,
 * the vehicle and people of its latest pass; by ID number, the person
 * (register first, then earlier passes).  Masked unless full. */
typedef struct Known {
    const char *vehicle;          /* plate lookups */
    int npersons;
    PassPerson persons[8];
    int found;
} Known;

int passes_known(Db *db, const Actor *a, const char *plate,
                 const char *id_number, int full,
                 int (*each)(void *ctx, const Known *k), void *ctx,
                 Err *err);

/* The figures of a day, per point and in total. */
typedef struct PointStats {
    int64_t point_id;
    const char *point_name, *village_name;
    long passes, people, turned_back, new_returnees, fevers, fever_clinic;
    long hours[24];
} PointStats;

int passes_stats(Db *db, const Actor *a, const char *day,
                 int (*each)(void *ctx, const PointStats *s), void *ctx,
                 Err *err);

/* ---- roster ------------------------------------------------------------ */

typedef struct ShiftInput {
    int64_t point_id;
    const char *starts_at, *ends_at;  /* "YYYY-MM-DDTHH:MM" town time, or
                                         UTC "...Z" */
    const char *staff;
    int64_t account_id;               /* 0: none */
} ShiftInput;

typedef struct Shift {
    int64_t id, point_id, account_id;
    const char *point_name, *starts_at, *ends_at, *staff;
} Shift;

int shifts_create(Db *db, const Actor *a, const ShiftInput *in,
                  int64_t *id, Err *err);
int shifts_delete(Db *db, const Actor *a, int64_t id, Err *err);
int shifts_get(Db *db, const Actor *a, int64_t id,
               int (*each)(void *ctx, const Shift *s), void *ctx, Err *err);

/* The roster of a day for every active point in scope: its shifts that
 * touch the day, who is on duty now, and the gaps in the day's 24-hour
 * cover (UTC times). */
typedef struct Gap {
    char from[21], to[21];
} Gap;

typedef struct RosterPoint {
    int64_t point_id;
    const char *point_name, *village_name;
    int nshifts;
    Shift *shifts;                /* this point's shifts touching the day */
    int ngaps;
    Gap gaps[64];
    int on_duty;                  /* shifts covering now */
} RosterPoint;

int roster_day(Db *db, const Actor *a, const char *day, int64_t point_id,
               int (*each)(void *ctx, const RosterPoint *p), void *ctx,
               Err *err);

/* ---- self-registration ------------------------------------------------ */

/* checkin_link gives the point's public token, making one the first time
 * (a write).  The point must be in scope. */
int checkin_link(Db *db, const Actor *a, int64_t point_id, char token[33],
                 Err *err);

typedef struct CheckinInput {
    const char *direction, *plate, *vehicle;
    const char *name, *id_number, *phone, *from, *address, *reason;
    int64_t to_village_id;
} CheckinInput;

/* checkin_point: the point behind a public token (404 if none or
 * inactive), for the public form's heading. */
int checkin_point(Db *db, const char *token, int64_t *point_id,
                  Buf *point_name, Err *err);

/* checkin_count_hit counts one public request from client (an address)
 * and says whether it is over the limit (*limited).  The count is kept
 * even when the request is refused. */
int checkin_count_hit(Db *db, const char *client, int *limited, Err *err);

/* checkin_submit validates and queues a self-registration at the point
 * of token; code gets the 6-digit code to show the checker. */
int checkin_submit(Db *db, const char *token, const CheckinInput *in,
                   char code[7], Err *err);

typedef struct Checkin {
    int64_t id, point_id, to_village_id;
    const char *code, *at, *direction, *plate, *vehicle, *name, *id_number,
        *phone, *from, *address, *reason, *status, *to_village_name;
} Checkin;

/* checkins_waiting: the point's queue, oldest first (masked unless
 * full). */
int checkins_waiting(Db *db, const Actor *a, int64_t point_id, int full,
                     int (*each)(void *ctx, const Checkin *c), void *ctx,
                     Err *err);
int checkins_reject(Db *db, const Actor *a, int64_t id, Err *err);

/* checkpoints_villages: every active village of the town, by name (a
 * traveller's destination, whatever the caller's scope; no people). */
int checkpoints_villages(Db *db,
                         int (*each)(void *ctx, int64_t id, const char *name),
                         void *ctx, Err *err);

/* checkpoints_vehicle_ok: one of the vehicle types. */
int checkpoints_vehicle_ok(const char *v);

#endif
