/* observation_api.c — checks, today's round, alerts and the board. */
#include <string.h>

#include "../domain/observation.h"
#include "api.h"

void render_check(Jw *w, const Check *c)
{
    jw_object(w);
    jw_kint(w, "id", c->id);
    jw_kint(w, "measure_id", c->measure_id);
    jw_kint(w, "person_id", c->person_id);
    jw_kstr(w, "day", c->day);
    jw_kint(w, "slot", c->slot);
    jw_kstr(w, "at", c->at);
    jw_key(w, "temperature");
    jw_double(w, c->temperature, 1);
    jw_key(w, "symptoms");
    jw_array(w);
    for (const char *s = c->symptoms; s && *s;) {
        size_t n = strcspn(s, ",");
        jw_strn(w, s, n);
        s += n + (s[n] == ',');
    }
    jw_array_end(w);
    jw_kstr(w, "method", c->method);
    jw_kstr(w, "checker", c->checker);
    jw_kstr(w, "note", c->note);
    jw_object_end(w);
}

static void render_alert(Jw *w, const Alert *al)
{
    jw_object(w);
    jw_kint(w, "id", al->id);
    jw_kstr(w, "kind", al->kind);
    jw_kstr(w, "source", al->source);
    jw_kint(w, "village_id", al->village_id);
    jw_key(w, "place_id");
    if (al->place_id)
        jw_int(w, al->place_id);
    else
        jw_null(w);
    jw_key(w, "person_id");
    if (al->person_id)
        jw_int(w, al->person_id);
    else
        jw_null(w);
    jw_kstr(w, "person_name", al->person_name);
    jw_kstr(w, "village_name", al->village_name);
    jw_kint(w, "measure_id", al->measure_id);
    jw_kstr(w, "day", al->day);
    jw_kint(w, "slot", al->slot);
    jw_key(w, "temperature");
    if (al->temperature > 0)
        jw_double(w, al->temperature, 1);
    else
        jw_null(w);
    jw_kstr(w, "symptoms", al->symptoms);
    jw_kstr(w, "opened_at", al->opened_at);
    jw_kstr(w, "reported_at", al->reported_at);
    jw_kstr(w, "reported_by", al->reported_by);
    jw_kstr(w, "referred_at", al->referred_at);
    jw_kstr(w, "referred_to", al->referred_to);
    jw_kstr(w, "outcome", al->outcome);
    jw_kstr(w, "outcome_at", al->outcome_at);
    jw_kbool(w, "closed", al->closed);
    jw_kbool(w, "overdue", al->overdue);
    jw_object_end(w);
}

static int one_alert(void *ctx, const Alert *al)
{
    render_alert(ctx, al);
    return 1;
}

/* ---- checks ---------------------------------------------------------- */

typedef struct CheckWrite {
    CheckInput in;
    int64_t measure_id;
} CheckWrite;

static int render_one_check(void *ctx, const Check *c)
{
    render_check(ctx, c);
    return 1;
}

static int write_check(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    CheckWrite *cw = r->write_arg;
    int64_t check_id, alert_id;
    if (checks_record(db, &r->actor, cw->measure_id, &cw->in, &check_id,
                      &alert_id, err))
        return -1;
    Jw w;
    resp_begin(r, 201, &w);
    jw_object(&w);
    jw_key(&w, "check");
    /* {"check": …, "alert": … | null} for the check just stored */
    if (checks_of_measure(db, &r->actor, cw->measure_id, check_id,
                          render_one_check, &w, err))
        return -1;
    jw_key(&w, "alert");
    if (alert_id) {
        AlertFilter f = {.id = alert_id, .limit = 1};
        if (alerts_list(db, &r->actor, &f, one_alert, &w, err))
            return -1;
    } else {
        jw_null(&w);
    }
    jw_object_end(&w);
    return 0;
}

