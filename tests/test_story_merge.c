/*
 * test_story_merge: Story and StoryList life cycle, sorting and reading
 * time (story.c), and combining feeds into one list (merge.c): order,
 * the three duplicate rules, the age limit and the story cap.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

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
    };
    return cmocka_run_group_tests_name("story_merge", tests, NULL, NULL);
}
