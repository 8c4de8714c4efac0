/* places_import.h — places from a CSV file (fangyi import DB places F). */
#ifndef FANGYI_PLACES_IMPORT_H
#define FANGYI_PLACES_IMPORT_H

#include "../base/buf.h"
#include "../base/csv.h"
#include "places.h"

typedef struct PlacesImport {
    CsvReader *csv;       /* in: the open file */
    const Actor *actor;   /* in: who imports */
    long created, kept;   /* out: new places, places that existed */
    long bad_rows;        /* out: rows refused */
    Buf report;           /* out: one line per refused row */
} PlacesImport;

/* places_import (a WriteFn: run it in a transaction) reads every row:
 * columns 类型/type (村, 网格, 防控点, 场所 or village, grid, point,
 * venue), 名称/name, 所属村/village.  A village named in a row must exist
 * or come earlier in the file.  Any bad row fails the whole import (the
 * transaction is rolled back) with each bad row in arg->report. */
int places_import(Db *db, void *arg, Err *err);

#endif
