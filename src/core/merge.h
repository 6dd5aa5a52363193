/*
 * merge: many feeds' lists into the one list the screen shows.
 *
 * Newest first; duplicates (same id, same URL, or the same title once case
 * and punctuation are ignored) are dropped, keeping the first seen; stories
 * older than the age limit are dropped (undated stories are kept); at most
 * max_stories remain. Pure: now is a parameter. Fetch thread.
 */
#ifndef MERGE_H
#define MERGE_H

#include <stddef.h>
#include <stdint.h>

#include "story.h"

typedef struct MergeOpts {
    int max_stories;
    int max_age_h; /* 0: no limit */
    int64_t now_s;
} MergeOpts;

/* lists[i] may be NULL (a feed with nothing yet). Caller owns the result. */
StoryList *merge_lists(const StoryList *const *lists, size_t n,
                       const MergeOpts *opts);

#endif
