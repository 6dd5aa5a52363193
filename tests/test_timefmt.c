/*
 * test_timefmt: date parsing, ISO output, relative labels and the clock.
 *
 * Expected epochs were computed independently with GNU date, e.g.
 * `date -u -d '2022-01-10T08:00:00Z' +%s` = 1641801600.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "timefmt.h"
#include "util.h"

/* 2022-01-10T08:00:00Z: most accepted forms below spell this instant. */
#define T0 INT64_C(1641801600)
/* Marks *out_s as untouched by a failed parse. */
#define SENTINEL INT64_C(-777)

typedef struct Case {
    const char *in;
    int64_t want_s;
} Case;

static void
set_tz(const char *tz)
{
    assert_int_equal(setenv("TZ", tz, 1), 0);
    tzset();
}

/*
 * Parses a copy in a heap block of exactly strlen + 1 bytes, so a read past
 * the NUL is caught by AddressSanitizer.
 */
static bool
parse_exact(const char *s, int64_t *out_s)
{
    size_t n = strlen(s) + 1;
    char *copy = xmalloc(n);
    memcpy(copy, s, n);
    bool ok = time_parse(copy, out_s);
    free(copy);
    return ok;
}

static void
check_accepts(const Case *cases, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        int64_t got = SENTINEL;
        bool ok = parse_exact(cases[i].in, &got);
        if (!ok || got != cases[i].want_s) {
            fail_msg("\"%s\": ok=%d got %lld, want %lld", cases[i].in, ok,
                     (long long)got, (long long)cases[i].want_s);
        }
    }
}

static void
test_parse_iso(void **state)
{
    (void)state;
    static const Case cases[] = {
        {"2022-01-10T08:00:00Z", T0},
        {"2022-01-10t08:00:00z", T0},
        {"2022-01-10 08:00:00Z", T0},
        {"2022-01-10T08:00:00", T0}, /* no zone = UTC */
        {"2022-01-10 08:00:00", T0},
        {"2022-01-10T08:00Z", T0}, /* seconds omitted */
        {"2022-01-10T08:00:00.123Z", T0},
        {"2022-01-10T08:00:00.999999999+00:00", T0}, /* truncated */
        {"2022-01-10T08:00:00,5Z", T0},
        {"2022-01-10T08:00:00.5", T0},
        {"2022-01-10T08:00:00+00:00", T0},
        {"2022-01-10T08:00:00-00:00", T0},
        {"2022-01-10T08:00:00+0000", T0},
        {"2022-01-10T13:30:00+05:30", T0},
        {"2022-01-10T13:30:00+0530", T0},
        {"2022-01-10T00:00:00-08:00", T0},
        {"2022-01-10T00:00:00-0800", T0},
        {"2022-01-10T13:00:00+05", T0},
        {"2022-01-10T03:00:00-05", T0},
        {"2022-01-10 08:00:00 +0000", T0},
        {"2022-01-10 08:00:00 UTC", T0},
        {"2022-01-10T08:00:00 Z", T0},
        {"  2022-01-10T08:00:00Z \r\n", T0},
        {"2022-01-10", INT64_C(1641772800)},
        {"2022-01-10  ", INT64_C(1641772800)},
        /* hour 24 is the next midnight; second 60 the next minute */
        {"2022-01-10T24:00:00Z", INT64_C(1641859200)},
        {"2022-01-10T24:00:00.000Z", INT64_C(1641859200)},
        {"2016-12-31T23:59:60Z", INT64_C(1483228800)},
        {"2020-02-29", INT64_C(1582934400)},
        {"2000-02-29", INT64_C(951782400)},
        {"1970-01-01T00:00:00Z", 0},
        {"1999-12-31T23:59:59Z", INT64_C(946684799)},
        {"2038-01-19T03:14:08Z", INT64_C(2147483648)}, /* past 32-bit */
        {"9999-12-31T23:59:59Z", INT64_C(253402300799)},
        /* the forms observed in real feeds */
        {"2025-03-04T18:22:05Z", INT64_C(1741112525)},
        {"2025-03-04T05:00:08-05:00", INT64_C(1741082408)},
        {"2025-03-04T10:02:41.123Z", INT64_C(1741082561)},
        {"2018-03-12T13:30:16+0000", INT64_C(1520861416)},
        {"2025-03-04 08:45:00", INT64_C(1741077900)},
        {"2026-09-01 00:00:00 +0000", INT64_C(1788220800)},
        {"2025-03-04T09:45:00+01:00", INT64_C(1741077900)},
    };
    check_accepts(cases, ARRAY_LEN(cases));
}

