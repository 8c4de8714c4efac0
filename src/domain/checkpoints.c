/* checkpoints.c — passes at the prevention points: registration with the
 * hand-over of new returnees and fever alerts, the lists and search, what
 * is known of a plate or an ID number, and the figures of a day (see
 * checkpoints.h). */
#include "checkpoints.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../base/arena.h"
#include "../base/clock.h"
#include "../base/validate.h"
#include "audit.h"
#include "checkpoints_internal.h"
#include "observation.h"
#include "people.h"

static const char *const OUTCOMES[] = {"admitted", "turned_back",
                                       "new_returnee", "fever_clinic", NULL};
static const char *const VEHICLES[] = {"car",     "bus",     "truck",
                                       "motorbike", "on_foot", "other",
                                       NULL};

int cp_in_list(const char *s, const char *const *list)
{
    for (; s && *list; list++)
        if (strcmp(s, *list) == 0)
            return 1;
    return 0;
}

int checkpoints_vehicle_ok(const char *v)
{
    return cp_in_list(v, VEHICLES);
}

int cp_blank(const char *s)
{
    if (!s)
        return 1;
    for (; *s; s++)
        if (*s != ' ' && *s != '\t')
            return 0;
    return 1;
}

/* err's field becomes "persons[i].field" (the body's path). */
static int person_field(Err *err, int i, const char *field)
{
    char f[128];
    snprintf(f, sizeof f, "persons[%d].%s", i, field);
    size_t n = strlen(f);
    if (n >= sizeof err->field)
        n = sizeof err->field - 1;
    memcpy(err->field, f, n);
    err->field[n] = 0;
    return -1;
}

/* A 422 naming the person's field. */
static int pfail(Err *err, int i, const char *code, const char *field,
                 const char *msg)
{
    err_set(err, 422, code, field, "%s", msg);
    return person_field(err, i, field);
}

int cp_check_text(const char *s, const char *field, size_t max, Err *err)
{
    /* optional; at most max characters (not bytes: 张 is one), no
     * control characters */
    if (!s || !*s)
        return 0;
    return validate_name(s, field, max, err);
}

int cp_check_village(Db *db, int64_t id, const char *field, Err *err)
{
    int64_t v;
    int found;
    if (db_one_int(db, err, &v, &found,
                   "SELECT id FROM places WHERE id = ?1 AND type = 'village'",
                   "i", id))
        return -1;
    return found ? 0 : err_set(err, 422, "invalid_field", field,
                               "no such village");
}

int cp_point(Db *db, const Actor *a, int64_t point_id, int64_t *village,
             Err *err)
{
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT village_id, active FROM places WHERE id = ?1"
                 " AND type = 'point'",
                 "i", point_id))
        return -1;
    int rc = db_step(st, err);
    int active = 0;
    *village = 0;
    if (rc == DB_ROW) {
        *village = db_int(st, 0);
        active = (int)db_int(st, 1);
    }
    db_done(st);
    if (rc == DB_ERROR)
        return -1;
    if (rc == DB_DONE)
        return err_set(err, 404, "not_found", "point_id", "no such point");
    if (actor_require_scope(a, *village, err))
        return -1;
    if (!active)
        return err_set(err, 422, "invalid_field", "point_id",
                       "that point is closed");
    return 0;
}

int cp_today_ymd(void)
{
    return clock_local_ymd(clock_now());
}

/* ---- registration ------------------------------------------------------ */

/* A person's values after validation, owned by the caller's arena. */
typedef struct PersonOk {
    const char *name, *id_number, *phone, *from, *address, *reason,
        *outcome;
    int64_t to_village_id;
    double temperature;
    int fever;
} PersonOk;

/* Fill what the checker left out from a self-registration. */
static int merge_checkin(Db *db, int64_t point_id, PassInput *in,
                         Arena *ar, Err *err)
{
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT direction, plate, vehicle, name, id_number, phone,"
                 " from_text, to_village_id, address, reason, status"
                 " FROM checkins WHERE id = ?1 AND point_id = ?2",
                 "ii", in->checkin_id, point_id))
        return -1;
    int rc = db_step(st, err);
    if (rc != DB_ROW) {
        db_done(st);
        return rc == DB_ERROR ? -1
                              : err_set(err, 404, "not_found", "checkin_id",
                                        "no such self-registration here");
    }
    if (strcmp(db_text(st, 10), "waiting") != 0) {
        db_done(st);
        return err_set(err, 409, "conflict", "checkin_id",
                       "this self-registration was handled already");
    }
