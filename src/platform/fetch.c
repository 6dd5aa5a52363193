/*
 * fetch: the fetch thread body. See fetch.h.
 *
 * The thread sleeps in curl_multi_poll() until the earliest of: a feed's
 * next attempt, a story ageing past the limit, a feed turning offline, the
 * status file's refresh; network activity and fetcher_refresh() or
 * fetcher_stop() (curl_multi_wakeup) end the wait early. Deadlines are on
 * the monotonic clock, so wall-clock steps (NTP on a Pi without a clock
 * battery) do not move poll times; waits are capped at a minute so wall
 * deadlines follow a stepped clock within a minute.
 */
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <SDL_image.h>

#include "backoff.h"
#include "cache.h"
#include "clock.h"
#include "diskfile.h"
#include "feed.h"
#include "fetch.h"
#include "freshness.h"
#include "http.h"
#include "images.h"
#include "log.h"
#include "merge.h"
#include "payload.h"
#include "statusfile.h"
#include "timefmt.h"
#include "version.h"

#define WAIT_MAX_MS 60000       /* longest sleep, scaled time */
#define STATUS_REFRESH_MS 60000 /* frame totals in the status file */
#define SIG_SEED UINT64_C(0x5eed5eed)

typedef struct FeedState {
    FeedConf conf;
    HttpTransfer *http;
    StoryList *last_good; /* owned; NULL until the first success */
    /* Validators of last_good, sent back as If-None-Match and
     * If-Modified-Since. Not sent when last_good came from a cache written
     * by another version: its decoder may have read the document
     * differently, so a full answer is wanted once. */
    char etag[CACHE_ETAG_MAX];
    char last_modified[CACHE_DATE_MAX];
    bool validators_ok;
    int64_t due_ms;            /* scaled monotonic time of the next attempt */
    char cache_path[PATH_MAX]; /* "" when the cache is off */
    char cache_error[STATUS_ERROR_MAX]; /* last write error, logged once */
    FeedStatus status;
} FeedState;

struct Fetcher {
    Config cfg; /* own copy: HttpOpts point into it */
    FeedState feeds[CONFIG_MAX_FEEDS];
    size_t feed_count;
    char protocols[16];
    HttpEngine *engine;
    Images *images;         /* story pictures; NULL when off */
    int64_t images_next_ms; /* next retry of a failed picture */
    Inbox *inbox;
    Rng rng;
    atomic_bool stop;
    atomic_bool refresh;
    _Atomic uint64_t frames;
    _Atomic uint64_t dropped;
    /* Heartbeat (fetcher_busy_ms) and the test-only freeze hook. */
    _Atomic int64_t beat_ms; /* real monotonic start of this step; 0 idle */
    int64_t freeze_at_ms;    /* test hook; 0 off */
    pthread_t thread;
    bool running;

    /* What was posted last. */
    bool posted_once;
    uint64_t posted_sig;
    int stories_shown;
    int64_t next_status_s; /* wall: a story ages out or a feed goes offline */
    FetchStatus last_status;

    /* The status file. */
    Buf status_text;         /* last written, without the totals */
    int64_t status_check_ms; /* next refresh of the totals */
    uint64_t status_frames;  /* frames in the last written file */
    char status_error[STATUS_ERROR_MAX];
};

static void
normalise_protocols(const char *list, char *out, size_t n)
{
    /* config_validate() allowed only https and http, commas and spaces;
     * libcurl wants a plain comma list. */
    bool https = false, http = false;
    for (const char *p = list; *p;) {
        size_t len = strcspn(p, ", ");
        https = https || (len == 5 && !strncasecmp(p, "https", 5));
        http = http || (len == 4 && !strncasecmp(p, "http", 4));
        p += len;
        p += strspn(p, ", ");
    }
    snprintf(out, n, "%s%s%s", https ? "https" : "", https && http ? "," : "",
             http ? "http" : "");
    if (!*out)
        util_strlcpy(out, "https", n);
}

/* The watchdog heartbeat runs on real time, whatever the time scale. */
static int64_t
real_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

