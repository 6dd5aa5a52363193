/*
 * test_scene: layout and frame building without pixels. A fake measurer
 * (10 px per byte, line height = font size) stands in for SDL_ttf, and
 * whole frames are compared as text with the files in tests/expected. Run with
 * UPDATE_GOLDEN=1 to rewrite the expected files after a deliberate change.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "scene.h"
#include "timeline.h"
#include "util.h"

static int measure_calls;

static int
fake_width(void *ud, FontRole font, const char *text)
{
    (void)ud;
    (void)font;
    measure_calls++;
    return (int)strlen(text) * 10;
}

static TextMeasurer
fake_measurer(const Layout *lay)
{
    TextMeasurer m = {fake_width, NULL, {0}};
    for (int i = 0; i < FONT_COUNT; i++)
        m.line_height[i] = lay->font_px[i];
    return m;
}

static void
add_story(StoryList *l, const char *title, const char *source,
          const char *summary, int64_t published_s)
{
    Story s = {0};
    s.id = xstrdup(title);
    s.title = xstrdup(title);
    s.source = xstrdup(source);
    s.summary = xstrdup(summary);
    s.feed = xstrdup("test");
    s.published_s = published_s;
    s.read_min = 2;
    story_list_push(l, &s);
}

typedef struct Fixture {
    Config cfg;
    Layout lay;
    TextMeasurer m;
    Scene *scene;
    StoryList *list;
    DrawList dl;
} Fixture;

static const int64_t NOW_S = 1764410400; /* 2025-11-29T10:00:00Z */

static int
setup(void **state)
{
    setenv("TZ", "UTC", 1);
    Fixture *f = xcalloc(1, sizeof(Fixture));
    config_defaults(&f->cfg);
    layout_compute(&f->lay, 1280, 720);
    f->m = fake_measurer(&f->lay);
    f->scene = scene_new(&f->cfg);
    scene_set_layout(f->scene, &f->lay, &f->m);
    f->list = story_list_new();
    add_story(f->list, "Short headline", "Wire A", "A summary.", NOW_S - 3600);
    add_story(f->list,
              "A much longer headline that has to wrap over more than one "
              "line because the card is only so wide and this goes on and "
              "on and on and on and on and still on",
              "Wire B", NULL, STORY_NO_TIME);
    add_story(f->list, "Third", "Wire A", "Third summary.", NOW_S - 86400 * 30);
    draw_list_init(&f->dl);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    Fixture *f = *state;
    scene_free(f->scene);
    story_list_free(f->list);
    draw_list_deinit(&f->dl);
    free(f);
    return 0;
}

static char *
print_frame(const DrawList *dl)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    draw_list_print(dl, mem);
    fclose(mem);
    return text;
}

static void
check_golden(const DrawList *dl, const char *name)
{
    char *got = print_frame(dl);
    char *path = xasprintf("tests/expected/%s.txt", name);
    const char *update = getenv("UPDATE_GOLDEN");
    if (update && *update == '1') {
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(got, f);
        fclose(f);
    }
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("missing %s (run with UPDATE_GOLDEN=1 to create it)", path);
    Buf want;
    buf_init(&want);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        buf_append(&want, chunk, n);
    fclose(f);
    if (strcmp(want.data ? want.data : "", got))
        fail_msg("frame differs from %s; got:\n%s", path, got);
    buf_deinit(&want);
    free(path);
    free(got);
}

static void
test_golden_frames(void **state)
{
    Fixture *f = *state;
    scene_set_stories(f->scene, f->list);
    SceneTime t = {2500, NOW_S, 0, false};
    scene_build(f->scene, &t, &f->dl);
    check_golden(&f->dl, "scene-card1");
    /* Mid-fade into the second card (fade 600 ms after 8000 ms). */
    t.anim_ms = 8300;
    scene_build(f->scene, &t, &f->dl);
    check_golden(&f->dl, "scene-fade");
}

static void
test_waiting_card_without_stories(void **state)
{
    Fixture *f = *state;
    FetchStatus st = {0};
    st.feed_count = 1;
    st.fetched_once = true;
    snprintf(st.feeds[0].name, sizeof(st.feeds[0].name), "wire");
    snprintf(st.feeds[0].error, sizeof(st.feeds[0].error),
             "wire: the server answered HTTP 503");
    scene_set_status(f->scene, &st);
    SceneTime t = {1000, NOW_S, 0, false};
    scene_build(f->scene, &t, &f->dl);
    char *frame = print_frame(&f->dl);
    assert_non_null(strstr(frame, "\"Waiting for news\""));
    assert_non_null(strstr(frame, "HTTP 503"));
    /* The status mark uses the warning colour #f2b33d. */
    assert_non_null(strstr(frame, "text status"));
    assert_non_null(strstr(frame, "#f2b33dff"));
    free(frame);
}

/* Freshness on screen: "updated", "offline since" after two missed
 * intervals, and a card instead of stories that all aged out. */
