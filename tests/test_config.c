/*
 * test_config: defaults, every key type, the INI reader's FILE:LINE
 * messages, [feed.NAME] sections, --set and --feed overrides, and the
 * shipped example config/newswire.conf against the defaults table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "unittools.h"
#include "util.h"

#define NAME "t.conf"
#define EXAMPLE_PATH "config/newswire.conf"
#define SYNTAX_MSG                                                             \
    "syntax error (expected [section], key = value, or a # comment)"

/* Config is ~110 KB: keep it off the test's stack. */
static Config *
new_defaults(void)
{
    Config *cfg = xmalloc(sizeof(*cfg));
    config_defaults(cfg);
    return cfg;
}

/* Loads text over the defaults and expects success. */
static Config *
load_ok(const char *text)
{
    Config *cfg = new_defaults();
    char err[512] = "";
    int rc = config_load_string(cfg, text, NAME, err, sizeof(err));
    if (rc != 0)
        fail_msg("load failed: %s", err);
    return cfg;
}

/* Loads text over the defaults and expects exactly the message want. */
static void
expect_error(const char *text, const char *want)
{
    Config *cfg = new_defaults();
    char err[512] = "";
    int rc = config_load_string(cfg, text, NAME, err, sizeof(err));
    if (rc != -1 || strcmp(err, want) != 0) {
        fail_msg("rc=%d err \"%s\", want -1 \"%s\" (input \"%.80s\")", rc, err,
                 want, text);
    }
    free(cfg);
}

/* config_set directly: the message carries no file:line. */
static void
expect_set_error(const char *section, const char *key, const char *value,
                 const char *want)
{
    Config *cfg = new_defaults();
    char err[512] = "";
    int rc = config_set(cfg, section, key, value, err, sizeof(err));
    if (rc != -1 || strcmp(err, want) != 0) {
        fail_msg("%s.%s=%s: rc=%d err \"%s\", want \"%s\"", section, key, value,
                 rc, err, want);
    }
    free(cfg);
}

