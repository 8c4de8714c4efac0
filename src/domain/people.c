/* people.c — registering people and their travels (see people.h).
 * Reads and lists are in people_read.c, classification in classify.c,
 * contacts and merging in contacts.c. */
#include "people.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../base/buf.h"
#include "../base/clock.h"
#include "../base/json.h"
#include "../base/validate.h"
#include "audit.h"
#include "people_internal.h"
#include "regions.h"

const char *const PEOPLE_KINDS[] = {"returnee_high", "returnee_medium",
                                    "returnee_low", "close_contact",
                                    "contact_of_contact", NULL};
/* weakest first: classify.c ranks measures by their place here */
const char *const PEOPLE_MEASURES[] = {"none", "home_monitoring",
                                       "home_isolation", "central_isolation",
                                       NULL};
const char *const PEOPLE_TRANSPORTS[] = {"rail", "air", "coach",
                                         "self_drive", "other", NULL};
const char *const PEOPLE_SOURCES[] = {"door_to_door", "checkpoint",
                                      "self_registration", "higher_level",
                                      NULL};
const char *const PEOPLE_STATUSES[] = {"returned", "expected", NULL};

static const char *or_empty(const char *s) { return s ? s : ""; }
static int flag(int v) { return v > 0; }

int people_in_list(const char *s, const char *const *list)
{
    for (int i = 0; s && list[i]; i++)
        if (strcmp(s, list[i]) == 0)
            return 1;
    return 0;
}

/* A one-of field: NULL passes; anything else must be in the list. */
static int check_choice(const char *v, const char *const *list,
                        const char *field, Err *err)
{
    if (!v || people_in_list(v, list))
        return 0;
    Buf b = BUF_INIT;
    for (int i = 0; list[i]; i++)
        buf_printf(&b, "%s%s", i ? ", " : "", list[i]);
    err_set(err, 422, "invalid_field", field, "%s must be one of: %s", field,
            b.p);
    buf_free(&b);
    return -1;
}

/* An optional free-text field of at most max characters. */
static int check_text(const char *v, const char *field, size_t max, Err *err)
{
    if (!v || !*v)
        return 0;
    return validate_name(v, field, max, err);
}

static int check_date(const char *v, const char *field, Err *err)
{
    int ymd;
    if (!v || !*v)
        return 0;
    return validate_date(v, field, &ymd, err);
}

int people_today(char out[11])
{
    time_t now = clock_now();
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
    return clock_local_ymd(now);
}

/* The checked, normalised values of a PersonInput. */
typedef struct PersonValues {
    char id_number[19];
    const char *id_flag;      /* NULL, missing, legacy15, region_unknown */
    char sex[2];
    char birth[11];
    char phone[12];
    int has_id, has_phone;
} PersonValues;

/* Validate the identity fields; on create every rule applies, on update
 * only the fields given. */
static int check_identity(const PersonInput *in, int creating,
                          PersonValues *v, Err *err)
{
    memset(v, 0, sizeof *v);
    if ((creating || in->name) && validate_name(in->name, "name", 32, err))
        return -1;
    if (in->id_number && *in->id_number) {
        IdInfo info;
        if (validate_id_number(in->id_number, "id_number",
                               clock_local_ymd(clock_now()), &info, err))
            return -1;
        snprintf(v->id_number, sizeof v->id_number, "%s", info.normalized);
        v->has_id = 1;
        v->id_flag = info.legacy15        ? "legacy15"
                     : !info.region_known ? "region_unknown"
                                          : NULL;
        v->sex[0] = info.sex;
        snprintf(v->birth, sizeof v->birth, "%04d-%02d-%02d",
                 info.birth_year, info.birth_month, info.birth_day);
    } else if (creating) {
        v->id_flag = "missing";
    }
    if (!v->has_id && in->sex && *in->sex) {
        if (!strcmp(in->sex, "M") || !strcmp(in->sex, "男"))
            v->sex[0] = 'M';
        else if (!strcmp(in->sex, "F") || !strcmp(in->sex, "女"))
            v->sex[0] = 'F';
        else
            return err_set(err, 422, "invalid_field", "sex",
                           "sex must be M or F (男 or 女)");
    }
    if (in->phone && *in->phone) {
        if (validate_phone(in->phone, "phone", v->phone, err))
            return -1;
        v->has_phone = 1;
    }
    if (check_text(in->address, "address", 200, err) ||
        check_text(in->notes, "notes", 1000, err))
        return -1;
    if (in->screening && strcmp(in->screening, "pending") &&
        strcmp(in->screening, "confirmed"))
        return err_set(err, 422, "invalid_field", "screening",
                       "screening must be pending or confirmed");
    return 0;
}

