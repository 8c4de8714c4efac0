/* common.c — what every command shares: flags, opening the database,
 * and the one-line failure message. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../base/clock.h"
#include "../db/migrate.h"
#include "../db/writer.h"
#include "../domain/regions.h"
#include "../domain/town.h"
#include "cli.h"

const char *cli_flag(const CliArgs *a, const char *name)
{
    size_t n = strlen(name);
    for (int k = 0; k < CLI_MAX_FLAGS && a->cmd->flags[k]; k++)
        if (strncmp(a->cmd->flags[k], name, n) == 0 &&
            (a->cmd->flags[k][n] == '\0' || a->cmd->flags[k][n] == '!'))
            return a->flags[k];
    return NULL;
}

int cli_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("fangyi: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return 1;
}

/* Open the existing database at path into *out; prints why not. */
static int open_existing(const char *path, Db **out)
{
    Err err;
    *out = NULL;
    int exists = db_exists(path, &err);
    if (exists <= 0) {
        if (exists < 0)
            cli_fail("%s: %s", path, err.message);
        else
            cli_fail("%s does not exist: create it with fangyi init", path);
        return -1;
    }
    if (db_open(path, 0, out, &err)) {
        cli_fail("%s: %s", path, err.message);
        *out = NULL;
        return -1;
    }
    return 0;
}

int cli_open_unmigrated(const char *path, Db **out, int *pending)
{
    Err err;
    long version;
    Town town;
    if (open_existing(path, out))
        return -1;
    if (migrate_check(*out, &version, &err) ||
        (*pending = migrate_pending(*out, &err)) < 0 ||
        (*pending == 0 && town_get(*out, &town, &err))) {
        cli_fail("%s: %s", path, err.message);
        db_close(*out);
        *out = NULL;
        return -1;
    }
    if (*pending == 0)
        clock_set_zone(town.tz);
    return 0;
}

int cli_open(const char *path, Db **out)
{
    Err err;
    Town town;
    if (open_existing(path, out))
        return -1;
    if (migrate_apply(*out, &err) ||
        tx_run(*out, regions_ensure_tx, NULL, &err) ||
        town_get(*out, &town, &err)) {
        cli_fail("%s: %s", path, err.message);
        db_close(*out);
        *out = NULL;
        return -1;
    }
    clock_set_zone(town.tz);
    return 0;
}
