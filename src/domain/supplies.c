/* supplies.c — the supplies ledger (防疫物资台账): items, receipts into
 * the town's store, issues to villages and points, and reversals (see
 * ledger.h).  Nothing here is ever updated or deleted except an item's
 * name, unit, threshold and state: the movements are the history. */
#include "ledger.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../base/clock.h"
#include "../base/normalize.h"
#include "../base/validate.h"
#include "audit.h"

static const char *const WORDS[][2] = {
    {"入库", "receipt"}, {"receipt", "receipt"}, {"出库", "issue"},
    {"发放", "issue"},   {"issue", "issue"},     {"冲销", "reversal"},
    {"reversal", "reversal"},
};
static const char *const SOURCES[][2] = {
    {"调拨", "allocated"}, {"上级调拨", "allocated"},
    {"allocated", "allocated"}, {"捐赠", "donated"}, {"donated", "donated"},
    {"采购", "purchased"}, {"purchased", "purchased"},
};

static const char *lookup(const char *const (*t)[2], size_t n, const char *s)
{
    for (size_t i = 0; s && i < n; i++)
        if (strcmp(s, t[i][0]) == 0)
            return t[i][1];
    return NULL;
}

static const char *label(const char *const (*t)[2], size_t n,
                         const char *code)
{
    for (size_t i = 0; code && i < n; i++)
        if (strcmp(code, t[i][1]) == 0)
            return t[i][0];
    return "";
}

const char *supplies_kind_code(const char *s)
{
    return lookup(WORDS, sizeof WORDS / sizeof *WORDS, s);
}
const char *supplies_source_code(const char *s)
{
    return lookup(SOURCES, sizeof SOURCES / sizeof *SOURCES, s);
}
const char *supplies_kind_label(const char *code)
{
    return label(WORDS, sizeof WORDS / sizeof *WORDS, code);
}
const char *supplies_source_label(const char *code)
{
    return label(SOURCES, sizeof SOURCES / sizeof *SOURCES, code);
}

int supplies_find_item(Db *db, const char *name, int64_t *id, Err *err)
{
    int found;
    if (db_one_int(db, err, id, &found,
                   "SELECT id FROM supply_items WHERE name = ?1", "t", name))
        return -1;
    if (!found)
        *id = 0;
    return 0;
}

/* ---- items ------------------------------------------------------------ */

static int check_item(const SupplyItemInput *in, int creating, Err *err)
{
    if ((creating || in->name) && validate_name(in->name, "name", 32, err))
        return -1;
    if ((creating || in->unit) && validate_name(in->unit, "unit", 8, err))
        return -1;
    if (in->has_low_stock &&
        (!isfinite(in->low_stock) || in->low_stock < 0 ||
         in->low_stock > 1e9))
        return err_set(err, 422, "invalid_field", "low_stock",
                       "low_stock must be a number of 0 or more");
    return 0;
}

int supplies_item_create(Db *db, const Actor *a, const SupplyItemInput *given,
                         int64_t *id, Err *err)
{
    /* a name is stored as typed, less the spaces around it: "口罩 " is
     * the same item as "口罩" */
    SupplyItemInput trimmed = *given;
    char name[32 * 4 + 1], unit[8 * 4 + 1];
    trimmed.name = text_trim_copy(given->name, name, sizeof name);
    trimmed.unit = text_trim_copy(given->unit, unit, sizeof unit);
    const SupplyItemInput *in = &trimmed;
    if (ledger_require_town(a, err) || check_item(in, 1, err))
        return -1;
    char now[21];
    clock_now_iso(now);
    if (db_insert(db, err, id,
                  "INSERT INTO supply_items (name, unit, low_stock,"
                  " created_at) VALUES (?1, ?2, ?3, ?4) RETURNING id",
                  "ttdt", in->name, in->unit,
                  in->has_low_stock ? in->low_stock : 0.0, now)) {
        if (db_last_fail(db) == DB_FAIL_UNIQUE)
            err_set(err, 409, "duplicate", "name",
                    "an item named %s exists", in->name);
        return -1;
    }
    char what[400];
    snprintf(what, sizeof what, "%s (%s)", in->name, in->unit);
    return audit_record(db, a, "create", "supply_item", *id, what, NULL,
                        what, err);
}

