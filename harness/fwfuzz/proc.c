/* Child processes and fwfuzz's own signal handling. */
#define _POSIX_C_SOURCE 200809L
#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "guard.h"
#include "util.h"

static volatile sig_atomic_t interrupts;
static volatile sig_atomic_t last_signal;

static void on_signal(int sig)
{
    if (interrupts < 1000)
        interrupts++;
    last_signal = sig;
}

void proc_signals_install(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: poll() and waits return EINTR */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    /* a closed terminal or ssh session: stop as for ^C, with the summary */
    sigaction(SIGHUP, &sa, NULL);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);
}

int proc_interrupts(void)
{
    return (int)interrupts;
}

int proc_last_signal(void)
{
    return (int)last_signal;
}

static void set_cloexec(int fd)
{
    fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC);
}

static void set_env(const char *const *list, int only_if_unset)
{
    for (; list != NULL && *list != NULL; list++) {
        const char *eq = strchr(*list, '=');
        char name[128];
        size_t n;

        if (eq == NULL || (n = (size_t)(eq - *list)) >= sizeof(name))
            continue;
        memcpy(name, *list, n);
        name[n] = '\0';
        setenv(name, eq + 1, only_if_unset ? 0 : 1);
    }
}

/* In the child, between fork and exec; reports failures through errfd. */
static void child_exec(char *const argv[], const struct proc_opts *o, int outfd,
                       int errfd, pid_t parent)
{
    struct sigaction sa;
    const char *const *u;
    int devnull, err;

    setpgid(0, 0);
#ifdef __linux__
    /* The engines live in their own process group, so a terminal's ^C
     * reaches only fwfuzz. If fwfuzz itself is killed, they must not go on
     * fuzzing (afl-fuzz ignores the SIGPIPE that would stop it). */
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent)
        _exit(127);
#else
    (void)parent;
#endif
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = SIG_DFL;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGPIPE, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) {
        dup2(devnull, STDIN_FILENO);
        close(devnull);
    }
    dup2(outfd, STDOUT_FILENO);
    dup2(outfd, STDERR_FILENO);
    close(outfd);
    if (o != NULL) {
        for (u = o->env_unset; u != NULL && *u != NULL; u++)
            unsetenv(*u);
        set_env(o->env_default, 1);
        set_env(o->env_set, 0);
    }
    execvp(argv[0], argv);
    err = errno;
    if (write(errfd, &err, sizeof(err)) < 0)
        _exit(127);
    _exit(127);
}

int proc_spawn(struct proc *p, char *const argv[], const struct proc_opts *o)
{
    int out[2], ep[2], err = 0;
    pid_t parent = getpid();
    ssize_t n;

    memset(p, 0, sizeof(*p));
    p->fd = -1;
    if (pipe(out) != 0)
        return -1;
    if (pipe(ep) != 0) {
        close(out[0]);
        close(out[1]);
        return -1;
    }
    set_cloexec(out[0]);
    set_cloexec(ep[0]);
    set_cloexec(ep[1]);
    fflush(NULL);
    p->pid = fork();
    if (p->pid < 0) {
        err = errno;
        close(out[0]);
        close(out[1]);
        close(ep[0]);
        close(ep[1]);
        errno = err;
        return -1;
    }
    if (p->pid == 0) {
        close(out[0]);
        close(ep[0]);
        child_exec(argv, o, out[1], ep[1], parent);
    }
    setpgid(p->pid, p->pid); /* also in the parent: no race with kill() */
    close(out[1]);
    close(ep[1]);
    do
        n = read(ep[0], &err, sizeof(err));
    while (n < 0 && errno == EINTR);
    close(ep[0]);
    if (n == (ssize_t)sizeof(err)) {
        /* exec failed: reap the child, report its errno */
        while (waitpid(p->pid, NULL, 0) < 0 && errno == EINTR)
            ;
        close(out[0]);
        p->pid = 0;
        errno = err;
        return -1;
    }
    guard_add(p->pid);
    fcntl(out[0], F_SETFL, fcntl(out[0], F_GETFL) | O_NONBLOCK);
    p->fd = out[0];
    p->running = 1;
    return 0;
}

