/*
 * bench_frame: the frame benchmark behind `make bench` and `make check-perf`.
 *
 * It links the core objects and the display adapter directly and drives
 * scene_build + display_draw + display_present with a virtual clock, so a
 * frame costs what it costs in the app, minus the pacing sleep. The display
 * is headless: the SDL dummy driver and the software renderer drawing into
 * an SDL_Surface, vsync off. Stories come from a generated NewsAPI document
 * (deterministic: story i is always the same text) decoded by feed_decode,
 * as the fetch thread would.
 *
 * Commands (one figure per output line):
 *   write-feed N [START]  print a NewsAPI document of N stories, indices
 *                         START.. (default 0); the newest is index 199
 *   frames                throughput, per-frame cost and text counters
 *   day                   RSS over a simulated day with rotating lists
 *   callgrind             the fixed instruction-count scenario; run under
 *                         valgrind --tool=callgrind --instr-atstart=no
 *   startup RUNS BUDGET_MS -- CMD...
 *                         runs CMD RUNS times and prints the median time
 *                         from exec to its "first frame presented" and
 *                         "first stories shown" log lines, the second
 *                         checked against BUDGET_MS
 * Options before the command: --size WxH (default 1920x1080), --stories N
 * (default 200), --data DIR (where fonts/ is; default .).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#if defined(__has_include)
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define HAVE_CALLGRIND 1
#endif
#endif
#ifndef HAVE_CALLGRIND
#define CALLGRIND_START_INSTRUMENTATION
#define CALLGRIND_STOP_INSTRUMENTATION
#define CALLGRIND_DUMP_STATS_AT(s)
#endif

#include "config.h"
#include "display.h"
#include "draw.h"
#include "feed.h"
#include "inbox.h"
#include "scene.h"
#include "story.h"
#include "util.h"

/* Wall clock at virtual time 0: 2026-01-01T09:00:00Z. */
#define BENCH_CLOCK_S 1767258000
#define FRAME_HZ 60
#define STORY_SPACING_S 15 /* story i is published at (i - 200) * 15 s */
#define ROTATE_EVERY_S 300 /* the fetch interval's default */
#define ROTATE_NEW 20      /* new stories per poll in the day simulation */
#define DAY_STEP_S 4       /* simulated seconds between frames of the day */

typedef struct Options {
    int w, h;
    int stories;
    const char *data_dir;
} Options;

typedef struct Bench {
    Options opt;
    Config cfg;
    Display *display;
    Scene *scene;
    StoryList *list; /* shown; owned */
    FetchStatus status;
    DrawList dl;
} Bench;

/* ---- the story generator ---- */

static const char *const WORDS[] = {
    "government", "minister",  "talks",     "election",     "markets",
    "shares",     "rise",      "fall",      "after",        "storm",
    "floods",     "city",      "council",   "plans",        "new",
    "rail",       "line",      "budget",    "deal",         "trade",
    "tariffs",    "exports",   "inflation", "rates",        "bank",
    "central",    "report",    "shows",     "growth",       "slows",
    "record",     "heat",      "wave",      "hits",         "south",
    "north",      "coast",     "villages",  "court",        "rules",
    "on",         "appeal",    "over",      "data",         "privacy",
    "law",        "health",    "service",   "strike",       "ends",
    "nurses",     "teachers",  "pay",       "offer",        "accepted",
    "football",   "final",     "champions", "win",          "late",
    "goal",       "in",        "the",       "of",           "for",
    "with",       "and",       "to",        "as",           "a",
    "energy",     "prices",    "drop",      "winter",       "supply",
    "solar",      "farm",      "approved",  "despite",      "protests",
    "scientists", "discover",  "ancient",   "shipwreck",    "off",
    "island",     "airport",   "expansion", "delayed",      "again",
    "Zürich",     "São Paulo", "Kraków",    "Ōsaka",        "Reykjavík",
    "café",       "owners",    "warn",      "of",           "closures",
    "police",     "arrest",    "suspect",   "fraud",        "inquiry",
    "opens",      "into",      "hospital",  "waiting",      "lists",
    "summit",     "leaders",   "agree",     "climate",      "targets",
    "Μetro",      "Киев",      "ceasefire", "holds",        "aid",
    "convoys",    "reach",     "border",    "towns",        "housing",
    "shortage",   "rents",     "students",  "universities", "funding",
    "cuts",       "museum",    "returns",   "artefacts",    "festival",
    "draws",      "crowds",    "despite",   "rain",         "ministers",
};

