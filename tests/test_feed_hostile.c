/*
 * test_feed_hostile: the hostile-input list of the feeds research note
 * (section 7) and of the feed-formats issue, against the real decoder:
 * empty and whitespace bodies, HTML where JSON was expected, wrong
 * top-level types, wrong item types, 10,000 items, deep nesting, lone
 * surrogates, invalid UTF-8, \u0000, 1e999 and 70-digit numbers, keys
 * differing in case, every date form plus invalid ones, 10 MB strings,
 * titles made only of markup, the billion laughs and external entities
 * (which must be neither expanded nor fetched: a listening socket on the
 * loopback proves no connection is attempted).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "clean.h"
#include "feed.h"
#include "story.h"
#include "unittools.h"
#include "util.h"

/* Decodes len bytes (copied to an exact-size block, so ASan sees any
 * overread) with the format; returns the list or NULL with err. */
static StoryList *
try_decode(const char *body, size_t len, FeedFormat format, size_t max_bytes,
           char *err, size_t errlen)
{
    char *copy = xmalloc(len ? len : 1);
    memcpy(copy, body, len);
    FeedDecodeOpts opts = {
        .feed_name = "hostile", .format = format, .max_bytes = max_bytes};
    StoryList *list = (StoryList *)1;
    err[0] = '\0';
    int rc = feed_decode(copy, len, &opts, &list, err, errlen);
    free(copy);
    assert_true(rc == 0 || rc == -1);
    if (rc != 0) {
        assert_null(list);
        assert_true(strncmp(err, "hostile: ", 9) == 0); /* names the feed */
        return NULL;
    }
    assert_non_null(list);
    assert_true(list->count > 0);
    return list;
}

static StoryList *
ok(const char *text)
{
    char err[512];
    StoryList *l =
        try_decode(text, strlen(text), FEED_FORMAT_AUTO, 0, err, sizeof(err));
    if (!l)
        fail_msg("decode failed: %s (input %.80s)", err, text);
    return l;
}

static void
fails(const char *body, size_t len, const char *want)
{
    char err[512];
    StoryList *l = try_decode(body, len, FEED_FORMAT_AUTO, 0, err, sizeof(err));
    if (l) {
        story_list_free(l);
        fail_msg("decoded, want an error with \"%s\"", want);
    }
    if (!strstr(err, want))
        fail_msg("\"%s\" lacks \"%s\"", err, want);
}

static void
fails_text(const char *text, const char *want)
{
    fails(text, strlen(text), want);
}

/* Every string of every story is valid UTF-8 without controls. */
static void
assert_clean(const StoryList *l)
{
    for (size_t i = 0; i < l->count; i++) {
        const Story *s = &l->items[i];
        const char *f[] = {s->id,  s->title, s->summary, s->source,
                           s->url, s->image, s->feed};
        for (size_t k = 0; k < ARRAY_LEN(f); k++) {
            if (!f[k])
                continue;
            size_t n = strlen(f[k]);
            for (size_t j = 0; j < n;) {
                uint32_t cp;
                size_t step = utf8_decode(f[k] + j, n - j, &cp);
                if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
                    fail_msg("story %zu field %zu has U+%04X", i, k,
                             (unsigned)cp);
                j += step;
            }
        }
        assert_true(s->title && *s->title);
    }
}

static void
test_empty_and_not_json(void **state)
{
    (void)state;
    fails("", 0, "empty document");
    fails(" \r\n\t ", 5, "empty document");
    fails("\xEF\xBB\xBF  ", 5, "empty document");
    fails_text("<!DOCTYPE html><html><body>Please log in</body></html>",
               "got an HTML page");
    fails_text("<html><head><title>502</title></head></html>",
               "got an HTML page");
    fails_text("Service Unavailable", "not valid JSON");
}

static void
test_wrong_top_level(void **state)
{
    (void)state;
    fails_text("[{\"title\":\"In an array\"}]",
               "is an array, not a JSON object");
    fails_text("\"just a string\"", "is a string, not a JSON object");
    fails_text("42", "is a number, not a JSON object");
    fails_text("null", "is null, not a JSON object");
    fails_text("{}", "unknown feed format");
}

