/* ledgers_api.c — the ledgers over HTTP (docs/api-ledgers.md): supplies,
 * disinfection, the gate visitor log, inspections and enterprises.
 * Handlers read the query or body into a domain input, and answer with
 * rows of the list engine (ledger.h) rendered as JSON objects. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../base/clock.h"
#include "../base/validate.h"
#include "../domain/ledger.h"
#include "../domain/ledger_io.h"
#include "api.h"

/* ---- rendering -------------------------------------------------------- */

/* render_row writes a list row as one JSON object, keyed as its
 * columns. */
static void render_row(Jw *w, const LedgerRow *r)
{
    jw_object(w);
    for (int i = 0; i < r->ncols; i++) {
        const LedgerCol *c = &r->cols[i];
        jw_key(w, c->key);
        int null = db_is_null(r->st, i);
        switch (c->type) {
        case LT_INT:
            jw_int(w, db_int(r->st, i));
            break;
        case LT_ID:
            if (null || db_int(r->st, i) == 0)
                jw_null(w);
            else
                jw_int(w, db_int(r->st, i));
            break;
        case LT_REAL:
        case LT_REAL1:
            if (null)
                jw_null(w);
            else
                jw_double(w, db_double(r->st, i), c->type == LT_REAL1 ? 1
                                                                      : 3);
            break;
        case LT_TEXT:
            jw_str(w, db_text(r->st, i));
            break;
        case LT_BOOL:
            jw_bool(w, db_int(r->st, i) != 0);
            break;
        case LT_TRI:
            if (null)
                jw_null(w);
            else
                jw_bool(w, db_int(r->st, i) != 0);
            break;
        }
    }
    jw_object_end(w);
}

static int row_into(void *ctx, const LedgerRow *r)
{
    render_row(ctx, r);
    return 0;
}

/* A row rendered and counted (to tell a missing record). */
typedef struct Counted {
    Jw *w;
    int n;
} Counted;

static int row_counted(void *ctx, const LedgerRow *r)
{
    Counted *c = ctx;
    render_row(c->w, r);
    c->n++;
    return 0;
}

typedef struct PageCtx {
    ListPage *page;
    const char *id_key;
} PageCtx;

static int row_into_page(void *ctx, const LedgerRow *r)
{
    PageCtx *p = ctx;
    render_row(&p->page->w, r);
    list_item(p->page, ledger_int(r, p->id_key));
    return 0;
}

/* render_one answers status with record id of list kind. */
static int render_one(Req *r, Db *db, LedgerList kind, int64_t id,
                      int status, Err *err)
{
    Jw w;
    resp_begin(r, status, &w);
    return ledger_get(db, &r->actor, kind, id, row_into, &w, err);
}

/* ---- query and body --------------------------------------------------- */

static int query_day(Req *r, const char *name, const char **out)
{
    const char *v = req_query(r, name);
    Err e;
    if (v && validate_date(v, name, NULL, &e)) {
        resp_fail(r, 400, "invalid_query", name, "a date YYYY-MM-DD");
        return -1;
    }
    *out = v;
    return 0;
}

/* filter_from_query reads the common filters; -1 after a 400. */
static int filter_from_query(Req *r, LedgerFilter *f)
{
    memset(f, 0, sizeof *f);
    if (req_paging(r, &f->limit, &f->after_id) ||
        req_query_int(r, "village_id", 1, INT64_MAX, &f->village_id) ||
        req_query_int(r, "place_id", 1, INT64_MAX, &f->place_id) ||
        req_query_int(r, "item_id", 1, INT64_MAX, &f->item_id) ||
        req_query_int(r, "round_id", 1, INT64_MAX, &f->round_id) ||
        query_day(r, "from", &f->from) || query_day(r, "to", &f->to) ||
        query_day(r, "date", &f->day))
        return -1;
    f->kind = req_query(r, "kind");
    f->status = req_query(r, "status");
    f->q = req_query(r, "q");
    if (f->q && !*f->q)
        f->q = NULL;
    return 0;
}

