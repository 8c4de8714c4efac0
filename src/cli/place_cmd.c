/* place_cmd.c — fangyi place add|list|rename|deactivate|activate: the
 * town's places from the shell (the same domain calls as the API). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/writer.h"
#include "../domain/places.h"
#include "cli.h"

typedef struct PlaceJob {
    const Actor *actor;
    const char *sub;
    PlaceInput in;
    int64_t id;
} PlaceJob;

static int place_write(Db *db, void *arg, Err *err)
{
    PlaceJob *j = arg;
    if (strcmp(j->sub, "add") == 0)
        return places_create(db, j->actor, &j->in, &j->id, err);
    return places_update(db, j->actor, j->id, &j->in, err);
}

static int print_place(void *ctx, const Place *p)
{
    (void)ctx;
    printf("%" PRId64 "\t%s\t%s\t%s\t%s\n", p->id, p->type, p->name,
           p->village_name ? p->village_name : "-",
           p->active ? "active" : "inactive");
    return 0;
}

/* Find a place by "村名" (a village) or "村名/名称" with --type; the id
 * may also be given as a number.  Returns 0 or prints and returns -1. */
static int resolve(Db *db, const char *type, const char *ref, int64_t *id)
{
    char *end;
    long long n = strtoll(ref, &end, 10);
    if (*ref && !*end && n > 0) {
        *id = n;
        return 0;
    }
    Err err;
    const char *slash = strchr(ref, '/');
    int64_t village = 0;
    if (slash) {
        char vname[64 * 4 + 1];
        snprintf(vname, sizeof vname, "%.*s", (int)(slash - ref), ref);
        if (places_find(db, "village", 0, vname, &village, &err) ||
            !village)
            return cli_fail("place: no village named %s", vname), -1;
        ref = slash + 1;
    }
    if (places_find(db, slash ? type : "village", village, ref, id, &err) ||
        !*id)
        return cli_fail("place: no %s named %s", slash ? type : "village",
                        ref), -1;
    return 0;
}

int cmd_place(const CliArgs *a)
{
    const char *sub = a->pos[0];
    static const char *const subs[] = {"add", "list", "rename", "deactivate",
                                       "activate", NULL};
    int known = 0;
    for (int i = 0; subs[i]; i++)
        known |= strcmp(sub, subs[i]) == 0;
    if (!known)
        return cli_fail("place: unknown subcommand %s (add, list, rename,"
                        " deactivate, activate)", sub), 2;
    Db *db;
    if (cli_open(a->pos[1], &db))
        return 1;
    Actor actor;
    actor_system(&actor, "cli");
    const char *type = cli_flag(a, "type");
    PlaceJob j = {.actor = &actor, .sub = sub,
                  .in = {.type = type ? places_type_from_label(type) : NULL,
                         .active = -1}};
    Err err;
    int rc = 0;
    if (type && !j.in.type) {
        rc = cli_fail("place: unknown --type %s", type);
    } else if (strcmp(sub, "list") == 0) {
        PlaceFilter f = {.type = j.in.type, .active = -1, .limit = 1000000};
        if (places_list(db, &actor, &f, print_place, NULL, &err))
            rc = cli_fail("place: %s", err.message);
    } else if (a->npos < 3) {
        rc = cli_fail("place %s: NAME is missing", sub);
    } else if (strcmp(sub, "add") == 0) {
        const char *village = cli_flag(a, "village");
        j.in.name = a->pos[2];
        if (!j.in.type)
            j.in.type = village ? "grid" : "village";
        if (village && resolve(db, "village", village, &j.in.village_id))
            rc = 1;
    } else {
        const char *t = j.in.type ? j.in.type : "village";
        j.in.type = NULL;
        if (resolve(db, t, a->pos[2], &j.id))
            rc = 1;
        else if (strcmp(sub, "rename") == 0)
            j.in.name = a->npos > 3 ? a->pos[3] : NULL;
        else
            j.in.active = strcmp(sub, "activate") == 0;
        if (!rc && strcmp(sub, "rename") == 0 && !j.in.name)
            rc = cli_fail("place rename: NEW_NAME is missing");
    }
    if (!rc && strcmp(sub, "list") != 0) {
        if (tx_run(db, place_write, &j, &err))
            rc = cli_fail("place %s: %s", sub, err.message);
        else
            printf("%s: done\n", a->pos[2]);
    }
    db_close(db);
    return rc;
}
