/* timeline: crawl offset and card rotation from time. See timeline.h. */
#include "timeline.h"
#include "util.h"

static int64_t
floor_mod(int64_t a, int64_t m)
{
    int64_t r = a % m;
    return r < 0 ? r + m : r;
}

static int64_t
floor_div(int64_t a, int64_t m)
{
    return (a - floor_mod(a, m)) / m;
}

int64_t
timeline_crawl_offset(int64_t now_ms, int speed_px_s, int64_t strip_px)
{
    if (strip_px <= 0 || speed_px_s <= 0)
        return 0;
    /* Whole pixels since t=0, reduced modulo the strip. Splitting now_ms
     * into seconds and milliseconds keeps the product far from overflow
     * however long the screen runs. */
    int64_t secs = floor_div(now_ms, 1000);
    int64_t ms = floor_mod(now_ms, 1000);
    int64_t whole = floor_mod(secs, strip_px) * speed_px_s;
    int64_t part = ms * speed_px_s / 1000;
    return floor_mod(whole + part, strip_px);
}

CardFrame
timeline_card(int64_t now_ms, size_t count, int dwell_ms, int fade_ms,
              int64_t step_offset)
{
    CardFrame f = {0, 0, 255, 0};
    if (count == 0 || dwell_ms <= 0)
        return f;
    int64_t slot = floor_div(now_ms, dwell_ms) + step_offset;
    int64_t into = floor_mod(now_ms, dwell_ms);
    f.current = (size_t)floor_mod(slot, (int64_t)count);
    f.previous = (size_t)floor_mod(slot - 1, (int64_t)count);
    f.progress_permille = (int)(into * 1000 / dwell_ms);
    if (count > 1 && fade_ms > 0 && into < fade_ms)
        f.alpha = (int)(into * 255 / fade_ms);
    return f;
}