static char *
repeat_char(char c, size_t n)
{
    char *s = xmalloc(n + 1);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

/* Writes text to a new temporary file; caller unlinks and frees the path. */
static char *
write_temp(const char *text)
{
    char *path = xstrdup("/tmp/newswire-test-config-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    size_t len = strlen(text);
    assert_int_equal(write(fd, text, len), (ssize_t)len);
    assert_int_equal(close(fd), 0);
    return path;
}

static void
assert_color(Color c, uint8_t r, uint8_t g, uint8_t b, uint8_t a)
{
    if (c.r != r || c.g != g || c.b != b || c.a != a) {
        fail_msg("colour %02x%02x%02x%02x, want %02x%02x%02x%02x", c.r, c.g,
                 c.b, c.a, r, g, b, a);
    }
}

static void
test_defaults(void **state)
{
    (void)state;
    Config *cfg = xmalloc(sizeof(*cfg));
    memset(cfg, 0xA5, sizeof(*cfg)); /* defaults must overwrite garbage */
    config_defaults(cfg);
    assert_int_equal(cfg->feed_count, 0);
    assert_int_equal(cfg->fetch_interval_s, 300);
    assert_int_equal(cfg->fetch_timeout_s, 20);
    assert_int_equal(cfg->fetch_max_kb, 8192);
    assert_int_equal(cfg->width, 1280);
    assert_int_equal(cfg->height, 720);
    assert_false(cfg->fullscreen);
    assert_true(cfg->vsync);
    assert_int_equal(cfg->fps, 60);
    assert_int_equal(cfg->max_texture_px, 0);
    assert_string_equal(cfg->font_regular, "fonts/DejaVuSans.ttf");
    assert_string_equal(cfg->font_bold, "fonts/DejaVuSans-Bold.ttf");
    assert_int_equal(cfg->crawl_speed_px_s, 120);
    assert_true(cfg->crawl_show_source);
    assert_string_equal(cfg->crawl_separator, "\xe2\x80\xa2");
    assert_string_equal(cfg->bar_label, "NEWS");
    assert_int_equal(cfg->card_dwell_ms, 8000);
    assert_int_equal(cfg->card_fade_ms, 600);
    assert_true(cfg->card_show_summary);
    assert_true(cfg->clock_show);
    assert_string_equal(cfg->clock_format, "%H:%M");
    assert_int_equal(cfg->max_age_h, 0);
    assert_int_equal(cfg->max_stories, 100);
    assert_color(cfg->color_background, 0x0e, 0x11, 0x16, 0xff);
    assert_color(cfg->color_headline, 0xf5, 0xf7, 0xfa, 0xff);
    assert_color(cfg->color_summary, 0xb8, 0xc0, 0xcc, 0xff);
    assert_color(cfg->color_meta, 0x8a, 0x94, 0xa3, 0xff);
    assert_color(cfg->color_accent, 0xe0, 0x39, 0x3e, 0xff);
    assert_color(cfg->color_bar, 0x1b, 0x22, 0x30, 0xff);
    assert_color(cfg->color_bar_text, 0xff, 0xff, 0xff, 0xff);
    assert_color(cfg->color_clock_bg, 0x2a, 0x33, 0x44, 0xff);
    assert_color(cfg->color_warning, 0xf2, 0xb3, 0x3d, 0xff);
    char err[128];
    assert_int_equal(config_validate(cfg, err, sizeof(err)), 0);
    free(cfg);
}

static void
test_int_keys(void **state)
{
    (void)state;
    Config *cfg = load_ok("[crawl]\nspeed_px_s = 90\n"
                          "[fetch]\ninterval_s=10\ntimeout_s = 300\n"
                          "[filter]\nmax_age_h = 876000\nmax_stories = 1\n"
                          "[display]\nmax_texture = 2048\n");
    assert_int_equal(cfg->crawl_speed_px_s, 90);
    assert_int_equal(cfg->fetch_interval_s, 10);
    assert_int_equal(cfg->fetch_timeout_s, 300);
    assert_int_equal(cfg->max_age_h, 876000);
    assert_int_equal(cfg->max_stories, 1);
    assert_int_equal(cfg->max_texture_px, 2048);
    free(cfg);

    cfg = load_ok("[crawl]\nspeed_px_s = 0\n");
    assert_int_equal(cfg->crawl_speed_px_s, 0);
    free(cfg);

    /* The message names the key, the value and the range. */
    expect_error("[crawl]\nspeed_px_s = 2001\n",
                 NAME ":2: crawl.speed_px_s: 2001 is out of range (0 to 2000)");
    expect_error("[crawl]\nspeed_px_s = -1\n",
                 NAME ":2: crawl.speed_px_s: -1 is out of range (0 to 2000)");
    expect_error("[fetch]\ninterval_s = 9\n",
                 NAME ":2: fetch.interval_s: 9 is out of range (10 to 86400)");
    expect_error("\n[cards]\ndwell_ms = 600001\n",
                 NAME ":3: cards.dwell_ms: 600001 is out of range "
                      "(1000 to 600000)");
    expect_error("[filter]\nmax_stories = 0\n",
                 NAME ":2: filter.max_stories: 0 is out of range (1 to 1000)");
    expect_error("[display]\nfps = fast\n",
                 NAME ":2: display.fps: 'fast' is not a whole number");
    expect_error("[display]\nfps = 60fps\n",
                 NAME ":2: display.fps: '60fps' is not a whole number");
    expect_error("[display]\nfps = 6.5\n",
                 NAME ":2: display.fps: '6.5' is not a whole number");
    expect_error("[display]\nfps =\n",
                 NAME ":2: display.fps: '' is not a whole number");
    /* Does not fit a long: not wrapped into range. */
    expect_error("[display]\nwidth = 99999999999999999999999\n",
                 NAME ":2: display.width: '99999999999999999999999' is not a "
                      "whole number");
    /* Larger than an int but a valid long: the range check catches it. */
    expect_error("[display]\nwidth = 4294968576\n",
                 NAME ":2: display.width: 4294968576 is out of range "
                      "(160 to 16384)");

    /* A refused value leaves the old one in place. */
    cfg = new_defaults();
    char err[256];
    assert_int_equal(
        config_set(cfg, "crawl", "speed_px_s", "5000", err, sizeof(err)), -1);
    assert_string_equal(err,
                        "crawl.speed_px_s: 5000 is out of range (0 to 2000)");
    assert_int_equal(cfg->crawl_speed_px_s, 120);
    assert_int_equal(
        config_set(cfg, "crawl", "speed_px_s", "2000", err, sizeof(err)), 0);
    assert_int_equal(cfg->crawl_speed_px_s, 2000);
    free(cfg);
}

static void
test_bool_keys(void **state)
{
    (void)state;
    static const char *const yes[] = {"true", "yes", "on", "1",
                                      "TRUE", "Yes", "On"};
    static const char *const no[] = {"false", "no", "off", "0",
                                     "FALSE", "No", "OFF"};
    char err[256];
    Config *cfg = new_defaults();
    for (size_t i = 0; i < ARRAY_LEN(yes); i++) {
        cfg->fullscreen = false;
        if (config_set(cfg, "display", "fullscreen", yes[i], err,
                       sizeof(err)) != 0 ||
            !cfg->fullscreen) {
            fail_msg("'%s' should read as true", yes[i]);
        }
    }
    for (size_t i = 0; i < ARRAY_LEN(no); i++) {
        cfg->vsync = true;
        if (config_set(cfg, "display", "vsync", no[i], err, sizeof(err)) != 0 ||
            cfg->vsync) {
            fail_msg("'%s' should read as false", no[i]);
        }
    }
    free(cfg);

    cfg = load_ok("[clock]\nshow = no\n[cards]\nshow_summary = off\n");
    assert_false(cfg->clock_show);
    assert_false(cfg->card_show_summary);
    free(cfg);

    expect_error("[display]\nvsync = maybe\n",
                 NAME ":2: display.vsync: 'maybe' is not a boolean "
                      "(true or false)");
    expect_set_error("clock", "show", "2",
                     "clock.show: '2' is not a boolean (true or false)");
    expect_set_error("clock", "show", "",
                     "clock.show: '' is not a boolean (true or false)");
    expect_set_error("clock", "show", "truee",
                     "clock.show: 'truee' is not a boolean (true or false)");
}

static void
test_colors(void **state)
{
    (void)state;
    Color c = {1, 2, 3, 4};
    assert_int_equal(config_parse_color("#0e1116", &c), 0);
    assert_color(c, 0x0e, 0x11, 0x16, 0xff);
    assert_int_equal(config_parse_color("#FFFFFF80", &c), 0);
    assert_color(c, 0xff, 0xff, 0xff, 0x80);
    assert_int_equal(config_parse_color("#aBcDeF00", &c), 0);
    assert_color(c, 0xab, 0xcd, 0xef, 0x00);
    assert_int_equal(config_parse_color("#000000", &c), 0);
    assert_color(c, 0, 0, 0, 0xff);

    static const char *const bad[] = {
        "",           "#",       "0e1116",   "#0e111",  "#0e11160",
        "#0e111600a", "#0e11g6", "#gg0000",  "red",     "#0e1116 ",
        " #0e1116",   "#0x1116", "##0e1116", "#-1-1-1", "#0e1116aG",
    };
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        if (config_parse_color(bad[i], &c) != -1)
            fail_msg("\"%s\" accepted as a colour", bad[i]);
    }

    Config *cfg = load_ok("[theme]\nbar = #102030\naccent = #A0B0C0D0\n");
    assert_color(cfg->color_bar, 0x10, 0x20, 0x30, 0xff);
    assert_color(cfg->color_accent, 0xa0, 0xb0, 0xc0, 0xd0);
    free(cfg);

    expect_error("[theme]\nbar = red\n",
                 NAME ":2: theme.bar: 'red' is not a colour "
                      "(#rrggbb or #rrggbbaa)");
    expect_error("[theme]\n\nwarning = #12345\n",
                 NAME ":3: theme.warning: '#12345' is not a colour "
                      "(#rrggbb or #rrggbbaa)");
    expect_error("[theme]\nheadline = #1234567g\n",
                 NAME ":2: theme.headline: '#1234567g' is not a colour "
                      "(#rrggbb or #rrggbbaa)");
}

static void
test_string_keys(void **state)
{
    (void)state;
    Config *cfg = load_ok("[crawl]\nlabel =\nseparator = |\n"
                          "[clock]\nformat = %H:%M:%S\n");
    assert_string_equal(cfg->bar_label, "");
    assert_string_equal(cfg->crawl_separator, "|");
    assert_string_equal(cfg->clock_format, "%H:%M:%S");
    free(cfg);

    /* crawl.label holds 63 bytes; 64 is refused, not cut. */
    char *max = repeat_char('L', 63);
    char *over = repeat_char('L', 64);
    char err[256];
    cfg = new_defaults();
    assert_int_equal(config_set(cfg, "crawl", "label", max, err, sizeof(err)),
                     0);
    assert_string_equal(cfg->bar_label, max);
    assert_int_equal(config_set(cfg, "crawl", "label", over, err, sizeof(err)),
                     -1);
    assert_string_equal(err, "crawl.label: value must be 0 to 63 bytes");
    assert_string_equal(cfg->bar_label, max);
    free(cfg);
    free(max);
    free(over);

    expect_error("[display]\nfont_regular =\n",
                 NAME ":2: display.font_regular: value must be 1 to 511 "
                      "bytes");
    expect_error("[clock]\nformat =\n",
                 NAME ":2: clock.format: value must be 1 to 63 bytes");

    /* A 511-byte path goes in whole through the file reader; 512 fails. */
    char *path = repeat_char('p', 511);
    char *text = xasprintf("[display]\nfont_bold = /%s\n", path + 1);
    cfg = load_ok(text);
    assert_int_equal(strlen(cfg->font_bold), 511);
    assert_int_equal(cfg->font_bold[0], '/');
    assert_memory_equal(cfg->font_bold + 1, path + 1, 510);
    free(cfg);
    free(text);
    text = xasprintf("[display]\nfont_bold = /%s\n", path);
    expect_error(text, NAME ":2: display.font_bold: value must be 1 to 511 "
                            "bytes");
    free(text);
    free(path);
}

static void
test_unknown_key_and_section(void **state)
{
    (void)state;
    expect_error("[crawl]\nspeed = 90\n",
                 NAME ":2: unknown key 'speed' in [crawl]");
    expect_error("# comment\n\n[crawl]\nspeed_px_s = 90\n\n[bogus]\nx = 1\n",
                 NAME ":7: unknown section [bogus] (key 'x')");
    /* Section and key names are case-sensitive. */
    expect_error("[Crawl]\nspeed_px_s = 90\n",
                 NAME ":2: unknown section [Crawl] (key 'speed_px_s')");
    expect_error("[crawl]\nSpeed_px_s = 90\n",
                 NAME ":2: unknown key 'Speed_px_s' in [crawl]");
    /* The name given is the one in the message. */
    Config *cfg = new_defaults();
    char err[256];
    assert_int_equal(
        config_load_string(cfg, "[x]\ny = 1\n", "other.ini", err, sizeof(err)),
        -1);
    assert_string_equal(err, "other.ini:2: unknown section [x] (key 'y')");
    free(cfg);
}

static void
test_load_file(void **state)
{
    (void)state;
    char *path = write_temp("# newswire\n[crawl]\nspeed_px_s = 75\n"
                            "\n[theme]\nbar = #010203\n"
                            "[feed.a]\nurl = file:///srv/a.json\n");
    Config *cfg = new_defaults();
    char err[512] = "";
    int rc = config_load_file(cfg, path, err, sizeof(err));
    if (rc != 0)
        fail_msg("load %s: %s", path, err);
    assert_int_equal(cfg->crawl_speed_px_s, 75);
    assert_color(cfg->color_bar, 1, 2, 3, 0xff);
    assert_int_equal(cfg->feed_count, 1);
    assert_string_equal(cfg->feeds[0].url, "file:///srv/a.json");
    free(cfg);
    unlink(path);
    free(path);

    /* Errors carry the path and the exact line, CRLF files included. */
    path = write_temp("[crawl]\r\nspeed_px_s = 75\r\n\r\n[cards]\r\n"
                      "fade = 100\r\n");
    cfg = new_defaults();
    assert_int_equal(config_load_file(cfg, path, err, sizeof(err)), -1);
    char *want = xasprintf("%s:5: unknown key 'fade' in [cards]", path);
    assert_string_equal(err, want);
    assert_int_equal(cfg->crawl_speed_px_s, 75);
    free(want);
    free(cfg);
    unlink(path);
    free(path);

    path = write_temp("[display]\nwidth = 640\n[nowhere]\nkey = v\n");
    cfg = new_defaults();
    assert_int_equal(config_load_file(cfg, path, err, sizeof(err)), -1);
    want = xasprintf("%s:4: unknown section [nowhere] (key 'key')", path);
    assert_string_equal(err, want);
    free(want);
    free(cfg);
    unlink(path);
    free(path);

    /* A missing file is an error that names it. */
    cfg = new_defaults();
    const char *missing = "/tmp/newswire-test-no-such-dir/none.conf";
    assert_int_equal(config_load_file(cfg, missing, err, sizeof(err)), -1);
    assert_string_equal(err, "/tmp/newswire-test-no-such-dir/none.conf: "
                             "cannot open: No such file or directory");
    free(cfg);
}

static void
test_syntax_errors(void **state)
{
    (void)state;
    expect_error("[crawl]\nspeed_px_s 90\n", NAME ":2: " SYNTAX_MSG);
    expect_error("# ok\n[crawl\nspeed_px_s = 90\n", NAME ":2: " SYNTAX_MSG);
    expect_error("[crawl]\nspeed_px_s = 90\n\n\njust words\n",
                 NAME ":5: " SYNTAX_MSG);
}

static void
test_key_outside_section(void **state)
{
    (void)state;
    expect_error("speed_px_s = 90\n[crawl]\n",
                 NAME ":1: key 'speed_px_s' is outside any [section]");
    expect_error("# header\n\nwidth = 640\n",
                 NAME ":3: key 'width' is outside any [section]");
}

static void
test_first_error_wins(void **state)
{
    (void)state;
    /* A key error, then a syntax error, then another key error. */
    expect_error("[crawl]\nspeed_px_s = 90\nspeed_px_s = 5000\nbad line\n"
                 "[nope]\nx = 1\n",
                 NAME ":3: crawl.speed_px_s: 5000 is out of range "
                      "(0 to 2000)");
    /* A syntax error first, then a key error. */
    expect_error("[crawl]\nbad line\nspeed_px_s = 5000\n",
                 NAME ":2: " SYNTAX_MSG);
    /* Two key errors: the first one's line and message. */
    expect_error("[cards]\ndwell_ms = 1\nfade_ms = 99999\n",
                 NAME ":2: cards.dwell_ms: 1 is out of range "
                      "(1000 to 600000)");
    /* Two syntax errors. */
    expect_error("[crawl]\n\nbad one\nbad two\n", NAME ":3: " SYNTAX_MSG);
}

static void
check_long_url(size_t query_len)
{
    Buf url;
    buf_init(&url);
    buf_appends(&url, "https://newsapi.org/v2/top-headlines?country=gb&q=");
    for (size_t i = 0; url.len < 50 + query_len; i++)
        buf_appendf(&url, "%c", "abcdefghij0123456789%26x=y"[i % 26]);
    char *text = xasprintf("[feed.news]\nurl = %s\nformat = newsapi\n"
                           "[crawl]\nspeed_px_s = 91\n",
                           url.data);
    Config *cfg = load_ok(text);
    assert_int_equal(cfg->feed_count, 1);
    if (strcmp(cfg->feeds[0].url, url.data) != 0) {
        fail_msg("url of %zu bytes read as %zu bytes: \"%s\"", url.len,
                 strlen(cfg->feeds[0].url), cfg->feeds[0].url);
    }
    assert_int_equal(cfg->feeds[0].format, FEED_FORMAT_NEWSAPI);
    assert_int_equal(cfg->crawl_speed_px_s, 91);
    free(cfg);
    free(text);
    buf_deinit(&url);
}

static void
test_long_values(void **state)
{
    (void)state;
    /* A feed URL with a 400-byte query string, through both readers. */
    char *query = repeat_char('k', 400);
    char *url = xasprintf("https://newsapi.org/v2/everything?q=%s", query);
    char *text = xasprintf("[feed.everything]\r\nurl = %s\r\n"
                           "source = Wire\r\n",
                           url);
    Config *cfg = load_ok(text);
    assert_int_equal(cfg->feed_count, 1);
    assert_string_equal(cfg->feeds[0].url, url);
    assert_string_equal(cfg->feeds[0].source, "Wire");
    free(cfg);

    char *path = write_temp(text);
    cfg = new_defaults();
    char err[512] = "";
    if (config_load_file(cfg, path, err, sizeof(err)) != 0)
        fail_msg("load %s: %s", path, err);
    assert_int_equal(cfg->feed_count, 1);
    assert_string_equal(cfg->feeds[0].url, url);
    assert_string_equal(cfg->feeds[0].source, "Wire");
    free(cfg);
    unlink(path);
    free(path);
    free(text);

    /* Line numbers after long lines stay exact. */
    text = xasprintf("[feed.a]\nurl = %s\n[feed.b]\nurl = %s\n"
                     "[crawl]\nspeed = 1\n",
                     url, url);
    expect_error(text, NAME ":6: unknown key 'speed' in [crawl]");
    free(text);

    /* Every length around inih's 200-byte line limit. */
    for (size_t n = 100; n <= 460; n++)
        check_long_url(n);

    /* A long value that is wrong is still reported on its own line. */
    text = xasprintf("[feed.a]\n\nurl = gopher://%s\n", query);
    Config *c2 = new_defaults();
    assert_int_equal(config_load_string(c2, text, NAME, err, sizeof(err)), -1);
    assert_true(strncmp(err, NAME ":3: feed.a.url: 'gopher://kkk",
                        strlen(NAME ":3: feed.a.url: 'gopher://kkk")) == 0);
    free(c2);
    free(text);
    free(url);
    free(query);
}

/* Long lines that are only comments must not use up the room for long
 * values: a later long URL is read whole, or the load fails; it is never
 * cut silently. */
static void
test_long_value_after_long_comments(void **state)
{
    (void)state;
    Buf text;
    buf_init(&text);
    char *pad = repeat_char('c', 240);
    for (int i = 0; i < 200; i++)
        buf_appendf(&text, "# note %d: %s\n", i, pad);
    char *query = repeat_char('q', 300);
    char *url = xasprintf("https://example.com/feed?%s", query);
    buf_appendf(&text, "[feed.a]\nurl = %s\n", url);
    Config *cfg = new_defaults();
    char err[512] = "";
    int rc = config_load_string(cfg, text.data, NAME, err, sizeof(err));
    size_t want_len = strlen(url);
    size_t got_len = cfg->feed_count ? strlen(cfg->feeds[0].url) : 0;
    bool whole = cfg->feed_count == 1 && !strcmp(cfg->feeds[0].url, url);
    /* Freed first so that a failure leaks nothing under `make san`. */
    free(cfg);
    free(url);
    free(query);
    free(pad);
    buf_deinit(&text);
    if (rc != 0) {
        assert_int_equal(rc, -1);
        assert_true(strncmp(err, NAME ":", strlen(NAME ":")) == 0);
    } else if (!whole) {
        fail_msg("url of %zu bytes silently read as %zu bytes", want_len,
                 got_len);
    }
}

/* A line means the same whatever its length: inih's inline "; comment"
 * rule must apply to long values as it does to short ones (or to
 * neither). */
static void
test_long_value_inline_comment(void **state)
{
    (void)state;
    char *path = repeat_char('q', 250);
    static const char *const tails[] = {"abc", NULL};
    bool kept[2];
    for (int i = 0; i < 2; i++) {
        const char *tail = tails[i] ? tails[i] : path;
        char *text = xasprintf("[feed.a]\nurl = https://x/%s ;note\n", tail);
        Config *cfg = load_ok(text);
        kept[i] = strstr(cfg->feeds[0].url, ";note") != NULL;
        free(cfg);
        free(text);
    }
    free(path);
    if (kept[0] != kept[1]) {
        fail_msg("\" ;note\" after a value is %s for a short line but %s "
                 "for a long one",
                 kept[0] ? "kept" : "dropped", kept[1] ? "kept" : "dropped");
    }
}

static void
test_line_too_long(void **state)
{
    (void)state;
    /* 4096 bytes is the longest line read. */
    char *line = repeat_char('x', 4096);
    line[0] = '#';
    char *text = xasprintf("[crawl]\n%s\nspeed_px_s = 33\n", line);
    Config *cfg = load_ok(text);
    assert_int_equal(cfg->crawl_speed_px_s, 33);
    free(cfg);
    free(text);
    free(line);

    line = repeat_char('x', 4097);
    line[0] = '#';
    text = xasprintf("[crawl]\nspeed_px_s = 33\n%s\nspeed_px_s = 44\n", line);
    expect_error(text, NAME ":3: line longer than 4096 bytes");

    char *path = write_temp(text);
    cfg = new_defaults();
    char err[512];
    assert_int_equal(config_load_file(cfg, path, err, sizeof(err)), -1);
    char *want = xasprintf("%s:3: line longer than 4096 bytes", path);
    assert_string_equal(err, want);
    free(want);
    free(cfg);
    unlink(path);
    free(path);
    free(text);
    free(line);

    /* A long key = value line is refused too, not cut. */
    char *value = repeat_char('v', 6000);
    text = xasprintf("[feed.a]\nurl = https://x/%s\n", value);
    expect_error(text, NAME ":2: line longer than 4096 bytes");
    free(text);
    free(value);
}

static void
test_feed_sections(void **state)
{
    (void)state;
    Config *cfg = load_ok("[feed.bbc]\n"
                          "url = https://feeds.example.com/bbc.json\n"
                          "source = BBC News\n"
                          "format = newsapi\n"
                          "interval_s = 600\n"
                          "[feed.local]\n"
                          "url = file:///srv/news/local.json\n"
                          "format = JSONFEED\n"
                          "[feed.plain]\n"
                          "url = HTTP://example.com/feed\n"
                          "format = auto\n"
                          "interval_s = 10\n"
                          "[feed.bbc]\n"
                          "interval_s = 86400\n");
    assert_int_equal(cfg->feed_count, 3);
    const FeedConf *f = &cfg->feeds[0];
    assert_string_equal(f->name, "bbc");
    assert_string_equal(f->url, "https://feeds.example.com/bbc.json");
    assert_string_equal(f->source, "BBC News");
    assert_int_equal(f->format, FEED_FORMAT_NEWSAPI);
    assert_int_equal(f->interval_s, 86400); /* second [feed.bbc] updates */
    f = &cfg->feeds[1];
    assert_string_equal(f->name, "local");
    assert_string_equal(f->url, "file:///srv/news/local.json");
    assert_string_equal(f->source, "");
    assert_int_equal(f->format, FEED_FORMAT_JSONFEED);
    assert_int_equal(f->interval_s, 0);
    f = &cfg->feeds[2];
    assert_string_equal(f->name, "plain");
    assert_string_equal(f->url, "HTTP://example.com/feed");
    assert_int_equal(f->format, FEED_FORMAT_AUTO);
    assert_int_equal(f->interval_s, 10);
    char err[256];
    assert_int_equal(config_validate(cfg, err, sizeof(err)), 0);
    free(cfg);

    assert_string_equal(config_format_name(FEED_FORMAT_AUTO), "auto");
    assert_string_equal(config_format_name(FEED_FORMAT_NEWSAPI), "newsapi");
    assert_string_equal(config_format_name(FEED_FORMAT_JSONFEED), "jsonfeed");
    assert_string_equal(config_format_name((FeedFormat)99), "?");

    expect_error("[feed.bbc]\nurl = ftp://example.com/x\n",
                 NAME ":2: feed.bbc.url: 'ftp://example.com/x' must start "
                      "with https://, http:// or file://");
    expect_error("[feed.bbc]\nurl = example.com/feed.json\n",
                 NAME ":2: feed.bbc.url: 'example.com/feed.json' must start "
                      "with https://, http:// or file://");
    expect_error("[feed.bbc]\nurl = https:/x\n",
                 NAME ":2: feed.bbc.url: 'https:/x' must start with "
                      "https://, http:// or file://");
    expect_error("[feed.bbc]\nformat = xml\n",
                 NAME ":2: feed.bbc.format: 'xml' is not one of auto, "
                      "newsapi, jsonfeed, gnews, guardian, nyt, rss, atom, "
                      "map");
    expect_error("[feed.bbc]\ninterval_s = 9\n",
                 NAME ":2: feed.bbc.interval_s: '9' must be 10 to 86400");
    expect_error("[feed.bbc]\ninterval_s = 86401\n",
                 NAME ":2: feed.bbc.interval_s: '86401' must be 10 to 86400");
    expect_error("[feed.bbc]\ninterval_s = soon\n",
                 NAME ":2: feed.bbc.interval_s: 'soon' must be 10 to 86400");
    expect_error("[feed.bbc]\nurl = https://x/\ncolour = red\n",
                 NAME ":3: unknown key 'colour' in [feed.bbc] (known: url, "
                      "source, format, interval_s, max_age_h, zone, and the "
                      "mapping keys items, id, title, summary, body, link, "
                      "image, publisher, published, priority, expires)");
    expect_error("[feed.]\nurl = https://x/\n",
                 NAME ":2: feed name must be 1 to 63 bytes");

    char *path = repeat_char('u', 502);
    char *url = xasprintf("https://x/%s", path); /* 512 bytes */
    expect_set_error("feed.big", "url", url,
                     "feed.big.url: longer than 511 bytes");
    free(url);
    free(path);
}

static void
test_too_many_feeds(void **state)
{
    (void)state;
    Buf text;
    buf_init(&text);
    for (int i = 0; i < CONFIG_MAX_FEEDS; i++)
        buf_appendf(&text, "[feed.f%d]\nurl = https://example.com/%d\n", i, i);
    Config *cfg = load_ok(text.data);
    assert_int_equal(cfg->feed_count, CONFIG_MAX_FEEDS);
    assert_string_equal(cfg->feeds[CONFIG_MAX_FEEDS - 1].url,
                        "https://example.com/31");
    free(cfg);

    buf_appends(&text,
                "[feed.extra]\n# one more\nurl = https://example.com/x\n");
    char *want = xasprintf(NAME ":%d: too many feeds (at most %d)",
                           2 * CONFIG_MAX_FEEDS + 3, CONFIG_MAX_FEEDS);
    expect_error(text.data, want);
    free(want);
    buf_deinit(&text);
}

static void
test_set_override(void **state)
{
    (void)state;
    Config *cfg = new_defaults();
    char err[512] = "";
    assert_int_equal(
        config_set_override(cfg, "crawl.speed_px_s=90", err, sizeof(err)), 0);
    assert_int_equal(cfg->crawl_speed_px_s, 90);
    assert_int_equal(
        config_set_override(cfg, "feed.bbc.url=https://x/y", err, sizeof(err)),
        0);
    assert_int_equal(cfg->feed_count, 1);
    assert_string_equal(cfg->feeds[0].name, "bbc");
    assert_string_equal(cfg->feeds[0].url, "https://x/y");
    /* Everything after the first '=' is the value. */
    assert_int_equal(config_set_override(cfg, "feed.bbc.url=https://x/?a=b&c=d",
                                         err, sizeof(err)),
                     0);
    assert_string_equal(cfg->feeds[0].url, "https://x/?a=b&c=d");
    /* A feed name may itself contain dots: the key is after the last one. */
    assert_int_equal(
        config_set_override(cfg, "feed.v1.2.format=jsonfeed", err, sizeof(err)),
        0);
    assert_int_equal(cfg->feed_count, 2);
    assert_string_equal(cfg->feeds[1].name, "v1.2");
    assert_int_equal(cfg->feeds[1].format, FEED_FORMAT_JSONFEED);
    assert_int_equal(
        config_set_override(cfg, "theme.bar=#11223344", err, sizeof(err)), 0);
    assert_color(cfg->color_bar, 0x11, 0x22, 0x33, 0x44);
    assert_int_equal(config_set_override(cfg, "crawl.label=", err, sizeof(err)),
                     0);
    assert_string_equal(cfg->bar_label, "");
    free(cfg);

    static const struct {
        const char *in;
        const char *want;
    } bad[] = {
        {"nodot=1", "--set nodot=1: expected section.key=value "
                    "(e.g. crawl.speed_px_s=90)"},
        {"a.b", "--set a.b: expected section.key=value "
                "(e.g. crawl.speed_px_s=90)"},
        {"=x", "--set =x: expected section.key=value "
               "(e.g. crawl.speed_px_s=90)"},
        {"", "--set : expected section.key=value (e.g. crawl.speed_px_s=90)"},
        {"speed=a.b", "--set speed=a.b: expected section.key=value "
                      "(e.g. crawl.speed_px_s=90)"},
        {".speed_px_s=1", "--set .speed_px_s=1: section or key too long or "
                          "empty"},
        {"crawl.=1", "--set crawl.=1: section or key too long or empty"},
        {"crawl.speed_px_s=5000", "--set: crawl.speed_px_s: 5000 is out of "
                                  "range (0 to 2000)"},
        {"crawl.speed=5", "--set: unknown key 'speed' in [crawl]"},
        {"nosuch.key=5", "--set: unknown section [nosuch] (key 'key')"},
        {"feed.bbc.url=gopher://x", "--set: feed.bbc.url: 'gopher://x' must "
                                    "start with https://, http:// or "
                                    "file://"},
    };
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        cfg = new_defaults();
        err[0] = '\0';
        int rc = config_set_override(cfg, bad[i].in, err, sizeof(err));
        if (rc != -1 || strcmp(err, bad[i].want) != 0) {
            fail_msg("--set \"%s\": rc=%d err \"%s\", want \"%s\"", bad[i].in,
                     rc, err, bad[i].want);
        }
        assert_int_equal(cfg->crawl_speed_px_s, 120);
        free(cfg);
    }
}

