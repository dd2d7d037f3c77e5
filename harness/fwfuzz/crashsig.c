/*
 * Crash signatures from replay reports (crashsig.h). Line by line, plain
 * string matching: the formats are ASan's, UBSan's, libFuzzer's and our
 * own (fwfuzz/protocol.h, emu_describe).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crashsig.h"
#include "fwfuzz/protocol.h"

#define LINE_MAX_LEN 2048

static void copy(char *dst, size_t n, const char *src, size_t len)
{
    if (len >= n)
        len = n - 1;
    memcpy(dst, src, len);
    dst[len] = '\0';
}

static int starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Frames that never locate a bug: runtimes, engines, entries, libc. */
static const char *const skip_prefix[] = {
    "__asan",      "__ubsan",  "__sanitizer", "__interceptor", "__interception",
    "__lsan",      "__msan",   "fuzzer::",    "LLVMFuzzer",    "fwfuzz_",
    "kasan_",      "__wrap_",  "__libc",      "__GI_",         "_start",
    "__stack_chk", "__assert", "__aeabi",     "_exit",         "std::",
};
/* Not "main": the drivers' mains are skipped by their folders below, and a
 * whole image's main is where its bugs are. */
static const char *const skip_exact[] = {"abort", "raise", "exit"};
/* Source folders of code that is not the project's. */
static const char *const skip_file[] = {
    "/harness/engine/", "/harness/include/", "/harness/oracle/",
    "/emu/firmware/",   "/compiler-rt/",     "/newlib/",
    "/libgcc/",         "/sysdeps/",
};

int sig_is_project(const char *func, const char *file)
{
    size_t i;

    if (func == NULL || func[0] == '\0' || file == NULL || file[0] != '/' ||
        starts(file, "/usr/"))
        return 0;
    for (i = 0; i < sizeof(skip_prefix) / sizeof(skip_prefix[0]); i++)
        if (starts(func, skip_prefix[i]))
            return 0;
    for (i = 0; i < sizeof(skip_exact) / sizeof(skip_exact[0]); i++)
        if (strcmp(func, skip_exact[i]) == 0)
            return 0;
    for (i = 0; i < sizeof(skip_file) / sizeof(skip_file[0]); i++)
        if (strstr(file, skip_file[i]) != NULL)
            return 0;
    return 1;
}

/*
 * "FUNC FILE:LINE[:COL]", "FUNC (module+0x12) (BuildId: ..)", "FUNC+0x12",
 * "0x08000142 FILE:LINE", "0x08000142": the part after " in " of a frame
 * line (or of an emulated report's "CLASS at ..." line).
 */
static void parse_where(const char *w, struct sig_frame *f)
{
    const char *mod = strstr(w, " (");
    const char *sp, *colon;
    char loc[SIG_FILE_MAX + 32];

    memset(f, 0, sizeof(*f));
    if (mod != NULL) { /* no source: a module and offset */
        copy(f->func, sizeof(f->func), w, (size_t)(mod - w));
        return;
    }
    sp = strrchr(w, ' ');
    if (sp == NULL) {
        const char *plus = strstr(w, "+0x");

        if (!starts(w, "0x"))
            copy(f->func, sizeof(f->func), w,
                 plus != NULL ? (size_t)(plus - w) : strlen(w));
        return;
    }
    if (!starts(w, "0x"))
        copy(f->func, sizeof(f->func), w, (size_t)(sp - w));
    copy(loc, sizeof(loc), sp + 1, strlen(sp + 1));
    /* FILE:LINE or FILE:LINE:COL */
    colon = strrchr(loc, ':');
    if (colon != NULL && strchr(loc, ':') != colon) {
        char *c2 = strrchr(loc, ':');

        *c2 = '\0';
        colon = strrchr(loc, ':');
    }
    if (colon == NULL) {
        copy(f->file, sizeof(f->file), loc, strlen(loc));
        return;
    }
    copy(f->file, sizeof(f->file), loc, (size_t)(colon - loc));
    f->line = atoi(colon + 1);
}

/* "    #3 0x55c7fcaaffa4 in sensor_rename /src/sensor.c:58:5"; returns the
 * frame number, or -1 if the line is not a frame. */
