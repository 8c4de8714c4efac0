/* checkpoints_api.c — the checkpoint routes (docs/api-checkpoints.md):
 * passes and their search, what is known of a plate or an ID number, the
 * figures of a day, the duty roster, the QR poster's link and SVG code,
 * the self-registration queue, and the public form behind the poster.
 * Rules live in src/domain/checkpoints*.c; this file only translates. */
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../domain/checkpoints.h"
#include "../domain/observation.h"
#include "api.h"

/* ---- rendering ---------------------------------------------------------- */

static void kid(Jw *w, const char *k, int64_t v)
{
    if (v)
        jw_kint(w, k, v);
    else
        jw_knull(w, k);
}

static void render_pass_person(Jw *w, const PassPerson *p)
{
    jw_object(w);
    jw_kint(w, "id", p->id);
    jw_kstr(w, "name", p->name);
    jw_kstr(w, "id_number", p->id_number);
    jw_kstr(w, "phone", p->phone);
    jw_kstr(w, "from", p->from);
    kid(w, "to_village_id", p->to_village_id);
    jw_kstr(w, "to_village_name", p->to_village_name);
    jw_kstr(w, "address", p->address);
    jw_key(w, "temperature");
    if (p->temperature > 0)
        jw_double(w, p->temperature, 1);
    else
        jw_null(w);
    jw_kbool(w, "fever", p->fever);
    jw_kstr(w, "reason", p->reason);
    jw_kstr(w, "outcome", p->outcome);
    kid(w, "person_id", p->person_id);
    kid(w, "alert_id", p->alert_id);
    jw_object_end(w);
}

static void render_pass(Jw *w, const Pass *p)
{
    jw_object(w);
    jw_kint(w, "id", p->id);
    jw_kstr(w, "client_id", p->client_id);
    jw_kint(w, "point_id", p->point_id);
    jw_kstr(w, "point_name", p->point_name);
    jw_kstr(w, "village_name", p->village_name);
    jw_kstr(w, "at", p->at);
    jw_kstr(w, "direction", p->direction);
    jw_kstr(w, "plate", p->plate);
    jw_kstr(w, "vehicle", p->vehicle);
    jw_kstr(w, "checker", p->checker);
    kid(w, "shift_id", p->shift_id);
    kid(w, "checkin_id", p->checkin_id);
    jw_key(w, "persons");
    jw_array(w);
    for (int i = 0; i < p->npersons; i++)
        render_pass_person(w, &p->persons[i]);
    jw_array_end(w);
    jw_object_end(w);
}

/* ---- passes ---------------------------------------------------------- */

/* A string member of obj; wrong type answers 422 naming path.key. */
static int jstr(Req *r, json_t *obj, const char *path, const char *key,
                const char **out)
{
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (!v || json_is_null(v))
        return 0;
    if (json_is_string(v)) {
        *out = json_string_value(v);
        return 0;
    }
    char f[64], msg[96];
    snprintf(f, sizeof f, "%s%s", path, key);
    snprintf(msg, sizeof msg, "%s must be a string", f);
    resp_fail(r, 422, "invalid_field", f, msg);
    return -1;
}

static int jint(Req *r, json_t *obj, const char *path, const char *key,
                int64_t *out)
{
    json_t *v = json_object_get(obj, key);
    *out = 0;
    if (!v || json_is_null(v))
        return 0;
    if (json_is_integer(v) && json_integer_value(v) >= 0) {
        *out = json_integer_value(v);
        return 0;
    }
    char f[64], msg[96];
    snprintf(f, sizeof f, "%s%s", path, key);
    snprintf(msg, sizeof msg, "%s must be an id", f);
    resp_fail(r, 422, "invalid_field", f, msg);
    return -1;
}

