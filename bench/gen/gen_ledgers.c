/* gen_ledgers.c — bench-gen's ledgers: daily disinfection of most
 * villages and some points (and the town hall, a place with no village),
 * a full-coverage inspection round every four days (the report day one
 * of them) visiting every point
 * and venue (a few problems found and fixed), the gate logs of the venues,
 * and supplies bought every five days and issued to the villages every ten
 * (a few receipts reversed). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

static void disinfection(Gen *g)
{
    static const char *const agents[] = {"84消毒液", "含氯消毒剂",
                                         "过氧乙酸"};
    sqlite3_stmt *st = gen_prep(
        g, "INSERT INTO disinfections (day, place_id, village_id, place_text,"
           " area, agent, concentration, method, operator, note, actor,"
           " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, '500mg/L', ?7, ?8,"
           " ?9, 'admin', ?10)");
    for (int d = g->first_day; d <= g->report_day; d++) {
        char day[11], at[21], op[96];
        gen_day(d, day);
        gen_ts(d, 17, gen_rn(g, 60), 0, at);
        gen_run(g, st, "tIItdttttt", day, (int64_t)0, (int64_t)0, "镇政府大院",
                2000.0 + gen_rn(g, 500), agents[0], "spray", "镇消杀队",
                "", at);
        g->n_disinf++;
        for (int v = 0; v < g->nvillages; v++) {
            if (!gen_pct(g, 7000))
                continue;
            snprintf(op, sizeof op, "%s消杀队", g->village_name[v]);
            gen_run(g, st, "tIItdttttt", day, g->village[v], g->village[v], "",
                    800.0 + gen_rn(g, 1500), agents[gen_rn(g, 3)],
                    gen_rn(g, 4) ? "spray" : "wipe", op,
                    "街巷、广场、垃圾点全面消杀", at);
            g->n_disinf++;
        }
        for (int p = 0; p < g->npoints; p++) {
            if (!gen_pct(g, 2000))
                continue;
            int v = g->point_village[p];
            snprintf(op, sizeof op, "%s消杀队", g->village_name[v]);
            gen_run(g, st, "tIItdttttt", day, g->point[p], g->village[v], "",
                    50.0 + gen_rn(g, 100), agents[gen_rn(g, 3)], "spray", op,
                    "卡口及周边消杀", at);
            g->n_disinf++;
        }
    }
    sqlite3_finalize(st);
}

/* One visit of a round: all checks passed, or a problem with its fix. */
static void visit(Gen *g, sqlite3_stmt *st, int64_t round, int64_t place,
                  int64_t village, int d)
{
    static const char *const problems[] = {
        "夜间值守人员不足", "未登记车辆牌号和电话", "体温枪电量不足",
        "卡口人员聚集"};
    static const char *const fixes[] = {"补齐值守人员", "完善登记台账",
                                        "更换体温枪电池", "劝散聚集人员"};
    char day[11], at[21], deadline[11], fixed[21], verified[21];
    gen_day(d, day);
    gen_ts(d, 10 + gen_rn(g, 6), gen_rn(g, 60), 0, at);
    int problem = gen_pct(g, 400) ? 1 + gen_rn(g, 4) : 0;
    const char *status = NULL;
    int late = d + 3 < g->report_day;
    if (problem) {
        gen_day(d + 3, deadline);
        int r = gen_rn(g, 10);
        status = r < (late ? 7 : 2) ? "verified" : r < 9 ? "fixed" : "open";
        gen_ts(d + 1, 15, 0, 0, fixed);
        gen_ts(d + 2, 10, 0, 0, verified);
        if (d + 2 > g->report_day)
            status = "open";
    }
    int c[6] = {1, 1, 1, 1, 1, 1};
    if (problem)
        c[problem == 1 ? 0 : problem == 2 ? 2 : problem == 3 ? 4 : 5] = 0;
    gen_run(g, st, "iiitiiiiiittttttt", round, place, village, day,
            (int64_t)c[0], (int64_t)c[1], (int64_t)c[2], (int64_t)c[3],
            (int64_t)c[4], (int64_t)c[5],
            problem ? problems[problem - 1] : "",
            problem ? fixes[problem - 1] : "", problem ? deadline : NULL,
            status,
            status && strcmp(status, "open") ? fixed : NULL,
            status && !strcmp(status, "verified") ? verified : NULL, at);
    g->n_visits++;
}

static void inspections(Gen *g)
{
    sqlite3_stmt *round = gen_prep(
        g, "INSERT INTO inspection_rounds (name, team, day, full_coverage,"
           " actor, created_at) VALUES (?1, '县疫情防控督导组', ?2, 1, 'admin',"
           " ?3)");
    sqlite3_stmt *site = gen_prep(
        g, "INSERT INTO inspection_round_sites (round_id, place_id)"
           " VALUES (?1, ?2)");
    sqlite3_stmt *st = gen_prep(
        g, "INSERT INTO inspection_visits (round_id, place_id, village_id,"
           " day, inspector, staff_on_duty, cover_24h, plates_phones,"
           " temps_taken, thermometer_ok, no_gathering, problems,"
           " required_fix, deadline, status, fixed_at, verified_at, actor,"
           " created_at) VALUES (?1, ?2, ?3, ?4, '督导组', ?5, ?6, ?7, ?8,"
           " ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, 'admin', ?17)");
    int n = 0;
    for (int d = g->first_day + (g->days - 1) % 4; d <= g->report_day;
         d += 4) {
        char name[64], day[11], at[21];
        snprintf(name, sizeof name, "第%d次全覆盖督察", ++n);
        gen_day(d, day);
        gen_ts(d, 8, 0, 0, at);
        int64_t r = gen_run(g, round, "ttt", name, day, at);
        g->n_rounds++;
        for (int p = 0; p < g->npoints; p++) {
            gen_run(g, site, "ii", r, g->point[p]);
            visit(g, st, r, g->point[p], g->village[g->point_village[p]], d);
        }
        for (int s = 0; s < g->nvenues; s++) {
            gen_run(g, site, "ii", r, g->venue[s]);
            visit(g, st, r, g->venue[s], g->village[g->venue_village[s]], d);
        }
    }
    sqlite3_finalize(round), sqlite3_finalize(site), sqlite3_finalize(st);
}

