/* Reads afl-fuzz's fuzzer_stats, StatsD datagrams and output lines. */
#define _POSIX_C_SOURCE 200809L
#include "aflparse.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Stores value under key; returns 1 if the key is one we use. */
static int set_field(struct afl_stats *st, const char *key, const char *value)
{
    if (!isdigit((unsigned char)*value))
        return 0;
    if (strcmp(key, "execs_done") == 0)
        st->execs_done = strtoull(value, NULL, 10);
    else if (strcmp(key, "execs_per_sec") == 0)
        st->execs_per_sec = strtod(value, NULL);
    else if (strcmp(key, "corpus_count") == 0 ||
             strcmp(key, "paths_total") == 0) /* before AFL++ 4 */
        st->corpus_count = strtoul(value, NULL, 10);
    else if (strcmp(key, "saved_crashes") == 0 ||
             strcmp(key, "unique_crashes") == 0)
        st->saved_crashes = strtoul(value, NULL, 10);
    else if (strcmp(key, "saved_hangs") == 0 ||
             strcmp(key, "unique_hangs") == 0)
        st->saved_hangs = strtoul(value, NULL, 10);
    else if (strcmp(key, "edges_found") == 0)
        st->edges_found = strtoul(value, NULL, 10);
    else if (strcmp(key, "total_edges") == 0)
        st->total_edges = strtoul(value, NULL, 10);
    else if (strcmp(key, "bitmap_cvg") == 0)
        st->bitmap_cvg = strtod(value, NULL);
    else
        return 0;
    return 1;
}

/* Calls set_field for each line "KEY<sep>VALUE" of text. */
static int parse_lines(const char *text, struct afl_stats *st,
                       const char *prefix, char sep)
{
    size_t plen = strlen(prefix);
    int found = 0;

    while (*text != '\0') {
        const char *eol = strchr(text, '\n');
        size_t len = eol != NULL ? (size_t)(eol - text) : strlen(text);
        char line[256], key[64];
        char *s, *at;
        size_t klen;

        if (len < sizeof(line) && strncmp(text, prefix, plen) == 0) {
            memcpy(line, text + plen, len - plen);
            line[len - plen] = '\0';
            at = strchr(line, sep);
            if (at != NULL) {
                for (s = at; s > line && isspace((unsigned char)s[-1]); s--)
                    ;
                klen = (size_t)(s - line);
                if (klen > 0 && klen < sizeof(key)) {
                    memcpy(key, line, klen);
                    key[klen] = '\0';
                    for (s = at + 1; isspace((unsigned char)*s); s++)
                        ;
                    found += set_field(st, key, s);
                }
            }
        }
        if (eol == NULL)
            break;
        text = eol + 1;
    }
    return found;
}

int afl_parse_stats_file(const char *text, struct afl_stats *st)
{
    return parse_lines(text, st, "", ':');
}

int afl_parse_statsd(const char *text, struct afl_stats *st)
{
    /* "fuzzing.execs_done:123|g": the value ends at '|', which strtoul and
     * strtod stop at. */
    return parse_lines(text, st, "fuzzing.", ':');
}

/* Copies the text after marker (trimmed) into text. */
static void copy_after(const char *clean, const char *marker, char *text,
                       size_t textlen)
{
    const char *p = strstr(clean, marker) + strlen(marker);

    while (*p == ' ')
        p++;
    snprintf(text, textlen, "%s", p);
}

enum afl_log_kind afl_parse_log_line(const char *line, char *text,
                                     size_t textlen)
{
    char clean[1024];
    const char *q, *end;

    if (textlen > 0)
        text[0] = '\0';
    fw_strip_ansi(clean, sizeof(clean), line);
    if (strstr(clean, "PROGRAM ABORT :") != NULL) {
        copy_after(clean, "PROGRAM ABORT :", text, textlen);
        return AFL_LOG_ABORT;
    }
    if (strstr(clean, "SYSTEM ERROR :") != NULL) {
        copy_after(clean, "SYSTEM ERROR :", text, textlen);
        return AFL_LOG_ABORT;
    }
    if (strstr(clean, "OS message :") != NULL) {
        copy_after(clean, "OS message :", text, textlen);
        return AFL_LOG_OS_MESSAGE;
    }
    q = strstr(clean, "Test case '");
    if (q == NULL)
        return AFL_LOG_OTHER;
    q += strlen("Test case '");
    end = strstr(q, "' results in a ");
    if (end == NULL)
        return AFL_LOG_OTHER;
    snprintf(text, textlen, "%.*s", (int)(end - q), q);
    if (strncmp(end, "' results in a crash", 20) == 0)
        return AFL_LOG_SEED_CRASH;
    if (strncmp(end, "' results in a timeout", 22) == 0)
        return AFL_LOG_SEED_HANG;
    return AFL_LOG_OTHER;
}
