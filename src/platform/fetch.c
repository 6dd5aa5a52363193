/*
 * fetch: the fetch thread body. See fetch.h.
 *
 * Waiting is a condition variable on CLOCK_MONOTONIC, so a stop or a
 * refresh request wakes the thread at once and wall-clock steps (NTP on a
 * Pi without a clock battery) do not move poll times.
 */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "feed.h"
#include "fetch.h"
#include "http.h"
#include "log.h"
#include "merge.h"

#define RETRY_MIN_S 15 /* first retry after a failure */

typedef struct FeedState {
    FeedConf conf;
    StoryList *last_good; /* owned; NULL until the first success */
    int64_t due_ms;       /* monotonic time of the next attempt */
    FeedStatus status;
} FeedState;

struct Fetcher {
    FeedState feeds[CONFIG_MAX_FEEDS];
    size_t feed_count;
    int default_interval_s;
    HttpOpts http_opts;
    MergeOpts merge;
    Inbox *inbox;
    HttpClient *http;
    atomic_bool stop;
    pthread_t thread;
    bool running;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool refresh; /* [lock] */

    /* Heartbeat (fetcher_busy_ms) and the test-only freeze hook. */
    atomic_llong beat_ms; /* start of the current step; 0 idle */
    int64_t freeze_at_ms; /* test hook; 0 off */
};

static int64_t
mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

Fetcher *
fetcher_new(const Config *cfg, Inbox *inbox)
{
    Fetcher *f = xcalloc(1, sizeof(Fetcher));
    f->feed_count = cfg->feed_count;
    for (size_t i = 0; i < cfg->feed_count; i++) {
        f->feeds[i].conf = cfg->feeds[i];
        util_strlcpy(f->feeds[i].status.name, cfg->feeds[i].name,
                     sizeof(f->feeds[i].status.name));
    }
    f->default_interval_s = cfg->fetch_interval_s;
    f->http_opts = (HttpOpts){cfg->fetch_timeout_s,
                              (size_t)cfg->fetch_max_kb * 1024, &f->stop};
    merge_opts_init(&f->merge, cfg);
    f->inbox = inbox;
    f->http = http_client_new();
    atomic_init(&f->stop, false);
    atomic_init(&f->beat_ms, 0);
    const char *freeze = getenv("NEWSWIRE_TEST_FREEZE_FETCH_S");
    if (freeze && atoi(freeze) > 0)
        f->freeze_at_ms = mono_ms() + atoi(freeze) * 1000LL;
    pthread_mutex_init(&f->lock, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&f->wake, &attr);
    pthread_condattr_destroy(&attr);
    return f;
}

void
fetcher_free(Fetcher *f)
{
    if (!f)
        return;
    fetcher_stop(f);
    for (size_t i = 0; i < f->feed_count; i++)
        story_list_free(f->feeds[i].last_good);
    http_client_free(f->http);
    pthread_cond_destroy(&f->wake);
    pthread_mutex_destroy(&f->lock);
    free(f);
}

static int
interval_s(const Fetcher *f, const FeedState *fs)
{
    return fs->conf.interval_s ? fs->conf.interval_s : f->default_interval_s;
}

/* One attempt at one feed; returns true when its stories changed. */
static bool
fetch_feed(Fetcher *f, FeedState *fs, int64_t wall_s)
{
    HttpResult res;
    char err[STATUS_ERROR_MAX] = "";
    StoryList *list = NULL;
    fs->status.last_attempt_s = wall_s;
    if (http_get(f->http, fs->conf.url, &f->http_opts, &res) < 0) {
        if (res.status >= 400)
            feed_describe_http_error(fs->conf.name, res.status, res.body.data,
                                     res.body.len, err, sizeof(err));
        else
            snprintf(err, sizeof(err), "%s: %s", fs->conf.name, res.error);
    } else {
        FeedDecodeOpts o = feed_decode_opts(&fs->conf, f->http_opts.max_bytes);
        feed_decode(res.body.data ? res.body.data : "", res.body.len, &o, &list,
                    err, sizeof(err));
    }
    http_result_deinit(&res);
    if (atomic_load(&f->stop)) {
        story_list_free(list);
        return false;
    }
    if (!list) {
        /* Log when a failure starts or changes, not on every retry. */
        if (strcmp(err, fs->status.error))
            log_warn("%s", err);
        util_strlcpy(fs->status.error, err, sizeof(fs->status.error));
        fs->status.failures++;
        return false;
    }
    if (fs->status.error[0])
        log_info("feed %s recovered", fs->conf.name);
    fs->status.error[0] = '\0';
    fs->status.failures = 0;
    fs->status.last_ok_s = wall_s;
    fs->status.story_count = (int)list->count;
    /* An unchanged document posts nothing: the screen keeps its textures. */
    bool changed = !story_list_equal(list, fs->last_good);
    story_list_free(fs->last_good);
    fs->last_good = list;
    return changed;
}