#define TAKE(dst, col) \
    if (!(dst)) (dst) = arena_strdup(ar, db_text(st, col))
    TAKE(in->direction, 0);
    TAKE(in->plate, 1);
    TAKE(in->vehicle, 2);
    if (in->npersons == 0)
        in->npersons = 1;
    PassPersonInput *p = &in->persons[0];
    TAKE(p->name, 3);
    TAKE(p->id_number, 4);
    TAKE(p->phone, 5);
    TAKE(p->from, 6);
    if (!p->to_village_id)
        p->to_village_id = db_int(st, 7);
    TAKE(p->address, 8);
    TAKE(p->reason, 9);
#undef TAKE
    db_done(st);
    return 0;
}

/* Fill a person's ID number and phone from an earlier pass (ref) or the
 * register (a known ID number), when the checker left them out. */
static int fill_known(Db *db, const Actor *a, PassPersonInput *p, int i,
                      Arena *ar, Err *err)
{
    DbStmt *st;
    if (p->ref) {
        if (db_query(db, &st, err,
                     "SELECT pp.id_number, pp.phone, s.village_id"
                     " FROM pass_people pp JOIN passes s ON s.id = pp.pass_id"
                     " WHERE pp.id = ?1",
                     "i", p->ref))
            return -1;
        int rc = db_step(st, err);
        /* a passenger of another village's point is no passenger of ours */
        int mine = rc == DB_ROW && actor_in_scope(a, db_int(st, 2));
        if (mine) {
            if (cp_blank(p->id_number))
                p->id_number = arena_strdup(ar, db_text(st, 0));
            if (cp_blank(p->phone))
                p->phone = arena_strdup(ar, db_text(st, 1));
        }
        db_done(st);
        if (rc == DB_ERROR)
            return -1;
        if (!mine)
            return pfail(err, i, "invalid_field", "ref",
                         "no such earlier passenger");
    }
    IdInfo info;
    Err ignored;
    if (!cp_blank(p->id_number) && cp_blank(p->phone) &&
        validate_id_number(p->id_number, "id_number", 0, &info,
                           &ignored) == 0) {
        /* a bad number is reported by check_person */
        if (db_query(db, &st, err,
                     "SELECT phone, village_id FROM people"
                     " WHERE id_number = ?1",
                     "t", info.normalized))
            return -1;
        int rc = db_step(st, err);
        /* the register's phone only for a person of the checker's own
         * villages */
        if (rc == DB_ROW && db_text(st, 0) &&
            actor_in_scope(a, db_int(st, 1)))
            p->phone = arena_strdup(ar, db_text(st, 0));
        db_done(st);
        if (rc == DB_ERROR)
            return -1;
    }
    return 0;
}

static int check_person(Db *db, PassPersonInput *p, int i, PersonOk *ok,
                        Arena *ar, Err *err)
{
    memset(ok, 0, sizeof *ok);
    if (validate_name(p->name, "name", 40, err))
        return person_field(err, i, "name");
    ok->name = p->name;
    if (!cp_blank(p->id_number)) {
        IdInfo info;
        if (validate_id_number(p->id_number, "id_number", cp_today_ymd(),
                               &info, err))
            return person_field(err, i, "id_number");
        ok->id_number = arena_strdup(ar, info.normalized);
    }
    if (!cp_blank(p->phone)) {
        char phone[12];
        if (validate_phone(p->phone, "phone", phone, err))
            return person_field(err, i, "phone");
        ok->phone = arena_strdup(ar, phone);
    }
    if (!p->has_temperature)
        return pfail(err, i, "missing_field", "temperature",
                         "the temperature is required");
    if (validate_temperature(p->temperature, "temperature", err))
        return person_field(err, i, "temperature");
    ok->temperature = p->temperature;
    ok->fever = temperature_is_fever(p->temperature);
    if (!p->outcome)
        return pfail(err, i, "missing_field", "outcome",
                         "the outcome is required");
    if (!cp_in_list(p->outcome, OUTCOMES))
        return pfail(err, i, "invalid_field", "outcome",
                         "outcome must be admitted, turned_back,"
                                    " new_returnee or fever_clinic");
    ok->outcome = p->outcome;
    /* DOMAIN.md: at a checkpoint a fever means a fever clinic */
    if (ok->fever && strcmp(p->outcome, "fever_clinic") != 0)
        return pfail(err, i, "invalid_field", "outcome",
                         "a temperature of 37.3 or more means"
                                    " the fever clinic");
    if (cp_check_text(p->from, "from", 100, err))
        return person_field(err, i, "from");
    if (cp_check_text(p->address, "address", 200, err))
        return person_field(err, i, "address");
    if (cp_check_text(p->reason, "reason", 200, err))
        return person_field(err, i, "reason");
    ok->from = p->from ? p->from : "";
    ok->address = p->address ? p->address : "";
    ok->reason = p->reason ? p->reason : "";
    if (p->to_village_id < 0)
        return pfail(err, i, "invalid_field", "to_village_id",
                     "no such village");
    if (p->to_village_id &&
        cp_check_village(db, p->to_village_id, "to_village_id", err))
        return person_field(err, i, "to_village_id");
    ok->to_village_id = p->to_village_id;
    if (strcmp(p->outcome, "new_returnee") == 0) {
        if (!ok->to_village_id)
            return pfail(err, i, "missing_field", "to_village_id",
                         "a new returnee's village is required");
        if (cp_blank(p->from))
            return pfail(err, i, "missing_field", "from",
                         "where a new returnee comes from"
                                        " is required");
    }
    return 0;
}