static void
test_add_feed_url(void **state)
{
    (void)state;
    Config *cfg = new_defaults();
    char err[512] = "";
    assert_int_equal(config_add_feed_url(cfg, "https://example.com/a.json", err,
                                         sizeof(err)),
                     0);
    assert_int_equal(
        config_add_feed_url(cfg, "file:///srv/b.json", err, sizeof(err)), 0);
    assert_int_equal(cfg->feed_count, 2);
    assert_string_equal(cfg->feeds[0].name, "feed1");
    assert_string_equal(cfg->feeds[0].url, "https://example.com/a.json");
    assert_int_equal(cfg->feeds[0].format, FEED_FORMAT_AUTO);
    assert_int_equal(cfg->feeds[0].interval_s, 0);
    assert_string_equal(cfg->feeds[1].name, "feed2");
    assert_string_equal(cfg->feeds[1].url, "file:///srv/b.json");
    assert_int_equal(config_validate(cfg, err, sizeof(err)), 0);

    assert_int_equal(config_add_feed_url(cfg, "gopher://x", err, sizeof(err)),
                     -1);
    assert_string_equal(err, "--feed: feed.feed3.url: 'gopher://x' must start "
                             "with https://, http:// or file://");
    free(cfg);

    /* Feeds from the file come first; --feed adds after them. */
    cfg = load_ok("[feed.main]\nurl = https://example.com/main\n");
    assert_int_equal(
        config_add_feed_url(cfg, "https://example.com/extra", err, sizeof(err)),
        0);
    assert_int_equal(cfg->feed_count, 2);
    assert_string_equal(cfg->feeds[0].url, "https://example.com/main");
    assert_string_equal(cfg->feeds[1].name, "feed2");
    assert_string_equal(cfg->feeds[1].url, "https://example.com/extra");
    free(cfg);
}

