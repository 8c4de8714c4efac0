/* render.c — JSON shapes shared by several handlers (docs/api.md). */
#include "api.h"

#include "../domain/town.h"

void render_place(Jw *w, const Place *p)
{
    jw_object(w);
    jw_kint(w, "id", p->id);
    jw_kstr(w, "type", p->type);
    jw_kstr(w, "name", p->name);
    jw_key(w, "village_id");
    if (p->village_id)
        jw_int(w, p->village_id);
    else
        jw_null(w);
    jw_kstr(w, "village_name", p->village_name);
    jw_kstr(w, "venue_kind", p->venue_kind);
    jw_kbool(w, "active", p->active);
    jw_kstr(w, "created_at", p->created_at);
    jw_object_end(w);
}

static void render_villages(Jw *w, int n, const int64_t *ids)
{
    jw_key(w, "villages");
    jw_array(w);
    for (int i = 0; i < n; i++)
        jw_int(w, ids[i]);
    jw_array_end(w);
}

void render_account(Jw *w, const Account *a)
{
    jw_object(w);
    jw_kint(w, "id", a->id);
    jw_kstr(w, "username", a->username);
    jw_kstr(w, "display_name", a->display_name);
    jw_kstr(w, "role", a->role);
    render_villages(w, a->nvillages, a->villages);
    jw_kbool(w, "scope_all", a->scope_all);
    jw_kbool(w, "disabled", a->disabled);
    jw_kstr(w, "created_at", a->created_at);
    jw_kstr(w, "last_login_at", a->last_login_at[0] ? a->last_login_at
                                                     : NULL);
    jw_object_end(w);
}

int render_session(Req *r, Db *db, int status, Err *err)
{
    Town town;
    if (town_get(db, &town, err))
        return -1;
    const Actor *a = &r->actor;
    Jw w;
    resp_begin(r, status, &w);
    jw_object(&w);
    jw_key(&w, "user");
    jw_object(&w);
    jw_kint(&w, "id", a->id);
    jw_kstr(&w, "username", a->username);
    jw_kstr(&w, "display_name", a->display_name);
    jw_kstr(&w, "role", a->role ? a->role->code : NULL);
    render_villages(&w, a->nvillages, a->villages);
    jw_kbool(&w, "scope_all", a->scope_all);
    jw_object_end(&w);
    jw_key(&w, "capabilities");
    jw_array(&w);
    for (int c = CAP_NONE + 1; c < CAP_COUNT; c++)
        if (actor_can(a, (Cap)c))
            jw_str(&w, roles_cap_name((Cap)c));
    jw_array_end(&w);
    jw_kstr(&w, "csrf_token", a->csrf[0] ? a->csrf : NULL);
    jw_key(&w, "town");
    jw_object(&w);
    jw_kstr(&w, "name", town.name);
    jw_kstr(&w, "tz", town.tz);
    jw_object_end(&w);
    jw_object_end(&w);
    return 0;
}

static int render_one_place(void *ctx, const Place *p)
{
    render_place(ctx, p);
    return 0;
}

int render_place_by_id(Req *r, Db *db, int64_t id, int status, Err *err)
{
    Jw w;
    resp_begin(r, status, &w);
    return places_get(db, &r->actor, id, render_one_place, &w, err);
}
