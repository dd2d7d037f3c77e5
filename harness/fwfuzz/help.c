/* Help and usage texts. docs/fwfuzz.md says the same at more length. */
#define _POSIX_C_SOURCE 200809L
#include "help.h"

#include <string.h>

static const char usage_main[] =
    "usage: fwfuzz [--manifest FILE] COMMAND [OPTIONS]\n"
    "       fwfuzz --help | --version | help COMMAND\n";

static const char usage_list[] = "usage: fwfuzz list [--json]\n";

static const char usage_fuzz[] =
    "usage: fwfuzz fuzz TARGET [--mode native|emu] [--engine libfuzzer|afl]\n"
    "                   [--emu-image kasan|plain]\n"
    "                   [--time SECONDS] [--jobs N] [--out DIR] "
    "[--keep-going]\n"
    "                   [--status-interval SECONDS] [-- ENGINE-FLAGS...]\n";

static const char usage_run[] =
    "usage: fwfuzz run [--budget SECONDS] [--jobs N] [--coverage]\n"
    "                  [--mode native|emu|both] [--engine libfuzzer|afl|both]\n"
    "                  [--emu-image kasan|plain] [--target NAME]...\n"
    "                  [--out DIR] [--reports DIR] [--status-interval S]\n";

static const char usage_replay[] =
    "usage: fwfuzz replay TARGET [--mode native|emu] [--emu-image "
    "kasan|plain]\n"
    "                     [--timeout SECONDS] [--verbose] [--] PATH...\n";

static const char usage_bench[] =
    "usage: fwfuzz bench [TARGET...] [--runs N | --time SECONDS] [--json]\n"
    "       fwfuzz bench TARGET --soak RUNS [--json]\n";

static const char usage_triage[] =
    "usage: fwfuzz triage [TARGET... | DIR...] [--runs N] "
    "[--minimize-time SECONDS]\n"
    "                     [--timeout SECONDS] [--reports DIR] [--out FILE]\n"
    "                     [--no-store] [--target NAME [--mode native|emu] "
    "PATH...]\n"
    "       fwfuzz triage --update [TARGET...]\n";

static const char usage_repro[] =
    "usage: fwfuzz repro TARGET INPUT [--mode native|emu] "
    "[--emu-image kasan|plain]\n"
    "                    [--timeout SECONDS] [--gdb]\n";

static const char usage_report[] = "usage: fwfuzz report DIR\n";

static const char help_report[] =
    "\n"
    "Renders a campaign's report files again from DIR/summary.json (and\n"
    "DIR/coverage/coverage.json when present): DIR/junit.xml (one test case\n"
    "per target and mode), DIR/results.sarif (SARIF 2.1.0, one result per\n"
    "open crash group) and DIR/index.html (the page for people), each\n"
    "written whole or not at all; then prints what `fwfuzz run` ends with.\n"
    "docs/reports.md describes the files.\n"
    "\n"
    "Exit codes:\n"
    "  0    the three files were written\n"
    "  2    usage error\n"
    "  3    DIR/summary.json is missing, not JSON or of another format\n"
    "  5    a file could not be written (or out of memory)\n"
    "\n";

static const char usage_cov[] =
    "usage: fwfuzz cov [TARGET...] [--mode native|emu|both] [--out DIR]\n"
    "                  [--corpus [TARGET=]DIR]... [--timeout SECONDS]\n";

static const char help_cov[] =
    "\n"
    "Line and function coverage of each target's corpus (default: every "
    "target),\n"
    "natively (clang source-based coverage build) and under emulation (the\n"
    "firmware image's executed blocks mapped to lines through DWARF), "
    "counted\n"
    "over the target's component sources (not its fuzz/ folder), side by "
    "side.\n"
    "Inputs: every regular file under the target's corpus folder (not a "
    "stored\n"
    "case's .json, not the .dict), and under each --corpus DIR "
    "(TARGET=DIR: for\n"
    "that target only). Writes DIR/<target>/{native,emu}.info,\n"
    "DIR/<component>/{native,emu}.info, DIR/html/{native,emu}/index.html\n"
    "(genhtml) and DIR/coverage.json, and prints the totals and the "
    "functions\n"
    "that differ between the modes (docs/coverage.md).\n"
    "\n"
    "  --mode MODE        native, emu or both (default both; targets without "
    "an\n"
    "                     emulated build get native only)\n"
    "  --out DIR          default reports/coverage\n"
    "  --corpus DIR       more inputs, e.g. a campaign's "
    "reports/fuzz/<target>/corpus\n"
    "  --timeout SECONDS  per native input (default: the target's .options)\n"
    "\n"
    "Exit codes: 0 done; 2 usage; 3 unknown target, coverage build missing, "
    "bad\n"
    ".options; 4 a coverage run failed; 5 I/O error; 130 interrupted. "
    "Whatever\n"
    "was measured is written in every case but 2.\n";

