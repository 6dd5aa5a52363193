/*
 * inbox: the one place the fetch thread and the render thread meet.
 *
 * A latest-wins slot for a StoryList plus the latest FetchStatus, and a
 * pending list of story pictures (appended, never replaced), under one
 * mutex. inbox_post() takes ownership of the list (a list posted while an
 * older one is still waiting replaces it; the older one is freed outside
 * the lock). inbox_take() never blocks on the network: it holds the lock
 * only to swap pointers and copy the status. Either thread may call either
 * function; nothing else is shared between them.
 */
#ifndef INBOX_H
#define INBOX_H

#include <stdbool.h>
#include <stdint.h>

#include "picture.h"
#include "story.h"

#define STATUS_MAX_FEEDS 32
#define STATUS_ERROR_MAX 192

typedef struct FeedStatus {
    char name[64];
    int64_t last_ok_s;       /* wall clock of the last good fetch, 0 never */
    int64_t last_attempt_s;  /* wall clock of the last attempt, 0 never */
    int64_t next_attempt_s;  /* wall clock of the next planned attempt */
    int64_t failing_since_s; /* wall clock of the first failure in a row */
    int failures;            /* consecutive failures */
    int story_count;         /* stories from this feed in the last good list */
    int interval_s;          /* this feed's poll interval */
    long http_status;        /* of the last answer, 0 when there was none */
    bool offline;            /* missed two intervals (freshness_feed_offline) */
    char error[STATUS_ERROR_MAX]; /* last error as a sentence, "" when ok */
} FeedStatus;

typedef struct FetchStatus {
    FeedStatus feeds[STATUS_MAX_FEEDS];
    int feed_count;
    int64_t last_ok_s; /* newest last_ok_s of all feeds, 0 never */
    bool fetched_once; /* every feed has been tried at least once */
    int stories_held;  /* last good stories of all feeds, before filtering */
    int stories_shown; /* stories in the list posted with this status */
    int max_age_h;     /* filter.max_age_h the list was filtered with */
} FetchStatus;

typedef struct Inbox Inbox;

Inbox *inbox_new(void);
void inbox_free(Inbox *inbox); /* frees a list still waiting */

/* Takes ownership of list (may be NULL: status only). */
void inbox_post(Inbox *inbox, StoryList *list, const FetchStatus *status);

/* If a list was posted since the last take, moves it to *list (caller owns)
 * and returns true; otherwise *list is NULL. The latest status is copied to
 * *status when it changed (returns true then too). */
bool inbox_take(Inbox *inbox, StoryList **list, FetchStatus *status);

/* Story images are not latest-wins: each posted picture is appended to a
 * pending list (taking ownership of the pictures; list is emptied, the
 * caller still owns and frees it) that the next take moves out whole.
 * Returns NULL when none is waiting; the caller frees the list. */
void inbox_post_pictures(Inbox *inbox, PictureList *list);
PictureList *inbox_take_pictures(Inbox *inbox);

/* Joined status text for the bar: the first failing feed's error, or "". */
const char *fetch_status_error(const FetchStatus *status);

#endif
