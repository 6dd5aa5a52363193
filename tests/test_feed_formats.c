/*
 * test_feed_formats: every format the decoder reads, from the fixtures in
 * tests/fixtures: GNews, Guardian, NYT, JSON Feed with the _newswire
 * extension, NewsAPI's quirks, RSS 2.0, RSS 1.0 (RDF), Atom, declared
 * ISO-8859-1 and windows-1252 encodings, mappings from the config file,
 * format = auto, API error documents and HTTP error bodies, and the body
 * cap.
 *
 * Expected epochs were computed with GNU date, e.g.
 * `date -u -d 2025-03-04T05:00:08-05:00 +%s` = 1741082408. Fixtures are
 * read relative to the repository root, where the tests run.
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
#include "feed.h"
#include "story.h"
#include "unittools.h"
#include "util.h"

#define RSQUO "\xE2\x80\x99"
#define LDQUO "\xE2\x80\x9C"
#define RDQUO "\xE2\x80\x9D"
#define NDASH "\xE2\x80\x93"
#define EURO "\xE2\x82\xAC"

static StoryList *
decode_opts(const char *name, const FeedDecodeOpts *opts)
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

static StoryList *
decode(const char *name, FeedFormat format)
{
    FeedDecodeOpts opts = {.feed_name = "f", .format = format};
    return decode_opts(name, &opts);
}

static char *
decode_error(const char *name, const FeedDecodeOpts *opts)
{
    Doc d = fixture_load(name);
    StoryList *list = (StoryList *)1;
    char err[512] = "";
    int rc = feed_decode(d.data, d.len, opts, &list, err, sizeof(err));
    free(d.data);
    if (rc != -1)
        fail_msg("%s: rc=%d, want -1", name, rc);
    assert_null(list);
    return xstrdup(err);
}

static void
assert_contains(const char *haystack, const char *needle)
{
    if (!haystack || !strstr(haystack, needle))
        fail_msg("\"%s\" does not contain \"%s\"", haystack ? haystack : "NULL",
                 needle);
}

static void
assert_str_or_null(const char *got, const char *want)
{
    if (!want) {
        if (got)
            fail_msg("\"%s\", want NULL", got);
        return;
    }
    if (!got)
        fail_msg("NULL, want \"%s\"", want);
    assert_string_equal(got, want);
}

/* title, source, url, image, published; NULL means NULL. */
static void
assert_story(const Story *s, const char *title, const char *source,
             const char *url, const char *image, int64_t published_s)
{
    assert_str_or_null(s->title, title);
    assert_str_or_null(s->source, source);
    assert_str_or_null(s->url, url);
    assert_str_or_null(s->image, image);
    assert_int_equal(s->published_s, published_s);
}

static void
test_gnews(void **state)
{
    (void)state;
    StoryList *l = decode("gnews-ok.json", FEED_FORMAT_AUTO);
    assert_int_equal(l->count, 2);
    const Story *s = &l->items[0];
    assert_story(s, "Solar farm approved on former airfield", "Energy Example",
                 "https://energy.example.com/solar-airfield-approved?"
                 "utm_source=gnews&utm_medium=api",
                 "https://energy.example.com/img/solar.jpg",
                 INT64_C(1741086900));
    assert_string_equal(s->id, "3f2b9c0e7a1d4e55");
    assert_string_equal(s->summary, "Planners back a 40MW scheme despite "
                                    "objections over glare.");
    assert_true(s->read_min >= 1);
    s = &l->items[1];
    assert_story(s, "City marathon adds wheelchair division", "Sport Example",
                 "https://sport.example.com/marathon-wheelchair",
                 "https://sport.example.com/img/marathon.jpg",
                 INT64_C(1741034911));
    assert_true(s->id[0] == 'h'); /* no id given: a hash of the URL */
    story_list_free(l);
    /* Forced, the same. */
    l = decode("gnews-ok.json", FEED_FORMAT_GNEWS);
    assert_int_equal(l->count, 2);
    story_list_free(l);
}

