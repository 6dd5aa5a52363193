/* jsonptr: RFC 6901 JSON Pointer resolution. See jsonptr.h. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jsonptr.h"
#include "util.h"

#define TOKEN_STACK_BYTES 256 /* longer member names go to the heap */

bool
jsonptr_parse_index(const char *tok, size_t len, size_t *out)
{
    if (len == 0 || (tok[0] == '0' && len > 1))
        return false;
    size_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (tok[i] < '0' || tok[i] > '9')
            return false;
        size_t d = (size_t)(tok[i] - '0');
        /* Checked before multiplying: no wrap-around to a small index. */
        if (v > (SIZE_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

bool
jsonptr_check(const char *ptr, size_t len, char *err, size_t errlen)
{
    if (len == 0)
        return true;
    if (ptr[0] != '/') {
        util_errf(err, errlen, "'%.*s' must start with '/'", (int)MIN(len, 60),
                  ptr);
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        if (ptr[i] == '\0') {
            util_errf(err, errlen, "a pointer cannot hold a NUL byte");
            return false;
        }
        if (ptr[i] != '~')
            continue;
        if (i + 1 >= len || (ptr[i + 1] != '0' && ptr[i + 1] != '1')) {
            util_errf(err, errlen,
                      "'~%.1s' is not an escape (use ~0 for ~ and ~1 for /)",
                      i + 1 < len ? ptr + i + 1 : "");
            return false;
        }
        i++;
    }
    return true;
}

/* Decodes the token tok[0..len) into out (len + 1 bytes of room); false on
 * a bad escape. */
static bool
decode_token(const char *tok, size_t len, char *out)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        char c = tok[i];
        if (c == '\0')
            return false;
        if (c == '~') {
            if (i + 1 >= len || (tok[i + 1] != '0' && tok[i + 1] != '1'))
                return false;
            c = tok[i + 1] == '1' ? '/' : '~';
            i++;
        }
        out[n++] = c;
    }
    out[n] = '\0';
    return true;
}

static const cJSON *
array_at(const cJSON *array, size_t index)
{
    /* cJSON arrays are linked lists; cJSON_GetArrayItem takes an int. */
    const cJSON *child = array->child;
    for (size_t i = 0; child && i < index; i++)
        child = child->next;
    return child;
}

static const cJSON *
step(const cJSON *node, const char *tok, size_t len)
{
    char stack[TOKEN_STACK_BYTES];
    char *name = len < sizeof(stack) ? stack : xmalloc(len + 1);
    const cJSON *next = NULL;
    if (!decode_token(tok, len, name)) {
        next = NULL;
    } else if (cJSON_IsObject(node)) {
        next = cJSON_GetObjectItemCaseSensitive(node, name);
    } else if (cJSON_IsArray(node)) {
        size_t index;
        /* Escapes cannot form digits, so the raw token decides. */
        if (jsonptr_parse_index(tok, len, &index))
            next = array_at(node, index);
    }
    if (name != stack)
        free(name);
    return next;
}

const cJSON *
jsonptr_get(const cJSON *root, const char *ptr, size_t len)
{
    if (!root)
        return NULL;
    if (len == 0)
        return root;
    if (ptr[0] != '/')
        return NULL;
    const cJSON *node = root;
    size_t i = 1;
    for (;;) {
        size_t end = i;
        while (end < len && ptr[end] != '/')
            end++;
        node = step(node, ptr + i, end - i);
        if (!node || end >= len)
            return node;
        i = end + 1;
    }
}
