/*
 * test_story_merge: Story and StoryList life cycle, sorting and reading
 * time (story.c), and combining feeds into one list (merge.c): newest
 * first and round-robin order, the three duplicate rules with credit to
 * every source, canonical URLs, the age limits (global and per feed),
 * expiry, keyword filters and the story cap.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"
#include "merge.h"
#include "story.h"
#include "util.h"

#define NOW_S INT64_C(1732435965) /* 2024-11-24T08:12:45Z */
#define HOUR_S INT64_C(3600)

static Story
make_story(const char *id, const char *title, const char *url,
           int64_t published_s)
{
    Story s = {0};
    s.id = xstrdup(id);
    s.title = xstrdup(title);
    s.url = xstrdup(url);
    s.published_s = published_s;
    return s;
}

static void
push(StoryList *list, const char *id, const char *title, const char *url,
     int64_t published_s)
{
    Story s = make_story(id, title, url, published_s);
    story_list_push(list, &s);
}

/* The ids of a list joined with spaces, for one readable comparison. */
static char *
ids_of(const StoryList *list)
{
    Buf b;
    buf_init(&b);
    buf_appends(&b, "");
    for (size_t i = 0; i < list->count; i++)
        buf_appendf(&b, "%s%s", i ? " " : "", list->items[i].id);
    return buf_steal(&b);
}

static void
assert_ids(const StoryList *list, const char *want)
{
    char *got = ids_of(list);
    if (strcmp(got, want) != 0)
        fail_msg("ids \"%s\", want \"%s\"", got, want);
    free(got);
}

static StoryList *
merge2(const StoryList *a, const StoryList *b, int max_stories, int max_age_h)
{
    const StoryList *lists[] = {a, b};
    MergeOpts opts = {
        .max_stories = max_stories, .max_age_h = max_age_h, .now_s = NOW_S};
    return merge_lists(lists, 2, &opts);
}

static void
test_push_and_free(void **state)
{
    (void)state;
    StoryList *list = story_list_new();
    assert_non_null(list);
    assert_int_equal(list->count, 0);
    /* Past the first growth step. */
    for (int i = 0; i < 40; i++) {
        char id[16], title[32];
        snprintf(id, sizeof(id), "s%d", i);
        snprintf(title, sizeof(title), "Headline %d", i);
        Story s = make_story(id, title, NULL, NOW_S - i);
        s.summary = xstrdup("summary");
        s.priority = i % 3;
        s.read_min = i;
        story_list_push(list, &s);
    }
    assert_int_equal(list->count, 40);
    assert_true(list->cap >= 40);
    assert_string_equal(list->items[0].id, "s0");
    assert_string_equal(list->items[39].title, "Headline 39");
    assert_string_equal(list->items[17].summary, "summary");
    assert_null(list->items[17].url);
    assert_int_equal(list->items[17].published_s, NOW_S - 17);
    assert_int_equal(list->items[17].priority, 2);
    assert_int_equal(list->items[17].read_min, 17);
    story_list_free(list);
    story_list_free(NULL);

    Story s = make_story("x", "t", "u", 5);
    story_deinit(&s);
    assert_null(s.id);
    assert_null(s.title);
    assert_null(s.url);
}