int cp_check_plate(const char *vehicle, const char *plate, char *out,
                   Err *err)
{
    out[0] = 0;
    if (!vehicle)
        return err_set(err, 422, "missing_field", "vehicle",
                       "the vehicle type is required");
    if (!cp_in_list(vehicle, VEHICLES))
        return err_set(err, 422, "invalid_field", "vehicle",
                       "vehicle must be car, bus, truck, motorbike, on_foot"
                       " or other");
    if (strcmp(vehicle, "on_foot") == 0)
        return 0;
    int needed = !strcmp(vehicle, "car") || !strcmp(vehicle, "bus") ||
                 !strcmp(vehicle, "truck");
    if (cp_blank(plate))
        return needed ? err_set(err, 422, "missing_field", "plate",
                                "the plate is required")
                      : 0;
    return validate_plate(plate, "plate", out, VALIDATE_PLATE_MAX, err);
}

/* The travel's transport from the vehicle at the barrier. */
static const char *transport_of(const char *vehicle)
{
    if (!strcmp(vehicle, "bus"))
        return "coach";
    if (!strcmp(vehicle, "car") || !strcmp(vehicle, "motorbike"))
        return "self_drive";
    return "other";
}

/* Parse "YYYY-MM-DDTHH:MM:SSZ" (UTC); -1 if it is not that. */
time_t cp_parse_utc(const char *s)
{
    struct tm tm = {0};
    char z = 0;
    if (!s || strlen(s) != 20 ||
        sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c", &tm.tm_year, &tm.tm_mon,
               &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &z) != 7 ||
        z != 'Z')
        return -1;
    int y = tm.tm_year, mo = tm.tm_mon, d = tm.tm_mday;
    /* 10:75 would roll over to 11:15: refused, not guessed */
    if (tm.tm_hour < 0 || tm.tm_hour > 23 || tm.tm_min < 0 ||
        tm.tm_min > 59 || tm.tm_sec < 0 || tm.tm_sec > 59)
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    time_t t = timegm(&tm);
    struct tm back;
    gmtime_r(&t, &back);
    if (back.tm_year + 1900 != y || back.tm_mon + 1 != mo ||
        back.tm_mday != d)
        return -1;
    return t;
}

/* The town's day (YYYY-MM-DD) and hour of t. */
void cp_local_day_hour(time_t t, char day[11], int *hour)
{
    struct tm tm;
    localtime_r(&t, &tm);
    char d[40];
    snprintf(d, sizeof d, "%04d-%02d-%02d", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday);
    memcpy(day, d, 10);
    day[10] = 0;
    if (hour)
        *hour = tm.tm_hour;
}

static int check_client_id(const char *s, Err *err)
{
    size_t n = strlen(s);
    if (n < 1 || n > 64)
        return err_set(err, 422, "invalid_field", "client_id",
                       "client_id must be 1 to 64 characters");
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '-' || c == '_'))
            return err_set(err, 422, "invalid_field", "client_id",
                           "client_id takes letters, digits, - and _");
    }
    return 0;
}

