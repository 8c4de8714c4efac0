/* test_audit.c — the audit log's two formats (src/domain/audit.h): an
 * entry written before migration 009 (format 1, made here by hand) keeps
 * its text and verifies; a format-2 entry can be cleared by audit_clear
 * and still verifies; edits of either, and clearings not made by
 * audit_clear, are found by audit_verify. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../../src/base/buf.h"
#include "../../src/base/secret.h"
#include "../../src/db/migrate.h"
#include "../../src/db/writer.h"
#include "../../src/domain/audit.h"

static char path[64];
static Db *db;

static int setup(void **state)
{
    (void)state;
    snprintf(path, sizeof path, "/tmp/fangyi-audit-%d.db", (int)getpid());
    unlink(path);
    Err err;
    if (secret_init() || db_open(path, 1, &db, &err) ||
        migrate_apply(db, &err))
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    db_close(db);
    char p[80];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
    return 0;
}

/* Entries 1..5: the people 张三 and 李四, a place, 张三 again, and one
 * with an empty summary. */
static int five(Db *d, void *arg, Err *err)
{
    const Actor *a = arg;
    static const struct {
        const char *entity, *summary;
        int64_t id;
    } E[] = {{"person", "张三", 1}, {"person", "李四", 2},
             {"place", "东村", 1}, {"person", "张三: travel_add", 1},
             {"person", "", 1}};
    for (int i = 0; i < 5; i++)
        if (audit_record(d, a, "create", E[i].entity, E[i].id,
                         E[i].summary, NULL, "{}", err))
            return -1;
    return 0;
}

/* Two ordinary entries whose after text could be read as a
 * list of ids. */
static int forgeable(Db *d, void *arg, Err *err)
{
    (void)arg;
    Actor a;
    actor_system(&a, "test");
    return audit_record(d, &a, "update", "person", 2, "李四", NULL,
                        "2\t李四", err) ||
           audit_record(d, &a, "update", "person", 2, "李四", NULL, "[2]",
                        err);
}

#define ZHANG "SELECT id FROM audit_log WHERE entity = 'person'" \
              " AND entity_id = 1"

static int clear_zhang(Db *d, void *arg, Err *err)
{
    long *cleared = arg;
    Actor a;
    actor_system(&a, "purge");
    return audit_clear(d, &a, "purge", "people", "cleared 张三's entries",
                       ZHANG, cleared, err);
}

static int64_t broken(void)
{
    int64_t at, n;
    Err err;
    assert_int_equal(audit_verify(db, &at, &n, &err), 0);
    return at;
}

static void sql(const char *s)
{
    Err err;
    assert_int_equal(db_run(db, &err, s, ""), 0);
}

static void text_of(int64_t id, char *out, size_t n)
{
    Err err;
    assert_int_equal(db_one_text(db, &err, out, n,
                                 "SELECT summary FROM audit_log"
                                 " WHERE id = ?1",
                                 "i", id),
                     0);
}

/* Rewrite entry 1 as the older fangyi wrote it, and the chain after it:
 * format 1 hashes the summary itself; format 2 a "v2" prefix and the
 * SHA-256 of salt and summary (the spelling in audit.c, written out
 * again). */
