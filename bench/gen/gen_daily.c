/* gen_daily.c — bench-gen's daily records: the twice-daily checks of
 * every measure on each of its days (a few missed, opening missed-check
 * alerts; a rare fever opening a fever alert; the report day half done),
 * and the passes of the checkpoints with their people (the hand-overs of
 * the returnees registered at a checkpoint among them). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

typedef struct CheckStmts {
    sqlite3_stmt *check, *fever, *missed;
} CheckStmts;

/* One slot of a measure on day d: a check, or a missed-check alert once
 * the deadline has passed (days before the report day). */
static void slot_of_day(Gen *g, CheckStmts *s, const GenMeasure *m, int d,
                        int slot)
{
    static const char *const methods[] = {"visit", "visit", "visit",
                                          "visit", "visit", "visit",
                                          "visit", "phone", "phone",
                                          "video"};
    char day[11], at[21];
    gen_day(d, day);
    int group = m->village / GROUP_VILLAGES;
    int64_t village = g->village[m->village];
    int done = d < g->report_day ? gen_pct(g, 9700)
                                 : gen_pct(g, slot == 1 ? 9000 : 4000);
    if (!done) {
        if (d == g->report_day)
            return;
        if (slot == 1)
            gen_ts(d, 12, gen_rn(g, 5), 0, at);
        else
            gen_ts(d + 1, 0, gen_rn(g, 5), 0, at);
        gen_run(g, s->missed, "iiiitti", village, m->person_id, m->id,
                (int64_t)slot, day, at,
                (int64_t)(d < g->report_day - 2));
        g->n_alerts++;
        return;
    }
    gen_ts(d, slot == 1 ? 7 + gen_rn(g, 4) : 17 + gen_rn(g, 4),
           gen_rn(g, 60), gen_rn(g, 60), at);
    int fever = gen_pct(g, 5);
    double t = fever ? 37.3 + gen_rn(g, 13) / 10.0 : 36.0 + gen_rn(g, 13) / 10.0;
    int64_t check = gen_run(g, s->check, "iititdtit", m->id, m->person_id,
                            day, (int64_t)slot, at, t,
                            methods[gen_rn(g, 10)], g->medical[group],
                            g->medical_name[group]);
    g->n_checks++;
    if (fever) {
        gen_run(g, s->fever, "iiiitidt", village, m->person_id, m->id, check,
                day, (int64_t)slot, t, at);
        g->n_alerts++;
    }
}

void gen_observation(Gen *g)
{
    CheckStmts s;
    s.check = gen_prep(
        g, "INSERT INTO checks (measure_id, person_id, day, slot, at,"
           " temperature, method, checker_id, checker) VALUES (?1, ?2, ?3,"
           " ?4, ?5, ?6, ?7, ?8, ?9)");
    s.fever = gen_prep(
        g, "INSERT INTO alerts (kind, source, village_id, person_id,"
           " measure_id, check_id, day, slot, temperature, opened_at)"
           " VALUES ('fever', 'observation', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    s.missed = gen_prep(
        g, "INSERT INTO alerts (kind, village_id, person_id, measure_id,"
           " slot, day, opened_at, closed) VALUES ('missed', ?1, ?2, ?3, ?4,"
           " ?5, ?6, ?7)");
    long lo = 0;
    for (int d = g->first_day; d <= g->report_day; d++) {
        while (lo < g->nm && g->m[lo].basis + MEASURE_DAYS - 1 < d)
            lo++;
        for (long i = lo; i < g->nm && g->m[i].basis <= d; i++) {
            const GenMeasure *m = &g->m[i];
            if (d > m->basis + MEASURE_DAYS - 1 || (m->end && m->end < d))
                continue;
            /* a measure ended early has its morning check at most on
             * its last day */
            int slots = m->end == d ? (m->ended && m->slots == 2 ? 1 : 0)
                                    : m->slots;
            for (int slot = 1; slot <= slots; slot++)
                slot_of_day(g, &s, m, d, slot);
        }
    }
    sqlite3_finalize(s.check), sqlite3_finalize(s.fever);
    sqlite3_finalize(s.missed);
}

/* ---- checkpoints --------------------------------------------------------- */

typedef struct PassStmts {
    sqlite3_stmt *pass, *person, *fever;
} PassStmts;

typedef struct PassRow {
    int point, day, hour, minute;
    const char *direction, *vehicle;
    int persons;
} PassRow;

static int64_t insert_pass(Gen *g, PassStmts *s, const PassRow *p)
{
    char day[11], at[21], plate[16];
    gen_day(p->day, day);
    gen_ts(p->day, p->hour, p->minute, gen_rn(g, 60), at);
    int v = g->point_village[p->point], group = v / GROUP_VILLAGES;
    int foot = !strcmp(p->vehicle, "on_foot");
    if (!foot)
        gen_plate(g, plate);
    g->n_passes++;
    return gen_run(g, s->pass, "iittittttiit", g->point[p->point],
                   g->village[v], at, day, (int64_t)p->hour, p->direction,
                   foot ? NULL : plate, p->vehicle, g->checker_name[group],
                   g->checker[group], (int64_t)p->persons, at);
}

