/*
 * stories: what every decoder's output must satisfy, checked by the feed
 * fuzz targets after each decode. A broken rule aborts (the fuzzer then
 * saves the input). Header-only so that each target stays one file.
 */
#ifndef FUZZ_STORIES_H
#define FUZZ_STORIES_H

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clean.h"
#include "feed.h"
#include "merge.h"
#include "story.h"
#include "util.h"

/* Valid UTF-8 with no control, bidi-override or zero-width character;
 * no leading, trailing or double space. */
static void
check_text(const char *s, size_t max_bytes)
{
    if (!s)
        return;
    size_t len = strlen(s);
    ASSERT(len > 0 && len <= max_bytes);
    ASSERT(s[0] != ' ' && s[len - 1] != ' ' && !strstr(s, "  "));
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = utf8_decode(s + i, len - i, &cp);
        char enc[4];
        ASSERT(utf8_encode(cp, enc) == n && !memcmp(enc, s + i, n));
        ASSERT(cp >= 0x20 && !(cp >= 0x7F && cp < 0xA0));
        ASSERT(!(cp >= 0x202A && cp <= 0x202E) &&
               !(cp >= 0x2066 && cp <= 0x2069) && cp != 0x200B && cp != 0xFEFF);
        i += n;
    }
}

static void
check_url(const char *s)
{
    if (!s)
        return;
    check_text(s, FEED_URL_MAX);
    ASSERT(!strncasecmp(s, "http://", 7) || !strncasecmp(s, "https://", 8));
    ASSERT(!strchr(s, ' '));
}

static void
check_list(const StoryList *l, size_t max_stories)
{
    ASSERT(l && l->count > 0 && l->count <= max_stories);
    for (size_t i = 0; i < l->count; i++) {
        const Story *s = &l->items[i];
        ASSERT(s->id && *s->id && strlen(s->id) <= 256);
        ASSERT(s->feed);
        check_text(s->title, FEED_TITLE_MAX);
        ASSERT(s->title);
        check_text(s->summary, FEED_SUMMARY_MAX);
        check_text(s->source, FEED_SOURCE_MAX);
        check_url(s->url);
        check_url(s->image);
        ASSERT(s->priority >= 0 && s->priority <= 9);
        ASSERT(s->read_min >= 0);
        ASSERT(s->published_s == STORY_NO_TIME ||
               s->published_s >= INT64_C(631152000));
        ASSERT(s->expires_s == 0 || s->expires_s >= INT64_C(631152000));
    }
}

/* Merging a list with itself keeps each story once and stays sane. */
static void
check_merge(const StoryList *l)
{
    const StoryList *lists[] = {l, l};
    MergeOpts o = {.max_stories = 1000, .now_s = INT64_C(1741112525)};
    StoryList *m = merge_lists(lists, 2, &o);
    ASSERT(m->count <= l->count);
    for (size_t i = 0; i < m->count; i++)
        check_text(m->items[i].source, 4 * FEED_SOURCE_MAX + 16);
    story_list_free(m);
}

/* Decodes and checks; the error, when there is one, names the feed. */
static void
decode_and_check(const uint8_t *data, size_t size, const FeedDecodeOpts *opts)
{
    StoryList *l = NULL;
    char err[512] = "";
    int rc = feed_decode((const char *)data, size, opts, &l, err, sizeof(err));
    if (rc != 0) {
        ASSERT(rc == -1 && !l);
        ASSERT(!strncmp(err, opts->feed_name, strlen(opts->feed_name)));
        return;
    }
    check_list(l, opts->max_stories ? opts->max_stories : FEED_MAX_STORIES);
    check_merge(l);
    story_list_free(l);
}

#endif
