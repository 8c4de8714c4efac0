/* demo_cmd.c — fangyi demo DB: a new database holding the demo town.
 *
 * 山旺镇 as the source article (../shared/seed/) describes it on
 * 2020-02-10: 16 administrative villages and 57 prevention points
 * (demo/places.csv, compiled in), 421 returnees of whom 8 from Wuhan, all
 * under home isolation with normal temperatures, more than 300,000 m²
 * disinfected, 16 full-coverage inspection rounds and the supplies bought
 * (3,000 masks, 300 kg disinfectant, 110 thermometers, 10 suits), with an
 * account of each role.
 *
 * Everything is written through the domain functions, so every rule and
 * the audit log apply, in one transaction.  The clock is held at each
 * moment of the story in turn (clock_set_fixed), from 2020-01-24 to
 * 2020-02-10 09:00 in the town, so records carry the day they happened
 * and the day-dependent rules (no check for a day to come, a pass within
 * the last 7 days) hold.  The data comes from a fixed-seed generator: the
 * same town every time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../base/clock.h"
#include "../base/csv.h"
#include "../base/embedded.h"
#include "../base/secret.h"
#include "../base/validate.h"
#include "../db/migrate.h"
#include "../db/writer.h"
#include "../domain/accounts.h"
#include "../domain/checkpoints.h"
#include "../domain/ledger.h"
#include "../domain/observation.h"
#include "../domain/people.h"
#include "../domain/places_import.h"
#include "../domain/regions.h"
#include "../domain/town.h"
#include "cli.h"

#define DEMO_TOWN "山旺镇"
#define DEMO_TZ "Asia/Shanghai"
#define DEMO_SEED 20200210u

enum {
    NVILLAGES = 16,
    NRETURNEES = 421,
    NWUHAN = 8,
    MAX_SITES = 256,
    NDOCTORS = 4,
    NROUNDS = 16
};

/* The story's days: 2020-01-24 (set-up) to 2020-02-10 (today). */
static const char *const FIRST_DAY = "2020-01-24";
static const char *const SCREEN_DAY = "2020-01-28"; /* carpet screening */
static const char *const TODAY = "2020-02-10";

static const char *const VILLAGES[NVILLAGES] = {
    "山旺村", "东旺村", "西旺村", "南坡村", "北岭村", "河庄村",
    "柳沟村", "杏山村", "石门村", "樱桃峪村", "卧龙村", "青石村",
    "大营村", "小营村", "桃园村", "松树坪村"};

/* ---- the generator: xorshift64*, fixed seed -------------------------- */

static uint64_t rng_state;

static uint32_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 2685821657736338717ull) >> 32);
}

/* 0 .. n-1 */
static int rn(int n)
{
    return (int)(rnd() % (uint32_t)n);
}

#define PICK(arr) (arr[rn((int)(sizeof arr / sizeof *arr))])

static const char *const SURNAMES[] = {
    "王", "王", "王", "李", "李", "张", "张", "刘", "刘", "陈", "杨", "赵",
    "孙", "马", "高", "于", "徐", "郭", "田", "魏", "冯", "崔", "秦", "曹",
    "宋", "袁", "韩", "尹", "窦", "朱", "邱", "谭", "傅", "丁", "吕", "窦"};
static const char *const MALE_NAMES[] = {
    "建国", "志强", "永刚", "海涛", "立新", "国庆", "俊杰", "明", "伟",
    "磊", "强", "军", "涛", "鹏", "浩然", "子豪", "宇航", "家乐", "文博",
    "晓东", "玉春", "德胜", "庆华", "春雷", "振华", "保国", "瑞", "凯",
    "帅", "旭", "成龙", "洪亮", "光明", "金山", "树林", "学军"};
static const char *const FEMALE_NAMES[] = {
    "秀英", "桂兰", "玉梅", "丽娟", "春燕", "晓丽", "静", "敏", "丽", "娜",
    "婷", "雪", "欣怡", "雨涵", "梦瑶", "佳琪", "秀芳", "淑珍", "红霞",
    "海燕", "艳", "芳", "倩", "慧", "晶晶", "文静", "思雨", "金凤", "玉兰",
    "美玲"};

