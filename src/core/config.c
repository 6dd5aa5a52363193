/*
 * config: defaults table, setters and the INI reader. See config.h.
 *
 * The table below is the single place a knob is defined: its section, key,
 * type, range and default. config/newswire.conf documents each entry for
 * users, and a test checks that the two agree.
 */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ini.h>

#include "config.h"
#include "jsonptr.h"
#include "timefmt.h"
#include "keycombo.h"
#include "log.h"
#include "schedule.h"
#include "util.h"

typedef enum KeyType {
    KEY_INT,
    KEY_BOOL,
    KEY_STR,
    KEY_COLOR,
    KEY_ENUM,
    KEY_LEVEL, /* log level name, stored as int */
    KEY_KEYS,  /* key combination (keycombo.h), stored as text */
    KEY_DAYS,  /* a day of the display schedule (schedule.h), as text */
} KeyType;

typedef struct KeyDef {
    const char *section;
    const char *key;
    KeyType type;
    size_t offset; /* into Config */
    long min, max; /* KEY_INT range; KEY_STR maximum length in max */
    const char *def;
} KeyDef;

#define OFF(field) offsetof(Config, field)
#define STRMAX(field) ((long)sizeof(((Config *)0)->field) - 1)

static const KeyDef KEYS[] = {
    {"fetch", "interval_s", KEY_INT, OFF(fetch_interval_s), 10, 86400, "300"},
    {"fetch", "timeout_s", KEY_INT, OFF(fetch_timeout_s), 1, 300, "20"},
    {"fetch", "max_kb", KEY_INT, OFF(fetch_max_kb), 16, 65536, "8192"},
    {"fetch", "startup_delay_s", KEY_INT, OFF(fetch_startup_delay_s), 0, 3600,
     "30"},
    {"fetch", "backoff_base_s", KEY_INT, OFF(fetch_backoff_base_s), 1, 3600,
     "15"},
    {"fetch", "protocols", KEY_STR, OFF(fetch_protocols), 4,
     STRMAX(fetch_protocols), "https,http"},
    {"fetch", "ca_file", KEY_STR, OFF(fetch_ca_file), 0, STRMAX(fetch_ca_file),
     ""},
    {"fetch", "proxy", KEY_STR, OFF(fetch_proxy), 0, STRMAX(fetch_proxy), ""},
    {"fetch", "cache_dir", KEY_STR, OFF(fetch_cache_dir), 0,
     STRMAX(fetch_cache_dir), ""},
    {"status", "file", KEY_STR, OFF(status_file), 0, STRMAX(status_file), ""},
    {"display", "width", KEY_INT, OFF(width), 160, 16384, "1280"},
    {"display", "height", KEY_INT, OFF(height), 120, 16384, "720"},
    {"display", "fullscreen", KEY_BOOL, OFF(fullscreen), 0, 1, "false"},
    {"display", "vsync", KEY_BOOL, OFF(vsync), 0, 1, "true"},
    {"display", "fps", KEY_INT, OFF(fps), 1, 240, "60"},
    {"display", "max_texture", KEY_INT, OFF(max_texture_px), 0, 16384, "0"},
    {"display", "rotation", KEY_ENUM, OFF(rotation), 0, 0, "0"},
    {"display", "renderer", KEY_ENUM, OFF(renderer), 0, 0, "auto"},
    {"display", "damage", KEY_BOOL, OFF(damage), 0, 1, "true"},
    {"display", "safe_area_pct", KEY_INT, OFF(safe_area_pct), 0, 10, "0"},
    {"display", "text_scale_pct", KEY_INT, OFF(text_scale_pct), 50, 200, "100"},
    {"display", "sync", KEY_ENUM, OFF(sync), 0, 0, "local"},
    {"display", "font_regular", KEY_STR, OFF(font_regular), 1,
     STRMAX(font_regular), "fonts/DejaVuSans.ttf"},
    {"display", "font_bold", KEY_STR, OFF(font_bold), 1, STRMAX(font_bold),
     "fonts/DejaVuSans-Bold.ttf"},
    {"crawl", "speed_px_s", KEY_INT, OFF(crawl_speed_px_s), 0, 2000, "120"},
    {"crawl", "speed_cps", KEY_INT, OFF(crawl_speed_cps), 0, 100, "0"},
    {"crawl", "mode", KEY_ENUM, OFF(crawl_mode), 0, 0, "scroll"},
    {"crawl", "flip_ms", KEY_INT, OFF(crawl_flip_ms), 1000, 60000, "6000"},
    {"crawl", "show_source", KEY_BOOL, OFF(crawl_show_source), 0, 1, "true"},
    {"crawl", "separator", KEY_STR, OFF(crawl_separator), 0,
     STRMAX(crawl_separator), "\xe2\x80\xa2"},
    {"crawl", "label", KEY_STR, OFF(bar_label), 0, STRMAX(bar_label), "NEWS"},
    {"cards", "dwell_ms", KEY_INT, OFF(card_dwell_ms), 1000, 600000, "8000"},
    {"cards", "dwell_max_ms", KEY_INT, OFF(card_dwell_max_ms), 1000, 600000,
     "16000"},
    {"cards", "ms_per_char", KEY_INT, OFF(card_ms_per_char), 0, 1000, "25"},
    {"cards", "transition", KEY_ENUM, OFF(card_transition), 0, 0, "fade"},
    {"cards", "fade_ms", KEY_INT, OFF(card_fade_ms), 0, 5000, "600"},
    {"cards", "show_summary", KEY_BOOL, OFF(card_show_summary), 0, 1, "true"},
    {"clock", "show", KEY_BOOL, OFF(clock_show), 0, 1, "true"},
    {"clock", "format", KEY_STR, OFF(clock_format), 1, STRMAX(clock_format),
     "%H:%M"},
    {"filter", "max_age_h", KEY_INT, OFF(max_age_h), 0, 24 * 365 * 100, "0"},
    {"filter", "max_stories", KEY_INT, OFF(max_stories), 1, 1000, "100"},
    {"filter", "order", KEY_ENUM, OFF(merge_order), 0, 0, "newest"},
    {"filter", "block", KEY_STR, OFF(filter_block), 0, STRMAX(filter_block),
     ""},
    {"filter", "allow", KEY_STR, OFF(filter_allow), 0, STRMAX(filter_allow),
     ""},
    {"theme", "preset", KEY_ENUM, OFF(theme_preset), 0, 0, "dark"},
    {"theme", "bar_position", KEY_ENUM, OFF(bar_position), 0, 0, "bottom"},
    {"theme", "bar_height", KEY_INT, OFF(bar_height), 32, 200, "66"},
    {"theme", "background", KEY_COLOR, OFF(color_background), 0, 0, "#0e1116"},
    {"theme", "headline", KEY_COLOR, OFF(color_headline), 0, 0, "#f5f7fa"},
    {"theme", "summary", KEY_COLOR, OFF(color_summary), 0, 0, "#b8c0cc"},
    {"theme", "meta", KEY_COLOR, OFF(color_meta), 0, 0, "#8a94a3"},
    {"theme", "accent", KEY_COLOR, OFF(color_accent), 0, 0, "#e0393e"},
    {"theme", "bar", KEY_COLOR, OFF(color_bar), 0, 0, "#1b2230"},
    {"theme", "bar_text", KEY_COLOR, OFF(color_bar_text), 0, 0, "#ffffff"},
    {"theme", "clock_background", KEY_COLOR, OFF(color_clock_bg), 0, 0,
     "#2a3344"},
    {"theme", "warning", KEY_COLOR, OFF(color_warning), 0, 0, "#f2b33d"},
    {"breaking", "window_min", KEY_INT, OFF(breaking_window_min), 1, 10080,
     "60"},
    {"breaking", "label", KEY_STR, OFF(breaking_label), 1,
     STRMAX(breaking_label), "BREAKING"},
    {"log", "level", KEY_LEVEL, OFF(log_level), 0, 0, "info"},
    {"kiosk", "video_drivers", KEY_STR, OFF(video_drivers), 1,
     STRMAX(video_drivers), "auto"},
    {"kiosk", "quit_key", KEY_KEYS, OFF(quit_key), 0, STRMAX(quit_key),
     "ctrl+alt+q"},
    {"kiosk", "fetch_stall_s", KEY_INT, OFF(fetch_stall_s), 2, 3600, "120"},
    {"control", "socket", KEY_STR, OFF(control_socket), 0,
     STRMAX(control_socket), "/run/newswire/control.sock"},
    {"control", "breaking_s", KEY_INT, OFF(breaking_s), 1, 86400, "300"},
    {"schedule", "mon", KEY_DAYS, OFF(schedule_days[0]), 0,
     STRMAX(schedule_days[0]), "on"},
    {"schedule", "tue", KEY_DAYS, OFF(schedule_days[1]), 0,
     STRMAX(schedule_days[1]), "on"},
    {"schedule", "wed", KEY_DAYS, OFF(schedule_days[2]), 0,
     STRMAX(schedule_days[2]), "on"},
    {"schedule", "thu", KEY_DAYS, OFF(schedule_days[3]), 0,
     STRMAX(schedule_days[3]), "on"},
    {"schedule", "fri", KEY_DAYS, OFF(schedule_days[4]), 0,
     STRMAX(schedule_days[4]), "on"},
    {"schedule", "sat", KEY_DAYS, OFF(schedule_days[5]), 0,
     STRMAX(schedule_days[5]), "on"},
    {"schedule", "sun", KEY_DAYS, OFF(schedule_days[6]), 0,
     STRMAX(schedule_days[6]), "on"},
    {"schedule", "off_command", KEY_STR, OFF(schedule_off_command), 0,
     STRMAX(schedule_off_command), ""},
    {"schedule", "on_command", KEY_STR, OFF(schedule_on_command), 0,
     STRMAX(schedule_on_command), ""},
};