ssize_t proc_read(struct proc *p, char *buf, size_t n)
{
    ssize_t r;

    if (p->fd < 0)
        return 0;
    r = read(p->fd, buf, n);
    if (r > 0)
        return r;
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return -1;
    proc_close(p);
    return 0;
}

void proc_pump_lines(struct proc *p, FILE *log, struct linebuf *lb,
                     linebuf_line_fn *fn, void *ctx)
{
    char buf[16384];
    ssize_t n;

    while ((n = proc_read(p, buf, sizeof(buf))) > 0) {
        if (log != NULL)
            fwrite(buf, 1, (size_t)n, log);
        linebuf_feed(lb, buf, (size_t)n, fn, ctx);
    }
    if (p->fd < 0)
        linebuf_flush(lb, fn, ctx);
}

int proc_reap(struct proc *p)
{
    pid_t r;

    if (!p->running)
        return 1;
    r = waitpid(p->pid, &p->status, WNOHANG);
    if (r == p->pid || (r < 0 && errno == ECHILD)) {
        p->running = 0;
        /* what the child left running in its group (a shell-started
         * helper) goes with it */
        kill(-p->pid, SIGKILL);
        guard_remove(p->pid);
        return 1;
    }
    return 0;
}

void proc_kill(struct proc *p, int sig)
{
    if (!p->running || p->pid <= 0)
        return;
    if (kill(-p->pid, sig) != 0)
        kill(p->pid, sig);
}

void proc_close(struct proc *p)
{
    if (p->fd >= 0)
        close(p->fd);
    p->fd = -1;
}

void proc_status_text(int status, char *buf, size_t n)
{
    if (WIFEXITED(status))
        snprintf(buf, n, "exit status %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        snprintf(buf, n, "killed by signal %d (%s)", WTERMSIG(status),
                 strsignal(WTERMSIG(status)));
    else
        snprintf(buf, n, "wait status 0x%x", (unsigned)status);
}

int proc_run(char *const argv[], const struct proc_opts *o,
             const char *log_path, double timeout_s, char **out, size_t out_max,
             int *status)
{
    struct proc p;
    FILE *log = NULL;
    char buf[8192];
    size_t out_len = 0;
    double start = fw_now(), killed_at = 0, reaped_at = 0;
    int seen_interrupts = proc_interrupts();

    if (out != NULL) {
        *out = fw_xmalloc(out_max + 1);
        (*out)[0] = '\0';
    }
    if (proc_spawn(&p, argv, o) != 0) {
        if (out != NULL) {
            free(*out);
            *out = NULL;
        }
        return -1;
    }
    if (log_path != NULL)
        log = fopen(log_path, "a");
    for (;;) {
        /* poll() skips a negative fd and just waits: once the output is
         * closed, only the exit is awaited, in short steps (replays run
         * one after another: 200 ms each would dominate a triage) */
        struct pollfd pfd = {p.fd, POLLIN, 0};
        ssize_t r;
        double now;

        poll(&pfd, 1, p.fd >= 0 ? 200 : 5);
        while ((r = proc_read(&p, buf, sizeof(buf))) > 0) {
            size_t take = (size_t)r;

            if (log != NULL)
                fwrite(buf, 1, (size_t)r, log);
            if (out != NULL && out_len < out_max) {
                if (take > out_max - out_len)
                    take = out_max - out_len;
                memcpy(*out + out_len, buf, take);
                out_len += take;
                (*out)[out_len] = '\0';
            }
        }
        now = fw_now();
        if (proc_reap(&p)) {
            /* a helper it left behind may hold the pipe: do not wait long */
            if (p.fd < 0)
                break;
            if (reaped_at == 0)
                reaped_at = now;
            else if (now - reaped_at > 2)
                break;
            continue;
        }
        if (killed_at == 0 && ((timeout_s > 0 && now - start > timeout_s) ||
                               proc_interrupts() != seen_interrupts)) {
            proc_kill(&p, SIGTERM);
            killed_at = now;
        } else if (killed_at > 0 && now - killed_at > 5) {
            proc_kill(&p, SIGKILL);
        }
    }
    proc_close(&p);
    if (log != NULL)
        fclose(log);
    *status = p.status;
    return 0;
}
