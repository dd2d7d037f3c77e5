#!/bin/sh
# Stands in for a fuzz target's engine builds in fwfuzz's end-to-end tests.
# It prints what libFuzzer 14 prints and acts according to the name it is
# installed under: fake_crash_libfuzzer (with -fork=N as libFuzzer's fork
# mode: a property violation and a timeout, in two jobs), fake_timeout_libfuzzer,
# fake_clean_libfuzzer, fake_broken_libfuzzer, fake_spawn_libfuzzer,
# fake_replay (exits 7, or
# as its input says); the
# emulated builds fake_emu_crash_libfuzzer, fake_emu_hang_libfuzzer (which
# abort with the emulator's report) and fake_emu_replay (exits 1 with it,
# or with --bench acts as fake_emu_bench);
# the benchmark builds fake_bench, fake_bench_asan and fake_emu_bench.
prefix=""
corpus=""
fork=""
for a in "$@"; do
    case "$a" in
    -artifact_prefix=*) prefix="${a#-artifact_prefix=}" ;;
    -fork=*) fork="${a#-fork=}" ;;
    -*) ;;
    *) [ -z "$corpus" ] && corpus="$a" ;;
    esac
done
name=$(basename "$0")
# libFuzzer builds as the AFL++ driver's queue merge and the campaign's
# corpus merge run them (-merge=1 ... CORPUS DIR...): every fake libFuzzer
# build copies each input of the other folders into CORPUS by content;
# fake_mergefail_libfuzzer fails
merge=""
case " $* " in *" -merge=1 "*) merge=1 ;; esac
case "$name:$merge" in
fake_mergefail_libfuzzer:*)
    echo "==1== ERROR: libFuzzer: fake merge failure"
    exit 1
    ;;
