/* ledger_io.c — the ledgers from CSV and out to CSV or XLSX (see
 * ledger_io.h).
 *
 * Each kind is a table of columns: the header names (Chinese first, then
 * English and other spellings), the key of the list row it is exported
 * from, how a code is shown (label) and which domain field a fault of
 * the column is reported as.  A kind's import turns one row of values
 * into a domain call; its export reads the kind's list page by page. */
#include "ledger_io.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../base/buf.h"
#include "../base/clock.h"
#include "../base/normalize.h"
#include "../base/sheet.h"
#include "audit.h"
#include "people_import.h"
#include "places.h"

enum { MAX_COLS = 18, PAGE = 200 };

typedef struct IoCol {
    const char *names[5];   /* header names, NULL-terminated */
    const char *key;        /* list row key, or NULL (import only) */
    const char *field;      /* domain field name of its faults */
    const char *(*label)(const char *code);
    int required;           /* the header must have it */
} IoCol;

typedef struct IoKind {
    const char *name;       /* supplies, ... */
    const char *sheet;      /* the XLSX sheet's name */
    LedgerList list;
    IoCol cols[MAX_COLS];
} IoKind;

static const char *yes_no(const char *v)
{
    return !v ? "" : strcmp(v, "1") == 0 ? "是" : "否";
}

static const char *status_label(const char *v)
{
    return !v ? "" : strcmp(v, "open") == 0 ? "未整改"
                   : strcmp(v, "fixed") == 0 ? "已整改"
                   : strcmp(v, "verified") == 0 ? "已验收" : v;
}