Fetcher *
fetcher_new(const Config *cfg, Inbox *inbox)
{
    Fetcher *f = xcalloc(1, sizeof(Fetcher));
    f->cfg = *cfg;
    normalise_protocols(cfg->fetch_protocols, f->protocols,
                        sizeof(f->protocols));
    f->inbox = inbox;
    f->engine = http_engine_new();
    atomic_init(&f->stop, false);
    atomic_init(&f->refresh, false);
    atomic_init(&f->frames, 0);
    atomic_init(&f->dropped, 0);
    atomic_init(&f->beat_ms, 0);
    const char *freeze = getenv("NEWSWIRE_TEST_FREEZE_FETCH_S");
    if (freeze && atoi(freeze) > 0)
        f->freeze_at_ms = real_mono_ms() + atoi(freeze) * 1000LL;
    rng_seed(&f->rng, (uint64_t)clock_real_wall_s() * 1000003u ^
                          (uint64_t)getpid() << 32 ^ (uint64_t)clock_mono_ns());
    HttpOpts opts = {
        .timeout_s = cfg->fetch_timeout_s,
        .max_bytes = (size_t)cfg->fetch_max_kb * 1024,
        .protocols = f->protocols,
        .ca_file = f->cfg.fetch_ca_file,
        .proxy = f->cfg.fetch_proxy,
        .abort_flag = &f->stop,
    };
    f->feed_count = cfg->feed_count;
    for (size_t i = 0; i < cfg->feed_count; i++) {
        FeedState *fs = &f->feeds[i];
        fs->conf = cfg->feeds[i];
        fs->http = http_transfer_new(f->engine, &opts, fs);
        util_strlcpy(fs->status.name, fs->conf.name, sizeof(fs->status.name));
        fs->status.interval_s =
            fs->conf.interval_s ? fs->conf.interval_s : cfg->fetch_interval_s;
    }
    /* The decoders load on first use; loading them here keeps
     * IMG_Init off the fetch thread. */
    IMG_Init(IMG_INIT_JPG | IMG_INIT_PNG | IMG_INIT_WEBP);
    f->images =
        images_new(f->engine, &opts, inbox, f->cfg.feeds, f->feed_count);
    f->images_next_ms = INT64_MAX;
    f->next_status_s = INT64_MAX;
    buf_init(&f->status_text);
    return f;
}

void
fetcher_free(Fetcher *f)
{
    if (!f)
        return;
    fetcher_stop(f);
    for (size_t i = 0; i < f->feed_count; i++) {
        http_transfer_free(f->feeds[i].http);
        story_list_free(f->feeds[i].last_good);
    }
    images_free(f->images);
    http_engine_free(f->engine);
    buf_deinit(&f->status_text);
    free(f);
}

/* ---- posting ---- */

static uint64_t
hash_str(uint64_t h, const char *s)
{
    return s ? util_hash64(s, strlen(s) + 1, h) : util_hash64("", 0, h + 1);
}

/* Changes whenever anything the screen shows changes. */
static uint64_t
list_signature(const StoryList *l)
{
    uint64_t h = util_hash64(&l->count, sizeof(l->count), SIG_SEED);
    for (size_t i = 0; i < l->count; i++) {
        const Story *s = &l->items[i];
        h = hash_str(h, s->id);
        h = hash_str(h, s->title);
        h = hash_str(h, s->summary);
        h = hash_str(h, s->source);
        h = hash_str(h, s->url);
        h = hash_str(h, s->image);
        h = hash_str(h, s->feed);
        int64_t nums[3] = {s->published_s, s->priority, s->read_min};
        h = util_hash64(nums, sizeof(nums), h);
    }
    return h;
}

/* The wall time the next shown story ages past filter.max_age_h. */
static int64_t
next_expiry_s(const Fetcher *f, int64_t wall_s)
{
    if (f->cfg.max_age_h <= 0)
        return INT64_MAX;
    int64_t next = INT64_MAX;
    int64_t age_s = (int64_t)f->cfg.max_age_h * 3600;
    for (size_t i = 0; i < f->feed_count; i++) {
        const StoryList *l = f->feeds[i].last_good;
        for (size_t j = 0; l && j < l->count; j++) {
            int64_t p = l->items[j].published_s;
            if (p == STORY_NO_TIME)
                continue;
            /* merge_lists drops a story once now - published > age. */
            int64_t at = p + age_s + 1;
            if (at > wall_s)
                next = MIN(next, at);
        }
    }
    return next;
}

