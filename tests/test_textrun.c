/*
 * test_textrun: real headlines in Arabic, Hebrew, Latin with Arabic and
 * digits, Chinese, Japanese, Korean, Devanagari and emoji, split into runs
 * in visual order.
 *
 * Fonts are described by coverage tables instead of font files (the
 * module only sees a FontChooser); the tables follow the real fonts the
 * display uses: font 0 is like DejaVu Sans (Latin, Greek, Cyrillic,
 * Hebrew, Arabic), 1 like Noto Sans Devanagari, 2 like Noto Sans CJK,
 * 3 an emoji font without joiners or skin tones (so the test can see
 * that those stay with their base anyway).
 *
 * Runs are printed as  font, '>' or '<' (direction), script, "text",
 * joined by " | ", left to right on screen.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "textrun.h"
#include "util.h"

typedef struct Cover {
    int font;
    uint32_t lo, hi;
} Cover;

static const Cover COVER[] = {
    {0, 0x0020, 0x024F},   {0, 0x0370, 0x052F},   {0, 0x0590, 0x06FF},
    {0, 0x2000, 0x206F},   {0, 0xFB50, 0xFEFF},   {1, 0x0020, 0x0040},
    {1, 0x0900, 0x097F},   {1, 0x200C, 0x200D},   {2, 0x0020, 0x007E},
    {2, 0x3000, 0x30FF},   {2, 0x4E00, 0x9FFF},   {2, 0xAC00, 0xD7AF},
    {2, 0xFF00, 0xFFEF},   {3, 0x0020, 0x0020},   {3, 0x1F1E6, 0x1F1FF},
    {3, 0x1F300, 0x1F3FA}, {3, 0x1F400, 0x1F6FF},
};

static bool
covers(int font, uint32_t cp)
{
    for (size_t i = 0; i < ARRAY_LEN(COVER); i++) {
        if (COVER[i].font == font && cp >= COVER[i].lo && cp <= COVER[i].hi)
            return true;
    }
    return false;
}

static int
font_for(void *ud, uint32_t cp)
{
    int *calls = ud;
    (*calls)++;
    for (int f = 0; f < 4; f++) {
        if (covers(f, cp))
            return f;
    }
    return 0;
}

static bool
has_glyph(void *ud, int font, uint32_t cp)
{
    (void)ud;
    return covers(font, cp);
}

static int font_calls;
static const FontChooser CHOOSER = {font_for, has_glyph, &font_calls};
static const FontChooser CHOOSER_FIRST_ONLY = {font_for, NULL, &font_calls};

/* Every byte in exactly one run. */
static void
assert_covers_all(const TextRuns *tr, size_t len)
{
    size_t total = 0;
    for (size_t i = 0; i < tr->count; i++) {
        assert_true(tr->run[i].len > 0);
        assert_true(tr->run[i].off + tr->run[i].len <= len);
        total += tr->run[i].len;
        for (size_t j = 0; j < tr->count; j++) {
            if (i == j)
                continue;
            const TextRun *a = &tr->run[i];
            const TextRun *b = &tr->run[j];
            assert_true(a->off + a->len <= b->off || b->off + b->len <= a->off);
        }
    }
    assert_int_equal(total, len);
}

/* Splits s and returns its runs as text (static buffer). */
static const char *
runs_of(const char *s, const FontChooser *fc, bool *rtl)
{
    static char out[4096];
    TextRuns tr;
    textrun_init(&tr);
    textrun_split(&tr, s, strlen(s), fc);
    assert_covers_all(&tr, strlen(s));
    Buf b;
    buf_init(&b);
    for (size_t i = 0; i < tr.count; i++) {
        const TextRun *r = &tr.run[i];
        buf_appendf(&b, "%s%d%c%s\"%.*s\"", i ? " | " : "", r->font,
                    r->rtl ? '<' : '>', r->script, (int)r->len, s + r->off);
    }
    if (rtl)
        *rtl = tr.rtl;
    util_strlcpy(out, b.data ? b.data : "", sizeof(out));
    buf_deinit(&b);
    textrun_deinit(&tr);
    return out;
}

static void
test_latin_is_one_run(void **state)
{
    (void)state;
    bool rtl = true;
    assert_string_equal(
        runs_of("Winter ferry timetable starts on Monday", &CHOOSER, &rtl),
        "0>Latn\"Winter ferry timetable starts on Monday\"");
    assert_false(rtl);
    /* Digits and punctuation alone have no script of their own. */
    assert_string_equal(runs_of("09:30 – 12", &CHOOSER, NULL),
                        "0>\"09:30 – 12\"");
}

static void
test_empty_and_invalid_utf8(void **state)
{
    (void)state;
    TextRuns tr;
    textrun_init(&tr);
    assert_int_equal(textrun_split(&tr, "", 0, &CHOOSER), 0);
    assert_int_equal(textrun_split(&tr, NULL, 0, &CHOOSER), 0);
    /* Stray bytes, a cut sequence and an overlong form: each byte is
     * still in a run, read as U+FFFD. */
    const char bad[] = "ab\xff\xfe"
                       "cd\xe2\x82"
                       "e\xc0\xaf";
    textrun_split(&tr, bad, sizeof(bad) - 1, &CHOOSER);
    assert_covers_all(&tr, sizeof(bad) - 1);
    textrun_deinit(&tr);
}

