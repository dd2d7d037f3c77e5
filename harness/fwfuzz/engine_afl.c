/* The AFL++ driver: runs one main and N-1 secondary afl-fuzz instances
 * and follows them through StatsD until they stop. The steps before and
 * after (afl_input.c, afl_resume.c, afl_findings.c, afl_merge.c) share its
 * state through engine_afl.h. */
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
#include <sys/wait.h>
#include <unistd.h>

#include "engine_afl.h"
#include "exitcode.h"
#include "fsutil.h"
#include "progress.h"
#include "util.h"

static const char *const afl_env_default[] = {
    "AFL_NO_UI=1", "AFL_SKIP_CPUFREQ=1",
    "AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1", "AFL_NO_AFFINITY=1", NULL};
static const char *const afl_env_unset[] = {"AFL_STATSD_TAGS_FLAVOR", NULL};

int afl_list_or_report(struct afl_state *s, const char *dir, int dirs,
                       const char *prefix, struct strvec *names)
{
    int rc =
        dirs ? fs_list_dirs(dir, names) : fs_list_files(dir, prefix, names);

    if (rc != 0)
        report_error(s->r, FW_EXIT_IO, "cannot list %s: %s", dir,
                     strerror(errno));
    return rc;
}

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
    if (!user_flag(s->job, "-t")) {
        strvec_push(&argv, "-t");
        if (s->job->mode == FW_MODE_EMU)
            strvec_pushf(&argv, "%d+", ENGINE_LF_TIMEOUT_S * 1000);
        else
            strvec_push(&argv, ENGINE_AFL_NATIVE_TIMEOUT);
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
    if (in->log != NULL)
        fprintf(in->log, "==fwfuzz== %s", rc == 0 ? "" : "(no StatsD) ");
    engine_job_env(s->job, &env);
    if (in->log != NULL) {
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
    if (afl_take_over_old_output(s) != 0 || afl_build_input_dir(s) != 0)
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
    afl_harvest_findings(s, 0);
    afl_merge_queues(s);
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
