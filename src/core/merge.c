/* merge: filter, order, dedupe and credit per-feed lists. See merge.h. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clean.h"
#include "merge.h"
#include "timefmt.h"
#include "util.h"

#define TITLE_KEY_MIN_BYTES 10 /* shorter titles ("Live") are not unique */
#define CREDIT_MAX_BYTES 160

void
merge_opts_init(MergeOpts *opts, const Config *cfg)
{
    memset(opts, 0, sizeof(*opts));
    opts->max_stories = cfg->max_stories;
    opts->max_age_h = cfg->max_age_h;
    opts->order = (MergeOrder)cfg->merge_order;
    for (size_t i = 0; i < cfg->feed_count && i < MERGE_MAX_LISTS; i++)
        opts->list_max_age_h[i] = cfg->feeds[i].max_age_h;
    util_strlcpy(opts->block, cfg->filter_block, sizeof(opts->block));
    util_strlcpy(opts->allow, cfg->filter_allow, sizeof(opts->allow));
}

/* ---- Canonical URLs ------------------------------------------------------ */

static bool
is_tracking_param(const char *name, size_t len)
{
    static const char *const names[] = {
        "fbclid",      "gclid", "dclid",      "msclkid", "mc_cid", "mc_eid",
        "igshid",      "yclid", "_ga",        "_gl",     "ocid",   "cmpid",
        "smid",        "smtyp", "ref_src",    "ncid",    "cmp",    "at_medium",
        "at_campaign", "taid",  "guccounter", "spm",     "share",  "s_cid"};
    if (len >= 4 && !strncasecmp(name, "utm_", 4))
        return true;
    for (size_t i = 0; i < ARRAY_LEN(names); i++) {
        if (len == strlen(names[i]) && !strncasecmp(name, names[i], len))
            return true;
    }
    return false;
}

/* Appends s[0..len) with percent-escapes in upper case. */
static void
append_escaped(Buf *out, const char *s, size_t len)
{
    size_t done = 0;
    for (size_t i = 0; i + 2 < len; i++) {
        if (s[i] != '%' || !isxdigit((unsigned char)s[i + 1]) ||
            !isxdigit((unsigned char)s[i + 2]))
            continue;
        buf_append(out, s + done, i + 1 - done);
        char hex[2] = {(char)toupper((unsigned char)s[i + 1]),
                       (char)toupper((unsigned char)s[i + 2])};
        buf_append(out, hex, 2);
        i += 2;
        done = i + 1;
    }
    buf_append(out, s + done, len - done);
}

static void
append_query(Buf *out, const char *q, size_t len)
{
    bool first = true;
    size_t i = 0;
    while (i < len) {
        size_t end = i;
        while (end < len && q[end] != '&' && q[end] != ';')
            end++;
        size_t name_len = 0;
        while (i + name_len < end && q[i + name_len] != '=')
            name_len++;
        if (end > i && !is_tracking_param(q + i, name_len)) {
            buf_append(out, first ? "?" : "&", 1);
            append_escaped(out, q + i, end - i);
            first = false;
        }
        i = end + 1;
    }
}

/* Appends the canonical form of url to *out (see merge.h). */
static void
canonical_url(const char *url, Buf *out_buf)
{
    Buf out = *out_buf;
    while (*url == ' ')
        url++;
    const char *sep = strstr(url, "://");
    bool web = sep && ((sep - url == 4 && !strncasecmp(url, "http", 4)) ||
                       (sep - url == 5 && !strncasecmp(url, "https", 5)));
    if (!web) {
        buf_appends(&out, url);
        *out_buf = out;
        return;
    }
    bool https = sep - url == 5;
    const char *host = sep + 3;
    size_t host_len = strcspn(host, "/?#");
    const char *rest = host + host_len;
    const char *at = memchr(host, '@', host_len); /* user@host */
    if (at) {
        host_len -= (size_t)(at + 1 - host);
        host = at + 1;
    }
    /* host[0..name_len) is the name, the rest ":port" if any. */
    const char *colon = memchr(host, ':', host_len);
    size_t name_len = colon ? (size_t)(colon - host) : host_len;
    const char *port = colon ? colon + 1 : "";
    size_t port_len = colon ? host_len - name_len - 1 : 0;
    if ((port_len == 2 && !strncmp(port, "80", 2) && !https) ||
        (port_len == 3 && !strncmp(port, "443", 3) && https))
        port_len = 0;
    if (name_len >= 4 && !strncasecmp(host, "www.", 4)) {
        host += 4;
        name_len -= 4;
    }
    while (name_len > 0 && host[name_len - 1] == '.')
        name_len--;
    buf_appends(&out, "https://");
    for (size_t i = 0; i < name_len; i++) {
        char c = (char)tolower((unsigned char)host[i]);
        buf_append(&out, &c, 1);
    }
    if (port_len) {
        buf_append(&out, ":", 1);
        buf_append(&out, port, port_len);
    }
    size_t path_len = strcspn(rest, "?#");
    while (path_len > 1 && rest[path_len - 1] == '/')
        path_len--;
    if (path_len == 1 && rest[0] == '/')
        path_len = 0;
    append_escaped(&out, rest, path_len);
    if (rest[strcspn(rest, "?#")] == '?') {
        const char *q = rest + strcspn(rest, "?#") + 1;
        append_query(&out, q, strcspn(q, "#"));
    }
    *out_buf = out;
}

