// The only code that runs between fork and exec. Everything the child needs (argv, envp, paths) is prepared by the
// caller before fork; after fork the child makes async-signal-safe calls only, then execs or _exits.
#if defined(__linux__)
#define _GNU_SOURCE
#endif

#include "CPty.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <time.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#if defined(__linux__)
#include <sys/syscall.h>
#endif

#if defined(__linux__)
#define CPTY_OPEN_CLOEXEC O_CLOEXEC
#else
#define CPTY_OPEN_CLOEXEC 0
#endif

/// The highest descriptor number the fallback loop visits (computed before fork; getrlimit is not listed as
/// async-signal-safe).
static int highest_descriptor(void) {
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < 65536) {
        return (int)limit.rlim_cur;
    }
    return 65536;
}

/// Marks every descriptor from `first` on close-on-exec, except `keep` (or -1). Async-signal-safe.
static void mark_close_on_exec(int first, int keep, int highest) {
#if defined(__linux__) && defined(SYS_close_range)
    const unsigned int cloexec = 1U << 2; // CLOSE_RANGE_CLOEXEC (Linux 5.11)
    int done;
    if (keep >= first) {
        done = (keep == first || syscall(SYS_close_range, (unsigned)first, (unsigned)(keep - 1), cloexec) == 0) &&
               syscall(SYS_close_range, (unsigned)(keep + 1), ~0U, cloexec) == 0;
    } else {
        done = syscall(SYS_close_range, (unsigned)first, ~0U, cloexec) == 0;
    }
    if (done) return;
#endif
    for (int fd = first; fd < highest; fd++) {
        if (fd != keep) (void)fcntl(fd, F_SETFD, FD_CLOEXEC);
    }
}

/// Default disposition for every signal and an empty mask: a daemon that ignores SIGPIPE must not pass that on.
static void reset_signals(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = SIG_DFL;
    sigemptyset(&action.sa_mask);
    for (int signal_number = 1; signal_number < NSIG; signal_number++) {
        if (signal_number == SIGKILL || signal_number == SIGSTOP) continue;
        if (sigaction(signal_number, &action, NULL) != 0) {
#if defined(__linux__)
            // glibc refuses its internal real-time signals (32, 33), but an ignored one is still inherited across
            // exec: reset it with the raw system call. All-zero is SIG_DFL, no flags, empty mask in every layout.
            unsigned long kernel_action[4] = {0, 0, 0, 0};
            (void)syscall(SYS_rt_sigaction, signal_number, kernel_action, NULL, (size_t)8);
#endif
        }
    }
    sigset_t empty;
    sigemptyset(&empty);
    (void)sigprocmask(SIG_SETMASK, &empty, NULL);
}

/// Moves `fd` to a close-on-exec descriptor numbered at least `minimum`, closing the original.
static int move_high(int fd, int minimum) {
    if (fd < 0) return fd;
    int moved = fcntl(fd, F_DUPFD_CLOEXEC, minimum);
    int saved = errno;
    close(fd);
    errno = saved;
    return moved;
}

static int close_on_exec_pipe(int descriptors[2]) {
    if (pipe(descriptors) != 0) return -1;
    descriptors[0] = move_high(descriptors[0], 10);
    descriptors[1] = move_high(descriptors[1], 10);
    if (descriptors[0] < 0 || descriptors[1] < 0) {
        int saved = errno;
        if (descriptors[0] >= 0) close(descriptors[0]);
        if (descriptors[1] >= 0) close(descriptors[1]);
        errno = saved;
        return -1;
    }
    return 0;
}

static ssize_t read_fully(int fd, void *buffer, size_t length) {
    size_t done = 0;
    while (done < length) {
        ssize_t count = read(fd, (char *)buffer + done, length - done);
        if (count < 0 && errno == EINTR) continue;
        if (count <= 0) break;
        done += (size_t)count;
    }
    return (ssize_t)done;
}

static void write_fully(int fd, const void *buffer, size_t length) {
    size_t done = 0;
    while (done < length) {
        ssize_t count = write(fd, (const char *)buffer + done, length - done);
        if (count < 0 && errno == EINTR) continue;
        if (count <= 0) return;
        done += (size_t)count;
    }
}

