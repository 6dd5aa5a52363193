/*
 * jsonutil: small cJSON helpers shared by the modules that write JSON
 * (--dump-feed, the offline cache, the control socket's status).
 * Any thread; cJSON objects are not shared between threads.
 */
#ifndef JSONUTIL_H
#define JSONUTIL_H

#include <cJSON.h>

/* Adds key: value, or key: null when value is NULL. */
void json_add_string_or_null(cJSON *obj, const char *key, const char *value);

#endif
