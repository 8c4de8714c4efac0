/* audit_api.c — /audit: the log of every write, and its chain check. */
#include "../domain/audit.h"
#include "api.h"

static int list_one(void *ctx, const AuditEntry *e)
{
    ListPage *page = ctx;
    Jw *w = &page->w;
    jw_object(w);
    jw_kint(w, "id", e->id);
    jw_kstr(w, "at", e->at);
    jw_kstr(w, "actor", e->actor);
    jw_kstr(w, "action", e->action);
    jw_kstr(w, "entity", e->entity);
    jw_kint(w, "entity_id", e->entity_id);
    jw_kstr(w, "summary", e->summary);
    jw_kstr(w, "digest", e->digest);
    jw_kstr(w, "hash", e->hash);
    /* a summary fangyi purge cleared: when, and by which entry */
    jw_kstr(w, "redacted_at", e->redacted_at);
    if (e->redacted_by)
        jw_kint(w, "redacted_by", e->redacted_by);
    else
        jw_knull(w, "redacted_by");
    jw_object_end(w);
    list_item(page, e->id);
    return 0;
}

void api_audit_list(Req *r)
{
    AuditFilter f = {0};
    Err err;
    if (req_paging(r, &f.limit, &f.before_id))
        return;
    /* entries are not tagged with a village: the log is the town's */
    if (actor_require_town(&r->actor, "reads the audit log", &err)) {
        resp_error(r, &err);
        return;
    }
    f.entity = req_query(r, "entity");
    f.actor = req_query(r, "actor");
    ListPage page;
    /* newest first: the cursor is the last (smallest) id shown */
    list_begin(r, &page, f.limit);
    if (audit_list(req_db(r), &f, list_one, &page, &err))
        resp_error(r, &err);
    else
        list_end(&page);
}

void api_audit_verify(Req *r)
{
    int64_t broken, entries;
    Err err;
    if (actor_require_town(&r->actor, "reads the audit log", &err) ||
        audit_verify(req_db(r), &broken, &entries, &err)) {
        resp_error(r, &err);
        return;
    }
    Jw w;
    resp_begin(r, 200, &w);
    jw_object(&w);
    jw_kbool(&w, "ok", broken == 0);
    jw_kint(&w, "entries", entries);
    if (broken)
        jw_kint(&w, "broken_at", broken);
    jw_object_end(&w);
}
