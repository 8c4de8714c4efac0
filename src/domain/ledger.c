/* ledger.c — the ledgers' list engine and shared checks (see ledger.h).
 *
 * Every list query takes the same numbered parameters, in this order:
 *   ?1 scope_all  ?2 account id  ?3 cursor  ?4 limit  ?5 id  ?6 village
 *   ?7 place  ?8 from  ?9 to  ?10 item  ?11 round  ?12 kind  ?13 status
 *   ?14 day  ?15 full  ?16 q  ?17 enterprise
 * A query uses the first `nparams` of them (db.h wants the format to name
 * every parameter up to the statement's largest; one it does not use is
 * bound and ignored).  LIKE is written with lower() on both sides: ASCII
 * letters match in either case on SQLite and PostgreSQL alike. */
#include "ledger.h"

#include <stdio.h>
#include <string.h>

#include "../base/validate.h"
#include "observation.h"

/* rows of the caller's villages: X is the row's village column */
#define SCOPE(x)                                                          \
    " (?1 = 1 OR " x " IN (SELECT village_id FROM account_villages"       \
    " WHERE account_id = ?2))"
#define DAYS(x) " AND (?8 IS NULL OR " x " >= ?8) AND (?9 IS NULL OR " x \
                " <= ?9)"
/* a phone masked as docs/api.md says unless ?15 */
#define PHONE(x)                                                          \
    "CASE WHEN " x " IS NULL THEN NULL WHEN ?15 = 1 THEN " x              \
    " ELSE substr(" x ", 1, 3) || '****' || substr(" x ", 8) END"
/* fever in tenths of a degree, as temperature_is_fever: lround(10 t) >=
 * 373, written without ROUND, which PostgreSQL rounds half to even */
#define FEVER(x) "(" x " * 10 >= 372.5)"

typedef struct ListSpec {
    const char *sql;
    int nparams;
    LedgerCol cols[40];
} ListSpec;

/* a worker counts on day ?14 while linked; under observation while a
 * measure covers the day; with fever for an open fever alert or a
 * check of 37.3 or more that day */
#define W_ON " w.since <= ?14 AND (w.left_on IS NULL OR w.left_on > ?14)"
#define W_UNDER                                                           \
    " EXISTS (SELECT 1 FROM measures m WHERE m.person_id = w.person_id"   \
    " AND m.basis_date <= ?14 AND (m.status = 'active' OR"                \
    " (m.end_date IS NOT NULL AND m.end_date > ?14)))"
#define W_FEVER                                                           \
    " (EXISTS (SELECT 1 FROM alerts al WHERE al.person_id = w.person_id"  \
    " AND al.kind = 'fever' AND al.closed = 0) OR EXISTS (SELECT 1 FROM"  \
    " checks c WHERE c.person_id = w.person_id AND c.day = ?14 AND"       \
    FEVER("c.temperature") "))"

