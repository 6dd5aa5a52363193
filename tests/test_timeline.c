/*
 * test_timeline: the crawl offset and the card rotation as functions of
 * time, checked against exact arithmetic written independently here.
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

/* floor(now_ms * speed / 1000) mod strip, in 128-bit arithmetic, with
 * floor division spelled out for negative times. */
static int64_t
exact_offset(int64_t now_ms, int speed_px_s, int64_t strip_px)
{
    Int128 px = (Int128)now_ms * speed_px_s;
    Int128 q = px / 1000;
    if (px % 1000 != 0 && px < 0)
        q -= 1;
    Int128 r = q % strip_px;
    if (r < 0)
        r += strip_px;
    return (int64_t)r;
}

static void
check_offset(int64_t now_ms, int speed_px_s, int64_t strip_px)
{
    int64_t got = timeline_crawl_offset(now_ms, speed_px_s, strip_px);
    int64_t want = exact_offset(now_ms, speed_px_s, strip_px);
    if (got != want) {
        fail_msg("offset(%lld ms, %d px/s, %lld px) = %lld, want %lld",
                 (long long)now_ms, speed_px_s, (long long)strip_px,
                 (long long)got, (long long)want);
    }
}

static void
test_crawl_start_and_first_second(void **state)
{
    (void)state;
    assert_int_equal(timeline_crawl_offset(0, 120, 5000), 0);
    assert_int_equal(timeline_crawl_offset(1000, 120, 5000), 120);
    assert_int_equal(timeline_crawl_offset(500, 120, 5000), 60);
    assert_int_equal(timeline_crawl_offset(1, 120, 5000), 0); /* 0.12 px */
    assert_int_equal(timeline_crawl_offset(9, 120, 5000), 1); /* 1.08 px */
    assert_int_equal(timeline_crawl_offset(999, 120, 5000), 119);
    assert_int_equal(timeline_crawl_offset(2500, 120, 5000), 300);
    assert_int_equal(timeline_crawl_offset(1000, 2000, 100000), 2000);
}

static void
test_crawl_wraps(void **state)
{
    (void)state;
    /* 1000 px at 120 px/s: one lap is 8333.33 ms. */
    assert_int_equal(timeline_crawl_offset(8333, 120, 1000), 999);
    assert_int_equal(timeline_crawl_offset(8334, 120, 1000), 0);
    assert_int_equal(timeline_crawl_offset(10000, 120, 1000), 200);
    assert_int_equal(timeline_crawl_offset(25000, 120, 1000), 0);
    /* A strip shorter than one second's travel. */
    assert_int_equal(timeline_crawl_offset(1000, 120, 7), 120 % 7);
    assert_int_equal(timeline_crawl_offset(123456, 120, 1), 0);
    for (int64_t t = 0; t < 200000; t += 7) {
        int64_t off = timeline_crawl_offset(t, 120, 997);
        assert_in_range(off, 0, 996);
    }
}

static void
test_crawl_exact_after_30_days(void **state)
{
    (void)state;
    int64_t t30 = 30 * DAY_MS;
    /* 30 days at 120 px/s is 311,040,000 px; with a 7919 px strip
     * (prime) that is 311040000 mod 7919. */
    assert_int_equal(timeline_crawl_offset(t30, 120, 7919),
                     INT64_C(311040000) % 7919);
    assert_int_equal(timeline_crawl_offset(t30 + 123, 120, 7919),
                     (INT64_C(311040000) + 14) % 7919);
    check_offset(t30, 120, 7919);
    check_offset(t30 + 999, 120, 123457);
    /* Every millisecond of a few seconds around the 30-day mark. */
    for (int64_t t = t30 - 3000; t <= t30 + 3000; t++)
        check_offset(t, 120, 7919);
    /* Spread over the 30 days, odd steps so every remainder shows up. */
    for (int64_t t = 0; t <= t30; t += 999983)
        check_offset(t, 120, 31337);
    /* Centuries and the far end of the range, at the fastest speed. */
    check_offset(INT64_C(300) * 365 * DAY_MS + 777, 2000, 65521);
    check_offset(INT64_MAX, 2000, 65521);
    check_offset(INT64_MAX - 1, 120, 4096);
    check_offset(INT64_MAX / 1000 * 1000, 1999, 1000003);
    check_offset(INT64_C(1) << 62, 120, (INT64_C(1) << 40) + 15);
}