/* The village must exist and be the actor's; the grid must lie in it. */
static int check_place(Db *db, const Actor *a, int64_t village_id,
                       int64_t grid_id, Err *err)
{
    int64_t vil;
    int found;
    if (db_one_int(db, err, &vil, &found,
                   "SELECT id FROM places WHERE id = ?1 AND type = 'village'",
                   "i", village_id))
        return -1;
    if (!found)
        return err_set(err, 422, "invalid_field", "village_id",
                       "no such village");
    if (!actor_in_scope(a, village_id))
        return err_set(err, 403, "forbidden", "village_id",
                       "that village is not one of yours");
    if (grid_id > 0) {
        int64_t g;
        if (db_one_int(db, err, &g, &found,
                       "SELECT id FROM places WHERE id = ?1 AND type = 'grid'"
                       " AND village_id = ?2",
                       "ii", grid_id, village_id))
            return -1;
        if (!found)
            return err_set(err, 422, "invalid_field", "grid_id",
                           "no such grid in that village");
    }
    return 0;
}

/* The facts the audit log digests for a person (its row as JSON). */
int people_row_json(Db *db, int64_t id, Buf *out, Err *err)
{
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT name, id_number, phone, village_id, grid_id,"
                 " address, notes, is_case, kind, measure, period_days,"
                 " screening, merged_into FROM people WHERE id = ?1",
                 "i", id))
        return -1;
    int rc = db_step(st, err);
    if (rc == DB_ROW) {
        static const char *const cols[] = {
            "name", "id_number", "phone", "village_id", "grid_id",
            "address", "notes", "is_case", "kind", "measure", "period_days",
            "screening", "merged_into"};
        Jw w;
        jw_init(&w, out);
        jw_object(&w);
        for (int i = 0; i < 13; i++)
            jw_kstr(&w, cols[i], db_text(st, i));
        jw_object_end(&w);
    }
    db_done(st);
    if (rc == DB_ERROR)
        return -1;
    if (rc == DB_DONE)
        return err_set(err, 404, "not_found", NULL, "no such person");
    return 0;
}

int people_audit(Db *db, const Actor *a, const char *action, int64_t id,
                 const char *before, Err *err)
{
    Buf after = BUF_INIT;
    int rc = people_row_json(db, id, &after, err);
    char name[32 * 4 + 1] = ""; /* 32 characters of up to 4 bytes */
    DbStmt *st;
    if (!rc && db_query(db, &st, err, "SELECT name FROM people WHERE id = ?1",
                        "i", id) == 0) {
        if (db_step(st, err) == DB_ROW)
            snprintf(name, sizeof name, "%s", db_text(st, 0));
        db_done(st);
    }
    if (!rc)
        rc = audit_record(db, a, action, "person", id, name, before, after.p,
                          err);
    buf_free(&after);
    return rc;
}

int people_audit_change(Db *db, const Actor *a, int64_t person_id,
                        const char *action, const char *what,
                        const char *detail, Err *err)
{
    char name[32 * 4 + 1] = "", summary[384];
    DbStmt *st;
    if (db_query(db, &st, err, "SELECT name FROM people WHERE id = ?1", "i",
                 person_id))
        return -1;
    if (db_step(st, err) == DB_ROW)
        snprintf(name, sizeof name, "%s", db_text(st, 0));
    db_done(st);
    snprintf(summary, sizeof summary, "%s: %s %s", name, or_empty(what),
             or_empty(detail));
    utf8_trim_tail(summary);
    return audit_record(db, a, action, "person", person_id, summary, NULL,
                        summary, err);
}

