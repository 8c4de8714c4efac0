/* serve_cmd.c — fangyi serve: the HTTP server on a database. */
#include <errno.h>
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

/* Read the PEM file given with --FLAG into *out (malloc'd); it must hold
 * a block "-----BEGIN ...LABEL-----".  Prints why not and returns -1. */
static int read_pem(const char *flag, const char *path, const char *label,
                    char **out)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return cli_fail("serve: --%s %s: %s", flag, path, strerror(errno)),
               -1;
    enum { PEM_MAX = 1024 * 1024 };
    char *p = malloc(PEM_MAX + 1);
    size_t n = p ? fread(p, 1, PEM_MAX + 1, f) : 0;
    int failed = !p || ferror(f);
    fclose(f);
    if (failed || n > PEM_MAX) {
        free(p);
        return cli_fail("serve: --%s %s: %s", flag, path,
                        failed ? "cannot be read" : "larger than 1 MiB"),
               -1;
    }
    p[n] = '\0';
    const char *begin = strstr(p, "-----BEGIN ");
    const char *end = begin ? strstr(begin + 11, "-----") : NULL;
    const char *lab = begin ? strstr(begin, label) : NULL;
    if (!begin || !end || !lab || lab > end) {
        free(p);
        return cli_fail("serve: --%s %s: not a PEM file with a %s", flag,
                        path, label),
               -1;
    }
    *out = p;
    return 0;
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
    const char *cert = cli_flag(a, "tls-cert"), *key = cli_flag(a, "tls-key");
    if (!cert != !key)
        return cli_fail("serve: --tls-cert and --tls-key go together"), 2;
    char *cert_pem = NULL, *key_pem = NULL;
    if (cert && (read_pem("tls-cert", cert, "CERTIFICATE", &cert_pem) ||
                 read_pem("tls-key", key, "PRIVATE KEY", &key_pem))) {
        free(cert_pem);
        return 1;
    }
    o.tls_cert = cert_pem;
    o.tls_key = key_pem;
    /* checked, not migrated: server_run migrates, keeping a copy of the
     * old schema first (DB.before-migration) */
    Db *db;
    int pending;
    if (cli_open_unmigrated(o.db_path, &db, &pending)) {
        free(cert_pem);
        free(key_pem);
        return 1;
    }
    db_close(db);
    Err err;
    int rc = 0;
    if (server_run(&o, api_routes, &err))
        rc = strcmp(err.field, "tls") == 0
                 ? cli_fail("serve: --tls-cert %s / --tls-key %s: %s", cert,
                            key, err.message)
                 : cli_fail("serve: %s", err.message);
    free(cert_pem);
    if (key_pem)
        explicit_bzero(key_pem, strlen(key_pem));
    free(key_pem);
    return rc;
}
