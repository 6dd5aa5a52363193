/*
 * it_formats: the real binary reads a fixture of every format with
 * --dump-feed and prints clean stories: NewsAPI, JSON Feed, GNews,
 * Guardian, NYT, RSS 2.0, RSS 1.0 (RDF), Atom, declared legacy encodings
 * and a mapping from a config file. Several feeds merge with credit to
 * every source, filters and round-robin order apply, an API's error body
 * behind HTTP 401 becomes a readable error, and a bad mapping key stops
 * --check-config with FILE:LINE.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cJSON.h>
#include <cmocka.h>

#include "ittools.h"
#include "util.h"

/* A day on which every fixture's stories are current. */
#define CLOCK "--clock=2025-03-04T21:00:00Z"

/* A story's string field, or NULL for null. */
static const char *
field(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!v)
        fail_msg("key \"%s\" missing", key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Nothing a screen should not show: markup, entities, controls. */
static void
assert_clean_text(const char *s)
{
    if (!s)
        return;
    static const char *const bad[] = {
        "<", "&amp;", "&quot;", "&#", "&nbsp;", "[+", "chars]", "\xE2\x80\xAE"};
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        if (strstr(s, bad[i]))
            fail_msg("\"%s\" holds \"%s\"", s, bad[i]);
    }
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20)
            fail_msg("\"%s\" holds a control character", s);
    }
}

/* Parses the JSON Lines on stdout; checks every story is clean. */
static cJSON *
stories(const char *out)
{
    cJSON *all = cJSON_CreateArray();
    const char *p = out;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        cJSON *o = cJSON_ParseWithLength(p, len);
        if (!cJSON_IsObject(o))
            fail_msg("not a JSON object: %.*s", (int)len, p);
        const char *title = field(o, "title");
        assert_true(title && *title);
        static const char *const text[] = {"title", "summary", "source"};
        for (size_t i = 0; i < ARRAY_LEN(text); i++)
            assert_clean_text(field(o, text[i]));
        static const char *const urls[] = {"url", "image"};
        for (size_t i = 0; i < ARRAY_LEN(urls); i++) {
            const char *u = field(o, urls[i]);
            if (u && strncmp(u, "https://", 8) && strncmp(u, "http://", 7))
                fail_msg("%s is not a web address: %s", urls[i], u);
        }
        cJSON_AddItemToArray(all, o);
        p += len + (nl ? 1 : 0);
    }
    return all;
}

static const cJSON *
find_title(const cJSON *all, const char *title)
{
    const cJSON *o;
    cJSON_ArrayForEach(o, all)
    {
        if (!strcmp(field(o, "title"), title))
            return o;
    }
    fail_msg("no story titled \"%s\"", title);
    return NULL;
}

static void
test_every_format(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        int count;
        const char *title;
        const char *source;
    } cases[] = {
        {"newsapi-ok.json", 4,
         "Storm closes coastal railway line for second "
         "day",
         "BBC News"},
        {"newsapi-quirks.json", 4,
         "Regional rail strike called off hours "
         "before deadline",
         "Valley Courier"},
        {"jsonfeed-ok.json", 4, "Winter ferry timetable starts on Monday",
         "Harbour City Gazette"},
        {"jsonfeed-breaking.json", 4,
         "Weather warning: high winds expected "
         "after 16:00.",
         "Lobby Newswire"},
        {"gnews-ok.json", 2, "Solar farm approved on former airfield",
         "Energy Example"},
        {"guardian-ok.json", 3, "Bus lanes are not the enemy of drivers",
         "The Guardian"},
        {"nyt-ok.json", 2,
         "Subway Line to Run Overnight Shuttle During "
         "Repairs",
         "The New York Times"},
        {"rss2-ok.xml", 3, "Bridge inspection finds \"minor\" wear",
         "Valley Courier"},
        {"rss1-rdf.xml", 2, "Meteor shower peaks on Thursday night",
         "Observatory Notes"},
        {"atom-ok.xml", 2, "Open day moved to Saturday", "Campus Bulletin"},
        {"rss-latin1.xml", 1,
         "Caf\xC3\xA9 M\xC3\xBCller reopens, coffee now "
         "\xC2\xA3"
         "2",
         "Le Courrier du Caf\xC3\xA9"},
        {"rss-cp1252.xml", 1,
         "\xE2\x80\x9CRecord\xE2\x80\x9D week for the "
         "market \xE2\x80\x93 stalls up \xE2\x82\xAC"
         "10",
         "Market Report"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        char *url = it_fixture_url(cases[i].file);
        RunResult r = it_run_newswire("--dump-feed", "-c", "/dev/null", CLOCK,
                                      "--feed", url, NULL);
        if (r.status != 0)
            fail_msg("%s: exit %d: %s", cases[i].file, r.status, r.err);
        cJSON *all = stories(r.out);
        if (cJSON_GetArraySize(all) != cases[i].count)
            fail_msg("%s: %d stories, want %d", cases[i].file,
                     cJSON_GetArraySize(all), cases[i].count);
        const cJSON *s = find_title(all, cases[i].title);
        assert_string_equal(field(s, "source"), cases[i].source);
        assert_string_equal(field(s, "feed"), "feed1");
        cJSON_Delete(all);
        it_result_free(&r);
        free(url);
    }
}

