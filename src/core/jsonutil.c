/* jsonutil: see jsonutil.h. */
#include "jsonutil.h"

void
json_add_string_or_null(cJSON *obj, const char *key, const char *value)
{
    if (value)
        cJSON_AddStringToObject(obj, key, value);
    else
        cJSON_AddNullToObject(obj, key);
}