static void
test_arabic_is_right_to_left(void **state)
{
    (void)state;
    bool rtl = false;
    assert_string_equal(runs_of("انطلاق قمة المناخ في القاهرة", &CHOOSER, &rtl),
                        "0<Arab\"انطلاق قمة المناخ في القاهرة\"");
    assert_true(rtl);
    /* Vowel marks and a ZWNJ (Persian) stay inside the word's run. */
    assert_string_equal(
        runs_of("مُحَمَّد می‌خواهم", &CHOOSER, NULL),
        "0<Arab\"مُحَمَّد می‌خواهم\"");
}

static void
test_hebrew_is_right_to_left(void **state)
{
    (void)state;
    bool rtl = false;
    assert_string_equal(runs_of("הכנסת אישרה את התקציב", &CHOOSER, &rtl),
                        "0<Hebr\"הכנסת אישרה את התקציב\"");
    assert_true(rtl);
}

static void
test_arabic_with_latin_and_digits(void **state)
{
    (void)state;
    bool rtl = false;
    /* Logical: "summit", G20, "in Rome", 2024. On screen, right to left,
     * so the year is leftmost and "summit" rightmost; G20 and 2024 read
     * left to right. */
    assert_string_equal(runs_of("قمة G20 في روما 2024", &CHOOSER, &rtl),
                        "0>\"2024\" | 0<Arab\" في روما \" | 0>Latn\"G20\" | "
                        "0<Arab\"قمة \"");
    assert_true(rtl);
    /* A Latin paragraph keeps its order around the Arabic. */
    assert_string_equal(runs_of("Cairo: القاهرة 2024 today", &CHOOSER, &rtl),
                        "0>Latn\"Cairo: \" | 0>\"2024\" | "
                        "0<Arab\"القاهرة \" | 0>Latn\" today\"");
    assert_false(rtl);
    /* Brackets around Arabic in an Arabic line mirror as a pair. */
    assert_string_equal(runs_of("(مرحبا) أهلا", &CHOOSER, NULL),
                        "0<Arab\"(مرحبا) أهلا\"");
}

static void
test_trailing_space_takes_paragraph_level(void **state)
{
    (void)state;
    /* UAX #9 L1: the final space belongs to the right-to-left paragraph,
     * so it sits at the far left, not between "abc" and the Hebrew. */
    assert_string_equal(runs_of("שלום abc ", &CHOOSER, NULL),
                        "0<\" \" | 0>Latn\"abc\" | 0<Hebr\"שלום \"");
}

static void
test_cjk(void **state)
{
    (void)state;
    /* Chinese: one run in the CJK font, punctuation included. */
    assert_string_equal(runs_of("国务院发布新规，推动经济增长", &CHOOSER, NULL),
                        "2>Hani\"国务院发布新规，推动经济增长\"");
    /* Japanese mixes kanji and kana in one run, and the digits stay in
     * the CJK font, which has them. */
    assert_string_equal(runs_of("東京で2024年の会議が開かれた", &CHOOSER, NULL),
                        "2>Hani\"東京で2024年の会議が開かれた\"");
    /* Without has_glyph they come from the first font that has them. */
    assert_string_equal(runs_of("東京で2024年", &CHOOSER_FIRST_ONLY, NULL),
                        "2>Hani\"東京で\" | 0>Hani\"2024\" | 2>Hani\"年\"");
    /* Korean is its own script (the Hangul shaper). */
    assert_string_equal(runs_of("서울에서 정상회담 개최", &CHOOSER, NULL),
                        "2>Hang\"서울에서 정상회담 개최\"");
}

static void
test_devanagari(void **state)
{
    (void)state;
    const char *hi = "नई दिल्ली में बजट पेश";
    assert_string_equal(runs_of(hi, &CHOOSER, NULL),
                        "1>Deva\"नई दिल्ली में बजट पेश\"");
    /* Without has_glyph the spaces come from the first font: still
     * correct, but cut into nine runs. */
    assert_string_equal(runs_of(hi, &CHOOSER_FIRST_ONLY, NULL),
                        "1>Deva\"नई\" | 0>Deva\" \" | 1>Deva\"दिल्ली\" | "
                        "0>Deva\" \" | 1>Deva\"में\" | 0>Deva\" \" | "
                        "1>Deva\"बजट\" | 0>Deva\" \" | 1>Deva\"पेश\"");
}