int people_require(Db *db, const Actor *a, int64_t id, int64_t *village_id,
                   int64_t *merged_into, Err *err)
{
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT village_id, COALESCE(merged_into, 0) FROM people"
                 " WHERE id = ?1",
                 "i", id))
        return -1;
    int rc = db_step(st, err);
    if (rc == DB_ROW) {
        *village_id = db_int(st, 0);
        if (merged_into)
            *merged_into = db_int(st, 1);
    }
    db_done(st);
    if (rc == DB_ERROR)
        return -1;
    if (rc == DB_DONE || !actor_in_scope(a, *village_id))
        return err_set(err, 404, "not_found", NULL, "no such person");
    return 0;
}

/* ---- travels -------------------------------------------------------- */

typedef struct TravelValues {
    Region origin;
    char risk[8];
} TravelValues;

/* Check a travel and work out its origin region and risk level. */
static int check_travel(Db *db, const TravelInput *in, int creating,
                        TravelValues *v, Err *err)
{
    if (creating && (!in->origin || !*in->origin))
        return err_set(err, 422, "missing_field", "origin",
                       "where the person returned from is required");
    if (in->origin && regions_resolve(db, in->origin, "origin", &v->origin,
                                      err))
        return -1;
    if (check_text(in->via, "via", 200, err) ||
        check_date(in->left_date, "left_date", err) ||
        check_date(in->return_date, "return_date", err) ||
        check_choice(in->transport, PEOPLE_TRANSPORTS, "transport", err) ||
        check_text(in->transport_no, "transport_no", 32, err) ||
        check_text(in->reason, "reason", 200, err) ||
        check_text(in->symptoms_on_arrival, "symptoms_on_arrival", 200,
                   err) ||
        check_choice(in->source, PEOPLE_SOURCES, "source", err) ||
        check_choice(in->status, PEOPLE_STATUSES, "status", err))
        return -1;
    if (in->left_date && in->return_date && *in->left_date &&
        *in->return_date && strcmp(in->left_date, in->return_date) > 0)
        return err_set(err, 422, "invalid_field", "return_date",
                       "the return date is before the departure");
    return 0;
}

/* The day whose risk level counts: the departure, else the return, else
 * today. */
static int travel_risk(Db *db, const char *code, const char *left,
                       const char *ret, char risk[8], Err *err)
{
    char today[11];
    people_today(today);
    const char *day = left && *left ? left : ret && *ret ? ret : today;
    return risk_level_on(db, code, day, risk, err);
}


/* Find a travel of the person with the same origin, return date,
 * transport and number.  A person has a handful of travels: they are
 * compared here, by the person index, so the planner never walks the
 * origin index, which grows with the register. */
static int travel_find_same(Db *db, int64_t person_id, const char *code,
                            const TravelInput *in, int64_t *id, int *found,
                            Err *err)
{
    DbStmt *st;
    int rc = DB_DONE;
    *found = 0;
    if (db_query(db, &st, err,
                 "SELECT id, origin_code, COALESCE(return_date, ''),"
                 " COALESCE(transport, ''), transport_no FROM travels"
                 " WHERE person_id = ?1",
                 "i", person_id))
        return -1;
    while (!*found && (rc = db_step(st, err)) == DB_ROW)
        *found = !strcmp(or_empty(db_text(st, 1)), code) &&
                 !strcmp(db_text(st, 2), or_empty(in->return_date)) &&
                 !strcmp(db_text(st, 3), or_empty(in->transport)) &&
                 !strcmp(db_text(st, 4), or_empty(in->transport_no));
    if (*found)
        *id = db_int(st, 0);
    db_done(st);
    return !*found && rc == DB_ERROR ? -1 : 0;
}

