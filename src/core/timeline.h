/*
 * timeline: where the crawl is and which card shows, as pure functions of
 * time. Nothing here keeps state or reads a clock, so a frame at a given
 * virtual time is always the same frame, and two screens fed the same clock
 * show the same thing. Times are 64-bit milliseconds.
 *
 * The crawl moves a whole number of pixels per display refresh: at 120 px/s
 * on a 60 Hz screen that is 2 px every frame, never 2-2-1. The distance is
 * (refreshes elapsed) x (step), with refreshes counted by rounding, so the
 * jitter of real frame times (under half a refresh) never adds or drops a
 * step, and a dropped frame does not slow the crawl down.
 */
#ifndef TIMELINE_H
#define TIMELINE_H

#include <stddef.h>
#include <stdint.h>

/* Whole pixels per refresh for speed_px_s at refresh_mhz (millihertz:
 * 59940 for 59.94 Hz); at least 1 when the speed is positive. */
int timeline_crawl_step(int speed_px_s, int refresh_mhz);

/* Refreshes elapsed at t_ms since time 0, rounded to the nearest. */
int64_t timeline_refreshes(int64_t t_ms, int refresh_mhz);

/* Distance the crawl has moved at t_ms: refreshes x step (not reduced). */
int64_t timeline_crawl_px(int64_t t_ms, int step_px, int refresh_mhz);

/* The first time >= 0 at which the crawl distance reaches px. */
int64_t timeline_crawl_reach(int64_t px, int step_px, int refresh_mhz);

typedef struct CardFrame {
    size_t current;        /* index of the card being shown */
    size_t previous;       /* card fading out while alpha < 255 */
    int alpha;             /* 0..255: progress of the transition into current */
    int progress_permille; /* how much of current's dwell has passed */
    int64_t ends_in_ms;    /* time left in current's dwell */
} CardFrame;

/* Cards shown in turn, card i for dwell_ms[i], looping; t_ms counts from
 * the moment card 0 started. fade_ms is the transition at the start of
 * each card (none when count is 1). */
CardFrame timeline_cards(int64_t t_ms, const int64_t *dwell_ms, size_t count,
                         int fade_ms);

int64_t timeline_floor_mod(int64_t a, int64_t m);
int64_t timeline_floor_div(int64_t a, int64_t m);

#endif
