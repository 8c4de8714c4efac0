/* people_import.c — the people register from CSV (see people_import.h).
 *
 * Each row is checked here first, column by column, so that a fault is
 * reported against the column the clerk has to fix; people_register and
 * travels_add then check again and store.  Rows run in a savepoint each,
 * so a row that fails half-way leaves nothing behind when the good rows
 * are kept (skip_invalid). */
#include "people_import.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../base/clock.h"
#include "../base/normalize.h"
#include "../base/sheet.h"
#include "../base/validate.h"
#include "observation.h"
#include "places.h"
#include "regions.h"

/* Header names per column: Chinese first, then English, then the other
 * spellings seen in township sheets. */
static const char *const COLS[PCOL_COUNT][6] = {
    [PCOL_NAME] = {"姓名", "name", NULL},
    [PCOL_ID_NUMBER] = {"身份证号", "id_number", "身份证号码", "证件号码",
                        NULL},
    [PCOL_SEX] = {"性别", "sex", NULL},
    [PCOL_PHONE] = {"联系电话", "phone", "手机号码", "手机号", "电话", NULL},
    [PCOL_VILLAGE] = {"所属村", "village", NULL},
    [PCOL_GRID] = {"网格", "grid", "所属网格", NULL},
    [PCOL_ADDRESS] = {"详细住址", "address", "住址", "现住址", NULL},
    [PCOL_ORIGIN] = {"返乡来源地", "origin", "来源地", NULL},
    [PCOL_VIA] = {"途经地", "via", NULL},
    [PCOL_RETURN_DATE] = {"返乡日期", "return_date", NULL},
    [PCOL_TRANSPORT] = {"交通方式", "transport", NULL},
    [PCOL_TRANSPORT_NO] = {"车次航班车牌", "transport_no", "车次/航班/车牌",
                           NULL},
    [PCOL_REASON] = {"返乡事由", "reason", NULL},
    [PCOL_CONTACT] = {"密切接触史", "contact_history", NULL},
    [PCOL_SYMPTOMS] = {"症状", "symptoms", NULL},
    [PCOL_SOURCE] = {"来源", "source", NULL},
    [PCOL_NOTES] = {"备注", "notes", NULL},
};

const char *people_column_zh(int i)
{
    return i >= 0 && i < PCOL_COUNT ? COLS[i][0] : "";
}

const char *people_column_en(int i)
{
    return i >= 0 && i < PCOL_COUNT ? COLS[i][1] : "";
}

/* The domain's field names (Err.field) and the column they come from. */
static const struct {
    const char *field;
    int col;
} FIELD_COL[] = {
    {"name", PCOL_NAME},         {"id_number", PCOL_ID_NUMBER},
    {"sex", PCOL_SEX},           {"phone", PCOL_PHONE},
    {"village_id", PCOL_VILLAGE}, {"grid_id", PCOL_GRID},
    {"address", PCOL_ADDRESS},   {"origin", PCOL_ORIGIN},
    {"via", PCOL_VIA},           {"return_date", PCOL_RETURN_DATE},
    {"transport", PCOL_TRANSPORT}, {"transport_no", PCOL_TRANSPORT_NO},
    {"reason", PCOL_REASON},     {"contact_with_case", PCOL_CONTACT},
    {"symptoms_on_arrival", PCOL_SYMPTOMS}, {"source", PCOL_SOURCE},
    {"notes", PCOL_NOTES},
};

/* Origins resolved so far: a register names the same few places over
 * and over, and resolving free text is the costliest check of a row. */
enum { ORIGIN_CACHE = 512 };
typedef struct Origin {
    const char *text;             /* in the import's arena; NULL: empty */
    Region region;
    Err err;                      /* status 0: resolved */
} Origin;

/* What the import keeps while it reads. */
typedef struct Ctx {
    PeopleImport *im;
    int col[PCOL_COUNT];          /* index in the row, or -1 */
    const char *hdr[PCOL_COUNT];  /* the header as written */
    int english;                  /* headers in English: English rejects */
    int today;                    /* YYYYMMDD, for birth dates */
    Buf raw;                      /* the current row as read, for rejects */
    Origin *origins;              /* ORIGIN_CACHE slots, by hash */
} Ctx;

/* resolve_origin: regions_resolve through the cache.  0 with *out, or
 * -1 with err (a storage error is not cached). */