static int parse_frame_line(const char *line, struct sig_frame *f)
{
    const char *p = line;
    int n;

    while (*p == ' ' || *p == '\t')
        p++;
    if (*p != '#' || p[1] < '0' || p[1] > '9')
        return -1;
    n = atoi(p + 1);
    p = strchr(p, ' ');
    if (p == NULL || !starts(p + 1, "0x"))
        return -1;
    p = strchr(p + 1, ' ');
    if (p == NULL) {
        memset(f, 0, sizeof(*f));
        return n;
    }
    p++;
    if (starts(p, "in "))
        parse_where(p + 3, f);
    else
        parse_where(p, f); /* "(module+0x12)" */
    f->project = sig_is_project(f->func, f->file);
    return n;
}

/* Parser state across lines. */
struct reader {
    struct crash_sig *s;
    int emu;
    int have;         /* a finding's report was seen */
    int prio;         /* of what set s->cls: higher wins */
    int in_stack;     /* reading the first stack's frames */
    int stack_done;   /* the first stack is read: later ones are ignored */
    int zero_page;    /* ASan: "Hint: address points to the zero page" */
    int pc_zero_page; /* ASan: "Hint: pc points to the zero page" */
    int segv_exec;    /* ASan SEGV: pc equals the address */
    unsigned long segv_addr;
};

enum { PRIO_TIMEOUT = 1, PRIO_UBSAN, PRIO_ERROR, PRIO_PROPERTY };

static void set_class(struct reader *r, int prio, const char *cls,
                      const char *raw)
{
    if (prio <= r->prio || cls[0] == '\0')
        return;
    r->prio = prio;
    r->have = 1;
    snprintf(r->s->cls, sizeof(r->s->cls), "%s", cls);
    snprintf(r->s->raw_cls, sizeof(r->s->raw_cls), "%s", raw);
}

static const struct {
    const char *text; /* in UBSan's "runtime error: ..." */
    const char *cls;
} ubsan_classes[] = {
    {"signed integer overflow", "signed-integer-overflow"},
    {"unsigned integer overflow", "unsigned-integer-overflow"},
    {"shift exponent", "invalid-shift"},
    {"left shift", "invalid-shift"},
    {"division by zero", "divide-by-zero"},
    {"out of bounds for type", "index-out-of-bounds"},
    {"misaligned address", "misaligned-address"},
    {"null pointer", "null-deref"},
    {"pointer overflow", "pointer-overflow"},
    {"applying non-zero offset", "pointer-overflow"},
    {"is not a valid value for type", "invalid-value"},
    {"unreachable program point", "unreachable"},
    {"implicit conversion", "implicit-conversion"},
    {"outside the range of representable values", "float-cast-overflow"},
};

static void ubsan_line(struct reader *r, const char *err)
{
    const char *msg = err + strlen("runtime error: ");
    const char *cls = "undefined-behavior";
    size_t i;

    for (i = 0; i < sizeof(ubsan_classes) / sizeof(ubsan_classes[0]); i++)
        if (strstr(msg, ubsan_classes[i].text) != NULL) {
            cls = ubsan_classes[i].cls;
            break;
        }
    if (PRIO_UBSAN > r->prio)
        snprintf(r->s->message, sizeof(r->s->message), "%s", msg);
    set_class(r, PRIO_UBSAN, cls, "ubsan");
}

/* "AddressSanitizer: heap-buffer-overflow on address ..." and the other
 * ERROR lines (text after "ERROR: "). */