int travels_add(Db *db, const Actor *a, int64_t person_id,
                const TravelInput *in, int64_t *travel_id, int *added,
                Classification *cls, Err *err)
{
    int64_t village;
    TravelValues v;
    if (people_require(db, a, person_id, &village, NULL, err) ||
        check_travel(db, in, 1, &v, err) ||
        travel_risk(db, v.origin.code, in->left_date, in->return_date,
                    v.risk, err))
        return -1;
    /* the same journey registered twice (an import run again, a second
     * screening) is not a second travel */
    int found;
    if (travel_find_same(db, person_id, v.origin.code, in, travel_id, &found,
                         err))
        return -1;
    if (added)
        *added = !found;
    if (found)
        return people_classify(db, person_id, cls, err);
    char now[21];
    clock_now_iso(now);
    if (db_insert(db, err, travel_id,
                  "INSERT INTO travels (person_id, origin_code, origin_text,"
                  " via, left_date, return_date, transport, transport_no,"
                  " reason, contact_with_case, symptoms, companions_symptoms,"
                  " symptoms_on_arrival, source, status, risk_level,"
                  " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
                  " ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17) RETURNING id",
                  "ittttttttiiittttt", person_id, v.origin.code,
                  v.origin.full_name, or_empty(in->via),
                  in->left_date && *in->left_date ? in->left_date : NULL,
                  in->return_date && *in->return_date ? in->return_date
                                                      : NULL,
                  in->transport, or_empty(in->transport_no),
                  or_empty(in->reason), (int64_t)flag(in->contact_with_case),
                  (int64_t)flag(in->symptoms),
                  (int64_t)flag(in->companions_symptoms),
                  or_empty(in->symptoms_on_arrival),
                  in->source ? in->source : "door_to_door",
                  in->status ? in->status : "returned", v.risk, now))
        return -1;
    if (people_audit_change(db, a, person_id, "travel_add",
                            v.origin.full_name, in->return_date, err))
        return -1;
    return people_classify(db, person_id, cls, err);
}

int travels_update(Db *db, const Actor *a, int64_t person_id,
                   int64_t travel_id, const TravelInput *in,
                   Classification *cls, Err *err)
{
    int64_t village, found_id;
    int found;
    TravelValues v = {0};
    if (people_require(db, a, person_id, &village, NULL, err) ||
        db_one_int(db, err, &found_id, &found,
                   "SELECT id FROM travels WHERE id = ?1 AND person_id = ?2",
                   "ii", travel_id, person_id))
        return -1;
    if (!found)
        return err_set(err, 404, "not_found", NULL, "no such travel");
    if (check_travel(db, in, 0, &v, err))
        return -1;
    const char *code = in->origin ? v.origin.code : NULL;
    if (db_run(db, err,
               "UPDATE travels SET"
               " origin_code = COALESCE(?2, origin_code),"
               " origin_text = COALESCE(?3, origin_text),"
               " via = COALESCE(?4, via), left_date = COALESCE(?5, left_date),"
               " return_date = COALESCE(?6, return_date),"
               " transport = COALESCE(?7, transport),"
               " transport_no = COALESCE(?8, transport_no),"
               " reason = COALESCE(?9, reason),"
               " contact_with_case = CASE WHEN ?10 < 0 THEN contact_with_case"
               "   ELSE ?10 END,"
               " symptoms = CASE WHEN ?11 < 0 THEN symptoms ELSE ?11 END,"
               " companions_symptoms = CASE WHEN ?12 < 0"
               "   THEN companions_symptoms ELSE ?12 END,"
               " symptoms_on_arrival = COALESCE(?13, symptoms_on_arrival),"
               " source = COALESCE(?14, source),"
               " status = COALESCE(?15, status)"
               " WHERE id = ?1",
               "itttttttt" "iiittt", travel_id, code,
               code ? v.origin.full_name : NULL, in->via, in->left_date,
               in->return_date, in->transport, in->transport_no, in->reason,
               (int64_t)in->contact_with_case, (int64_t)in->symptoms,
               (int64_t)in->companions_symptoms, in->symptoms_on_arrival,
               in->source, in->status))
        return -1;
    /* the risk follows the (possibly new) origin and dates */
    DbStmt *st;
    char ocode[8] = "", left[11] = "", ret[11] = "", risk[8];
    if (db_query(db, &st, err,
                 "SELECT origin_code, COALESCE(left_date, ''),"
                 " COALESCE(return_date, '') FROM travels WHERE id = ?1",
                 "i", travel_id))
        return -1;
    if (db_step(st, err) == DB_ROW) {
        snprintf(ocode, sizeof ocode, "%s", or_empty(db_text(st, 0)));
        snprintf(left, sizeof left, "%s", db_text(st, 1));
        snprintf(ret, sizeof ret, "%s", db_text(st, 2));
    }
    db_done(st);
    if (travel_risk(db, ocode, left, ret, risk, err) ||
        db_run(db, err, "UPDATE travels SET risk_level = ?2 WHERE id = ?1",
               "it", travel_id, risk) ||
        people_audit_change(db, a, person_id, "travel_update", ocode, ret,
                            err))
        return -1;
    return people_classify(db, person_id, cls, err);
}

