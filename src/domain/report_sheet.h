/* report_sheet.h — the daily report in the upper level's shape, as a
 * spreadsheet: the one writer behind `fangyi report --format csv|xlsx`
 * and GET /api/v1/reports/daily/export.
 *
 * XLSX: a sheet 全镇汇总 (指标 / 数值 / 单位: every figure of the report,
 * then the supplies table 物资 / 单位 / 累计入库 / 累计发放 / 库存), a
 * sheet 各村汇总 (one row per village, a column per figure, and a 合计
 * row of the report's totals), and one sheet per village (named after
 * it, within Excel's rules) with that village's figures.  CSV: the 各村汇总
 * table alone, UTF-8 with a byte order mark.  The labels are those of
 * report_figures.h; the figures those of report_write's JSON. */
#ifndef FANGYI_REPORT_SHEET_H
#define FANGYI_REPORT_SHEET_H

#include "../base/buf.h"
#include "../base/err.h"
#include "report.h"

/* report_sheet_format: "csv" (or NULL) → 0, "xlsx" → 1 into *xlsx; -1
 * for anything else. */
int report_sheet_format(const char *name, int *xlsx);
/* report_sheet_filename appends 日报-<town>-<date>.csv|xlsx to b (a
 * character a file name cannot hold becomes _). */
void report_sheet_filename(const Report *r, int xlsx, Buf *b);
/* report_sheet writes the whole file into out.  0, or -1 with err (500
 * io_error: the temporary file of the workbook). */
int report_sheet(const Report *r, int xlsx, Buf *out, Err *err);

#endif
