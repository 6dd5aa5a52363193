/*
 * test_backoff: the poll and retry schedule. Every delay is checked against
 * its documented bounds over many draws from a seeded generator, and the
 * draws must actually fill those bounds (full jitter means the whole range
 * from zero to the ceiling is used, not a fixed delay).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "backoff.h"
#include "timefmt.h"
#include "util.h"

#define DRAWS 20000
#define MINUTE_MS INT64_C(60000)

static void
test_rng_range_and_replay(void **state)
{
    (void)state;
    Rng a, b;
    rng_seed(&a, 42);
    rng_seed(&b, 42);
    double sum = 0, lo = 1, hi = 0;
    for (int i = 0; i < DRAWS; i++) {
        double u = rng_unit(&a);
        assert_true(u >= 0.0 && u < 1.0);
        assert_true(u == rng_unit(&b)); /* same seed, same sequence */
        sum += u;
        lo = MIN(lo, u);
        hi = MAX(hi, u);
    }
    assert_true(sum / DRAWS > 0.48 && sum / DRAWS < 0.52);
    assert_true(lo < 0.001 && hi > 0.999);
    /* A zero seed is a valid seed. */
    rng_seed(&a, 0);
    assert_true(rng_next(&a) != rng_next(&a));
}

static void
test_jitter_is_ten_percent(void **state)
{
    (void)state;
    Rng r;
    rng_seed(&r, 7);
    int64_t lo = INT64_MAX, hi = 0;
    for (int i = 0; i < DRAWS; i++) {
        int64_t d = backoff_jitter_ms(300000, &r);
        assert_in_range(d, 270000, 330000);
        lo = MIN(lo, d);
        hi = MAX(hi, d);
    }
    /* The whole +-10% band is used. */
    assert_true(lo < 271000 && hi > 329000);
    /* Success schedules with the same jitter. */
    BackoffPolicy p = {300000, 15000};
    for (int i = 0; i < DRAWS; i++)
        assert_in_range(backoff_delay_ms(&p, RETRY_NONE, 0, -1, &r), 270000,
                        330000);
}

static void
test_startup_delay(void **state)
{
    (void)state;
    Rng r;
    rng_seed(&r, 3);
    assert_int_equal(backoff_startup_ms(0, &r), 0);
    assert_int_equal(backoff_startup_ms(-5, &r), 0);
    int64_t hi = 0, lo = INT64_MAX;
    for (int i = 0; i < DRAWS; i++) {
        int64_t d = backoff_startup_ms(30000, &r);
        assert_in_range(d, 0, 30000);
        lo = MIN(lo, d);
        hi = MAX(hi, d);
    }
    assert_true(lo < 100 && hi > 29900);
}

static void
test_classify(void **state)
{
    (void)state;
    assert_int_equal(backoff_classify(FETCH_OK, 200), RETRY_NONE);
    assert_int_equal(backoff_classify(FETCH_NOT_MODIFIED, 304), RETRY_NONE);
    static const long transient[] = {408, 425, 429, 500, 502, 503, 504, 599};
    for (size_t i = 0; i < ARRAY_LEN(transient); i++)
        assert_int_equal(backoff_classify(FETCH_HTTP_STATUS, transient[i]),
                         RETRY_TRANSIENT);
    static const long slow[] = {400, 401, 403, 404, 410, 451, 300, 302, 100};
    for (size_t i = 0; i < ARRAY_LEN(slow); i++)
        assert_int_equal(backoff_classify(FETCH_HTTP_STATUS, slow[i]),
                         RETRY_SLOW);
    assert_int_equal(backoff_classify(FETCH_NETWORK, 0), RETRY_TRANSIENT);
    assert_int_equal(backoff_classify(FETCH_CONTENT, 200), RETRY_TRANSIENT);
    assert_int_equal(backoff_classify(FETCH_TLS, 0), RETRY_SLOW);
    assert_int_equal(backoff_classify(FETCH_TLS_CLOCK, 0), RETRY_CLOCK);
    assert_int_equal(backoff_classify(FETCH_TOO_BIG, 200), RETRY_SLOW);
    assert_int_equal(backoff_classify(FETCH_REFUSED, 302), RETRY_SLOW);
    assert_int_equal(backoff_classify(FETCH_REDIRECTS, 302), RETRY_SLOW);
    assert_string_equal(backoff_class_name(RETRY_CLOCK), "clock");
}

