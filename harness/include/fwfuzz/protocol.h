/*
 * What fwfuzz and the programs it runs share: the tags that start the lines
 * fwfuzz reads in their output, the environment variables it sets for them,
 * and their exit codes. Both sides include this header, so each is spelled
 * once: the fuzz targets (check.h), the engine, replay and bench builds
 * (harness/engine) and the fwfuzz command (harness/fwfuzz).
 */
#ifndef FWFUZZ_PROTOCOL_H
#define FWFUZZ_PROTOCOL_H

/*
 * A fuzz target's broken promise (FWFUZZ_CHECK), natively:
 *   ==FWFUZZ== property violated: <what>
 *   ==FWFUZZ== check (<cond>) failed at <file>:<line>
 */
#define FWFUZZ_TAG_PROPERTY "==FWFUZZ== property violated:"
#define FWFUZZ_TAG_CHECK    "==FWFUZZ== check"

/*
 * A security oracle's finding (fwfuzz/oracle.h, docs/oracles.md), natively
 * and under emulation (after the FWFUZZ_TAG_EMU line, whose class is the
 * same):
 *   ==FWFUZZ== finding <class>: <what>
 *   ==FWFUZZ== finding at <file>:<line>      (natively, when known)
 */
#define FWFUZZ_TAG_ORACLE "==FWFUZZ== finding"

/*
 * A native replay build that ran past its time limit (FWFUZZ_ENV_TIMEOUT),
 * then the stack where it was:
 *   ==FWFUZZ== timeout after <N> s
 */
#define FWFUZZ_TAG_TIMEOUT "==FWFUZZ== timeout after"

/*
 * The first line of an emulated build's finding report:
 *   ==FWFUZZ-EMU== <class> at <function> <file>:<line>
 * where <class> is FWFUZZ_EMU_CLASS_HANG for a run out of budget, else
 * the fault's class (emu_fault_name). A failed FWFUZZ_CHECK in the guest
 * adds a FWFUZZ_TAG_PROPERTY line after it, as natively.
 */
#define FWFUZZ_TAG_EMU "==FWFUZZ-EMU=="
/* The <class> of a hang: the driver's when it writes the line itself, and
 * the one emu_summary writes ("hang at ...", pinned by
 * emu/test/test_describe.c). */
#define FWFUZZ_EMU_CLASS_HANG "hang"

/*
 * The lines of the bench builds:
 *   ==FWFUZZ-BENCH== result inputs=N bytes=N passes=N execs=N seconds=S
 *                    faults=N warmup_seconds=S rss_kb=N maxrss_kb=N
 *   ==FWFUZZ-BENCH== rss execs=N seconds=S rss_kb=N maxrss_kb=N
 */
#define FWFUZZ_TAG_BENCH "==FWFUZZ-BENCH=="

/*
 * Environment of the emulated builds: each overrides what the build has
 * compiled in (docs/emulation.md). fwfuzz passes the manifest's values to
 * the builds it starts, unless the user set them.
 */
#define FWFUZZ_ENV_EMU_IMAGE     "FWFUZZ_EMU_IMAGE"
#define FWFUZZ_ENV_EMU_BOARD     "FWFUZZ_EMU_BOARD"
#define FWFUZZ_ENV_EMU_ENTRY     "FWFUZZ_EMU_ENTRY"
#define FWFUZZ_ENV_EMU_LOAD_ADDR "FWFUZZ_EMU_LOAD_ADDR" /* raw binaries */
#define FWFUZZ_ENV_EMU_BUDGET    "FWFUZZ_EMU_BUDGET"    /* blocks per run */
/* Raw binaries loaded beside the image (a bootloader's signed slot):
 * "file@address" items separated by ','. */
#define FWFUZZ_ENV_EMU_EXTRA_IMAGES "FWFUZZ_EMU_EXTRA_IMAGES"
/* "full": every emulated run on the full block hook, never the fast path
 * (docs/emulation.md, "Speed"; the benchmark's EMU HOOK column) */
#define FWFUZZ_ENV_EMU_HOOKS "FWFUZZ_EMU_HOOKS"
/* Seconds a native replay build lets one input run before it reports a
 * timeout with the stack (unset or 0: no limit). */
#define FWFUZZ_ENV_TIMEOUT "FWFUZZ_REPLAY_TIMEOUT"
/* Set (to anything): the security oracles do not run, natively or under
 * emulation (docs/oracles.md): to measure what they cost. */
#define FWFUZZ_ENV_NO_ORACLES "FWFUZZ_NO_ORACLES"
/* The manifest fwfuzz reads instead of the one next to it. */
#define FWFUZZ_ENV_MANIFEST "FWFUZZ_MANIFEST"

/*
 * Exit codes of the replay and bench builds (<target>_replay,
 * <target>_emu_replay, <target>_bench...). A native build that finds a bug
 * aborts instead (the sanitizer's or FWFUZZ_CHECK's report, then a signal
 * or the sanitizer's exit code).
 */
enum fwfuzz_driver_exit {
    FWFUZZ_DRIVER_OK = 0,         /* every input ran clean */
    FWFUZZ_DRIVER_FINDING = 1,    /* an emulated run faulted or hung */
    FWFUZZ_DRIVER_USAGE = 2,      /* bad command line */
    FWFUZZ_DRIVER_UNREADABLE = 3, /* an input path could not be read */
    FWFUZZ_DRIVER_SETUP = 4       /* the emulator could not be set up or
                                     could not run an input: never a finding */
};

#endif
