/* actor.h — who is acting: the signed-in account (or the command line)
 * with its role and village scope.  Every domain call takes one, so the
 * scope rule lives in the domain layer, not in each handler. */
#ifndef FANGYI_ACTOR_H
#define FANGYI_ACTOR_H

#include <stdint.h>

#include "../base/err.h"
#include "roles.h"

enum { ACTOR_MAX_VILLAGES = 64 };

typedef struct Actor {
    int64_t id;                 /* account id; 0 for the command line */
    char username[64];
    char display_name[64 * 4 + 1]; /* 64 characters of up to 4 bytes */
    const Role *role;
    int scope_all;              /* works for the whole town */
    int nvillages;
    int64_t villages[ACTOR_MAX_VILLAGES];
    int64_t session_id;         /* 0 when signed in with a bearer token */
    char csrf[48];              /* the session's CSRF token */
} Actor;

/* actor_system: the command line acting as the town command. */
void actor_system(Actor *a, const char *name);
/* actor_can: the role holds the capability. */
int actor_can(const Actor *a, Cap c);
/* actor_in_scope: the account may work on this village. */
int actor_in_scope(const Actor *a, int64_t village_id);
/* actor_require_scope: 0 if in scope, else fills err with 404 not_found
 * (a place outside the scope is not shown to exist) and returns -1. */
int actor_require_scope(const Actor *a, int64_t village_id, Err *err);
/* actor_require_town: 0 for a town-wide account, else 403 forbidden
 * "only a town-wide account WHAT" (things of the whole town: accounts,
 * the audit log, the policy) and -1. */
int actor_require_town(const Actor *a, const char *what, Err *err);

#endif
