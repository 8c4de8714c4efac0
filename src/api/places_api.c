/* places_api.c — /places: villages, grids, points and venues. */
#include <string.h>

#include "api.h"

static int list_one(void *ctx, const Place *p)
{
    ListPage *page = ctx;
    render_place(&page->w, p);
    list_item(page, p->id);
    return 0;
}

void api_places_list(Req *r)
{
    PlaceFilter f = {.active = -1};
    int64_t active = -1;
    if (req_paging(r, &f.limit, &f.after_id) ||
        req_query_int(r, "village_id", 1, INT64_MAX, &f.village_id) ||
        req_query_int(r, "active", 0, 1, &active))
        return;
    f.active = (int)active;
    f.type = req_query(r, "type");
    if (f.type && !places_type_from_label(f.type)) {
        resp_fail(r, 400, "invalid_query", "type",
                  "type must be village, grid, point or venue");
        return;
    }
    if (f.type)
        f.type = places_type_from_label(f.type);
    ListPage page;
    Err err;
    list_begin(r, &page, f.limit);
    if (places_list(req_db(r), &r->actor, &f, list_one, &page, &err))
        resp_error(r, &err);
    else
        list_end(&page);
}

void api_places_get(Req *r)
{
    Err err;
    if (render_place_by_id(r, req_db(r), r->params[0], 200, &err))
        resp_error(r, &err);
}

/* Read the body fields of a place; -1 after answering 422. */
static int read_place_input(Req *r, PlaceInput *in)
{
    int active = -1, present;
    memset(in, 0, sizeof *in);
    if (body_str(r, "type", &in->type) || body_str(r, "name", &in->name) ||
        body_int(r, "village_id", &in->village_id, &present) ||
        body_str(r, "venue_kind", &in->venue_kind) ||
        body_bool(r, "active", &active))
        return -1;
    in->active = active;
    return 0;
}

static int write_create(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    int64_t id;
    if (places_create(db, &r->actor, r->write_arg, &id, err))
        return -1;
    return render_place_by_id(r, db, id, 201, err);
}

void api_places_create(Req *r)
{
    PlaceInput *in = arena_alloc(&r->arena, sizeof *in);
    if (read_place_input(r, in))
        return;
    r->write_arg = in;
    req_write(r, write_create, r);
}

static int write_update(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    if (places_update(db, &r->actor, r->params[0], r->write_arg, err))
        return -1;
    return render_place_by_id(r, db, r->params[0], 200, err);
}

void api_places_update(Req *r)
{
    PlaceInput *in = arena_alloc(&r->arena, sizeof *in);
    if (read_place_input(r, in))
        return;
    if (in->type || in->village_id) {
        resp_fail(r, 422, "invalid_field", in->type ? "type" : "village_id",
                  "a place keeps its type and village: create a new one");
        return;
    }
    r->write_arg = in;
    req_write(r, write_update, r);
}

static int write_delete(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    if (places_delete(db, &r->actor, r->params[0], err))
        return -1;
    resp_ok(r);
    return 0;
}

void api_places_delete(Req *r)
{
    req_write(r, write_delete, r);
}
