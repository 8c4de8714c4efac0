/* people_read.c — reading the people register: the filtered list, one
 * person with travels and contacts, and likely duplicates (people.h).
 * Every read is limited to the actor's villages. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "../base/arena.h"
#include "../base/validate.h"
#include "people_internal.h"
#include "regions.h"

/* The columns of a Person, with the latest travel; person_from_row reads
 * them starting at a column offset. */
#define PERSON_COLS                                                          \
    "p.id, p.name, p.id_number, p.id_flag, p.sex, p.birth_date, p.phone,"   \
    " p.village_id, COALESCE(p.grid_id, 0), v.name, g.name, p.address,"     \
    " p.notes, p.is_case, p.kind, p.measure, p.period_days, p.screening,"   \
    " COALESCE(p.merged_into, 0), p.created_at, p.updated_at,"              \
    " t.origin_code, t.origin_text, t.return_date, t.risk_level"
#define PERSON_NCOLS 25
#define PERSON_FROM                                                          \
    " FROM people p JOIN places v ON v.id = p.village_id"                    \
    " LEFT JOIN places g ON g.id = p.grid_id"                                \
    " LEFT JOIN travels t ON t.id = (SELECT max(id) FROM travels"            \
    "  WHERE person_id = p.id)"

static void person_from_row(DbStmt *st, int o, Person *p)
{
    p->id = db_int(st, o + 0);
    p->name = db_text(st, o + 1);
    p->id_number = db_text(st, o + 2);
    p->id_flag = db_text(st, o + 3);
    p->sex = db_text(st, o + 4);
    p->birth_date = db_text(st, o + 5);
    p->phone = db_text(st, o + 6);
    p->village_id = db_int(st, o + 7);
    p->grid_id = db_int(st, o + 8);
    p->village_name = db_text(st, o + 9);
    p->grid_name = db_text(st, o + 10);
    p->address = db_text(st, o + 11);
    p->notes = db_text(st, o + 12);
    p->is_case = (int)db_int(st, o + 13);
    p->kind = db_text(st, o + 14);
    p->measure = db_text(st, o + 15);
    p->period_days = (int)db_int(st, o + 16);
    p->screening = db_text(st, o + 17);
    p->merged_into = db_int(st, o + 18);
    p->created_at = db_text(st, o + 19);
    p->updated_at = db_text(st, o + 20);
    p->origin_code = db_text(st, o + 21);
    p->origin = db_text(st, o + 22);
    p->return_date = db_text(st, o + 23);
    p->risk_level = db_text(st, o + 24);
}

static const char *const RISKS[] = {"none", "low", "medium", "high", NULL};
static const char *const SCREENINGS[] = {"pending", "confirmed", NULL};

static int bad_query(Err *err, const char *field, const char *what)
{
    return err_set(err, 400, "invalid_query", field, "%s must be %s", field,
                   what);
}

int people_check_filter(const PeopleFilter *f, Err *err)
{
    int ymd;
    if (f->kind && !people_in_list(f->kind, PEOPLE_KINDS))
        return bad_query(err, "kind", "a kind of person (returnee_high, ...)");
    if (f->measure && !people_in_list(f->measure, PEOPLE_MEASURES))
        return bad_query(err, "measure", "a measure");
    if (f->risk && !people_in_list(f->risk, RISKS))
        return bad_query(err, "risk", "none, low, medium or high");
    if (f->source && !people_in_list(f->source, PEOPLE_SOURCES))
        return bad_query(err, "source", "a source of records");
    if (f->status && !people_in_list(f->status, PEOPLE_STATUSES))
        return bad_query(err, "status", "returned or expected");
    if (f->screening && !people_in_list(f->screening, SCREENINGS))
        return bad_query(err, "screening", "pending or confirmed");
    if (f->origin) {
        size_t n = strlen(f->origin);
        for (size_t i = 0; i < n; i++)
            if (!isdigit((unsigned char)f->origin[i]))
                n = 0;
        if (n != 6)
            return bad_query(err, "origin", "a 6-digit region code");
    }
    Err tmp;
    if (f->return_from && validate_date(f->return_from, "return_from", &ymd,
                                        &tmp))
        return bad_query(err, "return_from", "a date YYYY-MM-DD");
    if (f->return_to && validate_date(f->return_to, "return_to", &ymd, &tmp))
        return bad_query(err, "return_to", "a date YYYY-MM-DD");
    if (f->q && strlen(f->q) > 64)
        return bad_query(err, "q", "at most 64 characters");
    return 0;
}

