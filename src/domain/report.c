/* report.c — the daily dispatch report's JSON (report_write, the one
 * writer: see report.h, docs/report.md) and its storage.  The figures are
 * computed by report_daily.c and report_obs.c. */
#include <string.h>

#include "report.h"
#include "report_figures.h"

void report_free(Report *r)
{
    arena_free(&r->arena);
    buf_free(&r->vbuf);
    buf_free(&r->sbuf);
    r->by_village = NULL;
    r->supplies = NULL;
    r->nvillages = r->nsupplies = 0;
}

/* A share with one decimal; nothing to count is 100.0. */
static void write_pct(Jw *w, const char *key, long num, long den)
{
    jw_key(w, key);
    jw_double(w, report_pct(num, den), 1); /* the sheets' share, too */
}

static void write_area(Jw *w, const char *key, double v)
{
    jw_key(w, key);
    jw_double(w, v, 1);
}

/* A quantity: whole numbers as integers, else up to 3 decimals. */
static void write_qty(Jw *w, const char *key, double v)
{
    jw_key(w, key);
    if (v == (double)(int64_t)v)
        jw_int(w, (int64_t)v);
    else
        jw_double(w, v, 3);
}

static int row_empty(const ReportCounts *c)
{
    static const ReportCounts zero;
    return !memcmp(c, &zero, sizeof zero);
}

int report_village_listed(const ReportVillage *v)
{
    return v->active || !row_empty(&v->c);
}

void report_write(Jw *w, const Report *r)
{
    const ReportCounts *t = &r->total;
    jw_object(w);
    jw_kstr(w, "date", r->date);
    jw_kstr(w, "town", r->town);
    jw_kint(w, "villages", r->villages);
    jw_kint(w, "points", r->points);

    jw_key(w, "returnees");
    jw_object(w);
    jw_kint(w, "total", t->returnees_total);
    jw_kint(w, "new", t->returnees_new);
    jw_kint(w, "from_wuhan", t->from_wuhan);
    jw_kint(w, "from_hubei", t->from_hubei);
    jw_kint(w, "from_high_risk", t->from_high_risk);
    jw_object_end(w);

    jw_key(w, "observation");
    jw_object(w);
    jw_kint(w, "current", t->obs_current);
    jw_kint(w, "new", t->obs_new);
    jw_kint(w, "released", t->released);
    jw_kint(w, "released_total", t->released_total);
    jw_kint(w, "checks_due", t->checks_due);
    jw_kint(w, "checks_done", t->checks_done);
    jw_kint(w, "checks_missed", t->checks_missed);
    jw_kint(w, "fever", t->fever);
    jw_object_end(w);

    jw_key(w, "close_contacts");
    jw_object(w);
    jw_kint(w, "total", t->contacts_total);
    jw_kint(w, "under_observation", t->contacts_observed);
    jw_object_end(w);

    jw_key(w, "coverage");
    jw_object(w);
    write_pct(w, "screened_pct", t->screened, t->returnees_total);
    jw_kint(w, "screened", t->screened);
    jw_kint(w, "screened_of", t->returnees_total);
    write_pct(w, "visited_pct", t->visited, t->obs_current);
    jw_kint(w, "visited", t->visited);
    jw_kint(w, "visited_of", t->obs_current);
    write_pct(w, "contacts_observed_pct", t->contacts_observed,
              t->contacts_total);
    jw_kint(w, "contacts_observed", t->contacts_observed);
    jw_kint(w, "contacts_observed_of", t->contacts_total);
    jw_object_end(w);

    jw_key(w, "checkpoints");
    jw_object(w);
    jw_kint(w, "passes", t->passes);
    jw_kint(w, "persons", t->persons);
    jw_kint(w, "vehicles", t->vehicles);
    jw_kint(w, "turned_back", t->turned_back);
    jw_kint(w, "new_returnees", t->new_returnees);
    jw_kint(w, "fever", t->pass_fever);
    jw_object_end(w);

    jw_key(w, "disinfection");
    jw_object(w);
    write_area(w, "area_m2", t->area);
    write_area(w, "area_m2_total", t->area_total);
    jw_object_end(w);

    jw_key(w, "inspections");
    jw_object(w);
    jw_kint(w, "rounds_total", r->rounds_total);
    jw_kint(w, "full_rounds_total", r->full_rounds_total);
    jw_kint(w, "visits", t->visits);
    jw_kint(w, "problems_open", t->problems_open);
    jw_object_end(w);

    jw_key(w, "supplies");
    jw_array(w);
    for (size_t i = 0; i < r->nsupplies; i++) {
        const ReportSupply *s = &r->supplies[i];
        jw_object(w);
        jw_kstr(w, "item", s->item);
        jw_kstr(w, "unit", s->unit);
        write_qty(w, "received_total", s->received_total);
        write_qty(w, "issued_total", s->issued_total);
        write_qty(w, "stock", s->stock);
        jw_object_end(w);
    }
    jw_array_end(w);

    jw_key(w, "by_village");
    jw_array(w);
    for (size_t i = 0; i < r->nvillages; i++) {
        const ReportVillage *v = &r->by_village[i];
        const ReportCounts *c = &v->c;
        if (!report_village_listed(v))
            continue; /* a retired village with nothing to report */
        jw_object(w);
        jw_kint(w, "village_id", v->village_id);
        jw_kstr(w, "village", v->name);
        jw_kbool(w, "active", v->active);
        jw_kint(w, "points", c->points);
        jw_kint(w, "returnees_total", c->returnees_total);
        jw_kint(w, "returnees_new", c->returnees_new);
        jw_kint(w, "from_wuhan", c->from_wuhan);
        jw_kint(w, "from_hubei", c->from_hubei);
        jw_kint(w, "from_high_risk", c->from_high_risk);
        jw_kint(w, "observation_current", c->obs_current);
        jw_kint(w, "observation_new", c->obs_new);
        jw_kint(w, "released", c->released);
        jw_kint(w, "checks_due", c->checks_due);
        jw_kint(w, "checks_done", c->checks_done);
        jw_kint(w, "checks_missed", c->checks_missed);
        jw_kint(w, "fever", c->fever);
        jw_kint(w, "close_contacts", c->contacts_total);
        jw_kint(w, "contacts_under_observation", c->contacts_observed);
        jw_kint(w, "passes", c->passes);
        jw_kint(w, "persons", c->persons);
        write_area(w, "disinfection_area_m2", c->area);
        jw_kint(w, "inspection_visits", c->visits);
        jw_kint(w, "problems_open", c->problems_open);
        jw_object_end(w);
    }
    jw_array_end(w);
    jw_object_end(w);
}
