/* people.h — the people register (摸排建档): persons, their travels and
 * close contacts, and their classification by the policy table.
 *
 * Every function takes the acting account; people outside its villages
 * are not found (404) and cannot be written (403).  Writes run on the
 * writer's connection inside a transaction; each write records an audit
 * entry and reclassifies the people it touches.  Strings in the read
 * structs point into the statement's row and live only during the
 * callback that receives them. */
#ifndef FANGYI_PEOPLE_H
#define FANGYI_PEOPLE_H

#include <stdint.h>

#include "../db/db.h"
#include "actor.h"

/* ---- input ---------------------------------------------------------- */

/* A person as given by a form, an import or a checkpoint.  For updates a
 * NULL string or a zero id means "leave as it is"; an empty string clears
 * an optional text field (id_number, phone, grid via grid_id = -1). */
typedef struct PersonInput {
    const char *name;
    const char *id_number;   /* raw: validated and normalised here */
    const char *phone;       /* raw */
    const char *sex;         /* "M"/"F"/"男"/"女"; derived from the ID */
    int64_t village_id;
    int64_t grid_id;         /* 0 keep/none, -1 clear */
    const char *address;
    const char *notes;
    int is_case;             /* 1, 0, or -1 to keep */
    const char *screening;   /* "pending" for a checkpoint hand-over */
} PersonInput;

typedef struct TravelInput {
    const char *origin;          /* free text or a 6-digit code; required */
    const char *via;
    const char *left_date;       /* YYYY-MM-DD or NULL */
    const char *return_date;     /* YYYY-MM-DD or NULL */
    const char *transport;       /* rail, air, coach, self_drive, other */
    const char *transport_no;
    const char *reason;
    int contact_with_case;       /* 1/0, -1 keep (updates) */
    int symptoms;
    int companions_symptoms;
    const char *symptoms_on_arrival;
    const char *source;          /* door_to_door (default), checkpoint, ... */
    const char *status;          /* returned (default) or expected */
} TravelInput;

typedef struct ContactInput {
    int64_t source_id;           /* the case or person exposed to */
    const char *last_exposure;   /* YYYY-MM-DD, required */
    const char *relationship;    /* family, colleague, co_passenger, other */
    const char *setting;
} ContactInput;

/* What the policy says for a person now. */
typedef struct Classification {
    char kind[24];               /* "" when none applies */
    char measure[24];            /* home_isolation, ..., none */
    int period_days;
    int slots_per_day;           /* checks a day the policy asks for */
    int nreasons;
    char reasons[5][24];         /* every kind that applied */
} Classification;

/* ---- writes ----------------------------------------------------------- */

/* people_register creates a person, or finds the one with the same ID
 * number (*created = 0) and then only adds the travel.  travel may be
 * NULL.  *cls is the classification after the write. */
int people_register(Db *db, const Actor *a, const PersonInput *in,
                    const TravelInput *travel, int64_t *id, int *created,
                    Classification *cls, Err *err);
int people_update(Db *db, const Actor *a, int64_t id, const PersonInput *in,
                  Classification *cls, Err *err);
/* travels_add adds a travel; the same journey again (same origin,
 * return date, transport and number) is not added twice: *added (may be
 * NULL) says which happened, *travel_id is the travel either way. */
int travels_add(Db *db, const Actor *a, int64_t person_id,
                const TravelInput *in, int64_t *travel_id, int *added,
                Classification *cls, Err *err);
int travels_update(Db *db, const Actor *a, int64_t person_id,
                   int64_t travel_id, const TravelInput *in,
                   Classification *cls, Err *err);
int contacts_add(Db *db, const Actor *a, int64_t person_id,
                 const ContactInput *in, int64_t *contact_id,
                 Classification *cls, Err *err);
int contacts_remove(Db *db, const Actor *a, int64_t person_id,
                    int64_t contact_id, Err *err);
/* people_merge moves every travel and contact of from_id to into_id and
 * marks from_id merged into it. */
