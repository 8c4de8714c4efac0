/* measures_api.c — /measures, /people/{id}/measures, /release-due and the
 * responsibility chain (/chain-roles, /people/{id}/chain, /chain/bulk):
 * docs/api.md "Home observation".  Every rule lives in measures.c and
 * chain.c; this file reads bodies and writes JSON. */
#include <string.h>

#include "../base/validate.h"
#include "api.h"

/* ---- rendering ---------------------------------------------------------- */

void render_measure_fields(Jw *w, const Measure *m)
{
    jw_kint(w, "id", m->id);
    jw_kint(w, "person_id", m->person_id);
    jw_kstr(w, "person_name", m->person_name);
    jw_kstr(w, "type", m->type);
    jw_kstr(w, "basis", m->basis);
    jw_kstr(w, "basis_date", m->basis_date);
    jw_kint(w, "period_days", m->period_days);
    jw_kint(w, "slots_per_day", m->slots_per_day);
    jw_kstr(w, "status", m->status);
    jw_kbool(w, "door_notice", m->door_notice);
    jw_kstr(w, "door_notice_date", m->door_notice_date);
    jw_kstr(w, "end_date", m->end_date);
    jw_kstr(w, "end_reason", m->end_reason);
    jw_kstr(w, "created_at", m->created_at);
    jw_kstr(w, "last_day", m->last_day[0] ? m->last_day : NULL);
    jw_kstr(w, "release_due", m->release_due[0] ? m->release_due : NULL);
    jw_kint(w, "day_number", m->day_number);
}

void render_measure(Jw *w, const Measure *m)
{
    jw_object(w);
    render_measure_fields(w, m);
    jw_object_end(w);
}

static int render_event(void *ctx, const MeasureEvent *e)
{
    Jw *w = ctx;
    jw_object(w);
    jw_kint(w, "id", e->id);
    jw_kstr(w, "at", e->at);
    jw_kstr(w, "actor", e->actor);
    jw_kstr(w, "action", e->action);
    jw_kstr(w, "detail", e->detail);
    jw_kstr(w, "reason", e->reason);
    jw_object_end(w);
    return 0;
}

/* Rendering a measure with its events, inside a callback of the domain's
 * reads (which hold no statement open while they call back). */
typedef struct MeasureOut {
    Jw *w;
    Db *db;
    const Actor *a;
    Err *err;
    int rc;
} MeasureOut;

static int render_check_item(void *ctx, const Check *c)
{
    render_check(ctx, c);
    return 0;
}

/* A measure with its history and its checks (the temperature curve). */
static int render_with_events(void *ctx, const Measure *m)
{
    MeasureOut *o = ctx;
    jw_object(o->w);
    render_measure_fields(o->w, m);
    jw_key(o->w, "events");
    jw_array(o->w);
    o->rc = measures_events(o->db, o->a, m->id, render_event, o->w, o->err);
    jw_array_end(o->w);
    jw_key(o->w, "checks");
    jw_array(o->w);
    if (!o->rc)
        o->rc = checks_of_measure(o->db, o->a, m->id, 0, render_check_item,
                                  o->w, o->err);
    jw_array_end(o->w);
    jw_object_end(o->w);
    return o->rc;
}

/* The answer for one measure: the measure with its events and checks. */
static int render_measure_page(Req *r, Db *db, int64_t id, int status,
                               Err *err)
{
    Jw w;
    resp_begin(r, status, &w);
    MeasureOut o = {&w, db, &r->actor, err, 0};
    if (measures_get(db, &r->actor, id, NULL, render_with_events, &o, err))
        return -1;
    return o.rc;
}

/* {"items": [measure with events]} from a read of many measures. */
static int render_measure_list(Req *r, Db *db, int64_t person_id,
                               const char *day, Err *err)
{
    Jw w;
    resp_begin(r, 200, &w);
    jw_object(&w);
    jw_key(&w, "items");
    jw_array(&w);
    MeasureOut o = {&w, db, &r->actor, err, 0};
    int rc = person_id
                 ? measures_of_person(db, &r->actor, person_id, day,
                                      render_with_events, &o, err)
                 : measures_release_due(db, &r->actor, day,
                                        render_with_events, &o, err);
    if (rc || o.rc)
        return -1;
    jw_array_end(&w);
    jw_object_end(&w);
    return 0;
}

