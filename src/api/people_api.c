/* people_api.c — /people: the register of returnees and close contacts,
 * their travels and contacts, duplicates, and the policy table.
 *
 * ID numbers and phones are always masked in lists; one person's full
 * values are shown with ?full=1 to a role holding pii.full, and that view
 * is written to the audit log. */
#include <string.h>

#include "../domain/audit.h"
#include "api.h"

/* ---- rendering ---------------------------------------------------------- */

static void render_classification(Jw *w, const Classification *c)
{
    jw_object(w);
    jw_kstr(w, "kind", c->kind[0] ? c->kind : NULL);
    jw_kstr(w, "measure", c->measure);
    jw_kint(w, "period_days", c->period_days);
    jw_kint(w, "slots_per_day", c->slots_per_day);
    jw_key(w, "reasons");
    jw_array(w);
    for (int i = 0; i < c->nreasons; i++)
        jw_str(w, c->reasons[i]);
    jw_array_end(w);
    jw_object_end(w);
}

static void render_person(Jw *w, const Person *p, int full)
{
    char id[24], phone[16];
    people_mask_id(p->id_number, id);
    people_mask_phone(p->phone, phone);
    jw_object(w);
    jw_kint(w, "id", p->id);
    jw_kstr(w, "name", p->name);
    jw_kstr(w, "id_number", full ? p->id_number : p->id_number ? id : NULL);
    jw_kstr(w, "id_flag", p->id_flag);
    jw_kstr(w, "sex", p->sex);
    jw_kstr(w, "birth_date", p->birth_date);
    jw_kstr(w, "phone", full ? p->phone : p->phone ? phone : NULL);
    jw_kint(w, "village_id", p->village_id);
    jw_kstr(w, "village_name", p->village_name);
    jw_key(w, "grid_id");
    if (p->grid_id)
        jw_int(w, p->grid_id);
    else
        jw_null(w);
    jw_kstr(w, "grid_name", p->grid_name);
    jw_kstr(w, "address", p->address);
    jw_kstr(w, "notes", p->notes);
    jw_kbool(w, "is_case", p->is_case);
    jw_kstr(w, "kind", p->kind);
    jw_kstr(w, "measure", p->measure);
    jw_kint(w, "period_days", p->period_days);
    jw_kstr(w, "screening", p->screening);
    jw_key(w, "merged_into");
    if (p->merged_into)
        jw_int(w, p->merged_into);
    else
        jw_null(w);
    jw_key(w, "latest_travel");
    if (p->origin) {
        jw_object(w);
        jw_kstr(w, "origin_code", p->origin_code);
        jw_kstr(w, "origin", p->origin);
        jw_kstr(w, "return_date", p->return_date);
        jw_kstr(w, "risk_level", p->risk_level);
        jw_object_end(w);
    } else {
        jw_null(w);
    }
    jw_kstr(w, "created_at", p->created_at);
    jw_kstr(w, "updated_at", p->updated_at);
    jw_object_end(w);
}

static int render_travel(void *ctx, const Travel *t)
{
    Jw *w = ctx;
    jw_object(w);
    jw_kint(w, "id", t->id);
    jw_kstr(w, "origin", t->origin);
    jw_kstr(w, "origin_code", t->origin_code);
    jw_kstr(w, "via", t->via);
    jw_kstr(w, "left_date", t->left_date);
    jw_kstr(w, "return_date", t->return_date);
    jw_kstr(w, "transport", t->transport);
    jw_kstr(w, "transport_no", t->transport_no);
    jw_kstr(w, "reason", t->reason);
    jw_kbool(w, "contact_with_case", t->contact_with_case);
    jw_kbool(w, "symptoms", t->symptoms);
    jw_kbool(w, "companions_symptoms", t->companions_symptoms);
    jw_kstr(w, "symptoms_on_arrival", t->symptoms_on_arrival);
    jw_kstr(w, "source", t->source);
    jw_kstr(w, "status", t->status);
    jw_kstr(w, "risk_level", t->risk_level);
    jw_kstr(w, "created_at", t->created_at);
    jw_object_end(w);
    return 0;
}

static int render_contact(void *ctx, const Contact *c)
{
    Jw *w = ctx;
    jw_object(w);
    jw_kint(w, "id", c->id);
    jw_kint(w, "person_id", c->person_id);
    jw_kint(w, "source_id", c->source_id);
    jw_kstr(w, "name", c->other_name);
    jw_kstr(w, "last_exposure", c->last_exposure);
    jw_kstr(w, "relationship", c->relationship);
    jw_kstr(w, "setting", c->setting);
    jw_object_end(w);
    return 0;
}

