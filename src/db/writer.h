/* writer.h — the single writer and its group commit.
 *
 * All writes to the database go through one connection owned by a writer
 * thread.  Jobs that arrive while a commit is in progress are committed
 * together in the next transaction, each inside its own savepoint so one
 * failing job does not undo the others.  A job's `done` callback runs only
 * after the commit (or its failure), so an answered write is durable. */
#ifndef FANGYI_WRITER_H
#define FANGYI_WRITER_H

#include "db.h"

/* A unit of work: runs inside a transaction on the writer's connection.
 * Returns 0 to keep its changes, nonzero (with err filled) to undo them. */
typedef int (*WriteFn)(Db *db, void *arg, Err *err);

typedef struct WriteJob WriteJob;
struct WriteJob {
    WriteFn fn;
    void *arg;
    void (*done)(WriteJob *job); /* after commit; may free the job */
    int rc;                      /* 0, or -1 with err filled */
    Err err;
    WriteJob *next;
};

typedef struct Writer Writer;

/* writer_start takes ownership of db and starts the writer thread. */
Writer *writer_start(Db *db);
/* writer_submit queues a job; job->done is called from the writer thread. */
void writer_submit(Writer *w, WriteJob *job);
/* writer_call queues fn and waits for its commit; returns its rc. */
int writer_call(Writer *w, WriteFn fn, void *arg, Err *err);
/* writer_stop commits what is queued, stops the thread, closes the db. */
void writer_stop(Writer *w);
/* writer_batches: commits so far and jobs in them (for the stats line). */
void writer_stats(Writer *w, long *batches, long *jobs);

/* tx_run runs fn in one transaction on db, directly (for the CLI). */
int tx_run(Db *db, WriteFn fn, void *arg, Err *err);

#endif