static void list_kind(Req *r, LedgerList kind, LedgerFilter *f,
                      const char *id_key)
{
    ListPage page;
    PageCtx pc = {&page, id_key};
    Err err;
    list_begin(r, &page, f->limit);
    if (ledger_list(req_db(r), &r->actor, kind, f, row_into_page, &pc, &err))
        resp_error(r, &err);
    else
        list_end(&page);
}

/* body_num reads a number field; -1 after a 422 (invalid_temperature
 * for the temperature, as POST /measures/{id}/checks answers). */
static int body_num(Req *r, const char *key, double *out, int *present)
{
    int temp = strcmp(key, "temperature") == 0;
    json_t *v = r->json ? json_object_get(r->json, key) : NULL;
    *present = v && !json_is_null(v);
    if (!*present)
        return 0;
    if (!json_is_number(v)) {
        resp_fail(r, 422, temp ? "invalid_temperature" : "invalid_field",
                  key, temp ? "the temperature must be a number in °C"
                            : "must be a number");
        return -1;
    }
    *out = json_number_value(v);
    return 0;
}

/* A tri-state checklist field: true, false, or absent/null (-1). */
static int body_tri(Req *r, const char *key, int *out)
{
    *out = -1;
    return body_bool(r, key, out);
}

/* ---- supplies --------------------------------------------------------- */

void api_supply_items_list(Req *r)
{
    LedgerFilter f;
    if (filter_from_query(r, &f))
        return;
    list_kind(r, LL_SUPPLY_ITEMS, &f, "id");
}

static int read_item(Req *r, SupplyItemInput *in)
{
    int active = -1;
    memset(in, 0, sizeof *in);
    if (body_str(r, "name", &in->name) || body_str(r, "unit", &in->unit) ||
        body_num(r, "low_stock", &in->low_stock, &in->has_low_stock) ||
        body_bool(r, "active", &active))
        return -1;
    in->active = active;
    return 0;
}

static int write_item_create(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    int64_t id;
    if (supplies_item_create(db, &r->actor, r->write_arg, &id, err))
        return -1;
    return render_one(r, db, LL_SUPPLY_ITEMS, id, 201, err);
}

void api_supply_items_create(Req *r)
{
    SupplyItemInput *in = arena_alloc(&r->arena, sizeof *in);
    if (read_item(r, in))
        return;
    r->write_arg = in;
    req_write(r, write_item_create, r);
}

static int write_item_update(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    if (supplies_item_update(db, &r->actor, r->params[0], r->write_arg, err))
        return -1;
    return render_one(r, db, LL_SUPPLY_ITEMS, r->params[0], 200, err);
}

void api_supply_items_update(Req *r)
{
    SupplyItemInput *in = arena_alloc(&r->arena, sizeof *in);
    if (read_item(r, in))
        return;
    r->write_arg = in;
    req_write(r, write_item_update, r);
}

void api_supplies_list(Req *r)
{
    LedgerFilter f;
    if (filter_from_query(r, &f))
        return;
    if (f.kind && strcmp(f.kind, "receipt") && strcmp(f.kind, "issue") &&
        strcmp(f.kind, "reversal")) {
        resp_fail(r, 400, "invalid_query", "kind",
                  "kind must be receipt, issue or reversal");
        return;
    }
    list_kind(r, LL_SUPPLY_MOVES, &f, "id");
}

void api_supplies_get(Req *r)
{
    Err err;
    if (render_one(r, req_db(r), LL_SUPPLY_MOVES, r->params[0], 200, &err))
        resp_error(r, &err);
}

static int write_move(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    int64_t id;
    if (supplies_record(db, &r->actor, r->write_arg, &id, err))
        return -1;
    return render_one(r, db, LL_SUPPLY_MOVES, id, 201, err);
}