static void
test_wrong_item_containers(void **state)
{
    (void)state;
    fails_text("{\"status\":\"ok\",\"articles\":\"\"}", "list is empty");
    fails_text("{\"status\":\"ok\",\"articles\":[]}", "list is empty");
    fails_text("{\"status\":\"ok\",\"articles\":42}", "no list of items");
    fails_text("{\"status\":\"ok\",\"articles\":null}", "no list of items");
    /* An object whose values are the items is read. */
    StoryList *l = ok("{\"status\":\"ok\",\"articles\":{\"a\":{\"title\":"
                      "\"Keyed item\"}}}");
    assert_int_equal(l->count, 1);
    assert_string_equal(l->items[0].title, "Keyed item");
    story_list_free(l);
    /* Items that are null, numbers, strings, arrays: skipped. */
    l = ok("{\"status\":\"ok\",\"articles\":[null,1,\"s\",[[[]]],true,"
           "{\"title\":\"The one real item\"},{}]}");
    assert_int_equal(l->count, 1);
    assert_string_equal(l->items[0].title, "The one real item");
    story_list_free(l);
    fails_text("{\"status\":\"ok\",\"articles\":[null,1,[],{}]}",
               "every item lacked a title");
    fails_text("{\"status\":\"ok\",\"articles\":[{\"title\":\"[Removed]\"}]}",
               "[Removed] placeholder");
}

static void
test_ten_thousand_items(void **state)
{
    (void)state;
    Buf doc;
    buf_init(&doc);
    buf_appends(&doc, "{\"items\":[");
    for (int i = 0; i < 10000; i++)
        buf_appendf(&doc, "%s{\"id\":%d,\"title\":\"t%d\"}", i ? "," : "", i,
                    i);
    buf_appends(&doc, "]}");
    StoryList *l = ok(doc.data);
    assert_int_equal(l->count, FEED_MAX_STORIES);
    assert_string_equal(l->items[FEED_MAX_STORIES - 1].title, "t499");
    story_list_free(l);
    buf_deinit(&doc);
}

static char *
nested(int depth, const char *open, const char *inner, const char *close)
{
    Buf b;
    buf_init(&b);
    for (int i = 0; i < depth; i++)
        buf_appends(&b, open);
    buf_appends(&b, inner);
    for (int i = 0; i < depth; i++)
        buf_appends(&b, close);
    return buf_steal(&b);
}

static void
test_deep_nesting(void **state)
{
    (void)state;
    /* cJSON takes 1,000 levels and refuses the 1,001st: three here (the
     * root, items, the item) and 997 below x. */
    char *doc = nested(997, "{\"a\":", "1", "}");
    char *wrapped =
        xasprintf("{\"items\":[{\"title\":\"Deep\",\"x\":%s}]}", doc);
    StoryList *l = ok(wrapped);
    assert_string_equal(l->items[0].title, "Deep");
    story_list_free(l);
    free(wrapped);
    free(doc);

    doc = nested(998, "{\"a\":", "1", "}");
    wrapped = xasprintf("{\"items\":[{\"title\":\"Deep\",\"x\":%s}]}", doc);
    fails_text(wrapped, "nested more than 1000 levels deep");
    free(wrapped);
    free(doc);
    doc = nested(1001, "[", "", "]");
    fails_text(doc, "nested more than 1000 levels deep");
    free(doc);
    doc = nested(10000, "[", "", "]");
    fails_text(doc, "nested more than 1000 levels deep");
    free(doc);
    doc = nested(10000, "{\"a\":", "", "}");
    fails_text(doc, "nested more than 1000 levels deep");
    free(doc);
    /* Deep XML: libxml2 has its own depth limit; nothing crashes. */
    Buf x;
    buf_init(&x);
    buf_appends(&x, "<rss><channel><item><title>");
    for (int i = 0; i < 10000; i++)
        buf_appends(&x, "<b>");
    buf_appends(&x, "deep");
    buf_appends(&x, "</title></item></channel></rss>");
    char err[512];
    l = try_decode(x.data, x.len, FEED_FORMAT_AUTO, 0, err, sizeof(err));
    story_list_free(l);
    buf_deinit(&x);
}

