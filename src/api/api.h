/* api.h — the JSON API: the route table and the handlers behind it.
 * Handlers translate between HTTP and one domain call; rules live in
 * src/domain/. */
#ifndef FANGYI_API_H
#define FANGYI_API_H

#include "../domain/accounts.h"
#include "../domain/observation.h"
#include "../domain/people.h"
#include "../domain/places.h"
#include "../http/server.h"

extern const Route api_routes[];

/* misc_api.c */
void api_health(Req *r);
void api_town(Req *r);
void api_roles(Req *r);
/* auth_api.c */
void api_login(Req *r);
void api_logout(Req *r);
void api_me(Req *r);
void api_me_password(Req *r);
void api_tokens_list(Req *r);
void api_tokens_create(Req *r);
void api_tokens_revoke(Req *r);
/* api_set_password: check, hash and store the password in body[field]
 * for an account; ends its other sessions. */
void api_set_password(Req *r, int64_t account_id, const char *field,
                      int64_t keep_session);
/* places_api.c */
void api_places_list(Req *r);
void api_places_create(Req *r);
void api_places_get(Req *r);
void api_places_update(Req *r);
void api_places_delete(Req *r);
/* users_api.c */
void api_users_list(Req *r);
void api_users_create(Req *r);
void api_users_get(Req *r);
void api_users_update(Req *r);
void api_users_password(Req *r);
/* GET /staff: who may be put in a chain (observation.write). */
void api_staff_list(Req *r);
/* audit_api.c */
void api_audit_list(Req *r);
void api_audit_verify(Req *r);
/* regions_api.c */
void api_regions_search(Req *r);
void api_risk_areas_list(Req *r);
void api_risk_areas_create(Req *r);
void api_risk_areas_update(Req *r);

/* people_api.c */
void api_people_list(Req *r);
void api_people_create(Req *r);
void api_people_get(Req *r);
void api_people_update(Req *r);
void api_travels_create(Req *r);
void api_travels_update(Req *r);
void api_contacts_create(Req *r);
void api_contacts_delete(Req *r);
void api_people_duplicates(Req *r);
void api_people_merge(Req *r);
void api_policies_list(Req *r);
void api_policies_update(Req *r);
/* people_io_api.c: the register in and out as spreadsheets */
void api_people_import(Req *r);
void api_people_export(Req *r);
/* people_query.c: the register's filters from the query string; -1
 * after answering 400. */
int people_filter_from_query(Req *r, PeopleFilter *f);

/* observation_api.c */
void api_checks_create(Req *r);
void api_round(Req *r);
void api_alerts_list(Req *r);
void api_alerts_step(Req *r);
void api_board(Req *r);
/* report_api.c: the daily report (docs/report.md) */
void api_report_daily(Req *r);
/* GET /reports/daily/export: the same as CSV or XLSX (report_sheet.h) */
void api_report_export(Req *r);
/* report_series_api.c: the report's key figures day by day */
void api_report_series(Req *r);
/* report_versions_api.c: sign-off and frozen versions of the report */
void api_report_signoff(Req *r);
void api_report_versions(Req *r);
void api_report_version(Req *r);
/* render_check: one check (for the measure page's curve too). */
void render_check(Jw *w, const Check *c);

/* measures_api.c: measures, release due, the responsibility chain */
void api_measures_of_person(Req *r);
void api_measures_create(Req *r);
void api_measure_get(Req *r);
void api_measure_change(Req *r);
void api_release_due(Req *r);
void api_chain_roles_list(Req *r);
void api_chain_roles_save(Req *r);
void api_chain_of_person(Req *r);
void api_chain_assign(Req *r);
void api_chain_bulk(Req *r);
/* render_measure writes one measure object (docs/api.md);
 * render_measure_fields writes its members into an object the caller
 * opened, so a page can add lists (events, checks) beside them. */
void render_measure(Jw *w, const Measure *m);
void render_measure_fields(Jw *w, const Measure *m);

/* export_stream.c: answer with a spreadsheet read from x (after the
 * export's audit entry is committed): the file is named STEM-YYYY-MM-DD
 * (.xlsx or .csv, the town's day), read with read(x, ...) — a failure
 * cuts the stream and is logged — and closed with close(x). */
typedef long (*ExportReadFn)(void *x, char *buf, size_t max, Err *err);
void resp_export(Req *r, const char *stem, int xlsx, ExportReadFn read,
                 void (*close)(void *x), void *x);
/* resp_stream_buf: answer with b (a body made whole in memory) of the
 * given type; b is taken over (left empty). */
void resp_stream_buf(Req *r, const char *type, const char *filename,
                     Buf *b);
/* resp_export_buf: answer with a spreadsheet made whole in memory, named
 * filename (UTF-8); takes b's bytes and empties it. */
void resp_export_buf(Req *r, const char *filename, int xlsx, Buf *b);

/* render.c: JSON shapes shared by several handlers (docs/api.md) */
void render_place(Jw *w, const Place *p);
void render_account(Jw *w, const Account *a);
/* render_session writes the answer of /login and /me for r->actor. */
int render_session(Req *r, Db *db, int status, Err *err);
/* render_place_by_id answers with one place read through db. */
int render_place_by_id(Req *r, Db *db, int64_t id, int status, Err *err);

/* checkpoints_api.c: passes, roster, QR poster, self-registration */
void api_passes_list(Req *r);
void api_passes_create(Req *r);
void api_passes_known(Req *r);
void api_passes_stats(Req *r);
void api_passes_villages(Req *r);
void api_roster(Req *r);
void api_shifts_create(Req *r);
void api_shifts_delete(Req *r);
void api_point_qr(Req *r);
void api_point_checkins(Req *r);
void api_checkin_reject(Req *r);
void api_checkin_form(Req *r);
void api_checkin_submit(Req *r);

/* ledgers_api.c: supplies, disinfection, gate log, inspections,
 * enterprises (docs/api-ledgers.md) */
void api_supply_items_list(Req *r);
void api_supply_items_create(Req *r);
void api_supply_items_update(Req *r);
void api_supplies_list(Req *r);
void api_supplies_get(Req *r);
void api_supplies_create(Req *r);
void api_supplies_reverse(Req *r);
void api_supplies_stock(Req *r);
void api_supplies_import(Req *r);
void api_supplies_export(Req *r);
void api_disinfection_list(Req *r);
void api_disinfection_get(Req *r);
void api_disinfection_create(Req *r);
void api_disinfection_totals(Req *r);
void api_disinfection_import(Req *r);
void api_disinfection_export(Req *r);
void api_visitors_list(Req *r);
void api_visitors_get(Req *r);
void api_visitors_create(Req *r);
void api_visitors_import(Req *r);
void api_visitors_export(Req *r);
void api_rounds_list(Req *r);
void api_rounds_get(Req *r);
void api_rounds_create(Req *r);
void api_visits_list(Req *r);
void api_visits_overdue(Req *r);
void api_visits_create(Req *r);
void api_visits_update(Req *r);
void api_inspections_import(Req *r);
void api_inspections_export(Req *r);
void api_enterprises_list(Req *r);
void api_enterprises_get(Req *r);
void api_enterprises_create(Req *r);
void api_enterprises_update(Req *r);
void api_enterprise_workers_add(Req *r);
void api_enterprise_workers_leave(Req *r);
void api_enterprises_import(Req *r);
void api_enterprises_export(Req *r);

#endif