/* The words each KEY_ENUM key accepts, stored as their index. */
static const struct {
    size_t offset;
    const char *choices;
} ENUM_CHOICES[] = {
    {OFF(rotation), "0|90|180|270"},
    {OFF(merge_order), "newest|round_robin"},
    {OFF(renderer), "auto|software"},
    {OFF(sync), "local|wallclock"},
    {OFF(crawl_mode), "scroll|flip"},
    {OFF(card_transition), "fade|slide|cut"},
    {OFF(theme_preset), "dark|high-contrast"},
    {OFF(bar_position), "bottom|top"},
};

static const char *
enum_choices(size_t offset)
{
    for (size_t i = 0; i < ARRAY_LEN(ENUM_CHOICES); i++) {
        if (ENUM_CHOICES[i].offset == offset)
            return ENUM_CHOICES[i].choices;
    }
    ASSERT(0);
}

/* Colours of the shipped themes, in the order of the [theme] colour keys:
 * background, headline, summary, meta, accent, bar, bar_text,
 * clock_background, warning. */
static const char *const THEME_COLORS[][9] = {
    [THEME_DARK] = {"#0e1116", "#f5f7fa", "#b8c0cc", "#8a94a3", "#e0393e",
                    "#1b2230", "#ffffff", "#2a3344", "#f2b33d"},
    [THEME_HIGH_CONTRAST] = {"#000000", "#ffffff", "#ffffff", "#ffff00",
                             "#ffff00", "#000000", "#ffffff", "#1a1a1a",
                             "#ff9f1a"},
};