int supplies_item_update(Db *db, const Actor *a, int64_t id,
                         const SupplyItemInput *given, Err *err)
{
    /* a name is stored as typed, less the spaces around it: "口罩 " is
     * the same item as "口罩" */
    SupplyItemInput trimmed = *given;
    char name[32 * 4 + 1], unit[8 * 4 + 1];
    trimmed.name = text_trim_copy(given->name, name, sizeof name);
    trimmed.unit = text_trim_copy(given->unit, unit, sizeof unit);
    const SupplyItemInput *in = &trimmed;
    if (ledger_require_town(a, err) || check_item(in, 0, err))
        return -1;
    if (db_run(db, err,
               "UPDATE supply_items SET name = COALESCE(?2, name),"
               " unit = COALESCE(?3, unit),"
               " low_stock = CASE WHEN ?4 = 1 THEN ?5 ELSE low_stock END,"
               " active = CASE WHEN ?6 < 0 THEN active ELSE ?6 END"
               " WHERE id = ?1",
               "ittidi", id, in->name, in->unit, (int64_t)in->has_low_stock,
               in->low_stock, (int64_t)in->active)) {
        if (db_last_fail(db) == DB_FAIL_UNIQUE)
            err_set(err, 409, "duplicate", "name",
                    "an item named %s exists", in->name);
        return -1;
    }
    if (db_changes(db) == 0)
        return err_set(err, 404, "not_found", NULL, "no such item");
    return audit_record(db, a, "update", "supply_item", id,
                        in->name ? in->name : "", NULL, NULL, err);
}

/* ---- movements -------------------------------------------------------- */

/* The town's stock of an item, inside the writer's transaction. */
static int stock_of(Db *db, int64_t item_id, double *stock, Err *err)
{
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT COALESCE(SUM(delta), 0) FROM supply_moves"
                 " WHERE item_id = ?1",
                 "i", item_id))
        return -1;
    int rc = db_step(st, err);
    *stock = rc == DB_ROW ? db_double(st, 0) : 0;
    db_done(st);
    return rc == DB_ERROR ? -1 : 0;
}

/* Quantities are kept to 3 decimals (grams of a kg). */
static double round3(double v) { return round(v * 1000) / 1000; }


static int check_quantity(double q, Err *err)
{
    if (!isfinite(q) || q <= 0 || q > 1e9)
        return err_set(err, 422, "invalid_field", "quantity",
                       "quantity must be a number greater than 0");
    if (fabs(round3(q) - q) > 1e-9)
        return err_set(err, 422, "invalid_field", "quantity",
                       "quantity has at most 3 decimals");
    return 0;
}

int supplies_record(Db *db, const Actor *a, const SupplyMoveInput *in,
                    int64_t *id, Err *err)
{
    if (!in->kind)
        return err_set(err, 422, "missing_field", "kind",
                       "kind is required (receipt or issue)");
    int receipt = strcmp(in->kind, "receipt") == 0;
    if (!receipt && strcmp(in->kind, "issue") != 0)
        return err_set(err, 422, "invalid_field", "kind",
                       "kind must be receipt or issue");
    if (!in->item_id)
        return err_set(err, 422, "missing_field", "item_id",
                       "item_id is required");
    int found;
    int64_t active;
    if (db_one_int(db, err, &active, &found,
                   "SELECT active FROM supply_items WHERE id = ?1", "i",
                   in->item_id))
        return -1;
    if (!found || !active)
        return err_set(err, 422, "invalid_field", "item_id",
                       "no such item (or it is retired)");
    if (check_quantity(in->quantity, err))
        return -1;
    char day[11];
    if (ledger_day(in->day, "day", day, err) ||
        ledger_text_field(in->note, "note", 200, 0, err))
        return -1;
    double q = round3(in->quantity), cost = 0;
    LedgerPlace pl = {0};
    const char *source = NULL;
    if (receipt) {
        if (ledger_require_town(a, err))
            return -1;
        if (!in->source)
            return err_set(err, 422, "missing_field", "source",
                           "source is required (allocated, donated or"
                           " purchased)");
        source = supplies_source_code(in->source);
        if (!source)
            return err_set(err, 422, "invalid_field", "source",
                           "source must be allocated, donated or"
                           " purchased");
        if (ledger_text_field(in->donor, "donor",
                              64, strcmp(source, "donated") == 0, err) ||
            ledger_text_field(in->supplier, "supplier", 64,
                              strcmp(source, "purchased") == 0, err))
            return -1;
        if (strcmp(source, "purchased") == 0) {
            if (!in->has_cost)
                return err_set(err, 422, "missing_field", "cost",
                               "a purchase needs its cost");
            if (!isfinite(in->cost) || in->cost < 0 || in->cost > 1e10)
                return err_set(err, 422, "invalid_field", "cost",
                               "cost must be a number of 0 or more");
            cost = round(in->cost * 100) / 100;
        } else if (in->has_cost) {
            return err_set(err, 422, "invalid_field", "cost",
                           "only a purchase has a cost");
        }
    } else {
        if (!in->place_id)
            return err_set(err, 422, "missing_field", "place_id",
                           "an issue goes to a village or point");
        if (ledger_place(db, a, in->place_id, "place_id", &pl, err))
            return -1;
        if (strcmp(pl.type, "village") != 0 && strcmp(pl.type, "point"))
            return err_set(err, 422, "invalid_field", "place_id",
                           "an issue goes to a village or a point");
        if (ledger_text_field(in->recipient, "recipient", 32, 1, err))
            return -1;
        if (in->source || in->has_cost)
            return err_set(err, 422, "invalid_field",
                           in->source ? "source" : "cost",
                           "an issue has no source or cost");
        double stock;
        if (stock_of(db, in->item_id, &stock, err))
            return -1;
        /* compared as the thousandths kept, not as the float the sum
         * drifted to */
        char have[32];
        if (round3(q) > round3(stock))
            return err_set(err, 409, "insufficient_stock", "quantity",
                           "only %s in stock", norm_number(stock, 3, have));
    }
    char now[21];
    clock_now_iso(now);
    if (db_insert(db, err, id,
                  "INSERT INTO supply_moves (item_id, kind, day, quantity,"
                  " delta, place_delta, source, donor, supplier, cost,"
                  " place_id, village_id, recipient, note, actor,"
                  " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
                  " ?9, CASE WHEN ?7 = 'purchased' THEN ?10 END, ?11, ?12,"
                  " ?13, ?14, ?15, ?16) RETURNING id",
                  "ittdddtttdIItttt", in->item_id, in->kind, day, q,
                  receipt ? q : -q, receipt ? 0.0 : q, source,
                  in->donor ? in->donor : "",
                  in->supplier ? in->supplier : "", cost, pl.id,
                  pl.village_id,
                  in->recipient ? in->recipient : "",
                  in->note ? in->note : "", a->username, now))
        return -1;
    char what[400];
    snprintf(what, sizeof what, "%s %g of item %lld%s%s", in->kind, q,
             (long long)in->item_id, receipt ? "" : " to ",
             receipt ? "" : pl.name);
    return audit_record(db, a, "create", "supply_move", *id, what, NULL,
                        what, err);
}

