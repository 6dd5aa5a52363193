/*
 * images: story pictures on the fetch thread. See images.h.
 *
 * Each wanted URL has an entry: queued, running, sent, or failed with a
 * time for its one retry. Entries whose story left the list are dropped,
 * so the set stays within IMAGES_WANTED; a URL that comes back is fetched
 * again (the render thread drops pictures no card uses), unless it failed
 * within the hour: failures are remembered apart, by URL hash, for the
 * last IMAGES_FAILED_MAX of them.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <SDL.h>
#include <SDL_image.h>

#include "images.h"
#include "log.h"
#include "picture.h"
#include "util.h"

typedef enum ImageState {
    IMG_QUEUED,
    IMG_RUNNING,
    IMG_SENT,
    IMG_FAILED
} ImageState;

typedef struct ImageEntry {
    char *url; /* owned */
    ImageState state;
    int64_t retry_ms; /* IMG_FAILED: when it may be tried again */
    bool keep;        /* scratch for images_update() */
} ImageEntry;

#define IMAGES_FAILED_MAX 64

typedef struct ImageFailure {
    uint64_t hash; /* of the URL; 0 for a free entry */
    int64_t retry_ms;
} ImageFailure;

typedef struct ImageSlot {
    HttpTransfer *http;
    int entry; /* index into entries while running, else -1 */
} ImageSlot;

struct Images {
    Inbox *inbox;
    const FeedConf *feeds;
    size_t feed_count;
    ImageEntry entries[IMAGES_WANTED];
    size_t n;
    ImageSlot slots[IMAGES_PARALLEL];
    ImageFailure failed[IMAGES_FAILED_MAX];
    size_t failed_next; /* the oldest, replaced next */
};

static uint64_t
url_hash(const char *url)
{
    uint64_t h = util_hash64(url, strlen(url), UINT64_C(0x1a4a9e5));
    return h ? h : 1;
}

static ImageFailure *
failure_of(Images *im, const char *url)
{
    uint64_t h = url_hash(url);
    for (size_t i = 0; i < IMAGES_FAILED_MAX; i++) {
        if (im->failed[i].hash == h)
            return &im->failed[i];
    }
    return NULL;
}

Images *
images_new(HttpEngine *e, const HttpOpts *opts, Inbox *inbox,
           const FeedConf *feeds, size_t feed_count)
{
    Images *im = xcalloc(1, sizeof(Images));
    im->inbox = inbox;
    im->feeds = feeds;
    im->feed_count = feed_count;
    HttpOpts o = *opts;
    o.max_bytes = IMAGES_MAX_BYTES;
    for (size_t i = 0; i < IMAGES_PARALLEL; i++) {
        im->slots[i].http = http_transfer_new(e, &o, &im->slots[i]);
        im->slots[i].entry = -1;
    }
    return im;
}

void
images_free(Images *im)
{
    if (!im)
        return;
    for (size_t i = 0; i < IMAGES_PARALLEL; i++)
        http_transfer_free(im->slots[i].http);
    for (size_t i = 0; i < im->n; i++)
        free(im->entries[i].url);
    free(im);
}

static bool
has_scheme(const char *url, const char *scheme)
{
    size_t n = strlen(scheme);
    return !strncasecmp(url, scheme, n) && !strncmp(url + n, "://", 3);
}

/* http and https always; file only from a file:// feed. */
static bool
fetchable(const Images *im, const Story *s)
{
    const char *u = s->image;
    if (!u || !*u)
        return false;
    if (has_scheme(u, "http") || has_scheme(u, "https"))
        return true;
    if (!has_scheme(u, "file") || !s->feed)
        return false;
    for (size_t i = 0; i < im->feed_count; i++) {
        if (!strcmp(im->feeds[i].name, s->feed))
            return has_scheme(im->feeds[i].url, "file");
    }
    return false;
}

static int
find(const Images *im, const char *url)
{
    for (size_t i = 0; i < im->n; i++) {
        if (!strcmp(im->entries[i].url, url))
            return (int)i;
    }
    return -1;
}

void
images_update(Images *im, const StoryList *list)
{
    for (size_t i = 0; i < im->n; i++)
        im->entries[i].keep = im->entries[i].state == IMG_RUNNING;
    const char *add[IMAGES_WANTED];
    size_t add_n = 0;
    for (size_t i = 0; list && i < list->count && add_n < IMAGES_WANTED; i++) {
        const Story *s = &list->items[i];
        if (!fetchable(im, s))
            continue;
        int k = find(im, s->image);
        if (k >= 0)
            im->entries[k].keep = true;
        else
            add[add_n++] = s->image;
    }
    /* Drop what left the list (a running download finishes first). */
    size_t w = 0;
    for (size_t i = 0; i < im->n; i++) {
        if (!im->entries[i].keep) {
            free(im->entries[i].url);
            continue;
        }
        for (size_t j = 0; j < IMAGES_PARALLEL; j++) {
            if (im->slots[j].entry == (int)i)
                im->slots[j].entry = (int)w;
        }
        im->entries[w++] = im->entries[i];
    }
    im->n = w;
    for (size_t i = 0; i < add_n && im->n < IMAGES_WANTED; i++) {
        if (find(im, add[i]) >= 0)
            continue; /* the same image on two stories */
        ImageEntry e = {.url = xstrdup(add[i]), .state = IMG_QUEUED};
        const ImageFailure *fail = failure_of(im, add[i]);
        if (fail) { /* pump() retries it when its hour is up */
            e.state = IMG_FAILED;
            e.retry_ms = fail->retry_ms;
        }
        im->entries[im->n++] = e;
    }
}

