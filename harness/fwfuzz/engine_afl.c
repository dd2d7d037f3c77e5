/* The AFL++ driver: builds afl-fuzz's input folder from the corpora, runs
 * one main and N-1 secondary instances, follows them through StatsD, then
 * saves their crashes and hangs as findings and merges their queues into
 * the working corpus. */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "aflparse.h"
#include "engine.h"
#include "exitcode.h"
#include "fsutil.h"
#include "lfparse.h"
#include "linebuf.h"
#include "proc.h"
#include "progress.h"
#include "util.h"

#define AFL_MAX_INSTANCES 64
/* afl-fuzz refuses larger inputs (MAX_FILE). */
#define AFL_MAX_INPUT (1024u * 1024u)
/* Seconds a replay that describes a crash may take. */
#define AFL_REPLAY_TIMEOUT_S 30
/* Seconds the corpus merge may take. */
#define AFL_MERGE_TIMEOUT_S 900

struct afl_inst {
    char name[16]; /* "main", "s1", ... */
    struct proc proc;
    struct linebuf lb;
    FILE *log;
    char *log_path;
    int sock; /* StatsD socket, -1 if none */
    unsigned port;
    struct afl_stats st; /* StatsD figures, or fuzzer_stats at the end */
    unsigned long total_edges;
    int done;
    int stop_sent;
    char *abort_msg;
    char *os_msg;
    struct strvec seed_crashes; /* queue names of crashing seeds */
    struct strvec seed_hangs;
    char last_line[256];
};

struct afl_state {
    const struct fuzz_job *job;
    const struct job_paths *paths;
    struct fuzz_report *r;
    char *afl_fuzz;
    struct afl_inst inst[AFL_MAX_INSTANCES];
    unsigned n;
    double start;
    double deadline;
    int stopping;
    unsigned long seen_files; /* crash/hang files in the instance folders */
    int count_failed;         /* count_found could not list, said once */
};

static const char *const afl_env_default[] = {
    "AFL_NO_UI=1", "AFL_SKIP_CPUFREQ=1",
    "AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1", "AFL_NO_AFFINITY=1", NULL};
static const char *const afl_env_unset[] = {"AFL_STATSD_TAGS_FLAVOR", NULL};

/* --- the input folder ------------------------------------------------ */

/* Copies the non-empty files (at most AFL_MAX_INPUT bytes) of dir into
 * afl-in under content names and adds their number to *added. Returns 0, or
 * -1 (reported) if dir cannot be listed: afl-fuzz would start without
 * those inputs. */
static int add_inputs(struct afl_state *s, const char *dir,
                      unsigned long *added)
{
    const char *afl_in = s->paths->afl_in;
    struct strvec names = {0};
    size_t i;

    if (fs_list_files(dir, "", &names) != 0) {
        report_error(s->r, FW_EXIT_IO, "cannot list %s: %s", dir,
                     strerror(errno));
        return -1;
    }
    for (i = 0; i < names.n; i++) {
        char *src = fs_join(dir, names.v[i]);
        char hex[SHA1_HEX_LEN + 1];
        struct stat st;

        if (stat(src, &st) == 0 && st.st_size > 0 &&
            (unsigned long)st.st_size <= AFL_MAX_INPUT &&
            fs_copy_unique(src, afl_in, "", hex, NULL) == 1)
            (*added)++;
        free(src);
    }
    strvec_free(&names);
    return 0;
}

static int build_input_dir(struct afl_state *s)
{
    const char *in = s->paths->afl_in;
    const char *sub[] = {"seed", "regress"};
    unsigned long n = 0;
    size_t i;

    if (fs_remove_tree(in) != 0 || fs_mkdirs(in) != 0) {
        report_error(s->r, FW_EXIT_IO, "cannot prepare %s: %s", in,
                     strerror(errno));
        return -1;
    }
    for (i = 0; i < 2; i++) {
        char *dir = fs_join(s->job->target->corpus, sub[i]);
        int rc = add_inputs(s, dir, &n);

        free(dir);
        if (rc != 0)
            return -1;
    }
    if (add_inputs(s, s->paths->corpus, &n) != 0)
        return -1;
    if (n == 0) {
        /* afl-fuzz needs at least one input */
        char *seed = fs_join(in, "fwfuzz-default-seed");
        int rc = fs_write_atomic(seed, "0", 1);

        free(seed);
        if (rc != 0) {
            report_error(s->r, FW_EXIT_IO, "cannot write in %s: %s", in,
                         strerror(errno));
            return -1;
        }
        n = 1;
    }
    fw_msg("AFL++ input folder %s: %lu input%s", in, n, n == 1 ? "" : "s");
    return 0;
}

