/* serve_cmd.c — fangyi serve: the HTTP server on a database. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../api/api.h"
#include "../base/clock.h"
#include "../db/migrate.h"
#include "../domain/observation.h"
#include "cli.h"

/* The periodic job of a server: open missed-check alerts. */
static int sweep_missed(Db *db, void *arg, Err *err)
{
    (void)arg;
    long opened;
    return alerts_sweep_missed(db, &opened, err);
}

int cmd_serve(const CliArgs *a)
{
    ServeOptions o = {.db_path = a->pos[0], .host = "127.0.0.1",
                      .port = 8080, .threads = 4,
                      .quiet = cli_flag(a, "quiet") != NULL};
    char host[64];
    const char *listen = cli_flag(a, "listen");
    if (listen) {
        const char *colon = strrchr(listen, ':');
        char *end;
        long port = colon ? strtol(colon + 1, &end, 10) : -1;
        if (!colon || colon == listen || *end || port < 0 || port > 65535 ||
            (size_t)(colon - listen) >= sizeof host)
            return cli_fail("serve: --listen wants HOST:PORT, e.g."
                            " 127.0.0.1:8080"), 2;
        snprintf(host, sizeof host, "%.*s", (int)(colon - listen), listen);
        o.host = host;
        o.port = (int)port;
    }
    const char *test_clock = cli_flag(a, "test-clock");
    if (test_clock)
        clock_use_file(test_clock);
    const char *sweep = cli_flag(a, "sweep-seconds");
    o.periodic = sweep_missed;
    o.periodic_seconds = sweep ? atoi(sweep) : 60;
    if (o.periodic_seconds < 1 || o.periodic_seconds > 3600)
        return cli_fail("serve: --sweep-seconds must be 1 to 3600"), 2;
    const char *threads = cli_flag(a, "threads");
    if (threads) {
        o.threads = atoi(threads);
        if (o.threads < 1 || o.threads > 64)
            return cli_fail("serve: --threads must be 1 to 64"), 2;
    }
    Db *db;
    if (cli_open(o.db_path, &db))
        return 1;
    db_close(db);
    Err err;
    if (server_run(&o, api_routes, &err))
        return cli_fail("serve: %s", err.message);
    return 0;
}
