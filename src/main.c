/*
 * main: wiring only. Parses the command line, loads the configuration,
 * starts the display and the fetch thread in the documented order, runs the
 * frame loop and shuts down. All decisions about what a frame shows live in
 * src/core; everything that touches SDL or libcurl lives in src/platform.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "config.h"
#include "control.h"
#include "display.h"
#include "feed.h"
#include "fetch.h"
#include "http.h"
#include "inbox.h"
#include "kiosk.h"
#include "log.h"
#include "pacing.h"
#include "scene.h"
#include "timefmt.h"
#include "util.h"
#include "version.h"

#ifndef NEWSWIRE_DATADIR
#define NEWSWIRE_DATADIR "/usr/local/share/newswire"
#endif

#define EXIT_USAGE 2

typedef struct Args {
    const char *config_path;
    const char *feeds[CONFIG_MAX_FEEDS];
    int feed_count;
    const char *sets[64];
    int set_count;
    DisplayMode mode;
    bool mode_given;
    int w, h; /* 0: from config */
    const char *screenshot;
    double at_s;
    const char *clock;
    double exit_after_s; /* < 0: run until quit */
    bool stats;
    bool dump_feed;
    bool check_config;
    const char *status_file;
} Args;

static const char USAGE[] =
    "Usage: newswire [options]\n"
    "       newswire ctl [-c FILE] [--socket PATH] COMMAND [ARGS]\n"
    "A news ticker and story-card display for wall screens and kiosks.\n"
    "\n"
    "  -c, --config FILE     config file (INI); default search:\n"
    "                        ./config/newswire.conf,\n"
    "                        $XDG_CONFIG_HOME/newswire/newswire.conf,\n"
    "                        /etc/newswire/newswire.conf\n"
    "  -f, --feed URL        a feed (repeatable): https://, http://, file://;\n"
    "                        with no feed configured, the bundled demo feed "
    "is shown\n"
    "  -s, --set KEY=VALUE   override any config key (section.key=value),\n"
    "                        e.g. --set crawl.speed_px_s=90\n"
    "      --window          desktop window (default when a display is "
    "available)\n"
    "      --fullscreen      kiosk mode\n"
    "      --headless        no display (SDL dummy driver, software "
    "renderer)\n"
    "      --size WxH        window or headless frame size (default "
    "1280x720);\n"
    "                        portrait is just taller than wide: --size "
    "1080x1920\n"
    "      --screenshot FILE write the frame at virtual time --at SECONDS as "
    "PNG, exit 0\n"
    "      --at SECONDS      virtual time for --screenshot (default 5)\n"
    "      --clock TIME      wall-clock time (ISO 8601) at virtual time 0, "
    "for\n"
    "                        reproducible screenshots and simulations; "
    "default now\n"
    "      --exit-after SECS run that long, then exit 0\n"
    "      --stats           at exit, print one line: frames, dropped "
    "frames,\n"
    "                        frame time p50/p99, CPU seconds, peak RSS\n"
    "      --dump-feed       fetch and decode the feeds once, print the "
    "stories as\n"
    "                        JSON Lines, exit (0 if any story, 1 if none)\n"
    "      --check-config    validate the config, print FILE:LINE: message, "
    "exit 0 or 2\n"
    "      --status-file PATH  write a JSON status (feeds, errors, frames) "
    "there\n"
    "                        whenever it changes (config: status.file)\n"
    "  -V, --version         print the version\n"
    "  -h, --help            print this help\n"
    "\n"
    "Keys in a window: space pauses, left/right change card, r refetches,\n"
    "f toggles full screen, q or Esc quits. In kiosk mode (--fullscreen)\n"
    "only kiosk.quit_key quits (default ctrl+alt+q).\n"
    "Signals: SIGTERM and SIGINT stop, SIGHUP reloads the config file.\n"
    "\n"
    "newswire ctl sends COMMAND to a running newswire over control.socket\n"
    "(found through -c FILE or the default config search, or --socket):\n"
    "  next, prev, pause, resume, reload, refresh, status (JSON), clear,\n"
    "  breaking TEXT [SECONDS] (a breaking-news banner that expires), help\n"
    "Exit codes: 0 success, 1 runtime failure, 2 usage or configuration "
    "error.\n";

