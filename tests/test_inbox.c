/*
 * test_inbox: the latest-wins mailbox between the fetch and render
 * threads. Lists replaced before anyone took them must be freed: run under
 * `make san` so LeakSanitizer proves it. The stress test posts from one
 * thread and takes on another.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pthread.h>

#include <cmocka.h>

#include "inbox.h"
#include "story.h"
#include "util.h"

#define STRESS_POSTS 20000

/* What inbox_take must overwrite with NULL when nothing is waiting. */
static StoryList sentinel;

/* A list of one story whose title is "seq N". */
static StoryList *
list_with_seq(long seq)
{
    StoryList *list = story_list_new();
    Story s = {0};
    s.id = xasprintf("id%ld", seq);
    s.title = xasprintf("seq %ld", seq);
    s.published_s = STORY_NO_TIME;
    story_list_push(list, &s);
    return list;
}

static long
seq_of(const StoryList *list)
{
    long seq = -1;
    if (list->count != 1 || sscanf(list->items[0].title, "seq %ld", &seq) != 1)
        return -1;
    return seq;
}

static FetchStatus
status_with(int64_t last_ok_s, const char *error)
{
    FetchStatus st;
    memset(&st, 0, sizeof(st));
    st.feed_count = 1;
    st.last_ok_s = last_ok_s;
    st.fetched_once = true;
    util_strlcpy(st.feeds[0].name, "main", sizeof(st.feeds[0].name));
    st.feeds[0].last_ok_s = last_ok_s;
    util_strlcpy(st.feeds[0].error, error, sizeof(st.feeds[0].error));
    return st;
}

static void
test_take_empty(void **state)
{
    (void)state;
    Inbox *inbox = inbox_new();
    StoryList *list = &sentinel;
    FetchStatus st;
    memset(&st, 0x5A, sizeof(st));
    assert_false(inbox_take(inbox, &list, &st));
    assert_null(list);
    /* Nothing posted: the caller's status is left alone. */
    FetchStatus untouched;
    memset(&untouched, 0x5A, sizeof(untouched));
    assert_memory_equal(&st, &untouched, sizeof(st));
    inbox_free(inbox);
    inbox_free(NULL);
}

static void
test_post_then_take(void **state)
{
    (void)state;
    Inbox *inbox = inbox_new();
    StoryList *posted = list_with_seq(7);
    FetchStatus sent = status_with(1732435965, "");
    inbox_post(inbox, posted, &sent);

    StoryList *got = NULL;
    FetchStatus st;
    memset(&st, 0, sizeof(st));
    assert_true(inbox_take(inbox, &got, &st));
    assert_ptr_equal(got, posted); /* moved, not copied */
    assert_int_equal(seq_of(got), 7);
    assert_int_equal(st.last_ok_s, 1732435965);
    assert_int_equal(st.feed_count, 1);
    assert_string_equal(st.feeds[0].name, "main");
    assert_true(st.fetched_once);

    /* Taken once only. */
    StoryList *again = &sentinel;
    assert_false(inbox_take(inbox, &again, &st));
    assert_null(again);
    story_list_free(got);
    inbox_free(inbox);
}

static void
test_latest_wins(void **state)
{
    (void)state;
    Inbox *inbox = inbox_new();
    FetchStatus first = status_with(100, "first");
    FetchStatus second = status_with(200, "");
    inbox_post(inbox, list_with_seq(1), &first);
    /* Replaces list 1, which the inbox must free (LeakSanitizer checks). */
    inbox_post(inbox, list_with_seq(2), &second);
    StoryList *got = NULL;
    FetchStatus st;
    assert_true(inbox_take(inbox, &got, &st));
    assert_non_null(got);
    assert_int_equal(seq_of(got), 2);
    assert_int_equal(st.last_ok_s, 200);
    assert_string_equal(st.feeds[0].error, "");
    story_list_free(got);

    StoryList *none = &sentinel;
    assert_false(inbox_take(inbox, &none, &st));
    assert_null(none);

    /* Many replacements, and a list still waiting at inbox_free. */
    for (long i = 0; i < 100; i++)
        inbox_post(inbox, list_with_seq(i), NULL);
    inbox_free(inbox);
}

