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
    layout_compute(&f->lay, 1280, 720, &f->cfg);
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
    SceneTime t = {2500, NOW_S, false};
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
    SceneTime t = {1000, NOW_S, false};
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
    SceneTime t = {1000, NOW_S, false};
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
        SceneTime t = {ms, NOW_S + ms / 1000, false};
        scene_build(f->scene, &t, &f->dl);
    }
    assert_int_equal(measure_calls, 0);
}

/* Every crawl text moves by the distance the timeline gives. */
static void
test_crawl_positions_follow_time(void **state)
{
    Fixture *f = *state;
    scene_set_stories(f->scene, f->list);
    DrawList other;
    draw_list_init(&other);
    SceneTime t0 = {1000, NOW_S, false};
    SceneTime t1 = {2000, NOW_S, false};
    scene_build(f->scene, &t0, &f->dl);
    scene_build(f->scene, &t1, &other);
    int64_t strip = scene_strip_px(f->scene);
    assert_true(strip > 0);
    int matched = 0;
    for (size_t i = 0; i < f->dl.count; i++) {
        const DrawOp *a = &f->dl.ops[i];
        if (a->kind != DRAW_TEXT || a->font != FONT_CRAWL ||
            !strcmp(draw_op_text(&f->dl, a), f->cfg.crawl_separator))
            continue;
        for (size_t j = 0; j < other.count; j++) {
            const DrawOp *b = &other.ops[j];
            if (b->kind == DRAW_TEXT && b->font == FONT_CRAWL &&
                !strcmp(draw_op_text(&f->dl, a), draw_op_text(&other, b))) {
                /* One second at the default 120 px/s, 2 px per refresh at
                 * 60 Hz, modulo the strip length. */
                int64_t moved =
                    ((a->rect.x - b->rect.x) % strip + strip) % strip;
                assert_int_equal(moved, 120);
                matched++;
            }
        }
    }
    assert_true(matched >= 1);
    draw_list_deinit(&other);
}

typedef struct Seen {
    char text[256];
    int x;
} Seen;

static size_t
crawl_titles(const Fixture *f, const DrawList *dl, Seen *out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < dl->count && n < max; i++) {
        const DrawOp *op = &dl->ops[i];
        if (op->kind != DRAW_TEXT || op->font != FONT_CRAWL ||
            !strcmp(draw_op_text(dl, op), f->cfg.crawl_separator))
            continue;
        snprintf(out[n].text, sizeof(out[n].text), "%s", draw_op_text(dl, op));
        out[n].x = op->rect.x;
        n++;
    }
    return n;
}

/* A new list arriving mid-run: every headline on screen keeps moving by
 * exactly one step per refresh until it leaves, and the new stories start
 * right after the old strip's last item. */
static void
test_new_list_joins_without_jumps(void **state)
{
    Fixture *f = *state;
    scene_set_stories(f->scene, f->list);
    StoryList *b = story_list_new();
    add_story(b, "Fresh one", "Wire C", NULL, NOW_S - 60);
    add_story(b, "Fresh two", "Wire C", NULL, NOW_S - 120);
    int step = scene_crawl_step_px(f->scene);
    assert_int_equal(step, 2);
    Seen prev[64], cur[64];
    size_t np = 0;
    bool fresh_seen = false;
    const Rect *cr = &f->lay.crawl;
    for (int64_t frame = 0; frame < 60 * 120; frame++) {
        int64_t ms = frame * 1000 / 60;
        if (frame == 300) {
            scene_set_stories(f->scene, b); /* arrives at 5 s */
            story_list_free(b);
            b = NULL;
        }
        SceneTime t = {ms, NOW_S, false};
        scene_build(f->scene, &t, &f->dl);
        size_t nc = crawl_titles(f, &f->dl, cur, 64);
        for (size_t i = 0; i < np; i++) {
            if (prev[i].x - step + 100 <= cr->x)
                continue; /* leaving on the left */
            bool found = false;
            for (size_t j = 0; j < nc && !found; j++)
                found = !strcmp(cur[j].text, prev[i].text) &&
                        cur[j].x == prev[i].x - step;
            if (!found)
                fail_msg("frame %lld: \"%s\" at %d did not move to %d",
                         (long long)frame, prev[i].text, prev[i].x,
                         prev[i].x - step);
        }
        for (size_t j = 0; j < nc; j++) {
            if (!strncmp(cur[j].text, "Fresh", 5))
                fresh_seen = true;
        }
        memcpy(prev, cur, nc * sizeof(Seen));
        np = nc;
    }
    /* The old strip is long (about 2 km of text at 10 px a byte), so the
     * new stories must show within two minutes but not before the old
     * run ended. */
    assert_true(fresh_seen);
}

/* Cards: the card showing when a new list arrives stays until its dwell
 * ends, and the rotation continues after it. */