static int read_pass(Req *r, PassInput *in)
{
    json_t *b = r->json;
    if (jstr(r, b, "", "client_id", &in->client_id) ||
        jint(r, b, "", "point_id", &in->point_id) ||
        jstr(r, b, "", "at", &in->at) ||
        jstr(r, b, "", "direction", &in->direction) ||
        jstr(r, b, "", "plate", &in->plate) ||
        jstr(r, b, "", "vehicle", &in->vehicle) ||
        jint(r, b, "", "checkin_id", &in->checkin_id))
        return -1;
    json_t *ps = json_object_get(b, "persons");
    if (ps && !json_is_null(ps) &&
        (!json_is_array(ps) || json_array_size(ps) > PASS_MAX_PERSONS)) {
        resp_fail(r, 422, "invalid_field", "persons",
                  "persons must be a list of at most 60 people");
        return -1;
    }
    size_t i;
    json_t *o;
    json_array_foreach(ps, i, o)
    {
        char path[48];
        snprintf(path, sizeof path, "persons[%zu].", i);
        if (!json_is_object(o)) {
            path[strlen(path) - 1] = 0;
            resp_fail(r, 422, "invalid_field", path,
                      "each person must be an object");
            return -1;
        }
        PassPersonInput *p = &in->persons[in->npersons++];
        if (jstr(r, o, path, "name", &p->name) ||
            jstr(r, o, path, "id_number", &p->id_number) ||
            jstr(r, o, path, "phone", &p->phone) ||
            jstr(r, o, path, "from", &p->from) ||
            jint(r, o, path, "to_village_id", &p->to_village_id) ||
            jstr(r, o, path, "address", &p->address) ||
            jstr(r, o, path, "reason", &p->reason) ||
            jstr(r, o, path, "outcome", &p->outcome) ||
            jint(r, o, path, "ref", &p->ref))
            return -1;
        json_t *t = json_object_get(o, "temperature");
        if (t && !json_is_null(t)) {
            if (!json_is_number(t)) {
                char f[64];
                snprintf(f, sizeof f, "%stemperature", path);
                resp_fail(r, 422, "invalid_temperature", f,
                          "temperature must be a number");
                return -1;
            }
            p->temperature = json_number_value(t);
            p->has_temperature = 1;
        }
    }
    return 0;
}

typedef struct PassOut {
    Jw *w;
    int found;
} PassOut;

static int pass_one(void *ctx, const Pass *p)
{
    PassOut *o = ctx;
    render_pass(o->w, p);
    o->found = 1;
    return 0;
}

static int write_pass(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    PassInput *in = r->write_arg;
    int64_t id;
    int replayed;
    if (passes_record(db, &r->actor, in, &id, &replayed, err))
        return -1;
    Jw w;
    resp_begin(r, replayed ? 200 : 201, &w);
    jw_object(&w);
    jw_key(&w, "pass");
    PassOut o = {&w, 0};
    PassFilter f = {.id = id, .limit = 1};
    Actor town = r->actor;
    town.scope_all = 1; /* the checker's own pass, by id */
    if (passes_list(db, &town, &f, pass_one, &o, err))
        return -1;
    if (!o.found)
        jw_null(&w);
    jw_kbool(&w, "replayed", replayed);
    jw_object_end(&w);
    return 0;
}

void api_passes_create(Req *r)
{
    PassInput *in = arena_alloc(&r->arena, sizeof *in);
    if (read_pass(r, in))
        return;
    r->write_arg = in;
    req_write(r, write_pass, r);
}

static int list_pass(void *ctx, const Pass *p)
{
    ListPage *page = ctx;
    render_pass(&page->w, p);
    list_item(page, p->id);
    return 0;
}

void api_passes_list(Req *r)
{
    PassFilter f = {0};
    int limit;
    int64_t cursor;
    if (req_paging(r, &limit, &cursor) ||
        req_query_int(r, "point_id", 0, INT64_MAX, &f.point_id))
        return;
    f.limit = limit;
    f.before_id = cursor;
    f.day = req_query(r, "day");
    f.plate = req_query(r, "plate");
    f.id_number = req_query(r, "id_number");
    f.outcome = req_query(r, "outcome");
    /* an empty search box is no filter */
    if (f.plate && !*f.plate)
        f.plate = NULL;
    if (f.id_number && !*f.id_number)
        f.id_number = NULL;
    if (f.day && !*f.day)
        f.day = NULL;
    if (f.outcome && !*f.outcome)
        f.outcome = NULL;
    ListPage page;
    Err err;
    list_begin(r, &page, limit);
    if (passes_list(req_db(r), &r->actor, &f, list_pass, &page, &err))
        resp_error(r, &err);
    else
        list_end(&page);
}

static int render_known(void *ctx, const Known *k)
{
    Jw *w = ctx;
    jw_object(w);
    jw_kbool(w, "found", k->found);
    jw_kstr(w, "vehicle", k->vehicle);
    jw_key(w, "persons");
    jw_array(w);
    for (int i = 0; i < k->npersons; i++)
        render_pass_person(w, &k->persons[i]);
    jw_array_end(w);
    jw_object_end(w);
    return 0;
}

