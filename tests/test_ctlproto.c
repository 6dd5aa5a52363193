/*
 * test_ctlproto: the control protocol without a socket: framing of
 * received bytes, every request and its malformed variants, the client's
 * request builder (which must produce what the parser reads back), the
 * JSON status, and the quit-key combination parser used by kiosk mode.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>
#include <cmocka.h>

#include "ctlproto.h"
#include "keycombo.h"
#include "util.h"

static CtlCommand
parse_ok(const char *line)
{
    CtlCommand c;
    char err[512] = "";
    if (ctl_parse(line, strlen(line), &c, err, sizeof(err)) != 0)
        fail_msg("'%s' refused: %s", line, err);
    return c;
}

static void
expect_error(const char *line, size_t len, const char *want)
{
    CtlCommand c;
    char err[512] = "";
    if (ctl_parse(line, len, &c, err, sizeof(err)) == 0)
        fail_msg("'%.*s' was accepted", (int)len, line);
    if (!strstr(err, want))
        fail_msg("'%.*s': message '%s' lacks '%s'", (int)len, line, err, want);
}

static void
test_frame(void **state)
{
    (void)state;
    size_t n = 99;
    assert_int_equal(ctl_frame("stat", 4, false, &n), 0);
    assert_int_equal(ctl_frame("status\n", 7, false, &n), 1);
    assert_int_equal(n, 6);
    assert_int_equal(ctl_frame("status\nnext\n", 12, false, &n), 1);
    assert_int_equal(n, 6);
    /* A client that half-closes without a newline still gets an answer. */
    assert_int_equal(ctl_frame("status", 6, true, &n), 1);
    assert_int_equal(n, 6);
    assert_int_equal(ctl_frame("", 0, true, &n), 1);
    assert_int_equal(n, 0);

    char *big = xmalloc(CTL_REQUEST_MAX + 10);
    memset(big, 'x', CTL_REQUEST_MAX + 10);
    assert_int_equal(ctl_frame(big, CTL_REQUEST_MAX - 1, false, &n), 0);
    assert_int_equal(ctl_frame(big, CTL_REQUEST_MAX, false, &n), -1);
    assert_int_equal(ctl_frame(big, CTL_REQUEST_MAX, true, &n), -1);
    big[CTL_REQUEST_MAX - 1] = '\n'; /* exactly the limit, newline included */
    assert_int_equal(ctl_frame(big, CTL_REQUEST_MAX, false, &n), 1);
    assert_int_equal(n, CTL_REQUEST_MAX - 1);
    big[CTL_REQUEST_MAX - 1] = 'x';
    big[CTL_REQUEST_MAX] = '\n'; /* one byte over */
    assert_int_equal(ctl_frame(big, CTL_REQUEST_MAX + 1, false, &n), -1);
    free(big);
}

static void
test_simple_verbs(void **state)
{
    (void)state;
    static const struct {
        const char *line;
        CtlVerb verb;
    } cases[] = {
        {"next", CTL_NEXT},         {"prev", CTL_PREV},
        {"pause", CTL_PAUSE},       {"resume", CTL_RESUME},
        {"reload", CTL_RELOAD},     {"refresh", CTL_REFRESH},
        {"clear", CTL_CLEAR},       {"status", CTL_STATUS},
        {"help", CTL_HELP},         {"  next \r", CTL_NEXT},
        {"\tstatus\t", CTL_STATUS},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++)
        assert_int_equal(parse_ok(cases[i].line).verb, cases[i].verb);
}