/* --feed adds a feed: it must not replace a configured feed that happens to
 * carry the generated name. */
static void
test_add_feed_url_keeps_named_feeds(void **state)
{
    (void)state;
    Config *cfg = load_ok("[feed.feed2]\nurl = https://example.com/mine\n");
    char err[512] = "";
    int rc =
        config_add_feed_url(cfg, "https://example.com/cli", err, sizeof(err));
    size_t count = cfg->feed_count;
    int mine = 0, cli = 0;
    for (size_t i = 0; i < cfg->feed_count; i++) {
        mine += !strcmp(cfg->feeds[i].url, "https://example.com/mine");
        cli += !strcmp(cfg->feeds[i].url, "https://example.com/cli");
    }
    free(cfg);
    assert_int_equal(rc, 0);
    if (count != 2 || mine != 1 || cli != 1) {
        fail_msg("after --feed: %zu feeds, %d with the configured url, %d "
                 "with the --feed url; want 2, 1, 1",
                 count, mine, cli);
    }
}

static void
test_validate(void **state)
{
    (void)state;
    Config *cfg =
        load_ok("[feed.ok]\nurl = https://example.com/\n"
                "[feed.nourl]\nsource = Somebody\nformat = newsapi\n");
    char err[256] = "";
    assert_int_equal(config_validate(cfg, err, sizeof(err)), -1);
    assert_string_equal(err, "[feed.nourl] has no url");
    char msg[256];
    assert_int_equal(config_set(cfg, "feed.nourl", "url",
                                "http://example.com/x", msg, sizeof(msg)),
                     0);
    assert_int_equal(config_validate(cfg, err, sizeof(err)), 0);
    free(cfg);

    cfg = new_defaults();
    assert_int_equal(
        config_set_override(cfg, "feed.x.interval_s=60", err, sizeof(err)), 0);
    assert_int_equal(config_validate(cfg, err, sizeof(err)), -1);
    assert_string_equal(err, "[feed.x] has no url");
    free(cfg);
}