void api_passes_known(Req *r)
{
    const char *plate = req_query(r, "plate");
    const char *id = req_query(r, "id_number");
    if ((!plate || !*plate) && (!id || !*id)) {
        resp_fail(r, 400, "invalid_query", "plate",
                  "give plate or id_number");
        return;
    }
    Jw w;
    Err err;
    resp_begin(r, 200, &w);
    if (passes_known(req_db(r), &r->actor, plate && *plate ? plate : NULL,
                     id && *id ? id : NULL, actor_can(&r->actor,
                                                      CAP_PII_FULL),
                     render_known, &w, &err))
        resp_error(r, &err);
}

static int render_stats(void *ctx, const PointStats *s)
{
    Jw *w = ctx;
    jw_object(w);
    jw_kint(w, "point_id", s->point_id);
    jw_kstr(w, "point_name", s->point_name);
    jw_kstr(w, "village_name", s->village_name);
    jw_kint(w, "passes", s->passes);
    jw_kint(w, "people", s->people);
    jw_kint(w, "turned_back", s->turned_back);
    jw_kint(w, "new_returnees", s->new_returnees);
    jw_kint(w, "fevers", s->fevers);
    jw_kint(w, "fever_clinic", s->fever_clinic);
    jw_key(w, "hours");
    jw_array(w);
    for (int h = 0; h < 24; h++)
        jw_int(w, s->hours[h]);
    jw_array_end(w);
    jw_object_end(w);
    return 0;
}

void api_passes_stats(Req *r)
{
    char today[11];
    day_today(today);
    const char *day = req_query(r, "day");
    if (!day || !*day)
        day = today;
    Jw w;
    Err err;
    resp_begin(r, 200, &w);
    jw_object(&w);
    jw_kstr(&w, "day", day);
    jw_key(&w, "points");
    jw_array(&w);
    if (passes_stats(req_db(r), &r->actor, day, render_stats, &w, &err)) {
        resp_error(r, &err);
        return;
    }
    jw_array_end(&w);
    jw_object_end(&w);
}

/* ---- roster -------------------------------------------------------------- */

static void render_shift(Jw *w, const Shift *s)
{
    jw_object(w);
    jw_kint(w, "id", s->id);
    jw_kint(w, "point_id", s->point_id);
    jw_kstr(w, "point_name", s->point_name);
    jw_kstr(w, "starts_at", s->starts_at);
    jw_kstr(w, "ends_at", s->ends_at);
    jw_kstr(w, "staff", s->staff);
    kid(w, "account_id", s->account_id);
    jw_object_end(w);
}

static int roster_point(void *ctx, const RosterPoint *p)
{
    Jw *w = ctx;
    jw_object(w);
    jw_kint(w, "point_id", p->point_id);
    jw_kstr(w, "point_name", p->point_name);
    jw_kstr(w, "village_name", p->village_name);
    jw_kint(w, "on_duty", p->on_duty);
    jw_key(w, "shifts");
    jw_array(w);
    for (int i = 0; i < p->nshifts; i++)
        render_shift(w, &p->shifts[i]);
    jw_array_end(w);
    jw_key(w, "gaps");
    jw_array(w);
    for (int i = 0; i < p->ngaps; i++) {
        jw_object(w);
        jw_kstr(w, "from", p->gaps[i].from);
        jw_kstr(w, "to", p->gaps[i].to);
        jw_object_end(w);
    }
    jw_array_end(w);
    jw_object_end(w);
    return 0;
}

void api_roster(Req *r)
{
    char today[11];
    day_today(today);
    const char *day = req_query(r, "day");
    int64_t point = 0;
    if (req_query_int(r, "point_id", 0, INT64_MAX, &point))
        return;
    if (!day || !*day)
        day = today;
    Jw w;
    Err err;
    resp_begin(r, 200, &w);
    jw_object(&w);
    jw_kstr(&w, "day", day);
    jw_key(&w, "points");
    jw_array(&w);
    if (roster_day(req_db(r), &r->actor, day, point, roster_point, &w,
                   &err)) {
        resp_error(r, &err);
        return;
    }
    jw_array_end(&w);
    jw_object_end(&w);
}

static int shift_one(void *ctx, const Shift *s)
{
    render_shift(ctx, s);
    return 0;
}

static int write_shift(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    ShiftInput *in = r->write_arg;
    int64_t id;
    if (shifts_create(db, &r->actor, in, &id, err))
        return -1;
    Jw w;
    resp_begin(r, 201, &w);
    return shifts_get(db, &r->actor, id, shift_one, &w, err);
}