static void
test_parse_rfc822(void **state)
{
    (void)state;
    static const Case cases[] = {
        {"Mon, 10 Jan 2022 08:00:00 GMT", T0},
        {"10 Jan 2022 08:00:00 GMT", T0},
        {"Mon, 10 Jan 22 08:00:00 GMT", T0},
        {"Mon, 10 Jan 2022 08:00 GMT", T0},
        {"Mon, 10 Jan 2022 08:00:00 UT", T0},
        {"Mon, 10 Jan 2022 08:00:00 UTC", T0},
        {"Mon, 10 Jan 2022 08:00:00 Z", T0},
        {"Mon, 10 Jan 2022 03:00:00 EST", T0},
        {"Mon, 10 Jan 2022 04:00:00 EDT", T0},
        {"Mon, 10 Jan 2022 02:00:00 CST", T0},
        {"Mon, 10 Jan 2022 03:00:00 CDT", T0},
        {"Mon, 10 Jan 2022 01:00:00 MST", T0},
        {"Mon, 10 Jan 2022 02:00:00 MDT", T0},
        {"Mon, 10 Jan 2022 00:00:00 PST", T0},
        {"Mon, 10 Jan 2022 01:00:00 PDT", T0},
        {"Mon, 10 Jan 2022 13:30:00 +0530", T0},
        {"Mon, 10 Jan 2022 00:00:00 -0800", T0},
        {"Mon, 10 Jan 2022 08:00:00 +0000", T0},
        {"Mon, 10 Jan 2022 08:00:00 A", T0}, /* military: +0000 */
        {"Mon, 10 Jan 2022 08:00:00", T0},   /* no zone = UTC */
        {"Mon, 10 Jan 2022 08:00:00 +0000 (UTC)", T0},
        /* the common wrong forms */
        {"Fri, 10 Jan 2022 08:00:00 GMT", T0}, /* wrong weekday */
        {"Mon,  10   Jan  2022   08:00:00   GMT  ", T0},
        {"Mon , 10 Jan 2022 08:00:00 GMT", T0},
        {"Mon 10 Jan 2022 08:00:00 GMT", T0},
        {"Mon, 10 Jan. 2022 08:00:00 GMT", T0},
        {"Monday, 10 January 2022 08:00:00 GMT", T0},
        {"mon, 10 jan 2022 08:00:00 gmt", T0},
        {"MON, 10 JAN 2022 08:00:00 GMT", T0},
        {"Mon, 10 Jan 2022 8:00:00 GMT", T0},
        {"Thurs, 10 Sept 2020 08:00:00 GMT", INT64_C(1599724800)},
        {"Sat, 1 Jan 2022 08:00:00 GMT", INT64_C(1641024000)},
        {"Tue, 04 Mar 2025 13:22:05 EST", INT64_C(1741112525)},
        {"Tue, 04 Mar 25 13:22:05 EST", INT64_C(1741112525)},
        /* RFC 2822 4.3: 00-49 are 20xx, 50-99 are 19xx */
        {"Fri, 31 Dec 99 23:59:59 GMT", INT64_C(946684799)},
        {"01 Jan 49 00:00:00 GMT", INT64_C(2493072000)},
        {"01 Jan 50 00:00:00 GMT", INT64_C(-631152000)},
        {"Sat, 29 Feb 2020 00:00:00 GMT", INT64_C(1582934400)},
    };
    check_accepts(cases, ARRAY_LEN(cases));
}

static void
test_parse_epoch(void **state)
{
    (void)state;
    static const Case cases[] = {
        {"1641801600", T0},
        {"1641801600123", T0}, /* milliseconds, truncated */
        {"1641801600999", T0},
        {" 1741112525 ", INT64_C(1741112525)},
        {"0000000000", 0},
        {"9999999999", INT64_C(9999999999)},
    };
    check_accepts(cases, ARRAY_LEN(cases));
}