/* Where the returnees worked or studied (codes of data/regions.csv). */
static const char *const ORIGINS[] = {
    "370200", "370200", "370200", "370100", "370100", "110000", "110000",
    "310000", "310000", "440300", "440100", "330100", "320500", "320100",
    "120000", "370600", "370600", "330300", "210200", "130100"};
static const char *const REASONS[] = {
    "春节返乡探亲", "春节返乡探亲", "寒假返乡", "务工返乡", "探亲",
    "学校放假"};
static const char *const PHONE_PREFIXES[] = {
    "138", "139", "158", "159", "186", "187", "135", "137", "152",
    "153", "182", "188", "155", "156", "185", "133"};
static const char PLATE_CHARS[] = "ABCDEFGHJKLMNPQRSTUVWXYZ";

/* An 18-character ID number of 临朐县 (GB 11643: the check character
 * from the weighted sum). */
static void make_id(char out[19], int y, int m, int d, int seq)
{
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8,
                              4, 2};
    static const char check[] = "10X98765432";
    snprintf(out, 19, "370724%04d%02d%02d%03d", y, m, d, seq);
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (out[i] - '0') * w[i];
    out[17] = check[sum % 11];
    out[18] = '\0';
}

/* ---- the town as it is built ------------------------------------------ */

typedef struct Site {
    int64_t id, village_id;
    int point;
} Site;

typedef struct Returnee {
    int village;                 /* index into VILLAGES */
    char return_day[11], left_day[11], reg_day[11];
    int basis_departure;         /* else the day of registration */
    int wuhan;
    int64_t person_id, measure_id;
} Returnee;

typedef struct Demo {
    const char *hash;            /* the staff password's hash */
    Actor sys;
    int64_t village[NVILLAGES];
    int64_t grid[NVILLAGES][3];
    Site sites[MAX_SITES];
    int nsites, npoints;
    int64_t leader, assigned, cadre, volunteer, inspector;
    int64_t doctor[NDOCTORS];
    Actor doctor_actor[NDOCTORS];
    Actor checker_actor[2];      /* villages 1-8 and 9-16 */
    Actor inspector_actor;
    Returnee people[NRETURNEES];
    long checks, passes, visits, disinfections;
    double area;
} Demo;

