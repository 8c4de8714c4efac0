/* validate.h — checks and normalises what people type into the registers:
 * resident ID numbers, mainland mobile phones, vehicle plates, body
 * temperatures, dates, UTF-8 text and names.
 *
 * Every function is pure: no allocation, no global state, libc only.  On
 * failure a function returns -1 and fills the caller's Err with status 422,
 * a machine code ("invalid_id_number", ...), the field name the caller
 * passed in, and one English line saying why.  A NULL or blank input gives
 * code "missing_field" instead, so forms can say "required" rather than
 * "invalid".  Messages never repeat the value itself: ID numbers and phones
 * are personal information and error messages end up in logs. */
#ifndef FANGYI_VALIDATE_H
#define FANGYI_VALIDATE_H

#include <stddef.h>

#include "err.h"

/* What an ID number says about its holder. */
typedef struct IdInfo {
    char normalized[19]; /* 18 characters, upper-case X; old 15-digit
                            numbers are upgraded to their 18-digit form */
    int legacy15;        /* 1 if the input was an old 15-digit number */
    char sex;            /* 'M' or 'F' (odd sequence number = male) */
    int birth_year, birth_month, birth_day;
    int region_known;    /* first two digits are a known province code;
                            0 is a warning to show, not an error */
} IdInfo;

/* Bytes a normalised plate needs, NUL included ("京AD12345" is 11). */
#define VALIDATE_PLATE_MAX 16

/* validate_id_number checks a resident ID number (GB 11643-1999).
 * Surrounding blanks are ignored and a lower-case x is accepted.  The birth
 * date must exist, be 1900 or later and not after today_ymd (YYYYMMDD, e.g.
 * 20261129; pass 0 to skip that check).  Old 15-digit numbers (year 19YY, no
 * check character) are accepted with legacy15 = 1.  Fills *out (may be
 * NULL) and returns 0, or returns -1 with code "invalid_id_number" saying
 * the reason: characters, length, birth date or check character (naming
 * the expected one). */
int validate_id_number(const char *s, const char *field, int today_ymd,
                       IdInfo *out, Err *err);

/* validate_phone checks a mainland mobile number.  Spaces and dashes are
 * ignored, and a leading +86 or 0086 (or 86 before 11 digits) is dropped;
 * what remains must be 1[3-9] and 9 more digits.  Writes the 11 digits and
 * a NUL to out and returns 0, or returns -1 with code "invalid_phone". */
int validate_phone(const char *s, const char *field, char out[12],
                   Err *err);

/* validate_plate checks a vehicle plate in UTF-8: a province abbreviation
 * (京, 粤, ...), an authority letter A-Z, then 5 letters or digits, or 6 for
 * new-energy plates with D or F first or last; I and O are never used.
 * Lower-case letters are accepted; spaces, '·' and '-' are ignored.
 * Writes the plate without separators ("鲁GAB123") to out, which needs
 * VALIDATE_PLATE_MAX bytes, and returns 0; or returns -1 with code
 * "invalid_plate" (or status 500 "internal" if outsz is too small). */
int validate_plate(const char *s, const char *field, char *out,
                   size_t outsz, Err *err);

/* validate_temperature accepts a body temperature of 35.0 to 42.5 degrees
 * Celsius inclusive, compared in tenths as a thermometer shows it, and
 * returns 0; anything else (NaN too) returns -1 with code
 * "invalid_temperature". */
int validate_temperature(double t, const char *field, Err *err);

/* temperature_is_fever returns 1 if t is 37.3 or more, compared in tenths
 * so that 37.3 typed by a person counts despite floating point; 0
 * otherwise. */
int temperature_is_fever(double t);

/* validate_date checks a strict YYYY-MM-DD date that exists in the
 * calendar, years 1900 to 2099 (anything else is a typo in this work).
 * Stores YYYYMMDD in *ymd_out (may be NULL) and returns 0, or returns -1
 * with code "invalid_date". */
int validate_date(const char *s, const char *field, int *ymd_out,
                  Err *err);

/* text_trim_copy copies s into out[n] without the spaces around it
 * (ASCII white space and the full-width U+3000), as a name is stored;
 * NULL gives NULL, otherwise out.  Too long a value is cut at a whole
 * character (validation then judges the copy). */
const char *text_trim_copy(const char *s, char *out, size_t n);

/* utf8_trim_tail cuts a trailing incomplete UTF-8 sequence (left by a
 * snprintf into a fixed buffer) off the end of s. */
void utf8_trim_tail(char *s);

/* validate_utf8 returns 1 if the n bytes at s are well-formed UTF-8 (no
 * overlong forms, no surrogates, nothing above U+10FFFF), else 0. */
int validate_utf8(const char *s, size_t n);

/* validate_name checks a person's or place's name: after trimming blanks
 * (ASCII and the ideographic space U+3000) it must be non-empty, valid
 * UTF-8, free of control and bidirectional-override characters and at most
 * max_chars code points long.  Returns 0, or -1 with code "missing_field"
 * when NULL or blank, "invalid_field" otherwise.  The caller trims the
 * stored value itself; this function only judges. */
int validate_name(const char *s, const char *field, size_t max_chars,
                  Err *err);

#endif
