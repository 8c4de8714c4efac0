/* actor.c — role and scope checks for the acting account (see actor.h). */
#include "actor.h"

#include <stdio.h>
#include <string.h>

void actor_system(Actor *a, const char *name)
{
    memset(a, 0, sizeof *a);
    snprintf(a->username, sizeof a->username, "%s", name);
    snprintf(a->display_name, sizeof a->display_name, "%s", name);
    a->role = roles_find("admin");
    a->scope_all = 1;
}

int actor_can(const Actor *a, Cap c)
{
    return roles_has(a->role, c);
}

int actor_in_scope(const Actor *a, int64_t village_id)
{
    if (a->scope_all)
        return 1;
    for (int i = 0; i < a->nvillages; i++)
        if (a->villages[i] == village_id)
            return 1;
    return 0;
}

int actor_require_scope(const Actor *a, int64_t village_id, Err *err)
{
    if (actor_in_scope(a, village_id))
        return 0;
    return err_set(err, 404, "not_found", NULL, "no such record");
}

int actor_require_town(const Actor *a, const char *what, Err *err)
{
    if (a->scope_all)
        return 0;
    return err_set(err, 403, "forbidden", NULL, "only a town-wide account %s",
                   what);
}
