/*
 * backoff: when to poll a feed next. Pure: the time is a parameter and the
 * randomness comes from an Rng the caller seeds, so tests can replay any
 * schedule exactly.
 *
 * The rules (README "Fetching and retries"):
 * - After a success (200 or 304) the next poll is the interval with +-10%
 *   jitter, so screens that started together drift apart.
 * - At start-up a feed that already shows cached stories waits a random
 *   delay first, so a building-wide power cut does not make every screen
 *   fire at the same second.
 * - A transient failure (network, 5xx, 408, 425, 429, a broken document)
 *   retries with exponential backoff and full jitter: uniform(0, min(cap,
 *   base * 2^(failures-1))), where cap is the interval, so a feed recovers
 *   within one interval after the fault clears.
 * - A configuration problem (other 4xx, an untrusted certificate, a
 *   refused redirect, a document over the size limit) cannot heal by
 *   retrying quickly: it retries once per interval.
 * - "Certificate not yet valid" means the clock is behind (a Raspberry Pi
 *   has no clock battery and boots in the past until NTP answers): it is
 *   transient and retried at least once a minute.
 * - Retry-After (seconds or an HTTP date) is a lower bound on the wait,
 *   clamped to BACKOFF_RETRY_AFTER_MAX_S; a date in the past is ignored.
 */
#ifndef BACKOFF_H
#define BACKOFF_H

#include <stdbool.h>
#include <stdint.h>

#define BACKOFF_RETRY_AFTER_MAX_S (6 * 3600)
#define BACKOFF_CLOCK_RETRY_MAX_MS 60000 /* certificate not yet valid */
#define BACKOFF_MIN_DELAY_MS 500         /* never a busy loop */

/* A small deterministic generator (splitmix64); one per fetch thread. */
typedef struct Rng {
    uint64_t state;
} Rng;

void rng_seed(Rng *rng, uint64_t seed);
uint64_t rng_next(Rng *rng);
/* Uniform in [0, 1). */
double rng_unit(Rng *rng);

/* How one fetch attempt ended, as the HTTP adapter sees it. */
typedef enum FetchOutcome {
    FETCH_OK,           /* a 2xx body (or a file) arrived */
    FETCH_NOT_MODIFIED, /* 304: the stories on screen are current */
    FETCH_HTTP_STATUS,  /* any other HTTP status */
    FETCH_NETWORK,      /* resolve, connect, reset, timeout, truncation */
    FETCH_TLS,          /* handshake or certificate verification failed */
    FETCH_TLS_CLOCK,    /* certificate not yet valid: our clock is behind */
    FETCH_TOO_BIG,      /* over the size limit after decompression */
    FETCH_REFUSED,      /* protocol or redirect not allowed, bad URL */
    FETCH_REDIRECTS,    /* more redirects than allowed */
    FETCH_CONTENT,      /* arrived, but not a usable feed */
    FETCH_ABORTED,      /* shutting down */
} FetchOutcome;

typedef enum RetryClass {
    RETRY_NONE,      /* success: poll again after the interval */
    RETRY_TRANSIENT, /* exponential backoff with full jitter */
    RETRY_SLOW,      /* once per interval: needs a human or a config fix */
    RETRY_CLOCK,     /* transient, at least once a minute */
} RetryClass;

RetryClass backoff_classify(FetchOutcome outcome, long http_status);
const char *backoff_class_name(RetryClass c);

typedef struct BackoffPolicy {
    int64_t interval_ms; /* the feed's poll interval */
    int64_t base_ms;     /* first transient retry is uniform(0, base) */
} BackoffPolicy;

/* The interval with +-10% jitter. */
int64_t backoff_jitter_ms(int64_t interval_ms, Rng *rng);

/* Random start-up delay in [0, max_ms]. */
int64_t backoff_startup_ms(int64_t max_ms, Rng *rng);

/* Wait before the next attempt. failures counts consecutive failures
 * including this one (ignored for RETRY_NONE); retry_after_s < 0 means
 * none. Never negative, never below BACKOFF_MIN_DELAY_MS. */
int64_t backoff_delay_ms(const BackoffPolicy *p, RetryClass c, int failures,
                         int64_t retry_after_s, Rng *rng);

/* Parses a Retry-After value: delta-seconds ("120") or an HTTP date
 * ("Wed, 21 Oct 2015 07:28:00 GMT"), relative to now_s. Returns false when
 * absent, malformed, zero or in the past; otherwise *out_s is the wait,
 * clamped to BACKOFF_RETRY_AFTER_MAX_S. */
bool backoff_retry_after_s(const char *value, int64_t now_s, int64_t *out_s);

#endif
