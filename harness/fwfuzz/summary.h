/* The JSON summaries: one per job (<out>/summary.json of `fwfuzz fuzz`); the
 * campaign's is campaign_report.c's. docs/fwfuzz.md describes every field. */
#ifndef FWFUZZ_SUMMARY_H
#define FWFUZZ_SUMMARY_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "job.h"

#define SUMMARY_FORMAT 1

/* The summary of one job; caller frees with cJSON_Delete. */
cJSON *summary_job_json(const struct fuzz_job *job,
                        const struct fuzz_report *r);

/* Writes the JSON text (with a final newline) atomically. 0 or -1 (errno). */
int summary_write(const char *path, const cJSON *obj);
/* Prints the JSON text to stdout. */
void summary_print(const cJSON *obj);

#endif
