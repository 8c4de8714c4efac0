/* people_export.c — the people register as CSV or XLSX (see
 * people_export.h). */
#include "people_export.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/normalize.h"
#include "../base/sheet.h"
#include "audit.h"
#include "people_import.h"

enum { PAGE = 200 };

int people_export_format(const char *name, PeopleExportFormat *fmt)
{
    if (!name || !strcmp(name, "csv"))
        *fmt = PEOPLE_EXPORT_CSV;
    else if (!strcmp(name, "xlsx"))
        *fmt = PEOPLE_EXPORT_XLSX;
    else
        return -1;
    return 0;
}

const char *people_export_ext(PeopleExportFormat fmt)
{
    return fmt == PEOPLE_EXPORT_XLSX ? "xlsx" : "csv";
}

/* ---- counting and the audit entry ---------------------------------- */

typedef struct Counter {
    long n;
    int64_t last;
} Counter;

static int count_one(void *ctx, const Person *p)
{
    Counter *c = ctx;
    c->n++;
    c->last = p->id;
    return 0;
}

int people_export_count(Db *db, const Actor *a, const PeopleFilter *f,
                        long *rows, Err *err)
{
    PeopleFilter pf = *f;
    pf.limit = 500;
    pf.after_id = 0;
    *rows = 0;
    for (;;) {
        Counter c = {0, 0};
        if (people_list(db, a, &pf, count_one, &c, err))
            return -1;
        *rows += c.n;
        if (c.n < pf.limit)
            return 0;
        pf.after_id = c.last;
    }
}