static const char help_triage[] =
    "\n"
    "Reproduces every finding of earlier runs (reports/fuzz/**/findings/;\n"
    "those of the TARGETs or fuzz output DIRs named) through the replay build\n"
    "of the mode it was found in, groups them by signature (class, access,\n"
    "top three project frames) across engines and modes, minimises each new\n"
    "group's input keeping its signature, and stores it as a case:\n"
    "<corpus>/regress/<id>.bin and <id>.json. Known groups are recognised;\n"
    "a finding triaged once is not replayed again. Prints one line per group\n"
    "and writes triage.json (--out, default <reports>/triage.json).\n"
    "\n"
    "  --runs N               replays of each finding (default 3; fewer hits:\n"
    "                         flaky, kept)\n"
    "  --minimize-time S      seconds of minimising per new group (default "
    "60)\n"
    "  --timeout S            an input running longer hangs (default: the\n"
    "                         target's .options timeout, else 25)\n"
    "  --reports DIR          where fuzz outputs are (default reports/fuzz)\n"
    "  --target NAME, --mode  the target (and mode) of PATHs without a\n"
    "                         summary.json\n"
    "  --no-store             classify against the store, write nothing\n"
    "  --update               replay the open cases; those that no longer\n"
    "                         fail in any mode become fixed\n"
    "\n"
    "Exit codes:\n"
    "  0    nothing new (every finding is a known case; --update: done)\n"
    "  10   a new (or reopened) group\n"
    "  2    usage error\n"
    "  3    configuration error (manifest, unknown target, replay build\n"
    "       missing, no reports folder, a malformed case file)\n"
    "  4    a replay could not run (and nothing new was found)\n"
    "  5    a path could not be read, or triage.json not written\n"
    "  130  interrupted by SIGINT/SIGTERM (cases stored so far are whole)\n"
    "\n";

static const char help_repro[] =
    "\n"
    "Runs one input through TARGET's replay build and shows what a developer\n"
    "needs: natively the symbolised sanitizer report, the signature, the\n"
    "stack with project frames marked and the source around the top one;\n"
    "under emulation (--mode emu) also the registers, the code around PC, the\n"
    "guest call stack with file:line, the last blocks run and what the\n"
    "faulting address is. --gdb: natively gdb on the replay build, stopped\n"
    "at the fault; emulated, a GDB stub for gdb-multiarch (the port and the\n"
    "command to attach are printed).\n"
    "\n"
    "Exit codes:\n"
    "  0    the input runs clean\n"
    "  10   the input fails (a crash, hang, property violation, ...)\n"
    "  2    usage error (also: INPUT is a case's .json, not its .bin)\n"
    "  3    configuration error (manifest, unknown target, build missing)\n"
    "  4    the replay build could not run the input\n"
    "  5    INPUT cannot be read\n"
    "  130  interrupted by SIGINT/SIGTERM\n"
    "\n";

static const char exit_codes[] =
    "Exit codes:\n"
    "  0    ran, nothing found\n"
    "  10   findings (crash, timeout, oom, leak, property violation,\n"
    "       security oracle: docs/oracles.md)\n"
    "  2    usage error (unknown command or option, bad number, missing "
    "argument)\n"
    "  3    configuration error (manifest missing or invalid, unknown "
    "target,\n"
    "       engine build missing, bad .options file; run: another campaign\n"
    "       is running on the same output folder)\n"
    "  4    the engine failed to run or died without a finding\n"
    "  5    I/O error on the output folder (or out of memory)\n"
    "  130  interrupted by SIGINT/SIGTERM (the summary is still written)\n";