static void
test_guardian(void **state)
{
    (void)state;
    StoryList *l = decode("guardian-ok.json", FEED_FORMAT_AUTO);
    assert_int_equal(l->count, 3);
    const Story *s = &l->items[0];
    assert_story(
        s, "Canal towpath reopens after two-year restoration", "The Guardian",
        "https://www.theguardian.example/uk-news/2025/mar/04/"
        "canal-towpath-reopens",
        "https://media.example.org/towpath/500.jpg", INT64_C(1741096931));
    assert_string_equal(s->id, "uk-news/2025/mar/04/canal-towpath-reopens");
    /* trailText holds HTML and an entity. */
    assert_string_equal(s->summary, "Volunteers rebuilt 3km of bank " NDASH
                                    " and found a Victorian lock key");
    /* fields/headline wins over the webTitle with its " | Author". */
    s = &l->items[1];
    assert_string_equal(s->title, "Bus lanes are not the enemy of drivers");
    assert_string_equal(s->summary, "Faster buses free up road space for "
                                    "everyone, says Ruth Calloway");
    assert_null(s->image);
    /* Without show-fields only the webTitle is there. */
    s = &l->items[2];
    assert_story(s, "Without show-fields there is only the web title",
                 "The Guardian",
                 "https://www.theguardian.example/science/2025/mar/03/"
                 "no-fields",
                 NULL, INT64_C(1741040100));
    assert_null(s->summary);
    story_list_free(l);
}

static void
test_nyt(void **state)
{
    (void)state;
    StoryList *l = decode("nyt-ok.json", FEED_FORMAT_AUTO);
    assert_int_equal(l->count, 2);
    const Story *s = &l->items[0];
    /* The widest image up to 2560 px: the 2048 px "Super Jumbo". */
    assert_story(s,
                 "Comet" RSQUO "s Return Will Be Visible Without a Telescope",
                 "The New York Times",
                 "https://www.example-times.com/2025/03/04/science/"
                 "comet-return.html",
                 "https://static.example-times.com/images/2025/03/04/"
                 "comet-superJumbo.jpg",
                 INT64_C(1741082408));
    assert_string_equal(s->id, "nyt://article/0f3a2c1e-1111-5a5a-9c9c-"
                               "123456789abc");
    assert_string_equal(s->summary, "Astronomers say the comet should be "
                                    "brightest on March 20, weather "
                                    "permitting.");
    /* multimedia null, geo_facet "" where arrays belong: no trouble. */
    s = &l->items[1];
    assert_story(s, "Subway Line to Run Overnight Shuttle During Repairs",
                 "The New York Times",
                 "https://www.example-times.com/2025/03/04/nyregion/"
                 "subway-shuttle.html",
                 NULL, INT64_C(1741104600));
    story_list_free(l);
}

static void
test_newsapi_quirks(void **state)
{
    (void)state;
    StoryList *l = decode("newsapi-quirks.json", FEED_FORMAT_AUTO);
    /* Five articles; the [Removed] placeholder is dropped. */
    assert_int_equal(l->count, 4);
    const Story *s = &l->items[0];
    assert_story(s, "Ferry service to Gull Island resumes after storm repairs",
                 "Harbor City Ledger",
                 "https://news.example.org/2025/03/04/ferry-resumes",
                 "https://img.example.org/ferry.jpg", INT64_C(1741112525));
    assert_string_equal(s->summary, "Crews replaced two pilings & a gangway. "
                                    "Service resumes \"by Friday\", officials "
                                    "said.");
    /* The score is not a source suffix; +00:00 is read. */
    s = &l->items[1];
    assert_story(s, "Arsenal 2 - 1 Chelsea: late header settles derby",
                 "Example Wire", "https://wire.example.com/sport/derby-report",
                 NULL, INT64_C(1741107900));
    assert_null(s->summary);
    /* An aggregator's item: the suffix names the real publisher; an
     * empty urlToImage is no image. */
    s = &l->items[2];
    assert_story(s, "Regional rail strike called off hours before deadline",
                 "Valley Courier",
                 "https://news.example.net/articles/rail-strike-off", NULL,
                 INT64_C(1741106412));
    assert_string_equal(s->summary,
                        "Union accepts revised offer Trains run as normal");
    /* "- BBC.com" is BBC News written as a domain; a javascript: image is
     * not an image; a date with a space and no zone is UTC. */
    s = &l->items[3];
    assert_story(s, "Coastal path closed after cliff fall", "BBC News",
                 "https://www.bbc.example/news/cliff-fall", NULL,
                 INT64_C(1741100400));
    story_list_free(l);
}

