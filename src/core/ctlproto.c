/* ctlproto: see ctlproto.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "clean.h"
#include "ctlproto.h"
#include "jsonutil.h"
#include "timefmt.h"

const char CTL_USAGE[] = "next, prev, pause, resume, reload, refresh, "
                         "breaking TEXT [SECONDS], clear, status, help";

static const struct {
    const char *name;
    CtlVerb verb;
} VERBS[] = {
    {"next", CTL_NEXT},         {"prev", CTL_PREV},
    {"pause", CTL_PAUSE},       {"resume", CTL_RESUME},
    {"reload", CTL_RELOAD},     {"refresh", CTL_REFRESH},
    {"breaking", CTL_BREAKING}, {"clear", CTL_CLEAR},
    {"status", CTL_STATUS},     {"help", CTL_HELP},
};

int
ctl_frame(const char *buf, size_t len, bool eof, size_t *line_len)
{
    const char *nl = memchr(buf, '\n', MIN(len, (size_t)CTL_REQUEST_MAX));
    if (nl) {
        *line_len = (size_t)(nl - buf);
        return 1;
    }
    if (len >= CTL_REQUEST_MAX)
        return -1;
    if (eof) {
        *line_len = len;
        return 1;
    }
    return 0;
}

static bool
is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* Copies up to 24 bytes of s for an error message, printable ASCII only. */
static void
printable(const char *s, size_t n, char *out, size_t outlen)
{
    size_t j = 0;
    for (size_t i = 0; i < n && i < 24 && j + 1 < outlen; i++)
        out[j++] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
    out[j] = '\0';
}

static bool
all_digits(const char *s, size_t n)
{
    if (!n)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
    }
    return true;
}

static int
parse_seconds(const char *s, size_t n, int *out, char *err, size_t errlen)
{
    long v = 0;
    for (size_t i = 0; i < n && v <= CTL_SECONDS_MAX; i++)
        v = v * 10 + (s[i] - '0');
    if (v < 1 || v > CTL_SECONDS_MAX) {
        util_errf(err, errlen, "SECONDS must be 1 to %d", CTL_SECONDS_MAX);
        return -1;
    }
    *out = (int)v;
    return 0;
}

/* "TEXT" [SECONDS]: the text unescaped into raw. */
static int
parse_quoted(const char *p, const char *end, Buf *raw, int *seconds, char *err,
             size_t errlen)
{
    p++; /* the opening quote */
    for (;;) {
        if (p == end) {
            util_errf(err, errlen,
                      "breaking: the quoted TEXT has no "
                      "closing quote");
            return -1;
        }
        if (*p == '"')
            break;
        if (*p == '\\' && p + 1 < end && (p[1] == '"' || p[1] == '\\'))
            p++;
        buf_append(raw, p, 1);
        p++;
    }
    p++;
    while (p < end && is_space(*p))
        p++;
    if (p == end)
        return 0;
    size_t n = (size_t)(end - p);
    while (n && is_space(p[n - 1]))
        n--;
    if (!all_digits(p, n)) {
        char shown[32];
        printable(p, n, shown, sizeof(shown));
        util_errf(err, errlen,
                  "breaking: expected SECONDS after the quoted TEXT, got "
                  "'%s'",
                  shown);
        return -1;
    }
    return parse_seconds(p, n, seconds, err, errlen);
}

/* TEXT [SECONDS] unquoted: the rest of the line, a last word of digits
 * being SECONDS. */
static int
parse_unquoted(const char *p, const char *end, Buf *raw, int *seconds,
               char *err, size_t errlen)
{
    const char *last = end;
    while (last > p && !is_space(last[-1]))
        last--;
    if (last > p && all_digits(last, (size_t)(end - last))) {
        if (parse_seconds(last, (size_t)(end - last), seconds, err, errlen) < 0)
            return -1;
        end = last;
        while (end > p && is_space(end[-1]))
            end--;
    }
    buf_append(raw, p, (size_t)(end - p));
    return 0;
}

static int
parse_breaking(const char *p, const char *end, CtlCommand *out, char *err,
               size_t errlen)
{
    Buf raw;
    buf_init(&raw);
    buf_appends(&raw, "");
    int rc = *p == '"'
                 ? parse_quoted(p, end, &raw, &out->seconds, err, errlen)
                 : parse_unquoted(p, end, &raw, &out->seconds, err, errlen);
    if (rc == 0) {
        char *text = text_clean(raw.data, raw.len, CTL_TEXT_MAX);
        if (!*text) {
            util_errf(err, errlen,
                      "breaking needs a TEXT: breaking TEXT "
                      "[SECONDS]");
            rc = -1;
        } else {
            util_strlcpy(out->text, text, sizeof(out->text));
        }
        free(text);
    }
    buf_deinit(&raw);
    return rc;
}

int
ctl_parse(const char *line, size_t len, CtlCommand *out, char *err,
          size_t errlen)
{
    memset(out, 0, sizeof(*out));
    if (memchr(line, '\0', len)) {
        util_errf(err, errlen, "the request contains a NUL byte");
        return -1;
    }
    const char *p = line;
    const char *end = line + len;
    while (p < end && is_space(*p))
        p++;
    while (end > p && is_space(end[-1]))
        end--;
    if (p == end) {
        util_errf(err, errlen, "empty request; commands: %s", CTL_USAGE);
        return -1;
    }
    const char *w = p;
    while (p < end && !is_space(*p))
        p++;
    size_t wn = (size_t)(p - w);
    while (p < end && is_space(*p))
        p++;
    for (size_t i = 0; i < ARRAY_LEN(VERBS); i++) {
        if (strlen(VERBS[i].name) != wn || memcmp(VERBS[i].name, w, wn))
            continue;
        out->verb = VERBS[i].verb;
        if (out->verb == CTL_BREAKING) {
            if (p == end) {
                util_errf(err, errlen,
                          "breaking needs a TEXT: breaking "
                          "TEXT [SECONDS]");
                return -1;
            }
            return parse_breaking(p, end, out, err, errlen);
        }
        if (p != end) {
            util_errf(err, errlen, "'%s' takes no arguments", VERBS[i].name);
            return -1;
        }
        return 0;
    }
    char shown[32];
    printable(w, wn, shown, sizeof(shown));
    util_errf(err, errlen, "unknown command '%s'; commands: %s", shown,
              CTL_USAGE);
    return -1;
}

