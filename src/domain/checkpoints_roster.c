/* checkpoints_roster.c — the duty roster of the prevention points: shifts
 * (who is on duty when), who is on duty now, and the gaps in a day's
 * 24-hour cover that the town command must fill (see checkpoints.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/arena.h"
#include "../base/clock.h"
#include "../base/validate.h"
#include "audit.h"
#include "checkpoints_internal.h"

/* A roster time: "YYYY-MM-DDTHH:MM" in the town's zone, or UTC with a
 * trailing Z ("YYYY-MM-DDTHH:MM:SSZ").  -1 when it is neither. */
static time_t parse_when(const char *s)
{
    if (!s)
        return -1;
    if (strlen(s) == 20)
        return cp_parse_utc(s);
    struct tm tm = {0};
    char extra;
    if (strlen(s) != 16 ||
        sscanf(s, "%4d-%2d-%2dT%2d:%2d%c", &tm.tm_year, &tm.tm_mon,
               &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &extra) != 5)
        return -1;
    int y = tm.tm_year, mo = tm.tm_mon, d = tm.tm_mday;
    if (tm.tm_hour < 0 || tm.tm_hour > 23 || tm.tm_min < 0 ||
        tm.tm_min > 59)
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    tm.tm_isdst = -1;
    time_t t = mktime(&tm);
    if (tm.tm_year + 1900 != y || tm.tm_mon + 1 != mo || tm.tm_mday != d)
        return -1;
    return t;
}

/* The UTC bounds of a town day (YYYY-MM-DD). */
static int day_bounds(const char *day, char from[21], char to[21], Err *err)
{
    if (validate_date(day, "day", NULL, err))
        return -1;
    char s[17];
    snprintf(s, sizeof s, "%.10sT00:00", day);
    time_t t0 = parse_when(s);
    if (t0 < 0)
        return err_set(err, 422, "invalid_date", "day", "no such day");
    /* the next midnight, also across a change of clocks */
    time_t t1 = t0 + 26 * 3600;
    char next[11];
    cp_local_day_hour(t1, next, NULL);
    snprintf(s, sizeof s, "%.10sT00:00", next);
    t1 = parse_when(s);
    clock_iso_utc(t0, from);
    clock_iso_utc(t1, to);
    return 0;
}

int shifts_create(Db *db, const Actor *a, const ShiftInput *in,
                  int64_t *id, Err *err)
{
    int64_t village;
    if (!in->point_id)
        return err_set(err, 422, "missing_field", "point_id",
                       "the point is required");
    if (cp_point(db, a, in->point_id, &village, err))
        return -1;
    time_t t0 = parse_when(in->starts_at), t1 = parse_when(in->ends_at);
    if (!in->starts_at)
        return err_set(err, 422, "missing_field", "starts_at",
                       "the start is required");
    if (t0 < 0)
        return err_set(err, 422, "invalid_field", "starts_at",
                       "starts_at must be YYYY-MM-DDTHH:MM");
    if (!in->ends_at)
        return err_set(err, 422, "missing_field", "ends_at",
                       "the end is required");
    if (t1 < 0)
        return err_set(err, 422, "invalid_field", "ends_at",
                       "ends_at must be YYYY-MM-DDTHH:MM");
    if (t1 <= t0 || t1 - t0 > 24 * 3600)
        return err_set(err, 422, "invalid_field", "ends_at",
                       "a shift ends after it starts, within 24 hours");
    if (validate_name(in->staff, "staff", 100, err))
        return -1;
    if (in->account_id) {
        int64_t x;
        int found;
        if (db_one_int(db, err, &x, &found,
                       "SELECT id FROM accounts WHERE id = ?1", "i",
                       in->account_id))
            return -1;
        if (!found)
            return err_set(err, 422, "invalid_field", "account_id",
                           "no such account");
    }
    char s0[21], s1[21], now[21];
    clock_iso_utc(t0, s0);
    clock_iso_utc(t1, s1);
    clock_now_iso(now);
    if (db_insert(db, err, id,
                  "INSERT INTO shifts (point_id, starts_at, ends_at, staff,"
                  " account_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
                  " RETURNING id",
                  "itttIt", in->point_id, s0, s1, in->staff,
                  in->account_id, now))
        return -1;
    char what[160];
    snprintf(what, sizeof what, "point %lld %s - %s",
             (long long)in->point_id, s0, s1);
    return audit_record(db, a, "create", "shift", *id, what, NULL, what,
                        err);
}

/* The shift's point village, 404 outside the scope. */
static int shift_require(Db *db, const Actor *a, int64_t id, Err *err)
{
    int64_t village;
    int found;
    if (db_one_int(db, err, &village, &found,
                   "SELECT p.village_id FROM shifts s JOIN places p"
                   " ON p.id = s.point_id WHERE s.id = ?1",
                   "i", id))
        return -1;
    if (!found)
        return err_set(err, 404, "not_found", NULL, "no such shift");
    return actor_require_scope(a, village, err);
}

int shifts_delete(Db *db, const Actor *a, int64_t id, Err *err)
{
    if (shift_require(db, a, id, err))
        return -1;
    if (db_run(db, err, "UPDATE passes SET shift_id = NULL"
                        " WHERE shift_id = ?1", "i", id) ||
        db_run(db, err, "DELETE FROM shifts WHERE id = ?1", "i", id))
        return -1;
    return audit_record(db, a, "delete", "shift", id, "", NULL, NULL, err);
}