static const char *const SOURCES[] = {
    "Asian Lite News", "Reuters",          "The Guardian",   "BBC News",
    "Le Monde",        "Associated Press", "Deutsche Welle", "Al Jazeera",
    "NHK World",       "The Hindu",        "El País",        "ABC News",
};

static uint32_t
rng_next(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(*s >> 33);
}

static void
append_words(Buf *b, uint64_t *rng, int n, bool sentence)
{
    for (int i = 0; i < n; i++) {
        const char *w = WORDS[rng_next(rng) % ARRAY_LEN(WORDS)];
        if (i)
            buf_appends(b, " ");
        if (i == 0 && w[0] >= 'a' && w[0] <= 'z') {
            buf_appendf(b, "%c%s", w[0] - 'a' + 'A', w + 1);
        } else {
            buf_appends(b, w);
        }
        if (sentence && i + 1 < n && rng_next(rng) % 11 == 0)
            buf_appends(b, ",");
    }
    if (sentence)
        buf_appends(b, ".");
}

/* Appends story i as one NewsAPI article object. */
static void
append_article(Buf *b, long i)
{
    uint64_t rng = (uint64_t)(i + 1000003) * 2654435761ULL;
    char when[32];
    int64_t pub = BENCH_CLOCK_S + (int64_t)(i - 200) * STORY_SPACING_S;
    time_t t = (time_t)pub;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
    buf_appendf(b, "{\"source\":{\"id\":null,\"name\":\"%s\"},\"author\":null,",
                SOURCES[rng_next(&rng) % ARRAY_LEN(SOURCES)]);
    buf_appends(b, "\"title\":\"");
    append_words(b, &rng, 6 + (int)(rng_next(&rng) % 10), false);
    Buf desc;
    buf_init(&desc);
    int sentences = 1 + (int)(rng_next(&rng) % 3);
    for (int s = 0; s < sentences; s++) {
        if (s)
            buf_appends(&desc, " ");
        append_words(&desc, &rng, 8 + (int)(rng_next(&rng) % 14), true);
    }
    /* The body repeats the description and ends in NewsAPI's truncation
     * marker, as the free tier's "content" does. */
    buf_appendf(b,
                "\",\"description\":\"%s\","
                "\"url\":\"https://news.example/story/%ld\","
                "\"urlToImage\":null,\"publishedAt\":\"%s\","
                "\"content\":\"%s [+%u chars]\"}",
                desc.data, i, when, desc.data, 800 + rng_next(&rng) % 4000);
    buf_deinit(&desc);
}

/* A NewsAPI document with stories first .. first + n - 1, newest first. */
static char *
make_feed(long first, long n)
{
    Buf b;
    buf_init(&b);
    buf_appendf(&b, "{\"status\":\"ok\",\"totalResults\":%ld,\"articles\":[\n",
                n);
    for (long k = n - 1; k >= 0; k--) {
        append_article(&b, first + k);
        buf_appends(&b, k ? ",\n" : "\n");
    }
    buf_appends(&b, "]}\n");
    return buf_steal(&b);
}

