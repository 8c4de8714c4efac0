/* test_storage.c — the storage layer on a real SQLite file: migrations,
 * group commit (concurrent writers share commits, a failing job undoes
 * only itself), bind-format checks, the audit chain catching a row
 * edited behind the program's back, and backups taken while writing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/base/secret.h"
#include "../../src/db/migrate.h"
#include "../../src/db/writer.h"
#include "../../src/domain/audit.h"
#include "../../src/domain/places.h"

static char path[64];

static int setup(void **state)
{
    (void)state;
    snprintf(path, sizeof path, "/tmp/fangyi-unit-%d.db", (int)getpid());
    unlink(path);
    Db *db;
    Err err;
    assert_int_equal(db_open(path, 1, &db, &err), 0);
    assert_int_equal(migrate_apply(db, &err), 0);
    assert_int_equal(migrate_pending(db, &err), 0);
    db_close(db);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char p[80];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
    return 0;
}

typedef struct Insert {
    const char *name;
    int fail;
} Insert;

static int insert_village(Db *db, void *arg, Err *err)
{
    Insert *in = arg;
    if (db_run(db, err,
               "INSERT INTO places (type, name, active, created_at)"
               " VALUES ('village', ?1, 1, '2026-01-01T00:00:00Z')",
               "t", in->name))
        return -1;
    if (in->fail)
        return err_set(err, 422, "invalid_field", "name", "refused");
    return 0;
}

typedef struct Worker {
    Writer *w;
    int id;
} Worker;

static void *worker_main(void *arg)
{
    Worker *wk = arg;
    for (int i = 0; i < 50; i++) {
        char name[32];
        snprintf(name, sizeof name, "v-%d-%d", wk->id, i);
        Insert in = {name, i % 10 == 9}; /* every tenth job fails */
        Err err;
        int rc = writer_call(wk->w, insert_village, &in, &err);
        if (rc != -(in.fail))
            abort();
    }
    return NULL;
}

static void group_commit(void **state)
{
    (void)state;
    Db *db;
    Err err;
    assert_int_equal(db_open(path, 0, &db, &err), 0);
    Writer *w = writer_start(db);
    pthread_t t[8];
    Worker wk[8];
    for (int i = 0; i < 8; i++) {
        wk[i] = (Worker){w, i};
        pthread_create(&t[i], NULL, worker_main, &wk[i]);
    }
    for (int i = 0; i < 8; i++)
        pthread_join(t[i], NULL);
    long batches, jobs;
    writer_stats(w, &batches, &jobs);
    writer_stop(w);
    assert_int_equal(jobs, 400);
    assert_true(batches <= jobs);

    assert_int_equal(db_open(path, 0, &db, &err), 0);
    int64_t n;
    int found;
    assert_int_equal(db_one_int(db, &err, &n, &found,
                                "SELECT count(*) FROM places", ""),
                     0);
    assert_int_equal(n, 8 * 45); /* the failing jobs left nothing */
    db_close(db);
}

/* A job that blocks the writer until main has queued the batch after it. */
static pthread_mutex_t gate_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cv = PTHREAD_COND_INITIALIZER;
static int gate_entered, gate_open, jobs_done;

static int wait_gate(Db *db, void *arg, Err *err)
{
    (void)db, (void)arg, (void)err;
    pthread_mutex_lock(&gate_mu);
    gate_entered = 1;
    pthread_cond_broadcast(&gate_cv);
    while (!gate_open)
        pthread_cond_wait(&gate_cv, &gate_mu);
    pthread_mutex_unlock(&gate_mu);
    return 0;
}

/* What a storage fault does mid-job: SQLite rolls back the whole
 * transaction, not only the job's savepoint. */
static int lose_transaction(Db *db, void *arg, Err *err)
{
    (void)arg;
    db_exec(db, "ROLLBACK", NULL);
    return err_set(err, 503, "storage_full", NULL, "disk full");
}

static void job_done(WriteJob *j)
{
    (void)j;
    pthread_mutex_lock(&gate_mu);
    jobs_done++;
    pthread_cond_broadcast(&gate_cv);
    pthread_mutex_unlock(&gate_mu);
}

static void lost_transaction(void **state)
{
    (void)state;
    Db *db;
    Err err;
    assert_int_equal(db_open(path, 0, &db, &err), 0);
    Writer *w = writer_start(db);
    Insert a = {"before-fault", 0}, b = {"after-fault", 0};
    WriteJob jobs[4] = {
        {.fn = wait_gate, .done = job_done},
        {.fn = insert_village, .arg = &a, .done = job_done},
        {.fn = lose_transaction, .done = job_done},
        {.fn = insert_village, .arg = &b, .done = job_done},
    };
    writer_submit(w, &jobs[0]);
    pthread_mutex_lock(&gate_mu);
    while (!gate_entered)
        pthread_cond_wait(&gate_cv, &gate_mu);
    pthread_mutex_unlock(&gate_mu);
    for (int i = 1; i < 4; i++) /* one batch, queued while the first runs */
        writer_submit(w, &jobs[i]);
    pthread_mutex_lock(&gate_mu);
    gate_open = 1;
    pthread_cond_broadcast(&gate_cv);
    while (jobs_done < 4)
        pthread_cond_wait(&gate_cv, &gate_mu);
    pthread_mutex_unlock(&gate_mu);
    writer_stop(w);
    assert_int_equal(jobs[0].rc, 0);
    for (int i = 1; i < 4; i++) { /* all fail, with the fault's error */
        assert_int_equal(jobs[i].rc, -1);
        assert_int_equal(jobs[i].err.status, 503);
        assert_string_equal(jobs[i].err.code, "storage_full");
    }
    assert_int_equal(db_open(path, 0, &db, &err), 0);
    int64_t n;
    int found;
    assert_int_equal(db_one_int(db, &err, &n, &found,
                                "SELECT count(*) FROM places WHERE name"
                                " LIKE '%-fault'", ""), 0);
    assert_int_equal(n, 0); /* none stored: nothing answered wrongly */
    db_close(db);
}

