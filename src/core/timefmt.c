/* timefmt: date parsing and time labels. See timefmt.h. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "timefmt.h"
#include "util.h"

#define SECS_PER_DAY INT64_C(86400)
/* Room for the longest name we match ("wednesday", "september") plus one,
 * so a longer word is rejected rather than cut. */
#define WORD_MAX 12

/* A broken-down time. The year is 64-bit so any int64 epoch fits. */
typedef struct Civil {
    int64_t year;
    int month; /* 1-12 */
    int day;   /* 1-31 */
    int hour;
    int min;
    int sec;
} Civil;

/* What the parsers read, before range checks. */
typedef struct Fields {
    int year;
    int month;
    int day;
    int hour;
    int min;
    int sec;
    bool frac_nonzero; /* a fraction with a non-zero digit: bars 24:00 */
    bool has_zone;
    int32_t offset_s; /* east of UTC; valid when has_zone */
} Fields;

typedef struct ZoneName {
    const char *name; /* lower case */
    int32_t offset_s;
} ZoneName;

/* RFC 822 section 5 / RFC 2822 section 4.3 names; RSS uses no others. */
static const ZoneName zone_names[] = {
    {"ut", 0},          {"utc", 0},         {"gmt", 0},
    {"z", 0},           {"est", -5 * 3600}, {"edt", -4 * 3600},
    {"cst", -6 * 3600}, {"cdt", -5 * 3600}, {"mst", -7 * 3600},
    {"mdt", -6 * 3600}, {"pst", -8 * 3600}, {"pdt", -7 * 3600},
};

static const char *const month_names[12] = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december",
};

static const char *const month_abbr[12] = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun",
    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

static const char *const weekday_names[7] = {
    "monday", "tuesday",  "wednesday", "thursday",
    "friday", "saturday", "sunday",
};

/*
 * Character classes are spelled out rather than taken from <ctype.h>: feed
 * text is UTF-8, and ctype on a negative char is undefined and
 * locale-dependent.
 */
static bool
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static char
to_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static bool
is_alpha(char c)
{
    char l = to_lower(c);
    return l >= 'a' && l <= 'z';
}

static bool
is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void
skip_spaces(const char **pp)
{
    while (is_space(**pp))
        (*pp)++;
}

/* One or more spaces. */
static bool
skip_spaces_req(const char **pp)
{
    if (!is_space(**pp))
        return false;
    skip_spaces(pp);
    return true;
}

static bool
eat(const char **pp, char c)
{
    if (**pp != c)
        return false;
    (*pp)++;
    return true;
}

/* Reads min_n to max_n digits (no more may follow). Small n: no overflow. */
static bool
read_digits(const char **pp, int min_n, int max_n, int *out)
{
    const char *p = *pp;
    int v = 0;
    int n = 0;

    while (n < max_n && is_digit(*p)) {
        v = v * 10 + (*p - '0');
        p++;
        n++;
    }
    if (n < min_n || is_digit(*p))
        return false;
    *out = v;
    *pp = p;
    return true;
}

/* Reads a run of ASCII letters into buf, lower-cased. 0 if none or too long. */
static size_t
read_word(const char **pp, char buf[WORD_MAX])
{
    const char *p = *pp;
    size_t n = 0;

    while (is_alpha(*p)) {
        if (n + 1 >= WORD_MAX)
            return 0;
        buf[n++] = to_lower(*p);
        p++;
    }
    buf[n] = '\0';
    *pp = p;
    return n;
}

/*
 * Matches a word against full names, accepting any prefix of at least three
 * letters: "Tue", "Tues", "Thurs", "Sept", "September".
 */
static int
match_name(const char *word, size_t len, const char *const *names, int count)
{
    if (len < 3)
        return -1;
    for (int i = 0; i < count; i++) {
        if (len <= strlen(names[i]) && memcmp(word, names[i], len) == 0)
            return i;
    }
    return -1;
}

/*
 * "+05:30", "-0800", "+05", or a name from zone_names; military letters
 * only where RFC 822 dates are parsed, so a stray letter after an ISO date
 * is an error rather than a zone.
 */
