/* ledger_entries.c — the two simplest ledgers: disinfection records
 * (消毒记录) and the gate visitor log of a venue or office (see
 * ledger.h).  Both are one row per entry; a fever at the gate opens an
 * alert through the observation layer. */
#include "ledger.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../base/clock.h"
#include "../base/validate.h"
#include "audit.h"
#include "observation.h"

static const char *const METHODS[][2] = {
    {"喷洒", "spray"},   {"spray", "spray"},     {"擦拭", "wipe"},
    {"wipe", "wipe"},    {"熏蒸", "fumigate"},   {"fumigate", "fumigate"},
    {"其他", "other"},   {"other", "other"},
};

const char *disinfection_method_code(const char *s)
{
    for (size_t i = 0; s && i < sizeof METHODS / sizeof *METHODS; i++)
        if (strcmp(s, METHODS[i][0]) == 0)
            return METHODS[i][1];
    return NULL;
}

const char *disinfection_method_label(const char *code)
{
    for (size_t i = 0; code && i < sizeof METHODS / sizeof *METHODS; i++)
        if (strcmp(code, METHODS[i][1]) == 0)
            return METHODS[i][0];
    return "";
}

int disinfection_record(Db *db, const Actor *a, const DisinfectionInput *in,
                        int64_t *id, Err *err)
{
    char day[11];
    if (ledger_day(in->day, "day", day, err))
        return -1;
    LedgerPlace pl = {0};
    int64_t village = 0;
    if (in->place_id) {
        if (in->place_text && *in->place_text)
            return err_set(err, 422, "invalid_field", "place_text",
                           "give a place or a text, not both");
        if (ledger_place(db, a, in->place_id, "place_id", &pl, err))
            return -1;
        if (strcmp(pl.type, "grid") == 0)
            return err_set(err, 422, "invalid_field", "place_id",
                           "a village, point or venue");
        if (in->village_id && in->village_id != pl.village_id)
            return err_set(err, 422, "invalid_field", "village_id",
                           "the place belongs to another village");
        village = pl.village_id;
    } else {
        if (ledger_text_field(in->place_text, "place_text", 64, 1, err))
            return -1;
        if (in->village_id) {
            LedgerPlace v;
            if (ledger_place(db, a, in->village_id, "village_id", &v, err))
                return -1;
            if (strcmp(v.type, "village") != 0)
                return err_set(err, 422, "invalid_field", "village_id",
                               "not a village");
            village = v.id;
        } else if (!a->scope_all) {
            return err_set(err, 422, "missing_field", "village_id",
                           "say which of your villages it was in");
        }
    }
    if (!in->has_area)
        return err_set(err, 422, "missing_field", "area",
                       "area (m²) is required");
    /* the ledger keeps tenths of a m²: judge what will be stored */
    if (!isfinite(in->area) || round(in->area * 10) / 10 <= 0 ||
        in->area > 1e8)
        return err_set(err, 422, "invalid_field", "area",
                       "area must be a number of m² of at least 0.1");
    if (ledger_text_field(in->agent, "agent", 32, 1, err) ||
        ledger_text_field(in->concentration, "concentration", 32, 0, err) ||
        ledger_text_field(in->operator_name, "operator", 32, 1, err) ||
        ledger_text_field(in->note, "note", 200, 0, err))
        return -1;
    if (!in->method || !*in->method)
        return err_set(err, 422, "missing_field", "method",
                       "method is required");
    const char *method = disinfection_method_code(in->method);
    if (!method)
        return err_set(err, 422, "invalid_field", "method",
                       "method must be spray, wipe, fumigate or other");
    double area = round(in->area * 10) / 10;
    char now[21];
    clock_now_iso(now);
    if (db_insert(db, err, id,
                  "INSERT INTO disinfections (day, place_id, village_id,"
                  " place_text, area, agent, concentration, method,"
                  " operator, note, actor, created_at) VALUES (?1, ?2, ?3,"
                  " ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) RETURNING id",
                  "tIItdttttttt", day, pl.id, village,
                  in->place_id ? "" : in->place_text, area, in->agent,
                  in->concentration ? in->concentration : "", method,
                  in->operator_name, in->note ? in->note : "", a->username,
                  now))
        return -1;
    char what[400];
    snprintf(what, sizeof what, "%s %.1f m2 %s", day, area,
             in->place_id ? pl.name : in->place_text);
    return audit_record(db, a, "create", "disinfection", *id, what, NULL,
                        what, err);
}