static void child_fail(int report_fd, int stage) {
    cpty_result result = {stage, errno};
    write_fully(report_fd, &result, sizeof result);
    _exit(127);
}

static cpty_result failure(int stage) {
    cpty_result result = {stage, errno};
    return result;
}

cpty_result cpty_spawn(const char *path, char *const argv[], char *const envp[], const char *cwd, unsigned short cols,
                       unsigned short rows, int *master_out, pid_t *pid_out) {
    int master = move_high(posix_openpt(O_RDWR | O_NOCTTY | CPTY_OPEN_CLOEXEC), 3);
    if (master < 0) return failure(CPTY_STAGE_OPENPTY);
    char slave_name[128];
    if (grantpt(master) != 0 || unlockpt(master) != 0 || ptsname_r(master, slave_name, sizeof slave_name) != 0) {
        cpty_result result = failure(CPTY_STAGE_OPENPTY);
        close(master);
        return result;
    }
    int slave = move_high(open(slave_name, O_RDWR | O_NOCTTY | CPTY_OPEN_CLOEXEC), 3);
    if (slave < 0) {
        cpty_result result = failure(CPTY_STAGE_OPENPTY);
        close(master);
        return result;
    }
    struct winsize size = {.ws_row = rows, .ws_col = cols, .ws_xpixel = 0, .ws_ypixel = 0};
    (void)ioctl(master, TIOCSWINSZ, &size);

    int report[2];
    if (close_on_exec_pipe(report) != 0) {
        cpty_result result = failure(CPTY_STAGE_PIPE);
        close(slave);
        close(master);
        return result;
    }
    int highest = highest_descriptor();

    pid_t pid = fork();
    if (pid < 0) {
        cpty_result result = failure(CPTY_STAGE_FORK);
        close(report[0]);
        close(report[1]);
        close(slave);
        close(master);
        return result;
    }
    if (pid == 0) {
        // Child: async-signal-safe calls only.
        if (setsid() < 0) child_fail(report[1], CPTY_STAGE_SETSID);
        if (ioctl(slave, TIOCSCTTY, 0) != 0) child_fail(report[1], CPTY_STAGE_CONTROLLING_TTY);
        if (dup2(slave, 0) < 0 || dup2(slave, 1) < 0 || dup2(slave, 2) < 0) child_fail(report[1], CPTY_STAGE_STDIO);
        reset_signals();
        mark_close_on_exec(3, -1, highest);
        if (cwd != NULL && chdir(cwd) != 0) child_fail(report[1], CPTY_STAGE_CHDIR);
        execve(path, argv, envp);
        child_fail(report[1], CPTY_STAGE_EXEC);
    }

    close(slave);
    close(report[1]);
    cpty_result result = {CPTY_STAGE_NONE, 0};
    ssize_t count = read_fully(report[0], &result, sizeof result);
    close(report[0]);
    if (count == (ssize_t)sizeof result) {
        int status;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
        close(master);
        return result;
    }
    result.stage = CPTY_STAGE_NONE;
    result.error = 0;
    *master_out = master;
    *pid_out = pid;
    return result;
}

/// One report on the detached spawn's pipe: the grandchild's pid from the intermediate child, or a failure.
typedef struct {
    int is_failure;
    cpty_result result;
    pid_t pid;
} detached_report;

static void detached_fail(int report_fd, int stage) {
    detached_report report = {1, {stage, errno}, 0};
    write_fully(report_fd, &report, sizeof report);
    _exit(127);
}

