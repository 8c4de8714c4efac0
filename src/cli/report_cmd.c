/* report_cmd.c — fangyi report DB --date D [--format json|text]: the
 * daily dispatch report (docs/report.md) from the shell.  JSON is
 * written by report_write, as GET /api/v1/reports/daily writes it; text
 * is a readable Chinese summary, one figure per line. */
#include <stdio.h>
#include <string.h>

#include "../domain/observation.h"
#include "../domain/report.h"
#include "cli.h"

static void pct(const char *label, long num, long den)
{
    double p = den ? (double)(num * 1000 / den +
                              (num * 1000 % den * 2 >= den)) / 10.0
                   : 100.0;
    printf("%s：%.1f%%（%ld/%ld）\n", label, p, num, den);
}

static void print_text(const Report *r)
{
    const ReportCounts *t = &r->total;
    printf("%s 防疫工作日报 %s\n", r->town, r->date);
    printf("行政村：%ld 个\n", r->villages);
    printf("防控点（卡口）：%ld 个\n", r->points);
    printf("返乡人员累计：%ld 人\n", t->returnees_total);
    printf("今日新增返乡人员：%ld 人\n", t->returnees_new);
    printf("其中武汉返乡：%ld 人\n", t->from_wuhan);
    printf("其中湖北返乡（含武汉）：%ld 人\n", t->from_hubei);
    printf("其中来自高风险地区：%ld 人\n", t->from_high_risk);
    printf("居家医学观察：%ld 人\n", t->obs_current);
    printf("今日新增观察：%ld 人\n", t->obs_new);
    printf("今日解除观察：%ld 人\n", t->released);
    printf("累计解除观察：%ld 人\n", t->released_total);
    printf("今日应测体温：%ld 人次\n", t->checks_due);
    printf("今日已测体温：%ld 人次\n", t->checks_done);
    printf("今日漏测体温：%ld 人次\n", t->checks_missed);
    printf("今日发热报警：%ld 起\n", t->fever);
    printf("密切接触者：%ld 人\n", t->contacts_total);
    printf("密切接触者在观察：%ld 人\n", t->contacts_observed);
    pct("返乡人员排查率", t->screened, t->returnees_total);
    pct("观察对象今日走访率", t->visited, t->obs_current);
    pct("密切接触者观察率", t->contacts_observed, t->contacts_total);
    printf("卡口今日登记：%ld 车次\n", t->passes);
    printf("卡口今日登记人员：%ld 人\n", t->persons);
    printf("卡口今日车辆：%ld 辆\n", t->vehicles);
    printf("卡口今日劝返：%ld 人\n", t->turned_back);
    printf("卡口今日新增返乡：%ld 人\n", t->new_returnees);
    printf("卡口今日发热：%ld 人\n", t->pass_fever);
    printf("今日消毒面积：%.1f 平方米\n", t->area);
    printf("累计消毒面积：%.1f 平方米\n", t->area_total);
    printf("督导检查累计：%ld 轮\n", r->rounds_total);
    printf("全覆盖督导累计：%ld 轮\n", r->full_rounds_total);
    printf("今日检查点位：%ld 个\n", t->visits);
    printf("未整改问题：%ld 个\n", t->problems_open);
    for (size_t i = 0; i < r->nsupplies; i++) {
        const ReportSupply *s = &r->supplies[i];
        printf("物资 %s：累计入库 %g %s，累计发放 %g %s，库存 %g %s\n",
               s->item, s->received_total, s->unit, s->issued_total, s->unit,
               s->stock, s->unit);
    }
    for (size_t i = 0; i < r->nvillages; i++) {
        const ReportVillage *v = &r->by_village[i];
        if (!v->active)
            continue;
        printf("%s：返乡 %ld 人，在观察 %ld 人，漏测 %ld 人次，发热 %ld 起\n",
               v->name, v->c.returnees_total, v->c.obs_current,
               v->c.checks_missed, v->c.fever);
    }
}

int cmd_report(const CliArgs *a)
{
    const char *format = cli_flag(a, "format");
    const char *date = cli_flag(a, "date");
    if (!format)
        format = "text";
    if (strcmp(format, "json") && strcmp(format, "text"))
        return cli_fail("report: --format must be json or text (csv and"
                        " xlsx are not there yet)"),
               2;
    Db *db;
    if (cli_open(a->pos[0], &db))
        return 1;
    char today[11];
    if (!date) {
        day_today(today); /* the town's zone is set by cli_open */
        date = today;
    }
    Actor actor;
    actor_system(&actor, "report");
    Err err;
    Report r;
    int rc = 0;
    if (report_daily(db, &actor, date, &r, &err)) {
        rc = cli_fail("report: %s", err.message);
    } else {
        if (!strcmp(format, "json")) {
            Buf b = BUF_INIT;
            Jw w;
            jw_init(&w, &b);
            report_write(&w, &r);
            fwrite(b.p, 1, b.len, stdout);
            putchar('\n');
            buf_free(&b);
        } else {
            print_text(&r);
        }
        report_free(&r);
    }
    db_close(db);
    return rc;
}
