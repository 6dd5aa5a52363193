/*
 * story: one headline and the list that carries them.
 *
 * A Story owns its strings (deep copies, already cleaned by the decoder).
 * A StoryList owns its stories. Once a list has been posted to the inbox it
 * is never modified again: the render thread only reads it, and frees it
 * after the frame that last drew it.
 */
#ifndef STORY_H
#define STORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STORY_NO_TIME INT64_MIN /* published_s when the feed gave no date */

typedef struct Story {
    char *id;            /* stable: feed id, else a hash of url or title */
    char *title;         /* never NULL or empty in a list */
    char *summary;       /* may be NULL */
    char *source;        /* display name of the publisher; may be NULL */
    char *url;           /* may be NULL */
    char *image;         /* may be NULL */
    char *feed;          /* name of the configured feed it came from */
    int64_t published_s; /* Unix seconds UTC, or STORY_NO_TIME */
    int priority;        /* 0 normal, > 0 breaking */
    int read_min;        /* estimated reading time in minutes, 0 unknown */
    int64_t expires_s;   /* Unix seconds UTC after which the story must not
                            be shown; 0: it does not expire */
} Story;

typedef struct StoryList {
    Story *items; /* owned */
    size_t count;
    size_t cap;
} StoryList;

StoryList *story_list_new(void);
void story_list_free(StoryList *list); /* NULL is a no-op */
/* Moves *s into the list (the list owns its strings from now on). */
void story_list_push(StoryList *list, Story *s);
StoryList *story_list_clone(const StoryList *list);
void story_deinit(Story *s);
void story_copy(Story *dst, const Story *src);
/* True when both lists hold the same stories, field for field, in order
 * (either may be NULL). */
bool story_list_equal(const StoryList *a, const StoryList *b);
/* Sorts newest first; undated stories go last, order otherwise kept
 * (stable, O(n log n)). */
void story_list_sort_newest(StoryList *list);

/* Reading time at 238 words per minute, rounded, at least 1 for any
 * text; 0 for none. */
int story_read_minutes(const char *text);
/* The same from a word count. */
int story_read_minutes_for_words(long words);

#endif
