/*
 * it_fetch: the real fetch path (libcurl, decoders, merge, inbox) over
 * file:// documents that the test rewrites between rounds. A feed that stops
 * parsing must keep its previous stories; a failing feed must never remove
 * another feed's stories; the thread must deliver without the render side
 * ever waiting.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "fetch.h"
#include "http.h"
#include "inbox.h"
#include "ittools.h"
#include "util.h"

static const int64_t WALL = 1764410400;

static char *
newsapi_doc(const char *prefix, int n)
{
    Buf b;
    buf_init(&b);
    buf_appends(&b, "{\"status\":\"ok\",\"articles\":[");
    for (int i = 0; i < n; i++) {
        buf_appendf(&b,
                    "%s{\"source\":{\"name\":\"%s wire\"},\"title\":\"%s "
                    "story %d\",\"url\":\"https://example.com/%s/%d\","
                    "\"publishedAt\":\"2025-11-29T0%d:00:00Z\"}",
                    i ? "," : "", prefix, prefix, i, prefix, i, i % 10);
    }
    buf_appends(&b, "]}");
    return buf_steal(&b);
}

typedef struct Fixture {
    Config cfg;
    Inbox *inbox;
    Fetcher *fetcher;
    char *path_a, *path_b;
} Fixture;

static int
setup(void **state)
{
    Fixture *f = xcalloc(1, sizeof(Fixture));
    config_defaults(&f->cfg);
    f->path_a = it_path("a.json");
    f->path_b = it_path("b.json");
    char *doc = newsapi_doc("alpha", 3);
    assert_true(it_write_file(f->path_a, doc));
    free(doc);
    doc = newsapi_doc("beta", 2);
    assert_true(it_write_file(f->path_b, doc));
    free(doc);
    char err[256], url[600];
    snprintf(url, sizeof(url), "file://%s", f->path_a);
    assert_int_equal(
        config_set(&f->cfg, "feed.a", "url", url, err, sizeof(err)), 0);
    snprintf(url, sizeof(url), "file://%s", f->path_b);
    assert_int_equal(
        config_set(&f->cfg, "feed.b", "url", url, err, sizeof(err)), 0);
    f->inbox = inbox_new();
    f->fetcher = fetcher_new(&f->cfg, f->inbox);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    Fixture *f = *state;
    fetcher_free(f->fetcher);
    inbox_free(f->inbox);
    free(f->path_a);
    free(f->path_b);
    free(f);
    return 0;
}

static size_t
count_from(const StoryList *l, const char *feed)
{
    size_t n = 0;
    for (size_t i = 0; i < l->count; i++)
        n += !strcmp(l->items[i].feed, feed);
    return n;
}

static void
test_bad_document_keeps_previous_stories(void **state)
{
    Fixture *f = *state;
    assert_int_equal(fetcher_run_once(f->fetcher, WALL), 5);
    StoryList *list = NULL;
    FetchStatus st;
    assert_true(inbox_take(f->inbox, &list, &st));
    assert_non_null(list);
    assert_int_equal(list->count, 5);
    assert_int_equal(count_from(list, "a"), 3);
    assert_string_equal(fetch_status_error(&st), "");
    assert_int_equal(st.last_ok_s, WALL);
    story_list_free(list);

    /* Feed b now serves garbage: no new list is posted (the screen keeps
     * what it has), the status names feed b and why. */
    assert_true(it_write_file(f->path_b, "{\"articles\": [ {\"title\": "));
    assert_int_equal(fetcher_run_once(f->fetcher, WALL + 60), 5);
    assert_true(inbox_take(f->inbox, &list, &st));
    assert_null(list);
    assert_non_null(strstr(fetch_status_error(&st), "b: not valid JSON"));
    assert_int_equal(st.feeds[1].failures, 1);
    assert_int_equal(st.feeds[1].last_ok_s, WALL);

    /* Feed a changes: the merged list still has feed b's last good
     * stories. */
    char *doc = newsapi_doc("alpha", 4);
    assert_true(it_write_file(f->path_a, doc));
    free(doc);
    fetcher_run_once(f->fetcher, WALL + 120);
    assert_true(inbox_take(f->inbox, &list, &st));
    assert_non_null(list);
    assert_int_equal(count_from(list, "a"), 4);
    assert_int_equal(count_from(list, "b"), 2);
    story_list_free(list);

    /* An empty article list must not wipe feed b either. */
    assert_true(
        it_write_file(f->path_b, "{\"status\":\"ok\",\"articles\":[]}"));
    fetcher_run_once(f->fetcher, WALL + 180);
    assert_true(inbox_take(f->inbox, &list, &st));
    assert_null(list);
    assert_non_null(strstr(fetch_status_error(&st), "no stories"));
}

static void
test_missing_file_is_an_error_not_a_crash(void **state)
{
    Fixture *f = *state;
    remove(f->path_a);
    assert_int_equal(fetcher_run_once(f->fetcher, WALL), 2);
    StoryList *list = NULL;
    FetchStatus st;
    assert_true(inbox_take(f->inbox, &list, &st));
    assert_non_null(list);
    assert_int_equal(count_from(list, "b"), 2);
    assert_non_null(strstr(st.feeds[0].error, "a: "));
    story_list_free(list);
}

static void
test_thread_delivers_and_stops(void **state)
{
    Fixture *f = *state;
    assert_int_equal(fetcher_start(f->fetcher), 0);
    StoryList *list = NULL;
    FetchStatus st;
    /* Poll as the render loop does; never blocks. */
    for (int i = 0; i < 500 && !list; i++) {
        inbox_take(f->inbox, &list, &st);
        if (!list)
            nanosleep(&(struct timespec){0, 10000000}, NULL);
    }
    assert_non_null(list);
    assert_int_equal(list->count, 5);
    story_list_free(list);
    /* A refresh request fetches again at once, well before the 300 s
     * interval. */
    char *doc = newsapi_doc("alpha", 1);
    assert_true(it_write_file(f->path_a, doc));
    free(doc);
    fetcher_refresh(f->fetcher);
    list = NULL;
    for (int i = 0; i < 500 && !list; i++) {
        inbox_take(f->inbox, &list, &st);
        if (!list)
            nanosleep(&(struct timespec){0, 10000000}, NULL);
    }
    assert_non_null(list);
    assert_int_equal(list->count, 3);
    story_list_free(list);
    fetcher_stop(f->fetcher);
}

int
main(void)
{
    if (http_global_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_bad_document_keeps_previous_stories, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_missing_file_is_an_error_not_a_crash, setup, teardown),
        cmocka_unit_test_setup_teardown(test_thread_delivers_and_stops, setup,
                                        teardown),
    };
    int rc = cmocka_run_group_tests_name("fetch", tests, NULL, NULL);
    http_global_cleanup();
    return rc;
}