static void
test_new_list_waits_for_card_end(void **state)
{
    Fixture *f = *state;
    scene_set_stories(f->scene, f->list);
    SceneTime t = {1000, NOW_S, false};
    scene_build(f->scene, &t, &f->dl);
    int64_t dwell0 = scene_card_dwell_ms(f->scene, 0);
    StoryList *b = story_list_new();
    add_story(b, "Short headline", "Wire A", "A summary.", NOW_S - 3600);
    add_story(b, "Another story", "Wire D", "Its summary.", NOW_S - 60);
    scene_set_stories(f->scene, b);
    story_list_free(b);
    t.anim_ms = dwell0 - 10;
    scene_build(f->scene, &t, &f->dl);
    char *frame = print_frame(&f->dl);
    assert_non_null(strstr(frame, "text headline 88,139 #f5f7faff \"Short"));
    assert_non_null(strstr(frame, "\"1 / 3\""));
    free(frame);
    /* After the dwell (and the fade), the story after "Short headline" in
     * the new list shows. */
    t.anim_ms = dwell0 + 2000;
    scene_build(f->scene, &t, &f->dl);
    frame = print_frame(&f->dl);
    assert_non_null(strstr(frame, "\"Another story\""));
    assert_non_null(strstr(frame, "\"2 / 2\""));
    free(frame);
}

/* Right-to-left headlines crawl the other way, and their cards align to
 * the right margin. */
static void
test_rtl_runs_left_to_right(void **state)
{
    Fixture *f = *state;
    StoryList *ar = story_list_new();
    add_story(ar, "\xd8\xae\xd8\xa8\xd8\xb1 \xd8\xa3\xd9\x88\xd9\x84", "Wire",
              "\xd9\x85\xd9\x84\xd8\xae\xd8\xb5", NOW_S - 60);
    add_story(ar, "\xd8\xae\xd8\xa8\xd8\xb1 \xd8\xab\xd8\xa7\xd9\x86", "Wire",
              NULL, NOW_S - 120);
    scene_set_stories(f->scene, ar);
    story_list_free(ar);
    DrawList other;
    draw_list_init(&other);
    SceneTime t0 = {1000, NOW_S, false}, t1 = {1500, NOW_S, false};
    scene_build(f->scene, &t0, &f->dl);
    scene_build(f->scene, &t1, &other);
    Seen a[64], b[64];
    size_t na = crawl_titles(f, &f->dl, a, 64);
    size_t nb = crawl_titles(f, &other, b, 64);
    int matched = 0;
    for (size_t i = 0; i < na; i++) {
        for (size_t j = 0; j < nb; j++) {
            if (!strcmp(a[i].text, b[j].text)) {
                /* 0.5 s at 120 px/s, rightwards (the strip repeats, so
                 * compare modulo its length). */
                int64_t strip = scene_strip_px(f->scene);
                int64_t moved = ((b[j].x - a[i].x) % strip + strip) % strip;
                assert_int_equal(moved, 60);
                matched++;
            }
        }
    }
    assert_true(matched >= 1);
    /* The card's headline ends at the right margin. */
    char *frame = print_frame(&f->dl);
    int right = f->lay.w - f->lay.margin_x;
    int width = (int)strlen("\xd8\xae\xd8\xa8\xd8\xb1 \xd8\xa3\xd9\x88"
                            "\xd9\x84") *
                10;
    char *want = xasprintf("text headline %d,", right - width);
    if (!strstr(frame, want))
        fail_msg("no right-aligned headline (%s) in:\n%s", want, frame);
    free(want);
    free(frame);
    draw_list_deinit(&other);
}

/* A story that becomes breaking is shown next, out of turn, with its
 * label, and the bar swaps colour until it expires. */
static void
test_breaking_interrupts_rotation(void **state)
{
    Fixture *f = *state;
    scene_set_stories(f->scene, f->list);
    SceneTime t = {1000, NOW_S, false};
    scene_build(f->scene, &t, &f->dl);
    StoryList *b = story_list_clone(f->list);
    Story s = {0};
    s.id = xstrdup("flash");
    s.title = xstrdup("Flash headline");
    s.source = xstrdup("Wire Z");
    s.feed = xstrdup("test");
    s.published_s = NOW_S - 60;
    s.priority = 1;
    s.expires_s = NOW_S + 600;
    story_list_push(b, &s);
    scene_set_stories(f->scene, b);
    story_list_free(b);
    t.anim_ms = 1016; /* the next frame sees the new list */
    scene_build(f->scene, &t, &f->dl);
    t.anim_ms = scene_card_dwell_ms(f->scene, 0) + 1000;
    scene_build(f->scene, &t, &f->dl);
    char *frame = print_frame(&f->dl);
    if (!strstr(frame, "text headline 88,139 #f5f7faff \"Flash headline\""))
        fail_msg("no breaking card:\n%s", frame);
    assert_non_null(strstr(frame, "\"BREAKING\""));
    /* The bar is in the accent colour. */
    char *bar =
        xasprintf("fill 0,%d 1280x%d #e0393eff", f->lay.bar.y, f->lay.bar.h);
    assert_non_null(strstr(frame, bar));
    free(frame);
    /* After the expiry the bar is back to normal. */
    t.wall_s = NOW_S + 601;
    scene_build(f->scene, &t, &f->dl);
    frame = print_frame(&f->dl);
    assert_null(strstr(frame, bar));
    assert_null(strstr(frame, "\"BREAKING\""));
    free(frame);
    free(bar);
}

