/*
 * it_text: headlines in Cyrillic, Greek, Arabic, Hebrew, Devanagari,
 * Chinese, Japanese and Korean (tests/fixtures/script-*.json), drawn by
 * the real text module and by the real binary with the fonts this
 * machine has: the bundled DejaVu Sans plus fonts-noto-core and
 * fonts-noto-cjk, found through fontconfig (`make deps` installs them).
 *
 * Checked: every character is drawn from a font that has a glyph for it
 * (no missing-glyph boxes), scripts the bundled font lacks come from the
 * Noto font for them, measured width equals drawn width, right-to-left
 * text comes out right to left, and each headless screenshot has text in
 * the card and in the crawl.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <cJSON.h>
#include <SDL.h>
#include <SDL_ttf.h>

#include "clean.h"
#include "ittools.h"
#include "text.h"
#include "textrun.h"
#include "util.h"

typedef struct Script {
    const char *name; /* tests/fixtures/script-NAME.json */
    const char *font; /* part of the fallback font's file name; NULL when
                         the bundled font has the script */
    bool rtl;         /* paragraph direction of the headlines */
} Script;

static const Script SCRIPTS[] = {
    {"cyrillic", NULL, false},
    {"greek", NULL, false},
    {"arabic", NULL, true},
    {"hebrew", NULL, true},
    {"devanagari", "NotoSansDevanagari", false},
    {"chinese", "NotoSansCJK", false},
    {"japanese", "NotoSansCJK", false},
    {"korean", "NotoSansCJK", false},
};

static const FontRole ROLES[] = {FONT_HEADLINE, FONT_SUMMARY, FONT_CRAWL,
                                 FONT_CRAWL_BOLD};

static TextFonts *tf;

static int
setup(void **state)
{
    (void)state;
    if (TTF_Init() < 0)
        return -1;
    char err[256];
    tf = text_open("fonts/DejaVuSans.ttf", "fonts/DejaVuSans-Bold.ttf", err,
                   sizeof(err));
    if (!tf) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    /* The sizes a 1080p layout uses, roughly. */
    int px[FONT_COUNT] = {64, 36, 24, 24, 34, 34, 40, 18};
    if (text_set_sizes(tf, px, err, sizeof(err)) < 0) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    text_close(tf);
    TTF_Quit();
    return 0;
}

/* Titles and summaries of a fixture, NULL-terminated; caller frees all. */
static char **
fixture_strings(const char *name)
{
    char *path = xasprintf("tests/fixtures/script-%s.json", name);
    char *text = it_read_file(path, NULL);
    if (!text)
        fail_msg("cannot open %s", path);
    cJSON *root = cJSON_Parse(text);
    assert_non_null(root);
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(root, "items");
    size_t n = (size_t)cJSON_GetArraySize(items);
    assert_true(n > 0);
    char **out = xcalloc(2 * n + 1, sizeof(*out));
    size_t k = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, items)
    {
        const char *keys[] = {"title", "summary"};
        for (size_t i = 0; i < ARRAY_LEN(keys); i++) {
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(it, keys[i]);
            if (cJSON_IsString(v))
                out[k++] = xstrdup(v->valuestring);
        }
    }
    cJSON_Delete(root);
    free(text);
    free(path);
    return out;
}

static void
strings_free(char **s)
{
    for (size_t i = 0; s[i]; i++)
        free(s[i]);
    free(s);
}

/* Invisible format characters: the shaper consumes them, no glyph is
 * drawn, so no font needs one. */
static bool
is_ignorable(uint32_t cp)
{
    return cp == 0x200C || cp == 0x200D || (cp >= 0xFE00 && cp <= 0xFE0F) ||
           (cp >= 0xE0000 && cp <= 0xE0FFF);
}

/* Fails unless every visible character of s is in the font of its run;
 * returns whether a run used a font whose file name contains want. */
static bool
check_glyphs(FontRole role, const char *s, const char *want)
{
    const TextRuns *tr = text_runs(tf, role, s);
    assert_true(tr->count > 0);
    bool found = false;
    for (size_t i = 0; i < tr->count; i++) {
        const TextRun r = tr->run[i];
        TTF_Font *f = text_font(tf, role, r.font);
        const char *file = text_font_file(tf, r.font);
        assert_non_null(f);
        if (want && strstr(file, want))
            found = true;
        size_t at = r.off;
        while (at < r.off + r.len) {
            uint32_t cp;
            at += utf8_decode(s + at, r.off + r.len - at, &cp);
            if (!is_ignorable(cp) && !TTF_GlyphIsProvided32(f, cp))
                fail_msg("\"%s\": U+%04X has no glyph in %s", s, (unsigned)cp,
                         file);
        }
    }
    return found;
}

