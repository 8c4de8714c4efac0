/* migrate_data_cmd.c — fangyi migrate-data SQLITE_DB postgres://...: a
 * township's database moved into PostgreSQL (docs/migrate-data.md):
 * schema first, then every table in batches with the progress kept in the
 * target (a run that was stopped continues), then each table checked by
 * row count and checksum on both sides and the audit chain verified. */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../db/copy.h"
#include "../db/migrate.h"
#include "../db/writer.h"
#include "../domain/audit.h"
#include "cli.h"

typedef struct NewTarget {
    const CopyPlan *plan;
    const char *source_id;
} NewTarget;

static int new_target(Db *db, void *arg, Err *err)
{
    NewTarget *nt = arg;
    return migrate_apply_here(db, err) ||
           copy_target_new(db, nt->plan, nt->source_id, err);
}

static const CopyTable *find_table(const CopyPlan *p, const char *name)
{
    for (int k = 0; k < p->n; k++)
        if (strcmp(p->t[k].name, name) == 0)
            return &p->t[k];
    return NULL;
}

/* the source's identity: the checksum of its town row */
static int source_identity(Db *src, const CopyPlan *p, char *out, size_t n)
{
    const CopyTable *town = find_table(p, "town");
    char hex[65];
    int64_t rows;
    Err err;
    if (!town)
        return cli_fail("migrate-data: the source has no town table");
    if (copy_checksum(src, town, &rows, hex, &err))
        return cli_fail("migrate-data: source: %s", err.message);
    if (rows != 1)
        return cli_fail("migrate-data: the source holds no town (run"
                        " fangyi init first)");
    snprintf(out, n, "town:%s", hex);
    return 0;
}

/* open (or make) the target: a new one gets the schema; an existing one
 * must be this source's own interrupted run */
static int open_target(const char *url, const CopyPlan *p, const char *id,
                       Db **dst)
{
    Err err;
    char shown[512];    /* url without its password, if it holds one */
    db_redact_url(url, shown, sizeof shown);
    int exists = db_exists(url, &err);
    if (exists < 0)
        return cli_fail("migrate-data: %s: %s", shown, err.message);
    if (db_open(url, 1, dst, &err))
        return cli_fail("migrate-data: %s: %s", shown, err.message);
    if (!exists) {
        NewTarget nt = {p, id};
        if (tx_run(*dst, new_target, &nt, &err))
            return cli_fail("migrate-data: %s: %s", shown, err.message);
        return 0;
    }
    char had[96], town[128] = "";
    if (copy_target_source(*dst, had, sizeof had, &err))
        return cli_fail("migrate-data: %s: %s", shown, err.message);
    if (strcmp(had, id) == 0) {
        if (migrate_apply(*dst, &err) || copy_plan_fits(*dst, p, &err))
            return cli_fail("migrate-data: %s: %s", shown, err.message);
        printf("continuing the copy into %s\n", shown);
        return 0;
    }
    db_one_text(*dst, &err, town, sizeof town, "SELECT name FROM town", "");
    return cli_fail("migrate-data: %s already holds %s; migrate-data fills"
                    " only a new, empty database or town (URL?town=NAME)"
                    " or continues its own interrupted run from the same"
                    " source (docs/migrate-data.md); it was left as it is",
                    shown, *had ? "the copy of another source"
                         : *town ? "a town's data" : "a fangyi database");
}

static int copy_all(Db *src, Db *dst, const CopyPlan *p, int batch)
{
    const char *stop = getenv("FANGYI_MIGRATE_STOP_AFTER");   /* tests */
    int stop_after = stop ? atoi(stop) : 0;
    Err err;
    for (int k = 0; k < p->n; k++) {
        int64_t n;
        int rc = copy_table(src, dst, &p->t[k], batch, &n,
                            stop_after > 0 ? &stop_after : NULL, &err);
        if (rc < 0)
            return cli_fail("migrate-data: copying %s: %s", p->t[k].name,
                            err.message);
        if (n)
            printf("copied %s: %" PRId64 " rows\n", p->t[k].name, n);
        if (rc > 0) {   /* the tests' stand-in for a killed run */
            fflush(stdout);
            raise(SIGKILL);
        }
    }
    if (copy_sequences(dst, p, &err))
        return cli_fail("migrate-data: identity sequences: %s", err.message);
    if (copy_finish(dst, &err))
        return cli_fail("migrate-data: %s", err.message);
    return 0;
}

