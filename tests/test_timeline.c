/*
 * test_timeline: crawl pacing and card rotation as functions of time,
 * checked against arithmetic written independently here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "timeline.h"
#include "util.h"

__extension__ typedef __int128 Int128;

#define DAY_MS INT64_C(86400000)

static void
test_step_is_whole_pixels_per_refresh(void **state)
{
    (void)state;
    assert_int_equal(timeline_crawl_step(120, 60000), 2);
    assert_int_equal(timeline_crawl_step(120, 59940), 2);
    assert_int_equal(timeline_crawl_step(150, 50000), 3);
    assert_int_equal(timeline_crawl_step(120, 75000), 2);
    assert_int_equal(timeline_crawl_step(180, 60000), 3);
    assert_int_equal(timeline_crawl_step(10, 60000), 1); /* never 0 */
    assert_int_equal(timeline_crawl_step(0, 60000), 0);
    assert_int_equal(timeline_crawl_step(120, 0), 0);
}

/* Frames presented at the ideal times plus a jitter under half a refresh
 * always move the crawl by exactly one step (P9: constant integer
 * displacement at 50, 59.94, 60 and 75 Hz). */
static void
test_constant_displacement_with_jitter(void **state)
{
    (void)state;
    const int rates[] = {50000, 59940, 60000, 75000};
    unsigned seed = 12345;
    for (size_t r = 0; r < ARRAY_LEN(rates); r++) {
        int mhz = rates[r];
        int step = timeline_crawl_step(120, mhz);
        double period_ms = 1e6 / mhz;
        int64_t prev = timeline_crawl_px(0, step, mhz);
        for (int64_t k = 1; k < 200000; k++) {
            seed = seed * 1103515245u + 12345u;
            double jitter = ((double)(seed >> 16 & 0x7fff) / 32768.0 - 0.5) *
                            period_ms * 0.8;
            int64_t t = (int64_t)(k * period_ms + jitter + 0.5);
            int64_t d = timeline_crawl_px(t, step, mhz);
            if (d - prev != step)
                fail_msg("%d mHz frame %lld: moved %lld, want %d", mhz,
                         (long long)k, (long long)(d - prev), step);
            prev = d;
        }
    }
}

static void
test_exact_after_30_days(void **state)
{
    (void)state;
    const int rates[] = {50000, 59940, 60000, 75000};
    for (size_t r = 0; r < ARRAY_LEN(rates); r++) {
        for (int64_t t = 30 * DAY_MS - 5000; t < 30 * DAY_MS + 5000; t += 7) {
            Int128 num = (Int128)t * rates[r] + 500000;
            Int128 frames = num / 1000000;
            int64_t want = (int64_t)frames * 2;
            assert_int_equal(timeline_crawl_px(t, 2, rates[r]), want);
        }
    }
    /* Past 2^32 ms (where a 32-bit tick counter would wrap). */
    int64_t t = (INT64_C(1) << 32) + 17;
    assert_int_equal(timeline_crawl_px(t, 2, 60000),
                     ((t * 60000 + 500000) / 1000000) * 2);
}

static void
test_reach_is_the_first_time(void **state)
{
    (void)state;
    const int rates[] = {50000, 59940, 60000, 75000};
    for (size_t r = 0; r < ARRAY_LEN(rates); r++) {
        for (int64_t px = 1; px < 20000; px += 37) {
            int64_t t = timeline_crawl_reach(px, 3, rates[r]);
            assert_true(timeline_crawl_px(t, 3, rates[r]) >= px);
            assert_true(t == 0 || timeline_crawl_px(t - 1, 3, rates[r]) < px);
        }
    }
    assert_int_equal(timeline_crawl_reach(0, 2, 60000), 0);
    assert_int_equal(timeline_crawl_reach(-5, 2, 60000), 0);
    assert_true(timeline_crawl_reach(10, 0, 60000) == INT64_MAX);
}

static void
test_negative_time_is_floor(void **state)
{
    (void)state;
    assert_int_equal(timeline_floor_div(-1, 1000), -1);
    assert_int_equal(timeline_floor_mod(-1, 1000), 999);
    assert_int_equal(timeline_refreshes(-100, 60000), -6);
}

static const int64_t DWELL[] = {8000, 4000, 12000};

static void
test_cards_follow_variable_dwell(void **state)
{
    (void)state;
    struct {
        int64_t t;
        size_t current;
        int64_t ends_in;
    } cases[] = {
        {0, 0, 8000},      {7999, 0, 1},
        {8000, 1, 4000},   {11999, 1, 1},
        {12000, 2, 12000}, {23999, 2, 1},
        {24000, 0, 8000},  {24000 * 1000 + 8500, 1, 3500},
        {-1, 2, 1},        {-12001, 1, 1},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        CardFrame f = timeline_cards(cases[i].t, DWELL, 3, 600);
        if (f.current != cases[i].current || f.ends_in_ms != cases[i].ends_in)
            fail_msg("t=%lld: card %zu ends in %lld, want %zu / %lld",
                     (long long)cases[i].t, f.current, (long long)f.ends_in_ms,
                     cases[i].current, (long long)cases[i].ends_in);
        assert_int_equal(f.previous, (f.current + 2) % 3);
    }
}

static void
test_card_fade_and_progress(void **state)
{
    (void)state;
    CardFrame f = timeline_cards(8000, DWELL, 3, 600);
    assert_int_equal(f.alpha, 0);
    f = timeline_cards(8300, DWELL, 3, 600);
    assert_int_equal(f.alpha, 127);
    f = timeline_cards(8599, DWELL, 3, 600);
    assert_true(f.alpha > 250 && f.alpha < 255);
    f = timeline_cards(8600, DWELL, 3, 600);
    assert_int_equal(f.alpha, 255);
    assert_int_equal(f.progress_permille, 150);
    f = timeline_cards(8600, DWELL, 3, 0); /* cut */
    assert_int_equal(f.alpha, 255);
    /* One card never fades into itself. */
    f = timeline_cards(50, DWELL, 1, 600);
    assert_int_equal(f.alpha, 255);
    assert_int_equal(f.current, 0);
    f = timeline_cards(50, DWELL, 0, 600);
    assert_int_equal(f.current, 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_step_is_whole_pixels_per_refresh),
        cmocka_unit_test(test_constant_displacement_with_jitter),
        cmocka_unit_test(test_exact_after_30_days),
        cmocka_unit_test(test_reach_is_the_first_time),
        cmocka_unit_test(test_negative_time_is_floor),
        cmocka_unit_test(test_cards_follow_variable_dwell),
        cmocka_unit_test(test_card_fade_and_progress),
    };
    return cmocka_run_group_tests_name("timeline", tests, NULL, NULL);
}
