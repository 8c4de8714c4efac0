/* accounts.c — accounts, scopes, passwords (see accounts.h).  Sessions and
 * tokens are in sessions.c. */
#include "accounts.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/clock.h"
#include "../base/json.h"
#include "../base/validate.h"
#include "audit.h"

int accounts_check_username(const char *u, Err *err)
{
    size_t n = u ? strlen(u) : 0;
    if (n == 0)
        return err_set(err, 422, "missing_field", "username",
                       "username is required");
    if (n < 2 || n > 32)
        return err_set(err, 422, "invalid_field", "username",
                       "username must be 2 to 32 characters");
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)u[i]) && !strchr("_.-", u[i]))
            return err_set(err, 422, "invalid_field", "username",
                           "username may hold only letters, digits, _ . -");
    return 0;
}

int accounts_check_password(const char *pw, const char *field, Err *err)
{
    /* length in characters, not bytes: 密码密码 is four */
    size_t n = 0;
    for (const char *p = pw; p && *p; p++)
        n += ((unsigned char)*p & 0xC0) != 0x80;
    if (pw && !validate_utf8(pw, strlen(pw)))
        return err_set(err, 422, "invalid_field", field,
                       "a password must be UTF-8 text");
    if (n == 0)
        return err_set(err, 422, "missing_field", field,
                       "a password is required");
    if (n < 8 || n > 128)
        return err_set(err, 422, "invalid_field", field,
                       "a password must be 8 to 128 characters");
    return 0;
}

/* Every id in the list must be a village. */
static int check_villages(Db *db, const AccountInput *in, Err *err)
{
    for (int i = 0; i < in->nvillages; i++) {
        int64_t one;
        int found;
        if (db_one_int(db, err, &one, &found,
                       "SELECT 1 FROM places WHERE id = ?1"
                       " AND type = 'village'",
                       "i", in->villages[i]))
            return -1;
        if (!found)
            return err_set(err, 422, "invalid_field", "villages",
                           "%" PRId64 " is not a village", in->villages[i]);
    }
    return 0;
}

