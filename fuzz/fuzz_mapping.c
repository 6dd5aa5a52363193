/*
 * fuzz_mapping: libFuzzer target for JSON Pointer mappings and the RFC
 * 6901 resolver.
 *
 * Input: mapping lines ("key = value", as in a [feed.NAME] section) up to
 * the first NUL byte, then a JSON document. The lines go through the real
 * config setter (which checks pointer syntax) into a feed with
 * format = map, and the document is decoded through that mapping; the
 * result must satisfy fuzz/stories.h. Each value is also resolved on its
 * own against the document with jsonptr_get, which must agree with
 * jsonptr_check: a pointer the checker refuses finds nothing.
 *
 * Linked with fuzz/replay.c instead of -fsanitize=fuzzer, it replays saved
 * inputs as an ordinary test (make fuzz-replay).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cJSON.h>

#include "config.h"
#include "jsonptr.h"
#include "stories.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static Config *cfg; /* ~110 KB: allocated once */

static void
resolve_alone(const cJSON *doc, const char *value)
{
    size_t len = strlen(value);
    char err[160];
    bool valid = jsonptr_check(value, len, err, sizeof(err));
    const cJSON *v = jsonptr_get(doc, value, len);
    if (!valid)
        ASSERT(v == NULL);
    if (len == 0)
        ASSERT(v == doc);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 256 * 1024)
        return 0;
    const uint8_t *nul = memchr(data, 0, size);
    size_t spec_len = nul ? (size_t)(nul - data) : size;
    const char *body = nul ? (const char *)nul + 1 : "";
    size_t body_len = nul ? size - spec_len - 1 : 0;
    if (!cfg)
        cfg = xmalloc(sizeof(Config));
    config_defaults(cfg);
    char err[512];
    config_set(cfg, "feed.fuzz", "url", "file:///fuzz", err, sizeof(err));
    config_set(cfg, "feed.fuzz", "format", "map", err, sizeof(err));

    char *spec = xstrndup((const char *)data, spec_len);
    cJSON *doc = cJSON_ParseWithLength(body, body_len);
    for (char *line = strtok(spec, "\n"); line; line = strtok(NULL, "\n")) {
        char *eq = strchr(line, '=');
        if (!eq) {
            resolve_alone(doc, line);
            continue;
        }
        *eq = '\0';
        char *key = line, *value = eq + 1;
        while (*key == ' ')
            key++;
        for (char *e = key + strlen(key); e > key && e[-1] == ' ';)
            *--e = '\0';
        while (*value == ' ')
            value++;
        config_set(cfg, "feed.fuzz", key, value, err, sizeof(err));
        resolve_alone(doc, value);
    }
    cJSON_Delete(doc);
    free(spec);

    FeedConf *f = &cfg->feeds[0];
    if (!f->map[MAP_TITLE][0])
        util_strlcpy(f->map[MAP_TITLE], "/title", sizeof(f->map[MAP_TITLE]));
    f->format = FEED_FORMAT_MAP;
    FeedDecodeOpts opts = feed_decode_opts(f, 0);
    decode_and_check((const uint8_t *)body, body_len, &opts);
    return 0;
}
