/*
 * keycombo: a key combination as the config writes it, e.g. "ctrl+alt+q".
 *
 * Modifiers ctrl, alt, shift and super (any order, any case) joined with
 * '+' to one key: a letter, a digit, f1-f12, or one of escape, backspace,
 * delete, end, home, insert, pause, tab, return, space. An empty spec is
 * "no key". The key is kept under the name SDL uses for it ("Q", "F12",
 * "Escape"), which the display adapter looks up. Pure; any thread.
 */
#ifndef KEYCOMBO_H
#define KEYCOMBO_H

#include <stdbool.h>
#include <stddef.h>

enum {
    KEYMOD_CTRL = 1,
    KEYMOD_ALT = 2,
    KEYMOD_SHIFT = 4,
    KEYMOD_SUPER = 8,
};

typedef struct KeyCombo {
    unsigned mods; /* KEYMOD_* bits that must be held */
    char key[16];  /* SDL key name; "" when there is no key */
} KeyCombo;

/* Returns -1 with a sentence in err for anything else. */
int keycombo_parse(const char *spec, KeyCombo *out, char *err, size_t errlen);
/* "ctrl+alt+Q", or "none". */
void keycombo_format(const KeyCombo *k, char *buf, size_t n);

#endif