static void
test_breaking(void **state)
{
    (void)state;
    CtlCommand c = parse_ok("breaking Storm warning for the coast");
    assert_int_equal(c.verb, CTL_BREAKING);
    assert_string_equal(c.text, "Storm warning for the coast");
    assert_int_equal(c.seconds, 0);

    c = parse_ok("breaking Storm warning 120");
    assert_string_equal(c.text, "Storm warning");
    assert_int_equal(c.seconds, 120);

    /* Quoted, the text may end in a number. */
    c = parse_ok("breaking \"Apollo 11\"");
    assert_string_equal(c.text, "Apollo 11");
    assert_int_equal(c.seconds, 0);
    c = parse_ok("breaking \"Apollo 11\" 60");
    assert_string_equal(c.text, "Apollo 11");
    assert_int_equal(c.seconds, 60);
    c = parse_ok("breaking \"say \\\"hi\\\" \\\\ now\"");
    assert_string_equal(c.text, "say \"hi\" \\ now");

    /* A lone number is the text, not the duration. */
    c = parse_ok("breaking 2026");
    assert_string_equal(c.text, "2026");
    assert_int_equal(c.seconds, 0);

    /* Text is cleaned like feed text: tags, controls, bad UTF-8. */
    c = parse_ok("breaking <b>Flood</b>\x07 alert \xff here");
    assert_string_equal(c.text, "Flood alert \xef\xbf\xbd here");

    /* Long text is cut with an ellipsis. */
    Buf b;
    buf_init(&b);
    buf_appends(&b, "breaking ");
    for (int i = 0; i < 200; i++)
        buf_appends(&b, "word ");
    c = parse_ok(b.data);
    assert_true(strlen(c.text) <= CTL_TEXT_MAX);
    assert_non_null(strstr(c.text, "\xe2\x80\xa6"));
    buf_deinit(&b);

    c = parse_ok("breaking x 86400");
    assert_int_equal(c.seconds, 86400);
}

static void
test_malformed(void **state)
{
    (void)state;
    expect_error("", 0, "empty request");
    expect_error("   \r", 4, "empty request");
    expect_error("bogus", 5, "unknown command 'bogus'; commands: next");
    expect_error("NEXT", 4, "unknown command 'NEXT'");
    expect_error("next please", 11, "'next' takes no arguments");
    expect_error("status now", 10, "'status' takes no arguments");
    expect_error("breaking", 8, "breaking needs a TEXT");
    expect_error("breaking   ", 11, "breaking needs a TEXT");
    expect_error("breaking \"\"", 11, "breaking needs a TEXT");
    expect_error("breaking <br>", 13, "breaking needs a TEXT");
    expect_error("breaking \"open", 14, "no closing quote");
    expect_error("breaking \"x\" soon", 17, "expected SECONDS");
    expect_error("breaking \"x\" 5 6", 16, "expected SECONDS");
    expect_error("breaking x 0", 12, "SECONDS must be 1 to 86400");
    expect_error("breaking x 86401", 16, "SECONDS must be 1 to 86400");
    expect_error("breaking x 99999999999999999999", 31,
                 "SECONDS must be 1 to 86400");
    expect_error("next\0junk", 9, "NUL byte");
    /* Binary junk is not echoed back as is. */
    expect_error("\x01\x02\xff\xfe", 4, "unknown command '\?\?\?\?'");
    char big[200];
    memset(big, 'a', sizeof(big));
    CtlCommand c;
    char err[128];
    assert_int_equal(ctl_parse(big, sizeof(big), &c, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "'aaaaaaaaaaaaaaaaaaaaaaaa'"));
}

static void
format_ok(int argc, const char *const *argv, const char *want)
{
    Buf out;
    buf_init(&out);
    char err[256] = "";
    if (ctl_format_request(argc, argv, &out, err, sizeof(err)) != 0)
        fail_msg("format %s: %s", argv[0], err);
    assert_string_equal(out.data, want);
    buf_deinit(&out);
}