static void
test_clone(void **state)
{
    (void)state;
    StoryList *list = story_list_new();
    Story s = make_story("a1", "Storm closes railway", "https://x/a", NOW_S);
    s.summary = xstrdup("Engineers inspect sea walls.");
    s.source = xstrdup("BBC News");
    s.image = xstrdup("https://x/a.jpg");
    s.feed = xstrdup("bbc");
    s.priority = 2;
    s.read_min = 3;
    story_list_push(list, &s);
    push(list, "b2", "Undated, no url", NULL, STORY_NO_TIME);

    StoryList *c = story_list_clone(list);
    assert_int_equal(c->count, 2);
    const Story *o = &list->items[0];
    const Story *k = &c->items[0];
    assert_string_equal(k->id, "a1");
    assert_string_equal(k->title, "Storm closes railway");
    assert_string_equal(k->summary, "Engineers inspect sea walls.");
    assert_string_equal(k->source, "BBC News");
    assert_string_equal(k->url, "https://x/a");
    assert_string_equal(k->image, "https://x/a.jpg");
    assert_string_equal(k->feed, "bbc");
    assert_int_equal(k->published_s, NOW_S);
    assert_int_equal(k->priority, 2);
    assert_int_equal(k->read_min, 3);
    /* Deep: no string is shared. */
    assert_ptr_not_equal(k->id, o->id);
    assert_ptr_not_equal(k->title, o->title);
    assert_ptr_not_equal(k->summary, o->summary);
    assert_ptr_not_equal(k->source, o->source);
    assert_ptr_not_equal(k->url, o->url);
    assert_ptr_not_equal(k->image, o->image);
    assert_ptr_not_equal(k->feed, o->feed);
    assert_null(c->items[1].url);
    assert_null(c->items[1].summary);
    assert_int_equal(c->items[1].published_s, STORY_NO_TIME);

    /* The original can go first; the clone stays whole. */
    story_list_free(list);
    assert_string_equal(c->items[0].title, "Storm closes railway");
    StoryList *empty = story_list_new();
    StoryList *c2 = story_list_clone(empty);
    assert_int_equal(c2->count, 0);
    story_list_free(c2);
    story_list_free(empty);
    story_list_free(c);
}

static void
test_sort_newest(void **state)
{
    (void)state;
    StoryList *list = story_list_new();
    push(list, "old", "t", NULL, 100);
    push(list, "undated1", "t", NULL, STORY_NO_TIME);
    push(list, "new1", "t", NULL, 300);
    push(list, "mid", "t", NULL, 200);
    push(list, "undated2", "t", NULL, STORY_NO_TIME);
    push(list, "new2", "t", NULL, 300);
    push(list, "prehistoric", "t", NULL, -5);
    push(list, "new3", "t", NULL, 300);
    story_list_sort_newest(list);
    assert_ids(list, "new1 new2 new3 mid old prehistoric undated1 undated2");
    /* Sorting a sorted list changes nothing. */
    story_list_sort_newest(list);
    assert_ids(list, "new1 new2 new3 mid old prehistoric undated1 undated2");
    story_list_free(list);

    /* A longer list against an independent check: newest first, and equal
     * times keep their input order (ids are numbered in input order). */
    list = story_list_new();
    for (int i = 0; i < 300; i++) {
        char id[16];
        snprintf(id, sizeof(id), "%03d", i);
        int64_t t =
            (i * 7919) % 13 == 0 ? STORY_NO_TIME : NOW_S - (i * 31) % 17;
        push(list, id, "t", NULL, t);
    }
    story_list_sort_newest(list);
    assert_int_equal(list->count, 300);
    for (size_t i = 1; i < list->count; i++) {
        const Story *a = &list->items[i - 1];
        const Story *b = &list->items[i];
        bool a_undated = a->published_s == STORY_NO_TIME;
        bool b_undated = b->published_s == STORY_NO_TIME;
        if (a_undated && !b_undated)
            fail_msg("undated %s before dated %s", a->id, b->id);
        if (!a_undated && !b_undated && a->published_s < b->published_s)
            fail_msg("%s older than the next, %s", a->id, b->id);
        if (a->published_s == b->published_s && strcmp(a->id, b->id) > 0)
            fail_msg("equal times out of input order: %s, %s", a->id, b->id);
    }
    story_list_free(list);

    list = story_list_new();
    story_list_sort_newest(list);
    assert_int_equal(list->count, 0);
    story_list_free(list);
}

