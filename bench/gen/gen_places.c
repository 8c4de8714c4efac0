/* gen_places.c — bench-gen's town: villages with three grids each,
 * prevention points and venues spread over them, the staff accounts (a
 * medical worker, a checker and a village leader for each group of ten
 * villages, limited to them, with the admin's password) and the risk
 * areas that classify the returnees' origins. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

/* The demo town's villages (demo/places.csv), used first. */
static const char *const DEMO[] = {
    "山旺", "东旺", "西旺", "南坡", "北岭", "河庄", "柳沟", "杏山",
    "石门", "樱桃峪", "卧龙", "青石", "大营", "小营", "桃园", "松树坪"};
static const char *const FIRST[] = {
    "东", "西", "南", "北", "前", "后", "上", "下", "大", "小", "新", "老",
    "高", "石", "李", "王", "张", "刘", "杨", "柳", "杏", "桃", "梨", "枣",
    "河", "沟", "山", "岭", "林", "泉", "龙", "凤", "马", "牛", "黄", "白",
    "青", "红", "金", "银"};
static const char *const SECOND[] = {
    "庄", "营", "店", "集", "屯", "寨", "坡", "岭", "峪", "洼", "湾", "口",
    "家庄", "家沟", "家洼", "家屯", "家峪", "旺", "园", "坪", "台", "堡",
    "楼", "桥", "湖", "泉", "峰", "庙", "院", "滩", "埠", "圈", "疃",
    "崖", "坞", "塘", "垛", "埠头", "官庄", "王庄", "河", "山", "林",
    "田", "场", "铺", "关", "门", "阳", "阴"};
static const char *const THIRD[] = {"", "一", "二", "三", "四", "五", "六",
                                    "七", "八", "九"};

/* The name of village v; *k walks the generated names, skipping those
 * of the demo town. */
static void village_name(int v, int *k, char *out, size_t n)
{
    int nd = (int)(sizeof DEMO / sizeof *DEMO);
    int nf = (int)(sizeof FIRST / sizeof *FIRST);
    int ns = (int)(sizeof SECOND / sizeof *SECOND);
    if (v < nd) {
        snprintf(out, n, "%s村", DEMO[v]);
        return;
    }
    for (;;) {
        int i = (*k)++, clash = 0;
        snprintf(out, n, "%s%s%s村", FIRST[i % nf], SECOND[i / nf % ns],
                 THIRD[i / (nf * ns) % 10]);
        for (int d = 0; d < nd; d++) {
            char demo[32];
            snprintf(demo, sizeof demo, "%s村", DEMO[d]);
            clash |= !strcmp(out, demo);
        }
        if (!clash)
            return;
    }
}

static void places(Gen *g)
{
    char ts[21], name[96];
    gen_ts(g->first_day, 8, 0, 0, ts);
    sqlite3_stmt *st = gen_prep(
        g, "INSERT INTO places (type, name, village_id, venue_kind,"
           " created_at) VALUES (?1, ?2, ?3, ?4, ?5)");
    g->village = calloc((size_t)g->nvillages, sizeof *g->village);
    g->village_name = calloc((size_t)g->nvillages, sizeof *g->village_name);
    g->grid = calloc((size_t)g->nvillages * GRIDS_PER_VILLAGE,
                     sizeof *g->grid);
    g->point = calloc((size_t)g->npoints, sizeof *g->point);
    g->point_village = calloc((size_t)g->npoints, sizeof(int));
    g->venue = calloc((size_t)g->nvenues + 1, sizeof *g->venue);
    g->venue_village = calloc((size_t)g->nvenues + 1, sizeof(int));
    if (!g->village || !g->village_name || !g->grid || !g->point ||
        !g->point_village || !g->venue || !g->venue_village)
        gen_die(g, "out of memory for places");
    for (int v = 0, k = 0; v < g->nvillages; v++) {
        village_name(v, &k, name, sizeof name);
        g->village_name[v] = strdup(name);
        g->village[v] = gen_run(g, st, "ttItt", "village", name, (int64_t)0,
                                NULL, ts);
        for (int k = 0; k < GRIDS_PER_VILLAGE; k++) {
            snprintf(name, sizeof name, "第%d网格", k + 1);
            g->grid[v * GRIDS_PER_VILLAGE + k] =
                gen_run(g, st, "ttItt", "grid", name, g->village[v], NULL, ts);
        }
    }
    static const char *const dirs[] = {"东", "西", "南", "北"};
    for (int p = 0; p < g->npoints; p++) {
        int v = p % g->nvillages, k = p / g->nvillages;
        if (k < 4)
            snprintf(name, sizeof name, "%s%s口卡口", g->village_name[v],
                     dirs[k]);
        else
            snprintf(name, sizeof name, "%s%d号卡口", g->village_name[v],
                     k + 1);
        g->point_village[p] = v;
        g->point[p] = gen_run(g, st, "ttItt", "point", name, g->village[v],
                              NULL, ts);
    }
    static const char *const kinds[] = {"supermarket", "pharmacy", "factory",
                                        "office"};
    static const char *const kind_names[] = {"超市", "药店", "加工厂",
                                             "村委会大门检测点"};
    for (int s = 0; s < g->nvenues; s++) {
        int v = s * 7 % g->nvillages, k = s % 4;
        snprintf(name, sizeof name, "%s%s%d", g->village_name[v],
                 kind_names[k], s / g->nvillages + 1);
        g->venue_village[s] = v;
        g->venue[s] = gen_run(g, st, "ttItt", "venue", name, g->village[v],
                              kinds[k], ts);
    }
    sqlite3_finalize(st);
}