static const ListSpec SPECS[LL_COUNT] = {
    [LL_SUPPLY_ITEMS] = {
        "SELECT i.id, i.name, i.unit, i.low_stock, i.active,"
        " CASE WHEN ?1 = 1 THEN (SELECT COALESCE(SUM(m.delta), 0)"
        "  FROM supply_moves m WHERE m.item_id = i.id) END,"
        " (SELECT COALESCE(SUM(m.place_delta), 0) FROM supply_moves m"
        "  WHERE m.item_id = i.id AND" SCOPE("m.village_id") "),"
        " ?1 = 1 AND (SELECT COALESCE(SUM(m.delta), 0) FROM supply_moves m"
        "  WHERE m.item_id = i.id) < i.low_stock,"
        " i.created_at"
        " FROM supply_items i WHERE i.id > ?3 AND (?5 = 0 OR i.id = ?5)"
        " ORDER BY i.id LIMIT ?4",
        5,
        {{"id", LT_INT}, {"name", LT_TEXT}, {"unit", LT_TEXT},
         {"low_stock", LT_REAL}, {"active", LT_BOOL}, {"stock", LT_REAL},
         {"issued", LT_REAL}, {"low", LT_BOOL}, {"created_at", LT_TEXT}}},
    [LL_SUPPLY_MOVES] = {
        "SELECT m.id, m.kind, m.day, m.item_id, i.name, i.unit,"
        " m.quantity, m.delta, m.source, m.donor, m.supplier, m.cost,"
        " m.place_id, p.name, p.type, m.village_id, v.name, m.recipient,"
        " m.reverses, (SELECT r.id FROM supply_moves r"
        "  WHERE r.reverses = m.id), m.note, m.actor, m.created_at"
        " FROM supply_moves m JOIN supply_items i ON i.id = m.item_id"
        " LEFT JOIN places p ON p.id = m.place_id"
        " LEFT JOIN places v ON v.id = m.village_id"
        " WHERE" SCOPE("m.village_id")
        " AND (?3 = 0 OR m.id < ?3) AND (?5 = 0 OR m.id = ?5)"
        " AND (?6 = 0 OR m.village_id = ?6) AND (?7 = 0 OR m.place_id = ?7)"
        DAYS("m.day")
        " AND (?10 = 0 OR m.item_id = ?10) AND (?12 IS NULL OR m.kind = ?12)"
        " ORDER BY m.id DESC LIMIT ?4",
        12,
        {{"id", LT_INT}, {"kind", LT_TEXT}, {"day", LT_TEXT},
         {"item_id", LT_INT}, {"item_name", LT_TEXT}, {"unit", LT_TEXT},
         {"quantity", LT_REAL}, {"delta", LT_REAL}, {"source", LT_TEXT},
         {"donor", LT_TEXT}, {"supplier", LT_TEXT}, {"cost", LT_REAL},
         {"place_id", LT_ID}, {"place_name", LT_TEXT},
         {"place_type", LT_TEXT}, {"village_id", LT_ID},
         {"village_name", LT_TEXT}, {"recipient", LT_TEXT},
         {"reverses", LT_ID}, {"reversed_by", LT_ID}, {"note", LT_TEXT},
         {"actor", LT_TEXT}, {"created_at", LT_TEXT}}},
    [LL_SUPPLY_STOCK] = {
        "SELECT m.item_id, i.name, i.unit, m.place_id, p.name, p.type,"
        " m.village_id, v.name, SUM(m.place_delta)"
        " FROM supply_moves m JOIN supply_items i ON i.id = m.item_id"
        " JOIN places p ON p.id = m.place_id"
        " JOIN places v ON v.id = m.village_id"
        " WHERE" SCOPE("m.village_id") " AND ?3 >= 0 AND ?4 > 0"
        " AND (?6 = 0 OR m.village_id = ?6) AND (?7 = 0 OR m.place_id = ?7)"
        " AND (?10 = 0 OR m.item_id = ?10)"
        " GROUP BY m.item_id, m.place_id, i.id, p.id, m.village_id, v.id"
        " ORDER BY m.item_id, v.name, p.name",
        10,
        {{"item_id", LT_INT}, {"item_name", LT_TEXT}, {"unit", LT_TEXT},
         {"place_id", LT_INT}, {"place_name", LT_TEXT},
         {"place_type", LT_TEXT}, {"village_id", LT_INT},
         {"village_name", LT_TEXT}, {"quantity", LT_REAL}}},
    [LL_DISINFECTION] = {
        "SELECT d.id, d.day, d.place_id, p.name, p.type, d.village_id,"
        " v.name, d.place_text, d.area, d.agent, d.concentration, d.method,"
        " d.operator, d.note, d.actor, d.created_at"
        " FROM disinfections d LEFT JOIN places p ON p.id = d.place_id"
        " LEFT JOIN places v ON v.id = d.village_id"
        " WHERE" SCOPE("d.village_id")
        " AND (?3 = 0 OR d.id < ?3) AND (?5 = 0 OR d.id = ?5)"
        " AND (?6 = 0 OR d.village_id = ?6) AND (?7 = 0 OR d.place_id = ?7)"
        DAYS("d.day") " ORDER BY d.id DESC LIMIT ?4",
        9,
        {{"id", LT_INT}, {"day", LT_TEXT}, {"place_id", LT_ID},
         {"place_name", LT_TEXT}, {"place_type", LT_TEXT},
         {"village_id", LT_ID}, {"village_name", LT_TEXT},
         {"place_text", LT_TEXT}, {"area", LT_REAL}, {"agent", LT_TEXT},
         {"concentration", LT_TEXT}, {"method", LT_TEXT},
         {"operator", LT_TEXT}, {"note", LT_TEXT}, {"actor", LT_TEXT},
         {"created_at", LT_TEXT}}},
    [LL_DISINF_DAYS] = {
        "SELECT d.day, COUNT(*), SUM(d.area) FROM disinfections d"
        " WHERE" SCOPE("d.village_id") " AND ?3 >= 0 AND ?4 > 0 AND ?5 >= 0"
        " AND (?6 = 0 OR d.village_id = ?6)" DAYS("d.day")
        " GROUP BY d.day ORDER BY d.day",
        9,
        {{"day", LT_TEXT}, {"records", LT_INT}, {"area", LT_REAL}}},
    [LL_DISINF_VILLAGES] = {
        "SELECT d.village_id, v.name, COUNT(*), SUM(d.area)"
        " FROM disinfections d LEFT JOIN places v ON v.id = d.village_id"
        " WHERE" SCOPE("d.village_id") " AND ?3 >= 0 AND ?4 > 0 AND ?5 >= 0"
        " AND (?6 = 0 OR d.village_id = ?6)" DAYS("d.day")
        " GROUP BY d.village_id, v.id ORDER BY v.name",
        9,
        {{"village_id", LT_ID}, {"village_name", LT_TEXT},
         {"records", LT_INT}, {"area", LT_REAL}}},
    [LL_DISINF_ALL] = {
        "SELECT COUNT(*), COALESCE(SUM(d.area), 0) FROM disinfections d"
        " WHERE" SCOPE("d.village_id") " AND ?3 >= 0 AND ?4 > 0 AND ?5 >= 0"
        " AND (?6 = 0 OR d.village_id = ?6)" DAYS("d.day"),
        9,
        {{"records", LT_INT}, {"area", LT_REAL}}},
    [LL_VISITORS] = {
        "SELECT g.id, g.at, g.day, g.place_id, p.name, g.village_id, v.name,"
        " g.name, " PHONE("g.phone") ", g.temperature, "
        FEVER("g.temperature") ", g.reason, g.came_from, g.alert_id,"
        " g.actor, g.created_at"
        " FROM gate_visits g JOIN places p ON p.id = g.place_id"
        " JOIN places v ON v.id = g.village_id"
        " WHERE" SCOPE("g.village_id")
        " AND (?3 = 0 OR g.id < ?3) AND (?5 = 0 OR g.id = ?5)"
        " AND (?6 = 0 OR g.village_id = ?6) AND (?7 = 0 OR g.place_id = ?7)"
        DAYS("g.day")
        " AND (?12 IS NULL OR (?12 = 'fever') = " FEVER("g.temperature") ")"
        " AND (?16 IS NULL OR lower(g.name) LIKE lower(?16) || '%')"
        " ORDER BY g.id DESC LIMIT ?4",
        16,
        {{"id", LT_INT}, {"at", LT_TEXT}, {"day", LT_TEXT},
         {"place_id", LT_INT}, {"place_name", LT_TEXT},
         {"village_id", LT_INT}, {"village_name", LT_TEXT},
         {"name", LT_TEXT}, {"phone", LT_TEXT}, {"temperature", LT_REAL1},
         {"fever", LT_BOOL}, {"reason", LT_TEXT}, {"came_from", LT_TEXT},
         {"alert_id", LT_ID}, {"actor", LT_TEXT}, {"created_at", LT_TEXT}}},
    [LL_ROUNDS] = {
        "SELECT r.id, r.name, r.team, r.day, r.full_coverage,"
        " (SELECT COUNT(*) FROM inspection_round_sites s"
        "  JOIN places p ON p.id = s.place_id"
        "  WHERE s.round_id = r.id AND" SCOPE("p.village_id") "),"
        " (SELECT COUNT(DISTINCT x.place_id) FROM inspection_visits x"
        "  WHERE x.round_id = r.id AND" SCOPE("x.village_id") "),"
        " (SELECT COUNT(*) FROM inspection_visits x WHERE x.round_id = r.id"
        "  AND x.status = 'open' AND" SCOPE("x.village_id") "),"
        " r.actor, r.created_at FROM inspection_rounds r"
        " WHERE (?3 = 0 OR r.id < ?3) AND (?5 = 0 OR r.id = ?5)"
        " AND ?6 >= 0 AND ?7 >= 0" DAYS("r.day")
        " ORDER BY r.id DESC LIMIT ?4",
        9,
        {{"id", LT_INT}, {"name", LT_TEXT}, {"team", LT_TEXT},
         {"day", LT_TEXT}, {"full_coverage", LT_BOOL}, {"sites", LT_INT},
         {"visited", LT_INT}, {"open_problems", LT_INT}, {"actor", LT_TEXT},
         {"created_at", LT_TEXT}}},
    [LL_ROUND_SITES] = {
        "SELECT p.id, p.name, p.type, p.village_id, v.name,"
        " (SELECT COUNT(*) FROM inspection_visits x"
        "  WHERE x.round_id = s.round_id AND x.place_id = s.place_id)"
        " FROM inspection_round_sites s JOIN places p ON p.id = s.place_id"
        " JOIN places v ON v.id = p.village_id"
        " WHERE s.round_id = ?11 AND" SCOPE("p.village_id")
        " AND ?3 >= 0 AND ?4 > 0 AND ?5 >= 0"
        " AND (?6 = 0 OR p.village_id = ?6) AND (?7 = 0 OR p.id = ?7)"
        " AND ?10 >= 0 ORDER BY v.name, p.type, p.name",
        11,
        {{"place_id", LT_INT}, {"place_name", LT_TEXT},
         {"place_type", LT_TEXT}, {"village_id", LT_INT},
         {"village_name", LT_TEXT}, {"visits", LT_INT}}},
    [LL_VISITS] = {
        "SELECT x.id, x.round_id, r.name, x.place_id, p.name, p.type,"
        " x.village_id, v.name, x.day, x.inspector, x.staff_on_duty,"
        " x.cover_24h, x.plates_phones, x.temps_taken, x.thermometer_ok,"
        " x.no_gathering, x.problems, x.required_fix, x.deadline, x.status,"
        " x.status = 'open' AND x.deadline < ?14, x.accountability,"
        " x.fixed_at, x.verified_at, x.actor, x.created_at"
        " FROM inspection_visits x"
        " JOIN inspection_rounds r ON r.id = x.round_id"
        " JOIN places p ON p.id = x.place_id"
        " JOIN places v ON v.id = x.village_id"
        " WHERE" SCOPE("x.village_id")
        " AND (?3 = 0 OR x.id < ?3) AND (?5 = 0 OR x.id = ?5)"
        " AND (?6 = 0 OR x.village_id = ?6) AND (?7 = 0 OR x.place_id = ?7)"
        DAYS("x.day") " AND ?10 >= 0 AND (?11 = 0 OR x.round_id = ?11)"
        " AND (?13 IS NULL OR x.status = ?13 OR (?13 ="
        " 'overdue' AND x.status = 'open' AND x.deadline < ?14))"
        " ORDER BY x.id DESC LIMIT ?4",
        14,
        {{"id", LT_INT}, {"round_id", LT_INT}, {"round_name", LT_TEXT},
         {"place_id", LT_INT}, {"place_name", LT_TEXT},
         {"place_type", LT_TEXT}, {"village_id", LT_INT},
         {"village_name", LT_TEXT}, {"day", LT_TEXT}, {"inspector", LT_TEXT},
         {"staff_on_duty", LT_TRI}, {"cover_24h", LT_TRI},
         {"plates_phones", LT_TRI}, {"temps_taken", LT_TRI},
         {"thermometer_ok", LT_TRI}, {"no_gathering", LT_TRI},
         {"problems", LT_TEXT}, {"required_fix", LT_TEXT},
         {"deadline", LT_TEXT}, {"status", LT_TEXT}, {"overdue", LT_BOOL},
         {"accountability", LT_TEXT}, {"fixed_at", LT_TEXT},
         {"verified_at", LT_TEXT}, {"actor", LT_TEXT},
         {"created_at", LT_TEXT}}},
    [LL_ENTERPRISES] = {
        "SELECT e.id, e.name, e.village_id, v.name, e.liaison_id,"
        " a.username, a.display_name, e.approval, e.approval_date, e.note,"
        " ?14, (SELECT COUNT(*) FROM enterprise_workers w"
        "  WHERE w.enterprise_id = e.id AND" W_ON "),"
        " (SELECT COUNT(*) FROM enterprise_workers w"
        "  WHERE w.enterprise_id = e.id AND" W_ON " AND NOT" W_UNDER
        "  AND NOT" W_FEVER "),"
        " (SELECT COUNT(*) FROM enterprise_workers w"
        "  WHERE w.enterprise_id = e.id AND" W_ON " AND" W_UNDER "),"
        " (SELECT COUNT(*) FROM enterprise_workers w"
        "  WHERE w.enterprise_id = e.id AND" W_ON " AND" W_FEVER "),"
        " e.created_at"
        " FROM enterprises e JOIN places v ON v.id = e.village_id"
        " LEFT JOIN accounts a ON a.id = e.liaison_id"
        " WHERE" SCOPE("e.village_id")
        " AND (?3 = 0 OR e.id < ?3) AND (?5 = 0 OR e.id = ?5)"
        " AND (?6 = 0 OR e.village_id = ?6) AND ?7 >= 0"
        " AND ?10 >= 0 AND ?11 >= 0"
        " AND (?13 IS NULL OR e.approval = ?13) AND ?15 >= 0"
        " AND (?16 IS NULL OR lower(e.name) LIKE lower(?16) || '%')"
        " ORDER BY e.id DESC LIMIT ?4",
        16,
        {{"id", LT_INT}, {"name", LT_TEXT}, {"village_id", LT_INT},
         {"village_name", LT_TEXT}, {"liaison_id", LT_ID},
         {"liaison_username", LT_TEXT}, {"liaison_name", LT_TEXT},
         {"approval", LT_TEXT}, {"approval_date", LT_TEXT},
         {"note", LT_TEXT}, {"date", LT_TEXT}, {"workers", LT_INT},
         {"present", LT_INT}, {"under_observation", LT_INT},
         {"fever", LT_INT}, {"created_at", LT_TEXT}}},
    [LL_WORKERS] = {
        "SELECT w.id, w.enterprise_id, w.person_id, p.name, p.village_id,"
        " v.name, " PHONE("p.phone") ", w.since, w.left_on,"
        " " W_ON ", (SELECT m.type FROM measures m"
        "  WHERE m.person_id = w.person_id AND m.basis_date <= ?14 AND"
        "  (m.status = 'active' OR (m.end_date IS NOT NULL AND"
        "  m.end_date > ?14)) ORDER BY m.id DESC LIMIT 1), " W_FEVER
        " FROM enterprise_workers w JOIN people p ON p.id = w.person_id"
        " JOIN places v ON v.id = p.village_id"
        " JOIN enterprises e ON e.id = w.enterprise_id"
        /* a worker from a village outside the caller's is not shown */
        " WHERE w.enterprise_id = ?17 AND" SCOPE("e.village_id")
        " AND" SCOPE("p.village_id")
        " AND w.id > ?3 AND (?5 = 0 OR w.id = ?5) AND ?6 >= 0 AND ?7 >= 0"
        " AND ?10 >= 0 AND ?11 >= 0 ORDER BY w.id LIMIT ?4",
        17,
        {{"id", LT_INT}, {"enterprise_id", LT_INT}, {"person_id", LT_INT},
         {"name", LT_TEXT}, {"village_id", LT_INT},
         {"village_name", LT_TEXT}, {"phone", LT_TEXT}, {"since", LT_TEXT},
         {"left_on", LT_TEXT}, {"on_roll", LT_BOOL},
         {"measure", LT_TEXT}, {"fever", LT_BOOL}}},
};

