/*
 * feedjson: JSON feeds through one mapping engine. Every preset is a table
 * of the same "/pointer | /fallback" strings a user writes in the config
 * file for format = map, so presets and mappings share one code path; a
 * feed's own mapping keys override a preset's fields. See feed.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cJSON.h>

#include "clean.h"
#include "feeditem.h"
#include "jsonptr.h"

#define ALTS_MAX 8
#define API_MESSAGE_MAX 300  /* bytes of an API's error message we quote */
#define IMAGE_WIDTH_MAX 2560 /* wider images are wasted on a screen */

typedef struct Preset {
    FeedFormat format;
    const char *spec[MAP_FIELD_COUNT];
    const char *source; /* publisher when items name none */
    bool untitled_from_body;
} Preset;

static const Preset PRESETS[] = {
    {FEED_FORMAT_NEWSAPI,
     {
         [MAP_ITEMS] = "/articles",
         [MAP_TITLE] = "/title",
         [MAP_SUMMARY] = "/description | /content",
         [MAP_BODY] = "/content",
         [MAP_LINK] = "/url",
         [MAP_IMAGE] = "/urlToImage",
         [MAP_PUBLISHER] = "/source/name",
         [MAP_PUBLISHED] = "/publishedAt",
     },
     NULL,
     false},
    {FEED_FORMAT_GNEWS,
     {
         [MAP_ITEMS] = "/articles",
         [MAP_ID] = "/id",
         [MAP_TITLE] = "/title",
         [MAP_SUMMARY] = "/description | /content",
         [MAP_BODY] = "/content",
         [MAP_LINK] = "/url",
         [MAP_IMAGE] = "/image",
         [MAP_PUBLISHER] = "/source/name",
         [MAP_PUBLISHED] = "/publishedAt",
     },
     NULL,
     false},
    {FEED_FORMAT_GUARDIAN,
     {
         [MAP_ITEMS] = "/response/results",
         [MAP_ID] = "/id",
         [MAP_TITLE] = "/fields/headline | /webTitle",
         [MAP_SUMMARY] = "/fields/trailText | /fields/standfirst",
         [MAP_BODY] = "/fields/bodyText | /fields/body",
         [MAP_LINK] = "/webUrl",
         [MAP_IMAGE] = "/fields/thumbnail",
         [MAP_PUBLISHED] = "/webPublicationDate | /fields/firstPublicationDate",
     },
     "The Guardian",
     false},
    {FEED_FORMAT_NYT,
     {
         [MAP_ITEMS] = "/results",
         [MAP_ID] = "/uri | /url",
         [MAP_TITLE] = "/title | /headline/main",
         [MAP_SUMMARY] = "/abstract | /snippet",
         [MAP_LINK] = "/url | /web_url",
         [MAP_IMAGE] = "/multimedia",
         [MAP_PUBLISHED] =
             "/published_date | /pub_date | /created_date | /updated_date",
     },
     "The New York Times",
     false},
    {FEED_FORMAT_JSONFEED,
     {
         [MAP_ITEMS] = "/items",
         [MAP_ID] = "/id",
         [MAP_TITLE] = "/title",
         [MAP_SUMMARY] = "/summary | /content_text | /content_html",
         [MAP_BODY] = "/content_text | /content_html",
         [MAP_LINK] = "/url | /external_url",
         [MAP_IMAGE] = "/image | /banner_image",
         [MAP_PUBLISHER] = "$/title",
         [MAP_PUBLISHED] = "/date_published | /date_modified",
         [MAP_PRIORITY] = "/_newswire/priority",
         [MAP_EXPIRES] = "/_newswire/expires",
     },
     NULL,
     true},
    {FEED_FORMAT_MAP, {[MAP_ITEMS] = ""}, NULL, false},
};

typedef struct Alt {
    const char *ptr; /* borrowed from the spec string */
    size_t len;
    bool from_root; /* "$/..." */
} Alt;

typedef struct Field {
    Alt alt[ALTS_MAX];
    size_t count;
} Field;

