/*
 * test_statusfile: the --status-file document parses as JSON and carries
 * every field the README lists, with times in ISO 8601 UTC; the text used
 * to detect changes leaves out the per-frame totals.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <cJSON.h>

#include "statusfile.h"
#include "version.h"

#define T0 INT64_C(1764410400) /* 2025-11-29T10:00:00Z */

static FetchStatus
sample(void)
{
    FetchStatus st;
    memset(&st, 0, sizeof(st));
    st.feed_count = 3;
    st.stories_shown = 7;
    st.last_ok_s = T0;
    FeedStatus *a = &st.feeds[0], *b = &st.feeds[1], *c = &st.feeds[2];
    util_strlcpy(a->name, "alpha", sizeof(a->name));
    a->last_ok_s = a->last_attempt_s = T0;
    a->next_attempt_s = T0 + 300;
    a->story_count = 7;
    a->http_status = 200;
    util_strlcpy(b->name, "beta \"quoted\"", sizeof(b->name));
    b->last_ok_s = T0 - 3600;
    b->last_attempt_s = T0 - 10;
    b->next_attempt_s = T0 + 20;
    b->failures = 4;
    b->offline = true;
    b->http_status = 503;
    util_strlcpy(b->error, "beta: the server answered HTTP 503",
                 sizeof(b->error));
    util_strlcpy(c->name, "gamma", sizeof(c->name));
    return st;
}

static const cJSON *
item(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!v)
        fail_msg("missing key %s", key);
    return v;
}

static void
test_document(void **state)
{
    (void)state;
    FetchStatus st = sample();
    StatusTotals t = {123456, 3, T0 + 5};
    Buf b;
    buf_init(&b);
    statusfile_format(&st, &t, &b);
    cJSON *root = cJSON_Parse(b.data);
    assert_non_null(root);
    assert_string_equal(item(root, "version")->valuestring, NEWSWIRE_VERSION);
    assert_string_equal(item(root, "written")->valuestring,
                        "2025-11-29T10:00:05Z");
    assert_int_equal(item(root, "frames")->valuedouble, 123456);
    assert_int_equal(item(root, "dropped_frames")->valuedouble, 3);
    assert_int_equal(item(root, "stories_shown")->valuedouble, 7);
    assert_string_equal(item(root, "last_update")->valuestring,
                        "2025-11-29T10:00:00Z");
    assert_string_equal(item(root, "offline_since")->valuestring,
                        "2025-11-29T09:00:00Z");
    const cJSON *feeds = item(root, "feeds");
    assert_int_equal(cJSON_GetArraySize(feeds), 3);
    const cJSON *a = cJSON_GetArrayItem(feeds, 0);
    assert_string_equal(item(a, "state")->valuestring, "ok");
    assert_string_equal(item(a, "next_attempt")->valuestring,
                        "2025-11-29T10:05:00Z");
    assert_true(cJSON_IsNull(item(a, "error")));
    assert_int_equal(item(a, "stories")->valuedouble, 7);
    const cJSON *bb = cJSON_GetArrayItem(feeds, 1);
    assert_string_equal(item(bb, "name")->valuestring, "beta \"quoted\"");
    assert_string_equal(item(bb, "state")->valuestring, "offline");
    assert_string_equal(item(bb, "error")->valuestring,
                        "beta: the server answered HTTP 503");
    assert_int_equal(item(bb, "failures")->valuedouble, 4);
    assert_int_equal(item(bb, "http_status")->valuedouble, 503);
    const cJSON *c = cJSON_GetArrayItem(feeds, 2);
    assert_string_equal(item(c, "state")->valuestring, "waiting");
    assert_true(cJSON_IsNull(item(c, "last_success")));
    cJSON_Delete(root);

    /* Without totals: the same document minus the per-frame fields, so a
     * new frame count alone does not count as a change. */
    Buf key;
    buf_init(&key);
    statusfile_format(&st, NULL, &key);
    root = cJSON_Parse(key.data);
    assert_non_null(root);
    assert_null(cJSON_GetObjectItemCaseSensitive(root, "frames"));
    assert_null(cJSON_GetObjectItemCaseSensitive(root, "written"));
    assert_non_null(cJSON_GetObjectItemCaseSensitive(root, "feeds"));
    cJSON_Delete(root);
    buf_deinit(&key);
    buf_deinit(&b);
}

static void
test_states(void **state)
{
    (void)state;
    FeedStatus fs;
    memset(&fs, 0, sizeof(fs));
    assert_string_equal(statusfile_feed_state(&fs), "waiting");
    fs.last_attempt_s = T0;
    assert_string_equal(statusfile_feed_state(&fs), "ok");
    util_strlcpy(fs.error, "x", sizeof(fs.error));
    assert_string_equal(statusfile_feed_state(&fs), "failing");
    fs.offline = true;
    assert_string_equal(statusfile_feed_state(&fs), "offline");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_document),
        cmocka_unit_test(test_states),
    };
    return cmocka_run_group_tests_name("statusfile", tests, NULL, NULL);
}
