/*
 * kiosk: running unattended. Everything between the frame loop and the
 * machine it runs on:
 *   - signals: SIGTERM and SIGINT quit, SIGHUP asks for a config reload
 *     (SDL's own handlers are turned off, so signals are ours alone);
 *   - systemd (libsystemd's sd_notify; a no-op where systemd is absent):
 *     READY=1 after the first frame, WATCHDOG=1 from the render loop only
 *     while the fetch thread's heartbeat is fresh, RELOADING=1 / READY=1
 *     around a reload, STOPPING=1 on the way out;
 *   - the video driver chain (kiosk.video_drivers), tried and logged one
 *     by one, and kiosk mode (full screen, cursor hidden, screen saver off,
 *     no quit key but kiosk.quit_key);
 *   - the control socket (control.h) and its commands, the breaking-news
 *     banner and the JSON status;
 *   - the display schedule: while off the screen is blanked and the loop
 *     sleeps in kiosk_idle() (poll() on the signal pipe and the control
 *     socket), not in SDL, which polls at 1 kHz on KMSDRM and dummy.
 * The frame loop calls kiosk_tick() once per frame and does what it says.
 * Render thread only, one Kiosk per process.
 */
#ifndef KIOSK_H
#define KIOSK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "display.h"
#include "fetch.h"
#include "inbox.h"

typedef struct Kiosk Kiosk;

typedef struct KioskFrame {
    int64_t now_ns;   /* CLOCK_MONOTONIC */
    uint64_t frames;  /* presented so far */
    uint64_t dropped; /* frames that missed their slot */
    bool paused;
    int64_t card_step;
    size_t stories; /* on screen */
} KioskFrame;

typedef struct KioskActions {
    bool quit;   /* SIGTERM or SIGINT */
    bool reload; /* SIGHUP or "reload": call kiosk_reloaded() after */
    bool refresh;
    int pause;           /* +1 pause, -1 resume, 0 as it is */
    int step;            /* cards to move: + next, - previous */
    bool banner_changed; /* show kiosk_banner() */
    bool screen_off;     /* draw nothing; sleep in kiosk_idle() */
} KioskActions;

/* Before display_open(): signal handlers, SDL hints, log level and log
 * format, the video driver chain (unless headless), the control socket,
 * the watchdog settings. config_path (NULL: built-in defaults) is shown
 * in the status. kiosk_mode: started full screen (--fullscreen or
 * display.fullscreen). */
Kiosk *kiosk_new(const Config *cfg, const char *config_path, bool kiosk_mode,
                 bool headless);
/* After display_open() and fetcher_new(); both are borrowed. Called again
 * after a reload replaced the fetcher. */
void kiosk_attach(Kiosk *k, Display *d, Fetcher *f);
/* Sends STOPPING=1 if not yet sent and closes the control socket. */
void kiosk_free(Kiosk *k);

KioskActions kiosk_tick(Kiosk *k, const KioskFrame *frame);
/* After each present: READY=1 after the first. */
void kiosk_presented(Kiosk *k);
/* Screen off: sleeps until a signal, a control request or the next thing
 * due (watchdog ping, schedule check), or until until_ns at the latest. */
void kiosk_idle(Kiosk *k, int64_t until_ns);

/* The fetch thread's latest status, for "status". */
void kiosk_note_status(Kiosk *k, const FetchStatus *status);
/* The breaking text to show, or NULL. */
const char *kiosk_banner(const Kiosk *k);
/* The outcome of a reload: cfg is the new configuration (borrowed, must
 * outlive the next reload), or NULL when it was refused for err. */
void kiosk_reloaded(Kiosk *k, const Config *cfg, const char *err);

#endif
