/* sheet.c — streaming a table as CSV or XLSX (see sheet.h). */
#include "sheet.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

void sheet_csv_cell(Buf *b, const char *s)
{
    if (!s)
        s = "";
    int guard = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@';
    if (!guard && !s[strcspn(s, ",\"\r\n")]) {
        buf_puts(b, s);
        return;
    }
    buf_putc(b, '"');
    if (guard)
        buf_putc(b, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            buf_putc(b, '"');
        buf_putc(b, *p);
    }
    buf_putc(b, '"');
}

void sheet_init(Sheet *s, const SheetSource *src, int xlsx)
{
    memset(s, 0, sizeof *s);
    s->src = *src;
    s->xlsx = xlsx;
}

/* Fill s->out with the header, or the CSV of the next page. */
static int csv_fill(Sheet *s, Err *err)
{
    const SheetSource *src = &s->src;
    buf_reset(&s->out);
    s->off = 0;
    if (!s->header_done) {
        s->header_done = 1;
        buf_puts(&s->out, SHEET_CSV_BOM);
        for (int c = 0; c < src->ncols; c++) {
            if (c)
                buf_putc(&s->out, ',');
            buf_puts(&s->out, src->header(src->ctx, c));
        }
        buf_puts(&s->out, "\r\n");
        return 0;
    }
    int n = 0, last = 0;
    if (src->next_page(src->ctx, &n, &last, err))
        return -1;
    s->done = last || n == 0;
    for (int r = 0; r < n; r++) {
        for (int c = 0; c < src->ncols; c++) {
            if (c)
                buf_putc(&s->out, ',');
            const char *v = src->cell(src->ctx, r, c);
            if (v && v[0] == '\t')
                buf_puts(&s->out, v); /* digits only: no quoting needed */
            else
                sheet_csv_cell(&s->out, v);
        }
        buf_puts(&s->out, "\r\n");
    }
    return 0;
}

/* Write every row into one worksheet of wb; -1 with err. */
static int xlsx_rows(Sheet *s, lxw_workbook *wb, lxw_worksheet *ws, Err *err)
{
    const SheetSource *src = &s->src;
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    for (int c = 0; c < src->ncols; c++) {
        double w = src->width ? src->width(src->ctx, c) : 14;
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, w, NULL);
        worksheet_write_string(ws, 0, (lxw_col_t)c, src->header(src->ctx, c),
                               bold);
    }
    lxw_row_t row = 1;
    for (int last = 0; !last;) {
        int n = 0;
        if (src->next_page(src->ctx, &n, &last, err))
            return -1;
        if (n == 0)
            break;
        if (row + (lxw_row_t)n > LXW_ROW_MAX)
            return err_set(err, 422, "too_many_rows", NULL,
                           "more than %d rows do not fit in one XLSX"
                           " sheet: narrow the filter or use CSV",
                           LXW_ROW_MAX - 1);
        for (int r = 0; r < n; r++, row++)
            for (int c = 0; c < src->ncols; c++) {
                const char *v = src->cell(src->ctx, r, c);
                if (v && v[0] == '\t')
                    v++; /* a string cell is text already */
                if (v && *v)
                    worksheet_write_string(ws, row, (lxw_col_t)c, v, NULL);
            }
    }
    return 0;
}

int sheet_workbook(SheetFillFn fill, void *ctx, int constant_memory,
                   FILE **out, Err *err)
{
    *out = NULL;
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp)
        tmp = "/tmp";
    char path[4096];
    snprintf(path, sizeof path, "%s/fangyi-export-XXXXXX", tmp);
    int fd = mkstemp(path);
    if (fd < 0)
        return err_set(err, 500, "io_error", NULL,
                       "cannot create a temporary file in %s: %s", tmp,
                       strerror(errno));
    close(fd);
    lxw_workbook_options o = {.constant_memory = constant_memory != 0,
                              .tmpdir = (char *)tmp};
    lxw_workbook *wb = workbook_new_opt(path, &o);
    if (!wb) {
        unlink(path);
        return err_set(err, 500, "io_error", NULL,
                       "cannot start the workbook");
    }
    int rc = fill(wb, ctx, err);
    lxw_error e = workbook_close(wb);
    if (!rc && e != LXW_NO_ERROR)
        rc = err_set(err, 500, "io_error", NULL,
                     "cannot write the workbook: %s", lxw_strerror(e));
    if (!rc && !(*out = fopen(path, "rb")))
        rc = err_set(err, 500, "io_error", NULL,
                     "cannot read the workbook back: %s", strerror(errno));
    unlink(path);
    return rc;
}

/* The one sheet of a streamed table. */
static int fill_sheet(lxw_workbook *wb, void *ctx, Err *err)
{
    Sheet *s = ctx;
    lxw_worksheet *ws = workbook_add_worksheet(wb, s->src.sheet_name);
    if (!ws)
        return err_set(err, 500, "io_error", NULL,
                       "cannot start the workbook");
    return xlsx_rows(s, wb, ws, err);
}

/* Write the whole workbook to a temporary file and open it for reading. */
static int build_xlsx(Sheet *s, Err *err)
{
    s->built = 1;
    return sheet_workbook(fill_sheet, s, 1, &s->file, err);
}

long sheet_read(Sheet *s, char *buf, size_t max, Err *err)
{
    if (s->xlsx) {
        if (!s->built && build_xlsx(s, err))
            return -1;
        if (!s->file)
            return err_set(err, 500, "io_error", NULL, "no workbook");
        size_t n = fread(buf, 1, max, s->file);
        if (n == 0 && ferror(s->file))
            return err_set(err, 500, "io_error", NULL,
                           "cannot read the workbook back");
        return (long)n;
    }
    while (s->off == s->out.len) {
        if (s->done && s->header_done)
            return 0;
        if (csv_fill(s, err))
            return -1;
    }
    size_t n = s->out.len - s->off;
    if (n > max)
        n = max;
    memcpy(buf, s->out.p + s->off, n);
    s->off += n;
    return (long)n;
}

void sheet_free(Sheet *s)
{
    if (s->file)
        fclose(s->file);
    s->file = NULL;
    buf_free(&s->out);
}
