/* auth_api.c — signing in and out, the caller's own account, API tokens.
 *
 * Passwords are checked (argon2id) on the pool thread; only the result is
 * written through the group-commit writer.  A failed login is answered
 * after a delay, and LOGIN_MAX_FAILURES in a row lock the account (or the
 * username, when no account has it). */
#include <stdio.h>
#include <string.h>

#include "../base/validate.h"
#include "api.h"

enum { FAILED_LOGIN_DELAY_MS = 700 };

typedef struct LoginWrite {
    int64_t account_id;
    const char *username;           /* counted when no account has it */
    char token[SECRET_TOKEN_LEN];
    char csrf[SECRET_TOKEN_LEN];
    Err failure;
} LoginWrite;

static int write_login_ok(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    LoginWrite *lw = r->write_arg;
    int64_t session_id;
    if (login_succeeded(db, lw->account_id, lw->token, lw->csrf, &session_id,
                        err) ||
        actor_from_session(db, lw->token, &r->actor, err))
        return -1;
    r->authed = 1;
    snprintf(r->set_cookie, sizeof r->set_cookie,
             "fangyi_session=%s; Path=/; HttpOnly; SameSite=Strict;"
             " Max-Age=%d%s",
             lw->token, SESSION_SECONDS, r->secure ? "; Secure" : "");
    return render_session(r, db, 200, err);
}

static int write_login_failed(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    LoginWrite *lw = r->write_arg;
    if (lw->account_id ? login_failed(db, lw->account_id, err)
                       : login_failed_unknown(db, lw->username, err))
        return -1;
    resp_error(r, &lw->failure);
    return 0; /* keep the count: the answer is the failure */
}

void api_login(Req *r)
{
    const char *user, *pw;
    if (body_str(r, "username", &user) || body_str(r, "password", &pw))
        return;
    /* answered before any lookup or write: nothing to count */
    if (!user || !*user || !pw || !*pw) {
        int no_user = !user || !*user;
        resp_fail(r, 422, "missing_field", no_user ? "username" : "password",
                  no_user ? "username is required" : "password is required");
        return;
    }
    LoginWrite *lw = arena_alloc(&r->arena, sizeof *lw);
    r->write_arg = lw;
    Err err;
    if (login_verify(req_db(r), user, pw, &lw->account_id, &err) == 0) {
        secret_token(lw->token);
        secret_token(lw->csrf);
        req_write(r, write_login_ok, r);
        return;
    }
    if (err.status == 401) {
        /* an unknown name is counted as an account is: same answer,
         * same delay, same lock */
        r->delay_ms = FAILED_LOGIN_DELAY_MS;
        lw->username = user;
        lw->failure = err;
        req_write(r, write_login_failed, r);
        return;
    }
    resp_error(r, &err);
}

static int write_logout(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    if (session_end(db, r->actor.session_id, err))
        return -1;
    snprintf(r->set_cookie, sizeof r->set_cookie,
             "fangyi_session=; Path=/; HttpOnly; SameSite=Strict;"
             " Max-Age=0%s", r->secure ? "; Secure" : "");
    resp_ok(r);
    return 0;
}

void api_logout(Req *r)
{
    if (!r->actor.session_id) {
        resp_fail(r, 422, "invalid_field", NULL,
                  "a bearer token is revoked, not logged out");
        return;
    }
    req_write(r, write_logout, r);
}

void api_me(Req *r)
{
    Err err;
    if (render_session(r, req_db(r), 200, &err))
        resp_error(r, &err);
}

typedef struct PasswordWrite {
    int64_t account_id;
    int64_t keep_session;
    char hash[SECRET_HASH_LEN];
} PasswordWrite;

static int write_password(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    PasswordWrite *pw = r->write_arg;
    if (accounts_set_password(db, &r->actor, pw->account_id, pw->hash,
                              pw->keep_session, err))
        return -1;
    resp_ok(r);
    return 0;
}

/* Shared by /me/password and /users/{id}/password: check, hash, write. */
void api_set_password(Req *r, int64_t account_id, const char *field,
                      int64_t keep_session)
{
    const char *pw;
    Err err;
    if (body_str(r, field, &pw))
        return;
    if (accounts_check_password(pw, field, &err)) {
        resp_error(r, &err);
        return;
    }
    PasswordWrite *w = arena_alloc(&r->arena, sizeof *w);
    w->account_id = account_id;
    w->keep_session = keep_session;
    if (secret_hash_password(pw, w->hash)) {
        resp_fail(r, 503, "storage_unavailable", NULL, "out of memory");
        return;
    }
    r->write_arg = w;
    req_write(r, write_password, r);
}

void api_me_password(Req *r)
{
    const char *old;
    Err err;
    if (body_str(r, "old_password", &old))
        return;
    int ok = accounts_verify_password(req_db(r), r->actor.id,
                                      old ? old : "", &err);
    if (ok < 0) {
        resp_error(r, &err);
        return;
    }
    if (!ok) {
        r->delay_ms = FAILED_LOGIN_DELAY_MS;
        resp_fail(r, 422, "invalid_field", "old_password",
                  "the current password is wrong");
        return;
    }
    api_set_password(r, r->actor.id, "new_password", r->actor.session_id);
}

/* ---- API tokens ---------------------------------------------------------- */

static int render_token(void *ctx, const ApiToken *t)
{
    Jw *w = ctx;
    jw_object(w);
    jw_kint(w, "id", t->id);
    jw_kstr(w, "name", t->name);
    jw_kstr(w, "created_at", t->created_at);
    jw_kstr(w, "revoked_at", t->revoked_at);
    jw_object_end(w);
    return 0;
}

void api_tokens_list(Req *r)
{
    Jw w;
    Err err;
    resp_begin(r, 200, &w);
    jw_object(&w);
    jw_key(&w, "items");
    jw_array(&w);
    if (tokens_list(req_db(r), &r->actor, render_token, &w, &err)) {
        resp_error(r, &err);
        return;
    }
    jw_array_end(&w);
    jw_knull(&w, "next_cursor");
    jw_object_end(&w);
}

typedef struct TokenWrite {
    const char *name;
    char token[SECRET_TOKEN_LEN];
} TokenWrite;

static int write_token(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    TokenWrite *tw = r->write_arg;
    int64_t id;
    if (tokens_create(db, &r->actor, tw->name, tw->token, &id, err))
        return -1;
    Jw w;
    resp_begin(r, 201, &w);
    jw_object(&w);
    jw_kint(&w, "id", id);
    jw_kstr(&w, "name", tw->name);
    jw_kstr(&w, "token", tw->token);
    jw_object_end(&w);
    return 0;
}

void api_tokens_create(Req *r)
{
    TokenWrite *tw = arena_alloc(&r->arena, sizeof *tw);
    Err err;
    if (body_str(r, "name", &tw->name))
        return;
    if (validate_name(tw->name, "name", 64, &err)) {
        resp_error(r, &err);
        return;
    }
    secret_token(tw->token);
    r->write_arg = tw;
    req_write(r, write_token, r);
}

static int write_revoke(Db *db, void *arg, Err *err)
{
    Req *r = arg;
    if (tokens_revoke(db, &r->actor, r->params[0], err))
        return -1;
    resp_ok(r);
    return 0;
}

void api_tokens_revoke(Req *r)
{
    req_write(r, write_revoke, r);
}