static char *
words(int n)
{
    Buf b;
    buf_init(&b);
    buf_appends(&b, "");
    for (int i = 0; i < n; i++)
        buf_appends(&b, i % 10 == 9 ? "word\n" : "word  ");
    return buf_steal(&b);
}

static void
test_read_minutes(void **state)
{
    (void)state;
    assert_int_equal(story_read_minutes(NULL), 0);
    assert_int_equal(story_read_minutes(""), 0);
    assert_int_equal(story_read_minutes("  \n\t\r "), 0);
    assert_int_equal(story_read_minutes("Storm"), 1);
    assert_int_equal(story_read_minutes("Storm closes railway line"), 1);
    static const struct {
        int words;
        int minutes;
    } cases[] = {{200, 1}, {290, 1}, {356, 1},  {357, 2},
                 {594, 2}, {595, 3}, {2380, 10}};
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        char *text = words(cases[i].words);
        int got = story_read_minutes(text);
        if (got != cases[i].minutes) {
            fail_msg("%d words: %d min, want %d", cases[i].words, got,
                     cases[i].minutes);
        }
        free(text);
    }
    /* Words are split by any whitespace, however much of it. */
    assert_int_equal(story_read_minutes("\r\n\tone\t\ttwo\r\nthree   "), 1);
}

static void
test_merge_newest_first(void **state)
{
    (void)state;
    StoryList *a = story_list_new();
    push(a, "a1", "Ferry timetable changes", "https://a/1", NOW_S - 60);
    push(a, "a2", "Library reopens", "https://a/2", NOW_S - 3 * HOUR_S);
    push(a, "a3", "Undated note", "https://a/3", STORY_NO_TIME);
    StoryList *b = story_list_new();
    push(b, "b1", "Central bank holds rates", "https://b/1", NOW_S - 30);
    push(b, "b2", "Chipmaker unveils processor", "https://b/2", NOW_S - HOUR_S);
    push(b, "b3", "Bike lanes approved", "https://b/3", NOW_S - 5 * HOUR_S);

    StoryList *m = merge2(a, b, 100, 0);
    assert_ids(m, "b1 a1 b2 a2 b3 a3");
    assert_string_equal(m->items[1].title, "Ferry timetable changes");
    /* The inputs are copied, not taken. */
    assert_int_equal(a->count, 3);
    assert_int_equal(b->count, 3);
    assert_string_equal(a->items[0].id, "a1");
    assert_ptr_not_equal(m->items[1].title, a->items[0].title);
    story_list_free(a);
    story_list_free(b);
    assert_string_equal(m->items[0].url, "https://b/1");
    story_list_free(m);
}

static void
test_merge_dedupe_by_id(void **state)
{
    (void)state;
    StoryList *a = story_list_new();
    push(a, "same", "First headline", "https://a/1", NOW_S - 100);
    StoryList *b = story_list_new();
    push(b, "same", "Other words entirely", "https://b/9", NOW_S - 100);
    push(b, "other", "Unrelated", "https://b/2", NOW_S - 200);
    StoryList *m = merge2(a, b, 100, 0);
    assert_ids(m, "same other");
    /* Same time: the first list's copy is the one kept. */
    assert_string_equal(m->items[0].title, "First headline");
    story_list_free(m);

    /* Different times: the newest copy is kept, in its place. */
    a->items[0].published_s = NOW_S - 500;
    m = merge2(a, b, 100, 0);
    assert_ids(m, "same other");
    assert_string_equal(m->items[0].title, "Other words entirely");
    story_list_free(m);
    story_list_free(a);
    story_list_free(b);
}

