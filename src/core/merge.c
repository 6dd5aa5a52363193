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
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '%' && i + 2 < len && isxdigit((unsigned char)s[i + 1]) &&
            isxdigit((unsigned char)s[i + 2])) {
            char esc[3] = {'%', (char)toupper((unsigned char)s[i + 1]),
                           (char)toupper((unsigned char)s[i + 2])};
            buf_append(out, esc, 3);
            i += 2;
        } else {
            buf_append(out, &c, 1);
        }
    }
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

char *
merge_canonical_url(const char *url)
{
    Buf out;
    buf_init(&out);
    if (!url) {
        buf_appends(&out, "");
        return buf_steal(&out);
    }
    while (*url == ' ')
        url++;
    const char *sep = strstr(url, "://");
    bool web = sep && ((sep - url == 4 && !strncasecmp(url, "http", 4)) ||
                       (sep - url == 5 && !strncasecmp(url, "https", 5)));
    if (!web) {
        buf_appends(&out, url);
        return buf_steal(&out);
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

/* Copies the stories of one list that pass the filters, newest first. */
static StoryList *
filtered(const StoryList *list, size_t index, const MergeOpts *o)
{
    StoryList *out = story_list_new();
    int age = index < MERGE_MAX_LISTS && o->list_max_age_h[index]
                  ? o->list_max_age_h[index]
                  : o->max_age_h;
    for (size_t j = 0; list && j < list->count; j++) {
        if (!keep(&list->items[j], age, o))
            continue;
        Story c;
        story_copy(&c, &list->items[j]);
        /* A date over a day ahead is bad data: unknown, not "newest". */
        if (c.published_s != STORY_NO_TIME &&
            !time_is_plausible(c.published_s, o->now_s) &&
            c.published_s > o->now_s)
            c.published_s = STORY_NO_TIME;
        story_list_push(out, &c);
    }
    story_list_sort_newest(out);
    return out;
}

/* Moves every story into one list in display order; frees the parts. */
static StoryList *
ordered(StoryList **parts, size_t n, MergeOrder order)
{
    StoryList *all = story_list_new();
    if (order == MERGE_ROUND_ROBIN) {
        for (size_t round = 0;; round++) {
            bool any = false;
            for (size_t i = 0; i < n; i++) {
                if (round < parts[i]->count) {
                    story_list_push(all, &parts[i]->items[round]);
                    any = true;
                }
            }
            if (!any)
                break;
        }
    } else {
        for (size_t i = 0; i < n; i++) {
            for (size_t j = 0; j < parts[i]->count; j++)
                story_list_push(all, &parts[i]->items[j]);
        }
        story_list_sort_newest(all);
    }
    for (size_t i = 0; i < n; i++) {
        parts[i]->count = 0; /* moved out */
        story_list_free(parts[i]);
    }
    return all;
}

/* ---- Duplicates ------------------------------------------------------------
 */

/* Key for title comparison: letters and digits only, ASCII and Latin-1
 * letters folded to lower case; punctuation of every script dropped.
 * *len gets the number of bytes that went into the key. */
static uint64_t
title_key(const char *title, size_t *len)
{
    uint64_t h = util_hash64("", 0, 3);
    size_t n = strlen(title);
    size_t i = 0;
    *len = 0;
    while (i < n) {
        uint32_t cp;
        size_t step = utf8_decode(title + i, n - i, &cp);
        i += step;
        bool punct = (cp >= 0x80 && cp <= 0xBF) ||
                     (cp >= 0x2000 && cp <= 0x206F) ||
                     (cp >= 0x3000 && cp <= 0x303F) || cp == 0xD7 || cp == 0xF7;
        if (cp < 0x80 ? !isalnum((int)cp) : punct)
            continue;
        if (cp < 0x80)
            cp = (uint32_t)tolower((int)cp);
        else if (cp >= 0xC0 && cp <= 0xDE)
            cp += 0x20;
        char enc[4];
        size_t m = utf8_encode(cp, enc);
        h = util_hash64(enc, m, h);
        *len += m;
    }
    return h;
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
story_keys(const Story *s, uint64_t keys[KEYS_PER_STORY])
{
    size_t n = 0;
    keys[n++] = util_hash64(s->id, strlen(s->id), 1) | 1;
    if (s->url) {
        char *canon = merge_canonical_url(s->url);
        keys[n++] = util_hash64(canon, strlen(canon), 2) | 1;
        free(canon);
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
fold(Story *kept, Story *dup)
{
    if (dup->source && *dup->source) {
        if (!kept->source) {
            kept->source = dup->source;
            dup->source = NULL;
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
    char **fill[][2] = {{&kept->summary, &dup->summary},
                        {&kept->image, &dup->image},
                        {&kept->url, &dup->url}};
    for (size_t i = 0; i < ARRAY_LEN(fill); i++) {
        if (!*fill[i][0]) {
            *fill[i][0] = *fill[i][1];
            *fill[i][1] = NULL;
        }
    }
    if (!kept->read_min)
        kept->read_min = dup->read_min;
}

StoryList *
merge_lists(const StoryList *const *lists, size_t n, const MergeOpts *opts)
{
    StoryList **parts = xcalloc(n + 1, sizeof(StoryList *));
    for (size_t i = 0; i < n; i++)
        parts[i] = filtered(lists[i], i, opts);
    StoryList *all = ordered(parts, n, opts->order);
    free(parts);

    KeyMap seen;
    keymap_init(&seen, all->count * KEYS_PER_STORY + 1);
    StoryList *out = story_list_new();
    size_t cap = opts->max_stories > 0 ? (size_t)opts->max_stories : SIZE_MAX;
    for (size_t i = 0; i < all->count; i++) {
        Story *s = &all->items[i];
        uint64_t keys[KEYS_PER_STORY];
        size_t nkeys = story_keys(s, keys);
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
        story_list_push(out, s);
    }
    keymap_deinit(&seen);
    story_list_free(all);
    return out;
}
