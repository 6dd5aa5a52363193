/*
 * test_kiosk_core: the pure pieces of unattended running that live in
 * shared core modules: the [log], [kiosk], [control] and [schedule] config
 * keys with their checks, the change-only failure logging of log.c
 * (captured from the real stderr), and the breaking banner the scene draws
 * on top of every frame (as a DrawList, with a fake measurer).
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
#include "log.h"
#include "scene.h"
#include "util.h"

static Config *
defaults(void)
{
    Config *cfg = xmalloc(sizeof(*cfg));
    config_defaults(cfg);
    return cfg;
}

static void
set_ok(Config *cfg, const char *section, const char *key, const char *value)
{
    char err[512] = "";
    if (config_set(cfg, section, key, value, err, sizeof(err)) != 0)
        fail_msg("%s.%s=%s refused: %s", section, key, value, err);
}

static void
set_error(const char *section, const char *key, const char *value,
          const char *want)
{
    Config *cfg = defaults();
    Config *before = defaults();
    char err[512] = "";
    if (config_set(cfg, section, key, value, err, sizeof(err)) == 0)
        fail_msg("%s.%s=%s accepted", section, key, value);
    if (!strstr(err, want))
        fail_msg("%s.%s=%s: message '%s' lacks '%s'", section, key, value, err,
                 want);
    /* A refused value changes nothing. */
    assert_memory_equal(cfg, before, sizeof(*cfg));
    free(cfg);
    free(before);
}

static void
test_defaults(void **state)
{
    (void)state;
    Config *cfg = defaults();
    assert_int_equal(cfg->log_level, LOG_INFO);
    assert_string_equal(cfg->video_drivers, "auto");
    assert_string_equal(cfg->quit_key, "ctrl+alt+q");
    assert_int_equal(cfg->fetch_stall_s, 120);
    assert_string_equal(cfg->control_socket, "/run/newswire/control.sock");
    assert_int_equal(cfg->breaking_s, 300);
    for (int i = 0; i < SCHEDULE_DAYS; i++)
        assert_string_equal(cfg->schedule_days[i], "on");
    assert_string_equal(cfg->schedule_off_command, "");
    char err[256];
    assert_int_equal(config_validate(cfg, err, sizeof(err)), 0);
    free(cfg);
}

static void
test_keys(void **state)
{
    (void)state;
    Config *cfg = defaults();
    set_ok(cfg, "log", "level", "debug");
    assert_int_equal(cfg->log_level, LOG_DEBUG);
    set_ok(cfg, "log", "level", "WARN");
    assert_int_equal(cfg->log_level, LOG_WARN);
    set_ok(cfg, "kiosk", "quit_key", "ctrl+shift+F12");
    assert_string_equal(cfg->quit_key, "ctrl+shift+F12");
    set_ok(cfg, "kiosk", "quit_key", "");
    assert_string_equal(cfg->quit_key, "");
    set_ok(cfg, "kiosk", "video_drivers", "KMSDRM,wayland");
    set_ok(cfg, "schedule", "fri", "07:00-12:00, 13:00-01:00");
    assert_string_equal(cfg->schedule_days[4], "07:00-12:00, 13:00-01:00");
    set_ok(cfg, "schedule", "sun", "off");
    set_ok(cfg, "schedule", "off_command", "cec-ctl --standby");
    set_ok(cfg, "control", "socket", "");
    free(cfg);

    set_error("log", "level", "verbose",
              "log.level: 'verbose' is not one of error, warning, info, "
              "debug");
    set_error("kiosk", "quit_key", "ctrl+hyper",
              "kiosk.quit_key: 'ctrl+hyper': 'hyper' is not a key");
    set_error("schedule", "mon", "7-19",
              "schedule.mon: '7-19' is not a span HH:MM-HH:MM");
    set_error("schedule", "wed", "", "schedule.wed: empty schedule");
    set_error("kiosk", "fetch_stall_s", "1", "out of range (2 to 3600)");
    set_error("control", "breaking_s", "0", "out of range (1 to 86400)");
    char longpath[200];
    memset(longpath, 'p', sizeof(longpath) - 1);
    longpath[sizeof(longpath) - 1] = '\0';
    set_error("control", "socket", longpath, "must be 0 to 107 bytes");
    set_error("schedule", "holidays", "off", "unknown key 'holidays'");
}

static void
test_file_errors_name_line(void **state)
{
    (void)state;
    Config *cfg = defaults();
    char err[512] = "";
    int rc = config_load_string(cfg,
                                "[schedule]\nmon = 07:00-19:00\n"
                                "tue = 7am-7pm\n",
                                "t.conf", err, sizeof(err));
    assert_int_equal(rc, -1);
    assert_string_equal(err, "t.conf:3: schedule.tue: '7am-7pm' is not a span "
                             "HH:MM-HH:MM (or on, off)");
    free(cfg);
}

static void
test_validate_stall_after_timeout(void **state)
{
    (void)state;
    Config *cfg = defaults();
    set_ok(cfg, "fetch", "timeout_s", "60");
    set_ok(cfg, "kiosk", "fetch_stall_s", "60");
    char err[256] = "";
    assert_int_equal(config_validate(cfg, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "kiosk.fetch_stall_s (60) must be more than "
                                "fetch.timeout_s (60)"));
    set_ok(cfg, "kiosk", "fetch_stall_s", "61");
    assert_int_equal(config_validate(cfg, err, sizeof(err)), 0);
    free(cfg);
}

/* ---- log ---- */