/* Keys of a [feed.NAME] section are handled apart because feeds repeat:
 * url, source, format, interval_s, max_age_h, zone and the mapping keys. */
static const char *const FORMAT_NAMES[] = {
    [FEED_FORMAT_AUTO] = "auto",         [FEED_FORMAT_NEWSAPI] = "newsapi",
    [FEED_FORMAT_JSONFEED] = "jsonfeed", [FEED_FORMAT_GNEWS] = "gnews",
    [FEED_FORMAT_GUARDIAN] = "guardian", [FEED_FORMAT_NYT] = "nyt",
    [FEED_FORMAT_RSS] = "rss",           [FEED_FORMAT_ATOM] = "atom",
    [FEED_FORMAT_MAP] = "map",
};

/* Keys of a [feed.NAME] section besides the mapping keys below. */
static const char *const FEED_KEYS[] = {"url",        "source",    "format",
                                        "interval_s", "max_age_h", "zone"};

static const char *const MAP_KEYS[] = {
    [MAP_ITEMS] = "items",         [MAP_ID] = "id",
    [MAP_TITLE] = "title",         [MAP_SUMMARY] = "summary",
    [MAP_BODY] = "body",           [MAP_LINK] = "link",
    [MAP_IMAGE] = "image",         [MAP_PUBLISHER] = "publisher",
    [MAP_PUBLISHED] = "published", [MAP_PRIORITY] = "priority",
    [MAP_EXPIRES] = "expires",
};

#define MAP_ALTERNATIVES_MAX 8

bool
config_key_at(size_t i, const char **section, const char **key)
{
    if (i < ARRAY_LEN(KEYS)) {
        *section = KEYS[i].section;
        *key = KEYS[i].key;
        return true;
    }
    i -= ARRAY_LEN(KEYS);
    if (i < ARRAY_LEN(FEED_KEYS)) {
        *section = "feed";
        *key = FEED_KEYS[i];
        return true;
    }
    i -= ARRAY_LEN(FEED_KEYS);
    if (i < ARRAY_LEN(MAP_KEYS)) {
        *section = "feed";
        *key = MAP_KEYS[i];
        return true;
    }
    return false;
}

const char *
config_format_name(FeedFormat f)
{
    return (size_t)f < ARRAY_LEN(FORMAT_NAMES) ? FORMAT_NAMES[f] : "?";
}

const char *
config_map_key(MapField field)
{
    return (size_t)field < ARRAY_LEN(MAP_KEYS) ? MAP_KEYS[field] : "?";
}

bool
config_feed_has_map(const FeedConf *f)
{
    for (size_t i = 0; i < MAP_FIELD_COUNT; i++) {
        if (f->map[i][0])
            return true;
    }
    return false;
}

static int
parse_long(const char *s, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s)
        return -1;
    while (*end == ' ' || *end == '\t')
        end++;
    if (*end)
        return -1;
    *out = v;
    return 0;
}

