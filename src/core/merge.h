/*
 * merge: many feeds' lists into the one list the screen shows.
 *
 * Filters first: stories older than their feed's age limit (or the global
 * one; undated stories are kept), expired stories, and stories that match
 * a block keyword or, when allow keywords are set, match none of them.
 * Then order: newest first across all feeds, or round-robin (each feed's
 * newest, then each feed's second newest, ...). Then duplicates: the same
 * id, the same canonical URL (merge_canonical_url) or the same title once
 * case, spaces and punctuation are ignored make one story, the first in
 * order, credited to every source that carried it ("AP · Reuters"). At
 * most max_stories remain. Pure: now is a parameter. Fetch thread.
 */
#ifndef MERGE_H
#define MERGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "story.h"

#define MERGE_MAX_LISTS CONFIG_MAX_FEEDS
#define MERGE_CREDIT_MAX 4           /* sources named on one story */
#define MERGE_SEPARATOR " \xC2\xB7 " /* " · " between credited sources */

typedef struct MergeOpts {
    int max_stories; /* 0: no limit */
    int max_age_h;   /* 0: no limit */
    int64_t now_s;
    /* The rest may be left zero. */
    MergeOrder order;
    int list_max_age_h[MERGE_MAX_LISTS]; /* lists[i]'s own; 0: max_age_h */
    char block[CONFIG_STR_MAX];          /* comma-separated keywords */
    char allow[CONFIG_STR_MAX];
} MergeOpts;

/* From the [filter] section and each feed's max_age_h; list i is the
 * config's feed i. now_s is left 0 for the caller to set. */
void merge_opts_init(MergeOpts *opts, const Config *cfg);

/* lists[i] may be NULL (a feed with nothing yet). Caller owns the result. */
StoryList *merge_lists(const StoryList *const *lists, size_t n,
                       const MergeOpts *opts);

/*
 * The form of a URL used to spot the same story: scheme and host in lower
 * case, http and https alike, no "www.", no default port, no fragment, no
 * trailing slash, tracking parameters (utm_*, fbclid, gclid, ...) removed,
 * percent-escapes in upper case. Not for display. Caller frees.
 */
char *merge_canonical_url(const char *url);

/*
 * Whether text contains one of the comma-separated keywords, ignoring
 * ASCII case, as whole words ("sport" does not match "transport"); a
 * keyword ending in '*' matches as a prefix ("elect*" matches
 * "elections"). Spaces inside a keyword match one space.
 */
bool merge_keyword_match(const char *text, const char *keywords);

#endif