int64_t
images_pump(Images *im, int64_t now_ms)
{
    int64_t next = INT64_MAX;
    for (size_t i = 0; i < im->n; i++) {
        ImageEntry *e = &im->entries[i];
        if (e->state == IMG_FAILED && e->retry_ms <= now_ms)
            e->state = IMG_QUEUED;
        if (e->state == IMG_FAILED)
            next = MIN(next, e->retry_ms);
        if (e->state != IMG_QUEUED)
            continue;
        for (size_t j = 0; j < IMAGES_PARALLEL; j++) {
            ImageSlot *s = &im->slots[j];
            if (s->entry >= 0 || http_transfer_active(s->http))
                continue;
            s->entry = (int)i;
            e->state = IMG_RUNNING;
            http_transfer_start(s->http, e->url, NULL, NULL);
            break;
        }
    }
    return next;
}

bool
images_owns(const Images *im, const HttpTransfer *t)
{
    for (size_t j = 0; j < IMAGES_PARALLEL; j++) {
        if (im->slots[j].http == t)
            return true;
    }
    return false;
}

bool
images_busy(const Images *im)
{
    for (size_t i = 0; i < im->n; i++) {
        if (im->entries[i].state == IMG_QUEUED ||
            im->entries[i].state == IMG_RUNNING)
            return true;
    }
    return false;
}

/* Decodes, scales down and copies out the pixels; -1 with err set. */
static int
decode(const HttpResult *res, Picture *out, char *err, size_t n)
{
    const unsigned char *data = (const unsigned char *)res->body.data;
    int w, h;
    PictureFormat f = picture_probe(data, res->body.len, &w, &h);
    if (f == PICTURE_UNKNOWN) {
        util_strlcpy(err, "not a PNG, JPEG or WebP image", n);
        return -1;
    }
    if (w <= 0 || h <= 0 || w > PICTURE_DECODE_MAX_SIDE ||
        h > PICTURE_DECODE_MAX_SIDE ||
        (int64_t)w * h > PICTURE_DECODE_MAX_PIXELS) {
        util_errf(err, n, "%s of %dx%d pixels is too large",
                  picture_format_name(f), w, h);
        return -1;
    }
    SDL_Surface *img =
        IMG_Load_RW(SDL_RWFromConstMem(data, (int)res->body.len), 1);
    if (!img) {
        util_errf(err, n, "cannot decode the %s: %s", picture_format_name(f),
                  IMG_GetError());
        return -1;
    }
    SDL_Surface *argb =
        SDL_ConvertSurfaceFormat(img, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(img);
    if (!argb) {
        util_errf(err, n, "cannot convert the picture: %s", SDL_GetError());
        return -1;
    }
    int ow, oh;
    picture_fit(argb->w, argb->h, PICTURE_MAX_W, PICTURE_MAX_H, &ow, &oh);
    SDL_Surface *fit = argb;
    if (ow != argb->w || oh != argb->h) {
        fit = SDL_CreateRGBSurfaceWithFormat(0, ow, oh, 32,
                                             SDL_PIXELFORMAT_ARGB8888);
        bool ok = fit && SDL_SoftStretchLinear(argb, NULL, fit, NULL) == 0;
        if (fit && !ok) {
            SDL_SetSurfaceBlendMode(argb, SDL_BLENDMODE_NONE);
            ok = SDL_BlitScaled(argb, NULL, fit, NULL) == 0;
        }
        SDL_FreeSurface(argb);
        if (!ok) {
            util_errf(err, n, "cannot scale the picture: %s", SDL_GetError());
            SDL_FreeSurface(fit);
            return -1;
        }
    }
    out->w = fit->w;
    out->h = fit->h;
    out->argb = xmalloc((size_t)fit->w * (size_t)fit->h * 4);
    SDL_LockSurface(fit);
    for (int y = 0; y < fit->h; y++)
        memcpy(out->argb + (size_t)y * (size_t)fit->w,
               (const char *)fit->pixels + (size_t)y * (size_t)fit->pitch,
               (size_t)fit->w * 4);
    SDL_UnlockSurface(fit);
    SDL_FreeSurface(fit);
    return 0;
}

void
images_complete(Images *im, HttpTransfer *t, HttpResult *res, int64_t now_ms)
{
    ImageSlot *s = http_transfer_user(t);
    int k = s->entry;
    s->entry = -1;
    if (k < 0 || (size_t)k >= im->n || res->outcome == FETCH_ABORTED)
        return;
    ImageEntry *e = &im->entries[k];
    char err[256] = "";
    Picture p = {0};
    if (res->outcome == FETCH_HTTP_STATUS)
        util_errf(err, sizeof(err), "HTTP status %ld", res->status);
    else if (res->outcome != FETCH_OK)
        util_strlcpy(err, res->error[0] ? res->error : "no answer",
                     sizeof(err));
    else
        decode(res, &p, err, sizeof(err));
    if (err[0]) {
        log_info("image %s skipped: %s; next try in an hour", e->url, err);
        e->state = IMG_FAILED;
        e->retry_ms = now_ms + IMAGES_RETRY_MS;
        ImageFailure *f = failure_of(im, e->url);
        if (!f) {
            f = &im->failed[im->failed_next];
            im->failed_next = (im->failed_next + 1) % IMAGES_FAILED_MAX;
        }
        *f = (ImageFailure){url_hash(e->url), e->retry_ms};
        return;
    }
    p.url = xstrdup(e->url);
    e->state = IMG_SENT;
    PictureList one = {0};
    picture_list_push(&one, &p);
    inbox_post_pictures(im->inbox, &one);
    free(one.items);
}