static const IoKind KINDS[LK_COUNT] = {
    [LK_SUPPLIES] = {"supplies", "物资", LL_SUPPLY_MOVES, {
        {{"日期", "day", NULL}, "day", "day", NULL, 0},
        {{"类型", "kind", NULL}, "kind", "kind", supplies_kind_label, 1},
        {{"物资", "item", "物资名称", NULL}, "item_name", "item_id", NULL, 1},
        {{"单位", "unit", NULL}, "unit", "unit", NULL, 0},
        {{"数量", "quantity", NULL}, "quantity", "quantity", NULL, 1},
        {{"来源", "source", NULL}, "source", "source",
         supplies_source_label, 0},
        {{"捐赠方", "donor", NULL}, "donor", "donor", NULL, 0},
        {{"供应商", "supplier", NULL}, "supplier", "supplier", NULL, 0},
        {{"金额", "cost", "金额(元)", NULL}, "cost", "cost", NULL, 0},
        {{"发放对象", "place", "发放地点", NULL}, "place_name", "place_id",
         NULL, 0},
        {{"所属村", "village", NULL}, "village_name", "village_id", NULL, 0},
        {{"领取人", "recipient", NULL}, "recipient", "recipient", NULL, 0},
        {{"备注", "note", NULL}, "note", "note", NULL, 0},
    }},
    [LK_DISINFECTION] = {"disinfection", "消毒记录", LL_DISINFECTION, {
        {{"日期", "day", NULL}, "day", "day", NULL, 1},
        {{"地点", "place", "消毒地点", NULL}, "place", "place_text", NULL, 1},
        {{"所属村", "village", NULL}, "village_name", "village_id", NULL, 0},
        {{"面积", "area", "面积(平方米)", "消毒面积", NULL}, "area", "area",
         NULL, 1},
        {{"消毒剂", "agent", "药剂", NULL}, "agent", "agent", NULL, 1},
        {{"浓度", "concentration", NULL}, "concentration", "concentration",
         NULL, 0},
        {{"方式", "method", "消毒方式", NULL}, "method", "method",
         disinfection_method_label, 1},
        {{"操作人", "operator", "消毒人员", NULL}, "operator", "operator",
         NULL, 1},
        {{"备注", "note", NULL}, "note", "note", NULL, 0},
    }},
    [LK_VISITORS] = {"visitors", "来访登记", LL_VISITORS, {
        {{"时间", "at", "来访时间", NULL}, "at", "at", NULL, 0},
        {{"场所", "place", "检测点", NULL}, "place_name", "place_id", NULL, 1},
        {{"所属村", "village", NULL}, "village_name", "village_id", NULL, 1},
        {{"姓名", "name", NULL}, "name", "name", NULL, 1},
        {{"联系电话", "phone", "电话", NULL}, "phone", "phone", NULL, 0},
        {{"体温", "temperature", NULL}, "temperature", "temperature", NULL,
         1},
        {{"事由", "reason", "来访事由", NULL}, "reason", "reason", NULL, 0},
        {{"来自", "came_from", "从何处来", NULL}, "came_from", "came_from",
         NULL, 0},
    }},
    [LK_INSPECTIONS] = {"inspections", "督查", LL_VISITS, {
        {{"督查轮次", "round", NULL}, "round_name", "round_id", NULL, 1},
        {{"日期", "day", NULL}, "day", "day", NULL, 0},
        {{"点位", "site", "督查点位", NULL}, "place_name", "place_id", NULL,
         1},
        {{"所属村", "village", NULL}, "village_name", "village_id", NULL, 1},
        {{"检查人", "inspector", NULL}, "inspector", "inspector", NULL, 0},
        {{"人员在岗", "staff_on_duty", NULL}, "staff_on_duty", NULL, yes_no,
         0},
        {{"24小时值守", "cover_24h", NULL}, "cover_24h", NULL, yes_no, 0},
        {{"车辆电话登记", "plates_phones", NULL}, "plates_phones", NULL,
         yes_no, 0},
        {{"测温", "temps_taken", NULL}, "temps_taken", NULL, yes_no, 0},
        {{"体温计完好", "thermometer_ok", NULL}, "thermometer_ok", NULL,
         yes_no, 0},
        {{"无聚集", "no_gathering", NULL}, "no_gathering", NULL, yes_no, 0},
        {{"存在问题", "problems", NULL}, "problems", "problems", NULL, 0},
        {{"整改要求", "required_fix", NULL}, "required_fix", "required_fix",
         NULL, 0},
        {{"整改期限", "deadline", NULL}, "deadline", "deadline", NULL, 0},
        {{"状态", "status", NULL}, "status", NULL, status_label, 0},
        {{"问责情况", "accountability", NULL}, "accountability",
         "accountability", NULL, 0},
    }},
    [LK_ENTERPRISES] = {"enterprises", "企业复工", LL_ENTERPRISES, {
        {{"企业名称", "name", NULL}, "name", "name", NULL, 1},
        {{"所属村", "village", NULL}, "village_name", "village_id", NULL, 1},
        {{"联络员", "liaison", NULL}, "liaison_username", "liaison_id", NULL,
         0},
        {{"审批状态", "approval", NULL}, "approval", "approval",
         enterprise_approval_label, 0},
        {{"审批日期", "approval_date", NULL}, "approval_date",
         "approval_date", NULL, 0},
        {{"职工数", "workers", NULL}, "workers", NULL, NULL, 0},
        {{"在岗", "present", NULL}, "present", NULL, NULL, 0},
        {{"观察中", "under_observation", NULL}, "under_observation", NULL,
         NULL, 0},
        {{"发热", "fever", NULL}, "fever", NULL, NULL, 0},
        {{"备注", "note", NULL}, "note", "note", NULL, 0},
    }},
};

static int ncols(const IoKind *k)
{
    int n = 0;
    while (n < MAX_COLS && k->cols[n].names[0])
        n++;
    return n;
}

int ledger_kind_from_name(const char *name, LedgerKind *k)
{
    for (int i = 0; name && i < LK_COUNT; i++)
        if (strcmp(name, KINDS[i].name) == 0) {
            *k = (LedgerKind)i;
            return 0;
        }
    return -1;
}

const char *ledger_kind_name(LedgerKind k) { return KINDS[k].name; }

/* ---- import ----------------------------------------------------------- */

typedef struct Row {
    const char *v[MAX_COLS];     /* normalised values, "" when absent */
} Row;

/* A row's fault: which column (or -1) and why. */
typedef struct Fault {
    int col;
    Err err;
} Fault;

static int col_of_field(const IoKind *k, const char *field)
{
    for (int i = 0; i < ncols(k); i++)
        if (k->cols[i].field && strcmp(k->cols[i].field, field) == 0)
            return i;
    return -1;
}

