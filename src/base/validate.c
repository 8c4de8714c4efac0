/* validate.c — the checks behind validate.h: ID numbers, phones, plates,
 * temperatures, dates, UTF-8 and names.  Pure functions; see validate.h
 * for the contracts. */
#include "validate.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* fail fills *err with status 422 (every validation failure is
 * "unprocessable"), the code and field, and a message made of the field's
 * name followed by the printf-formatted reason; it returns -1. */
static int fail(Err *err, const char *code, const char *field,
                const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int fail(Err *err, const char *code, const char *field,
                const char *fmt, ...)
{
    char reason[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    return err_set(err, 422, code, field, "%s %s",
                   field && *field ? field : "value", reason);
}

static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_blank(int c) { return c == ' ' || c == '\t'; }
static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* date_exists returns 1 if y-m-d is a real Gregorian calendar date. */
static int date_exists(int y, int m, int d)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
    if (y < 1 || m < 1 || m > 12 || d < 1)
        return 0;
    int max = mdays[m - 1] + (m == 2 && is_leap(y));
    return d <= max;
}

/* digits_value reads n ASCII digits at p (the caller checked they are
 * digits). */
static int digits_value(const char *p, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (p[i] - '0');
    return v;
}

/* trim_blanks narrows [*s, *s + *n) to exclude leading and trailing ASCII
 * spaces and tabs. */
static void trim_blanks(const char **s, size_t *n)
{
    while (*n > 0 && is_blank((unsigned char)(*s)[0])) {
        (*s)++;
        (*n)--;
    }
    while (*n > 0 && is_blank((unsigned char)(*s)[*n - 1]))
        (*n)--;
}

/* utf8_decode decodes one code point from the n > 0 bytes at p into *cp
 * and returns its length in bytes, or 0 if the bytes there are not
 * well-formed UTF-8 (truncated, overlong, surrogate, above U+10FFFF). */
static size_t utf8_decode(const unsigned char *p, size_t n, uint32_t *cp)
{
    uint32_t c = p[0];
    size_t len;
    uint32_t min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
        len = 2, min = 0x80, c &= 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3, min = 0x800, c &= 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4, min = 0x10000, c &= 0x07;
    } else {
        return 0; /* continuation byte, C0/C1 overlong lead, F5..FF */
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (p[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

int validate_utf8(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        if (p[i] < 0x80) { /* fast path for ASCII runs */
            i++;
            continue;
        }
        size_t len = utf8_decode(p + i, n - i, &cp);
        if (len == 0)
            return 0;
        i += len;
    }
    return 1;
}

/* ---- resident ID numbers ------------------------------------------------ */

/* id_check_char computes the GB 11643-1999 check character of the 17
 * digits at d. */
static char id_check_char(const char *d)
{
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6,
                              3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (d[i] - '0') * w[i];
    return "10X98765432"[sum % 11];
}

/* province_known returns 1 if the two-digit code is a province-level
 * region code (GB/T 2260 first level, plus Taiwan, Hong Kong, Macao). */
static int province_known(int code)
{
    return (code >= 11 && code <= 15) || (code >= 21 && code <= 23) ||
           (code >= 31 && code <= 37) || (code >= 41 && code <= 46) ||
           (code >= 50 && code <= 54) || (code >= 61 && code <= 65) ||
           code == 71 || code == 81 || code == 82;
}

int validate_id_number(const char *s, const char *field, int today_ymd,
                       IdInfo *out, Err *err)
{
    const char *code = "invalid_id_number";
    if (out)
        memset(out, 0, sizeof *out);
    size_t n = s ? strlen(s) : 0;
    trim_blanks(&s, &n);
    if (n == 0)
        return fail(err, "missing_field", field, "is required");

    /* Characters first: full-width digits would otherwise be reported as
     * a baffling wrong length. */
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char)s[i];
        if (!is_digit(c) && c != 'X' && c != 'x')
            return fail(err, code, field,
                        "may contain only the digits 0-9 and a final "
                        "X");
    }
    if (n != 18 && n != 15)
        return fail(err, code, field,
                    "must have 18 characters (15 for old numbers), "
                    "not %zu", n);
    for (size_t i = 0; i < n; i++) {
        if ((s[i] == 'X' || s[i] == 'x') && (n == 15 || i != 17))
            return fail(err, code, field,
                        "may have an X only as its 18th character");
    }

    /* d holds the 18-digit form; an old number gains the century 19. */
    char d[19];
    int legacy = n == 15;
    if (legacy) {
        memcpy(d, s, 6);
        d[6] = '1', d[7] = '9';
        memcpy(d + 8, s + 6, 9);
    } else {
        memcpy(d, s, 17);
    }

    int y = digits_value(d + 6, 4), m = digits_value(d + 10, 2);
    int day = digits_value(d + 12, 2);
    if (!date_exists(y, m, day))
        return fail(err, code, field, "contains an impossible birth date");
    if (y < 1900)
        return fail(err, code, field, "has a birth date before 1900");
    if (today_ymd > 0 && y * 10000 + m * 100 + day > today_ymd)
        return fail(err, code, field, "has a birth date in the future");

    char expect = id_check_char(d);
    if (!legacy) {
        char got = s[17] == 'x' ? 'X' : s[17];
        if (got != expect)
            return fail(err, code, field,
                        "check character mismatch: the last "
                        "character should be %c, not %c (a digit may be "
                        "mistyped)", expect, got);
    }
    d[17] = expect;
    d[18] = '\0';

    if (out) {
        memcpy(out->normalized, d, sizeof out->normalized);
        out->legacy15 = legacy;
        out->sex = (d[16] - '0') % 2 ? 'M' : 'F';
        out->birth_year = y;
        out->birth_month = m;
        out->birth_day = day;
        out->region_known = province_known(digits_value(d, 2));
    }
    return 0;
}

/* ---- mobile phones ------------------------------------------------------ */

int validate_phone(const char *s, const char *field, char out[12], Err *err)
{
    char buf[24];
    size_t n = 0;
    if (out)
        out[0] = '\0';
    if (!s)
        return fail(err, "missing_field", field, "is required");
    for (; *s; s++) {
        if (*s == ' ' || *s == '-' || *s == '\t')
            continue;
        if (n == sizeof buf - 1)
            return fail(err, "invalid_phone", field,
                        "is too long for a mobile number");
        buf[n++] = *s;
    }
    buf[n] = '\0';
    if (n == 0)
        return fail(err, "missing_field", field, "is required");

    const char *p = buf;
    if (strncmp(p, "+86", 3) == 0)
        p += 3;
    else if (strncmp(p, "0086", 4) == 0)
        p += 4;
    else if (n == 13 && strncmp(p, "86", 2) == 0)
        p += 2;

    size_t len = strlen(p);
    int ok = len == 11 && p[0] == '1' && p[1] >= '3' && p[1] <= '9';
    for (size_t i = 0; ok && i < len; i++)
        ok = is_digit((unsigned char)p[i]);
    if (!ok)
        return fail(err, "invalid_phone", field,
                    "must be a mainland mobile number: 11 digits "
                    "starting with 13 to 19");
    if (out)
        memcpy(out, p, 12);
    return 0;
}

/* ---- vehicle plates ----------------------------------------------------- */

/* The province abbreviations, each one CJK character (3 bytes in UTF-8). */
static const char *const plate_provinces[] = {
    "京", "津", "沪", "渝", "冀", "豫", "云", "辽", "黑", "湘", "皖",
    "鲁", "新", "苏", "浙", "赣", "鄂", "桂", "甘", "晋", "蒙", "陕",
    "吉", "闽", "贵", "粤", "青", "藏", "川", "宁", "琼",
};

int validate_plate(const char *s, const char *field, char *out,
                   size_t outsz, Err *err)
{
    const char *code = "invalid_plate";
    if (out && outsz > 0)
        out[0] = '\0';
    if (!out || outsz < 11)
        return err_set(err, 500, "internal", field,
                       "plate buffer too small");
    size_t n = s ? strlen(s) : 0;
    trim_blanks(&s, &n);
    if (n == 0)
        return fail(err, "missing_field", field, "is required");

    const char *prov = NULL;
    for (size_t i = 0; i < sizeof plate_provinces / sizeof *plate_provinces;
         i++) {
        size_t pl = strlen(plate_provinces[i]);
        if (n >= pl && memcmp(s, plate_provinces[i], pl) == 0) {
            prov = plate_provinces[i];
            break;
        }
    }
    if (!prov)
        return fail(err, code, field,
                    "must start with a province abbreviation such "
                    "as 京 or 粤");

    /* Gather the Latin part, dropping the separators people type. */
    size_t plen = strlen(prov);
    char tail[8];
    size_t t = 0;
    for (size_t i = plen; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '-') {
            i++;
            continue;
        }
        if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xB7) {
            i += 2; /* U+00B7 MIDDLE DOT */
            continue;
        }
        if (c >= 'a' && c <= 'z')
            c = (unsigned char)(c - 'a' + 'A');
        if (!is_digit(c) && !(c >= 'A' && c <= 'Z'))
            return fail(err, code, field,
                        "may contain only letters and digits after "
                        "the province");
        if (t == 7)
            return fail(err, code, field,
                        "is too long: expected 5 characters after "
                        "the authority letter (6 for new-energy plates)");
        tail[t++] = (char)c;
        i++;
    }
    if (t == 0 || !(tail[0] >= 'A' && tail[0] <= 'Z'))
        return fail(err, code, field,
                    "needs an authority letter A-Z after the "
                    "province");
    size_t sn = t - 1; /* serial characters after the authority letter */
    if (sn != 5 && sn != 6)
        return fail(err, code, field,
                    "must have 5 characters after the authority "
                    "letter (6 for new-energy plates), not %zu", sn);
    for (size_t i = 1; i < t; i++) {
        if (tail[i] == 'I' || tail[i] == 'O')
            return fail(err, code, field,
                        "cannot contain the letters I or O (they "
                        "would be read as 1 and 0)");
    }
    if (sn == 6) {
        char first = tail[1], last = tail[6];
        if (first != 'D' && first != 'F' && last != 'D' && last != 'F')
            return fail(err, code, field,
                        "is a new-energy plate and must have D or F as "
                        "the first or last of its 6 characters");
    }
    memcpy(out, prov, plen);
    memcpy(out + plen, tail, t);
    out[plen + t] = '\0';
    return 0;
}