/* A whole number from the body into an int (huge values are clamped so
 * the domain refuses them); present 0 becomes -1 where 0 means "the
 * default" to the domain, so an explicit 0 is refused too. */
static int body_small_int(Req *r, const char *key, int *out)
{
    int64_t v = 0;
    int present;
    if (body_int(r, key, &v, &present))
        return -1;
    if (v > 100000)
        v = 100000;
    if (v < -100000)
        v = -100000;
    *out = present && v == 0 ? -1 : (int)v;
    return 0;
}

/* ---- measures ------------------------------------------------------------ */

void api_measures_of_person(Req *r)
{
    Err err;
    if (render_measure_list(r, req_db(r), r->params[0], NULL, &err))
        resp_error(r, &err);
}

void api_measure_get(Req *r)
{
    Err err;
    if (render_measure_page(r, req_db(r), r->params[0], 200, &err))
        resp_error(r, &err);
}

static int write_measure_start(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    MeasureInput *in = r->write_arg;
    int64_t id;
    if (measures_start(db, &r->actor, r->params[0], in, &id, err))
        return -1;
    return render_measure_page(r, db, id, 201, err);
}

void api_measures_create(Req *r)
{
    MeasureInput *in = arena_alloc(&r->arena, sizeof *in);
    memset(in, 0, sizeof *in);
    if (body_str(r, "type", &in->type) || body_str(r, "basis", &in->basis) ||
        body_str(r, "basis_date", &in->basis_date) ||
        body_small_int(r, "period_days", &in->period_days) ||
        body_small_int(r, "slots_per_day", &in->slots_per_day))
        return;
    r->write_arg = in;
    req_write(r, write_measure_start, r);
}

static int write_measure_change(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    MeasureChange *ch = r->write_arg;
    if (measures_change(db, &r->actor, r->params[0], ch, err))
        return -1;
    return render_measure_page(r, db, r->params[0], 200, err);
}

void api_measure_change(Req *r)
{
    MeasureChange *ch = arena_alloc(&r->arena, sizeof *ch);
    memset(ch, 0, sizeof *ch);
    if (body_str(r, "action", &ch->action) ||
        body_small_int(r, "days", &ch->days) ||
        body_str(r, "reason", &ch->reason) ||
        body_str(r, "type", &ch->type) ||
        body_str(r, "basis", &ch->basis) ||
        body_str(r, "basis_date", &ch->basis_date) ||
        body_str(r, "date", &ch->date))
        return;
    r->write_arg = ch;
    req_write(r, write_measure_change, r);
}

void api_release_due(Req *r)
{
    Err err;
    const char *day = req_query(r, "date");
    if (day && validate_date(day, "date", NULL, &err)) {
        resp_fail(r, 400, "invalid_query", "date",
                  "date must be a day, YYYY-MM-DD");
        return;
    }
    if (render_measure_list(r, req_db(r), 0, day, &err))
        resp_error(r, &err);
}

/* ---- the chain ----------------------------------------------------------- */

static int render_role(void *ctx, const ChainRole *cr)
{
    Jw *w = ctx;
    jw_object(w);
    jw_kstr(w, "code", cr->code);
    jw_kstr(w, "name_zh", cr->name_zh);
    jw_kstr(w, "name_en", cr->name_en);
    jw_kint(w, "position", cr->position);
    jw_kbool(w, "active", cr->active);
    jw_object_end(w);
    return 0;
}

void api_chain_roles_list(Req *r)
{
    Jw w;
    Err err;
    resp_begin(r, 200, &w);
    jw_object(&w);
    jw_key(&w, "items");
    jw_array(&w);
    if (chain_roles_list(req_db(r), render_role, &w, &err)) {
        resp_error(r, &err);
        return;
    }
    jw_array_end(&w);
    jw_object_end(&w);
}

typedef struct RoleWrite {
    const char *code, *name_zh, *name_en;
    int active;
} RoleWrite;

typedef struct RoleOut {
    Jw *w;
    const char *code;
} RoleOut;