/* --- findings and corpus from an AFL++ output folder -------------------- */

/* Runs the replay build on a crash input (saved at path) to get its
 * sanitizer report. The signal is in afl-fuzz's name for it, src. */
static void describe_crash(struct afl_state *s, const char *src,
                           const char *path, const char *hex, char *kind,
                           size_t kindlen, char *desc, size_t desclen)
{
    const struct manifest_target *t = s->job->target;
    const char *sig = strstr(fw_basename(src), "sig:");
    char *argv[4], *out = NULL, *log, *line, *next;
    char name[80];
    int status = 0, emu = 0;

    snprintf(kind, kindlen, "crash");
    snprintf(desc, desclen, "afl-fuzz: crash%s%.6s", sig ? ", " : "",
             sig ? sig : "");
    if (!fs_is_executable(t->replay))
        return;
    argv[0] = t->replay;
    argv[1] = "-q";
    argv[2] = (char *)path;
    argv[3] = NULL;
    snprintf(name, sizeof(name), "replay-%s.log", hex);
    log = fs_join(s->paths->logs, name);
    if (proc_run(argv, NULL, log, AFL_REPLAY_TIMEOUT_S, &out, 256 * 1024,
                 &status) != 0) {
        free(log);
        return;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        snprintf(desc, desclen, "afl-fuzz: crash%s%.6s; does not crash %s",
                 sig ? ", " : "", sig ? sig : "", fw_basename(t->replay));
    /* a property line wins, then an emulated build's report line, then
     * the first sanitizer SUMMARY */
    for (line = out; line != NULL && *line != '\0'; line = next) {
        struct lf_line l;

        next = strchr(line, '\n');
        if (next != NULL)
            *next++ = '\0';
        if (lf_parse_line(line, &l) == LF_PROPERTY) {
            snprintf(kind, kindlen, "property");
            snprintf(desc, desclen, "%s", l.text);
            break;
        }
        if (l.kind == LF_EMU && !emu) {
            snprintf(kind, kindlen, "%s", lf_emu_kind(l.text));
            snprintf(desc, desclen, "%s", l.text);
            emu = 1;
        }
        if (l.kind == LF_SUMMARY && !emu && strncmp(desc, "SUMMARY:", 8) != 0)
            snprintf(desc, desclen, "%s", l.text);
    }
    free(out);
    free(log);
}

/* Saves one input of an AFL++ folder as a finding. only_new: record it
 * only if it was not saved before (leftovers of an earlier run). */
static void save_finding(struct afl_state *s, const char *src, int hang,
                         int only_new)
{
    char hex[SHA1_HEX_LEN + 1], kind[16], desc[512];
    char *dst = NULL;
    int rc = fs_copy_unique(src, s->paths->findings,
                            hang ? "afl-hang-" : "afl-crash-", hex, &dst);

    if (rc < 0) {
        report_error(s->r, FW_EXIT_IO,
                     "cannot save %s in %s: %s (it stays "
                     "where it is)",
                     src, s->paths->findings, strerror(errno));
        return;
    }
    if ((rc == 0 && only_new) || findings_by_sha1(&s->r->findings, hex)) {
        free(dst);
        return;
    }
    if (hang) {
        snprintf(kind, sizeof(kind), "timeout");
        snprintf(desc, sizeof(desc),
                 "afl-fuzz: hang (ran past the exec timeout)");
    } else {
        describe_crash(s, src, dst, hex, kind, sizeof(kind), desc,
                       sizeof(desc));
    }
    findings_add(&s->r->findings, kind, dst, "afl", desc, hex);
    fw_msg("finding: %s: %s -> %s", kind, desc, dst);
    free(dst);
}

/* Lists dir into names; a folder that cannot be listed is an I/O error,
 * never an empty one (its inputs would go unreported). */
static int list_or_report(struct afl_state *s, const char *dir, int dirs,
                          const char *prefix, struct strvec *names)
{
    int rc =
        dirs ? fs_list_dirs(dir, names) : fs_list_files(dir, prefix, names);

    if (rc != 0)
        report_error(s->r, FW_EXIT_IO, "cannot list %s: %s", dir,
                     strerror(errno));
    return rc;
}

/* Saves the crashes and hangs of every instance folder of afl_out, and the
 * seeds afl-fuzz reported as crashing (it skips them). A folder that
 * cannot be listed is reported (r->io_error) and the others saved. */
static void harvest_findings(struct afl_state *s, int only_new)
{
    const char *afl_out = s->paths->afl_out;
    struct strvec dirs = {0};
    size_t i, j, k;

    list_or_report(s, afl_out, 1, "", &dirs);
    for (i = 0; i < dirs.n; i++) {
        static const char *const sub[] = {"crashes", "hangs"};

        for (k = 0; k < 2; k++) {
            char *inst = fs_join(afl_out, dirs.v[i]);
            char *dir = fs_join(inst, sub[k]);
            struct strvec names = {0};

            list_or_report(s, dir, 0, "id:", &names);
            for (j = 0; j < names.n; j++) {
                char *src = fs_join(dir, names.v[j]);
                save_finding(s, src, (int)k, only_new);
                free(src);
            }
            strvec_free(&names);
            free(dir);
            free(inst);
        }
    }
    strvec_free(&dirs);
    for (i = 0; i < s->n; i++) {
        struct afl_inst *in = &s->inst[i];
        struct strvec *lists[2];

        lists[0] = &in->seed_crashes;
        lists[1] = &in->seed_hangs;
        for (k = 0; k < 2; k++) {
            for (j = 0; j < lists[k]->n; j++) {
                char *q = fw_xasprintf("%s/%s/queue/%s", afl_out, in->name,
                                       lists[k]->v[j]);
                save_finding(s, q, (int)k, only_new);
                free(q);
            }
        }
    }
}

/* Merges the instance queues into the working corpus with libFuzzer's
 * merge (keeps only inputs that add coverage), or copies them when there is
 * no libFuzzer build. Returns 0 if the corpus now holds them. */
static int merge_queues(struct afl_state *s)
{
    const struct manifest_target *t = s->job->target;
    struct strvec dirs = {0}, argv = {0}, queues = {0};
    char *log = fs_join(s->paths->logs, "merge.log");
    char *control = fs_join(s->paths->logs, "merge-control.txt");
    unsigned long before = fs_count_files(s->paths->corpus);
    size_t i;
    int rc = 0, status = 0;

    if (list_or_report(s, s->paths->afl_out, 1, "", &dirs) != 0) {
        rc = -1;
        goto out;
    }
    for (i = 0; i < dirs.n; i++) {
        char *q = fw_xasprintf("%s/%s/queue", s->paths->afl_out, dirs.v[i]);
        if (fs_is_dir(q))
            strvec_push(&queues, q);
        free(q);
    }
    if (queues.n == 0)
        goto out;
    if (fs_is_executable(t->libfuzzer)) {
        strvec_push(&argv, t->libfuzzer);
        strvec_push(&argv, "-merge=1");
        strvec_pushf(&argv, "-merge_control_file=%s", control);
        /* an input that crashes the libFuzzer build is a finding too */
        strvec_pushf(&argv, "-artifact_prefix=%s/merge-", s->paths->findings);
        strvec_push(&argv, s->paths->corpus);
        strvec_extend(&argv, &queues);
        if (proc_run(argv.v, NULL, log, AFL_MERGE_TIMEOUT_S, NULL, 0,
                     &status) != 0 ||
            !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            char st[96];

            proc_status_text(status, st, sizeof(st));
            report_error(s->r, FW_EXIT_ENGINE,
                         "merging the AFL++ queues "
                         "into %s failed (%s); they stay in %s, see %s",
                         s->paths->corpus, st, s->paths->afl_out, log);
            rc = -1;
        }
        unlink(control);
        strvec_push(&s->r->logs, log);
    } else {
        for (i = 0; i < queues.n; i++) {
            struct strvec names = {0};
            size_t j;

            /* names stays empty when this fails */
            if (list_or_report(s, queues.v[i], 0, "id:", &names) != 0) {
                rc = -1;
                goto out;
            }
            for (j = 0; j < names.n; j++) {
                char *src = fs_join(queues.v[i], names.v[j]);
                char hex[SHA1_HEX_LEN + 1];

                if (fs_copy_unique(src, s->paths->corpus, "", hex, NULL) < 0)
                    rc = -1;
                free(src);
            }
            strvec_free(&names);
        }
        if (rc != 0)
            report_error(s->r, FW_EXIT_IO,
                         "cannot copy the AFL++ queues "
                         "into %s: %s",
                         s->paths->corpus, strerror(errno));
        else
            report_note(s->r, "no libFuzzer build: AFL++ queues copied into "
                              "the corpus without minimising");
    }
    if (rc == 0)
        fw_msg("corpus %s: %lu -> %lu inputs after merging %zu AFL++ "
               "queue%s",
               s->paths->corpus, before, fs_count_files(s->paths->corpus),
               queues.n, queues.n == 1 ? "" : "s");
out:
    strvec_free(&dirs);
    strvec_free(&argv);
    strvec_free(&queues);
    free(log);
    free(control);
    return rc;
}

/* afl-fuzz refuses an output folder with a long earlier session in it, so
 * each run starts without one. What an earlier run left (if fwfuzz was
 * killed) is saved first, and the folder is kept if that fails. */
/* The pid of an afl-fuzz still running in an instance folder, or 0. */
static long running_instance(const char *afl_out, const char *inst)
{
    char *path = fw_xasprintf("%s/%s/fuzzer_stats", afl_out, inst);
    char *text, *line, *cmd;
    size_t len;
    long pid = 0;

    if (fs_read_file(path, FS_MAX_READ, &text, &len) == 0) {
        line = strstr(text, "fuzzer_pid");
        if (line != NULL && (line = strchr(line, ':')) != NULL)
            pid = strtol(line + 1, NULL, 10);
        free(text);
    }
    free(path);
    if (pid <= 0 || (kill((pid_t)pid, 0) != 0 && errno != EPERM))
        return 0;
    /* a recycled pid is some other program */
    path = fw_xasprintf("/proc/%ld/cmdline", pid);
    if (fs_read_file(path, FS_MAX_READ, &cmd, &len) == 0) {
        if (len == 0 || strstr(fw_basename(cmd), "afl-fuzz") == NULL)
            pid = 0;
        free(cmd);
    }
    free(path);
    return pid;
}

static int take_over_old_output(struct afl_state *s)
{
    struct strvec dirs = {0};
    size_t i;
    long pid = 0;

    if (!fs_is_dir(s->paths->afl_out))
        return 0;
    /* unlisted, an instance still running could be missed */
    if (list_or_report(s, s->paths->afl_out, 1, "", &dirs) != 0)
        return -1;
    for (i = 0; i < dirs.n && pid == 0; i++)
        pid = running_instance(s->paths->afl_out, dirs.v[i]);
    strvec_free(&dirs);
    if (pid != 0) {
        report_error(s->r, FW_EXIT_IO,
                     "afl-fuzz (pid %ld) is still running "
                     "in %s; stop it or choose another --out",
                     pid, s->paths->afl_out);
        return -1;
    }
    fw_msg("saving what the previous AFL++ run left in %s", s->paths->afl_out);
    harvest_findings(s, 1);
    if (s->r->io_error || merge_queues(s) != 0)
        return -1;
    if (fs_remove_tree(s->paths->afl_out) != 0) {
        report_error(s->r, FW_EXIT_IO, "cannot remove %s: %s",
                     s->paths->afl_out, strerror(errno));
        return -1;
    }
    return 0;
}

/* --- running afl-fuzz ------------------------------------------------ */

/* A non-blocking, close-on-exec UDP socket on a free loopback port for
 * the instance's StatsD figures. Returns 0, 1 when there is no such socket
 * (afl-fuzz runs without StatsD), or -1 (reported) when the socket cannot
 * be set up: a blocking one would stall the supervision loop. */
static int open_statsd(struct afl_state *s, struct afl_inst *in)
{
    struct sockaddr_in a;
    socklen_t len = sizeof(a);
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    int fl, fd_fl;

    in->sock = -1;
    if (fd < 0)
        return 1;
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
        close(fd);
        return 1;
    }
    fl = fcntl(fd, F_GETFL);
    fd_fl = fcntl(fd, F_GETFD);
    if (fl < 0 || fd_fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) != 0 ||
        fcntl(fd, F_SETFD, fd_fl | FD_CLOEXEC) != 0) {
        report_error(s->r, FW_EXIT_IO, "cannot set up the StatsD socket: %s",
                     strerror(errno));
        close(fd);
        return -1;
    }
    in->sock = fd;
    in->port = ntohs(a.sin_port);
    return 0;
}