void api_shifts_create(Req *r)
{
    ShiftInput *in = arena_alloc(&r->arena, sizeof *in);
    json_t *b = r->json;
    if (jint(r, b, "", "point_id", &in->point_id) ||
        jstr(r, b, "", "starts_at", &in->starts_at) ||
        jstr(r, b, "", "ends_at", &in->ends_at) ||
        jstr(r, b, "", "staff", &in->staff) ||
        jint(r, b, "", "account_id", &in->account_id))
        return;
    r->write_arg = in;
    req_write(r, write_shift, r);
}

static int write_shift_delete(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    if (shifts_delete(db, &r->actor, r->params[0], err))
        return -1;
    resp_ok(r);
    return 0;
}

void api_shifts_delete(Req *r)
{
    req_write(r, write_shift_delete, r);
}

/* ---- the QR poster ------------------------------------------------------ */

/* The public form's address as the poster's phone will open it: the host
 * the checker's browser used (only host-name characters are taken). */
static const char *form_url(Req *r, const char *token)
{
    const char *host = req_header(r, "Host");
    char h[128] = "localhost";
    if (host && strlen(host) < sizeof h &&
        strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                     "0123456789.-:[]") == strlen(host))
        snprintf(h, sizeof h, "%s", host);
    const char *proto = req_header(r, "X-Forwarded-Proto");
    return arena_printf(&r->arena, "%s://%s/checkin.html?t=%s",
                        proto && !strcmp(proto, "https") ? "https" : "http",
                        h, token);
}

/* qr_svg draws text as a QR code (level M, 4 modules of margin) in SVG
 * into b.  Returns 0, or -1 when libqrencode cannot encode it. */
static int qr_svg(const char *text, Buf *b)
{
    QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q)
        return -1;
    int n = q->width, size = n + 8;
    buf_printf(b,
               "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d"
               " %d\" shape-rendering=\"crispEdges\">"
               "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
               "<path fill=\"#000\" d=\"",
               size, size, size, size);
    for (int y = 0; y < n; y++)
        for (int x = 0; x < n; x++)
            if (q->data[y * n + x] & 1)
                buf_printf(b, "M%d %dh1v1h-1z", x + 4, y + 4);
    buf_puts(b, "\"/></svg>\n");
    QRcode_free(q);
    return 0;
}

static int write_qr(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    char token[33];
    if (checkin_link(db, &r->actor, r->params[0], token, err))
        return -1;
    const char *url = form_url(r, token);
    if (strstr(r->path, "qr.svg")) {
        Buf svg = BUF_INIT;
        if (qr_svg(url, &svg)) {
            buf_free(&svg);
            return err_set(err, 500, "internal", NULL, "QR encoding failed");
        }
        resp_stream_buf(r, "image/svg+xml", NULL, &svg);
        return 0;
    }
    Jw w;
    resp_begin(r, 200, &w);
    jw_object(&w);
    jw_kint(&w, "point_id", r->params[0]);
    jw_kstr(&w, "token", token);
    jw_kstr(&w, "url", url);
    jw_object_end(&w);
    return 0;
}

void api_point_qr(Req *r)
{
    req_write(r, write_qr, r);
}

/* ---- the self-registration queue --------------------------------------- */

static int render_checkin(void *ctx, const Checkin *c)
{
    ListPage *page = ctx;
    Jw *w = &page->w;
    jw_object(w);
    jw_kint(w, "id", c->id);
    jw_kint(w, "point_id", c->point_id);
    jw_kstr(w, "code", c->code);
    jw_kstr(w, "at", c->at);
    jw_kstr(w, "direction", c->direction);
    jw_kstr(w, "plate", c->plate);
    jw_kstr(w, "vehicle", c->vehicle);
    jw_kstr(w, "name", c->name);
    jw_kstr(w, "id_number", c->id_number);
    jw_kstr(w, "phone", c->phone);
    jw_kstr(w, "from", c->from);
    kid(w, "to_village_id", c->to_village_id);
    jw_kstr(w, "to_village_name", c->to_village_name);
    jw_kstr(w, "address", c->address);
    jw_kstr(w, "reason", c->reason);
    jw_kstr(w, "status", c->status);
    jw_object_end(w);
    list_item(page, c->id);
    return 0;
}

