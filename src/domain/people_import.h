/* people_import.h — the people register from a township's spreadsheet
 * (fangyi import DB people F, POST /api/v1/people/import).
 *
 * Columns, in Chinese as the registers use them or in English (only 姓名
 * and 所属村 are required; others may be missing or in any order):
 *   姓名 name, 身份证号 id_number, 性别 sex, 联系电话 phone, 所属村 village,
 *   网格 grid, 详细住址 address, 返乡来源地 origin, 途经地 via,
 *   返乡日期 return_date, 交通方式 transport, 车次航班车牌 transport_no,
 *   返乡事由 reason, 密切接触史 contact_history, 症状 symptoms,
 *   来源 source, 备注 notes.
 * Every cell is normalised (normalize.h).  A row with 返乡来源地 registers
 * a travel.  Importing the same file again changes nothing: a person is
 * found by ID number, else by name and phone, else by name, village and
 * address; a travel with the same origin and return date as one the
 * person has is not added again. */
#ifndef FANGYI_PEOPLE_IMPORT_H
#define FANGYI_PEOPLE_IMPORT_H

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/csv.h"
#include "people.h"

/* The columns, in the order the export writes them. */
enum {
    PCOL_NAME, PCOL_ID_NUMBER, PCOL_SEX, PCOL_PHONE, PCOL_VILLAGE,
    PCOL_GRID, PCOL_ADDRESS, PCOL_ORIGIN, PCOL_VIA, PCOL_RETURN_DATE,
    PCOL_TRANSPORT, PCOL_TRANSPORT_NO, PCOL_REASON, PCOL_CONTACT,
    PCOL_SYMPTOMS, PCOL_SOURCE, PCOL_NOTES, PCOL_COUNT
};

/* people_column_zh / people_column_en: the header of column i (PCOL_*). */
const char *people_column_zh(int i);
const char *people_column_en(int i);

/* One refused row. */
typedef struct PeopleBadRow {
    int row;              /* spreadsheet row: the header is row 1 */
    const char *column;   /* the header as written in the file, or "" */
    const char *reason;   /* one English line */
} PeopleBadRow;

typedef struct PeopleImport {
    /* in */
    CsvReader *csv;       /* the open file; read to the end */
    const Actor *actor;   /* who imports: rows outside its villages are bad */
    int skip_invalid;     /* import the good rows, report the bad ones */
    int dry_run;          /* check only: everything is rolled back */
    int want_rejects;     /* build `rejects` (see below) */
    /* called every 1000 rows and at the end (may be NULL): rows read so
     * far and the file line reached */
    void (*progress)(void *ctx, long rows, int line);
    void *progress_ctx;

    /* out */
    long rows;            /* data rows read (empty rows not counted) */
    long created;         /* new people */
    long updated;         /* people who got a new travel */
    long unchanged;       /* rows that were already in the register */
    long nbad;            /* bad rows, listed in bad[0..nbad) */
    PeopleBadRow *bad;
    /* With want_rejects: a UTF-8 CSV (with BOM) of the header and every
     * bad row as it was in the file, plus a last column 错误原因 (reason
     * in an English file) naming the column and the fault. */
    Buf rejects;

    /* private */
    long badcap;
    Arena arena;
} PeopleImport;

/* people_import (a WriteFn: arg is a PeopleImport, run it in a
 * transaction) reads every row of im->csv and registers the good ones
 * with people_register / travels_add.  Each bad row is recorded in
 * im->bad and the import goes on to find the others.  Returns:
 *   0   done (with skip_invalid the bad rows were left out);
 *   -1  with 422 "bad_rows" when a row is bad and skip_invalid is off,
 *       with 200 "dry_run" after a dry run (both: roll back; the counts
 *       say what would have happened),
 *       with 422 "empty_file" / "invalid_header" / "invalid_csv" for a
 *       file that cannot be read as a register, or with the storage's
 *       error (status >= 500), which stops the import at once.
 * The caller frees what im holds with people_import_free. */
int people_import(Db *db, void *arg, Err *err);


/* people_import_free releases im->bad, im->rejects and their strings
 * (not im->csv). */
void people_import_free(PeopleImport *im);

#endif