typedef struct Mapping {
    Field field[MAP_FIELD_COUNT];
    const char *spec[MAP_FIELD_COUNT];
    const char *source;
    bool untitled_from_body;
} Mapping;

/* Splits "/a | $/b" into alternatives. Syntax was checked when the config
 * was read; an invalid pointer here just finds nothing. */
static void
field_compile(Field *f, const char *spec)
{
    f->count = 0;
    if (!spec || !*spec)
        return;
    const char *p = spec;
    while (f->count < ALTS_MAX) {
        const char *bar = strchr(p, '|');
        const char *end = bar ? bar : p + strlen(p);
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        const char *e = end;
        while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        Alt a = {p, (size_t)(e - p), false};
        if (a.len > 0 && *a.ptr == '$') {
            a.ptr++;
            a.len--;
            a.from_root = true;
        }
        f->alt[f->count++] = a;
        if (!bar)
            break;
        p = bar + 1;
    }
}

static const Preset *
preset_for(FeedFormat format)
{
    for (size_t i = 0; i < ARRAY_LEN(PRESETS); i++) {
        if (PRESETS[i].format == format)
            return &PRESETS[i];
    }
    return NULL;
}

/* The preset's fields, with the feed's own mapping keys on top. */
static void
mapping_init(Mapping *m, const Preset *p, const FeedConf *conf)
{
    memset(m, 0, sizeof(*m));
    m->source = p->source;
    m->untitled_from_body = p->untitled_from_body;
    for (size_t i = 0; i < MAP_FIELD_COUNT; i++) {
        m->spec[i] = p->spec[i];
        if (conf && conf->map[i][0])
            m->spec[i] = conf->map[i];
        field_compile(&m->field[i], m->spec[i]);
    }
}

static const cJSON *
alt_get(const Alt *a, const cJSON *item, const cJSON *root)
{
    return jsonptr_get(a->from_root ? root : item, a->ptr, a->len);
}

static bool
is_blank(const char *s)
{
    for (; *s; s++) {
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
            return false;
    }
    return true;
}

/* Text fields take strings only: a number or an object where a title
 * belongs is a sign of the wrong field, not a headline. */
static const char *
field_text(const Field *f, const cJSON *item, const cJSON *root)
{
    for (size_t i = 0; i < f->count; i++) {
        const cJSON *v = alt_get(&f->alt[i], item, root);
        if (cJSON_IsString(v) && v->valuestring && !is_blank(v->valuestring))
            return v->valuestring;
    }
    return NULL;
}

static bool
finite_number(const cJSON *v)
{
    return cJSON_IsNumber(v) && isfinite(v->valuedouble);
}

/* Ids may be numbers (JSON Feed says to read them as strings). */
static const char *
field_id(const Field *f, const cJSON *item, const cJSON *root, char *buf,
         size_t buflen)
{
    for (size_t i = 0; i < f->count; i++) {
        const cJSON *v = alt_get(&f->alt[i], item, root);
        if (cJSON_IsString(v) && v->valuestring && *v->valuestring)
            return v->valuestring;
        if (finite_number(v)) {
            double d = v->valuedouble;
            if (d == floor(d) && fabs(d) < 9e15)
                snprintf(buf, buflen, "%.0f", d);
            else
                snprintf(buf, buflen, "%.17g", d);
            return buf;
        }
    }
    return NULL;
}

/* A URL from a string, an object with a url/href/src member, or an array
 * of those (NYT's multimedia): the widest image up to IMAGE_WIDTH_MAX. */
static const char *
url_of(const cJSON *v, bool file_ok)
{
    if (cJSON_IsString(v))
        return feed_is_web_url(v->valuestring) ||
                       (file_ok && feed_is_file_url(v->valuestring))
                   ? v->valuestring
                   : NULL;
    if (!cJSON_IsObject(v))
        return NULL;
    static const char *const keys[] = {"url", "href", "src"};
    for (size_t k = 0; k < ARRAY_LEN(keys); k++) {
        const cJSON *u = cJSON_GetObjectItemCaseSensitive(v, keys[k]);
        if (cJSON_IsString(u) &&
            (feed_is_web_url(u->valuestring) ||
             (file_ok && feed_is_file_url(u->valuestring))))
            return u->valuestring;
    }
    return NULL;
}

