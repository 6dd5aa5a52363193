/*
 * test_feed: decoding the fixtures in tests/fixtures (NewsAPI v2, JSON Feed
 * 1.1 and broken documents) and the --dump-feed JSON of a story.
 *
 * Expected epochs were computed with GNU date, e.g.
 * `date -u -d 2024-11-24T09:30:00+01:00 +%s` = 1732437000. Fixtures are
 * read relative to the repository root, where the tests run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>
#include <cmocka.h>

#include "feed.h"
#include "story.h"
#include "unittools.h"
#include "util.h"

#define RSQUO "\xE2\x80\x99" /* U+2019 right single quotation mark */

/* What feed_decode must overwrite with NULL when it fails. */
static StoryList sentinel;

/* Decodes a fixture and expects success. */
static StoryList *
decode_ok(const char *name, const FeedDecodeOpts *opts)
{
    Doc d = fixture_load(name);
    StoryList *list = NULL;
    char err[512] = "";
    int rc = feed_decode(d.data, d.len, opts, &list, err, sizeof(err));
    free(d.data);
    if (rc != 0 || !list)
        fail_msg("%s: rc=%d: %s", name, rc, err);
    return list;
}

/* Decodes a fixture and expects failure with all of the given words in
 * the message; returns the message (caller frees). */
static char *
decode_fail(const char *name, FeedFormat format)
{
    Doc d = fixture_load(name);
    FeedDecodeOpts opts = {
        .feed_name = "wire", .source_override = NULL, .format = format};
    StoryList *list = &sentinel;
    char err[512] = "";
    int rc = feed_decode(d.data, d.len, &opts, &list, err, sizeof(err));
    free(d.data);
    if (rc != -1)
        fail_msg("%s: rc=%d, want -1", name, rc);
    assert_null(list);
    return xstrdup(err);
}

static void
assert_contains(const char *haystack, const char *needle)
{
    if (!haystack)
        fail_msg("NULL does not contain \"%s\"", needle);
    if (!strstr(haystack, needle))
        fail_msg("\"%s\" does not contain \"%s\"", haystack, needle);
}

static void
assert_story(const Story *s, const char *title, const char *source,
             int64_t published_s)
{
    assert_non_null(s->title);
    assert_string_equal(s->title, title);
    if (source) {
        assert_non_null(s->source);
        assert_string_equal(s->source, source);
    } else {
        assert_null(s->source);
    }
    assert_int_equal(s->published_s, published_s);
}

static void
assert_no_field_contains(const StoryList *list, const char *needle)
{
    for (size_t i = 0; i < list->count; i++) {
        const Story *s = &list->items[i];
        const char *fields[] = {s->id,  s->title, s->summary, s->source,
                                s->url, s->image, s->feed};
        for (size_t k = 0; k < ARRAY_LEN(fields); k++) {
            if (fields[k] && strstr(fields[k], needle))
                fail_msg("story %zu has \"%s\": \"%s\"", i, needle, fields[k]);
        }
    }
}

static StoryList *
decode_text(const char *text, const char *feed_name)
{
    FeedDecodeOpts opts = {.feed_name = feed_name,
                           .source_override = NULL,
                           .format = FEED_FORMAT_AUTO};
    StoryList *list = NULL;
    char err[256] = "";
    if (feed_decode(text, strlen(text), &opts, &list, err, sizeof(err)) != 0)
        fail_msg("decode: %s", err);
    return list;
}