static bool
parse_zone(const char **pp, bool military, int32_t *offset_s)
{
    const char *p = *pp;

    if (*p == '+' || *p == '-') {
        int sign = *p == '-' ? -1 : 1;
        int n = 0;
        int hh;
        int mm = 0;

        p++;
        while (is_digit(p[n]))
            n++;
        if (n == 4 && read_digits(&p, 4, 4, &hh)) {
            mm = hh % 100;
            hh /= 100;
        } else if (n == 2 && read_digits(&p, 2, 2, &hh)) {
            if (eat(&p, ':') && !read_digits(&p, 2, 2, &mm))
                return false;
        } else {
            return false;
        }
        if (hh > 23 || mm > 59)
            return false;
        *offset_s = sign * (hh * 3600 + mm * 60);
        *pp = p;
        return true;
    }

    char word[WORD_MAX];
    size_t len = read_word(&p, word);
    if (len == 0)
        return false;
    for (size_t i = 0; i < ARRAY_LEN(zone_names); i++) {
        if (strcmp(word, zone_names[i].name) == 0) {
            *offset_s = zone_names[i].offset_s;
            *pp = p;
            return true;
        }
    }
    /* RFC 2822 4.3: military letters were defined with the wrong sign in
     * RFC 822, so they carry no reliable offset and count as +0000. */
    if (military && len == 1 && word[0] != 'j') {
        *offset_s = 0;
        *pp = p;
        return true;
    }
    return false;
}

/* hh:mm[:ss[.fff]]; the hour may have one digit only when lenient. */
static bool
parse_clock(const char **pp, bool lenient_hour, bool allow_frac, Fields *f)
{
    const char *p = *pp;

    if (!read_digits(&p, lenient_hour ? 1 : 2, 2, &f->hour))
        return false;
    if (!eat(&p, ':') || !read_digits(&p, 2, 2, &f->min))
        return false;
    f->sec = 0;
    f->frac_nonzero = false;
    if (eat(&p, ':')) {
        if (!read_digits(&p, 2, 2, &f->sec))
            return false;
        /* ISO 8601 allows a comma as the decimal sign. */
        if (allow_frac && (*p == '.' || *p == ',')) {
            p++;
            if (!is_digit(*p))
                return false;
            /* Any number of digits: they are checked, never accumulated. */
            while (is_digit(*p)) {
                if (*p != '0')
                    f->frac_nonzero = true;
                p++;
            }
        }
    }
    *pp = p;
    return true;
}

/* An optional zone, then only whitespace to the end. */
static bool
parse_tail(const char *p, bool rfc822, Fields *f)
{
    skip_spaces(&p);
    f->has_zone = false;
    if (*p == '\0')
        return true;
    if (!parse_zone(&p, rfc822, &f->offset_s))
        return false;
    f->has_zone = true;
    skip_spaces(&p);
    /* Mail-style "+0000 (UTC)" shows up in RSS written by mail libraries. */
    if (rfc822 && eat(&p, '(')) {
        while (*p != '\0' && *p != ')')
            p++;
        if (!eat(&p, ')'))
            return false;
        skip_spaces(&p);
    }
    return *p == '\0';
}

/* 2022-01-10[(T| +)08:00[:00[.123]]][ ][zone] */
static bool
parse_iso(const char *p, Fields *f)
{
    if (!read_digits(&p, 4, 4, &f->year) || !eat(&p, '-'))
        return false;
    if (!read_digits(&p, 2, 2, &f->month) || !eat(&p, '-'))
        return false;
    if (!read_digits(&p, 2, 2, &f->day))
        return false;

    f->hour = f->min = f->sec = 0;
    f->frac_nonzero = false;
    f->has_zone = false;
    if (*p == 'T' || *p == 't') {
        p++;
    } else {
        const char *sep = p;
        skip_spaces(&p);
        if (*p == '\0')
            return true; /* date only: midnight */
        if (p == sep)
            return false;
    }
    if (!parse_clock(&p, false, true, f))
        return false;
    return parse_tail(p, false, f);
}

/* [Mon[,]] 10 Jan[.] 2022 08:00[:00] [zone] [(comment)] */
static bool
parse_rfc822(const char *p, Fields *f)
{
    char word[WORD_MAX];
    size_t len;

    if (is_alpha(*p)) {
        /* The weekday is only checked for being a weekday: feeds often get
         * it wrong, and the date itself is what matters. */
        len = read_word(&p, word);
        if (match_name(word, len, weekday_names, 7) < 0)
            return false;
        skip_spaces(&p);
        eat(&p, ',');
        skip_spaces(&p);
    }
    if (!read_digits(&p, 1, 2, &f->day) || !skip_spaces_req(&p))
        return false;
    len = read_word(&p, word);
    f->month = match_name(word, len, month_names, 12) + 1;
    if (f->month == 0)
        return false;
    eat(&p, '.');
    if (!skip_spaces_req(&p))
        return false;

    const char *year_start = p;
    if (!read_digits(&p, 2, 4, &f->year) || p - year_start == 3)
        return false;
    if (p - year_start == 2)
        f->year += f->year < 50 ? 2000 : 1900; /* RFC 2822 4.3 */
    if (!skip_spaces_req(&p) || !parse_clock(&p, true, false, f))
        return false;
    return parse_tail(p, true, f);
}

