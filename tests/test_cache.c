/*
 * test_cache: the on-disk cache format. A round trip keeps every field; a
 * damaged file (empty, any truncation, any single flipped byte, zeroes,
 * random bytes, oversized, valid JSON of the wrong shape) is refused as a
 * whole with a reason, never half-loaded. Run under `make san` too.
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "backoff.h"
#include "cache.h"
#include "util.h"

static StoryList *
sample_stories(int n)
{
    StoryList *l = story_list_new();
    for (int i = 0; i < n; i++) {
        Story s = {0};
        s.id = xasprintf("id-%d", i);
        s.title = xasprintf("Headline %d: caf\xc3\xa9 \"quoted\" \\ tab\t", i);
        s.summary = i % 2 ? xasprintf("Summary %d \xe2\x80\x94 dash", i) : NULL;
        s.source = i % 3 ? xstrdup("Wire") : NULL;
        s.url = xasprintf("https://example.com/%d?a=1&b=2", i);
        s.image = i == 1 ? xstrdup("https://example.com/i.png") : NULL;
        s.feed = xstrdup("top");
        s.published_s = i == 2 ? STORY_NO_TIME : 1764410400 - i * 60;
        s.priority = i == 0;
        s.read_min = i;
        story_list_push(l, &s);
    }
    return l;
}

static void
sample_entry(CacheEntry *e, int n)
{
    memset(e, 0, sizeof(*e));
    util_strlcpy(e->feed, "top", sizeof(e->feed));
    util_strlcpy(e->url, "https://example.com/feed.json", sizeof(e->url));
    util_strlcpy(e->version, "0.1.0", sizeof(e->version));
    util_strlcpy(e->etag, "W/\"abc123\"", sizeof(e->etag));
    util_strlcpy(e->last_modified, "Sat, 29 Nov 2025 10:00:00 GMT",
                 sizeof(e->last_modified));
    e->saved_s = 1764410460;
    e->stories = sample_stories(n);
}

static void
test_round_trip(void **state)
{
    (void)state;
    CacheEntry e, d;
    sample_entry(&e, 5);
    Buf b;
    buf_init(&b);
    cache_encode(&e, &b);
    assert_true(!strncmp(b.data, "newswire-cache 1 ", 17));
    char err[128] = "";
    assert_int_equal(cache_decode(b.data, b.len, &d, err, sizeof(err)), 0);
    assert_string_equal(d.feed, e.feed);
    assert_string_equal(d.url, e.url);
    assert_string_equal(d.version, e.version);
    assert_string_equal(d.etag, e.etag);
    assert_string_equal(d.last_modified, e.last_modified);
    assert_int_equal(d.saved_s, e.saved_s);
    assert_true(story_list_equal(d.stories, e.stories));
    assert_int_equal(d.stories->items[2].published_s, STORY_NO_TIME);
    assert_null(d.stories->items[0].summary);

    /* Encoding is deterministic: the same entry gives the same bytes. */
    Buf again;
    buf_init(&again);
    cache_encode(&d, &again);
    assert_int_equal(again.len, b.len);
    assert_memory_equal(again.data, b.data, b.len);
    buf_deinit(&again);
    cache_entry_deinit(&d);

    /* No stories and no validators are fine too. */
    cache_entry_deinit(&e);
    e.stories = story_list_new();
    e.etag[0] = e.last_modified[0] = '\0';
    buf_clear(&b);
    cache_encode(&e, &b);
    assert_int_equal(cache_decode(b.data, b.len, &d, err, sizeof(err)), 0);
    assert_int_equal(d.stories->count, 0);
    assert_string_equal(d.etag, "");
    cache_entry_deinit(&d);
    cache_entry_deinit(&e);
    buf_deinit(&b);
}

static void
expect_refused(const char *data, size_t len, const char *why)
{
    CacheEntry d;
    char err[128] = "";
    if (cache_decode(data, len, &d, err, sizeof(err)) == 0) {
        cache_entry_deinit(&d);
        fail_msg("accepted a damaged file (%s)", why);
    }
    assert_null(d.stories);
    assert_true(strlen(err) > 5);
}