/* parse_at reads a visit time: UTC "YYYY-MM-DDTHH:MM:SSZ" or the town's
 * local "YYYY-MM-DD HH:MM[:SS]"; NULL or "" is now.  Not more than ten
 * minutes ahead of now (a phone's clock may run fast). */
static int parse_at(const char *s, time_t *out, Err *err)
{
    time_t now = clock_now();
    if (!s || !*s) {
        *out = now;
        return 0;
    }
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    const char *end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (end && !*end) {
        *out = timegm(&tm);
    } else {
        memset(&tm, 0, sizeof tm);
        end = strptime(s, "%Y-%m-%d %H:%M", &tm);
        if (end && *end == ':')
            end = strptime(end, ":%S", &tm);
        if (!end || *end)
            return err_set(err, 422, "invalid_field", "at",
                           "at must be YYYY-MM-DD HH:MM (the town's time)"
                           " or YYYY-MM-DDTHH:MM:SSZ");
        tm.tm_isdst = -1;
        *out = mktime(&tm);
    }
    if (tm.tm_year < 100 || *out > now + 600)
        return err_set(err, 422, "invalid_field", "at",
                       "at is not a plausible time (future or before"
                       " 2000)");
    return 0;
}

int visitors_record(Db *db, const Actor *a, const VisitorInput *in,
                    int64_t *id, int64_t *alert_id, Err *err)
{
    *alert_id = 0;
    if (!in->place_id)
        return err_set(err, 422, "missing_field", "place_id",
                       "the gate's venue or point is required");
    LedgerPlace pl;
    if (ledger_place(db, a, in->place_id, "place_id", &pl, err))
        return -1;
    if (strcmp(pl.type, "venue") != 0 && strcmp(pl.type, "point") != 0)
        return err_set(err, 422, "invalid_field", "place_id",
                       "a gate is at a venue or a point");
    time_t t = 0;
    if (parse_at(in->at, &t, err) ||
        ledger_text_field(in->name, "name", 32, 1, err))
        return -1;
    char phone[12] = "";
    if (in->phone && *in->phone &&
        validate_phone(in->phone, "phone", phone, err))
        return -1;
    if (!in->has_temperature)
        return err_set(err, 422, "missing_field", "temperature",
                       "temperature is required");
    if (validate_temperature(in->temperature, "temperature", err) ||
        ledger_text_field(in->reason, "reason", 64, 0, err) ||
        ledger_text_field(in->came_from, "came_from", 64, 0, err))
        return -1;
    double temp = round(in->temperature * 10) / 10;
    char at[21], now[21], day[16];
    clock_iso_utc(t, at);
    clock_now_iso(now);
    int ymd = clock_local_ymd(t);
    snprintf(day, sizeof day, "%04d-%02d-%02d", ymd / 10000 % 10000,
             ymd / 100 % 100, ymd % 100);
    day[10] = '\0';
    if (temperature_is_fever(temp)) {
        AlertOpen ao = {.source = "gate", .village_id = pl.village_id,
                        .place_id = pl.id, .subject = in->name,
                        .temperature = temp, .symptoms = ""};
        if (alerts_open_fever(db, a, &ao, alert_id, err))
            return -1;
    }
    if (db_insert(db, err, id,
                  "INSERT INTO gate_visits (at, day, place_id, village_id,"
                  " name, phone, temperature, reason, came_from, alert_id,"
                  " actor, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
                  " ?8, ?9, ?10, ?11, ?12) RETURNING id",
                  "ttiittdttItt", at, day, pl.id, pl.village_id, in->name,
                  phone[0] ? phone : NULL, temp,
                  in->reason ? in->reason : "",
                  in->came_from ? in->came_from : "", *alert_id,
                  a->username, now))
        return -1;
    char what[400];
    snprintf(what, sizeof what, "%s %.1f at %s", in->name, temp, pl.name);
    return audit_record(db, a, "create", "gate_visit", *id, what, NULL,
                        what, err);
}
