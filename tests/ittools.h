/*
 * ittools: helpers for integration tests that run the real newswire binary
 * (path in $NEWSWIRE_BIN) and the loopback test server ($HTTPD_BIN), and
 * read the PNGs it writes.
 */
#ifndef ITTOOLS_H
#define ITTOOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct RunResult {
    int status; /* exit status, or 128 + signal */
    char *out;  /* captured stdout, owned */
    char *err;  /* captured stderr, owned */
} RunResult;

/* Runs argv (NULL-terminated) with extra "NAME=value" environment entries
 * (NULL-terminated, may be NULL); waits at most timeout_s. */
RunResult it_run(const char *const *argv, const char *const *env,
                 int timeout_s);
void it_result_free(RunResult *r);
const char *it_bin(void);

typedef struct Image {
    int w, h;
    uint8_t *rgb; /* w*h*3, owned */
} Image;

bool it_load_png(const char *path, Image *img);
void it_image_free(Image *img);
const uint8_t *it_pixel(const Image *img, int x, int y);
/* Pixels in the rectangle that differ from colour (r,g,b) by more than tol
 * in any channel. */
long it_count_unlike(const Image *img, int x, int y, int w, int h, int r, int g,
                     int b, int tol);

/* A temp directory for this test program (created once). */
const char *it_tmpdir(void);
char *it_path(const char *name); /* it_tmpdir()/name, caller frees */
bool it_write_file(const char *path, const char *text);
bool it_files_equal(const char *a, const char *b);

/* Starts the loopback test server on an ephemeral port serving root;
 * returns its pid and stores the port. */
int it_httpd_start(const char *root, int *port);
void it_httpd_stop(int pid);

#endif
