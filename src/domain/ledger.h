/* ledger.h — the ledgers (台账) of DOMAIN.md: supplies, disinfection,
 * inspections, the gate visitor log and enterprises returning to work.
 *
 * Reads go through one list engine: each kind of list is a query with a
 * fixed set of numbered parameters (LedgerFilter) and a list of named,
 * typed columns, and hands each row to the caller as a LedgerRow, which
 * the API renders as a JSON object and the export as spreadsheet cells.
 * Every query limits rows to the actor's villages: a scoped account sees
 * only the entries of its villages (town-level entries such as supply
 * receipts only a town-wide account sees).
 *
 * Writes take an Actor, check the village scope here (404 outside it,
 * as elsewhere), validate every field (422 naming it), store, and record
 * an audit entry, all inside the caller's transaction.  Supplies are
 * never edited: a correction is a reversing movement. */
#ifndef FANGYI_LEDGER_H
#define FANGYI_LEDGER_H

#include <stdint.h>

#include "../db/db.h"
#include "actor.h"

/* ---- reading: the list engine (ledger.c) ----------------------------- */

typedef enum LedgerList {
    LL_SUPPLY_ITEMS,    /* items with the town's stock and the low mark */
    LL_SUPPLY_MOVES,    /* receipts, issues and reversals, newest first */
    LL_SUPPLY_STOCK,    /* what each village or point holds, per item */
    LL_DISINFECTION,    /* disinfection records, newest first */
    LL_DISINF_DAYS,     /* disinfection totals per day */
    LL_DISINF_VILLAGES, /* disinfection totals per village */
    LL_DISINF_ALL,      /* disinfection total (one row) */
    LL_VISITORS,        /* gate visitor log, newest first */
    LL_ROUNDS,          /* inspection rounds, newest first */
    LL_ROUND_SITES,     /* the sites of round_id, visited or not */
    LL_VISITS,          /* inspection visits, newest first */
    LL_ENTERPRISES,     /* enterprises with the day's health summary */
    LL_WORKERS,         /* the workers of enterprise_id */
    LL_COUNT
} LedgerList;

/* The filters of every list; each list uses those that apply to it.
 * Strings NULL and ids 0 mean "any". */
typedef struct LedgerFilter {
    int64_t after_id;       /* cursor */
    int limit;
    int64_t id;             /* just this record */
    int64_t village_id, place_id, item_id, round_id, enterprise_id;
    const char *from, *to;  /* YYYY-MM-DD, inclusive */
    const char *kind;       /* supply movements: receipt, issue, reversal */
    const char *status;     /* visits: open, fixed, verified, overdue;
                               enterprises: the approval */
    const char *day;        /* "today" for overdue fixes and summaries;
                               NULL: the town's today */
    const char *q;          /* name prefix */
    int full;               /* phones unmasked (the caller checked) */
} LedgerFilter;

typedef enum LedgerType {
    LT_INT, LT_ID,          /* LT_ID: NULL or 0 is JSON null */
    LT_REAL, LT_REAL1,      /* LT_REAL1: one decimal (temperatures) */
    LT_TEXT, LT_BOOL,
    LT_TRI                  /* NULL, true or false */
} LedgerType;

typedef struct LedgerCol {
    const char *key;
    LedgerType type;
} LedgerCol;

/* One row of a list: column i of st is cols[i].  Valid during the
 * callback only. */
typedef struct LedgerRow {
    const LedgerCol *cols;
    int ncols;
    DbStmt *st;
} LedgerRow;

typedef int (*LedgerEach)(void *ctx, const LedgerRow *row);

/* ledger_list calls each() for the rows of list kind that f selects for
 * the actor (each returning nonzero stops).  0, or -1 with err. */
int ledger_list(Db *db, const Actor *a, LedgerList kind,
                const LedgerFilter *f, LedgerEach each, void *ctx,
                Err *err);
/* ledger_get: the one record id of list kind; 404 not_found when there
 * is none or it lies outside the actor's villages. */
