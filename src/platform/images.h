/*
 * images: story pictures, fetched and decoded on the fetch thread.
 *
 * After each list the fetcher posts, images_update() notes which image
 * URLs the first IMAGES_WANTED stories carry. The pictures not yet sent
 * are downloaded a few at a time on the fetcher's HttpEngine (same
 * timeouts, protocols, CA file and proxy as feeds, at most
 * IMAGES_MAX_BYTES each), checked (PNG, JPEG or WebP, not too many
 * pixels), decoded with SDL2_image, scaled down to PICTURE_MAX_W x
 * PICTURE_MAX_H and posted to the inbox as plain pixels. Only http and
 * https image URLs are fetched, and file:// ones from a story whose feed
 * is itself a file:// URL. A failing image is skipped with one log line
 * and tried again after IMAGES_RETRY_MS; a feed never fails because of an
 * image (also when its story leaves the list and comes back). Fetch thread only
 * (or the thread of fetcher_run_once()).
 */
#ifndef IMAGES_H
#define IMAGES_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "http.h"
#include "inbox.h"

#define IMAGES_WANTED 24            /* first stories of a list with pictures */
#define IMAGES_PARALLEL 3           /* downloads at once */
#define IMAGES_MAX_BYTES (3u << 20) /* per image */
#define IMAGES_RETRY_MS (INT64_C(3600) * 1000)

typedef struct Images Images;

/* opts as for feeds (max_bytes is replaced); feeds are borrowed and must
 * outlive it. */
Images *images_new(HttpEngine *e, const HttpOpts *opts, Inbox *inbox,
                   const FeedConf *feeds, size_t feed_count);
void images_free(Images *im);
/* Notes the stories of a list just posted and queues their pictures. */
void images_update(Images *im, const StoryList *list);
/* Starts queued downloads (and retries due by now_ms) while slots are
 * free; returns the monotonic ms of the next retry, or INT64_MAX. */
int64_t images_pump(Images *im, int64_t now_ms);
/* True when t is one of the image transfers. */
bool images_owns(const Images *im, const HttpTransfer *t);
/* Books a finished image transfer: posts the picture or notes the
 * failure. */
void images_complete(Images *im, HttpTransfer *t, HttpResult *res,
                     int64_t now_ms);
/* True while a download runs or one is queued. */
bool images_busy(const Images *im);

#endif