int
ctl_format_request(int argc, const char *const *argv, Buf *out, char *err,
                   size_t errlen)
{
    buf_clear(out);
    buf_appends(out, "");
    if (argc < 1) {
        util_errf(err, errlen, "no command; commands: %s", CTL_USAGE);
        return -1;
    }
    buf_appends(out, argv[0]);
    if (strcmp(argv[0], "breaking") != 0) {
        for (int i = 1; i < argc; i++)
            buf_appendf(out, " %s", argv[i]);
    } else {
        int text_end = argc;
        if (argc > 2 && all_digits(argv[argc - 1], strlen(argv[argc - 1])))
            text_end = argc - 1;
        buf_appends(out, " \"");
        for (int i = 1; i < text_end; i++) {
            if (i > 1)
                buf_appends(out, " ");
            for (const char *c = argv[i]; *c; c++) {
                if (*c == '"' || *c == '\\')
                    buf_append(out, "\\", 1);
                buf_append(out, *c == '\n' || *c == '\r' ? " " : c, 1);
            }
        }
        buf_appends(out, "\"");
        if (text_end < argc)
            buf_appendf(out, " %s", argv[argc - 1]);
    }
    for (size_t i = 0; i < out->len; i++) {
        if (out->data[i] == '\n' || out->data[i] == '\r')
            out->data[i] = ' ';
    }
    if (out->len + 1 > CTL_REQUEST_MAX) {
        util_errf(err, errlen, "the request is longer than %d bytes",
                  CTL_REQUEST_MAX);
        return -1;
    }
    CtlCommand cmd;
    return ctl_parse(out->data, out->len, &cmd, err, errlen);
}

static void
add_time(cJSON *o, const char *key, int64_t unix_s)
{
    if (unix_s <= 0) {
        cJSON_AddNullToObject(o, key);
        return;
    }
    char iso[TIME_ISO_SIZE];
    time_format_iso(unix_s, iso, sizeof(iso));
    cJSON_AddStringToObject(o, key, iso);
}

/* "" means none in these records: written as null. */
static const char *
nonempty(const char *s)
{
    return s && *s ? s : NULL;
}

char *
ctl_status_json(const CtlStatus *st, const FetchStatus *fetch)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "version", st->version);
    cJSON_AddNumberToObject(o, "pid", (double)st->pid);
    add_time(o, "now", st->wall_s);
    cJSON_AddNumberToObject(o, "uptime_s", (double)st->uptime_s);
    cJSON_AddStringToObject(o, "screen", st->screen_on ? "on" : "off");
    if (st->screen_change_in_s >= 0)
        cJSON_AddNumberToObject(o, "screen_change_in_s",
                                (double)st->screen_change_in_s);
    else
        cJSON_AddNullToObject(o, "screen_change_in_s");
    cJSON_AddBoolToObject(o, "paused", st->paused);
    cJSON_AddNumberToObject(o, "card_step", (double)st->card_step);
    cJSON_AddNumberToObject(o, "frames", (double)st->frames);
    cJSON_AddNumberToObject(o, "dropped_frames", (double)st->dropped_frames);
    cJSON_AddNumberToObject(o, "stories", (double)st->stories);
    if (st->banner) {
        cJSON *b = cJSON_AddObjectToObject(o, "banner");
        cJSON_AddStringToObject(b, "text", st->banner);
        cJSON_AddNumberToObject(b, "expires_in_s", (double)st->banner_left_s);
    } else {
        cJSON_AddNullToObject(o, "banner");
    }
    cJSON *ft = cJSON_AddObjectToObject(o, "fetch_thread");
    cJSON_AddStringToObject(ft, "state", st->fetch_stalled ? "stalled" : "ok");
    cJSON_AddNumberToObject(ft, "busy_s", (double)st->fetch_busy_s);
    cJSON_AddNumberToObject(o, "watchdog_usec", (double)st->watchdog_usec);
    json_add_string_or_null(o, "config", nonempty(st->config_path));
    add_time(o, "last_ok", fetch ? fetch->last_ok_s : 0);
    cJSON *feeds = cJSON_AddArrayToObject(o, "feeds");
    for (int i = 0; fetch && i < fetch->feed_count; i++) {
        const FeedStatus *f = &fetch->feeds[i];
        cJSON *fo = cJSON_CreateObject();
        cJSON_AddStringToObject(fo, "name", f->name);
        cJSON_AddBoolToObject(fo, "ok", f->last_attempt_s && !f->error[0]);
        add_time(fo, "last_ok", f->last_ok_s);
        add_time(fo, "last_attempt", f->last_attempt_s);
        add_time(fo, "next_attempt", f->next_attempt_s);
        cJSON_AddNumberToObject(fo, "failures", f->failures);
        cJSON_AddNumberToObject(fo, "stories", f->story_count);
        json_add_string_or_null(fo, "error", nonempty(f->error));
        cJSON_AddItemToArray(feeds, fo);
    }
    char *printed = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    ASSERT(printed);
    char *text = xstrdup(printed);
    cJSON_free(printed);
    return text;
}