int supplies_reverse(Db *db, const Actor *a, int64_t move_id,
                     const char *note, int64_t *id, Err *err)
{
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT m.item_id, m.kind, m.quantity, m.delta,"
                 " m.place_delta, m.place_id, m.village_id,"
                 " (SELECT r.id FROM supply_moves r WHERE r.reverses = m.id)"
                 " FROM supply_moves m WHERE m.id = ?1",
                 "i", move_id))
        return -1;
    int rc = db_step(st, err);
    int64_t item = 0, place = 0, village = 0, reversed = 0;
    double q = 0, delta = 0, pdelta = 0;
    char kind[16] = "";
    if (rc == DB_ROW) {
        item = db_int(st, 0);
        snprintf(kind, sizeof kind, "%s", db_text(st, 1));
        q = db_double(st, 2);
        delta = db_double(st, 3);
        pdelta = db_double(st, 4);
        place = db_int(st, 5);
        village = db_int(st, 6);
        reversed = db_int(st, 7);
    }
    db_done(st);
    if (rc == DB_ERROR)
        return -1;
    /* receipts belong to the town: only a town-wide account sees them */
    if (rc == DB_DONE || (village ? !actor_in_scope(a, village)
                                  : !a->scope_all))
        return err_set(err, 404, "not_found", NULL, "no such movement");
    if (strcmp(kind, "reversal") == 0)
        return err_set(err, 422, "invalid_field", "id",
                       "a reversal is not reversed: record the movement"
                       " again");
    if (reversed)
        return err_set(err, 409, "conflict", NULL,
                       "movement %lld is already reversed by %lld",
                       (long long)move_id, (long long)reversed);
    if (ledger_text_field(note, "note", 200, 0, err))
        return -1;
    if (delta > 0) {
        double stock;
        if (stock_of(db, item, &stock, err))
            return -1;
        char have[32];
        if (round3(stock) < round3(delta))
            return err_set(err, 409, "insufficient_stock", "quantity",
                           "only %s in stock: the receipt has been issued",
                           norm_number(stock, 3, have));
    }
    char day[11], now[21];
    ledger_day(NULL, "day", day, err);
    clock_now_iso(now);
    if (db_insert(db, err, id,
                  "INSERT INTO supply_moves (item_id, kind, day, quantity,"
                  " delta, place_delta, place_id, village_id, reverses,"
                  " note, actor, created_at) VALUES (?1, 'reversal', ?2,"
                  " ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id",
                  "itdddIIittt", item, day, q, -delta, -pdelta, place,
                  village, move_id, note ? note : "", a->username, now)) {
        if (db_last_fail(db) == DB_FAIL_UNIQUE)
            err_set(err, 409, "conflict", NULL, "already reversed");
        return -1;
    }
    char what[96];
    snprintf(what, sizeof what, "reverse %s %lld", kind, (long long)move_id);
    return audit_record(db, a, "reverse", "supply_move", *id, what, NULL,
                        what, err);
}
