/*
 * clock: the one place the program reads time (besides SDL's own pacing).
 *
 * Monotonic time drives animation, poll schedules and waits; the wall clock
 * labels news. Normally both are the system's. With NEWSWIRE_TIME_SCALE=N
 * (a test hook, 1 to 1000) both run N times faster from the moment
 * clock_init() is called: a 24-hour soak takes minutes and a 10 s poll
 * interval passes in 1 s, while every core function still just receives
 * "now" as a parameter. libcurl's own timeouts stay in real seconds.
 *
 * clock_init() runs once in main() before any thread starts; after that
 * every function here is safe from any thread.
 */
#ifndef CLOCK_H
#define CLOCK_H

#include <stdint.h>
#include <time.h>

/* Reads NEWSWIRE_TIME_SCALE. Returns -1 with a message in err when it is
 * set but not a whole number from 1 to 1000. */
int clock_init(char *err, size_t errlen);
int clock_scale(void);

int64_t clock_mono_ns(void); /* scaled monotonic time */
int64_t clock_mono_ms(void);
int64_t clock_wall_s(void);      /* scaled wall clock, Unix seconds */
int64_t clock_real_wall_s(void); /* the system's wall clock, unscaled */

/* Real milliseconds until the scaled monotonic time mono_ms, clamped to
 * [0, max_ms]: for waits that take a relative real timeout. */
int clock_real_wait_ms(int64_t mono_ms, int max_ms);
/* Sleeps until the scaled monotonic time mono_ns. */
void clock_sleep_until_ns(int64_t mono_ns);

#endif