static void
test_merge_dedupe_by_url(void **state)
{
    (void)state;
    StoryList *a = story_list_new();
    push(a, "a1", "Storm closes railway", "https://news/story", NOW_S - 10);
    push(a, "a2", "No url here", NULL, NOW_S - 20);
    StoryList *b = story_list_new();
    push(b, "b1", "Railway shut by storm", "https://news/story", NOW_S - 15);
    push(b, "b2", "Also without url", NULL, NOW_S - 25);
    /* The host's case does not matter, the path's does. */
    push(b, "b3", "Host case differs", "https://NEWS/story", NOW_S - 30);
    push(b, "b4", "Path case differs", "https://news/Story", NOW_S - 31);
    /* Nor do tracking parameters, www., the default port, a fragment,
     * a trailing slash or http against https. */
    push(b, "b5", "Tracked", "http://www.news:80/story/?utm_source=x#top",
         NOW_S - 32);
    StoryList *m = merge2(a, b, 100, 0);
    /* Stories without a URL are not duplicates of each other. */
    assert_ids(m, "a1 a2 b2 b4");
    story_list_free(m);
    story_list_free(a);
    story_list_free(b);
}

static void
test_merge_dedupe_by_title(void **state)
{
    (void)state;
    StoryList *a = story_list_new();
    push(a, "a1", "Storm closes coastal railway line", "https://a/1",
         NOW_S - 10);
    push(a, "a2", "Storm closes coastal railway lines", "https://a/2",
         NOW_S - 11);
    push(a, "a3", "Rates held at 5.25%", "https://a/3", NOW_S - 12);
    StoryList *b = story_list_new();
    push(b, "b1", "STORM CLOSES COASTAL RAILWAY LINE!", "https://b/1",
         NOW_S - 20);
    push(b, "b2", "Storm closes coastal railway-line", "https://b/2",
         NOW_S - 21);
    push(b, "b3", "\"Storm\", closes: coastal... railway line?", "https://b/3",
         NOW_S - 22);
    push(b, "b4", "Rates held at 5.26%", "https://b/4", NOW_S - 23);
    push(b, "b5", "rates held at 525", "https://b/5", NOW_S - 24);
    StoryList *m = merge2(a, b, 100, 0);
    /* b1-b3 match a1 once case and punctuation are gone; a2 has an extra
     * letter and b4 a different digit; b5 matches a3. */
    assert_ids(m, "a1 a2 a3 b4");
    story_list_free(m);
    story_list_free(a);
    story_list_free(b);
}

static void
test_merge_max_age(void **state)
{
    (void)state;
    StoryList *a = story_list_new();
    push(a, "fresh", "Fresh", NULL, NOW_S - HOUR_S);
    push(a, "edge", "Exactly the limit", NULL, NOW_S - 24 * HOUR_S);
    push(a, "stale", "One second too old", NULL, NOW_S - 24 * HOUR_S - 1);
    push(a, "ancient", "Ancient", NULL, 0);
    push(a, "undated", "Undated", NULL, STORY_NO_TIME);
    push(a, "future", "From the future", NULL, NOW_S + HOUR_S);
    StoryList *m = merge2(a, NULL, 100, 24);
    assert_ids(m, "future fresh edge undated");
    story_list_free(m);

    /* 0: no limit. */
    m = merge2(a, NULL, 100, 0);
    assert_ids(m, "future fresh edge stale ancient undated");
    story_list_free(m);
    story_list_free(a);
}

static void
test_merge_max_stories(void **state)
{
    (void)state;
    StoryList *a = story_list_new();
    StoryList *b = story_list_new();
    for (int i = 0; i < 10; i++) {
        char id[8], title[32], url[32];
        snprintf(id, sizeof(id), "s%d", i);
        snprintf(title, sizeof(title), "Story number %d", i);
        snprintf(url, sizeof(url), "https://x/%d", i);
        push(i % 2 ? b : a, id, title, url, NOW_S - i);
    }
    StoryList *m = merge2(a, b, 3, 0);
    assert_ids(m, "s0 s1 s2");
    story_list_free(m);
    m = merge2(a, b, 1, 0);
    assert_ids(m, "s0");
    story_list_free(m);
    m = merge2(a, b, 10, 0);
    assert_int_equal(m->count, 10);
    story_list_free(m);

    /* Duplicates do not use up the cap. */
    push(b, "s0", "Story number 0", "https://x/0", NOW_S);
    push(b, "dup", "story NUMBER 1", "https://elsewhere/1", NOW_S - 1);
    m = merge2(a, b, 3, 0);
    assert_ids(m, "s0 s1 s2");
    story_list_free(m);
    story_list_free(a);
    story_list_free(b);
}