static _Noreturn void
usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "newswire: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'newswire --help'.\n");
    exit(EXIT_USAGE);
}

static double
parse_seconds(const char *s, const char *opt)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || v < 0 || v > 1e9)
        usage_error("%s needs a number of seconds", opt);
    return v;
}

static void
parse_args(int argc, char **argv, Args *a)
{
    enum {
        OPT_WINDOW = 256,
        OPT_FULLSCREEN,
        OPT_HEADLESS,
        OPT_SIZE,
        OPT_SCREENSHOT,
        OPT_AT,
        OPT_CLOCK,
        OPT_EXIT_AFTER,
        OPT_STATS,
        OPT_DUMP,
        OPT_CHECK,
        OPT_STATUS_FILE,
    };
    static const struct option longopts[] = {
        {"config", required_argument, NULL, 'c'},
        {"feed", required_argument, NULL, 'f'},
        {"set", required_argument, NULL, 's'},
        {"window", no_argument, NULL, OPT_WINDOW},
        {"fullscreen", no_argument, NULL, OPT_FULLSCREEN},
        {"headless", no_argument, NULL, OPT_HEADLESS},
        {"size", required_argument, NULL, OPT_SIZE},
        {"screenshot", required_argument, NULL, OPT_SCREENSHOT},
        {"at", required_argument, NULL, OPT_AT},
        {"clock", required_argument, NULL, OPT_CLOCK},
        {"exit-after", required_argument, NULL, OPT_EXIT_AFTER},
        {"stats", no_argument, NULL, OPT_STATS},
        {"dump-feed", no_argument, NULL, OPT_DUMP},
        {"check-config", no_argument, NULL, OPT_CHECK},
        {"status-file", required_argument, NULL, OPT_STATUS_FILE},
        {"version", no_argument, NULL, 'V'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    memset(a, 0, sizeof(*a));
    a->at_s = 5;
    a->exit_after_s = -1;
    a->mode = DISPLAY_WINDOW;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":c:f:s:Vh", longopts, NULL)) != -1) {
        switch (c) {
        case 'c':
            a->config_path = optarg;
            break;
        case 'f':
            if (a->feed_count == CONFIG_MAX_FEEDS)
                usage_error("too many --feed options (at most %s)", "32");
            a->feeds[a->feed_count++] = optarg;
            break;
        case 's':
            if (a->set_count == (int)ARRAY_LEN(a->sets))
                usage_error("too many --set options (at most %s)", "64");
            a->sets[a->set_count++] = optarg;
            break;
        case OPT_WINDOW:
            a->mode = DISPLAY_WINDOW;
            a->mode_given = true;
            break;
        case OPT_FULLSCREEN:
            a->mode = DISPLAY_FULLSCREEN;
            a->mode_given = true;
            break;
        case OPT_HEADLESS:
            a->mode = DISPLAY_HEADLESS;
            a->mode_given = true;
            break;
        case OPT_SIZE: {
            char x;
            int n = 0;
            if (sscanf(optarg, "%d%c%d%n", &a->w, &x, &a->h, &n) != 3 ||
                optarg[n] || (x != 'x' && x != 'X') || a->w < 160 ||
                a->h < 120 || a->w > 16384 || a->h > 16384)
                usage_error("--size %s: expected WxH, e.g. 1920x1080 "
                            "(160x120 to 16384x16384)",
                            optarg);
            break;
        }
        case OPT_SCREENSHOT:
            a->screenshot = optarg;
            break;
        case OPT_AT:
            a->at_s = parse_seconds(optarg, "--at");
            break;
        case OPT_CLOCK:
            a->clock = optarg;
            break;
        case OPT_EXIT_AFTER:
            a->exit_after_s = parse_seconds(optarg, "--exit-after");
            break;
        case OPT_STATS:
            a->stats = true;
            break;
        case OPT_DUMP:
            a->dump_feed = true;
            break;
        case OPT_CHECK:
            a->check_config = true;
            break;
        case OPT_STATUS_FILE:
            a->status_file = optarg;
            break;
        case 'V':
            printf("newswire %s\n", NEWSWIRE_VERSION);
            exit(0);
        case 'h':
            fputs(USAGE, stdout);
            exit(0);
        case ':':
            usage_error("option %s needs a value", argv[optind - 1]);
        default:
            usage_error("unknown option %s", argv[optind - 1]);
        }
    }
    if (optind < argc)
        usage_error("unexpected argument '%s'", argv[optind]);
}