void api_point_checkins(Req *r)
{
    ListPage page;
    Err err;
    list_begin(r, &page, 1000);
    if (checkins_waiting(req_db(r), &r->actor, r->params[0], 0,
                         render_checkin, &page, &err))
        resp_error(r, &err);
    else
        list_end(&page);
}

static int write_reject(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    if (checkins_reject(db, &r->actor, r->params[0], err))
        return -1;
    resp_ok(r);
    return 0;
}

void api_checkin_reject(Req *r)
{
    req_write(r, write_reject, r);
}

/* ---- the public form ---------------------------------------------------- */

/* Every active village of the town as [{id, name}]: where a traveller
 * may be going, whatever the checker's own scope. */
static int village_one(void *ctx, int64_t id, const char *name)
{
    Jw *w = ctx;
    jw_object(w);
    jw_kint(w, "id", id);
    jw_kstr(w, "name", name);
    jw_object_end(w);
    return 0;
}

static int render_villages(Jw *w, Db *db, Err *err)
{
    jw_array(w);
    if (checkpoints_villages(db, village_one, w, err))
        return -1;
    jw_array_end(w);
    return 0;
}

/* The token is the last path segment: /checkin/{key}. */
static const char *path_token(Req *r)
{
    const char *slash = strrchr(r->path, '/');
    return slash ? slash + 1 : "";
}

void api_checkin_form(Req *r)
{
    int64_t point;
    Buf name = BUF_INIT;
    Err err;
    Db *db = req_db(r);
    if (checkin_point(db, path_token(r), &point, &name, &err)) {
        buf_free(&name);
        resp_error(r, &err);
        return;
    }
    Jw w;
    resp_begin(r, 200, &w);
    jw_object(&w);
    jw_kstr(&w, "point_name", name.p);
    buf_free(&name);
    /* the villages to choose a destination from: geography, no people */
    jw_key(&w, "villages");
    if (render_villages(&w, db, &err)) {
        resp_error(r, &err);
        return;
    }
    jw_object_end(&w);
}

void api_passes_villages(Req *r)
{
    Jw w;
    Err err;
    resp_begin(r, 200, &w);
    jw_object(&w);
    jw_key(&w, "items");
    if (render_villages(&w, req_db(r), &err)) {
        resp_error(r, &err);
        return;
    }
    jw_object_end(&w);
}

typedef struct CheckinWrite {
    CheckinInput in;
    char client[64];
    const char *token;
} CheckinWrite;

static int write_checkin(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    CheckinWrite *cw = r->write_arg;
    int limited;
    /* the count is kept even when the request is refused, so the
     * refusal itself answers 200 to the writer (return 0) */
    if (checkin_count_hit(db, cw->client, &limited, err))
        return -1;
    if (limited) {
        resp_fail(r, 429, "rate_limited", NULL,
                  "too many registrations from this address; wait a few"
                  " minutes");
        return 0;
    }
    char code[7];
    if (checkin_submit(db, cw->token, &cw->in, code, err)) {
        if (err->status >= 500)
            return -1;
        resp_error(r, err); /* refused before anything was stored */
        return 0;
    }
    Jw w;
    resp_begin(r, 201, &w);
    jw_object(&w);
    jw_kstr(&w, "code", code);
    jw_object_end(&w);
    return 0;
}

void api_checkin_submit(Req *r)
{
    if (r->body.len > CHECKIN_BODY_LIMIT) {
        resp_fail(r, 413, "body_too_large", NULL,
                  "the form is larger than 4 KiB");
        return;
    }
    CheckinWrite *cw = arena_alloc(&r->arena, sizeof *cw);
    json_t *b = r->json;
    CheckinInput *in = &cw->in;
    if (jstr(r, b, "", "direction", &in->direction) ||
        jstr(r, b, "", "plate", &in->plate) ||
        jstr(r, b, "", "vehicle", &in->vehicle) ||
        jstr(r, b, "", "name", &in->name) ||
        jstr(r, b, "", "id_number", &in->id_number) ||
        jstr(r, b, "", "phone", &in->phone) ||
        jstr(r, b, "", "from", &in->from) ||
        jint(r, b, "", "to_village_id", &in->to_village_id) ||
        jstr(r, b, "", "address", &in->address) ||
        jstr(r, b, "", "reason", &in->reason))
        return;
    req_client(r, cw->client, sizeof cw->client);
    cw->token = path_token(r);
    r->write_arg = cw;
    req_write(r, write_checkin, r);
}
