/* normalize.c — cells, dates and words of township spreadsheets (see
 * normalize.h). */
#include "normalize.h"

#include <stdio.h>
#include <string.h>

#include "validate.h"

static int is_blank(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
           c == '\f';
}

char *norm_cell(char *s)
{
    unsigned char *r = (unsigned char *)s, *w = (unsigned char *)s;
    while (*r) {
        if (r[0] == 0xEF && r[1] && r[2]) {
            /* U+F000..U+FFFF: full-width ASCII and the BOM */
            unsigned cp = ((r[0] & 0x0Fu) << 12) | ((r[1] & 0x3Fu) << 6) |
                          (r[2] & 0x3Fu);
            if (cp >= 0xFF01 && cp <= 0xFF5E) {
                *w++ = (unsigned char)(cp - 0xFEE0);
                r += 3;
                continue;
            }
            if (cp == 0xFEFF) {
                r += 3;
                continue;
            }
        } else if (r[0] == 0xE3 && r[1] == 0x80 && r[2] == 0x80) {
            *w++ = ' '; /* U+3000 ideographic space */
            r += 3;
            continue;
        } else if (r[0] == 0xC2 && r[1] == 0xA0) {
            *w++ = ' '; /* U+00A0 no-break space */
            r += 2;
            continue;
        } else if (r[0] == 0xE2 && r[1] == 0x80 &&
                   (r[2] == 0x8B || r[2] == 0x8C || r[2] == 0x8D)) {
            r += 3; /* zero-width space and joiners */
            continue;
        }
        *w++ = *r++;
    }
    *w = '\0';
    while (w > (unsigned char *)s && is_blank(w[-1]))
        *--w = '\0';
    while (is_blank((unsigned char)*s))
        s++;
    if (s[0] == '\'' && (s[1] == '=' || s[1] == '+' || s[1] == '-' ||
                         s[1] == '@'))
        s++;
    return s;
}

/* Read 1..max digits at *p into *v; advances *p.  Returns the count. */
static int digits(const char **p, int max, int *v)
{
    int n = 0;
    *v = 0;
    while (n < max && **p >= '0' && **p <= '9') {
        *v = *v * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    return n;
}

/* A separator between year, month and day: -, /, . or the character
 * sep (年 or 月, in UTF-8).  Advances *p; 0 if none is there. */
static int date_sep(const char **p, const char *word)
{
    if (**p == '-' || **p == '/' || **p == '.') {
        (*p)++;
        return 1;
    }
    size_t n = strlen(word);
    if (strncmp(*p, word, n) == 0) {
        *p += n;
        return 1;
    }
    return 0;
}

/* A time of day after a date: " H:MM" or " H:MM:SS", blanks around. */
static int time_tail(const char *p)
{
    while (*p == ' ' || *p == 'T')
        p++;
    if (!*p)
        return 1;
    int v;
    if (!digits(&p, 2, &v) || *p++ != ':' || digits(&p, 2, &v) != 2)
        return 0;
    if (*p == ':' && (p++, digits(&p, 2, &v) != 2))
        return 0;
    while (*p == ' ')
        p++;
    return *p == '\0';
}

int norm_date(const char *s, char out[11])
{
    out[0] = '\0';
    if (!s)
        return -1;
    const char *p = s;
    int y, m, d, ny;
    ny = digits(&p, 8, &y);
    if (ny == 8) { /* 20200210 */
        d = y % 100;
        m = y / 100 % 100;
        y /= 10000;
    } else {
        if (ny != 4 || !date_sep(&p, "年") || !digits(&p, 2, &m) ||
            !date_sep(&p, "月") || !digits(&p, 2, &d))
            return -1;
        if (strncmp(p, "日", strlen("日")) == 0)
            p += strlen("日");
        else if (strncmp(p, "号", strlen("号")) == 0)
            p += strlen("号");
    }
    if (!time_tail(p))
        return -1;
    char buf[40]; /* y < 10^8, m and d < 100: always fits */
    snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    if (validate_date(buf, "date", NULL, NULL) != 0)
        return -1;
    memcpy(out, buf, 11);
    return 0;
}

/* ascii_ieq compares ignoring ASCII case (locale independent). */
static int ascii_ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        int x = *a >= 'A' && *a <= 'Z' ? *a + 32 : *a;
        int y = *b >= 'A' && *b <= 'Z' ? *b + 32 : *b;
        if (x != y)
            return 0;
    }
    return *a == *b;
}

