/* fuzz_validate.c — fuzzes the checks of what people type
 * (src/base/validate.c): ID numbers, mobile phones, vehicle plates,
 * temperatures, dates, names, and the UTF-8 helpers.
 *
 * The first byte of an input picks the check (and, for names and
 * text_trim_copy, a size); the rest is the text, copied into a buffer of
 * exactly its length so an over-read is caught.  Beyond crashes, leaks
 * and undefined behaviour, each check must keep its contract
 * (validate.h):
 *   - what it accepts, normalised, is accepted again unchanged;
 *   - an ID number's or a phone's digits never appear in an error
 *     message, and every message is UTF-8;
 *   - an accepted temperature is 35.0..42.5 to the tenth, an accepted date
 *     is the input itself;
 *   - cut at any length, valid UTF-8 stays valid once trimmed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/base/validate.h"
#include "common.h"

/* An error message must be UTF-8 and must not repeat a run of digits of
 * the value (personal information ends up in logs otherwise). */
static void check_message(const Err *e, const char *s)
{
    if (!validate_utf8(e->message, strlen(e->message)))
        fuzz_fail("the message is not UTF-8: %s", e->message);
    size_t run = strspn(s, "0123456789Xx");
    if (run >= 8 && run == strlen(s) && strstr(e->message, s))
        fuzz_fail("the message repeats the value: %s", e->message);
}

static void id_number(const char *s)
{
    IdInfo a, b;
    Err e;
    if (validate_id_number(s, "id_number", 20200210, &a, &e)) {
        check_message(&e, s);
        return;
    }
    if (strlen(a.normalized) != 18)
        fuzz_fail("id: normalised form %s is not 18 characters",
                  a.normalized);
    if (validate_id_number(a.normalized, "id_number", 20200210, &b, &e))
        fuzz_fail("id: normalised %s is refused: %s", a.normalized,
                  e.message);
    if (strcmp(a.normalized, b.normalized) || b.legacy15 ||
        a.sex != b.sex || a.birth_year != b.birth_year ||
        a.birth_month != b.birth_month || a.birth_day != b.birth_day)
        fuzz_fail("id: %s reads differently once normalised",
                  a.normalized);
}

static void phone(const char *s)
{
    char a[12], b[12];
    Err e;
    if (validate_phone(s, "phone", a, &e)) {
        check_message(&e, s);
        return;
    }
    if (strlen(a) != 11 || strspn(a, "0123456789") != 11 || a[0] != '1')
        fuzz_fail("phone: accepted as %s", a);
    if (validate_phone(a, "phone", b, &e) || strcmp(a, b))
        fuzz_fail("phone: normalised %s is not kept", a);
}

static void plate(const char *s)
{
    char a[VALIDATE_PLATE_MAX], b[VALIDATE_PLATE_MAX];
    Err e;
    if (validate_plate(s, "plate", a, sizeof a, &e)) {
        check_message(&e, s);
        if (e.status != 422)
            fuzz_fail("plate: status %d", e.status);
        return;
    }
    if (!validate_utf8(a, strlen(a)))
        fuzz_fail("plate: accepted as non-UTF-8");
    if (validate_plate(a, "plate", b, sizeof b, &e) || strcmp(a, b))
        fuzz_fail("plate: normalised %s is not kept", a);
}

static void temperature(const char *s, size_t n)
{
    Err e;
    double t = strtod(s, NULL);
    if (validate_temperature(t, "temperature", &e) == 0 &&
        !(t >= 34.95 && t < 42.55))
        fuzz_fail("temperature: %.17g accepted", t);
    (void)temperature_is_fever(t);
    if (n >= sizeof(double)) { /* the bits as a double: NaN, inf, ... */
        memcpy(&t, s, sizeof t);
        if (validate_temperature(t, "temperature", &e) == 0 &&
            !(t >= 34.95 && t < 42.55))
            fuzz_fail("temperature: %.17g accepted", t);
        (void)temperature_is_fever(t);
    }
}

static void date(const char *s)
{
    int ymd;
    Err e;
    if (validate_date(s, "date", &ymd, &e)) {
        check_message(&e, s);
        return;
    }
    char back[16];
    snprintf(back, sizeof back, "%04d-%02d-%02d", ymd / 10000,
             ymd / 100 % 100, ymd % 100);
    if (strcmp(back, s) || ymd < 19000101 || ymd > 20991231)
        fuzz_fail("date: %s accepted as %d", s, ymd);
}

static void name(const char *s, unsigned size)
{
    Err e;
    if (validate_name(s, "name", size, &e)) {
        check_message(&e, s);
        return;
    }
    if (!validate_utf8(s, strlen(s)))
        fuzz_fail("name: accepted text that is not UTF-8");
}

/* text_trim_copy and utf8_trim_tail: a valid text cut at any length is
 * valid once trimmed. */
static void trim(const char *s, unsigned size)
{
    size_t n = size % 64 + 1;
    char *out = malloc(n);
    if (!out)
        abort();
    const char *r = text_trim_copy(s, out, n);
    if (r != out || strlen(out) >= n)
        fuzz_fail("text_trim_copy: overran %zu bytes", n);
    if (validate_utf8(s, strlen(s)) && !validate_utf8(out, strlen(out)))
        fuzz_fail("text_trim_copy: cut %s into broken UTF-8", s);
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    unsigned pick = data[0] % 8, arg = data[1];
    size -= 2;
    char *s = malloc(size + 1); /* exactly the text and its NUL */
    if (!s)
        abort();
    memcpy(s, data + 2, size);
    s[size] = '\0';
    switch (pick) {
    case 0: id_number(s); break;
    case 1: phone(s); break;
    case 2: plate(s); break;
    case 3: temperature(s, size); break;
    case 4: date(s); break;
    case 5: name(s, arg); break;
    case 6: trim(s, arg); break;
    default:
        (void)validate_utf8(s, size); /* NULs inside too */
        utf8_trim_tail(s);
        break;
    }
    free(s);
    return 0;
}