static void
test_parse_rejects(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        " ",
        "     ",
        "\t\r\n",
        "garbage",
        "now",
        "yesterday",
        "2022",
        "2022-01",
        "2022-13-01",
        "2022-00-10",
        "2022-02-30",
        "2021-02-29",
        "2100-02-29",
        "2022-04-31",
        "2022-01-00",
        "2022-01-32",
        "2022-1-10",
        "22-01-10",
        "20222-01-10",
        "2022-01-10X",
        "2022-01-10T",
        "2022-01-10T08",
        "2022-01-10T08:",
        "2022-01-10T8:00:00Z",
        "2022-01-10T08:0:00Z",
        "2022-01-10T08:00:0Z",
        "2022-01-10T08:00:00.",
        "2022-01-10T08:00:00.Z",
        "2022-01-10TT08:00:00Z",
        "2022-01-10 T08:00:00Z",
        "2022-01-10T08:00:00ZZ",
        "2022-01-10T08:00:00Z junk",
        "2022-01-10T25:00:00Z",
        "2022-01-10T24:00:01Z",
        "2022-01-10T24:01:00Z",
        "2022-01-10T24:00:00.5Z",
        "2022-01-10T08:60:00Z",
        "2022-01-10T08:00:61Z",
        "2025-02-30T25:61:00Z",
        "2022-01-10T08:00:00+24:00",
        "2022-01-10T08:00:00+05:60",
        "2022-01-10T08:00:00+5",
        "2022-01-10T08:00:00+053",
        "2022-01-10T08:00:00+05301",
        "2022-01-10T08:00:00+05:3",
        "2022-01-10T08:00:00+",
        "2022-01-10T08:00:00Q1",
        "2022-01-10T08:00:00A", /* military letters only in RFC 822 */
        "2022-01-10T08:00:00x",
        "2022-01-10T08:00:00 Asia/Kolkata",
        "2022-01-10T08:00:00Z\xc3\xa9",
        /* overflowing numbers */
        "99999999999999999999",
        "99999999999999999999999999999999999999999",
        "2022-01-99999999999999999999",
        "2022-01-10T99999999999999999999:00:00Z",
        "2022-01-10T08:00:00+99999999999999999999",
        "2022-01-10T08:00:00.99999999999999999999999999999999x",
        "Mon, 99999999999 Jan 2022 08:00:00 GMT",
        "Mon, 10 Jan 99999999999 08:00:00 GMT",
        "Mon, 10 Jan 2022 99999999999:00:00 GMT",
        /* epoch strings of the wrong length or shape */
        "123456789",
        "12345678901",
        "123456789012",
        "12345678901234",
        "-1641801600",
        "+1641801600",
        "1641801600.5",
        "1641801600Z",
        "1641 801600",
        /* RFC 822 */
        "Mon, 10 Foo 2022 08:00:00 GMT",
        "Xyz, 10 Jan 2022 08:00:00 GMT",
        "Mo, 10 Jan 2022 08:00:00 GMT",
        "Mon, 10 Ja 2022 08:00:00 GMT",
        "Mon, 10 Janx 2022 08:00:00 GMT",
        "Mon, 10 Jan 2022 08:00:00 XYZ",
        "Mon, 10 Jan 2022 08:00:00 J",
        "Mon, 10 Jan 2022 08:00:00 GMT extra",
        "Mon, 10 Jan 2022 08:00:00 +0000 (UTC",
        "Mon, 10 Jan 202 08:00:00 GMT",
        "Mon, 10 Jan 2 08:00:00 GMT",
        "Mon, 10 Jan 20222 08:00:00 GMT",
        "Mon, 32 Jan 2022 08:00:00 GMT",
        "Mon, 0 Jan 2022 08:00:00 GMT",
        "Mon, 29 Feb 2021 08:00:00 GMT",
        "Mon, 31 Apr 2022 08:00:00 GMT",
        "Mon, 10 Jan 2022 24:30:00 GMT",
        "Mon, 10 Jan 2022 08:60 GMT",
        "Mon, 10 Jan 2022",
        "Mon, 10 Jan 2022 08 GMT",
        "Mon, 10Jan 2022 08:00:00 GMT",
        "Mon, 10 Jan2022 08:00:00 GMT",
        "Mon, 10 Jan 202208:00:00 GMT",
        "Mon,",
        "Mon, 10",
        "Mon, 10 Jan",
        "Wednesdayy, 10 Jan 2022 08:00:00 GMT",
    };
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        int64_t got = SENTINEL;
        if (parse_exact(bad[i], &got))
            fail_msg("\"%s\" accepted as %lld", bad[i], (long long)got);
        if (got != SENTINEL)
            fail_msg("\"%s\" wrote %lld on failure", bad[i], (long long)got);
    }
}