static int render_role_if(void *ctx, const ChainRole *cr)
{
    RoleOut *o = ctx;
    if (strcmp(cr->code, o->code) == 0)
        render_role(o->w, cr);
    return 0;
}

static int write_role(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    RoleWrite *rw = r->write_arg;
    if (chain_roles_save(db, &r->actor, rw->code, rw->name_zh, rw->name_en,
                         rw->active, err))
        return -1;
    Jw w;
    resp_begin(r, 200, &w);
    RoleOut o = {&w, rw->code};
    return chain_roles_list(db, render_role_if, &o, err);
}

void api_chain_roles_save(Req *r)
{
    RoleWrite *rw = arena_alloc(&r->arena, sizeof *rw);
    memset(rw, 0, sizeof *rw);
    rw->active = -1;
    if (body_str(r, "name_zh", &rw->name_zh) ||
        body_str(r, "name_en", &rw->name_en) ||
        body_bool(r, "active", &rw->active))
        return;
    /* the code is the last path segment: /chain-roles/{key} */
    const char *slash = strrchr(r->path, '/');
    rw->code = slash ? slash + 1 : "";
    r->write_arg = rw;
    req_write(r, write_role, r);
}

static int render_assignment(void *ctx, const Assignment *x)
{
    Jw *w = ctx;
    jw_object(w);
    jw_kstr(w, "role", x->role);
    jw_kstr(w, "role_zh", x->role_zh);
    jw_kstr(w, "role_en", x->role_en);
    jw_kint(w, "account_id", x->account_id);
    jw_kstr(w, "username", x->username);
    jw_kstr(w, "display_name", x->display_name);
    jw_object_end(w);
    return 0;
}

static int render_chain(Req *r, Db *db, int64_t person_id, Err *err)
{
    Jw w;
    resp_begin(r, 200, &w);
    jw_object(&w);
    jw_key(&w, "items");
    jw_array(&w);
    if (chain_of_person(db, &r->actor, person_id, render_assignment, &w,
                        err))
        return -1;
    jw_array_end(&w);
    jw_object_end(&w);
    return 0;
}

void api_chain_of_person(Req *r)
{
    Err err;
    if (render_chain(r, req_db(r), r->params[0], &err))
        resp_error(r, &err);
}

typedef struct ChainWrite {
    const char *role;
    int64_t account_id, village_id, grid_id;
} ChainWrite;

static int write_assign(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    ChainWrite *cw = r->write_arg;
    if (chain_assign(db, &r->actor, r->params[0], cw->role, cw->account_id,
                     err))
        return -1;
    return render_chain(r, db, r->params[0], err);
}

/* Read {"role", "account_id", ...}; account_id is required (0 removes). */
static ChainWrite *read_chain(Req *r, int bulk)
{
    ChainWrite *cw = arena_alloc(&r->arena, sizeof *cw);
    int present, has_village;
    memset(cw, 0, sizeof *cw);
    if (body_str(r, "role", &cw->role) ||
        body_int(r, "account_id", &cw->account_id, &present) ||
        (bulk && (body_int(r, "village_id", &cw->village_id, &has_village) ||
                  body_int(r, "grid_id", &cw->grid_id, &has_village))))
        return NULL;
    if (!present) {
        resp_fail(r, 422, "missing_field", "account_id",
                  "the account is required (0 removes the role)");
        return NULL;
    }
    return cw;
}

void api_chain_assign(Req *r)
{
    ChainWrite *cw = read_chain(r, 0);
    if (!cw)
        return;
    r->write_arg = cw;
    req_write(r, write_assign, r);
}

static int write_bulk(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    ChainWrite *cw = r->write_arg;
    long n;
    if (chain_assign_bulk(db, &r->actor, cw->village_id, cw->grid_id,
                          cw->role, cw->account_id, &n, err))
        return -1;
    Jw w;
    resp_begin(r, 200, &w);
    jw_object(&w);
    jw_kint(&w, "assigned", n);
    jw_object_end(&w);
    return 0;
}

void api_chain_bulk(Req *r)
{
    ChainWrite *cw = read_chain(r, 1);
    if (!cw)
        return;
    r->write_arg = cw;
    req_write(r, write_bulk, r);
}
