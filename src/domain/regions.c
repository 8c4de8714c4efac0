/* regions.c — the region table (GB/T 2260) and risk areas (see regions.h).
 *
 * The table is embedded in the binary (data/regions.csv) and copied into
 * each database by regions_ensure.  Resolving what a person wrote
 * ("湖北武汉", "武汉", "４２０１００") needs name forms with their suffixes
 * dropped and paths along the hierarchy, which SQL does badly; so the
 * resolver matches against an index of the embedded table, built once per
 * process, and then reads the chosen region from the database (a region
 * the database lacks is unknown there). */
#include "regions.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/clock.h"
#include "../base/csv.h"
#include "../base/embedded.h"
#include "../base/json.h"
#include "../base/validate.h"
#include "audit.h"
#include "observation.h"
#include "people.h"

/* ---- the embedded table ------------------------------------------------ */

/* The embedded CSV, or NULL if the build lacks it. */
static const EmbeddedFile *region_csv(void)
{
    for (const EmbeddedFile *f = region_data; f->path; f++)
        if (strcmp(f->path, "regions.csv") == 0)
            return f;
    return NULL;
}

/* Walk the embedded CSV and hand each data row (5 fields) to fn.
 * Returns 0, or -1 with err (a broken embedded file or fn's failure). */
static int each_csv_row(int (*fn)(void *ctx, char **f, Err *err), void *ctx,
                        Err *err)
{
    const EmbeddedFile *file = region_csv();
    if (!file)
        return err_set(err, 500, "internal", NULL,
                       "the region table is missing from this build");
    CsvReader *rd;
    if (csv_open_memory((const char *)file->data, file->len, &rd, err))
        return -1;
    char **f;
    int n, rc, line = 0;
    while ((rc = csv_next(rd, &f, &n, err)) == 1) {
        if (line++ == 0)
            continue; /* the header */
        if (n != 5) {
            rc = err_set(err, 500, "internal", NULL,
                         "region table line %d: %d fields", csv_line(rd), n);
            break;
        }
        if (fn(ctx, f, err)) {
            rc = -1;
            break;
        }
    }
    csv_close(rd);
    return rc < 0 ? -1 : 0;
}

static int insert_row(void *ctx, char **f, Err *err)
{
    Db *db = ctx;
    return db_run(db, err,
                  "INSERT INTO regions (code, name, level, parent, full_name)"
                  " VALUES (?1, ?2, ?3, ?4, ?5)",
                  "ttitt", f[0], f[1], (int64_t)atoi(f[2]),
                  f[3][0] ? f[3] : NULL, f[4]);
}

int regions_ensure(Db *db, Err *err)
{
    int64_t n = 0;
    int found;
    if (db_one_int(db, err, &n, &found, "SELECT count(*) FROM regions", ""))
        return -1;
    if (n > 0)
        return 0;
    return each_csv_row(insert_row, db, err);
}

int regions_ensure_tx(Db *db, void *arg, Err *err)
{
    (void)arg;
    return regions_ensure(db, err);
}

/* ---- the resolver's index ---------------------------------------------- */

enum { FORMS = 3 };

typedef struct Entry {
    char code[7];
    int level;
    int placeholder;              /* 市辖区, 县, 省直辖县级行政区划 ... */
    int parent;                   /* index, or -1 */
    char *name, *full_name;
    char *form[FORMS];            /* name, then shorter forms; NULL-ended */
} Entry;

static Entry *idx;
static int nidx, idx_cap;
static pthread_once_t idx_once = PTHREAD_ONCE_INIT;
static int idx_ok;

static const char *const PLACEHOLDERS[] = {
    "市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", 0};

/* Longest first: the first that ends a name is dropped. */
static const char *const SUFFIXES[] = {
    "特别行政区", "自治区", "自治州", "自治县", "自治旗", "林区", "新区",
    "地区",
    "省", "市", "区", "县", "盟", "旗", 0};

/* Peoples named in autonomous regions' names ("恩施土家族苗族自治州"
 * is called 恩施); "各" for "龙胜各族自治县". */
static const char *const PEOPLES[] = {
    "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满",
    "侗", "瑶", "白", "土家", "哈尼", "哈萨克", "傣", "黎", "傈僳", "佤",
    "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇", "柯尔克孜", "土",
    "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌",
    "普米", "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安",
    "裕固", "京", "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺",
    "各", 0};

