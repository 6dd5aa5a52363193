/*
 * timeline: where the crawl is and which card shows, as pure functions of
 * time. Nothing here keeps state or reads a clock, so a frame at a given
 * virtual time is always the same frame, and two screens fed the same clock
 * show the same thing. Times are 64-bit milliseconds: exact for centuries.
 */
#ifndef TIMELINE_H
#define TIMELINE_H

#include <stddef.h>
#include <stdint.h>

/* Crawl offset in [0, strip_px): how far the strip has moved left. */
int64_t timeline_crawl_offset(int64_t now_ms, int speed_px_s, int64_t strip_px);

typedef struct CardFrame {
    size_t current;        /* index of the card being shown */
    size_t previous;       /* card fading out while alpha < 255 */
    int alpha;             /* 0..255: opacity of current over previous */
    int progress_permille; /* how much of current's dwell has passed */
} CardFrame;

/* step_offset shifts the rotation by whole cards (the left/right keys). */
CardFrame timeline_card(int64_t now_ms, size_t count, int dwell_ms, int fade_ms,
                        int64_t step_offset);

#endif
