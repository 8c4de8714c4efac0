/* test_people_import.c — unit tests for src/base/normalize.c, the pure
 * helpers behind the people import: cells as Excel and phones' IMEs
 * leave them (full-width digits, ideographic spaces), dates in every form
 * townships write them, and the words for transport, source, yes/no,
 * symptoms and sex. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/base/normalize.h"

/* cell runs norm_cell on a copy of s and returns the result (static). */
static const char *cell(const char *s)
{
    static char buf[256];
    snprintf(buf, sizeof buf, "%s", s);
    return norm_cell(buf);
}

static void cells_trimmed_and_folded(void **state)
{
    (void)state;
    assert_string_equal(cell("  张三  "), "张三");
    assert_string_equal(cell("\t张三\r\n"), "张三");
    /* U+3000 ideographic spaces at both ends, one inside kept as a space */
    assert_string_equal(cell("\xE3\x80\x80张\xE3\x80\x80三\xE3\x80\x80"),
                        "张 三");
    assert_string_equal(cell("\xC2\xA0" "东村\xC2\xA0"), "东村");
    /* full-width digits, letters and punctuation */
    assert_string_equal(cell("１３８００１３８０００"), "13800138000");
    assert_string_equal(cell("１１０１０５１９４９１２３１００２Ｘ"),
                        "11010519491231002X");
    assert_string_equal(cell("Ｇ１２３"), "G123");
    assert_string_equal(cell("ａｂｃ"), "abc");
    assert_string_equal(cell("２０２０－０２－１０"), "2020-02-10");
    assert_string_equal(cell("东村，西村（南）"), "东村,西村(南)");
    assert_string_equal(cell("！～"), "!~");
    /* CJK punctuation outside the full-width block stays */
    assert_string_equal(cell("东村。"), "东村。");
    /* zero-width characters and a stray BOM vanish */
    assert_string_equal(cell("\xEF\xBB\xBF张\xE2\x80\x8B三"), "张三");
    assert_string_equal(cell(""), "");
    assert_string_equal(cell("   "), "");
    assert_string_equal(cell("\xE3\x80\x80"), "");
    /* the export's formula guard is dropped; other apostrophes stay */
    assert_string_equal(cell("'=1+2"), "=1+2");
    assert_string_equal(cell("'+86"), "+86");
    assert_string_equal(cell("'-"), "-");
    assert_string_equal(cell("'@x"), "@x");
    assert_string_equal(cell("'abc"), "'abc");
    assert_string_equal(cell("O'Neil"), "O'Neil");
    /* a truncated multi-byte sequence is kept, not read past */
    assert_string_equal(cell("a\xEF"), "a\xEF");
    assert_string_equal(cell("a\xEF\xBC"), "a\xEF\xBC");
}

static void date_is(const char *in, const char *want)
{
    char out[11] = "junk";
    int rc = norm_date(in, out);
    if (want) {
        if (rc != 0)
            fail_msg("norm_date(\"%s\") refused", in);
        assert_string_equal(out, want);
    } else {
        if (rc == 0)
            fail_msg("norm_date(\"%s\") accepted as %s", in, out);
        assert_string_equal(out, "");
    }
}

static void dates_in_every_form(void **state)
{
    (void)state;
    date_is("2020-02-10", "2020-02-10");
    date_is("2020-2-1", "2020-02-01");
    date_is("2020/2/10", "2020-02-10");
    date_is("2020/02/10", "2020-02-10");
    date_is("2020.2.10", "2020-02-10");
    date_is("2020年2月10日", "2020-02-10");
    date_is("2020年02月10日", "2020-02-10");
    date_is("2020年2月10", "2020-02-10");
    date_is("2020年2月10号", "2020-02-10");
    date_is("20200210", "2020-02-10");
    /* Excel's date-and-time cells */
    date_is("2020/2/10 0:00", "2020-02-10");
    date_is("2020-02-10 08:30:00", "2020-02-10");
    date_is("2020-02-10T08:30", "2020-02-10");
    /* leap years */
    date_is("2020-02-29", "2020-02-29");
    date_is("2019-02-29", NULL);
    date_is("1900/2/29", NULL);
    date_is("2000/2/29", "2000-02-29");
    /* not dates, or days that do not exist */
    date_is("2020-13-01", NULL);
    date_is("2020-01-32", NULL);
    date_is("2020-00-10", NULL);
    date_is("2020-04-31", NULL);
    date_is("2月10日", NULL);
    date_is("20-2-10", NULL);
    date_is("2020-2", NULL);
    date_is("2020-2-10x", NULL);
    date_is("2020-2-10 noon", NULL);
    date_is("2020--2-10", NULL);
    date_is("202002100", NULL);
    date_is("1899-12-31", NULL);
    date_is("", NULL);
    date_is(NULL, NULL);
    /* full-width dates come through norm_cell first */
    char fw[] = "２０２０年２月１０日";
    date_is(norm_cell(fw), "2020-02-10");
}