/* Draws many transient delays; checks bounds and that they span them. */
static void
check_transient(const BackoffPolicy *p, int failures, int64_t want_ceiling)
{
    Rng r;
    rng_seed(&r, (uint64_t)failures * 977);
    int64_t lo = INT64_MAX, hi = 0;
    double sum = 0;
    for (int i = 0; i < DRAWS; i++) {
        int64_t d = backoff_delay_ms(p, RETRY_TRANSIENT, failures, -1, &r);
        if (d < BACKOFF_MIN_DELAY_MS || d > MAX(want_ceiling, 500))
            fail_msg("failures %d: delay %lld outside [%d, %lld]", failures,
                     (long long)d, BACKOFF_MIN_DELAY_MS,
                     (long long)want_ceiling);
        lo = MIN(lo, d);
        hi = MAX(hi, d);
        sum += (double)d;
    }
    /* Full jitter: uniform over [0, ceiling], floored at the minimum. */
    assert_true(hi > want_ceiling * 99 / 100);
    assert_true(lo <= BACKOFF_MIN_DELAY_MS + want_ceiling / 100);
    if (want_ceiling > 50 * BACKOFF_MIN_DELAY_MS) {
        double mean = sum / DRAWS;
        assert_true(mean > want_ceiling * 0.47 && mean < want_ceiling * 0.53);
    }
}

static void
test_transient_doubles_up_to_the_interval(void **state)
{
    (void)state;
    BackoffPolicy p = {300000, 15000};
    check_transient(&p, 1, 15000);
    check_transient(&p, 2, 30000);
    check_transient(&p, 3, 60000);
    check_transient(&p, 4, 120000);
    check_transient(&p, 5, 240000);
    check_transient(&p, 6, 300000); /* capped: recovery within an interval */
    check_transient(&p, 60, 300000);
    check_transient(&p, 100000, 300000); /* no overflow */
    /* An interval shorter than the base caps the first retry too. */
    BackoffPolicy fast = {2000, 15000};
    check_transient(&fast, 1, 2000);
}

static void
test_slow_retries_once_an_interval(void **state)
{
    (void)state;
    BackoffPolicy p = {300000, 15000};
    Rng r;
    rng_seed(&r, 11);
    int64_t lo = INT64_MAX;
    for (int i = 0; i < DRAWS; i++) {
        int64_t d = backoff_delay_ms(&p, RETRY_SLOW, 1 + i % 50, -1, &r);
        assert_in_range(d, 270000, 300000);
        lo = MIN(lo, d);
    }
    assert_true(lo < 271000);
}

static void
test_clock_retries_within_a_minute(void **state)
{
    (void)state;
    /* Even with an hour's interval and many failures, a clock that is
     * behind is retried at least once a minute. */
    BackoffPolicy p = {3600000, 15000};
    Rng r;
    rng_seed(&r, 5);
    for (int f = 1; f < 200; f++) {
        int64_t d = backoff_delay_ms(&p, RETRY_CLOCK, f, -1, &r);
        assert_in_range(d, BACKOFF_MIN_DELAY_MS, MINUTE_MS);
    }
    /* The first retries come quickly, as for any transient failure. */
    for (int i = 0; i < 100; i++)
        assert_true(backoff_delay_ms(&p, RETRY_CLOCK, 1, -1, &r) <= 15000);
}