static bool
file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Fonts and assets: next to the binary in a build tree (build/newswire),
 * else the installed data directory. */
static void
find_data_dir(char *out, size_t n)
{
    const char *env = getenv("NEWSWIRE_DATA_DIR");
    if (env && *env) {
        util_strlcpy(out, env, n);
        return;
    }
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (len > 0) {
        exe[len] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            const char *cands[] = {"/..", "", "/../share/newswire"};
            for (size_t i = 0; i < ARRAY_LEN(cands); i++) {
                char probe[PATH_MAX + 64];
                snprintf(probe, sizeof(probe), "%s%s/assets/demo-feed.json",
                         exe, cands[i]);
                if (file_exists(probe)) {
                    snprintf(out, n, "%s%s", exe, cands[i]);
                    return;
                }
            }
        }
    }
    util_strlcpy(out, NEWSWIRE_DATADIR, n);
}

static void
resolve_path(const char *data_dir, const char *path, char *out, size_t n)
{
    if (path[0] == '/')
        util_strlcpy(out, path, n);
    else
        snprintf(out, n, "%s/%s", data_dir, path);
}

/* The config file to read: -c, else the first of the default places. */
static const char *
find_config(const Args *a, char *buf, size_t n)
{
    if (a->config_path)
        return a->config_path;
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    char xdg_path[PATH_MAX];
    xdg_path[0] = '\0';
    if (xdg && *xdg)
        snprintf(xdg_path, sizeof(xdg_path), "%s/newswire/newswire.conf", xdg);
    else if (home && *home)
        snprintf(xdg_path, sizeof(xdg_path),
                 "%s/.config/newswire/newswire.conf", home);
    const char *cands[] = {"config/newswire.conf", xdg_path,
                           "/etc/newswire/newswire.conf"};
    for (size_t i = 0; i < ARRAY_LEN(cands); i++) {
        if (cands[i][0] && file_exists(cands[i])) {
            util_strlcpy(buf, cands[i], n);
            return buf;
        }
    }
    return NULL;
}

/* Loads file, --set and --feed into cfg; -1 with FILE:LINE in err. */
static int
load_config_from(const Args *a, const char *data_dir, Config *cfg,
                 const char **used_path, char *err, size_t errlen)
{
    char buf[PATH_MAX];
    char msg[512];
    config_defaults(cfg);
    const char *path = find_config(a, buf, sizeof(buf));
    if (path && config_load_file(cfg, path, err, errlen) < 0)
        return -1;
    for (int i = 0; i < a->set_count; i++) {
        if (config_set_override(cfg, a->sets[i], msg, sizeof(msg)) < 0) {
            util_errf(err, errlen, "newswire: %s", msg);
            return -1;
        }
    }
    for (int i = 0; i < a->feed_count; i++) {
        if (config_add_feed_url(cfg, a->feeds[i], msg, sizeof(msg)) < 0) {
            util_errf(err, errlen, "newswire: %s", msg);
            return -1;
        }
    }
    if (config_validate(cfg, msg, sizeof(msg)) < 0) {
        util_errf(err, errlen, "%s: %s", path ? path : "newswire", msg);
        return -1;
    }
    *used_path = path ? xstrdup(path) : NULL;
    if (a->status_file && config_set(cfg, "status", "file", a->status_file, err,
                                     sizeof(err)) < 0) {
        fprintf(stderr, "newswire: --status-file: %s\n", err);
        exit(EXIT_USAGE);
    }
    if (a->w) {
        cfg->width = a->w;
        cfg->height = a->h;
    }
    if (cfg->feed_count == 0) {
        char url[CONFIG_STR_MAX];
        snprintf(url, sizeof(url), "file://%s/assets/demo-feed.json", data_dir);
        config_set(cfg, "feed.demo", "url", url, msg, sizeof(msg));
    }
    return 0;
}