static int resolve_origin(Db *db, Ctx *c, const char *text, Region *out,
                          Err *err)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        h = (h ^ *p) * 16777619u;
    Origin *o = &c->origins[h % ORIGIN_CACHE];
    if (!o->text || strcmp(o->text, text) != 0) {
        Err e;
        err_clear(&e);
        if (regions_resolve(db, text, "origin", &o->region, &e) &&
            (e.status >= 500 || e.status == 0)) {
            *err = e;
            return -1;
        }
        o->text = arena_strdup(&c->im->arena, text);
        o->err = e;
    }
    if (o->err.status) {
        *err = o->err;
        return -1;
    }
    *out = o->region;
    return 0;
}

/* A row's fault: the column to blame (PCOL_*, or -1) and why. */
typedef struct Fault {
    int col;
    Err err;
} Fault;

static int fault(Fault *f, int col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fault(Fault *f, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    f->col = col;
    f->err.status = 422;
    snprintf(f->err.code, sizeof f->err.code, "invalid_field");
    vsnprintf(f->err.message, sizeof f->err.message, fmt, ap);
    va_end(ap);
    utf8_trim_tail(f->err.message); /* a long cell cut to fit */
    return -1;
}

/* from_domain turns an error of the domain layer into a fault, blaming
 * the column its field comes from. */
static int from_domain(Fault *f, const Err *e)
{
    f->err = *e;
    f->col = -1;
    for (size_t i = 0; i < sizeof FIELD_COL / sizeof *FIELD_COL; i++)
        if (strcmp(e->field, FIELD_COL[i].field) == 0)
            f->col = FIELD_COL[i].col;
    return -1;
}

/* The values of one row, normalised; "" for a column the file lacks. */
typedef struct Row {
    const char *v[PCOL_COUNT];
} Row;

/* find_person looks for the person a row describes: by ID number (any
 * village: one outside the actor's is a fault), else by name and phone,
 * else by name, village and address (within the actor's villages).  A row
 * with an ID number nobody holds yet may describe a person registered
 * without one: then only records without an ID number match, and
 * *attach_id says the number is to be added to the record found.
 * *id is 0 when there is none. */
static int find_person(Db *db, Ctx *c, const Row *r, const char *id_number,
                       const char *phone, int64_t village_id, int64_t *id,
                       int *attach_id, Fault *f)
{
    const Actor *a = c->im->actor;
    DbStmt *st;
    int rc;
    *id = 0;
    *attach_id = 0;
    if (id_number) {
        if (db_query(db, &st, &f->err,
                     "SELECT p.id, p.village_id FROM people p WHERE p.id ="
                     " (SELECT COALESCE(merged_into, id) FROM people"
                     "  WHERE id_number = ?1)",
                     "t", id_number))
            return -1;
        rc = db_step(st, &f->err);
        int64_t vil = 0;
        if (rc == DB_ROW) {
            *id = db_int(st, 0);
            vil = db_int(st, 1);
        }
        db_done(st);
        if (rc == DB_ERROR)
            return -1;
        if (*id && !actor_in_scope(a, vil)) {
            *id = 0;
            return fault(f, PCOL_ID_NUMBER,
                         "this ID number is registered in a village that is"
                         " not one of yours");
        }
        if (*id)
            return 0;
    }
    /* ?3 = 1: only records still without an ID number */
    int64_t without_id = id_number != NULL;
    if (phone) {
        if (db_query(db, &st, &f->err,
                     "SELECT id, village_id FROM people WHERE name = ?1"
                     " AND phone = ?2 AND merged_into IS NULL"
                     " AND (?3 = 0 OR id_number IS NULL) ORDER BY id",
                     "tti", r->v[PCOL_NAME], phone, without_id))
            return -1;
    } else {
        if (db_query(db, &st, &f->err,
                     "SELECT id, village_id FROM people WHERE name = ?1"
                     " AND village_id = ?2 AND address = ?3"
                     " AND merged_into IS NULL"
                     " AND (?4 = 0 OR id_number IS NULL) ORDER BY id",
                     "titi", r->v[PCOL_NAME], village_id,
                     r->v[PCOL_ADDRESS], without_id))
            return -1;
    }
    while ((rc = db_step(st, &f->err)) == DB_ROW)
        if (actor_in_scope(a, db_int(st, 1))) {
            *id = db_int(st, 0);
            break;
        }
    db_done(st);
    *attach_id = *id && id_number;
    return rc == DB_ERROR ? -1 : 0;
}

/* import_row checks one row and stores it.  Returns 0 (counted), or -1
 * with the fault in *f (status >= 500: storage, stop). */
static int import_row(Db *db, Ctx *c, const Row *r, Fault *f)
{
    PeopleImport *im = c->im;
    const char *const *v = r->v;
    f->col = -1;

    if (!*v[PCOL_NAME])
        return fault(f, PCOL_NAME, "the name is missing");
    if (!*v[PCOL_VILLAGE])
        return fault(f, PCOL_VILLAGE, "the village is missing");
    int64_t village = 0, grid = 0;
    if (places_find(db, "village", 0, v[PCOL_VILLAGE], &village, &f->err))
        return -1;
    if (!village)
        return fault(f, PCOL_VILLAGE, "there is no village named %s",
                     v[PCOL_VILLAGE]);
    if (!actor_in_scope(im->actor, village))
        return fault(f, PCOL_VILLAGE, "village %s is not one of yours",
                     v[PCOL_VILLAGE]);
    if (*v[PCOL_GRID]) {
        if (places_find(db, "grid", village, v[PCOL_GRID], &grid, &f->err))
            return -1;
        if (!grid)
            return fault(f, PCOL_GRID, "village %s has no grid named %s",
                         v[PCOL_VILLAGE], v[PCOL_GRID]);
    }

    IdInfo info;
    const char *id_number = NULL;
    if (*v[PCOL_ID_NUMBER]) {
        if (strchr(v[PCOL_ID_NUMBER], '*'))
            return fault(f, PCOL_ID_NUMBER,
                         "the ID number is masked (*); import an export made"
                         " with full values");
        if (validate_id_number(v[PCOL_ID_NUMBER], "id_number", c->today,
                               &info, &f->err))
            return from_domain(f, &f->err);
        id_number = info.normalized;
    }
    char phone_buf[12];
    const char *phone = NULL;
    if (*v[PCOL_PHONE]) {
        if (strchr(v[PCOL_PHONE], '*'))
            return fault(f, PCOL_PHONE,
                         "the phone number is masked (*); import an export"
                         " made with full values");
        if (validate_phone(v[PCOL_PHONE], "phone", phone_buf, &f->err))
            return from_domain(f, &f->err);
        phone = phone_buf;
    }
    const char *sex = NULL;
    if (*v[PCOL_SEX] && !(sex = norm_sex(v[PCOL_SEX])))
        return fault(f, PCOL_SEX, "sex must be 男 or 女 (M or F)");

    /* the travel */
    char ret[11] = "";
    if (*v[PCOL_RETURN_DATE] && norm_date(v[PCOL_RETURN_DATE], ret))
        return fault(f, PCOL_RETURN_DATE,
                     "the return date must be a date such as 2020-02-10,"
                     " 2020/2/10 or 2020年2月10日");
    const char *transport = NULL;
    if (*v[PCOL_TRANSPORT] && !(transport = norm_transport(v[PCOL_TRANSPORT])))
        return fault(f, PCOL_TRANSPORT,
                     "the transport must be 火车, 飞机, 大巴, 自驾 or 其他");
    const char *source = "door_to_door";
    if (*v[PCOL_SOURCE] && !(source = norm_source(v[PCOL_SOURCE])))
        return fault(f, PCOL_SOURCE,
                     "the source must be 入户排查, 卡口, 自主申报 or 上级推送");
    int contact = norm_yes_no(v[PCOL_CONTACT]);
    if (contact < 0)
        return fault(f, PCOL_CONTACT,
                     "contact with a case must be 是 or 否 (yes or no)");
    int symptoms = norm_symptoms(v[PCOL_SYMPTOMS]);
    Region origin;
    int travel = *v[PCOL_ORIGIN] != '\0';
    if (travel) {
        if (resolve_origin(db, c, v[PCOL_ORIGIN], &origin, &f->err))
            return from_domain(f, &f->err);
    } else if (*v[PCOL_VIA] || ret[0] || transport ||
               *v[PCOL_TRANSPORT_NO] || *v[PCOL_REASON] || contact ||
               symptoms) {
        /* these describe a journey, which needs its origin; dropping them
         * would lose what the clerk wrote */
        return fault(f, PCOL_ORIGIN,
                     "the row describes a journey but not where the person"
                     " returned from");
    }
    /* the code, resolved already: the travel stores the region's full
     * name either way */
    TravelInput t = {
        .origin = travel ? origin.code : NULL,
        .via = v[PCOL_VIA],
        .return_date = ret[0] ? ret : NULL,
        .transport = transport,
        .transport_no = v[PCOL_TRANSPORT_NO],
        .reason = v[PCOL_REASON],
        .contact_with_case = contact,
        .symptoms = symptoms,
        .symptoms_on_arrival = symptoms ? v[PCOL_SYMPTOMS] : "",
        .source = source,
    };

    int64_t id;
    int attach_id;
    if (find_person(db, c, r, id_number, phone, village, &id, &attach_id,
                    f))
        return -1;
    Classification cls;
    if (id) {
        int64_t tid;
        int added = 0;
        /* a person first registered without an ID number gets it now */
        PersonInput with_id = {.id_number = id_number, .is_case = -1};
        if (attach_id &&
            people_update(db, im->actor, id, &with_id, &cls, &f->err))
            return from_domain(f, &f->err);
        if (travel &&
            (travels_add(db, im->actor, id, &t, &tid, &added, &cls,
                         &f->err) ||
             measures_follow_policy(db, im->actor, id, &cls, &f->err)))
            return from_domain(f, &f->err);
        if (added || attach_id)
            im->updated++;
        else
            im->unchanged++;
        return 0;
    }
    PersonInput p = {
        .name = v[PCOL_NAME],
        .id_number = id_number,
        .phone = phone,
        .sex = sex,
        .village_id = village,
        .grid_id = grid,
        .address = v[PCOL_ADDRESS],
        .notes = v[PCOL_NOTES],
    };
    int created;
    if (people_register(db, im->actor, &p, travel ? &t : NULL, &id, &created,
                        &cls, &f->err) ||
        measures_follow_policy(db, im->actor, id, &cls, &f->err))
        return from_domain(f, &f->err);
    if (created)
        im->created++;
    else
        im->unchanged++; /* found by ID number after all */
    return 0;
}

/* Append the row's cells to b as one CSV line (without the line end). */
static void put_row(Buf *b, char **fields, int n)
{
    for (int i = 0; i < n; i++) {
        if (i)
            buf_putc(b, ',');
        sheet_csv_cell(b, fields[i]);
    }
}

/* add_bad records a refused row: in the list, and in the rejects with
 * the row as it was read. */
static void add_bad(Ctx *c, int row, const Fault *f)
{
    PeopleImport *im = c->im;
    if (im->nbad == im->badcap) {
        im->badcap = im->badcap ? im->badcap * 2 : 64;
        im->bad = realloc(im->bad, (size_t)im->badcap * sizeof *im->bad);
        if (!im->bad)
            abort();
    }
    const char *column = "";
    if (f->col >= 0)
        column = c->hdr[f->col] ? c->hdr[f->col]
                 : c->english   ? people_column_en(f->col)
                                : people_column_zh(f->col);
    im->bad[im->nbad++] = (PeopleBadRow){
        row, column, arena_strdup(&im->arena, f->err.message)};
    if (im->want_rejects) {
        buf_append(&im->rejects, c->raw.p, c->raw.len);
        buf_putc(&im->rejects, ',');
        char reason[400];
        snprintf(reason, sizeof reason, "%s%s%s", column,
                 *column ? ": " : "", f->err.message);
        sheet_csv_cell(&im->rejects, reason);
        buf_puts(&im->rejects, "\r\n");
    }
}

/* Physical lines a row took beyond its first (newlines inside quotes),
 * counted as the reader counts them. */
static int extra_lines(char **fields, int n)
{
    int k = 0;
    for (int i = 0; i < n; i++)
        for (const char *p = fields[i]; *p; p++)
            if (*p == '\n' || (*p == '\r' && p[1] != '\n'))
                k++;
    return k;
}

/* read_header finds the columns.  0, or -1 with 422 invalid_header. */
static int read_header(Ctx *c, char **f, int n, Err *err)
{
    PeopleImport *im = c->im;
    for (int i = 0; i < n; i++)
        f[i] = norm_cell(f[i]);
    for (int k = 0; k < PCOL_COUNT; k++) {
        c->col[k] = csv_header_index(f, n, COLS[k]);
        c->hdr[k] = c->col[k] >= 0 ? arena_strdup(&im->arena, f[c->col[k]])
                                   : NULL;
    }
    if (c->col[PCOL_NAME] < 0 || c->col[PCOL_VILLAGE] < 0)
        return err_set(err, 422, "invalid_header", NULL,
                       "the header must name the columns 姓名 and 所属村"
                       " (or name and village)");
    c->english = strcmp(c->hdr[PCOL_NAME], "姓名") != 0;
    if (im->want_rejects) {
        buf_puts(&im->rejects, "\xEF\xBB\xBF");
        put_row(&im->rejects, f, n);
        buf_putc(&im->rejects, ',');
        buf_puts(&im->rejects, c->english ? "reason" : "错误原因");
        buf_puts(&im->rejects, "\r\n");
    }
    return 0;
}

int people_import(Db *db, void *arg, Err *err)
{
    PeopleImport *im = arg;
    Ctx c = {.im = im, .today = clock_local_ymd(clock_now())};
    c.origins = arena_alloc(&im->arena, ORIGIN_CACHE * sizeof *c.origins);
    char **f;
    int n;
    int rc = csv_next(im->csv, &f, &n, err);
    if (rc <= 0)
        return rc < 0 ? -1
                      : err_set(err, 422, "empty_file", NULL,
                                "the file has no header row");
    int prev_row = 1, prev_end = csv_line(im->csv) + extra_lines(f, n);
    if (read_header(&c, f, n, err))
        return -1;

    int stop = 0;
    while (!stop && (rc = csv_next(im->csv, &f, &n, err)) == 1) {
        /* the row as Excel numbers it: blank lines skipped by the reader
         * are rows there too */
        int line = csv_line(im->csv);
        int row = prev_row + 1 + (line - prev_end - 1);
        prev_row = row;
        prev_end = line + extra_lines(f, n);
        if (im->want_rejects) {
            buf_reset(&c.raw);
            put_row(&c.raw, f, n);
        }
        Row r;
        int empty = 1;
        for (int i = 0; i < n; i++) {
            f[i] = norm_cell(f[i]);
            empty &= !*f[i];
        }
        if (empty)
            continue;
        for (int k = 0; k < PCOL_COUNT; k++)
            r.v[k] = c.col[k] >= 0 && c.col[k] < n ? f[c.col[k]] : "";
        im->rows++;

        Fault fl;
        err_clear(&fl.err);
        if (db_savepoint(db, &fl.err)) {
            *err = fl.err;
            stop = -1;
            break;
        }
        if (import_row(db, &c, &r, &fl) == 0) {
            if (db_release(db, &fl.err)) {
                *err = fl.err;
                stop = -1;
            }
        } else {
            db_rollback_to(db);
            if (fl.err.status >= 500 || fl.err.status == 0) {
                err_set(err, fl.err.status ? fl.err.status : 500,
                        fl.err.code[0] ? fl.err.code : "internal", NULL,
                        "row %d: %s", row, fl.err.message);
                stop = -1;
            } else {
                add_bad(&c, row, &fl);
            }
        }
        if (im->progress && im->rows % 1000 == 0)
            im->progress(im->progress_ctx, im->rows, line);
    }
    buf_free(&c.raw);
    if (stop || rc < 0)
        return -1;
    if (im->progress)
        im->progress(im->progress_ctx, im->rows, csv_line(im->csv));
    if (im->dry_run)
        return err_set(err, 200, "dry_run", NULL,
                       "dry run: %ld rows checked, nothing was stored",
                       im->rows);
    if (im->nbad && !im->skip_invalid)
        return err_set(err, 422, "bad_rows", NULL,
                       "%ld bad row%s, nothing was imported (row %d, %s%s%s)",
                       im->nbad, im->nbad > 1 ? "s" : "", im->bad[0].row,
                       im->bad[0].column, *im->bad[0].column ? ": " : "",
                       im->bad[0].reason);
    return 0;
}

void people_import_free(PeopleImport *im)
{
    free(im->bad);
    im->bad = NULL;
    im->nbad = im->badcap = 0;
    buf_free(&im->rejects);
    arena_free(&im->arena);
}
