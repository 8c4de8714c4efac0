/* places.c — villages, grids, points and venues (see places.h). */
#include "places.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/clock.h"
#include "../base/json.h"
#include "../base/validate.h"
#include "audit.h"

static const char *const TYPES[] = {"village", "grid", "point", "venue", 0};
static const char *const TYPE_LABELS[][2] = {
    {"村", "village"}, {"行政村", "village"}, {"网格", "grid"},
    {"防控点", "point"}, {"卡口", "point"}, {"场所", "venue"},
};
static const char *const VENUE_KINDS[] = {"supermarket", "factory",
                                          "pharmacy", "office", "other", 0};

static int in_list(const char *s, const char *const *list)
{
    for (int i = 0; s && list[i]; i++)
        if (strcmp(s, list[i]) == 0)
            return 1;
    return 0;
}

const char *places_type_from_label(const char *label)
{
    for (size_t i = 0; i < sizeof TYPE_LABELS / sizeof *TYPE_LABELS; i++)
        if (strcmp(label, TYPE_LABELS[i][0]) == 0)
            return TYPE_LABELS[i][1];
    return in_list(label, TYPES) ? label : NULL;
}

#define PLACE_COLS "p.id, p.type, p.name, p.village_id, v.name," \
                   " p.venue_kind, p.active, p.created_at"
#define PLACE_FROM " FROM places p LEFT JOIN places v ON v.id = p.village_id"
/* rows outside the actor's scope: ?1 = scope_all, ?2 = account id */
#define PLACE_SCOPE " (?1 = 1 OR COALESCE(p.village_id, p.id) IN" \
                    " (SELECT village_id FROM account_villages"   \
                    "  WHERE account_id = ?2))"

static void place_from_row(DbStmt *st, Place *p)
{
    p->id = db_int(st, 0);
    p->type = db_text(st, 1);
    p->name = db_text(st, 2);
    p->village_id = db_int(st, 3);
    p->village_name = db_text(st, 4);
    p->venue_kind = db_text(st, 5);
    p->active = (int)db_int(st, 6);
    p->created_at = db_text(st, 7);
}

/* Step st and hand each row to each(); returns rows seen or -1. */
static int each_place(DbStmt *st, int (*each)(void *, const Place *),
                      void *ctx, Err *err)
{
    int rc, n = 0;
    while ((rc = db_step(st, err)) == DB_ROW) {
        Place p;
        place_from_row(st, &p);
        n++;
        if (each(ctx, &p))
            break;
    }
    db_done(st);
    return rc == DB_ERROR ? -1 : n;
}

int places_get(Db *db, const Actor *a, int64_t id,
               int (*each)(void *ctx, const Place *p), void *ctx, Err *err)
{
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT " PLACE_COLS PLACE_FROM " WHERE" PLACE_SCOPE
                 " AND p.id = ?3",
                 "iii", (int64_t)a->scope_all, a->id, id))
        return -1;
    int n = each_place(st, each, ctx, err);
    if (n < 0)
        return -1;
    if (n == 0)
        return err_set(err, 404, "not_found", NULL, "no such place");
    return 0;
}

int places_list(Db *db, const Actor *a, const PlaceFilter *f,
                int (*each)(void *ctx, const Place *p), void *ctx, Err *err)
{
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT " PLACE_COLS PLACE_FROM " WHERE" PLACE_SCOPE
                 " AND p.id > ?3 AND (?4 IS NULL OR p.type = ?4)"
                 " AND (?5 = 0 OR p.village_id = ?5)"
                 " AND (?6 < 0 OR p.active = ?6)"
                 " ORDER BY p.id LIMIT ?7",
                 "iiitiii", (int64_t)a->scope_all, a->id, f->after_id,
                 f->type, f->village_id, (int64_t)f->active,
                 (int64_t)f->limit))
        return -1;
    return each_place(st, each, ctx, err) < 0 ? -1 : 0;
}

