/*
 * feed: the decoder's entry point and the rules every format shares. See
 * feed.h. feedjson.c and feedxml.c find each item's raw fields;
 * feed_add_item() below turns them into a clean Story.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cJSON.h>

#include "clean.h"
#include "feeditem.h"
#include "jsonutil.h"
#include "timefmt.h"

#define ID_MAX_BYTES 256
/* Placeholder texts some APIs send instead of content. */
static const char *const PLACEHOLDERS[] = {
    "[Removed]",
    "ONLY AVAILABLE IN PAID PLANS",
};

FeedDecodeOpts
feed_decode_opts(const FeedConf *conf, size_t max_bytes)
{
    return (FeedDecodeOpts){.feed_name = conf->name,
                            .source_override = conf->source,
                            .format = conf->format,
                            .conf = conf,
                            .max_bytes = max_bytes};
}

void
feed_item_init(FeedItem *it)
{
    memset(it, 0, sizeof(*it));
    it->published_s = STORY_NO_TIME;
}

bool
feed_is_web_url(const char *s)
{
    return s &&
           (!strncasecmp(s, "https://", 8) || !strncasecmp(s, "http://", 7)) &&
           strlen(s) > 8;
}

bool
feed_is_file_url(const char *s)
{
    return s && !strncasecmp(s, "file:///", 8) && strlen(s) > 8;
}

int
feed_priority_from_text(const char *s)
{
    static const char *const high[] = {"breaking", "urgent", "high", "flash",
                                       "alert",    "true",   "yes"};
    if (!s)
        return 0;
    while (*s == ' ')
        s++;
    for (size_t i = 0; i < ARRAY_LEN(high); i++) {
        if (!strcasecmp(s, high[i]))
            return 1;
    }
    if (s[0] >= '0' && s[0] <= '9' && s[1] == '\0')
        return s[0] - '0';
    return 0;
}

static bool
is_blank(const char *s)
{
    if (!s)
        return true;
    for (; *s; s++) {
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
            return false;
    }
    return true;
}

/* Cleans s; NULL for NULL or for text that cleans to nothing. */
static char *
clean_or_null(const char *s, size_t max_bytes)
{
    if (!s)
        return NULL;
    char *c = text_clean(s, strlen(s), max_bytes);
    if (!*c) {
        free(c);
        return NULL;
    }
    return c;
}

static bool
is_placeholder(const char *s)
{
    for (size_t i = 0; i < ARRAY_LEN(PLACEHOLDERS); i++) {
        if (!strcmp(s, PLACEHOLDERS[i]))
            return true;
    }
    return false;
}

/* An id the feed gave, if it is printable ASCII of sane length (it is
 * printed and compared, never shown); else a hash of it, of the URL, or of
 * the title. */
static char *
make_id(const char *given, const char *url, const char *title)
{
    if (given && *given) {
        size_t n = strlen(given);
        bool plain = n <= ID_MAX_BYTES;
        for (size_t i = 0; plain && i < n; i++)
            plain = given[i] > 0x20 && given[i] < 0x7F;
        if (plain)
            return xstrdup(given);
    }
    const char *basis = given && *given ? given : url && *url ? url : title;
    return xasprintf("h%016llx",
                     (unsigned long long)util_hash64(basis, strlen(basis), 0));
}

static int64_t
item_date(const FeedDecoder *d, const char *text, int64_t number, int64_t none)
{
    int64_t t = number;
    if (t == none && !(text && time_parse_in_zone(text, d->zone_offset_s, &t)))
        return none;
    /* NewsAPI's placeholders say 1970; nothing real predates 1990. */
    return t < TIME_MIN_PLAUSIBLE_S ? none : t;
}

static char *
clean_url(const char *raw)
{
    char *u = clean_or_null(raw, FEED_URL_MAX);
    if (u && (!feed_is_web_url(u) || strchr(u, ' '))) {
        free(u);
        return NULL;
    }
    return u;
}

/* An image: a web URL, or a file:// one in a feed read from a file (a
 * local display's own pictures, and the golden frames). */
static char *
clean_image_url(const FeedDecoder *d, const char *raw)
{
    const FeedConf *conf = d->opts->conf;
    char *u = clean_or_null(raw, FEED_URL_MAX);
    bool file_ok = conf && feed_is_file_url(conf->url);
    if (u && ((!feed_is_web_url(u) && !(file_ok && feed_is_file_url(u))) ||
              strchr(u, ' '))) {
        free(u);
        return NULL;
    }
    return u;
}

