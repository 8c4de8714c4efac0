/* users_api.c — /users: staff accounts, roles, scopes, passwords. */
#include <string.h>

#include "api.h"

static int list_one(void *ctx, const Account *a)
{
    ListPage *page = ctx;
    render_account(&page->w, a);
    list_item(page, a->id);
    return 0;
}

void api_users_list(Req *r)
{
    int limit;
    int64_t cursor;
    Err err;
    if (req_paging(r, &limit, &cursor))
        return;
    if (actor_require_town(&r->actor, "manages accounts", &err)) {
        resp_error(r, &err);
        return;
    }
    ListPage page;
    list_begin(r, &page, limit);
    if (accounts_list(req_db(r), cursor, limit, list_one, &page, &err))
        resp_error(r, &err);
    else
        list_end(&page);
}

/* Answer with one account read through db. */
static int render_user(Req *r, Db *db, int64_t id, int status, Err *err)
{
    Account a;
    if (accounts_get(db, id, &a, err))
        return -1;
    Jw w;
    resp_begin(r, status, &w);
    render_account(&w, &a);
    return 0;
}

void api_users_get(Req *r)
{
    Err err;
    if (actor_require_town(&r->actor, "manages accounts", &err) ||
        render_user(r, req_db(r), r->params[0], 200, &err))
        resp_error(r, &err);
}

/* Read the account fields of the body; -1 after answering 422. */
static int read_account_input(Req *r, AccountInput *in)
{
    memset(in, 0, sizeof *in);
    int disabled = -1;
    if (body_str(r, "username", &in->username) ||
        body_str(r, "display_name", &in->display_name) ||
        body_str(r, "role", &in->role) ||
        body_bool(r, "disabled", &disabled) ||
        body_id_list(r, "villages", in->villages, ACTOR_MAX_VILLAGES,
                     &in->nvillages, &in->set_villages))
        return -1;
    in->disabled = disabled;
    return 0;
}

typedef struct UserWrite {
    AccountInput in;
    char hash[SECRET_HASH_LEN];
} UserWrite;

static int write_create(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    UserWrite *uw = r->write_arg;
    int64_t id;
    if (accounts_create(db, &r->actor, &uw->in, &id, err))
        return -1;
    return render_user(r, db, id, 201, err);
}

void api_users_create(Req *r)
{
    UserWrite *uw = arena_alloc(&r->arena, sizeof *uw);
    const char *pw;
    Err err;
    if (read_account_input(r, &uw->in) || body_str(r, "password", &pw))
        return;
    if (accounts_check_username(uw->in.username, &err) ||
        accounts_check_password(pw, "password", &err)) {
        resp_error(r, &err);
        return;
    }
    if (secret_hash_password(pw, uw->hash)) {
        resp_fail(r, 503, "storage_unavailable", NULL, "out of memory");
        return;
    }
    uw->in.password_hash = uw->hash;
    r->write_arg = uw;
    req_write(r, write_create, r);
}

static int write_update(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    UserWrite *uw = r->write_arg;
    if (accounts_update(db, &r->actor, r->params[0], &uw->in, err))
        return -1;
    return render_user(r, db, r->params[0], 200, err);
}

void api_users_update(Req *r)
{
    UserWrite *uw = arena_alloc(&r->arena, sizeof *uw);
    if (read_account_input(r, &uw->in))
        return;
    if (uw->in.username) {
        resp_fail(r, 422, "invalid_field", "username",
                  "a username cannot be changed");
        return;
    }
    r->write_arg = uw;
    req_write(r, write_update, r);
}

void api_users_password(Req *r)
{
    api_set_password(r, r->params[0], "password", 0);
}

static int staff_one(void *ctx, const Account *a)
{
    Jw *w = ctx;
    jw_object(w);
    jw_kint(w, "id", a->id);
    jw_kstr(w, "username", a->username);
    jw_kstr(w, "display_name", a->display_name);
    jw_kstr(w, "role", a->role);
    jw_object_end(w);
    return 0;
}

void api_staff_list(Req *r)
{
    int64_t village = 0;
    if (req_query_int(r, "village_id", 1, INT64_MAX, &village))
        return;
    Jw w;
    Err err;
    resp_begin(r, 200, &w);
    jw_object(&w);
    jw_key(&w, "items");
    jw_array(&w);
    if (accounts_staff(req_db(r), &r->actor, village, staff_one, &w, &err)) {
        resp_error(r, &err);
        return;
    }
    jw_array_end(&w);
    jw_knull(&w, "next_cursor");
    jw_object_end(&w);
}
