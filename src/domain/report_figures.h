/* report_figures.h — the daily report's figures as people read them:
 * each with its Chinese label (指标) and unit, in the order of the
 * upper level's form.  The one list of the labels: the text format of
 * `fangyi report` and the CSV/XLSX (report_sheet.h) both read it, so a
 * label is written once.  What each figure means is in docs/report.md. */
#ifndef FANGYI_REPORT_FIGURES_H
#define FANGYI_REPORT_FIGURES_H

#include "../base/buf.h"
#include "report.h"

typedef enum ReportFigureKind {
    RF_COUNT, /* a count of a village (ReportCounts) */
    RF_AREA,  /* an area of a village, one decimal */
    RF_PCT,   /* a share of a village: num ÷ den, one decimal */
    RF_TOWN   /* a count of the town only (Report), not of a village */
} ReportFigureKind;

typedef struct ReportFigure {
    const char *label, *unit;
    ReportFigureKind kind;
    int brief;            /* in the text format's line per village */
    size_t off, den;      /* offsetof the field (and the denominator) */
} ReportFigure;

extern const ReportFigure report_figures[];
extern const int report_nfigures;

/* The labels of the first rows of a figure sheet and of the tables. */
#define REPORT_LABEL_TOWN "乡镇"
#define REPORT_LABEL_DATE "日期"
#define REPORT_LABEL_VILLAGE "行政村"
#define REPORT_LABEL_TOTAL "合计"
#define REPORT_LABEL_FIGURE "指标"
#define REPORT_LABEL_VALUE "数值"
#define REPORT_LABEL_UNIT "单位"
#define REPORT_LABEL_INACTIVE "（已停用）"
#define REPORT_TITLE "防疫工作日报"
/* The supplies table: 物资, 单位, 累计入库, 累计发放, 库存. */
enum { REPORT_SUPPLY_COLS = 5 };
extern const char *const report_supply_labels[REPORT_SUPPLY_COLS];

/* report_pct: num ÷ den in percent, one decimal rounded half up; 100.0
 * when there is nothing to count (den 0). */
double report_pct(long num, long den);

/* report_figure_value: the figure of c (a village's counts, or the
 * town's total) — RF_TOWN figures read r. */
double report_figure_value(const ReportFigure *f, const Report *r,
                           const ReportCounts *c);
/* report_figure_decimals: 1 for areas and shares, 0 for counts. */
int report_figure_decimals(const ReportFigure *f);
/* report_figure_text appends the figure as digits (no unit): "421",
 * "2000.0", "95.0". */
void report_figure_text(const ReportFigure *f, const Report *r,
                        const ReportCounts *c, Buf *b);

/* report_figures_lines appends every figure of c as a line "标签：值 单位"
 * (the text format's body). */
void report_figures_lines(const Report *r, const ReportCounts *c, Buf *b);
/* report_brief_line appends name's line of the brief figures: "名称：
 * 返乡人员累计 421 人，…" (a village's, or a town's in a county). */
void report_brief_line(const char *name, const Report *r,
                       const ReportCounts *c, Buf *b);

#endif