static int bad(Fault *f, const IoKind *k, const char *field,
               const char *msg)
{
    f->col = col_of_field(k, field);
    err_set(&f->err, 422, "invalid_field", field, "%s", msg);
    return -1;
}

static const char *opt(const char *s) { return s && *s ? s : NULL; }

/* A number cell: 0 with *out, or -1. */
static int number(const char *s, double *out)
{
    char *end;
    errno = 0;
    *out = strtod(s, &end);
    return (end == s || *end || errno) ? -1 : 0;
}

/* A date cell into out (YYYY-MM-DD) or "" when empty; -1 if unreadable. */
static int date_cell(const char *s, char out[11])
{
    out[0] = '\0';
    return *s ? norm_date(s, out) : 0;
}

/* village by name (required); 0 with *id or -1 as a fault. */
static int village_cell(Db *db, const IoKind *k, const char *name,
                        int64_t *id, Fault *f)
{
    *id = 0;
    if (!*name)
        return 0;
    if (places_find(db, "village", 0, name, id, &f->err))
        return -1;
    if (!*id)
        return bad(f, k, "village_id", "no village of that name");
    return 0;
}

/* place_cell finds the place named name in village vid: the village
 * itself (same name or empty name), else a point or venue of it.
 * *id is 0 when there is none. */
static int place_cell(Db *db, int64_t vid, const char *name, int64_t *id,
                      Err *err)
{
    *id = 0;
    if (!*name) {
        *id = vid;
        return 0;
    }
    if (!vid)
        return places_find(db, "village", 0, name, id, err);
    int64_t v2;
    if (places_find(db, "village", 0, name, &v2, err))
        return -1;
    if (v2 == vid) {
        *id = vid;
        return 0;
    }
    if (places_find(db, "point", vid, name, id, err))
        return -1;
    if (!*id && places_find(db, "venue", vid, name, id, err))
        return -1;
    return 0;
}

static int row_supplies(Db *db, const Actor *a, const IoKind *k,
                        const Row *r, int *created, Fault *f)
{
    SupplyMoveInput in = {0};
    in.kind = supplies_kind_code(r->v[1]);
    if (!in.kind || strcmp(in.kind, "reversal") == 0)
        return bad(f, k, "kind", "类型 must be 入库 or 出库");
    char day[11];
    if (date_cell(r->v[0], day))
        return bad(f, k, "day", "not a date");
    in.day = opt(day);
    if (supplies_find_item(db, r->v[2], &in.item_id, &f->err))
        return -1;
    if (!in.item_id)
        return bad(f, k, "item_id", "no such item: the admin adds it first");
    if (number(r->v[4], &in.quantity))
        return bad(f, k, "quantity", "not a number");
    in.source = opt(r->v[5]);
    in.donor = opt(r->v[6]);
    in.supplier = opt(r->v[7]);
    if (*r->v[8]) {
        if (number(r->v[8], &in.cost))
            return bad(f, k, "cost", "not a number");
        in.has_cost = 1;
    }
    if (strcmp(in.kind, "issue") == 0) {
        int64_t vid;
        if (village_cell(db, k, r->v[10], &vid, f) ||
            place_cell(db, vid, r->v[9], &in.place_id, &f->err))
            return -1;
        if (!in.place_id)
            return bad(f, k, "place_id", "no village or point of that name");
    }
    in.recipient = opt(r->v[11]);
    in.note = opt(r->v[12]);
    int64_t id;
    *created = 1;
    return supplies_record(db, a, &in, &id, &f->err);
}

static int row_disinfection(Db *db, const Actor *a, const IoKind *k,
                            const Row *r, int *created, Fault *f)
{
    DisinfectionInput in = {0};
    char day[11];
    if (date_cell(r->v[0], day) || !*day)
        return bad(f, k, "day", "not a date");
    in.day = day;
    int64_t vid, pid;
    if (village_cell(db, k, r->v[2], &vid, f) ||
        place_cell(db, vid, r->v[1], &pid, &f->err))
        return -1;
    if (pid)
        in.place_id = pid;
    else {
        in.place_text = r->v[1];
        in.village_id = vid;
    }
    if (number(r->v[3], &in.area))
        return bad(f, k, "area", "not a number of m²");
    in.has_area = 1;
    in.agent = r->v[4];
    in.concentration = r->v[5];
    in.method = r->v[6];
    in.operator_name = r->v[7];
    in.note = r->v[8];
    int64_t id;
    *created = 1;
    return disinfection_record(db, a, &in, &id, &f->err);
}