/* Hand a new returnee over to the village's register (pending
 * screening) or link a known ID number; *person_id is the record. */
static int hand_over(Db *db, const Actor *a, const PersonOk *p,
                     const char *plate, const char *vehicle,
                     const char *day, int i, int64_t *person_id, Err *err)
{
    /* a checker at a point works for the whole town's register: the
     * returnee goes to the destination village, which may not be the
     * point's (the audit entry still names the checker) */
    Actor town = *a;
    town.scope_all = 1;
    PersonInput pi = {0};
    pi.name = p->name;
    pi.id_number = p->id_number;
    pi.phone = p->phone;
    pi.village_id = p->to_village_id;
    pi.address = p->address;
    pi.is_case = -1;
    pi.screening = "pending";
    TravelInput ti = {0};
    ti.origin = p->from;
    ti.return_date = day;
    ti.transport = transport_of(vehicle);
    ti.transport_no = plate;
    ti.reason = p->reason;
    ti.contact_with_case = ti.symptoms = ti.companions_symptoms = 0;
    ti.source = "checkpoint";
    ti.status = "returned";
    int created;
    Classification cls;
    if (people_register(db, &town, &pi, &ti, person_id, &created, &cls,
                        err)) {
        const char *f = err->field;
        if (!strcmp(f, "origin"))
            return person_field(err, i, "from");
        if (!strcmp(f, "village_id"))
            return person_field(err, i, "to_village_id");
        if (*f && strncmp(f, "persons[", 8) != 0)
            return person_field(err, i, f);
        return -1;
    }
    return 0;
}

