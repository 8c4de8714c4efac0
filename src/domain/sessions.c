/* sessions.c — signing in: password checks with lockout, sessions, API
 * tokens, and turning a cookie or bearer token into an Actor (see
 * accounts.h).  Only SHA-256 digests of tokens are stored. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../base/clock.h"
#include "../base/secret.h"
#include "accounts.h"
#include "audit.h"

/* A valid argon2id hash of a random password, checked when the username
 * does not exist so that the answer takes as long as for a real one. */
static const char *dummy_hash(void)
{
    static char hash[SECRET_HASH_LEN];
    static int ready;
    if (!__atomic_load_n(&ready, __ATOMIC_ACQUIRE)) {
        char pw[13];
        secret_password(pw);
        if (secret_hash_password(pw, hash) == 0)
            __atomic_store_n(&ready, 1, __ATOMIC_RELEASE);
    }
    return hash;
}

/* Failed logins with a username no account has are counted too, so that
 * such a name locks after LOGIN_MAX_FAILURES like an account and no answer
 * tells which names exist.  One row of rate_hits per name: client "login:"
 * and the name's SHA-256, n the failures in a row, bucket the time of the
 * last one, or the end of the lock once n reaches the limit. */
enum { UNKNOWN_KEY_LEN = 6 + SECRET_HEX_LEN };

static void unknown_key(const char *username, char key[UNKNOWN_KEY_LEN])
{
    char hex[SECRET_HEX_LEN];
    secret_sha256_hex(username, strlen(username), hex);
    snprintf(key, UNKNOWN_KEY_LEN, "login:%s", hex);
}

/* The end of an unknown name's lock into until ("" when not locked). */
static int unknown_locked(Db *db, const char *username, char until[21],
                          Err *err)
{
    char key[UNKNOWN_KEY_LEN], now[21];
    unknown_key(username, key);
    clock_now_iso(now);
    return db_one_text(db, err, until, 21,
                       "SELECT bucket FROM rate_hits WHERE client = ?1"
                       " AND n >= ?2 AND bucket > ?3",
                       "tit", key, (int64_t)LOGIN_MAX_FAILURES, now);
}

int login_failed_unknown(Db *db, const char *username, Err *err)
{
    if (!username || !*username)
        return 0;
    char key[UNKNOWN_KEY_LEN], now[21], until[21], old[21];
    time_t t = clock_now();
    clock_iso_utc(t, now);
    clock_iso_utc(t + LOGIN_LOCK_SECONDS, until);
    clock_iso_utc(t - 86400, old);
    unknown_key(username, key);
    /* a failure while locked (a race with the check) changes nothing; the
     * one that reaches the limit locks; the first after a lock counts 1 */
    if (db_run(db, err, "DELETE FROM rate_hits WHERE bucket < ?1", "t",
               old) ||
        db_run(db, err,
               "UPDATE rate_hits SET"
               " n = CASE WHEN n >= ?2 AND bucket > ?3 THEN n"
               "   WHEN n >= ?2 THEN 1 ELSE n + 1 END,"
               " bucket = CASE WHEN n >= ?2 AND bucket > ?3 THEN bucket"
               "   WHEN n + 1 = ?2 THEN ?4 ELSE ?3 END"
               " WHERE client = ?1",
               "titt", key, (int64_t)LOGIN_MAX_FAILURES, now, until))
        return -1;
    if (db_changes(db) > 0)
        return 0;
    int64_t names;
    if (db_one_int(db, err, &names, NULL,
                   "SELECT count(*) FROM (SELECT 1 FROM rate_hits"
                   " WHERE substr(client, 1, 6) = 'login:' LIMIT ?1) q",
                   "i", (int64_t)LOGIN_UNKNOWN_MAX))
        return -1;
    if (names >= LOGIN_UNKNOWN_MAX)
        return 0;
    return db_run(db, err,
                  "INSERT INTO rate_hits (client, bucket, n) VALUES (?1, ?2, 1)",
                  "tt", key, LOGIN_MAX_FAILURES <= 1 ? until : now);
}

