/*
 * log: levelled logging to stderr, one whole line per call (journald adds
 * the time stamp). Safe from any thread: an internal mutex keeps lines from
 * interleaving.
 */
#ifndef LOG_H
#define LOG_H

#include <stdbool.h>

typedef enum LogLevel { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG } LogLevel;

void log_set_level(LogLevel level);
void log_msg(LogLevel level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

/* "error", "warning" (or "warn"), "info", "debug"; false for anything else. */
bool log_parse_level(const char *s, LogLevel *out);
const char *log_level_name(LogLevel level);

/* Starts each line with its syslog priority ("<4>"), which journald turns
 * into the entry's priority; for when stderr is the journal. */
void log_set_priority_prefix(bool on);

/*
 * A failure that repeats (a socket that cannot be bound, a command that
 * keeps failing) is logged when it starts, when its message changes and
 * when it ends, not on every retry. One latch per source of failure, used
 * by one thread.
 */
typedef struct LogLatch {
    bool failing;
    unsigned long repeats; /* failures reported since the line was logged */
    char msg[256];
} LogLatch;

/* Reports a failure; logs a line only when it is new or its text changed. */
void log_fail(LogLatch *l, LogLevel level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Reports success; logs one info line ("<text> (after N failures)") only
 * when the latch was failing. */
void log_recovered(LogLatch *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