/* fetch.protocols: https and http only; every feed's scheme allowed. */
static void
test_fetch_protocols(void **state)
{
    (void)state;
    Config *cfg = load_ok("[fetch]\nprotocols = https\n"
                          "[feed.a]\nurl = https://example.com/\n"
                          "[feed.f]\nurl = file:///tmp/x.json\n");
    char err[256] = "";
    assert_int_equal(config_validate(cfg, err, sizeof(err)), 0);
    char msg[256];
    assert_int_equal(config_set(cfg, "feed.b", "url", "http://example.com/",
                                msg, sizeof(msg)),
                     0);
    assert_int_equal(config_validate(cfg, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "feed.b.url"));
    assert_int_equal(
        config_set(cfg, "fetch", "protocols", "https, http", msg, sizeof(msg)),
        0);
    assert_int_equal(config_validate(cfg, err, sizeof(err)), 0);
    assert_int_equal(
        config_set(cfg, "fetch", "protocols", "https,ftp", msg, sizeof(msg)),
        0);
    assert_int_equal(config_validate(cfg, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "'ftp'"));
    assert_int_equal(
        config_set(cfg, "fetch", "protocols", "  ,  ", msg, sizeof(msg)), 0);
    assert_int_equal(config_validate(cfg, err, sizeof(err)), -1);
    free(cfg);
}