static void
test_bad_text(void **state)
{
    (void)state;
    /* A lone surrogate escape makes the whole document invalid. */
    fails_text("{\"items\":[{\"title\":\"ok\",\"summary\":\"\\ud800\"}]}",
               "not valid JSON");
    /* Raw invalid UTF-8 and an overlong '/' become U+FFFD. */
    StoryList *l = ok("{\"items\":[{\"title\":\"ab\xC0\xAF"
                      "cd \xFF end \xE2\x82\"}]}");
    assert_string_equal(l->items[0].title, "ab\xEF\xBF\xBD\xEF\xBF\xBD"
                                           "cd \xEF\xBF\xBD end \xEF\xBF\xBD");
    assert_clean(l);
    story_list_free(l);
    /* \u0000: cJSON's strings are C strings and end there. */
    l = ok("{\"items\":[{\"title\":\"before\\u0000after\"}]}");
    assert_string_equal(l->items[0].title, "before");
    story_list_free(l);
    /* Controls, bidi overrides, zero-width characters are removed;
     * ZWNJ in a Persian word stays. */
    l = ok("{\"items\":[{\"title\":\"a\\u0007b \\u202Eevil\\u202C "
           "zero\\u200Bwidth \\u0645\\u06CC\\u200C\\u062E\\u0648\\u0627\\u0647"
           "\\u0645\"}]}");
    assert_string_equal(l->items[0].title,
                        "ab evil zerowidth \xD9\x85\xDB\x8C\xE2\x80\x8C\xD8\xAE"
                        "\xD9\x88\xD8\xA7\xD9\x87\xD9\x85");
    story_list_free(l);
    /* Titles of nothing but markup, entities or invisible characters. */
    fails_text("{\"items\":[{\"title\":\"<p><br/></p>\"},{\"title\":\"&nbsp; "
               "&#8203;\"},{\"title\":\"\\u200B\\u2060\\uFEFF\"},{\"title\":"
               "\"<script>x()</script>\"}]}",
               "every item lacked a title");
}

static void
test_numbers(void **state)
{
    (void)state;
    StoryList *l = ok(
        "{\"items\":["
        "{\"id\":1e999,\"title\":\"Infinite id\",\"date_published\":1e400},"
        "{\"id\":1234567890123456789012345678901234567890123456789012345678901"
        "234567890,\"title\":\"Seventy digits\"},"
        "{\"id\":-5,\"title\":\"Negative epoch\",\"date_published\":-86400},"
        "{\"id\":2.5,\"title\":\"Fractional epoch\",\"date_published\":"
        "1741112525.75},"
        "{\"id\":\"x\",\"title\":\"Epoch as a string\",\"date_published\":"
        "\"1741112525\"},"
        "{\"id\":\"y\",\"title\":\"Milliseconds\",\"date_published\":"
        "1741112525000}]}");
    assert_int_equal(l->count, 6);
    /* Infinity is no id and no date. */
    assert_true(l->items[0].id[0] == 'h');
    assert_int_equal(l->items[0].published_s, STORY_NO_TIME);
    assert_true(!strncmp(l->items[1].id, "1.234567890123456", 17));
    assert_non_null(strstr(l->items[1].id, "e+69"));
    assert_string_equal(l->items[2].id, "-5");
    assert_int_equal(l->items[2].published_s, STORY_NO_TIME);
    assert_string_equal(l->items[3].id, "2.5");
    assert_int_equal(l->items[3].published_s, INT64_C(1741112525));
    assert_int_equal(l->items[4].published_s, INT64_C(1741112525));
    assert_int_equal(l->items[5].published_s, INT64_C(1741112525));
    story_list_free(l);
}

static void
test_keys_differing_in_case(void **state)
{
    (void)state;
    StoryList *l = ok("{\"status\":\"ok\",\"articles\":[{\"Title\":\"Upper\","
                      "\"title\":\"Lower\",\"TITLE\":\"All caps\"},"
                      "{\"Title\":\"Only upper\"},"
                      "{\"title\":\"First\",\"title\":\"Second\"}]}");
    assert_int_equal(l->count, 2);
    assert_string_equal(l->items[0].title, "Lower");
    assert_string_equal(l->items[1].title, "First");
    story_list_free(l);
}

