/* Reading inputs from files and folders into memory. */
#define _POSIX_C_SOURCE 200809L
#include "inputs.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Larger files are not fuzz inputs; refuse them rather than exhaust RAM. */
#define INPUTS_MAX_FILE (256u * 1024u * 1024u)

static int add_file(struct inputs *in, const char *path, const char *who)
{
    FILE *f = fopen(path, "rb");
    struct input *it;
    uint8_t *buf = NULL;
    long size;
    int rc = -1;

    if (f == NULL) {
        fprintf(stderr, "%s: cannot open %s: %s\n", who, path, strerror(errno));
        return -1;
    }
    if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET) != 0) {
        fprintf(stderr, "%s: cannot size %s\n", who, path);
        goto out;
    }
    if ((unsigned long)size > INPUTS_MAX_FILE) {
        fprintf(stderr, "%s: %s is larger than %u bytes\n", who, path,
                INPUTS_MAX_FILE);
        goto out;
    }
    buf = malloc(size > 0 ? (size_t)size : 1);
    if (buf == NULL) {
        fprintf(stderr, "%s: out of memory for %s\n", who, path);
        goto out;
    }
    if (size > 0 && fread(buf, 1, (size_t)size, f) != (size_t)size) {
        fprintf(stderr, "%s: short read on %s\n", who, path);
        goto out;
    }
    if (in->n == in->cap) {
        size_t cap = in->cap ? in->cap * 2 : 64;
        struct input *grown = realloc(in->v, cap * sizeof(*grown));

        if (grown == NULL) {
            fprintf(stderr, "%s: out of memory\n", who);
            goto out;
        }
        in->v = grown;
        in->cap = cap;
    }
    it = &in->v[in->n];
    it->path = strdup(path);
    if (it->path == NULL) {
        fprintf(stderr, "%s: out of memory\n", who);
        goto out;
    }
    it->data = buf;
    it->len = (size_t)size;
    in->bytes += it->len;
    in->n++;
    buf = NULL;
    rc = 0;
out:
    free(buf);
    fclose(f);
    return rc;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int add_dir(struct inputs *in, const char *path, const char *who)
{
    DIR *d = opendir(path);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0, i;
    int rc = 0;

    if (d == NULL) {
        fprintf(stderr, "%s: cannot open %s: %s\n", who, path, strerror(errno));
        return -1;
    }
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue; /* ".", "..", and hidden files such as .gitkeep */
        if (n == cap) {
            char **grown;

            cap = cap ? cap * 2 : 64;
            grown = realloc(names, cap * sizeof(*names));
            if (grown == NULL) {
                rc = -1;
                break;
            }
            names = grown;
        }
        names[n] = malloc(strlen(path) + strlen(e->d_name) + 2);
        if (names[n] == NULL) {
            rc = -1;
            break;
        }
        sprintf(names[n], "%s/%s", path, e->d_name);
        n++;
    }
    if (rc != 0)
        fprintf(stderr, "%s: out of memory reading %s\n", who, path);
    if (rc == 0 && n > 0)
        qsort(names, n, sizeof(*names), name_cmp);
    for (i = 0; i < n && rc == 0; i++)
        rc = inputs_add_path(in, names[i], who);
    for (i = 0; i < n; i++)
        free(names[i]);
    free(names);
    closedir(d);
    return rc;
}

int inputs_add_path(struct inputs *in, const char *path, const char *who)
{
    struct stat st;

    if (stat(path, &st) != 0) {
        fprintf(stderr, "%s: cannot stat %s: %s\n", who, path, strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode))
        return add_dir(in, path, who);
    return add_file(in, path, who);
}

void inputs_free(struct inputs *in)
{
    size_t i;

    for (i = 0; i < in->n; i++) {
        free(in->v[i].path);
        free(in->v[i].data);
    }
    free(in->v);
    memset(in, 0, sizeof(*in));
}