int passes_record(Db *db, const Actor *a, const PassInput *given,
                  int64_t *pass_id, int *replayed, Err *err)
{
    *pass_id = 0;
    *replayed = 0;
    Arena ar = ARENA_INIT;
    PassInput *in = arena_alloc(&ar, sizeof *in);
    *in = *given;
    int rc = -1;
    int64_t village;
    if (in->client_id) {
        if (check_client_id(in->client_id, err))
            goto out;
        DbStmt *st;
        if (db_query(db, &st, err,
                     "SELECT id, checker_id, village_id FROM passes"
                     " WHERE client_id = ?1",
                     "t", in->client_id))
            goto out;
        int r = db_step(st, err);
        int64_t id = r == DB_ROW ? db_int(st, 0) : 0;
        int64_t checker = r == DB_ROW ? db_int(st, 1) : 0;
        db_done(st);
        if (r == DB_ERROR)
            goto out;
        if (id) {
            if (checker != a->id) {
                err_set(err, 409, "conflict", "client_id",
                        "another checker's registration has this id");
                goto out;
            }
            *pass_id = id;
            *replayed = 1;
            rc = 0;
            goto out;
        }
    }
    if (!in->point_id) {
        err_set(err, 422, "missing_field", "point_id", "the point is required");
        goto out;
    }
    if (cp_point(db, a, in->point_id, &village, err))
        goto out;
    if (in->checkin_id && merge_checkin(db, in->point_id, in, &ar, err))
        goto out;
    if (!in->direction) {
        err_set(err, 422, "missing_field", "direction",
                "the direction is required");
        goto out;
    }
    if (strcmp(in->direction, "in") && strcmp(in->direction, "out")) {
        err_set(err, 422, "invalid_field", "direction",
                "direction must be in or out");
        goto out;
    }
    char plate[VALIDATE_PLATE_MAX];
    if (cp_check_plate(in->vehicle, in->plate, plate, err))
        goto out;
    time_t now = clock_now(), at = now;
    if (in->at && *in->at) {
        at = cp_parse_utc(in->at);
        if (at < 0 || at > now + 300 || at < now - 7 * 86400) {
            err_set(err, 422, "invalid_field", "at",
                    "at must be a UTC time (YYYY-MM-DDTHH:MM:SSZ) of the"
                    " last 7 days");
            goto out;
        }
    }
    if (in->npersons < 1) {
        err_set(err, 422, "missing_field", "persons",
                "at least one person is required");
        goto out;
    }
    PersonOk *ok = arena_alloc(&ar, sizeof *ok * (size_t)in->npersons);
    for (int i = 0; i < in->npersons; i++) {
        if (fill_known(db, a, &in->persons[i], i, &ar, err) ||
            check_person(db, &in->persons[i], i, &ok[i], &ar, err))
            goto out;
    }
    char at_iso[21], day[11];
    int hour;
    clock_iso_utc(at, at_iso);
    cp_local_day_hour(at, day, &hour);
    /* the shift on duty: the checker's own first, else the point's */
    int64_t shift = 0;
    int found;
    if (db_one_int(db, err, &shift, &found,
                   "SELECT id FROM shifts WHERE point_id = ?1"
                   " AND starts_at <= ?2 AND ends_at > ?2"
                   " ORDER BY CASE WHEN account_id = ?3 THEN 0 ELSE 1 END,"
                   " starts_at DESC LIMIT 1",
                   "iti", in->point_id, at_iso, a->id))
        goto out;
    char now_iso[21];
    clock_iso_utc(now, now_iso);
    if (db_insert(db, err, pass_id,
                  "INSERT INTO passes (client_id, point_id, village_id, at,"
                  " day, hour, direction, plate, vehicle, checker_id, checker,"
                  " shift_id, checkin_id, persons, created_at) VALUES (?1,"
                  " ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
                  " ?15) RETURNING id",
                  "tiittitttitIIit", in->client_id, in->point_id, village,
                  at_iso, day, (int64_t)hour, in->direction,
                  plate[0] ? plate : NULL, in->vehicle, a->id,
                  a->display_name[0] ? a->display_name : a->username,
                  found ? shift : 0, in->checkin_id,
                  (int64_t)in->npersons, now_iso))
        goto out;
    long fevers = 0, returnees = 0;
    for (int i = 0; i < in->npersons; i++) {
        PersonOk *p = &ok[i];
        int64_t person = 0, alert = 0;
        if (!strcmp(p->outcome, "new_returnee")) {
            if (hand_over(db, a, p, plate, in->vehicle, day, i, &person,
                          err))
                goto out;
            returnees++;
        } else if (p->id_number &&
                   db_one_int(db, err, &person, &found,
                              "SELECT id FROM people WHERE id_number = ?1",
                              "t", p->id_number)) {
            goto out;
        }
        if (p->fever) {
            AlertOpen ao = {0};
            ao.source = "checkpoint";
            ao.village_id = p->to_village_id ? p->to_village_id : village;
            ao.place_id = in->point_id;
            ao.person_id = person;
            ao.subject = p->name;
            ao.temperature = p->temperature;
            ao.symptoms = "fever";
            if (alerts_open_fever(db, a, &ao, &alert, err))
                goto out;
            fevers++;
        }
        if (db_run(db, err,
                   "INSERT INTO pass_people (pass_id, name, id_number,"
                   " phone, from_text, to_village_id, address, temperature,"
                   " fever, reason, outcome, person_id, alert_id) VALUES"
                   " (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                   "ittttItdittII", *pass_id, p->name, p->id_number,
                   p->phone, p->from, p->to_village_id, p->address,
                   p->temperature, (int64_t)p->fever, p->reason, p->outcome,
                   person, alert))
            goto out;
    }
    if (in->checkin_id &&
        db_run(db, err,
               "UPDATE checkins SET status = 'confirmed', pass_id = ?2,"
               " handled_by = ?3, handled_at = ?4 WHERE id = ?1",
               "iitt", in->checkin_id, *pass_id, a->username, now_iso))
        goto out;
    char summary[160];
    snprintf(summary, sizeof summary, "%s %s %s: %d people, %ld new"
             " returnees, %ld fevers", in->direction, in->vehicle,
             plate[0] ? plate : "-", in->npersons, returnees, fevers);
    rc = audit_record(db, a, "create", "pass", *pass_id, summary, NULL,
                      summary, err);
out:
    arena_free(&ar);
    return rc;
}

/* ---- reading ------------------------------------------------------------ */

/* Mask into the arena unless full. */
static const char *masked_id(Arena *ar, const char *v, int full)
{
    if (!v || full)
        return arena_strdup(ar, v);
    char m[24];
    people_mask_id(v, m);
    return arena_strdup(ar, m);
}

static const char *masked_phone(Arena *ar, const char *v, int full)
{
    if (!v || full)
        return arena_strdup(ar, v);
    char m[16];
    people_mask_phone(v, m);
    return arena_strdup(ar, m);
}

