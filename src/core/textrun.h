/*
 * textrun: cuts one line of UTF-8 text into the runs a shaper draws, in
 * visual order (left to right on screen). Bidi levels come from fribidi,
 * with the paragraph direction taken from the first strong character
 * (left to right when there is none); runs are then cut where the script
 * or the font changes. Fonts are chosen by the caller through a
 * FontChooser, so this module needs no font file. A combining mark,
 * ZWJ, ZWNJ, variation selector, skin-tone modifier, tag character or the
 * second half of a flag stays in the run of the character it belongs to.
 *
 * Pure. A TextRuns keeps its buffers between calls; one thread uses it.
 */
#ifndef TEXTRUN_H
#define TEXTRUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct TextRun {
    size_t off;     /* first byte in the logical string */
    size_t len;     /* bytes; a run is one contiguous logical range */
    int font;       /* the chooser's font index */
    bool rtl;       /* shape and lay out right to left */
    char script[5]; /* ISO 15924 tag ("Latn", "Arab", "Deva"; "Hani" also
                       for kana mixed with Han); "" when the run holds
                       only digits, spaces and punctuation */
} TextRun;

typedef struct FontChooser {
    /* Index of the first font in the caller's fallback chain that has a
     * glyph for cp (the caller's choice when none has). */
    int (*font_for)(void *ud, uint32_t cp);
    /* Whether font has a glyph for cp. Optional (NULL): it lets spaces,
     * digits and punctuation stay in the font of the text around them
     * instead of cutting the run. */
    bool (*has_glyph)(void *ud, int font, uint32_t cp);
    void *ud;
} FontChooser;

struct TextRunScratch;

typedef struct TextRuns {
    TextRun *run; /* count runs, visual order; owned */
    size_t count;
    size_t cap;
    bool rtl; /* paragraph direction of the last string split */
    struct TextRunScratch *scratch; /* per-character buffers, owned */
} TextRuns;

void textrun_init(TextRuns *tr);
void textrun_deinit(TextRuns *tr);

/* Replaces tr's runs with those of s (len bytes, need not be terminated).
 * Invalid UTF-8 is read as U+FFFD, one maximal bad sequence at a time, so
 * the runs still cover every byte. Returns tr->count (0 for len 0). */
size_t textrun_split(TextRuns *tr, const char *s, size_t len,
                     const FontChooser *fc);

/* The Unicode script of cp as an ISO 15924 tag: "Zyyy" for characters
 * shared by all scripts (digits, punctuation, symbols, emoji), "Zinh" for
 * marks that take the script of their base, "Zzzz" when unknown. */
const char *textrun_script(uint32_t cp);

/* True when cp belongs to the character before it (see the header). */
bool textrun_is_extender(uint32_t cp);

#endif