static int
alpha_at(const SDL_Surface *s, int x, int y)
{
    const Uint32 *row =
        (const Uint32 *)((const Uint8 *)s->pixels + y * s->pitch);
    return (int)((row[x] & s->format->Amask) >> s->format->Ashift);
}

static long
ink(const SDL_Surface *s)
{
    long sum = 0;
    for (int y = 0; y < s->h; y++) {
        for (int x = 0; x < s->w; x++)
            sum += alpha_at(s, x, y);
    }
    return sum;
}

static void
test_every_character_has_a_glyph(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(SCRIPTS); i++) {
        const Script *sc = &SCRIPTS[i];
        char **strs = fixture_strings(sc->name);
        for (size_t r = 0; r < ARRAY_LEN(ROLES); r++) {
            bool fallback_used = false;
            for (size_t k = 0; strs[k]; k++) {
                fallback_used |= check_glyphs(ROLES[r], strs[k], sc->font);
                const TextRuns *tr = text_runs(tf, ROLES[r], strs[k]);
                if (!sc->font) { /* all in the bundled fonts */
                    for (size_t j = 0; j < tr->count; j++)
                        assert_true(tr->run[j].font <= 1);
                }
                /* What the layout measures is what gets drawn. */
                uint64_t calls = 0;
                int w = text_measure(tf, ROLES[r], strs[k], &calls);
                SDL_Surface *s = text_render(tf, ROLES[r], strs[k], &calls);
                assert_non_null(s);
                assert_int_equal(s->w, w);
                assert_true(ink(s) > 1000);
                SDL_FreeSurface(s);
            }
            if (sc->font && !fallback_used)
                fail_msg("%s: no run drawn with %s", sc->name, sc->font);
        }
        strings_free(strs);
    }
}

/* The horizontal ink profile of a surface: column sums of alpha, over a
 * 5 px window so that a glyph placed a pixel apart (rounding differs with
 * what precedes it) still matches. */
static long *
profile(const SDL_Surface *s)
{
    long *col = xcalloc((size_t)s->w, sizeof(*col));
    for (int y = 0; y < s->h; y++) {
        for (int x = 0; x < s->w; x++)
            col[x] += alpha_at(s, x, y);
    }
    long *p = xcalloc((size_t)s->w, sizeof(*p));
    for (int x = 0; x < s->w; x++) {
        for (int k = MAX(0, x - 2); k <= MIN(s->w - 1, x + 2); k++)
            p[x] += col[k];
    }
    free(col);
    return p;
}

/* Where the drawing of part lies inside the drawing of whole: the x that
 * best matches their ink profiles. */
static int
find_part(FontRole role, const char *whole, const char *part, int *whole_w,
          int *part_w)
{
    uint64_t calls = 0;
    SDL_Surface *a = text_render(tf, role, whole, &calls);
    SDL_Surface *b = text_render(tf, role, part, &calls);
    assert_non_null(a);
    assert_non_null(b);
    assert_true(b->w < a->w);
    long *pa = profile(a);
    long *pb = profile(b);
    int best = -1;
    long best_diff = -1;
    for (int x = 0; x + b->w <= a->w; x++) {
        long diff = 0;
        for (int i = 0; i < b->w; i++)
            diff += labs(pa[x + i] - pb[i]);
        if (best_diff < 0 || diff < best_diff) {
            best_diff = diff;
            best = x;
        }
    }
    /* A real match, not just the least bad place. */
    long total = 0;
    for (int i = 0; i < b->w; i++)
        total += pb[i];
    if (best_diff * 8 >= total)
        fail_msg("\"%s\" not found in \"%s\": best x=%d diff %ld of %ld", part,
                 whole, best, best_diff, total);
    *whole_w = a->w;
    *part_w = b->w;
    free(pa);
    free(pb);
    SDL_FreeSurface(a);
    SDL_FreeSurface(b);
    return best;
}

static void
assert_at_left(const char *whole, const char *part)
{
    int ww, pw;
    int x = find_part(FONT_CRAWL, whole, part, &ww, &pw);
    if (x > 2)
        fail_msg("\"%s\" drawn at x=%d of %d, not at the left", part, x, ww);
}

static void
assert_at_right(const char *whole, const char *part)
{
    int ww, pw;
    int x = find_part(FONT_CRAWL, whole, part, &ww, &pw);
    if (x + pw < ww - 2)
        fail_msg("\"%s\" drawn at x=%d..%d of %d, not at the right", part, x,
                 x + pw, ww);
}

