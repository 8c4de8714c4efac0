/* secret.c — libsodium wrappers for passwords, tokens, digests. */
#include "secret.h"

#include <sodium.h>
#include <string.h>

int secret_init(void)
{
    return sodium_init() < 0 ? -1 : 0;
}

int secret_hash_password(const char *pw, char out[SECRET_HASH_LEN])
{
    return crypto_pwhash_str_alg(out, pw, strlen(pw),
                                 crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                 crypto_pwhash_MEMLIMIT_INTERACTIVE,
                                 crypto_pwhash_ALG_ARGON2ID13) == 0 ? 0 : -1;
}

int secret_check_password(const char *hash, const char *pw)
{
    if (!hash || !pw)
        return 0;
    return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

void secret_token(char out[SECRET_TOKEN_LEN])
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(out, SECRET_TOKEN_LEN, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void secret_password(char out[13])
{
    /* no 0/O/1/l/I: read aloud over the phone without mistakes */
    static const char alphabet[] =
        "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    for (int i = 0; i < 12; i++)
        out[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
    out[12] = '\0';
}

void secret_sha256_hex(const void *data, size_t n, char out[SECRET_HEX_LEN])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, data, n);
    sodium_bin2hex(out, SECRET_HEX_LEN, h, sizeof h);
}

int secret_equal(const char *a, const char *b)
{
    size_t n = strlen(a);
    if (n != strlen(b))
        return 0;
    return sodium_memcmp(a, b, n) == 0;
}