/* A visit time cell "2020/2/10 8:30" into "2020-02-10 08:30:00". */
static int at_cell(const char *s, char out[24])
{
    out[0] = '\0';
    if (!*s)
        return 0;
    char date[32];
    const char *sp = strchr(s, ' ');
    size_t n = sp ? (size_t)(sp - s) : strlen(s);
    if (n >= sizeof date || !sp)
        return -1;
    memcpy(date, s, n);
    date[n] = '\0';
    char d[11];
    int hh, mm, ss = 0;
    if (norm_date(date, d) ||
        sscanf(sp + 1, "%d:%d:%d", &hh, &mm, &ss) < 2 || hh < 0 ||
        hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 59)
        return -1;
    snprintf(out, 24, "%s %02d:%02d:%02d", d, hh, mm, ss);
    return 0;
}

static int row_visitors(Db *db, const Actor *a, const IoKind *k,
                        const Row *r, int *created, Fault *f)
{
    VisitorInput in = {0};
    char at[24];
    if (at_cell(r->v[0], at))
        return bad(f, k, "at", "时间 must be a date and time (2020-02-10"
                               " 08:30)");
    in.at = opt(at);
    int64_t vid;
    if (village_cell(db, k, r->v[2], &vid, f))
        return -1;
    if (!vid)
        return bad(f, k, "village_id", "所属村 is required");
    if (places_find(db, "venue", vid, r->v[1], &in.place_id, &f->err) ||
        (!in.place_id &&
         places_find(db, "point", vid, r->v[1], &in.place_id, &f->err)))
        return -1;
    if (!in.place_id)
        return bad(f, k, "place_id", "no venue or point of that name");
    in.name = r->v[3];
    in.phone = opt(r->v[4]);
    if (*r->v[5]) {
        if (number(r->v[5], &in.temperature))
            return bad(f, k, "temperature", "not a number");
        in.has_temperature = 1;
    }
    in.reason = r->v[6];
    in.came_from = r->v[7];
    int64_t id, alert;
    *created = 1;
    return visitors_record(db, a, &in, &id, &alert, &f->err);
}

static int row_inspections(Db *db, const Actor *a, const IoKind *k,
                           const Row *r, int *created, Fault *f)
{
    VisitInput in = {0};
    if (inspection_find_round(db, r->v[0], &in.round_id, &f->err))
        return -1;
    if (!in.round_id)
        return bad(f, k, "round_id", "no round of that name: create it"
                                     " first");
    char day[11], deadline[11];
    if (date_cell(r->v[1], day))
        return bad(f, k, "day", "not a date");
    if (date_cell(r->v[13], deadline))
        return bad(f, k, "deadline", "not a date");
    in.day = opt(day);
    in.deadline = opt(deadline);
    int64_t vid;
    if (village_cell(db, k, r->v[3], &vid, f))
        return -1;
    if (!vid)
        return bad(f, k, "village_id", "所属村 is required");
    if (places_find(db, "point", vid, r->v[2], &in.place_id, &f->err) ||
        (!in.place_id &&
         places_find(db, "venue", vid, r->v[2], &in.place_id, &f->err)))
        return -1;
    if (!in.place_id)
        return bad(f, k, "place_id", "no point or venue of that name");
    in.inspector = r->v[4];
    for (int i = 0; i < INSPECTION_CHECKS; i++) {
        const char *v = r->v[5 + i];
        int yn = norm_yes_no(v);
        if (yn < 0) {
            f->col = 5 + i;
            err_set(&f->err, 422, "invalid_field", NULL, "是 or 否");
            return -1;
        }
        in.checks[i] = *v ? yn : -1;
    }
    in.problems = r->v[11];
    in.required_fix = r->v[12];
    in.accountability = r->v[15];
    int64_t id;
    *created = 1;
    return inspection_visit_create(db, a, &in, &id, &f->err);
}