void api_checks_create(Req *r)
{
    CheckWrite *cw = arena_alloc(&r->arena, sizeof *cw);
    CheckInput *in = &cw->in;
    cw->measure_id = r->params[0];
    int64_t slot = 0;
    int present;
    if (body_str(r, "day", &in->day) || body_int(r, "slot", &slot, &present) ||
        body_str(r, "method", &in->method) || body_str(r, "note", &in->note))
        return;
    in->slot = (int)(slot >= 0 && slot <= 2 ? slot : -1);
    json_t *t = json_object_get(r->json, "temperature");
    if (t && !json_is_null(t)) {
        if (!json_is_number(t)) {
            resp_fail(r, 422, "invalid_temperature", "temperature",
                      "the temperature must be a number in °C");
            return;
        }
        in->temperature = json_number_value(t);
        in->has_temperature = 1;
    }
    json_t *sy = json_object_get(r->json, "symptoms");
    if (sy && !json_is_null(sy)) {
        size_t i;
        json_t *e;
        if (!json_is_array(sy) || json_array_size(sy) > 8) {
            resp_fail(r, 422, "invalid_field", "symptoms",
                      "symptoms must be a list of symptom codes");
            return;
        }
        json_array_foreach(sy, i, e)
        {
            if (!json_is_string(e)) {
                resp_fail(r, 422, "invalid_field", "symptoms",
                          "symptoms must be a list of symptom codes");
                return;
            }
            in->symptoms[in->nsymptoms++] = json_string_value(e);
        }
    }
    r->write_arg = cw;
    req_write(r, write_check, r);
}

/* ---- the round ---------------------------------------------------------- */

static int round_item(void *ctx, const RoundItem *it)
{
    static const char *const states[] = {"due", "done", "missed", "later"};
    Jw *w = ctx;
    jw_object(w);
    jw_kint(w, "person_id", it->person_id);
    jw_kint(w, "measure_id", it->measure_id);
    jw_kstr(w, "name", it->name);
    jw_kstr(w, "address", it->address);
    jw_kstr(w, "village_name", it->village_name);
    jw_kstr(w, "grid_name", it->grid_name);
    jw_kstr(w, "phone", it->phone);
    jw_kstr(w, "type", it->type);
    jw_kint(w, "day_number", it->day_number);
    jw_kint(w, "period_days", it->period_days);
    jw_key(w, "slots");
    jw_array(w);
    for (int s = 0; s < it->slots_per_day; s++) {
        jw_object(w);
        jw_kint(w, "slot", s + 1);
        jw_kstr(w, "state", states[it->slot_state[s]]);
        jw_key(w, "temperature");
        if (it->slot_state[s] == 1)
            jw_double(w, it->slot_temp[s], 1);
        else
            jw_null(w);
        jw_object_end(w);
    }
    jw_array_end(w);
    jw_kbool(w, "open_fever", it->open_fever);
    jw_object_end(w);
    return 0;
}

void api_round(Req *r)
{
    const char *date = req_query(r, "date");
    int64_t account = r->actor.id;
    if (req_query_int(r, "account_id", 1, INT64_MAX, &account))
        return;
    if (account != r->actor.id && !actor_can(&r->actor, CAP_OBSERVATION_WRITE)) {
        resp_fail(r, 403, "forbidden", "account_id",
                  "only a cadre may look at another's round");
        return;
    }
    char today[11];
    if (date && *date) {
        char probe[11];
        if (day_add(date, 0, probe) || strlen(date) != 10) {
            resp_fail(r, 400, "invalid_query", "date",
                      "date must be YYYY-MM-DD");
            return;
        }
    } else {
        day_today(today);
        date = today;
    }
    Jw w;
    Err err;
    resp_begin(r, 200, &w);
    jw_object(&w);
    jw_kstr(&w, "date", date);
    jw_key(&w, "items");
    jw_array(&w);
    if (round_list(req_db(r), &r->actor, account, date, round_item, &w,
                   &err)) {
        resp_error(r, &err);
        return;
    }
    jw_array_end(&w);
    jw_object_end(&w);
}