static void read_statsd(struct afl_inst *in)
{
    char buf[4096];
    ssize_t n;

    if (in->sock < 0)
        return;
    while ((n = recv(in->sock, buf, sizeof(buf) - 1, 0)) > 0) {
        struct afl_stats st = in->st;

        buf[n] = '\0';
        /* a late datagram must not take the figures backwards */
        if (afl_parse_statsd(buf, &st) > 0 &&
            st.execs_done >= in->st.execs_done)
            in->st = st;
    }
}

/* fuzzer_stats: the map size, and the final figures at the end. */
static void read_stats_file(struct afl_state *s, struct afl_inst *in, int final)
{
    char *path =
        fw_xasprintf("%s/%s/fuzzer_stats", s->paths->afl_out, in->name);
    struct afl_stats st = in->st;
    char *text;
    size_t len;

    if (fs_read_file(path, FS_MAX_READ, &text, &len) == 0) {
        if (afl_parse_stats_file(text, &st) > 0) {
            in->total_edges = st.total_edges;
            if (final || st.execs_done > in->st.execs_done)
                in->st = st;
        }
        free(text);
    }
    free(path);
}

struct line_ctx {
    struct afl_state *s;
    struct afl_inst *in;
};

static void on_line(const char *line, void *ctx)
{
    struct line_ctx *c = ctx;
    struct afl_inst *in = c->in;
    char text[512];

    switch (afl_parse_log_line(line, text, sizeof(text))) {
    case AFL_LOG_ABORT:
        if (in->abort_msg == NULL)
            in->abort_msg = fw_xstrdup(text);
        break;
    case AFL_LOG_OS_MESSAGE:
        if (in->os_msg == NULL)
            in->os_msg = fw_xstrdup(text);
        break;
    case AFL_LOG_SEED_CRASH:
        if (!strvec_contains(&in->seed_crashes, text)) {
            strvec_push(&in->seed_crashes, text);
            fw_msg("AFL++ %s: input %s crashes the target", in->name, text);
        }
        break;
    case AFL_LOG_SEED_HANG:
        if (!strvec_contains(&in->seed_hangs, text)) {
            strvec_push(&in->seed_hangs, text);
            fw_msg("AFL++ %s: input %s hangs the target", in->name, text);
        }
        break;
    default:
        /* the last words afl-fuzz said, for error messages */
        fw_strip_ansi(text, sizeof(in->last_line), line);
        if (text[0] != '\0')
            memcpy(in->last_line, text, strlen(text) + 1);
        break;
    }
}