static const char *
best_url(const cJSON *array, bool file_ok)
{
    const char *best = NULL;
    double best_w = -1;
    const cJSON *e;
    cJSON_ArrayForEach(e, array)
    {
        const char *u = url_of(e, file_ok);
        if (!u)
            continue;
        const cJSON *w = cJSON_GetObjectItemCaseSensitive(e, "width");
        double width = finite_number(w) ? w->valuedouble : 0;
        if (width > IMAGE_WIDTH_MAX)
            width = 0.5; /* usable, but any fitting one is better */
        if (width > best_w) {
            best = u;
            best_w = width;
        }
    }
    return best;
}

static const char *
field_url(const Field *f, const cJSON *item, const cJSON *root, bool file_ok)
{
    for (size_t i = 0; i < f->count; i++) {
        const cJSON *v = alt_get(&f->alt[i], item, root);
        const char *u =
            cJSON_IsArray(v) ? best_url(v, file_ok) : url_of(v, file_ok);
        if (u)
            return u;
    }
    return NULL;
}

/* Dates are strings in any format timefmt knows, or Unix epochs as
 * numbers (seconds; milliseconds when that large). */
static void
field_date(const Field *f, const cJSON *item, const cJSON *root,
           const char **text, int64_t *number)
{
    for (size_t i = 0; i < f->count; i++) {
        const cJSON *v = alt_get(&f->alt[i], item, root);
        if (cJSON_IsString(v) && v->valuestring && !is_blank(v->valuestring)) {
            *text = v->valuestring;
            return;
        }
        if (finite_number(v) && fabs(v->valuedouble) < 1e15) {
            double d = v->valuedouble;
            *number = (int64_t)(fabs(d) >= 1e11 ? d / 1000 : d);
            return;
        }
    }
}

static int
field_priority(const Field *f, const cJSON *item, const cJSON *root)
{
    for (size_t i = 0; i < f->count; i++) {
        const cJSON *v = alt_get(&f->alt[i], item, root);
        if (cJSON_IsBool(v))
            return cJSON_IsTrue(v) ? 1 : 0;
        if (finite_number(v))
            return v->valuedouble >= 9   ? 9
                   : v->valuedouble >= 1 ? (int)v->valuedouble
                                         : 0;
        if (cJSON_IsString(v))
            return feed_priority_from_text(v->valuestring);
    }
    return 0;
}

static void
decode_item(FeedDecoder *d, const Mapping *m, const cJSON *item,
            const cJSON *root, bool *more)
{
    FeedItem it;
    feed_item_init(&it);
    char idbuf[40];
    if (cJSON_IsObject(item)) {
        it.id = field_id(&m->field[MAP_ID], item, root, idbuf, sizeof(idbuf));
        it.title = field_text(&m->field[MAP_TITLE], item, root);
        it.summary = field_text(&m->field[MAP_SUMMARY], item, root);
        it.body = field_text(&m->field[MAP_BODY], item, root);
        it.link = field_url(&m->field[MAP_LINK], item, root, false);
        /* file:// images pass here; feed.c keeps them only for a file://
         * feed. */
        it.image = field_url(&m->field[MAP_IMAGE], item, root, true);
        it.publisher = field_text(&m->field[MAP_PUBLISHER], item, root);
        if (!it.publisher)
            it.publisher = m->source;
        field_date(&m->field[MAP_PUBLISHED], item, root, &it.published,
                   &it.published_s);
        int64_t expires = STORY_NO_TIME;
        field_date(&m->field[MAP_EXPIRES], item, root, &it.expires, &expires);
        it.expires_s = expires == STORY_NO_TIME ? 0 : expires;
        it.priority = field_priority(&m->field[MAP_PRIORITY], item, root);
    }
    *more = feed_add_item(d, &it);
}

/* ---- Shapes and error documents ---------------------------------------- */