static void
test_status_only(void **state)
{
    (void)state;
    Inbox *inbox = inbox_new();
    FetchStatus sent = status_with(0, "bbc: could not connect");
    inbox_post(inbox, NULL, &sent);
    StoryList *got = &sentinel;
    FetchStatus st;
    memset(&st, 0, sizeof(st));
    assert_true(inbox_take(inbox, &got, &st));
    assert_null(got);
    assert_string_equal(st.feeds[0].error, "bbc: could not connect");
    assert_string_equal(fetch_status_error(&st), "bbc: could not connect");
    /* The status is reported once. */
    assert_false(inbox_take(inbox, &got, &st));
    assert_null(got);

    /* A status-only post keeps a list that is already waiting. */
    inbox_post(inbox, list_with_seq(5), NULL);
    FetchStatus later = status_with(300, "");
    inbox_post(inbox, NULL, &later);
    assert_true(inbox_take(inbox, &got, &st));
    assert_non_null(got);
    assert_int_equal(seq_of(got), 5);
    assert_int_equal(st.last_ok_s, 300);
    story_list_free(got);

    /* A list without status: the caller's status is not touched. */
    inbox_post(inbox, list_with_seq(6), NULL);
    memset(&st, 0, sizeof(st));
    st.last_ok_s = -42;
    assert_true(inbox_take(inbox, &got, &st));
    assert_int_equal(seq_of(got), 6);
    assert_int_equal(st.last_ok_s, -42);
    story_list_free(got);

    /* The caller may not want the status at all. */
    inbox_post(inbox, NULL, &later);
    assert_true(inbox_take(inbox, &got, NULL));
    assert_null(got);
    assert_false(inbox_take(inbox, &got, &st));

    /* Posting nothing changes nothing. */
    inbox_post(inbox, NULL, NULL);
    assert_false(inbox_take(inbox, &got, &st));
    inbox_free(inbox);
}

static void
test_status_error_text(void **state)
{
    (void)state;
    FetchStatus st;
    memset(&st, 0, sizeof(st));
    assert_string_equal(fetch_status_error(&st), "");
    st.feed_count = 3;
    util_strlcpy(st.feeds[0].name, "a", sizeof(st.feeds[0].name));
    util_strlcpy(st.feeds[1].error, "b: timed out", STATUS_ERROR_MAX);
    util_strlcpy(st.feeds[2].error, "c: not JSON", STATUS_ERROR_MAX);
    assert_string_equal(fetch_status_error(&st), "b: timed out");
    /* Only the feeds that are counted. */
    st.feed_count = 1;
    assert_string_equal(fetch_status_error(&st), "");
}

typedef struct Stress {
    Inbox *inbox;
    pthread_mutex_t lock;
    bool poster_done; /* [lock] */
    /* Written by the taker only; read after join. */
    long takes_with_list;
    long last_seq;
    long bad_seq; /* first sequence number out of order, or -1 */
    long bad_prev;
    int64_t last_status_seq;
    int64_t bad_status; /* first status out of order, or -1 */
    int bad_pair;       /* a list arrived with an older status */
} Stress;

static void *
poster_main(void *arg)
{
    Stress *s = arg;
    for (long i = 0; i < STRESS_POSTS; i++) {
        FetchStatus st = status_with(i, "");
        inbox_post(s->inbox, list_with_seq(i), &st);
    }
    pthread_mutex_lock(&s->lock);
    s->poster_done = true;
    pthread_mutex_unlock(&s->lock);
    return NULL;
}