int login_verify(Db *db, const char *username, const char *password,
                 int64_t *account_id, Err *err)
{
    *account_id = 0;
    if (!username || !*username || !password)
        return err_set(err, 401, "bad_credentials", NULL,
                       "wrong username or password");
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT id, password_hash, disabled, locked_until"
                 " FROM accounts WHERE username = ?1",
                 "t", username))
        return -1;
    int rc = db_step(st, err);
    if (rc == DB_ERROR)
        return -1;
    if (rc == DB_DONE) {
        db_done(st);
        char until[21];
        if (unknown_locked(db, username, until, err))
            return -1;
        if (*until)
            return err_set(err, 429, "account_locked", NULL,
                           "too many failed logins: locked until %s", until);
        secret_check_password(dummy_hash(), password);
        return err_set(err, 401, "bad_credentials", NULL,
                       "wrong username or password");
    }
    int64_t id = db_int(st, 0);
    char hash[SECRET_HASH_LEN], locked[21] = "";
    snprintf(hash, sizeof hash, "%s", db_text(st, 1));
    int disabled = (int)db_int(st, 2);
    if (!db_is_null(st, 3))
        snprintf(locked, sizeof locked, "%s", db_text(st, 3));
    db_done(st);

    char now[21];
    clock_now_iso(now);
    if (*locked && strcmp(locked, now) > 0)
        return err_set(err, 429, "account_locked", NULL,
                       "too many failed logins: locked until %s", locked);
    if (!secret_check_password(hash, password)) {
        *account_id = id;
        return err_set(err, 401, "bad_credentials", NULL,
                       "wrong username or password");
    }
    if (disabled)
        return err_set(err, 403, "account_disabled", NULL,
                       "this account is disabled");
    *account_id = id;
    return 0;
}

int login_succeeded(Db *db, int64_t account_id, const char *token,
                    const char *csrf, int64_t *session_id, Err *err)
{
    char now[21], expires[21], digest[SECRET_HEX_LEN];
    time_t t = clock_now();
    clock_iso_utc(t, now);
    clock_iso_utc(t + SESSION_SECONDS, expires);
    secret_sha256_hex(token, strlen(token), digest);
    if (db_run(db, err,
               "UPDATE accounts SET failed_logins = 0, locked_until = NULL,"
               " last_login_at = ?2 WHERE id = ?1",
               "it", account_id, now))
        return -1;
    /* expired sessions of this account go when it signs in again */
    if (db_run(db, err,
               "DELETE FROM sessions WHERE account_id = ?1"
               " AND expires_at <= ?2",
               "it", account_id, now))
        return -1;
    return db_insert(db, err, session_id,
                     "INSERT INTO sessions (token_hash, account_id,"
                     " csrf_token, created_at, expires_at)"
                     " VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
                     "tittt", digest, account_id, csrf, now, expires);
}

int login_failed(Db *db, int64_t account_id, Err *err)
{
    char until[21];
    clock_iso_utc(clock_now() + LOGIN_LOCK_SECONDS, until);
    /* the failure that reaches the limit locks and starts the count anew */
    return db_run(db, err,
                  "UPDATE accounts SET"
                  " locked_until = CASE WHEN failed_logins + 1 >= ?2"
                  "   THEN ?3 ELSE locked_until END,"
                  " failed_logins = CASE WHEN failed_logins + 1 >= ?2"
                  "   THEN 0 ELSE failed_logins + 1 END"
                  " WHERE id = ?1",
                  "iit", account_id, (int64_t)LOGIN_MAX_FAILURES, until);
}

int session_end(Db *db, int64_t session_id, Err *err)
{
    return db_run(db, err, "DELETE FROM sessions WHERE id = ?1", "i",
                  session_id);
}

/* Fill the actor for an account id read from a session or token row. */
static int actor_load(Db *db, int64_t account_id, Actor *a, Err *err)
{
    Account acc;
    if (accounts_get(db, account_id, &acc, err))
        return -1;
    if (acc.disabled)
        return err_set(err, 401, "unauthenticated", NULL,
                       "this account is disabled");
    a->id = acc.id;
    snprintf(a->username, sizeof a->username, "%s", acc.username);
    snprintf(a->display_name, sizeof a->display_name, "%s",
             acc.display_name);
    a->role = roles_find(acc.role);
    a->scope_all = acc.scope_all;
    a->nvillages = acc.nvillages;
    memcpy(a->villages, acc.villages, sizeof a->villages);
    return 0;
}

