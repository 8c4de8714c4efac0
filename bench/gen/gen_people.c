/* gen_people.c — bench-gen's register: the residents (screened in the
 * first three days), the returnees registered day by day along the
 * epidemic's curve with a returned travel each, the cases and their close
 * contacts, and for every returnee and contact a 14-day measure with its
 * events and its medical worker.  Kinds are what the classification gives
 * (docs/DOMAIN: the origin's risk on the day of leaving). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

/* Where returnees come from, per 1000, with the level the risk areas of
 * gen_places.c give them. */
typedef struct Origin {
    const char *code;
    int weight;
    const char *risk;
    char text[64];
} Origin;

static Origin ORIGINS[] = {
    {"420100", 15, "high", ""},   {"420106", 5, "high", ""},
    {"420500", 10, "high", ""},   {"421000", 10, "high", ""},
    {"420600", 10, "high", ""},   {"440300", 60, "medium", ""},
    {"330300", 30, "medium", ""}, {"410100", 40, "medium", ""},
    {"110000", 100, "low", ""},   {"310000", 80, "low", ""},
    {"320500", 70, "low", ""},    {"330100", 60, "low", ""},
    {"440100", 60, "low", ""},    {"120000", 50, "low", ""},
    {"370200", 150, "none", ""},  {"370100", 120, "none", ""},
    {"370600", 60, "none", ""},   {"210200", 30, "none", ""},
    {"130100", 20, "none", ""},   {"510100", 10, "none", ""},
    {"500000", 10, "none", ""}};
enum { NORIGINS = sizeof ORIGINS / sizeof *ORIGINS };