typedef struct PersonOut {
    Jw *w;
    int full;
} PersonOut;

static int render_one(void *ctx, const Person *p)
{
    PersonOut *o = ctx;
    render_person(o->w, p, o->full);
    return 0;
}

/* The whole person page: the person's fields plus travels and contacts. */
static int render_person_page(Req *r, Db *db, int64_t id, int full,
                              Err *err)
{
    Jw w;
    resp_begin(r, 200, &w);
    Buf person = BUF_INIT;
    Jw pw;
    jw_init(&pw, &person);
    PersonOut o = {&pw, full};
    int rc = people_get(db, &r->actor, id, render_one, &o, err);
    if (!rc) {
        /* the person object, reopened to add its lists */
        person.p[person.len - 1] = ',';
        buf_puts(&r->out, person.p);
        buf_puts(&r->out, "\"travels\":");
        jw_init(&w, &r->out);
        jw_array(&w);
        rc = people_travels(db, &r->actor, id, render_travel, &w, err);
        jw_array_end(&w);
    }
    for (int by = 0; by < 2 && !rc; by++) {
        buf_puts(&r->out, by ? ",\"exposed_by\":" : ",\"exposed_to\":");
        jw_init(&w, &r->out);
        jw_array(&w);
        rc = people_contacts(db, &r->actor, id, by, render_contact, &w, err);
        jw_array_end(&w);
    }
    buf_putc(&r->out, '}');
    buf_free(&person);
    return rc;
}

/* The answer of a write: {"person": …, "created": …, "classification"}. */
static int render_write(Req *r, Db *db, int status, int64_t id, int created,
                        const Classification *cls, Err *err)
{
    Jw w;
    resp_begin(r, status, &w);
    jw_object(&w);
    jw_key(&w, "person");
    PersonOut o = {&w, 0};
    if (people_get(db, &r->actor, id, render_one, &o, err))
        return -1;
    if (created >= 0)
        jw_kbool(&w, "created", created);
    jw_key(&w, "classification");
    render_classification(&w, cls);
    jw_object_end(&w);
    return 0;
}

/* ---- reading the body ------------------------------------------------- */

static int read_person(Req *r, PersonInput *in)
{
    int is_case = -1, present;
    int64_t grid = 0;
    memset(in, 0, sizeof *in);
    if (body_str(r, "name", &in->name) ||
        body_str(r, "id_number", &in->id_number) ||
        body_str(r, "phone", &in->phone) || body_str(r, "sex", &in->sex) ||
        body_int(r, "village_id", &in->village_id, &present) ||
        body_int(r, "grid_id", &grid, &present) ||
        body_str(r, "address", &in->address) ||
        body_str(r, "notes", &in->notes) ||
        body_bool(r, "is_case", &is_case) ||
        body_str(r, "screening", &in->screening))
        return -1;
    in->is_case = is_case;
    /* grid_id 0 takes the person out of any grid */
    in->grid_id = present && grid == 0 ? -1 : grid;
    return 0;
}

/* Read travel fields from obj (the body, or its "travel" member): the
 * body readers work on r->json, so it points at obj meanwhile. */
static int read_travel(Req *r, json_t *obj, TravelInput *t)
{
    json_t *body = r->json;
    r->json = obj;
    memset(t, 0, sizeof *t);
    t->contact_with_case = t->symptoms = t->companions_symptoms = -1;
    int rc = body_str(r, "origin", &t->origin) ||
             body_str(r, "via", &t->via) ||
             body_str(r, "left_date", &t->left_date) ||
             body_str(r, "return_date", &t->return_date) ||
             body_str(r, "transport", &t->transport) ||
             body_str(r, "transport_no", &t->transport_no) ||
             body_str(r, "reason", &t->reason) ||
             body_bool(r, "contact_with_case", &t->contact_with_case) ||
             body_bool(r, "symptoms", &t->symptoms) ||
             body_bool(r, "companions_symptoms", &t->companions_symptoms) ||
             body_str(r, "symptoms_on_arrival", &t->symptoms_on_arrival) ||
             body_str(r, "source", &t->source) ||
             body_str(r, "status", &t->status);
    r->json = body;
    return rc ? -1 : 0;
}

/* ---- handlers ---------------------------------------------------------- */

static int list_one(void *ctx, const Person *p)
{
    ListPage *page = ctx;
    render_person(&page->w, p, 0);
    list_item(page, p->id);
    return 0;
}

