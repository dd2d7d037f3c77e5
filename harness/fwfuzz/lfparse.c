/* Recognises libFuzzer and sanitizer output lines. */
#define _POSIX_C_SOURCE 200809L
#include "lfparse.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fwfuzz/protocol.h"
#include "util.h"

/* 1 if line starts with tag followed by a space. */
static int tagged(const char *line, const char *tag)
{
    size_t n = strlen(tag);

    return strncmp(line, tag, n) == 0 && line[n] == ' ';
}

/* 1 if s starts with the word w (then a space or the end). */
static int starts_with_word(const char *s, const char *w)
{
    size_t n = strlen(w);

    return strncmp(s, w, n) == 0 && (s[n] == ' ' || s[n] == '\0');
}

/* Reads the number after "key" in s (e.g. key "cov: "). 0 if absent. */
static int field(const char *s, const char *key, unsigned long long *out)
{
    const char *p = strstr(s, key);
    char *end;

    if (p == NULL)
        return 0;
    p += strlen(key);
    if (!isdigit((unsigned char)*p))
        return 0;
    *out = strtoull(p, &end, 10);
    return 1;
}

/* "14b", "12Kb", "3Mb" -> bytes */
static unsigned long long size_with_unit(const char *p)
{
    char *end;
    unsigned long long v = strtoull(p, &end, 10);

    if (*end == 'K')
        v *= 1024;
    else if (*end == 'M')
        v *= 1024 * 1024;
    return v;
}

static enum lf_kind parse_status(const char *line, struct lf_line *out)
{
    const char *p = line + 1;
    char *end;
    unsigned long long v;
    size_t n;

    if (!isdigit((unsigned char)*p))
        return LF_OTHER;
    out->execs = strtoull(p, &end, 10);
    if (*end != '\t')
        return LF_OTHER;
    p = end + 1;
    for (n = 0; isalpha((unsigned char)p[n]) && n < sizeof(out->event) - 1; n++)
        out->event[n] = p[n];
    out->event[n] = '\0';
    if (n == 0)
        return LF_OTHER;
    if (field(p, " cov: ", &v)) {
        out->has_cov = 1;
        out->cov = (unsigned long)v;
    }
    if (field(p, " ft: ", &v)) {
        out->has_cov = 1;
        out->ft = (unsigned long)v;
    }
    if (field(p, " corp: ", &v)) {
        const char *slash = strchr(strstr(p, " corp: "), '/');

        out->has_corp = 1;
        out->corp_units = (unsigned long)v;
        if (slash != NULL)
            out->corp_bytes = size_with_unit(slash + 1);
    }
    if (field(p, " exec/s: ", &v))
        out->exec_per_sec = (unsigned long)v;
    if (field(p, " rss: ", &v))
        out->rss_mb = (unsigned long)v;
    return out->kind = LF_STATUS;
}

/* "==1234==" or "==1234== " at the start; returns what follows or NULL. */
static const char *after_pid_tag(const char *line)
{
    const char *p = line + 2;

    if (strncmp(line, "==", 2) != 0 || !isdigit((unsigned char)*p))
        return NULL;
    while (isdigit((unsigned char)*p))
        p++;
    if (strncmp(p, "==", 2) != 0)
        return NULL;
    p += 2;
    while (*p == ' ')
        p++;
    return p;
}

/* "#N: cov: ..." of -fork=N (libFuzzer 14's FuzzerFork.cpp). */
static enum lf_kind parse_fork_status(const char *line, struct lf_line *out)
{
    const char *p = line + 1;
    char *end;
    unsigned long long v;

    if (!isdigit((unsigned char)*p))
        return LF_OTHER;
    out->execs = strtoull(p, &end, 10);
    if (strncmp(end, ": ", 2) != 0)
        return LF_OTHER;
    p = end + 1; /* from the space, as field() keys start with one */
    if (!field(p, " cov: ", &v))
        return LF_OTHER;
    out->has_cov = 1;
    out->cov = (unsigned long)v;
    if (field(p, " ft: ", &v))
        out->ft = (unsigned long)v;
    if (field(p, " corp: ", &v)) {
        out->has_corp = 1;
        out->corp_units = (unsigned long)v;
    }
    if (field(p, " exec/s ", &v))
        out->exec_per_sec = (unsigned long)v;
    if (field(p, " oom/timeout/crash: ", &v)) {
        const char *q = strstr(p, " oom/timeout/crash: ") + 20;

        out->fork_ooms = strtoul(q, &end, 10);
        if (*end == '/') {
            out->fork_timeouts = strtoul(end + 1, &end, 10);
            if (*end == '/')
                out->fork_crashes = strtoul(end + 1, &end, 10);
        }
    }
    if (field(p, " time: ", &v))
        out->fork_seconds = (unsigned long)v;
    if (field(p, " job: ", &v))
        out->fork_job = (unsigned long)v;
    return out->kind = LF_FORK;
}

enum lf_kind lf_parse_line(const char *line, struct lf_line *out)
{
    const char *p;

