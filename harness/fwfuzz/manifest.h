/* The build's list of fuzz targets (<build>/fwfuzz-targets.json, written by
 * cmake/FwfuzzManifest.cmake): loading and validation. */
#ifndef FWFUZZ_MANIFEST_H
#define FWFUZZ_MANIFEST_H

#include <stddef.h>

#define MANIFEST_VERSION 1

/* The emulated builds of a target: drivers that run the firmware image's
 * entry function under the emulator. afl is NULL when not built. */
struct manifest_emu {
    char *libfuzzer;
    char *afl;
    char *replay;      /* also the emulated benchmark (--bench) */
    char *image;       /* firmware image the drivers load by default (KASan) */
    char *image_plain; /* the same without KASan, or NULL (bench only) */
    char *image_plain_o2; /* image_plain at -O2, or NULL (bench only) */
    char *board;          /* board file */
    char *entry;          /* entry symbol, fwfuzz_entry_<target>, or "@reset" */
    char *load_addr;      /* a raw image's load address, or NULL */
    /* raw binaries loaded beside the image, "file@addr,file@addr", or NULL */
    char *extra_images;
};

/* The native coverage build of a target (`fwfuzz cov`): the replay main
 * built with clang's coverage instrumentation, and the LLVM tools of the
 * compiler that built it. */
struct manifest_cov {
    char *binary;
    char *profdata; /* llvm-profdata */
    char *llvm_cov; /* llvm-cov */
};

/* Every string is owned by the manifest. A whole firmware image ("kind":
 * "image", fwfuzz_add_image_target) has only emulated builds: its
 * libfuzzer, replay, afl, bench, bench_asan, source and cov are NULL and
 * its emu is not. afl, dict and options are NULL
 * when the manifest has null (engine not built, no such file); bench,
 * bench_asan, emu, component_dir and cov also when the manifest (of an
 * older build) lacks them, emu when the build has no emulated builds, cov
 * when it has no coverage builds. */
struct manifest_target {
    char *name;
    char *component;
    char *source;
    char *libfuzzer;
    char *replay;
    char *afl;
    char *corpus; /* holds seed/ and regress/ */
    char *dict;
    char *options;
    char *bench;      /* corpus-loop benchmark, plain -O2 */
    char *bench_asan; /* the same with ASan+UBSan */
    struct manifest_emu *emu;
    char *component_dir;      /* folder of the component's sources, or NULL
                                 (older manifests) */
    struct manifest_cov *cov; /* NULL: not built, or an older manifest */
    int whole_image; /* "kind": "image" (else "function", the default) */
};

struct manifest {
    char *path;
    char *source_dir;
    char *build_dir;
    struct manifest_target *targets;
    size_t n_targets;
};

/* Path used when none is given: $FWFUZZ_MANIFEST, else the build's own
 * manifest (compiled in). */
const char *manifest_default_path(void);

/* Parses manifest text. On failure returns -1, leaves m empty and writes a
 * one-line reason naming path (used only for messages) into err. */
int manifest_parse(const char *text, const char *path, struct manifest *m,
                   char *err, size_t errlen);
/* Reads and parses the file; a missing or unreadable file is an error too. */
int manifest_load(const char *path, struct manifest *m, char *err,
                  size_t errlen);
/* 1 when t has native builds (every target but a whole image). */
int manifest_has_native(const struct manifest_target *t);
/* NULL if there is no such target. */
const struct manifest_target *manifest_find(const struct manifest *m,
                                            const char *name);
/* "a, b, c" (malloc'd) for messages; "(none)" for an empty manifest. */
char *manifest_names(const struct manifest *m);
void manifest_free(struct manifest *m);

#endif
