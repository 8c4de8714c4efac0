/* test_validate.c — unit tests for src/base/validate.c: what a clerk typing
 * ID numbers, phones, plates, temperatures, dates and names would notice
 * being accepted, normalised or refused (and with which error). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/base/validate.h"

#define TODAY 20261129

/* assert_refused checks that a validator failed with 422, the given code,
 * the field name, and a message containing `words`. */
static void assert_refused(int rc, const Err *e, const char *code,
                           const char *field, const char *words)
{
    assert_int_equal(rc, -1);
    assert_int_equal(e->status, 422);
    assert_string_equal(e->code, code);
    assert_string_equal(e->field, field);
    if (words && !strstr(e->message, words))
        fail_msg("message \"%s\" lacks \"%s\"", e->message, words);
}

/* ---- ID numbers --------------------------------------------------------- */

static void id_valid_examples(void **state)
{
    (void)state;
    IdInfo id;
    Err e = {0};
    assert_int_equal(validate_id_number("11010519491231002X", "id_number",
                                        TODAY, &id, &e), 0);
    assert_string_equal(id.normalized, "11010519491231002X");
    assert_int_equal(id.legacy15, 0);
    assert_int_equal(id.sex, 'F'); /* sequence 002: even */
    assert_int_equal(id.birth_year, 1949);
    assert_int_equal(id.birth_month, 12);
    assert_int_equal(id.birth_day, 31);
    assert_int_equal(id.region_known, 1);

    assert_int_equal(validate_id_number("34052419800101001X", "id_number",
                                        TODAY, &id, &e), 0);
    assert_int_equal(id.sex, 'M'); /* sequence 001: odd */
    assert_int_equal(id.birth_year, 1980);
    assert_int_equal(id.region_known, 1);
}

static void id_lowercase_x_and_blanks_normalised(void **state)
{
    (void)state;
    IdInfo id;
    Err e = {0};
    assert_int_equal(validate_id_number("  34052419800101001x ", "id_number",
                                        TODAY, &id, &e), 0);
    assert_string_equal(id.normalized, "34052419800101001X");
}

static void id_wrong_check_character_names_expected(void **state)
{
    (void)state;
    IdInfo id;
    Err e = {0};
    int rc = validate_id_number("110105194912310021", "id_number", TODAY,
                                &id, &e);
    assert_refused(rc, &e, "invalid_id_number", "id_number",
                   "should be X");
    assert_non_null(strstr(e.message, "check character"));
    /* The caller's field name is used, not a fixed one. */
    rc = validate_id_number("110105194912310021", "holder_id", TODAY, &id,
                            &e);
    assert_refused(rc, &e, "invalid_id_number", "holder_id", "holder_id");
}

static void id_impossible_birth_date(void **state)
{
    (void)state;
    Err e = {0};
    /* 1949-02-30, with a correct check character. */
    assert_refused(validate_id_number("110105194902300020", "id_number",
                                      TODAY, NULL, &e),
                   &e, "invalid_id_number", "id_number", "impossible");
    /* 1900 was not a leap year; 2000 was. */
    assert_refused(validate_id_number("110105190002290033", "id_number",
                                      TODAY, NULL, &e),
                   &e, "invalid_id_number", "id_number", "impossible");
    assert_int_equal(validate_id_number("11010520000229003X", "id_number",
                                        TODAY, NULL, &e), 0);
    /* Before 1900 is refused too. */
    assert_refused(validate_id_number("110105189912310023", "id_number",
                                      TODAY, NULL, &e),
                   &e, "invalid_id_number", "id_number", "1900");
}

static void id_future_birth_date(void **state)
{
    (void)state;
    Err e = {0};
    assert_refused(validate_id_number("11010520300101001X", "id_number",
                                      TODAY, NULL, &e),
                   &e, "invalid_id_number", "id_number", "future");
    /* Born today is fine, tomorrow is not. */
    assert_int_equal(validate_id_number("110105202611290018", "id_number",
                                        TODAY, NULL, &e), 0);
    assert_refused(validate_id_number("11010520261130001X", "id_number",
                                      TODAY, NULL, &e),
                   &e, "invalid_id_number", "id_number", "future");
}