/* The same at start-up: a bad configuration exits 2. */
static void
load_config(const Args *a, const char *data_dir, Config *cfg,
            const char **used_path)
{
    char err[768];
    if (load_config_from(a, data_dir, cfg, used_path, err, sizeof(err)) < 0) {
        fprintf(stderr, "%s\n", err);
        exit(EXIT_USAGE);
    }
}

static int64_t
mono_ns(void)
{
    return clock_mono_ns();
}

static int
dump_feed(const Config *cfg, int64_t wall_s)
{
    Inbox *inbox = inbox_new();
    Fetcher *f = fetcher_new(cfg, inbox);
    fetcher_set_pictures(f, false);
    fetcher_run_once(f, wall_s);
    StoryList *list = NULL;
    FetchStatus st = {0};
    inbox_take(inbox, &list, &st);
    for (int i = 0; i < st.feed_count; i++) {
        if (st.feeds[i].error[0])
            fprintf(stderr, "newswire: %s\n", st.feeds[i].error);
    }
    Buf out;
    buf_init(&out);
    size_t n = list ? list->count : 0;
    for (size_t i = 0; i < n; i++) {
        buf_clear(&out);
        feed_story_to_json(&list->items[i], &out);
        printf("%s\n", out.data);
    }
    buf_deinit(&out);
    story_list_free(list);
    fetcher_free(f);
    inbox_free(inbox);
    return n > 0 ? 0 : 1;
}

/* ---- the display side ---- */

static int64_t mono_ns(void);

typedef struct App {
    const Config *cfg;
    const Args *args;
    Display *display;
    Scene *scene;
    Inbox *inbox;
    Fetcher *fetcher;
    Kiosk *kiosk;         /* NULL for --screenshot */
    Config *cfg_reloaded; /* owned; the config after a SIGHUP reload */
    const char *data_dir;
    StoryList *stories; /* shown now; owned */
    DrawList dl;
    int64_t clock_base_s; /* wall clock at virtual time 0 */
    int64_t started_ns;   /* monotonic time at main() entry */
    FetchStatus status;   /* latest from the fetch thread */
    bool fixed_clock;     /* --clock given */
} App;

static int
apply_layout(App *app)
{
    int w, h;
    display_output_size(app->display, &w, &h);
    Layout lay;
    layout_compute(&lay, w, h, app->cfg);
    TextMeasurer m;
    char err[256];
    if (display_set_layout(app->display, &lay, &m, err, sizeof(err)) < 0) {
        fprintf(stderr, "newswire: %s\n", err);
        return -1;
    }
    scene_set_layout(app->scene, &lay, &m);
    return 0;
}

/* Moves a new list and status from the inbox into the scene. */
static void
take_inbox(App *app)
{
    StoryList *list = NULL;
    /* inbox_take() overwrites the status only when it changed, so the
     * copy kept here is always the latest. */
    if (!inbox_take(app->inbox, &list, &app->status)) {
        display_take_pictures(app->display, inbox_take_pictures(app->inbox),
                              app->scene);
        return;
    }
    scene_set_status(app->scene, &app->status);
    if (app->kiosk)
        kiosk_note_status(app->kiosk, &app->status);
    if (list) {
        /* The scene copies what it shows; the list is kept for --stats,
         * reloads and the control socket's status. */
        scene_set_stories(app->scene, list);
        story_list_free(app->stories);
        app->stories = list;
    }
    /* After the stories: a picture is kept while a card refers to it. */
    display_take_pictures(app->display, inbox_take_pictures(app->inbox),
                          app->scene);
}