static void pump_output(struct afl_state *s, struct afl_inst *in)
{
    struct line_ctx ctx = {s, in};

    proc_pump_lines(&in->proc, in->log, &in->lb, on_line, &ctx);
}

/* 1 if the user's engine flags hold the option flag ("-t", "-t500"). */
static int user_flag(const struct fuzz_job *job, const char *flag)
{
    size_t i;

    for (i = 0; i < job->n_engine_flags; i++)
        if (strncmp(job->engine_flags[i], flag, strlen(flag)) == 0)
            return 1;
    return 0;
}

static int start_instance(struct afl_state *s, struct afl_inst *in)
{
    struct strvec argv = {0}, env = {0};
    size_t i;
    int rc;

    strvec_push(&argv, s->afl_fuzz);
    strvec_push(&argv, "-i");
    strvec_push(&argv, s->paths->afl_in);
    strvec_push(&argv, "-o");
    strvec_push(&argv, s->paths->afl_out);
    strvec_pushf(&argv, "-V%lu", s->job->time_s);
    if (s->job->target->dict != NULL) {
        strvec_push(&argv, "-x");
        strvec_push(&argv, s->job->target->dict);
    }
    strvec_push(&argv, in == &s->inst[0] ? "-M" : "-S");
    strvec_push(&argv, in->name);
    /* Emulated builds end a guest hang themselves (the block budget), and
     * a valid input of a slow target can take seconds: afl-fuzz's timeout
     * (1 s by default, and fatal for a seed) is only a safety net there. */
    if (s->job->mode == FW_MODE_EMU && !user_flag(s->job, "-t")) {
        strvec_push(&argv, "-t");
        strvec_pushf(&argv, "%d+", ENGINE_LF_TIMEOUT_S * 1000);
    }
    for (i = 0; i < s->job->n_engine_flags; i++)
        strvec_push(&argv, s->job->engine_flags[i]);
    strvec_push(&argv, "--");
    strvec_push(&argv, s->job->target->afl);
    rc = open_statsd(s, in);
    if (rc < 0)
        goto out;
    if (rc == 0) {
        strvec_push(&env, "AFL_STATSD=1");
        strvec_push(&env, "AFL_STATSD_HOST=127.0.0.1");
        strvec_pushf(&env, "AFL_STATSD_PORT=%u", in->port);
    }
    if (in->log != NULL) {
        fprintf(in->log, "==fwfuzz== %s", env.n ? "" : "(no StatsD) ");
        for (i = 0; i < env.n; i++)
            fprintf(in->log, "%s ", env.v[i]);
        for (i = 0; i < argv.n; i++)
            fprintf(in->log, "%s%s", i ? " " : "", argv.v[i]);
        fputc('\n', in->log);
        fflush(in->log);
    }
    {
        struct proc_opts o = {(const char *const *)env.v, afl_env_default,
                              afl_env_unset};
        linebuf_init(&in->lb);
        rc = proc_spawn(&in->proc, argv.v, &o);
    }
    if (rc != 0)
        report_error(s->r, FW_EXIT_ENGINE, "cannot run %s: %s", s->afl_fuzz,
                     strerror(errno));
out:
    strvec_free(&argv);
    strvec_free(&env);
    return rc;
}