static void *
taker_main(void *arg)
{
    Stress *s = arg;
    while (s->last_seq != STRESS_POSTS - 1) {
        StoryList *list = NULL;
        FetchStatus st;
        st.last_ok_s = -1;
        pthread_mutex_lock(&s->lock);
        bool done = s->poster_done;
        pthread_mutex_unlock(&s->lock);
        if (!inbox_take(s->inbox, &list, &st)) {
            if (done)
                break; /* every post happened before: the last was lost */
            continue;
        }
        if (st.last_ok_s >= 0) {
            if (st.last_ok_s <= s->last_status_seq && s->bad_status < 0)
                s->bad_status = st.last_ok_s;
            s->last_status_seq = st.last_ok_s;
        }
        if (!list)
            continue;
        long seq = seq_of(list);
        if (seq <= s->last_seq && s->bad_seq < 0) {
            s->bad_seq = seq;
            s->bad_prev = s->last_seq;
        }
        /* List and status go in under one lock: the status is never older
         * than the list it came with. */
        if (s->last_status_seq < seq)
            s->bad_pair = 1;
        s->last_seq = seq;
        s->takes_with_list++;
        story_list_free(list);
        if (s->bad_seq >= 0)
            break; /* out of order: the sequence may never end */
    }
    return NULL;
}

static void
test_two_thread_stress(void **state)
{
    (void)state;
    Stress s = {.inbox = inbox_new(),
                .last_seq = -1,
                .bad_seq = -1,
                .last_status_seq = -1,
                .bad_status = -1};
    assert_int_equal(pthread_mutex_init(&s.lock, NULL), 0);
    pthread_t poster, taker;
    assert_int_equal(pthread_create(&taker, NULL, taker_main, &s), 0);
    assert_int_equal(pthread_create(&poster, NULL, poster_main, &s), 0);
    assert_int_equal(pthread_join(poster, NULL), 0);
    assert_int_equal(pthread_join(taker, NULL), 0);
    if (s.bad_seq >= 0)
        fail_msg("took seq %ld after seq %ld", s.bad_seq, s.bad_prev);
    if (s.bad_status >= 0)
        fail_msg("status %lld came after a newer one", (long long)s.bad_status);
    assert_false(s.bad_pair);
    assert_int_equal(s.last_seq, STRESS_POSTS - 1);
    assert_int_equal(s.last_status_seq, STRESS_POSTS - 1);
    assert_true(s.takes_with_list >= 1);
    assert_true(s.takes_with_list <= STRESS_POSTS);
    printf("# stress: %ld of %d lists taken, the rest replaced\n",
           s.takes_with_list, STRESS_POSTS);

    /* Everything was taken: nothing waits. */
    StoryList *list = &sentinel;
    FetchStatus st;
    assert_false(inbox_take(s.inbox, &list, &st));
    assert_null(list);
    inbox_free(s.inbox);
    pthread_mutex_destroy(&s.lock);
}

#define PICTURE_POSTS 2000

static void *
picture_poster_main(void *arg)
{
    Inbox *inbox = arg;
    for (int i = 0; i < PICTURE_POSTS; i++) {
        PictureList *l = picture_list_new();
        Picture p = {xasprintf("https://img.test/%d.png", i), i + 1, 1,
                     xcalloc((size_t)i + 1, sizeof(uint32_t))};
        picture_list_push(l, &p);
        inbox_post_pictures(inbox, l);
        picture_list_free(l);
    }
    return NULL;
}

/* Pictures from another thread all arrive, in order, none twice: they
 * queue up instead of replacing each other. */
static void
test_pictures_from_another_thread(void **state)
{
    (void)state;
    Inbox *inbox = inbox_new();
    pthread_t poster;
    assert_int_equal(pthread_create(&poster, NULL, picture_poster_main, inbox),
                     0);
    int next = 0;
    while (next < PICTURE_POSTS) {
        PictureList *got = inbox_take_pictures(inbox);
        for (size_t i = 0; got && i < got->count; i++, next++)
            assert_int_equal(got->items[i].w, next + 1);
        picture_list_free(got);
    }
    pthread_join(poster, NULL);
    assert_null(inbox_take_pictures(inbox));
    inbox_free(inbox);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_take_empty),
        cmocka_unit_test(test_post_then_take),
        cmocka_unit_test(test_latest_wins),
        cmocka_unit_test(test_status_only),
        cmocka_unit_test(test_status_error_text),
        cmocka_unit_test(test_two_thread_stress),
        cmocka_unit_test(test_pictures_from_another_thread),
    };
    return cmocka_run_group_tests_name("inbox", tests, NULL, NULL);
}