int ledger_list(Db *db, const Actor *a, LedgerList kind,
                const LedgerFilter *f, LedgerEach each, void *ctx,
                Err *err)
{
    const ListSpec *s = &SPECS[kind];
    static const char FMT[] = "iiiiiiittiitttiti";
    char fmt[sizeof FMT];
    snprintf(fmt, sizeof fmt, "%.*s", s->nparams, FMT);
    char today[11];
    day_today(today);
    DbStmt *st;
    if (db_query(db, &st, err, s->sql, fmt, (int64_t)a->scope_all, a->id,
                 f->after_id, (int64_t)(f->limit > 0 ? f->limit : 100),
                 f->id, f->village_id, f->place_id, f->from, f->to,
                 f->item_id, f->round_id, f->kind, f->status,
                 f->day ? f->day : today, (int64_t)f->full, f->q,
                 f->enterprise_id))
        return -1;
    LedgerRow row = {s->cols, 0, st};
    while (row.ncols < 40 && s->cols[row.ncols].key)
        row.ncols++;
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW)
        if (each(ctx, &row))
            break;
    db_done(st);
    return rc == DB_ERROR ? -1 : 0;
}

typedef struct GetCtx {
    LedgerEach each;
    void *ctx;
    int n;
} GetCtx;

static int get_one(void *ctx, const LedgerRow *r)
{
    GetCtx *g = ctx;
    g->n++;
    return g->each(g->ctx, r) ? 1 : 0;
}