static void
test_emoji_sequences_stay_whole(void **state)
{
    (void)state;
    /* Thumbs up + skin tone, family joined by ZWJ, the Japanese flag
     * (two regional indicators), a keycap: the emoji font has none of
     * the modifiers, joiners or the keycap mark, which stay anyway. */
    assert_string_equal(
        runs_of("Fans 👍🏽 👨‍👩‍👧 🇯🇵 1️⃣", &CHOOSER,
                NULL),
        "0>Latn\"Fans \" | 3>Latn\"👍🏽 👨‍👩‍👧 🇯🇵 \" | "
        "0>Latn\"1️⃣\"");
    /* Two flags in a row pair up as two flags (one font choice each),
     * not across them. */
    font_calls = 0;
    runs_of("🇫🇷🇩🇪", &CHOOSER_FIRST_ONLY, NULL);
    assert_int_equal(font_calls, 2);
    /* A combining accent that only font 0 has stays on its Devanagari
     * base. */
    assert_string_equal(runs_of("क\xcc\x81", &CHOOSER, NULL),
                        "1>Deva\"क\xcc\x81\"");
    /* A digit whose first font lacks the Devanagari sign on it moves,
     * with the sign, to the font that has both. */
    assert_string_equal(runs_of("a 5\xe0\xa5\x91", &CHOOSER, NULL),
                        "0>Latn\"a \" | 1>Latn\"5\xe0\xa5\x91\"");
}

static void
test_extenders(void **state)
{
    (void)state;
    assert_true(textrun_is_extender(0x0301)); /* combining acute */
    assert_true(textrun_is_extender(0x064E)); /* Arabic fatha */
    assert_true(textrun_is_extender(0x094D)); /* Devanagari virama */
    assert_true(textrun_is_extender(0x200D));
    assert_true(textrun_is_extender(0x200C));
    assert_true(textrun_is_extender(0xFE0F));
    assert_true(textrun_is_extender(0x1F3FD));
    assert_true(textrun_is_extender(0xE0067));
    assert_false(textrun_is_extender('a'));
    assert_false(textrun_is_extender(0x0628));
    assert_false(textrun_is_extender(0x1F1EF));
}

static void
test_scripts(void **state)
{
    (void)state;
    assert_string_equal(textrun_script('A'), "Latn");
    assert_string_equal(textrun_script('7'), "Zyyy");
    assert_string_equal(textrun_script(0x00E9), "Latn");
    assert_string_equal(textrun_script(0x0416), "Cyrl");
    assert_string_equal(textrun_script(0x03A9), "Grek");
    assert_string_equal(textrun_script(0x05D0), "Hebr");
    assert_string_equal(textrun_script(0x0628), "Arab");
    assert_string_equal(textrun_script(0x060C), "Zyyy");
    assert_string_equal(textrun_script(0x0915), "Deva");
    assert_string_equal(textrun_script(0x4E2D), "Hani");
    assert_string_equal(textrun_script(0x3042), "Hira");
    assert_string_equal(textrun_script(0x30AB), "Kana");
    assert_string_equal(textrun_script(0xD55C), "Hang");
    assert_string_equal(textrun_script(0x0E01), "Thai");
    assert_string_equal(textrun_script(0x0301), "Zinh");
    assert_string_equal(textrun_script(0x1F600), "Zyyy");
    assert_string_equal(textrun_script(0x20BB7), "Hani");
    assert_string_equal(textrun_script(0x10FFFD), "Zzzz");
}

static void
test_chooser_calls_are_per_character(void **state)
{
    (void)state;
    /* The chooser is asked once per base character, never per byte or
     * for a joiner inside a sequence. */
    font_calls = 0;
    runs_of("Ab👨‍👩‍👧", &CHOOSER_FIRST_ONLY, NULL);
    assert_int_equal(font_calls, 3);
}

static void
test_reuse_and_long_lines(void **state)
{
    (void)state;
    TextRuns tr;
    textrun_init(&tr);
    Buf b;
    buf_init(&b);
    for (int i = 0; i < 300; i++)
        buf_appends(&b, i % 2 ? "שלום " : "peace ");
    textrun_split(&tr, b.data, b.len, &CHOOSER);
    assert_covers_all(&tr, b.len);
    assert_false(tr.rtl); /* the first strong character is Latin */
    assert_true(tr.count > 100);
    /* Shorter text in the same buffers. */
    textrun_split(&tr, "abc", 3, &CHOOSER);
    assert_int_equal(tr.count, 1);
    assert_int_equal(tr.run[0].len, 3);
    buf_deinit(&b);
    textrun_deinit(&tr);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_latin_is_one_run),
        cmocka_unit_test(test_empty_and_invalid_utf8),
        cmocka_unit_test(test_arabic_is_right_to_left),
        cmocka_unit_test(test_hebrew_is_right_to_left),
        cmocka_unit_test(test_arabic_with_latin_and_digits),
        cmocka_unit_test(test_trailing_space_takes_paragraph_level),
        cmocka_unit_test(test_cjk),
        cmocka_unit_test(test_devanagari),
        cmocka_unit_test(test_emoji_sequences_stay_whole),
        cmocka_unit_test(test_extenders),
        cmocka_unit_test(test_scripts),
        cmocka_unit_test(test_chooser_calls_are_per_character),
        cmocka_unit_test(test_reuse_and_long_lines),
    };
    return cmocka_run_group_tests_name("textrun", tests, NULL, NULL);
}
