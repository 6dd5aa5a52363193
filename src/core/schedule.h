/*
 * schedule: when the screen is on, per weekday, in local time.
 *
 * Each weekday has a spec:
 *   on                       on all day (the default)
 *   off                      off all day
 *   HH:MM-HH:MM[,HH:MM-HH:MM] on during these spans (at most 4)
 * A span whose end is at or before its start runs past midnight into the
 * next day ("22:00-02:00" on Friday is Friday 22:00 to Saturday 02:00);
 * "24:00" is the end of the day. Pure: the local weekday and time of day
 * are parameters, so tests can walk whole weeks in microseconds. Owns no
 * state; any thread may call it.
 */
#ifndef SCHEDULE_H
#define SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SCHEDULE_SPANS_MAX 4
#define SCHEDULE_SPEC_MAX 96 /* bytes of one day's spec, NUL included */
#define SCHEDULE_DAYS 7

typedef struct ScheduleSpan {
    int start_min; /* minutes after local midnight, 0-1439 */
    int end_min;   /* start_min < end_min <= start_min + 1440 */
} ScheduleSpan;

typedef struct ScheduleDay {
    ScheduleSpan spans[SCHEDULE_SPANS_MAX];
    int count;
} ScheduleDay;

typedef struct Schedule {
    ScheduleDay days[SCHEDULE_DAYS]; /* 0 = Monday ... 6 = Sunday */
} Schedule;

/* Parses one day's spec. On error returns -1 with a sentence in err that
 * quotes the offending part. */
int schedule_parse_day(const char *spec, ScheduleDay *out, char *err,
                       size_t errlen);

/* Parses seven specs, Monday first; the message names the day. */
int schedule_parse(Schedule *s, const char *const specs[SCHEDULE_DAYS],
                   char *err, size_t errlen);

/* weekday: 0 = Monday ... 6 = Sunday; sec_of_day: 0-86399 local time. */
bool schedule_is_on(const Schedule *s, int weekday, int sec_of_day);

/* True when every day is on all day: the schedule never blanks. */
bool schedule_always_on(const Schedule *s);

/* Seconds from (weekday, sec_of_day) until schedule_is_on() changes, or -1
 * when it never changes. */
int64_t schedule_next_change_s(const Schedule *s, int weekday, int sec_of_day);

/* "mon" ... "sun" (the config keys); "?" outside 0-6. */
const char *schedule_day_name(int weekday);

/* Monday-based weekday from struct tm's tm_wday (0 = Sunday). */
int schedule_weekday_from_tm(int tm_wday);

#endif
