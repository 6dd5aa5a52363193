/* payload: reject bodies that are plainly not feeds. See payload.h. */
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "payload.h"
#include "util.h"

static bool
starts_with_ci(const char *s, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    return len >= n && strncasecmp(s, prefix, n) == 0;
}

int
payload_check(const char *content_type, const char *body, size_t len, char *err,
              size_t errlen)
{
    if (content_type) {
        static const char *const not_feeds[] = {"image/", "audio/", "video/",
                                                "font/"};
        for (size_t i = 0; i < ARRAY_LEN(not_feeds); i++) {
            if (starts_with_ci(content_type, strlen(content_type),
                               not_feeds[i])) {
                char type[64];
                size_t tl = strcspn(content_type, "; ");
                util_strlcpy(type, content_type, MIN(tl + 1, sizeof(type)));
                util_errf(err, errlen,
                          "the server sent %s instead of a feed (wrong "
                          "address?)",
                          type);
                return -1;
            }
        }
    }
    /* Skip a UTF-8 byte order mark and leading white space. */
    if (len >= 3 && !memcmp(body, "\xef\xbb\xbf", 3)) {
        body += 3;
        len -= 3;
    }
    while (len &&
           (*body == ' ' || *body == '\t' || *body == '\r' || *body == '\n')) {
        body++;
        len--;
    }
    if (starts_with_ci(body, len, "<!doctype html") ||
        starts_with_ci(body, len, "<html")) {
        util_errf(err, errlen,
                  "the server sent a web page instead of the feed (a Wi-Fi "
                  "login page or an error page?)");
        return -1;
    }
    return 0;
}
