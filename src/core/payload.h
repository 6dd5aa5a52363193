/*
 * payload: a first look at a fetched body before the feed decoder sees it.
 *
 * Catches what is plainly not a feed, with a sentence that says what it is
 * instead: an HTML page (a Wi-Fi login portal or a web server's error page
 * answering 200) or an image, audio, video or font type. Anything else goes
 * to the decoder, which is lenient about mislabelled feeds (text/plain,
 * application/octet-stream, no type at all). Pure.
 */
#ifndef PAYLOAD_H
#define PAYLOAD_H

#include <stddef.h>

/* content_type may be NULL. Returns 0, or -1 with a sentence in err. */
int payload_check(const char *content_type, const char *body, size_t len,
                  char *err, size_t errlen);

#endif
