/* backoff: poll and retry schedule. See backoff.h. */
#include <string.h>

#include "backoff.h"
#include "timefmt.h"
#include "util.h"

void
rng_seed(Rng *rng, uint64_t seed)
{
    rng->state = seed;
}

uint64_t
rng_next(Rng *rng)
{
    /* splitmix64 (Steele, Lea, Flood 2014): every seed gives a full-period
     * sequence, which a zero seed in xorshift would not. */
    uint64_t z = (rng->state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

double
rng_unit(Rng *rng)
{
    /* The top 53 bits: exactly representable, uniform in [0, 1). */
    return (double)(rng_next(rng) >> 11) * (1.0 / 9007199254740992.0);
}

RetryClass
backoff_classify(FetchOutcome outcome, long http_status)
{
    switch (outcome) {
    case FETCH_OK:
    case FETCH_NOT_MODIFIED:
        return RETRY_NONE;
    case FETCH_HTTP_STATUS:
        if (http_status == 408 || http_status == 425 || http_status == 429 ||
            (http_status >= 500 && http_status <= 599))
            return RETRY_TRANSIENT;
        return RETRY_SLOW; /* 400, 401, 403, 404, 410, odd 1xx and 3xx */
    case FETCH_NETWORK:
    case FETCH_CONTENT: /* a captive portal or a half-deployed feed */
    case FETCH_ABORTED:
        return RETRY_TRANSIENT;
    case FETCH_TLS_CLOCK:
        return RETRY_CLOCK;
    case FETCH_TLS:
    case FETCH_TOO_BIG:
    case FETCH_REFUSED:
    case FETCH_REDIRECTS:
        return RETRY_SLOW;
    }
    return RETRY_TRANSIENT;
}

const char *
backoff_class_name(RetryClass c)
{
    switch (c) {
    case RETRY_NONE:
        return "none";
    case RETRY_TRANSIENT:
        return "transient";
    case RETRY_SLOW:
        return "slow";
    case RETRY_CLOCK:
        return "clock";
    }
    return "?";
}

/* x * u for u in [0, 1], rounded down, without overflow for any x >= 0. */
static int64_t
scale(int64_t x, double u)
{
    double v = (double)x * u;
    return v >= (double)INT64_MAX ? INT64_MAX : (int64_t)v;
}

int64_t
backoff_jitter_ms(int64_t interval_ms, Rng *rng)
{
    int64_t j = scale(interval_ms, 0.9 + 0.2 * rng_unit(rng));
    return MAX(j, BACKOFF_MIN_DELAY_MS);
}

int64_t
backoff_startup_ms(int64_t max_ms, Rng *rng)
{
    if (max_ms <= 0)
        return 0;
    return scale(max_ms, rng_unit(rng));
}

/* min(cap, base * 2^(failures-1)) without overflow. */
static int64_t
exp_ceiling(int64_t base_ms, int64_t cap_ms, int failures)
{
    int64_t c = MAX(base_ms, 1);
    for (int i = 1; i < failures && c < cap_ms; i++)
        c = c > INT64_MAX / 2 ? INT64_MAX : c * 2;
    return MIN(c, cap_ms);
}

int64_t
backoff_delay_ms(const BackoffPolicy *p, RetryClass c, int failures,
                 int64_t retry_after_s, Rng *rng)
{
    int64_t interval = MAX(p->interval_ms, BACKOFF_MIN_DELAY_MS);
    int64_t d;
    switch (c) {
    case RETRY_NONE:
        d = backoff_jitter_ms(interval, rng);
        break;
    case RETRY_SLOW:
        /* Jitter only downwards: the retry still comes within one
         * interval, which is what recovery is promised in. */
        d = scale(interval, 0.9 + 0.1 * rng_unit(rng));
        break;
    case RETRY_CLOCK:
    case RETRY_TRANSIENT:
    default: {
        /* "Full jitter" (Brooker, AWS Architecture Blog, 2015): spreads
         * a fleet's retries evenly instead of in synchronised waves. */
        int64_t ceiling = exp_ceiling(p->base_ms, interval, MAX(failures, 1));
        d = scale(ceiling, rng_unit(rng));
        if (c == RETRY_CLOCK)
            d = MIN(d, (int64_t)BACKOFF_CLOCK_RETRY_MAX_MS);
        break;
    }
    }
    if (retry_after_s > 0) {
        int64_t ra = MIN(retry_after_s, (int64_t)BACKOFF_RETRY_AFTER_MAX_S);
        d = MAX(d, ra * 1000);
    }
    return MAX(d, BACKOFF_MIN_DELAY_MS);
}

bool
backoff_retry_after_s(const char *value, int64_t now_s, int64_t *out_s)
{
    if (!value)
        return false;
    while (*value == ' ' || *value == '\t')
        value++;
    size_t n = strlen(value);
    while (n && (value[n - 1] == ' ' || value[n - 1] == '\t'))
        n--;
    if (n == 0)
        return false;
    size_t digits = strspn(value, "0123456789");
    int64_t wait;
    if (digits == n) {
        /* delta-seconds; anything longer than 9 digits is past the clamp */
        wait = 0;
        for (size_t i = 0; i < n && wait <= BACKOFF_RETRY_AFTER_MAX_S; i++)
            wait = wait * 10 + (value[i] - '0');
    } else {
        char date[64];
        if (n >= sizeof(date))
            return false;
        memcpy(date, value, n);
        date[n] = '\0';
        int64_t at;
        /* An HTTP date always names a weekday and a month; time_parse also
         * takes ISO dates, which a server should not send but could. */
        if (!time_parse(date, &at))
            return false;
        wait = at - now_s;
    }
    if (wait <= 0)
        return false;
    *out_s = MIN(wait, (int64_t)BACKOFF_RETRY_AFTER_MAX_S);
    return true;
}
