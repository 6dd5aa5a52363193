/*
 * cache: the on-disk format of one feed's last good stories.
 *
 * A cache file is one header line and a JSON document:
 *
 *   newswire-cache 1 <json bytes> <FNV-1a 64 of the json, 16 hex digits>\n
 *   {"feed":..., "url":..., "saved":..., "version":..., "etag":...,
 *    "last_modified":..., "stories":[{...}, ...]}
 *
 * The length and checksum catch what a power cut or a bad SD card can do
 * to a file (empty, truncated, zero-filled, bit rot); the JSON keeps it
 * readable for an administrator. Decoding checks every field's type and
 * size, so a damaged file is refused as a whole and never half-loaded.
 * Pure: encoding and decoding only; the platform layer does the I/O.
 */
#ifndef CACHE_H
#define CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "story.h"
#include "util.h"

#define CACHE_FORMAT_VERSION 1
#define CACHE_MAX_BYTES (8 * 1024 * 1024) /* larger files are refused */
#define CACHE_ETAG_MAX 256
#define CACHE_DATE_MAX 64
#define CACHE_HASH_SEED 0x6e657773u /* util_hash64 seed of the checksum */

typedef struct CacheEntry {
    char feed[64];                      /* feed name, from the config */
    char url[512];                      /* the URL the stories came from */
    int64_t saved_s;                    /* wall clock when they were fetched */
    char version[16];                   /* newswire version that decoded them */
    char etag[CACHE_ETAG_MAX];          /* validators of that response; */
    char last_modified[CACHE_DATE_MAX]; /* "" when the server sent none */
    StoryList *stories;                 /* owned */
} CacheEntry;

/* Appends the whole file (header line and JSON) to out. */
void cache_encode(const CacheEntry *e, Buf *out);

/* Parses a whole file. Returns 0 with *e filled (the caller owns
 * e->stories; free it with cache_entry_deinit), or -1 with err saying
 * what is wrong ("bad checksum", "truncated: 120 of 4000 bytes", ...). */
int cache_decode(const char *data, size_t len, CacheEntry *e, char *err,
                 size_t errlen);

void cache_entry_deinit(CacheEntry *e);

/* A file name for a feed: the name with every byte outside [A-Za-z0-9._-]
 * replaced by '_', plus ".cache". Never empty, never starts with '.'. */
void cache_file_name(const char *feed, char *out, size_t outlen);

/* A validator header value is sent back to the server: it must be one
 * printable line without control bytes. */
bool cache_header_value_ok(const char *v);

#endif
