/*
 * Plain replay driver: runs a fuzz target over files and folders with no
 * engine, so any input can be reproduced under gdb or in CTest.
 *
 *   <target>_replay [-q] PATH...
 *
 * Each file is read into a heap buffer of exactly its size, so a read one
 * byte past the input is caught by ASan. Exit codes: 0 every input ran,
 * 2 usage, 3 a path could not be read; a crash or failed check aborts.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fwfuzz/target.h"

enum { REPLAY_OK = 0, REPLAY_USAGE = 2, REPLAY_UNREADABLE = 3 };

static int quiet;
static unsigned long replayed;

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    long size;
    int rc = REPLAY_UNREADABLE;

    if (f == NULL) {
        fprintf(stderr, "replay: cannot open %s: %s\n", path, strerror(errno));
        return REPLAY_UNREADABLE;
    }
    if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET) != 0) {
        fprintf(stderr, "replay: cannot size %s\n", path);
        goto out;
    }
    /* malloc(0) may return NULL; keep a valid pointer for empty inputs. */
    buf = malloc(size > 0 ? (size_t)size : 1);
    if (buf == NULL) {
        fprintf(stderr, "replay: out of memory for %s\n", path);
        goto out;
    }
    if (size > 0 && fread(buf, 1, (size_t)size, f) != (size_t)size) {
        fprintf(stderr, "replay: short read on %s\n", path);
        goto out;
    }
    if (!quiet)
        fprintf(stderr, "replay: %s (%ld bytes)\n", path, size);
    LLVMFuzzerTestOneInput(buf, (size_t)size);
    replayed++;
    rc = REPLAY_OK;
out:
    free(buf);
    fclose(f);
    return rc;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int replay_path(const char *path);

/* Folders are walked in name order so runs are reproducible. */
static int replay_dir(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0, i;
    int rc = REPLAY_OK;

    if (d == NULL) {
        fprintf(stderr, "replay: cannot open %s: %s\n", path, strerror(errno));
        return REPLAY_UNREADABLE;
    }
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue; /* ".", "..", and hidden files such as .gitkeep */
        if (n == cap) {
            char **grown;
            cap = cap ? cap * 2 : 64;
            grown = realloc(names, cap * sizeof(*names));
            if (grown == NULL) {
                rc = REPLAY_UNREADABLE;
                goto out;
            }
            names = grown;
        }
        names[n] = malloc(strlen(path) + strlen(e->d_name) + 2);
        if (names[n] == NULL) {
            rc = REPLAY_UNREADABLE;
            goto out;
        }
        sprintf(names[n], "%s/%s", path, e->d_name);
        n++;
    }
    if (n > 0)
        qsort(names, n, sizeof(*names), name_cmp);
    for (i = 0; i < n && rc == REPLAY_OK; i++)
        rc = replay_path(names[i]);
out:
    for (i = 0; i < n; i++)
        free(names[i]);
    free(names);
    closedir(d);
    return rc;
}

static int replay_path(const char *path)
{
    struct stat st;

    if (stat(path, &st) != 0) {
        fprintf(stderr, "replay: cannot stat %s: %s\n", path, strerror(errno));
        return REPLAY_UNREADABLE;
    }
    if (S_ISDIR(st.st_mode))
        return replay_dir(path);
    return replay_file(path);
}

int main(int argc, char **argv)
{
    int i, first = 1, rc = REPLAY_OK;

    if (argc > 1 && strcmp(argv[1], "-q") == 0) {
        quiet = 1;
        first = 2;
    }
    if (first >= argc || argv[first][0] == '-') {
        fprintf(stderr,
                "usage: %s [-q] PATH...\n"
                "Runs the fuzz target once on each file; folders are "
                "walked.\n",
                argv[0]);
        return REPLAY_USAGE;
    }
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    for (i = first; i < argc && rc == REPLAY_OK; i++)
        rc = replay_path(argv[i]);
    fprintf(stderr, "replay: %lu inputs ran without a finding\n", replayed);
    return rc;
}
