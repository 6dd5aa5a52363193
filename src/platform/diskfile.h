/*
 * diskfile: the few file operations that must survive power cuts.
 *
 * diskfile_write_atomic() replaces a file so that, whenever power fails or
 * the process is killed, the path holds either the old or the new content,
 * whole: write a temporary file in the same directory, fsync it, rename it
 * over the target, fsync the directory (rename alone is atomic but not
 * durable; without the file's fsync a power cut can leave a zero-length or
 * zero-filled file). Any thread; a given path must have one writer.
 */
#ifndef DISKFILE_H
#define DISKFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/* Returns 0, or -1 with a sentence in err (the old file is left as it
 * was, and the temporary file removed). */
int diskfile_write_atomic(const char *path, const void *data, size_t len,
                          char *err, size_t errlen);

typedef enum DiskRead {
    DISK_READ_OK,
    DISK_READ_MISSING, /* no such file */
    DISK_READ_TOO_BIG, /* larger than max_bytes: not read */
    DISK_READ_ERROR,   /* err says why */
} DiskRead;

/* Reads a whole file of at most max_bytes into out (cleared first). */
DiskRead diskfile_read(const char *path, size_t max_bytes, Buf *out, char *err,
                       size_t errlen);

/* Renames path to path + ".corrupt" (replacing an older one), so a bad file
 * is kept for inspection but never read again. Returns 0 or -1. */
int diskfile_quarantine(const char *path, char *moved_to, size_t n);

/* mkdir -p with mode 0755. Returns 0, or -1 with a sentence in err. */
int diskfile_mkdirs(const char *dir, char *err, size_t errlen);

#endif
