/* schedule: see schedule.h. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "schedule.h"
#include "util.h"

#define DAY_MIN 1440
#define DAY_S 86400

static const char *const DAY_NAMES[SCHEDULE_DAYS] = {"mon", "tue", "wed", "thu",
                                                     "fri", "sat", "sun"};

const char *
schedule_day_name(int weekday)
{
    return weekday >= 0 && weekday < SCHEDULE_DAYS ? DAY_NAMES[weekday] : "?";
}

int
schedule_weekday_from_tm(int tm_wday)
{
    return (tm_wday + 6) % 7;
}

static const char *
skip_spaces(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

/* "HH:MM" (one or two hour digits) into minutes; 24:00 only when
 * allow_24. Returns the end of the time, or NULL. */
static const char *
parse_hhmm(const char *s, bool allow_24, int *out_min)
{
    int h = 0, m = 0, digits = 0;
    while (*s >= '0' && *s <= '9' && digits < 2) {
        h = h * 10 + (*s++ - '0');
        digits++;
    }
    if (!digits || *s != ':')
        return NULL;
    s++;
    for (int i = 0; i < 2; i++) {
        if (*s < '0' || *s > '9')
            return NULL;
        m = m * 10 + (*s++ - '0');
    }
    if (m > 59 || h > 24 || (h == 24 && (m != 0 || !allow_24)))
        return NULL;
    *out_min = h * 60 + m;
    return s;
}

static bool
word_is(const char *spec, const char *word)
{
    const char *s = skip_spaces(spec);
    size_t n = strlen(word);
    return !strncasecmp(s, word, n) && !*skip_spaces(s + n);
}

int
schedule_parse_day(const char *spec, ScheduleDay *out, char *err, size_t errlen)
{
    ScheduleDay d = {0};
    if (word_is(spec, "on")) {
        d.spans[0] = (ScheduleSpan){0, DAY_MIN};
        d.count = 1;
        *out = d;
        return 0;
    }
    if (word_is(spec, "off")) {
        *out = d;
        return 0;
    }
    const char *s = skip_spaces(spec);
    if (!*s) {
        util_errf(err, errlen,
                  "empty schedule (use on, off or HH:MM-HH:MM spans)");
        return -1;
    }
    for (;;) {
        const char *span_start = s;
        int a, b;
        const char *p = parse_hhmm(s, false, &a);
        if (p) {
            p = skip_spaces(p);
            p = *p == '-' ? parse_hhmm(skip_spaces(p + 1), true, &b) : NULL;
        }
        if (!p) {
            size_t n = strcspn(span_start, ",");
            util_errf(err, errlen,
                      "'%.*s' is not a span HH:MM-HH:MM (or on, off)",
                      (int)MIN(n, (size_t)40), span_start);
            return -1;
        }
        if (d.count == SCHEDULE_SPANS_MAX) {
            util_errf(err, errlen, "more than %d spans in one day",
                      SCHEDULE_SPANS_MAX);
            return -1;
        }
        if (b <= a) /* runs past midnight into the next day */
            b += DAY_MIN;
        d.spans[d.count++] = (ScheduleSpan){a, b};
        s = skip_spaces(p);
        if (!*s)
            break;
        if (*s != ',') {
            util_errf(err, errlen, "unexpected '%.20s' after a span", s);
            return -1;
        }
        s = skip_spaces(s + 1);
    }
    *out = d;
    return 0;
}

int
schedule_parse(Schedule *s, const char *const specs[SCHEDULE_DAYS], char *err,
               size_t errlen)
{
    Schedule tmp;
    for (int i = 0; i < SCHEDULE_DAYS; i++) {
        char msg[160];
        if (schedule_parse_day(specs[i], &tmp.days[i], msg, sizeof(msg)) < 0) {
            util_errf(err, errlen, "schedule.%s: %s", DAY_NAMES[i], msg);
            return -1;
        }
    }
    *s = tmp;
    return 0;
}

/* Minute-resolution check at a whole-second time; spans cover
 * [start, end) in seconds. */
bool
schedule_is_on(const Schedule *s, int weekday, int sec_of_day)
{
    ASSERT(weekday >= 0 && weekday < SCHEDULE_DAYS);
    ASSERT(sec_of_day >= 0 && sec_of_day < DAY_S);
    const ScheduleDay *today = &s->days[weekday];
    for (int i = 0; i < today->count; i++) {
        if (sec_of_day >= today->spans[i].start_min * 60 &&
            sec_of_day < today->spans[i].end_min * 60)
            return true;
    }
    const ScheduleDay *yday = &s->days[(weekday + 6) % 7];
    for (int i = 0; i < yday->count; i++) {
        if (yday->spans[i].end_min > DAY_MIN &&
            sec_of_day < (yday->spans[i].end_min - DAY_MIN) * 60)
            return true;
    }
    return false;
}

bool
schedule_always_on(const Schedule *s)
{
    for (int d = 0; d < SCHEDULE_DAYS; d++) {
        for (int sec = 0; sec < DAY_S; sec += 60) {
            if (!schedule_is_on(s, d, sec))
                return false;
        }
    }
    return true;
}

int64_t
schedule_next_change_s(const Schedule *s, int weekday, int sec_of_day)
{
    bool now_on = schedule_is_on(s, weekday, sec_of_day);
    /* State changes only on whole minutes; look a little over a week. */
    int64_t t = (int64_t)(sec_of_day / 60 + 1) * 60;
    int64_t limit = (int64_t)sec_of_day + 8 * (int64_t)DAY_S;
    for (; t <= limit; t += 60) {
        int d = (int)((weekday + t / DAY_S) % SCHEDULE_DAYS);
        if (schedule_is_on(s, d, (int)(t % DAY_S)) != now_on)
            return t - sec_of_day;
    }
    return -1;
}
