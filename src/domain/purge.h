/* purge.h — the end of the epidemic: anonymising the personal data of
 * the people whose records all lie before a day (fangyi purge; what is
 * replaced and what is kept is in docs/purge.md). */
#ifndef FANGYI_PURGE_H
#define FANGYI_PURGE_H

#include "../db/db.h"
#include "actor.h"

/* The tables a purge changes, in the order it changes them. */
enum {
    PURGE_PEOPLE, PURGE_TRAVELS, PURGE_CONTACTS, PURGE_MEASURES,
    PURGE_MEASURE_EVENTS, PURGE_CHECKS, PURGE_ALERTS, PURGE_PASS_PEOPLE,
    PURGE_PASSES, PURGE_CHECKINS, PURGE_GATE_VISITS, PURGE_DISINFECTIONS,
    PURGE_STEPS
};

typedef struct PurgeResult {
    long changed[PURGE_STEPS];  /* rows changed per table */
    long kept;                  /* people of the register left as they are */
    long audit_cleared;         /* audit summaries about them cleared */
    long audit_kept;            /* ... that keep their text (format 1) */
    int log_emptied;            /* the write-ahead log was emptied after */
} PurgeResult;

/* purge_table: the name of table i (PURGE_PEOPLE ...), as in the schema. */
const char *purge_table(int i);

/* purge_before anonymises, in one transaction with one audit entry, the
 * personal data of every person whose last record is before the day
 * `before` (YYYY-MM-DD, not after today), and of the travellers and
 * visitors recorded before it, and clears the summaries of the audit
 * entries about them (those written before migration 009 cannot be
 * cleared: audit.h).  dry_run: the same transaction is rolled
 * back, so the counts are exactly what a real run would change and
 * nothing is.  Replaced content is overwritten in the file, and the log
 * emptied after, so it cannot be read back.  Returns 0, or -1 with err
 * (422 invalid_date on before). */
int purge_before(Db *db, const Actor *a, const char *before, int dry_run,
                 PurgeResult *out, Err *err);

#endif