static void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (!p)
        abort();
    return p;
}

static char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n > m && memcmp(s + n - m, suffix, m) == 0;
}

static int in_list(const char *s, const char *const *list)
{
    for (int i = 0; s && list[i]; i++)
        if (strcmp(s, list[i]) == 0)
            return 1;
    return 0;
}

/* The length in bytes of the UTF-8 character at s (1 for stray bytes). */
static size_t char_len(const char *s)
{
    unsigned char c = (unsigned char)*s;
    return c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

/* An autonomous area's short name: the part before the first people's
 * name that starts at the third character or later, or 0 if none. */
static size_t people_cut(const char *name)
{
    size_t at = 0;
    for (int chars = 0; name[at]; chars++, at += char_len(name + at)) {
        if (chars < 2)
            continue;
        for (int i = 0; PEOPLES[i]; i++)
            if (strncmp(name + at, PEOPLES[i], strlen(PEOPLES[i])) == 0)
                return at;
    }
    return 0;
}

/* The forms a name is written in: itself, without its suffix, and for
 * autonomous areas without the peoples' names. */
static void make_forms(Entry *e)
{
    int n = 0;
    e->form[n++] = e->name;
    for (int i = 0; SUFFIXES[i]; i++) {
        if (!ends_with(e->name, SUFFIXES[i]))
            continue;
        size_t len = strlen(e->name) - strlen(SUFFIXES[i]);
        e->form[n++] = xstrndup(e->name, len);
        if (strncmp(SUFFIXES[i], "自治", 6) == 0) {
            size_t cut = people_cut(e->form[1]);
            if (cut)
                e->form[n++] = xstrndup(e->name, cut);
        }
        break;
    }
    while (n < FORMS)
        e->form[n++] = NULL;
}

static int index_row(void *ctx, char **f, Err *err)
{
    (void)ctx;
    if (strlen(f[0]) != 6)
        return err_set(err, 500, "internal", NULL, "bad region code");
    if (nidx == idx_cap) {
        idx_cap = idx_cap ? idx_cap * 2 : 4096;
        idx = realloc(idx, (size_t)idx_cap * sizeof *idx);
        if (!idx)
            abort();
    }
    Entry *e = &idx[nidx++];
    memset(e, 0, sizeof *e);
    memcpy(e->code, f[0], 7);
    e->level = atoi(f[2]);
    e->name = xstrndup(f[1], strlen(f[1]));
    e->full_name = xstrndup(f[4], strlen(f[4]));
    e->placeholder = in_list(e->name, PLACEHOLDERS);
    e->parent = -1;
    /* the CSV is sorted by code, so a parent comes before its children */
    for (int i = nidx - 2; f[3][0] && i >= 0; i--)
        if (strcmp(idx[i].code, f[3]) == 0) {
            e->parent = i;
            break;
        }
    make_forms(e);
    return 0;
}

/* Built once per process; never freed (it lives as long as the program). */
static void build_index(void)
{
    Err err;
    idx_ok = each_csv_row(index_row, NULL, &err) == 0 && nidx > 0;
}

static int need_index(Err *err)
{
    pthread_once(&idx_once, build_index);
    if (!idx_ok)
        return err_set(err, 500, "internal", NULL,
                       "the embedded region table cannot be read");
    return 0;
}

/* ---- normalising and matching ------------------------------------------ */

enum { TEXT_MAX = 256, MAX_CANDIDATES = 20 };

/* Copy text into out (TEXT_MAX bytes) with full-width ASCII made
 * half-width and every kind of space dropped.  Returns 0, or -1 when the
 * text is too long or not UTF-8. */
static int normalise(const char *text, char out[TEXT_MAX])
{
    size_t n = strlen(text), o = 0;
    if (!validate_utf8(text, n))
        return -1;
    const unsigned char *s = (const unsigned char *)text;
    for (size_t i = 0; i < n;) {
        unsigned c = s[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            i++;
            continue;
        }
        if (c == 0xC2 && s[i + 1] == 0xA0) { /* no-break space */
            i += 2;
            continue;
        }
        if (c == 0xE3 && s[i + 1] == 0x80 && s[i + 2] == 0x80) { /* U+3000 */
            i += 3;
            continue;
        }
        if (c == 0xEF && (s[i + 1] == 0xBC || s[i + 1] == 0xBD)) {
            /* U+FF01..U+FF5E are ASCII 0x21..0x7E shifted */
            unsigned cp = ((c & 0x0F) << 12) | ((s[i + 1] & 0x3Fu) << 6) |
                          (s[i + 2] & 0x3Fu);
            if (cp >= 0xFF01 && cp <= 0xFF5E) {
                if (o + 1 >= TEXT_MAX)
                    return -1;
                out[o++] = (char)(cp - 0xFF01 + 0x21);
                i += 3;
                continue;
            }
        }
        size_t len = char_len((const char *)s + i);
        if (o + len >= TEXT_MAX)
            return -1;
        memcpy(out + o, s + i, len);
        o += len;
        i += len;
    }
    out[o] = 0;
    return 0;
}

static int is_code(const char *s)
{
    for (int i = 0; i < 6; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return s[6] == 0;
}

/* The best reading of t as a path that ends at chain[n - 1]: some of the
 * ancestors' names, in order, then the region's own, each in one of its
 * forms.  Score: components used, then components in their full form;
 * more components is more specific ("湖北武汉" is the city, not the
 * province).  A province's short name alone ("河南", "海南") scores above
 * other short names: that is how provinces are written, while a county
 * called the same (河南蒙古族自治县) is written in full. */
static void match_path(const char *t, Entry *const *chain, int i, int n,
                       int comps, int full, int *best)
{
    if (i < n - 1)
        match_path(t, chain, i + 1, n, comps, full, best);
    for (int k = 0; k < FORMS && chain[i]->form[k]; k++) {
        const char *f = chain[i]->form[k];
        size_t len = strlen(f);
        if (strncmp(t, f, len) != 0)
            continue;
        int c = comps + 1, x = full + (k == 0);
        if (i < n - 1)
            match_path(t + len, chain, i + 1, n, c, x, best);
        else if (t[len] == 0) {
            int s = c * 10 + x + (c == 1 && chain[i]->level == 1 ? 5 : 0);
            if (s > *best)
                *best = s;
        }
    }
}

enum { SCORE_FULL_NAME = 1000, SCORE_NAME = 900 };

/* How well t names entry e (0: not at all).  Placeholder cities answer
 * only to their full name. */
static int score(const char *t, const Entry *e)
{
    if (strcmp(t, e->full_name) == 0)
        return SCORE_FULL_NAME;
    if (e->placeholder)
        return 0;
    if (strcmp(t, e->name) == 0)
        return SCORE_NAME;
    Entry *chain[3];
    int n = 0;
    for (int i = e->parent; i >= 0; i = idx[i].parent)
        if (!idx[i].placeholder && n < 2)
            chain[n++] = &idx[i];
    for (int a = 0, b = n - 1; a < b; a++, b--) {
        Entry *tmp = chain[a];
        chain[a] = chain[b];
        chain[b] = tmp;
    }
    chain[n++] = (Entry *)e;
    int best = 0;
    match_path(t, chain, 0, n, 0, 0, &best);
    return best;
}

/* The entries that t names best, in code order: up to max indexes into
 * out; returns how many matched in all (may exceed max). */
static int candidates(const char *t, int *out, int max)
{
    int best = 0, n = 0;
    for (int i = 0; i < nidx; i++) {
        int s = score(t, &idx[i]);
        if (s == 0 || s < best)
            continue;
        if (s > best) {
            best = s;
            n = 0;
        }
        if (n < max)
            out[n] = i;
        n++;
    }
    return n;
}

static int is_ancestor(int a, int of)
{
    for (int i = idx[of].parent; i >= 0; i = idx[i].parent)
        if (i == a)
            return 1;
    return 0;
}

/* When the equally good matches lie on one line of descent ("恩施": the
 * prefecture 恩施土家族苗族自治州 and its city 恩施市), the most specific
 * one wins: it is inside the others, and its risk level counts theirs.
 * Returns the number of matches left in c. */
static int prefer_specific(int *c, int n)
{
    if (n < 2 || n > 3)
        return n;
    int deep = 0;
    for (int i = 1; i < n; i++)
        if (idx[c[i]].level > idx[c[deep]].level)
            deep = i;
    for (int i = 0; i < n; i++)
        if (i != deep && !is_ancestor(c[i], c[deep]))
            return n;
    c[0] = c[deep];
    return 1;
}

static void region_from_row(DbStmt *st, Region *r)
{
    snprintf(r->code, sizeof r->code, "%s", db_text(st, 0));
    snprintf(r->name, sizeof r->name, "%s", db_text(st, 1));
    snprintf(r->full_name, sizeof r->full_name, "%s", db_text(st, 2));
    r->level = (int)db_int(st, 3);
}

/* The region with this code from the database; *found says whether
 * there was one.  Returns 0 or -1 with err. */
static int region_by_code(Db *db, const char *code, Region *out, int *found,
                          Err *err)
{
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT code, name, full_name, level FROM regions"
                 " WHERE code = ?1",
                 "t", code))
        return -1;
    int rc = db_step(st, err);
    if (rc == DB_ROW)
        region_from_row(st, out);
    db_done(st);
    *found = rc == DB_ROW;
    return rc == DB_ERROR ? -1 : 0;
}