cpty_result cpty_spawn_detached(const char *path, char *const argv[], char *const envp[], const char *log_path, int pass_fd,
                                int pass_target, pid_t *pid_out) {
    int report[2];
    if (close_on_exec_pipe(report) != 0) return failure(CPTY_STAGE_PIPE);
    int highest = highest_descriptor();

    pid_t intermediate = fork();
    if (intermediate < 0) {
        cpty_result result = failure(CPTY_STAGE_FORK);
        close(report[0]);
        close(report[1]);
        return result;
    }
    if (intermediate == 0) {
        // Intermediate child: fork the real process, report its pid, exit so init adopts it.
        close(report[0]);
        pid_t detached = fork();
        if (detached < 0) detached_fail(report[1], CPTY_STAGE_FORK);
        if (detached > 0) {
            detached_report message = {0, {CPTY_STAGE_NONE, 0}, detached};
            write_fully(report[1], &message, sizeof message);
            _exit(0);
        }
        // Grandchild: async-signal-safe calls only. Its own session and process group, no controlling terminal.
        if (setsid() < 0) detached_fail(report[1], CPTY_STAGE_SETSID);
        int passed = pass_fd >= 0 ? fcntl(pass_fd, F_DUPFD, 20) : -1;
        if (pass_fd >= 0 && passed < 0) detached_fail(report[1], CPTY_STAGE_STDIO);
        int null_fd = open("/dev/null", O_RDWR);
        if (null_fd < 0) detached_fail(report[1], CPTY_STAGE_STDIO);
        int log_fd = log_path != NULL ? open(log_path, O_WRONLY | O_CREAT | O_APPEND, 0600) : null_fd;
        if (log_fd < 0) log_fd = null_fd;
        if (dup2(null_fd, 0) < 0 || dup2(null_fd, 1) < 0 || dup2(log_fd, 2) < 0) detached_fail(report[1], CPTY_STAGE_STDIO);
        if (passed >= 0 && dup2(passed, pass_target) < 0) detached_fail(report[1], CPTY_STAGE_STDIO);
        reset_signals();
        mark_close_on_exec(3, passed >= 0 ? pass_target : -1, highest);
        if (chdir("/") != 0) detached_fail(report[1], CPTY_STAGE_CHDIR);
        execve(path, argv, envp);
        detached_fail(report[1], CPTY_STAGE_EXEC);
    }

    close(report[1]);
    int status;
    while (waitpid(intermediate, &status, 0) < 0 && errno == EINTR) {}
    detached_report message;
    pid_t detached = 0;
    cpty_result result = {CPTY_STAGE_FORK, ECHILD};
    while (read_fully(report[0], &message, sizeof message) == (ssize_t)sizeof message) {
        if (message.is_failure) {
            result = message.result;
            detached = 0;
            break;
        }
        detached = message.pid;
        result.stage = CPTY_STAGE_NONE;
        result.error = 0;
    }
    close(report[0]);
    if (result.stage == CPTY_STAGE_NONE) *pid_out = detached;
    return result;
}

int cpty_set_winsize(int fd, unsigned short cols, unsigned short rows) {
    struct winsize size = {.ws_row = rows, .ws_col = cols, .ws_xpixel = 0, .ws_ypixel = 0};
    return ioctl(fd, TIOCSWINSZ, &size) == 0 ? 0 : errno;
}

int cpty_get_winsize(int fd, unsigned short *cols, unsigned short *rows) {
    struct winsize size;
    if (ioctl(fd, TIOCGWINSZ, &size) != 0) return errno;
    *cols = size.ws_col;
    *rows = size.ws_row;
    return 0;
}

/// Whether `pid` has terminated: gone (ESRCH) or a zombie waiting for a parent that may never reap it (a detached
/// process is reparented to init, and the init of a container often does not reap).
static int exited_now(pid_t pid) {
    if (kill(pid, 0) != 0 && errno == ESRCH) return 1;
#if defined(__linux__)
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    int fd = open(path, O_RDONLY | CPTY_OPEN_CLOEXEC);
    if (fd < 0) return errno == ENOENT ? 1 : 0;
    char buffer[512];
    ssize_t count = read(fd, buffer, sizeof buffer - 1);
    close(fd);
    if (count <= 0) return 0;
    buffer[count] = 0;
    const char *close_paren = strrchr(buffer, ')');
    return close_paren != NULL && close_paren[1] == ' ' && (close_paren[2] == 'Z' || close_paren[2] == 'X');
#else
    return 0;
#endif
}

