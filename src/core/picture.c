/* picture: decoded story images in transit. See picture.h. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "picture.h"
#include "util.h"

PictureList *
picture_list_new(void)
{
    return xcalloc(1, sizeof(PictureList));
}

void
picture_deinit(Picture *p)
{
    free(p->url);
    free(p->argb);
    memset(p, 0, sizeof(*p));
}

void
picture_list_free(PictureList *list)
{
    if (!list)
        return;
    for (size_t i = 0; i < list->count; i++)
        picture_deinit(&list->items[i]);
    free(list->items);
    free(list);
}

void
picture_list_push(PictureList *list, Picture *p)
{
    if (list->count == list->cap) {
        list->cap = list->cap ? list->cap * 2 : 8;
        list->items = xrealloc(list->items, list->cap * sizeof(Picture));
    }
    list->items[list->count++] = *p;
    memset(p, 0, sizeof(*p));
}

void
picture_list_append(PictureList *dst, PictureList *src)
{
    for (size_t i = 0; i < src->count; i++)
        picture_list_push(dst, &src->items[i]);
    src->count = 0;
}

void
picture_fit(int w, int h, int max_w, int max_h, int *out_w, int *out_h)
{
    int64_t ow = w, oh = h;
    if (ow > max_w) {
        oh = oh * max_w / ow;
        ow = max_w;
    }
    if (oh > max_h) {
        ow = ow * max_h / oh;
        oh = max_h;
    }
    *out_w = (int)MAX(ow, 1);
    *out_h = (int)MAX(oh, 1);
}

static unsigned
be16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static uint32_t
be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}

static uint32_t
le24(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
}

/* Walks the JPEG markers to the first start-of-frame. */
static bool
jpeg_size(const unsigned char *d, size_t len, int *w, int *h)
{
    size_t i = 2;
    while (i + 4 <= len) {
        if (d[i] != 0xFF)
            return false;
        unsigned char m = d[i + 1];
        if (m == 0xFF) { /* fill byte */
            i++;
            continue;
        }
        if (m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {
            i += 2;
            continue;
        }
        unsigned seg = be16(d + i + 2);
        bool sof =
            m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
        if (sof) {
            if (i + 9 > len)
                return false;
            *h = (int)be16(d + i + 5);
            *w = (int)be16(d + i + 7);
            return true;
        }
        if (seg < 2)
            return false;
        i += 2 + seg;
    }
    return false;
}

PictureFormat
picture_probe(const unsigned char *d, size_t len, int *w, int *h)
{
    *w = *h = 0;
    static const unsigned char png_sig[8] = {0x89, 'P',  'N',  'G',
                                             '\r', '\n', 0x1A, '\n'};
    if (len >= 24 && !memcmp(d, png_sig, 8) && !memcmp(d + 12, "IHDR", 4)) {
        uint32_t pw = be32(d + 16), ph = be32(d + 20);
        if (pw > INT32_MAX || ph > INT32_MAX)
            return PICTURE_UNKNOWN;
        *w = (int)pw;
        *h = (int)ph;
        return PICTURE_PNG;
    }
    if (len >= 4 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF)
        return jpeg_size(d, len, w, h) ? PICTURE_JPEG : PICTURE_UNKNOWN;
    if (len >= 30 && !memcmp(d, "RIFF", 4) && !memcmp(d + 8, "WEBP", 4)) {
        const unsigned char *c = d + 12;
        if (!memcmp(c, "VP8 ", 4) && c[11] == 0x9D && c[12] == 0x01 &&
            c[13] == 0x2A) {
            *w = (int)(be16((const unsigned char[]){c[15], c[14]}) & 0x3FFF);
            *h = (int)(be16((const unsigned char[]){c[17], c[16]}) & 0x3FFF);
            return PICTURE_WEBP;
        }
        if (!memcmp(c, "VP8L", 4) && c[8] == 0x2F) {
            uint32_t b = (uint32_t)c[9] | (uint32_t)c[10] << 8 |
                         (uint32_t)c[11] << 16 | (uint32_t)c[12] << 24;
            *w = (int)(b & 0x3FFF) + 1;
            *h = (int)((b >> 14) & 0x3FFF) + 1;
            return PICTURE_WEBP;
        }
        if (!memcmp(c, "VP8X", 4)) {
            *w = (int)le24(c + 12) + 1;
            *h = (int)le24(c + 15) + 1;
            return PICTURE_WEBP;
        }
    }
    return PICTURE_UNKNOWN;
}

const char *
picture_format_name(PictureFormat f)
{
    switch (f) {
    case PICTURE_PNG:
        return "PNG";
    case PICTURE_JPEG:
        return "JPEG";
    case PICTURE_WEBP:
        return "WebP";
    default:
        return "unknown";
    }
}