typedef struct Word {
    const char *word, *code;
} Word;

/* lookup: the code of the first word equal to s, or NULL. */
static const char *lookup(const Word *t, const char *s)
{
    if (!s || !*s)
        return NULL;
    for (; t->word; t++)
        if (ascii_ieq(t->word, s))
            return t->code;
    return NULL;
}

/* label: the first word of a code in the table (the Chinese one). */
static const char *label(const Word *t, const char *code)
{
    if (!code)
        return "";
    for (; t->word; t++)
        if (strcmp(t->code, code) == 0)
            return t->word;
    return "";
}

static const Word transports[] = {
    {"火车", "rail"}, {"高铁", "rail"}, {"动车", "rail"},
    {"rail", "rail"}, {"train", "rail"},
    {"飞机", "air"}, {"航班", "air"}, {"air", "air"}, {"plane", "air"},
    {"flight", "air"},
    {"大巴", "coach"}, {"客车", "coach"}, {"汽车", "coach"},
    {"长途汽车", "coach"}, {"长途客车", "coach"}, {"coach", "coach"},
    {"bus", "coach"},
    {"自驾", "self_drive"}, {"自驾车", "self_drive"},
    {"私家车", "self_drive"}, {"self_drive", "self_drive"},
    {"self-drive", "self_drive"}, {"car", "self_drive"},
    {"其他", "other"}, {"其它", "other"}, {"other", "other"},
    {NULL, NULL},
};

const char *norm_transport(const char *s) { return lookup(transports, s); }
const char *norm_transport_label(const char *code)
{
    return label(transports, code);
}

static const Word sources[] = {
    {"入户排查", "door_to_door"}, {"摸排", "door_to_door"},
    {"入户", "door_to_door"}, {"door_to_door", "door_to_door"},
    {"卡口", "checkpoint"}, {"卡点", "checkpoint"},
    {"checkpoint", "checkpoint"},
    {"自主申报", "self_registration"}, {"自行申报", "self_registration"},
    {"self_registration", "self_registration"},
    {"上级推送", "higher_level"}, {"上级名单", "higher_level"},
    {"上级下发", "higher_level"}, {"higher_level", "higher_level"},
    {NULL, NULL},
};

const char *norm_source(const char *s) { return lookup(sources, s); }
const char *norm_source_label(const char *code)
{
    return label(sources, code);
}

static const Word yes_no[] = {
    {"是", "1"}, {"有", "1"}, {"yes", "1"}, {"y", "1"}, {"true", "1"},
    {"1", "1"},
    {"否", "0"}, {"无", "0"}, {"没有", "0"}, {"no", "0"}, {"n", "0"},
    {"false", "0"}, {"0", "0"},
    {NULL, NULL},
};

int norm_yes_no(const char *s)
{
    if (!s || !*s)
        return 0;
    const char *c = lookup(yes_no, s);
    return c ? c[0] - '0' : -1;
}

int norm_symptoms(const char *s)
{
    static const Word none[] = {{"无", "0"}, {"否", "0"}, {"没有", "0"},
                                {"none", "0"}, {"no", "0"}, {"0", "0"},
                                {"无症状", "0"}, {NULL, NULL}};
    return s && *s && !lookup(none, s);
}

const char *norm_sex(const char *s)
{
    static const Word sexes[] = {{"男", "M"}, {"m", "M"}, {"male", "M"},
                                 {"女", "F"}, {"f", "F"}, {"female", "F"},
                                 {NULL, NULL}};
    return lookup(sexes, s);
}

const char *norm_number(double v, int decimals, char out[32])
{
    snprintf(out, 32, "%.*f", decimals, v);
    char *end = out + strlen(out);
    if (strchr(out, '.')) {
        while (end[-1] == '0')
            *--end = '\0';
        if (end[-1] == '.')
            end[-1] = '\0';
    }
    return out;
}