void api_supplies_create(Req *r)
{
    SupplyMoveInput *in = arena_alloc(&r->arena, sizeof *in);
    int present;
    if (body_str(r, "kind", &in->kind) ||
        body_int(r, "item_id", &in->item_id, &present) ||
        body_num(r, "quantity", &in->quantity, &present) ||
        body_str(r, "day", &in->day) || body_str(r, "source", &in->source) ||
        body_str(r, "donor", &in->donor) ||
        body_str(r, "supplier", &in->supplier) ||
        body_num(r, "cost", &in->cost, &in->has_cost) ||
        body_int(r, "place_id", &in->place_id, &present) ||
        body_str(r, "recipient", &in->recipient) ||
        body_str(r, "note", &in->note))
        return;
    if (!json_object_get(r->json, "quantity")) {
        resp_fail(r, 422, "missing_field", "quantity",
                  "quantity is required");
        return;
    }
    r->write_arg = in;
    req_write(r, write_move, r);
}

static int write_reverse(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    int64_t id;
    if (supplies_reverse(db, &r->actor, r->params[0], r->write_arg, &id,
                         err))
        return -1;
    return render_one(r, db, LL_SUPPLY_MOVES, id, 201, err);
}

void api_supplies_reverse(Req *r)
{
    const char *note;
    if (body_str(r, "note", &note))
        return;
    r->write_arg = (void *)note;
    req_write(r, write_reverse, r);
}

void api_supplies_stock(Req *r)
{
    LedgerFilter f;
    if (filter_from_query(r, &f))
        return;
    f.limit = 500;
    f.after_id = 0;
    Jw w;
    Err err;
    Db *db = req_db(r);
    resp_begin(r, 200, &w);
    jw_object(&w);
    jw_key(&w, "items");
    jw_array(&w);
    LedgerFilter fi = {.limit = 500, .id = f.item_id};
    if (ledger_list(db, &r->actor, LL_SUPPLY_ITEMS, &fi, row_into, &w, &err))
        goto fail;
    jw_array_end(&w);
    jw_key(&w, "places");
    jw_array(&w);
    if (ledger_list(db, &r->actor, LL_SUPPLY_STOCK, &f, row_into, &w, &err))
        goto fail;
    jw_array_end(&w);
    jw_object_end(&w);
    return;
fail:
    resp_error(r, &err);
}

/* ---- disinfection ----------------------------------------------------- */

void api_disinfection_list(Req *r)
{
    LedgerFilter f;
    if (filter_from_query(r, &f))
        return;
    list_kind(r, LL_DISINFECTION, &f, "id");
}

void api_disinfection_get(Req *r)
{
    Err err;
    if (render_one(r, req_db(r), LL_DISINFECTION, r->params[0], 200, &err))
        resp_error(r, &err);
}

static int write_disinfection(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    int64_t id;
    if (disinfection_record(db, &r->actor, r->write_arg, &id, err))
        return -1;
    return render_one(r, db, LL_DISINFECTION, id, 201, err);
}

void api_disinfection_create(Req *r)
{
    DisinfectionInput *in = arena_alloc(&r->arena, sizeof *in);
    int present;
    if (body_str(r, "day", &in->day) ||
        body_int(r, "place_id", &in->place_id, &present) ||
        body_int(r, "village_id", &in->village_id, &present) ||
        body_str(r, "place_text", &in->place_text) ||
        body_num(r, "area", &in->area, &in->has_area) ||
        body_str(r, "agent", &in->agent) ||
        body_str(r, "concentration", &in->concentration) ||
        body_str(r, "method", &in->method) ||
        body_str(r, "operator", &in->operator_name) ||
        body_str(r, "note", &in->note))
        return;
    r->write_arg = in;
    req_write(r, write_disinfection, r);
}

void api_disinfection_totals(Req *r)
{
    LedgerFilter f;
    if (filter_from_query(r, &f))
        return;
    Jw w;
    Err err;
    Db *db = req_db(r);
    resp_begin(r, 200, &w);
    jw_object(&w);
    jw_kstr(&w, "from", f.from);
    jw_kstr(&w, "to", f.to);
    jw_key(&w, "total");
    if (ledger_list(db, &r->actor, LL_DISINF_ALL, &f, row_into, &w, &err))
        goto fail;
    jw_key(&w, "days");
    jw_array(&w);
    if (ledger_list(db, &r->actor, LL_DISINF_DAYS, &f, row_into, &w, &err))
        goto fail;
    jw_array_end(&w);
    jw_key(&w, "villages");
    jw_array(&w);
    if (ledger_list(db, &r->actor, LL_DISINF_VILLAGES, &f, row_into, &w,
                    &err))
        goto fail;
    jw_array_end(&w);
    jw_object_end(&w);
    return;
fail:
    resp_error(r, &err);
}