/* Three accounts a group of ten villages, limited to them. */
static void accounts(Gen *g)
{
    int groups = (g->nvillages + GROUP_VILLAGES - 1) / GROUP_VILLAGES;
    char ts[21], user[32], display[64];
    gen_ts(g->first_day, 8, 0, 0, ts);
    sqlite3_stmt *st = gen_prep(
        g, "INSERT INTO accounts (username, display_name, role,"
           " password_hash, created_at) SELECT ?1, ?2, ?3, password_hash, ?4"
           " FROM accounts WHERE username = 'admin'");
    sqlite3_stmt *scope = gen_prep(
        g, "INSERT INTO account_villages (account_id, village_id)"
           " VALUES (?1, ?2)");
    g->medical = calloc((size_t)groups, sizeof *g->medical);
    g->checker = calloc((size_t)groups, sizeof *g->checker);
    g->medical_name = calloc((size_t)groups, sizeof(char *));
    g->checker_name = calloc((size_t)groups, sizeof(char *));
    if (!g->medical || !g->checker || !g->medical_name || !g->checker_name)
        gen_die(g, "out of memory for accounts");
    static const char *const roles[] = {"medical", "checkpoint",
                                        "village_leader"};
    static const char *const prefix[] = {"med", "chk", "lead"};
    static const char *const title[] = {"医护人员", "卡口值守", "包村领导"};
    for (int k = 0; k < groups; k++) {
        for (int r = 0; r < 3; r++) {
            snprintf(user, sizeof user, "%s%03d", prefix[r], k + 1);
            snprintf(display, sizeof display, "%s%d", title[r], k + 1);
            int64_t id = gen_run(g, st, "tttt", user, display, roles[r], ts);
            if (r == 0)
                g->medical[k] = id, g->medical_name[k] = strdup(display);
            if (r == 1)
                g->checker[k] = id, g->checker_name[k] = strdup(display);
            for (int v = k * GROUP_VILLAGES;
                 v < g->nvillages && v < (k + 1) * GROUP_VILLAGES; v++)
                gen_run(g, scope, "ii", id, g->village[v]);
        }
    }
    sqlite3_finalize(st);
    sqlite3_finalize(scope);
}

static void risk_areas(Gen *g)
{
    gen_exec(g,
             "INSERT INTO risk_areas (region_code, level, start_date,"
             " end_date, created_at) VALUES"
             " ('420000', 'high', '2019-12-01', NULL, '2019-12-01T00:00:00Z'),"
             " ('440300', 'medium', '2019-12-01', NULL, '2019-12-01T00:00:00Z'),"
             " ('330300', 'medium', '2019-12-01', NULL, '2019-12-01T00:00:00Z'),"
             " ('410100', 'medium', '2019-12-01', NULL, '2019-12-01T00:00:00Z'),"
             " ('110000', 'low', '2019-12-01', NULL, '2019-12-01T00:00:00Z'),"
             " ('310000', 'low', '2019-12-01', NULL, '2019-12-01T00:00:00Z'),"
             " ('320000', 'low', '2019-12-01', NULL, '2019-12-01T00:00:00Z'),"
             " ('330000', 'low', '2019-12-01', NULL, '2019-12-01T00:00:00Z'),"
             " ('440000', 'low', '2019-12-01', NULL, '2019-12-01T00:00:00Z'),"
             " ('120000', 'low', '2019-12-01', NULL, '2019-12-01T00:00:00Z')");
}

void gen_places(Gen *g)
{
    sqlite3_stmt *st = gen_prep(g, "SELECT id FROM accounts"
                                   " WHERE username = 'admin'");
    if (sqlite3_step(st) != SQLITE_ROW)
        gen_die(g, "no admin account: run fangyi init first");
    g->admin_id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    places(g);
    accounts(g);
    risk_areas(g);
}
