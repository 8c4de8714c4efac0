/* secret.h — passwords, random tokens and digests (libsodium).
 *
 * Passwords are hashed with argon2id at libsodium's "interactive" cost;
 * tokens are 32 random bytes in URL-safe base64; stored tokens are kept
 * only as their SHA-256 so a copy of the database opens no session. */
#ifndef FANGYI_SECRET_H
#define FANGYI_SECRET_H

#include <stddef.h>

enum { SECRET_HASH_LEN = 128, SECRET_TOKEN_LEN = 44, SECRET_HEX_LEN = 65 };

/* secret_init initialises libsodium; returns -1 if it cannot. */
int secret_init(void);
/* secret_hash_password writes an argon2id string into out[128]; -1 on
 * out-of-memory. */
int secret_hash_password(const char *pw, char out[SECRET_HASH_LEN]);
/* secret_check_password: 1 if pw matches the stored hash, else 0. */
int secret_check_password(const char *hash, const char *pw);
/* secret_token: a fresh random token (43 chars + NUL). */
void secret_token(char out[SECRET_TOKEN_LEN]);
/* secret_password: a random readable password of 12 chars + NUL. */
void secret_password(char out[13]);
/* secret_sha256_hex: hex SHA-256 of data into out[65]. */
void secret_sha256_hex(const void *data, size_t n, char out[SECRET_HEX_LEN]);
/* secret_equal: constant-time comparison of two NUL-terminated strings. */
int secret_equal(const char *a, const char *b);

#endif
