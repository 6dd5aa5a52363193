/*
 * feeditem: what the format decoders (feedjson.c, feedxml.c) share with
 * feed.c. A decoder finds an item's raw fields and hands them to
 * feed_add_item(), which cleans them and applies the rules every format
 * gets. Internal to the feed module.
 */
#ifndef FEEDITEM_H
#define FEEDITEM_H

#include <stdbool.h>
#include <stdint.h>

#include "feed.h"

/* Raw fields of one item, borrowed from the document; NULL when absent. */
typedef struct FeedItem {
    const char *id;
    const char *title;
    const char *summary;
    const char *body; /* full text: reading time, untitled items */
    const char *link;
    const char *image;
    const char *publisher;
    const char *published; /* date text */
    int64_t published_s;   /* a numeric date; STORY_NO_TIME if none */
    const char *expires;   /* date text */
    int64_t expires_s;     /* a numeric date; 0 if none */
    int priority;
} FeedItem;

typedef struct FeedDecoder {
    const FeedDecodeOpts *opts;
    const char *name; /* the feed's name for messages, never NULL */
    char *source;     /* the configured label, cleaned; NULL if none */
    StoryList *list;
    size_t max_stories;
    int32_t zone_offset_s;   /* for dates without a zone */
    bool untitled_from_body; /* JSON Feed, RSS: a title from the text */
    int items;               /* items looked at */
    int skipped;             /* without a usable title */
    int removed;             /* "[Removed]" placeholders */
} FeedDecoder;

void feed_item_init(FeedItem *it);

/* Cleans it into a story and appends it. Returns false once the list is
 * full: the decoder stops there. */
bool feed_add_item(FeedDecoder *d, const FeedItem *it);

/* "breaking", "urgent", "high", "flash", "alert", "true", "yes" -> 1; a
 * decimal number -> itself (0-9); anything else 0. */
int feed_priority_from_text(const char *s);

/* True for an absolute http:// or https:// URL. */
bool feed_is_web_url(const char *s);
/* A file:/// URL (absolute path). */
bool feed_is_file_url(const char *s);

/* JSON (feedjson.c). body is len bytes, not NUL-terminated. */
int feedjson_decode(FeedDecoder *d, const char *body, size_t len,
                    FeedFormat format, char *err, size_t errlen);
FeedFormat feedjson_detect(const char *body, size_t len);
/* Appends the message of an API error document to out; false if body is
 * not one. */
bool feedjson_error_message(const char *body, size_t len, Buf *out);

/* XML (feedxml.c): RSS and Atom. */
int feedxml_decode(FeedDecoder *d, const char *body, size_t len,
                   FeedFormat format, char *err, size_t errlen);
FeedFormat feedxml_detect(const char *body, size_t len);

#endif
