/*
 * fetch: the fetch thread. It owns libcurl and the decoders; it polls every
 * configured feed on its interval, keeps each feed's last good stories (a
 * failing feed never removes another feed's stories, nor its own), merges
 * them and posts the result with a status record to the inbox. The render
 * thread talks to it only through the inbox and fetcher_refresh().
 */
#ifndef FETCH_H
#define FETCH_H

#include <stdint.h>

#include "config.h"
#include "inbox.h"

typedef struct Fetcher Fetcher;

/* Copies what it needs from cfg; posts to inbox (borrowed, must outlive). */
Fetcher *fetcher_new(const Config *cfg, Inbox *inbox);
void fetcher_free(Fetcher *f); /* stops the thread first if running */

/* One synchronous round on the calling thread (for --dump-feed and
 * --screenshot): every feed once, then a post. Returns the story count. */
int fetcher_run_once(Fetcher *f, int64_t wall_s);

int fetcher_start(Fetcher *f);    /* -1 if the thread cannot start */
void fetcher_refresh(Fetcher *f); /* fetch every feed now */
void fetcher_stop(Fetcher *f);    /* aborts transfers, joins; idempotent */

/* Heartbeat for the systemd watchdog: how long (ms, monotonic) the thread
 * has been busy on its current step (one feed's transfer and decode); 0
 * while it waits for the next poll or is not running. Any thread.
 * Test-only: NEWSWIRE_TEST_FREEZE_FETCH_S=N, read by fetcher_new(), makes
 * the thread hang (busy, no heartbeat) N seconds after it starts. */
int64_t fetcher_busy_ms(Fetcher *f, int64_t now_mono_ms);

#endif
