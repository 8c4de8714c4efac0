/* checkpoints_public.c — self-registration from a point's QR poster: the
 * point's public link, the public form's rate limit (counted in the
 * database so several app servers agree), the queue of submissions that
 * wait for a checker, and what a checker does with them (see
 * checkpoints.h).  A submission reaches the register only when a checker
 * confirms it into a pass (passes_record with checkin_id). */
#include <stdio.h>
#include <string.h>

#include "../base/clock.h"
#include "../base/secret.h"
#include "../base/validate.h"
#include "audit.h"
#include "checkpoints_internal.h"
#include "people.h"

#include <sodium.h>

int checkin_link(Db *db, const Actor *a, int64_t point_id, char token[33],
                 Err *err)
{
    int64_t village;
    if (cp_point(db, a, point_id, &village, err))
        return -1;
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT token FROM checkin_links WHERE point_id = ?1", "i",
                 point_id))
        return -1;
    int r = db_step(st, err);
    if (r == DB_ROW)
        snprintf(token, 33, "%s", db_text(st, 0));
    db_done(st);
    if (r == DB_ERROR)
        return -1;
    if (r == DB_ROW)
        return 0;
    /* 16 random bytes as lower-case hex: unguessable, and a plain path
     * segment */
    unsigned char raw[16];
    randombytes_buf(raw, sizeof raw);
    for (int i = 0; i < 16; i++)
        snprintf(token + 2 * i, 3, "%02x", raw[i]);
    char now[21];
    clock_now_iso(now);
    if (db_run(db, err,
               "INSERT INTO checkin_links (point_id, token, created_at)"
               " VALUES (?1, ?2, ?3)",
               "itt", point_id, token, now))
        return -1;
    return audit_record(db, a, "create", "checkin_link", point_id, "", NULL,
                        NULL, err);
}

int checkin_point(Db *db, const char *token, int64_t *point_id,
                  Buf *point_name, Err *err)
{
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT p.id, p.name FROM checkin_links l JOIN places p"
                 " ON p.id = l.point_id WHERE l.token = ?1 AND p.active = 1",
                 "t", token))
        return -1;
    int r = db_step(st, err);
    if (r == DB_ROW) {
        *point_id = db_int(st, 0);
        if (point_name)
            buf_puts(point_name, db_text(st, 1));
    }
    db_done(st);
    if (r == DB_ERROR)
        return -1;
    if (r == DB_DONE)
        return err_set(err, 404, "not_found", NULL, "no such form");
    return 0;
}

int checkin_count_hit(Db *db, const char *client, int *limited, Err *err)
{
    /* buckets of CHECKIN_RATE_MINUTES; yesterday's are dropped as we go.
     * The count covers this bucket and the one before, so a burst across
     * a bucket's edge is not let through twice. */
    time_t now = clock_now();
    time_t start = now - now % (CHECKIN_RATE_MINUTES * 60);
    char bucket[21], before[21], old[21];
    clock_iso_utc(start, bucket);
    clock_iso_utc(start - CHECKIN_RATE_MINUTES * 60, before);
    clock_iso_utc(now - 86400, old);
    int64_t n = 0;
    int found;
    if (db_run(db, err, "DELETE FROM rate_hits WHERE bucket < ?1", "t",
               old) ||
        db_run(db, err,
               "INSERT INTO rate_hits (client, bucket, n) VALUES (?1, ?2, 1)"
               " ON CONFLICT (client, bucket) DO UPDATE"
               " SET n = rate_hits.n + 1",
               "tt", client, bucket) ||
        db_one_int(db, err, &n, &found,
                   "SELECT COALESCE(sum(n), 0) FROM rate_hits"
                   " WHERE client = ?1 AND bucket >= ?2",
                   "tt", client, before))
        return -1;
    *limited = n > CHECKIN_RATE_LIMIT;
    return 0;
}