int actor_from_session(Db *db, const char *token, Actor *a, Err *err)
{
    memset(a, 0, sizeof *a);
    char digest[SECRET_HEX_LEN], now[21];
    secret_sha256_hex(token, strlen(token), digest);
    clock_now_iso(now);
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT id, account_id, csrf_token FROM sessions"
                 " WHERE token_hash = ?1 AND expires_at > ?2",
                 "tt", digest, now))
        return -1;
    int rc = db_step(st, err);
    int64_t account_id = 0;
    if (rc == DB_ROW) {
        a->session_id = db_int(st, 0);
        account_id = db_int(st, 1);
        snprintf(a->csrf, sizeof a->csrf, "%s", db_text(st, 2));
    }
    db_done(st);
    if (rc == DB_ERROR)
        return -1;
    if (rc == DB_DONE)
        return err_set(err, 401, "unauthenticated", NULL,
                       "please sign in");
    return actor_load(db, account_id, a, err);
}

int actor_from_token(Db *db, const char *token, Actor *a, Err *err)
{
    memset(a, 0, sizeof *a);
    char digest[SECRET_HEX_LEN];
    secret_sha256_hex(token, strlen(token), digest);
    int64_t account_id;
    int found;
    if (db_one_int(db, err, &account_id, &found,
                   "SELECT account_id FROM api_tokens"
                   " WHERE token_hash = ?1 AND revoked_at IS NULL",
                   "t", digest))
        return -1;
    if (!found)
        return err_set(err, 401, "unauthenticated", NULL,
                       "unknown or revoked token");
    return actor_load(db, account_id, a, err);
}

int actor_from_username(Db *db, const char *username, Actor *a, Err *err)
{
    memset(a, 0, sizeof *a);
    Account acc;
    if (accounts_find(db, username, &acc, err))
        return -1;
    return actor_load(db, acc.id, a, err);
}

int tokens_create(Db *db, const Actor *a, const char *name,
                  const char *token, int64_t *id, Err *err)
{
    char now[21], digest[SECRET_HEX_LEN];
    clock_now_iso(now);
    secret_sha256_hex(token, strlen(token), digest);
    if (db_insert(db, err, id,
                  "INSERT INTO api_tokens (token_hash, account_id, name,"
                  " created_at) VALUES (?1, ?2, ?3, ?4) RETURNING id",
                  "titt", digest, a->id, name, now))
        return -1;
    return audit_record(db, a, "create", "api_token", *id, name, NULL, name,
                        err);
}

int tokens_revoke(Db *db, const Actor *a, int64_t id, Err *err)
{
    char now[21];
    clock_now_iso(now);
    if (db_run(db, err,
               "UPDATE api_tokens SET revoked_at = ?3 WHERE id = ?1"
               " AND account_id = ?2 AND revoked_at IS NULL",
               "iit", id, a->id, now))
        return -1;
    if (db_changes(db) == 0)
        return err_set(err, 404, "not_found", NULL, "no such token");
    return audit_record(db, a, "revoke", "api_token", id, "", NULL, NULL,
                        err);
}

int tokens_list(Db *db, const Actor *a,
                int (*each)(void *ctx, const ApiToken *t), void *ctx,
                Err *err)
{
    DbStmt *st;
    if (db_query(db, &st, err,
                 "SELECT id, name, created_at, revoked_at FROM api_tokens"
                 " WHERE account_id = ?1 AND revoked_at IS NULL ORDER BY id",
                 "i", a->id))
        return -1;
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        ApiToken t = {db_int(st, 0), db_text(st, 1), db_text(st, 2),
                      db_text(st, 3)};
        if (each(ctx, &t))
            break;
    }
    db_done(st);
    return rc == DB_ERROR ? -1 : 0;
}
