/* accounts.h — staff accounts: roles, village scopes, passwords, and the
 * records of signing in (sessions and API tokens).
 *
 * Password hashing (argon2id, ~tens of ms) is never done inside a write
 * job: callers hash or verify on their own thread, and the write job only
 * stores the result, so the group-commit writer never stalls. */
#ifndef FANGYI_ACCOUNTS_H
#define FANGYI_ACCOUNTS_H

#include <stdint.h>

#include "../base/secret.h"
#include "../db/db.h"
#include "actor.h"

enum { LOGIN_MAX_FAILURES = 5, LOGIN_LOCK_SECONDS = 15 * 60,
       SESSION_SECONDS = 7 * 24 * 3600 };
/* At most this many usernames without an account are counted at once
 * (rows of rate_hits, kept a day): beyond it a new unknown name is not
 * counted, so failed logins cannot grow the table without bound. */
enum { LOGIN_UNKNOWN_MAX = 10000 };

typedef struct Account {
    int64_t id;
    char username[64];
    char display_name[64 * 4 + 1]; /* 64 characters of up to 4 bytes */
    char role[32];
    int disabled;
    int scope_all;
    int nvillages;
    int64_t villages[ACTOR_MAX_VILLAGES];
    char created_at[21];
    char last_login_at[21];      /* "" when never */
} Account;

/* What a create or update says.  For updates a NULL string or a negative
 * number means "leave as it is". */
typedef struct AccountInput {
    const char *username;
    const char *display_name;
    const char *password_hash;   /* from secret_hash_password */
    const char *role;
    int set_villages;            /* villages below replace the scope */
    int nvillages;               /* 0 = the whole town */
    int64_t villages[ACTOR_MAX_VILLAGES];
    int disabled;                /* 1, 0, or -1 to keep */
} AccountInput;

/* Validation that needs no database, done before hashing. */
int accounts_check_username(const char *u, Err *err);
int accounts_check_password(const char *pw, const char *field, Err *err);

/* Writes (run them on the writer's connection). */
int accounts_create(Db *db, const Actor *a, const AccountInput *in,
                    int64_t *id, Err *err);
int accounts_update(Db *db, const Actor *a, int64_t id,
                    const AccountInput *in, Err *err);
/* accounts_set_password stores a new hash and ends the account's sessions
 * except keep_session (0 = end all). */
int accounts_set_password(Db *db, const Actor *a, int64_t id,
                          const char *hash, int64_t keep_session, Err *err);

/* Reads. */
int accounts_get(Db *db, int64_t id, Account *out, Err *err);
int accounts_find(Db *db, const char *username, Account *out, Err *err);
int accounts_list(Db *db, int64_t after_id, int limit,
                  int (*each)(void *ctx, const Account *acc), void *ctx,
                  Err *err);
/* accounts_staff: enabled accounts that may work in village_id (whole
 * town or that village), or with village_id 0 in any village the actor
 * sees — for choosing who answers for a person.  Only id, names and role
 * are filled. */
int accounts_staff(Db *db, const Actor *a, int64_t village_id,
                   int (*each)(void *ctx, const Account *acc), void *ctx,
                   Err *err);
/* accounts_verify_password: 1 if pw is the account's password. */
int accounts_verify_password(Db *db, int64_t id, const char *pw, Err *err);

/* ---- signing in ------------------------------------------------------ */

/* login_verify (read side): checks the password.  Returns 0 with
 * *account_id on success; otherwise -1 with err: 401 bad_credentials
 * (*account_id set when the account exists, so the failure is counted),
 * 403 account_disabled, 429 account_locked (also for a username without
 * an account after LOGIN_MAX_FAILURES: see login_failed_unknown). */
int login_verify(Db *db, const char *username, const char *password,
                 int64_t *account_id, Err *err);
/* login_succeeded (write): a new session; the caller passes the fresh
 * session token and CSRF token (secret_token) and gets the session id. */
int login_succeeded(Db *db, int64_t account_id, const char *token,
                    const char *csrf, int64_t *session_id, Err *err);
/* login_failed (write): counts a failure; locks after LOGIN_MAX_FAILURES. */
int login_failed(Db *db, int64_t account_id, Err *err);
/* login_failed_unknown (write): the same for a username no account has,
 * so that login_verify locks it alike (429) and never tells which
 * usernames exist.  NULL or "" counts nothing, nor does a new name
 * while LOGIN_UNKNOWN_MAX names are counted. */
int login_failed_unknown(Db *db, const char *username, Err *err);
/* session_end (write): logout. */
int session_end(Db *db, int64_t session_id, Err *err);

/* actor_from_session / actor_from_token (read): who holds this cookie or
 * bearer token.  Returns 0 and fills *a, or -1 with 401 unauthenticated. */
int actor_from_session(Db *db, const char *token, Actor *a, Err *err);
int actor_from_token(Db *db, const char *token, Actor *a, Err *err);

/* actor_from_username (read): the enabled account of that name acting
 * from the command line (fangyi signoff sign --as); 404 not_found when
 * there is none, 401 when it is disabled. */
int actor_from_username(Db *db, const char *username, Actor *a, Err *err);

/* ---- API tokens ------------------------------------------------------ */
typedef struct ApiToken {
    int64_t id;
    const char *name, *created_at, *revoked_at;
} ApiToken;

int tokens_create(Db *db, const Actor *a, const char *name,
                  const char *token, int64_t *id, Err *err);
int tokens_revoke(Db *db, const Actor *a, int64_t id, Err *err);
int tokens_list(Db *db, const Actor *a,
                int (*each)(void *ctx, const ApiToken *t), void *ctx,
                Err *err);

#endif