static void id_legacy_15_digits(void **state)
{
    (void)state;
    IdInfo id;
    Err e = {0};
    assert_int_equal(validate_id_number("110105491231002", "id_number",
                                        TODAY, &id, &e), 0);
    assert_int_equal(id.legacy15, 1);
    /* Upgraded to the 18-digit number the same person holds today. */
    assert_string_equal(id.normalized, "11010519491231002X");
    assert_int_equal(id.birth_year, 1949);
    assert_int_equal(id.sex, 'F');
    /* An impossible date in an old number is still refused. */
    assert_refused(validate_id_number("110105490230002", "id_number", TODAY,
                                      &id, &e),
                   &e, "invalid_id_number", "id_number", "impossible");
}

static void id_wrong_length_and_characters(void **state)
{
    (void)state;
    Err e = {0};
    assert_refused(validate_id_number("11010519491231002", "id_number",
                                      TODAY, NULL, &e),
                   &e, "invalid_id_number", "id_number", "18 characters");
    assert_refused(validate_id_number("1101051949123100201", "id_number",
                                      TODAY, NULL, &e),
                   &e, "invalid_id_number", "id_number", "18 characters");
    assert_refused(validate_id_number("11010519491231002Y", "id_number",
                                      TODAY, NULL, &e),
                   &e, "invalid_id_number", "id_number", "digits");
    /* Full-width digits are reported as characters, not as a length. */
    assert_refused(validate_id_number("１１０１０５１９４９"
                                      "１２３１００２Ｘ",
                                      "id_number", TODAY, NULL, &e),
                   &e, "invalid_id_number", "id_number", "digits");
    assert_refused(validate_id_number("1101051949123100X2", "id_number",
                                      TODAY, NULL, &e),
                   &e, "invalid_id_number", "id_number", "18th");
    assert_refused(validate_id_number("   ", "id_number", TODAY, NULL, &e),
                   &e, "missing_field", "id_number", "required");
    assert_refused(validate_id_number(NULL, "id_number", TODAY, NULL, &e),
                   &e, "missing_field", "id_number", "required");
}

static void id_unknown_region_is_a_warning(void **state)
{
    (void)state;
    IdInfo id;
    Err e = {0};
    assert_int_equal(validate_id_number("99010519800101001X", "id_number",
                                        TODAY, &id, &e), 0);
    assert_int_equal(id.region_known, 0);
}

/* ---- phones ------------------------------------------------------------- */

static void phone_accepted_forms(void **state)
{
    (void)state;
    char out[12];
    Err e = {0};
    static const char *const ok[] = {
        "+86 138 0013 8000", "008613800138000", "8613800138000",
        "138-0013-8000", " 13800138000 ", "19912345678",
    };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        memset(out, 'z', sizeof out);
        assert_int_equal(validate_phone(ok[i], "phone", out, &e), 0);
        if (i < 5)
            assert_string_equal(out, "13800138000");
    }
}

