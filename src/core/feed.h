/*
 * feed: decodes a fetched document into a StoryList.
 *
 * Formats: NewsAPI v2 (top-headlines, everything) and JSON Feed 1.1, picked
 * from the document's shape when the format is "auto". Every string goes
 * through text_clean() before it is stored. Policy for partial data: an item
 * without a usable title is skipped and counted; the decode fails only when
 * the document is not a feed, reports an API error, or yields no story, and
 * then err says why in a sentence that names the feed. Fetch thread only
 * (cJSON's error position is global state).
 */
#ifndef FEED_H
#define FEED_H

#include <stddef.h>

#include "config.h"
#include "story.h"
#include "util.h"

#define FEED_MAX_STORIES 500
#define FEED_TITLE_MAX 300   /* bytes after cleaning */
#define FEED_SUMMARY_MAX 600 /* bytes after cleaning */

typedef struct FeedDecodeOpts {
    const char *feed_name;       /* for messages and Story.feed */
    const char *source_override; /* NULL or "": use the feed's own */
    FeedFormat format;
} FeedDecodeOpts;

/* Returns 0 and a new list in *out (caller owns), or -1 with err set. */
int feed_decode(const char *body, size_t len, const FeedDecodeOpts *opts,
                StoryList **out, char *err, size_t errlen);

/* Appends one JSON object (no newline) with the --dump-feed keys. */
void feed_story_to_json(const Story *s, Buf *out);

#endif