static void
test_merge_null_lists(void **state)
{
    (void)state;
    MergeOpts opts = {.max_stories = 100, .max_age_h = 0, .now_s = NOW_S};
    StoryList *m = merge_lists(NULL, 0, &opts);
    assert_non_null(m);
    assert_int_equal(m->count, 0);
    story_list_free(m);

    const StoryList *none[] = {NULL, NULL, NULL};
    m = merge_lists(none, 3, &opts);
    assert_non_null(m);
    assert_int_equal(m->count, 0);
    story_list_free(m);

    StoryList *a = story_list_new();
    push(a, "a1", "Only story", "https://a/1", NOW_S);
    StoryList *empty = story_list_new();
    const StoryList *some[] = {NULL, a, NULL, empty};
    m = merge_lists(some, 4, &opts);
    assert_ids(m, "a1");
    story_list_free(m);
    story_list_free(a);
    story_list_free(empty);
}

static void
push_src(StoryList *list, const char *id, const char *title, const char *url,
         int64_t published_s, const char *source)
{
    Story s = make_story(id, title, url, published_s);
    s.source = xstrdup(source);
    story_list_push(list, &s);
}

static void
test_sort_is_stable(void **state)
{
    (void)state;
    /* 20,000 stories (a merged list of many feeds) with 10 distinct
     * times: ties keep their order, undated ones go last. */
    StoryList *l = story_list_new();
    for (int i = 0; i < 20000; i++) {
        char id[16];
        snprintf(id, sizeof(id), "%d", i);
        push(l, id, "t", NULL, i % 10 == 9 ? STORY_NO_TIME : NOW_S - i % 10);
    }
    story_list_sort_newest(l);
    for (size_t i = 1; i < l->count; i++) {
        const Story *a = &l->items[i - 1], *b = &l->items[i];
        assert_true(a->published_s >= b->published_s);
        if (a->published_s == b->published_s)
            assert_true(atoi(a->id) < atoi(b->id));
    }
    assert_int_equal(l->items[l->count - 1].published_s, STORY_NO_TIME);
    story_list_free(l);
}

static void
test_merge_round_robin(void **state)
{
    (void)state;
    StoryList *a = story_list_new();
    push(a, "a1", "Alpha one is the newest", "https://a/1", NOW_S - 1);
    push(a, "a2", "Alpha two is the next", "https://a/2", NOW_S - 2);
    push(a, "a3", "Alpha three comes last", "https://a/3", NOW_S - 3);
    StoryList *b = story_list_new();
    /* Out of order in the feed: each feed is sorted first. */
    push(b, "b2", "Bravo two is older", "https://b/2", NOW_S - 200);
    push(b, "b1", "Bravo one is newer", "https://b/1", NOW_S - 100);
    StoryList *c = story_list_new();
    push(c, "c1", "Charlie only has one", "https://c/1", NOW_S - 50);
    const StoryList *lists[] = {a, NULL, b, c};
    MergeOpts o = {
        .max_stories = 100, .now_s = NOW_S, .order = MERGE_ROUND_ROBIN};
    StoryList *m = merge_lists(lists, 4, &o);
    assert_ids(m, "a1 b1 c1 a2 b2 a3");
    story_list_free(m);
    o.max_stories = 4;
    m = merge_lists(lists, 4, &o);
    assert_ids(m, "a1 b1 c1 a2");
    story_list_free(m);
    /* Newest first, for comparison. */
    o.order = MERGE_NEWEST;
    o.max_stories = 100;
    m = merge_lists(lists, 4, &o);
    assert_ids(m, "a1 a2 a3 c1 b1 b2");
    story_list_free(m);
    story_list_free(a);
    story_list_free(b);
    story_list_free(c);
}