static int store_villages(Db *db, int64_t id, const AccountInput *in,
                          Err *err)
{
    if (db_run(db, err, "DELETE FROM account_villages WHERE account_id = ?1",
               "i", id))
        return -1;
    for (int i = 0; i < in->nvillages; i++)
        if (db_run(db, err,
                   "INSERT INTO account_villages (account_id, village_id)"
                   " VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                   "ii", id, in->villages[i]))
            return -1;
    return 0;
}

/* The JSON the audit log digests for an account (never the hash). */
static void account_json(const Account *acc, Buf *b)
{
    Jw w;
    jw_init(&w, b);
    jw_object(&w);
    jw_kstr(&w, "username", acc->username);
    jw_kstr(&w, "display_name", acc->display_name);
    jw_kstr(&w, "role", acc->role);
    jw_kbool(&w, "disabled", acc->disabled);
    jw_key(&w, "villages");
    jw_array(&w);
    for (int i = 0; i < acc->nvillages; i++)
        jw_int(&w, acc->villages[i]);
    jw_array_end(&w);
    jw_object_end(&w);
}

/* Record an account change in the audit log: before is the JSON of the
 * account before the change (NULL for a new one); after is read back. */
static int audit_account(Db *db, const Actor *a, const char *action,
                         int64_t id, const char *before, Err *err)
{
    Account acc;
    if (accounts_get(db, id, &acc, err))
        return -1;
    Buf after = BUF_INIT;
    account_json(&acc, &after);
    int rc = audit_record(db, a, action, "account", id, acc.username, before,
                          after.p, err);
    buf_free(&after);
    return rc;
}

static int check_input(const AccountInput *in, Err *err)
{
    if (in->role && !roles_find(in->role))
        return err_set(err, 422, "invalid_field", "role", "unknown role %s",
                       in->role);
    if (in->display_name &&
        validate_name(in->display_name, "display_name", 64, err))
        return -1;
    if (in->nvillages > ACTOR_MAX_VILLAGES)
        return err_set(err, 422, "invalid_field", "villages",
                       "at most %d villages", ACTOR_MAX_VILLAGES);
    return 0;
}

static int require_town_scope(const Actor *a, Err *err)
{
    if (!a->scope_all)
        return err_set(err, 403, "forbidden", NULL,
                       "only a town-wide account manages accounts");
    return 0;
}

int accounts_create(Db *db, const Actor *a, const AccountInput *in,
                    int64_t *id, Err *err)
{
    if (require_town_scope(a, err) ||
        accounts_check_username(in->username, err))
        return -1;
    if (!in->role)
        return err_set(err, 422, "missing_field", "role", "role is required");
    if (check_input(in, err) || check_villages(db, in, err))
        return -1;
    char now[21];
    clock_now_iso(now);
    const char *name = in->display_name ? in->display_name : in->username;
    if (db_insert(db, err, id,
                  "INSERT INTO accounts (username, display_name, role,"
                  " password_hash, disabled, created_at)"
                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
                  "ttttit", in->username, name, in->role, in->password_hash,
                  (int64_t)(in->disabled > 0), now)) {
        if (db_last_fail(db) == DB_FAIL_UNIQUE)
            err_set(err, 409, "duplicate", "username",
                    "the username %s is taken", in->username);
        return -1;
    }
    if (store_villages(db, *id, in, err))
        return -1;
    return audit_account(db, a, "create", *id, NULL, err);
}

int accounts_update(Db *db, const Actor *a, int64_t id,
                    const AccountInput *in, Err *err)
{
    if (require_town_scope(a, err) || check_input(in, err))
        return -1;
    Account before;
    if (accounts_get(db, id, &before, err))
        return -1;
    if (id == a->id && ((in->role && strcmp(in->role, before.role) != 0) ||
                        in->disabled > 0 || in->set_villages))
        return err_set(err, 422, "invalid_field",
                       in->role ? "role" : in->disabled > 0 ? "disabled"
                                                            : "villages",
                       "you cannot change your own role, scope or access");
    if (in->set_villages && check_villages(db, in, err))
        return -1;
    if (db_run(db, err,
               "UPDATE accounts SET display_name = COALESCE(?2, display_name),"
               " role = COALESCE(?3, role),"
               " disabled = CASE WHEN ?4 < 0 THEN disabled ELSE ?4 END,"
               " failed_logins = CASE WHEN ?4 = 0 THEN 0"
               "   ELSE failed_logins END,"
               " locked_until = CASE WHEN ?4 = 0 THEN NULL"
               "   ELSE locked_until END"
               " WHERE id = ?1",
               "itti", id, in->display_name, in->role,
               (int64_t)in->disabled))
        return -1;
    if (in->set_villages && store_villages(db, id, in, err))
        return -1;
    /* a disabled account is signed out at once; a new role or scope
     * needs no new sign-in, since every request reads the account anew */
    if (in->disabled > 0 &&
        db_run(db, err, "DELETE FROM sessions WHERE account_id = ?1", "i", id))
        return -1;
    Buf b = BUF_INIT;
    account_json(&before, &b);
    int rc = audit_account(db, a, "update", id, b.p, err);
    buf_free(&b);
    return rc;
}

int accounts_set_password(Db *db, const Actor *a, int64_t id,
                          const char *hash, int64_t keep_session, Err *err)
{
    if (id != a->id && require_town_scope(a, err))
        return -1;
    if (db_run(db, err,
               "UPDATE accounts SET password_hash = ?2, failed_logins = 0,"
               " locked_until = NULL WHERE id = ?1",
               "it", id, hash))
        return -1;
    if (db_changes(db) == 0)
        return err_set(err, 404, "not_found", NULL, "no such account");
    if (db_run(db, err,
               "DELETE FROM sessions WHERE account_id = ?1 AND id <> ?2",
               "ii", id, keep_session))
        return -1;
    return audit_account(db, a, "password", id, NULL, err);
}

/* Columns read into an Account, in this order. */
#define ACCOUNT_COLS "a.id, a.username, a.display_name, a.role, a.disabled," \
                     " a.created_at, a.last_login_at"

static void account_from_row(DbStmt *st, Account *acc)
{
    memset(acc, 0, sizeof *acc);
    acc->id = db_int(st, 0);
    snprintf(acc->username, sizeof acc->username, "%s", db_text(st, 1));
    snprintf(acc->display_name, sizeof acc->display_name, "%s",
             db_text(st, 2));
    snprintf(acc->role, sizeof acc->role, "%s", db_text(st, 3));
    acc->disabled = (int)db_int(st, 4);
    snprintf(acc->created_at, sizeof acc->created_at, "%s", db_text(st, 5));
    const char *last = db_text(st, 6);
    snprintf(acc->last_login_at, sizeof acc->last_login_at, "%s",
             last ? last : "");
}

/* Load the village scope of an account into its record. */
static int load_villages(Db *db, Account *acc, Err *err)
{
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT village_id FROM account_villages"
                 " WHERE account_id = ?1 ORDER BY village_id",
                 "i", acc->id))
        return -1;
    int rc;
    acc->nvillages = 0;
    while ((rc = db_step(st, err)) == DB_ROW)
        if (acc->nvillages < ACTOR_MAX_VILLAGES)
            acc->villages[acc->nvillages++] = db_int(st, 0);
    db_done(st);
    acc->scope_all = acc->nvillages == 0;
    return rc == DB_ERROR ? -1 : 0;
}

