/* normalize.h — turning what clerks type into township spreadsheets into
 * the values the registers store: trimmed cells with full-width
 * characters folded, dates in any of the common Chinese forms, and the
 * words used for transport, record source, yes/no and sex.
 *
 * Every function is pure: no allocation, no global state, libc only
 * (validate.h for the calendar check).  They are used by the register
 * imports and, in reverse, by the exports (the *_label functions). */
#ifndef FANGYI_NORMALIZE_H
#define FANGYI_NORMALIZE_H

/* norm_cell normalises one cell in place and returns where it now starts
 * (inside s): full-width ASCII (U+FF01..U+FF5E, e.g. "１３８", "，") to
 * half-width, the ideographic space U+3000 and no-break space U+00A0 to
 * a space, zero-width spaces and stray byte order marks dropped, blanks
 * (space, tab, CR, LF) trimmed at both ends, and a leading apostrophe
 * before = + - @ dropped (the exports add it so Excel does not take a
 * cell for a formula).  The result is never longer than the input. */
char *norm_cell(char *s);

/* norm_date reads a date written as 2020-02-10, 2020/2/10, 2020.2.10,
 * 2020年2月10日 (日 optional) or 20200210, optionally followed by a time
 * of day as Excel writes one ("2020/2/10 0:00"), and writes YYYY-MM-DD
 * and a NUL to out.  Returns 0, or -1 when s is not such a date or the
 * day does not exist (out is then ""). */
int norm_date(const char *s, char out[11]);

/* norm_transport maps 火车/高铁/动车, 飞机, 大巴/客车/汽车, 自驾, 其他 and
 * the English codes (rail, air, coach, self_drive, other) to the code;
 * NULL for anything else (an empty string included). */
const char *norm_transport(const char *s);
/* norm_transport_label: the Chinese word for a code (火车 for rail), or
 * "" for NULL or an unknown code. */
const char *norm_transport_label(const char *code);

/* norm_source maps 入户排查/摸排, 卡口, 自主申报/自行申报, 上级推送/上级名单
 * and the English codes to door_to_door, checkpoint, self_registration,
 * higher_level; NULL for anything else (an empty string included). */
const char *norm_source(const char *s);
/* norm_source_label: the Chinese word for a code, "" if unknown. */
const char *norm_source_label(const char *code);

/* norm_yes_no: 1 for 是/有/yes/y/true/1, 0 for 否/无/没有/no/n/false/0
 * and the empty string, -1 for anything else. */
int norm_yes_no(const char *s);

/* norm_symptoms: 1 when s describes symptoms (non-empty and not 无, 否,
 * 没有, none, no, 0), else 0. */
int norm_symptoms(const char *s);

/* norm_sex: "M" for 男/M/male, "F" for 女/F/female, NULL otherwise. */
const char *norm_sex(const char *s);

/* norm_number writes v with at most `decimals` decimals and no trailing
 * zeros (2510, 12.5, 0.125) into out[32], as a ledger shows and exports
 * an amount; returns out. */
const char *norm_number(double v, int decimals, char out[32]);

#endif