/* The title: cleaned, without a " - Source" suffix (an aggregator's
 * suffix names the real publisher, which then replaces *publisher), cut to
 * its first sentence when it came from the text. NULL if none is left. */
static char *
make_title(const FeedDecoder *d, const char *raw, bool from_body,
           char **publisher)
{
    char *title = clean_or_null(raw, TEXT_MAX_BYTES);
    if (!title)
        return NULL;
    char *bare;
    if (*publisher && text_is_aggregator(*publisher)) {
        char *named = NULL;
        bare = text_split_publisher(title, &named);
        if (named) {
            free(*publisher);
            *publisher = named;
        }
    } else {
        bare = text_strip_source_suffix(title, *publisher);
    }
    free(title);
    if (d->source) {
        title = text_strip_source_suffix(bare, d->source);
        free(bare);
        bare = title;
    }
    if (from_body) {
        title = text_first_sentence(bare);
        free(bare);
        bare = title;
    }
    if (strlen(bare) > FEED_TITLE_MAX) {
        title = text_truncate(bare, FEED_TITLE_MAX);
        free(bare);
        bare = title;
    }
    return bare;
}

/* The summary: cleaned, without truncation markers or placeholders, and
 * not a repeat of the title it may have given. */
static char *
make_summary(const char *raw, const char *title, bool from_body)
{
    char *s = clean_or_null(raw, TEXT_MAX_BYTES);
    if (!s)
        return NULL;
    s[text_truncation_start(s, strlen(s))] = '\0';
    size_t tlen = strlen(title);
    const char *start = s;
    if (from_body && !strncmp(s, title, tlen))
        start = s + tlen;
    while (*start == ' ')
        start++;
    if (!*start || is_placeholder(start) || !strcmp(start, title)) {
        free(s);
        return NULL;
    }
    if (start == s && strlen(s) <= FEED_SUMMARY_MAX)
        return s;
    char *c = text_truncate(start, FEED_SUMMARY_MAX);
    free(s);
    return c;
}

/* Words of raw text outside tags, before any truncation marker: the
 * reading time needs a count, not a cleaned copy. */
static int
reading_minutes(const char *raw)
{
    if (!raw || is_placeholder(raw))
        return 0;
    size_t len = strlen(raw);
    len = text_truncation_start(raw, len);
    long words = 0;
    bool in_word = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)raw[i];
        if (c == '<' && i + 1 < len &&
            (isalpha((unsigned char)raw[i + 1]) || raw[i + 1] == '/' ||
             raw[i + 1] == '!')) {
            const char *gt = memchr(raw + i, '>', len - i);
            if (!gt)
                break;
            i = (size_t)(gt - raw);
            in_word = false; /* tags separate words often enough */
            continue;
        }
        bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
        if (!space && !in_word)
            words++;
        in_word = !space;
    }
    return story_read_minutes_for_words(words);
}

bool
feed_add_item(FeedDecoder *d, const FeedItem *it)
{
    if (d->list->count >= d->max_stories)
        return false;
    d->items++;
    const char *raw_title = it->title;
    bool from_body = false;
    if (is_blank(raw_title) && d->untitled_from_body) {
        raw_title = !is_blank(it->body) ? it->body : it->summary;
        from_body = true;
    }
    if (raw_title && !strcmp(raw_title, "[Removed]")) {
        d->removed++;
        return true;
    }
    Story s = {0};
    char *publisher = clean_or_null(it->publisher, FEED_SOURCE_MAX);
    s.title = make_title(d, raw_title, from_body, &publisher);
    if (!s.title) {
        d->skipped++;
        free(publisher);
        return true;
    }
    /* An untitled item's text gave the title; the rest of that text is
     * the summary, unless the item has a summary of its own. */
    const char *from = from_body ? raw_title : NULL;
    if (it->summary && it->summary != from)
        s.summary = make_summary(it->summary, s.title, from_body);
    else if (from)
        s.summary = make_summary(from, s.title, true);
    s.read_min = reading_minutes(it->body ? it->body : it->summary);
    s.url = clean_url(it->link);
    s.image = clean_image_url(d, it->image);
    s.published_s = item_date(d, it->published, it->published_s, STORY_NO_TIME);
    s.expires_s = item_date(d, it->expires, it->expires_s, 0);
    s.priority = it->priority < 0 ? 0 : MIN(it->priority, 9);
    if (d->source) {
        s.source = xstrdup(d->source);
        free(publisher);
    } else {
        s.source = publisher;
    }
    s.id = make_id(it->id, s.url, s.title);
    s.feed = xstrdup(d->opts->feed_name ? d->opts->feed_name : "");
    story_list_push(d->list, &s);
    return true;
}

