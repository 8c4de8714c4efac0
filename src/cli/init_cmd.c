/* init_cmd.c — fangyi init: a new database with its town and admin. */
#include <stdio.h>
#include <stdlib.h>

#include "../base/clock.h"
#include "../base/secret.h"
#include "../db/migrate.h"
#include "../db/writer.h"
#include "../domain/accounts.h"
#include "../domain/regions.h"
#include "../domain/town.h"
#include "cli.h"

typedef struct InitArgs {
    const char *town, *tz;
    char hash[SECRET_HASH_LEN];
} InitArgs;

/* The schema, the town and its admin in one transaction. */
static int init_town(Db *db, void *arg, Err *err)
{
    InitArgs *ia = arg;
    if (migrate_apply_here(db, err) ||
        town_create(db, ia->town, ia->tz, ia->hash, err))
        return -1;
    return regions_ensure(db, err);
}

int cmd_init(const CliArgs *a)
{
    const char *path = a->pos[0];
    InitArgs ia = {cli_flag(a, "town"), cli_flag(a, "tz"), {0}};
    if (!ia.town)
        return cli_fail("init: --town NAME is required"), 2;
    if (!ia.tz)
        ia.tz = "Asia/Shanghai";
    if (clock_set_zone(ia.tz))
        return cli_fail("init: unknown time zone %s", ia.tz);
    Err err;
    int exists = db_exists(path, &err);
    if (exists < 0)
        return cli_fail("init: %s", err.message);
    if (exists)
        return cli_fail("init: %s already exists; it was left as it is",
                        path);
    const char *pw = getenv("FANGYI_ADMIN_PASSWORD");
    char generated[13];
    if (!pw || !*pw) {
        secret_password(generated);
        pw = generated;
    }
    if (accounts_check_password(pw, "FANGYI_ADMIN_PASSWORD", &err))
        return cli_fail("init: FANGYI_ADMIN_PASSWORD: %s", err.message);
    if (secret_hash_password(pw, ia.hash))
        return cli_fail("init: out of memory hashing the password");
    Db *db;
    if (db_open(path, 1, &db, &err))
        return cli_fail("init: %s", err.message);
    if (tx_run(db, init_town, &ia, &err)) {
        db_close(db);
        db_remove(path);
        return cli_fail("init: %s", err.message);
    }
    db_close(db);
    printf("created %s for %s (time zone %s)\n", path, ia.town, ia.tz);
    if (pw == generated)
        printf("admin password: %s\n", generated);
    return 0;
}
