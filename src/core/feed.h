/*
 * feed: decodes a fetched document into a StoryList.
 *
 * Formats: the JSON presets NewsAPI v2, JSON Feed 1.1, GNews v4, Guardian
 * Content API and NYT Top Stories v2; RSS 0.9x/1.0 (RDF)/2.0 and Atom 1.0
 * through libxml2; and any other JSON through a per-feed mapping of story
 * fields to JSON Pointers. "auto" picks the format from the document's
 * shape. Every string goes through text_clean() before it is stored, and
 * the feed quirks (NewsAPI's " - Source" suffixes and "[+N chars]" tails,
 * "[Removed]" placeholders, wrongly typed fields) are handled the same way
 * for every format.
 *
 * Policy for partial data: an item without a usable title is skipped and
 * counted; a field of the wrong type counts as missing. The decode fails
 * only when the document is too big, is not a feed, reports an API error,
 * or yields no story, and then err says why in a sentence that names the
 * feed. Fetch thread only (cJSON's error position and libxml2's parser
 * set-up are global state).
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
#define FEED_SOURCE_MAX 80   /* bytes after cleaning */
#define FEED_URL_MAX 2048
/* Largest document decoded when the caller gives no cap (fetch.max_kb). */
#define FEED_MAX_BODY_BYTES ((size_t)8 * 1024 * 1024)

typedef struct FeedDecodeOpts {
    const char *feed_name;       /* for messages and Story.feed */
    const char *source_override; /* NULL or "": use the feed's own */
    FeedFormat format;
    /* The rest may be left zero. */
    const FeedConf *conf; /* mapping keys and zone; NULL: none, UTC */
    size_t max_bytes;     /* body cap; 0: FEED_MAX_BODY_BYTES */
    size_t max_stories;   /* 0: FEED_MAX_STORIES */
} FeedDecodeOpts;

/* The options for a configured feed (borrows conf, which must outlive
 * the decode); max_bytes as for FeedDecodeOpts. */
FeedDecodeOpts feed_decode_opts(const FeedConf *conf, size_t max_bytes);

/* Returns 0 and a new list in *out (caller owns), or -1 with err set and
 * *out NULL. A body over the cap is refused before any parsing. */
int feed_decode(const char *body, size_t len, const FeedDecodeOpts *opts,
                StoryList **out, char *err, size_t errlen);

/* The format "auto" would pick for body: a preset, RSS or ATOM, or
 * FEED_FORMAT_AUTO when it recognises none. */
FeedFormat feed_detect(const char *body, size_t len);

/*
 * For a fetch that ended in an HTTP error (status >= 400): a sentence that
 * names the feed, says what the status means ("the API key is missing or
 * wrong") and quotes the service's own error document when the body holds
 * one (NewsAPI, GNews, Guardian, NYT and common {"error": ...} shapes):
 * "headlines: the server answered HTTP 401 (the API key is missing or
 * wrong): apiKeyInvalid: Your API key is invalid". body may be NULL.
 */
void feed_describe_http_error(const char *feed_name, long status,
                              const char *body, size_t len, char *err,
                              size_t errlen);

/* Appends one JSON object (no newline) with the --dump-feed keys. */
void feed_story_to_json(const Story *s, Buf *out);

#endif