/* ---- Entry point ------------------------------------------------------ */

/* The first byte that is not whitespace or a UTF-8 byte order mark. */
static size_t
content_start(const char *body, size_t len)
{
    size_t i = 0;
    if (len >= 3 && !memcmp(body, "\xEF\xBB\xBF", 3))
        i = 3;
    while (i < len && (body[i] == ' ' || body[i] == '\n' || body[i] == '\r' ||
                       body[i] == '\t'))
        i++;
    return i;
}

static bool
is_xml_format(FeedFormat f)
{
    return f == FEED_FORMAT_RSS || f == FEED_FORMAT_ATOM;
}

/* Markup: '<', or a UTF-16 byte order mark (only XML comes that way). */
static bool
looks_like_markup(const char *body, size_t len, size_t start)
{
    if (len >= 2 &&
        ((unsigned char)body[0] == 0xFF || (unsigned char)body[0] == 0xFE) &&
        ((unsigned char)body[1] == 0xFE || (unsigned char)body[1] == 0xFF))
        return true;
    return start < len && body[start] == '<';
}

FeedFormat
feed_detect(const char *body, size_t len)
{
    size_t start = content_start(body, len);
    if (start >= len)
        return FEED_FORMAT_AUTO;
    if (looks_like_markup(body, len, start))
        return feedxml_detect(body, len);
    return feedjson_detect(body + start, len - start);
}

static void
no_stories(const FeedDecoder *d, char *err, size_t errlen)
{
    if (d->items == 0) {
        util_errf(err, errlen,
                  "%s: the feed has no stories (its list is empty)", d->name);
    } else if (d->removed == d->items) {
        util_errf(err, errlen,
                  "%s: the feed has no stories (every item is a [Removed] "
                  "placeholder)",
                  d->name);
    } else {
        util_errf(err, errlen,
                  "%s: the feed has no stories (every item lacked a title)",
                  d->name);
    }
}

static int32_t
zone_of(const FeedDecodeOpts *opts)
{
    int32_t off = 0;
    if (opts->conf && opts->conf->zone[0] &&
        !time_zone_parse(opts->conf->zone, &off))
        off = 0;
    return off;
}

/* A byte-order mark or NUL bytes around an opening brace or bracket: JSON
 * in UTF-16 (XML in UTF-16 declares itself and libxml2 reads it). */
static bool
is_utf16_json(const char *body, size_t len)
{
    const unsigned char *b = (const unsigned char *)body;
    size_t i = 0;
    if (len >= 2 &&
        ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF)))
        i = 2;
    for (; i + 1 < len && i < 64; i += 2) {
        unsigned char c = b[i] ? b[i] : b[i + 1];
        unsigned char other = b[i] ? b[i + 1] : b[i];
        if (other != 0)
            return false;
        if (c == '{' || c == '[')
            return true;
        if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
            return false;
    }
    return false;
}