static void
build_status(Fetcher *f, int64_t wall_s, FetchStatus *st)
{
    memset(st, 0, sizeof(*st));
    st->feed_count = (int)f->feed_count;
    st->fetched_once = true;
    st->stories_shown = f->stories_shown;
    st->max_age_h = f->cfg.max_age_h;
    for (size_t i = 0; i < f->feed_count; i++) {
        FeedStatus *fs = &f->feeds[i].status;
        fs->offline = freshness_feed_offline(fs, wall_s);
        st->feeds[i] = *fs;
        st->last_ok_s = MAX(st->last_ok_s, fs->last_ok_s);
        st->stories_held += fs->story_count;
        if (!fs->last_attempt_s)
            st->fetched_once = false;
    }
}

static void
status_file_update(Fetcher *f, const FetchStatus *st, bool force)
{
    const char *path = f->cfg.status_file;
    if (!*path)
        return;
    int64_t now_ms = clock_mono_ms();
    Buf key;
    buf_init(&key);
    statusfile_format(st, NULL, &key);
    uint64_t frames = atomic_load(&f->frames);
    bool changed = f->status_text.len != key.len ||
                   memcmp(f->status_text.data, key.data, key.len) != 0;
    bool refresh = now_ms >= f->status_check_ms && frames != f->status_frames;
    if (now_ms >= f->status_check_ms)
        f->status_check_ms = now_ms + STATUS_REFRESH_MS;
    if (changed || refresh || force) {
        StatusTotals t = {frames, atomic_load(&f->dropped), clock_wall_s()};
        Buf text;
        buf_init(&text);
        statusfile_format(st, &t, &text);
        char err[STATUS_ERROR_MAX];
        if (diskfile_write_atomic(path, text.data, text.len, err, sizeof(err)) <
            0) {
            if (strcmp(err, f->status_error))
                log_warn("status file: %s", err);
            util_strlcpy(f->status_error, err, sizeof(f->status_error));
        } else {
            f->status_error[0] = '\0';
            f->status_frames = frames;
            buf_clear(&f->status_text);
            buf_append(&f->status_text, key.data, key.len);
        }
        buf_deinit(&text);
    }
    buf_deinit(&key);
}

/* Merges when a feed's stories changed or a story aged out, posts the
 * list if what the screen shows changed, and always the status. */
static void
post(Fetcher *f, int64_t wall_s, bool lists_changed)
{
    StoryList *merged = NULL;
    if (lists_changed || !f->posted_once || wall_s >= f->next_status_s) {
        const StoryList *lists[CONFIG_MAX_FEEDS];
        for (size_t i = 0; i < f->feed_count; i++)
            lists[i] = f->feeds[i].last_good;
        MergeOpts mo;
        merge_opts_init(&mo, &f->cfg);
        mo.now_s = wall_s;
        merged = merge_lists(lists, f->feed_count, &mo);
        uint64_t sig = list_signature(merged);
        if (f->posted_once && sig == f->posted_sig) {
            /* Same stories: the screen keeps its textures. */
            story_list_free(merged);
            merged = NULL;
        } else {
            f->posted_once = true;
            f->posted_sig = sig;
            f->stories_shown = (int)merged->count;
            if (f->images)
                images_update(f->images, merged);
        }
    }
    FetchStatus *st = &f->last_status;
    build_status(f, wall_s, st);
    f->next_status_s = next_expiry_s(f, wall_s);
    for (size_t i = 0; i < f->feed_count; i++) {
        int64_t at = freshness_next_offline_s(&f->feeds[i].status);
        f->next_status_s = MIN(f->next_status_s, at);
    }
    inbox_post(f->inbox, merged, st);
    if (f->running)
        status_file_update(f, st, false);
}