static const char help_main[] =
    "fwfuzz: fuzz the firmware components' fuzz targets with libFuzzer and "
    "AFL++.\n"
    "\n"
    "Commands:\n"
    "  list     the fuzz targets of the build, their engines and corpora\n"
    "  fuzz     fuzz one target with one engine\n"
    "  run      the campaign: fuzz, triage, merge, report (`make run`)\n"
    "  replay   run a target's replay build on files or folders\n"
    "  bench    native and emulated speed and memory over the seeds\n"
    "  triage   group, minimise and store the findings as regression cases\n"
    "  repro    one input, for a developer: report, source, debugger\n"
    "  report   render a campaign's junit.xml, results.sarif, index.html\n"
    "  cov      line coverage, native and emulated side by side\n"
    "  boot     boot a whole firmware image from reset: what it did, or why\n"
    "           it is stuck (fwfuzz boot IMAGE --board BOARD.json)\n"
    "  glitch   fault injection on a bootloader: each instruction of its boot\n"
    "           skipped once, with a tampered slot; which skips make it run\n"
    "           the slot (fwfuzz glitch IMAGE --board BOARD.json --extra\n"
    "           SLOT@ADDR; docs/glitch.md)\n"
    "  help     help on a command\n"
    "\n"
    "Options:\n"
    "  --manifest FILE  the targets manifest (default: $FWFUZZ_MANIFEST, "
    "else the\n"
    "                   build's fwfuzz-targets.json)\n"
    "  --help, -h       this help;  --version, -V  the version\n"
    "\n";

static const char help_list[] =
    "\n"
    "Prints one line per fuzz target: its component, the engine builds "
    "present\n"
    "(libfuzzer, afl, replay), the number of seed and regression inputs, "
    "whether\n"
    "it has a dictionary, and its emulated builds (EMU; \"(no image)\" when "
    "the\n"
    "firmware image is not built). --json prints the same as JSON.\n"
    "\n";

static const char help_fuzz[] =
    "\n"
    "Fuzzes TARGET on this machine and stops when the time is up or at the\n"
    "first finding.\n"
    "\n"
    "  --mode M              native (default): the host build with "
    "ASan+UBSan;\n"
    "                        emu: the target's entry in the firmware image, "
    "run\n"
    "                        under the Cortex-M emulator\n"
    "  --engine E            libfuzzer (default) or afl\n"
    "  --emu-image I         with --mode emu: kasan (default), the image "
    "whose\n"
    "                        components are built with KASan; or plain, the\n"
    "                        same without it (about 3 times faster, memory\n"
    "                        errors found by the emulator's own checks only)\n"
    "  --time SECONDS        time budget (default 60)\n"
    "  --jobs N              engine processes on the same corpus (default 1;\n"
    "                        with --keep-going, libFuzzer's -fork=N)\n"
    "  --out DIR             output folder (default reports/fuzz/TARGET, "
    "or\n"
    "                        reports/fuzz/emu/TARGET with --mode emu)\n"
    "  --keep-going          do not stop at the first finding: fuzz for the\n"
    "                        whole time (libFuzzer in fork mode, saving each\n"
    "                        finding and going on)\n"
    "  --status-interval S   seconds between status lines when stderr is "
    "not a\n"
    "                        terminal (default 10)\n"
    "  -- ENGINE-FLAGS       passed to the engine as they are\n"
    "\n"
    "Output folder: DIR/corpus (working corpus, kept and reused), "
    "DIR/findings\n"
    "(inputs that crashed, hung, ran out of memory; never overwritten), "
    "DIR/logs\n"
    "(raw engine output), DIR/summary.json (also printed on stdout).\n"
    "\n";

static const char help_run[] =
    "\n"
    "The campaign: every target (or each --target) in each mode it has\n"
    "builds for (--mode, default both) with each engine (--engine, default\n"
    "both), within --budget seconds of fuzzing (default 3600) split by the\n"
    "weights of the targets' .options ([fwfuzz] weight, weight_native,\n"
    "weight_emu), --jobs fuzzers at once (default: one per core). Then every\n"
    "finding is triaged, open cases re-checked, each target's working\n"
    "corpora merged into corpora/TARGET/merged/, coverage made (--coverage),\n"
    "and the report written to REPORTS/<UTC time>/ (summary.json,\n"
    "junit.xml, results.sarif, index.html; REPORTS defaults to reports,\n"
    "REPORTS/latest points at it). Fuzzers work in DIR/TARGET and\n"
    "DIR/emu/TARGET (DIR: --out, default reports/fuzz). docs/campaign.md.\n"
    "\n"
    "Exit codes of run:\n"
    "  0    no new crash group\n"
    "  10   a new crash group (or a fixed one failing again)\n"
    "  2    usage error\n"
    "  3    configuration (another campaign on the same --out: its PID)\n"
    "  4    a fuzzer or a campaign step failed (see summary.json errors)\n"
    "  5    a report file could not be written\n"
    "  130  interrupted: SIGINT, SIGTERM, SIGHUP (the report is still\n"
    "       written)\n";