void api_people_list(Req *r)
{
    PeopleFilter f;
    if (people_filter_from_query(r, &f))
        return;
    ListPage page;
    Err err;
    list_begin(r, &page, f.limit);
    if (people_list(req_db(r), &r->actor, &f, list_one, &page, &err))
        resp_error(r, &err);
    else
        list_end(&page);
}

typedef struct PeopleWrite {
    PersonInput person;
    TravelInput travel;
    int has_travel;
    ContactInput contact;
    int64_t other_id;
} PeopleWrite;

static int write_create(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    PeopleWrite *pw = r->write_arg;
    int64_t id;
    int created;
    Classification cls;
    if (people_register(db, &r->actor, &pw->person,
                        pw->has_travel ? &pw->travel : NULL, &id, &created,
                        &cls, err) ||
        measures_follow_policy(db, &r->actor, id, &cls, err))
        return -1;
    return render_write(r, db, created ? 201 : 200, id, created, &cls, err);
}

void api_people_create(Req *r)
{
    PeopleWrite *pw = arena_alloc(&r->arena, sizeof *pw);
    if (read_person(r, &pw->person))
        return;
    json_t *travel = json_object_get(r->json, "travel");
    if (travel && !json_is_null(travel)) {
        if (!json_is_object(travel)) {
            resp_fail(r, 422, "invalid_field", "travel",
                      "travel must be an object");
            return;
        }
        if (read_travel(r, travel, &pw->travel))
            return;
        pw->has_travel = 1;
    }
    r->write_arg = pw;
    req_write(r, write_create, r);
}

static int write_full_view(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    int64_t id = r->params[0];
    if (audit_record(db, &r->actor, "view_full", "person", id, "", NULL,
                     NULL, err))
        return -1;
    return render_person_page(r, db, id, 1, err);
}

void api_people_get(Req *r)
{
    int64_t full = 0;
    Err err;
    if (req_query_int(r, "full", 0, 1, &full))
        return;
    if (full) {
        if (!actor_can(&r->actor, CAP_PII_FULL)) {
            resp_fail(r, 403, "forbidden", "full",
                      "your role may not see full ID numbers and phones");
            return;
        }
        req_write(r, write_full_view, r);
        return;
    }
    if (render_person_page(r, req_db(r), r->params[0], 0, &err))
        resp_error(r, &err);
}

static int write_update(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    PeopleWrite *pw = r->write_arg;
    Classification cls;
    if (people_update(db, &r->actor, r->params[0], &pw->person, &cls, err) ||
        measures_follow_policy(db, &r->actor, r->params[0], &cls, err))
        return -1;
    return render_write(r, db, 200, r->params[0], -1, &cls, err);
}

void api_people_update(Req *r)
{
    PeopleWrite *pw = arena_alloc(&r->arena, sizeof *pw);
    if (read_person(r, &pw->person))
        return;
    r->write_arg = pw;
    req_write(r, write_update, r);
}

static int write_travel(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    PeopleWrite *pw = r->write_arg;
    Classification cls;
    int64_t tid = r->params[1];
    int added = 0;
    int rc = r->nparams == 2
                 ? travels_update(db, &r->actor, r->params[0], tid,
                                  &pw->travel, &cls, err)
                 : travels_add(db, &r->actor, r->params[0], &pw->travel,
                               &tid, &added, &cls, err);
    if (rc || measures_follow_policy(db, &r->actor, r->params[0], &cls, err))
        return -1;
    /* 201 only when a travel was added; the same journey again is 200 */
    return render_write(r, db, added ? 201 : 200, r->params[0],
                        r->nparams == 2 ? -1 : added, &cls, err);
}

void api_travels_create(Req *r)
{
    PeopleWrite *pw = arena_alloc(&r->arena, sizeof *pw);
    if (read_travel(r, r->json, &pw->travel))
        return;
    r->write_arg = pw;
    req_write(r, write_travel, r);
}

void api_travels_update(Req *r)
{
    api_travels_create(r);
}

static int write_contact(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    PeopleWrite *pw = r->write_arg;
    Classification cls;
    int64_t cid;
    if (contacts_add(db, &r->actor, r->params[0], &pw->contact, &cid, &cls,
                     err) ||
        measures_follow_policy(db, &r->actor, r->params[0], &cls, err))
        return -1;
    return render_write(r, db, 201, r->params[0], -1, &cls, err);
}