int people_merge(Db *db, const Actor *a, int64_t into_id, int64_t from_id,
                 Err *err);
/* people_classify recomputes and stores the classification of one person
 * (and of the people exposed to them).  Used after any change. */
int people_classify(Db *db, int64_t id, Classification *cls, Err *err);

/* ---- policy ----------------------------------------------------------- */

typedef struct Policy {
    const char *kind, *measure;
    int period_days, slots_per_day;
} Policy;

int policies_list(Db *db, int (*each)(void *ctx, const Policy *p),
                  void *ctx, Err *err);
/* policies_update changes a kind's measure, period and checks a day
 * (NULL / -1 keep) and brings every person of that kind in line. */
int policies_update(Db *db, const Actor *a, const char *kind,
                    const char *measure, int period_days, int slots_per_day,
                    Err *err);
/* people_refresh_risk recomputes the risk level of every travel from the
 * region (or inside it) and reclassifies those people: call it after a
 * risk area changes.  changed (may be NULL) hears of each person whose
 * travel changed level, with their new classification, so the measures
 * can follow; a nonzero return from it stops with that error. */
int people_refresh_risk(Db *db, const char *region_code,
                        int (*changed)(void *ctx, int64_t person_id,
                                       const Classification *cls, Err *err),
                        void *ctx, Err *err);

/* ---- reads ------------------------------------------------------------ */

typedef struct Person {
    int64_t id;
    const char *name, *id_number, *id_flag, *sex, *birth_date, *phone;
    int64_t village_id, grid_id;
    const char *village_name, *grid_name, *address, *notes;
    int is_case;
    const char *kind, *measure;
    int period_days;
    const char *screening;
    int64_t merged_into;
    const char *created_at, *updated_at;
    /* the latest travel, or origin == NULL */
    const char *origin_code, *origin, *return_date, *risk_level;
} Person;

typedef struct Travel {
    int64_t id, person_id;
    const char *origin_code, *origin, *via, *left_date, *return_date,
        *transport, *transport_no, *reason;
    int contact_with_case, symptoms, companions_symptoms;
    const char *symptoms_on_arrival, *source, *status, *risk_level,
        *created_at;
} Travel;

typedef struct Contact {
    int64_t id, person_id, source_id;
    const char *other_name;      /* the person at the other end */
    const char *last_exposure, *relationship, *setting;
} Contact;

typedef struct PeopleFilter {
    int64_t village_id, grid_id;
    const char *kind, *measure, *origin, *risk, *source, *status, *screening;
    const char *return_from, *return_to;   /* YYYY-MM-DD */
    const char *q;               /* name prefix, phone or ID number */
    int64_t after_id;            /* cursor */
    int limit;
    int include_merged;
} PeopleFilter;

/* people_check_filter validates the filter's values (422 with the field
 * named).  people_list calls it too. */
int people_check_filter(const PeopleFilter *f, Err *err);
int people_list(Db *db, const Actor *a, const PeopleFilter *f,
                int (*each)(void *ctx, const Person *p), void *ctx,
                Err *err);
int people_get(Db *db, const Actor *a, int64_t id,
               int (*each)(void *ctx, const Person *p), void *ctx,
               Err *err);
int people_travels(Db *db, const Actor *a, int64_t id,
                   int (*each)(void *ctx, const Travel *t), void *ctx,
                   Err *err);
/* exposed_to: links where id is the person exposed; exposed_by: links
 * where id is the source. */
int people_contacts(Db *db, const Actor *a, int64_t id, int exposed_by,
                    int (*each)(void *ctx, const Contact *c), void *ctx,
                    Err *err);
/* people_duplicates: pairs of likely duplicates within the scope. */
int people_duplicates(Db *db, const Actor *a,
                      int (*each)(void *ctx, const Person *x,
                                  const Person *y, const char *reason),
                      void *ctx, Err *err);

/* people_mask_id / people_mask_phone write the masked form into out. */
void people_mask_id(const char *id, char out[24]);
void people_mask_phone(const char *phone, char out[16]);

#endif
