/* gen.c — bench-gen SCALE DB [SEED [DAYS]]: fills a database just made by
 * `fangyi init` with a deterministic town, county or city (see
 * bench/gen-scale.sh for the dataset).  One transaction with the journal
 * off; the indexes of the tables it fills are dropped first and made again
 * at the end, which is faster than keeping them up to date row by row.
 * The report's tallies (migration 007, objects named tally_*) are dropped
 * and the migration forgotten: the next `fangyi` command on the database
 * applies it again, filling the tallies from the records in one pass
 * instead of a trigger per row.  Prints one summary line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gen.h"

typedef struct Scale {
    const char *name;
    long people;
    int villages, points, venues;
} Scale;

static const Scale SCALES[] = {
    {"town", 30000, 16, 57, 4},
    {"county", 1000000, 500, 2000, 120},
    {"city", 10000000, 5000, 20000, 1200},
};

/* The tables filled here, whose indexes are made again at the end. */
static const char *const FILLED =
    "'people', 'travels', 'contacts', 'measures', 'measure_events',"
    " 'assignments', 'checks', 'alerts', 'passes', 'pass_people',"
    " 'disinfections', 'inspection_visits', 'inspection_round_sites',"
    " 'gate_visits', 'supply_moves'";

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void step(const char *what, double *t)
{
    double n = now_s();
    fprintf(stderr, "bench-gen: %-28s %7.1f s\n", what, n - *t);
    *t = n;
}

/* Drops the indexes of the filled tables; returns their SQL. */
static char **drop_indexes(Gen *g, int *n)
{
    char sql[1024];
    snprintf(sql, sizeof sql,
             "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
             " AND sql IS NOT NULL AND tbl_name IN (%s)",
             FILLED);
    sqlite3_stmt *st = gen_prep(g, sql);
    char **keep = NULL, **names = NULL;
    *n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        keep = realloc(keep, (size_t)(*n + 1) * sizeof *keep);
        names = realloc(names, (size_t)(*n + 1) * sizeof *names);
        if (!keep || !names)
            gen_die(g, "out of memory");
        names[*n] = strdup((const char *)sqlite3_column_text(st, 0));
        keep[(*n)++] = strdup((const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_finalize(st);
    for (int i = 0; i < *n; i++) {
        snprintf(sql, sizeof sql, "DROP INDEX \"%s\"", names[i]);
        gen_exec(g, sql);
        free(names[i]);
    }
    free(names);
    return keep;
}

/* Drops the report's tallies and forgets their migration (see above). */
static void forget_tallies(Gen *g)
{
    static const char *const kinds[] = {"trigger", "view", "table"};
    char sql[256];
    for (int k = 0; k < 3; k++) {
        snprintf(sql, sizeof sql,
                 "SELECT name FROM sqlite_master WHERE type = '%s'"
                 " AND name LIKE 'tally\\_%%' ESCAPE '\\'",
                 kinds[k]);
        sqlite3_stmt *st = gen_prep(g, sql);
        char names[64][64];
        int n = 0;
        while (n < 64 && sqlite3_step(st) == SQLITE_ROW)
            snprintf(names[n++], sizeof names[0], "%s",
                     (const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
        for (int i = 0; i < n; i++) {
            snprintf(sql, sizeof sql, "DROP %s \"%.63s\"", kinds[k], names[i]);
            gen_exec(g, sql);
        }
    }
    gen_exec(g, "DELETE FROM schema_version WHERE name LIKE '%report_tallies%'");
}

static void check_fresh(Gen *g)
{
    sqlite3_stmt *st = gen_prep(
        g, "SELECT (SELECT tz FROM town WHERE id = 1),"
           " (SELECT count(*) FROM places), (SELECT count(*) FROM people)");
    if (sqlite3_step(st) != SQLITE_ROW || !sqlite3_column_text(st, 0))
        gen_die(g, "no town in this database: run fangyi init first");
    if (strcmp((const char *)sqlite3_column_text(st, 0), "Asia/Shanghai"))
        gen_die(g, "the town's time zone must be Asia/Shanghai");
    if (sqlite3_column_int64(st, 1) || sqlite3_column_int64(st, 2))
        gen_die(g, "the database is not fresh (it has places or people)");
    sqlite3_finalize(st);
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 5) {
        fprintf(stderr, "usage: bench-gen town|county|city DB [SEED [DAYS]]\n");
        return 2;
    }
    const Scale *sc = NULL;
    for (size_t i = 0; i < sizeof SCALES / sizeof *SCALES; i++)
        if (!strcmp(argv[1], SCALES[i].name))
            sc = &SCALES[i];
    if (!sc) {
        fprintf(stderr, "bench-gen: scale must be town, county or city\n");
        return 2;
    }
    Gen g = {0};
    unsigned long long seed = argc > 3 ? strtoull(argv[3], NULL, 10) : 1;
    g.rng = seed * 0x9E3779B97F4A7C15ull + 0x2545F4914F6CDD1Dull;
    g.days = argc > 4 ? atoi(argv[4]) : 60;
    if (g.days < 14 || g.days > 3000) {
        fprintf(stderr, "bench-gen: DAYS must be 14 to 3000\n");
        return 2;
    }
    g.scale = sc->name;
    g.people_target = sc->people;
    g.nvillages = sc->villages;
    g.npoints = sc->points;
    g.nvenues = sc->venues;
    g.report_day = gen_day_number("2020-02-10");
    g.first_day = g.report_day - g.days + 1;
    if (sqlite3_open_v2(argv[2], &g.db, SQLITE_OPEN_READWRITE, NULL) !=
        SQLITE_OK)
        gen_die(&g, argv[2]);
    double t0 = now_s(), t = t0;
    check_fresh(&g);
    gen_exec(&g, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
                 " PRAGMA cache_size = -524288; PRAGMA temp_store = MEMORY;"
                 " PRAGMA foreign_keys = ON");
    gen_exec(&g, "BEGIN");
    forget_tallies(&g);
    int nidx;
    char **idx = drop_indexes(&g, &nidx);
    gen_places(&g);
    step("places and accounts", &t);
    gen_people(&g);
    step("people and measures", &t);
    gen_observation(&g);
    step("checks", &t);
    gen_checkpoints(&g);
    step("passes", &t);
    gen_ledgers(&g);
    step("ledgers", &t);
    for (int i = 0; i < nidx; i++) {
        gen_exec(&g, idx[i]);
        free(idx[i]);
    }
    free(idx);
    step("indexes", &t);
    gen_exec(&g, "COMMIT");
    gen_exec(&g, "PRAGMA journal_mode = WAL");
    step("commit", &t);
    char day[11];
    gen_day(g.report_day, day);
    printf("bench-gen: %s seed %llu, %d days to %s: %ld villages, %d points,"
           " %ld people (%ld returnees, %ld cases), %ld travels, %ld"
           " contacts, %ld measures (%ld under observation on %s), %ld"
           " checks, %ld alerts, %ld passes, %ld pass people, %ld"
           " disinfections, %ld inspection visits in %ld rounds, %ld gate"
           " visits, %ld supply moves in %.1f s\n",
           g.scale, seed, g.days, day, (long)g.nvillages, g.npoints,
           g.npeople, g.n_returnees, g.n_cases, g.n_travels, g.n_contacts,
           g.nm, g.n_current, day, g.n_checks, g.n_alerts, g.n_passes,
           g.n_pass_people, g.n_disinf, g.n_visits, g.n_rounds, g.n_gate,
           g.n_moves, now_s() - t0);
    sqlite3_close(g.db);
    return 0;
}