/* ---- the gate visitor log --------------------------------------------- */

/* The visitor log's own filter, for its list and its export alike:
 * fever=1 only the feverish, fever=0 only the others; -1 after a 400. */
static int visitors_fever_filter(Req *r, LedgerFilter *f)
{
    int64_t fever = -1;
    if (req_query_int(r, "fever", 0, 1, &fever))
        return -1;
    f->kind = fever < 0 ? NULL : fever ? "fever" : "normal";
    return 0;
}

void api_visitors_list(Req *r)
{
    LedgerFilter f;
    if (filter_from_query(r, &f) || visitors_fever_filter(r, &f))
        return;
    list_kind(r, LL_VISITORS, &f, "id");
}

void api_visitors_get(Req *r)
{
    Err err;
    if (render_one(r, req_db(r), LL_VISITORS, r->params[0], 200, &err))
        resp_error(r, &err);
}

static int write_visitor(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    int64_t id, alert;
    if (visitors_record(db, &r->actor, r->write_arg, &id, &alert, err))
        return -1;
    Jw w;
    resp_begin(r, 201, &w);
    jw_object(&w);
    jw_key(&w, "visit");
    if (ledger_get(db, &r->actor, LL_VISITORS, id, row_into, &w, err))
        return -1;
    jw_key(&w, "alert_id");
    if (alert)
        jw_int(&w, alert);
    else
        jw_null(&w);
    jw_object_end(&w);
    return 0;
}

void api_visitors_create(Req *r)
{
    VisitorInput *in = arena_alloc(&r->arena, sizeof *in);
    int present;
    if (body_int(r, "place_id", &in->place_id, &present) ||
        body_str(r, "at", &in->at) || body_str(r, "name", &in->name) ||
        body_str(r, "phone", &in->phone) ||
        body_str(r, "reason", &in->reason) ||
        body_str(r, "came_from", &in->came_from) ||
        body_num(r, "temperature", &in->temperature, &in->has_temperature))
        return;
    r->write_arg = in;
    req_write(r, write_visitor, r);
}

/* ---- inspections ------------------------------------------------------ */

void api_rounds_list(Req *r)
{
    LedgerFilter f;
    if (filter_from_query(r, &f))
        return;
    list_kind(r, LL_ROUNDS, &f, "id");
}

/* render_round answers the round with its sites and the unvisited. */
static int render_round(Req *r, Db *db, int64_t id, int status, Err *err)
{
    Jw w;
    resp_begin(r, status, &w);
    jw_object(&w);
    jw_key(&w, "round");
    if (ledger_get(db, &r->actor, LL_ROUNDS, id, row_into, &w, err))
        return -1;
    LedgerFilter f = {.round_id = id, .limit = 100000};
    jw_key(&w, "sites");
    jw_array(&w);
    if (ledger_list(db, &r->actor, LL_ROUND_SITES, &f, row_into, &w, err))
        return -1;
    jw_array_end(&w);
    jw_object_end(&w);
    return 0;
}

void api_rounds_get(Req *r)
{
    Err err;
    if (render_round(r, req_db(r), r->params[0], 200, &err))
        resp_error(r, &err);
}

static int write_round(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    int64_t id;
    if (inspection_round_create(db, &r->actor, r->write_arg, &id, err))
        return -1;
    return render_round(r, db, id, 201, err);
}

void api_rounds_create(Req *r)
{
    RoundInput *in = arena_alloc(&r->arena, sizeof *in);
    int full = 0, present;
    if (body_str(r, "name", &in->name) || body_str(r, "team", &in->team) ||
        body_str(r, "day", &in->day) ||
        body_bool(r, "full_coverage", &full) ||
        body_id_list(r, "sites", in->sites, INSPECTION_MAX_SITES,
                     &in->nsites, &present))
        return;
    in->full_coverage = full;
    r->write_arg = in;
    req_write(r, write_round, r);
}