static void
test_wrap_limits_and_ellipsis(void **state)
{
    Fixture *f = *state;
    char *lines[8];
    bool cut = false;
    int n = scene_wrap(&f->m, FONT_HEADLINE,
                       "one two three four five six seven eight nine ten", 100,
                       3, lines, &cut);
    assert_true(cut);
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
                   lines, NULL);
    assert_int_equal(n, 3);
    assert_string_equal(lines[0], "abcdefghij");
    for (int i = 0; i < n; i++)
        free(lines[i]);
    /* Multi-byte characters are never split. */
    n = scene_wrap(&f->m, FONT_HEADLINE,
                   "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                   "\xc3\xa9\xc3\xa9\xc3\xa9",
                   50, 2, lines, &cut);
    assert_true(n >= 1);
    assert_int_equal(strlen(lines[0]) % 2, 0);
    for (int i = 0; i < n; i++)
        free(lines[i]);
}

/* ---- pictures ---- */

static void
add_pictured(StoryList *l, const char *title, const char *image)
{
    Story s = {0};
    s.id = xstrdup(title);
    s.title = xstrdup(title);
    s.source = xstrdup("Wire P");
    s.image = image ? xstrdup(image) : NULL;
    s.feed = xstrdup("test");
    s.published_s = NOW_S - 600;
    story_list_push(l, &s);
}

#define PIC_URL "https://img.test/a.png"
#define PIC_TITLE                                                              \
    "Ferry service to the islands resumes after the autumn storms, with "      \
    "the first boat at seven and a full deck of cars"

/* Widest headline line of the frame (fake measurer: 10 px a byte) and
 * the frame's image ops. */
static int
widest_headline(const DrawList *dl, size_t *images, Rect *image)
{
    int widest = 0;
    *images = 0;
    for (size_t i = 0; i < dl->count; i++) {
        const DrawOp *op = &dl->ops[i];
        if (op->kind == DRAW_TEXT && op->font == FONT_HEADLINE)
            widest = MAX(widest, (int)strlen(draw_op_text(dl, op)) * 10);
        if (op->kind == DRAW_IMAGE) {
            assert_string_equal(draw_op_text(dl, op), PIC_URL);
            *image = op->rect;
            (*images)++;
        }
    }
    return widest;
}

static void
test_card_with_picture(void **state)
{
    Fixture *f = *state;
    StoryList *l = story_list_new();
    add_pictured(l, PIC_TITLE, PIC_URL);
    add_pictured(l, "Harbour market opens its winter hall", NULL);
    int full = f->lay.card.w - 2 * (f->lay.margin_x - f->lay.card.x);
    int box_w = full / 3, text_w = full - box_w - 40;
    SceneTime t = {1000, NOW_S, false};
    size_t images;
    Rect img = {0};

    /* Without its picture: full-width text, no image, no hole. */
    scene_set_stories(f->scene, l);
    scene_build(f->scene, &t, &f->dl);
    int plain = widest_headline(&f->dl, &images, &img);
    assert_int_equal(images, 0);
    assert_true(plain > text_w);

    /* With it: an image box on the right, the text narrower. */
    Scene *sc = scene_new(&f->cfg);
    scene_set_layout(sc, &f->lay, &f->m);
    scene_set_picture(sc, PIC_URL, 320, 180);
    scene_set_stories(sc, l);
    scene_build(sc, &t, &f->dl);
    int narrow = widest_headline(&f->dl, &images, &img);
    assert_int_equal(images, 1);
    assert_true(narrow <= text_w);
    assert_true(narrow < plain);
    assert_int_equal(img.x, f->lay.margin_x + full - box_w);
    assert_int_equal(img.y, f->lay.margin_top);
    assert_int_equal(img.w, box_w);
    assert_int_equal(img.h, box_w * 180 / 320);
    char *frame = print_frame(&f->dl);
    char *want = xasprintf("image %d,%d %dx%d #ff \"%s\"", img.x, img.y, img.w,
                           img.h, PIC_URL);
    assert_non_null(strstr(frame, want));
    free(want);
    free(frame);
    assert_true(scene_uses_picture(sc, PIC_URL));
    assert_false(scene_uses_picture(sc, "https://img.test/other.png"));
    scene_free(sc);
    story_list_free(l);
}