static void
test_retry_after_is_a_lower_bound(void **state)
{
    (void)state;
    BackoffPolicy p = {300000, 15000};
    Rng r;
    rng_seed(&r, 9);
    for (int i = 0; i < 1000; i++) {
        int64_t d = backoff_delay_ms(&p, RETRY_TRANSIENT, 1, 120, &r);
        assert_in_range(d, 120000, 120000 + 15000);
        /* Longer than the interval: the server asked for it. */
        assert_int_equal(backoff_delay_ms(&p, RETRY_TRANSIENT, 1, 3600, &r),
                         3600000);
        /* Clamped to six hours. */
        assert_int_equal(
            backoff_delay_ms(&p, RETRY_TRANSIENT, 1, 999999999, &r),
            (int64_t)BACKOFF_RETRY_AFTER_MAX_S * 1000);
        /* Negative (a past date, as libcurl 7.88 reports it) is ignored:
         * never a negative or zero wait. */
        int64_t n = backoff_delay_ms(&p, RETRY_TRANSIENT, 1, -350507194, &r);
        assert_in_range(n, BACKOFF_MIN_DELAY_MS, 15000);
    }
}

static void
test_retry_after_parse(void **state)
{
    (void)state;
    const int64_t now = time_from_utc(2026, 11, 29, 10, 0, 0);
    int64_t s = -1;
    assert_true(backoff_retry_after_s("120", now, &s));
    assert_int_equal(s, 120);
    assert_true(backoff_retry_after_s("  7 ", now, &s));
    assert_int_equal(s, 7);
    assert_true(backoff_retry_after_s("99999999999999999999999", now, &s));
    assert_int_equal(s, BACKOFF_RETRY_AFTER_MAX_S);
    assert_true(
        backoff_retry_after_s("Sun, 29 Nov 2026 10:00:30 GMT", now, &s));
    assert_int_equal(s, 30);
    assert_true(
        backoff_retry_after_s("Sun, 29 Nov 2026 12:00:00 GMT", now, &s));
    assert_int_equal(s, 7200);
    assert_true(
        backoff_retry_after_s("Sun, 06 Dec 2026 10:00:00 GMT", now, &s));
    assert_int_equal(s, BACKOFF_RETRY_AFTER_MAX_S);
    s = 12345;
    /* Absent, zero, negative, past dates and junk give no wait at all. */
    static const char *const none[] = {"",
                                       "   ",
                                       "0",
                                       "-5",
                                       "abc",
                                       "12abc",
                                       "1.5",
                                       "Sun, 29 Nov 2026 09:59:59 GMT",
                                       "Wed, 21 Oct 2015 07:28:00 GMT",
                                       "Sun, 29 Nov 2026 10:00:00 GMT"};
    for (size_t i = 0; i < ARRAY_LEN(none); i++) {
        if (backoff_retry_after_s(none[i], now, &s))
            fail_msg("'%s' gave a wait of %lld s", none[i], (long long)s);
    }
    assert_false(backoff_retry_after_s(NULL, now, &s));
    assert_int_equal(s, 12345); /* untouched on failure */
}

static void
test_same_seed_same_schedule(void **state)
{
    (void)state;
    BackoffPolicy p = {60000, 5000};
    Rng a, b;
    rng_seed(&a, 1234);
    rng_seed(&b, 1234);
    for (int i = 0; i < 1000; i++) {
        RetryClass c = (RetryClass)(i % 4);
        assert_int_equal(backoff_delay_ms(&p, c, i % 9, i % 3 ? -1 : 30, &a),
                         backoff_delay_ms(&p, c, i % 9, i % 3 ? -1 : 30, &b));
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rng_range_and_replay),
        cmocka_unit_test(test_jitter_is_ten_percent),
        cmocka_unit_test(test_startup_delay),
        cmocka_unit_test(test_classify),
        cmocka_unit_test(test_transient_doubles_up_to_the_interval),
        cmocka_unit_test(test_slow_retries_once_an_interval),
        cmocka_unit_test(test_clock_retries_within_a_minute),
        cmocka_unit_test(test_retry_after_is_a_lower_bound),
        cmocka_unit_test(test_retry_after_parse),
        cmocka_unit_test(test_same_seed_same_schedule),
    };
    return cmocka_run_group_tests_name("backoff", tests, NULL, NULL);
}