int places_find(Db *db, const char *type, int64_t village_id,
                const char *name, int64_t *id, Err *err)
{
    int found;
    *id = 0;
    if (db_one_int(db, err, id, &found,
                   "SELECT id FROM places WHERE type = ?1"
                   " AND COALESCE(village_id, 0) = ?2 AND name = ?3",
                   "tit", type, village_id, name))
        return -1;
    if (!found)
        *id = 0;
    return 0;
}

/* The stored facts of a place, for scope checks and the audit digest. */
typedef struct PlaceRow {
    int64_t id, village_id;
    char type[16], name[64 * 4 + 1], venue_kind[16];
    int active;
} PlaceRow;

static int place_row(Db *db, int64_t id, PlaceRow *r, Err *err)
{
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT id, type, name, COALESCE(village_id, 0),"
                 " COALESCE(venue_kind, ''), active FROM places"
                 " WHERE id = ?1",
                 "i", id))
        return -1;
    int rc = db_step(st, err);
    if (rc == DB_ROW) {
        r->id = db_int(st, 0);
        snprintf(r->type, sizeof r->type, "%s", db_text(st, 1));
        snprintf(r->name, sizeof r->name, "%s", db_text(st, 2));
        r->village_id = db_int(st, 3);
        snprintf(r->venue_kind, sizeof r->venue_kind, "%s", db_text(st, 4));
        r->active = (int)db_int(st, 5);
    }
    db_done(st);
    if (rc == DB_ERROR)
        return -1;
    if (rc == DB_DONE)
        return err_set(err, 404, "not_found", NULL, "no such place");
    return 0;
}

static void place_row_json(const PlaceRow *r, Buf *b)
{
    Jw w;
    jw_init(&w, b);
    jw_object(&w);
    jw_kstr(&w, "type", r->type);
    jw_kstr(&w, "name", r->name);
    jw_kint(&w, "village_id", r->village_id);
    jw_kstr(&w, "venue_kind", r->venue_kind);
    jw_kbool(&w, "active", r->active);
    jw_object_end(&w);
}

/* Audit a change of place id; before is its JSON before (or NULL). */
static int audit_place(Db *db, const Actor *a, const char *action,
                       int64_t id, const char *before, Err *err)
{
    PlaceRow r = {0};
    Buf after = BUF_INIT;
    int rc = 0;
    if (strcmp(action, "delete") != 0) {
        rc = place_row(db, id, &r, err);
        if (!rc)
            place_row_json(&r, &after);
    }
    if (!rc)
        rc = audit_record(db, a, action, "place", id,
                          r.name[0] ? r.name : "", before, after.p, err);
    buf_free(&after);
    return rc;
}

/* A scoped account works on places of its villages; villages themselves
 * are created, renamed and removed only by a town-wide account. */
static int check_scope(const Actor *a, const char *type, int64_t village_id,
                       int64_t self_id, Err *err)
{
    if (strcmp(type, "village") == 0) {
        if (self_id && actor_require_scope(a, self_id, err))
            return -1;
        if (!a->scope_all)
            return err_set(err, 403, "forbidden", NULL,
                           "only a town-wide account manages villages");
        return 0;
    }
    return actor_require_scope(a, village_id, err);
}

static int check_venue_kind(const char *type, const char *kind, Err *err)
{
    if (!kind)
        return 0;
    if (strcmp(type, "venue") != 0)
        return err_set(err, 422, "invalid_field", "venue_kind",
                       "only a venue has a kind");
    if (!in_list(kind, VENUE_KINDS))
        return err_set(err, 422, "invalid_field", "venue_kind",
                       "venue_kind must be supermarket, factory, pharmacy,"
                       " office or other");
    return 0;
}