static void stop_all(struct afl_state *s, int sig)
{
    unsigned i;

    s->stopping = 1;
    for (i = 0; i < s->n; i++) {
        if (s->inst[i].proc.running) {
            s->inst[i].stop_sent = 1;
            proc_kill(&s->inst[i].proc, sig);
        }
    }
}

static const char *hint_for(const char *msg)
{
    if (strstr(msg, "core_pattern") != NULL)
        return " (AFL++ needs core dumps to go to a file: "
               "echo core >/proc/sys/kernel/core_pattern, or set "
               "AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1)";
    if (strstr(msg, "No instrumentation detected") != NULL ||
        strstr(msg, "instrumented") != NULL)
        return " (the _afl binary must be built with afl-clang-fast)";
    if (strstr(msg, "ASAN_OPTIONS") != NULL)
        return " (check ASAN_OPTIONS in your environment)";
    return "";
}

static void instance_exited(struct afl_state *s, struct afl_inst *in)
{
    char status[96];
    int st = in->proc.status;

    pump_output(s, in);
    proc_close(&in->proc);
    read_statsd(in);
    in->done = 1;
    if (in->stop_sent || s->stopping)
        return;
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
        return;
    proc_status_text(st, status, sizeof(status));
    if (in->abort_msg != NULL)
        report_error(s->r, FW_EXIT_ENGINE,
                     "afl-fuzz (%s) failed: %s%s%s%s; "
                     "see %s",
                     in->name, in->abort_msg, in->os_msg ? ": " : "",
                     in->os_msg ? in->os_msg : "", hint_for(in->abort_msg),
                     in->log_path);
    else
        report_error(s->r, FW_EXIT_ENGINE,
                     "afl-fuzz (%s) stopped with %s "
                     "(%s); see %s",
                     in->name, status, in->last_line, in->log_path);
    stop_all(s, SIGINT);
}