static void
test_crawl_monotonic(void **state)
{
    (void)state;
    static const int speeds[] = {1, 37, 120, 2000};
    const int64_t strip = 3000;
    for (size_t s = 0; s < ARRAY_LEN(speeds); s++) {
        int speed = speeds[s];
        /* Two laps: the first millisecond at which 2 * strip px are
         * passed. */
        int64_t end = (2 * strip * 1000 + speed - 1) / speed;
        int64_t prev = timeline_crawl_offset(0, speed, strip);
        int wraps = 0;
        for (int64_t t = 1; t <= end; t++) {
            int64_t off = timeline_crawl_offset(t, speed, strip);
            int64_t step = off - prev;
            if (step < 0) {
                wraps++;
                step += strip;
            }
            /* At most ceil(speed / 1000) px per ms, never backwards. */
            if (step > (speed + 999) / 1000) {
                fail_msg("speed %d: %lld -> %lld at t=%lld ms", speed,
                         (long long)prev, (long long)off, (long long)t);
            }
            prev = off;
        }
        assert_int_equal(wraps, 2);
    }
}

static void
test_crawl_degenerate(void **state)
{
    (void)state;
    static const int64_t times[] = {0,        1,     999,       1000,
                                    86400000, -5000, INT64_MAX, INT64_MIN};
    for (size_t i = 0; i < ARRAY_LEN(times); i++) {
        assert_int_equal(timeline_crawl_offset(times[i], 0, 5000), 0);
        assert_int_equal(timeline_crawl_offset(times[i], 120, 0), 0);
        assert_int_equal(timeline_crawl_offset(times[i], 120, -10), 0);
        assert_int_equal(timeline_crawl_offset(times[i], -120, 5000), 0);
    }
}

static void
test_crawl_negative_time(void **state)
{
    (void)state;
    /* Before t=0 the crawl continues backwards in time, wrapped. */
    assert_int_equal(timeline_crawl_offset(-1, 120, 5000), 4999);
    assert_int_equal(timeline_crawl_offset(-1000, 120, 5000), 4880);
    assert_int_equal(timeline_crawl_offset(-1001, 120, 5000), 4879);
    for (int64_t t = -20000; t <= 20000; t += 3)
        check_offset(t, 120, 5000);
    check_offset(-INT64_C(300) * 365 * DAY_MS - 1, 120, 5000);
    check_offset(-30 * DAY_MS - 1, 2000, 7919);
}

/* The card shown at now for count cards, without step. */
static size_t
expected_card(int64_t now_ms, size_t count, int dwell_ms)
{
    int64_t slot = now_ms / dwell_ms;
    if (now_ms % dwell_ms != 0 && now_ms < 0)
        slot--;
    int64_t r = slot % (int64_t)count;
    return (size_t)(r < 0 ? r + (int64_t)count : r);
}

