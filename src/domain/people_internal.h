/* people_internal.h — helpers shared by the files of the people register
 * (people.c, people_read.c, classify.c, contacts.c); not for other
 * layers. */
#ifndef FANGYI_PEOPLE_INTERNAL_H
#define FANGYI_PEOPLE_INTERNAL_H

#include "../base/buf.h"
#include "people.h"

/* The codes of the register, each list NULL-terminated (people.c). */
extern const char *const PEOPLE_KINDS[];
extern const char *const PEOPLE_MEASURES[];
extern const char *const PEOPLE_TRANSPORTS[];
extern const char *const PEOPLE_SOURCES[];
extern const char *const PEOPLE_STATUSES[];

/* people_in_list: s is one of the NULL-terminated list. */
int people_in_list(const char *s, const char *const *list);
/* people_today: today's date in the town as "YYYY-MM-DD"; returns it as
 * 20260131 too. */
int people_today(char out[11]);
/* people_require: the person exists and is in the actor's scope (else
 * 404); gives its village and what it was merged into (0 if not). */
int people_require(Db *db, const Actor *a, int64_t id, int64_t *village_id,
                   int64_t *merged_into, Err *err);
/* people_row_json: the stored row as JSON, for audit digests. */
int people_row_json(Db *db, int64_t id, Buf *out, Err *err);
/* people_audit: an audit entry for a person, after reads its row. */
int people_audit(Db *db, const Actor *a, const char *action, int64_t id,
                 const char *before, Err *err);

/* people_audit_change: an entry on the person's own history for a change
 * to what hangs off them (a travel, a contact): entity "person", the
 * person's id, a summary naming them and the change. */
int people_audit_change(Db *db, const Actor *a, int64_t person_id,
                        const char *action, const char *what,
                        const char *detail, Err *err);

#endif
