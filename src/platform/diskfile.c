/* diskfile: atomic replace, capped read, quarantine. See diskfile.h. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diskfile.h"

static int
write_all(int fd, const char *p, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* The directory part of path ("." when there is none). */
static void
dir_of(const char *path, char *dir, size_t n)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        util_strlcpy(dir, ".", n);
    else if (slash == path)
        util_strlcpy(dir, "/", n);
    else
        util_strlcpy(dir, path, MIN((size_t)(slash - path) + 1, n));
}

int
diskfile_write_atomic(const char *path, const void *data, size_t len, char *err,
                      size_t errlen)
{
    char tmp[PATH_MAX], dir[PATH_MAX];
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    dir_of(path, dir, sizeof(dir));
    /* One fixed temporary name per target: a write killed half-way leaves
     * at most one stray file, which the next write truncates. */
    if (snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dir, base) >=
        (int)sizeof(tmp)) {
        util_errf(err, errlen, "%s: path too long", path);
        return -1;
    }
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        util_errf(err, errlen, "cannot create %s: %s", tmp, strerror(errno));
        return -1;
    }
    const char *what = NULL;
    if (write_all(fd, data, len) < 0)
        what = "write";
    else if (fsync(fd) < 0)
        what = "fsync";
    int saved = errno;
    if (close(fd) < 0 && !what) {
        what = "close";
        saved = errno;
    }
    if (!what && rename(tmp, path) < 0) {
        what = "rename";
        saved = errno;
    }
    if (what) {
        unlink(tmp);
        util_errf(err, errlen, "cannot write %s (%s: %s)", path, what,
                  strerror(saved));
        return -1;
    }
    /* Make the rename itself durable. */
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        if (fsync(dfd) < 0 && errno != EINVAL) {
            saved = errno;
            close(dfd);
            util_errf(err, errlen, "%s written, but fsync of %s failed: %s",
                      path, dir, strerror(saved));
            return -1;
        }
        close(dfd);
    }
    return 0;
}

DiskRead
diskfile_read(const char *path, size_t max_bytes, Buf *out, char *err,
              size_t errlen)
{
    buf_clear(out);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return DISK_READ_MISSING;
        util_errf(err, errlen, "cannot open %s: %s", path, strerror(errno));
        return DISK_READ_ERROR;
    }
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        util_errf(err, errlen, "%s is not a regular file", path);
        return DISK_READ_ERROR;
    }
    if ((unsigned long long)st.st_size > max_bytes) {
        close(fd);
        return DISK_READ_TOO_BIG;
    }
    char chunk[65536];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof(chunk));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int saved = errno;
            close(fd);
            util_errf(err, errlen, "cannot read %s: %s", path, strerror(saved));
            return DISK_READ_ERROR;
        }
        if (n == 0)
            break;
        if (out->len + (size_t)n > max_bytes) {
            close(fd);
            return DISK_READ_TOO_BIG; /* grew while being read */
        }
        buf_append(out, chunk, (size_t)n);
    }
    close(fd);
    return DISK_READ_OK;
}

int
diskfile_quarantine(const char *path, char *moved_to, size_t n)
{
    snprintf(moved_to, n, "%s.corrupt", path);
    return rename(path, moved_to);
}

int
diskfile_mkdirs(const char *dir, char *err, size_t errlen)
{
    char p[PATH_MAX];
    if (util_strlcpy(p, dir, sizeof(p)) >= sizeof(p)) {
        util_errf(err, errlen, "%s: path too long", dir);
        return -1;
    }
    for (char *s = p + 1;; s++) {
        if (*s != '/' && *s != '\0')
            continue;
        char c = *s;
        *s = '\0';
        if (mkdir(p, 0755) < 0 && errno != EEXIST) {
            util_errf(err, errlen, "cannot create %s: %s", p, strerror(errno));
            return -1;
        }
        *s = c;
        if (!c)
            break;
    }
    struct stat st;
    if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
        util_errf(err, errlen, "%s is not a directory", dir);
        return -1;
    }
    return 0;
}