int cpty_await_exit(pid_t pid, int timeout_ms) {
    if (pid <= 0) return -EINVAL;
    if (exited_now(pid)) return 1;
#if defined(__linux__) && defined(SYS_pidfd_open)
    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (pidfd >= 0) {
        struct pollfd entry = {.fd = pidfd, .events = POLLIN, .revents = 0};
        int ready;
        do {
            ready = poll(&entry, 1, timeout_ms);
        } while (ready < 0 && errno == EINTR);
        close(pidfd);
        if (ready < 0) return -errno;
        return ready > 0 ? 1 : 0;
    }
    if (errno == ESRCH) return 1;
#endif
    // No pidfd (an old kernel): look again every 10 ms until the deadline.
    struct timespec step = {.tv_sec = 0, .tv_nsec = 10 * 1000 * 1000};
    for (int waited = 0; waited < timeout_ms; waited += 10) {
        nanosleep(&step, NULL);
        if (exited_now(pid)) return 1;
    }
    return 0;
}

#if defined(__linux__)
#include <dirent.h>
#include <sys/prctl.h>
#endif

int cpty_become_subreaper(void) {
#if defined(__linux__)
    return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0 ? 0 : errno;
#else
    return ENOSYS;
#endif
}

pid_t cpty_wait_exited_child(void) {
    siginfo_t info;
    for (;;) {
        memset(&info, 0, sizeof info);
        if (waitid(P_ALL, 0, &info, WEXITED | WNOWAIT) == 0) return info.si_pid;
        if (errno != EINTR) return -errno;
    }
}

#if defined(__linux__)
/// One process seen in /proc: its parent, state letter and start time (clock ticks after boot).
typedef struct {
    pid_t pid;
    pid_t parent;
    char state;
    unsigned long long start;
} proc_entry;

/// Reads `pid`'s parent, state and start time from /proc/<pid>/stat (fields 4, 3 and 22; the command name in
/// field 2 may hold spaces and parentheses, so the fields are counted from the last ')'). Returns 0 or -1.
static int read_proc_stat(pid_t pid, proc_entry *entry) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    int fd = open(path, O_RDONLY | CPTY_OPEN_CLOEXEC);
    if (fd < 0) return -1;
    char buffer[1024];
    ssize_t count = read(fd, buffer, sizeof buffer - 1);
    close(fd);
    if (count <= 0) return -1;
    buffer[count] = 0;
    char *cursor = strrchr(buffer, ')');
    if (cursor == NULL || cursor[1] != ' ') return -1;
    cursor += 2;
    entry->pid = pid;
    entry->state = *cursor;
    for (int field = 3; field < 22; field++) {
        char *next = strchr(cursor, ' ');
        if (next == NULL) return -1;
        cursor = next + 1;
        if (field == 3) entry->parent = (pid_t)strtol(cursor, NULL, 10);
    }
    entry->start = strtoull(cursor, NULL, 10);
    return 0;
}

static int compare_pids(const void *left, const void *right) {
    pid_t a = ((const proc_entry *)left)->pid, b = ((const proc_entry *)right)->pid;
    return (a > b) - (a < b);
}

/// The index of `pid` in `entries` (sorted by pid), or -1.
static long find_pid(const proc_entry *entries, long count, pid_t pid) {
    long low = 0, high = count - 1;
    while (low <= high) {
        long middle = low + (high - low) / 2;
        if (entries[middle].pid == pid) return middle;
        if (entries[middle].pid < pid) low = middle + 1;
        else high = middle - 1;
    }
    return -1;
}

/// Every process in /proc, into `*entries` (malloc'd); returns the count or -1.
static long scan_processes(proc_entry **entries) {
    DIR *directory = opendir("/proc");
    if (directory == NULL) return -1;
    long count = 0, capacity = 256;
    proc_entry *list = malloc(sizeof *list * capacity);
    struct dirent *item;
    while (list != NULL && (item = readdir(directory)) != NULL) {
        char *end;
        long pid = strtol(item->d_name, &end, 10);
        if (*end != 0 || pid <= 0) continue;
        if (count == capacity) {
            capacity *= 2;
            proc_entry *grown = realloc(list, sizeof *list * capacity);
            if (grown == NULL) break;
            list = grown;
        }
        if (read_proc_stat((pid_t)pid, &list[count]) == 0) count++;
    }
    closedir(directory);
    if (list == NULL) return -1;
    *entries = list;
    return count;
}
#endif

