/* report_sheet.c — the daily report as CSV or XLSX in the upper level's
 * shape (see report_sheet.h).  Each table is written once, through a
 * small cell writer that puts a cell either into the CSV or into an XLSX
 * sheet, so the CSV and the 各村汇总 sheet are the same table. */
#include "report_sheet.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <xlsxwriter.h>

#include "../base/sheet.h"
#include "report_figures.h"

#define SHEET_TOWN "全镇汇总"
#define SHEET_VILLAGES "各村汇总"

int report_sheet_format(const char *name, int *xlsx)
{
    if (!name || !*name || !strcmp(name, "csv"))
        *xlsx = 0;
    else if (!strcmp(name, "xlsx"))
        *xlsx = 1;
    else
        return -1;
    return 0;
}

void report_sheet_filename(const Report *r, int xlsx, Buf *b)
{
    buf_puts(b, "日报-");
    for (const char *p = r->town; *p; p++)
        buf_putc(b, strchr("/\\\"*?:<>|", *p) || (unsigned char)*p < 0x20
                        ? '_'
                        : *p);
    buf_printf(b, "-%s.%s", r->date, xlsx ? "xlsx" : "csv");
}

/* ---- one cell after another, into the CSV or a sheet ------------------ */

typedef struct Out {
    Buf *csv;                 /* the CSV, or NULL for a sheet */
    lxw_worksheet *ws;
    lxw_format *bold, *dec1;
    lxw_row_t row;
    lxw_col_t col;
} Out;

static void out_sep(Out *o)
{
    if (o->csv && o->col)
        buf_putc(o->csv, ',');
}

static void out_text(Out *o, const char *s, int bold)
{
    out_sep(o);
    if (o->csv)
        sheet_csv_cell(o->csv, s);
    else if (s && *s)
        worksheet_write_string(o->ws, o->row, o->col, s,
                               bold ? o->bold : NULL);
    o->col++;
}

static void out_number(Out *o, double v, int decimals)
{
    out_sep(o);
    if (o->csv)
        buf_printf(o->csv, "%.*f", decimals, v);
    else
        worksheet_write_number(o->ws, o->row, o->col, v,
                               decimals ? o->dec1 : NULL);
    o->col++;
}

/* A quantity of supplies: whole numbers as integers, else 3 decimals. */
static void out_qty(Out *o, double v)
{
    if (o->csv && v != (double)(long long)v) {
        out_number(o, v, 3);
        return;
    }
    out_number(o, v, 0);
}

static void out_figure(Out *o, const ReportFigure *f, const Report *r,
                       const ReportCounts *c)
{
    out_number(o, report_figure_value(f, r, c), report_figure_decimals(f));
}

static void out_row_end(Out *o)
{
    if (o->csv)
        buf_puts(o->csv, "\r\n");
    o->row++;
    o->col = 0;
}

/* ---- the tables --------------------------------------------------------- */

/* The name of a village in a table: its name, marked when retired. */
static void village_label(const ReportVillage *v, Buf *b)
{
    buf_puts(b, v->name);
    if (!v->active)
        buf_puts(b, REPORT_LABEL_INACTIVE);
}

/* 各村汇总: a row per village, a column per figure of a village, and the
 * report's totals as 合计 (records with no village count there only). */
static void villages_table(Out *o, const Report *r)
{
    Buf b = BUF_INIT;
    out_text(o, REPORT_LABEL_VILLAGE, 1);
    for (int i = 0; i < report_nfigures; i++) {
        const ReportFigure *f = &report_figures[i];
        if (f->kind == RF_TOWN)
            continue;
        buf_reset(&b);
        buf_puts(&b, f->label);
        if (f->kind == RF_PCT)
            buf_puts(&b, "（%）");
        out_text(o, b.p, 1);
    }
    out_row_end(o);
    for (size_t k = 0; k <= r->nvillages; k++) {
        const ReportVillage *v = k < r->nvillages ? &r->by_village[k] : NULL;
        if (v && !report_village_listed(v))
            continue;
        buf_reset(&b);
        if (v)
            village_label(v, &b);
        else
            buf_puts(&b, REPORT_LABEL_TOTAL);
        out_text(o, b.p, !v);
        for (int i = 0; i < report_nfigures; i++)
            if (report_figures[i].kind != RF_TOWN)
                out_figure(o, &report_figures[i], r, v ? &v->c : &r->total);
        out_row_end(o);
    }
    buf_free(&b);
}

/* 指标 / 数值 / 单位: the figures of the town (v NULL) or of a village. */
static void figures_table(Out *o, const Report *r, const ReportVillage *v)
{
    out_text(o, REPORT_LABEL_FIGURE, 1);
    out_text(o, REPORT_LABEL_VALUE, 1);
    out_text(o, REPORT_LABEL_UNIT, 1);
    out_row_end(o);
    out_text(o, REPORT_LABEL_TOWN, 0);
    out_text(o, r->town, 0);
    out_row_end(o);
    if (v) {
        Buf b = BUF_INIT;
        village_label(v, &b);
        out_text(o, REPORT_LABEL_VILLAGE, 0);
        out_text(o, b.p, 0);
        out_row_end(o);
        buf_free(&b);
    }
    out_text(o, REPORT_LABEL_DATE, 0);
    out_text(o, r->date, 0);
    out_row_end(o);
    for (int i = 0; i < report_nfigures; i++) {
        const ReportFigure *f = &report_figures[i];
        if (v && f->kind == RF_TOWN)
            continue;
        out_text(o, f->label, 0);
        out_figure(o, f, r, v ? &v->c : &r->total);
        out_text(o, f->unit, 0);
        out_row_end(o);
    }
}