/* ---- temperatures and dates --------------------------------------------- */

int validate_temperature(double t, const char *field, Err *err)
{
    /* The coarse bound keeps lround() away from values it cannot hold. */
    int ok = isfinite(t) && t > 30.0 && t < 50.0;
    if (ok) {
        long tenths = lround(t * 10.0);
        ok = tenths >= 350 && tenths <= 425;
    }
    if (!ok)
        return fail(err, "invalid_temperature", field,
                    "must be between 35.0 and 42.5 degrees Celsius");
    return 0;
}

int temperature_is_fever(double t)
{
    return isfinite(t) && t < 1000.0 && lround(t * 10.0) >= 373;
}

int validate_date(const char *s, const char *field, int *ymd_out,
                  Err *err)
{
    if (ymd_out)
        *ymd_out = 0;
    if (!s || !*s)
        return fail(err, "missing_field", field, "is required");
    int ok = strlen(s) == 10 && s[4] == '-' && s[7] == '-';
    for (int i = 0; ok && i < 10; i++)
        ok = i == 4 || i == 7 || is_digit((unsigned char)s[i]);
    if (!ok)
        return fail(err, "invalid_date", field,
                    "must be a date written YYYY-MM-DD");
    int y = digits_value(s, 4), m = digits_value(s + 5, 2);
    int d = digits_value(s + 8, 2);
    if (y < 1900 || y > 2099 || !date_exists(y, m, d))
        return fail(err, "invalid_date", field,
                    "is not a real date between 1900 and 2099");
    if (ymd_out)
        *ymd_out = y * 10000 + m * 100 + d;
    return 0;
}

