/*
 * http: libcurl transfers into memory, with the limits a kiosk needs.
 *
 * An HttpEngine is one libcurl multi handle, owned by the fetch thread; it
 * runs any number of transfers at once, so a stalled feed never holds up
 * the others, and it can be woken from another thread, so shutdown does not
 * wait for a transfer to time out. An HttpTransfer is one feed's easy
 * handle, reused for every poll of that feed (connections, DNS and TLS
 * sessions are reused between polls).
 *
 * Every transfer has: connect and total timeouts, a low-speed abort, a cap
 * on the decoded body enforced in the write callback (MAXFILESIZE alone
 * does not stop chunked or compressed bodies on libcurl 7.88), at most 5
 * redirects, the allowed protocols from the config (file:// only for a
 * file:// URL, never as a redirect target), TLS verification always on with
 * an optional CA file, User-Agent newswire/VERSION, gzip/br/zstd accepted,
 * proxies from the environment (or fetch.proxy), and conditional requests
 * (If-None-Match, If-Modified-Since) when validators are given.
 * curl_global_init() must have run before the first engine is made.
 */
#ifndef HTTP_H
#define HTTP_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "backoff.h"
#include "cache.h"
#include "util.h"

typedef struct HttpEngine HttpEngine;
typedef struct HttpTransfer HttpTransfer;

typedef struct HttpOpts {
    int timeout_s;
    size_t max_bytes;
    const char *protocols;         /* "https,http" or "https"; borrowed */
    const char *ca_file;           /* NULL or "": the system's CA bundle */
    const char *proxy;             /* NULL or "": the environment's proxy */
    const atomic_bool *abort_flag; /* may be NULL */
} HttpOpts;

typedef struct HttpResult {
    FetchOutcome outcome;
    long status;                        /* HTTP status, 0 for none/file */
    Buf body;                           /* decoded body; owned */
    char content_type[128];             /* "" when none */
    char etag[CACHE_ETAG_MAX];          /* from a 200, "" when none */
    char last_modified[CACHE_DATE_MAX]; /* from a 200, "" when none */
    char retry_after[64];               /* raw header value, "" when none */
    char error[192];                    /* "" on FETCH_OK / NOT_MODIFIED */
} HttpResult;

/* Process-wide libcurl set-up; call before any thread starts. */
int http_global_init(void);
void http_global_cleanup(void);

HttpEngine *http_engine_new(void);
void http_engine_free(HttpEngine *e); /* transfers must be freed first */
/* Makes a running or next http_engine_wait() return now; any thread. */
void http_engine_wakeup(HttpEngine *e);
/* Moves running transfers along without blocking. */
void http_engine_perform(HttpEngine *e);
/* Waits up to timeout_ms real milliseconds for network activity or a
 * wakeup, then performs. */
void http_engine_wait(HttpEngine *e, int timeout_ms);
/* A transfer that has finished since the last call, with its result moved
 * to *out (the caller deinits it), or NULL. */
HttpTransfer *http_engine_next_done(HttpEngine *e, HttpResult *out);

/* opts is copied (its strings are borrowed and must outlive the
 * transfer); user is handed back by http_transfer_user(). */
HttpTransfer *http_transfer_new(HttpEngine *e, const HttpOpts *opts,
                                void *user);
void http_transfer_free(HttpTransfer *t); /* aborts it if running */
void *http_transfer_user(const HttpTransfer *t);
bool http_transfer_active(const HttpTransfer *t);
/* Starts a GET. etag and last_modified (may be NULL or "") make it
 * conditional; they are ignored for file:// URLs. */
void http_transfer_start(HttpTransfer *t, const char *url, const char *etag,
                         const char *last_modified);

void http_result_deinit(HttpResult *r);

/* The string sent as User-Agent. */
const char *http_user_agent(void);

#endif