static int row_enterprises(Db *db, const Actor *a, const IoKind *k,
                           const Row *r, int *created, Fault *f)
{
    EnterpriseInput in = {0};
    in.name = r->v[0];
    if (village_cell(db, k, r->v[1], &in.village_id, f))
        return -1;
    if (!in.village_id)
        return bad(f, k, "village_id", "所属村 is required");
    /* before looking the enterprise up: the answer must not tell whether
     * another village has it */
    if (!actor_in_scope(a, in.village_id))
        return bad(f, k, "village_id", "that village is not one of yours");
    int64_t id;
    if (*in.name && enterprise_find(db, in.village_id, in.name, &id, &f->err))
        return -1;
    if (*in.name && id) {
        *created = 0; /* already registered: a re-import changes nothing */
        return 0;
    }
    if (*r->v[2]) {
        int found;
        if (db_one_int(db, &f->err, &in.liaison_id, &found,
                       "SELECT id FROM accounts WHERE username = ?1", "t",
                       r->v[2]))
            return -1;
        if (!found)
            return bad(f, k, "liaison_id", "no account of that username");
    }
    in.approval = opt(r->v[3]);
    if (in.approval && !enterprise_approval_code(in.approval))
        return bad(f, k, "approval", "审批状态 must be 待审批, 已批准 or"
                                     " 未批准");
    char d[11];
    if (date_cell(r->v[4], d))
        return bad(f, k, "approval_date", "not a date");
    in.approval_date = opt(d);
    in.note = r->v[9];
    *created = 1;
    return enterprise_create(db, a, &in, &id, &f->err);
}

typedef int (*RowFn)(Db *, const Actor *, const IoKind *, const Row *,
                     int *, Fault *);
static const RowFn ROW_FNS[LK_COUNT] = {
    row_supplies, row_disinfection, row_visitors, row_inspections,
    row_enterprises,
};

static void add_bad(LedgerImport *im, int row, const char *column,
                    const char *reason)
{
    if (im->nbad == im->badcap) {
        im->badcap = im->badcap ? im->badcap * 2 : 16;
        im->bad = realloc(im->bad, (size_t)im->badcap * sizeof *im->bad);
        if (!im->bad)
            abort();
    }
    LedgerBadRow *b = &im->bad[im->nbad++];
    b->row = row;
    b->column = arena_strdup(&im->arena, column);
    b->reason = arena_strdup(&im->arena, reason);
}

int ledger_import(Db *db, void *arg, Err *err)
{
    LedgerImport *im = arg;
    const IoKind *k = &KINDS[im->kind];
    int nc = ncols(k);
    char **f;
    int n;
    int rc = csv_next(im->csv, &f, &n, err);
    if (rc <= 0)
        return rc < 0 ? -1
                      : err_set(err, 422, "empty_file", NULL,
                                "the file has no header row");
    int col[MAX_COLS];
    const char *hdr[MAX_COLS];
    for (int i = 0; i < n; i++)
        f[i] = norm_cell(f[i]);
    for (int c = 0; c < nc; c++) {
        col[c] = csv_header_index(f, n, k->cols[c].names);
        hdr[c] = col[c] >= 0 ? arena_strdup(&im->arena, f[col[c]])
                             : k->cols[c].names[0];
        if (col[c] < 0 && k->cols[c].required)
            return err_set(err, 422, "invalid_header", NULL,
                           "the header must name the column %s",
                           k->cols[c].names[0]);
    }
    while ((rc = csv_next(im->csv, &f, &n, err)) == 1) {
        int row = csv_line(im->csv);
        Row r;
        int empty = 1;
        for (int i = 0; i < n; i++) {
            f[i] = norm_cell(f[i]);
            empty &= !*f[i];
        }
        if (empty)
            continue;
        for (int c = 0; c < MAX_COLS; c++)
            r.v[c] = c < nc && col[c] >= 0 && col[c] < n ? f[col[c]] : "";
        im->rows++;
        Fault fl = {.col = -1};
        err_clear(&fl.err);
        if (db_savepoint(db, err))
            return -1;
        int created = 0;
        if (ROW_FNS[im->kind](db, im->actor, k, &r, &created, &fl) == 0) {
            if (db_release(db, err))
                return -1;
            if (created)
                im->created++;
            else
                im->unchanged++;
            continue;
        }
        db_rollback_to(db);
        if (fl.err.status >= 500 || fl.err.status == 0)
            return err_set(err, fl.err.status ? fl.err.status : 500,
                           fl.err.code[0] ? fl.err.code : "internal", NULL,
                           "row %d: %s", row, fl.err.message);
        if (fl.col < 0 && fl.err.field[0])
            fl.col = col_of_field(k, fl.err.field);
        add_bad(im, row, fl.col >= 0 ? hdr[fl.col] : "", fl.err.message);
    }
    if (rc < 0)
        return -1;
    if (im->nbad) {
        /* the good rows are rolled back with the bad: none was stored */
        im->created = im->unchanged = 0;
        return err_set(err, 422, "bad_rows", NULL,
                       "%ld bad row%s, nothing was imported (row %d, %s%s%s)",
                       im->nbad, im->nbad > 1 ? "s" : "", im->bad[0].row,
                       im->bad[0].column, *im->bad[0].column ? ": " : "",
                       im->bad[0].reason);
    }
    return 0;
}

