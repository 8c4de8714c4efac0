/* roles.h — the roles of township work and their capabilities.
 *
 * The one table of who may do what (docs/roles.md).  The router checks a
 * route's capability with roles_has before its handler runs; the village
 * scope of an account is checked in the domain layer (scope.h). */
#ifndef FANGYI_ROLES_H
#define FANGYI_ROLES_H

#include <stdint.h>

typedef enum Cap {
    CAP_NONE = 0,            /* public or any signed-in account */
    CAP_PLACES_READ,
    CAP_PLACES_WRITE,
    CAP_USERS_MANAGE,
    CAP_AUDIT_READ,
    CAP_PII_FULL,
    CAP_PEOPLE_READ,
    CAP_PEOPLE_WRITE,
    CAP_OBSERVATION_READ,
    CAP_OBSERVATION_WRITE,
    CAP_CHECKS_WRITE,
    CAP_CHECKPOINT_WRITE,
    CAP_LEDGER_READ,
    CAP_SUPPLIES_WRITE,
    CAP_DISINFECTION_WRITE,
    CAP_INSPECTION_WRITE,
    CAP_VISITORS_WRITE,
    CAP_ENTERPRISE_WRITE,
    CAP_REPORT_READ,
    CAP_REPORT_SIGN,         /* sign off a day's report (the town command) */
    CAP_COUNT
} Cap;

typedef struct Role {
    const char *code;     /* "village_cadre" */
    const char *name_zh;  /* "村干部/网格员" */
    const char *name_en;
    uint64_t caps;        /* bit (1 << Cap) for each capability */
} Role;

/* roles_find: the role with this code, or NULL. */
const Role *roles_find(const char *code);
/* roles_all: the table, ending with a NULL code. */
const Role *roles_all(void);
/* roles_cap_name: "places.read" for CAP_PLACES_READ. */
const char *roles_cap_name(Cap c);
/* roles_has: whether the role holds the capability (CAP_NONE: always). */
int roles_has(const Role *r, Cap c);

#endif