/* describe_filter writes the filter as "village_id=3, kind=..." into b. */
static void describe_filter(Buf *b, const PeopleFilter *f)
{
    size_t start = b->len;
#define NUM(k)                                                              \
    if (f->k)                                                               \
        buf_printf(b, "%s" #k "=%lld", b->len > start ? ", " : "",          \
                   (long long)f->k);
#define STR(k)                                                              \
    if (f->k)                                                               \
        buf_printf(b, "%s" #k "=%s", b->len > start ? ", " : "", f->k);
    NUM(village_id)
    NUM(grid_id)
    STR(kind)
    STR(measure)
    STR(origin)
    STR(risk)
    STR(source)
    STR(status)
    STR(screening)
    STR(return_from)
    STR(return_to)
#undef NUM
#undef STR
    if (f->q) {
        /* the search may be an ID number or a phone: the audit log keeps
         * no full one (it outlives fangyi purge, docs/purge.md) */
        char m[24];
        size_t n = strlen(f->q);
        const char *q = f->q;
        if (n >= 7 && strspn(q, "0123456789Xx+") == n) {
            if (n >= 15)
                people_mask_id(q, m);
            else
                people_mask_phone(q, m);
            q = m;
        }
        buf_printf(b, "%sq=%s", b->len > start ? ", " : "", q);
    }
    if (b->len == start)
        buf_puts(b, "everyone");
}

int people_export_audit(Db *db, const Actor *a, const PeopleFilter *f,
                        PeopleExportFormat fmt, int full, long rows,
                        Err *err)
{
    Buf b = BUF_INIT;
    buf_printf(&b, "%s export of %ld %s (", people_export_ext(fmt), rows,
               rows == 1 ? "person" : "people");
    describe_filter(&b, f);
    buf_printf(&b, "), %s", full ? "FULL ID numbers and phones"
                                 : "ID numbers and phones masked");
    /* the summary column is for a human: keep it to a line */
    if (b.len > 480) {
        b.len = 480;
        b.p[b.len] = '\0';
    }
    int rc = audit_record(db, a, "export", "people", 0, b.p, NULL, NULL, err);
    buf_free(&b);
    return rc;
}

/* ---- the rows -------------------------------------------------------- */

/* One person of a page, with the cells of the export (the strings live
 * in the page's arena). */
typedef struct Line {
    int64_t id;
    int has_travel;
    const char *cell[PCOL_COUNT];
} Line;

struct PeopleExport {
    Db *db;
    Actor actor;
    PeopleFilter f;
    PeopleExportFormat fmt;
    int full;
    Arena keep;                /* the filter's strings */

    Arena page;                /* the current page's lines */
    Line lines[PAGE];
    int nlines, done;
    long rows;

    Sheet sheet;               /* the CSV or XLSX being handed out */
};

static const char *keep(Arena *a, const char *s)
{
    return s ? arena_strdup(a, s) : NULL;
}

static int page_one(void *ctx, const Person *p)
{
    PeopleExport *x = ctx;
    Line *l = &x->lines[x->nlines++];
    Arena *ar = &x->page;
    memset(l, 0, sizeof *l);
    l->id = p->id;
    l->has_travel = p->origin != NULL;
    l->cell[PCOL_NAME] = keep(ar, p->name);
    if (p->id_number && x->full) {
        /* 18 digits would lose their last 3 in Excel: a tab makes text */
        size_t n = strlen(p->id_number);
        l->cell[PCOL_ID_NUMBER] = strspn(p->id_number, "0123456789") == n
                                      ? arena_printf(ar, "\t%s",
                                                     p->id_number)
                                      : keep(ar, p->id_number);
    } else if (p->id_number) {
        char m[24];
        people_mask_id(p->id_number, m);
        l->cell[PCOL_ID_NUMBER] = keep(ar, m);
    }
    l->cell[PCOL_SEX] = !p->sex                ? ""
                        : !strcmp(p->sex, "M") ? "男"
                        : !strcmp(p->sex, "F") ? "女"
                                               : "";
    if (p->phone && x->full) {
        l->cell[PCOL_PHONE] = keep(ar, p->phone);
    } else if (p->phone) {
        char m[16];
        people_mask_phone(p->phone, m);
        l->cell[PCOL_PHONE] = keep(ar, m);
    }
    l->cell[PCOL_VILLAGE] = keep(ar, p->village_name);
    l->cell[PCOL_GRID] = keep(ar, p->grid_name);
    l->cell[PCOL_ADDRESS] = keep(ar, p->address);
    l->cell[PCOL_NOTES] = keep(ar, p->notes);
    return 0;
}

/* The latest travel (people_travels goes in id order: the last one). */
static int travel_one(void *ctx, const Travel *t)
{
    void **c = ctx;
    PeopleExport *x = c[0];
    Line *l = c[1];
    Arena *ar = &x->page;
    l->cell[PCOL_ORIGIN] = keep(ar, t->origin ? t->origin : t->origin_code);
    l->cell[PCOL_VIA] = keep(ar, t->via);
    l->cell[PCOL_RETURN_DATE] = keep(ar, t->return_date);
    l->cell[PCOL_TRANSPORT] = norm_transport_label(t->transport);
    l->cell[PCOL_TRANSPORT_NO] = keep(ar, t->transport_no);
    l->cell[PCOL_REASON] = keep(ar, t->reason);
    l->cell[PCOL_CONTACT] = t->contact_with_case ? "是" : "否";
    l->cell[PCOL_SYMPTOMS] =
        !t->symptoms ? "无"
        : t->symptoms_on_arrival && *t->symptoms_on_arrival
            ? keep(ar, t->symptoms_on_arrival)
            : "有";
    l->cell[PCOL_SOURCE] = norm_source_label(t->source);
    return 0;
}

/* next_page reads the next page of people and their latest travels
 * into x->lines.  0 (x->nlines may be 0 at the end), or -1. */
static int next_page(PeopleExport *x, Err *err)
{
    arena_free(&x->page);
    x->nlines = 0;
    if (x->done)
        return 0;
    if (people_list(x->db, &x->actor, &x->f, page_one, x, err))
        return -1;
    if (x->nlines < PAGE)
        x->done = 1;
    else
        x->f.after_id = x->lines[x->nlines - 1].id;
    for (int i = 0; i < x->nlines; i++) {
        if (!x->lines[i].has_travel)
            continue;
        void *ctx[2] = {x, &x->lines[i]};
        if (people_travels(x->db, &x->actor, x->lines[i].id, travel_one, ctx,
                           err))
            return -1;
    }
    x->rows += x->nlines;
    return 0;
}

/* ---- the sheet ------------------------------------------------------- */

static const char *sheet_header(void *ctx, int col)
{
    (void)ctx;
    return people_column_zh(col);
}

static double sheet_width(void *ctx, int col)
{
    (void)ctx;
    static const double widths[PCOL_COUNT] = {
        10, 22, 6, 14, 12, 12, 24, 20, 12, 12, 10, 14, 14, 10, 12, 12, 20};
    return widths[col];
}

static int sheet_page(void *ctx, int *nrows, int *last, Err *err)
{
    PeopleExport *x = ctx;
    if (next_page(x, err))
        return -1;
    *nrows = x->nlines;
    *last = x->done;
    return 0;
}

static const char *sheet_cell(void *ctx, int row, int col)
{
    PeopleExport *x = ctx;
    return x->lines[row].cell[col];
}

PeopleExport *people_export_open(Db *db, const Actor *a,
                                 const PeopleFilter *f,
                                 PeopleExportFormat fmt, int full)
{
    PeopleExport *x = calloc(1, sizeof *x);
    if (!x)
        abort();
    x->db = db;
    x->actor = *a;
    x->fmt = fmt;
    x->full = full;
    x->f = *f;
    x->f.limit = PAGE;
    x->f.after_id = 0;
    const char **s[] = {&x->f.kind, &x->f.measure, &x->f.origin,
                        &x->f.risk, &x->f.source, &x->f.status,
                        &x->f.screening, &x->f.return_from,
                        &x->f.return_to, &x->f.q};
    for (size_t i = 0; i < sizeof s / sizeof *s; i++)
        *s[i] = keep(&x->keep, *s[i]);
    SheetSource src = {"人员", PCOL_COUNT, sheet_header, sheet_width,
                       sheet_page, sheet_cell, x};
    sheet_init(&x->sheet, &src, fmt == PEOPLE_EXPORT_XLSX);
    return x;
}

long people_export_read(PeopleExport *x, char *buf, size_t max, Err *err)
{
    return sheet_read(&x->sheet, buf, max, err);
}

long people_export_rows(const PeopleExport *x) { return x->rows; }

void people_export_close(PeopleExport *x)
{
    if (!x)
        return;
    sheet_free(&x->sheet);
    arena_free(&x->page);
    arena_free(&x->keep);
    free(x);
}

int people_export_file(Db *db, const Actor *a, const PeopleFilter *f,
                       PeopleExportFormat fmt, int full, FILE *out,
                       long *rows, Err *err)
{
    PeopleExport *x = people_export_open(db, a, f, fmt, full);
    char buf[65536];
    long n;
    while ((n = people_export_read(x, buf, sizeof buf, err)) > 0)
        if (fwrite(buf, 1, (size_t)n, out) != (size_t)n) {
            n = err_set(err, 400, "io_error", NULL, "cannot write: %s",
                        strerror(errno));
            break;
        }
    if (n == 0 && fflush(out) != 0)
        n = err_set(err, 400, "io_error", NULL, "cannot write: %s",
                    strerror(errno));
    *rows = people_export_rows(x);
    people_export_close(x);
    return n < 0 ? -1 : 0;
}