/* ---- the cache ---- */

static bool
cache_dir_for(const Config *cfg, char *out, size_t n)
{
    const char *dir = cfg->fetch_cache_dir;
    if (!strcmp(dir, "off"))
        return false;
    if (*dir) {
        util_strlcpy(out, dir, n);
        return true;
    }
    const char *xdg = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    if (xdg && xdg[0] == '/')
        snprintf(out, n, "%s/newswire", xdg);
    else if (home && *home)
        snprintf(out, n, "%s/.cache/newswire", home);
    else
        return false;
    return true;
}

static void
cache_load_feed(FeedState *fs)
{
    Buf data;
    buf_init(&data);
    char err[256] = "";
    const char *path = fs->cache_path;
    DiskRead rd = diskfile_read(path, CACHE_MAX_BYTES, &data, err, sizeof(err));
    CacheEntry e;
    bool corrupt = false;
    if (rd == DISK_READ_TOO_BIG) {
        snprintf(err, sizeof(err), "larger than %d bytes", CACHE_MAX_BYTES);
        corrupt = true;
    } else if (rd == DISK_READ_ERROR) {
        log_warn("cache: %s", err);
    } else if (rd == DISK_READ_OK &&
               cache_decode(data.data ? data.data : "", data.len, &e, err,
                            sizeof(err)) < 0) {
        corrupt = true;
    } else if (rd == DISK_READ_OK) {
        if (strcmp(e.feed, fs->conf.name) || strcmp(e.url, fs->conf.url)) {
            log_info("cache: %s holds another feed or URL; not used", path);
            cache_entry_deinit(&e);
        } else {
            fs->last_good = e.stories;
            e.stories = NULL;
            util_strlcpy(fs->etag, e.etag, sizeof(fs->etag));
            util_strlcpy(fs->last_modified, e.last_modified,
                         sizeof(fs->last_modified));
            fs->validators_ok = !strcmp(e.version, NEWSWIRE_VERSION);
            fs->status.last_ok_s = e.saved_s;
            fs->status.story_count = (int)fs->last_good->count;
            char iso[TIME_ISO_SIZE];
            time_format_iso(e.saved_s, iso, sizeof(iso));
            log_info("cache: %zu stories for feed %s, fetched %s",
                     fs->last_good->count, fs->conf.name, iso);
        }
    }
    if (corrupt) {
        char moved[PATH_MAX + 16];
        if (diskfile_quarantine(path, moved, sizeof(moved)) == 0)
            log_warn("cache: %s is unusable (%s); moved it to %s", path, err,
                     moved);
        else
            log_warn("cache: %s is unusable (%s) and cannot be moved aside",
                     path, err);
    }
    buf_deinit(&data);
}

void
fetcher_load_cache(Fetcher *f)
{
    char dir[PATH_MAX - 80];
    if (!cache_dir_for(&f->cfg, dir, sizeof(dir))) {
        log_info("cache: off");
        return;
    }
    char err[PATH_MAX + 64];
    if (diskfile_mkdirs(dir, err, sizeof(err)) < 0) {
        log_warn("cache: %s; running without a cache", err);
        return;
    }
    for (size_t i = 0; i < f->feed_count; i++) {
        FeedState *fs = &f->feeds[i];
        char name[80];
        cache_file_name(fs->conf.name, name, sizeof(name));
        snprintf(fs->cache_path, sizeof(fs->cache_path), "%s/%s", dir, name);
        cache_load_feed(fs);
    }
    post(f, clock_wall_s(), true);
}

/* Stores a feed's new stories; only called when they changed, so an SD
 * card sees no write for an unchanged feed. */
