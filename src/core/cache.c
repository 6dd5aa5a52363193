/* cache: on-disk format of a feed's last good stories. See cache.h. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "cache.h"
#include "jsonutil.h"

#define CACHE_MAGIC "newswire-cache"
#define CACHE_MAX_STORIES 2000
#define CACHE_FIELD_MAX 16384 /* bytes per string; feed text is far shorter */

void
cache_encode(const CacheEntry *e, Buf *out)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "feed", e->feed);
    cJSON_AddStringToObject(root, "url", e->url);
    cJSON_AddNumberToObject(root, "saved", (double)e->saved_s);
    cJSON_AddStringToObject(root, "version", e->version);
    cJSON_AddStringToObject(root, "etag", e->etag);
    cJSON_AddStringToObject(root, "last_modified", e->last_modified);
    cJSON *arr = cJSON_AddArrayToObject(root, "stories");
    size_t n = e->stories ? e->stories->count : 0;
    for (size_t i = 0; i < n; i++) {
        const Story *s = &e->stories->items[i];
        cJSON *o = cJSON_CreateObject();
        json_add_string_or_null(o, "id", s->id);
        json_add_string_or_null(o, "title", s->title);
        json_add_string_or_null(o, "summary", s->summary);
        json_add_string_or_null(o, "source", s->source);
        json_add_string_or_null(o, "url", s->url);
        json_add_string_or_null(o, "image", s->image);
        json_add_string_or_null(o, "feed", s->feed);
        if (s->published_s == STORY_NO_TIME)
            cJSON_AddNullToObject(o, "published");
        else
            cJSON_AddNumberToObject(o, "published", (double)s->published_s);
        cJSON_AddNumberToObject(o, "priority", s->priority);
        cJSON_AddNumberToObject(o, "read_min", s->read_min);
        cJSON_AddItemToArray(arr, o);
    }
    char *json = cJSON_PrintUnformatted(root);
    ASSERT(json);
    cJSON_Delete(root);
    size_t len = strlen(json);
    buf_appendf(out, "%s %d %zu %016" PRIx64 "\n", CACHE_MAGIC,
                CACHE_FORMAT_VERSION, len,
                util_hash64(json, len, CACHE_HASH_SEED));
    buf_append(out, json, len);
    cJSON_free(json);
}

void
cache_entry_deinit(CacheEntry *e)
{
    story_list_free(e->stories);
    e->stories = NULL;
}

/* Copies a string member into dst; absent or null gives "" when
 * optional. Returns false for a wrong type or an over-long value. */
static bool
get_fixed(const cJSON *o, const char *key, char *dst, size_t n, bool optional)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!v || cJSON_IsNull(v)) {
        dst[0] = '\0';
        return optional;
    }
    if (!cJSON_IsString(v) || !v->valuestring || strlen(v->valuestring) >= n)
        return false;
    util_strlcpy(dst, v->valuestring, n);
    return true;
}

/* A story string: NULL when absent or null (if allowed). */
static bool
get_dup(const cJSON *o, const char *key, char **dst, bool optional)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    *dst = NULL;
    if (!v || cJSON_IsNull(v))
        return optional;
    if (!cJSON_IsString(v) || !v->valuestring)
        return false;
    size_t len = strlen(v->valuestring);
    if (len > CACHE_FIELD_MAX || (!optional && len == 0))
        return false;
    *dst = xstrdup(v->valuestring);
    return true;
}

static bool
get_int(const cJSON *o, const char *key, double lo, double hi, int64_t *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) ||
        v->valuedouble < lo || v->valuedouble > hi ||
        v->valuedouble != floor(v->valuedouble))
        return false;
    *out = (int64_t)v->valuedouble;
    return true;
}

static bool
decode_story(const cJSON *o, Story *s)
{
    memset(s, 0, sizeof(*s));
    if (!cJSON_IsObject(o))
        return false;
    int64_t prio, mins;
    bool ok = get_dup(o, "id", &s->id, false) &&
              get_dup(o, "title", &s->title, false) &&
              get_dup(o, "summary", &s->summary, true) &&
              get_dup(o, "source", &s->source, true) &&
              get_dup(o, "url", &s->url, true) &&
              get_dup(o, "image", &s->image, true) &&
              get_dup(o, "feed", &s->feed, false) &&
              get_int(o, "priority", 0, 1000, &prio) &&
              get_int(o, "read_min", 0, 100000, &mins);
    if (ok) {
        s->priority = (int)prio;
        s->read_min = (int)mins;
        const cJSON *p = cJSON_GetObjectItemCaseSensitive(o, "published");
        if (cJSON_IsNull(p))
            s->published_s = STORY_NO_TIME;
        else
            ok = get_int(o, "published", -1e15, 1e15, &s->published_s);
    }
    if (!ok)
        story_deinit(s);
    return ok;
}

