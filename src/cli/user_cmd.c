/* user_cmd.c — fangyi user add|list|passwd|disable|enable|role. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"
#include "../db/writer.h"
#include "../domain/accounts.h"
#include "../domain/places.h"
#include "cli.h"

typedef struct UserJob {
    const Actor *actor;
    AccountInput in;
    int64_t id;
    char hash[SECRET_HASH_LEN];
    const char *sub;
} UserJob;

/* --villages 东村,西村 → village ids; -1 after printing the fault. */
static int parse_villages(Db *db, const char *list, AccountInput *in)
{
    in->set_villages = 1;
    in->nvillages = 0;
    if (!list || !*list)
        return 0;
    char *copy = strdup(list), *save = NULL;
    int rc = 0;
    for (char *name = strtok_r(copy, ",，", &save); name && !rc;
         name = strtok_r(NULL, ",，", &save)) {
        Err err;
        int64_t id;
        if (in->nvillages == ACTOR_MAX_VILLAGES)
            rc = cli_fail("user: at most %d villages", ACTOR_MAX_VILLAGES);
        else if (places_find(db, "village", 0, name, &id, &err))
            rc = cli_fail("user: %s", err.message);
        else if (!id)
            rc = cli_fail("user: no village named %s", name);
        else
            in->villages[in->nvillages++] = id;
    }
    free(copy);
    return rc ? -1 : 0;
}

static int user_write(Db *db, void *arg, Err *err)
{
    UserJob *j = arg;
    if (strcmp(j->sub, "add") == 0)
        return accounts_create(db, j->actor, &j->in, &j->id, err);
    if (strcmp(j->sub, "passwd") == 0)
        return accounts_set_password(db, j->actor, j->id, j->hash, 0, err);
    return accounts_update(db, j->actor, j->id, &j->in, err);
}

/* Village names by id, read once for the listing (no query per row). */
typedef struct VillageName {
    int64_t id;
    char name[64 * 4 + 1];
} VillageName;

static int keep_village(void *ctx, const Place *p)
{
    VillageName v = {p->id, ""};
    snprintf(v.name, sizeof v.name, "%s", p->name);
    buf_append(ctx, &v, sizeof v);
    return 0;
}

static int print_account(void *ctx, const Account *acc)
{
    const Buf *names = ctx;
    printf("%-16s %-20s %-8s ", acc->username, acc->role,
           acc->disabled ? "disabled" : "active");
    if (acc->scope_all)
        printf("whole town");
    for (int i = 0; i < acc->nvillages; i++)
        for (size_t k = 0; k < names->len / sizeof(VillageName); k++) {
            const VillageName *v = (const VillageName *)names->p + k;
            if (v->id == acc->villages[i])
                printf("%s%s", i ? "," : "", v->name);
        }
    printf("\t%s\n", acc->display_name);
    return 0;
}

/* A new password from $FANGYI_PASSWORD, or generated and printed. */
static int new_password(UserJob *j, const char *username)
{
    const char *pw = getenv("FANGYI_PASSWORD");
    char generated[13];
    if (!pw || !*pw) {
        secret_password(generated);
        pw = generated;
    }
    Err err;
    if (accounts_check_password(pw, "FANGYI_PASSWORD", &err))
        return cli_fail("user: %s", err.message);
    if (secret_hash_password(pw, j->hash))
        return cli_fail("user: out of memory");
    if (pw == generated)
        printf("password for %s: %s\n", username, generated);
    return 0;
}

static int user_run(Db *db, const CliArgs *a, UserJob *j)
{
    const char *sub = a->pos[0];
    if (strcmp(sub, "list") == 0) {
        Err err;
        Buf names = BUF_INIT;
        PlaceFilter f = {.type = "village", .active = -1, .limit = 1000000};
        int rc = places_list(db, j->actor, &f, keep_village, &names, &err) ||
                 accounts_list(db, 0, 1000000, print_account, &names, &err);
        buf_free(&names);
        return rc ? cli_fail("user: %s", err.message) : 0;
    }
    if (a->npos < 3)
        return cli_fail("user %s: USERNAME is missing", sub), 2;
    const char *username = a->pos[2];
    Err err;
    j->in.disabled = -1;
    if (strcmp(sub, "add") == 0) {
        j->in.username = username;
        j->in.role = cli_flag(a, "role");
        j->in.display_name = cli_flag(a, "name");
        if (!j->in.role)
            return cli_fail("user add: --role is required"), 2;
        if (parse_villages(db, cli_flag(a, "villages"), &j->in) ||
            new_password(j, username))
            return 1;
        j->in.password_hash = j->hash;
    } else {
        Account acc;
        if (accounts_find(db, username, &acc, &err))
            return cli_fail("user: no account named %s", username);
        j->id = acc.id;
        if (strcmp(sub, "passwd") == 0) {
            if (new_password(j, username))
                return 1;
        } else if (strcmp(sub, "disable") == 0 ||
                   strcmp(sub, "enable") == 0) {
            j->in.disabled = strcmp(sub, "disable") == 0;
        } else if (strcmp(sub, "role") == 0) {
            j->in.role = a->npos > 3 ? a->pos[3] : cli_flag(a, "role");
            if (!j->in.role)
                return cli_fail("user role: ROLE is missing"), 2;
            if (cli_flag(a, "villages") &&
                parse_villages(db, cli_flag(a, "villages"), &j->in))
                return 1;
        } else {
            return cli_fail("user: unknown subcommand %s", sub), 2;
        }
    }
    if (tx_run(db, user_write, j, &err))
        return cli_fail("user %s: %s", sub, err.message);
    printf("%s: done\n", username);
    return 0;
}

int cmd_user(const CliArgs *a)
{
    static const char *const subs[] = {"add", "list", "passwd", "disable",
                                       "enable", "role", NULL};
    int known = 0;
    for (int i = 0; subs[i]; i++)
        known |= strcmp(a->pos[0], subs[i]) == 0;
    if (!known)
        return cli_fail("user: unknown subcommand %s (add, list, passwd,"
                        " disable, enable, role)", a->pos[0]), 2;
    Db *db;
    if (cli_open(a->pos[1], &db))
        return 1;
    Actor actor;
    actor_system(&actor, "cli");
    UserJob j = {.actor = &actor, .sub = a->pos[0]};
    int rc = user_run(db, a, &j);
    db_close(db);
    return rc;
}