/* A picture that arrives while its card is on screen waits for the
 * card's next turn; the card does not change under the viewer. */
static void
test_picture_never_changes_a_shown_card(void **state)
{
    Fixture *f = *state;
    StoryList *l = story_list_new();
    add_pictured(l, PIC_TITLE, PIC_URL);
    add_pictured(l, "Harbour market opens its winter hall", NULL);
    scene_set_stories(f->scene, l);
    story_list_free(l);
    SceneTime t = {1000, NOW_S, false};
    scene_build(f->scene, &t, &f->dl);
    size_t images;
    Rect img;
    int before = widest_headline(&f->dl, &images, &img);
    assert_int_equal(images, 0);

    scene_set_picture(f->scene, PIC_URL, 320, 180);
    t.anim_ms = 2000;
    scene_build(f->scene, &t, &f->dl);
    assert_int_equal(widest_headline(&f->dl, &images, &img), before);
    assert_int_equal(images, 0);

    /* While the other card shows it takes its picture, for its next
     * turn. */
    t.anim_ms = scene_card_dwell_ms(f->scene, 0) + 2000;
    scene_build(f->scene, &t, &f->dl);
    widest_headline(&f->dl, &images, &img);
    assert_int_equal(images, 0);
    int64_t round =
        scene_card_dwell_ms(f->scene, 0) + scene_card_dwell_ms(f->scene, 1);
    t.anim_ms = round + 2000;
    scene_build(f->scene, &t, &f->dl);
    char *frame = print_frame(&f->dl);
    if (!strstr(frame, "\"1 / 2\""))
        fail_msg("not the first card again:\n%s", frame);
    free(frame);
    assert_true(widest_headline(&f->dl, &images, &img) < before);
    assert_int_equal(images, 1);

    /* Forgotten, a new list lays it out without a picture again. */
    scene_forget_picture(f->scene, PIC_URL);
    StoryList *b = story_list_new();
    add_pictured(b, PIC_TITLE, PIC_URL);
    Scene *sc = scene_new(&f->cfg);
    scene_set_layout(sc, &f->lay, &f->m);
    scene_set_stories(sc, b);
    scene_build(sc, &t, &f->dl);
    widest_headline(&f->dl, &images, &img);
    assert_int_equal(images, 0);
    scene_free(sc);
    story_list_free(b);
}

/* A right-to-left card puts its picture on the left. */
static void
test_rtl_card_picture_on_the_left(void **state)
{
    Fixture *f = *state;
    StoryList *l = story_list_new();
    add_pictured(l, "\xd8\xae\xd8\xa8\xd8\xb1 \xd8\xa3\xd9\x88\xd9\x84",
                 PIC_URL);
    scene_set_picture(f->scene, PIC_URL, 180, 320);
    scene_set_stories(f->scene, l);
    story_list_free(l);
    SceneTime t = {1000, NOW_S, false};
    scene_build(f->scene, &t, &f->dl);
    size_t images;
    Rect img = {0};
    widest_headline(&f->dl, &images, &img);
    assert_int_equal(images, 1);
    assert_int_equal(img.x, f->lay.margin_x);
    assert_int_equal(img.y, f->lay.margin_top);
    assert_true(img.h > img.w); /* portrait kept, fitted to the box */
}

static void
test_layouts_fit_the_frame(void **state)
{
    (void)state;
    Config cfg;
    config_defaults(&cfg);
    const int sizes[][2] = {
        {1280, 720}, {1920, 1080}, {3840, 2160}, {1080, 1920}, {640, 360}};
    for (size_t i = 0; i < ARRAY_LEN(sizes); i++) {
        Layout l;
        layout_compute(&l, sizes[i][0], sizes[i][1], &cfg);
        assert_int_equal(l.bar.y + l.bar.h, sizes[i][1]);
        assert_true(l.card.h > l.bar.h * 4);
        assert_true(l.clock.x + l.clock.w == sizes[i][0]);
        assert_true(l.font_px[FONT_HEADLINE] > l.font_px[FONT_SUMMARY]);
    }
    Layout a, b;
    layout_compute(&a, 1280, 720, &cfg);
    layout_compute(&b, 3840, 2160, &cfg);
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
        cmocka_unit_test_setup_teardown(test_new_list_joins_without_jumps,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_new_list_waits_for_card_end, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_rtl_runs_left_to_right, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_breaking_interrupts_rotation,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrap_limits_and_ellipsis, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_card_with_picture, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_picture_never_changes_a_shown_card,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_rtl_card_picture_on_the_left,
                                        setup, teardown),
        cmocka_unit_test(test_layouts_fit_the_frame),
    };
    return cmocka_run_group_tests_name("scene", tests, NULL, NULL);
}
