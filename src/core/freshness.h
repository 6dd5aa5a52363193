/*
 * freshness: what the screen says about how current its news is.
 *
 * Never blank, never silently stale: the bar's status mark says when news
 * was last updated; once a feed has missed two poll intervals it says
 * "offline since HH:MM" in the warning colour; and when every story has
 * aged past filter.max_age_h, a card says there is no current news rather
 * than presenting old stories as live. Pure: times are parameters.
 */
#ifndef FRESHNESS_H
#define FRESHNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "inbox.h"

/* A feed is offline when its last attempt failed and more than two of its
 * intervals have passed since its last success (or since it was first
 * tried, when it never succeeded). */
bool freshness_feed_offline(const FeedStatus *fs, int64_t now_s);

/* When the first offline feed turns offline, or INT64_MAX when no failing
 * feed is on its way there (for scheduling the status update). */
int64_t freshness_next_offline_s(const FeedStatus *fs);

typedef struct FreshnessText {
    char mark[96];    /* the bar's status mark */
    bool warn;        /* draw the mark in the warning colour */
    char title[96];   /* the placeholder card, when there are no stories */
    char detail[256]; /* its explanation */
} FreshnessText;

/* Texts for the bar and the placeholder card. format_hhmm formats a wall
 * time as local "HH:MM" (injected so tests do not depend on TZ). */
typedef void (*HhmmFn)(int64_t wall_s, char *buf, size_t n);
void freshness_describe(const FetchStatus *st, HhmmFn hhmm, FreshnessText *out);

#endif
