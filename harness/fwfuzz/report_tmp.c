#include "report.h"
int report_write_all(const char *dir) { (void)dir; return 0; }
void report_print_final(FILE *f, const cJSON *summary, const char *dir) { (void)summary; fprintf(f, "report in %s\n", dir); }