int places_create(Db *db, const Actor *a, const PlaceInput *in,
                  int64_t *id, Err *err)
{
    if (!in->type)
        return err_set(err, 422, "missing_field", "type", "type is required");
    if (!in_list(in->type, TYPES))
        return err_set(err, 422, "invalid_field", "type",
                       "type must be village, grid, point or venue");
    if (validate_name(in->name, "name", 64, err))
        return -1;
    int is_village = strcmp(in->type, "village") == 0;
    if (is_village && in->village_id)
        return err_set(err, 422, "invalid_field", "village_id",
                       "a village belongs to no village");
    if (!is_village) {
        if (!in->village_id)
            return err_set(err, 422, "missing_field", "village_id",
                           "a %s belongs to a village", in->type);
        PlaceRow v;
        if (place_row(db, in->village_id, &v, err))
            return err->status == 404
                       ? err_set(err, 422, "invalid_field", "village_id",
                                 "no such village")
                       : -1;
        if (!actor_in_scope(a, in->village_id))
            return err_set(err, 403, "forbidden", "village_id",
                           "that village is not one of yours");
        if (strcmp(v.type, "village") != 0)
            return err_set(err, 422, "invalid_field", "village_id",
                           "%" PRId64 " is not a village", in->village_id);
    }
    if (check_scope(a, in->type, in->village_id, 0, err) ||
        check_venue_kind(in->type, in->venue_kind, err))
        return -1;
    const char *kind = in->venue_kind;
    if (!kind && strcmp(in->type, "venue") == 0)
        kind = "other";
    char now[21];
    clock_now_iso(now);
    if (db_insert(db, err, id,
                  "INSERT INTO places (type, name, village_id, venue_kind,"
                  " active, created_at) VALUES (?1, ?2, ?3, ?4, 1, ?5)"
                  " RETURNING id",
                  "ttItt", in->type, in->name,
                  in->village_id, kind, now)) {
        if (db_last_fail(db) == DB_FAIL_UNIQUE)
            err_set(err, 409, "duplicate", "name",
                    "a %s named %s already exists here", in->type, in->name);
        return -1;
    }
    return audit_place(db, a, "create", *id, NULL, err);
}

int places_update(Db *db, const Actor *a, int64_t id, const PlaceInput *in,
                  Err *err)
{
    PlaceRow r;
    if (place_row(db, id, &r, err) ||
        check_scope(a, r.type, r.village_id, r.id, err))
        return -1;
    if (in->name && validate_name(in->name, "name", 64, err))
        return -1;
    if (check_venue_kind(r.type, in->venue_kind, err))
        return -1;
    Buf before = BUF_INIT;
    place_row_json(&r, &before);
    int rc = db_run(db, err,
                    "UPDATE places SET name = COALESCE(?2, name),"
                    " venue_kind = COALESCE(?3, venue_kind),"
                    " active = CASE WHEN ?4 < 0 THEN active ELSE ?4 END"
                    " WHERE id = ?1",
                    "itti", id, in->name, in->venue_kind,
                    (int64_t)in->active);
    if (rc && db_last_fail(db) == DB_FAIL_UNIQUE)
        err_set(err, 409, "duplicate", "name",
                "a %s named %s already exists here", r.type, in->name);
    if (!rc)
        rc = audit_place(db, a, "update", id, before.p, err);
    buf_free(&before);
    return rc;
}

int places_delete(Db *db, const Actor *a, int64_t id, Err *err)
{
    PlaceRow r;
    if (place_row(db, id, &r, err) ||
        check_scope(a, r.type, r.village_id, r.id, err))
        return -1;
    Buf before = BUF_INIT;
    place_row_json(&r, &before);
    int rc = db_run(db, err, "DELETE FROM places WHERE id = ?1", "i", id);
    if (rc && db_last_fail(db) == DB_FAIL_FOREIGN)
        err_set(err, 409, "has_records", NULL,
                "%s has records that refer to it: deactivate it instead",
                r.name);
    if (!rc)
        rc = audit_record(db, a, "delete", "place", id, r.name, before.p,
                          NULL, err);
    buf_free(&before);
    return rc;
}