/* Hold the clock at local time hh:mm of day (the town is UTC+8). */
static void at(const char *day, int hh, int mm)
{
    struct tm tm = {0};
    sscanf(day, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    tm.tm_hour = hh;
    tm.tm_min = mm;
    clock_set_fixed(timegm(&tm) - 8 * 3600);
}

/* Name an error with the step it happened in. */
static int step_fail(Err *err, const char *what)
{
    char msg[sizeof err->message + sizeof err->field + 128];
    snprintf(msg, sizeof msg, "%s: %s%s%s", what, err->message,
             *err->field ? " — " : "", err->field);
    size_t n = strlen(msg);
    if (n >= sizeof err->message)
        n = sizeof err->message - 1;
    memcpy(err->message, msg, n);
    err->message[n] = '\0';
    utf8_trim_tail(err->message);
    return -1;
}

static int collect_site(void *ctx, const Place *p)
{
    Demo *d = ctx;
    if (d->nsites < MAX_SITES) {
        Site *s = &d->sites[d->nsites++];
        s->id = p->id;
        s->village_id = p->village_id;
        s->point = strcmp(p->type, "point") == 0;
        d->npoints += s->point;
    }
    return 0;
}

static int demo_places(Db *db, Demo *d, Err *err)
{
    const EmbeddedFile *f = demo_data;
    while (f->path && strcmp(f->path, "places.csv") != 0)
        f++;
    if (!f->path)
        return err_set(err, 500, "internal", NULL,
                       "demo/places.csv is not compiled in");
    CsvReader *csv;
    if (csv_open_memory((const char *)f->data, f->len, &csv, err))
        return step_fail(err, "places");
    PlacesImport im = {.csv = csv, .actor = &d->sys};
    int rc = places_import(db, &im, err);
    buf_free(&im.report);
    csv_close(csv);
    if (rc)
        return step_fail(err, "places");
    for (int v = 0; v < NVILLAGES; v++) {
        if (places_find(db, "village", 0, VILLAGES[v], &d->village[v], err))
            return -1;
        for (int g = 0; g < 3; g++) {
            char name[32];
            snprintf(name, sizeof name, "第%d网格", g + 1);
            if (places_find(db, "grid", d->village[v], name, &d->grid[v][g],
                            err))
                return -1;
        }
        if (!d->village[v])
            return err_set(err, 500, "internal", NULL,
                           "places: no village %s", VILLAGES[v]);
    }
    PlaceFilter pf = {.type = "point", .active = 1, .limit = MAX_SITES};
    if (places_list(db, &d->sys, &pf, collect_site, d, err))
        return -1;
    pf.type = "venue";
    return places_list(db, &d->sys, &pf, collect_site, d, err);
}

/* The Actor of an account made here (its role and villages), for the
 * records the account's holder makes in the story. */
static void make_actor(Actor *a, Demo *d, int64_t id, const char *username,
                       const char *display, const char *role, int nvill,
                       const int *vill)
{
    memset(a, 0, sizeof *a);
    a->id = id;
    snprintf(a->username, sizeof a->username, "%s", username);
    snprintf(a->display_name, sizeof a->display_name, "%s", display);
    a->role = roles_find(role);
    a->scope_all = nvill == 0;
    a->nvillages = nvill;
    for (int i = 0; i < nvill; i++)
        a->villages[i] = d->village[vill[i]];
}

static int add_account(Db *db, Demo *d, const char *username,
                       const char *display, const char *role, int nvill,
                       const int *vill, int64_t *id, Err *err)
{
    AccountInput in = {.username = username, .display_name = display,
                       .password_hash = d->hash, .role = role,
                       .set_villages = 1, .nvillages = nvill};
    for (int i = 0; i < nvill; i++)
        in.villages[i] = d->village[vill[i]];
    if (accounts_create(db, &d->sys, &in, id, err))
        return step_fail(err, username);
    return 0;
}

static int demo_accounts(Db *db, Demo *d, Err *err)
{
    static const int dongwang[] = {1}, two[] = {1, 2};
    static const char *const doctors[NDOCTORS] = {"刘医生", "孙医生",
                                                  "高医生", "于医生"};
    int64_t id;
    if (add_account(db, d, "leader_shanwang", "包村领导 王立新",
                    "village_leader", 0, NULL, &d->leader, err) ||
        add_account(db, d, "assigned_1", "包村干部 李文博", "assigned_cadre",
                    2, two, &d->assigned, err) ||
        add_account(db, d, "cadre_dongwang", "东旺村 张建国 (网格员)",
                    "village_cadre", 1, dongwang, &d->cadre, err) ||
        add_account(db, d, "volunteer_1", "党员志愿者 赵春燕", "volunteer", 1,
                    dongwang, &d->volunteer, err) ||
        add_account(db, d, "inspector_1", "督导组 徐海涛", "inspector", 0,
                    NULL, &d->inspector, err) ||
        (make_actor(&d->inspector_actor, d, d->inspector, "inspector_1",
                    "督导组 徐海涛", "inspector", 0, NULL), 0) ||
        add_account(db, d, "liaison_1", "企业联络员 郭晓东",
                    "enterprise_liaison", 0, NULL, &id, err) ||
        add_account(db, d, "viewer_1", "县疫情防控办 (只读)", "viewer", 0,
                    NULL, &id, err))
        return -1;
    /* a medical worker for each four villages, who measures the
     * temperatures of their returnees */
    for (int k = 0; k < NDOCTORS; k++) {
        int vill[4] = {4 * k, 4 * k + 1, 4 * k + 2, 4 * k + 3};
        char user[32], display[64];
        snprintf(user, sizeof user, "doctor_%d", k + 1);
        snprintf(display, sizeof display, "卫生院 %s", doctors[k]);
        if (add_account(db, d, user, display, "medical", 4, vill,
                        &d->doctor[k], err))
            return -1;
        make_actor(&d->doctor_actor[k], d, d->doctor[k], user, display,
                   "medical", 4, vill);
    }
    /* the checkpoint staff, each for eight villages' points */
    static const char *const checkers[2] = {"马振华", "韩春雷"};
    for (int k = 0; k < 2; k++) {
        int vill[8];
        for (int i = 0; i < 8; i++)
            vill[i] = 8 * k + i;
        char user[32], display[64];
        snprintf(user, sizeof user, "checker_%d", k + 1);
        snprintf(display, sizeof display, "卡口值守 %s", checkers[k]);
        if (add_account(db, d, user, display, "checkpoint", 8, vill, &id,
                        err))
            return -1;
        make_actor(&d->checker_actor[k], d, id, user, display, "checkpoint",
                   8, vill);
    }
    return 0;
}

static int demo_risk_areas(Db *db, Demo *d, Err *err)
{
    int64_t id;
    RiskAreaInput hubei = {"420000", "high", "2020-01-20", NULL};
    RiskAreaInput wenzhou = {"330300", "medium", "2020-01-24", NULL};
    if (risk_areas_create(db, &d->sys, &hubei, &id, err) ||
        risk_areas_create(db, &d->sys, &wenzhou, &id, err))
        return step_fail(err, "risk areas");
    return 0;
}

/* Plan the returnees: village, the day they came back and the day they
 * were registered (the carpet screening of 01-28 to 01-30 for those back
 * before it, else the day they came). */
static void plan_returnees(Demo *d)
{
    int wuhan = 0;
    for (int i = 0; i < NRETURNEES; i++) {
        Returnee *p = &d->people[i];
        p->village = rn(NVILLAGES);
        p->wuhan = i % 52 == 7 && wuhan < NWUHAN;
        wuhan += p->wuhan;
        int r = rn(100), off;   /* days after 2020-01-01 */
        if (p->wuhan)
            off = 19 + rn(3);              /* 01-20 .. 01-22 */
        else if (r < 55)
            off = 14 + rn(10);             /* 01-15 .. 01-24 */
        else if (r < 75)
            off = 24 + rn(4);              /* 01-25 .. 01-28 */
        else
            off = 28 + rn(12);             /* 01-29 .. 02-09 */
        day_add("2020-01-01", off, p->return_day);
        if (strcmp(p->return_day, SCREEN_DAY) < 0) {
            day_add(SCREEN_DAY, i % 3, p->reg_day);
            /* from Wuhan they came the day they left */
            day_add(p->return_day, p->wuhan ? 0 : -rn(2), p->left_day);
            p->basis_departure = 0;
        } else {
            memcpy(p->reg_day, p->return_day, 11);
            memcpy(p->left_day, p->return_day, 11);
            p->basis_departure = 1;
        }
    }
}

static int register_one(Db *db, Demo *d, int i, Err *err)
{
    Returnee *p = &d->people[i];
    int v = p->village;
    int male = rn(2);
    int y = 1950 + rn(52), m = 1 + rn(12), dd = 1 + rn(28);
    char name[64], id_number[19], phone[16], address[128], transport_no[32];
    snprintf(name, sizeof name, "%s%s", PICK(SURNAMES),
             male ? PICK(MALE_NAMES) : PICK(FEMALE_NAMES));
    make_id(id_number, y, m, dd, (i % 500) * 2 + male);
    snprintf(phone, sizeof phone, "%s%04d%04d", PICK(PHONE_PREFIXES),
             rn(10000), (i * 7919 + 1234) % 10000);
    snprintf(address, sizeof address, "%s%d排%d号", VILLAGES[v], 1 + rn(12),
             1 + rn(30));
    static const char *const transports[] = {"rail", "rail", "coach",
                                             "self_drive", "self_drive",
                                             "air"};
    const char *transport = PICK(transports);
    if (!strcmp(transport, "rail"))
        snprintf(transport_no, sizeof transport_no, "%c%d",
                 rn(2) ? 'G' : 'K', 100 + rn(9000));
    else if (!strcmp(transport, "air"))
        snprintf(transport_no, sizeof transport_no, "SC%04d", rn(10000));
    else if (!strcmp(transport, "self_drive"))
        snprintf(transport_no, sizeof transport_no, "鲁G%c%04d",
                 PLATE_CHARS[rn((int)sizeof PLATE_CHARS - 1)], rn(10000));
    else
        transport_no[0] = '\0';
    PersonInput in = {.name = name, .id_number = id_number, .phone = phone,
                      .village_id = d->village[v],
                      .grid_id = d->grid[v][rn(3)], .address = address,
                      .is_case = 0};
    TravelInput tr = {.origin = p->wuhan ? "420100" : PICK(ORIGINS),
                      .left_date = p->left_day, .return_date = p->return_day,
                      .transport = transport, .transport_no = transport_no,
                      .reason = PICK(REASONS), .source = "door_to_door",
                      .status = "returned"};
    int created;
    Classification cls;
    if (people_register(db, &d->sys, &in, &tr, &p->person_id, &created, &cls,
                        err))
        return step_fail(err, "returnee");
    if (!created)
        return err_set(err, 500, "internal", NULL,
                       "returnee %d: ID number generated twice", i);
    /* the town's rule: everyone back from outside stays home 14 days */
    MeasureInput mi = {.type = "home_isolation",
                       .basis = p->basis_departure ? "departure" : "start",
                       .basis_date = p->basis_departure ? p->left_day
                                                        : p->reg_day,
                       .period_days = 14, .slots_per_day = 2};
    if (measures_start(db, &d->sys, p->person_id, &mi, &p->measure_id, err))
        return step_fail(err, "measure");
    /* 三包一挂 */
    if (chain_assign(db, &d->sys, p->person_id, "medical",
                     d->doctor[v / 4], err) ||
        chain_assign(db, &d->sys, p->person_id, "town_leader", d->leader,
                     err) ||
        (v == 1 || v == 2
             ? chain_assign(db, &d->sys, p->person_id, "assigned_cadre",
                            d->assigned, err)
             : 0) ||
        (v == 1 ? chain_assign(db, &d->sys, p->person_id, "village_cadre",
                               d->cadre, err) ||
                      chain_assign(db, &d->sys, p->person_id, "volunteer",
                                   d->volunteer, err)
                : 0))
        return step_fail(err, "chain");
    return 0;
}

/* Every returnee registered by day takes the slot's check. */
static int checks_of_day(Db *db, Demo *d, const char *day, int slot,
                         Err *err)
{
    static const char *const methods[] = {"visit", "visit", "visit",
                                          "phone"};
    for (int i = 0; i < NRETURNEES; i++) {
        Returnee *p = &d->people[i];
        if (!p->measure_id || strcmp(p->reg_day, day) > 0)
            continue;
        CheckInput in = {.day = day, .slot = slot,
                         .temperature = 36.0 + rn(13) / 10.0,
                         .has_temperature = 1, .method = PICK(methods)};
        int64_t check, alert;
        if (checks_record(db, &d->doctor_actor[p->village / 4],
                          p->measure_id, &in, &check, &alert, err))
            return step_fail(err, "check");
        if (alert)
            return err_set(err, 500, "internal", NULL,
                           "a demo check opened an alert");
        d->checks++;
    }
    return 0;
}

static int passes_of_hour(Db *db, Demo *d, const char *day, int hour,
                          Err *err)
{
    static const char *const vehicles[] = {"car", "car", "car", "truck",
                                           "motorbike", "on_foot", "bus"};
    for (int s = 0; s < d->nsites; s++) {
        if (!d->sites[s].point || rn(100) >= 30)
            continue;
        at(day, hour, rn(60));
        PassInput in = {.point_id = d->sites[s].id,
                        .direction = rn(3) ? "in" : "out",
                        .vehicle = PICK(vehicles)};
        char plate[16] = "";
        if (strcmp(in.vehicle, "on_foot") != 0) {
            snprintf(plate, sizeof plate, "鲁G%c%04d",
                     PLATE_CHARS[rn((int)sizeof PLATE_CHARS - 1)],
                     rn(10000));
            in.plate = plate;
        }
        int turned = rn(100) < 6;
        in.npersons = !strcmp(in.vehicle, "bus") ? 3 + rn(6)
                      : !strcmp(in.vehicle, "car") ? 1 + rn(3) : 1;
        char names[PASS_MAX_PERSONS][64];
        for (int k = 0; k < in.npersons; k++) {
            int male = rn(2);
            snprintf(names[k], sizeof names[k], "%s%s", PICK(SURNAMES),
                     male ? PICK(MALE_NAMES) : PICK(FEMALE_NAMES));
            PassPersonInput *pp = &in.persons[k];
            pp->name = names[k];
            pp->temperature = 36.0 + rn(11) / 10.0;
            pp->has_temperature = 1;
            pp->outcome = turned ? "turned_back" : "admitted";
            pp->reason = turned ? "外来人员无事由,劝返" : "本村村民出行";
            if (turned)
                pp->from = "外县";
        }
        int64_t id;
        int replayed;
        int v = 0;
        while (v < NVILLAGES && d->village[v] != d->sites[s].village_id)
            v++;
        if (passes_record(db, &d->checker_actor[v < 8 ? 0 : 1], &in, &id,
                          &replayed, err))
            return step_fail(err, "checkpoint pass");
        d->passes++;
    }
    return 0;
}

static int disinfection_of_day(Db *db, Demo *d, const char *day, Err *err)
{
    static const char *const agents[] = {"84消毒液", "含氯消毒剂",
                                         "过氧乙酸"};
    for (int v = 0; v < NVILLAGES; v++) {
        char op[64];
        snprintf(op, sizeof op, "%s消杀队", VILLAGES[v]);
        DisinfectionInput in = {.day = day, .place_id = d->village[v],
                                .area = 1150 + rn(300), .has_area = 1,
                                .agent = PICK(agents),
                                .concentration = "500mg/L",
                                .method = rn(4) ? "spray" : "wipe",
                                .operator_name = op,
                                .note = "街巷、广场、垃圾点全面消杀"};
        int64_t id;
        if (disinfection_record(db, &d->sys, &in, &id, err))
            return step_fail(err, "disinfection");
        d->disinfections++;
        d->area += in.area;
    }
    return 0;
}

static int inspection_of_day(Db *db, Demo *d, const char *day, int n,
                             Err *err)
{
    char name[64];
    snprintf(name, sizeof name, "第%d次全覆盖督察", n);
    RoundInput r = {.name = name, .team = "镇疫情防控督导组", .day = day,
                    .full_coverage = 1};
    int64_t round;
    if (inspection_round_create(db, &d->inspector_actor, &r, &round, err))
        return step_fail(err, "inspection round");
    for (int s = 0; s < d->nsites; s++) {
        VisitInput v = {.round_id = round, .place_id = d->sites[s].id,
                        .day = day, .inspector = "inspector_1"};
        for (int k = 0; k < INSPECTION_CHECKS; k++)
            v.checks[k] = 1;
        int64_t id;
        if (inspection_visit_create(db, &d->inspector_actor, &v, &id, err))
            return step_fail(err, "inspection visit");
        d->visits++;
    }
    return 0;
}

/* What the town bought, and what it handed out to the villages. */
typedef struct Purchase {
    const char *day, *item;
    double quantity, cost;
    const char *supplier;
} Purchase;

static const Purchase PURCHASES[] = {
    {"2020-01-24", "医用口罩", 1000, 2500, "临朐县医药有限公司"},
    {"2020-01-25", "消毒液", 100, 900, "潍坊市消毒用品厂"},
    {"2020-01-25", "体温计", 60, 1800, "临朐县医药有限公司"},
    {"2020-01-26", "防护服", 10, 1600, "潍坊市医疗器械公司"},
    {"2020-01-31", "医用口罩", 2000, 5000, "潍坊市医疗器械公司"},
    {"2020-01-31", "消毒液", 200, 1800, "潍坊市消毒用品厂"},
    {"2020-02-01", "体温计", 50, 1500, "临朐县医药有限公司"},
};

typedef struct Issue {
    const char *day, *item;
    double per_village;
} Issue;

static const Issue ISSUES[] = {
    {"2020-01-25", "医用口罩", 50},  {"2020-01-26", "消毒液", 5},
    {"2020-01-26", "体温计", 3},     {"2020-02-01", "医用口罩", 60},
    {"2020-02-02", "消毒液", 8},     {"2020-02-02", "体温计", 2},
};

static int supplies_of_day(Db *db, Demo *d, const char *day, Err *err)
{
    for (size_t i = 0; i < sizeof PURCHASES / sizeof *PURCHASES; i++) {
        const Purchase *p = &PURCHASES[i];
        if (strcmp(p->day, day) != 0)
            continue;
        SupplyMoveInput in = {.kind = "receipt", .quantity = p->quantity,
                              .day = day, .source = "purchased",
                              .supplier = p->supplier, .cost = p->cost,
                              .has_cost = 1, .note = "防疫专项资金购置"};
        int64_t id;
        if (supplies_find_item(db, p->item, &in.item_id, err) ||
            supplies_record(db, &d->sys, &in, &id, err))
            return step_fail(err, "supplies");
    }
    for (size_t i = 0; i < sizeof ISSUES / sizeof *ISSUES; i++) {
        const Issue *is = &ISSUES[i];
        if (strcmp(is->day, day) != 0)
            continue;
        for (int v = 0; v < NVILLAGES; v++) {
            char recipient[64];
            snprintf(recipient, sizeof recipient, "%s村委会", VILLAGES[v]);
            SupplyMoveInput in = {.kind = "issue",
                                  .quantity = is->per_village, .day = day,
                                  .place_id = d->village[v],
                                  .recipient = recipient};
            int64_t id;
            if (supplies_find_item(db, is->item, &in.item_id, err) ||
                supplies_record(db, &d->sys, &in, &id, err))
                return step_fail(err, "supplies");
        }
    }
    /* two suits for the checkpoint at the town hall's gate */
    if (strcmp(day, "2020-02-03") == 0) {
        SupplyMoveInput in = {.kind = "issue", .quantity = 2, .day = day,
                              .place_id = d->village[0],
                              .recipient = "山旺村村委会"};
        int64_t id;
        if (supplies_find_item(db, "防护服", &in.item_id, err) ||
            supplies_record(db, &d->sys, &in, &id, err))
            return step_fail(err, "supplies");
    }
    return 0;
}

static int demo_fill(Db *db, void *arg, Err *err)
{
    Demo *d = arg;
    at(FIRST_DAY, 8, 0);
    if (demo_places(db, d, err) || demo_accounts(db, d, err) ||
        demo_risk_areas(db, d, err))
        return -1;
    plan_returnees(d);
    char day[11];
    int round = 0;
    memcpy(day, FIRST_DAY, 11);
    for (;;) {
        int today = strcmp(day, TODAY) == 0;
        /* 07:00 the new returnees are registered and isolated */
        at(day, 7, 0);
        for (int i = 0; i < NRETURNEES; i++)
            if (strcmp(d->people[i].reg_day, day) == 0 &&
                register_one(db, d, i, err))
                return -1;
        /* 08:30 the morning round of temperatures */
        at(day, 8, 30);
        if (checks_of_day(db, d, day, 1, err) ||
            supplies_of_day(db, d, day, err))
            return -1;
        if (today)
            break;
        /* 09:00 - 17:00 the checkpoints */
        for (int h = 9; h < 17; h++)
            if (passes_of_hour(db, d, day, h, err))
                return -1;
        /* 17:00 disinfection; 17:30 the inspectors' round */
        at(day, 17, 0);
        if (disinfection_of_day(db, d, day, err))
            return -1;
        at(day, 17, 30);
        char first_round[11];
        day_add(TODAY, -NROUNDS, first_round);
        if (strcmp(day, first_round) >= 0 &&
            inspection_of_day(db, d, day, ++round, err))
            return -1;
        /* 18:30 the evening round */
        at(day, 18, 30);
        if (checks_of_day(db, d, day, 2, err))
            return -1;
        day_add(day, 1, day);
    }
    /* today's checkpoints, disinfection and round come later in the day:
     * at 09:00 the 16th full-coverage round was yesterday's */
    at(TODAY, 9, 0);
    return 0;
}

int cmd_demo(const CliArgs *a)
{
    const char *path = a->pos[0];
    if (clock_set_zone(DEMO_TZ))
        return cli_fail("demo: unknown time zone %s", DEMO_TZ);
    Err err;
    int exists = db_exists(path, &err);
    if (exists < 0)
        return cli_fail("demo: %s", err.message);
    if (exists)
        return cli_fail("demo: %s already exists; it was left as it is",
                        path);
    const char *pw = getenv("FANGYI_ADMIN_PASSWORD");
    char generated[13], staff_generated[13];
    if (!pw || !*pw) {
        secret_password(generated);
        pw = generated;
    }
    const char *staff = getenv("FANGYI_PASSWORD");
    if (!staff || !*staff) {
        secret_password(staff_generated);
        staff = staff_generated;
    }
    if (accounts_check_password(pw, "FANGYI_ADMIN_PASSWORD", &err))
        return cli_fail("demo: FANGYI_ADMIN_PASSWORD: %s", err.message);
    if (accounts_check_password(staff, "FANGYI_PASSWORD", &err))
        return cli_fail("demo: FANGYI_PASSWORD: %s", err.message);
    char admin_hash[SECRET_HASH_LEN], staff_hash[SECRET_HASH_LEN];
    if (secret_hash_password(pw, admin_hash) ||
        secret_hash_password(staff, staff_hash))
        return cli_fail("demo: out of memory hashing the password");
    Demo *d = calloc(1, sizeof *d);
    if (!d)
        return cli_fail("demo: out of memory");
    d->hash = staff_hash;
    actor_system(&d->sys, "demo");
    rng_state = DEMO_SEED * 2654435761ull + 1;
    Db *db;
    if (db_open(path, 1, &db, &err)) {
        free(d);
        return cli_fail("demo: %s", err.message);
    }
    /* the town and its admin exist from the first day of the story; the
     * whole town is one transaction */
    at(FIRST_DAY, 8, 0);
    int rc = db_begin(db, &err);
    if (!rc) {
        rc = migrate_apply_here(db, &err) ||
             town_create(db, DEMO_TOWN, DEMO_TZ, admin_hash, &err) ||
             regions_ensure(db, &err) || demo_fill(db, d, &err);
        rc = rc ? (db_rollback(db), -1) : db_commit(db, &err);
    }
    clock_set_fixed(0);
    db_close(db);
    if (rc) {
        db_remove(path);
        free(d);
        return cli_fail("demo: %s", err.message);
    }
    int wuhan = 0;
    for (int i = 0; i < NRETURNEES; i++)
        wuhan += d->people[i].wuhan;
    printf("created %s: the demo town %s as of %s (time zone %s)\n", path,
           DEMO_TOWN, TODAY, DEMO_TZ);
    printf("  %d villages, %d prevention points, %d returnees (%d from"
           " Wuhan) under home isolation, %ld temperature checks,\n"
           "  %ld checkpoint passes, %.0f m² disinfected, %d full-coverage"
           " inspection rounds (%ld visits)\n",
           NVILLAGES, d->npoints, NRETURNEES, wuhan, d->checks, d->passes,
           d->area, NROUNDS, d->visits);
    printf("staff accounts: leader_shanwang assigned_1 cadre_dongwang"
           " volunteer_1 doctor_1..doctor_%d checker_1 checker_2 inspector_1"
           " liaison_1 viewer_1 (fangyi user list)\n", NDOCTORS);
    if (staff == staff_generated)
        printf("staff password (every demo account): %s\n", staff_generated);
    else
        printf("staff password: $FANGYI_PASSWORD\n");
    if (pw == generated)
        printf("admin password: %s\n", generated);
    free(d);
    return 0;
}