static void
test_jsonfeed_extension(void **state)
{
    (void)state;
    StoryList *l = decode("jsonfeed-breaking.json", FEED_FORMAT_AUTO);
    assert_int_equal(l->count, 4);
    const Story *s = &l->items[0];
    assert_story(s, "Library extension opens with rooftop reading garden",
                 "Lobby Newswire",
                 "https://lobby.example.org/2025/03/04/library-extension",
                 "https://lobby.example.org/img/library.jpg",
                 INT64_C(1741080600));
    assert_string_equal(s->summary, "The \xC2\xA3"
                                    "4m wing adds 120 study seats.");
    assert_int_equal(s->priority, 0);
    assert_int_equal(s->expires_s, 0);
    /* The untitled item: its first sentence is the title, the rest the
     * summary; a numeric id is a string; priority and expiry from the
     * _newswire extension. */
    s = &l->items[1];
    assert_string_equal(s->id, "20250304");
    assert_string_equal(s->title,
                        "Weather warning: high winds expected after 16:00.");
    assert_string_equal(s->summary, "No title on this microblog-style item.");
    assert_int_equal(s->published_s, INT64_C(1741107600));
    assert_int_equal(s->priority, 1);
    assert_int_equal(s->expires_s, INT64_C(1741129200));
    /* No id: the URL stands in. */
    s = &l->items[2];
    assert_true(s->id[0] == 'h');
    assert_string_equal(s->url, "https://lobby.example.org/no-id");
    s = &l->items[3];
    assert_string_equal(s->id, "legacy-author");
    assert_int_equal(s->priority, 2);
    story_list_free(l);
}

static void
test_rss2(void **state)
{
    (void)state;
    StoryList *l = decode("rss2-ok.xml", FEED_FORMAT_AUTO);
    /* The fourth item has no text at all and is skipped. */
    assert_int_equal(l->count, 3);
    const Story *s = &l->items[0];
    /* &amp;quot; is XML for &quot;, which the entity pass decodes. */
    assert_story(s, "Bridge inspection finds \"minor\" wear", "Valley Courier",
                 "https://courier.example.com/bridge-inspection",
                 "https://courier.example.com/img/bridge.jpg",
                 INT64_C(1741112525));
    assert_string_equal(s->id, "courier-2025-0304-17");
    assert_string_equal(s->summary, "Engineers say the span is safe.");
    /* A permalink guid is the link; dc:date; an image enclosure; the
     * item's <source> is its publisher; the script is gone. */
    s = &l->items[1];
    assert_story(s, "School board approves new term dates", "Schools Weekly",
                 "https://courier.example.com/term-dates",
                 "https://courier.example.com/img/school.png",
                 INT64_C(1741076100));
    assert_string_equal(s->summary, "Terms start a week later from "
                                    "September.");
    /* No title: the first sentence of the description; the image from
     * media:group, not the video; RFC 822 without seconds. */
    s = &l->items[2];
    assert_story(
        s, "Road closed at Mill Lane until 18:00 today.", "Valley Courier",
        "https://courier.example.com/notes/mill-lane",
        "https://courier.example.com/img/mill.jpg", INT64_C(1741075500));
    assert_string_equal(s->summary,
                        "Diversions are signposted via the high street.");
    story_list_free(l);
}

static void
test_rss1_rdf(void **state)
{
    (void)state;
    StoryList *l = decode("rss1-rdf.xml", FEED_FORMAT_AUTO);
    assert_int_equal(l->count, 2);
    assert_story(&l->items[0], "Meteor shower peaks on Thursday night",
                 "Observatory Notes",
                 "https://observatory.example.net/2025/meteor-shower", NULL,
                 INT64_C(1741118400));
    assert_string_equal(l->items[0].id,
                        "https://observatory.example.net/2025/meteor-shower");
    assert_story(&l->items[1], "Open night tickets on sale",
                 "Observatory Notes",
                 "https://observatory.example.net/2025/open-night", NULL,
                 INT64_C(1740997800));
    assert_string_equal(l->items[1].summary,
                        "Telescopes & talks for all ages.");
    story_list_free(l);
    l = decode("rss1-rdf.xml", FEED_FORMAT_RSS);
    assert_int_equal(l->count, 2);
    story_list_free(l);
}