static int
parse_bool(const char *s, bool *out)
{
    static const char *const yes[] = {"true", "yes", "on", "1"};
    static const char *const no[] = {"false", "no", "off", "0"};
    for (size_t i = 0; i < ARRAY_LEN(yes); i++) {
        if (!strcasecmp(s, yes[i])) {
            *out = true;
            return 0;
        }
        if (!strcasecmp(s, no[i])) {
            *out = false;
            return 0;
        }
    }
    return -1;
}

static int
hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int
config_parse_color(const char *s, Color *out)
{
    size_t n = strlen(s);
    if (s[0] != '#' || (n != 7 && n != 9))
        return -1;
    uint8_t v[4] = {0, 0, 0, 255};
    for (size_t i = 0; i < (n - 1) / 2; i++) {
        int hi = hexval(s[1 + 2 * i]);
        int lo = hexval(s[2 + 2 * i]);
        if (hi < 0 || lo < 0)
            return -1;
        v[i] = (uint8_t)(hi * 16 + lo);
    }
    *out = (Color){v[0], v[1], v[2], v[3]};
    return 0;
}

static int
set_key(Config *cfg, const KeyDef *k, const char *value, char *err,
        size_t errlen)
{
    char *field = (char *)cfg + k->offset;
    long v;
    bool b;
    switch (k->type) {
    case KEY_INT:
        if (parse_long(value, &v) < 0) {
            util_errf(err, errlen, "%s.%s: '%s' is not a whole number",
                      k->section, k->key, value);
            return -1;
        }
        if (v < k->min || v > k->max) {
            util_errf(err, errlen, "%s.%s: %ld is out of range (%ld to %ld)",
                      k->section, k->key, v, k->min, k->max);
            return -1;
        }
        *(int *)(void *)field = (int)v;
        return 0;
    case KEY_BOOL:
        if (parse_bool(value, &b) < 0) {
            util_errf(err, errlen,
                      "%s.%s: '%s' is not a boolean (true or false)",
                      k->section, k->key, value);
            return -1;
        }
        *(bool *)(void *)field = b;
        return 0;
    case KEY_STR:
        if ((long)strlen(value) > k->max || (long)strlen(value) < k->min) {
            util_errf(err, errlen, "%s.%s: value must be %ld to %ld bytes",
                      k->section, k->key, k->min, k->max);
            return -1;
        }
        util_strlcpy(field, value, (size_t)k->max + 1);
        return 0;
    case KEY_ENUM: {
        const char *choices = enum_choices(k->offset);
        const char *c = choices;
        for (int idx = 0; *c; idx++) {
            size_t len = strcspn(c, "|");
            if (strlen(value) == len && !strncasecmp(value, c, len)) {
                *(int *)(void *)field = idx;
                return 0;
            }
            c += len + (c[len] == '|');
        }
        Buf known;
        buf_init(&known);
        for (c = choices; *c; c++) {
            if (*c == '|')
                buf_appends(&known, ", ");
            else
                buf_append(&known, c, 1);
        }
        util_errf(err, errlen, "%s.%s: '%s' is not one of %s", k->section,
                  k->key, value, known.data);
        buf_deinit(&known);
        return -1;
    }
    case KEY_COLOR:
        if (config_parse_color(value, (Color *)(void *)field) < 0) {
            util_errf(err, errlen,
                      "%s.%s: '%s' is not a colour (#rrggbb or #rrggbbaa)",
                      k->section, k->key, value);
            return -1;
        }
        return 0;
    case KEY_LEVEL: {
        LogLevel level;
        if (!log_parse_level(value, &level)) {
            util_errf(err, errlen,
                      "%s.%s: '%s' is not one of error, warning, info, debug",
                      k->section, k->key, value);
            return -1;
        }
        *(int *)(void *)field = (int)level;
        return 0;
    }
    case KEY_KEYS:
    case KEY_DAYS: {
        char msg[200];
        KeyCombo combo;
        ScheduleDay day;
        int rc = k->type == KEY_KEYS
                     ? keycombo_parse(value, &combo, msg, sizeof(msg))
                     : schedule_parse_day(value, &day, msg, sizeof(msg));
        if (rc < 0 || (long)strlen(value) > k->max) {
            util_errf(err, errlen, "%s.%s: %s", k->section, k->key,
                      rc < 0 ? msg : "value too long");
            return -1;
        }
        util_strlcpy(field, value, (size_t)k->max + 1);
        return 0;
    }
    }
    ASSERT(0);
}

void
config_defaults(Config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    for (size_t i = 0; i < ARRAY_LEN(KEYS); i++) {
        int rc = set_key(cfg, &KEYS[i], KEYS[i].def, NULL, 0);
        ASSERT(rc == 0);
    }
}

