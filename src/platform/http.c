/*
 * http: libcurl GET into memory. See http.h.
 *
 * Note on DNS: with CURLOPT_NOSIGNAL and Debian's threaded resolver a lookup
 * is still bounded by CURLOPT_CONNECTTIMEOUT; the abort flag is polled by the
 * progress callback, which libcurl calls at least once per second.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "http.h"
#include "version.h"

struct HttpClient {
    CURL *curl;
};

typedef struct Sink {
    Buf *body;
    size_t max_bytes;
    bool too_big;
    const atomic_bool *abort_flag;
} Sink;

const char *
http_user_agent(void)
{
    return "newswire/" NEWSWIRE_VERSION;
}

int
http_global_init(void)
{
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

void
http_global_cleanup(void)
{
    curl_global_cleanup();
}

HttpClient *
http_client_new(void)
{
    HttpClient *c = xcalloc(1, sizeof(HttpClient));
    c->curl = curl_easy_init();
    ASSERT(c->curl);
    return c;
}

void
http_client_free(HttpClient *c)
{
    if (!c)
        return;
    curl_easy_cleanup(c->curl);
    free(c);
}

static size_t
on_data(char *ptr, size_t size, size_t nmemb, void *ud)
{
    Sink *s = ud;
    size_t n = size * nmemb;
    /* CURLOPT_MAXFILESIZE does not stop chunked or compressed bodies;
     * counting the decoded bytes here does. Returning less aborts. */
    if (s->body->len + n > s->max_bytes) {
        s->too_big = true;
        return 0;
    }
    buf_append(s->body, ptr, n);
    return n;
}

static int
on_progress(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
            curl_off_t ulnow)
{
    (void)dltotal;
    (void)dlnow;
    (void)ultotal;
    (void)ulnow;
    const Sink *s = ud;
    return s->abort_flag && atomic_load(s->abort_flag) ? 1 : 0;
}

static bool
is_file_url(const char *url)
{
    return !strncasecmp(url, "file://", 7);
}

void
http_result_deinit(HttpResult *r)
{
    buf_deinit(&r->body);
}

int
http_get(HttpClient *c, const char *url, const HttpOpts *opts, HttpResult *r)
{
    memset(r, 0, sizeof(*r));
    buf_init(&r->body);
    Sink sink = {&r->body, opts->max_bytes, false, opts->abort_flag};
    char curl_err[CURL_ERROR_SIZE] = "";
    CURL *h = c->curl;
    curl_easy_reset(h);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, curl_err);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, &sink);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, (long)MIN(opts->timeout_s, 15));
    curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)opts->timeout_s);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 16L);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, (long)MIN(opts->timeout_s, 30));
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)opts->max_bytes);
    curl_easy_setopt(h, CURLOPT_USERAGENT, http_user_agent());
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, ""); /* all built in */
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    /* file:// only when asked for directly; a redirect never reaches it. */
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR,
                     is_file_url(url) ? "file" : "http,https");
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");

    CURLcode rc = curl_easy_perform(h);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
    if (rc != CURLE_OK) {
        if (sink.too_big) {
            snprintf(r->error, sizeof(r->error),
                     "the document is larger than the %zu KB limit",
                     opts->max_bytes / 1024);
        } else if (rc == CURLE_ABORTED_BY_CALLBACK) {
            snprintf(r->error, sizeof(r->error), "stopped");
        } else if (rc == CURLE_FILESIZE_EXCEEDED) {
            snprintf(r->error, sizeof(r->error),
                     "the document is larger than the %zu KB limit",
                     opts->max_bytes / 1024);
        } else {
            snprintf(r->error, sizeof(r->error), "%s",
                     curl_err[0] ? curl_err : curl_easy_strerror(rc));
        }
        return -1;
    }
    if (!is_file_url(url) && (r->status < 200 || r->status > 299)) {
        snprintf(r->error, sizeof(r->error), "the server answered HTTP %ld",
                 r->status);
        return -1;
    }
    return 0;
}