void api_contacts_create(Req *r)
{
    PeopleWrite *pw = arena_alloc(&r->arena, sizeof *pw);
    int present;
    if (body_int(r, "source_id", &pw->contact.source_id, &present) ||
        body_str(r, "last_exposure", &pw->contact.last_exposure) ||
        body_str(r, "relationship", &pw->contact.relationship) ||
        body_str(r, "setting", &pw->contact.setting))
        return;
    r->write_arg = pw;
    req_write(r, write_contact, r);
}

static int write_contact_delete(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    if (contacts_remove(db, &r->actor, r->params[0], r->params[1], err))
        return -1;
    resp_ok(r);
    return 0;
}

void api_contacts_delete(Req *r)
{
    req_write(r, write_contact_delete, r);
}

static int render_pair(void *ctx, const Person *x, const Person *y,
                       const char *reason)
{
    Jw *w = ctx;
    jw_object(w);
    jw_key(w, "a");
    render_person(w, x, 0);
    jw_key(w, "b");
    render_person(w, y, 0);
    jw_kstr(w, "reason", reason);
    jw_object_end(w);
    return 0;
}

void api_people_duplicates(Req *r)
{
    Jw w;
    Err err;
    resp_begin(r, 200, &w);
    jw_object(&w);
    jw_key(&w, "items");
    jw_array(&w);
    if (people_duplicates(req_db(r), &r->actor, render_pair, &w, &err)) {
        resp_error(r, &err);
        return;
    }
    jw_array_end(&w);
    jw_object_end(&w);
}

static int write_merge(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    PeopleWrite *pw = r->write_arg;
    Classification cls;
    if (people_merge(db, &r->actor, r->params[0], pw->other_id, err) ||
        people_classify(db, r->params[0], &cls, err) ||
        measures_follow_policy(db, &r->actor, r->params[0], &cls, err))
        return -1;
    return render_write(r, db, 200, r->params[0], -1, &cls, err);
}

void api_people_merge(Req *r)
{
    PeopleWrite *pw = arena_alloc(&r->arena, sizeof *pw);
    int present;
    if (body_int(r, "from_id", &pw->other_id, &present))
        return;
    if (!present) {
        resp_fail(r, 422, "missing_field", "from_id",
                  "which record to merge is required");
        return;
    }
    r->write_arg = pw;
    req_write(r, write_merge, r);
}

/* ---- policies ------------------------------------------------------------ */

static int render_policy(void *ctx, const Policy *p)
{
    Jw *w = ctx;
    jw_object(w);
    jw_kstr(w, "kind", p->kind);
    jw_kstr(w, "measure", p->measure);
    jw_kint(w, "period_days", p->period_days);
    jw_kint(w, "slots_per_day", p->slots_per_day);
    jw_object_end(w);
    return 0;
}

static int render_policies(Req *r, Db *db, Err *err)
{
    Jw w;
    resp_begin(r, 200, &w);
    jw_object(&w);
    jw_key(&w, "items");
    jw_array(&w);
    if (policies_list(db, render_policy, &w, err))
        return -1;
    jw_array_end(&w);
    jw_object_end(&w);
    return 0;
}

void api_policies_list(Req *r)
{
    Err err;
    if (render_policies(r, req_db(r), &err))
        resp_error(r, &err);
}

typedef struct PolicyWrite {
    const char *kind, *measure;
    int64_t days, slots;
} PolicyWrite;

static int write_policy(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    PolicyWrite *pw = r->write_arg;
    if (policies_update(db, &r->actor, pw->kind, pw->measure, (int)pw->days,
                        (int)pw->slots, err))
        return -1;
    return render_policies(r, db, err);
}

void api_policies_update(Req *r)
{
    PolicyWrite *pw = arena_alloc(&r->arena, sizeof *pw);
    int present;
    pw->days = pw->slots = -1;
    if (body_str(r, "measure", &pw->measure) ||
        body_int(r, "period_days", &pw->days, &present) ||
        body_int(r, "slots_per_day", &pw->slots, NULL))
        return;
    if (pw->slots != -1 && pw->slots != 1 && pw->slots != 2) {
        resp_fail(r, 422, "invalid_field", "slots_per_day",
                  "slots_per_day must be 1 or 2");
        return;
    }
    if (present && (pw->days < 0 || pw->days > 60)) {
        resp_fail(r, 422, "invalid_field", "period_days",
                  "period_days must be 0 to 60");
        return;
    }
    /* the kind is the last path segment: /policies/{kind} */
    const char *slash = strrchr(r->path, '/');
    pw->kind = slash ? slash + 1 : "";
    r->write_arg = pw;
    req_write(r, write_policy, r);
}