static void
test_merge_credits_every_source(void **state)
{
    (void)state;
    StoryList *ap = story_list_new();
    push_src(ap, "ap1", "Storm closes coastal railway line", "https://ap/1",
             NOW_S - 10, "AP");
    StoryList *reuters = story_list_new();
    Story s = make_story("r1", "Storm closes coastal railway line!",
                         "https://reuters/1", NOW_S - 20);
    s.source = xstrdup("Reuters");
    s.summary = xstrdup("Only Reuters has a summary.");
    s.image = xstrdup("https://reuters/1.jpg");
    s.priority = 1;
    story_list_push(reuters, &s);
    StoryList *bbc = story_list_new();
    push_src(bbc, "b1", "STORM CLOSES COASTAL RAILWAY LINE", "https://bbc/1",
             NOW_S - 30, "BBC News");
    /* The same source twice is credited once. */
    push_src(bbc, "b2", "Storm closes coastal railway line",
             "https://ap/1?utm_source=bbc", NOW_S - 40, "ap");
    const StoryList *lists[] = {ap, reuters, bbc};
    MergeOpts o = {.max_stories = 100, .now_s = NOW_S};
    StoryList *m = merge_lists(lists, 3, &o);
    assert_int_equal(m->count, 1);
    const Story *k = &m->items[0];
    assert_string_equal(k->id, "ap1");
    assert_string_equal(k->source, "AP" MERGE_SEPARATOR
                                   "Reuters" MERGE_SEPARATOR "BBC News");
    assert_string_equal(k->source, "AP \xC2\xB7 Reuters \xC2\xB7 BBC News");
    /* What the kept copy lacked, a duplicate gave. */
    assert_string_equal(k->summary, "Only Reuters has a summary.");
    assert_string_equal(k->image, "https://reuters/1.jpg");
    assert_int_equal(k->priority, 1);
    story_list_free(m);

    /* At most MERGE_CREDIT_MAX names. */
    StoryList *many = story_list_new();
    const char *names[] = {"One", "Two", "Three", "Four", "Five", "Six"};
    for (size_t i = 0; i < ARRAY_LEN(names); i++)
        push_src(many, names[i], "A headline carried by every wire", NULL,
                 NOW_S - (int64_t)i, names[i]);
    const StoryList *one[] = {many};
    m = merge_lists(one, 1, &o);
    assert_int_equal(m->count, 1);
    assert_string_equal(m->items[0].source, "One \xC2\xB7 Two \xC2\xB7 Three "
                                            "\xC2\xB7 Four");
    story_list_free(m);
    story_list_free(many);
    story_list_free(ap);
    story_list_free(reuters);
    story_list_free(bbc);
}

static void
test_merge_short_titles_are_not_keys(void **state)
{
    (void)state;
    StoryList *a = story_list_new();
    push(a, "a", "Live", "https://a/live", NOW_S - 1);
    push(a, "b", "LIVE", "https://b/live", NOW_S - 2);
    StoryList *m = merge2(a, NULL, 100, 0);
    assert_ids(m, "a b");
    story_list_free(m);
    story_list_free(a);
}

static void
check_canonical(const char *url, const char *want)
{
    char *got = merge_canonical_url(url);
    if (strcmp(got, want))
        fail_msg("%s -> %s, want %s", url, got, want);
    free(got);
}

