/* Internal: building and emitting the component's own log lines. */
#ifndef CRED_LOGLINE_H
#define CRED_LOGLINE_H

#include <stddef.h>
#include <stdint.h>

#include "cred/log.h"

/* Longest user name written to a log line; longer ones end in "...". */
#define CRED_LOGLINE_NAME_MAX 32

/* A line under construction; text that does not fit is dropped. */
struct cred_logline {
    char buf[CRED_LOG_LINE_MAX];
    size_t len;
};

void cred_logline_init(struct cred_logline *l);
/* Appends a NUL-terminated constant text (printable ASCII only). */
void cred_logline_text(struct cred_logline *l, const char *text);
void cred_logline_u32(struct cred_logline *l, uint32_t v);
/* Appends a name: printable ASCII except '\' as is, other bytes as \xNN. */
void cred_logline_name(struct cred_logline *l, const uint8_t *name, size_t len);
/* Hands the line to the sink, if there is one. */
void cred_logline_emit(struct cred_logline *l, const struct cred_log *log,
                       enum cred_log_level level);

#endif
