/* feed: NewsAPI v2 and JSON Feed 1.1 decoding with cJSON. See feed.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "clean.h"
#include "feed.h"
#include "timefmt.h"

typedef struct Decoder {
    const FeedDecodeOpts *opts;
    StoryList *list;
    int skipped; /* items without a usable title */
} Decoder;

static const char *
json_str(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) && v->valuestring ? v->valuestring : NULL;
}

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

static char *
make_id(const char *given, const char *url, const char *title)
{
    if (given && *given)
        return xstrndup(given, MIN(strlen(given), (size_t)256));
    const char *basis = url && *url ? url : title;
    return xasprintf("h%016llx",
                     (unsigned long long)util_hash64(basis, strlen(basis), 0));
}

/* Moves a finished story into the list, applying the shared rules. */
static void
add_story(Decoder *d, Story *s, const char *raw_id)
{
    if (!s->title || d->list->count >= FEED_MAX_STORIES) {
        if (!s->title)
            d->skipped++;
        story_deinit(s);
        return;
    }
    if (d->opts->source_override && *d->opts->source_override) {
        free(s->source);
        s->source = xstrdup(d->opts->source_override);
    }
    s->id = make_id(raw_id, s->url, s->title);
    s->feed = xstrdup(d->opts->feed_name ? d->opts->feed_name : "");
    story_list_push(d->list, s);
}

static int64_t
parse_date(const char *s)
{
    int64_t t;
    return s && time_parse(s, &t) ? t : STORY_NO_TIME;
}

static void
decode_newsapi_item(Decoder *d, const cJSON *a)
{
    if (!cJSON_IsObject(a)) {
        d->skipped++;
        return;
    }
    Story s = {0};
    const cJSON *src = cJSON_GetObjectItemCaseSensitive(a, "source");
    s.source = clean_or_null(json_str(src, "name"), 80);
    const char *raw_title = json_str(a, "title");
    /* NewsAPI replaces withdrawn articles with "[Removed]" placeholders. */
    if (raw_title && !strcmp(raw_title, "[Removed]")) {
        story_deinit(&s);
        return;
    }
    /* Strip the " - Source" suffix before shortening, or a long title
     * would lose its end (and the suffix with it) first. */
    char *title = clean_or_null(raw_title, 0);
    if (title) {
        char *bare = text_strip_source_suffix(title, s.source);
        s.title = clean_or_null(bare, FEED_TITLE_MAX);
        free(bare);
        free(title);
    }
    char *desc = clean_or_null(json_str(a, "description"), FEED_SUMMARY_MAX);
    if (desc) {
        s.summary = text_strip_truncation(desc);
        free(desc);
    }
    char *content = clean_or_null(json_str(a, "content"), 0);
    if (content) {
        char *body = text_strip_truncation(content);
        s.read_min = story_read_minutes(body);
        free(body);
        free(content);
    }
    s.url = clean_or_null(json_str(a, "url"), 2048);
    s.image = clean_or_null(json_str(a, "urlToImage"), 2048);
    s.published_s = parse_date(json_str(a, "publishedAt"));
    add_story(d, &s, NULL);
}

static int
decode_newsapi(Decoder *d, const cJSON *root, char *err, size_t errlen)
{
    const char *status = json_str(root, "status");
    if (status && !strcmp(status, "error")) {
        const char *code = json_str(root, "code");
        const char *msg = json_str(root, "message");
        char *cmsg = clean_or_null(msg, 200);
        util_errf(err, errlen, "%s: the news service refused: %s%s%s",
                  d->opts->feed_name, code ? code : "error", cmsg ? ": " : "",
                  cmsg ? cmsg : "");
        free(cmsg);
        return -1;
    }
    const cJSON *articles = cJSON_GetObjectItemCaseSensitive(root, "articles");
    const cJSON *a;
    cJSON_ArrayForEach(a, articles) decode_newsapi_item(d, a);
    return 0;
}

static void
decode_jsonfeed_item(Decoder *d, const cJSON *it, const char *feed_title)
{
    if (!cJSON_IsObject(it)) {
        d->skipped++;
        return;
    }
    Story s = {0};
    const char *text = json_str(it, "content_text");
    const char *html = json_str(it, "content_html");
    const char *body = text ? text : html;
    s.title = clean_or_null(json_str(it, "title"), FEED_TITLE_MAX);
    if (!s.title) /* JSON Feed allows untitled items (micro posts) */
        s.title = clean_or_null(body, 140);
    s.summary = clean_or_null(json_str(it, "summary"), FEED_SUMMARY_MAX);
    if (!s.summary && json_str(it, "title"))
        s.summary = clean_or_null(body, FEED_SUMMARY_MAX);
    char *clean_body = clean_or_null(body, 0);
    s.read_min = story_read_minutes(clean_body);
    free(clean_body);
    s.url = clean_or_null(json_str(it, "url"), 2048);
    s.image = clean_or_null(json_str(it, "image"), 2048);
    if (!s.image)
        s.image = clean_or_null(json_str(it, "banner_image"), 2048);
    s.source = clean_or_null(feed_title, 80);
    s.published_s = parse_date(json_str(it, "date_published"));
    const cJSON *idv = cJSON_GetObjectItemCaseSensitive(it, "id");
    char idbuf[64];
    const char *id = NULL;
    if (cJSON_IsString(idv)) {
        id = idv->valuestring;
    } else if (cJSON_IsNumber(idv)) {
        snprintf(idbuf, sizeof(idbuf), "%.17g", idv->valuedouble);
        id = idbuf;
    }
    add_story(d, &s, id);
}