char *
merge_canonical_url(const char *url)
{
    Buf out;
    buf_init(&out);
    buf_appends(&out, "");
    if (url)
        canonical_url(url, &out);
    return buf_steal(&out);
}

/* ---- Keywords ------------------------------------------------------------ */

static bool
is_word_byte(unsigned char c)
{
    return c >= 0x80 || isalnum(c);
}

/* Does text contain kw (klen bytes, no '*') as a word starting at a word
 * boundary, ending at one unless prefix? */
static bool
find_word(const char *text, const char *kw, size_t klen, bool prefix)
{
    size_t tlen = strlen(text);
    for (size_t i = 0; i + klen <= tlen; i++) {
        if (i > 0 && is_word_byte((unsigned char)text[i - 1]) &&
            is_word_byte((unsigned char)kw[0]))
            continue;
        if (strncasecmp(text + i, kw, klen) != 0)
            continue;
        unsigned char after = (unsigned char)text[i + klen];
        if (prefix || !after || !is_word_byte(after) ||
            !is_word_byte((unsigned char)kw[klen - 1]))
            return true;
    }
    return false;
}

bool
merge_keyword_match(const char *text, const char *keywords)
{
    if (!text || !keywords)
        return false;
    const char *p = keywords;
    while (*p) {
        size_t len = strcspn(p, ",");
        const char *kw = p;
        size_t klen = len;
        while (klen && (*kw == ' ' || *kw == '\t')) {
            kw++;
            klen--;
        }
        while (klen && (kw[klen - 1] == ' ' || kw[klen - 1] == '\t'))
            klen--;
        bool prefix = klen && kw[klen - 1] == '*';
        if (prefix)
            klen--;
        if (klen && find_word(text, kw, klen, prefix))
            return true;
        p += len + (p[len] == ',');
    }
    return false;
}

static bool
has_keywords(const char *list)
{
    for (const char *p = list; *p; p++) {
        if (*p != ',' && *p != ' ' && *p != '\t' && *p != '*')
            return true;
    }
    return false;
}

static bool
matches(const Story *s, const char *keywords)
{
    return merge_keyword_match(s->title, keywords) ||
           merge_keyword_match(s->summary, keywords);
}

/* ---- Filtering and order ---------------------------------------------------
 */

static bool
keep(const Story *s, int max_age_h, const MergeOpts *o)
{
    if (max_age_h > 0 && s->published_s != STORY_NO_TIME &&
        o->now_s - s->published_s > (int64_t)max_age_h * 3600)
        return false;
    if (s->expires_s != 0 && s->expires_s <= o->now_s)
        return false;
    if (has_keywords(o->block) && matches(s, o->block))
        return false;
    if (has_keywords(o->allow) && !matches(s, o->allow))
        return false;
    return true;
}

/* A story that passed the filters, by reference until it is kept. */
typedef struct Entry {
    const Story *s;
    int64_t when; /* its date, or STORY_NO_TIME when unknown or implausible */
} Entry;

static void
sort_entries(Entry *a, Entry *tmp, size_t n)
{
    if (n < 2)
        return;
    size_t half = n / 2;
    sort_entries(a, tmp, half);
    sort_entries(a + half, tmp, n - half);
    size_t i = 0, j = half, k = 0;
    while (i < half && j < n)
        tmp[k++] = a[j].when > a[i].when ? a[j++] : a[i++]; /* stable */
    while (i < half)
        tmp[k++] = a[i++];
    while (j < n)
        tmp[k++] = a[j++];
    memcpy(a, tmp, n * sizeof(Entry));
}