void ledger_import_free(LedgerImport *im)
{
    free(im->bad);
    im->bad = NULL;
    im->nbad = im->badcap = 0;
    arena_free(&im->arena);
}

/* ---- export ----------------------------------------------------------- */

struct LedgerExport {
    Db *db;
    Actor actor;
    LedgerKind kind;
    LedgerFilter f;
    Arena keep;           /* the filter's strings */
    Arena page;           /* the current page's cells */
    const char **cells;   /* PAGE rows of ncols cells */
    int nlines, done;
    int64_t last_id;
    long rows;
    Sheet sheet;          /* the CSV or XLSX being handed out */
};

/* The cell of one column of a row, in the page's arena. */
static const char *cell_of(LedgerExport *x, const IoCol *c,
                           const LedgerRow *r)
{
    int i;
    if (strcmp(c->key, "place") == 0) {
        const char *p = ledger_text(r, "place_name");
        return arena_strdup(&x->page, p ? p : ledger_text(r, "place_text"));
    }
    if ((i = ledger_col(r, c->key)) < 0 || db_is_null(r->st, i))
        return c->label == yes_no ? "" : NULL;
    const char *v;
    switch (r->cols[i].type) {
    case LT_REAL:
    case LT_REAL1: {
        /* every digit the ledger keeps (thousandths), none invented: an
         * export must import back to the same amounts */
        char n[32];
        v = arena_strdup(&x->page,
                         norm_number(db_double(r->st, i),
                                     r->cols[i].type == LT_REAL1 ? 1 : 3,
                                     n));
        break;
    }
    case LT_TEXT:
        v = db_text(r->st, i);
        break;
    default:
        v = arena_printf(&x->page, "%lld", (long long)db_int(r->st, i));
    }
    if (strcmp(c->key, "at") == 0 && v) {
        /* the town's local time, as a clerk reads and re-imports it */
        struct tm tm;
        memset(&tm, 0, sizeof tm);
        if (strptime(v, "%Y-%m-%dT%H:%M:%SZ", &tm)) {
            time_t t = timegm(&tm);
            localtime_r(&t, &tm);
            char s[24];
            strftime(s, sizeof s, "%Y-%m-%d %H:%M:%S", &tm);
            v = s;
            return arena_strdup(&x->page, v);
        }
    }
    if (c->label)
        v = c->label(v);
    return arena_strdup(&x->page, v);
}

static int page_one(void *ctx, const LedgerRow *r)
{
    LedgerExport *x = ctx;
    const IoKind *k = &KINDS[x->kind];
    int nc = ncols(k);
    const char **line = x->cells + (size_t)x->nlines * MAX_COLS;
    for (int c = 0; c < nc; c++)
        line[c] = cell_of(x, &k->cols[c], r);
    int idc = ledger_col(r, "id");
    x->last_id = idc >= 0 ? db_int(r->st, idc) : 0;
    x->nlines++;
    return 0;
}