    memset(out, 0, sizeof(*out));
    out->kind = LF_OTHER;
    if (line[0] == '#') {
        if (parse_status(line, out) == LF_STATUS)
            return LF_STATUS;
        memset(out, 0, sizeof(*out));
        return parse_fork_status(line, out);
    }
    if (strncmp(line, "stat::", 6) == 0) {
        const char *colon = strchr(line + 6, ':');
        size_t n = colon != NULL ? (size_t)(colon - (line + 6)) : 0;

        if (n == 0 || n >= sizeof(out->stat_name))
            return LF_OTHER;
        for (p = colon + 1; *p == ' ' || *p == '\t'; p++)
            ;
        if (!isdigit((unsigned char)*p))
            return LF_OTHER;
        memcpy(out->stat_name, line + 6, n);
        out->stat_name[n] = '\0';
        out->stat_value = strtoull(p, NULL, 10);
        return out->kind = LF_STAT;
    }
    if (strncmp(line, "SUMMARY: ", 9) == 0) {
        out->text = line;
        return out->kind = LF_SUMMARY;
    }
    if (tagged(line, FWFUZZ_TAG_PROPERTY) ||
        (tagged(line, FWFUZZ_TAG_ORACLE) &&
         strncmp(line + strlen(FWFUZZ_TAG_ORACLE), " at ", 4) != 0)) {
        /* a security oracle's finding is a broken promise too */
        out->text = line;
        return out->kind = LF_PROPERTY;
    }
    if (tagged(line, FWFUZZ_TAG_EMU)) {
        out->text = line;
        return out->kind = LF_EMU;
    }
    if (strncmp(line, "INFO: exiting: ", 15) == 0 &&
        isdigit((unsigned char)line[15])) {
        out->stat_value = strtoull(line + 15, NULL, 10);
        return out->kind = LF_FORK_END;
    }
    if (strncmp(line, "INFO: Seed: ", 12) == 0) {
        out->stat_value = strtoull(line + 12, NULL, 10);
        return out->kind = LF_SEED;
    }
    p = strstr(line, "Test unit written to ");
    if (p != NULL) {
        out->text = p + strlen("Test unit written to ");
        return out->kind = LF_ARTIFACT;
    }
    p = after_pid_tag(line);
    if (p != NULL) {
        if (strncmp(p, "ERROR: ", 7) == 0) {
            out->text = p + 7;
            return out->kind = LF_ERROR;
        }
        if (strncmp(p, "libFuzzer: run interrupted", 26) == 0)
            return out->kind = LF_INTERRUPTED;
    }
    return LF_OTHER;
}

const char *lf_property_kind(const char *line)
{
    return tagged(line, FWFUZZ_TAG_ORACLE) ? "security" : "property";
}

const char *lf_emu_kind(const char *line)
{
    const char *cls = line;

    if (tagged(line, FWFUZZ_TAG_EMU))
        cls = line + strlen(FWFUZZ_TAG_EMU) + 1;
    if (starts_with_word(cls, FWFUZZ_EMU_CLASS_HANG))
        return "timeout";
    if (starts_with_word(cls, "property"))
        return "property";
    return "crash";
}

const char *lf_artifact_kind(const char *path)
{
    static const char *const kinds[] = {"crash", "timeout", "oom", "leak",
                                        "slow-unit"};
    const char *base = fw_basename(path);
    size_t blen = strlen(base), i, k;

    /* <anything><kind>-<40 hex digits> */
    if (blen < 41 || base[blen - 41] != '-')
        return NULL;
    for (i = blen - 40; i < blen; i++)
        if (!isxdigit((unsigned char)base[i]))
            return NULL;
    for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
        size_t klen = strlen(kinds[k]);
        size_t at;

        if (blen < 41 + klen)
            continue;
        at = blen - 41 - klen;
        if (strncmp(base + at, kinds[k], klen) == 0 &&
            (at == 0 || base[at - 1] == '-'))
            return kinds[k];
    }
    return NULL;
}

int lf_describe(const char *output, char *kind, size_t kindlen, char *desc,
                size_t desclen)
{
    enum { NONE, ERROR, SUMMARY, EMU, PROPERTY } best = NONE;
    const char *line = output, *next;
    char buf[1024];

    for (; line != NULL && *line != '\0' && best != PROPERTY; line = next) {
        size_t len;
        struct lf_line l;

        next = strchr(line, '\n');
        len = next != NULL ? (size_t)(next - line) : strlen(line);
        if (next != NULL)
            next++;
        if (len >= sizeof(buf))
            len = sizeof(buf) - 1; /* a report line is never this long */
        memcpy(buf, line, len);
        buf[len] = '\0';
        switch (lf_parse_line(buf, &l)) {
        case LF_PROPERTY:
            snprintf(kind, kindlen, "%s", lf_property_kind(l.text));
            snprintf(desc, desclen, "%s", l.text);
            best = PROPERTY;
            break;
        case LF_EMU:
            if (best < EMU) {
                snprintf(kind, kindlen, "%s", lf_emu_kind(l.text));
                snprintf(desc, desclen, "%s", l.text);
                best = EMU;
            }
            break;
        case LF_SUMMARY:
            if (best < SUMMARY) {
                snprintf(kind, kindlen, "crash");
                snprintf(desc, desclen, "%s", l.text);
                best = SUMMARY;
            }
            break;
        case LF_ERROR:
            if (best < ERROR) {
                snprintf(kind, kindlen, "crash");
                snprintf(desc, desclen, "%s", l.text);
                best = ERROR;
            }
            break;
        default:
            break;
        }
    }
    return best != NONE;
}