static void
test_breaking_and_expiry(void **state)
{
    (void)state;
    char *url = it_fixture_url("jsonfeed-breaking.json");
    RunResult r = it_run_newswire("--dump-feed", "-c", "/dev/null", CLOCK,
                                  "--feed", url, NULL);
    assert_int_equal(r.status, 0);
    cJSON *all = stories(r.out);
    const cJSON *s = find_title(all, "Weather warning: high winds expected "
                                     "after 16:00.");
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(s, "priority")->valueint,
                     1);
    cJSON_Delete(all);
    it_result_free(&r);
    /* After its expiry time the warning is gone. */
    r = it_run_newswire("--dump-feed", "-c", "/dev/null",
                        "--clock=2025-03-04T23:30:00Z", "--feed", url, NULL);
    assert_int_equal(r.status, 0);
    assert_null(strstr(r.out, "Weather warning"));
    assert_non_null(strstr(r.out, "Library extension"));
    it_result_free(&r);
    free(url);
}

static void
test_mapping_from_config(void **state)
{
    (void)state;
    char *url = it_fixture_url("map-city.json");
    char *conf = it_path("map.conf");
    char *text = xasprintf("[feed.city]\n"
                           "url = %s\n"
                           "format = map\n"
                           "items = /data/articles\n"
                           "id = /uuid\n"
                           "title = /headline/en | /title\n"
                           "summary = /teaser\n"
                           "link = /links/web\n"
                           "image = /media\n"
                           "publisher = $/meta/publisher\n"
                           "published = /ts | /date\n"
                           "priority = /flags/urgent\n"
                           "expires = /expires\n",
                           url);
    assert_true(it_write_file(conf, text));
    RunResult r = it_run_newswire("--check-config", "-c", conf, NULL);
    assert_int_equal(r.status, 0);
    it_result_free(&r);
    r = it_run_newswire("--dump-feed", "-c", conf, CLOCK, NULL);
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    cJSON *all = stories(r.out);
    assert_int_equal(cJSON_GetArraySize(all), 2);
    const cJSON *s = find_title(all, "Night buses extended to the harbour "
                                     "district");
    assert_string_equal(field(s, "source"), "City Hall Press Office");
    assert_string_equal(field(s, "id"), "ch-2025-0412");
    assert_string_equal(field(s, "image"),
                        "https://city.example.gov/img/n4.jpg");
    assert_string_equal(field(s, "published"), "2025-03-04T14:00:00Z");
    assert_string_equal(field(s, "feed"), "city");
    s = find_title(all, "Water main repair: Elm Street closed");
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(s, "priority")->valueint,
                     1);
    cJSON_Delete(all);
    it_result_free(&r);

    /* A broken pointer is a configuration error with file and line. */
    assert_true(it_write_file(conf, "[feed.city]\nurl = https://x/\n"
                                    "format = map\ntitle = headline\n"));
    r = it_run_newswire("--check-config", "-c", conf, NULL);
    assert_int_equal(r.status, 2);
    char *want = xasprintf("%s:4: feed.city.title: 'headline' is not a JSON "
                           "Pointer",
                           conf);
    if (!strstr(r.err, want))
        fail_msg("stderr \"%s\" lacks \"%s\"", r.err, want);
    free(want);
    it_result_free(&r);
    free(text);
    free(conf);
    free(url);
}

