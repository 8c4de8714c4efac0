/* regions_api.c — /regions (the form's region suggestions) and
 * /risk-areas (the levels set on regions over time). */
#include <string.h>

#include "../domain/regions.h"
#include "api.h"

static void render_region(Jw *w, const Region *g)
{
    jw_object(w);
    jw_kstr(w, "code", g->code);
    jw_kstr(w, "name", g->name);
    jw_kstr(w, "full_name", g->full_name);
    jw_kint(w, "level", g->level);
    jw_object_end(w);
}

static void render_risk_area(Jw *w, const RiskArea *ra)
{
    jw_object(w);
    jw_kint(w, "id", ra->id);
    jw_kstr(w, "region_code", ra->region_code);
    jw_kstr(w, "region_name", ra->region_name);
    jw_kstr(w, "level", ra->level);
    jw_kstr(w, "start_date", ra->start_date);
    jw_kstr(w, "end_date", ra->end_date);
    jw_object_end(w);
}

static int search_one(void *ctx, const Region *g)
{
    render_region(ctx, g);
    return 0;
}

void api_regions_search(Req *r)
{
    const char *q = req_query(r, "q");
    int64_t limit = 20;
    if (!q || !q[strspn(q, " \t")]) {
        resp_fail(r, 400, "invalid_query", "q", "q (the text to look for)"
                                                " is required");
        return;
    }
    if (req_query_int(r, "limit", 1, 20, &limit))
        return;
    Jw w;
    Err err;
    resp_begin(r, 200, &w);
    jw_object(&w);
    jw_key(&w, "items");
    jw_array(&w);
    if (regions_search(req_db(r), q, (int)limit, search_one, &w, &err)) {
        resp_error(r, &err);
        return;
    }
    jw_array_end(&w);
    jw_object_end(&w);
}

typedef struct RiskPage {
    ListPage page;
    int64_t after_id;
} RiskPage;

static int list_one(void *ctx, const RiskArea *ra)
{
    RiskPage *p = ctx;
    if (ra->id <= p->after_id)
        return 0;
    render_risk_area(&p->page.w, ra);
    list_item(&p->page, ra->id);
    return p->page.n >= p->page.limit;
}

void api_risk_areas_list(Req *r)
{
    RiskPage p = {0};
    int limit;
    if (req_paging(r, &limit, &p.after_id))
        return;
    Err err;
    list_begin(r, &p.page, limit);
    if (risk_areas_list(req_db(r), list_one, &p, &err))
        resp_error(r, &err);
    else
        list_end(&p.page);
}

/* Answer with risk area id read through db. */
static int render_one(void *ctx, const RiskArea *ra)
{
    render_risk_area(ctx, ra);
    return 1;
}

static int render_by_id(Req *r, Db *db, int64_t id, int status, Err *err)
{
    Jw w;
    resp_begin(r, status, &w);
    return risk_areas_get(db, id, render_one, &w, err);
}

/* Read the body fields of a risk area; -1 after answering 422.  A JSON
 * null end_date clears it, as "" does. */
static int read_input(Req *r, RiskAreaInput *in)
{
    memset(in, 0, sizeof *in);
    if (body_str(r, "region_code", &in->region_code) ||
        body_str(r, "level", &in->level) ||
        body_str(r, "start_date", &in->start_date) ||
        body_str(r, "end_date", &in->end_date))
        return -1;
    json_t *end = r->json ? json_object_get(r->json, "end_date") : NULL;
    if (end && json_is_null(end))
        in->end_date = "";
    return 0;
}

static int write_create(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    int64_t id;
    if (risk_areas_create(db, &r->actor, r->write_arg, &id, err))
        return -1;
    return render_by_id(r, db, id, 201, err);
}

void api_risk_areas_create(Req *r)
{
    RiskAreaInput *in = arena_alloc(&r->arena, sizeof *in);
    if (read_input(r, in))
        return;
    r->write_arg = in;
    req_write(r, write_create, r);
}

static int write_update(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    if (risk_areas_update(db, &r->actor, r->params[0], r->write_arg, err))
        return -1;
    return render_by_id(r, db, r->params[0], 200, err);
}

void api_risk_areas_update(Req *r)
{
    RiskAreaInput *in = arena_alloc(&r->arena, sizeof *in);
    if (read_input(r, in))
        return;
    r->write_arg = in;
    req_write(r, write_update, r);
}