static void load_origins(Gen *g)
{
    sqlite3_stmt *st = gen_prep(g, "SELECT full_name FROM regions"
                                   " WHERE code = ?1");
    for (int i = 0; i < NORIGINS; i++) {
        sqlite3_bind_text(st, 1, ORIGINS[i].code, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_ROW)
            gen_die(g, "a region code of the origins is missing");
        snprintf(ORIGINS[i].text, sizeof ORIGINS[i].text, "%s",
                 (const char *)sqlite3_column_text(st, 0));
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
}

static const Origin *pick_origin(Gen *g)
{
    int r = gen_rn(g, 1000);
    for (int i = 0; i < NORIGINS; i++)
        if ((r -= ORIGINS[i].weight) < 0)
            return &ORIGINS[i];
    return &ORIGINS[NORIGINS - 1];
}

/* The epidemic's curve: returnees a day, relative to the report day. */
static double curve(int age)
{
    double w = 1.0 - age / 50.0;
    return w < 0.05 ? 0.05 : w;
}

typedef struct Stmts {
    sqlite3_stmt *person, *travel, *contact;
} Stmts;

typedef struct PersonRow {
    const char *name, *id_number, *id_flag, *sex, *phone, *address;
    int village, is_case;
    const char *kind, *measure, *screening;
    int period;
    int64_t merged_into;
    char birth[11], created[21];
} PersonRow;

static int64_t insert_person(Gen *g, Stmts *s, const PersonRow *p)
{
    int64_t grid = g->grid[p->village * GRIDS_PER_VILLAGE +
                           gen_rn(g, GRIDS_PER_VILLAGE)];
    int64_t id = gen_run(
        g, s->person, "ttttttiitittiItt", p->name, p->id_number, p->id_flag,
        p->sex, p->birth[0] ? p->birth : NULL, p->phone,
        g->village[p->village], grid, p->address, (int64_t)p->is_case,
        p->kind, p->measure, (int64_t)p->period, p->merged_into,
        p->screening, p->created);
    long i = g->npeople++;
    g->person_id[i] = id;
    g->person_village[i] = p->village;
    snprintf(g->person_idno[i], 19, "%s", p->id_number ? p->id_number : "");
    return id;
}

/* Name, ID number, sex, birth date, phone and address of a new person. */
static void identity(Gen *g, PersonRow *p, int village, int with_id,
                     char name[64], char idno[19], char phone[12],
                     char address[128])
{
    int male = gen_rn(g, 2), birth;
    gen_name(g, male, name, 64);
    p->name = name;
    p->village = village;
    p->id_number = NULL;
    p->id_flag = "missing";
    p->sex = male ? "M" : "F";
    p->birth[0] = '\0';
    if (with_id) {
        gen_id_number(g, male, &birth, idno);
        gen_day(birth, p->birth);
        p->id_number = idno;
        p->id_flag = NULL;
    }
    p->phone = NULL;
    if (gen_pct(g, 9000)) {
        gen_phone(g, phone);
        p->phone = phone;
    }
    snprintf(address, 128, "%s%d排%d号", g->village_name[village],
             1 + gen_rn(g, 20), 1 + gen_rn(g, 40));
    p->address = address;
}

static GenMeasure *add_measure(Gen *g)
{
    if (g->nm == g->mcap) {
        g->mcap = g->mcap ? g->mcap * 2 : 1024;
        g->m = realloc(g->m, (size_t)g->mcap * sizeof *g->m);
        if (!g->m)
            gen_die(g, "out of memory for measures");
    }
    GenMeasure *m = &g->m[g->nm++];
    memset(m, 0, sizeof *m);
    return m;
}

/* How a 14-day measure from basis stands on the report day: released
 * on its due day (a few a day late), still active when due on the report
 * day or later, a few ended early. */
static void measure_fate(Gen *g, GenMeasure *m)
{
    int last = m->basis + MEASURE_DAYS - 1, d = g->report_day;
    if (gen_pct(g, 100)) {
        int end = m->basis + 1 + gen_rn(g, 10);
        if (end <= d)
            m->end = end, m->ended = 1;
        return;
    }
    int due = last + 1 + (gen_pct(g, 1000) ? 1 : 0);
    if (due < d || (due == d && gen_rn(g, 2)))
        m->end = due;
}

/* Residents, the cases among them and their close contacts. */
static void residents(Gen *g, Stmts *s, long n)
{
    long ncases = n / 10000 < 2 ? 2 : n / 10000;
    unsigned char *role = calloc((size_t)n, 1); /* 1 case 2 contact 3 merged */
    int *village = malloc((size_t)n * sizeof(int));
    long *by_village = malloc((size_t)n * sizeof(long));
    size_t nv = g->nvillages > 0 ? (size_t)g->nvillages : 1;
    long *start = calloc(nv + 1, sizeof(long));
    if (!role || !village || !by_village || !start)
        gen_die(g, "out of memory for residents");
    for (long i = 0; i < n; i++) {
        village[i] = gen_rn(g, g->nvillages);
        start[village[i] + 1]++;
        if (i > 0 && gen_pct(g, 5) && role[i - 1] != 3)
            role[i] = 3;
    }
    for (int v = 0; v < g->nvillages; v++)
        start[v + 1] += start[v];
    long *fill = calloc(nv, sizeof(long));
    for (long i = 0; i < n; i++)
        by_village[start[village[i]] + fill[village[i]]++] = i;
    free(fill);
    /* each case exposed 10-39 neighbours of the village */
    typedef struct Exposure {
        long person, source;
        int day, case_day;
    } Exposure;
    Exposure *ex = malloc((size_t)ncases * 40 * sizeof *ex);
    long nex = 0;
    for (long c = 0; c < ncases; c++) {
        long who;
        do
            who = gen_rn(g, (int)n);
        while (role[who]);
        role[who] = 1;
        int case_day = c == 0 ? g->report_day - 3
                              : g->report_day - 1 - gen_rn(g, g->days - 3);
        int v = village[who], k = 10 + gen_rn(g, 30);
        long size = start[v + 1] - start[v];
        for (int j = 0; j < k && size > 1; j++) {
            long p = by_village[start[v] + gen_rn(g, (int)size)];
            if (role[p])
                continue;
            role[p] = 2;
            ex[nex++] = (Exposure){p, who, case_day - gen_rn(g, 3), case_day};
        }
    }
    /* the rows, in register order */
    int64_t *ids = malloc((size_t)n * sizeof *ids);
    if (!ids || !ex)
        gen_die(g, "out of memory for residents");
    for (long i = 0; i < n; i++) {
        PersonRow p = {0};
        char name[64], idno[19], phone[12], address[128];
        identity(g, &p, village[i], role[i] != 3 && gen_pct(g, 9950), name,
                 idno, phone, address);
        p.is_case = role[i] == 1;
        p.kind = role[i] == 2 ? "close_contact" : NULL;
        p.measure = role[i] == 2 ? "home_isolation" : "none";
        p.period = role[i] == 2 ? MEASURE_DAYS : 0;
        p.screening = "confirmed";
        p.merged_into = role[i] == 3 ? ids[i - 1] : 0;
        gen_ts(g->first_day + gen_rn(g, 3), 9 + gen_rn(g, 9), gen_rn(g, 60),
               gen_rn(g, 60), p.created);
        ids[i] = insert_person(g, s, &p);
        /* a few expect someone back after the report day */
        if (role[i] == 0 && gen_pct(g, 50)) {
            const Origin *o = pick_origin(g);
            char back[11];
            gen_day(g->report_day + 1 + gen_rn(g, 10), back);
            gen_run(g, s->travel, "ittttttttttt", ids[i], o->code, o->text,
                    NULL, back, "rail", "", "春节返乡探亲", "door_to_door",
                    "expected", o->risk, p.created);
            g->n_travels++;
        }
    }
    static const char *const rel[] = {"family", "family", "colleague",
                                      "co_passenger", "other"};
    static const char *const setting[] = {"同住", "同住", "同一车间",
                                          "同乘客车", "聚餐"};
    for (long e = 0; e < nex; e++) {
        char day[11], ts[21];
        int r = gen_rn(g, 5);
        gen_day(ex[e].day, day);
        gen_ts(ex[e].case_day + 1, 10, gen_rn(g, 60), 0, ts);
        gen_run(g, s->contact, "iitttt", ids[ex[e].person], ids[ex[e].source],
                day, rel[r], setting[r], ts);
        g->n_contacts++;
        GenMeasure *m = add_measure(g);
        m->person_id = ids[ex[e].person];
        m->village = village[ex[e].person];
        m->basis = ex[e].day;
        m->slots = 2;
        m->contact = 1;
        measure_fate(g, m);
    }
    g->n_cases = ncases;
    free(role), free(village), free(by_village), free(start), free(ex);
    free(ids);
}

/* The returnees of one day: registered door to door, handed over at a
 * checkpoint (screening pending) or passed on by the upper level. */
static void returnees_of_day(Gen *g, Stmts *s, int day, long n)
{
    static const char *const transports[] = {"rail", "rail", "rail", "rail",
                                             "coach", "coach", "self_drive",
                                             "self_drive", "self_drive",
                                             "air"};
    static const char *const reasons[] = {"春节返乡探亲", "春节返乡探亲",
                                          "寒假返乡", "务工返乡", "探亲"};
    for (long i = 0; i < n; i++) {
        PersonRow p = {0};
        char name[64], idno[19], phone[12], address[128], left[11], back[11],
            tno[24] = "";
        int v = gen_rn(g, g->nvillages);
        identity(g, &p, v, gen_pct(g, 9900), name, idno, phone, address);
        const Origin *o = pick_origin(g);
        int src = gen_rn(g, 100);
        const char *source = src < 10 ? "checkpoint"
                             : src < 15 ? "higher_level" : "door_to_door";
        int contact = gen_pct(g, 50);
        int high = !strcmp(o->risk, "high");
        /* the strongest policy wins: a contact with a case outranks a
         * medium or low risk (home isolation) */
        p.kind = contact && !high                ? "close_contact"
                 : high                          ? "returnee_high"
                 : !strcmp(o->risk, "medium")    ? "returnee_medium"
                 : !strcmp(o->risk, "low")       ? "returnee_low"
                                                 : NULL;
        p.measure = !p.kind ? "none"
                    : !strcmp(p.kind, "returnee_high") ||
                              !strcmp(p.kind, "close_contact")
                        ? "home_isolation"
                        : "home_monitoring";
        p.period = !p.kind ? 0 : !strcmp(p.kind, "returnee_low") ? 7 : 14;
        p.screening = !strcmp(source, "checkpoint") ? "pending" : "confirmed";
        int hour = 8 + gen_rn(g, 12), minute = gen_rn(g, 60);
        gen_ts(day, hour, minute, gen_rn(g, 60), p.created);
        int64_t id = insert_person(g, s, &p);
        const char *tr = transports[gen_rn(g, 10)];
        if (!strcmp(tr, "rail"))
            snprintf(tno, sizeof tno, "%c%d", gen_rn(g, 2) ? 'G' : 'K',
                     100 + gen_rn(g, 9000));
        else if (!strcmp(tr, "air"))
            snprintf(tno, sizeof tno, "SC%04d", gen_rn(g, 10000));
        else if (!strcmp(tr, "self_drive"))
            gen_plate(g, tno);
        int undated = gen_pct(g, 100);
        gen_day(day - gen_rn(g, 3), left);
        gen_day(day, back);
        gen_run(g, s->travel, "ittttttttttt", id, o->code, o->text,
                undated ? NULL : left, undated ? NULL : back, tr, tno,
                reasons[gen_rn(g, 5)], source, "returned", o->risk, p.created);
        if (contact)
            gen_exec(g, "UPDATE travels SET contact_with_case = 1"
                        " WHERE id = last_insert_rowid()");
        g->n_travels++;
        g->n_returnees++;
        GenMeasure *m = add_measure(g);
        m->person_id = id;
        m->village = v;
        m->basis = day;
        m->slots = gen_pct(g, 1000) ? 1 : 2;
        measure_fate(g, m);
        if (!strcmp(source, "checkpoint")) {
            if (g->nho == g->hocap) {
                g->hocap = g->hocap ? g->hocap * 2 : 256;
                g->ho = realloc(g->ho, (size_t)g->hocap * sizeof *g->ho);
                if (!g->ho)
                    gen_die(g, "out of memory for hand-overs");
            }
            g->ho[g->nho++] = (GenHandover){id, v, day, hour, minute,
                                            strdup(name),
                                            p.id_number ? strdup(idno) : NULL,
                                            p.phone ? strdup(phone) : NULL,
                                            o->text};
        }
    }
}

static int by_basis(const void *a, const void *b)
{
    const GenMeasure *x = a, *y = b;
    if (x->basis != y->basis)
        return x->basis < y->basis ? -1 : 1;
    return x->person_id < y->person_id ? -1 : x->person_id > y->person_id;
}

/* The measures' rows, by day 1: the measure, its events, its medical
 * worker. */
static void measures(Gen *g)
{
    qsort(g->m, (size_t)g->nm, sizeof *g->m, by_basis);
    sqlite3_stmt *ins = gen_prep(
        g, "INSERT INTO measures (person_id, type, basis, basis_date,"
           " period_days, slots_per_day, status, door_notice,"
           " door_notice_date, end_date, end_reason, created_by, created_at)"
           " VALUES (?1, ?2, ?3, ?4, 14, ?5, ?6, 1, ?4, ?7, ?8, ?9, ?10)");
    sqlite3_stmt *ev = gen_prep(
        g, "INSERT INTO measure_events (measure_id, at, actor, action,"
           " detail, reason) VALUES (?1, ?2, 'admin', ?3, ?4, ?5)");
    sqlite3_stmt *as = gen_prep(
        g, "INSERT INTO assignments (person_id, role, account_id,"
           " assigned_at) VALUES (?1, 'medical', ?2, ?3)");
    sqlite3_stmt *kind = gen_prep(g, "SELECT kind FROM people WHERE id = ?1");
    for (long i = 0; i < g->nm; i++) {
        GenMeasure *m = &g->m[i];
        int contact = m->contact;
        char basis[11], end[11] = "", last[11], created[21], at[21],
            detail[160];
        gen_day(m->basis, basis);
        gen_day(m->basis + MEASURE_DAYS - 1, last);
        /* a returnee's measure starts when registered; a contact's the
         * day after the case was found */
        gen_ts(m->basis + (contact ? 2 : 0), contact ? 11 : 21,
               gen_rn(g, 60), gen_rn(g, 60), created);
        if (m->basis + (contact ? 2 : 0) > g->report_day)
            gen_ts(g->report_day, 7, 0, 0, created);
        sqlite3_bind_int64(kind, 1, m->person_id);
        if (sqlite3_step(kind) != SQLITE_ROW)
            gen_die(g, "a measure's person is missing");
        const char *k = (const char *)sqlite3_column_text(kind, 0);
        const char *type = k && (!strcmp(k, "returnee_high") ||
                                 !strcmp(k, "close_contact"))
                               ? "home_isolation"
                               : "home_monitoring";
        const char *status = m->end ? (m->ended ? "ended" : "released")
                                    : "active";
        if (m->end)
            gen_day(m->end, end);
        m->id = gen_run(g, ins, "itttitttit", m->person_id, type,
                        contact ? "last_exposure" : "start", basis,
                        (int64_t)m->slots, status, m->end ? end : NULL,
                        m->ended ? "转入集中隔离" : NULL, g->admin_id,
                        created);
        sqlite3_reset(kind);
        snprintf(detail, sizeof detail, "%s, 14 days from %s %s (last day %s)",
                 type, contact ? "last_exposure" : "start", basis, last);
        gen_run(g, ev, "itttt", m->id, created, "start", detail, "");
        if (m->end) {
            gen_ts(m->end, 9, gen_rn(g, 60), 0, at);
            snprintf(detail, sizeof detail, "%s on day %d (due %s)", end,
                     m->end - m->basis + 1, end);
            gen_run(g, ev, "itttt", m->id, at, m->ended ? "end" : "release",
                    detail, m->ended ? "转入集中隔离" : "");
            g->n_events++;
        }
        g->n_events++;
        gen_run(g, as, "iit", m->person_id,
                g->medical[m->village / GROUP_VILLAGES], created);
        g->n_assign++;
        if (m->basis <= g->report_day &&
            m->basis + MEASURE_DAYS - 1 >= g->report_day &&
            (!m->end || m->end >= g->report_day))
            g->n_current++;
    }
    sqlite3_finalize(ins), sqlite3_finalize(ev), sqlite3_finalize(as);
    sqlite3_finalize(kind);
}

void gen_people(Gen *g)
{
    load_origins(g);
    /* returnees a day along the curve, so that about a tenth of the
     * people are under observation on the report day */
    double recent = 0, all = 0;
    for (int age = 0; age < g->days; age++) {
        all += curve(age);
        if (age < MEASURE_DAYS)
            recent += curve(age);
    }
    double per_day = g->people_target / 10.0 / recent;
    long nret = (long)(per_day * all);
    long nres = g->people_target - nret;
    g->person_id = malloc((size_t)g->people_target * 2 * sizeof(int64_t));
    g->person_village = malloc((size_t)g->people_target * 2 * sizeof(int));
    g->person_idno = malloc((size_t)g->people_target * 2 * 19);
    if (!g->person_id || !g->person_village || !g->person_idno)
        gen_die(g, "out of memory for people");
    Stmts s;
    s.person = gen_prep(
        g, "INSERT INTO people (name, id_number, id_flag, sex, birth_date,"
           " phone, village_id, grid_id, address, is_case, kind, measure,"
           " period_days, merged_into, screening, created_at, updated_at)"
           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
           " ?14, ?15, ?16, ?16)");
    s.travel = gen_prep(
        g, "INSERT INTO travels (person_id, origin_code, origin_text,"
           " left_date, return_date, transport, transport_no, reason, source,"
           " status, risk_level, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
           " ?7, ?8, ?9, ?10, ?11, ?12)");
    s.contact = gen_prep(
        g, "INSERT INTO contacts (person_id, source_id, last_exposure,"
           " relationship, setting, created_at) VALUES (?1, ?2, ?3, ?4, ?5,"
           " ?6)");
    residents(g, &s, nres);
    for (int day = g->first_day; day <= g->report_day; day++) {
        double want = per_day * curve(g->report_day - day) *
                      (0.9 + gen_rn(g, 21) / 100.0);
        returnees_of_day(g, &s, day, (long)(want + 0.5));
    }
    sqlite3_finalize(s.person), sqlite3_finalize(s.travel);
    sqlite3_finalize(s.contact);
    measures(g);
}