/* Read one account by a query on id or username. */
static int account_read(Db *db, const char *sql, const char *fmt,
                        int64_t id, const char *username, Account *out,
                        Err *err)
{
    DbStmt *st;
    int rc = *fmt == 'i' ? db_query(db, &st, err, sql, fmt, id)
                         : db_query(db, &st, err, sql, fmt, username);
    if (rc)
        return -1;
    rc = db_step(st, err);
    if (rc == DB_ROW)
        account_from_row(st, out);
    db_done(st);
    if (rc == DB_ERROR)
        return -1;
    if (rc == DB_DONE)
        return err_set(err, 404, "not_found", NULL, "no such account");
    return load_villages(db, out, err);
}

int accounts_get(Db *db, int64_t id, Account *out, Err *err)
{
    return account_read(db,
                        "SELECT " ACCOUNT_COLS " FROM accounts a"
                        " WHERE a.id = ?1",
                        "i", id, NULL, out, err);
}

int accounts_find(Db *db, const char *username, Account *out, Err *err)
{
    return account_read(db,
                        "SELECT " ACCOUNT_COLS " FROM accounts a"
                        " WHERE a.username = ?1",
                        "t", 0, username, out, err);
}

int accounts_list(Db *db, int64_t after_id, int limit,
                  int (*each)(void *ctx, const Account *acc), void *ctx,
                  Err *err)
{
    /* one query for accounts and their villages: no query per account */
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT " ACCOUNT_COLS ", v.village_id"
                 " FROM (SELECT * FROM accounts WHERE id > ?1"
                 "       ORDER BY id LIMIT ?2) a"
                 " LEFT JOIN account_villages v ON v.account_id = a.id"
                 " ORDER BY a.id, v.village_id",
                 "ii", after_id, (int64_t)limit))
        return -1;
    Account acc;
    int have = 0, rc, stop = 0;
    while ((rc = db_step(st, err)) == DB_ROW) {
        int64_t id = db_int(st, 0);
        if (!have || acc.id != id) {
            if (have && (stop = each(ctx, &acc)) != 0)
                break;
            account_from_row(st, &acc);
            acc.scope_all = 1;
            have = 1;
        }
        if (!db_is_null(st, 7) && acc.nvillages < ACTOR_MAX_VILLAGES) {
            acc.villages[acc.nvillages++] = db_int(st, 7);
            acc.scope_all = 0;
        }
    }
    db_done(st);
    if (rc == DB_ERROR)
        return -1;
    if (have && !stop)
        each(ctx, &acc);
    return 0;
}

int accounts_verify_password(Db *db, int64_t id, const char *pw, Err *err)
{
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT password_hash FROM accounts WHERE id = ?1", "i", id))
        return -1;
    int ok = 0;
    if (db_step(st, err) == DB_ROW)
        ok = secret_check_password(db_text(st, 0), pw);
    db_done(st);
    return ok;
}

int accounts_staff(Db *db, const Actor *a, int64_t village_id,
                   int (*each)(void *ctx, const Account *acc), void *ctx,
                   Err *err)
{
    if (village_id && actor_require_scope(a, village_id, err))
        return -1;
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT id, username, display_name, role FROM accounts x"
                 " WHERE disabled = 0"
                 " AND (NOT EXISTS (SELECT 1 FROM account_villages"
                 "  WHERE account_id = x.id)"
                 "  OR EXISTS (SELECT 1 FROM account_villages v"
                 "   WHERE v.account_id = x.id AND (v.village_id = ?1"
                 "   OR (?1 = 0 AND (?2 = 1 OR v.village_id IN (SELECT"
                 "    village_id FROM account_villages"
                 "    WHERE account_id = ?3))))))"
                 " ORDER BY display_name, id",
                 "iii", village_id, (int64_t)a->scope_all, a->id))
        return -1;
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        Account acc;
        memset(&acc, 0, sizeof acc);
        acc.id = db_int(st, 0);
        snprintf(acc.username, sizeof acc.username, "%s", db_text(st, 1));
        snprintf(acc.display_name, sizeof acc.display_name, "%s",
                 db_text(st, 2));
        snprintf(acc.role, sizeof acc.role, "%s", db_text(st, 3));
        if (each(ctx, &acc))
            break;
    }
    db_done(st);
    return rc == DB_ERROR ? -1 : 0;
}