/* Crash and hang files the instances have written so far. If a folder
 * cannot be listed that is reported once and the last count stands: fewer
 * files would hide a finding from --keep-going's stop. */
static unsigned long count_found(struct afl_state *s)
{
    unsigned long n = 0;
    unsigned i;

    for (i = 0; i < s->n; i++) {
        static const char *const sub[] = {"crashes", "hangs"};
        size_t k;

        for (k = 0; k < 2; k++) {
            char *dir = fw_xasprintf("%s/%s/%s", s->paths->afl_out,
                                     s->inst[i].name, sub[k]);
            struct strvec names = {0};

            if (fs_list_files(dir, "id:", &names) != 0) {
                if (!s->count_failed)
                    report_error(s->r, FW_EXIT_IO, "cannot list %s: %s", dir,
                                 strerror(errno));
                s->count_failed = 1;
                free(dir);
                return s->seen_files;
            }
            n += (unsigned long)names.n;
            strvec_free(&names);
            free(dir);
        }
        n += (unsigned long)(s->inst[i].seed_crashes.n +
                             s->inst[i].seed_hangs.n);
    }
    return n;
}

static void figures(struct afl_state *s, struct progress_figures *f)
{
    double now = fw_now();
    unsigned long edges = 0, total = 0;
    unsigned i;

    memset(f, 0, sizeof(*f));
    for (i = 0; i < s->n; i++) {
        struct afl_inst *in = &s->inst[i];

        f->execs += in->st.execs_done;
        f->execs_per_sec += in->st.execs_per_sec;
        if (in->st.edges_found > edges)
            edges = in->st.edges_found;
        if (in->total_edges > total)
            total = in->total_edges;
        if (in->st.corpus_count > f->corpus)
            f->corpus = in->st.corpus_count;
    }
    f->elapsed = now - s->start;
    f->left = s->deadline - now;
    f->findings = s->seen_files;
    if (total > 0)
        snprintf(f->coverage, sizeof(f->coverage), "edges %lu/%lu %.1f%%",
                 edges, total, 100.0 * (double)edges / (double)total);
    else
        snprintf(f->coverage, sizeof(f->coverage), "edges %lu", edges);
}

