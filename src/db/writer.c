/* writer.c — the writer thread and group commit (see writer.h). */
#include "writer.h"

#include <pthread.h>
#include <stdlib.h>

struct Writer {
    Db *db;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    WriteJob *head, *tail;
    int stopping;
    long batches, jobs;
};

/* Run one batch: BEGIN, each job in a savepoint, COMMIT; on a failed
 * commit every job that had succeeded is told the storage is unavailable. */
static void run_batch(Writer *w, WriteJob *batch)
{
    Err err;
    int began = db_begin(w->db, &err) == 0;
    for (WriteJob *j = batch; j; j = j->next) {
        err_clear(&j->err);
        if (!began) {
            j->rc = -1;
            j->err = err;
            continue;
        }
        if (db_savepoint(w->db, &j->err)) {
            j->rc = -1;
            continue;
        }
        j->rc = j->fn(w->db, j->arg, &j->err);
        if (j->rc)
            db_rollback_to(w->db);
        else if (db_release(w->db, &j->err))
            j->rc = -1;
    }
    if (began && db_commit(w->db, &err)) {
        db_rollback(w->db);
        for (WriteJob *j = batch; j; j = j->next)
            if (j->rc == 0) {
                j->rc = -1;
                j->err = err;
            }
    }
    /* counted before anyone is told, so a caller whose write returned
     * sees it in writer_stats */
    long n = 0;
    for (WriteJob *j = batch; j; j = j->next)
        n++;
    pthread_mutex_lock(&w->mu);
    w->batches++;
    w->jobs += n;
    pthread_mutex_unlock(&w->mu);
    for (WriteJob *j = batch; j;) {
        WriteJob *next = j->next; /* done() may free j */
        j->done(j);
        j = next;
    }
}

static void *writer_main(void *arg)
{
    Writer *w = arg;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (!w->head && !w->stopping)
            pthread_cond_wait(&w->cv, &w->mu);
        if (!w->head && w->stopping)
            break;
        WriteJob *batch = w->head;
        w->head = w->tail = NULL;
        pthread_mutex_unlock(&w->mu);
        run_batch(w, batch);
        pthread_mutex_lock(&w->mu);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

Writer *writer_start(Db *db)
{
    Writer *w = calloc(1, sizeof *w);
    if (!w)
        abort();
    w->db = db;
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    if (pthread_create(&w->thread, NULL, writer_main, w) != 0)
        abort();
    return w;
}

void writer_submit(Writer *w, WriteJob *job)
{
    job->next = NULL;
    pthread_mutex_lock(&w->mu);
    if (w->tail)
        w->tail->next = job;
    else
        w->head = job;
    w->tail = job;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

/* What a waiting writer_call caller sleeps on. */
typedef struct CallWait {
    WriteJob job;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int finished;
} CallWait;

static void call_done(WriteJob *job)
{
    CallWait *cw = (CallWait *)job;
    pthread_mutex_lock(&cw->mu);
    cw->finished = 1;
    pthread_cond_signal(&cw->cv);
    pthread_mutex_unlock(&cw->mu);
}

int writer_call(Writer *w, WriteFn fn, void *arg, Err *err)
{
    CallWait cw = {.job = {.fn = fn, .arg = arg, .done = call_done}};
    pthread_mutex_init(&cw.mu, NULL);
    pthread_cond_init(&cw.cv, NULL);
    writer_submit(w, &cw.job);
    pthread_mutex_lock(&cw.mu);
    while (!cw.finished)
        pthread_cond_wait(&cw.cv, &cw.mu);
    pthread_mutex_unlock(&cw.mu);
    pthread_mutex_destroy(&cw.mu);
    pthread_cond_destroy(&cw.cv);
    if (cw.job.rc && err)
        *err = cw.job.err;
    return cw.job.rc;
}

void writer_stop(Writer *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    w->stopping = 1;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    db_close(w->db);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
    free(w);
}

void writer_stats(Writer *w, long *batches, long *jobs)
{
    pthread_mutex_lock(&w->mu);
    *batches = w->batches;
    *jobs = w->jobs;
    pthread_mutex_unlock(&w->mu);
}

int tx_run(Db *db, WriteFn fn, void *arg, Err *err)
{
    if (db_begin(db, err))
        return -1;
    if (fn(db, arg, err)) {
        db_rollback(db);
        return -1;
    }
    if (db_commit(db, err)) {
        db_rollback(db);
        return -1;
    }
    return 0;
}
