# The shared objects of the C library itself: every machine a cluster runs
# fuzzers on has them, matching its own loader, so they are never copied
# into $OUT/lib (OssFuzzOut.cmake) and may resolve outside it
# (ClusterFuzzLiteCheck.cmake). A regular expression on the file name.
set(FWFUZZ_SYSTEM_LIBS
  "^(ld-linux[^/]*|linux-vdso[^/]*|libc|libm|libdl|libpthread|librt|libresolv|libutil)[.]so")