static void
test_every_truncation_and_flip_is_refused(void **state)
{
    (void)state;
    CacheEntry e;
    sample_entry(&e, 3);
    Buf b;
    buf_init(&b);
    cache_encode(&e, &b);
    cache_entry_deinit(&e);
    for (size_t n = 0; n < b.len; n++) {
        char *copy = xmalloc(n + 1); /* exact size: ASan sees overreads */
        memcpy(copy, b.data, n);
        expect_refused(copy, n, "truncated");
        free(copy);
    }
    char *copy = xmalloc(b.len);
    for (size_t i = 0; i < b.len; i++) {
        for (int bit = 0; bit < 8; bit += 3) {
            memcpy(copy, b.data, b.len);
            copy[i] = (char)(copy[i] ^ (1 << bit));
            char why[64];
            snprintf(why, sizeof(why), "bit %d of byte %zu flipped", bit, i);
            expect_refused(copy, b.len, why);
        }
    }
    /* Padding after a valid document, as a reused block might leave. */
    Buf padded;
    buf_init(&padded);
    buf_append(&padded, b.data, b.len);
    buf_append(&padded, "\0\0\0\0", 4);
    expect_refused(padded.data, padded.len, "zero padding");
    /* A power cut that left zeroes where the data should be. */
    memset(copy, 0, b.len);
    expect_refused(copy, b.len, "zero-filled");
    free(copy);
    buf_deinit(&padded);
    buf_deinit(&b);
}

static void
test_random_and_huge_files_are_refused(void **state)
{
    (void)state;
    Rng r;
    rng_seed(&r, 99);
    char buf[4096];
    for (int round = 0; round < 200; round++) {
        size_t n = (size_t)(rng_next(&r) % sizeof(buf));
        for (size_t i = 0; i < n; i++)
            buf[i] = (char)rng_next(&r);
        expect_refused(buf, n, "random bytes");
    }
    /* A 10 MB file is refused on its size, before any parsing. */
    size_t big = 10 * 1024 * 1024;
    char *huge = xcalloc(1, big);
    memcpy(huge, "newswire-cache 1 10485700 0000000000000000\n", 43);
    CacheEntry d;
    char err[128];
    assert_int_equal(cache_decode(huge, big, &d, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "limit"));
    free(huge);
    expect_refused("", 0, "empty");
    expect_refused("\n", 1, "one newline");
}

/* Frames a JSON text with a correct header, as a writer would. */
static char *
framed(const char *json, size_t *len)
{
    Buf b;
    buf_init(&b);
    buf_appendf(&b, "newswire-cache 1 %zu %016" PRIx64 "\n", strlen(json),
                util_hash64(json, strlen(json), CACHE_HASH_SEED));
    buf_appends(&b, json);
    *len = b.len;
    return buf_steal(&b);
}