static int64_t
wall_now(const App *app, int64_t virtual_ms)
{
    if (app->fixed_clock)
        return app->clock_base_s + virtual_ms / 1000;
    return clock_wall_s();
}

/* Animation time: virtual time, or the wall clock when screens on one
 * wall must agree (display.sync = wallclock). */
static int64_t
anim_ms(const App *app, int64_t virtual_ms)
{
    if (app->cfg->sync != SYNC_WALLCLOCK)
        return virtual_ms;
    if (app->fixed_clock)
        return app->clock_base_s * 1000 + virtual_ms;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
screenshot(App *app)
{
    int64_t at_ms = (int64_t)(app->args->at_s * 1000 + 0.5);
    fetcher_run_once(app->fetcher, wall_now(app, at_ms));
    take_inbox(app);
    SceneTime t = {anim_ms(app, at_ms), wall_now(app, at_ms), false};
    scene_build(app->scene, &t, &app->dl);
    display_draw(app->display, &app->dl);
    char err[512];
    if (display_save_png(app->display, app->args->screenshot, err,
                         sizeof(err)) < 0) {
        fprintf(stderr, "newswire: %s\n", err);
        return 1;
    }
    return 0;
}

typedef struct FrameStats {
    uint64_t frames;
    uint64_t dropped;
    uint32_t hist[4000]; /* frame work time in 25 us buckets, up to 100 ms */
} FrameStats;

static double
percentile_ms(const FrameStats *fs, double p)
{
    uint64_t want = (uint64_t)(fs->frames * p);
    uint64_t seen = 0;
    for (size_t i = 0; i < ARRAY_LEN(fs->hist); i++) {
        seen += fs->hist[i];
        if (seen > want)
            return (double)(i + 1) * 0.025;
    }
    return 100.0;
}

static void
print_stats(const FrameStats *fs, const Display *d)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
                 (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
    DisplayStats ds = display_stats(d);
    printf("frames %llu, dropped %llu, frame time p50 %.3f ms p99 %.3f ms, "
           "cpu %.2f s, peak rss %.1f MB, text rasterised %llu, textures "
           "created %llu\n",
           (unsigned long long)fs->frames, (unsigned long long)fs->dropped,
           percentile_ms(fs, 0.5), percentile_ms(fs, 0.99), cpu,
           ru.ru_maxrss / 1024.0, (unsigned long long)ds.ttf_renders,
           (unsigned long long)ds.textures_created);
}

static void
sleep_until_ns(int64_t t)
{
    clock_sleep_until_ns(t);
}

/* SIGHUP or "reload": a config that does not validate changes nothing.
 * A valid one gets a new scene and fetch thread; the stories on screen
 * stay until the new thread posts. Display keys need a restart. */
static void
reload(App *app)
{
    Config *cfg = xcalloc(1, sizeof(Config));
    const char *path = NULL;
    char err[768];
    if (load_config_from(app->args, app->data_dir, cfg, &path, err,
                         sizeof(err)) < 0) {
        kiosk_reloaded(app->kiosk, NULL, err);
        free(cfg);
        return;
    }
    free((char *)path);
    if (cfg->width != app->cfg->width || cfg->height != app->cfg->height ||
        cfg->fullscreen != app->cfg->fullscreen ||
        cfg->vsync != app->cfg->vsync || cfg->fps != app->cfg->fps ||
        cfg->max_texture_px != app->cfg->max_texture_px ||
        strcmp(cfg->font_regular, app->cfg->font_regular) ||
        strcmp(cfg->font_bold, app->cfg->font_bold) ||
        strcmp(cfg->video_drivers, app->cfg->video_drivers))
        log_warn("[display] and kiosk.video_drivers changes take effect at "
                 "the next start");
    fetcher_free(app->fetcher);
    scene_free(app->scene);
    free(app->cfg_reloaded);
    app->cfg = app->cfg_reloaded = cfg;
    app->scene = scene_new(cfg);
    app->fetcher = fetcher_new(cfg, app->inbox);
    kiosk_attach(app->kiosk, app->display, app->fetcher);
    if (apply_layout(app) < 0 || fetcher_start(app->fetcher) < 0)
        log_error("reload: cannot restart the display layout or the fetch "
                  "thread");
    scene_set_stories(app->scene, app->stories);
    scene_set_banner(app->scene, kiosk_banner(app->kiosk));
    kiosk_reloaded(app->kiosk, cfg, NULL);
}

static int
run_loop(App *app)
{
    FrameStats *fs = xcalloc(1, sizeof(FrameStats));
    const Config *cfg = app->cfg;
    bool vsync = display_has_vsync(app->display);
    int hz = vsync ? display_refresh_hz(app->display) : cfg->fps;
    int64_t frame_ns = 1000000000LL / hz;
    scene_set_refresh(app->scene, hz * 1000);
    RefreshMeter meter;
    refresh_meter_init(&meter);
    int64_t start = mono_ns();
    int64_t last = start;
    int64_t next_frame = start;
    int64_t anim_ns = 0; /* virtual time: stops while paused */
    int64_t step = 0;    /* cards skipped by keys and commands (status) */
    bool paused = false;
    bool stories_shown = false;
    int64_t stop_at = app->args->exit_after_s >= 0
                          ? start + (int64_t)(app->args->exit_after_s * 1e9)
                          : INT64_MAX;
    int rc = 0;
    for (;;) {
        int64_t now = mono_ns();
        if (now >= stop_at)
            break;
        /* A stall (a dragged window, a suspended VM) must not teleport the
         * crawl: clamp the step. */
        int64_t dt = MIN(now - last, 100000000LL);
        if (fs->frames > 0 && now - last > frame_ns * 3 / 2)
            fs->dropped++;
        last = now;
        if (!paused)
            anim_ns += dt;
        KioskFrame kf = {now,         fs->frames,
                         fs->dropped, paused,
                         step,        app->stories ? app->stories->count : 0};
        KioskActions ka = kiosk_tick(app->kiosk, &kf);
        if (ka.quit)
            break;
        if (ka.reload)
            reload(app);
        if (ka.refresh)
            fetcher_refresh(app->fetcher);
        if (ka.banner_changed)
            scene_set_banner(app->scene, kiosk_banner(app->kiosk));
        paused = ka.pause ? ka.pause > 0 : paused;
        if (ka.step) {
            scene_skip(app->scene, ka.step);
            step += ka.step;
        }
        AppEvent ev;
        bool quit = false;
        while ((ev = display_poll(app->display)) != EV_NONE) {
            if (ev == EV_QUIT)
                quit = true;
            else if (ev == EV_PAUSE)
                paused = !paused;
            else if (ev == EV_NEXT)
                scene_skip(app->scene, 1), step++;
            else if (ev == EV_PREV)
                scene_skip(app->scene, -1), step--;
            else if (ev == EV_REFRESH)
                fetcher_refresh(app->fetcher);
            else if (ev == EV_FULLSCREEN)
                display_toggle_fullscreen(app->display);
            else if (ev == EV_RESIZE && apply_layout(app) < 0)
                quit = true, rc = 1;
        }
        if (quit)
            break;
        take_inbox(app);
        if (ka.screen_off) {
            kiosk_idle(app->kiosk, stop_at);
            continue;
        }
        int64_t virt_ms = (now - start) / 1000000;
        SceneTime t = {anim_ms(app, anim_ns / 1000000), wall_now(app, virt_ms),
                       paused};
        scene_build(app->scene, &t, &app->dl);
        display_draw(app->display, &app->dl);
        int64_t work = mono_ns() - now;
        fs->hist[MIN((size_t)(work / 25000), ARRAY_LEN(fs->hist) - 1)]++;
        fs->frames++;
        fetcher_note_frames(app->fetcher, fs->frames, fs->dropped);
        display_present(app->display);
        kiosk_presented(app->kiosk);
        if (fs->frames == 1)
            log_info("first frame presented %.1f ms after start",
                     (double)(mono_ns() - app->started_ns) / 1e6);
        if (app->stories && !stories_shown) {
            stories_shown = true;
            log_info("first stories shown %.1f ms after start (%zu stories)",
                     (double)(mono_ns() - app->started_ns) / 1e6,
                     app->stories->count);
        }
        /* The rate frames really reach the screen, logged once for the
         * start-up diagnostics; under vsync it is the refresh rate the
         * crawl steps by. */
        int mhz = refresh_meter_add(&meter, mono_ns());
        if (mhz) {
            log_info("measured refresh: %.3f Hz (%s)", mhz / 1000.0,
                     vsync ? "vsync" : "paced by newswire, no vsync");
            if (vsync) {
                scene_set_refresh(app->scene, mhz);
                frame_ns = 1000000000000LL / mhz;
            }
        }
        if (!vsync) {
            /* A fixed schedule, so sleeping never drifts the rate. */
            next_frame += frame_ns;
            if (next_frame < now)
                next_frame = now + frame_ns;
            sleep_until_ns(next_frame);
        }
    }
    if (app->args->stats)
        print_stats(fs, app->display);
    free(fs);
    return rc;
}

static int
run_display(const Args *a, const Config *cfg, const char *cfg_path,
            const char *data_dir, int64_t started_ns)
{
    char font_regular[PATH_MAX], font_bold[PATH_MAX], err[512];
    resolve_path(data_dir, cfg->font_regular, font_regular,
                 sizeof(font_regular));
    resolve_path(data_dir, cfg->font_bold, font_bold, sizeof(font_bold));
    DisplayMode mode = a->mode;
    if (!a->mode_given && cfg->fullscreen)
        mode = DISPLAY_FULLSCREEN;
    if (a->screenshot)
        mode = DISPLAY_HEADLESS; /* screenshots are software-rendered */
    DisplayOpts dopts = {
        .mode = mode,
        .w = cfg->width,
        .h = cfg->height,
        .vsync = cfg->vsync,
        .max_texture_px = cfg->max_texture_px,
        .rotation = cfg->rotation,
        .software = cfg->renderer == RENDERER_SOFTWARE,
        .damage = cfg->damage,
        .font_regular = font_regular,
        .font_bold = font_bold,
    };
    App app = {.cfg = cfg, .args = a, .started_ns = started_ns};
    app.data_dir = data_dir;
    app.fixed_clock = a->clock != NULL;
    app.clock_base_s = (int64_t)time(NULL);
    if (a->clock && !time_parse(a->clock, &app.clock_base_s)) {
        fprintf(stderr, "newswire: --clock %s: not an ISO 8601 time\n",
                a->clock);
        return EXIT_USAGE;
    }
    if (!a->screenshot)
        app.kiosk = kiosk_new(cfg, cfg_path, mode == DISPLAY_FULLSCREEN,
                              mode == DISPLAY_HEADLESS);
    app.display = display_open(&dopts, err, sizeof(err));
    if (!app.display) {
        fprintf(stderr, "newswire: %s\n", err);
        kiosk_free(app.kiosk);
        return 1;
    }
    char desc[256];
    display_describe(app.display, desc, sizeof(desc));
    log_info("%s", desc);
    app.scene = scene_new(cfg);
    app.inbox = inbox_new();
    app.fetcher = fetcher_new(cfg, app.inbox);
    draw_list_init(&app.dl);
    int rc = apply_layout(&app) < 0 ? 1 : 0;
    if (rc == 0 && a->screenshot) {
        rc = screenshot(&app);
    } else if (rc == 0) {
        kiosk_attach(app.kiosk, app.display, app.fetcher);
        fetcher_load_cache(app.fetcher); /* before the first frame */
        if (fetcher_start(app.fetcher) < 0) {
            fprintf(stderr, "newswire: cannot start the fetch thread\n");
            rc = 1;
        } else {
            rc = run_loop(&app);
        }
    }
    fetcher_free(app.fetcher); /* stops and joins the thread */
    inbox_free(app.inbox);
    scene_free(app.scene);
    kiosk_free(app.kiosk);
    free(app.cfg_reloaded);
    story_list_free(app.stories);
    draw_list_deinit(&app.dl);
    display_close(app.display);
    return rc;
}

/* newswire ctl [-c FILE] [--socket PATH] COMMAND [ARGS]: exit 0 on "ok"
 * or a status, 1 on an error reply or no answer, 2 on usage. */
static int
run_ctl(int argc, char **argv)
{
    Args a = {0};
    const char *socket = NULL;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if ((!strcmp(argv[i], "-c") || !strcmp(argv[i], "--config")) &&
            i + 1 < argc)
            a.config_path = argv[++i];
        else if (!strcmp(argv[i], "--socket") && i + 1 < argc)
            socket = argv[++i];
        else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
            return fputs(USAGE, stdout) < 0;
        else
            usage_error("ctl: unknown option %s", argv[i]);
    }
    char err[768];
    Buf req, reply;
    buf_init(&req);
    buf_init(&reply);
    if (ctl_format_request(argc - i, (const char *const *)argv + i, &req, err,
                           sizeof(err)) < 0)
        usage_error("ctl: %s", err);
    Config *cfg = xcalloc(1, sizeof(Config));
    const char *path = NULL;
    if (!socket && load_config_from(&a, "", cfg, &path, err, sizeof(err)) < 0) {
        fprintf(stderr, "%s\n", err);
        return EXIT_USAGE;
    }
    if (!socket)
        socket = cfg->control_socket;
    int rc = 1;
    if (!*socket)
        fprintf(stderr, "newswire: control.socket is empty in %s\n",
                path ? path : "the configuration");
    else if (control_request(socket, req.data, 10000, &reply, err,
                             sizeof(err)) < 0)
        fprintf(stderr, "newswire: %s\n", err);
    else
        rc = strncmp(reply.data, "error", 5) ? 0 : 1;
    if (reply.len)
        fprintf(rc ? stderr : stdout, "%s\n", reply.data);
    buf_deinit(&req);
    buf_deinit(&reply);
    free(cfg);
    free((char *)path);
    return rc;
}