static FeedConf *
feed_get(Config *cfg, const char *name, char *err, size_t errlen)
{
    for (size_t i = 0; i < cfg->feed_count; i++) {
        if (!strcmp(cfg->feeds[i].name, name))
            return &cfg->feeds[i];
    }
    if (!*name || strlen(name) >= CONFIG_NAME_MAX) {
        util_errf(err, errlen, "feed name must be 1 to %d bytes",
                  CONFIG_NAME_MAX - 1);
        return NULL;
    }
    if (cfg->feed_count == CONFIG_MAX_FEEDS) {
        util_errf(err, errlen, "too many feeds (at most %d)", CONFIG_MAX_FEEDS);
        return NULL;
    }
    FeedConf *f = &cfg->feeds[cfg->feed_count++];
    memset(f, 0, sizeof(*f));
    util_strlcpy(f->name, name, sizeof(f->name));
    return f;
}

static bool
url_scheme_ok(const char *url)
{
    return !strncasecmp(url, "https://", 8) ||
           !strncasecmp(url, "http://", 7) || !strncasecmp(url, "file://", 7);
}

/* Checks "/a | $/b | /c": each alternative a JSON Pointer, relative to the
 * item, or with a leading $ to the document root. */
static int
check_map_value(const char *feed, const char *key, const char *value, char *err,
                size_t errlen)
{
    size_t count = 0;
    const char *p = value;
    for (;;) {
        const char *bar = strchr(p, '|');
        const char *end = bar ? bar : p + strlen(p);
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        const char *e = end;
        while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        char why[160];
        size_t len = (size_t)(e - p);
        if (len > 0 && *p == '$') {
            p++;
            len--;
        } else if (len == 0) {
            util_errf(err, errlen,
                      "feed.%s.%s: an empty alternative in '%s' (write "
                      "/pointer | /fallback)",
                      feed, key, value);
            return -1;
        } else if (*p != '/') {
            util_errf(err, errlen,
                      "feed.%s.%s: '%.*s' is not a JSON Pointer (it must "
                      "start with / or $/)",
                      feed, key, (int)len, p);
            return -1;
        }
        if (!jsonptr_check(p, len, why, sizeof(why))) {
            util_errf(err, errlen, "feed.%s.%s: %s", feed, key, why);
            return -1;
        }
        if (++count > MAP_ALTERNATIVES_MAX) {
            util_errf(err, errlen, "feed.%s.%s: more than %d alternatives",
                      feed, key, MAP_ALTERNATIVES_MAX);
            return -1;
        }
        if (!bar)
            return 0;
        p = bar + 1;
    }
}

static int
set_map_key(FeedConf *f, MapField field, const char *value, char *err,
            size_t errlen)
{
    if (strlen(value) >= sizeof(f->map[field])) {
        util_errf(err, errlen, "feed.%s.%s: longer than %zu bytes", f->name,
                  MAP_KEYS[field], sizeof(f->map[field]) - 1);
        return -1;
    }
    if (*value &&
        check_map_value(f->name, MAP_KEYS[field], value, err, errlen) < 0)
        return -1;
    util_strlcpy(f->map[field], value, sizeof(f->map[field]));
    return 0;
}

static int
set_feed_key(Config *cfg, const char *name, const char *key, const char *value,
             char *err, size_t errlen)
{
    FeedConf *f = feed_get(cfg, name, err, errlen);
    if (!f)
        return -1;
    if (!strcmp(key, "url")) {
        if (!url_scheme_ok(value)) {
            util_errf(err, errlen,
                      "feed.%s.url: '%s' must start with https://, http:// "
                      "or file://",
                      name, value);
            return -1;
        }
        if (strlen(value) >= sizeof(f->url)) {
            util_errf(err, errlen, "feed.%s.url: longer than %zu bytes", name,
                      sizeof(f->url) - 1);
            return -1;
        }
        util_strlcpy(f->url, value, sizeof(f->url));
        return 0;
    }
    if (!strcmp(key, "source")) {
        if (strlen(value) >= sizeof(f->source)) {
            util_errf(err, errlen, "feed.%s.source: longer than %zu bytes",
                      name, sizeof(f->source) - 1);
            return -1;
        }
        util_strlcpy(f->source, value, sizeof(f->source));
        return 0;
    }
    if (!strcmp(key, "format")) {
        for (size_t i = 0; i < ARRAY_LEN(FORMAT_NAMES); i++) {
            if (!strcasecmp(value, FORMAT_NAMES[i])) {
                f->format = (FeedFormat)i;
                return 0;
            }
        }
        util_errf(err, errlen,
                  "feed.%s.format: '%s' is not one of auto, newsapi, "
                  "jsonfeed, gnews, guardian, nyt, rss, atom, map",
                  name, value);
        return -1;
    }
    if (!strcmp(key, "interval_s")) {
        long v;
        if (parse_long(value, &v) < 0 || v < 10 || v > 86400) {
            util_errf(err, errlen,
                      "feed.%s.interval_s: '%s' must be 10 to 86400", name,
                      value);
            return -1;
        }
        f->interval_s = (int)v;
        return 0;
    }
    if (!strcmp(key, "max_age_h")) {
        long v;
        if (parse_long(value, &v) < 0 || v < 0 || v > 24 * 365 * 100) {
            util_errf(err, errlen,
                      "feed.%s.max_age_h: '%s' must be 0 to 876000", name,
                      value);
            return -1;
        }
        f->max_age_h = (int)v;
        return 0;
    }
    if (!strcmp(key, "zone")) {
        int32_t off;
        if (*value && (strlen(value) >= sizeof(f->zone) ||
                       !time_zone_parse(value, &off))) {
            util_errf(err, errlen,
                      "feed.%s.zone: '%s' is not a zone (UTC, GMT, EST, "
                      "+05:30, -0800, ...)",
                      name, value);
            return -1;
        }
        util_strlcpy(f->zone, value, sizeof(f->zone));
        return 0;
    }
    for (size_t i = 0; i < ARRAY_LEN(MAP_KEYS); i++) {
        if (!strcmp(key, MAP_KEYS[i]))
            return set_map_key(f, (MapField)i, value, err, errlen);
    }
    util_errf(err, errlen,
              "unknown key '%s' in [feed.%s] (known: url, source, format, "
              "interval_s, max_age_h, zone, and the mapping keys items, id, "
              "title, summary, body, link, image, publisher, published, "
              "priority, expires)",
              key, name);
    return -1;
}