/* What a search text is: an ID number, a phone, or the start of a name. */
typedef struct Search {
    char exact_id[19];
    char phone[12];
    char lo[80], hi[84];
} Search;

static void parse_search(const char *q, Search *s)
{
    memset(s, 0, sizeof s[0]);
    if (!q || !*q)
        return;
    IdInfo info;
    Err tmp;
    size_t n = strlen(q);
    if ((n == 18 || n == 15) &&
        validate_id_number(q, "q", 0, &info, &tmp) == 0) {
        snprintf(s->exact_id, sizeof s->exact_id, "%s", info.normalized);
        return;
    }
    if (validate_phone(q, "q", s->phone, &tmp) == 0)
        return;
    s->phone[0] = '\0';
    /* names starting with q: [q, q + U+10FFFF) in byte order */
    snprintf(s->lo, sizeof s->lo, "%s", q);
    snprintf(s->hi, sizeof s->hi, "%s\xf4\x8f\xbf\xbf", q);
}

int people_list(Db *db, const Actor *a, const PeopleFilter *f,
                int (*each)(void *ctx, const Person *p), void *ctx,
                Err *err)
{
    if (people_check_filter(f, err))
        return -1;
    Search s;
    parse_search(f->q, &s);
    char olo[7] = "", ohi[7] = "";
    if (f->origin)
        regions_code_range(f->origin, olo, ohi);

    /* the SQL is put together from fixed pieces; every value is a
     * numbered parameter, so each shape is prepared once and cached */
    /* the page's ids are chosen first, so the joins for names and the
     * latest travel run for the 50 rows shown, not for every match */
    Buf sql = BUF_INIT;
    buf_puts(&sql, "SELECT " PERSON_COLS PERSON_FROM
                   " WHERE p.id IN (SELECT p.id FROM people p WHERE 1 = 1");
    if (!a->scope_all)
        buf_puts(&sql, " AND p.village_id IN (SELECT village_id FROM"
                       " account_villages WHERE account_id = ?2)");
    if (f->after_id)
        buf_puts(&sql, " AND p.id < ?3");
    if (f->village_id)
        buf_puts(&sql, " AND p.village_id = ?4");
    if (f->grid_id)
        buf_puts(&sql, " AND p.grid_id = ?5");
    if (f->kind)
        buf_puts(&sql, " AND p.kind = ?6");
    if (f->measure)
        buf_puts(&sql, " AND p.measure = ?7");
    if (f->screening)
        buf_puts(&sql, " AND p.screening = ?13");
    if (!f->include_merged)
        buf_puts(&sql, " AND p.merged_into IS NULL");
    if (s.exact_id[0])
        buf_puts(&sql, " AND p.id_number = ?18");
    else if (s.phone[0])
        buf_puts(&sql, " AND p.phone = ?18");
    else if (s.lo[0])
        buf_puts(&sql, " AND p.name >= ?16 AND p.name < ?17");
    if (f->origin || f->risk || f->source || f->status || f->return_from ||
        f->return_to) {
        buf_puts(&sql, " AND EXISTS (SELECT 1 FROM travels x"
                       " WHERE x.person_id = p.id");
        if (f->origin)
            buf_puts(&sql, " AND x.origin_code >= ?8 AND x.origin_code < ?9");
        if (f->risk)
            buf_puts(&sql, " AND x.risk_level = ?10");
        if (f->source)
            buf_puts(&sql, " AND x.source = ?11");
        if (f->status)
            buf_puts(&sql, " AND x.status = ?12");
        if (f->return_from)
            buf_puts(&sql, " AND x.return_date >= ?14");
        if (f->return_to)
            buf_puts(&sql, " AND x.return_date <= ?15");
        buf_puts(&sql, ")");
    }
    buf_puts(&sql, " AND ?1 = ?1 ORDER BY p.id DESC LIMIT ?19)"
                   " ORDER BY p.id DESC");
    DbStmt *st;
    int rc = db_query(db, &st, err, sql.p, "iiiii" "ttttttttttttt" "i",
                      (int64_t)a->scope_all, a->id, f->after_id,
                      f->village_id, f->grid_id, f->kind, f->measure, olo,
                      ohi, f->risk, f->source, f->status, f->screening,
                      f->return_from, f->return_to, s.lo, s.hi,
                      s.exact_id[0] ? s.exact_id : s.phone,
                      (int64_t)(f->limit > 0 ? f->limit : 100));
    buf_free(&sql);
    if (rc)
        return -1;
    while ((rc = db_step(st, err)) == DB_ROW) {
        Person p;
        person_from_row(st, 0, &p);
        if (each(ctx, &p))
            break;
    }
    db_done(st);
    return rc == DB_ERROR ? -1 : 0;
}

