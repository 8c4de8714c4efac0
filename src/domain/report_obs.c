/* report_obs.c — the daily report's observation and close-contact
 * figures (docs/report.md): three index range reads, joined in C.
 *
 *   - the people who count as close contacts on the day (a few: those
 *     exposed by then, or classified close_contact and registered by the
 *     end of the day), counted per village and kept, sorted, for the pass;
 *   - the check slots filled on the day, by measure (checks_by_day_measure),
 *     looked up through a hash table;
 *   - the measures covering the day: day 1 at most 59 days before it
 *     (the longest measure is 60 days; measures_by_basis), the day not
 *     after their last one, not ended before it: the read is bounded by
 *     the measures started in 60 days, however long the history.
 *
 * The measures are then sorted by person, so a person with two measures
 * touching the day (one released on it, the next started) counts once,
 * by their first measure, as the report always counted. */
#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/clock.h"
#include "observation.h"
#include "observation_internal.h"
#include "report_internal.h"

/* The longest measure: period_days BETWEEN 1 AND 60 in the measures
 * table (003_observation.sql). */
enum { LONGEST_MEASURE = 60 };

typedef struct Covering {
    int64_t village, person, measure;
    int slots, ends_today;
} Covering;

typedef struct Filled {
    int64_t measure;
    int mask; /* bit 0 the morning slot, bit 1 the evening */
} Filled;

/* The filled slots by measure id: open addressing, at most half full. */
typedef struct FillTable {
    Filled *t;
    size_t mask;
} FillTable;

static size_t fill_home(const FillTable *f, int64_t measure)
{
    return (size_t)(((uint64_t)measure * 0x9E3779B97F4A7C15ull) >> 32) &
           f->mask;
}

static void fill_table(FillTable *f, const Filled *v, size_t n)
{
    size_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    f->t = calloc(cap, sizeof *f->t);
    f->mask = cap - 1;
    if (!f->t)
        abort(); /* out of memory: see buf.h */
    for (size_t i = 0; i < n; i++) {
        size_t h = fill_home(f, v[i].measure);
        while (f->t[h].measure)
            h = (h + 1) & f->mask;
        f->t[h] = v[i];
    }
}

static int fill_mask(const FillTable *f, int64_t measure)
{
    for (size_t h = fill_home(f, measure); f->t[h].measure;
         h = (h + 1) & f->mask)
        if (f->t[h].measure == measure)
            return f->t[h].mask;
    return 0;
}

static int cmp_covering(const void *a, const void *b)
{
    const Covering *x = a, *y = b;
    if (x->person != y->person)
        return x->person < y->person ? -1 : 1;
    return (x->measure > y->measure) - (x->measure < y->measure);
}

static int cmp_id(const void *k, const void *e)
{
    int64_t a = *(const int64_t *)k, b = *(const int64_t *)e;
    return (a > b) - (a < b);
}

/* A person counts as a close contact on the day: exposed to someone (a
 * contacts row) on or before the day, or classified close_contact and
 * registered by the end of the day.  The total counts those not merged
 * away; ids gets all of them, sorted. */
static int contacts(Db *db, ReportCtx *c, const char *day, const char *to,
                    Buf *ids, Err *err)
{
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT p.id, p.village_id,"
                 " CASE WHEN p.merged_into IS NULL THEN 1 ELSE 0 END"
                 " FROM people p WHERE p.id IN ("
                 "  SELECT person_id FROM contacts WHERE last_exposure <= ?1"
                 "  UNION SELECT id FROM people"
                 "  WHERE kind = 'close_contact' AND created_at < ?2)"
                 " ORDER BY p.id",
                 "tt", day, to))
        return -1;
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        int64_t id = db_int(st, 0);
        buf_append(ids, &id, sizeof id);
        ReportCounts *k = report_counts_of(c, db_int(st, 1));
        if (k && db_int(st, 2))
            k->contacts_total++;
    }
    db_done(st);
    return rc == DB_ERROR ? -1 : 0;
}

/* The slots filled on the day, one entry per measure. */
static int filled(Db *db, const char *day, Buf *out, Err *err)
{
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT measure_id, slot FROM checks WHERE day = ?1"
                 " ORDER BY measure_id",
                 "t", day))
        return -1;
    int rc;
    Filled *last = NULL;
    while ((rc = db_step(st, err)) == DB_ROW) {
        int64_t m = db_int(st, 0);
        int bit = db_int(st, 1) == 2 ? 2 : 1;
        if (last && last->measure == m) {
            last->mask |= bit;
            continue;
        }
        Filled f = {m, bit};
        buf_append(out, &f, sizeof f);
        last = (Filled *)(out->p + out->len) - 1;
    }
    db_done(st);
    return rc == DB_ERROR ? -1 : 0;
}

