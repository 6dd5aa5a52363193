/*
 * pacing: measures the display's real refresh interval from present
 * timestamps. SDL reports refresh rates as whole hertz (59.94 Hz shows up
 * as 59 or 60), and the crawl needs the true rate to move a whole number
 * of pixels per refresh. Pure: timestamps are passed in. Render thread.
 */
#ifndef PACING_H
#define PACING_H

#include <stdint.h>

#define PACING_SAMPLES 120

typedef struct RefreshMeter {
    int64_t last_ns;
    int64_t intervals_ns[PACING_SAMPLES];
    int count;
    int skip; /* the first presents after start are irregular */
} RefreshMeter;

void refresh_meter_init(RefreshMeter *m);
/* Adds one present time. Returns the measured rate in millihertz once
 * PACING_SAMPLES intervals are in (and only then, once), else 0. The rate
 * is the median interval, so stalls and dropped frames do not skew it;
 * 0 is also returned when the intervals are too irregular to trust. */
int refresh_meter_add(RefreshMeter *m, int64_t present_ns);

#endif