/* Runs fn with stderr going to a file; returns what it wrote. */
static char *
capture_stderr(void (*fn)(void))
{
    char path[] = "/tmp/newswire-log-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    fflush(stderr);
    int saved = dup(2);
    dup2(fd, 2);
    fn();
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    Buf b;
    buf_init(&b);
    buf_appends(&b, "");
    lseek(fd, 0, SEEK_SET);
    char chunk[1024];
    ssize_t n;
    while ((n = read(fd, chunk, sizeof(chunk))) > 0)
        buf_append(&b, chunk, (size_t)n);
    close(fd);
    unlink(path);
    return buf_steal(&b);
}

static void
latch_sequence(void)
{
    log_set_level(LOG_INFO);
    LogLatch l = {0};
    log_recovered(&l, "fine all along"); /* not failing: silent */
    for (int i = 0; i < 5; i++)
        log_fail(&l, LOG_WARN, "cannot bind %s", "/run/x.sock");
    log_fail(&l, LOG_WARN, "cannot bind %s", "/run/y.sock");
    log_fail(&l, LOG_WARN, "cannot bind %s", "/run/y.sock");
    log_recovered(&l, "bound %s", "/run/y.sock");
    log_recovered(&l, "bound again");
    log_fail(&l, LOG_ERROR, "cannot bind %s", "/run/x.sock");
    log_debug("not shown at info");
    log_set_priority_prefix(true);
    log_warn("with priority");
    log_set_priority_prefix(false);
}

static void
test_log_latch_logs_changes_only(void **state)
{
    (void)state;
    char *out = capture_stderr(latch_sequence);
    assert_string_equal(out, "newswire: warning: cannot bind /run/x.sock\n"
                             "newswire: warning: cannot bind /run/y.sock\n"
                             "newswire: info: bound /run/y.sock (after 7 "
                             "failures)\n"
                             "newswire: error: cannot bind /run/x.sock\n"
                             "<4>newswire: warning: with priority\n");
    free(out);
}

static void
test_log_levels(void **state)
{
    (void)state;
    LogLevel l;
    assert_true(log_parse_level("error", &l));
    assert_int_equal(l, LOG_ERROR);
    assert_true(log_parse_level("Warning", &l));
    assert_int_equal(l, LOG_WARN);
    assert_true(log_parse_level("debug", &l));
    assert_int_equal(l, LOG_DEBUG);
    assert_false(log_parse_level("trace", &l));
    assert_false(log_parse_level("", &l));
    assert_string_equal(log_level_name(LOG_INFO), "info");
    assert_string_equal(log_level_name((LogLevel)9), "?");
}

/* ---- banner ---- */

static int
fake_width(void *ud, FontRole font, const char *text)
{
    (void)ud;
    (void)font;
    return (int)strlen(text) * 10;
}

static char *
frame_text(Scene *sc)
{
    DrawList dl;
    draw_list_init(&dl);
    SceneTime t = {1000, 1764410400, false};
    scene_build(sc, &t, &dl);
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    draw_list_print(&dl, mem);
    fclose(mem);
    draw_list_deinit(&dl);
    return text;
}

static void
test_banner(void **state)
{
    (void)state;
    setenv("TZ", "UTC", 1);
    Config *cfg = defaults();
    Scene *sc = scene_new(cfg);
    /* Set before there is a layout: shown once there is one. */
    scene_set_banner(sc, "Storm warning for the coast");
    Layout lay;
    layout_compute(&lay, 1280, 720, cfg);
    TextMeasurer m = {fake_width, NULL, {0}};
    for (int i = 0; i < FONT_COUNT; i++)
        m.line_height[i] = lay.font_px[i];
    scene_set_layout(sc, &lay, &m);
    char *f = frame_text(sc);
    /* Drawn last, across the top, in the accent colour. */
    const char *strip = strstr(f, "fill 0,0 1280x66 #e0393eff\n");
    assert_non_null(strip);
    assert_non_null(strstr(strip, "\"BREAKING\""));
    assert_non_null(strstr(strip, "\"Storm warning for the coast\"\n"));
    int lines = 0; /* strip, label box, label, text: the last four ops */
    for (const char *c = strip; *c; c++)
        lines += *c == '\n';
    assert_int_equal(lines, 4);
    free(f);

    /* Too long for the strip: cut with an ellipsis within the width. */
    char longtext[400];
    memset(longtext, 'w', sizeof(longtext) - 1);
    longtext[sizeof(longtext) - 1] = '\0';
    scene_set_banner(sc, longtext);
    f = frame_text(sc);
    const char *t = strstr(f, "\"wwww");
    assert_non_null(t);
    const char *end = strchr(t + 1, '"');
    assert_true(end - t - 1 < 128);
    assert_non_null(strstr(t, "\xe2\x80\xa6\""));
    free(f);

    /* Cleared: no strip at the top any more. */
    scene_set_banner(sc, NULL);
    f = frame_text(sc);
    assert_null(strstr(f, "BREAKING"));
    assert_null(strstr(f, "fill 0,0 1280x66 #e0393eff"));
    free(f);
    scene_set_banner(sc, "");
    f = frame_text(sc);
    assert_null(strstr(f, "BREAKING"));
    free(f);
    scene_free(sc);
    free(cfg);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_file_errors_name_line),
        cmocka_unit_test(test_validate_stall_after_timeout),
        cmocka_unit_test(test_log_latch_logs_changes_only),
        cmocka_unit_test(test_log_levels),
        cmocka_unit_test(test_banner),
    };
    return cmocka_run_group_tests_name("kiosk_core", tests, NULL, NULL);
}