static int cmp_day(const void *k, const void *e)
{
    return strcmp((const char *)k, (const char *)e);
}

/* The measures covering the day in the scope: day 1 in the window of the
 * longest measure up to the day (an index range), the day not after
 * their last one (day n of period_days: n found in the window, no date
 * arithmetic per row), not ended before it. */
static int covering(Db *db, ReportCtx *c, const char *day, Buf *out,
                    Err *err)
{
    char window[LONGEST_MEASURE][11]; /* day 1 .. the day, oldest first */
    for (int i = 0; i < LONGEST_MEASURE; i++)
        if (day_add(day, i - (LONGEST_MEASURE - 1), window[i]))
            return err_set(err, 422, "invalid_date", "date",
                           "date must be a real day, YYYY-MM-DD");
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT p.village_id, m.person_id, m.id, m.slots_per_day,"
                 " CASE WHEN m.end_date IS NOT NULL AND m.end_date <= ?1"
                 "  THEN 1 ELSE 0 END, m.basis_date, m.period_days"
                 " FROM measures m JOIN people p ON p.id = m.person_id"
                 " WHERE m.basis_date >= ?2 AND m.basis_date <= ?1"
                 " AND (m.end_date IS NULL OR m.end_date >= ?1)",
                 "tt", day, window[0]))
        return -1;
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        int64_t village = db_int(st, 0);
        const char *basis = db_text(st, 5);
        const char(*at)[11] =
            basis ? bsearch(basis, window, LONGEST_MEASURE, sizeof window[0],
                            cmp_day)
                  : NULL;
        /* the day is day n of the measure; past its last day it is
         * release due, not observed */
        int n = at ? LONGEST_MEASURE - (int)(at - window) : 0;
        if (!n || n > db_int(st, 6) || !report_counts_of(c, village))
            continue;
        Covering m = {village, db_int(st, 1), db_int(st, 2),
                      (int)db_int(st, 3), (int)db_int(st, 4)};
        buf_append(out, &m, sizeof m);
    }
    db_done(st);
    return rc == DB_ERROR ? -1 : 0;
}

int report_observation(Db *db, ReportCtx *c, const char *day,
                       const char *to, Err *err)
{
    Buf ids = BUF_INIT, fill = BUF_INIT, rows = BUF_INIT;
    int rc = -1;
    if (contacts(db, c, day, to, &ids, err) || filled(db, day, &fill, err) ||
        covering(db, c, day, &rows, err))
        goto out;
    /* a slot's state depends only on the day, the slot, whether it was
     * filled and the time of asking */
    time_t now = clock_now();
    int state[2][2];
    for (int s = 0; s < 2; s++)
        for (int done = 0; done < 2; done++)
            state[s][done] = obs_slot_state(day, s + 1, done, now);
    size_t n = rows.len / sizeof(Covering);
    size_t nids = ids.len / sizeof(int64_t);
    Covering *m = (Covering *)rows.p;
    FillTable ft;
    fill_table(&ft, (const Filled *)fill.p, fill.len / sizeof(Filled));
    if (n)
        qsort(m, n, sizeof *m, cmp_covering);
    int64_t last_person = 0;
    for (size_t i = 0; i < n; i++) {
        ReportCounts *k = report_counts_of(c, m[i].village);
        int mask = fill_mask(&ft, m[i].measure);
        for (int s = 0; s < m[i].slots && s < 2; s++) {
            int done = (mask >> s) & 1;
            /* a measure that ends on the day owes only the checks made */
            if (m[i].ends_today && !done)
                continue;
            k->checks_due++;
            k->checks_done += state[s][done] == 1;
            k->checks_missed += state[s][done] == 2;
        }
        if (m[i].person == last_person)
            continue;
        last_person = m[i].person;
        k->obs_current++;
        k->visited += (mask & 3) != 0;
        k->contacts_observed +=
            nids && bsearch(&m[i].person, ids.p, nids, sizeof(int64_t),
                            cmp_id) != NULL;
    }
    free(ft.t);
    rc = 0;
out:
    buf_free(&ids);
    buf_free(&fill);
    buf_free(&rows);
    return rc;
}