static const char *
str_member(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) && v->valuestring ? v->valuestring : NULL;
}

static bool
has_member(const cJSON *obj, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(obj, key) != NULL;
}

static FeedFormat
detect_root(const cJSON *root)
{
    if (!cJSON_IsObject(root))
        return FEED_FORMAT_AUTO;
    const char *version = str_member(root, "version");
    if (version && (!strncmp(version, "https://jsonfeed.org/version/", 29) ||
                    !strncmp(version, "http://jsonfeed.org/version/", 28)))
        return FEED_FORMAT_JSONFEED;
    const cJSON *response = cJSON_GetObjectItemCaseSensitive(root, "response");
    if (cJSON_IsObject(response) &&
        (has_member(response, "results") || has_member(response, "status")))
        return FEED_FORMAT_GUARDIAN;
    const char *status = str_member(root, "status");
    if (has_member(root, "results") &&
        (has_member(root, "num_results") || has_member(root, "copyright") ||
         (status && !strcmp(status, "OK"))))
        return FEED_FORMAT_NYT;
    const cJSON *articles = cJSON_GetObjectItemCaseSensitive(root, "articles");
    if (articles) {
        if (has_member(root, "totalArticles"))
            return FEED_FORMAT_GNEWS;
        if (has_member(root, "totalResults") || status)
            return FEED_FORMAT_NEWSAPI;
        /* Neither envelope: the first article's image field tells. */
        const cJSON *first = cJSON_IsArray(articles) ? articles->child : NULL;
        if (first && has_member(first, "image") &&
            !has_member(first, "urlToImage"))
            return FEED_FORMAT_GNEWS;
        return FEED_FORMAT_NEWSAPI;
    }
    if (cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(root, "items")))
        return FEED_FORMAT_JSONFEED;
    return FEED_FORMAT_AUTO;
}

/* Appends "s" cleaned and bounded, with a separator if out has text. */
static void
append_message(Buf *out, const char *s)
{
    if (!s)
        return;
    char *c = text_clean(s, strlen(s), API_MESSAGE_MAX);
    if (*c && out->len < API_MESSAGE_MAX * 2) {
        if (out->len)
            buf_appends(out, "; ");
        buf_appends(out, c);
    }
    free(c);
}

static void
append_number_or_string(Buf *out, const cJSON *v)
{
    if (cJSON_IsString(v)) {
        append_message(out, v->valuestring);
    } else if (finite_number(v)) {
        char num[32];
        snprintf(num, sizeof(num), "%.0f", v->valuedouble);
        append_message(out, num);
    }
}

/* Messages from an error object: {"code": ..., "message": ...} and kin. */
static void
append_error_object(Buf *out, const cJSON *o)
{
    size_t before = out->len;
    append_number_or_string(out, cJSON_GetObjectItemCaseSensitive(o, "code"));
    static const char *const keys[] = {"message", "faultstring", "detail",
                                       "title", "error_description"};
    for (size_t i = 0; i < ARRAY_LEN(keys); i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, keys[i]);
        if (cJSON_IsString(v)) {
            /* "code: message" reads better than "code; message". */
            if (out->len > before) {
                char *c = text_clean(v->valuestring, strlen(v->valuestring),
                                     API_MESSAGE_MAX);
                if (*c)
                    buf_appendf(out, ": %s", c);
                free(c);
            } else {
                append_message(out, v->valuestring);
            }
            return;
        }
    }
}

/* GNews: an array of strings, or an object of parameter: message. */
static void
append_errors(Buf *out, const cJSON *errors)
{
    if (cJSON_IsString(errors)) {
        append_message(out, errors->valuestring);
        return;
    }
    const cJSON *e;
    cJSON_ArrayForEach(e, errors)
    {
        if (cJSON_IsString(e) && cJSON_IsObject(errors) && e->string) {
            char *both = xasprintf("%s: %s", e->string, e->valuestring);
            append_message(out, both);
            free(both);
        } else if (cJSON_IsString(e)) {
            append_message(out, e->valuestring);
        } else if (cJSON_IsObject(e)) {
            append_error_object(out, e);
        }
    }
}