/* A preset sets every theme colour; colour keys after it refine it. */
static void
apply_theme(Config *cfg, int preset)
{
    Color *fields[] = {
        &cfg->color_background, &cfg->color_headline, &cfg->color_summary,
        &cfg->color_meta,       &cfg->color_accent,   &cfg->color_bar,
        &cfg->color_bar_text,   &cfg->color_clock_bg, &cfg->color_warning,
    };
    for (size_t i = 0; i < ARRAY_LEN(fields); i++) {
        int rc = config_parse_color(THEME_COLORS[preset][i], fields[i]);
        ASSERT(rc == 0);
    }
}

int
config_set(Config *cfg, const char *section, const char *key, const char *value,
           char *err, size_t errlen)
{
    if (!strncmp(section, "feed.", 5))
        return set_feed_key(cfg, section + 5, key, value, err, errlen);
    bool section_known = false;
    for (size_t i = 0; i < ARRAY_LEN(KEYS); i++) {
        if (strcmp(KEYS[i].section, section))
            continue;
        section_known = true;
        if (!strcmp(KEYS[i].key, key)) {
            if (set_key(cfg, &KEYS[i], value, err, errlen) < 0)
                return -1;
            if (KEYS[i].offset == OFF(theme_preset))
                apply_theme(cfg, cfg->theme_preset);
            return 0;
        }
    }
    if (section_known)
        util_errf(err, errlen, "unknown key '%s' in [%s]", key, section);
    else
        util_errf(err, errlen, "unknown section [%s] (key '%s')", section, key);
    return -1;
}

#define CONFIG_LINE_MAX 4096 /* longer lines are refused */
#define LONG_VALUE_MARK '\x01'

typedef struct ParseCtx {
    Config *cfg;
    FILE *file; /* one of file or text is the source */
    const char *text;
    int line;     /* lines handed to inih so far */
    int msg_line; /* line of the first key that was refused */
    char msg[256];
    /* inih (as packaged) cuts lines at 200 bytes, and feed URLs with keys
     * are longer: such a value is kept here and inih sees a short mark. */
    char **long_values; /* owned */
    size_t long_count;
} ParseCtx;

/* Next raw line into *line (malloc'd, without the newline); false at end. */
static bool
next_raw_line(ParseCtx *ctx, Buf *line)
{
    buf_clear(line);
    if (ctx->file) {
        int c;
        bool any = false;
        while ((c = fgetc(ctx->file)) != EOF) {
            any = true;
            if (c == '\n')
                break;
            if (line->len < CONFIG_LINE_MAX + 1) {
                char ch = (char)c;
                buf_append(line, &ch, 1);
            }
        }
        return any;
    }
    if (!*ctx->text)
        return false;
    const char *nl = strchr(ctx->text, '\n');
    size_t len = nl ? (size_t)(nl - ctx->text) : strlen(ctx->text);
    buf_append(line, ctx->text, MIN(len, (size_t)CONFIG_LINE_MAX + 1));
    ctx->text += len + (nl ? 1 : 0);
    return true;
}

static char *
trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

static bool
is_comment(const char *line)
{
    while (*line == ' ' || *line == '\t')
        line++;
    return *line == '#' || *line == ';';
}

/* inih drops " ;comment" after a value; long values get the same rule. */
static void
cut_inline_comment(char *value)
{
    for (char *p = value; *p; p++) {
        if (*p == ';' && p > value && (p[-1] == ' ' || p[-1] == '\t')) {
            *p = '\0';
            return;
        }
    }
}