int
feed_decode(const char *body, size_t len, const FeedDecodeOpts *opts,
            StoryList **out, char *err, size_t errlen)
{
    *out = NULL;
    FeedDecoder d = {
        .opts = opts,
        .name = opts->feed_name && *opts->feed_name ? opts->feed_name : "feed",
        .max_stories = opts->max_stories ? opts->max_stories : FEED_MAX_STORIES,
        .zone_offset_s = zone_of(opts),
    };
    size_t cap = opts->max_bytes ? opts->max_bytes : FEED_MAX_BODY_BYTES;
    if (len > cap) {
        util_errf(err, errlen,
                  "%s: the document is %zu KiB, over the %zu KiB limit "
                  "(fetch.max_kb); it was not read",
                  d.name, (len + 1023) / 1024, cap / 1024);
        return -1;
    }
    size_t start = body ? content_start(body, len) : 0;
    if (!body || start >= len) {
        util_errf(err, errlen, "%s: the server sent an empty document", d.name);
        return -1;
    }
    if (is_utf16_json(body, len)) {
        util_errf(err, errlen,
                  "%s: the document is JSON in UTF-16, not UTF-8 (JSON feeds "
                  "must be UTF-8)",
                  d.name);
        return -1;
    }
    d.list = story_list_new();
    /* The label comes from the config file: cleaned like feed text. */
    d.source = clean_or_null(opts->source_override, FEED_SOURCE_MAX);
    int rc;
    if (looks_like_markup(body, len, start)) {
        if (opts->format != FEED_FORMAT_AUTO && !is_xml_format(opts->format)) {
            util_errf(err, errlen,
                      "%s: got an HTML or XML page, not a JSON feed "
                      "(format = %s; a login portal or a wrong URL?)",
                      d.name, config_format_name(opts->format));
            rc = -1;
        } else {
            rc = feedxml_decode(&d, body, len, opts->format, err, errlen);
        }
    } else if (is_xml_format(opts->format)) {
        util_errf(err, errlen,
                  "%s: expected an XML feed (format = %s), got something else",
                  d.name, config_format_name(opts->format));
        rc = -1;
    } else {
        rc = feedjson_decode(&d, body + start, len - start, opts->format, err,
                             errlen);
    }
    free(d.source);
    if (rc == 0 && d.list->count == 0) {
        no_stories(&d, err, errlen);
        rc = -1;
    }
    if (rc < 0) {
        story_list_free(d.list);
        return -1;
    }
    *out = d.list;
    return 0;
}

/* ---- HTTP errors ------------------------------------------------------- */

static const char *
http_meaning(long status)
{
    switch (status) {
    case 400:
        return "the service refused the request; check the URL's parameters";
    case 401:
        return "the API key is missing or wrong";
    case 402:
        return "the plan does not include this request";
    case 403:
        return "access refused, or the daily quota is used up";
    case 404:
        return "there is no feed at this address";
    case 410:
        return "the feed has been removed";
    case 426:
        return "the plan does not include this request";
    case 429:
        return "too many requests; the service asks to slow down";
    case 500:
        return "the service had an internal error";
    case 502:
    case 503:
    case 504:
        return "the service is unavailable for now";
    default:
        return status >= 500 ? "the service had an error"
                             : "the service refused the request";
    }
}

void
feed_describe_http_error(const char *feed_name, long status, const char *body,
                         size_t len, char *err, size_t errlen)
{
    const char *name = feed_name && *feed_name ? feed_name : "feed";
    Buf api;
    buf_init(&api);
    size_t start = body ? content_start(body, len) : len;
    /* Error documents are small; a big body is some page, not one. */
    bool found = body && start < len && len <= 256 * 1024 &&
                 (body[start] == '{' || body[start] == '[') &&
                 feedjson_error_message(body + start, len - start, &api);
    if (found) {
        util_errf(err, errlen, "%s: the server answered HTTP %ld (%s): %s",
                  name, status, http_meaning(status), api.data);
    } else {
        util_errf(err, errlen, "%s: the server answered HTTP %ld (%s)", name,
                  status, http_meaning(status));
    }
    buf_deinit(&api);
}

/* ---- --dump-feed ------------------------------------------------------- */

void
feed_story_to_json(const Story *s, Buf *out)
{
    cJSON *o = cJSON_CreateObject();
    json_add_string_or_null(o, "id", s->id);
    json_add_string_or_null(o, "title", s->title);
    json_add_string_or_null(o, "summary", s->summary);
    json_add_string_or_null(o, "source", s->source);
    json_add_string_or_null(o, "url", s->url);
    json_add_string_or_null(o, "image", s->image);
    if (s->published_s != STORY_NO_TIME) {
        char iso[TIME_ISO_SIZE];
        time_format_iso(s->published_s, iso, sizeof(iso));
        cJSON_AddStringToObject(o, "published", iso);
    } else {
        cJSON_AddNullToObject(o, "published");
    }
    cJSON_AddNumberToObject(o, "priority", s->priority);
    json_add_string_or_null(o, "feed", s->feed);
    char *text = cJSON_PrintUnformatted(o);
    ASSERT(text);
    buf_appends(out, text);
    cJSON_free(text);
    cJSON_Delete(o);
}