static void
test_atom(void **state)
{
    (void)state;
    StoryList *l = decode("atom-ok.xml", FEED_FORMAT_AUTO);
    assert_int_equal(l->count, 2);
    /* type="html": the escaped tags are stripped; no published, so
     * updated; an enclosure link is the image. */
    const Story *s = &l->items[0];
    assert_story(s, "Open day moved to Saturday", "Campus Bulletin",
                 "https://campus.example.edu/open-day",
                 "https://campus.example.edu/img/open-day.jpg",
                 INT64_C(1741077900));
    assert_string_equal(s->id, "tag:campus.example.edu,2025:open-day");
    assert_string_equal(s->summary, "Parking will be free all day.");
    /* type="xhtml": the text of the elements; a link without rel;
     * published beats updated; the entry's source names its publisher. */
    s = &l->items[1];
    assert_story(s, "Lab reopens after refit", "Science Faculty News",
                 "https://campus.example.edu/lab-reopens",
                 "https://campus.example.edu/img/lab.jpg", INT64_C(1741017600));
    assert_string_equal(s->summary, "The chemistry lab has new fume "
                                    "cupboards. Classes resume on Monday.");
    story_list_free(l);
}

static void
test_declared_encodings(void **state)
{
    (void)state;
    StoryList *l = decode("rss-latin1.xml", FEED_FORMAT_AUTO);
    assert_int_equal(l->count, 1);
    assert_story(&l->items[0],
                 "Caf\xC3\xA9 M\xC3\xBCller reopens, coffee now "
                 "\xC2\xA3"
                 "2",
                 "Le Courrier du Caf\xC3\xA9",
                 "https://courrier.example.fr/cafe", NULL, INT64_C(1741078800));
    assert_string_equal(l->items[0].summary, "Na\xC3\xAFve art on the walls.");
    story_list_free(l);

    l = decode("rss-cp1252.xml", FEED_FORMAT_RSS);
    assert_int_equal(l->count, 1);
    assert_story(&l->items[0],
                 LDQUO "Record" RDQUO " week for the market " NDASH
                       " stalls up " EURO "10",
                 "Market Report", "https://market.example.com/record-week",
                 NULL, INT64_C(1741023000));
    assert_string_equal(l->items[0].summary, "Traders" RSQUO " takings rose.");
    story_list_free(l);
}

static void
test_undeclared_entities_and_stray_ampersands(void **state)
{
    (void)state;
    const char *xml =
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title>"
        "<item><title>Caf&eacute;&nbsp;open at AT&T &amp; R&D &#8217;s "
        "&#x2014; fine</title><link>https://x.example.com/a?b=1&c=2</link>"
        "<description><![CDATA[Kept &eacute; <b>bold</b> & plain]]>"
        "</description></item></channel></rss>";
    FeedDecodeOpts opts = {.feed_name = "f"};
    StoryList *l = NULL;
    char err[256] = "";
    assert_int_equal(feed_decode(xml, strlen(xml), &opts, &l, err, sizeof(err)),
                     0);
    assert_int_equal(l->count, 1);
    assert_string_equal(l->items[0].title, "Caf\xC3\xA9 open at AT&T & R&D "
                                           "\xE2\x80\x99s \xE2\x80\x94 fine");
    assert_string_equal(l->items[0].url, "https://x.example.com/a?b=1&c=2");
    assert_string_equal(l->items[0].summary, "Kept \xC3\xA9 bold & plain");
    story_list_free(l);
}

/* A [feed.NAME] section read through the real config parser. */
static FeedConf
feed_conf(const char *ini)
{
    Config *cfg = xcalloc(1, sizeof(Config));
    config_defaults(cfg);
    char err[512] = "";
    if (config_load_string(cfg, ini, "t.conf", err, sizeof(err)) != 0 ||
        config_validate(cfg, err, sizeof(err)) != 0)
        fail_msg("config: %s", err);
    assert_int_equal(cfg->feed_count, 1);
    FeedConf f = cfg->feeds[0];
    free(cfg);
    return f;
}