static void
test_format_request(void **state)
{
    (void)state;
    const char *a1[] = {"next"};
    format_ok(1, a1, "next");
    const char *a2[] = {"breaking", "Apollo 11"};
    format_ok(2, a2, "breaking \"Apollo 11\"");
    const char *a3[] = {"breaking", "Storm \"Eunice\"", "90"};
    format_ok(3, a3, "breaking \"Storm \\\"Eunice\\\"\" 90");
    const char *a4[] = {"breaking", "Storm", "warning", "90"};
    format_ok(4, a4, "breaking \"Storm warning\" 90");
    const char *a5[] = {"breaking", "two\nlines"};
    format_ok(2, a5, "breaking \"two lines\"");

    /* What the client builds, the server reads back unchanged. */
    Buf out;
    buf_init(&out);
    char err[256];
    assert_int_equal(ctl_format_request(3, a3, &out, err, sizeof(err)), 0);
    CtlCommand c = parse_ok(out.data);
    assert_string_equal(c.text, "Storm \"Eunice\"");
    assert_int_equal(c.seconds, 90);

    const char *bad1[] = {"bogus"};
    assert_int_equal(ctl_format_request(1, bad1, &out, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "unknown command 'bogus'"));
    assert_int_equal(ctl_format_request(0, NULL, &out, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "no command"));
    const char *bad2[] = {"breaking"};
    assert_int_equal(ctl_format_request(1, bad2, &out, err, sizeof(err)), -1);
    char *huge = xmalloc(CTL_REQUEST_MAX + 1);
    memset(huge, 'x', CTL_REQUEST_MAX);
    huge[CTL_REQUEST_MAX] = '\0';
    const char *bad3[] = {"breaking", huge};
    assert_int_equal(ctl_format_request(2, bad3, &out, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "longer than 4096"));
    free(huge);
    buf_deinit(&out);
}

static void
test_status_json(void **state)
{
    (void)state;
    FetchStatus fs = {0};
    fs.feed_count = 2;
    util_strlcpy(fs.feeds[0].name, "wire", sizeof(fs.feeds[0].name));
    fs.feeds[0].last_ok_s = 1764410400;
    fs.feeds[0].last_attempt_s = 1764410400;
    fs.feeds[0].story_count = 12;
    util_strlcpy(fs.feeds[1].name, "local \"news\"", sizeof(fs.feeds[1].name));
    fs.feeds[1].last_attempt_s = 1764410400;
    fs.feeds[1].failures = 3;
    util_strlcpy(fs.feeds[1].error, "local: HTTP 503",
                 sizeof(fs.feeds[1].error));
    fs.last_ok_s = 1764410400;
    CtlStatus st = {
        .version = "9.9.9",
        .pid = 1234,
        .wall_s = 1764410460,
        .uptime_s = 60,
        .screen_on = false,
        .screen_change_in_s = 3600,
        .paused = true,
        .card_step = -2,
        .frames = 3600,
        .dropped_frames = 4,
        .stories = 12,
        .banner = "Flood \"alert\"",
        .banner_left_s = 42,
        .fetch_busy_s = 7,
        .fetch_stalled = false,
        .watchdog_usec = 30000000,
        .config_path = "/etc/newswire/newswire.conf",
    };
    char *text = ctl_status_json(&st, &fs);
    assert_null(strchr(text, '\n'));
    cJSON *o = cJSON_Parse(text);
    assert_non_null(o);
    assert_string_equal(cJSON_GetObjectItem(o, "version")->valuestring,
                        "9.9.9");
    assert_string_equal(cJSON_GetObjectItem(o, "now")->valuestring,
                        "2025-11-29T10:01:00Z");
    assert_string_equal(cJSON_GetObjectItem(o, "screen")->valuestring, "off");
    assert_int_equal(cJSON_GetObjectItem(o, "screen_change_in_s")->valueint,
                     3600);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(o, "paused")));
    assert_int_equal(cJSON_GetObjectItem(o, "card_step")->valueint, -2);
    assert_int_equal(cJSON_GetObjectItem(o, "frames")->valueint, 3600);
    assert_int_equal(cJSON_GetObjectItem(o, "dropped_frames")->valueint, 4);
    cJSON *banner = cJSON_GetObjectItem(o, "banner");
    assert_string_equal(cJSON_GetObjectItem(banner, "text")->valuestring,
                        "Flood \"alert\"");
    assert_int_equal(cJSON_GetObjectItem(banner, "expires_in_s")->valueint, 42);
    cJSON *ft = cJSON_GetObjectItem(o, "fetch_thread");
    assert_string_equal(cJSON_GetObjectItem(ft, "state")->valuestring, "ok");
    assert_int_equal(cJSON_GetObjectItem(o, "watchdog_usec")->valueint,
                     30000000);
    cJSON *feeds = cJSON_GetObjectItem(o, "feeds");
    assert_int_equal(cJSON_GetArraySize(feeds), 2);
    cJSON *f0 = cJSON_GetArrayItem(feeds, 0);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(f0, "ok")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(f0, "error")));
    assert_int_equal(cJSON_GetObjectItem(f0, "stories")->valueint, 12);
    cJSON *f1 = cJSON_GetArrayItem(feeds, 1);
    assert_string_equal(cJSON_GetObjectItem(f1, "name")->valuestring,
                        "local \"news\"");
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(f1, "ok")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(f1, "last_ok")));
    assert_int_equal(cJSON_GetObjectItem(f1, "failures")->valueint, 3);
    assert_string_equal(cJSON_GetObjectItem(f1, "error")->valuestring,
                        "local: HTTP 503");
    cJSON_Delete(o);
    free(text);

    /* Before the fetch thread reported, and without a banner. */
    st.banner = NULL;
    st.config_path = NULL;
    st.screen_change_in_s = -1;
    text = ctl_status_json(&st, NULL);
    o = cJSON_Parse(text);
    assert_non_null(o);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(o, "banner")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(o, "config")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(o, "last_ok")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(o, "screen_change_in_s")));
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(o, "feeds")), 0);
    cJSON_Delete(o);
    free(text);
}