static const char help_replay[] =
    "\n"
    "Runs TARGET's replay build (no engine, ASan+UBSan) on each file, one\n"
    "process per input; folders are walked in name order. With --mode emu\n"
    "the emulated replay build runs the inputs in the firmware image.\n"
    "Prints one verdict line per input on stdout:\n"
    "  PATH: ok\n"
    "  PATH: KIND: DESCRIPTION   a finding (crash, property, timeout, ...)\n"
    "  PATH: error: WHAT         the replay build could not run the input\n"
    "With one input (or --verbose) a finding's full report follows its line.\n"
    "\n"
    "  --timeout SECONDS   wall-clock limit per input (default: the target's\n"
    "                      libFuzzer timeout from its .options, else 25 s)\n"
    "  --verbose, -v       the full report of every finding\n"
    "  --                  the words after it are paths\n"
    "\n"
    "Exit codes:\n"
    "  0    every input ran clean\n"
    "  10   at least one finding\n"
    "  2    usage error\n"
    "  3    configuration error (manifest, target or replay build missing)\n"
    "  4    the replay build could not run an input (and nothing was found)\n"
    "  5    a path could not be read, or holds no inputs\n"
    "  130  interrupted by SIGINT/SIGTERM\n"
    "\n";

static const char help_bench[] =
    "\n"
    "For each target (default: all) runs its seed corpus again and again, "
    "in\n"
    "turn with the plain native build (-O2), the ASan+UBSan build and the\n"
    "emulated build: the plain image on the full block hook and on the "
    "fast\n"
    "path, the plain image at -O2, the KASan image on both paths. Prints\n"
    "exec/s of each, the ratios emulated/native and the peak RSS of each\n"
    "process (docs/fwfuzz.md, \"fwfuzz bench\"). The first pass over the "
    "seeds\n"
    "is a warm-up and not counted.\n"
    "\n"
    "  --time SECONDS   time of each measurement (default 2)\n"
    "  --runs N         N passes over the seeds instead\n"
    "  --json           JSON instead of the table\n"
    "  --soak RUNS      one target only: RUNS emulated runs (e.g. 1000000),\n"
    "                   printing the RSS 20 times on the way\n"
    "\n";

void help_usage(FILE *f, const char *topic)
{
    if (topic == NULL)
        fputs(usage_main, f);
    else if (strcmp(topic, "list") == 0)
        fputs(usage_list, f);
    else if (strcmp(topic, "fuzz") == 0)
        fputs(usage_fuzz, f);
    else if (strcmp(topic, "run") == 0)
        fputs(usage_run, f);
    else if (strcmp(topic, "replay") == 0)
        fputs(usage_replay, f);
    else if (strcmp(topic, "bench") == 0)
        fputs(usage_bench, f);
    else if (strcmp(topic, "triage") == 0)
        fputs(usage_triage, f);
    else if (strcmp(topic, "repro") == 0)
        fputs(usage_repro, f);
    else if (strcmp(topic, "report") == 0)
        fputs(usage_report, f);
    else if (strcmp(topic, "cov") == 0)
        fputs(usage_cov, f);
    else
        fputs(usage_main, f);
    fprintf(f, "Try 'fwfuzz help%s%s'.\n", topic ? " " : "",
            topic ? topic : "");
}

void help_print(FILE *f, const char *topic)
{
    if (topic == NULL) {
        fputs(usage_main, f);
        fputs("\n", f);
        fputs(help_main, f);
    } else if (strcmp(topic, "list") == 0) {
        fputs(usage_list, f);
        fputs(help_list, f);
    } else if (strcmp(topic, "fuzz") == 0) {
        fputs(usage_fuzz, f);
        fputs(help_fuzz, f);
    } else if (strcmp(topic, "run") == 0) {
        fputs(usage_run, f); /* with its own exit codes */
        fputs(help_run, f);
        return;
    } else if (strcmp(topic, "bench") == 0) {
        fputs(usage_bench, f);
        fputs(help_bench, f);
    } else if (strcmp(topic, "triage") == 0) {
        fputs(usage_triage, f); /* with its own exit codes */
        fputs(help_triage, f);
        return;
    } else if (strcmp(topic, "repro") == 0) {
        fputs(usage_repro, f);
        fputs(help_repro, f);
        return;
    } else if (strcmp(topic, "report") == 0) {
        fputs(usage_report, f);
        fputs(help_report, f);
    } else if (strcmp(topic, "cov") == 0) {
        fputs(usage_cov, f); /* with its own exit codes */
        fputs(help_cov, f);
        return;
    } else {
        /* replay lists its own exit codes */
        fputs(usage_replay, f);
        fputs(help_replay, f);
        return;
    }
    fputs(exit_codes, f);
}
