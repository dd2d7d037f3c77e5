/* The findings of one fuzzing job. */
#define _POSIX_C_SOURCE 200809L
#include "findings.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

int findings_add(struct findings *f, const char *kind, const char *path,
                 const char *engine, const char *description, const char *sha1)
{
    struct finding *n;

    if (findings_by_sha1(f, sha1) != NULL)
        return 0;
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 8;
        f->v = fw_xrealloc(f->v, f->cap * sizeof(*f->v));
    }
    n = &f->v[f->n++];
    n->kind = fw_xstrdup(kind);
    n->path = fw_xstrdup(path);
    n->engine = fw_xstrdup(engine);
    n->description = fw_xstrdup(description != NULL ? description : "");
    memcpy(n->sha1, sha1, FS_SHA1_HEX_LEN);
    n->sha1[FS_SHA1_HEX_LEN] = '\0';
    return 1;
}

struct finding *findings_by_sha1(struct findings *f, const char *sha1)
{
    size_t i;

    for (i = 0; i < f->n; i++)
        if (strncmp(f->v[i].sha1, sha1, FS_SHA1_HEX_LEN) == 0)
            return &f->v[i];
    return NULL;
}

struct finding *findings_by_path(struct findings *f, const char *path)
{
    size_t i;

    for (i = 0; i < f->n; i++)
        if (strcmp(f->v[i].path, path) == 0)
            return &f->v[i];
    return NULL;
}

void findings_free(struct findings *f)
{
    size_t i;

    for (i = 0; i < f->n; i++) {
        free(f->v[i].kind);
        free(f->v[i].path);
        free(f->v[i].engine);
        free(f->v[i].description);
    }
    free(f->v);
    memset(f, 0, sizeof(*f));
}
