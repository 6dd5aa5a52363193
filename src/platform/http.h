/*
 * http: one GET with libcurl into memory, with the limits a kiosk needs.
 *
 * An HttpClient wraps one reused easy handle (connection and TLS session
 * reuse between polls). Limits: connect and total timeouts, a low-speed
 * abort, a cap on the decoded body enforced in the write callback, at most
 * 5 redirects, and an abort flag polled during the transfer so shutdown is
 * prompt. Errors come back as a sentence. Fetch thread only;
 * curl_global_init() must have run before the first client is made.
 */
#ifndef HTTP_H
#define HTTP_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "util.h"

typedef struct HttpClient HttpClient;

typedef struct HttpOpts {
    int timeout_s;
    size_t max_bytes;
    const atomic_bool *abort_flag; /* may be NULL */
} HttpOpts;

typedef struct HttpResult {
    long status;     /* HTTP status, 0 for file:// or no answer */
    Buf body;        /* decoded body; owned, free with http_result_deinit */
    char error[192]; /* "" on success */
} HttpResult;

/* Process-wide libcurl set-up; call before any thread starts. */
int http_global_init(void);
void http_global_cleanup(void);

HttpClient *http_client_new(void);
void http_client_free(HttpClient *c);

/* Returns 0 on a complete 2xx (or file://) body, -1 with result->error set
 * otherwise. result is initialised by the call. */
int http_get(HttpClient *c, const char *url, const HttpOpts *opts,
             HttpResult *result);
void http_result_deinit(HttpResult *r);

/* The string sent as User-Agent. */
const char *http_user_agent(void);

#endif
