/*
 * test_schedule: the display schedule as a pure function of weekday and
 * time of day: parsing every accepted form and refusing the rest, spans
 * past midnight (including Sunday into Monday), and the time to the next
 * change, checked against a brute-force walk over a whole week.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "schedule.h"
#include "util.h"

enum { MON, TUE, WED, THU, FRI, SAT, SUN };

#define H(h, m) ((h)*3600 + (m)*60)

static Schedule
week(const char *mon, const char *tue, const char *wed, const char *thu,
     const char *fri, const char *sat, const char *sun)
{
    const char *specs[SCHEDULE_DAYS] = {mon, tue, wed, thu, fri, sat, sun};
    Schedule s;
    char err[256] = "";
    if (schedule_parse(&s, specs, err, sizeof(err)) != 0)
        fail_msg("schedule_parse: %s", err);
    return s;
}

static Schedule
every_day(const char *spec)
{
    return week(spec, spec, spec, spec, spec, spec, spec);
}

static void
expect_day_error(const char *spec, const char *want)
{
    ScheduleDay d;
    char err[256] = "";
    if (schedule_parse_day(spec, &d, err, sizeof(err)) == 0)
        fail_msg("'%s' was accepted", spec);
    if (!strstr(err, want))
        fail_msg("'%s': message '%s' lacks '%s'", spec, err, want);
}

static void
test_parse_forms(void **state)
{
    (void)state;
    ScheduleDay d;
    char err[256];
    assert_int_equal(schedule_parse_day("on", &d, err, sizeof(err)), 0);
    assert_int_equal(d.count, 1);
    assert_int_equal(d.spans[0].start_min, 0);
    assert_int_equal(d.spans[0].end_min, 1440);
    assert_int_equal(schedule_parse_day(" OFF ", &d, err, sizeof(err)), 0);
    assert_int_equal(d.count, 0);
    assert_int_equal(
        schedule_parse_day("7:00-12:30, 13:15 - 24:00", &d, err, sizeof(err)),
        0);
    assert_int_equal(d.count, 2);
    assert_int_equal(d.spans[0].start_min, 7 * 60);
    assert_int_equal(d.spans[0].end_min, 12 * 60 + 30);
    assert_int_equal(d.spans[1].start_min, 13 * 60 + 15);
    assert_int_equal(d.spans[1].end_min, 1440);
    /* End at or before start: runs into the next day. */
    assert_int_equal(schedule_parse_day("22:00-02:00", &d, err, sizeof(err)),
                     0);
    assert_int_equal(d.spans[0].end_min, 1440 + 120);
    assert_int_equal(schedule_parse_day("06:00-06:00", &d, err, sizeof(err)),
                     0);
    assert_int_equal(d.spans[0].end_min, 6 * 60 + 1440);
    assert_int_equal(schedule_parse_day("00:00-00:00,01:00-02:00,"
                                        "03:00-04:00,05:00-06:00",
                                        &d, err, sizeof(err)),
                     0);
    assert_int_equal(d.count, 4);
}

static void
test_parse_errors(void **state)
{
    (void)state;
    expect_day_error("", "empty schedule");
    expect_day_error("   ", "empty schedule");
    expect_day_error("sometimes", "'sometimes' is not a span");
    expect_day_error("7-19", "'7-19' is not a span");
    expect_day_error("07:00", "'07:00' is not a span");
    expect_day_error("07:00-", "is not a span");
    expect_day_error("25:00-26:00", "is not a span");
    expect_day_error("24:00-23:00", "is not a span"); /* 24:00 only ends */
    expect_day_error("07:60-08:00", "is not a span");
    expect_day_error("07:00-24:01", "is not a span");
    expect_day_error("07:00-08:00;09:00-10:00", "unexpected ';09:00");
    expect_day_error("07:00-08:00,", "'' is not a span");
    expect_day_error("1:00-2:00,3:00-4:00,5:00-6:00,7:00-8:00,9:00-10:00",
                     "more than 4 spans");
    expect_day_error("on off", "is not a span");

    const char *specs[SCHEDULE_DAYS] = {"on", "on", "on", "never",
                                        "on", "on", "on"};
    Schedule s;
    char err[256] = "";
    assert_int_equal(schedule_parse(&s, specs, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "schedule.thu: 'never' is not a span"));
}

