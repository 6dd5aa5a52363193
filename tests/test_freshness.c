/*
 * test_freshness: what the bar and the placeholder card say about how
 * current the news is: "updated HH:MM", "offline since HH:MM" only after a
 * feed missed two intervals, "feed unreachable" before any success, and a
 * "No current news" card when everything aged out.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "freshness.h"
#include "timefmt.h"
#include "util.h"

#define T0 INT64_C(1764410400) /* 2025-11-29 10:00:00 UTC */

/* UTC "HH:MM", so the test does not depend on TZ. */
static void
hhmm_utc(int64_t s, char *buf, size_t n)
{
    int64_t d = ((s % 86400) + 86400) % 86400;
    snprintf(buf, n, "%02d:%02d", (int)(d / 3600), (int)(d / 60 % 60));
}

static FeedStatus
feed(const char *name, int64_t last_ok, const char *error)
{
    FeedStatus fs;
    memset(&fs, 0, sizeof(fs));
    util_strlcpy(fs.name, name, sizeof(fs.name));
    fs.last_ok_s = last_ok;
    fs.last_attempt_s = T0;
    fs.interval_s = 300;
    if (error) {
        util_strlcpy(fs.error, error, sizeof(fs.error));
        fs.failures = 1;
        fs.failing_since_s = last_ok ? last_ok + 300 : T0;
    }
    return fs;
}

static void
test_offline_after_two_intervals(void **state)
{
    (void)state;
    FeedStatus fs = feed("a", T0, "a: the server answered HTTP 503");
    assert_false(freshness_feed_offline(&fs, T0 + 599));
    assert_true(freshness_feed_offline(&fs, T0 + 600));
    assert_int_equal(freshness_next_offline_s(&fs), T0 + 600);
    fs.offline = true;
    assert_int_equal(freshness_next_offline_s(&fs), INT64_MAX);
    /* A healthy feed is never offline, however old its news. */
    FeedStatus ok = feed("b", T0, NULL);
    assert_false(freshness_feed_offline(&ok, T0 + 86400));
    assert_int_equal(freshness_next_offline_s(&ok), INT64_MAX);
    /* Never successful: counted from its first failure. */
    FeedStatus never = feed("c", 0, "c: connection refused");
    never.failing_since_s = T0;
    assert_false(freshness_feed_offline(&never, T0 + 599));
    assert_true(freshness_feed_offline(&never, T0 + 600));
    /* A clock set back before the last success is not "offline". */
    assert_false(freshness_feed_offline(&fs, 1000));
}

static FetchStatus
status_of(const FeedStatus *feeds, int n, int shown)
{
    FetchStatus st;
    memset(&st, 0, sizeof(st));
    st.feed_count = n;
    st.fetched_once = true;
    for (int i = 0; i < n; i++) {
        st.feeds[i] = feeds[i];
        st.last_ok_s = MAX(st.last_ok_s, feeds[i].last_ok_s);
        st.stories_held += feeds[i].story_count;
    }
    st.stories_shown = shown;
    st.max_age_h = 24;
    return st;
}

static void
test_marks(void **state)
{
    (void)state;
    FreshnessText t;
    FetchStatus none;
    memset(&none, 0, sizeof(none));
    freshness_describe(&none, hhmm_utc, &t);
    assert_string_equal(t.mark, "connecting\xe2\x80\xa6");
    assert_false(t.warn);
    assert_string_equal(t.title, "Waiting for news");

    FeedStatus f[2] = {feed("a", T0 - 60, NULL), feed("b", T0 - 600, NULL)};
    f[0].story_count = 3;
    FetchStatus st = status_of(f, 2, 3);
    freshness_describe(&st, hhmm_utc, &t);
    assert_string_equal(t.mark, "updated 09:59");
    assert_false(t.warn);

    /* A failure alone does not alarm anyone: still "updated". */
    f[1] = feed("b", T0 - 600, "b: the server answered HTTP 500");
    st = status_of(f, 2, 3);
    freshness_describe(&st, hhmm_utc, &t);
    assert_string_equal(t.mark, "updated 09:59");
    assert_false(t.warn);

    /* Two intervals missed: offline since its last success. */
    f[1].offline = true;
    st = status_of(f, 2, 3);
    freshness_describe(&st, hhmm_utc, &t);
    assert_string_equal(t.mark, "\xe2\x9a\xa0 offline since 09:50");
    assert_true(t.warn);

    /* Nothing ever arrived and the feed fails: unreachable, and the card
     * says why. */
    FeedStatus u = feed("u", 0, "u: Could not resolve host: example.invalid");
    st = status_of(&u, 1, 0);
    freshness_describe(&st, hhmm_utc, &t);
    assert_string_equal(t.mark, "\xe2\x9a\xa0 feed unreachable");
    assert_true(t.warn);
    assert_string_equal(t.title, "Waiting for news");
    assert_non_null(strstr(t.detail, "example.invalid"));
}

static void
test_no_current_news_card(void **state)
{
    (void)state;
    FeedStatus f = feed("a", T0 - 3600, "a: connection refused");
    f.story_count = 12;
    f.offline = true;
    FetchStatus st = status_of(&f, 1, 0);
    FreshnessText t;
    freshness_describe(&st, hhmm_utc, &t);
    assert_string_equal(t.title, "No current news");
    assert_non_null(strstr(t.detail, "older than 24 hours"));
    assert_non_null(strstr(t.detail, "09:00"));
    assert_string_equal(t.mark, "\xe2\x9a\xa0 offline since 09:00");
    /* With stories shown, no placeholder is needed: the title is the
     * waiting one and is not drawn. */
    st = status_of(&f, 1, 5);
    freshness_describe(&st, hhmm_utc, &t);
    assert_string_equal(t.title, "Waiting for news");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_offline_after_two_intervals),
        cmocka_unit_test(test_marks),
        cmocka_unit_test(test_no_current_news_card),
    };
    return cmocka_run_group_tests_name("freshness", tests, NULL, NULL);
}