static void
test_canonical_url(void **state)
{
    (void)state;
    check_canonical("https://example.com/a", "https://example.com/a");
    check_canonical("HTTP://WWW.Example.COM/Path/?utm_source=x&id=7&"
                    "utm_medium=y#frag",
                    "https://example.com/Path?id=7");
    check_canonical("https://example.com:443/a/", "https://example.com/a");
    check_canonical("http://example.com:80/", "https://example.com");
    check_canonical("https://example.com:8443/a", "https://example.com:8443/a");
    check_canonical("http://example.com:443/a", "https://example.com:443/a");
    check_canonical("https://user@example.com./a", "https://example.com/a");
    check_canonical("https://example.com/a?fbclid=1&gclid=2&utm_x=3",
                    "https://example.com/a");
    check_canonical("https://example.com/a?b=1;utm_campaign=z;c=%2f",
                    "https://example.com/a?b=1&c=%2F");
    check_canonical("https://example.com/caf%c3%a9",
                    "https://example.com/caf%C3%A9");
    check_canonical("https://example.com/a?", "https://example.com/a");
    /* Not web addresses: as they are. */
    check_canonical("urn:uuid:1234", "urn:uuid:1234");
    check_canonical("ftp://Example.com/x", "ftp://Example.com/x");
    check_canonical("", "");
    char *n = merge_canonical_url(NULL);
    assert_string_equal(n, "");
    free(n);
}

static void
test_keyword_match(void **state)
{
    (void)state;
    assert_true(merge_keyword_match("Sport results today", "sport"));
    assert_true(merge_keyword_match("Results: SPORT", "sport"));
    assert_false(merge_keyword_match("Transport strike", "sport"));
    assert_false(merge_keyword_match("Sports day", "sport"));
    assert_true(merge_keyword_match("Sports day", "sport*"));
    assert_true(merge_keyword_match("Elections called", " elect* , x"));
    assert_true(
        merge_keyword_match("The Premier League table", "premier league"));
    assert_false(
        merge_keyword_match("Premier of the league", "premier league"));
    assert_true(merge_keyword_match("Caf\xC3\xA9 opens", "caf\xC3\xA9"));
    assert_false(merge_keyword_match("Caf\xC3\xA9s open", "caf\xC3\xA9"));
    assert_true(merge_keyword_match("C++ release", "c++"));
    assert_false(merge_keyword_match("anything", ""));
    assert_false(merge_keyword_match("anything", " , ,"));
    assert_false(merge_keyword_match(NULL, "x"));
}

static void
test_merge_filters(void **state)
{
    (void)state;
    StoryList *a = story_list_new();
    push(a, "sport", "Cup final tonight", NULL, NOW_S - 1);
    a->items[0].summary = xstrdup("Football: the cup final kicks off at 8.");
    push(a, "trans", "Transport strike called off", NULL, NOW_S - 2);
    push(a, "elect", "Election date set", NULL, NOW_S - 3);
    push(a, "weather", "Storm warning for the coast", NULL, NOW_S - 4);
    MergeOpts o = {.max_stories = 100, .now_s = NOW_S};
    const StoryList *lists[] = {a};
    util_strlcpy(o.block, "football, celebrity", sizeof(o.block));
    StoryList *m = merge_lists(lists, 1, &o);
    assert_ids(m, "trans elect weather");
    story_list_free(m);
    util_strlcpy(o.allow, "elect*, storm, strike", sizeof(o.allow));
    m = merge_lists(lists, 1, &o);
    assert_ids(m, "trans elect weather");
    story_list_free(m);
    util_strlcpy(o.allow, "elect*, cup", sizeof(o.allow));
    m = merge_lists(lists, 1, &o);
    assert_ids(m, "elect"); /* block wins over allow */
    story_list_free(m);
    /* The cap counts what is left after filtering. */
    o.block[0] = '\0';
    o.allow[0] = '\0';
    util_strlcpy(o.block, "cup", sizeof(o.block));
    o.max_stories = 2;
    m = merge_lists(lists, 1, &o);
    assert_ids(m, "trans elect");
    story_list_free(m);
    story_list_free(a);
}