static void
test_is_on(void **state)
{
    (void)state;
    Schedule s = week("07:00-19:00", "07:00-19:00", "off", "on",
                      "07:00-12:00,13:00-01:30", "off", "22:00-06:00");
    assert_false(schedule_is_on(&s, MON, H(6, 59) + 59));
    assert_true(schedule_is_on(&s, MON, H(7, 0)));
    assert_true(schedule_is_on(&s, MON, H(18, 59) + 59));
    assert_false(schedule_is_on(&s, MON, H(19, 0)));
    assert_false(schedule_is_on(&s, WED, H(12, 0)));
    assert_true(schedule_is_on(&s, THU, 0));
    assert_true(schedule_is_on(&s, THU, 86399));
    assert_false(schedule_is_on(&s, FRI, H(12, 30)));
    assert_true(schedule_is_on(&s, FRI, H(23, 0)));
    /* Friday's late span reaches into Saturday. */
    assert_true(schedule_is_on(&s, SAT, H(1, 29)));
    assert_false(schedule_is_on(&s, SAT, H(1, 30)));
    /* Sunday night runs into Monday morning. */
    assert_true(schedule_is_on(&s, SUN, H(23, 0)));
    assert_true(schedule_is_on(&s, MON, H(5, 59)));
    assert_false(schedule_is_on(&s, MON, H(6, 0)));
    /* Sunday's own early hours come from Saturday, which is off. */
    assert_false(schedule_is_on(&s, SUN, H(3, 0)));
}

static void
test_always_on(void **state)
{
    (void)state;
    Schedule s = every_day("on");
    assert_true(schedule_always_on(&s));
    assert_int_equal(schedule_next_change_s(&s, TUE, H(9, 0)), -1);
    /* Spans that join up cover the week too. */
    s = every_day("12:00-12:00");
    assert_true(schedule_always_on(&s));
    s = week("on", "on", "on", "on", "on", "on", "00:00-23:59");
    assert_false(schedule_always_on(&s));
    s = every_day("off");
    assert_false(schedule_always_on(&s));
    assert_int_equal(schedule_next_change_s(&s, TUE, H(9, 0)), -1);
}

/* Walks forward second by second to the next multiple of 10 s, then in
 * 10 s steps (every minute boundary is one of them). */
static int64_t
brute_next_change(const Schedule *s, int wd, int sec)
{
    bool now = schedule_is_on(s, wd, sec);
    for (int64_t t = 1; t <= 8 * 86400; t += (sec + t) % 10 ? 1 : 10) {
        int64_t abs = sec + t;
        if (schedule_is_on(s, (int)((wd + abs / 86400) % 7),
                           (int)(abs % 86400)) != now)
            return t;
    }
    return -1;
}

static void
test_next_change_matches_brute_force(void **state)
{
    (void)state;
    Schedule weeks[] = {
        week("07:00-19:00", "07:00-19:00", "off", "on",
             "07:00-12:00,13:00-01:30", "off", "22:00-06:00"),
        week("off", "off", "off", "off", "off", "off", "23:59-00:01"),
        every_day("08:30-17:45"),
    };
    for (size_t w = 0; w < ARRAY_LEN(weeks); w++) {
        for (int wd = 0; wd < 7; wd++) {
            /* Every 1 h 0 min 7 s: lands on and off minute boundaries. */
            for (int sec = 0; sec < 86400; sec += 3607) {
                int64_t got = schedule_next_change_s(&weeks[w], wd, sec);
                int64_t want = brute_next_change(&weeks[w], wd, sec);
                if (got != want)
                    fail_msg("week %zu day %d sec %d: %lld, want %lld", w, wd,
                             sec, (long long)got, (long long)want);
            }
        }
    }
}

static void
test_names(void **state)
{
    (void)state;
    assert_string_equal(schedule_day_name(MON), "mon");
    assert_string_equal(schedule_day_name(SUN), "sun");
    assert_string_equal(schedule_day_name(7), "?");
    assert_int_equal(schedule_weekday_from_tm(0), SUN);
    assert_int_equal(schedule_weekday_from_tm(1), MON);
    assert_int_equal(schedule_weekday_from_tm(6), SAT);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_forms),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_is_on),
        cmocka_unit_test(test_always_on),
        cmocka_unit_test(test_next_change_matches_brute_force),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests_name("schedule", tests, NULL, NULL);
}