/* ---- names -------------------------------------------------------------- */

/* name_char_forbidden returns 1 for code points that must not appear in a
 * name: C0/C1 controls and DEL, line/paragraph separators, and the
 * bidirectional embeddings, overrides and isolates that can make a list
 * display differently from what is stored. */
static int name_char_forbidden(uint32_t c)
{
    return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 ||
           c == 0x2029 || (c >= 0x202A && c <= 0x202E) ||
           (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF;
}

int validate_name(const char *s, const char *field, size_t max_chars,
                  Err *err)
{
    static const char ideo_space[] = "\xE3\x80\x80"; /* U+3000 */
    size_t n = s ? strlen(s) : 0;
    for (;;) { /* trim ASCII blanks and ideographic spaces, both ends */
        size_t before = n;
        trim_blanks(&s, &n);
        if (n >= 3 && memcmp(s, ideo_space, 3) == 0)
            s += 3, n -= 3;
        if (n >= 3 && memcmp(s + n - 3, ideo_space, 3) == 0)
            n -= 3;
        if (n == before)
            break;
    }
    if (n == 0)
        return fail(err, "missing_field", field, "is required");

    const unsigned char *p = (const unsigned char *)s;
    size_t count = 0;
    for (size_t i = 0; i < n;) {
        uint32_t c;
        size_t len = utf8_decode(p + i, n - i, &c);
        if (len == 0)
            return fail(err, "invalid_field", field, "is not valid UTF-8 text");
        if (name_char_forbidden(c))
            return fail(err, "invalid_field", field,
                        "contains a control character");
        count++;
        i += len;
    }
    if (count > max_chars)
        return fail(err, "invalid_field", field,
                    "is too long: at most %zu characters",
                    max_chars);
    return 0;
}

void utf8_trim_tail(char *s)
{
    size_t n = strlen(s), start = n;
    /* back over continuation bytes to the lead byte of the last character */
    while (start > 0 && ((unsigned char)s[start - 1] & 0xC0) == 0x80)
        start--;
    if (start == 0)
        return;
    unsigned char lead = (unsigned char)s[start - 1];
    size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (n - (start - 1) < need)
        s[start - 1] = '\0';
}

/* Is s at a space to trim: ASCII white space or U+3000 (3 bytes)?  Byte
 * by byte, so nothing past the string's NUL is read. */
static size_t space_at(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        return 1;
    return u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80 ? 3 : 0;
}

const char *text_trim_copy(const char *s, char *out, size_t n)
{
    if (!s)
        return NULL;
    size_t k;
    while (*s && (k = space_at(s)) > 0)
        s += k;
    snprintf(out, n, "%s", s);
    utf8_trim_tail(out);
    /* the end: drop trailing spaces (a U+3000 is three bytes) */
    size_t len = strlen(out);
    for (;;) {
        if (len >= 1 && space_at(out + len - 1) == 1)
            len -= 1;
        else if (len >= 3 && space_at(out + len - 3) == 3)
            len -= 3;
        else
            break;
        out[len] = '\0';
    }
    return out;
}