static void
expect_combo(const char *spec, unsigned mods, const char *key,
             const char *formatted)
{
    KeyCombo k;
    char err[256] = "";
    if (keycombo_parse(spec, &k, err, sizeof(err)) != 0)
        fail_msg("'%s' refused: %s", spec, err);
    assert_int_equal(k.mods, mods);
    assert_string_equal(k.key, key);
    char buf[64];
    keycombo_format(&k, buf, sizeof(buf));
    assert_string_equal(buf, formatted);
}

static void
expect_combo_error(const char *spec, const char *want)
{
    KeyCombo k;
    char err[256] = "";
    if (keycombo_parse(spec, &k, err, sizeof(err)) == 0)
        fail_msg("'%s' accepted", spec);
    if (!strstr(err, want))
        fail_msg("'%s': message '%s' lacks '%s'", spec, err, want);
}

static void
test_keycombo(void **state)
{
    (void)state;
    expect_combo("ctrl+alt+q", KEYMOD_CTRL | KEYMOD_ALT, "Q", "ctrl+alt+Q");
    expect_combo("Alt + Ctrl + Q", KEYMOD_CTRL | KEYMOD_ALT, "Q", "ctrl+alt+Q");
    expect_combo("super+shift+f12", KEYMOD_SUPER | KEYMOD_SHIFT, "F12",
                 "shift+super+F12");
    expect_combo("ctrl+escape", KEYMOD_CTRL, "Escape", "ctrl+Escape");
    expect_combo("f1", 0, "F1", "F1");
    expect_combo("7", 0, "7", "7");
    expect_combo("ctrl+BACKSPACE", KEYMOD_CTRL, "Backspace", "ctrl+Backspace");
    expect_combo("", 0, "", "none");
    expect_combo("   ", 0, "", "none");

    expect_combo_error("ctrl+", "'' is not a key");
    expect_combo_error("ctrl+alt", "'alt' is not a key");
    expect_combo_error("hyper+q", "'hyper' is not a modifier");
    expect_combo_error("ctrl+ctrl+q", "ctrl given twice");
    expect_combo_error("ctrl+f13", "'f13' is not a key");
    expect_combo_error("ctrl+f0", "'f0' is not a key");
    expect_combo_error("ctrl+f01", "'f01' is not a key");
    expect_combo_error("ctrl+qq", "'qq' is not a key");
    expect_combo_error("ctrl+\xc3\xa9", "is not a key");
    expect_combo_error("q+ctrl", "'q' is not a modifier");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_frame),
        cmocka_unit_test(test_simple_verbs),
        cmocka_unit_test(test_breaking),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_format_request),
        cmocka_unit_test(test_status_json),
        cmocka_unit_test(test_keycombo),
    };
    return cmocka_run_group_tests_name("ctlproto", tests, NULL, NULL);
}