static void
cache_save(FeedState *fs, int64_t wall_s)
{
    if (!fs->cache_path[0])
        return;
    CacheEntry e = {.saved_s = wall_s, .stories = fs->last_good};
    util_strlcpy(e.feed, fs->conf.name, sizeof(e.feed));
    util_strlcpy(e.url, fs->conf.url, sizeof(e.url));
    util_strlcpy(e.version, NEWSWIRE_VERSION, sizeof(e.version));
    util_strlcpy(e.etag, fs->etag, sizeof(e.etag));
    util_strlcpy(e.last_modified, fs->last_modified, sizeof(e.last_modified));
    Buf b;
    buf_init(&b);
    cache_encode(&e, &b);
    char err[STATUS_ERROR_MAX];
    if (diskfile_write_atomic(fs->cache_path, b.data, b.len, err, sizeof(err)) <
        0) {
        if (strcmp(err, fs->cache_error))
            log_warn("cache: %s", err);
        util_strlcpy(fs->cache_error, err, sizeof(fs->cache_error));
    } else {
        fs->cache_error[0] = '\0';
    }
    buf_deinit(&b);
}

/* ---- one attempt ---- */

static void
start_feed(FeedState *fs)
{
    bool conditional = fs->last_good && fs->validators_ok;
    http_transfer_start(fs->http, fs->conf.url, conditional ? fs->etag : NULL,
                        conditional ? fs->last_modified : NULL);
}

/* The sentence for an HTTP error status. An API's JSON error document
 * (a 401 or 429 with {"status":"error","message":...}) can say more than
 * the status code; the decoder reads it. */
static void
describe_http_error(const FeedState *fs, const HttpResult *res, char *err,
                    size_t n)
{
    feed_describe_http_error(fs->conf.name, res->status, res->body.data,
                             res->body.len, err, n);
}

/* Books the result of one attempt; returns true when the feed's stories
 * changed. */
static bool
complete(Fetcher *f, FeedState *fs, HttpResult *res, int64_t now_ms,
         int64_t wall_s)
{
    if (res->outcome == FETCH_ABORTED)
        return false; /* shutting down: nothing to book */
    FetchOutcome outcome = res->outcome;
    char err[STATUS_ERROR_MAX] = "";
    StoryList *list = NULL;
    if (outcome == FETCH_OK) {
        const char *body = res->body.data ? res->body.data : "";
        char why[STATUS_ERROR_MAX];
        FeedDecodeOpts o =
            feed_decode_opts(&fs->conf, (size_t)f->cfg.fetch_max_kb * 1024);
        if (payload_check(res->content_type[0] ? res->content_type : NULL, body,
                          res->body.len, why, sizeof(why)) < 0) {
            snprintf(err, sizeof(err), "%s: %s", fs->conf.name, why);
            outcome = FETCH_CONTENT;
        } else if (feed_decode(body, res->body.len, &o, &list, err,
                               sizeof(err)) < 0) {
            outcome = FETCH_CONTENT;
        }
    } else if (outcome == FETCH_HTTP_STATUS) {
        describe_http_error(fs, res, err, sizeof(err));
    } else if (outcome != FETCH_NOT_MODIFIED) {
        snprintf(err, sizeof(err), "%s: %s", fs->conf.name, res->error);
    }

    FeedStatus *st = &fs->status;
    st->last_attempt_s = wall_s;
    st->http_status = res->status;
    RetryClass rc = backoff_classify(outcome, res->status);
    bool changed = false;
    int64_t retry_after_s = -1;
    if (rc != RETRY_NONE) {
        /* Log when a failure starts or changes, not on every retry. */
        if (strcmp(err, st->error))
            log_warn("%s", err);
        util_strlcpy(st->error, err, sizeof(st->error));
        if (st->failures++ == 0)
            st->failing_since_s = wall_s;
        /* A date is the server's own clock: compare with ours unscaled. */
        if (res->retry_after[0] &&
            !backoff_retry_after_s(res->retry_after, clock_real_wall_s(),
                                   &retry_after_s))
            retry_after_s = -1;
    } else {
        if (st->error[0])
            log_info("feed %s recovered", fs->conf.name);
        st->error[0] = '\0';
        st->failures = 0;
        st->failing_since_s = 0;
        st->last_ok_s = wall_s;
        if (list) {
            changed = !story_list_equal(list, fs->last_good);
            /* The validators of this answer, even when the stories are the
             * same: the next poll then costs a 304. */
            util_strlcpy(fs->etag, res->etag, sizeof(fs->etag));
            util_strlcpy(fs->last_modified, res->last_modified,
                         sizeof(fs->last_modified));
            fs->validators_ok = true;
            if (changed) {
                story_list_free(fs->last_good);
                fs->last_good = list;
                list = NULL;
                st->story_count = (int)fs->last_good->count;
                cache_save(fs, wall_s);
            }
        }
    }
    story_list_free(list);
    int64_t interval_ms = (int64_t)st->interval_s * 1000;
    BackoffPolicy pol = {
        .interval_ms = interval_ms,
        .base_ms =
            MIN((int64_t)f->cfg.fetch_backoff_base_s * 1000, interval_ms),
    };
    int64_t delay =
        backoff_delay_ms(&pol, rc, st->failures, retry_after_s, &f->rng);
    fs->due_ms = now_ms + delay;
    st->next_attempt_s = wall_s + (delay + 999) / 1000;
    if (rc != RETRY_NONE)
        log_debug("%s: %s retry in %lld ms", fs->conf.name,
                  backoff_class_name(rc), (long long)delay);
    return changed;
}

