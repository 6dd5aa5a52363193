/* log: see log.h. */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>

#include "log.h"

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static LogLevel log_level = LOG_INFO; /* [log_lock] */

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
        fprintf(stderr, "newswire: %s: %s\n", LEVEL_NAMES[level], line);
        fflush(stderr);
    }
    pthread_mutex_unlock(&log_lock);
}
