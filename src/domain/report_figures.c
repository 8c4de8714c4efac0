/* report_figures.c — the report's figures with their Chinese labels and
 * units (see report_figures.h). */
#include "report_figures.h"

#include <stddef.h>
#include <string.h>

#define C(label, unit, field, brief)                                       \
    {label, unit, RF_COUNT, brief, offsetof(ReportCounts, field), 0}
#define A(label, field)                                                    \
    {label, "平方米", RF_AREA, 0, offsetof(ReportCounts, field), 0}
#define P(label, num, den)                                                 \
    {label, "%", RF_PCT, 0, offsetof(ReportCounts, num),                   \
     offsetof(ReportCounts, den)}
#define T(label, unit, field)                                              \
    {label, unit, RF_TOWN, 0, offsetof(Report, field), 0}

const ReportFigure report_figures[] = {
    T("行政村", "个", villages),
    C("防控点（卡口）", "个", points, 0),
    C("返乡人员累计", "人", returnees_total, 1),
    C("今日新增返乡人员", "人", returnees_new, 0),
    C("其中武汉返乡", "人", from_wuhan, 0),
    C("其中湖北返乡（含武汉）", "人", from_hubei, 0),
    C("其中来自高风险地区", "人", from_high_risk, 0),
    C("已排查返乡人员", "人", screened, 0),
    C("居家医学观察", "人", obs_current, 1),
    C("今日新增观察", "人", obs_new, 0),
    C("今日解除观察", "人", released, 0),
    C("累计解除观察", "人", released_total, 0),
    C("今日应测体温", "人次", checks_due, 0),
    C("今日已测体温", "人次", checks_done, 0),
    C("今日漏测体温", "人次", checks_missed, 1),
    C("今日发热报警", "起", fever, 1),
    C("今日已走访观察对象", "人", visited, 0),
    C("密切接触者", "人", contacts_total, 0),
    C("密切接触者在观察", "人", contacts_observed, 0),
    P("返乡人员排查率", screened, returnees_total),
    P("观察对象今日走访率", visited, obs_current),
    P("密切接触者观察率", contacts_observed, contacts_total),
    C("卡口今日登记", "车次", passes, 0),
    C("卡口今日登记人员", "人", persons, 0),
    C("卡口今日车辆", "辆", vehicles, 0),
    C("卡口今日劝返", "人", turned_back, 0),
    C("卡口今日新增返乡", "人", new_returnees, 0),
    C("卡口今日发热", "人", pass_fever, 0),
    A("今日消毒面积", area),
    A("累计消毒面积", area_total),
    T("督导检查累计", "轮", rounds_total),
    T("全覆盖督导累计", "轮", full_rounds_total),
    C("今日检查点位", "个", visits, 0),
    C("未整改问题", "个", problems_open, 0),
};

const int report_nfigures =
    (int)(sizeof report_figures / sizeof report_figures[0]);

const char *const report_supply_labels[REPORT_SUPPLY_COLS] = {
    "物资", "单位", "累计入库", "累计发放", "库存"};

double report_pct(long num, long den)
{
    return den ? (double)(num * 1000 / den +
                          (num * 1000 % den * 2 >= den)) / 10.0
               : 100.0;
}

static long field_long(const void *base, size_t off)
{
    return *(const long *)((const char *)base + off);
}

double report_figure_value(const ReportFigure *f, const Report *r,
                           const ReportCounts *c)
{
    switch (f->kind) {
    case RF_COUNT:
        return (double)field_long(c, f->off);
    case RF_AREA:
        return *(const double *)((const char *)c + f->off);
    case RF_PCT:
        return report_pct(field_long(c, f->off), field_long(c, f->den));
    case RF_TOWN:
        return (double)field_long(r, f->off);
    }
    return 0;
}

int report_figure_decimals(const ReportFigure *f)
{
    return f->kind == RF_AREA || f->kind == RF_PCT;
}

void report_figure_text(const ReportFigure *f, const Report *r,
                        const ReportCounts *c, Buf *b)
{
    double v = report_figure_value(f, r, c);
    if (report_figure_decimals(f))
        buf_printf(b, "%.1f", v);
    else
        buf_printf(b, "%ld", (long)v);
}

void report_figures_lines(const Report *r, const ReportCounts *c, Buf *b)
{
    for (int i = 0; i < report_nfigures; i++) {
        const ReportFigure *f = &report_figures[i];
        buf_printf(b, "%s：", f->label);
        report_figure_text(f, r, c, b);
        buf_printf(b, "%s%s\n", strcmp(f->unit, "%") ? " " : "", f->unit);
    }
}

void report_brief_line(const char *name, const Report *r,
                       const ReportCounts *c, Buf *b)
{
    buf_printf(b, "%s：", name);
    const char *sep = "";
    for (int i = 0; i < report_nfigures; i++) {
        const ReportFigure *f = &report_figures[i];
        if (!f->brief)
            continue;
        buf_printf(b, "%s%s ", sep, f->label);
        report_figure_text(f, r, c, b);
        buf_printf(b, " %s", f->unit);
        sep = "，";
    }
    buf_putc(b, '\n');
}