static void error_line(struct reader *r, const char *e)
{
    static const struct {
        const char *text, *cls;
    } map[] = {
        {"AddressSanitizer: heap-use-after-free", "use-after-free"},
        {"AddressSanitizer: dynamic-stack-buffer-overflow",
         "stack-buffer-overflow"},
        {"AddressSanitizer: stack-overflow", "stack-overflow"},
        {"AddressSanitizer: attempting double-free", "double-free"},
        {"AddressSanitizer: attempting free", "bad-free"},
        {"AddressSanitizer: ABRT", "abort"},
        {"AddressSanitizer: FPE", "divide-by-zero"},
        {"AddressSanitizer: requested allocation size", "oom"},
        {"AddressSanitizer: allocation-size-too-big", "oom"},
        {"AddressSanitizer: out of memory", "oom"},
        {"LeakSanitizer: detected memory leaks", "leak"},
        {"libFuzzer: timeout", "timeout"},
        {"libFuzzer: out-of-memory", "oom"},
        {"libFuzzer: fuzz target exited", "exit"},
        {"libFuzzer: deadly signal", "crash"},
    };
    const char *san = strstr(e, "Sanitizer: ");
    char word[40];
    size_t i, n;

    for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (starts(e, map[i].text)) {
            set_class(r, PRIO_ERROR, map[i].cls, map[i].cls);
            return;
        }
    if (starts(e, "AddressSanitizer: SEGV") ||
        starts(e, "AddressSanitizer: BUS")) {
        const char *a = strstr(e, "address 0x");
        const char *pc = strstr(e, "(pc 0x");

        if (a != NULL)
            r->segv_addr = strtoul(a + 8, NULL, 16);
        if (a != NULL && pc != NULL)
            r->segv_exec = strtoul(pc + 4, NULL, 16) == r->segv_addr;
        set_class(r, PRIO_ERROR, "segv", "SEGV");
        return;
    }
    if (san == NULL && !starts(e, "libFuzzer: "))
        return;
    /* "AddressSanitizer: global-buffer-overflow on address": the word */
    e = san != NULL ? san + strlen("Sanitizer: ") : e + strlen("libFuzzer: ");
    n = strcspn(e, " ");
    copy(word, sizeof(word), e, n);
    set_class(r, PRIO_ERROR, word, word);
}

/* "READ of size 4 at ...", anywhere in the text (KASan's cause line has
 * it after "KASan: "). The first one counts. */
static void access_line(struct reader *r, const char *line)
{
    const char *p;

    if (r->s->access[0] != '\0')
        return;
    if ((p = strstr(line, "READ of size ")) != NULL) {
        snprintf(r->s->access, sizeof(r->s->access), "READ");
        r->s->size = (unsigned)strtoul(p + 13, NULL, 10);
    } else if ((p = strstr(line, "WRITE of size ")) != NULL) {
        snprintf(r->s->access, sizeof(r->s->access), "WRITE");
        r->s->size = (unsigned)strtoul(p + 14, NULL, 10);
    } else if (strstr(line, "caused by a READ memory access") != NULL) {
        snprintf(r->s->access, sizeof(r->s->access), "READ");
    } else if (strstr(line, "caused by a WRITE memory access") != NULL) {
        snprintf(r->s->access, sizeof(r->s->access), "WRITE");
    }
}

static void stack_line(struct reader *r, const char *line)
{
    struct sig_frame f;
    int n;

    if (r->stack_done)
        return;
    n = parse_frame_line(line, &f);
    if (n < 0) {
        if (r->in_stack)
            r->stack_done = 1;
        return;
    }
    if (!r->in_stack && n != 0)
        return;
    r->in_stack = 1;
    if (r->s->nframes < SIG_MAX_FRAMES)
        r->s->frames[r->s->nframes++] = f;
}

/* "==FWFUZZ-EMU== CLASS at WHERE": the emulated class, mapped onto the
 * sanitizer's; the frame of WHERE in case the report has no call stack. */
static void emu_line(struct reader *r, const char *line)
{
    static const struct {
        const char *emu, *cls, *access;
    } map[] = {
        {"input-overread", "heap-buffer-overflow", "READ"},
        {FWFUZZ_EMU_CLASS_HANG, "timeout", ""},
        {"stack-protector", "stack-buffer-overflow", "WRITE"},
        {"bad-free", "double-free", ""},
        {"unmapped-read", "segv", "READ"},
        {"unmapped-write", "segv", "WRITE"},
        {"write-flash", "segv", "WRITE"},
        {"fetch-outside", "exec-outside", "EXEC"},
    };
    const char *p = line + strlen(FWFUZZ_TAG_EMU) + 1;
    const char *at = strstr(p, " at ");
    char raw[40];
    size_t i;

    copy(raw, sizeof(raw), p, at != NULL ? (size_t)(at - p) : strlen(p));
    for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (strcmp(raw, map[i].emu) == 0) {
            set_class(r, PRIO_ERROR, map[i].cls, raw);
            snprintf(r->s->access, sizeof(r->s->access), "%s", map[i].access);
            break;
        }
    if (i == sizeof(map) / sizeof(map[0]))
        set_class(r, PRIO_ERROR, raw[0] != '\0' ? raw : "crash", raw);
    if (at != NULL && r->s->nframes == 0) {
        parse_where(at + 4, &r->s->frames[0]);
        r->s->frames[0].project =
            sig_is_project(r->s->frames[0].func, r->s->frames[0].file);
        r->s->nframes = 1;
        r->in_stack = 0; /* the call stack section replaces it */
    }
}

