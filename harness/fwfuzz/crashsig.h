/*
 * Crash signatures: what a finding is (its class and access) and where
 * (the symbolised frames of project code), read from the report a replay
 * build prints, natively (ASan, UBSan, LeakSanitizer, libFuzzer, a failed
 * FWFUZZ_CHECK) or under emulation (==FWFUZZ-EMU== report).
 *
 * Emulated classes are mapped onto the sanitizer's names, so that one bug
 * found in both modes gets the same class (docs/triage.md has the table).
 */
#ifndef FWFUZZ_CRASHSIG_H
#define FWFUZZ_CRASHSIG_H

#include <stddef.h>

#define SIG_MAX_FRAMES 32
/* Project frames a signature names (as ClusterFuzz's crash state). */
#define SIG_STATE_FRAMES 3
#define SIG_FUNC_MAX     128
#define SIG_FILE_MAX     256
#define SIG_KEY_MAX      (64 + SIG_STATE_FRAMES * SIG_FUNC_MAX)

struct sig_frame {
    char func[SIG_FUNC_MAX]; /* "" when unknown */
    char file[SIG_FILE_MAX]; /* "" when unknown */
    int line;                /* 0 when unknown */
    int project;             /* counts for the location and signature */
};

struct crash_sig {
    char cls[40];      /* canonical class: heap-buffer-overflow, timeout... */
    char raw_cls[40];  /* as the report named it: input-overread, SEGV... */
    char access[8];    /* "READ", "WRITE", "EXEC" or "" */
    unsigned size;     /* bytes of the faulting access, 0 if unknown */
    char message[256]; /* FWFUZZ_CHECK's what, UBSan's runtime error */
    struct sig_frame frames[SIG_MAX_FRAMES];
    unsigned nframes;
    /* "CLASS[ ACCESS]|f1|f2|f3", a property "property:MESSAGE|f1|...":
     * equal keys, same bug in one mode */
    char key[SIG_KEY_MAX];
};

/*
 * Reads the output of a native replay (emu = 0) or an emulated replay
 * (emu = 1). Returns 1 when the output holds a finding's report (s filled),
 * 0 when it does not (s zeroed).
 */
int sig_parse(const char *output, int emu, struct crash_sig *s);

/* The first project frame, or NULL when the stack has none. */
const struct sig_frame *sig_top(const struct crash_sig *s);
/* Where to show the bug: sig_top, else the fuzz entry's frame (a failed
 * check in the fuzz target itself), else NULL. */
const struct sig_frame *sig_location(const struct crash_sig *s);

/*
 * Same bug? Within one mode, equal keys. Across modes (one native, one
 * emulated signature), the class, the access and the first project
 * function agree: inlining differs between the native build and the image,
 * so the frames below the first can differ for one bug.
 */
int sig_same_bug(const struct crash_sig *a, const struct crash_sig *b,
                 int same_mode);
/* The same, for keys as stored ("CLASS[ ACCESS]|f1|f2|f3"). */
int sig_key_same_bug(const char *a, const char *b, int same_mode);

/* Whether a frame (function, file) is project code: not a sanitizer,
 * libc, libFuzzer, fuzz entry or image runtime frame. */
int sig_is_project(const char *func, const char *file);

/* Severity and CWE of a class (docs/triage.md). */
struct sig_rating {
    const char *severity; /* critical, high, medium, low */
    int cwe;
};
void sig_rate(const char *cls, const char *access, struct sig_rating *r);

#endif
