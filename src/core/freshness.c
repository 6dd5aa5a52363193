/* freshness: status mark and placeholder texts. See freshness.h. */
#include <stdio.h>
#include <string.h>

#include "freshness.h"
#include "util.h"

#define WARNING_SIGN "\xe2\x9a\xa0 "
#define ELLIPSIS "\xe2\x80\xa6"

/* The moment a failing feed counts as offline, or INT64_MAX. */
static int64_t
offline_at(const FeedStatus *fs)
{
    if (!fs->error[0] || fs->interval_s <= 0)
        return INT64_MAX;
    int64_t since = fs->last_ok_s ? fs->last_ok_s : fs->failing_since_s;
    if (since <= 0)
        return INT64_MAX;
    return since + 2 * (int64_t)fs->interval_s;
}

bool
freshness_feed_offline(const FeedStatus *fs, int64_t now_s)
{
    int64_t at = offline_at(fs);
    return at != INT64_MAX && now_s >= at;
}

int64_t
freshness_next_offline_s(const FeedStatus *fs)
{
    return fs->offline ? INT64_MAX : offline_at(fs);
}

void
freshness_describe(const FetchStatus *st, HhmmFn hhmm, FreshnessText *out)
{
    memset(out, 0, sizeof(*out));
    const char *err = fetch_status_error(st);
    int64_t oldest_ok = INT64_MAX; /* of the offline feeds that had news */
    bool offline_never_ok = false;
    for (int i = 0; i < st->feed_count; i++) {
        const FeedStatus *fs = &st->feeds[i];
        if (!fs->offline)
            continue;
        if (fs->last_ok_s)
            oldest_ok = MIN(oldest_ok, fs->last_ok_s);
        else
            offline_never_ok = true;
    }
    char when[32] = "";
    if (oldest_ok != INT64_MAX) {
        hhmm(oldest_ok, when, sizeof(when));
        snprintf(out->mark, sizeof(out->mark), WARNING_SIGN "offline since %s",
                 when);
        out->warn = true;
    } else if (offline_never_ok || (!st->last_ok_s && *err)) {
        snprintf(out->mark, sizeof(out->mark), WARNING_SIGN "feed unreachable");
        out->warn = true;
    } else if (st->last_ok_s) {
        hhmm(st->last_ok_s, when, sizeof(when));
        snprintf(out->mark, sizeof(out->mark), "updated %s", when);
    } else {
        snprintf(out->mark, sizeof(out->mark), "connecting" ELLIPSIS);
    }

    if (st->stories_held > 0 && st->stories_shown == 0) {
        /* Everything has aged out: say so rather than show old news. */
        snprintf(out->title, sizeof(out->title), "No current news");
        char last[32] = "";
        if (st->last_ok_s)
            hhmm(st->last_ok_s, last, sizeof(last));
        snprintf(out->detail, sizeof(out->detail),
                 "Every story received is older than %d hours.%s%s%s "
                 "New stories appear as soon as a feed delivers them.",
                 st->max_age_h, last[0] ? " Last update at " : "", last,
                 last[0] ? "." : "");
        return;
    }
    snprintf(out->title, sizeof(out->title), "Waiting for news");
    snprintf(out->detail, sizeof(out->detail), "%s",
             *err ? err
                  : "Fetching the configured feeds. Stories appear as soon "
                    "as the first one answers.");
}
