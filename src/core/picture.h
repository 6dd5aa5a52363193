/*
 * picture: a decoded story image as plain pixels, on its way from the
 * fetch thread (which downloads, decodes and scales it) to the render
 * thread (which turns it into a texture). A PictureList owns its pictures;
 * ownership moves with the list through the inbox.
 */
#ifndef PICTURE_H
#define PICTURE_H

#include <stddef.h>
#include <stdint.h>

/* Largest picture kept, px: enough for the card's image box at 1080p. */
#define PICTURE_MAX_W 640
#define PICTURE_MAX_H 360

typedef struct Picture {
    char *url;      /* the story's image URL, owned */
    int w, h;       /* px, both > 0 */
    uint32_t *argb; /* w * h pixels, 0xAARRGGBB, row after row; owned */
} Picture;

typedef struct PictureList {
    Picture *items; /* owned */
    size_t count, cap;
} PictureList;

PictureList *picture_list_new(void);
void picture_list_free(PictureList *list); /* NULL is a no-op */
/* Moves *p into the list. */
void picture_list_push(PictureList *list, Picture *p);
/* Moves every picture of src to the end of dst and empties src. */
void picture_list_append(PictureList *dst, PictureList *src);
void picture_deinit(Picture *p);

/* Fits a w x h image inside max_w x max_h keeping its aspect ratio; never
 * enlarges. Results are at least 1. */
void picture_fit(int w, int h, int max_w, int max_h, int *out_w, int *out_h);

/* Largest image decoded at all, px per side and in total: a bigger one
 * (a "decompression bomb" fits in a few kB) is refused before decoding. */
#define PICTURE_DECODE_MAX_SIDE 12000
#define PICTURE_DECODE_MAX_PIXELS (40 * 1000 * 1000)

typedef enum PictureFormat {
    PICTURE_UNKNOWN,
    PICTURE_PNG,
    PICTURE_JPEG,
    PICTURE_WEBP,
} PictureFormat;

/* Reads the format and size from the first bytes of an image file without
 * decoding it. Returns the format (PICTURE_UNKNOWN when it is not a PNG,
 * JPEG or WebP, or its header is cut short); *w and *h are set when the
 * header gives them, else 0. */
PictureFormat picture_probe(const unsigned char *data, size_t len, int *w,
                            int *h);
const char *picture_format_name(PictureFormat f);

#endif
