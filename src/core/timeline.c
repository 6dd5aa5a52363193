/* timeline: crawl distance and card rotation from time. See timeline.h. */
#include "timeline.h"
#include "util.h"

int64_t
timeline_floor_mod(int64_t a, int64_t m)
{
    int64_t r = a % m;
    return r < 0 ? r + m : r;
}

int64_t
timeline_floor_div(int64_t a, int64_t m)
{
    return (a - timeline_floor_mod(a, m)) / m;
}

int
timeline_crawl_step(int speed_px_s, int refresh_mhz)
{
    if (speed_px_s <= 0 || refresh_mhz <= 0)
        return 0;
    int64_t step = ((int64_t)speed_px_s * 1000 + refresh_mhz / 2) / refresh_mhz;
    return (int)MAX(step, 1);
}

int64_t
timeline_refreshes(int64_t t_ms, int refresh_mhz)
{
    /* round(t_ms * mhz / 1e6); t_ms * mhz stays below 2^63 for 1,000
     * years at 240 Hz. */
    return timeline_floor_div(t_ms * refresh_mhz + 500000, 1000000);
}

int64_t
timeline_crawl_px(int64_t t_ms, int step_px, int refresh_mhz)
{
    return timeline_refreshes(t_ms, refresh_mhz) * step_px;
}

int64_t
timeline_crawl_reach(int64_t px, int step_px, int refresh_mhz)
{
    if (px <= 0)
        return 0;
    if (step_px <= 0 || refresh_mhz <= 0)
        return INT64_MAX;
    int64_t frames = (px + step_px - 1) / step_px;
    /* The first t with round(t * mhz / 1e6) >= frames. */
    int64_t num = (2 * frames - 1) * 1000000;
    int64_t den = 2 * (int64_t)refresh_mhz;
    int64_t t = timeline_floor_div(num + den - 1, den);
    while (timeline_refreshes(t, refresh_mhz) < frames)
        t++;
    while (t > 0 && timeline_refreshes(t - 1, refresh_mhz) >= frames)
        t--;
    return t;
}

CardFrame
timeline_cards(int64_t t_ms, const int64_t *dwell_ms, size_t count, int fade_ms)
{
    CardFrame f = {0, 0, 255, 0, 0};
    if (count == 0)
        return f;
    int64_t cycle = 0;
    for (size_t i = 0; i < count; i++)
        cycle += MAX(dwell_ms[i], 1);
    int64_t u = timeline_floor_mod(t_ms, cycle);
    size_t i = 0;
    while (u >= MAX(dwell_ms[i], 1)) {
        u -= MAX(dwell_ms[i], 1);
        i++;
    }
    int64_t dwell = MAX(dwell_ms[i], 1);
    f.current = i;
    f.previous = (i + count - 1) % count;
    f.progress_permille = (int)(u * 1000 / dwell);
    f.ends_in_ms = dwell - u;
    if (count > 1 && fade_ms > 0 && u < fade_ms)
        f.alpha = (int)(u * 255 / fade_ms);
    return f;
}