/* Leap years at every rule of the Gregorian calendar. */
static void
test_parse_leap_years(void **state)
{
    (void)state;
    int64_t got;

    assert_true(parse_exact("2020-02-29", &got));
    assert_false(parse_exact("2021-02-29", &got));
    assert_true(parse_exact("2000-02-29", &got));  /* divisible by 400 */
    assert_false(parse_exact("1900-02-29", &got)); /* by 100, not 400 */
    assert_true(parse_exact("2024-02-29T23:59:59Z", &got));
    assert_int_equal(got, time_from_utc(2024, 2, 29, 23, 59, 59));
    assert_false(parse_exact("2023-02-29T00:00:00Z", &got));
    assert_true(parse_exact("29 Feb 2024 12:00 GMT", &got));
    assert_false(parse_exact("29 Feb 2023 12:00 GMT", &got));
}

static void
test_parse_in_zone(void **state)
{
    (void)state;
    int64_t got = SENTINEL;

    /* A zoneless date takes the default zone... */
    assert_true(time_parse_in_zone("2025-03-04 08:45:00", 19800, &got));
    assert_int_equal(got, INT64_C(1741077900) - 19800);
    assert_true(time_parse_in_zone("2022-01-10", -28800, &got));
    assert_int_equal(got, INT64_C(1641772800) + 28800);
    assert_true(time_parse_in_zone("Mon, 10 Jan 2022 00:00:00", -28800, &got));
    assert_int_equal(got, T0);
    /* ...but an explicit zone wins, and epochs are absolute. */
    assert_true(time_parse_in_zone("2022-01-10T08:00:00Z", 19800, &got));
    assert_int_equal(got, T0);
    assert_true(time_parse_in_zone("2022-01-10T08:00:00+00:00", 3600, &got));
    assert_int_equal(got, T0);
    assert_true(time_parse_in_zone("1641801600", 19800, &got));
    assert_int_equal(got, T0);
    got = SENTINEL;
    assert_false(time_parse_in_zone("2022-02-30", 0, &got));
    assert_int_equal(got, SENTINEL);
}

static void
test_zone_parse(void **state)
{
    (void)state;
    int32_t off = 12345;

    assert_true(time_zone_parse("UTC", &off));
    assert_int_equal(off, 0);
    assert_true(time_zone_parse(" gmt ", &off));
    assert_int_equal(off, 0);
    assert_true(time_zone_parse("EST", &off));
    assert_int_equal(off, -5 * 3600);
    assert_true(time_zone_parse("PDT", &off));
    assert_int_equal(off, -7 * 3600);
    assert_true(time_zone_parse("+05:30", &off));
    assert_int_equal(off, 19800);
    assert_true(time_zone_parse("-0800", &off));
    assert_int_equal(off, -28800);
    assert_true(time_zone_parse("+05", &off));
    assert_int_equal(off, 18000);
    off = 12345;
    assert_false(time_zone_parse("", &off));
    assert_false(time_zone_parse("Asia/Kolkata", &off));
    assert_false(time_zone_parse("+5", &off));
    assert_false(time_zone_parse("UTC+1", &off));
    assert_false(time_zone_parse("+25:00", &off));
    assert_int_equal(off, 12345);
}