/* The people of an ordinary pass: locals and visitors, a few turned
 * back, a rare fever sent to the fever clinic with an alert. */
static void pass_people(Gen *g, PassStmts *s, int64_t pass, const PassRow *p)
{
    static const char *const reasons[] = {"本村村民出行", "购买生活物资",
                                          "就医", "务工", "运输物资"};
    static const char *const froms[] = {"", "", "", "本县", "临朐县城",
                                        "潍坊市", "青州市"};
    int turned = gen_pct(g, 500);
    int v = g->point_village[p->point];
    for (int k = 0; k < p->persons; k++) {
        char name[64], phone[12], at[21];
        gen_name(g, gen_rn(g, 2), name, sizeof name);
        const char *idno = NULL;
        int64_t person = 0;
        if (gen_pct(g, 2500) && g->npeople) {
            long j = (long)(gen_rnd(g) % (uint32_t)g->npeople);
            if (g->person_idno[j][0])
                idno = g->person_idno[j], person = g->person_id[j];
        }
        int fever = gen_pct(g, 3);
        double t = fever ? 37.3 + gen_rn(g, 13) / 10.0
                         : 36.0 + gen_rn(g, 12) / 10.0;
        int64_t alert = 0;
        if (fever) {
            gen_ts(p->day, p->hour, p->minute, 30, at);
            alert = gen_run(g, s->fever, "iiItdt", g->village[v],
                            g->point[p->point], person, name, t, at);
            g->n_alerts++;
        }
        int has_phone = gen_pct(g, 5000);
        if (has_phone)
            gen_phone(g, phone);
        gen_run(g, s->person, "ittttIdittII", pass, name, idno,
                has_phone ? phone : NULL, froms[gen_rn(g, 7)],
                gen_pct(g, 5000) ? g->village[v] : 0, t, (int64_t)fever,
                reasons[gen_rn(g, 5)],
                fever ? "fever_clinic" : turned ? "turned_back" : "admitted",
                person, alert);
        g->n_pass_people++;
    }
}

/* A returnee handed over at a point of the village's, the day they came. */
static void hand_over(Gen *g, PassStmts *s, const GenHandover *h)
{
    PassRow p = {h->village % g->npoints, h->day, h->hour, h->minute, "in",
                 "car", 1};
    int64_t pass = insert_pass(g, s, &p);
    gen_run(g, s->person, "ittttIdittII", pass, h->name, h->id_number,
            h->phone, h->origin_text, g->village[h->village], 36.4,
            (int64_t)0, "返乡", "new_returnee", h->person_id, (int64_t)0);
    g->n_pass_people++;
}

void gen_checkpoints(Gen *g)
{
    static const char *const vehicles[] = {
        "car", "car", "car", "car", "car", "car", "car", "car", "car", "car",
        "motorbike", "motorbike", "motorbike", "on_foot", "on_foot",
        "on_foot", "truck", "truck", "bus", "other"};
    PassStmts s;
    s.pass = gen_prep(
        g, "INSERT INTO passes (point_id, village_id, at, day, hour,"
           " direction, plate, vehicle, checker, checker_id, persons,"
           " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
           " ?11, ?12)");
    s.person = gen_prep(
        g, "INSERT INTO pass_people (pass_id, name, id_number, phone,"
           " from_text, to_village_id, temperature, fever, reason, outcome,"
           " person_id, alert_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
           " ?10, ?11, ?12)");
    s.fever = gen_prep(
        g, "INSERT INTO alerts (kind, source, village_id, place_id,"
           " person_id, subject, temperature, symptoms, opened_at) VALUES"
           " ('fever', 'checkpoint', ?1, ?2, ?3, ?4, ?5, 'fever', ?6)");
    double per_day = 97000.0 * g->people_target / 1e6;
    long h = 0;
    for (int d = g->first_day; d <= g->report_day; d++) {
        for (; h < g->nho && g->ho[h].day <= d; h++)
            hand_over(g, &s, &g->ho[h]);
        long n = (long)(per_day * (0.9 + gen_rn(g, 21) / 100.0) + 0.5);
        for (long i = 0; i < n; i++) {
            PassRow p;
            p.point = gen_rn(g, g->npoints);
            p.day = d;
            p.hour = gen_pct(g, 500) ? gen_rn(g, 6) : 6 + gen_rn(g, 18);
            p.minute = gen_rn(g, 60);
            p.direction = gen_rn(g, 2) ? "in" : "out";
            p.vehicle = vehicles[gen_rn(g, 20)];
            p.persons = !strcmp(p.vehicle, "bus")   ? 3 + gen_rn(g, 6)
                        : !strcmp(p.vehicle, "car") ? 1 + gen_rn(g, 3)
                                                    : 1;
            int64_t pass = insert_pass(g, &s, &p);
            pass_people(g, &s, pass, &p);
        }
    }
    sqlite3_finalize(s.pass), sqlite3_finalize(s.person);
    sqlite3_finalize(s.fever);
}