static bool
is_error_status(const char *s)
{
    return s && (!strcasecmp(s, "error") || !strcasecmp(s, "fail") ||
                 !strcasecmp(s, "failed"));
}

/* Explicit error envelopes: NewsAPI {"status": "error"}, NYT's gateway
 * {"fault": ...} and {"status": "ERROR", "errors": [...]}, GNews
 * {"errors": ...}, Guardian {"response": {"status": "error"}}, and the
 * common {"error": "..."} / {"error": {"message": ...}}. */
static bool
error_envelope(const cJSON *root, Buf *out)
{
    if (!cJSON_IsObject(root))
        return false;
    size_t before = out->len;
    const cJSON *errors = cJSON_GetObjectItemCaseSensitive(root, "errors");
    bool has_errors = (cJSON_IsArray(errors) || cJSON_IsObject(errors))
                          ? errors->child != NULL
                      : cJSON_IsString(errors) ? !is_blank(errors->valuestring)
                                               : false;
    const cJSON *response = cJSON_GetObjectItemCaseSensitive(root, "response");
    const cJSON *fault = cJSON_GetObjectItemCaseSensitive(root, "fault");
    const cJSON *error = cJSON_GetObjectItemCaseSensitive(root, "error");
    if (is_error_status(str_member(root, "status"))) {
        append_error_object(out, root);
        if (has_errors)
            append_errors(out, errors);
        if (out->len == before)
            buf_appends(out, "error");
    } else if (cJSON_IsObject(response) &&
               is_error_status(str_member(response, "status"))) {
        append_error_object(out, response);
        if (out->len == before)
            buf_appends(out, "error");
    } else if (cJSON_IsObject(fault)) {
        append_message(out, str_member(fault, "faultstring"));
        const cJSON *detail = cJSON_GetObjectItemCaseSensitive(fault, "detail");
        const char *code = str_member(detail, "errorcode");
        if (code)
            buf_appendf(out, "%s(%s)", out->len > before ? " " : "", code);
        if (out->len == before)
            buf_appends(out, "fault");
    } else if (has_errors) {
        append_errors(out, errors);
    } else if (cJSON_IsString(error) && !is_blank(error->valuestring)) {
        append_message(out, error->valuestring);
        append_message(out, str_member(root, "message"));
    } else if (cJSON_IsObject(error)) {
        append_error_object(out, error);
        if (out->len == before)
            buf_appends(out, "error");
    } else {
        return false;
    }
    return true;
}

/* A bare {"message": "..."} is an error only where no feed was found. */
static bool
lone_message(const cJSON *root, Buf *out)
{
    const char *msg = str_member(root, "message");
    if (!msg || is_blank(msg))
        return false;
    append_error_object(out, root);
    return true;
}

bool
feedjson_error_message(const char *body, size_t len, Buf *out)
{
    cJSON *root = cJSON_ParseWithLength(body, len);
    bool found = root && (error_envelope(root, out) || lone_message(root, out));
    cJSON_Delete(root);
    return found;
}

FeedFormat
feedjson_detect(const char *body, size_t len)
{
    cJSON *root = cJSON_ParseWithLength(body, len);
    FeedFormat f = detect_root(root);
    cJSON_Delete(root);
    return f;
}

/* ---- Decoding ----------------------------------------------------------- */

static void
describe_parse_error(const char *body, size_t len, const char *name, char *err,
                     size_t errlen)
{
    const char *at = cJSON_GetErrorPtr();
    long off = at && at >= body && at <= body + len ? at - body : -1;
    /* Depth at the error: cJSON refuses nesting past its limit. */
    long depth = 0;
    bool in_string = false;
    for (long i = 0; i < off; i++) {
        char c = body[i];
        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            depth++;
        } else if (c == ']' || c == '}') {
            depth--;
        }
    }
    if (depth >= CJSON_NESTING_LIMIT) {
        util_errf(err, errlen,
                  "%s: not valid JSON (nested more than %d levels deep)", name,
                  CJSON_NESTING_LIMIT);
    } else {
        util_errf(err, errlen, "%s: not valid JSON (error near byte %ld)", name,
                  off);
    }
}

