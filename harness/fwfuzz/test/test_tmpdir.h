/* cmocka fixture of the fwfuzz unit tests: a fresh temporary folder per
 * test, removed afterwards. *state is its path (a malloc'd string). */
#ifndef FWFUZZ_TEST_TMPDIR_H
#define FWFUZZ_TEST_TMPDIR_H

int test_tmpdir_setup(void **state);
int test_tmpdir_teardown(void **state);

#endif