static void
test_mapping(void **state)
{
    (void)state;
    FeedConf conf = feed_conf("[feed.city]\n"
                              "url = file:///x\n"
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
                              "expires = /expires\n"
                              "zone = +01:00\n");
    FeedDecodeOpts opts = feed_decode_opts(&conf, 0);
    StoryList *l = decode_opts("map-city.json", &opts);
    assert_int_equal(l->count, 2); /* the third has no title */
    const Story *s = &l->items[0];
    assert_story(s, "Night buses extended to the harbour district",
                 "City Hall Press Office",
                 "https://city.example.gov/news/night-buses",
                 "https://city.example.gov/img/n4.jpg", INT64_C(1741096800));
    assert_string_equal(s->id, "ch-2025-0412");
    assert_string_equal(s->feed, "city");
    assert_int_equal(s->priority, 0);
    /* The fallback title; a number id; a zoneless date in the feed's
     * zone (07:30 at +01:00 is 06:30Z); true is breaking. */
    s = &l->items[1];
    assert_story(s, "Water main repair: Elm Street closed",
                 "City Hall Press Office",
                 "https://city.example.gov/news/elm-street?utm_campaign=feed",
                 NULL, INT64_C(1741073400) - 3600);
    assert_string_equal(s->id, "4411");
    assert_int_equal(s->priority, 1);
    assert_int_equal(s->expires_s, INT64_C(1741284000));
    story_list_free(l);

    /* A bare list at the top: items left empty. */
    conf = feed_conf("[feed.list]\nurl = file:///x\nformat = map\n"
                     "title = /headline\nlink = /link\npublished = /time\n");
    opts = feed_decode_opts(&conf, 0);
    l = decode_opts("map-list.json", &opts);
    assert_int_equal(l->count, 2);
    assert_story(&l->items[0], "Bare list item one", NULL,
                 "https://list.example.com/1", NULL, INT64_C(1741089600));
    /* Milliseconds. */
    assert_int_equal(l->items[1].published_s, INT64_C(1741089600));
    story_list_free(l);

    /* A mapping key adjusts one field of a preset. */
    conf = feed_conf("[feed.g]\nurl = file:///x\nformat = guardian\n"
                     "title = /webTitle\nsummary = /sectionName\n");
    opts = feed_decode_opts(&conf, 0);
    l = decode_opts("guardian-ok.json", &opts);
    assert_string_equal(l->items[1].title,
                        "Bus lanes are not the enemy of drivers | Ruth "
                        "Calloway");
    assert_string_equal(l->items[1].summary, "Opinion");
    assert_string_equal(l->items[1].source, "The Guardian");
    story_list_free(l);

    /* Items where the mapping finds none: the message says where. */
    conf = feed_conf("[feed.m]\nurl = file:///x\nformat = map\n"
                     "items = /nothing/here\ntitle = /t\n");
    opts = feed_decode_opts(&conf, 0);
    char *err = decode_error("map-city.json", &opts);
    assert_contains(err, "m: the feed has no stories");
    assert_contains(err, "/nothing/here");
    free(err);
}

static void
test_auto_detection(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        FeedFormat want;
    } cases[] = {
        {"newsapi-ok.json", FEED_FORMAT_NEWSAPI},
        {"newsapi-quirks.json", FEED_FORMAT_NEWSAPI},
        {"jsonfeed-ok.json", FEED_FORMAT_JSONFEED},
        {"gnews-ok.json", FEED_FORMAT_GNEWS},
        {"guardian-ok.json", FEED_FORMAT_GUARDIAN},
        {"guardian-error.json", FEED_FORMAT_GUARDIAN},
        {"nyt-ok.json", FEED_FORMAT_NYT},
        {"rss2-ok.xml", FEED_FORMAT_RSS},
        {"rss1-rdf.xml", FEED_FORMAT_RSS},
        {"rss-latin1.xml", FEED_FORMAT_RSS},
        {"atom-ok.xml", FEED_FORMAT_ATOM},
        {"map-city.json", FEED_FORMAT_AUTO},
        {"map-list.json", FEED_FORMAT_AUTO},
        {"broken-notjson.html", FEED_FORMAT_AUTO},
        {"zero-byte.json", FEED_FORMAT_AUTO},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        Doc d = fixture_load(cases[i].file);
        FeedFormat got = feed_detect(d.data, d.len);
        free(d.data);
        if (got != cases[i].want)
            fail_msg("%s: detected %s, want %s", cases[i].file,
                     config_format_name(got),
                     config_format_name(cases[i].want));
    }
    /* A GNews-shaped document without its envelope: the image field. */
    const char *g =
        "{\"articles\":[{\"title\":\"T\",\"image\":\"https://i/x\"}]}";
    assert_int_equal(feed_detect(g, strlen(g)), FEED_FORMAT_GNEWS);
    /* Unknown JSON says how to read it. */
    Doc d = fixture_load("map-city.json");
    FeedDecodeOpts opts = {.feed_name = "city"};
    StoryList *l = NULL;
    char err[512];
    assert_int_equal(feed_decode(d.data, d.len, &opts, &l, err, sizeof(err)),
                     -1);
    assert_contains(err, "city: unknown feed format");
    assert_contains(err, "format = map");
    free(d.data);
    /* A bare array too. */
    char *e = decode_error("map-list.json", &opts);
    assert_contains(e, "is an array, not a JSON object");
    assert_contains(e, "format = map");
    free(e);
}