/* Books every finished transfer; returns true when stories changed and
 * sets *any when something finished. */
static bool
drain(Fetcher *f, int64_t wall_s, bool *any)
{
    bool changed = false;
    HttpResult res;
    HttpTransfer *t;
    while ((t = http_engine_next_done(f->engine, &res))) {
        if (f->images && images_owns(f->images, t)) {
            images_complete(f->images, t, &res, clock_mono_ms());
            http_result_deinit(&res);
            continue;
        }
        FeedState *fs = http_transfer_user(t);
        changed = complete(f, fs, &res, clock_mono_ms(),
                           wall_s ? wall_s : clock_wall_s()) ||
                  changed;
        http_result_deinit(&res);
        *any = true;
    }
    return changed;
}

int
fetcher_run_once(Fetcher *f, int64_t wall_s)
{
    for (size_t i = 0; i < f->feed_count; i++)
        start_feed(&f->feeds[i]);
    bool changed = false, any = false;
    for (;;) {
        http_engine_perform(f->engine);
        changed = drain(f, wall_s, &any) || changed;
        bool active = false;
        for (size_t i = 0; i < f->feed_count; i++)
            active = active || http_transfer_active(f->feeds[i].http);
        if (!active || atomic_load(&f->stop))
            break;
        http_engine_wait(f->engine, 1000);
    }
    post(f, wall_s, changed);
    /* The pictures of this round too, so a screenshot shows them; all of
     * them within one fetch.timeout_s, however many stall. */
    int64_t images_end =
        clock_mono_ms() + (int64_t)f->cfg.fetch_timeout_s * 1000;
    while (f->images && !atomic_load(&f->stop)) {
        images_pump(f->images, clock_mono_ms());
        if (!images_busy(f->images) || clock_mono_ms() >= images_end)
            break;
        http_engine_wait(f->engine, 1000);
        drain(f, wall_s, &any);
    }
    int total = 0;
    for (size_t i = 0; i < f->feed_count; i++)
        total += f->feeds[i].last_good ? (int)f->feeds[i].last_good->count : 0;
    return total;
}

/* ---- the thread ---- */

/* The status file's directory, e.g. /run/newswire, may not exist yet. */
static void
status_dir_create(const char *path)
{
    char dir[PATH_MAX];
    const char *slash = strrchr(path, '/');
    if (!slash || slash == path || (size_t)(slash - path) >= sizeof(dir))
        return;
    memcpy(dir, path, (size_t)(slash - path));
    dir[slash - path] = '\0';
    char err[PATH_MAX + 64];
    if (diskfile_mkdirs(dir, err, sizeof(err)) < 0)
        log_warn("status file: %s", err);
}