static void run_loop(struct afl_state *s)
{
    struct progress prog;
    struct progress_figures f;
    int first_interrupts = proc_interrupts();
    int seen_interrupts = first_interrupts;
    double forced_at = 0, last_check = 0, last_file = 0;

    progress_start(&prog, s->job->tty, (double)s->job->status_interval,
                   s->job->target->name, engine_label(s->job));
    for (;;) {
        struct pollfd pfd[2 * AFL_MAX_INSTANCES];
        unsigned i, live = 0;
        double now;

        for (i = 0; i < s->n; i++) {
            pfd[2 * i].fd = s->inst[i].proc.fd;
            pfd[2 * i].events = POLLIN;
            pfd[2 * i + 1].fd = s->inst[i].sock;
            pfd[2 * i + 1].events = POLLIN;
        }
        poll(pfd, 2 * s->n, 200);
        for (i = 0; i < s->n; i++) {
            struct afl_inst *in = &s->inst[i];

            if (in->done)
                continue;
            pump_output(s, in);
            read_statsd(in);
            if (proc_reap(&in->proc))
                instance_exited(s, in);
            if (!in->done)
                live++;
        }
        if (live == 0)
            break;
        now = fw_now();
        if (now - last_check >= 1) {
            last_check = now;
            s->seen_files = count_found(s);
            /* StatsD brings figures every second; fuzzer_stats (rewritten
             * only every 60 s by afl-fuzz 4.04c) has the map size and is
             * the fallback without StatsD. */
            for (i = 0; i < s->n; i++)
                if (s->inst[i].total_edges == 0 || now - last_file >= 5)
                    read_stats_file(s, &s->inst[i], 0);
            if (now - last_file >= 5)
                last_file = now;
        }
        if (proc_interrupts() != seen_interrupts) {
            s->r->interrupted = 1;
            if (!s->stopping)
                fw_msg("interrupted: stopping afl-fuzz (again to kill)");
            stop_all(s, proc_interrupts() - first_interrupts == 1 ? SIGINT
                                                                  : SIGKILL);
            seen_interrupts = proc_interrupts();
        }
        if (!s->job->keep_going && s->seen_files > 0 && !s->stopping) {
            fw_msg("stopping at the first finding (--keep-going to go on)");
            stop_all(s, SIGINT);
        }
        if (forced_at == 0 && now > s->deadline + ENGINE_GRACE_S) {
            report_note(s->r, "afl-fuzz did not stop at the end of its time "
                              "budget; stopping it");
            stop_all(s, SIGINT);
            forced_at = now;
        } else if (forced_at > 0 && now > forced_at + 10) {
            stop_all(s, SIGKILL);
        }
        figures(s, &f);
        progress_update(&prog, &f, 0);
    }
    s->seen_files = count_found(s);
    figures(s, &f);
    progress_update(&prog, &f, 1);
    progress_stop(&prog);
}