static void transport_words(void **state)
{
    (void)state;
    static const char *const rail[] = {"火车", "高铁", "动车", "rail",
                                       "Rail", "train", NULL};
    for (int i = 0; rail[i]; i++)
        assert_string_equal(norm_transport(rail[i]), "rail");
    assert_string_equal(norm_transport("飞机"), "air");
    assert_string_equal(norm_transport("AIR"), "air");
    assert_string_equal(norm_transport("大巴"), "coach");
    assert_string_equal(norm_transport("客车"), "coach");
    assert_string_equal(norm_transport("汽车"), "coach");
    assert_string_equal(norm_transport("coach"), "coach");
    assert_string_equal(norm_transport("自驾"), "self_drive");
    assert_string_equal(norm_transport("self_drive"), "self_drive");
    assert_string_equal(norm_transport("其他"), "other");
    assert_string_equal(norm_transport("other"), "other");
    assert_null(norm_transport("骑马"));
    assert_null(norm_transport(""));
    assert_null(norm_transport(NULL));
    assert_null(norm_transport("火车 "));  /* cells are trimmed first */
    /* the export's words import again as the same code */
    static const char *const codes[] = {"rail", "air", "coach",
                                        "self_drive", "other", NULL};
    for (int i = 0; codes[i]; i++)
        assert_string_equal(norm_transport(norm_transport_label(codes[i])),
                            codes[i]);
    assert_string_equal(norm_transport_label("rail"), "火车");
    assert_string_equal(norm_transport_label(NULL), "");
    assert_string_equal(norm_transport_label("boat"), "");
}

static void source_words(void **state)
{
    (void)state;
    assert_string_equal(norm_source("入户排查"), "door_to_door");
    assert_string_equal(norm_source("摸排"), "door_to_door");
    assert_string_equal(norm_source("door_to_door"), "door_to_door");
    assert_string_equal(norm_source("卡口"), "checkpoint");
    assert_string_equal(norm_source("Checkpoint"), "checkpoint");
    assert_string_equal(norm_source("自主申报"), "self_registration");
    assert_string_equal(norm_source("自行申报"), "self_registration");
    assert_string_equal(norm_source("上级推送"), "higher_level");
    assert_string_equal(norm_source("上级名单"), "higher_level");
    assert_string_equal(norm_source("higher_level"), "higher_level");
    assert_null(norm_source("听说"));
    assert_null(norm_source(""));
    static const char *const codes[] = {"door_to_door", "checkpoint",
                                        "self_registration", "higher_level",
                                        NULL};
    for (int i = 0; codes[i]; i++)
        assert_string_equal(norm_source(norm_source_label(codes[i])),
                            codes[i]);
    assert_string_equal(norm_source_label("checkpoint"), "卡口");
}

static void yes_no_symptoms_sex(void **state)
{
    (void)state;
    static const char *const yes[] = {"是", "有", "yes", "YES", "y", "1",
                                      "true", NULL};
    static const char *const no[] = {"否", "无", "没有", "no", "No", "n",
                                     "0", "false", "", NULL};
    for (int i = 0; yes[i]; i++)
        assert_int_equal(norm_yes_no(yes[i]), 1);
    for (int i = 0; no[i]; i++)
        assert_int_equal(norm_yes_no(no[i]), 0);
    assert_int_equal(norm_yes_no(NULL), 0);
    assert_int_equal(norm_yes_no("也许"), -1);
    assert_int_equal(norm_yes_no("2"), -1);

    assert_int_equal(norm_symptoms("发热"), 1);
    assert_int_equal(norm_symptoms("干咳,乏力"), 1);
    assert_int_equal(norm_symptoms("有"), 1);
    assert_int_equal(norm_symptoms("无"), 0);
    assert_int_equal(norm_symptoms("否"), 0);
    assert_int_equal(norm_symptoms("没有"), 0);
    assert_int_equal(norm_symptoms("none"), 0);
    assert_int_equal(norm_symptoms("None"), 0);
    assert_int_equal(norm_symptoms(""), 0);
    assert_int_equal(norm_symptoms(NULL), 0);

    assert_string_equal(norm_sex("男"), "M");
    assert_string_equal(norm_sex("M"), "M");
    assert_string_equal(norm_sex("male"), "M");
    assert_string_equal(norm_sex("女"), "F");
    assert_string_equal(norm_sex("f"), "F");
    assert_null(norm_sex("未知"));
    assert_null(norm_sex(""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cells_trimmed_and_folded),
        cmocka_unit_test(dates_in_every_form),
        cmocka_unit_test(transport_words),
        cmocka_unit_test(source_words),
        cmocka_unit_test(yes_no_symptoms_sex),
    };
    return cmocka_run_group_tests_name("people_import", tests, NULL, NULL);
}