static int next_page(LedgerExport *x, Err *err)
{
    arena_free(&x->page);
    x->nlines = 0;
    if (x->done)
        return 0;
    x->cells = arena_alloc(&x->page, sizeof(char *) * PAGE * MAX_COLS);
    LedgerFilter f = x->f;
    f.limit = PAGE;
    f.after_id = x->last_id;
    if (ledger_list(x->db, &x->actor, KINDS[x->kind].list, &f, page_one, x,
                    err))
        return -1;
    if (x->nlines < PAGE)
        x->done = 1;
    x->rows += x->nlines;
    return 0;
}

/* ---- the sheet ------------------------------------------------------- */

static const char *sheet_header(void *ctx, int col)
{
    LedgerExport *x = ctx;
    return KINDS[x->kind].cols[col].names[0];
}

static int sheet_page(void *ctx, int *nrows, int *last, Err *err)
{
    LedgerExport *x = ctx;
    if (next_page(x, err))
        return -1;
    *nrows = x->nlines;
    *last = x->done;
    return 0;
}

static const char *sheet_cell(void *ctx, int row, int col)
{
    LedgerExport *x = ctx;
    return x->cells[(size_t)row * MAX_COLS + col];
}

LedgerExport *ledger_export_open(Db *db, const Actor *a, LedgerKind kind,
                                 const LedgerFilter *f, int xlsx)
{
    LedgerExport *x = calloc(1, sizeof *x);
    if (!x)
        abort();
    x->db = db;
    x->actor = *a;
    x->kind = kind;
    x->f = *f;
    const char **s[] = {&x->f.from, &x->f.to, &x->f.kind, &x->f.status,
                        &x->f.day, &x->f.q};
    for (size_t i = 0; i < sizeof s / sizeof *s; i++)
        *s[i] = *s[i] ? arena_strdup(&x->keep, *s[i]) : NULL;
    SheetSource src = {KINDS[kind].sheet, ncols(&KINDS[kind]), sheet_header,
                       NULL, sheet_page, sheet_cell, x};
    sheet_init(&x->sheet, &src, xlsx);
    return x;
}

long ledger_export_read(LedgerExport *x, char *buf, size_t max, Err *err)
{
    return sheet_read(&x->sheet, buf, max, err);
}

long ledger_export_rows(const LedgerExport *x) { return x->rows; }

void ledger_export_close(LedgerExport *x)
{
    if (!x)
        return;
    sheet_free(&x->sheet);
    arena_free(&x->page);
    arena_free(&x->keep);
    free(x);
}

int ledger_export_audit(Db *db, const Actor *a, LedgerKind kind,
                        const LedgerFilter *f, int xlsx, Err *err)
{
    char what[200];
    snprintf(what, sizeof what, "%s export of %s (village_id=%lld, %s..%s)%s",
             xlsx ? "xlsx" : "csv", KINDS[kind].name,
             (long long)f->village_id, f->from ? f->from : "",
             f->to ? f->to : "", f->full ? ", FULL phones" : "");
    return audit_record(db, a, "export", KINDS[kind].name, 0, what, NULL,
                        NULL, err);
}

int ledger_export_file(Db *db, const Actor *a, LedgerKind kind,
                       const LedgerFilter *f, int xlsx, FILE *out,
                       long *rows, Err *err)
{
    LedgerExport *x = ledger_export_open(db, a, kind, f, xlsx);
    char buf[65536];
    long n;
    while ((n = ledger_export_read(x, buf, sizeof buf, err)) > 0)
        if (fwrite(buf, 1, (size_t)n, out) != (size_t)n) {
            n = err_set(err, 400, "io_error", NULL, "cannot write: %s",
                        strerror(errno));
            break;
        }
    if (n == 0 && fflush(out) != 0)
        n = err_set(err, 400, "io_error", NULL, "cannot write: %s",
                    strerror(errno));
    *rows = ledger_export_rows(x);
    ledger_export_close(x);
    return n < 0 ? -1 : 0;
}