static void
test_newsapi_ok(void **state)
{
    (void)state;
    FeedDecodeOpts opts = {.feed_name = "headlines",
                           .source_override = NULL,
                           .format = FEED_FORMAT_AUTO};
    StoryList *list = decode_ok("newsapi-ok.json", &opts);
    /* Five articles, one of them a "[Removed]" placeholder. */
    assert_int_equal(list->count, 4);
    assert_no_field_contains(list, "[Removed]");
    assert_no_field_contains(list, "[+1234 chars]");
    assert_no_field_contains(list, "chars]");
    assert_no_field_contains(list, "&amp;");
    assert_no_field_contains(list, "&#8217;");
    assert_no_field_contains(list, "removed.com");

    const Story *s = &list->items[0];
    /* " - BBC News" came off the title. */
    assert_story(s, "Storm closes coastal railway line for second day",
                 "BBC News", INT64_C(1732435965));
    assert_string_equal(s->summary,
                        "Engineers are inspecting sea walls after waves "
                        "damaged the track near Dawlish, and replacement "
                        "buses are running between Exeter and Newton Abbot.");
    assert_string_equal(s->url,
                        "https://www.bbc.co.uk/news/articles/c0storm0rail0");
    assert_string_equal(
        s->image,
        "https://ichef.bbci.co.uk/news/1024/branded_news/storm-rail.jpg");
    assert_true(s->read_min > 0);

    s = &list->items[1];
    assert_story(s, "Chipmaker unveils low-power laptop processor", "The Verge",
                 INT64_C(1732397400));
    /* &#8217; and &amp; decoded. */
    assert_string_equal(s->summary,
                        "The company" RSQUO "s new chip targets "
                        "thin-and-light laptops & promises up to 20 hours of "
                        "video playback on a single charge.");
    assert_true(s->read_min > 0);

    s = &list->items[2];
    assert_story(s, "Central bank holds interest rates steady", "Reuters",
                 INT64_C(1732370700));
    assert_null(s->summary);          /* description null */
    assert_null(s->image);            /* urlToImage null */
    assert_int_equal(s->read_min, 0); /* content null */

    s = &list->items[3];
    assert_story(s,
                 "B\xC3\xBCrger\xC3\xA4mter \xC3\xB6"
                 "ffnen k\xC3\xBCnftig auch samstags: Was sich f\xC3\xBCr "
                 "Berliner \xC3\xA4ndert",
                 "Der Tagesspiegel", INT64_C(1732358880));
    assert_true(s->read_min > 0);

    /* Every story: an id, the feed's name, normal priority; ids differ. */
    for (size_t i = 0; i < list->count; i++) {
        s = &list->items[i];
        assert_non_null(s->id);
        assert_true(s->id[0] != '\0');
        assert_string_equal(s->feed, "headlines");
        assert_int_equal(s->priority, 0);
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(s->id, list->items[j].id);
    }

    /* Ids are stable: the same document gives the same ids. */
    StoryList *again = decode_ok("newsapi-ok.json", &opts);
    assert_int_equal(again->count, list->count);
    for (size_t i = 0; i < list->count; i++)
        assert_string_equal(again->items[i].id, list->items[i].id);
    story_list_free(again);
    story_list_free(list);
}

static void
test_jsonfeed_ok(void **state)
{
    (void)state;
    FeedDecodeOpts opts = {.feed_name = "gazette",
                           .source_override = NULL,
                           .format = FEED_FORMAT_AUTO};
    StoryList *list = decode_ok("jsonfeed-ok.json", &opts);
    assert_int_equal(list->count, 4);

    /* 09:30:00+01:00 is 08:30:00Z. */
    const Story *s = &list->items[0];
    assert_string_equal(
        s->id, "https://gazette.example.org/2024/11/24/ferry-timetable");
    assert_story(s, "Winter ferry timetable starts on Monday",
                 "Harbour City Gazette", INT64_C(1732437000));
    assert_string_equal(s->summary,
                        "Crossings to the islands drop to four a day until "
                        "March.");
    assert_string_equal(
        s->url, "https://gazette.example.org/2024/11/24/ferry-timetable");
    assert_string_equal(s->image,
                        "https://gazette.example.org/images/ferry.jpg");
    assert_true(s->read_min > 0);

    s = &list->items[1];
    assert_string_equal(
        s->id, "https://gazette.example.org/2024/11/24/library-reopens");
    assert_story(s, "Central library reopens after roof repairs",
                 "Harbour City Gazette", INT64_C(1732432500));
    assert_string_equal(s->image,
                        "https://gazette.example.org/images/library.jpg");

    s = &list->items[2];
    assert_string_equal(s->id, "gazette-2024-11-23-market");
    assert_story(s, "Christmas market returns to the old quay",
                 "Harbour City Gazette", INT64_C(1732381200));
    assert_string_equal(
        s->url, "https://gazette.example.org/2024/11/23/christmas-market");

    /* The untitled micro post takes its title from content_text. */
    s = &list->items[3];
    assert_string_equal(s->id, "gazette-2024-11-23-note-1742");
    assert_story(s,
                 "Traffic update: the swing bridge is closed to cars until "
                 "17:00 for maintenance; the footpath stays open.",
                 "Harbour City Gazette", INT64_C(1732371600));
    assert_string_equal(s->url, "https://gazette.example.org/notes/1742");
    assert_null(s->image);
    assert_true(s->read_min > 0);

    for (size_t i = 0; i < list->count; i++) {
        assert_string_equal(list->items[i].feed, "gazette");
        assert_int_equal(list->items[i].priority, 0);
    }
    story_list_free(list);
}