static void
test_format_mismatch(void **state)
{
    (void)state;
    FeedDecodeOpts opts = {.feed_name = "f", .format = FEED_FORMAT_ATOM};
    char *err = decode_error("rss2-ok.xml", &opts);
    assert_contains(err, "f: format = atom, but the document is RSS");
    free(err);
    opts.format = FEED_FORMAT_NEWSAPI;
    err = decode_error("atom-ok.xml", &opts);
    assert_contains(err, "not a JSON feed");
    free(err);
    opts.format = FEED_FORMAT_RSS;
    err = decode_error("newsapi-ok.json", &opts);
    assert_contains(err, "expected an XML feed");
    free(err);
    /* XML that is neither. */
    const char *svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"/>";
    StoryList *l = NULL;
    char msg[256];
    opts.format = FEED_FORMAT_AUTO;
    assert_int_equal(feed_decode(svg, strlen(svg), &opts, &l, msg, sizeof(msg)),
                     -1);
    assert_contains(msg, "not RSS or Atom (its root element is <svg>)");
}

static void
test_api_errors(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        const char *want;
    } cases[] = {
        {"newsapi-error.json", "apiKeyInvalid: Your API key is invalid"},
        {"gnews-error-quota.json", "You have reached your request limit"},
        {"gnews-error-param.json", "category: The selected category is "
                                   "invalid."},
        {"guardian-error.json", "Content API does not support paging this "
                                "far"},
        {"nyt-error.json", "Invalid ApiKey (oauth.v2.InvalidApiKey)"},
    };
    FeedDecodeOpts opts = {.feed_name = "wire"};
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        char *err = decode_error(cases[i].file, &opts);
        assert_contains(err, "wire: the news service refused: ");
        assert_contains(err, cases[i].want);
        free(err);
    }
    /* With the preset named, and as a mapping: the same sentence. */
    opts.format = FEED_FORMAT_GNEWS;
    char *err = decode_error("gnews-error-quota.json", &opts);
    assert_contains(err, "request limit");
    free(err);
    FeedConf conf = feed_conf("[feed.m]\nurl = file:///x\nformat = map\n"
                              "items = /results\ntitle = /t\n");
    opts = feed_decode_opts(&conf, 0);
    err = decode_error("newsapi-error.json", &opts);
    assert_contains(err, "m: the news service refused: apiKeyInvalid");
    free(err);
    /* A generic {"error": {...}} envelope. */
    const char *doc = "{\"error\":{\"code\":429,\"message\":\"Slow down\"}}";
    StoryList *l = NULL;
    char msg[256];
    opts = (FeedDecodeOpts){.feed_name = "x"};
    assert_int_equal(feed_decode(doc, strlen(doc), &opts, &l, msg, sizeof(msg)),
                     -1);
    assert_string_equal(msg, "x: the news service refused: 429: Slow down");
}

static void
test_http_error_bodies(void **state)
{
    (void)state;
    char err[512];
    Doc d = fixture_load("newsapi-error.json");
    feed_describe_http_error("headlines", 401, d.data, d.len, err, sizeof(err));
    assert_contains(err, "headlines: the server answered HTTP 401 (the API "
                         "key is missing or wrong): apiKeyInvalid: Your API "
                         "key is invalid");
    free(d.data);
    d = fixture_load("gnews-error-quota.json");
    feed_describe_http_error("g", 403, d.data, d.len, err, sizeof(err));
    assert_contains(err, "g: the server answered HTTP 403 (access refused, or "
                         "the daily quota is used up): You have reached");
    free(d.data);
    d = fixture_load("nyt-error.json");
    feed_describe_http_error("n", 429, d.data, d.len, err, sizeof(err));
    assert_contains(err, "n: the server answered HTTP 429 (too many requests; "
                         "the service asks to slow down): Invalid ApiKey");
    free(d.data);
    /* An HTML body, no body, an odd status. */
    d = fixture_load("broken-notjson.html");
    feed_describe_http_error("h", 500, d.data, d.len, err, sizeof(err));
    assert_string_equal(err, "h: the server answered HTTP 500 (the service "
                             "had an internal error)");
    free(d.data);
    feed_describe_http_error("h", 503, NULL, 0, err, sizeof(err));
    assert_string_equal(err, "h: the server answered HTTP 503 (the service "
                             "is unavailable for now)");
    feed_describe_http_error(NULL, 418, "{}", 2, err, sizeof(err));
    assert_string_equal(err, "feed: the server answered HTTP 418 (the service "
                             "refused the request)");
    /* A document that is no error document is not quoted. */
    d = fixture_load("newsapi-ok.json");
    feed_describe_http_error("h", 404, d.data, d.len, err, sizeof(err));
    assert_string_equal(err, "h: the server answered HTTP 404 (there is no "
                             "feed at this address)");
    free(d.data);
}