int ledger_get(Db *db, const Actor *a, LedgerList kind, int64_t id,
               LedgerEach each, void *ctx, Err *err)
{
    LedgerFilter f = {.id = id, .limit = 1};
    GetCtx g = {each, ctx, 0};
    if (ledger_list(db, a, kind, &f, get_one, &g, err))
        return -1;
    if (!g.n)
        return err_set(err, 404, "not_found", NULL, "no such record");
    return 0;
}

int ledger_col(const LedgerRow *r, const char *key)
{
    for (int i = 0; i < r->ncols; i++)
        if (strcmp(r->cols[i].key, key) == 0)
            return i;
    return -1;
}

const char *ledger_text(const LedgerRow *r, const char *key)
{
    int i = ledger_col(r, key);
    return i < 0 ? NULL : db_text(r->st, i);
}

int64_t ledger_int(const LedgerRow *r, const char *key)
{
    int i = ledger_col(r, key);
    return i < 0 ? 0 : db_int(r->st, i);
}

double ledger_real(const LedgerRow *r, const char *key)
{
    int i = ledger_col(r, key);
    return i < 0 ? 0 : db_double(r->st, i);
}

/* ---- shared checks --------------------------------------------------- */

int ledger_place(Db *db, const Actor *a, int64_t id, const char *field,
                 LedgerPlace *out, Err *err)
{
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT id, type, name, COALESCE(village_id, id)"
                 " FROM places WHERE id = ?1",
                 "i", id))
        return -1;
    int rc = db_step(st, err);
    if (rc == DB_ROW) {
        out->id = db_int(st, 0);
        snprintf(out->type, sizeof out->type, "%s", db_text(st, 1));
        snprintf(out->name, sizeof out->name, "%s", db_text(st, 2));
        out->village_id = db_int(st, 3);
    }
    db_done(st);
    if (rc == DB_ERROR)
        return -1;
    if (rc == DB_DONE)
        return err_set(err, 422, "invalid_field", field, "no such place");
    if (!actor_in_scope(a, out->village_id))
        return err_set(err, 403, "forbidden", field,
                       "that place is not in one of your villages");
    return 0;
}

int ledger_day(const char *in, const char *field, char out[11], Err *err)
{
    char today[11];
    day_today(today);
    if (!in || !*in) {
        memcpy(out, today, 11);
        return 0;
    }
    if (validate_date(in, field, NULL, err))
        return -1;
    if (strcmp(in, today) > 0)
        return err_set(err, 422, "invalid_date", field,
                       "%s is after today", field);
    snprintf(out, 11, "%s", in);
    return 0;
}

int ledger_text_field(const char *s, const char *field, int max,
                      int required, Err *err)
{
    if (!s || !*s) {
        if (required)
            return err_set(err, 422, "missing_field", field,
                           "%s is required", field);
        return 0;
    }
    return validate_name(s, field, (size_t)max, err);
}

int ledger_require_town(const Actor *a, Err *err)
{
    if (a->scope_all)
        return 0;
    return err_set(err, 403, "forbidden", NULL,
                   "only a town-wide account may do this");
}
