/* clock: scaled monotonic and wall time. See clock.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "util.h"

/* Set once by clock_init() before threads exist, read-only afterwards. */
static int g_scale = 1;
static int64_t g_real0_ns; /* real monotonic time at clock_init() */
static int64_t g_wall0_s;  /* real wall clock at clock_init() */

static int64_t
real_mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int
clock_init(char *err, size_t errlen)
{
    const char *env = getenv("NEWSWIRE_TIME_SCALE");
    g_real0_ns = real_mono_ns();
    g_wall0_s = (int64_t)time(NULL);
    if (!env || !*env)
        return 0;
    char *end;
    errno = 0;
    long v = strtol(env, &end, 10);
    if (errno || *end || v < 1 || v > 1000) {
        util_errf(err, errlen,
                  "NEWSWIRE_TIME_SCALE=%s: expected a whole number from 1 to "
                  "1000",
                  env);
        return -1;
    }
    g_scale = (int)v;
    return 0;
}

int
clock_scale(void)
{
    return g_scale;
}

int64_t
clock_mono_ns(void)
{
    int64_t now = real_mono_ns();
    if (g_scale == 1)
        return now;
    /* Continuous at clock_init(): times taken before it stay valid. */
    return g_real0_ns + (now - g_real0_ns) * g_scale;
}

int64_t
clock_mono_ms(void)
{
    return clock_mono_ns() / 1000000;
}

int64_t
clock_wall_s(void)
{
    if (g_scale == 1)
        return (int64_t)time(NULL);
    return g_wall0_s + (clock_mono_ns() - g_real0_ns) / 1000000000;
}

int64_t
clock_real_wall_s(void)
{
    return (int64_t)time(NULL);
}

int
clock_real_wait_ms(int64_t mono_ms, int max_ms)
{
    int64_t left = mono_ms - clock_mono_ms();
    if (left <= 0)
        return 0;
    left = (left + g_scale - 1) / g_scale;
    return (int)MIN(left, (int64_t)max_ms);
}

void
clock_sleep_until_ns(int64_t mono_ns)
{
    int64_t real = mono_ns;
    if (g_scale != 1)
        real = g_real0_ns + (mono_ns - g_real0_ns) / g_scale;
    struct timespec ts = {(time_t)(real / 1000000000),
                          (long)(real % 1000000000)};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
        ;
}
