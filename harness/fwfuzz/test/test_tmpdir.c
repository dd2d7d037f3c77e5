/* The temporary folder fixture of the fwfuzz unit tests. */
#define _POSIX_C_SOURCE 200809L
#include "test_tmpdir.h"

#include <stdlib.h>
#include <string.h>

#include "fsutil.h"

int test_tmpdir_setup(void **state)
{
    char tmpl[] = "/tmp/test_fwfuzz.XXXXXX";
    char *dir = mkdtemp(tmpl);

    if (dir == NULL)
        return -1;
    *state = strdup(dir);
    return *state == NULL ? -1 : 0;
}

int test_tmpdir_teardown(void **state)
{
    fs_remove_tree(*state);
    free(*state);
    return 0;
}
