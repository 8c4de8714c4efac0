/* gen_util.c — bench-gen's helpers: the seeded generator, days and UTC
 * timestamps of the town (UTC+8, Asia/Shanghai), valid names, ID numbers
 * (GB 11643, unique), mobile numbers and plates, and statements with
 * bound parameters. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gen.h"

/* xorshift64* */
uint32_t gen_rnd(Gen *g)
{
    g->rng ^= g->rng >> 12;
    g->rng ^= g->rng << 25;
    g->rng ^= g->rng >> 27;
    return (uint32_t)((g->rng * 2685821657736338717ull) >> 32);
}

int gen_rn(Gen *g, int n)
{
    return n <= 1 ? 0 : (int)(gen_rnd(g) % (uint32_t)n);
}

int gen_pct(Gen *g, int pct10000)
{
    return gen_rn(g, 10000) < pct10000;
}

void gen_day(int day, char out[11])
{
    time_t t = (time_t)day * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

void gen_ts(int day, int h, int m, int s, char out[21])
{
    time_t t = (time_t)day * 86400 + h * 3600 + m * 60 + s - 8 * 3600;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int gen_day_number(const char *ymd)
{
    struct tm tm = {0};
    if (sscanf(ymd, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3)
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return (int)(timegm(&tm) / 86400);
}

#define PICK(g, arr) (arr[gen_rn(g, (int)(sizeof arr / sizeof *arr))])

static const char *const SURNAMES[] = {
    "王", "王", "王", "李", "李", "张", "张", "刘", "刘", "陈", "杨", "赵",
    "孙", "马", "高", "于", "徐", "郭", "田", "魏", "冯", "崔", "秦", "曹",
    "宋", "袁", "韩", "尹", "窦", "朱", "邱", "谭", "傅", "丁", "吕", "黄"};
static const char *const MALE[] = {
    "建国", "志强", "永刚", "海涛", "立新", "国庆", "俊杰", "明", "伟",
    "磊", "强", "军", "涛", "鹏", "浩然", "子豪", "宇航", "家乐", "文博",
    "晓东", "玉春", "德胜", "庆华", "春雷", "振华", "保国", "瑞", "凯"};
static const char *const FEMALE[] = {
    "秀英", "桂兰", "玉梅", "丽娟", "春燕", "晓丽", "静", "敏", "丽", "娜",
    "婷", "雪", "欣怡", "雨涵", "梦瑶", "佳琪", "秀芳", "淑珍", "红霞",
    "海燕", "艳", "芳", "倩", "慧", "晶晶", "文静", "思雨", "金凤"};

void gen_name(Gen *g, int male, char *out, size_t n)
{
    snprintf(out, n, "%s%s", PICK(g, SURNAMES),
             male ? PICK(g, MALE) : PICK(g, FEMALE));
}

/* The county codes ID numbers are drawn from (潍坊市's counties). */
static const char *const ID_REGIONS[] = {"370724", "370725", "370781",
                                         "370782", "370783", "370784",
                                         "370785", "370786"};
enum { NREG = 8, BIRTH_DAYS = 80 * 365, SEQS = 500 };

/* Each (region, birth day, sequence pair) is used once: a bitmap of
 * 8 x 29,200 x 500 bits (15 MB).  The sequence's last digit gives the
 * sex (odd: male), so a pair is the two sexes of one sequence. */
static unsigned char *id_used;

void gen_id_number(Gen *g, int male, int *birth_day, char out[19])
{
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8,
                              4, 2};
    const size_t bits = (size_t)NREG * BIRTH_DAYS * SEQS * 2;
    if (!id_used && !(id_used = calloc(bits / 8 + 1, 1)))
        gen_die(g, "out of memory for ID numbers");
    int first = gen_day_number("1940-01-01");
    for (;;) {
        int r = gen_rn(g, NREG), d = gen_rn(g, BIRTH_DAYS), q = gen_rn(g, SEQS);
        size_t bit = (((size_t)r * BIRTH_DAYS + (size_t)d) * SEQS + q) * 2 +
                     (male != 0);
        if (id_used[bit / 8] & (1u << (bit % 8)))
            continue;
        id_used[bit / 8] |= (unsigned char)(1u << (bit % 8));
        char ymd[11];
        gen_day(first + d, ymd);
        *birth_day = first + d;
        snprintf(out, 19, "%s%.4s%.2s%.2s%03d", ID_REGIONS[r], ymd, ymd + 5,
                 ymd + 8, q * 2 + (male != 0));
        int sum = 0;
        for (int i = 0; i < 17; i++)
            sum += (out[i] - '0') * w[i];
        out[17] = "10X98765432"[sum % 11];
        out[18] = '\0';
        return;
    }
}

static const char *const PHONE_PREFIXES[] = {
    "138", "139", "158", "159", "186", "187", "135", "137", "152",
    "153", "182", "188", "155", "156", "185", "133", "177", "199"};

void gen_phone(Gen *g, char out[12])
{
    snprintf(out, 12, "%s%08u", PICK(g, PHONE_PREFIXES),
             gen_rnd(g) % 100000000u);
}

void gen_plate(Gen *g, char out[16])
{
    static const char letters[] = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    static const char *const provinces[] = {"鲁", "鲁", "鲁", "鲁", "京",
                                            "冀", "豫", "苏", "鄂"};
    snprintf(out, 16, "%s%c%c%04d", PICK(g, provinces),
             letters[gen_rn(g, 24)], letters[gen_rn(g, 24)], gen_rn(g, 10000));
}

void gen_die(Gen *g, const char *what)
{
    fprintf(stderr, "bench-gen: %s: %s\n", what,
            g && g->db ? sqlite3_errmsg(g->db) : "");
    exit(1);
}

sqlite3_stmt *gen_prep(Gen *g, const char *sql)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v3(g->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
                           NULL) != SQLITE_OK)
        gen_die(g, sql);
    return st;
}

int64_t gen_run(Gen *g, sqlite3_stmt *st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    for (int i = 1; fmt[i - 1]; i++) {
        switch (fmt[i - 1]) {
        case 'i':
            sqlite3_bind_int64(st, i, va_arg(ap, int64_t));
            break;
        case 'I': {
            int64_t v = va_arg(ap, int64_t);
            if (v)
                sqlite3_bind_int64(st, i, v);
            else
                sqlite3_bind_null(st, i);
            break;
        }
        case 't': {
            const char *s = va_arg(ap, const char *);
            if (s)
                sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
            else
                sqlite3_bind_null(st, i);
            break;
        }
        case 'd':
            sqlite3_bind_double(st, i, va_arg(ap, double));
            break;
        default:
            gen_die(g, "bad bind format");
        }
    }
    va_end(ap);
    if (sqlite3_step(st) != SQLITE_DONE)
        gen_die(g, sqlite3_sql(st));
    sqlite3_reset(st);
    return sqlite3_last_insert_rowid(g->db);
}

void gen_exec(Gen *g, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(g->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "bench-gen: %s: %s\n", sql, msg ? msg : "");
        exit(1);
    }
}