int ledger_get(Db *db, const Actor *a, LedgerList kind, int64_t id,
               LedgerEach each, void *ctx, Err *err);

/* Column access by key (-1 / NULL / 0 when the row lacks it). */
int ledger_col(const LedgerRow *r, const char *key);
const char *ledger_text(const LedgerRow *r, const char *key);
int64_t ledger_int(const LedgerRow *r, const char *key);
double ledger_real(const LedgerRow *r, const char *key);

/* ---- shared checks (ledger.c) ---------------------------------------- */

/* A place as the ledgers need it: type and village (its own id for a
 * village). */
typedef struct LedgerPlace {
    int64_t id, village_id;
    char type[16];
    char name[64 * 4 + 1];  /* 64 characters of up to 4 bytes */
} LedgerPlace;

/* ledger_place reads place id and checks the actor's scope: a missing
 * place is 422 naming field, one outside the scope 403 forbidden. */
int ledger_place(Db *db, const Actor *a, int64_t id, const char *field,
                 LedgerPlace *out, Err *err);
/* ledger_day checks a YYYY-MM-DD day (NULL or "" → today into out);
 * days after today are refused. */
int ledger_day(const char *in, const char *field, char out[11], Err *err);
/* ledger_text_field: an optional text of at most max characters (NULL
 * → ""), free of control characters. */
int ledger_text_field(const char *s, const char *field, int max,
                      int required, Err *err);
/* ledger_require_town: 403 unless the actor works for the whole town. */
int ledger_require_town(const Actor *a, Err *err);

/* ---- supplies (supplies.c) ------------------------------------------- */

typedef struct SupplyItemInput {
    const char *name, *unit;
    double low_stock;
    int has_low_stock;
    int active;              /* updates: 1, 0 or -1 to keep */
} SupplyItemInput;

int supplies_item_create(Db *db, const Actor *a, const SupplyItemInput *in,
                         int64_t *id, Err *err);
int supplies_item_update(Db *db, const Actor *a, int64_t id,
                         const SupplyItemInput *in, Err *err);

typedef struct SupplyMoveInput {
    const char *kind;        /* receipt or issue */
    int64_t item_id;
    double quantity;
    const char *day;         /* NULL: today */
    /* receipts */
    const char *source;      /* allocated, donated, purchased */
    const char *donor;       /* donated: required */
    const char *supplier;    /* purchased: required */
    double cost;             /* purchased: required (yuan) */
    int has_cost;
    /* issues */
    int64_t place_id;        /* a village or a point */
    const char *recipient;   /* required */
    const char *note;
} SupplyMoveInput;

/* supplies_record stores a receipt (town-wide accounts only) or an
 * issue; an issue larger than the town's stock of the item is refused
 * with 409 "insufficient_stock" (the check and the insert share the
 * caller's transaction, so two issues cannot both take the last). */
int supplies_record(Db *db, const Actor *a, const SupplyMoveInput *in,
                    int64_t *id, Err *err);
/* supplies_reverse records a movement that undoes move_id (409 when it
 * is already reversed, 422 for a reversal itself, 409 when undoing a
 * receipt would take the stock below zero). */
int supplies_reverse(Db *db, const Actor *a, int64_t move_id,
                     const char *note, int64_t *id, Err *err);
/* supplies_kind_code / supplies_source_code read the words of a
 * spreadsheet (入库, 出库; 调拨, 捐赠, 采购) or the codes; NULL if
 * unknown.  The *_label functions go back to the Chinese word. */
const char *supplies_kind_code(const char *s);
const char *supplies_source_code(const char *s);
const char *supplies_kind_label(const char *code);
const char *supplies_source_label(const char *code);
/* supplies_find_item: the item named name, or 0. */
int supplies_find_item(Db *db, const char *name, int64_t *id, Err *err);

/* ---- disinfection and the gate log (ledger_entries.c) ----------------- */