fake_merge_libfuzzer:* | *_libfuzzer:1)
    # the merge must carry a time limit per input
    case " $* " in
    *" -timeout="*) ;;
    *)
        echo "fake merge: no -timeout" >&2
        exit 1
        ;;
    esac
    dst=""
    for a in "$@"; do
        case "$a" in
        -*) ;;
        *)
            if [ -z "$dst" ]; then
                dst="$a"
            else
                for f in "$a"/*; do
                    [ -f "$f" ] && cp "$f" "$dst/$(sha1sum <"$f" | cut -c1-40)"
                done
            fi
            ;;
        esac
    done
    echo "MERGE-OUTER: fake merge into $dst"
    exit 0
    ;;
esac
if [ "$name" = fake_replay ]; then
    # by the input (the last argument): "ok..." runs clean, "hang..." hangs,
    # "PROP..." violates a property, anything else ends with exit status 7
    for input; do :; done
    case "$(head -c 4 "$input" 2>/dev/null)" in
    ok*) exit 0 ;;
    hang) exec sleep 60 ;;
    PROP)
        echo "==FWFUZZ== property violated: fake property"
        exit 1
        ;;
    esac
    echo "replay: fake"
    exit 7
fi
# the emulated replay build is also the emulated benchmark
[ "$name" = fake_emu_replay ] && [ "$1" = --bench ] && name=fake_emu_bench
if [ "$name" = fake_emu_replay ]; then
    # fwfuzz hands the manifest's image and entry to emulated builds
    echo "emu: image $FWFUZZ_EMU_IMAGE, entry $FWFUZZ_EMU_ENTRY"
    echo "replay: $1:"
    echo "==FWFUZZ-EMU== global-buffer-overflow at parse fake.c:3"
    echo "global-buffer-overflow at 0x08000abc in parse fake.c:3"
    exit 1
fi
case "$name" in
fake_bench | fake_bench_asan | fake_emu_bench)
    # execs per second 2000, 1000, 400 (plain image) and 200 (KASan
    # image), 300 and 100 with every run on the full hook
    # (FWFUZZ_EMU_HOOKS=full); peak RSS 1, 2, 4 and 3 MB
    case "$name:$FWFUZZ_EMU_IMAGE:${FWFUZZ_EMU_HOOKS:-}" in
    fake_bench:*) execs=1000 rss=1024 ;;
    fake_bench_asan:*) execs=500 rss=2048 ;;
    *-plain.elf:full) execs=150 rss=4096 ;;
    *-plain.elf:*) execs=200 rss=4096 ;;
    *:full) execs=50 rss=3072 ;;
    *) execs=100 rss=3072 ;;
    esac
    soak=""
    prev=""
    for a in "$@"; do
        [ "$prev" = --execs ] && soak="$a"
        prev="$a"
    done
    if [ -n "$soak" ]; then
        echo "==FWFUZZ-BENCH== rss execs=0 seconds=0 rss_kb=3000 maxrss_kb=3000"
        echo "==FWFUZZ-BENCH== rss execs=$soak seconds=0.5 rss_kb=3010 maxrss_kb=3072"
        execs=$soak
    fi
    echo "==FWFUZZ-BENCH== result inputs=1 bytes=4 passes=$execs execs=$execs seconds=0.5 faults=0 warmup_seconds=0.001 rss_kb=$rss maxrss_kb=$rss median_per_s=$((execs * 3))"
    exit 0
    ;;
esac
if [ "$name" = fake_spawn_libfuzzer ]; then
    # leaves a child in its process group, as libFuzzer's merge and fork
    # jobs (started through a shell) are, and ends after 6 s
    sh -c 'exec sleep 300' &
    echo "INFO: Seed: 42"
    printf '#2\tINITED cov: 3 ft: 4 corp: 1/4b exec/s: 0 rss: 30Mb\n'
    sleep 6
    printf '#9\tDONE   cov: 3 ft: 4 corp: 1/4b lim: 4 exec/s: 4 rss: 30Mb\n'
    exit 0
fi
if [ -n "$fork" ] && [ "$name" = fake_crash_libfuzzer ]; then
    # the jobs' reports stay in their own logs: the parent repeats their
    # ERROR lines, prints one line per job, and the inputs appear under the
    # artifact prefix; it exits with the status of the last failed job
    echo "INFO: Seed: 42"
    echo "INFO: -fork=$fork: fuzzing in separate process(s)"
    h=$(printf 'PROP-CRASH' | sha1sum | cut -d' ' -f1)
    printf 'PROP-CRASH' >"${prefix}crash-$h"
    echo "==78== ERROR: libFuzzer: deadly signal"
    echo "#40: cov: 5 ft: 6 corp: 2 exec/s 40 oom/timeout/crash: 0/0/1 time: 1s job: 1 dft_time: 0"
    h=$(printf 'FAKE-HANG' | sha1sum | cut -d' ' -f1)
    printf 'FAKE-HANG' >"${prefix}timeout-$h"
    echo "#1320: cov: 7 ft: 9 corp: 3 exec/s 660 oom/timeout/crash: 0/1/1 time: 2s job: 2 dft_time: 0"
    echo "INFO: fuzzed for 2 seconds, wrapping up soon"
    echo "INFO: exiting: 70 time: 2s"
    exit 70
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
fake_emu_crash_libfuzzer | fake_emu_hang_libfuzzer)
    # extra counters only: "ft:" without "cov:"
    printf '#30\tNEW    ft: 7 corp: 2/9b lim: 4 exec/s: 0 rss: 30Mb L: 5/5 MS: 1 ChangeBit-\n'
    if [ "$name" = fake_emu_crash_libfuzzer ]; then
        echo "==FWFUZZ-EMU== global-buffer-overflow at parse fake.c:3"
        echo "global-buffer-overflow at 0x08000abc in parse fake.c:3"
        input=FAKE-EMU-CRASH
    else
        echo "==FWFUZZ-EMU== hang at spin fake.c:9"
        echo "hang at 0x08000def in spin fake.c:9 (2000000 blocks)"
        input=FAKE-EMU-HANG
    fi
    echo "==77== ERROR: libFuzzer: deadly signal"
    echo "SUMMARY: libFuzzer: deadly signal"
    h=$(printf '%s' "$input" | sha1sum | cut -d' ' -f1)
    printf '%s' "$input" >"${prefix}crash-$h"
    echo "artifact_prefix='$prefix'; Test unit written to ${prefix}crash-$h"
    echo "stat::number_of_executed_units: 30"
    exit 1
    ;;
*)
    echo "==77==ERROR: fake engine failure"
    exit 1
    ;;
esac
