/*
 * ctlproto: the control socket's protocol, without the socket.
 *
 * A client sends one request line and reads one reply line, then the
 * server closes. Requests:
 *   next | prev | pause | resume | reload | refresh | status | clear | help
 *   breaking TEXT [SECONDS]
 * TEXT may be "double-quoted" (\" and \\ escape); unquoted, it is the rest
 * of the line, and a last word of digits is SECONDS. Replies start with
 * "ok", or "error: " and a sentence; status replies with one JSON object.
 * Everything here is pure and bounded, so it can be fuzzed: ctl_frame()
 * finds a request in received bytes, ctl_parse() reads it, and
 * ctl_status_json() writes the status. Any thread.
 */
#ifndef CTLPROTO_H
#define CTLPROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "inbox.h"
#include "util.h"

#define CTL_REQUEST_MAX 4096 /* bytes in a request, newline included */
#define CTL_TEXT_MAX 400     /* bytes of breaking text after cleaning */
#define CTL_SECONDS_MAX 86400

typedef enum CtlVerb {
    CTL_NEXT,
    CTL_PREV,
    CTL_PAUSE,
    CTL_RESUME,
    CTL_RELOAD,
    CTL_REFRESH,
    CTL_BREAKING,
    CTL_CLEAR,
    CTL_STATUS,
    CTL_HELP,
} CtlVerb;

typedef struct CtlCommand {
    CtlVerb verb;
    char text[CTL_TEXT_MAX + 1]; /* breaking: cleaned, valid UTF-8 */
    int seconds;                 /* breaking: 0 = the configured default */
} CtlCommand;

/* One line naming every request, for "help" and error messages. */
extern const char CTL_USAGE[];

/* Looks for the end of a request in the len bytes received so far: a
 * newline, or the end of the stream when eof. Returns 1 with the request's
 * length (without newline) in *line_len when complete, 0 when more bytes
 * are needed, -1 when it is longer than CTL_REQUEST_MAX. */
int ctl_frame(const char *buf, size_t len, bool eof, size_t *line_len);

/* Parses one request (len bytes, any content). Returns -1 with a sentence
 * in err for anything that is not a valid request. */
int ctl_parse(const char *line, size_t len, CtlCommand *out, char *err,
              size_t errlen);

/* The request line for `newswire ctl ARG...` (no newline): breaking's TEXT
 * is quoted; several words are joined. -1 with err for a bad command. */
int ctl_format_request(int argc, const char *const *argv, Buf *out, char *err,
                       size_t errlen);

typedef struct CtlStatus {
    const char *version;
    int64_t pid;
    int64_t wall_s;   /* now, Unix seconds */
    int64_t uptime_s; /* since start */
    bool screen_on;
    int64_t screen_change_in_s; /* -1: the schedule never changes it */
    bool paused;
    int64_t card_step; /* cards skipped by next/prev and the keys */
    uint64_t frames;
    uint64_t dropped_frames;
    size_t stories;     /* stories on screen */
    const char *banner; /* NULL: none */
    int64_t banner_left_s;
    int64_t fetch_busy_s;    /* fetch thread busy on one step for, s */
    bool fetch_stalled;      /* busy longer than kiosk.fetch_stall_s */
    int64_t watchdog_usec;   /* 0: no systemd watchdog */
    const char *config_path; /* NULL: built-in defaults */
} CtlStatus;

/* The status as one line of JSON (no newline); caller frees. fetch may be
 * NULL before the fetch thread has reported. */
char *ctl_status_json(const CtlStatus *st, const FetchStatus *fetch);

#endif