/* The columns of a pass person, starting at column c. */
static void read_person(DbStmt *st, int c, PassPerson *pp, Arena *ar,
                        int full)
{
    pp->id = db_int(st, c);
    pp->name = arena_strdup(ar, db_text(st, c + 1));
    pp->id_number = masked_id(ar, db_text(st, c + 2), full);
    pp->phone = masked_phone(ar, db_text(st, c + 3), full);
    pp->from = arena_strdup(ar, db_text(st, c + 4));
    pp->to_village_id = db_int(st, c + 5);
    pp->to_village_name = arena_strdup(ar, db_text(st, c + 6));
    pp->address = arena_strdup(ar, db_text(st, c + 7));
    pp->temperature = db_double(st, c + 8);
    pp->fever = (int)db_int(st, c + 9);
    pp->reason = arena_strdup(ar, db_text(st, c + 10));
    pp->outcome = arena_strdup(ar, db_text(st, c + 11));
    pp->person_id = db_int(st, c + 12);
    pp->alert_id = db_int(st, c + 13);
}

#define PP_COLS                                                         \
    "pp.id, pp.name, pp.id_number, pp.phone, pp.from_text,"             \
    " pp.to_village_id, tv.name, pp.address, pp.temperature, pp.fever," \
    " pp.reason, pp.outcome, pp.person_id, pp.alert_id"

int passes_list(Db *db, const Actor *a, const PassFilter *f,
                int (*each)(void *ctx, const Pass *p), void *ctx, Err *err)
{
    char plate[VALIDATE_PLATE_MAX] = "";
    IdInfo info = {0};
    if (f->plate && validate_plate(f->plate, "plate", plate, sizeof plate,
                                   err))
        return -1;
    if (f->id_number &&
        validate_id_number(f->id_number, "id_number", 0, &info, err))
        return -1;
    if (f->day && validate_date(f->day, "day", NULL, err))
        return -1;
    if (f->outcome && !cp_in_list(f->outcome, OUTCOMES))
        return err_set(err, 422, "invalid_field", "outcome",
                       "no such outcome");
    /* fixed pieces of SQL, every value a numbered parameter; the page of
     * passes is chosen first, then joined with its people in one query */
    Buf sql = BUF_INIT;
    buf_puts(&sql, "SELECT s.id, s.client_id, s.point_id, pt.name, v.name,"
                   " s.at, s.direction, s.plate, s.vehicle, s.checker,"
                   " s.shift_id, s.checkin_id, " PP_COLS
                   " FROM (SELECT * FROM passes s WHERE 1 = 1");
    if (!a->scope_all)
        buf_puts(&sql, " AND s.village_id IN (SELECT village_id FROM"
                       " account_villages WHERE account_id = ?1)");
    if (f->id)
        buf_puts(&sql, " AND s.id = ?2");
    if (f->point_id)
        buf_puts(&sql, " AND s.point_id = ?3");
    if (f->day)
        buf_puts(&sql, " AND s.day = ?4");
    if (plate[0])
        buf_puts(&sql, " AND s.plate = ?5");
    if (info.normalized[0])
        buf_puts(&sql, " AND s.id IN (SELECT pass_id FROM pass_people"
                       " WHERE id_number = ?6)");
    if (f->outcome)
        buf_puts(&sql, " AND EXISTS (SELECT 1 FROM pass_people o"
                       " WHERE o.pass_id = s.id AND o.outcome = ?7)");
    if (f->before_id)
        buf_puts(&sql, " AND s.id < ?8");
    buf_puts(&sql, " AND ?9 = ?9 ORDER BY s.id DESC LIMIT ?10) s"
                   " JOIN places pt ON pt.id = s.point_id"
                   " JOIN places v ON v.id = s.village_id"
                   " JOIN pass_people pp ON pp.pass_id = s.id"
                   " LEFT JOIN places tv ON tv.id = pp.to_village_id"
                   " ORDER BY s.id DESC, pp.id");
    DbStmt *st;
    int rc = db_query(db, &st, err, sql.p, "iiittttiii", a->id, f->id,
                      f->point_id, f->day, plate, info.normalized,
                      f->outcome, f->before_id, (int64_t)0,
                      (int64_t)(f->limit > 0 ? f->limit : 100));
    buf_free(&sql);
    if (rc)
        return -1;
    Arena ar = ARENA_INIT;
    Pass *p = calloc(1, sizeof *p);
    if (!p)
        abort();
    int r;
    rc = 0;
    while ((r = db_step(st, err)) == DB_ROW) {
        int64_t id = db_int(st, 0);
        if (p->id && p->id != id) {
            if ((rc = each(ctx, p)))
                break;
            arena_free(&ar);
            memset(p, 0, sizeof *p);
        }
        if (!p->id) {
            p->id = id;
            p->client_id = arena_strdup(&ar, db_text(st, 1));
            p->point_id = db_int(st, 2);
            p->point_name = arena_strdup(&ar, db_text(st, 3));
            p->village_name = arena_strdup(&ar, db_text(st, 4));
            p->at = arena_strdup(&ar, db_text(st, 5));
            p->direction = arena_strdup(&ar, db_text(st, 6));
            p->plate = arena_strdup(&ar, db_text(st, 7));
            p->vehicle = arena_strdup(&ar, db_text(st, 8));
            p->checker = arena_strdup(&ar, db_text(st, 9));
            p->shift_id = db_int(st, 10);
            p->checkin_id = db_int(st, 11);
        }
        if (p->npersons < PASS_MAX_PERSONS)
            read_person(st, 12, &p->persons[p->npersons++], &ar, f->full);
    }
    db_done(st);
    if (r == DB_ERROR)
        rc = -1;
    else if (!rc && p->id)
        rc = each(ctx, p);
    arena_free(&ar);
    free(p);
    return rc;
}