static int audit_three(Db *db, void *arg, Err *err)
{
    Actor *a = arg;
    for (int i = 0; i < 3; i++)
        if (audit_record(db, a, "create", "place", i + 1, "东村", NULL,
                         "{}", err))
            return -1;
    return 0;
}

static void audit_chain(void **state)
{
    (void)state;
    Db *db;
    Err err;
    Actor a;
    actor_system(&a, "test");
    assert_int_equal(db_open(path, 0, &db, &err), 0);
    assert_int_equal(tx_run(db, audit_three, &a, &err), 0);
    int64_t broken, entries;
    assert_int_equal(audit_verify(db, &broken, &entries, &err), 0);
    assert_int_equal(broken, 0);
    assert_int_equal(entries, 3);

    assert_int_equal(db_run(db, &err,
                            "UPDATE audit_log SET summary = 'x' WHERE id = 2",
                            ""),
                     0);
    assert_int_equal(audit_verify(db, &broken, &entries, &err), 0);
    assert_int_equal(broken, 2);

    /* deleting the last-but-one entry breaks the chain too */
    assert_int_equal(db_run(db, &err,
                            "UPDATE audit_log SET summary = '东村'"
                            " WHERE id = 2", ""),
                     0);
    assert_int_equal(db_run(db, &err, "DELETE FROM audit_log WHERE id = 2",
                            ""),
                     0);
    assert_int_equal(audit_verify(db, &broken, &entries, &err), 0);
    assert_int_equal(broken, 3);
    db_close(db);
}

static void constraint_codes(void **state)
{
    (void)state;
    Db *db;
    Err err;
    assert_int_equal(db_open(path, 0, &db, &err), 0);
    assert_int_equal(db_run(db, &err,
                            "INSERT INTO places (id, type, name, active,"
                            " created_at) VALUES (500, 'village', 'X', 1,"
                            " 'now')", ""),
                     0);
    assert_int_equal(db_run(db, &err,
                            "INSERT INTO places (type, name, village_id,"
                            " active, created_at) VALUES ('grid', 'g', 500,"
                            " 1, 'now')", ""),
                     0);
    assert_int_not_equal(db_run(db, &err,
                                "DELETE FROM places WHERE id = 500", ""),
                         0);
    assert_int_equal(db_last_fail(db), DB_FAIL_FOREIGN);
    assert_int_equal(err.status, 409);
    assert_string_equal(err.code, "has_records");
    assert_int_not_equal(db_run(db, &err,
                                "INSERT INTO places (type, name, active,"
                                " created_at) VALUES ('village', 'X', 1,"
                                " 'now')", ""),
                         0);
    assert_int_equal(db_last_fail(db), DB_FAIL_UNIQUE);
    assert_int_equal(err.status, 409);
    db_close(db);
}

/* A backup taken while writers commit is a sound copy of one moment; a
 * database in use cannot be replaced; an idle one is, by the copy. */
static void backup_while_writing(void **state)
{
    (void)state;
    Db *db, *reader;
    Err err;
    assert_int_equal(db_open(path, 0, &db, &err), 0);
    Writer *w = writer_start(db);
    pthread_t t[4];
    Worker wk[4];
    for (int i = 0; i < 4; i++) {
        wk[i] = (Worker){w, i};
        pthread_create(&t[i], NULL, worker_main, &wk[i]);
    }
    char copy[96];
    snprintf(copy, sizeof copy, "%s.copy", path);
    long long bytes = 0;
    assert_int_equal(db_open_readonly(path, 0, &reader, &err), 0);
    assert_int_equal(db_backup_to(reader, copy, &bytes, &err), 0);
    assert_true(bytes > 0);
    db_close(reader);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    /* the writer still has it open */
    assert_int_equal(db_check_idle(path, &err), -1);
    assert_int_equal(err.status, 409);
    assert_string_equal(err.code, "in_use");
    assert_int_equal(db_install(copy, path, &err), -1);
    writer_stop(w);
    assert_int_equal(db_check_idle(path, &err), 0);

    Db *c;
    char problem[128];
    int64_t n, found_n;
    int found;
    assert_int_equal(db_open_readonly(copy, 1, &c, &err), 0);
    assert_int_equal(db_integrity(c, problem, sizeof problem, &err), 0);
    assert_string_equal(problem, "");
    assert_int_equal(db_one_int(c, &err, &n, &found,
                                "SELECT count(*) FROM places", ""), 0);
    db_close(c);
    assert_true(n >= 0 && n <= 4 * 45);
    assert_int_equal(db_install(copy, path, &err), 0);
    assert_int_not_equal(access(copy, F_OK), 0);
    assert_int_equal(db_open(path, 0, &db, &err), 0);
    assert_int_equal(db_one_int(db, &err, &found_n, &found,
                                "SELECT count(*) FROM places", ""), 0);
    assert_int_equal(found_n, n);
    db_close(db);
    db_remove(copy);
}

int main(void)
{
    secret_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(group_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(lost_transaction, setup, teardown),
        cmocka_unit_test_setup_teardown(audit_chain, setup, teardown),
        cmocka_unit_test_setup_teardown(constraint_codes, setup, teardown),
        cmocka_unit_test_setup_teardown(backup_while_writing, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
