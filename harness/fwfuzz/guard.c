/* The guard process (see guard.h). fwfuzz writes "+PGID\n" and "-PGID\n"
 * to a pipe; the guard keeps the list and acts on end of file, which the
 * kernel delivers however fwfuzz ends. */
#define _POSIX_C_SOURCE 200809L
#include "guard.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define GUARD_MAX_GROUPS 256
#define GUARD_MAX_PROCS  4096

static int guard_fd = -1; /* write end; -1 before the start or on failure */
static int guard_failed;

struct guard_proc {
    pid_t pid, ppid, pgrp, sid;
};

/* Reads pid, ppid, process group and session of every process. */
static size_t scan_procs(struct guard_proc *v, size_t max)
{
    DIR *d = opendir("/proc");
    struct dirent *e;
    size_t n = 0;

    if (d == NULL)
        return 0;
    while (n < max && (e = readdir(d)) != NULL) {
        char path[64], buf[512], *p;
        int fd, pid, ppid, pgrp, sid;
        ssize_t r;

        if (e->d_name[0] < '1' || e->d_name[0] > '9')
            continue;
        snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
        fd = open(path, O_RDONLY);
        if (fd < 0)
            continue;
        r = read(fd, buf, sizeof(buf) - 1);
        close(fd);
        if (r <= 0)
            continue;
        buf[r] = '\0';
        /* "pid (comm) state ppid pgrp session ...": comm may hold spaces
         * and parentheses, so parse from the last ')' */
        p = strrchr(buf, ')');
        if (p == NULL || sscanf(buf, "%d", &pid) != 1 ||
            sscanf(p + 1, " %*c %d %d %d", &ppid, &pgrp, &sid) != 3)
            continue;
        v[n].pid = pid;
        v[n].ppid = ppid;
        v[n].pgrp = pgrp;
        v[n].sid = sid;
        n++;
    }
    closedir(d);
    return n;
}

static int listed(const pid_t *v, size_t n, pid_t x)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (v[i] == x)
            return 1;
    return 0;
}

/* Kills the listed groups and everything that descends from them: by
 * parent, and by session for members that lead one. Returns how many
 * processes it signalled. */
static size_t kill_all(const pid_t *groups, size_t ng)
{
    static struct guard_proc procs[GUARD_MAX_PROCS];
    static pid_t doomed[GUARD_MAX_PROCS];
    size_t np = scan_procs(procs, GUARD_MAX_PROCS), nd = 0, i, before;
    pid_t self = getpid();

    for (i = 0; i < np; i++)
        if (listed(groups, ng, procs[i].pgrp))
            doomed[nd++] = procs[i].pid;
    do {
        before = nd;
        for (i = 0; i < np && nd < GUARD_MAX_PROCS; i++) {
            if (listed(doomed, nd, procs[i].pid))
                continue;
            if (listed(doomed, nd, procs[i].ppid) ||
                listed(doomed, nd, procs[i].sid))
                doomed[nd++] = procs[i].pid;
        }
    } while (nd != before);
    for (i = 0; i < ng; i++)
        kill(-groups[i], SIGKILL);
    for (i = 0; i < nd; i++)
        if (doomed[i] != self && doomed[i] > 1)
            kill(doomed[i], SIGKILL);
    return nd;
}

static void guard_main(int fd)
{
    static pid_t groups[GUARD_MAX_GROUPS];
    size_t ng = 0, i;
    char buf[4096], line[32];
    size_t ll = 0;
    ssize_t r;
    int round;

    for (;;) {
        r = read(fd, buf, sizeof(buf));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        for (i = 0; i < (size_t)r; i++) {
            long v;

            if (buf[i] != '\n') {
                if (ll < sizeof(line) - 1)
                    line[ll++] = buf[i];
                continue;
            }
            line[ll] = '\0';
            ll = 0;
            v = strtol(line + 1, NULL, 10);
            if (v <= 1)
                continue;
            if (line[0] == '+' && ng < GUARD_MAX_GROUPS) {
                groups[ng++] = (pid_t)v;
            } else if (line[0] == '-') {
                size_t k;

                for (k = 0; k < ng; k++)
                    if (groups[k] == (pid_t)v) {
                        groups[k] = groups[--ng];
                        break;
                    }
            }
        }
    }
    if (ng == 0)
        _exit(0);
    /* Again after a pause: a process forked while the first round ran
     * is caught by the next. */
    for (round = 0; round < 3; round++) {
        struct timespec ts = {0, 50 * 1000 * 1000};

        if (kill_all(groups, ng) == 0 && round > 0)
            break;
        nanosleep(&ts, NULL);
    }
    _exit(0);
}

static void guard_start(void)
{
    int p[2], devnull;
    long fd, maxfd;
    pid_t pid;

    if (pipe(p) != 0) {
        guard_failed = 1;
        return;
    }
    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        close(p[0]);
        close(p[1]);
        guard_failed = 1;
        return;
    }
    if (pid == 0) {
        struct sigaction sa;

        /* Its own group, deaf to ^C and SIGTERM: it ends when fwfuzz does,
         * and holds none of fwfuzz's files (the campaign lock, output
         * pipes). */
        setpgid(0, 0);
        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = SIG_IGN;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        sigaction(SIGHUP, &sa, NULL);
        sigaction(SIGPIPE, &sa, NULL);
        devnull = open("/dev/null", O_RDWR);
        maxfd = sysconf(_SC_OPEN_MAX);
        if (maxfd < 0 || maxfd > 65536)
            maxfd = 65536;
        for (fd = 0; fd < maxfd; fd++)
            if (fd != p[0] && fd != devnull)
                close((int)fd);
        if (devnull >= 0) {
            dup2(devnull, 0);
            dup2(devnull, 1);
            dup2(devnull, 2);
        }
        guard_main(p[0]);
    }
    close(p[0]);
    /* Children exec'd later must not hold the write end, or the guard
     * would never see the end of file. */
    fcntl(p[1], F_SETFD, FD_CLOEXEC);
    guard_fd = p[1];
}

static void guard_send(char sign, pid_t pgid)
{
    char line[32];
    int n;

    if (guard_fd < 0)
        return;
    n = snprintf(line, sizeof(line), "%c%ld\n", sign, (long)pgid);
    if (write(guard_fd, line, (size_t)n) != n) {
        close(guard_fd);
        guard_fd = -1;
        guard_failed = 1;
    }
}

void guard_add(pid_t pgid)
{
    if (guard_fd < 0 && !guard_failed)
        guard_start();
    guard_send('+', pgid);
}

void guard_remove(pid_t pgid)
{
    guard_send('-', pgid);
}