int people_get(Db *db, const Actor *a, int64_t id,
               int (*each)(void *ctx, const Person *p), void *ctx,
               Err *err)
{
    int64_t village;
    if (people_require(db, a, id, &village, NULL, err))
        return -1;
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT " PERSON_COLS PERSON_FROM " WHERE p.id = ?1", "i",
                 id))
        return -1;
    int rc = db_step(st, err);
    if (rc == DB_ROW) {
        Person p;
        person_from_row(st, 0, &p);
        each(ctx, &p);
    }
    db_done(st);
    if (rc == DB_ERROR)
        return -1;
    return rc == DB_ROW ? 0
                        : err_set(err, 404, "not_found", NULL,
                                  "no such person");
}

int people_travels(Db *db, const Actor *a, int64_t id,
                   int (*each)(void *ctx, const Travel *t), void *ctx,
                   Err *err)
{
    int64_t village;
    if (people_require(db, a, id, &village, NULL, err))
        return -1;
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT id, person_id, origin_code, origin_text, via,"
                 " left_date, return_date, transport, transport_no, reason,"
                 " contact_with_case, symptoms, companions_symptoms,"
                 " symptoms_on_arrival, source, status, risk_level,"
                 " created_at FROM travels WHERE person_id = ?1"
                 " ORDER BY id",
                 "i", id))
        return -1;
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        Travel t = {db_int(st, 0), db_int(st, 1), db_text(st, 2),
                    db_text(st, 3), db_text(st, 4), db_text(st, 5),
                    db_text(st, 6), db_text(st, 7), db_text(st, 8),
                    db_text(st, 9), (int)db_int(st, 10), (int)db_int(st, 11),
                    (int)db_int(st, 12), db_text(st, 13), db_text(st, 14),
                    db_text(st, 15), db_text(st, 16), db_text(st, 17)};
        if (each(ctx, &t))
            break;
    }
    db_done(st);
    return rc == DB_ERROR ? -1 : 0;
}

