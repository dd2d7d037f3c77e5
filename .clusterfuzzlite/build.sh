#!/bin/bash -eu
# ClusterFuzzLite / OSS-Fuzz build of every fwfuzz fuzz target into $OUT
# (docs/cluster.md): <t> (native libFuzzer), <t>_emu (the same target in
# the firmware image under emulation, with <t>_emu.elf and
# <t>_emu.board.json beside it), <t>[_emu].options, .dict and
# _seed_corpus.zip.
#
# Honours the cluster's CC, CFLAGS, LIB_FUZZING_ENGINE, OUT, SRC and WORK
# (and LDFLAGS when set). The tree is C only and the engine is libFuzzer,
# which clang's C driver links: CXX and CXXFLAGS are not used.
# CMAKE_BUILD_PARALLEL_LEVEL sets the build's jobs (default: nproc).

src="$SRC/fwfuzz"
build="$WORK/fwfuzz-build"
: "${CC:?CC is not set (the cluster sets it, e.g. clang)}"
: "${LIB_FUZZING_ENGINE:?LIB_FUZZING_ENGINE is not set (e.g. -fsanitize=fuzzer)}"
cflags="${CFLAGS:-}"
ldflags="${LDFLAGS:-}"

# Our build gets the cluster's flags explicitly; its sub-builds must not
# find them in the environment: the firmware image is built with
# arm-none-eabi-gcc, which knows neither -fsanitize=fuzzer-no-link nor
# the cluster's sanitizers.
clean_env=(env -u CFLAGS -u CXXFLAGS -u LDFLAGS)

"${clean_env[@]}" cmake -S "$src" -B "$build" \
    -DCMAKE_C_COMPILER="$CC" \
    -DCMAKE_C_FLAGS="$cflags" \
    -DCMAKE_EXE_LINKER_FLAGS="$ldflags" \
    -DCMAKE_BUILD_TYPE=None \
    -DFWFUZZ_OSSFUZZ=ON \
    -DFWFUZZ_LIB_FUZZING_ENGINE="$LIB_FUZZING_ENGINE" \
    -DFWFUZZ_WITH_AFL=OFF \
    -DFWFUZZ_CROSS_CHECKS=OFF
"${clean_env[@]}" cmake --build "$build" --target fwfuzz_ossfuzz \
    --parallel "${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}"

cmake -DMANIFEST="$build/fwfuzz-targets.json" -DOUT="$OUT" \
    -DSTAGE="$WORK/fwfuzz-seeds" -DSRC="$src" \
    -P "$src/cmake/OssFuzzOut.cmake"