/* inih's reader: hands over one line at a time, counting them. */
static char *
read_line(char *str, int num, void *stream)
{
    ParseCtx *ctx = stream;
    Buf line;
    buf_init(&line);
    if (!next_raw_line(ctx, &line)) {
        buf_deinit(&line);
        return NULL;
    }
    ctx->line++; /* inih counts a line per call too */
    char *eq = line.len ? strpbrk(line.data, "=:") : NULL;
    if (line.len > CONFIG_LINE_MAX) {
        if (!ctx->msg[0]) {
            snprintf(ctx->msg, sizeof(ctx->msg), "line longer than %d bytes",
                     CONFIG_LINE_MAX);
            ctx->msg_line = ctx->line;
        }
        str[0] = '\0';
    } else if (line.len + 2 > (size_t)num && eq && !is_comment(line.data)) {
        char *value = trim(eq + 1);
        cut_inline_comment(value);
        value = trim(value);
        size_t idx = ctx->long_count++;
        ctx->long_values =
            xrealloc(ctx->long_values, ctx->long_count * sizeof(char *));
        ctx->long_values[idx] = xstrdup(value);
        eq[1] = '\0';
        snprintf(str, (size_t)num, "%.*s %c%zu\n",
                 (int)MIN(strlen(line.data), (size_t)num - 24), line.data,
                 LONG_VALUE_MARK, idx);
    } else {
        snprintf(str, (size_t)num, "%s\n", line.data ? line.data : "");
    }
    buf_deinit(&line);
    return str;
}

static const char *
resolve_value(const ParseCtx *ctx, const char *value)
{
    if (value[0] != LONG_VALUE_MARK)
        return value;
    size_t idx = (size_t)strtoul(value + 1, NULL, 10);
    return idx < ctx->long_count ? ctx->long_values[idx] : "";
}

static int
on_ini_key(void *user, const char *section, const char *name, const char *value)
{
    ParseCtx *ctx = user;
    if (ctx->msg[0])
        return 1;
    int ok = 1;
    if (!*section) {
        snprintf(ctx->msg, sizeof(ctx->msg),
                 "key '%s' is outside any [section]", name);
        ok = 0;
    } else if (config_set(ctx->cfg, section, name, resolve_value(ctx, value),
                          ctx->msg, sizeof(ctx->msg)) < 0) {
        ok = 0;
    }
    if (!ok)
        ctx->msg_line = ctx->line;
    return ok;
}

static int
parse(ParseCtx *ctx, const char *name, char *err, size_t errlen)
{
    int rc = ini_parse_stream(read_line, ctx, on_ini_key, ctx);
    for (size_t i = 0; i < ctx->long_count; i++)
        free(ctx->long_values[i]);
    free(ctx->long_values);
    if (rc == 0 && ctx->msg[0])
        rc = ctx->msg_line;
    if (rc == 0)
        return 0;
    if (rc == -2) {
        util_errf(err, errlen, "%s: out of memory while reading", name);
    } else if (ctx->msg[0] && (ctx->msg_line <= rc || rc < 0)) {
        util_errf(err, errlen, "%s:%d: %s", name, ctx->msg_line, ctx->msg);
    } else {
        util_errf(err, errlen,
                  "%s:%d: syntax error (expected [section], key = value, "
                  "or a # comment)",
                  name, rc);
    }
    return -1;
}

