/* File-system helpers: atomic writes, content-named copies, listings. */
#define _POSIX_C_SOURCE 200809L
#include "fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nettle/sha1.h>

#include "util.h"

char *fs_join(const char *dir, const char *name)
{
    size_t n = strlen(dir);

    if (n > 0 && dir[n - 1] == '/')
        return fw_xasprintf("%s%s", dir, name);
    return fw_xasprintf("%s/%s", dir, name);
}

int fs_mkdirs(const char *path)
{
    char *p, *s;
    int rc = 0;

    if (path[0] == '\0') {
        errno = ENOENT;
        return -1;
    }
    p = fw_xstrdup(path);
    for (s = p + 1; rc == 0; s++) {
        int last = (*s == '\0');

        if (*s != '/' && !last)
            continue;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST)
            rc = -1;
        else if (!fs_is_dir(p)) {
            errno = ENOTDIR;
            rc = -1;
        }
        if (last)
            break;
        *s = '/';
    }
    free(p);
    return rc;
}

static int write_all(int fd, const void *data, size_t len)
{
    const char *p = data;

    while (len > 0) {
        ssize_t n = write(fd, p, len);

        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Writes data to a fresh temporary file next to path; returns its name. */
static char *write_temp(const char *path, const void *data, size_t len)
{
    static unsigned counter;
    char *dir = fw_xstrdup(path);
    char *slash = strrchr(dir, '/');
    char *tmp;
    int fd, saved;

    if (slash != NULL)
        slash[1] = '\0';
    else
        dir[0] = '\0';
    tmp = fw_xasprintf("%s.fwfuzz-tmp-%ld-%u", dir, (long)getpid(), counter++);
    free(dir);
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0)
        goto fail;
    if (write_all(fd, data, len) != 0 || fsync(fd) != 0) {
        saved = errno;
        close(fd);
        unlink(tmp);
        errno = saved;
        goto fail;
    }
    if (close(fd) != 0) {
        saved = errno;
        unlink(tmp);
        errno = saved;
        goto fail;
    }
    return tmp;
fail:
    free(tmp);
    return NULL;
}

int fs_write_atomic(const char *path, const void *data, size_t len)
{
    char *tmp = write_temp(path, data, len);
    int saved;

    if (tmp == NULL)
        return -1;
    if (rename(tmp, path) != 0) {
        saved = errno;
        unlink(tmp);
        free(tmp);
        errno = saved;
        return -1;
    }
    free(tmp);
    return 0;
}

int fs_read_file(const char *path, size_t max, char **data, size_t *len)
{
    int fd = open(path, O_RDONLY);
    /* room for max + 1 bytes tells "exactly max" from "too big" */
    size_t cap = max < 4096 ? max + 1 : 4096, n = 0;
    char *buf;
    int saved;

    if (fd < 0)
        return -1;
    buf = fw_xmalloc(cap + 1);
    for (;;) {
        ssize_t r;

        if (n == cap) {
            if (cap > max)
                break;
            cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
            buf = fw_xrealloc(buf, cap + 1);
        }
        r = read(fd, buf + n, cap - n);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            saved = errno;
            free(buf);
            close(fd);
            errno = saved;
            return -1;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    if (n > max) {
        free(buf);
        errno = EFBIG;
        return -1;
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return 0;
}

void fs_sha1_hex(const void *data, size_t len, char hex[FS_SHA1_HEX_LEN + 1])
{
    static const char digits[] = "0123456789abcdef";
    struct sha1_ctx ctx;
    uint8_t d[SHA1_DIGEST_SIZE];
    size_t i;

    sha1_init(&ctx);
    sha1_update(&ctx, len, data);
    sha1_digest(&ctx, sizeof(d), d);
    for (i = 0; i < sizeof(d); i++) {
        hex[2 * i] = digits[d[i] >> 4];
        hex[2 * i + 1] = digits[d[i] & 15];
    }
    hex[FS_SHA1_HEX_LEN] = '\0';
}

int fs_store_unique(const void *data, size_t len, const char *dir,
                    const char *prefix, char hex[FS_SHA1_HEX_LEN + 1],
                    char **path_out)
{
    struct stat st;
    char *name, *path, *tmp;
    int rc = -1, saved;

    fs_sha1_hex(data, len, hex);
    name = fw_xasprintf("%s%s", prefix, hex);
    path = fs_join(dir, name);
    free(name);
    if (lstat(path, &st) == 0) {
        rc = 0;
        goto out;
    }
    tmp = write_temp(path, data, len);
    if (tmp == NULL)
        goto out;
    /* link() fails with EEXIST instead of replacing: a file someone else
     * stored meanwhile is never overwritten. */
    if (link(tmp, path) == 0) {
        rc = 1;
    } else if (errno == EEXIST) {
        rc = 0;
    } else if (rename(tmp, path) == 0) {
        /* file systems without hard links */
        free(tmp);
        rc = 1;
        goto out;
    }
    saved = errno;
    unlink(tmp);
    free(tmp);
    errno = saved;
out:
    if (path_out != NULL && rc >= 0)
        *path_out = path;
    else
        free(path);
    return rc;
}

int fs_copy_unique(const char *src, const char *dir, const char *prefix,
                   char hex[FS_SHA1_HEX_LEN + 1], char **path_out)
{
    char *data;
    size_t len;
    int rc;

    if (fs_read_file(src, FS_MAX_READ, &data, &len) != 0)
        return -1;
    rc = fs_store_unique(data, len, dir, prefix, hex, path_out);
    free(data);
    return rc;
}

int fs_sha1_file(const char *path, char hex[FS_SHA1_HEX_LEN + 1])
{
    char *data;
    size_t len;

    if (fs_read_file(path, FS_MAX_READ, &data, &len) != 0)
        return -1;
    fs_sha1_hex(data, len, hex);
    free(data);
    return 0;
}

static int list_entries(const char *dir, const char *prefix, int want_dirs,
                        struct strvec *names)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t plen = strlen(prefix);
    struct strvec found = {0};

    if (d == NULL)
        return errno == ENOENT ? 0 : -1;
    while ((e = readdir(d)) != NULL) {
        struct stat st;
        char *path;
        int match;

        if (e->d_name[0] == '.' || strncmp(e->d_name, prefix, plen) != 0)
            continue;
        path = fs_join(dir, e->d_name);
        match = stat(path, &st) == 0 &&
                (want_dirs ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode));
        free(path);
        if (match)
            strvec_push(&found, e->d_name);
    }
    closedir(d);
    strvec_sort(&found);
    strvec_extend(names, &found);
    strvec_free(&found);
    return 0;
}

int fs_list_files(const char *dir, const char *prefix, struct strvec *names)
{
    return list_entries(dir, prefix, 0, names);
}

int fs_list_dirs(const char *dir, struct strvec *names)
{
    return list_entries(dir, "", 1, names);
}

unsigned long fs_count_files(const char *dir)
{
    struct strvec names = {0};
    unsigned long n;

    if (fs_list_files(dir, "", &names) != 0)
        return 0;
    n = (unsigned long)names.n;
    strvec_free(&names);
    return n;
}

int fs_remove_tree(const char *path)
{
    struct stat st;
    DIR *d;
    struct dirent *e;
    int rc = 0;

    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode))
        return unlink(path);
    d = opendir(path);
    if (d == NULL)
        return -1;
    while ((e = readdir(d)) != NULL) {
        char *child;

        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        child = fs_join(path, e->d_name);
        if (fs_remove_tree(child) != 0)
            rc = -1;
        free(child);
    }
    closedir(d);
    if (rc == 0 && rmdir(path) != 0)
        rc = -1;
    return rc;
}

int fs_is_dir(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int fs_is_executable(const char *path)
{
    struct stat st;

    /* NULL: a build the manifest does not have (a whole image's native
     * ones) */
    return path != NULL && stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
           access(path, X_OK) == 0;
}

char *fs_which(const char *name)
{
    const char *path = getenv("PATH");
    const char *p;

    if (strchr(name, '/') != NULL)
        return fs_is_executable(name) ? fw_xstrdup(name) : NULL;
    if (path == NULL)
        path = "/usr/bin:/bin";
    for (p = path;;) {
        const char *colon = strchr(p, ':');
        size_t n = colon != NULL ? (size_t)(colon - p) : strlen(p);
        char *cand = n > 0 ? fw_xasprintf("%.*s/%s", (int)n, p, name)
                           : fw_xasprintf("./%s", name);

        if (fs_is_executable(cand))
            return cand;
        free(cand);
        if (colon == NULL)
            return NULL;
        p = colon + 1;
    }
}