static void
test_is_plausible(void **state)
{
    (void)state;
    const int64_t now = INT64_C(1641816000); /* 2022-01-10T12:00:00Z */

    assert_false(time_is_plausible(0, now)); /* the NewsAPI placeholder */
    assert_false(time_is_plausible(INT64_C(631151999), now));
    assert_true(time_is_plausible(INT64_C(631152000), now)); /* 1990 */
    assert_true(time_is_plausible(now, now));
    assert_true(time_is_plausible(now + 86400, now));
    assert_false(time_is_plausible(now + 86401, now));
    assert_false(time_is_plausible(INT64_MIN, now));
    assert_true(time_is_plausible(INT64_MAX, INT64_MAX));
    assert_false(time_is_plausible(INT64_MAX, now));
}

static void
test_from_utc(void **state)
{
    (void)state;
    assert_int_equal(time_from_utc(1970, 1, 1, 0, 0, 0), 0);
    assert_int_equal(time_from_utc(2022, 1, 10, 8, 0, 0), T0);
    assert_int_equal(time_from_utc(2000, 2, 29, 12, 0, 0), INT64_C(951825600));
    assert_int_equal(time_from_utc(1950, 6, 1, 12, 0, 0), INT64_C(-618062400));
    assert_int_equal(time_from_utc(1600, 3, 1, 0, 0, 0), INT64_C(-11670912000));
    assert_int_equal(time_from_utc(1, 1, 1, 0, 0, 0), INT64_C(-62135596800));
    assert_int_equal(time_from_utc(9999, 12, 31, 23, 59, 59),
                     INT64_C(253402300799));
    assert_int_equal(time_from_utc(2100, 3, 1, 0, 0, 0), INT64_C(4107542400));
    assert_int_equal(time_from_utc(1969, 12, 31, 23, 59, 59), -1);
    /* out-of-range fields carry over */
    assert_int_equal(time_from_utc(2021, 13, 1, 0, 0, 0),
                     time_from_utc(2022, 1, 1, 0, 0, 0));
    assert_int_equal(time_from_utc(2022, 0, 1, 0, 0, 0),
                     time_from_utc(2021, 12, 1, 0, 0, 0));
    assert_int_equal(time_from_utc(2022, -11, 1, 0, 0, 0),
                     time_from_utc(2021, 1, 1, 0, 0, 0));
    assert_int_equal(time_from_utc(2022, 1, 10, 24, 0, 0), INT64_C(1641859200));
}

static void
check_iso(int64_t t, const char *want)
{
    char buf[TIME_ISO_SIZE];
    memset(buf, 'x', sizeof(buf));
    time_format_iso(t, buf, sizeof(buf));
    assert_string_equal(buf, want);
}

static void
test_format_iso(void **state)
{
    (void)state;
    check_iso(0, "1970-01-01T00:00:00Z");
    check_iso(T0, "2022-01-10T08:00:00Z");
    check_iso(-1, "1969-12-31T23:59:59Z");
    check_iso(INT64_C(951825600), "2000-02-29T12:00:00Z");
    check_iso(INT64_C(4107542400), "2100-03-01T00:00:00Z");
    check_iso(INT64_C(2147483648), "2038-01-19T03:14:08Z");
    check_iso(INT64_C(253402300799), "9999-12-31T23:59:59Z");
    check_iso(INT64_C(-62135596800), "0001-01-01T00:00:00Z");

    /* truncation always terminates, and bufsize 0 writes nothing */
    char small[11];
    time_format_iso(T0, small, sizeof(small));
    assert_string_equal(small, "2022-01-10");
    char untouched[4] = "abc";
    time_format_iso(T0, untouched, 0);
    assert_string_equal(untouched, "abc");

    /* extremes must not crash or overflow (UBSan watches) */
    char buf[TIME_ISO_SIZE];
    time_format_iso(INT64_MIN, buf, sizeof(buf));
    assert_true(strlen(buf) > 0 && strlen(buf) < sizeof(buf) - 1);
    time_format_iso(INT64_MAX, buf, sizeof(buf));
    assert_true(strlen(buf) > 0 && strlen(buf) < sizeof(buf) - 1);
}