static void gate_visits(Gen *g)
{
    static const char *const reasons[] = {"购物", "购药", "上班", "办事"};
    sqlite3_stmt *st = gen_prep(
        g, "INSERT INTO gate_visits (at, day, place_id, village_id, name,"
           " phone, temperature, reason, came_from, actor, created_at) VALUES"
           " (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'admin', ?1)");
    for (int d = g->first_day; d <= g->report_day; d++) {
        char day[11];
        gen_day(d, day);
        for (int s = 0; s < g->nvenues; s++) {
            int n = 5 + gen_rn(g, 15), v = g->venue_village[s];
            for (int k = 0; k < n; k++) {
                char at[21], name[64], phone[12];
                gen_ts(d, 8 + gen_rn(g, 11), gen_rn(g, 60), gen_rn(g, 60), at);
                gen_name(g, gen_rn(g, 2), name, sizeof name);
                gen_phone(g, phone);
                gen_run(g, st, "ttiittdtt", at, day, g->venue[s],
                        g->village[v], name, phone,
                        36.0 + gen_rn(g, 12) / 10.0, reasons[gen_rn(g, 4)],
                        g->village_name[v]);
                g->n_gate++;
            }
        }
    }
    sqlite3_finalize(st);
}

static void supplies(Gen *g)
{
    static const char *const items[] = {"医用口罩", "消毒液", "体温计",
                                        "防护服"};
    static const double per_village_in[] = {100, 10, 1, 1};
    static const double per_village_out[] = {40, 4, 1, 0};
    static const double price[] = {2.5, 9, 30, 160};
    int64_t id[4];
    sqlite3_stmt *find = gen_prep(g, "SELECT id FROM supply_items"
                                     " WHERE name = ?1");
    for (int i = 0; i < 4; i++) {
        sqlite3_bind_text(find, 1, items[i], -1, SQLITE_STATIC);
        if (sqlite3_step(find) != SQLITE_ROW)
            gen_die(g, "a supply item of fangyi init is missing");
        id[i] = sqlite3_column_int64(find, 0);
        sqlite3_reset(find);
    }
    sqlite3_finalize(find);
    sqlite3_stmt *in = gen_prep(
        g, "INSERT INTO supply_moves (item_id, kind, day, quantity, delta,"
           " source, donor, supplier, cost, actor, created_at) VALUES (?1,"
           " 'receipt', ?2, ?3, ?3, ?4, ?5, ?6, ?7, 'admin', ?8)");
    sqlite3_stmt *out = gen_prep(
        g, "INSERT INTO supply_moves (item_id, kind, day, quantity, delta,"
           " place_delta, place_id, village_id, recipient, actor, created_at)"
           " VALUES (?1, 'issue', ?2, ?3, -?3, ?3, ?4, ?4, ?5, 'admin', ?6)");
    sqlite3_stmt *rev = gen_prep(
        g, "INSERT INTO supply_moves (item_id, kind, day, quantity, delta,"
           " reverses, note, actor, created_at) VALUES (?1, 'reversal', ?2,"
           " ?3, -?3, ?4, '数量录错,冲销', 'admin', ?5)");
    for (int d = g->first_day, k = 0; d <= g->report_day; d++, k++) {
        char day[11], at[21], to[96];
        gen_day(d, day);
        gen_ts(d, 9, 30, 0, at);
        for (int i = 0; k % 5 == 0 && i < 4; i++) {
            double q = per_village_in[i] * g->nvillages;
            int donated = gen_pct(g, 2000);
            int64_t r = gen_run(g, in, "itdtttIt", id[i], day, q,
                                donated ? "donated" : "purchased",
                                donated ? "爱心企业" : "",
                                donated ? "" : "县医药有限公司",
                                donated ? (int64_t)0
                                        : (int64_t)(q * price[i]),
                                at);
            g->n_moves++;
            if (gen_pct(g, 500)) {
                gen_run(g, rev, "itdit", id[i], day, q, r, at);
                gen_run(g, in, "itdtttIt", id[i], day, q, "purchased", "",
                        "县医药有限公司", (int64_t)(q * price[i]), at);
                g->n_moves += 2;
            }
        }
        for (int v = 0; k % 10 == 3 && v < g->nvillages; v++) {
            snprintf(to, sizeof to, "%s村委会", g->village_name[v]);
            for (int i = 0; i < 4; i++) {
                if (per_village_out[i] <= 0)
                    continue;
                gen_run(g, out, "itditt", id[i], day, per_village_out[i],
                        g->village[v], to, at);
                g->n_moves++;
            }
        }
    }
    sqlite3_finalize(in), sqlite3_finalize(out), sqlite3_finalize(rev);
}

void gen_ledgers(Gen *g)
{
    disinfection(g);
    inspections(g);
    gate_visits(g);
    supplies(g);
}
