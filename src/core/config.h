/*
 * config: the configuration model, its defaults, and the INI reader.
 *
 * Every knob lives in one table in config.c with its default, range and
 * meaning; config/newswire.conf documents the same keys for users. The
 * file is read with inih. Errors name the file, line and key
 * ("newswire.conf:12: unknown key 'speed' in [crawl]"). Overrides from the
 * command line (--set section.key=value, --feed URL) go through the same
 * setter, so they are checked the same way. Render thread only; the fetch
 * thread gets its own copy of the feed list.
 */
#ifndef CONFIG_H
#define CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONFIG_MAX_FEEDS 32
#define CONFIG_NAME_MAX 64
#define CONFIG_STR_MAX 512

typedef struct Color {
    uint8_t r, g, b, a;
} Color;

typedef enum FeedFormat {
    FEED_FORMAT_AUTO,
    FEED_FORMAT_NEWSAPI,
    FEED_FORMAT_JSONFEED,
} FeedFormat;

typedef struct FeedConf {
    char name[CONFIG_NAME_MAX];   /* from [feed.NAME] */
    char url[CONFIG_STR_MAX];     /* https://, http:// or file:// */
    char source[CONFIG_NAME_MAX]; /* label overriding the feed's own */
    FeedFormat format;
    int interval_s; /* 0: use fetch.interval_s */
} FeedConf;

typedef struct Config {
    FeedConf feeds[CONFIG_MAX_FEEDS];
    size_t feed_count;

    int fetch_interval_s;
    int fetch_timeout_s;
    int fetch_max_kb;
    int fetch_startup_delay_s; /* random start-up delay, at most this */
    int fetch_backoff_base_s;  /* first transient retry within this */
    char fetch_protocols[32];  /* "https,http", "https" or "http" */
    char fetch_ca_file[CONFIG_STR_MAX];   /* "": the system's CA bundle */
    char fetch_proxy[CONFIG_STR_MAX];     /* "": from the environment */
    char fetch_cache_dir[CONFIG_STR_MAX]; /* "": XDG default; "off" */
    char status_file[CONFIG_STR_MAX];     /* "": none */

    int width, height; /* window or headless frame size, px */
    bool fullscreen;
    bool vsync;
    int fps;            /* frame cap when vsync is off or unavailable */
    int max_texture_px; /* 0: the renderer's limit; else a lower cap */
    char
        font_regular[CONFIG_STR_MAX]; /* relative to the data dir or absolute */
    char font_bold[CONFIG_STR_MAX];

    int crawl_speed_px_s;
    bool crawl_show_source;
    char crawl_separator[CONFIG_NAME_MAX];
    char bar_label[CONFIG_NAME_MAX];

    int card_dwell_ms;
    int card_fade_ms;
    bool card_show_summary;

    bool clock_show;
    char clock_format[CONFIG_NAME_MAX]; /* strftime format */

    int max_age_h; /* 0: keep stories of any age */
    int max_stories;

    Color color_background;
    Color color_headline;
    Color color_summary;
    Color color_meta;
    Color color_accent;
    Color color_bar;
    Color color_bar_text;
    Color color_clock_bg;
    Color color_warning;
} Config;

/* Fills cfg with the documented defaults (no feeds). */
void config_defaults(Config *cfg);

/* Reads an INI file on top of cfg. On error returns -1 and writes
 * "FILE:LINE: message" into err. A missing file is an error too. */
int config_load_file(Config *cfg, const char *path, char *err, size_t errlen);
/* Same for a string already in memory; name is used in messages. */
int config_load_string(Config *cfg, const char *text, const char *name,
                       char *err, size_t errlen);

/* Sets one key. section "feed.NAME" creates that feed on first use.
 * Returns -1 with a message (without file:line) in err on failure. */
int config_set(Config *cfg, const char *section, const char *key,
               const char *value, char *err, size_t errlen);
/* "section.key=value" as given to --set. */
int config_set_override(Config *cfg, const char *assignment, char *err,
                        size_t errlen);
/* Adds a feed for --feed URL, named "feedN". */
int config_add_feed_url(Config *cfg, const char *url, char *err, size_t errlen);
/* Cross-key checks after everything is loaded (e.g. a feed without url). */
int config_validate(const Config *cfg, char *err, size_t errlen);

int config_parse_color(const char *s, Color *out);
const char *config_format_name(FeedFormat f);

#endif