/* "==FWFUZZ== finding CLASS: WHAT" (fwfuzz/oracle.h): the class is the
 * oracle's, in both modes. "==FWFUZZ== finding at FILE:LINE" is not read:
 * the stack says where. */
static void oracle_line(struct reader *r, const char *p)
{
    const char *colon = strstr(p, ": ");
    size_t n;
    char cls[40];

    while (*p == ' ')
        p++;
    if (colon == NULL || starts(p, "at "))
        return;
    n = (size_t)(colon - p);
    copy(cls, sizeof(cls), p, n);
    snprintf(r->s->message, sizeof(r->s->message), "%s", colon + 2);
    set_class(r, PRIO_PROPERTY, cls, cls);
}

static void read_line(struct reader *r, const char *line)
{
    const char *p;

    if (starts(line, FWFUZZ_TAG_ORACLE)) {
        oracle_line(r, line + strlen(FWFUZZ_TAG_ORACLE));
        return;
    }

    if (starts(line, FWFUZZ_TAG_PROPERTY)) {
        p = line + strlen(FWFUZZ_TAG_PROPERTY);
        while (*p == ' ')
            p++;
        snprintf(r->s->message, sizeof(r->s->message), "%s", p);
        set_class(r, PRIO_PROPERTY, "property", "property");
        return;
    }
    if (r->emu && starts(line, FWFUZZ_TAG_EMU " ")) {
        emu_line(r, line);
        return;
    }
    if (r->emu && strcmp(line, "call stack:") == 0) {
        r->s->nframes = 0; /* the first line's frame is in it */
        r->in_stack = 0;
        return;
    }
    if (starts(line, FWFUZZ_TAG_TIMEOUT)) {
        set_class(r, PRIO_TIMEOUT, "timeout", "timeout");
        return;
    }
    if ((p = strstr(line, "runtime error: ")) != NULL) {
        ubsan_line(r, p);
        return;
    }
    if ((p = strstr(line, "ERROR: ")) != NULL && starts(line, "==")) {
        error_line(r, p + strlen("ERROR: "));
        return;
    }
    if (strstr(line, "address points to the zero page") != NULL)
        r->zero_page = 1;
    if (strstr(line, "pc points to the zero page") != NULL)
        r->pc_zero_page = 1;
    if (r->emu && strstr(line, "(a NULL function pointer?)") != NULL)
        snprintf(r->s->access, sizeof(r->s->access), "EXEC");
    if (r->have)
        access_line(r, line);
    if (r->have || r->emu)
        stack_line(r, line);
}

/* A native SEGV: a NULL dereference, a jump to a bad address, or wild. */
static void finish_segv(struct reader *r)
{
    struct crash_sig *s = r->s;

    if (strcmp(s->raw_cls, "SEGV") != 0)
        return;
    if (r->pc_zero_page || (r->segv_exec && r->segv_addr < 0x1000)) {
        snprintf(s->cls, sizeof(s->cls), "null-deref");
        snprintf(s->access, sizeof(s->access), "EXEC");
    } else if (r->zero_page || r->segv_addr < 0x1000) {
        snprintf(s->cls, sizeof(s->cls), "null-deref");
    } else if (r->segv_exec) {
        snprintf(s->cls, sizeof(s->cls), "exec-outside");
        snprintf(s->access, sizeof(s->access), "EXEC");
    }
}