static void
test_dates(void **state)
{
    (void)state;
    static const struct {
        const char *date;
        int64_t want;
    } cases[] = {
        {"2025-03-04T18:22:05Z", INT64_C(1741112525)},
        {"2025-03-04T13:22:05-05:00", INT64_C(1741112525)},
        {"2025-03-04T18:22:05+00:00", INT64_C(1741112525)},
        {"2025-03-04T18:22:05.123Z", INT64_C(1741112525)},
        {"2025-03-04T19:22:05+0100", INT64_C(1741112525)},
        {"2025-03-04 18:22:05", INT64_C(1741112525)},
        {"2025-03-04 18:22:05 +0000", INT64_C(1741112525)},
        {"2025-03-04T18:22:05", INT64_C(1741112525)},
        {"Tue, 04 Mar 2025 13:22:05 EST", INT64_C(1741112525)},
        {"Tue, 04 Mar 2025 18:22:05 GMT", INT64_C(1741112525)},
        {"1741112525", INT64_C(1741112525)},
        {"2025-02-30T25:61:00Z", STORY_NO_TIME},
        {"", STORY_NO_TIME},
        {"soon", STORY_NO_TIME},
        {"1970-01-01T00:00:00Z", STORY_NO_TIME},
        {"1989-12-31T23:59:59Z", STORY_NO_TIME},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        char *doc = xasprintf("{\"status\":\"ok\",\"articles\":[{\"title\":"
                              "\"Dated\",\"publishedAt\":\"%s\"}]}",
                              cases[i].date);
        StoryList *l = ok(doc);
        if (l->items[0].published_s != cases[i].want)
            fail_msg("\"%s\": %lld, want %lld", cases[i].date,
                     (long long)l->items[0].published_s,
                     (long long)cases[i].want);
        story_list_free(l);
        free(doc);
    }
    /* Far future is kept by the decoder (it has no clock); the merge
     * treats it as undated (see test_story_merge). */
    StoryList *l = ok("{\"status\":\"ok\",\"articles\":[{\"title\":\"Future\","
                      "\"publishedAt\":\"2999-01-01T00:00:00Z\"}]}");
    assert_true(l->items[0].published_s > INT64_C(30000000000));
    story_list_free(l);
}

static void
test_ten_megabyte_strings(void **state)
{
    (void)state;
    size_t n = 10 * 1024 * 1024;
    Buf doc;
    buf_init(&doc);
    buf_appends(&doc, "{\"status\":\"ok\",\"articles\":[{\"title\":\"");
    char *word = xmalloc(n + 1);
    memset(word, 'w', n);
    word[n] = '\0';
    buf_appends(&doc, word);
    buf_appends(&doc, "\",\"description\":\"");
    buf_appends(&doc, word);
    buf_appends(&doc, "\"}]}");
    free(word);
    /* Over the default cap: refused, naming it. */
    fails(doc.data, doc.len, "over the 8192 KiB limit");
    /* With room for it: the title and summary are cut, with "…". */
    char err[512];
    StoryList *l = try_decode(doc.data, doc.len, FEED_FORMAT_AUTO,
                              32 * 1024 * 1024, err, sizeof(err));
    if (!l)
        fail_msg("%s", err);
    assert_true(strlen(l->items[0].title) <= FEED_TITLE_MAX);
    assert_true(strlen(l->items[0].summary) <= FEED_SUMMARY_MAX);
    assert_non_null(strstr(l->items[0].title, "\xE2\x80\xA6"));
    story_list_free(l);
    buf_deinit(&doc);
}

static void
assert_no_field_contains(const StoryList *l, const char *needle)
{
    for (size_t i = 0; i < l->count; i++) {
        const Story *s = &l->items[i];
        const char *f[] = {s->title, s->summary, s->source, s->url, s->id};
        for (size_t k = 0; k < ARRAY_LEN(f); k++) {
            if (f[k] && strstr(f[k], needle))
                fail_msg("story %zu has \"%s\": %s", i, needle, f[k]);
        }
    }
}

/* A TCP listener on the loopback; returns the socket, sets *port. */
static int
listener(int *port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    assert_int_equal(listen(fd, 8), 0);
    socklen_t len = sizeof(a);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    *port = ntohs(a.sin_port);
    fcntl(fd, F_SETFL, O_NONBLOCK);
    return fd;
}

static bool
anyone_connected(int fd)
{
    int c = accept(fd, NULL, NULL);
    if (c >= 0) {
        close(c);
        return true;
    }
    assert_true(errno == EAGAIN || errno == EWOULDBLOCK);
    return false;
}

/* UTF-16LE with a byte order mark: the ampersand pre-pass leaves such
 * documents alone, so this reaches libxml2's own defences. */
static char *
to_utf16le(const char *s, size_t *len)
{
    size_t n = strlen(s);
    char *out = xmalloc(2 * n + 2);
    out[0] = (char)0xFF;
    out[1] = (char)0xFE;
    for (size_t i = 0; i < n; i++) {
        out[2 + 2 * i] = s[i];
        out[3 + 2 * i] = 0;
    }
    *len = 2 * n + 2;
    return out;
}