int passes_known(Db *db, const Actor *a, const char *plate_in,
                 const char *id_in, int full,
                 int (*each)(void *ctx, const Known *k), void *ctx,
                 Err *err)
{
    Known k;
    memset(&k, 0, sizeof k);
    Arena ar = ARENA_INIT;
    DbStmt *st;
    int r, rc = -1;
    if (plate_in) {
        char plate[VALIDATE_PLATE_MAX];
        if (validate_plate(plate_in, "plate", plate, sizeof plate, err))
            return -1;
        /* the latest pass of that plate in scope, with its people */
        if (db_query(db, &st, err,
                     "SELECT s.vehicle, " PP_COLS " FROM (SELECT id, vehicle"
                     " FROM passes s WHERE plate = ?1 AND (?2 = 1 OR"
                     " village_id IN (SELECT village_id FROM account_villages"
                     " WHERE account_id = ?3)) ORDER BY id DESC LIMIT 1) s"
                     " JOIN pass_people pp ON pp.pass_id = s.id"
                     " LEFT JOIN places tv ON tv.id = pp.to_village_id"
                     " ORDER BY pp.id LIMIT 8",
                     "tii", plate, (int64_t)a->scope_all, a->id))
            return -1;
        while ((r = db_step(st, err)) == DB_ROW) {
            k.found = 1;
            if (!k.vehicle)
                k.vehicle = arena_strdup(&ar, db_text(st, 0));
            read_person(st, 1, &k.persons[k.npersons++], &ar, full);
        }
        db_done(st);
        if (r == DB_ERROR)
            goto out;
    } else if (id_in) {
        IdInfo info;
        if (validate_id_number(id_in, "id_number", 0, &info, err))
            return -1;
        /* the register knows a person in every village: a checker may
         * need the name and village of whoever stands at the barrier */
        if (db_query(db, &st, err,
                     "SELECT p.id, p.name, p.id_number, p.phone,"
                     " COALESCE((SELECT origin_text FROM travels t"
                     " WHERE t.person_id = p.id ORDER BY t.id DESC LIMIT 1),"
                     " ''), p.village_id, v.name, p.address"
                     " FROM people p JOIN places v ON v.id = p.village_id"
                     " WHERE p.id_number = ?1",
                     "t", info.normalized))
            return -1;
        r = db_step(st, err);
        if (r == DB_ROW) {
            PassPerson *pp = &k.persons[k.npersons++];
            k.found = 1;
            pp->person_id = db_int(st, 0);
            pp->name = arena_strdup(&ar, db_text(st, 1));
            pp->id_number = masked_id(&ar, db_text(st, 2), 1);
            /* the phone only for a person of the caller's villages */
            pp->phone = actor_in_scope(a, db_int(st, 5))
                            ? masked_phone(&ar, db_text(st, 3), full)
                            : NULL;
            pp->from = arena_strdup(&ar, db_text(st, 4));
            pp->to_village_id = db_int(st, 5);
            pp->to_village_name = arena_strdup(&ar, db_text(st, 6));
            pp->address = arena_strdup(&ar, db_text(st, 7));
        }
        db_done(st);
        if (r == DB_ERROR)
            goto out;
        if (!k.found) {
            /* an earlier pass of that number at a point in scope */
            if (db_query(db, &st, err,
                         "SELECT " PP_COLS " FROM pass_people pp"
                         " JOIN passes s ON s.id = pp.pass_id"
                         " LEFT JOIN places tv ON tv.id = pp.to_village_id"
                         " WHERE pp.id_number = ?1 AND (?2 = 1 OR"
                         " s.village_id IN (SELECT village_id FROM"
                         " account_villages WHERE account_id = ?3))"
                         " ORDER BY pp.id DESC LIMIT 1",
                         "tii", info.normalized, (int64_t)a->scope_all,
                         a->id))
                goto out;
            r = db_step(st, err);
            if (r == DB_ROW) {
                k.found = 1;
                read_person(st, 0, &k.persons[k.npersons++], &ar, full);
                /* the checker typed the number: it is theirs to see */
                k.persons[0].id_number =
                    arena_strdup(&ar, info.normalized);
            }
            db_done(st);
            if (r == DB_ERROR)
                goto out;
        }
    }
    rc = each(ctx, &k);
out:
    arena_free(&ar);
    return rc;
}