static void
test_newsapi_error(void **state)
{
    (void)state;
    char *err = decode_fail("newsapi-error.json", FEED_FORMAT_AUTO);
    assert_contains(err, "wire");
    assert_contains(err, "apiKeyInvalid");
    assert_contains(err, "Your API key is invalid");
    free(err);
    /* The same when the format is given. */
    err = decode_fail("newsapi-error.json", FEED_FORMAT_NEWSAPI);
    assert_contains(err, "apiKeyInvalid");
    free(err);
}

static void
test_broken_documents(void **state)
{
    (void)state;
    char *err = decode_fail("broken-truncated.json", FEED_FORMAT_AUTO);
    assert_contains(err, "wire");
    assert_contains(err, "not valid JSON");
    free(err);

    err = decode_fail("broken-notjson.html", FEED_FORMAT_AUTO);
    assert_contains(err, "wire");
    assert_contains(err, "HTML");
    free(err);

    err = decode_fail("empty-articles.json", FEED_FORMAT_AUTO);
    assert_contains(err, "wire");
    assert_contains(err, "no stories");
    free(err);

    err = decode_fail("nested-deep.json", FEED_FORMAT_AUTO);
    assert_contains(err, "wire");
    free(err);

    err = decode_fail("top-level-string.json", FEED_FORMAT_AUTO);
    assert_contains(err, "wire");
    assert_contains(err, "not a JSON object");
    free(err);
    /* Not an object even when the format is forced. */
    err = decode_fail("top-level-string.json", FEED_FORMAT_NEWSAPI);
    assert_contains(err, "not a JSON object");
    free(err);

    err = decode_fail("zero-byte.json", FEED_FORMAT_AUTO);
    assert_contains(err, "wire");
    assert_contains(err, "empty");
    free(err);

    /* Whitespace only is empty too, and a length of 0 reads nothing. */
    FeedDecodeOpts opts = {.feed_name = "wire",
                           .source_override = NULL,
                           .format = FEED_FORMAT_AUTO};
    StoryList *list = NULL;
    char msg[256];
    assert_int_equal(feed_decode(" \r\n\t ", 5, &opts, &list, msg, sizeof(msg)),
                     -1);
    assert_contains(msg, "empty");
    assert_null(list);
    assert_int_equal(
        feed_decode("{\"items\":[]}", 0, &opts, &list, msg, sizeof(msg)), -1);
    assert_contains(msg, "empty");
    /* A JSON object that is no feed at all. */
    assert_int_equal(
        feed_decode("{\"a\":1}", 7, &opts, &list, msg, sizeof(msg)), -1);
    assert_contains(msg, "unknown feed format");
    assert_null(list);
}