static void make_entry1_old(void)
{
    Err err;
    DbStmt *st;
    char prev[SECRET_HEX_LEN];
    snprintf(prev, sizeof prev, "%064d", 0);
    sql("UPDATE audit_log SET summary_sha256 = NULL, summary_salt = NULL"
        " WHERE id = 1");
    assert_int_equal(db_query(db, &st, &err,
                              "SELECT id, at, coalesce(actor_id, 0), actor,"
                              " action, entity, entity_id,"
                              " coalesce(summary_sha256, summary), digest,"
                              " summary_sha256 IS NOT NULL FROM audit_log"
                              " ORDER BY id",
                              ""),
                     0);
    char hashes[8][SECRET_HEX_LEN];
    int n = 0;
    while (db_step(st, &err) == DB_ROW && n < 8) {
        Buf b = BUF_INIT;
        buf_printf(&b, "%s%s\x1f%" PRId64 "\x1f%s\x1f%" PRId64 "\x1f%s\x1f%s"
                   "\x1f%s\x1f%" PRId64 "\x1f%s\x1f%s",
                   db_int(st, 9) ? "v2\x1f" : "", prev, db_int(st, 0),
                   db_text(st, 1), db_int(st, 2), db_text(st, 3),
                   db_text(st, 4), db_text(st, 5), db_int(st, 6),
                   db_text(st, 7), db_text(st, 8));
        secret_sha256_hex(b.p, b.len, hashes[n]);
        buf_free(&b);
        memcpy(prev, hashes[n++], SECRET_HEX_LEN);
    }
    db_done(st);
    const char *p0 = "0000000000000000000000000000000000000000"
                     "000000000000000000000000";
    for (int i = 0; i < n; i++)
        assert_int_equal(db_run(db, &err,
                                "UPDATE audit_log SET prev_hash = ?2,"
                                " hash = ?3 WHERE id = ?1",
                                "itt", (int64_t)i + 1,
                                i ? hashes[i - 1] : p0, hashes[i]),
                         0);
}