/* Texts resolved before, by their normalised form: the same origins come
 * again and again (an import of a township's list names 武汉 thousands of
 * times), and matching one against the whole table costs more than the
 * rest of a registration.  The table never changes while the program
 * runs, so an answer stays right; a slot is overwritten on a collision. */
enum { RESOLVED_SLOTS = 1024 };
static struct {
    char text[TEXT_MAX];
    char code[7];
} resolved[RESOLVED_SLOTS];
static pthread_mutex_t resolved_mu = PTHREAD_MUTEX_INITIALIZER;

static unsigned text_slot(const char *t)
{
    unsigned h = 2166136261u;
    for (; *t; t++)
        h = (h ^ (unsigned char)*t) * 16777619u;
    return h % RESOLVED_SLOTS;
}

/* The code resolved for t before, into code[7] ("" if none). */
static void resolved_get(const char *t, char code[7])
{
    unsigned k = text_slot(t);
    pthread_mutex_lock(&resolved_mu);
    if (strcmp(resolved[k].text, t) == 0)
        memcpy(code, resolved[k].code, 7);
    else
        code[0] = '\0';
    pthread_mutex_unlock(&resolved_mu);
}

static void resolved_put(const char *t, const char *code)
{
    unsigned k = text_slot(t);
    pthread_mutex_lock(&resolved_mu);
    snprintf(resolved[k].text, sizeof resolved[k].text, "%s", t);
    snprintf(resolved[k].code, sizeof resolved[k].code, "%s", code);
    pthread_mutex_unlock(&resolved_mu);
}