static void make_key(struct crash_sig *s)
{
    size_t at;
    unsigned i, k = 0;

    at = (size_t)snprintf(s->key, sizeof(s->key), "%s", s->cls);
    /* a property is told apart by its message: the checks of one entry
     * fail in the same frames (spaces and bars would split the key) */
    if (strcmp(s->cls, "property") == 0 && s->message[0] != '\0') {
        const char *m;

        at += (size_t)snprintf(s->key + at, sizeof(s->key) - at, ":");
        for (m = s->message; *m != '\0' && at + 1 < sizeof(s->key); m++)
            s->key[at++] = *m == ' ' ? '_' : *m == '|' ? '/' : *m;
        s->key[at] = '\0';
    }
    if (s->access[0] != '\0' && at < sizeof(s->key))
        at += (size_t)snprintf(s->key + at, sizeof(s->key) - at, " %s",
                               s->access);
    for (i = 0; i < s->nframes && k < SIG_STATE_FRAMES; i++) {
        if (!s->frames[i].project)
            continue;
        if (at < sizeof(s->key))
            at += (size_t)snprintf(s->key + at, sizeof(s->key) - at, "|%s",
                                   s->frames[i].func);
        k++;
    }
}

int sig_parse(const char *output, int emu, struct crash_sig *s)
{
    struct reader r;
    const char *line = output, *next;
    char buf[LINE_MAX_LEN];

    memset(s, 0, sizeof(*s));
    memset(&r, 0, sizeof(r));
    r.s = s;
    r.emu = emu;
    for (; line != NULL && *line != '\0'; line = next) {
        size_t len;

        next = strchr(line, '\n');
        len = next != NULL ? (size_t)(next - line) : strlen(line);
        if (next != NULL)
            next++;
        copy(buf, sizeof(buf), line, len);
        read_line(&r, buf);
    }
    if (!r.have) {
        memset(s, 0, sizeof(*s));
        return 0;
    }
    finish_segv(&r);
    /* the FWFUZZ_CHECK's abort is the property, not a memory access */
    if (strcmp(s->cls, "property") == 0 || strcmp(s->cls, "timeout") == 0 ||
        strcmp(s->cls, "leak") == 0 || strcmp(s->cls, "oom") == 0) {
        s->access[0] = '\0';
        s->size = 0;
    }
    make_key(s);
    return 1;
}

const struct sig_frame *sig_top(const struct crash_sig *s)
{
    unsigned i;

    for (i = 0; i < s->nframes; i++)
        if (s->frames[i].project)
            return &s->frames[i];
    return NULL;
}

const struct sig_frame *sig_location(const struct crash_sig *s)
{
    const struct sig_frame *top = sig_top(s);
    unsigned i;

    if (top != NULL)
        return top;
    /* no project frame: the bug is in the fuzz target itself */
    for (i = 0; i < s->nframes; i++)
        if (strncmp(s->frames[i].func, "LLVMFuzzerTestOneInput", 22) == 0 ||
            strncmp(s->frames[i].func, "fwfuzz_target_one_input", 23) == 0 ||
            strncmp(s->frames[i].func, "fwfuzz_entry_", 13) == 0)
            return s->frames[i].file[0] != '\0' ? &s->frames[i] : NULL;
    return NULL;
}

/* A key's class, access ("" if none) and first function ("" if none). */
struct key_parts {
    char cls[40], access[8], func[SIG_FUNC_MAX];
};

static void split_key(const char *key, struct key_parts *k)
{
    size_t head = strcspn(key, "|");
    const char *sp = memchr(key, ' ', head);
    const char *f = key[head] == '|' ? key + head + 1 : key + head;

    memset(k, 0, sizeof(*k));
    copy(k->cls, sizeof(k->cls), key, sp != NULL ? (size_t)(sp - key) : head);
    if (sp != NULL)
        copy(k->access, sizeof(k->access), sp + 1,
             (size_t)(key + head - sp - 1));
    copy(k->func, sizeof(k->func), f, strcspn(f, "|"));
}

/* UBSan's index-out-of-bounds is the buffer overflow ASan or KASan would
 * have reported had UBSan not stopped the run first. */
static int same_class(const char *a, const char *b)
{
    const char *tail = "-buffer-overflow";
    size_t n = strlen(tail);

    if (strcmp(a, b) == 0)
        return 1;
    if (strcmp(b, "index-out-of-bounds") == 0) {
        const char *t = a;

        a = b;
        b = t;
    }
    return strcmp(a, "index-out-of-bounds") == 0 && strlen(b) > n &&
           strcmp(b + strlen(b) - n, tail) == 0;
}