/* ---- people ----------------------------------------------------------- */

/* Find who already holds this ID number (following merges); 0 if none. */
static int find_by_id_number(Db *db, const char *id_number, int64_t *id,
                             Err *err)
{
    int found;
    *id = 0;
    if (db_one_int(db, err, id, &found,
                   "SELECT COALESCE(merged_into, id) FROM people"
                   " WHERE id_number = ?1",
                   "t", id_number))
        return -1;
    if (!found)
        *id = 0;
    return 0;
}

int people_register(Db *db, const Actor *a, const PersonInput *in,
                    const TravelInput *travel, int64_t *id, int *created,
                    Classification *cls, Err *err)
{
    PersonValues v;
    *created = 0;
    *id = 0;
    if (check_identity(in, 1, &v, err))
        return -1;
    if (!in->village_id)
        return err_set(err, 422, "missing_field", "village_id",
                       "the person's village is required");
    if (check_place(db, a, in->village_id, in->grid_id, err))
        return -1;
    if (v.has_id && find_by_id_number(db, v.id_number, id, err))
        return -1;
    if (*id) {
        int64_t village;
        if (people_require(db, a, *id, &village, NULL, err))
            return err_set(err, 409, "duplicate", "id_number",
                           "this ID number is registered in a village that"
                           " is not yours");
        if (travel) {
            int64_t tid;
            return travels_add(db, a, *id, travel, &tid, NULL, cls, err);
        }
        return people_classify(db, *id, cls, err);
    }
    /* check the travel before storing anything, so a bad travel leaves
     * no person behind even outside a savepoint */
    TravelValues tv;
    if (travel && check_travel(db, travel, 1, &tv, err))
        return -1;
    char now[21];
    clock_now_iso(now);
    if (db_insert(db, err, id,
                  "INSERT INTO people (name, id_number, id_flag, sex,"
                  " birth_date, phone, village_id, grid_id, address, notes,"
                  " is_case, screening, created_at, updated_at)"
                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
                  " ?13, ?13) RETURNING id",
                  "ttttttiIttitt", in->name, v.has_id ? v.id_number : NULL,
                  v.id_flag, v.sex[0] ? v.sex : NULL,
                  v.birth[0] ? v.birth : NULL, v.has_phone ? v.phone : NULL,
                  in->village_id, in->grid_id > 0 ? in->grid_id : 0,
                  or_empty(in->address), or_empty(in->notes),
                  (int64_t)flag(in->is_case),
                  in->screening ? in->screening : "confirmed", now))
        return -1;
    *created = 1;
    if (people_audit(db, a, "create", *id, NULL, err))
        return -1;
    if (travel) {
        int64_t tid;
        return travels_add(db, a, *id, travel, &tid, NULL, cls, err);
    }
    return people_classify(db, *id, cls, err);
}

