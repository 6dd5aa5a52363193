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

#include "schedule.h"

#define CONFIG_MAX_FEEDS 32
#define CONFIG_NAME_MAX 64
#define CONFIG_STR_MAX 512

typedef struct Color {
    uint8_t r, g, b, a;
} Color;

#define CONFIG_MAP_MAX 256 /* one mapping value: pointers with fallbacks */
#define CONFIG_ZONE_MAX 16

typedef enum FeedFormat {
    FEED_FORMAT_AUTO,
    FEED_FORMAT_NEWSAPI,
    FEED_FORMAT_JSONFEED,
    FEED_FORMAT_GNEWS,
    FEED_FORMAT_GUARDIAN,
    FEED_FORMAT_NYT,
    FEED_FORMAT_RSS, /* RSS 0.9x, 1.0 (RDF) and 2.0 */
    FEED_FORMAT_ATOM,
    FEED_FORMAT_MAP, /* any JSON, read through the feed's own mapping */
    FEED_FORMAT_COUNT
} FeedFormat;

/* Story fields a mapping can point at; the config keys of the same names
 * (see config_map_key) hold "/pointer | /fallback" lists. */
typedef enum MapField {
    MAP_ITEMS, /* the array (or object) of items, from the document root */
    MAP_ID,
    MAP_TITLE,
    MAP_SUMMARY,
    MAP_BODY, /* full text, for the reading time only */
    MAP_LINK,
    MAP_IMAGE,
    MAP_PUBLISHER,
    MAP_PUBLISHED,
    MAP_PRIORITY,
    MAP_EXPIRES,
    MAP_FIELD_COUNT
} MapField;

typedef enum MergeOrder { MERGE_NEWEST, MERGE_ROUND_ROBIN } MergeOrder;

typedef struct FeedConf {
    char name[CONFIG_NAME_MAX];   /* from [feed.NAME] */
    char url[CONFIG_STR_MAX];     /* https://, http:// or file:// */
    char source[CONFIG_NAME_MAX]; /* label overriding the feed's own */
    FeedFormat format;
    int interval_s;             /* 0: use fetch.interval_s */
    int max_age_h;              /* 0: filter.max_age_h */
    char zone[CONFIG_ZONE_MAX]; /* zone of dates that carry none; "": UTC */
    /* Mapping: "" where not set. Checked for pointer syntax when set. */
    char map[MAP_FIELD_COUNT][CONFIG_MAP_MAX];
} FeedConf;

typedef enum Transition {
    TRANSITION_FADE,
    TRANSITION_SLIDE,
    TRANSITION_CUT
} Transition;
typedef enum CrawlMode { CRAWL_SCROLL, CRAWL_FLIP } CrawlMode;
typedef enum SyncMode { SYNC_LOCAL, SYNC_WALLCLOCK } SyncMode;
typedef enum BarPosition { BAR_BOTTOM, BAR_TOP } BarPosition;
typedef enum RendererChoice { RENDERER_AUTO, RENDERER_SOFTWARE } RendererChoice;
typedef enum ThemePreset { THEME_DARK, THEME_HIGH_CONTRAST } ThemePreset;

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
    int rotation;       /* quarter turns clockwise: 0..3 */
    int renderer;       /* RendererChoice */
    bool damage;        /* CPU drawing redraws only what changed */
    int safe_area_pct;  /* margin kept clear on every edge (overscan) */
    int text_scale_pct; /* all text sizes, relative to the design */
    int sync;           /* SyncMode */
    char
        font_regular[CONFIG_STR_MAX]; /* relative to the data dir or absolute */
    char font_bold[CONFIG_STR_MAX];

    int crawl_speed_px_s;
    int crawl_speed_cps; /* characters per second; 0: use speed_px_s */
    int crawl_mode;      /* CrawlMode */
    int crawl_flip_ms;   /* per headline in flip mode */
    bool crawl_show_source;
    char crawl_separator[CONFIG_NAME_MAX];
    char bar_label[CONFIG_NAME_MAX];

    int card_dwell_ms;     /* the shortest a card stays */
    int card_dwell_max_ms; /* the longest, however much text */
    int card_ms_per_char;  /* added per character of headline + summary */
    int card_transition;   /* Transition */
    int card_fade_ms;
    bool card_show_summary;

    bool clock_show;
    char clock_format[CONFIG_NAME_MAX]; /* strftime format */

    int max_age_h; /* 0: keep stories of any age */
    int max_stories;
    int merge_order;                   /* MergeOrder */
    char filter_block[CONFIG_STR_MAX]; /* comma-separated keywords */
    char filter_allow[CONFIG_STR_MAX];

    int theme_preset; /* ThemePreset; setting it resets the colours */
    int bar_position; /* BarPosition */
    int bar_height;   /* px at the 1280x720 design size */

    int breaking_window_min; /* a priority story counts as breaking this
                                long after publication, if it has no expiry */
    char breaking_label[CONFIG_NAME_MAX];

    Color color_background;
    Color color_headline;
    Color color_summary;
    Color color_meta;
    Color color_accent;
    Color color_bar;
    Color color_bar_text;
    Color color_clock_bg;
    Color color_warning;

    /* [log], [kiosk], [control], [schedule]: running unattended */
    int log_level;                       /* LogLevel */
    char video_drivers[CONFIG_NAME_MAX]; /* "auto" or SDL names, a,b,c */
    char quit_key[CONFIG_NAME_MAX];      /* kiosk mode; "" none */
    int fetch_stall_s;                   /* watchdog: fetch thread hung */
    char control_socket[108];            /* sun_path size; "" disables */
    int breaking_s;                      /* banner default duration */
    char schedule_days[SCHEDULE_DAYS][SCHEDULE_SPEC_MAX]; /* Monday first */
    char schedule_off_command[CONFIG_STR_MAX];
    char schedule_on_command[CONFIG_STR_MAX];
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

/* The i-th key of the defaults table (for documentation checks); false
 * past the end. [feed.NAME] keys are listed with section "feed". */
bool config_key_at(size_t i, const char **section, const char **key);

int config_parse_color(const char *s, Color *out);
const char *config_format_name(FeedFormat f);
/* The [feed.NAME] key of a mapping field ("items", "title", ...). */
const char *config_map_key(MapField field);
/* True when the feed sets any mapping key other than items. */
bool config_feed_has_map(const FeedConf *f);

#endif