static StoryList *
make_list(long first, long n)
{
    char *doc = make_feed(first, n);
    FeedDecodeOpts o = {.feed_name = "bench", .format = FEED_FORMAT_NEWSAPI};
    StoryList *list = NULL;
    char err[256];
    if (feed_decode(doc, strlen(doc), &o, &list, err, sizeof(err)) < 0) {
        fprintf(stderr, "bench_frame: the generated feed does not decode: %s\n",
                err);
        exit(1);
    }
    free(doc);
    story_list_sort_newest(list);
    return list;
}

/* ---- measuring ---- */

static double
cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double
mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A "Vm...:" line of /proc/self/status, in MB. */
static double
proc_status_mb(const char *key)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return -1;
    char line[256];
    double mb = -1;
    size_t n = strlen(key);
    while (fgets(line, sizeof(line), f)) {
        if (!strncmp(line, key, n) && line[n] == ':') {
            mb = strtod(line + n + 1, NULL) / 1024.0;
            break;
        }
    }
    fclose(f);
    return mb;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double
median(double *v, size_t n)
{
    qsort(v, n, sizeof(double), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static const char *
verdict(bool ok)
{
    return ok ? "ok" : "MISSED";
}

/* ---- the bench environment ---- */

static void
bench_open(Bench *b, const Options *opt)
{
    memset(b, 0, sizeof(*b));
    b->opt = *opt;
    config_defaults(&b->cfg);
    /* Every card for the same time, so card boundaries fall at multiples
     * of dwell_ms and the phases below can find them. */
    b->cfg.card_ms_per_char = 0;
    b->cfg.card_dwell_max_ms = b->cfg.card_dwell_ms;
    char regular[1024], bold[1024], err[512];
    snprintf(regular, sizeof(regular), "%s/%s", opt->data_dir,
             b->cfg.font_regular);
    snprintf(bold, sizeof(bold), "%s/%s", opt->data_dir, b->cfg.font_bold);
    /* The shipped defaults: damage tracking on, as a board without a GPU
     * runs it. */
    DisplayOpts dopts = {.mode = DISPLAY_HEADLESS,
                         .w = opt->w,
                         .h = opt->h,
                         .damage = b->cfg.damage,
                         .font_regular = regular,
                         .font_bold = bold};
    b->display = display_open(&dopts, err, sizeof(err));
    if (!b->display) {
        fprintf(stderr, "bench_frame: %s\n", err);
        exit(1);
    }
    Layout lay;
    layout_compute(&lay, opt->w, opt->h, &b->cfg);
    TextMeasurer m;
    if (display_set_layout(b->display, &lay, &m, err, sizeof(err)) < 0) {
        fprintf(stderr, "bench_frame: %s\n", err);
        exit(1);
    }
    b->scene = scene_new(&b->cfg);
    scene_set_layout(b->scene, &lay, &m);
    b->status.feed_count = 1;
    util_strlcpy(b->status.feeds[0].name, "bench",
                 sizeof(b->status.feeds[0].name));
    b->status.feeds[0].last_ok_s = BENCH_CLOCK_S;
    b->status.last_ok_s = BENCH_CLOCK_S;
    b->status.fetched_once = true;
    scene_set_status(b->scene, &b->status);
    b->list = make_list(0, opt->stories);
    scene_set_stories(b->scene, b->list);
    draw_list_init(&b->dl);
}

static void
bench_close(Bench *b)
{
    draw_list_deinit(&b->dl);
    scene_free(b->scene);
    story_list_free(b->list);
    display_close(b->display);
}

/* Replaces the list as take_inbox() does: the scene first, then the free. */
static void
bench_set_list(Bench *b, StoryList *list, int64_t wall_s)
{
    scene_set_stories(b->scene, list);
    story_list_free(b->list);
    b->list = list;
    b->status.feeds[0].last_ok_s = wall_s;
    b->status.last_ok_s = wall_s;
    scene_set_status(b->scene, &b->status);
}

static void
build(Bench *b, int64_t anim_ms)
{
    SceneTime t = {anim_ms, BENCH_CLOCK_S + anim_ms / 1000, false};
    scene_build(b->scene, &t, &b->dl);
}

/* One whole frame: what the app's loop does between two pacing sleeps. */
static void
frame(Bench *b, int64_t anim_ms)
{
    build(b, anim_ms);
    display_draw(b->display, &b->dl);
    display_present(b->display);
}

static int64_t
frame_ms(int64_t n)
{
    return n * 1000 / FRAME_HZ;
}

static bool
in_fade(const Bench *b, int64_t t_ms)
{
    return t_ms % b->cfg.card_dwell_ms < b->cfg.card_fade_ms;
}

/* Up to n 60 Hz frame times from start_ms on, outside card fades. */
static size_t
crawl_times(const Bench *b, int64_t start_ms, int64_t *out, size_t n)
{
    size_t k = 0;
    for (int64_t f = start_ms * FRAME_HZ / 1000; k < n; f++) {
        if (!in_fade(b, frame_ms(f)))
            out[k++] = frame_ms(f);
    }
    return k;
}

/* The 60 Hz frame times inside the fades of cards first..first+cards-1. */
static size_t
fade_times(const Bench *b, int first, int cards, int64_t *out, size_t cap)
{
    size_t k = 0;
    for (int c = first; c < first + cards; c++) {
        int64_t start = (int64_t)c * b->cfg.card_dwell_ms;
        for (int64_t f = (start * FRAME_HZ + 999) / 1000; k < cap; f++) {
            if (frame_ms(f) >= start + b->cfg.card_fade_ms)
                break;
            out[k++] = frame_ms(f);
        }
    }
    return k;
}

typedef struct Counters {
    uint64_t renders, textures, bytes;
} Counters;

static Counters
counters(const Bench *b)
{
    DisplayStats s = display_stats(b->display);
    return (Counters){s.ttf_renders, s.textures_created, s.bytes_uploaded};
}

static Counters
counters_diff(Counters a, Counters b)
{
    return (Counters){b.renders - a.renders, b.textures - a.textures,
                      b.bytes - a.bytes};
}

static double
timed_pass(Bench *b, const int64_t *times, size_t n)
{
    double t0 = cpu_s();
    for (size_t i = 0; i < n; i++)
        frame(b, times[i]);
    return cpu_s() - t0;
}

/* Median frames per CPU-second over reps warm passes. */
static double
throughput(Bench *b, const int64_t *times, size_t n, int reps)
{
    double fps[9];
    for (int r = 0; r < reps && r < 9; r++)
        fps[r] = (double)n / timed_pass(b, times, n);
    return median(fps, (size_t)reps);
}

/* ---- frames ---- */

static void
report_throughput(Bench *b)
{
    enum { CRAWL_N = 600, CARDS = 10, CHANGES = 20, REPS = 5 };
    int64_t *times = xcalloc(CRAWL_N + 64 * CARDS, sizeof(int64_t));
    /* Crawl-only: 10 s of frames from 20 s on, the card standing still. */
    size_t n = crawl_times(b, 20000, times, CRAWL_N);
    Counters c0 = counters(b);
    timed_pass(b, times, n); /* first pass: headlines enter the crawl */
    Counters first = counters_diff(c0, counters(b));
    double crawl_fps = throughput(b, times, n, REPS);
    Counters warm = counters_diff(c0, counters(b));
    warm = counters_diff(first, warm);
    printf("crawl-only frames: %.0f frames per CPU-second, %.3f ms CPU per "
           "frame (median of %d passes over %zu frames, warm text cache) "
           "[budget >= 2000: %s]\n",
           crawl_fps, 1000.0 / crawl_fps, REPS, n, verdict(crawl_fps >= 2000));
    printf("steady crawl-only frames: %.4f TTF renders, %.4f textures "
           "created, %.0f bytes uploaded per frame (%d passes x %zu frames) "
           "[budget 0, 0: %s]\n",
           (double)warm.renders / (double)(n * REPS),
           (double)warm.textures / (double)(n * REPS),
           (double)warm.bytes / (double)(n * REPS), REPS, n,
           verdict(warm.renders == 0 && warm.textures == 0));
    printf("first pass over those frames: %llu TTF renders, %llu textures, "
           "%.2f MB uploaded in %zu frames (headlines entering the crawl)\n",
           (unsigned long long)first.renders,
           (unsigned long long)first.textures, (double)first.bytes / 1e6, n);

    /* Card transitions: every frame inside the fades of 20 cards. */
    n = fade_times(b, 4, CARDS, times, CRAWL_N + 64 * CARDS);
    timed_pass(b, times, n);
    double card_fps = throughput(b, times, n, REPS);
    printf("card-transition frames: %.0f frames per CPU-second, %.3f ms CPU "
           "per frame (median of %d passes over %zu frames in %d fades, warm "
           "text cache)\n",
           card_fps, 1000.0 / card_fps, REPS, n, CARDS);

    /* The frame that brings a new card in, with its text not yet made: the
     * second frame of the fade, the first where the card's opacity is not
     * zero (text at opacity zero is not drawn). The two frames before it
     * warm the crawl. */
    double cpu = 0, worst_mb = 0;
    Counters sum = {0, 0, 0};
    for (int c = 40; c < 40 + CHANGES; c++) {
        int64_t t = (int64_t)c * b->cfg.card_dwell_ms;
        frame(b, t - 17);
        frame(b, t);
        Counters before = counters(b);
        double t0 = cpu_s();
        frame(b, t + 16);
        cpu += cpu_s() - t0;
        Counters d = counters_diff(before, counters(b));
        sum.renders += d.renders;
        sum.textures += d.textures;
        sum.bytes += d.bytes;
        worst_mb = MAX(worst_mb, (double)d.bytes / 1e6);
    }
    printf("card-change frame (the new card's text rasterised): %.2f ms CPU, "
           "%.1f TTF renders, %.1f textures, %.2f MB uploaded (mean of %d "
           "cards; most %.2f MB) [budget <= 2 MB in one frame: %s]\n",
           cpu * 1000 / CHANGES, (double)sum.renders / CHANGES,
           (double)sum.textures / CHANGES, (double)sum.bytes / 1e6 / CHANGES,
           CHANGES, worst_mb, verdict(worst_mb <= 2.0));
    free(times);
}

/* Hour 2 of a run on one list (hour 1 warms the text cache), sampled at
 * 2 Hz: every card stands for seconds and every headline crosses the crawl
 * in more than ten, so the sampled frames draw every string the 60 Hz
 * frames would; the counts are divided by the 60 Hz frame count. */
static void
report_steady_hour(Bench *b)
{
    int64_t start = 3600 * 1000, end = 7200 * 1000;
    for (int64_t t = 0; t < start; t += 1000)
        frame(b, t);
    Counters c0 = counters(b);
    for (int64_t t = start; t < end; t += 500)
        frame(b, t);
    Counters d = counters_diff(c0, counters(b));
    double frames60 = (double)(end - start) / 1000.0 * FRAME_HZ;
    printf("hour 2 on one %d-story list: %.4f TTF renders, %.4f textures "
           "created, %.0f bytes uploaded per 60 Hz frame (%llu renders, "
           "%.1f MB uploaded in the hour) [budget 0 in steady state: %s]\n",
           b->opt.stories, (double)d.renders / frames60,
           (double)d.textures / frames60, (double)d.bytes / frames60,
           (unsigned long long)d.renders, (double)d.bytes / 1e6,
           verdict(d.renders == 0));
}

static int
cmd_frames(const Options *opt)
{
    Bench b;
    double t0 = mono_s();
    bench_open(&b, opt);
    printf("bench: %dx%d, SDL dummy driver, software renderer on a surface, "
           "vsync off, %d stories, virtual clock (set-up %.0f ms)\n",
           opt->w, opt->h, opt->stories, (mono_s() - t0) * 1000);
    for (int64_t t = 0; t < 20000; t += 1000 / FRAME_HZ)
        frame(&b, t); /* warm-up: the first two cards and the crawl */
    report_throughput(&b);
    report_steady_hour(&b);
    printf("peak RSS of this benchmark at %dx%d: %.1f MB\n", opt->w, opt->h,
           proc_status_mb("VmHWM"));
    bench_close(&b);
    return 0;
}

/* ---- day ---- */

/* 24 simulated hours, one frame every 4 simulated seconds (every card
 * stands for 8 s and every headline takes more than 10 s to cross the
 * crawl, so the frames draw every string the app would), and every 5
 * minutes a new list in which 20 stories are new, as a busy feed posts. */
static int
cmd_day(const Options *opt)
{
    Bench b;
    bench_open(&b, opt);
    double t0 = mono_s();
    double rss_h1 = 0, sum_x = 0, sum_y = 0, sum_xx = 0, sum_xy = 0;
    double hourly[24];
    int samples = 0, lists = 0;
    for (int64_t s = 0; s < 24 * 3600; s += DAY_STEP_S) {
        if (s > 0 && s % ROTATE_EVERY_S == 0) {
            long first = (long)(s / ROTATE_EVERY_S) * ROTATE_NEW;
            bench_set_list(&b, make_list(first, opt->stories),
                           BENCH_CLOCK_S + s);
            lists++;
        }
        frame(&b, s * 1000);
        int64_t done = s + DAY_STEP_S;
        if (done % 60 == 0) {
            double rss = proc_status_mb("VmRSS");
            double h = (double)done / 3600.0;
            if (done == 3600)
                rss_h1 = rss;
            if (done % 3600 == 0)
                hourly[done / 3600 - 1] = rss;
            if (done >= 3600) { /* the slope after the first hour */
                sum_x += h;
                sum_y += rss;
                sum_xx += h * h;
                sum_xy += h * rss;
                samples++;
            }
        }
    }
    double rss_h24 = proc_status_mb("VmRSS");
    double slope = (samples * sum_xy - sum_x * sum_y) /
                   (samples * sum_xx - sum_x * sum_x); /* MB per hour */
    DisplayStats ds = display_stats(b.display);
    printf("simulated day at %dx%d: %d frames, %d new lists, %llu TTF "
           "renders, %zu textures alive at the end (%.0f s)\n",
           opt->w, opt->h, 24 * 3600 / DAY_STEP_S, lists,
           (unsigned long long)ds.ttf_renders, ds.textures_alive,
           mono_s() - t0);
    printf("RSS at the end of each simulated hour, MB:");
    for (int h = 0; h < 24; h++)
        printf(" %.1f", hourly[h]);
    printf("\n");
    printf("RSS after simulated hour 1: %.1f MB, after hour 24: %.1f MB, "
           "growth %.2f MB (fitted slope %.2f MB per day) [budget < 1 MB per "
           "day: %s]\n",
           rss_h1, rss_h24, rss_h24 - rss_h1, slope * 24,
           verdict(rss_h24 - rss_h1 < 1.0 && slope * 24 < 1.0));
    double hwm = proc_status_mb("VmHWM");
    printf("peak RSS at %dx%d over the simulated day: %.1f MB [budget <= 64 "
           "MB: %s]\n",
           opt->w, opt->h, hwm, verdict(hwm <= 64.0));
    bench_close(&b);
    return 0;
}

/* ---- callgrind ---- */

/* Each phase is bracketed by CALLGRIND_START/STOP_INSTRUMENTATION and dumped
 * under its name; bench/check-perf.sh divides by the frame counts printed
 * here. Everything else (SDL start-up, font loading, warm-up) is not
 * counted. */
static int
cmd_callgrind(const Options *opt)
{
    enum { CRAWL_N = 30, CHANGES = 3 };
    Bench b;
    bench_open(&b, opt);
    int64_t crawl[CRAWL_N], fades[64];
    size_t nc = crawl_times(&b, 2000, crawl, CRAWL_N);
    size_t nf = fade_times(&b, 1, 1, fades, ARRAY_LEN(fades));
    for (size_t i = 0; i < nc; i++)
        frame(&b, crawl[i]);
    for (size_t i = 0; i < nf; i++)
        frame(&b, fades[i]);

    CALLGRIND_START_INSTRUMENTATION;
    for (size_t i = 0; i < nc; i++)
        build(&b, crawl[i]);
    CALLGRIND_STOP_INSTRUMENTATION;
    CALLGRIND_DUMP_STATS_AT("scene");

    CALLGRIND_START_INSTRUMENTATION;
    for (size_t i = 0; i < nc; i++)
        frame(&b, crawl[i]);
    CALLGRIND_STOP_INSTRUMENTATION;
    CALLGRIND_DUMP_STATS_AT("crawl");

    CALLGRIND_START_INSTRUMENTATION;
    for (size_t i = 0; i < nf; i++)
        frame(&b, fades[i]);
    CALLGRIND_STOP_INSTRUMENTATION;
    CALLGRIND_DUMP_STATS_AT("card");

    for (int c = 2; c < 2 + CHANGES; c++) {
        int64_t t = (int64_t)c * b.cfg.card_dwell_ms;
        /* The second before the change, frame by frame, as the display
         * runs it: the next card's text is rasterised ahead then. */
        for (int64_t u = t - 1000; u < t; u += 16)
            frame(&b, u);
        frame(&b, t); /* the fade's first frame: the new card at opacity 0 */
        CALLGRIND_START_INSTRUMENTATION;
        frame(&b, t + 16);
        CALLGRIND_STOP_INSTRUMENTATION;
    }
    CALLGRIND_DUMP_STATS_AT("change");
    printf("phase scene frames %zu\nphase crawl frames %zu\n"
           "phase card frames %zu\nphase change frames %d\n",
           nc, nc, nf, CHANGES);
    bench_close(&b);
    return 0;
}

/* ---- startup ---- */

typedef struct StartupRun {
    double first_frame_ms; /* exec to "first frame presented", -1 if never */
    double stories_ms;     /* exec to "first stories shown", -1 if never */
} StartupRun;

static StartupRun
startup_once(char **cmd)
{
    StartupRun r = {-1, -1};
    int fds[2];
    if (pipe(fds) < 0) {
        perror("bench_frame: pipe");
        exit(1);
    }
    double t0 = mono_s();
    pid_t pid = fork();
    if (pid < 0) {
        perror("bench_frame: fork");
        exit(1);
    }
    if (pid == 0) {
        close(fds[0]);
        dup2(fds[1], STDERR_FILENO);
        close(fds[1]);
        execvp(cmd[0], cmd);
        fprintf(stderr, "bench_frame: cannot run %s: %s\n", cmd[0],
                strerror(errno));
        _exit(127);
    }
    close(fds[1]);
    char buf[8192];
    size_t len = 0;
    while (r.first_frame_ms < 0 || r.stories_ms < 0) {
        struct pollfd p = {fds[0], POLLIN, 0};
        if (poll(&p, 1, 10000) <= 0)
            break;
        ssize_t got = read(fds[0], buf + len, sizeof(buf) - 1 - len);
        if (got <= 0)
            break;
        double now = mono_s();
        len += (size_t)got;
        buf[len] = '\0';
        if (r.first_frame_ms < 0 && strstr(buf, "first frame presented"))
            r.first_frame_ms = (now - t0) * 1000;
        if (r.stories_ms < 0 && strstr(buf, "first stories shown"))
            r.stories_ms = (now - t0) * 1000;
        char *nl = strrchr(buf, '\n'); /* keep only the unfinished line */
        if (nl) {
            len = strlen(nl + 1);
            memmove(buf, nl + 1, len + 1);
        }
        if (len >= sizeof(buf) - 1)
            len = 0;
    }
    kill(pid, SIGTERM);
    close(fds[0]);
    waitpid(pid, NULL, 0);
    return r;
}

static int
cmd_startup(int runs, int budget_ms, char **cmd)
{
    double ff[64], st[64];
    int nff = 0, nst = 0;
    startup_once(cmd); /* warms the page cache; not counted */
    for (int i = 0; i < runs && i < 64; i++) {
        StartupRun r = startup_once(cmd);
        if (r.first_frame_ms >= 0)
            ff[nff++] = r.first_frame_ms;
        if (r.stories_ms >= 0)
            st[nst++] = r.stories_ms;
    }
    if (nff == 0) {
        printf("startup: no run logged \"first frame presented\"\n");
        return 1;
    }
    double mff = median(ff, (size_t)nff);
    double mst = nst ? median(st, (size_t)nst) : -1;
    printf("first frame %.1f ms (min %.1f, max %.1f)", mff, ff[0], ff[nff - 1]);
    if (nst)
        printf(", first frame with stories %.1f ms (min %.1f, max %.1f)", mst,
               st[0], st[nst - 1]);
    else
        printf(", no frame with stories");
    printf(", median of %d runs [budget <= %d ms with stories: %s]\n", nff,
           budget_ms, verdict(nst && mst <= budget_ms));
    return 0;
}

/* ---- main ---- */

static _Noreturn void
usage(void)
{
    fprintf(stderr,
            "usage: bench_frame [--size WxH] [--stories N] [--data DIR] "
            "write-feed N [START] | frames | day | callgrind | "
            "startup RUNS BUDGET_MS -- CMD...\n");
    exit(2);
}

int
main(int argc, char **argv)
{
    /* As newswire itself does (src/main.c): large text surfaces from mmap,
     * so they do not fragment the heap. */
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
    Options opt = {1920, 1080, 200, "."};
    int i = 1;
    for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
        if (!strcmp(argv[i], "--size")) {
            if (sscanf(argv[i + 1], "%dx%d", &opt.w, &opt.h) != 2 ||
                opt.w < 160 || opt.h < 120)
                usage();
        } else if (!strcmp(argv[i], "--stories")) {
            opt.stories = atoi(argv[i + 1]);
            if (opt.stories < 1 || opt.stories > FEED_MAX_STORIES)
                usage();
        } else if (!strcmp(argv[i], "--data")) {
            opt.data_dir = argv[i + 1];
        } else {
            usage();
        }
    }
    if (i >= argc)
        usage();
    const char *cmd = argv[i];
    setvbuf(stdout, NULL, _IOLBF, 0); /* figures appear as they are made */
    setenv("TZ", "UTC", 1);
    tzset();
    if (!strcmp(cmd, "write-feed") && i + 1 < argc) {
        long n = atol(argv[i + 1]);
        long first = i + 2 < argc ? atol(argv[i + 2]) : 0;
        if (n < 1)
            usage();
        char *doc = make_feed(first, n);
        fputs(doc, stdout);
        free(doc);
        return 0;
    }
    if (!strcmp(cmd, "frames"))
        return cmd_frames(&opt);
    if (!strcmp(cmd, "day"))
        return cmd_day(&opt);
    if (!strcmp(cmd, "callgrind"))
        return cmd_callgrind(&opt);
    if (!strcmp(cmd, "startup") && i + 4 < argc && !strcmp(argv[i + 3], "--")) {
        int runs = atoi(argv[i + 1]);
        if (runs < 1)
            usage();
        return cmd_startup(runs, atoi(argv[i + 2]), argv + i + 4);
    }
    usage();
}