static void two_formats(void **state)
{
    (void)state;
    Err err;
    Actor a;
    actor_system(&a, "test");
    assert_int_equal(tx_run(db, five, &a, &err), 0);
    assert_int_equal(broken(), 0);

    /* format 2: an edited summary shows, even though the hash covers
     * only its SHA-256 */
    sql("UPDATE audit_log SET summary = '王五' WHERE id = 2");
    assert_int_equal(broken(), 2);
    sql("UPDATE audit_log SET summary = '李四' WHERE id = 2");
    assert_int_equal(broken(), 0);

    /* a database from before: entry 1 in format 1 verifies, is counted
     * as kept, and is never cleared */
    make_entry1_old();
    assert_int_equal(broken(), 0);
    long clearable, kept;
    assert_int_equal(audit_clearable(db, ZHANG, &clearable, &kept, &err), 0);
    assert_int_equal(clearable, 1); /* entry 4; entry 5 holds no text */
    assert_int_equal(kept, 1);      /* entry 1 */

    long cleared = -1;
    assert_int_equal(tx_run(db, clear_zhang, &cleared, &err), 0);
    assert_int_equal(cleared, 1);
    assert_int_equal(broken(), 0);
    char s[64];
    text_of(1, s, sizeof s);
    assert_string_equal(s, "张三");
    text_of(2, s, sizeof s);
    assert_string_equal(s, "李四");
    text_of(4, s, sizeof s);
    assert_string_equal(s, AUDIT_CLEARED);
    text_of(5, s, sizeof s);
    assert_string_equal(s, "");
    int64_t by;
    int found;
    assert_int_equal(db_one_int(db, &err, &by, &found,
                                "SELECT redacted_by FROM audit_log"
                                " WHERE id = 4 AND redacted_at = (SELECT at"
                                " FROM audit_log WHERE id = 6)",
                                ""),
                     0);
    assert_int_equal(by, 6);
    char ids[32];
    assert_int_equal(db_one_text(db, &err, ids, sizeof ids,
                                 "SELECT cleared_ids FROM audit_log"
                                 " WHERE id = 6",
                                 ""),
                     0);
    assert_string_equal(ids, "[4]");
    /* the salt went with the text: what is left confirms no guess */
    assert_int_equal(db_one_int(db, &err, &by, &found,
                                "SELECT count(*) FROM audit_log"
                                " WHERE summary_salt IS NULL",
                                ""),
                     0);
    assert_int_equal(by, 2); /* entry 1 (format 1) and entry 4 */

    /* nothing left to clear the second time */
    assert_int_equal(tx_run(db, clear_zhang, &cleared, &err), 0);
    assert_int_equal(cleared, 0);
    assert_int_equal(broken(), 0);

    /* format 1 cannot be cleared, nor marked as cleared */
    sql("UPDATE audit_log SET summary = '（已清除）', redacted_at = at,"
        " redacted_by = 6 WHERE id = 1");
    assert_int_equal(broken(), 1);
    sql("UPDATE audit_log SET summary = '张三', redacted_at = NULL,"
        " redacted_by = NULL WHERE id = 1");
    assert_int_equal(broken(), 0);

    /* a cleared entry: no other text, nor its own again */
    sql("UPDATE audit_log SET summary = '赵六' WHERE id = 4");
    assert_int_equal(broken(), 4);
    sql("UPDATE audit_log SET summary = '（已清除）' WHERE id = 4");
    assert_int_equal(broken(), 0);
    sql("UPDATE audit_log SET summary_salt = 'abc' WHERE id = 4");
    assert_int_equal(broken(), 4);
    sql("UPDATE audit_log SET summary_salt = NULL WHERE id = 4");
    assert_int_equal(broken(), 0);
    /* clearing entry 2 as if entry 6 had: entry 6 does not list it */
    char salt[64];
    assert_int_equal(db_one_text(db, &err, salt, sizeof salt,
                                 "SELECT summary_salt FROM audit_log"
                                 " WHERE id = 2",
                                 ""),
                     0);
    sql("UPDATE audit_log SET summary = '（已清除）', summary_salt = NULL,"
        " redacted_by = 6,"
        " redacted_at = (SELECT at FROM audit_log WHERE id = 6)"
        " WHERE id = 2");
    assert_int_equal(broken(), 2);
    /* nor can entry 6's list be made to say so: its digest covers it */
    sql("UPDATE audit_log SET cleared_ids = '[2,4]' WHERE id = 6");
    assert_int_equal(broken(), 6);
    sql("UPDATE audit_log SET cleared_ids = '[4]' WHERE id = 6");
    assert_int_equal(db_run(db, &err,
                            "UPDATE audit_log SET summary = '李四',"
                            " summary_salt = ?1, redacted_by = NULL,"
                            " redacted_at = NULL WHERE id = 2",
                            "t", salt),
                     0);
    assert_int_equal(broken(), 0);

    /* an ordinary entry cannot pose as a clearing: given its own after
     * text (before NULL) as its list, whether that reads as a list or
     * only starts with a number, entry 2 "cleared" by it breaks it */
    int64_t last;
    assert_int_equal(db_one_int(db, &err, &last, &found,
                                "SELECT max(id) FROM audit_log", ""),
                     0);
    assert_int_equal(tx_run(db, forgeable, NULL, &err), 0);
    for (int64_t by = last + 1; by <= last + 2; by++) {
        char q[400];
        snprintf(q, sizeof q,
                 "UPDATE audit_log SET cleared_ids = '%s' WHERE id = %" PRId64,
                 by == last + 1 ? "2\t李四" : "[2]", by);
        sql(q);
        snprintf(q, sizeof q,
                 "UPDATE audit_log SET summary = '（已清除）',"
                 " summary_salt = NULL, redacted_by = %" PRId64 ","
                 " redacted_at = (SELECT at FROM audit_log WHERE id = %"
                 PRId64 ") WHERE id = 2", by, by);
        sql(q);
        assert_int_equal(broken(), by);
        snprintf(q, sizeof q,
                 "UPDATE audit_log SET cleared_ids = NULL WHERE id = %" PRId64,
                 by);
        sql(q);
        assert_int_equal(db_run(db, &err,
                                "UPDATE audit_log SET summary = '李四',"
                                " summary_salt = ?1, redacted_by = NULL,"
                                " redacted_at = NULL WHERE id = 2",
                                "t", salt),
                         0);
        assert_int_equal(broken(), 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(two_formats),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
