/*
 * test_damage: change rectangles between frames, and the refresh meter.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "damage.h"
#include "pacing.h"
#include "util.h"

static const Rect SCREEN = {0, 0, 1280, 720};
static const Color WHITE = {255, 255, 255, 255};
static const Color GREY = {40, 40, 40, 255};

/* Every string is 10 px per byte wide and 20 px high; "?" is unknown. */
static bool
fake_size(void *ud, const DrawOp *op, const char *text, int *w, int *h)
{
    (void)ud;
    (void)op;
    if (!strcmp(text, "?"))
        return false;
    *w = (int)strlen(text) * 10;
    *h = 20;
    return true;
}

static void
frame(DrawList *dl, int crawl_x, const char *clock)
{
    Rect bar = {0, 650, 1280, 70};
    draw_list_clear(dl);
    draw_fill(dl, (Rect){0, 0, 1280, 650}, GREY);
    draw_text(dl, FONT_HEADLINE, 80, 100, WHITE, "Headline", NULL);
    draw_fill(dl, bar, GREY);
    draw_text(dl, FONT_CRAWL, crawl_x, 670, WHITE, "crawl text", &bar);
    draw_text(dl, FONT_CLOCK, 1200, 670, WHITE, clock, NULL);
}

static void
test_first_frame_is_whole(void **state)
{
    (void)state;
    DamageTracker t;
    damage_init(&t);
    DrawList dl;
    draw_list_init(&dl);
    frame(&dl, 500, "10:00");
    Rect out[DAMAGE_MAX_RECTS];
    assert_int_equal(damage_update(&t, &dl, fake_size, NULL, SCREEN, out), 1);
    assert_memory_equal(&out[0], &SCREEN, sizeof(Rect));
    /* The same frame again: nothing to draw. */
    assert_int_equal(damage_update(&t, &dl, fake_size, NULL, SCREEN, out), 0);
    /* After a reset everything is drawn again. */
    damage_reset(&t);
    assert_int_equal(damage_update(&t, &dl, fake_size, NULL, SCREEN, out), 1);
    draw_list_deinit(&dl);
    damage_deinit(&t);
}

static void
test_moving_crawl_damages_only_its_span(void **state)
{
    (void)state;
    DamageTracker t;
    damage_init(&t);
    DrawList dl;
    draw_list_init(&dl);
    Rect out[DAMAGE_MAX_RECTS];
    frame(&dl, 500, "10:00");
    damage_update(&t, &dl, fake_size, NULL, SCREEN, out);
    frame(&dl, 498, "10:00");
    int n = damage_update(&t, &dl, fake_size, NULL, SCREEN, out);
    assert_int_equal(n, 1);
    /* Old and new position of the 100 px wide text: x 498..600. */
    assert_int_equal(out[0].x, 498);
    assert_int_equal(out[0].w, 102);
    assert_int_equal(out[0].y, 670);
    assert_int_equal(out[0].h, 20);
    /* The crawl and the clock change: two separate rectangles. */
    frame(&dl, 496, "10:01");
    n = damage_update(&t, &dl, fake_size, NULL, SCREEN, out);
    assert_int_equal(n, 2);
    draw_list_deinit(&dl);
    damage_deinit(&t);
}

static void
test_unknown_size_or_new_ops_redraw_all(void **state)
{
    (void)state;
    DamageTracker t;
    damage_init(&t);
    DrawList dl;
    draw_list_init(&dl);
    Rect out[DAMAGE_MAX_RECTS];
    frame(&dl, 500, "10:00");
    damage_update(&t, &dl, fake_size, NULL, SCREEN, out);
    frame(&dl, 500, "?");
    assert_int_equal(damage_update(&t, &dl, fake_size, NULL, SCREEN, out), 1);
    assert_memory_equal(&out[0], &SCREEN, sizeof(Rect));
    draw_text(&dl, FONT_META, 5, 5, WHITE, "extra", NULL);
    assert_int_equal(damage_update(&t, &dl, fake_size, NULL, SCREEN, out), 1);
    assert_memory_equal(&out[0], &SCREEN, sizeof(Rect));
    draw_list_deinit(&dl);
    damage_deinit(&t);
}

static void
test_rects(void **state)
{
    (void)state;
    Rect a = {0, 0, 10, 10}, b = {5, 5, 10, 10}, c = {20, 20, 5, 5};
    assert_true(rect_intersects(a, b));
    assert_false(rect_intersects(a, c));
    Rect i = rect_intersection(a, b);
    assert_int_equal(i.x, 5);
    assert_int_equal(i.w, 5);
    Rect u = rect_union(a, c);
    assert_int_equal(u.w, 25);
    assert_int_equal(rect_intersection(a, c).w, 0);
}

static void
test_refresh_meter(void **state)
{
    (void)state;
    RefreshMeter m;
    refresh_meter_init(&m);
    int64_t t = 1000000000;
    int got = 0;
    unsigned seed = 7;
    /* 59.94 Hz presents with jitter and a few dropped frames. */
    for (int i = 0; i < 400 && !got; i++) {
        seed = seed * 1103515245u + 12345u;
        int64_t period = 1000000000000LL / 59940;
        t += period + (int64_t)(seed >> 16 & 0xff) * 1000 - 128000;
        if (i % 50 == 25)
            t += period; /* a dropped frame */
        got = refresh_meter_add(&m, t);
    }
    assert_true(got > 59800 && got < 60080);
    /* Irregular intervals (no vsync): no figure. */
    refresh_meter_init(&m);
    t = 1;
    got = 0;
    for (int i = 0; i < 400 && !got; i++) {
        seed = seed * 1103515245u + 12345u;
        t += 1000000 + (int64_t)(seed >> 8 & 0xffffff);
        got = refresh_meter_add(&m, t);
    }
    assert_int_equal(got, 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_frame_is_whole),
        cmocka_unit_test(test_moving_crawl_damages_only_its_span),
        cmocka_unit_test(test_unknown_size_or_new_ops_redraw_all),
        cmocka_unit_test(test_rects),
        cmocka_unit_test(test_refresh_meter),
    };
    return cmocka_run_group_tests_name("damage", tests, NULL, NULL);
}