int regions_resolve(Db *db, const char *text, const char *field,
                    Region *out, Err *err)
{
    char t[TEXT_MAX];
    if (text && normalise(text, t))
        return err_set(err, 422, "invalid_field", field, "unknown region");
    if (!text || !t[0])
        return err_set(err, 422, "missing_field", field,
                       "a region is required");
    int found;
    if (is_code(t)) {
        if (region_by_code(db, t, out, &found, err))
            return -1;
        if (!found)
            return err_set(err, 422, "invalid_field", field,
                           "unknown region: no region has code %s", t);
        return 0;
    }
    char known[7];
    resolved_get(t, known);
    if (known[0]) {
        if (region_by_code(db, known, out, &found, err))
            return -1;
        if (found)
            return 0;
    }
    if (need_index(err))
        return -1;
    int c[MAX_CANDIDATES];
    int n = candidates(t, c, MAX_CANDIDATES);
    if (n <= MAX_CANDIDATES)
        n = prefer_specific(c, n);
    if (n == 0)
        return err_set(err, 422, "invalid_field", field, "unknown region");
    if (n > 1)
        return err_set(err, 422, "invalid_field", field,
                       "ambiguous region: %s or %s%s; write the province"
                       " or city too",
                       idx[c[0]].full_name, idx[c[1]].full_name,
                       n > 2 ? " (or others)" : "");
    if (region_by_code(db, idx[c[0]].code, out, &found, err))
        return -1;
    if (!found)
        return err_set(err, 422, "invalid_field", field, "unknown region");
    resolved_put(t, idx[c[0]].code);
    return 0;
}

/* ---- search ------------------------------------------------------------ */