static void
test_right_to_left(void **state)
{
    (void)state;
    /* The first word read is the rightmost drawn. */
    assert_at_right("انطلاق قمة المناخ في القاهرة بمشاركة 40 دولة", "انطلاق");
    assert_at_left("انطلاق قمة المناخ في القاهرة بمشاركة 40 دولة", "دولة");
    assert_at_right("הכנסת אישרה את תקציב המדינה לשנת 2025", "הכנסת");
    assert_at_left("הכנסת אישרה את תקציב המדינה לשנת 2025", "2025");
    /* Latin embedded in Arabic reads left to right inside it. */
    assert_at_right("قمة G20 في روما 2024", "قمة");
    assert_at_left("قمة G20 في روما 2024", "2024");
    /* The same check on a left-to-right line, so it can tell. */
    assert_at_left("Winter ferry timetable starts on Monday", "Winter");
    assert_at_right("Winter ferry timetable starts on Monday", "Monday");
    for (size_t i = 0; i < ARRAY_LEN(SCRIPTS); i++) {
        char **strs = fixture_strings(SCRIPTS[i].name);
        assert_int_equal(text_runs(tf, FONT_CRAWL, strs[0])->rtl,
                         SCRIPTS[i].rtl);
        strings_free(strs);
    }
}

static void
test_joined_arabic_differs_from_isolated_letters(void **state)
{
    (void)state;
    /* Shaped Arabic joins its letters, which makes a word narrower than
     * its letters drawn apart; unshaped text (no script or direction set)
     * draws isolated forms. */
    uint64_t calls = 0;
    int joined = text_measure(tf, FONT_CRAWL, "بمشاركة", &calls);
    int apart = 0;
    const char *letters[] = {"ب", "م", "ش", "ا", "ر", "ك", "ة"};
    for (size_t i = 0; i < ARRAY_LEN(letters); i++)
        apart += text_measure(tf, FONT_CRAWL, letters[i], &calls);
    assert_true(joined < apart * 9 / 10);
}

static void
test_latin_costs_one_call(void **state)
{
    (void)state;
    uint64_t calls = 0;
    const char *s = "Winter ferry timetable starts on Monday";
    text_measure(tf, FONT_CRAWL, s, &calls);
    assert_int_equal(calls, 1);
    SDL_Surface *surf = text_render(tf, FONT_CRAWL, s, &calls);
    assert_int_equal(calls, 2);
    SDL_FreeSurface(surf);
    /* A mixed line costs one call per run. */
    calls = 0;
    surf = text_render(tf, FONT_CRAWL, "Tokyo 東京 Delhi दिल्ली", &calls);
    assert_non_null(surf);
    assert_int_equal(calls, 4);
    SDL_FreeSurface(surf);
}

static void
test_screenshots(void **state)
{
    (void)state;
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof(cwd)));
    static const char *const env[] = {"TZ=UTC", NULL};
    for (size_t i = 0; i < ARRAY_LEN(SCRIPTS); i++) {
        const Script *sc = &SCRIPTS[i];
        char *url =
            xasprintf("file://%s/tests/fixtures/script-%s.json", cwd, sc->name);
        char *name = xasprintf("script-%s.png", sc->name);
        char *png = it_path(name);
        const char *argv[] = {it_bin(),
                              "-c",
                              "/dev/null",
                              "--headless",
                              "--size",
                              "1280x720",
                              "--feed",
                              url,
                              "--clock",
                              "2026-11-29T10:00:00Z",
                              "--at",
                              "5",
                              "--screenshot",
                              png,
                              NULL};
        RunResult r = it_run(argv, env, 60);
        if (r.status != 0)
            fail_msg("%s: exit %d: %s", sc->name, r.status, r.err);
        if (sc->font && !strstr(r.err, sc->font))
            fail_msg("%s: the binary did not load %s: %s", sc->name, sc->font,
                     r.err);
        Image img;
        assert_true(it_load_png(png, &img));
        /* Light text on the dark card (the headline) and on the bar (the
         * crawl, between the label and the clock). */
        long head =
            it_count_unlike(&img, 0, 140, 1280, 140, 0x0e, 0x11, 0x16, 60);
        long crawl =
            it_count_unlike(&img, 150, 660, 900, 55, 0x1b, 0x22, 0x30, 60);
        if (head < 3000 || crawl < 1000)
            fail_msg("%s: headline %ld px, crawl %ld px of text", sc->name,
                     head, crawl);
        it_image_free(&img);
        it_result_free(&r);
        free(png);
        free(name);
        free(url);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_character_has_a_glyph),
        cmocka_unit_test(test_right_to_left),
        cmocka_unit_test(test_joined_arabic_differs_from_isolated_letters),
        cmocka_unit_test(test_latin_costs_one_call),
        cmocka_unit_test(test_screenshots),
    };
    return cmocka_run_group_tests_name("text", tests, setup, teardown);
}