static void final_figures(struct afl_state *s)
{
    struct fuzz_report *r = s->r;
    unsigned i;

    for (i = 0; i < s->n; i++) {
        struct afl_inst *in = &s->inst[i];

        read_stats_file(s, in, 1);
        r->execs += in->st.execs_done;
        if (in->st.edges_found > r->edges_found)
            r->edges_found = in->st.edges_found;
        if (in->total_edges > r->edges_total)
            r->edges_total = in->total_edges;
        if (in->st.bitmap_cvg > r->bitmap_cvg)
            r->bitmap_cvg = in->st.bitmap_cvg;
    }
}

void engine_afl_run(const struct fuzz_job *job, const struct job_paths *p,
                    struct fuzz_report *r)
{
    struct afl_state *s = fw_xmalloc(sizeof(*s));
    unsigned i;

    memset(s, 0, sizeof(*s));
    s->job = job;
    s->paths = p;
    s->r = r;
    s->n =
        job->jobs < AFL_MAX_INSTANCES ? (unsigned)job->jobs : AFL_MAX_INSTANCES;
    if (s->n == 0)
        s->n = 1;
    for (i = 0; i < s->n; i++) {
        struct afl_inst *in = &s->inst[i];

        in->sock = -1;
        in->proc.fd = -1;
        if (i == 0)
            snprintf(in->name, sizeof(in->name), "main");
        else
            snprintf(in->name, sizeof(in->name), "s%u", i);
    }
    s->afl_fuzz = fs_which("afl-fuzz");
    if (s->afl_fuzz == NULL) {
        report_error(r, FW_EXIT_CONFIG,
                     "afl-fuzz is not on PATH (Debian "
                     "package afl++)");
        goto out;
    }
    if (job->target->dict != NULL && access(job->target->dict, R_OK) != 0) {
        report_error(r, FW_EXIT_CONFIG, "dictionary %s: %s", job->target->dict,
                     strerror(errno));
        goto out;
    }
    if (take_over_old_output(s) != 0 || build_input_dir(s) != 0)
        goto out;
    if (fs_mkdirs(p->afl_out) != 0) {
        report_error(r, FW_EXIT_IO, "cannot create %s: %s", p->afl_out,
                     strerror(errno));
        goto out;
    }
    fw_msg("fuzzing %s%s with AFL++ for %lu s (%u instance%s); output in %s",
           job->target->name, job->mode == FW_MODE_EMU ? " (emulated)" : "",
           job->time_s, s->n, s->n > 1 ? "s" : "", job->out);
    s->start = fw_now();
    s->deadline = s->start + (double)job->time_s;
    for (i = 0; i < s->n; i++) {
        struct afl_inst *in = &s->inst[i];
        char name[64];

        snprintf(name, sizeof(name), "afl-%s.log", in->name);
        in->log_path = fs_join(p->logs, name);
        in->log = fopen(in->log_path, "w");
        if (in->log == NULL) {
            report_error(r, FW_EXIT_IO, "cannot write %s: %s", in->log_path,
                         strerror(errno));
            in->done = 1;
            break;
        }
        strvec_push(&r->logs, in->log_path);
        if (start_instance(s, in) != 0) {
            in->done = 1;
            break;
        }
    }
    if (r->error != NULL)
        stop_all(s, SIGINT);
    for (i = 0; i < s->n; i++)
        if (s->inst[i].log == NULL || s->inst[i].proc.pid == 0)
            s->inst[i].done = 1;
    run_loop(s);
    r->fuzz_seconds = fw_now() - s->start;
    final_figures(s);
    harvest_findings(s, 0);
    merge_queues(s);
out:
    for (i = 0; i < s->n; i++) {
        struct afl_inst *in = &s->inst[i];

        if (in->log != NULL)
            fclose(in->log);
        if (in->sock >= 0)
            close(in->sock);
        free(in->log_path);
        free(in->abort_msg);
        free(in->os_msg);
        strvec_free(&in->seed_crashes);
        strvec_free(&in->seed_hangs);
    }
    free(s->afl_fuzz);
    free(s);
}