/* format -> parse is the identity over years 1-9999. */
static void
test_iso_round_trip(void **state)
{
    (void)state;
    const int64_t lo = INT64_C(-62135596800);
    const int64_t span = INT64_C(253402300799) - lo;
    uint64_t x = 88172645463325252u;

    for (int i = 0; i < 20000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        int64_t t = lo + (int64_t)(x % (uint64_t)span);
        char buf[TIME_ISO_SIZE];
        int64_t back = SENTINEL;
        time_format_iso(t, buf, sizeof(buf));
        if (!parse_exact(buf, &back) || back != t)
            fail_msg("%lld -> %s -> %lld", (long long)t, buf, (long long)back);
    }
}

static void
check_rel(int64_t pub, int64_t now, const char *want)
{
    char buf[TIME_LABEL_SIZE];
    memset(buf, 'x', sizeof(buf));
    time_format_relative(pub, now, buf, sizeof(buf));
    if (strcmp(buf, want) != 0) {
        fail_msg("pub %lld now %lld: \"%s\", want \"%s\"", (long long)pub,
                 (long long)now, buf, want);
    }
}

static void
test_relative_recent(void **state)
{
    (void)state;
    const int64_t now = INT64_C(1641816000); /* 2022-01-10T12:00:00Z */
    set_tz("UTC");

    check_rel(now, now, "just now");
    check_rel(now - 59, now, "just now");
    check_rel(now - 60, now, "1 min ago");
    check_rel(now - 119, now, "1 min ago");
    check_rel(now - 120, now, "2 min ago");
    check_rel(now - 3599, now, "59 min ago");
    check_rel(now - 3600, now, "1 h ago");
    check_rel(now - 86399, now, "23 h ago");
    /* a little in the future is clock skew: still "just now" */
    check_rel(now + 1, now, "just now");
    check_rel(now + 299, now, "just now");
    check_rel(now + 300, now, "10 Jan");
    /* under 24 h wins over the calendar: 23.5 h back is yesterday's date */
    check_rel(INT64_C(1641690000), INT64_C(1641774600), "23 h ago");
}

static void
test_relative_days(void **state)
{
    (void)state;
    const int64_t now = INT64_C(1641816000); /* 2022-01-10T12:00:00Z */
    set_tz("UTC");

    check_rel(now - 86400, now, "yesterday");
    check_rel(INT64_C(1641688200), now, "yesterday");  /* 9 Jan 00:30 */
    check_rel(INT64_C(1641643200), now, "2 days ago"); /* 8 Jan 12:00 */
    /* 37 h, but two calendar days: 8 Jan 20:00 seen on 10 Jan 09:00 */
    check_rel(INT64_C(1641672000), INT64_C(1641805200), "2 days ago");
    check_rel(INT64_C(1641297600), now, "6 days ago"); /* 4 Jan 12:00 */
    check_rel(INT64_C(1641254400), now, "6 days ago"); /* 4 Jan 00:00 */
    check_rel(INT64_C(1641254399), now, "3 Jan");      /* 3 Jan 23:59:59 */
    check_rel(INT64_C(1641211200), now, "3 Jan");      /* 7 days */
    check_rel(INT64_C(1640995200), now, "1 Jan");
    check_rel(INT64_C(1640433600), now, "25 Dec 2021"); /* other year */
    check_rel(INT64_C(1520861416), now, "12 Mar 2018"); /* never 1,400 days */
    check_rel(INT64_C(1906545600), now, "1 Jun 2030");  /* far future */
    check_rel(INT64_C(1641801600), INT64_C(1647345600), "10 Jan");
}

