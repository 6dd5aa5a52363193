/*
 * timefmt: dates as feeds write them, and the labels the screen shows.
 *
 * Parses RFC 3339 / ISO 8601, RFC 822/1123/2822 (RSS) and Unix epoch strings
 * to 64-bit Unix seconds UTC, and formats times for story cards and the
 * on-screen clock. Nothing here reads a clock: "now" is always a parameter.
 * Epochs are int64_t everywhere because time_t is 32-bit on Raspberry Pi OS.
 * Owns no state; any thread may call it. Local-time formatting follows the
 * TZ environment variable (via localtime_r), so set TZ before threads start.
 */
#ifndef TIMEFMT_H
#define TIMEFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A buffer this size always holds time_format_iso output, any input. */
#define TIME_ISO_SIZE 32
/* A buffer this size always holds relative labels and the clock. */
#define TIME_LABEL_SIZE 32
/* 1990-01-01T00:00:00Z: older dates are placeholders (NewsAPI uses 1970). */
#define TIME_MIN_PLAUSIBLE_S INT64_C(631152000)
/* How far in the future a date may lie before it counts as bad data. */
#define TIME_MAX_FUTURE_S INT64_C(86400)

/*
 * Parses a date as feeds write it, to Unix seconds UTC. Accepts RFC 3339 /
 * ISO 8601 ("2022-01-10T08:00:00Z", with fractional seconds, with +05:30 /
 * -0800 / +05 offsets, lower-case t/z, a space instead of T, no zone = UTC,
 * date only "2022-01-10" = midnight UTC), RFC 822/1123/2822 as RSS writes it
 * ("Mon, 10 Jan 2022 08:00:00 GMT", without weekday, 2-digit years, seconds
 * optional, zones GMT UT UTC Z EST EDT CST CDT MST MDT PST PDT and
 * +hhmm/-hhmm, and the common wrong forms: a wrong weekday name, extra
 * spaces, "Jan."), and Unix epoch numbers as strings (10 digits seconds;
 * 13 digits milliseconds). Range-checks every field (month 1-12, day valid
 * for the month incl. leap years, hour 0-23 or 24:00:00, minute, second
 * 0-60). Returns false for anything else; never reads past the NUL.
 *
 * Details: fractional seconds are truncated; second 60 (a leap second) lands
 * on the next minute, as POSIX time has no leap seconds; RFC 2822 military
 * zone letters count as +0000 (RFC 2822 section 4.3); 2-digit years 00-49
 * are 20xx and 50-99 are 19xx; surrounding whitespace is ignored.
 * *out_s is written only on success.
 */
bool time_parse(const char *s, int64_t *out_s);

/*
 * Like time_parse, but a date that carries no zone is taken to be in a zone
 * default_offset_s seconds east of UTC (for feeds that send the zone in a
 * separate field, e.g. NewsData's pubDateTZ). Epoch strings are absolute.
 */
bool time_parse_in_zone(const char *s, int32_t default_offset_s,
                        int64_t *out_s);

/*
 * Parses a zone as a whole string: the named zones time_parse knows (UTC,
 * GMT, EST, ...) or a numeric offset (+05:30, -0800, +05). Gives seconds
 * east of UTC. IANA names such as "Asia/Kolkata" are not understood.
 */
bool time_zone_parse(const char *s, int32_t *offset_s);

/*
 * Whether a parsed date can be believed: not before 1990 and not more than
 * a day after now_s. Callers keep a story with an implausible date but
 * treat its date as unknown.
 */
bool time_is_plausible(int64_t unix_s, int64_t now_s);

/* Writes "2022-01-10T08:00:00Z" (UTC). Truncates to bufsize. */
void time_format_iso(int64_t unix_s, char *buf, size_t bufsize);

/*
 * The label a story card shows for its publish time, relative to now_s:
 * future by under 5 minutes or past under 1 minute -> "just now"; under
 * 1 hour -> "N min ago"; under 24 h -> "N h ago"; previous local calendar
 * day -> "yesterday"; up to 6 local calendar days back -> "N days ago";
 * older (or more than 5 min in the future) -> an absolute local date:
 * "10 Jan" when in the same year as now, else "10 Jan 2022". Never
 * "1,420 days ago". Truncates to bufsize.
 */
void time_format_relative(int64_t published_s, int64_t now_s, char *buf,
                          size_t bufsize);

/* Local wall clock "HH:MM" for the on-screen clock (24 h). */
void time_format_clock(int64_t now_s, char *buf, size_t bufsize);

/*
 * Days-from-civil helper, exposed for tests: Unix seconds of y-m-d h:m:s UTC
 * in the proleptic Gregorian calendar. Fields outside their usual range carry
 * over (month 13 is January of the next year, hour 24 the next midnight).
 */
int64_t time_from_utc(int year, int month, int day, int hour, int min, int sec);

#endif