static void
test_feeds_merge_with_credit_and_filters(void **state)
{
    (void)state;
    char *ledger = it_fixture_url("newsapi-quirks.json");
    /* The same ferry story from another outlet, with tracking added. */
    char *other = it_path("other.json");
    assert_true(it_write_file(
        other, "{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":"
               "\"Island Radio\",\"items\":[{\"id\":\"ir-1\",\"title\":\"Ferry "
               "service to Gull Island resumes after storm repairs\",\"url\":"
               "\"http://NEWS.example.org/2025/03/04/ferry-resumes/"
               "?utm_source=radio\",\"date_published\":"
               "\"2025-03-04T18:00:00Z\"},{\"id\":\"ir-2\",\"title\":\"Island "
               "radio mast repaired\",\"date_published\":"
               "\"2025-03-04T10:00:00Z\"}]}"));
    char *conf = it_path("merge.conf");
    char *other_url = xasprintf("file://%s", other);
    char *text = xasprintf("[feed.ledger]\nurl = %s\n[feed.radio]\nurl = %s\n",
                           ledger, other_url);
    assert_true(it_write_file(conf, text));
    RunResult r = it_run_newswire("--dump-feed", "-c", conf, CLOCK, NULL);
    assert_int_equal(r.status, 0);
    cJSON *all = stories(r.out);
    assert_int_equal(cJSON_GetArraySize(all), 5); /* 4 + 2, one shared */
    const cJSON *s = find_title(all, "Ferry service to Gull Island resumes "
                                     "after storm repairs");
    assert_string_equal(field(s, "source"),
                        "Harbor City Ledger \xC2\xB7 Island Radio");
    assert_string_equal(field(s, "feed"), "ledger");
    /* Newest first. */
    assert_string_equal(field(cJSON_GetArrayItem(all, 0), "title"),
                        "Ferry service to Gull Island resumes after storm "
                        "repairs");
    cJSON_Delete(all);
    it_result_free(&r);

    /* Round-robin: ledger's newest, radio's newest, ledger's second... */
    r = it_run_newswire("--dump-feed", "-c", conf, CLOCK, "--set",
                        "filter.order=round_robin", "--set",
                        "filter.block=ferry, arsenal", NULL);
    assert_int_equal(r.status, 0);
    all = stories(r.out);
    assert_int_equal(cJSON_GetArraySize(all), 3);
    assert_string_equal(field(cJSON_GetArrayItem(all, 0), "feed"), "ledger");
    assert_string_equal(field(cJSON_GetArrayItem(all, 1), "title"),
                        "Island radio mast repaired");
    assert_null(strstr(r.out, "Ferry"));
    assert_null(strstr(r.out, "Arsenal"));
    cJSON_Delete(all);
    it_result_free(&r);

    /* Allow keywords, a per-feed age limit and the story cap. */
    r = it_run_newswire("--dump-feed", "-c", conf, CLOCK, "--set",
                        "filter.allow=island*", "--set",
                        "feed.radio.max_age_h=6", NULL);
    assert_int_equal(r.status, 0);
    all = stories(r.out);
    assert_int_equal(cJSON_GetArraySize(all), 1);
    assert_string_equal(field(cJSON_GetArrayItem(all, 0), "source"),
                        "Harbor City Ledger \xC2\xB7 Island Radio");
    cJSON_Delete(all);
    it_result_free(&r);
    r = it_run_newswire("--dump-feed", "-c", conf, CLOCK, "--set",
                        "filter.max_stories=2", NULL);
    all = stories(r.out);
    assert_int_equal(cJSON_GetArraySize(all), 2);
    cJSON_Delete(all);
    it_result_free(&r);
    free(text);
    free(other_url);
    free(conf);
    free(other);
    free(ledger);
}

static void
test_http_error_body(void **state)
{
    (void)state;
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof(cwd)));
    char *root = xasprintf("%s/tests/fixtures", cwd);
    int port;
    int pid = it_httpd_start(root, &port);
    assert_true(pid > 0);
    char *denied = xasprintf("http://127.0.0.1:%d/status/401", port);
    char *ok = xasprintf("http://127.0.0.1:%d/files/rss2-ok.xml", port);
    RunResult r = it_run_newswire("--dump-feed", "-c", "/dev/null", CLOCK,
                                  "--feed", ok, "--feed", denied, NULL);
    /* The good feed still shows; the other says why, by name. */
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "Bridge inspection"));
    if (!strstr(r.err, "feed2: the server answered HTTP 401 (the API key is "
                       "missing or wrong): x: status 401"))
        fail_msg("stderr: %s", r.err);
    it_result_free(&r);
    it_httpd_stop(pid);
    free(ok);
    free(denied);
    free(root);
}

static void
test_api_error_document(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        const char *want;
    } cases[] = {
        {"newsapi-error.json", "feed1: the news service refused: "
                               "apiKeyInvalid: Your API key is invalid"},
        {"gnews-error-quota.json", "feed1: the news service refused: You have "
                                   "reached your request limit"},
        {"guardian-error.json", "feed1: the news service refused: Content API "
                                "does not support paging"},
        {"nyt-error.json", "feed1: the news service refused: Invalid ApiKey"},
        {"broken-notjson.html",
         "feed1: the server sent a web page instead of the feed"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        char *url = it_fixture_url(cases[i].file);
        RunResult r = it_run_newswire("--dump-feed", "-c", "/dev/null",
                                      "--feed", url, NULL);
        assert_int_equal(r.status, 1);
        assert_string_equal(r.out, "");
        if (!strstr(r.err, cases[i].want))
            fail_msg("%s: stderr \"%s\" lacks \"%s\"", cases[i].file, r.err,
                     cases[i].want);
        it_result_free(&r);
        free(url);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_format),
        cmocka_unit_test(test_breaking_and_expiry),
        cmocka_unit_test(test_mapping_from_config),
        cmocka_unit_test(test_feeds_merge_with_credit_and_filters),
        cmocka_unit_test(test_http_error_body),
        cmocka_unit_test(test_api_error_document),
    };
    return cmocka_run_group_tests_name("it_formats", tests, NULL, NULL);
}