static bool
is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int64_t y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30,
                                 31, 31, 30, 31, 30, 31};
    return (m == 2 && is_leap(y)) ? 29 : days[m - 1];
}

static bool
fields_valid(const Fields *f)
{
    if (f->month < 1 || f->month > 12)
        return false;
    if (f->day < 1 || f->day > days_in_month(f->year, f->month))
        return false;
    if (f->min > 59 || f->sec > 60)
        return false;
    if (f->hour == 24)
        return f->min == 0 && f->sec == 0 && !f->frac_nonzero;
    return f->hour <= 23;
}

/* Howard Hinnant's days_from_civil: days since 1970-01-01, any year. */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + (int64_t)d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* The inverse, plus the time of day. Valid for every int64 epoch. */
static void
civil_from_utc(int64_t unix_s, Civil *c)
{
    int64_t days = unix_s / SECS_PER_DAY;
    int64_t secs = unix_s % SECS_PER_DAY;
    if (secs < 0) {
        secs += SECS_PER_DAY;
        days--;
    }
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;

    c->day = (int)(doy - (153 * mp + 2) / 5 + 1);
    c->month = (int)(mp < 10 ? mp + 3 : mp - 9);
    c->year = yoe + era * 400 + (c->month <= 2);
    c->hour = (int)(secs / 3600);
    c->min = (int)(secs / 60 % 60);
    c->sec = (int)(secs % 60);
}

/*
 * Local time through localtime_r when the value fits this platform's time_t
 * (32-bit on Raspberry Pi OS); UTC otherwise, so labels never fail outright.
 */
static void
civil_from_local(int64_t unix_s, Civil *c)
{
    time_t t = (time_t)unix_s;
    struct tm tm;

    if ((int64_t)t == unix_s && localtime_r(&t, &tm) != NULL) {
        c->year = (int64_t)tm.tm_year + 1900;
        c->month = tm.tm_mon + 1;
        c->day = tm.tm_mday;
        c->hour = tm.tm_hour;
        c->min = tm.tm_min;
        c->sec = tm.tm_sec;
        return;
    }
    civil_from_utc(unix_s, c);
}

int64_t
time_from_utc(int year, int month, int day, int hour, int min, int sec)
{
    /* Carry months outside 1-12 into the year, flooring for negatives. */
    int64_t m0 = (int64_t)month - 1;
    int64_t y = (int64_t)year + (m0 >= 0 ? m0 / 12 : -((11 - m0) / 12));
    int m = (int)(m0 - (y - year) * 12) + 1;

    return days_from_civil(y, m, day) * SECS_PER_DAY + (int64_t)hour * 3600 +
           (int64_t)min * 60 + sec;
}

/* n digits, nothing else: 10 digits are seconds, 13 milliseconds. */
static bool
parse_epoch(const char *p, size_t n, int64_t *out_s)
{
    int64_t v = 0;

    if (n != 10 && n != 13)
        return false;
    /* At most 13 digits, so v stays below 10^13. */
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (p[i] - '0');
    *out_s = n == 13 ? v / 1000 : v;
    return true;
}

bool
time_parse_in_zone(const char *s, int32_t default_offset_s, int64_t *out_s)
{
    ASSERT(s != NULL && out_s != NULL);

    const char *p = s;
    skip_spaces(&p);

    size_t ndigits = 0;
    while (is_digit(p[ndigits]))
        ndigits++;
    const char *rest = p + ndigits;
    skip_spaces(&rest);
    if (ndigits > 0 && *rest == '\0')
        return parse_epoch(p, ndigits, out_s);

    Fields f;
    memset(&f, 0, sizeof(f));
    bool ok;
    if (ndigits == 4 && p[4] == '-')
        ok = parse_iso(p, &f);
    else
        ok = parse_rfc822(p, &f);
    if (!ok || !fields_valid(&f))
        return false;

    int32_t offset_s = f.has_zone ? f.offset_s : default_offset_s;
    *out_s =
        time_from_utc(f.year, f.month, f.day, f.hour, f.min, f.sec) - offset_s;
    return true;
}