static void
test_merge_per_feed_age_expiry_and_future(void **state)
{
    (void)state;
    StoryList *a = story_list_new();
    push(a, "a-fresh", "Fresh alpha story", NULL, NOW_S - HOUR_S);
    push(a, "a-old", "Three hours old alpha", NULL, NOW_S - 3 * HOUR_S);
    StoryList *b = story_list_new();
    push(b, "b-old", "Three hours old bravo", NULL, NOW_S - 3 * HOUR_S);
    push(b, "b-week", "A week old bravo", NULL, NOW_S - 7 * 24 * HOUR_S);
    Story s = make_story("b-expired", "Expired bravo alert", NULL, NOW_S - 60);
    s.expires_s = NOW_S;
    story_list_push(b, &s);
    s = make_story("b-live", "Bravo alert still live", NULL, NOW_S - 61);
    s.expires_s = NOW_S + 1;
    story_list_push(b, &s);
    push(b, "b-future", "Dated two days ahead", NULL, NOW_S + 48 * HOUR_S);
    const StoryList *lists[] = {a, b};
    MergeOpts o = {.max_stories = 100, .max_age_h = 24, .now_s = NOW_S};
    o.list_max_age_h[0] = 2; /* alpha's own limit */
    StoryList *m = merge_lists(lists, 2, &o);
    /* A date more than a day ahead counts as unknown: last. */
    assert_ids(m, "b-live a-fresh b-old b-future");
    assert_int_equal(m->items[3].published_s, STORY_NO_TIME);
    story_list_free(m);
    story_list_free(a);
    story_list_free(b);
}

static void
test_merge_opts_from_config(void **state)
{
    (void)state;
    Config *cfg = xcalloc(1, sizeof(Config));
    config_defaults(cfg);
    char err[256];
    assert_int_equal(config_load_string(cfg,
                                        "[filter]\nmax_age_h = 48\n"
                                        "max_stories = 7\norder = round_robin\n"
                                        "block = a, b\nallow = c\n"
                                        "[feed.x]\nurl = https://x/\n"
                                        "[feed.y]\nurl = https://y/\n"
                                        "max_age_h = 6\n",
                                        "t.conf", err, sizeof(err)),
                     0);
    MergeOpts o;
    merge_opts_init(&o, cfg);
    assert_int_equal(o.max_stories, 7);
    assert_int_equal(o.max_age_h, 48);
    assert_int_equal(o.order, MERGE_ROUND_ROBIN);
    assert_string_equal(o.block, "a, b");
    assert_string_equal(o.allow, "c");
    assert_int_equal(o.list_max_age_h[0], 0);
    assert_int_equal(o.list_max_age_h[1], 6);
    free(cfg);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_push_and_free),
        cmocka_unit_test(test_clone),
        cmocka_unit_test(test_sort_newest),
        cmocka_unit_test(test_read_minutes),
        cmocka_unit_test(test_merge_newest_first),
        cmocka_unit_test(test_merge_dedupe_by_id),
        cmocka_unit_test(test_merge_dedupe_by_url),
        cmocka_unit_test(test_merge_dedupe_by_title),
        cmocka_unit_test(test_merge_max_age),
        cmocka_unit_test(test_merge_max_stories),
        cmocka_unit_test(test_merge_null_lists),
        cmocka_unit_test(test_sort_is_stable),
        cmocka_unit_test(test_merge_round_robin),
        cmocka_unit_test(test_merge_credits_every_source),
        cmocka_unit_test(test_merge_short_titles_are_not_keys),
        cmocka_unit_test(test_canonical_url),
        cmocka_unit_test(test_keyword_match),
        cmocka_unit_test(test_merge_filters),
        cmocka_unit_test(test_merge_per_feed_age_expiry_and_future),
        cmocka_unit_test(test_merge_opts_from_config),
    };
    return cmocka_run_group_tests_name("story_merge", tests, NULL, NULL);
}