/* Appends the stories of one list that pass the filters to *all. */
static void
collect(const StoryList *list, size_t index, const MergeOpts *o, Entry *all,
        size_t *count)
{
    int age = index < MERGE_MAX_LISTS && o->list_max_age_h[index]
                  ? o->list_max_age_h[index]
                  : o->max_age_h;
    for (size_t j = 0; list && j < list->count; j++) {
        const Story *s = &list->items[j];
        if (!keep(s, age, o))
            continue;
        int64_t when = s->published_s;
        /* A date over a day ahead is bad data: unknown, not "newest". */
        if (when != STORY_NO_TIME && when > o->now_s &&
            !time_is_plausible(when, o->now_s))
            when = STORY_NO_TIME;
        all[(*count)++] = (Entry){s, when};
    }
}

/* Every story that passed, in display order (caller frees). */
static Entry *
ordered(const StoryList *const *lists, size_t n, const MergeOpts *o,
        size_t *count)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += lists[i] ? lists[i]->count : 0;
    Entry *all = xmalloc((total + 1) * sizeof(Entry));
    Entry *tmp = xmalloc((total + 1) * sizeof(Entry));
    size_t *start = xcalloc(n + 1, sizeof(size_t));
    *count = 0;
    for (size_t i = 0; i < n; i++) {
        start[i] = *count;
        collect(lists[i], i, o, all, count);
        /* Each feed newest first, for round-robin. */
        sort_entries(all + start[i], tmp, *count - start[i]);
    }
    start[n] = *count;
    if (o->order == MERGE_ROUND_ROBIN) {
        size_t k = 0;
        for (size_t round = 0; k < *count; round++) {
            for (size_t i = 0; i < n; i++) {
                if (start[i] + round < start[i + 1])
                    tmp[k++] = all[start[i] + round];
            }
        }
        memcpy(all, tmp, *count * sizeof(Entry));
    } else {
        sort_entries(all, tmp, *count);
    }
    free(start);
    free(tmp);
    return all;
}

/* ---- Duplicates ------------------------------------------------------------
 */

/* A fast 64-bit hash for the duplicate keys, which never leave one merge
 * (stable ids use util_hash64): eight bytes per multiply. */
static uint64_t
key_hash(const void *data, size_t len, uint64_t seed)
{
    const unsigned char *p = data;
    uint64_t h = seed * 0x9E3779B97F4A7C15ULL ^ len;
    while (len >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
        h ^= h >> 32;
        p += 8;
        len -= 8;
    }
    uint64_t w = 0;
    memcpy(&w, p, len);
    h = (h ^ w) * 0xC4CEB9FE1A85EC53ULL;
    h ^= h >> 29;
    return h;
}

#define TITLE_KEY_MAX_BYTES 512

/* Key for title comparison: letters and digits only, ASCII and Latin-1
 * letters folded to lower case; punctuation of every script dropped.
 * *len gets the number of bytes that went into the key. */
static uint64_t
title_key(const char *title, size_t *len)
{
    char key[TITLE_KEY_MAX_BYTES];
    size_t n = strlen(title);
    size_t k = 0;
    size_t i = 0;
    while (i < n && k + 4 <= sizeof(key)) {
        unsigned char c = (unsigned char)title[i];
        if (c < 0x80) {
            if (c >= 'A' && c <= 'Z')
                key[k++] = (char)(c + ('a' - 'A'));
            else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
                key[k++] = (char)c;
            i++;
            continue;
        }
        uint32_t cp;
        i += utf8_decode(title + i, n - i, &cp);
        bool punct = cp <= 0xBF || (cp >= 0x2000 && cp <= 0x206F) ||
                     (cp >= 0x3000 && cp <= 0x303F) || cp == 0xD7 || cp == 0xF7;
        if (punct)
            continue;
        if (cp >= 0xC0 && cp <= 0xDE)
            cp += 0x20;
        k += utf8_encode(cp, key + k);
    }
    *len = k;
    return key_hash(key, k, 3);
}

/* Open-addressing map from a 64-bit key to an output index. */
typedef struct KeyMap {
    uint64_t *keys;
    size_t *values;
    size_t mask;
} KeyMap;

static void
keymap_init(KeyMap *m, size_t entries)
{
    size_t size = 16;
    while (size < entries * 2)
        size *= 2;
    m->keys = xcalloc(size, sizeof(uint64_t));
    m->values = xcalloc(size, sizeof(size_t));
    m->mask = size - 1;
}

static void
keymap_deinit(KeyMap *m)
{
    free(m->keys);
    free(m->values);
}

