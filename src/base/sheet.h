/* sheet.h — a table streamed out as a spreadsheet: CSV (UTF-8 with a byte
 * order mark, so Excel opens it) or XLSX (libxlsxwriter in constant-memory
 * mode, written to a temporary file and read out).  The people register
 * and every ledger export through it; each says only what its columns are
 * and how to fetch the next page of rows, so memory stays the same
 * whatever the size of the table.
 *
 * A cell starting with a tab is a long number kept as text (an 18-digit
 * ID number that Excel would round): CSV writes it as it is, XLSX as a
 * string without the tab. */
#ifndef FANGYI_SHEET_H
#define FANGYI_SHEET_H

#include <stdio.h>

#include "buf.h"
#include "err.h"

/* The byte order mark every CSV starts with, so that Excel reads UTF-8. */
#define SHEET_CSV_BOM "\xEF\xBB\xBF"

typedef struct SheetSource {
    const char *sheet_name;                      /* the XLSX sheet */
    int ncols;
    const char *(*header)(void *ctx, int col);   /* Chinese headers */
    double (*width)(void *ctx, int col);         /* XLSX widths, or NULL */
    /* next_page fetches the next rows: *nrows of them (0 at the end),
     * *last set on the last page.  Returns 0, or -1 with err. */
    int (*next_page)(void *ctx, int *nrows, int *last, Err *err);
    /* cell: the text of a cell of the current page, or NULL */
    const char *(*cell)(void *ctx, int row, int col);
    void *ctx;
} SheetSource;

typedef struct Sheet {
    SheetSource src;
    int xlsx;
    Buf out;             /* CSV bytes not yet handed out */
    size_t off;
    int header_done, done;
    FILE *file;          /* the finished workbook, being read */
    int built;
} Sheet;

void sheet_init(Sheet *s, const SheetSource *src, int xlsx);
/* sheet_read hands out the next bytes: > 0 bytes, 0 at the end, -1 with
 * err (422 too_many_rows when an XLSX sheet cannot hold them). */
long sheet_read(Sheet *s, char *buf, size_t max, Err *err);
void sheet_free(Sheet *s);

/* sheet_csv_cell appends s to b as one CSV cell: quoted when it holds a
 * comma, quote or line break; a cell Excel would run as a formula (= + -
 * @ first) gets an apostrophe, which the imports drop again. */
void sheet_csv_cell(Buf *b, const char *s);

/* sheet_workbook builds a workbook with fill(wb, ctx, err) in a temporary
 * file (removed as soon as it is open again) and opens it for reading
 * into *out.  constant_memory: libxlsxwriter's mode for big sheets (rows
 * written in order, one sheet at a time).  0, or -1 with err (fill's, or
 * 500 io_error). */
struct lxw_workbook;
typedef int (*SheetFillFn)(struct lxw_workbook *wb, void *ctx, Err *err);
int sheet_workbook(SheetFillFn fill, void *ctx, int constant_memory,
                   FILE **out, Err *err);

#endif