int
main(int argc, char **argv)
{
    int64_t started_ns = mono_ns();
    if (argc > 1 && !strcmp(argv[1], "ctl"))
        return run_ctl(argc - 1, argv + 1);
    char clock_err[128];
    if (clock_init(clock_err, sizeof(clock_err)) < 0) {
        fprintf(stderr, "newswire: %s\n", clock_err);
        return EXIT_USAGE;
    }
    Args args;
    parse_args(argc, argv, &args);
    char data_dir[PATH_MAX];
    find_data_dir(data_dir, sizeof(data_dir));
    Config *cfg = xcalloc(1, sizeof(Config));
    const char *cfg_path = NULL;
    load_config(&args, data_dir, cfg, &cfg_path);
    if (args.check_config) {
        printf("%s: ok\n", cfg_path ? cfg_path : "(built-in defaults)");
        free(cfg);
        free((char *)cfg_path);
        return 0;
    }
    /* libcurl's global state is set up before any thread exists. */
    if (http_global_init() < 0) {
        fprintf(stderr, "newswire: cannot initialise libcurl\n");
        return 1;
    }
    int rc;
    if (args.dump_feed) {
        int64_t wall = (int64_t)time(NULL);
        if (args.clock && !time_parse(args.clock, &wall)) {
            fprintf(stderr, "newswire: --clock %s: not an ISO 8601 time\n",
                    args.clock);
            rc = EXIT_USAGE;
        } else {
            rc = dump_feed(cfg, wall);
        }
    } else {
        rc = run_display(&args, cfg, cfg_path, data_dir, started_ns);
    }
    http_global_cleanup();
    free(cfg);
    free((char *)cfg_path);
    return rc;
}
