/*
 * http: libcurl multi and easy handles. See http.h.
 *
 * Note on DNS: with CURLOPT_NOSIGNAL and Debian's threaded resolver a lookup
 * is bounded by CURLOPT_CONNECTTIMEOUT, and CURLOPT_QUICK_EXIT lets an
 * aborted transfer leave a slow lookup behind instead of joining it, so
 * shutdown never waits for DNS.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "http.h"
#include "version.h"

/* OpenSSL's X509_V_ERR_CERT_NOT_YET_VALID, as CURLINFO_SSL_VERIFYRESULT
 * reports it (not including OpenSSL's headers for one constant). */
#define X509_NOT_YET_VALID 9
#define LOW_SPEED_BYTES_S 16L
#define ACCEPT_HEADER                                                          \
    "Accept: application/feed+json, application/json;q=0.9, "                  \
    "application/rss+xml;q=0.8, application/atom+xml;q=0.8, "                  \
    "application/xml;q=0.7, */*;q=0.1"

struct HttpEngine {
    CURLM *multi;
};

struct HttpTransfer {
    HttpEngine *engine;
    CURL *curl;
    void *user;
    HttpOpts opts;
    bool active;
    bool is_file;
    bool too_big;
    Buf body;
    struct curl_slist *headers;
    char curl_err[CURL_ERROR_SIZE];
};

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

HttpEngine *
http_engine_new(void)
{
    HttpEngine *e = xcalloc(1, sizeof(HttpEngine));
    e->multi = curl_multi_init();
    ASSERT(e->multi);
    return e;
}

void
http_engine_free(HttpEngine *e)
{
    if (!e)
        return;
    curl_multi_cleanup(e->multi);
    free(e);
}

void
http_engine_wakeup(HttpEngine *e)
{
    curl_multi_wakeup(e->multi);
}

void
http_engine_perform(HttpEngine *e)
{
    int running;
    curl_multi_perform(e->multi, &running);
}

void
http_engine_wait(HttpEngine *e, int timeout_ms)
{
    if (timeout_ms > 0)
        curl_multi_poll(e->multi, NULL, 0, timeout_ms, NULL);
    http_engine_perform(e);
}

static size_t
on_data(char *ptr, size_t size, size_t nmemb, void *ud)
{
    HttpTransfer *t = ud;
    size_t n = size * nmemb;
    /* CURLOPT_MAXFILESIZE does not stop chunked or compressed bodies;
     * counting the decoded bytes here does. Returning less aborts. */
    if (t->body.len + n > t->opts.max_bytes) {
        t->too_big = true;
        return 0;
    }
    buf_append(&t->body, ptr, n);
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
    const HttpTransfer *t = ud;
    return t->opts.abort_flag && atomic_load(t->opts.abort_flag) ? 1 : 0;
}

HttpTransfer *
http_transfer_new(HttpEngine *e, const HttpOpts *opts, void *user)
{
    HttpTransfer *t = xcalloc(1, sizeof(HttpTransfer));
    t->engine = e;
    t->opts = *opts;
    t->user = user;
    t->curl = curl_easy_init();
    ASSERT(t->curl);
    buf_init(&t->body);
    return t;
}

void
http_transfer_free(HttpTransfer *t)
{
    if (!t)
        return;
    if (t->active)
        curl_multi_remove_handle(t->engine->multi, t->curl);
    curl_easy_cleanup(t->curl);
    curl_slist_free_all(t->headers);
    buf_deinit(&t->body);
    free(t);
}

void *
http_transfer_user(const HttpTransfer *t)
{
    return t->user;
}

bool
http_transfer_active(const HttpTransfer *t)
{
    return t->active;
}

static void
add_header(HttpTransfer *t, const char *name, const char *value)
{
    char line[CACHE_ETAG_MAX + 64];
    snprintf(line, sizeof(line), "%s: %s", name, value);
    t->headers = curl_slist_append(t->headers, line);
    ASSERT(t->headers);
}

void
http_transfer_start(HttpTransfer *t, const char *url, const char *etag,
                    const char *last_modified)
{
    ASSERT(!t->active);
    CURL *h = t->curl;
    const HttpOpts *o = &t->opts;
    /* A reset keeps the connection, DNS and TLS session caches. */
    curl_easy_reset(h);
    buf_clear(&t->body);
    t->too_big = false;
    t->curl_err[0] = '\0';
    t->is_file = !strncasecmp(url, "file://", 7);
    curl_slist_free_all(t->headers);
    t->headers = NULL;
    add_header(t, "Accept", ACCEPT_HEADER + strlen("Accept: "));
    if (!t->is_file && etag && *etag && cache_header_value_ok(etag))
        add_header(t, "If-None-Match", etag);
    if (!t->is_file && last_modified && *last_modified &&
        cache_header_value_ok(last_modified))
        add_header(t, "If-Modified-Since", last_modified);

    long timeout = o->timeout_s;
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_PRIVATE, t);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_QUICK_EXIT, 1L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, t->curl_err);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, t);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, t);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, MIN(timeout, 15L));
    curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, LOW_SPEED_BYTES_S);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, MIN(timeout, 30L));
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_bytes);
    curl_easy_setopt(h, CURLOPT_USERAGENT, http_user_agent());
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, t->headers);
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, ""); /* all built in */
    curl_easy_setopt(h, CURLOPT_DEFAULT_PROTOCOL, "https");
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    if (o->ca_file && *o->ca_file)
        curl_easy_setopt(h, CURLOPT_CAINFO, o->ca_file);
    /* Unset, libcurl reads http_proxy, https_proxy, ALL_PROXY and
     * NO_PROXY from the environment. */
    if (o->proxy && *o->proxy)
        curl_easy_setopt(h, CURLOPT_PROXY, o->proxy);
    /* file:// only when asked for directly; a redirect never reaches it. */
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR,
                     t->is_file ? "file" : o->protocols);
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, o->protocols);

    CURLMcode mc = curl_multi_add_handle(t->engine->multi, h);
    ASSERT(mc == CURLM_OK);
    t->active = true;
}