int
cache_decode(const char *data, size_t len, CacheEntry *e, char *err,
             size_t errlen)
{
    memset(e, 0, sizeof(*e));
    if (len == 0) {
        util_errf(err, errlen, "empty file");
        return -1;
    }
    if (len > CACHE_MAX_BYTES) {
        util_errf(err, errlen, "%zu bytes, more than the %d byte limit", len,
                  CACHE_MAX_BYTES);
        return -1;
    }
    const char *nl = memchr(data, '\n', MIN(len, (size_t)128));
    char head[128];
    if (!nl) {
        util_errf(err, errlen, "no header line");
        return -1;
    }
    memcpy(head, data, (size_t)(nl - data));
    head[nl - data] = '\0';
    char magic[32];
    int version = 0;
    unsigned long long body_len = 0;
    char hash_hex[32];
    int used = 0;
    if (sscanf(head, "%31s %d %llu %31s%n", magic, &version, &body_len,
               hash_hex, &used) != 4 ||
        head[used] != '\0' || strcmp(magic, CACHE_MAGIC) != 0) {
        util_errf(err, errlen, "not a newswire cache file");
        return -1;
    }
    if (version != CACHE_FORMAT_VERSION) {
        util_errf(err, errlen, "cache format %d, expected %d", version,
                  CACHE_FORMAT_VERSION);
        return -1;
    }
    const char *body = nl + 1;
    size_t have = len - (size_t)(body - data);
    if (body_len != have) {
        util_errf(err, errlen, "truncated or padded: %zu of %llu bytes", have,
                  body_len);
        return -1;
    }
    char want[32];
    snprintf(want, sizeof(want), "%016" PRIx64,
             util_hash64(body, have, CACHE_HASH_SEED));
    if (strcmp(want, hash_hex) != 0) {
        util_errf(err, errlen, "bad checksum");
        return -1;
    }
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(body, have, &end, false);
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        util_errf(err, errlen,
                  "the checksum matches but the JSON does not "
                  "parse");
        return -1;
    }
    int64_t saved = 0;
    bool ok =
        get_fixed(root, "feed", e->feed, sizeof(e->feed), false) &&
        get_fixed(root, "url", e->url, sizeof(e->url), false) &&
        get_fixed(root, "version", e->version, sizeof(e->version), false) &&
        get_fixed(root, "etag", e->etag, sizeof(e->etag), true) &&
        get_fixed(root, "last_modified", e->last_modified,
                  sizeof(e->last_modified), true) &&
        get_int(root, "saved", 0, 1e15, &saved) &&
        cache_header_value_ok(e->etag) &&
        cache_header_value_ok(e->last_modified);
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "stories");
    if (ok &&
        (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) > CACHE_MAX_STORIES))
        ok = false;
    if (ok) {
        e->saved_s = saved;
        e->stories = story_list_new();
        const cJSON *o;
        cJSON_ArrayForEach(o, arr)
        {
            Story s;
            if (!decode_story(o, &s)) {
                ok = false;
                break;
            }
            story_list_push(e->stories, &s);
        }
    }
    cJSON_Delete(root);
    if (!ok) {
        cache_entry_deinit(e);
        util_errf(err, errlen, "a field is missing or has the wrong type");
        return -1;
    }
    return 0;
}

void
cache_file_name(const char *feed, char *out, size_t outlen)
{
    Buf b;
    buf_init(&b);
    for (const char *p = feed; *p && b.len < 64; p++) {
        char c = *p;
        bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || c == '_' || c == '-' ||
                    (c == '.' && b.len > 0);
        buf_append(&b, safe ? &c : "_", 1);
    }
    if (b.len == 0)
        buf_appends(&b, "feed");
    buf_appends(&b, ".cache");
    util_strlcpy(out, b.data, outlen);
    buf_deinit(&b);
}

bool
cache_header_value_ok(const char *v)
{
    for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            return false;
    }
    return true;
}