static void
test_wrong_shapes_with_good_checksums(void **state)
{
    (void)state;
    const char *ok_story = "{\"id\":\"a\",\"title\":\"T\",\"summary\":null,"
                           "\"source\":null,\"url\":null,\"image\":null,"
                           "\"feed\":\"top\",\"published\":null,"
                           "\"priority\":0,\"read_min\":1}";
    char good[1024];
    snprintf(good, sizeof(good),
             "{\"feed\":\"top\",\"url\":\"u\",\"saved\":5,\"version\":\"v\","
             "\"etag\":\"\",\"last_modified\":\"\",\"stories\":[%s]}",
             ok_story);
    size_t len;
    char *f = framed(good, &len);
    CacheEntry d;
    char err[128];
    assert_int_equal(cache_decode(f, len, &d, err, sizeof(err)), 0);
    assert_int_equal(d.stories->count, 1);
    cache_entry_deinit(&d);
    free(f);

    static const char *const bad[] = {
        "[]",
        "\"text\"",
        "{\"feed\":\"top\"}",
        "{\"feed\":1,\"url\":\"u\",\"saved\":5,\"version\":\"v\","
        "\"stories\":[]}",
        "{\"feed\":\"top\",\"url\":\"u\",\"saved\":-1,\"version\":\"v\","
        "\"stories\":[]}",
        "{\"feed\":\"top\",\"url\":\"u\",\"saved\":5.5,\"version\":\"v\","
        "\"stories\":[]}",
        "{\"feed\":\"top\",\"url\":\"u\",\"saved\":5,\"version\":\"v\","
        "\"stories\":{}}",
        "{\"feed\":\"top\",\"url\":\"u\",\"saved\":5,\"version\":\"v\","
        "\"etag\":\"a\\r\\nX-Injected: 1\",\"stories\":[]}",
        "{\"feed\":\"top\",\"url\":\"u\",\"saved\":5,\"version\":\"v\","
        "\"stories\":[{\"id\":\"a\",\"title\":\"\",\"feed\":\"top\","
        "\"priority\":0,\"read_min\":0,\"published\":null}]}",
        "{\"feed\":\"top\",\"url\":\"u\",\"saved\":5,\"version\":\"v\","
        "\"stories\":[{\"id\":\"a\",\"title\":7,\"feed\":\"top\","
        "\"priority\":0,\"read_min\":0,\"published\":null}]}",
        "{\"feed\":\"top\",\"url\":\"u\",\"saved\":5,\"version\":\"v\","
        "\"stories\":[{\"id\":\"a\",\"title\":\"T\",\"feed\":\"top\","
        "\"priority\":0,\"read_min\":0,\"published\":\"yesterday\"}]}",
        "{\"feed\":\"top\",\"url\":\"u\",\"saved\":5,\"version\":\"v\","
        "\"stories\":[1]}",
    };
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        f = framed(bad[i], &len);
        expect_refused(f, len, bad[i]);
        free(f);
    }
    /* A good story after a bad one does not rescue the file. */
    char mixed[1024];
    snprintf(mixed, sizeof(mixed),
             "{\"feed\":\"top\",\"url\":\"u\",\"saved\":5,\"version\":\"v\","
             "\"stories\":[%s,{\"id\":\"b\"}]}",
             ok_story);
    f = framed(mixed, &len);
    expect_refused(f, len, "second story incomplete");
    free(f);
}

static void
test_file_names(void **state)
{
    (void)state;
    char n[80];
    cache_file_name("headlines", n, sizeof(n));
    assert_string_equal(n, "headlines.cache");
    cache_file_name("bbc world/news", n, sizeof(n));
    assert_string_equal(n, "bbc_world_news.cache");
    cache_file_name("../etc/passwd", n, sizeof(n));
    assert_null(strchr(n, '/'));
    assert_true(n[0] != '.');
    cache_file_name(".hidden", n, sizeof(n));
    assert_string_equal(n, "_hidden.cache");
    cache_file_name("", n, sizeof(n));
    assert_string_equal(n, "feed.cache");
    cache_file_name("caf\xc3\xa9", n, sizeof(n));
    assert_string_equal(n, "caf__.cache");
}

static void
test_header_values(void **state)
{
    (void)state;
    assert_true(cache_header_value_ok("\"abc\""));
    assert_true(cache_header_value_ok("Sat, 29 Nov 2025 10:00:00 GMT"));
    assert_true(cache_header_value_ok(""));
    assert_false(cache_header_value_ok("a\r\nSet-Cookie: x"));
    assert_false(cache_header_value_ok("tab\there"));
    assert_false(cache_header_value_ok("del\x7f"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_every_truncation_and_flip_is_refused),
        cmocka_unit_test(test_random_and_huge_files_are_refused),
        cmocka_unit_test(test_wrong_shapes_with_good_checksums),
        cmocka_unit_test(test_file_names),
        cmocka_unit_test(test_header_values),
    };
    return cmocka_run_group_tests_name("cache", tests, NULL, NULL);
}
