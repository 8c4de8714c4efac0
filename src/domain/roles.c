/* roles.c — the role/capability table (see roles.h, docs/roles.md). */
#include "roles.h"

#include <string.h>

#define B(c) (UINT64_C(1) << (c))

static const char *const cap_names[CAP_COUNT] = {
    [CAP_NONE] = "",
    [CAP_PLACES_READ] = "places.read",
    [CAP_PLACES_WRITE] = "places.write",
    [CAP_USERS_MANAGE] = "users.manage",
    [CAP_AUDIT_READ] = "audit.read",
    [CAP_PII_FULL] = "pii.full",
    [CAP_PEOPLE_READ] = "people.read",
    [CAP_PEOPLE_WRITE] = "people.write",
    [CAP_OBSERVATION_READ] = "observation.read",
    [CAP_OBSERVATION_WRITE] = "observation.write",
    [CAP_CHECKS_WRITE] = "checks.write",
    [CAP_CHECKPOINT_WRITE] = "checkpoint.write",
    [CAP_LEDGER_READ] = "ledger.read",
    [CAP_SUPPLIES_WRITE] = "supplies.write",
    [CAP_DISINFECTION_WRITE] = "disinfection.write",
    [CAP_INSPECTION_WRITE] = "inspection.write",
    [CAP_VISITORS_WRITE] = "visitors.write",
    [CAP_ENTERPRISE_WRITE] = "enterprise.write",
    [CAP_REPORT_READ] = "report.read",
    [CAP_REPORT_SIGN] = "report.sign",
};

#define ALL_CAPS ((B(CAP_COUNT) - 1) & ~B(CAP_NONE))
#define PEOPLE (B(CAP_PEOPLE_READ) | B(CAP_PEOPLE_WRITE))
#define OBSERVATION (B(CAP_OBSERVATION_READ) | B(CAP_OBSERVATION_WRITE))
/* what every cadre working a village needs */
#define VILLAGE_WORK (B(CAP_PLACES_READ) | B(CAP_PII_FULL) | PEOPLE | \
                      OBSERVATION | B(CAP_CHECKS_WRITE) | \
                      B(CAP_CHECKPOINT_WRITE) | B(CAP_LEDGER_READ) | \
                      B(CAP_DISINFECTION_WRITE))

static const Role roles[] = {
    {"admin", "镇防控指挥部", "Town command", ALL_CAPS},
    {"village_leader", "包村领导", "Town leader for a village",
     VILLAGE_WORK | B(CAP_PLACES_WRITE) | B(CAP_REPORT_READ)},
    {"assigned_cadre", "包村干部", "Village-assigned cadre",
     VILLAGE_WORK | B(CAP_VISITORS_WRITE) | B(CAP_REPORT_READ)},
    {"village_cadre", "村干部/网格员", "Village cadre / grid worker",
     VILLAGE_WORK | B(CAP_VISITORS_WRITE)},
    {"volunteer", "党员志愿者", "Party-member volunteer",
     B(CAP_PLACES_READ) | B(CAP_PEOPLE_READ) | B(CAP_OBSERVATION_READ) |
         B(CAP_CHECKS_WRITE) | B(CAP_CHECKPOINT_WRITE) |
         B(CAP_VISITORS_WRITE)},
    {"medical", "医护人员", "Medical worker",
     B(CAP_PLACES_READ) | B(CAP_PII_FULL) | B(CAP_PEOPLE_READ) |
         B(CAP_OBSERVATION_READ) | B(CAP_CHECKS_WRITE)},
    {"checkpoint", "卡口值守", "Checkpoint staff",
     B(CAP_PLACES_READ) | B(CAP_CHECKPOINT_WRITE)},
    {"inspector", "督导组", "Inspector",
     B(CAP_PLACES_READ) | B(CAP_LEDGER_READ) | B(CAP_INSPECTION_WRITE) |
         B(CAP_REPORT_READ)},
    {"enterprise_liaison", "企业联络员", "Enterprise liaison",
     B(CAP_PLACES_READ) | B(CAP_PEOPLE_READ) | B(CAP_ENTERPRISE_WRITE)},
    {"viewer", "只读", "Read-only viewer",
     B(CAP_PLACES_READ) | B(CAP_PEOPLE_READ) | B(CAP_OBSERVATION_READ) |
         B(CAP_LEDGER_READ) | B(CAP_REPORT_READ)},
    {NULL, NULL, NULL, 0},
};

const Role *roles_find(const char *code)
{
    for (const Role *r = roles; code && r->code; r++)
        if (strcmp(r->code, code) == 0)
            return r;
    return NULL;
}

const Role *roles_all(void) { return roles; }

const char *roles_cap_name(Cap c)
{
    return c > CAP_NONE && c < CAP_COUNT ? cap_names[c] : "";
}

int roles_has(const Role *r, Cap c)
{
    return c == CAP_NONE || (r && (r->caps & B(c)) != 0);
}