int passes_stats(Db *db, const Actor *a, const char *day,
                 int (*each)(void *ctx, const PointStats *s), void *ctx,
                 Err *err)
{
    if (validate_date(day, "day", NULL, err))
        return -1;
    /* one row per point and hour with its passes, and the people of
     * those passes by outcome and fever; points with no pass too */
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT pt.id, pt.name, v.name, s.hour, count(DISTINCT s.id),"
                 " count(pp.id),"
                 " sum(CASE WHEN pp.outcome = 'turned_back' THEN 1 ELSE 0"
                 " END),"
                 " sum(CASE WHEN pp.outcome = 'new_returnee' THEN 1 ELSE 0"
                 " END), sum(pp.fever),"
                 " sum(CASE WHEN pp.outcome = 'fever_clinic' THEN 1 ELSE 0"
                 " END)"
                 " FROM places pt JOIN places v ON v.id = pt.village_id"
                 " LEFT JOIN passes s ON s.point_id = pt.id AND s.day = ?1"
                 " LEFT JOIN pass_people pp ON pp.pass_id = s.id"
                 " WHERE pt.type = 'point' AND (?2 = 1 OR pt.village_id IN"
                 " (SELECT village_id FROM account_villages"
                 " WHERE account_id = ?3))"
                 " GROUP BY pt.id, v.id, s.hour"
                 " ORDER BY v.name, pt.name, pt.id",
                 "tii", day, (int64_t)a->scope_all, a->id))
        return -1;
    PointStats s;
    memset(&s, 0, sizeof s);
    Arena ar = ARENA_INIT;
    int r, rc = 0;
    while ((r = db_step(st, err)) == DB_ROW) {
        int64_t id = db_int(st, 0);
        if (s.point_id && s.point_id != id) {
            if ((rc = each(ctx, &s)))
                break;
            arena_free(&ar);
            memset(&s, 0, sizeof s);
        }
        if (!s.point_id) {
            s.point_id = id;
            s.point_name = arena_strdup(&ar, db_text(st, 1));
            s.village_name = arena_strdup(&ar, db_text(st, 2));
        }
        if (db_is_null(st, 3))
            continue;
        int hour = (int)db_int(st, 3);
        long n = (long)db_int(st, 4);
        if (hour >= 0 && hour < 24)
            s.hours[hour] += n;
        s.passes += n;
        s.people += (long)db_int(st, 5);
        s.turned_back += (long)db_int(st, 6);
        s.new_returnees += (long)db_int(st, 7);
        s.fevers += (long)db_int(st, 8);
        s.fever_clinic += (long)db_int(st, 9);
    }
    db_done(st);
    if (r == DB_ERROR)
        rc = -1;
    else if (!rc && s.point_id)
        rc = each(ctx, &s);
    arena_free(&ar);
    return rc;
}