int checkin_submit(Db *db, const char *token, const CheckinInput *in,
                   char code[7], Err *err)
{
    int64_t point;
    if (checkin_point(db, token, &point, NULL, err))
        return -1;
    const char *direction = in->direction ? in->direction : "in";
    if (strcmp(direction, "in") && strcmp(direction, "out"))
        return err_set(err, 422, "invalid_field", "direction",
                       "direction must be in or out");
    const char *vehicle = in->vehicle ? in->vehicle : "car";
    char plate[VALIDATE_PLATE_MAX];
    if (cp_check_plate(vehicle, in->plate, plate, err) ||
        validate_name(in->name, "name", 40, err))
        return -1;
    IdInfo info;
    if (validate_id_number(in->id_number, "id_number", cp_today_ymd(),
                           &info, err))
        return -1;
    char phone[12];
    if (validate_phone(in->phone, "phone", phone, err) ||
        cp_check_text(in->from, "from", 100, err) ||
        cp_check_text(in->address, "address", 200, err) ||
        cp_check_text(in->reason, "reason", 200, err))
        return -1;
    if (in->to_village_id &&
        cp_check_village(db, in->to_village_id, "to_village_id", err))
        return -1;
    uint32_t c = randombytes_uniform(1000000);
    snprintf(code, 7, "%06u", (unsigned)c);
    char now[21];
    clock_now_iso(now);
    int64_t id;
    if (db_insert(db, err, &id,
                  "INSERT INTO checkins (point_id, code, at, direction,"
                  " plate, vehicle, name, id_number, phone, from_text,"
                  " to_village_id, address, reason) VALUES (?1, ?2, ?3, ?4,"
                  " ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) RETURNING id",
                  "itttttttttItt", point, code, now, direction,
                  plate[0] ? plate : NULL, vehicle, in->name,
                  info.normalized, phone, in->from ? in->from : "",
                  in->to_village_id, in->address ? in->address : "",
                  in->reason ? in->reason : ""))
        return -1;
    Actor pub;
    actor_system(&pub, "public");
    pub.role = NULL;
    return audit_record(db, &pub, "submit", "checkin", id, code, NULL, NULL,
                        err);
}

int checkins_waiting(Db *db, const Actor *a, int64_t point_id, int full,
                     int (*each)(void *ctx, const Checkin *c), void *ctx,
                     Err *err)
{
    int64_t village;
    DbStmt *st;
    int found;
    if (db_one_int(db, err, &village, &found,
                   "SELECT village_id FROM places WHERE id = ?1"
                   " AND type = 'point'",
                   "i", point_id))
        return -1;
    if (!found)
        return err_set(err, 404, "not_found", NULL, "no such point");
    if (actor_require_scope(a, village, err))
        return -1;
    if (db_query(db, &st, err,
                 "SELECT c.id, c.point_id, c.to_village_id, c.code, c.at,"
                 " c.direction, c.plate, c.vehicle, c.name, c.id_number,"
                 " c.phone, c.from_text, c.address, c.reason, c.status,"
                 " v.name FROM checkins c"
                 " LEFT JOIN places v ON v.id = c.to_village_id"
                 " WHERE c.point_id = ?1 AND c.status = 'waiting'"
                 " ORDER BY c.id LIMIT 200",
                 "i", point_id))
        return -1;
    int r, rc = 0;
    while ((r = db_step(st, err)) == DB_ROW) {
        Checkin c;
        char id[24], phone[16];
        c.id = db_int(st, 0);
        c.point_id = db_int(st, 1);
        c.to_village_id = db_int(st, 2);
        c.code = db_text(st, 3);
        c.at = db_text(st, 4);
        c.direction = db_text(st, 5);
        c.plate = db_text(st, 6);
        c.vehicle = db_text(st, 7);
        c.name = db_text(st, 8);
        c.id_number = db_text(st, 9);
        c.phone = db_text(st, 10);
        if (!full) {
            people_mask_id(c.id_number, id);
            people_mask_phone(c.phone, phone);
            c.id_number = c.id_number ? id : NULL;
            c.phone = c.phone ? phone : NULL;
        }
        c.from = db_text(st, 11);
        c.address = db_text(st, 12);
        c.reason = db_text(st, 13);
        c.status = db_text(st, 14);
        c.to_village_name = db_text(st, 15);
        if ((rc = each(ctx, &c)))
            break;
    }
    db_done(st);
    return r == DB_ERROR ? -1 : rc;
}

int checkins_reject(Db *db, const Actor *a, int64_t id, Err *err)
{
    int64_t village;
    int found;
    if (db_one_int(db, err, &village, &found,
                   "SELECT p.village_id FROM checkins c JOIN places p"
                   " ON p.id = c.point_id WHERE c.id = ?1",
                   "i", id))
        return -1;
    if (!found || actor_require_scope(a, village, err))
        return err_set(err, 404, "not_found", NULL, "no such registration");
    char now[21];
    clock_now_iso(now);
    if (db_run(db, err,
               "UPDATE checkins SET status = 'rejected', handled_by = ?2,"
               " handled_at = ?3 WHERE id = ?1 AND status = 'waiting'",
               "itt", id, a->username, now))
        return -1;
    if (db_changes(db) == 0)
        return err_set(err, 409, "conflict", NULL,
                       "this self-registration was handled already");
    return audit_record(db, a, "reject", "checkin", id, "", NULL, NULL, err);
}

int checkpoints_villages(Db *db,
                         int (*each)(void *ctx, int64_t id, const char *name),
                         void *ctx, Err *err)
{
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT id, name FROM places WHERE type = 'village'"
                 " AND active = 1 ORDER BY name",
                 ""))
        return -1;
    int r, rc = 0;
    while ((r = db_step(st, err)) == DB_ROW)
        if ((rc = each(ctx, db_int(st, 0), db_text(st, 1))))
            break;
    db_done(st);
    return r == DB_ERROR ? -1 : rc;
}