/* every table by count and checksum on both sides, then the audit chain */
static int check_all(Db *src, Db *dst, const CopyPlan *p)
{
    int bad = 0;
    Err err;
    printf("%-24s %10s %10s  %s\n", "table", "source", "target",
           "checksum");
    for (int k = 0; k < p->n; k++) {
        int64_t ns, nd;
        char hs[65], hd[65];
        if (copy_checksum(src, &p->t[k], &ns, hs, &err) ||
            copy_checksum(dst, &p->t[k], &nd, hd, &err))
            return cli_fail("migrate-data: checking %s: %s", p->t[k].name,
                            err.message);
        int same = ns == nd && strcmp(hs, hd) == 0;
        printf("%-24s %10" PRId64 " %10" PRId64 "  %s %.16s\n",
               p->t[k].name, ns, nd, same ? "ok" : "MISMATCH", hd);
        bad += !same;
    }
    int64_t broken, entries;
    if (audit_verify(dst, &broken, &entries, &err))
        return cli_fail("migrate-data: audit: %s", err.message);
    if (broken)
        return cli_fail("migrate-data: the target's audit chain is broken"
                        " at entry %" PRId64, broken);
    printf("audit chain ok: %" PRId64 " entries\n", entries);
    if (bad)
        return cli_fail("migrate-data: %d table(s) differ", bad);
    return 0;
}

int cmd_migrate_data(const CliArgs *a)
{
    const char *from = a->pos[0], *to = a->pos[1], *bs = cli_flag(a, "batch");
    char *end = NULL;
    long batch = bs ? strtol(bs, &end, 10) : 1000;
    if (bs && (end == bs || *end || batch < 1 || batch > 100000))
        return cli_fail("migrate-data: --batch must be a number of rows"
                        " from 1 to 100000"), 2;
    char shown[512];    /* a URL is printed without its password */
    db_redact_url(from, shown, sizeof shown);
    if (db_is_postgres_url(from))
        return cli_fail("migrate-data: SQLITE_DB must be a SQLite database"
                        " file, not %s", shown), 2;
    if (!db_is_postgres_url(to))
        return cli_fail("migrate-data: the target must be a postgres:// or"
                        " postgresql:// URL, not %s", to), 2;
    if (access(from, F_OK) != 0)
        return cli_fail("migrate-data: %s does not exist", from);
    Db *src = NULL, *dst = NULL;
    Err err;
    long version;
    static CopyPlan plan;
    char id[96];
    int rc = 1;
    if (db_open_readonly(from, 0, &src, &err) ||
        migrate_check(src, &version, &err)) {
        cli_fail("migrate-data: %s: %s", from, err.message);
        goto out;
    }
    int pending = migrate_pending(src, &err);
    if (pending != 0) {
        cli_fail("migrate-data: %s: %s", from, pending < 0 ? err.message
                 : "its schema is older than this fangyi's: open it once"
                   " with this fangyi (e.g. fangyi audit verify) first");
        goto out;
    }
    if (copy_plan(src, &plan, &err)) {
        cli_fail("migrate-data: %s: %s", from, err.message);
        goto out;
    }
    if (source_identity(src, &plan, id, sizeof id) ||
        open_target(to, &plan, id, &dst) ||
        copy_all(src, dst, &plan, (int)batch) ||
        check_all(src, dst, &plan))
        goto out;
    db_redact_url(to, shown, sizeof shown);
    printf("migrated %s into %s\n", from, shown);
    rc = 0;
out:
    db_close(dst);
    db_close(src);
    return rc;
}