/* Reads the example config, or fails the test saying why. */
static char *
read_example(void)
{
    char *text = file_load_text(EXAMPLE_PATH);
    if (!text) {
        fail_msg("%s is missing (tests run from the repository root); it "
                 "must document every config key",
                 EXAMPLE_PATH);
    }
    return text;
}

static char *
skip_blanks(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

/* Adds "section.key" to found for each "key =" line in the text. Active
 * lines count for any section; for [feed.NAME] sections, commented-out
 * "# [feed.NAME]" headers and "# key = ..." lines count as well, because
 * the example documents a feed without configuring one. */
static void
collect_keys(char *text, Buf *found)
{
    char section[128] = "";
    bool commented_feed = false;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        line[strcspn(line, "\r")] = '\0';
        char *p = skip_blanks(line);
        bool comment = *p == '#' || *p == ';';
        if (comment)
            p = skip_blanks(p + 1);
        if (*p == '[') {
            char *end = strchr(p, ']');
            if (!end)
                continue;
            if (!comment) {
                snprintf(section, sizeof(section), "%.*s", (int)(end - p - 1),
                         p + 1);
                commented_feed = false;
            } else if (!strncmp(p, "[feed.", 6)) {
                commented_feed = true;
            }
            continue;
        }
        size_t klen = strspn(p, "abcdefghijklmnopqrstuvwxyz_0123456789");
        if (!klen || *skip_blanks(p + klen) != '=')
            continue;
        bool in_feed = !strncmp(section, "feed.", 5);
        if (!comment && *section && !in_feed) {
            buf_appendf(found, "|%s.%.*s|", section, (int)klen, p);
        } else if ((!comment && in_feed) || (comment && commented_feed)) {
            buf_appendf(found, "|feed.%.*s|", (int)klen, p);
        }
    }
}