static void
test_freshness_marks_and_card(void **state)
{
    Fixture *f = *state;
    FetchStatus st = {0};
    st.feed_count = 1;
    st.fetched_once = true;
    snprintf(st.feeds[0].name, sizeof(st.feeds[0].name), "wire");
    st.feeds[0].last_ok_s = st.last_ok_s = NOW_S - 600;
    st.feeds[0].story_count = st.stories_held = st.stories_shown = 2;
    st.max_age_h = 24;
    scene_set_stories(f->scene, f->list);
    scene_set_status(f->scene, &st);
    SceneTime t = {1000, NOW_S, 0, false};
    scene_build(f->scene, &t, &f->dl);
    char *frame = print_frame(&f->dl);
    assert_non_null(strstr(frame, "\"updated 09:50\""));
    assert_null(strstr(frame, "#f2b33dff"));
    free(frame);

    /* Offline for long enough, and nothing current left. */
    snprintf(st.feeds[0].error, sizeof(st.feeds[0].error),
             "wire: Couldn't connect to server");
    st.feeds[0].offline = true;
    st.stories_shown = 0;
    StoryList *none = story_list_new();
    scene_set_stories(f->scene, none);
    scene_set_status(f->scene, &st);
    scene_build(f->scene, &t, &f->dl);
    frame = print_frame(&f->dl);
    /* The fake measurer (10 px a byte) cuts the mark short; the real
     * font fits "offline since 09:50" in the clock box. */
    assert_non_null(strstr(frame, "\"\xe2\x9a\xa0 offline"));
    assert_non_null(strstr(frame, "#f2b33dff"));
    assert_non_null(strstr(frame, "\"No current news\""));
    assert_null(strstr(frame, "Waiting for news"));
    free(frame);
    scene_set_stories(f->scene, NULL);
    story_list_free(none);
}

static void
test_build_measures_nothing(void **state)
{
    Fixture *f = *state;
    scene_set_stories(f->scene, f->list);
    measure_calls = 0;
    for (int64_t ms = 0; ms < 60000; ms += 16) {
        SceneTime t = {ms, NOW_S + ms / 1000, 0, false};
        scene_build(f->scene, &t, &f->dl);
    }
    assert_int_equal(measure_calls, 0);
}

/* Every crawl text op sits at the position the timeline gives. */
static void
test_crawl_positions_follow_time(void **state)
{
    Fixture *f = *state;
    scene_set_stories(f->scene, f->list);
    int64_t strip = scene_strip_px(f->scene);
    assert_true(strip > 0);
    int first_x[2];
    for (int k = 0; k < 2; k++) {
        SceneTime t = {1000 + k * 1000, NOW_S, 0, false};
        scene_build(f->scene, &t, &f->dl);
        first_x[k] = INT32_MIN;
        for (size_t i = 0; i < f->dl.count; i++) {
            const DrawOp *op = &f->dl.ops[i];
            if (op->kind == DRAW_TEXT && op->font == FONT_CRAWL &&
                !strcmp(draw_op_text(&f->dl, op), "Short headline")) {
                first_x[k] = op->rect.x;
                break;
            }
        }
        assert_int_not_equal(first_x[k], INT32_MIN);
    }
    /* One second at the default 120 px/s, modulo the strip length. */
    int64_t moved = ((first_x[0] - first_x[1]) % strip + strip) % strip;
    assert_int_equal(moved, f->cfg.crawl_speed_px_s);
}

static void
test_wrap_limits_and_ellipsis(void **state)
{
    Fixture *f = *state;
    char *lines[8];
    int n = scene_wrap(&f->m, FONT_HEADLINE,
                       "one two three four five six seven eight nine ten", 100,
                       3, lines);
    assert_int_equal(n, 3);
    for (int i = 0; i < n; i++) {
        assert_true(fake_width(NULL, FONT_HEADLINE, lines[i]) <= 100);
    }
    assert_string_equal(lines[0], "one two");
    /* The last line ends in an ellipsis because text was cut. */
    const char *last = lines[2];
    assert_memory_equal(last + strlen(last) - 3, "\xe2\x80\xa6", 3);
    for (int i = 0; i < n; i++)
        free(lines[i]);
    /* A single word wider than the line is broken, not dropped. */
    n = scene_wrap(&f->m, FONT_HEADLINE, "abcdefghijklmnopqrstuvwxyz", 100, 3,
                   lines);
    assert_int_equal(n, 3);
    assert_string_equal(lines[0], "abcdefghij");
    for (int i = 0; i < n; i++)
        free(lines[i]);
    /* Multi-byte characters are never split. */
    n = scene_wrap(&f->m, FONT_HEADLINE,
                   "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                   "\xc3\xa9\xc3\xa9\xc3\xa9",
                   50, 2, lines);
    assert_true(n >= 1);
    assert_int_equal(strlen(lines[0]) % 2, 0);
    for (int i = 0; i < n; i++)
        free(lines[i]);
}

static void
test_layouts_fit_the_frame(void **state)
{
    (void)state;
    const int sizes[][2] = {
        {1280, 720}, {1920, 1080}, {3840, 2160}, {1080, 1920}, {640, 360}};
    for (size_t i = 0; i < ARRAY_LEN(sizes); i++) {
        Layout l;
        layout_compute(&l, sizes[i][0], sizes[i][1]);
        assert_int_equal(l.bar.y + l.bar.h, sizes[i][1]);
        assert_true(l.card.h > l.bar.h * 4);
        assert_true(l.clock.x + l.clock.w == sizes[i][0]);
        assert_true(l.font_px[FONT_HEADLINE] > l.font_px[FONT_SUMMARY]);
    }
    Layout a, b;
    layout_compute(&a, 1280, 720);
    layout_compute(&b, 3840, 2160);
    assert_int_equal(b.font_px[FONT_HEADLINE], a.font_px[FONT_HEADLINE] * 3);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_golden_frames, setup, teardown),
        cmocka_unit_test_setup_teardown(test_waiting_card_without_stories,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_freshness_marks_and_card, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_build_measures_nothing, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_crawl_positions_follow_time, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_wrap_limits_and_ellipsis, setup,
                                        teardown),
        cmocka_unit_test(test_layouts_fit_the_frame),
    };
    return cmocka_run_group_tests_name("scene", tests, NULL, NULL);
}