static void
schedule(Fetcher *f, FeedState *fs, int64_t now_ms, int64_t wall_s)
{
    int64_t wait_s = interval_s(f, fs);
    if (fs->status.failures > 0) {
        /* Retry sooner than the interval, doubling up to it. */
        int64_t backoff = RETRY_MIN_S;
        for (int i = 1; i < fs->status.failures && backoff < wait_s; i++)
            backoff *= 2;
        wait_s = MIN(wait_s, backoff);
    }
    fs->due_ms = now_ms + wait_s * 1000;
    fs->status.next_attempt_s = wall_s + wait_s;
}

static void
post(Fetcher *f, bool changed, int64_t wall_s)
{
    FetchStatus st = {0};
    const StoryList *lists[CONFIG_MAX_FEEDS];
    st.feed_count = (int)f->feed_count;
    st.fetched_once = true;
    for (size_t i = 0; i < f->feed_count; i++) {
        st.feeds[i] = f->feeds[i].status;
        st.last_ok_s = MAX(st.last_ok_s, st.feeds[i].last_ok_s);
        if (!st.feeds[i].last_attempt_s)
            st.fetched_once = false;
        lists[i] = f->feeds[i].last_good;
    }
    StoryList *merged = NULL;
    if (changed) {
        f->merge.now_s = wall_s;
        merged = merge_lists(lists, f->feed_count, &f->merge);
    }
    inbox_post(f->inbox, merged, &st);
}

static int
round_due(Fetcher *f, int64_t now_ms, int64_t wall_s, bool all)
{
    bool changed = false;
    bool attempted = false;
    int stories = 0;
    for (size_t i = 0; i < f->feed_count && !atomic_load(&f->stop); i++) {
        FeedState *fs = &f->feeds[i];
        if (all || fs->due_ms <= now_ms) {
            atomic_store(&f->beat_ms, mono_ms());
            attempted = true;
            changed = fetch_feed(f, fs, wall_s) || changed;
            schedule(f, fs, mono_ms(), wall_s);
        }
        stories += fs->last_good ? (int)fs->last_good->count : 0;
    }
    if (attempted && !atomic_load(&f->stop))
        post(f, changed, wall_s);
    return stories;
}

int
fetcher_run_once(Fetcher *f, int64_t wall_s)
{
    round_due(f, mono_ms(), wall_s, true);
    int total = 0;
    for (size_t i = 0; i < f->feed_count; i++)
        total += f->feeds[i].last_good ? (int)f->feeds[i].last_good->count : 0;
    return total;
}

static void *
thread_main(void *arg)
{
    Fetcher *f = arg;
    bool all = true;
    while (!atomic_load(&f->stop)) {
        atomic_store(&f->beat_ms, mono_ms());
        while (f->freeze_at_ms && mono_ms() >= f->freeze_at_ms &&
               !atomic_load(&f->stop)) /* the test hook: hang, but stop */
            nanosleep(&(struct timespec){0, 50000000}, NULL);
        round_due(f, mono_ms(), (int64_t)time(NULL), all);
        int64_t next = f->freeze_at_ms ? f->freeze_at_ms : INT64_MAX;
        for (size_t i = 0; i < f->feed_count; i++)
            next = MIN(next, f->feeds[i].due_ms);
        atomic_store(&f->beat_ms, 0);
        pthread_mutex_lock(&f->lock);
        while (!f->refresh && !atomic_load(&f->stop) && mono_ms() < next) {
            struct timespec ts = {(time_t)(next / 1000),
                                  (long)(next % 1000) * 1000000};
            pthread_cond_timedwait(&f->wake, &f->lock, &ts);
        }
        all = f->refresh;
        f->refresh = false;
        pthread_mutex_unlock(&f->lock);
    }
    return NULL;
}

int
fetcher_start(Fetcher *f)
{
    /* Signals go to the render thread, which turns them into a quit. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    int rc = pthread_create(&f->thread, NULL, thread_main, f);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0)
        return -1;
    f->running = true;
    return 0;
}

void
fetcher_refresh(Fetcher *f)
{
    pthread_mutex_lock(&f->lock);
    f->refresh = true;
    pthread_cond_signal(&f->wake);
    pthread_mutex_unlock(&f->lock);
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
    pthread_mutex_lock(&f->lock);
    pthread_cond_signal(&f->wake);
    pthread_mutex_unlock(&f->lock);
    pthread_join(f->thread, NULL);
    f->running = false;
}