bool
time_parse(const char *s, int64_t *out_s)
{
    return time_parse_in_zone(s, 0, out_s);
}

bool
time_zone_parse(const char *s, int32_t *offset_s)
{
    ASSERT(s != NULL && offset_s != NULL);

    const char *p = s;
    int32_t off;

    skip_spaces(&p);
    if (!parse_zone(&p, false, &off))
        return false;
    skip_spaces(&p);
    if (*p != '\0')
        return false;
    *offset_s = off;
    return true;
}

bool
time_is_plausible(int64_t unix_s, int64_t now_s)
{
    if (unix_s < TIME_MIN_PLAUSIBLE_S)
        return false;
    return now_s > INT64_MAX - TIME_MAX_FUTURE_S ||
           unix_s <= now_s + TIME_MAX_FUTURE_S;
}

void
time_format_iso(int64_t unix_s, char *buf, size_t bufsize)
{
    ASSERT(buf != NULL);
    if (bufsize == 0)
        return;

    Civil c;
    civil_from_utc(unix_s, &c);
    snprintf(buf, bufsize, "%04" PRId64 "-%02d-%02dT%02d:%02d:%02dZ", c.year,
             c.month, c.day, c.hour, c.min, c.sec);
}

/* "10 Jan", or "10 Jan 2022" when the year differs from now's. */
static void
format_date(int64_t published_s, int64_t now_s, char *buf, size_t bufsize)
{
    Civil pub;
    Civil now;

    civil_from_local(published_s, &pub);
    civil_from_local(now_s, &now);
    if (pub.year == now.year) {
        snprintf(buf, bufsize, "%d %s", pub.day, month_abbr[pub.month - 1]);
    } else {
        snprintf(buf, bufsize, "%d %s %" PRId64, pub.day,
                 month_abbr[pub.month - 1], pub.year);
    }
}

void
time_format_relative(int64_t published_s, int64_t now_s, char *buf,
                     size_t bufsize)
{
    ASSERT(buf != NULL);
    if (bufsize == 0)
        return;

    /* now_s - published_s would overflow for absurd inputs; those are
     * simply "long ago" or "far ahead", which the absolute date covers. */
    if ((published_s < 0 && now_s > INT64_MAX + published_s) ||
        (published_s > 0 && now_s < INT64_MIN + published_s)) {
        format_date(published_s, now_s, buf, bufsize);
        return;
    }
    int64_t age_s = now_s - published_s;

    if (age_s <= -5 * 60) {
        format_date(published_s, now_s, buf, bufsize);
        return;
    }
    if (age_s < 60) {
        snprintf(buf, bufsize, "just now");
        return;
    }
    if (age_s < 3600) {
        snprintf(buf, bufsize, "%d min ago", (int)(age_s / 60));
        return;
    }
    if (age_s < SECS_PER_DAY) {
        snprintf(buf, bufsize, "%d h ago", (int)(age_s / 3600));
        return;
    }

    /* Past a day, count local calendar days, so an item from 20:00 three
     * evenings ago reads "3 days ago" at 09:00, not "2 days ago". */
    Civil pub;
    Civil now;
    civil_from_local(published_s, &pub);
    civil_from_local(now_s, &now);
    int64_t days = days_from_civil(now.year, now.month, now.day) -
                   days_from_civil(pub.year, pub.month, pub.day);

    if (days <= 0 && age_s < 2 * SECS_PER_DAY) {
        /* Same local date over 24 h apart: a 25-hour day at a DST end. */
        snprintf(buf, bufsize, "%d h ago", (int)(age_s / 3600));
    } else if (days == 1) {
        snprintf(buf, bufsize, "yesterday");
    } else if (days >= 2 && days < 7) {
        snprintf(buf, bufsize, "%d days ago", (int)days);
    } else {
        format_date(published_s, now_s, buf, bufsize);
    }
}

void
time_format_clock(int64_t now_s, char *buf, size_t bufsize)
{
    ASSERT(buf != NULL);
    if (bufsize == 0)
        return;

    Civil c;
    civil_from_local(now_s, &c);
    snprintf(buf, bufsize, "%02d:%02d", c.hour, c.min);
}
