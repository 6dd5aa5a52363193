/* merge: combine, dedupe and filter per-feed lists. See merge.h. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "merge.h"
#include "util.h"

/* Key for title comparison: ASCII letters and digits, lower-cased; bytes
 * of multi-byte characters are kept as they are. */
static uint64_t
title_key(const char *title)
{
    uint64_t h = util_hash64("", 0, 7);
    for (const unsigned char *p = (const unsigned char *)title; *p; p++) {
        unsigned char c = *p;
        if (c >= 0x80 || isalnum(c)) {
            c = (unsigned char)tolower(c);
            h = util_hash64(&c, 1, h);
        }
    }
    return h;
}

typedef struct Seen {
    uint64_t *keys;
    size_t count;
} Seen;

static bool
seen_add(Seen *s, uint64_t key)
{
    for (size_t i = 0; i < s->count; i++) {
        if (s->keys[i] == key)
            return false;
    }
    s->keys[s->count++] = key;
    return true;
}

StoryList *
merge_lists(const StoryList *const *lists, size_t n, const MergeOpts *opts)
{
    StoryList *all = story_list_new();
    for (size_t i = 0; i < n; i++) {
        if (!lists[i])
            continue;
        for (size_t j = 0; j < lists[i]->count; j++) {
            const Story *s = &lists[i]->items[j];
            if (opts->max_age_h > 0 && s->published_s != STORY_NO_TIME &&
                opts->now_s - s->published_s > (int64_t)opts->max_age_h * 3600)
                continue;
            Story c;
            story_copy(&c, s);
            story_list_push(all, &c);
        }
    }
    story_list_sort_newest(all);

    /* Three keys per story: id, url and title. */
    Seen seen = {xcalloc(all->count * 3 + 1, sizeof(uint64_t)), 0};
    StoryList *out = story_list_new();
    for (size_t i = 0; i < all->count; i++) {
        Story *s = &all->items[i];
        uint64_t kid = util_hash64(s->id, strlen(s->id), 1);
        uint64_t kurl = s->url ? util_hash64(s->url, strlen(s->url), 2) : 0;
        uint64_t ktitle = title_key(s->title);
        bool fresh = seen_add(&seen, kid);
        fresh = (kurl ? seen_add(&seen, kurl) : true) && fresh;
        fresh = seen_add(&seen, ktitle) && fresh;
        if (fresh && out->count < (size_t)opts->max_stories)
            story_list_push(out, s);
    }
    free(seen.keys);
    story_list_free(all);
    return out;
}