int
config_load_file(Config *cfg, const char *path, char *err, size_t errlen)
{
    ParseCtx ctx = {.cfg = cfg};
    ctx.file = fopen(path, "r");
    if (!ctx.file) {
        util_errf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    int rc = parse(&ctx, path, err, errlen);
    fclose(ctx.file);
    return rc;
}

int
config_load_string(Config *cfg, const char *text, const char *name, char *err,
                   size_t errlen)
{
    ParseCtx ctx = {.cfg = cfg, .text = text};
    return parse(&ctx, name, err, errlen);
}

int
config_set_override(Config *cfg, const char *assignment, char *err,
                    size_t errlen)
{
    const char *eq = strchr(assignment, '=');
    const char *dot =
        eq ? memchr(assignment, '.', (size_t)(eq - assignment)) : NULL;
    if (!eq || !dot) {
        util_errf(err, errlen,
                  "--set %s: expected section.key=value (e.g. "
                  "crawl.speed_px_s=90)",
                  assignment);
        return -1;
    }
    /* The key is after the last dot before '=', so "feed.bbc.url" works. */
    const char *last = dot;
    for (const char *p = dot; p < eq; p++) {
        if (*p == '.')
            last = p;
    }
    char section[CONFIG_NAME_MAX + 8], key[CONFIG_NAME_MAX];
    size_t slen = (size_t)(last - assignment);
    size_t klen = (size_t)(eq - last - 1);
    if (slen >= sizeof(section) || klen >= sizeof(key) || !slen || !klen) {
        util_errf(err, errlen, "--set %s: section or key too long or empty",
                  assignment);
        return -1;
    }
    memcpy(section, assignment, slen);
    section[slen] = '\0';
    memcpy(key, last + 1, klen);
    key[klen] = '\0';
    char msg[256];
    if (config_set(cfg, section, key, eq + 1, msg, sizeof(msg)) < 0) {
        util_errf(err, errlen, "--set: %s", msg);
        return -1;
    }
    return 0;
}

int
config_add_feed_url(Config *cfg, const char *url, char *err, size_t errlen)
{
    char name[CONFIG_NAME_MAX];
    /* The first free "feedN", so a configured [feed.feed2] is not taken. */
    for (size_t n = cfg->feed_count + 1;; n++) {
        snprintf(name, sizeof(name), "feed%zu", n);
        bool taken = false;
        for (size_t i = 0; i < cfg->feed_count; i++)
            taken = taken || !strcmp(cfg->feeds[i].name, name);
        if (!taken)
            break;
    }
    char msg[256];
    if (set_feed_key(cfg, name, "url", url, msg, sizeof(msg)) < 0) {
        util_errf(err, errlen, "--feed: %s", msg);
        return -1;
    }
    return 0;
}

static int
validate_feed(const FeedConf *f, char *err, size_t errlen)
{
    if (!f->url[0]) {
        util_errf(err, errlen, "[feed.%s] has no url", f->name);
        return -1;
    }
    bool mapped = config_feed_has_map(f);
    if (f->format == FEED_FORMAT_MAP && !f->map[MAP_TITLE][0]) {
        util_errf(err, errlen,
                  "[feed.%s] has format = map but no title (e.g. title = "
                  "/headline)",
                  f->name);
        return -1;
    }
    if (mapped && f->format == FEED_FORMAT_AUTO) {
        util_errf(err, errlen,
                  "[feed.%s] has mapping keys but format = auto; set format "
                  "= map, or the preset they adjust (e.g. format = newsapi)",
                  f->name);
        return -1;
    }
    if (mapped &&
        (f->format == FEED_FORMAT_RSS || f->format == FEED_FORMAT_ATOM)) {
        util_errf(err, errlen,
                  "[feed.%s] has mapping keys, which apply to JSON feeds "
                  "only, not to format = %s",
                  f->name, config_format_name(f->format));
        return -1;
    }
    return 0;
}

/* fetch.protocols is a comma list of https and http; every http(s) feed
 * must use one of them (file:// feeds are always allowed). */
static int
validate_protocols(const Config *cfg, char *err, size_t errlen)
{
    bool https = false, http = false;
    char list[sizeof(cfg->fetch_protocols)];
    util_strlcpy(list, cfg->fetch_protocols, sizeof(list));
    char *save = NULL;
    for (char *t = strtok_r(list, ", ", &save); t;
         t = strtok_r(NULL, ", ", &save)) {
        if (!strcmp(t, "https")) {
            https = true;
        } else if (!strcmp(t, "http")) {
            http = true;
        } else {
            util_errf(err, errlen,
                      "fetch.protocols: '%s' is not https or http (file:// "
                      "feeds are always allowed)",
                      t);
            return -1;
        }
    }
    if (!https && !http) {
        util_errf(err, errlen, "fetch.protocols: name https, http or both");
        return -1;
    }
    for (size_t i = 0; i < cfg->feed_count; i++) {
        const char *url = cfg->feeds[i].url;
        if ((!strncasecmp(url, "https://", 8) && !https) ||
            (!strncasecmp(url, "http://", 7) && !http)) {
            util_errf(err, errlen,
                      "feed.%s.url: its scheme is not in fetch.protocols "
                      "(%s)",
                      cfg->feeds[i].name, cfg->fetch_protocols);
            return -1;
        }
    }
    return 0;
}

int
config_validate(const Config *cfg, char *err, size_t errlen)
{
    if (cfg->card_fade_ms * 2 > cfg->card_dwell_ms) {
        util_errf(err, errlen,
                  "cards.fade_ms (%d) must be at most half of cards.dwell_ms "
                  "(%d)",
                  cfg->card_fade_ms, cfg->card_dwell_ms);
        return -1;
    }
    if (cfg->fetch_stall_s <= cfg->fetch_timeout_s) {
        util_errf(err, errlen,
                  "kiosk.fetch_stall_s (%d) must be more than fetch.timeout_s "
                  "(%d): a transfer may take that long",
                  cfg->fetch_stall_s, cfg->fetch_timeout_s);
        return -1;
    }
    for (size_t i = 0; i < cfg->feed_count; i++) {
        if (validate_feed(&cfg->feeds[i], err, errlen) < 0)
            return -1;
    }
    return validate_protocols(cfg, err, errlen);
}
