#!/bin/sh
# Stands in for a fuzz target's engine builds in fwfuzz's end-to-end tests.
# It prints what libFuzzer 14 prints and acts according to the name it is
# installed under: fake_crash_libfuzzer, fake_timeout_libfuzzer,
# fake_clean_libfuzzer, fake_broken_libfuzzer, fake_replay (exits 7).
prefix=""
corpus=""
for a in "$@"; do
    case "$a" in
    -artifact_prefix=*) prefix="${a#-artifact_prefix=}" ;;
    -*) ;;
    *) [ -z "$corpus" ] && corpus="$a" ;;
    esac
done
name=$(basename "$0")
if [ "$name" = fake_replay ]; then
    echo "replay: fake"
    exit 7
fi
echo "INFO: Seed: 42"
printf '#2\tINITED cov: 3 ft: 4 corp: 1/4b exec/s: 0 rss: 30Mb\n'
case "$name" in
fake_crash_libfuzzer)
    printf '#40\tNEW    cov: 5 ft: 6 corp: 2/9b lim: 4 exec/s: 0 rss: 30Mb L: 5/5 MS: 1 ChangeBit-\n'
    echo "==FWFUZZ== property violated: fake property"
    echo "==FWFUZZ== check (0) failed at fake.c:1"
    echo "==77== ERROR: libFuzzer: deadly signal"
    echo "SUMMARY: libFuzzer: deadly signal"
    h=$(printf 'FAKE-CRASH' | sha1sum | cut -d' ' -f1)
    printf 'FAKE-CRASH' >"${prefix}crash-$h"
    echo "artifact_prefix='$prefix'; Test unit written to ${prefix}crash-$h"
    echo "stat::number_of_executed_units: 40"
    exit 1
    ;;
fake_timeout_libfuzzer)
    # libFuzzer reports a timeout's SUMMARY after writing the input
    echo "ALARM: working on the last Unit for 3 seconds"
    h=$(printf 'FAKE-HANG' | sha1sum | cut -d' ' -f1)
    printf 'FAKE-HANG' >"${prefix}timeout-$h"
    echo "artifact_prefix='$prefix'; Test unit written to ${prefix}timeout-$h"
    echo "==77== ERROR: libFuzzer: timeout after 3 seconds"
    echo "SUMMARY: libFuzzer: timeout"
    exit 70
    ;;
fake_clean_libfuzzer)
    h=$(printf 'NEW-INPUT' | sha1sum | cut -d' ' -f1)
    printf 'NEW-INPUT' >"$corpus/$h"
    printf '#100\tDONE   cov: 5 ft: 6 corp: 2/13b lim: 4 exec/s: 100 rss: 30Mb\n'
    echo "Done 100 runs in 1 second(s)"
    echo "stat::number_of_executed_units: 100"
    exit 0
    ;;
*)
    echo "==77==ERROR: fake engine failure"
    exit 1
    ;;
esac
