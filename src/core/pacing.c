/* pacing: refresh-rate measurement. See pacing.h. */
#include <stdlib.h>

#include "pacing.h"

#define SKIP_FIRST 10

void
refresh_meter_init(RefreshMeter *m)
{
    m->last_ns = 0;
    m->count = 0;
    m->skip = SKIP_FIRST;
}

static int
cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int
refresh_meter_add(RefreshMeter *m, int64_t present_ns)
{
    int64_t last = m->last_ns;
    m->last_ns = present_ns;
    if (last == 0 || m->count >= PACING_SAMPLES)
        return 0;
    if (m->skip > 0) {
        m->skip--;
        return 0;
    }
    m->intervals_ns[m->count++] = present_ns - last;
    if (m->count < PACING_SAMPLES)
        return 0;
    int64_t sorted[PACING_SAMPLES];
    for (int i = 0; i < PACING_SAMPLES; i++)
        sorted[i] = m->intervals_ns[i];
    qsort(sorted, PACING_SAMPLES, sizeof(int64_t), cmp_i64);
    int64_t median = sorted[PACING_SAMPLES / 2];
    /* Half the samples within 5% of the median, or it is not vsync. */
    int close = 0;
    for (int i = 0; i < PACING_SAMPLES; i++)
        close += llabs(sorted[i] - median) * 20 <= median;
    if (median <= 0 || close < PACING_SAMPLES / 2)
        return 0;
    /* Rates between 20 and 500 Hz are plausible displays. */
    int64_t mhz = (1000000000000LL + median / 2) / median;
    return mhz >= 20000 && mhz <= 500000 ? (int)mhz : 0;
}
