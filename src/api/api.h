/* api.h — the JSON API: the route table and the handlers behind it.
 * Handlers translate between HTTP and one domain call; rules live in
 * src/domain/. */
#ifndef FANGYI_API_H
#define FANGYI_API_H

#include "../domain/accounts.h"
#include "../domain/places.h"
#include "../http/server.h"

extern const Route api_routes[];

/* misc_api.c */
void api_health(Req *r);
void api_town(Req *r);
void api_roles(Req *r);
/* auth_api.c */
void api_login(Req *r);
void api_logout(Req *r);
void api_me(Req *r);
void api_me_password(Req *r);
void api_tokens_list(Req *r);
void api_tokens_create(Req *r);
void api_tokens_revoke(Req *r);
/* api_set_password: check, hash and store the password in body[field]
 * for an account; ends its other sessions. */
void api_set_password(Req *r, int64_t account_id, const char *field,
                      int64_t keep_session);
/* places_api.c */
void api_places_list(Req *r);
void api_places_create(Req *r);
void api_places_get(Req *r);
void api_places_update(Req *r);
void api_places_delete(Req *r);
/* users_api.c */
void api_users_list(Req *r);
void api_users_create(Req *r);
void api_users_get(Req *r);
void api_users_update(Req *r);
void api_users_password(Req *r);
/* audit_api.c */
void api_audit_list(Req *r);
void api_audit_verify(Req *r);

/* render.c: JSON shapes shared by several handlers (docs/api.md) */
void render_place(Jw *w, const Place *p);
void render_account(Jw *w, const Account *a);
/* render_session writes the answer of /login and /me for r->actor. */
int render_session(Req *r, Db *db, int status, Err *err);
/* render_place_by_id answers with one place read through db. */
int render_place_by_id(Req *r, Db *db, int64_t id, int status, Err *err);

#endif