static const char *
json_type_name(const cJSON *v)
{
    if (cJSON_IsArray(v))
        return "an array";
    if (cJSON_IsString(v))
        return "a string";
    if (cJSON_IsNumber(v))
        return "a number";
    if (cJSON_IsBool(v))
        return "a boolean";
    if (cJSON_IsNull(v))
        return "null";
    return "an object";
}

/* The list of items: the first alternative that is an array or an object
 * (whose values are then the items). "" where a list belongs counts as an
 * empty list. */
static const cJSON *
find_items(const Field *f, const cJSON *root, bool *empty_string)
{
    if (f->count == 0)
        return cJSON_IsArray(root) ? root : NULL;
    for (size_t i = 0; i < f->count; i++) {
        const cJSON *v = jsonptr_get(root, f->alt[i].ptr, f->alt[i].len);
        if (cJSON_IsArray(v) || cJSON_IsObject(v))
            return v;
        if (cJSON_IsString(v) && is_blank(v->valuestring))
            *empty_string = true;
    }
    return NULL;
}

static int
decode_root(FeedDecoder *d, const cJSON *root, FeedFormat format, char *err,
            size_t errlen)
{
    Buf msg;
    buf_init(&msg);
    int rc = -1;
    FeedFormat f = format == FEED_FORMAT_AUTO ? detect_root(root) : format;
    /* Presets look for error envelopes first; an arbitrary mapped
     * document might carry an "error" member in a good answer. */
    if (f != FEED_FORMAT_MAP && error_envelope(root, &msg)) {
        util_errf(err, errlen, "%s: the news service refused: %s", d->name,
                  msg.data);
        goto out;
    }
    /* A mapping may start from a top-level array; presets never do. */
    if (f != FEED_FORMAT_MAP && !cJSON_IsObject(root)) {
        util_errf(err, errlen, "%s: the document is %s, not a JSON object%s",
                  d->name, json_type_name(root),
                  cJSON_IsArray(root)
                      ? " (a bare list of items can be read with format = map)"
                      : "");
        goto out;
    }
    const Preset *p = preset_for(f);
    if (!p) {
        util_errf(err, errlen,
                  "%s: unknown feed format (not NewsAPI, GNews, Guardian, NYT "
                  "or JSON Feed); set format = map and map its fields",
                  d->name);
        goto out;
    }
    Mapping m;
    mapping_init(&m, p, f == FEED_FORMAT_AUTO ? NULL : d->opts->conf);
    d->untitled_from_body = m.untitled_from_body;
    bool empty_string = false;
    const cJSON *items = find_items(&m.field[MAP_ITEMS], root, &empty_string);
    if (!items && !empty_string) {
        if (error_envelope(root, &msg) || lone_message(root, &msg)) {
            util_errf(err, errlen, "%s: the news service refused: %s", d->name,
                      msg.data);
        } else {
            util_errf(err, errlen,
                      "%s: the feed has no stories (no list of items at %s, "
                      "where format %s keeps them)",
                      d->name,
                      m.spec[MAP_ITEMS][0] ? m.spec[MAP_ITEMS] : "the top",
                      config_format_name(f));
        }
        goto out;
    }
    const cJSON *item;
    bool more = true;
    if (items) {
        cJSON_ArrayForEach(item, items)
        {
            decode_item(d, &m, item, root, &more);
            if (!more)
                break;
        }
    }
    rc = 0;
out:
    buf_deinit(&msg);
    return rc;
}

int
feedjson_decode(FeedDecoder *d, const char *body, size_t len, FeedFormat format,
                char *err, size_t errlen)
{
    cJSON *root = cJSON_ParseWithLength(body, len);
    if (!root) {
        describe_parse_error(body, len, d->name, err, errlen);
        return -1;
    }
    int rc = decode_root(d, root, format, err, errlen);
    cJSON_Delete(root);
    return rc;
}