static void *
thread_main(void *arg)
{
    Fetcher *f = arg;
    if (f->cfg.status_file[0])
        status_dir_create(f->cfg.status_file);
    post(f, clock_wall_s(), false);
    status_file_update(f, &f->last_status, true);
    while (!atomic_load(&f->stop)) {
        atomic_store(&f->beat_ms, real_mono_ms());
        while (f->freeze_at_ms && real_mono_ms() >= f->freeze_at_ms &&
               !atomic_load(&f->stop)) /* the test hook: hang, but stop */
            nanosleep(&(struct timespec){0, 50000000}, NULL);
        int64_t now = clock_mono_ms();
        bool refresh = atomic_exchange(&f->refresh, false);
        for (size_t i = 0; i < f->feed_count; i++) {
            FeedState *fs = &f->feeds[i];
            if (!http_transfer_active(fs->http) &&
                (refresh || fs->due_ms <= now))
                start_feed(fs);
        }
        if (f->images)
            f->images_next_ms = images_pump(f->images, now);
        http_engine_perform(f->engine);
        bool any = false;
        bool changed = drain(f, 0, &any);
        if (atomic_load(&f->stop))
            break;
        int64_t wall = clock_wall_s();
        if (any || wall >= f->next_status_s)
            post(f, wall, changed);
        else if (clock_mono_ms() >= f->status_check_ms)
            status_file_update(f, &f->last_status, false); /* totals only */

        now = clock_mono_ms();
        int64_t next = now + WAIT_MAX_MS;
        for (size_t i = 0; i < f->feed_count; i++) {
            if (!http_transfer_active(f->feeds[i].http))
                next = MIN(next, f->feeds[i].due_ms);
        }
        if (f->next_status_s != INT64_MAX)
            next = MIN(next, now + MAX(f->next_status_s - wall, 0) * 1000);
        if (f->images) /* a finished picture frees a slot for the next */
            next = MIN(next,
                       images_busy(f->images) ? now + 1000 : f->images_next_ms);
        if (f->cfg.status_file[0])
            next = MIN(next, f->status_check_ms);
        if (f->freeze_at_ms)
            next = MIN(next, now + 100);
        atomic_store(&f->beat_ms, 0); /* waiting is not being stuck */
        http_engine_wait(f->engine, clock_real_wait_ms(next, WAIT_MAX_MS));
    }
    return NULL;
}

int
fetcher_start(Fetcher *f)
{
    /* A feed that already shows cached stories waits a random start-up
     * delay; one with nothing to show fetches at once. */
    int64_t now = clock_mono_ms();
    for (size_t i = 0; i < f->feed_count; i++) {
        FeedState *fs = &f->feeds[i];
        fs->due_ms = now;
        if (fs->last_good)
            fs->due_ms += backoff_startup_ms(
                (int64_t)f->cfg.fetch_startup_delay_s * 1000, &f->rng);
        fs->status.next_attempt_s = clock_wall_s() + (fs->due_ms - now) / 1000;
    }
    /* Signals go to the render thread, which turns them into a quit. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    f->running = true;
    int rc = pthread_create(&f->thread, NULL, thread_main, f);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        f->running = false;
        return -1;
    }
    return 0;
}

void
fetcher_set_pictures(Fetcher *f, bool on)
{
    if (!on) {
        images_free(f->images);
        f->images = NULL;
    }
}

void
fetcher_refresh(Fetcher *f)
{
    atomic_store(&f->refresh, true);
    http_engine_wakeup(f->engine);
}

void
fetcher_note_frames(Fetcher *f, uint64_t frames, uint64_t dropped)
{
    atomic_store_explicit(&f->frames, frames, memory_order_relaxed);
    atomic_store_explicit(&f->dropped, dropped, memory_order_relaxed);
}

int64_t
fetcher_busy_ms(Fetcher *f, int64_t now_mono_ms)
{
    int64_t beat = atomic_load(&f->beat_ms);
    return f->running && beat ? MAX(now_mono_ms - beat, 0) : 0;
}

void
fetcher_stop(Fetcher *f)
{
    if (!f->running)
        return;
    atomic_store(&f->stop, true);
    http_engine_wakeup(f->engine);
    pthread_join(f->thread, NULL);
    /* The final totals, written from here: the thread is gone. */
    status_file_update(f, &f->last_status, true);
    f->running = false;
}