/* ---- alerts ----------------------------------------------------------- */

static int list_alert(void *ctx, const Alert *al)
{
    ListPage *page = ctx;
    render_alert(&page->w, al);
    list_item(page, al->id);
    return 0;
}

void api_alerts_list(Req *r)
{
    AlertFilter f = {0};
    int64_t open = 0;
    if (req_paging(r, &f.limit, &f.after_id) ||
        req_query_int(r, "open", 0, 1, &open) ||
        req_query_int(r, "person_id", 1, INT64_MAX, &f.person_id))
        return;
    f.open_only = (int)open;
    f.kind = req_query(r, "kind");
    if (f.kind && !*f.kind)
        f.kind = NULL;
    ListPage page;
    Err err;
    list_begin(r, &page, f.limit);
    if (alerts_list(req_db(r), &r->actor, &f, list_alert, &page, &err))
        resp_error(r, &err);
    else
        list_end(&page);
}

typedef struct StepWrite {
    const char *step, *to, *outcome;
} StepWrite;

static int write_step(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    StepWrite *sw = r->write_arg;
    int64_t id = r->params[0];
    if (alerts_advance(db, &r->actor, id, sw->step, sw->to, sw->outcome,
                       err))
        return -1;
    Jw w;
    resp_begin(r, 200, &w);
    AlertFilter f = {.id = id, .limit = 1};
    return alerts_list(db, &r->actor, &f, one_alert, &w, err);
}

void api_alerts_step(Req *r)
{
    StepWrite *sw = arena_alloc(&r->arena, sizeof *sw);
    if (body_str(r, "step", &sw->step) || body_str(r, "to", &sw->to) ||
        body_str(r, "outcome", &sw->outcome))
        return;
    r->write_arg = sw;
    req_write(r, write_step, r);
}

/* ---- the board -------------------------------------------------------- */

static void render_board_row(Jw *w, const BoardRow *row)
{
    jw_object(w);
    if (row->village_id) {
        jw_kint(w, "village_id", row->village_id);
        jw_kstr(w, "village_name", row->village_name);
    }
    jw_kint(w, "under_observation", row->under_observation);
    jw_kint(w, "due_today", row->due_today);
    jw_kint(w, "done", row->done);
    jw_kint(w, "missed", row->missed);
    jw_kint(w, "fever_open", row->fever_open);
    jw_kint(w, "release_due", row->release_due);
    jw_object_end(w);
}

typedef struct BoardOut {
    Jw *w;
    BoardRow totals;
} BoardOut;

static int board_row_out(void *ctx, const BoardRow *row)
{
    BoardOut *o = ctx;
    render_board_row(o->w, row);
    o->totals.under_observation += row->under_observation;
    o->totals.due_today += row->due_today;
    o->totals.done += row->done;
    o->totals.missed += row->missed;
    o->totals.fever_open += row->fever_open;
    o->totals.release_due += row->release_due;
    return 0;
}

void api_board(Req *r)
{
    const char *date = req_query(r, "date");
    char today[11], probe[11];
    if (date && *date && (strlen(date) != 10 || day_add(date, 0, probe))) {
        resp_fail(r, 400, "invalid_query", "date", "date must be YYYY-MM-DD");
        return;
    }
    if (!date || !*date) {
        day_today(today);
        date = today;
    }
    Jw w;
    Err err;
    resp_begin(r, 200, &w);
    jw_object(&w);
    jw_kstr(&w, "date", date);
    jw_key(&w, "villages");
    jw_array(&w);
    BoardOut o = {&w, {0}};
    if (board_rows(req_db(r), &r->actor, date, board_row_out, &o, &err)) {
        resp_error(r, &err);
        return;
    }
    jw_array_end(&w);
    jw_key(&w, "totals");
    render_board_row(&w, &o.totals);
    jw_object_end(&w);
}
