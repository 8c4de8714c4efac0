/* ledger_io.h — the ledgers in and out as spreadsheets (fangyi import /
 * export DB KIND, POST /api/v1/KIND/import, GET /api/v1/KIND/export).
 *
 * KIND is supplies, disinfection, visitors, inspections or enterprises.
 * Each has one table of columns with Chinese headers (English ones are
 * accepted too); the export writes those headers, so a file exported
 * imports again where the ledger allows it.  CSV is UTF-8 with a byte
 * order mark; XLSX goes through libxlsxwriter in constant-memory mode.
 * Imports are all or nothing: every bad row is reported (row, column,
 * reason) and nothing is stored.  Exports are read page by page through
 * the list engine and audited. */
#ifndef FANGYI_LEDGER_IO_H
#define FANGYI_LEDGER_IO_H

#include <stdio.h>

#include "../base/arena.h"
#include "../base/csv.h"
#include "ledger.h"

typedef enum LedgerKind {
    LK_SUPPLIES,
    LK_DISINFECTION,
    LK_VISITORS,
    LK_INSPECTIONS,
    LK_ENTERPRISES,
    LK_COUNT
} LedgerKind;

/* ledger_kind_from_name: "supplies" etc. into *k; -1 if unknown. */
int ledger_kind_from_name(const char *name, LedgerKind *k);
const char *ledger_kind_name(LedgerKind k);

typedef struct LedgerBadRow {
    int row;              /* spreadsheet row: the header is row 1 */
    const char *column;   /* the header as written, or "" */
    const char *reason;
} LedgerBadRow;

typedef struct LedgerImport {
    /* in */
    LedgerKind kind;
    CsvReader *csv;
    const Actor *actor;
    /* out */
    long rows, created, unchanged, nbad;
    LedgerBadRow *bad;
    /* private */
    long badcap;
    Arena arena;
} LedgerImport;

/* ledger_import (a WriteFn, arg a LedgerImport) stores every row, or
 * fails: 422 "bad_rows" (im->bad lists them), 422 "empty_file" /
 * "invalid_header" / "invalid_csv", or the storage's error.  On failure
 * the caller rolls back.  Free with ledger_import_free. */
int ledger_import(Db *db, void *arg, Err *err);
void ledger_import_free(LedgerImport *im);

typedef struct LedgerExport LedgerExport;

/* ledger_export_open: an export of the rows f selects (limit and cursor
 * ignored) as CSV, or XLSX when xlsx; f->full unmasks phones (checked by
 * the caller).  Copies f's strings.  Aborts on out of memory. */
LedgerExport *ledger_export_open(Db *db, const Actor *a, LedgerKind kind,
                                 const LedgerFilter *f, int xlsx);
/* ledger_export_read: up to max bytes of the file; 0 at the end, -1 with
 * err. */
long ledger_export_read(LedgerExport *x, char *buf, size_t max, Err *err);
long ledger_export_rows(const LedgerExport *x);
void ledger_export_close(LedgerExport *x);
/* ledger_export_audit records the export (a write). */
int ledger_export_audit(Db *db, const Actor *a, LedgerKind kind,
                        const LedgerFilter *f, int xlsx, Err *err);
/* ledger_export_file writes the whole export to out; *rows counts. */
int ledger_export_file(Db *db, const Actor *a, LedgerKind kind,
                       const LedgerFilter *f, int xlsx, FILE *out,
                       long *rows, Err *err);

#endif