typedef struct DisinfectionInput {
    const char *day;
    int64_t place_id;        /* a village, point or venue; or 0 */
    int64_t village_id;      /* with place_text: optional village */
    const char *place_text;  /* free text when there is no place_id */
    double area;             /* m², > 0 */
    int has_area;
    const char *agent, *concentration, *method, *operator_name, *note;
} DisinfectionInput;

int disinfection_record(Db *db, const Actor *a, const DisinfectionInput *in,
                        int64_t *id, Err *err);
/* method words: 喷洒 spray, 擦拭 wipe, 熏蒸 fumigate, 其他 other */
const char *disinfection_method_code(const char *s);
const char *disinfection_method_label(const char *code);

typedef struct VisitorInput {
    int64_t place_id;        /* the venue or point whose gate it is */
    const char *at;          /* YYYY-MM-DDTHH:MM:SSZ or local
                                "YYYY-MM-DD HH:MM[:SS]"; NULL: now */
    const char *name, *phone, *reason, *came_from;
    double temperature;
    int has_temperature;
} VisitorInput;

/* visitors_record stores one visitor; 37.3 °C or more opens a fever
 * alert (source gate, the place's village): *alert_id, else 0. */
int visitors_record(Db *db, const Actor *a, const VisitorInput *in,
                    int64_t *id, int64_t *alert_id, Err *err);

/* ---- inspections (inspections.c) ------------------------------------- */

enum { INSPECTION_MAX_SITES = 512, INSPECTION_CHECKS = 6 };

/* The checklist of DOMAIN.md, in the order of VisitInput.checks. */
extern const char *const INSPECTION_CHECK_KEYS[INSPECTION_CHECKS];

typedef struct RoundInput {
    const char *name, *team, *day;
    int full_coverage;
    int64_t sites[INSPECTION_MAX_SITES];  /* points and venues */
    int nsites;
} RoundInput;

int inspection_round_create(Db *db, const Actor *a, const RoundInput *in,
                            int64_t *id, Err *err);

typedef struct VisitInput {
    int64_t round_id, place_id;
    const char *day, *inspector;
    int checks[INSPECTION_CHECKS];        /* 1, 0, or -1 not checked */
    const char *problems, *required_fix, *deadline, *accountability;
} VisitInput;

/* A visit of a site of the round (422 otherwise); with problems it needs
 * a required fix and a deadline, and starts open. */
int inspection_visit_create(Db *db, const Actor *a, const VisitInput *in,
                            int64_t *id, Err *err);
/* inspection_visit_update: status open -> fixed -> verified (or
 * straight to verified), and the accountability note. */
int inspection_visit_update(Db *db, const Actor *a, int64_t id,
                            const char *status, const char *accountability,
                            Err *err);
/* inspection_find_round: the newest round named name, or 0. */
int inspection_find_round(Db *db, const char *name, int64_t *id, Err *err);

/* ---- enterprises (enterprises.c) ------------------------------------- */

typedef struct EnterpriseInput {
    const char *name;
    int64_t village_id;
    int64_t liaison_id;       /* an account; 0 none */
    int has_liaison;
    const char *approval;     /* pending, approved, refused */
    const char *approval_date;
    const char *note;
} EnterpriseInput;

int enterprise_create(Db *db, const Actor *a, const EnterpriseInput *in,
                      int64_t *id, Err *err);
int enterprise_update(Db *db, const Actor *a, int64_t id,
                      const EnterpriseInput *in, Err *err);
/* enterprise_worker_add links a person of the register (in the actor's
 * scope) to the enterprise from since (NULL: today); 409 when linked. */
int enterprise_worker_add(Db *db, const Actor *a, int64_t enterprise_id,
                          int64_t person_id, const char *since,
                          int64_t *id, Err *err);
/* enterprise_worker_leave ends a worker's link on day (NULL: today). */
int enterprise_worker_leave(Db *db, const Actor *a, int64_t enterprise_id,
                            int64_t worker_id, const char *day, Err *err);
const char *enterprise_approval_code(const char *s);
const char *enterprise_approval_label(const char *code);
int enterprise_find(Db *db, int64_t village_id, const char *name,
                    int64_t *id, Err *err);

#endif