/* Append s to b with LIKE's wildcards escaped by a backslash. */
static void like_escape(Buf *b, const char *s)
{
    for (; *s; s++) {
        if (*s == '%' || *s == '_' || *s == '\\')
            buf_putc(b, '\\');
        buf_putc(b, *s);
    }
}

int regions_search(Db *db, const char *q, int limit,
                   int (*each)(void *ctx, const Region *r), void *ctx,
                   Err *err)
{
    char t[TEXT_MAX];
    if (!q || normalise(q, t) || !t[0] || limit <= 0)
        return 0;
    if (limit > 100)
        limit = 100;
    if (need_index(err))
        return -1;
    /* what the resolver makes of q comes first ("湖北武汉" contains no
     * region's name, yet names 武汉市) */
    int c[MAX_CANDIDATES], sent = 0;
    char first[MAX_CANDIDATES][7];
    int n = is_code(t) ? 0 : candidates(t, c, MAX_CANDIDATES);
    if (n > MAX_CANDIDATES)
        n = MAX_CANDIDATES;
    for (int i = 0; i < n && sent < limit; i++) {
        Region r;
        int found;
        if (region_by_code(db, idx[c[i]].code, &r, &found, err))
            return -1;
        if (!found)
            continue;
        memcpy(first[sent++], r.code, 7);
        if (each(ctx, &r))
            return 0;
    }
    Buf any = BUF_INIT, prefix = BUF_INIT;
    buf_putc(&any, '%');
    like_escape(&any, t);
    buf_putc(&any, '%');
    like_escape(&prefix, t);
    buf_putc(&prefix, '%');
    DbStmt *st;
    int rc = db_query(db, &st, err,
                      "SELECT code, name, full_name, level FROM regions"
                      " WHERE full_name LIKE ?1 ESCAPE '\\'"
                      " OR code LIKE ?2 ESCAPE '\\'"
                      " ORDER BY CASE WHEN name = ?3 THEN 0"
                      " WHEN name LIKE ?2 ESCAPE '\\' THEN 1 ELSE 2 END,"
                      " level, code LIMIT ?4",
                      "ttti", any.p, prefix.p, t, (int64_t)limit + sent);
    buf_free(&any);
    buf_free(&prefix);
    if (rc)
        return -1;
    int left = limit - sent;
    while (left > 0 && (rc = db_step(st, err)) == DB_ROW) {
        Region r;
        region_from_row(st, &r);
        int dup = 0;
        for (int i = 0; i < sent && !dup; i++)
            dup = strcmp(first[i], r.code) == 0;
        if (dup)
            continue;
        left--;
        if (each(ctx, &r))
            break;
    }
    db_done(st);
    return rc == DB_ERROR ? -1 : 0;
}

void regions_code_range(const char *code, char lo[7], char hi[7])
{
    lo[0] = hi[0] = 0;
    if (!code || !is_code(code))
        return;
    /* the significant digits: 2 for a province, 4 for a city, 6 else;
     * hi is them plus one, zero-filled ("4201" -> "420200") */
    int digits = strcmp(code + 2, "0000") == 0 ? 2
                 : strcmp(code + 4, "00") == 0 ? 4
                                               : 6;
    memcpy(lo, code, 7);
    memcpy(hi, code, 7);
    int i = digits - 1;
    while (i >= 0 && hi[i] == '9')
        hi[i--] = '0';
    if (i >= 0)
        hi[i]++;
    else
        memcpy(hi, "99999:", 7); /* no such codes; ':' sorts after '9' */
}

/* ---- risk areas -------------------------------------------------------- */

static const char *const LEVELS[] = {"low", "medium", "high", 0};

static int check_date(const char *s, const char *field, int *ymd, Err *err);

int risk_level_on(Db *db, const char *code, const char *date, char level[8],
                  Err *err)
{
    snprintf(level, 8, "none");
    if (!code || !is_code(code))
        return err_set(err, 422, "invalid_field", "region_code",
                       "a region code has 6 digits");
    if (check_date(date, "date", NULL, err))
        return -1;
    char city[7], province[7];
    snprintf(city, sizeof city, "%.4s00", code);
    snprintf(province, sizeof province, "%.2s0000", code);
    int64_t v = 0;
    int found;
    if (db_one_int(db, err, &v, &found,
                   "SELECT COALESCE(MAX(CASE level WHEN 'high' THEN 3"
                   " WHEN 'medium' THEN 2 ELSE 1 END), 0) FROM risk_areas"
                   " WHERE region_code IN (?1, ?2, ?3) AND start_date <= ?4"
                   " AND (end_date IS NULL OR end_date >= ?4)",
                   "tttt", code, city, province, date))
        return -1;
    if (found && v > 0)
        snprintf(level, 8, "%s", LEVELS[v - 1]);
    return 0;
}