/* "yesterday" follows the local calendar, which TZ decides. */
static void
test_relative_local_midnight(void **state)
{
    (void)state;
    /* 9 Jan 18:00Z -> 10 Jan 19:00Z... in Kolkata 8 Jan 23:30 -> 10 Jan
     * 00:30: 25 h apart but two local dates back. */
    const int64_t pub = INT64_C(1641664800); /* 2022-01-08T18:00:00Z */
    const int64_t now = INT64_C(1641754800); /* 2022-01-09T19:00:00Z */

    set_tz("UTC");
    check_rel(pub, now, "yesterday");
    set_tz("Asia/Kolkata");
    check_rel(pub, now, "2 days ago");

    /* New York is behind: 8 Jan 19:30 -> 10 Jan 07:00 local */
    const int64_t pub2 = INT64_C(1641688200); /* 2022-01-09T00:30:00Z */
    const int64_t now2 = INT64_C(1641816000); /* 2022-01-10T12:00:00Z */
    set_tz("UTC");
    check_rel(pub2, now2, "yesterday");
    set_tz("America/New_York");
    check_rel(pub2, now2, "2 days ago");

    /* The absolute date and its year are local too: 31 Dec 20:00Z is
     * 1 Jan 01:30 in Kolkata. */
    const int64_t nye = INT64_C(1640980800);
    const int64_t march = INT64_C(1647345600); /* 2022-03-15T12:00:00Z */
    set_tz("UTC");
    check_rel(nye, march, "31 Dec 2021");
    set_tz("Asia/Kolkata");
    check_rel(nye, march, "1 Jan");

    /* A 25-hour day (DST ends 7 Nov 2021 in New York): 00:10 EDT to
     * 23:30 EST is over 24 h yet the same date, so not "yesterday". */
    set_tz("America/New_York");
    check_rel(INT64_C(1636258200), INT64_C(1636345800), "24 h ago");
    set_tz("UTC");
}

static void
test_relative_edges(void **state)
{
    (void)state;
    char buf[TIME_LABEL_SIZE];
    set_tz("UTC");

    /* Absurd inputs give a date, never arithmetic overflow. */
    time_format_relative(INT64_MIN, INT64_C(1641816000), buf, sizeof(buf));
    assert_non_null(strchr(buf, ' '));
    assert_null(strstr(buf, "ago"));
    time_format_relative(INT64_MAX, INT64_MIN, buf, sizeof(buf));
    assert_null(strstr(buf, "ago"));
    time_format_relative(INT64_MIN, INT64_MAX, buf, sizeof(buf));
    assert_null(strstr(buf, "ago"));

    char small[5];
    time_format_relative(100, 100, small, sizeof(small));
    assert_string_equal(small, "just");
    char untouched[4] = "abc";
    time_format_relative(100, 100, untouched, 0);
    assert_string_equal(untouched, "abc");
}

static void
test_clock(void **state)
{
    (void)state;
    char buf[TIME_LABEL_SIZE];

    set_tz("UTC");
    time_format_clock(T0, buf, sizeof(buf));
    assert_string_equal(buf, "08:00");
    time_format_clock(INT64_C(1641847500), buf, sizeof(buf));
    assert_string_equal(buf, "20:45");
    time_format_clock(INT64_C(1641772800), buf, sizeof(buf));
    assert_string_equal(buf, "00:00");

    set_tz("Asia/Kolkata"); /* +05:30, no DST */
    time_format_clock(T0, buf, sizeof(buf));
    assert_string_equal(buf, "13:30");
    time_format_clock(INT64_C(1641847500), buf, sizeof(buf));
    assert_string_equal(buf, "02:15"); /* past local midnight */
    time_format_clock(INT64_C(1641772800), buf, sizeof(buf));
    assert_string_equal(buf, "05:30");
    set_tz("UTC");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_iso),
        cmocka_unit_test(test_parse_rfc822),
        cmocka_unit_test(test_parse_epoch),
        cmocka_unit_test(test_parse_rejects),
        cmocka_unit_test(test_parse_leap_years),
        cmocka_unit_test(test_parse_in_zone),
        cmocka_unit_test(test_zone_parse),
        cmocka_unit_test(test_is_plausible),
        cmocka_unit_test(test_from_utc),
        cmocka_unit_test(test_format_iso),
        cmocka_unit_test(test_iso_round_trip),
        cmocka_unit_test(test_relative_recent),
        cmocka_unit_test(test_relative_days),
        cmocka_unit_test(test_relative_local_midnight),
        cmocka_unit_test(test_relative_edges),
        cmocka_unit_test(test_clock),
    };
    return cmocka_run_group_tests_name("timefmt", tests, NULL, NULL);
}
