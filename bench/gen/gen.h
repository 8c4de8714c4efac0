/* gen.h — the shared state and helpers of bench-gen, the deterministic
 * dataset generator of the benchmarks (bench/gen-scale.sh describes the
 * dataset).  Everything is drawn from one seeded generator in a fixed
 * order, so a scale and a seed always give the same records. */
#ifndef FANGYI_BENCH_GEN_H
#define FANGYI_BENCH_GEN_H

#include <sqlite3.h>
#include <stdint.h>

enum { GRIDS_PER_VILLAGE = 3, MEASURE_DAYS = 14, GROUP_VILLAGES = 10 };

/* A measure as planned, before its rows are written. */
typedef struct GenMeasure {
    int64_t id, person_id;
    int village;          /* index into the villages */
    int basis;            /* day number of day 1 */
    int slots;            /* 1 or 2 a day */
    int end;              /* day number of end_date, or 0 (active) */
    int ended;            /* 1: ended early (not released) */
    int contact;          /* a close contact's (basis last_exposure) */
} GenMeasure;

/* A returnee handed over at a checkpoint, waiting for its pass. */
typedef struct GenHandover {
    int64_t person_id;
    int village, day, hour, minute;
    const char *name, *id_number, *phone, *origin_text;
} GenHandover;

typedef struct Gen {
    sqlite3 *db;
    uint64_t rng;
    const char *scale;
    long people_target;       /* about this many people */
    int nvillages, npoints, nvenues, days;
    int first_day, report_day; /* day numbers (days since 1970-01-01) */
    int64_t *village, *grid, *point, *venue;   /* ids */
    int *point_village, *venue_village;         /* village index */
    char **village_name;
    int64_t admin_id;
    int64_t *medical, *checker;    /* accounts, one per group of villages */
    char **medical_name, **checker_name;
    int64_t *person_id;            /* people by register index */
    int *person_village;
    char (*person_idno)[19];       /* "" when none */
    long npeople;
    GenMeasure *m;
    long nm, mcap;
    GenHandover *ho;
    long nho, hocap;
    long n_travels, n_contacts, n_events, n_assign, n_checks, n_alerts,
        n_passes, n_pass_people, n_disinf, n_rounds, n_visits, n_gate,
        n_moves, n_cases, n_returnees, n_current;
} Gen;

/* ---- gen_util.c ---- */
uint32_t gen_rnd(Gen *g);
int gen_rn(Gen *g, int n);                      /* 0 .. n-1 */
int gen_pct(Gen *g, int pct10000);              /* 1 with pct/10000 */
void gen_day(int day, char out[11]);            /* YYYY-MM-DD */
/* UTC timestamp of the town's local time (UTC+8) h:m:s on day */
void gen_ts(int day, int h, int m, int s, char out[21]);
int gen_day_number(const char *ymd);
void gen_name(Gen *g, int male, char *out, size_t n);
void gen_id_number(Gen *g, int male, int *birth_day, char out[19]);
void gen_phone(Gen *g, char out[12]);
void gen_plate(Gen *g, char out[16]);
void gen_die(Gen *g, const char *what);
sqlite3_stmt *gen_prep(Gen *g, const char *sql);
/* gen_run binds "i" int64, "I" int64 (0 NULL), "t" text (NULL NULL),
 * "d" double, then steps and resets; returns the new rowid. */
int64_t gen_run(Gen *g, sqlite3_stmt *st, const char *fmt, ...);
void gen_exec(Gen *g, const char *sql);

/* ---- the steps ---- */
void gen_places(Gen *g);      /* gen_places.c: places, accounts, risks */
void gen_people(Gen *g);      /* gen_people.c: people, travels, contacts,
                                 measures, events, assignments */
void gen_observation(Gen *g); /* gen_daily.c: checks and their alerts */
void gen_checkpoints(Gen *g); /* gen_daily.c: passes and pass people */
void gen_ledgers(Gen *g);     /* gen_ledgers.c: disinfection, inspection,
                                 gate visits, supplies */

#endif
