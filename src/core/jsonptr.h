/*
 * jsonptr: RFC 6901 JSON Pointers over a cJSON tree.
 *
 * Strict, as the RFC asks: "" is the whole document, anything else is a
 * sequence of "/"-prefixed tokens; in a token "~1" means "/" and "~0" means
 * "~" (decoded in that order, so "~01" is "~1"), any other "~" is an error.
 * On an object a token names a member exactly (byte-wise, case-sensitive;
 * the first of duplicate members). On an array it must be "0" or a decimal
 * number without sign or leading zero that fits; "-" (past the end), an
 * empty token, "01", "+1", "1e2" or an index past the end find nothing. Pure
 * and reentrant; walking is a loop, never recursion.
 */
#ifndef JSONPTR_H
#define JSONPTR_H

#include <stdbool.h>
#include <stddef.h>

#include <cJSON.h>

/* Checks the syntax of ptr (len bytes, need not be NUL-terminated).
 * Returns true if it is a valid pointer; otherwise false with a sentence in
 * err ("'~2' is not an escape (use ~0 for ~ and ~1 for /)"). */
bool jsonptr_check(const char *ptr, size_t len, char *err, size_t errlen);

/* The value ptr (len bytes) points at in root, or NULL when the pointer is
 * invalid or finds nothing. Borrowed: valid as long as root is. */
const cJSON *jsonptr_get(const cJSON *root, const char *ptr, size_t len);

/* Parses an array index token: true and *out for "0" or [1-9][0-9]* that
 * fits in size_t; false for anything else. Exposed for tests. */
bool jsonptr_parse_index(const char *tok, size_t len, size_t *out);

#endif