static void
test_wrong_types(void **state)
{
    (void)state;
    FeedDecodeOpts opts = {.feed_name = "wire",
                           .source_override = NULL,
                           .format = FEED_FORMAT_AUTO};
    StoryList *list = decode_ok("wrong-types.json", &opts);
    /* Items whose title is a number or an object have no usable title and
     * are skipped; a wrong type elsewhere counts as the field missing. */
    assert_int_equal(list->count, 4);
    assert_no_field_contains(list, "Title is");

    const Story *s = &list->items[0];
    assert_story(s, "Description is an array", "Array Times",
                 INT64_C(1732430400));
    /* The unusable description gives way to the content. */
    assert_string_equal(s->summary, "Description is an array.");

    /* 12345 is read as a Unix time, and 1970 is no real date. */
    s = &list->items[1];
    assert_story(s, "Published date is a number", "Epoch Post", STORY_NO_TIME);

    s = &list->items[2];
    assert_story(s, "Source is a plain string", NULL, INT64_C(1732429200));

    s = &list->items[3];
    assert_story(s, "City council approves new bike lanes on Main Street",
                 "Associated Press", INT64_C(1732428000));
    assert_string_equal(s->summary,
                        "The council voted 7-2 to add protected bike lanes "
                        "along a two-mile stretch of Main Street.");
    assert_string_equal(s->image, "https://dims.apnews.com/bike-lanes.jpg");
    story_list_free(list);
}

static void
test_source_override(void **state)
{
    (void)state;
    FeedDecodeOpts opts = {.feed_name = "wire",
                           .source_override = "Wire Desk",
                           .format = FEED_FORMAT_AUTO};
    StoryList *list = decode_ok("newsapi-ok.json", &opts);
    assert_int_equal(list->count, 4);
    for (size_t i = 0; i < list->count; i++)
        assert_string_equal(list->items[i].source, "Wire Desk");
    /* The feed's own source still takes its suffix off the title. */
    assert_string_equal(list->items[0].title,
                        "Storm closes coastal railway line for second day");
    story_list_free(list);

    list = decode_ok("jsonfeed-ok.json", &opts);
    for (size_t i = 0; i < list->count; i++)
        assert_string_equal(list->items[i].source, "Wire Desk");
    story_list_free(list);

    /* Empty: the feed's own names. */
    opts.source_override = "";
    list = decode_ok("newsapi-ok.json", &opts);
    assert_string_equal(list->items[0].source, "BBC News");
    assert_string_equal(list->items[1].source, "The Verge");
    story_list_free(list);
}

static void
test_forced_format(void **state)
{
    (void)state;
    /* A JSON Feed read as NewsAPI has no articles. */
    char *err = decode_fail("jsonfeed-ok.json", FEED_FORMAT_NEWSAPI);
    assert_contains(err, "no stories");
    free(err);
    err = decode_fail("newsapi-ok.json", FEED_FORMAT_JSONFEED);
    assert_contains(err, "no stories");
    free(err);

    /* Auto: the shape decides when there is no version string. */
    StoryList *shape = decode_text("{\"items\":[{\"title\":\"Item\"}]}", "s");
    assert_int_equal(shape->count, 1);
    assert_string_equal(shape->items[0].title, "Item");
    story_list_free(shape);
    shape = decode_text("{\"articles\":[{\"title\":\"Article\"}]}", "s");
    assert_int_equal(shape->count, 1);
    assert_string_equal(shape->items[0].title, "Article");
    story_list_free(shape);

    FeedDecodeOpts opts = {.feed_name = "g",
                           .source_override = NULL,
                           .format = FEED_FORMAT_JSONFEED};
    StoryList *list = decode_ok("jsonfeed-ok.json", &opts);
    assert_int_equal(list->count, 4);
    story_list_free(list);
    opts.format = FEED_FORMAT_NEWSAPI;
    list = decode_ok("newsapi-ok.json", &opts);
    assert_int_equal(list->count, 4);
    story_list_free(list);
}