#define RISK_COLS "ra.id, ra.region_code, COALESCE(g.full_name," \
                  " ra.region_code), ra.level, ra.start_date, ra.end_date"
#define RISK_FROM " FROM risk_areas ra LEFT JOIN regions g" \
                  " ON g.code = ra.region_code"

/* Step st and hand each row to each(); returns rows seen or -1. */
static int each_risk(DbStmt *st, int (*each)(void *, const RiskArea *),
                     void *ctx, Err *err)
{
    int rc, n = 0;
    while ((rc = db_step(st, err)) == DB_ROW) {
        RiskArea ra = {db_int(st, 0), db_text(st, 1), db_text(st, 2),
                       db_text(st, 3), db_text(st, 4), db_text(st, 5)};
        n++;
        if (each(ctx, &ra))
            break;
    }
    db_done(st);
    return rc == DB_ERROR ? -1 : n;
}

int risk_areas_list(Db *db, int (*each)(void *ctx, const RiskArea *r),
                    void *ctx, Err *err)
{
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT " RISK_COLS RISK_FROM " ORDER BY ra.id", ""))
        return -1;
    return each_risk(st, each, ctx, err) < 0 ? -1 : 0;
}

int risk_areas_get(Db *db, int64_t id,
                   int (*each)(void *ctx, const RiskArea *r), void *ctx,
                   Err *err)
{
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT " RISK_COLS RISK_FROM " WHERE ra.id = ?1", "i", id))
        return -1;
    int n = each_risk(st, each, ctx, err);
    if (n < 0)
        return -1;
    if (n == 0)
        return err_set(err, 404, "not_found", NULL, "no such risk area");
    return 0;
}

/* The stored facts of a risk area, for updates and the audit digest. */
typedef struct RiskRow {
    char region_code[7], full_name[192], level[8], start_date[11],
        end_date[11];
} RiskRow;

static int copy_row(void *ctx, const RiskArea *ra)
{
    RiskRow *r = ctx;
    snprintf(r->region_code, sizeof r->region_code, "%s", ra->region_code);
    snprintf(r->full_name, sizeof r->full_name, "%s", ra->region_name);
    snprintf(r->level, sizeof r->level, "%s", ra->level);
    snprintf(r->start_date, sizeof r->start_date, "%s", ra->start_date);
    snprintf(r->end_date, sizeof r->end_date, "%s",
             ra->end_date ? ra->end_date : "");
    return 1;
}

static void risk_row_json(const RiskRow *r, Buf *b)
{
    Jw w;
    jw_init(&w, b);
    jw_object(&w);
    jw_kstr(&w, "region_code", r->region_code);
    jw_kstr(&w, "level", r->level);
    jw_kstr(&w, "start_date", r->start_date);
    jw_kstr(&w, "end_date", r->end_date[0] ? r->end_date : NULL);
    jw_object_end(&w);
}

/* Who changed the risk area, for the measures that follow it. */
typedef struct RiskFollow {
    Db *db;
    const Actor *a;
} RiskFollow;

/* A person's travel changed level: their measure follows the policy
 * (a region declared high-risk starts the isolation of its returnees). */
static int follow_risk(void *ctx, int64_t person_id,
                       const Classification *cls, Err *err)
{
    RiskFollow *f = ctx;
    return measures_follow_policy(f->db, f->a, person_id, cls, err);
}

/* After a write of risk area id: the travels from its region take the
 * new level (people_refresh_risk), their people's measures follow, and
 * the write is audited; before is the area's JSON before (or NULL). */