static void
test_card_index(void **state)
{
    (void)state;
    CardFrame f = timeline_card(0, 5, 8000, 600, 0);
    assert_int_equal(f.current, 0);
    assert_int_equal(f.previous, 4);
    f = timeline_card(7999, 5, 8000, 600, 0);
    assert_int_equal(f.current, 0);
    f = timeline_card(8000, 5, 8000, 600, 0);
    assert_int_equal(f.current, 1);
    assert_int_equal(f.previous, 0);
    f = timeline_card(4 * 8000 + 5, 5, 8000, 600, 0);
    assert_int_equal(f.current, 4);
    assert_int_equal(f.previous, 3);
    f = timeline_card(5 * 8000, 5, 8000, 600, 0);
    assert_int_equal(f.current, 0);
    assert_int_equal(f.previous, 4);
    /* 30 days in: 324000 slots of 8 s; 324000 mod 7 = 5. */
    f = timeline_card(30 * DAY_MS, 7, 8000, 600, 0);
    assert_int_equal(f.current, 5);
    for (int64_t t = 0; t < 100 * 8000; t += 97) {
        f = timeline_card(t, 7, 8000, 600, 0);
        assert_int_equal(f.current, expected_card(t, 7, 8000));
        assert_int_equal(f.previous, (f.current + 6) % 7);
    }
}

static void
test_card_fade(void **state)
{
    (void)state;
    const int64_t base = 3 * 8000; /* start of the fourth slot */
    CardFrame f = timeline_card(base, 5, 8000, 600, 0);
    assert_int_equal(f.alpha, 0);
    assert_int_equal(f.current, 3);
    assert_int_equal(f.previous, 2);
    f = timeline_card(base + 300, 5, 8000, 600, 0);
    assert_int_equal(f.alpha, 127);
    f = timeline_card(base + 599, 5, 8000, 600, 0);
    assert_int_equal(f.alpha, 254);
    f = timeline_card(base + 600, 5, 8000, 600, 0);
    assert_int_equal(f.alpha, 255);
    f = timeline_card(base + 7999, 5, 8000, 600, 0);
    assert_int_equal(f.alpha, 255);

    /* The ramp rises from 0 to 255 without going back. */
    int prev = -1;
    for (int64_t into = 0; into <= 8000; into++) {
        f = timeline_card(base + into, 5, 8000, 600, 0);
        if (into == 8000) {
            assert_int_equal(f.alpha, 0); /* the next card starts */
            break;
        }
        assert_in_range(f.alpha, 0, 255);
        assert_true(f.alpha >= prev);
        assert_int_equal(f.alpha, into < 600 ? (int)(into * 255 / 600) : 255);
        prev = f.alpha;
    }

    /* No fade: a cut. */
    for (int64_t t = base; t < base + 8000; t += 50) {
        f = timeline_card(t, 5, 8000, 0, 0);
        assert_int_equal(f.alpha, 255);
    }
}

static void
test_card_step(void **state)
{
    (void)state;
    CardFrame base = timeline_card(8000 * 2 + 100, 5, 8000, 600, 0);
    assert_int_equal(base.current, 2);
    CardFrame f = timeline_card(8000 * 2 + 100, 5, 8000, 600, 1);
    assert_int_equal(f.current, 3);
    assert_int_equal(f.previous, 2);
    assert_int_equal(f.alpha, base.alpha);
    assert_int_equal(f.progress_permille, base.progress_permille);
    f = timeline_card(8000 * 2 + 100, 5, 8000, 600, -1);
    assert_int_equal(f.current, 1);
    assert_int_equal(f.previous, 0);
    f = timeline_card(0, 5, 8000, 600, -1);
    assert_int_equal(f.current, 4);
    assert_int_equal(f.previous, 3);
    f = timeline_card(0, 5, 8000, 600, -7);
    assert_int_equal(f.current, 3);
    f = timeline_card(0, 5, 8000, 600, 12);
    assert_int_equal(f.current, 2);
    f = timeline_card(0, 5, 8000, 600, -1000000007);
    assert_int_equal(f.current, 3); /* -1000000007 mod 5 = 3 */
    /* Stepping k cards ahead equals waiting k dwells. */
    for (int64_t k = -12; k <= 12; k++) {
        CardFrame a = timeline_card(40000 + 123, 5, 8000, 600, k);
        CardFrame b = timeline_card(40000 + 123 + k * 8000, 5, 8000, 600, 0);
        assert_int_equal(a.current, b.current);
        assert_int_equal(a.previous, b.previous);
    }
}