static void
test_body_cap(void **state)
{
    (void)state;
    Doc d = fixture_load("newsapi-ok.json");
    FeedDecodeOpts opts = {.feed_name = "big", .max_bytes = d.len - 1};
    StoryList *l = (StoryList *)1;
    char err[256];
    assert_int_equal(feed_decode(d.data, d.len, &opts, &l, err, sizeof(err)),
                     -1);
    assert_null(l);
    assert_contains(err, "big: the document is");
    assert_contains(err, "limit (fetch.max_kb)");
    opts.max_bytes = d.len;
    assert_int_equal(feed_decode(d.data, d.len, &opts, &l, err, sizeof(err)),
                     0);
    story_list_free(l);
    free(d.data);

    /* The default cap: 8 MiB. Refused before parsing: the bytes past
     * the cap are never read as JSON (they are not JSON at all). */
    size_t len = FEED_MAX_BODY_BYTES + 1;
    char *big = xmalloc(len);
    memset(big, 'x', len);
    opts = (FeedDecodeOpts){.feed_name = "huge"};
    assert_int_equal(feed_decode(big, len, &opts, &l, err, sizeof(err)), -1);
    assert_string_equal(err, "huge: the document is 8193 KiB, over the 8192 "
                             "KiB limit (fetch.max_kb); it was not read");
    free(big);
}

static void
test_source_label_is_cleaned(void **state)
{
    (void)state;
    /* The label comes from the config file, not the feed, and is still
     * untrusted text: invalid UTF-8 repaired, markup and controls gone. */
    FeedDecodeOpts opts = {.feed_name = "f",
                           .source_override = "  <b>Wire</b>\x01 Desk\xFF  "};
    StoryList *l = decode_opts("gnews-ok.json", &opts);
    for (size_t i = 0; i < l->count; i++)
        assert_string_equal(l->items[i].source, "Wire Desk\xEF\xBF\xBD");
    story_list_free(l);
    /* A label that cleans to nothing leaves the feed's own names. */
    opts.source_override = "<br>";
    l = decode_opts("gnews-ok.json", &opts);
    assert_string_equal(l->items[0].source, "Energy Example");
    story_list_free(l);
}

static void
test_max_stories_option(void **state)
{
    (void)state;
    FeedDecodeOpts opts = {.feed_name = "f", .max_stories = 2};
    StoryList *l = decode_opts("rss2-ok.xml", &opts);
    assert_int_equal(l->count, 2);
    story_list_free(l);
    l = decode_opts("newsapi-quirks.json", &opts);
    assert_int_equal(l->count, 2);
    story_list_free(l);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gnews),
        cmocka_unit_test(test_guardian),
        cmocka_unit_test(test_nyt),
        cmocka_unit_test(test_newsapi_quirks),
        cmocka_unit_test(test_jsonfeed_extension),
        cmocka_unit_test(test_rss2),
        cmocka_unit_test(test_rss1_rdf),
        cmocka_unit_test(test_atom),
        cmocka_unit_test(test_declared_encodings),
        cmocka_unit_test(test_undeclared_entities_and_stray_ampersands),
        cmocka_unit_test(test_mapping),
        cmocka_unit_test(test_auto_detection),
        cmocka_unit_test(test_format_mismatch),
        cmocka_unit_test(test_api_errors),
        cmocka_unit_test(test_http_error_bodies),
        cmocka_unit_test(test_body_cap),
        cmocka_unit_test(test_source_label_is_cleaned),
        cmocka_unit_test(test_max_stories_option),
    };
    return cmocka_run_group_tests_name("feed_formats", tests, NULL, NULL);
}
