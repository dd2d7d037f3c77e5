/* File-system helpers: atomic writes, content-named copies that never
 * overwrite, folder listings. Functions returning int give 0 on success and
 * -1 with errno set on failure unless said otherwise. */
#ifndef FWFUZZ_FSUTIL_H
#define FWFUZZ_FSUTIL_H

#include <stddef.h>

#include "strvec.h"

/* Hex digits of a SHA-1 digest. Findings and corpus files are named by
 * their content's SHA-1, as libFuzzer names its artifacts. */
#define FS_SHA1_HEX_LEN 40

/* Largest file read whole (inputs, logs, manifests). */
#define FS_MAX_READ (64u * 1024u * 1024u)

/* "a/b" (a without trailing '/' duplicated). Caller frees. */
char *fs_join(const char *dir, const char *name);

/* mkdir -p. */
int fs_mkdirs(const char *path);

/* Writes data to path through a temporary file in the same folder and
 * rename(): readers see the old file or the whole new one. */
int fs_write_atomic(const char *path, const void *data, size_t len);

/* Reads a whole file (at most max bytes, else EFBIG) into a malloc'd,
 * NUL-terminated buffer. */
int fs_read_file(const char *path, size_t max, char **data, size_t *len);

/* Stores data as dir/<prefix><sha1> unless that file exists already. The
 * file appears atomically and an existing one is never replaced. Returns 1
 * when the file was created, 0 when it was there already, -1 on error. hex
 * receives the digest; *path_out (if not NULL) the malloc'd path. */
int fs_store_unique(const void *data, size_t len, const char *dir,
                    const char *prefix, char hex[FS_SHA1_HEX_LEN + 1],
                    char **path_out);
/* The same for the content of the file src. */
int fs_copy_unique(const char *src, const char *dir, const char *prefix,
                   char hex[FS_SHA1_HEX_LEN + 1], char **path_out);

/* Lower-case hex SHA-1 of data, NUL-terminated (nettle's SHA-1; a name,
 * not a security measure). */
void fs_sha1_hex(const void *data, size_t len, char hex[FS_SHA1_HEX_LEN + 1]);

/* SHA-1 of a file's content. */
int fs_sha1_file(const char *path, char hex[FS_SHA1_HEX_LEN + 1]);

/* Names (not paths) of the regular, non-hidden files of dir whose name
 * starts with prefix ("" for all), sorted, appended to names. A missing
 * folder gives an empty list and 0. */
int fs_list_files(const char *dir, const char *prefix, struct strvec *names);

/* The same for sub-folders. */
int fs_list_dirs(const char *dir, struct strvec *names);

/* Number of regular, non-hidden files in dir; 0 if dir does not exist. */
unsigned long fs_count_files(const char *dir);

/* Removes a folder tree (does not follow symbolic links). A missing path is
 * not an error. */
int fs_remove_tree(const char *path);

int fs_is_dir(const char *path);
/* 1 if path is a regular file we may execute; 0 for NULL. */
int fs_is_executable(const char *path);
/* Searches PATH for an executable; returns the malloc'd path or NULL. */
char *fs_which(const char *name);

#endif
