/* File helpers: atomic writes and content-named copies that never replace
 * an existing file, listings, tree removal. Runs in a fresh temporary
 * folder. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "test_tmpdir.h"

static char *slurp(const char *path)
{
    char *data;
    size_t len;

    if (fs_read_file(path, 1 << 20, &data, &len) != 0)
        return NULL;
    return data;
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;

    if (d == NULL)
        return -1;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

static void test_fsutil_write_atomic_replaces_and_leaves_no_temp(void **state)
{
    const char *dir = *state;
    char *path = fs_join(dir, "summary.json");
    char *text;

    assert_int_equal(fs_write_atomic(path, "old", 3), 0);
    assert_int_equal(fs_write_atomic(path, "new text", 8), 0);
    text = slurp(path);
    assert_non_null(text);
    assert_string_equal(text, "new text");
    free(text);
    /* temporaries are hidden files: count every entry */
    assert_int_equal(count_entries(dir), 1);
    free(path);
}

static void test_fsutil_write_atomic_fails_in_missing_folder(void **state)
{
    char *path = fs_join(*state, "no/such/folder/file");

    errno = 0;
    assert_int_equal(fs_write_atomic(path, "x", 1), -1);
    assert_int_equal(errno, ENOENT);
    free(path);
}

static void test_fsutil_store_unique_names_by_sha1(void **state)
{
    const char *dir = *state;
    char hex[FS_SHA1_HEX_LEN + 1];
    char *path = NULL;

    assert_int_equal(fs_store_unique("RBX!", 4, dir, "afl-crash-", hex, &path),
                     1);
    assert_string_equal(hex, "3671459656497f7e0f8edc87204ff075ffcd5de9");
    assert_non_null(strstr(path, "/afl-crash-3671459656497f7e0f8edc87204ff0"
                                 "75ffcd5de9"));
    free(path);
    path = NULL;
    assert_int_equal(fs_store_unique("RBX!", 4, dir, "afl-crash-", hex, &path),
                     0);
    assert_non_null(path);
    free(path);
    assert_int_equal(fs_count_files(dir), 1);
}

static void test_fsutil_store_unique_never_overwrites(void **state)
{
    const char *dir = *state;
    char hex[FS_SHA1_HEX_LEN + 1];
    char *path = fs_join(dir, "x-3671459656497f7e0f8edc87204ff075ffcd5de9");
    char *text;

    /* a file of that name with other content (say, an older finding) */
    assert_int_equal(fs_write_atomic(path, "precious", 8), 0);
    assert_int_equal(fs_store_unique("RBX!", 4, dir, "x-", hex, NULL), 0);
    text = slurp(path);
    assert_string_equal(text, "precious");
    free(text);
    free(path);
}

static void test_fsutil_copy_unique_copies_content(void **state)
{
    const char *dir = *state;
    char *src = fs_join(dir, "input");
    char *sub = fs_join(dir, "findings");
    char hex[FS_SHA1_HEX_LEN + 1];
    char *dst = NULL, *text;

    assert_int_equal(fs_write_atomic(src, "abc", 3), 0);
    assert_int_equal(fs_mkdirs(sub), 0);
    assert_int_equal(fs_copy_unique(src, sub, "", hex, &dst), 1);
    assert_string_equal(hex, "a9993e364706816aba3e25717850c26c9cd0d89d");
    text = slurp(dst);
    assert_string_equal(text, "abc");
    free(text);
    free(dst);
    free(src);
    free(sub);
}

static void test_fsutil_mkdirs_nested_and_existing(void **state)
{
    char *deep = fs_join(*state, "a/b/c/");

    assert_int_equal(fs_mkdirs(deep), 0);
    assert_true(fs_is_dir(deep));
    assert_int_equal(fs_mkdirs(deep), 0);
    free(deep);
}

static void test_fsutil_mkdirs_under_a_file_fails(void **state)
{
    char *file = fs_join(*state, "plain");
    char *below = fs_join(*state, "plain/sub");

    assert_int_equal(fs_write_atomic(file, "", 0), 0);
    errno = 0;
    assert_int_equal(fs_mkdirs(below), -1);
    assert_int_equal(errno, ENOTDIR);
    free(file);
    free(below);
}

