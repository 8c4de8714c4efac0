/* people_export.h — the people register out to a spreadsheet (fangyi
 * export DB people, GET /api/v1/people/export).
 *
 * One row per person with their latest travel, in the columns and order
 * of the import (people_import.h) with its Chinese headers, so a full
 * export imports again unchanged into the same register.  Not carried:
 * earlier travels, a travel's departure date, status (expected) and
 * companions' symptoms, measures and checks — moving a register between
 * databases is not what the spreadsheet is for.  ID numbers and phones are masked unless the
 * caller asks for full values (and may: pii.full).  CSV is UTF-8 with a
 * byte order mark so that Excel opens it; an 18-digit ID number gets a
 * leading tab so that Excel keeps it as text instead of rounding it to
 * 15 digits (the import trims it).  XLSX is written with libxlsxwriter in
 * constant-memory mode to a temporary file, which is then read out.
 *
 * The list is read page by page through the cursor, so memory stays the
 * same whatever the size of the register.  Exports are audited: count
 * the rows, record the entry (people_export_audit), then stream. */
#ifndef FANGYI_PEOPLE_EXPORT_H
#define FANGYI_PEOPLE_EXPORT_H

#include <stdio.h>

#include "people.h"

typedef enum PeopleExportFormat {
    PEOPLE_EXPORT_CSV,
    PEOPLE_EXPORT_XLSX
} PeopleExportFormat;

/* people_export_format: "csv" or "xlsx" into *fmt; -1 for anything
 * else. */
int people_export_format(const char *name, PeopleExportFormat *fmt);
/* The file extension ("csv", "xlsx") of a format. */
const char *people_export_ext(PeopleExportFormat fmt);

/* people_export_count: how many people the filter selects for the actor
 * (the filter's limit and cursor are ignored). */
int people_export_count(Db *db, const Actor *a, const PeopleFilter *f,
                        long *rows, Err *err);

/* people_export_audit records the export (entity "people", action
 * "export") with the filter, the format, the row count and whether ID
 * numbers and phones went out in full.  A write: run it in a
 * transaction. */
int people_export_audit(Db *db, const Actor *a, const PeopleFilter *f,
                        PeopleExportFormat fmt, int full, long rows,
                        Err *err);

typedef struct PeopleExport PeopleExport;

/* people_export_open starts an export that reads through db (a read
 * connection, used only inside people_export_read).  Copies the actor
 * and the filter (limit and cursor ignored).  full: ID numbers and phones
 * unmasked; the caller has checked the actor may.  Free the result with
 * people_export_close.  Aborts on out of memory. */
PeopleExport *people_export_open(Db *db, const Actor *a,
                                 const PeopleFilter *f,
                                 PeopleExportFormat fmt, int full);
/* people_export_read writes up to max (>= 1) bytes of the file into buf.
 * Returns the count (> 0), 0 at the end, or -1 with err filled (storage,
 * temporary file, or XLSX's 1,048,575-row limit). */
long people_export_read(PeopleExport *x, char *buf, size_t max, Err *err);
/* people_export_rows: people written so far. */
long people_export_rows(const PeopleExport *x);
void people_export_close(PeopleExport *x);

/* people_export_file writes the whole export to out (not closed) and
 * the number of people to *rows.  0, or -1 with err (400 "io_error"
 * when out cannot be written). */
int people_export_file(Db *db, const Actor *a, const PeopleFilter *f,
                       PeopleExportFormat fmt, int full, FILE *out,
                       long *rows, Err *err);

#endif