int people_contacts(Db *db, const Actor *a, int64_t id, int exposed_by,
                    int (*each)(void *ctx, const Contact *c), void *ctx,
                    Err *err)
{
    int64_t village;
    if (people_require(db, a, id, &village, NULL, err))
        return -1;
    /* the other end is named only when the actor may see that person */
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT c.id, c.person_id, c.source_id,"
                 " CASE WHEN ?3 = 1 OR o.village_id IN (SELECT village_id"
                 "  FROM account_villages WHERE account_id = ?4)"
                 "  THEN o.name ELSE NULL END,"
                 " c.last_exposure, c.relationship, c.setting"
                 " FROM contacts c JOIN people o"
                 " ON o.id = CASE WHEN ?2 = 1 THEN c.person_id"
                 "  ELSE c.source_id END"
                 " WHERE (?2 = 1 AND c.source_id = ?1)"
                 " OR (?2 = 0 AND c.person_id = ?1) ORDER BY c.id",
                 "iiii", id, (int64_t)(exposed_by != 0),
                 (int64_t)a->scope_all, a->id))
        return -1;
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        Contact c = {db_int(st, 0), db_int(st, 1), db_int(st, 2),
                     db_text(st, 3), db_text(st, 4), db_text(st, 5),
                     db_text(st, 6)};
        if (each(ctx, &c))
            break;
    }
    db_done(st);
    return rc == DB_ERROR ? -1 : 0;
}

/* Copy every string of a Person into the arena, so it outlives its row. */
static void person_keep(Arena *ar, const Person *src, Person *dst)
{
    *dst = *src;
    const char **fields[] = {
        &dst->name, &dst->id_number, &dst->id_flag, &dst->sex,
        &dst->birth_date, &dst->phone, &dst->village_name, &dst->grid_name,
        &dst->address, &dst->notes, &dst->kind, &dst->measure,
        &dst->screening, &dst->created_at, &dst->updated_at,
        &dst->origin_code, &dst->origin, &dst->return_date,
        &dst->risk_level};
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        *fields[i] = arena_strdup(ar, *fields[i]);
}

int people_duplicates(Db *db, const Actor *a,
                      int (*each)(void *ctx, const Person *x,
                                  const Person *y, const char *reason),
                      void *ctx, Err *err)
{
    /* pairs first (same name and phone; same name and birth date where
     * at most one has an ID number), then both people of each pair in
     * one query: two rows per pair */
    DbStmt *st;
    if (db_query(
            db, &st, err,
            "WITH live AS (SELECT * FROM people WHERE merged_into IS NULL"
            "  AND (?1 = 1 OR village_id IN (SELECT village_id"
            "   FROM account_villages WHERE account_id = ?2))),"
            " pairs AS (SELECT x.id AS a, y.id AS b, 'name_phone' AS reason"
            "  FROM live x JOIN live y ON y.name = x.name"
            "  AND y.phone = x.phone AND y.id > x.id"
            "  UNION SELECT x.id, y.id, 'name_birth' FROM live x"
            "  JOIN live y ON y.name = x.name"
            "  AND y.birth_date = x.birth_date AND y.id > x.id"
            "  AND (x.id_number IS NULL OR y.id_number IS NULL)"
            "  AND (x.phone IS NULL OR y.phone IS NULL OR x.phone <> y.phone)"
            "  ORDER BY 1, 2 LIMIT 100)"
            " SELECT pairs.reason, " PERSON_COLS " FROM pairs"
            " JOIN people p ON p.id IN (pairs.a, pairs.b)"
            " JOIN places v ON v.id = p.village_id"
            " LEFT JOIN places g ON g.id = p.grid_id"
            " LEFT JOIN travels t ON t.id = (SELECT max(id) FROM travels"
            "  WHERE person_id = p.id)"
            " ORDER BY pairs.a, pairs.b, p.id",
            "ii", (int64_t)a->scope_all, a->id))
        return -1;
    Arena ar = ARENA_INIT;
    Person first;
    int have = 0, rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        Person p;
        person_from_row(st, 1, &p);
        if (!have) {
            person_keep(&ar, &p, &first);
            have = 1;
            continue;
        }
        have = 0;
        if (each(ctx, &first, &p, db_text(st, 0)))
            break;
    }
    db_done(st);
    arena_free(&ar);
    return rc == DB_ERROR ? -1 : 0;
}
