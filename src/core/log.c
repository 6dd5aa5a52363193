/* log: see log.h. */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "log.h"

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static LogLevel log_level = LOG_INFO; /* [log_lock] */
static bool log_prefix = false;       /* [log_lock] */

static const char *const LEVEL_NAMES[] = {"error", "warning", "info", "debug"};

void
log_set_level(LogLevel level)
{
    pthread_mutex_lock(&log_lock);
    log_level = level;
    pthread_mutex_unlock(&log_lock);
}

void
log_msg(LogLevel level, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    pthread_mutex_lock(&log_lock);
    if (level <= log_level) {
        static const char SYSLOG_PRIORITY[] = {'3', '4', '6', '7'};
        if (log_prefix)
            fprintf(stderr, "<%c>", SYSLOG_PRIORITY[level]);
        fprintf(stderr, "newswire: %s: %s\n", LEVEL_NAMES[level], line);
        fflush(stderr);
    }
    pthread_mutex_unlock(&log_lock);
}

bool
log_parse_level(const char *s, LogLevel *out)
{
    for (int i = 0; i <= LOG_DEBUG; i++) {
        if (!strcasecmp(s, LEVEL_NAMES[i])) {
            *out = (LogLevel)i;
            return true;
        }
    }
    if (!strcasecmp(s, "warn")) {
        *out = LOG_WARN;
        return true;
    }
    return false;
}

const char *
log_level_name(LogLevel level)
{
    return level >= LOG_ERROR && level <= LOG_DEBUG ? LEVEL_NAMES[level] : "?";
}

void
log_set_priority_prefix(bool on)
{
    pthread_mutex_lock(&log_lock);
    log_prefix = on;
    pthread_mutex_unlock(&log_lock);
}

void
log_fail(LogLatch *l, LogLevel level, const char *fmt, ...)
{
    char msg[sizeof(l->msg)];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (!l->failing || strcmp(msg, l->msg) != 0) {
        log_msg(level, "%s", msg);
        memcpy(l->msg, msg, sizeof(msg));
    }
    l->failing = true;
    l->repeats++;
}

void
log_recovered(LogLatch *l, const char *fmt, ...)
{
    if (!l->failing)
        return;
    char msg[sizeof(l->msg)];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    log_msg(LOG_INFO, "%s (after %lu failure%s)", msg, l->repeats,
            l->repeats == 1 ? "" : "s");
    l->failing = false;
    l->repeats = 0;
    l->msg[0] = '\0';
}