static void
test_ids_and_limits(void **state)
{
    (void)state;
    /* JSON Feed ids may be numbers; without an id, the URL decides. */
    StoryList *list = decode_text(
        "{\"version\":\"https://jsonfeed.org/version/1.1\",\"items\":["
        "{\"id\":1742,\"title\":\"Numbered\"},"
        "{\"title\":\"Same url A\",\"url\":\"https://x/1\"},"
        "{\"title\":\"Same url B\",\"url\":\"https://x/1\"},"
        "{\"title\":\"Other url\",\"url\":\"https://x/2\"},"
        "{\"title\":\"No url\"},{\"title\":\"No url either\"},"
        "{\"title\":\"   \"},{\"content_text\":\"\"},42]}",
        NULL);
    assert_int_equal(list->count, 6);
    assert_string_equal(list->items[0].id, "1742");
    assert_string_equal(list->items[1].id, list->items[2].id);
    assert_string_not_equal(list->items[1].id, list->items[3].id);
    assert_string_not_equal(list->items[4].id, list->items[5].id);
    assert_string_equal(list->items[0].feed, "");
    assert_null(list->items[0].source); /* the feed has no title */
    story_list_free(list);

    /* Titles and summaries are capped; stories too. */
    Buf doc;
    buf_init(&doc);
    buf_appends(&doc, "{\"status\":\"ok\",\"articles\":[");
    for (int i = 0; i < FEED_MAX_STORIES + 100; i++) {
        buf_appendf(&doc, "%s{\"title\":\"Story %d ", i ? "," : "", i);
        for (int k = 0; k < 80; k++)
            buf_appends(&doc, "long ");
        buf_appends(&doc, "\",\"description\":\"");
        for (int k = 0; k < 200; k++)
            buf_appends(&doc, "desc ");
        buf_appendf(&doc, "\",\"url\":\"https://x/%d\"}", i);
    }
    buf_appends(&doc, "]}");
    list = decode_text(doc.data, "big");
    assert_int_equal(list->count, FEED_MAX_STORIES);
    for (size_t i = 0; i < list->count; i++) {
        assert_true(strlen(list->items[i].title) <= FEED_TITLE_MAX);
        assert_true(strlen(list->items[i].summary) <= FEED_SUMMARY_MAX);
    }
    assert_true(strncmp(list->items[0].title, "Story 0 long", 12) == 0);
    story_list_free(list);
    buf_deinit(&doc);
}

static void
test_newsapi_cleanup(void **state)
{
    (void)state;
    /* 199 words of content: the "... [+1234 chars]" marker must not count
     * as two more words (201 words would be 2 minutes). */
    Buf doc;
    buf_init(&doc);
    buf_appends(&doc, "{\"status\":\"ok\",\"articles\":[{\"source\":"
                      "{\"name\":\"The Ledger\"},\"title\":\"Ferry&#8217;s "
                      "back \\u2013 The Ledger\",\"description\":\"Crews "
                      "worked through the weekend\\u2026 [+1873 chars]\","
                      "\"content\":\"");
    for (int i = 0; i < 199; i++)
        buf_appends(&doc, "word ");
    buf_appends(&doc, "\\u2026 [+1234 chars]\"}]}");
    StoryList *list = decode_text(doc.data, "ledger");
    assert_int_equal(list->count, 1);
    const Story *s = &list->items[0];
    assert_string_equal(s->title, "Ferry" RSQUO "s back");
    assert_string_equal(s->summary, "Crews worked through the weekend");
    assert_string_equal(s->source, "The Ledger");
    assert_int_equal(s->read_min, 1);
    story_list_free(list);

    /* The suffix goes before the title is shortened: a 295-byte title
     * with " - BBC News" after it stays whole. */
    char *long_title = xmalloc(296);
    memset(long_title, 'T', 295);
    long_title[295] = '\0';
    buf_clear(&doc);
    buf_appendf(&doc,
                "{\"status\":\"ok\",\"articles\":[{\"source\":{\"name\":"
                "\"BBC News\"},\"title\":\"%s - BBC News\"}]}",
                long_title);
    list = decode_text(doc.data, "bbc");
    assert_int_equal(list->count, 1);
    assert_string_equal(list->items[0].title, long_title);
    story_list_free(list);
    free(long_title);
    buf_deinit(&doc);
}

/* Parses feed_story_to_json output and checks it has exactly the
 * --dump-feed keys; returns the object (caller deletes). */
