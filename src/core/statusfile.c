/* statusfile: the --status-file document. See statusfile.h. */
#include <cJSON.h>

#include "statusfile.h"
#include "timefmt.h"
#include "version.h"

static void
add_time(cJSON *o, const char *key, int64_t s)
{
    if (s <= 0) {
        cJSON_AddNullToObject(o, key);
        return;
    }
    char iso[TIME_ISO_SIZE];
    time_format_iso(s, iso, sizeof(iso));
    cJSON_AddStringToObject(o, key, iso);
}

const char *
statusfile_feed_state(const FeedStatus *fs)
{
    if (!fs->last_attempt_s && !fs->error[0])
        return "waiting";
    if (fs->offline)
        return "offline";
    return fs->error[0] ? "failing" : "ok";
}

void
statusfile_format(const FetchStatus *st, const StatusTotals *totals, Buf *out)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "version", NEWSWIRE_VERSION);
    if (totals) {
        add_time(root, "written", totals->written_s);
        cJSON_AddNumberToObject(root, "frames", (double)totals->frames);
        cJSON_AddNumberToObject(root, "dropped_frames",
                                (double)totals->dropped_frames);
    }
    cJSON_AddNumberToObject(root, "stories_shown", st->stories_shown);
    add_time(root, "last_update", st->last_ok_s);
    int64_t offline_since = 0;
    for (int i = 0; i < st->feed_count; i++) {
        const FeedStatus *fs = &st->feeds[i];
        if (fs->offline) {
            int64_t since = fs->last_ok_s ? fs->last_ok_s : fs->failing_since_s;
            if (!offline_since || since < offline_since)
                offline_since = since;
        }
    }
    add_time(root, "offline_since", offline_since);
    cJSON *feeds = cJSON_AddArrayToObject(root, "feeds");
    for (int i = 0; i < st->feed_count; i++) {
        const FeedStatus *fs = &st->feeds[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", fs->name);
        cJSON_AddStringToObject(o, "state", statusfile_feed_state(fs));
        add_time(o, "last_success", fs->last_ok_s);
        add_time(o, "last_attempt", fs->last_attempt_s);
        add_time(o, "next_attempt", fs->next_attempt_s);
        cJSON_AddNumberToObject(o, "failures", fs->failures);
        cJSON_AddNumberToObject(o, "stories", fs->story_count);
        cJSON_AddNumberToObject(o, "http_status", (double)fs->http_status);
        if (fs->error[0])
            cJSON_AddStringToObject(o, "error", fs->error);
        else
            cJSON_AddNullToObject(o, "error");
        cJSON_AddItemToArray(feeds, o);
    }
    char *text = cJSON_Print(root);
    ASSERT(text);
    buf_appends(out, text);
    buf_appends(out, "\n");
    cJSON_free(text);
    cJSON_Delete(root);
}