void api_visits_list(Req *r)
{
    LedgerFilter f;
    if (filter_from_query(r, &f))
        return;
    if (f.status && strcmp(f.status, "open") && strcmp(f.status, "fixed") &&
        strcmp(f.status, "verified") && strcmp(f.status, "overdue")) {
        resp_fail(r, 400, "invalid_query", "status",
                  "status must be open, fixed, verified or overdue");
        return;
    }
    list_kind(r, LL_VISITS, &f, "id");
}

void api_visits_overdue(Req *r)
{
    LedgerFilter f;
    if (filter_from_query(r, &f))
        return;
    f.status = "overdue";
    list_kind(r, LL_VISITS, &f, "id");
}

static int write_visit(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    int64_t id;
    if (inspection_visit_create(db, &r->actor, r->write_arg, &id, err))
        return -1;
    return render_one(r, db, LL_VISITS, id, 201, err);
}

void api_visits_create(Req *r)
{
    VisitInput *in = arena_alloc(&r->arena, sizeof *in);
    int present;
    if (body_int(r, "round_id", &in->round_id, &present) ||
        body_int(r, "place_id", &in->place_id, &present) ||
        body_str(r, "day", &in->day) ||
        body_str(r, "inspector", &in->inspector) ||
        body_str(r, "problems", &in->problems) ||
        body_str(r, "required_fix", &in->required_fix) ||
        body_str(r, "deadline", &in->deadline) ||
        body_str(r, "accountability", &in->accountability))
        return;
    for (int i = 0; i < INSPECTION_CHECKS; i++)
        if (body_tri(r, INSPECTION_CHECK_KEYS[i], &in->checks[i]))
            return;
    r->write_arg = in;
    req_write(r, write_visit, r);
}

typedef struct VisitChange {
    const char *status, *accountability;
} VisitChange;

static int write_visit_update(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    VisitChange *c = r->write_arg;
    if (inspection_visit_update(db, &r->actor, r->params[0], c->status,
                                c->accountability, err))
        return -1;
    return render_one(r, db, LL_VISITS, r->params[0], 200, err);
}

void api_visits_update(Req *r)
{
    VisitChange *c = arena_alloc(&r->arena, sizeof *c);
    if (body_str(r, "status", &c->status) ||
        body_str(r, "accountability", &c->accountability))
        return;
    r->write_arg = c;
    req_write(r, write_visit_update, r);
}

/* ---- enterprises ------------------------------------------------------ */

/* Enterprises are read with ledger.read, or by whoever writes them (an
 * enterprise liaison holds enterprise.write only). */
static int may_read_enterprises(Req *r)
{
    if (actor_can(&r->actor, CAP_LEDGER_READ) ||
        actor_can(&r->actor, CAP_ENTERPRISE_WRITE))
        return 1;
    resp_fail(r, 403, "forbidden", NULL,
              "your role may not read the enterprises");
    return 0;
}

void api_enterprises_list(Req *r)
{
    LedgerFilter f;
    if (!may_read_enterprises(r) || filter_from_query(r, &f))
        return;
    f.status = req_query(r, "approval");
    list_kind(r, LL_ENTERPRISES, &f, "id");
}

/* render_enterprise answers the enterprise (with the summary of day)
 * and its workers. */
static int render_enterprise(Req *r, Db *db, int64_t id, const char *day,
                             int status, Err *err)
{
    Jw w;
    resp_begin(r, status, &w);
    jw_object(&w);
    jw_key(&w, "enterprise");
    LedgerFilter f = {.id = id, .limit = 1, .day = day};
    Counted c = {&w, 0};
    if (ledger_list(db, &r->actor, LL_ENTERPRISES, &f, row_counted, &c,
                    err))
        return -1;
    if (!c.n)
        return err_set(err, 404, "not_found", NULL, "no such enterprise");
    LedgerFilter fw = {.enterprise_id = id, .limit = 100000, .day = day};
    jw_key(&w, "workers");
    jw_array(&w);
    if (ledger_list(db, &r->actor, LL_WORKERS, &fw, row_into, &w, err))
        return -1;
    jw_array_end(&w);
    jw_object_end(&w);
    return 0;
}