#define SHIFT_COLS \
    "s.id, s.point_id, p.name, s.starts_at, s.ends_at, s.staff, s.account_id"

static void read_shift(DbStmt *st, int c, Shift *s)
{
    s->id = db_int(st, c);
    s->point_id = db_int(st, c + 1);
    s->point_name = db_text(st, c + 2);
    s->starts_at = db_text(st, c + 3);
    s->ends_at = db_text(st, c + 4);
    s->staff = db_text(st, c + 5);
    s->account_id = db_int(st, c + 6);
}

int shifts_get(Db *db, const Actor *a, int64_t id,
               int (*each)(void *ctx, const Shift *s), void *ctx, Err *err)
{
    if (shift_require(db, a, id, err))
        return -1;
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT " SHIFT_COLS " FROM shifts s JOIN places p"
                 " ON p.id = s.point_id WHERE s.id = ?1",
                 "i", id))
        return -1;
    int r = db_step(st, err), rc = -1;
    if (r == DB_ROW) {
        Shift s;
        read_shift(st, 0, &s);
        rc = each(ctx, &s);
    } else if (r == DB_DONE) {
        rc = err_set(err, 404, "not_found", NULL, "no such shift");
    }
    db_done(st);
    return rc;
}

/* Close a point's day: the gaps left between its shifts, then hand it
 * over. */
static int finish_point(RosterPoint *rp, const char *from, const char *to,
                        const char *now,
                        int (*each)(void *ctx, const RosterPoint *p),
                        void *ctx)
{
    char cursor[21];
    memcpy(cursor, from, 21);
    rp->ngaps = 0;
    rp->on_duty = 0;
    for (int i = 0; i < rp->nshifts; i++) {
        Shift *s = &rp->shifts[i];
        if (strcmp(s->starts_at, now) <= 0 && strcmp(s->ends_at, now) > 0)
            rp->on_duty++;
        if (strcmp(s->starts_at, cursor) > 0 && rp->ngaps < 64) {
            Gap *g = &rp->gaps[rp->ngaps++];
            memcpy(g->from, cursor, 21);
            snprintf(g->to, sizeof g->to, "%s", s->starts_at);
        }
        if (strcmp(s->ends_at, cursor) > 0)
            snprintf(cursor, sizeof cursor, "%s", s->ends_at);
    }
    if (strcmp(cursor, to) < 0 && rp->ngaps < 64) {
        Gap *g = &rp->gaps[rp->ngaps++];
        memcpy(g->from, cursor, 21);
        memcpy(g->to, to, 21);
    }
    return each(ctx, rp);
}

int roster_day(Db *db, const Actor *a, const char *day, int64_t point_id,
               int (*each)(void *ctx, const RosterPoint *p), void *ctx,
               Err *err)
{
    char from[21], to[21], now[21];
    if (day_bounds(day, from, to, err))
        return -1;
    clock_now_iso(now);
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT p.id, p.name, v.name, " SHIFT_COLS
                 " FROM places p JOIN places v ON v.id = p.village_id"
                 " LEFT JOIN shifts s ON s.point_id = p.id"
                 " AND s.starts_at < ?2 AND s.ends_at > ?1"
                 " WHERE p.type = 'point' AND p.active = 1"
                 " AND (?3 = 0 OR p.id = ?3)"
                 " AND (?4 = 1 OR p.village_id IN (SELECT village_id FROM"
                 " account_villages WHERE account_id = ?5))"
                 " ORDER BY v.name, p.name, p.id, s.starts_at",
                 "ttiii", from, to, point_id, (int64_t)a->scope_all, a->id))
        return -1;
    Arena ar = ARENA_INIT;
    RosterPoint *rp = calloc(1, sizeof *rp);
    if (!rp)
        abort();
    int cap = 0, r, rc = 0;
    while ((r = db_step(st, err)) == DB_ROW) {
        int64_t id = db_int(st, 0);
        if (rp->point_id && rp->point_id != id) {
            if ((rc = finish_point(rp, from, to, now, each, ctx)))
                break;
            arena_free(&ar);
            memset(rp, 0, sizeof *rp);
            cap = 0;
        }
        if (!rp->point_id) {
            rp->point_id = id;
            rp->point_name = arena_strdup(&ar, db_text(st, 1));
            rp->village_name = arena_strdup(&ar, db_text(st, 2));
        }
        if (db_is_null(st, 3))
            continue;
        if (rp->nshifts == cap) {
            cap = cap ? cap * 2 : 8;
            Shift *n = arena_alloc(&ar, sizeof *n * (size_t)cap);
            if (rp->nshifts)
                memcpy(n, rp->shifts, sizeof *n * (size_t)rp->nshifts);
            rp->shifts = n;
        }
        Shift *s = &rp->shifts[rp->nshifts++];
        read_shift(st, 3, s);
        s->point_name = rp->point_name;
        s->starts_at = arena_strdup(&ar, s->starts_at);
        s->ends_at = arena_strdup(&ar, s->ends_at);
        s->staff = arena_strdup(&ar, s->staff);
    }
    db_done(st);
    if (r == DB_ERROR)
        rc = -1;
    else if (!rc && rp->point_id)
        rc = finish_point(rp, from, to, now, each, ctx);
    arena_free(&ar);
    free(rp);
    return rc;
}