static void
test_example_config(void **state)
{
    (void)state;
    /* Every key of the defaults table, so a new key fails this test until
     * the example documents it. */
    char expected_buf[256][96];
    const char *expected[256];
    size_t n_expected = 0;
    const char *sec, *key;
    while (n_expected < 256 && config_key_at(n_expected, &sec, &key)) {
        snprintf(expected_buf[n_expected], sizeof(expected_buf[0]), "%s.%s",
                 sec, key);
        expected[n_expected] = expected_buf[n_expected];
        n_expected++;
    }
    assert_true(n_expected > 30);
    char *text = read_example();

    Config *cfg = new_defaults();
    char err[512] = "";
    int rc = config_load_file(cfg, EXAMPLE_PATH, err, sizeof(err));
    if (rc != 0)
        fail_msg("%s does not load: %s", EXAMPLE_PATH, err);
    if (config_validate(cfg, err, sizeof(err)) != 0)
        fail_msg("%s does not validate: %s", EXAMPLE_PATH, err);
    free(cfg);

    Buf found;
    buf_init(&found);
    buf_appends(&found, "");
    collect_keys(text, &found);
    Buf missing;
    buf_init(&missing);
    for (size_t i = 0; i < n_expected; i++) {
        char *needle = xasprintf("|%s|", expected[i]);
        if (!strstr(found.data, needle))
            buf_appendf(&missing, " %s", expected[i]);
        free(needle);
    }
    if (missing.len)
        fail_msg("%s does not show these keys:%s", EXAMPLE_PATH, missing.data);
    buf_deinit(&missing);
    buf_deinit(&found);
    free(text);
}

/* The example says every key is shown with its default value. */
static void
test_example_config_shows_defaults(void **state)
{
    (void)state;
    free(read_example()); /* fails with a clear message when missing */
    Config *def = new_defaults();
    Config *cfg = new_defaults();
    char err[512] = "";
    if (config_load_file(cfg, EXAMPLE_PATH, err, sizeof(err)) != 0)
        fail_msg("%s does not load: %s", EXAMPLE_PATH, err);
    assert_int_equal(cfg->feed_count, 0);
    /* Both start from config_defaults' zeroed memory, and setters write
     * only field bytes, so equal values mean equal memory. */
    if (memcmp(cfg, def, sizeof(*cfg)) != 0) {
        size_t off = 0;
        while (((unsigned char *)cfg)[off] == ((unsigned char *)def)[off])
            off++;
        fail_msg("%s sets a value other than the default (Config byte %zu)",
                 EXAMPLE_PATH, off);
    }
    free(cfg);
    free(def);
}

static void
test_feed_formats_and_limits(void **state)
{
    (void)state;
    static const char *const names[] = {"auto",  "newsapi",  "jsonfeed",
                                        "gnews", "guardian", "nyt",
                                        "rss",   "atom",     "map"};
    for (size_t i = 0; i < ARRAY_LEN(names); i++) {
        assert_string_equal(config_format_name((FeedFormat)i), names[i]);
        char *text =
            xasprintf("[feed.f]\nurl = https://x/\nformat = %s\n%s", names[i],
                      i == FEED_FORMAT_MAP ? "title = /t\n" : "");
        Config *cfg = load_ok(text);
        assert_int_equal(cfg->feeds[0].format, (FeedFormat)i);
        char err[256];
        assert_int_equal(config_validate(cfg, err, sizeof(err)), 0);
        free(cfg);
        free(text);
    }
    Config *cfg = load_ok("[feed.f]\nurl = https://x/\nformat = RSS\n"
                          "max_age_h = 12\nzone = +05:30\n");
    assert_int_equal(cfg->feeds[0].format, FEED_FORMAT_RSS);
    assert_int_equal(cfg->feeds[0].max_age_h, 12);
    assert_string_equal(cfg->feeds[0].zone, "+05:30");
    free(cfg);
    expect_error("[feed.f]\nmax_age_h = -1\n",
                 NAME ":2: feed.f.max_age_h: '-1' must be 0 to 876000");
    expect_error("[feed.f]\nzone = Asia/Kolkata\n",
                 NAME ":2: feed.f.zone: 'Asia/Kolkata' is not a zone (UTC, "
                      "GMT, EST, +05:30, -0800, ...)");
}

