/* TEMP stub until the report branch lands */
#ifndef FWFUZZ_REPORT_H
#define FWFUZZ_REPORT_H
#include <stdio.h>
#include <cjson/cJSON.h>
int report_write_all(const char *dir);
void report_print_final(FILE *f, const cJSON *summary, const char *dir);
#endif