static void test_fsutil_list_files_sorted_filtered(void **state)
{
    const char *dir = *state;
    const char *files[] = {"id:000002", "id:000001", ".hidden", "README.txt"};
    struct strvec names = {0};
    char *sub = fs_join(dir, "id:folder");
    size_t i;

    for (i = 0; i < 4; i++) {
        char *p = fs_join(dir, files[i]);
        assert_int_equal(fs_write_atomic(p, "x", 1), 0);
        free(p);
    }
    assert_int_equal(fs_mkdirs(sub), 0);
    assert_int_equal(fs_list_files(dir, "id:", &names), 0);
    assert_int_equal(names.n, 2);
    assert_string_equal(names.v[0], "id:000001");
    assert_string_equal(names.v[1], "id:000002");
    strvec_free(&names);
    assert_int_equal(fs_list_dirs(dir, &names), 0);
    assert_int_equal(names.n, 1);
    assert_string_equal(names.v[0], "id:folder");
    strvec_free(&names);
    assert_int_equal(fs_count_files(dir), 3);
    free(sub);
}

static void test_fsutil_missing_folder_lists_empty(void **state)
{
    struct strvec names = {0};
    char *missing = fs_join(*state, "missing");

    assert_int_equal(fs_list_files(missing, "", &names), 0);
    assert_int_equal(names.n, 0);
    assert_int_equal(fs_count_files(missing), 0);
    assert_int_equal(fs_remove_tree(missing), 0);
    free(missing);
}

static void test_fsutil_remove_tree_removes_everything(void **state)
{
    char *top = fs_join(*state, "tree");
    char *deep = fs_join(*state, "tree/x/y");
    char *file = fs_join(*state, "tree/x/y/f");
    char *link_path = fs_join(*state, "tree/link");
    char *outside = fs_join(*state, "keep");

    assert_int_equal(fs_mkdirs(deep), 0);
    assert_int_equal(fs_write_atomic(file, "x", 1), 0);
    assert_int_equal(fs_write_atomic(outside, "x", 1), 0);
    /* a link out of the tree is removed, not followed */
    assert_int_equal(symlink(outside, link_path), 0);
    assert_int_equal(fs_remove_tree(top), 0);
    assert_false(fs_is_dir(top));
    assert_int_equal(access(outside, F_OK), 0);
    free(top);
    free(deep);
    free(file);
    free(link_path);
    free(outside);
}

static void test_fsutil_read_file_limit(void **state)
{
    char *path = fs_join(*state, "big");
    char *data;
    size_t len;

    assert_int_equal(fs_write_atomic(path, "0123456789", 10), 0);
    errno = 0;
    assert_int_equal(fs_read_file(path, 4, &data, &len), -1);
    assert_int_equal(errno, EFBIG);
    assert_int_equal(fs_read_file(path, 10, &data, &len), 0);
    assert_int_equal(len, 10);
    free(data);
    free(path);
}

static void test_fsutil_which_finds_sh(void **state)
{
    char *sh = fs_which("sh");

    (void)state;
    assert_non_null(sh);
    assert_true(fs_is_executable(sh));
    free(sh);
    assert_null(fs_which("fwfuzz-no-such-program-anywhere"));
}

int main(void)
{
#define T(f)                                                                   \
    cmocka_unit_test_setup_teardown(f, test_tmpdir_setup, test_tmpdir_teardown)
    const struct CMUnitTest tests[] = {
        T(test_fsutil_write_atomic_replaces_and_leaves_no_temp),
        T(test_fsutil_write_atomic_fails_in_missing_folder),
        T(test_fsutil_store_unique_names_by_sha1),
        T(test_fsutil_store_unique_never_overwrites),
        T(test_fsutil_copy_unique_copies_content),
        T(test_fsutil_mkdirs_nested_and_existing),
        T(test_fsutil_mkdirs_under_a_file_fails),
        T(test_fsutil_list_files_sorted_filtered),
        T(test_fsutil_missing_folder_lists_empty),
        T(test_fsutil_remove_tree_removes_everything),
        T(test_fsutil_read_file_limit),
        T(test_fsutil_which_finds_sh),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