/* The slot of key: where it is, or the empty one where it would go. */
static size_t
keymap_slot(const KeyMap *m, uint64_t key)
{
    size_t i = (size_t)(key ^ (key >> 29)) & m->mask;
    while (m->keys[i] && m->keys[i] != key)
        i = (i + 1) & m->mask;
    return i;
}

static bool
keymap_find(const KeyMap *m, uint64_t key, size_t *value)
{
    size_t i = keymap_slot(m, key);
    if (!m->keys[i])
        return false;
    *value = m->values[i];
    return true;
}

static void
keymap_put(KeyMap *m, uint64_t key, size_t value)
{
    size_t i = keymap_slot(m, key);
    if (!m->keys[i]) {
        m->keys[i] = key;
        m->values[i] = value;
    }
}

#define KEYS_PER_STORY 3

static size_t
story_keys(const Story *s, uint64_t keys[KEYS_PER_STORY], Buf *scratch)
{
    size_t n = 0;
    keys[n++] = key_hash(s->id, strlen(s->id), 1) | 1;
    if (s->url) {
        buf_clear(scratch);
        canonical_url(s->url, scratch);
        keys[n++] = key_hash(scratch->data, scratch->len, 2) | 1;
    }
    size_t len;
    uint64_t t = title_key(s->title, &len);
    if (len >= TITLE_KEY_MIN_BYTES)
        keys[n++] = t | 1;
    return n;
}

static bool
credits(const char *list, const char *source)
{
    size_t n = strlen(source);
    const char *p = list;
    for (;;) {
        if (!strncasecmp(p, source, n) &&
            (p[n] == '\0' ||
             !strncmp(p + n, MERGE_SEPARATOR, strlen(MERGE_SEPARATOR))))
            return true;
        const char *next = strstr(p, MERGE_SEPARATOR);
        if (!next)
            return false;
        p = next + strlen(MERGE_SEPARATOR);
    }
}

/* The duplicate dup folds into kept: its source is credited, and what
 * kept lacks it may give. */
static void
fold(Story *kept, const Story *dup)
{
    if (dup->source && *dup->source) {
        if (!kept->source) {
            kept->source = xstrdup(dup->source);
        } else if (!credits(kept->source, dup->source)) {
            size_t names = 1;
            for (const char *p = kept->source;
                 (p = strstr(p, MERGE_SEPARATOR)) != NULL; p++)
                names++;
            if (names < MERGE_CREDIT_MAX &&
                strlen(kept->source) + strlen(dup->source) < CREDIT_MAX_BYTES) {
                char *both = xasprintf("%s%s%s", kept->source, MERGE_SEPARATOR,
                                       dup->source);
                free(kept->source);
                kept->source = both;
            }
        }
    }
    kept->priority = MAX(kept->priority, dup->priority);
    if (!kept->summary)
        kept->summary = xstrdup(dup->summary);
    if (!kept->image)
        kept->image = xstrdup(dup->image);
    if (!kept->url)
        kept->url = xstrdup(dup->url);
    if (!kept->read_min)
        kept->read_min = dup->read_min;
}

StoryList *
merge_lists(const StoryList *const *lists, size_t n, const MergeOpts *opts)
{
    size_t count;
    Entry *all = ordered(lists, n, opts, &count);
    KeyMap seen;
    keymap_init(&seen, count * KEYS_PER_STORY + 1);
    Buf scratch;
    buf_init(&scratch);
    StoryList *out = story_list_new();
    size_t cap = opts->max_stories > 0 ? (size_t)opts->max_stories : SIZE_MAX;
    for (size_t i = 0; i < count; i++) {
        const Story *s = all[i].s;
        uint64_t keys[KEYS_PER_STORY];
        size_t nkeys = story_keys(s, keys, &scratch);
        size_t at;
        bool dup = false;
        for (size_t k = 0; k < nkeys && !dup; k++)
            dup = keymap_find(&seen, keys[k], &at);
        if (dup) {
            fold(&out->items[at], s);
            /* Its other keys lead to the same story from now on. */
            for (size_t k = 0; k < nkeys; k++)
                keymap_put(&seen, keys[k], at);
            continue;
        }
        if (out->count >= cap)
            continue;
        for (size_t k = 0; k < nkeys; k++)
            keymap_put(&seen, keys[k], out->count);
        /* Copied only now: the stories past the cap never are. */
        Story c;
        story_copy(&c, s);
        c.published_s = all[i].when;
        story_list_push(out, &c);
    }
    keymap_deinit(&seen);
    buf_deinit(&scratch);
    free(all);
    return out;
}
