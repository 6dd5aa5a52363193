/*
 * fetch: the fetch thread. It owns libcurl, the decoders and the offline
 * cache. It polls every configured feed on its own schedule (backoff.h),
 * all transfers at once so one stalled feed never delays another; keeps
 * each feed's last good stories (a failing feed never removes another
 * feed's stories, nor its own); stores them on disk when they change;
 * merges them, dropping stories past filter.max_age_h even while offline;
 * and posts the result with a status record to the inbox. It also writes
 * the --status-file, so no file I/O happens on the render thread.
 *
 * The render thread talks to it only through the inbox, fetcher_refresh()
 * and fetcher_note_frames(). Time comes from clock.h, so the whole
 * schedule runs faster under NEWSWIRE_TIME_SCALE.
 */
#ifndef FETCH_H
#define FETCH_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "inbox.h"

typedef struct Fetcher Fetcher;

/* Copies cfg; posts to inbox (borrowed, must outlive the fetcher). */
Fetcher *fetcher_new(const Config *cfg, Inbox *inbox);
void fetcher_free(Fetcher *f); /* stops the thread first if running */

/* Loads each feed's cached stories from fetch.cache_dir and posts them, so
 * the first frame already shows news when the network is down. Corrupt
 * files are renamed aside with a log line. Enables writing the cache.
 * Call before fetcher_start(), on the thread that made the fetcher. */
void fetcher_load_cache(Fetcher *f);

/* One synchronous round on the calling thread (for --dump-feed and
 * --screenshot): every feed once, then a post, then the story pictures
 * of that list (at most fetch.timeout_s for all of them, posted to the
 * inbox as they arrive). Returns the story count.
 * Neither reads nor writes the cache or the status file. */
int fetcher_run_once(Fetcher *f, int64_t wall_s);

/* Story pictures (images.h) are fetched unless turned off here, before
 * the first round (--dump-feed has no use for them). */
void fetcher_set_pictures(Fetcher *f, bool on);

int fetcher_start(Fetcher *f);    /* -1 if the thread cannot start */
void fetcher_refresh(Fetcher *f); /* fetch every feed now */
/* Aborts transfers at once, joins, writes the status file a last time;
 * idempotent. */
void fetcher_stop(Fetcher *f);

/* Frame totals for the status file; cheap, call once per frame. */
void fetcher_note_frames(Fetcher *f, uint64_t frames, uint64_t dropped);

/* Heartbeat for the systemd watchdog: how long (ms, monotonic) the thread
 * has been busy on its current step (one feed's transfer and decode); 0
 * while it waits for the next poll or is not running. Any thread.
 * Test-only: NEWSWIRE_TEST_FREEZE_FETCH_S=N, read by fetcher_new(), makes
 * the thread hang (busy, no heartbeat) N seconds after it starts. */
int64_t fetcher_busy_ms(Fetcher *f, int64_t now_mono_ms);

#endif