void api_enterprises_get(Req *r)
{
    const char *day;
    Err err;
    if (!may_read_enterprises(r) || query_day(r, "date", &day))
        return;
    if (render_enterprise(r, req_db(r), r->params[0], day, 200, &err))
        resp_error(r, &err);
}

static int read_enterprise(Req *r, EnterpriseInput *in)
{
    int present;
    memset(in, 0, sizeof *in);
    if (body_str(r, "name", &in->name) ||
        body_int(r, "village_id", &in->village_id, &present) ||
        body_int(r, "liaison_id", &in->liaison_id, &in->has_liaison) ||
        body_str(r, "approval", &in->approval) ||
        body_str(r, "approval_date", &in->approval_date) ||
        body_str(r, "note", &in->note))
        return -1;
    if (json_object_get(r->json, "liaison_id"))
        in->has_liaison = 1; /* null clears it */
    return 0;
}

static int write_enterprise_create(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    int64_t id;
    if (enterprise_create(db, &r->actor, r->write_arg, &id, err))
        return -1;
    return render_enterprise(r, db, id, NULL, 201, err);
}

void api_enterprises_create(Req *r)
{
    EnterpriseInput *in = arena_alloc(&r->arena, sizeof *in);
    if (read_enterprise(r, in))
        return;
    r->write_arg = in;
    req_write(r, write_enterprise_create, r);
}

static int write_enterprise_update(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    if (enterprise_update(db, &r->actor, r->params[0], r->write_arg, err))
        return -1;
    return render_enterprise(r, db, r->params[0], NULL, 200, err);
}

void api_enterprises_update(Req *r)
{
    EnterpriseInput *in = arena_alloc(&r->arena, sizeof *in);
    if (read_enterprise(r, in))
        return;
    r->write_arg = in;
    req_write(r, write_enterprise_update, r);
}

typedef struct WorkerAdd {
    int64_t person_id;
    const char *since;
} WorkerAdd;

static int write_worker_add(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    WorkerAdd *wa = r->write_arg;
    int64_t id;
    if (enterprise_worker_add(db, &r->actor, r->params[0], wa->person_id,
                              wa->since, &id, err))
        return -1;
    return render_enterprise(r, db, r->params[0], NULL, 201, err);
}

void api_enterprise_workers_add(Req *r)
{
    WorkerAdd *wa = arena_alloc(&r->arena, sizeof *wa);
    int present;
    if (body_int(r, "person_id", &wa->person_id, &present) ||
        body_str(r, "since", &wa->since))
        return;
    r->write_arg = wa;
    req_write(r, write_worker_add, r);
}

static int write_worker_leave(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    if (enterprise_worker_leave(db, &r->actor, r->params[0], r->params[1],
                                NULL, err))
        return -1;
    return render_enterprise(r, db, r->params[0], NULL, 200, err);
}

void api_enterprise_workers_leave(Req *r)
{
    req_write(r, write_worker_leave, r);
}

/* ---- import and export ------------------------------------------------ */

static void render_import(Req *r, int status, const LedgerImport *im,
                          const Err *e)
{
    Jw w;
    resp_begin(r, status, &w);
    jw_object(&w);
    if (e) {
        jw_key(&w, "error");
        jw_object(&w);
        jw_kstr(&w, "code", e->code);
        jw_kstr(&w, "message", e->message);
        jw_object_end(&w);
    }
    jw_kint(&w, "rows", im->rows);
    jw_kint(&w, "created", im->created);
    jw_kint(&w, "unchanged", im->unchanged);
    jw_key(&w, "bad");
    jw_array(&w);
    for (long i = 0; i < im->nbad; i++) {
        jw_object(&w);
        jw_kint(&w, "row", im->bad[i].row);
        jw_kstr(&w, "column", im->bad[i].column);
        jw_kstr(&w, "reason", im->bad[i].reason);
        jw_object_end(&w);
    }
    jw_array_end(&w);
    jw_object_end(&w);
}

