/* routes.c — every route of the API, its handler and the capability its
 * caller needs.  The one place to read who may call what (docs/api.md). */
#include "api.h"

const Route api_routes[] = {
    {"GET", "/api/v1/health", api_health, CAP_NONE, ROUTE_PUBLIC},
    {"POST", "/api/v1/login", api_login, CAP_NONE, ROUTE_PUBLIC},
    {"POST", "/api/v1/logout", api_logout, CAP_NONE, ROUTE_BODYLESS},
    {"GET", "/api/v1/me", api_me, CAP_NONE},
    {"POST", "/api/v1/me/password", api_me_password, CAP_NONE},
    {"GET", "/api/v1/town", api_town, CAP_NONE},
    {"GET", "/api/v1/roles", api_roles, CAP_NONE},
    {"GET", "/api/v1/tokens", api_tokens_list, CAP_NONE},
    {"POST", "/api/v1/tokens", api_tokens_create, CAP_NONE},
    {"DELETE", "/api/v1/tokens/{id}", api_tokens_revoke, CAP_NONE},
    {"GET", "/api/v1/places", api_places_list, CAP_PLACES_READ},
    {"POST", "/api/v1/places", api_places_create, CAP_PLACES_WRITE},
    {"GET", "/api/v1/places/{id}", api_places_get, CAP_PLACES_READ},
    {"PATCH", "/api/v1/places/{id}", api_places_update, CAP_PLACES_WRITE},
    {"DELETE", "/api/v1/places/{id}", api_places_delete, CAP_PLACES_WRITE},
    {"GET", "/api/v1/users", api_users_list, CAP_USERS_MANAGE},
    {"POST", "/api/v1/users", api_users_create, CAP_USERS_MANAGE},
    {"GET", "/api/v1/users/{id}", api_users_get, CAP_USERS_MANAGE},
    {"PATCH", "/api/v1/users/{id}", api_users_update, CAP_USERS_MANAGE},
    {"POST", "/api/v1/users/{id}/password", api_users_password,
     CAP_USERS_MANAGE},
    {"GET", "/api/v1/audit", api_audit_list, CAP_AUDIT_READ},
    {"GET", "/api/v1/audit/verify", api_audit_verify, CAP_AUDIT_READ},
    {NULL, NULL, NULL, CAP_NONE},
};