static void supplies_table(Out *o, const Report *r)
{
    for (int c = 0; c < REPORT_SUPPLY_COLS; c++)
        out_text(o, report_supply_labels[c], 1);
    out_row_end(o);
    for (size_t i = 0; i < r->nsupplies; i++) {
        const ReportSupply *s = &r->supplies[i];
        out_text(o, s->item, 0);
        out_text(o, s->unit, 0);
        out_qty(o, s->received_total);
        out_qty(o, s->issued_total);
        out_qty(o, s->stock);
        out_row_end(o);
    }
}

/* ---- sheet names -------------------------------------------------------- */

enum { SHEET_NAME_MAX = 31 }; /* Excel's limit, in UTF-16 units */

/* Append s to b within max UTF-16 units, the characters a sheet name
 * cannot hold ([ ] : * ? / \) as _. */
static void name_cut(Buf *b, const char *s, int max)
{
    int units = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        int n = *p < 0x80 ? 1 : *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3
                : *p >= 0xC0 ? 2 : 1;
        int u = n == 4 ? 2 : 1;
        for (int k = 1; k < n; k++)
            if ((p[k] & 0xC0) != 0x80)
                return; /* a broken sequence ends the name */
        if (units + u > max)
            break;
        if (n == 1 && (strchr("[]:*?/\\", *p) || *p < 0x20))
            buf_putc(b, '_');
        else
            buf_append(b, p, (size_t)n);
        units += u;
        for (int k = 0; k < n && *p; k++)
            p++;
    }
}

/* Add the sheet of a village, named after it: within 31 characters, no
 * apostrophe at either end, and unique (a second 东旺村 is 东旺村(2)). */
static lxw_worksheet *village_sheet(lxw_workbook *wb, const ReportVillage *v)
{
    Buf label = BUF_INIT, name = BUF_INIT;
    village_label(v, &label);
    const char *base = label.p;
    while (*base == '\'')
        base++;
    size_t n = strlen(base);
    while (n && base[n - 1] == '\'')
        n--;
    Buf trimmed = BUF_INIT;
    buf_append(&trimmed, base, n);
    if (!n)
        buf_printf(&trimmed, "村%lld", (long long)v->village_id);
    lxw_worksheet *ws = NULL;
    for (int k = 1; !ws && k < 10000; k++) {
        char suffix[16] = "";
        if (k > 1)
            snprintf(suffix, sizeof suffix, "(%d)", k);
        buf_reset(&name);
        name_cut(&name, trimmed.p, SHEET_NAME_MAX - (int)strlen(suffix));
        buf_puts(&name, suffix);
        if (strcasecmp(name.p, "History") &&
            workbook_validate_sheet_name(wb, name.p) == LXW_NO_ERROR)
            ws = workbook_add_worksheet(wb, name.p);
    }
    buf_free(&trimmed);
    buf_free(&label);
    buf_free(&name);
    return ws;
}

/* ---- the workbook ------------------------------------------------------- */

typedef struct Book {
    const Report *r;
} Book;

static int fill_book(lxw_workbook *wb, void *ctx, Err *err)
{
    const Report *r = ((Book *)ctx)->r;
    Out o = {0};
    o.bold = workbook_add_format(wb);
    format_set_bold(o.bold);
    o.dec1 = workbook_add_format(wb);
    format_set_num_format(o.dec1, "0.0");

    o.ws = workbook_add_worksheet(wb, SHEET_TOWN);
    if (!o.ws)
        goto fail;
    worksheet_set_column(o.ws, 0, 0, 24, NULL);
    worksheet_set_column(o.ws, 1, 4, 12, NULL);
    figures_table(&o, r, NULL);
    out_row_end(&o); /* a blank row before the supplies */
    supplies_table(&o, r);

    o.ws = workbook_add_worksheet(wb, SHEET_VILLAGES);
    if (!o.ws)
        goto fail;
    o.row = 0;
    worksheet_set_column(o.ws, 0, 0, 14, NULL);
    worksheet_set_column(o.ws, 1, (lxw_col_t)report_nfigures, 12, NULL);
    worksheet_freeze_panes(o.ws, 1, 1);
    villages_table(&o, r);

    for (size_t k = 0; k < r->nvillages; k++) {
        const ReportVillage *v = &r->by_village[k];
        if (!report_village_listed(v))
            continue;
        if (!(o.ws = village_sheet(wb, v)))
            goto fail;
        o.row = 0;
        worksheet_set_column(o.ws, 0, 0, 24, NULL);
        worksheet_set_column(o.ws, 1, 2, 12, NULL);
        figures_table(&o, r, v);
    }
    return 0;
fail:
    return err_set(err, 500, "io_error", NULL, "cannot add a sheet");
}

int report_sheet(const Report *r, int xlsx, Buf *out, Err *err)
{
    if (!xlsx) {
        Out o = {.csv = out};
        buf_puts(out, SHEET_CSV_BOM);
        villages_table(&o, r);
        return 0;
    }
    Book book = {r};
    FILE *f;
    if (sheet_workbook(fill_book, &book, 0, &f, err))
        return -1;
    char chunk[16384];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_append(out, chunk, n);
    int bad = ferror(f);
    fclose(f);
    if (bad)
        return err_set(err, 500, "io_error", NULL,
                       "cannot read the workbook back");
    return 0;
}
