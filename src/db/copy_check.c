/* copy_check.c — a table's row count and checksum for migrate-data's
 * check (copy.h): SHA-256 over its rows in primary-key order, each value
 * written the same way whatever the backend — NULL as "N;", a real as "R"
 * and 17 significant digits (exact), an integer or a text as "T", its
 * length in bytes, ":" and its text — and "\n" after each row. */
#include "copy.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

static void put_value(crypto_hash_sha256_state *h, DbStmt *st,
                      const CopyTable *t, int c)
{
    char head[64];
    const char *text = NULL;
    if (db_is_null(st, c))
        snprintf(head, sizeof head, "N;");
    else if (t->kind[c] == 'r')
        snprintf(head, sizeof head, "R%.17g;", db_double(st, c));
    else {
        text = db_text(st, c);
        snprintf(head, sizeof head, "T%zu:", strlen(text));
    }
    crypto_hash_sha256_update(h, (const unsigned char *)head, strlen(head));
    if (text) {
        crypto_hash_sha256_update(h, (const unsigned char *)text,
                                  strlen(text));
        crypto_hash_sha256_update(h, (const unsigned char *)";", 1);
    }
}

int copy_checksum(Db *db, const CopyTable *t, int64_t *rows, char hex[65],
                  Err *err)
{
    enum { PAGE = 5000 };
    Buf sql = BUF_INIT;
    copy_select_sql(&sql, t, strcmp(db_dialect(db), "postgres") == 0,
                    COPY_ALL);
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    int64_t last = INT64_MIN;   /* ids may be 0 or negative */
    int rc = DB_DONE, n = PAGE;
    *rows = 0;
    while (n == PAGE && rc != DB_ERROR) {   /* pages, like the copy */
        DbStmt *st;
        if (db_query(db, &st, err, sql.p, "ii",
                     t->keyset ? last : (int64_t)PAGE,
                     t->keyset ? (int64_t)PAGE : *rows)) {
            rc = DB_ERROR;
            break;
        }
        n = 0;
        while ((rc = db_step(st, err)) == DB_ROW) {
            for (int c = 0; c < t->ncols; c++) {
                put_value(&h, st, t, c);
                if (t->keyset && strcmp(t->cols[c], "id") == 0)
                    last = db_int(st, c);
            }
            crypto_hash_sha256_update(&h, (const unsigned char *)"\n", 1);
            n++;
        }
        db_done(st);
        *rows += n;
    }
    buf_free(&sql);
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&h, d);
    sodium_bin2hex(hex, 65, d, sizeof d);
    return rc == DB_ERROR ? -1 : 0;
}