static void
test_card_negative_time(void **state)
{
    (void)state;
    CardFrame f = timeline_card(-1, 5, 8000, 600, 0);
    assert_int_equal(f.current, 4);
    assert_int_equal(f.previous, 3);
    assert_int_equal(f.progress_permille, 999);
    assert_int_equal(f.alpha, 255);
    f = timeline_card(-8000, 5, 8000, 600, 0);
    assert_int_equal(f.current, 4);
    assert_int_equal(f.alpha, 0);
    assert_int_equal(f.progress_permille, 0);
    f = timeline_card(-8001, 5, 8000, 600, 0);
    assert_int_equal(f.current, 3);
    assert_int_equal(f.progress_permille, 999);
    for (int64_t t = -200000; t < 0; t += 61) {
        f = timeline_card(t, 5, 8000, 600, 0);
        assert_int_equal(f.current, expected_card(t, 5, 8000));
        assert_in_range(f.alpha, 0, 255);
        assert_in_range(f.progress_permille, 0, 999);
    }
}

static void
test_card_single_and_empty(void **state)
{
    (void)state;
    /* One card: nothing to fade from. */
    for (int64_t t = -20000; t <= 40000; t += 250) {
        CardFrame f = timeline_card(t, 1, 8000, 600, 3);
        assert_int_equal(f.current, 0);
        assert_int_equal(f.previous, 0);
        assert_int_equal(f.alpha, 255);
    }
    CardFrame f = timeline_card(8000 + 4000, 1, 8000, 600, 0);
    assert_int_equal(f.progress_permille, 500);

    /* No cards, or no dwell: a still frame on card 0. */
    f = timeline_card(12345, 0, 8000, 600, 2);
    assert_int_equal(f.current, 0);
    assert_int_equal(f.previous, 0);
    assert_int_equal(f.alpha, 255);
    assert_int_equal(f.progress_permille, 0);
    f = timeline_card(12345, 5, 0, 600, 2);
    assert_int_equal(f.current, 0);
    assert_int_equal(f.alpha, 255);
    assert_int_equal(f.progress_permille, 0);
}

static void
test_card_progress(void **state)
{
    (void)state;
    assert_int_equal(timeline_card(0, 3, 8000, 600, 0).progress_permille, 0);
    assert_int_equal(timeline_card(8, 3, 8000, 600, 0).progress_permille, 1);
    assert_int_equal(timeline_card(4000, 3, 8000, 600, 0).progress_permille,
                     500);
    assert_int_equal(timeline_card(7999, 3, 8000, 600, 0).progress_permille,
                     999);
    assert_int_equal(timeline_card(8000, 3, 8000, 600, 0).progress_permille, 0);
    assert_int_equal(
        timeline_card(30 * DAY_MS + 6000, 3, 8000, 600, 0).progress_permille,
        750);
    int prev = -1;
    for (int64_t t = 16000; t < 24000; t++) {
        int p = timeline_card(t, 3, 8000, 600, 0).progress_permille;
        assert_int_equal(p, (int)((t - 16000) * 1000 / 8000));
        assert_true(p >= prev);
        prev = p;
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crawl_start_and_first_second),
        cmocka_unit_test(test_crawl_wraps),
        cmocka_unit_test(test_crawl_exact_after_30_days),
        cmocka_unit_test(test_crawl_monotonic),
        cmocka_unit_test(test_crawl_degenerate),
        cmocka_unit_test(test_crawl_negative_time),
        cmocka_unit_test(test_card_index),
        cmocka_unit_test(test_card_fade),
        cmocka_unit_test(test_card_step),
        cmocka_unit_test(test_card_negative_time),
        cmocka_unit_test(test_card_single_and_empty),
        cmocka_unit_test(test_card_progress),
    };
    return cmocka_run_group_tests_name("timeline", tests, NULL, NULL);
}