static int
decode_jsonfeed(Decoder *d, const cJSON *root)
{
    const char *feed_title = json_str(root, "title");
    const cJSON *it;
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(root, "items"))
        decode_jsonfeed_item(d, it, feed_title);
    return 0;
}

static FeedFormat
detect(const cJSON *root)
{
    const char *version = json_str(root, "version");
    if (version && !strncmp(version, "https://jsonfeed.org/version/", 29))
        return FEED_FORMAT_JSONFEED;
    if (cJSON_GetObjectItemCaseSensitive(root, "articles") ||
        json_str(root, "status"))
        return FEED_FORMAT_NEWSAPI;
    if (cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(root, "items")))
        return FEED_FORMAT_JSONFEED;
    return FEED_FORMAT_AUTO;
}

static void
describe_parse_error(const char *body, size_t len, const char *name, char *err,
                     size_t errlen)
{
    size_t i = 0;
    while (i < len && (body[i] == ' ' || body[i] == '\n' || body[i] == '\r' ||
                       body[i] == '\t'))
        i++;
    if (len == 0 || i == len) {
        util_errf(err, errlen, "%s: the server sent an empty document", name);
    } else if (body[i] == '<') {
        util_errf(err, errlen,
                  "%s: got an HTML or XML page, not a JSON feed (a login "
                  "portal or a wrong URL?)",
                  name);
    } else {
        const char *at = cJSON_GetErrorPtr();
        long off = at && at >= body && at <= body + len ? at - body : -1;
        util_errf(err, errlen, "%s: not valid JSON (error near byte %ld)", name,
                  off);
    }
}

int
feed_decode(const char *body, size_t len, const FeedDecodeOpts *opts,
            StoryList **out, char *err, size_t errlen)
{
    const char *name = opts->feed_name ? opts->feed_name : "feed";
    *out = NULL;
    cJSON *root = cJSON_ParseWithLength(body, len);
    if (!root) {
        describe_parse_error(body, len, name, err, errlen);
        return -1;
    }
    Decoder d = {.opts = opts, .list = story_list_new()};
    FeedFormat fmt =
        opts->format != FEED_FORMAT_AUTO ? opts->format : detect(root);
    int rc = -1;
    if (!cJSON_IsObject(root)) {
        util_errf(err, errlen, "%s: the document is not a JSON object", name);
    } else if (fmt == FEED_FORMAT_NEWSAPI) {
        rc = decode_newsapi(&d, root, err, errlen);
    } else if (fmt == FEED_FORMAT_JSONFEED) {
        rc = decode_jsonfeed(&d, root);
    } else {
        util_errf(err, errlen,
                  "%s: unknown feed format (neither NewsAPI nor JSON Feed)",
                  name);
    }
    cJSON_Delete(root);
    if (rc == 0 && d.list->count == 0) {
        util_errf(err, errlen, "%s: the feed has no stories%s", name,
                  d.skipped ? " (every item lacked a title)" : "");
        rc = -1;
    }
    if (rc < 0) {
        story_list_free(d.list);
        return -1;
    }
    *out = d.list;
    return 0;
}

static void
add_str(cJSON *obj, const char *key, const char *value)
{
    if (value)
        cJSON_AddStringToObject(obj, key, value);
    else
        cJSON_AddNullToObject(obj, key);
}

void
feed_story_to_json(const Story *s, Buf *out)
{
    cJSON *o = cJSON_CreateObject();
    add_str(o, "id", s->id);
    add_str(o, "title", s->title);
    add_str(o, "summary", s->summary);
    add_str(o, "source", s->source);
    add_str(o, "url", s->url);
    add_str(o, "image", s->image);
    if (s->published_s != STORY_NO_TIME) {
        char iso[32];
        time_format_iso(s->published_s, iso, sizeof(iso));
        cJSON_AddStringToObject(o, "published", iso);
    } else {
        cJSON_AddNullToObject(o, "published");
    }
    cJSON_AddNumberToObject(o, "priority", s->priority);
    add_str(o, "feed", s->feed);
    char *text = cJSON_PrintUnformatted(o);
    ASSERT(text);
    buf_appends(out, text);
    cJSON_free(text);
    cJSON_Delete(o);
}