int sig_key_same_bug(const char *a, const char *b, int same_mode)
{
    struct key_parts ka, kb;

    if (same_mode)
        return strcmp(a, b) == 0;
    split_key(a, &ka);
    split_key(b, &kb);
    /* an access one side cannot see (UBSan's null pointer) matches any */
    return same_class(ka.cls, kb.cls) && strcmp(ka.func, kb.func) == 0 &&
           (ka.access[0] == '\0' || kb.access[0] == '\0' ||
            strcmp(ka.access, kb.access) == 0);
}

int sig_same_bug(const struct crash_sig *a, const struct crash_sig *b,
                 int same_mode)
{
    return sig_key_same_bug(a->key, b->key, same_mode);
}

/* Classes and their severity and CWE; docs/triage.md has this table. The
 * access splits the memory errors: a write is worse than a read. */
static const struct {
    const char *cls;
    const char *access; /* NULL: any */
    const char *severity;
    int cwe;
} ratings[] = {
    /* a broken promise of a fuzz target (FWFUZZ_CHECK): what is promised
     * varies, so no one weakness; the security ones have classes below */
    {"property", NULL, "high", 754},
    /* the security oracles (fwfuzz/oracle.h, docs/oracles.md) */
    {"tampered-image-accepted", NULL, "critical", 347},
    {"glitch-bypass", NULL, "critical", 1332},
    {"secret-in-output", NULL, "high", 532},
    {"secret-in-memory", NULL, "medium", 226},
    {"secret-timing", NULL, "medium", 208},
    {"default-credentials", NULL, "high", 1392},
    {"unsalted-credentials", NULL, "medium", 759},
    {"lockout-power-cut", NULL, "high", 307},
    {"double-fetch", NULL, "high", 367},
    {"heap-buffer-overflow", "WRITE", "high", 122},
    {"heap-buffer-overflow", NULL, "medium", 125},
    {"stack-buffer-overflow", "WRITE", "high", 121},
    {"stack-buffer-overflow", NULL, "medium", 125},
    {"global-buffer-overflow", "WRITE", "high", 787},
    {"global-buffer-overflow", NULL, "medium", 125},
    {"stack-use-after-return", NULL, "high", 562},
    {"stack-use-after-scope", NULL, "high", 416},
    {"use-after-free", NULL, "high", 416},
    {"double-free", NULL, "high", 415},
    {"bad-free", NULL, "high", 763},
    {"exec-outside", NULL, "high", 822},
    {"stack-overflow", NULL, "high", 674},
    {"segv", "WRITE", "high", 787},
    {"segv", NULL, "medium", 125},
    {"null-deref", NULL, "low", 476},
    {"signed-integer-overflow", NULL, "medium", 190},
    {"unsigned-integer-overflow", NULL, "medium", 190},
    {"pointer-overflow", NULL, "medium", 119},
    {"index-out-of-bounds", NULL, "medium", 129},
    {"invalid-shift", NULL, "low", 1335},
    {"divide-by-zero", NULL, "low", 369},
    {"misaligned-address", NULL, "low", 704},
    {"invalid-value", NULL, "low", 758},
    {"unreachable", NULL, "low", 758},
    {"implicit-conversion", NULL, "low", 681},
    {"float-cast-overflow", NULL, "low", 681},
    {"abort", NULL, "low", 617},
    {"timeout", NULL, "low", 835},
    {"oom", NULL, "low", 400},
    {"leak", NULL, "low", 401},
    {"invalid-insn", NULL, "medium", 758},
    {"bkpt", NULL, "low", 617},
    {"hardfault", NULL, "medium", 758},
};

void sig_rate(const char *cls, const char *access, struct sig_rating *r)
{
    size_t i;

    for (i = 0; i < sizeof(ratings) / sizeof(ratings[0]); i++) {
        if (strcmp(ratings[i].cls, cls) != 0)
            continue;
        if (ratings[i].access != NULL &&
            (access == NULL || strcmp(ratings[i].access, access) != 0))
            continue;
        r->severity = ratings[i].severity;
        r->cwe = ratings[i].cwe;
        return;
    }
    /* a crash we cannot name: treat it as a memory error of unknown kind */
    r->severity = "medium";
    r->cwe = 119;
}