static void
test_billion_laughs(void **state)
{
    (void)state;
    Doc fx = fixture_load("xml-billion-laughs.xml");
    char *doc = fx.data;
    size_t len = fx.len;
    char err[512];
    StoryList *l = try_decode(doc, len, FEED_FORMAT_AUTO, 0, err, sizeof(err));
    if (!l)
        fail_msg("%s", err);
    /* Both items, and the reference left as text, never expanded. */
    assert_int_equal(l->count, 2);
    assert_no_field_contains(l, "lollol");
    assert_string_equal(l->items[1].title, "Plain item after the bomb");
    story_list_free(l);

    /* The same in UTF-16, straight into the parser. */
    doc[len - 1] = '\0';
    const char *decl = strstr(doc, "<!DOCTYPE");
    size_t wlen;
    char *wide = to_utf16le(decl, &wlen);
    l = try_decode(wide, wlen, FEED_FORMAT_AUTO, 0, err, sizeof(err));
    if (!l)
        fail_msg("UTF-16: %s", err);
    assert_true(!strncmp(l->items[0].title, "Entity bomb", 11));
    assert_no_field_contains(l, "lollol");
    story_list_free(l);
    free(wide);
    free(doc);
}

static void
test_external_entities(void **state)
{
    (void)state;
    int port;
    int fd = listener(&port);
    char *doc = xasprintf(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n"
        "<!ENTITY file SYSTEM \"file:///etc/passwd\">\n"
        "<!ENTITY net SYSTEM \"http://127.0.0.1:%d/entity\">\n"
        "<!ENTITY %% dtd SYSTEM \"http://127.0.0.1:%d/dtd\">\n%%dtd;\n]>\n"
        "<rss version=\"2.0\"><channel><title>X</title><item><title>Leak "
        "&file; &net; end</title><description>&file;</description>"
        "</item></channel></rss>",
        port, port);
    char err[512];
    StoryList *l =
        try_decode(doc, strlen(doc), FEED_FORMAT_AUTO, 0, err, sizeof(err));
    if (!l)
        fail_msg("%s", err);
    assert_no_field_contains(l, "root:");
    assert_false(anyone_connected(fd));
    story_list_free(l);

    /* The same in UTF-16 and through an external DTD. */
    size_t wlen;
    char *wide = to_utf16le(doc + strlen("<?xml version=\"1.0\"?>\n"), &wlen);
    l = try_decode(wide, wlen, FEED_FORMAT_AUTO, 0, err, sizeof(err));
    if (!l)
        fail_msg("UTF-16: %s", err);
    assert_true(!strncmp(l->items[0].title, "Leak", 4));
    assert_no_field_contains(l, "root:");
    assert_false(anyone_connected(fd));
    story_list_free(l);
    free(wide);
    free(doc);
    doc = xasprintf("<?xml version=\"1.0\"?>\n<!DOCTYPE rss SYSTEM "
                    "\"http://127.0.0.1:%d/rss.dtd\">\n<rss version=\"2.0\">"
                    "<channel><title>X</title><item><title>DTD</title></item>"
                    "</channel></rss>",
                    port);
    l = try_decode(doc, strlen(doc), FEED_FORMAT_AUTO, 0, err, sizeof(err));
    story_list_free(l);
    assert_false(anyone_connected(fd));
    free(doc);
    close(fd);

    Doc fx = fixture_load("xml-xxe.xml");
    doc = fx.data;
    size_t len = fx.len;
    l = try_decode(doc, len, FEED_FORMAT_AUTO, 0, err, sizeof(err));
    if (!l)
        fail_msg("%s", err);
    assert_no_field_contains(l, "root:");
    story_list_free(l);
    free(doc);
}

static void
test_truncated_and_broken_xml(void **state)
{
    (void)state;
    /* Cut mid-item: recover mode keeps what came before. */
    const char *cut = "<rss version=\"2.0\"><channel><title>C</title><item>"
                      "<title>Whole item</title></item><item><title>Cut of";
    StoryList *l = ok(cut);
    assert_string_equal(l->items[0].title, "Whole item");
    story_list_free(l);
    fails_text("<rss", "hostile:");
    fails_text("<?xml version=\"1.0\" encoding=\"no-such-charset\"?><rss/>",
               "hostile:");
    fails_text("<rss version=\"2.0\"><channel><title>Empty</title></channel>"
               "</rss>",
               "list is empty");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_and_not_json),
        cmocka_unit_test(test_wrong_top_level),
        cmocka_unit_test(test_wrong_item_containers),
        cmocka_unit_test(test_ten_thousand_items),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_bad_text),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_keys_differing_in_case),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_ten_megabyte_strings),
        cmocka_unit_test(test_billion_laughs),
        cmocka_unit_test(test_external_entities),
        cmocka_unit_test(test_truncated_and_broken_xml),
    };
    return cmocka_run_group_tests_name("feed_hostile", tests, NULL, NULL);
}