static void
test_mapping_keys(void **state)
{
    (void)state;
    Config *cfg = load_ok("[feed.city]\nurl = https://x/\nformat = map\n"
                          "items = /data/articles\n"
                          "title = /headline/en | /title |/t~1x\n"
                          "publisher = $/meta/publisher | /by/0\n"
                          "image = /media\n");
    const FeedConf *f = &cfg->feeds[0];
    assert_string_equal(f->map[MAP_ITEMS], "/data/articles");
    assert_string_equal(f->map[MAP_TITLE], "/headline/en | /title |/t~1x");
    assert_string_equal(f->map[MAP_PUBLISHER], "$/meta/publisher | /by/0");
    assert_string_equal(f->map[MAP_LINK], "");
    assert_true(config_feed_has_map(f));
    char err[512];
    assert_int_equal(config_validate(cfg, err, sizeof(err)), 0);
    free(cfg);
    for (int i = 0; i < MAP_FIELD_COUNT; i++)
        assert_string_not_equal(config_map_key((MapField)i), "?");
    assert_string_equal(config_map_key(MAP_PUBLISHED), "published");
    assert_string_equal(config_map_key(MAP_FIELD_COUNT), "?");

    expect_error("[feed.m]\ntitle = headline\n",
                 NAME ":2: feed.m.title: 'headline' is not a JSON Pointer (it "
                      "must start with / or $/)");
    expect_error("[feed.m]\ntitle = /a~2b\n",
                 NAME ":2: feed.m.title: '~2' is not an escape (use ~0 for ~ "
                      "and ~1 for /)");
    expect_error("[feed.m]\ntitle = /a | | /b\n",
                 NAME ":2: feed.m.title: an empty alternative in '/a | | /b' "
                      "(write /pointer | /fallback)");
    expect_error("[feed.m]\ntitle = /a |\n",
                 NAME ":2: feed.m.title: an empty alternative in '/a |' (write "
                      "/pointer | /fallback)");
    expect_error("[feed.m]\nlink = $x\n",
                 NAME ":2: feed.m.link: 'x' must start with '/'");
    expect_error("[feed.m]\nid = /1|/2|/3|/4|/5|/6|/7|/8|/9\n",
                 NAME ":2: feed.m.id: more than 8 alternatives");
    /* An empty value unsets the key. */
    cfg = load_ok("[feed.m]\nurl = https://x/\ntitle = /t\ntitle =\n");
    assert_string_equal(cfg->feeds[0].map[MAP_TITLE], "");
    assert_false(config_feed_has_map(&cfg->feeds[0]));
    free(cfg);
    /* Through --set too. */
    cfg = new_defaults();
    assert_int_equal(
        config_set_override(cfg, "feed.m.summary=/a | /b", err, sizeof(err)),
        0);
    assert_string_equal(cfg->feeds[0].map[MAP_SUMMARY], "/a | /b");
    free(cfg);
}

static void
expect_invalid(const char *text, const char *want)
{
    Config *cfg = load_ok(text);
    char err[512] = "";
    if (config_validate(cfg, err, sizeof(err)) != -1 || strcmp(err, want))
        fail_msg("\"%s\", want \"%s\"", err, want);
    free(cfg);
}

static void
test_mapping_validation(void **state)
{
    (void)state;
    expect_invalid("[feed.m]\nurl = https://x/\nformat = map\n",
                   "[feed.m] has format = map but no title (e.g. title = "
                   "/headline)");
    expect_invalid("[feed.m]\nurl = https://x/\ntitle = /t\n",
                   "[feed.m] has mapping keys but format = auto; set format = "
                   "map, or the preset they adjust (e.g. format = newsapi)");
    expect_invalid("[feed.m]\nurl = https://x/\nformat = atom\nlink = /l\n",
                   "[feed.m] has mapping keys, which apply to JSON feeds only, "
                   "not to format = atom");
    Config *cfg = load_ok("[feed.m]\nurl = https://x/\nformat = nyt\n"
                          "image = /multimedia/0/url\n");
    char err[256];
    assert_int_equal(config_validate(cfg, err, sizeof(err)), 0);
    free(cfg);
}

static void
test_filter_keys(void **state)
{
    (void)state;
    Config *cfg = new_defaults();
    assert_int_equal(cfg->merge_order, MERGE_NEWEST);
    assert_string_equal(cfg->filter_block, "");
    assert_string_equal(cfg->filter_allow, "");
    free(cfg);
    cfg = load_ok("[filter]\norder = Round_Robin\nblock = sport, celeb*\n"
                  "allow = news\n");
    assert_int_equal(cfg->merge_order, MERGE_ROUND_ROBIN);
    assert_string_equal(cfg->filter_block, "sport, celeb*");
    assert_string_equal(cfg->filter_allow, "news");
    free(cfg);
    expect_error("[filter]\norder = random\n",
                 NAME ":2: filter.order: 'random' is not one of newest, "
                      "round_robin");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_int_keys),
        cmocka_unit_test(test_bool_keys),
        cmocka_unit_test(test_colors),
        cmocka_unit_test(test_string_keys),
        cmocka_unit_test(test_unknown_key_and_section),
        cmocka_unit_test(test_load_file),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_key_outside_section),
        cmocka_unit_test(test_first_error_wins),
        cmocka_unit_test(test_long_values),
        cmocka_unit_test(test_long_value_after_long_comments),
        cmocka_unit_test(test_long_value_inline_comment),
        cmocka_unit_test(test_line_too_long),
        cmocka_unit_test(test_feed_sections),
        cmocka_unit_test(test_too_many_feeds),
        cmocka_unit_test(test_set_override),
        cmocka_unit_test(test_add_feed_url),
        cmocka_unit_test(test_add_feed_url_keeps_named_feeds),
        cmocka_unit_test(test_validate),
        cmocka_unit_test(test_feed_formats_and_limits),
        cmocka_unit_test(test_mapping_keys),
        cmocka_unit_test(test_mapping_validation),
        cmocka_unit_test(test_filter_keys),
        cmocka_unit_test(test_fetch_protocols),
        cmocka_unit_test(test_example_config),
        cmocka_unit_test(test_example_config_shows_defaults),
    };
    return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