static cJSON *
story_json(const Story *s)
{
    Buf out;
    buf_init(&out);
    buf_appends(&out, "prefix:");
    feed_story_to_json(s, &out);
    assert_true(strncmp(out.data, "prefix:", 7) == 0); /* appended */
    assert_null(strchr(out.data, '\n'));
    cJSON *o = cJSON_Parse(out.data + 7);
    if (!o || !cJSON_IsObject(o))
        fail_msg("not a JSON object: %s", out.data + 7);
    buf_deinit(&out);

    static const char *const keys[] = {"id",        "title",    "summary",
                                       "source",    "url",      "image",
                                       "published", "priority", "feed"};
    assert_int_equal(cJSON_GetArraySize(o), (int)ARRAY_LEN(keys));
    for (size_t i = 0; i < ARRAY_LEN(keys); i++) {
        if (!cJSON_GetObjectItemCaseSensitive(o, keys[i]))
            fail_msg("key \"%s\" missing", keys[i]);
    }
    const cJSON *item;
    cJSON_ArrayForEach(item, o)
    {
        bool known = false;
        for (size_t i = 0; i < ARRAY_LEN(keys); i++)
            known = known || !strcmp(item->string, keys[i]);
        if (!known)
            fail_msg("unexpected key \"%s\"", item->string);
    }
    return o;
}

static void
assert_json_str(const cJSON *o, const char *key, const char *want)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!want) {
        if (!cJSON_IsNull(v))
            fail_msg("\"%s\" should be null", key);
        return;
    }
    if (!cJSON_IsString(v))
        fail_msg("\"%s\" should be a string", key);
    assert_string_equal(v->valuestring, want);
}

static void
test_story_to_json(void **state)
{
    (void)state;
    FeedDecodeOpts opts = {.feed_name = "headlines",
                           .source_override = NULL,
                           .format = FEED_FORMAT_AUTO};
    StoryList *list = decode_ok("newsapi-ok.json", &opts);
    for (size_t i = 0; i < list->count; i++) {
        const Story *s = &list->items[i];
        cJSON *o = story_json(s);
        assert_json_str(o, "id", s->id);
        assert_json_str(o, "title", s->title);
        assert_json_str(o, "summary", s->summary);
        assert_json_str(o, "source", s->source);
        assert_json_str(o, "url", s->url);
        assert_json_str(o, "image", s->image);
        assert_json_str(o, "feed", "headlines");
        const cJSON *p = cJSON_GetObjectItemCaseSensitive(o, "priority");
        assert_true(cJSON_IsNumber(p));
        assert_int_equal(p->valueint, 0);
        cJSON_Delete(o);
    }
    cJSON *o = story_json(&list->items[0]);
    assert_json_str(o, "published", "2024-11-24T08:12:45Z");
    cJSON_Delete(o);
    o = story_json(&list->items[2]);
    assert_json_str(o, "published", "2024-11-23T14:05:00Z");
    assert_json_str(o, "summary", NULL);
    assert_json_str(o, "image", NULL);
    cJSON_Delete(o);
    story_list_free(list);

    /* Undated, mostly empty, with characters JSON must escape. */
    Story s = {0};
    s.id = xstrdup("x\"1");
    s.title =
        xstrdup("Quote \" backslash \\ tab\t caf\xC3\xA9 \xE2\x80\x94 end");
    s.published_s = STORY_NO_TIME;
    s.priority = 2;
    o = story_json(&s);
    assert_json_str(o, "id", "x\"1");
    assert_json_str(o, "title", s.title);
    assert_json_str(o, "published", NULL);
    assert_json_str(o, "summary", NULL);
    assert_json_str(o, "source", NULL);
    assert_json_str(o, "url", NULL);
    assert_json_str(o, "image", NULL);
    assert_json_str(o, "feed", NULL);
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(o, "priority")->valueint,
                     2);
    cJSON_Delete(o);

    /* The epoch itself is a date, not "no date". */
    s.published_s = 0;
    o = story_json(&s);
    assert_json_str(o, "published", "1970-01-01T00:00:00Z");
    cJSON_Delete(o);
    story_deinit(&s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_newsapi_ok),
        cmocka_unit_test(test_jsonfeed_ok),
        cmocka_unit_test(test_newsapi_error),
        cmocka_unit_test(test_broken_documents),
        cmocka_unit_test(test_wrong_types),
        cmocka_unit_test(test_source_override),
        cmocka_unit_test(test_forced_format),
        cmocka_unit_test(test_ids_and_limits),
        cmocka_unit_test(test_newsapi_cleanup),
        cmocka_unit_test(test_story_to_json),
    };
    return cmocka_run_group_tests_name("feed", tests, NULL, NULL);
}