void
http_result_deinit(HttpResult *r)
{
    buf_deinit(&r->body);
}

/* Copies a response header of the last request into dst ("" if none). */
static void
copy_header(CURL *h, const char *name, char *dst, size_t n)
{
    struct curl_header *hdr = NULL;
    dst[0] = '\0';
    if (curl_easy_header(h, name, 0, CURLH_HEADER, -1, &hdr) == CURLHE_OK &&
        hdr->value && strlen(hdr->value) < n &&
        cache_header_value_ok(hdr->value))
        util_strlcpy(dst, hdr->value, n);
}

static FetchOutcome
describe_curl_error(HttpTransfer *t, CURLcode rc, HttpResult *r)
{
    CURL *h = t->curl;
    const char *msg = t->curl_err[0] ? t->curl_err : curl_easy_strerror(rc);
    if (t->too_big || rc == CURLE_FILESIZE_EXCEEDED) {
        util_errf(r->error, sizeof(r->error),
                  "the document is larger than the %zu KB limit "
                  "(fetch.max_kb)",
                  t->opts.max_bytes / 1024);
        return FETCH_TOO_BIG;
    }
    switch (rc) {
    case CURLE_ABORTED_BY_CALLBACK:
        util_errf(r->error, sizeof(r->error), "stopped");
        return FETCH_ABORTED;
    case CURLE_TOO_MANY_REDIRECTS:
        util_errf(r->error, sizeof(r->error),
                  "more than 5 redirects (a redirect loop?)");
        return FETCH_REDIRECTS;
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT: {
        long redirects = 0;
        curl_easy_getinfo(h, CURLINFO_REDIRECT_COUNT, &redirects);
        if (redirects > 0)
            util_errf(r->error, sizeof(r->error),
                      "a redirect to a disallowed address was refused "
                      "(allowed: %s)",
                      t->opts.protocols);
        else
            util_errf(r->error, sizeof(r->error), "%s", msg);
        return FETCH_REFUSED;
    }
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_INVALIDCERTSTATUS: {
        long verify = 0;
        curl_easy_getinfo(h, CURLINFO_SSL_VERIFYRESULT, &verify);
        if (verify == X509_NOT_YET_VALID || strstr(msg, "not yet valid")) {
            util_errf(r->error, sizeof(r->error),
                      "the server's certificate is not valid yet: is this "
                      "screen's clock set? (%s)",
                      msg);
            return FETCH_TLS_CLOCK;
        }
        util_errf(r->error, sizeof(r->error), "TLS: %s", msg);
        return FETCH_TLS;
    }
    default:
        util_errf(r->error, sizeof(r->error), "%s", msg);
        return FETCH_NETWORK;
    }
}

static void
finish(HttpTransfer *t, CURLcode rc, HttpResult *r)
{
    CURL *h = t->curl;
    memset(r, 0, sizeof(*r));
    buf_init(&r->body);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
    const char *ct = NULL;
    if (curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK && ct)
        util_strlcpy(r->content_type, ct, sizeof(r->content_type));
    if (!t->is_file)
        copy_header(h, "Retry-After", r->retry_after, sizeof(r->retry_after));
    if (rc != CURLE_OK) {
        r->outcome = describe_curl_error(t, rc, r);
    } else if (t->is_file || (r->status >= 200 && r->status <= 299)) {
        r->outcome = FETCH_OK;
        if (!t->is_file) {
            copy_header(h, "ETag", r->etag, sizeof(r->etag));
            copy_header(h, "Last-Modified", r->last_modified,
                        sizeof(r->last_modified));
        }
    } else if (r->status == 304) {
        r->outcome = FETCH_NOT_MODIFIED;
    } else {
        r->outcome = FETCH_HTTP_STATUS;
        util_errf(r->error, sizeof(r->error), "the server answered HTTP %ld",
                  r->status);
    }
    /* The body moves to the result; an error body is kept too, since an
     * API's error document says more than its status code. */
    r->body = t->body;
    buf_init(&t->body);
}

HttpTransfer *
http_engine_next_done(HttpEngine *e, HttpResult *out)
{
    int left;
    CURLMsg *m;
    while ((m = curl_multi_info_read(e->multi, &left))) {
        if (m->msg != CURLMSG_DONE)
            continue;
        CURL *h = m->easy_handle;
        CURLcode rc = m->data.result;
        HttpTransfer *t = NULL;
        curl_easy_getinfo(h, CURLINFO_PRIVATE, (char **)&t);
        ASSERT(t && t->curl == h);
        curl_multi_remove_handle(e->multi, h);
        t->active = false;
        finish(t, rc, out);
        return t;
    }
    return NULL;
}