int people_update(Db *db, const Actor *a, int64_t id, const PersonInput *in,
                  Classification *cls, Err *err)
{
    int64_t village, merged;
    PersonValues v;
    if (people_require(db, a, id, &village, &merged, err) ||
        check_identity(in, 0, &v, err))
        return -1;
    if (merged)
        return err_set(err, 409, "conflict", NULL,
                       "this record was merged into another: edit that one");
    int64_t new_village = in->village_id ? in->village_id : village;
    int64_t grid = in->grid_id;
    if (!grid && new_village != village)
        grid = -1; /* a new village: the old grid no longer fits */
    if (check_place(db, a, new_village, grid > 0 ? grid : 0, err))
        return -1;
    Buf before = BUF_INIT;
    if (people_row_json(db, id, &before, err)) {
        buf_free(&before);
        return -1;
    }
    char now[21];
    clock_now_iso(now);
    const char *clear_id = in->id_number && !*in->id_number ? "1" : NULL;
    const char *clear_phone = in->phone && !*in->phone ? "1" : NULL;
    int rc = db_run(
        db, err,
        "UPDATE people SET name = COALESCE(?2, name),"
        " id_number = CASE WHEN ?3 IS NOT NULL THEN ?3"
        "   WHEN ?4 IS NOT NULL THEN NULL ELSE id_number END,"
        " id_flag = CASE WHEN ?3 IS NOT NULL THEN ?5"
        "   WHEN ?4 IS NOT NULL THEN 'missing' ELSE id_flag END,"
        " sex = COALESCE(?6, sex),"
        " birth_date = CASE WHEN ?3 IS NOT NULL THEN ?7 ELSE birth_date END,"
        " phone = CASE WHEN ?8 IS NOT NULL THEN ?8"
        "   WHEN ?9 IS NOT NULL THEN NULL ELSE phone END,"
        " village_id = ?10,"
        " grid_id = CASE WHEN ?11 > 0 THEN ?11 WHEN ?11 < 0 THEN NULL"
        "   ELSE grid_id END,"
        " address = COALESCE(?12, address), notes = COALESCE(?13, notes),"
        " is_case = CASE WHEN ?14 < 0 THEN is_case ELSE ?14 END,"
        " screening = COALESCE(?15, screening), updated_at = ?16"
        " WHERE id = ?1",
        "ittttttttiittitt", id, in->name, v.has_id ? v.id_number : NULL,
        clear_id, v.id_flag, v.sex[0] ? v.sex : NULL,
        v.birth[0] ? v.birth : NULL, v.has_phone ? v.phone : NULL,
        clear_phone, new_village, grid, in->address, in->notes,
        (int64_t)in->is_case, in->screening, now);
    if (rc && db_last_fail(db) == DB_FAIL_UNIQUE)
        err_set(err, 409, "duplicate", "id_number",
                "another person has this ID number: merge the two instead");
    if (!rc)
        rc = people_audit(db, a, "update", id, before.p, err);
    buf_free(&before);
    if (rc)
        return -1;
    return people_classify(db, id, cls, err);
}

void people_mask_id(const char *id, char out[24])
{
    size_t n = id ? strlen(id) : 0;
    if (n < 10) {
        snprintf(out, 24, "%s", n ? "********" : "");
        return;
    }
    snprintf(out, 24, "%.6s%.*s%s", id, (int)(n - 10), "********", id + n - 4);
}

void people_mask_phone(const char *phone, char out[16])
{
    size_t n = phone ? strlen(phone) : 0;
    if (n < 7) {
        snprintf(out, 16, "%s", n ? "****" : "");
        return;
    }
    snprintf(out, 16, "%.3s****%s", phone, phone + n - 4);
}
