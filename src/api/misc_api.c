/* misc_api.c — health, the town, and the table of roles. */
#include "../domain/town.h"
#include "api.h"

void api_health(Req *r)
{
    Jw w;
    resp_begin(r, 200, &w);
    jw_object(&w);
    jw_kstr(&w, "status", "ok");
    jw_kstr(&w, "version", FANGYI_VERSION);
    jw_object_end(&w);
}

void api_town(Req *r)
{
    Town t;
    Err err;
    if (town_get(req_db(r), &t, &err)) {
        resp_error(r, &err);
        return;
    }
    Jw w;
    resp_begin(r, 200, &w);
    jw_object(&w);
    jw_kstr(&w, "name", t.name);
    jw_kstr(&w, "tz", t.tz);
    jw_kint(&w, "villages", t.villages);
    jw_kint(&w, "points", t.points);
    jw_object_end(&w);
}

void api_roles(Req *r)
{
    Jw w;
    resp_begin(r, 200, &w);
    jw_object(&w);
    jw_key(&w, "items");
    jw_array(&w);
    for (const Role *role = roles_all(); role->code; role++) {
        jw_object(&w);
        jw_kstr(&w, "code", role->code);
        jw_kstr(&w, "name_zh", role->name_zh);
        jw_kstr(&w, "name_en", role->name_en);
        jw_key(&w, "capabilities");
        jw_array(&w);
        for (int c = CAP_NONE + 1; c < CAP_COUNT; c++)
            if (roles_has(role, (Cap)c))
                jw_str(&w, roles_cap_name((Cap)c));
        jw_array_end(&w);
        jw_object_end(&w);
    }
    jw_array_end(&w);
    jw_object_end(&w);
}
