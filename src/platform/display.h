/*
 * display: the SDL adapter. Opens a window (or a headless software frame),
 * owns the renderer, the fonts and every text texture, executes DrawLists
 * and turns SDL events into application events. Text is rasterised once
 * per (font, string) and kept in a bounded cache; strings wider than the
 * renderer's maximum texture size are split into tiles. Render thread only.
 */
#ifndef DISPLAY_H
#define DISPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "draw.h"
#include "keycombo.h"
#include "picture.h"
#include "scene.h"

typedef enum DisplayMode {
    DISPLAY_WINDOW,
    DISPLAY_FULLSCREEN,
    DISPLAY_HEADLESS,
} DisplayMode;

typedef struct DisplayOpts {
    DisplayMode mode;
    int w, h;
    bool vsync;
    int max_texture_px;       /* 0: the renderer's own limit */
    int rotation;             /* quarter turns clockwise, 0..3 */
    bool software;            /* a window drawn by the CPU, not the GPU */
    bool damage;              /* CPU drawing: redraw only what changed */
    const char *font_regular; /* paths to TTF files */
    const char *font_bold;
} DisplayOpts;

typedef enum AppEvent {
    EV_NONE,
    EV_QUIT,
    EV_PAUSE,
    EV_NEXT,
    EV_PREV,
    EV_REFRESH,
    EV_FULLSCREEN,
    EV_RESIZE,
} AppEvent;

typedef struct DisplayStats {
    uint64_t ttf_renders;  /* TTF_RenderUTF8_Blended calls: one per run */
    uint64_t ttf_measures; /* TTF_SizeUTF8 calls: one per run */
    uint64_t textures_created;
    uint64_t bytes_uploaded;
    size_t textures_alive;
} DisplayStats;

typedef struct Display Display;

/* NULL with a one-line message in err when SDL, the window or a font
 * cannot be had. */
Display *display_open(const DisplayOpts *opts, char *err, size_t errlen);
void display_close(Display *d);

/* Opens the fonts at lay->font_px and drops cached textures; fills *m. */
int display_set_layout(Display *d, const Layout *lay, TextMeasurer *m,
                       char *err, size_t errlen);
void display_output_size(Display *d, int *w, int *h);
void display_draw(Display *d, const DrawList *dl);
void display_present(Display *d);
/* Takes the story pictures of list (may be NULL; the list is freed), at
 * most PICTURES_MAX held, and tells the scene about each one it keeps.
 * Pictures no card of the scene uses are dropped (and forgotten by the
 * scene) at most once a second. Textures are made one a frame ahead of
 * use, or when first drawn. Call once a frame. */
void display_take_pictures(Display *d, PictureList *list, Scene *sc);
/* Writes the last drawn frame as PNG. */
int display_save_png(Display *d, const char *path, char *err, size_t errlen);
AppEvent display_poll(Display *d);
void display_toggle_fullscreen(Display *d);
DisplayStats display_stats(const Display *d);
bool display_has_vsync(const Display *d);
/* Refresh rate the display reports, Hz; 60 when unknown or headless. */
int display_refresh_hz(const Display *d);
/* Driver, renderer, vsync and texture limit, for the start-up log line. */
void display_describe(const Display *d, char *buf, size_t n);

/* Kiosk mode: q, Esc, f and the window manager's close do nothing; only
 * quit (a combination with no key: none) ends the program from the
 * keyboard. NULL leaves kiosk mode. */
void display_set_kiosk(Display *d, const KeyCombo *quit);
/* Screen off: presents one black frame and lets the display server's
 * screen saver and power saving (DPMS) take over; on: holds them off
 * again. The caller draws the next frame as usual. */
void display_blank(Display *d, bool off);

#endif