/* The whole file is one write job (see people_io_api.c): bad rows are
 * answered from here after undoing the import's savepoint. */
static int write_import(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    LedgerKind *kind = r->write_arg;
    CsvReader *csv;
    int rc = csv_open_memory(r->body.p ? r->body.p : "", r->body.len, &csv,
                             err);
    buf_free(&r->body);
    if (rc)
        return -1;
    LedgerImport im = {.kind = *kind, .csv = csv, .actor = &r->actor};
    rc = db_savepoint(db, err);
    if (!rc) {
        rc = ledger_import(db, &im, err);
        if (rc == 0) {
            rc = db_release(db, err);
            if (rc == 0)
                render_import(r, 200, &im, NULL);
        } else {
            db_rollback_to(db);
            if (!strcmp(err->code, "bad_rows")) {
                render_import(r, 422, &im, err);
                rc = 0;
            }
        }
    }
    ledger_import_free(&im);
    csv_close(csv);
    return rc;
}

static void import_kind(Req *r, LedgerKind kind)
{
    LedgerKind *k = arena_alloc(&r->arena, sizeof *k);
    *k = kind;
    r->write_arg = k;
    req_write(r, write_import, r);
}

typedef struct ExportJob {
    LedgerKind kind;
    LedgerFilter f;
    int xlsx;
    Db *read_db;
} ExportJob;

/* the export's own read and close, for resp_export */
static long export_read(void *x, char *buf, size_t max, Err *err)
{
    return ledger_export_read(x, buf, max, err);
}

static void export_close(void *x) { ledger_export_close(x); }

static int write_export(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    ExportJob *j = r->write_arg;
    if (ledger_export_audit(db, &r->actor, j->kind, &j->f, j->xlsx, err))
        return -1;
    LedgerExport *x =
        ledger_export_open(j->read_db, &r->actor, j->kind, &j->f, j->xlsx);
    resp_export(r, ledger_kind_name(j->kind), j->xlsx, export_read,
                export_close, x);
    return 0;
}

static void export_kind(Req *r, LedgerKind kind)
{
    ExportJob *j = arena_alloc(&r->arena, sizeof *j);
    j->kind = kind;
    if (filter_from_query(r, &j->f))
        return;
    const char *fmt = req_query(r, "format");
    if (fmt && strcmp(fmt, "csv") && strcmp(fmt, "xlsx")) {
        resp_fail(r, 400, "invalid_query", "format",
                  "format must be csv or xlsx");
        return;
    }
    j->xlsx = fmt && !strcmp(fmt, "xlsx");
    int64_t full = 0;
    if (req_query_int(r, "full", 0, 1, &full))
        return;
    if (full && !actor_can(&r->actor, CAP_PII_FULL)) {
        resp_fail(r, 403, "forbidden", "full",
                  "your role may not see full phones");
        return;
    }
    j->f.full = (int)full;
    if (kind == LK_ENTERPRISES) {
        j->f.status = req_query(r, "approval");
        j->f.kind = NULL;
    }
    if (kind == LK_VISITORS && visitors_fever_filter(r, &j->f))
        return;
    j->read_db = req_db(r);
    r->write_arg = j;
    req_write(r, write_export, r);
}

void api_supplies_import(Req *r) { import_kind(r, LK_SUPPLIES); }
void api_supplies_export(Req *r) { export_kind(r, LK_SUPPLIES); }
void api_disinfection_import(Req *r) { import_kind(r, LK_DISINFECTION); }
void api_disinfection_export(Req *r) { export_kind(r, LK_DISINFECTION); }
void api_visitors_import(Req *r) { import_kind(r, LK_VISITORS); }
void api_visitors_export(Req *r) { export_kind(r, LK_VISITORS); }
void api_inspections_import(Req *r) { import_kind(r, LK_INSPECTIONS); }
void api_inspections_export(Req *r) { export_kind(r, LK_INSPECTIONS); }
void api_enterprises_import(Req *r) { import_kind(r, LK_ENTERPRISES); }

void api_enterprises_export(Req *r)
{
    if (may_read_enterprises(r))
        export_kind(r, LK_ENTERPRISES);
}