int cpty_signal_descendants(pid_t root, int sig, int timeout_ms) {
#if defined(__linux__)
    proc_entry *entries = NULL;
    long count = scan_processes(&entries);
    if (count < 0) return -EIO;
    char *marked = calloc((size_t)count + 1, 1);
    struct pollfd *waits = calloc((size_t)count + 1, sizeof *waits);
    long *path = calloc((size_t)count + 1, sizeof *path);
    if (marked == NULL || waits == NULL || path == NULL) {
        free(entries);
        free(marked);
        free(waits);
        free(path);
        return -ENOMEM;
    }
    // Mark the descendants: walk up from each process (entries sorted by pid, parents found by binary search),
    // remembering the answer for every process passed on the way.
    qsort(entries, (size_t)count, sizeof *entries, compare_pids);
    for (long index = 0; index < count; index++) {
        long path_length = 0;
        long current = index;
        char verdict = 2;  // 1: descends from root, 2: does not
        while (current >= 0 && marked[current] == 0 && path_length <= count) {
            if (entries[current].pid == root) break;
            path[path_length++] = current;
            if (entries[current].parent == root) {
                verdict = 1;
                current = -1;
                break;
            }
            current = find_pid(entries, count, entries[current].parent);
        }
        if (current >= 0 && marked[current] != 0) verdict = marked[current];
        for (long step = 0; step < path_length; step++) marked[path[step]] = verdict;
    }
    for (long index = 0; index < count; index++) marked[index] = marked[index] == 1;
    int signalled = 0;
    for (long index = 0; index < count; index++) {
        proc_entry *entry = &entries[index];
        if (!marked[index] || entry->state == 'Z' || entry->state == 'X') continue;
        // A pidfd pins the process; the start time read after opening it proves it is the one scanned, so a
        // recycled pid is never signalled.
        int pidfd = -1;
#if defined(SYS_pidfd_open)
        pidfd = (int)syscall(SYS_pidfd_open, entry->pid, 0);
        if (pidfd < 0 && errno != ENOSYS) continue;
#endif
        proc_entry now;
        if (read_proc_stat(entry->pid, &now) != 0 || now.start != entry->start || now.state == 'Z') {
            if (pidfd >= 0) close(pidfd);
            continue;
        }
        int sent = -1;
#if defined(SYS_pidfd_send_signal)
        if (pidfd >= 0) sent = (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
#endif
        if (pidfd < 0) sent = kill(entry->pid, sig);
        if (sent != 0) {
            if (pidfd >= 0) close(pidfd);
            continue;
        }
        waits[signalled].fd = pidfd;
        waits[signalled].events = POLLIN;
        signalled++;
    }
    // Wait (on the pidfds, no polling) until every signalled process has terminated or the time is up.
    struct timespec started;
    clock_gettime(CLOCK_MONOTONIC, &started);
    for (int open_count = signalled; timeout_ms > 0;) {
        open_count = 0;
        for (int index = 0; index < signalled; index++) open_count += waits[index].fd >= 0;
        if (open_count == 0) break;
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        long elapsed = (now.tv_sec - started.tv_sec) * 1000 + (now.tv_nsec - started.tv_nsec) / 1000000;
        if (elapsed >= timeout_ms) break;
        int ready = poll(waits, (nfds_t)signalled, (int)(timeout_ms - elapsed));
        if (ready < 0 && errno != EINTR) break;
        for (int index = 0; index < signalled; index++) {
            if (waits[index].fd >= 0 && waits[index].revents != 0) {
                close(waits[index].fd);
                waits[index].fd = -1;
            }
        }
    }
    for (int index = 0; index < signalled; index++) {
        if (waits[index].fd >= 0) close(waits[index].fd);
    }
    free(entries);
    free(marked);
    free(waits);
    free(path);
    return signalled;
#else
    (void)root;
    (void)sig;
    (void)timeout_ms;
    return 0;
#endif
}
