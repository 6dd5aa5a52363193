/*
 * statusfile: the JSON document --status-file writes, for monitoring a
 * fleet of screens without looking at them.
 *
 *   {"version": "0.1.0", "written": "2026-11-29T10:00:00Z",
 *    "frames": 123456, "dropped_frames": 3,
 *    "stories_shown": 40, "last_update": "2026-11-29T09:58:10Z",
 *    "offline_since": null,
 *    "feeds": [{"name": "headlines", "state": "ok",
 *               "last_success": "2026-11-29T09:58:10Z",
 *               "last_attempt": "2026-11-29T09:58:10Z",
 *               "next_attempt": "2026-11-29T10:03:02Z",
 *               "failures": 0, "stories": 40, "http_status": 200,
 *               "error": null}]}
 *
 * Times are ISO 8601 UTC or null. A feed's state is "waiting" (never
 * tried), "ok", "failing" (its last attempt failed) or "offline" (failing
 * for more than two intervals). Pure: the platform layer writes the text
 * atomically, and only when it changed.
 */
#ifndef STATUSFILE_H
#define STATUSFILE_H

#include <stdbool.h>
#include <stdint.h>

#include "inbox.h"
#include "util.h"

typedef struct StatusTotals {
    uint64_t frames;
    uint64_t dropped_frames;
    int64_t written_s; /* wall clock of this write */
} StatusTotals;

/* Appends the document to out. With totals NULL the fields that change on
 * every frame ("written", "frames", "dropped_frames") are left out: that
 * text is what decides whether the status changed. */
void statusfile_format(const FetchStatus *st, const StatusTotals *totals,
                       Buf *out);

const char *statusfile_feed_state(const FeedStatus *fs);

#endif
