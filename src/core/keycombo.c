/* keycombo: see keycombo.h. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "keycombo.h"
#include "util.h"

static const struct {
    const char *name;
    unsigned bit;
} MODS[] = {
    {"ctrl", KEYMOD_CTRL},
    {"alt", KEYMOD_ALT},
    {"shift", KEYMOD_SHIFT},
    {"super", KEYMOD_SUPER},
};

static const char *const NAMED_KEYS[] = {
    "Escape", "Backspace", "Delete", "End",    "Home",
    "Insert", "Pause",     "Tab",    "Return", "Space",
};

/* The SDL name of a key word, or false. */
static bool
key_name(const char *w, size_t n, char *out, size_t outlen)
{
    if (n == 1 &&
        ((w[0] >= 'a' && w[0] <= 'z') || (w[0] >= 'A' && w[0] <= 'Z') ||
         (w[0] >= '0' && w[0] <= '9'))) {
        char c = w[0] >= 'a' && w[0] <= 'z' ? (char)(w[0] - 32) : w[0];
        snprintf(out, outlen, "%c", c);
        return true;
    }
    if ((n == 2 || n == 3) && (w[0] == 'f' || w[0] == 'F')) {
        int num = 0;
        for (size_t i = 1; i < n; i++) {
            if (w[i] < '0' || w[i] > '9')
                return false;
            num = num * 10 + (w[i] - '0');
        }
        if (num < 1 || num > 12 || w[1] == '0')
            return false;
        snprintf(out, outlen, "F%d", num);
        return true;
    }
    for (size_t i = 0; i < ARRAY_LEN(NAMED_KEYS); i++) {
        if (strlen(NAMED_KEYS[i]) == n && !strncasecmp(w, NAMED_KEYS[i], n)) {
            snprintf(out, outlen, "%s", NAMED_KEYS[i]);
            return true;
        }
    }
    return false;
}

int
keycombo_parse(const char *spec, KeyCombo *out, char *err, size_t errlen)
{
    KeyCombo k = {0, ""};
    const char *s = spec;
    while (*s == ' ')
        s++;
    if (!*s) {
        *out = k;
        return 0;
    }
    for (;;) {
        size_t n = strcspn(s, "+");
        while (n && s[n - 1] == ' ')
            n--;
        bool last = !s[strcspn(s, "+")];
        bool is_mod = false;
        for (size_t i = 0; i < ARRAY_LEN(MODS) && !last; i++) {
            if (strlen(MODS[i].name) == n && !strncasecmp(s, MODS[i].name, n)) {
                if (k.mods & MODS[i].bit) {
                    util_errf(err, errlen, "'%s': %s given twice", spec,
                              MODS[i].name);
                    return -1;
                }
                k.mods |= MODS[i].bit;
                is_mod = true;
            }
        }
        if (last) {
            if (!key_name(s, n, k.key, sizeof(k.key))) {
                util_errf(err, errlen,
                          "'%s': '%.*s' is not a key (a letter, a digit, "
                          "f1-f12, escape, backspace, delete, end, home, "
                          "insert, pause, tab, return or space)",
                          spec, (int)MIN(n, (size_t)24), s);
                return -1;
            }
            break;
        }
        if (!is_mod) {
            util_errf(err, errlen,
                      "'%s': '%.*s' is not a modifier (ctrl, alt, shift, "
                      "super)",
                      spec, (int)MIN(n, (size_t)24), s);
            return -1;
        }
        s += strcspn(s, "+") + 1;
        while (*s == ' ')
            s++;
    }
    *out = k;
    return 0;
}

void
keycombo_format(const KeyCombo *k, char *buf, size_t n)
{
    if (!k->key[0]) {
        snprintf(buf, n, "none");
        return;
    }
    Buf b;
    buf_init(&b);
    for (size_t i = 0; i < ARRAY_LEN(MODS); i++) {
        if (k->mods & MODS[i].bit)
            buf_appendf(&b, "%s+", MODS[i].name);
    }
    buf_appends(&b, k->key);
    util_strlcpy(buf, b.data, n);
    buf_deinit(&b);
}