static void phone_refused(void **state)
{
    (void)state;
    char out[12];
    Err e = {0};
    static const char *const bad[] = {
        "12800138000",   /* 12x is not a mobile prefix */
        "1380013800",    /* 10 digits */
        "138001380001",  /* 12 digits */
        "+1 415 555 0100",
        "010-12345678",  /* a landline */
        "1380013800a",
        "+86 +86 13800138000 1380013800013800138000",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_refused(validate_phone(bad[i], "phone", out, &e), &e,
                       "invalid_phone", "phone", NULL);
    assert_refused(validate_phone(" - ", "phone", out, &e), &e,
                   "missing_field", "phone", "required");
}

/* ---- plates ------------------------------------------------------------- */

static void plate_accepted_and_normalised(void **state)
{
    (void)state;
    char out[VALIDATE_PLATE_MAX];
    Err e = {0};
    assert_int_equal(validate_plate("京A12345", "plate", out, sizeof out,
                                    &e), 0);
    assert_string_equal(out, "京A12345");
    assert_int_equal(validate_plate("鲁G·AB123", "plate", out, sizeof out,
                                    &e), 0);
    assert_string_equal(out, "鲁GAB123");
    assert_int_equal(validate_plate(" 京 a-12345 ", "plate", out,
                                    sizeof out, &e), 0);
    assert_string_equal(out, "京A12345");
    /* New energy: 6 characters with D or F first or last. */
    assert_int_equal(validate_plate("粤BD12345", "plate", out, sizeof out,
                                    &e), 0);
    assert_string_equal(out, "粤BD12345");
    assert_int_equal(validate_plate("粤B12345f", "plate", out, sizeof out,
                                    &e), 0);
    assert_string_equal(out, "粤B12345F");
}

static void plate_refused(void **state)
{
    (void)state;
    char out[VALIDATE_PLATE_MAX];
    Err e = {0};
    assert_refused(validate_plate("京A1234", "plate", out, sizeof out, &e),
                   &e, "invalid_plate", "plate", "5 characters");
    assert_refused(validate_plate("京AI2345", "plate", out, sizeof out, &e),
                   &e, "invalid_plate", "plate", "I or O");
    assert_refused(validate_plate("京A1O345", "plate", out, sizeof out, &e),
                   &e, "invalid_plate", "plate", "I or O");
    assert_refused(validate_plate("粤B123456", "plate", out, sizeof out,
                                  &e),
                   &e, "invalid_plate", "plate", "D or F");
    assert_refused(validate_plate("A12345", "plate", out, sizeof out, &e),
                   &e, "invalid_plate", "plate", "province");
    assert_refused(validate_plate("京112345", "plate", out, sizeof out, &e),
                   &e, "invalid_plate", "plate", "authority letter");
    assert_refused(validate_plate("京A12345678", "plate", out, sizeof out,
                                  &e),
                   &e, "invalid_plate", "plate", "too long");
    assert_refused(validate_plate("京A123#5", "plate", out, sizeof out,
                                  &e),
                   &e, "invalid_plate", "plate", "letters and digits");
    assert_refused(validate_plate("", "plate", out, sizeof out, &e), &e,
                   "missing_field", "plate", "required");
}

/* ---- temperatures ------------------------------------------------------- */

static void temperature_fever_threshold(void **state)
{
    (void)state;
    assert_false(temperature_is_fever(37.2));
    assert_true(temperature_is_fever(37.3));
    assert_true(temperature_is_fever(38.5));
    assert_false(temperature_is_fever(36.5));
    /* 37.3 that passed through a float is 37.2999992 as a double; the
     * thermometer showed 37.3, so it is a fever. */
    volatile float reading = 37.3f;
    assert_true((double)reading < 37.3);
    assert_true(temperature_is_fever(reading));
    assert_false(temperature_is_fever(37.2f));
}

static void temperature_range(void **state)
{
    (void)state;
    Err e = {0};
    assert_int_equal(validate_temperature(35.0, "temperature", &e), 0);
    assert_int_equal(validate_temperature(36.6, "temperature", &e), 0);
    assert_int_equal(validate_temperature(42.5, "temperature", &e), 0);
    assert_refused(validate_temperature(34.9, "temperature", &e), &e,
                   "invalid_temperature", "temperature", "35.0");
    assert_refused(validate_temperature(42.6, "temperature", &e), &e,
                   "invalid_temperature", "temperature", "42.5");
    assert_refused(validate_temperature(NAN, "temperature", &e), &e,
                   "invalid_temperature", "temperature", NULL);
    assert_refused(validate_temperature(365.0, "temperature", &e), &e,
                   "invalid_temperature", "temperature", NULL);
}

/* ---- dates, UTF-8, names ------------------------------------------------ */

static void date_strict(void **state)
{
    (void)state;
    Err e = {0};
    int ymd = 0;
    assert_int_equal(validate_date("2026-11-29", "date", &ymd, &e), 0);
    assert_int_equal(ymd, 20261129);
    assert_int_equal(validate_date("2024-02-29", "date", &ymd, &e), 0);
    static const char *const bad[] = {
        "2023-02-29", "2026-13-01", "2026-04-31", "2026-1-29",
        "2026/11/29", "2026-11-29 ", "26-11-29", "0202-11-29",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_refused(validate_date(bad[i], "date", &ymd, &e), &e,
                       "invalid_date", "date", NULL);
    assert_refused(validate_date("", "date", &ymd, &e), &e,
                   "missing_field", "date", NULL);
}

static void utf8_wellformed(void **state)
{
    (void)state;
#define U(s) validate_utf8(s, sizeof s - 1)
    assert_true(U("plain ascii"));
    assert_true(U("中文姓名"));
    assert_true(U("\xF0\xA0\x80\x80")); /* U+20000, a rare surname */
    assert_true(U("\xF4\x8F\xBF\xBF")); /* U+10FFFF */
    assert_false(U("\xC0\xAF"));         /* overlong '/' */
    assert_false(U("\xE0\x80\xAF"));     /* overlong '/' */
    assert_false(U("\xF0\x80\x80\xAF")); /* overlong '/' */
    assert_false(U("\xED\xA0\x80"));     /* surrogate U+D800 */
    assert_false(U("\xF4\x90\x80\x80")); /* above U+10FFFF */
    assert_false(U("\xE4\xB8"));         /* cut short */
    assert_false(U("\x80"));             /* lone continuation */
    assert_false(U("\xD6\xD0\xCE\xC4")); /* "中文" in GB18030 */
#undef U
}

/* A summary cut by snprintf in the middle of 张 (3 bytes) loses the
 * half character, and nothing else. */
static void utf8_tail(void **state)
{
    (void)state;
    char s[16];
    snprintf(s, sizeof s, "%s", "ab\xe5\xbc");      /* 张 without its end */
    utf8_trim_tail(s);
    assert_string_equal(s, "ab");
    snprintf(s, sizeof s, "%s", "ab\xe5\xbc\xa0");  /* 张 whole */
    utf8_trim_tail(s);
    assert_string_equal(s, "ab\xe5\xbc\xa0");
    snprintf(s, sizeof s, "%s", "abc");
    utf8_trim_tail(s);
    assert_string_equal(s, "abc");
    s[0] = '\0';
    utf8_trim_tail(s);
    assert_string_equal(s, "");
}

/* text_trim_copy on exactly sized buffers (ASan in test-asan sees an
 * over-read): found by fuzz_validate, tests/fuzz/regress/validate. */
static void trim_copy_exact_buffers(void **state)
{
    (void)state;
    const char *texts[] = {"a", "ab", " \xe3\x80\x80张三\xe3\x80\x80 ",
                           "\xe3\x80", "x\xe3"};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        size_t n = strlen(texts[i]) + 1;
        char *in = malloc(n), *out = malloc(n);
        memcpy(in, texts[i], n);
        assert_ptr_equal(text_trim_copy(in, out, n), out);
        free(in);
        free(out);
    }
    char out[8];
    assert_string_equal(text_trim_copy(" \xe3\x80\x80张三\xe3\x80\x80 ", out,
                                       sizeof out),
                        "张三"); /* 7 bytes: 张三 and a third of U+3000 */
}

/* A message too long for Err ends on a whole character. */
static void err_message_cut_at_a_character(void **state)
{
    (void)state;
    char name[400] = "";
    for (int i = 0; i < 100; i++)
        strcat(name, "张");
    Err e;
    err_set(&e, 422, "invalid_field", "name", "x%s", name);
    assert_true(strlen(e.message) < sizeof e.message);
    assert_true(validate_utf8(e.message, strlen(e.message)));
    assert_int_equal(strlen(e.message) % 3, 1); /* "x" and whole 张 */
}

static void name_checks(void **state)
{
    (void)state;
    Err e = {0};
    assert_int_equal(validate_name("张三", "name", 20, &e), 0);
    assert_int_equal(validate_name("　张三丰 ", "name", 3, &e), 0);
    assert_refused(validate_name("张三丰", "name", 2, &e), &e,
                   "invalid_field", "name", "at most 2");
    assert_refused(validate_name(" 　 ", "name", 20, &e), &e,
                   "missing_field", "name", "required");
    assert_refused(validate_name(NULL, "name", 20, &e), &e,
                   "missing_field", "name", "required");
    assert_refused(validate_name("张\n三", "name", 20, &e), &e,
                   "invalid_field", "name", "control");
    assert_refused(validate_name("abc\xE2\x80\xAE" "fed", "name", 20, &e),
                   &e, "invalid_field", "name", "control");
    assert_refused(validate_name("\xD5\xC5\xC8\xFD", "name", 20, &e), &e,
                   "invalid_field", "name", "UTF-8");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(id_valid_examples),
        cmocka_unit_test(id_lowercase_x_and_blanks_normalised),
        cmocka_unit_test(id_wrong_check_character_names_expected),
        cmocka_unit_test(id_impossible_birth_date),
        cmocka_unit_test(id_future_birth_date),
        cmocka_unit_test(id_legacy_15_digits),
        cmocka_unit_test(id_wrong_length_and_characters),
        cmocka_unit_test(id_unknown_region_is_a_warning),
        cmocka_unit_test(phone_accepted_forms),
        cmocka_unit_test(phone_refused),
        cmocka_unit_test(plate_accepted_and_normalised),
        cmocka_unit_test(plate_refused),
        cmocka_unit_test(temperature_fever_threshold),
        cmocka_unit_test(temperature_range),
        cmocka_unit_test(date_strict),
        cmocka_unit_test(utf8_wellformed),
        cmocka_unit_test(name_checks),
        cmocka_unit_test(utf8_tail),
        cmocka_unit_test(trim_copy_exact_buffers),
        cmocka_unit_test(err_message_cut_at_a_character),
    };
    return cmocka_run_group_tests_name("validate", tests, NULL, NULL);
}