static int after_write(Db *db, const Actor *a, const char *action,
                       int64_t id, const char *before, Err *err)
{
    RiskRow r = {0};
    RiskFollow follow = {db, a};
    if (risk_areas_get(db, id, copy_row, &r, err) ||
        people_refresh_risk(db, r.region_code, follow_risk, &follow, err))
        return -1;
    Buf after = BUF_INIT;
    risk_row_json(&r, &after);
    char summary[256];
    snprintf(summary, sizeof summary, "%s %s %s..%s", r.full_name, r.level,
             r.start_date, r.end_date);
    int rc = audit_record(db, a, action, "risk_area", id, summary, before,
                          after.p, err);
    buf_free(&after);
    return rc;
}

/* Risk areas apply to every village: only a town-wide account sets them. */
static int check_town_wide(const Actor *a, Err *err)
{
    if (!a->scope_all)
        return err_set(err, 403, "forbidden", NULL,
                       "only a town-wide account sets risk areas");
    return 0;
}

static int check_level(const char *level, Err *err)
{
    if (!level)
        return err_set(err, 422, "missing_field", "level",
                       "level is required");
    if (!in_list(level, LEVELS))
        return err_set(err, 422, "invalid_field", "level",
                       "level must be low, medium or high");
    return 0;
}

/* validate_date, answering with the API's invalid_field (docs/api.md)
 * rather than validate.h's invalid_date. */
static int check_date(const char *s, const char *field, int *ymd, Err *err)
{
    if (validate_date(s, field, ymd, err) == 0)
        return 0;
    if (strcmp(err->code, "invalid_date") == 0)
        snprintf(err->code, sizeof err->code, "invalid_field");
    return -1;
}

/* end (YYYY-MM-DD) must be a date on or after start. */
static int check_end(const char *end, const char *start, Err *err)
{
    int e, s;
    if (check_date(end, "end_date", &e, err) ||
        check_date(start, "start_date", &s, err))
        return -1;
    if (e < s)
        return err_set(err, 422, "invalid_field", "end_date",
                       "end_date is before start_date");
    return 0;
}

int risk_areas_create(Db *db, const Actor *a, const RiskAreaInput *in,
                      int64_t *id, Err *err)
{
    if (check_town_wide(a, err))
        return -1;
    Region reg;
    if (!in->region_code || !*in->region_code)
        return err_set(err, 422, "missing_field", "region_code",
                       "region_code is required");
    if (regions_resolve(db, in->region_code, "region_code", &reg, err) ||
        check_level(in->level, err) ||
        check_date(in->start_date, "start_date", NULL, err))
        return -1;
    const char *end = in->end_date && *in->end_date ? in->end_date : NULL;
    if (end && check_end(end, in->start_date, err))
        return -1;
    char now[21];
    clock_now_iso(now);
    if (db_insert(db, err, id,
                  "INSERT INTO risk_areas (region_code, level, start_date,"
                  " end_date, created_at) VALUES (?1, ?2, ?3, ?4, ?5)"
                  " RETURNING id",
                  "ttttt", reg.code, in->level, in->start_date, end, now))
        return -1;
    return after_write(db, a, "create", *id, NULL, err);
}

int risk_areas_update(Db *db, const Actor *a, int64_t id,
                      const RiskAreaInput *in, Err *err)
{
    if (check_town_wide(a, err))
        return -1;
    RiskRow r = {0};
    if (risk_areas_get(db, id, copy_row, &r, err))
        return -1;
    if (in->region_code || in->start_date)
        return err_set(err, 422, "invalid_field",
                       in->region_code ? "region_code" : "start_date",
                       "a risk area keeps its region and start date:"
                       " end it and create a new one");
    if (!in->level && !in->end_date)
        return err_set(err, 422, "missing_field", "level",
                       "give level or end_date to change");
    if (in->level && check_level(in->level, err))
        return -1;
    const char *end = r.end_date[0] ? r.end_date : NULL;
    if (in->end_date) {
        end = *in->end_date ? in->end_date : NULL;
        if (end && check_end(end, r.start_date, err))
            return -1;
    }
    Buf before = BUF_INIT;
    risk_row_json(&r, &before);
    int rc = db_run(db, err,
                    "UPDATE risk_areas SET level = ?2, end_date = ?3"
                    " WHERE id = ?1",
                    "itt", id, in->level ? in->level : r.level, end);
    if (!rc)
        rc = after_write(db, a, "update", id, before.p, err);
    buf_free(&before);
    return rc;
}
